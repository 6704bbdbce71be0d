//! Quorum maths, free of storage so it can be tested (and reused off chain) on its own: the
//! stake-weighted draw, the certification threshold and the shard ranges of members.
//!
//! ## The draw
//!
//! Weighted sampling without replacement: for pick `j = 0, 1, ...` take
//! `r_j = u128::from_le_bytes(blake2_256(seed ++ j as u32 LE)[..16]) mod W`, where `W` is the
//! stake of the candidates not picked yet, and pick the candidate whose cumulative stake interval
//! (in candidate order) contains `r_j`. A candidate with twice the stake is twice as likely to be
//! picked at each step. If there are at most `max` candidates all of them are picked (in a random
//! order). Cost: `O(max × candidates)` additions, no allocation beyond the result.
//!
//! The pallet seeds it with `blake2_256("zgda/quorum" ++ parent hash ++ epoch as u32 LE)`.

use alloc::vec::Vec;
use codec::Encode;
use core::ops::Range;
use polkadot_sdk::{
	sp_io::hashing::blake2_256,
	sp_runtime::{helpers_128bit::multiply_by_rational_with_rounding, Rounding},
};

/// Domain tag of the quorum seed.
pub const QUORUM_SEED_TAG: &[u8] = b"zgda/quorum";

/// The seed of the draw of `epoch` made in the block whose parent is `parent_hash`.
pub fn quorum_seed(parent_hash: &[u8], epoch: u32) -> [u8; 32] {
	let mut input = Vec::with_capacity(QUORUM_SEED_TAG.len() + parent_hash.len() + 4);
	input.extend_from_slice(QUORUM_SEED_TAG);
	input.extend_from_slice(parent_hash);
	input.extend_from_slice(&epoch.to_le_bytes());
	blake2_256(&input)
}

/// Draws up to `max` of the candidates, weighted by `stakes`, deterministically from `seed`;
/// returns their positions in `stakes`, in draw order. Candidates with zero stake are never
/// drawn.
pub fn draw(stakes: &[u128], seed: &[u8; 32], max: u32) -> Vec<usize> {
	let mut remaining: Vec<(usize, u128)> =
		stakes.iter().copied().enumerate().filter(|(_, stake)| *stake > 0).collect();
	let picks = remaining.len().min(usize::try_from(max).unwrap_or(usize::MAX));
	let mut picked = Vec::with_capacity(picks);
	let mut weight = remaining.iter().fold(0u128, |sum, (_, stake)| sum.saturating_add(*stake));
	for round in 0..picks {
		if weight == 0 {
			break;
		}
		let round = u32::try_from(round).unwrap_or(u32::MAX);
		let r = random_u128(seed, round) % weight;
		// The cumulative sum of `remaining` reaches `weight > r`, so a candidate is found; the
		// fallback (the last one) only guards against saturated sums.
		let mut cumulative = 0u128;
		let position = remaining
			.iter()
			.position(|(_, stake)| {
				cumulative = cumulative.saturating_add(*stake);
				r < cumulative
			})
			.unwrap_or(remaining.len().saturating_sub(1));
		let (candidate, stake) = remaining.swap_remove(position);
		// `swap_remove` changes the candidate order, which is fine: the order only needs to be
		// the same on every node, and it is.
		weight = weight.saturating_sub(stake);
		picked.push(candidate);
	}
	picked
}

/// Pseudo-random `u128` number `round` of the stream seeded by `seed`.
fn random_u128(seed: &[u8; 32], round: u32) -> u128 {
	let hash = blake2_256(&(seed, round).encode());
	let mut bytes = [0u8; 16];
	bytes.copy_from_slice(&hash[..16]);
	u128::from_le_bytes(bytes)
}

/// The attested stake that certifies a blob: `ceil(2/3 × total)`, exact for every `u128`.
pub fn threshold(total: u128) -> u128 {
	multiply_by_rational_with_rounding(total, 2, 3, Rounding::Up).unwrap_or(total)
}

