// ZeroG storage commitments for JavaScript: how a file becomes the 32-byte root the chain stores
// with its size, and how a segment or a chunk is proven to belong to it. Byte for byte the rules
// of `zerog_primitives::storage` (primitives/src/storage/mod.rs); `sdk/conformance/storage.json`,
// written by the Rust code, is checked against this module by the tests.
//
// - A chunk is 256 bytes, a segment 1024 chunks (256 KiB). Every hash is keccak-256.
// - A segment's root is the binary tree over its 1024 chunk hashes (a short last chunk padded
//   with zero bytes, missing chunks hashed as 256 zero bytes).
// - A file's root is the binary tree over its segment roots, padded with the root of an
//   all-zero segment up to a power of two; one segment's root is the file's root; an empty
//   file's root is the all-zero segment's root. The commitment is always (root, size).
import { keccakAsU8a } from '@polkadot/util-crypto';
import { compact, concat, equalBytes, le, Reader } from './bytes.js';

/** Bytes of a chunk: a tree leaf, what a challenge asks for and what fees are charged per. */
export const CHUNK_SIZE = 256;
/** Chunks of a segment. */
export const CHUNKS_PER_SEGMENT = 1024;
/** Bytes of a segment (256 KiB): what is uploaded and downloaded with a proof. */
export const SEGMENT_SIZE = CHUNK_SIZE * CHUNKS_PER_SEGMENT;
/** Levels of every segment tree. */
export const SEGMENT_TREE_DEPTH = 10;
/** The deepest file tree a proof can address (2^32 segments). */
export const MAX_FILE_TREE_DEPTH = 32;
/** The largest file a proof can address. */
export const MAX_FILE_SIZE = 2n ** 32n * BigInt(SEGMENT_SIZE);

/** A proof that does not verify, with the Rust `ProofError` variant's name as `code`. */
export class ProofError extends Error {
  constructor(code, message) {
    super(`${code}: ${message}`);
    this.code = code;
  }
}

const hashNode = (left, right) => {
  const both = new Uint8Array(64);
  both.set(left, 0);
  both.set(right, 32);
  return keccakAsU8a(both, 256);
};

/** Leaf hash of a chunk of at most 256 bytes, zero-padded to 256. */
export function hashChunk(chunk) {
  if (chunk.length > CHUNK_SIZE) throw new RangeError('a chunk is at most 256 bytes');
  if (chunk.length === CHUNK_SIZE) return keccakAsU8a(chunk, 256);
  const padded = new Uint8Array(CHUNK_SIZE);
  padded.set(chunk);
  return keccakAsU8a(padded, 256);
}

/** `keccak256` of 256 zero bytes: the leaf that fills a short segment. */
export const EMPTY_CHUNK_HASH = hashChunk(new Uint8Array(0));

/** Roots of all-padding subtrees: `zeros[h]` is the root of a subtree of height `h`. */
function zeroRoots(leaf, height) {
  const zeros = [leaf];
  for (let h = 0; h < height; h++) zeros.push(hashNode(zeros[h], zeros[h]));
  return zeros;
}

const CHUNK_ZEROS = zeroRoots(EMPTY_CHUNK_HASH, SEGMENT_TREE_DEPTH);

/** Root of a segment of 256 KiB of zero bytes: the leaf that fills a file tree. */
export const EMPTY_SEGMENT_ROOT = CHUNK_ZEROS[SEGMENT_TREE_DEPTH];

/** Root of a zero-length file. */
export const EMPTY_FILE_ROOT = EMPTY_SEGMENT_ROOT;

const SEGMENT_ZEROS = zeroRoots(EMPTY_SEGMENT_ROOT, MAX_FILE_TREE_DEPTH);

/** `ceil(log2(n))`, 0 for n <= 1. */
function ceilLog2(n) {
  let depth = 0;
  while (2 ** depth < n) depth++;
  return depth;
}

const toBigInt = (value) => BigInt(value);

/** Chunks of a file of `size` bytes. */
export function chunkCount(size) {
  return (toBigInt(size) + BigInt(CHUNK_SIZE) - 1n) / BigInt(CHUNK_SIZE);
}

