// The EVM seen from the Substrate side: a contract used through the Ethereum JSON-RPC shows up
// as `Revive` events of the Substrate block, and a Substrate account (Alice, sr25519) calls the
// same contract with a signed `Revive::call` extrinsic submitted through @polkadot/api.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ContractFactory, JsonRpcProvider, getAddress } from 'ethers';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { keccakAsU8a, cryptoWaitReady } from '@polkadot/util-crypto';
import { u8aToHex } from '@polkadot/util';
import { startDevNode } from '../lib/node.mjs';
import { compile } from '../lib/compile.mjs';
import { devWallet } from '../lib/accounts.mjs';

let node, provider, api, guestbook, alice;

before(async () => {
  node = await startDevNode('substrate');
  provider = new JsonRpcProvider(node.ethUrl, 16900, { staticNetwork: true });
  provider.pollingInterval = 500;
  const artifact = compile('Guestbook.sol', 'Guestbook');
  guestbook = await new ContractFactory(artifact.abi, artifact.bytecode, devWallet(0, provider)).deploy();
  await guestbook.waitForDeployment();

  await cryptoWaitReady();
  api = await ApiPromise.create({ provider: new WsProvider(node.wsUrl), noInitWarn: true });
  alice = new Keyring({ type: 'sr25519', ss58Format: 6900 }).addFromUri('//Alice');
});

after(async () => {
  await api?.disconnect();
  provider?.destroy();
  await node?.stop();
});

/** The events of the Substrate block with number `number`. */
async function eventsAt(number) {
  const hash = await api.rpc.chain.getBlockHash(number);
  return (await api.at(hash)).query.system.events();
}

test('an Ethereum transaction emits Revive events in its Substrate block', async () => {
  const receipt = await (await guestbook.sign('seen from substrate')).wait();
  assert.equal(receipt.status, 1);

  const events = await eventsAt(receipt.blockNumber);
  const emitted = events.filter(({ event }) => api.events.revive.ContractEmitted.is(event));
  assert.equal(emitted.length, 1, events.map(({ event }) => `${event.section}.${event.method}`).join(', '));
  const { contract, topics } = emitted[0].event.data;
  assert.equal(getAddress(contract.toHex()), await guestbook.getAddress());
  // Same event as the Ethereum log: same topics.
  assert.deepEqual(topics.map((t) => t.toHex()), receipt.logs[0].topics);
});

test('a Substrate account calls the contract with a signed Revive::call extrinsic', async () => {
  const entriesBefore = await guestbook.entries();
  const data = guestbook.interface.encodeFunctionData('sign', ['signed by Alice']);
  const weightLimit = api.createType('Weight', { refTime: 50_000_000_000n, proofSize: 1_000_000n });
  const storageDepositLimit = 10n ** 18n;
  const contract = await guestbook.getAddress();

  const { blockHash, events } = await new Promise((resolve, reject) => {
    api.tx.revive
      .call(contract, 0, weightLimit, storageDepositLimit, data)
      .signAndSend(alice, ({ status, events, dispatchError }) => {
        if (dispatchError) reject(new Error(dispatchError.toString()));
        else if (status.isInBlock) resolve({ blockHash: status.asInBlock, events });
      })
      .catch(reject);
  });
  assert.ok(events.some(({ event }) => api.events.system.ExtrinsicSuccess.is(event)));
  assert.ok(events.some(({ event }) => api.events.revive.ContractEmitted.is(event)));

  // The contract's event, read from the Substrate event and decoded with the contract's ABI.
  // (eth_getLogs only indexes Ethereum transactions, so it is read here on the Substrate side.)
  // Alice's Ethereum address is the last 20 bytes of keccak-256 of her account id: the
  // contract saw her as `msg.sender`.
  const aliceAddress = getAddress(u8aToHex(keccakAsU8a(alice.publicKey).slice(12)));
  const emitted = events.find(({ event }) => api.events.revive.ContractEmitted.is(event)).event.data;
  assert.equal(getAddress(emitted.contract.toHex()), contract);
  const signed = guestbook.interface.parseLog({
    topics: emitted.topics.map((topic) => topic.toHex()),
    data: emitted.data.toHex(),
  });
  assert.equal(signed.args.guest, aliceAddress);
  assert.equal(signed.args.message, 'signed by Alice');
  assert.ok(blockHash);
  assert.equal(await guestbook.entries(), entriesBefore + 1n);
});
