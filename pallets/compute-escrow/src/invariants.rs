//! Consistency checks run by `try_state` (and after every step of the unit tests): the funds
//! the pallet accounts for are exactly the funds on hold, and the job queues agree with the
//! jobs.

use crate::{
	AcknowledgedSigners, BalanceOf, Config, DisputeQueue, Disputes, HoldReason, JobDeadlines,
	JobStatus, Jobs, Ledgers, NextJobId, NextServiceId, Pallet, ProviderJobs, ProviderServices,
	ReviewQueue, ServiceJobTerms, ServiceKind, Services, SubAccounts,
};
use alloc::collections::btree_map::BTreeMap;
use polkadot_sdk::{
	frame_support::{ensure, traits::fungible::InspectHold},
	sp_runtime::{traits::Saturating, TryRuntimeError},
};

impl<T: Config> Pallet<T> {
	/// Checks every invariant of the pallet's storage.
	pub(crate) fn do_try_state() -> Result<(), TryRuntimeError> {
		Self::check_ledgers()?;
		Self::check_services()?;
		Self::check_acknowledgements()?;
		Self::check_jobs()
	}

	/// `available + Σ sub-accounts + Σ pending refunds` equals each user's `Ledger` hold.
	fn check_ledgers() -> Result<(), TryRuntimeError> {
		let mut accounted = BTreeMap::<T::AccountId, BalanceOf<T>>::new();
		for (user, ledger) in Ledgers::<T>::iter() {
			ensure!(!ledger.is_empty(), "an empty ledger is stored");
			let pending = ledger
				.pending_refunds
				.iter()
				.fold(ledger.available, |sum, refund| sum.saturating_add(refund.amount));
			let total = accounted.entry(user).or_default();
			*total = total.saturating_add(pending);
		}
		for (user, _provider, sub) in SubAccounts::<T>::iter() {
			ensure!(sub != Default::default(), "an empty sub-account is stored");
			let total = accounted.entry(user).or_default();
			*total = total.saturating_add(sub.balance);
		}
		for (user, total) in accounted {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::Ledger.into(), &user) == total,
				"a user's ledger hold differs from its available funds, sub-accounts and refunds"
			);
		}
		Ok(())
	}

	/// The stakes of each provider's services equal its `ServiceStake` hold, and the provider
	/// lists name exactly the registered services.
	fn check_services() -> Result<(), TryRuntimeError> {
		let mut stakes = BTreeMap::<T::AccountId, BalanceOf<T>>::new();
		let next_id = NextServiceId::<T>::get();
		let mut listed_services = 0usize;
		for (id, service) in Services::<T>::iter() {
			ensure!(id < next_id, "a service id is not below NextServiceId");
			ensure!(
				ProviderServices::<T>::get(&service.provider).contains(&id),
				"a service is missing from its provider's list"
			);
			let stake = stakes.entry(service.provider).or_default();
			*stake = stake.saturating_add(service.stake);
			listed_services += 1;
		}
		let listed: usize = ProviderServices::<T>::iter_values().map(|ids| ids.len()).sum();
		ensure!(listed == listed_services, "a provider lists a service that does not exist");
		for (provider, stake) in stakes {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::ServiceStake.into(), &provider) == stake,
				"a provider's stake hold differs from the stakes of its services"
			);
		}
		Ok(())
	}

	/// Each user's `Acknowledgement` hold is the sum of the deposits of its acknowledgements.
	fn check_acknowledgements() -> Result<(), TryRuntimeError> {
		let mut deposits = BTreeMap::<T::AccountId, BalanceOf<T>>::new();
		for (user, _service, acknowledgement) in AcknowledgedSigners::<T>::iter() {
			let total = deposits.entry(user).or_default();
			*total = total.saturating_add(acknowledgement.deposit);
		}
		for (user, total) in deposits {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::Acknowledgement.into(), &user) == total,
				"a user's acknowledgement hold differs from its acknowledgements' deposits"
			);
		}
		Ok(())
	}

	/// Each user's `JobEscrow` hold is the sum of its jobs' `max_fee` and its `DisputeBond` hold
	/// the sum of its disputes' bonds; assigned jobs sit in their deadline queue and their
	/// provider's list, jobs in review in their review queue, disputed jobs in their lapse queue;
	/// each service counts its jobs; job terms belong to job services.
	fn check_jobs() -> Result<(), TryRuntimeError> {
		let mut escrows = BTreeMap::<T::AccountId, BalanceOf<T>>::new();
		let mut bonds = BTreeMap::<T::AccountId, BalanceOf<T>>::new();
		let mut open_jobs = BTreeMap::<u64, u32>::new();
		let (mut assigned, mut in_review, mut disputed) = (0usize, 0usize, 0usize);
		let next_id = NextJobId::<T>::get();
		for (id, job) in Jobs::<T>::iter() {
			ensure!(id < next_id, "a job id is not below NextJobId");
			match job.status {
				JobStatus::Assigned => {
					ensure!(
						JobDeadlines::<T>::get(job.deadline).contains(&id),
						"an assigned job is missing from its deadline queue"
					);
					ensure!(
						ProviderJobs::<T>::get(&job.provider).contains(&id),
						"an assigned job is missing from its provider's list"
					);
					assigned += 1;
				},
				JobStatus::InReview { review_ends, .. } => {
					ensure!(
						ReviewQueue::<T>::get(review_ends).contains(&id),
						"a job in review is missing from its review queue"
					);
					in_review += 1;
				},
				JobStatus::Disputed { .. } => {
					let dispute = Disputes::<T>::get(id).ok_or("a disputed job has no dispute")?;
					ensure!(
						DisputeQueue::<T>::get(dispute.lapses_at).contains(&id),
						"a dispute is missing from its lapse queue"
					);
					let bond = bonds.entry(job.user.clone()).or_default();
					*bond = bond.saturating_add(dispute.bond);
					disputed += 1;
				},
			}
			let escrow = escrows.entry(job.user).or_default();
			*escrow = escrow.saturating_add(job.max_fee);
			*open_jobs.entry(job.service).or_default() += 1;
		}
		let queued: usize = JobDeadlines::<T>::iter_values().map(|ids| ids.len()).sum();
		ensure!(queued == assigned, "a deadline queue names a job that is not assigned");
		let listed: usize = ProviderJobs::<T>::iter_values().map(|ids| ids.len()).sum();
		ensure!(listed == assigned, "a provider list names a job that is not assigned");
		let reviewing: usize = ReviewQueue::<T>::iter_values().map(|ids| ids.len()).sum();
		ensure!(reviewing == in_review, "a review queue names a job that is not in review");
		let lapsing: usize = DisputeQueue::<T>::iter_values().map(|ids| ids.len()).sum();
		ensure!(lapsing == disputed, "a dispute queue names a job that is not disputed");
		ensure!(
			Disputes::<T>::iter_keys().count() == disputed,
			"a dispute record names a job that is not disputed"
		);
		for (user, bond) in &bonds {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::DisputeBond.into(), user) == *bond,
				"a user's dispute bond hold differs from the bonds of its disputes"
			);
		}
		ensure!(
			ServiceJobTerms::<T>::iter_keys().all(|id| {
				Services::<T>::get(id).is_some_and(|service| service.kind == ServiceKind::Job)
			}),
			"job terms belong to a service that is not a job service"
		);
		for (user, escrow) in escrows {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::JobEscrow.into(), &user) == escrow,
				"a user's escrow hold differs from the max fees of its jobs"
			);
		}
		for (id, service) in Services::<T>::iter() {
			ensure!(
				open_jobs.get(&id).copied().unwrap_or_default() == service.open_jobs,
				"a service's open job count differs from its jobs"
			);
		}
		ensure!(
			open_jobs.keys().all(Services::<T>::contains_key),
			"a job belongs to a service that does not exist"
		);
		Ok(())
	}
}
