// Throughput harness (a benchmark, not a test): signs N ERC-20 transfers up front, submits them
// through `eth_sendRawTransaction`, and reports transfers per second included and finalized.
//
//   node bench/erc20-tps.mjs [--transfers N] [--senders K]
//
// Starts its own `zerog-node --dev` (see lib/node.mjs for the binary it uses).
import { parseArgs } from 'node:util';
import { ContractFactory, JsonRpcProvider, Transaction, parseEther } from 'ethers';
import { startDevNode } from '../lib/node.mjs';
import { compile } from '../lib/compile.mjs';
import { devWallet } from '../lib/accounts.mjs';

const { values } = parseArgs({
  options: {
    transfers: { type: 'string', default: '2000' },
    senders: { type: 'string', default: '10' },
  },
});
const transfers = Number(values.transfers);
const senders = Math.min(Number(values.senders), 10);

async function rpc(url, method, params = []) {
  const res = await fetch(url, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const body = await res.json();
  if (body.error) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.result;
}

const node = await startDevNode('bench');
const substrateUrl = `http://127.0.0.1:${node.rpcPort}`;
try {
  const provider = new JsonRpcProvider(node.ethUrl, 16900, { staticNetwork: true });
  provider.pollingInterval = 500;
  const owner = devWallet(0, provider);
  const artifact = compile('Token.sol', 'Token');
  const token = await new ContractFactory(artifact.abi, artifact.bytecode, owner)
    .deploy('Bench', 'BNCH', parseEther('1000000000'));
  await token.waitForDeployment();
  const tokenAddress = await token.getAddress();

  // Every sender needs tokens to send.
  const wallets = Array.from({ length: senders }, (_, i) => devWallet(i, provider));
  for (const wallet of wallets.slice(1)) {
    await (await token.transfer(wallet.address, parseEther('1000000'))).wait();
  }

  // Sign everything before submitting anything.
  const gasLimit = await provider.estimateGas({
    from: owner.address, to: tokenAddress,
    data: token.interface.encodeFunctionData('transfer', [devWallet(9).address, 1n]),
  }) * 2n;
  const { maxFeePerGas } = await provider.getFeeData();
  const nonces = await Promise.all(wallets.map((w) => provider.getTransactionCount(w.address, 'latest')));
  const raw = [];
  for (let i = 0; i < transfers; i++) {
    const s = i % senders;
    const to = devWallet((s + 1) % 10).address;
    raw.push(await wallets[s].signTransaction(Transaction.from({
      type: 2, chainId: 16900n, nonce: nonces[s]++, to: tokenAddress, gasLimit,
      maxFeePerGas: maxFeePerGas * 2n, maxPriorityFeePerGas: 0n, value: 0n,
      data: token.interface.encodeFunctionData('transfer', [to, 1n]),
    })));
  }
  console.log(`signed ${transfers} ERC-20 transfers from ${senders} senders`);

  const startBlock = Number(await rpc(node.ethUrl, 'eth_blockNumber'));
  const submitStart = performance.now();
  const hashes = [];
  const inFlight = 32;
  for (let i = 0; i < raw.length; i += inFlight) {
    hashes.push(...await Promise.all(raw.slice(i, i + inFlight).map((tx) => rpc(node.ethUrl, 'eth_sendRawTransaction', [tx]))));
  }
  const submitSeconds = (performance.now() - submitStart) / 1000;

  // Follow blocks until every transfer is included.
  let included = 0, firstBlock = null, lastBlock = null, next = startBlock + 1;
  const perBlock = [];
  while (included < transfers) {
    const best = Number(await rpc(node.ethUrl, 'eth_blockNumber'));
    for (; next <= best; next++) {
      const block = await rpc(node.ethUrl, 'eth_getBlockByNumber', ['0x' + next.toString(16), false]);
      const count = block.transactions.length;
      if (count > 0) {
        firstBlock ??= next;
        lastBlock = next;
        included += count;
        perBlock.push(count);
      }
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const includedAt = performance.now();
  const timestamp = async (n) => Number((await rpc(node.ethUrl, 'eth_getBlockByNumber', ['0x' + n.toString(16), false])).timestamp);
  const chainSeconds = (await timestamp(lastBlock)) - (await timestamp(firstBlock - 1));

  // And until the last of those blocks is finalized.
  while (true) {
    const finalized = await rpc(substrateUrl, 'chain_getHeader', [await rpc(substrateUrl, 'chain_getFinalizedHead')]);
    if (Number(finalized.number) >= lastBlock) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const finalizedSeconds = (performance.now() - submitStart) / 1000;
  const receipts = await Promise.all(hashes.slice(-10).map((h) => rpc(node.ethUrl, 'eth_getTransactionReceipt', [h])));
  const failed = receipts.filter((r) => r.status !== '0x1').length;

  console.log(JSON.stringify({
    transfers, senders,
    submitSeconds: +submitSeconds.toFixed(2),
    blocksWithTransfers: perBlock.length,
    maxTransfersPerBlock: Math.max(...perBlock),
    includedTps: +(transfers / chainSeconds).toFixed(1),
    includedWallSeconds: +((includedAt - submitStart) / 1000).toFixed(2),
    finalizedTps: +(transfers / finalizedSeconds).toFixed(1),
    finalizedWallSeconds: +finalizedSeconds.toFixed(2),
    sampledReceiptsFailed: failed,
  }, null, 2));
} finally {
  await node.stop();
}
