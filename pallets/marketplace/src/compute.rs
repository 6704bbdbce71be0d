//! Compute-to-data: content keys sealed to approved enclaves, the inputs (assets and full
//! parameters) a compute job reads, and the key of its encrypted result, sealed to its user once
//! the result is paid for.
//!
//! An encrypted asset is read by a job only inside an enclave its owner sealed the key to, so a
//! user entitled to the asset (a compute grant is enough) gets the job's result and never the
//! data. The enclave, whose key governance approved after checking its attestation, opens the
//! key, reads the data for jobs whose inputs name it, and stores only the job's output,
//! encrypted; the compute marketplace tells this pallet when the user paid for it
//! ([`Pallet::note_result_paid`]), and only then may the provider seal its key to the user.

use crate::{
	pallet::*, AccessPolicy, AssetId, EnclaveKey, EncryptionKey, JobId, JobInputRecord, SealedKey,
	MIN_SEALED_KEY_LEN,
};
use polkadot_sdk::{
	frame_support::{ensure, pallet_prelude::*},
	sp_core::H256,
	sp_io::hashing::keccak_256,
	sp_runtime::DispatchResult,
};

use crate::ComputeMarket;

impl<T: Config> Pallet<T> {
	/// Seals `asset`'s key to enclave `signer` on `owner`'s word; the key it is sealed to.
	pub(crate) fn do_deliver_enclave_key(
		asset: AssetId,
		owner: &T::AccountId,
		signer: &T::AccountId,
		sealed: BoundedVec<u8, T::MaxSealedKeyLen>,
	) -> Result<EncryptionKey, DispatchError> {
		let info = Self::owned_asset(asset, owner)?;
		ensure!(info.encrypted, Error::<T>::NotEncrypted);
		ensure!(sealed.len() as u32 >= MIN_SEALED_KEY_LEN, Error::<T>::SealedKeyTooShort);
		ensure!(T::Compute::is_approved_enclave(signer), Error::<T>::NotAnEnclave);
		let recipient = EncryptionKeys::<T>::get(signer).ok_or(Error::<T>::NoEncryptionKey)?;
		let key = SealedKey { recipient, sealed };
		let record = match EnclaveKeys::<T>::get(asset, signer) {
			// A new delivery to the same enclave (its key changed, say) replaces the old one.
			Some(existing) => EnclaveKey { key, deposit: existing.deposit },
			None => {
				let count = EnclaveKeyCount::<T>::get(asset);
				ensure!(count < T::MaxEnclavesPerAsset::get(), Error::<T>::TooManyEnclaves);
				let deposit = T::GrantDeposit::get();
				Self::hold(HoldReason::GrantDeposit, owner, deposit)?;
				EnclaveKeyCount::<T>::insert(asset, count.saturating_add(1));
				EnclaveKey { key, deposit }
			},
		};
		EnclaveKeys::<T>::insert(asset, signer, record);
		Ok(recipient)
	}

	/// Withdraws `asset`'s key from enclave `signer` on `owner`'s word.
	pub(crate) fn do_revoke_enclave_key(
		asset: AssetId,
		owner: &T::AccountId,
		signer: &T::AccountId,
	) -> DispatchResult {
		Self::owned_asset(asset, owner)?;
		let record = EnclaveKeys::<T>::take(asset, signer).ok_or(Error::<T>::EnclaveNotAccepted)?;
		EnclaveKeyCount::<T>::mutate_exists(asset, |count| {
			*count = count.map(|count| count.saturating_sub(1)).filter(|count| *count > 0);
		});
		Self::release(HoldReason::GrantDeposit, owner, record.deposit);
		Ok(())
	}

