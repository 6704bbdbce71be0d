//! Properties over random blobs, codings and shard choices.
//!
//! Large blobs get few cases (each 32 MiB case encodes and decodes ~100 MiB of shards) so the
//! suite stays within a minute in release.

use super::{blob_from_seed, pick_indices, shards_at};
use crate::da::*;
use proptest::prelude::*;

/// A valid coding: `1 <= k`, `1 <= m <= 3k`, `k + m <= MAX_TOTAL_SHARDS`.
fn coding() -> impl Strategy<Value = (u16, u16)> {
	(1u16..=256).prop_flat_map(|k| {
		let max_m = (k * MAX_PARITY_SHARDS_PER_DATA_SHARD).min(MAX_TOTAL_SHARDS - k);
		(Just(k), 1..=max_m)
	})
}

/// A small coding, so that tampering cases stay cheap.
fn small_coding() -> impl Strategy<Value = (u16, u16)> {
	(1u16..=8).prop_flat_map(|k| (Just(k), 1..=k * MAX_PARITY_SHARDS_PER_DATA_SHARD))
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(64))]

	#[test]
	fn small_blob_round_trips_from_any_k_shards(
		size in 0usize..=64 * 1024,
		(k, m) in coding(),
		seed: u64,
	) {
		let blob = blob_from_seed(size, seed);
		let encoded = encode_blob(&blob, k, m).unwrap();
		let indices = pick_indices(k + m, k, seed.rotate_left(17));
		prop_assert_eq!(decode_blob(&encoded.commitment, &shards_at(&encoded, &indices)), Ok(blob));
	}

	#[test]
	fn tampered_shard_fails_its_proof(
		size in 0usize..=4096,
		(k, m) in small_coding(),
		seed: u64,
		index_pick: u16,
		byte_pick: usize,
		flip in 1u8..=255,
	) {
		let encoded = encode_blob(&blob_from_seed(size, seed), k, m).unwrap();
		let index = index_pick % (k + m);
		let mut shard = encoded.shards[usize::from(index)].clone();
		let byte = byte_pick % shard.len();
		shard[byte] ^= flip;
		let proof = &encoded.proofs[usize::from(index)];
		prop_assert_eq!(
			verify_shard(&encoded.commitment, index, &shard, proof),
			Err(Error::ProofMismatch { index })
		);
		// The decoder refuses it even when it has enough good shards besides.
		let mut shards = shards_at(&encoded, &(0..k + m).filter(|i| *i != index).collect::<Vec<_>>());
		shards.push((index, &shard, proof));
		prop_assert_eq!(
			decode_blob(&encoded.commitment, &shards),
			Err(Error::ProofMismatch { index })
		);
	}

	#[test]
	fn shard_fails_at_another_index(
		size in 0usize..=4096,
		(k, m) in small_coding(),
		seed: u64,
		index_pick: u16,
		other_pick: u16,
	) {
		let encoded = encode_blob(&blob_from_seed(size, seed), k, m).unwrap();
		let total = k + m;
		let index = index_pick % total;
		let other = (index + 1 + other_pick % (total - 1)) % total;
		prop_assume!(other != index);
		let shard = &encoded.shards[usize::from(index)];
		let proof = &encoded.proofs[usize::from(index)];
		// The proof names its index...
		prop_assert_eq!(
			verify_shard(&encoded.commitment, other, shard, proof),
			Err(Error::ProofIndexMismatch { index: other, proof_index: index })
		);
		// ...and relabelling the proof does not help: the leaf and the path depend on the index.
		let relabelled = ShardProof { index: other, ..proof.clone() };
		prop_assert_eq!(
			verify_shard(&encoded.commitment, other, shard, &relabelled),
			Err(Error::ProofMismatch { index: other })
		);
		// An index past the last shard is out of range.
		let past = ShardProof { index: total, ..proof.clone() };
		prop_assert_eq!(
			verify_shard(&encoded.commitment, total, shard, &past),
			Err(Error::ShardIndexOutOfRange { index: total, total_shards: total })
		);
	}

	#[test]
	fn fewer_than_k_shards_are_not_enough(
		size in 0usize..=4096,
		(k, m) in small_coding(),
		seed: u64,
		short_by in 1u16..=8,
	) {
		let encoded = encode_blob(&blob_from_seed(size, seed), k, m).unwrap();
		let got = k.saturating_sub(short_by);
		let indices = pick_indices(k + m, got, seed);
		prop_assert_eq!(
			decode_blob(&encoded.commitment, &shards_at(&encoded, &indices)),
			Err(Error::NotEnoughShards { needed: k, got })
		);
	}
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(4))]

	#[test]
	fn any_size_up_to_max_round_trips_from_any_k_shards(
		size in 0usize..=MAX_BLOB_SIZE as usize,
		seed: u64,
	) {
		let (k, m) = (DEFAULT_DATA_SHARDS, DEFAULT_PARITY_SHARDS);
		let blob = blob_from_seed(size, seed);
		let encoded = encode_blob(&blob, k, m).unwrap();
		let indices = pick_indices(k + m, k, seed.rotate_left(17));
		prop_assert_eq!(decode_blob(&encoded.commitment, &shards_at(&encoded, &indices)), Ok(blob));
	}
}
