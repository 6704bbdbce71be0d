// Types of `@zerog/sdk/encryption`: encrypted files and sealed content keys (zerog-primitives
// compiled to WebAssembly), byte for byte what the CLI and the executor write.

export const MAGIC: Uint8Array;
export const HEADER_LEN: 24;
export const TAG_LEN: 16;
export const DEFAULT_CHUNK_SIZE: number;
export const MAX_CHUNK_SIZE: number;
export const KEY_LEN: 32;
export const SEALED_KEY_LEN: 80;

/** `name`: `NotEncrypted`, `BadChunkSize`, `Truncated`, `WrongKeyOrCorrupt`, `BadSealedKeyLength`, `WeakPublicKey`, `BadKey`, `BadSecretUri`, `ChunkTooLong`, `NoWasm`. */
export class EncryptionError extends Error {}

export interface Header {
  chunkSize: number;
  salt: Uint8Array;
  /** The 24 header bytes. */
  bytes: Uint8Array;
}

export interface X25519Pair {
  secretKey: Uint8Array;
  publicKey: Uint8Array;
}

export function randomBytes(length: number): Uint8Array;
export function randomContentKey(): Uint8Array;
export function encodeHeader(header: { chunkSize?: number; salt: Uint8Array }): Uint8Array;
export function parseHeader(data: Uint8Array): Header;
export function chunkCount(plainLength: number, chunkSize?: number): number;
export function encryptedLength(plainLength: number, chunkSize?: number): number;
export function layout(length: number, chunkSize: number): { chunks: number; plainLength: number };

export class Encryption {
  encryptChunk(key: Uint8Array, header: Uint8Array, index: number, last: boolean, plain: Uint8Array): Uint8Array;
  decryptChunk(key: Uint8Array, header: Uint8Array, index: number, last: boolean, sealed: Uint8Array): Uint8Array;
  encrypt(
    plain: Uint8Array,
    options?: { key?: Uint8Array; chunkSize?: number; salt?: Uint8Array; onProgress?: (progress: { done: number; total: number }) => void },
  ): { data: Uint8Array; key: Uint8Array };
  decrypt(data: Uint8Array, key: Uint8Array, options?: { onProgress?: (progress: { done: number; total: number }) => void }): Uint8Array;
  accountKey(material: Uint8Array): X25519Pair;
  sealKey(recipient: Uint8Array, contentKey: Uint8Array, ephemeralSecret?: Uint8Array): Uint8Array;
  openKey(secretKey: Uint8Array, sealed: Uint8Array): Uint8Array;
}

export function loadEncryption(source?: string | URL | Uint8Array | ArrayBuffer | WebAssembly.Module): Promise<Encryption>;
export function sr25519Account(suri: string): Promise<{ publicKey: Uint8Array; secretKey: Uint8Array }>;
export function accountEncryptionKey(suri: string, options?: { encryption?: Encryption }): Promise<X25519Pair & { account: Uint8Array }>;
export function encryptionKeyMessage(address: string): string;
export function ethereumEncryptionKey(
  signer: { getAddress(): Promise<string>; signMessage(message: string): Promise<string> },
  options?: { encryption?: Encryption },
): Promise<X25519Pair & { address: string }>;
