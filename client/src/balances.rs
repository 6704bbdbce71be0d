//! Balances as the chain holds them: an account's free balance (`System.Account`), and the
//! account an Ethereum (`0x`, 20-byte) address acts as, by pallet-revive's `AccountId32Mapper`.

use crate::{chain::AtBlock, error::ClientError};
use codec::Decode;
use subxt::dynamic::{self, Value};

/// What pallet-revive appends to a 20-byte address to make the account of an address that no
/// Substrate account mapped (`AccountId32Mapper`'s fallback).
const FALLBACK_SUFFIX: [u8; 12] = [0xEE; 12];

/// The account an Ethereum address that no Substrate account mapped acts as: the address and
/// twelve `0xEE` bytes. Funds sent there are the address's: a wallet spends them through the
/// Ethereum RPC.
pub fn fallback_account(address: &[u8; 20]) -> [u8; 32] {
	let mut account = [0u8; 32];
	account[..20].copy_from_slice(address);
	account[20..].copy_from_slice(&FALLBACK_SUFFIX);
	account
}

/// The account `address` acts as at `at`: the Substrate account that mapped it
/// (`Revive.OriginalAccount`), or else [`fallback_account`]. The same rule as
/// `IZeroGCompute.accountOf`.
pub async fn account_of_eth_address(
	at: &AtBlock,
	address: &[u8; 20],
) -> Result<[u8; 32], ClientError> {
	let read_error = |error: String| {
		ClientError::Chain(format!("cannot read Revive.OriginalAccount of an address: {error}"))
	};
	let entry = dynamic::storage::<([u8; 20],), Value>("Revive", "OriginalAccount");
	let mapped = at
		.storage()
		.try_fetch(entry, (*address,))
		.await
		.map_err(|error| read_error(error.to_string()))?;
	match mapped {
		Some(value) => <[u8; 32]>::decode(&mut value.bytes())
			.map_err(|error| read_error(format!("the account does not decode: {error}"))),
		None => Ok(fallback_account(address)),
	}
}

/// The free balance of `account` at `at` (0 for an account the chain does not hold).
pub async fn free_balance(at: &AtBlock, account: &[u8; 32]) -> Result<u128, ClientError> {
	let read_error =
		|error: String| ClientError::Chain(format!("cannot read System.Account: {error}"));
	let entry = dynamic::storage::<([u8; 32],), Value>("System", "Account");
	let Some(value) = at
		.storage()
		.try_fetch(entry, (*account,))
		.await
		.map_err(|error| read_error(error.to_string()))?
	else {
		return Ok(0);
	};
	// `AccountInfo`: nonce, consumers, providers, sufficients (u32 each), then the balances'
	// `AccountData`, whose first field is `free`.
	let (_nonce, _consumers, _providers, _sufficients, free) =
		<(u32, u32, u32, u32, u128)>::decode(&mut value.bytes())
			.map_err(|error| read_error(format!("an account does not decode: {error}")))?;
	Ok(free)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn an_unmapped_address_acts_as_itself_followed_by_ee_bytes() {
		let account = fallback_account(&[0x11; 20]);
		assert_eq!(&account[..20], &[0x11; 20]);
		assert_eq!(&account[20..], &[0xEE; 12]);
	}
}
