//! `Config` of the compute escrow pallet: service stakes, refunds, receipts and jobs.

use super::parameters::dynamic_params::compute;
use crate::{Balances, Runtime, RuntimeHoldReason, Signature};
use polkadot_sdk::frame_support::{parameter_types, traits::ConstU32};

parameter_types! {
	/// An acknowledgement is one storage item of about 144 bytes (key and value), priced like
	/// any other state a user creates.
	pub const AcknowledgementDeposit: crate::Balance = super::revive::deposit(1, 144);
}

impl pallet_compute_escrow::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Signature = Signature;
	/// The provider's `zgcp` keystore key signs the off-chain worker's `submit_result`.
	type AuthorityId = pallet_compute_escrow::crypto::ComputeAuthId;
	/// Disputes are decided by governance: a referendum on the `zerog_admin` track (or root).
	type DisputeOrigin = crate::governance::RootOrZerogAdmin;
	/// Tunable (`super::parameters`), as are the dispute period, stake, slash rate, refund lock,
	/// job durations and review period below.
	type DisputeBond = compute::DisputeBond;
	type DisputePeriod = compute::DisputePeriod;
	/// Datasets and results are files of ZeroG storage.
	type StoredFiles = crate::StorageCommitments;
	/// Enclave keys are approved by governance (the `zerog_admin` track, or root) once it has
	/// checked their attestation quotes.
	type EnclaveOrigin = crate::governance::RootOrZerogAdmin;
	type AcknowledgementDeposit = AcknowledgementDeposit;
	/// Slashed stake is burned.
	type SlashDestination = ();
	type MinServiceStake = compute::MinServiceStake;
	type SlashFraction = compute::SlashFraction;
	type MaxModelLen = ConstU32<128>;
	type MaxEndpointLen = ConstU32<256>;
	type MaxServicesPerProvider = ConstU32<16>;
	type MaxReceiptsPerBatch = ConstU32<256>;
	type MaxPendingRefunds = ConstU32<8>;
	type RefundLockPeriod = compute::RefundLockPeriod;
	type MinJobDuration = compute::MinJobDuration;
	type MaxJobDuration = compute::MaxJobDuration;
	type ReviewPeriod = compute::ReviewPeriod;
	type MaxJobsPerBlock = ConstU32<32>;
	type MaxPendingJobsPerProvider = ConstU32<64>;
	/// A paid result lets the marketplace hand the user its key (an encrypted result of a job
	/// with inputs).
	#[cfg(feature = "marketplace")]
	type OnResultPaid = super::marketplace::ResultsPaid;
	#[cfg(not(feature = "marketplace"))]
	type OnResultPaid = ();
	type WeightInfo = pallet_compute_escrow::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = pallet_compute_escrow::Sr25519BenchmarkHelper;
}
