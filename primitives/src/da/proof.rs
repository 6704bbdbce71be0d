//! Shard and chunk proofs and their verification: the part of DA the runtime runs, so `no_std`.

use super::{
	merkle, params, BlobCommitment, Error, CHUNK_BYTES, MAX_CHUNK_PROOF_DEPTH, MAX_PROOF_DEPTH,
};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::{
	sp_core::{ConstU32, H256},
	sp_runtime::BoundedVec,
};
use scale_info::TypeInfo;

/// Siblings of a shard's leaf, lowest level first; never more than [`MAX_PROOF_DEPTH`], so a
/// proof in a transaction is bounded at decode time.
pub type ShardProofSiblings = BoundedVec<H256, ConstU32<MAX_PROOF_DEPTH>>;

/// Proof that a shard sits at `index` in a blob's shard tree.
///
/// Travels with the shard (to signers, to samplers), so it names its own index; the verifier
/// still takes the index it expects, so a proof for one shard is never accepted for another.
#[derive(
	Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen, Clone, PartialEq, Eq, Debug,
)]
pub struct ShardProof {
	/// Index of the shard: `0..k` for data shards, `k..k + m` for parity shards.
	pub index: u16,
	/// Siblings from the leaf up to the root of the shards tree, exactly
	/// [`BlobCommitment::proof_depth`] of them.
	pub siblings: ShardProofSiblings,
	/// keccak-256 of the data shards' encoding fingerprints, the other half of what the root
	/// binds (see [`fingerprint`](super::fingerprint)); the same in every proof of a blob.
	pub fingerprints: H256,
}

/// Siblings of a chunk's leaf inside its shard's chunk tree, lowest level first.
pub type ChunkProofSiblings = BoundedVec<H256, ConstU32<MAX_CHUNK_PROOF_DEPTH>>;

/// Proof that a [`CHUNK_BYTES`] chunk sits at `chunk` in shard `shard.index` of a blob: what a
/// signer answers a custody challenge with, about 1 KiB of data and at most 26 hashes.
#[derive(
	Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen, Clone, PartialEq, Eq, Debug,
)]
pub struct ChunkProof {
	/// Index of the chunk inside its shard.
	pub chunk: u32,
	/// Siblings from the chunk's leaf up to the shard's chunk root, exactly
	/// [`chunk_proof_depth`](params::chunk_proof_depth) of the shard size.
	pub siblings: ChunkProofSiblings,
	/// The proof of the shard the chunk root is the leaf of.
	pub shard: ShardProof,
}

/// Checks that `shard` is shard `index` of the blob behind `commitment`.
///
/// In order, each with its own error: the commitment is valid, `index` is below `k + m`, the
/// proof is for `index`, the shard has the blob's shard size, the proof has one sibling per
/// level, and the path leads to the committed root. Cost: one keccak per [`CHUNK_BYTES`] of the
/// shard, as many over 64 bytes for its chunk tree, and `proof_depth + 2` more.
pub fn verify_shard(
	commitment: &BlobCommitment,
	index: u16,
	shard: &[u8],
	proof: &ShardProof,
) -> Result<(), Error> {
	commitment.validate()?;
	let total_shards = commitment.total_shards();
	if index >= total_shards {
		return Err(Error::ShardIndexOutOfRange { index, total_shards });
	}
	if proof.index != index {
		return Err(Error::ProofIndexMismatch { index, proof_index: proof.index });
	}
	let expected = commitment.shard_bytes()?;
	// `usize` is at most 64 bits on every target we build for; saturate rather than assume.
	let got = u64::try_from(shard.len()).unwrap_or(u64::MAX);
	if got != u64::from(expected) {
		return Err(Error::ShardSizeMismatch { index, expected, got });
	}
	let depth = commitment.proof_depth();
	// The bound is `MAX_PROOF_DEPTH`, so the length always fits a `u32`.
	let siblings = u32::try_from(proof.siblings.len()).unwrap_or(u32::MAX);
	if siblings != depth {
		return Err(Error::ProofLengthMismatch { index, expected: depth, got: siblings });
	}
	if bound_root(commitment, &shards_root(index, shard, proof), &proof.fingerprints)
		!= commitment.root
	{
		return Err(Error::ProofMismatch { index });
	}
	Ok(())
}

/// Checks that `chunk` is chunk `chunk_index` of shard `index` of the blob behind `commitment`.
///
/// In order, each with its own error: the commitment is valid, `index` is below `k + m` and the
/// proof is for it, the chunk index is below the shard's chunk count and the proof is for it,
/// the chunk has its size (the last chunk of a shard may be shorter), both paths have one
/// sibling per level, and they lead to the committed root. Cost: `chunk proof depth +
/// proof depth + 3` keccaks; no allocation.
pub fn verify_chunk(
	commitment: &BlobCommitment,
	index: u16,
	chunk_index: u32,
	chunk: &[u8],
	proof: &ChunkProof,
) -> Result<(), Error> {
	commitment.validate()?;
	let total_shards = commitment.total_shards();
	if index >= total_shards {
		return Err(Error::ShardIndexOutOfRange { index, total_shards });
	}
	if proof.shard.index != index {
		return Err(Error::ProofIndexMismatch { index, proof_index: proof.shard.index });
	}
	let shard_bytes = commitment.shard_bytes()?;
	let chunks = params::chunk_count(shard_bytes);
	if chunk_index >= chunks {
		return Err(Error::ChunkIndexOutOfRange { index, chunk: chunk_index, chunks });
	}
	if proof.chunk != chunk_index {
		return Err(Error::ChunkProofMismatch { index, chunk: chunk_index });
	}
	let expected = (shard_bytes - chunk_index * CHUNK_BYTES).min(CHUNK_BYTES);
	let got = u64::try_from(chunk.len()).unwrap_or(u64::MAX);
	if got != u64::from(expected) {
		return Err(Error::ChunkSizeMismatch { index, chunk: chunk_index, expected, got });
	}
	let chunk_depth = params::chunk_proof_depth(shard_bytes);
	let depth = commitment.proof_depth();
	if proof.siblings.len() as u32 != chunk_depth || proof.shard.siblings.len() as u32 != depth {
		return Err(Error::ChunkProofMismatch { index, chunk: chunk_index });
	}
	let chunk_root =
		merkle::root_from_path(merkle::keccak(chunk), chunk_index, proof.siblings.iter());
	let shards_root = merkle::root_from_path(
		merkle::leaf_hash(index, &chunk_root),
		u32::from(index),
		proof.shard.siblings.iter(),
	);
	if bound_root(commitment, &shards_root, &proof.shard.fingerprints) != commitment.root {
		return Err(Error::ChunkProofMismatch { index, chunk: chunk_index });
	}
	Ok(())
}

/// Root of the shard tree that `shard` at `index` and `proof`'s path lead to (unchecked: the
/// caller compares what it binds to with the commitment).
pub(crate) fn shards_root(index: u16, shard: &[u8], proof: &ShardProof) -> H256 {
	let leaf = merkle::leaf_hash(index, &merkle::chunk_root(shard));
	merkle::root_from_path(leaf, u32::from(index), proof.siblings.iter())
}

/// The commitment root `shards_root` and `fingerprints` give under `commitment`'s size and coding.
fn bound_root(commitment: &BlobCommitment, shards_root: &H256, fingerprints: &H256) -> H256 {
	merkle::bind_root(
		shards_root,
		fingerprints,
		commitment.size_bytes,
		commitment.data_shards,
		commitment.parity_shards,
	)
}
