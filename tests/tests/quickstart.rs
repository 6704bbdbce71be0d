//! The README's quickstart, command by command, on a fresh `zerog-node --dev` with nothing else
//! set up: the `development` genesis makes Alice's node a storage provider, a DA signer and a
//! compute provider, and `zerog-executor --dev` serves her compute services.
//!
//! 1. `zerog storage upload` / `download`: the file comes back byte for byte, and Alice's
//!    off-chain worker proves a challenge on it (`ChallengeProven`).
//! 2. `zerog da submit --wait` of a 1 MiB and a 32 MiB blob: both certified; `zerog da get`
//!    rebuilds them byte for byte, `zerog da sample` verifies samples.
//! 3. `zerog-executor --dev`, then `zerog compute chat`: the echo backend's labelled answer, and
//!    its receipt settled on chain (`ReceiptsSettled` with outcome `Settled`): the metered fee
//!    paid from Bob's sub-account to Alice.

use std::{process::Command, time::Duration};

use serde_json::Value as Json;
use subxt::ext::codec::Decode;
use zerog_e2e_tests::{
	cli::{random_bytes, zerog_json},
	events::wait_for_event,
	executor_binary,
	process::Process,
	reserve_port, Node, NodeConfig,
};

/// Blocks come every 2 s; allow for a slow, loaded CI machine.
const BLOCK_TIMEOUT: Duration = Duration::from_secs(60);

/// Alice's account: the dev chain's provider, signer and compute provider.
fn alice() -> [u8; 32] {
	subxt_signer::sr25519::dev::alice().public_key().0
}

#[tokio::test(flavor = "multi_thread")]
async fn a_fresh_dev_chain_stores_certifies_and_serves_inference_out_of_the_box() {
	let started = std::time::Instant::now();
	let node = Node::start(NodeConfig::dev("quickstart"));
	node.wait_for_best(1, BLOCK_TIMEOUT).await;
	let api = node.client().await;
	let dir = tempfile::tempdir().unwrap();
	let path = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();

	// 1. Storage: upload, download, and a proof of the file by Alice's node on chain.
	let file = random_bytes(700_000, 21);
	std::fs::write(path("dataset.bin"), &file).unwrap();
	let uploaded = zerog_json(&node, &["storage", "upload", &path("dataset.bin")]);
	let root = uploaded["root"].as_str().unwrap().to_owned();
	let file_id = uploaded["fileId"].as_u64().expect("the chain gave the file an id");
	// One provider on a dev chain, Alice, drawn for the file; the upload returns once she
	// acknowledged it.
	let replicas = uploaded["replicas"].as_array().expect("the upload reports its providers");
	assert_eq!(replicas.len(), 1, "{uploaded}");
	assert_eq!(replicas[0]["acknowledged"], true, "{uploaded}");
	let from = node.best_number().await;
	zerog_json(&node, &["storage", "download", &root, "-o", &path("dataset.copy")]);
	assert!(std::fs::read(path("dataset.copy")).unwrap() == file, "the downloaded file differs");
	let (proven_at, _) = wait_for_event(
		&node,
		&api,
		from,
		("StorageCommitments", "ChallengeProven"),
		BLOCK_TIMEOUT * 3,
		|| format!("uploaded: {uploaded}"),
		|fields| {
			<([u8; 32], u32, u64, u128)>::decode(&mut &fields[..])
				.is_ok_and(|(who, _, id, reward)| who == alice() && id == file_id && reward > 0)
		},
	)
	.await;
	println!(
		"storage: file {file_id} proven by Alice in block #{proven_at} ({:?})",
		started.elapsed()
	);

	// 2. DA: a 1 MiB and a 32 MiB blob, each certified and rebuilt; samples verify.
	for (name, size) in [("blob-1mib.bin", 1 << 20), ("blob-32mib.bin", 32 << 20)] {
		let blob = random_bytes(size, size as u64);
		std::fs::write(path(name), &blob).unwrap();
		let submitted =
			zerog_json(&node, &["da", "submit", &path(name), "--wait", "--timeout", "300"]);
		let blob_root = submitted["root"].as_str().unwrap().to_owned();
		assert!(submitted["certifiedAt"].as_u64().is_some(), "certified: {submitted}");
		let copy = format!("{}.copy", path(name));
		zerog_json(&node, &["da", "get", &blob_root, "-o", &copy]);
		assert!(std::fs::read(&copy).unwrap() == blob, "{name} came back different");
		let sampled = zerog_json(&node, &["da", "sample", &blob_root]);
		assert_eq!(sampled["available"], true, "{sampled}");
		println!(
			"da: {name} certified in block #{} ({:?})",
			submitted["certifiedAt"],
			started.elapsed()
		);
	}

	// 3. Compute: the development executor, then one chat request paid by Bob.
	let executor_port = reserve_port();
	let mut executor = Command::new(executor_binary());
	executor.args(["--dev", "--listen", &format!("127.0.0.1:{executor_port}")]);
	// No job runs here: its job API takes any free port instead of 8800.
	executor.args(["--jobs-listen", "127.0.0.1:0"]);
	executor.args(["--node-rpc", &node.ws_url()]);
	let mut executor =
		Process::spawn("zerog-executor --dev", executor, dir.path().join("executor.log"));
	let ready = std::time::Instant::now();
	while !executor.log_text().contains("ready: serving services") {
		executor.assert_running();
		assert!(
			ready.elapsed() < BLOCK_TIMEOUT,
			"the executor is not ready:\n{}",
			executor.log_tail()
		);
		tokio::time::sleep(Duration::from_millis(500)).await;
	}
	let from = node.best_number().await;
	let chat: Json = zerog_json(
		&node,
		&["compute", "chat", "--service", "0", "--suri", "//Bob", "What is ZeroG?"],
	);
	let answer = chat["answer"].as_str().unwrap();
	assert!(
		answer.contains("echo backend, not a model") && answer.ends_with("What is ZeroG?"),
		"{chat}"
	);
	let fee: u128 = chat["fee"].as_str().unwrap().parse().unwrap();
	assert!(fee > 0, "{chat}");
	let (settled_at, fields) = wait_for_event(
		&node,
		&api,
		from,
		("ComputeEscrow", "ReceiptsSettled"),
		BLOCK_TIMEOUT * 2,
		|| executor.log_tail(),
		|_| true,
	)
	.await;
	let (provider, service, settled, paid, outcomes) =
		<([u8; 32], u64, u32, u128, Vec<u8>)>::decode(&mut &fields[..]).unwrap();
	assert_eq!((provider, service, settled, paid), (alice(), 0, 1, fee), "outcomes {outcomes:?}");
	assert_eq!(outcomes, vec![0], "the one receipt settled (outcome Settled)");
	println!(
		"compute: Bob's chat settled in block #{settled_at}, fee {fee} ({:?})",
		started.elapsed()
	);
}
