// Types of `@zerog/sdk/files`: uploads and verified downloads.
import type { ZeroGNode, Root } from './node.js';
import type { SegmentTree } from './storage.js';
import type { StorageSigner } from './signers.js';

export const DEFAULT_REPLICAS: 3;

export class TransferError extends Error {
  readonly reason:
    | 'empty' | 'signer' | 'providers' | 'commitment' | 'assignment' | 'delivery' | 'changed'
    | 'incomplete' | 'acknowledgement' | 'unknown' | 'ambiguous' | 'sources' | 'segment';
}

export interface Progress {
  phase: 'hash' | 'commit' | 'assign' | 'upload' | 'acknowledge' | 'download';
  done: number;
  total: number;
  url?: string;
}

export type FileSource = Uint8Array | Blob;

export function hashFile(file: FileSource, options?: { onProgress?: (progress: Progress) => void; signal?: AbortSignal }):
  Promise<{ root: Uint8Array; size: number; tree: SegmentTree }>;

export interface UploadOptions {
  node: string | ZeroGNode;
  file: FileSource;
  signer?: StorageSigner;
  replicas?: number;
  tags?: string[];
  parallel?: number;
  timeoutMs?: number;
  onProgress?: (progress: Progress) => void;
  signal?: AbortSignal;
}

export interface UploadResult {
  root: string;
  size: number;
  fileId: bigint;
  /** What the signer returned, `null` when the commitment was live already (a resumed upload). */
  submitted: Awaited<ReturnType<StorageSigner['submitFile']>> | null;
  uploadedSegments: number;
  uploadedTo: string | null;
  replicas: { provider: string; acknowledged: boolean; endpoint: string }[];
}

export function uploadFile(options: UploadOptions): Promise<UploadResult>;

export interface DownloadOptions {
  node: string | ZeroGNode;
  root: Root;
  size?: number | bigint;
  sources?: string[];
  parallel?: number;
  onProgress?: (progress: Progress) => void;
  signal?: AbortSignal;
}

export interface DownloadResult {
  data: Uint8Array;
  fileId: bigint;
  size: number;
  sources: { url: string; segments: number; error: string | null }[];
}

export function downloadFile(options: DownloadOptions): Promise<DownloadResult>;
