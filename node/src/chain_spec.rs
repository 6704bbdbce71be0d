//! Chain specifications: the built-in networks, generated from the runtime's genesis presets.

use polkadot_sdk::{
	sc_chain_spec::{self, ChainType, NoExtension},
	sc_service,
	sp_core::{crypto::Ss58Codec, ed25519, sr25519},
	sp_genesis_builder::{DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET},
};
use serde_json::json;
use zerog_primitives::units::{SS58_PREFIX, TOKEN_DECIMALS, TOKEN_SYMBOL};
use zerog_runtime::{
	genesis_config_presets::{testnet_genesis, TestnetValidator, TESTNET_RUNTIME_PRESET},
	WASM_BINARY,
};

/// A ZeroG chain specification (no client extensions).
pub type ChainSpec = sc_service::GenericChainSpec<NoExtension>;

/// The built-in chains, by the name `--chain` accepts.
pub const BUILT_IN_CHAINS: &str = "dev, local, testnet";

/// Token symbol, decimals and SS58 prefix, which wallets (Polkadot.js apps) read.
pub fn properties() -> sc_chain_spec::Properties {
	let properties = json!({
		"tokenSymbol": TOKEN_SYMBOL,
		"tokenDecimals": TOKEN_DECIMALS,
		"ss58Format": SS58_PREFIX,
	});
	match properties {
		serde_json::Value::Object(map) => map,
		_ => unreachable!("a JSON object literal is an object; qed"),
	}
}

/// A chain spec builder from a runtime genesis preset.
fn from_preset(
	name: &str,
	id: &str,
	chain_type: ChainType,
	preset: &str,
) -> Result<sc_chain_spec::ChainSpecBuilder<NoExtension>, String> {
	let wasm = WASM_BINARY.ok_or_else(|| {
		"The runtime wasm blob was not built (built with SKIP_WASM_BUILD?); rebuild zerog-node"
			.to_string()
	})?;
	Ok(ChainSpec::builder(wasm, None)
		.with_name(name)
		.with_id(id)
		.with_protocol_id("zerog")
		.with_chain_type(chain_type)
		.with_genesis_config_preset_name(preset)
		.with_properties(properties()))
}

/// The public keys of the testnet from the key ceremony (`docs/key-ceremony.md`).
const TESTNET_KEYS: &str = include_str!("../../chain-specs/testnet-keys.json");

/// The key ceremony's output: each validator's public keys and the faucet's account, SS58.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct CeremonyKeys {
	#[serde(rename = "_comment")]
	_comment: Option<String>,
	validators: Vec<CeremonyValidator>,
	faucet: String,
}

/// One validator's public keys, SS58.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct CeremonyValidator {
	name: String,
	account: String,
	aura: String,
	grandpa: String,
}

/// A public key written in SS58 with ZeroG's prefix (what `zerog-node key generate` prints).
fn zerog_ss58<Key: Ss58Codec>(text: &str) -> Result<Key, String> {
	let (key, format) =
		Key::from_ss58check_with_version(text).map_err(|error| format!("{error:?}"))?;
	if format.prefix() != SS58_PREFIX {
		return Err(format!("prefix {} is not ZeroG's {SS58_PREFIX}", format.prefix()));
	}
	Ok(key)
}

/// Parses the key ceremony's file: every key must be a valid SS58 public key of its scheme and
/// no key may appear twice.
fn ceremony_keys(json: &str) -> Result<(Vec<TestnetValidator>, zerog_runtime::AccountId), String> {
	let keys: CeremonyKeys = serde_json::from_str(json)
		.map_err(|error| format!("chain-specs/testnet-keys.json is not a key list: {error}"))?;
	if keys.validators.is_empty() {
		return Err("chain-specs/testnet-keys.json names no validator".into());
	}
	let sr25519 = |what: &str, text: &str| {
		zerog_ss58::<sr25519::Public>(text)
			.map_err(|error| format!("{what} '{text}' is not an sr25519 SS58 key: {error}"))
	};
	let mut seen = std::collections::HashSet::new();
	let mut validators = Vec::new();
	for validator in &keys.validators {
		let name = &validator.name;
		let account = sr25519(&format!("{name}'s account"), &validator.account)?;
		let aura = sr25519(&format!("{name}'s aura key"), &validator.aura)?;
		let grandpa = zerog_ss58::<ed25519::Public>(&validator.grandpa).map_err(|error| {
			format!(
				"{name}'s grandpa key '{}' is not an ed25519 SS58 key: {error}",
				validator.grandpa
			)
		})?;
		for key in [account.0, aura.0, grandpa.0] {
			if !seen.insert(key) {
				return Err(format!(
					"{name} reuses a key of the ceremony: every key must be fresh"
				));
			}
		}
		validators.push(TestnetValidator {
			account: account.into(),
			aura: aura.into(),
			grandpa: grandpa.into(),
		});
	}
	let faucet = sr25519("the faucet", &keys.faucet)?;
	if !seen.insert(faucet.0) {
		return Err("the faucet reuses a validator's key: every key must be fresh".into());
	}
	Ok((validators, faucet.into()))
}

