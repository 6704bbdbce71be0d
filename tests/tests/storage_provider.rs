//! A storage provider on a real `zerog-node --dev`: its key sits in the node's keystore, its
//! off-chain worker answers the chain's challenges with chunk proofs read from the node's
//! segment store (through host functions), and it is paid from the file's fee every period; once
//! it stops answering it is slashed.

use std::time::Duration;

use serde_json::Value as Json;
use subxt::{
	dynamic,
	ext::codec::Encode,
	rpcs::{rpc_params, RpcClient},
	OnlineClient, PolkadotConfig,
};
use subxt_signer::sr25519::{dev, Keypair};
use zerog_e2e_tests::{
	cli::{hex, random_bytes, refusal_code, zerog_json},
	storage::{
		acknowledged_files, provider_stake, register_provider, submit, wait_for_outcomes, Outcome,
		ALICE_STAKE, CHALLENGE_PERIOD, ZG,
	},
	Node, NodeConfig,
};
use zerog_primitives::storage::{FileTree, SEGMENT_SIZE};

/// Providers asked to hold the test file: Alice (a genesis provider) and Bob.
const REPLICAS: u8 = 2;

/// Blocks come every 2 s; allow for a slow, loaded CI machine.
const BLOCK_TIMEOUT: Duration = Duration::from_secs(60);

/// `owner` commits `file` (hashed into `tree`) for [`REPLICAS`] providers and uploads every
/// segment to the node behind `rpc`.
async fn store_file(
	api: &OnlineClient<PolkadotConfig>,
	rpc: &RpcClient,
	owner: &Keypair,
	file: &[u8],
	tree: &FileTree,
) {
	let (root, size) = (tree.root(), file.len() as u64);
	let call = dynamic::transaction(
		"StorageCommitments",
		"submit",
		(root.0, size, Vec::<Vec<u8>>::new(), REPLICAS),
	);
	submit(api, call, owner).await;
	for (index, segment) in file.chunks(SEGMENT_SIZE).enumerate() {
		let proof = tree.segment_proof(index as u64).unwrap();
		let answer: Json = rpc
			.request(
				"storage_uploadSegment",
				rpc_params![hex(root.as_bytes()), index as u64, hex(segment), hex(&proof.encode())],
			)
			.await
			.unwrap();
		assert_eq!(answer["newlyStored"], true, "{answer}");
	}
}

