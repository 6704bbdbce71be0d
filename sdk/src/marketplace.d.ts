// Types of `@zerog/sdk/marketplace`: assets, grants and keys through the node's MarketplaceApi.
import type { Encryption } from './encryption.js';
import type { DownloadOptions, DownloadResult } from './files.js';
import type { ZeroGNode } from './node.js';

export type AssetKind = 'Model' | 'Dataset';
export type AccessPolicy = 'Public' | 'Gated' | 'Paid';
export type AccessScope = 'Download' | 'Compute';
export const ASSET_KINDS: readonly AssetKind[];
export const ACCESS_POLICIES: readonly AccessPolicy[];
export const ACCESS_SCOPES: readonly AccessScope[];

export type MarketplaceRefusal =
  | 'UnknownAsset' | 'NoGrant' | 'RequestPending' | 'GrantExpired' | 'ComputeOnly'
  | 'KeyNotDelivered' | 'NoEncryptionKey' | 'KeyDoesNotOpen';

export class MarketplaceError extends Error {
  readonly reason: MarketplaceRefusal;
}

export interface Asset {
  id: bigint;
  owner: Uint8Array;
  kind: AssetKind;
  name: string;
  version: string;
  license: string;
  root: Uint8Array;
  size: bigint;
  card: Uint8Array | null;
  encrypted: boolean;
  policy: AccessPolicy;
  price: bigint;
  accessPeriod: number;
  openGrants: number;
  deployments: number;
  registeredAt: number;
}

export interface Grant {
  scope: AccessScope;
  /** `null`: a request the owner has not answered. */
  expiresAt: number | null;
  depositor: Uint8Array;
  deposit: bigint;
  key: { recipient: Uint8Array; sealed: Uint8Array } | null;
  escrow: { amount: bigint; refundableFrom: number } | null;
}

/** An SS58 address, `0x` hex of 32 bytes, an Ethereum address, or the 32 bytes. */
export type Account = string | Uint8Array;

export interface KeyHolder {
  suri?: string;
  account?: Account;
  secretKey?: Uint8Array;
  encryption?: Encryption;
}

export function accountBytes(account: Account): Uint8Array;

export class Marketplace {
  constructor(node: string | ZeroGNode);
  readonly node: ZeroGNode;
  asset(id: number | bigint, options?: { signal?: AbortSignal }): Promise<Asset | null>;
  nextAssetId(options?: { signal?: AbortSignal }): Promise<bigint>;
  assets(from?: number | bigint, limit?: number, options?: { signal?: AbortSignal }): Promise<Asset[]>;
  grant(id: number | bigint, account: Account, options?: { signal?: AbortSignal }): Promise<Grant | null>;
  encryptionKey(account: Account, options?: { signal?: AbortSignal }): Promise<Uint8Array | null>;
  bestBlock(options?: { signal?: AbortSignal }): Promise<number>;
  sealFor(grantee: Account, contentKey: Uint8Array, options?: { encryption?: Encryption }): Promise<Uint8Array>;
  deliveredKey(id: number | bigint, holder: KeyHolder): Promise<Uint8Array>;
  download(
    id: number | bigint,
    options?: KeyHolder & { contentKey?: Uint8Array } & Omit<DownloadOptions, 'node' | 'root' | 'size'>,
  ): Promise<{ asset: Asset; data: Uint8Array; download: DownloadResult }>;
}
