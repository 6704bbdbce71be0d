// An AI developer's first steps on ZeroG: store a dataset (verified upload, paid from a Substrate
// account), read it back verified, then ask an inference service about it through the official
// `openai` client, each request paid with a signed receipt (the gateway's metered receipt is
// checked and countersigned by the SDK).
//
//   npx tsc -p sdk/tsconfig.examples.json --noEmit false --outDir <dir>
//   ZEROG_RPC=ws://127.0.0.1:9944 node <dir>/dataset-and-inference.js <dataset file> [service id]
//
// Prints one JSON line: the dataset's root and file id, and the model's answer. On a `--dev`
// chain with `zerog-executor --dev` running, service 0 is Alice's echo backend and //Bob has
// funds for it from genesis; tests/eth/test/sdk-examples.test.mjs runs exactly that.
import { readFile } from 'node:fs/promises';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import OpenAI from 'openai';
import { readService, zerogFetch, type InferenceReceipt } from '@zerog/sdk/compute';
import { downloadFile, uploadFile } from '@zerog/sdk/files';
import { substrateSigner } from '@zerog/sdk/signers';

const rpcUrl = process.env.ZEROG_RPC ?? 'ws://127.0.0.1:9944';
const [path, serviceArg = '0'] = process.argv.slice(2);
if (!path) {
  console.error('usage: dataset-and-inference <dataset file> [service id]');
  process.exit(2);
}

const api = await ApiPromise.create({ provider: new WsProvider(rpcUrl), noInitWarn: true });
try {
  const pair = new Keyring({ type: 'sr25519', ss58Format: 6900 }).addFromUri(process.env.ZEROG_SURI ?? '//Bob');

  // 1. The dataset, stored and read back.
  const dataset = new Uint8Array(await readFile(path));
  const stored = await uploadFile({
    node: rpcUrl, file: dataset, signer: substrateSigner({ api, pair }),
    onProgress: ({ phase, done, total }) => process.stderr.write(`${phase} ${done}/${total}\n`),
  });
  const { data } = await downloadFile({ node: rpcUrl, root: stored.root, size: stored.size });
  if (data.length !== dataset.length || !data.every((byte, i) => byte === dataset[i])) {
    throw new Error('the dataset read back differs from the one stored');
  }

  // 2. A question about it, paid per request.
  const service = await readService(api, BigInt(serviceArg));
  const receipts: InferenceReceipt[] = [];
  const openai = new OpenAI({
    baseURL: `${service.endpoint}/v1`,
    apiKey: 'unused: the signed headers pay',
    fetch: zerogFetch({ pair, service, onReceipt: (receipt) => receipts.push(receipt) }),
  });
  const question = `Describe the dataset ${stored.root} (${stored.size} bytes) in one sentence.`;
  const chat = await openai.chat.completions.create({
    model: 'zerog-dev-echo', messages: [{ role: 'user', content: question }], max_tokens: 64,
  });
  console.log(JSON.stringify({
    root: stored.root,
    fileId: String(stored.fileId),
    answer: chat.choices[0]?.message.content ?? '',
    fee: String(receipts[0]?.fee ?? 0n),
  }));
} finally {
  await api.disconnect();
}
