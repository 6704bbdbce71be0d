// zerog-explorer's ZeroG and EVM views against a real `zerog-node --dev` with Alice's dev
// executor, on SQLite and on PostgreSQL side by side: an ERC-20 deployed and transferred with
// ethers (the transaction, its receipt, the decoded transfer, the contract's creator and code
// hash), a file stored with @zerog/sdk, a DA blob certified, and a compute job opened from a
// wallet, run by the executor and accepted all appear with the values the chain holds; search
// finds a file root, a blob root, an Ethereum transaction and a contract; the home page's charts
// add up to what the chain holds and the validator set is the chain's; a real Chromium searches
// a file root and lands on its page (screenshots in $ZEROG_ARTIFACTS); the node killed and
// restarted under the running explorers costs no block and duplicates none.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Contract, ContractFactory, JsonRpcProvider, keccak256, parseEther, toUtf8Bytes } from 'ethers';
import { u8aToHex } from '@polkadot/util';
import { chromium } from 'playwright-core';
import { uploadFile } from '@zerog/sdk/files';
import { submitBlob } from '@zerog/sdk/blobs';
import { substrateSigner } from '@zerog/sdk/signers';
import { ethereumSigner, COMPUTE_PRECOMPILE } from '@zerog/sdk/ethereum';
import { compile, interfaceAbi } from '../lib/compile.mjs';
import { devWallet } from '../lib/accounts.mjs';
import { reservePort, startDevExecutor, startDevNode } from '../lib/node.mjs';
import { connectApi, keyring, ZG } from '../lib/substrate.mjs';
import { indexedUpTo, startExplorer, startPostgres } from '../lib/explorer.mjs';

const chromiumPath = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
const artifacts = process.env.ZEROG_ARTIFACTS ?? mkdtempSync(join(tmpdir(), 'zerog-artifacts-'));
/** Alice's dev job service (service 0 is her inference service). */
const JOB_SERVICE = 1n;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let node, executor, api, provider, postgres, onSqlite, onPostgres;
let erc20, file, blob, job;

/** The node's best block number. */
async function bestNumber() {
  return (await api.rpc.chain.getHeader()).number.toNumber();
}

/** Resolves once everything up to the node's current best block is finalized and indexed. */
async function indexedNow() {
  const target = await bestNumber();
  for (;;) {
    const head = await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead());
    if (head.number.toNumber() >= target) break;
    await sleep(500);
  }
  await Promise.all([indexedUpTo(onSqlite, target), indexedUpTo(onPostgres, target)]);
}

/** `section.method` events of blocks `from..=to` whose data `matches`, with their block numbers. */
async function chainEvents(from, to, section, method, matches = () => true) {
  const found = [];
  for (let number = from; number <= to; number++) {
    const hash = await api.rpc.chain.getBlockHash(number);
    for (const { event } of await api.query.system.events.at(hash)) {
      if (event.section === section && event.method === method && matches(event.data)) found.push({ number, data: event.data });
    }
  }
  return found;
}

/** The account an Ethereum address acts as (pallet-revive's fallback: the address, then 0xEE×12). */
const accountOf = (address) => `${address.toLowerCase()}${'ee'.repeat(12)}`;

