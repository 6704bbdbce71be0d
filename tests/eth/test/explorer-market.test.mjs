// The explorer's marketplace against a real `zerog-node --dev`: models and datasets Alice
// registers (paid, gated, public, encrypted) are listed newest first and filtered by kind,
// license, access and price, by the API and by the page's form; in headless Chromium a test
// wallet (an ethers key behind an injected EIP-1193 provider, signing real transactions) opens
// a model's page, buys it through IZeroGMarketplace and sees its grant; on an encrypted dataset
// is refused by name with nothing sent until it registers its encryption key (derived from a
// signature, the same key @zerog/sdk derives), then buys it, and the key Alice delivers opens
// the dataset with the SDK; requests a gated dataset; and deploys the model it bought on its own
// compute service. Screenshots in $ZEROG_ARTIFACTS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonRpcProvider, getBytes } from 'ethers';
import { chromium } from 'playwright-core';
import { encodeAddress } from '@polkadot/util-crypto';
import { u8aToHex } from '@polkadot/util';
import { uploadFile } from '@zerog/sdk/files';
import { substrateSigner } from '@zerog/sdk/signers';
import { ethereumEncryptionKey, loadEncryption } from '@zerog/sdk/encryption';
import { Marketplace } from '@zerog/sdk/marketplace';
import { devWallet } from '../lib/accounts.mjs';
import { startDevNode } from '../lib/node.mjs';
import { connectApi, keyring, sendAll, SS58_PREFIX, ZG } from '../lib/substrate.mjs';
import { startExplorer } from '../lib/explorer.mjs';

const chromiumPath = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
const artifacts = process.env.ZEROG_ARTIFACTS ?? mkdtempSync(join(tmpdir(), 'zerog-artifacts-'));

let node, api, provider, explorer, alice, market;
/** The assets' ids by name. */
const ids = {};
/** The encrypted datasets' plaintext and content key. */
let secret;

/** The account an Ethereum address acts as (pallet-revive's fallback: the address, then 0xEE×12). */
const accountOf = (address) => `${address.toLowerCase()}${'ee'.repeat(12)}`;

before(async () => {
  node = await startDevNode('explorer-market');
  api = await connectApi(node.wsUrl);
  provider = new JsonRpcProvider(node.ethUrl, 16900, { staticNetwork: true });
  provider.pollingInterval = 500;
  explorer = await startExplorer(node);
  alice = keyring().addFromUri('//Alice');

  market = new Marketplace(node.wsUrl);

  // Alice stores a model and an encrypted dataset and registers four assets over them.
  const signer = substrateSigner({ api, pair: alice });
  const plain = new Uint8Array(randomBytes(7000));
  const { data: ciphertext, key } = (await loadEncryption()).encrypt(plain);
  secret = { plain, key };
  const model = await uploadFile({ node: node.wsUrl, file: new Uint8Array(randomBytes(5000)), signer });
  const data = await uploadFile({ node: node.wsUrl, file: ciphertext, signer });
  const first = (await api.query.marketplace.nextAssetId()).toNumber();
  const assets = [
    ['tiny-llama-chat', 'Model', '0.1', 'Apache-2.0', model, false, 'Paid', 2n * ZG],
    ['eth-prices', 'Dataset', '2026.12', 'MIT', data, true, 'Gated', 0n],
    ['public-corpus', 'Dataset', '1', 'CC0-1.0', data, false, 'Public', 0n],
    ['private-ticks', 'Dataset', '1', 'MIT', data, true, 'Paid', ZG],
  ];
  await sendAll(api, assets.map(([name, kind, version, license, file, encrypted, policy, price]) => ({
    tx: api.tx.marketplace.registerAsset(kind, name, version, license, file.root, file.size, null, encrypted, policy, price, 100),
    signer: alice,
  })));
  assets.forEach(([name], i) => { ids[name] = first + i; });
  ids.modelRoot = model.root;
});

