// @zerog/sdk's uploads and downloads against a real `zerog-node --dev` (Alice is its storage
// provider): a file paid by a Substrate keypair and one paid by an Ethereum wallet through the
// IZeroGStorage precompile come back byte-identical; an aborted upload resumes without paying
// again and sends only what is missing; a source that lies is dropped and the download still
// verifies; bad input is refused with a specific error and commits nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import { JsonRpcProvider, Contract } from 'ethers';
import { u8aToHex } from '@polkadot/util';
import { downloadFile, hashFile, uploadFile, TransferError } from '@zerog/sdk/files';
import { ZeroGNode, DataPlane, DataPlaneError } from '@zerog/sdk/node';
import { substrateSigner, SubmitError } from '@zerog/sdk/signers';
import { ethereumSigner, COMPUTE_PRECOMPILE } from '@zerog/sdk/ethereum';
import { SEGMENT_SIZE, encodeSegmentEnvelope, decodeSegmentEnvelope } from '@zerog/sdk/storage';
import { startDevNode } from '../lib/node.mjs';
import { devWallet } from '../lib/accounts.mjs';
import { interfaceAbi } from '../lib/compile.mjs';
import { connectApi, keyring } from '../lib/substrate.mjs';

let node, api, provider, rpc, bob;

before(async () => {
  node = await startDevNode('sdk-files');
  api = await connectApi(node.wsUrl);
  provider = new JsonRpcProvider(node.ethUrl, 16900, { staticNetwork: true });
  provider.pollingInterval = 500;
  rpc = new ZeroGNode(node.wsUrl);
  bob = keyring().addFromUri('//Bob');
});

after(async () => {
  provider?.destroy();
  await api?.disconnect();
  await node?.stop();
});

/** `length` random bytes. */
const randomFile = (length) => new Uint8Array(randomBytes(length));

test('a file paid by a Substrate keypair uploads with progress and downloads byte-identical', async () => {
  const file = randomFile(2 * SEGMENT_SIZE + 12_345);
  const events = [];
  const result = await uploadFile({
    node: node.wsUrl, file, signer: substrateSigner({ api, pair: bob }), tags: ['dataset', 'sdk'],
    onProgress: (progress) => events.push(progress),
  });
  assert.equal(result.size, file.length);
  assert.equal(result.uploadedSegments, 3);
  assert.equal(result.uploadedTo, node.dataUrl);
  assert.ok(result.submitted.blockHash.startsWith('0x'));
  assert.equal(result.submitted.fileId, result.fileId);
  assert.deepEqual(result.replicas.map((replica) => replica.acknowledged), [true]);

  const phases = new Set(events.map((event) => event.phase));
  for (const phase of ['hash', 'commit', 'assign', 'upload', 'acknowledge']) assert.ok(phases.has(phase), `no ${phase} progress`);
  const hashed = events.filter((event) => event.phase === 'hash').at(-1);
  assert.deepEqual([hashed.done, hashed.total], [file.length, file.length]);
  const uploads = events.filter((event) => event.phase === 'upload').map((event) => event.done);
  assert.deepEqual(uploads, [1, 2, 3]);

  // The chain holds Bob's commitment with the SDK's root, and @polkadot/api sees the same file.
  const onChain = await rpc.fileByCommitment(result.root, file.length);
  assert.equal(u8aToHex(onChain.owner), u8aToHex(bob.publicKey));
  const stored = (await api.query.storageCommitments.files(onChain.id)).unwrap();
  assert.equal(stored.root.toHex(), result.root);
  // (`size` is the field count of a polkadot.js Struct, a Map: read the fields as JSON.)
  assert.equal(BigInt(stored.toJSON().size), BigInt(file.length), JSON.stringify(stored.toJSON()));

  const downloads = [];
  const got = await downloadFile({ node: node.wsUrl, root: result.root, onProgress: (p) => downloads.push(p.done) });
  assert.equal(got.size, file.length);
  assert.ok(Buffer.from(got.data).equals(Buffer.from(file)), 'the download differs from the upload');
  assert.deepEqual(downloads, [1, 2, 3]);
  assert.equal(got.sources.reduce((total, source) => total + source.segments, 0), 3);
  assert.ok(got.sources.every((source) => source.error === null));
});

test('a file paid by an Ethereum wallet through IZeroGStorage uploads and downloads byte-identical', async () => {
  const wallet = devWallet(5, provider);
  const file = randomFile(SEGMENT_SIZE + 1);
  const result = await uploadFile({ node: node.wsUrl, file, signer: ethereumSigner(wallet), replicas: 1 });
  assert.ok(result.submitted.transactionHash.startsWith('0x'));
  assert.equal(result.submitted.fileId, result.fileId);
  assert.equal(result.uploadedSegments, 2);

  // The owner on chain is the account pallet-revive maps the wallet's address to.
  const compute = new Contract(COMPUTE_PRECOMPILE, interfaceAbi('IZeroGCompute'), provider);
  const account = await compute.accountOf(wallet.address);
  const onChain = await rpc.fileByCommitment(result.root, file.length);
  assert.equal(u8aToHex(onChain.owner), account);

  const got = await downloadFile({ node: node.httpUrl, root: result.root, size: file.length });
  assert.ok(Buffer.from(got.data).equals(Buffer.from(file)), 'the download differs from the upload');
});

