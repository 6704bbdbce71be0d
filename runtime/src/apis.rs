//! The runtime APIs: what the node, wallets and RPC servers may ask the runtime.

#[cfg(feature = "da")]
use crate::DaAttestations;
#[cfg(feature = "marketplace")]
use crate::Marketplace;
#[cfg(feature = "storage")]
use crate::StorageCommitments;
use crate::{
	genesis_config_presets, opaque, AccountId, Aura, Balance, Block, BlockNumber, Grandpa,
	Historical, InherentDataExt, Nonce, Runtime, RuntimeCall, RuntimeExecutive,
	RuntimeGenesisConfig, System, TransactionPayment, VrfRandomness, VERSION,
};
#[cfg(feature = "da")]
use pallet_da_attestations::{BlobAssignment, BlobCommitment, BlobSummary, EpochIndex};
#[cfg(feature = "marketplace")]
use pallet_marketplace::{
	runtime_api::{AssetSummary, GrantSummary},
	AssetId, EncryptionKey,
};
#[cfg(feature = "storage")]
use pallet_storage_commitments::{FileId, FileSummary, ReplicaSummary};
// `vec!` is used by the `ReviveApi` implementations the revive macro expands to.
use alloc::{vec, vec::Vec};
use polkadot_sdk::{
	frame_support::{
		genesis_builder_helper::{build_state, get_preset},
		weights::Weight,
	},
	pallet_aura, pallet_grandpa, pallet_transaction_payment,
	pallet_transaction_payment_rpc_runtime_api::{self, FeeDetails, RuntimeDispatchInfo},
	sp_api::impl_runtime_apis,
	sp_consensus_aura::{sr25519::AuthorityId as AuraId, SlotDuration},
	sp_consensus_grandpa::{AuthorityId as GrandpaId, AuthorityList, SetId},
	sp_core::{crypto::KeyTypeId, OpaqueMetadata, H256},
	sp_genesis_builder::{self, PresetId},
	sp_inherents::{CheckInherentsResult, InherentData},
	sp_runtime::{
		traits::{Block as BlockT, NumberFor},
		transaction_validity::{TransactionSource, TransactionValidity},
		ApplyExtrinsicResult, ExtrinsicInclusionMode,
	},
	sp_version::RuntimeVersion,
	*,
};

