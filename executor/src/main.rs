//! `zerog-executor`: command-line flags and wiring. See the library docs for what it does.

use clap::Parser;
use std::{
	collections::BTreeMap, net::SocketAddr, path::PathBuf, process::ExitCode, sync::Arc,
	time::Duration,
};
use zerog_executor::{
	chain::{Chain, ServiceKind, SubxtChain},
	dev::{EchoBackend, DEV_SURI, WORDCOUNT_COMMAND},
	gateway::{proxy::Backend, receipts::ReceiptStore, settlement, Gateway, GatewayConfig},
	jobs::{
		runner::{JobRunner, RunnerConfig},
		state::JobStore,
	},
	server::{self, App},
	storage_client::RpcStorage,
};

/// Runs a ZeroG compute provider's jobs and inference gateway.
///
/// On a development chain (`zerog-node --dev`), `zerog-executor --dev` is all it takes: it serves
/// the dev chain's compute services (Alice's `zerog-dev-echo` inference and `zerog-dev-wordcount`
/// job services) with built-in stand-ins, so `zerog compute chat --service 0 "hello"` works.
#[derive(Debug, Parser)]
#[command(name = "zerog-executor", version)]
struct Flags {
	/// Development mode, for a `--dev` chain only: sign as `//Alice` (a public key) unless
	/// `--suri` is given, keep state in a fresh temporary directory unless `--data-dir` is given,
	/// answer inference with a built-in echo backend (labelled, not a model) unless `--backend`
	/// is given, run the built-in wordcount command for job services without `--service`, and
	/// point the provider's services at this executor's address on chain.
	#[arg(long)]
	dev: bool,

	/// Address the job API and the gateway listen on.
	#[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8700")]
	listen: SocketAddr,

	/// The provider's node (JSON-RPC, ws:// or http://).
	#[arg(long, value_name = "URL", default_value = "ws://127.0.0.1:9944")]
	node_rpc: String,

	/// Where job state, job work directories and receipts are kept.
	#[arg(long, value_name = "DIR", required_unless_present = "dev")]
	data_dir: Option<PathBuf>,

	/// A job service this executor runs: its on-chain id and the command (`sh -c COMMAND`).
	/// Repeat for several services.
	#[arg(long = "service", value_name = "ID=COMMAND", value_parser = parse_service)]
	services: Vec<(u64, String)>,

	/// Secret URI of the provider account (mnemonic, 0x seed or //Dev derivation): signs output
	/// uploads and receipt settlement.
	#[arg(long, value_name = "SURI", required_unless_present = "dev")]
	suri: Option<String>,

	/// OpenAI-compatible backend for the inference gateway (`http://host:port`); without it the
	/// gateway is off.
	#[arg(long, value_name = "URL")]
	backend: Option<String>,

	/// Bearer token sent to the backend.
	#[arg(long, value_name = "KEY")]
	backend_api_key: Option<String>,

	/// Longest wait for a backend answer.
	#[arg(long, value_name = "SECS", default_value_t = 300)]
	backend_timeout_secs: u64,

	/// Charge jobs by the second: `feeUsed = min(maxFee, ceil(seconds) × PRICE)`; without it a
	/// job charges its `maxFee`.
	#[arg(long, value_name = "PRICE")]
	price_per_second: Option<u128>,

	/// Longest a job's command may run.
	#[arg(long, value_name = "SECS", default_value_t = 6 * 3600)]
	job_timeout_secs: u64,

	/// Jobs run at the same time.
	#[arg(long, value_name = "N", default_value_t = 1)]
	parallel_jobs: usize,

	/// Seconds between settlement rounds [default: 30; 6 with --dev].
	#[arg(long, value_name = "SECS")]
	settle_interval_secs: Option<u64>,

	/// Most receipts per settle_receipts call; 0 = the runtime's MaxReceiptsPerBatch.
	#[arg(long, value_name = "N", default_value_t = 0)]
	batch_size: u32,

	/// How long a served request waits for the user's countersignature before its cap receipt
	/// (its max fee) is settled instead.
	/// Grace, settle interval and a minute to finalize must stay below the chain's refund lock
	/// (10 minutes), so a user cannot take back the funds before the receipt settles.
	#[arg(long, value_name = "SECS", default_value_t = 120)]
	countersign_grace_secs: u64,

