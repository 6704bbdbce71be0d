//! Text forms of chain values as the executor's HTTP APIs and files exchange them: accounts
//! (SS58 or `0x` hex), 32-byte hashes (`0x` hex) and balances (decimal strings, since a `u128`
//! does not fit a JSON number).

use polkadot_sdk::{
	sp_core::{
		crypto::{Ss58AddressFormat, Ss58Codec},
		H256,
	},
	sp_runtime::AccountId32,
};
use serde::{Deserialize, Deserializer, Serializer};

/// SS58 prefix of ZeroG addresses (`system_properties.ss58Format`).
pub const ZEROG_SS58_PREFIX: u16 = 6900;

/// keccak256 of `data`, the hash of ZeroG storage trees and request hashes.
pub fn keccak_256(data: &[u8]) -> [u8; 32] {
	use tiny_keccak::Hasher;
	let mut hasher = tiny_keccak::Keccak::v256();
	hasher.update(data);
	let mut hash = [0u8; 32];
	hasher.finalize(&mut hash);
	hash
}

/// Lowercase `0x`-prefixed hex of `bytes`.
pub fn to_hex(bytes: &[u8]) -> String {
	format!("0x{}", hex::encode(bytes))
}

/// Bytes of `0x`-prefixed (or bare) hex, in either case.
pub fn from_hex(text: &str) -> Result<Vec<u8>, String> {
	let digits = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")).unwrap_or(text);
	hex::decode(digits).map_err(|error| format!("`{text}` is not hex: {error}"))
}

/// A 32-byte hash from `0x` hex.
pub fn parse_h256(text: &str) -> Result<H256, String> {
	let bytes = from_hex(text)?;
	let array: [u8; 32] = bytes
		.try_into()
		.map_err(|bytes: Vec<u8>| format!("`{text}` is {} bytes, a hash is 32", bytes.len()))?;
	Ok(H256(array))
}

/// An account from SS58 (any network prefix) or `0x` hex of its 32 bytes.
pub fn parse_account(text: &str) -> Result<AccountId32, String> {
	let text = text.trim();
	if text.starts_with("0x") || text.starts_with("0X") {
		let bytes = from_hex(text)?;
		let array: [u8; 32] = bytes.try_into().map_err(|bytes: Vec<u8>| {
			format!("`{text}` is {} bytes, an account is 32", bytes.len())
		})?;
		return Ok(AccountId32::new(array));
	}
	// ZeroG's prefix is not in the SS58 registry, so accept any prefix rather than only the
	// process-wide default.
	AccountId32::from_ss58check_with_version(text)
		.map(|(account, _format)| account)
		.map_err(|error| format!("`{text}` is neither an SS58 address nor 0x hex: {error:?}"))
}

/// The account as a ZeroG SS58 address.
pub fn format_account(account: &AccountId32) -> String {
	account.to_ss58check_with_version(Ss58AddressFormat::custom(ZEROG_SS58_PREFIX))
}

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
		serializer.serialize_str(&to_hex(value.as_bytes()))
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
			Some(value) => serializer.serialize_str(&to_hex(value.as_bytes())),
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
		serializer.serialize_str(&to_hex(&value.encode()))
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
		let bytes = from_hex(text)?;
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
			Some(value) => serializer.serialize_str(&to_hex(&value.encode())),
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
	fn accounts_parse_from_ss58_of_any_prefix_and_from_hex() {
		let account = AccountId32::new([7; 32]);
		assert_eq!(parse_account(&format_account(&account)), Ok(account.clone()));
		assert_eq!(
			parse_account(&account.to_ss58check_with_version(42u16.into())),
			Ok(account.clone())
		);
		assert_eq!(parse_account(&to_hex(&[7; 32])), Ok(account));
		assert!(parse_account("0x1234").unwrap_err().contains("2 bytes"));
		assert!(parse_account("not an address").is_err());
	}

	#[test]
	fn hashes_and_balances_parse_or_say_why_not() {
		assert_eq!(parse_h256(&to_hex(&[1; 32])), Ok(H256([1; 32])));
		assert!(parse_h256("0x00").unwrap_err().contains("1 bytes"));
		assert!(parse_h256("0xzz").unwrap_err().contains("not hex"));
		assert_eq!(parse_balance("340282366920938463463374607431768211455"), Ok(u128::MAX));
		assert!(parse_balance("-1").is_err());
	}
}
