// Types of `@zerog/sdk/storage`: file roots and proofs, byte-compatible with the chain.

export const CHUNK_SIZE: 256;
export const CHUNKS_PER_SEGMENT: 1024;
export const SEGMENT_SIZE: 262144;
export const SEGMENT_TREE_DEPTH: 10;
export const MAX_FILE_TREE_DEPTH: 32;
export const MAX_FILE_SIZE: bigint;
export const EMPTY_CHUNK_HASH: Uint8Array;
export const EMPTY_SEGMENT_ROOT: Uint8Array;
export const EMPTY_FILE_ROOT: Uint8Array;

/** Why a proof does not verify; `code` is the Rust `ProofError` variant's name. */
export class ProofError extends Error {
  code:
    | 'FileEmpty' | 'FileTooLarge' | 'ChunkIndexOutOfRange' | 'SegmentIndexOutOfRange'
    | 'ChunkIndexMismatch' | 'SegmentIndexMismatch' | 'ChunkLengthMismatch'
    | 'SegmentLengthMismatch' | 'PathLengthMismatch' | 'RootMismatch';
}

/** Where a segment sits in its file and its path up the file tree (lowest sibling first). */
export interface SegmentProof {
  segmentIndex: bigint;
  path: Uint8Array[];
}

/** A chunk's place in its segment, its path up the segment tree, and its segment's proof. */
export interface ChunkProof {
  indexInSegment: number;
  path: Uint8Array[];
  segmentProof: SegmentProof;
}

export function hashChunk(chunk: Uint8Array): Uint8Array;
export function segmentRoot(segment: Uint8Array): Uint8Array;
export function fileRoot(file: Uint8Array): Uint8Array;

/** Builds a file root from its segment roots in constant memory. */
export class FileRootBuilder {
  push(segmentRoot: Uint8Array): void;
  readonly segmentCount: number;
  root(): Uint8Array;
}

export function chunkCount(size: number | bigint): bigint;
export function segmentCount(size: number | bigint): bigint;
export function fileTreeDepth(size: number | bigint): number;
export function segmentLength(size: number | bigint, index: number | bigint): number | null;
export function chunkLength(size: number | bigint, index: number | bigint): number | null;

export function segmentProof(file: Uint8Array, segmentIndex: number | bigint): SegmentProof;
export function chunkProof(file: Uint8Array, chunkIndex: number | bigint): ChunkProof;

/** Throw a `ProofError` unless the proof leads to `(root, size)`. */
export function verifySegmentRoot(proof: SegmentProof, root: Uint8Array, size: number | bigint, index: number | bigint, segmentRoot: Uint8Array): void;
export function verifySegment(proof: SegmentProof, root: Uint8Array, size: number | bigint, index: number | bigint, segment: Uint8Array): void;
export function verifyChunk(proof: ChunkProof, root: Uint8Array, size: number | bigint, index: number | bigint, chunk: Uint8Array): void;

/** SCALE encodings, as the chain and the data plane use them. */
export function encodeSegmentProof(proof: SegmentProof): Uint8Array;
export function encodeChunkProof(proof: ChunkProof): Uint8Array;

/** The file tree over a file's segment roots: its root and each segment's proof. */
export class SegmentTree {
  constructor(roots: Uint8Array[]);
  readonly segmentCount: number;
  segmentRoot(index: number | bigint): Uint8Array;
  root(): Uint8Array;
  proof(segmentIndex: number | bigint): SegmentProof;
}

export function decodeSegmentProof(bytes: Uint8Array): SegmentProof;

/** A segment and its proof as the data plane carries them (`SegmentEnvelope`). */
export function encodeSegmentEnvelope(proof: SegmentProof, data: Uint8Array): Uint8Array;
export function decodeSegmentEnvelope(bytes: Uint8Array): { proof: SegmentProof; data: Uint8Array };
