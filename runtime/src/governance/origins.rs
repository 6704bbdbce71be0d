//! The origins of governance's tracks beyond root, and the periods of development chains.

pub use pallet_custom_origins::*;

#[polkadot_sdk::frame_support::pallet]
pub mod pallet_custom_origins {
	use crate::BlockNumber;
	use polkadot_sdk::frame_support::{self, pallet_prelude::*};

	/// No configuration: the pallet only defines origins and a genesis override.
	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config {}

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// The origin a referendum on a custom track dispatches with.
	#[derive(
		PartialEq, Eq, Clone, MaxEncodedLen, Encode, Decode, DecodeWithMemTracking, TypeInfo, Debug,
	)]
	#[pallet::origin]
	pub enum Origin {
		/// The `zerog_admin` track: the ZeroG pallets' parameters, compute disputes and enclave
		/// keys.
		ZerogAdmin,
	}

	/// The periods of every track (prepare, decision, confirm, minimum enactment), in blocks,
	/// when set: development chains set them from genesis so referenda pass in minutes. Public
	/// chains leave it unset and use the tracks' own periods.
	#[pallet::storage]
	pub type PeriodsOverride<T> = StorageValue<_, [BlockNumber; 4], OptionQuery>;

	/// Genesis: the development chains' track periods.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// See [`PeriodsOverride`].
		pub periods_override: Option<[BlockNumber; 4]>,
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			if let Some(periods) = self.periods_override {
				PeriodsOverride::<T>::put(periods);
			}
		}
	}

	/// Ensures the `zerog_admin` track's origin.
	pub struct ZerogAdmin;
	impl<O: OriginTrait + From<Origin>> EnsureOrigin<O> for ZerogAdmin
	where
		for<'a> &'a O::PalletsOrigin: TryInto<&'a Origin>,
	{
		type Success = ();

		fn try_origin(origin: O) -> Result<Self::Success, O> {
			if let Ok(Origin::ZerogAdmin) = origin.caller().try_into() {
				return Ok(());
			}
			Err(origin)
		}

		#[cfg(feature = "runtime-benchmarks")]
		fn try_successful_origin() -> Result<O, ()> {
			Ok(O::from(Origin::ZerogAdmin))
		}
	}
}
