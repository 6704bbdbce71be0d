// The ZeroG precompiles from Ethereum tooling on a real `zerog-node --dev`: an Ethereum wallet
// pays for storage, funds compute and buys a dataset through IZeroGStorage, IZeroGCompute and
// IZeroGMarketplace (events seen by
// @polkadot/api, logs by `eth_getLogs`), pallet errors come back as named reverts, and a
// contract compiled with solc (the SDK's `BatchInbox` example) checks a real DA certificate,
// made by `zerog da submit`, before it pays to archive a batch.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Contract, ContractFactory, JsonRpcProvider, hexlify, randomBytes } from 'ethers';
import { u8aToHex } from '@polkadot/util';
import { startDevNode, cliBinary } from '../lib/node.mjs';
import { compile, interfaceAbi, sdkSolidityDir } from '../lib/compile.mjs';
import { devWallet } from '../lib/accounts.mjs';
import { connectApi, keyring, sendAll, ZG } from '../lib/substrate.mjs';

const STORAGE = '0x0000000000000000000000000000000008000000';
const DA = '0x0000000000000000000000000000000008010000';
const COMPUTE = '0x0000000000000000000000000000000008020000';
const MARKETPLACE = '0x0000000000000000000000000000000008030000';

let node, provider, api, wallet, storage, da, compute, marketplace;

before(async () => {
  node = await startDevNode('precompiles');
  provider = new JsonRpcProvider(node.ethUrl, 16900, { staticNetwork: true });
  provider.pollingInterval = 500;
  api = await connectApi(node.wsUrl);
  wallet = devWallet(3, provider);
  storage = new Contract(STORAGE, interfaceAbi('IZeroGStorage'), wallet);
  da = new Contract(DA, interfaceAbi('IZeroGDA'), wallet);
  compute = new Contract(COMPUTE, interfaceAbi('IZeroGCompute'), wallet);
  marketplace = new Contract(MARKETPLACE, interfaceAbi('IZeroGMarketplace'), wallet);
});

after(async () => {
  provider?.destroy();
  await api?.disconnect();
  await node?.stop();
});

/** The Substrate events of the block with Ethereum block number `number`. */
async function eventsOfBlock(number) {
  const hash = await api.rpc.chain.getBlockHash(number);
  return (await api.query.system.events.at(hash)).map(({ event }) => event);
}

/** The logs of `contract` in `receipt`, parsed. */
function parsedLogs(contract, receipt) {
  return receipt.logs
    .filter((log) => log.address.toLowerCase() === contract.target.toLowerCase())
    .map((log) => contract.interface.parseLog(log));
}

/** Asserts that `promise` reverts with `Error(reason)`. */
async function revertsWith(promise, reason) {
  await assert.rejects(promise, (e) => {
    assert.equal(e.reason, reason, e.shortMessage ?? e.message);
    return true;
  });
}

test('an Ethereum account pays for a file through IZeroGStorage; @polkadot/api and eth_getLogs see it', async () => {
  const account = await compute.accountOf(wallet.address);
  const root = hexlify(randomBytes(32));
  const size = 4096n;
  const fee = await storage.fee(size, 1);
  assert.ok(fee > 0n);

  const receipt = await (await storage.submit(root, size, 1)).wait();
  assert.equal(receipt.status, 1);
  const [submitted] = parsedLogs(storage, receipt);
  assert.equal(submitted.name, 'FileSubmitted');
  assert.equal(submitted.args.root, root);
  assert.equal(submitted.args.payer, wallet.address);
  assert.equal(submitted.args.size, size);
  assert.equal(submitted.args.fee, fee);
  const fileId = submitted.args.fileId;

  // eth_getLogs returns the same log, by address and by topic.
  const logs = await provider.getLogs({
    address: STORAGE, fromBlock: receipt.blockNumber, toBlock: receipt.blockNumber,
    topics: [storage.interface.getEvent('FileSubmitted').topicHash],
  });
  assert.equal(logs.length, 1);
  assert.equal(logs[0].transactionHash, receipt.hash);
  assert.deepEqual(logs[0].topics, receipt.logs.find((l) => l.address.toLowerCase() === STORAGE.toLowerCase()).topics);

  // The pallet's own event names the wallet's account as the owner.
  const events = await eventsOfBlock(receipt.blockNumber);
  const event = events.find((e) => api.events.storageCommitments.FileSubmitted.is(e));
  assert.ok(event, 'FileSubmitted is among the block events');
  assert.equal(event.data.id.toBigInt(), fileId);
  assert.equal(u8aToHex(event.data.owner), account);
  assert.equal(event.data.fee.toBigInt(), fee);

  const info = await storage.fileInfo(fileId);
  assert.equal(info.root, root);
  assert.equal(info.owner, account);
  assert.equal(await storage.isLive(fileId), true);
  const [found, id] = await storage.fileByCommitment(root, size);
  assert.ok(found);
  assert.equal(id, fileId);

  // A pallet error is a named revert and changes nothing.
  await revertsWith(storage.submit.staticCall(root, 0n, 1), 'FileEmpty');
  await revertsWith(storage.fileInfo(fileId + 1000n), 'FileNotFound');
});

