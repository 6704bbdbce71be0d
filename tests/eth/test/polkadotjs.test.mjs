// Polkadot.js compatibility (issue 7): what Polkadot.js apps and @polkadot/api scripts do with a
// ZeroG node, done against a real `zerog-node --dev` without any custom type definitions: load
// the metadata, decode every constant and every storage item, submit signed calls of the custom
// pallets, decode their events by name and their failures via `registry.findMetaError`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady, blake2AsHex, encodeAddress } from '@polkadot/util-crypto';
import { u8aToHex, stringToU8a, u8aConcat, compactAddLength, bnToU8a } from '@polkadot/util';
import { startDevNode } from '../lib/node.mjs';

const ZG = 10n ** 18n;
const CUSTOM_PALLETS = ['StorageCommitments', 'DaAttestations', 'ComputeEscrow', 'Marketplace'];
const ALL_PALLETS = [
  'System', 'Timestamp', 'Aura', 'Grandpa', 'Balances', 'TransactionPayment', 'Sudo',
  'ParameterStore', 'Parameters', 'Scheduler', 'Preimage', 'Referenda', 'ConvictionVoting', 'Origins',
  'Authorship', 'CollatorSelection', 'Session', 'Historical', 'Offences', 'ValidatorSet',
  'Revive', ...CUSTOM_PALLETS,
];

let node, api, keyring, alice, bob, charlie, dave, eve, ferdie;

before(async () => {
  node = await startDevNode('polkadotjs');
  await cryptoWaitReady();
  // No `types`, `rpc` or `signedExtensions` options: everything comes from the metadata.
  api = await ApiPromise.create({ provider: new WsProvider(node.wsUrl), noInitWarn: true });
  keyring = new Keyring({ type: 'sr25519', ss58Format: 6900 });
  [alice, bob, charlie, dave, eve, ferdie] = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie']
    .map((name) => keyring.addFromUri(`//${name}`));
});

