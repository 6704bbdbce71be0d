// The SDK's TypeScript examples (sdk/examples/), compiled with tsc and run as a user runs them
// against a real `zerog-node --dev` and `zerog-executor --dev`: a dataset stored with a
// Substrate account and with an Ethereum wallet and read back identical, then a dataset stored
// and an inference service asked about it through the `openai` client, paid by signed receipts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startDevExecutor, startDevNode } from '../lib/node.mjs';
import { devWallet } from '../lib/accounts.mjs';

const run = promisify(execFile);
const ethDir = new URL('..', import.meta.url).pathname;
// Inside tests/eth, so the compiled examples resolve @zerog/sdk, @polkadot/api, ethers and
// openai from its node_modules as an application would from its own.
const built = join(ethDir, '.examples-build');

let node, executor, dataDir;

before(async () => {
  rmSync(built, { recursive: true, force: true });
  execFileSync(process.execPath, [
    join(ethDir, 'node_modules/typescript/bin/tsc'), '-p', new URL('../../../sdk/tsconfig.examples.json', import.meta.url).pathname,
    '--noEmit', 'false', '--rootDir', new URL('../../../sdk/examples', import.meta.url).pathname, '--outDir', built,
  ], { encoding: 'utf8' });
  node = await startDevNode('sdk-examples');
  executor = await startDevExecutor(node);
  dataDir = mkdtempSync(join(tmpdir(), 'zerog-sdk-examples-'));
});

after(async () => {
  await executor?.stop();
  await node?.stop();
});

/** Runs compiled example `name` with `args`; its stdout. */
async function example(name, args, env = {}) {
  const { stdout } = await run(process.execPath, [join(built, `${name}.js`), ...args], {
    env: { ...process.env, ZEROG_RPC: node.wsUrl, ZEROG_ETH_RPC: node.ethUrl, ...env }, timeout: 180_000,
  });
  return stdout;
}

test('store-a-dataset stores a file from a Substrate account and from an Ethereum wallet and reads it back', async () => {
  const file = join(dataDir, 'dataset.bin');
  writeFileSync(file, randomBytes(300_000));
  assert.match(await example('store-a-dataset', [file]), /read back 300000 bytes from .*: identical/);
  const other = join(dataDir, 'other.bin');
  writeFileSync(other, randomBytes(70_000));
  assert.match(await example('store-a-dataset', [other, '--ethereum', devWallet(8).privateKey]), /read back 70000 bytes from .*: identical/);
});

test('dataset-and-inference stores a dataset and pays an inference service to answer about it', async () => {
  const file = join(dataDir, 'prompts.jsonl');
  writeFileSync(file, Array.from({ length: 2000 }, (_, i) => JSON.stringify({ prompt: `question ${i}` })).join('\n'));
  const output = JSON.parse((await example('dataset-and-inference', [file])).trim().split('\n').at(-1));
  assert.match(output.root, /^0x[0-9a-f]{64}$/);
  assert.match(output.answer, new RegExp(`Describe the dataset ${output.root}`));
  assert.ok(BigInt(output.fee) > 0n, output.fee);
});
