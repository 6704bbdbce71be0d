//! Encode and decode times for the default coding; run with
//! `cargo test -p zerog-primitives --release -- --ignored --nocapture da_timing`.

use super::{blob_from_seed, shards_at};
use crate::da::*;
use std::time::Instant;

#[test]
#[ignore = "prints timings; run by hand in release"]
fn da_timing() {
	let (k, m) = (DEFAULT_DATA_SHARDS, DEFAULT_PARITY_SHARDS);
	for mib in [1usize, 8, 32] {
		let blob = blob_from_seed(mib * 1024 * 1024, mib as u64);
		let start = Instant::now();
		let encoded = encode_blob(&blob, k, m).unwrap();
		let encode = start.elapsed();
		let shard = &encoded.shards[0];
		let start = Instant::now();
		verify_shard(&encoded.commitment, 0, shard, &encoded.proofs[0]).unwrap();
		let verify = start.elapsed();
		// One member of a three-member quorum: a third of the shards.
		let share: Vec<u16> = (0..(k + m) / 3).collect();
		let start = Instant::now();
		check_encoding(&encoded.commitment, &encoded.fingerprints, &shards_at(&encoded, &share))
			.unwrap();
		let check = start.elapsed();
		// Worst case: every data shard lost, rebuilt from parity alone.
		let parity: Vec<u16> = (k..2 * k).collect();
		let start = Instant::now();
		let decoded = decode_blob(&encoded.commitment, &shards_at(&encoded, &parity)).unwrap();
		let from_parity = start.elapsed();
		let data: Vec<u16> = (0..k).collect();
		let start = Instant::now();
		decode_blob(&encoded.commitment, &shards_at(&encoded, &data)).unwrap();
		let from_data = start.elapsed();
		assert_eq!(decoded, blob);
		println!(
			"{mib:>2} MiB k={k} m={m}: encode+commit {encode:?}, verify one shard {verify:?}, \
			 check the encoding of a third of the shards {check:?}, decode from parity {from_parity:?}, decode from data {from_data:?}"
		);
	}
}
