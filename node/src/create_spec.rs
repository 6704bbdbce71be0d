//! `zerog-node create-spec`: a chain specification for a runtime of your own.
//!
//! `build-spec` prints the specs of the runtime this node embeds. A team that built a runtime
//! with other ZeroG pallets ([appchain](../../docs/appchain.md)) gives its wasm here instead:
//! the spec carries that code and the genesis of one of its presets, and this same node binary
//! runs it (it starts the storage and DA services only where the runtime has their pallets).

use std::path::PathBuf;

use polkadot_sdk::{
	sc_chain_spec::{ChainType, GenesisConfigBuilderRuntimeCaller},
	sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET,
};

use crate::chain_spec::{properties, ChainSpec};

/// The kind of chain the spec describes, as wallets and the node treat it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SpecChainType {
	/// A one-node development chain (the node serves the Ethereum RPC and finds the dev
	/// executor by default).
	Development,
	/// A local test network.
	Local,
	/// A public chain: `check-spec` refuses it if it names a development or sudo key.
	Live,
}

/// `zerog-node create-spec`.
#[derive(Debug, clap::Args)]
pub struct CreateSpecCmd {
	/// The runtime's wasm blob, e.g.
	/// `target/release/wbuild/zerog-runtime/zerog_runtime.compact.compressed.wasm` of a
	/// `cargo build --release -p zerog-runtime --no-default-features --features std,storage`.
	#[arg(long, value_name = "WASM")]
	pub runtime: PathBuf,

	/// The runtime's genesis preset to start from (`development`, `local_testnet` or
	/// `testnet` in ZeroG's runtime; an unknown name is refused with the runtime's list).
	#[arg(long, default_value = LOCAL_TESTNET_RUNTIME_PRESET)]
	pub preset: String,

	/// The chain's name, as wallets show it.
	#[arg(long, default_value = "ZeroG Appchain")]
	pub name: String,

	/// The chain's id: the name of its folder under `--base-path` and of its network.
	#[arg(long, default_value = "zerog_appchain")]
	pub id: String,

	/// What kind of chain it is.
	#[arg(long, value_enum, default_value = "local")]
	pub chain_type: SpecChainType,

	/// Print the storage form that nodes load (the genesis state, built by the runtime) instead
	/// of the readable preset form.
	#[arg(long)]
	pub raw: bool,
}

impl CreateSpecCmd {
	/// Builds the spec and prints it to stdout.
	pub fn run(&self) -> Result<(), String> {
		println!("{}", self.spec_json()?);
		Ok(())
	}

	/// The spec as JSON, or why there is none.
	fn spec_json(&self) -> Result<String, String> {
		let code = std::fs::read(&self.runtime).map_err(|error| {
			format!("cannot read the runtime {}: {error}", self.runtime.display())
		})?;
		let presets = GenesisConfigBuilderRuntimeCaller::<()>::new(&code).preset_names().map_err(
			|error| {
				format!(
					"{} is not a runtime with genesis presets (a compact, compressed wasm of a \
					 polkadot-sdk runtime): {error}",
					self.runtime.display()
				)
			},
		)?;
		if !presets.contains(&self.preset) {
			return Err(format!(
				"the runtime has no preset '{}'; it has: {}",
				self.preset,
				presets.join(", ")
			));
		}
		let chain_type = match self.chain_type {
			SpecChainType::Development => ChainType::Development,
			SpecChainType::Local => ChainType::Local,
			SpecChainType::Live => ChainType::Live,
		};
		ChainSpec::builder(&code, None)
			.with_name(&self.name)
			.with_id(&self.id)
			.with_protocol_id(&self.id)
			.with_chain_type(chain_type)
			.with_genesis_config_preset_name(&self.preset)
			.with_properties(properties())
			.build()
			.as_json(self.raw)
	}
}