	/// How long to wait for the node at start, and for jobs and datasets to show up.
	#[arg(long, value_name = "SECS", default_value_t = 120)]
	patience_secs: u64,

	/// Log level: error, warn, info, debug or trace.
	#[arg(long, value_name = "LEVEL", default_value = "info")]
	log_level: log::LevelFilter,
}

/// Parses `ID=COMMAND`.
fn parse_service(text: &str) -> Result<(u64, String), String> {
	let (id, command) = text.split_once('=').ok_or("expected ID=COMMAND")?;
	let id = id.trim().parse::<u64>().map_err(|error| format!("service id `{id}`: {error}"))?;
	if command.trim().is_empty() {
		return Err(format!("service {id} has an empty command"));
	}
	Ok((id, command.to_string()))
}

#[tokio::main]
async fn main() -> ExitCode {
	let flags = Flags::parse();
	zerog_client::logging::init("zerog_executor", flags.log_level);
	match run(flags).await {
		Ok(()) => ExitCode::SUCCESS,
		Err(error) => {
			log::error!("{error}");
			ExitCode::FAILURE
		},
	}
}

/// Connects, resumes unfinished work and serves until Ctrl-C or SIGTERM.
async fn run(flags: Flags) -> Result<(), String> {
	let suri = flags.suri.clone().unwrap_or_else(|| DEV_SURI.to_owned());
	let uri = suri.parse().map_err(|error| format!("--suri: {error:?}"))?;
	let signer = subxt_signer::sr25519::Keypair::from_uri(&uri)
		.map_err(|error| format!("--suri: {error}"))?;
	let patience = Duration::from_secs(flags.patience_secs);
	let data_dir = flags.data_dir.clone().unwrap_or_else(|| {
		std::env::temp_dir().join(format!("zerog-executor-dev-{}", std::process::id()))
	});
	std::fs::create_dir_all(&data_dir)
		.map_err(|error| format!("--data-dir {}: {error}", data_dir.display()))?;
	if flags.dev {
		log::warn!(
			"development mode: signing as {}, state in {}, built-in stand-ins for models and \
			 jobs; for a development chain only",
			if flags.suri.is_some() { "the --suri account" } else { DEV_SURI },
			data_dir.display()
		);
	}

	let subxt_chain = Arc::new(
		SubxtChain::connect(&flags.node_rpc, signer, patience)
			.await
			.map_err(|error| error.to_string())?,
	);
	let chain: Arc<dyn Chain> = subxt_chain.clone();
	log::info!("provider account {}", zerog_executor::encoding::format_account(&chain.account()));
	let storage = Arc::new(
		RpcStorage::connect(&flags.node_rpc, chain.clone())
			.await
			.map_err(|error| error.to_string())?,
	);

	let mut commands: BTreeMap<u64, String> = flags.services.iter().cloned().collect();
	let own_services = if flags.dev {
		subxt_chain
			.own_services()
			.await
			.map_err(|error| format!("reading the services: {error}"))?
	} else {
		Vec::new()
	};
	if flags.dev && own_services.is_empty() {
		return Err(format!(
			"--dev: the provider account has no compute service on this chain; --dev serves the \
			 services of a `zerog-node --dev` chain's genesis (register one with `zerog compute \
			 register`, or start the node with --dev)"
		));
	}
	for service in own_services.iter().filter(|service| service.kind == ServiceKind::Job) {
		commands.entry(service.id).or_insert_with(|| {
			log::info!("job service {} runs the built-in wordcount job", service.id);
			WORDCOUNT_COMMAND.to_owned()
		});
	}
	let store = JobStore::open(&data_dir).map_err(|error| format!("job store: {error}"))?;
	let runner = JobRunner::new(
		store,
		chain.clone(),
		storage,
		RunnerConfig {
			commands,
			work_dir: data_dir.join("work"),
			timeout: Duration::from_secs(flags.job_timeout_secs),
			price_per_second: flags.price_per_second,
			parallel_jobs: flags.parallel_jobs,
			patience,
			retry_delay: Duration::from_secs(2),
		},
	);
	runner.resume_unfinished();

	let backend_url = match (&flags.backend, flags.dev) {
		(Some(url), _) => Some(url.clone()),
		(None, true) => {
			let url =
				EchoBackend::spawn().await.map_err(|error| format!("echo backend: {error}"))?;
			log::info!("inference answered by the built-in echo backend (not a model) at {url}");
			Some(url)
		},
		(None, false) => None,
	};
	let gateway = match &backend_url {
		None => None,
		Some(url) => {
			let backend = Backend::new(
				url,
				flags.backend_api_key.clone(),
				Duration::from_secs(flags.backend_timeout_secs),
			)?;
			let receipts =
				ReceiptStore::open(&data_dir).map_err(|error| format!("receipt store: {error}"))?;
			let config = GatewayConfig {
				countersign_grace: Duration::from_secs(flags.countersign_grace_secs),
				settle_interval: Duration::from_secs(
					flags.settle_interval_secs.unwrap_or(if flags.dev { 6 } else { 30 }),
				),
				batch_size: flags.batch_size,
			};
			let lock = chain
				.refund_lock_period()
				.await
				.map_err(|error| format!("reading the refund lock: {error}"))?;
			config.check_refund_lock(lock)?;
			let gateway = Gateway::new(chain.clone(), receipts, backend, config);
			settlement::spawn(gateway.clone());
			log::info!("inference gateway forwarding to {url}");
			Some(gateway)
		},
	};

	let app = Arc::new(App { jobs: Some(runner), gateway });
	let (address, server) = server::spawn(flags.listen, app)
		.await
		.map_err(|error| format!("--listen {}: {error}", flags.listen))?;
	log::info!("listening on http://{address}");

	// Clients find a service at its on-chain endpoint: in development mode, make that here.
	let here = format!("http://{address}");
	for service in own_services.iter().filter(|service| service.endpoint != here) {
		subxt_chain
			.point_service_at(service.id, &here)
			.await
			.map_err(|error| format!("pointing service {} at {here}: {error}", service.id))?;
		log::info!("service {} now points at {here} (was {})", service.id, service.endpoint);
	}
	if flags.dev {
		log::info!(
			"ready: serving services {:?}",
			own_services.iter().map(|service| service.id).collect::<Vec<_>>()
		);
	}

	let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
		.map_err(|error| format!("SIGTERM handler: {error}"))?;
	tokio::select! {
		_ = tokio::signal::ctrl_c() => log::info!("interrupted, stopping"),
		_ = terminate.recv() => log::info!("terminated, stopping"),
		result = server => return Err(format!("the server stopped: {result:?}")),
	}
	// Every state change is already on disk; running jobs resume at the next start.
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn services_parse_as_id_equals_command() {
		assert_eq!(
			parse_service("3=python3 train.py --lr=0.1"),
			Ok((3, "python3 train.py --lr=0.1".into()))
		);
		assert!(parse_service("x=true").is_err());
		assert!(parse_service("3").is_err());
		assert!(parse_service("3= ").is_err());
	}

	#[test]
	fn flags_parse() {
		let flags = Flags::try_parse_from([
			"zerog-executor",
			"--data-dir",
			"/tmp/x",
			"--suri",
			"//Bob",
			"--service",
			"1=true",
			"--service",
			"2=false",
			"--backend",
			"http://127.0.0.1:8000",
		])
		.unwrap();
		assert_eq!(flags.services.len(), 2);
		assert_eq!(flags.listen, "127.0.0.1:8700".parse().unwrap());
		assert_eq!(flags.node_rpc, "ws://127.0.0.1:9944");
		assert!(
			Flags::try_parse_from(["zerog-executor", "--data-dir", "/tmp/x"]).is_err(),
			"--suri is required"
		);
		assert!(Flags::try_parse_from(["zerog-executor"]).is_err(), "--data-dir is required");
		let dev = Flags::try_parse_from(["zerog-executor", "--dev"]).unwrap();
		assert!(dev.dev && dev.suri.is_none() && dev.data_dir.is_none());
	}
}
