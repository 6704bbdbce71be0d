// Throughput harness (a benchmark, not a test) for ZeroG's Substrate transactions: signs N
// transactions of one kind up front, submits them all with `author_submitExtrinsic` over several
// WebSocket connections, follows the best and finalized chains, and reports how fast they are
// included and finalized, how full the blocks get, block time and finality lag under load, and
// the node's peak memory.
//
//   node bench/substrate-tps.mjs [--scenario NAME[,NAME...]|all] [--count N] [--senders M]
//        [--ws URL | --validators V] [--connections K] [--in-flight F] [--window W] [--batch B] [--unpaced]
//        [--node-cpus LIST] [--load-cpus LIST] [--stall SECONDS] [--json]
//
// --count is per scenario (defaults: transfers 5000, batch-transfers 20000, storage-submit
// 2000, da-submit 640, settle-receipts 2560 receipts); --senders (default 100) is the number of
// sending accounts, the users for settle-receipts; --stall gives up waiting when nothing new
// lands for that long; --window (default 6000) caps the transactions submitted and not yet
// included (the pool drops what is over its limits after accepting it). For a sustained run, size --count to at least 60 s of inclusion (for
// example --count 100000 at 1,500 transfers/s); the "steady" figures leave out the first and last
// two blocks of the load, when the pool is still filling or already draining.
//
// Scenarios:
//   transfers        Balances::transfer_keep_alive between M funded accounts (//bench//i).
//   batch-transfers  Utility::batch_all of --batch (default 100) transfer_keep_alives each.
//   storage-submit   StorageCommitments::submit of a 1 MiB file with a unique root.
//   da-submit        DaAttestations::submit_blob of a unique, valid 1 MiB commitment (16 + 32
//                    shards), after registering a DA signer so the epoch has a quorum; paced to
//                    the runtime's cap unless --unpaced: a burst of MaxBlobsPerBlock ×
//                    ExpirySlots, then MaxBlobsPerBlock a block (the expiry queues a block may
//                    spill into are shared with the seven blocks before it).
//   settle-receipts  ComputeEscrow::settle_receipts: one provider, M users who deposit and fund
//                    it, N user-signed receipts settled in batches of MaxReceiptsPerBatch.
//
// Without --ws it starts its own `zerog-node --dev` (lib/node.mjs: $ZEROG_NODE_BIN or
// $CARGO_TARGET_DIR/release/zerog-node, temporary base path, free ports) and samples the node's
// memory (VmRSS, VmHWM) and CPU time every second. With --validators V (1 to 4) it starts V
// validators of chain-specs/local.json instead (lib/network.mjs), submits to the first, samples
// every node, and reads each node's block import times (Prometheus, blocks other validators
// authored) and authoring times (its log). --node-cpus runs the nodes under `taskset -c LIST`,
// --load-cpus pins this process, so the load generator stays off the validators' cores. With
// --ws it uses that node, which must have the dev accounts (Alice...Ferdie) funded; memory is
// not sampled.
//
// Prints progress on stderr, then a summary table and one JSON line on stdout (--json: only the
// JSON line).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { WsProvider } from '@polkadot/api';
import { blake2AsHex, keccakAsHex, randomAsHex } from '@polkadot/util-crypto';
import { hexToU8a, stringToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { execFileSync } from 'node:child_process';
import { startDevNode, nodeBinary } from '../lib/node.mjs';
import { histogram, histogramDelta, startLocalNetwork } from '../lib/network.mjs';
import {
  ZG, accountNonces, connectApi, dispatchErrorText, keyring, loadAverage, processStats, sendAll, waitForBlock,
} from '../lib/substrate.mjs';

const SCENARIOS = ['transfers', 'batch-transfers', 'storage-submit', 'da-submit', 'settle-receipts'];
const DEFAULT_COUNT = { 'transfers': 5000, 'batch-transfers': 20000, 'storage-submit': 2000, 'da-submit': 640, 'settle-receipts': 2560 };

const { values: opts } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'transfers' },
    count: { type: 'string' },
    senders: { type: 'string', default: '100' },
    ws: { type: 'string' },
    validators: { type: 'string' },
    batch: { type: 'string', default: '100' },
    'node-cpus': { type: 'string' },
    'load-cpus': { type: 'string' },
    connections: { type: 'string', default: '4' },
    'in-flight': { type: 'string', default: '256' },
    window: { type: 'string', default: '6000' },
    unpaced: { type: 'boolean', default: false },
    stall: { type: 'string', default: '90' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opts.help) {
  console.log(`usage: node bench/substrate-tps.mjs [--scenario ${SCENARIOS.join('|')}|all] [--count N]
       [--senders M] [--ws URL | --validators V] [--connections K] [--in-flight F] [--batch B] [--unpaced]
       [--node-cpus LIST] [--load-cpus LIST] [--stall SECONDS] [--json]`);
  process.exit(0);
}
const scenarios = opts.scenario === 'all' ? SCENARIOS : opts.scenario.split(',');
for (const name of scenarios) {
  if (!SCENARIOS.includes(name)) throw new Error(`unknown scenario ${name}; one of ${SCENARIOS.join(', ')} or all`);
}
const senderCount = Number(opts.senders);
const connections = Number(opts.connections);
const inFlight = Number(opts['in-flight']);
const stallSeconds = Number(opts.stall);
const batchSize = Number(opts.batch);
const poolWindow = Number(opts.window);
const validators = opts.validators === undefined ? 0 : Number(opts.validators);
if (opts.validators !== undefined && opts.ws) throw new Error('--validators starts a network; --ws uses a running node: not both');
if (opts.validators !== undefined && !(validators >= 1 && validators <= 4)) throw new Error('--validators must be 1 to 4');
for (const [flag, value] of Object.entries({ senders: senderCount, connections, 'in-flight': inFlight, stall: stallSeconds, batch: batchSize, window: poolWindow })) {
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${flag} must be a positive integer`);
}

const log = (...args) => console.error(`[${new Date().toISOString().slice(11, 19)}]`, ...args);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const round = (x, digits = 1) => (Number.isFinite(x) ? +x.toFixed(digits) : null);
const stats = (xs) => (xs.length === 0 ? { min: null, mean: null, max: null } : {
  min: Math.min(...xs), mean: xs.reduce((a, b) => a + b, 0) / xs.length, max: Math.max(...xs),
});

// ---------------------------------------------------------------------------------------------
// Submission: pre-signed extrinsics over several connections, a bounded number in flight.

const RETRYABLE = [1014, 1016]; // priority too low (pool full of better ones), immediately dropped (pool limit)

/**
 * Submits every hex extrinsic of `txs` with `author_submitExtrinsic`, `inFlight` at a time spread
 * over the `providers`; retries while the pool is full. With `wave`, submits `wave` at a time
 * (`firstWave` the first time) and awaits `afterWave(acceptedSoFar)` between waves. Returns the
 * rejected ones.
 */
async function submitAll(providers, txs, { wave = txs.length, firstWave = wave, afterWave = async () => {}, included = null } = {}) {
  const rejected = [];
  let accepted = 0;
  // The pool takes what fits its limits and drops the rest once accepted (with no error to
  // the sender), so at most `--window` accepted transactions wait for a block at any time.
  // Waits for room, or gives up waiting once nothing was included for --stall seconds (the pool
  // dropped what is missing; the stall check after submission reports it).
  let lastIncluded = -1, lastProgress = performance.now();
  const roomInPool = async () => {
    while (included && accepted - included() >= poolWindow) {
      if (included() !== lastIncluded) { lastIncluded = included(); lastProgress = performance.now(); }
      if (performance.now() - lastProgress > stallSeconds * 1000) return;
      await sleep(20);
    }
  };
  for (let start = 0, end; start < txs.length; start = end) {
    end = Math.min(start + (start === 0 ? firstWave : wave), txs.length);
    let next = start;
    const worker = async (provider) => {
      while (next < end) {
        await roomInPool();
        if (next >= end) break;
        const i = next++;
        for (let attempt = 0; ; attempt++) {
          try {
            await provider.send('author_submitExtrinsic', [txs[i].hex]);
            accepted++;
            break;
          } catch (error) {
            const code = Number(error.code ?? String(error.message).match(/^(-?\d+):/)?.[1]);
            if (code === 1013) { accepted++; break; } // already imported
            if (RETRYABLE.includes(code) && attempt < 600) { await sleep(200); continue; }
            rejected.push({ index: i, error: String(error.message) });
            break;
          }
        }
      }
    };
    const workers = [];
    for (let w = 0; w < Math.min(inFlight, end - start); w++) workers.push(worker(providers[w % providers.length]));
    await Promise.all(workers);
    if (end < txs.length) await afterWave(accepted);
  }
  return rejected;
}

// ---------------------------------------------------------------------------------------------
// Following the chain: every best block from the start, our extrinsics in it, their outcomes.

class ChainFollower {
  constructor(api, raw, ours, onEvents) {
    Object.assign(this, { api, raw, ours, onEvents });
    this.blocks = [];            // one record per best block after the start, in order
    this.included = 0;           // our extrinsics in best blocks (succeeded or failed)
    this.succeeded = 0;
    this.failures = new Map();   // error text -> count
    this.lastInclusionWall = null;
    this.finalizedNumber = 0;
    this.finalizedWall = new Map(); // block number -> when it was first seen finalized
    this.queue = Promise.resolve();
    this.weightType = api.registry.createLookupType(api.query.system.blockWeight.creator.meta.type.asPlain);
    this.eventsType = api.registry.createLookupType(api.query.system.events.creator.meta.type.asPlain);
    this.keys = {
      now: api.query.timestamp.now.key(),
      weight: api.query.system.blockWeight.key(),
      events: api.query.system.events.key(),
    };
  }

  async start() {
    const best = await this.api.rpc.chain.getHeader();
    this.processed = best.number.toNumber();
    this.startNumber = this.processed;
    this.unsubFinalized = await this.api.rpc.chain.subscribeFinalizedHeads((header) => {
      const n = header.number.toNumber();
      const now = performance.now();
      for (let k = this.finalizedNumber + 1; k <= n; k++) this.finalizedWall.set(k, now);
      this.finalizedNumber = Math.max(this.finalizedNumber, n);
    });
    this.unsubBest = await this.api.rpc.chain.subscribeNewHeads((header) => {
      if (this.stopped) return;
      const number = header.number.toNumber();
      const sample = { wall: performance.now(), lag: number - this.finalizedNumber };
      this.queue = this.queue.then(() => this.catchUp(number, sample)).catch((error) => { this.error = error; });
    });
  }

  async stop() {
    this.stopped = true;
    this.unsubBest?.();
    this.unsubFinalized?.();
    await this.queue;
  }

  async catchUp(number, sample) {
    for (let n = this.processed + 1; n <= number; n++) await this.processBlock(n, n === number ? sample : null);
    this.processed = Math.max(this.processed, number);
  }

  async processBlock(number, sample) {
    const hash = await this.raw.send('chain_getBlockHash', [number]);
    const [{ block }, nowRaw, weightRaw] = await Promise.all([
      this.raw.send('chain_getBlock', [hash]),
      this.raw.send('state_getStorage', [this.keys.now, hash]),
      this.raw.send('state_getStorage', [this.keys.weight, hash]),
    ]);
    const ourIndexes = [];
    let bytes = 0;
    block.extrinsics.forEach((hex, index) => {
      bytes += (hex.length - 2) / 2;
      if (this.ours.has(blake2AsHex(hexToU8a(hex), 256))) ourIndexes.push(index);
    });
    const weight = this.api.createType(this.weightType, hexToU8a(weightRaw));
    const record = {
      number, hash,
      wall: sample?.wall ?? performance.now(),
      lag: sample?.lag ?? null,
      timestamp: this.api.createType('u64', hexToU8a(nowRaw)).toNumber(),
      extrinsics: block.extrinsics.length,
      ours: ourIndexes.length,
      bytes,
      normalRefTime: weight.normal.refTime.toBigInt(),
      ok: 0, failed: 0,
    };
    if (ourIndexes.length > 0) {
      const events = this.api.createType(this.eventsType, hexToU8a(await this.raw.send('state_getStorage', [this.keys.events, hash])));
      const mine = new Set(ourIndexes);
      for (const { phase, event } of events) {
        if (!phase.isApplyExtrinsic || !mine.has(phase.asApplyExtrinsic.toNumber())) continue;
        if (this.api.events.system.ExtrinsicSuccess.is(event)) record.ok++;
        else if (this.api.events.system.ExtrinsicFailed.is(event)) {
          record.failed++;
          const text = dispatchErrorText(this.api, event.data.dispatchError);
          this.failures.set(text, (this.failures.get(text) ?? 0) + 1);
        } else this.onEvents?.(event, record);
      }
      this.included += ourIndexes.length;
      this.succeeded += record.ok;
      this.lastInclusionWall = record.wall;
    }
    this.blocks.push(record);
  }

  /** Timestamp (ms) of best block `number`. */
  async timestampAt(number) {
    const known = this.blocks.find((b) => b.number === number);
    if (known) return known.timestamp;
    const hash = await this.raw.send('chain_getBlockHash', [number]);
    return this.api.createType('u64', hexToU8a(await this.raw.send('state_getStorage', [this.keys.now, hash]))).toNumber();
  }
}

// ---------------------------------------------------------------------------------------------
// Accounts and pre-signing.

const DEV_FUNDERS = ['//Alice', '//Bob', '//Charlie', '//Dave', '//Eve', '//Ferdie'];

/**
 * Tops up every account of `pairs` whose free balance is below `amount`, from the dev accounts:
 * pre-signed transfers with explicit nonces, submitted without a watch, then the balances read
 * until all arrived (a watch can miss the block another validator put a transaction in).
 */
async function fund(ctx, pairs, amount) {
  const { api, kr } = ctx;
  const funders = DEV_FUNDERS.map((uri) => kr.addFromUri(uri));
  const needy = async () => {
    const balances = await api.query.system.account.multi(pairs.map((p) => p.address));
    return pairs.filter((_, i) => balances[i].data.free.toBigInt() < amount);
  };
  const first = await needy();
  if (!first.length) return;
  const nonces = await nextNonces(api, funders);
  const txs = first.map((pair, k) => presign(ctx, api.tx.balances.transferKeepAlive(pair.address, amount),
    funders[k % funders.length], nonces[k % funders.length] + Math.floor(k / funders.length)));
  for (const { hex } of txs) await api.rpc.author.submitExtrinsic(hex);
  const deadline = Date.now() + stallSeconds * 1000;
  for (let left = first; left.length; left = await needy()) {
    if (Date.now() > deadline) throw new Error(`${left.length} of ${first.length} accounts were not funded in ${stallSeconds} s`);
    await sleep(1000);
  }
  log(`funded ${first.length} accounts with ${amount / ZG} ZG each`);
}

/** Next nonce of every pair (none may have transactions waiting in the pool). */
async function nextNonces(api, pairs) {
  return (await accountNonces(api, pairs.map((p) => p.address))).map(Number);
}

/** Signs `call` by `pair` with `nonce`, immortal, without asking the node anything. */
function presign(ctx, call, pair, nonce) {
  const { api } = ctx;
  const signed = call.sign(pair, {
    blockHash: api.genesisHash, genesisHash: api.genesisHash, nonce,
    runtimeVersion: api.runtimeVersion, signedExtensions: api.registry.signedExtensions, version: api.extrinsicType,
  });
  return { hex: signed.toHex(), hash: signed.hash.toHex() };
}

/** Signs `count` calls `makeCall(i)` from the senders in turn (sender i % M), nonces in order. */
async function presignFromSenders(ctx, count, makeCall) {
  const nonces = await nextNonces(ctx.api, ctx.senders);
  const M = ctx.senders.length;
  const txs = [];
  for (let i = 0; i < count; i++) {
    const s = i % M;
    txs.push(presign(ctx, makeCall(i), ctx.senders[s], nonces[s] + Math.floor(i / M)));
  }
  return txs;
}

// ---------------------------------------------------------------------------------------------
// Scenarios: `prepare` sets the chain up, `sign` returns the pre-signed extrinsics, `unit` is
// what one of them delivers (settle-receipts: many receipts per extrinsic).

const scenarioDefs = {
  transfers: {
    unit: 'transfers',
    call: 'balances.transferKeepAlive',
    async prepare(ctx) { await fund(ctx, ctx.senders, 100n * ZG); },
    async sign(ctx) {
      const M = ctx.senders.length;
      return presignFromSenders(ctx, ctx.count, (i) =>
        ctx.api.tx.balances.transferKeepAlive(ctx.senders[(i + 1) % M].address, 10n ** 12n));
    },
  },

  'batch-transfers': {
    unit: 'transfers',
    call: 'utility.batchAll',
    async prepare(ctx) {
      await fund(ctx, ctx.senders, 1000n * ZG);
      ctx.transferred = 0;
    },
    async sign(ctx) {
      const { api } = ctx;
      const M = ctx.senders.length;
      const batches = Math.ceil(ctx.count / batchSize);
      return presignFromSenders(ctx, batches, (b) => {
        // Batch b is signed by sender b % M (presignFromSenders); it pays every other sender in
        // turn, never itself (a transfer to oneself moves nothing and emits no `Transfer`).
        const calls = [];
        for (let k = b * batchSize; k < Math.min((b + 1) * batchSize, ctx.count); k++) {
          const to = ((b % M) + 1 + (k % (M - 1))) % M;
          calls.push(api.tx.balances.transferKeepAlive(ctx.senders[to].address, 10n ** 12n));
        }
        return api.tx.utility.batchAll(calls);
      });
    },
    onEvents(ctx, event, record) {
      if (!ctx.api.events.balances.Transfer.is(event)) return;
      ctx.transferred++;
      record.units = (record.units ?? 0) + 1;
    },
  },

  'storage-submit': {
    unit: 'files',
    call: 'storageCommitments.submit',
    async prepare(ctx) { await fund(ctx, ctx.senders, 100n * ZG); },
    async sign(ctx) {
      return presignFromSenders(ctx, ctx.count, (i) =>
        ctx.api.tx.storageCommitments.submit(keccakAsHex(`zerog-bench-file-${ctx.runId}-${i}`), 1 << 20, [], 1));
    },
  },

  'da-submit': {
    unit: 'blobs',
    call: 'daAttestations.submitBlob',
    async prepare(ctx) {
      const { api, kr } = ctx;
      const signer = kr.addFromUri('//bench//da-signer');
      const stake = api.consts.daAttestations.minSignerStake.toBigInt();
      await fund(ctx, [...ctx.senders, signer], stake + 100n * ZG);
      if ((await api.query.daAttestations.signers(signer.address)).isNone) {
        await sendAll(api, [{
          tx: api.tx.daAttestations.registerSigner(stake, u8aToHex(signer.publicKey), 'http://127.0.0.1:9/bench'),
          signer,
        }]);
        log('registered a DA signer; waiting for an epoch with a quorum');
      }
      for (;;) {
        const epoch = await api.query.daAttestations.currentEpoch();
        const quorum = await api.query.daAttestations.quorums(epoch);
        if (quorum.isSome && quorum.unwrap().members.length > 0) break;
        await waitForBlock(api, (await api.rpc.chain.getHeader()).number.toNumber() + 1);
      }
      ctx.perBlock = api.consts.daAttestations.maxBlobsPerBlock.toNumber();
      ctx.burst = ctx.perBlock * api.consts.daAttestations.expirySlots.toNumber();
    },
    async sign(ctx) {
      // A valid coding (16 data + 32 parity shards, the defaults) of a 1 MiB blob; the chain
      // cannot see the bytes, so a unique root is all a new commitment needs.
      return presignFromSenders(ctx, ctx.count, (i) => ctx.api.tx.daAttestations.submitBlob({
        root: keccakAsHex(`zerog-bench-blob-${ctx.runId}-${i}`),
        sizeBytes: 1 << 20, dataShards: 16, parityShards: 32,
      }, 0));
    },
    submitOptions(ctx, follower) {
      if (opts.unpaced) return {};
      // A block's blobs expire in one of ExpirySlots queues of MaxBlobsPerBlock each, the last
      // block of their window or the blocks before it, shared with the blocks submitted before:
      // after a burst that fills them, each new block frees one queue. Wait for each wave to be
      // included before the next.
      return {
        firstWave: ctx.burst,
        wave: ctx.perBlock,
        afterWave: async (accepted) => {
          const deadline = Date.now() + stallSeconds * 1000;
          while (follower.included < accepted && Date.now() < deadline) await sleep(50);
        },
      };
    },
  },

  'settle-receipts': {
    unit: 'receipts',
    call: 'computeEscrow.settleReceipts',
    async prepare(ctx) {
      const { api, kr } = ctx;
      const provider = kr.addFromUri('//bench//provider');
      const stake = api.consts.computeEscrow.minServiceStake.toBigInt();
      const inputPrice = 10n ** 9n, outputPrice = 2n * 10n ** 9n;
      const inputTokens = 100n, outputTokens = 50n;
      const fee = inputTokens * inputPrice + outputTokens * outputPrice;
      const users = ctx.senders;
      const perUser = BigInt(Math.ceil(ctx.count / users.length));
      const escrow = perUser * fee;
      await fund(ctx, [...users, provider], stake + 100n * ZG);

      // The provider's inference service: reuse one from an earlier run on this chain.
      let service = null;
      for (const id of await api.query.computeEscrow.providerServices(provider.address)) {
        const info = await api.query.computeEscrow.services(id);
        if (info.isSome && info.unwrap().kind.isInference && info.unwrap().verifiability.isNone
          && info.unwrap().inputPricePerToken.toBigInt() === inputPrice
          && info.unwrap().outputPricePerToken.toBigInt() === outputPrice) service = id.toBigInt();
      }
      if (service === null) {
        const [{ events }] = await sendAll(api, [{
          tx: api.tx.computeEscrow.registerService('Inference', 'bench-model', 'http://127.0.0.1:9/bench',
            inputPrice, outputPrice, 'None', stake),
          signer: provider,
        }]);
        const registered = events.find(({ event }) => api.events.computeEscrow.ServiceRegistered.is(event));
        service = registered.event.data.service.toBigInt();
        log(`registered inference service ${service}`);
      }
      // Every user deposits and funds the provider with what its receipts will charge.
      const items = [];
      for (const user of users) {
        items.push({ tx: api.tx.computeEscrow.deposit(escrow), signer: user });
        items.push({ tx: api.tx.computeEscrow.fundProvider(provider.address, escrow), signer: user });
      }
      for (let i = 0; i < items.length; i += 600) await sendAll(api, items.slice(i, i + 600));
      log(`${users.length} users deposited and funded the provider with ${escrow} each`);
      Object.assign(ctx, { provider, service, fee, inputTokens, outputTokens });
      ctx.batch = api.consts.computeEscrow.maxReceiptsPerBatch.toNumber();
      ctx.settled = 0;
      ctx.outcomes = new Map();
    },
    async sign(ctx) {
      const { api, provider, service, fee, inputTokens, outputTokens, batch } = ctx;
      const users = ctx.senders;
      const subs = await api.query.computeEscrow.subAccounts.multi(users.map((u) => [u.address, provider.address]));
      const lastNonce = subs.map((s) => s.lastNonce.toBigInt());
      // Each receipt is signed (sr25519) by its user over "zerog/compute/receipt/v1" ‖ genesis hash ‖
      // SCALE(InferenceReceipt), exactly what `settle_receipt` verifies (`Verifiability::None`).
      const domain = u8aConcat(stringToU8a('zerog/compute/receipt/v1'), api.genesisHash.toU8a());
      const receipts = [];
      for (let i = 0; i < ctx.count; i++) {
        const u = i % users.length;
        const receipt = api.createType('PalletComputeEscrowInferenceReceipt', {
          user: users[u].address, provider: provider.address, service,
          nonce: lastNonce[u] + 1n + BigInt(Math.floor(i / users.length)),
          inputTokens, outputTokens, fee,
          requestHash: keccakAsHex(`zerog-bench-request-${ctx.runId}-${i}`),
        });
        receipts.push({ receipt, signature: { Sr25519: u8aToHex(users[u].sign(u8aConcat(domain, receipt.toU8a()))) } });
      }
      const [nonce] = await nextNonces(api, [provider]);
      const txs = [];
      for (let b = 0; b * batch < receipts.length; b++) {
        const slice = receipts.slice(b * batch, (b + 1) * batch);
        txs.push(presign(ctx, api.tx.computeEscrow.settleReceipts(service, slice), provider, nonce + b));
      }
      return txs;
    },
    onEvents(ctx, event, record) {
      if (!ctx.api.events.computeEscrow.ReceiptsSettled.is(event)) return;
      const settled = event.data.settled.toNumber();
      ctx.settled += settled;
      record.settled = (record.settled ?? 0) + settled;
      for (const outcome of event.data.outcomes) ctx.outcomes.set(outcome.type, (ctx.outcomes.get(outcome.type) ?? 0) + 1);
    },
  },
};

// ---------------------------------------------------------------------------------------------
// One scenario, start to finish.

async function runScenario(name, env) {
  const def = scenarioDefs[name];
  const { api, wsUrl, memory, nodes } = env;
  const kr = keyring();
  const ctx = {
    api, kr, name,
    count: Number(opts.count ?? DEFAULT_COUNT[name]),
    senders: Array.from({ length: senderCount }, (_, i) => kr.addFromUri(`//bench//${i}`)),
    runId: randomAsHex(8),
  };
  if (!Number.isInteger(ctx.count) || ctx.count < 1) throw new Error('--count must be a positive integer');
  const loadBefore = loadAverage();
  log(`${name}: preparing (${ctx.senders.length} accounts)`);
  await def.prepare(ctx);

  log(`${name}: signing ${ctx.count} ${def.unit}`);
  const signStart = performance.now();
  const txs = await def.sign(ctx);
  const signSeconds = (performance.now() - signStart) / 1000;
  const ours = new Set(txs.map((tx) => tx.hash));
  const firstTx = hexToU8a(txs[0].hex);
  const info = await api.call.transactionPaymentApi.queryInfo(firstTx, firstTx.length);
  const txRefTime = info.weight.refTime.toBigInt();
  log(`${name}: signed ${txs.length} extrinsics in ${signSeconds.toFixed(1)} s`);

  const raw = new WsProvider(wsUrl, 1000, {}, 120_000);
  const providers = Array.from({ length: connections }, () => new WsProvider(wsUrl, 1000, {}, 120_000));
  await Promise.all([raw, ...providers].map((p) => p.isReady));
  const follower = new ChainFollower(api, raw, ours, def.onEvents && ((event, record) => def.onEvents(ctx, event, record)));
  await follower.start();
  memory?.reset();
  const importsBefore = nodes ? await Promise.all(nodes.map((n) => histogram(n.promPort, IMPORT_TIME))) : null;

  log(`${name}: submitting over ${connections} connections, ${inFlight} in flight`);
  const submitStart = performance.now();
  const rejected = await submitAll(providers, txs, { included: () => follower.included, ...def.submitOptions?.(ctx, follower) });
  const submitSeconds = (performance.now() - submitStart) / 1000;
  const expected = txs.length - rejected.length;
  log(`${name}: submitted in ${submitSeconds.toFixed(1)} s, ${rejected.length} refused${rejected.length ? `: ${rejected[0].error}` : ''}`);

  // Until every accepted extrinsic is in a best block, or nothing new lands for --stall seconds.
  let lastProgress = performance.now(), lastIncluded = -1;
  while (follower.included < expected) {
    if (follower.error) throw follower.error;
    if (follower.included !== lastIncluded) { lastIncluded = follower.included; lastProgress = performance.now(); }
    if (performance.now() - lastProgress > stallSeconds * 1000) { log(`${name}: stalled at ${follower.included}/${expected}`); break; }
    await sleep(100);
  }
  const withOurs = follower.blocks.filter((b) => b.ours > 0);
  const first = withOurs[0], last = withOurs.at(-1);
  // And until the last of those blocks is finalized.
  if (last) {
    const deadline = performance.now() + stallSeconds * 1000;
    while (!follower.finalizedWall.has(last.number) && performance.now() < deadline) await sleep(100);
  }
  await follower.stop();
  if (follower.error) throw follower.error;
  const mem = memory?.read();
  const imports = nodes
    ? (await Promise.all(nodes.map((n) => histogram(n.promPort, IMPORT_TIME)))).map((after, i) => histogramDelta(importsBefore[i], after))
    : null;

  // Numbers. "Chain seconds" run from the end of the block before the first inclusion to the end
  // of the last block with one (block timestamps), so one full block of N counts N / block time.
  // Units a block or the whole run delivered: receipts settled, transfers of a batch, else
  // succeeded extrinsics.
  const unitsOf = (b) => (name === 'settle-receipts' ? b.settled ?? 0 : name === 'batch-transfers' ? b.units ?? 0 : b.ok);
  const succeededUnits = name === 'settle-receipts' ? ctx.settled : name === 'batch-transfers' ? ctx.transferred : follower.succeeded;
  const chainSeconds = last ? (last.timestamp - await follower.timestampAt(first.number - 1)) / 1000 : NaN;
  const includedWall = last ? (last.wall - submitStart) / 1000 : NaN;
  const finalizedWall = last && follower.finalizedWall.has(last.number) ? (follower.finalizedWall.get(last.number) - submitStart) / 1000 : NaN;
  const loaded = last ? follower.blocks.filter((b) => b.number >= first.number && b.number <= last.number) : [];
  const maxNormal = api.consts.system.blockWeights.perClass.normal.maxTotal.unwrapOr(api.consts.system.blockWeights.maxBlock).refTime.toBigInt();
  const baseExtrinsic = api.consts.system.blockWeights.perClass.normal.baseExtrinsic.refTime.toBigInt();
  const fullness = loaded.map((b) => Number(b.normalRefTime * 10000n / maxNormal) / 100);
  const blockTimes = [];
  for (let k = 1; k < loaded.length; k++) blockTimes.push((loaded[k].timestamp - loaded[k - 1].timestamp) / 1000);
  if (loaded.length) blockTimes.unshift((loaded[0].timestamp - await follower.timestampAt(loaded[0].number - 1)) / 1000);
  const lags = loaded.map((b) => b.lag).filter((x) => x !== null);
  const perBlock = loaded.map((b) => b.ours);
  const authored = new Map((env.logPaths ?? []).flatMap((path) => [...proposals(path)]));
  const authoring = loaded.map((b) => authored.get(b.number)).filter(Boolean);
  const endReasons = {};
  for (const { end } of authoring) endReasons[end] = (endReasons[end] ?? 0) + 1;
  const perBlockUnits = loaded.map(unitsOf);
  // Slots without a block in the loaded range (Aura: one block a slot, timestamp = slot start).
  const slotMs = api.consts.aura?.slotDuration?.toNumber() ?? 2 * api.consts.timestamp.minimumPeriod.toNumber();
  const missedSlots = loaded.length > 1 ? Math.round((loaded.at(-1).timestamp - loaded[0].timestamp) / slotMs) + 1 - loaded.length : null;
  // The steady state: the loaded blocks but the first and last two (pool filling, draining).
  const steady = loaded.length > 6 ? loaded.slice(2, -2) : [];
  const steadySeconds = steady.length ? (steady.at(-1).timestamp - loaded[1].timestamp) / 1000 : NaN;
  const steadyUnits = steady.reduce((sum, b) => sum + unitsOf(b), 0);

  const result = {
    scenario: name,
    unit: def.unit,
    count: ctx.count,
    senders: ctx.senders.length,
    extrinsics: txs.length,
    refused: rejected.length,
    refusedSample: rejected.slice(0, 3).map((r) => r.error),
    included: follower.included,
    succeeded: follower.succeeded,
    failed: [...follower.failures.values()].reduce((a, b) => a + b, 0),
    failures: Object.fromEntries(follower.failures),
    [`${def.unit}Succeeded`]: succeededUnits,
    signSeconds: round(signSeconds, 2),
    submitSeconds: round(submitSeconds, 2),
    submitRate: round(txs.length / submitSeconds),
    blocks: loaded.length,
    firstBlock: first?.number ?? null,
    lastBlock: last?.number ?? null,
    chainSeconds: round(chainSeconds, 1),
    includedPerSecond: round(succeededUnits / chainSeconds),
    includedWallSeconds: round(includedWall, 2),
    includedPerSecondWall: round(succeededUnits / includedWall),
    finalizedWallSeconds: round(finalizedWall, 2),
    finalizedPerSecond: round(succeededUnits / finalizedWall),
    perBlock: loaded.length <= 60 ? perBlock : undefined,
    extrinsicsPerBlock: mapStats(stats(perBlock), 0),
    unitsPerBlock: mapStats(stats(perBlockUnits), 0),
    blockFullnessPercent: mapStats(stats(fullness), 1),
    txRefTimeNs: Number(txRefTime / 1000n),
    weightCapPerBlock: Number(maxNormal / (txRefTime + baseExtrinsic)),
    authoringMs: authoring.length ? mapStats(stats(authoring.map((a) => a.ms)), 0) : undefined,
    authoringEnd: authoring.length ? endReasons : undefined,
    blockBytes: mapStats(stats(loaded.map((b) => b.bytes)), 0),
    blockTimeSeconds: mapStats(stats(blockTimes), 2),
    missedSlots,
    steadyBlocks: steady.length,
    steadySeconds: round(steadySeconds, 1),
    steadyPerSecond: round(steadyUnits / steadySeconds),
    finalityLagBlocks: mapStats(stats(lags), 1),
    importMs: imports ? imports.map((d, i) => ({
      node: nodes[i].name, blocks: d.count, mean: round(d.mean * 1000, 0), maxBucketMs: d.maxBound === null ? null : d.maxBound * 1000,
    })) : undefined,
    nodeRssPeakMiB: mem ? round(mem.rssPeakKiB / 1024, 0) : undefined,
    nodeHwmMiB: mem ? round(mem.hwmKiB / 1024, 0) : undefined,
    nodeCpuPercent: mem ? round(mem.cpuPercent, 0) : undefined,
    load: { before: loadBefore, after: loadAverage() },
  };
  if (name === 'settle-receipts') {
    result.batchSize = ctx.batch;
    result.receiptOutcomes = Object.fromEntries(ctx.outcomes);
    result.allSettled = ctx.settled === ctx.count && ctx.outcomes.size === 1 && ctx.outcomes.has('Settled');
  }
  for (const p of [raw, ...providers]) await p.disconnect();
  log(`${name}: ${succeededUnits} ${def.unit} in ${loaded.length} blocks, ${result.includedPerSecond}/s included, ${result.finalizedPerSecond}/s finalized (wall)`);
  return result;
}

