// ZeroG data availability for JavaScript: a blob erasure-coded into committed shards, a shard
// checked against its commitment, a blob rebuilt from any k shards. The coding is the Rust code
// of `zerog_primitives::da` compiled to WebAssembly (sdk/wasm, built into dist/zerog_sdk.wasm by
// sdk/wasm/build.sh), so the SDK's commitments are the node's, the CLI's and the runtime's;
// `sdk/conformance/da.json`, written by the Rust code, is checked against this module.
// wasm.js loads the module and speaks its ABI.
import { compact, concat, le, readAll } from './bytes.js';
import { defaultWasmModule, WasmInstance, wasmModule } from './wasm.js';

/** Default number of data shards (k). */
export const DEFAULT_DATA_SHARDS = 16;
/** Default number of parity shards (m): a code rate of 1/3. */
export const DEFAULT_PARITY_SHARDS = 32;
/** Largest blob, in bytes. */
export const MAX_BLOB_SIZE = 32 * 1024 * 1024;

/** A coding, verification or decoding failure; `name` is the Rust `da::Error` variant's. */
export class DaError extends Error {
  constructor(name, message) {
    super(`${name}: ${message}`);
    this.name = name;
  }
}

/** SCALE of a `BlobCommitment`: root, size (u32), data shards (u16), parity shards (u16). */
export function encodeCommitment({ root, sizeBytes, dataShards, parityShards }) {
  if (root.length !== 32) throw new TypeError('a blob root is 32 bytes');
  return concat(root, le(sizeBytes, 4), le(dataShards, 2), le(parityShards, 2));
}

function readCommitment(reader) {
  return {
    root: reader.bytes(32),
    sizeBytes: Number(reader.uint(4)),
    dataShards: Number(reader.uint(2)),
    parityShards: Number(reader.uint(2)),
  };
}

function readShardProof(reader) {
  return { index: Number(reader.uint(2)), siblings: reader.vec((r) => r.bytes(32)), fingerprints: reader.bytes(32) };
}

/** Decodes all of `bytes` with `read`, as a `DaError('Malformed')` when they do not decode. */
function decodeAll(bytes, read, what) {
  return readAll(bytes, read, (error) => new DaError('Malformed', `${what} does not decode: ${error.message}`));
}

/** Decodes the SCALE of a `BlobCommitment`. */
export function decodeCommitment(bytes) {
  return decodeAll(bytes, readCommitment, 'the commitment');
}

/** SCALE of a `ShardProof`: index (u16), siblings (a vector of 32-byte hashes), fingerprints hash. */
export function encodeShardProof({ index, siblings, fingerprints }) {
  return concat(le(index, 2), compact(siblings.length), ...siblings, fingerprints);
}

/** Decodes the SCALE of a `ShardProof`. */
export function decodeShardProof(bytes) {
  return decodeAll(bytes, readShardProof, 'the shard proof');
}

/** SCALE of a `Vec<u8>`. */
const vecU8 = (bytes) => concat(compact(bytes.length), bytes);

/** A `DaError` (the loader's and the module's failures). */
const daFailure = (name, message) => new DaError(name, message);

/** The DA coding of one WebAssembly instance. Get one with `loadDaCoding()`. */
export class DaCoding {
  #wasm;

  constructor(module) {
    this.#wasm = new WasmInstance(module, daFailure);
  }

  /**
   * Erasure-codes `blob` into `dataShards` + `parityShards` shards and commits to them:
   * `{ commitment, shards, proofs, fingerprints }` (`shards[i]` is shard i, `proofs[i]` its proof).
   */
  encodeBlob(blob, { dataShards = DEFAULT_DATA_SHARDS, parityShards = DEFAULT_PARITY_SHARDS } = {}) {
    if (blob.length > MAX_BLOB_SIZE) throw new DaError('BlobTooLarge', `blob of ${blob.length} bytes is over the limit of ${MAX_BLOB_SIZE} bytes`);
    const output = this.#wasm.call('zg_encode_blob', blob, dataShards, parityShards);
    return decodeAll(output, (r) => ({
      commitment: readCommitment(r),
      shards: r.vec((s) => s.vecU8()),
      proofs: r.vec(readShardProof),
      fingerprints: r.vecU8(),
    }), 'the encoded blob');
  }

  /** Throws a `DaError` unless `shard` is shard `index` of the blob `commitment` commits to. */
  verifyShard(commitment, index, shard, proof) {
    this.#wasm.call('zg_verify_shard', concat(encodeCommitment(commitment), le(index, 2), vecU8(shard), encodeShardProof(proof)));
  }

  /**
   * The blob from at least `k` of its shards (`[{ index, data, proof }]`), each checked against
   * `commitment` and the result re-encoded and checked against the root.
   */
  decodeBlob(commitment, shards) {
    const items = shards.map(({ index, data, proof }) => concat(le(index, 2), vecU8(data), encodeShardProof(proof)));
    return this.#wasm.call('zg_decode_blob', concat(encodeCommitment(commitment), compact(items.length), ...items));
  }
}

let loaded = null;

/**
 * Loads the DA coding: from `source` (a URL, a file path in Node, the module's bytes or a
 * compiled `WebAssembly.Module`), or by default from the package's `dist/zerog_sdk.wasm` (a
 * bundler for the browser may need it served beside the bundle and passed here as a URL). The
 * default one is loaded once.
 */
export function loadDaCoding(source) {
  if (source !== undefined) return wasmModule(source, daFailure).then((module) => new DaCoding(module));
  loaded ??= defaultWasmModule(daFailure).then((module) => new DaCoding(module), (error) => { loaded = null; throw error; });
  return loaded;
}
