//! The `zerog da` commands against a real `zerog-node --dev` whose off-chain worker is a DA
//! signer: a blob is erasure-coded, committed, pushed to the node (also through the HTTP
//! endpoint the signer registered) and certified; it comes back byte for byte and samples
//! verify; once the node has dropped most shards, sampling and fetching fail with a non-zero exit.
//! Certified blobs are retained, then deleted; their attester answers custody challenges and is
//! slashed once it dropped the shards.

use std::time::Duration;

use serde_json::Value as Json;
use subxt::{
	dynamic::{self, Value},
	rpcs::rpc_params,
};
use subxt_signer::sr25519::dev;
use zerog_e2e_tests::{
	cli::{output_text, random_bytes, zerog_json},
	events::wait_for_event,
	run_cli, Node, NodeConfig,
};

/// One ZG in the smallest unit.
const ZG: u128 = 1_000_000_000_000_000_000;

/// Blocks come every 2 s; allow for a slow, loaded CI machine.
const BLOCK_TIMEOUT: Duration = Duration::from_secs(60);

/// Moves the endpoint of `signer`, a DA signer of the dev genesis (stake 100 ZG), to
/// `endpoint`.
async fn update_signer_endpoint(
	node: &Node,
	signer: &subxt_signer::sr25519::Keypair,
	endpoint: &str,
) {
	let update = dynamic::transaction(
		"DaAttestations",
		"update_signer",
		(100 * ZG, Value::from_bytes(endpoint.as_bytes())),
	);
	zerog_e2e_tests::storage::submit(&node.client().await, update, signer).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn da_blob_is_certified_fetched_and_sampled() {
	let node = Node::start(NodeConfig::dev("cli-da").args(["--no-eth-rpc"]));
	node.wait_for_best(1, BLOCK_TIMEOUT).await;
	let alice = dev::alice();
	let rpc = node.rpc().await;

	// Alice's node signs for DA out of the box: the dev genesis registers her as a signer and
	// `--dev` puts her `zgda` key into the keystore. Her endpoint moves to the node's RPC over
	// plain HTTP, which the CLI pushes the shards to: she is the whole quorum.
	let endpoint = format!("http://127.0.0.1:{}", node.rpc_port);
	update_signer_endpoint(&node, &alice, &endpoint).await;

	let dir = tempfile::tempdir().unwrap();
	let blob = random_bytes(300_000, 11);
	let file = dir.path().join("blob.bin");
	std::fs::write(&file, &blob).unwrap();
	let submitted = zerog_json(
		&node,
		&[
			"da",
			"submit",
			file.to_str().unwrap(),
			"--namespace",
			"7",
			"--data-shards",
			"4",
			"--parity-shards",
			"8",
			"--wait",
			"--timeout",
			"120",
		],
	);
	let root = submitted["root"].as_str().expect("submit prints the root").to_owned();
	assert_eq!(submitted["submitted"], true, "{submitted}");
	assert_eq!(submitted["held"], 12, "the node holds every shard: {submitted}");
	assert!(submitted["certifiedAt"].as_u64().is_some(), "certified: {submitted}");
	let signers = submitted["signers"].as_array().expect("signer reports");
	assert_eq!(signers.len(), 1, "the HTTP endpoint of the signer was used: {submitted}");
	assert_eq!(signers[0]["endpoint"], endpoint.as_str());
	assert_eq!(signers[0]["held"], 12, "{submitted}");
	assert_eq!(signers[0]["transport"], "binary", "shards go to the data plane: {submitted}");
	assert_eq!(signers[0]["shards"], serde_json::json!([0, 12]), "{submitted}");
	assert_eq!(submitted["quorum"], 0, "{submitted}");

	// Fetched back byte for byte, and every sample verifies.
	let out = dir.path().join("fetched.bin");
	zerog_json(&node, &["da", "get", &root, "-o", out.to_str().unwrap()]);
	assert!(std::fs::read(&out).unwrap() == blob, "the fetched blob differs");
	let sampled = zerog_json(&node, &["da", "sample", &root, "--samples", "3"]);
	assert_eq!(sampled["available"], true, "{sampled}");
	assert_eq!(sampled["verified"], 3, "{sampled}");
	// k = 4 of n = 12: an unavailable blob passes 3 samples with probability 3/12 * 2/11 * 1/10.
	let confidence = sampled["confidence"].as_f64().unwrap();
	assert!((confidence - (1.0 - 6.0 / 1320.0)).abs() < 1e-9, "{sampled}");

	// Submitting the same blob again only pushes the shards.
	let again = zerog_json(
		&node,
		&["da", "submit", file.to_str().unwrap(), "--data-shards", "4", "--parity-shards", "8"],
	);
	assert_eq!(again["submitted"], false, "{again}");

	// The node drops 9 of the 12 shards: fewer than k remain, so the blob is unavailable.
	let removed: Json = rpc
		.request("da_removeShards", rpc_params![root.as_str(), (3u16..12).collect::<Vec<_>>()])
		.await
		.unwrap();
	assert_eq!(removed["removed"], 9);
	let url = node.ws_url();
	let output = run_cli(&["--rpc", &url, "da", "sample", &root, "--samples", "12"]);
	assert!(!output.status.success(), "sampling all shards must fail:\n{}", output_text(&output));
	assert!(
		String::from_utf8_lossy(&output.stderr).contains("unavailable"),
		"{}",
		output_text(&output)
	);
	let missing = dir.path().join("missing.bin");
	let output = run_cli(&["--rpc", &url, "da", "get", &root, "-o", missing.to_str().unwrap()]);
	assert!(!output.status.success(), "{}", output_text(&output));
	assert!(!missing.exists(), "nothing is written for a blob that cannot be rebuilt");
}

/// A blob nobody attests (its quorum's only signer, Alice, runs no off-chain worker on this
/// node) expires; the node's sweep (`--data-prune-interval 2`) keeps its shards while it is
/// pending and deletes them once the chain has forgotten it. The node serves only safe RPC
/// methods, as a public one does: it refuses to rebuild whole blobs (`da_getBlob`), and
/// `zerog da get` rebuilds the blob from its shards instead.
#[tokio::test(flavor = "multi_thread")]
async fn shards_of_a_blob_that_expired_uncertified_are_deleted() {
	let node = Node::start(NodeConfig::dev("cli-da-prune").args([
		"--no-eth-rpc",
		"--data-prune-interval",
		"2",
		"--offchain-worker",
		"never",
		"--rpc-methods",
		"safe",
	]));
	node.wait_for_best(1, BLOCK_TIMEOUT).await;
	let rpc = node.rpc().await;
	// Shards go to the members of the blob's quorum: Alice, at this node.
	update_signer_endpoint(&node, &dev::alice(), &format!("http://127.0.0.1:{}", node.rpc_port))
		.await;

	let dir = tempfile::tempdir().unwrap();
	let file = dir.path().join("blob.bin");
	let blob = random_bytes(50_000, 12);
	std::fs::write(&file, &blob).unwrap();
	let submitted = zerog_json(
		&node,
		&["da", "submit", file.to_str().unwrap(), "--data-shards", "2", "--parity-shards", "2"],
	);
	let root = submitted["root"].as_str().expect("submit prints the root").to_owned();
	assert_eq!(submitted["held"], 4, "{submitted}");
	let included = submitted["blockNumber"].as_u64().expect("included in a block") as u32;

	// Pending for the DA epoch's 30 blocks: sweeps at every second finalized block keep it.
	node.wait_for_finalized(included + 5, BLOCK_TIMEOUT).await;
	let held: Json = rpc.request("da_heldShards", rpc_params![root.as_str()]).await.unwrap();
	assert_eq!(held["indices"], serde_json::json!([0, 1, 2, 3]), "kept while pending: {held}");
	let refused = rpc
		.request::<Json>("da_getBlob", rpc_params![root.as_str()])
		.await
		.expect_err("a node serving safe methods only does not rebuild blobs");
	assert!(refused.to_string().contains("unsafe"), "{refused}");
	let out = dir.path().join("rebuilt.bin");
	let fetched = zerog_json(&node, &["da", "get", &root, "-o", out.to_str().unwrap()]);
	assert_eq!(fetched["source"], "shards", "{fetched}");
	assert!(std::fs::read(&out).unwrap() == blob, "the rebuilt blob differs");

	// Expired at `included + 30`, unknown at two sweeps after that: deleted.
	wait_until_deleted(&node, &root, BLOCK_TIMEOUT * 2).await;
	let out = dir.path().join("gone.bin");
	let output =
		run_cli(&["--rpc", &node.ws_url(), "da", "get", &root, "-o", out.to_str().unwrap()]);
	assert!(!output.status.success(), "{}", output_text(&output));
	assert!(!out.exists());
}

/// Retention: with `set_retention_period(2)` (Root, through the dev chain's sudo), a certified
/// blob leaves state 2 blocks after its attestation window ends, and the node's sweep
/// (`--data-prune-interval 2`) then deletes its shards from disk.
#[tokio::test(flavor = "multi_thread")]
async fn a_certified_blob_past_its_retention_leaves_state_and_disk() {
	let node = Node::start(NodeConfig::dev("cli-da-retention").args([
		"--no-eth-rpc",
		"--data-prune-interval",
		"2",
	]));
	node.wait_for_best(1, BLOCK_TIMEOUT).await;
	let alice = dev::alice();
	update_signer_endpoint(&node, &alice, &format!("http://127.0.0.1:{}", node.rpc_port)).await;
	let set_retention = dynamic::transaction(
		"Sudo",
		"sudo",
		(Value::unnamed_variant(
			"DaAttestations",
			[Value::named_variant("set_retention_period", [("blocks", Value::u128(2))])],
		),),
	);
	zerog_e2e_tests::storage::submit(&node.client().await, set_retention, &alice).await;

	let dir = tempfile::tempdir().unwrap();
	let file = dir.path().join("blob.bin");
	std::fs::write(&file, random_bytes(40_000, 13)).unwrap();
	let submitted = zerog_json(
		&node,
		&[
			"da",
			"submit",
			file.to_str().unwrap(),
			"--data-shards",
			"2",
			"--parity-shards",
			"2",
			"--wait",
			"--timeout",
			"120",
		],
	);
	let root = submitted["root"].as_str().expect("submit prints the root").to_owned();
	assert!(submitted["certifiedAt"].as_u64().is_some(), "certified: {submitted}");
	let rpc = node.rpc().await;
	let held: Json = rpc.request("da_heldShards", rpc_params![root.as_str()]).await.unwrap();
	assert_eq!(held["indices"], serde_json::json!([0, 1, 2, 3]), "{held}");

	// The window ends 30 blocks after the submission, the retention 2 blocks later; two sweeps
	// after that the shards are gone.
	wait_until_deleted(&node, &root, BLOCK_TIMEOUT * 3).await;
}

/// Waits until `node`'s sweep deleted the 4 shards of blob `root`, then checks that neither the
/// chain nor the node knows it any more.
async fn wait_until_deleted(node: &Node, root: &str, timeout: Duration) {
	let deleted = format!("deleted 4 shards of blob {root}");
	node.wait_until("the blob's shards are deleted", timeout, || {
		let found = node.log_contains(&deleted);
		async move { found }
	})
	.await;
	let error = node
		.rpc()
		.await
		.request::<Json>("da_heldShards", rpc_params![root])
		.await
		.expect_err("neither the chain nor the node knows the blob");
	assert!(error.to_string().contains("no pending or certified blob"), "{error}");
}

/// Custody after certification: Alice, the dev chain's only signer and so the attester of every
/// blob, answers the custody challenges from her node's store (`CustodyProven`); once the node
/// has dropped the blob's shards she cannot, and the next round slashes a tenth of her stake
/// (`CustodyMissed`).
#[tokio::test(flavor = "multi_thread")]
async fn a_signer_that_dropped_its_shards_is_slashed() {
	let node = Node::start(NodeConfig::dev("cli-da-custody").args(["--no-eth-rpc"]));
	node.wait_for_best(1, BLOCK_TIMEOUT).await;
	let alice = dev::alice();
	update_signer_endpoint(&node, &alice, &format!("http://127.0.0.1:{}", node.rpc_port)).await;
	let dir = tempfile::tempdir().unwrap();
	let file = dir.path().join("blob.bin");
	std::fs::write(&file, random_bytes(100_000, 17)).unwrap();
	let submitted =
		zerog_json(&node, &["da", "submit", file.to_str().unwrap(), "--wait", "--timeout", "120"]);
	let root = submitted["root"].as_str().expect("submit prints the root").to_owned();
	assert!(submitted["certifiedAt"].as_u64().is_some(), "certified: {submitted}");

	// Custody rounds come every 10 blocks; the off-chain worker answers in the next block.
	let api = node.client().await;
	let from = node.best_number().await;
	let alice_id = alice.public_key().0;
	let is_alice = |fields: &[u8]| fields.get(..32) == Some(&alice_id[..]);
	let (proven_at, _) = wait_for_event(
		&node,
		&api,
		from,
		("DaAttestations", "CustodyProven"),
		BLOCK_TIMEOUT,
		|| format!("Alice answers for blob {root}"),
		is_alice,
	)
	.await;

	let rpc = node.rpc().await;
	let held: Json = rpc.request("da_heldShards", rpc_params![root.as_str()]).await.unwrap();
	let indices: Vec<u64> =
		held["indices"].as_array().unwrap().iter().filter_map(Json::as_u64).collect();
	assert_eq!(indices.len(), 48, "{held}");
	let removed: Json =
		rpc.request("da_removeShards", rpc_params![root.as_str(), indices]).await.unwrap();
	assert_eq!(removed["removed"], 48);
	let (missed_at, fields) = wait_for_event(
		&node,
		&api,
		proven_at + 1,
		("DaAttestations", "CustodyMissed"),
		BLOCK_TIMEOUT * 2,
		|| format!("Alice misses a challenge of blob {root}"),
		is_alice,
	)
	.await;
	// Fields: signer (32 bytes), blob id (8), slashed (u128 LE): 10 % of her 100 ZG.
	let slashed = u128::from_le_bytes(fields[40..56].try_into().unwrap());
	assert_eq!(slashed, 10 * ZG, "slashed at block {missed_at}");
	assert!(node.log_contains("cannot be answered"), "the worker says why it did not answer");
}
