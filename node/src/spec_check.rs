//! `zerog-node check-spec`: whether a chain spec is safe to launch as a public (`Live`) chain.
//!
//! The genesis state of a `Live` chain must not name a well-known development key (the
//! development phrase, `//Alice` ... `//Ferdie`, `//One`, `//Two`, their `//stash` twins, in
//! sr25519, ed25519 and ecdsa) nor an Ethereum development account (Hardhat's and the Ethereum
//! RPC's), whose secrets everyone has: as an author or a GRANDPA voter it lets anyone produce or
//! finalize blocks, as an endowed account it lets anyone spend. It must not have a sudo key
//! either: a public chain changes through governance. The check reads the genesis storage (a
//! raw spec's, or the one a preset builds), so it sees every pallet, whatever its config calls
//! the key.

use polkadot_sdk::{
	sc_service::ChainSpec,
	sp_core::{
		crypto::{ByteArray, Pair},
		ecdsa, ed25519, sr25519,
	},
	sp_io::hashing::twox_128,
};
use zerog_primitives::dev_keys::{dev_key_name, DEV_DERIVATIONS, DEV_PHRASE};
use zerog_runtime::genesis_config_presets::{ETH_DEV_ACCOUNTS, ETH_RPC_DEV_ACCOUNTS};

/// `zerog-node check-spec`.
#[derive(Debug, clap::Args)]
pub struct CheckSpecCmd {
	/// The chain spec to check: a built-in chain (dev, local, testnet) or a JSON file.
	#[arg(long, value_name = "CHAIN")]
	pub chain: String,
}

impl CheckSpecCmd {
	/// Prints what is wrong with a `Live` spec and fails, or says it is fine.
	pub fn run(&self) -> Result<(), String> {
		let spec = crate::chain_spec::load(&self.chain)?;
		let name = spec.name().to_owned();
		let chain_type = spec.chain_type();
		let problems = problems(spec.as_ref())?;
		if chain_type != polkadot_sdk::sc_chain_spec::ChainType::Live {
			println!(
				"{name} is a {chain_type:?} chain: development keys and sudo are expected there \
				 ({} found); a Live spec may have none",
				problems.len()
			);
			return Ok(());
		}
		if problems.is_empty() {
			println!("{name} (Live): no development key and no sudo key in its genesis");
			return Ok(());
		}
		for problem in &problems {
			eprintln!("{name} (Live): {problem}");
		}
		Err(format!(
			"{} problem(s): a Live chain must not name a well-known development key or a sudo \
			 key; generate keys with the key ceremony (docs/key-ceremony.md)",
			problems.len()
		))
	}
}

/// A public key or address whose secret is public, and its name.
struct Needle {
	name: String,
	bytes: Vec<u8>,
}

/// Every development key and Ethereum development account.
fn needles() -> Vec<Needle> {
	let mut needles = Vec::new();
	for derivation in DEV_DERIVATIONS {
		let uri = format!("{DEV_PHRASE}{derivation}");
		let name = dev_key_name(derivation);
		let keys: [(&str, Vec<u8>); 3] = [
			("sr25519", public::<sr25519::Pair>(&uri)),
			("ed25519", public::<ed25519::Pair>(&uri)),
			("ecdsa", public::<ecdsa::Pair>(&uri)),
		];
		for (scheme, bytes) in keys {
			needles.push(Needle { name: format!("{name} ({scheme})"), bytes });
		}
	}
	for address in ETH_DEV_ACCOUNTS.iter().chain(&ETH_RPC_DEV_ACCOUNTS) {
		let hex: String = address.iter().map(|byte| format!("{byte:02x}")).collect();
		needles.push(Needle {
			name: format!("Ethereum dev account 0x{hex}"),
			bytes: address.to_vec(),
		});
	}
	needles
}

/// The public key of `uri` in `P`'s scheme.
fn public<P: Pair>(uri: &str) -> Vec<u8>
where
	P::Public: ByteArray,
{
	P::from_string(uri, None)
		.expect("the development phrase and its derivations are valid secret URIs; qed")
		.public()
		.to_raw_vec()
}

