//! The pallets whose weights `frame-omni-bencher` measures in this runtime (built with the
//! `runtime-benchmarks` feature; `runtime/benchmarking/weights.sh` runs them all).

polkadot_sdk::frame_benchmarking::define_benchmarks!(
	[frame_system, SystemBench::<Runtime>]
	[frame_system_extensions, SystemExtensionsBench::<Runtime>]
	[pallet_balances, Balances]
	[pallet_timestamp, Timestamp]
	[pallet_transaction_payment, TransactionPayment]
	[pallet_storage_commitments, StorageCommitments]
	[pallet_da_attestations, DaAttestations]
	[pallet_compute_escrow, ComputeEscrow]
	[pallet_marketplace, Marketplace]
	[pallet_parameter_bounds, Parameters]
	[pallet_vrf_randomness, VrfRandomness]
	[pallet_scheduler, Scheduler]
	[pallet_preimage, Preimage]
	[pallet_referenda, Referenda]
	[pallet_conviction_voting, ConvictionVoting]
	[pallet_utility, Utility]
);

// The benchmark hooks of polkadot-sdk's pallets, left at their defaults: frame-system measures
// `set_code` with polkadot-sdk's sample runtime (a benchmark build does not check its version),
// and a fee payer is endowed through the runtime's `OnChargeTransaction`.
impl polkadot_sdk::frame_system_benchmarking::Config for crate::Runtime {}
impl polkadot_sdk::pallet_transaction_payment::BenchmarkConfig for crate::Runtime {}
