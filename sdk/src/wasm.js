// The SDK's WebAssembly module (sdk/wasm, built into dist/zerog_sdk.wasm by sdk/wasm/build.sh):
// zerog-primitives' DA coding and file encryption, loaded once and called through a plain ABI.
// SCALE bytes go in through `zg_alloc`; a status comes back, with the output bytes (or an
// error's "Name: message") at `zg_result_ptr`/`zg_result_len`. da.js and encryption.js each
// keep an instance of their own and name failures with their own error class.

/** The default module's location: dist/ beside src/ in the package. */
export const DEFAULT_WASM = new URL('../dist/zerog_sdk.wasm', import.meta.url);

/**
 * The compiled module from `source` (a URL, a file path in Node, the module's bytes or a
 * compiled `WebAssembly.Module`; by default the package's `dist/zerog_sdk.wasm`); a missing
 * module is `fail('NoWasm', message)`.
 */
export async function wasmModule(source, fail) {
  if (source instanceof WebAssembly.Module) return source;
  if (source instanceof Uint8Array || source instanceof ArrayBuffer) return WebAssembly.compile(source);
  const url = source ?? DEFAULT_WASM;
  const text = String(url);
  const isNode = typeof process !== 'undefined' && process.versions?.node;
  if (isNode && (text.startsWith('file:') || !/^[a-z][a-z0-9+.-]*:/i.test(text))) {
    // Node's fetch cannot read files. The module name is not a literal, so bundlers for the
    // browser leave it alone.
    const fsModule = 'node:fs/promises';
    const { readFile } = await import(/* @vite-ignore */ fsModule);
    try {
      return WebAssembly.compile(await readFile(text.startsWith('file:') ? new URL(text) : text));
    } catch (error) {
      if (error.code === 'ENOENT') throw fail('NoWasm', `${text} is missing: build it with sdk/wasm/build.sh`);
      throw error;
    }
  }
  const response = await fetch(url);
  if (!response.ok) throw fail('NoWasm', `${text}: HTTP ${response.status}`);
  return WebAssembly.compile(await response.arrayBuffer());
}

let defaultModule = null;

/** The default module, compiled once (a failed load is tried again next time). */
export function defaultWasmModule(fail) {
  defaultModule ??= wasmModule(undefined, fail).catch((error) => { defaultModule = null; throw error; });
  return defaultModule;
}

/** One instance of the module; `fail(name, message)` makes the error a failed call throws. */
export class WasmInstance {
  #module;
  #instance;
  #fail;

  constructor(module, fail) {
    this.#module = module;
    this.#fail = fail;
    this.#instance = new WebAssembly.Instance(module, {});
  }

  /** Calls export `name` on `input` (and `args`); the output bytes, or a thrown failure. */
  call(name, input, ...args) {
    const exports = this.#instance.exports;
    const ptr = exports.zg_alloc(input.length);
    new Uint8Array(exports.memory.buffer, ptr, input.length).set(input);
    let status;
    try {
      status = exports[name](ptr, input.length, ...args);
    } catch (error) {
      // A trap (a panic in the Rust code) leaves the instance unusable: start a fresh one.
      this.#instance = new WebAssembly.Instance(this.#module, {});
      throw this.#fail('Trap', `${name} trapped: ${error.message}`);
    }
    exports.zg_free(ptr, input.length);
    const output = new Uint8Array(exports.memory.buffer, exports.zg_result_ptr(), exports.zg_result_len()).slice();
    if (status !== 0) {
      const text = new TextDecoder().decode(output);
      const split = text.indexOf(': ');
      throw this.#fail(text.slice(0, split), text.slice(split + 2));
    }
    return output;
  }
}
