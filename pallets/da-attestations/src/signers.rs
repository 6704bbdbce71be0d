//! The signer registry: registration with a stake, updates, unbonding and withdrawal.
//!
//! Every change keeps a signer's `SignerStake` hold equal to its recorded stake, and
//! `ActiveSigners` equal to the signers whose status is `Active`, with the same stakes.

use crate::{
	ActiveSigners, BalanceOf, Config, CustodyUntil, Error, HoldReason, Pallet, SignerInfo,
	SignerStatus, Signers,
};
use polkadot_sdk::{
	frame_support::{
		ensure,
		pallet_prelude::*,
		traits::{fungible::MutateHold, tokens::Precision},
	},
	frame_system::{self, pallet_prelude::BlockNumberFor},
	sp_core::sr25519,
	sp_runtime::traits::Saturating,
};

impl<T: Config> Pallet<T> {
	/// Registers `signer` with `stake` on hold.
	pub(crate) fn add_signer(
		signer: &T::AccountId,
		stake: BalanceOf<T>,
		da_key: sr25519::Public,
		endpoint: BoundedVec<u8, T::MaxEndpointLen>,
	) -> DispatchResult {
		ensure!(!Signers::<T>::contains_key(signer), Error::<T>::AlreadyRegistered);
		ensure!(T::AccountId::from(da_key) == *signer, Error::<T>::DaKeyNotSignerAccount);
		ensure!(!endpoint.is_empty(), Error::<T>::EmptyEndpoint);
		ensure!(stake >= T::MinSignerStake::get(), Error::<T>::StakeBelowMinimum);
		ActiveSigners::<T>::try_mutate(|active| active.try_push((signer.clone(), stake)))
			.map_err(|_| Error::<T>::TooManySigners)?;
		T::Currency::hold(&HoldReason::SignerStake.into(), signer, stake)
			.map_err(|_| Error::<T>::InsufficientFreeBalance)?;
		Signers::<T>::insert(
			signer,
			SignerInfo { stake, da_key, endpoint, status: SignerStatus::Active },
		);
		Ok(())
	}

	/// Raises an active signer's stake to `stake` and sets its endpoint.
	pub(crate) fn change_signer(
		signer: &T::AccountId,
		stake: BalanceOf<T>,
		endpoint: BoundedVec<u8, T::MaxEndpointLen>,
	) -> DispatchResult {
		let mut info = Signers::<T>::get(signer).ok_or(Error::<T>::NotRegistered)?;
		ensure!(info.status == SignerStatus::Active, Error::<T>::SignerUnbonding);
		ensure!(!endpoint.is_empty(), Error::<T>::EmptyEndpoint);
		ensure!(stake >= info.stake, Error::<T>::StakeBelowCurrent);
		T::Currency::hold(
			&HoldReason::SignerStake.into(),
			signer,
			stake.saturating_sub(info.stake),
		)
		.map_err(|_| Error::<T>::InsufficientFreeBalance)?;
		ActiveSigners::<T>::mutate(|active| {
			if let Some(entry) = active.iter_mut().find(|(account, _)| account == signer) {
				entry.1 = stake;
			}
		});
		info.stake = stake;
		info.endpoint = endpoint;
		Signers::<T>::insert(signer, info);
		Ok(())
	}

	/// Takes an active signer out of future draws; returns the block its stake unlocks at.
	pub(crate) fn start_unbonding(
		signer: &T::AccountId,
	) -> Result<BlockNumberFor<T>, DispatchError> {
		let mut info = Signers::<T>::get(signer).ok_or(Error::<T>::NotRegistered)?;
		ensure!(info.status == SignerStatus::Active, Error::<T>::SignerUnbonding);
		let unlocks_at =
			frame_system::Pallet::<T>::block_number().saturating_add(T::UnbondingPeriod::get());
		ActiveSigners::<T>::mutate(|active| active.retain(|(account, _)| account != signer));
		info.status = SignerStatus::Unbonding { unlocks_at };
		Signers::<T>::insert(signer, info);
		Ok(unlocks_at)
	}

	/// Releases an unbonded signer's stake and forgets it; returns the stake released.
	pub(crate) fn finish_unbonding(signer: &T::AccountId) -> Result<BalanceOf<T>, DispatchError> {
		let info = Signers::<T>::get(signer).ok_or(Error::<T>::NotRegistered)?;
		let SignerStatus::Unbonding { unlocks_at } = info.status else {
			return Err(Error::<T>::NotUnbonding.into());
		};
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now >= unlocks_at, Error::<T>::UnbondingNotFinished);
		ensure!(now >= CustodyUntil::<T>::get(signer), Error::<T>::CustodyObligationPending);
		let released = T::Currency::release(
			&HoldReason::SignerStake.into(),
			signer,
			info.stake,
			Precision::BestEffort,
		)?;
		Signers::<T>::remove(signer);
		CustodyUntil::<T>::remove(signer);
		Ok(released)
	}
}