/** Segments of a file of `size` bytes. */
export function segmentCount(size) {
  return (toBigInt(size) + BigInt(SEGMENT_SIZE) - 1n) / BigInt(SEGMENT_SIZE);
}

/** Levels of the file tree of a file of `size` bytes: the length of a segment proof's path. */
export function fileTreeDepth(size) {
  return ceilLog2(Number(segmentCount(size)));
}

/**
 * A binary tree built left to right in constant memory: one pending node per level. `root()`
 * pads with the roots of all-padding subtrees (`zeros`).
 */
class Accumulator {
  constructor(zeros, maxDepth) {
    this.zeros = zeros;
    this.maxDepth = maxDepth;
    this.pending = [];
    this.count = 0;
  }

  push(leaf) {
    if (this.count >= 2 ** this.maxDepth) throw new RangeError('tree full');
    let node = leaf;
    let h = 0;
    while (this.pending[h]) {
      node = hashNode(this.pending[h], node);
      this.pending[h] = undefined;
      h++;
    }
    this.pending[h] = node;
    this.count++;
  }

  root(depth) {
    let node = null;
    for (let h = 0; h < depth; h++) {
      if (this.pending[h]) node = hashNode(this.pending[h], node ?? this.zeros[h]);
      else if (node) node = hashNode(node, this.zeros[h]);
    }
    return node ?? this.pending[depth] ?? this.zeros[depth];
  }
}

/** Root of one segment's bytes (at most 256 KiB; the last segment of a file may be short). */
export function segmentRoot(segment) {
  if (segment.length > SEGMENT_SIZE) throw new RangeError('a segment is at most 256 KiB');
  const tree = new Accumulator(CHUNK_ZEROS, SEGMENT_TREE_DEPTH);
  for (let at = 0; at < segment.length; at += CHUNK_SIZE) {
    tree.push(hashChunk(segment.subarray(at, at + CHUNK_SIZE)));
  }
  return tree.root(SEGMENT_TREE_DEPTH);
}

/**
 * Builds a file root from its segment roots, pushed in order, in constant memory: hash a file
 * too large for memory one segment at a time as it is read.
 */
export class FileRootBuilder {
  #tree = new Accumulator(SEGMENT_ZEROS, MAX_FILE_TREE_DEPTH);

  /** Appends the root of the file's next segment. */
  push(root) {
    this.#tree.push(root);
  }

  /** Segments pushed so far. */
  get segmentCount() {
    return this.#tree.count;
  }

  /** Root of the file made of the segments pushed so far. */
  root() {
    return this.#tree.root(ceilLog2(this.#tree.count));
  }
}

/** Root of a file held in memory (a `Uint8Array`). */
export function fileRoot(file) {
  const builder = new FileRootBuilder();
  for (let at = 0; at < file.length; at += SEGMENT_SIZE) {
    builder.push(segmentRoot(file.subarray(at, at + SEGMENT_SIZE)));
  }
  return builder.root();
}

/** The levels of a tree over `leaves`, padded with `zeros` to `2^depth` leaves, lowest first. */
function levels(leaves, zeros, depth) {
  const all = [leaves];
  for (let h = 0; h < depth; h++) {
    const below = all[h];
    const level = [];
    for (let i = 0; i < below.length; i += 2) level.push(hashNode(below[i], below[i + 1] ?? zeros[h]));
    all.push(level);
  }
  return all;
}

/** Siblings of leaf `index` from the bottom up. */
function pathOf(tree, zeros, index) {
  const path = [];
  for (let h = 0; h < tree.length - 1; h++) {
    const sibling = (index >> h) ^ 1;
    path.push(tree[h][sibling] ?? zeros[h]);
  }
  return path;
}

function segmentRoots(file) {
  const roots = [];
  for (let at = 0; at < file.length; at += SEGMENT_SIZE) roots.push(segmentRoot(file.subarray(at, at + SEGMENT_SIZE)));
  return roots;
}

