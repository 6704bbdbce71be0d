//! Disputes: a user contests a result within its review window by putting a bond on hold;
//! `DisputeOrigin` splits the fee, or after `DisputePeriod` the dispute lapses and the result
//! stands, so no dispute locks a provider's pay for good.

use crate::{
	BalanceOf, Config, DisputeInfo, DisputeInfoOf, DisputeQueue, Disputes, Error, Event,
	HoldReason, JobId, JobStatus, Jobs, OnResultPaid, Pallet, LOG_TARGET,
};
use polkadot_sdk::{
	frame_support::{
		ensure,
		pallet_prelude::*,
		traits::{fungible::MutateHold, tokens::Precision},
	},
	frame_system,
	sp_runtime::{
		traits::{Saturating, Zero},
		Perbill,
	},
};

impl<T: Config> Pallet<T> {
	/// `user` disputes job `id`'s result within the review window: holds `DisputeBond`, freezes
	/// the escrow and queues the dispute to lapse `DisputePeriod` blocks later (or in the first
	/// block after with room).
	pub(crate) fn open_dispute(
		user: &T::AccountId,
		id: JobId,
	) -> Result<DisputeInfoOf<T>, DispatchError> {
		let mut job = Self::user_job(user, id)?;
		let (result, review_ends) = Self::result_in_review(&job)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now < review_ends, Error::<T>::ReviewWindowClosed);
		let lapses_at =
			Self::first_block_with_room(now.saturating_add(T::DisputePeriod::get()), |block| {
				DisputeQueue::<T>::decode_len(block).unwrap_or_default()
			})
			.ok_or(Error::<T>::DisputeQueueFull)?;
		let bond = T::DisputeBond::get();
		T::Currency::hold(&HoldReason::DisputeBond.into(), user, bond)
			.map_err(|_| Error::<T>::InsufficientFreeBalance)?;
		DisputeQueue::<T>::try_mutate(lapses_at, |ids| ids.try_push(id))
			.map_err(|_| Error::<T>::DisputeQueueFull)?;
		Self::remove_from_reviews(review_ends, id);
		let dispute = DisputeInfo { bond, lapses_at };
		Disputes::<T>::insert(id, dispute.clone());
		job.status = JobStatus::Disputed { result };
		Jobs::<T>::insert(id, job);
		Ok(dispute)
	}

	/// Pays `provider_share` of disputed job `id`'s `fee_used` to the provider and the rest of
	/// the escrow back to the user; the bond goes to the provider if its share is 100 %, else
	/// back to the user. Returns (paid, refunded, bond forfeited).
	pub(crate) fn close_dispute(
		id: JobId,
		provider_share: Perbill,
	) -> Result<(BalanceOf<T>, BalanceOf<T>, BalanceOf<T>), DispatchError> {
		let job = Jobs::<T>::get(id).ok_or(Error::<T>::JobNotFound)?;
		let JobStatus::Disputed { result } = &job.status else {
			return Err(Error::<T>::JobNotDisputed.into());
		};
		let dispute = Disputes::<T>::get(id).ok_or(Error::<T>::JobNotDisputed)?;
		let (paid, refunded) =
			Self::pay_out_escrow(&job, provider_share.mul_floor(result.fee_used))?;
		let forfeited = if provider_share == Perbill::one() {
			Self::pay_from_hold(
				HoldReason::DisputeBond,
				&job.user,
				&job.provider,
				dispute.bond,
				Precision::Exact,
			)?
		} else {
			T::Currency::release(
				&HoldReason::DisputeBond.into(),
				&job.user,
				dispute.bond,
				Precision::Exact,
			)?;
			Zero::zero()
		};
		Self::forget_dispute(id, &dispute);
		// A result the provider was given no share for is not the user's.
		if !provider_share.is_zero() {
			T::OnResultPaid::on_result_paid(id, result.result_root);
		}
		Self::finish_job(id, &job);
		Ok((paid, refunded, forfeited))
	}

	/// Lets the result of job `id`, whose dispute nobody resolved in time, stand: the provider
	/// is paid `fee_used` and the bond is released.
	pub(crate) fn lapse_dispute(id: JobId) {
		let Some(job) = Jobs::<T>::get(id) else {
			log::error!(target: LOG_TARGET, "dispute queue names unknown job {id}");
			return;
		};
		let JobStatus::Disputed { result } = &job.status else {
			log::error!(target: LOG_TARGET, "dispute queue names job {id} that is not disputed");
			return;
		};
		let bond = Disputes::<T>::take(id).map(|dispute| dispute.bond).unwrap_or_default();
		let (fee_paid, refunded) = Self::pay_out_escrow_best_effort(&job, result.fee_used);
		T::OnResultPaid::on_result_paid(id, result.result_root);
		let bond_released = T::Currency::release(
			&HoldReason::DisputeBond.into(),
			&job.user,
			bond,
			Precision::BestEffort,
		)
		.unwrap_or_else(|error| {
			log::error!(target: LOG_TARGET, "releasing a dispute bond failed: {error:?}");
			Zero::zero()
		});
		Self::finish_job(id, &job);
		Self::deposit_event(Event::DisputeLapsed { job: id, fee_paid, refunded, bond_released });
	}

	/// Removes dispute `id` from its record and its lapse queue.
	fn forget_dispute(id: JobId, dispute: &DisputeInfoOf<T>) {
		Disputes::<T>::remove(id);
		DisputeQueue::<T>::mutate_exists(dispute.lapses_at, |ids| Self::remove_job_id(ids, id));
	}
}
