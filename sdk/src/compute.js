// ZeroG compute for JavaScript: the request-signing hook that lets any OpenAI-compatible client
// (the official `openai` package included) pay a ZeroG inference service through its gateway.
//
// The protocol is the gateway's (zerog-executor, executor/src/lib.rs):
// 1. Each request carries X-ZeroG-Account, -Service, -Nonce, -Max-Fee, -Max-Input-Tokens,
//    -Max-Output-Tokens and -Signature: the user's signature over
//    "zerog/compute/receipt/v1" ‖ genesis hash ‖ SCALE(cap receipt), where the cap receipt is
//    { user, provider, service, nonce, input_tokens, output_tokens, fee: max fee,
//      request_hash: keccak256(body) }, a receipt the chain would settle as it is.
// 2. The answer carries X-ZeroG-Receipt, the metered receipt (tokens used, their fee,
//    keccak256(keccak256(request) ‖ keccak256(answer))). The hook checks it and only then
//    countersigns it with POST /v1/receipts, so the user pays the metered fee, not the cap.
import { keccakAsU8a } from '@polkadot/util-crypto';
import { concat, equalBytes, fromHex, le, toHex } from './bytes.js';

/** What every receipt signature starts with (then the genesis hash, then the receipt). */
export const RECEIPT_DOMAIN = new TextEncoder().encode('zerog/compute/receipt/v1');

/** Input tokens allowed on top of the request's bytes: chat templates add a few per message. */
export const TEMPLATE_TOKENS = 64n;

/** Output tokens a request may use when it names no max_tokens. */
export const DEFAULT_MAX_OUTPUT_TOKENS = 256n;

/** A receipt the gateway handed back that the hook refuses to countersign. */
export class ReceiptError extends Error {}

const u64 = (value) => le(value, 8);
const u128 = (value) => le(value, 16);
const equal = equalBytes;

/** The 144-byte SCALE encoding of an inference receipt. */
export function encodeReceipt(receipt) {
  return concat(
    receipt.user, receipt.provider, u64(receipt.service), u64(receipt.nonce),
    u64(receipt.inputTokens), u64(receipt.outputTokens), u128(receipt.fee), receipt.requestHash,
  );
}

