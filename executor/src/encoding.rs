//! Text forms of chain values as the executor's HTTP APIs and files exchange them: accounts
//! (SS58 or `0x` hex, from `zerog_client::account`), 32-byte hashes (`0x` hex, from
//! `zerog_primitives::hex`) and balances (decimal strings, since a `u128` does not fit a JSON
//! number), with the serde adapters the records use.

use polkadot_sdk::{sp_core::H256, sp_runtime::AccountId32};
use serde::{Deserialize, Deserializer, Serializer};
pub use zerog_client::account::{format_account, parse_account};
pub use zerog_primitives::hex::{decode_hex, parse_h256, to_prefixed_hex};

/// keccak256 of `data`, the hash of ZeroG storage trees and of receipts' request hashes.
pub use zerog_primitives::compute::keccak_256;

/// A balance from a decimal string.
pub fn parse_balance(text: &str) -> Result<u128, String> {
	text.trim()
		.parse::<u128>()
		.map_err(|error| format!("`{text}` is not a decimal amount: {error}"))
}

/// Serde for `u128` balances as decimal strings; reads a JSON number too.
pub mod decimal {
	use super::*;

	/// Writes the balance as a decimal string.
	pub fn serialize<S: Serializer>(value: &u128, serializer: S) -> Result<S::Ok, S::Error> {
		serializer.serialize_str(&value.to_string())
	}

	/// Reads a decimal string or a non-negative JSON integer.
	pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u128, D::Error> {
		#[derive(Deserialize)]
		#[serde(untagged)]
		enum Text {
			String(String),
			Number(u64),
		}
		match Text::deserialize(deserializer)? {
			Text::String(text) => parse_balance(&text).map_err(serde::de::Error::custom),
			Text::Number(number) => Ok(u128::from(number)),
		}
	}
}

/// Serde for optional `u128` balances as decimal strings.
pub mod decimal_option {
	use super::*;

	/// Writes the balance as a decimal string, or `null`.
	pub fn serialize<S: Serializer>(
		value: &Option<u128>,
		serializer: S,
	) -> Result<S::Ok, S::Error> {
		match value {
			Some(value) => serializer.serialize_str(&value.to_string()),
			None => serializer.serialize_none(),
		}
	}

	/// Reads a decimal string, a JSON integer or `null`.
	pub fn deserialize<'de, D: Deserializer<'de>>(
		deserializer: D,
	) -> Result<Option<u128>, D::Error> {
		#[derive(Deserialize)]
		struct Wrapper(#[serde(with = "decimal")] u128);
		Ok(Option::<Wrapper>::deserialize(deserializer)?.map(|Wrapper(value)| value))
	}
}

/// Serde for 32-byte hashes as `0x` hex.
pub mod hash_hex {
	use super::*;

	/// Writes the hash as `0x` hex.
	pub fn serialize<S: Serializer>(value: &H256, serializer: S) -> Result<S::Ok, S::Error> {
		serializer.serialize_str(&to_prefixed_hex(value.as_bytes()))
	}

	/// Reads `0x` hex of exactly 32 bytes.
	pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<H256, D::Error> {
		let text = String::deserialize(deserializer)?;
		parse_h256(&text).map_err(serde::de::Error::custom)
	}
}

/// Serde for optional 32-byte hashes as `0x` hex.
pub mod hash_hex_option {
	use super::*;

	/// Writes the hash as `0x` hex, or `null`.
	pub fn serialize<S: Serializer>(
		value: &Option<H256>,
		serializer: S,
	) -> Result<S::Ok, S::Error> {
		match value {
			Some(value) => serializer.serialize_str(&to_prefixed_hex(value.as_bytes())),
			None => serializer.serialize_none(),
		}
	}

	/// Reads `0x` hex of exactly 32 bytes, or `null`.
	pub fn deserialize<'de, D: Deserializer<'de>>(
		deserializer: D,
	) -> Result<Option<H256>, D::Error> {
		Option::<String>::deserialize(deserializer)?
			.map(|text| parse_h256(&text).map_err(serde::de::Error::custom))
			.transpose()
	}
}

/// Serde for accounts: written as ZeroG SS58, read from SS58 or `0x` hex.
pub mod account {
	use super::*;

