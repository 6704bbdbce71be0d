//! Harness for the end-to-end tests: starts real `zerog-node` processes on reserved ports, with
//! their own temporary databases, and talks to them over JSON-RPC.
//!
//! Three rules keep parallel tests from disturbing each other:
//! - ports come from [`reserve_port`]: outside the kernel's ephemeral range and locked for the
//!   test process, so no other test, no helper process and no outgoing connection can hold a
//!   node's port when it starts (the node refuses to start on a taken `--rpc-port` instead of
//!   moving elsewhere);
//! - a node counts as started once its RPC answers a JSON-RPC call, not once its port accepts a
//!   TCP connection;
//! - each node has one RPC connection ([`Node::rpc`], [`Node::client`]), as a real client would,
//!   instead of a new WebSocket handshake for every poll.
//!
//! The node binary is the one `cargo build --release -p zerog-node` put next to the test
//! binaries (`$CARGO_TARGET_DIR/release/zerog-node`); `ZEROG_NODE_BIN` overrides it.

pub mod cli;
pub mod da;
pub mod events;
pub mod governance;
pub mod http;
pub mod process;
pub mod storage;

use std::{
	ffi::OsString,
	fs::{File, OpenOptions},
	io::{Read, Write},
	net::TcpStream,
	path::{Path, PathBuf},
	process::{Child, Command, Output, Stdio},
	time::{Duration, Instant},
};

use serde_json::Value;
use subxt::{
	rpcs::{rpc_params, RpcClient},
	OnlineClient, PolkadotConfig,
};
use tokio::sync::Mutex as AsyncMutex;
pub use zerog_test_ports::reserve_port;

/// How long a node may take to answer RPC after start.
pub const STARTUP_TIMEOUT: Duration = Duration::from_secs(60);

/// How long one readiness probe waits for an answer.
const PROBE_TIMEOUT: Duration = Duration::from_secs(5);

/// The next release's runtime: this source built with the `try-runtime` and `next-spec-version`
/// features (`runtime/try-runtime.sh`, which `tests/run.sh` runs before the tests and whose
/// path it exports as `ZEROG_TRY_RUNTIME_WASM`). try-runtime checks it against a snapshot and
/// the upgrade test enacts it on a running network.
pub fn next_runtime_wasm() -> PathBuf {
	if let Some(path) = std::env::var_os("ZEROG_TRY_RUNTIME_WASM") {
		return path.into();
	}
	let target =
		std::env::var_os("ZEROG_TRY_RUNTIME_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| {
			PathBuf::from(std::env::var_os("HOME").expect("HOME is set"))
				.join(".cache/zerog/try-runtime-target")
		});
	let wasm = target.join("release/wbuild/zerog-runtime/zerog_runtime.compact.compressed.wasm");
	assert!(
		wasm.exists(),
		"{} is missing: build it with runtime/try-runtime.sh (tests/run.sh does)",
		wasm.display()
	);
	wasm
}

/// Path of the `zerog-node` binary under test.
pub fn node_binary() -> PathBuf {
	if let Ok(path) = std::env::var("ZEROG_NODE_BIN") {
		return PathBuf::from(path);
	}
	// Test binaries live in `<target>/release/deps/`; the node is in `<target>/release/`.
	let exe = std::env::current_exe().expect("the test binary has a path");
	let release_dir =
		exe.parent().and_then(Path::parent).expect("test binary is in <target>/<profile>/deps");
	let node = release_dir.join("zerog-node");
	assert!(
		node.exists(),
		"{} does not exist: build it with `cargo build --release -p zerog-node` (the README's \
		 test command does) or point ZEROG_NODE_BIN at it",
		node.display()
	);
	node
}

/// Path of the `zerog` client under test: the one the workspace build put next to the node
/// (`$CARGO_TARGET_DIR/release/zerog`); `ZEROG_CLI_BIN` overrides it.
pub fn cli_binary() -> PathBuf {
	workspace_binary("zerog", "ZEROG_CLI_BIN")
}

