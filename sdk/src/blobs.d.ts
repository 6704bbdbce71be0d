// Types of `@zerog/sdk/blobs`: publishing DA blobs, reading and sampling them.
import type { CallOptions, Root, ZeroGNode } from './node.js';
import type { DaCoding } from './da.js';
import type { BlobCommitment, Inclusion, StorageSigner } from './signers.js';

export const DA_ERRORS: Readonly<Record<number, string>>;

/** A blob on chain. */
export interface BlobSummary {
  id: bigint;
  submitter: Uint8Array;
  namespace: number;
  commitment: BlobCommitment;
  epoch: number;
  expiresAt: number;
  certifiedAt: number | null;
  attestedStake: bigint;
  quorum: number;
}

/** A blob's quorum: its members' endpoints and shard ranges. */
export interface BlobAssignment {
  epoch: number;
  quorum: number;
  holders: { account: Uint8Array; endpoint: string; firstShard: number; endShard: number }[];
}

type NodeRef = string | ZeroGNode;

export function blobOf(node: NodeRef, commitment: BlobCommitment, options?: CallOptions): Promise<BlobSummary | null>;
export function blobByRoot(node: NodeRef, root: Root, options?: CallOptions): Promise<BlobSummary | null>;
export function shardHolders(node: NodeRef, commitment: BlobCommitment, options?: CallOptions): Promise<BlobAssignment | null>;
export function certification(node: NodeRef, commitment: BlobCommitment, options?: CallOptions): Promise<number | null>;

export interface MemberReport {
  endpoint: string;
  /** The client's node, when it took the member's shards instead of the member's endpoint. */
  via: string | null;
  shards: number[];
  ok: boolean;
  error: string | null;
}

export function submitBlob(options: {
  node: NodeRef;
  blob: Uint8Array;
  signer?: StorageSigner;
  namespace?: number;
  dataShards?: number;
  parityShards?: number;
  waitMs?: number;
  coding?: DaCoding;
  signal?: AbortSignal;
}): Promise<{
  commitment: BlobCommitment;
  root: string;
  blobId: bigint | null;
  submitted: (Inclusion & { blobId: bigint | null }) | null;
  held: number;
  members: MemberReport[];
  certifiedAt: number | null;
}>;

export function getBlob(options: { node: NodeRef; root?: Root; commitment?: BlobCommitment; coding?: DaCoding; signal?: AbortSignal }):
  Promise<{ data: Uint8Array; commitment: BlobCommitment; blobId: bigint; certifiedAt: number | null; shardsUsed: number }>;

export function sampleBlob(options: { node: NodeRef; root: Root; samples?: number; coding?: DaCoding; signal?: AbortSignal }):
  Promise<{ commitment: BlobCommitment; drawn: number[]; verified: number[]; missing: number[]; confidence: number }>;
