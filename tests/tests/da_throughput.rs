//! Benchmark (ignored; run by hand): certified DA throughput on this machine, with one quorum and
//! with two, for 32 MiB blobs and 128 KiB rollup batches.
//!
//! One `zerog-node --dev` runs every signer's key (Alice, Dave and Eve: one quorum of three;
//! then Bob, Charlie and Ferdie as well: two quorums of three), so the figures measure the chain
//! and one machine's encoding, pushing and attesting, not a network. Publishers are separate
//! `zerog da submit --wait` processes, one per paying dev account, run at once.
//!
//! ```sh
//! cargo test --release -p zerog-e2e-tests --test da_throughput -- --ignored --nocapture
//! ```
//!
//! Printed per case: blobs, bytes, wall time from the first submission to the last certificate,
//! certified MB/s, and the blocks each blob took from its submission block to its certificate.

use std::time::{Duration, Instant};

use serde_json::Value as Json;
use subxt_signer::sr25519::{dev, Keypair};
use zerog_e2e_tests::{
	cli::{output_text, random_bytes},
	da::make_signer,
	run_cli, Node, NodeConfig,
};

/// Blocks come every 2 s.
const TIMEOUT: Duration = Duration::from_secs(180);

/// The runtime's DA epoch, in blocks.
const EPOCH_LENGTH: u32 = 30;

/// Adds `signer` as a DA signer run by `node` (its key in the keystore, its endpoint the node).
async fn add_signer(node: &Node, signer: &Keypair, suri: &str) {
	make_signer(node, node, signer, suri, suri == "//Alice").await;
}

/// Publishes `count` blobs of `size` bytes at once, one `zerog` process per payer, `rounds`
/// blobs each; prints and returns the certified MB/s.
fn publish_at_once(
	node: &Node,
	label: &str,
	case: usize,
	size: usize,
	payers: &[&str],
	rounds: usize,
) -> f64 {
	let dir = tempfile::tempdir().unwrap();
	let url = node.ws_url();
	let started = Instant::now();
	let reports: Vec<Vec<Json>> = std::thread::scope(|scope| {
		let workers: Vec<_> = payers
			.iter()
			.enumerate()
			.map(|(worker, payer)| {
				let (dir, url) = (dir.path(), url.as_str());
				scope.spawn(move || {
					(0..rounds)
						.map(|round| {
							// Odd and distinct: `random_bytes` ignores a seed's lowest bit.
							let seed = (case * 1_000_000 + worker * 1_000 + round) as u64 * 2 + 1;
							let file = dir.join(format!("{worker}-{round}.bin"));
							std::fs::write(&file, random_bytes(size, seed)).unwrap();
							let output = run_cli(&[
								"--rpc",
								url,
								"da",
								"submit",
								file.to_str().unwrap(),
								"--suri",
								payer,
								"--wait",
								"--timeout",
								"300",
								"--json",
							]);
							assert!(output.status.success(), "{}", output_text(&output));
							serde_json::from_slice(&output.stdout).unwrap()
						})
						.collect()
				})
			})
			.collect();
		workers.into_iter().map(|worker| worker.join().unwrap()).collect()
	});
	let elapsed = started.elapsed().as_secs_f64();
	let reports: Vec<&Json> = reports.iter().flatten().collect();
	let blocks: Vec<u64> = reports
		.iter()
		.map(|report| {
			report["certifiedAt"].as_u64().unwrap() - report["blockNumber"].as_u64().unwrap()
		})
		.collect();
	let quorums: Vec<u64> = reports.iter().filter_map(|report| report["quorum"].as_u64()).collect();
	let bytes = (reports.len() * size) as f64;
	let rate = bytes / elapsed / 1e6;
	println!(
		"{label}: {} blobs of {} KiB, {:.1} MB in {elapsed:.1} s: {rate:.2} MB/s certified; blocks \
		 from submission to certificate {blocks:?}; quorums {quorums:?}",
		reports.len(),
		size / 1024,
		bytes / 1e6
	);
	rate
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "a benchmark: run it with --ignored --nocapture"]
async fn certified_throughput_with_one_and_two_quorums() {
	let node = Node::start(NodeConfig::dev("da-throughput").args(["--no-eth-rpc"]));
	node.wait_for_best(1, TIMEOUT).await;
	for (signer, suri) in
		[(dev::alice(), "//Alice"), (dev::dave(), "//Dave"), (dev::eve(), "//Eve")]
	{
		add_signer(&node, &signer, suri).await;
	}
	let at = node.best_number().await;
	node.wait_for_best(at + EPOCH_LENGTH + 1, TIMEOUT).await;
	let payers = ["//Alice", "//Bob", "//Charlie", "//Dave"];
	publish_at_once(&node, "one quorum, 32 MiB", 1, 32 << 20, &payers, 1);
	publish_at_once(&node, "one quorum, 128 KiB", 2, 128 << 10, &payers, 8);

	// The payers' transactions must be final before Bob and Charlie sign again with nonces read
	// from the chain.
	let best = node.best_number().await;
	node.wait_for_finalized(best + 1, TIMEOUT).await;
	for (signer, suri) in
		[(dev::bob(), "//Bob"), (dev::charlie(), "//Charlie"), (dev::ferdie(), "//Ferdie")]
	{
		add_signer(&node, &signer, suri).await;
	}
	let at = node.best_number().await;
	node.wait_for_best(at + EPOCH_LENGTH + 1, TIMEOUT).await;
	publish_at_once(&node, "two quorums, 32 MiB", 3, 32 << 20, &payers, 1);
	publish_at_once(&node, "two quorums, 128 KiB", 4, 128 << 10, &payers, 8);
}
