//! The runtime's own part of the validator set: how long a session lasts, what happens to a
//! validator reported for an offence (its candidacy bond is slashed and its candidacy ends), and
//! the unbonding of a bond that left `pallet-collator-selection`.
//!
//! The bonded candidate list itself is `pallet-collator-selection`'s; this pallet only holds
//! what that pallet has no place for.
//!
//! **Unbonding.** A bond that leaves a candidacy (leaving, lowering the bond, being outbid or
//! kicked, or the rest after a slash) stays held in the account for [`Config::UnbondingSessions`]
//! sessions, as long as equivocation reports about the sessions it backed are accepted, and
//! can be slashed meanwhile; `withdraw_unbonded` then releases it. Without this, a validator
//! could equivocate, leave at once and keep its whole bond.

pub use pallet_validator_set::*;

#[polkadot_sdk::frame_support::pallet]
pub mod pallet_validator_set {
	use super::WeightInfo;
	use crate::BlockNumber;
	use polkadot_sdk::{
		frame_support::{
			self,
			pallet_prelude::*,
			traits::{
				fungible::{self, BalancedHold, MutateHold},
				tokens::{imbalance::Imbalance, Precision},
			},
		},
		frame_system::pallet_prelude::*,
		sp_runtime::{traits::Zero, Perbill, Saturating},
		sp_staking::SessionIndex,
	};

	/// Length of a session on public chains: ten minutes of 2-second blocks.
	pub const DEFAULT_SESSION_LENGTH: BlockNumber = crate::units::MINUTES * 10;

	/// The balance type of the runtime.
	pub type Balance = crate::Balance;

	/// Most unbonding chunks an account keeps; a further one is merged into the latest (which
	/// then unlocks at the later session, never earlier than promised).
	pub const MAX_UNBONDING_CHUNKS: u32 = 8;

	/// Funds that left a candidacy bond and unlock at the start of a session.
	#[derive(Clone, Copy, Encode, Decode, MaxEncodedLen, TypeInfo, PartialEq, Eq, Debug)]
	pub struct UnbondingChunk {
		/// The amount, held in the account until then.
		pub amount: Balance,
		/// The first session in which `withdraw_unbonded` releases it.
		pub unlocks_at: SessionIndex,
	}