	/// Records `assets` and `params` as the inputs of `user`'s open job `job`.
	pub(crate) fn do_attach_job_inputs(
		job: JobId,
		user: &T::AccountId,
		assets: BoundedVec<AssetId, T::MaxJobAssets>,
		params: BoundedVec<u8, T::MaxJobParamsLen>,
	) -> DispatchResult {
		let open = T::Compute::open_job(job).ok_or(Error::<T>::UnknownJob)?;
		ensure!(open.user == *user, Error::<T>::NotJobUser);
		ensure!(keccak_256(&params) == open.params_hash.0, Error::<T>::ParamsHashMismatch);
		ensure!(!JobInputs::<T>::contains_key(job), Error::<T>::InputsAlreadyAttached);
		// The result is sealed to the user's key once paid for: there must be one.
		ensure!(EncryptionKeys::<T>::contains_key(user), Error::<T>::NoEncryptionKey);
		for asset in assets.iter() {
			Self::check_job_may_read(*asset, user, open.enclave_signer.as_ref())?;
		}
		let deposit = T::JobInputsDeposit::get();
		Self::hold(HoldReason::GrantDeposit, user, deposit)?;
		let record = JobInputRecord {
			user: user.clone(),
			provider: open.provider,
			assets,
			params,
			deposit,
			result: None,
			result_key: None,
		};
		JobInputs::<T>::insert(job, record);
		Ok(())
	}

	/// Whether a job of `user` on a service signed by `enclave` may read `asset`: the user owns
	/// it, it is public, or the user holds an unexpired grant (either scope); and if it is
	/// encrypted, its owner sealed its key to that enclave.
	fn check_job_may_read(
		asset: AssetId,
		user: &T::AccountId,
		enclave: Option<&T::AccountId>,
	) -> DispatchResult {
		let info = Assets::<T>::get(asset).ok_or(Error::<T>::UnknownAsset)?;
		if info.owner != *user && info.policy != AccessPolicy::Public {
			Self::active_grant(asset, user)?;
		}
		if info.encrypted {
			let accepted =
				enclave.is_some_and(|signer| EnclaveKeys::<T>::contains_key(asset, signer));
			ensure!(accepted, Error::<T>::EnclaveNotAccepted);
		}
		Ok(())
	}

	/// Removes `user`'s record of job `job`, which must be over.
	pub(crate) fn do_remove_job_inputs(job: JobId, user: &T::AccountId) -> DispatchResult {
		let record = JobInputs::<T>::get(job).ok_or(Error::<T>::NoJobInputs)?;
		ensure!(record.user == *user, Error::<T>::NotJobUser);
		ensure!(T::Compute::job_finished(job), Error::<T>::JobStillOpen);
		JobInputs::<T>::remove(job);
		Self::release(HoldReason::GrantDeposit, &record.user, record.deposit);
		Ok(())
	}

	/// Notes that job `job`'s result, stored at `result_root`, was paid for: its provider may
	/// now seal the result's key to the user. Called by the compute marketplace; a job without
	/// inputs has no record and nothing happens.
	pub fn note_result_paid(job: JobId, result_root: H256) {
		JobInputs::<T>::mutate(job, |record| {
			if let Some(record) = record {
				record.result = Some(result_root);
			}
		});
	}

	/// Stores the key of job `job`'s paid-for result, sealed by `provider` to the user; the
	/// user and the key it is sealed to.
	pub(crate) fn do_deliver_result_key(
		job: JobId,
		provider: &T::AccountId,
		sealed: BoundedVec<u8, T::MaxSealedKeyLen>,
	) -> Result<(T::AccountId, EncryptionKey), DispatchError> {
		let mut record = JobInputs::<T>::get(job).ok_or(Error::<T>::NoJobInputs)?;
		ensure!(record.provider == *provider, Error::<T>::NotJobProvider);
		ensure!(record.result.is_some(), Error::<T>::ResultNotPaid);
		ensure!(record.result_key.is_none(), Error::<T>::ResultKeyAlreadyDelivered);
		ensure!(sealed.len() as u32 >= MIN_SEALED_KEY_LEN, Error::<T>::SealedKeyTooShort);
		let recipient =
			EncryptionKeys::<T>::get(&record.user).ok_or(Error::<T>::NoEncryptionKey)?;
		record.result_key = Some(SealedKey { recipient, sealed });
		let user = record.user.clone();
		JobInputs::<T>::insert(job, record);
		Ok((user, recipient))
	}
}
