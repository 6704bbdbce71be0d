//! `zerog-node try-runtime`: checks a runtime upgrade against a snapshot of a real chain's state
//! before governance enacts it.
//!
//! The snapshot is what `zerog-node export-state` writes (a raw chain spec holding every key of
//! the state at a block). The command puts the new runtime's code into that state and calls its
//! `TryRuntime_on_runtime_upgrade` API, as a block that enacts the upgrade would: every pallet's
//! migrations run with their `pre_upgrade`/`post_upgrade` checks and then every pallet's
//! `try_state` invariants (stakes and holds agree, queues point at live items, ...), on the real
//! files, blobs, services and jobs. The runtime must be built with the `try-runtime` feature
//! (`runtime/try-runtime.sh` builds it); a failed check makes the runtime panic with the
//! reason, and the command exit non-zero.
//!
//! polkadot-sdk's standalone `try-runtime-cli` does the same with state fetched over RPC; the
//! crates.io crate of that name is the old library (0.42, polkadot v1.10) of a node subcommand
//! polkadot-sdk has since removed, which does not run today's runtimes.

use codec::{Decode, Encode};
use polkadot_sdk::{
	frame_support::weights::Weight,
	sc_executor::WasmExecutor,
	sc_service::ChainSpec as _,
	sp_core::{
		storage::well_known_keys::CODE,
		traits::{CallContext, CodeExecutor, RuntimeCode, WrappedRuntimeCode},
	},
	sp_io::TestExternalities,
};
use std::path::PathBuf;

/// `zerog-node try-runtime`.
#[derive(Debug, clap::Args)]
pub struct TryRuntimeCmd {
	/// A snapshot of the chain's state: the raw chain spec `zerog-node export-state` writes.
	#[arg(long, value_name = "SNAPSHOT")]
	pub snapshot: PathBuf,

	/// The runtime to upgrade to, built with the `try-runtime` feature
	/// (`runtime/try-runtime.sh` prints its path).
	#[arg(long, value_name = "WASM")]
	pub runtime: PathBuf,

	/// Which checks run: `all` (every migration's pre- and post-upgrade checks, then every
	/// pallet's `try_state`), `pre-and-post`, `try-state` or `none`.
	#[arg(long, value_enum, default_value_t = Checks::All)]
	pub checks: Checks,
}

/// The checks of an upgrade; encodes as `frame_support::traits::UpgradeCheckSelect`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, clap::ValueEnum)]
pub enum Checks {
	/// No check: only the migrations' weight.
	None,
	/// Pre- and post-upgrade checks and every pallet's `try_state`.
	All,
	/// Pre- and post-upgrade checks.
	PreAndPost,
	/// Every pallet's `try_state`.
	TryState,
}

impl TryRuntimeCmd {
	/// Runs the upgrade on the snapshot and reports the weight it took.
	pub fn run(&self) -> Result<(), String> {
		let spec = crate::chain_spec::ChainSpec::from_json_file(self.snapshot.clone()).map_err(
			|error| format!("{}: not a state snapshot: {error}", self.snapshot.display()),
		)?;
		let mut storage = spec
			.as_storage_builder()
			.build_storage()
			.map_err(|error| format!("{}: {error}", self.snapshot.display()))?;
		let code = std::fs::read(&self.runtime)
			.map_err(|error| format!("{}: {error}", self.runtime.display()))?;
		let keys = storage.top.len();
		storage.top.insert(CODE.to_vec(), code.clone());
		let mut state = TestExternalities::new(storage);

		let executor = WasmExecutor::<crate::service::HostFunctions>::builder().build();
		let fetcher = WrappedRuntimeCode(code.as_slice().into());
		let hash = polkadot_sdk::sp_io::hashing::blake2_256(&code).to_vec();
		let runtime_code = RuntimeCode { code_fetcher: &fetcher, heap_pages: None, hash };
		let mut externalities = state.ext();
		let (result, _) = executor.call(
			&mut externalities,
			&runtime_code,
			"TryRuntime_on_runtime_upgrade",
			&self.checks.encode(),
			CallContext::Offchain,
		);
		let output = result.map_err(|error| {
			let error = error.to_string();
			if error.contains("TryRuntime_on_runtime_upgrade is not found") {
				format!(
					"{} has no TryRuntime API: build it with the try-runtime feature \
					 (runtime/try-runtime.sh)",
					self.runtime.display()
				)
			} else {
				format!(
					"the upgrade failed its checks on {} ({keys} keys): {error}",
					self.snapshot.display()
				)
			}
		})?;
		let (used, limit) =
			<(Weight, Weight)>::decode(&mut output.as_slice()).map_err(|error| {
				format!("TryRuntime_on_runtime_upgrade answered {output:?}: {error}")
			})?;
		println!(
			"on-runtime-upgrade with checks {:?} passed on {} ({keys} keys): the migrations \
			 weigh {} ps and {} bytes of proof, {} % of a block",
			self.checks,
			self.snapshot.display(),
			used.ref_time(),
			used.proof_size(),
			used.ref_time().saturating_mul(100) / limit.ref_time().max(1)
		);
		Ok(())
	}
}
