//! `zerog-node`: the ZeroG chain's node.

#![warn(missing_docs)]

mod benchmarking;
mod chain_spec;
mod cli;
mod command;
mod compute_executor;
mod create_spec;
mod data_pruning;
mod data_store;
mod eth_rpc;
mod eth_rpc_guard;
mod local_rpc_url;
mod provider_store;
mod replicator;
mod rpc;
mod rpc_port;
mod runtime_api;
mod segment_server;
mod service;
mod spec_check;
mod try_runtime;
mod vrf_reveal;

fn main() -> polkadot_sdk::sc_cli::Result<()> {
	command::run()
}
