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
		inputs::EnclaveKey,
		result_keys::{self, ResultKeys},
		runner::{JobRunner, RunnerConfig},
		sandbox::{Sandbox, SandboxKind},
		state::JobStore,
	},
	secrets,
	server::{self, App, JobApi},
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

	/// Address the inference gateway listens on (the endpoint its services name).
	#[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8700")]
	listen: SocketAddr,

	/// Loopback address the job API listens on, for the provider's node only (`zerog-node
	/// --compute-executor http://ADDR`).
	#[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8800")]
	jobs_listen: SocketAddr,

	/// File holding the job API's token, which the node sends (`zerog-node
	/// --compute-executor-token-file PATH`); written with a fresh random token at the first
	/// start if missing [default: DATA_DIR/jobs.token; with --dev, no token unless given].
	#[arg(long, value_name = "PATH")]
	jobs_token_file: Option<PathBuf>,

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

	/// File holding the secret URI of the provider account (mnemonic or 0x seed), readable only
	/// by the executor's user (`chmod 600`): signs output uploads and receipt settlement. Or set
	/// ZEROG_EXECUTOR_SURI.
	#[arg(long, value_name = "PATH")]
	suri_file: Option<PathBuf>,

	/// A development account (`//Alice`, `//Bob`, ...) to sign as, on development chains. Real
	/// keys are refused here: the command line is visible to every user of the machine.
	#[arg(long, value_name = "//NAME")]
	suri: Option<String>,

	/// File holding the secret URI of this executor's enclave key (`chmod 600`): the signer of
	/// its TEE services, which governance approved, and to whose encryption key marketplace
	/// owners seal the keys of encrypted assets jobs may read (compute-to-data). Register its
	/// encryption key once with `zerog market key`. Or set ZEROG_ENCLAVE_SURI. See
	/// docs/marketplace.md for where this key belongs on confidential-computing hardware.
	#[arg(long, value_name = "PATH")]
	enclave_key_file: Option<PathBuf>,

	/// OpenAI-compatible backend for the inference gateway (`http://host:port`); without it the
	/// gateway is off.
	#[arg(long, value_name = "URL")]
	backend: Option<String>,

	/// File holding the bearer token sent to the backend (`chmod 600`). Or set
	/// ZEROG_BACKEND_API_KEY.
	#[arg(long, value_name = "PATH")]
	backend_api_key_file: Option<PathBuf>,

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

	/// How job commands are isolated: `bwrap` (bubblewrap: user nobody, no network, nothing of
	/// the host but /usr, a few files of /etc, GPU devices and --job-ro-path) or `none` (the
	/// executor's user: trusted commands only) [default: bwrap; with --dev, none when bubblewrap
	/// cannot run here].
	#[arg(long, value_name = "KIND", value_enum)]
	sandbox: Option<SandboxKind>,

	/// Let job commands use the network.
	#[arg(long)]
	job_network: bool,

	/// A path job commands may read (scripts, a model directory, a virtual environment).
	/// Repeat for several.
	#[arg(long = "job-ro-path", value_name = "PATH")]
	job_ro_paths: Vec<PathBuf>,

	/// A variable of the executor's environment job commands also get. Repeat for several.
	#[arg(long = "job-env", value_name = "NAME", default_values_t = [String::from("CUDA_VISIBLE_DEVICES")])]
	job_env: Vec<String>,

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

	/// Days settled receipts and finished jobs stay on disk before they are deleted (hourly).
	#[arg(long, value_name = "DAYS", default_value_t = 7)]
	retention_days: u64,

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
	let suri = secrets::provider_suri(
		flags.suri_file.as_deref(),
		std::env::var(secrets::SURI_ENV).ok(),
		flags.suri.as_deref(),
		flags.dev.then_some(DEV_SURI),
	)?;
	let uri = suri.parse().map_err(|error| format!("the provider's key: {error:?}"))?;
	let signer = subxt_signer::sr25519::Keypair::from_uri(&uri)
		.map_err(|error| format!("the provider's key: {error}"))?;
	let backend_api_key = secrets::backend_api_key(
		flags.backend_api_key_file.as_deref(),
		std::env::var(secrets::BACKEND_API_KEY_ENV).ok(),
	)?;
	let patience = Duration::from_secs(flags.patience_secs);
	let data_dir = flags.data_dir.clone().unwrap_or_else(|| {
		std::env::temp_dir().join(format!("zerog-executor-dev-{}", std::process::id()))
	});
	std::fs::create_dir_all(&data_dir)
		.map_err(|error| format!("--data-dir {}: {error}", data_dir.display()))?;
	// Absolute: job directories are bound into the sandbox at the same path.
	let data_dir = data_dir
		.canonicalize()
		.map_err(|error| format!("--data-dir {}: {error}", data_dir.display()))?;
	let sandbox = job_sandbox(&flags, &data_dir.join("work")).await?;
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
		return Err("--dev: the provider account has no compute service on this chain; --dev \
		            serves the services of a `zerog-node --dev` chain's genesis (register one \
		            with `zerog compute register`, or start the node with --dev)"
			.to_owned());
	}
	for service in own_services.iter().filter(|service| service.kind == ServiceKind::Job) {
		commands.entry(service.id).or_insert_with(|| {
			log::info!("job service {} runs the built-in wordcount job", service.id);
			WORDCOUNT_COMMAND.to_owned()
		});
	}
	let enclave = match secrets::enclave_suri(
		flags.enclave_key_file.as_deref(),
		std::env::var(secrets::ENCLAVE_SURI_ENV).ok(),
	)? {
		None => None,
		Some(suri) => {
			let key = EnclaveKey::from_suri(&suri)?;
			log::info!(
				"enclave key {} (encryption key {}): encrypted marketplace inputs sealed to it \
				 are opened for jobs",
				zerog_executor::encoding::format_account(&key.signer),
				zerog_executor::encoding::to_prefixed_hex(&key.public_key())
			);
			Some(Arc::new(key))
		},
	};
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
			sandbox,
			enclave,
		},
	);
	runner.resume_unfinished();
	// The keys of encrypted results, delivered once their users pay.
	let result_keys = ResultKeys::beside(&data_dir.join("work"))
		.map_err(|error| format!("result keys in {}: {error}", data_dir.display()))?;
	result_keys::spawn(chain.clone(), result_keys, Duration::from_secs(6));

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
				backend_api_key.clone(),
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

	if !flags.jobs_listen.ip().is_loopback() {
		return Err(format!(
			"--jobs-listen {}: the job API is for the provider's node; listen on loopback \
			 (127.0.0.1 or ::1)",
			flags.jobs_listen
		));
	}
	let token_file = match (&flags.jobs_token_file, flags.dev) {
		(Some(path), _) => Some(path.clone()),
		(None, false) => Some(data_dir.join("jobs.token")),
		(None, true) => None,
	};
	let token = match &token_file {
		Some(path) => Some(secrets::jobs_token(path)?),
		None => None,
	};
	spawn_pruning(
		runner.clone(),
		gateway.clone(),
		Duration::from_secs(flags.retention_days.saturating_mul(24 * 3600)),
	);
	let jobs_app = Arc::new(App { jobs: Some(JobApi { runner, token }), gateway: None });
	let (jobs_address, jobs_server) = server::spawn(flags.jobs_listen, jobs_app)
		.await
		.map_err(|error| format!("--jobs-listen {}: {error}", flags.jobs_listen))?;
	match &token_file {
		Some(path) => log::info!(
			"job API on http://{jobs_address}, token in {} (zerog-node --compute-executor \
			 http://{jobs_address} --compute-executor-token-file {})",
			path.display(),
			path.display()
		),
		None => log::info!("job API on http://{jobs_address}, without a token (--dev)"),
	}
	let app = Arc::new(App { jobs: None, gateway });
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
		result = jobs_server => return Err(format!("the job API server stopped: {result:?}")),
	}
	// Every state change is already on disk; running jobs resume at the next start.
	Ok(())
}

