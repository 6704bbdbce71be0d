// zerog-faucet against a real `zerog-node --dev`: drips to an SS58 and to a 0x address arrive
// (read back with @polkadot/api and ethers), and every limit refuses with its JSON error:
// cooldown (429 and Retry-After, also across a restart and across both forms of one account),
// bad and replayed captchas (400), a rich recipient (403), per-client caps behind a proxy (429), a
// low faucet (503). Concurrent drips land with distinct nonces, a key file others can read is
// refused, and a real Chromium fills in the page and sees the transaction (screenshots in
// $ZEROG_ARTIFACTS).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonRpcProvider, Wallet } from 'ethers';
import { mnemonicGenerate } from '@polkadot/util-crypto';
import { chromium } from 'playwright-core';
import { reservePort, startDevNode } from '../lib/node.mjs';
import { connectApi, keyring, sendAll, ZG } from '../lib/substrate.mjs';
import { drip, faucetBinary, solvedCaptcha, startFaucet, writeKeyFile } from '../lib/faucet.mjs';

const chromiumPath = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
const artifacts = process.env.ZEROG_ARTIFACTS ?? mkdtempSync(join(tmpdir(), 'zerog-artifacts-'));

// Small puzzles keep the suite fast (the page solves the same kind as the default, only fewer).
const SETTINGS = {
  amount: '10ZG', cooldown: '3600', 'per-client-hourly': '50', 'per-client-daily': '100',
  'max-recipient-balance': '50ZG', 'captcha-difficulty': '5000',
};
/** The faucet's flags: SETTINGS with `changes`. */
const faucetArgs = (changes = {}) => Object.entries({ ...SETTINGS, ...changes }).flatMap(([flag, value]) => [`--${flag}`, value]);

let node, api, faucet, faucetKey, faucetAccount, provider;
const alice = () => keyring().addFromUri('//Alice');
const fresh = () => keyring().addFromUri(mnemonicGenerate());
const free = async (address) => (await api.query.system.account(address)).data.free.toBigInt();

/** A new account funded by Alice with `amount`, and a key file holding its phrase. */
async function fundedKey(amount) {
  const phrase = mnemonicGenerate();
  const pair = keyring().addFromUri(phrase);
  if (amount > 0n) await sendAll(api, [{ tx: api.tx.balances.transferKeepAlive(pair.address, amount), signer: alice() }]);
  return { pair, keyFile: writeKeyFile(phrase) };
}

before(async () => {
  node = await startDevNode('faucet');
  api = await connectApi(node.wsUrl);
  provider = new JsonRpcProvider(node.ethUrl, undefined, { staticNetwork: true, polling: true });
  const funded = await fundedKey(1000n * ZG);
  faucetKey = funded.keyFile;
  faucetAccount = funded.pair;
  faucet = await startFaucet(node, { keyFile: faucetKey, args: faucetArgs() });
});

after(async () => {
  await faucet?.stop();
  await api?.disconnect();
  provider?.destroy();
  await node?.stop();
});

test('a drip to an SS58 address arrives, signed by the faucet, in the block it names', async () => {
  const recipient = fresh();
  const { status, body } = await drip(faucet, recipient.address);
  assert.equal(status, 200, JSON.stringify(body));
  assert.equal(body.account, recipient.address);
  assert.equal(body.amount, '10 ZG');
  assert.equal(body.amount_units, String(10n * ZG));
  assert.equal(await free(recipient.address), 10n * ZG);

  const block = await api.rpc.chain.getBlock(body.block_hash);
  assert.equal(block.block.header.number.toNumber(), body.block_number);
  const extrinsic = block.block.extrinsics.find((xt) => xt.hash.toHex() === body.transaction);
  assert.ok(extrinsic, `transaction ${body.transaction} is in block ${body.block_hash}`);
  assert.equal(extrinsic.signer.toString(), faucetAccount.address);
  assert.equal(`${extrinsic.method.section}.${extrinsic.method.method}`, 'balances.transferKeepAlive');
  assert.equal(extrinsic.nonce.toNumber(), body.nonce);
});

test('a drip to a 0x address reaches the wallet through the Ethereum RPC', async () => {
  const wallet = Wallet.createRandom();
  const { status, body } = await drip(faucet, wallet.address);
  assert.equal(status, 200, JSON.stringify(body));
  // The account pallet-revive maps an unmapped address to: the address and twelve 0xee bytes.
  const mapped = keyring().encodeAddress(`${wallet.address.toLowerCase()}${'ee'.repeat(12)}`);
  assert.equal(body.account, mapped);
  assert.equal(await free(mapped), 10n * ZG);
  const existentialDeposit = api.consts.balances.existentialDeposit.toBigInt();
  assert.equal(await provider.getBalance(wallet.address), 10n * ZG - existentialDeposit);

  // The same account written as 32 bytes of hex is the same account: still cooling down.
  const again = await drip(faucet, `${wallet.address.toLowerCase()}${'ee'.repeat(12)}`);
  assert.equal(again.status, 429, JSON.stringify(again.body));
  assert.equal(again.body.error.code, 'address_cooldown');
});

