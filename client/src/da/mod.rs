//! Data availability as a client uses it: publishing a blob ([`publish`]), fetching it back
//! verified and sampling it ([`fetch_blob`], [`confidence`]), what the chain says about it
//! ([`blob_summary`]), who holds its shards ([`holders`]); and the DA data plane underneath: a
//! publisher's shards pushed to a signer's node as binary (`POST /da/v1/blobs/{root}/shards`,
//! see `zerog_primitives::da::transport`), the answer the node sends for it and for
//! `da_putShards`, and the error codes of both.

mod dispersal;
mod fetch;
pub mod holders;
mod on_chain;
mod publish;

pub use dispersal::{PushReport, Transport, MEMBER_LAG};
pub use fetch::{confidence, fetch_blob, fooled_probability, verify_blob, SAMPLES_IN_FLIGHT};
pub use on_chain::{
	blob_of, blob_summary, certification, committed, BlobStatusView, BlobSummaryView,
};
pub use publish::{batches, publish, publish_encoded, PublishOptions, Published, MAX_PUT_BYTES};

use serde::{Deserialize, Serialize};
use zerog_primitives::da::transport::{shards_path, ShardsEnvelope, SHARDS_MEDIA_TYPE};

use crate::storage::{DataClient, DataError};

/// JSON error code of a refusal: no pending or certified blob with this root is on chain.
pub const UNKNOWN_BLOB: i32 = 6101;
/// JSON error code of a refusal: a shard does not verify against the blob's commitment.
pub const INVALID_PROOF: i32 = 6102;
/// JSON error code of a refusal: a parameter is malformed or out of range.
pub const INVALID_PARAMS: i32 = 6103;
/// JSON error code of a refusal: the node does not hold the asked shard.
pub const NOT_STORED: i32 = 6104;
/// JSON error code of a refusal: fewer than `k` shards are held, too few to rebuild the blob.
pub const NOT_ENOUGH_SHARDS: i32 = 6105;
/// JSON error code of a refusal: the node's data store or chain state failed.
pub const STORE_FAILED: i32 = 6106;
/// JSON error code of a refusal: no DA key of the node holds these shards in the blob's quorum.
pub const NOT_ASSIGNED: i32 = 6107;
/// JSON error code of a refusal: the node's allowance for shards of blobs not on chain is used.
pub const STAGING_FULL: i32 = 6108;
/// JSON error code of a refusal: a shard is not on the codeword the commitment fixes.
pub const BAD_ENCODING: i32 = 6109;

/// What a node holds of a blob after taking shards of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredShards {
	/// Root of the blob, hex.
	pub root: String,
	/// Shards of the call that were not held before.
	pub newly_stored: u32,
	/// Shards of the blob held now.
	pub held: u32,
	/// `k`: shards needed to rebuild the blob.
	pub data_shards: u16,
	/// `k + m`.
	pub total_shards: u16,
}

impl DataClient {
	/// Pushes the shards in `envelope` of the blob with `root` to the node, which stores all of
	/// them or refuses (with the `da_putShards` error code).
	pub async fn put_shards(
		&self,
		root: &polkadot_sdk::sp_core::H256,
		envelope: &ShardsEnvelope,
	) -> Result<StoredShards, DataError> {
		use codec::Encode;
		let body = bytes::Bytes::from(envelope.encode());
		self.post_json(&shards_path(root), SHARDS_MEDIA_TYPE, body).await
	}
}
