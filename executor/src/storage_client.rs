//! ZeroG storage as the job runner uses it: download a dataset by root with every segment's proof
//! checked, and store an output file (commit it on chain, upload its segments).
//!
//! This speaks the node's storage JSON-RPC (`storage_fileInfo`, `storage_downloadSegment`,
//! `storage_uploadSegment`) directly. The `zerog` CLI has its own client for the same methods
//! and does not expose a library yet; the two should be merged into one shared crate.

use crate::chain::Chain;
use async_trait::async_trait;
use codec::{Decode, Encode};
use polkadot_sdk::sp_core::H256;
use serde_json::Value;
use std::{path::Path, sync::Arc};
use subxt::rpcs::{rpc_params, RpcClient};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use zerog_primitives::storage::{segment_count, segment_len, segment_root, FileTree, SegmentProof};

/// JSON-RPC error code: no live file with this root is committed.
const UNKNOWN_FILE: i32 = 6001;
/// JSON-RPC error code: a proof did not verify.
const INVALID_PROOF: i32 = 6002;
/// JSON-RPC error code: the node does not hold the segment.
const NOT_STORED: i32 = 6004;

/// Why a download or an upload failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StorageError {
	/// Neither the chain nor the node knows a file with this root.
	UnknownFile(String),
	/// The node does not hold (all of) the file yet; worth retrying.
	NotStored(String),
	/// Data from the node does not verify against the root, or the node refused our proof.
	InvalidProof(String),
	/// The node could not be reached or answered unexpectedly; worth retrying.
	Rpc(String),
	/// Committing the file on chain failed.
	Chain(String),
	/// A local file could not be read or written.
	Io(String),
	/// The file is empty; storage cannot hold an empty file.
	Empty,
}

impl StorageError {
	/// Whether trying again later may succeed.
	pub fn is_transient(&self) -> bool {
		matches!(self, Self::NotStored(_) | Self::Rpc(_) | Self::Chain(_))
	}
}

impl std::fmt::Display for StorageError {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		match self {
			Self::UnknownFile(reason) => write!(f, "unknown file: {reason}"),
			Self::NotStored(reason) => write!(f, "not stored on the node: {reason}"),
			Self::InvalidProof(reason) => write!(f, "invalid proof: {reason}"),
			Self::Rpc(reason) => write!(f, "storage RPC failed: {reason}"),
			Self::Chain(reason) => write!(f, "committing the file failed: {reason}"),
			Self::Io(reason) => write!(f, "local file error: {reason}"),
			Self::Empty => write!(f, "an empty file cannot be stored"),
		}
	}
}

impl From<std::io::Error> for StorageError {
	fn from(error: std::io::Error) -> Self {
		Self::Io(error.to_string())
	}
}

/// ZeroG storage, as the job runner needs it.
#[async_trait]
pub trait Storage: Send + Sync {
	/// Downloads the file with `root` to `destination`, checking every segment against the
	/// root; returns its size.
	async fn download(&self, root: H256, destination: &Path) -> Result<u64, StorageError>;
	/// Commits `file` on chain (unless a live file with its root already exists) and uploads its
	/// segments; returns its root once the node holds every segment.
	async fn upload(&self, file: &Path) -> Result<H256, StorageError>;
}

/// [`Storage`] through a node's storage JSON-RPC, committing uploads with the provider key.
pub struct RpcStorage {
	rpc: RpcClient,
	chain: Arc<dyn Chain>,
}

impl RpcStorage {
	/// Storage through the node at `url`; uploads are committed through `chain`.
	pub async fn connect(url: &str, chain: Arc<dyn Chain>) -> Result<Self, StorageError> {
		let rpc = RpcClient::from_insecure_url(url)
			.await
			.map_err(|error| StorageError::Rpc(format!("{url}: {error}")))?;
		Ok(Self { rpc, chain })
	}

	/// `storage_fileInfo(root)`: `(size, committed on chain, finalized)`.
	async fn file_info(&self, root: H256) -> Result<(u64, bool, bool), StorageError> {
		let info: Value = self
			.rpc
			.request("storage_fileInfo", rpc_params![hex_of(root.as_bytes())])
			.await
			.map_err(|error| rpc_error(error, root, None))?;
		let size = info["size"]
			.as_u64()
			.ok_or_else(|| StorageError::Rpc(format!("storage_fileInfo has no size: {info}")))?;
		Ok((size, !info["fileId"].is_null(), info["finalized"].as_bool().unwrap_or(false)))
	}
}

#[async_trait]
impl Storage for RpcStorage {
	async fn download(&self, root: H256, destination: &Path) -> Result<u64, StorageError> {
		let (size, _committed, _finalized) = self.file_info(root).await?;
		let partial = destination.with_extension("partial");
		let mut file = tokio::fs::File::create(&partial).await?;
		for index in 0..segment_count(size) {
			let answer: Value = self
				.rpc
				.request("storage_downloadSegment", rpc_params![hex_of(root.as_bytes()), index])
				.await
				.map_err(|error| rpc_error(error, root, Some(index)))?;
			let field = |name: &str| -> Result<Vec<u8>, StorageError> {
				let text = answer[name].as_str().ok_or_else(|| {
					StorageError::Rpc(format!("segment {index} answer has no `{name}`"))
				})?;
				crate::encoding::from_hex(text).map_err(StorageError::Rpc)
			};
			let data = field("data")?;
			let proof = SegmentProof::decode(&mut &field("proof")?[..]).map_err(|error| {
				StorageError::InvalidProof(format!("segment {index}: undecodable proof: {error}"))
			})?;
			proof.verify(&root, size, index, &data).map_err(|error| {
				StorageError::InvalidProof(format!("segment {index} of {root:?}: {error}"))
			})?;
			file.write_all(&data).await?;
		}
		file.sync_all().await?;
		drop(file);
		tokio::fs::rename(&partial, destination).await?;
		Ok(size)
	}