#[tokio::test(flavor = "multi_thread")]
async fn provider_answers_challenges_through_its_offchain_worker_and_is_slashed_when_it_stops() {
	let mut node = Node::start(NodeConfig::dev("storage-provider"));
	node.wait_for_best(1, BLOCK_TIMEOUT).await;
	let api = node.client().await;
	let rpc = node.rpc().await;
	let (alice, bob) = (dev::alice(), dev::bob());

	// Bob is the provider: his key goes into the node's keystore under the `zgst` key type, and
	// he registers with a stake.
	let _: Json = rpc
		.request("author_insertKey", rpc_params!["zgst", "//Bob", hex(&bob.public_key().0)])
		.await
		.unwrap();
	let stake = 1_000 * ZG;
	let endpoint = node.storage_url().into_bytes();
	register_provider(&api, &bob, stake, endpoint).await;

	// Alice stores a file of three and a half segments on two providers, which are the two
	// active ones: Alice herself (a provider from the dev genesis, her key is in the node's
	// keystore too) and Bob. She uploads it to the node, which both use.
	let file: Vec<u8> = (0..SEGMENT_SIZE * 7 / 2).map(|i| (i * 7 % 251) as u8).collect();
	let tree = FileTree::new(&file).unwrap();
	let root = tree.root();
	store_file(&api, &rpc, &alice, &file, &tree).await;
	let info: Json =
		rpc.request("storage_fileInfo", rpc_params![hex(root.as_bytes())]).await.unwrap();
	assert_eq!(info["finalized"], true, "{info}");

	// Bob's off-chain worker acknowledges the file once the node holds all of it: only then is
	// he challenged on it.
	node.wait_until("Bob acknowledged the file", BLOCK_TIMEOUT * 2, || async {
		acknowledged_files(&api, &bob).await == 1
	})
	.await;

	// Challenges of at least two periods are answered by the off-chain worker and rewarded.
	let start = node.best_number().await;
	let proven = wait_for_outcomes(&node, &api, &bob, start, BLOCK_TIMEOUT * 3, |found| {
		found.iter().filter(|o| matches!(o, Outcome::Proven { .. })).count() >= 2
	})
	.await;
	assert!(
		proven.iter().all(|o| matches!(o, Outcome::Proven { reward, .. } if *reward > 0)),
		"every challenge so far is proven and paid: {proven:?}"
	);
	assert_eq!(provider_stake(&api, &bob).await, stake, "nothing slashed while answering");

	// The provider stops answering: its node comes back without off-chain workers. (Its worker
	// reads only its own node's store, through host functions: there is no URL to point
	// elsewhere, and no RPC method that hands out chunk proofs.)
	let no_method = rpc
		.request::<Json>("storage_chunkProof", rpc_params![hex(root.as_bytes()), 0u64])
		.await
		.unwrap_err();
	assert!(no_method.to_string().contains("not found"), "{no_method}");
	node.restart_with(&["--offchain-worker", "never"]);
	let api = node.client().await;
	let silent_from = node.best_number().await + 1;
	let timeout = BLOCK_TIMEOUT * 2 + 4 * CHALLENGE_PERIOD * Duration::from_secs(2);
	let missed: Vec<Outcome> =
		wait_for_outcomes(&node, &api, &bob, silent_from, timeout, |found| {
			found.iter().any(|o| matches!(o, Outcome::Missed { .. }))
		})
		.await
		.into_iter()
		.filter(|o| matches!(o, Outcome::Missed { .. }))
		.collect();
	let Outcome::Missed { slashed, .. } = missed[0] else { unreachable!() };
	assert!(slashed > 0, "a missed challenge costs stake: {missed:?}");
	// The stake is read at the finalized block, a few blocks behind the slash.
	node.wait_until("the slash finalized", BLOCK_TIMEOUT, || async {
		provider_stake(&api, &bob).await <= stake - slashed
	})
	.await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_provider_fetches_its_assigned_replica_from_the_first_and_proves_it() {
	// Alice's dev node authors the chain and holds her provider key; Bob runs a node of his own
	// on the same chain, with his provider key and no data.
	let alice_node = Node::start(NodeConfig::dev("replication-alice"));
	alice_node.wait_for_best(1, BLOCK_TIMEOUT).await;
	let bootnode = alice_node.multiaddr().await;
	let bob_node = Node::start(NodeConfig::chain("replication-bob", "dev").args([
		"--bootnodes",
		&bootnode,
		"--offchain-worker",
		"always",
	]));
	bob_node.wait_for_best(2, BLOCK_TIMEOUT).await;
	let api = alice_node.client().await;
	let (alice, bob, ferdie) = (dev::alice(), dev::bob(), dev::ferdie());

	// Each provider's endpoint is its own node (the genesis one of Alice names the default port,
	// which the test node does not use).
	let endpoint = |node: &Node| node.storage_url().into_bytes();
	submit(
		&api,
		dynamic::transaction(
			"StorageCommitments",
			"update_provider",
			(ALICE_STAKE, endpoint(&alice_node)),
		),
		&alice,
	)
	.await;
	register_provider(&api, &bob, 1_000 * ZG, endpoint(&bob_node)).await;

	// Ferdie stores a file on both providers but uploads it to Alice's node only.
	let file: Vec<u8> = (0..SEGMENT_SIZE * 5 / 2).map(|i| (i * 13 % 251) as u8).collect();
	let tree = FileTree::new(&file).unwrap();
	let (root, size) = (tree.root(), file.len() as u64);
	let alice_rpc = alice_node.rpc().await;
	store_file(&api, &alice_rpc, &ferdie, &file, &tree).await;

	// Bob's node does not hold his key yet, so no file is its to store: it refuses segments
	// with a specific error and stores nothing, whoever sends them.
	let proof = tree.segment_proof(0).unwrap();
	let (code, message) = refusal_code(
		bob_node
			.rpc()
			.await
			.request::<Json>(
				"storage_uploadSegment",
				rpc_params![
					hex(root.as_bytes()),
					0u64,
					hex(&file[..SEGMENT_SIZE]),
					hex(&proof.encode())
				],
			)
			.await,
	);
	assert_eq!(code, 6006, "{message}");
	assert!(message.contains("not assigned"), "{message}");
	let holds: bool = bob_node
		.rpc()
		.await
		.request("storage_holdsFile", rpc_params![hex(root.as_bytes()), size])
		.await
		.unwrap();
	assert!(!holds);
	let _: Json = bob_node
		.rpc()
		.await
		.request("author_insertKey", rpc_params!["zgst", "//Bob", hex(&bob.public_key().0)])
		.await
		.unwrap();

	// Alice acknowledges; Bob's node fetches the file from hers, and Bob acknowledges too.
	bob_node
		.wait_until("Bob acknowledged the replica he fetched", BLOCK_TIMEOUT * 3, || async {
			acknowledged_files(&api, &bob).await == 1
		})
		.await;
	assert_eq!(acknowledged_files(&api, &alice).await, 1);
	let holds: bool = bob_node
		.rpc()
		.await
		.request("storage_holdsFile", rpc_params![hex(root.as_bytes()), size])
		.await
		.unwrap();
	assert!(holds, "Bob's node holds every segment");
	assert!(bob_node.log_contains("fetched 3 segments from"), "{}", bob_node.log_tail());

	// Bob is challenged on it and proves it from his own node's copy.
	let start = alice_node.best_number().await;
	let proven = wait_for_outcomes(&alice_node, &api, &bob, start, BLOCK_TIMEOUT * 3, |found| {
		found.iter().any(|o| matches!(o, Outcome::Proven { .. }))
	})
	.await;
	assert!(
		proven.iter().all(|o| matches!(o, Outcome::Proven { .. })),
		"Bob proves what he fetched: {proven:?}"
	);

	// `zerog storage upload` through Bob's node sends the file once, to Bob's node (it runs an
	// assigned provider); Alice's node fetches it from there.
	let dir = tempfile::tempdir().unwrap();
	let path = dir.path().join("second.bin");
	std::fs::write(&path, random_bytes(SEGMENT_SIZE * 2 + 77, 5)).unwrap();
	let uploaded = zerog_json(
		&bob_node,
		&["storage", "upload", path.to_str().unwrap(), "--replicas", "2", "--suri", "//Ferdie"],
	);
	let replicas = uploaded["replicas"].as_array().expect("the upload reports its providers");
	assert_eq!(replicas.len(), 2, "{uploaded}");
	let report_of = |node: &Node| {
		let endpoint = String::from_utf8(endpoint(node)).unwrap();
		replicas.iter().find(|r| r["endpoint"] == endpoint.as_str()).cloned().unwrap()
	};
	assert_eq!(uploaded["uploadedTo"], bob_node.storage_url(), "{uploaded}");
	assert_eq!(report_of(&bob_node)["uploadedSegments"], 3, "sent to Bob's: {uploaded}");
	assert_eq!(report_of(&alice_node)["uploadedSegments"], Json::Null, "sent once: {uploaded}");
	assert!(
		replicas.iter().all(|r| r["acknowledged"] == true),
		"the upload returns once both acknowledged: {uploaded}"
	);
	let holds: bool = alice_rpc
		.request(
			"storage_holdsFile",
			rpc_params![uploaded["root"].clone(), uploaded["size"].clone()],
		)
		.await
		.unwrap();
	assert!(holds, "Alice's node fetched the file from Bob's");
	alice_node
		.wait_until("both providers acknowledged the second file", BLOCK_TIMEOUT * 2, || async {
			acknowledged_files(&api, &alice).await == 2 && acknowledged_files(&api, &bob).await == 2
		})
		.await;
}