before(async () => {
  const jobsPort = await reservePort();
  node = await startDevNode('explorer-zerog', {
    basePath: mkdtempSync(join(tmpdir(), 'zerog-explorer-node-')),
    extraArgs: ['--compute-executor', `http://127.0.0.1:${jobsPort}`],
  });
  executor = await startDevExecutor(node, { jobsPort });
  api = await connectApi(node.wsUrl);
  provider = new JsonRpcProvider(node.ethUrl, 16900, { staticNetwork: true });
  provider.pollingInterval = 500;
  postgres = await startPostgres();
  onSqlite = await startExplorer(node);
  onPostgres = await startExplorer(node, { database: postgres.url });
  const bob = keyring().addFromUri('//Bob');
  const alice = keyring().addFromUri('//Alice');

  // An ERC-20: deployed (minting a million to the deployer) and 1234.5 tokens transferred.
  const deployer = devWallet(0, provider);
  const holder = devWallet(1, provider);
  const artifact = compile('Token.sol', 'Token');
  const token = await new ContractFactory(artifact.abi, artifact.bytecode, deployer).deploy('Explorer Token', 'EXT', parseEther('1000000'));
  const deployment = await token.deploymentTransaction().wait();
  const sent = parseEther('1234.5');
  const transfer = await (await token.transfer(holder.address, sent)).wait();
  erc20 = {
    address: (await token.getAddress()).toLowerCase(), deployer: deployer.address.toLowerCase(), holder: holder.address.toLowerCase(),
    deployment, transfer, sent, codeHash: keccak256(await provider.getCode(await token.getAddress())),
  };

  // A DA blob from Bob, certified by Alice's quorum.
  const blobBytes = new Uint8Array(randomBytes(100_000));
  const published = await submitBlob({
    node: node.wsUrl, blob: blobBytes, signer: substrateSigner({ api, pair: bob }), namespace: 9,
    dataShards: 4, parityShards: 8, waitMs: 120_000,
  });
  assert.ok(published.certifiedAt > 0, JSON.stringify(published.members));
  blob = { ...published, size: blobBytes.length, submitter: u8aToHex(bob.publicKey) };

  // A compute job from a wallet over a dataset it stores, run by the executor and accepted.
  const wallet = devWallet(2, provider);
  const compute = new Contract(COMPUTE_PRECOMPILE, interfaceAbi('IZeroGCompute'), wallet);
  const dataset = new TextEncoder().encode(`explorer\n${randomBytes(64).toString('hex')}\nthree more words\n`);
  const createdFrom = await bestNumber();
  const stored = await uploadFile({ node: node.wsUrl, file: dataset, signer: ethereumSigner(wallet), replicas: 1 });
  file = { ...stored, owner: accountOf(wallet.address), size: dataset.length, from: createdFrom };
  const deadline = (await provider.getBlockNumber()) + 120;
  const created = await (await compute.createJob(JOB_SERVICE, stored.root, keccak256(toUtf8Bytes('{"epochs":1}')), ZG, deadline)).wait();
  const jobId = compute.interface.parseLog(created.logs.find((log) => log.address.toLowerCase() === COMPUTE_PRECOMPILE.toLowerCase())).args.jobId;
  const resultDeadline = Date.now() + 150_000;
  while ((await compute.job(jobId)).status !== 1n) {
    assert.ok(Date.now() < resultDeadline, `job ${jobId} got no result; executor log: ${executor.logPath}`);
    await sleep(1000);
  }
  const accepted = await (await compute.acceptResult(jobId)).wait();
  job = { id: Number(jobId), user: accountOf(wallet.address), provider: u8aToHex(alice.publicKey), createdIn: created.blockNumber, acceptedIn: accepted.blockNumber };
  await indexedNow();
});

after(async () => {
  provider?.destroy();
  await onSqlite?.stop();
  await onPostgres?.stop();
  await postgres?.stop();
  await api?.disconnect();
  await executor?.stop();
  await node?.stop();
});

