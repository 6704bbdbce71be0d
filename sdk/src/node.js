// Talking to a ZeroG node with nothing but `fetch` (Node 18+ and browsers): its JSON-RPC for
// control and small reads (runtime APIs through `state_call`), and its storage data plane for
// segments (binary over HTTP, `zerog_primitives::storage::transport`). Nothing a node answers
// is trusted further than its type: segments are verified by the callers (files.js) against
// the commitment the chain holds.
import { xxhashAsU8a } from '@polkadot/util-crypto';
import { concat, fromHex, le, readAll, toHex } from './bytes.js';
import { decodeSegmentEnvelope, encodeSegmentEnvelope } from './storage.js';

/** Storage refusal codes of the node (`zerog_client::storage`, docs/storage.md). */
export const STORAGE_ERRORS = Object.freeze({
  6001: 'UnknownFile',
  6002: 'InvalidProof',
  6003: 'InvalidParams',
  6004: 'NotStored',
  6005: 'StoreFailed',
  6006: 'NotAssigned',
  6007: 'StoreFull',
});

/** Path under which a node's data plane serves files. */
export const FILES_PATH = '/storage/v1/files';

/** Media type of a segment envelope body. */
export const SEGMENT_MEDIA_TYPE = 'application/vnd.zerog.segment+scale';

/** Most indices one `missing` page returns. */
export const MISSING_PAGE = 4096;

/** A JSON-RPC error answer: the node's `code` and `message`. */
export class RpcError extends Error {
  constructor(url, method, code, message) {
    super(`${method} at ${url}: ${message} (${code})`);
    this.url = url;
    this.method = method;
    this.code = code;
  }
}

/**
 * A data-plane request that failed. `kind` says how: `'refused'` (the node's `code`, named by
 * `name` from `STORAGE_ERRORS`), `'unreachable'`, `'timeout'` or `'malformed'`.
 */
export class DataPlaneError extends Error {
  constructor(kind, url, message, { status, code } = {}) {
    super(`${url}: ${message}`);
    this.kind = kind;
    this.url = url;
    this.status = status;
    this.code = code;
    this.name = code !== undefined ? (STORAGE_ERRORS[code] ?? `Error${code}`) : 'DataPlaneError';
  }
}

/** `http(s)://` for a `ws(s)://` URL (a node serves JSON-RPC over both on one port). */
export function httpUrl(url) {
  return url.replace(/^ws(s?):\/\//i, 'http$1://').replace(/\/+$/, '');
}

/** Whether two URLs name the same host and port, whatever the scheme. */
export function sameNode(a, b) {
  const authority = (url) => {
    const rest = url.includes('://') ? url.split('://')[1] : url;
    return rest.split('/')[0].toLowerCase().replace('localhost', '127.0.0.1');
  };
  return authority(a) === authority(b);
}

/** The storage key of a `StorageValue` `pallet::item`: twox128 of each name. */
function storageValueKey(pallet, item) {
  return concat(xxhashAsU8a(pallet, 128), xxhashAsU8a(item, 128));
}

/** A live file as `StorageCommitmentsApi_files_by_root` encodes it (`FileSummary`). */
function readFileSummary(reader) {
  return {
    id: reader.uint(8),
    root: reader.bytes(32),
    size: reader.uint(8),
    owner: reader.bytes(32),
    submittedAt: Number(reader.uint(4)),
    expiresAt: Number(reader.uint(4)),
    replicasWanted: Number(reader.uint(1)),
    replicasAcked: Number(reader.uint(4)),
  };
}

/** A provider assigned a file, as `StorageCommitmentsApi_replicas` encodes it. */
function readReplica(reader) {
  return {
    provider: reader.bytes(32),
    acknowledged: reader.bool(),
    endpoint: new TextDecoder().decode(reader.vecU8()),
  };
}

/** Decodes all of `bytes` with `read`, naming `what` in the error. */
function decodeAll(bytes, read, what) {
  return readAll(bytes, read, (error) => new TypeError(`cannot decode ${what}: ${error.message}`));
}

/** Bytes of a `0x`-hex root or the bytes themselves, checked to be 32. */
export function rootBytes(root) {
  const bytes = typeof root === 'string' ? fromHex(root) : root;
  if (bytes.length !== 32) throw new TypeError(`a root is 32 bytes, not ${bytes.length}`);
  return bytes;
}

/** A ZeroG node's JSON-RPC endpoint (`http(s)://` or `ws(s)://`, spoken over HTTP). */
export class ZeroGNode {
  #id = 0;

  /** The node at `url`; `timeoutMs` bounds each call. */
  constructor(url, { timeoutMs = 30_000 } = {}) {
    this.url = httpUrl(url);
    this.timeoutMs = timeoutMs;
  }

  /** Calls `method` with `params`; rejects with `RpcError` when the node refuses. */
  async call(method, params = [], { signal } = {}) {
    let response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: ++this.#id, method, params }),
        signal: withTimeout(signal, this.timeoutMs),
      });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw new RpcError(this.url, method, -32000, `the node cannot be reached: ${error.message}`);
    }
    const body = await response.json().catch(() => null);
    if (!body || typeof body !== 'object') throw new RpcError(this.url, method, -32700, `HTTP ${response.status} without a JSON-RPC answer`);
    if (body.error) throw new RpcError(this.url, method, body.error.code, body.error.message);
    return body.result;
  }

  /** Calls the runtime API function `name` with SCALE `args` at the best block; its bytes. */
  async stateCall(name, args = new Uint8Array(0), options) {
    return fromHex(await this.call('state_call', [name, toHex(args)], options));
  }

  /** The live file committed as exactly `(root, size)`, or `null`. */
  async fileByCommitment(root, size, options) {
    const bytes = await this.stateCall('StorageCommitmentsApi_file_by_commitment', concat(rootBytes(root), le(size, 8)), options);
    return decodeAll(bytes, (r) => r.option(readFileSummary), 'a file summary');
  }

  /** The live files committed with `root` (each size one file). */
  async filesByRoot(root, options) {
    const bytes = await this.stateCall('StorageCommitmentsApi_files_by_root', rootBytes(root), options);
    return decodeAll(bytes, (r) => r.vec(readFileSummary), 'file summaries');
  }

  /** The providers the chain assigned file `fileId`: `{ provider, acknowledged, endpoint }`. */
  async replicas(fileId, options) {
    const bytes = await this.stateCall('StorageCommitmentsApi_replicas', le(fileId, 8), options);
    return decodeAll(bytes, (r) => r.vec(readReplica), 'the replicas');
  }

  /** How many storage providers are active (the most replicas a file can get). */
  async activeStorageProviders(options) {
    const value = await this.call('state_getStorage', [toHex(storageValueKey('StorageCommitments', 'ActiveProviders'))], options);
    if (value === null) return 0;
    return decodeAll(fromHex(value), (r) => { const n = r.compact(); r.bytes(32 * n); return n; }, 'the active providers');
  }

  /** The node's own storage data plane (same host, its `storage_dataPort`), or `null`. */
  async dataPlane(options) {
    const port = await this.call('storage_dataPort', [], options);
    if (port === null || port === undefined) return null;
    const host = new URL(this.url).hostname;
    const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
    return new DataPlane(`http://${bracketed}:${port}`);
  }
}

