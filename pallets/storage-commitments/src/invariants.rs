//! Consistency checks run by `try_state` (and after every unit test): the pool holds exactly the
//! rewards not yet released, the log, its index and the challengeable set agree, and the stakes
//! and challenges the pallet accounts for are the ones on hold and in storage.

use crate::{
	AckedFileCount, AckedFiles, ActiveFileCount, ActiveFiles, ActiveProviders, AssignedFiles,
	BalanceOf, ChallengeStatus, Challenges, Config, FailedReplicas, FileIndex, Files, HoldReason,
	NextFileId, NextToActivate, Pallet, PendingChallenges, PeriodChallenges, Pool,
	ProviderCapacity, ProviderStatus, Providers, RefundsOut, Replicas,
};
use alloc::{collections::btree_map::BTreeMap, vec::Vec};
use polkadot_sdk::{
	frame_support::{
		ensure,
		traits::{
			fungible::{Inspect, InspectHold},
			Get,
		},
	},
	frame_system,
	sp_runtime::{
		traits::{One, Saturating, Zero},
		TryRuntimeError,
	},
};

impl<T: Config> Pallet<T> {
	/// Checks every invariant of the pallet's storage.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		Self::check_files()?;
		Self::check_pool()?;
		Self::check_providers()?;
		Self::check_challenges()?;
		Self::check_replicas()?;
		Self::check_failed_replicas()
	}

	/// Only live files remember providers that failed them, none of whom holds the file again.
	fn check_failed_replicas() -> Result<(), TryRuntimeError> {
		for (id, failed) in FailedReplicas::<T>::iter() {
			ensure!(Files::<T>::contains_key(id), "a file that left the log remembers failures");
			let set = Replicas::<T>::get(id).ok_or("a file with failures has no replica set")?;
			ensure!(
				failed.iter().all(|provider| !set.holds(provider)),
				"a provider that failed a file was given it again"
			);
		}
		Ok(())
	}

	/// Every live file has a replica set and only live files do; a set holds at most `wanted`
	/// distinct providers, each indexed under `AssignedFiles`, and each acknowledged one at its
	/// position of the provider's dense challengeable set; each provider's used capacity is the
	/// size of the files assigned to it; queued and released files are bounded lists.
	fn check_replicas() -> Result<(), TryRuntimeError> {
		let mut assigned = 0usize;
		let mut acked = 0usize;
		let mut used = BTreeMap::<T::AccountId, u64>::new();
		for (id, set) in Replicas::<T>::iter() {
			let file = Files::<T>::get(id).ok_or("a replica set has no file")?;
			ensure!(set.wanted > 0, "a file wants no replica");
			ensure!(set.holders.len() <= usize::from(set.wanted), "a file has too many replicas");
			let mut providers: Vec<_> = set.holders.iter().map(|r| &r.provider).collect();
			providers.sort();
			providers.dedup();
			ensure!(providers.len() == set.holders.len(), "a provider holds a file twice");
			for replica in set.holders.iter() {
				ensure!(
					AssignedFiles::<T>::contains_key(&replica.provider, id),
					"a replica is missing from AssignedFiles"
				);
				let entry = used.entry(replica.provider.clone()).or_default();
				*entry = entry.saturating_add(file.size);
				if let Some(position) = replica.acked_position {
					ensure!(
						AckedFiles::<T>::get(&replica.provider, position) == Some(id),
						"an acknowledged replica is not at its position"
					);
					acked += 1;
				}
			}
			assigned += set.holders.len();
		}
		ensure!(
			Files::<T>::iter_keys().all(Replicas::<T>::contains_key),
			"a live file has no replica set"
		);
		ensure!(AssignedFiles::<T>::iter().count() == assigned, "AssignedFiles names a stranger");
		ensure!(AckedFiles::<T>::iter().count() == acked, "AckedFiles names a stranger");
		for (provider, count) in AckedFileCount::<T>::iter() {
			ensure!(count > 0, "an empty challengeable set is stored");
			ensure!(
				AckedFiles::<T>::iter_prefix(&provider).all(|(position, _)| position < count),
				"a provider's challengeable set has a position past its count"
			);
			ensure!(
				AckedFiles::<T>::iter_prefix(&provider).count() as u32 == count,
				"a provider's challengeable set has holes"
			);
		}
		for (provider, capacity) in ProviderCapacity::<T>::iter() {
			ensure!(
				capacity.used == used.remove(&provider).unwrap_or_default(),
				"a provider's used capacity differs from its files"
			);
		}
		ensure!(used.values().all(|bytes| *bytes == 0), "a holder has no capacity record");
		Ok(())
	}

	/// Every live file is indexed under its commitment, is challengeable exactly when its id is
	/// below `NextToActivate`, and sits at its recorded position of a dense challengeable set;
	/// its tags are non-empty and distinct.
	fn check_files() -> Result<(), TryRuntimeError> {
		let next_id = NextFileId::<T>::get();
		let next_to_activate = NextToActivate::<T>::get();
		ensure!(next_to_activate <= next_id, "NextToActivate is past the end of the log");
		let mut files = 0u64;
		let mut active = 0u32;
		for (id, file) in Files::<T>::iter() {
			files += 1;
			ensure!(id < next_id, "a file id is not below NextFileId");
			ensure!(file.size > 0, "a file is empty");
			ensure!(
				FileIndex::<T>::get(file.root, file.size) == Some(id),
				"a file is missing from the commitment index"
			);
			ensure!(
				file.active_position.is_some() == (id < next_to_activate),
				"a file's activation disagrees with NextToActivate"
			);
			if let Some(position) = file.active_position {
				ensure!(
					ActiveFiles::<T>::get(position) == Some(id),
					"a file is not at its position in the challengeable set"
				);
				active += 1;
			}
			ensure!(file.tags.iter().all(|tag| !tag.is_empty()), "a file has an empty tag");
			let mut tags: Vec<_> = file.tags.iter().collect();
			tags.sort();
			tags.dedup();
			ensure!(tags.len() == file.tags.len(), "a file has a duplicate tag");
		}
		ensure!(
			FileIndex::<T>::iter().count() as u64 == files,
			"the commitment index names a file that does not exist"
		);
		let count = ActiveFileCount::<T>::get();
		ensure!(active == count, "ActiveFileCount differs from the activated files");
		ensure!(
			ActiveFiles::<T>::iter_keys().all(|position| position < count),
			"the challengeable set has a position past ActiveFileCount"
		);
		ensure!(
			ActiveFiles::<T>::iter().count() as u32 == count,
			"the challengeable set has holes"
		);
		Ok(())
	}

	/// Above its endowment, the pool account holds the sum of the live files' remaining rewards,
	/// which is also `fees_in − rewards_out − unearned_out`.
	fn check_pool() -> Result<(), TryRuntimeError> {
		let remaining = Files::<T>::iter_values()
			.fold(BalanceOf::<T>::zero(), |sum, file| sum.saturating_add(file.reward_remaining));
		let totals = Pool::<T>::get();
		let refunds = RefundsOut::<T>::get();
		ensure!(
			totals
				.fees_in
				.saturating_sub(totals.rewards_out)
				.saturating_sub(totals.unearned_out)
				.saturating_sub(refunds)
				== remaining,
			"fees in minus rewards, unearned and refunds out differ from the files' rewards"
		);
		ensure!(
			totals.rewards_out.saturating_add(totals.unearned_out).saturating_add(refunds)
				<= totals.fees_in,
			"more left the pool than was paid into it"
		);
		let balance = T::Currency::balance(&Self::pool_account());
		let endowment =
			if balance.is_zero() { Zero::zero() } else { T::Currency::minimum_balance() };
		ensure!(
			balance == endowment.saturating_add(remaining),
			"the pool balance differs from its endowment plus the files' remaining rewards"
		);
		Ok(())
	}

	/// Each provider's stake is its hold; the active list names exactly the active providers,
	/// once each; each provider counts its challenges.
	fn check_providers() -> Result<(), TryRuntimeError> {
		let listed = ActiveProviders::<T>::get();
		let mut sorted: Vec<_> = listed.iter().collect();
		sorted.sort();
		sorted.dedup();
		ensure!(sorted.len() == listed.len(), "a provider is listed twice as active");
		let mut active = 0usize;
		for (provider, info) in Providers::<T>::iter() {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::ProviderStake.into(), &provider)
					== info.stake,
				"a provider's stake differs from its hold"
			);
			if info.status == ProviderStatus::Active {
				ensure!(listed.contains(&provider), "an active provider is not listed");
				active += 1;
			}
			ensure!(
				Challenges::<T>::iter_prefix(&provider).count() as u32 == info.open_challenges,
				"a provider's challenge count differs from its challenges"
			);
		}
		ensure!(active == listed.len(), "a listed provider is not active");
		Ok(())
	}

	/// Every challenge belongs to a provider, is listed under its period, is for a real chunk,
	/// and is still before or at its deadline.
	fn check_challenges() -> Result<(), TryRuntimeError> {
		let mut per_period = BTreeMap::<u32, usize>::new();
		for (provider, period, challenge) in Challenges::<T>::iter() {
			ensure!(Providers::<T>::contains_key(&provider), "a challenge has no provider");
			ensure!(
				PeriodChallenges::<T>::get(period).contains(&provider),
				"a challenge is missing from its period's list"
			);
			ensure!(
				challenge.chunk_index < zerog_primitives::storage::chunk_count(challenge.size),
				"a challenge asks for a chunk past the end of its file"
			);
			let first_deadline =
				Self::period_start(period).saturating_add(T::ResponseWindow::get());
			ensure!(
				(first_deadline..=Self::period_deadline(period)).contains(&challenge.deadline),
				"a challenge's deadline is not one of its period's"
			);
			ensure!(
				matches!(challenge.status, ChallengeStatus::Open | ChallengeStatus::Proven),
				"a challenge has an unknown status"
			);
			*per_period.entry(period).or_default() += 1;
		}
		for (period, providers) in PeriodChallenges::<T>::iter() {
			ensure!(
				per_period.get(&period).copied().unwrap_or_default() == providers.len(),
				"a period lists a provider without a challenge"
			);
		}
		Self::check_pending_challenges()
	}

	/// Providers wait for a challenge only within a spread, before its last block, and only
	/// registered ones.
	fn check_pending_challenges() -> Result<(), TryRuntimeError> {
		let pending = PendingChallenges::<T>::get();
		if pending.is_empty() {
			return Ok(());
		}
		let now = frame_system::Pallet::<T>::block_number();
		let last = T::ChallengeSpread::get().saturating_sub(One::one());
		ensure!(
			Self::spread_slot(now).is_some_and(|(_, offset)| offset < last),
			"providers wait for a challenge after the spread"
		);
		ensure!(
			pending.iter().all(Providers::<T>::contains_key),
			"an unregistered provider waits for a challenge"
		);
		Ok(())
	}
}