/// Path of the `zerog-executor` under test (a compute provider's job runner and inference
/// gateway); `ZEROG_EXECUTOR_BIN` overrides it.
pub fn executor_binary() -> PathBuf {
	workspace_binary("zerog-executor", "ZEROG_EXECUTOR_BIN")
}

/// Path of the `zerog-da-server` under test (the OP Stack Alt-DA server);
/// `ZEROG_DA_SERVER_BIN` overrides it.
pub fn da_server_binary() -> PathBuf {
	workspace_binary("zerog-da-server", "ZEROG_DA_SERVER_BIN")
}

/// The workspace binary `name` that the build put next to the node
/// (`$CARGO_TARGET_DIR/release/<name>`), or the path in the environment variable `overridden_by`.
fn workspace_binary(name: &str, overridden_by: &str) -> PathBuf {
	if let Ok(path) = std::env::var(overridden_by) {
		return PathBuf::from(path);
	}
	let exe = std::env::current_exe().expect("the test binary has a path");
	let release_dir =
		exe.parent().and_then(Path::parent).expect("test binary is in <target>/<profile>/deps");
	let binary = release_dir.join(name);
	assert!(
		binary.exists(),
		"{} does not exist: build it with `cargo build --release --workspace --all-targets` (the \
		 README's test command does) or point {overridden_by} at it",
		binary.display()
	);
	binary
}

/// The Python 3 (with numpy) that runs the compute tests' jobs inside the executor's sandbox,
/// which sees only `/usr` and the paths passed as `--job-ro-path`: the real path of the
/// interpreter first on `PATH` (a pyenv shim or a virtual environment resolved) and the
/// directories it needs (its prefixes and numpy's), as a provider would mount its own
/// environment.
pub fn sandboxed_python() -> (PathBuf, Vec<PathBuf>) {
	let script = "import os, sys, numpy; \
		print(os.path.realpath(sys.executable)); \
		[print(os.path.realpath(path)) for path in \
		{sys.prefix, sys.base_prefix, os.path.dirname(os.path.dirname(numpy.__file__))}]";
	let output = Command::new("python3").args(["-c", script]).output().expect("python3 runs");
	assert!(
		output.status.success(),
		"python3 with numpy: {}",
		String::from_utf8_lossy(&output.stderr)
	);
	let text = String::from_utf8(output.stdout).expect("paths are UTF-8");
	let mut lines = text.lines().map(PathBuf::from);
	let interpreter = lines.next().expect("the interpreter's path");
	let mut paths: Vec<PathBuf> = lines.collect();
	paths.sort();
	paths.dedup();
	// A path inside another is bound with it.
	let outer: Vec<PathBuf> = paths
		.iter()
		.filter(|path| !paths.iter().any(|other| other != *path && path.starts_with(other)))
		.cloned()
		.collect();
	(interpreter, outer)
}

/// Runs the `zerog` client with `args` to completion.
pub fn run_cli(args: &[&str]) -> Output {
	Command::new(cli_binary()).args(args).stdin(Stdio::null()).output().expect("zerog starts")
}

/// The workspace root, for files such as `chain-specs/local.json`.
///
/// `cargo test` sets `CARGO_MANIFEST_DIR` when it runs a test, and that wins over the path
/// compiled in: test binaries in the shared build cache may have been built in another checkout.
pub fn workspace_root() -> PathBuf {
	let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
		.map(PathBuf::from)
		.unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
	manifest_dir.parent().expect("tests/ is in the workspace").to_path_buf()
}

/// Runs `zerog-node` with `args` to completion (for subcommands and bad-input checks).
pub fn run_node_command(args: &[&str]) -> Output {
	Command::new(node_binary()).args(args).stdin(Stdio::null()).output().expect("zerog-node starts")
}

