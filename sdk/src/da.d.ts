// Types of `@zerog/sdk/da`: DA erasure coding (zerog-primitives compiled to WebAssembly).
import type { BlobCommitment } from './signers.js';

export type { BlobCommitment };

export const DEFAULT_DATA_SHARDS: 16;
export const DEFAULT_PARITY_SHARDS: 32;
export const MAX_BLOB_SIZE: number;

/** `name` is the Rust `da::Error` variant (`ProofMismatch`, `NotEnoughShards`, ...). */
export class DaError extends Error {}

/** A shard's place in the committed tree. */
export interface ShardProof {
  index: number;
  siblings: Uint8Array[];
  fingerprints: Uint8Array;
}

export interface EncodedBlob {
  commitment: BlobCommitment;
  shards: Uint8Array[];
  proofs: ShardProof[];
  fingerprints: Uint8Array;
}

export interface Shard {
  index: number;
  data: Uint8Array;
  proof: ShardProof;
}

export function encodeCommitment(commitment: BlobCommitment): Uint8Array;
export function decodeCommitment(bytes: Uint8Array): BlobCommitment;
export function encodeShardProof(proof: ShardProof): Uint8Array;
export function decodeShardProof(bytes: Uint8Array): ShardProof;

export class DaCoding {
  encodeBlob(blob: Uint8Array, coding?: { dataShards?: number; parityShards?: number }): EncodedBlob;
  verifyShard(commitment: BlobCommitment, index: number, shard: Uint8Array, proof: ShardProof): void;
  decodeBlob(commitment: BlobCommitment, shards: Shard[]): Uint8Array;
}

export function loadDaCoding(source?: string | URL | Uint8Array | ArrayBuffer | WebAssembly.Module): Promise<DaCoding>;
