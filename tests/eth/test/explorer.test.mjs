// zerog-explorer against a real `zerog-node --dev`, on SQLite and on PostgreSQL side by side: a
// balance transfer appears in the API with exact values (call, signer, arguments, events, the
// transfer, both accounts), search leads to the right page, the two databases answer the same,
// a killed explorer resumes where it left off without losing or duplicating a block, and a real
// Chromium searches, opens an account by SS58 and by 0x and follows a transfer to its block
// (screenshots in $ZEROG_ARTIFACTS).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { u8aToHex } from '@polkadot/util';
import { mnemonicGenerate } from '@polkadot/util-crypto';
import { chromium } from 'playwright-core';
import { startDevNode } from '../lib/node.mjs';
import { connectApi, keyring, sendAll, ZG } from '../lib/substrate.mjs';
import { indexedUpTo, startExplorer, startPostgres } from '../lib/explorer.mjs';

const chromiumPath = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
const artifacts = process.env.ZEROG_ARTIFACTS ?? mkdtempSync(join(tmpdir(), 'zerog-artifacts-'));

let node, api, postgres, onSqlite, onPostgres, transfer;
const alice = () => keyring().addFromUri('//Alice');

/** The number of the node's finalized head. */
async function finalizedNumber() {
  const hash = await api.rpc.chain.getFinalizedHead();
  return (await api.rpc.chain.getHeader(hash)).number.toNumber();
}

/** Resolves once block `number` is finalized. */
async function finalized(number) {
  while (await finalizedNumber() < number) await new Promise((r) => setTimeout(r, 500));
}

before(async () => {
  node = await startDevNode('explorer');
  api = await connectApi(node.wsUrl);
  postgres = await startPostgres();
  onSqlite = await startExplorer(node);
  onPostgres = await startExplorer(node, { database: postgres.url });

  // 12.345 ZG from Alice to a fresh account.
  const recipient = keyring().addFromUri(mnemonicGenerate());
  const amount = 12_345n * ZG / 1000n;
  const tx = api.tx.balances.transferKeepAlive(recipient.address, amount);
  const [{ blockHash }] = await sendAll(api, [{ tx, signer: alice() }]);
  const number = (await api.rpc.chain.getHeader(blockHash)).number.toNumber();
  await finalized(number);
  transfer = { recipient, amount, hash: tx.hash.toHex(), blockHash: blockHash.toHex(), number };
  await Promise.all([indexedUpTo(onSqlite, number), indexedUpTo(onPostgres, number)]);
});

after(async () => {
  await onSqlite?.stop();
  await onPostgres?.stop();
  await postgres?.stop();
  await api?.disconnect();
  await node?.stop();
});

for (const [name, explorer] of [['SQLite', () => onSqlite], ['PostgreSQL', () => onPostgres]]) {
  test(`${name}: a transfer appears with its exact call, signer, arguments and events`, async () => {
    const { status, body } = await explorer().get(`/api/extrinsics/${transfer.hash}`);
    assert.equal(status, 200, JSON.stringify(body));
    const { extrinsic, events } = body;
    assert.equal(extrinsic.block_number, transfer.number);
    assert.equal(`${extrinsic.pallet}.${extrinsic.call}`, 'Balances.transfer_keep_alive');
    assert.equal(extrinsic.signer, u8aToHex(alice().publicKey));
    assert.equal(extrinsic.success, true);
    assert.deepEqual(extrinsic.args, { dest: { Id: u8aToHex(transfer.recipient.publicKey) }, value: String(transfer.amount) });
    const moved = events.find((event) => event.pallet === 'Balances' && event.name === 'Transfer');
    assert.deepEqual(moved.fields, { from: u8aToHex(alice().publicKey), to: u8aToHex(transfer.recipient.publicKey), amount: String(transfer.amount) });
    assert.ok(events.some((event) => event.pallet === 'System' && event.name === 'ExtrinsicSuccess'));

    const block = (await explorer().get(`/api/blocks/${transfer.number}`)).body;
    assert.equal(block.block.hash, transfer.blockHash);
    assert.equal(block.block.parent_hash, (await api.rpc.chain.getHeader(transfer.blockHash)).parentHash.toHex());
    const onChain = await api.rpc.chain.getBlock(transfer.blockHash);
    assert.equal(block.extrinsics.length, onChain.block.extrinsics.length);
    assert.equal(block.block.timestamp_ms, (await api.query.timestamp.now.at(transfer.blockHash)).toNumber());
    assert.deepEqual((await explorer().get(`/api/blocks/${transfer.blockHash}`)).body, block);
  });

  test(`${name}: an account reads the same by SS58 and by 0x, with its balance and transfers`, async () => {
    const bySs58 = (await explorer().get(`/api/accounts/${transfer.recipient.address}`)).body;
    const byHex = (await explorer().get(`/api/accounts/${u8aToHex(transfer.recipient.publicKey)}`)).body;
    assert.deepEqual(bySs58, byHex);
    assert.equal(bySs58.ss58, transfer.recipient.address);
    assert.equal(bySs58.balance, String(transfer.amount));
    assert.equal(bySs58.balance_zg, '12.345 ZG');
    assert.deepEqual(bySs58.transfers, [{
      block_number: transfer.number, event: bySs58.transfers[0].event,
      sender: u8aToHex(alice().publicKey), recipient: u8aToHex(transfer.recipient.publicKey), amount: String(transfer.amount),
    }]);
    const aliceView = (await explorer().get(`/api/accounts/${alice().address}`)).body;
    assert.ok(aliceView.extrinsics.some((extrinsic) => extrinsic.hash === transfer.hash));
  });

  test(`${name}: search leads to blocks, extrinsics and accounts, and refuses what it cannot find`, async () => {
    const search = async (q) => (await explorer().get(`/api/search?q=${encodeURIComponent(q)}`));
    assert.equal((await search(String(transfer.number))).body.path, `/block/${transfer.number}`);
    assert.equal((await search(transfer.blockHash)).body.path, `/block/${transfer.blockHash}`);
    assert.equal((await search(transfer.hash)).body.path, `/extrinsic/${transfer.hash}`);
    assert.equal((await search(transfer.recipient.address)).body.path, `/account/${transfer.recipient.address}`);
    const future = await search('99999999');
    assert.equal(future.status, 404);
    assert.match(future.body.error.message, /not finalized and indexed yet/);
    assert.equal((await search('<script>')).status, 404);
    assert.equal((await explorer().get('/api/blocks/notablock')).status, 400);
    assert.equal((await explorer().get('/api/extrinsics/1-99999')).status, 404);
    const page = await explorer().get(`/search?q=${transfer.hash}`);
    assert.equal(page.status, 303);
    assert.equal(page.headers.get('location'), `/extrinsic/${transfer.hash}`);
  });
}

