//! Issue 17: the runtime charges the weights measured on this chain's machine
//! (`runtime/benchmarking/weights.sh`), not polkadot-sdk's reference-machine `SubstrateWeight`
//! nor the unmeasured `()`.

use crate::{configs::RuntimeBlockWeights, weights, Runtime};
use core::any::TypeId;
use polkadot_sdk::{
	frame_support::dispatch::DispatchClass, frame_system, pallet_balances, pallet_timestamp,
	pallet_transaction_payment,
};

fn is<A: 'static, B: 'static>() -> bool {
	TypeId::of::<A>() == TypeId::of::<B>()
}

#[test]
fn every_pallet_charges_its_generated_weights() {
	assert!(is::<
		<Runtime as frame_system::Config>::SystemWeightInfo,
		weights::frame_system::WeightInfo<Runtime>,
	>());
	assert!(is::<
		<Runtime as frame_system::Config>::ExtensionsWeightInfo,
		weights::frame_system_extensions::WeightInfo<Runtime>,
	>());
	assert!(is::<
		<Runtime as pallet_balances::Config>::WeightInfo,
		weights::pallet_balances::WeightInfo<Runtime>,
	>());
	assert!(is::<
		<Runtime as pallet_timestamp::Config>::WeightInfo,
		weights::pallet_timestamp::WeightInfo<Runtime>,
	>());
	assert!(is::<
		<Runtime as pallet_transaction_payment::Config>::WeightInfo,
		weights::pallet_transaction_payment::WeightInfo<Runtime>,
	>());
	assert!(is::<
		<Runtime as pallet_utility::Config>::WeightInfo,
		weights::pallet_utility::WeightInfo<Runtime>,
	>());
	// The database's: measured by db-weights.sh, not polkadot-sdk's RocksDB constants.
	let db = <Runtime as frame_system::Config>::DbWeight::get();
	assert_ne!(db, polkadot_sdk::frame_support::weights::constants::RocksDbWeight::get());
}

#[test]
fn blocks_and_extrinsics_cost_their_measured_base_weights() {
	let block = RuntimeBlockWeights::get();
	assert_eq!(block.base_block, weights::BlockExecutionWeight::get());
	for class in [DispatchClass::Normal, DispatchClass::Operational, DispatchClass::Mandatory] {
		assert_eq!(block.get(class).base_extrinsic, weights::ExtrinsicBaseWeight::get());
	}
	assert_ne!(
		weights::ExtrinsicBaseWeight::get(),
		polkadot_sdk::frame_support::weights::constants::ExtrinsicBaseWeight::get()
	);
}

/// Every generated file says which command wrote it, so a hand edit or a file from elsewhere
/// shows.
#[test]
fn the_weight_files_come_from_the_documented_command() {
	let files = [
		("block_weights", include_str!("../weights/block_weights.rs")),
		("extrinsic_weights", include_str!("../weights/extrinsic_weights.rs")),
		("frame_system", include_str!("../weights/frame_system.rs")),
		("frame_system_extensions", include_str!("../weights/frame_system_extensions.rs")),
		("pallet_balances", include_str!("../weights/pallet_balances.rs")),
		("pallet_timestamp", include_str!("../weights/pallet_timestamp.rs")),
		("pallet_transaction_payment", include_str!("../weights/pallet_transaction_payment.rs")),
		("pallet_utility", include_str!("../weights/pallet_utility.rs")),
	];
	for (name, text) in files {
		assert!(
			text.contains("zerog-node\n// benchmark")
				|| text.contains("zerog-node\n//   benchmark"),
			"{name}.rs was not written by `zerog-node benchmark`"
		);
		assert!(text.contains("runtime/src/weights"), "{name}.rs names its output path");
	}
}
