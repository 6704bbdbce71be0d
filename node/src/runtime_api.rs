//! The runtime APIs this node calls, declared by the node itself, and which of ZeroG's services
//! the chain's runtime has.
//!
//! The node does not take `zerog_runtime::apis::RuntimeApi`: that type lists the APIs of the
//! runtime the node embeds, which depend on that runtime's Cargo features (a runtime built
//! without `da` has no `DaAttestationsApi`). Declaring them here, as polkadot-sdk's omni node
//! does, lets one node binary run every ZeroG-derived chain: the client calls into whatever
//! runtime the chain holds (the bodies below are never run; every call goes to the chain's
//! wasm), and the storage and DA services start only where [`ZeroGServices::of_chain`] finds
//! their APIs ([appchain](../../docs/appchain.md)).

use pallet_da_attestations::{
	runtime_api::{self as da_api, DaAttestationsApi},
	BlobAssignment, BlobCommitment, BlobSummary, EpochIndex,
};
use pallet_storage_commitments::{
	runtime_api::{self as storage_api, StorageCommitmentsApi},
	FileId, FileSummary, ReplicaSummary,
};
use polkadot_sdk::{
	sp_api::{ApiError, ApiExt, ProvideRuntimeApi},
	sp_blockchain::HeaderBackend,
	*,
};
use zerog_primitives::{AccountId, Balance, BlockNumber, Nonce, OpaqueBlock as Block};

/// Which of ZeroG's pallets the chain's runtime has, found from its runtime APIs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ZeroGServices {
	/// `pallet-storage-commitments` (`StorageCommitmentsApi`): the replicator, the `storage_*`
	/// RPC methods and the data plane's segments.
	pub storage: bool,
	/// `pallet-da-attestations` (`DaAttestationsApi`): the `da_*` RPC methods and the data
	/// plane's shards.
	pub da: bool,
}

impl ZeroGServices {
	/// What the runtime of the chain's best block has. Read once at start-up: a runtime upgrade
	/// that adds or removes a ZeroG pallet takes effect on the node's services at its next
	/// restart (until then a removed pallet's services answer with the runtime's errors).
	pub fn of_chain<C>(client: &C) -> Result<Self, ApiError>
	where
		C: ProvideRuntimeApi<Block> + HeaderBackend<Block>,
		C::Api: StorageCommitmentsApi<Block, AccountId, BlockNumber>
			+ DaAttestationsApi<Block, AccountId, Balance, BlockNumber>,
	{
		let best = client.info().best_hash;
		let api = client.runtime_api();
		Ok(Self {
			storage: api
				.has_api::<dyn StorageCommitmentsApi<Block, AccountId, BlockNumber>>(best)?,
			da: api
				.has_api::<dyn DaAttestationsApi<Block, AccountId, Balance, BlockNumber>>(best)?,
		})
	}

	/// Whether the node needs its data store (segments or shards).
	pub fn any(&self) -> bool {
		self.storage || self.da
	}
}

/// Stands in for the chain's runtime in the API declarations below; never instantiated.
#[allow(dead_code)]
struct ChainRuntime;