/** `signal` combined with a deadline of `ms`. */
function withTimeout(signal, ms) {
  const deadline = AbortSignal.timeout(ms);
  return signal ? AbortSignal.any([signal, deadline]) : deadline;
}

/** One node's storage data plane: segments as SCALE envelopes over plain HTTP. */
export class DataPlane {
  /** The data plane at `url` (`http(s)://host:port`); `timeoutMs` bounds each request. */
  constructor(url, { timeoutMs = 60_000 } = {}) {
    if (!/^https?:\/\//i.test(url)) throw new TypeError(`a data plane is an http(s):// URL, not ${url}`);
    this.url = url.replace(/\/+$/, '');
    this.timeoutMs = timeoutMs;
  }

  /** Path of the file `(root, size)`. */
  #filePath(root, size) {
    return `${FILES_PATH}/${toHex(rootBytes(root))}/${BigInt(size)}`;
  }

  /** Sends a request; the answer's bytes if it is a 200, else a `DataPlaneError`. */
  async #exchange(method, path, { body, signal } = {}) {
    const url = `${this.url}${path}`;
    let response;
    try {
      response = await fetch(url, {
        method,
        headers: body ? { 'content-type': SEGMENT_MEDIA_TYPE } : undefined,
        body,
        signal: withTimeout(signal, this.timeoutMs),
      });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      const kind = error.name === 'TimeoutError' ? 'timeout' : 'unreachable';
      throw new DataPlaneError(kind, url, `${method} failed: ${error.cause?.message ?? error.message}`);
    }
    const answer = new Uint8Array(await response.arrayBuffer());
    if (response.status === 200) return answer;
    let refusal;
    try {
      refusal = JSON.parse(new TextDecoder().decode(answer));
    } catch { /* not JSON */ }
    if (refusal && Number.isInteger(refusal.code)) {
      throw new DataPlaneError('refused', url, refusal.message, { status: response.status, code: refusal.code });
    }
    throw new DataPlaneError('malformed', url, `HTTP ${response.status} without a storage error`, { status: response.status });
  }

  async #json(method, path, options) {
    const answer = await this.#exchange(method, path, options);
    try {
      return JSON.parse(new TextDecoder().decode(answer));
    } catch (error) {
      throw new DataPlaneError('malformed', `${this.url}${path}`, `the answer is not JSON: ${error.message}`);
    }
  }

  /** What the node holds of `(root, size)`: `{ segments, segmentsStored, finalized, ... }`. */
  status(root, size, options) {
    return this.#json('GET', this.#filePath(root, size), options);
  }

  /** Up to `limit` indices from `from` on of segments of `(root, size)` the node lacks. */
  async missing(root, size, from = 0, limit = MISSING_PAGE, options) {
    const page = await this.#json('GET', `${this.#filePath(root, size)}/missing?from=${from}&limit=${limit}`, options);
    if (!Array.isArray(page?.missing)) throw new DataPlaneError('malformed', this.url, 'a missing page without `missing`');
    return page.missing.map(Number);
  }

  /** Stores segment `index` (its bytes and proof) of `(root, size)` on the node. */
  putSegment(root, size, index, data, proof, options) {
    const body = encodeSegmentEnvelope(proof, data);
    return this.#json('PUT', `${this.#filePath(root, size)}/segments/${index}`, { ...options, body });
  }

  /** Segment `index` of `(root, size)` as the node sends it: `{ proof, data }`, NOT verified. */
  async getSegmentUnverified(root, size, index, options) {
    const answer = await this.#exchange('GET', `${this.#filePath(root, size)}/segments/${index}`, options);
    try {
      return decodeSegmentEnvelope(answer);
    } catch (error) {
      throw new DataPlaneError('malformed', this.url, `segment ${index} does not decode: ${error.message}`);
    }
  }
}
