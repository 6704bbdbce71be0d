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
//! The pallet seeds it with `blake2_256("zgda/quorum" ++ randomness ++ epoch as u32 LE)`, the
//! randomness being its `Config::Randomness` seed (VRF randomness in the runtime).
//!
//! ## Quorums in parallel
//!
//! An epoch draws up to `MaxQuorums × MaxQuorumSize` signers and forms
//! [`quorum_count`]`(drawn, MinQuorumMembers, MaxQuorums)` quorums from them: as many as the
//! drawn signers fill with at least `MinQuorumMembers` each. [`split`] deals the drawn signers,
//! in draw order, each to the quorum with the least stake so far that has room, so the quorums'
//! stakes stay close. A blob goes to quorum [`assign_quorum`]`(seed, commitment, count)`, a hash
//! of the epoch's seed and the whole commitment: spread evenly, known before the submission (a
//! publisher can stage shards on the members first) and not a parameter of the call.
//!
//! Certification is per quorum, so `count` quorums certify `count` times the bytes per block a
//! single quorum would. What one certificate is worth then rests on one quorum: a publisher
//! can grind its blob (a nonce in it) until the hash picks the quorum it prefers, so each
//! quorum must on its own hold 2/3 honest stake; a random stake-weighted sample of
//! `MinQuorumMembers` or more signers does with high probability only if no party holds close
//! to 2/3 of all stake. `MinQuorumMembers` is that trade-off between throughput and the size of
//! the sample.
use alloc::vec::Vec;
use codec::Encode;
use core::ops::Range;
use polkadot_sdk::{
	sp_io::hashing::blake2_256,
	sp_runtime::{helpers_128bit::multiply_by_rational_with_rounding, Rounding},
};

/// Domain tag of the quorum seed.
pub const QUORUM_SEED_TAG: &[u8] = b"zgda/quorum";

