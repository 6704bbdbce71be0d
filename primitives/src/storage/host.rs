//! Host functions through which a storage provider's off-chain worker reads its own node's data
//! store: whether it holds a whole file, and a chunk of it with the chunk's proof.
//!
//! The worker used to ask the node's JSON-RPC server for chunk proofs over HTTP, which made
//! `storage_chunkProof` a public method and let the worker's URL point at any node, so a proof
//! could come from someone else's copy. These host functions reach only the store of the node
//! that runs the worker: the node registers a [`ProviderStoreExt`] in the off-chain worker's
//! externalities, and nowhere else.
//!
//! Where no store is registered (block import, RPC calls into the runtime, a node without a data
//! store, tools that execute the runtime), the functions answer [`StoreRefusal::NoStore`]; they
//! never panic. Tools that instantiate the runtime without these host functions (such as
//! `frame-omni-bencher`) need `--allow-missing-host-functions`, as for any custom host function.

use super::{ChunkProof, FileRoot};
use alloc::vec::Vec;
use codec::{Decode, Encode};
use sp_runtime_interface::{
	pass_by::{AllocateAndReturnByCodec, PassPointerAndReadCopy},
	runtime_interface,
};

/// Why the store gave no answer.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub enum StoreRefusal {
	/// No provider store is registered where the runtime runs.
	NoStore,
	/// The store does not hold what was asked for.
	NotHeld,
	/// The store failed to read, or holds bytes that do not prove (a corrupt disk).
	Failed,
}

/// A chunk's bytes (exactly its `chunk_len`, the last chunk unpadded) and its proof.
pub type ChunkWithProof = (Vec<u8>, ChunkProof);

/// What the node's data store offers the off-chain worker.
#[cfg(not(substrate_runtime))]
pub trait ProviderStore: Send + Sync {
	/// Whether the store holds every segment of the file committed as exactly `(root, size)`
	/// (each segment was verified against the root when it was stored).
	fn holds_file(&self, root: FileRoot, size: u64) -> Result<bool, StoreRefusal>;

	/// Chunk `chunk_index` (counted over the whole file) of the stored file `(root, size)` with
	/// its proof against the root.
	fn chunk_proof(
		&self,
		root: FileRoot,
		size: u64,
		chunk_index: u64,
	) -> Result<ChunkWithProof, StoreRefusal>;
}

#[cfg(not(substrate_runtime))]
sp_externalities::decl_extension! {
	/// The node's data store, registered in the externalities of its off-chain workers.
	pub struct ProviderStoreExt(alloc::sync::Arc<dyn ProviderStore>);
}

#[cfg(not(substrate_runtime))]
impl ProviderStoreExt {
	/// Wraps `store` for registration.
	pub fn new(store: alloc::sync::Arc<dyn ProviderStore>) -> Self {
		Self(store)
	}
}

/// The host functions, `ext_zerog_storage_*`: a runtime that calls them needs a node whose
/// executor includes [`zerog_storage::HostFunctions`].
#[runtime_interface]
pub trait ZerogStorage {
	/// Whether the node's store holds every segment of the file `(root, size)`.
	fn holds_file(
		&mut self,
		root: PassPointerAndReadCopy<FileRoot, 32>,
		size: u64,
	) -> AllocateAndReturnByCodec<Result<bool, StoreRefusal>> {
		use sp_externalities::ExternalitiesExt;
		match self.extension::<ProviderStoreExt>() {
			Some(store) => store.0.holds_file(root, size),
			None => Err(StoreRefusal::NoStore),
		}
	}

	/// Chunk `chunk_index` of the stored file `(root, size)` and its proof.
	fn chunk_proof(
		&mut self,
		root: PassPointerAndReadCopy<FileRoot, 32>,
		size: u64,
		chunk_index: u64,
	) -> AllocateAndReturnByCodec<Result<ChunkWithProof, StoreRefusal>> {
		use sp_externalities::ExternalitiesExt;
		match self.extension::<ProviderStoreExt>() {
			Some(store) => store.0.chunk_proof(root, size, chunk_index),
			None => Err(StoreRefusal::NoStore),
		}
	}
}
