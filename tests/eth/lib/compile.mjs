// Compiles the test contracts with solc from npm (no network, no native compiler needed).
import solc from 'solc';
import { readFileSync } from 'node:fs';

const contractsDir = new URL('../contracts/', import.meta.url);

/** Compiles `file` and returns `{ abi, bytecode }` of `contract`. */
export function compile(file, contract) {
  const input = {
    language: 'Solidity',
    sources: { [file]: { content: readFileSync(new URL(file, contractsDir), 'utf8') } },
    settings: {
      evmVersion: 'cancun',
      optimizer: { enabled: true, runs: 200 },
      outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input)));
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length) throw new Error(errors.map((e) => e.formattedMessage).join('\n'));
  const compiled = output.contracts[file][contract];
  return { abi: compiled.abi, bytecode: '0x' + compiled.evm.bytecode.object };
}
