// The official `openai` npm client, unchanged, pays ZeroG inference (issue 15): given the
// gateway's base URL and the `zerogFetch` hook of @zerog/sdk (which signs each request's cap
// receipt, checks the metered receipt of the answer and countersigns it), a chat completion and
// a streamed chat completion through `zerog-executor --dev` are answered and then settled on
// chain by the executor: Bob's sub-account for Alice loses exactly the metered fees, which
// `ReceiptsSettled` pays to Alice, and Bob's ledger hold shrinks by the same amount.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import OpenAI from 'openai';
import { JsonRpcProvider } from 'ethers';
import { u8aToHex } from '@polkadot/util';
import { listServices, price, readService, zerogFetch } from '@zerog/sdk/compute';
import { substrateSigner } from '@zerog/sdk/signers';
import { computeContract, ethereumSigner } from '@zerog/sdk/ethereum';
import { devWallet } from '../lib/accounts.mjs';
import { startDevExecutor, startDevNode } from '../lib/node.mjs';
import { connectApi, keyring, ZG } from '../lib/substrate.mjs';

const ECHO_LABEL = '[zerog-executor --dev echo backend, not a model]';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let node, api, executor, gatewayPort, alice, bob;

before(async () => {
  node = await startDevNode('openai');
  api = await connectApi(node.wsUrl);
  [alice, bob] = ['//Alice', '//Bob'].map((uri) => keyring().addFromUri(uri));
  // Alice's development executor: the echo backend, her services pointed at its port.
  executor = await startDevExecutor(node);
  gatewayPort = executor.gatewayPort;
});

after(async () => {
  await executor?.stop();
  await api?.disconnect();
  await node?.stop();
});

/** Bob's sub-account for Alice and his ledger hold, at the best block. */
async function bobsFunds() {
  const sub = await api.query.computeEscrow.subAccounts(bob.address, alice.address);
  const holds = await api.query.balances.holds(bob.address);
  const ledger = holds.find((hold) => hold.id.isComputeEscrow && hold.id.asComputeEscrow.isLedger);
  return {
    balance: sub.balance.toBigInt(),
    lastNonce: sub.lastNonce.toBigInt(),
    ledgerHold: ledger ? ledger.amount.toBigInt() : 0n,
  };
}

/** `ComputeEscrow.ReceiptsSettled` events for Alice in blocks `from..=to`. */
async function settledEvents(from, to) {
  const found = [];
  for (let number = from; number <= to; number++) {
    const hash = await api.rpc.chain.getBlockHash(number);
    const events = await (await api.at(hash)).query.system.events();
    for (const { event } of events) {
      if (api.events.computeEscrow.ReceiptsSettled.is(event) && event.data.provider.eq(alice.address)) {
        found.push({ number, paid: event.data.paid.toBigInt(), outcomes: event.data.outcomes.map((o) => o.type) });
      }
    }
  }
  return found;
}

test('a chat completion and a streamed one are paid through the openai client and settled', async () => {
  const service = await readService(api, 0);
  assert.equal(service.endpoint, `http://127.0.0.1:${gatewayPort}`, 'the dev executor points its service here');
  const start = await bobsFunds();
  const firstBlock = (await api.rpc.chain.getHeader()).number.toNumber();
  const receipts = [];
  const openai = new OpenAI({
    baseURL: `${service.endpoint}/v1`,
    apiKey: 'unused: the signed headers pay',
    maxRetries: 0,
    fetch: zerogFetch({ pair: bob, service, firstNonce: start.lastNonce + 1n, onReceipt: (r) => receipts.push(r) }),
  });
  const messages = [{ role: 'user', content: 'What is ZeroG, in a few words?' }];

  const chat = await openai.chat.completions.create({ model: 'zerog-dev-echo', messages, max_tokens: 64 });
  const content = chat.choices[0].message.content;
  assert.equal(content, `${ECHO_LABEL} What is ZeroG, in a few words?`);
  assert.equal(chat.usage.completion_tokens, content.split(/\s+/).length);

  const stream = await openai.chat.completions.create({ model: 'zerog-dev-echo', messages, max_tokens: 64, stream: true });
  let streamed = '';
  let chunks = 0;
  let usage;
  for await (const chunk of stream) {
    chunks += 1;
    streamed += chunk.choices[0]?.delta?.content ?? '';
    if (chunk.usage) usage = chunk.usage;
  }
  assert.equal(streamed, content, 'the stream carries the same answer, word by word');
  assert.ok(chunks > content.split(' ').length, `${chunks} chunks`);
  assert.equal(usage?.completion_tokens, chat.usage.completion_tokens);

  // Both metered receipts were checked and countersigned by the hook, at the service's prices.
  assert.equal(receipts.length, 2);
  for (const [i, receipt] of receipts.entries()) {
    assert.equal(receipt.nonce, start.lastNonce + 1n + BigInt(i));
    assert.equal(receipt.inputTokens, BigInt(chat.usage.prompt_tokens));
    assert.equal(receipt.outputTokens, BigInt(chat.usage.completion_tokens));
    assert.equal(receipt.fee, price(service, receipt.inputTokens, receipt.outputTokens));
    assert.ok(receipt.fee > 0n);
  }
  const fees = receipts[0].fee + receipts[1].fee;

  // The executor settles the countersigned receipts (every 6 s with --dev).
  const deadline = Date.now() + 120_000;
  let now = await bobsFunds();
  while (now.lastNonce < receipts[1].nonce) {
    assert.ok(Date.now() < deadline, `not settled:\n${readFileSync(executor.logPath, 'utf8').split('\n').slice(-30).join('\n')}`);
    await sleep(1000);
    now = await bobsFunds();
  }
  assert.equal(start.balance - now.balance, fees, 'the sub-account pays exactly the metered fees');
  assert.equal(start.ledgerHold - now.ledgerHold, fees, 'and they leave Bob\'s ledger hold');
  const lastBlock = (await api.rpc.chain.getHeader()).number.toNumber();
  const settled = await settledEvents(firstBlock, lastBlock);
  assert.equal(settled.reduce((total, event) => total + event.paid, 0n), fees, 'Alice is paid the fees');
  assert.deepEqual(settled.flatMap((event) => event.outcomes), ['Settled', 'Settled']);
});

test('the SDK lists the services and funds a provider from a Substrate account and from an Ethereum wallet', async () => {
  const services = await listServices(api);
  assert.deepEqual(services.map((service) => [service.id, service.kind]), [[0n, 'inference'], [1n, 'job']]);
  for (const service of services) {
    assert.equal(u8aToHex(service.provider), u8aToHex(alice.publicKey));
    assert.equal(service.endpoint, `http://127.0.0.1:${gatewayPort}`);
    assert.equal(service.verifiable, false);
    assert.ok(service.stake > 0n);
  }

  const before = (await bobsFunds()).balance;
  await substrateSigner({ api, pair: bob }).fundCompute({ provider: alice.publicKey, amount: 2n * ZG });
  assert.equal((await bobsFunds()).balance, before + 2n * ZG);

  const provider = new JsonRpcProvider(node.ethUrl, 16900, { staticNetwork: true });
  provider.pollingInterval = 500;
  try {
    const wallet = devWallet(4, provider);
    const compute = computeContract(provider);
    const account = await compute.accountOf(wallet.address);
    const was = await compute.subAccount(account, u8aToHex(alice.publicKey));
    await ethereumSigner(wallet).fundCompute({ provider: alice.publicKey, amount: ZG });
    assert.equal(await compute.subAccount(account, u8aToHex(alice.publicKey)), was + ZG);
  } finally {
    provider.destroy();
  }
});