test('an aborted upload resumes: no second payment, only the missing segments travel', async () => {
  const file = randomFile(3 * SEGMENT_SIZE);
  const controller = new AbortController();
  let sent = 0;
  await assert.rejects(
    uploadFile({
      node: node.wsUrl, file, signer: substrateSigner({ api, pair: bob }), parallel: 1, signal: controller.signal,
      onProgress: ({ phase, done }) => { if (phase === 'upload') { sent = done; controller.abort(); } },
    }),
    (error) => error.name === 'AbortError',
  );
  assert.equal(sent, 1);
  const { root } = await hashFile(file);
  const plane = await rpc.dataPlane();
  const status = await plane.status(root, file.length);
  assert.equal(status.segmentsStored, 1);

  const balanceBefore = (await api.query.system.account(bob.address)).data.free.toBigInt();
  const refusingSigner = { kind: 'substrate', address: bob.address, submitFile: () => { throw new Error('asked to pay twice'); } };
  const events = [];
  const result = await uploadFile({ node: node.wsUrl, file, signer: refusingSigner, onProgress: (p) => events.push(p) });
  assert.equal(result.submitted, null);
  assert.equal(result.uploadedSegments, 2);
  assert.deepEqual(events.filter((e) => e.phase === 'upload').map((e) => e.done), [2, 3]);
  assert.equal((await api.query.system.account(bob.address)).data.free.toBigInt(), balanceBefore);

  // Once the provider acknowledged, a third run sends nothing at all.
  const again = await uploadFile({ node: node.wsUrl, file, signer: refusingSigner });
  assert.deepEqual([again.uploadedSegments, again.uploadedTo], [0, null]);
  const got = await downloadFile({ node: node.wsUrl, root: result.root });
  assert.ok(Buffer.from(got.data).equals(Buffer.from(file)));
});

/**
 * A data plane that relays the real node's segments with `tamper` applied to each envelope:
 * what a hostile provider could send.
 */
async function hostileSource(tamper) {
  const server = createServer(async (request, response) => {
    const upstream = await fetch(`${node.dataUrl}${request.url}`);
    const body = tamper(new Uint8Array(await upstream.arrayBuffer()));
    response.writeHead(upstream.status, { 'content-type': 'application/vnd.zerog.segment+scale' });
    response.end(body);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((ok) => server.close(ok)) };
}

test('a download drops a source that sends bad segments and still returns the verified file', async () => {
  const file = randomFile(2 * SEGMENT_SIZE + 7);
  const { root } = await uploadFile({ node: node.wsUrl, file, signer: substrateSigner({ api, pair: bob }) });
  const flipped = await hostileSource((bytes) => {
    const { proof, data } = decodeSegmentEnvelope(bytes);
    data[0] ^= 1;
    return encodeSegmentEnvelope(proof, data);
  });
  const garbage = await hostileSource(() => Uint8Array.of(1, 2, 3));
  try {
    const got = await downloadFile({ node: node.wsUrl, root, sources: [flipped.url, garbage.url] });
    assert.ok(Buffer.from(got.data).equals(Buffer.from(file)));
    const [bad, worse, honest] = got.sources;
    assert.equal(bad.segments, 0);
    assert.match(bad.error, /does not verify \(RootMismatch\)/);
    assert.equal(worse.segments, 0);
    assert.match(worse.error, /does not decode/);
    assert.equal(honest.segments, 3);
  } finally {
    await flipped.close();
    await garbage.close();
  }
});

test('bad input is refused with a specific error and commits nothing', async () => {
  // A root nobody committed.
  await assert.rejects(
    downloadFile({ node: node.wsUrl, root: u8aToHex(randomFile(32)) }),
    (error) => error instanceof TransferError && error.reason === 'unknown',
  );
  // An empty file.
  await assert.rejects(
    uploadFile({ node: node.wsUrl, file: new Uint8Array(0), signer: substrateSigner({ api, pair: bob }) }),
    (error) => error instanceof TransferError && error.reason === 'empty',
  );
  // Tags through the precompile, and an account that cannot pay.
  const file = randomFile(1000);
  const { root } = await hashFile(file);
  await assert.rejects(
    uploadFile({ node: node.wsUrl, file, signer: ethereumSigner(devWallet(6, provider)), tags: ['x'] }),
    (error) => error instanceof SubmitError && error.reason === 'TagsUnsupported',
  );
  const pauper = keyring().addFromUri('//SdkPauper');
  await assert.rejects(
    uploadFile({ node: node.wsUrl, file, signer: substrateSigner({ api, pair: pauper }) }),
    (error) => error instanceof SubmitError && error.reason === 'Refused' && /Inability to pay/.test(error.message),
  );
  assert.equal(await rpc.fileByCommitment(root, file.length), null);
  // A segment the node was not asked to store, and a proof for the wrong file.
  const plane = new DataPlane(node.dataUrl);
  await assert.rejects(
    plane.putSegment(root, file.length, 0, file, { segmentIndex: 0n, path: [] }),
    (error) => error instanceof DataPlaneError && error.kind === 'refused' && error.name === 'UnknownFile',
  );
});
