//! Weights of the marketplace's calls.
//!
//! PROVISIONAL: the pallet is not in the runtime yet, so these are not measured. They charge
//! each call its storage accesses at the database weights plus a generous 40 µs of computation
//! (the calls hash and compare at most a few hundred bytes), and `benchmarking.rs` exercises the
//! worst case of every call in the mock. Regenerate with `runtime/benchmarking/weights.sh
//! marketplace` once the pallet is in the runtime.

#![allow(unused_parens, unused_imports, missing_docs)]

use core::marker::PhantomData;
use polkadot_sdk::frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, Weight},
};

/// Weight functions of `pallet_marketplace`.
pub trait WeightInfo {
	fn register_encryption_key() -> Weight;
	fn remove_encryption_key() -> Weight;
	fn register_asset() -> Weight;
	fn update_asset() -> Weight;
	fn remove_asset() -> Weight;
	fn buy_access() -> Weight;
	fn request_access() -> Weight;
	fn grant_access() -> Weight;
	fn deny_access() -> Weight;
	fn revoke_access() -> Weight;
	fn withdraw_request() -> Weight;
	fn remove_expired_grant() -> Weight;
	fn deliver_key() -> Weight;
	fn deploy() -> Weight;
	fn undeploy() -> Weight;
	fn reclaim_purchase() -> Weight;
	fn deliver_enclave_key() -> Weight;
	fn revoke_enclave_key() -> Weight;
	fn attach_job_inputs() -> Weight;
	fn remove_job_inputs() -> Weight;
	fn deliver_result_key() -> Weight;
}

/// 40 µs of computation and the proof size of the records a call reads.
fn call(reads: u64, writes: u64, db: fn(u64, u64) -> Weight) -> Weight {
	Weight::from_parts(40_000_000, 3_000 * reads.max(1)).saturating_add(db(reads, writes))
}

macro_rules! weights {
	($($name:ident: $reads:expr, $writes:expr;)*) => {
		/// Weights for `pallet_marketplace` with the runtime's database weights.
		pub struct SubstrateWeight<T>(PhantomData<T>);

		impl<T: polkadot_sdk::frame_system::Config> WeightInfo for SubstrateWeight<T> {
			$(fn $name() -> Weight {
				call($reads, $writes, |r, w| T::DbWeight::get().reads_writes(r, w))
			})*
		}

		/// Weights for tests, with RocksDB's database weights.
		impl WeightInfo for () {
			$(fn $name() -> Weight {
				call($reads, $writes, |r, w| RocksDbWeight::get().reads_writes(r, w))
			})*
		}
	};
}

// Reads and writes, counting the hold (the account and its holds) as two of each.
weights! {
	register_encryption_key: 3, 3;
	remove_encryption_key: 3, 3;
	register_asset: 7, 5;
	update_asset: 1, 1;
	remove_asset: 5, 4;
	buy_access: 10, 8;
	request_access: 5, 4;
	grant_access: 5, 4;
	deny_access: 4, 4;
	revoke_access: 4, 4;
	withdraw_request: 4, 4;
	remove_expired_grant: 4, 4;
	deliver_key: 5, 3;
	deploy: 5, 4;
	undeploy: 3, 2;
	reclaim_purchase: 6, 6;
	deliver_enclave_key: 7, 5;
	revoke_enclave_key: 5, 4;
	// The job, its service and its enclave; each of `MaxJobAssets` (4) assets, its grant and
	// its enclave key.
	attach_job_inputs: 19, 3;
	remove_job_inputs: 4, 3;
	deliver_result_key: 2, 1;
}
