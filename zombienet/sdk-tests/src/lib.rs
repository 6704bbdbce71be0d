//! Helpers for the zombienet-sdk scenarios in `tests/`: the four-validator network of
//! `chain-specs/local.json` on the native provider, the node binary of the workspace, and what
//! zombienet-sdk has no call for (kill -9 of one node, reading its start-up log).

use std::{
	path::{Path, PathBuf},
	time::{Duration, Instant},
};

use anyhow::{anyhow, bail, Context};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use zerog_test_ports::reserve_port;
use zombienet_sdk::{LocalFileSystem, Network, NetworkConfig, NetworkConfigBuilder, NetworkNode};

/// The four validators of `chain-specs/local.json`; zombienet gives each the dev seed of its
/// capitalised name (`//Alice`, ...), which are the spec's Aura and GRANDPA authorities.
pub const VALIDATORS: [&str; 4] = ["alice", "bob", "charlie", "dave"];

/// The Prometheus gauge of the best block.
pub const BEST: &str = "substrate_block_height{status=\"best\"}";
/// The Prometheus gauge of the finalized block.
pub const FINALIZED: &str = "substrate_block_height{status=\"finalized\"}";
/// Blocks the node built as the author of a slot.
pub const AUTHORED: &str = "substrate_proposer_block_constructed_count";

/// The repository's root (this crate lives in `zombienet/sdk-tests`). `cargo test` sets
/// `CARGO_MANIFEST_DIR` when it runs a test; that wins over the path compiled in, which may be
/// another checkout's (the build cache is shared).
pub fn repo_root() -> PathBuf {
	std::env::var_os("CARGO_MANIFEST_DIR")
		.map(PathBuf::from)
		.unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
		.join("../..")
		.canonicalize()
		.expect("repository root")
}

/// The `zerog-node` binary the scenarios run: `ZEROG_NODE`, else the release build in
/// `CARGO_TARGET_DIR` (default `~/.cache/zerog/target`, as `tests/run.sh` builds it).
pub fn node_binary() -> anyhow::Result<PathBuf> {
	let path = match std::env::var_os("ZEROG_NODE") {
		Some(path) => PathBuf::from(path),
		None => {
			let target =
				std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| {
					PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
						.join(".cache/zerog/target")
				});
			target.join("release/zerog-node")
		},
	};
	// zombienet starts each node in its own directory: the path must be absolute.
	let path = path.canonicalize().with_context(|| {
		format!(
			"{} not found: build it with `cargo build --release --workspace --all-targets` or set \
			 ZEROG_NODE",
			path.display()
		)
	})?;
	Ok(path)
}

/// The network: the four validators of `chain-specs/local.json` (a raw spec, used as is), all
/// with off-chain workers and the storage data plane off (they have nothing to do here), in
/// `base_dir`.
///
/// Every port is reserved (`zerog-test-ports`): zombienet's own choice is a port of the
/// kernel's ephemeral range, which any outgoing connection of the other nodes can take while a
/// node is down, and a restarted node would then not get its RPC port back.
pub fn four_validators(base_dir: &Path) -> anyhow::Result<NetworkConfig> {
	let node = node_binary()?;
	let node = node.to_str().ok_or_else(|| anyhow!("node path is not UTF-8"))?.to_owned();
	let spec = repo_root().join("chain-specs/local.json");
	let (first, rest) = VALIDATORS.split_first().expect("four validators");
	NetworkConfigBuilder::new()
		.with_relaychain(|chain| {
			let chain = chain
				.with_chain("zerog-local")
				.with_default_command(node.as_str())
				.with_chain_spec_path(spec.clone())
				// No storage data plane: nothing here stores files, and four nodes on one host
				// would all want its default port.
				.with_default_args(vec![
					("--offchain-worker", "never").into(),
					"--no-storage-server".into(),
				])
				.with_validator(|validator| {
					validator
						.with_name(*first)
						.with_rpc_port(reserve_port())
						.with_p2p_port(reserve_port())
						.with_prometheus_port(reserve_port())
				});
			rest.iter().fold(chain, |chain, name| {
				chain.with_validator(|validator| {
					validator
						.with_name(*name)
						.with_rpc_port(reserve_port())
						.with_p2p_port(reserve_port())
						.with_prometheus_port(reserve_port())
				})
			})
		})
		.with_global_settings(|settings| {
			settings
				.with_base_dir(base_dir)
				// Otherwise a watcher ends the whole test process with exit(1) when a node the
				// test killed on purpose stops answering.
				.with_tear_down_on_failure(false)
				.with_node_spawn_timeout(180)
				.with_network_spawn_timeout(600)
		})
		.build()
		.map_err(|errors| anyhow!("network configuration: {errors:?}"))
}

/// Spawns the network in a fresh directory under the system's temporary directory.
pub async fn spawn_four_validators(test: &str) -> anyhow::Result<Network<LocalFileSystem>> {
	let base_dir =
		std::env::temp_dir().join(format!("zerog-zombienet-{test}-{}", std::process::id()));
	let _ = std::fs::remove_dir_all(&base_dir);
	let network = zombienet_sdk::NetworkConfigExt::spawn_native(four_validators(&base_dir)?)
		.await
		.map_err(|error| anyhow!("spawning the network in {}: {error}", base_dir.display()))?;
	println!("network up in {}", base_dir.display());
	Ok(network)
}

