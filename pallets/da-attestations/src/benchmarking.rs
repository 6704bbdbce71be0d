//! Benchmarks, one per call plus the two parts of `on_initialize` (expiry and the epoch draw);
//! each sets up the worst case of its weight.
//!
//! Signers are created with fresh sr25519 keys of type `zgda` from the benchmark keystore, since
//! a signer's account must be its DA key's account. Pending blobs for `attest` and expiry are
//! written straight to storage (with their fees really held), so a batch can be larger than the
//! blobs one block accepts.

use super::*;
use crate::Pallet as DaAttestations;
use alloc::{vec, vec::Vec};
use polkadot_sdk::{
	frame_benchmarking::v2::*,
	frame_support::{
		pallet_prelude::*,
		traits::fungible::{Inspect, InspectHold, Mutate, MutateHold},
	},
	frame_system::{pallet_prelude::BlockNumberFor, Pallet as System, RawOrigin},
	sp_io,
	sp_runtime::traits::Saturating,
};

/// Funds `who` with far more than any benchmark spends.
fn fund<T: Config>(who: &T::AccountId) {
	let plenty = T::MinSignerStake::get()
		.saturating_add(DaAttestations::<T>::blob_fee(T::MaxBlobBytes::get()))
		.saturating_add(T::Currency::minimum_balance())
		.saturating_mul(1_000u32.into());
	T::Currency::set_balance(who, plenty);
}

/// A funded account whose DA key is in the keystore.
fn new_signer<T: Config>() -> (T::AccountId, sr25519::Public) {
	let key = sp_io::crypto::sr25519_generate(KEY_TYPE, None);
	let who = T::AccountId::from(key);
	fund::<T>(&who);
	(who, key)
}

/// An endpoint of `MaxEndpointLen` bytes.
fn longest_endpoint<T: Config>() -> BoundedVec<u8, T::MaxEndpointLen> {
	BoundedVec::truncate_from(vec![b'e'; T::MaxEndpointLen::get() as usize])
}

/// Registers a new signer with the minimum stake.
fn add_signer<T: Config>() -> Result<T::AccountId, BenchmarkError> {
	let (who, key) = new_signer::<T>();
	DaAttestations::<T>::register_signer(
		RawOrigin::Signed(who.clone()).into(),
		T::MinSignerStake::get(),
		key,
		longest_endpoint::<T>(),
	)?;
	Ok(who)
}

/// Registers new signers until `count` are active (a chain's genesis may have some already).
fn fill_active_signers<T: Config>(count: u32) -> Result<(), BenchmarkError> {
	while (ActiveSigners::<T>::decode_len().unwrap_or(0) as u32) < count {
		add_signer::<T>()?;
	}
	Ok(())
}

/// Registers `count` signers (at most `MaxQuorumSize`) and starts the next epoch with them as
/// its single quorum, so every blob of the epoch is theirs; returns them in quorum order.
fn start_quorum<T: Config>(count: u32) -> Result<Vec<T::AccountId>, BenchmarkError> {
	let members =
		(0..count).map(|_| add_signer::<T>()).collect::<Result<Vec<_>, BenchmarkError>>()?;
	let stake = T::MinSignerStake::get();
	let quorum = DaAttestations::<T>::quorum_of(
		members.iter().map(|member| (member.clone(), stake)).collect(),
	);
	let epoch = CurrentEpoch::<T>::get().saturating_add(1);
	Epochs::<T>::insert(epoch, EpochInfo { seed: [0; 32], quorums: 1 });
	Quorums::<T>::insert(epoch, 0, quorum);
	CurrentEpoch::<T>::put(epoch);
	Ok(members)
}

