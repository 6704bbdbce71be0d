//! What the data-plane RPC asks the chain: the live files behind a root and the commitment of a
//! blob, read through the runtime APIs at the node's best block.
//!
//! The RPC logic only sees the [`StorageChain`] and [`DaChain`] traits, so it is tested with a
//! mock chain; [`BestBlock`] implements them for the real client.

use std::sync::Arc;

use pallet_da_attestations::runtime_api::DaAttestationsApi;
use pallet_storage_commitments::{runtime_api::StorageCommitmentsApi, FileSummary};
use polkadot_sdk::{sp_api::ProvideRuntimeApi, sp_blockchain::HeaderBackend, sp_core::H256};
use zerog_primitives::{da::BlobCommitment, AccountId, Balance, BlockNumber, OpaqueBlock as Block};

/// A live file as the chain describes it.
pub type ChainFile = FileSummary<AccountId, BlockNumber>;

/// The storage RPC's view of the chain.
pub trait StorageChain: Send + Sync + 'static {
	/// The live files committed with `root` (usually zero or one); the error says why the chain
	/// could not be asked.
	fn live_files(&self, root: &H256) -> Result<Vec<ChainFile>, String>;
}

/// The DA RPC's view of the chain.
pub trait DaChain: Send + Sync + 'static {
	/// The commitment of the pending or certified blob with `root`, if there is one.
	fn blob_commitment(&self, root: &H256) -> Result<Option<BlobCommitment>, String>;
}

/// The chain as of the client's best block: an upload is accepted as soon as its file is in a
/// block the node builds on, without waiting for finality.
pub struct BestBlock<C> {
	client: Arc<C>,
}

impl<C> BestBlock<C> {
	/// Reads the chain through `client`.
	pub fn new(client: Arc<C>) -> Self {
		Self { client }
	}
}

impl<C> StorageChain for BestBlock<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: StorageCommitmentsApi<Block, AccountId, BlockNumber>,
{
	fn live_files(&self, root: &H256) -> Result<Vec<ChainFile>, String> {
		live_files_at(&*self.client, self.client.info().best_hash, root)
	}
}

impl<C> DaChain for BestBlock<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: DaAttestationsApi<Block, AccountId, Balance, BlockNumber>,
{
	fn blob_commitment(&self, root: &H256) -> Result<Option<BlobCommitment>, String> {
		blob_commitment_at(&*self.client, self.client.info().best_hash, root)
	}
}

/// The live files committed with `root` in the state of block `at`.
pub fn live_files_at<C>(client: &C, at: H256, root: &H256) -> Result<Vec<ChainFile>, String>
where
	C: ProvideRuntimeApi<Block>,
	C::Api: StorageCommitmentsApi<Block, AccountId, BlockNumber>,
{
	client
		.runtime_api()
		.files_by_root(at, *root)
		.map_err(|error| format!("runtime API files_by_root failed at block {at:?}: {error}"))
}

/// The commitment of the pending or certified blob with `root` in the state of block `at`.
pub fn blob_commitment_at<C>(
	client: &C,
	at: H256,
	root: &H256,
) -> Result<Option<BlobCommitment>, String>
where
	C: ProvideRuntimeApi<Block>,
	C::Api: DaAttestationsApi<Block, AccountId, Balance, BlockNumber>,
{
	client
		.runtime_api()
		.blob(at, *root)
		.map(|blob| blob.map(|blob| blob.commitment))
		.map_err(|error| format!("runtime API blob failed at block {at:?}: {error}"))
}