/// A development chain: one validator (Alice), funded dev accounts.
pub fn development() -> Result<ChainSpec, String> {
	Ok(from_preset("ZeroG Development", "zerog_dev", ChainType::Development, DEV_RUNTIME_PRESET)?
		.build())
}

/// A local test network of four validators: Alice, Bob, Charlie and Dave.
pub fn local_testnet() -> Result<ChainSpec, String> {
	Ok(from_preset(
		"ZeroG Local Testnet",
		"zerog_local",
		ChainType::Local,
		LOCAL_TESTNET_RUNTIME_PRESET,
	)?
	.build())
}

/// The public test network: the runtime's `testnet` preset (no sudo) with the validators and
/// faucet of the key ceremony.
pub fn testnet() -> Result<ChainSpec, String> {
	let (validators, faucet) = ceremony_keys(TESTNET_KEYS)?;
	let mut patch = testnet_genesis(&validators, faucet);
	with_generic_ss58(&mut patch);
	Ok(from_preset("ZeroG Testnet", "zerog_testnet", ChainType::Live, TESTNET_RUNTIME_PRESET)?
		.with_genesis_config_patch(patch)
		.build())
}

/// Rewrites every SS58 address of a genesis patch built here with ZeroG's prefix (the node's
/// default) to the generic prefix 42: the runtime parses the patch in wasm, where the only
/// custom prefix it accepts is its own default, 42.
fn with_generic_ss58(value: &mut serde_json::Value) {
	use polkadot_sdk::sp_core::crypto::{AccountId32, Ss58AddressFormat};
	match value {
		serde_json::Value::String(text) => {
			if let Ok((account, _)) = AccountId32::from_ss58check_with_version(text) {
				*text = account.to_ss58check_with_version(Ss58AddressFormat::custom(42));
			}
		},
		serde_json::Value::Array(items) => items.iter_mut().for_each(with_generic_ss58),
		serde_json::Value::Object(map) => map.values_mut().for_each(with_generic_ss58),
		_ => {},
	}
}

/// Resolves `--chain ID`: a built-in chain name or the path of a chain-spec JSON file.
pub fn load(id: &str) -> Result<Box<dyn sc_service::ChainSpec>, String> {
	Ok(match id {
		"dev" => Box::new(development()?),
		"" | "local" => Box::new(local_testnet()?),
		"testnet" => Box::new(testnet()?),
		path => {
			let file = std::path::PathBuf::from(path);
			if !file.exists() {
				return Err(format!(
					"Unknown chain '{path}': it is neither a built-in chain ({BUILT_IN_CHAINS}) \
					 nor an existing chain-spec file"
				));
			}
			Box::new(ChainSpec::from_json_file(file).map_err(|e| {
				format!("Chain-spec file '{path}' is not a valid ZeroG chain spec: {e}")
			})?)
		},
	})
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_checked_in_ceremony_keys_parse() {
		let (validators, _faucet) = ceremony_keys(TESTNET_KEYS).unwrap();
		assert_eq!(validators.len(), 4);
	}

	#[test]
	fn ceremony_keys_are_checked() {
		let alice = "x6dnXHhTVPTkYRXP74Ra6ABZbEWwme8THYMSvoXEKz9Q5Fy3m";
		let file = |account: &str, grandpa: &str| {
			format!(
				r#"{{"validators":[{{"name":"v1","account":"{account}","aura":"{alice}","grandpa":"{grandpa}"}}],"faucet":"{alice}"}}"#
			)
		};
		let error = ceremony_keys(&file("not-a-key", alice)).map(|_| ()).unwrap_err();
		assert!(error.contains("v1's account 'not-a-key'"), "{error}");
		let error = ceremony_keys(&file(alice, alice)).map(|_| ()).unwrap_err();
		assert!(error.contains("reuses a key"), "{error}");
		let error = ceremony_keys(r#"{"validators":[],"faucet":"x"}"#).map(|_| ()).unwrap_err();
		assert!(error.contains("no validator"), "{error}");
		let error =
			ceremony_keys(r#"{"validators":[],"faucet":"x","sudo":"x"}"#).map(|_| ()).unwrap_err();
		assert!(error.contains("unknown field `sudo`"), "{error}");
	}
}
