//! Epoch rotation: every `EpochLength` blocks `on_initialize` draws the next epoch's quorums from
//! the active signers (see [`crate::quorum`] for the maths) and drops the quorums of two epochs
//! ago that no certified blob still needs.

use crate::{
	quorum, ActiveSigners, BalanceOf, Config, CurrentEpoch, EpochIndex, EpochInfo, Epochs, Event,
	NextEpochStart, Pallet, Quorum, QuorumIndex, Quorums, WeightInfo,
};
use alloc::vec::Vec;
use polkadot_sdk::frame_support::traits::Randomness as _;
use polkadot_sdk::{
	frame_support::{pallet_prelude::*, BoundedVec},
	frame_system::pallet_prelude::BlockNumberFor,
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
		let randomness = T::Randomness::random_seed().0;
		let seed = quorum::quorum_seed(randomness.as_ref(), epoch);
		let quorums = Self::draw_quorums(&candidates, &seed);
		let count = quorums.len() as u32;
		let (mut members, mut total_stake) = (0u32, BalanceOf::<T>::zero());
		for (index, quorum) in (0..).zip(quorums) {
			members = members.saturating_add(quorum.members.len() as u32);
			total_stake = total_stake.saturating_add(quorum.total_stake);
			Self::deposit_event(Event::QuorumFormed {
				epoch,
				quorum: index,
				members: quorum.members.len() as u32,
				total_stake: quorum.total_stake,
				threshold: quorum.threshold,
			});
			Quorums::<T>::insert(epoch, index, quorum);
		}
		Epochs::<T>::insert(epoch, EpochInfo { seed, quorums: count });
		Self::deposit_event(Event::EpochStarted { epoch, quorums: count, members, total_stake });
		// Blobs of `epoch - 2` were all resolved before now (`AttestationWindow <=
		// EpochLength`): only the quorums of certified blobs still in retention stay.
		if let Some(old) = epoch.checked_sub(2) {
			Self::close_epoch(old);
		}
		CurrentEpoch::<T>::put(epoch);
		NextEpochStart::<T>::put(now.saturating_add(T::EpochLength::get()));
		T::WeightInfo::start_epoch(candidates.len() as u32)
	}

	/// Forgets epoch `old` and those of its quorums that keep no certified blob.
	fn close_epoch(old: EpochIndex) {
		if let Some(info) = Epochs::<T>::take(old) {
			for index in 0..info.quorums {
				let unused =
					Quorums::<T>::get(old, index).is_some_and(|quorum| quorum.blobs_kept == 0);
				if unused {
					Quorums::<T>::remove(old, index);
				}
			}
		}
	}

	/// Draws the quorums of an epoch from `candidates` with `seed`: up to `MaxQuorums ×
	/// MaxQuorumSize` signers dealt into [`quorum::quorum_count`] quorums. Empty without
	/// candidates.
	pub(crate) fn draw_quorums(
		candidates: &[(T::AccountId, BalanceOf<T>)],
		seed: &[u8; 32],
	) -> Vec<Quorum<T>> {
		let stakes: Vec<u128> =
			candidates.iter().map(|(_, stake)| (*stake).saturated_into::<u128>()).collect();
		let max_members = T::MaxQuorumSize::get();
		let max_drawn = T::MaxQuorums::get().saturating_mul(max_members);
		let picked = quorum::draw(&stakes, seed, max_drawn);
		let count = quorum::quorum_count(
			picked.len() as u32,
			T::MinQuorumMembers::get(),
			T::MaxQuorums::get(),
		);
		let drawn_stakes: Vec<u128> =
			picked.iter().filter_map(|position| stakes.get(*position).copied()).collect();
		quorum::split(&drawn_stakes, count, max_members)
			.into_iter()
			.map(|positions| {
				let members: Vec<_> = positions
					.iter()
					.filter_map(|drawn| picked.get(*drawn))
					.filter_map(|candidate| candidates.get(*candidate).cloned())
					.collect();
				Self::quorum_of(members)
			})
			.collect()
	}

	/// A quorum of `members` (at most `MaxQuorumSize`, as [`quorum::split`] deals them) with
	/// its total stake and threshold.
	pub(crate) fn quorum_of(members: Vec<(T::AccountId, BalanceOf<T>)>) -> Quorum<T> {
		let members = BoundedVec::truncate_from(members);
		let total_stake = members
			.iter()
			.fold(BalanceOf::<T>::zero(), |sum, (_, stake)| sum.saturating_add(*stake));
		let threshold = quorum::threshold(total_stake.saturated_into::<u128>())
			.saturated_into::<BalanceOf<T>>();
		Quorum { members, total_stake, threshold, blobs_kept: 0 }
	}

	/// Shard indices `member` holds of every blob with `total_shards` shards assigned to quorum
	/// `quorum` of `epoch`; empty if that quorum is gone or `member` is not in it.
	///
	/// Ranges are proportional to the members' stakes (see [`quorum::shard_range`]).
	pub fn assigned_shards(
		epoch: EpochIndex,
		quorum: QuorumIndex,
		member: &T::AccountId,
		total_shards: u16,
	) -> Vec<u16> {
		let Some(quorum) = Quorums::<T>::get(epoch, quorum) else { return Vec::new() };
		let Some(position) = quorum.members.iter().position(|(account, _)| account == member)
		else {
			return Vec::new();
		};
		let stakes: Vec<u128> =
			quorum.members.iter().map(|(_, stake)| (*stake).saturated_into::<u128>()).collect();
		quorum::shard_range(&stakes, position, total_shards).collect()
	}
}
