// Signers that pay from an Ethereum wallet (ethers v6: a `Wallet`, or the `Signer` of a
// `BrowserProvider` over MetaMask) through ZeroG's precompiles: the wallet's transaction calls
// IZeroGStorage at its fixed address, which dispatches the pallet call as the account
// pallet-revive maps the wallet's address to (sdk/solidity/, docs/ethereum.md).
import { Contract } from 'ethers';
import { SubmitError } from './signers.js';

/** Address of the IZeroGStorage precompile. */
export const STORAGE_PRECOMPILE = '0x0000000000000000000000000000000008000000';
/** Address of the IZeroGDA precompile. */
export const DA_PRECOMPILE = '0x0000000000000000000000000000000008010000';
/** Address of the IZeroGCompute precompile. */
export const COMPUTE_PRECOMPILE = '0x0000000000000000000000000000000008020000';

/** The parts of sdk/solidity/IZeroGStorage.sol the SDK calls, as ethers' human-readable ABI. */
export const STORAGE_ABI = [
  'event FileSubmitted(uint64 indexed fileId, bytes32 indexed root, address indexed payer, uint64 size, uint256 fee)',
  'event FileRenewed(uint64 indexed fileId, address indexed payer, uint256 fee, uint32 expiresAt)',
  'function submit(bytes32 root, uint64 size, uint8 replicas) returns (uint64 fileId)',
  'function renew(uint64 fileId)',
  'function fee(uint64 size, uint8 replicas) view returns (uint256)',
  'function fileByCommitment(bytes32 root, uint64 size) view returns (bool found, uint64 fileId)',
  'function isLive(uint64 fileId) view returns (bool)',
];

/** The parts of sdk/solidity/IZeroGDA.sol the SDK calls. */
export const DA_ABI = [
  'event BlobSubmitted(uint64 indexed blobId, bytes32 indexed root, address indexed submitter, uint32 namespace)',
  'function submitBlob(bytes32 root, uint32 sizeBytes, uint16 dataShards, uint16 parityShards, uint32 namespace) returns (uint64 blobId)',
  'function isCertified(bytes32 root) view returns (bool)',
];

/** The parts of sdk/solidity/IZeroGCompute.sol the SDK calls. */
export const COMPUTE_ABI = [
  'function deposit(uint256 amount)',
  'function fundProvider(bytes32 provider, uint256 amount)',
  'function subAccount(bytes32 user, bytes32 provider) view returns (uint256)',
  'function accountOf(address account) view returns (bytes32)',
];

/** IZeroGCompute as an ethers `Contract` connected to `runner`. */
export function computeContract(runner) {
  return new Contract(COMPUTE_PRECOMPILE, COMPUTE_ABI, runner);
}

/** IZeroGDA as an ethers `Contract` connected to `runner`. */
export function daContract(runner) {
  return new Contract(DA_PRECOMPILE, DA_ABI, runner);
}

/** Sends `call()` (a contract transaction) and waits for its receipt; a revert as a `SubmitError`. */
async function sendAndWait(what, call) {
  let receipt;
  try {
    receipt = await (await call()).wait();
  } catch (error) {
    // A pallet error reverts with its name as the reason ("InsufficientBalance", ...).
    const reason = error.reason ?? error.shortMessage ?? error.message;
    throw new SubmitError(reason, `${what} reverted: ${reason}`);
  }
  if (receipt.status !== 1) throw new SubmitError('Reverted', `${what} failed in ${receipt.hash}`);
  return receipt;
}

/** The first log of `contract` in `receipt` named one of `names`, parsed. */
function logOf(contract, receipt, names) {
  return receipt.logs
    .filter((log) => log.address.toLowerCase() === String(contract.target).toLowerCase())
    .map((log) => contract.interface.parseLog(log))
    .find((log) => names.includes(log?.name));
}

/** IZeroGStorage as an ethers `Contract` connected to `runner` (a wallet or a provider). */
export function storageContract(runner) {
  return new Contract(STORAGE_PRECOMPILE, STORAGE_ABI, runner);
}

/**
 * A signer paying for storage, DA and compute from the Ethereum wallet `wallet` (an ethers v6
 * `Signer`) through IZeroGStorage, IZeroGDA and IZeroGCompute. Tags cannot be given through the
 * precompile.
 */
export function ethereumSigner(wallet) {
  const storage = storageContract(wallet);
  const da = daContract(wallet);
  const compute = computeContract(wallet);
  return {
    kind: 'ethereum',
    get address() {
      return wallet.address;
    },
    async submitFile({ root, size, tags = [], replicas }) {
      if (tags.length > 0) throw new SubmitError('TagsUnsupported', 'IZeroGStorage.submit takes no tags: use a Substrate signer to tag a file');
      const receipt = await sendAndWait('IZeroGStorage.submit', () => storage.submit(root, size, replicas));
      const submitted = logOf(storage, receipt, ['FileSubmitted', 'FileRenewed']);
      return { transactionHash: receipt.hash, blockNumber: receipt.blockNumber, fileId: submitted ? submitted.args.fileId : null };
    },
    async fundCompute({ provider, amount }) {
      // Two transactions (a precompile call cannot batch): the deposit stays in the ledger if
      // the second fails, and `fundProvider` can be sent again.
      await sendAndWait('IZeroGCompute.deposit', () => compute.deposit(amount));
      const receipt = await sendAndWait('IZeroGCompute.fundProvider', () => compute.fundProvider(provider, amount));
      return { transactionHash: receipt.hash, blockNumber: receipt.blockNumber };
    },
    async submitBlob({ commitment, namespace }) {
      const { root, sizeBytes, dataShards, parityShards } = commitment;
      const receipt = await sendAndWait('IZeroGDA.submitBlob', () => da.submitBlob(root, sizeBytes, dataShards, parityShards, namespace));
      const submitted = logOf(da, receipt, ['BlobSubmitted']);
      return { transactionHash: receipt.hash, blockNumber: receipt.blockNumber, blobId: submitted ? submitted.args.blobId : null };
    },
  };
}