test('SQLite and PostgreSQL answer the same for every block up to the transfer', async () => {
  for (let number = 0; number <= transfer.number; number++) {
    const [a, b] = await Promise.all([onSqlite.get(`/api/blocks/${number}`), onPostgres.get(`/api/blocks/${number}`)]);
    assert.equal(a.status, 200, `block ${number}`);
    assert.deepEqual(a.body, b.body, `block ${number}`);
  }
});

test('a killed explorer resumes where it left off: no block lost, none twice', async () => {
  await onSqlite.stop();
  await sendAll(api, [{ tx: api.tx.balances.transferKeepAlive(keyring().addFromUri(mnemonicGenerate()).address, ZG), signer: alice() }]);
  onSqlite = await onSqlite.restart();
  assert.match(onSqlite.log(), /indexing ws:\/\/127\.0\.0\.1:\d+ from block [1-9]\d*/);
  const head = await finalizedNumber();
  const indexed = await indexedUpTo(onSqlite, head);
  const blocks = (await onSqlite.get(`/api/blocks?limit=100`)).body.map((block) => block.number);
  const expected = Array.from({ length: Math.min(100, indexed + 1) }, (_, i) => indexed - i);
  assert.deepEqual(blocks, expected);
  for (const number of [0, transfer.number, head]) {
    const hash = (await api.rpc.chain.getBlockHash(number)).toHex();
    assert.equal((await onSqlite.get(`/api/blocks/${number}`)).body.block.hash, hash);
  }
});

test('a browser searches an address, sees the same account by SS58 and 0x, and follows a transfer to its block', async () => {
  assert.ok(existsSync(chromiumPath), `no Chromium at ${chromiumPath} (apt-get install chromium, or set CHROMIUM_BIN)`);
  mkdirSync(artifacts, { recursive: true });
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 }, javaScriptEnabled: false });
    await page.goto(onPostgres.url);
    const newest = (await onPostgres.get('/api/blocks?limit=1')).body[0].number;
    assert.ok(await page.isVisible(`#blocks a[href="/block/${newest}"]`) || newest > transfer.number);
    assert.ok((await page.$$('#blocks a')).length > 0);
    await page.screenshot({ path: join(artifacts, 'explorer-home.png') });

    await page.fill('#search', transfer.recipient.address);
    await page.press('#search', 'Enter');
    await page.waitForURL(`**/account/${transfer.recipient.address}`);
    assert.equal(await page.textContent('#ss58'), transfer.recipient.address);
    assert.equal(await page.textContent('#balance'), '12.345 ZG');
    await page.screenshot({ path: join(artifacts, 'explorer-account.png') });

    await page.goto(`${onPostgres.url}/account/${u8aToHex(transfer.recipient.publicKey)}`);
    assert.equal(await page.textContent('#ss58'), transfer.recipient.address);
    assert.equal(await page.textContent('#hex'), u8aToHex(transfer.recipient.publicKey));

    await page.click(`#transfers a[href="/block/${transfer.number}"]`);
    await page.waitForURL(`**/block/${transfer.number}`);
    assert.match(await page.textContent('#block'), new RegExp(transfer.blockHash));
    assert.match(await page.textContent('main'), /Balances\.transfer_keep_alive/);
    await page.screenshot({ path: join(artifacts, 'explorer-block.png'), fullPage: true });
  } finally {
    await browser.close();
    console.log(`# screenshots in ${artifacts}`);
  }
});