	async fn upload(&self, path: &Path) -> Result<H256, StorageError> {
		let size = tokio::fs::metadata(path).await?.len();
		if size == 0 {
			return Err(StorageError::Empty);
		}
		// First pass: the file's root, one segment in memory at a time.
		let mut roots = Vec::new();
		let mut file = tokio::fs::File::open(path).await?;
		for index in 0..segment_count(size) {
			let segment = read_segment(&mut file, size, index).await?;
			roots
				.push(segment_root(&segment).map_err(|error| StorageError::Io(error.to_string()))?);
		}
		let tree = FileTree::from_segment_roots(size, roots)
			.map_err(|error| StorageError::Io(error.to_string()))?;
		let root = tree.root();

		let committed = match self.file_info(root).await {
			Ok((_size, committed, _finalized)) => committed,
			Err(StorageError::UnknownFile(_)) => false,
			Err(error) => return Err(error),
		};
		if !committed {
			self.chain
				.submit_file(root, size)
				.await
				.map_err(|error| StorageError::Chain(error.to_string()))?;
		}

		// Second pass: every segment with its proof; storing one again changes nothing, so a
		// resumed upload simply sends everything.
		let mut file = tokio::fs::File::open(path).await?;
		for index in 0..segment_count(size) {
			let segment = read_segment(&mut file, size, index).await?;
			let proof =
				tree.segment_proof(index).map_err(|error| StorageError::Io(error.to_string()))?;
			let _stored: Value = self
				.rpc
				.request(
					"storage_uploadSegment",
					rpc_params![
						hex_of(root.as_bytes()),
						index,
						hex_of(&segment),
						hex_of(&proof.encode())
					],
				)
				.await
				.map_err(|error| rpc_error(error, root, Some(index)))?;
		}
		let (_size, _committed, finalized) = self.file_info(root).await?;
		if !finalized {
			return Err(StorageError::NotStored(format!(
				"the node does not report {root:?} finalized after every segment was uploaded"
			)));
		}
		Ok(root)
	}
}

/// Reads segment `index` of a file of `size` bytes from `file`'s current position.
async fn read_segment(
	file: &mut tokio::fs::File,
	size: u64,
	index: u64,
) -> Result<Vec<u8>, StorageError> {
	let length = segment_len(size, index)
		.ok_or_else(|| StorageError::Io(format!("segment {index} is past the end of the file")))?;
	let mut segment = vec![0u8; length];
	file.read_exact(&mut segment).await?;
	Ok(segment)
}

/// `0x` hex, as the storage RPC takes it.
fn hex_of(bytes: &[u8]) -> String {
	crate::encoding::to_hex(bytes)
}

/// A storage RPC error, classified by its JSON-RPC code.
fn rpc_error(error: subxt::rpcs::Error, root: H256, segment: Option<u64>) -> StorageError {
	let place = match segment {
		Some(index) => format!("{root:?} segment {index}"),
		None => format!("{root:?}"),
	};
	match error {
		subxt::rpcs::Error::User(user) => {
			let reason = format!("{place}: {}", user.message);
			match user.code {
				UNKNOWN_FILE => StorageError::UnknownFile(reason),
				INVALID_PROOF => StorageError::InvalidProof(reason),
				NOT_STORED => StorageError::NotStored(reason),
				_ => StorageError::Rpc(format!("{reason} (code {})", user.code)),
			}
		},
		other => StorageError::Rpc(format!("{place}: {other}")),
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn rpc_errors_are_classified_by_code() {
		let user = |code: i32| {
			subxt::rpcs::Error::User(subxt::rpcs::UserError {
				code,
				message: "why".into(),
				data: None,
			})
		};
		assert!(matches!(rpc_error(user(6001), H256::zero(), None), StorageError::UnknownFile(_)));
		assert!(matches!(
			rpc_error(user(6002), H256::zero(), Some(1)),
			StorageError::InvalidProof(_)
		));
		let not_stored = rpc_error(user(6004), H256::zero(), Some(2));
		assert!(not_stored.is_transient());
		assert!(not_stored.to_string().contains("segment 2"), "{not_stored}");
		assert!(!rpc_error(user(6002), H256::zero(), None).is_transient());
	}

	#[tokio::test]
	async fn segments_are_read_without_padding() {
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("file");
		let size = zerog_primitives::storage::SEGMENT_SIZE + 10;
		std::fs::write(&path, vec![1u8; size]).unwrap();
		let mut file = tokio::fs::File::open(&path).await.unwrap();
		assert_eq!(read_segment(&mut file, size as u64, 0).await.unwrap().len(), size - 10);
		assert_eq!(read_segment(&mut file, size as u64, 1).await.unwrap(), vec![1u8; 10]);
		assert!(read_segment(&mut file, size as u64, 2).await.is_err());
	}
}