/// A running `zerog-node` process, killed when dropped.
pub struct Node {
	/// Name for messages (`alice`, `dev`, ...).
	pub name: String,
	child: Child,
	/// JSON-RPC port (WebSocket and HTTP).
	pub rpc_port: u16,
	/// libp2p port.
	pub p2p_port: u16,
	/// Prometheus port.
	pub prometheus_port: u16,
	/// Port of the storage data plane.
	pub storage_port: u16,
	/// Ethereum JSON-RPC port (dev nodes only).
	pub eth_rpc_port: Option<u16>,
	log_path: PathBuf,
	/// The arguments the node was started with, for [`Node::restart`].
	command_line: Vec<OsString>,
	/// The one RPC connection of the test to this node, opened on first use.
	rpc_client: AsyncMutex<Option<RpcClient>>,
	/// The subxt client on that connection, built on first use.
	subxt_client: AsyncMutex<Option<OnlineClient<PolkadotConfig>>>,
	_base_dir: tempfile::TempDir,
}

/// What to start: a chain and the extra flags of one node.
pub struct NodeConfig {
	/// Name for messages and log files.
	pub name: String,
	/// `--chain` value; `None` means `--dev`.
	pub chain: Option<String>,
	/// Extra flags such as `--alice` or `--bootnodes ...`.
	pub extra_args: Vec<String>,
	/// Keep the database in this directory instead of a throw-away one.
	pub base_path: Option<PathBuf>,
}

impl NodeConfig {
	/// A `--dev` node.
	pub fn dev(name: &str) -> Self {
		Self { name: name.into(), chain: None, extra_args: vec![], base_path: None }
	}

	/// A node of the chain `chain` (a built-in name or a chain-spec path).
	pub fn chain(name: &str, chain: &str) -> Self {
		Self { name: name.into(), chain: Some(chain.into()), extra_args: vec![], base_path: None }
	}

	/// Adds command-line flags.
	pub fn args<I: IntoIterator<Item = S>, S: Into<String>>(mut self, args: I) -> Self {
		self.extra_args.extend(args.into_iter().map(Into::into));
		self
	}
}

impl Node {
	/// Starts a node and waits until its RPC answers.
	pub fn start(config: NodeConfig) -> Node {
		let rpc_port = reserve_port();
		let p2p_port = reserve_port();
		let prometheus_port = reserve_port();
		let storage_port = reserve_port();
		let base_dir = tempfile::Builder::new()
			.prefix(&format!("zerog-e2e-{}-", config.name))
			.tempdir()
			.expect("temp dir is writable");
		let base_path = config.base_path.clone().unwrap_or_else(|| base_dir.path().join("db"));
		let log_path = base_dir.path().join("node.log");
		let log = File::create(&log_path).expect("log file is writable");

		let mut command = Command::new(node_binary());
		match &config.chain {
			None => command.arg("--dev"),
			Some(chain) => command.args(["--chain", chain]),
		};
		// A dev node serves the Ethereum JSON-RPC; give it a free port instead of 8545 so
		// tests can run side by side.
		// (`--chain dev` is a development chain too, and would take 8545 as well.)
		// Another chain's node serves it when the test asks with `--eth-rpc-port`.
		let asked_port = config
			.extra_args
			.iter()
			.position(|arg| arg == "--eth-rpc-port")
			.and_then(|at| config.extra_args.get(at + 1)?.parse().ok());
		let eth_rpc_port = asked_port.or_else(|| {
			(config.chain.as_deref().is_none_or(|chain| chain == "dev")
				&& !config.extra_args.iter().any(|arg| arg == "--no-eth-rpc"))
			.then(reserve_port)
		});
		if let (Some(port), None) = (eth_rpc_port, asked_port) {
			command.args(["--eth-rpc-port", &port.to_string()]);
		}
		command
			.arg("--base-path")
			.arg(&base_path)
			.args(["--rpc-port", &rpc_port.to_string()])
			.args(["--port", &p2p_port.to_string()])
			.args(["--prometheus-port", &prometheus_port.to_string()])
			.args(["--storage-port", &storage_port.to_string()])
			.args(["--no-mdns", "--no-telemetry", "--rpc-cors", "all"])
			.args(["--name", &config.name])
			.args(&config.extra_args)
			.stdin(Stdio::null())
			.stdout(log.try_clone().expect("log handle clones"))
			.stderr(log);
		let command_line = command.get_args().map(OsString::from).collect();
		let child = command.spawn().expect("zerog-node starts");

		let mut node = Node {
			name: config.name,
			child,
			rpc_port,
			p2p_port,
			prometheus_port,
			storage_port,
			eth_rpc_port,
			log_path,
			command_line,
			rpc_client: AsyncMutex::new(None),
			subxt_client: AsyncMutex::new(None),
			_base_dir: base_dir,
		};
		node.wait_for_rpc();
		node
	}

