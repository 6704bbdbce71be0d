// Starts a real `zerog-node --dev` (which serves the Ethereum JSON-RPC itself) on free ports
// and stops it when the tests are done.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const here = new URL('.', import.meta.url).pathname;
const targetDir = process.env.CARGO_TARGET_DIR ?? join(process.env.HOME, '.cache/zerog/target');

/** Path of the node binary under test. */
export const nodeBinary = process.env.ZEROG_NODE_BIN ?? resolve(targetDir, 'release/zerog-node');

/** A free TCP port on loopback. */
export function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.unref();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Starts `zerog-node --dev` and resolves once its Ethereum RPC answers `eth_chainId`. */
export async function startDevNode(name = 'eth') {
  const [rpcPort, ethPort, p2pPort, promPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  const dir = mkdtempSync(join(tmpdir(), `zerog-${name}-`));
  const logPath = join(dir, 'node.log');
  const log = openSync(logPath, 'w');
  const child = spawn(nodeBinary, [
    '--dev', '--tmp', '--no-mdns', '--no-telemetry',
    '--rpc-port', String(rpcPort), '--port', String(p2pPort), '--prometheus-port', String(promPort),
    '--eth-rpc-port', String(ethPort),
  ], { stdio: ['ignore', log, log] });
  const node = {
    child, rpcPort, ethPort, logPath,
    ethUrl: `http://127.0.0.1:${ethPort}`,
    wsUrl: `ws://127.0.0.1:${rpcPort}`,
    logTail: () => readFileSync(logPath, 'utf8').split('\n').slice(-40).join('\n'),
    stop: () => new Promise((ok) => { if (child.exitCode !== null) return ok(); child.once('exit', ok); child.kill('SIGKILL'); }),
  };
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`zerog-node exited with ${child.exitCode}:\n${node.logTail()}`);
    try {
      const res = await fetch(node.ethUrl, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_blockNumber', params: [] }),
      });
      const body = await res.json();
      if (body.result && BigInt(body.result) >= 1n) return node;
    } catch { /* not up yet */ }
    await sleep(500);
  }
  await node.stop();
  throw new Error(`the Ethereum RPC did not come up:\n${node.logTail()}`);
}