for (const [name, explorer] of [['SQLite', () => onSqlite], ['PostgreSQL', () => onPostgres]]) {
  test(`${name}: an ERC-20 deployment and transfer appear with their receipts, the decoded transfer and the contract`, async () => {
    const { status, body } = await explorer().get(`/api/eth/transactions/${erc20.transfer.hash}`);
    assert.equal(status, 200, JSON.stringify(body));
    const { transaction, logs, token_transfers: moved } = body;
    assert.equal(transaction.block_number, erc20.transfer.blockNumber);
    assert.equal(transaction.sender, erc20.deployer);
    assert.equal(transaction.recipient, erc20.address);
    assert.equal(transaction.success, true);
    assert.equal(transaction.gas_used, erc20.transfer.gasUsed.toString());
    assert.equal(transaction.selector, '0xa9059cbb', 'transfer(address,uint256)');
    assert.equal(logs.length, erc20.transfer.logs.length);
    assert.deepEqual(moved.map((t) => [t.token, t.sender, t.recipient, t.value]), [[erc20.address, erc20.deployer, erc20.holder, erc20.sent.toString()]]);

    const contract = (await explorer().get(`/api/contracts/${erc20.address}`)).body;
    assert.equal(contract.contract.creator, erc20.deployer);
    assert.equal(contract.contract.transaction_hash, erc20.deployment.hash);
    assert.equal(contract.contract.block_number, erc20.deployment.blockNumber);
    assert.equal(contract.contract.code_hash, erc20.codeHash);
    // Newest first: the transfer, then the mint from the zero address.
    assert.deepEqual(contract.token_transfers.map((t) => [t.sender, t.recipient, t.value]), [
      [erc20.deployer, erc20.holder, erc20.sent.toString()],
      [`0x${'00'.repeat(20)}`, erc20.deployer, parseEther('1000000').toString()],
    ]);
    const deployment = (await explorer().get(`/api/eth/transactions/${erc20.deployment.hash}`)).body.transaction;
    assert.equal(deployment.recipient, null);
    assert.equal(deployment.contract_created, erc20.address);

    // The holder's account page (by its 0x address) lists the token transfer; the block lists the transaction.
    const holder = (await explorer().get(`/api/accounts/${erc20.holder}`)).body;
    assert.equal(holder.evm_address, erc20.holder);
    assert.equal(holder.token_transfers[0].value, erc20.sent.toString());
    const block = (await explorer().get(`/api/blocks/${erc20.transfer.blockNumber}`)).body;
    assert.ok(block.eth_transactions.some((t) => t.hash === erc20.transfer.hash));
  });

  test(`${name}: a stored file appears with its root, size, owner, fee and provider`, async () => {
    const { status, body } = await explorer().get(`/api/files/${file.root}`);
    assert.equal(status, 200, JSON.stringify(body));
    const summary = body.file;
    assert.equal(summary.id, Number(file.fileId));
    assert.equal(summary.root, file.root);
    assert.equal(summary.size, file.size);
    assert.equal(summary.owner, file.owner);
    assert.equal(summary.replicas, 1);
    const [submitted] = await chainEvents(file.from, job.createdIn, 'storageCommitments', 'FileSubmitted', (data) => data.id.toNumber() === summary.id);
    assert.equal(summary.submitted_in, submitted.number);
    assert.equal(summary.fees_paid, submitted.data.fee.toString());
    assert.equal(summary.expires_at, submitted.data.expiresAt.toNumber());
    assert.equal(summary.status, 'stored');
    assert.deepEqual(summary.providers, [{ account: job.provider, acknowledged: true }]);
    assert.deepEqual(body.events.map((event) => event.name).reverse().slice(0, 1), ['FileSubmitted']);
    // By id as by root (proofs and rewards may have grown in between: challenges go on).
    const byId = (await explorer().get(`/api/files/${summary.id}`)).body.file;
    assert.deepEqual([byId.id, byId.root, byId.size, byId.owner], [summary.id, summary.root, summary.size, summary.owner]);
  });

  test(`${name}: a certified DA blob appears with its root, size, namespace and attestation`, async () => {
    const { status, body } = await explorer().get(`/api/blobs/${blob.root}`);
    assert.equal(status, 200, JSON.stringify(body));
    const summary = body.blob;
    assert.equal(summary.id, Number(blob.blobId));
    assert.equal(summary.root, blob.root);
    assert.equal(summary.size_bytes, blob.size);
    assert.equal(summary.namespace, 9);
    assert.equal(summary.submitter, blob.submitter);
    assert.equal(summary.status, 'certified');
    assert.equal(summary.certified_in, blob.certifiedAt);
    const [certified] = await chainEvents(blob.certifiedAt, blob.certifiedAt, 'daAttestations', 'BlobCertified', (data) => data.id.toNumber() === summary.id);
    assert.equal(summary.attesters, certified.data.attesters.toNumber());
    assert.equal(summary.attested_stake, certified.data.attestedStake.toString());
    assert.equal(summary.fee_paid, certified.data.feePaid.toString());
  });

  test(`${name}: a compute job appears from creation to its accepted result, and its service`, async () => {
    const { status, body } = await explorer().get(`/api/jobs/${job.id}`);
    assert.equal(status, 200, JSON.stringify(body));
    const summary = body.job;
    assert.equal(summary.service, Number(JOB_SERVICE));
    assert.equal(summary.user, job.user);
    assert.equal(summary.provider, job.provider);
    assert.equal(summary.max_fee, ZG.toString());
    assert.equal(summary.created_in, job.createdIn);
    assert.equal(summary.status, 'accepted');
    const [result] = await chainEvents(job.createdIn, job.acceptedIn, 'computeEscrow', 'ResultSubmitted', (data) => data.job.toNumber() === job.id);
    assert.equal(summary.result_root, result.data.resultRoot.toHex());
    assert.equal(summary.fee_used, result.data.feeUsed.toString());
    const [accepted] = await chainEvents(job.acceptedIn, job.acceptedIn, 'computeEscrow', 'ResultAccepted', (data) => data.job.toNumber() === job.id);
    assert.equal(summary.fee_paid, accepted.data.feePaid.toString());
    assert.equal(summary.refunded, accepted.data.refunded.toString());

    const service = (await explorer().get(`/api/services/${JOB_SERVICE}`)).body;
    assert.equal(service.service.provider, job.provider);
    assert.ok(service.service.jobs >= 1, JSON.stringify(service.service));
    const onChain = (await api.query.computeEscrow.services(JOB_SERVICE)).unwrap();
    assert.equal(service.now.model, new TextDecoder().decode(onChain.model.toU8a(true)));
    assert.equal(service.now.stake, onChain.stake.toString());
    // The provider's account page lists the job among its ZeroG activity, and her storage
    // provider and DA signer records (from the genesis) as the chain holds them.
    const alice = (await explorer().get(`/api/accounts/${job.provider}`)).body;
    assert.ok(alice.activity.some((event) => event.pallet === 'ComputeEscrow'), JSON.stringify(alice.activity.slice(0, 3)));
    const provider = (await api.query.storageCommitments.providers(job.provider)).unwrap();
    assert.equal(alice.roles.storage_provider.stake, provider.stake.toString());
    assert.equal(alice.roles.storage_provider.endpoint, new TextDecoder().decode(provider.endpoint.toU8a(true)));
    const signer = (await api.query.daAttestations.signers(job.provider)).unwrap();
    assert.equal(alice.roles.da_signer.stake, signer.stake.toString());
    // Each event of the job has its own page.
    const [newest] = body.events;
    const event = (await explorer().get(`/api/events/${newest.block_number}-${newest.position}`)).body;
    assert.deepEqual(event, newest);
    assert.equal((await explorer().get('/api/events/12')).status, 400);
  });

  test(`${name}: search finds a file root, a blob root, an Ethereum transaction and a contract`, async () => {
    const search = async (q) => (await explorer().get(`/api/search?q=${encodeURIComponent(q)}`)).body.path;
    assert.equal(await search(file.root), `/file/${file.fileId}`);
    assert.equal(await search(blob.root.toUpperCase().replace('0X', '0x')), `/blob/${blob.blobId}`);
    assert.equal(await search(erc20.transfer.hash), `/tx/${erc20.transfer.hash}`);
    assert.equal(await search(erc20.address), `/contract/${erc20.address}`);
    assert.equal(await search(erc20.holder), `/account/${erc20.holder}`);
    const missing = await explorer().get(`/api/files/0x${'ab'.repeat(32)}`);
    assert.equal(missing.status, 404);
    assert.equal((await explorer().get('/api/jobs/not-a-number')).status, 400);
    assert.equal((await explorer().get('/api/contracts/0x1234')).status, 400);
    assert.equal((await explorer().get(`/api/eth/transactions/0x${'00'.repeat(32)}`)).status, 404);
  });
}