	/// The validator set's configuration.
	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>>
			+ IsType<<Self as polkadot_sdk::frame_system::Config>::RuntimeEvent>;
		/// Where unbonding funds are held (under [`HoldReason::Unbonding`]) and slashed from.
		type Currency: fungible::MutateHold<
				Self::AccountId,
				Reason = Self::RuntimeHoldReason,
				Balance = Balance,
			> + fungible::BalancedHold<Self::AccountId>;
		/// The overarching hold reason, which includes this pallet's [`HoldReason`].
		type RuntimeHoldReason: From<HoldReason>;
		/// The current session's index.
		type CurrentSession: Get<SessionIndex>;
		/// Sessions a bond stays held after leaving a candidacy: at least the sessions of
		/// history for which an equivocation report is still accepted.
		#[pallet::constant]
		type UnbondingSessions: Get<SessionIndex>;
		/// Weights of the calls.
		type WeightInfo: WeightInfo;
	}

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Blocks per session. Fixed at genesis: development chains shorten it so that a validator
	/// joins or leaves within a minute; public chains keep [`DEFAULT_SESSION_LENGTH`]. Changing
	/// it on a running chain would move every later session boundary, so no call sets it.
	#[pallet::storage]
	pub type SessionLength<T> =
		StorageValue<_, BlockNumber, ValueQuery, ConstU32<DEFAULT_SESSION_LENGTH>>;

	/// Each account's unbonding funds, oldest first; their sum is held under
	/// [`HoldReason::Unbonding`].
	#[pallet::storage]
	pub type Unbonding<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<UnbondingChunk, ConstU32<MAX_UNBONDING_CHUNKS>>,
		ValueQuery,
	>;

	/// Each offender's latest session with a slash, and the largest fraction applied for it. A
	/// twin node on one validator's keys equivocates in round after round; each round is an
	/// offence of its own, and without this record each would burn another share of the bond.
	/// One entry per account ever slashed: the state grows only as fast as validators lose stake.
	#[pallet::storage]
	pub type SlashedIn<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, (SessionIndex, Perbill), OptionQuery>;

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
		/// A validator was reported for an offence but held no candidacy bond and nothing
		/// unbonding (an invulnerable appointed by governance): nothing was slashed.
		OffenderWithoutBond { validator: T::AccountId, session: SessionIndex },
		/// `amount` left `who`'s candidacy bond and stays held until session `unlocks_at`.
		Unbonding { who: T::AccountId, amount: Balance, unlocks_at: SessionIndex },
		/// `amount` of `who`'s unbonding funds was released.
		Withdrawn { who: T::AccountId, amount: Balance },
	}

	/// Why the validator set holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// Funds that left a candidacy bond, held until their session comes
		/// ([`UnbondingChunk::unlocks_at`]) and slashable meanwhile. A hold, not a lock: a lock
		/// is satisfied by the account's other holds and reserves, so the funds could be spent.
		#[codec(index = 0)]
		Unbonding,
	}

	/// Errors of the validator set's calls.
	#[pallet::error]
	pub enum Error<T> {
		/// None of the account's unbonding funds unlock before a later session.
		NothingToWithdraw,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(
			_: BlockNumberFor<T>,
		) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			ensure!(SessionLength::<T>::get() > 0, "a session lasts at least one block");
			for (who, chunks) in Unbonding::<T>::iter() {
				ensure!(!chunks.is_empty(), "no empty unbonding entry is kept");
				ensure!(
					<T::Currency as fungible::InspectHold<_>>::balance_on_hold(
						&HoldReason::Unbonding.into(),
						&who
					) == Self::total(&chunks),
					"the held unbonding funds are the sum of the account's chunks"
				);
			}
			Ok(())
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Releases the caller's unbonding funds whose session has come
		/// ([`UnbondingChunk::unlocks_at`]); the rest stay held.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::withdraw_unbonded())]
		pub fn withdraw_unbonded(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let now = T::CurrentSession::get();
			let mut chunks = Unbonding::<T>::get(&who);
			let before = Self::total(&chunks);
			chunks.retain(|chunk| chunk.unlocks_at > now);
			let amount = before.saturating_sub(Self::total(&chunks));
			ensure!(!amount.is_zero(), Error::<T>::NothingToWithdraw);
			T::Currency::release(
				&HoldReason::Unbonding.into(),
				&who,
				amount,
				Precision::BestEffort,
			)?;
			Self::store(&who, chunks);
			Self::deposit_event(Event::Withdrawn { who, amount });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// Holds `amount`, which just left `who`'s candidacy bond (and is free now), for
		/// [`Config::UnbondingSessions`] sessions.
		pub fn start_unbonding(who: &T::AccountId, amount: Balance) {
			if amount.is_zero() {
				return;
			}
			// The amount was reserved a moment ago, so it can be held; if it could not (an
			// account that something else reduced in between), it stays free rather than a
			// chunk recording funds that are not held.
			if T::Currency::hold(&HoldReason::Unbonding.into(), who, amount).is_err() {
				frame_support::defensive!("a bond just released can be held for unbonding");
				return;
			}
			let unlocks_at = T::CurrentSession::get().saturating_add(T::UnbondingSessions::get());
			let mut chunks = Unbonding::<T>::get(who);
			let full = chunks.is_full();
			match chunks.last_mut() {
				Some(last) if last.unlocks_at == unlocks_at || full => {
					last.amount.saturating_accrue(amount);
					last.unlocks_at = unlocks_at;
				},
				_ => {
					let pushed = chunks.try_push(UnbondingChunk { amount, unlocks_at });
					debug_assert!(pushed.is_ok(), "a full list merges into its last chunk");
				},
			}
			Self::store(who, chunks);
			Self::deposit_event(Event::Unbonding { who: who.clone(), amount, unlocks_at });
		}

		/// The share of `who`'s bond an offence in `session` with slash `fraction` still burns:
		/// all of it for the first offence of that session, only the excess over the largest
		/// fraction already applied for a later one (records it).
		pub fn unapplied_fraction(
			who: &T::AccountId,
			session: SessionIndex,
			fraction: Perbill,
		) -> Perbill {
			match SlashedIn::<T>::get(who) {
				Some((slashed, applied)) if slashed == session => {
					if fraction > applied {
						SlashedIn::<T>::insert(who, (session, fraction));
					}
					fraction.saturating_sub(applied)
				},
				_ => {
					SlashedIn::<T>::insert(who, (session, fraction));
					fraction
				},
			}
		}

		/// Burns `fraction` of each of `who`'s unbonding chunks; returns the amount burned.
		pub fn slash_unbonding(who: &T::AccountId, fraction: Perbill) -> Balance {
			let mut chunks = Unbonding::<T>::get(who);
			let mut due: Balance = 0;
			for chunk in chunks.iter_mut() {
				let cut = fraction * chunk.amount;
				chunk.amount.saturating_reduce(cut);
				due.saturating_accrue(cut);
			}
			chunks.retain(|chunk| !chunk.amount.is_zero());
			let (burned, _) = <T::Currency as BalancedHold<T::AccountId>>::slash(
				&HoldReason::Unbonding.into(),
				who,
				due,
			);
			// Dropping the credit burns it.
			let amount = burned.peek();
			drop(burned);
			Self::store(who, chunks);
			amount
		}

		/// The sum of `who`'s unbonding funds.
		pub fn unbonding(who: &T::AccountId) -> Balance {
			Self::total(&Unbonding::<T>::get(who))
		}

		fn total(chunks: &[UnbondingChunk]) -> Balance {
			chunks.iter().fold(0, |sum: Balance, chunk| sum.saturating_add(chunk.amount))
		}

		/// Stores `chunks`, or removes the entry when there is none.
		fn store(
			who: &T::AccountId,
			chunks: BoundedVec<UnbondingChunk, ConstU32<MAX_UNBONDING_CHUNKS>>,
		) {
			if chunks.is_empty() {
				Unbonding::<T>::remove(who);
			} else {
				Unbonding::<T>::insert(who, chunks);
			}
		}
	}
}

/// Weight functions of the validator set's calls.
pub trait WeightInfo {
	/// `withdraw_unbonded` (at most [`MAX_UNBONDING_CHUNKS`] chunks).
	fn withdraw_unbonded() -> polkadot_sdk::frame_support::weights::Weight;
}
