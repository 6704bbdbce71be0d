//! Shard proofs and their verification: the part of DA the runtime runs, so `no_std`.

use super::{merkle, BlobCommitment, Error, MAX_PROOF_DEPTH};
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
}

/// Checks that `shard` is shard `index` of the blob behind `commitment`.
///
/// In order, each with its own error: the commitment is valid, `index` is below `k + m`, the
/// proof is for `index`, the shard has the blob's shard size, the proof has one sibling per
/// level, and the path leads to the committed root. Cost: one keccak over the shard plus
/// `proof_depth + 2` keccaks over at most 64 bytes; no allocation.
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
	let shards_root =
		merkle::root_from_path(merkle::leaf_hash(index, shard), index, proof.siblings.iter());
	let root = merkle::bind_root(
		&shards_root,
		commitment.size_bytes,
		commitment.data_shards,
		commitment.parity_shards,
	);
	if root != commitment.root {
		return Err(Error::ProofMismatch { index });
	}
	Ok(())
}