/// Deletes, every hour, finished jobs and settled receipts older than `retention`, so the
/// executor's disk use and start-up time stay bounded.
fn spawn_pruning(
	runner: Arc<JobRunner>,
	gateway: Option<Arc<zerog_executor::gateway::Gateway>>,
	retention: Duration,
) {
	tokio::spawn(async move {
		let mut every_hour = tokio::time::interval(Duration::from_secs(3600));
		loop {
			every_hour.tick().await;
			let cutoff = std::time::SystemTime::now() - retention;
			let unix = cutoff
				.duration_since(std::time::UNIX_EPOCH)
				.map(|since| since.as_secs())
				.unwrap_or_default();
			match runner.store().prune(unix) {
				Ok(0) => {},
				Ok(count) => log::info!("pruned {count} finished jobs"),
				Err(error) => log::warn!("pruning finished jobs: {error}"),
			}
			if let Some(gateway) = &gateway {
				match gateway.receipts().prune(cutoff) {
					Ok(0) => {},
					Ok(count) => log::info!("pruned {count} closed receipts"),
					Err(error) => log::warn!("pruning closed receipts: {error}"),
				}
			}
		}
	});
}

/// The sandbox of `--sandbox`, checked by running a command in it under `work_dir`. `--dev`
/// without `--sandbox` falls back to no sandbox, with a warning, where bubblewrap cannot run.
async fn job_sandbox(flags: &Flags, work_dir: &std::path::Path) -> Result<Sandbox, String> {
	let mut sandbox = Sandbox {
		kind: flags.sandbox.unwrap_or(SandboxKind::Bwrap),
		network: flags.job_network,
		read_only_paths: flags
			.job_ro_paths
			.iter()
			.map(|path| {
				path.canonicalize()
					.map_err(|error| format!("--job-ro-path {}: {error}", path.display()))
			})
			.collect::<Result<_, _>>()?,
		pass_env: flags.job_env.clone(),
	};
	match sandbox.check(work_dir).await {
		Ok(()) => {},
		Err(reason) if flags.dev && flags.sandbox.is_none() => {
			log::warn!("{reason}; --dev runs job commands unsandboxed, as this user");
			sandbox.kind = SandboxKind::None;
		},
		Err(reason) => {
			return Err(format!("{reason} (or pass --sandbox none for trusted commands)"))
		},
	}
	if sandbox.kind == SandboxKind::None && !flags.dev {
		log::warn!("--sandbox none: job commands run as this user and can read what it can");
	}
	Ok(sandbox)
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
		assert_eq!(flags.jobs_listen, "127.0.0.1:8800".parse().unwrap());
		assert_eq!(flags.jobs_token_file, None);
		assert_eq!(flags.node_rpc, "ws://127.0.0.1:9944");
		assert_eq!(flags.job_env, ["CUDA_VISIBLE_DEVICES"]);
		assert_eq!(flags.sandbox, None);
		assert!(Flags::try_parse_from(["zerog-executor"]).is_err(), "--data-dir is required");
		assert!(
			Flags::try_parse_from(["zerog-executor", "--dev", "--backend-api-key", "sk"]).is_err(),
			"API keys are not taken on the command line"
		);
		let sandboxed = Flags::try_parse_from([
			"zerog-executor",
			"--dev",
			"--sandbox",
			"none",
			"--job-network",
			"--job-ro-path",
			"/opt/models",
			"--job-env",
			"HF_HOME",
		])
		.unwrap();
		assert_eq!(sandboxed.sandbox, Some(SandboxKind::None));
		assert!(sandboxed.job_network);
		assert_eq!(sandboxed.job_env, ["HF_HOME"]);
		let dev = Flags::try_parse_from(["zerog-executor", "--dev"]).unwrap();
		assert!(dev.dev && dev.suri.is_none() && dev.data_dir.is_none());
	}
}
