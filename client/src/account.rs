//! Accounts as people write them: SS58 addresses (ZeroG's prefix 6900 when printed, any prefix
//! when read) or `0x` and the 32 bytes of the `AccountId32`.

use polkadot_sdk::sp_core::crypto::{AccountId32, Ss58AddressFormat, Ss58Codec};
use zerog_primitives::{hex::decode_array, units::SS58_PREFIX};

/// An account from SS58 (any network prefix) or `0x` hex of its 32 bytes.
pub fn parse_account(text: &str) -> Result<AccountId32, String> {
	let text = text.trim();
	if text.starts_with("0x") || text.starts_with("0X") {
		return decode_array::<32>(text)
			.map(AccountId32::new)
			.map_err(|error| format!("`{text}` is not an account: {error}"));
	}
	// ZeroG's prefix is not in the SS58 registry, so any prefix is accepted rather than only the
	// process-wide default.
	AccountId32::from_ss58check_with_version(text)
		.map(|(account, _format)| account)
		.map_err(|error| format!("`{text}` is neither an SS58 address nor 0x hex: {error:?}"))
}

/// An address where the chain takes both kinds: a Substrate account, or an Ethereum address
/// (whose account pallet-revive's mapping gives, [`crate::balances::account_of_eth_address`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AnyAddress {
	/// An SS58 address or `0x` and 32 bytes.
	Account(AccountId32),
	/// `0x` and 20 bytes.
	Ethereum([u8; 20]),
}

/// An SS58 address, `0x` and an account's 32 bytes, or `0x` and an Ethereum address's 20.
pub fn parse_any_address(text: &str) -> Result<AnyAddress, String> {
	let text = text.trim();
	let hex = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X"));
	if hex.is_some_and(|hex| hex.len() == 40) {
		return decode_array::<20>(text)
			.map(AnyAddress::Ethereum)
			.map_err(|error| format!("`{text}` is not an Ethereum address: {error}"));
	}
	parse_account(text).map(AnyAddress::Account).map_err(|_| {
		format!(
			"`{text}` is not an address: give an SS58 address, an Ethereum address (0x and 40 \
			 hex digits) or an account (0x and 64 hex digits)"
		)
	})
}

/// The account as a ZeroG SS58 address (prefix 6900).
pub fn format_account(account: &AccountId32) -> String {
	account.to_ss58check_with_version(Ss58AddressFormat::custom(SS58_PREFIX))
}

/// The 32 bytes of an account as a ZeroG SS58 address.
pub fn format_account_bytes(account: &[u8; 32]) -> String {
	format_account(&AccountId32::new(*account))
}

#[cfg(test)]
mod tests {
	use super::*;
	use zerog_primitives::hex::to_prefixed_hex;

	#[test]
	fn accounts_parse_from_ss58_of_any_prefix_and_from_hex() {
		let account = AccountId32::new([7; 32]);
		assert_eq!(parse_account(&format_account(&account)), Ok(account.clone()));
		assert_eq!(
			parse_account(&account.to_ss58check_with_version(42u16.into())),
			Ok(account.clone())
		);
		assert_eq!(parse_account(&to_prefixed_hex(&[7; 32])), Ok(account));
		assert!(parse_account("0x1234").unwrap_err().contains("2 bytes"));
		assert!(parse_account("not an address").is_err());
	}

	#[test]
	fn any_address_tells_ethereum_addresses_from_accounts() {
		let account = AccountId32::new([7; 32]);
		assert_eq!(
			parse_any_address(&format_account(&account)),
			Ok(AnyAddress::Account(account.clone()))
		);
		assert_eq!(parse_any_address(&to_prefixed_hex(&[7; 32])), Ok(AnyAddress::Account(account)));
		assert_eq!(
			parse_any_address(&to_prefixed_hex(&[9; 20])),
			Ok(AnyAddress::Ethereum([9; 20]))
		);
		for bad in ["0x12", "0xzz00000000000000000000000000000000000000", "", "5Gnope"] {
			let error = parse_any_address(bad).unwrap_err();
			assert!(error.contains("not an"), "{bad}: {error}");
		}
	}

	#[test]
	fn zerog_addresses_use_prefix_6900() {
		let address = format_account_bytes(&[1; 32]);
		let (_, format) = AccountId32::from_ss58check_with_version(&address).unwrap();
		assert_eq!(u16::from(format), SS58_PREFIX);
	}
}
