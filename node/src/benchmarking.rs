//! `zerog-node benchmark`: the weights of this chain, measured on the machine that runs it.
//!
//! - `pallet`: runs a pallet's `frame-benchmarking` benchmarks in a runtime built with the
//!   `runtime-benchmarks` feature (`--runtime <wasm>`; the node's own runtime never carries the
//!   benchmarks) and writes its `weights.rs`. The node's host functions, ZeroG's storage hashing
//!   included, are there, so the runtime needs no `--allow-missing-host-functions`.
//! - `storage`: reads and writes every key of this node's database (`--base-path`, `--chain`)
//!   and writes the `DbWeight` constants. Only in a node built with `runtime-benchmarks`
//!   (`sc-client-db` exposes its database only then).
//! - `overhead`: the base weights of a block and of an extrinsic, measured by building blocks
//!   with ZeroG's inherents (the timestamp and the author's VRF reveal) on a development chain
//!   ([`overhead`]).
//! - `machine`: compares this machine with polkadot-sdk's reference hardware.
//!
//! `block` and `extrinsic` (timings of existing blocks and of one extrinsic kind) are refused
//! with an error: `overhead` and the pallets' benchmarks give the weights the runtime uses.

mod overhead;

#[cfg(not(feature = "runtime-benchmarks"))]
use polkadot_sdk::frame_benchmarking::benchmarking::HostFunctions as BenchmarkingHostFunctions;
use polkadot_sdk::{
	frame_benchmarking_cli::{BenchmarkCmd, SUBSTRATE_REFERENCE_HARDWARE},
	sc_cli::{self, SubstrateCli},
	sp_runtime::traits::HashingFor,
};
use zerog_primitives::OpaqueBlock as Block;

use crate::{cli::Cli, service};

/// The node's host functions and the benchmarking ones (which a `runtime-benchmarks` build of
/// the node already has).
#[cfg(not(feature = "runtime-benchmarks"))]
type HostFunctions = (service::HostFunctions, BenchmarkingHostFunctions);
#[cfg(feature = "runtime-benchmarks")]
type HostFunctions = service::HostFunctions;

/// Runs `zerog-node benchmark <cmd>`.
pub fn run(cli: &Cli, cmd: &BenchmarkCmd) -> sc_cli::Result<()> {
	match cmd {
		// A runtime from a file needs no chain specification (and the command refuses both).
		BenchmarkCmd::Pallet(pallet) if pallet.runtime.is_some() => {
			pallet.run_with_spec::<HashingFor<Block>, HostFunctions>(None)
		},
		BenchmarkCmd::Pallet(pallet) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| {
				pallet.run_with_spec::<HashingFor<Block>, HostFunctions>(Some(config.chain_spec))
			})
		},
		#[cfg(feature = "runtime-benchmarks")]
		BenchmarkCmd::Storage(storage) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| {
				let polkadot_sdk::sc_service::PartialComponents { client, backend, .. } =
					service::new_partial(&config)?;
				let db = backend.expose_db();
				let state = backend.expose_storage();
				let trie_cache = backend.expose_shared_trie_cache();
				storage.run(config, client, db, state, trie_cache)
			})
		},
		#[cfg(not(feature = "runtime-benchmarks"))]
		BenchmarkCmd::Storage(_) => Err(sc_cli::Error::Input(
			"`benchmark storage` needs a node built with `--features runtime-benchmarks` (the \
			 database's benchmarking access is compiled only then); see \
			 runtime/benchmarking/db-weights.sh"
				.into(),
		)),
		BenchmarkCmd::Machine(machine) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| machine.run(&config, SUBSTRATE_REFERENCE_HARDWARE.clone()))
		},
		BenchmarkCmd::Overhead(overhead) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| overhead::run(overhead, config))
		},
		BenchmarkCmd::Block(_) | BenchmarkCmd::Extrinsic(_) => Err(sc_cli::Error::Input(
			"zerog-node benchmark supports `pallet`, `overhead`, `storage` and `machine`; \
			 `block` and `extrinsic` are not wired for ZeroG's inherents"
				.into(),
		)),
	}
}
