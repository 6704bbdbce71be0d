//! A storage provider on a real `zerog-node --dev`: its key sits in the node's keystore, its
//! off-chain worker answers the chain's challenges with chunk proofs read from the node's
//! segment store, and it is paid from the file's fee every period; once it stops answering it is
//! slashed.

use std::time::Duration;

use serde_json::Value as Json;
use subxt::{
	dynamic::{self, At, Value},
	ext::codec::{Decode, Encode},
	rpcs::{rpc_params, RpcClient},
	OnlineClient, PolkadotConfig,
};
use subxt_signer::sr25519::{dev, Keypair};
use zerog_e2e_tests::{
	cli::{hex, random_bytes, refusal_code, zerog_json},
	Node, NodeConfig,
};
use zerog_primitives::storage::{FileTree, SEGMENT_SIZE};

/// One ZG in the smallest unit.
const ZG: u128 = 1_000_000_000_000_000_000;

/// The runtime's challenge period, in blocks (`runtime/src/configs/storage.rs`).
const CHALLENGE_PERIOD: u32 = 10;

/// Providers asked to hold the test file: Alice (a genesis provider) and Bob.
const REPLICAS: u8 = 2;

/// Blocks come every 2 s; allow for a slow, loaded CI machine.
const BLOCK_TIMEOUT: Duration = Duration::from_secs(60);

/// What the chain said about one challenge of the provider.
#[derive(Debug, PartialEq)]
enum Outcome {
	Proven { period: u32, reward: u128 },
	Missed { period: u32, slashed: u128 },
}

/// Signs `call` with `signer` and waits until it is in a best block and succeeded.
async fn submit(
	api: &OnlineClient<PolkadotConfig>,
	call: impl subxt::transactions::Payload,
	signer: &Keypair,
) {
	api.at_current_block()
		.await
		.unwrap()
		.transactions()
		.sign_and_submit_then_watch_default(&call, signer)
		.await
		.unwrap()
		.wait_for_finalized_success()
		.await
		.unwrap();
}

/// Challenge outcomes of `provider` in blocks `from..=to`.
async fn outcomes(
	api: &OnlineClient<PolkadotConfig>,
	provider: &Keypair,
	from: u32,
	to: u32,
) -> Vec<Outcome> {
	let mut found = Vec::new();
	for number in from..=to {
		let events = api.at_block(u64::from(number)).await.unwrap().events().fetch().await.unwrap();
		for event in events.iter() {
			let event = event.unwrap();
			if event.pallet_name() != "StorageCommitments" {
				continue;
			}
			let mut fields = event.field_bytes();
			match event.event_name() {
				"ChallengeProven" => {
					let (who, period, _file, reward) =
						<([u8; 32], u32, u64, u128)>::decode(&mut fields).unwrap();
					if who == provider.public_key().0 {
						found.push(Outcome::Proven { period, reward });
					}
				},
				"ChallengeMissed" => {
					let (who, period, _file, slashed) =
						<([u8; 32], u32, u64, u128)>::decode(&mut fields).unwrap();
					if who == provider.public_key().0 {
						found.push(Outcome::Missed { period, slashed });
					}
				},
				_ => {},
			}
		}
	}
	found
}

/// Polls the provider's challenge outcomes from block `from` on until `done` accepts them.
async fn wait_for_outcomes(
	node: &Node,
	api: &OnlineClient<PolkadotConfig>,
	provider: &Keypair,
	from: u32,
	timeout: Duration,
	done: impl Fn(&[Outcome]) -> bool,
) -> Vec<Outcome> {
	let deadline = std::time::Instant::now() + timeout;
	let mut found = Vec::new();
	let mut scanned = from;
	while std::time::Instant::now() < deadline {
		let best = node.best_number().await;
		if best >= scanned {
			found.extend(outcomes(api, provider, scanned, best).await);
			scanned = best + 1;
		}
		if done(&found) {
			return found;
		}
		tokio::time::sleep(Duration::from_secs(1)).await;
	}
	panic!("provider outcomes so far {found:?}; node log:\n{}", node.log_tail());
}

/// `provider` registers with `stake`, serving at `endpoint`, and offers 1 GiB (files are
/// assigned to a provider only up to the disk space it declares).
async fn register_provider(
	api: &OnlineClient<PolkadotConfig>,
	provider: &Keypair,
	stake: u128,
	endpoint: Vec<u8>,
) {
	let register =
		dynamic::transaction("StorageCommitments", "register_provider", (stake, endpoint));
	submit(api, register, provider).await;
	let capacity = dynamic::transaction("StorageCommitments", "declare_capacity", (1u64 << 30,));
	submit(api, capacity, provider).await;
}

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

