//! A runtime with `pallet-parameters`, this pallet and two parameters: a `Period` and a `Window`
//! that must stay shorter than it.

use crate::{self as pallet_parameter_bounds, BoundViolation, ParameterBounds};
use polkadot_sdk::{
	frame_support::{
		construct_runtime, derive_impl,
		dynamic_params::{dynamic_pallet_params, dynamic_params},
		traits::{AsEnsureOriginWithArg, Get},
	},
	frame_system::{self, EnsureRoot},
	pallet_parameters, sp_io,
	sp_runtime::BuildStorage,
};

type Block = frame_system::mocking::MockBlock<Test>;

construct_runtime!(
	pub enum Test {
		System: frame_system,
		ParameterStore: pallet_parameters,
		Parameters: pallet_parameter_bounds,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

/// The default period.
pub const PERIOD: u32 = 10;
/// The default window.
pub const WINDOW: u32 = 4;

#[dynamic_params(RuntimeParameters, pallet_parameters::Parameters::<Test>)]
pub mod dynamic_params {
	use super::*;

	#[dynamic_pallet_params]
	#[codec(index = 0)]
	pub mod schedule {
		/// Between 5 and 100.
		#[codec(index = 0)]
		pub static Period: u32 = PERIOD;
		/// At least 1, below `Period`.
		#[codec(index = 1)]
		pub static Window: u32 = WINDOW;
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl Default for RuntimeParameters {
	fn default() -> Self {
		RuntimeParameters::Schedule(dynamic_params::schedule::Parameters::Window(
			dynamic_params::schedule::Window,
			Some(WINDOW + 1),
		))
	}
}

/// `Period` in [5, 100] and above `Window`; `Window` in [1, 100] and below `Period`.
pub struct ScheduleBounds;
impl ParameterBounds<RuntimeParameters> for ScheduleBounds {
	fn check(parameter: &RuntimeParameters) -> Result<(), BoundViolation> {
		use dynamic_params::schedule::{self, Parameters};
		let RuntimeParameters::Schedule(parameter) = parameter;
		let (value, min, max, consistent) = match parameter {
			Parameters::Period(_, value) => {
				let value = value.unwrap_or(PERIOD);
				(value, 5, 100, value > schedule::Window::get())
			},
			Parameters::Window(_, value) => {
				let value = value.unwrap_or(WINDOW);
				(value, 1, 100, value < schedule::Period::get())
			},
		};
		if value < min {
			Err(BoundViolation::BelowMinimum)
		} else if value > max {
			Err(BoundViolation::AboveMaximum)
		} else if !consistent {
			Err(BoundViolation::Inconsistent)
		} else {
			Ok(())
		}
	}
}

#[derive_impl(pallet_parameters::config_preludes::TestDefaultConfig)]
impl pallet_parameters::Config for Test {
	type AdminOrigin = AsEnsureOriginWithArg<EnsureRoot<u64>>;
}

impl pallet_parameter_bounds::Config for Test {
	type SetOrigin = AsEnsureOriginWithArg<EnsureRoot<u64>>;
	type Bounds = ScheduleBounds;
	type WeightInfo = ();
}

/// A fresh chain at block 1 (events are recorded from there).
pub fn new_test_ext() -> sp_io::TestExternalities {
	let storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}
