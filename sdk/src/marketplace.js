// The marketplace from JavaScript: read assets, grants and registered encryption keys through
// the node's `MarketplaceApi`, seal a content key to a buyer, and download an asset decrypted
// with the key sealed to you. Transactions (register, buy, grant, deliver) are the pallet's
// calls, sent with @polkadot/api (`api.tx.marketplace.*`) or through the IZeroGMarketplace
// precompile with an Ethereum wallet; this module computes what goes into them.
import { decodeAddress } from '@polkadot/util-crypto';
import { concat, le, readAll, toHex } from './bytes.js';
import { accountEncryptionKey, loadEncryption } from './encryption.js';
import { downloadFile } from './files.js';
import { ZeroGNode } from './node.js';

/** Asset kinds, access policies and scopes, by their SCALE index. */
export const ASSET_KINDS = Object.freeze(['Model', 'Dataset']);
export const ACCESS_POLICIES = Object.freeze(['Public', 'Gated', 'Paid']);
export const ACCESS_SCOPES = Object.freeze(['Download', 'Compute']);

/**
 * Why an asset cannot be read: `reason` is `UnknownAsset`, `NoGrant`, `RequestPending`,
 * `GrantExpired`, `ComputeOnly`, `KeyNotDelivered`, `NoEncryptionKey` or `KeyDoesNotOpen`.
 */
export class MarketplaceError extends Error {
  constructor(reason, message) {
    super(message);
    this.name = 'MarketplaceError';
    this.reason = reason;
  }
}

const text = (bytes) => new TextDecoder().decode(bytes);
const enumOf = (names, reader) => {
  const index = Number(reader.uint(1));
  if (index >= names.length) throw new RangeError(`${index} is not one of ${names.join(', ')}`);
  return names[index];
};

/** An `AssetSummary` as the runtime API encodes it. */
function readAsset(r) {
  return {
    id: r.uint(8),
    owner: r.bytes(32),
    kind: enumOf(ASSET_KINDS, r),
    name: text(r.vecU8()),
    version: text(r.vecU8()),
    license: text(r.vecU8()),
    root: r.bytes(32),
    size: r.uint(8),
    card: r.option((o) => o.bytes(32)),
    encrypted: r.bool(),
    policy: enumOf(ACCESS_POLICIES, r),
    price: r.uint(16),
    accessPeriod: Number(r.uint(4)),
    openGrants: Number(r.uint(4)),
    deployments: Number(r.uint(4)),
    registeredAt: Number(r.uint(4)),
  };
}

/** A `GrantSummary` as the runtime API encodes it (`expiresAt` null: a request not answered). */
function readGrant(r) {
  return {
    scope: enumOf(ACCESS_SCOPES, r),
    expiresAt: r.option((o) => Number(o.uint(4))),
    depositor: r.bytes(32),
    deposit: r.uint(16),
    key: r.option((o) => ({ recipient: o.bytes(32), sealed: o.vecU8() })),
    escrow: r.option((o) => ({ amount: o.uint(16), refundableFrom: Number(o.uint(4)) })),
  };
}

const decode = (bytes, read, what) =>
  readAll(bytes, read, (error) => new TypeError(`cannot decode ${what}: ${error.message}`));

/**
 * The 32 bytes of an account: an SS58 address, `0x` hex of 32 bytes, an Ethereum address (the
 * account it acts as on ZeroG: the address then twelve 0xEE bytes), or the bytes themselves.
 */
export function accountBytes(account) {
  if (typeof account === 'string' && /^0x[0-9a-fA-F]{40}$/.test(account)) {
    return decodeAddress(`${account}${'ee'.repeat(12)}`);
  }
  const bytes = account instanceof Uint8Array ? account : decodeAddress(account);
  if (bytes.length !== 32) throw new TypeError(`an account is 32 bytes, not ${bytes.length}`);
  return bytes;
}

const rpcOf = (node) => (node instanceof ZeroGNode ? node : new ZeroGNode(node));

/** Reads the marketplace of one node (a URL or a `ZeroGNode`). */
export class Marketplace {
  constructor(node) {
    this.node = rpcOf(node);
  }

  /** Asset `id`, or `null`. */
  async asset(id, options) {
    const bytes = await this.node.stateCall('MarketplaceApi_asset', le(id, 8), options);
    return decode(bytes, (r) => r.option(readAsset), 'an asset');
  }

  /** The id the next registered asset gets (assets are numbered from 0). */
  async nextAssetId(options) {
    return decode(await this.node.stateCall('MarketplaceApi_next_asset_id', new Uint8Array(0), options), (r) => r.uint(8), 'an asset id');
  }