// The client side of these APIs calls the chain's wasm; the bodies exist only because the macro
// needs an implementation to generate it from.
sp_api::impl_runtime_apis! {
	impl sp_api::Core<Block> for ChainRuntime {
		fn version() -> sp_version::RuntimeVersion {
			unimplemented!("runtime APIs are called in the chain's wasm")
		}

		fn execute_block(_: <Block as sp_runtime::traits::Block>::LazyBlock) {
			unimplemented!("runtime APIs are called in the chain's wasm")
		}

		fn initialize_block(
			_: &<Block as sp_runtime::traits::Block>::Header,
		) -> sp_runtime::ExtrinsicInclusionMode {
			unimplemented!("runtime APIs are called in the chain's wasm")
		}
	}

	impl sp_api::Metadata<Block> for ChainRuntime {
		fn metadata() -> sp_core::OpaqueMetadata {
			unimplemented!("runtime APIs are called in the chain's wasm")
		}

		fn metadata_at_version(_: u32) -> Option<sp_core::OpaqueMetadata> {
			unimplemented!("runtime APIs are called in the chain's wasm")
		}

		fn metadata_versions() -> Vec<u32> {
			unimplemented!("runtime APIs are called in the chain's wasm")
		}
	}

	impl sp_block_builder::BlockBuilder<Block> for ChainRuntime {
		fn apply_extrinsic(
			_: <Block as sp_runtime::traits::Block>::Extrinsic,
		) -> sp_runtime::ApplyExtrinsicResult {
			unimplemented!("runtime APIs are called in the chain's wasm")
		}

		fn finalize_block() -> <Block as sp_runtime::traits::Block>::Header {
			unimplemented!("runtime APIs are called in the chain's wasm")
		}

		fn inherent_extrinsics(
			_: sp_inherents::InherentData,
		) -> Vec<<Block as sp_runtime::traits::Block>::Extrinsic> {
			unimplemented!("runtime APIs are called in the chain's wasm")
		}

		fn check_inherents(
			_: <Block as sp_runtime::traits::Block>::LazyBlock,
			_: sp_inherents::InherentData,
		) -> sp_inherents::CheckInherentsResult {
			unimplemented!("runtime APIs are called in the chain's wasm")
		}
	}

	impl sp_transaction_pool::runtime_api::TaggedTransactionQueue<Block> for ChainRuntime {
		fn validate_transaction(
			_: sp_runtime::transaction_validity::TransactionSource,
			_: <Block as sp_runtime::traits::Block>::Extrinsic,
			_: <Block as sp_runtime::traits::Block>::Hash,
		) -> sp_runtime::transaction_validity::TransactionValidity {
			unimplemented!("runtime APIs are called in the chain's wasm")
		}
	}

	impl sp_offchain::OffchainWorkerApi<Block> for ChainRuntime {
		fn offchain_worker(_: &<Block as sp_runtime::traits::Block>::Header) {
			unimplemented!("runtime APIs are called in the chain's wasm")
		}
	}

	impl sp_consensus_aura::AuraApi<Block, sp_consensus_aura::sr25519::AuthorityId> for ChainRuntime {
		fn slot_duration() -> sp_consensus_aura::SlotDuration {
			unimplemented!("runtime APIs are called in the chain's wasm")
		}

		fn authorities() -> Vec<sp_consensus_aura::sr25519::AuthorityId> {
			unimplemented!("runtime APIs are called in the chain's wasm")
		}
	}

	impl sp_session::SessionKeys<Block> for ChainRuntime {
		fn generate_session_keys(
			_: Vec<u8>,
			_: Option<Vec<u8>>,
		) -> sp_session::OpaqueGeneratedSessionKeys {
			unimplemented!("runtime APIs are called in the chain's wasm")
		}

		fn decode_session_keys(_: Vec<u8>) -> Option<Vec<(Vec<u8>, sp_core::crypto::KeyTypeId)>> {
			unimplemented!("runtime APIs are called in the chain's wasm")
		}
	}

	impl sp_consensus_grandpa::GrandpaApi<Block> for ChainRuntime {
		fn grandpa_authorities() -> sp_consensus_grandpa::AuthorityList {
			unimplemented!("runtime APIs are called in the chain's wasm")
		}

		fn current_set_id() -> sp_consensus_grandpa::SetId {
			unimplemented!("runtime APIs are called in the chain's wasm")
		}

		fn submit_report_equivocation_unsigned_extrinsic(
			_: sp_consensus_grandpa::EquivocationProof<
				<Block as sp_runtime::traits::Block>::Hash,
				BlockNumber,
			>,
			_: sp_consensus_grandpa::OpaqueKeyOwnershipProof,
		) -> Option<()> {
			unimplemented!("runtime APIs are called in the chain's wasm")
		}

		fn generate_key_ownership_proof(
			_: sp_consensus_grandpa::SetId,
			_: sp_consensus_grandpa::AuthorityId,
		) -> Option<sp_consensus_grandpa::OpaqueKeyOwnershipProof> {
			unimplemented!("runtime APIs are called in the chain's wasm")
		}
	}

	impl pallet_vrf_randomness::runtime_api::VrfRandomnessApi<Block> for ChainRuntime {
		fn randomness() -> [u8; 32] {
			unimplemented!("runtime APIs are called in the chain's wasm")
		}
	}

	impl storage_api::StorageCommitmentsApi<Block, AccountId, BlockNumber> for ChainRuntime {
		fn files_by_root(_: sp_core::H256) -> Vec<FileSummary<AccountId, BlockNumber>> {
			unimplemented!("runtime APIs are called in the chain's wasm")
		}

		fn file(_: FileId) -> Option<FileSummary<AccountId, BlockNumber>> {
			unimplemented!("runtime APIs are called in the chain's wasm")
		}

		fn file_by_commitment(
			_: sp_core::H256,
			_: u64,
		) -> Option<FileSummary<AccountId, BlockNumber>> {
			unimplemented!("runtime APIs are called in the chain's wasm")
		}

		fn replicas(_: FileId) -> Vec<ReplicaSummary<AccountId>> {
			unimplemented!("runtime APIs are called in the chain's wasm")
		}

		fn pending_files(_: AccountId) -> Vec<FileId> {
			unimplemented!("runtime APIs are called in the chain's wasm")
		}
	}

	impl da_api::DaAttestationsApi<Block, AccountId, Balance, BlockNumber> for ChainRuntime {
		fn certification(_: BlobCommitment) -> Option<BlockNumber> {
			unimplemented!("runtime APIs are called in the chain's wasm")
		}

		fn blob(_: BlobCommitment) -> Option<BlobSummary<AccountId, Balance, BlockNumber>> {
			unimplemented!("runtime APIs are called in the chain's wasm")
		}

		fn blob_by_root(_: sp_core::H256) -> Option<BlobSummary<AccountId, Balance, BlockNumber>> {
			unimplemented!("runtime APIs are called in the chain's wasm")
		}

		fn current_epoch() -> EpochIndex {
			unimplemented!("runtime APIs are called in the chain's wasm")
		}

		fn shard_holders(_: BlobCommitment) -> Option<BlobAssignment<AccountId>> {
			unimplemented!("runtime APIs are called in the chain's wasm")
		}
	}

	impl frame_system_rpc_runtime_api::AccountNonceApi<Block, AccountId, Nonce> for ChainRuntime {
		fn account_nonce(_: AccountId) -> Nonce {
			unimplemented!("runtime APIs are called in the chain's wasm")
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentApi<Block, Balance>
		for ChainRuntime
	{
		fn query_info(
			_: <Block as sp_runtime::traits::Block>::Extrinsic,
			_: u32,
		) -> pallet_transaction_payment_rpc_runtime_api::RuntimeDispatchInfo<Balance> {
			unimplemented!("runtime APIs are called in the chain's wasm")
		}

		fn query_fee_details(
			_: <Block as sp_runtime::traits::Block>::Extrinsic,
			_: u32,
		) -> pallet_transaction_payment_rpc_runtime_api::FeeDetails<Balance> {
			unimplemented!("runtime APIs are called in the chain's wasm")
		}

		fn query_weight_to_fee(_: frame_support::weights::Weight) -> Balance {
			unimplemented!("runtime APIs are called in the chain's wasm")
		}

		fn query_length_to_fee(_: u32) -> Balance {
			unimplemented!("runtime APIs are called in the chain's wasm")
		}
	}
}
