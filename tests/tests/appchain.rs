//! An appchain without DA (docs/appchain.md): the runtime built with the `storage` and `compute`
//! features only (`runtime/without-da`), a spec made from its wasm with `zerog-node
//! create-spec`, and the stock `zerog-node` running it. Blocks are produced (with their VRF
//! reveals) and finalized, a file goes up and comes back through the `zerog` CLI, and the DA
//! services are absent, not broken: no `da_*` method, the data plane refuses shards, the
//! metadata has no DA pallet. A preset the runtime lacks is refused with the list it has.

use std::time::Duration;

use serde_json::Value as Json;
use subxt::rpcs::rpc_params;
use zerog_e2e_tests::{
	cli::{random_bytes, zerog_json, zerog_ok},
	http, run_node_command, Node, NodeConfig,
};

/// Blocks come every 2 s; allow for a slow, loaded CI machine.
const BLOCK_TIMEOUT: Duration = Duration::from_secs(60);

#[tokio::test(flavor = "multi_thread")]
async fn a_chain_without_da_runs_on_the_stock_node() {
	let dir = tempfile::tempdir().unwrap();
	let wasm = dir.path().join("zerog_runtime_without_da.compact.compressed.wasm");
	std::fs::write(
		&wasm,
		zerog_runtime_without_da::WASM_BINARY
			.expect("the runtime without DA was built (no SKIP_WASM_BUILD)"),
	)
	.unwrap();
	let wasm = wasm.to_str().unwrap();

	// A preset the runtime does not have: refused, naming those it has.
	let refused = run_node_command(&["create-spec", "--runtime", wasm, "--preset", "mainnet"]);
	let stderr = String::from_utf8_lossy(&refused.stderr);
	assert!(!refused.status.success(), "create-spec accepted an unknown preset");
	assert!(stderr.contains("no preset 'mainnet'") && stderr.contains("development"), "{stderr}");

	let created = run_node_command(&[
		"create-spec",
		"--runtime",
		wasm,
		"--preset",
		"development",
		"--chain-type",
		"development",
		"--name",
		"ZeroG without DA",
		"--id",
		"zerog_no_da",
		"--raw",
	]);
	assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stderr));
	let spec = dir.path().join("no-da.json");
	std::fs::write(&spec, &created.stdout).unwrap();

	let node = Node::start(NodeConfig::chain("no-da", spec.to_str().unwrap()).args([
		"--alice",
		"--validator",
		"--force-authoring",
		"--no-eth-rpc",
		// A validator's libp2p key (a real one: `zerog-node key generate-node-key`).
		"--node-key",
		"0000000000000000000000000000000000000000000000000000000000000011",
	]));
	node.wait_for_finalized(3, BLOCK_TIMEOUT).await;
	assert!(node.log_contains("storage and no DA"), "{}", node.log_tail());

	// The chain's runtime is the one without DA.
	let at = node.client().await.at_current_block().await.unwrap();
	let metadata = at.metadata_ref();
	assert!(metadata.pallet_by_name("DaAttestations").is_none(), "the DA pallet is in the runtime");
	assert!(metadata.pallet_by_name("StorageCommitments").is_some());
	assert!(metadata.pallet_by_name("VrfRandomness").is_some());

	// RPC: storage methods served, DA methods absent.
	let rpc = node.rpc().await;
	let methods: Json = rpc.request("rpc_methods", rpc_params![]).await.unwrap();
	let methods: Vec<&str> =
		methods["methods"].as_array().unwrap().iter().filter_map(Json::as_str).collect();
	assert!(methods.contains(&"storage_fileInfo"), "{methods:?}");
	assert!(!methods.iter().any(|method| method.starts_with("da_")), "{methods:?}");

	// The data plane: shards refused before their body is read.
	let answer = http::request(
		node.storage_port,
		"POST",
		&format!("/da/v1/blobs/0x{}/shards", "ab".repeat(32)),
		b"anything",
		BLOCK_TIMEOUT,
	)
	.unwrap();
	assert_eq!(answer.status, 404, "{}", answer.text());
	assert!(answer.text().contains("no DA pallet"), "{}", answer.text());

	// Storage works end to end: a file of two segments goes up and comes back.
	let bytes = random_bytes(300 * 1024, 11);
	let file = dir.path().join("dataset.bin");
	std::fs::write(&file, &bytes).unwrap();
	let uploaded = zerog_json(&node, &["storage", "upload", file.to_str().unwrap()]);
	assert_eq!(uploaded["finalized"], true, "{uploaded}");
	let root = uploaded["root"].as_str().expect("upload prints the root");
	let out = dir.path().join("back.bin");
	zerog_ok(&node, &["storage", "download", root, "-o", out.to_str().unwrap()]);
	assert!(std::fs::read(&out).unwrap() == bytes, "the downloaded file differs");

	// And the chain goes on.
	let finalized = node.finalized_number().await;
	node.wait_for_finalized(finalized + 2, BLOCK_TIMEOUT).await;
}
