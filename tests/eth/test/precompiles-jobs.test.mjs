// Compute jobs from an Ethereum wallet through IZeroGCompute, end to end on a real
// `zerog-node --dev` whose off-chain worker dispatches jobs to `zerog-executor --dev` (Alice's job
// service, a word count of the dataset): the wallet stores a dataset with @zerog/sdk (paid
// through IZeroGStorage), opens a job with `createJob`, the executor runs it and its result lands
// on chain, and the wallet accepts it with `acceptResult` (Alice is paid); a second job's result
// is disputed with `dispute` (the bond held). Logs through ethers, events through @polkadot/api.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Contract, JsonRpcProvider, keccak256, toUtf8Bytes } from 'ethers';
import { uploadFile } from '@zerog/sdk/files';
import { ethereumSigner, COMPUTE_PRECOMPILE } from '@zerog/sdk/ethereum';
import { interfaceAbi } from '../lib/compile.mjs';
import { devWallet } from '../lib/accounts.mjs';
import { reservePort, startDevExecutor, startDevNode } from '../lib/node.mjs';
import { connectApi, keyring, ZG } from '../lib/substrate.mjs';

/** Alice's dev job service (service 0 is her inference service). */
const JOB_SERVICE = 1n;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let node, executor, api, provider, wallet, compute;

before(async () => {
  const jobsPort = await reservePort();
  node = await startDevNode('jobs', { extraArgs: ['--compute-executor', `http://127.0.0.1:${jobsPort}`] });
  executor = await startDevExecutor(node, { jobsPort });
  api = await connectApi(node.wsUrl);
  provider = new JsonRpcProvider(node.ethUrl, 16900, { staticNetwork: true });
  provider.pollingInterval = 500;
  wallet = devWallet(2, provider);
  compute = new Contract(COMPUTE_PRECOMPILE, interfaceAbi('IZeroGCompute'), wallet);
});

after(async () => {
  provider?.destroy();
  await api?.disconnect();
  await executor?.stop();
  await node?.stop();
});

/** The logs of the compute precompile in `receipt`, parsed. */
const logsOf = (receipt) => receipt.logs
  .filter((log) => log.address.toLowerCase() === COMPUTE_PRECOMPILE.toLowerCase())
  .map((log) => compute.interface.parseLog(log));

/** The Substrate events of the block with Ethereum block number `number`. */
async function eventsOfBlock(number) {
  const hash = await api.rpc.chain.getBlockHash(number);
  return (await api.query.system.events.at(hash)).map(({ event }) => event);
}

/** Opens a job over a fresh dataset the wallet stores first; its id. */
async function openJob(label) {
  const dataset = new TextEncoder().encode(`${label}\n${randomBytes(64).toString('hex')}\nthree more words\n`);
  const stored = await uploadFile({ node: node.wsUrl, file: dataset, signer: ethereumSigner(wallet), replicas: 1 });
  const deadline = (await provider.getBlockNumber()) + 120;
  const paramsHash = keccak256(toUtf8Bytes(`{"label":"${label}"}`));
  const receipt = await (await compute.createJob(JOB_SERVICE, stored.root, paramsHash, ZG, deadline)).wait();
  const [created] = logsOf(receipt);
  assert.equal(created.name, 'JobCreated');
  assert.equal(created.args.service, JOB_SERVICE);
  assert.equal(created.args.user, wallet.address);
  assert.equal(created.args.maxFee, ZG);
  const job = await compute.job(created.args.jobId);
  assert.equal(job.datasetRoot, stored.root);
  assert.equal(job.paramsHash, paramsHash);
  assert.equal(job.user, await compute.accountOf(wallet.address));
  return created.args.jobId;
}

/** Waits until the job's result is on chain (status 1, in review). */
async function waitForResult(jobId) {
  const deadline = Date.now() + 150_000;
  for (;;) {
    const { status } = await compute.job(jobId);
    if (status === 1n) return;
    assert.ok(Date.now() < deadline, `job ${jobId} has no result after 150 s (status ${status}); executor log:\n${executor.logPath}`);
    await sleep(1000);
  }
}

test('a wallet opens a job with createJob, the dev executor answers it, and acceptResult pays Alice', async () => {
  const alice = keyring().addFromUri('//Alice');
  const jobId = await openJob('accepted');
  await waitForResult(jobId);
  const aliceBefore = (await api.query.system.account(alice.address)).data.free.toBigInt();
  const receipt = await (await compute.acceptResult(jobId)).wait();
  const [accepted] = logsOf(receipt);
  assert.equal(accepted.name, 'ResultAccepted');
  assert.equal(accepted.args.jobId, jobId);
  assert.equal(accepted.args.user, wallet.address);
  const event = (await eventsOfBlock(receipt.blockNumber)).find((e) => api.events.computeEscrow.ResultAccepted.is(e));
  assert.ok(event, 'ComputeEscrow.ResultAccepted in the same block');
  assert.equal(event.data.job.toBigInt(), jobId);
  const feePaid = event.data.feePaid.toBigInt();
  assert.ok(feePaid > 0n && feePaid <= ZG, String(feePaid));
  const aliceAfter = (await api.query.system.account(alice.address)).data.free.toBigInt();
  assert.ok(aliceAfter >= aliceBefore + feePaid, `Alice was paid: ${aliceBefore} -> ${aliceAfter}, fee ${feePaid}`);
  await assert.rejects(compute.job(jobId), (e) => e.reason === 'JobNotFound');
  // Accepting twice is refused by name.
  await assert.rejects(compute.acceptResult(jobId), (e) => e.reason === 'JobNotFound');
});

test('a wallet disputes a job result with dispute, and the bond is held', async () => {
  const jobId = await openJob('disputed');
  await waitForResult(jobId);
  const receipt = await (await compute.dispute(jobId)).wait();
  const [disputed] = logsOf(receipt);
  assert.equal(disputed.name, 'JobDisputed');
  assert.equal(disputed.args.jobId, jobId);
  const event = (await eventsOfBlock(receipt.blockNumber)).find((e) => api.events.computeEscrow.JobDisputed.is(e));
  assert.ok(event, 'ComputeEscrow.JobDisputed in the same block');
  assert.equal((await compute.job(jobId)).status, 2n);
  // The bond is on hold on the account the wallet acts as.
  const holds = await api.query.balances.holds(await compute.accountOf(wallet.address));
  const bond = holds.find((hold) => hold.id.isComputeEscrow && hold.id.asComputeEscrow.isDisputeBond);
  assert.ok(bond, `a dispute bond hold: ${holds.toString()}`);
  assert.equal(bond.amount.toBigInt(), ZG / 10n, 'the dev chain\'s DisputeBond, 0.1 ZG');
  // Only the job's user may judge it: another wallet is refused by name.
  const stranger = new Contract(COMPUTE_PRECOMPILE, interfaceAbi('IZeroGCompute'), devWallet(9, provider));
  await assert.rejects(stranger.acceptResult(jobId), (e) => e.reason === 'NotJobUser');
});
