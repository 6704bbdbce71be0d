//! ZeroG storage as the job runner uses it: download a dataset by root with every segment's proof
//! checked, and store an output file (commit it on chain, upload its segments).
//!
//! The transfers are `zerog_client`'s ([`zerog_client::transfer`]: the same proof checks,
//! resumable uploads and atomic downloads as `zerog storage`); this module adds what the runner
//! needs around them: the [`Storage`] trait (so the runner can be tested without a node), the
//! on-chain commitment signed with the provider key through [`Chain`], and errors classified into
//! the ones worth retrying.

use crate::chain::Chain;
use async_trait::async_trait;
use polkadot_sdk::sp_core::H256;
use std::{path::Path, sync::Arc, time::Duration};
use zerog_client::{
	error::ClientError,
	file_tree::tree_of_file,
	replicas::{deliver, wait_for_replicas, ASSIGNMENT_TIMEOUT},
	rpc::{NodeRpc, RpcError},
	storage::{DataError, INVALID_PROOF, NOT_STORED, UNKNOWN_FILE},
	transfer::{chain_file, download_verified, file_sources, live_commitment, node_data_client},
};

/// Segment requests in flight at once.
const PARALLEL_SEGMENTS: usize = 4;

/// How long the node may take to report an uploaded file finalized.
const FINALIZE_TIMEOUT: Duration = Duration::from_secs(120);

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

impl StorageError {
	/// A node's refusal with `code` (the same codes over JSON-RPC and the data plane).
	fn refused(code: i32, reason: String) -> Self {
		match code {
			UNKNOWN_FILE => Self::UnknownFile(reason),
			INVALID_PROOF => Self::InvalidProof(reason),
			NOT_STORED => Self::NotStored(reason),
			_ => Self::Rpc(reason),
		}
	}
}

impl From<ClientError> for StorageError {
	/// Classifies a `zerog` client error: refusals by their JSON-RPC code, a timed-out wait for
	/// the node as not (yet) stored, data that does not verify as an invalid proof.
	fn from(error: ClientError) -> Self {
		match error {
			ClientError::Rpc(RpcError::Refused { code, .. })
			| ClientError::Data(DataError::Refused { code, .. }) => Self::refused(code, error.to_string()),
			ClientError::Rpc(_) => Self::Rpc(error.to_string()),
			ClientError::Data(_) => Self::Rpc(error.to_string()),
			ClientError::Verification(reason) => Self::InvalidProof(reason),
			ClientError::Timeout(reason) => Self::NotStored(reason),
			ClientError::Chain(reason) => Self::Chain(reason),
			ClientError::Io { .. } | ClientError::Input(_) | ClientError::Gateway(_) => {
				Self::Io(error.to_string())
			},
		}
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
///
/// Each transfer opens its own connection, so a node that restarted in between is simply
/// reached again.
pub struct RpcStorage {
	url: String,
	chain: Arc<dyn Chain>,
}

impl RpcStorage {
	/// Storage through the node at `url`; uploads are committed through `chain`. Fails if the
	/// node cannot be reached now.
	pub async fn connect(url: &str, chain: Arc<dyn Chain>) -> Result<Self, StorageError> {
		NodeRpc::connect(url).await.map_err(|error| StorageError::Rpc(error.to_string()))?;
		Ok(Self { url: url.to_owned(), chain })
	}

	/// A connection to the node for one transfer.
	async fn rpc(&self) -> Result<NodeRpc, StorageError> {
		NodeRpc::connect(&self.url).await.map_err(|error| StorageError::Rpc(error.to_string()))
	}
}

#[async_trait]
impl Storage for RpcStorage {
	async fn download(&self, root: H256, destination: &Path) -> Result<u64, StorageError> {
		let rpc = self.rpc().await?;
		let file = chain_file(&rpc, &root, None).await.map_err(|error| match error {
			ClientError::Input(reason) => StorageError::UnknownFile(reason),
			other => other.into(),
		})?;
		let sources = file_sources(&rpc, file.id, false).await?;
		download_verified(&sources, root, file.size, destination, PARALLEL_SEGMENTS, false).await?;
		Ok(file.size)
	}

	async fn upload(&self, path: &Path) -> Result<H256, StorageError> {
		if tokio::fs::metadata(path).await?.len() == 0 {
			return Err(StorageError::Empty);
		}
		// Hashing reads the whole file: off the async workers.
		let owned = path.to_path_buf();
		let tree = tokio::task::spawn_blocking(move || tree_of_file(&owned, false))
			.await
			.map_err(|error| StorageError::Io(format!("hashing {}: {error}", path.display())))??;
		let (root, size) = (tree.root(), tree.file_size());
		let rpc = self.rpc().await?;
		if live_commitment(&rpc, &root, size).await?.is_none() {
			self.chain
				.submit_file(root, size)
				.await
				.map_err(|error| StorageError::Chain(error.to_string()))?;
		}
		let file_id = live_commitment(&rpc, &root, size).await?.ok_or_else(|| {
			StorageError::NotStored(format!(
				"the commitment of {root:?} is not in a best block yet"
			))
		})?;
		// The file goes once to a node of one of the providers the chain drew; the others fetch it.
		let assigned = wait_for_replicas(&rpc, file_id, ASSIGNMENT_TIMEOUT).await?;
		if assigned.is_empty() {
			return Err(StorageError::NotStored(format!(
				"no storage provider was assigned file #{file_id} yet"
			)));
		}
		let local = node_data_client(&rpc).await?;
		deliver(&assigned, local.as_ref(), &tree, path, PARALLEL_SEGMENTS, FINALIZE_TIMEOUT, false)
			.await?;
		Ok(root)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn refused(code: i32) -> ClientError {
		ClientError::Rpc(RpcError::Refused {
			url: "ws://node".into(),
			method: "storage_downloadSegment",
			code,
			message: "segment 2: why".into(),
		})
	}

	#[test]
	fn client_errors_are_classified_by_code() {
		assert!(matches!(StorageError::from(refused(6001)), StorageError::UnknownFile(_)));
		assert!(matches!(StorageError::from(refused(6002)), StorageError::InvalidProof(_)));
		let not_stored = StorageError::from(refused(6004));
		assert!(not_stored.is_transient());
		assert!(not_stored.to_string().contains("segment 2"), "{not_stored}");
		assert!(!StorageError::from(refused(6002)).is_transient());
		let unreachable = ClientError::Rpc(RpcError::Transport {
			url: "ws://node".into(),
			method: "connect",
			reason: "refused".into(),
		});
		assert!(StorageError::from(unreachable).is_transient());
		let corrupt = StorageError::from(ClientError::Verification("segment 1 is corrupt".into()));
		assert!(matches!(corrupt, StorageError::InvalidProof(_)) && !corrupt.is_transient());
		assert!(StorageError::from(ClientError::Timeout("not finalized".into())).is_transient());
	}
}
