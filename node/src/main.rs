//! `zerog-node`: the ZeroG chain's node.

#![warn(missing_docs)]

// The node's storage and DA services (data plane, replication, pruning, RPC) are compiled
// against those pallets' runtime APIs.
#[cfg(not(all(feature = "storage", feature = "da")))]
compile_error!(
	"zerog-node needs a runtime with the storage and DA pallets (features `storage` and `da`); \
	 only `compute` can be left out: docs/appchain.md says what leaving the others out takes"
);

mod benchmarking;
mod chain_spec;
mod cli;
mod command;
mod compute_executor;
mod data_pruning;
mod data_store;
mod eth_rpc;
mod eth_rpc_guard;
mod local_rpc_url;
mod provider_store;
mod replicator;
mod rpc;
mod rpc_port;
mod segment_server;
mod service;
mod spec_check;
mod try_runtime;
mod vrf_reveal;

fn main() -> polkadot_sdk::sc_cli::Result<()> {
	command::run()
}
