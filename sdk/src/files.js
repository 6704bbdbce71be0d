// Uploading a file to ZeroG storage and downloading one, verified, from JavaScript: the flow of
// `zerog storage upload` and `download` (client/src/replicas.rs, client/src/transfer.rs).
//
// Upload: hash the file into its segment tree (32 bytes a segment kept, the file re-read as it
// is sent); commit (root, size) on chain with a signer (a Substrate keypair or an Ethereum
// wallet, signers.js and ethereum.js) unless that exact commitment is live already; wait for the
// chain to draw the file's providers; send the segments the node lacks, with their proofs, to
// one node that stores the file for an assigned provider (the node the client talks to first,
// then each provider's registered endpoint); wait until every provider acknowledged the file.
// Run again after a failure, it resumes: no second commitment (which would pay again), and
// only the segments still missing travel.
//
// Download: every segment is checked against the (root, size) the chain commits before it is
// kept; a source that sends a bad one or cannot be reached is dropped and the next one asked.
import { equalBytes, toHex } from './bytes.js';
import { DataPlane, DataPlaneError, sameNode, ZeroGNode, MISSING_PAGE, rootBytes } from './node.js';
import { SEGMENT_SIZE, SegmentTree, segmentCount, segmentRoot, verifySegment, ProofError } from './storage.js';

/** Replicas a file asks for when the caller does not say (fewer if fewer providers are active). */
export const DEFAULT_REPLICAS = 3;

/** An upload or download that cannot complete; `reason` names what is missing. */
export class TransferError extends Error {
  constructor(reason, message) {
    super(message);
    this.reason = reason;
  }
}

const sleep = (ms, signal) => new Promise((resolve, reject) => {
  const timer = setTimeout(resolve, ms);
  signal?.addEventListener('abort', () => { clearTimeout(timer); reject(signal.reason); }, { once: true });
});

/** The node as a `ZeroGNode` (given one or its URL). */
const nodeOf = (node) => (typeof node === 'string' ? new ZeroGNode(node) : node);

/** Size in bytes of a `Uint8Array` or `Blob` (a browser `File` is one). */
function sizeOf(file) {
  if (file instanceof Uint8Array) return file.length;
  if (typeof Blob !== 'undefined' && file instanceof Blob) return file.size;
  throw new TypeError('a file is a Uint8Array or a Blob');
}

/** Bytes of segment `index` of `file`, read again from a `Blob`. */
async function readSegment(file, index) {
  const start = index * SEGMENT_SIZE;
  const end = Math.min(start + SEGMENT_SIZE, sizeOf(file));
  if (file instanceof Uint8Array) return file.subarray(start, end);
  return new Uint8Array(await file.slice(start, end).arrayBuffer());
}

/**
 * The file's segment tree, hashing one segment at a time: `{ root, size, tree }`.
 * `onProgress({ phase: 'hash', done, total })` sees the bytes hashed.
 */
export async function hashFile(file, { onProgress, signal } = {}) {
  const size = sizeOf(file);
  const roots = [];
  for (let index = 0; index * SEGMENT_SIZE < size; index++) {
    signal?.throwIfAborted();
    roots.push(segmentRoot(await readSegment(file, index)));
    onProgress?.({ phase: 'hash', done: Math.min((index + 1) * SEGMENT_SIZE, size), total: size });
  }
  if (roots.length === 0) throw new TransferError('empty', 'an empty file cannot be stored');
  const tree = new SegmentTree(roots);
  return { root: tree.root(), size, tree };
}

/** Polls `read` every `intervalMs` until `done(value)` or `timeoutMs`; the last value. */
async function poll(read, done, { timeoutMs, intervalMs = 1000, signal }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() >= deadline) return value;
    await sleep(intervalMs, signal);
  }
}

/**
 * Sends the segments `plane` lacks of the file hashed into `tree`, `parallel` at a time, and
 * resolves with the number sent once the node reports the file complete. A segment that no
 * longer hashes to what was hashed (the file changed) stops the upload.
 */
async function sendMissing(plane, file, { root, size, tree }, { parallel, onProgress, signal, sentBefore }) {
  let sent = 0;
  for (let round = 0; round < 3; round++) {
    const missing = [];
    for (let from = 0; ;) {
      const page = await plane.missing(root, size, from, MISSING_PAGE, { signal });
      missing.push(...page);
      if (page.length < MISSING_PAGE) break;
      from = page[page.length - 1] + 1;
    }
    if (missing.length === 0) break;
    let next = 0;
    const worker = async () => {
      while (next < missing.length) {
        const index = missing[next++];
        const data = await readSegment(file, index);
        if (!equalBytes(segmentRoot(data), tree.segmentRoot(index))) {
          throw new TransferError('changed', `segment ${index} of the file changed since it was hashed`);
        }
        await plane.putSegment(root, size, index, data, tree.proof(index), { signal });
        sent++;
        onProgress?.({ phase: 'upload', done: sentBefore + sent, total: tree.segmentCount, url: plane.url });
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(parallel, missing.length)) }, worker));
  }
  const status = await plane.status(root, size, { signal });
  if (!status.finalized) {
    throw new TransferError('incomplete', `${plane.url} holds ${status.segmentsStored} of ${status.segments} segments after three rounds`);
  }
  return sent;
}

