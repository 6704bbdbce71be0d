// Publishing a DA blob and reading one back from JavaScript: the flow of `zerog da submit`,
// `get` and `sample` (client/src/da/). The blob is erasure-coded by the SDK (da.js); each
// member of the quorum the blob gets takes only its own shards (staged before the commitment is
// submitted, pushed again after where needed); the commitment is paid by a Substrate keypair or
// an Ethereum wallet (through IZeroGDA); the quorum certifies it once two thirds of its stake
// hold their shards. A reader fetches shards from the members, checks each against the
// commitment, and rebuilds the blob from any k of them.
import { fromHex, readAll, toHex } from './bytes.js';
import { decodeShardProof, encodeCommitment, encodeShardProof, loadDaCoding, DaError } from './da.js';
import { RpcError, ZeroGNode, rootBytes, sameNode } from './node.js';

/** DA refusal codes of the node (`zerog_client::da`, docs/data-availability.md). */
export const DA_ERRORS = Object.freeze({
  6101: 'UnknownBlob',
  6102: 'InvalidProof',
  6103: 'InvalidParams',
  6104: 'NotStored',
  6105: 'NotEnoughShards',
  6106: 'StoreFailed',
  6107: 'NotAssigned',
  6108: 'StagingFull',
  6109: 'BadEncoding',
});

/** Most shards one `da_putShards` call takes. */
const MAX_SHARDS_PER_PUT = 1024;
/** Most bytes of shard hex one `da_putShards` call carries. */
const MAX_PUT_BYTES = 8 * 1024 * 1024;
/** How long a member's node may refuse shards as not its own (its best block is behind). */
const MEMBER_LAG_MS = 8000;

const sleep = (ms, signal) => new Promise((resolve, reject) => {
  const timer = setTimeout(resolve, ms);
  signal?.addEventListener('abort', () => { clearTimeout(timer); reject(signal.reason); }, { once: true });
});

const nodeOf = (node) => (typeof node === 'string' ? new ZeroGNode(node) : node);

/** Calls `DaAttestationsApi_<name>` with SCALE `args` and decodes all of the answer with `read`. */
async function daApi(rpc, name, args, read, options) {
  const bytes = await rpc.stateCall(`DaAttestationsApi_${name}`, args, options);
  return readAll(bytes, read, (error) => new DaError('Malformed', `DaAttestationsApi_${name} answered bytes that do not decode: ${error.message}`));
}

/** `pallet_da_attestations::BlobSummary`, as the runtime API encodes it. */
function readBlobSummary(r) {
  const id = r.uint(8);
  const submitter = r.bytes(32);
  const namespace = Number(r.uint(4));
  const commitment = { root: r.bytes(32), sizeBytes: Number(r.uint(4)), dataShards: Number(r.uint(2)), parityShards: Number(r.uint(2)) };
  const epoch = Number(r.uint(4));
  const expiresAt = Number(r.uint(4));
  const [status] = r.bytes(1);
  if (status > 1) throw new RangeError(`${status} is not a blob status`);
  const certifiedAt = status === 1 ? Number(r.uint(4)) : null;
  return { id, submitter, namespace, commitment, epoch, expiresAt, certifiedAt, attestedStake: r.uint(16), quorum: Number(r.uint(4)) };
}

/** `pallet_da_attestations::BlobAssignment`: the quorum's members and their shard ranges. */
function readAssignment(r) {
  const epoch = Number(r.uint(4));
  const quorum = Number(r.uint(4));
  const holders = r.vec((h) => ({
    account: h.bytes(32),
    endpoint: new TextDecoder().decode(h.vecU8()),
    firstShard: Number(h.uint(2)),
    endShard: Number(h.uint(2)),
  }));
  return { epoch, quorum, holders };
}

/** The blob committed as `commitment` at the node's best block, or `null`. */
export function blobOf(node, commitment, options) {
  return daApi(nodeOf(node), 'blob', encodeCommitment(commitment), (r) => r.option(readBlobSummary), options);
}