	/// Kills the node (SIGKILL) if it still runs and starts it again with the same command line:
	/// the same ports, node key and base path, so the same database and keystore. The log goes
	/// on in the same file, after a `restarted by the test` line. Waits until the RPC answers
	/// and returns how long that took from the start of the new process.
	pub fn restart(&mut self) -> Duration {
		self.kill();
		let mut log = OpenOptions::new().append(true).open(&self.log_path).expect("log file opens");
		writeln!(log, "----- {} restarted by the test -----", self.name).unwrap();
		self.child = Command::new(node_binary())
			.args(&self.command_line)
			.stdin(Stdio::null())
			.stdout(log.try_clone().expect("log handle clones"))
			.stderr(log)
			.spawn()
			.expect("zerog-node starts");
		self.wait_for_rpc()
	}

	/// Like [`Node::restart`], with `extra` flags added to the command line from now on (a
	/// flag the node was started with cannot be given again).
	pub fn restart_with(&mut self, extra: &[&str]) -> Duration {
		self.command_line.extend(extra.iter().map(OsString::from));
		self.restart()
	}

	/// Waits until the node answers `system_health` on its RPC port (HTTP, one request per
	/// probe); returns how long that took. Panics with the log when the process exits or
	/// [`STARTUP_TIMEOUT`] passes.
	fn wait_for_rpc(&mut self) -> Duration {
		let started = Instant::now();
		let mut last_error = String::from("no answer yet");
		while started.elapsed() < STARTUP_TIMEOUT {
			if let Ok(Some(status)) = self.child.try_wait() {
				panic!("node {} exited early with {status}:\n{}", self.name, self.log_tail());
			}
			match http_json_rpc(self.rpc_port, "system_health", Value::Array(vec![])) {
				Ok(answer) if answer.get("result").is_some() => return started.elapsed(),
				Ok(answer) => last_error = format!("answered {answer}"),
				Err(error) => last_error = error.to_string(),
			}
			std::thread::sleep(Duration::from_millis(100));
		}
		panic!(
			"node {} did not answer RPC within {STARTUP_TIMEOUT:?} ({last_error}):\n{}",
			self.name,
			self.log_tail()
		);
	}

	/// The node's storage data plane (binary segments over HTTP), the endpoint a storage
	/// provider registers.
	pub fn storage_url(&self) -> String {
		format!("http://127.0.0.1:{}", self.storage_port)
	}

	/// The node's data store directory for the chain with id `chain_id` (`zerog_dev` for `--dev`
	/// and `--chain dev`): what a test deletes to play a provider that lost its data.
	pub fn data_store_dir(&self, chain_id: &str) -> PathBuf {
		let base = self
			.command_line
			.windows(2)
			.find(|pair| pair[0] == "--base-path")
			.map(|pair| PathBuf::from(&pair[1]))
			.expect("every node is started with --base-path");
		base.join("chains").join(chain_id).join("zerog-data")
	}

	/// The node's WebSocket RPC URL.
	pub fn ws_url(&self) -> String {
		format!("ws://127.0.0.1:{}", self.rpc_port)
	}

	/// The last lines of the node's log, for failure messages.
	pub fn log_tail(&self) -> String {
		let mut text = String::new();
		if let Ok(mut file) = File::open(&self.log_path) {
			let _ = file.read_to_string(&mut text);
		}
		let lines: Vec<&str> = text.lines().collect();
		lines[lines.len().saturating_sub(40)..].join("\n")
	}