/**
 * What the node logged about authoring each block ("Prepared block for proposing at N (T ms) ...
 * end: REASON; extrinsics_count: C"): number -> { ms, end }. Only for a node this harness started.
 */
function proposals(logPath) {
  const byNumber = new Map();
  let text = '';
  try { text = readFileSync(logPath, 'utf8'); } catch { return byNumber; }
  for (const m of text.matchAll(/Prepared block for proposing at (\d+) \((\d+) ms\).*?end: (\w+)/g)) {
    byNumber.set(Number(m[1]), { ms: Number(m[2]), end: m[3] });
  }
  return byNumber;
}

function mapStats(s, digits) {
  return { min: round(s.min, digits), mean: round(s.mean, digits), max: round(s.max, digits) };
}

/**
 * Samples the nodes' memory and CPU every second while a scenario runs: the largest node's RSS
 * and VmHWM, the CPU time of all of them together.
 */
function memorySampler(pids) {
  let rssPeakKiB = 0, hwmKiB = 0, cpuStart = 0, wallStart = 0, latest = null;
  const sample = () => {
    const all = pids.map(processStats).filter(Boolean);
    if (!all.length) return;
    latest = {
      rssKiB: Math.max(...all.map((s) => s.rssKiB)),
      hwmKiB: Math.max(...all.map((s) => s.hwmKiB)),
      cpuSeconds: all.reduce((sum, s) => sum + s.cpuSeconds, 0),
    };
    rssPeakKiB = Math.max(rssPeakKiB, latest.rssKiB);
    hwmKiB = latest.hwmKiB;
  };
  const timer = setInterval(sample, 1000);
  timer.unref();
  return {
    reset() { sample(); rssPeakKiB = latest?.rssKiB ?? 0; cpuStart = latest?.cpuSeconds ?? 0; wallStart = performance.now(); },
    read() {
      sample();
      return { rssPeakKiB, hwmKiB, cpuPercent: latest ? (100 * (latest.cpuSeconds - cpuStart)) / ((performance.now() - wallStart) / 1000) : NaN };
    },
    stop() { clearInterval(timer); },
  };
}

