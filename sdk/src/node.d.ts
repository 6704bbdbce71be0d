// Types of `@zerog/sdk/node`: a node's JSON-RPC and storage data plane over fetch.
import type { SegmentProof } from './storage.js';

export const STORAGE_ERRORS: Readonly<Record<number, string>>;
export const FILES_PATH: '/storage/v1/files';
export const SEGMENT_MEDIA_TYPE: 'application/vnd.zerog.segment+scale';
export const MISSING_PAGE: 4096;

export class RpcError extends Error {
  readonly url: string;
  readonly method: string;
  readonly code: number;
}

export type DataPlaneErrorKind = 'refused' | 'unreachable' | 'timeout' | 'malformed';

/** A data-plane request that failed; `name` is the storage error's name when refused. */
export class DataPlaneError extends Error {
  readonly kind: DataPlaneErrorKind;
  readonly url: string;
  readonly status?: number;
  readonly code?: number;
}

/** A live file as the chain holds it. */
export interface ChainFile {
  id: bigint;
  root: Uint8Array;
  size: bigint;
  owner: Uint8Array;
  submittedAt: number;
  expiresAt: number;
  replicasWanted: number;
  replicasAcked: number;
}

/** A provider the chain assigned a file. */
export interface Replica {
  provider: Uint8Array;
  acknowledged: boolean;
  endpoint: string;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export type Root = string | Uint8Array;

export function httpUrl(url: string): string;
export function sameNode(a: string, b: string): boolean;
export function rootBytes(root: Root): Uint8Array;

export class ZeroGNode {
  constructor(url: string, options?: { timeoutMs?: number });
  readonly url: string;
  call<T = unknown>(method: string, params?: unknown[], options?: CallOptions): Promise<T>;
  stateCall(name: string, args?: Uint8Array, options?: CallOptions): Promise<Uint8Array>;
  fileByCommitment(root: Root, size: number | bigint, options?: CallOptions): Promise<ChainFile | null>;
  filesByRoot(root: Root, options?: CallOptions): Promise<ChainFile[]>;
  replicas(fileId: number | bigint, options?: CallOptions): Promise<Replica[]>;
  activeStorageProviders(options?: CallOptions): Promise<number>;
  dataPlane(options?: CallOptions): Promise<DataPlane | null>;
}

/** What a node holds of a file. */
export interface FileStatus {
  root: string;
  size: number;
  segments: number;
  segmentsStored: number;
  finalized: boolean;
}

export interface UploadedSegment {
  root: string;
  segmentIndex: number;
  newlyStored: boolean;
  segmentsStored: number;
  segments: number;
  finalized: boolean;
}

export class DataPlane {
  constructor(url: string, options?: { timeoutMs?: number });
  readonly url: string;
  status(root: Root, size: number | bigint, options?: CallOptions): Promise<FileStatus>;
  missing(root: Root, size: number | bigint, from?: number, limit?: number, options?: CallOptions): Promise<number[]>;
  putSegment(root: Root, size: number | bigint, index: number, data: Uint8Array, proof: SegmentProof, options?: CallOptions): Promise<UploadedSegment>;
  /** The segment as sent, not verified: check it with `verifySegment`. */
  getSegmentUnverified(root: Root, size: number | bigint, index: number, options?: CallOptions): Promise<{ proof: SegmentProof; data: Uint8Array }>;
}
