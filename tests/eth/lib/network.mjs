// Starts a local network of `zerog-node` validators from the checked-in chain-specs/local.json
// (Alice, Bob, Charlie and Dave author with Aura and vote with GRANDPA) for the throughput
// harness, and reads what each node measures about itself: memory and CPU (/proc), block import
// times (Prometheus) and the blocks it authored (its log).
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { nodeBinary, reservePort } from './node.mjs';

const here = new URL('.', import.meta.url).pathname;
/** The chain every validator runs. */
export const localSpec = resolve(here, '../../../chain-specs/local.json');
const VALIDATORS = ['alice', 'bob', 'charlie', 'dave'];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function rpc(port, method, params = []) {
  const res = await fetch(`http://127.0.0.1:${port}`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const body = await res.json();
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

async function startValidator(name, dir, { bootnode, cpus }) {
  const [rpcPort, p2pPort, promPort, storagePort] = [await reservePort(), await reservePort(), await reservePort(), await reservePort()];
  const logPath = join(dir, `${name}.log`);
  const log = openSync(logPath, 'w');
  const args = [
    '--chain', localSpec, `--${name}`, '--validator', '--base-path', join(dir, name),
    '--rpc-port', String(rpcPort), '--port', String(p2pPort), '--prometheus-port', String(promPort),
    '--storage-port', String(storagePort), '--no-eth-rpc', '--no-mdns', '--no-telemetry',
    '--rpc-max-connections', '1000', '--name', name,
    // Transactions reach the other validators by gossip, not in nonce order; the pool keeps a
    // tenth of its limit as future transactions (819 by default), and dropped the rest of a
    // sender's run. 100,000 keeps 10,000 waiting for their predecessors.
    '--pool-limit', '100000', '--pool-kbytes', '512000',
    // A validator of a live chain must be given its network key: a fixed one per name here.
    '--node-key', (VALIDATORS.indexOf(name) + 1).toString(16).padStart(64, '0'),
    ...(bootnode ? ['--bootnodes', bootnode] : []),
  ];
  // `taskset -c LIST` keeps the validators on their cores, away from the load generator's.
  const [command, argv] = cpus ? ['taskset', ['-c', cpus, nodeBinary, ...args]] : [nodeBinary, args];
  const child = spawn(command, argv, { stdio: ['ignore', log, log] });
  const node = {
    name, child, rpcPort, p2pPort, promPort, logPath,
    wsUrl: `ws://127.0.0.1:${rpcPort}`,
    logTail: () => readFileSync(logPath, 'utf8').split('\n').slice(-30).join('\n'),
    stop: () => new Promise((ok) => { if (child.exitCode !== null) return ok(); child.once('exit', ok); child.kill('SIGKILL'); }),
  };
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${node.logTail()}`);
    try {
      node.peerId = await rpc(rpcPort, 'system_localPeerId');
      return node;
    } catch { await sleep(300); }
  }
  await node.stop();
  throw new Error(`${name}'s RPC did not come up:\n${node.logTail()}`);
}

/**
 * Starts `count` (at most 4) validators of the local chain, the first as the others' bootnode,
 * and resolves once every node has all the others as peers and the chain finalizes.
 */
export async function startLocalNetwork(count, { cpus } = {}) {
  if (!(count >= 1 && count <= VALIDATORS.length)) throw new Error(`a local network has 1 to ${VALIDATORS.length} validators`);
  const dir = mkdtempSync(join(tmpdir(), 'zerog-bench-network-'));
  const nodes = [];
  const stop = () => Promise.all(nodes.map((n) => n.stop()));
  try {
    const first = await startValidator(VALIDATORS[0], dir, { cpus });
    nodes.push(first);
    const bootnode = `/ip4/127.0.0.1/tcp/${first.p2pPort}/p2p/${first.peerId}`;
    for (const name of VALIDATORS.slice(1, count)) nodes.push(await startValidator(name, dir, { bootnode, cpus }));
    const deadline = Date.now() + 180_000;
    for (;;) {
      const health = await Promise.all(nodes.map((n) => rpc(n.rpcPort, 'system_health')));
      const finalized = await rpc(first.rpcPort, 'chain_getFinalizedHead').then((h) => rpc(first.rpcPort, 'chain_getHeader', [h]));
      if (health.every((h) => h.peers >= count - 1) && parseInt(finalized.number, 16) >= 2) break;
      if (Date.now() > deadline) throw new Error(`the network did not peer and finalize: ${JSON.stringify(health)}`);
      await sleep(500);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { dir, nodes, stop };
}

/** A Prometheus histogram's buckets, sum and count: `{ buckets: [[le, count]], sum, count }`. */
export async function histogram(promPort, name) {
  const text = await (await fetch(`http://127.0.0.1:${promPort}/metrics`)).text();
  const buckets = [];
  let sum = 0, count = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    const le = line.match(/le="([^"]+)"/)?.[1];
    if (line.startsWith(`${name}_bucket`) && le) buckets.push([le === '+Inf' ? Infinity : Number(le), value]);
    else if (line.startsWith(`${name}_sum`)) sum += value;
    else if (line.startsWith(`${name}_count`)) count += value;
  }
  return { buckets, sum, count };
}

/**
 * What changed in a histogram between two readings: how many new observations, their mean, and
 * the smallest bucket bound that holds all of them (Prometheus buckets are cumulative).
 */
export function histogramDelta(before, after) {
  const count = after.count - before.count;
  const mean = count > 0 ? (after.sum - before.sum) / count : null;
  let maxBound = null;
  if (count > 0) {
    for (const [le, total] of [...after.buckets].sort((a, b) => a[0] - b[0])) {
      const earlier = before.buckets.find(([b]) => b === le)?.[1] ?? 0;
      if (total - earlier >= count) { maxBound = le; break; }
    }
  }
  return { count, mean, maxBound };
}
