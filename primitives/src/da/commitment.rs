//! The commitment to a blob: what the chain stores and every shard is checked against.

use super::{check_coding_params, params, Error, MAX_BLOB_SIZE};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::sp_core::H256;
use scale_info::TypeInfo;

/// Commitment to an erasure-coded blob: its root, its size and its coding.
///
/// Produced by [`encode_blob`](super::encode_blob) (std) and stored by the DA pallet. A commitment
/// decoded from a transaction may hold any values: [`BlobCommitment::validate`] (called by
/// [`verify_shard`](super::verify_shard) and [`decode_blob`](super::decode_blob)) rejects bad
/// coding parameters and sizes.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub struct BlobCommitment {
	/// `keccak256(shards root || size_bytes LE || data_shards LE || parity_shards LE)`, where the
	/// shards root is the keccak merkle root over the `k + m` shard leaves (see the [`da`](super)
	/// module for the leaf and padding rules).
	pub root: H256,
	/// Size of the blob before padding, in bytes; at most [`MAX_BLOB_SIZE`].
	pub size_bytes: u32,
	/// Number of data shards (`k`): any `k` shards rebuild the blob.
	pub data_shards: u16,
	/// Number of parity shards (`m`): how many shards may be lost.
	pub parity_shards: u16,
}

impl BlobCommitment {
	/// Checks the size against [`MAX_BLOB_SIZE`] and the coding with
	/// [`check_coding_params`]; says nothing about the root.
	pub fn validate(&self) -> Result<(), Error> {
		if self.size_bytes > MAX_BLOB_SIZE {
			return Err(Error::BlobTooLarge { size_bytes: u64::from(self.size_bytes) });
		}
		check_coding_params(self.data_shards, self.parity_shards)
	}

	/// Total number of shards, `k + m`; saturates for invalid codings, which
	/// [`BlobCommitment::validate`] rejects.
	pub fn total_shards(&self) -> u16 {
		self.data_shards.saturating_add(self.parity_shards)
	}

	/// Size in bytes of each shard of this blob (see [`shard_bytes`](super::shard_bytes)).
	pub fn shard_bytes(&self) -> Result<u32, Error> {
		params::shard_bytes(self.size_bytes, self.data_shards)
	}

	/// Number of siblings in the proof of any shard of this blob.
	pub fn proof_depth(&self) -> u32 {
		params::proof_depth(self.total_shards())
	}
}
