//! Benchmarks of the pallet. The runtime's `RuntimeParameters::default()` names the parameter
//! whose bounds check reads the most other parameters.

use super::*;
use polkadot_sdk::{
	frame_benchmarking::v2::*,
	frame_support::traits::{dynamic_params::AggregatedKeyValue, EnsureOriginWithArg},
};

#[benchmarks(where T::RuntimeParameters: Default)]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn set_parameter() -> Result<(), BenchmarkError> {
		let key_value = T::RuntimeParameters::default();
		let (key, _) = key_value.clone().into_parts();
		let origin =
			T::SetOrigin::try_successful_origin(&key).map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, key_value);
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
