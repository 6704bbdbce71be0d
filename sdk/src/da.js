// ZeroG data availability for JavaScript: a blob erasure-coded into committed shards, a shard
// checked against its commitment, a blob rebuilt from any k shards. The coding is the Rust code
// of `zerog_primitives::da` compiled to WebAssembly (sdk/wasm, built into dist/zerog_da.wasm by
// sdk/wasm/build.sh), so the SDK's commitments are the node's, the CLI's and the runtime's;
// `sdk/conformance/da.json`, written by the Rust code, is checked against this module.
//
// The module's ABI is plain: SCALE bytes in through `zg_alloc`, a status, SCALE bytes (or an
// error's "Name: message") out through `zg_result_ptr`/`zg_result_len`.
import { compact, concat, le, readAll } from './bytes.js';

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

/** The default module's location: dist/ beside src/ in the package. */
const DEFAULT_WASM = new URL('../dist/zerog_da.wasm', import.meta.url);

/** The module's bytes or compiled module from `source` (see `loadDaCoding`). */
async function wasmModule(source) {
  if (source instanceof WebAssembly.Module) return source;
  if (source instanceof Uint8Array || source instanceof ArrayBuffer) return WebAssembly.compile(source);
  const url = source ?? DEFAULT_WASM;
  const text = String(url);
  const isNode = typeof process !== 'undefined' && process.versions?.node;
  if (isNode && (text.startsWith('file:') || !/^[a-z][a-z0-9+.-]*:/i.test(text))) {
    // Node's fetch cannot read files. The module name is not a literal, so bundlers for the
    // browser leave it alone.
    const fsModule = 'node:fs/promises';
    const { readFile } = await import(/* @vite-ignore */ fsModule);
    try {
      return WebAssembly.compile(await readFile(text.startsWith('file:') ? new URL(text) : text));
    } catch (error) {
      if (error.code === 'ENOENT') throw new DaError('NoWasm', `${text} is missing: build it with sdk/wasm/build.sh`);
      throw error;
    }
  }
  const response = await fetch(url);
  if (!response.ok) throw new DaError('NoWasm', `${text}: HTTP ${response.status}`);
  return WebAssembly.compile(await response.arrayBuffer());
}

/** The DA coding of one WebAssembly instance. Get one with `loadDaCoding()`. */
export class DaCoding {
  #module;
  #instance;

  constructor(module) {
    this.#module = module;
    this.#instance = new WebAssembly.Instance(module, {});
  }

  /** Calls export `name` on `input` (and `args`); the output bytes, or a thrown `DaError`. */
  #call(name, input, ...args) {
    const exports = this.#instance.exports;
    const ptr = exports.zg_alloc(input.length);
    new Uint8Array(exports.memory.buffer, ptr, input.length).set(input);
    let status;
    try {
      status = exports[name](ptr, input.length, ...args);
    } catch (error) {
      // A trap (a panic in the Rust code) leaves the instance unusable: start a fresh one.
      this.#instance = new WebAssembly.Instance(this.#module, {});
      throw new DaError('Trap', `${name} trapped: ${error.message}`);
    }
    exports.zg_free(ptr, input.length);
    const output = new Uint8Array(exports.memory.buffer, exports.zg_result_ptr(), exports.zg_result_len()).slice();
    if (status !== 0) {
      const text = new TextDecoder().decode(output);
      const split = text.indexOf(': ');
      throw new DaError(text.slice(0, split), text.slice(split + 2));
    }
    return output;
  }

  /**
   * Erasure-codes `blob` into `dataShards` + `parityShards` shards and commits to them:
   * `{ commitment, shards, proofs, fingerprints }` (`shards[i]` is shard i, `proofs[i]` its proof).
   */
  encodeBlob(blob, { dataShards = DEFAULT_DATA_SHARDS, parityShards = DEFAULT_PARITY_SHARDS } = {}) {
    if (blob.length > MAX_BLOB_SIZE) throw new DaError('BlobTooLarge', `blob of ${blob.length} bytes is over the limit of ${MAX_BLOB_SIZE} bytes`);
    const output = this.#call('zg_encode_blob', blob, dataShards, parityShards);
    return decodeAll(output, (r) => ({
      commitment: readCommitment(r),
      shards: r.vec((s) => s.vecU8()),
      proofs: r.vec(readShardProof),
      fingerprints: r.vecU8(),
    }), 'the encoded blob');
  }

  /** Throws a `DaError` unless `shard` is shard `index` of the blob `commitment` commits to. */
  verifyShard(commitment, index, shard, proof) {
    this.#call('zg_verify_shard', concat(encodeCommitment(commitment), le(index, 2), vecU8(shard), encodeShardProof(proof)));
  }

  /**
   * The blob from at least `k` of its shards (`[{ index, data, proof }]`), each checked against
   * `commitment` and the result re-encoded and checked against the root.
   */
  decodeBlob(commitment, shards) {
    const items = shards.map(({ index, data, proof }) => concat(le(index, 2), vecU8(data), encodeShardProof(proof)));
    return this.#call('zg_decode_blob', concat(encodeCommitment(commitment), compact(items.length), ...items));
  }
}

let loaded = null;

/**
 * Loads the DA coding: from `source` (a URL, a file path in Node, the module's bytes or a
 * compiled `WebAssembly.Module`), or by default from the package's `dist/zerog_da.wasm` (a
 * bundler for the browser may need it served beside the bundle and passed here as a URL). The
 * default one is loaded once.
 */
export function loadDaCoding(source) {
  if (source !== undefined) return wasmModule(source).then((module) => new DaCoding(module));
  loaded ??= wasmModule().then((module) => new DaCoding(module), (error) => { loaded = null; throw error; });
  return loaded;
}
