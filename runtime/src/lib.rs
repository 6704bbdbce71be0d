//! # ZeroG runtime
//!
//! The state transition function of the ZeroG chain: accounts and balances, Aura block
//! production with 2-second slots, GRANDPA finality, transaction fees, the EVM, storage
//! commitments, DA attestations and the compute escrow.
//!
//! - [`configs`]: the `Config` of every pallet, one file per concern.
//! - [`apis`]: the runtime APIs the node, wallets and RPCs call.
//! - [`genesis_config_presets`]: the `development`, `local_testnet` and `testnet` presets from
//!   which `chain-specs/` is generated.

#![cfg_attr(not(feature = "std"), no_std)]
// `construct_runtime` generates large enums and deep macro expansions.
#![recursion_limit = "256"]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

extern crate alloc;

use alloc::vec::Vec;

// Before `apis`: `define_benchmarks!` makes the `list_benchmarks!` and `add_benchmarks!` macros
// that the `Benchmark` runtime API uses, and macros are only visible after their definition.
#[cfg(feature = "runtime-benchmarks")]
#[macro_use]
mod benchmarks;
pub mod apis;
pub mod configs;
pub mod genesis_config_presets;
pub mod governance;
pub mod precompiles;
pub mod validators;
pub mod weights;

#[cfg(test)]
mod tests;

use polkadot_sdk::{
	frame_support, frame_system, pallet_aura, pallet_authorship, pallet_balances,
	pallet_collator_selection, pallet_grandpa, pallet_offences, pallet_session, pallet_sudo,
	pallet_timestamp, pallet_transaction_payment,
	sp_runtime::{generic, impl_opaque_keys, traits::BlakeTwo256, MultiAddress},
	sp_version::{runtime_version, RuntimeVersion},
	*,
};

pub use zerog_primitives::{units, AccountId, Balance, BlockNumber, Hash, Nonce, Signature};

#[cfg(feature = "std")]
pub use polkadot_sdk::sp_runtime::BuildStorage;

/// Types the node uses without knowing the runtime's extrinsic format, so it keeps syncing
/// across runtime upgrades that change it.
pub mod opaque {
	use super::*;

	pub use zerog_primitives::{Header, OpaqueBlock as Block};

	impl_opaque_keys! {
		/// A validator's keys: Aura for authoring, GRANDPA for finality, and the keys its
		/// off-chain workers sign with as a storage provider (`zgst`), a DA signer (`zgda`) and
		/// a compute provider (`zgcp`). `author_rotateKeys` creates all of them, and a node
		/// started with a dev seed (`--dev`, `--alice`, ...) holds that seed's key of each type,
		/// so the roles the dev presets register at genesis work without a manual step.
		pub struct SessionKeys {
			pub aura: Aura,
			pub grandpa: Grandpa,
			pub storage: crate::validators::WorkerKey<pallet_storage_commitments::crypto::Public>,
			pub da: crate::validators::WorkerKey<pallet_da_attestations::crypto::Public>,
			pub compute: crate::validators::WorkerKey<pallet_compute_escrow::crypto::Public>,
		}
	}
}

/// Declares [`VERSION`] with `spec_version` (a literal token: the node reads the version from a
/// wasm section `#[runtime_version]` writes, which takes literals only).
macro_rules! runtime_version_with_spec {
	($spec_version:tt) => {
		/// Version of the runtime. `spec_version` must be bumped with every change of logic, and
		/// `transaction_version` with every change of call indices or transaction extensions.
		#[runtime_version]
		pub const VERSION: RuntimeVersion = RuntimeVersion {
			spec_name: alloc::borrow::Cow::Borrowed("zerog"),
			impl_name: alloc::borrow::Cow::Borrowed("zerog-node"),
			authoring_version: 1,
			spec_version: $spec_version,
			impl_version: 1,
			apis: apis::RUNTIME_API_VERSIONS,
			transaction_version: 2,
			system_version: 1,
		};
	};
}

