//! Encoding fingerprints: how a signer holding only its own shards checks that they lie on the
//! one Reed-Solomon codeword the blob commits to.
//!
//! ## Why it works
//!
//! `reed-solomon-simd` codes every 64-byte chunk position of the shards with the same
//! GF(2^16)-linear map, and adding symbols of GF(2^16) is XOR. So for any set `t` of chunk
//! positions, the XOR `F_t(s)` of the chunks of shard `s` at those positions commutes with
//! encoding: `F_t(parity_j) = RS_j(F_t(data_1), .., F_t(data_k))`.
//!
//! A shard with `c` chunks has `T = min(c, FINGERPRINTS_PER_SHARD)` fingerprints, each 64 bytes:
//! with `c <= T`, fingerprint `t` is chunk `t` (the shard itself, an exact check); otherwise
//! chunk `i` belongs to set `t` when bit `t` of its mask is set, and the masks come from the
//! shards root (Fiat-Shamir: the shards, hence the root, are fixed before the sets are known):
//! the masks of chunks `4q..4q+4` are the four little-endian `u64`s of
//! `blake2_256("zgda/fp" || shards root || q as u32 LE)`.
//!
//! ## The check
//!
//! The committer publishes the fingerprints of the `k` data shards (`k * T * 64` bytes) and binds
//! their keccak-256 into the commitment root. A signer given them rebuilds the fingerprints of
//! every shard by encoding them as `k` small shards ([`all_fingerprints`]) and compares each of
//! its own shards' fingerprints with its slot ([`check_encoding`]). If the shards of the honest
//! attesters do not lie on one codeword, each random set catches it with probability at least
//! 1/2, so all 64 miss with probability at most `2^-64`: any `k` attested shards then rebuild
//! the committed blob.

use super::{merkle, params, BlobCommitment, Error, SHARD_ALIGN_BYTES};
use alloc::vec::Vec;
use polkadot_sdk::{
	sp_core::H256,
	sp_runtime::traits::{BlakeTwo256, Hash as _},
};

/// Domain tag of the mask derivation.
const MASK_DOMAIN: &[u8] = b"zgda/fp";

/// Bytes of one fingerprint: one chunk as `reed-solomon-simd` codes it.
const VECTOR_BYTES: usize = SHARD_ALIGN_BYTES as usize;

/// Membership masks of the `chunks` chunk positions of a shard: bit `t` of `masks[i]` puts chunk
/// `i` in fingerprint `t`. See the module docs for the rule.
pub fn fingerprint_masks(shards_root: &H256, chunks: usize) -> Vec<u64> {
	if chunks <= params::FINGERPRINTS_PER_SHARD as usize {
		return (0..chunks).map(|chunk| 1u64 << chunk).collect();
	}
	let mut masks = Vec::with_capacity(chunks.next_multiple_of(4));
	let mut preimage = [0u8; 7 + 32 + 4];
	preimage[..7].copy_from_slice(MASK_DOMAIN);
	preimage[7..39].copy_from_slice(shards_root.as_bytes());
	for quad in 0..chunks.div_ceil(4) {
		// `chunks` is at most `MAX_BLOB_SIZE / 64`, far below `u32::MAX`.
		preimage[39..].copy_from_slice(&(quad as u32).to_le_bytes());
		let hash = BlakeTwo256::hash(&preimage);
		masks.extend(
			hash.as_bytes()
				.chunks_exact(8)
				.map(|word| u64::from_le_bytes(word.try_into().unwrap_or_default())),
		);
	}
	masks.truncate(chunks);
	masks
}

/// Fingerprints of `shard` under `masks` (from [`fingerprint_masks`] for its chunk count):
/// `min(chunks, FINGERPRINTS_PER_SHARD) * 64` bytes. `shard.len()` must be a multiple of
/// [`SHARD_ALIGN_BYTES`] with one mask per chunk, as for every shard of a valid commitment.
pub fn shard_fingerprints(shard: &[u8], masks: &[u64]) -> Vec<u8> {
	let vectors = masks.len().min(params::FINGERPRINTS_PER_SHARD as usize);
	// Accumulate as words: 8 XORs per chunk and set bit.
	let mut sums = alloc::vec![[0u64; VECTOR_BYTES / 8]; vectors];
	for (chunk, mask) in shard.chunks_exact(VECTOR_BYTES).zip(masks) {
		let mut words = [0u64; VECTOR_BYTES / 8];
		for (word, bytes) in words.iter_mut().zip(chunk.chunks_exact(8)) {
			*word = u64::from_le_bytes(bytes.try_into().unwrap_or_default());
		}
		let mut bits = *mask;
		while bits != 0 {
			let t = bits.trailing_zeros() as usize;
			bits &= bits - 1;
			if let Some(sum) = sums.get_mut(t) {
				sum.iter_mut().zip(&words).for_each(|(sum, word)| *sum ^= word);
			}
		}
	}
	sums.iter().flatten().flat_map(|word| word.to_le_bytes()).collect()
}