test('the activity charts add up to the chain\'s transactions, storage and DA bytes', async () => {
  // Both explorers go on indexing: read both up to the lower of their heights.
  const heights = await Promise.all([onSqlite, onPostgres].map(async (explorer) => (await explorer.get('/api/status')).body.indexed));
  const indexed = Math.min(...heights);
  const activity = (await onSqlite.get(`/api/activity?until=${indexed}`)).body;
  assert.deepEqual((await onPostgres.get(`/api/activity?until=${indexed}`)).body, activity);
  const last = activity.at(-1).first_block;
  const width = activity.length > 1 ? activity[1].first_block - activity[0].first_block : 1;
  assert.ok(activity.length <= 48 && activity[0].first_block === 0, JSON.stringify(activity.slice(0, 2)));
  assert.ok(last <= indexed && indexed < last + width);
  // The same totals counted from the chain, block by block.
  const totals = { transactions: 0, storage_bytes: 0, da_bytes: 0 };
  for (let number = 0; number <= indexed; number++) {
    const hash = await api.rpc.chain.getBlockHash(number);
    const block = await api.rpc.chain.getBlock(hash);
    for (const extrinsic of block.block.extrinsics) {
      const { section, method } = extrinsic.method;
      if (extrinsic.isSigned || (section === 'revive' && method === 'ethTransact')) totals.transactions++;
    }
    for (const { event } of await api.query.system.events.at(hash)) {
      if (event.section === 'storageCommitments' && event.method === 'FileSubmitted') totals.storage_bytes += Number(event.data[3]); // `size` (a Struct's own `size` hides the field)
      if (event.section === 'daAttestations' && event.method === 'BlobSubmitted') totals.da_bytes += event.data.sizeBytes.toNumber();
    }
  }
  const sum = (key) => activity.reduce((total, range) => total + range[key], 0);
  assert.deepEqual({ transactions: sum('transactions'), storage_bytes: sum('storage_bytes'), da_bytes: sum('da_bytes') }, totals);
  assert.ok(totals.storage_bytes >= file.size && totals.da_bytes === blob.size, JSON.stringify(totals));
});

