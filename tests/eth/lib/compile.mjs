// Compiles the test contracts with solc from npm (no network, no native compiler needed).
import solc from 'solc';
import { readFileSync } from 'node:fs';

const contractsDir = new URL('../contracts/', import.meta.url);

/** The SDK's Solidity folder: the precompiles' interfaces and the examples that use them. */
export const sdkSolidityDir = new URL('../../../sdk/solidity/', import.meta.url);

/**
 * Compiles `file` (a path under `dir`, the test contracts by default) and returns
 * `{ abi, bytecode }` of `contract`. Imports resolve under `dir`, as source unit names do.
 */
export function compile(file, contract, dir = contractsDir) {
  const input = {
    language: 'Solidity',
    sources: { [file]: { content: readFileSync(new URL(file, dir), 'utf8') } },
    settings: {
      evmVersion: 'cancun',
      optimizer: { enabled: true, runs: 200 },
      outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
    },
  };
  const findImports = (path) => {
    try {
      return { contents: readFileSync(new URL(path, dir), 'utf8') };
    } catch (e) {
      return { error: `${path}: ${e.message}` };
    }
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length) throw new Error(errors.map((e) => e.formattedMessage).join('\n'));
  const compiled = output.contracts[file][contract];
  return { abi: compiled.abi, bytecode: '0x' + compiled.evm.bytecode.object };
}

/** The ABI of the interface `name` in the SDK's Solidity folder (`IZeroGStorage`, ...). */
export function interfaceAbi(name) {
  return compile(`${name}.sol`, name, sdkSolidityDir).abi;
}
