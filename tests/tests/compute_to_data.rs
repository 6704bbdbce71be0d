//! Compute-to-data (issue 20) against a real `zerog-node --dev` and a real `zerog-executor`,
//! driven by the `zerog` CLI: Alice encrypts and lists a dataset and seals its key to the enclave
//! of Bob's job service (Eve's key, approved by governance); Charlie buys compute-only access,
//! cannot download the data, and runs a job on it with its parameters in full. The executor
//! opens the key with the enclave's secret, the job reads the plaintext in its sandbox, and its
//! output is stored encrypted; Charlie gets the output's key only once he accepts the result,
//! and the output is a statistic, none of the rows. Dave, without a grant, and a job on a service
//! without an enclave are refused on chain, and nothing of theirs is created.

use std::{process::Command, time::Duration};

use serde_json::Value as Json;
use subxt::rpcs::rpc_params;
use subxt_signer::sr25519::dev;
use zerog_e2e_tests::{
	cli::{hex, zerog_fails, zerog_json, zerog_ok},
	executor_binary,
	process::Process,
	reserve_port, Node, NodeConfig,
};

/// Blocks come every 2 s; allow for a slow, loaded CI machine.
const BLOCK_TIMEOUT: Duration = Duration::from_secs(60);

/// From a job's creation to its result on chain: dispatch, a finalized job, the input's download
/// and decryption, the run, the output's commitment (finalized) and upload, the result.
const JOB_TIMEOUT: Duration = Duration::from_secs(300);

/// The job: the mean of the column its parameters name, over the decrypted input 0; the data
/// itself never leaves the sandbox.
const MEAN_COMMAND: &str = r#"col=$(tr -dc 0-9 < "$ZEROG_PARAMS"); awk -F, -v c="$col" 'NR > 1 { s += $c; n++ } END { printf "rows=%d mean=%.2f\n", n, s / n }' "$ZEROG_INPUTS/0" > "$ZEROG_OUTPUT_DIR/output""#;

/// Patients and doses: nobody but the enclave's jobs may read them.
fn dataset_csv() -> String {
	let mut csv = String::from("patient,dose\n");
	for patient in 0..40u32 {
		csv.push_str(&format!("p{patient:03},{}\n", 10 + patient % 7));
	}
	csv
}