/// The seed of the draw of `epoch` made in a block whose randomness is `randomness`.
pub fn quorum_seed(randomness: &[u8], epoch: u32) -> [u8; 32] {
	let mut input = Vec::with_capacity(QUORUM_SEED_TAG.len() + randomness.len() + 4);
	input.extend_from_slice(QUORUM_SEED_TAG);
	input.extend_from_slice(randomness);
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

/// How many quorums `drawn` signers form: `drawn / min_members` (at least one when anybody was
/// drawn), at most `max_quorums`.
pub fn quorum_count(drawn: u32, min_members: u32, max_quorums: u32) -> u32 {
	if drawn == 0 {
		return 0;
	}
	(drawn / min_members.max(1)).clamp(1, max_quorums.max(1))
}

/// Deals the drawn signers (their stakes in draw order) into `count` quorums of at most
/// `max_members` each: every signer goes to the quorum with the least stake so far among those
/// with room (the lowest index on a tie). Returns, per quorum, positions in `drawn_stakes`;
/// signers beyond `count × max_members` are left out.
pub fn split(drawn_stakes: &[u128], count: u32, max_members: u32) -> Vec<Vec<usize>> {
	let count = usize::try_from(count).unwrap_or(0);
	let max_members = usize::try_from(max_members).unwrap_or(usize::MAX);
	let mut quorums: Vec<(u128, Vec<usize>)> = (0..count).map(|_| (0, Vec::new())).collect();
	for (position, stake) in drawn_stakes.iter().enumerate() {
		let lightest = quorums
			.iter_mut()
			.filter(|(_, members)| members.len() < max_members)
			.min_by_key(|(total, _)| *total);
		let Some((total, members)) = lightest else { break };
		*total = total.saturating_add(*stake);
		members.push(position);
	}
	quorums.into_iter().map(|(_, members)| members).collect()
}

/// Domain tag of the assignment of blobs to quorums.
pub const ASSIGN_TAG: &[u8] = b"zgda/assign";

/// The quorum, out of `count`, that attests to the blob with `commitment` (its SCALE encoding)
/// in the epoch with `seed`: `u64 LE of blake2_256("zgda/assign" ++ seed ++ commitment)[..8]
/// mod count`, 0 when `count` is 0.
pub fn assign_quorum(seed: &[u8; 32], commitment: &[u8], count: u32) -> u32 {
	if count == 0 {
		return 0;
	}
	let mut input = Vec::with_capacity(ASSIGN_TAG.len() + 32 + commitment.len());
	input.extend_from_slice(ASSIGN_TAG);
	input.extend_from_slice(seed);
	input.extend_from_slice(commitment);
	let hash = blake2_256(&input);
	let mut bytes = [0u8; 8];
	bytes.copy_from_slice(&hash[..8]);
	// `count` is a `u32`, so the remainder fits one.
	(u64::from_le_bytes(bytes) % u64::from(count)) as u32
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
	fn quorum_count_fills_quorums_with_the_minimum() {
		assert_eq!(quorum_count(0, 3, 4), 0);
		assert_eq!(quorum_count(1, 3, 4), 1);
		assert_eq!(quorum_count(5, 3, 4), 1);
		assert_eq!(quorum_count(6, 3, 4), 2);
		assert_eq!(quorum_count(100, 3, 4), 4);
		assert_eq!(quorum_count(7, 0, 4), 4);
		assert_eq!(quorum_count(7, 3, 0), 1);
	}

	#[test]
	fn split_balances_stake_and_respects_the_size() {
		// Drawn in this order: the heavy signer fills quorum 0, the next three go to quorum 1
		// until it outweighs quorum 0.
		let quorums = split(&[90, 30, 30, 30, 10], 2, 10);
		assert_eq!(quorums, vec![vec![0, 4], vec![1, 2, 3]]);
		// Room for four members in all: the fifth is left out.
		let quorums = split(&[1, 1, 1, 1, 1], 2, 2);
		assert_eq!(quorums, vec![vec![0, 2], vec![1, 3]]);
		assert!(split(&[1, 2], 0, 5).is_empty());
		// Every drawn signer is in at most one quorum.
		let stakes: Vec<u128> = (1..=40).collect();
		let quorums = split(&stakes, 4, 8);
		let mut all: Vec<usize> = quorums.iter().flatten().copied().collect();
		all.sort();
		all.dedup();
		assert_eq!(all.len(), 32);
		assert!(quorums.iter().all(|members| members.len() == 8));
	}

	#[test]
	fn assignment_spreads_blobs_and_is_deterministic() {
		let seed = [5u8; 32];
		assert_eq!(assign_quorum(&seed, b"blob", 0), 0);
		assert_eq!(assign_quorum(&seed, b"blob", 1), 0);
		assert_eq!(assign_quorum(&seed, b"blob", 4), assign_quorum(&seed, b"blob", 4));
		let mut per_quorum = [0u32; 4];
		for i in 0u32..400 {
			per_quorum[assign_quorum(&seed, &i.encode(), 4) as usize] += 1;
		}
		assert!(per_quorum.iter().all(|n| (60..=140).contains(n)), "{per_quorum:?}");
		// Real commitments, as the pallet encodes them, spread as well.
		let zeros = (0u8..200)
			.filter(|i| {
				let commitment = zerog_primitives::da::BlobCommitment {
					root: polkadot_sdk::sp_core::H256::repeat_byte(*i),
					size_bytes: 1 << 20,
					data_shards: 16,
					parity_shards: 32,
				};
				assign_quorum(&seed, &commitment.encode(), 2) == 0
			})
			.count();
		assert!((70..=130).contains(&zeros), "{zeros} of 200 in quorum 0");
		// Another epoch's seed moves blobs.
		let moved = (0u32..100)
			.filter(|i| {
				assign_quorum(&seed, &i.encode(), 4) != assign_quorum(&[6; 32], &i.encode(), 4)
			})
			.count();
		assert!(moved > 50, "{moved}");
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
