//! `zerog-explorer`: see the crate docs (`src/lib.rs`) and docs/explorer.md.

use std::{net::SocketAddr, process::ExitCode, sync::Arc};

use clap::Parser;
use tokio::net::TcpListener;
use zerog_explorer::{
	indexer,
	server::{self, Explorer},
	store::Store,
	LOG_TARGET,
};

/// A block explorer for a ZeroG chain: indexes the finalized blocks of a node and serves them as
/// web pages (no JavaScript needed) and a JSON API.
///
/// Every extrinsic and event is decoded by the metadata of the runtime that executed its block.
/// Indexing starts at genesis, or where the database left off after a restart, and waits for the
/// node when it goes away. With the defaults, next to `zerog-node --dev`: open
/// http://127.0.0.1:8090/.
#[derive(Debug, Parser)]
#[command(name = "zerog-explorer", version)]
struct Flags {
	/// JSON-RPC URL of a ZeroG node (ws://); an archive node (--state-pruning archive) for a
	/// chain older than the node's state pruning window.
	#[arg(long, value_name = "URL", default_value = "ws://127.0.0.1:9944")]
	node: String,
	/// The node's Ethereum JSON-RPC (`zerog-node --dev` serves it on port 8545), read for the
	/// transactions, receipts, logs and contracts of blocks with EVM calls.
	#[arg(long, value_name = "URL", default_value = "http://127.0.0.1:8545")]
	eth_rpc: String,
	/// Index no EVM transactions (for a node without an Ethereum RPC).
	#[arg(long)]
	no_eth_rpc: bool,
	/// The database: sqlite://PATH (created if missing) or postgres://USER:PASSWORD@HOST/DB.
	#[arg(long, value_name = "URL", default_value = "sqlite://zerog-explorer.db")]
	database: String,
	/// Address to serve the pages and the API on.
	#[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8090")]
	listen: SocketAddr,
	/// Least severe log level shown: error, warn, info, debug or trace.
	#[arg(long, default_value = "info")]
	log_level: log::LevelFilter,
}

async fn run(flags: Flags) -> Result<(), String> {
	let store = Store::open(&flags.database).await?;
	let resume = store.last_indexed().await?.map_or(0, |last| last + 1);
	let eth_rpc = (!flags.no_eth_rpc).then(|| flags.eth_rpc.clone());
	tokio::spawn(indexer::follow(flags.node.clone(), eth_rpc, store.clone()));
	let explorer = Arc::new(Explorer::new(store, flags.node.clone()));
	let listener = TcpListener::bind(flags.listen)
		.await
		.map_err(|error| format!("cannot listen on {}: {error}", flags.listen))?;
	let bound = listener.local_addr().map_err(|error| error.to_string())?;
	log::info!(
		target: LOG_TARGET,
		"ready: serving http://{bound}/, indexing {} from block {resume}",
		flags.node
	);
	axum::serve(listener, server::router(explorer)).await.map_err(|error| error.to_string())
}

#[tokio::main]
async fn main() -> ExitCode {
	let flags = Flags::parse();
	zerog_client::logging::init(LOG_TARGET, flags.log_level);
	match run(flags).await {
		Ok(()) => ExitCode::SUCCESS,
		Err(error) => {
			eprintln!("error: {error}");
			ExitCode::from(2)
		},
	}
}
