//! Solidity precompiles: the ZeroG pallets as contracts at fixed addresses, so Ethereum wallets
//! and contracts can pay for storage, post and check DA blobs, and fund compute.
//!
//! The interfaces are the `.sol` files in `sdk/solidity/`, compiled here by `alloy::sol!` from
//! the same files the SDK ships. Each precompile follows the same steps (this module):
//! - refuse a `delegatecall` (it would act for the delegating contract's caller) and any value
//!   sent along (it would be stuck at the precompile's address);
//! - refuse a state change in a `staticcall` (FRAME storage writes bypass revive's own
//!   read-only gate);
//! - charge the pallet's benchmarked weight before acting, refund what the call did not use;
//! - dispatch the pallet's call signed by the immediate caller (an account or a contract,
//!   never `tx.origin`), so the call filter and the pallet's own checks apply unchanged;
//! - revert with `Error(string)` naming the pallet error (pallet-revive 0.20.2 cannot return
//!   custom Solidity errors from a precompile);
//! - emit the Ethereum log last, once nothing can fail.

use crate::{AccountId, Balance, Runtime, RuntimeCall, RuntimeOrigin};
use alloc::{string::ToString, vec::Vec};
use pallet_revive::precompiles::{
	alloy::{
		primitives::{Address, IntoLogData, B256, U256},
		sol_types::Revert,
	},
	AddressMapper, Error, Ext, RuntimeCosts, H256,
};
use polkadot_sdk::{
	frame_support::dispatch::{extract_actual_weight, GetDispatchInfo},
	frame_system::RawOrigin,
	sp_runtime::{traits::Dispatchable, DispatchError},
};

#[cfg(feature = "compute")]
pub mod compute;
#[cfg(feature = "da")]
pub mod da;
#[cfg(feature = "marketplace")]
pub mod marketplace;
#[cfg(feature = "storage")]
pub mod storage;

/// The precompiles of the pallets this runtime includes (`marketplace` implies `compute`, which
/// implies `storage`).
#[cfg(all(feature = "da", feature = "marketplace"))]
pub type ZeroGPrecompiles = (
	storage::StoragePrecompile,
	da::DaPrecompile,
	compute::ComputePrecompile,
	marketplace::MarketplacePrecompile,
);
#[cfg(all(feature = "da", feature = "compute", not(feature = "marketplace")))]
pub type ZeroGPrecompiles =
	(storage::StoragePrecompile, da::DaPrecompile, compute::ComputePrecompile);
#[cfg(all(feature = "storage", feature = "da", not(feature = "compute")))]
pub type ZeroGPrecompiles = (storage::StoragePrecompile, da::DaPrecompile);
#[cfg(all(not(feature = "da"), feature = "marketplace"))]
pub type ZeroGPrecompiles =
	(storage::StoragePrecompile, compute::ComputePrecompile, marketplace::MarketplacePrecompile);
#[cfg(all(not(feature = "da"), feature = "compute", not(feature = "marketplace")))]
pub type ZeroGPrecompiles = (storage::StoragePrecompile, compute::ComputePrecompile);
#[cfg(all(feature = "storage", not(feature = "da"), not(feature = "compute")))]
pub type ZeroGPrecompiles = (storage::StoragePrecompile,);
#[cfg(all(not(feature = "storage"), feature = "da"))]
pub type ZeroGPrecompiles = (da::DaPrecompile,);
#[cfg(all(not(feature = "storage"), not(feature = "da")))]
pub type ZeroGPrecompiles = ();

/// The `u16` of each precompile's address: `AddressMatcher::Fixed(n)` answers at
/// `0x00000000000000000000000000000000nnnn0000`.
pub mod address {
	/// `IZeroGStorage` at `0x0000000000000000000000000000000008000000`.
	pub const STORAGE: u16 = 0x0800;
	/// `IZeroGDA` at `0x0000000000000000000000000000000008010000`.
	pub const DA: u16 = 0x0801;
	/// `IZeroGCompute` at `0x0000000000000000000000000000000008020000`.
	pub const COMPUTE: u16 = 0x0802;
	/// `IZeroGMarketplace` at `0x0000000000000000000000000000000008030000`.
	pub const MARKETPLACE: u16 = 0x0803;

