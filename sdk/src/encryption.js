// Encrypted files and sealed content keys for JavaScript, byte for byte what the CLI and the
// executor write (zerog_primitives::encryption, docs/marketplace.md):
//
//   header: "ZGE1" | chunk size (u32 LE) | salt (16 bytes)                   24 bytes
//   chunk i: XChaCha20-Poly1305 of plaintext [i*C, (i+1)*C) | tag             C + 16 bytes
//   sealed key: ephemeral x25519 public key | encrypted content key | tag    80 bytes
//
// The ciphers run in the SDK's WebAssembly module (the Rust code itself, wasm.js); the layout
// (which chunk is where) and the secret URIs are done here. An account's x25519 key is derived
// one way from its sr25519 secret, so the secret URI a user signs with also opens the keys
// sealed to it; an Ethereum wallet's is derived from its signature of a fixed message
// (`ethereumEncryptionKey`). `sdk/conformance/encryption.json`, written by the Rust code, is checked
// against this module.
import { compact, concat, equalBytes, le } from './bytes.js';
import { defaultWasmModule, WasmInstance, wasmModule } from './wasm.js';

/** First bytes of every encrypted file (format version 1). */
export const MAGIC = Uint8Array.of(0x5a, 0x47, 0x45, 0x31); // "ZGE1"
/** Length of an encrypted file's header. */
export const HEADER_LEN = 24;
/** Length of each chunk's authentication tag. */
export const TAG_LEN = 16;
/** Plaintext bytes per chunk the tools write: 64 KiB. */
export const DEFAULT_CHUNK_SIZE = 64 * 1024;
/** Largest chunk size a reader accepts (16 MiB). */
export const MAX_CHUNK_SIZE = 16 * 1024 * 1024;
/** Length of a content key, and of x25519 keys. */
export const KEY_LEN = 32;
/** Length of a sealed content key. */
export const SEALED_KEY_LEN = 80;

/**
 * A refusal; `name` is the Rust `EncryptionError` variant (`NotEncrypted`, `BadChunkSize`,
 * `Truncated`, `WrongKeyOrCorrupt`, `BadSealedKeyLength`, `WeakPublicKey`) or the SDK's own
 * (`BadKey`, `BadSecretUri`, `ChunkTooLong`, `NoWasm`).
 */
export class EncryptionError extends Error {
  constructor(name, message) {
    super(`${name}: ${message}`);
    this.name = name;
  }
}

const fail = (name, message) => new EncryptionError(name, message);

/** `length` fresh random bytes from the platform (Web Crypto, in Node and browsers). */
export function randomBytes(length) {
  return globalThis.crypto.getRandomValues(new Uint8Array(length));
}

/** A fresh random content key. */
export const randomContentKey = () => randomBytes(KEY_LEN);

function checkKey(key, what) {
  if (!(key instanceof Uint8Array) || key.length !== KEY_LEN) {
    throw fail('BadKey', `${what} is ${KEY_LEN} bytes, not ${key?.length ?? typeof key}`);
  }
}

/** The 24 header bytes of `{ chunkSize, salt }`. */
export function encodeHeader({ chunkSize = DEFAULT_CHUNK_SIZE, salt }) {
  if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) {
    throw fail('BadChunkSize', `a chunk size is 1 to ${MAX_CHUNK_SIZE} bytes, not ${chunkSize}`);
  }
  if (!(salt instanceof Uint8Array) || salt.length !== 16) throw fail('BadKey', 'a salt is 16 bytes');
  return concat(MAGIC, le(chunkSize, 4), salt);
}

/** `{ chunkSize, salt, bytes }` of the header at the start of `data`. */
export function parseHeader(data) {
  if (data.length < HEADER_LEN) throw fail('Truncated', 'the encrypted data is truncated');
  if (!equalBytes(data.subarray(0, 4), MAGIC)) throw fail('NotEncrypted', 'not a ZeroG encrypted file (no ZGE1 header)');
  const chunkSize = new DataView(data.buffer, data.byteOffset + 4, 4).getUint32(0, true);
  if (chunkSize === 0 || chunkSize > MAX_CHUNK_SIZE) throw fail('BadChunkSize', "the encrypted file's header names an invalid chunk size");
  return { chunkSize, salt: data.slice(8, HEADER_LEN), bytes: data.slice(0, HEADER_LEN) };
}

/** Chunks of a plaintext of `plainLength` bytes (at least one). */
export const chunkCount = (plainLength, chunkSize = DEFAULT_CHUNK_SIZE) => Math.max(1, Math.ceil(plainLength / chunkSize));

/** Length of the encrypted file of a plaintext of `plainLength` bytes. */
export function encryptedLength(plainLength, chunkSize = DEFAULT_CHUNK_SIZE) {
  return HEADER_LEN + plainLength + TAG_LEN * chunkCount(plainLength, chunkSize);
}

