// Explorer benchmark (a benchmark, not a test): how fast `zerog-explorer` catches up on a chain of
// full blocks, and how fast it answers once it has.
//
//   node bench/explorer.mjs [--transfers N] [--requests R] [--concurrency C] [--databases sqlite,postgres] [--json]
//
// 1. Starts a `zerog-node --dev` and fills blocks with `bench/substrate-tps.mjs --scenario
//    batch-transfers --count N` (default 40,000 transfers, in batches of 100: full blocks, each
//    transfer with its withdrawal, deposit and transfer events), then waits for finality.
// 2. For each database, starts a fresh explorer against the node and times it from start to the
//    finalized head: blocks/s and events/s (the events of every block it indexed).
// 3. Sends R requests (default 500) to `/` (the home page: 20 blocks, 20 extrinsics, three
//    charts) and R to `/api/search?q=<a block hash>` and to `/search?q=<an account>`, C at a
//    time (default 1), and reports p50, p99 and max latency.
//
// Prints progress on stderr, a table and one JSON line on stdout (--json: only the JSON line).
import { execFile } from 'node:child_process';
import { parseArgs } from 'node:util';
import { promisify } from 'node:util';
import { startDevNode } from '../lib/node.mjs';
import { connectApi, keyring } from '../lib/substrate.mjs';
import { startExplorer, startPostgres } from '../lib/explorer.mjs';

const { values: opts } = parseArgs({
  options: {
    transfers: { type: 'string', default: '40000' },
    requests: { type: 'string', default: '500' },
    concurrency: { type: 'string', default: '1' },
    databases: { type: 'string', default: 'sqlite,postgres' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opts.help) {
  console.log('usage: node bench/explorer.mjs [--transfers N] [--requests R] [--concurrency C] [--databases sqlite,postgres] [--json]');
  process.exit(0);
}
const [transfers, requests, concurrency] = [Number(opts.transfers), Number(opts.requests), Number(opts.concurrency)];
for (const [flag, value] of Object.entries({ transfers, requests, concurrency })) {
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${flag} must be a positive integer`);
}
const databases = opts.databases.split(',');
for (const database of databases) {
  if (!['sqlite', 'postgres'].includes(database)) throw new Error(`unknown database ${database}: sqlite or postgres`);
}

const log = (...args) => console.error(`[${new Date().toISOString().slice(11, 19)}]`, ...args);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const round = (x, digits = 1) => +x.toFixed(digits);

/** Latency percentiles (ms) of `count` GETs of `path()`, `concurrency` at a time. */
async function latency(url, path, count) {
  const times = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const started = performance.now();
      const response = await fetch(`${url}${path(i)}`, { redirect: 'manual' });
      await response.arrayBuffer();
      if (response.status >= 400) throw new Error(`${path(i)}: HTTP ${response.status}`);
      times.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  times.sort((a, b) => a - b);
  const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  return { p50: round(at(0.5), 2), p99: round(at(0.99), 2), max: round(times.at(-1), 2) };
}

const node = await startDevNode('bench-explorer');
const api = await connectApi(node.wsUrl);
const results = { transfers, requests, concurrency, databases: {} };
let postgres;
try {
  log(`filling blocks: ${transfers} transfers in batches of 100`);
  const here = new URL('.', import.meta.url).pathname;
  const { stdout } = await promisify(execFile)(process.execPath, [
    `${here}substrate-tps.mjs`, '--ws', node.wsUrl, '--scenario', 'batch-transfers', '--count', String(transfers), '--json',
  ], { maxBuffer: 64 << 20 });
  const load = JSON.parse(stdout.trim().split('\n').at(-1));
  const best = (await api.rpc.chain.getHeader()).number.toNumber();
  while ((await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber() < best) await sleep(500);
  const finalized = best;
  let events = 0, fullest = 0;
  for (let number = 0; number <= finalized; number++) {
    const count = (await api.query.system.events.at(await api.rpc.chain.getBlockHash(number))).length;
    events += count;
    fullest = Math.max(fullest, count);
  }
  results.chain = { blocks: finalized + 1, events, fullestBlockEvents: fullest, load: load.scenarios?.[0] ?? load };
  log(`chain: ${finalized + 1} blocks, ${events} events (up to ${fullest} in one block)`);

  const someHash = (await api.rpc.chain.getBlockHash(Math.floor(finalized / 2))).toHex();
  const account = keyring().addFromUri('//Alice').address;
  for (const database of databases) {
    let url;
    if (database === 'postgres') {
      postgres = await startPostgres();
      url = postgres.url;
    }
    const started = performance.now();
    const explorer = await startExplorer(node, { database: url });
    try {
      for (;;) {
        const { body } = await explorer.get('/api/status');
        if (body.indexed !== null && body.indexed >= finalized) break;
        await sleep(100);
      }
      const seconds = (performance.now() - started) / 1000;
      const catchUp = { seconds: round(seconds, 2), blocksPerSecond: round((finalized + 1) / seconds), eventsPerSecond: round(events / seconds) };
      log(`${database}: caught up in ${catchUp.seconds} s (${catchUp.blocksPerSecond} blocks/s, ${catchUp.eventsPerSecond} events/s)`);
      const home = await latency(explorer.url, () => '/', requests);
      const search = await latency(explorer.url, () => `/api/search?q=${someHash}`, requests);
      const searchAccount = await latency(explorer.url, () => `/search?q=${account}`, requests);
      log(`${database}: / p50 ${home.p50} ms p99 ${home.p99} ms; search p50 ${search.p50} ms p99 ${search.p99} ms`);
      results.databases[database] = { catchUp, home, searchBlockHash: search, searchAccount };
    } finally {
      await explorer.stop();
    }
  }
} finally {
  await postgres?.stop();
  await api.disconnect();
  await node.stop();
}

if (!opts.json) {
  console.log(`chain: ${results.chain.blocks} blocks, ${results.chain.events} events, up to ${results.chain.fullestBlockEvents} in a block`);
  console.log('database  catch-up s  blocks/s  events/s  / p50  / p99  search p50  search p99  (ms)');
  for (const [name, r] of Object.entries(results.databases)) {
    console.log([name.padEnd(8), String(r.catchUp.seconds).padEnd(10), String(r.catchUp.blocksPerSecond).padEnd(8), String(r.catchUp.eventsPerSecond).padEnd(8),
      String(r.home.p50).padEnd(5), String(r.home.p99).padEnd(5), String(r.searchBlockHash.p50).padEnd(10), r.searchBlockHash.p99].join('  '));
  }
}
console.log(JSON.stringify(results));
