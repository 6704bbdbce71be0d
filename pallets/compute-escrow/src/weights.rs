//! Weights for `pallet_compute_escrow`
//!
//! THIS FILE FOLLOWS THE FORMAT OF THE SUBSTRATE BENCHMARK CLI VERSION 32.0.0 TEMPLATE.
//! Its numbers are estimates made before the runtime included the pallet: storage reads and
//! writes are counted from the code, execution times are scaled from comparable polkadot-sdk
//! calls (a hold or transfer on hold ~40 µs, an sr25519 verification ~60 µs). Regenerate it with
//! the command below once `zerog-runtime` includes `ComputeEscrow`.
//! DATE: not generated yet, STEPS: `50`, REPEAT: `20`, LOW RANGE: `[]`, HIGH RANGE: `[]`
//! WORST CASE MAP SIZE: `1000000`
//! WASM-EXECUTION: `Compiled`, CHAIN: `None`, DB CACHE: `1024`

// Executed Command:
// frame-omni-bencher
// v1
// benchmark
// pallet
// --runtime=target/release/wbuild/zerog-runtime/zerog_runtime.compact.compressed.wasm
// --pallet=pallet_compute_escrow
// --extrinsic=*
// --steps=50
// --repeat=20
// --output=pallets/compute-escrow/src/weights.rs
// --template=.maintain/frame-weight-template.hbs

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]
#![allow(dead_code)]