#[tokio::test(flavor = "multi_thread")]
async fn a_compute_grantee_gets_a_jobs_result_on_data_it_never_sees() {
	let dir = tempfile::tempdir().unwrap();
	let path = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
	let jobs_port = reserve_port();
	let jobs_url = format!("http://127.0.0.1:{jobs_port}");
	let token_file = dir.path().join("jobs.token");
	std::fs::write(&token_file, hex(&[0x5a; 32])).unwrap();
	let private = |file: &std::path::Path| {
		std::fs::set_permissions(file, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap()
	};
	private(&token_file);
	let node = Node::start(NodeConfig::dev("compute-to-data").args([
		"--no-eth-rpc",
		"--compute-executor",
		&jobs_url,
		"--compute-executor-token-file",
		token_file.to_str().unwrap(),
	]));
	node.wait_for_best(1, BLOCK_TIMEOUT).await;
	let rpc = node.rpc().await;
	let bob = dev::bob().public_key().0;
	let eve_hex = hex(&dev::eve().public_key().0);

	// Bob's node dispatches his jobs; governance approves Eve's key as an enclave's, and Bob
	// registers a job service whose results that enclave signs.
	let () =
		rpc.request("author_insertKey", rpc_params!["zgcp", "//Bob", hex(&bob)]).await.unwrap();
	zerog_e2e_tests::governance::sudo_approve_enclave(&node, dev::eve().public_key().0).await;
	let registered = zerog_json(
		&node,
		&[
			"compute",
			"register",
			"--kind",
			"job",
			"--model",
			"dose-statistics",
			"--endpoint",
			"http://127.0.0.1:1",
			"--stake",
			"100ZG",
			"--enclave-signer",
			&eve_hex,
			"--suri",
			"//Bob",
		],
	);
	let service = registered["service"].as_u64().unwrap().to_string();
	// The enclave registers the encryption key owners seal to.
	let enclave_key = zerog_json(&node, &["market", "key", "--suri", "//Eve"])["key"].clone();

	// Alice encrypts, stores and lists the dataset, for compute only in practice: she seals
	// its key to the enclave, never to a buyer.
	std::fs::write(path("doses.csv"), dataset_csv()).unwrap();
	let uploaded = zerog_json(
		&node,
		&["storage", "upload", &path("doses.csv"), "--encrypt", "--key-out", &path("doses.key")],
	);
	let root = uploaded["root"].as_str().unwrap().to_owned();
	let size = uploaded["size"].as_u64().unwrap().to_string();
	let asset = zerog_json(
		&node,
		&[
			"market",
			"register",
			"--root",
			&root,
			"--size",
			&size,
			"--kind",
			"dataset",
			"--name",
			"doses",
			"--license",
			"LicenseRef-private",
			"--encrypted",
			"--policy",
			"paid",
			"--price",
			"1ZG",
			"--period",
			"500",
		],
	)["asset"]
		.as_u64()
		.unwrap()
		.to_string();
	// A service whose results users sign has no enclave to seal to.
	let refused = zerog_fails(
		&node,
		&["market", "enclave-key", &asset, "--service", "1", "--key-file", &path("doses.key")],
	);
	assert!(refused.contains("not by an enclave"), "{refused}");
	let sealed = zerog_json(
		&node,
		&["market", "enclave-key", &asset, "--service", &service, "--key-file", &path("doses.key")],
	);
	// Sealed to the enclave's registered key, found through its service.
	assert_eq!(sealed["recipientKey"], enclave_key, "{sealed}");

	// Charlie buys compute-only access: he cannot download the data. His key is what the job's
	// result will be sealed to.
	zerog_json(&node, &["market", "buy", &asset, "--scope", "compute", "--suri", "//Charlie"]);
	zerog_json(&node, &["market", "key", "--suri", "//Charlie"]);
	let download = zerog_fails(
		&node,
		&["market", "download", &asset, "-o", &path("stolen.csv"), "--suri", "//Charlie"],
	);
	assert!(download.contains("compute"), "{download}");
	assert!(!std::path::Path::new(&path("stolen.csv")).exists());

	// Bob's executor, with the enclave key in a private file.
	let enclave_file = dir.path().join("enclave.key");
	std::fs::write(&enclave_file, "//Eve\n").unwrap();
	private(&enclave_file);
	let mut command = Command::new(executor_binary());
	command
		.args(["--listen", &format!("127.0.0.1:{}", reserve_port())])
		.args(["--jobs-listen", &format!("127.0.0.1:{jobs_port}")])
		.arg("--jobs-token-file")
		.arg(&token_file)
		.args(["--node-rpc", &node.ws_url()])
		.arg("--data-dir")
		.arg(dir.path().join("executor"))
		.args(["--suri", "//Bob"])
		.arg("--enclave-key-file")
		.arg(&enclave_file)
		.args(["--service", &format!("{service}={MEAN_COMMAND}")])
		.args(["--patience-secs", "180"]);
	let mut executor = Process::spawn("zerog-executor", command, dir.path().join("executor.log"));
	let diagnostics =
		|executor: &Process| format!("{}\n--- node ---\n{}", executor.log_tail(), node.log_tail());

	// Charlie's job names the asset and its parameters in full (column 2).
	std::fs::write(path("params.txt"), "2").unwrap();
	let create = |who: &str, service: &str| {
		vec![
			"compute".to_owned(),
			"job".into(),
			"create".into(),
			"--service".into(),
			service.to_owned(),
			"--dataset".into(),
			root.clone(),
			"--asset".into(),
			asset.clone(),
			"--params-file".into(),
			path("params.txt"),
			"--max-fee".into(),
			"1ZG".into(),
			"--deadline-blocks".into(),
			"150".into(),
			"--suri".into(),
			who.to_owned(),
		]
	};
	let args = create("//Charlie", &service);
	let created = zerog_json(&node, &args.iter().map(String::as_str).collect::<Vec<_>>());
	let job = created["job"].as_u64().expect("create prints the job id").to_string();
	assert_eq!(created["assets"], serde_json::json!([asset.parse::<u64>().unwrap()]));

	let mut review = Json::Null;
	let started = std::time::Instant::now();
	while started.elapsed() < JOB_TIMEOUT {
		let url = node.ws_url();
		let output =
			zerog_e2e_tests::run_cli(&["--rpc", &url, "compute", "job", "status", &job, "--json"]);
		if output.status.success() {
			let status: Json = serde_json::from_slice(&output.stdout).unwrap();
			if status["status"] == "inReview" {
				review = status;
				break;
			}
		}
		executor.assert_running();
		tokio::time::sleep(Duration::from_secs(2)).await;
	}
	assert!(review != Json::Null, "no result for job {job}:\n{}", diagnostics(&executor));

	// The result is stored encrypted; its key reaches Charlie only once he paid for it.
	let result_root = review["resultRoot"].as_str().unwrap();
	zerog_ok(&node, &["storage", "download", result_root, "-o", &path("sealed.bin")]);
	assert_eq!(&std::fs::read(path("sealed.bin")).unwrap()[..4], b"ZGE1");
	let result_args =
		["compute", "job", "result", &job, "-o", &path("result.txt"), "--suri", "//Charlie"];
	let unpaid = zerog_fails(&node, &result_args);
	assert!(unpaid.contains("not paid for yet"), "{unpaid}");
	assert!(!std::path::Path::new(&path("result.txt")).exists());
	zerog_json(&node, &["compute", "job", "accept", &job, "--suri", "//Charlie"]);
	let started = std::time::Instant::now();
	loop {
		let url = node.ws_url();
		let mut args = vec!["--rpc", url.as_str()];
		args.extend_from_slice(&result_args);
		let output = zerog_e2e_tests::run_cli(&args);
		if output.status.success() {
			break;
		}
		let text = String::from_utf8_lossy(&output.stderr).into_owned();
		assert!(text.contains("has not delivered the key yet"), "{text}");
		assert!(
			started.elapsed() < BLOCK_TIMEOUT,
			"no key for job {job}:\n{}",
			diagnostics(&executor)
		);
		tokio::time::sleep(Duration::from_secs(2)).await;
	}
	// Nobody else opens it, the provider's own key included.
	let bobs = zerog_fails(
		&node,
		&["compute", "job", "result", &job, "-o", &path("bob.txt"), "--suri", "//Bob"],
	);
	assert!(bobs.contains("does not open"), "{bobs}");

	// The result: the statistic, computed on the plaintext, and none of the rows.
	let result = std::fs::read_to_string(path("result.txt")).unwrap();
	let doses: Vec<f64> = (0..40u32).map(|patient| f64::from(10 + patient % 7)).collect();
	let mean = doses.iter().sum::<f64>() / doses.len() as f64;
	assert_eq!(result, format!("rows=40 mean={mean:.2}\n"), "{}", diagnostics(&executor));
	assert!(!result.contains("p001"), "no row of the data leaves the enclave");
	// The executor logs the delivery once it is finalized, which may be after the CLI saw it in
	// a best block.
	let delivered = format!("job {job}: the result's key was delivered");
	let started = std::time::Instant::now();
	let log = loop {
		let log = std::fs::read_to_string(dir.path().join("executor.log")).unwrap_or_default();
		if log.contains(&delivered) || started.elapsed() > BLOCK_TIMEOUT {
			break log;
		}
		tokio::time::sleep(Duration::from_secs(1)).await;
	};
	assert!(log.contains(&format!("asset #{asset} is input 0")), "{log}");
	assert!(log.contains(&delivered), "{log}");

	// Dave holds no grant: his job naming the asset is refused, and no job is created.
	zerog_json(&node, &["market", "key", "--suri", "//Dave"]);
	let args = create("//Dave", &service);
	let dave = zerog_fails(&node, &args.iter().map(String::as_str).collect::<Vec<_>>());
	assert!(dave.contains("NoGrant"), "{dave}");
	// Charlie's job on a service whose results no enclave signs (the dev genesis's job service)
	// cannot read the encrypted asset.
	let args = create("//Charlie", "1");
	let no_enclave = zerog_fails(&node, &args.iter().map(String::as_str).collect::<Vec<_>>());
	assert!(no_enclave.contains("EnclaveNotAccepted"), "{no_enclave}");
	// Neither left a job behind: the batch failed as a whole.
	let next = job.parse::<u64>().unwrap() + 1;
	let url = node.ws_url();
	let absent =
		zerog_e2e_tests::run_cli(&["--rpc", &url, "compute", "job", "status", &next.to_string()]);
	assert!(!absent.status.success(), "job #{next} was never created");
	executor.assert_running();
}