/// How many files `provider` acknowledged (its challengeable set), at the finalized block.
async fn acknowledged_files(api: &OnlineClient<PolkadotConfig>, provider: &Keypair) -> u32 {
	let at = api.at_current_block().await.unwrap();
	let address = dynamic::storage::<([u8; 32],), u32>("StorageCommitments", "AckedFileCount");
	// A provider without acknowledged files has no entry: the default, 0, comes back.
	let count = at.storage().fetch(address, (provider.public_key().0,)).await.unwrap();
	count.decode().unwrap()
}

/// The provider's stake as the pallet records it at the finalized block.
async fn provider_stake(api: &OnlineClient<PolkadotConfig>, provider: &Keypair) -> u128 {
	let at = api.at_current_block().await.unwrap();
	let address = dynamic::storage::<([u8; 32],), Value>("StorageCommitments", "Providers");
	let info = at.storage().fetch(address, (provider.public_key().0,)).await.unwrap();
	let info = info.decode().unwrap();
	info.at("stake").and_then(|v| v.as_u128()).expect("ProviderInfo has a stake")
}

#[tokio::test(flavor = "multi_thread")]
async fn provider_answers_challenges_through_its_offchain_worker_and_is_slashed_when_it_stops() {
	let node = Node::start(NodeConfig::dev("storage-provider"));
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

	// The provider stops answering: its worker now asks a port where nothing listens.
	let _: Json = rpc
		.request(
			"offchain_localStorageSet",
			rpc_params!["PERSISTENT", hex(b"zerog::storage::rpc"), hex(b"http://127.0.0.1:9")],
		)
		.await
		.unwrap();
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

/// Stake of Alice as the dev genesis registers her (`ROLE_STAKE`).
const ALICE_STAKE: u128 = 100 * ZG;

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

/// A provider of the four-provider network: its name, key and node.
struct Provider {
	name: &'static str,
	key: Keypair,
	node: Node,
}

#[tokio::test(flavor = "multi_thread")]
async fn four_providers_keep_a_file_through_a_crash_and_a_provider_that_loses_it() {
	// Alice's dev node authors the chain; Bob, Charlie and Dave each run a node of their own
	// with their provider key, registered at their node's data plane.
	let alice_node = Node::start(NodeConfig::dev("network-alice"));
	alice_node.wait_for_best(1, BLOCK_TIMEOUT).await;
	let bootnode = alice_node.multiaddr().await;
	let api = alice_node.client().await;
	let update = dynamic::transaction(
		"StorageCommitments",
		"update_provider",
		(ALICE_STAKE, alice_node.storage_url().into_bytes()),
	);
	submit(&api, update, &dev::alice()).await;
	let mut providers = vec![Provider { name: "Alice", key: dev::alice(), node: alice_node }];
	let others = [
		("Bob", "//Bob", dev::bob()),
		("Charlie", "//Charlie", dev::charlie()),
		("Dave", "//Dave", dev::dave()),
	];
	for (name, suri, key) in others {
		let node = Node::start(NodeConfig::chain(&format!("network-{name}"), "dev").args([
			"--bootnodes",
			&bootnode,
			"--offchain-worker",
			"always",
			"--no-eth-rpc",
		]));
		node.wait_for_best(1, BLOCK_TIMEOUT).await;
		let _: Json = node
			.rpc()
			.await
			.request("author_insertKey", rpc_params!["zgst", suri, hex(&key.public_key().0)])
			.await
			.unwrap();
		register_provider(&api, &key, 1_000 * ZG, node.storage_url().into_bytes()).await;
		providers.push(Provider { name, key, node });
	}

	// 64 MiB with three replicas, uploaded through Alice's node: sent once, the two other
	// assigned providers fetch it, all three acknowledge.
	let dir = tempfile::tempdir().unwrap();
	let path = dir.path().join("dataset.bin");
	let bytes = random_bytes(64 << 20, 64);
	std::fs::write(&path, &bytes).unwrap();
	let uploaded = zerog_json(
		&providers[0].node,
		&["storage", "upload", path.to_str().unwrap(), "--replicas", "3", "--suri", "//Ferdie"],
	);
	let root = uploaded["root"].as_str().expect("the upload prints the root").to_owned();
	let replicas = uploaded["replicas"].as_array().expect("the upload reports its providers");
	assert_eq!(replicas.len(), 3, "{uploaded}");
	assert!(replicas.iter().all(|r| r["acknowledged"] == true), "{uploaded}");
	let assigned = |provider: &Provider| {
		replicas.iter().any(|r| r["endpoint"] == provider.node.storage_url().as_str())
	};
	let fourth = providers.iter().position(|p| !assigned(p)).expect("one provider is left out");
	let holds = |provider: &Provider| {
		let rpc_port = provider.node.rpc_port;
		let size = bytes.len() as u64;
		let answer = zerog_e2e_tests::http_json_rpc(
			rpc_port,
			"storage_holdsFile",
			serde_json::json!([root.clone(), size]),
		)
		.unwrap();
		answer["result"] == true
	};
	assert!(!holds(&providers[fourth]), "{} stores nothing", providers[fourth].name);
	for provider in providers.iter().filter(|p| assigned(p)) {
		assert!(holds(provider), "{} holds the file", provider.name);
	}
	// The block author stays up; one assigned provider crashes, another loses its data.
	let mut others = (1..providers.len()).filter(|&i| i != fourth);
	let (crashed, forgetful) = (others.next().unwrap(), others.next().unwrap());
	println!(
		"64 MiB, 3 replicas: upload {}; left out: {}, killed: {}, loses its data: {}",
		uploaded["seconds"],
		providers[fourth].name,
		providers[crashed].name,
		providers[forgetful].name
	);

	// A download through the fourth node's RPC, while a provider is killed -9: every segment
	// comes from the other holders, checked, byte for byte.
	providers[crashed].node.kill();
	let out = dir.path().join("copy.bin");
	let downloaded = zerog_json(
		&providers[fourth].node,
		&["storage", "download", &root, "-o", out.to_str().unwrap()],
	);
	assert!(std::fs::read(&out).unwrap() == bytes, "the downloaded file differs");
	let sources = downloaded["sources"].as_array().expect("the download reports its sources");
	let served: Vec<&Json> = sources.iter().filter(|s| s["segments"].as_u64() > Some(0)).collect();
	assert!(served.len() >= 2, "segments came from several providers: {downloaded}");
	println!("download with a provider down: {sources:?}");
	let crashed_url = providers[crashed].node.storage_url();
	let crashed_report = sources.iter().find(|s| s["url"] == crashed_url.as_str());
	assert!(
		crashed_report.is_none_or(|r| r["segments"] == 0 && r["error"].is_string()),
		"the killed provider served nothing: {downloaded}"
	);

	// The crashed provider restarts on its own database and proves its challenges again.
	providers[crashed].node.restart();
	let from = providers[0].node.best_number().await;
	let outcomes = wait_for_outcomes(
		&providers[0].node,
		&api,
		&providers[crashed].key,
		from,
		BLOCK_TIMEOUT * 3,
		|found| found.iter().any(|o| matches!(o, Outcome::Proven { .. })),
	)
	.await;
	assert!(outcomes.iter().any(|o| matches!(o, Outcome::Proven { .. })), "{outcomes:?}");

	// Another provider loses its data: it misses its challenges, is slashed, and the file is
	// assigned to the fourth provider, whose node fetches it and acknowledges.
	let forgetful_stake = provider_stake(&api, &providers[forgetful].key).await;
	providers[forgetful].node.kill();
	std::fs::remove_dir_all(providers[forgetful].node.data_store_dir("zerog_dev")).unwrap();
	providers[forgetful].node.restart();
	let lost_at = std::time::Instant::now();
	let fourth_key = &providers[fourth].key;
	providers[0]
		.node
		.wait_until(
			"the fourth provider acknowledged the file in place of the one that lost it",
			BLOCK_TIMEOUT * 2 + 6 * CHALLENGE_PERIOD * Duration::from_secs(2),
			|| async { acknowledged_files(&api, fourth_key).await == 1 },
		)
		.await;
	println!("the fourth provider acknowledged {:?} after the data was lost", lost_at.elapsed());
	assert_eq!(acknowledged_files(&api, &providers[forgetful].key).await, 0);
	assert!(provider_stake(&api, &providers[forgetful].key).await < forgetful_stake, "slashed");
	assert!(holds(&providers[fourth]), "{} now holds the file", providers[fourth].name);
}