/** The import queue's histogram of verifying and importing a block another node authored. */
const IMPORT_TIME = 'substrate_block_verification_and_import_time';

function printTable(results) {
  const fmt = (s, unit = '') => (s && s.mean !== null ? `${s.min} / ${s.mean} / ${s.max}${unit}` : '-');
  const rows = [
    ['extrinsics signed / refused / failed', (r) => `${r.extrinsics} / ${r.refused} / ${r.failed}`],
    ['units succeeded', (r) => `${r[`${r.unit}Succeeded`]} ${r.unit}`],
    ['submission', (r) => `${r.submitSeconds} s (${r.submitRate} extrinsics/s)`],
    ['blocks with them', (r) => `${r.blocks} (#${r.firstBlock}..#${r.lastBlock}, ${r.chainSeconds} s of chain time)`],
    ['included /s (block time)', (r) => `${r.includedPerSecond} ${r.unit}/s`],
    ['included /s (wall, from submit)', (r) => `${r.includedPerSecondWall} ${r.unit}/s (${r.includedWallSeconds} s)`],
    ['finalized /s (wall, from submit)', (r) => `${r.finalizedPerSecond} ${r.unit}/s (${r.finalizedWallSeconds} s)`],
    ['extrinsics per block min/mean/max', (r) => fmt(r.extrinsicsPerBlock)],
    [`units per block min/mean/max`, (r) => fmt(r.unitsPerBlock)],
    ['block fullness (normal ref_time)', (r) => fmt(r.blockFullnessPercent, ' %')],
    ['weight of one extrinsic / cap', (r) => `${r.txRefTimeNs / 1000} µs (+ base); ${r.weightCapPerBlock} per block`],
    ['block authoring time (node log)', (r) => (r.authoringMs ? `${fmt(r.authoringMs, ' ms')} ${JSON.stringify(r.authoringEnd)}` : '-')],
    ['block size bytes', (r) => fmt(r.blockBytes)],
    ['block time under load', (r) => fmt(r.blockTimeSeconds, ' s')],
    ['missed slots in the loaded range', (r) => String(r.missedSlots ?? '-')],
    ['steady state (all but 2+2 blocks)', (r) => (r.steadyBlocks ? `${r.steadyPerSecond} ${r.unit}/s over ${r.steadySeconds} s, ${r.steadyBlocks} blocks` : '-')],
    ['import time, blocks of others (mean, max bucket)', (r) => (r.importMs ? r.importMs.map((n) => `${n.node} ${n.blocks}: ${n.mean} ms, <= ${n.maxBucketMs} ms`).join('; ') : '-')],
    ['finality lag (best - finalized)', (r) => fmt(r.finalityLagBlocks, ' blocks')],
    ['node RSS peak / VmHWM (since start, largest node)', (r) => (r.nodeRssPeakMiB === undefined ? 'not sampled (--ws)' : `${r.nodeRssPeakMiB} / ${r.nodeHwmMiB} MiB`)],
    ['node CPU (all nodes)', (r) => (r.nodeCpuPercent === undefined ? '-' : `${r.nodeCpuPercent} % of one core`)],
    ['load average before / after', (r) => `${r.load.before?.join(' ')} / ${r.load.after?.join(' ')}`],
    ['receipt outcomes', (r) => (r.receiptOutcomes ? `${JSON.stringify(r.receiptOutcomes)}${r.allSettled ? ' (all settled)' : ' NOT ALL SETTLED'}` : '-')],
    ['dispatch failures', (r) => (r.failed ? JSON.stringify(r.failures) : '-')],
  ];
  const header = ['', ...results.map((r) => `${r.scenario} (${r.count})`)];
  const table = [header, ...rows.map(([label, f]) => [label, ...results.map(f)])];
  const widths = header.map((_, c) => Math.max(...table.map((row) => String(row[c]).length)));
  for (const row of table) console.log(row.map((cell, c) => String(cell).padEnd(widths[c])).join('  ').trimEnd());
}

