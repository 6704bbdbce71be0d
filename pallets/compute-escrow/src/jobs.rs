//! Jobs: the provider's terms, escrow, assignment to the service's provider, results, review,
//! and the deadlines and review windows that `on_initialize` enforces. Disputes are in
//! `disputes.rs`.

use crate::{
	BalanceOf, Config, DisputeQueue, Error, Event, HoldReason, JobDeadlines, JobId, JobInfo,
	JobResult, JobStatus, JobTerms, Jobs, NextJobId, OnResultPaid, Pallet, ProviderJobs,
	ReviewQueue, ServiceId, ServiceJobTerms, ServiceKind, Services, WeightInfo, LOG_TARGET,
	QUEUE_SPILL_BLOCKS,
};
use alloc::vec::Vec;
use polkadot_sdk::{
	frame_support::{
		ensure,
		pallet_prelude::*,
		traits::{fungible::MutateHold, tokens::Precision},
	},
	frame_system::{self, pallet_prelude::BlockNumberFor},
	sp_core::H256,
	sp_runtime::traits::{One, Saturating, Zero},
};
use zerog_primitives::storage::StoredFiles;

impl<T: Config> Pallet<T> {
	/// The jobs assigned to `provider` that still wait for its result, oldest first, at most
	/// `MaxPendingJobsPerProvider`: what the provider's off-chain worker has to run.
	pub fn jobs_for_provider(provider: &T::AccountId) -> Vec<(JobId, JobInfo<T>)> {
		ProviderJobs::<T>::get(provider)
			.into_iter()
			.filter_map(|id| Jobs::<T>::get(id).map(|job| (id, job)))
			.collect()
	}

	/// The jobs of `provider`'s job services that still wait for its result, oldest first: what
	/// the provider's off-chain worker dispatches to the executor.
	///
	/// [`Self::jobs_for_provider`] with every entry checked again against the job and its
	/// service, so the worker never acts on a job that is not the provider's to answer.
	pub fn pending_jobs_of(provider: &T::AccountId) -> Vec<(JobId, JobInfo<T>)> {
		Self::jobs_for_provider(provider)
			.into_iter()
			.filter(|(_, job)| {
				job.provider == *provider
					&& job.status == JobStatus::Assigned
					&& Services::<T>::get(job.service).is_some_and(|service| {
						service.kind == ServiceKind::Job && service.provider == *provider
					})
			})
			.collect()
	}

	/// Checks and stores a new job of `user` for service `service_id`, escrows `max_fee` and
	/// assigns the job to the service's provider; returns the job id and the provider.
	pub(crate) fn open_job(
		user: &T::AccountId,
		service_id: ServiceId,
		dataset_root: H256,
		params_hash: H256,
		max_fee: BalanceOf<T>,
		deadline: BlockNumberFor<T>,
	) -> Result<(JobId, T::AccountId), DispatchError> {
		let service = Services::<T>::get(service_id).ok_or(Error::<T>::ServiceNotFound)?;
		ensure!(service.kind == ServiceKind::Job, Error::<T>::NotJobService);
		ensure!(service.stake >= T::MinServiceStake::get(), Error::<T>::ServiceUnderstaked);
		ensure!(!max_fee.is_zero(), Error::<T>::ZeroAmount);
		let terms = ServiceJobTerms::<T>::get(service_id).unwrap_or_default();
		ensure!(max_fee >= terms.min_fee, Error::<T>::FeeBelowMinimum);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(
			deadline >= now.saturating_add(T::MinJobDuration::get()),
			Error::<T>::DeadlineTooSoon
		);
		ensure!(
			deadline <= now.saturating_add(T::MaxJobDuration::get()),
			Error::<T>::DeadlineTooFar
		);
		// A job on data nobody stores could only be declined or slashed: refuse it here.
		let dataset =
			T::StoredFiles::live_file(&dataset_root).ok_or(Error::<T>::DatasetNotStored)?;
		ensure!(dataset.expires_at > deadline, Error::<T>::DatasetExpiresBeforeDeadline);
		ensure!(
			terms.max_dataset_size.is_none_or(|largest| dataset.size <= largest),
			Error::<T>::DatasetTooLarge
		);
		let id = NextJobId::<T>::get();
		let next_id = id.checked_add(1).ok_or(Error::<T>::CounterOverflow)?;
		JobDeadlines::<T>::try_mutate(deadline, |ids| ids.try_push(id))
			.map_err(|_| Error::<T>::DeadlineQueueFull)?;
		ProviderJobs::<T>::try_mutate(&service.provider, |ids| ids.try_push(id))
			.map_err(|_| Error::<T>::TooManyPendingJobs)?;
		T::Currency::hold(&HoldReason::JobEscrow.into(), user, max_fee)
			.map_err(|_| Error::<T>::InsufficientFreeBalance)?;
		Self::count_open_job(service_id)?;
		NextJobId::<T>::put(next_id);
		Jobs::<T>::insert(
			id,
			JobInfo {
				service: service_id,
				user: user.clone(),
				provider: service.provider.clone(),
				dataset_root,
				params_hash,
				max_fee,
				deadline,
				status: JobStatus::Assigned,
			},
		);
		Ok((id, service.provider))
	}

