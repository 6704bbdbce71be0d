//! Hex strings as the node's JSON-RPC speaks them: `0x`-prefixed, lowercase.
//!
//! The conversions are `zerog_primitives::hex`; this module only adds what the command line
//! needs on top: the name of the value and a shortened copy of a bad input in error messages.

use zerog_primitives::{
	hex::{decode_hex, parse_h256, to_prefixed_hex},
	Hash,
};

/// `bytes` as `0x`-prefixed lowercase hex.
pub fn encode(bytes: &[u8]) -> String {
	to_prefixed_hex(bytes)
}

/// Bytes of a hex string, with or without `0x`; `what` names the value in the error.
pub fn decode(text: &str, what: &str) -> Result<Vec<u8>, String> {
	decode_hex(text)
		.map_err(|error| format!("{what} is not valid hex ({error}): {}", shorten(text)))
}

/// A 32-byte root or hash from `0x` + 64 hex digits; `what` names it in the error.
pub fn parse_hash(text: &str, what: &str) -> Result<Hash, String> {
	parse_h256(text.trim()).map_err(|error| {
		format!(
			"{what} must be 32 bytes (0x followed by 64 hex digits): {error}: {}",
			shorten(text)
		)
	})
}

/// A 32-byte root (file root or blob root) from `0x` + 64 hex digits.
pub fn parse_root(text: &str) -> Result<Hash, String> {
	parse_hash(text, "root")
}

/// `root` in the RPC's form, `0x` + 64 lowercase hex digits.
pub fn root(root: &Hash) -> String {
	encode(root.as_bytes())
}

/// The first characters of a long string, for error messages about remote data.
fn shorten(text: &str) -> String {
	const SHOWN: usize = 24;
	match text.char_indices().nth(SHOWN) {
		Some((cut, _)) => format!("{}...", &text[..cut]),
		None => text.to_owned(),
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn encode_is_prefixed_lowercase() {
		assert_eq!(encode(&[0xAB, 0x01]), "0xab01");
		assert_eq!(encode(&[]), "0x");
	}

	#[test]
	fn decode_accepts_prefix_or_not_and_round_trips() {
		assert_eq!(decode("0xab01", "x").unwrap(), vec![0xab, 0x01]);
		assert_eq!(decode("AB01", "x").unwrap(), vec![0xab, 0x01]);
		assert_eq!(decode("0x", "x").unwrap(), Vec::<u8>::new());
		let bytes: Vec<u8> = (0..=255).collect();
		assert_eq!(decode(&encode(&bytes), "x").unwrap(), bytes);
	}

	#[test]
	fn decode_names_the_value_on_bad_hex() {
		let error = decode("0xabc", "segment data").unwrap_err();
		assert!(error.starts_with("segment data is not valid hex"), "{error}");
		assert!(decode("0xzz", "proof").unwrap_err().contains("proof"));
	}

	#[test]
	fn roots_must_be_32_bytes() {
		let text = format!("0x{}", "11".repeat(32));
		assert_eq!(parse_root(&text).unwrap(), Hash::repeat_byte(0x11));
		assert_eq!(root(&Hash::repeat_byte(0x11)), text);
		let short = parse_root("0x1234").unwrap_err();
		assert!(short.contains("got 2 bytes") && short.contains("32 bytes"), "{short}");
		assert!(parse_root("hello").is_err());
		assert!(parse_hash("0x12", "params hash").unwrap_err().starts_with("params hash"));
	}
}