test('an Ethereum account funds a compute provider through IZeroGCompute', async () => {
  const account = await compute.accountOf(wallet.address);
  const [[, service]] = (await api.query.computeEscrow.services.entries()).map(([key, value]) => [key, value.unwrap()]);
  const provider_ = u8aToHex(service.provider);

  const before_ = await compute.ledger(account);
  let receipt = await (await compute.deposit(3n * ZG)).wait();
  assert.equal(parsedLogs(compute, receipt)[0].name, 'Deposited');
  receipt = await (await compute.fundProvider(provider_, ZG)).wait();
  const [funded] = parsedLogs(compute, receipt);
  assert.equal(funded.name, 'ProviderFunded');
  assert.equal(funded.args.user, wallet.address);
  assert.equal(funded.args.provider, provider_);
  assert.equal(funded.args.amount, ZG);

  const after_ = await compute.ledger(account);
  assert.equal(after_.available - before_.available, 2n * ZG);
  assert.equal(await compute.subAccount(account, provider_) >= ZG, true);
  const sub = await api.query.computeEscrow.subAccounts(account, provider_);
  assert.equal(sub.balance.toBigInt(), await compute.subAccount(account, provider_));
  const events = await eventsOfBlock(receipt.blockNumber);
  assert.ok(events.some((e) => api.events.computeEscrow.ProviderFunded.is(e) && u8aToHex(e.data.user) === account));

  const logs = await provider.getLogs({ address: COMPUTE, fromBlock: receipt.blockNumber - 1, toBlock: receipt.blockNumber });
  assert.ok(logs.length >= 1);

  await revertsWith(compute.fundProvider.staticCall(hexlify(randomBytes(32)), 1n), 'ProviderNotRegistered');
  await revertsWith(compute.deposit.staticCall(2n ** 200n), 'AmountTooLarge');
  await revertsWith(compute.job(999_999n), 'JobNotFound');
});

test('a contract checks a DA certificate with isCertified before it pays to archive a batch', async () => {
  const { abi, bytecode } = compile('examples/BatchInbox.sol', 'BatchInbox', sdkSolidityDir);
  const inbox = await new ContractFactory(abi, bytecode, wallet).deploy();
  await inbox.waitForDeployment();
  await (await wallet.sendTransaction({ to: inbox.target, value: ZG })).wait();

  // An unknown blob is not certified: the batch is refused with the contract's own error.
  const unknown = hexlify(randomBytes(32));
  assert.equal(await da.isCertified(unknown), false);
  await assert.rejects(inbox.acceptBatch.staticCall(unknown, hexlify(randomBytes(32)), 1000n), (e) => {
    assert.equal(e.revert?.name, 'BlobNotCertified', e.shortMessage);
    return true;
  });

  // A real blob, certified by the dev node's DA key (Alice's signer endpoint moves to this
  // node's RPC, where the CLI pushes the shards).
  const alice = keyring().addFromUri('//Alice');
  const endpoint = `http://127.0.0.1:${node.rpcPort}`;
  await sendAll(api, [{ tx: api.tx.daAttestations.updateSigner(100n * ZG, endpoint), signer: alice }]);
  const dir = mkdtempSync(join(tmpdir(), 'zerog-precompile-blob-'));
  const file = join(dir, 'batch.bin');
  writeFileSync(file, randomBytes(50_000));
  const { stdout } = await promisify(execFile)(cliBinary, [
    'da', 'submit', file, '--rpc', node.wsUrl, '--data-shards', '4', '--parity-shards', '8',
    '--wait', '--timeout', '120', '--json',
  ], { timeout: 180_000 });
  const blob = JSON.parse(stdout);
  assert.ok(blob.certifiedAt, stdout);
  const root = blob.root;
  assert.equal(await da.isCertified(root), true);
  const info = await da.blobInfo(root, 50_000, 4, 8);
  assert.equal(info.status, 2n, 'Certified');
  assert.equal(info.certifiedAt, BigInt(blob.certifiedAt));

  const archiveRoot = hexlify(randomBytes(32));
  const receipt = await (await inbox.acceptBatch(root, archiveRoot, 1000n)).wait();
  const [accepted] = parsedLogs(inbox, receipt);
  assert.equal(accepted.name, 'BatchAccepted');
  const fileId = accepted.args.archiveFileId;
  assert.equal(await inbox.archiveOf(root), fileId);
  // The contract paid: the archive file is its own.
  assert.equal((await storage.fileInfo(fileId)).owner, await compute.accountOf(inbox.target));
  // The precompile's log is in the same receipt, naming the contract as the payer.
  const [archived] = parsedLogs(storage, receipt);
  assert.equal(archived.args.payer, inbox.target);

  await assert.rejects(inbox.acceptBatch.staticCall(root, archiveRoot, 1000n), (e) => {
    assert.equal(e.revert?.name, 'AlreadyAccepted', e.shortMessage);
    return true;
  });
});