after(async () => {
  provider?.destroy();
  await explorer?.stop();
  await api?.disconnect();
  await node?.stop();
});

/** Names of the assets `/api/market/assets?<query>` lists, in order. */
async function listed(query = '') {
  const { status, body } = await explorer.get(`/api/market/assets?${query}`);
  assert.equal(status, 200, JSON.stringify(body));
  return body.assets.map((asset) => asset.name);
}

test('the API lists assets newest first, filters them, and refuses what it does not understand', async () => {
  assert.deepEqual(await listed(), ['private-ticks', 'public-corpus', 'eth-prices', 'tiny-llama-chat']);
  assert.deepEqual(await listed('kind=model'), ['tiny-llama-chat']);
  assert.deepEqual(await listed('license=mit'), ['private-ticks', 'eth-prices']);
  assert.deepEqual(await listed('policy=gated'), ['eth-prices']);
  // Public and gated assets cost nothing; the model costs 2 ZG.
  assert.deepEqual(await listed('max_price=1ZG'), ['private-ticks', 'public-corpus', 'eth-prices']);
  assert.deepEqual(await listed('q=LLAMA%20chat'), ['tiny-llama-chat']);
  assert.deepEqual(await listed('kind=dataset&policy=paid&license=MIT'), ['private-ticks']);

  const { body: model } = await explorer.get(`/api/market/assets/${ids['tiny-llama-chat']}`);
  assert.equal(model.kind, 'model');
  assert.equal(model.policy, 'paid');
  assert.equal(model.price, (2n * ZG).toString());
  assert.equal(model.priceZg, '2 ZG');
  assert.equal(model.root, ids.modelRoot);
  assert.equal(model.encrypted, false);
  assert.equal(model.owner, encodeAddress(alice.publicKey, SS58_PREFIX));

  for (const [path, status, code] of [
    ['/api/market/assets?kind=car', 400, 'bad_request'],
    ['/api/market/assets?max_price=lots', 400, 'bad_request'],
    ['/api/market/assets/999999', 404, 'not_found'],
    ['/api/market/assets/abc', 400, 'bad_request'],
    [`/api/market/assets/${ids['eth-prices']}/grants/not-an-address`, 400, 'bad_request'],
  ]) {
    const answer = await explorer.get(path);
    assert.equal(answer.status, status, path);
    assert.equal(answer.body.error.code, code, path);
  }
  const { body: none } = await explorer.get(`/api/market/assets/${ids['eth-prices']}/grants/${alice.address}`);
  assert.equal(none.status, 'none');
});

/** A test wallet for the page: `ethereum.request` answered by an ethers key in this process. */
async function withWallet(context, wallet) {
  const sent = [];
  await context.exposeFunction('zerogTestWallet', async (method, params) => {
    try {
      if (method === 'eth_requestAccounts' || method === 'eth_accounts') return { result: [wallet.address.toLowerCase()] };
      if (method === 'personal_sign') return { result: await wallet.signMessage(getBytes(params[0])) };
      if (method === 'eth_sendTransaction') {
        const [transaction] = params;
        const response = await wallet.sendTransaction({ to: transaction.to, data: transaction.data, value: BigInt(transaction.value ?? 0) });
        sent.push(response.hash);
        return { result: response.hash };
      }
      return { result: await provider.send(method, params) };
    } catch (error) {
      const rpc = error.info?.error ?? error.error ?? {};
      return { error: { code: rpc.code ?? -32000, message: rpc.message ?? error.shortMessage ?? error.message, data: rpc.data ?? error.data } };
    }
  });
  await context.addInitScript(() => {
    window.ethereum = {
      isZeroGTestWallet: true,
      request: async ({ method, params }) => {
        const answer = await window.zerogTestWallet(method, params ?? []);
        if (answer.error) throw Object.assign(new Error(answer.error.message), answer.error);
        return answer.result;
      },
    };
  });
  return sent;
}

