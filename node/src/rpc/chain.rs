//! What the data-plane RPC asks the chain: the live files behind a root and the commitment of a
//! blob, read through the runtime APIs at the node's best block.
//!
//! The RPC logic only sees the [`StorageChain`] and [`DaChain`] traits, so it is tested with a
//! mock chain; [`BestBlock`] implements them for the real client.

use std::sync::Arc;

use pallet_da_attestations::{runtime_api::DaAttestationsApi, BlobSummary};
use pallet_storage_commitments::{runtime_api::StorageCommitmentsApi, FileSummary};
use polkadot_sdk::{
	sp_api::ProvideRuntimeApi, sp_blockchain::HeaderBackend, sp_core::H256,
	sp_keystore::KeystorePtr,
};
use zerog_primitives::{da::BlobCommitment, AccountId, Balance, BlockNumber, OpaqueBlock as Block};

/// A live file as the chain describes it.
pub type ChainFile = FileSummary<AccountId, BlockNumber>;

/// The storage RPC's view of the chain.
pub trait StorageChain: Send + Sync + 'static {
	/// The live files committed with `root` (usually zero or one); the error says why the chain
	/// could not be asked.
	fn live_files(&self, root: &H256) -> Result<Vec<ChainFile>, String>;

	/// Whether the live file `(root, size)` is assigned to one of this node's storage providers
	/// (a `zgst` key in its keystore): only then does the node store its segments.
	fn assigned_here(&self, root: &H256, size: u64) -> Result<bool, String>;
}

/// The DA RPC's view of the chain.
pub trait DaChain: Send + Sync + 'static {
	/// The commitment of the pending or certified blob with `root`, if there is one (the
	/// certified one first: see `DaAttestationsApi::blob_by_root`).
	fn blob_commitment(&self, root: &H256) -> Result<Option<BlobCommitment>, String>;

	/// The shards of the blob with `commitment` that this node's DA keys (`zgda`) hold as
	/// members of its quorum: of the blob on chain, or, not submitted yet, of the quorum it
	/// would get now (staging). `None` when no local key is a member.
	fn local_shards(&self, commitment: &BlobCommitment) -> Result<Option<LocalShards>, String>;
}

/// What this node's DA keys hold of one blob.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocalShards {
	/// Whether the blob is on chain (pending or certified); `false` for a staged blob.
	pub on_chain: bool,
	/// The shard indices held by the local members, ascending, without repeats.
	pub indices: Vec<u16>,
}

/// The chain as of the client's best block: an upload is accepted as soon as its file is in a
/// block the node builds on, without waiting for finality.
pub struct BestBlock<C> {
	client: Arc<C>,
	keystore: Option<KeystorePtr>,
}

impl<C> BestBlock<C> {
	/// Reads the chain through `client`; files assigned to a provider key in `keystore` are
	/// this node's, and so are blob shards held by a DA key in it.
	pub fn with_keystore(client: Arc<C>, keystore: KeystorePtr) -> Self {
		Self { client, keystore: Some(keystore) }
	}

	/// The accounts of the sr25519 keys of `key_type` in the node's keystore.
	pub fn local_accounts(
		&self,
		key_type: polkadot_sdk::sp_core::crypto::KeyTypeId,
	) -> Vec<AccountId> {
		self.keystore
			.as_ref()
			.map(|keystore| {
				keystore
					.sr25519_public_keys(key_type)
					.into_iter()
					.map(|key| AccountId::from(key.0))
					.collect()
			})
			.unwrap_or_default()
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

	fn assigned_here(&self, root: &H256, size: u64) -> Result<bool, String> {
		let local = self.local_accounts(pallet_storage_commitments::crypto::KEY_TYPE);
		if local.is_empty() {
			return Ok(false);
		}
		let at = self.client.info().best_hash;
		let api = self.client.runtime_api();
		let failed = |what: &str, error: polkadot_sdk::sp_api::ApiError| {
			format!("runtime API {what} failed at block {at:?}: {error}")
		};
		let Some(file) = api
			.file_by_commitment(at, *root, size)
			.map_err(|error| failed("file_by_commitment", error))?
		else {
			return Ok(false);
		};
		let replicas = api.replicas(at, file.id).map_err(|error| failed("replicas", error))?;
		Ok(replicas.iter().any(|replica| local.contains(&replica.provider)))
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

	fn local_shards(&self, commitment: &BlobCommitment) -> Result<Option<LocalShards>, String> {
		let local = self.local_accounts(pallet_da_attestations::KEY_TYPE);
		if local.is_empty() {
			return Ok(None);
		}
		let at = self.client.info().best_hash;
		let on_chain = blob_at(&*self.client, at, commitment)?.is_some();
		let Some(assignment) =
			self.client.runtime_api().shard_holders(at, *commitment).map_err(|error| {
				format!("runtime API shard_holders failed at block {at:?}: {error}")
			})?
		else {
			return Ok(None);
		};
		let mut indices: Vec<u16> = assignment
			.holders
			.iter()
			.filter(|holder| local.contains(&holder.account))
			.flat_map(|holder| holder.first_shard..holder.end_shard)
			.collect();
		if indices.is_empty() {
			return Ok(None);
		}
		indices.sort_unstable();
		indices.dedup();
		Ok(Some(LocalShards { on_chain, indices }))
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
		.blob_by_root(at, *root)
		.map(|blob| blob.map(|blob| blob.commitment))
		.map_err(|error| format!("runtime API blob_by_root failed at block {at:?}: {error}"))
}

/// The pending or certified blob with `commitment` in the state of block `at`.
pub fn blob_at<C>(
	client: &C,
	at: H256,
	commitment: &BlobCommitment,
) -> Result<Option<BlobSummary<AccountId, Balance, BlockNumber>>, String>
where
	C: ProvideRuntimeApi<Block>,
	C::Api: DaAttestationsApi<Block, AccountId, Balance, BlockNumber>,
{
	client
		.runtime_api()
		.blob(at, *commitment)
		.map_err(|error| format!("runtime API blob failed at block {at:?}: {error}"))
}
