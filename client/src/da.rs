//! The DA data plane: a publisher's shards pushed to a signer's node as binary
//! (`POST /da/v1/blobs/{root}/shards`, see `zerog_primitives::da::transport`), and the answer
//! the node sends for it and for `da_putShards`.

use serde::{Deserialize, Serialize};
use zerog_primitives::da::transport::{shards_path, ShardsEnvelope, SHARDS_MEDIA_TYPE};

use crate::storage::{DataClient, DataError};

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