// ---------------------------------------------------------------------------------------------

if (opts['load-cpus']) execFileSync('taskset', ['-cp', opts['load-cpus'], String(process.pid)], { stdio: 'ignore' });
const network = validators ? await startLocalNetwork(validators, { cpus: opts['node-cpus'] }) : null;
const node = opts.ws || network ? null : await startDevNode('bench-substrate', { cpus: opts['node-cpus'] });
const started = network ? network.nodes : node ? [node] : [];
const wsUrl = opts.ws ?? started[0].wsUrl;
const memory = started.length ? memorySampler(started.map((n) => n.child.pid)) : null;
let api;
try {
  api = await connectApi(wsUrl);
  const version = api.runtimeVersion;
  const nodeVersion = (await api.rpc.system.version()).toString();
  const where = network ? `${validators} validator(s) (${network.nodes.map((n) => n.name).join(', ')}), load sent to ${network.nodes[0].name}`
    : node ? `${nodeBinary} --dev (pid ${node.child.pid})` : wsUrl;
  log(`node ${nodeVersion}, ${where}, runtime ${version.specName} ${version.specVersion.toNumber()}`);
  const results = [];
  const env = { api, wsUrl, memory, logPaths: started.map((n) => n.logPath), nodes: network?.nodes };
  for (const name of scenarios) results.push(await runScenario(name, env));
  if (!opts.json) printTable(results);
  console.log(JSON.stringify({
    bench: 'substrate-tps', node: network ? `local network of ${validators}` : node ? 'dev' : wsUrl,
    nodeCpus: opts['node-cpus'] ?? null, loadCpus: opts['load-cpus'] ?? null,
    nodeVersion, specVersion: version.specVersion.toNumber(), connections, inFlight, results,
  }));
} catch (error) {
  for (const n of started) log(`${n.name ?? 'node'} log tail:\n${n.logTail()}`);
  throw error;
} finally {
  memory?.stop();
  await api?.disconnect();
  await Promise.all(started.map((n) => n.stop()));
}
