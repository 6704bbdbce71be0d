// Types of `@zerog/sdk/signers`: paying from a Substrate account with @polkadot/api.

/** What `uploadFile` asks a signer to commit. */
export interface FileCommitment {
  root: Uint8Array;
  size: bigint;
  tags: string[];
  replicas: number;
}

/** Pays for storage; `substrateSigner` and `ethereumSigner` make one. */
export interface StorageSigner {
  readonly kind: 'substrate' | 'ethereum';
  readonly address: string;
  submitFile(commitment: FileCommitment): Promise<{ fileId: bigint | null; blockHash?: string; transactionHash?: string; blockNumber?: number }>;
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
