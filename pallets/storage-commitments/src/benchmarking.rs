//! Benchmarks, one per call and one per part of `on_initialize`; each sets up the worst case of
//! its weight.
//!
//! Files are all-zero files, whose root and chunk proofs `zero_file_chunk_proof` builds without
//! the data, so `submit_proof` is measured on the deepest tree `MaxFileSize` allows. Lists that a
//! call only scans (the active providers) are filled to their bound with placeholder accounts.

use super::*;
use crate::Pallet as StorageCommitments;
use alloc::vec::Vec;
use polkadot_sdk::{
	frame_benchmarking::v2::*,
	frame_support::{pallet_prelude::*, traits::fungible::Mutate},
	frame_system::{pallet_prelude::BlockNumberFor, Pallet as System, RawOrigin},
	sp_runtime::traits::{Bounded, One, Saturating},
};
use zerog_primitives::storage::{chunk_count, chunk_len, zero_file_chunk_proof};

const SEED: u32 = 0;

/// Funds `who` with far more than any benchmark spends.
fn fund<T: Config>(who: &T::AccountId) {
	T::Currency::set_balance(who, BalanceOf::<T>::max_value() / 1_000_000u32.into());
}

/// A funded account.
fn funded_account<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who = account(name, index, SEED);
	fund::<T>(&who);
	who
}

/// An endpoint of `MaxEndpointLen` bytes.
fn longest_endpoint<T: Config>() -> Endpoint<T> {
	BoundedVec::truncate_from(alloc::vec![b'e'; T::MaxEndpointLen::get() as usize])
}

/// `MaxTags` distinct tags of `MaxTagLen` bytes each.
fn most_tags<T: Config>() -> FileTags<T> {
	let len = T::MaxTagLen::get() as usize;
	let tags: Vec<FileTag<T>> = (0..T::MaxTags::get())
		.map(|i| {
			let mut tag = alloc::vec![b't'; len];
			tag.iter_mut().zip(i.to_le_bytes()).for_each(|(byte, from)| *byte = from);
			BoundedVec::truncate_from(tag)
		})
		.collect();
	BoundedVec::truncate_from(tags)
}

/// The root of the all-zero file of `MaxFileSize` bytes.
fn largest_zero_root<T: Config>() -> H256 {
	zero_file_chunk_proof(T::MaxFileSize::get(), 0).map(|(root, _)| root).unwrap_or_default()
}

/// The provider that stores the benchmarks' files: registered (once) with room for anything.
fn store_provider<T: Config>() -> Result<T::AccountId, BenchmarkError> {
	let provider: T::AccountId = account("store", 0, SEED);
	if !Providers::<T>::contains_key(&provider) {
		fund::<T>(&provider);
		StorageCommitments::<T>::register_provider(
			RawOrigin::Signed(provider.clone()).into(),
			T::MinProviderStake::get(),
			longest_endpoint::<T>(),
		)?;
		ProviderCapacity::<T>::insert(&provider, Capacity { declared: u64::MAX, used: 0 });
	}
	Ok(provider)
}

/// Takes the store provider off the active list, so that `MaxProviders` others fit; it keeps
/// its replicas.
fn retire_store<T: Config>() -> Result<(), BenchmarkError> {
	let store = store_provider::<T>()?;
	ActiveProviders::<T>::mutate(|active| active.retain(|provider| provider != &store));
	Ok(())
}

/// Gives `provider` a replica of file `id` outside the draw, acknowledged if `acked`.
fn grant<T: Config>(
	provider: &T::AccountId,
	id: FileId,
	acked: bool,
) -> Result<(), BenchmarkError> {
	let size = Files::<T>::get(id).ok_or(BenchmarkError::Stop("file exists"))?.size;
	let now = System::<T>::block_number();
	Replicas::<T>::try_mutate(id, |set| {
		let set = set.as_mut().ok_or(BenchmarkError::Stop("replica set"))?;
		let replica = Replica {
			provider: provider.clone(),
			assigned_at: now,
			acked_position: None,
			missed: 0,
		};
		set.holders.try_push(replica).map_err(|_| BenchmarkError::Stop("room for a replica"))
	})?;
	AssignedFiles::<T>::insert(provider, id, ());
	ProviderCapacity::<T>::mutate(provider, |capacity| {
		capacity.used = capacity.used.saturating_add(size)
	});
	if acked && !StorageCommitments::<T>::ack_replica(provider, id) {
		return Err(BenchmarkError::Stop("acknowledged"));
	}
	Ok(())
}