	/// Records `provider`'s result for job `id` and starts the review window; returns the block
	/// it ends at.
	pub(crate) fn record_result(
		provider: &T::AccountId,
		id: JobId,
		result: JobResult<BalanceOf<T>>,
	) -> Result<BlockNumberFor<T>, DispatchError> {
		let mut job = Self::assigned_job(provider, id)?;
		ensure!(result.fee_used <= job.max_fee, Error::<T>::FeeAboveMaxFee);
		let first =
			frame_system::Pallet::<T>::block_number().saturating_add(T::ReviewPeriod::get());
		let review_ends = Self::first_block_with_room(first, |block| {
			ReviewQueue::<T>::decode_len(block).unwrap_or_default()
		})
		.ok_or(Error::<T>::ReviewQueueFull)?;
		// The user must be able to fetch the result for as long as it may review it.
		let output =
			T::StoredFiles::live_file(&result.result_root).ok_or(Error::<T>::ResultNotStored)?;
		ensure!(output.expires_at > review_ends, Error::<T>::ResultNotStored);
		ReviewQueue::<T>::try_mutate(review_ends, |ids| ids.try_push(id))
			.map_err(|_| Error::<T>::ReviewQueueFull)?;
		Self::remove_from_deadlines(job.deadline, id);
		Self::remove_from_provider_jobs(&job.provider, id);
		job.status = JobStatus::InReview { result, review_ends };
		Jobs::<T>::insert(id, job);
		Ok(review_ends)
	}

	/// `user` accepts job `id`'s result: pays the provider and releases the rest; returns
	/// (paid, refunded).
	pub(crate) fn accept_job_result(
		user: &T::AccountId,
		id: JobId,
	) -> Result<(BalanceOf<T>, BalanceOf<T>), DispatchError> {
		let job = Self::user_job(user, id)?;
		let (result, review_ends) = Self::result_in_review(&job)?;
		Self::remove_from_reviews(review_ends, id);
		let payout = Self::pay_out_escrow(&job, result.fee_used)?;
		T::OnResultPaid::on_result_paid(id, result.result_root);
		Self::finish_job(id, &job);
		Ok(payout)
	}

	/// `provider` declines assigned job `id`: the whole escrow goes back to the user; returns
	/// the amount refunded.
	pub(crate) fn withdraw_job(
		provider: &T::AccountId,
		id: JobId,
	) -> Result<BalanceOf<T>, DispatchError> {
		let job = Self::assigned_job(provider, id)?;
		Self::remove_from_deadlines(job.deadline, id);
		Self::remove_from_provider_jobs(&job.provider, id);
		let (_, refunded) = Self::pay_out_escrow(&job, Zero::zero())?;
		Self::finish_job(id, &job);
		Ok(refunded)
	}

