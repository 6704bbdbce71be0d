//! Epoch rotation: every `EpochLength` blocks `on_initialize` draws the next quorum from the
//! active signers (see [`crate::quorum`] for the maths) and drops the quorum of two epochs ago.

use crate::{
	quorum, ActiveSigners, BalanceOf, Config, CurrentEpoch, EpochIndex, Event, NextEpochStart,
	Pallet, Quorum, Quorums, WeightInfo,
};
use alloc::vec::Vec;
use polkadot_sdk::{
	frame_support::{pallet_prelude::*, BoundedVec},
	frame_system::{self, pallet_prelude::BlockNumberFor},
	sp_runtime::{
		traits::{Saturating, Zero},
		SaturatedConversion,
	},
};

impl<T: Config> Pallet<T> {
	/// Starts a new epoch if `now` is its first block; returns the weight used (the check itself
	/// is counted in `expire_blobs`).
	pub(crate) fn maybe_start_epoch(now: BlockNumberFor<T>) -> Weight {
		if now < NextEpochStart::<T>::get() {
			return Weight::zero();
		}
		let candidates = ActiveSigners::<T>::get();
		let epoch = CurrentEpoch::<T>::get().saturating_add(1);
		let parent_hash = frame_system::Pallet::<T>::parent_hash();
		let seed = quorum::quorum_seed(parent_hash.as_ref(), epoch);
		let quorum = Self::draw_quorum(&candidates, &seed);
		Self::deposit_event(Event::EpochStarted {
			epoch,
			members: quorum.members.len() as u32,
			total_stake: quorum.total_stake,
			threshold: quorum.threshold,
		});
		Quorums::<T>::insert(epoch, quorum);
		// Blobs of `epoch - 2` all expired before now (`AttestationWindow <= EpochLength`).
		if let Some(old) = epoch.checked_sub(2) {
			Quorums::<T>::remove(old);
		}
		CurrentEpoch::<T>::put(epoch);
		NextEpochStart::<T>::put(now.saturating_add(T::EpochLength::get()));
		T::WeightInfo::start_epoch(candidates.len() as u32)
	}

	/// Draws a quorum of up to `MaxQuorumSize` of `candidates` with `seed`.
	pub(crate) fn draw_quorum(
		candidates: &[(T::AccountId, BalanceOf<T>)],
		seed: &[u8; 32],
	) -> Quorum<T> {
		let stakes: Vec<u128> =
			candidates.iter().map(|(_, stake)| (*stake).saturated_into::<u128>()).collect();
		let picked = quorum::draw(&stakes, seed, T::MaxQuorumSize::get());
		let members: Vec<_> =
			picked.iter().filter_map(|position| candidates.get(*position).cloned()).collect();
		// `draw` returns at most `MaxQuorumSize` positions, so nothing is truncated.
		let members = BoundedVec::truncate_from(members);
		let total_stake = members
			.iter()
			.fold(BalanceOf::<T>::zero(), |sum, (_, stake)| sum.saturating_add(*stake));
		let threshold = quorum::threshold(total_stake.saturated_into::<u128>())
			.saturated_into::<BalanceOf<T>>();
		Quorum { members, total_stake, threshold }
	}

	/// Shard indices `member` holds of every blob with `total_shards` shards in `epoch`; empty if
	/// the epoch's quorum is gone or `member` is not in it.
	///
	/// Ranges are proportional to the members' stakes (see [`quorum::shard_range`]).
	pub fn assigned_shards(
		epoch: EpochIndex,
		member: &T::AccountId,
		total_shards: u16,
	) -> Vec<u16> {
		let Some(quorum) = Quorums::<T>::get(epoch) else { return Vec::new() };
		let Some(position) = quorum.members.iter().position(|(account, _)| account == member)
		else {
			return Vec::new();
		};
		let stakes: Vec<u128> =
			quorum.members.iter().map(|(_, stake)| (*stake).saturated_into::<u128>()).collect();
		quorum::shard_range(&stakes, position, total_shards).collect()
	}
}