/// Submits `count` one-byte files with distinct roots from a fresh account, each held and
/// acknowledged by the store provider.
fn add_files<T: Config>(count: u32) -> Result<(), BenchmarkError> {
	let store = store_provider::<T>()?;
	let owner = funded_account::<T>("owner", 0);
	for i in 0..count {
		StorageCommitments::<T>::submit(
			RawOrigin::Signed(owner.clone()).into(),
			H256::from_low_u64_be(u64::from(i) + 1),
			1,
			Default::default(),
			1,
		)?;
		let id = NextFileId::<T>::get().saturating_sub(1);
		grant::<T>(&store, id, true)?;
		AssignmentQueue::<T>::kill();
	}
	Ok(())
}

/// Moves to the first block at which every file submitted so far left its acknowledgement
/// window, and makes them all part of the expiry sweep's set.
fn activate_all<T: Config>() {
	let now = System::<T>::block_number().saturating_add(T::AckWindow::get());
	System::<T>::set_block_number(now);
	// Each round activates `MaxActivationsPerBlock` files; the bound only guards the loop.
	for _ in 0..=NextFileId::<T>::get() {
		if NextToActivate::<T>::get() >= NextFileId::<T>::get() {
			break;
		}
		StorageCommitments::<T>::activate_files(now);
	}
}

/// Registers `count` funded providers with the minimum stake.
fn add_providers<T: Config>(count: u32) -> Result<Vec<T::AccountId>, BenchmarkError> {
	(0..count)
		.map(|i| {
			let provider = funded_account::<T>("provider", i);
			StorageCommitments::<T>::register_provider(
				RawOrigin::Signed(provider.clone()).into(),
				T::MinProviderStake::get(),
				longest_endpoint::<T>(),
			)?;
			Ok(provider)
		})
		.collect()
}

/// Fills `ActiveProviders` with `count` placeholder accounts that hold no stake.
fn fill_active_providers<T: Config>(count: u32) {
	let placeholders: Vec<T::AccountId> =
		(0..count).map(|i| account("placeholder", i, SEED)).collect();
	ActiveProviders::<T>::put(BoundedVec::truncate_from(placeholders));
}

/// Gives `provider` an open challenge of `period` on chunk `chunk_index` of file `file_id`.
fn add_challenge<T: Config>(
	provider: &T::AccountId,
	period: PeriodIndex,
	file_id: FileId,
	chunk_index: u64,
) -> Result<(), BenchmarkError> {
	let file = Files::<T>::get(file_id).ok_or(BenchmarkError::Stop("file exists"))?;
	let challenge = Challenge {
		file_id,
		root: file.root,
		size: file.size,
		chunk_index,
		deadline: StorageCommitments::<T>::period_deadline(period),
		status: ChallengeStatus::Open,
	};
	Challenges::<T>::insert(provider, period, challenge);
	PeriodChallenges::<T>::try_mutate(period, |providers| providers.try_push(provider.clone()))
		.map_err(|_| BenchmarkError::Stop("period list has room"))?;
	Providers::<T>::mutate(provider, |info| {
		if let Some(info) = info {
			info.open_challenges = info.open_challenges.saturating_add(1);
		}
	});
	Ok(())
}

