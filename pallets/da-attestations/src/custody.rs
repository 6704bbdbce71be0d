//! Custody challenges: after certification, attesters must keep proving they hold their shards.
//!
//! Every `CustodyPeriod` blocks `on_initialize` first settles the previous round (a challenged
//! attester that has not answered loses `CustodySlash` of its stake, `CustodyMissed`), then draws
//! one certified, retained blob from the ring of recently certified ones ([`CustodyCandidates`])
//! and challenges each of its attesters for one chunk of one shard of its own range. The attester
//! answers with `answer_custody`: the chunk and a `ChunkProof`, which the runtime checks against
//! the blob's commitment (`zerog_primitives::da::verify_chunk`). Its off-chain worker does this
//! from the node's store. Draws are seeded with `blake2_256("zgda/custody" ++ r ++ block)`, `r`
//! being [`Config::Randomness`]' seed (the runtime's VRF randomness, which no author can grind).
//!
//! An attester stays liable until the blobs it attested are retired: each attestation moves its
//! `CustodyUntil` to the end of the blob's retention (as it would be if certified), and
//! `withdraw_unbonded` waits for it.

use crate::{
	ActiveSigners, BalanceOf, BlobId, BlobStatus, Blobs, Config, CustodyCandidates,
	CustodyChallenge, CustodyChallenges, CustodyCursor, CustodyUntil, Error, Event, HoldReason,
	OpenCustody, Pallet, Quorums, RetentionPeriod, Signers, WeightInfo, LOG_TARGET,
};
use alloc::vec::Vec;
use polkadot_sdk::frame_support::traits::Randomness as _;
use polkadot_sdk::{
	frame_support::{
		ensure,
		pallet_prelude::*,
		traits::{fungible::BalancedHold, OnUnbalanced},
	},
	frame_system::{self, pallet_prelude::BlockNumberFor},
	sp_io::hashing::blake2_256,
	sp_runtime::{
		traits::{Saturating, Zero},
		SaturatedConversion,
	},
};
use zerog_primitives::da::{chunk_count, verify_chunk, ChunkProof, CHUNK_BYTES};

/// Domain tag of the custody draw's seed.
const CUSTODY_DOMAIN: &[u8] = b"zgda/custody";

/// Candidates tried per draw before the round is skipped (retired blobs stay in the ring until
/// overwritten).
const DRAW_ATTEMPTS: u32 = 3;

impl<T: Config> Pallet<T> {
	/// Runs a custody round at every multiple of `CustodyPeriod`: settles the previous one and
	/// draws the next. Returns the weight used.
	pub(crate) fn run_custody(now: BlockNumberFor<T>) -> Weight {
		let period = T::CustodyPeriod::get();
		if period.is_zero() || !(now % period).is_zero() {
			return T::WeightInfo::custody_idle();
		}
		let settled = Self::settle_custody();
		let drawn = Self::draw_custody(now);
		T::WeightInfo::custody_round(settled.max(drawn))
	}

	/// Slashes every attester of the last round that did not answer; how many were open. A
	/// challenge of a blob that retired before the round ended is dropped: its shards were
	/// pruned with it, so nobody could answer.
	fn settle_custody() -> u32 {
		let open = OpenCustody::<T>::take();
		for signer in open.iter() {
			let Some(challenge) = CustodyChallenges::<T>::take(signer) else { continue };
			if Blobs::<T>::contains_key(challenge.blob) {
				let slashed = Self::slash_signer(signer);
				Self::deposit_event(Event::CustodyMissed {
					signer: signer.clone(),
					blob: challenge.blob,
					slashed,
				});
			}
		}
		open.len() as u32
	}

	/// Takes `CustodySlash` of `signer`'s stake (from its `SignerStake` hold) to
	/// `ExpiredFeeDestination` and lowers its recorded stake; returns the amount taken.
	fn slash_signer(signer: &T::AccountId) -> BalanceOf<T> {
		let Some(mut info) = Signers::<T>::get(signer) else { return Zero::zero() };
		let amount = T::CustodySlash::get().mul_floor(info.stake);
		let (credit, missing) = <T::Currency as BalancedHold<T::AccountId>>::slash(
			&HoldReason::SignerStake.into(),
			signer,
			amount,
		);
		if !missing.is_zero() {
			log::error!(target: LOG_TARGET, "custody slash of {signer:?}: {missing:?} not held");
		}
		T::ExpiredFeeDestination::on_unbalanced(credit);
		let slashed = amount.saturating_sub(missing);
		info.stake = info.stake.saturating_sub(slashed);
		let stake = info.stake;
		Signers::<T>::insert(signer, info);
		ActiveSigners::<T>::mutate(|active| {
			if let Some(entry) = active.iter_mut().find(|(account, _)| account == signer) {
				entry.1 = stake;
			}
		});
		slashed
	}

