//! Weights for `pallet_storage_commitments`
//!
//! THIS FILE FOLLOWS THE FORMAT OF THE SUBSTRATE BENCHMARK CLI VERSION 32.0.0 TEMPLATE.
//! Its numbers are conservative estimates made before the runtime included the pallet: storage
//! reads and writes are counted from the code (worst paths: a renewal that first removes an
//! expired file, a draw that removes `MAX_DRAW_ATTEMPTS` expired files), execution times are
//! scaled from comparable polkadot-sdk calls (a transfer or hold ~40 µs, a keccak-256 of 64 bytes
//! ~1 µs native) and rounded up. REGENERATE IT with the command below once `zerog-runtime`
//! includes `StorageCommitments`; never edit the numbers by hand.
//! DATE: not generated yet, STEPS: `50`, REPEAT: `20`, LOW RANGE: `[]`, HIGH RANGE: `[]`
//! WORST CASE MAP SIZE: `1000000`
//! WASM-EXECUTION: `Compiled`, CHAIN: `None`, DB CACHE: `1024`

// Executed Command:
// frame-omni-bencher
// v1
// benchmark
// pallet
// --runtime=target/release/wbuild/zerog-runtime/zerog_runtime.compact.compressed.wasm
// --pallet=pallet_storage_commitments
// --extrinsic=*
// --steps=50
// --repeat=20
// --output=pallets/storage-commitments/src/weights.rs
// --template=.maintain/frame-weight-template.hbs

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]
#![allow(dead_code)]