/** `{ chunks, plainLength }` of an encrypted file of `length` bytes with chunks of `chunkSize`. */
export function layout(length, chunkSize) {
  const body = length - HEADER_LEN;
  if (body < 0) throw fail('Truncated', 'the encrypted data is truncated');
  const chunks = Math.max(1, Math.ceil(body / (chunkSize + TAG_LEN)));
  const plainLength = body - TAG_LEN * chunks;
  if (plainLength < 0) throw fail('Truncated', 'the encrypted data is truncated');
  return { chunks, plainLength };
}

/** SCALE of one chunk call: key, header, index (u64), last (bool), bytes (Vec<u8>). */
function chunkInput(key, header, index, last, bytes) {
  return concat(key, header, le(index, 8), Uint8Array.of(last ? 1 : 0), compact(bytes.length), bytes);
}

/** The encryption of one WebAssembly instance. Get one with `loadEncryption()`. */
export class Encryption {
  #wasm;

  constructor(module) {
    this.#wasm = new WasmInstance(module, fail);
  }

  /** Encrypts chunk `index` (`last` if it is the file's last) of the file with header `header`. */
  encryptChunk(key, header, index, last, plain) {
    checkKey(key, 'a content key');
    return this.#wasm.call('zg_seal_chunk', chunkInput(key, header, index, last, plain));
  }

  /** Checks and decrypts encrypted chunk `index` (with its tag); `WrongKeyOrCorrupt` if altered. */
  decryptChunk(key, header, index, last, sealed) {
    checkKey(key, 'a content key');
    return this.#wasm.call('zg_open_chunk', chunkInput(key, header, index, last, sealed));
  }

  /**
   * Encrypts `plain` whole: `{ data, key }`, under `key` (default: a fresh random one) with a
   * fresh salt. `onProgress({ done, total })` follows the plaintext bytes.
   */
  encrypt(plain, { key = randomContentKey(), chunkSize = DEFAULT_CHUNK_SIZE, salt = randomBytes(16), onProgress } = {}) {
    checkKey(key, 'a content key');
    const header = encodeHeader({ chunkSize, salt });
    const chunks = chunkCount(plain.length, chunkSize);
    const data = new Uint8Array(encryptedLength(plain.length, chunkSize));
    data.set(header);
    for (let index = 0; index < chunks; index++) {
      const start = index * chunkSize;
      const end = Math.min(start + chunkSize, plain.length);
      data.set(this.encryptChunk(key, header, index, index + 1 === chunks, plain.subarray(start, end)), HEADER_LEN + index * (chunkSize + TAG_LEN));
      onProgress?.({ done: end, total: plain.length });
    }
    return { data, key };
  }

  /** Checks and decrypts a whole encrypted file; nothing is returned if any chunk fails. */
  decrypt(data, key, { onProgress } = {}) {
    checkKey(key, 'a content key');
    const header = parseHeader(data);
    const { chunks, plainLength } = layout(data.length, header.chunkSize);
    const plain = new Uint8Array(plainLength);
    const sealedSize = header.chunkSize + TAG_LEN;
    for (let index = 0; index < chunks; index++) {
      const start = HEADER_LEN + index * sealedSize;
      const chunk = this.decryptChunk(key, header.bytes, index, index + 1 === chunks, data.subarray(start, Math.min(start + sealedSize, data.length)));
      plain.set(chunk, index * header.chunkSize);
      onProgress?.({ done: index * header.chunkSize + chunk.length, total: plainLength });
    }
    return plain;
  }

  /**
   * An account's x25519 key pair, `{ secretKey, publicKey }`, from its secret material: an
   * sr25519 secret scalar (as `sr25519Account` gives it) or an Ethereum wallet's signature
   * (`ethereumEncryptionKey`). `publicKey` is what the account registers on chain.
   */
  accountKey(material) {
    if (!(material instanceof Uint8Array) || material.length === 0) throw fail('BadKey', 'an account secret is bytes');
    const pair = this.#wasm.call('zg_account_key', concat(compact(material.length), material));
    return { secretKey: pair.slice(0, KEY_LEN), publicKey: pair.slice(KEY_LEN) };
  }

  /** Seals `contentKey` to `recipient`'s registered x25519 key (80 bytes, a fresh ephemeral key). */
  sealKey(recipient, contentKey, ephemeralSecret = randomBytes(KEY_LEN)) {
    checkKey(recipient, "the recipient's key");
    checkKey(contentKey, 'a content key');
    checkKey(ephemeralSecret, 'an ephemeral secret');
    return this.#wasm.call('zg_seal_key', concat(recipient, contentKey, ephemeralSecret));
  }

  /** Opens a key sealed to the public key of `secretKey`; `WrongKeyOrCorrupt` if it is not. */
  openKey(secretKey, sealed) {
    checkKey(secretKey, 'a secret key');
    return this.#wasm.call('zg_open_key', concat(secretKey, compact(sealed.length), sealed));
  }
}

