//! Hex text of byte strings, as the off-chain workers, the node's JSON-RPC and the clients
//! exchange them.
//!
//! `no_std` (with `alloc`) so the pallets' off-chain workers, which run inside the runtime, can
//! use it. The JSON-RPC contract writes hex `0x`-prefixed and lowercase ([`to_prefixed_hex`]);
//! readers accept either case and an optional prefix, so a hand-written or upper-case answer
//! still parses. [`decode_hex`], [`decode_array`] and [`parse_h256`] say what is wrong with bad
//! input ([`HexError`]); [`from_hex`] only says whether it is hex.

use alloc::{string::String, vec::Vec};
use core::fmt;
use polkadot_sdk::sp_core::H256;

/// Why a text is not the hex that was expected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HexError {
	/// The number of digits (after any `0x`) is odd, so the last byte is incomplete.
	OddLength {
		/// Number of digits found.
		digits: usize,
	},
	/// A character is not a hex digit.
	InvalidDigit {
		/// Index of the byte (pair of digits, after any `0x`) that holds it.
		byte: usize,
	},
	/// The hex is valid but has the wrong number of bytes for a fixed-size value.
	WrongLength {
		/// Bytes the value has.
		expected: usize,
		/// Bytes the text has.
		found: usize,
	},
}

impl fmt::Display for HexError {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			Self::OddLength { digits } => write!(f, "odd number of hex digits ({digits})"),
			Self::InvalidDigit { byte } => write!(f, "not a hex digit at byte {byte}"),
			Self::WrongLength { expected, found } => {
				write!(
					f,
					"expected {expected} bytes ({} hex digits), got {found} bytes",
					expected * 2
				)
			},
		}
	}
}

/// Lowercase hex of `bytes`, without prefix: two digits per byte.
pub fn to_hex(bytes: &[u8]) -> String {
	let mut hex = String::with_capacity(bytes.len().saturating_mul(2));
	push_hex(&mut hex, bytes);
	hex
}

/// `0x` followed by the lowercase hex of `bytes`: the form the JSON-RPC contract writes.
pub fn to_prefixed_hex(bytes: &[u8]) -> String {
	let mut hex = String::with_capacity(bytes.len().saturating_mul(2).saturating_add(2));
	hex.push_str("0x");
	push_hex(&mut hex, bytes);
	hex
}

/// Appends two lowercase digits per byte of `bytes` to `out`.
fn push_hex(out: &mut String, bytes: &[u8]) {
	const DIGITS: &[u8; 16] = b"0123456789abcdef";
	for byte in bytes {
		out.push(char::from(DIGITS[usize::from(byte >> 4)]));
		out.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
	}
}

/// Bytes of a hex string with an optional `0x` (or `0X`) prefix, in either case; the error says
/// what is wrong (odd length, or the byte with a character outside `0-9a-fA-F`).
pub fn decode_hex(text: &str) -> Result<Vec<u8>, HexError> {
	let digits = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")).unwrap_or(text);
	if !digits.len().is_multiple_of(2) {
		return Err(HexError::OddLength { digits: digits.len() });
	}
	digits
		.as_bytes()
		.chunks_exact(2)
		.enumerate()
		.map(|(byte, pair)| match (nibble(pair[0]), nibble(pair[1])) {
			(Some(high), Some(low)) => Ok(high << 4 | low),
			_ => Err(HexError::InvalidDigit { byte }),
		})
		.collect()
}

/// [`decode_hex`] without the reason: `None` if `text` is not hex.
pub fn from_hex(text: &str) -> Option<Vec<u8>> {
	decode_hex(text).ok()
}

/// Exactly `N` bytes from hex (optional `0x`, either case).
pub fn decode_array<const N: usize>(text: &str) -> Result<[u8; N], HexError> {
	let bytes = decode_hex(text)?;
	<[u8; N]>::try_from(bytes.as_slice())
		.map_err(|_| HexError::WrongLength { expected: N, found: bytes.len() })
}

/// A 32-byte hash or root (`H256`) from `0x` followed by 64 hex digits (prefix optional, either
/// case).
pub fn parse_h256(text: &str) -> Result<H256, HexError> {
	decode_array::<32>(text).map(H256)
}