after(async () => {
  await api?.disconnect();
  await node?.stop();
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Signs and submits each `[tx, signer]` (nonces assigned up front, so one signer may send
 * several at once) and resolves, once all are in a block, to `{ events, dispatchError,
 * blockHash }` per transaction. A failed dispatch is returned, not thrown.
 */
async function submitAll(calls) {
  const nonces = new Map();
  for (const [, signer] of calls) {
    if (!nonces.has(signer.address)) {
      // The nonce as Polkadot.js itself reads it (AccountNonceApi); see the system_accountNextIndex
      // test below for why not the RPC.
      nonces.set(signer.address, (await api.call.accountNonceApi.accountNonce(signer.address)).toNumber());
    }
  }
  return Promise.all(calls.map(([tx, signer]) => {
    const nonce = nonces.get(signer.address);
    nonces.set(signer.address, nonce + 1);
    return new Promise((resolve, reject) => {
      let unsub;
      tx.signAndSend(signer, { nonce }, (result) => {
        const { status, events, dispatchError } = result;
        if (status.isInBlock) {
          unsub?.();
          resolve({ events, dispatchError, blockHash: status.asInBlock });
        } else if (status.isInvalid || status.isDropped || status.isUsurped) {
          unsub?.();
          reject(new Error(`transaction ${tx.method.section}.${tx.method.method}: ${status.type}`));
        }
      }).then((u) => { unsub = u; }, reject);
    });
  }));
}

const submit = async (tx, signer) => (await submitAll([[tx, signer]]))[0];

/** The one event of `events` that `kind` (e.g. `api.events.balances.Transfer`) matches. */
function theEvent(result, kind) {
  assert.equal(result.dispatchError, undefined, `dispatch failed: ${describeError(result.dispatchError)}`);
  const found = result.events.filter(({ event }) => kind.is(event));
  assert.equal(found.length, 1,
    `events: ${result.events.map(({ event }) => `${event.section}.${event.method}`).join(', ')}`);
  return found[0].event;
}

/** `section.Name` of a dispatch error, decoded through the metadata. */
function describeError(dispatchError) {
  if (!dispatchError) return 'none';
  if (!dispatchError.isModule) return dispatchError.toString();
  const { section, name } = api.registry.findMetaError(dispatchError.asModule);
  return `${section}.${name}`;
}

/** Asserts the transaction failed with the module error `section.name` and says so in an event. */
function assertFailedWith(result, expected, docWords) {
  assert.ok(result.dispatchError, `expected ${expected}, the call succeeded`);
  assert.ok(result.dispatchError.isModule, `not a module error: ${result.dispatchError}`);
  const meta = api.registry.findMetaError(result.dispatchError.asModule);
  assert.equal(`${meta.section}.${meta.name}`, expected);
  // The error's documentation travels in the metadata too (Polkadot.js apps shows it).
  assert.match(meta.docs.join(' '), docWords);
  const failed = result.events.find(({ event }) => api.events.system.ExtrinsicFailed.is(event));
  assert.ok(failed, 'no System.ExtrinsicFailed event');
  assert.equal(describeError(failed.event.data.dispatchError), expected);
}

const accountOf = (pair) => api.createType('AccountId', pair.publicKey).toString();
const bytes = (text) => u8aToHex(stringToU8a(text));

test('the metadata is V15+ and lists every pallet, with calls, events and errors of the custom ones', async () => {
  assert.ok(api.runtimeMetadata.version >= 15, `metadata V${api.runtimeMetadata.version}`);
  // Polkadot.js apps asks for V15 explicitly (runtime API descriptions): it must be served.
  const versions = (await api.call.metadata.metadataVersions()).map((v) => v.toNumber());
  assert.ok(versions.includes(15), `metadata versions ${versions}`);
  const v15 = await api.call.metadata.metadataAtVersion(15);
  assert.ok(v15.isSome);

  const pallets = api.runtimeMetadata.asLatest.pallets;
  const byName = new Map(pallets.map((p) => [p.name.toString(), p]));
  for (const name of ALL_PALLETS) assert.ok(byName.has(name), `pallet ${name} missing`);
  assert.equal(byName.get('Revive').index.toNumber(), 10);
  assert.deepEqual(CUSTOM_PALLETS.map((name) => byName.get(name).index.toNumber()), [20, 21, 22, 23]);
  for (const name of CUSTOM_PALLETS) {
    const pallet = byName.get(name);
    assert.ok(pallet.calls.isSome && pallet.events.isSome && pallet.errors.isSome
      && pallet.storage.isSome && pallet.constants.length > 0, `${name} is incomplete`);
  }
  // The calls this suite uses, decorated from the metadata.
  for (const [section, method] of [
    ['storageCommitments', 'submit'], ['storageCommitments', 'registerProvider'],
    ['daAttestations', 'submitBlob'], ['daAttestations', 'registerSigner'], ['daAttestations', 'attest'],
    ['computeEscrow', 'deposit'], ['computeEscrow', 'withdraw'], ['computeEscrow', 'registerService'],
    ['marketplace', 'registerAsset'], ['marketplace', 'buyAccess'], ['marketplace', 'deliverKey'],
  ]) assert.equal(typeof api.tx[section][method], 'function', `${section}.${method}`);
  // Runtime APIs of the custom pallets are described (V15) and decorated under api.call.
  assert.equal(typeof api.call.storageCommitmentsApi?.file, 'function');
  assert.equal(typeof api.call.daAttestationsApi?.blob, 'function');
  assert.equal(typeof api.call.marketplaceApi?.asset, 'function');
});

test('chain properties: SS58 6900, ZG with 18 decimals; runtime version zerog', async () => {
  const properties = await api.rpc.system.properties();
  assert.equal(properties.ss58Format.unwrap().toNumber(), 6900);
  assert.deepEqual(properties.tokenSymbol.unwrap().map(String), ['ZG']);
  assert.deepEqual(properties.tokenDecimals.unwrap().map((d) => d.toNumber()), [18]);
  assert.equal(api.registry.chainSS58, 6900);
  assert.deepEqual(api.registry.chainTokens, ['ZG']);
  assert.deepEqual(api.registry.chainDecimals, [18]);
  // Addresses the API prints are ZeroG addresses.
  assert.equal(accountOf(alice), encodeAddress(alice.publicKey, 6900));
  assert.equal(accountOf(alice), alice.address);

  const version = await api.rpc.state.getRuntimeVersion();
  assert.equal(version.specName.toString(), 'zerog');
  assert.equal(version.implName.toString(), 'zerog-node');
  assert.ok(version.specVersion.toNumber() >= 101);
  assert.equal(version.specVersion.toNumber(), api.runtimeVersion.specVersion.toNumber());
  assert.equal(api.consts.system.version.specName.toString(), 'zerog');
  assert.equal((await api.rpc.system.chain()).toString(), 'ZeroG Development');
  assert.equal((await api.rpc.system.chainType()).isDevelopment, true); // Apps then offers the dev accounts
});

// RPCs that take an SS58 address parse it with the node's default prefix: the node sets it to
// ZeroG's 6900 at start-up, so addresses as @polkadot/api encodes them are accepted.
test('system_accountNextIndex accepts ZeroG (SS58 6900) addresses', async () => {
  const viaRuntimeApi = await api.call.accountNonceApi.accountNonce(alice.address);
  const viaRpc = await api.rpc.system.accountNextIndex(alice.address);
  assert.equal(viaRpc.toNumber(), viaRuntimeApi.toNumber());
});

test('every constant of every pallet decodes; the dev validator set', async () => {
  let count = 0;
  for (const pallet of api.runtimeMetadata.asLatest.pallets) {
    const section = api.consts[pallet.name.toString().replace(/^./, (c) => c.toLowerCase())];
    assert.equal(pallet.constants.length, section ? Object.keys(section).length : 0, `${pallet.name}`);
    for (const [name, value] of Object.entries(section ?? {})) {
      assert.ok(value !== null && value !== undefined, `${pallet.name}.${name}`);
      assert.notEqual(value.toHuman(), null, `${pallet.name}.${name}`);
      // Round trip: what was decoded encodes to the metadata's bytes.
      assert.equal(u8aToHex(value.toU8a()), u8aToHex(value.meta.value.toU8a(true)), `${pallet.name}.${name}`);
      count += 1;
    }
  }
  const declared = api.runtimeMetadata.asLatest.pallets.reduce((n, p) => n + p.constants.length, 0);
  assert.equal(count, declared);
  assert.ok(count >= 60, `${count} constants`);

  const { consts } = api;
  assert.equal(consts.balances.existentialDeposit.toBigInt(), ZG / 1_000_000n);
  assert.equal(consts.system.ss58Prefix.toNumber(), 6900);
  assert.equal(consts.aura.slotDuration.toNumber(), 2000);
  // Issue 16: validators are Alice (invulnerable) plus bonded candidates, in 10-block sessions.
  assert.equal(consts.session.keyDeposit.toBigInt(), ZG);
  assert.equal(consts.collatorSelection.maxCandidates.toNumber(), 80);
  assert.equal(consts.validatorSet.unbondingSessions.toNumber(), 144);
  const validators = await api.query.session.validators();
  assert.deepEqual(validators.map((v) => v.toString()), [alice.address]);
  assert.equal((await api.query.collatorSelection.candidacyBond()).toBigInt(), 10_000n * ZG);
  assert.equal((await api.query.validatorSet.sessionLength()).toNumber(), 10);
  assert.equal(consts.revive.chainId.toNumber(), 16900);
  assert.equal(consts.revive.allowEVMBytecode.isTrue, true);

  const sc = consts.storageCommitments;
  assert.equal(sc.challengePeriod.toNumber(), 10);
  assert.equal(sc.responseWindow.toNumber(), 4);
  assert.equal(sc.minProviderStake.toBigInt(), 100n * ZG);
  assert.equal(sc.feePerChunk.toBigInt(), ZG / 1_000_000n / 4n);
  assert.equal(sc.maxFileSize.toBigInt(), 32n << 30n);
  assert.equal(sc.maxReplicas.toNumber(), 8);
  assert.equal(sc.ackWindow.toNumber(), 1800); // an hour of 2 s blocks
  assert.equal(sc.unackedFileFee.toNumber(), 10_000_000); // 1 % in Perbill
  assert.equal(sc.fileLifetime.toNumber(), 30 * 24 * 1800);
  assert.equal(sc.slashFraction.toNumber(), 100_000_000); // 10 % in Perbill
  assert.equal(sc.palletId.toU8a().length, 8);
  assert.equal(Buffer.from(sc.palletId.toU8a()).toString(), 'zg/store');

  const da = consts.daAttestations;
  assert.equal(da.epochLength.toNumber(), 30);
  assert.equal(da.attestationWindow.toNumber(), 30);
  assert.equal(da.minSignerStake.toBigInt(), 100n * ZG);
  assert.equal(da.blobBaseFee.toBigInt(), ZG / 1000n);
  assert.equal(da.maxBlobBytes.toNumber(), 32 * 1024 * 1024);
  assert.equal(da.expiryRefund.toNumber(), 500_000_000); // 50 %
  assert.equal(da.maxQuorums.toNumber(), 4);
  assert.equal(da.minQuorumMembers.toNumber(), 3);
  assert.equal(da.defaultRetentionPeriod.toNumber(), 30 * 24 * 60 * 30); // 30 days of 2 s blocks

  const ce = consts.computeEscrow;
  assert.equal(ce.minServiceStake.toBigInt(), 100n * ZG);
  assert.equal(ce.minJobDuration.toNumber(), 10);
  assert.equal(ce.maxServicesPerProvider.toNumber(), 16);
  assert.equal(ce.refundLockPeriod.toNumber(), 300);
});

// A dev chain certifies blobs from its first block: its genesis registers Alice as a DA signer,
// drawn into the first epoch's quorum. On a chain without one, submitBlob fails with NoQuorum,
// whose documentation (what Apps shows) says what to do instead of waiting.
test('DaAttestations: submitBlob is accepted on a dev chain; registerSigner emits SignerRegistered', async () => {
  const commitment = { root: blake2AsHex('polkadot.js blob of the genesis quorum'), sizeBytes: 1000, dataShards: 4, parityShards: 4 };
  const accepted = theEvent(await submit(api.tx.daAttestations.submitBlob(commitment, 7), dave),
    api.events.daAttestations.BlobSubmitted);
  assert.equal(accepted.data.root.toHex(), commitment.root);
  const genesisSigner = (await api.query.daAttestations.signers(alice.address)).unwrap();
  assert.equal(genesisSigner.status.isActive, true);
  assert.match(api.errors.daAttestations.NoQuorum.meta.docs.join(' '), /register one/);

  // Three times Alice's genesis stake, so that Charlie alone holds more than two thirds of the
  // quorum he is drawn into with her.
  const stake = 300n * ZG;
  const [registered, wrongKey] = await submitAll([
    [api.tx.daAttestations.registerSigner(stake, charlie.publicKey, bytes('http://127.0.0.1:9000/da')), charlie],
    // Eve names Ferdie's key as hers.
    [api.tx.daAttestations.registerSigner(stake, ferdie.publicKey, bytes('http://127.0.0.1:9001/da')), eve],
  ]);
  const event = theEvent(registered, api.events.daAttestations.SignerRegistered);
  assert.equal(event.data.signer.toString(), charlie.address);
  assert.equal(event.data.stake.toBigInt(), stake);
  assert.equal(event.data.daKey.toHex(), u8aToHex(charlie.publicKey));
  assertFailedWith(wrongKey, 'daAttestations.DaKeyNotSignerAccount', /DA key/);

  const signer = (await api.query.daAttestations.signers(charlie.address)).unwrap();
  assert.equal(signer.stake.toBigInt(), stake);
  assert.equal(signer.status.isActive, true);
  assert.equal(Buffer.from(signer.endpoint.toU8a(true)).toString(), 'http://127.0.0.1:9000/da');
});

test('Balances: transferKeepAlive to a new account emits Transfer, Endowed and NewAccount', async () => {
  const fresh = keyring.addFromUri('//PolkadotJsFresh');
  const amount = 10n * ZG;
  const result = await submit(api.tx.balances.transferKeepAlive(fresh.address, amount), alice);
  const transfer = theEvent(result, api.events.balances.Transfer);
  assert.equal(transfer.data.from.toString(), alice.address);
  assert.equal(transfer.data.to.toString(), fresh.address);
  assert.equal(transfer.data.amount.toBigInt(), amount);
  assert.equal(theEvent(result, api.events.balances.Endowed).data.freeBalance.toBigInt(), amount);
  assert.equal(theEvent(result, api.events.system.NewAccount).data.account.toString(), fresh.address);
  const fee = theEvent(result, api.events.transactionPayment.TransactionFeePaid);
  assert.equal(fee.data.who.toString(), alice.address);
  assert.ok(fee.data.actualFee.toBigInt() > 0n);
  assert.ok(result.events.some(({ event }) => api.events.system.ExtrinsicSuccess.is(event)));

  const account = await api.query.system.account(fresh.address);
  assert.equal(account.data.free.toBigInt(), amount);
});

test('StorageCommitments: submit and registerProvider emit FileSubmitted and ProviderRegistered', async () => {
  const root = blake2AsHex('polkadot.js file');
  const size = 1000; // 4 chunks of 256 bytes, the last one padded
  const stake = 150n * ZG;
  const nextId = (await api.query.storageCommitments.nextFileId()).toBigInt();
  // Alice is a provider from genesis on a dev chain; Dave registers.
  const [submitted, registered, again] = await submitAll([
    [api.tx.storageCommitments.submit(root, size, [bytes('model'), bytes('polkadot.js')], 1), alice],
    [api.tx.storageCommitments.registerProvider(stake, bytes('http://127.0.0.1:9100')), dave],
    [api.tx.storageCommitments.registerProvider(stake, bytes('http://127.0.0.1:9102')), alice],
  ]);
  assertFailedWith(again, 'storageCommitments.AlreadyRegistered', /already a provider/);

  const file = theEvent(submitted, api.events.storageCommitments.FileSubmitted).data;
  assert.equal(file.id.toBigInt(), nextId);
  assert.equal(file.owner.toString(), alice.address);
  assert.equal(file.root.toHex(), root);
  // `size` is a reserved name in @polkadot/types: the field is exposed as `size_`.
  assert.equal(file.size_.toNumber(), size);
  assert.equal(file.fee.toBigInt(), 4n * api.consts.storageCommitments.feePerChunk.toBigInt());
  const header = await api.rpc.chain.getHeader(submitted.blockHash);
  assert.equal(file.expiresAt.toNumber(),
    header.number.toNumber() + api.consts.storageCommitments.fileLifetime.toNumber());

  const provider = theEvent(registered, api.events.storageCommitments.ProviderRegistered).data;
  assert.equal(provider.provider.toString(), dave.address);
  assert.equal(provider.stake.toBigInt(), stake);

  const info = (await api.query.storageCommitments.files(nextId)).unwrap();
  assert.equal(info.root.toHex(), root);
  assert.equal(info.size_.toNumber(), size);
  assert.deepEqual(info.tags.map((t) => Buffer.from(t.toU8a(true)).toString()), ['model', 'polkadot.js']);
  const stored = (await api.query.storageCommitments.providers(dave.address)).unwrap();
  assert.equal(stored.stake.toBigInt(), stake);
  assert.equal(stored.status.isActive, true);
  // The stake is a hold, and its reason decodes as the runtime's composite enum.
  const holds = await api.query.balances.holds(dave.address);
  const hold = holds.find((h) => h.id.isStorageCommitments);
  assert.ok(hold, `holds: ${JSON.stringify(holds.toHuman())}`);
  assert.equal(hold.id.asStorageCommitments.isProviderStake, true);
  assert.equal(hold.amount.toBigInt(), stake);
});

test('StorageCommitments: a zero-size file fails with FileEmpty, a small stake with StakeBelowMinimum', async () => {
  const [empty, small] = await submitAll([
    [api.tx.storageCommitments.submit(blake2AsHex('empty'), 0, [], 1), bob],
    [api.tx.storageCommitments.registerProvider(ZG, bytes('http://127.0.0.1:9101')), bob],
  ]);
  assertFailedWith(empty, 'storageCommitments.FileEmpty', /size is zero/);
  assertFailedWith(small, 'storageCommitments.StakeBelowMinimum', /MinProviderStake/);
});

test('ComputeEscrow: deposit and registerService emit Deposited and ServiceRegistered', async () => {
  const amount = 5n * ZG;
  const stake = 100n * ZG;
  const nextService = (await api.query.computeEscrow.nextServiceId()).toBigInt();
  // Eve has marketplace funds from the dev genesis already.
  const eveBefore = (await api.query.computeEscrow.ledgers(eve.address)).unwrap().available.toBigInt();
  const [deposited, registered] = await submitAll([
    [api.tx.computeEscrow.deposit(amount), eve],
    [api.tx.computeEscrow.registerService(
      'Inference', bytes('llama-3-8b'), bytes('http://127.0.0.1:9200/v1'), 1_000n, 2_000n, 'None', stake,
    ), bob],
  ]);

  const deposit = theEvent(deposited, api.events.computeEscrow.Deposited).data;
  assert.equal(deposit.user.toString(), eve.address);
  assert.equal(deposit.amount.toBigInt(), amount);
  const ledger = (await api.query.computeEscrow.ledgers(eve.address)).unwrap();
  assert.equal(ledger.available.toBigInt(), eveBefore + amount);
  assert.equal(ledger.pendingRefunds.length, 0);

  const service = theEvent(registered, api.events.computeEscrow.ServiceRegistered).data;
  assert.equal(service.service.toBigInt(), nextService);
  assert.equal(service.provider.toString(), bob.address);
  assert.equal(service.kind.isInference, true);
  assert.equal(service.stake.toBigInt(), stake);
  const info = (await api.query.computeEscrow.services(nextService)).unwrap();
  assert.equal(Buffer.from(info.model.toU8a(true)).toString(), 'llama-3-8b');
  assert.equal(info.inputPricePerToken.toBigInt(), 1_000n);
  assert.equal(info.outputPricePerToken.toBigInt(), 2_000n);
  assert.equal(info.verifiability.isNone, true);
  assert.deepEqual((await api.query.computeEscrow.providerServices(bob.address)).map((id) => id.toBigInt()),
    [nextService]);
});

test('ComputeEscrow: withdrawing more than available fails with InsufficientAvailableFunds, an empty model with EmptyModel, a self-declared enclave key with EnclaveNotApproved', async () => {
  const available = (await api.query.computeEscrow.ledgers(eve.address)).unwrap().available.toBigInt();
  const [withdraw, emptyModel, selfDeclared] = await submitAll([
    [api.tx.computeEscrow.withdraw(available + ZG), eve],
    [api.tx.computeEscrow.registerService(
      { Job: null }, '0x', bytes('http://127.0.0.1:9201'), 0, 0, { Tee: { signer: ferdie.address } }, 100n * ZG,
    ), ferdie],
    [api.tx.computeEscrow.registerService(
      { Inference: null }, bytes('llama'), bytes('http://127.0.0.1:9201'), 1, 1, { Tee: { signer: ferdie.address } }, 100n * ZG,
    ), dave],
  ]);
  assertFailedWith(withdraw, 'computeEscrow.InsufficientAvailableFunds', /available funds/);
  assertFailedWith(emptyModel, 'computeEscrow.EmptyModel', /model name is empty/);
  assertFailedWith(selfDeclared, 'computeEscrow.EnclaveNotApproved', /not approved/);
  // Nothing moved.
  assert.equal((await api.query.computeEscrow.ledgers(eve.address)).unwrap().available.toBigInt(), available);
});

test('ComputeEscrow: an approved enclave key settles the receipts of users who acknowledged it, nothing else; a receipt signed for another genesis is refused', async () => {
  const enclave = keyring.addFromUri('//PolkadotJsEnclave');
  const stake = api.consts.computeEscrow.minServiceStake.toBigInt();
  // Governance (sudo on a dev chain) approves the key once it has checked its attestation quote.
  const approved = theEvent(await submit(
    api.tx.sudo.sudo(api.tx.computeEscrow.approveEnclave(enclave.address, blake2AsHex('attestation quote'))), alice,
  ), api.events.computeEscrow.EnclaveApproved).data;
  assert.equal(approved.signer.toString(), enclave.address);

  const registered = await submit(api.tx.computeEscrow.registerService(
    { Inference: null }, bytes('tee-llama'), bytes('http://127.0.0.1:9202'), 1_000, 2_000,
    { Tee: { signer: enclave.address } }, stake,
  ), ferdie);
  const service = theEvent(registered, api.events.computeEscrow.ServiceRegistered).data.service.toBigInt();
  const funded = 10n ** 9n;
  const setup = await submitAll([
    [api.tx.computeEscrow.deposit(funded), charlie],
    [api.tx.computeEscrow.fundProvider(ferdie.address, funded), charlie],
    [api.tx.computeEscrow.deposit(funded), dave],
    [api.tx.computeEscrow.fundProvider(ferdie.address, funded), dave],
    [api.tx.computeEscrow.acknowledgeSigner(service, enclave.address), charlie],
  ]);
  const acknowledged = theEvent(setup[4], api.events.computeEscrow.SignerAcknowledged).data;
  assert.equal(acknowledged.deposit.toBigInt(), api.consts.computeEscrow.acknowledgementDeposit.toBigInt());

  // "zerog/compute/receipt/v1" ‖ genesis hash ‖ SCALE(receipt), signed by `signer`.
  const signed = (signer, user, nonce, genesis = api.genesisHash.toU8a()) => {
    const receipt = api.createType('PalletComputeEscrowInferenceReceipt', {
      user: user.address, provider: ferdie.address, service, nonce, inputTokens: 10, outputTokens: 5,
      fee: 20_000, requestHash: blake2AsHex(`request ${user.address} ${nonce}`),
    });
    const payload = new Uint8Array([...stringToU8a('zerog/compute/receipt/v1'), ...genesis, ...receipt.toU8a()]);
    return { receipt, signature: { Sr25519: u8aToHex(signer.sign(payload)) } };
  };
  const otherGenesis = new Uint8Array(32).fill(0xab);
  const settled = theEvent(await submit(api.tx.computeEscrow.settleReceipts(service, [
    signed(enclave, charlie, 1), // acknowledged by Charlie
    signed(enclave, dave, 1), // Dave never acknowledged the enclave
    signed(dave, dave, 2, otherGenesis), // Dave's own signature, for another chain
    signed(dave, dave, 3), // Dave's own signature, for this chain
  ]), ferdie), api.events.computeEscrow.ReceiptsSettled).data;
  assert.deepEqual(settled.outcomes.map((o) => o.type),
    ['Settled', 'SignerNotAcknowledged', 'BadSignature', 'Settled']);
  assert.equal(settled.paid.toBigInt(), 40_000n);
  const sub = async (user) => (await api.query.computeEscrow.subAccounts(user.address, ferdie.address)).toJSON();
  assert.deepEqual(await sub(charlie), { balance: Number(funded - 20_000n), lastNonce: 1 });
  assert.deepEqual(await sub(dave), { balance: Number(funded - 20_000n), lastNonce: 3 });
});

/** Waits (polling new blocks) until the current epoch's quorum has `member`; returns the epoch. */
async function waitForQuorumWith(member, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const epoch = await api.query.daAttestations.currentEpoch();
    const quorum = await api.query.daAttestations.quorums(epoch, 0);
    if (quorum.isSome && quorum.unwrap().members.some(([account]) => account.toString() === member.address)) {
      return epoch.toNumber();
    }
    await sleep(500);
  }
  throw new Error(`no quorum with ${member.address} within ${timeoutMs} ms`);
}

test('DaAttestations: submitBlob emits BlobSubmitted; a non-member attest fails with NotQuorumMember; the member certifies', async () => {
  const epoch = await waitForQuorumWith(charlie);
  const quorum = (await api.query.daAttestations.quorums(epoch, 0)).unwrap();
  // Alice (genesis, 100 ZG) and Charlie (300 ZG).
  assert.equal(quorum.totalStake.toBigInt(), 400n * ZG);
  assert.ok(quorum.threshold.toBigInt() > 0n);

  // A commitment as `zerog_primitives::da::encode_blob` makes it: root, size, k data and m
  // parity shards. The chain only checks size and coding, not the root.
  const commitment = { root: blake2AsHex('polkadot.js blob'), sizeBytes: 1000, dataShards: 4, parityShards: 4 };
  const namespace = 42;
  const nextBlob = (await api.query.daAttestations.nextBlobId()).toBigInt();
  const submitted = await submit(api.tx.daAttestations.submitBlob(commitment, namespace), dave);
  const blob = theEvent(submitted, api.events.daAttestations.BlobSubmitted).data;
  assert.equal(blob.id.toBigInt(), nextBlob);
  assert.equal(blob.root.toHex(), commitment.root);
  assert.equal(blob.submitter.toString(), dave.address);
  assert.equal(blob.namespace.toNumber(), namespace);
  assert.equal(blob.sizeBytes.toNumber(), commitment.sizeBytes);
  assert.equal(blob.fee.toBigInt(),
    api.consts.daAttestations.blobBaseFee.toBigInt() + 1000n * api.consts.daAttestations.blobByteFee.toBigInt());
  assert.ok(blob.epoch.toNumber() >= epoch);
  const stored = (await api.query.daAttestations.blobs(nextBlob)).unwrap();
  assert.equal(stored.commitment.dataShards.toNumber(), 4);
  assert.equal(stored.commitment.parityShards.toNumber(), 4);
  assert.equal(stored.status.isPending, true);
  // Blobs are keyed by their whole commitment: root, then (size, data shards, parity shards).
  const shape = [commitment.sizeBytes, commitment.dataShards, commitment.parityShards];
  assert.equal((await api.query.daAttestations.blobIds(commitment.root, shape)).unwrap().toBigInt(), nextBlob);
  assert.equal(stored.quorum.toNumber(), 0);

  // Bob is not in the quorum.
  assertFailedWith(await submit(api.tx.daAttestations.attest([nextBlob]), bob),
    'daAttestations.NotQuorumMember', /not a member/);

  // Charlie holds three quarters of the quorum stake: one attestation certifies the blob.
  const attested = await submit(api.tx.daAttestations.attest([nextBlob]), charlie);
  const batch = theEvent(attested, api.events.daAttestations.BlobsAttested).data;
  assert.equal(batch.signer.toString(), charlie.address);
  assert.equal(batch.attested.toNumber(), 1);
  assert.equal(batch.outcomes.length, 1);
  assert.equal(batch.outcomes[0].isCertified, true);
  const certified = theEvent(attested, api.events.daAttestations.BlobCertified).data;
  assert.equal(certified.id.toBigInt(), nextBlob);
  assert.equal(certified.attesters.toNumber(), 1);
  assert.equal(certified.feePaid.toBigInt(), blob.fee.toBigInt());
  assert.equal((await api.query.daAttestations.blobs(nextBlob)).unwrap().status.isCertified, true);

  // A second attestation is refused by name too.
  assertFailedWith(await submit(api.tx.daAttestations.attest([nextBlob]), charlie),
    'daAttestations.AlreadyCertified', /already certified/);
});

test('runtime APIs of the custom pallets decode through api.call', async () => {
  const file = await api.call.storageCommitmentsApi.file(0);
  assert.ok(file.isSome);
  assert.equal(file.unwrap().owner.toString(), alice.address);
  assert.equal(file.unwrap().root.toHex(), blake2AsHex('polkadot.js file'));
  const byRoot = await api.call.storageCommitmentsApi.filesByRoot(blake2AsHex('polkadot.js file'));
  assert.equal(byRoot.length, 1);
  assert.ok((await api.call.storageCommitmentsApi.file(999_999)).isNone);

  // Blobs are looked up by their whole commitment; `blobByRoot` serves those who only know the
  // root.
  const root = blake2AsHex('polkadot.js blob');
  const commitment = { root, sizeBytes: 1000, dataShards: 4, parityShards: 4 };
  const blob = await api.call.daAttestationsApi.blob(commitment);
  assert.ok(blob.isSome);
  assert.equal(blob.unwrap().submitter.toString(), dave.address);
  assert.equal(blob.unwrap().status.isCertified, true);
  assert.equal((await api.call.daAttestationsApi.blobByRoot(root)).unwrap().id.toBigInt(),
    blob.unwrap().id.toBigInt());
  assert.ok((await api.call.daAttestationsApi.certification(commitment)).isSome);
  assert.ok((await api.call.daAttestationsApi.certification({ ...commitment, sizeBytes: 999 })).isNone);
  assert.ok((await api.call.daAttestationsApi.currentEpoch()).toNumber() >= 1);
  // The blob's quorum: its members with endpoints and shard ranges covering all 8 shards.
  const holders = (await api.call.daAttestationsApi.shardHolders(commitment)).unwrap();
  assert.equal(holders.quorum.toNumber(), 0);
  const covered = holders.holders.map((holder) => holder.endShard.toNumber() - holder.firstShard.toNumber());
  assert.equal(covered.reduce((sum, n) => sum + n, 0), 8);
});

test('every storage item of every pallet can be queried and decodes', async () => {
  const lower = (name) => name.replace(/^./, (c) => c.toLowerCase());
  const nonEmpty = new Set();
  let items = 0;
  for (const pallet of api.runtimeMetadata.asLatest.pallets) {
    if (pallet.storage.isNone) continue;
    const section = lower(pallet.name.toString());
    // The storage version every pallet keeps under `:__STORAGE_VERSION__:`.
    const version = await api.query[section].palletVersion();
    assert.ok(version.toNumber() >= 0, `${section}.palletVersion`);
    for (const item of pallet.storage.unwrap().items) {
      const method = lower(item.name.toString());
      const query = api.query[section][method];
      const where = `${pallet.name}.${item.name}`;
      assert.equal(typeof query, 'function', `${where} not decorated`);
      items += 1;
      if (item.type.isPlain) {
        const value = await query();
        assert.ok(value !== null && value !== undefined, where);
        value.toHuman(); // decodes all the way down
        continue;
      }
      // A map: its entries (a page at most), and one value by key.
      const entries = await query.entriesPaged({ args: [], pageSize: 200 });
      for (const [key, value] of entries) {
        assert.equal(key.args.length, item.type.asMap.hashers.length, where);
        value.toHuman();
      }
      let args;
      if (entries.length > 0) {
        nonEmpty.add(where);
        args = entries[0][0].args;
      } else {
        // No entry: ask for a default key of the right type; an absent value decodes too.
        const keyId = item.type.asMap.key;
        const ids = item.type.asMap.hashers.length === 1
          ? [keyId]
          : api.registry.lookup.getSiType(keyId).def.asTuple.map((id) => id);
        args = ids.map((id) => api.createType(api.registry.createLookupType(id)));
      }
      const value = await query(...args);
      assert.ok(value !== null && value !== undefined, where);
      if (entries.length > 0) assert.equal(value.toHex(), entries[0][1].toHex(), where);
    }
  }
  assert.ok(items >= 60, `${items} storage items`);
  // The calls above left state in every custom pallet's maps.
  for (const where of [
    'System.Account', 'Balances.Holds',
    'StorageCommitments.Files', 'StorageCommitments.FileIndex', 'StorageCommitments.Providers',
    'DaAttestations.Blobs', 'DaAttestations.BlobIds', 'DaAttestations.Signers', 'DaAttestations.Quorums',
    'DaAttestations.Epochs',
    'ComputeEscrow.Services', 'ComputeEscrow.ProviderServices', 'ComputeEscrow.Ledgers',
  ]) assert.ok(nonEmpty.has(where), `${where} has no entries`);
});

// Issue 16: governance (sudo on a dev chain) tunes the ZeroG pallets' economics within bounds,
// through Parameters.setParameter; pallet-parameters stores the value (ParameterStore) and the
// pallets read it from the next call on.
test('Parameters: governance sets a blob fee within bounds and the next blob pays it; a value out of bounds or from anyone else is refused', async () => {
  const setBaseFee = (value) => api.tx.parameters.setParameter({ Da: { BlobBaseFee: [null, value] } });
  const key = { Da: { BlobBaseFee: null } };
  const fee = ZG / 100n;
  const updated = theEvent(await submit(api.tx.sudo.sudo(setBaseFee(fee)), alice),
    api.events.parameterStore.Updated).data;
  assert.equal(updated.newValue.unwrap().asDa.asBlobBaseFee.toBigInt(), fee);
  assert.equal((await api.query.parameterStore.parameters(key)).unwrap().asDa.asBlobBaseFee.toBigInt(), fee);

  const size = 1000n;
  const commitment = { root: blake2AsHex('a blob paid at the tuned fee'), sizeBytes: size, dataShards: 4, parityShards: 4 };
  const blob = theEvent(await submit(api.tx.daAttestations.submitBlob(commitment, 9), eve),
    api.events.daAttestations.BlobSubmitted).data;
  assert.equal(blob.fee.toBigInt(), fee + api.consts.daAttestations.blobByteFee.toBigInt() * size);

  // Above the bound (0.1 ZG): governance's call fails with the pallet's error, nothing changes.
  const sudid = theEvent(await submit(api.tx.sudo.sudo(setBaseFee(ZG)), alice), api.events.sudo.Sudid).data;
  assert.ok(sudid.sudoResult.isErr);
  const refusal = api.registry.findMetaError(sudid.sudoResult.asErr.asModule);
  assert.equal(`${refusal.section}.${refusal.name}`, 'parameters.AboveMaximum');
  // Anyone else: BadOrigin.
  const direct = await submit(setBaseFee(fee / 2n), eve);
  assert.ok(direct.dispatchError?.isBadOrigin, `${direct.dispatchError}`);
  assert.equal((await api.query.parameterStore.parameters(key)).unwrap().asDa.asBlobBaseFee.toBigInt(), fee);
  // pallet-parameters' own call, which checks no bounds, is not in the runtime.
  assert.equal(api.tx.parameterStore, undefined);

  // Back to the default, for the rest of the suite.
  theEvent(await submit(api.tx.sudo.sudo(setBaseFee(null)), alice), api.events.parameterStore.Updated);
  assert.ok((await api.query.parameterStore.parameters(key)).isNone);
});

/** Polls `check` every block time until it returns a value other than undefined. */
async function until(what, check, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
    await sleep(2000);
  }
}

