// @zerog/sdk's encryption and marketplace modules. First against the vectors the Rust code
// writes to sdk/conformance/encryption.json (account keys from secret URIs, encrypted files,
// sealed keys), then on a real `zerog-node --dev`: a dataset encrypted and uploaded with the
// SDK is sold to Bob, its key sealed with the SDK, and Bob's download decrypts byte-identical
// with the SDK and with the Rust CLI; a key the CLI delivers opens in the SDK; strangers,
// pending requests and keys not yet delivered are refused by name.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { u8aToHex, hexToU8a } from '@polkadot/util';
import {
  EncryptionError, HEADER_LEN, TAG_LEN, accountEncryptionKey, encryptedLength, loadEncryption, parseHeader, sr25519Account,
} from '@zerog/sdk/encryption';
import { Marketplace, MarketplaceError } from '@zerog/sdk/marketplace';
import { uploadFile } from '@zerog/sdk/files';
import { substrateSigner } from '@zerog/sdk/signers';
import { startDevNode, cliBinary } from '../lib/node.mjs';
import { connectApi, keyring, sendAll, ZG } from '../lib/substrate.mjs';

const run = promisify(execFile);
const vectors = JSON.parse(readFileSync(new URL('../../../sdk/conformance/encryption.json', import.meta.url), 'utf8'));
/** Byte `i` is `i % 251 + 1`, as the Rust vectors' plaintexts. */
const pattern = (length) => Uint8Array.from({ length }, (_, i) => (i % 251) + 1);
const sha256 = (bytes) => `0x${createHash('sha256').update(bytes).digest('hex')}`;

let encryption;

before(async () => {
  encryption = await loadEncryption();
});

/** Asserts `fn` throws an `EncryptionError` named `name`. */
function refuses(fn, name) {
  assert.throws(fn, (error) => error instanceof EncryptionError && error.name === name, `expected ${name}`);
}

test('account keys from secret URIs are the Rust code\'s', async () => {
  for (const vector of vectors.accounts) {
    const { publicKey, secretKey } = await sr25519Account(vector.suri);
    assert.equal(u8aToHex(secretKey), vector.sr25519Key, vector.suri);
    const pair = encryption.accountKey(secretKey);
    assert.equal(u8aToHex(pair.secretKey), vector.x25519Secret, vector.suri);
    assert.equal(u8aToHex(pair.publicKey), vector.x25519Public, vector.suri);
    // The account is the one polkadot-js signs with.
    assert.equal(u8aToHex(publicKey), u8aToHex(keyring().addFromUri(vector.suri).publicKey), vector.suri);
    assert.equal(u8aToHex((await accountEncryptionKey(vector.suri)).publicKey), vector.x25519Public);
  }
  await assert.rejects(sr25519Account('not a phrase at all//x'), (error) => error.name === 'BadSecretUri');
});

test('files encrypt to the Rust code\'s bytes and decrypt back; altered files are refused', () => {
  for (const vector of vectors.files) {
    const plain = pattern(vector.plainLength);
    const key = hexToU8a(vector.key);
    const { data } = encryption.encrypt(plain, { key, salt: hexToU8a(vector.salt), chunkSize: vector.chunkSize });
    assert.equal(data.length, vector.encryptedLength, vector.name);
    assert.equal(encryptedLength(vector.plainLength, vector.chunkSize), vector.encryptedLength, vector.name);
    if (vector.encrypted) assert.equal(u8aToHex(data), vector.encrypted, vector.name);
    else assert.equal(sha256(data), vector.encryptedSha256, vector.name);
    assert.deepEqual(encryption.decrypt(data, key), plain, vector.name);
  }
  const multi = vectors.files.find((vector) => vector.name === 'one byte past a chunk');
  const data = hexToU8a(multi.encrypted);
  const key = hexToU8a(multi.key);
  // A flipped bit in the second chunk, another key, a file cut at the chunk boundary, a file
  // that is not encrypted: each refused by name, nothing returned.
  const flipped = data.slice();
  flipped[HEADER_LEN + 16 + TAG_LEN] ^= 1;
  assert.throws(() => encryption.decrypt(flipped, key), (error) => error.name === 'WrongKeyOrCorrupt' && /chunk 1/.test(error.message));
  refuses(() => encryption.decrypt(data, new Uint8Array(32)), 'WrongKeyOrCorrupt');
  refuses(() => encryption.decrypt(data.slice(0, HEADER_LEN + 16 + TAG_LEN), key), 'WrongKeyOrCorrupt');
  refuses(() => encryption.decrypt(pattern(100), key), 'NotEncrypted');
  refuses(() => encryption.decrypt(data.slice(0, 10), key), 'Truncated');
  const huge = data.slice();
  huge[7] = 0x7f;
  refuses(() => parseHeader(huge), 'BadChunkSize');
  refuses(() => encryption.decrypt(data, new Uint8Array(31)), 'BadKey');
  refuses(() => encryption.encryptChunk(key, data.slice(0, HEADER_LEN), 0, true, new Uint8Array(17)), 'ChunkTooLong');
  // A fresh encryption uses a fresh key and salt.
  const first = encryption.encrypt(pattern(10));
  const second = encryption.encrypt(pattern(10));
  assert.notEqual(u8aToHex(first.key), u8aToHex(second.key));
  assert.notEqual(u8aToHex(parseHeader(first.data).salt), u8aToHex(parseHeader(second.data).salt));
});