/// Moves to the last block of `period`'s challenge spread with every active provider still
/// waiting for its challenge, so that block challenges them all: the most one block issues.
fn last_spread_block<T: Config>(period: PeriodIndex) -> BlockNumberFor<T> {
	let last = StorageCommitments::<T>::period_start(period)
		.saturating_add(T::ChallengeSpread::get())
		.saturating_sub(One::one());
	System::<T>::set_block_number(last);
	PendingChallenges::<T>::put(ActiveProviders::<T>::get());
	last
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// A commitment whose file has expired but is still stored, in the middle of the
	/// challengeable set: the call removes it (moving the last entry) before logging the new
	/// file with `MaxTags` tags.
	#[benchmark]
	fn submit() -> Result<(), BenchmarkError> {
		store_provider::<T>()?;
		let payer = funded_account::<T>("payer", 0);
		let root = largest_zero_root::<T>();
		let size = T::MaxFileSize::get();
		StorageCommitments::<T>::submit(
			RawOrigin::Signed(payer.clone()).into(),
			root,
			size,
			Default::default(),
			1,
		)?;
		grant::<T>(&store_provider::<T>()?, 0, true)?;
		AssignmentQueue::<T>::kill();
		add_files::<T>(2)?;
		activate_all::<T>();
		let expired = System::<T>::block_number()
			.saturating_add(T::MaxLifetime::get())
			.saturating_add(One::one());
		System::<T>::set_block_number(expired);

		#[extrinsic_call]
		_(RawOrigin::Signed(payer.clone()), root, size, most_tags::<T>(), 1);

		let id = FileIndex::<T>::get(root, size).ok_or(BenchmarkError::Stop("file logged"))?;
		assert_eq!(id, 3);
		Ok(())
	}

	/// A live file of `MaxFileSize` bytes.
	#[benchmark]
	fn renew() -> Result<(), BenchmarkError> {
		store_provider::<T>()?;
		let payer = funded_account::<T>("payer", 0);
		StorageCommitments::<T>::submit(
			RawOrigin::Signed(payer.clone()).into(),
			largest_zero_root::<T>(),
			T::MaxFileSize::get(),
			most_tags::<T>(),
			1,
		)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(payer.clone()), 0);

		Ok(())
	}

	/// `MaxProviders − 1` providers are active already.
	#[benchmark]
	fn register_provider() -> Result<(), BenchmarkError> {
		fill_active_providers::<T>(T::MaxProviders::get().saturating_sub(1));
		let provider = funded_account::<T>("provider", 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(provider.clone()), T::MinProviderStake::get(), longest_endpoint::<T>());

		assert_eq!(ActiveProviders::<T>::get().len() as u32, T::MaxProviders::get());
		Ok(())
	}

	/// The stake grows, so more is put on hold.
	#[benchmark]
	fn update_provider() -> Result<(), BenchmarkError> {
		let provider = add_providers::<T>(1)?.pop().ok_or(BenchmarkError::Stop("provider"))?;
		let stake = T::MinProviderStake::get().saturating_mul(2u32.into());

		#[extrinsic_call]
		_(RawOrigin::Signed(provider.clone()), stake, longest_endpoint::<T>());

		Ok(())
	}

	/// The provider is the last of `MaxProviders` active ones.
	#[benchmark]
	fn unregister() -> Result<(), BenchmarkError> {
		fill_active_providers::<T>(T::MaxProviders::get().saturating_sub(1));
		let provider = add_providers::<T>(1)?.pop().ok_or(BenchmarkError::Stop("provider"))?;

		#[extrinsic_call]
		_(RawOrigin::Signed(provider.clone()));

		Ok(())
	}

	/// An unbonded provider whose period just ended.
	#[benchmark]
	fn withdraw_unbonded() -> Result<(), BenchmarkError> {
		let provider = add_providers::<T>(1)?.pop().ok_or(BenchmarkError::Stop("provider"))?;
		StorageCommitments::<T>::unregister(RawOrigin::Signed(provider.clone()).into())?;
		// It holds no file: one pass of the release step forgets it as departing.
		StorageCommitments::<T>::release_replicas();
		let unlocked = System::<T>::block_number().saturating_add(T::UnbondingPeriod::get());
		System::<T>::set_block_number(unlocked);

		#[extrinsic_call]
		_(RawOrigin::Signed(provider.clone()));

		assert!(!Providers::<T>::contains_key(&provider));
		Ok(())
	}

	/// The last chunk of an all-zero file of `MaxFileSize` bytes: the longest proof, and a
	/// reward is paid.
	#[benchmark]
	fn submit_proof() -> Result<(), BenchmarkError> {
		let period: PeriodIndex = 1;
		System::<T>::set_block_number(StorageCommitments::<T>::period_start(period));
		let payer = funded_account::<T>("payer", 0);
		let size = T::MaxFileSize::get();
		let chunk_index = chunk_count(size).saturating_sub(1);
		let (root, proof) = zero_file_chunk_proof(size, chunk_index)
			.map_err(|_| BenchmarkError::Stop("zero file proof"))?;
		let provider = add_providers::<T>(1)?.pop().ok_or(BenchmarkError::Stop("provider"))?;
		ProviderCapacity::<T>::insert(&provider, Capacity { declared: u64::MAX, used: 0 });
		StorageCommitments::<T>::submit(
			RawOrigin::Signed(payer).into(),
			root,
			size,
			Default::default(),
			1,
		)?;
		grant::<T>(&provider, 0, true)?;
		add_challenge::<T>(&provider, period, 0, chunk_index)?;
		let chunk_bytes = chunk_len(size, chunk_index).unwrap_or_default();
		let chunk = BoundedVec::truncate_from(alloc::vec![0u8; chunk_bytes]);

		#[extrinsic_call]
		_(RawOrigin::Signed(provider.clone()), period, chunk, alloc::boxed::Box::new(proof));

		let challenge = Challenges::<T>::get(&provider, period);
		assert_eq!(challenge.map(|challenge| challenge.status), Some(ChallengeStatus::Proven));
		Ok(())
	}

	/// `p` providers all missed their challenge, so each is slashed.
	#[benchmark]
	fn process_deadlines(p: Linear<0, { T::MaxProviders::get() }>) -> Result<(), BenchmarkError> {
		let period: PeriodIndex = 1;
		add_files::<T>(1)?;
		retire_store::<T>()?;
		let providers = add_providers::<T>(p)?;
		for provider in &providers {
			add_challenge::<T>(provider, period, 0, 0)?;
		}

		#[block]
		{
			StorageCommitments::<T>::process_deadlines(
				period,
				StorageCommitments::<T>::period_deadline(period),
			);
		}

		assert!(!PeriodChallenges::<T>::contains_key(period));
		Ok(())
	}

	/// `n` files old enough to become challengeable.
	#[benchmark]
	fn activate_files(
		n: Linear<0, { T::MaxActivationsPerBlock::get() }>,
	) -> Result<(), BenchmarkError> {
		add_files::<T>(n)?;
		let now = System::<T>::block_number().saturating_add(T::AckWindow::get());
		System::<T>::set_block_number(now);

		#[block]
		{
			StorageCommitments::<T>::activate_files(now);
		}

		assert_eq!(ActiveFileCount::<T>::get(), n);
		Ok(())
	}

	/// `p` staked providers, each drawing one of a hundred challengeable files.
	#[benchmark]
	fn issue_challenges(p: Linear<0, { T::MaxProviders::get() }>) -> Result<(), BenchmarkError> {
		add_files::<T>(100)?;
		activate_all::<T>();
		retire_store::<T>()?;
		for (i, provider) in add_providers::<T>(p)?.iter().enumerate() {
			grant::<T>(provider, (i % 100) as FileId, true)?;
		}
		let length = T::ChallengePeriod::get();
		let now = System::<T>::block_number();
		// The first period start at or after `now`, with a parent hash to draw from.
		let periods = now.saturating_add(length).saturating_sub(One::one()) / length;
		let period: PeriodIndex = periods.try_into().unwrap_or(PeriodIndex::MAX).max(1);
		let last = last_spread_block::<T>(period);

		#[block]
		{
			StorageCommitments::<T>::issue_challenges(period, last);
		}

		assert_eq!(PeriodChallenges::<T>::get(period).len() as u32, p);
		Ok(())
	}

	/// The other case of the challenge hook: `p` staked providers whose every draw hits an
	/// expired file (not swept yet), so each provider draws `MAX_DRAW_ATTEMPTS` times and is
	/// issued nothing; the files are left to the sweep.
	#[benchmark]
	fn issue_challenges_expired(
		p: Linear<0, { T::MaxProviders::get() }>,
	) -> Result<(), BenchmarkError> {
		store_provider::<T>()?;
		retire_store::<T>()?;
		let providers = add_providers::<T>(p)?;
		let owner = funded_account::<T>("owner", 0);
		for (i, provider) in providers.iter().enumerate() {
			for attempt in 0..MAX_DRAW_ATTEMPTS {
				let file = (i as u64) * u64::from(MAX_DRAW_ATTEMPTS) + u64::from(attempt) + 1;
				StorageCommitments::<T>::submit(
					RawOrigin::Signed(owner.clone()).into(),
					H256::from_low_u64_be(file),
					1,
					Default::default(),
					1,
				)?;
				AssignmentQueue::<T>::kill();
				grant::<T>(provider, NextFileId::<T>::get().saturating_sub(1), true)?;
			}
		}
		activate_all::<T>();
		// The first period start after every file expired.
		let length = T::ChallengePeriod::get();
		let expired = System::<T>::block_number()
			.saturating_add(T::MaxLifetime::get())
			.saturating_add(length);
		let period: PeriodIndex = (expired / length).try_into().unwrap_or(PeriodIndex::MAX).max(1);
		let last = last_spread_block::<T>(period);

		#[block]
		{
			StorageCommitments::<T>::issue_challenges(period, last);
		}

		assert!(PeriodChallenges::<T>::get(period).is_empty());
		assert_eq!(ActiveFileCount::<T>::get(), p * MAX_DRAW_ATTEMPTS, "left to the sweep");
		Ok(())
	}

	/// `n` challengeable files, all expired, so each is removed and its rewards forfeited.
	#[benchmark]
	fn sweep_expired(
		n: Linear<0, { T::MaxExpiryScansPerBlock::get() }>,
	) -> Result<(), BenchmarkError> {
		add_files::<T>(n)?;
		activate_all::<T>();
		let now = System::<T>::block_number()
			.saturating_add(T::MaxLifetime::get())
			.saturating_add(One::one());
		System::<T>::set_block_number(now);

		#[block]
		{
			StorageCommitments::<T>::sweep_expired(now);
		}

		assert_eq!(ActiveFileCount::<T>::get(), 0);
		Ok(())
	}

	/// A registered provider with files assigned.
	#[benchmark]
	fn declare_capacity() -> Result<(), BenchmarkError> {
		let provider = add_providers::<T>(1)?.pop().ok_or(BenchmarkError::Stop("provider"))?;

		#[extrinsic_call]
		_(RawOrigin::Signed(provider.clone()), u64::MAX);

		assert_eq!(ProviderCapacity::<T>::get(&provider).declared, u64::MAX);
		Ok(())
	}

	/// `n` assigned files, each acknowledged.
	#[benchmark]
	fn acknowledge(n: Linear<1, { T::MaxAcksPerCall::get() }>) -> Result<(), BenchmarkError> {
		add_files::<T>(n)?;
		let provider = add_providers::<T>(1)?.pop().ok_or(BenchmarkError::Stop("provider"))?;
		ProviderCapacity::<T>::insert(&provider, Capacity { declared: u64::MAX, used: 0 });
		for id in 0..u64::from(n) {
			grant::<T>(&provider, id, false)?;
		}
		let files = BoundedVec::truncate_from((0..u64::from(n)).collect::<Vec<_>>());

		#[extrinsic_call]
		_(RawOrigin::Signed(provider.clone()), files);

		assert_eq!(AckedFileCount::<T>::get(&provider), n);
		Ok(())
	}

	/// `n` queued files, each wanting `MaxReplicas` replicas, drawn among `p` eligible
	/// providers.
	#[benchmark]
	fn assign_files(
		n: Linear<1, { T::MaxAssignmentsPerBlock::get().min(T::MaxAssignmentQueue::get()) }>,
		p: Linear<1, { T::MaxProviders::get() }>,
	) -> Result<(), BenchmarkError> {
		add_files::<T>(n)?;
		let store = store_provider::<T>()?;
		let wanted = T::MaxReplicas::get().min(u32::from(ReplicaCount::MAX)) as ReplicaCount;
		for id in 0..u64::from(n) {
			StorageCommitments::<T>::release_replica(
				id,
				&store,
				crate::assignment::Reassign::Always,
			);
			Replicas::<T>::mutate(id, |set| {
				if let Some(set) = set {
					set.wanted = wanted;
				}
			});
		}
		retire_store::<T>()?;
		for provider in add_providers::<T>(p)? {
			ProviderCapacity::<T>::insert(&provider, Capacity { declared: u64::MAX, used: 0 });
		}
		assert_eq!(AssignmentQueue::<T>::get().len() as u32, n);

		#[block]
		{
			StorageCommitments::<T>::assign_queued();
		}

		for id in 0..u64::from(n) {
			let assigned = Replicas::<T>::get(id).map(|set| set.holders.len()).unwrap_or_default();
			assert_eq!(assigned as u32, p.min(u32::from(wanted)));
		}
		Ok(())
	}

	/// `n` replicas missed for the last time allowed, so each is released and its file (which
	/// has another acknowledged copy) queued again.
	#[benchmark]
	fn release_replicas(
		n: Linear<0, { T::MaxReleasesPerBlock::get() }>,
	) -> Result<(), BenchmarkError> {
		add_files::<T>(n)?;
		let provider = add_providers::<T>(1)?.pop().ok_or(BenchmarkError::Stop("provider"))?;
		ProviderCapacity::<T>::insert(&provider, Capacity { declared: u64::MAX, used: 0 });
		let mut missed = Vec::new();
		for id in 0..u64::from(n) {
			grant::<T>(&provider, id, true)?;
			Replicas::<T>::mutate(id, |set| {
				if let Some(set) = set {
					for replica in set.holders.iter_mut() {
						replica.missed = T::MissesBeforeRelease::get().saturating_sub(1);
					}
				}
			});
			missed.push((id, provider.clone()));
		}
		MissedChallenges::<T>::put(BoundedVec::truncate_from(missed));

		#[block]
		{
			StorageCommitments::<T>::release_replicas();
		}

		assert_eq!(AckedFileCount::<T>::get(&provider), 0);
		Ok(())
	}

	impl_benchmark_test_suite!(StorageCommitments, crate::mock::new_test_ext(), crate::mock::Test);
}