	/// The node's whole log so far (every run of it, see [`Node::restart`]).
	pub fn log_text(&self) -> String {
		std::fs::read_to_string(&self.log_path).unwrap_or_default()
	}

	/// Whether the node's whole log so far contains `needle`.
	pub fn log_contains(&self, needle: &str) -> bool {
		std::fs::read_to_string(&self.log_path).is_ok_and(|log| log.contains(needle))
	}

	/// The test's JSON-RPC client of this node: one WebSocket connection, opened on first use
	/// and shared by every call (clones share it).
	pub async fn rpc(&self) -> RpcClient {
		let mut client = self.rpc_client.lock().await;
		if client.is_none() {
			let connected =
				RpcClient::from_insecure_url(self.ws_url()).await.unwrap_or_else(|error| {
					panic!("node {}: RPC connects: {error}\n{}", self.name, self.log_tail())
				});
			*client = Some(connected);
		}
		client.clone().expect("connected above")
	}

	/// A subxt client on the node's one RPC connection (metadata fetched once).
	pub async fn client(&self) -> OnlineClient<PolkadotConfig> {
		let mut client = self.subxt_client.lock().await;
		if client.is_none() {
			let built = OnlineClient::<PolkadotConfig>::from_rpc_client(self.rpc().await)
				.await
				.unwrap_or_else(|error| {
					panic!("node {}: subxt client: {error}\n{}", self.name, self.log_tail())
				});
			*client = Some(built);
		}
		client.clone().expect("built above")
	}

	/// A subxt client on a connection of its own, for a test that needs to compare two views
	/// or to drop a connection on purpose.
	pub async fn new_client(&self) -> OnlineClient<PolkadotConfig> {
		OnlineClient::<PolkadotConfig>::from_insecure_url(self.ws_url())
			.await
			.expect("subxt connects")
	}

	/// The best block number.
	pub async fn best_number(&self) -> u32 {
		let header: Value =
			self.rpc().await.request("chain_getHeader", rpc_params![]).await.unwrap();
		block_number(&header)
	}

	/// The finalized block number.
	pub async fn finalized_number(&self) -> u32 {
		let rpc = self.rpc().await;
		let hash: Value = rpc.request("chain_getFinalizedHead", rpc_params![]).await.unwrap();
		let header: Value = rpc.request("chain_getHeader", rpc_params![hash]).await.unwrap();
		block_number(&header)
	}

	/// Number of connected peers.
	pub async fn peers(&self) -> u64 {
		let health: Value = self.rpc().await.request("system_health", rpc_params![]).await.unwrap();
		health["peers"].as_u64().expect("system_health has peers")
	}

	/// The node's libp2p address, for other nodes' `--bootnodes`.
	pub async fn multiaddr(&self) -> String {
		let peer_id: Value =
			self.rpc().await.request("system_localPeerId", rpc_params![]).await.unwrap();
		format!("/ip4/127.0.0.1/tcp/{}/p2p/{}", self.p2p_port, peer_id.as_str().unwrap())
	}

	/// Waits until `condition` holds for this node, polling every 500 ms (and at least once, even
	/// with a zero `timeout`).
	pub async fn wait_until<F, Fut>(&self, what: &str, timeout: Duration, condition: F)
	where
		F: Fn() -> Fut,
		Fut: std::future::Future<Output = bool>,
	{
		let started = Instant::now();
		loop {
			if condition().await {
				return;
			}
			if started.elapsed() >= timeout {
				panic!(
					"node {}: {what} not seen within {timeout:?}:\n{}",
					self.name,
					self.log_tail()
				);
			}
			tokio::time::sleep(Duration::from_millis(500)).await;
		}
	}

	/// Waits until the best block is at least `number`.
	pub async fn wait_for_best(&self, number: u32, timeout: Duration) {
		self.wait_until(&format!("best block #{number}"), timeout, || async {
			self.best_number().await >= number
		})
		.await
	}