use polkadot_sdk::frame_support::{traits::Get, weights::{Weight, constants::RocksDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed for `pallet_storage_commitments`.
pub trait WeightInfo {
	fn submit() -> Weight;
	fn renew() -> Weight;
	fn register_provider() -> Weight;
	fn update_provider() -> Weight;
	fn unregister() -> Weight;
	fn withdraw_unbonded() -> Weight;
	fn submit_proof() -> Weight;
	fn process_deadlines(p: u32, ) -> Weight;
	fn activate_files(n: u32, ) -> Weight;
	fn issue_challenges(p: u32, ) -> Weight;
	fn sweep_expired(n: u32, ) -> Weight;
}

/// Weights for `pallet_storage_commitments` using the Substrate node and recommended hardware.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: polkadot_sdk::frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `StorageCommitments::FileIndex` (r:1 w:2)
	/// Storage: `StorageCommitments::Files` (r:2 w:3)
	/// Storage: `StorageCommitments::NextFileId` (r:1 w:1)
	/// Storage: `StorageCommitments::ActiveFileCount` (r:1 w:1)
	/// Storage: `StorageCommitments::ActiveFiles` (r:1 w:2)
	/// Storage: `StorageCommitments::Pool` (r:1 w:1)
	/// Storage: `System::Account` (r:2 w:2)
	/// Storage: `Balances::TotalIssuance` (r:1 w:1)
	fn submit() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `1400`
		//  Estimated: `12000`
		// Minimum execution time: 120_000_000 picoseconds.
		Weight::from_parts(120_000_000, 12000)
			.saturating_add(T::DbWeight::get().reads(10_u64))
			.saturating_add(T::DbWeight::get().writes(13_u64))
	}
	/// Storage: `StorageCommitments::Files` (r:1 w:1)
	/// Storage: `StorageCommitments::Pool` (r:1 w:1)
	/// Storage: `System::Account` (r:2 w:2)
	/// Storage: `Balances::TotalIssuance` (r:1 w:1)
	fn renew() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `1200`
		//  Estimated: `6000`
		// Minimum execution time: 70_000_000 picoseconds.
		Weight::from_parts(70_000_000, 6000)
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(5_u64))
	}
	/// Storage: `StorageCommitments::Providers` (r:1 w:1)
	/// Storage: `StorageCommitments::ActiveProviders` (r:1 w:1)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Storage: `System::Account` (r:1 w:1)
	fn register_provider() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `3400`
		//  Estimated: `12000`
		// Minimum execution time: 70_000_000 picoseconds.
		Weight::from_parts(70_000_000, 12000)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	/// Storage: `StorageCommitments::Providers` (r:1 w:1)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Storage: `System::Account` (r:1 w:1)
	fn update_provider() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `700`
		//  Estimated: `4500`
		// Minimum execution time: 60_000_000 picoseconds.
		Weight::from_parts(60_000_000, 4500)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	/// Storage: `StorageCommitments::Providers` (r:1 w:1)
	/// Storage: `StorageCommitments::ActiveProviders` (r:1 w:1)
	fn unregister() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `3400`
		//  Estimated: `12000`
		// Minimum execution time: 40_000_000 picoseconds.
		Weight::from_parts(40_000_000, 12000)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	/// Storage: `StorageCommitments::Providers` (r:1 w:1)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Storage: `System::Account` (r:1 w:1)
	fn withdraw_unbonded() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `700`
		//  Estimated: `4500`
		// Minimum execution time: 60_000_000 picoseconds.
		Weight::from_parts(60_000_000, 4500)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	/// Storage: `StorageCommitments::Challenges` (r:1 w:1)
	/// Storage: `StorageCommitments::Files` (r:1 w:1)
	/// Storage: `StorageCommitments::Pool` (r:1 w:1)
	/// Storage: `System::Account` (r:2 w:2)
	fn submit_proof() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `1500`
		//  Estimated: `7000`
		// Minimum execution time: 110_000_000 picoseconds.
		Weight::from_parts(110_000_000, 7000)
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(5_u64))
	}
	/// Storage: `StorageCommitments::PeriodChallenges` (r:1 w:1)
	/// Storage: `StorageCommitments::Challenges` (r:`p` w:`p`)
	/// Storage: `StorageCommitments::Providers` (r:`2p` w:`2p`)
	/// Storage: `Balances::Holds` (r:`p` w:`p`)
	/// Storage: `System::Account` (r:`p` w:`p`)
	/// Storage: `Balances::TotalIssuance` (r:1 w:1)
	/// The range of component `p` is `[0, 100]`.
	fn process_deadlines(p: u32, ) -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `200 + p * (900 ±0)`
		//  Estimated: `3500 + p * (4500 ±0)`
		// Minimum execution time: 10_000_000 picoseconds.
		Weight::from_parts(10_000_000, 3500)
			// Standard Error: 10_000
			.saturating_add(Weight::from_parts(70_000_000, 0).saturating_mul(p.into()))
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().reads((5_u64).saturating_mul(p.into())))
			.saturating_add(T::DbWeight::get().writes(2_u64))
			.saturating_add(T::DbWeight::get().writes((5_u64).saturating_mul(p.into())))
			.saturating_add(Weight::from_parts(0, 4500).saturating_mul(p.into()))
	}
	/// Storage: `StorageCommitments::NextFileId` (r:1 w:0)
	/// Storage: `StorageCommitments::NextToActivate` (r:1 w:1)
	/// Storage: `StorageCommitments::Files` (r:`n` w:`n`)
	/// Storage: `StorageCommitments::ActiveFileCount` (r:`n` w:`n`)
	/// Storage: `StorageCommitments::ActiveFiles` (r:0 w:`n`)
	/// The range of component `n` is `[0, 100]`.
	fn activate_files(n: u32, ) -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `100 + n * (700 ±0)`
		//  Estimated: `1500 + n * (3000 ±0)`
		// Minimum execution time: 5_000_000 picoseconds.
		Weight::from_parts(5_000_000, 1500)
			// Standard Error: 5_000
			.saturating_add(Weight::from_parts(25_000_000, 0).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().reads((2_u64).saturating_mul(n.into())))
			.saturating_add(T::DbWeight::get().writes(1_u64))
			.saturating_add(T::DbWeight::get().writes((3_u64).saturating_mul(n.into())))
			.saturating_add(Weight::from_parts(0, 3000).saturating_mul(n.into()))
	}
	/// Storage: `StorageCommitments::ActiveProviders` (r:1 w:0)
	/// Storage: `System::ParentHash` (r:1 w:0)
	/// Storage: `StorageCommitments::PeriodChallenges` (r:0 w:1)
	/// Storage: `StorageCommitments::Providers` (r:`p` w:`p`)
	/// Storage: `StorageCommitments::ActiveFileCount` (r:`3p` w:`3p`)
	/// Storage: `StorageCommitments::ActiveFiles` (r:`6p` w:`6p`)
	/// Storage: `StorageCommitments::Files` (r:`6p` w:`6p`)
	/// Storage: `StorageCommitments::Challenges` (r:0 w:`p`)
	/// The range of component `p` is `[0, 100]`.
	fn issue_challenges(p: u32, ) -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `3500 + p * (1500 ±0)`
		//  Estimated: `5000 + p * (9000 ±0)`
		// Minimum execution time: 10_000_000 picoseconds.
		Weight::from_parts(10_000_000, 5000)
			// Standard Error: 20_000
			.saturating_add(Weight::from_parts(150_000_000, 0).saturating_mul(p.into()))
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().reads((16_u64).saturating_mul(p.into())))
			.saturating_add(T::DbWeight::get().writes(1_u64))
			.saturating_add(T::DbWeight::get().writes((17_u64).saturating_mul(p.into())))
			.saturating_add(Weight::from_parts(0, 9000).saturating_mul(p.into()))
	}
	/// Storage: `StorageCommitments::ActiveFileCount` (r:1 w:`n`)
	/// Storage: `StorageCommitments::ExpiryCursor` (r:1 w:1)
	/// Storage: `StorageCommitments::ActiveFiles` (r:`2n` w:`2n`)
	/// Storage: `StorageCommitments::Files` (r:`2n` w:`2n`)
	/// Storage: `StorageCommitments::FileIndex` (r:0 w:`n`)
	/// Storage: `StorageCommitments::Pool` (r:`n` w:`n`)
	/// Storage: `System::Account` (r:`n` w:`n`)
	/// Storage: `Balances::TotalIssuance` (r:`n` w:`n`)
	/// The range of component `n` is `[0, 100]`.
	fn sweep_expired(n: u32, ) -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `200 + n * (800 ±0)`
		//  Estimated: `1500 + n * (6000 ±0)`
		// Minimum execution time: 5_000_000 picoseconds.
		Weight::from_parts(5_000_000, 1500)
			// Standard Error: 10_000
			.saturating_add(Weight::from_parts(60_000_000, 0).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().reads((8_u64).saturating_mul(n.into())))
			.saturating_add(T::DbWeight::get().writes(1_u64))
			.saturating_add(T::DbWeight::get().writes((9_u64).saturating_mul(n.into())))
			.saturating_add(Weight::from_parts(0, 6000).saturating_mul(n.into()))
	}
}