	/// Expires the jobs whose deadline is `now`, accepts the results whose review ends at
	/// `now` and lets the disputes that lapse at `now` stand; returns the weight used.
	pub(crate) fn process_due_jobs(now: BlockNumberFor<T>) -> Weight {
		let expired = JobDeadlines::<T>::take(now);
		let reviewed = ReviewQueue::<T>::take(now);
		let lapsed = DisputeQueue::<T>::take(now);
		for id in &expired {
			Self::expire_job(*id);
		}
		for id in &reviewed {
			Self::auto_accept(*id);
		}
		for id in &lapsed {
			Self::lapse_dispute(*id); // disputes.rs
		}
		// Each accepted result and each lapsed dispute pays for a result.
		let paid = (reviewed.len() as u64).saturating_add(lapsed.len() as u64);
		T::WeightInfo::on_initialize(
			expired.len() as u32,
			reviewed.len() as u32,
			lapsed.len() as u32,
		)
		.saturating_add(T::OnResultPaid::weight().saturating_mul(paid))
	}

	/// Stores `terms` for `provider`'s job service `id`.
	pub(crate) fn store_job_terms(
		provider: &T::AccountId,
		id: ServiceId,
		terms: JobTerms<BalanceOf<T>>,
	) -> DispatchResult {
		let service = Self::provider_service(provider, id)?; // services.rs
		ensure!(service.kind == ServiceKind::Job, Error::<T>::NotJobService);
		ServiceJobTerms::<T>::insert(id, terms);
		Ok(())
	}

	/// The first of the [`QUEUE_SPILL_BLOCKS`] blocks from `first` whose queue, of the length
	/// `queued` reports, has room for one more job; `None` if they are all full. A burst of
	/// results or disputes spills into the next blocks instead of failing.
	pub(crate) fn first_block_with_room(
		first: BlockNumberFor<T>,
		queued: impl Fn(BlockNumberFor<T>) -> usize,
	) -> Option<BlockNumberFor<T>> {
		let room = T::MaxJobsPerBlock::get() as usize;
		let mut block = first;
		for _ in 0..QUEUE_SPILL_BLOCKS {
			if queued(block) < room {
				return Some(block);
			}
			block = block.saturating_add(One::one());
		}
		None
	}

	/// Refunds an assigned job that missed its deadline and slashes its service's stake.
	fn expire_job(id: JobId) {
		let Some(job) = Jobs::<T>::get(id) else {
			log::error!(target: LOG_TARGET, "deadline queue names unknown job {id}");
			return;
		};
		if job.status != JobStatus::Assigned {
			log::error!(target: LOG_TARGET, "deadline queue names job {id} that has a result");
			return;
		}
		Self::remove_from_provider_jobs(&job.provider, id);
		let (_, refunded) = Self::pay_out_escrow_best_effort(&job, Zero::zero());
		let slashed = Self::slash_service(job.service, T::SlashFraction::get());
		Self::finish_job(id, &job);
		Self::deposit_event(Event::JobExpired {
			job: id,
			provider: job.provider,
			refunded,
			slashed,
		});
	}

	/// Accepts a result whose review window ended without an answer from the user.
	fn auto_accept(id: JobId) {
		let Some(job) = Jobs::<T>::get(id) else {
			log::error!(target: LOG_TARGET, "review queue names unknown job {id}");
			return;
		};
		let JobStatus::InReview { result, .. } = &job.status else {
			log::error!(target: LOG_TARGET, "review queue names job {id} that is not in review");
			return;
		};
		let (fee_paid, refunded) = Self::pay_out_escrow_best_effort(&job, result.fee_used);
		T::OnResultPaid::on_result_paid(id, result.result_root);
		Self::finish_job(id, &job);
		Self::deposit_event(Event::ResultAutoAccepted { job: id, fee_paid, refunded });
	}

	/// Pays `to_provider` of `job`'s escrow to its provider and releases the rest to its user;
	/// returns (paid, refunded). Fails, changing nothing the caller keeps, if the escrow is
	/// short.
	pub(crate) fn pay_out_escrow(
		job: &JobInfo<T>,
		to_provider: BalanceOf<T>,
	) -> Result<(BalanceOf<T>, BalanceOf<T>), DispatchError> {
		let paid = Self::pay_from_hold(
			HoldReason::JobEscrow,
			&job.user,
			&job.provider,
			to_provider,
			Precision::Exact,
		)?;
		let refunded = T::Currency::release(
			&HoldReason::JobEscrow.into(),
			&job.user,
			job.max_fee.saturating_sub(paid),
			Precision::Exact,
		)?;
		Ok((paid, refunded))
	}

