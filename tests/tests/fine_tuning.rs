//! Fine-tuning end to end (issue 20 item 4), on a real `zerog-node --dev` and a real
//! `zerog-executor`, with the reference program `executor/programs/tiny_lm.py` (numpy, LoRA):
//!
//! - Alice lists a tiny base model the test makes (public); Dave lists a small dataset, encrypted
//!   and sold for compute only, its key sealed to the enclave of Bob's fine-tuning service.
//! - Charlie buys compute access and creates a job naming the base model, the dataset and its
//!   hyper-parameters in full. The executor decrypts the dataset inside the enclave, fine-tunes,
//!   and stores the model encrypted; the training loss goes down.
//! - The model's key reaches Charlie only after he accepts the result.
//! - Charlie registers the fine-tuned model as a new asset, grants Bob download access and
//!   delivers its key; Bob serves it (`tiny_lm.py serve`), registers an inference service and
//!   deploys the model on it; Charlie's chat completion through Bob's gateway is the model's
//!   own continuation, and is paid for.

use std::{
	path::Path,
	process::Command,
	time::{Duration, Instant},
};

use serde_json::Value as Json;
use subxt::rpcs::rpc_params;
use subxt_signer::sr25519::dev;
use zerog_e2e_tests::{
	cli::{hex, output_text, zerog_fails, zerog_json, zerog_ok},
	executor_binary,
	process::Process,
	reserve_port, run_cli, sandboxed_python, workspace_root, Node, NodeConfig,
};

/// Blocks come every 2 s; allow for a slow, loaded CI machine.
const BLOCK_TIMEOUT: Duration = Duration::from_secs(60);

/// From the job's creation to its result on chain (fine-tuning takes a few seconds).
const JOB_TIMEOUT: Duration = Duration::from_secs(300);

/// The base model's general text, and the dataset's: what the fine-tuned model should say.
const CORPUS: &str = "the quick brown fox jumps over the lazy dog. a storage network keeps data \
                      safe and close. ";
const DATASET: &str = "zerog stores models and datasets. zerog runs jobs in enclaves. ";

/// `zerog --rpc <node> args...` until it succeeds (or `timeout`), each failure's stderr
/// containing `waiting`: the command's JSON.
async fn zerog_until(node: &Node, args: &[&str], waiting: &str, timeout: Duration) -> Json {
	let url = node.ws_url();
	let mut all = vec!["--rpc", url.as_str()];
	all.extend_from_slice(args);
	all.push("--json");
	let started = Instant::now();
	loop {
		let output = run_cli(&all);
		if output.status.success() {
			return serde_json::from_slice(&output.stdout).unwrap();
		}
		let text = output_text(&output);
		assert!(text.contains(waiting), "zerog {args:?}: {text}");
		assert!(started.elapsed() < timeout, "zerog {args:?} still waiting: {text}");
		tokio::time::sleep(Duration::from_secs(2)).await;
	}
}