// For backwards compatibility and tests.
impl WeightInfo for () {
	fn submit() -> Weight {
		Weight::from_parts(120_000_000, 12000)
			.saturating_add(RocksDbWeight::get().reads(10_u64))
			.saturating_add(RocksDbWeight::get().writes(13_u64))
	}
	fn renew() -> Weight {
		Weight::from_parts(70_000_000, 6000)
			.saturating_add(RocksDbWeight::get().reads(5_u64))
			.saturating_add(RocksDbWeight::get().writes(5_u64))
	}
	fn register_provider() -> Weight {
		Weight::from_parts(70_000_000, 12000)
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
	}
	fn update_provider() -> Weight {
		Weight::from_parts(60_000_000, 4500)
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	fn unregister() -> Weight {
		Weight::from_parts(40_000_000, 12000)
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
	}
	fn withdraw_unbonded() -> Weight {
		Weight::from_parts(60_000_000, 4500)
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	fn submit_proof() -> Weight {
		Weight::from_parts(110_000_000, 7000)
			.saturating_add(RocksDbWeight::get().reads(5_u64))
			.saturating_add(RocksDbWeight::get().writes(5_u64))
	}
	fn process_deadlines(p: u32, ) -> Weight {
		Weight::from_parts(10_000_000, 3500)
			.saturating_add(Weight::from_parts(70_000_000, 0).saturating_mul(p.into()))
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().reads((5_u64).saturating_mul(p.into())))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
			.saturating_add(RocksDbWeight::get().writes((5_u64).saturating_mul(p.into())))
			.saturating_add(Weight::from_parts(0, 4500).saturating_mul(p.into()))
	}
	fn activate_files(n: u32, ) -> Weight {
		Weight::from_parts(5_000_000, 1500)
			.saturating_add(Weight::from_parts(25_000_000, 0).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().reads((2_u64).saturating_mul(n.into())))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
			.saturating_add(RocksDbWeight::get().writes((3_u64).saturating_mul(n.into())))
			.saturating_add(Weight::from_parts(0, 3000).saturating_mul(n.into()))
	}
	fn issue_challenges(p: u32, ) -> Weight {
		Weight::from_parts(10_000_000, 5000)
			.saturating_add(Weight::from_parts(150_000_000, 0).saturating_mul(p.into()))
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().reads((16_u64).saturating_mul(p.into())))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
			.saturating_add(RocksDbWeight::get().writes((17_u64).saturating_mul(p.into())))
			.saturating_add(Weight::from_parts(0, 9000).saturating_mul(p.into()))
	}
	fn sweep_expired(n: u32, ) -> Weight {
		Weight::from_parts(5_000_000, 1500)
			.saturating_add(Weight::from_parts(60_000_000, 0).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().reads((8_u64).saturating_mul(n.into())))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
			.saturating_add(RocksDbWeight::get().writes((9_u64).saturating_mul(n.into())))
			.saturating_add(Weight::from_parts(0, 6000).saturating_mul(n.into()))
	}
}
