// Types of `@zerog/sdk/ethereum`: paying from an Ethereum wallet through the precompiles.
import type { Contract, ContractRunner, Signer } from 'ethers';
import type { StorageSigner } from './signers.js';

export const STORAGE_PRECOMPILE: '0x0000000000000000000000000000000008000000';
export const DA_PRECOMPILE: '0x0000000000000000000000000000000008010000';
export const COMPUTE_PRECOMPILE: '0x0000000000000000000000000000000008020000';
export const STORAGE_ABI: string[];

export const DA_ABI: string[];
export const COMPUTE_ABI: string[];

export function storageContract(runner: ContractRunner): Contract;
export function daContract(runner: ContractRunner): Contract;
export function computeContract(runner: ContractRunner): Contract;
export function ethereumSigner(wallet: Signer & { address?: string }): StorageSigner;