test('in Chromium, a wallet finds a model, buys it and sees its grant; requests a gated dataset; deploys the model; is refused by name', async () => {
  mkdirSync(artifacts, { recursive: true });
  const wallet = devWallet(4, provider);
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
  try {
    const context = await browser.newContext();
    const sent = await withWallet(context, wallet);
    const page = await context.newPage();

    // Browse: the market page, filtered to models with the form.
    await page.goto(`${explorer.url}/`);
    await page.click('a[href="/market"]');
    assert.equal(await page.textContent('h1'), 'Marketplace');
    assert.equal((await page.$$('#assets tr[data-asset]')).length, 4);
    await page.selectOption('select[name=kind]', 'model');
    await Promise.all([page.waitForURL('**/market?*kind=model*'), page.click('#filter button[type=submit]')]);
    const rows = await page.$$eval('#assets tr[data-asset]', (trs) => trs.map((tr) => Number(tr.dataset.asset)));
    assert.deepEqual(rows, [ids['tiny-llama-chat']]);
    await page.screenshot({ path: join(artifacts, 'market-list.png'), fullPage: true });

    // Open the model and buy it with the wallet.
    await page.click(`#assets a[href="/market/${ids['tiny-llama-chat']}"] >> nth=0`);
    await page.waitForURL(`**/market/${ids['tiny-llama-chat']}`);
    assert.equal(await page.textContent('h1'), 'tiny-llama-chat 0.1');
    assert.match(await page.textContent('[data-field=terms]'), /2 ZG per 100 blocks/);
    await page.click('#connect');
    await page.waitForSelector('#grant[data-status=none]');
    assert.match(await page.textContent('#wallet-status'), new RegExp(wallet.address, 'i'));
    const balanceBefore = await provider.getBalance(wallet.address);
    await page.click('#buy');
    await page.waitForSelector('#grant[data-status=active]', { timeout: 120_000 });
    assert.match(await page.textContent('#grant'), /Access: download until block \d+/);
    await page.screenshot({ path: join(artifacts, 'market-bought.png'), fullPage: true });
    assert.equal(sent.length, 1);
    const grant = (await api.query.marketplace.grants(ids['tiny-llama-chat'], accountOf(wallet.address))).unwrap();
    assert.equal(grant.scope.type, 'Download');
    assert.ok(grant.expiresAt.isSome);
    // The price (and the fee) left the wallet.
    assert.ok(balanceBefore - (await provider.getBalance(wallet.address)) >= 2n * ZG);

    // An encrypted paid dataset for download needs a registered key: refused by name in the
    // simulation, so nothing is sent.
    await page.goto(`${explorer.url}/market/${ids['private-ticks']}`);
    await page.click('#connect');
    await page.waitForSelector('#grant[data-status=none]');
    assert.equal(await page.isVisible('#register-key'), true);
    await page.click('#buy');
    await page.waitForSelector('#wallet-status.failed');
    assert.match(await page.textContent('#wallet-status'), /NoEncryptionKey/);
    assert.equal(sent.length, 1);
    await page.screenshot({ path: join(artifacts, 'market-refused.png'), fullPage: true });

    // The wallet registers its key (a signature, then a call), the same key the SDK derives.
    await page.click('#register-key');
    await page.waitForSelector('#wallet[data-encryption-key^="0x"]', { timeout: 120_000 });
    assert.equal(sent.length, 2);
    assert.equal(await page.isVisible('#register-key'), false);
    const walletKeys = await ethereumEncryptionKey(wallet);
    const registered = await page.getAttribute('#wallet', 'data-encryption-key');
    assert.equal(registered, u8aToHex(walletKeys.publicKey));
    assert.equal(u8aToHex(await market.encryptionKey(wallet.address)), registered);

    // Now it buys; the price is held until Alice delivers the key.
    await page.click('#buy');
    await page.waitForSelector('#grant[data-status=active]', { timeout: 120_000 });
    assert.match(await page.textContent('#grant'), /Key not delivered yet; the price is held/);
    assert.equal(sent.length, 3);
    const sealed = await market.sealFor(wallet.address, secret.key);
    await sendAll(api, [{ tx: api.tx.marketplace.deliverKey(ids['private-ticks'], accountOf(wallet.address), u8aToHex(sealed)), signer: alice }]);
    const { data } = await market.download(ids['private-ticks'], { account: wallet.address, secretKey: walletKeys.secretKey });
    assert.deepEqual(data, secret.plain);
    await page.reload();
    await page.click('#connect');
    await page.waitForSelector('#grant[data-status=active]');
    assert.match(await page.textContent('#grant'), /Key delivered/);
    await page.screenshot({ path: join(artifacts, 'market-delivered.png'), fullPage: true });

    // A gated dataset: the wallet requests compute-only access; the owner has not answered.
    await page.goto(`${explorer.url}/market/${ids['eth-prices']}`);
    await page.click('#connect');
    await page.waitForSelector('#grant[data-status=none]');
    await page.selectOption('select[name=scope]', 'compute');
    await page.click('#request');
    await page.waitForSelector('#grant[data-status=requested]', { timeout: 120_000 });
    assert.match(await page.textContent('#grant'), /Requested compute access/);
    await page.screenshot({ path: join(artifacts, 'market-requested.png'), fullPage: true });
    const request = (await api.query.marketplace.grants(ids['eth-prices'], accountOf(wallet.address))).unwrap();
    assert.equal(request.scope.type, 'Compute');
    assert.ok(request.expiresAt.isNone);
    const { body } = await explorer.get(`/api/market/assets/${ids['eth-prices']}/grants/${wallet.address}`);
    assert.equal(body.status, 'requested');

    // The wallet's account runs an inference service (registered as its fallback account, through
    // sudo here) and deploys the model it bought on it from the model's page.
    const service = (await api.query.computeEscrow.nextServiceId()).toNumber();
    await sendAll(api, [{
      tx: api.tx.sudo.sudoAs(accountOf(wallet.address), api.tx.computeEscrow.registerService(
        'Inference', 'tiny-llama-chat', 'http://127.0.0.1:9300/v1', 1_000n, 2_000n, 'None', 100n * ZG,
      )),
      signer: alice,
    }]);
    const ours = (await api.query.computeEscrow.services(service)).unwrap();
    assert.equal(ours.provider.toHex(), accountOf(wallet.address));
    await page.goto(`${explorer.url}/market/${ids['tiny-llama-chat']}`);
    assert.equal(await page.textContent('[data-field=deployments]'), '0');
    await page.click('#connect');
    await page.waitForSelector('#grant[data-status=active]');
    // No service typed, and someone else's service (Alice's, from the dev genesis): refused by
    // name, nothing sent.
    await page.click('#deploy');
    await page.waitForSelector('#wallet-status.failed');
    assert.match(await page.textContent('#wallet-status'), /type the id of your compute service/);
    await page.fill('#deploy-service', '0');
    await page.click('#deploy');
    await page.waitForFunction(() => /NotServiceProvider/.test(document.getElementById('wallet-status').textContent));
    assert.equal(sent.length, 4);
    await page.fill('#deploy-service', String(service));
    await page.click('#deploy');
    await page.waitForFunction(() => /^Deploy: done/.test(document.getElementById('wallet-status').textContent), null, { timeout: 120_000 });
    assert.equal(sent.length, 5);
    assert.equal((await api.query.marketplace.deployments(service)).unwrap().toNumber(), ids['tiny-llama-chat']);
    await page.reload();
    assert.equal(await page.textContent('[data-field=deployments]'), '1');
    await page.screenshot({ path: join(artifacts, 'market-deployed.png'), fullPage: true });
  } finally {
    await browser.close();
  }
});