let loaded = null;

/**
 * Loads the encryption: from `source` (as `loadDaCoding` takes it), or by default from the
 * package's `dist/zerog_sdk.wasm`, loaded once.
 */
export function loadEncryption(source) {
  if (source !== undefined) return wasmModule(source, fail).then((module) => new Encryption(module));
  loaded ??= defaultWasmModule(fail).then((module) => new Encryption(module), (error) => { loaded = null; throw error; });
  return loaded;
}

/** The development phrase `//Alice`-style URIs derive from, as Substrate's tools use it. */
const DEV_PHRASE = 'bottom drive obey lake curtain smoke basket hold race lonely fit walk';

/**
 * The sr25519 account of secret URI `suri`: `{ publicKey, secretKey }`, `secretKey` being the
 * 32-byte secret scalar, as the first 32 bytes of the node's and the CLI's
 * `sr25519::Pair::from_string(suri).to_raw_vec()` (the other 32, the signing nonce, are random
 * after a soft derivation, so nothing is derived from them). `suri` is a mnemonic, a `0x` seed
 * or a dev path (`//Alice`), with `//hard` and `/soft` paths and a `///password`.
 */
export async function sr25519Account(suri) {
  const { cryptoWaitReady, keyExtractSuri, keyFromPath, mnemonicToMiniSecret, mnemonicValidate, sr25519PairFromSeed } =
    await import('@polkadot/util-crypto');
  await cryptoWaitReady();
  let extracted;
  try {
    extracted = keyExtractSuri(suri.startsWith('//') ? `${DEV_PHRASE}${suri}` : suri);
  } catch (error) {
    throw fail('BadSecretUri', `not a secret URI: ${error.message}`);
  }
  const { phrase, password, path } = extracted;
  let seed;
  if (/^0x[0-9a-fA-F]{64}$/.test(phrase)) {
    seed = Uint8Array.from(phrase.slice(2).match(/../g), (pair) => parseInt(pair, 16));
  } else if (mnemonicValidate(phrase)) {
    seed = mnemonicToMiniSecret(phrase, password);
  } else {
    throw fail('BadSecretUri', 'the secret is neither a valid mnemonic nor a 0x-hex 32-byte seed');
  }
  const { publicKey, secretKey } = keyFromPath(sr25519PairFromSeed(seed), path, 'sr25519');
  return { publicKey, secretKey: scalarOf(secretKey) };
}

/**
 * The scalar of a polkadot-js sr25519 secret key, which holds it in its "ed25519" form (times
 * the cofactor 8) where sp-core's raw secret holds the scalar itself. The scalar is below
 * 2^253, so the form is the 256-bit little-endian integer shifted left by 3; this shifts back.
 */
function scalarOf(secretKey) {
  const out = new Uint8Array(32);
  let carry = 0;
  for (let i = 31; i >= 0; i--) {
    const byte = secretKey[i];
    out[i] = (byte >> 3) | (carry << 5);
    carry = byte & 7;
  }
  return out;
}

/**
 * The x25519 key pair of the account of secret URI `suri`: `{ secretKey, publicKey, account }`
 * (`account`: the sr25519 public key, the account id).
 */
export async function accountEncryptionKey(suri, { encryption } = {}) {
  const { publicKey: account, secretKey } = await sr25519Account(suri);
  return { ...(encryption ?? await loadEncryption()).accountKey(secretKey), account };
}

/**
 * The message an Ethereum wallet signs to make its x25519 key (EIP-191 `personal_sign`). Anyone
 * holding the signature can open the keys sealed to that wallet, so it says so.
 */
export function encryptionKeyMessage(address) {
  return 'ZeroG encryption key v1\n\nSigning this creates the key that content keys you buy on ZeroG are '
    + 'sealed to. Anyone with this signature can open them: sign it only on a page you trust.\n\n'
    + `Account: ${address.toLowerCase()}`;
}

/**
 * The x25519 key pair of an Ethereum wallet (an ethers `Signer`, or anything with `getAddress`
 * and `signMessage`): derived like an sr25519 account's, from the wallet's signature of
 * `encryptionKeyMessage(address)` instead of a secret. Wallets sign deterministically (RFC
 * 6979), so the same wallet gets the same key each time; register `publicKey` with
 * `registerEncryptionKey` (IZeroGMarketplace) and open delivered keys with `secretKey`.
 */
export async function ethereumEncryptionKey(signer, { encryption } = {}) {
  const address = await signer.getAddress();
  const signature = await signer.signMessage(encryptionKeyMessage(address));
  const bytes = Uint8Array.from(signature.slice(2).match(/../g), (pair) => parseInt(pair, 16));
  return { ...(encryption ?? await loadEncryption()).accountKey(bytes), address };
}