/// keccak-256 of the data shards' fingerprints, concatenated in shard order: what the commitment
/// root binds.
pub fn fingerprints_hash(data_fingerprints: &[u8]) -> H256 {
	merkle::keccak(data_fingerprints)
}

/// Bytes of the data shards' fingerprints of a blob with `commitment`'s coding: `k` times
/// [`fingerprint_bytes`](params::fingerprint_bytes) of its shard size.
pub fn data_fingerprint_bytes(commitment: &BlobCommitment) -> Result<usize, Error> {
	let per_shard = params::fingerprint_bytes(commitment.shard_bytes()?) as usize;
	Ok(per_shard * usize::from(commitment.data_shards))
}

#[cfg(feature = "coding")]
pub use checked::{all_fingerprints, check_encoding};

#[cfg(feature = "coding")]
mod checked {
	use super::*;
	use crate::da::{verify_shard, ShardProof};
	use reed_solomon_simd::ReedSolomonEncoder;

	/// The fingerprints of all `k + m` shards from those of the `k` data shards: the data ones
	/// as given, then the parity ones by encoding them as `k` shards of one fingerprint set each.
	pub fn all_fingerprints(
		commitment: &BlobCommitment,
		data_fingerprints: &[u8],
	) -> Result<Vec<Vec<u8>>, Error> {
		commitment.validate()?;
		let expected = data_fingerprint_bytes(commitment)?;
		if data_fingerprints.len() != expected {
			return Err(Error::FingerprintsLength {
				expected: u32::try_from(expected).unwrap_or(u32::MAX),
				got: u64::try_from(data_fingerprints.len()).unwrap_or(u64::MAX),
			});
		}
		let per_shard = expected / usize::from(commitment.data_shards);
		let mut encoder = ReedSolomonEncoder::new(
			usize::from(commitment.data_shards),
			usize::from(commitment.parity_shards),
			per_shard,
		)
		.map_err(|_| Error::ErasureCoding)?;
		let mut all: Vec<Vec<u8>> = Vec::with_capacity(usize::from(commitment.total_shards()));
		for data in data_fingerprints.chunks_exact(per_shard) {
			encoder.add_original_shard(data).map_err(|_| Error::ErasureCoding)?;
			all.push(data.to_vec());
		}
		let parity = encoder.encode().map_err(|_| Error::ErasureCoding)?;
		all.extend(parity.recovery_iter().map(<[u8]>::to_vec));
		Ok(all)
	}

	/// Checks that `shards`, given as `(index, bytes, proof)`, are shards of `commitment` and lie
	/// on the codeword its data fingerprints fix.
	///
	/// In order: every shard verifies ([`verify_shard`], its error as is); `data_fingerprints`
	/// has the length of the coding ([`Error::FingerprintsLength`]) and is what the root binds
	/// ([`Error::FingerprintsMismatch`]); the fingerprints of every shard equal its slot of
	/// [`all_fingerprints`] ([`Error::ShardOffCodeword`] with the first index that differs).
	/// No shard given is trivially consistent.
	pub fn check_encoding(
		commitment: &BlobCommitment,
		data_fingerprints: &[u8],
		shards: &[(u16, &[u8], &ShardProof)],
	) -> Result<(), Error> {
		for &(index, shard, proof) in shards {
			verify_shard(commitment, index, shard, proof)?;
		}
		let Some(&(first_index, first_shard, first_proof)) = shards.first() else {
			return Ok(());
		};
		let all = all_fingerprints(commitment, data_fingerprints)?;
		// Every proof verified against the root, which binds one fingerprints hash.
		if fingerprints_hash(data_fingerprints) != first_proof.fingerprints {
			return Err(Error::FingerprintsMismatch);
		}
		let shards_root = crate::da::proof::shards_root(first_index, first_shard, first_proof);
		let masks = fingerprint_masks(&shards_root, first_shard.len() / VECTOR_BYTES);
		for &(index, shard, _) in shards {
			if all.get(usize::from(index)).map(Vec::as_slice)
				!= Some(shard_fingerprints(shard, &masks).as_slice())
			{
				return Err(Error::ShardOffCodeword { index });
			}
		}
		Ok(())
	}
}