/** The blob committed with `root`, or `null`. */
export function blobByRoot(node, root, options) {
  return daApi(nodeOf(node), 'blob_by_root', rootBytes(root), (r) => r.option(readBlobSummary), options);
}

/** The quorum of the blob (or the one it would get if submitted now), or `null`. */
export function shardHolders(node, commitment, options) {
  return daApi(nodeOf(node), 'shard_holders', encodeCommitment(commitment), (r) => r.option(readAssignment), options);
}

/** The block that certified the blob, or `null`. */
export function certification(node, commitment, options) {
  return daApi(nodeOf(node), 'certification', encodeCommitment(commitment), (r) => r.option((c) => Number(c.uint(4))), options);
}

/** Each member endpoint once, with every shard index behind it, in quorum order. */
function endpointsOf(assignment) {
  const endpoints = [];
  for (const { endpoint, firstShard, endShard } of assignment.holders) {
    if (!endpoint) continue;
    let entry = endpoints.find((known) => known.url === endpoint);
    if (!entry) endpoints.push(entry = { url: endpoint, indices: [] });
    for (let i = firstShard; i < endShard; i++) if (!entry.indices.includes(i)) entry.indices.push(i);
  }
  for (const entry of endpoints) entry.indices.sort((a, b) => a - b);
  return endpoints;
}

