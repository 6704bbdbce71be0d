//! Challenges: period arithmetic, drawing a file and a chunk for each provider, checking proofs,
//! and settling deadlines.

use crate::{
	weights::WeightInfo, AckedFileCount, AckedFiles, ActiveProviders, BalanceOf, Challenge,
	ChallengeStatus, Challenges, ChunkBytes, Config, Error, Event, FileId, FileInfo, Files,
	MissedChallenges, Pallet, PendingChallenges, PeriodChallenges, PeriodIndex, ProviderStatus,
	Providers, LOG_TARGET, MAX_DRAW_ATTEMPTS,
};
use alloc::vec::Vec;
use codec::{Decode, Encode};
use polkadot_sdk::frame_support::traits::Randomness as _;
use polkadot_sdk::{
	frame_support::{ensure, pallet_prelude::*},
	frame_system::{self, pallet_prelude::BlockNumberFor},
	sp_io::hashing::blake2_256,
	sp_runtime::traits::{One, Saturating, UniqueSaturatedInto, Zero},
};
use zerog_primitives::storage::{chunk_count, ChunkProof, ProofError};

/// Domain tag of the challenge seed, so it cannot collide with another use of the randomness.
const CHALLENGE_DOMAIN: &[u8] = b"zerog/storage/challenge";

impl<T: Config> Pallet<T> {
	/// First block of period `period`: `period × ChallengePeriod`.
	pub fn period_start(period: PeriodIndex) -> BlockNumberFor<T> {
		T::ChallengePeriod::get().saturating_mul(period.into())
	}

	/// Blocks from a period's first block to its last deadline: the challenges of the spread's
	/// last block are due `ResponseWindow` blocks after it.
	pub(crate) fn last_deadline_offset() -> BlockNumberFor<T> {
		T::ChallengeSpread::get()
			.saturating_sub(One::one())
			.saturating_add(T::ResponseWindow::get())
	}

	/// First block at which every proof for challenges of `period` is late: the deadline of
	/// the challenges issued in the last block of its spread (earlier ones are due earlier,
	/// each `ResponseWindow` blocks after the block that issued it).
	pub fn period_deadline(period: PeriodIndex) -> BlockNumberFor<T> {
		Self::period_start(period).saturating_add(Self::last_deadline_offset())
	}

	/// The period whose first block is `now`, if any. Block 0 starts none (it has no hooks).
	pub fn period_starting_at(now: BlockNumberFor<T>) -> Option<PeriodIndex> {
		match Self::spread_slot(now) {
			Some((period, offset)) if offset.is_zero() => Some(period),
			_ => None,
		}
	}

	/// The period whose challenges `now` issues a share of, and how far into the period `now`
	/// is: one of its first `ChallengeSpread` blocks. Period 0 issues none (block 0 has no
	/// hooks, and a chain's first blocks have no acknowledged files).
	pub(crate) fn spread_slot(now: BlockNumberFor<T>) -> Option<(PeriodIndex, BlockNumberFor<T>)> {
		let length = T::ChallengePeriod::get();
		if length.is_zero() {
			return None;
		}
		let offset = now % length;
		let period: PeriodIndex = (now / length).try_into().ok()?;
		(period != 0 && offset < T::ChallengeSpread::get()).then_some((period, offset))
	}

	/// The period some of whose challenges `now` issues, if any.
	pub(crate) fn period_issuing_at(now: BlockNumberFor<T>) -> Option<PeriodIndex> {
		Self::spread_slot(now).map(|(period, _)| period)
	}

	/// The period some of whose challenges are due at `now`, if any: those issued
	/// `ResponseWindow` blocks earlier.
	pub(crate) fn period_due_at(now: BlockNumberFor<T>) -> Option<PeriodIndex> {
		let window = T::ResponseWindow::get();
		if now < window {
			return None;
		}
		Self::period_issuing_at(now.saturating_sub(window))
	}

	/// Most providers one block of a spread challenges when `providers` are active: an even
	/// share, rounded up.
	pub(crate) fn challenge_share(providers: u32) -> u32 {
		let spread: u32 = T::ChallengeSpread::get().unique_saturated_into();
		providers.div_ceil(spread.max(1))
	}

	/// The challenges of `provider` that still wait for a proof, by period: the off-chain
	/// worker's duty list.
	pub fn open_challenges(
		provider: &T::AccountId,
	) -> Vec<(PeriodIndex, Challenge<BlockNumberFor<T>>)> {
		Challenges::<T>::iter_prefix(provider)
			.filter(|(_, challenge)| challenge.status == ChallengeStatus::Open)
			.collect()
	}

