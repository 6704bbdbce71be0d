// Byte helpers the SDK's modules share: little-endian integers as SCALE encodes them,
// concatenation and comparison of `Uint8Array`s.

/** `value` as `bytes` little-endian bytes (SCALE's fixed-width integers). */
export function le(value, bytes) {
  const out = new Uint8Array(bytes);
  let v = BigInt(value);
  for (let i = 0; i < bytes; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** The arrays one after the other. */
export function concat(...parts) {
  const out = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Whether the two arrays hold the same bytes. */
export function equalBytes(a, b) {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
