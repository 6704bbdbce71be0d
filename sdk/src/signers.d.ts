// Types of `@zerog/sdk/signers`: paying from a Substrate account with @polkadot/api.

/** What `uploadFile` asks a signer to commit. */
export interface FileCommitment {
  root: Uint8Array;
  size: bigint;
  tags: string[];
  replicas: number;
}

/** A blob commitment as `submitBlob` takes it. */
export interface BlobCommitment {
  root: Uint8Array;
  sizeBytes: number;
  dataShards: number;
  parityShards: number;
}

/** Where a transaction landed: a Substrate block, or an Ethereum transaction and block. */
export interface Inclusion {
  blockHash?: string;
  transactionHash?: string;
  blockNumber?: number;
}

/** Pays for storage and DA; `substrateSigner` and `ethereumSigner` make one. */
export interface StorageSigner {
  readonly kind: 'substrate' | 'ethereum';
  readonly address: string;
  submitFile(commitment: FileCommitment): Promise<Inclusion & { fileId: bigint | null }>;
  submitBlob(args: { commitment: BlobCommitment; namespace: number }): Promise<Inclusion & { blobId: bigint | null }>;
  /** Deposits `amount` into the signer's compute ledger and moves it to `provider`'s sub-account. */
  fundCompute(args: { provider: Uint8Array | string; amount: bigint }): Promise<Inclusion>;
}

export class SubmitError extends Error {
  /** The pallet error (`storageCommitments.InsufficientBalance`), revert reason or pool status. */
  readonly reason: string;
}

/** Structural types of the @polkadot/api objects used (the SDK does not import @polkadot/api). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type PolkadotApi = any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type PolkadotSubmittable = any;

export function signAndWait(
  api: PolkadotApi,
  tx: PolkadotSubmittable,
  signer: unknown,
  options?: object,
): Promise<{ blockHash: string; events: unknown[] }>;

export function substrateSigner(args: { api: PolkadotApi; pair: { address: string } | string; options?: object }): StorageSigner;