// This source's spec version.
#[cfg(not(feature = "next-spec-version"))]
runtime_version_with_spec!(132);
// The same source as the next release (feature `next-spec-version`, which `runtime/try-runtime.sh`
// builds): an upgrade a chain running the runtime above accepts, for try-runtime's checks and
// the upgrade end-to-end test. Keep it one above.
#[cfg(feature = "next-spec-version")]
runtime_version_with_spec!(133);

/// The address format of a call's origin or target: an account id or an index.
pub type Address = MultiAddress<AccountId, ()>;

/// Block header type as expected by this runtime.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;

/// Block type as expected by this runtime.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;

/// The transaction extensions: checks and charges applied to every signed transaction, in order.
///
/// `CheckMetadataHash` lets offline and hardware signers bind a signature to the exact metadata
/// they displayed; signers that do not use it send mode `Disabled`.
pub type TxExtension = (
	frame_system::AuthorizeCall<Runtime>,
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
	frame_metadata_hash_extension::CheckMetadataHash<Runtime>,
	// Turns the origin of an Ethereum transaction into the sender's account; a no-op for
	// Substrate transactions. After every extension that needs the signed origin.
	pallet_revive::evm::tx_extension::SetOrigin<Runtime>,
	frame_system::WeightReclaim<Runtime>,
);

/// The transaction extensions of a transaction the runtime builds itself (off-chain workers, and
/// Ethereum transactions turned into extrinsics): mortal or immortal by `era`, with `nonce` and
/// `tip`, no metadata hash, and an origin that stays the signer's.
pub fn signed_tx_extension(era: generic::Era, nonce: Nonce, tip: Balance) -> TxExtension {
	(
		frame_system::AuthorizeCall::<Runtime>::new(),
		frame_system::CheckNonZeroSender::<Runtime>::new(),
		frame_system::CheckSpecVersion::<Runtime>::new(),
		frame_system::CheckTxVersion::<Runtime>::new(),
		frame_system::CheckGenesis::<Runtime>::new(),
		frame_system::CheckMortality::<Runtime>::from(era),
		frame_system::CheckNonce::<Runtime>::from(nonce),
		frame_system::CheckWeight::<Runtime>::new(),
		pallet_transaction_payment::ChargeTransactionPayment::<Runtime>::from(tip),
		frame_metadata_hash_extension::CheckMetadataHash::<Runtime>::new(false),
		pallet_revive::evm::tx_extension::SetOrigin::<Runtime>::default(),
		frame_system::WeightReclaim::<Runtime>::new(),
	)
}

/// Unchecked extrinsic type as expected by this runtime: a Substrate transaction, or an
/// Ethereum transaction wrapped in an unsigned `Revive::eth_transact` and checked by
/// [`configs::revive::EthExtraImpl`].
pub type UncheckedExtrinsic = pallet_revive::evm::runtime::UncheckedExtrinsic<
	Address,
	Signature,
	configs::revive::EthExtraImpl,
>;

/// The payload being signed in transactions.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// Migrations of the runtime that do not belong to one pallet. Empty until the first upgrade.
#[allow(unused_parens)]
type Migrations = ();