	/// [`Self::pay_out_escrow`] for hooks, which cannot fail: pays what it can and releases the
	/// rest, logging anything that goes wrong.
	pub(crate) fn pay_out_escrow_best_effort(
		job: &JobInfo<T>,
		to_provider: BalanceOf<T>,
	) -> (BalanceOf<T>, BalanceOf<T>) {
		let paid = Self::pay_from_hold(
			HoldReason::JobEscrow,
			&job.user,
			&job.provider,
			to_provider,
			Precision::BestEffort,
		)
		.unwrap_or_else(|error| {
			log::error!(target: LOG_TARGET, "paying the provider from an escrow failed: {error:?}");
			Zero::zero()
		});
		let refunded = T::Currency::release(
			&HoldReason::JobEscrow.into(),
			&job.user,
			job.max_fee.saturating_sub(paid),
			Precision::BestEffort,
		)
		.unwrap_or_else(|error| {
			log::error!(target: LOG_TARGET, "releasing an escrow failed: {error:?}");
			Zero::zero()
		});
		(paid, refunded)
	}

	/// Job `id`, if it is assigned to `provider`, has no result yet and its deadline has not
	/// passed.
	fn assigned_job(provider: &T::AccountId, id: JobId) -> Result<JobInfo<T>, DispatchError> {
		let job = Jobs::<T>::get(id).ok_or(Error::<T>::JobNotFound)?;
		ensure!(job.provider == *provider, Error::<T>::NotJobProvider);
		ensure!(job.status == JobStatus::Assigned, Error::<T>::ResultAlreadySubmitted);
		ensure!(
			frame_system::Pallet::<T>::block_number() < job.deadline,
			Error::<T>::DeadlinePassed
		);
		Ok(job)
	}

	/// Job `id`, if `user` created it.
	pub(crate) fn user_job(user: &T::AccountId, id: JobId) -> Result<JobInfo<T>, DispatchError> {
		let job = Jobs::<T>::get(id).ok_or(Error::<T>::JobNotFound)?;
		ensure!(job.user == *user, Error::<T>::NotJobUser);
		Ok(job)
	}

	/// The result of `job` and the block its review ends, if it is in review.
	pub(crate) fn result_in_review(
		job: &JobInfo<T>,
	) -> Result<(JobResult<BalanceOf<T>>, BlockNumberFor<T>), DispatchError> {
		match &job.status {
			JobStatus::InReview { result, review_ends } => Ok((result.clone(), *review_ends)),
			JobStatus::Assigned => Err(Error::<T>::ResultNotSubmitted.into()),
			JobStatus::Disputed { .. } => Err(Error::<T>::AlreadyDisputed.into()),
		}
	}

	/// Removes a finished job and its count on the service.
	pub(crate) fn finish_job(id: JobId, job: &JobInfo<T>) {
		Jobs::<T>::remove(id);
		Self::count_finished_job(job.service);
	}

	/// Removes job `id` from a per-block queue or provider list, deleting the entry once it
	/// is empty.
	pub(crate) fn remove_job_id<S: Get<u32>>(ids: &mut Option<BoundedVec<JobId, S>>, id: JobId) {
		if let Some(list) = ids {
			list.retain(|other| *other != id);
			if list.is_empty() {
				*ids = None;
			}
		}
	}

	/// Removes job `id` from the deadline queue of `block`.
	fn remove_from_deadlines(block: BlockNumberFor<T>, id: JobId) {
		JobDeadlines::<T>::mutate_exists(block, |ids| Self::remove_job_id(ids, id));
	}

	/// Removes job `id` from the review queue of `block`.
	pub(crate) fn remove_from_reviews(block: BlockNumberFor<T>, id: JobId) {
		ReviewQueue::<T>::mutate_exists(block, |ids| Self::remove_job_id(ids, id));
	}

	/// Removes job `id` from `provider`'s list of jobs waiting for a result.
	fn remove_from_provider_jobs(provider: &T::AccountId, id: JobId) {
		ProviderJobs::<T>::mutate_exists(provider, |ids| Self::remove_job_id(ids, id));
	}
}
