//! Weights for `pallet_da_attestations`
//!
//! THIS FILE FOLLOWS THE FORMAT OF THE SUBSTRATE BENCHMARK CLI VERSION 32.0.0 TEMPLATE.
//! Its numbers are conservative estimates made before the runtime included the pallet: storage
//! reads and writes are counted from the code (for `attest`, every blob certified and paid to a
//! quorum of 32), execution times are scaled from comparable polkadot-sdk calls (a hold or a
//! transfer on hold ~40 µs). Regenerate it with the benchmark CLI (command below) once
//! `zerog-runtime` includes `DaAttestations`; never edit the numbers by hand after that.
//! DATE: not generated yet, STEPS: `50`, REPEAT: `20`, LOW RANGE: `[]`, HIGH RANGE: `[]`
//! WORST CASE MAP SIZE: `1000000`
//! WASM-EXECUTION: `Compiled`, CHAIN: `None`, DB CACHE: `1024`

// Executed Command:
// frame-omni-bencher
// v1
// benchmark
// pallet
// --runtime=target/release/wbuild/zerog-runtime/zerog_runtime.compact.compressed.wasm
// --pallet=pallet_da_attestations
// --extrinsic=*
// --steps=50
// --repeat=20
// --output=pallets/da-attestations/src/weights.rs
// --template=.maintain/frame-weight-template.hbs

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]
#![allow(dead_code)]

