// Benchmark (not a test) of the compute gateway of `zerog-executor --dev`: how much latency the
// gateway adds over calling the OpenAI-compatible backend directly, how many paid requests a
// second it serves, and how many receipts a block settles.
//
//   node bench/gateway.mjs [--requests N] [--seconds S] [--json]
//
// Starts its own `zerog-node --dev` and `zerog-executor --dev` (its built-in echo backend, so
// the backend's own time is near zero and what is measured is the gateway). Latency: N
// sequential chat requests straight to the backend, then N through the gateway with signed
// headers (`zerogFetch` of @zerog/sdk, without countersigning), then N with the countersignature
// too (two round trips). Throughput: one worker per dev user (Bob, Charlie, Dave, Eve, Ferdie;
// each needs its own nonces) sending countersigned requests for S seconds. Settlement: the
// `ComputeEscrow.ReceiptsSettled` events of the run, receipts per block and per call.
import { mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { readService, zerogFetch } from '@zerog/sdk/compute';
import { executorBinary, reservePort, startDevNode } from '../lib/node.mjs';
import { connectApi, keyring } from '../lib/substrate.mjs';

const { values: flags } = parseArgs({
  options: {
    requests: { type: 'string', default: '300' },
    seconds: { type: 'string', default: '20' },
    json: { type: 'boolean', default: false },
  },
});
const N = Number(flags.requests);
const SECONDS = Number(flags.seconds);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (...args) => { if (!flags.json) console.error(...args); };

const node = await startDevNode('gateway-bench');
const api = await connectApi(node.wsUrl);
const port = await reservePort();
const dir = mkdtempSync(join(tmpdir(), 'zerog-gateway-bench-'));
const logPath = join(dir, 'executor.log');
const executor = spawn(executorBinary, [
  '--dev', '--listen', `127.0.0.1:${port}`, '--jobs-listen', '127.0.0.1:0', '--node-rpc', node.wsUrl,
  '--data-dir', join(dir, 'state'),
], { stdio: ['ignore', openSync(logPath, 'w'), openSync(logPath, 'a')] });
try {
  const started = Date.now();
  while (!readFileSync(logPath, 'utf8').includes('ready: serving services')) {
    if (executor.exitCode !== null || Date.now() - started > 120_000) throw new Error(readFileSync(logPath, 'utf8'));
    await sleep(500);
  }
  const service = await readService(api, 0);
  // The built-in echo backend's URL, as the executor logs it.
  const backend = readFileSync(logPath, 'utf8').match(/echo backend \(not a model\) at (\S+)/)[1];
  const body = (i) => JSON.stringify({ model: 'zerog-dev-echo', max_tokens: 32, messages: [{ role: 'user', content: `request ${i}: what is ZeroG?` }] });
  const gateway = `http://127.0.0.1:${port}/v1/chat/completions`;
  const users = ['//Bob', '//Charlie', '//Dave', '//Eve', '//Ferdie'].map((uri) => keyring().addFromUri(uri));
  const nonces = new Map();
  const hook = (pair, countersign) => {
    const first = nonces.get(pair.address) ?? BigInt(Date.now());
    let issued = first;
    const fetch = zerogFetch({ pair, service, firstNonce: first, countersign, onReceipt: () => {} });
    return async (...args) => { issued += 1n; nonces.set(pair.address, issued); return fetch(...args); };
  };
  const post = (fetch, url, i) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(i) })
    .then(async (response) => { if (!response.ok) throw new Error(`${response.status} ${await response.text()}`); await response.arrayBuffer(); });
  const timeSequential = async (fetch, url) => {
    const times = [];
    for (let i = 0; i < N; i++) { const t = performance.now(); await post(fetch, url, i); times.push(performance.now() - t); }
    times.sort((a, b) => a - b);
    return { p50: times[Math.floor(N / 2)], p90: times[Math.floor(N * 0.9)], mean: times.reduce((a, b) => a + b, 0) / N };
  };
  const firstBlock = (await api.rpc.chain.getHeader()).number.toNumber();
  log(`latency: ${N} sequential requests each`);
  const direct = await timeSequential(globalThis.fetch, `${backend}/chat/completions`);
  const signed = await timeSequential(hook(users[0], false), gateway);
  const paid = await timeSequential(hook(users[0], true), gateway);
  log(`throughput: ${users.length} workers for ${SECONDS}s`);
  let served = 0;
  const until = Date.now() + SECONDS * 1000;
  await Promise.all(users.map(async (pair) => {
    const fetch = hook(pair, true);
    for (let i = 0; Date.now() < until; i++) { await post(fetch, gateway, i); served += 1; }
  }));
  const perSecond = served / SECONDS;
  // Settlement of everything countersigned: wait until the gateway has nothing left.
  log('waiting for settlement');
  let lastSettled = Date.now();
  let settled = [];
  while (Date.now() - lastSettled < 20_000) {
    await sleep(3000);
    const to = (await api.rpc.chain.getHeader()).number.toNumber();
    const found = await settledEvents(api, firstBlock, to);
    if (found.length !== settled.length) { settled = found; lastSettled = Date.now(); }
  }
  const receipts = settled.reduce((total, event) => total + event.count, 0);
  const blocks = new Set(settled.map((event) => event.number)).size;
  const result = {
    requests: N,
    directP50Ms: direct.p50, gatewayP50Ms: signed.p50, paidP50Ms: paid.p50,
    gatewayOverheadP50Ms: signed.p50 - direct.p50, paidOverheadP50Ms: paid.p50 - direct.p50,
    directP90Ms: direct.p90, gatewayP90Ms: signed.p90, paidP90Ms: paid.p90,
    paidRequestsPerSecond: perSecond,
    settledReceipts: receipts, settleCalls: settled.length, settleBlocks: blocks,
    maxReceiptsInABlock: Math.max(0, ...Object.values(settled.reduce((byBlock, e) => ({ ...byBlock, [e.number]: (byBlock[e.number] ?? 0) + e.count }), {}))),
  };
  if (!flags.json) {
    const ms = (v) => `${v.toFixed(2)} ms`;
    console.log(`direct to the backend      p50 ${ms(direct.p50)}  p90 ${ms(direct.p90)}`);
    console.log(`through the gateway        p50 ${ms(signed.p50)}  p90 ${ms(signed.p90)}  (+${ms(signed.p50 - direct.p50)})`);
    console.log(`  and countersigned        p50 ${ms(paid.p50)}  p90 ${ms(paid.p90)}  (+${ms(paid.p50 - direct.p50)})`);
    console.log(`paid requests/s (${users.length} users)  ${perSecond.toFixed(1)}`);
    console.log(`settled                    ${receipts} receipts in ${settled.length} calls over ${blocks} blocks (at most ${result.maxReceiptsInABlock} in one block)`);
  }
  console.log(JSON.stringify(result));
} finally {
  executor.kill('SIGKILL');
  await api.disconnect();
  await node.stop();
}

/** `ReceiptsSettled` events of Alice in blocks `from..=to`, with their receipt counts. */
async function settledEvents(api, from, to) {
  const found = [];
  for (let number = from; number <= to; number++) {
    const events = await (await api.at(await api.rpc.chain.getBlockHash(number))).query.system.events();
    for (const { event } of events) {
      if (api.events.computeEscrow.ReceiptsSettled.is(event)) {
        found.push({ number, count: event.data.settled.toNumber() });
      }
    }
  }
  return found;
}
