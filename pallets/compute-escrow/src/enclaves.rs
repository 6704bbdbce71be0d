//! Who may sign receipts besides the user: enclave keys `EnclaveOrigin` approved, and each
//! user's acknowledgement of the enclave key of a service it uses.

use crate::{
	AcknowledgedSigners, Acknowledgement, ApprovedEnclaves, BalanceOf, Config, EnclaveApproval,
	Error, HoldReason, Pallet, ServiceId, Services, Verifiability,
};
use polkadot_sdk::{
	frame_support::{
		ensure,
		pallet_prelude::*,
		traits::{fungible::MutateHold, tokens::Precision},
	},
	frame_system,
	sp_core::H256,
};

impl<T: Config> Pallet<T> {
	/// Records that `EnclaveOrigin` checked `evidence_hash` for `signer` (a new approval, or new
	/// evidence for a key already approved).
	pub(crate) fn record_enclave_approval(signer: &T::AccountId, evidence_hash: H256) {
		let approved_at = frame_system::Pallet::<T>::block_number();
		ApprovedEnclaves::<T>::insert(signer, EnclaveApproval { evidence_hash, approved_at });
	}

	/// Withdraws the approval of `signer`: from now on its receipts settle nothing and no new
	/// service may name it.
	pub(crate) fn withdraw_enclave_approval(signer: &T::AccountId) -> DispatchResult {
		ensure!(ApprovedEnclaves::<T>::contains_key(signer), Error::<T>::EnclaveNotApproved);
		ApprovedEnclaves::<T>::remove(signer);
		Ok(())
	}

	/// Refuses a service whose verifiability names an enclave key governance has not approved.
	pub(crate) fn ensure_approved_verifiability(
		verifiability: &Verifiability<T::AccountId>,
	) -> DispatchResult {
		match verifiability {
			Verifiability::None => Ok(()),
			Verifiability::Tee { signer } => {
				ensure!(
					ApprovedEnclaves::<T>::contains_key(signer),
					Error::<T>::EnclaveNotApproved
				);
				Ok(())
			},
		}
	}

	/// Lets `signer`, the approved enclave key of `service`, sign receipts paid by `user`, and
	/// holds `AcknowledgementDeposit` for the entry; returns the deposit held.
	pub(crate) fn add_acknowledgement(
		user: &T::AccountId,
		service: ServiceId,
		signer: T::AccountId,
	) -> Result<BalanceOf<T>, DispatchError> {
		let info = Services::<T>::get(service).ok_or(Error::<T>::ServiceNotFound)?;
		let Verifiability::Tee { signer: enclave } = &info.verifiability else {
			return Err(Error::<T>::NotTeeService.into());
		};
		// The user names the key it checked, so a key it never saw cannot be acknowledged for
		// it (services cannot change keys, but the user's client may read a stale service).
		ensure!(*enclave == signer, Error::<T>::SignerMismatch);
		ensure!(ApprovedEnclaves::<T>::contains_key(&signer), Error::<T>::EnclaveNotApproved);
		ensure!(
			!AcknowledgedSigners::<T>::contains_key(user, service),
			Error::<T>::AlreadyAcknowledged
		);
		let deposit = T::AcknowledgementDeposit::get();
		T::Currency::hold(&HoldReason::Acknowledgement.into(), user, deposit)
			.map_err(|_| Error::<T>::InsufficientFreeBalance)?;
		AcknowledgedSigners::<T>::insert(user, service, Acknowledgement { signer, deposit });
		Ok(deposit)
	}

	/// Removes `user`'s acknowledgement for `service` (which may be gone by now) and releases
	/// its deposit; returns the amount released.
	pub(crate) fn drop_acknowledgement(
		user: &T::AccountId,
		service: ServiceId,
	) -> Result<BalanceOf<T>, DispatchError> {
		let acknowledgement =
			AcknowledgedSigners::<T>::take(user, service).ok_or(Error::<T>::NotAcknowledged)?;
		T::Currency::release(
			&HoldReason::Acknowledgement.into(),
			user,
			acknowledgement.deposit,
			Precision::BestEffort,
		)
	}

	/// Whether `signer` may sign receipts that pay from `user`'s funds for `service`: `user`
	/// acknowledged exactly that key for that service, and it is still approved.
	pub(crate) fn enclave_may_sign_for(
		user: &T::AccountId,
		service: ServiceId,
		signer: &T::AccountId,
	) -> Result<(), crate::ReceiptOutcome> {
		let acknowledged = AcknowledgedSigners::<T>::get(user, service)
			.is_some_and(|acknowledgement| acknowledgement.signer == *signer);
		ensure!(acknowledged, crate::ReceiptOutcome::SignerNotAcknowledged);
		ensure!(
			ApprovedEnclaves::<T>::contains_key(signer),
			crate::ReceiptOutcome::EnclaveNotApproved
		);
		Ok(())
	}
}