	/// Issues `now`'s share of the challenges of `period`, whose spread `now` is in: at the
	/// period's first block the active providers are queued (`PendingChallenges`), and each
	/// block of the spread challenges the queue's next providers, an even share of those left
	/// (all of them in the last block). A provider is challenged if it is still active and
	/// staked at least `MinProviderStake`, on a file it acknowledged; its deadline is
	/// `ResponseWindow` blocks from now.
	pub(crate) fn issue_challenges(period: PeriodIndex, now: BlockNumberFor<T>) -> Weight {
		let offset = now.saturating_sub(Self::period_start(period));
		let mut queued = if offset.is_zero() {
			ActiveProviders::<T>::get().into_inner()
		} else {
			PendingChallenges::<T>::get().into_inner()
		};
		let blocks_left: u32 =
			T::ChallengeSpread::get().saturating_sub(offset).unique_saturated_into();
		let share = queued.len().div_ceil(blocks_left.max(1) as usize);
		let later = queued.split_off(share.min(queued.len()));
		if later.is_empty() {
			PendingChallenges::<T>::kill();
		} else {
			// A suffix of a bounded list: within the bound.
			PendingChallenges::<T>::put(BoundedVec::truncate_from(later));
		}

		let parent = T::Randomness::random_seed().0;
		let deadline = now.saturating_add(T::ResponseWindow::get());
		let mut challenged = PeriodChallenges::<T>::get(period);
		for provider in queued.iter() {
			let Some(mut info) = Providers::<T>::get(provider) else { continue };
			// Left (unbonding) since the period began, or slashed below the minimum.
			if info.status != ProviderStatus::Active || info.stake < T::MinProviderStake::get() {
				continue;
			}
			let Some((file_id, file, chunk_index)) = Self::draw(&parent, period, provider, now)
			else {
				continue; // no challengeable file, or only expired ones were drawn
			};
			if challenged.try_push(provider.clone()).is_err() {
				break;
			}
			let challenge = Challenge {
				file_id,
				root: file.root,
				size: file.size,
				chunk_index,
				deadline,
				status: ChallengeStatus::Open,
			};
			Challenges::<T>::insert(provider, period, challenge);
			info.open_challenges = info.open_challenges.saturating_add(1);
			Providers::<T>::insert(provider, info);
			Self::deposit_event(Event::ChallengeIssued {
				provider: provider.clone(),
				period,
				file_id,
				chunk_index,
				deadline,
			});
		}
		if !challenged.is_empty() {
			PeriodChallenges::<T>::insert(period, challenged);
		}
		Self::issue_challenges_weight(queued.len() as u32)
	}

	/// The weight of [`Self::issue_challenges`] with `providers` active providers: the worse of
	/// its two benchmarked cases, every draw finding a file at once, or every draw of every
	/// provider hitting files that expire before the deadline (`MAX_DRAW_ATTEMPTS` draws each).
	pub(crate) fn issue_challenges_weight(providers: u32) -> Weight {
		T::WeightInfo::issue_challenges(providers)
			.max(T::WeightInfo::issue_challenges_expired(providers))
	}

	/// Picks one of the live files `provider` acknowledged, and one of its chunks, for
	/// `provider` in `period`: a provider is never challenged on data it did not say it holds.
	///
	/// The seed mixes the randomness of the period's first block, the period and the provider;
	/// a file that expires before the deadline makes the draw retry with the next attempt
	/// number. Expired files are left to the expiry sweep: removing them here would make the
	/// hook's cost grow with every provider's replicas (each removal updates every holder).
	fn draw(
		parent: &T::Hash,
		period: PeriodIndex,
		provider: &T::AccountId,
		now: BlockNumberFor<T>,
	) -> Option<(FileId, FileInfo<T>, u64)> {
		for attempt in 0..MAX_DRAW_ATTEMPTS {
			let count = AckedFileCount::<T>::get(provider);
			if count == 0 {
				return None;
			}
			let seed = blake2_256(&(CHALLENGE_DOMAIN, parent, period, provider, attempt).encode());
			let (pick, chunk_pick) = <(u64, u64)>::decode(&mut seed.as_slice()).ok()?;
			let position = u32::try_from(pick % u64::from(count)).ok()?;
			let id = AckedFiles::<T>::get(provider, position)?;
			let file = Files::<T>::get(id)?;
			if file.expires_at < now.saturating_add(T::ResponseWindow::get()) {
				// Expired, or expiring before the deadline: a proof could not be paid.
				continue;
			}
			let chunks = chunk_count(file.size);
			if chunks == 0 {
				return None;
			}
			return Some((id, file, chunk_pick % chunks));
		}
		None
	}