	/// Draws a retained certified blob and challenges each of its attesters; how many were
	/// challenged.
	fn draw_custody(now: BlockNumberFor<T>) -> u32 {
		let candidates = CustodyCandidates::<T>::get();
		if candidates.is_empty() {
			return 0;
		}
		let parent = T::Randomness::random_seed().0;
		let seed = blake2_256(&(CUSTODY_DOMAIN, parent, now).encode());
		let deadline = now.saturating_add(T::CustodyWindow::get());
		for attempt in 0..DRAW_ATTEMPTS {
			let pick = word(&seed, attempt) % candidates.len() as u64;
			let Some(id) = candidates.get(pick as usize).copied() else { continue };
			let challenged = Self::challenge_attesters(id, &seed, deadline);
			if challenged > 0 {
				return challenged;
			}
		}
		0
	}

	/// Challenges every attester of blob `id`, if it is certified and its quorum kept, for a
	/// chunk of its own shard range; how many were challenged.
	fn challenge_attesters(id: BlobId, seed: &[u8; 32], deadline: BlockNumberFor<T>) -> u32 {
		let Some(blob) = Blobs::<T>::get(id) else { return 0 };
		if !matches!(blob.status, BlobStatus::Certified { .. }) {
			return 0;
		}
		let Some(quorum) = Quorums::<T>::get(blob.epoch, blob.quorum) else { return 0 };
		let total = blob.commitment.total_shards();
		let chunks = blob.commitment.shard_bytes().map(chunk_count).unwrap_or(1);
		let stakes: Vec<u128> =
			quorum.members.iter().map(|(_, stake)| (*stake).saturated_into::<u128>()).collect();
		let mut open = Vec::with_capacity(blob.attesters.len());
		for position in blob.attesters.iter() {
			let Some((signer, _)) = quorum.members.get(*position as usize) else { continue };
			let range = crate::quorum::shard_range(&stakes, *position as usize, total);
			if range.is_empty() {
				continue;
			}
			let draw = blake2_256(&(seed, id, position).encode());
			let span = u64::from(range.end - range.start);
			let shard = range.start + (word(&draw, 0) % span) as u16;
			let chunk = (word(&draw, 1) % u64::from(chunks)) as u32;
			CustodyChallenges::<T>::insert(
				signer,
				CustodyChallenge { blob: id, shard, chunk, deadline },
			);
			Self::deposit_event(Event::CustodyChallenged {
				signer: signer.clone(),
				blob: id,
				shard,
				chunk,
				deadline,
			});
			open.push(signer.clone());
		}
		let count = open.len() as u32;
		// At most one entry per quorum member, and a quorum has at most `MaxQuorumSize`.
		OpenCustody::<T>::put(BoundedVec::truncate_from(open));
		count
	}

	/// Checks `signer`'s answer to its open challenge and closes it.
	pub(crate) fn prove_custody(
		signer: &T::AccountId,
		blob_id: BlobId,
		chunk: &[u8],
		proof: &ChunkProof,
	) -> DispatchResult {
		let challenge =
			CustodyChallenges::<T>::get(signer).ok_or(Error::<T>::NoCustodyChallenge)?;
		ensure!(
			challenge.blob == blob_id
				&& proof.shard.index == challenge.shard
				&& proof.chunk == challenge.chunk,
			Error::<T>::CustodyChallengeMismatch
		);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now <= challenge.deadline, Error::<T>::CustodyDeadlinePassed);
		// A blob that retired since the draw cannot be proven; its challenge is dropped when
		// the round settles.
		let blob = Blobs::<T>::get(blob_id).ok_or(Error::<T>::UnknownBlob)?;
		verify_chunk(&blob.commitment, challenge.shard, challenge.chunk, chunk, proof)
			.map_err(|_| Error::<T>::InvalidCustodyProof)?;
		CustodyChallenges::<T>::remove(signer);
		Ok(())
	}

	/// Makes `signer` liable (its stake stays held) until a blob whose window ends at
	/// `expires_at` would retire.
	pub(crate) fn extend_custody(signer: &T::AccountId, expires_at: BlockNumberFor<T>) {
		let until = expires_at.saturating_add(RetentionPeriod::<T>::get());
		CustodyUntil::<T>::mutate(signer, |current| {
			if *current < until {
				*current = until;
			}
		});
	}

	/// Adds certified blob `blob_id` to the custody draw, replacing the oldest once the ring is
	/// full.
	pub(crate) fn start_custody(blob_id: BlobId) {
		let capacity = T::MaxCustodyCandidates::get();
		CustodyCandidates::<T>::mutate(|ring| {
			if ring.len() < capacity as usize {
				// Cannot fail: below the bound.
				let _ = ring.try_push(blob_id);
			} else {
				let cursor = CustodyCursor::<T>::get() % capacity.max(1);
				if let Some(slot) = ring.get_mut(cursor as usize) {
					*slot = blob_id;
				}
				CustodyCursor::<T>::put(cursor.saturating_add(1) % capacity.max(1));
			}
		});
	}
}

/// Little-endian `u64` number `index` (0 to 3) of `bytes`.
fn word(bytes: &[u8; 32], index: u32) -> u64 {
	let start = (index as usize % 4) * 8;
	let mut word = [0u8; 8];
	word.copy_from_slice(&bytes[start..start + 8]);
	u64::from_le_bytes(word)
}

/// The longest chunk an answer carries.
pub type ChunkBytes = ConstU32<CHUNK_BYTES>;
