//! The Ethereum JSON-RPC (`eth_*`, `net_*`, `web3_*`) next to the node.
//!
//! `pallet-revive-eth-rpc` is an adapter: it talks to the node over its Substrate RPC, keeps
//! Ethereum receipts in a SQLite index, and serves the Ethereum JSON-RPC that MetaMask, ethers,
//! Hardhat and Foundry speak. It owns its logger, Tokio runtime and signal handling, so it runs
//! as a child process of the node (`zerog-node eth-rpc ...`), started and supervised here:
//! users get one command, and a crash of the adapter never takes the chain down with it.

use std::{
	net::{IpAddr, Ipv4Addr, SocketAddr},
	path::PathBuf,
	process::{Command, ExitStatus},
	sync::{
		atomic::{AtomicU16, Ordering},
		Arc,
	},
	thread,
	time::Duration,
};

use polkadot_sdk::{
	sc_chain_spec::ChainType,
	sc_service::{config::Configuration, BasePath, PruningMode, SpawnTaskHandle},
};

/// Log target of everything the supervisor reports.
const LOG_TARGET: &str = "eth-rpc";

/// Port of the Ethereum JSON-RPC when `--eth-rpc-port` is not given (the port tools expect).
pub const DEFAULT_ETH_RPC_PORT: u16 = 8545;

/// Blocks of receipts the adapter keeps in memory when the node prunes old state: receipts are
/// read from a block's events, which are gone once its state is pruned.
const RECEIPTS_KEPT_WITHOUT_ARCHIVE: u32 = 256;

/// How long the supervisor waits before restarting an adapter that stopped.
const RESTART_DELAY: Duration = Duration::from_secs(3);

/// Options of the Ethereum JSON-RPC that the node starts.
#[derive(Debug, Clone, clap::Args)]
pub struct EthRpcParams {
	/// Serve the Ethereum JSON-RPC on this port. On by default (port 8545) for development
	/// chains; give this option to serve it from a node of any other chain.
	#[arg(long, value_name = "PORT")]
	pub eth_rpc_port: Option<u16>,

	/// Do not serve the Ethereum JSON-RPC, not even on a development chain.
	#[arg(long, conflicts_with = "eth_rpc_port")]
	pub no_eth_rpc: bool,
}

/// How to start the adapter for a node with a given configuration.
#[derive(Debug, Clone)]
pub struct EthRpcLaunch {
	/// The adapter's arguments, but for its (internal) port, which each start adds.
	args: Vec<String>,
	/// The port users connect to, served by the guard in front of the adapter.
	port: u16,
	/// Whether to listen on every interface (the node's RPC does) or on loopback only.
	external: bool,
	/// Whether browser dApps on any origin may connect (always, see `plan`).
	cors_any: bool,
}

impl EthRpcLaunch {
	/// Works out whether and how to serve the Ethereum JSON-RPC next to a node started with
	/// `config`. `None` when it is not wanted.
	pub fn plan(params: &EthRpcParams, config: &Configuration) -> Option<Self> {
		let is_dev = config.chain_spec.chain_type() == ChainType::Development;
		if params.no_eth_rpc || (params.eth_rpc_port.is_none() && !is_dev) {
			return None;
		}
		let port = params.eth_rpc_port.unwrap_or(DEFAULT_ETH_RPC_PORT);

		// The adapter connects to this node's RPC over loopback, and listens where the node's
		// RPC listens (loopback unless `--rpc-external`).
		let (node_rpc_ip, node_rpc_port) = config
			.rpc
			.addr
			.as_ref()
			.and_then(|endpoints| endpoints.first())
			.map(|endpoint| (endpoint.listen_addr.ip(), endpoint.listen_addr.port()))
			.unwrap_or((IpAddr::V4(Ipv4Addr::LOCALHOST), config.rpc.port));
		// The adapter itself only listens on loopback, behind the guard (see `eth_rpc_guard`).
		let mut args =
			vec!["eth-rpc".to_string(), format!("--node-rpc-url=ws://127.0.0.1:{node_rpc_port}")];
		if is_dev {
			// `eth_accounts` then lists the adapter's dev accounts (funded by the `development`
			// preset) for `eth_sendTransaction`.
			args.push("--dev".into());
		}
		// Browser dApps on any origin may connect, as to public Ethereum endpoints (outside dev
		// chains the adapter holds no keys). This also turns off the adapter's Host-header
		// filter, which would refuse every request: the guard forwards them with its own
		// address in `Host`, not the adapter's loopback port.
		args.push("--rpc-cors=all".into());
		let archive = matches!(
			config.state_pruning,
			Some(PruningMode::ArchiveAll | PruningMode::ArchiveCanonical)
		);
		if archive {
			// Receipts of every block, indexed on disk beside the chain database.
			args.push("--eth-pruning=archive".into());
			args.push(format!("--base-path={}", eth_rpc_base_path(&config.base_path).display()));
		} else {
			args.push(format!("--eth-pruning={RECEIPTS_KEPT_WITHOUT_ARCHIVE}"));
		}
		// The node's own metrics cover block production and the pool; the adapter would need a
		// second metrics port, which collides when several nodes share a host.
		args.push("--no-prometheus".into());
		Some(Self { args, port, external: node_rpc_ip.is_unspecified(), cors_any: true })
	}