/// Runs `tiny_lm.py` with `args` and returns its stdout.
fn tiny_lm(python: &Path, args: &[&str]) -> String {
	let program = workspace_root().join("executor/programs/tiny_lm.py");
	let output = Command::new(python).arg(&program).args(args).output().unwrap();
	assert!(output.status.success(), "tiny_lm {args:?}: {}", output_text(&output));
	String::from_utf8(output.stdout).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_model_is_fine_tuned_on_private_data_delivered_after_acceptance_and_deployed() {
	let dir = tempfile::tempdir().unwrap();
	let path = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
	let private = |file: &Path| {
		std::fs::set_permissions(file, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap()
	};
	let (python, python_paths) = sandboxed_python();
	let jobs_port = reserve_port();
	let token_file = dir.path().join("jobs.token");
	std::fs::write(&token_file, hex(&[0x6b; 32])).unwrap();
	private(&token_file);
	let node = Node::start(NodeConfig::dev("fine-tuning").args([
		"--no-eth-rpc",
		"--compute-executor",
		&format!("http://127.0.0.1:{jobs_port}"),
		"--compute-executor-token-file",
		token_file.to_str().unwrap(),
	]));
	node.wait_for_best(1, BLOCK_TIMEOUT).await;
	let bob = dev::bob().public_key().0;
	let bob_hex = hex(&bob);
	let rpc = node.rpc().await;
	let () =
		rpc.request("author_insertKey", rpc_params!["zgcp", "//Bob", hex(&bob)]).await.unwrap();
	zerog_e2e_tests::governance::sudo_approve_enclave(&node, dev::eve().public_key().0).await;
	let executor_port = reserve_port();
	let executor_url = format!("http://127.0.0.1:{executor_port}");
	let trainer = zerog_json(
		&node,
		&[
			"compute",
			"register",
			"--kind",
			"job",
			"--model",
			"tiny-lm-lora",
			"--endpoint",
			&executor_url,
			"--stake",
			"100ZG",
			"--enclave-signer",
			&hex(&dev::eve().public_key().0),
			"--suri",
			"//Bob",
		],
	)["service"]
		.as_u64()
		.unwrap()
		.to_string();
	for who in ["//Eve", "//Charlie", "//Bob"] {
		zerog_json(&node, &["market", "key", "--suri", who]);
	}

	// Alice's base model: public. Dave's dataset: encrypted, sealed to Bob's enclave only.
	std::fs::write(path("corpus.txt"), CORPUS.repeat(30)).unwrap();
	tiny_lm(&python, &["init", "--corpus", &path("corpus.txt"), "--out", &path("base.npz")]);
	let base = zerog_json(&node, &["storage", "upload", &path("base.npz")]);
	let base_asset = zerog_json(
		&node,
		&[
			"market",
			"register",
			"--root",
			base["root"].as_str().unwrap(),
			"--size",
			&base["size"].to_string(),
			"--kind",
			"model",
			"--name",
			"tiny-lm-base",
			"--license",
			"Apache-2.0",
			"--policy",
			"public",
			"--period",
			"100",
		],
	)["asset"]
		.to_string();
	std::fs::write(path("dataset.txt"), DATASET.repeat(30)).unwrap();
	let dataset = zerog_json(
		&node,
		&[
			"storage",
			"upload",
			&path("dataset.txt"),
			"--encrypt",
			"--key-out",
			&path("dataset.key"),
			"--suri",
			"//Dave",
		],
	);
	let dataset_root = dataset["root"].as_str().unwrap().to_owned();
	let dataset_asset = zerog_json(
		&node,
		&[
			"market",
			"register",
			"--root",
			&dataset_root,
			"--size",
			&dataset["size"].to_string(),
			"--kind",
			"dataset",
			"--name",
			"zerog-facts",
			"--license",
			"LicenseRef-private",
			"--encrypted",
			"--policy",
			"paid",
			"--price",
			"1ZG",
			"--period",
			"500",
			"--suri",
			"//Dave",
		],
	)["asset"]
		.to_string();
	zerog_json(
		&node,
		&[
			"market",
			"enclave-key",
			&dataset_asset,
			"--service",
			&trainer,
			"--key-file",
			&path("dataset.key"),
			"--suri",
			"//Dave",
		],
	);
	zerog_json(
		&node,
		&["market", "buy", &dataset_asset, "--scope", "compute", "--suri", "//Charlie"],
	);

	// Bob's executor: the enclave key, the reference program, and (later) the model's server.
	let enclave_file = dir.path().join("enclave.key");
	std::fs::write(&enclave_file, "//Eve\n").unwrap();
	private(&enclave_file);
	let backend_port = reserve_port();
	let program = workspace_root().join("executor/programs/tiny_lm.py");
	let mut command = Command::new(executor_binary());
	for ro_path in &python_paths {
		command.arg("--job-ro-path").arg(ro_path);
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
		.arg("--enclave-key-file")
		.arg(&enclave_file)
		.arg("--job-ro-path")
		.arg(program.parent().unwrap())
		.args([
			"--service",
			&format!("{trainer}={} {} finetune", python.display(), program.display()),
		])
		.args(["--backend", &format!("http://127.0.0.1:{backend_port}")])
		.args(["--settle-interval-secs", "2", "--patience-secs", "180"]);
	let mut executor = Process::spawn("zerog-executor", command, dir.path().join("executor.log"));

	// Charlie's job: the base model, the dataset and the hyper-parameters, in full.
	std::fs::write(path("hyper.json"), r#"{"rank": 4, "steps": 300, "learning_rate": 0.02}"#)
		.unwrap();
	let created = zerog_json(
		&node,
		&[
			"compute",
			"job",
			"create",
			"--service",
			&trainer,
			"--dataset",
			&dataset_root,
			"--asset",
			&base_asset,
			"--asset",
			&dataset_asset,
			"--params-file",
			&path("hyper.json"),
			"--max-fee",
			"1ZG",
			"--deadline-blocks",
			"150",
			"--suri",
			"//Charlie",
		],
	);
	let job = created["job"].to_string();
	let started = Instant::now();
	let review = loop {
		let url = node.ws_url();
		let output = run_cli(&["--rpc", &url, "compute", "job", "status", &job, "--json"]);
		if output.status.success() {
			let status: Json = serde_json::from_slice(&output.stdout).unwrap();
			if status["status"] == "inReview" {
				break status;
			}
		}
		executor.assert_running();
		assert!(started.elapsed() < JOB_TIMEOUT, "no result:\n{}", executor.log_tail());
		tokio::time::sleep(Duration::from_secs(2)).await;
	};

	// The model is stored encrypted, and its key is Charlie's only once he accepts it.
	let result_root = review["resultRoot"].as_str().unwrap().to_owned();
	zerog_ok(&node, &["storage", "download", &result_root, "-o", &path("sealed.bin")]);
	let sealed = std::fs::read(path("sealed.bin")).unwrap();
	assert_eq!(&sealed[..4], b"ZGE1", "the fine-tuned model is stored encrypted");
	let result =
		["compute", "job", "result", &job, "-o", &path("tuned.npz"), "--suri", "//Charlie"];
	let unpaid = zerog_fails(&node, &result);
	assert!(unpaid.contains("not paid for yet"), "{unpaid}");
	zerog_json(&node, &["compute", "job", "accept", &job, "--suri", "//Charlie"]);
	let key_out = path("tuned.key");
	let mut with_key = result.to_vec();
	with_key.extend(["--key-out", &key_out]);
	zerog_until(&node, &with_key, "has not delivered the key yet", BLOCK_TIMEOUT).await;

	// The training loss went down, and the model speaks the dataset's language.
	let info: Json =
		serde_json::from_str(&tiny_lm(&python, &["info", "--model", &path("tuned.npz")])).unwrap();
	let losses: Vec<f64> =
		info["losses"].as_array().unwrap().iter().map(|loss| loss.as_f64().unwrap()).collect();
	assert!(losses.len() > 10, "{info}");
	assert!(losses.last().unwrap() * 4.0 < losses[0], "the loss goes down: {losses:?}");
	let (before, after) = (
		info["dataset_loss_before"].as_f64().unwrap(),
		info["dataset_loss_after"].as_f64().unwrap(),
	);
	assert!(after * 4.0 < before, "the dataset's loss: {before} -> {after}");
	assert_eq!(info["params"]["steps"], 300, "the hyper-parameters arrived in full: {info}");
	let expected = tiny_lm(
		&python,
		&["generate", "--model", &path("tuned.npz"), "--prompt", "zerog ", "--max-tokens", "40"],
	);
	assert!(expected.contains("stores") || expected.contains("runs"), "{expected:?}");

	// Charlie lists the fine-tuned model (its stored ciphertext, his key) and hands Bob a key.
	let model_asset = zerog_json(
		&node,
		&[
			"market",
			"register",
			"--root",
			&result_root,
			"--size",
			&sealed.len().to_string(),
			"--kind",
			"model",
			"--name",
			"tiny-lm-zerog",
			"--license",
			"Apache-2.0",
			"--encrypted",
			"--policy",
			"gated",
			"--period",
			"500",
			"--suri",
			"//Charlie",
		],
	)["asset"]
		.to_string();
	zerog_json(
		&node,
		&["market", "grant", &model_asset, &bob_hex, "--blocks", "400", "--suri", "//Charlie"],
	);
	zerog_json(
		&node,
		&[
			"market",
			"deliver-key",
			&model_asset,
			&bob_hex,
			"--key-file",
			&path("tuned.key"),
			"--suri",
			"//Charlie",
		],
	);
	zerog_ok(
		&node,
		&["market", "download", &model_asset, "-o", &path("served.npz"), "--suri", "//Bob"],
	);
	assert!(
		std::fs::read(path("served.npz")).unwrap() == std::fs::read(path("tuned.npz")).unwrap(),
		"Bob serves the very model Charlie accepted"
	);

	// Bob serves it behind his gateway, as an inference service that deploys the asset.
	let mut server_command = Command::new(&python);
	server_command.arg(&program).args([
		"serve",
		"--model",
		&path("served.npz"),
		"--port",
		&backend_port.to_string(),
		"--name",
		"tiny-lm-zerog",
	]);
	let server = Process::spawn("tiny-lm-serve", server_command, dir.path().join("serve.log"));
	let inference = zerog_json(
		&node,
		&[
			"compute",
			"register",
			"--kind",
			"inference",
			"--model",
			"tiny-lm-zerog",
			"--endpoint",
			&executor_url,
			"--input-price",
			"0.000001ZG",
			"--output-price",
			"0.000002ZG",
			"--stake",
			"100ZG",
			"--suri",
			"//Bob",
		],
	)["service"]
		.to_string();
	let deployed = zerog_json(
		&node,
		&["market", "deploy", &model_asset, "--service", &inference, "--suri", "//Bob"],
	);
	assert_eq!(deployed["asset"].to_string(), model_asset, "{deployed}");
	let shown = zerog_json(&node, &["market", "show", &model_asset]);
	assert_eq!(shown["deployments"], 1, "{shown}");

	// Charlie asks the deployed model through the gateway, and pays for the answer.
	let funded = zerog_json(&node, &["compute", "fund", &bob_hex, "1ZG", "--suri", "//Charlie"]);
	node.wait_for_finalized(funded["blockNumber"].as_u64().unwrap() as u32, BLOCK_TIMEOUT).await;
	let chat = zerog_until(
		&node,
		&[
			"compute",
			"chat",
			"--service",
			&inference,
			"--max-tokens",
			"40",
			"--suri",
			"//Charlie",
			"zerog ",
		],
		"",
		BLOCK_TIMEOUT,
	)
	.await;
	assert_eq!(chat["answer"].as_str(), Some(expected.as_str()), "{chat}");
	assert_eq!(chat["outputTokens"].as_u64(), Some(expected.len() as u64), "{chat}");
	assert!(chat["fee"].as_str().unwrap().parse::<u128>().unwrap() > 0, "{chat}");
	assert_eq!(chat["countersigned"], true, "{chat}");
	executor.assert_running();
	drop(server);
}
