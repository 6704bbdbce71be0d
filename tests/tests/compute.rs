//! The compute marketplace end to end, on a real `zerog-node --dev` whose compute off-chain
//! worker dispatches to a real `zerog-executor`, driven by the `zerog` client:
//!
//! - **Job**: Alice uploads a CSV dataset with `zerog storage upload` and creates a job for Bob's
//!   logistic-regression service with `zerog compute job create`. The node's worker (Bob's `zgcp`
//!   key, `--compute-executor`) dispatches it, the executor downloads the dataset, trains
//!   (`tests/compute/train_logreg.py`), stores the model and the worker submits the result. Alice
//!   accepts it; the model downloaded by its result root is byte for byte what the script makes
//!   of the CSV here; Bob gains exactly `fee_used` and Alice loses exactly `fee_used` plus her
//!   transaction fees.
//! - **Inference**: Alice funds Bob's sub-account; `zerog compute chat` gets the fake backend's
//!   answer through the executor's gateway and countersigns the metered receipt; the gateway
//!   settles it (`ReceiptsSettled`, outcome `Settled`): Alice's sub-account loses exactly the fee
//!   and Bob gains it (less the settlement's transaction fee).
//! - **Missed deadline**: a job of a service whose command fails is never answered; at its
//!   deadline Alice gets the whole escrow back and 10% of the service's stake is slashed.
//! - **Jobs the provider never agreed to** (issue 15): a 1-wei job on a dataset nobody stored
//!   is refused (`DatasetNotStored`), one below Bob's `zerog compute job terms` too
//!   (`FeeBelowMinimum`), and one on a dataset committed on chain whose bytes nobody has is
//!   declined by Bob's worker before its deadline: the escrow comes back, nothing is slashed.

use std::{
	io::{Read, Write},
	net::TcpStream,
	path::Path,
	process::Command,
	time::{Duration, Instant},
};

use serde_json::Value as Json;
use subxt::{
	dynamic::{self, At, Value},
	ext::codec::Decode,
	rpcs::rpc_params,
	OnlineClient, PolkadotConfig,
};
use subxt_signer::sr25519::dev;
use zerog_e2e_tests::{
	cli::{hex, output_text},
	events::{block_events, find_event, wait_for_event},
	executor_binary,
	process::Process,
	reserve_port, run_cli, sandboxed_python, workspace_root, Node, NodeConfig,
};

/// One ZG in the smallest unit.
const ZG: u128 = 1_000_000_000_000_000_000;

/// Blocks come every 2 s; allow for a slow, loaded CI machine.
const BLOCK_TIMEOUT: Duration = Duration::from_secs(60);

/// How long a job may take from creation to its result on chain: dispatch, a finalized job for
/// the executor to check, training, the output's commitment (finalized) and upload, the result.
const JOB_TIMEOUT: Duration = Duration::from_secs(420);

/// Stake of every service (the runtime's `MinServiceStake`).
const STAKE: u128 = 100 * ZG;

/// Price of an input token of the inference service (one micro-ZG).
const INPUT_PRICE: u128 = 1_000_000_000_000;

/// Price of an output token of the inference service.
const OUTPUT_PRICE: u128 = 2_000_000_000_000;

/// What the training job charges per second of compute (`--price-per-second`).
const PRICE_PER_SECOND: u128 = ZG / 1_000;

/// The runtime's `ComputeSlashFraction`: 10% of a service's stake per missed deadline.
const SLASH_PERCENT: u128 = 10;

/// `GET path` on `127.0.0.1:port` over plain HTTP/1.0: the status and the body.
fn http_get(port: u16, path: &str) -> std::io::Result<(u16, String)> {
	http_get_with(port, path, "")
}

/// `GET path` from the executor's job API on `port`, with its `token`.
fn jobs_get(port: u16, path: &str, token: &str) -> std::io::Result<(u16, String)> {
	http_get_with(port, path, &format!("Authorization: Bearer {token}\r\n"))
}

