//! Hex as the data-plane RPC speaks it: output is `0x` and lowercase digits; input may omit the
//! prefix and use either case.

use polkadot_sdk::sp_core::H256;

/// `0x` followed by the lowercase hex digits of `bytes`.
pub fn to_hex(bytes: &[u8]) -> String {
	const DIGITS: &[u8; 16] = b"0123456789abcdef";
	let mut hex = String::with_capacity(2 + bytes.len() * 2);
	hex.push_str("0x");
	for byte in bytes {
		hex.push(char::from(DIGITS[usize::from(byte >> 4)]));
		hex.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
	}
	hex
}

/// Bytes of `text`, hex with an optional `0x` prefix; the error says what is wrong with it.
pub fn parse_bytes(text: &str) -> Result<Vec<u8>, String> {
	let digits = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")).unwrap_or(text);
	if digits.len() % 2 != 0 {
		return Err(format!("odd number of hex digits ({})", digits.len()));
	}
	digits
		.as_bytes()
		.chunks_exact(2)
		.enumerate()
		.map(|(position, pair)| match (nibble(pair[0]), nibble(pair[1])) {
			(Some(high), Some(low)) => Ok(high << 4 | low),
			_ => Err(format!("not a hex digit at byte {position}")),
		})
		.collect()
}

/// A 32-byte root from hex (64 digits, optional `0x`).
pub fn parse_root(text: &str) -> Result<H256, String> {
	let bytes = parse_bytes(text)?;
	<[u8; 32]>::try_from(bytes.as_slice())
		.map(H256::from)
		.map_err(|_| format!("a root is 32 bytes, got {}", bytes.len()))
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

	#[test]
	fn round_trips_bytes_as_prefixed_lowercase() {
		assert_eq!(to_hex(&[0x00, 0xAB, 0x7f]), "0x00ab7f");
		assert_eq!(parse_bytes("0x00ab7f").unwrap(), vec![0x00, 0xab, 0x7f]);
		assert_eq!(parse_bytes("00AB7F").unwrap(), vec![0x00, 0xab, 0x7f]);
		assert_eq!(parse_bytes("0x").unwrap(), Vec::<u8>::new());
	}

	#[test]
	fn refuses_bad_hex_with_a_reason() {
		assert!(parse_bytes("0xabc").unwrap_err().contains("odd number"));
		assert!(parse_bytes("0xzz").unwrap_err().contains("not a hex digit"));
		assert!(parse_root("0x1234").unwrap_err().contains("32 bytes"));
		let root = format!("0x{}", "11".repeat(32));
		assert_eq!(parse_root(&root).unwrap(), H256::repeat_byte(0x11));
	}
}
