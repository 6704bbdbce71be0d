//! Every call and error of the pallet.

use crate::{mock::*, Error};
use dynamic_params::schedule::{self, Parameters as Schedule};
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok, traits::Get},
	frame_system::RawOrigin,
	pallet_parameters,
	sp_runtime::DispatchError,
};

fn period(value: Option<u32>) -> RuntimeParameters {
	RuntimeParameters::Schedule(Schedule::Period(schedule::Period, value))
}

fn window(value: Option<u32>) -> RuntimeParameters {
	RuntimeParameters::Schedule(Schedule::Window(schedule::Window, value))
}

fn set(value: RuntimeParameters) -> Result<(), DispatchError> {
	Parameters::set_parameter(RawOrigin::Root.into(), value)
}

#[test]
fn a_value_within_bounds_is_stored_and_announced() {
	new_test_ext().execute_with(|| {
		assert_eq!(schedule::Period::get(), PERIOD);
		assert_ok!(set(period(Some(50))));
		assert_eq!(schedule::Period::get(), 50);
		System::assert_last_event(
			pallet_parameters::Event::Updated {
				key: RuntimeParametersKey::Schedule(schedule::ParametersKey::Period(
					schedule::Period,
				)),
				old_value: None,
				new_value: Some(RuntimeParametersValue::Schedule(
					schedule::ParametersValue::Period(50),
				)),
			}
			.into(),
		);
		// The bounds are inclusive.
		assert_ok!(set(period(Some(100))));
		assert_ok!(set(window(Some(1))));
		assert_eq!((schedule::Period::get(), schedule::Window::get()), (100, 1));
	});
}

#[test]
fn a_value_out_of_bounds_is_refused_and_changes_nothing() {
	new_test_ext().execute_with(|| {
		assert_noop!(set(period(Some(4))), Error::<Test>::BelowMinimum);
		assert_noop!(set(period(Some(101))), Error::<Test>::AboveMaximum);
		assert_noop!(set(window(Some(0))), Error::<Test>::BelowMinimum);
		assert_eq!(schedule::Period::get(), PERIOD);
		assert_eq!(System::events().len(), 0);
	});
}

#[test]
fn a_value_that_contradicts_another_parameter_is_refused() {
	new_test_ext().execute_with(|| {
		// The window must stay below the period: raise the period first.
		assert_noop!(set(window(Some(PERIOD))), Error::<Test>::Inconsistent);
		assert_ok!(set(period(Some(20))));
		assert_ok!(set(window(Some(15))));
		assert_noop!(set(period(Some(15))), Error::<Test>::Inconsistent);
		// Resetting the period to its default (10) would put it below the window (15).
		assert_noop!(set(period(None)), Error::<Test>::Inconsistent);
		assert_ok!(set(window(None)));
		assert_ok!(set(period(None)));
		assert_eq!((schedule::Period::get(), schedule::Window::get()), (PERIOD, WINDOW));
	});
}

#[test]
fn only_the_set_origin_sets_a_parameter() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Parameters::set_parameter(RawOrigin::Signed(1).into(), period(Some(50))),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Parameters::set_parameter(RawOrigin::None.into(), period(Some(50))),
			DispatchError::BadOrigin
		);
		assert_eq!(schedule::Period::get(), PERIOD);
	});
}
