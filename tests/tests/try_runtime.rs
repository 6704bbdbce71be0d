//! Issue 16: a runtime upgrade is checked before governance enacts it. `zerog-node try-runtime`
//! runs the new runtime's migrations and every pallet's invariants (`try_state`) on a snapshot
//! (`zerog-node export-state`) of a real chain holding files, blobs, services, ledgers and a job,
//! and fails on a snapshot whose invariants do not hold.

use std::time::Duration;
use zerog_e2e_tests::{cli::zerog_json, next_runtime_wasm, run_node_command, Node, NodeConfig};

/// `zerog-node try-runtime --snapshot SNAPSHOT --runtime WASM`: success and everything printed.
fn try_runtime(snapshot: &std::path::Path) -> (bool, String) {
	let wasm = next_runtime_wasm();
	let output = run_node_command(&[
		"try-runtime",
		"--snapshot",
		snapshot.to_str().unwrap(),
		"--runtime",
		wasm.to_str().unwrap(),
	]);
	let text = String::from_utf8_lossy(&output.stdout).into_owned()
		+ &String::from_utf8_lossy(&output.stderr);
	(output.status.success(), text)
}

#[tokio::test(flavor = "multi_thread")]
async fn an_upgrade_is_checked_against_a_snapshot_of_a_real_chain() {
	let dir = tempfile::tempdir().unwrap();
	let base_path = dir.path().join("chain");
	let mut config = NodeConfig::dev("try-runtime").args(["--no-eth-rpc"]);
	config.base_path = Some(base_path.clone());
	let mut node = Node::start(config);

	// State beyond genesis' providers, signers, services and ledgers: a stored file, a blob
	// and a job on the stored file.
	let file = dir.path().join("dataset.csv");
	std::fs::write(&file, "x,y\n1,2\n3,4\n".repeat(500)).unwrap();
	let uploaded = zerog_json(&node, &["storage", "upload", file.to_str().unwrap()]);
	let root = uploaded["root"].as_str().expect("upload prints the root").to_owned();
	let blob = dir.path().join("blob.bin");
	std::fs::write(&blob, vec![7u8; 100_000]).unwrap();
	zerog_json(&node, &["da", "submit", blob.to_str().unwrap()]);
	zerog_json(&node, &["compute", "deposit", "5ZG"]);
	// Service 1 is the dev chain's job service; no executor runs, so the job stays open.
	let created = zerog_json(
		&node,
		&[
			"compute",
			"job",
			"create",
			"--service",
			"1",
			"--dataset",
			&root,
			"--params-hash",
			&format!("0x{}", "11".repeat(32)),
			"--max-fee",
			"1ZG",
			"--deadline-blocks",
			"500",
		],
	);
	assert!(created["job"].as_u64().is_some(), "{created}");
	let best = node.best_number().await;
	node.wait_for_finalized(best, Duration::from_secs(60)).await;
	node.kill();

	let export = run_node_command(&[
		"export-state",
		"--chain",
		"dev",
		"--base-path",
		base_path.to_str().unwrap(),
	]);
	assert!(export.status.success(), "{}", String::from_utf8_lossy(&export.stderr));
	let snapshot = dir.path().join("snapshot.json");
	std::fs::write(&snapshot, &export.stdout).unwrap();

	// A file that is not a snapshot is refused with the reason, not a panic.
	let garbage = dir.path().join("garbage.json");
	std::fs::write(&garbage, b"{\"name\": \"half a snapshot\"").unwrap();
	let (ok, text) = try_runtime(&garbage);
	assert!(!ok && text.contains("not a state snapshot"), "{text}");

	let (ok, text) = try_runtime(&snapshot);
	assert!(ok, "try-runtime failed on the chain's snapshot:\n{text}");
	assert!(text.contains("on-runtime-upgrade with checks All passed"), "{text}");
	let line = |needle: &str| text.lines().find(|line| line.contains(needle)).unwrap_or_default();
	println!("the chain's snapshot: {}", line("passed"));

	// A snapshot whose holds were lost: the stakes of providers, signers and services are no
	// longer on hold, which the pallets' invariants catch.
	let mut spec: serde_json::Value = serde_json::from_slice(&export.stdout).unwrap();
	let holds = BALANCES_HOLDS_PREFIX;
	let top = spec["genesis"]["raw"]["top"].as_object_mut().expect("a raw snapshot");
	let before = top.len();
	top.retain(|key, _| !key.starts_with(holds));
	assert!(top.len() < before, "the snapshot has holds");
	let broken = dir.path().join("broken.json");
	std::fs::write(&broken, serde_json::to_vec(&spec).unwrap()).unwrap();
	let (ok, text) = try_runtime(&broken);
	assert!(!ok, "try-runtime passed a snapshot without holds:\n{text}");
	assert!(text.contains("try-runtime on-runtime-upgrade failed"), "{text}");
	let line = |needle: &str| text.lines().find(|line| line.contains(needle)).unwrap_or_default();
	println!("without holds: {}", line("on-runtime-upgrade failed"));
}

/// The storage prefix of `Balances.Holds`: `twox_128("Balances") ++ twox_128("Holds")`.
const BALANCES_HOLDS_PREFIX: &str =
	"0xc2261276cc9d1f8598ea4b6a74b15c2f811187ede3c61f3269344d168d3e6337";