	/// Waits until the finalized block is at least `number`.
	pub async fn wait_for_finalized(&self, number: u32, timeout: Duration) {
		self.wait_until(&format!("finalized block #{number}"), timeout, || async {
			self.finalized_number().await >= number
		})
		.await
	}

	/// Fetches `path` from the node's Prometheus endpoint over plain HTTP.
	pub fn prometheus_get(&self, path: &str) -> String {
		let mut stream = TcpStream::connect(("127.0.0.1", self.prometheus_port))
			.expect("prometheus port is open");
		stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
		write!(stream, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
		let mut response = String::new();
		stream.read_to_string(&mut response).expect("prometheus answers");
		response
	}

	/// The value of the Prometheus metric `name` (the sum over its label sets; `None` when the
	/// node does not report it), e.g. `substrate_proposer_block_constructed_count`.
	pub fn prometheus_metric(&self, name: &str) -> Option<f64> {
		let text = self.prometheus_get("/metrics");
		let values: Vec<f64> = text
			.lines()
			.filter_map(|line| {
				let rest = line.strip_prefix(name)?;
				let value = match rest.chars().next()? {
					' ' => rest,
					'{' => &rest[rest.find('}')? + 1..],
					_ => return None,
				};
				value.split_whitespace().next()?.parse().ok()
			})
			.collect();
		(!values.is_empty()).then(|| values.iter().sum())
	}

	/// Sends an Ethereum JSON-RPC request to the node's Ethereum RPC port over plain HTTP and
	/// returns the response object (`result` or `error`), or the I/O error when nothing answers.
	pub fn eth_request(&self, method: &str, params: Value) -> std::io::Result<Value> {
		let port = self.eth_rpc_port.expect("this node serves the Ethereum RPC");
		http_json_rpc(port, method, params)
	}

	/// Stops (`SIGSTOP`) or continues (`SIGCONT`) the process, as a node that hangs for a while
	/// and then goes on from where it was (its votes then disagree with its twin's).
	pub fn set_paused(&self, paused: bool) {
		let signal = if paused { "-STOP" } else { "-CONT" };
		let status = Command::new("kill")
			.args([signal, &self.child.id().to_string()])
			.status()
			.expect("kill runs");
		assert!(status.success(), "kill {signal} {} ({}) failed", self.child.id(), self.name);
	}

	/// Kills the process (SIGKILL) and waits for it. The test's connection to it is dropped;
	/// the next [`Node::rpc`] after a [`Node::restart`] opens a new one.
	pub fn kill(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
		*self.rpc_client.get_mut() = None;
		*self.subxt_client.get_mut() = None;
	}
}

impl Drop for Node {
	fn drop(&mut self) {
		self.kill();
	}
}

/// One JSON-RPC request over plain HTTP/1.0 to `127.0.0.1:port`: the response object (`result`
/// or `error`), or the I/O error when nothing answers within [`PROBE_TIMEOUT`].
pub fn http_json_rpc(port: u16, method: &str, params: Value) -> std::io::Result<Value> {
	let body = serde_json::json!({ "jsonrpc": "2.0", "id": 1, "method": method, "params": params })
		.to_string();
	let address = std::net::SocketAddr::from(([127, 0, 0, 1], port));
	let mut stream = TcpStream::connect_timeout(&address, PROBE_TIMEOUT)?;
	stream.set_read_timeout(Some(PROBE_TIMEOUT))?;
	write!(
		stream,
		"POST / HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
		 Content-Length: {}\r\n\r\n{body}",
		body.len()
	)?;
	let mut response = String::new();
	stream.read_to_string(&mut response)?;
	let json = response.split("\r\n\r\n").nth(1).unwrap_or_default();
	serde_json::from_str(json).map_err(std::io::Error::other)
}

/// Parses the hex block number of a JSON header.
pub fn block_number(header: &Value) -> u32 {
	let hex = header["number"].as_str().expect("header has a number");
	u32::from_str_radix(hex.trim_start_matches("0x"), 16).expect("number is hex")
}
