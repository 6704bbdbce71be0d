//! Hex text of byte strings, as the off-chain workers and the node's JSON-RPC exchange them.
//!
//! `no_std` (with `alloc`) so the pallets' off-chain workers, which run inside the runtime, can
//! use it. The JSON-RPC contract writes hex `0x`-prefixed and lowercase; readers accept either
//! case and an optional prefix, so a hand-written or upper-case answer still parses.

use alloc::{string::String, vec::Vec};

/// Lowercase hex of `bytes`, without prefix: two digits per byte.
pub fn to_hex(bytes: &[u8]) -> String {
	const DIGITS: &[u8; 16] = b"0123456789abcdef";
	let mut hex = String::with_capacity(bytes.len().saturating_mul(2));
	for byte in bytes {
		hex.push(char::from(DIGITS[usize::from(byte >> 4)]));
		hex.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
	}
	hex
}

/// Bytes of a hex string with an optional `0x` (or `0X`) prefix, in either case; `None` if it
/// is not hex (a character outside `0-9a-fA-F`, or an odd number of digits).
pub fn from_hex(hex: &str) -> Option<Vec<u8>> {
	let digits = hex.strip_prefix("0x").or_else(|| hex.strip_prefix("0X")).unwrap_or(hex);
	if !digits.len().is_multiple_of(2) {
		return None;
	}
	digits
		.as_bytes()
		.chunks(2)
		.map(|pair| {
			let high = char::from(*pair.first()?).to_digit(16)?;
			let low = char::from(*pair.get(1)?).to_digit(16)?;
			u8::try_from(high * 16 + low).ok()
		})
		.collect()
}

#[cfg(test)]
mod tests {
	use super::*;
	use alloc::{format, vec};

	#[test]
	fn hex_round_trips() {
		let bytes: Vec<u8> = (0..=255).collect();
		assert_eq!(from_hex(&to_hex(&bytes)), Some(bytes.clone()));
		assert_eq!(from_hex(&format!("0x{}", to_hex(&bytes))), Some(bytes));
	}

	#[test]
	fn to_hex_is_lowercase_without_prefix() {
		assert_eq!(to_hex(&[0x00, 0xab, 0x7f]), "00ab7f");
		assert_eq!(to_hex(&[]), "");
	}

	#[test]
	fn from_hex_accepts_either_case_and_an_optional_prefix() {
		assert_eq!(from_hex("0xABcd"), Some(vec![0xab, 0xcd]));
		assert_eq!(from_hex("0XabCD"), Some(vec![0xab, 0xcd]));
		assert_eq!(from_hex("abcd"), Some(vec![0xab, 0xcd]));
		assert_eq!(from_hex(""), Some(vec![]));
		assert_eq!(from_hex("0x"), Some(vec![]));
	}

	#[test]
	fn from_hex_rejects_what_is_not_hex() {
		assert_eq!(from_hex("abc"), None);
		assert_eq!(from_hex("0xg0"), None);
		assert_eq!(from_hex("+1"), None);
		assert_eq!(from_hex("0x0x00"), None);
		assert_eq!(from_hex(" 00"), None);
		// Multi-byte characters are not digits, even when the byte count is even.
		assert_eq!(from_hex("éé"), None);
	}
}
