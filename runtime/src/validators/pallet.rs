//! The runtime's own part of the validator set: how long a session lasts, and what happens to a
//! validator reported for an offence (its candidacy bond is slashed and its candidacy ends).
//!
//! The bonded candidate list itself is `pallet-collator-selection`'s; this pallet only holds
//! what that pallet has no place for.

pub use pallet_validator_set::*;

#[polkadot_sdk::frame_support::pallet]
pub mod pallet_validator_set {
	use crate::BlockNumber;
	use polkadot_sdk::{
		frame_support::{self, pallet_prelude::*},
		frame_system::pallet_prelude::BlockNumberFor,
		sp_staking::SessionIndex,
	};

	/// Length of a session on public chains: ten minutes of 2-second blocks.
	pub const DEFAULT_SESSION_LENGTH: BlockNumber = crate::units::MINUTES * 10;

	/// The balance type of the runtime.
	pub type Balance = crate::Balance;

	/// No configuration beyond the system's: the pallet holds a genesis value and events.
	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>>
			+ IsType<<Self as polkadot_sdk::frame_system::Config>::RuntimeEvent>;
	}

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Blocks per session. Fixed at genesis: development chains shorten it so that a validator
	/// joins or leaves within a minute; public chains keep [`DEFAULT_SESSION_LENGTH`]. Changing
	/// it on a running chain would move every later session boundary, so no call sets it.
	#[pallet::storage]
	pub type SessionLength<T> =
		StorageValue<_, BlockNumber, ValueQuery, ConstU32<DEFAULT_SESSION_LENGTH>>;

	/// Genesis: the session length, when it is not [`DEFAULT_SESSION_LENGTH`].
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// See [`SessionLength`].
		pub session_length: Option<BlockNumber>,
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			if let Some(length) = self.session_length {
				// A zero length would divide by zero at every block (`PeriodicSessions`).
				assert!(length > 0, "a session lasts at least one block");
				SessionLength::<T>::put(length);
			}
		}
	}

	/// Events of the validator set.
	#[pallet::event]
	#[pallet::generate_deposit(pub fn deposit_event)]
	pub enum Event<T: Config> {
		/// A validator was reported for an offence in `session`: `amount` of its candidacy bond
		/// was burned, the rest returned, and it is no longer a candidate.
		BondSlashed { validator: T::AccountId, amount: Balance, session: SessionIndex },
		/// A validator was reported for an offence but held no candidacy bond (an invulnerable
		/// appointed by governance, or one that had already left): nothing was slashed.
		OffenderWithoutBond { validator: T::AccountId, session: SessionIndex },
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(
			_: BlockNumberFor<T>,
		) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			ensure!(SessionLength::<T>::get() > 0, "a session lasts at least one block");
			Ok(())
		}
	}
}
