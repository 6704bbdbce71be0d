//! Command-line interface: `zerog-node [SUBCOMMAND] [OPTIONS]`.

use polkadot_sdk::sc_cli;

/// The ZeroG node: runs a validator or a full node of a ZeroG chain.
///
/// Start a development chain (one validator, funded dev accounts, state discarded on exit):
///
///     zerog-node --dev
///
/// Start a validator of a network described by a chain-spec file:
///
///     zerog-node --chain chain-specs/local.json --alice --base-path /tmp/alice
///
/// A development chain also serves the Ethereum JSON-RPC on port 8545 (chain id 16900); any
/// other node does with `--eth-rpc-port 8545`.
///
/// A storage provider's node serves its data plane (binary segments over HTTP) to other providers
/// and users, and registers `http://<public host>:9950` as its endpoint:
///
///     zerog-node --chain chain-specs/local.json --bob --storage-external --storage-port 9950
///
/// A compute provider's node points the compute off-chain worker at its executor:
///
///     zerog-node --dev --compute-executor http://127.0.0.1:8800
#[derive(Debug, clap::Parser)]
#[command(
	propagate_version = true,
	args_conflicts_with_subcommands = true,
	subcommand_negates_reqs = true,
	long_about = None,
)]
pub struct Cli {
	/// What to do instead of running the node.
	#[command(subcommand)]
	pub subcommand: Option<Subcommand>,

	/// Options of the running node (network, RPC, database, keys, ...).
	#[clap(flatten)]
	pub run: sc_cli::RunCmd,

	#[allow(missing_docs)]
	#[clap(flatten)]
	pub eth_rpc: crate::eth_rpc::EthRpcParams,

	#[allow(missing_docs)]
	#[clap(flatten)]
	pub compute: crate::compute_executor::ComputeParams,

	#[allow(missing_docs)]
	#[clap(flatten)]
	pub pruning: crate::data_pruning::PruneParams,

	#[allow(missing_docs)]
	#[clap(flatten)]
	pub storage: crate::segment_server::StorageServerParams,

	#[allow(missing_docs)]
	#[clap(flatten)]
	pub data_store: crate::data_store::DataStoreParams,
}

/// Maintenance and inspection commands.
#[derive(Debug, clap::Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum Subcommand {
	/// Key management: generate, inspect and insert keys into a node's keystore.
	#[command(subcommand)]
	Key(sc_cli::KeySubcommand),

	/// Print a chain specification (add `--raw` for the storage form that nodes load).
	BuildSpec(sc_cli::BuildSpecCmd),

	/// Print a chain specification for a runtime of your own (`--runtime <wasm>`, e.g. one built
	/// with other ZeroG pallets: docs/appchain.md) from one of its genesis presets; this node
	/// runs it, with the storage and DA services its runtime has pallets for.
	CreateSpec(crate::create_spec::CreateSpecCmd),

	/// Check that a chain spec is safe to launch as a public chain: a `Live` spec must name no
	/// well-known development key (//Alice, Hardhat's accounts, ...) and no sudo key. Exits
	/// non-zero and lists what it found otherwise.
	CheckSpec(crate::spec_check::CheckSpecCmd),

	/// Check a runtime upgrade against a snapshot of a chain's state (`export-state`): run its
	/// migrations with their checks and every pallet's invariants, with a runtime built with
	/// the `try-runtime` feature.
	TryRuntime(crate::try_runtime::TryRuntimeCmd),

	/// Check that a block imports and executes.
	CheckBlock(sc_cli::CheckBlockCmd),

	/// Export blocks to a file.
	ExportBlocks(sc_cli::ExportBlocksCmd),

	/// Export the state of a block as a chain specification.
	ExportState(sc_cli::ExportStateCmd),

	/// Import blocks from a file.
	ImportBlocks(sc_cli::ImportBlocksCmd),

	/// Delete the whole chain database.
	PurgeChain(sc_cli::PurgeChainCmd),

	/// Revert the chain to a previous block.
	Revert(sc_cli::RevertCmd),

	/// Print information about the database: best, finalized and genesis blocks.
	ChainInfo(sc_cli::ChainInfoCmd),

	/// Measure weights on this machine. `benchmark pallet --runtime <wasm>`: the weights of a
	/// pallet's calls, from a runtime built with `runtime-benchmarks`
	/// (runtime/benchmarking/weights.sh does all of it). `benchmark storage`: the read and write
	/// weights of this node's database, for the runtime's `DbWeight`
	/// (runtime/benchmarking/db-weights.sh). `benchmark machine`: this machine against
	/// polkadot-sdk's reference hardware.
	#[command(subcommand)]
	Benchmark(polkadot_sdk::frame_benchmarking_cli::BenchmarkCmd),

	/// Serve the Ethereum JSON-RPC for a running node (`--node-rpc-url`). The node starts this
	/// itself for `--dev` and with `--eth-rpc-port`; run it by hand to serve it from elsewhere.
	EthRpc(pallet_revive_eth_rpc::cli::CliCommand),
}
