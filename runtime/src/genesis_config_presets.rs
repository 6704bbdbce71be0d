//! Genesis presets: the initial state of each network, from which `chain-specs/` is generated.
//!
//! - `development`: one validator (Alice), every Substrate dev account funded, Alice is sudo.
//! - `local_testnet`: Alice, Bob, Charlie and Dave validate; for multi-node networks on one host.
//! - `testnet`: the public test network's initial validators and funding.

use crate::{
	units::ZG, AccountId, BalancesConfig, RuntimeGenesisConfig, SudoConfig,
};
use alloc::{vec, vec::Vec};
use polkadot_sdk::{
	frame_support::build_struct_json_patch,
	pallet_aura, pallet_grandpa,
	sp_consensus_aura::sr25519::AuthorityId as AuraId,
	sp_consensus_grandpa::AuthorityId as GrandpaId,
	sp_genesis_builder::{self, PresetId},
	sp_keyring::{Ed25519Keyring, Sr25519Keyring},
};
use serde_json::Value;

/// Name of the preset of the public test network.
pub const TESTNET_RUNTIME_PRESET: &str = "testnet";

/// Balance of every endowed account at genesis: one million ZG.
pub const ENDOWMENT: crate::Balance = 1_000_000 * ZG;

/// A validator's keys: Aura to author blocks, GRANDPA to vote on finality.
type AuthorityKeys = (AuraId, GrandpaId);

/// Builds the genesis patch shared by every preset.
fn genesis(authorities: Vec<AuthorityKeys>, endowed: Vec<AccountId>, root: AccountId) -> Value {
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: endowed.into_iter().map(|account| (account, ENDOWMENT)).collect(),
		},
		aura: pallet_aura::GenesisConfig {
			authorities: authorities.iter().map(|(aura, _)| aura.clone()).collect(),
		},
		grandpa: pallet_grandpa::GenesisConfig {
			// Every validator has the same voting weight.
			authorities: authorities.iter().map(|(_, grandpa)| (grandpa.clone(), 1)).collect(),
		},
		sudo: SudoConfig { key: Some(root) },
	})
}

/// The Aura (sr25519) and GRANDPA (ed25519) keys derived from a well-known dev seed such as
/// `//Alice`, as `--alice` puts them into a node's keystore.
fn dev_authority(aura: Sr25519Keyring, grandpa: Ed25519Keyring) -> AuthorityKeys {
	(aura.public().into(), grandpa.public().into())
}

/// Every well-known Substrate dev account (Alice to Ferdie) and its `//stash` twin.
fn dev_accounts() -> Vec<AccountId> {
	Sr25519Keyring::well_known().map(|key| key.to_account_id()).collect()
}

fn development() -> Value {
	genesis(
		vec![dev_authority(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
		dev_accounts(),
		Sr25519Keyring::Alice.to_account_id(),
	)
}

fn local_testnet() -> Value {
	genesis(
		vec![
			dev_authority(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			dev_authority(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
			dev_authority(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
			dev_authority(Sr25519Keyring::Dave, Ed25519Keyring::Dave),
		],
		dev_accounts(),
		Sr25519Keyring::Alice.to_account_id(),
	)
}

/// The public test network. Its validators are operated by the team with the well-known
/// Alice, Bob and Charlie keys until the validator set moves to session keys held offline.
fn testnet() -> Value {
	genesis(
		vec![
			dev_authority(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			dev_authority(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
			dev_authority(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
		],
		dev_accounts(),
		Sr25519Keyring::Alice.to_account_id(),
	)
}

/// Returns the JSON patch of the preset `id`, or `None` for an unknown preset.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => development(),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_testnet(),
		TESTNET_RUNTIME_PRESET => testnet(),
		_ => return None,
	};
	Some(
		serde_json::to_string(&patch)
			.expect("serialization to a string cannot fail for a JSON value; qed")
			.into_bytes(),
	)
}

/// Names of every preset this runtime builds.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
		PresetId::from(TESTNET_RUNTIME_PRESET),
	]
}
