//! `Config` of the compute escrow pallet: service stakes, refunds, receipts and jobs.

use crate::{
	units::{HOURS, MINUTES, ZG},
	AccountId, Balances, Runtime, RuntimeHoldReason, Signature,
};
use polkadot_sdk::{
	frame_support::{parameter_types, traits::ConstU32},
	frame_system::EnsureRoot,
	sp_runtime::Perbill,
};

parameter_types! {
	/// Smallest stake behind a service: 100 ZG.
	pub const MinServiceStake: crate::Balance = 100 * ZG;
	/// Slashed from a service's stake per missed job deadline.
	pub const ComputeSlashFraction: Perbill = Perbill::from_percent(10);
	/// An acknowledgement is one storage item of about 144 bytes (key and value), priced like
	/// any other state a user creates.
	pub const AcknowledgementDeposit: crate::Balance = super::revive::deposit(1, 144);
	/// A dispute costs a tenth of a ZG while it is open, and all of it if governance finds
	/// entirely for the provider: enough to make disputing every result a losing game, small
	/// next to the jobs worth disputing.
	pub const DisputeBond: crate::Balance = ZG / 10;
}

impl pallet_compute_escrow::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Signature = Signature;
	/// The provider's `zgcp` keystore key signs the off-chain worker's `submit_result`.
	type AuthorityId = pallet_compute_escrow::crypto::ComputeAuthId;
	/// Disputes are decided by governance (sudo on this chain).
	type DisputeOrigin = EnsureRoot<AccountId>;
	type DisputeBond = DisputeBond;
	/// Governance has a week to resolve a dispute before the result stands.
	type DisputePeriod = ConstU32<{ 7 * 24 * HOURS }>;
	/// Datasets and results are files of ZeroG storage.
	type StoredFiles = crate::StorageCommitments;
	/// Enclave keys are approved by governance (sudo on this chain) once it has checked their
	/// attestation quotes.
	type EnclaveOrigin = EnsureRoot<AccountId>;
	type AcknowledgementDeposit = AcknowledgementDeposit;
	/// Slashed stake is burned.
	type SlashDestination = ();
	type MinServiceStake = MinServiceStake;
	type SlashFraction = ComputeSlashFraction;
	type MaxModelLen = ConstU32<128>;
	type MaxEndpointLen = ConstU32<256>;
	type MaxServicesPerProvider = ConstU32<16>;
	type MaxReceiptsPerBatch = ConstU32<256>;
	type MaxPendingRefunds = ConstU32<8>;
	/// Ten minutes for the provider to settle receipts against funds a user takes back.
	type RefundLockPeriod = ConstU32<{ 10 * MINUTES }>;
	type MinJobDuration = ConstU32<10>;
	type MaxJobDuration = ConstU32<{ 7 * 24 * HOURS }>;
	/// An hour to check a result before it counts as accepted.
	type ReviewPeriod = ConstU32<HOURS>;
	type MaxJobsPerBlock = ConstU32<32>;
	type MaxPendingJobsPerProvider = ConstU32<64>;
	type WeightInfo = pallet_compute_escrow::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = pallet_compute_escrow::Sr25519BenchmarkHelper;
}
