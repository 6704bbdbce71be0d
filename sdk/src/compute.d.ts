// Types of ./compute.js.

/** An inference receipt, as the chain settles it. */
export interface InferenceReceipt {
  user: Uint8Array;
  provider: Uint8Array;
  service: bigint;
  nonce: bigint;
  inputTokens: bigint;
  outputTokens: bigint;
  fee: bigint;
  requestHash: Uint8Array;
}

/** What the hook needs to know about an inference service (see readService). */
export interface InferenceService {
  id: bigint;
  provider: Uint8Array;
  inputPrice: bigint;
  outputPrice: bigint;
  endpoint: string;
  genesisHash: Uint8Array;
}

/** An sr25519 signer, such as a @polkadot/keyring pair. */
export interface Signer {
  publicKey: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

export const RECEIPT_DOMAIN: Uint8Array;
export const TEMPLATE_TOKENS: bigint;
export const DEFAULT_MAX_OUTPUT_TOKENS: bigint;
export class ReceiptError extends Error {}

export function encodeReceipt(receipt: InferenceReceipt): Uint8Array;
export function decodeReceipt(bytes: Uint8Array): InferenceReceipt;
export function signingPayload(genesisHash: Uint8Array, receipt: InferenceReceipt): Uint8Array;
export function price(service: InferenceService, input: bigint | number, output: bigint | number): bigint;
export function readService(api: unknown, id: number | bigint): Promise<InferenceService>;

/** A registered service, as `listServices` returns it. */
export interface ServiceListing {
  id: bigint;
  provider: Uint8Array;
  kind: 'inference' | 'job';
  model: string;
  endpoint: string;
  inputPrice: bigint;
  outputPrice: bigint;
  verifiable: boolean;
  stake: bigint;
}

export function listServices(api: unknown): Promise<ServiceListing[]>;
export function checkMetered(
  metered: InferenceReceipt,
  cap: InferenceReceipt,
  service: InferenceService,
  request: Uint8Array,
  answer: Uint8Array,
): void;
export function zerogFetch(options: {
  pair: Signer;
  service: InferenceService;
  firstNonce?: bigint;
  maxOutputTokens?: bigint;
  onReceipt?: (metered: InferenceReceipt) => void;
  fetch?: typeof fetch;
  countersign?: boolean;
}): FetchLike;

/**
 * A `fetch` (what `zerogFetch` returns), typed loosely enough to be given to clients that
 * declare their own fetch types (the `openai` package's `fetch` option among them).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type FetchLike = (input: any, init?: any) => Promise<any>;
