//! Service registry: registration, updates, removal and the stake behind each service.

use crate::{
	BalanceOf, Config, Error, HoldReason, NextServiceId, Pallet, ProviderServices, ServiceId,
	ServiceInfo, ServiceJobTerms, Services, Verifiability,
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
	sp_runtime::{
		traits::{Saturating, Zero},
		Perbill,
	},
};

impl<T: Config> Pallet<T> {
	/// Checks and stores a new service, holds its stake and returns its id.
	pub(crate) fn add_service(service: ServiceInfo<T>) -> Result<ServiceId, DispatchError> {
		Self::ensure_valid_terms(&service)?;
		Self::ensure_approved_verifiability(&service.verifiability)?; // enclaves.rs
		let id = NextServiceId::<T>::get();
		let next_id = id.checked_add(1).ok_or(Error::<T>::CounterOverflow)?;
		ProviderServices::<T>::try_mutate(&service.provider, |ids| ids.try_push(id))
			.map_err(|_| Error::<T>::TooManyServices)?;
		T::Currency::hold(&HoldReason::ServiceStake.into(), &service.provider, service.stake)
			.map_err(|_| Error::<T>::InsufficientFreeBalance)?;
		NextServiceId::<T>::put(next_id);
		Services::<T>::insert(id, service);
		Ok(id)
	}

	/// Replaces the terms of `provider`'s service `id` and moves its stake to `stake`.
	#[allow(clippy::too_many_arguments)]
	pub(crate) fn change_service(
		provider: &T::AccountId,
		id: ServiceId,
		model: BoundedVec<u8, T::MaxModelLen>,
		endpoint: BoundedVec<u8, T::MaxEndpointLen>,
		input_price_per_token: BalanceOf<T>,
		output_price_per_token: BalanceOf<T>,
		verifiability: Verifiability<T::AccountId>,
		stake: BalanceOf<T>,
	) -> DispatchResult {
		let mut service = Self::provider_service(provider, id)?;
		// Users funded this service under its verifiability: a new enclave key (or none) would
		// let someone they never accepted sign the receipts that pay from their sub-accounts.
		ensure!(service.verifiability == verifiability, Error::<T>::VerifiabilityFixed);
		let old_stake = service.stake;
		service.model = model;
		service.endpoint = endpoint;
		service.input_price_per_token = input_price_per_token;
		service.output_price_per_token = output_price_per_token;
		service.verifiability = verifiability;
		service.stake = stake;
		Self::ensure_valid_terms(&service)?;
		let reason = HoldReason::ServiceStake.into();
		if stake > old_stake {
			T::Currency::hold(&reason, provider, stake.saturating_sub(old_stake))
				.map_err(|_| Error::<T>::InsufficientFreeBalance)?;
		} else if stake < old_stake {
			T::Currency::release(
				&reason,
				provider,
				old_stake.saturating_sub(stake),
				Precision::Exact,
			)?;
		}
		Services::<T>::insert(id, service);
		Ok(())
	}

	/// Removes `provider`'s service `id` if it has no open job and releases its stake.
	pub(crate) fn drop_service(
		provider: &T::AccountId,
		id: ServiceId,
	) -> Result<BalanceOf<T>, DispatchError> {
		let service = Self::provider_service(provider, id)?;
		ensure!(service.open_jobs == 0, Error::<T>::ServiceHasOpenJobs);
		let released = T::Currency::release(
			&HoldReason::ServiceStake.into(),
			provider,
			service.stake,
			Precision::BestEffort,
		)?;
		ProviderServices::<T>::mutate_exists(provider, |ids| {
			if let Some(list) = ids {
				list.retain(|other| *other != id);
				if list.is_empty() {
					*ids = None;
				}
			}
		});
		Services::<T>::remove(id);
		ServiceJobTerms::<T>::remove(id);
		Ok(released)
	}

	/// Slashes `fraction` of service `id`'s stake from its provider and hands it to
	/// `SlashDestination`; returns the amount slashed.
	pub(crate) fn slash_service(id: ServiceId, fraction: Perbill) -> BalanceOf<T> {
		let Some(mut service) = Services::<T>::get(id) else { return Zero::zero() };
		let (credit, _not_held) = <T::Currency as BalancedHold<T::AccountId>>::slash(
			&HoldReason::ServiceStake.into(),
			&service.provider,
			fraction.mul_floor(service.stake),
		);
		let slashed = credit.peek();
		service.stake = service.stake.saturating_sub(slashed);
		Services::<T>::insert(id, service);
		T::SlashDestination::on_unbalanced(credit);
		slashed
	}

	/// The service `id`, if `provider` runs it.
	pub(crate) fn provider_service(
		provider: &T::AccountId,
		id: ServiceId,
	) -> Result<ServiceInfo<T>, DispatchError> {
		let service = Services::<T>::get(id).ok_or(Error::<T>::ServiceNotFound)?;
		ensure!(service.provider == *provider, Error::<T>::NotServiceProvider);
		Ok(service)
	}

	/// Checks what a provider may choose freely: stake, model and endpoint.
	fn ensure_valid_terms(service: &ServiceInfo<T>) -> DispatchResult {
		ensure!(service.stake >= T::MinServiceStake::get(), Error::<T>::StakeBelowMinimum);
		ensure!(!service.model.is_empty(), Error::<T>::EmptyModel);
		ensure!(!service.endpoint.is_empty(), Error::<T>::EmptyEndpoint);
		Ok(())
	}

	/// Adds one to service `id`'s count of unfinished jobs.
	pub(crate) fn count_open_job(id: ServiceId) -> DispatchResult {
		Services::<T>::try_mutate(id, |service| {
			let service = service.as_mut().ok_or(Error::<T>::ServiceNotFound)?;
			service.open_jobs =
				service.open_jobs.checked_add(1).ok_or(Error::<T>::CounterOverflow)?;
			Ok(())
		})
	}

	/// Takes one from service `id`'s count of unfinished jobs.
	pub(crate) fn count_finished_job(id: ServiceId) {
		Services::<T>::mutate(id, |service| {
			if let Some(service) = service {
				service.open_jobs = service.open_jobs.saturating_sub(1);
			}
		});
	}
}