// `impl_runtime_apis!` plus `ReviveApi` (the EVM's calls, dry runs, gas estimates, traces and
// Ethereum blocks that `pallet-revive-eth-rpc` serves) and the glue Ethereum transactions need.
pallet_revive::impl_runtime_apis_plus_revive_traits! {
	Runtime,
	Revive,
	RuntimeExecutive,
	crate::configs::revive::EthExtraImpl,

	impl sp_api::Core<Block> for Runtime {
		fn version() -> RuntimeVersion {
			VERSION
		}

		fn execute_block(block: <Block as BlockT>::LazyBlock) {
			RuntimeExecutive::execute_block(block);
		}

		fn initialize_block(header: &<Block as BlockT>::Header) -> ExtrinsicInclusionMode {
			RuntimeExecutive::initialize_block(header)
		}
	}

	impl sp_api::Metadata<Block> for Runtime {
		fn metadata() -> OpaqueMetadata {
			OpaqueMetadata::new(Runtime::metadata().into())
		}

		fn metadata_at_version(version: u32) -> Option<OpaqueMetadata> {
			Runtime::metadata_at_version(version)
		}

		fn metadata_versions() -> Vec<u32> {
			Runtime::metadata_versions()
		}
	}

	impl sp_block_builder::BlockBuilder<Block> for Runtime {
		fn apply_extrinsic(extrinsic: <Block as BlockT>::Extrinsic) -> ApplyExtrinsicResult {
			RuntimeExecutive::apply_extrinsic(extrinsic)
		}

		fn finalize_block() -> <Block as BlockT>::Header {
			RuntimeExecutive::finalize_block()
		}

		fn inherent_extrinsics(data: InherentData) -> Vec<<Block as BlockT>::Extrinsic> {
			data.create_extrinsics()
		}

		fn check_inherents(
			block: <Block as BlockT>::LazyBlock,
			data: InherentData,
		) -> CheckInherentsResult {
			data.check_extrinsics(&block)
		}
	}

	impl sp_transaction_pool::runtime_api::TaggedTransactionQueue<Block> for Runtime {
		fn validate_transaction(
			source: TransactionSource,
			tx: <Block as BlockT>::Extrinsic,
			block_hash: <Block as BlockT>::Hash,
		) -> TransactionValidity {
			RuntimeExecutive::validate_transaction(source, tx, block_hash)
		}
	}

	impl sp_offchain::OffchainWorkerApi<Block> for Runtime {
		fn offchain_worker(header: &<Block as BlockT>::Header) {
			RuntimeExecutive::offchain_worker(header)
		}
	}

	impl sp_consensus_aura::AuraApi<Block, AuraId> for Runtime {
		fn slot_duration() -> SlotDuration {
			SlotDuration::from_millis(Aura::slot_duration())
		}

		fn authorities() -> Vec<AuraId> {
			pallet_aura::Authorities::<Runtime>::get().into_inner()
		}
	}

	impl sp_session::SessionKeys<Block> for Runtime {
		fn generate_session_keys(owner: Vec<u8>, seed: Option<Vec<u8>>) -> sp_session::OpaqueGeneratedSessionKeys {
			opaque::SessionKeys::generate(&owner, seed).into()
		}

		fn decode_session_keys(encoded: Vec<u8>) -> Option<Vec<(Vec<u8>, KeyTypeId)>> {
			opaque::SessionKeys::decode_into_raw_public_keys(&encoded)
		}
	}

	impl sp_consensus_grandpa::GrandpaApi<Block> for Runtime {
		fn grandpa_authorities() -> AuthorityList {
			pallet_grandpa::Pallet::<Runtime>::grandpa_authorities()
		}

		fn current_set_id() -> SetId {
			pallet_grandpa::CurrentSetId::<Runtime>::get()
		}

		fn submit_report_equivocation_unsigned_extrinsic(
			equivocation_proof: sp_consensus_grandpa::EquivocationProof<
				<Block as BlockT>::Hash,
				NumberFor<Block>,
			>,
			key_owner_proof: sp_consensus_grandpa::OpaqueKeyOwnershipProof,
		) -> Option<()> {
			let key_owner_proof = key_owner_proof.decode()?;
			Grandpa::submit_unsigned_equivocation_report(equivocation_proof, key_owner_proof)
		}

		fn generate_key_ownership_proof(
			_set_id: SetId,
			authority_id: GrandpaId,
		) -> Option<sp_consensus_grandpa::OpaqueKeyOwnershipProof> {
			use codec::Encode;
			use polkadot_sdk::frame_support::traits::KeyOwnerProofSystem;
			// Proves the key belongs to a validator of the current session, against the
			// session history the runtime keeps (`validators::HISTORY_SESSIONS`).
			Historical::prove((sp_consensus_grandpa::KEY_TYPE, authority_id))
				.map(|proof| proof.encode())
				.map(sp_consensus_grandpa::OpaqueKeyOwnershipProof::new)
		}
	}

	impl pallet_vrf_randomness::runtime_api::VrfRandomnessApi<Block> for Runtime {
		fn randomness() -> [u8; 32] {
			VrfRandomness::randomness()
		}
	}

	#[cfg(feature = "storage")]
	impl pallet_storage_commitments::runtime_api::StorageCommitmentsApi<Block, AccountId, BlockNumber>
		for Runtime
	{
		fn files_by_root(root: H256) -> Vec<FileSummary<AccountId, BlockNumber>> {
			StorageCommitments::files_by_root(root)
		}

		fn file(file_id: FileId) -> Option<FileSummary<AccountId, BlockNumber>> {
			StorageCommitments::file_summary(file_id)
		}

		fn file_by_commitment(root: H256, size: u64) -> Option<FileSummary<AccountId, BlockNumber>> {
			StorageCommitments::file_by_commitment(root, size)
		}

		fn replicas(file_id: FileId) -> Vec<ReplicaSummary<AccountId>> {
			StorageCommitments::replica_summaries(file_id)
		}

		fn pending_files(provider: AccountId) -> Vec<FileId> {
			StorageCommitments::pending_files(&provider)
		}
	}

	#[cfg(feature = "da")]
	impl pallet_da_attestations::runtime_api::DaAttestationsApi<Block, AccountId, Balance, BlockNumber>
		for Runtime
	{
		fn certification(commitment: BlobCommitment) -> Option<BlockNumber> {
			DaAttestations::certification(&commitment)
		}

		fn blob(commitment: BlobCommitment) -> Option<BlobSummary<AccountId, Balance, BlockNumber>> {
			DaAttestations::blob_summary(&commitment)
		}

		fn blob_by_root(root: H256) -> Option<BlobSummary<AccountId, Balance, BlockNumber>> {
			DaAttestations::blob_by_root(root)
		}

		fn current_epoch() -> EpochIndex {
			pallet_da_attestations::CurrentEpoch::<Runtime>::get()
		}

		fn shard_holders(commitment: BlobCommitment) -> Option<BlobAssignment<AccountId>> {
			DaAttestations::shard_holders(&commitment)
		}
	}

	#[cfg(feature = "marketplace")]
	#[api_version(3)]
	impl pallet_marketplace::runtime_api::MarketplaceApi<Block, AccountId, Balance, BlockNumber>
		for Runtime
	{
		fn asset(asset: AssetId) -> Option<AssetSummary<AccountId, Balance, BlockNumber>> {
			Marketplace::asset_summary(asset)
		}

		fn next_asset_id() -> AssetId {
			pallet_marketplace::NextAssetId::<Runtime>::get()
		}

		fn assets(from: AssetId, limit: u32) -> Vec<AssetSummary<AccountId, Balance, BlockNumber>> {
			Marketplace::asset_summaries(from, limit)
		}

		fn grant(asset: AssetId, who: AccountId) -> Option<GrantSummary<AccountId, Balance, BlockNumber>> {
			Marketplace::grant_summary(asset, &who)
		}

		fn encryption_key(who: AccountId) -> Option<EncryptionKey> {
			pallet_marketplace::EncryptionKeys::<Runtime>::get(who)
		}

		fn deployment(service: zerog_primitives::compute::ServiceId) -> Option<AssetId> {
			pallet_marketplace::Deployments::<Runtime>::get(service)
		}

		fn enclave_key(asset: AssetId, signer: AccountId) -> Option<(EncryptionKey, Vec<u8>)> {
			Marketplace::enclave_key_summary(asset, &signer)
		}

		fn job_inputs(
			job: pallet_marketplace::JobId,
		) -> Option<pallet_marketplace::runtime_api::JobInputsSummary<AccountId>> {
			Marketplace::job_inputs_summary(job)
		}
	}

	impl frame_system_rpc_runtime_api::AccountNonceApi<Block, AccountId, Nonce> for Runtime {
		fn account_nonce(account: AccountId) -> Nonce {
			System::account_nonce(account)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentApi<Block, Balance> for Runtime {
		fn query_info(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_info(uxt, len)
		}

		fn query_fee_details(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> FeeDetails<Balance> {
			TransactionPayment::query_fee_details(uxt, len)
		}

		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}

		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentCallApi<Block, Balance, RuntimeCall>
		for Runtime
	{
		fn query_call_info(call: RuntimeCall, len: u32) -> RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_call_info(call, len)
		}

		fn query_call_fee_details(call: RuntimeCall, len: u32) -> FeeDetails<Balance> {
			TransactionPayment::query_call_fee_details(call, len)
		}

		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}

		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	#[cfg(feature = "try-runtime")]
	impl polkadot_sdk::frame_try_runtime::TryRuntime<Block> for Runtime {
		fn on_runtime_upgrade(
			checks: polkadot_sdk::frame_try_runtime::UpgradeCheckSelect,
		) -> (Weight, Weight) {
			// A failed check must fail the command that asked for it (`zerog-node try-runtime`):
			// the panic is the answer, with the reason in the runtime's log.
			let weight = RuntimeExecutive::try_runtime_upgrade(checks)
				.unwrap_or_else(|error| panic!("try-runtime on-runtime-upgrade failed: {error:?}"));
			(weight, crate::configs::RuntimeBlockWeights::get().max_block)
		}

		fn execute_block(
			block: <Block as BlockT>::LazyBlock,
			state_root_check: bool,
			signature_check: bool,
			select: polkadot_sdk::frame_try_runtime::TryStateSelect,
		) -> Weight {
			RuntimeExecutive::try_execute_block(block, state_root_check, signature_check, select)
				.unwrap_or_else(|error| panic!("try-runtime execute-block failed: {error:?}"))
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	impl frame_benchmarking::Benchmark<Block> for Runtime {
		fn benchmark_metadata(extra: bool) -> (
			Vec<frame_benchmarking::BenchmarkList>,
			Vec<frame_support::traits::StorageInfo>,
		) {
			use crate::{
				AllPalletsWithSystem, Balances, ComputeEscrow, ConvictionVoting, DaAttestations,
				Parameters, Preimage, Referenda, Scheduler, StorageCommitments, Timestamp,
				TransactionPayment, Utility, VrfRandomness,
			};
			use frame_system_benchmarking::{
				extensions::Pallet as SystemExtensionsBench, Pallet as SystemBench,
			};
			use frame_benchmarking::BenchmarkList;
			use frame_support::traits::StorageInfoTrait;

			let mut list = Vec::<BenchmarkList>::new();
			list_benchmarks!(list, extra);
			(list, AllPalletsWithSystem::storage_info())
		}

		fn dispatch_benchmark(
			config: frame_benchmarking::BenchmarkConfig,
		) -> Result<Vec<frame_benchmarking::BenchmarkBatch>, alloc::string::String> {
			use crate::{
				AllPalletsWithSystem, Balances, ComputeEscrow, ConvictionVoting, DaAttestations,
				Parameters, Preimage, Referenda, Scheduler, StorageCommitments, Timestamp,
				TransactionPayment, Utility, VrfRandomness,
			};
			use frame_system_benchmarking::{
				extensions::Pallet as SystemExtensionsBench, Pallet as SystemBench,
			};
			use frame_benchmarking::BenchmarkBatch;
			use frame_support::traits::{TrackedStorageKey, WhitelistedStorageKeys};

			// Keys every block touches anyway (the block number, the events, ...) are not
			// charged to the call being measured.
			let whitelist: Vec<TrackedStorageKey> = AllPalletsWithSystem::whitelisted_storage_keys();
			let mut batches = Vec::<BenchmarkBatch>::new();
			let params = (&config, &whitelist);
			add_benchmarks!(params, batches);
			Ok(batches)
		}
	}

	impl sp_genesis_builder::GenesisBuilder<Block> for Runtime {
		fn build_state(config: Vec<u8>) -> sp_genesis_builder::Result {
			build_state::<RuntimeGenesisConfig>(config)
		}

		fn get_preset(id: &Option<PresetId>) -> Option<Vec<u8>> {
			get_preset::<RuntimeGenesisConfig>(id, genesis_config_presets::get_preset)
		}

		fn preset_names() -> Vec<PresetId> {
			genesis_config_presets::preset_names()
		}
	}
}

// Keep the imports used only inside the macro visible to the compiler.
#[allow(unused_imports)]
use {pallet_transaction_payment as _, Grandpa as _};
