// @zerog/sdk's data availability: the erasure coding (zerog-primitives compiled to WebAssembly,
// sdk/wasm) against the vectors the Rust code writes to sdk/conformance/da.json, then blobs
// published by the SDK on a real `zerog-node --dev` with a Substrate keypair and an Ethereum
// wallet, certified by the dev quorum, read back and sampled by the SDK and by the Rust CLI, and a
// blob the CLI published read by the SDK.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { Contract, JsonRpcProvider } from 'ethers';
import { hexToU8a, u8aToHex } from '@polkadot/util';
import { keccakAsHex } from '@polkadot/util-crypto';
import { DaError, decodeShardProof, encodeCommitment, encodeShardProof, loadDaCoding } from '@zerog/sdk/da';
import { blobByRoot, getBlob, sampleBlob, submitBlob } from '@zerog/sdk/blobs';
import { substrateSigner } from '@zerog/sdk/signers';
import { ethereumSigner, DA_PRECOMPILE, DA_ABI } from '@zerog/sdk/ethereum';
import { startDevNode, cliBinary } from '../lib/node.mjs';
import { devWallet } from '../lib/accounts.mjs';
import { connectApi, keyring } from '../lib/substrate.mjs';

const vectors = JSON.parse(readFileSync(new URL('../../../sdk/conformance/da.json', import.meta.url), 'utf8'));
const pattern = (size) => Uint8Array.from({ length: size }, (_, i) => (i % 251) + 1);
const run = promisify(execFile);

let coding, node, api, provider;

before(async () => {
  coding = await loadDaCoding();
  node = await startDevNode('sdk-da');
  api = await connectApi(node.wsUrl);
  provider = new JsonRpcProvider(node.ethUrl, 16900, { staticNetwork: true });
  provider.pollingInterval = 500;
});

after(async () => {
  provider?.destroy();
  await api?.disconnect();
  await node?.stop();
});

test('blobs encode in WebAssembly byte for byte as zerog-primitives encodes them, and decode from any k shards', () => {
  assert.ok(vectors.blobs.length >= 6);
  for (const vector of vectors.blobs) {
    const blob = pattern(vector.size);
    const encoded = coding.encodeBlob(blob, { dataShards: vector.dataShards, parityShards: vector.parityShards });
    const { commitment, shards, proofs } = encoded;
    assert.equal(u8aToHex(commitment.root), vector.root, vector.name);
    assert.equal(u8aToHex(encodeCommitment(commitment)), vector.commitment, vector.name);
    assert.deepEqual(shards.map((shard) => keccakAsHex(shard, 256)), vector.shardHashes, vector.name);
    assert.equal(shards[0].length, vector.shardBytes);
    assert.equal(keccakAsHex(encoded.fingerprints, 256), vector.fingerprintsHash, vector.name);
    for (const { index, scale } of vector.proofs) {
      assert.equal(u8aToHex(encodeShardProof(proofs[index])), scale, `${vector.name} shard ${index}`);
      assert.deepEqual(decodeShardProof(hexToU8a(scale)), proofs[index]);
      coding.verifyShard(commitment, index, shards[index], proofs[index]);
    }
    // The last k shards (parity shards mostly) rebuild the blob.
    const k = vector.dataShards;
    const last = shards.map((data, index) => ({ index, data, proof: proofs[index] })).slice(-k);
    assert.deepEqual(coding.decodeBlob(commitment, last), blob, vector.name);
  }
});

test('bad shards, bad codings and malformed bytes are refused with the Rust error names', () => {
  const { commitment, shards, proofs } = coding.encodeBlob(pattern(5000), { dataShards: 4, parityShards: 4 });
  const refused = (fn, name) => assert.throws(fn, (e) => e instanceof DaError && e.name === name, name);
  const tampered = Uint8Array.from(shards[2]);
  tampered[7] ^= 1;
  refused(() => coding.verifyShard(commitment, 2, tampered, proofs[2]), 'ProofMismatch');
  refused(() => coding.verifyShard(commitment, 3, shards[2], proofs[2]), 'ProofIndexMismatch');
  refused(() => coding.decodeBlob(commitment, [0, 1, 2].map((i) => ({ index: i, data: shards[i], proof: proofs[i] }))), 'NotEnoughShards');
  refused(() => coding.decodeBlob(commitment, [0, 1, 2, 3].map((i) => ({ index: i, data: i === 1 ? tampered : shards[i], proof: proofs[i] }))), 'ProofMismatch');
  refused(() => coding.encodeBlob(pattern(10), { dataShards: 0, parityShards: 4 }), 'NoDataShards');
  refused(() => coding.encodeBlob(pattern(10), { dataShards: 4, parityShards: 13 }), 'TooManyParityShards');
  refused(() => decodeShardProof(Uint8Array.of(1, 2, 3)), 'Malformed');
  // The instance is still sound after refusals.
  coding.verifyShard(commitment, 2, shards[2], proofs[2]);
});

