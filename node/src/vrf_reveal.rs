//! The block author's VRF reveal (`pallet-vrf-randomness`). Before each slot this node may
//! build on, it signs the slot and the parent's randomness with the Aura key the slot belongs
//! to; the runtime's mandatory inherent reveals the output, which seeds the storage and DA
//! draws. A node without that key (not this slot's author) provides nothing: it does not build.

use pallet_vrf_randomness::{runtime_api::VrfRandomnessApi, vrf_sign_data, VrfOutput};
use polkadot_sdk::{
	sp_api::{ApiExt, ProvideRuntimeApi},
	sp_consensus_aura::{sr25519::AuthorityId as AuraId, AuraApi, Slot},
	sp_core::crypto::key_types::AURA,
	sp_inherents::{self, InherentData, InherentIdentifier},
	sp_keystore::KeystorePtr,
};
use zerog_primitives::{Hash, OpaqueBlock as Block};

/// The inherent data provider of the reveal: the signed output, or nothing.
pub struct VrfReveal(Option<VrfOutput>);

impl VrfReveal {
	/// The reveal of `slot` on top of `parent`, signed with the slot's Aura key if `keystore`
	/// holds it. Nothing if the runtime at `parent` has no VRF randomness (a runtime before the
	/// pallet: its blocks need no reveal).
	pub fn for_slot<C>(
		client: &C,
		keystore: &KeystorePtr,
		parent: Hash,
		slot: Slot,
	) -> Result<Self, Box<dyn std::error::Error + Send + Sync>>
	where
		C: ProvideRuntimeApi<Block>,
		C::Api: AuraApi<Block, AuraId> + VrfRandomnessApi<Block>,
	{
		let api = client.runtime_api();
		if !api.has_api::<dyn VrfRandomnessApi<Block>>(parent)? {
			return Ok(Self(None));
		}
		let authorities = api.authorities(parent)?;
		// The runtime's rule: the slot modulo the parent's authorities (see
		// `runtime/src/configs/randomness.rs`).
		let index = u64::from(slot).checked_rem(authorities.len() as u64);
		let Some(author) = index.and_then(|index| authorities.get(index as usize)) else {
			return Ok(Self(None));
		};
		let previous = api.randomness(parent)?;
		let signature = keystore.sr25519_vrf_sign(
			AURA,
			&author.clone().into_inner(),
			&vrf_sign_data(slot.into(), &previous),
		)?;
		Ok(Self(signature.as_ref().map(VrfOutput::from)))
	}
}

#[async_trait::async_trait]
impl sp_inherents::InherentDataProvider for VrfReveal {
	async fn provide_inherent_data(
		&self,
		inherent_data: &mut InherentData,
	) -> Result<(), sp_inherents::Error> {
		match &self.0 {
			Some(output) => {
				inherent_data.put_data(pallet_vrf_randomness::INHERENT_IDENTIFIER, output)
			},
			None => Ok(()),
		}
	}

	async fn try_handle_error(
		&self,
		_: &InherentIdentifier,
		_: &[u8],
	) -> Option<Result<(), sp_inherents::Error>> {
		// The runtime's check of the reveal happens when the block executes, not as an
		// inherent check.
		None
	}
}