test('a second drip within the cooldown gets 429 with Retry-After, also after a restart', async () => {
  const recipient = fresh();
  assert.equal((await drip(faucet, recipient.address)).status, 200);
  for (const round of ['before', 'after']) {
    const { status, headers, body } = await drip(faucet, recipient.address);
    assert.equal(status, 429, `${round} the restart: ${JSON.stringify(body)}`);
    assert.equal(body.error.code, 'address_cooldown');
    assert.match(body.error.message, /received test tokens less than 1 h ago; try again in /);
    const retryAfter = Number(headers.get('retry-after'));
    assert.ok(retryAfter > 3500 && retryAfter <= 3600, `Retry-After ${headers.get('retry-after')}`);
    if (round === 'before') faucet = await faucet.restart();
  }
  assert.equal(await free(recipient.address), 10n * ZG);
});

test('bad captchas, reused captchas and malformed requests get 400 and send nothing', async () => {
  const recipient = fresh();
  const wrong = await drip(faucet, recipient.address, { captcha: await solvedCaptcha(faucet, { number: 5001 }) });
  assert.equal(wrong.status, 400);
  assert.deepEqual(wrong.body.error, { code: 'captcha_invalid', message: 'the captcha answer is wrong: the number does not solve the challenge' });
  const garbage = await drip(faucet, recipient.address, { captcha: 'bm90IGpzb24=' });
  assert.equal(garbage.status, 400);
  assert.equal(garbage.body.error.code, 'captcha_malformed');

  const captcha = await solvedCaptcha(faucet);
  assert.equal((await drip(faucet, recipient.address, { captcha })).status, 200);
  const replayed = await drip(faucet, fresh().address, { captcha });
  assert.equal(replayed.status, 400);
  assert.equal(replayed.body.error.code, 'captcha_reused');

  const badAddress = await drip(faucet, '0x1234');
  assert.equal(badAddress.status, 400);
  assert.equal(badAddress.body.error.code, 'bad_address');
  const response = await fetch(`${faucet.url}/api/drip`, { method: 'POST', body: '{"address": 1}' });
  assert.equal(response.status, 400);
  assert.equal((await response.json()).error.code, 'bad_request');
  assert.equal((await fetch(`${faucet.url}/api/drip`)).status, 405);
  assert.equal(await free(recipient.address), 10n * ZG, 'only the one good request paid');
});

test('a recipient that already holds more than the cap is refused', async () => {
  const before = await free(alice().address);
  const { status, body } = await drip(faucet, alice().address);
  assert.equal(status, 403);
  assert.equal(body.error.code, 'recipient_has_enough');
  assert.match(body.error.message, /more than the 50 ZG a faucet recipient may hold/);
  assert.ok(await free(alice().address) <= before);
});

test('concurrent drips all land, each with its own nonce', async () => {
  const recipients = Array.from({ length: 6 }, fresh);
  const captchas = await Promise.all(recipients.map(() => solvedCaptcha(faucet)));
  const answers = await Promise.all(recipients.map((r, i) => drip(faucet, r.address, { captcha: captchas[i] })));
  for (const { status, body } of answers) assert.equal(status, 200, JSON.stringify(body));
  const nonces = answers.map(({ body }) => body.nonce);
  assert.equal(new Set(nonces).size, nonces.length, `nonces ${nonces}`);
  for (const recipient of recipients) assert.equal(await free(recipient.address), 10n * ZG);
});

test('behind a proxy each client gets its hourly drips, and a low faucet refuses everyone', async () => {
  // A faucet of its own with 100 ZG that keeps at least 75: two drips, then it is low.
  const { keyFile, pair } = await fundedKey(100n * ZG);
  const small = await startFaucet(node, {
    keyFile,
    args: [...faucetArgs({ 'per-client-hourly': '2', 'min-faucet-balance': '75ZG' }), '--behind-proxy'],
  });
  try {
    const from = (ip) => ({ headers: { 'x-forwarded-for': `203.0.113.99, ${ip}` } });
    assert.equal((await drip(small, fresh().address, from('198.51.100.1'))).status, 200);
    assert.equal((await drip(small, fresh().address, from('198.51.100.1'))).status, 200);
    const third = await drip(small, fresh().address, from('198.51.100.1'));
    assert.equal(third.status, 429);
    assert.equal(third.body.error.code, 'client_hourly_limit');
    assert.ok(Number(third.headers.get('retry-after')) > 3000);

    const low = await drip(small, fresh().address, from('198.51.100.2'));
    assert.equal(low.status, 503, JSON.stringify(low.body));
    assert.equal(low.body.error.code, 'faucet_low');
    // A refused drip counts against nothing: once refilled, the same client gets tokens.
    await sendAll(api, [{ tx: api.tx.balances.transferKeepAlive(pair.address, 100n * ZG), signer: alice() }]);
    assert.equal((await drip(small, fresh().address, from('198.51.100.2'))).status, 200);
  } finally {
    await small.stop();
  }
});

