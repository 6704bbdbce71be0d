//! # Parameter bounds
//!
//! The runtime's tunable economics (fees, minimum stakes, slash rates, lifetimes and windows of
//! the ZeroG pallets) are `pallet-parameters` dynamic parameters: each pallet reads a `Get`
//! backed by `pallet-parameters`' storage, with the runtime's default until governance sets a
//! value. `pallet-parameters` itself accepts any value its admin origin sends; a fee of zero or a
//! slash of 100 % is one vote away. This pallet is the only way in: the runtime disables
//! `pallet-parameters`' own call, and [`Pallet::set_parameter`] checks the value against the
//! bounds the runtime declares ([`ParameterBounds`]: a range per parameter, and relations between
//! parameters such as a file lifetime below the longest renewal) before handing it to
//! `pallet-parameters`, which stores it and emits its `Updated` event. A refused value changes
//! nothing. Resetting a parameter to its default (no value) is checked the same way, against the
//! default.
//!
//! Which parameters are tunable, and why the others are not (periods whose schedules are
//! recomputed from the current value), is the runtime's business: see its `configs/parameters.rs`.

#![cfg_attr(not(feature = "std"), no_std)]

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod weights;

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// Why a parameter value is refused.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum BoundViolation {
	/// Below the parameter's smallest allowed value.
	BelowMinimum,
	/// Above the parameter's largest allowed value.
	AboveMaximum,
	/// Within its own range, but it contradicts another parameter's current value.
	Inconsistent,
}

/// The bounds of the runtime's parameters `P` (its `RuntimeParameters`).
pub trait ParameterBounds<P> {
	/// Whether `parameter` (a key and its new value, or no value for the default) may be set,
	/// given the other parameters' current values.
	fn check(parameter: &P) -> Result<(), BoundViolation>;
}

#[polkadot_sdk::frame_support::pallet]
pub mod pallet {
	use super::*;
	pub use crate::weights::WeightInfo;
	use polkadot_sdk::{
		frame_support::{
			pallet_prelude::*,
			traits::{dynamic_params::AggregatedKeyValue, EnsureOriginWithArg},
		},
		frame_system::{pallet_prelude::*, RawOrigin},
		pallet_parameters,
	};

	/// The key of a parameter of `T`.
	pub type KeyOf<T> =
		<<T as pallet_parameters::Config>::RuntimeParameters as AggregatedKeyValue>::Key;

	/// Configuration: who sets parameters, and their bounds.
	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config + pallet_parameters::Config {
		/// Who may set a parameter (governance), given its key.
		type SetOrigin: EnsureOriginWithArg<Self::RuntimeOrigin, KeyOf<Self>>;

		/// The bounds every value is checked against.
		type Bounds: ParameterBounds<Self::RuntimeParameters>;

		/// Weights of the calls, measured on the runtime (the bounds check included).
		type WeightInfo: WeightInfo;
	}

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::error]
	pub enum Error<T> {
		/// The value is below the parameter's smallest allowed value.
		BelowMinimum,
		/// The value is above the parameter's largest allowed value.
		AboveMaximum,
		/// The value contradicts another parameter's current value (a lifetime above the longest
		/// one allowed, a window at least as long as its period, ...): change that one first.
		Inconsistent,
	}

	impl<T> From<BoundViolation> for Error<T> {
		fn from(violation: BoundViolation) -> Self {
			match violation {
				BoundViolation::BelowMinimum => Error::BelowMinimum,
				BoundViolation::AboveMaximum => Error::AboveMaximum,
				BoundViolation::Inconsistent => Error::Inconsistent,
			}
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Sets a parameter (or resets it to its default, with no value) if the value is within
		/// its bounds; `pallet-parameters` stores it and emits `Updated` with the old and new
		/// values.
		///
		/// - `key_value`: the parameter and its new value.
		///
		/// Errors: `BadOrigin` unless `SetOrigin`; `BelowMinimum`, `AboveMaximum`,
		/// `Inconsistent` for a value out of bounds.
		#[pallet::call_index(0)]
		#[pallet::weight(<T as Config>::WeightInfo::set_parameter())]
		pub fn set_parameter(
			origin: OriginFor<T>,
			key_value: T::RuntimeParameters,
		) -> DispatchResult {
			let (key, _) = key_value.clone().into_parts();
			T::SetOrigin::ensure_origin(origin, &key)?;
			T::Bounds::check(&key_value).map_err(Error::<T>::from)?;
			// `pallet-parameters`' call is disabled in the runtime: this is its only caller, and
			// its admin origin is root.
			pallet_parameters::Pallet::<T>::set_parameter(RawOrigin::Root.into(), key_value)
		}
	}
}