test('keys seal to the Rust code\'s bytes and open with the recipient\'s secret only', () => {
  for (const vector of vectors.sealedKeys) {
    const sealed = encryption.sealKey(hexToU8a(vector.recipientPublic), hexToU8a(vector.contentKey), hexToU8a(vector.ephemeralSecret));
    assert.equal(u8aToHex(sealed), vector.sealed);
    assert.equal(u8aToHex(encryption.openKey(hexToU8a(vector.recipientSecret), sealed)), vector.contentKey);
    refuses(() => encryption.openKey(new Uint8Array(32).fill(1), sealed), 'WrongKeyOrCorrupt');
    refuses(() => encryption.openKey(hexToU8a(vector.recipientSecret), sealed.slice(0, 79)), 'BadSealedKeyLength');
  }
  // A low-order point as the recipient would make the sealed key public.
  refuses(() => encryption.sealKey(new Uint8Array(32), new Uint8Array(32)), 'WeakPublicKey');
});

test('on a dev node: a dataset encrypted with the SDK is sold, delivered and decrypted by its buyer only', async (t) => {
  const node = await startDevNode('sdk-encryption');
  const api = await connectApi(node.wsUrl);
  t.after(async () => { await api.disconnect(); await node.stop(); });
  const market = new Marketplace(node.wsUrl);
  const [alice, bob, charlie, dave] = ['//Alice', '//Bob', '//Charlie', '//Dave'].map((suri) => keyring().addFromUri(suri));

  // Alice encrypts a dataset and stores the ciphertext.
  const dataset = new Uint8Array(randomBytes(150_000));
  const { data: ciphertext, key } = encryption.encrypt(dataset);
  const stored = await uploadFile({ node: node.wsUrl, file: ciphertext, signer: substrateSigner({ api, pair: alice }) });
  const assetId = await market.nextAssetId();
  await sendAll(api, [{
    tx: api.tx.marketplace.registerAsset('Dataset', 'sdk-dataset', '1.0', 'CC-BY-4.0', stored.root, stored.size, null, true, 'Paid', ZG, 100),
    signer: alice,
  }]);
  const asset = await market.asset(assetId);
  assert.equal(asset.name, 'sdk-dataset');
  assert.equal(asset.kind, 'Dataset');
  assert.equal(asset.policy, 'Paid');
  assert.equal(asset.encrypted, true);
  assert.equal(u8aToHex(asset.root), stored.root);
  assert.ok((await market.assets(0, 256)).some((listed) => listed.id === assetId));

  // Bob registers the x25519 key of his secret URI and buys; the price is held until delivery.
  const bobKeys = await accountEncryptionKey('//Bob');
  const daveKeys = await accountEncryptionKey('//Dave');
  await sendAll(api, [
    { tx: api.tx.marketplace.registerEncryptionKey(bobKeys.publicKey), signer: bob },
    { tx: api.tx.marketplace.registerEncryptionKey(daveKeys.publicKey), signer: dave },
  ]);
  await sendAll(api, [
    { tx: api.tx.marketplace.buyAccess(assetId, 'Download', ZG), signer: bob },
    { tx: api.tx.marketplace.buyAccess(assetId, 'Download', ZG), signer: dave },
  ]);
  assert.equal(u8aToHex(await market.encryptionKey(bob.address)), u8aToHex(bobKeys.publicKey));
  const bought = await market.grant(assetId, bob.address);
  assert.equal(bought.scope, 'Download');
  assert.equal(bought.escrow.amount, ZG);
  assert.equal(bought.key, null);
  await assert.rejects(market.download(assetId, { suri: '//Bob' }), (error) => error instanceof MarketplaceError && error.reason === 'KeyNotDelivered');

  // Alice seals the content key to Bob's registered key with the SDK and delivers it.
  const sealed = await market.sealFor(bob.address, key);
  await sendAll(api, [{ tx: api.tx.marketplace.deliverKey(assetId, bob.address, u8aToHex(sealed)), signer: alice }]);
  const delivered = await market.grant(assetId, bob.address);
  assert.equal(u8aToHex(delivered.key.sealed), u8aToHex(sealed));
  assert.equal(delivered.escrow, null);

  // Bob downloads it verified and decrypted, with the SDK and with the Rust CLI.
  const progress = [];
  const downloaded = await market.download(assetId, { suri: '//Bob', onProgress: (event) => progress.push(event) });
  assert.deepEqual(downloaded.data, dataset);
  assert.ok(progress.length > 0);
  const dir = mkdtempSync(join(tmpdir(), 'zerog-sdk-encryption-'));
  await run(cliBinary, ['market', 'download', String(assetId), '-o', join(dir, 'bob.bin'), '--suri', '//Bob', '--rpc', node.wsUrl], { timeout: 120_000 });
  assert.deepEqual(new Uint8Array(readFileSync(join(dir, 'bob.bin'))), dataset);

  // The CLI delivers Dave's key from a key file; the SDK opens it.
  const keyFile = join(dir, 'dataset.key');
  writeFileSync(keyFile, `${u8aToHex(key)}\n`, { mode: 0o600 });
  await run(cliBinary, ['market', 'deliver-key', String(assetId), dave.address, '--key-file', keyFile, '--rpc', node.wsUrl], { timeout: 120_000 });
  assert.deepEqual((await market.download(assetId, { suri: '//Dave' })).data, dataset);

  // Charlie holds no grant; Bob's sealed key does not open with Charlie's secret; a key the
  // caller holds decrypts without a grant, and the wrong one is refused.
  await assert.rejects(market.download(assetId, { suri: '//Charlie' }), (error) => error.reason === 'NoGrant');
  const charlieKeys = await accountEncryptionKey('//Charlie');
  await assert.rejects(
    market.deliveredKey(assetId, { account: bob.address, secretKey: charlieKeys.secretKey }),
    (error) => error.reason === 'KeyDoesNotOpen',
  );
  assert.deepEqual((await market.download(assetId, { contentKey: key })).data, dataset);
  await assert.rejects(market.download(assetId, { contentKey: new Uint8Array(32) }), (error) => error.name === 'WrongKeyOrCorrupt');
  await assert.rejects(market.sealFor(charlie.address, key), (error) => error.reason === 'NoEncryptionKey');
  await assert.rejects(market.download(assetId + 1000n, { suri: '//Bob' }), (error) => error.reason === 'UnknownAsset');

  // The same file as a gated asset: Charlie's request is pending, then granted for compute
  // only, then for download until a block that passes before any key arrives.
  const gated = await market.nextAssetId();
  await sendAll(api, [
    { tx: api.tx.marketplace.registerAsset('Dataset', 'sdk-gated', '1.0', 'CC-BY-4.0', stored.root, stored.size, null, true, 'Gated', 0, 100), signer: alice },
    { tx: api.tx.marketplace.registerEncryptionKey(charlieKeys.publicKey), signer: charlie },
  ]);
  await sendAll(api, [{ tx: api.tx.marketplace.requestAccess(gated, 'Download'), signer: charlie }]);
  await assert.rejects(market.download(gated, { suri: '//Charlie' }), (error) => error.reason === 'RequestPending');
  let best = await market.bestBlock();
  await sendAll(api, [{ tx: api.tx.marketplace.grantAccess(gated, charlie.address, 'Compute', best + 50), signer: alice }]);
  await assert.rejects(market.download(gated, { suri: '//Charlie' }), (error) => error.reason === 'ComputeOnly');
  best = await market.bestBlock();
  const expiresAt = best + 6;
  await sendAll(api, [{ tx: api.tx.marketplace.grantAccess(gated, charlie.address, 'Download', expiresAt), signer: alice }]);
  for (let waited = 0; await market.bestBlock() < expiresAt; waited += 500) {
    assert.ok(waited < 60_000, `block ${expiresAt} not reached in a minute`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  await assert.rejects(market.download(gated, { suri: '//Charlie' }), (error) => error.reason === 'GrantExpired');
});
