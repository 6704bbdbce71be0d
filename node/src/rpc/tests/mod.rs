//! Tests of the storage and DA RPC against a mock chain and a real data store in a temporary
//! directory: the verification and bookkeeping the node does, without a client.

mod da;
mod fuzz;
mod storage;

use std::sync::Arc;

use polkadot_sdk::sp_core::H256;
use zerog_primitives::{da::BlobCommitment, AccountId};

use super::chain::{ChainFile, DaChain, LocalShards, StorageChain};
use crate::data_store::DataStore;

/// A chain that knows a fixed set of live files and blobs.
#[derive(Clone, Default)]
pub(crate) struct MockChain {
	pub(crate) files: Vec<ChainFile>,
	pub(crate) blobs: Vec<BlobCommitment>,
	/// Live files that are not assigned to this node's providers (every other one is).
	pub(crate) assigned_elsewhere: Vec<(H256, u64)>,
	/// Blobs not on chain whose would-be quorum has this node's DA key (staging).
	pub(crate) staged_here: Vec<BlobCommitment>,
	/// The shard indices this node's DA keys hold of every blob; `None`: all of them.
	pub(crate) local_indices: Option<Vec<u16>>,
}

impl StorageChain for MockChain {
	fn live_files(&self, root: &H256) -> Result<Vec<ChainFile>, String> {
		Ok(self.files.iter().filter(|file| file.root == *root).cloned().collect())
	}

	fn assigned_here(&self, root: &H256, size: u64) -> Result<bool, String> {
		let live = self.files.iter().any(|file| file.root == *root && file.size == size);
		Ok(live && !self.assigned_elsewhere.contains(&(*root, size)))
	}
}

impl DaChain for MockChain {
	fn blob_commitment(&self, root: &H256) -> Result<Option<BlobCommitment>, String> {
		Ok(self.blobs.iter().find(|blob| blob.root == *root).copied())
	}

	fn local_shards(&self, commitment: &BlobCommitment) -> Result<Option<LocalShards>, String> {
		let on_chain = self.blobs.contains(commitment);
		if !on_chain && !self.staged_here.contains(commitment) {
			return Ok(None);
		}
		let indices =
			self.local_indices.clone().unwrap_or_else(|| (0..commitment.total_shards()).collect());
		Ok((!indices.is_empty()).then_some(LocalShards { on_chain, indices }))
	}
}

/// A fresh store in its own temporary directory (kept alive by the returned guard).
pub(crate) fn open_store() -> (tempfile::TempDir, Arc<DataStore>) {
	let dir = tempfile::tempdir().expect("temporary directory");
	let store = DataStore::open(dir.path()).expect("store opens");
	(dir, Arc::new(store))
}

/// The owner of every mock file.
fn owner() -> AccountId {
	AccountId::from([1u8; 32])
}

/// A live file as the mock chain reports it.
pub(crate) fn chain_file(id: u64, root: H256, size: u64) -> ChainFile {
	ChainFile {
		id,
		root,
		size,
		owner: owner(),
		submitted_at: 3,
		expires_at: 1_000,
		replicas_wanted: 1,
		replicas_acked: 1,
	}
}

/// `len` bytes that are not all alike, so tampering with any of them changes a hash.
pub(crate) fn bytes(len: usize, seed: u8) -> Vec<u8> {
	(0..len).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)).collect()
}

/// Runs an async test body (the jsonrpsee module's blocking methods need a Tokio runtime).
pub(crate) fn block_on<F: std::future::Future>(future: F) -> F::Output {
	tokio::runtime::Builder::new_multi_thread()
		.enable_all()
		.build()
		.expect("tokio runtime")
		.block_on(future)
}

/// The JSON-RPC error code of a failed in-memory call.
fn error_code(error: jsonrpsee::core::server::MethodsError) -> i32 {
	match error {
		jsonrpsee::core::server::MethodsError::JsonRpc(error) => error.code(),
		other => panic!("expected a JSON-RPC error, got {other:?}"),
	}
}
