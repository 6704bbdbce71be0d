//! Provider registry: registration, updates, unbonding and the stake behind each provider.

use crate::{
	ActiveProviders, BalanceOf, Config, Endpoint, Error, HoldReason, Pallet, ProviderCapacity,
	ProviderInfo, ProviderStatus, Providers,
};
use polkadot_sdk::{
	frame_support::{
		ensure,
		pallet_prelude::*,
		traits::{
			fungible::{BalancedHold, MutateHold},
			tokens::Precision,
			Imbalance, OnUnbalanced,
		},
	},
	frame_system::{self, pallet_prelude::BlockNumberFor},
	sp_runtime::traits::{Saturating, Zero},
};

impl<T: Config> Pallet<T> {
	/// Registers `provider` as active with `stake` on hold.
	pub(crate) fn add_provider(
		provider: &T::AccountId,
		stake: BalanceOf<T>,
		endpoint: Endpoint<T>,
	) -> DispatchResult {
		Self::ensure_valid_terms(stake, &endpoint)?;
		if let Some(info) = Providers::<T>::get(provider) {
			return Err(match info.status {
				ProviderStatus::Active => Error::<T>::AlreadyRegistered,
				ProviderStatus::Unbonding { .. } => Error::<T>::ProviderUnbonding,
			}
			.into());
		}
		ActiveProviders::<T>::try_mutate(|active| active.try_push(provider.clone()))
			.map_err(|_| Error::<T>::TooManyProviders)?;
		T::Currency::hold(&HoldReason::ProviderStake.into(), provider, stake)
			.map_err(|_| Error::<T>::InsufficientBalance)?;
		let info =
			ProviderInfo { stake, endpoint, status: ProviderStatus::Active, open_challenges: 0 };
		Providers::<T>::insert(provider, info);
		Ok(())
	}

	/// Moves an active provider's stake to `stake` and replaces its endpoint.
	pub(crate) fn change_provider(
		provider: &T::AccountId,
		stake: BalanceOf<T>,
		endpoint: Endpoint<T>,
	) -> DispatchResult {
		let mut info = Providers::<T>::get(provider).ok_or(Error::<T>::ProviderNotRegistered)?;
		ensure!(info.status == ProviderStatus::Active, Error::<T>::ProviderUnbonding);
		Self::ensure_valid_terms(stake, &endpoint)?;
		let reason = HoldReason::ProviderStake.into();
		if stake > info.stake {
			T::Currency::hold(&reason, provider, stake.saturating_sub(info.stake))
				.map_err(|_| Error::<T>::InsufficientBalance)?;
		} else if stake < info.stake {
			T::Currency::release(
				&reason,
				provider,
				info.stake.saturating_sub(stake),
				Precision::Exact,
			)?;
		}
		info.stake = stake;
		info.endpoint = endpoint;
		Providers::<T>::insert(provider, info);
		Ok(())
	}

	/// Takes an active provider out of the challenge rotation; returns when its stake unlocks.
	pub(crate) fn start_unbonding(
		provider: &T::AccountId,
	) -> Result<BlockNumberFor<T>, DispatchError> {
		let mut info = Providers::<T>::get(provider).ok_or(Error::<T>::ProviderNotRegistered)?;
		ensure!(info.status == ProviderStatus::Active, Error::<T>::ProviderUnbonding);
		let unlocks_at =
			frame_system::Pallet::<T>::block_number().saturating_add(T::UnbondingPeriod::get());
		ActiveProviders::<T>::mutate(|active| active.retain(|account| account != provider));
		info.status = ProviderStatus::Unbonding { unlocks_at };
		Providers::<T>::insert(provider, info);
		Self::depart(provider)?; // assignment.rs: its files go to other providers
		Ok(unlocks_at)
	}

	/// Sets an active provider's declared capacity to `bytes`, at least what it uses.
	pub(crate) fn set_capacity(provider: &T::AccountId, bytes: u64) -> DispatchResult {
		let info = Providers::<T>::get(provider).ok_or(Error::<T>::ProviderNotRegistered)?;
		ensure!(info.status == ProviderStatus::Active, Error::<T>::ProviderUnbonding);
		ProviderCapacity::<T>::try_mutate(provider, |capacity| {
			ensure!(bytes >= capacity.used, Error::<T>::CapacityBelowUsage);
			capacity.declared = bytes;
			Ok(())
		})
	}

	/// Releases an unbonded provider's stake and forgets it; returns the amount released.
	pub(crate) fn finish_unbonding(provider: &T::AccountId) -> Result<BalanceOf<T>, DispatchError> {
		let info = Providers::<T>::get(provider).ok_or(Error::<T>::ProviderNotRegistered)?;
		let ProviderStatus::Unbonding { unlocks_at } = info.status else {
			return Err(Error::<T>::NotUnbonding.into());
		};
		ensure!(
			frame_system::Pallet::<T>::block_number() >= unlocks_at,
			Error::<T>::UnbondingNotFinished
		);
		ensure!(info.open_challenges == 0, Error::<T>::ChallengesOpen);
		ensure!(!Self::is_departing(provider), Error::<T>::ReplicasNotReleased);
		let released = T::Currency::release(
			&HoldReason::ProviderStake.into(),
			provider,
			info.stake,
			Precision::BestEffort,
		)?;
		Providers::<T>::remove(provider);
		Ok(released)
	}

	/// Slashes `SlashFraction` of `provider`'s stake to `SlashDestination`; returns the amount.
	pub(crate) fn slash_provider(provider: &T::AccountId) -> BalanceOf<T> {
		let Some(mut info) = Providers::<T>::get(provider) else { return Zero::zero() };
		let (credit, _not_held) = <T::Currency as BalancedHold<T::AccountId>>::slash(
			&HoldReason::ProviderStake.into(),
			provider,
			T::SlashFraction::get().mul_floor(info.stake),
		);
		let slashed = credit.peek();
		info.stake = info.stake.saturating_sub(slashed);
		Providers::<T>::insert(provider, info);
		T::SlashDestination::on_unbalanced(credit);
		slashed
	}

	/// Checks what a provider chooses freely: its stake and endpoint.
	fn ensure_valid_terms(stake: BalanceOf<T>, endpoint: &Endpoint<T>) -> DispatchResult {
		ensure!(stake >= T::MinProviderStake::get(), Error::<T>::StakeBelowMinimum);
		ensure!(!endpoint.is_empty(), Error::<T>::EmptyEndpoint);
		Ok(())
	}
}
