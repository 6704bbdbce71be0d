//! The currency `pallet-collator-selection` holds candidacy bonds in: the runtime's balances,
//! except that a bond released from a candidacy is not free at once but unbonding
//! (`pallet::Pallet::start_unbonding`), so an offence reported after a validator left can still
//! be slashed.

use super::pallet;
use crate::{AccountId, Balance, Balances, Runtime};
use polkadot_sdk::{
	frame_support::traits::{
		tokens::{ExistenceRequirement, WithdrawReasons},
		Currency, ReservableCurrency, SignedImbalance,
	},
	sp_runtime::DispatchResult,
};

/// [`Balances`], with [`ReservableCurrency::unreserve`] turned into unbonding.
pub struct CandidacyBonds;

type PositiveImbalance = <Balances as Currency<AccountId>>::PositiveImbalance;
type NegativeImbalance = <Balances as Currency<AccountId>>::NegativeImbalance;

impl Currency<AccountId> for CandidacyBonds {
	type Balance = Balance;
	type PositiveImbalance = PositiveImbalance;
	type NegativeImbalance = NegativeImbalance;

	fn total_balance(who: &AccountId) -> Balance {
		Balances::total_balance(who)
	}
	fn can_slash(who: &AccountId, value: Balance) -> bool {
		Balances::can_slash(who, value)
	}
	fn total_issuance() -> Balance {
		<Balances as Currency<AccountId>>::total_issuance()
	}
	fn minimum_balance() -> Balance {
		<Balances as Currency<AccountId>>::minimum_balance()
	}
	fn burn(amount: Balance) -> PositiveImbalance {
		<Balances as Currency<AccountId>>::burn(amount)
	}
	fn issue(amount: Balance) -> NegativeImbalance {
		<Balances as Currency<AccountId>>::issue(amount)
	}
	fn free_balance(who: &AccountId) -> Balance {
		Balances::free_balance(who)
	}
	fn ensure_can_withdraw(
		who: &AccountId,
		amount: Balance,
		reasons: WithdrawReasons,
		new_balance: Balance,
	) -> DispatchResult {
		Balances::ensure_can_withdraw(who, amount, reasons, new_balance)
	}
	fn transfer(
		source: &AccountId,
		dest: &AccountId,
		value: Balance,
		existence_requirement: ExistenceRequirement,
	) -> DispatchResult {
		<Balances as Currency<AccountId>>::transfer(source, dest, value, existence_requirement)
	}
	fn slash(who: &AccountId, value: Balance) -> (NegativeImbalance, Balance) {
		<Balances as Currency<AccountId>>::slash(who, value)
	}
	fn deposit_into_existing(
		who: &AccountId,
		value: Balance,
	) -> Result<PositiveImbalance, polkadot_sdk::sp_runtime::DispatchError> {
		Balances::deposit_into_existing(who, value)
	}
	fn deposit_creating(who: &AccountId, value: Balance) -> PositiveImbalance {
		Balances::deposit_creating(who, value)
	}
	fn withdraw(
		who: &AccountId,
		value: Balance,
		reasons: WithdrawReasons,
		liveness: ExistenceRequirement,
	) -> Result<NegativeImbalance, polkadot_sdk::sp_runtime::DispatchError> {
		<Balances as Currency<AccountId>>::withdraw(who, value, reasons, liveness)
	}
	fn make_free_balance_be(
		who: &AccountId,
		balance: Balance,
	) -> SignedImbalance<Balance, PositiveImbalance> {
		Balances::make_free_balance_be(who, balance)
	}
}

impl ReservableCurrency<AccountId> for CandidacyBonds {
	fn can_reserve(who: &AccountId, value: Balance) -> bool {
		Balances::can_reserve(who, value)
	}
	fn slash_reserved(who: &AccountId, value: Balance) -> (NegativeImbalance, Balance) {
		Balances::slash_reserved(who, value)
	}
	fn reserved_balance(who: &AccountId) -> Balance {
		Balances::reserved_balance(who)
	}
	fn reserve(who: &AccountId, value: Balance) -> DispatchResult {
		Balances::reserve(who, value)
	}
	/// Releases `value` of the bond into unbonding: out of the reserve, then held for the
	/// unbonding sessions. Returns what could not be unreserved, as `Balances` does.
	fn unreserve(who: &AccountId, value: Balance) -> Balance {
		let missing = Balances::unreserve(who, value);
		pallet::Pallet::<Runtime>::start_unbonding(who, value.saturating_sub(missing));
		missing
	}
	fn repatriate_reserved(
		slashed: &AccountId,
		beneficiary: &AccountId,
		value: Balance,
		status: polkadot_sdk::frame_support::traits::BalanceStatus,
	) -> Result<Balance, polkadot_sdk::sp_runtime::DispatchError> {
		Balances::repatriate_reserved(slashed, beneficiary, value, status)
	}
}
