//! A runtime with this pallet alone; the slot claim is set by each test ([`Claim`]).

use crate::{self as pallet_vrf_randomness, SlotClaim};
use polkadot_sdk::{
	frame_support::{construct_runtime, derive_impl, parameter_types},
	frame_system, sp_io,
	sp_runtime::BuildStorage,
};

type Block = frame_system::mocking::MockBlock<Test>;

construct_runtime!(
	pub enum Test {
		System: frame_system,
		VrfRandomness: pallet_vrf_randomness,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

parameter_types! {
	/// The claim of the block `on_initialize` runs for.
	pub static Claim: Option<SlotClaim> = None;
}

impl pallet_vrf_randomness::Config for Test {
	type CurrentClaim = Claim;
	type WeightInfo = ();
}

/// Externalities with the genesis of [`Test`], at block 1.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| frame_system::Pallet::<Test>::set_block_number(1));
	ext
}