	/// Checks `provider`'s proof for its challenge of `period`, marks it proven and pays the
	/// reward; returns the file and the reward.
	pub(crate) fn prove_challenge(
		provider: &T::AccountId,
		period: PeriodIndex,
		chunk: &ChunkBytes,
		proof: &ChunkProof,
	) -> Result<(FileId, BalanceOf<T>), DispatchError> {
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now < Self::period_deadline(period), Error::<T>::ChallengeDeadlinePassed);
		// Once the period's first deadline has passed, a challenge missing from storage may
		// have been settled with its block's share: the proof is late, as after the last one.
		let settled = now >= Self::period_start(period).saturating_add(T::ResponseWindow::get());
		let mut challenge = Challenges::<T>::get(provider, period).ok_or(if settled {
			Error::<T>::ChallengeDeadlinePassed
		} else {
			Error::<T>::ChallengeNotFound
		})?;
		ensure!(now < challenge.deadline, Error::<T>::ChallengeDeadlinePassed);
		ensure!(challenge.status == ChallengeStatus::Open, Error::<T>::ChallengeAlreadyProven);
		proof
			.verify(&challenge.root, challenge.size, challenge.chunk_index, chunk)
			.map_err(Self::proof_error)?;
		challenge.status = ChallengeStatus::Proven;
		Challenges::<T>::insert(provider, period, &challenge);
		// assignment.rs, then rewards.rs
		Self::reset_misses(challenge.file_id, provider);
		let reward = Self::release_reward(provider, challenge.file_id, Self::period_start(period))?;
		Ok((challenge.file_id, reward))
	}

	/// The pallet error for a rejected proof.
	fn proof_error(error: ProofError) -> Error<T> {
		match error {
			ProofError::ChunkIndexMismatch | ProofError::SegmentIndexMismatch => {
				Error::<T>::ProofForWrongChunk
			},
			ProofError::ChunkLengthMismatch => Error::<T>::ChunkLengthMismatch,
			_ => Error::<T>::ProofMismatch,
		}
	}

	/// Settles the challenges of `period` due at `now` (or before): open ones slash their
	/// provider and release its replica of the file (it evidently lost it), which is assigned
	/// to another provider; every one leaves storage. `PeriodChallenges` lists a period's
	/// challenges in the order they were issued, so those due are a prefix of it; the rest,
	/// issued later in the spread, wait for their own deadline.
	pub(crate) fn process_deadlines(period: PeriodIndex, now: BlockNumberFor<T>) -> Weight {
		let mut listed = PeriodChallenges::<T>::get(period).into_inner();
		let mut releases = MissedChallenges::<T>::get();
		let mut settled = 0;
		for provider in listed.iter() {
			match Challenges::<T>::get(provider, period) {
				Some(challenge) if challenge.deadline > now => break,
				Some(challenge) => {
					Self::settle_challenge(provider, period, challenge, &mut releases)
				},
				None => {},
			}
			settled += 1;
		}
		let later = listed.split_off(settled);
		if later.is_empty() {
			PeriodChallenges::<T>::remove(period);
		} else {
			// A suffix of a bounded list: within the bound.
			PeriodChallenges::<T>::insert(period, BoundedVec::truncate_from(later));
		}
		MissedChallenges::<T>::put(releases);
		Self::process_deadlines_weight(settled as u32)
	}

	/// Removes `provider`'s `challenge` of `period`, whose deadline has come; if it was not
	/// proven, slashes the provider and queues its replica in `releases`.
	fn settle_challenge(
		provider: &T::AccountId,
		period: PeriodIndex,
		challenge: Challenge<BlockNumberFor<T>>,
		releases: &mut BoundedVec<(FileId, T::AccountId), T::MaxProviders>,
	) {
		Challenges::<T>::remove(provider, period);
		Providers::<T>::mutate(provider, |info| {
			if let Some(info) = info {
				info.open_challenges = info.open_challenges.saturating_sub(1);
			}
		});
		if challenge.status == ChallengeStatus::Open {
			let slashed = Self::slash_provider(provider); // providers.rs
			Self::deposit_event(Event::ChallengeMissed {
				provider: provider.clone(),
				period,
				file_id: challenge.file_id,
				slashed,
			});
			// Counted by `release_replicas` in the next blocks, bounding this hook.
			if releases.try_push((challenge.file_id, provider.clone())).is_err() {
				log::warn!(
					target: LOG_TARGET,
					"release queue full: file {} stays with {provider:?} until its next miss",
					challenge.file_id
				);
			}
		}
	}

	/// The weight of [`Self::process_deadlines`] settling `settled` challenges: the benchmark
	/// settles a whole list; a list with later challenges left costs one more challenge read
	/// and the list's rewrite.
	pub(crate) fn process_deadlines_weight(settled: u32) -> Weight {
		T::WeightInfo::process_deadlines(settled)
			.saturating_add(T::DbWeight::get().reads_writes(1, 1))
	}
}