use polkadot_sdk::frame_support::{traits::Get, weights::{Weight, constants::RocksDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed for `pallet_da_attestations`.
pub trait WeightInfo {
	fn submit_blob() -> Weight;
	fn register_signer() -> Weight;
	fn update_signer() -> Weight;
	fn unregister_signer() -> Weight;
	fn withdraw_unbonded() -> Weight;
	fn attest(n: u32) -> Weight;
	fn expire_blobs(e: u32) -> Weight;
	fn start_epoch(s: u32) -> Weight;
}

/// Weights for `pallet_da_attestations` using the Substrate node and recommended hardware.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: polkadot_sdk::frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: DaAttestations::BlobIdByRoot (r:1 w:1)
	/// Storage: DaAttestations::CurrentEpoch (r:1 w:0)
	/// Storage: DaAttestations::Quorums (r:1 w:0)
	/// Storage: DaAttestations::NextBlobId (r:1 w:1)
	/// Storage: DaAttestations::ExpiryQueue (r:1 w:1)
	/// Storage: Balances::Holds (r:1 w:1)
	/// Storage: System::Account (r:1 w:1)
	/// Storage: DaAttestations::Blobs (r:0 w:1)
	fn submit_blob() -> Weight {
		// Minimum execution time: 60_000_000 picoseconds (estimate).
		Weight::from_parts(60_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(7_u64))
			.saturating_add(T::DbWeight::get().writes(6_u64))
	}
	/// Storage: DaAttestations::Signers (r:1 w:1)
	/// Storage: DaAttestations::ActiveSigners (r:1 w:1)
	/// Storage: Balances::Holds (r:1 w:1)
	/// Storage: System::Account (r:1 w:1)
	fn register_signer() -> Weight {
		// Minimum execution time: 55_000_000 picoseconds (estimate).
		Weight::from_parts(55_000_000, 12_000)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	/// Storage: DaAttestations::Signers (r:1 w:1)
	/// Storage: DaAttestations::ActiveSigners (r:1 w:1)
	/// Storage: Balances::Holds (r:1 w:1)
	/// Storage: System::Account (r:1 w:1)
	fn update_signer() -> Weight {
		// Minimum execution time: 55_000_000 picoseconds (estimate).
		Weight::from_parts(55_000_000, 12_000)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	/// Storage: DaAttestations::Signers (r:1 w:1)
	/// Storage: DaAttestations::ActiveSigners (r:1 w:1)
	fn unregister_signer() -> Weight {
		// Minimum execution time: 35_000_000 picoseconds (estimate).
		Weight::from_parts(35_000_000, 12_000)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	/// Storage: DaAttestations::Signers (r:1 w:1)
	/// Storage: Balances::Holds (r:1 w:1)
	/// Storage: System::Account (r:1 w:1)
	fn withdraw_unbonded() -> Weight {
		// Minimum execution time: 45_000_000 picoseconds (estimate).
		Weight::from_parts(45_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	/// Storage: DaAttestations::NextBlobId (r:1 w:0)
	/// Storage: DaAttestations::Blobs (r:n w:n)
	/// Storage: DaAttestations::Quorums (r:n w:0)
	/// Storage: Balances::Holds (r:n w:n), System::Account (r:34n w:34n): worst case, every blob certified and its fee paid to
	/// Storage: a quorum of 32 attesters
	fn attest(n: u32) -> Weight {
		// Minimum execution time: 25_000_000 picoseconds (estimate).
		Weight::from_parts(25_000_000, 2_000)
			.saturating_add(Weight::from_parts(900_000_000, 70_000).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().reads((36_u64).saturating_mul(n.into())))
			.saturating_add(T::DbWeight::get().writes((36_u64).saturating_mul(n.into())))
	}
	/// Storage: DaAttestations::ExpiryQueue (r:1 w:1)
	/// Storage: DaAttestations::NextEpochStart (r:1 w:0)
	/// Storage: DaAttestations::Blobs (r:e w:e)
	/// Storage: Balances::Holds (r:e w:e)
	/// Storage: System::Account (r:e w:e)
	/// Storage: DaAttestations::BlobIdByRoot (r:0 w:e)
	/// Storage: Balances::TotalIssuance (r:0 w:e)
	fn expire_blobs(e: u32) -> Weight {
		// Minimum execution time: 10_000_000 picoseconds (estimate).
		Weight::from_parts(10_000_000, 2_000)
			.saturating_add(Weight::from_parts(70_000_000, 6_000).saturating_mul(e.into()))
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
			.saturating_add(T::DbWeight::get().reads((3_u64).saturating_mul(e.into())))
			.saturating_add(T::DbWeight::get().writes((5_u64).saturating_mul(e.into())))
	}
	/// Storage: DaAttestations::ActiveSigners (r:1 w:0)
	/// Storage: DaAttestations::CurrentEpoch (r:1 w:1)
	/// Storage: System::ParentHash (r:1 w:0)
	/// Storage: DaAttestations::Quorums (r:0 w:2)
	/// Storage: DaAttestations::NextEpochStart (r:0 w:1)
	fn start_epoch(s: u32) -> Weight {
		// Minimum execution time: 40_000_000 picoseconds (estimate).
		Weight::from_parts(40_000_000, 10_000)
			.saturating_add(Weight::from_parts(3_000_000, 48).saturating_mul(s.into()))
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
}

// For backwards compatibility and tests.
impl WeightInfo for () {
	/// Storage: DaAttestations::BlobIdByRoot (r:1 w:1)
	/// Storage: DaAttestations::CurrentEpoch (r:1 w:0)
	/// Storage: DaAttestations::Quorums (r:1 w:0)
	/// Storage: DaAttestations::NextBlobId (r:1 w:1)
	/// Storage: DaAttestations::ExpiryQueue (r:1 w:1)
	/// Storage: Balances::Holds (r:1 w:1)
	/// Storage: System::Account (r:1 w:1)
	/// Storage: DaAttestations::Blobs (r:0 w:1)
	fn submit_blob() -> Weight {
		// Minimum execution time: 60_000_000 picoseconds (estimate).
		Weight::from_parts(60_000_000, 4_000)
			.saturating_add(RocksDbWeight::get().reads(7_u64))
			.saturating_add(RocksDbWeight::get().writes(6_u64))
	}
	/// Storage: DaAttestations::Signers (r:1 w:1)
	/// Storage: DaAttestations::ActiveSigners (r:1 w:1)
	/// Storage: Balances::Holds (r:1 w:1)
	/// Storage: System::Account (r:1 w:1)
	fn register_signer() -> Weight {
		// Minimum execution time: 55_000_000 picoseconds (estimate).
		Weight::from_parts(55_000_000, 12_000)
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
	}
	/// Storage: DaAttestations::Signers (r:1 w:1)
	/// Storage: DaAttestations::ActiveSigners (r:1 w:1)
	/// Storage: Balances::Holds (r:1 w:1)
	/// Storage: System::Account (r:1 w:1)
	fn update_signer() -> Weight {
		// Minimum execution time: 55_000_000 picoseconds (estimate).
		Weight::from_parts(55_000_000, 12_000)
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
	}
	/// Storage: DaAttestations::Signers (r:1 w:1)
	/// Storage: DaAttestations::ActiveSigners (r:1 w:1)
	fn unregister_signer() -> Weight {
		// Minimum execution time: 35_000_000 picoseconds (estimate).
		Weight::from_parts(35_000_000, 12_000)
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
	}
	/// Storage: DaAttestations::Signers (r:1 w:1)
	/// Storage: Balances::Holds (r:1 w:1)
	/// Storage: System::Account (r:1 w:1)
	fn withdraw_unbonded() -> Weight {
		// Minimum execution time: 45_000_000 picoseconds (estimate).
		Weight::from_parts(45_000_000, 4_000)
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	/// Storage: DaAttestations::NextBlobId (r:1 w:0)
	/// Storage: DaAttestations::Blobs (r:n w:n)
	/// Storage: DaAttestations::Quorums (r:n w:0)
	/// Storage: Balances::Holds (r:n w:n), System::Account (r:34n w:34n): worst case, every blob certified and its fee paid to
	/// Storage: a quorum of 32 attesters
	fn attest(n: u32) -> Weight {
		// Minimum execution time: 25_000_000 picoseconds (estimate).
		Weight::from_parts(25_000_000, 2_000)
			.saturating_add(Weight::from_parts(900_000_000, 70_000).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().reads((36_u64).saturating_mul(n.into())))
			.saturating_add(RocksDbWeight::get().writes((36_u64).saturating_mul(n.into())))
	}
	/// Storage: DaAttestations::ExpiryQueue (r:1 w:1)
	/// Storage: DaAttestations::NextEpochStart (r:1 w:0)
	/// Storage: DaAttestations::Blobs (r:e w:e)
	/// Storage: Balances::Holds (r:e w:e)
	/// Storage: System::Account (r:e w:e)
	/// Storage: DaAttestations::BlobIdByRoot (r:0 w:e)
	/// Storage: Balances::TotalIssuance (r:0 w:e)
	fn expire_blobs(e: u32) -> Weight {
		// Minimum execution time: 10_000_000 picoseconds (estimate).
		Weight::from_parts(10_000_000, 2_000)
			.saturating_add(Weight::from_parts(70_000_000, 6_000).saturating_mul(e.into()))
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
			.saturating_add(RocksDbWeight::get().reads((3_u64).saturating_mul(e.into())))
			.saturating_add(RocksDbWeight::get().writes((5_u64).saturating_mul(e.into())))
	}
	/// Storage: DaAttestations::ActiveSigners (r:1 w:0)
	/// Storage: DaAttestations::CurrentEpoch (r:1 w:1)
	/// Storage: System::ParentHash (r:1 w:0)
	/// Storage: DaAttestations::Quorums (r:0 w:2)
	/// Storage: DaAttestations::NextEpochStart (r:0 w:1)
	fn start_epoch(s: u32) -> Weight {
		// Minimum execution time: 40_000_000 picoseconds (estimate).
		Weight::from_parts(40_000_000, 10_000)
			.saturating_add(Weight::from_parts(3_000_000, 48).saturating_mul(s.into()))
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
	}
}