/** The shards at `indices` as `da_putShards` batches of at most 1024 shards and 8 MiB of hex. */
function putBatches(encoded, indices) {
  const batches = [];
  let current = [];
  let bytes = 0;
  for (const index of indices) {
    const shard = { index, data: toHex(encoded.shards[index]), proof: toHex(encodeShardProof(encoded.proofs[index])) };
    const length = shard.data.length + shard.proof.length + 48;
    if (current.length > 0 && (bytes + length > MAX_PUT_BYTES || current.length >= MAX_SHARDS_PER_PUT)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(shard);
    bytes += length;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/**
 * Gives one member endpoint its shards: at its registered endpoint, else (a dev chain whose
 * genesis names the default port while the node listens elsewhere) at the client's node, if
 * that node runs the member's key. A node that does not see the blob's quorum yet is asked
 * again for `lagMs`.
 */
async function pushTo(rpc, encoded, { url, indices }, { lagMs, signal }) {
  const { commitment } = encoded;
  const params = (batch) => [
    toHex(commitment.root), batch,
    { sizeBytes: commitment.sizeBytes, dataShards: commitment.dataShards, parityShards: commitment.parityShards },
    toHex(encoded.fingerprints),
  ];
  const attempt = async (target) => {
    const deadline = Date.now() + lagMs;
    for (const batch of putBatches(encoded, indices)) {
      for (;;) {
        try {
          await target.call('da_putShards', params(batch), { signal });
          break;
        } catch (error) {
          if (error instanceof RpcError && DA_ERRORS[error.code] === 'NotAssigned' && Date.now() < deadline) {
            await sleep(500, signal);
            continue;
          }
          throw error;
        }
      }
    }
  };
  const report = { endpoint: url, via: null, shards: indices, ok: false, error: null };
  try {
    await attempt(new ZeroGNode(url, { timeoutMs: 60_000 }));
    report.ok = true;
  } catch (error) {
    if (signal?.aborted) throw error;
    report.error = error.message;
    if (!sameNode(url, rpc.url)) {
      try {
        await attempt(rpc);
        Object.assign(report, { ok: true, via: rpc.url, error: null });
      } catch (second) {
        if (signal?.aborted) throw second;
      }
    }
  }
  return report;
}

/**
 * Publishes `blob` (a `Uint8Array` of at most 32 MiB) on ZeroG DA.
 *
 * - `node`: the node's RPC URL or a `ZeroGNode`; `signer` pays for the commitment
 *   (`substrateSigner` or `ethereumSigner`); not asked if the commitment is on chain already.
 * - `namespace` (0), `dataShards` (16) and `parityShards` (32): the rollup's id and the coding.
 * - `waitMs`: wait at most this long for the certificate (default: do not wait).
 * - `coding`: a `DaCoding` (default: `loadDaCoding()`); `signal`.
 *
 * Resolves with `{ commitment, root, blobId, submitted, held, members, certifiedAt }`: `held`
 * distinct shards the quorum took, `members` what each member endpoint did.
 */
export async function submitBlob({
  node, blob, signer, namespace = 0, dataShards, parityShards, waitMs, coding, signal,
}) {
  const rpc = nodeOf(node);
  const encoded = (coding ?? await loadDaCoding()).encodeBlob(blob, { dataShards, parityShards });
  const { commitment } = encoded;
  const options = { signal };
  const onChain = await blobOf(rpc, commitment, options);

  // Stage first: the quorum the blob will get takes its shards before the submission, so the
  // blob's attestation window is not spent waiting for them.
  let reports = [];
  let stagedFor = null;
  if (!onChain) {
    const upcoming = await shardHolders(rpc, commitment, options);
    if (upcoming) {
      reports = await Promise.all(endpointsOf(upcoming).map((member) => pushTo(rpc, encoded, member, { lagMs: 0, signal })));
      stagedFor = `${upcoming.epoch}/${upcoming.quorum}`;
    }
  }
  let submitted = null;
  if (!onChain) {
    if (!signer) throw new DaError('NoSigner', 'the blob is not on chain and no signer was given to pay for it');
    submitted = await signer.submitBlob({ commitment, namespace });
  }

  // Then push what the quorum on chain does not hold: everything if the epoch turned in
  // between, else the pushes that failed.
  const assignment = await shardHolders(rpc, commitment, options);
  if (!assignment) throw new DaError('NoQuorum', `blob ${toHex(commitment.root)} has no quorum: it expired or retired`);
  if (stagedFor !== `${assignment.epoch}/${assignment.quorum}`) reports = [];
  const done = reports.filter((report) => report.ok);
  const retried = await Promise.all(endpointsOf(assignment)
    .filter(({ url }) => !done.some((report) => report.endpoint === url))
    .map((member) => pushTo(rpc, encoded, member, { lagMs: MEMBER_LAG_MS, signal })));
  const members = [...done, ...retried];
  const held = new Set(members.filter((report) => report.ok).flatMap((report) => report.shards)).size;

  let certifiedAt = null;
  if (waitMs !== undefined) {
    const deadline = Date.now() + waitMs;
    for (;;) {
      certifiedAt = await certification(rpc, commitment, options);
      if (certifiedAt !== null) break;
      if (!await blobOf(rpc, commitment, options)) throw new DaError('Expired', `blob ${toHex(commitment.root)} expired without being certified; submit it again`);
      if (Date.now() >= deadline) throw new DaError('Timeout', `blob ${toHex(commitment.root)} was not certified within ${waitMs / 1000} s`);
      await sleep(1000, signal);
    }
  }
  const summary = onChain ?? await blobOf(rpc, commitment, options);
  return {
    commitment, root: toHex(commitment.root), blobId: summary?.id ?? null, submitted, held, members, certifiedAt,
  };
}

/** A shard and its proof from `source`'s `da_getShard`, checked against the commitment. */
async function fetchShard(coding, source, commitment, index, signal) {
  const answer = await source.call('da_getShard', [toHex(commitment.root), index], { signal });
  const data = fromHex(answer.shard);
  const proof = decodeShardProof(fromHex(answer.proof));
  coding.verifyShard(commitment, index, data, proof);
  return { index, data, proof };
}

/** The members of the blob's quorum as sources (each with its indices), then the client's node. */
async function shardSources(rpc, commitment, signal) {
  const assignment = await shardHolders(rpc, commitment, { signal });
  const sources = (assignment ? endpointsOf(assignment) : []).map(({ url, indices }) => ({ node: new ZeroGNode(url, { timeoutMs: 30_000 }), url, indices, error: null }));
  if (!sources.some((source) => sameNode(source.url, rpc.url))) sources.push({ node: rpc, url: rpc.url, indices: null, error: null });
  return sources;
}

/** Shard `index` from the first source that holds it and sends a verified one; `null` if none. */
async function shardFrom(coding, sources, commitment, index, signal) {
  for (const source of sources) {
    // A member is asked for its own shards only; the client's node (no `indices`) for any.
    if (source.error || (source.indices && !source.indices.includes(index))) continue;
    try {
      return await fetchShard(coding, source.node, commitment, index, signal);
    } catch (error) {
      if (signal?.aborted) throw error;
      // A source that sent a bad shard or cannot be reached is not asked again.
      if (error instanceof DaError || (error instanceof RpcError && error.code === -32000)) source.error = error.message;
    }
  }
  return null;
}

/**
 * The blob committed with `root` (or exactly `commitment`), rebuilt from any k verified shards
 * of its quorum's members. Resolves with `{ data, commitment, blobId, certifiedAt, shardsUsed }`.
 */
export async function getBlob({ node, root, commitment, coding, signal }) {
  const rpc = nodeOf(node);
  const summary = commitment ? await blobOf(rpc, commitment, { signal }) : await blobByRoot(rpc, root, { signal });
  if (!summary) throw new DaError('UnknownBlob', `no blob ${commitment ? toHex(commitment.root) : toHex(rootBytes(root))} is on chain`);
  const committed = summary.commitment;
  const daCoding = coding ?? await loadDaCoding();
  const sources = await shardSources(rpc, committed, signal);
  const k = committed.dataShards;
  const total = k + committed.parityShards;
  const shards = [];
  // Data shards first (the blob itself), then parity shards for any that are missing.
  for (let index = 0; index < total && shards.length < k; index++) {
    const shard = await shardFrom(daCoding, sources, committed, index, signal);
    if (shard) shards.push(shard);
  }
  if (shards.length < k) {
    throw new DaError('NotEnoughShards', `only ${shards.length} of the ${k} shards needed could be fetched and verified: ${sources.filter((s) => s.error).map((s) => `${s.url}: ${s.error}`).join('; ') || 'no source holds them'}`);
  }
  return {
    data: daCoding.decodeBlob(committed, shards), commitment: committed, blobId: summary.id,
    certifiedAt: summary.certifiedAt, shardsUsed: shards.length,
  };
}

/**
 * Samples the blob committed with `root`: `samples` distinct shards drawn at random, each
 * fetched from its members and checked against the commitment. Resolves with `{ commitment,
 * drawn, verified: [indices], missing: [indices], confidence }`, `confidence` being the
 * chance that a blob whose holders could not rebuild it (more than m shards withheld) would
 * have failed at least one of these draws.
 */
export async function sampleBlob({ node, root, samples = 16, coding, signal }) {
  const rpc = nodeOf(node);
  const summary = await blobByRoot(rpc, root, { signal });
  if (!summary) throw new DaError('UnknownBlob', `no blob ${toHex(rootBytes(root))} is on chain`);
  const committed = summary.commitment;
  const daCoding = coding ?? await loadDaCoding();
  const total = committed.dataShards + committed.parityShards;
  const count = Math.min(samples, total);
  const pool = Array.from({ length: total }, (_, i) => i);
  const random = new Uint32Array(count);
  globalThis.crypto.getRandomValues(random);
  for (let i = 0; i < count; i++) {
    const j = i + (random[i] % (total - i));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  const drawn = pool.slice(0, count).sort((a, b) => a - b);
  const sources = await shardSources(rpc, committed, signal);
  const verified = [];
  const missing = [];
  for (const index of drawn) ((await shardFrom(daCoding, sources, committed, index, signal)) ? verified : missing).push(index);
  // With more than m shards unavailable, fewer than k + 1 are available: each draw (without
  // replacement) finds an available one with probability at most (k - 1 - i) / (total - i).
  let miss = 1;
  for (let i = 0; i < count; i++) miss *= Math.max(0, committed.dataShards - 1 - i) / (total - i);
  return { commitment: committed, drawn, verified, missing, confidence: missing.length === 0 ? 1 - miss : 0 };
}

