//! `Config` of the VRF randomness pallet: a block's author reveals a VRF output of its Aura key.

use crate::Runtime;
use codec::Decode;
use pallet_vrf_randomness::SlotClaim;
use polkadot_sdk::{
	frame_support::traits::Get,
	frame_system, pallet_aura,
	sp_consensus_aura::{Slot, AURA_ENGINE_ID},
};

/// The block's Aura slot (from its pre-digest) and the Aura key the slot belongs to among the
/// authorities that chose the author. Read in the pallet's `on_initialize`, which runs before
/// `Session`'s (hooks run in pallet-index order): a session that ends in this block changes
/// the authorities only after.
pub struct AuraSlotClaim;

impl Get<Option<SlotClaim>> for AuraSlotClaim {
	fn get() -> Option<SlotClaim> {
		let digest = frame_system::Pallet::<Runtime>::digest();
		let slot = digest.logs().iter().find_map(|log| {
			let (engine, mut data) = log.as_pre_runtime()?;
			(engine == AURA_ENGINE_ID).then(|| Slot::decode(&mut data).ok()).flatten()
		})?;
		let authorities = pallet_aura::Authorities::<Runtime>::get();
		let count = authorities.len() as u64;
		let author = authorities.get(u64::from(slot).checked_rem(count)? as usize)?;
		Some(SlotClaim { slot: slot.into(), author: author.clone().into_inner() })
	}
}

impl pallet_vrf_randomness::Config for Runtime {
	type CurrentClaim = AuraSlotClaim;
	type WeightInfo = pallet_vrf_randomness::weights::SubstrateWeight<Runtime>;
}