/**
 * The file tree over a file's segment roots: its root and every segment's proof, from 32 bytes
 * a segment (what an upload keeps in memory instead of the file).
 */
export class SegmentTree {
  #levels;

  /** The tree over `roots`, the roots of the file's segments in order (at least one). */
  constructor(roots) {
    if (roots.length === 0) throw new RangeError('a file tree has at least one segment');
    this.#levels = levels(roots, SEGMENT_ZEROS, ceilLog2(roots.length));
  }

  /** Segments of the file. */
  get segmentCount() {
    return this.#levels[0].length;
  }

  /** Root of segment `index`. */
  segmentRoot(index) {
    return this.#levels[0][Number(index)];
  }

  /** The file's root. */
  root() {
    return this.#levels[this.#levels.length - 1][0];
  }

  /** Proof that segment `segmentIndex` belongs to the file: `{ segmentIndex, path }`. */
  proof(segmentIndex) {
    const index = Number(segmentIndex);
    if (!(Number.isInteger(index) && index >= 0 && index < this.segmentCount)) {
      throw new RangeError('segment index past the end of the file');
    }
    return { segmentIndex: BigInt(index), path: pathOf(this.#levels, SEGMENT_ZEROS, index) };
  }
}

/** Proof that segment `segmentIndex` belongs to `file`: `{ segmentIndex, path }`. */
export function segmentProof(file, segmentIndex) {
  const roots = segmentRoots(file);
  const index = Number(segmentIndex);
  if (!(index >= 0 && index < roots.length)) throw new RangeError('segment index past the end of the file');
  return new SegmentTree(roots).proof(index);
}

/** Proof that chunk `chunkIndex` (over the whole file) belongs to `file`. */
export function chunkProof(file, chunkIndex) {
  const index = BigInt(chunkIndex);
  if (index < 0n || index >= chunkCount(file.length)) throw new RangeError('chunk index past the end of the file');
  const segmentIndex = Number(index / BigInt(CHUNKS_PER_SEGMENT));
  const indexInSegment = Number(index % BigInt(CHUNKS_PER_SEGMENT));
  const segment = file.subarray(segmentIndex * SEGMENT_SIZE, (segmentIndex + 1) * SEGMENT_SIZE);
  const leaves = [];
  for (let at = 0; at < segment.length; at += CHUNK_SIZE) leaves.push(hashChunk(segment.subarray(at, at + CHUNK_SIZE)));
  const tree = levels(leaves, CHUNK_ZEROS, SEGMENT_TREE_DEPTH);
  return {
    indexInSegment,
    path: pathOf(tree, CHUNK_ZEROS, indexInSegment),
    segmentProof: segmentProof(file, segmentIndex),
  };
}

function fold(node, index, path) {
  let at = BigInt(index);
  for (const sibling of path) {
    node = at & 1n ? hashNode(sibling, node) : hashNode(node, sibling);
    at >>= 1n;
  }
  return node;
}

function checkSize(size) {
  if (size === 0n) throw new ProofError('FileEmpty', 'an empty file has nothing to prove');
  if (size > MAX_FILE_SIZE) throw new ProofError('FileTooLarge', 'file larger than the largest provable file');
}

/** Bytes segment `index` of a file of `size` bytes has (the last one may be short). */
export function segmentLength(size, index) {
  const start = BigInt(index) * BigInt(SEGMENT_SIZE);
  const end = BigInt(size) < start + BigInt(SEGMENT_SIZE) ? BigInt(size) : start + BigInt(SEGMENT_SIZE);
  return end > start ? Number(end - start) : null;
}

/** Bytes chunk `index` of a file of `size` bytes has (the last one may be short). */
export function chunkLength(size, index) {
  const start = BigInt(index) * BigInt(CHUNK_SIZE);
  const end = BigInt(size) < start + BigInt(CHUNK_SIZE) ? BigInt(size) : start + BigInt(CHUNK_SIZE);
  return end > start ? Number(end - start) : null;
}

/**
 * Checks that `segmentRootBytes` is the root of segment `index` of the file committed as
 * `(root, size)`; throws a `ProofError` named as the Rust verifier's.
 */
export function verifySegmentRoot(proof, root, size, index, segmentRootBytes) {
  const fileSize = BigInt(size);
  checkSize(fileSize);
  if (BigInt(index) >= segmentCount(fileSize)) throw new ProofError('SegmentIndexOutOfRange', 'segment index past the end of the file');
  if (BigInt(proof.segmentIndex) !== BigInt(index)) throw new ProofError('SegmentIndexMismatch', 'proof is for another segment');
  if (proof.path.length !== fileTreeDepth(fileSize)) throw new ProofError('PathLengthMismatch', 'segment path length does not match the file size');
  if (!equalBytes(fold(segmentRootBytes, index, proof.path), root)) throw new ProofError('RootMismatch', 'proof does not lead to the committed root');
}

/** Checks that `segment`, the bytes of segment `index`, belongs to the file `(root, size)`. */
export function verifySegment(proof, root, size, index, segment) {
  checkSize(BigInt(size));
  const expected = segmentLength(size, index);
  if (expected === null) throw new ProofError('SegmentIndexOutOfRange', 'segment index past the end of the file');
  if (segment.length !== expected) throw new ProofError('SegmentLengthMismatch', 'segment length does not match the file size');
  verifySegmentRoot(proof, root, size, index, segmentRoot(segment));
}

/** Checks that `chunk`, the bytes of chunk `index` over the file, belongs to the file `(root, size)`. */
export function verifyChunk(proof, root, size, index, chunk) {
  const fileSize = BigInt(size);
  checkSize(fileSize);
  const at = BigInt(index);
  if (at >= chunkCount(fileSize)) throw new ProofError('ChunkIndexOutOfRange', 'chunk index past the end of the file');
  const segmentIndex = at / BigInt(CHUNKS_PER_SEGMENT);
  const inSegment = at % BigInt(CHUNKS_PER_SEGMENT);
  if (BigInt(proof.segmentProof.segmentIndex) !== segmentIndex || BigInt(proof.indexInSegment) !== inSegment) {
    throw new ProofError('ChunkIndexMismatch', 'proof is for another chunk');
  }
  if (chunk.length !== chunkLength(fileSize, at)) throw new ProofError('ChunkLengthMismatch', 'chunk length does not match the file size');
  const root_ = fold(hashChunk(chunk), inSegment, proof.path);
  verifySegmentRoot(proof.segmentProof, root, fileSize, segmentIndex, root_);
}

/** A segment proof as SCALE, as the chain and the data plane encode it. */
export function encodeSegmentProof(proof) {
  return concat(le(proof.segmentIndex, 8), compact(proof.path.length), ...proof.path);
}

/** A chunk proof as SCALE: what a provider answers a challenge with. */
export function encodeChunkProof(proof) {
  return concat(le(proof.indexInSegment, 2), ...proof.path, encodeSegmentProof(proof.segmentProof));
}

/** Decodes a SCALE segment proof read from `reader` (a `Reader` of bytes.js). */
function readSegmentProof(reader) {
  const segmentIndex = reader.uint(8);
  const path = reader.vec((r) => r.bytes(32));
  return { segmentIndex, path };
}

/** Decodes the SCALE encoding of a segment proof; throws `RangeError` on malformed bytes. */
export function decodeSegmentProof(bytes) {
  const reader = new Reader(bytes);
  const proof = readSegmentProof(reader);
  reader.end();
  return proof;
}

/**
 * A segment with its proof as it travels over the data plane (`SegmentEnvelope` of
 * `zerog_primitives::storage::transport`): the SCALE proof, then the bytes as a `Vec<u8>`.
 */
export function encodeSegmentEnvelope(proof, data) {
  return concat(encodeSegmentProof(proof), compact(data.length), data);
}

/** Decodes a `SegmentEnvelope`: `{ proof, data }`; throws `RangeError` on malformed bytes. */
export function decodeSegmentEnvelope(bytes) {
  const reader = new Reader(bytes);
  const proof = readSegmentProof(reader);
  const data = reader.vecU8();
  reader.end();
  return { proof, data };
}