/// A full quorum of equal stakes and `n` pending blobs, each attested by members until
/// `short` more attestations would reach the threshold; returns the last member (who has not
/// attested) and the blobs' ids.
fn blobs_short_of_threshold<T: Config>(
	n: u32,
	short: u32,
) -> Result<(T::AccountId, Vec<BlobId>), BenchmarkError> {
	let members = start_quorum::<T>(T::MaxQuorumSize::get())?;
	let caller = members.last().cloned().ok_or(BenchmarkError::Stop("empty quorum"))?;
	let submitter: T::AccountId = account("submitter", 0, 0);
	fund::<T>(&submitter);
	let expires_at = System::<T>::block_number().saturating_add(T::AttestationWindow::get());
	let ids = (0..n)
		.map(|seed| insert_blob::<T>(&submitter, seed, expires_at))
		.collect::<Result<Vec<_>, _>>()?;
	let batch: BoundedVec<BlobId, T::MaxAttestationBatch> = BoundedVec::truncate_from(ids.clone());
	let quorum =
		Quorums::<T>::get(CurrentEpoch::<T>::get(), 0).ok_or(BenchmarkError::Stop("no quorum"))?;
	let stake = T::MinSignerStake::get();
	let mut attested = BalanceOf::<T>::zero();
	for member in members.iter().take(members.len().saturating_sub(1)) {
		if attested.saturating_add(stake.saturating_mul(short.into())) >= quorum.threshold {
			break;
		}
		DaAttestations::<T>::attest(RawOrigin::Signed(member.clone()).into(), batch.clone())?;
		attested = attested.saturating_add(stake);
	}
	Ok((caller, ids))
}

/// A commitment of the largest blob with the default coding and a root made from `seed`.
fn commitment<T: Config>(seed: u32) -> BlobCommitment {
	let mut root = [0u8; 32];
	root[..4].copy_from_slice(&seed.to_le_bytes());
	BlobCommitment {
		root: H256(root),
		size_bytes: T::MaxBlobBytes::get(),
		data_shards: zerog_primitives::da::DEFAULT_DATA_SHARDS,
		parity_shards: zerog_primitives::da::DEFAULT_PARITY_SHARDS,
	}
}

/// Stores a pending blob of the current epoch submitted by `submitter`, expiring at
/// `expires_at`, with its fee held; returns its id.
fn insert_blob<T: Config>(
	submitter: &T::AccountId,
	seed: u32,
	expires_at: BlockNumberFor<T>,
) -> Result<BlobId, BenchmarkError> {
	insert_blob_with::<T>(submitter, commitment::<T>(seed), expires_at)
}

/// [`insert_blob`] with a given commitment.
fn insert_blob_with<T: Config>(
	submitter: &T::AccountId,
	commitment: BlobCommitment,
	expires_at: BlockNumberFor<T>,
) -> Result<BlobId, BenchmarkError> {
	let fee = DaAttestations::<T>::blob_fee(commitment.size_bytes);
	T::Currency::hold(&HoldReason::BlobFee.into(), submitter, fee)?;
	let id = NextBlobId::<T>::get();
	NextBlobId::<T>::put(id.saturating_add(1));
	Blobs::<T>::insert(
		id,
		BlobInfo {
			submitter: submitter.clone(),
			namespace: 0,
			commitment,
			fee,
			epoch: CurrentEpoch::<T>::get(),
			submitted_at: System::<T>::block_number(),
			expires_at,
			status: BlobStatus::Pending,
			attesters: BoundedVec::new(),
			attested_stake: Zero::zero(),
			quorum: 0,
		},
	);
	BlobIds::<T>::insert(commitment.root, blob_shape(&commitment), id);
	Ok(id)
}

