// Starts a real `zerog-node --dev` (which serves the Ethereum JSON-RPC itself) on reserved ports
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

/** Path of the `zerog` command-line client under test. */
export const cliBinary = process.env.ZEROG_CLI_BIN ?? resolve(targetDir, 'release/zerog');

/** Path of the compute executor binary under test. */
export const executorBinary = process.env.ZEROG_EXECUTOR_BIN ?? resolve(targetDir, 'release/zerog-executor');

// Ports come from above the kernel's ephemeral range, which no `listen(0)` and no outgoing
// connection ever takes, so nothing can hold a node's port between the choice and the node's
// bind (the node refuses to start on a taken `--rpc-port` rather than move). The Rust tests
// (`tests/ports`) take theirs from below the range, so both suites can run side by side; test
// files run one at a time (`--test-concurrency=1`), and `handedOut` keeps one file's ports apart.
const handedOut = new Set();

/** The kernel's ephemeral port range. */
function ephemeralRange() {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (low > 0 && high >= low) return [low, high];
  } catch { /* not Linux */ }
  return [32768, 60999];
}

/** Whether `port` can be listened on, on every interface and on loopback. */
function listenable(port, host) {
  return new Promise((ok) => {
    const server = createServer();
    server.unref();
    server.once('error', () => ok(false));
    server.listen(port, host, () => server.close(() => ok(true)));
  });
}

/** A port nothing listens on, outside the ephemeral range, not handed out before. */
export async function reservePort() {
  const [, ephemeralHigh] = ephemeralRange();
  const low = Math.max(ephemeralHigh + 1, 61000);
  const count = 65535 - low + 1;
  const start = Math.floor(Math.random() * count);
  for (let i = 0; i < count; i++) {
    const port = low + ((start + i) % count);
    if (handedOut.has(port)) continue;
    if (await listenable(port, '0.0.0.0') && await listenable(port, '127.0.0.1')) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`no free port between ${low} and 65535`);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts `zerog-node --dev` (with `extraArgs` after the usual ones) and resolves once its
 * Ethereum RPC answers `eth_chainId`. With `basePath` its database lives there instead of in a
 * temporary folder, and `node.restart()` kills it (SIGKILL) and starts it again on the same
 * ports and database.
 */
export async function startDevNode(name = 'eth', { cpus, extraArgs = [], basePath } = {}) {
  const [rpcPort, ethPort, p2pPort, promPort] = [await reservePort(), await reservePort(), await reservePort(), await reservePort()];
  const dir = mkdtempSync(join(tmpdir(), `zerog-${name}-`));
  const logPath = join(dir, 'node.log');
  const args = [
    '--dev', ...(basePath ? ['--base-path', basePath] : ['--tmp']), '--no-mdns', '--no-telemetry',
    '--rpc-port', String(rpcPort), '--port', String(p2pPort), '--prometheus-port', String(promPort),
    '--eth-rpc-port', String(ethPort), ...extraArgs,
  ];
  const node = {
    rpcPort, ethPort, logPath,
    ethUrl: `http://127.0.0.1:${ethPort}`,
    wsUrl: `ws://127.0.0.1:${rpcPort}`,
    httpUrl: `http://127.0.0.1:${rpcPort}`,
    // The data plane listens on its default port, the endpoint Alice registers in the dev
    // genesis (the files' providers are found there).
    dataUrl: 'http://127.0.0.1:9950',
    logTail: () => readFileSync(logPath, 'utf8').split('\n').slice(-40).join('\n'),
    stop: () => new Promise((ok) => { const { child } = node; if (child.exitCode !== null || child.signalCode !== null) return ok(); child.once('exit', ok); child.kill('SIGKILL'); }),
    restart: async () => { await node.stop(); await launch(); return node; },
  };
  async function launch() {
    const log = openSync(logPath, 'a');
    // With `cpus`, under `taskset -c`: the node stays on those cores (benchmarks).
    node.child = cpus
      ? spawn('taskset', ['-c', cpus, nodeBinary, ...args], { stdio: ['ignore', log, log] })
      : spawn(nodeBinary, args, { stdio: ['ignore', log, log] });
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      if (node.child.exitCode !== null) throw new Error(`zerog-node exited with ${node.child.exitCode}:\n${node.logTail()}`);
      try {
        const res = await fetch(node.ethUrl, {
          method: 'POST', headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_blockNumber', params: [] }),
        });
        const body = await res.json();
        if (body.result && BigInt(body.result) >= 1n) return;
      } catch { /* not up yet */ }
      await sleep(500);
    }
    await node.stop();
    throw new Error(`the Ethereum RPC did not come up:\n${node.logTail()}`);
  }
  await launch();
  return node;
}

/**
 * Starts Alice's development executor (`zerog-executor --dev`: the echo backend, her services
 * pointed at its gateway) against `node`, its job API on `jobsPort` (the node's
 * `--compute-executor`) or a free port, and resolves once it serves: `{ gatewayPort, logPath,
 * stop }`.
 */
export async function startDevExecutor(node, { jobsPort } = {}) {
  const gatewayPort = await reservePort();
  const dir = mkdtempSync(join(tmpdir(), 'zerog-executor-'));
  const logPath = join(dir, 'executor.log');
  const log = openSync(logPath, 'w');
  const child = spawn(executorBinary, [
    '--dev', '--listen', `127.0.0.1:${gatewayPort}`, '--jobs-listen', `127.0.0.1:${jobsPort ?? 0}`,
    '--node-rpc', node.wsUrl, '--data-dir', join(dir, 'state'),
  ], { stdio: ['ignore', log, log] });
  const executor = {
    child, gatewayPort, logPath,
    stop: () => new Promise((ok) => { if (child.exitCode !== null || child.signalCode !== null) return ok(); child.once('exit', ok); child.kill('SIGKILL'); }),
  };
  const deadline = Date.now() + 120_000;
  while (!readFileSync(logPath, 'utf8').includes('ready: serving services')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await executor.stop();
      throw new Error(`zerog-executor --dev did not start:\n${readFileSync(logPath, 'utf8')}`);
    }
    await sleep(500);
  }
  return executor;
}