/// `GET path` with extra header lines (each ending in CRLF).
fn http_get_with(port: u16, path: &str, headers: &str) -> std::io::Result<(u16, String)> {
	let mut stream = TcpStream::connect(("127.0.0.1", port))?;
	stream.set_read_timeout(Some(Duration::from_secs(10)))?;
	write!(stream, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n{headers}\r\n")?;
	let mut response = String::new();
	stream.read_to_string(&mut response)?;
	let status = response
		.split_whitespace()
		.nth(1)
		.and_then(|code| code.parse().ok())
		.ok_or_else(|| std::io::Error::other(format!("no HTTP status in {response:?}")))?;
	let body = response.split("\r\n\r\n").nth(1).unwrap_or_default().to_owned();
	Ok((status, body))
}

/// 32 bytes from the system's random source.
fn rand_bytes() -> [u8; 32] {
	let mut bytes = [0u8; 32];
	std::fs::File::open("/dev/urandom").unwrap().read_exact(&mut bytes).unwrap();
	bytes
}

/// Polls `probe` every second until it returns `Some`, panicking with `diagnostics` after
/// `timeout`.
async fn eventually<T>(
	what: &str,
	timeout: Duration,
	diagnostics: impl Fn() -> String,
	mut probe: impl FnMut() -> Option<T>,
) -> T {
	let deadline = Instant::now() + timeout;
	loop {
		if let Some(value) = probe() {
			return value;
		}
		if Instant::now() >= deadline {
			panic!("timed out after {}s waiting for {what}\n{}", timeout.as_secs(), diagnostics());
		}
		tokio::time::sleep(Duration::from_secs(1)).await;
	}
}

/// Runs `zerog --rpc <node> args... --json` and parses its JSON, or returns the failed output.
fn zerog_try_json(node: &Node, args: &[&str]) -> Result<Json, String> {
	let url = node.ws_url();
	let mut all = vec!["--rpc", url.as_str()];
	all.extend_from_slice(args);
	all.push("--json");
	let output = run_cli(&all);
	if !output.status.success() {
		return Err(output_text(&output));
	}
	serde_json::from_slice(&output.stdout).map_err(|error| {
		format!("zerog {args:?} printed no JSON ({error}):\n{}", output_text(&output))
	})
}

/// A decimal-string amount of a JSON answer.
fn amount(json: &Json, field: &str) -> u128 {
	json[field]
		.as_str()
		.and_then(|text| text.parse().ok())
		.unwrap_or_else(|| panic!("`{field}` is not a decimal amount in {json}"))
}

/// `(free, reserved)` of `account` at block `number`.
async fn balances(
	api: &OnlineClient<PolkadotConfig>,
	account: [u8; 32],
	number: u32,
) -> (u128, u128) {
	let at = api.at_block(u64::from(number)).await.unwrap();
	let info = at
		.storage()
		.fetch(dynamic::storage::<([u8; 32],), Value>("System", "Account"), (account,))
		.await
		.unwrap()
		.decode()
		.unwrap();
	let data = info.at("data").expect("AccountInfo has data");
	let field = |name: &str| data.at(name).and_then(|value| value.as_u128()).unwrap();
	(field("free"), field("reserved"))
}

/// `SubAccounts(user, provider).balance` at block `number`.
async fn sub_account_balance(
	api: &OnlineClient<PolkadotConfig>,
	user: [u8; 32],
	provider: [u8; 32],
	number: u32,
) -> u128 {
	let at = api.at_block(u64::from(number)).await.unwrap();
	let address = dynamic::storage::<([u8; 32], [u8; 32]), Value>("ComputeEscrow", "SubAccounts");
	let sub = at.storage().fetch(address, (user, provider)).await.unwrap().decode().unwrap();
	sub.at("balance").and_then(|value| value.as_u128()).unwrap()
}

/// Transaction fees `who` paid in blocks `from..=to` (`TransactionPayment.TransactionFeePaid`).
async fn fees_paid(api: &OnlineClient<PolkadotConfig>, who: [u8; 32], from: u32, to: u32) -> u128 {
	let mut total = 0;
	for number in from..=to {
		for (pallet, name, fields) in block_events(api, number).await {
			if pallet == "TransactionPayment" && name == "TransactionFeePaid" {
				let (payer, fee, _tip) =
					<([u8; 32], u128, u128)>::decode(&mut &fields[..]).unwrap();
				if payer == who {
					total += fee;
				}
			}
		}
	}
	total
}

/// Storage rewards `who` earned in blocks `from..=to` (`StorageCommitments.ChallengeProven`):
/// Alice is the dev chain's storage provider, and proves challenges on the dataset she uploads.
async fn storage_rewards(
	api: &OnlineClient<PolkadotConfig>,
	who: [u8; 32],
	from: u32,
	to: u32,
) -> u128 {
	let mut total = 0;
	for number in from..=to {
		for (pallet, name, fields) in block_events(api, number).await {
			if pallet == "StorageCommitments" && name == "ChallengeProven" {
				let (provider, _period, _file, reward) =
					<([u8; 32], u32, u64, u128)>::decode(&mut &fields[..]).unwrap();
				if provider == who {
					total += reward;
				}
			}
		}
	}
	total
}

/// keccak256 of `data`.
fn keccak(data: &[u8]) -> [u8; 32] {
	use tiny_keccak::Hasher;
	let mut hasher = tiny_keccak::Keccak::v256();
	hasher.update(data);
	let mut hash = [0u8; 32];
	hasher.finalize(&mut hash);
	hash
}

/// A CSV with two features and a 0/1 label that depends on them (with a few exceptions), the
/// same every run.
fn dataset_csv() -> String {
	let mut csv = String::from("hours,score,passed\n");
	for i in 0..150u32 {
		let hours = f64::from(i * 37 % 101) / 10.0;
		let score = f64::from(i * 53 % 97) / 2.0;
		let mut passed = hours * 6.0 + score > 60.0;
		if i % 29 == 0 {
			passed = !passed;
		}
		csv.push_str(&format!("{hours:.1},{score:.1},{}\n", u8::from(passed)));
	}
	csv
}

/// What `train_logreg.py` writes for `dataset`, run here.
fn train_locally(script: &Path, dataset: &Path, dir: &Path) -> Vec<u8> {
	let output_dir = dir.join("local-output");
	std::fs::create_dir_all(&output_dir).unwrap();
	let output = Command::new("python3")
		.arg(script)
		.env("ZEROG_DATASET", dataset)
		.env("ZEROG_OUTPUT_DIR", &output_dir)
		.output()
		.expect("python3 runs");
	assert!(output.status.success(), "local training failed:\n{}", output_text(&output));
	std::fs::read(output_dir.join("output")).expect("the script writes its model")
}

/// Starts `tests/compute/fake_openai.py` on a free port; returns it and the port.
async fn start_fake_backend(dir: &Path) -> (Process, u16) {
	let port_file = dir.join("backend.port");
	let mut command = Command::new("python3");
	command
		.arg(workspace_root().join("tests/compute/fake_openai.py"))
		.args(["--port", "0", "--port-file"])
		.arg(&port_file);
	let log = dir.join("backend.log");
	let mut backend = Process::spawn("fake_openai.py", command, log.clone());
	let port = eventually(
		"the fake backend's port",
		BLOCK_TIMEOUT,
		|| format!("--- fake_openai.py ---\n{}", std::fs::read_to_string(&log).unwrap_or_default()),
		|| std::fs::read_to_string(&port_file).ok()?.trim().parse::<u16>().ok(),
	)
	.await;
	backend.assert_running();
	(backend, port)
}

#[tokio::test(flavor = "multi_thread")]
async fn jobs_and_inference_are_paid_through_the_executor_and_missed_deadlines_slashed() {
	let started = Instant::now();
	let dir = tempfile::tempdir().unwrap();
	let executor_port = reserve_port();
	let executor_url = format!("http://127.0.0.1:{executor_port}");
	// The job API: its own loopback port, and a token the node and the executor share.
	let jobs_port = reserve_port();
	let jobs_url = format!("http://127.0.0.1:{jobs_port}");
	let jobs_token = hex(&rand_bytes());
	let token_file = dir.path().join("jobs.token");
	std::fs::write(&token_file, &jobs_token).unwrap();
	std::fs::set_permissions(&token_file, std::os::unix::fs::PermissionsExt::from_mode(0o600))
		.unwrap();
	let node = Node::start(NodeConfig::dev("compute").args([
		"--no-eth-rpc",
		"--compute-executor",
		&jobs_url,
		"--compute-executor-token-file",
		token_file.to_str().unwrap(),
	]));
	node.wait_for_best(1, BLOCK_TIMEOUT).await;
	assert!(
		node.log_contains(&format!("compute jobs are dispatched to the executor at {jobs_url}")),
		"the node reports the executor URL it stored:\n{}",
		node.log_tail()
	);
	let api = node.client().await;
	let rpc = node.rpc().await;
	let (alice, bob) = (dev::alice().public_key().0, dev::bob().public_key().0);
	let bob_hex = hex(&bob);

	// Bob is the provider: his key is the node's `zgcp` key, and he registers three services
	// with the CLI (a training job, a job whose command fails, an inference gateway).
	let () =
		rpc.request("author_insertKey", rpc_params!["zgcp", "//Bob", hex(&bob)]).await.unwrap();
	let stake = STAKE.to_string();
	let register = |kind: &str, model: &str, input: u128, output: u128| -> u64 {
		let (input, output) = (input.to_string(), output.to_string());
		let registered = zerog_try_json(
			&node,
			&[
				"compute",
				"register",
				"--kind",
				kind,
				"--model",
				model,
				"--endpoint",
				&executor_url,
				"--input-price",
				&input,
				"--output-price",
				&output,
				"--stake",
				&stake,
				"--suri",
				"//Bob",
			],
		)
		.unwrap_or_else(|failure| panic!("register {model}: {failure}"));
		assert_eq!(amount(&registered, "stake"), STAKE, "{registered}");
		registered["service"].as_u64().expect("register prints the service id")
	};
	let training = register("job", "logistic-regression", 0, 0);
	let broken = register("job", "always-fails", 0, 0);
	let inference = register("inference", "zerog-test-model", INPUT_PRICE, OUTPUT_PRICE);
	let services = zerog_try_json(&node, &["compute", "services"]).unwrap();
	let listed = services["services"].as_array().expect("a list of services");
	// Bob's three, after the dev genesis's two services of Alice (ids 0 and 1).
	assert_eq!(listed.len(), 5, "{services}");
	assert_eq!((training, broken, inference), (2, 3, 4), "{services}");
	let inference_entry = listed.iter().find(|s| s["id"] == inference).unwrap();
	assert_eq!(inference_entry["kind"], "Inference");
	assert_eq!(inference_entry["endpoint"], executor_url.as_str());
	assert_eq!(amount(inference_entry, "outputPrice"), OUTPUT_PRICE);

	// The provider's executor: the two job services' commands and the fake OpenAI backend.
	let (_backend, backend_port) = start_fake_backend(dir.path()).await;
	let script = workspace_root().join("tests/compute/train_logreg.py");
	let (python, python_paths) = sandboxed_python();
	let mut command = Command::new(executor_binary());
	for path in &python_paths {
		command.arg("--job-ro-path").arg(path);
	}
	command
		.args(["--listen", &format!("127.0.0.1:{executor_port}")])
		.args(["--jobs-listen", &format!("127.0.0.1:{jobs_port}")])
		.arg("--jobs-token-file")
		.arg(&token_file)
		.args(["--node-rpc", &node.ws_url()])
		.arg("--data-dir")
		.arg(dir.path().join("executor"))
		.args(["--suri", "//Bob"])
		.args(["--service", &format!("{training}={} {}", python.display(), script.display())])
		// The job sandbox shows the script's directory and the Python environment, read-only.
		.arg("--job-ro-path")
		.arg(script.parent().unwrap())
		.args(["--service", &format!("{broken}=echo 'no GPU on this provider' >&2; exit 1")])
		.args(["--backend", &format!("http://127.0.0.1:{backend_port}")])
		.args(["--price-per-second", &PRICE_PER_SECOND.to_string()])
		.args(["--settle-interval-secs", "2", "--patience-secs", "180"]);
	let mut executor = Process::spawn("zerog-executor", command, dir.path().join("executor.log"));
	let diagnostics = || format!("{}\n--- node ---\n{}", executor.log_tail(), node.log_tail());
	eventually("the executor's /health", BLOCK_TIMEOUT * 2, diagnostics, || {
		matches!(http_get(executor_port, "/health"), Ok((200, _))).then_some(())
	})
	.await;
	executor.assert_running();
	let diagnostics = || format!("{}\n--- node ---\n{}", executor.log_tail(), node.log_tail());

	// ---- a) A training job, dispatched by the node's worker and paid on acceptance. ----
	let phase = Instant::now();
	let csv = dir.path().join("exams.csv");
	std::fs::write(&csv, dataset_csv()).unwrap();
	let uploaded = zerog_try_json(&node, &["storage", "upload", csv.to_str().unwrap()]).unwrap();
	let dataset_root = uploaded["root"].as_str().unwrap().to_owned();
	let deposited = zerog_try_json(&node, &["compute", "deposit", "10ZG"]).unwrap();
	assert_eq!(amount(&deposited, "amount"), 10 * ZG, "{deposited}");
	let params_hash = hex(&keccak(b"ZEROG_LR=0.5 ZEROG_EPOCHS=500"));
	let max_fee = ZG;
	let created = zerog_try_json(
		&node,
		&[
			"compute",
			"job",
			"create",
			"--service",
			&training.to_string(),
			"--dataset",
			&dataset_root,
			"--params-hash",
			&params_hash,
			"--max-fee",
			"1ZG",
			"--deadline-blocks",
			"200",
		],
	)
	.unwrap();
	let job = created["job"].as_u64().expect("create prints the job id");
	let created_at = created["blockNumber"].as_u64().unwrap() as u32;
	assert_eq!(amount(&created, "maxFee"), max_fee);
	let create_fee = amount(&created, "txFee");

	// The worker dispatches it, the executor trains and stores the model, the worker submits.
	let review = eventually("the job's result on chain", JOB_TIMEOUT, diagnostics, || {
		let status = zerog_try_json(&node, &["compute", "job", "status", &job.to_string()]).ok()?;
		(status["status"] == "inReview").then_some(status)
	})
	.await;
	assert_eq!(review["datasetRoot"], dataset_root.as_str());
	assert_eq!(review["paramsHash"], params_hash.as_str());
	let fee_used = amount(&review, "feeUsed");
	assert!(fee_used > 0 && fee_used < max_fee, "metered by the second: {review}");
	assert_eq!(fee_used % PRICE_PER_SECOND, 0, "{review}");
	// Only the node, with the token, reads the job API, and only on its own port.
	let (status, _) = http_get(jobs_port, &format!("/jobs/{job}")).unwrap();
	assert_eq!(status, 401, "the job API wants the token");
	let (status, _) = http_get(executor_port, &format!("/jobs/{job}")).unwrap();
	assert_eq!(status, 404, "the gateway's port serves no job API");
	let (_, executor_view) = jobs_get(jobs_port, &format!("/jobs/{job}"), &jobs_token).unwrap();
	let executor_view: Json = serde_json::from_str(&executor_view).unwrap();
	assert_eq!(executor_view["status"], "succeeded", "{executor_view}");
	assert_eq!(executor_view["resultRoot"], review["resultRoot"]);
	assert_eq!(executor_view["outputHash"], review["outputHash"]);

	// The model, fetched by its result root, is what the script makes of the CSV here.
	let result_root = review["resultRoot"].as_str().unwrap();
	let model_path = dir.path().join("model.json");
	zerog_try_json(
		&node,
		&["storage", "download", result_root, "-o", model_path.to_str().unwrap()],
	)
	.unwrap();
	let model = std::fs::read(&model_path).unwrap();
	assert!(model == train_locally(&script, &csv, dir.path()), "the trained model differs");
	assert_eq!(review["outputHash"], hex(&keccak(&model)).as_str());
	let trained: Json = serde_json::from_slice(&model).unwrap();
	assert!(trained["train_accuracy"].as_f64().unwrap() > 0.8, "{trained}");

	let accepted = zerog_try_json(&node, &["compute", "job", "accept", &job.to_string()]).unwrap();
	assert_eq!(amount(&accepted, "feePaid"), fee_used, "{accepted}");
	assert_eq!(amount(&accepted, "refunded"), max_fee - fee_used, "{accepted}");
	let accepted_at = accepted["blockNumber"].as_u64().unwrap() as u32;
	let accept_fee = amount(&accepted, "txFee");

	// Bob gains exactly fee_used in the accepting block; Alice pays fee_used and her two
	// transactions over the job's life (and is paid for the storage challenges she proves
	// meanwhile), and her escrow hold is gone.
	let bob_before = balances(&api, bob, accepted_at - 1).await;
	let bob_after = balances(&api, bob, accepted_at).await;
	let bob_fees = fees_paid(&api, bob, accepted_at, accepted_at).await;
	assert_eq!(bob_after.0 + bob_fees - bob_before.0, fee_used, "Bob is paid fee_used");
	let alice_before = balances(&api, alice, created_at - 1).await;
	let alice_after = balances(&api, alice, accepted_at).await;
	let alice_fees = fees_paid(&api, alice, created_at, accepted_at).await;
	assert_eq!(alice_fees, create_fee + accept_fee, "Alice sent only create and accept");
	let alice_rewards = storage_rewards(&api, alice, created_at, accepted_at).await;
	assert_eq!(
		alice_before.0 + alice_rewards - alice_after.0,
		fee_used + alice_fees,
		"Alice pays fee_used (and earns what she proved as the storage provider)"
	);
	assert_eq!(alice_after.1, alice_before.1, "the escrow hold is released");
	let (_, submitted) = wait_for_event(
		&node,
		&api,
		created_at,
		("ComputeEscrow", "ResultSubmitted"),
		BLOCK_TIMEOUT,
		diagnostics,
		|fields| u64::decode(&mut &fields[..]).ok() == Some(job),
	)
	.await;
	let (_, provider, _root, _hash, submitted_fee, _review_ends) =
		<(u64, [u8; 32], [u8; 32], [u8; 32], u128, u32)>::decode(&mut &submitted[..]).unwrap();
	assert_eq!((provider, submitted_fee), (bob, fee_used), "Bob's worker submitted the result");
	let job_figures = format!(
		"job: max fee {max_fee}, fee used {fee_used}, refunded {}, Alice's tx fees {alice_fees} \
		 (create {create_fee}, accept {accept_fee}), {}s",
		max_fee - fee_used,
		phase.elapsed().as_secs()
	);

	// ---- b) Inference through the gateway, settled from Alice's sub-account. ----
	let phase = Instant::now();
	let funded = zerog_try_json(&node, &["compute", "fund", &bob_hex, "1ZG"]).unwrap();
	let funded_at = funded["blockNumber"].as_u64().unwrap() as u32;
	// The gateway checks the sub-account at the finalized block.
	node.wait_for_finalized(funded_at, BLOCK_TIMEOUT).await;
	let account = zerog_try_json(&node, &["compute", "account", "--provider", &bob_hex]).unwrap();
	// The dev genesis gave Alice 100 ZG of marketplace funds, 10 of them in a sub-account for
	// herself; she deposited 10 more and moved 1 to Bob's.
	assert_eq!(amount(&account, "available"), 99 * ZG, "{account}");
	assert_eq!(amount(&account["subAccounts"][0], "balance"), ZG, "{account}");
	let chat_from = node.best_number().await;
	let chat = zerog_try_json(
		&node,
		&["compute", "chat", "--service", &inference.to_string(), "What is ZeroG?"],
	)
	.unwrap_or_else(|failure| panic!("chat: {failure}\n{}", diagnostics()));
	assert_eq!(chat["answer"], "echo: What is ZeroG?", "{chat}");
	// The fake backend counts words: 3 in the prompt, 4 in the answer.
	assert_eq!((chat["inputTokens"].as_u64(), chat["outputTokens"].as_u64()), (Some(3), Some(4)));
	let fee = amount(&chat, "fee");
	assert_eq!(fee, 3 * INPUT_PRICE + 4 * OUTPUT_PRICE, "{chat}");
	assert_eq!(chat["countersigned"], true);

	let (settled_at, settled) = wait_for_event(
		&node,
		&api,
		chat_from,
		("ComputeEscrow", "ReceiptsSettled"),
		BLOCK_TIMEOUT * 2,
		diagnostics,
		|_| true,
	)
	.await;
	let (provider, service, count, paid, outcomes) =
		<([u8; 32], u64, u32, u128, Vec<u8>)>::decode(&mut &settled[..]).unwrap();
	assert_eq!((provider, service, count, paid), (bob, inference, 1, fee), "{settled:?}");
	assert_eq!(outcomes, vec![0], "one receipt, outcome Settled");
	let sub_before = sub_account_balance(&api, alice, bob, settled_at - 1).await;
	let sub_after = sub_account_balance(&api, alice, bob, settled_at).await;
	assert_eq!(sub_before - sub_after, fee, "Alice's sub-account pays exactly the fee");
	let alice_before = balances(&api, alice, settled_at - 1).await;
	let alice_after = balances(&api, alice, settled_at).await;
	assert_eq!(alice_before.1 - alice_after.1, fee, "the fee leaves Alice's ledger hold");
	let alice_rewards = storage_rewards(&api, alice, settled_at, settled_at).await;
	assert_eq!(
		alice_before.0 + alice_rewards,
		alice_after.0,
		"Alice's free balance is untouched (but for storage rewards she earned in the block)"
	);
	let bob_before = balances(&api, bob, settled_at - 1).await;
	let bob_after = balances(&api, bob, settled_at).await;
	let settle_fee = fees_paid(&api, bob, settled_at, settled_at).await;
	assert!(settle_fee > 0, "Bob paid for settle_receipts");
	assert_eq!(bob_after.0 + settle_fee - bob_before.0, fee, "Bob is paid the fee");
	let inference_figures = format!(
		"inference: fee {fee} (3 in x {INPUT_PRICE} + 4 out x {OUTPUT_PRICE}), sub-account \
		 {sub_before} -> {sub_after}, Bob's settle_receipts tx fee {settle_fee}, {}s",
		phase.elapsed().as_secs()
	);

	// ---- c) A job nobody answers: refund at the deadline, stake slashed. ----
	let phase = Instant::now();
	let doomed = zerog_try_json(
		&node,
		&[
			"compute",
			"job",
			"create",
			"--service",
			&broken.to_string(),
			"--dataset",
			&dataset_root,
			"--max-fee",
			"0.5ZG",
			"--deadline-blocks",
			"12",
		],
	)
	.unwrap();
	let doomed_job = doomed["job"].as_u64().unwrap();
	let deadline = doomed["deadline"].as_u64().unwrap() as u32;
	let doomed_fee = ZG / 2;
	let failed =
		eventually("the executor to report the job failed", BLOCK_TIMEOUT, diagnostics, || {
			let (_, body) =
				jobs_get(jobs_port, &format!("/jobs/{doomed_job}"), &jobs_token).ok()?;
			let status: Json = serde_json::from_str(&body).ok()?;
			(status["status"] == "failed").then_some(status)
		})
		.await;
	let error = failed["error"].as_str().unwrap_or_default();
	assert!(error.contains("status 1") && error.contains("no GPU"), "{failed}");

	let (expired_at, expired) = wait_for_event(
		&node,
		&api,
		deadline.saturating_sub(1),
		("ComputeEscrow", "JobExpired"),
		BLOCK_TIMEOUT * 2,
		diagnostics,
		|fields| u64::decode(&mut &fields[..]).ok() == Some(doomed_job),
	)
	.await;
	assert_eq!(expired_at, deadline, "expired in the deadline block");
	let (_, provider, refunded, slashed) =
		<(u64, [u8; 32], u128, u128)>::decode(&mut &expired[..]).unwrap();
	assert_eq!(provider, bob);
	assert_eq!(refunded, doomed_fee, "the whole escrow comes back");
	assert_eq!(slashed, STAKE * SLASH_PERCENT / 100, "10% of the stake is slashed");
	let alice_before = balances(&api, alice, expired_at - 1).await;
	let alice_after = balances(&api, alice, expired_at).await;
	let alice_fees = fees_paid(&api, alice, expired_at, expired_at).await;
	let alice_rewards = storage_rewards(&api, alice, expired_at, expired_at).await;
	assert_eq!(
		alice_after.0 + alice_fees - alice_before.0,
		doomed_fee + alice_rewards,
		"refund to free balance"
	);
	assert_eq!(alice_before.1 - alice_after.1, doomed_fee, "escrow hold released");
	let bob_before = balances(&api, bob, expired_at - 1).await;
	let bob_after = balances(&api, bob, expired_at).await;
	assert_eq!(bob_before.1 - bob_after.1, slashed, "the slash comes out of Bob's stake hold");
	let bob_fees = fees_paid(&api, bob, expired_at, expired_at).await;
	assert_eq!(bob_before.0 - bob_after.0, bob_fees, "nothing else leaves Bob's free balance");
	let no_result = {
		let mut next = created_at;
		find_event(&node, &api, &mut next, ("ComputeEscrow", "ResultSubmitted"), |fields| {
			u64::decode(&mut &fields[..]).ok() == Some(doomed_job)
		})
		.await
	};
	assert!(no_result.is_none(), "no result was ever submitted for the failed job");
	node.wait_for_finalized(expired_at, BLOCK_TIMEOUT).await;
	let services = zerog_try_json(&node, &["compute", "services"]).unwrap();
	let broken_entry =
		services["services"].as_array().unwrap().iter().find(|s| s["id"] == broken).unwrap();
	assert_eq!(amount(broken_entry, "stake"), STAKE - slashed, "{broken_entry}");
	let gone =
		run_cli(&["--rpc", &node.ws_url(), "compute", "job", "status", &doomed_job.to_string()]);
	assert!(!gone.status.success(), "an expired job is no longer open: {}", output_text(&gone));
	let deadline_figures = format!(
		"missed deadline: refunded {refunded}, slashed {slashed} of {STAKE}, {}s",
		phase.elapsed().as_secs()
	);

	// ---- d) An enclave-signed service: governance approves the key, each user acknowledges it. ----
	let enclave_hex = hex(&dev::eve().public_key().0);
	let register_tee = || {
		run_cli(&[
			"--rpc",
			&node.ws_url(),
			"compute",
			"register",
			"--kind",
			"inference",
			"--model",
			"tee-model",
			"--endpoint",
			&executor_url,
			"--stake",
			&stake,
			"--enclave-signer",
			&enclave_hex,
			"--suri",
			"//Bob",
			"--json",
		])
	};
	let self_declared = register_tee();
	assert!(!self_declared.status.success(), "an unapproved enclave key is refused");
	assert!(
		output_text(&self_declared).contains("EnclaveNotApproved"),
		"{}",
		output_text(&self_declared)
	);
	zerog_e2e_tests::governance::sudo_approve_enclave(&node, dev::eve().public_key().0).await;
	let approved = register_tee();
	assert!(approved.status.success(), "{}", output_text(&approved));
	let tee_service = serde_json::from_slice::<Json>(&approved.stdout).unwrap()["service"]
		.as_u64()
		.unwrap()
		.to_string();
	let wrong_key = run_cli(&[
		"--rpc",
		&node.ws_url(),
		"compute",
		"acknowledge",
		&tee_service,
		"--signer",
		&bob_hex,
	]);
	assert!(!wrong_key.status.success(), "only the service's own key can be acknowledged");
	assert!(
		output_text(&wrong_key).contains("acknowledge only the key you checked"),
		"{}",
		output_text(&wrong_key)
	);
	let acknowledged =
		zerog_try_json(&node, &["compute", "acknowledge", &tee_service, "--signer", &enclave_hex])
			.unwrap();
	let deposit = amount(&acknowledged, "deposit");
	assert_eq!(deposit, 2_440_000_000_000_000, "one item of 144 bytes: {acknowledged}");
	let removed = zerog_try_json(&node, &["compute", "unacknowledge", &tee_service]).unwrap();
	assert_eq!(amount(&removed, "released"), deposit, "{removed}");

	// ---- e) Jobs the provider never agreed to: refused on chain or declined, no slash. ----
	let phase = Instant::now();
	let training_stake = |services: &Json| {
		let entry = services["services"].as_array().unwrap().iter().find(|s| s["id"] == training);
		amount(entry.unwrap(), "stake")
	};
	let stake_before = training_stake(&zerog_try_json(&node, &["compute", "services"]).unwrap());
	let create_on = |dataset: &str, max_fee: &str| {
		let training = training.to_string();
		let args = [
			"compute",
			"job",
			"create",
			"--service",
			training.as_str(),
			"--dataset",
			dataset,
			"--max-fee",
			max_fee,
			"--deadline-blocks",
			"12",
		];
		zerog_try_json(&node, &args)
	};
	// A 1-wei job on data nobody stored is refused by the chain.
	let missing = create_on(&hex(&[0x5a; 32]), "1").unwrap_err();
	assert!(missing.contains("DatasetNotStored"), "{missing}");
	// Charlie commits a dataset on chain but never uploads its bytes.
	let unfetchable = [0x6b; 32];
	let commit = dynamic::transaction(
		"StorageCommitments",
		"submit",
		(
			Value::from_bytes(unfetchable),
			Value::u128(1 << 20),
			Value::unnamed_composite(Vec::<Value>::new()),
			Value::u128(1),
		),
	);
	zerog_e2e_tests::storage::submit(&api, commit, &dev::charlie()).await;
	let terms = run_cli(&[
		"--rpc",
		&node.ws_url(),
		"compute",
		"job",
		"terms",
		&training.to_string(),
		"--min-fee",
		"0.001ZG",
		"--suri",
		"//Bob",
		"--json",
	]);
	assert!(terms.status.success(), "{}", output_text(&terms));
	let below = create_on(&hex(&unfetchable), "1").unwrap_err();
	assert!(below.contains("FeeBelowMinimum"), "{below}");
	let agreed = create_on(&hex(&unfetchable), "0.001ZG").unwrap();
	let declined_job = agreed["job"].as_u64().unwrap();
	let agreed_at = agreed["blockNumber"].as_u64().unwrap() as u32;
	// The executor cannot fetch the dataset: the worker declines the job before its deadline.
	let (declined_at, declined) = wait_for_event(
		&node,
		&api,
		agreed_at,
		("ComputeEscrow", "JobDeclined"),
		BLOCK_TIMEOUT * 2,
		diagnostics,
		|fields| u64::decode(&mut &fields[..]).ok() == Some(declined_job),
	)
	.await;
	let (_, provider, refunded) = <(u64, [u8; 32], u128)>::decode(&mut &declined[..]).unwrap();
	assert_eq!((provider, refunded), (bob, ZG / 1000), "the whole escrow comes back");
	assert!(declined_at < agreed["deadline"].as_u64().unwrap() as u32);
	node.wait_for_finalized(declined_at, BLOCK_TIMEOUT).await;
	let stake_after = training_stake(&zerog_try_json(&node, &["compute", "services"]).unwrap());
	assert_eq!(stake_after, stake_before, "nobody is slashed");
	let decline_figures = format!(
		"unagreed jobs: missing dataset and 1-wei fee refused, unfetchable dataset declined in \
		 block {declined_at} ({} blocks after creation), {}s",
		declined_at - agreed_at,
		phase.elapsed().as_secs()
	);

	executor.assert_running();
	eprintln!(
		"compute e2e figures:\n  {job_figures}\n  {inference_figures}\n  {deadline_figures}\n  \
		 {decline_figures}\n  total {}s",
		started.elapsed().as_secs()
	);
}