test('a key file other users can read is refused, and so is a key on the command line', () => {
  const shared = writeKeyFile(mnemonicGenerate(), 0o644);
  const run = spawnSync(faucetBinary, ['--node', node.wsUrl, '--key-file', shared], { encoding: 'utf8', timeout: 30_000 });
  assert.notEqual(run.status, 0);
  assert.match(run.stderr, /can be read by other users \(mode 644\); run `chmod 600/);
  const argv = spawnSync(faucetBinary, ['--suri', '//Alice'], { encoding: 'utf8', timeout: 30_000 });
  assert.notEqual(argv.status, 0);
  assert.match(argv.stderr, /unexpected argument '--suri'/);
});

test('zombienet/scripts/tools.sh starts the faucet (--dev: Ferdie) and the explorer beside a node', async () => {
  const [port, explorerPort] = [await reservePort(), await reservePort()];
  const script = new URL('../../../zombienet/scripts/tools.sh', import.meta.url).pathname;
  const tools = spawn(script, [], {
    env: { ...process.env, ZEROG_TOOLS_NODE: node.wsUrl, ZEROG_FAUCET_PORT: String(port), ZEROG_EXPLORER_PORT: String(explorerPort) },
    stdio: 'ignore', detached: true,
  });
  try {
    const url = `http://127.0.0.1:${port}`;
    let info;
    for (let i = 0; i < 120 && !info; i++) {
      try { info = await (await fetch(`${url}/api/info`)).json(); } catch { await new Promise((r) => setTimeout(r, 500)); }
    }
    assert.ok(info, 'the faucet answered /api/info');
    assert.equal(info.account, keyring().addFromUri('//Ferdie').address);
    assert.equal(info.amount, '10 ZG');
    const recipient = fresh();
    const { status, body } = await drip({ url }, recipient.address);
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(await free(recipient.address), 10n * ZG);
    // The explorer indexes the same chain.
    let indexed = null;
    for (let i = 0; i < 120 && !(indexed >= 1); i++) {
      try { ({ indexed } = await (await fetch(`http://127.0.0.1:${explorerPort}/api/status`)).json()); } catch { /* starting */ }
      if (!(indexed >= 1)) await new Promise((r) => setTimeout(r, 500));
    }
    assert.ok(indexed >= 1, `the explorer indexed blocks (${indexed})`);
  } finally {
    process.kill(-tools.pid, 'SIGTERM');
  }
});

test('a web page in Chromium asks for tokens and shows the transaction', async () => {
  assert.ok(existsSync(chromiumPath), `no Chromium at ${chromiumPath} (apt-get install chromium, or set CHROMIUM_BIN)`);
  mkdirSync(artifacts, { recursive: true });
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: 900, height: 560 } });
    const pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(faucet.url);
    assert.match(await page.textContent('.lead'), /^10 ZG to any ZeroG account or Ethereum address, once every 1 h\.$/);
    const recipient = fresh();
    await page.fill('#address', recipient.address);
    await page.screenshot({ path: join(artifacts, 'faucet-form.png') });
    await page.click('#drip');
    await page.waitForSelector('#result[data-transaction], #result[data-error]', { timeout: 60_000 });
    await page.screenshot({ path: join(artifacts, 'faucet-sent.png') });
    assert.equal(await page.getAttribute('#result', 'data-error'), null, await page.textContent('#result'));
    const transaction = await page.getAttribute('#result', 'data-transaction');
    assert.match(await page.textContent('#result'), new RegExp(`^Sent 10 ZG to ${recipient.address}\\ntransaction ${transaction}\\nin block #\\d+`));
    assert.equal(await free(recipient.address), 10n * ZG);

    // Asking again shows the cooldown.
    await page.click('#drip');
    await page.waitForSelector('#result[data-error]', { timeout: 60_000 });
    await page.screenshot({ path: join(artifacts, 'faucet-cooldown.png') });
    assert.equal(await page.getAttribute('#result', 'data-error'), 'address_cooldown');
    assert.deepEqual(pageErrors, []);
  } finally {
    await browser.close();
    console.log(`# screenshots in ${artifacts}`);
  }
});