/// Shard indices held by the member at `position` of a quorum with member stakes `stakes`, for a
/// blob of `total_shards` shards.
///
/// The member gets `[⌊S·N/T⌋, ⌊(S + s)·N/T⌋)` where `s` is its stake, `S` the stakes before it,
/// `T` the total and `N = total_shards`: the ranges of all members partition `0..N`, in
/// proportion to stake. A member whose range is empty (small stake or more members than shards)
/// gets the single shard `min(⌊S·N/T⌋, N - 1)`, which another member also holds. Empty for a
/// position outside the quorum, zero shards or zero total stake.
pub fn shard_range(stakes: &[u128], position: usize, total_shards: u16) -> Range<u16> {
	let Some(stake) = stakes.get(position).copied() else { return 0..0 };
	let total = stakes.iter().fold(0u128, |sum, stake| sum.saturating_add(*stake));
	if total == 0 || total_shards == 0 {
		return 0..0;
	}
	let before = stakes.iter().take(position).fold(0u128, |sum, stake| sum.saturating_add(*stake));
	let shards = u128::from(total_shards);
	let scale = |stake: u128| {
		multiply_by_rational_with_rounding(stake, shards, total, Rounding::Down)
			.map(|index| u16::try_from(index.min(shards)).unwrap_or(total_shards))
			.unwrap_or(total_shards)
	};
	let start = scale(before);
	let end = scale(before.saturating_add(stake));
	if start < end {
		start..end
	} else {
		let single = start.min(total_shards.saturating_sub(1));
		single..single.saturating_add(1)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn draw_takes_everyone_when_the_quorum_has_room() {
		let mut picked = draw(&[5, 1, 3], &[7; 32], 10);
		picked.sort();
		assert_eq!(picked, vec![0, 1, 2]);
	}

	#[test]
	fn draw_is_bounded_distinct_and_deterministic() {
		let stakes: Vec<u128> = (1..=20).collect();
		let a = draw(&stakes, &[1; 32], 5);
		assert_eq!(a.len(), 5);
		let mut unique = a.clone();
		unique.sort();
		unique.dedup();
		assert_eq!(unique.len(), 5);
		assert_eq!(a, draw(&stakes, &[1; 32], 5));
		assert_ne!(a, draw(&stakes, &[2; 32], 5));
	}

	#[test]
	fn draw_skips_zero_stake() {
		assert_eq!(draw(&[0, 4, 0], &[3; 32], 3), vec![1]);
		assert!(draw(&[], &[3; 32], 3).is_empty());
	}

	#[test]
	fn draw_favours_stake() {
		// One candidate with 9/10 of the stake against nine with 1/90 each: over many seeds it
		// should be the first pick about 90% of the time.
		let mut stakes = vec![81u128];
		stakes.extend([1u128; 9]);
		let firsts =
			(0u32..1_000).filter(|i| draw(&stakes, &blake2_256(&i.encode()), 1) == vec![0]).count();
		assert!((850..=950).contains(&firsts), "heavy candidate first {firsts} times in 1000");
	}

	#[test]
	fn threshold_is_two_thirds_rounded_up() {
		assert_eq!(threshold(300), 200);
		assert_eq!(threshold(301), 201);
		assert_eq!(threshold(1), 1);
		assert_eq!(threshold(0), 0);
		assert_eq!(threshold(u128::MAX), u128::MAX - u128::MAX / 3);
	}

	#[test]
	fn shard_ranges_partition_by_stake() {
		let stakes = [100u128, 100, 200];
		assert_eq!(shard_range(&stakes, 0, 48), 0..12);
		assert_eq!(shard_range(&stakes, 1, 48), 12..24);
		assert_eq!(shard_range(&stakes, 2, 48), 24..48);
		assert_eq!(shard_range(&stakes, 3, 48), 0..0);
	}

	#[test]
	fn every_member_gets_a_shard_and_every_shard_a_member() {
		let stakes = [1000u128, 1, 1, 1];
		let ranges: Vec<_> = (0..4).map(|i| shard_range(&stakes, i, 3)).collect();
		assert!(ranges.iter().all(|range| !range.is_empty()));
		for shard in 0..3u16 {
			assert!(ranges.iter().any(|range| range.contains(&shard)));
		}
		assert!(ranges.iter().all(|range| range.end <= 3));
	}
}