/// What is wrong with `spec` for a public chain: each development key found in its genesis
/// storage (where), and a sudo key.
pub fn problems(spec: &dyn ChainSpec) -> Result<Vec<String>, String> {
	let storage = spec
		.as_storage_builder()
		.build_storage()
		.map_err(|error| format!("cannot build the genesis of {}: {error}", spec.name()))?;
	let pallets = pallet_prefixes();
	let needles = needles();
	let mut problems = Vec::new();
	let sudo_key = [twox_128(b"Sudo"), twox_128(b"Key")].concat();
	if storage.top.contains_key(&sudo_key) {
		problems.push("it sets a sudo key (Sudo.Key): a public chain changes by governance".into());
	}
	for (key, value) in &storage.top {
		// The runtime code holds the development accounts as constants of its dev presets.
		if key.as_slice() == polkadot_sdk::sp_core::storage::well_known_keys::CODE {
			continue;
		}
		for needle in &needles {
			let in_key = contains(key, &needle.bytes);
			if in_key || contains(value, &needle.bytes) {
				let place = if in_key { "a storage key" } else { "the value" };
				problems.push(format!(
					"{} is in {place} of {}",
					needle.name,
					storage_item(&pallets, key)
				));
			}
		}
	}
	problems.sort();
	problems.dedup();
	Ok(problems)
}

/// Whether `needle` occurs in `haystack`.
fn contains(haystack: &[u8], needle: &[u8]) -> bool {
	haystack.len() >= needle.len() && haystack.windows(needle.len()).any(|window| window == needle)
}

/// The pallets of the runtime by the 16-byte prefix of their storage.
fn pallet_prefixes() -> Vec<([u8; 16], &'static str)> {
	use polkadot_sdk::frame_support::traits::PalletsInfoAccess;
	zerog_runtime::AllPalletsWithSystem::infos()
		.into_iter()
		.map(|info| (twox_128(info.name.as_bytes()), info.name))
		.collect()
}

/// A storage key shown as its pallet and the rest in hex: `Balances 0x…`.
fn storage_item(pallets: &[([u8; 16], &'static str)], key: &[u8]) -> String {
	let hex = |bytes: &[u8]| bytes.iter().map(|byte| format!("{byte:02x}")).collect::<String>();
	match pallets.iter().find(|(prefix, _)| key.starts_with(prefix)) {
		Some((_, pallet)) => {
			format!("{pallet} storage (key 0x{}…)", hex(&key[..key.len().min(32)]))
		},
		None => format!("storage key 0x{}…", hex(&key[..key.len().min(32)])),
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_testnet_is_safe_and_the_local_network_is_not() {
		let testnet = crate::chain_spec::testnet().unwrap();
		assert_eq!(problems(&testnet).unwrap(), Vec::<String>::new());
		let local = crate::chain_spec::local_testnet().unwrap();
		let found = problems(&local).unwrap();
		assert!(
			found.iter().any(|p| p.contains("//Alice (sr25519)") && p.contains("Aura")),
			"{found:?}"
		);
		assert!(
			found.iter().any(|p| p.contains("//Dave (ed25519)") && p.contains("Grandpa")),
			"{found:?}"
		);
		assert!(found.iter().any(|p| p.contains("sudo key")), "{found:?}");
		assert!(found.iter().any(|p| p.contains("Ethereum dev account 0xf39f")), "{found:?}");
	}

	#[test]
	fn every_development_key_is_looked_for() {
		let needles = needles();
		assert_eq!(needles.len(), DEV_DERIVATIONS.len() * 3 + 15);
		let alice = polkadot_sdk::sp_keyring::Sr25519Keyring::Alice.public().to_raw_vec();
		assert!(needles.iter().any(|n| n.bytes == alice && n.name == "//Alice (sr25519)"));
		let stash = polkadot_sdk::sp_keyring::Ed25519Keyring::BobStash.public().to_raw_vec();
		assert!(needles.iter().any(|n| n.bytes == stash && n.name == "//Bob//stash (ed25519)"));
	}
}
