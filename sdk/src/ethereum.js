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

/** IZeroGStorage as an ethers `Contract` connected to `runner` (a wallet or a provider). */
export function storageContract(runner) {
  return new Contract(STORAGE_PRECOMPILE, STORAGE_ABI, runner);
}

/**
 * A signer paying for storage from the Ethereum wallet `wallet` (an ethers v6 `Signer`) through
 * IZeroGStorage. Tags cannot be given through the precompile.
 */
export function ethereumSigner(wallet) {
  const storage = storageContract(wallet);
  return {
    kind: 'ethereum',
    get address() {
      return wallet.address;
    },
    async submitFile({ root, size, tags = [], replicas }) {
      if (tags.length > 0) throw new SubmitError('TagsUnsupported', 'IZeroGStorage.submit takes no tags: use a Substrate signer to tag a file');
      let receipt;
      try {
        receipt = await (await storage.submit(root, size, replicas)).wait();
      } catch (error) {
        // A pallet error reverts with its name as the reason ("InsufficientBalance", ...).
        const reason = error.reason ?? error.shortMessage ?? error.message;
        throw new SubmitError(reason, `IZeroGStorage.submit reverted: ${reason}`);
      }
      if (receipt.status !== 1) throw new SubmitError('Reverted', `IZeroGStorage.submit failed in ${receipt.hash}`);
      const submitted = receipt.logs
        .filter((log) => log.address.toLowerCase() === STORAGE_PRECOMPILE.toLowerCase())
        .map((log) => storage.interface.parseLog(log))
        .find((log) => log?.name === 'FileSubmitted' || log?.name === 'FileRenewed');
      return { transactionHash: receipt.hash, blockNumber: receipt.blockNumber, fileId: submitted ? submitted.args.fileId : null };
    },
  };
}