use polkadot_sdk::frame_support::{traits::Get, weights::{Weight, constants::RocksDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed for `pallet_compute_escrow`.
pub trait WeightInfo {
	fn register_service() -> Weight;
	fn update_service() -> Weight;
	fn remove_service() -> Weight;
	fn deposit() -> Weight;
	fn withdraw() -> Weight;
	fn fund_provider() -> Weight;
	fn request_refund() -> Weight;
	fn claim_refund() -> Weight;
	fn settle_receipts(n: u32) -> Weight;
	fn create_job() -> Weight;
	fn submit_result() -> Weight;
	fn accept_result() -> Weight;
	fn dispute() -> Weight;
	fn resolve_dispute() -> Weight;
	fn decline_job() -> Weight;
	fn on_initialize(e: u32, r: u32) -> Weight;
}

/// Weights for `pallet_compute_escrow` using the Substrate node and recommended hardware.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: polkadot_sdk::frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `ComputeEscrow::NextServiceId` (r:1 w:1)
	/// Proof: `ComputeEscrow::NextServiceId` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `ComputeEscrow::ProviderServices` (r:1 w:1)
	/// Proof: `ComputeEscrow::ProviderServices` (`max_values`: None, `max_size`: Some(177), added: 2652, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(103), added: 2578, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:1 w:1)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `ComputeEscrow::Services` (r:0 w:1)
	/// Proof: `ComputeEscrow::Services` (`max_values`: None, `max_size`: Some(622), added: 3097, mode: `MaxEncodedLen`)
	fn register_service() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `1021`
		//  Estimated: `4087`
		// Minimum execution time: 48_310_000 picoseconds.
		Weight::from_parts(48_310_000, 4087)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(5_u64))
	}
	/// Storage: `ComputeEscrow::Services` (r:1 w:1)
	/// Proof: `ComputeEscrow::Services` (`max_values`: None, `max_size`: Some(622), added: 3097, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(103), added: 2578, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:1 w:1)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	fn update_service() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `1021`
		//  Estimated: `4087`
		// Minimum execution time: 44_120_000 picoseconds.
		Weight::from_parts(44_120_000, 4087)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	/// Storage: `ComputeEscrow::Services` (r:1 w:1)
	/// Proof: `ComputeEscrow::Services` (`max_values`: None, `max_size`: Some(622), added: 3097, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(103), added: 2578, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:1 w:1)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `ComputeEscrow::ProviderServices` (r:1 w:1)
	/// Proof: `ComputeEscrow::ProviderServices` (`max_values`: None, `max_size`: Some(177), added: 2652, mode: `MaxEncodedLen`)
	fn remove_service() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `1021`
		//  Estimated: `4087`
		// Minimum execution time: 47_560_000 picoseconds.
		Weight::from_parts(47_560_000, 4087)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(103), added: 2578, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:1 w:1)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `ComputeEscrow::Ledgers` (r:1 w:1)
	/// Proof: `ComputeEscrow::Ledgers` (`max_values`: None, `max_size`: Some(1299), added: 3774, mode: `MaxEncodedLen`)
	fn deposit() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `1191`
		//  Estimated: `4764`
		// Minimum execution time: 41_870_000 picoseconds.
		Weight::from_parts(41_870_000, 4764)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	/// Storage: `ComputeEscrow::Ledgers` (r:1 w:1)
	/// Proof: `ComputeEscrow::Ledgers` (`max_values`: None, `max_size`: Some(1299), added: 3774, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(103), added: 2578, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:1 w:1)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	fn withdraw() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `1191`
		//  Estimated: `4764`
		// Minimum execution time: 42_940_000 picoseconds.
		Weight::from_parts(42_940_000, 4764)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	/// Storage: `ComputeEscrow::ProviderServices` (r:1 w:0)
	/// Proof: `ComputeEscrow::ProviderServices` (`max_values`: None, `max_size`: Some(177), added: 2652, mode: `MaxEncodedLen`)
	/// Storage: `ComputeEscrow::Ledgers` (r:1 w:1)
	/// Proof: `ComputeEscrow::Ledgers` (`max_values`: None, `max_size`: Some(1299), added: 3774, mode: `MaxEncodedLen`)
	/// Storage: `ComputeEscrow::SubAccounts` (r:1 w:1)
	/// Proof: `ComputeEscrow::SubAccounts` (`max_values`: None, `max_size`: Some(120), added: 2595, mode: `MaxEncodedLen`)
	fn fund_provider() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `1191`
		//  Estimated: `4764`
		// Minimum execution time: 24_650_000 picoseconds.
		Weight::from_parts(24_650_000, 4764)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	/// Storage: `ComputeEscrow::SubAccounts` (r:1 w:1)
	/// Proof: `ComputeEscrow::SubAccounts` (`max_values`: None, `max_size`: Some(120), added: 2595, mode: `MaxEncodedLen`)
	/// Storage: `ComputeEscrow::Ledgers` (r:1 w:1)
	/// Proof: `ComputeEscrow::Ledgers` (`max_values`: None, `max_size`: Some(1299), added: 3774, mode: `MaxEncodedLen`)
	fn request_refund() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `1191`
		//  Estimated: `4764`
		// Minimum execution time: 27_380_000 picoseconds.
		Weight::from_parts(27_380_000, 4764)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	/// Storage: `ComputeEscrow::Ledgers` (r:1 w:1)
	/// Proof: `ComputeEscrow::Ledgers` (`max_values`: None, `max_size`: Some(1299), added: 3774, mode: `MaxEncodedLen`)
	fn claim_refund() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `1191`
		//  Estimated: `4764`
		// Minimum execution time: 21_790_000 picoseconds.
		Weight::from_parts(21_790_000, 4764)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `ComputeEscrow::Services` (r:1 w:0)
	/// Proof: `ComputeEscrow::Services` (`max_values`: None, `max_size`: Some(622), added: 3097, mode: `MaxEncodedLen`)
	/// Storage: `ComputeEscrow::SubAccounts` (r:1 w:1)
	/// Proof: `ComputeEscrow::SubAccounts` (`max_values`: None, `max_size`: Some(120), added: 2595, mode: `MaxEncodedLen`)
	/// Storage: `ComputeEscrow::Ledgers` (r:1 w:1)
	/// Proof: `ComputeEscrow::Ledgers` (`max_values`: None, `max_size`: Some(1299), added: 3774, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(103), added: 2578, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:2 w:2)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// The range of component `n` is `[1, 32]`.
	fn settle_receipts(n: u32) -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `1021`
		//  Estimated: `4087`
		// Minimum execution time: 18_420_000 picoseconds.
		Weight::from_parts(18_420_000, 4087)
			// Standard Error: 0
			.saturating_add(Weight::from_parts(112_630_000, 0).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().reads((5_u64).saturating_mul(n.into())))
			.saturating_add(T::DbWeight::get().writes((5_u64).saturating_mul(n.into())))
			.saturating_add(Weight::from_parts(0, 4764).saturating_mul(n.into()))
	}
	/// Storage: `ComputeEscrow::Services` (r:1 w:1)
	/// Proof: `ComputeEscrow::Services` (`max_values`: None, `max_size`: Some(622), added: 3097, mode: `MaxEncodedLen`)
	/// Storage: `ComputeEscrow::NextJobId` (r:1 w:1)
	/// Proof: `ComputeEscrow::NextJobId` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `ComputeEscrow::JobDeadlines` (r:1 w:1)
	/// Proof: `ComputeEscrow::JobDeadlines` (`max_values`: None, `max_size`: Some(530), added: 3005, mode: `MaxEncodedLen`)
	/// Storage: `ComputeEscrow::ProviderJobs` (r:1 w:1)
	/// Proof: `ComputeEscrow::ProviderJobs` (`max_values`: None, `max_size`: Some(565), added: 3040, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(103), added: 2578, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:1 w:1)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `ComputeEscrow::Jobs` (r:0 w:1)
	/// Proof: `ComputeEscrow::Jobs` (`max_values`: None, `max_size`: Some(263), added: 2738, mode: `MaxEncodedLen`)
	fn create_job() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `1021`
		//  Estimated: `4087`
		// Minimum execution time: 62_480_000 picoseconds.
		Weight::from_parts(62_480_000, 4087)
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(7_u64))
	}
	/// Storage: `ComputeEscrow::Jobs` (r:1 w:1)
	/// Proof: `ComputeEscrow::Jobs` (`max_values`: None, `max_size`: Some(263), added: 2738, mode: `MaxEncodedLen`)
	/// Storage: `ComputeEscrow::ReviewQueue` (r:1 w:1)
	/// Proof: `ComputeEscrow::ReviewQueue` (`max_values`: None, `max_size`: Some(530), added: 3005, mode: `MaxEncodedLen`)
	/// Storage: `ComputeEscrow::JobDeadlines` (r:1 w:1)
	/// Proof: `ComputeEscrow::JobDeadlines` (`max_values`: None, `max_size`: Some(530), added: 3005, mode: `MaxEncodedLen`)
	/// Storage: `ComputeEscrow::ProviderJobs` (r:1 w:1)
	/// Proof: `ComputeEscrow::ProviderJobs` (`max_values`: None, `max_size`: Some(565), added: 3040, mode: `MaxEncodedLen`)
	fn submit_result() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `755`
		//  Estimated: `3021`
		// Minimum execution time: 38_910_000 picoseconds.
		Weight::from_parts(38_910_000, 3021)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	/// Storage: `ComputeEscrow::Jobs` (r:1 w:1)
	/// Proof: `ComputeEscrow::Jobs` (`max_values`: None, `max_size`: Some(263), added: 2738, mode: `MaxEncodedLen`)
	/// Storage: `ComputeEscrow::ReviewQueue` (r:1 w:1)
	/// Proof: `ComputeEscrow::ReviewQueue` (`max_values`: None, `max_size`: Some(530), added: 3005, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(103), added: 2578, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:2 w:2)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `ComputeEscrow::Services` (r:1 w:1)
	/// Proof: `ComputeEscrow::Services` (`max_values`: None, `max_size`: Some(622), added: 3097, mode: `MaxEncodedLen`)
	fn accept_result() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `1549`
		//  Estimated: `6196`
		// Minimum execution time: 71_240_000 picoseconds.
		Weight::from_parts(71_240_000, 6196)
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(6_u64))
	}
	/// Storage: `ComputeEscrow::Jobs` (r:1 w:1)
	/// Proof: `ComputeEscrow::Jobs` (`max_values`: None, `max_size`: Some(263), added: 2738, mode: `MaxEncodedLen`)
	/// Storage: `ComputeEscrow::ReviewQueue` (r:1 w:1)
	/// Proof: `ComputeEscrow::ReviewQueue` (`max_values`: None, `max_size`: Some(530), added: 3005, mode: `MaxEncodedLen`)
	fn dispute() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `755`
		//  Estimated: `3021`
		// Minimum execution time: 27_560_000 picoseconds.
		Weight::from_parts(27_560_000, 3021)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	/// Storage: `ComputeEscrow::Jobs` (r:1 w:1)
	/// Proof: `ComputeEscrow::Jobs` (`max_values`: None, `max_size`: Some(263), added: 2738, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(103), added: 2578, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:2 w:2)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `ComputeEscrow::Services` (r:1 w:1)
	/// Proof: `ComputeEscrow::Services` (`max_values`: None, `max_size`: Some(622), added: 3097, mode: `MaxEncodedLen`)
	fn resolve_dispute() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `1549`
		//  Estimated: `6196`
		// Minimum execution time: 66_830_000 picoseconds.
		Weight::from_parts(66_830_000, 6196)
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(5_u64))
	}
	/// Storage: `ComputeEscrow::Jobs` (r:1 w:1)
	/// Proof: `ComputeEscrow::Jobs` (`max_values`: None, `max_size`: Some(263), added: 2738, mode: `MaxEncodedLen`)
	/// Storage: `ComputeEscrow::JobDeadlines` (r:1 w:1)
	/// Proof: `ComputeEscrow::JobDeadlines` (`max_values`: None, `max_size`: Some(530), added: 3005, mode: `MaxEncodedLen`)
	/// Storage: `ComputeEscrow::ProviderJobs` (r:1 w:1)
	/// Proof: `ComputeEscrow::ProviderJobs` (`max_values`: None, `max_size`: Some(565), added: 3040, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(103), added: 2578, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:1 w:1)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `ComputeEscrow::Services` (r:1 w:1)
	/// Proof: `ComputeEscrow::Services` (`max_values`: None, `max_size`: Some(622), added: 3097, mode: `MaxEncodedLen`)
	fn decline_job() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `1021`
		//  Estimated: `4087`
		// Minimum execution time: 58_170_000 picoseconds.
		Weight::from_parts(58_170_000, 4087)
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(6_u64))
	}
	/// Storage: `ComputeEscrow::JobDeadlines` (r:1 w:1)
	/// Proof: `ComputeEscrow::JobDeadlines` (`max_values`: None, `max_size`: Some(530), added: 3005, mode: `MaxEncodedLen`)
	/// Storage: `ComputeEscrow::ReviewQueue` (r:1 w:1)
	/// Proof: `ComputeEscrow::ReviewQueue` (`max_values`: None, `max_size`: Some(530), added: 3005, mode: `MaxEncodedLen`)
	/// Storage: `ComputeEscrow::Jobs` (r:1 w:1)
	/// Proof: `ComputeEscrow::Jobs` (`max_values`: None, `max_size`: Some(263), added: 2738, mode: `MaxEncodedLen`)
	/// Storage: `ComputeEscrow::ProviderJobs` (r:1 w:1)
	/// Proof: `ComputeEscrow::ProviderJobs` (`max_values`: None, `max_size`: Some(565), added: 3040, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:2 w:2)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(103), added: 2578, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:2 w:2)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `ComputeEscrow::Services` (r:1 w:1)
	/// Proof: `ComputeEscrow::Services` (`max_values`: None, `max_size`: Some(622), added: 3097, mode: `MaxEncodedLen`)
	/// Storage: `Balances::TotalIssuance` (r:1 w:1)
	/// Proof: `Balances::TotalIssuance` (`max_values`: Some(1), `max_size`: Some(16), added: 511, mode: `MaxEncodedLen`)
	/// The range of component `e` is `[0, 16]`.
	/// The range of component `r` is `[0, 16]`.
	fn on_initialize(e: u32, r: u32) -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `755`
		//  Estimated: `3021`
		// Minimum execution time: 6_940_000 picoseconds.
		Weight::from_parts(6_940_000, 3021)
			// Standard Error: 0
			.saturating_add(Weight::from_parts(96_410_000, 0).saturating_mul(e.into()))
			// Standard Error: 0
			.saturating_add(Weight::from_parts(64_380_000, 0).saturating_mul(r.into()))
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().reads((8_u64).saturating_mul(e.into())))
			.saturating_add(T::DbWeight::get().reads((5_u64).saturating_mul(r.into())))
			.saturating_add(T::DbWeight::get().writes(2_u64))
			.saturating_add(T::DbWeight::get().writes((8_u64).saturating_mul(e.into())))
			.saturating_add(T::DbWeight::get().writes((5_u64).saturating_mul(r.into())))
			.saturating_add(Weight::from_parts(0, 6196).saturating_mul(e.into()))
			.saturating_add(Weight::from_parts(0, 6196).saturating_mul(r.into()))
	}
}