/// A metric of `node`, as a block number (0 while the node does not report it).
pub async fn metric(node: &NetworkNode, name: &str) -> anyhow::Result<u64> {
	let value =
		node.reports(name).await.with_context(|| format!("{}: metric {name}", node.name()))?;
	Ok(value as u64)
}

/// Waits until `check` holds for `node`'s metric `name`, polling every second for `timeout`.
pub async fn wait_metric(
	node: &NetworkNode,
	name: &str,
	what: &str,
	timeout: Duration,
	check: impl Fn(u64) -> bool,
) -> anyhow::Result<u64> {
	let deadline = Instant::now() + timeout;
	loop {
		// A node that is restarting has no metrics endpoint for a moment.
		if let Ok(value) = metric(node, name).await {
			if check(value) {
				return Ok(value);
			}
		}
		if Instant::now() > deadline {
			let last = metric(node, name).await.ok();
			bail!("{}: {what} not seen within {timeout:?} ({name} is {last:?})", node.name());
		}
		tokio::time::sleep(Duration::from_secs(1)).await;
	}
}

/// Waits until `node` answers a JSON-RPC `system_health` on its RPC port and returns how long
/// that took; fails after `timeout`.
pub async fn wait_rpc(node: &NetworkNode, timeout: Duration) -> anyhow::Result<Duration> {
	let port: u16 = node
		.ws_uri()
		.rsplit(':')
		.next()
		.and_then(|port| port.trim_end_matches('/').parse().ok())
		.with_context(|| format!("{}: no port in {}", node.name(), node.ws_uri()))?;
	let started = Instant::now();
	loop {
		if system_health(port).await.is_ok() {
			return Ok(started.elapsed());
		}
		if started.elapsed() > timeout {
			bail!("{}: no RPC answer on port {port} within {timeout:?}", node.name());
		}
		tokio::time::sleep(Duration::from_millis(100)).await;
	}
}

/// One `system_health` request over plain HTTP; succeeds when the answer has a result.
async fn system_health(port: u16) -> anyhow::Result<()> {
	let body = r#"{"jsonrpc":"2.0","id":1,"method":"system_health","params":[]}"#;
	let exchange = async {
		let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port)).await?;
		let request = format!(
			"POST / HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
			 Content-Length: {}\r\n\r\n{body}",
			body.len()
		);
		stream.write_all(request.as_bytes()).await?;
		let mut response = String::new();
		stream.read_to_string(&mut response).await?;
		anyhow::Ok(response)
	};
	let response = tokio::time::timeout(Duration::from_secs(5), exchange).await??;
	if response.contains("\"result\"") {
		Ok(())
	} else {
		bail!("no result in {response}")
	}
}

/// Kills `node`'s process with SIGKILL, as a crash or an OOM kill would: no shutdown, no flush.
/// zombienet-sdk only stops nodes gracefully or restarts them, so the process is found by the
/// `--base-path` zombienet gave it.
pub fn kill_9(node: &NetworkNode) -> anyhow::Result<()> {
	let data = node.base_dir().join("data");
	let data = data.to_str().ok_or_else(|| anyhow!("base path is not UTF-8"))?;
	let mut killed = 0;
	for entry in std::fs::read_dir("/proc")? {
		let Ok(pid) = entry?.file_name().to_string_lossy().parse::<i32>() else { continue };
		let Ok(cmdline) = std::fs::read(format!("/proc/{pid}/cmdline")) else { continue };
		let args: Vec<&[u8]> = cmdline.split(|byte| *byte == 0).collect();
		let is_node =
			args.windows(2).any(|pair| pair[0] == b"--base-path" && pair[1] == data.as_bytes());
		if is_node {
			let status =
				std::process::Command::new("kill").args(["-9", &pid.to_string()]).status()?;
			if !status.success() {
				bail!("kill -9 {pid} ({}) failed", node.name());
			}
			killed += 1;
		}
	}
	if killed != 1 {
		bail!("{}: expected one process with --base-path {data}, killed {killed}", node.name());
	}
	Ok(())
}

/// The best block `node` read from its own database at its latest start (the sc-service line
/// `Highest known block at #N`, logged before the network is polled), waiting for the line of a
/// start that happened after its log was `log_len_before` bytes long.
pub async fn best_at_startup(
	node: &NetworkNode,
	log_len_before: usize,
	timeout: Duration,
) -> anyhow::Result<u64> {
	const LINE: &str = "Highest known block at #";
	let deadline = Instant::now() + timeout;
	loop {
		let log = node.logs().await.unwrap_or_default();
		// The log of the new run is appended, or replaces the old one.
		let run = log.get(log_len_before..).unwrap_or(&log);
		if let Some(at) = run.rfind(LINE) {
			let digits: String =
				run[at + LINE.len()..].chars().take_while(char::is_ascii_digit).collect();
			return digits.parse().with_context(|| format!("{}: `{LINE}{digits}`", node.name()));
		}
		if Instant::now() > deadline {
			bail!("{}: no `{LINE}` line after its restart within {timeout:?}", node.name());
		}
		tokio::time::sleep(Duration::from_millis(500)).await;
	}
}
