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

/** `0x`-hex of `bytes`. */
export function toHex(bytes) {
  let out = '0x';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}

/** The bytes of `0x`-hex (or bare hex) `text`; throws on odd lengths and non-hex digits. */
export function fromHex(text) {
  const digits = text.startsWith('0x') || text.startsWith('0X') ? text.slice(2) : text;
  if (digits.length % 2 !== 0 || /[^0-9a-fA-F]/.test(digits)) throw new TypeError(`not hex: ${text.slice(0, 40)}`);
  const out = new Uint8Array(digits.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(digits.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** SCALE compact encoding of a length below 2^30. */
export function compact(n) {
  if (n < 64) return Uint8Array.of(n << 2);
  if (n < 16384) return le((n << 2) | 1, 2);
  if (n < 2 ** 30) return le(BigInt(n) * 4n + 2n, 4);
  throw new RangeError('a compact length below 2^30 only');
}

/** A SCALE decoding of untrusted bytes: each read throws `RangeError` past the end. */
export class Reader {
  #bytes;
  #at = 0;

  constructor(bytes) {
    this.#bytes = bytes;
  }

  /** The next `length` bytes. */
  bytes(length) {
    if (length < 0 || this.#at + length > this.#bytes.length) throw new RangeError('the bytes end too early');
    const out = this.#bytes.slice(this.#at, this.#at + length);
    this.#at += length;
    return out;
  }

  /** A little-endian unsigned integer of `width` bytes, as a BigInt. */
  uint(width) {
    const bytes = this.bytes(width);
    let value = 0n;
    for (let i = width - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]);
    return value;
  }

  /** A SCALE `bool`. */
  bool() {
    const [byte] = this.bytes(1);
    if (byte > 1) throw new RangeError(`${byte} is not a bool`);
    return byte === 1;
  }

  /** A SCALE compact integer (at most 2^53, which every length here is far below). */
  compact() {
    const [first] = this.bytes(1);
    switch (first & 3) {
      case 0: return first >> 2;
      case 1: return (first | (this.bytes(1)[0] << 8)) >> 2;
      case 2: {
        const rest = this.bytes(3);
        return ((first | (rest[0] << 8) | (rest[1] << 16)) >>> 2) + rest[2] * 2 ** 22;
      }
      default: {
        const value = this.uint((first >> 2) + 4);
        if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError('compact integer too large');
        return Number(value);
      }
    }
  }

  /** A SCALE `Vec<u8>`. */
  vecU8() {
    return this.bytes(this.compact());
  }

  /** A SCALE `Vec<T>` of items read by `item`. */
  vec(item) {
    const length = this.compact();
    if (length > this.remaining) throw new RangeError('the vector is longer than its bytes');
    return Array.from({ length }, () => item(this));
  }

  /** A SCALE `Option<T>` read by `item`. */
  option(item) {
    const [tag] = this.bytes(1);
    if (tag > 1) throw new RangeError(`${tag} is not an Option tag`);
    return tag === 1 ? item(this) : null;
  }

  /** Bytes not read yet. */
  get remaining() {
    return this.#bytes.length - this.#at;
  }

  /** Throws unless every byte was read (`DecodeAll`). */
  end() {
    if (this.remaining !== 0) throw new RangeError(`${this.remaining} bytes left over`);
  }
}

/**
 * All of `bytes` read by `read(reader)`; bytes that end early, are left over or hold a bad
 * value throw `fail(error)` (by default the `RangeError` itself).
 */
export function readAll(bytes, read, fail = (error) => error) {
  try {
    const reader = new Reader(bytes);
    const value = read(reader);
    reader.end();
    return value;
  } catch (error) {
    throw fail(error);
  }
}