// For backwards compatibility and tests.
impl WeightInfo for () {
	/// Storage: `ComputeEscrow::NextServiceId` (r:1 w:1)
	/// Proof: `ComputeEscrow::NextServiceId` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `ComputeEscrow::ProviderServices` (r:1 w:1)
	/// Proof: `ComputeEscrow::ProviderServices` (`max_values`: None, `max_size`: Some(177), added: 2652, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(103), added: 2578, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:1 w:1)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `ComputeEscrow::Services` (r:0 w:1)
	/// Proof: `ComputeEscrow::Services` (`max_values`: None, `max_size`: Some(622), added: 3097, mode: `MaxEncodedLen`)
	fn register_service() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `1021`
		//  Estimated: `4087`
		// Minimum execution time: 48_310_000 picoseconds.
		Weight::from_parts(48_310_000, 4087)
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(5_u64))
	}
	/// Storage: `ComputeEscrow::Services` (r:1 w:1)
	/// Proof: `ComputeEscrow::Services` (`max_values`: None, `max_size`: Some(622), added: 3097, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(103), added: 2578, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:1 w:1)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	fn update_service() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `1021`
		//  Estimated: `4087`
		// Minimum execution time: 44_120_000 picoseconds.
		Weight::from_parts(44_120_000, 4087)
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	/// Storage: `ComputeEscrow::Services` (r:1 w:1)
	/// Proof: `ComputeEscrow::Services` (`max_values`: None, `max_size`: Some(622), added: 3097, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(103), added: 2578, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:1 w:1)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `ComputeEscrow::ProviderServices` (r:1 w:1)
	/// Proof: `ComputeEscrow::ProviderServices` (`max_values`: None, `max_size`: Some(177), added: 2652, mode: `MaxEncodedLen`)
	fn remove_service() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `1021`
		//  Estimated: `4087`
		// Minimum execution time: 47_560_000 picoseconds.
		Weight::from_parts(47_560_000, 4087)
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
	}
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(103), added: 2578, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:1 w:1)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `ComputeEscrow::Ledgers` (r:1 w:1)
	/// Proof: `ComputeEscrow::Ledgers` (`max_values`: None, `max_size`: Some(1299), added: 3774, mode: `MaxEncodedLen`)
	fn deposit() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `1191`
		//  Estimated: `4764`
		// Minimum execution time: 41_870_000 picoseconds.
		Weight::from_parts(41_870_000, 4764)
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	/// Storage: `ComputeEscrow::Ledgers` (r:1 w:1)
	/// Proof: `ComputeEscrow::Ledgers` (`max_values`: None, `max_size`: Some(1299), added: 3774, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(103), added: 2578, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:1 w:1)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	fn withdraw() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `1191`
		//  Estimated: `4764`
		// Minimum execution time: 42_940_000 picoseconds.
		Weight::from_parts(42_940_000, 4764)
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	/// Storage: `ComputeEscrow::ProviderServices` (r:1 w:0)
	/// Proof: `ComputeEscrow::ProviderServices` (`max_values`: None, `max_size`: Some(177), added: 2652, mode: `MaxEncodedLen`)
	/// Storage: `ComputeEscrow::Ledgers` (r:1 w:1)
	/// Proof: `ComputeEscrow::Ledgers` (`max_values`: None, `max_size`: Some(1299), added: 3774, mode: `MaxEncodedLen`)
	/// Storage: `ComputeEscrow::SubAccounts` (r:1 w:1)
	/// Proof: `ComputeEscrow::SubAccounts` (`max_values`: None, `max_size`: Some(120), added: 2595, mode: `MaxEncodedLen`)
	fn fund_provider() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `1191`
		//  Estimated: `4764`
		// Minimum execution time: 24_650_000 picoseconds.
		Weight::from_parts(24_650_000, 4764)
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
	}
	/// Storage: `ComputeEscrow::SubAccounts` (r:1 w:1)
	/// Proof: `ComputeEscrow::SubAccounts` (`max_values`: None, `max_size`: Some(120), added: 2595, mode: `MaxEncodedLen`)
	/// Storage: `ComputeEscrow::Ledgers` (r:1 w:1)
	/// Proof: `ComputeEscrow::Ledgers` (`max_values`: None, `max_size`: Some(1299), added: 3774, mode: `MaxEncodedLen`)
	fn request_refund() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `1191`
		//  Estimated: `4764`
		// Minimum execution time: 27_380_000 picoseconds.
		Weight::from_parts(27_380_000, 4764)
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
	}
	/// Storage: `ComputeEscrow::Ledgers` (r:1 w:1)
	/// Proof: `ComputeEscrow::Ledgers` (`max_values`: None, `max_size`: Some(1299), added: 3774, mode: `MaxEncodedLen`)
	fn claim_refund() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `1191`
		//  Estimated: `4764`
		// Minimum execution time: 21_790_000 picoseconds.
		Weight::from_parts(21_790_000, 4764)
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	/// Storage: `ComputeEscrow::Services` (r:1 w:0)
	/// Proof: `ComputeEscrow::Services` (`max_values`: None, `max_size`: Some(622), added: 3097, mode: `MaxEncodedLen`)
	/// Storage: `ComputeEscrow::SubAccounts` (r:1 w:1)
	/// Proof: `ComputeEscrow::SubAccounts` (`max_values`: None, `max_size`: Some(120), added: 2595, mode: `MaxEncodedLen`)
	/// Storage: `ComputeEscrow::Ledgers` (r:1 w:1)
	/// Proof: `ComputeEscrow::Ledgers` (`max_values`: None, `max_size`: Some(1299), added: 3774, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(103), added: 2578, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:2 w:2)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// The range of component `n` is `[1, 32]`.
	fn settle_receipts(n: u32) -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `1021`
		//  Estimated: `4087`
		// Minimum execution time: 18_420_000 picoseconds.
		Weight::from_parts(18_420_000, 4087)
			// Standard Error: 0
			.saturating_add(Weight::from_parts(112_630_000, 0).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().reads((5_u64).saturating_mul(n.into())))
			.saturating_add(RocksDbWeight::get().writes((5_u64).saturating_mul(n.into())))
			.saturating_add(Weight::from_parts(0, 4764).saturating_mul(n.into()))
	}
	/// Storage: `ComputeEscrow::Services` (r:1 w:1)
	/// Proof: `ComputeEscrow::Services` (`max_values`: None, `max_size`: Some(622), added: 3097, mode: `MaxEncodedLen`)
	/// Storage: `ComputeEscrow::NextJobId` (r:1 w:1)
	/// Proof: `ComputeEscrow::NextJobId` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `ComputeEscrow::JobDeadlines` (r:1 w:1)
	/// Proof: `ComputeEscrow::JobDeadlines` (`max_values`: None, `max_size`: Some(530), added: 3005, mode: `MaxEncodedLen`)
	/// Storage: `ComputeEscrow::ProviderJobs` (r:1 w:1)
	/// Proof: `ComputeEscrow::ProviderJobs` (`max_values`: None, `max_size`: Some(565), added: 3040, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(103), added: 2578, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:1 w:1)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `ComputeEscrow::Jobs` (r:0 w:1)
	/// Proof: `ComputeEscrow::Jobs` (`max_values`: None, `max_size`: Some(263), added: 2738, mode: `MaxEncodedLen`)
	fn create_job() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `1021`
		//  Estimated: `4087`
		// Minimum execution time: 62_480_000 picoseconds.
		Weight::from_parts(62_480_000, 4087)
			.saturating_add(RocksDbWeight::get().reads(6_u64))
			.saturating_add(RocksDbWeight::get().writes(7_u64))
	}
	/// Storage: `ComputeEscrow::Jobs` (r:1 w:1)
	/// Proof: `ComputeEscrow::Jobs` (`max_values`: None, `max_size`: Some(263), added: 2738, mode: `MaxEncodedLen`)
	/// Storage: `ComputeEscrow::ReviewQueue` (r:1 w:1)
	/// Proof: `ComputeEscrow::ReviewQueue` (`max_values`: None, `max_size`: Some(530), added: 3005, mode: `MaxEncodedLen`)
	/// Storage: `ComputeEscrow::JobDeadlines` (r:1 w:1)
	/// Proof: `ComputeEscrow::JobDeadlines` (`max_values`: None, `max_size`: Some(530), added: 3005, mode: `MaxEncodedLen`)
	/// Storage: `ComputeEscrow::ProviderJobs` (r:1 w:1)
	/// Proof: `ComputeEscrow::ProviderJobs` (`max_values`: None, `max_size`: Some(565), added: 3040, mode: `MaxEncodedLen`)
	fn submit_result() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `755`
		//  Estimated: `3021`
		// Minimum execution time: 38_910_000 picoseconds.
		Weight::from_parts(38_910_000, 3021)
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
	}
	/// Storage: `ComputeEscrow::Jobs` (r:1 w:1)
	/// Proof: `ComputeEscrow::Jobs` (`max_values`: None, `max_size`: Some(263), added: 2738, mode: `MaxEncodedLen`)
	/// Storage: `ComputeEscrow::ReviewQueue` (r:1 w:1)
	/// Proof: `ComputeEscrow::ReviewQueue` (`max_values`: None, `max_size`: Some(530), added: 3005, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(103), added: 2578, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:2 w:2)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `ComputeEscrow::Services` (r:1 w:1)
	/// Proof: `ComputeEscrow::Services` (`max_values`: None, `max_size`: Some(622), added: 3097, mode: `MaxEncodedLen`)
	fn accept_result() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `1549`
		//  Estimated: `6196`
		// Minimum execution time: 71_240_000 picoseconds.
		Weight::from_parts(71_240_000, 6196)
			.saturating_add(RocksDbWeight::get().reads(6_u64))
			.saturating_add(RocksDbWeight::get().writes(6_u64))
	}
	/// Storage: `ComputeEscrow::Jobs` (r:1 w:1)
	/// Proof: `ComputeEscrow::Jobs` (`max_values`: None, `max_size`: Some(263), added: 2738, mode: `MaxEncodedLen`)
	/// Storage: `ComputeEscrow::ReviewQueue` (r:1 w:1)
	/// Proof: `ComputeEscrow::ReviewQueue` (`max_values`: None, `max_size`: Some(530), added: 3005, mode: `MaxEncodedLen`)
	fn dispute() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `755`
		//  Estimated: `3021`
		// Minimum execution time: 27_560_000 picoseconds.
		Weight::from_parts(27_560_000, 3021)
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
	}
	/// Storage: `ComputeEscrow::Jobs` (r:1 w:1)
	/// Proof: `ComputeEscrow::Jobs` (`max_values`: None, `max_size`: Some(263), added: 2738, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(103), added: 2578, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:2 w:2)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `ComputeEscrow::Services` (r:1 w:1)
	/// Proof: `ComputeEscrow::Services` (`max_values`: None, `max_size`: Some(622), added: 3097, mode: `MaxEncodedLen`)
	fn resolve_dispute() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `1549`
		//  Estimated: `6196`
		// Minimum execution time: 66_830_000 picoseconds.
		Weight::from_parts(66_830_000, 6196)
			.saturating_add(RocksDbWeight::get().reads(5_u64))
			.saturating_add(RocksDbWeight::get().writes(5_u64))
	}
	/// Storage: `ComputeEscrow::Jobs` (r:1 w:1)
	/// Proof: `ComputeEscrow::Jobs` (`max_values`: None, `max_size`: Some(263), added: 2738, mode: `MaxEncodedLen`)
	/// Storage: `ComputeEscrow::JobDeadlines` (r:1 w:1)
	/// Proof: `ComputeEscrow::JobDeadlines` (`max_values`: None, `max_size`: Some(530), added: 3005, mode: `MaxEncodedLen`)
	/// Storage: `ComputeEscrow::ProviderJobs` (r:1 w:1)
	/// Proof: `ComputeEscrow::ProviderJobs` (`max_values`: None, `max_size`: Some(565), added: 3040, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(103), added: 2578, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:1 w:1)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `ComputeEscrow::Services` (r:1 w:1)
	/// Proof: `ComputeEscrow::Services` (`max_values`: None, `max_size`: Some(622), added: 3097, mode: `MaxEncodedLen`)
	fn decline_job() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `1021`
		//  Estimated: `4087`
		// Minimum execution time: 58_170_000 picoseconds.
		Weight::from_parts(58_170_000, 4087)
			.saturating_add(RocksDbWeight::get().reads(6_u64))
			.saturating_add(RocksDbWeight::get().writes(6_u64))
	}
	/// Storage: `ComputeEscrow::JobDeadlines` (r:1 w:1)
	/// Proof: `ComputeEscrow::JobDeadlines` (`max_values`: None, `max_size`: Some(530), added: 3005, mode: `MaxEncodedLen`)
	/// Storage: `ComputeEscrow::ReviewQueue` (r:1 w:1)
	/// Proof: `ComputeEscrow::ReviewQueue` (`max_values`: None, `max_size`: Some(530), added: 3005, mode: `MaxEncodedLen`)
	/// Storage: `ComputeEscrow::Jobs` (r:1 w:1)
	/// Proof: `ComputeEscrow::Jobs` (`max_values`: None, `max_size`: Some(263), added: 2738, mode: `MaxEncodedLen`)
	/// Storage: `ComputeEscrow::ProviderJobs` (r:1 w:1)
	/// Proof: `ComputeEscrow::ProviderJobs` (`max_values`: None, `max_size`: Some(565), added: 3040, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:2 w:2)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(103), added: 2578, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:2 w:2)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `ComputeEscrow::Services` (r:1 w:1)
	/// Proof: `ComputeEscrow::Services` (`max_values`: None, `max_size`: Some(622), added: 3097, mode: `MaxEncodedLen`)
	/// Storage: `Balances::TotalIssuance` (r:1 w:1)
	/// Proof: `Balances::TotalIssuance` (`max_values`: Some(1), `max_size`: Some(16), added: 511, mode: `MaxEncodedLen`)
	/// The range of component `e` is `[0, 16]`.
	/// The range of component `r` is `[0, 16]`.
	fn on_initialize(e: u32, r: u32) -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `755`
		//  Estimated: `3021`
		// Minimum execution time: 6_940_000 picoseconds.
		Weight::from_parts(6_940_000, 3021)
			// Standard Error: 0
			.saturating_add(Weight::from_parts(96_410_000, 0).saturating_mul(e.into()))
			// Standard Error: 0
			.saturating_add(Weight::from_parts(64_380_000, 0).saturating_mul(r.into()))
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().reads((8_u64).saturating_mul(e.into())))
			.saturating_add(RocksDbWeight::get().reads((5_u64).saturating_mul(r.into())))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
			.saturating_add(RocksDbWeight::get().writes((8_u64).saturating_mul(e.into())))
			.saturating_add(RocksDbWeight::get().writes((5_u64).saturating_mul(r.into())))
			.saturating_add(Weight::from_parts(0, 6196).saturating_mul(e.into()))
			.saturating_add(Weight::from_parts(0, 6196).saturating_mul(r.into()))
	}
}