	/// Starts the adapter and restarts it whenever it stops, for as long as the node runs.
	///
	/// The child is bound to the node's lifetime by `PR_SET_PDEATHSIG`, which is tied to the
	/// thread that spawned it; the supervising thread therefore never exits before the node.
	///
	/// Each start of the adapter gets a port the kernel just handed out, and the adapter may not
	/// move off it (`crate::rpc_port`). Something may still take that port between the choice
	/// and the adapter's bind; the adapter then exits, and its next start gets another port, to
	/// which the guard follows.
	///
	/// The guard in front of it runs on the node's runtime, as one of `tasks`.
	pub fn spawn(self, tasks: &SpawnTaskHandle) -> std::io::Result<()> {
		let executable = std::env::current_exe()?;
		let adapter_port = Arc::new(AtomicU16::new(crate::eth_rpc_guard::free_loopback_port()?));
		let listen_ip = if self.external { Ipv4Addr::UNSPECIFIED } else { Ipv4Addr::LOCALHOST };
		let (_, guard) = crate::eth_rpc_guard::Guard {
			listen: SocketAddr::from((listen_ip, self.port)),
			adapter_port: adapter_port.clone(),
			chain_id: zerog_primitives::units::EVM_CHAIN_ID,
			cors_any: self.cors_any,
			limits: Default::default(),
		}
		.bind()
		.map_err(|error| {
			std::io::Error::new(
				error.kind(),
				format!("cannot serve the Ethereum JSON-RPC on port {}: {error}", self.port),
			)
		})?;
		tasks.spawn("eth-rpc-guard", Some("eth-rpc"), guard);
		log::info!(
			target: LOG_TARGET,
			"🦊 Ethereum JSON-RPC on port {} (chain id {})",
			self.port,
			zerog_primitives::units::EVM_CHAIN_ID,
		);
		thread::Builder::new().name("eth-rpc-supervisor".into()).spawn(move || loop {
			match self.run_once(&executable, adapter_port.load(Ordering::Relaxed)) {
				Ok(status) => log::error!(
					target: LOG_TARGET,
					"The Ethereum JSON-RPC stopped ({status}); restarting it in {}s",
					RESTART_DELAY.as_secs(),
				),
				Err(error) => log::error!(
					target: LOG_TARGET,
					"Cannot start the Ethereum JSON-RPC ({error}); retrying in {}s",
					RESTART_DELAY.as_secs(),
				),
			}
			thread::sleep(RESTART_DELAY);
			match crate::eth_rpc_guard::free_loopback_port() {
				Ok(port) => adapter_port.store(port, Ordering::Relaxed),
				Err(error) => log::warn!(
					target: LOG_TARGET,
					"No new port for the Ethereum JSON-RPC adapter ({error}); keeping the last one",
				),
			}
		})?;
		Ok(())
	}

	fn run_once(&self, executable: &PathBuf, adapter_port: u16) -> std::io::Result<ExitStatus> {
		let mut command = Command::new(executable);
		command.args(&self.args).arg(format!("--rpc-port={adapter_port}"));
		#[cfg(target_os = "linux")]
		{
			use std::os::unix::process::CommandExt;
			// SAFETY: `prctl` is async-signal-safe and touches no memory of the parent.
			unsafe {
				command.pre_exec(|| {
					if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM) != 0 {
						return Err(std::io::Error::last_os_error());
					}
					Ok(())
				});
			}
		}
		command.spawn()?.wait()
	}
}

/// Where the adapter keeps its receipt index: beside the node's chain database.
fn eth_rpc_base_path(base_path: &BasePath) -> PathBuf {
	base_path.path().join("eth-rpc")
}
