//! `zerog-node benchmark overhead`: the base weights of a block and of an extrinsic
//! (`BlockExecutionWeight`, `ExtrinsicBaseWeight`), measured by building blocks on this node's
//! client the way its own author does.
//!
//! A ZeroG block is valid only with the Aura pre-digest of its slot, the timestamp of that slot
//! and the slot author's VRF reveal (`pallet-vrf-randomness` rejects a block without it), so the
//! benchmark signs them with the development keys (`//Alice` ... `//Ferdie`): it runs on the
//! `dev` and `local` chains, or any spec whose authorities include one of those keys.

use std::sync::Arc;

use polkadot_sdk::{
	frame_benchmarking_cli::{DynamicRemarkBuilder, OverheadCmd},
	sc_cli,
	sc_client_api::UsageProvider,
	sc_consensus_aura,
	sc_service::Configuration,
	sp_api::ProvideRuntimeApi,
	sp_consensus_aura::{
		digests::CompatibleDigestItem,
		sr25519::{AuthorityId as AuraId, AuthoritySignature},
		AuraApi, Slot,
	},
	sp_core::crypto::{key_types::AURA, ByteArray},
	sp_inherents::{InherentData, InherentDataProvider},
	sp_keystore::{testing::MemoryKeystore, Keystore, KeystorePtr},
	sp_runtime::DigestItem,
	sp_timestamp,
};

use crate::{service, vrf_reveal::VrfReveal};

/// The seeds of the development authorities whose slots the benchmark's blocks may take.
const DEVELOPMENT_AUTHORITIES: [&str; 6] =
	["//Alice", "//Bob", "//Charlie", "//Dave", "//Eve", "//Ferdie"];

/// Runs `benchmark overhead` against the chain of `config` and writes `block_weights.rs` and
/// `extrinsic_weights.rs` (`--weight-path`).
pub fn run(cmd: &OverheadCmd, config: Configuration) -> sc_cli::Result<()> {
	let chain_name = config.chain_spec.name().to_owned();
	let sc_service::PartialComponents { client, .. } = service::new_partial(&config)?;

	let keystore: KeystorePtr = Arc::new(MemoryKeystore::new());
	for seed in DEVELOPMENT_AUTHORITIES {
		keystore
			.sr25519_generate_new(AURA, Some(seed))
			.map_err(|error| format!("cannot derive the Aura key of {seed}: {error}"))?;
	}

	let parent = client.usage_info().chain.best_hash;
	let authorities: Vec<AuraId> = client
		.runtime_api()
		.authorities(parent)
		.map_err(|error| format!("cannot read the chain's Aura authorities: {error}"))?;
	let slot_duration = sc_consensus_aura::standalone::slot_duration_at(&*client, parent)?;
	let slot = slot_of_a_development_author(
		Slot::from_timestamp(sp_timestamp::Timestamp::current(), slot_duration),
		&authorities,
		&keystore,
	)
	.ok_or(
		"none of the chain's Aura authorities is a development key (//Alice ... //Ferdie): \
		 `benchmark overhead` builds blocks as one of them, so run it on `--chain dev` or \
		 `--chain local`",
	)?;
	let timestamp = slot
		.timestamp(slot_duration)
		.ok_or("the slot's timestamp overflows a u64 of milliseconds")?;

	let reveal = VrfReveal::for_slot(&*client, &keystore, parent, slot)
		.map_err(|error| format!("cannot sign the VRF reveal of slot {slot}: {error}"))?;
	let mut inherent_data = InherentData::new();
	futures::executor::block_on(async {
		sp_timestamp::InherentDataProvider::new(timestamp)
			.provide_inherent_data(&mut inherent_data)
			.await?;
		reveal.provide_inherent_data(&mut inherent_data).await
	})
	.map_err(|error| format!("cannot create the inherent data: {error}"))?;
	let pre_digest =
		<DigestItem as CompatibleDigestItem<AuthoritySignature>>::aura_pre_digest(slot);

	// Signed `System::remark`s from //Alice, encoded from the chain's own metadata.
	let remarks = DynamicRemarkBuilder::new_from_client(client.clone())?;
	cmd.run(chain_name, client, inherent_data, vec![pre_digest], &remarks, false)
}

/// The first slot from `from` on whose author (`slot % authorities`, Aura's rule) `keystore`
/// holds the key of.
fn slot_of_a_development_author(
	from: Slot,
	authorities: &[AuraId],
	keystore: &KeystorePtr,
) -> Option<Slot> {
	let count = authorities.len() as u64;
	(0..count).map(|offset| from + offset).find(|slot| {
		let author = &authorities[(u64::from(*slot) % count) as usize];
		keystore.has_keys(&[(author.to_raw_vec(), AURA)])
	})
}