test('an Ethereum account buys a dataset through IZeroGMarketplace and reads the key delivered to it', async () => {
  const alice = keyring().addFromUri('//Alice');
  // Alice lists a stored file as a paid dataset.
  const root = hexlify(randomBytes(32));
  const assetId = (await api.query.marketplace.nextAssetId()).toBigInt();
  await sendAll(api, [{ tx: api.tx.storageCommitments.submit(root, 4096, [], 1), signer: alice }]);
  await sendAll(api, [{
    tx: api.tx.marketplace.registerAsset('Dataset', 'eth-prices', '1', 'MIT', root, 4096, null, true,
      'Paid', 2n * ZG, 100),
    signer: alice,
  }]);
  const asset = await marketplace.asset(assetId);
  assert.equal(asset.name, 'eth-prices');
  assert.equal(asset.root, root);
  assert.equal(asset.price, 2n * ZG);
  assert.equal(asset.policy, 2n);

  // The wallet registers its x25519 key and buys, naming the most it pays.
  const account = await compute.accountOf(wallet.address);
  const key = hexlify(randomBytes(32));
  await (await marketplace.registerEncryptionKey(key)).wait();
  assert.equal(await marketplace.encryptionKey(account), key);
  await revertsWith(marketplace.buyAccess.staticCall(assetId, 0, ZG), 'PriceAboveLimit');
  const receipt = await (await marketplace.buyAccess(assetId, 0, 2n * ZG)).wait();
  const [bought] = parsedLogs(marketplace, receipt);
  assert.equal(bought.name, 'AccessBought');
  assert.equal(bought.args.buyer, wallet.address);
  assert.equal(bought.args.price, 2n * ZG);
  const events = await eventsOfBlock(receipt.blockNumber);
  assert.ok(events.some((e) => api.events.marketplace.AccessBought.is(e) && u8aToHex(e.data.buyer) === account));
  // An encrypted download is paid on delivery: the price is held from the buyer until then.
  assert.ok(!events.some((e) => api.events.balances.Transfer.is(e) && u8aToHex(e.data.from) === account
    && u8aToHex(e.data.to) === u8aToHex(alice.publicKey)), 'nothing paid to the owner yet');
  const escrow = (await api.query.marketplace.grants(assetId, account)).unwrap().escrow.unwrap();
  assert.equal(escrow.amount.toBigInt(), 2n * ZG);

  // Alice delivers a sealed key; the wallet reads it back, as does @polkadot/api.
  const sealed = hexlify(randomBytes(80));
  const [{ events: delivery }] = await sendAll(api, [{ tx: api.tx.marketplace.deliverKey(assetId, account, sealed), signer: alice }]);
  const released = delivery.map(({ event }) => event).find((e) => api.events.marketplace.PaymentReleased.is(e));
  assert.equal(released?.data.amount.toBigInt(), 2n * ZG, 'the owner is paid with the key');
  assert.ok((await api.query.marketplace.grants(assetId, account)).unwrap().escrow.isNone);
  const grant = await marketplace.grantOf(assetId, account);
  assert.equal(grant.granted, true);
  assert.equal(grant.recipientKey, key);
  assert.equal(grant.sealedKey, sealed);
  const onChain = (await api.query.marketplace.grants(assetId, account)).unwrap();
  assert.equal(onChain.key.unwrap().sealed.toHex(), sealed);
  // Only the owner delivers keys.
  await revertsWith(marketplace.deliverKey.staticCall(assetId, account, sealed), 'NotOwner');
});
