//! `storage_*`: the storage data plane's JSON-RPC methods, their parameters and results. The
//! node implements [`StorageApiServer`]; clients call [`StorageApiClient`] on any `jsonrpsee`
//! client (WebSocket or HTTP), or [`super::NodeRpc`], which names the endpoint in its errors.
//! Refusals carry the codes of [`crate::storage`] (6001..).

use jsonrpsee::{core::RpcResult, proc_macros::rpc};
use serde::{Deserialize, Serialize};
use zerog_primitives::BlockNumber;

pub use crate::storage::{MissingSegments, UploadedSegment};

/// Result of `storage_downloadSegment`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DownloadedSegment {
	/// The segment's bytes, hex (the last segment without padding).
	pub data: String,
	/// SCALE-encoded `SegmentProof`, hex.
	pub proof: String,
}

/// Result of `storage_fileInfo`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileInfo {
	/// Root of the file, hex.
	pub root: String,
	/// Id of the file in the chain's log; `null` when the chain no longer knows it.
	pub file_id: Option<u64>,
	/// Size of the file in bytes.
	pub size: u64,
	/// Segments of the whole file.
	pub segments: u64,
	/// Segments the node stores.
	pub segments_stored: u64,
	/// Whether every segment is stored.
	pub finalized: bool,
	/// SS58 address of the account that submitted it; `null` when the chain no longer knows it.
	pub owner: Option<String>,
	/// First block at which the file is expired; `null` when the chain no longer knows it.
	pub expires_at: Option<BlockNumber>,
}

/// The storage data-plane JSON-RPC methods.
#[rpc(client, server, namespace = "storage")]
pub trait StorageApi {
	/// Stores segment `segmentIndex` of the live file with `root`, if `proof` (hex of a SCALE
	/// `SegmentProof`) verifies it against the file; storing it again changes nothing.
	#[method(name = "uploadSegment", blocking)]
	fn upload_segment(
		&self,
		root: String,
		#[argument(rename = "segmentIndex")] segment_index: u64,
		data: String,
		proof: String,
	) -> RpcResult<UploadedSegment>;

	/// A stored segment and its proof.
	#[method(name = "downloadSegment", blocking)]
	fn download_segment(
		&self,
		root: String,
		#[argument(rename = "segmentIndex")] segment_index: u64,
	) -> RpcResult<DownloadedSegment>;

	/// What the chain and the store know about the file with `root`.
	#[method(name = "fileInfo", blocking)]
	fn file_info(&self, root: String) -> RpcResult<FileInfo>;

	/// Up to `limit` (at most 4096) indices from `from` on of segments not stored yet.
	#[method(name = "missingSegments", blocking)]
	fn missing_segments(&self, root: String, from: u64, limit: u64) -> RpcResult<MissingSegments>;

	/// Whether the store holds every segment of the file committed as exactly `(root, size)`
	/// (each was verified against the root when stored): what a provider's off-chain worker
	/// asks before acknowledging a file.
	#[method(name = "holdsFile", blocking)]
	fn holds_file(&self, root: String, size: u64) -> RpcResult<bool>;

	/// The TCP port of the node's storage data plane (binary segments over HTTP, see
	/// `zerog_primitives::storage::transport`), on the host of this RPC endpoint; `null` when
	/// the node serves none.
	#[method(name = "dataPort")]
	fn data_port(&self) -> RpcResult<Option<u16>>;
}
