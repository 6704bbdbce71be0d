// The Ethereum JSON-RPC of a real `zerog-node --dev`, driven by ethers and contracts compiled
// with solc: deployment, ERC-20 calls, receipts, logs, gas estimation, nonces, chain data,
// reverts and refused transactions.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ContractFactory, Contract, JsonRpcProvider, WebSocketProvider, Wallet, Transaction, parseEther, id as topicOf } from 'ethers';
import { startDevNode } from '../lib/node.mjs';
import { compile } from '../lib/compile.mjs';
import { devWallet } from '../lib/accounts.mjs';

const CHAIN_ID = 16900n;
let node, provider, deployer, user, token, guestbook;

/** A raw JSON-RPC call, to see the node's own error codes and messages. */
async function rpc(url, method, params = []) {
  const res = await fetch(url, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  return res.json();
}

before(async () => {
  node = await startDevNode('ethers');
  provider = new JsonRpcProvider(node.ethUrl, Number(CHAIN_ID), { staticNetwork: true });
  provider.pollingInterval = 500;
  deployer = devWallet(0, provider);
  user = devWallet(1, provider);

  const tokenArtifact = compile('Token.sol', 'Token');
  const tokenFactory = new ContractFactory(tokenArtifact.abi, tokenArtifact.bytecode, deployer);
  token = await tokenFactory.deploy('ZeroG Test Token', 'ZTT', parseEther('1000000'));
  await token.waitForDeployment();

  const guestbookArtifact = compile('Guestbook.sol', 'Guestbook');
  const guestbookFactory = new ContractFactory(guestbookArtifact.abi, guestbookArtifact.bytecode, deployer);
  guestbook = await guestbookFactory.deploy();
  await guestbook.waitForDeployment();
});

after(async () => {
  provider?.destroy();
  await node?.stop();
});

test('chain id, network version, gas price and fee history answer', async () => {
  assert.equal((await rpc(node.ethUrl, 'eth_chainId')).result, '0x' + CHAIN_ID.toString(16));
  assert.equal((await rpc(node.ethUrl, 'net_version')).result, CHAIN_ID.toString());
  const gasPrice = BigInt((await rpc(node.ethUrl, 'eth_gasPrice')).result);
  assert.ok(gasPrice > 0n, 'gas price is positive');
  const history = (await rpc(node.ethUrl, 'eth_feeHistory', ['0x4', 'latest', [50]])).result;
  assert.ok(history.baseFeePerGas.length >= 1, JSON.stringify(history));
  assert.ok(BigInt(history.oldestBlock) >= 0n);
});

test('Ethereum blocks are the Substrate blocks', async () => {
  const substrateBest = BigInt((await rpc(`http://127.0.0.1:${node.rpcPort}`, 'chain_getHeader')).result.number);
  const ethBest = BigInt((await rpc(node.ethUrl, 'eth_blockNumber')).result);
  assert.ok(ethBest <= substrateBest + 1n && ethBest + 3n >= substrateBest, `eth ${ethBest} vs substrate ${substrateBest}`);

  // The block's timestamp is the one pallet-timestamp stored at that Substrate block.
  const block = await provider.getBlock(ethBest);
  assert.equal(BigInt(block.number), ethBest);
  const hash = (await rpc(`http://127.0.0.1:${node.rpcPort}`, 'chain_getBlockHash', [Number(ethBest)])).result;
  const TIMESTAMP_NOW = '0xf0c365c3cf59d671eb72da0e7a4113c49f1f0515f462cdcf84e0f1d6045dfcbb';
  const raw = (await rpc(`http://127.0.0.1:${node.rpcPort}`, 'state_getStorage', [TIMESTAMP_NOW, hash])).result;
  const millis = Buffer.from(raw.slice(2), 'hex').readBigUInt64LE(0);
  assert.equal(BigInt(block.timestamp), millis / 1000n);
});

test('ERC-20 transfer, approve and transferFrom move balances and emit logs', async () => {
  const amount = parseEther('100');
  const before = await token.balanceOf(user.address);

  const transfer = await token.transfer(user.address, amount);
  const receipt = await transfer.wait();
  assert.equal(receipt.status, 1);
  const transferLog = receipt.logs.map((l) => token.interface.parseLog(l)).find((l) => l?.name === 'Transfer');
  assert.equal(transferLog.args.to, user.address);
  assert.equal(transferLog.args.value, amount);
  assert.equal(await token.balanceOf(user.address), before + amount);

  const approve = await token.approve(user.address, amount);
  assert.equal((await approve.wait()).status, 1);
  assert.equal(await token.allowance(deployer.address, user.address), amount);

  const third = devWallet(2).address;
  const pull = await token.connect(user).transferFrom(deployer.address, third, amount / 2n);
  assert.equal((await pull.wait()).status, 1);
  assert.equal(await token.balanceOf(third), amount / 2n);
  assert.equal(await token.allowance(deployer.address, user.address), amount / 2n);
});

test('eth_getLogs filters by address and topic', async () => {
  const tx = await guestbook.sign('hello from ethers');
  const receipt = await tx.wait();
  const signedTopic = topicOf('Signed(address,uint256,string)');
  const logs = await provider.getLogs({
    address: await guestbook.getAddress(),
    topics: [signedTopic],
    fromBlock: receipt.blockNumber,
    toBlock: receipt.blockNumber,
  });
  assert.equal(logs.length, 1);
  const parsed = guestbook.interface.parseLog(logs[0]);
  assert.equal(parsed.args.message, 'hello from ethers');
  assert.equal(parsed.args.guest, deployer.address);

  // The token's Transfer topic finds nothing at the guestbook's address.
  const none = await provider.getLogs({
    address: await guestbook.getAddress(),
    topics: [topicOf('Transfer(address,address,uint256)')],
    fromBlock: 0,
    toBlock: 'latest',
  });
  assert.equal(none.length, 0);
});

test('eth_estimateGas is at most 20% above what the transaction used', async () => {
  const data = token.interface.encodeFunctionData('transfer', [devWallet(3).address, 12345n]);
  const request = { from: deployer.address, to: await token.getAddress(), data };
  const estimate = await provider.estimateGas(request);
  const receipt = await (await deployer.sendTransaction({ ...request, gasLimit: estimate })).wait();
  assert.equal(receipt.status, 1);
  assert.ok(estimate >= receipt.gasUsed, `estimate ${estimate} < used ${receipt.gasUsed}`);
  assert.ok(estimate * 100n <= receipt.gasUsed * 120n, `estimate ${estimate} > 1.2 x used ${receipt.gasUsed}`);
});

test('nonces count the sender\'s transactions', async () => {
  const wallet = devWallet(4, provider);
  const before = await provider.getTransactionCount(wallet.address, 'latest');
  for (let i = 0; i < 2; i++) {
    await (await guestbook.connect(wallet).sign(`entry ${i}`)).wait();
  }
  assert.equal(await provider.getTransactionCount(wallet.address, 'latest'), before + 2);
});

test('a revert returns its reason string', async () => {
  await assert.rejects(guestbook.fail.staticCall(), (error) => {
    assert.match(error.reason ?? error.message, /Guestbook: asked to fail/);
    return true;
  });
  await assert.rejects(guestbook.sign.estimateGas(''), (error) => {
    assert.match(error.reason ?? error.message, /Guestbook: empty message/);
    return true;
  });
});

/** Signs `tx` for `wallet` without touching the network and returns the raw bytes. */
async function signRaw(wallet, overrides) {
  const base = {
    to: devWallet(5).address,
    value: 1n,
    gasLimit: 100_000n,
    maxFeePerGas: (await provider.getFeeData()).maxFeePerGas * 2n,
    maxPriorityFeePerGas: 0n,
    nonce: await provider.getTransactionCount(wallet.address, 'pending'),
    chainId: CHAIN_ID,
    type: 2,
  };
  return wallet.signTransaction(Transaction.from({ ...base, ...overrides }));
}

// Refused with geth's code and wording, which wallets and libraries recognise.
async function assertRefused(wallet, overrides, pattern) {
  const balance = await provider.getBalance(wallet.address);
  const nonce = await provider.getTransactionCount(wallet.address, 'latest');
  const raw = await signRaw(wallet, overrides);
  const answer = await rpc(node.ethUrl, 'eth_sendRawTransaction', [raw]);
  assert.ok(answer.error, `refused: ${JSON.stringify(answer)}`);
  assert.equal(answer.error.code, -32000, JSON.stringify(answer.error));
  assert.match(answer.error.message, pattern);
  // Nothing changed.
  await new Promise((r) => setTimeout(r, 2500));
  assert.equal(await provider.getBalance(wallet.address), balance);
  assert.equal(await provider.getTransactionCount(wallet.address, 'latest'), nonce);
}

test('a transaction for another chain id is refused and changes nothing', async () => {
  await assertRefused(devWallet(6, provider), { chainId: 1n }, /^invalid chain id for signer: have 1 want 16900$/);
});

test('a transaction with a too-low nonce is refused and changes nothing', async () => {
  const wallet = devWallet(7, provider);
  await (await wallet.sendTransaction({ to: devWallet(5).address, value: 1n })).wait();
  await assertRefused(wallet, { nonce: 0 }, /^nonce too low: address 0x[0-9a-f]{40}, tx: 0 state: [1-9]\d*$/);
});

test('a transaction worth more than the balance is refused and changes nothing', async () => {
  const wallet = devWallet(8, provider);
  const balance = await provider.getBalance(wallet.address);
  await assertRefused(wallet, { value: balance + 1n }, /^insufficient funds for gas \* price \+ value: /);
});

test('WebSocket clients get new heads through eth_subscribe on the same port', async () => {
  const ws = new WebSocketProvider(node.ethUrl.replace('http://', 'ws://'), Number(CHAIN_ID));
  try {
    const current = await ws.getBlockNumber();
    const announced = await new Promise((ok, fail) => {
      const timer = setTimeout(() => fail(new Error('no newHeads within 20 s')), 20_000);
      ws.on('block', (number) => { clearTimeout(timer); ok(number); });
    });
    assert.ok(announced >= current, `${announced} >= ${current}`);
  } finally {
    await ws.destroy();
  }
});
