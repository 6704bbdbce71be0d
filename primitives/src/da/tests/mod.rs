//! Tests of the DA primitives, split by layer: parameters, proofs, coding, properties and an
//! ignored timing run.

mod params;
mod proof;

#[cfg(feature = "std")]
mod coding;
// The vectors the TypeScript SDK checks its WebAssembly coding against (`sdk/conformance/da.json`).
#[cfg(feature = "std")]
mod conformance;
#[cfg(feature = "std")]
mod fingerprint;
#[cfg(feature = "std")]
mod fuzz;
#[cfg(feature = "std")]
mod props;
#[cfg(feature = "std")]
mod timing;

/// Deterministic pseudo-random bytes (splitmix64), so large blobs cost no proptest shrinking.
#[cfg(feature = "std")]
pub(super) fn blob_from_seed(size: usize, seed: u64) -> Vec<u8> {
	let mut state = seed;
	let mut blob = Vec::with_capacity(size + 8);
	while blob.len() < size {
		state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
		let mut z = state;
		z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
		z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
		blob.extend_from_slice(&(z ^ (z >> 31)).to_le_bytes());
	}
	blob.truncate(size);
	blob
}

/// `count` distinct indices below `total`, picked by a seeded shuffle.
#[cfg(feature = "std")]
pub(super) fn pick_indices(total: u16, count: u16, seed: u64) -> Vec<u16> {
	let mut indices: Vec<u16> = (0..total).collect();
	let noise = blob_from_seed(usize::from(total) * 8, seed);
	for (i, chunk) in (1..indices.len()).rev().zip(noise.chunks_exact(8)) {
		let draw = u64::from_le_bytes(chunk.try_into().unwrap());
		indices.swap(i, (draw % (i as u64 + 1)) as usize);
	}
	indices.truncate(usize::from(count));
	indices
}

/// The `(index, bytes, proof)` triples of `indices`, as `decode_blob` takes them.
#[cfg(feature = "std")]
pub(super) fn shards_at<'a>(
	encoded: &'a super::EncodedBlob,
	indices: &[u16],
) -> Vec<(u16, &'a [u8], &'a super::ShardProof)> {
	indices
		.iter()
		.map(|&i| (i, encoded.shards[usize::from(i)].as_slice(), &encoded.proofs[usize::from(i)]))
		.collect()
}
