//! The VRF randomness wiring: whose reveal a block expects, and that it is known before the
//! session can change the authorities.

use super::genesis_of;
use crate::{configs::randomness::AuraSlotClaim, Runtime, System};
use codec::Encode;
use pallet_vrf_randomness::SlotClaim;
use polkadot_sdk::{
	frame_support::traits::{Get, PalletsInfoAccess},
	pallet_aura,
	sp_consensus_aura::{Slot, AURA_ENGINE_ID},
	sp_runtime::DigestItem,
};

#[test]
fn a_block_expects_the_reveal_of_its_slots_author() {
	genesis_of("local_testnet").execute_with(|| {
		// No slot (genesis, tests): no reveal.
		assert_eq!(AuraSlotClaim::get(), None);
		let authorities = pallet_aura::Authorities::<Runtime>::get();
		assert_eq!(authorities.len(), 4);
		System::deposit_log(DigestItem::PreRuntime(AURA_ENGINE_ID, Slot::from(4_001).encode()));
		assert_eq!(
			AuraSlotClaim::get(),
			Some(SlotClaim { slot: 4_001, author: authorities[1].clone().into_inner() })
		);
	});
}

#[test]
fn the_claim_is_read_before_a_new_session_changes_the_authorities() {
	let position = |name: &str| {
		crate::AllPalletsWithSystem::infos()
			.iter()
			.position(|info| info.name == name)
			.unwrap_or_else(|| panic!("{name} is in the runtime"))
	};
	assert!(position("VrfRandomness") < position("Session"));
}
