//! The reward pool: collecting fees, releasing them to provers and forfeiting what expired
//! files did not earn.
//!
//! The pool account keeps the existential deposit as an endowment, minted when the first fee
//! arrives, so fees of any size can be paid into it and rewards never reap it.

use crate::{BalanceOf, Config, Error, FileId, Files, Pallet, Pool, RefundsOut, LOG_TARGET};
use polkadot_sdk::{
	frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{Balanced, Inspect, Mutate},
			tokens::{Fortitude, Precision, Preservation},
			OnUnbalanced,
		},
	},
	frame_system::pallet_prelude::BlockNumberFor,
	sp_runtime::traits::{AccountIdConversion, One, Saturating, Zero},
};

impl<T: Config> Pallet<T> {
	/// The pool account, which holds the fees not yet released.
	pub fn pool_account() -> T::AccountId {
		T::PalletId::get().into_account_truncating()
	}

	/// Mints the pool's endowment (the existential deposit) if it does not have it yet.
	fn endow_pool() -> DispatchResult {
		let pool = Self::pool_account();
		let endowment = T::Currency::minimum_balance();
		let balance = T::Currency::balance(&pool);
		if balance < endowment {
			T::Currency::mint_into(&pool, endowment.saturating_sub(balance))?;
		}
		Ok(())
	}

	/// Moves `fee` from `who` into the pool.
	pub(crate) fn collect_fee(who: &T::AccountId, fee: BalanceOf<T>) -> DispatchResult {
		if fee.is_zero() {
			return Ok(());
		}
		Self::endow_pool()?;
		T::Currency::transfer(who, &Self::pool_account(), fee, Preservation::Preserve)
			.map_err(|_| Error::<T>::InsufficientBalance)?;
		Pool::<T>::mutate(|totals| totals.fees_in = totals.fees_in.saturating_add(fee));
		Ok(())
	}

	/// Pays `prover` its share of file `file_id` for a challenge of the period starting at
	/// `period_start`: `reward_remaining / periods_left`, the periods in which the file can be
	/// challenged counted from that one. Nothing for a file that no longer exists.
	pub(crate) fn release_reward(
		prover: &T::AccountId,
		file_id: FileId,
		period_start: BlockNumberFor<T>,
	) -> Result<BalanceOf<T>, DispatchError> {
		let Some(mut file) = Files::<T>::get(file_id) else { return Ok(Zero::zero()) };
		let reward = file.reward_remaining / Self::periods_left(file.expires_at, period_start);
		if reward.is_zero() {
			return Ok(reward);
		}
		T::Currency::transfer(&Self::pool_account(), prover, reward, Preservation::Preserve)?;
		file.reward_remaining = file.reward_remaining.saturating_sub(reward);
		Files::<T>::insert(file_id, file);
		Pool::<T>::mutate(|totals| totals.rewards_out = totals.rewards_out.saturating_add(reward));
		Ok(reward)
	}

	/// `⌊(expires_at − ResponseWindow − period_start) / ChallengePeriod⌋ + 1`, at least 1: the
	/// challenge periods, from the one starting at `period_start` on, whose deadline falls within
	/// the file's life, i.e. in which the file can still be challenged.
	pub fn periods_left(
		expires_at: BlockNumberFor<T>,
		period_start: BlockNumberFor<T>,
	) -> BalanceOf<T> {
		let length = T::ChallengePeriod::get().max(One::one());
		let last_start = expires_at.saturating_sub(T::ResponseWindow::get());
		let periods = last_start.saturating_sub(period_start) / length;
		let periods: u32 = periods.try_into().unwrap_or(u32::MAX);
		BalanceOf::<T>::from(periods.saturating_add(1))
	}

	/// Pays `amount` from the pool back to `owner` (the fee of a file nobody acknowledged);
	/// returns what was paid.
	pub(crate) fn refund(owner: &T::AccountId, amount: BalanceOf<T>) -> BalanceOf<T> {
		if amount.is_zero() {
			return amount;
		}
		match T::Currency::transfer(&Self::pool_account(), owner, amount, Preservation::Preserve) {
			Ok(_) => {
				RefundsOut::<T>::mutate(|total| *total = total.saturating_add(amount));
				amount
			},
			Err(error) => {
				// The owner's account cannot take it (e.g. below the existential deposit): the
				// whole fee is kept.
				log::warn!(target: LOG_TARGET, "refund of {amount:?} failed: {error:?}");
				Zero::zero()
			},
		}
	}

	/// Takes `amount` out of the pool to `UnearnedRewardDestination`; returns what left.
	pub(crate) fn forfeit(amount: BalanceOf<T>) -> BalanceOf<T> {
		if amount.is_zero() {
			return amount;
		}
		let withdrawn = <T::Currency as Balanced<T::AccountId>>::withdraw(
			&Self::pool_account(),
			amount,
			Precision::Exact,
			Preservation::Preserve,
			Fortitude::Polite,
		);
		match withdrawn {
			Ok(credit) => {
				Pool::<T>::mutate(|totals| {
					totals.unearned_out = totals.unearned_out.saturating_add(amount)
				});
				T::UnearnedRewardDestination::on_unbalanced(credit);
				amount
			},
			Err(error) => {
				log::error!(target: LOG_TARGET, "pool cannot pay unearned rewards: {error:?}");
				Zero::zero()
			},
		}
	}
}
