//! The DA data plane: how a publisher pushes shards to a signer's node as binary over HTTP.
//!
//! `da_putShards` carries shards as hex inside JSON, twice their size, and a JSON-RPC server
//! parses the whole string before any check. Every node's data plane (the HTTP listener that
//! serves storage segments, see [`crate::storage::transport`]) also takes DA shards:
//!
//! | method and path | body | answer |
//! |---|---|---|
//! | `POST {BLOBS_PATH}/{root}/shards` | SCALE [`ShardsEnvelope`] | JSON, as `da_putShards` |
//!
//! The node runs exactly the checks of `da_putShards` (membership of the blob's quorum, every
//! shard's proof, the encoding fingerprints, the staging allowance) and stores all shards of the
//! request or none. A refusal is a JSON body `{"code": <the da_* JSON-RPC error code>,
//! "message": "..."}` with a 4xx or 5xx status.

use alloc::{format, string::String, vec::Vec};

use codec::{Decode, Encode};
use polkadot_sdk::sp_core::H256;

use super::{BlobCommitment, ShardProof, MAX_BLOB_SIZE, MAX_TOTAL_SHARDS};

/// Path under which a node takes DA shards.
pub const BLOBS_PATH: &str = "/da/v1/blobs";

/// Media type of a [`ShardsEnvelope`] body.
pub const SHARDS_MEDIA_TYPE: &str = "application/vnd.zerog.da-shards+scale";

/// Largest [`ShardsEnvelope`] body a node reads: one shard of the largest blob coded with a
/// single data shard (so every shard fits in some request), the largest data fingerprints
/// (4 KiB for each of at most [`MAX_TOTAL_SHARDS`] shards) and room for proofs and lengths.
pub const MAX_SHARDS_BODY_BYTES: usize =
	MAX_BLOB_SIZE as usize + 4096 * MAX_TOTAL_SHARDS as usize + 64 * 1024;

/// Bytes of shard data a publisher puts in one request: large enough that a request's round
/// trip is small beside its transfer, small enough that the node's memory for requests in
/// flight stays modest.
pub const TARGET_SHARDS_BODY_BYTES: usize = 16 * 1024 * 1024;

/// Size and coding of a blob: with the root in the path, its commitment. A request names it
/// when the blob is not on chain yet (the node stages the shards for the quorum the blob would
/// get); without it, the node takes the commitment the chain holds for the root.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode)]
pub struct BlobShape {
	/// Size of the blob in bytes.
	pub size_bytes: u32,
	/// `k`.
	pub data_shards: u16,
	/// `m`.
	pub parity_shards: u16,
}

impl BlobShape {
	/// The shape of `commitment`.
	pub fn of(commitment: &BlobCommitment) -> Self {
		Self {
			size_bytes: commitment.size_bytes,
			data_shards: commitment.data_shards,
			parity_shards: commitment.parity_shards,
		}
	}

	/// The commitment of the blob with `root` and this shape.
	pub fn commitment(&self, root: H256) -> BlobCommitment {
		BlobCommitment {
			root,
			size_bytes: self.size_bytes,
			data_shards: self.data_shards,
			parity_shards: self.parity_shards,
		}
	}
}

/// One shard with its proof; the proof names the shard's index.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct ShardEnvelope {
	/// The shard's proof against the blob's root.
	pub proof: ShardProof,
	/// The shard's bytes.
	pub data: Vec<u8>,
}

impl ShardEnvelope {
	/// Bytes this shard adds to a SCALE body.
	pub fn body_len(&self) -> usize {
		self.encoded_size()
	}
}

/// The body of `POST {BLOBS_PATH}/{root}/shards`.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct ShardsEnvelope {
	/// The blob's size and coding, for a blob not on chain yet.
	pub shape: Option<BlobShape>,
	/// The data shards' encoding fingerprints (`EncodedBlob::fingerprints`).
	pub fingerprints: Vec<u8>,
	/// The shards, at most [`MAX_TOTAL_SHARDS`].
	pub shards: Vec<ShardEnvelope>,
}

/// Path taking the shards of the blob with `root`.
pub fn shards_path(root: &H256) -> String {
	format!("{BLOBS_PATH}/{}/shards", crate::hex::to_prefixed_hex(root.as_bytes()))
}

/// The blob root a path of the DA data plane names, `None` if the path is not under
/// [`BLOBS_PATH`], or `Some(Err)` saying what is wrong with it.
pub fn parse_shards_path(path: &str) -> Option<Result<H256, String>> {
	let rest = path.strip_prefix(BLOBS_PATH)?;
	let parsed = rest
		.strip_prefix('/')
		.and_then(|rest| rest.trim_end_matches('/').strip_suffix("/shards"))
		.ok_or_else(|| format!("no such path: {path} (shards go to {BLOBS_PATH}/{{root}}/shards)"))
		.and_then(|root| {
			crate::hex::parse_h256(root).map_err(|reason| format!("root {root:?}: {reason}"))
		});
	Some(parsed)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn shard_paths_parse_back_into_their_root() {
		let root = H256::repeat_byte(0x5a);
		assert_eq!(parse_shards_path(&shards_path(&root)), Some(Ok(root)));
		assert_eq!(parse_shards_path("/storage/v1/files/0x00/1"), None);
	}

	#[test]
	fn malformed_shard_paths_say_what_is_wrong() {
		for bad in [
			"/da/v1/blobs",
			"/da/v1/blobs/",
			"/da/v1/blobs/0x12/shards",
			"/da/v1/blobs/0xzz/shards",
			"/da/v1/blobs/0x5a5a/other",
		] {
			let error = parse_shards_path(bad).unwrap().unwrap_err();
			assert!(!error.is_empty(), "{bad}");
		}
	}

	#[test]
	fn the_largest_shard_fits_in_one_body() {
		let shard = ShardEnvelope {
			proof: ShardProof {
				index: 0,
				siblings: Default::default(),
				fingerprints: H256::zero(),
			},
			data: alloc::vec![0; MAX_BLOB_SIZE as usize + 64],
		};
		let body = ShardsEnvelope {
			shape: None,
			fingerprints: alloc::vec![0; 4096],
			shards: alloc::vec![shard],
		};
		assert!(body.encoded_size() <= MAX_SHARDS_BODY_BYTES);
	}
}