/**
 * Uploads `file` (a `Uint8Array`, or a `Blob` such as a browser `File`) to ZeroG storage.
 *
 * - `node`: the node's RPC URL or a `ZeroGNode`.
 * - `signer`: pays for the commitment; `substrateSigner({ api, pair })` (signers.js) or
 *   `ethereumSigner(wallet)` (ethereum.js). Not asked when the commitment is live already.
 * - `replicas` (default 3, at most the active providers), `tags` (Substrate signers only),
 *   `parallel` segments in flight (4), `timeoutMs` for the providers' acknowledgements (120 s).
 * - `onProgress({ phase, done, total })`: phases `hash` (bytes), `commit`, `assign`, `upload`
 *   (segments), `acknowledge` (providers).
 * - `signal`: an `AbortSignal`; an aborted upload resumes when run again.
 *
 * Resolves with `{ root, size, fileId, submitted, uploadedSegments, uploadedTo, replicas }`.
 */
export async function uploadFile({
  node, file, signer, replicas, tags = [], parallel = 4, timeoutMs = 120_000, onProgress, signal,
}) {
  const rpc = nodeOf(node);
  const hashed = await hashFile(file, { onProgress, signal });
  const { root, size, tree } = hashed;
  const options = { signal };

  let committed = await rpc.fileByCommitment(root, size, options);
  let submitted = null;
  if (!committed) {
    if (!signer) throw new TransferError('signer', 'the file is not committed on chain and no signer was given to pay for it');
    let wanted = replicas;
    if (wanted === undefined) {
      const active = await rpc.activeStorageProviders(options);
      if (active === 0) throw new TransferError('providers', 'no storage provider is active on this chain: nobody can store the file');
      wanted = Math.min(active, DEFAULT_REPLICAS);
    }
    onProgress?.({ phase: 'commit', done: 0, total: 1 });
    submitted = await signer.submitFile({ root, size: BigInt(size), tags, replicas: wanted });
    committed = await poll(() => rpc.fileByCommitment(root, size, options), Boolean, { timeoutMs: 30_000, intervalMs: 500, signal });
    if (!committed) throw new TransferError('commitment', `the node's best block does not show the commitment of ${toHex(root)} (${size} bytes)`);
    onProgress?.({ phase: 'commit', done: 1, total: 1 });
  }
  const fileId = committed.id;

  const assigned = await poll(() => rpc.replicas(fileId, options), (found) => found.length > 0, { timeoutMs: 30_000, signal });
  if (assigned.length === 0) {
    throw new TransferError('assignment', `no provider was assigned file #${fileId} within 30 s; the chain assigns it later: run the upload again then`);
  }
  onProgress?.({ phase: 'assign', done: assigned.length, total: assigned.length });

  let uploadedTo = null;
  let uploadedSegments = 0;
  if (!assigned.every((replica) => replica.acknowledged)) {
    ({ uploadedTo, uploadedSegments } = await deliver(rpc, file, hashed, assigned, { parallel, onProgress, signal }));
  }

  const settled = await poll(
    () => rpc.replicas(fileId, options),
    (found) => found.length > 0 && found.every((replica) => replica.acknowledged),
    { timeoutMs, signal },
  );
  const acknowledged = settled.filter((replica) => replica.acknowledged).length;
  onProgress?.({ phase: 'acknowledge', done: acknowledged, total: settled.length });
  if (acknowledged < settled.length) {
    throw new TransferError('acknowledgement', `${acknowledged} of ${settled.length} providers acknowledged file #${fileId} within ${timeoutMs / 1000} s; run the upload again to resume`);
  }
  return {
    root: toHex(root), size, fileId, submitted, uploadedSegments, uploadedTo,
    replicas: settled.map(({ provider, acknowledged: acked, endpoint }) => ({ provider: toHex(provider), acknowledged: acked, endpoint })),
  };
}

/**
 * Sends the file once, to the first node that takes it for an assigned provider: the client's
 * node, then each provider's endpoint (a node that does not see the assignment yet is asked
 * again for a few seconds). The other providers' nodes fetch it from there.
 */
