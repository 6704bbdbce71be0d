//! The `zerog` client against a real `zerog-node --dev`: a file goes up (commitment on chain,
//! segments with proofs) and comes back byte for byte; the node refuses segments with a wrong
//! proof (6002) or for a root nobody committed (6001); and an upload cut short by `kill -9` of
//! the node resumes after a restart without submitting again and without losing a segment; a
//! node at its `--data-max-size` refuses an upload (6007) and keeps what it stores.

use std::{
	io::{BufRead, BufReader},
	path::Path,
	process::{Command, Stdio},
	time::{Duration, Instant},
};

use serde_json::Value as Json;
use subxt::rpcs::{rpc_params, Error as RpcError, RpcClient};
use zerog_e2e_tests::{
	cli::{hex, output_text, random_bytes, refusal_code, unhex, zerog_json, zerog_ok},
	cli_binary, run_cli, Node, NodeConfig,
};

/// Blocks come every 2 s; allow for a slow, loaded CI machine.
const BLOCK_TIMEOUT: Duration = Duration::from_secs(60);

/// Bytes of a segment, the unit of upload (`zerog_primitives::storage::SEGMENT_SIZE`).
const SEGMENT_SIZE: usize = 256 * 1024;

/// `storage_fileInfo(root)`, or the RPC error.
async fn file_info(rpc: &RpcClient, root: &str) -> Result<Json, RpcError> {
	rpc.request("storage_fileInfo", rpc_params![root]).await
}

#[tokio::test(flavor = "multi_thread")]
async fn cli_uploads_downloads_and_node_refuses_bad_segments() {
	let node = Node::start(NodeConfig::dev("cli-storage").args(["--no-eth-rpc"]));
	node.wait_for_best(1, BLOCK_TIMEOUT).await;
	let dir = tempfile::tempdir().unwrap();
	let file = dir.path().join("five-mib.bin");
	let bytes = random_bytes(5 * 1024 * 1024, 7);
	std::fs::write(&file, &bytes).unwrap();
	let segments = bytes.len().div_ceil(SEGMENT_SIZE) as u64;

	// Upload: committed on chain, every segment stored, file finalized.
	let uploaded =
		zerog_json(&node, &["storage", "upload", file.to_str().unwrap(), "--tag", "e2e"]);
	let root = uploaded["root"].as_str().expect("upload prints the root").to_owned();
	assert_eq!(root.len(), 66, "{uploaded}");
	assert_eq!(uploaded["size"], bytes.len() as u64);
	assert_eq!(uploaded["submitted"], true, "{uploaded}");
	assert_eq!(uploaded["finalized"], true, "{uploaded}");
	assert_eq!(uploaded["uploadedSegments"], segments, "{uploaded}");
	let file_id = uploaded["fileId"].as_u64().expect("the chain gave the file an id");

	// Download: byte-identical, nothing else left in the directory.
	let out = dir.path().join("downloaded.bin");
	zerog_ok(&node, &["storage", "download", &root, "-o", out.to_str().unwrap()]);
	assert!(std::fs::read(&out).unwrap() == bytes, "the downloaded file differs");
	let leftovers: Vec<_> = std::fs::read_dir(dir.path())
		.unwrap()
		.map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
		.filter(|name| name.starts_with(".zerog"))
		.collect();
	assert!(leftovers.is_empty(), "temporary files left behind: {leftovers:?}");

	// Info, for scripts and for people.
	let info = zerog_json(&node, &["storage", "info", &root]);
	assert_eq!(info["fileId"], file_id);
	assert_eq!(info["size"], bytes.len() as u64);
	assert_eq!(info["segments"], segments);
	assert_eq!(info["segmentsStored"], segments);
	assert_eq!(info["finalized"], true);
	let human = zerog_ok(&node, &["storage", "info", &root]);
	assert!(human.contains(&root) && human.contains("finalized"), "{human}");

	// Uploading again submits nothing and sends nothing.
	let again = zerog_json(&node, &["storage", "upload", file.to_str().unwrap()]);
	assert_eq!(again["submitted"], false, "{again}");
	assert_eq!(again["uploadedSegments"], 0, "{again}");
	assert_eq!(again["fileId"], file_id);

	// A segment whose bytes do not match its proof is refused with InvalidProof.
	let rpc = node.rpc().await;
	let segment: Json =
		rpc.request("storage_downloadSegment", rpc_params![root.as_str(), 3u64]).await.unwrap();
	let mut data = unhex(segment["data"].as_str().unwrap());
	assert_eq!(data, bytes[3 * SEGMENT_SIZE..4 * SEGMENT_SIZE]);
	data[100] ^= 0xff;
	let proof = segment["proof"].as_str().unwrap();
	let (code, message) = refusal_code(
		rpc.request("storage_uploadSegment", rpc_params![root.as_str(), 3u64, hex(&data), proof])
			.await,
	);
	assert_eq!(code, 6002, "wrong proof: {message}");
	// ... and so is the right segment under another index.
	let good = segment["data"].as_str().unwrap();
	let (code, message) = refusal_code(
		rpc.request("storage_uploadSegment", rpc_params![root.as_str(), 4u64, good, proof]).await,
	);
	assert_eq!(code, 6002, "proof for another index: {message}");

	// A segment for a root nobody committed is refused with UnknownFile.
	let uncommitted = format!("0x{}", "5a".repeat(32));
	let (code, message) = refusal_code(
		rpc.request("storage_uploadSegment", rpc_params![uncommitted.as_str(), 0u64, good, proof])
			.await,
	);
	assert_eq!(code, 6001, "uncommitted root: {message}");

	// The CLI reports refusals with the node's message and a non-zero exit.
	let url = node.ws_url();
	let output = run_cli(&["--rpc", &url, "storage", "info", &uncommitted]);
	assert!(!output.status.success(), "{}", output_text(&output));
	let stderr = String::from_utf8_lossy(&output.stderr);
	assert!(stderr.contains("6001"), "names the refusal: {stderr}");

	// Nothing was lost or changed by the refused uploads.
	let info = file_info(&rpc, &root).await.unwrap();
	assert_eq!(info["segmentsStored"], segments);
	zerog_ok(&node, &["storage", "download", &root, "-o", out.to_str().unwrap()]);
	assert!(std::fs::read(&out).unwrap() == bytes, "the file changed after refused uploads");
}