test('the validator set is the chain\'s', async () => {
  const { status, body } = await onSqlite.get('/api/validators');
  assert.equal(status, 200, JSON.stringify(body));
  const session = (await api.query.session.validators()).map((account) => account.toHex());
  assert.deepEqual(body.validators.filter((v) => v.active).map((v) => v.account), session);
  const invulnerables = (await api.query.collatorSelection.invulnerables()).map((account) => account.toHex());
  for (const validator of body.validators) {
    assert.equal(validator.role, invulnerables.includes(validator.account) ? 'invulnerable' : 'candidate');
  }
  assert.ok(body.validators.some((v) => v.last_authored > 0), JSON.stringify(body));
});

test('both databases hold the same ZeroG and EVM views', async () => {
  // The explorers index on their own and the file keeps being challenged: each view must be
  // equal on both once they stand at the same height, which a few tries catch.
  for (const path of [`/api/files/${file.root}`, `/api/blobs/${blob.root}`, `/api/jobs/${job.id}`, `/api/eth/transactions/${erc20.transfer.hash}`, `/api/contracts/${erc20.address}`]) {
    let sqlite, postgresView;
    for (let attempt = 0; attempt < 30; attempt++) {
      [sqlite, postgresView] = await Promise.all([onSqlite.get(path), onPostgres.get(path)]);
      if (JSON.stringify(sqlite.body) === JSON.stringify(postgresView.body)) break;
      await sleep(500);
    }
    assert.deepEqual(sqlite.body, postgresView.body, path);
  }
});