	/// The full 20-byte address of the precompile with the `u16` `id`.
	pub const fn of(id: u16) -> [u8; 20] {
		let mut address = [0u8; 20];
		let id = id.to_be_bytes();
		address[16] = id[0];
		address[17] = id[1];
		address
	}
}

/// A revert with `reason` as its `Error(string)`.
pub fn revert(reason: &str) -> Error {
	Error::Revert(Revert { reason: reason.to_string() })
}

/// A dispatch error as a revert named after it: a pallet error by its variant's name
/// (`"FileTooLarge"`), anything else by sp-runtime's description (`"Funds are unavailable"`).
pub fn revert_with(error: DispatchError) -> Error {
	revert(<&'static str>::from(error))
}

/// Refuses what no ZeroG precompile accepts: a `delegatecall`, and value sent along.
pub fn refuse_delegate_and_value(env: &impl Ext<T = Runtime>) -> Result<(), Error> {
	if env.is_delegate_call() {
		return Err(revert("PrecompileDelegateDenied"));
	}
	if !env.value_transferred().is_zero() {
		return Err(revert("NotPayable"));
	}
	Ok(())
}

/// Charges `reads` storage reads: what a view costs.
pub fn charge_reads(env: &mut impl Ext<T = Runtime>, reads: u64) -> Result<(), Error> {
	let weight = <Runtime as polkadot_sdk::frame_system::Config>::DbWeight::get().reads(reads);
	env.charge(weight)?;
	Ok(())
}

/// Dispatches `call` signed by the immediate caller, after charging its declared (benchmarked)
/// weight; refunds what it did not use. Returns the caller's account.
///
/// Refuses a `staticcall`, whose caller asked for no state change. A failing call changes
/// nothing (the precompile's frame is a storage transaction) and reverts with its error's name.
pub fn dispatch_as_caller(
	env: &mut impl Ext<T = Runtime>,
	call: impl Into<RuntimeCall>,
) -> Result<AccountId, Error> {
	if env.is_read_only() {
		return Err(revert("StateChangeDenied"));
	}
	let call: RuntimeCall = call.into();
	let info = call.get_dispatch_info();
	// Out of gas here traps before anything happened.
	let charged = env.charge(info.call_weight)?;
	let caller = env.caller().account_id().map_err(|_| revert("RootNotAllowed"))?.clone();
	let result = call.dispatch(RuntimeOrigin::from(RawOrigin::Signed(caller.clone())));
	env.adjust_gas(charged, extract_actual_weight(&result, &info));
	result.map_err(|e| revert_with(e.error))?;
	Ok(caller)
}

/// Emits `event` as an Ethereum log of the precompile, charged like a contract's `LOG`.
pub fn emit(env: &mut impl Ext<T = Runtime>, event: impl IntoLogData) -> Result<(), Error> {
	let (topics, data) = event.into_log_data().split();
	let topics: Vec<H256> = topics.into_iter().map(|topic| H256(topic.0)).collect();
	env.frame_meter_mut().charge_weight_token(RuntimeCosts::DepositEvent {
		num_topic: topics.len() as u32,
		len: data.len() as u32,
	})?;
	env.deposit_event(topics, data.to_vec());
	Ok(())
}

/// An amount in Solidity's `uint256` as a balance; `"AmountTooLarge"` if it does not fit.
pub fn balance(amount: U256) -> Result<Balance, Error> {
	Balance::try_from(amount).map_err(|_| revert("AmountTooLarge"))
}

/// A 32-byte account id from Solidity's `bytes32`.
pub fn account(id: B256) -> AccountId {
	AccountId::new(id.0)
}

/// An account id as Solidity's `bytes32`.
pub fn account_word(account: &AccountId) -> B256 {
	B256::from(<[u8; 32]>::from(account.clone()))
}

/// The Ethereum address an account acts as (its mapped or derived address).
pub fn address_of(account: &AccountId) -> Address {
	Address::from(<Runtime as pallet_revive::Config>::AddressMapper::to_address(account).0)
}

/// A hash as Solidity's `bytes32`.
pub fn word(hash: H256) -> B256 {
	B256::from(hash.0)
}
