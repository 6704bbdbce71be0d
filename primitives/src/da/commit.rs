//! Committing to shards: the shard and chunk trees, the fingerprints and every proof.
//!
//! `no_std` (with `alloc`): `encode_blob` uses it after Reed-Solomon coding, and benchmarks
//! inside the runtime use it to build blobs whose proofs they verify.

use super::{
	check_coding_params, fingerprint, merkle, shard_bytes, BlobCommitment, ChunkProof,
	ChunkProofSiblings, Error, ShardProof, ShardProofSiblings,
};
use alloc::vec::Vec;
use polkadot_sdk::sp_core::H256;

/// A blob cut into shards, with its commitment and a proof for every shard.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct EncodedBlob {
	/// Commitment to the shards, the size and the coding.
	pub commitment: BlobCommitment,
	/// All `k + m` shards, `shards[i]` being shard `i`: the `k` data shards, then the `m` parity
	/// shards, each [`BlobCommitment::shard_bytes`] long.
	pub shards: Vec<Vec<u8>>,
	/// `proofs[i]` proves `shards[i]` against `commitment`.
	pub proofs: Vec<ShardProof>,
	/// Encoding fingerprints of the `k` data shards, concatenated in shard order: what every
	/// signer needs with its shards to check the encoding (see
	/// [`check_encoding`](super::check_encoding)).
	pub fingerprints: Vec<u8>,
}

impl EncodedBlob {
	/// Proof of chunk `chunk` of shard `index`, for a custody answer; `None` past the shards or
	/// their chunks.
	pub fn chunk_proof(&self, index: u16, chunk: u32) -> Option<ChunkProof> {
		let shard = self.shards.get(usize::from(index))?;
		chunk_proof(shard, self.proofs.get(usize::from(index))?, chunk)
	}
}

/// The bytes of chunk `chunk` of `shard` (the last one may be shorter than [`CHUNK_BYTES`]):
/// what a [`ChunkProof`] for that position proves. `None` past the shard's chunks.
///
/// [`CHUNK_BYTES`]: super::CHUNK_BYTES
pub fn shard_chunk(shard: &[u8], chunk: u32) -> Option<&[u8]> {
	shard.chunks(super::CHUNK_BYTES as usize).nth(usize::try_from(chunk).ok()?)
}

/// Chunk `chunk` of `shard` and its [`ChunkProof`], given the shard's own proof: what a signer
/// answers a custody challenge with from the shard it stores. `None` past the shard's chunks.
pub fn chunk_proof(shard: &[u8], shard_proof: &ShardProof, chunk: u32) -> Option<ChunkProof> {
	let position = usize::try_from(chunk).ok()?;
	if position >= shard.len().div_ceil(super::CHUNK_BYTES as usize).max(1) {
		return None;
	}
	let levels = merkle::tree_levels(merkle::chunk_leaves(shard));
	let siblings = ChunkProofSiblings::try_from(merkle::path(&levels, position)).ok()?;
	Some(ChunkProof { chunk, siblings, shard: shard_proof.clone() })
}

/// Commits to `shards` as the `k + m` shards of a blob of `size_bytes` bytes, without checking
/// that the parity shards are its Reed-Solomon code: the fingerprints are those of the data
/// shards as given. `encode_blob` uses it after coding; tests use it to build the badly
/// encoded blobs a hostile committer would send.
///
/// Fails for a bad coding or size, a shard count other than `k + m`, or a shard of another size
/// than [`shard_bytes`].
pub fn commit_shards(
	shards: Vec<Vec<u8>>,
	size_bytes: u32,
	data_shards: u16,
	parity_shards: u16,
) -> Result<EncodedBlob, Error> {
	check_coding_params(data_shards, parity_shards)?;
	let shard_len = shard_bytes(size_bytes, data_shards)? as usize;
	let total = data_shards + parity_shards;
	if shards.len() != usize::from(total) {
		return Err(Error::NotEnoughShards {
			needed: total,
			got: u16::try_from(shards.len()).unwrap_or(u16::MAX),
		});
	}
	if let Some((index, shard)) = (0u16..).zip(&shards).find(|(_, shard)| shard.len() != shard_len)
	{
		return Err(Error::ShardSizeMismatch {
			index,
			expected: shard_len as u32,
			got: shard.len() as u64,
		});
	}
	let leaves = shards
		.iter()
		.zip(0u16..)
		.map(|(shard, index)| merkle::leaf_hash(index, &merkle::chunk_root(shard)))
		.collect();
	let levels = merkle::tree_levels(leaves);
	let shards_root = levels.last().and_then(|root| root.first()).copied().unwrap_or_default();
	let masks = fingerprint::fingerprint_masks(&shards_root, shard_len / 64);
	let fingerprints: Vec<u8> = shards
		.iter()
		.take(usize::from(data_shards))
		.flat_map(|shard| fingerprint::shard_fingerprints(shard, &masks))
		.collect();
	let fingerprints_hash = fingerprint::fingerprints_hash(&fingerprints);
	let commitment = BlobCommitment {
		root: merkle::bind_root(
			&shards_root,
			&fingerprints_hash,
			size_bytes,
			data_shards,
			parity_shards,
		),
		size_bytes,
		data_shards,
		parity_shards,
	};
	let proofs = (0..shards.len())
		.zip(0u16..)
		.map(|(position, index)| {
			let siblings: Vec<H256> = merkle::path(&levels, position);
			ShardProofSiblings::try_from(siblings)
				.map(|siblings| ShardProof { index, siblings, fingerprints: fingerprints_hash })
				// Unreachable: `k + m <= MAX_TOTAL_SHARDS` keeps the path within the bound.
				.map_err(|_| Error::TooManyShards { total: u32::from(commitment.total_shards()) })
		})
		.collect::<Result<Vec<_>, _>>()?;

	Ok(EncodedBlob { commitment, shards, proofs, fingerprints })
}
