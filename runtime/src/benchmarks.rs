//! The pallets whose weights `frame-omni-bencher` measures in this runtime (built with the
//! `runtime-benchmarks` feature; `runtime/benchmarking/weights.sh` runs them all).

polkadot_sdk::frame_benchmarking::define_benchmarks!(
	[pallet_storage_commitments, StorageCommitments]
	[pallet_da_attestations, DaAttestations]
	[pallet_compute_escrow, ComputeEscrow]
	[pallet_parameter_bounds, Parameters]
	[pallet_vrf_randomness, VrfRandomness]
	[pallet_scheduler, Scheduler]
	[pallet_preimage, Preimage]
	[pallet_referenda, Referenda]
	[pallet_conviction_voting, ConvictionVoting]
	[pallet_utility, Utility]
);