	/// Writes the account as a ZeroG SS58 address.
	pub fn serialize<S: Serializer>(value: &AccountId32, serializer: S) -> Result<S::Ok, S::Error> {
		serializer.serialize_str(&format_account(value))
	}

	/// Reads an SS58 address (any prefix) or `0x` hex.
	pub fn deserialize<'de, D: Deserializer<'de>>(
		deserializer: D,
	) -> Result<AccountId32, D::Error> {
		let text = String::deserialize(deserializer)?;
		parse_account(&text).map_err(serde::de::Error::custom)
	}
}

/// Serde for SCALE-encodable values as `0x` hex of their encoding (receipts and signatures in
/// the receipt store: exactly the bytes that were signed or will be submitted).
pub mod scale_hex {
	use super::*;
	use codec::{Decode, Encode};

	/// Writes `0x` hex of the SCALE encoding.
	pub fn serialize<T: Encode, S: Serializer>(
		value: &T,
		serializer: S,
	) -> Result<S::Ok, S::Error> {
		serializer.serialize_str(&to_prefixed_hex(&value.encode()))
	}

	/// Reads `0x` hex and decodes all of it.
	pub fn deserialize<'de, T: Decode, D: Deserializer<'de>>(
		deserializer: D,
	) -> Result<T, D::Error> {
		let text = String::deserialize(deserializer)?;
		decode_all(&text).map_err(serde::de::Error::custom)
	}

	/// Decodes `0x` hex of a SCALE encoding, refusing trailing bytes.
	pub fn decode_all<T: Decode>(text: &str) -> Result<T, String> {
		let bytes = decode_hex(text).map_err(|error| format!("`{text}` is not hex: {error}"))?;
		let mut input = &bytes[..];
		let value = T::decode(&mut input).map_err(|error| format!("undecodable SCALE: {error}"))?;
		if !input.is_empty() {
			return Err(format!("{} bytes left after the SCALE value", input.len()));
		}
		Ok(value)
	}
}

/// Serde for optional SCALE-encodable values as `0x` hex, or `null`.
pub mod scale_hex_option {
	use super::*;
	use codec::{Decode, Encode};

	/// Writes `0x` hex of the SCALE encoding, or `null`.
	pub fn serialize<T: Encode, S: Serializer>(
		value: &Option<T>,
		serializer: S,
	) -> Result<S::Ok, S::Error> {
		match value {
			Some(value) => serializer.serialize_str(&to_prefixed_hex(&value.encode())),
			None => serializer.serialize_none(),
		}
	}

	/// Reads `0x` hex of a SCALE encoding, or `null`.
	pub fn deserialize<'de, T: Decode, D: Deserializer<'de>>(
		deserializer: D,
	) -> Result<Option<T>, D::Error> {
		Option::<String>::deserialize(deserializer)?
			.map(|text| scale_hex::decode_all(&text).map_err(serde::de::Error::custom))
			.transpose()
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn hashes_and_balances_parse_or_say_why_not() {
		assert_eq!(parse_h256(&to_prefixed_hex(&[1; 32])), Ok(H256([1; 32])));
		assert!(parse_h256("0x00").unwrap_err().to_string().contains("got 1 bytes"));
		assert!(parse_h256("0xzz").unwrap_err().to_string().contains("not a hex digit"));
		assert_eq!(parse_balance("340282366920938463463374607431768211455"), Ok(u128::MAX));
		assert!(parse_balance("-1").is_err());
	}

	#[test]
	fn accounts_read_from_ss58_or_hex_and_print_with_zerog_s_prefix() {
		let account = AccountId32::new([7; 32]);
		assert_eq!(parse_account(&to_prefixed_hex(&[7; 32])), Ok(account.clone()));
		assert_eq!(parse_account(&format_account(&account)), Ok(account));
	}
}
