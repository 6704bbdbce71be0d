//! User ledgers: deposits, withdrawals, provider sub-accounts and refunds, plus the one place
//! held funds are paid out.
//!
//! Every change keeps `available + Σ sub-accounts + Σ pending refunds` equal to the user's
//! `HoldReason::Ledger` hold: funds enter and leave the ledger only through `deposit`,
//! `withdraw` and payments to providers, each of which moves the hold by the same amount.

use crate::{
	BalanceOf, Config, Error, HoldReason, Ledger, Ledgers, Pallet, PendingRefund, ProviderServices,
	SubAccount, SubAccounts,
};
use polkadot_sdk::{
	frame_support::{
		ensure,
		pallet_prelude::*,
		traits::{
			fungible::MutateHold,
			tokens::{Fortitude, Precision, Restriction},
		},
	},
	frame_system::{self, pallet_prelude::BlockNumberFor},
	sp_runtime::traits::{Saturating, Zero},
};

impl<T: Config> Pallet<T> {
	/// Holds `amount` of `user`'s free balance as available ledger funds.
	pub(crate) fn add_to_ledger(user: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		T::Currency::hold(&HoldReason::Ledger.into(), user, amount)
			.map_err(|_| Error::<T>::InsufficientFreeBalance)?;
		Self::mutate_ledger(user, |ledger| {
			ledger.available = ledger.available.saturating_add(amount);
			Ok(())
		})
	}

	/// Releases `amount` of `user`'s available ledger funds to its free balance.
	pub(crate) fn take_from_ledger(user: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		Self::mutate_ledger(user, |ledger| {
			ensure!(ledger.available >= amount, Error::<T>::InsufficientAvailableFunds);
			ledger.available = ledger.available.saturating_sub(amount);
			Ok(())
		})?;
		T::Currency::release(&HoldReason::Ledger.into(), user, amount, Precision::Exact)?;
		Ok(())
	}

	/// Moves `amount` of `user`'s available funds into its sub-account for `provider`.
	pub(crate) fn move_to_sub_account(
		user: &T::AccountId,
		provider: &T::AccountId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		ensure!(ProviderServices::<T>::contains_key(provider), Error::<T>::ProviderNotRegistered);
		Self::mutate_ledger(user, |ledger| {
			ensure!(ledger.available >= amount, Error::<T>::InsufficientAvailableFunds);
			ledger.available = ledger.available.saturating_sub(amount);
			Ok(())
		})?;
		SubAccounts::<T>::mutate(user, provider, |sub| {
			sub.balance = sub.balance.saturating_add(amount)
		});
		Ok(())
	}

	/// Moves `amount` out of `user`'s sub-account for `provider` into a pending refund; returns
	/// the block it unlocks at.
	pub(crate) fn start_refund(
		user: &T::AccountId,
		provider: &T::AccountId,
		amount: BalanceOf<T>,
	) -> Result<BlockNumberFor<T>, DispatchError> {
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		let mut sub = SubAccounts::<T>::get(user, provider);
		ensure!(sub.balance >= amount, Error::<T>::InsufficientSubAccountFunds);
		sub.balance = sub.balance.saturating_sub(amount);
		let unlocks_at =
			frame_system::Pallet::<T>::block_number().saturating_add(T::RefundLockPeriod::get());
		Self::mutate_ledger(user, |ledger| {
			ledger
				.pending_refunds
				.try_push(PendingRefund { provider: provider.clone(), amount, unlocks_at })
				.map_err(|_| Error::<T>::TooManyPendingRefunds.into())
		})?;
		Self::put_sub_account(user, provider, sub);
		Ok(unlocks_at)
	}

	/// Returns every unlocked pending refund of `user` to its available funds; returns the
	/// total.
	pub(crate) fn finish_unlocked_refunds(
		user: &T::AccountId,
	) -> Result<BalanceOf<T>, DispatchError> {
		let now = frame_system::Pallet::<T>::block_number();
		Self::mutate_ledger(user, |ledger| {
			let mut unlocked = BalanceOf::<T>::zero();
			let mut any_unlocked = false;
			ledger.pending_refunds.retain(|refund| {
				let is_unlocked = refund.unlocks_at <= now;
				if is_unlocked {
					any_unlocked = true;
					unlocked = unlocked.saturating_add(refund.amount);
				}
				!is_unlocked
			});
			ensure!(any_unlocked, Error::<T>::NoRefundUnlocked);
			ledger.available = ledger.available.saturating_add(unlocked);
			Ok(unlocked)
		})
	}

	/// Pays `amount` of `user`'s funds held for `reason` to `provider`'s free balance; returns
	/// what was paid. Nothing changes when it fails.
	pub(crate) fn pay_from_hold(
		reason: HoldReason,
		user: &T::AccountId,
		provider: &T::AccountId,
		amount: BalanceOf<T>,
		precision: Precision,
	) -> Result<BalanceOf<T>, DispatchError> {
		if amount.is_zero() {
			return Ok(amount);
		}
		T::Currency::transfer_on_hold(
			&reason.into(),
			user,
			provider,
			amount,
			precision,
			Restriction::Free,
			Fortitude::Polite,
		)
	}

	/// Runs `f` on `user`'s ledger (empty if there is none) and stores the result, removing the
	/// entry once it is empty. Nothing is written when `f` fails.
	pub(crate) fn mutate_ledger<R>(
		user: &T::AccountId,
		f: impl FnOnce(&mut Ledger<T>) -> Result<R, DispatchError>,
	) -> Result<R, DispatchError> {
		Ledgers::<T>::try_mutate_exists(user, |entry| {
			let mut ledger = entry.take().unwrap_or_default();
			let result = f(&mut ledger)?;
			*entry = if ledger.is_empty() { None } else { Some(ledger) };
			Ok(result)
		})
	}

	/// Stores a sub-account, removing the entry when it holds nothing and never settled a
	/// receipt.
	pub(crate) fn put_sub_account(
		user: &T::AccountId,
		provider: &T::AccountId,
		sub: SubAccount<BalanceOf<T>>,
	) {
		if sub == SubAccount::default() {
			SubAccounts::<T>::remove(user, provider);
		} else {
			SubAccounts::<T>::insert(user, provider, sub);
		}
	}
}
