// Stores a dataset on ZeroG and reads it back, verified: the SDK's upload with progress paid by
// a Substrate account, or by an Ethereum wallet through the IZeroGStorage precompile.
//
//   ZEROG_RPC=ws://127.0.0.1:9944 node store-a-dataset.js <file> [--ethereum <private key>]
import { readFile } from 'node:fs/promises';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { JsonRpcProvider, Wallet } from 'ethers';
import { downloadFile, uploadFile, type Progress } from '@zerog/sdk/files';
import { substrateSigner, type StorageSigner } from '@zerog/sdk/signers';
import { ethereumSigner } from '@zerog/sdk/ethereum';

const rpcUrl = process.env.ZEROG_RPC ?? 'ws://127.0.0.1:9944';
const ethUrl = process.env.ZEROG_ETH_RPC ?? 'http://127.0.0.1:8545';

function showProgress({ phase, done, total }: Progress): void {
  process.stderr.write(`\r${phase.padEnd(12)} ${done}/${total}   `);
  if (done === total) process.stderr.write('\n');
}

export async function storeDataset(path: string, ethereumKey?: string): Promise<string> {
  const file = new Uint8Array(await readFile(path));
  let signer: StorageSigner;
  let api: ApiPromise | undefined;
  if (ethereumKey) {
    signer = ethereumSigner(new Wallet(ethereumKey, new JsonRpcProvider(ethUrl)));
  } else {
    api = await ApiPromise.create({ provider: new WsProvider(rpcUrl), noInitWarn: true });
    const pair = new Keyring({ type: 'sr25519', ss58Format: 6900 }).addFromUri('//Alice');
    signer = substrateSigner({ api, pair });
  }
  try {
    const stored = await uploadFile({ node: rpcUrl, file, signer, onProgress: showProgress });
    console.log(`file #${stored.fileId}: root ${stored.root}, ${stored.size} bytes, ${stored.uploadedSegments} segments sent`);
    const { data, sources } = await downloadFile({ node: rpcUrl, root: stored.root, size: stored.size });
    const same = data.length === file.length && data.every((byte, i) => byte === file[i]);
    console.log(`read back ${data.length} bytes from ${sources.filter((s) => s.segments > 0).map((s) => s.url).join(', ')}: ${same ? 'identical' : 'DIFFERENT'}`);
    if (!same) process.exitCode = 1;
    return stored.root;
  } finally {
    await api?.disconnect();
  }
}

const [path, flag, key] = process.argv.slice(2);
if (path) await storeDataset(path, flag === '--ethereum' ? key : undefined);