/// Stores a blob with `commitment`, certified by the first `attesters` members of the current
/// epoch's quorum 0; returns its id.
fn certified_blob<T: Config>(
	commitment: BlobCommitment,
	attesters: u32,
) -> Result<BlobId, BenchmarkError> {
	let submitter: T::AccountId = account("submitter", 0, 0);
	fund::<T>(&submitter);
	let now = System::<T>::block_number();
	let id = insert_blob_with::<T>(
		&submitter,
		commitment,
		now.saturating_add(T::AttestationWindow::get()),
	)?;
	Blobs::<T>::mutate(id, |blob| {
		if let Some(blob) = blob {
			blob.status = BlobStatus::Certified { at: now };
			blob.attesters = BoundedVec::truncate_from((0..attesters).collect());
		}
	});
	Ok(id)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// Worst case: every expiry queue the blob may go to is full but the last one tried, which
	/// is one short of full.
	#[benchmark]
	fn submit_blob() -> Result<(), BenchmarkError> {
		// frame-benchmarking moves a benchmark from block 0 to block 1 only after its setup;
		// start there now so the setup fills the queues of the block the call will use.
		System::<T>::set_block_number(1u32.into());
		start_quorum::<T>(1)?;
		let caller: T::AccountId = account("submitter", 0, 0);
		fund::<T>(&caller);
		let max = T::MaxBlobsPerBlock::get();
		let mut slot = System::<T>::block_number().saturating_add(T::AttestationWindow::get());
		let mut filler = (0..).map(|i: u32| BlobId::MAX - i as BlobId);
		for tried in 1..=EXPIRY_SLOTS {
			let last = tried == EXPIRY_SLOTS
				|| slot <= System::<T>::block_number().saturating_add(2u32.into());
			let queued: Vec<BlobId> =
				filler.by_ref().take((if last { max - 1 } else { max }) as usize).collect();
			ExpiryQueue::<T>::insert(slot, BoundedVec::truncate_from(queued));
			if last {
				break;
			}
			slot = slot.saturating_sub(1u32.into());
		}
		let commitment = commitment::<T>(u32::MAX);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), commitment, 0);

		assert!(BlobIds::<T>::contains_key(commitment.root, blob_shape(&commitment)));
		Ok(())
	}

	/// Worst case: the active list is one short of full and the endpoint is the longest.
	#[benchmark]
	fn register_signer() -> Result<(), BenchmarkError> {
		fill_active_signers::<T>(T::MaxSigners::get().saturating_sub(1))?;
		let (caller, key) = new_signer::<T>();
		let stake = T::MinSignerStake::get();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), stake, key, longest_endpoint::<T>());

		assert!(Signers::<T>::contains_key(&caller));
		Ok(())
	}

	/// Worst case: the caller is the last of a full active list.
	#[benchmark]
	fn update_signer() -> Result<(), BenchmarkError> {
		fill_active_signers::<T>(T::MaxSigners::get().saturating_sub(1))?;
		let caller = add_signer::<T>()?;
		let stake = T::MinSignerStake::get().saturating_mul(2u32.into());

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), stake, longest_endpoint::<T>());

		assert_eq!(T::Currency::balance_on_hold(&HoldReason::SignerStake.into(), &caller), stake);
		Ok(())
	}

	/// Worst case: the caller is the last of a full active list.
	#[benchmark]
	fn unregister_signer() -> Result<(), BenchmarkError> {
		fill_active_signers::<T>(T::MaxSigners::get().saturating_sub(1))?;
		let caller = add_signer::<T>()?;

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()));

		assert!(ActiveSigners::<T>::get().iter().all(|(who, _)| *who != caller));
		Ok(())
	}

	#[benchmark]
	fn withdraw_unbonded() -> Result<(), BenchmarkError> {
		let caller = add_signer::<T>()?;
		DaAttestations::<T>::unregister_signer(RawOrigin::Signed(caller.clone()).into())?;
		let unlocks_at = System::<T>::block_number().saturating_add(T::UnbondingPeriod::get());
		System::<T>::set_block_number(unlocks_at);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()));

		assert!(!Signers::<T>::contains_key(&caller));
		Ok(())
	}

	/// Worst case: a full quorum, and each of the `n` blobs one attestation short of the
	/// threshold, so the caller's attestation certifies it and pays every prior attester.
	#[benchmark]
	fn attest(n: Linear<1, { T::MaxAttestationBatch::get() }>) -> Result<(), BenchmarkError> {
		let (caller, ids) = blobs_short_of_threshold::<T>(n, 1)?;
		let batch = BoundedVec::truncate_from(ids.clone());

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), batch);

		assert!(ids.iter().all(|id| Blobs::<T>::get(id)
			.is_some_and(|blob| matches!(blob.status, BlobStatus::Certified { .. }))));
		Ok(())
	}

	/// What `attest` costs for blobs it only attests: a full quorum, and each of the `n` blobs
	/// attested by as many members as can be without certifying it (so the check for a repeat
	/// attestation scans the longest list), the caller's attestation still short of the
	/// threshold.
	#[benchmark]
	fn attest_uncertified(
		n: Linear<1, { T::MaxAttestationBatch::get() }>,
	) -> Result<(), BenchmarkError> {
		let (caller, ids) = blobs_short_of_threshold::<T>(n, 2)?;
		let batch = BoundedVec::truncate_from(ids.clone());

		#[extrinsic_call]
		attest(RawOrigin::Signed(caller), batch);

		assert!(ids
			.iter()
			.all(|id| Blobs::<T>::get(id)
				.is_some_and(|blob| matches!(blob.status, BlobStatus::Pending))));
		Ok(())
	}

	/// `on_initialize`'s expiry of `e` pending blobs (the full queue of one block).
	#[benchmark]
	fn expire_blobs(e: Linear<0, { T::MaxBlobsPerBlock::get() }>) -> Result<(), BenchmarkError> {
		start_quorum::<T>(1)?;
		let submitter: T::AccountId = account("submitter", 0, 0);
		fund::<T>(&submitter);
		let now = System::<T>::block_number();
		let due = now.saturating_add(T::AttestationWindow::get());
		let ids = (0..e)
			.map(|seed| insert_blob::<T>(&submitter, seed, due))
			.collect::<Result<Vec<_>, _>>()?;
		ExpiryQueue::<T>::insert(due, BoundedVec::truncate_from(ids.clone()));
		System::<T>::set_block_number(due);

		#[block]
		{
			DaAttestations::<T>::expire_due(due);
		}

		assert!(ids.iter().all(|id| !Blobs::<T>::contains_key(id)));
		Ok(())
	}

	/// `on_initialize`'s retirement of `e` certified blobs (a full queue), each releasing the
	/// quorum of a closed epoch, the last one removing it.
	#[benchmark]
	fn retire_blobs(e: Linear<0, { T::MaxBlobsPerBlock::get() }>) -> Result<(), BenchmarkError> {
		start_quorum::<T>(1)?;
		let epoch = CurrentEpoch::<T>::get();
		let submitter: T::AccountId = account("submitter", 0, 0);
		fund::<T>(&submitter);
		let now = System::<T>::block_number();
		let ids = (0..e)
			.map(|seed| insert_blob::<T>(&submitter, seed, now))
			.collect::<Result<Vec<_>, _>>()?;
		for id in &ids {
			Blobs::<T>::mutate(id, |blob| {
				if let Some(blob) = blob {
					blob.status = BlobStatus::Certified { at: now };
				}
			});
		}
		Quorums::<T>::mutate(epoch, 0, |quorum| {
			if let Some(quorum) = quorum {
				quorum.blobs_kept = e;
			}
		});
		CurrentEpoch::<T>::put(epoch.saturating_add(2));
		RetentionQueue::<T>::insert(now, BoundedVec::truncate_from(ids.clone()));

		#[block]
		{
			DaAttestations::<T>::retire_due(now);
		}

		assert!(ids.iter().all(|id| !Blobs::<T>::contains_key(id)));
		assert_eq!(Quorums::<T>::contains_key(epoch, 0), e == 0);
		Ok(())
	}

	/// `on_initialize`'s draw of new quorums from `s` active signers, closing an epoch with
	/// `MaxQuorums` quorums.
	#[benchmark]
	fn start_epoch(s: Linear<1, { T::MaxSigners::get() }>) -> Result<(), BenchmarkError> {
		// Exactly `s` signers to draw: a genesis' own are set aside.
		ActiveSigners::<T>::kill();
		fill_active_signers::<T>(s)?;
		let now = System::<T>::block_number();
		NextEpochStart::<T>::put(now);
		let epoch = 5;
		CurrentEpoch::<T>::put(epoch);
		let closing = epoch - 1;
		Epochs::<T>::insert(closing, EpochInfo { seed: [0; 32], quorums: T::MaxQuorums::get() });
		for index in 0..T::MaxQuorums::get() {
			Quorums::<T>::insert(closing, index, DaAttestations::<T>::quorum_of(Vec::new()));
		}

		#[block]
		{
			DaAttestations::<T>::maybe_start_epoch(now);
		}

		assert_eq!(CurrentEpoch::<T>::get(), epoch.saturating_add(1));
		assert!(!Epochs::<T>::contains_key(closing));
		Ok(())
	}

	/// Worst case: every member of the last round missed its challenge (`n` slashes), and the
	/// drawn blob has `n` attesters to challenge.
	#[benchmark]
	fn custody_round(n: Linear<1, { T::MaxQuorumSize::get() }>) -> Result<(), BenchmarkError> {
		let members = start_quorum::<T>(n)?;
		let now = System::<T>::block_number();
		let id = certified_blob::<T>(commitment::<T>(1), n)?;
		CustodyCandidates::<T>::put(BoundedVec::truncate_from(vec![id]));
		for member in &members {
			let challenge = CustodyChallenge { blob: id, shard: 0, chunk: 0, deadline: now };
			CustodyChallenges::<T>::insert(member, challenge);
		}
		OpenCustody::<T>::put(BoundedVec::truncate_from(members.clone()));
		let period = T::CustodyPeriod::get();
		let round = now / period * period + period;
		System::<T>::set_block_number(round);

		#[block]
		{
			DaAttestations::<T>::run_custody(round);
		}

		assert_eq!(CustodyChallenges::<T>::iter().count() as u32, n);
		Ok(())
	}

	/// A block between custody rounds: the hook only finds that no round is due.
	#[benchmark]
	fn custody_idle() -> Result<(), BenchmarkError> {
		let period = T::CustodyPeriod::get();
		let now = System::<T>::block_number();
		let between = now / period * period + period + 1u32.into();
		System::<T>::set_block_number(between);

		#[block]
		{
			DaAttestations::<T>::run_custody(between);
		}

		assert!(OpenCustody::<T>::get().is_empty());
		Ok(())
	}

	/// A 1 MiB blob in one data and three parity shards, answered for its last chunk: 12
	/// siblings, the deepest proof a benchmark builds in the runtime's memory (the deepest
	/// possible has 17, five more 64-byte keccaks).
	#[benchmark]
	fn answer_custody() -> Result<(), BenchmarkError> {
		let members = start_quorum::<T>(1)?;
		let signer = members[0].clone();
		let size = 1u32 << 20;
		let shard: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
		let blob = zerog_primitives::da::commit_shards(vec![shard; 4], size, 1, 3)
			.map_err(|_| BenchmarkError::Stop("a 1 MiB blob commits"))?;
		let id = certified_blob::<T>(blob.commitment, 1)?;
		let chunk_index = size / zerog_primitives::da::CHUNK_BYTES - 1;
		let proof = blob.chunk_proof(0, chunk_index).ok_or(BenchmarkError::Stop("a proof"))?;
		let bytes = zerog_primitives::da::shard_chunk(&blob.shards[0], chunk_index)
			.ok_or(BenchmarkError::Stop("the last chunk"))?;
		let chunk = BoundedVec::truncate_from(bytes.to_vec());
		let deadline = System::<T>::block_number().saturating_add(T::CustodyWindow::get());
		let challenge = CustodyChallenge { blob: id, shard: 0, chunk: chunk_index, deadline };
		CustodyChallenges::<T>::insert(&signer, challenge);
		OpenCustody::<T>::put(BoundedVec::truncate_from(vec![signer.clone()]));

		#[extrinsic_call]
		_(RawOrigin::Signed(signer.clone()), id, chunk, proof);

		assert!(!CustodyChallenges::<T>::contains_key(&signer));
		Ok(())
	}

	#[benchmark]
	fn set_retention_period() -> Result<(), BenchmarkError> {
		let blocks: BlockNumberFor<T> = 1_000u32.into();

		#[extrinsic_call]
		_(RawOrigin::Root, blocks);

		assert_eq!(RetentionPeriod::<T>::get(), blocks);
		Ok(())
	}

	impl_benchmark_test_suite!(DaAttestations, crate::mock::new_test_ext(), crate::mock::Test);
}