/** Decodes the 144-byte SCALE encoding of an inference receipt. */
export function decodeReceipt(bytes) {
  if (bytes.length !== 144) throw new ReceiptError(`a receipt is 144 bytes, not ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  return {
    user: bytes.slice(0, 32),
    provider: bytes.slice(32, 64),
    service: view.getBigUint64(64, true),
    nonce: view.getBigUint64(72, true),
    inputTokens: view.getBigUint64(80, true),
    outputTokens: view.getBigUint64(88, true),
    fee: view.getBigUint64(96, true) | (view.getBigUint64(104, true) << 64n),
    requestHash: bytes.slice(112, 144),
  };
}

/** The bytes signed for `receipt` on the chain whose genesis hash is `genesisHash`. */
export function signingPayload(genesisHash, receipt) {
  return concat(RECEIPT_DOMAIN, genesisHash, encodeReceipt(receipt));
}

/** The price of `input` and `output` tokens at a service's prices. */
export function price(service, input, output) {
  return BigInt(input) * service.inputPrice + BigInt(output) * service.outputPrice;
}

/**
 * Reads inference service `id` with a connected @polkadot/api `ApiPromise`: what `zerogFetch`
 * needs about it (provider, prices, endpoint) and the chain's genesis hash.
 */
export async function readService(api, id) {
  const entry = await api.query.computeEscrow.services(id);
  if (entry.isNone) throw new Error(`no service #${id} is registered`);
  const service = entry.unwrap();
  if (!service.kind.isInference) throw new Error(`service #${id} is not an inference service`);
  if (!service.verifiability.isNone) {
    throw new Error(`service #${id}'s receipts are signed by an enclave, not by users`);
  }
  return {
    id: BigInt(id),
    provider: service.provider.toU8a(),
    inputPrice: service.inputPricePerToken.toBigInt(),
    outputPrice: service.outputPricePerToken.toBigInt(),
    endpoint: new TextDecoder().decode(service.endpoint.toU8a(true)),
    genesisHash: api.genesisHash.toU8a(),
  };
}

/**
 * Every registered service, by id: `{ id, provider, kind ('inference' or 'job'), model,
 * endpoint, inputPrice, outputPrice, verifiable, stake }`, read with an @polkadot/api
 * `ApiPromise`. Fund a provider's sub-account with a signer's `fundCompute` (signers.js,
 * ethereum.js) before paying its inference service.
 */
export async function listServices(api) {
  const entries = await api.query.computeEscrow.services.entries();
  const text = (bytes) => new TextDecoder().decode(bytes.toU8a(true));
  return entries
    .map(([key, entry]) => {
      const service = entry.unwrap();
      return {
        id: key.args[0].toBigInt(),
        provider: service.provider.toU8a(),
        kind: service.kind.isInference ? 'inference' : 'job',
        model: text(service.model),
        endpoint: text(service.endpoint),
        inputPrice: service.inputPricePerToken.toBigInt(),
        outputPrice: service.outputPricePerToken.toBigInt(),
        verifiable: !service.verifiability.isNone,
        stake: service.stake.toBigInt(),
      };
    })
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * A `fetch` that pays `service` for each request with receipts signed by `pair` (an sr25519
 * keyring pair): give it to `new OpenAI({ baseURL, apiKey, fetch })`. Each request gets the
 * next nonce from `firstNonce` (above the last one the chain settled for this user and
 * provider: `Date.now()` is a safe start), a max fee of the service's price for the request's
 * bytes (plus TEMPLATE_TOKENS) as input tokens and its `max_tokens` (or `maxOutputTokens`) as
 * output tokens, and once answered, the metered receipt is checked and countersigned.
 * `onReceipt(metered)` sees each countersigned receipt. A metered receipt that does not match
 * what was asked (another user, provider, service or nonce, a fee above the max fee or the
 * service's price, a request hash that is not this request and answer) is not countersigned:
 * the fetch rejects with a ReceiptError, and the provider can only settle the signed cap.
 * `countersign: false` leaves every metered receipt unsigned, so the provider settles the cap
 * receipts (the max fees): for measuring the gateway alone, not for paying less.
 */
export function zerogFetch({
  pair, service, firstNonce = BigInt(Date.now()), maxOutputTokens = DEFAULT_MAX_OUTPUT_TOKENS,
  onReceipt = () => {}, fetch: send = globalThis.fetch, countersign = true,
}) {
  let nextNonce = BigInt(firstNonce);
  return async function zerogPaidFetch(input, init = {}) {
    const url = typeof input === 'string' || input instanceof URL ? String(input) : input.url;
    const body = typeof init.body === 'string' ? new TextEncoder().encode(init.body)
      : init.body instanceof Uint8Array ? init.body : new Uint8Array(0);
    if ((init.method ?? 'GET').toUpperCase() !== 'POST') return send(input, init);
    let asked = {};
    try { asked = JSON.parse(new TextDecoder().decode(body)); } catch { /* not JSON */ }
    const output = BigInt(asked.max_completion_tokens ?? asked.max_tokens ?? maxOutputTokens);
    const inputTokens = BigInt(body.length) + TEMPLATE_TOKENS;
    const nonce = nextNonce++;
    const cap = {
      user: pair.publicKey, provider: service.provider, service: service.id, nonce,
      inputTokens, outputTokens: output, fee: price(service, inputTokens, output),
      requestHash: keccakAsU8a(body),
    };
    const headers = new Headers(init.headers);
    headers.set('x-zerog-account', toHex(pair.publicKey));
    headers.set('x-zerog-service', String(service.id));
    headers.set('x-zerog-nonce', String(nonce));
    headers.set('x-zerog-max-fee', String(cap.fee));
    headers.set('x-zerog-max-input-tokens', String(cap.inputTokens));
    headers.set('x-zerog-max-output-tokens', String(cap.outputTokens));
    headers.set('x-zerog-signature', toHex(pair.sign(signingPayload(service.genesisHash, cap))));
    const response = await send(input, { ...init, body, headers });
    const receiptHex = response.headers.get('x-zerog-receipt');
    if (!response.ok || !receiptHex || !countersign) return response;
    const answer = new Uint8Array(await response.clone().arrayBuffer());
    const metered = decodeReceipt(fromHex(receiptHex));
    checkMetered(metered, cap, service, body, answer);
    const signature = pair.sign(signingPayload(service.genesisHash, metered));
    const base = url.replace(/\/v1\/.*$/, '');
    const countersigned = await send(`${base}/v1/receipts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ account: toHex(pair.publicKey), nonce: Number(nonce), signature: toHex(signature) }),
    });
    if (!countersigned.ok) {
      throw new ReceiptError(`the gateway refused the countersignature: ${await countersigned.text()}`);
    }
    onReceipt(metered);
    return response;
  };
}

/** Throws a ReceiptError unless `metered` is the metered form of `cap` for this exchange. */
export function checkMetered(metered, cap, service, request, answer) {
  const same = (what, ok) => { if (!ok) throw new ReceiptError(`the metered receipt's ${what} differs`); };
  same('user', equal(metered.user, cap.user));
  same('provider', equal(metered.provider, cap.provider));
  same('service', metered.service === BigInt(cap.service));
  same('nonce', metered.nonce === BigInt(cap.nonce));
  if (metered.fee > cap.fee) throw new ReceiptError(`the fee ${metered.fee} is above the max fee ${cap.fee}`);
  if (metered.fee > price(service, metered.inputTokens, metered.outputTokens)) {
    throw new ReceiptError(`the fee ${metered.fee} is above the service's price for its tokens`);
  }
  const served = keccakAsU8a(concat(keccakAsU8a(request), keccakAsU8a(answer)));
  same('request hash', equal(metered.requestHash, served));
}
