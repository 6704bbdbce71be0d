//! Chain specifications: the built-in networks, generated from the runtime's genesis presets.

use polkadot_sdk::{
	sc_chain_spec::{self, ChainType, NoExtension},
	sc_service,
	sp_genesis_builder::{DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET},
};
use serde_json::json;
use zerog_primitives::units::{SS58_PREFIX, TOKEN_DECIMALS, TOKEN_SYMBOL};
use zerog_runtime::{genesis_config_presets::TESTNET_RUNTIME_PRESET, WASM_BINARY};

/// A ZeroG chain specification (no client extensions).
pub type ChainSpec = sc_service::GenericChainSpec<NoExtension>;

/// The built-in chains, by the name `--chain` accepts.
pub const BUILT_IN_CHAINS: &str = "dev, local, testnet";

/// Token symbol, decimals and SS58 prefix, which wallets (Polkadot.js apps) read.
fn properties() -> sc_chain_spec::Properties {
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

/// Builds a chain spec from a runtime genesis preset.
fn from_preset(
	name: &str,
	id: &str,
	chain_type: ChainType,
	preset: &str,
) -> Result<ChainSpec, String> {
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
		.with_properties(properties())
		.build())
}

/// A development chain: one validator (Alice), funded dev accounts.
pub fn development() -> Result<ChainSpec, String> {
	from_preset("ZeroG Development", "zerog_dev", ChainType::Development, DEV_RUNTIME_PRESET)
}

/// A local test network of four validators: Alice, Bob, Charlie and Dave.
pub fn local_testnet() -> Result<ChainSpec, String> {
	from_preset(
		"ZeroG Local Testnet",
		"zerog_local",
		ChainType::Local,
		LOCAL_TESTNET_RUNTIME_PRESET,
	)
}

/// The public test network.
pub fn testnet() -> Result<ChainSpec, String> {
	from_preset("ZeroG Testnet", "zerog_testnet", ChainType::Live, TESTNET_RUNTIME_PRESET)
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