/// Starts a `--dev` node whose database lives in `base_path` (so a restart keeps it).
fn start_persistent(name: &str, base_path: &Path) -> Node {
	let mut config = NodeConfig::dev(name).args(["--no-eth-rpc"]);
	config.base_path = Some(base_path.to_path_buf());
	Node::start(config)
}

#[tokio::test(flavor = "multi_thread")]
async fn upload_resumes_after_the_node_is_killed() {
	let base = tempfile::tempdir().unwrap();
	let dir = tempfile::tempdir().unwrap();
	let file = dir.path().join("twenty-four-mib.bin");
	let bytes = random_bytes(24 * 1024 * 1024, 24);
	std::fs::write(&file, &bytes).unwrap();
	let segments = bytes.len().div_ceil(SEGMENT_SIZE) as u64;

	let mut node = start_persistent("cli-resume-1", base.path());
	node.wait_for_best(1, BLOCK_TIMEOUT).await;
	let url = node.ws_url();
	// One segment at a time, so the upload is still running when the node dies. Its text output
	// starts with the root, which is how this test learns which file to watch.
	let mut upload = Command::new(cli_binary())
		.args(["--rpc", &url, "storage", "upload", file.to_str().unwrap(), "--parallel", "1"])
		.stdin(Stdio::null())
		.stdout(Stdio::piped())
		.stderr(Stdio::piped())
		.spawn()
		.expect("zerog starts");
	let stdout = upload.stdout.take().expect("stdout is piped");
	let (lines_tx, lines) = std::sync::mpsc::channel::<String>();
	std::thread::spawn(move || {
		for line in BufReader::new(stdout).lines().map_while(Result::ok) {
			if lines_tx.send(line).is_err() {
				break;
			}
		}
	});

	let rpc = node.rpc().await;
	let started = Instant::now();
	let mut root = None;
	let stored_at_kill = loop {
		assert!(started.elapsed() < BLOCK_TIMEOUT * 2, "the upload never stored a segment");
		if let Some(status) = upload.try_wait().unwrap() {
			panic!("the upload ended ({status}) before the node could be killed");
		}
		while let Ok(line) = lines.try_recv() {
			if let Some(printed) = line.strip_prefix("root ") {
				root = Some(printed.trim().to_owned());
			}
		}
		if let Some(root) = &root {
			if let Ok(info) = file_info(&rpc, root).await {
				let stored = info["segmentsStored"].as_u64().unwrap();
				if stored > 0 {
					assert!(stored < segments, "the upload finished before the node was killed");
					break stored;
				}
			}
		}
		tokio::time::sleep(Duration::from_millis(10)).await;
	};
	let root = root.expect("the upload printed its root");
	node.kill(); // SIGKILL, mid-upload
	let interrupted = upload.wait_with_output().unwrap();
	assert!(!interrupted.status.success(), "the upload cannot succeed without its node");
	drop(rpc);
	drop(node);

	// Same database, new process: what was stored is still there.
	let node = start_persistent("cli-resume-2", base.path());
	let rpc = node.rpc().await;
	let mut observed = vec![stored_at_kill];
	node.wait_until("the file info after restart", BLOCK_TIMEOUT, || async {
		file_info(&rpc, &root).await.is_ok()
	})
	.await;
	let after_restart = file_info(&rpc, &root).await.unwrap();
	observed.push(after_restart["segmentsStored"].as_u64().unwrap());
	assert_eq!(after_restart["size"], bytes.len() as u64);

	// Upload again, watching segmentsStored while it runs: it never goes down.
	let url = node.ws_url();
	let mut resumed = Command::new(cli_binary())
		.args(["--rpc", &url, "storage", "upload", file.to_str().unwrap(), "--json"])
		.stdin(Stdio::null())
		.stdout(Stdio::piped())
		.stderr(Stdio::piped())
		.spawn()
		.expect("zerog starts");
	let started = Instant::now();
	while resumed.try_wait().unwrap().is_none() {
		assert!(started.elapsed() < BLOCK_TIMEOUT * 3, "the resumed upload does not end");
		if let Ok(info) = file_info(&rpc, &root).await {
			observed.push(info["segmentsStored"].as_u64().unwrap());
		}
		tokio::time::sleep(Duration::from_millis(20)).await;
	}
	let output = resumed.wait_with_output().unwrap();
	assert!(output.status.success(), "resumed upload failed:\n{}", output_text(&output));
	let result: Json = serde_json::from_slice(&output.stdout).unwrap();
	assert_eq!(result["root"], root.as_str());
	assert_eq!(result["submitted"], false, "a resumed upload does not submit again: {result}");
	assert_eq!(result["finalized"], true, "{result}");
	let sent = result["uploadedSegments"].as_u64().unwrap();
	assert!(sent <= segments - stored_at_kill, "resent stored segments: {result}");

	let final_info = file_info(&rpc, &root).await.unwrap();
	observed.push(final_info["segmentsStored"].as_u64().unwrap());
	assert_eq!(final_info["segmentsStored"], segments);
	assert!(
		observed.windows(2).all(|pair| pair[0] <= pair[1]),
		"segmentsStored decreased: {observed:?}"
	);

	let out = dir.path().join("downloaded.bin");
	zerog_ok(&node, &["storage", "download", &root, "-o", out.to_str().unwrap()]);
	assert!(std::fs::read(&out).unwrap() == bytes, "the downloaded file differs");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_full_data_store_refuses_an_upload_and_keeps_what_it_stores() {
	// Room for four segments.
	let node =
		Node::start(NodeConfig::dev("cli-quota").args(["--no-eth-rpc", "--data-max-size", "1MiB"]));
	node.wait_for_best(1, BLOCK_TIMEOUT).await;
	let dir = tempfile::tempdir().unwrap();
	let small = dir.path().join("small.bin");
	let small_bytes = random_bytes(SEGMENT_SIZE * 2, 11);
	std::fs::write(&small, &small_bytes).unwrap();
	let uploaded = zerog_json(&node, &["storage", "upload", small.to_str().unwrap()]);
	let root = uploaded["root"].as_str().expect("upload prints the root").to_owned();

	// Eight more segments do not fit: the upload fails with the node's reason.
	let large = dir.path().join("large.bin");
	std::fs::write(&large, random_bytes(SEGMENT_SIZE * 8, 12)).unwrap();
	let url = node.ws_url();
	let output = run_cli(&["--rpc", &url, "storage", "upload", large.to_str().unwrap()]);
	assert!(!output.status.success(), "{}", output_text(&output));
	let stderr = String::from_utf8_lossy(&output.stderr);
	assert!(stderr.contains("6007") && stderr.contains("--data-max-size"), "{stderr}");

	// What the node stored before is intact.
	let out = dir.path().join("back.bin");
	zerog_ok(&node, &["storage", "download", &root, "-o", out.to_str().unwrap()]);
	assert!(std::fs::read(&out).unwrap() == small_bytes, "the stored file changed");
}

#[tokio::test(flavor = "multi_thread")]
async fn chain_refusals_exit_non_zero_with_the_reason() {
	let node = Node::start(NodeConfig::dev("cli-refusals").args(["--no-eth-rpc"]));
	node.wait_for_best(1, BLOCK_TIMEOUT).await;
	let url = node.ws_url();
	let dir = tempfile::tempdir().unwrap();
	let file = dir.path().join("small.bin");
	std::fs::write(&file, random_bytes(1000, 3)).unwrap();
	let file = file.to_str().unwrap();

	// An account that cannot pay the fee: the pool refuses the transaction.
	let output = run_cli(&["--rpc", &url, "storage", "upload", file, "--suri", "//NoFundsHere"]);
	assert!(!output.status.success(), "{}", output_text(&output));
	let stderr = String::from_utf8_lossy(&output.stderr).to_lowercase();
	assert!(stderr.contains("pay"), "says the fee cannot be paid: {stderr}");

	// A dispatch error is named by pallet and error, with what to do about it: Ferdie withdraws
	// more than his marketplace funds.
	let output =
		run_cli(&["--rpc", &url, "compute", "withdraw", "1000000ZG", "--suri", "//Ferdie"]);
	assert!(!output.status.success(), "{}", output_text(&output));
	let stderr = String::from_utf8_lossy(&output.stderr);
	assert!(
		stderr.contains("ComputeEscrow::InsufficientAvailableFunds") && stderr.contains("deposit"),
		"names the pallet error and the remedy: {stderr}"
	);

	// Empty files are refused before anything is sent.
	let empty = dir.path().join("empty.bin");
	std::fs::write(&empty, b"").unwrap();
	let output = run_cli(&["--rpc", &url, "storage", "upload", empty.to_str().unwrap()]);
	assert!(!output.status.success(), "{}", output_text(&output));
	assert!(String::from_utf8_lossy(&output.stderr).contains("empty"), "{}", output_text(&output));
}
