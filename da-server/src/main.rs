//! `zerog-da-server`: see the crate docs (`src/lib.rs`) and docs/da-server.md.

use std::{net::SocketAddr, path::PathBuf, process::ExitCode, sync::Arc, time::Duration};

use clap::Parser;
use zerog_client::chain::keypair_from_suri;
use zerog_da_server::server::{self, DaServer, LOG_TARGET};
use zerog_primitives::da::{DEFAULT_DATA_SHARDS, DEFAULT_PARITY_SHARDS};

/// Environment variable holding the paying account's secret URI when no --suri-file is given.
const SURI_ENV: &str = "ZEROG_DA_SERVER_SURI";

/// An OP Stack Alt-DA server on ZeroG data availability.
///
/// op-batcher POSTs each batch to /put/; the server erasure-codes it into a ZeroG blob, pushes
/// each member of the blob's quorum its shards, submits the commitment (paying the blob fee from
/// the configured account), waits for the certificate and answers the commitment bytes (0x01,
/// 0x7a, version 0, then the SCALE blob commitment). op-node GETs /get/0x<commitment> and
/// receives the batch, rebuilt from shards and checked against the commitment: 404 if the chain
/// does not know the commitment, 503 while it cannot be served. Run op-batcher and op-node with
/// --altda.enabled --altda.da-server=http://<listen> --altda.da-service=true.
#[derive(Debug, Parser)]
#[command(name = "zerog-da-server", version)]
struct Flags {
	/// JSON-RPC URL of a ZeroG node (ws:// or http://).
	#[arg(long, value_name = "URL", default_value = "ws://127.0.0.1:9944")]
	rpc: String,
	/// Address to serve the Alt-DA API on.
	#[arg(long, value_name = "ADDR", default_value = "127.0.0.1:3100")]
	listen: SocketAddr,
	/// File holding the secret URI (seed phrase or //Dev path) of the account that pays blob
	/// fees. Without it the URI is read from the ZEROG_DA_SERVER_SURI environment variable;
	/// secrets are never command-line arguments, which other users of the machine can read.
	#[arg(long, value_name = "PATH")]
	suri_file: Option<PathBuf>,
	/// Namespace recorded with every blob (the rollup's id).
	#[arg(long, default_value_t = 0)]
	namespace: u32,
	/// Data shards per blob: any this many of the shards rebuild a batch.
	#[arg(long, default_value_t = DEFAULT_DATA_SHARDS)]
	data_shards: u16,
	/// Parity shards per blob.
	#[arg(long, default_value_t = DEFAULT_PARITY_SHARDS)]
	parity_shards: u16,
	/// Seconds a PUT waits for the certificate before answering 503 (op-batcher retries).
	#[arg(long, value_name = "SECONDS", default_value_t = 120)]
	certify_timeout: u64,
	/// Least severe log level shown: error, warn, info, debug or trace.
	#[arg(long, default_value = "info")]
	log_level: log::LevelFilter,
}

/// The paying account's secret URI, from the file or the environment.
fn secret_uri(flags: &Flags) -> Result<String, String> {
	match &flags.suri_file {
		Some(path) => std::fs::read_to_string(path)
			.map(|text| text.trim().to_owned())
			.map_err(|error| format!("cannot read --suri-file {}: {error}", path.display())),
		None => std::env::var(SURI_ENV)
			.map_err(|_| format!("no paying account: give --suri-file PATH or set {SURI_ENV}")),
	}
}

#[tokio::main]
async fn main() -> ExitCode {
	let flags = Flags::parse();
	zerog_client::logging::init(LOG_TARGET, flags.log_level);
	let signer = match secret_uri(&flags).and_then(|uri| {
		keypair_from_suri(&uri).map_err(|error| format!("the paying account: {error}"))
	}) {
		Ok(signer) => signer,
		Err(error) => {
			eprintln!("error: {error}");
			return ExitCode::from(2);
		},
	};
	let da_server = Arc::new(DaServer {
		rpc_url: flags.rpc.clone(),
		signer,
		namespace: flags.namespace,
		data_shards: flags.data_shards,
		parity_shards: flags.parity_shards,
		certify_timeout: Duration::from_secs(flags.certify_timeout),
	});
	match server::spawn(flags.listen, da_server).await {
		Ok((bound, task)) => {
			log::info!(
				target: LOG_TARGET,
				"serving the Alt-DA API on http://{bound} for node {}",
				flags.rpc
			);
			let _ = task.await;
			ExitCode::SUCCESS
		},
		Err(error) => {
			eprintln!("error: cannot listen on {}: {error}", flags.listen);
			ExitCode::from(1)
		},
	}
}
