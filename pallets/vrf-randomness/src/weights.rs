// This file is part of ZeroG. Provisional: measured natively and scaled (see below) until the
// next run of the weight script in runtime/benchmarking/ (docs/weights.md) replaces it.

//! Weights for `pallet_vrf_randomness`.
//!
//! `reveal` verifies one schnorrkel VRF proof (scalar multiplications and a transcript hash)
//! and derives the output bytes: 133 µs natively on the reference machine (the proof and output
//! of the benchmark, 500 times). The weight allows about 4x that for compiled wasm, plus the
//! pallet's reads and writes.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use polkadot_sdk::frame_support::{traits::Get, weights::{Weight, constants::RocksDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed for `pallet_vrf_randomness`.
pub trait WeightInfo {
	fn reveal() -> Weight;
}

/// The VRF check's execution time: 550 µs.
const REVEAL_EXECUTION: u64 = 550_000_000;
/// The proof size read: the expected claim (41 bytes) and the randomness (36 bytes), with their keys.
const REVEAL_PROOF_SIZE: u64 = 1_600;

/// Weights for `pallet_vrf_randomness` with the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: polkadot_sdk::frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `VrfRandomness::ExpectedReveal` (r:1 w:1)
	/// Storage: `VrfRandomness::Randomness` (r:1 w:1)
	fn reveal() -> Weight {
		Weight::from_parts(REVEAL_EXECUTION, REVEAL_PROOF_SIZE)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
}

// For backwards compatibility and tests.
impl WeightInfo for () {
	fn reveal() -> Weight {
		Weight::from_parts(REVEAL_EXECUTION, REVEAL_PROOF_SIZE)
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
	}
}
