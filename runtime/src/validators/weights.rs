//! Weights of the validator set: `pallet-collator-selection`'s, plus the unbonding a released
//! bond now starts, and the runtime-local pallet's `withdraw_unbonded`.

use super::pallet;
use core::marker::PhantomData;
use polkadot_sdk::{
	frame_support::{traits::Get, weights::Weight},
	frame_system, pallet_collator_selection,
};

/// What starting an unbonding adds to a release of a bond: the current session index, the
/// account's unbonding entry and its holds read, the entry, the holds and the account written.
fn start_unbonding<T: frame_system::Config>() -> Weight {
	T::DbWeight::get().reads_writes(3, 3)
}

/// `pallet_collator_selection`'s weights (polkadot-sdk's reference-machine figures, to be
/// measured here with the rest in issue 17) with [`start_unbonding`] added to every call that
/// releases bonds: leaving, lowering a bond, being outbid, a higher candidacy bond kicking
/// candidates, and a session change kicking idle ones.
pub struct CollatorSelectionWeight<T>(PhantomData<T>);

type Reference<T> = pallet_collator_selection::weights::SubstrateWeight<T>;

impl<T: frame_system::Config> pallet_collator_selection::WeightInfo for CollatorSelectionWeight<T> {
	fn set_invulnerables(b: u32) -> Weight {
		Reference::<T>::set_invulnerables(b)
	}
	fn add_invulnerable(b: u32, c: u32) -> Weight {
		Reference::<T>::add_invulnerable(b, c)
	}
	fn remove_invulnerable(b: u32) -> Weight {
		Reference::<T>::remove_invulnerable(b)
	}
	fn set_desired_candidates() -> Weight {
		Reference::<T>::set_desired_candidates()
	}
	fn set_candidacy_bond(c: u32, k: u32) -> Weight {
		Reference::<T>::set_candidacy_bond(c, k)
			.saturating_add(start_unbonding::<T>().saturating_mul(k.into()))
	}
	fn register_as_candidate(c: u32) -> Weight {
		Reference::<T>::register_as_candidate(c)
	}
	fn leave_intent(c: u32) -> Weight {
		Reference::<T>::leave_intent(c).saturating_add(start_unbonding::<T>())
	}
	fn update_bond(c: u32) -> Weight {
		Reference::<T>::update_bond(c).saturating_add(start_unbonding::<T>())
	}
	fn take_candidate_slot(c: u32) -> Weight {
		Reference::<T>::take_candidate_slot(c).saturating_add(start_unbonding::<T>())
	}
	fn note_author() -> Weight {
		Reference::<T>::note_author()
	}
	/// `r` candidates removed (kicked) out of `c`.
	fn new_session(r: u32, c: u32) -> Weight {
		Reference::<T>::new_session(r, c)
			.saturating_add(start_unbonding::<T>().saturating_mul(r.into()))
	}
}

/// Weights of the runtime-local `ValidatorSet` pallet.
pub struct ValidatorSetWeight<T>(PhantomData<T>);

impl<T: frame_system::Config> pallet::WeightInfo for ValidatorSetWeight<T> {
	/// Not benchmarked yet: the same work as `DaAttestations::withdraw_unbonded` (an account's
	/// unbonding entry, a release of held funds, the account), whose benchmark measured 49.5 µs
	/// with 4 reads and 4 writes; taken with its proof size rounded up.
	/// Measuring it belongs with the other weights issue 17 measures.
	fn withdraw_unbonded() -> Weight {
		Weight::from_parts(50_000_000, 5_000).saturating_add(T::DbWeight::get().reads_writes(4, 4))
	}
}