test('in Chromium, searching a file root lands on the file\'s page, and its contract page shows the token transfer', async () => {
  mkdirSync(artifacts, { recursive: true });
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ javaScriptEnabled: false });
    await page.goto(`${onSqlite.url}/`);
    await page.fill('#search', file.root);
    await Promise.all([page.waitForURL(`**/file/${file.fileId}`), page.click('button[type=submit]')]);
    assert.equal(await page.textContent('h1'), `File ${file.fileId}`);
    assert.equal(await page.textContent('[data-field=root]'), file.root);
    assert.equal(await page.textContent('[data-field=size]'), String(file.size));
    assert.match(await page.textContent('[data-field=providers]'), /holds it/);
    await page.screenshot({ path: join(artifacts, 'explorer-file.png'), fullPage: true });

    await page.fill('#search', erc20.transfer.hash);
    await Promise.all([page.waitForURL(`**/tx/${erc20.transfer.hash}`), page.click('button[type=submit]')]);
    await page.click(`a[href="/contract/${erc20.address}"]`);
    await page.waitForURL(`**/contract/${erc20.address}`);
    const rows = await page.$$eval('table.tokens tr', (trs) => trs.slice(1).map((tr) => tr.lastElementChild.textContent));
    assert.deepEqual(rows, [erc20.sent.toString(), parseEther('1000000').toString()]);
    await page.screenshot({ path: join(artifacts, 'explorer-contract.png'), fullPage: true });

    await page.goto(`${onSqlite.url}/job/${job.id}`);
    assert.equal(await page.textContent('[data-field=status]'), 'accepted');
    await page.screenshot({ path: join(artifacts, 'explorer-job.png'), fullPage: true });

    await page.goto(`${onSqlite.url}/`);
    for (const chart of ['#chart-transactions', '#chart-storage', '#chart-da']) {
      assert.ok((await page.$$(`${chart} rect`)).length >= 1, `${chart} has bars`);
    }
    await page.screenshot({ path: join(artifacts, 'explorer-home.png'), fullPage: true });
    await page.click('a[href="/validators"]');
    assert.ok((await page.$$('#validators tr')).length >= 2, 'a validator row');
    await page.screenshot({ path: join(artifacts, 'explorer-validators.png'), fullPage: true });
  } finally {
    await browser.close();
  }
});

test('the node killed and restarted under both explorers: every block indexed once, with the node\'s hashes', async () => {
  const before = await bestNumber();
  await executor.stop();
  await api.disconnect();
  await node.restart();
  api = await connectApi(node.wsUrl);
  // A transfer after the restart, to index past it.
  const recipient = keyring().addFromUri(`//explorer-restart-${Date.now()}`);
  const alice = keyring().addFromUri('//Alice');
  await new Promise((ok, fail) => {
    api.tx.balances.transferKeepAlive(recipient.address, ZG).signAndSend(alice, ({ status, dispatchError }) => {
      if (dispatchError) fail(new Error(dispatchError.toString()));
      if (status.isInBlock) ok();
    }).catch(fail);
  });
  assert.ok(await bestNumber() > before);
  // Up to the lower of the two explorers' heights (each goes on indexing on its own).
  await indexedNow();
  const heights = await Promise.all([onSqlite, onPostgres].map(async (explorer) => (await explorer.get('/api/status')).body.indexed));
  const last = Math.min(...heights);
  for (const explorer of [onSqlite, onPostgres]) {
    for (let number = 0; number <= last; number++) {
      const { status, body } = await explorer.get(`/api/blocks/${number}`);
      assert.equal(status, 200, `block ${number}: ${JSON.stringify(body)}`);
      assert.equal(body.block.hash, (await api.rpc.chain.getBlockHash(number)).toHex(), `block ${number}`);
    }
  }
  const account = (await onPostgres.get(`/api/accounts/${recipient.address}`)).body;
  assert.deepEqual(account.transfers.map((t) => t.amount), [ZG.toString()]);
  assert.match(onSqlite.log(), /indexing stopped/, 'the explorer saw the node go');
});