/// Dispatches blocks and transactions to the pallets.
pub type RuntimeExecutive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;

	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;

	#[runtime::pallet_index(4)]
	pub type Balances = pallet_balances;

	#[runtime::pallet_index(5)]
	pub type TransactionPayment = pallet_transaction_payment;

	/// Batches of calls in one transaction (`batch`, `batch_all`, `force_batch`), for senders
	/// who want bulk throughput: one signature check and one base fee for many calls.
	#[runtime::pallet_index(17)]
	pub type Utility = pallet_utility;

	// The validator set (`validators`). Genesis and hooks run in pallet-index order (the
	// `runtime` macro sorts the pallets by index, whatever the declaration order): Authorship
	// (11) notes the author before Session (13) ends a session, and CollatorSelection (12) knows
	// the candidates before the session's genesis draws the first set.

	/// The block's author, for rewards and liveness.
	#[runtime::pallet_index(11)]
	pub type Authorship = pallet_authorship;

	/// Bonded candidates and governance-appointed invulnerables: the next sessions' validators.
	#[runtime::pallet_index(12)]
	pub type CollatorSelection = pallet_collator_selection;

	/// Sessions, session keys, and the disabled validators of the current session.
	#[runtime::pallet_index(13)]
	pub type Session = pallet_session;

	/// Past sessions' validator sets, against which offence reports are checked.
	#[runtime::pallet_index(14)]
	pub type Historical = pallet_session::historical;

	/// Offence reports (GRANDPA equivocations) and their slashing.
	#[runtime::pallet_index(15)]
	pub type Offences = pallet_offences;

	/// The session length and slashing events (`validators::pallet`).
	#[runtime::pallet_index(16)]
	pub type ValidatorSet = validators::pallet::pallet_validator_set;

	#[runtime::pallet_index(2)]
	pub type Aura = pallet_aura;

	#[runtime::pallet_index(3)]
	pub type Grandpa = pallet_grandpa;

	#[runtime::pallet_index(6)]
	pub type Sudo = pallet_sudo;

	/// The values of the tunable parameters (`configs::parameters`). Its own call is disabled:
	/// values go through `Parameters::set_parameter`, which checks their bounds.
	#[runtime::pallet_index(7)]
	#[runtime::disable_call]
	pub type ParameterStore = pallet_parameters;

	/// Governance sets tunable parameters here, within bounds.
	#[runtime::pallet_index(8)]
	pub type Parameters = pallet_parameter_bounds;

	/// The randomness of the storage and DA draws: each block's author reveals a VRF output.
	/// Its index is below Session's: its `on_initialize` reads the slot's author among the
	/// authorities that chose it, before a new session changes them.
	#[runtime::pallet_index(9)]
	pub type VrfRandomness = pallet_vrf_randomness;

	/// Governance: scheduled enactment of referenda.
	#[runtime::pallet_index(30)]
	pub type Scheduler = pallet_scheduler;

	/// Governance: proposals' calls by hash, with a deposit.
	#[runtime::pallet_index(31)]
	pub type Preimage = pallet_preimage;

	/// Governance: referenda on tracks (`governance::tracks`).
	#[runtime::pallet_index(32)]
	pub type Referenda = pallet_referenda;

	/// Governance: votes with conviction.
	#[runtime::pallet_index(33)]
	pub type ConvictionVoting = pallet_conviction_voting;

	/// Governance: the custom tracks' origins and development chains' periods.
	#[runtime::pallet_index(34)]
	pub type Origins = governance::origins::pallet_custom_origins;

	/// The EVM: Solidity contracts, Ethereum transactions and address mapping.
	#[runtime::pallet_index(10)]
	pub type Revive = pallet_revive;

	/// Storage network: file commitments, providers, challenges and rewards.
	#[cfg(feature = "storage")]
	#[runtime::pallet_index(20)]
	pub type StorageCommitments = pallet_storage_commitments;

	/// Data availability: blob commitments, signer quorums and certificates.
	#[cfg(feature = "da")]
	#[runtime::pallet_index(21)]
	pub type DaAttestations = pallet_da_attestations;

	/// Compute marketplace: services, user ledgers, inference receipts and GPU jobs.
	#[cfg(feature = "compute")]
	#[runtime::pallet_index(22)]
	pub type ComputeEscrow = pallet_compute_escrow;

	/// Models and datasets: assets over stored files, access grants, sealed keys, deployments.
	#[cfg(feature = "marketplace")]
	#[runtime::pallet_index(23)]
	pub type Marketplace = pallet_marketplace;
}