async function deliver(rpc, file, hashed, assigned, { parallel, onProgress, signal }) {
  const refusals = [];
  const candidates = [];
  const local = await rpc.dataPlane({ signal }).catch(() => null);
  if (local) candidates.push({ plane: local, retryMs: 0 });
  for (const replica of assigned) {
    if (replica.acknowledged || candidates.some(({ plane }) => sameNode(plane.url, replica.endpoint))) continue;
    try {
      candidates.push({ plane: new DataPlane(replica.endpoint), retryMs: 8000 });
    } catch (error) {
      refusals.push(`${replica.endpoint}: ${error.message}`);
    }
  }
  for (const { plane, retryMs } of candidates) {
    const deadline = Date.now() + retryMs;
    for (;;) {
      try {
        const status = await plane.status(hashed.root, hashed.size, { signal }).catch(() => null);
        const sentBefore = status ? status.segmentsStored : 0;
        const sent = await sendMissing(plane, file, hashed, { parallel, onProgress, signal, sentBefore });
        return { uploadedTo: plane.url, uploadedSegments: sent };
      } catch (error) {
        if (signal?.aborted || error instanceof TransferError) throw error;
        if (error instanceof DataPlaneError && error.name === 'NotAssigned' && Date.now() < deadline) {
          await sleep(1000, signal);
          continue;
        }
        refusals.push(`${plane.url}: ${error.message}`);
        break;
      }
    }
  }
  throw new TransferError('delivery', `no node took the file: ${refusals.join('; ') || 'no provider endpoint is a data-plane URL'}. The file is committed on chain; run the upload again once a provider is reachable`);
}

/**
 * Downloads the file committed with `root` (and `size`, needed when several live files share
 * the root), checking every segment against the commitment.
 *
 * - `node`: the node's RPC URL or a `ZeroGNode`; its data plane and every provider that
 *   acknowledged the file are the sources, after any `sources` (data-plane URLs) given.
 * - `parallel` segments in flight (4); `onProgress({ phase: 'download', done, total })` in
 *   segments; `signal`.
 *
 * Resolves with `{ data, fileId, size, sources }`, `sources` saying what each one gave and
 * why one was dropped.
 */
export async function downloadFile({ node, root, size, sources: extra = [], parallel = 4, onProgress, signal }) {
  const rpc = nodeOf(node);
  const rootValue = rootBytes(root);
  const file = await chainFile(rpc, rootValue, size, signal);
  const fileSize = Number(file.size);
  const urls = [...extra];
  const local = await rpc.dataPlane({ signal }).catch(() => null);
  if (local) urls.push(local.url);
  for (const replica of await rpc.replicas(file.id, { signal })) {
    if (replica.acknowledged && /^https?:\/\//i.test(replica.endpoint)) urls.push(replica.endpoint);
  }
  const sources = [];
  for (const url of urls) {
    if (!sources.some((source) => sameNode(source.url, url))) sources.push({ url, plane: new DataPlane(url), segments: 0, error: null });
  }
  if (sources.length === 0) throw new TransferError('sources', `nobody serves file #${file.id}: no data plane on the node and no provider acknowledged it`);

  const segments = Number(segmentCount(fileSize));
  const data = new Uint8Array(fileSize);
  let next = 0;
  let done = 0;
  const fetchSegment = async (index) => {
    const reasons = [];
    for (let attempt = 0; attempt < sources.length; attempt++) {
      const source = sources[(index + attempt) % sources.length];
      if (source.error) continue;
      try {
        const { proof, data: bytes } = await source.plane.getSegmentUnverified(rootValue, fileSize, index, { signal });
        verifySegment(proof, rootValue, fileSize, index, bytes);
        data.set(bytes, index * SEGMENT_SIZE);
        source.segments++;
        return;
      } catch (error) {
        if (signal?.aborted) throw error;
        reasons.push(`${source.url}: ${error.message}`);
        // A source that lies or is gone is not asked again; one that lacks the segment is.
        if (error instanceof ProofError || !(error instanceof DataPlaneError && error.kind === 'refused')) {
          source.error = error instanceof ProofError ? `sent a segment that does not verify (${error.code})` : error.message;
        }
      }
    }
    throw new TransferError('segment', `no source gave a verified segment ${index}: ${reasons.join('; ') || 'every source was dropped'}`);
  };
  const worker = async () => {
    while (next < segments) {
      await fetchSegment(next++);
      onProgress?.({ phase: 'download', done: ++done, total: segments });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(parallel, segments)) }, worker));
  return {
    data, fileId: file.id, size: fileSize,
    sources: sources.map(({ url, segments: count, error }) => ({ url, segments: count, error })),
  };
}

/** The one live file with `root` (and `size` when given), or a `TransferError` saying why not. */
async function chainFile(rpc, root, size, signal) {
  if (size !== undefined) {
    const file = await rpc.fileByCommitment(root, size, { signal });
    if (!file) throw new TransferError('unknown', `no live file with root ${toHex(root)} and size ${size} is committed on chain`);
    return file;
  }
  const files = await rpc.filesByRoot(root, { signal });
  if (files.length === 1) return files[0];
  if (files.length === 0) throw new TransferError('unknown', `no live file with root ${toHex(root)} is committed on chain`);
  throw new TransferError('ambiguous', `${files.length} live files share root ${toHex(root)} (sizes ${files.map((f) => f.size).join(', ')}); pass size`);
}