/// Value of one hex digit.
fn nibble(digit: u8) -> Option<u8> {
	match digit {
		b'0'..=b'9' => Some(digit - b'0'),
		b'a'..=b'f' => Some(digit - b'a' + 10),
		b'A'..=b'F' => Some(digit - b'A' + 10),
		_ => None,
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use alloc::{format, string::ToString, vec};

	/// Fuzz target: any text (RPC parameters, worker answers) through every reader. None panics,
	/// they agree with each other, and what they accept is the text's own bytes.
	#[test]
	fn fuzz_hex_readers_on_any_text() {
		arbtest::arbtest(|u| {
			let owned: String = if u.arbitrary()? {
				u.arbitrary()?
			} else {
				// Mostly hex-looking text, where the interesting cases are.
				let digits: Vec<u8> = u.arbitrary()?;
				let alphabet = b"0123456789abcdefABCDEFxX g";
				digits
					.iter()
					.map(|d| char::from(alphabet[usize::from(*d) % alphabet.len()]))
					.collect()
			};
			let text = owned.as_str();
			let decoded = decode_hex(text);
			assert_eq!(from_hex(text), decoded.clone().ok());
			if let Ok(bytes) = &decoded {
				let digits =
					text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")).unwrap_or(text);
				assert_eq!(to_hex(bytes), digits.to_ascii_lowercase());
				assert_eq!(decode_hex(&to_prefixed_hex(bytes)).as_ref(), Ok(bytes));
			}
			match (decode_array::<32>(text), &decoded) {
				(Ok(array), Ok(bytes)) => assert_eq!(&array[..], &bytes[..]),
				(Err(HexError::WrongLength { found, .. }), Ok(bytes)) => {
					assert_eq!(found, bytes.len())
				},
				(Err(error), Err(same)) => assert_eq!(&error, same),
				(result, decoded) => panic!("decode_array {result:?} but decode_hex {decoded:?}"),
			}
			assert_eq!(parse_h256(text).ok().map(|hash| hash.0), decode_array::<32>(text).ok());
			Ok(())
		});
	}

	#[test]
	fn hex_round_trips() {
		let bytes: Vec<u8> = (0..=255).collect();
		assert_eq!(from_hex(&to_hex(&bytes)), Some(bytes.clone()));
		assert_eq!(from_hex(&format!("0x{}", to_hex(&bytes))), Some(bytes.clone()));
		assert_eq!(decode_hex(&to_prefixed_hex(&bytes)), Ok(bytes));
	}

	#[test]
	fn to_hex_is_lowercase_without_prefix() {
		assert_eq!(to_hex(&[0x00, 0xab, 0x7f]), "00ab7f");
		assert_eq!(to_hex(&[]), "");
	}

	#[test]
	fn to_prefixed_hex_is_lowercase_with_0x() {
		assert_eq!(to_prefixed_hex(&[0x00, 0xAB, 0x7f]), "0x00ab7f");
		assert_eq!(to_prefixed_hex(&[]), "0x");
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

	#[test]
	fn errors_say_what_is_wrong() {
		assert_eq!(decode_hex("0xabc"), Err(HexError::OddLength { digits: 3 }));
		assert_eq!(decode_hex("00zz"), Err(HexError::InvalidDigit { byte: 1 }));
		assert!(decode_hex("0xabc").unwrap_err().to_string().contains("odd number"));
		assert!(decode_hex("0xzz").unwrap_err().to_string().contains("not a hex digit at byte 0"));
		let short = parse_h256("0x1234").unwrap_err();
		assert_eq!(short, HexError::WrongLength { expected: 32, found: 2 });
		assert!(short.to_string().contains("32 bytes"), "{short}");
	}

	#[test]
	fn fixed_size_values_parse_from_prefixed_hex() {
		let text = format!("0x{}", "11".repeat(32));
		assert_eq!(parse_h256(&text), Ok(H256::repeat_byte(0x11)));
		assert_eq!(parse_h256(&text.to_uppercase().replace("0X", "")), Ok(H256::repeat_byte(0x11)));
		assert_eq!(decode_array::<2>("0x0102"), Ok([1, 2]));
		assert!(matches!(decode_array::<3>("0x0102"), Err(HexError::WrongLength { .. })));
	}
}