test('Referenda: token holders pass a zerog_admin referendum that sets a parameter, enacted by the scheduler; a root-only call on that track is enacted with BadOrigin', async () => {
  const key = { Storage: { FeePerChunk: null } };
  const fee = 10n ** 12n;
  const setFee = api.tx.parameters.setParameter({ Storage: { FeePerChunk: [null, fee] } });
  const upgrade = api.tx.system.authorizeUpgrade(blake2AsHex('not a runtime'));
  const voters = [alice, bob, charlie, dave, eve, ferdie];

  // Two proposals on the admin track: one it may enact, one only root may.
  const submitted = await submitAll([setFee, upgrade].map((call) => [
    api.tx.referenda.submit({ Origins: 'ZerogAdmin' }, { Inline: call.method.toHex() }, { After: 1 }),
    alice,
  ]));
  const [good, bad] = submitted.map((result) =>
    theEvent(result, api.events.referenda.Submitted).data.index.toNumber());
  const info = (await api.query.referenda.referendumInfoFor(good)).unwrap().asOngoing;
  assert.equal(info.track.toNumber(), 1, 'the zerog_admin track');
  await submitAll([good, bad].map((index) => [api.tx.referenda.placeDecisionDeposit(index), alice]));
  // Six dev accounts vote aye with 900,000 ZG each: enough support to pass after the dev
  // chain's short prepare and confirm periods.
  const votes = [];
  for (const index of [good, bad]) {
    for (const voter of voters) {
      votes.push([api.tx.convictionVoting.vote(index, {
        Standard: { vote: { aye: true, conviction: 'None' }, balance: 900_000n * ZG },
      }), voter]);
    }
  }
  // Enactments are seen as events, block by block, from here on: the scheduler's task named
  // blake2_256(("assembly", "enactment", index)) (the referenda's alarms are anonymous).
  const enactmentId = (index) => blake2AsHex(u8aConcat(stringToU8a('assembly'),
    compactAddLength(stringToU8a('enactment')), bnToU8a(index, { bitLength: 32, isLe: true })), 256);
  const enacted = new Map();
  const unsubscribe = await api.query.system.events((events) => {
    for (const { event } of events) {
      if (api.events.scheduler.Dispatched.is(event) && event.data.id.isSome) {
        enacted.set(event.data.id.unwrap().toHex(), event.data.result);
      }
    }
  });
  for (const result of await submitAll(votes)) theEvent(result, api.events.convictionVoting.Voted);

  await until('both enactments', async () => (enacted.size >= 2 ? true : undefined));
  unsubscribe();
  for (const index of [good, bad]) {
    assert.ok((await api.query.referenda.referendumInfoFor(index)).unwrap().isApproved, `referendum ${index}`);
  }
  assert.ok(enacted.get(enactmentId(good))?.isOk, `${enacted.get(enactmentId(good))}`);
  assert.ok(enacted.get(enactmentId(bad))?.asErr.isBadOrigin, `${enacted.get(enactmentId(bad))}`);
  assert.equal((await api.query.parameterStore.parameters(key)).unwrap().asStorage.asFeePerChunk.toBigInt(), fee);
  // The admin origin is not root: the upgrade authorized nothing.
  assert.ok((await api.query.system.authorizedUpgrade()).isNone, 'no upgrade was authorized');

  // Deposits come back once a referendum is decided; votes are removed and their locks lifted.
  const cleanup = [];
  for (const index of [good, bad]) {
    cleanup.push([api.tx.referenda.refundDecisionDeposit(index), alice]);
    cleanup.push([api.tx.referenda.refundSubmissionDeposit(index), alice]);
    for (const voter of voters) cleanup.push([api.tx.convictionVoting.removeVote(1, index), voter]);
  }
  for (const result of await submitAll(cleanup)) {
    assert.equal(result.dispatchError, undefined, describeError(result.dispatchError));
  }
  for (const result of await submitAll(voters.map((voter) => [api.tx.convictionVoting.unlock(1, accountOf(voter)), voter]))) {
    assert.equal(result.dispatchError, undefined, describeError(result.dispatchError));
  }
  const locks = await api.query.balances.locks(accountOf(bob));
  assert.ok(!locks.some((lock) => lock.id.toUtf8() === 'pyconvot'), `locks ${locks}`);

  // An account's origin has no track.
  assertFailedWith(await submit(api.tx.referenda.submit({ system: { Signed: accountOf(bob) } },
    { Inline: setFee.method.toHex() }, { After: 1 }), alice), 'referenda.NoTrack', /track/i);

  // Back to the default, for the rest of the suite.
  theEvent(await submit(api.tx.sudo.sudo(api.tx.parameters.setParameter({ Storage: { FeePerChunk: [null, null] } })), alice),
    api.events.parameterStore.Updated);
});
