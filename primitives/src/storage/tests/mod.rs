//! Tests of the storage tree: fixed vectors (`vectors`), rejection of bad proofs (`rejects`) and
//! property tests against a naive reference model (`properties`).

mod fuzz;
mod properties;
mod rejects;
mod vectors;
// The vectors the TypeScript SDK checks itself against (`sdk/conformance/storage.json`).
mod conformance;

use super::{CHUNK_SIZE, SEGMENT_SIZE};
use polkadot_sdk::{
	sp_core::H256,
	sp_runtime::traits::{Hash, Keccak256},
};

/// The bytes `1, 2, ..., 251, 1, 2, ...`: no zero byte, so padding never hides data, and a period
/// that does not divide 256, so no two chunks are alike. The JavaScript cross-check uses the same.
fn pattern(len: usize) -> Vec<u8> {
	(0..len).map(|i| (i % 251 + 1) as u8).collect()
}

/// `size` pseudo-random bytes from `seed` (xorshift64*), cheap enough for files of several MiB.
fn random_file(size: usize, seed: u64) -> Vec<u8> {
	let mut state = seed | 1;
	let mut file = Vec::with_capacity(size + 8);
	while file.len() < size {
		state ^= state >> 12;
		state ^= state << 25;
		state ^= state >> 27;
		file.extend_from_slice(&state.wrapping_mul(0x2545_f491_4f6c_dd1d).to_le_bytes());
	}
	file.truncate(size);
	file
}

/// Chunk `index` of `file`, without padding.
fn chunk_of(file: &[u8], index: u64) -> &[u8] {
	file.chunks(CHUNK_SIZE).nth(index as usize).expect("tests only ask for chunks of the file")
}

/// Segment `index` of `file`, without padding.
fn segment_of(file: &[u8], index: u64) -> &[u8] {
	file.chunks(SEGMENT_SIZE).nth(index as usize).expect("tests only ask for segments of the file")
}

/// The padding rules stated the plain way: append zero bytes up to a power-of-two number of whole
/// segments (at least one), hash every 256-byte chunk, and hash pairs up to a single root.
///
/// It shares no code with the module but keccak itself, so agreeing with it checks the rules.
fn reference_root(file: &[u8]) -> H256 {
	let segments = file.len().div_ceil(SEGMENT_SIZE).max(1).next_power_of_two();
	let mut padded = file.to_vec();
	padded.resize(segments * SEGMENT_SIZE, 0);
	reference_merkle_root(padded.chunks(CHUNK_SIZE).map(Keccak256::hash).collect())
}

/// Root over `leaves`, whose number must be a power of two, hashing each pair of nodes.
fn reference_merkle_root(mut level: Vec<H256>) -> H256 {
	assert!(level.len().is_power_of_two(), "the reference pads before reducing");
	while level.len() > 1 {
		level = level
			.chunks(2)
			.map(|pair| Keccak256::hash(&[pair[0].as_bytes(), pair[1].as_bytes()].concat()))
			.collect();
	}
	level[0]
}