test('a blob published by the SDK with a Substrate signer is certified and reads back identical, in the SDK and the CLI', async () => {
  const bob = keyring().addFromUri('//Bob');
  const blob = new Uint8Array(randomBytes(200_000));
  const published = await submitBlob({
    node: node.wsUrl, blob, signer: substrateSigner({ api, pair: bob }), namespace: 7,
    dataShards: 4, parityShards: 8, waitMs: 120_000,
  });
  assert.ok(published.certifiedAt > 0, JSON.stringify(published.members));
  assert.equal(published.held, 12);
  assert.equal(published.submitted.blobId, published.blobId);
  assert.ok(published.members.length > 0 && published.members.every((member) => member.ok), JSON.stringify(published.members));
  // Alice's genesis endpoint names the default RPC port; this node listens elsewhere and runs
  // her key, so it took her shards.
  for (const member of published.members) assert.ok(member.via === null || member.via === node.httpUrl, JSON.stringify(member));

  const onChain = await blobByRoot(node.wsUrl, published.root);
  assert.equal(onChain.namespace, 7);
  assert.equal(u8aToHex(onChain.submitter), u8aToHex(bob.publicKey));
  assert.equal(onChain.certifiedAt, published.certifiedAt);

  const got = await getBlob({ node: node.wsUrl, root: published.root });
  assert.deepEqual(got.data, blob);
  assert.equal(got.shardsUsed, 4);

  const sampled = await sampleBlob({ node: node.wsUrl, root: published.root, samples: 6 });
  assert.equal(sampled.drawn.length, 6);
  assert.deepEqual(sampled.verified, sampled.drawn);
  assert.ok(sampled.confidence > 0.99, String(sampled.confidence));

  // The Rust CLI reads the SDK's blob.
  const dir = mkdtempSync(join(tmpdir(), 'zerog-sdk-da-'));
  await run(cliBinary, ['da', 'get', published.root, '--output', join(dir, 'blob'), '--rpc', node.wsUrl], { timeout: 120_000 });
  assert.deepEqual(new Uint8Array(readFileSync(join(dir, 'blob'))), blob);
});

test('an Ethereum wallet pays for a blob through IZeroGDA, and contracts see it certified', async () => {
  const wallet = devWallet(7, provider);
  const blob = new Uint8Array(randomBytes(3000));
  const published = await submitBlob({
    node: node.wsUrl, blob, signer: ethereumSigner(wallet), dataShards: 2, parityShards: 2, waitMs: 120_000,
  });
  assert.ok(published.submitted.transactionHash.startsWith('0x'));
  assert.equal(published.submitted.blobId, published.blobId);
  assert.ok(published.certifiedAt > 0);
  const da = new Contract(DA_PRECOMPILE, DA_ABI, provider);
  assert.equal(await da.isCertified(published.root), true);
  assert.deepEqual((await getBlob({ node: node.wsUrl, root: published.root })).data, blob);
});

test('the SDK reads a blob the Rust CLI published; an unknown root is refused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'zerog-sdk-da-'));
  const blob = new Uint8Array(randomBytes(50_000));
  writeFileSync(join(dir, 'blob'), blob);
  const { stdout } = await run(cliBinary, [
    'da', 'submit', join(dir, 'blob'), '--rpc', node.wsUrl, '--data-shards', '4', '--parity-shards', '4',
    '--wait', '--timeout', '120', '--json',
  ], { timeout: 180_000 });
  const { root } = JSON.parse(stdout);
  const got = await getBlob({ node: node.wsUrl, root });
  assert.deepEqual(got.data, blob);
  await assert.rejects(
    getBlob({ node: node.wsUrl, root: u8aToHex(randomBytes(32)) }),
    (error) => error instanceof DaError && error.name === 'UnknownBlob',
  );
});
