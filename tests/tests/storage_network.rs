//! A storage network of four providers on real nodes: a 64 MiB file with three replicas is sent
//! once and replicated by the providers' nodes, the fourth stores nothing; it downloads
//! byte-identical while one holder is killed with `kill -9`; the killed provider restarts and
//! proves its challenges; a provider whose machine dies with its data is slashed and the file
//! is re-replicated to the fourth. Its own test binary, so its four nodes do not share the machine
//! with other tests' nodes.

use std::time::Duration;

use serde_json::Value as Json;
use subxt::{dynamic, OnlineClient, PolkadotConfig};
use subxt_signer::sr25519::{dev, Keypair};
use zerog_e2e_tests::{
	cli::{random_bytes, zerog_json},
	storage::{
		acknowledged_files, outcomes, provider_stake, start_provider_node, submit,
		wait_for_outcomes, Outcome, ALICE_STAKE, CHALLENGE_PERIOD, ZG,
	},
	Node, NodeConfig,
};

/// Blocks come every 2 s; allow for a slow, loaded CI machine.
const BLOCK_TIMEOUT: Duration = Duration::from_secs(60);

/// A provider of the four-provider network: its name, key and node.
struct Provider {
	name: &'static str,
	key: Keypair,
	node: Node,
}

/// Alice's dev node, which authors the chain, and a provider node for each of `others` (dev
/// account names), each registered at its node's data plane; Alice's endpoint is updated to
/// hers. Returns them, Alice first, and a client of Alice's node.
async fn start_network(others: &[&'static str]) -> (Vec<Provider>, OnlineClient<PolkadotConfig>) {
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
	for &name in others {
		let key = match name {
			"Bob" => dev::bob(),
			"Charlie" => dev::charlie(),
			"Dave" => dev::dave(),
			"Eve" => dev::eve(),
			other => panic!("no dev key named {other}"),
		};
		let node_name = format!("network-{name}");
		let suri = format!("//{name}");
		let node = start_provider_node(&api, &node_name, &bootnode, &suri, &key, 1_000 * ZG).await;
		providers.push(Provider { name, key, node });
	}
	(providers, api)
}

#[tokio::test(flavor = "multi_thread")]
async fn four_providers_keep_a_file_through_a_crash_and_a_provider_that_loses_it() {
	// Alice's node authors the chain; Bob, Charlie and Dave each run a node of their own.
	let (mut providers, api) = start_network(&["Bob", "Charlie", "Dave"]).await;

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
	let proven = wait_for_outcomes(
		&providers[0].node,
		&api,
		&providers[crashed].key,
		from,
		BLOCK_TIMEOUT * 3,
		|found| found.iter().any(|o| matches!(o, Outcome::Proven { .. })),
	)
	.await;
	assert!(proven.iter().any(|o| matches!(o, Outcome::Proven { .. })), "{proven:?}");

	// Another provider's machine dies with its data: it misses its challenges, is slashed, and
	// the file is assigned to the fourth provider, whose node fetches it and acknowledges. (It
	// stays down: a node that comes back empty fetches its assigned files again, and once it
	// proves, its run of misses ends and nothing is reassigned.)
	let forgetful_stake = provider_stake(&api, &providers[forgetful].key).await;
	providers[forgetful].node.kill();
	std::fs::remove_dir_all(providers[forgetful].node.data_store_dir("zerog_dev")).unwrap();
	let lost_at = std::time::Instant::now();
	let fourth_key = &providers[fourth].key;
	let lost_from = providers[0].node.best_number().await;
	let timeout = BLOCK_TIMEOUT * 3 + 8 * CHALLENGE_PERIOD * Duration::from_secs(2);
	while acknowledged_files(&api, fourth_key).await != 1 {
		if lost_at.elapsed() > timeout {
			let best = providers[0].node.best_number().await;
			let missed = outcomes(&api, &providers[forgetful].key, lost_from, best).await;
			// The logs first, the reason last: CI keeps only the tail of the output.
			eprintln!(
				"{} log:\n{}\n{} log:\n{}",
				providers[fourth].name,
				providers[fourth].node.log_tail(),
				providers[forgetful].name,
				providers[forgetful].node.log_tail()
			);
			panic!(
				"{} did not acknowledge the file within {timeout:?} after {} lost it; {}'s \
				 challenge outcomes since: {missed:?}",
				providers[fourth].name, providers[forgetful].name, providers[forgetful].name,
			);
		}
		tokio::time::sleep(Duration::from_secs(2)).await;
	}
	println!("the fourth provider acknowledged {:?} after the data was lost", lost_at.elapsed());
	assert_eq!(acknowledged_files(&api, &providers[forgetful].key).await, 0);
	assert!(provider_stake(&api, &providers[forgetful].key).await < forgetful_stake, "slashed");
	assert!(holds(&providers[fourth]), "{} now holds the file", providers[fourth].name);
}

/// Benchmark, not a test (ignored; see docs/storage.md): `ZEROG_BENCH_MIB` (default 256) MiB with
/// three replicas uploaded once through Alice's node; Bob's and Charlie's nodes replicate it
/// from hers (their logs give each fetch's MB/s); then a download through a chain RPC fetches
/// from all three providers in parallel.
///
/// `cargo test --release -p zerog-e2e-tests --test storage_network -- --ignored --nocapture`
#[tokio::test(flavor = "multi_thread")]
#[ignore = "a benchmark: run it with --ignored --nocapture"]
async fn replication_and_parallel_download_throughput() {
	let mib: usize =
		std::env::var("ZEROG_BENCH_MIB").ok().and_then(|mib| mib.parse().ok()).unwrap_or(256);
	let (providers, _api) = start_network(&["Bob", "Charlie"]).await;
	let dir = tempfile::tempdir().unwrap();
	let path = dir.path().join("bench.bin");
	let bytes = random_bytes(mib << 20, 7);
	std::fs::write(&path, &bytes).unwrap();
	let megabytes = bytes.len() as f64 / 1e6;

	let started = std::time::Instant::now();
	let uploaded = zerog_json(
		&providers[0].node,
		&["storage", "upload", path.to_str().unwrap(), "--replicas", "3", "--suri", "//Ferdie"],
	);
	let upload_seconds = started.elapsed().as_secs_f64();
	let root = uploaded["root"].as_str().expect("the upload prints the root").to_owned();
	let replicas = uploaded["replicas"].as_array().expect("the upload reports its providers");
	assert!(replicas.iter().all(|r| r["acknowledged"] == true), "{uploaded}");
	println!("{mib} MiB ({megabytes:.1} MB), 3 replicas, one upload through Alice's node");
	println!(
		"upload, whole command until all three acknowledged: {upload_seconds:.1} s; phases {}",
		uploaded["seconds"]
	);
	for provider in &providers[1..] {
		let log = provider.node.log_text();
		let fetched: Vec<&str> = log
			.lines()
			.filter(|line| line.contains("segments from") && line.contains("MB/s"))
			.collect();
		assert!(
			!fetched.is_empty(),
			"{} logged its fetch:\n{}",
			provider.name,
			provider.node.log_tail()
		);
		for line in fetched {
			let tail = line.split("fetched ").nth(1).unwrap_or(line);
			println!("replication to {}: fetched {tail}", provider.name);
		}
	}

	let out = dir.path().join("copy.bin");
	let started = std::time::Instant::now();
	let downloaded = zerog_json(
		&providers[0].node,
		&["storage", "download", &root, "-o", out.to_str().unwrap()],
	);
	let seconds = started.elapsed().as_secs_f64();
	assert!(std::fs::read(&out).unwrap() == bytes, "the downloaded file differs");
	let sources = downloaded["sources"].as_array().expect("the download reports its sources");
	let serving = sources.iter().filter(|s| s["segments"].as_u64() > Some(0)).count();
	println!(
		"download from {serving} providers in parallel: {seconds:.1} s, {:.1} MB/s; sources {sources:?}",
		megabytes / seconds
	);
}