  /** Up to `limit` (at most 256) assets from id `from` on, removed ones skipped. */
  async assets(from = 0, limit = 256, options) {
    const args = concat(le(from, 8), le(limit, 4));
    return decode(await this.node.stateCall('MarketplaceApi_assets', args, options), (r) => r.vec(readAsset), 'assets');
  }

  /** The grant (or pending request) of `account` on asset `id`, or `null`. */
  async grant(id, account, options) {
    const args = concat(le(id, 8), accountBytes(account));
    return decode(await this.node.stateCall('MarketplaceApi_grant', args, options), (r) => r.option(readGrant), 'a grant');
  }

  /** The x25519 key `account` registered to receive content keys, or `null`. */
  async encryptionKey(account, options) {
    const bytes = await this.node.stateCall('MarketplaceApi_encryption_key', accountBytes(account), options);
    return decode(bytes, (r) => r.option((o) => o.bytes(32)), 'an encryption key');
  }

  /** The best block's number. */
  async bestBlock(options) {
    const header = await this.node.call('chain_getHeader', [], options);
    return Number.parseInt(header.number, 16);
  }

  /**
   * `contentKey` sealed to the key `grantee` registered: the `sealed` argument of
   * `deliver_key` (`api.tx.marketplace.deliverKey(asset, grantee, sealed)`).
   */
  async sealFor(grantee, contentKey, { encryption } = {}) {
    const recipient = await this.encryptionKey(grantee);
    if (!recipient) throw new MarketplaceError('NoEncryptionKey', `${grantee} has registered no encryption key`);
    return (encryption ?? await loadEncryption()).sealKey(recipient, contentKey);
  }

  /**
   * The content key of asset `id` sealed to the account of secret URI `suri` (or to `account`,
   * opened with its x25519 `secretKey`): refused with a `MarketplaceError` unless it holds an
   * unexpired download grant whose key was delivered and opens.
   */
  async deliveredKey(id, { account, suri, secretKey, encryption } = {}) {
    const wasm = encryption ?? await loadEncryption();
    let secret = secretKey;
    let who = account;
    if (suri !== undefined) {
      const pair = await accountEncryptionKey(suri, { encryption: wasm });
      secret = pair.secretKey;
      who ??= pair.account;
    }
    if (who === undefined || secret === undefined) throw new TypeError('deliveredKey needs `suri`, or `account` and `secretKey`');
    const grant = await this.grant(id, who);
    const name = typeof who === 'string' ? who : toHex(who);
    if (!grant) throw new MarketplaceError('NoGrant', `${name} holds no grant on asset #${id}`);
    if (grant.expiresAt === null) throw new MarketplaceError('RequestPending', `${name}'s request for asset #${id} has not been granted yet`);
    // A grant is active while its expiry is above the block being built.
    if (grant.expiresAt <= await this.bestBlock()) {
      throw new MarketplaceError('GrantExpired', `${name}'s grant on asset #${id} expired at block ${grant.expiresAt}`);
    }
    if (grant.scope !== 'Download') throw new MarketplaceError('ComputeOnly', `${name}'s grant on asset #${id} is for compute only: its key is never delivered`);
    if (!grant.key) throw new MarketplaceError('KeyNotDelivered', `the owner has not delivered the key of asset #${id} to ${name} yet`);
    try {
      return wasm.openKey(secret, grant.key.sealed);
    } catch (error) {
      throw new MarketplaceError('KeyDoesNotOpen', `the key delivered to ${name} does not open: ${error.message}`);
    }
  }

  /**
   * Downloads asset `id` verified against its storage commitment and, when it is encrypted,
   * decrypts it with the key delivered to the caller (see `deliveredKey` for `suri`, `account`,
   * `secretKey`); `contentKey` instead uses a key the caller holds. Other options go to
   * `downloadFile`. Resolves with `{ asset, data, download }`; nothing is returned unless every
   * segment verified and every chunk authenticated.
   */
  async download(id, { contentKey, suri, account, secretKey, encryption, ...options } = {}) {
    const asset = await this.asset(id);
    if (!asset) throw new MarketplaceError('UnknownAsset', `asset #${id} is not registered`);
    const wasm = asset.encrypted ? encryption ?? await loadEncryption() : null;
    const key = !asset.encrypted ? null : contentKey ?? await this.deliveredKey(id, { account, suri, secretKey, encryption: wasm });
    const download = await downloadFile({ ...options, node: this.node, root: asset.root, size: asset.size });
    const data = key ? wasm.decrypt(download.data, key) : download.data;
    return { asset, data, download };
  }
}
