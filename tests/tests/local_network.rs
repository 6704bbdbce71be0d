//! A multi-node network started from the checked-in `chain-specs/local.json`.
//!
//! `local_testnet` has four GRANDPA voters (Alice, Bob, Charlie, Dave) of equal weight, and
//! GRANDPA finalizes only with more than two thirds of the votes: Alice and Bob alone author
//! blocks (in their own Aura slots) but cannot finalize. The test therefore checks authoring
//! and peering with the two nodes, then adds Charlie as the third voter and checks that both
//! Alice and Bob finalize.

use std::time::Duration;

use zerog_e2e_tests::{workspace_root, Node, NodeConfig};

const TIMEOUT: Duration = Duration::from_secs(120);

/// A libp2p ed25519 secret key as `--node-key` takes it: 32 bytes in hex.
fn node_key(n: u8) -> String {
	format!("{:064x}", n)
}

#[tokio::test(flavor = "multi_thread")]
async fn alice_and_bob_peer_produce_and_finalize_from_the_chain_spec_file() {
	let spec = workspace_root().join("chain-specs/local.json");
	let spec = spec.to_str().unwrap();

	// Validators of a live chain must be given a network key; fixed, distinct test keys here.
	let alice = Node::start(NodeConfig::chain("alice", spec).args([
		"--alice",
		"--validator",
		"--node-key",
		&node_key(1),
	]));
	let bootnode = alice.multiaddr().await;
	let bob = Node::start(NodeConfig::chain("bob", spec).args([
		"--bob",
		"--validator",
		"--node-key",
		&node_key(2),
		"--bootnodes",
		&bootnode,
	]));

	alice.wait_until("a peer", TIMEOUT, || async { alice.peers().await >= 1 }).await;
	bob.wait_until("a peer", TIMEOUT, || async { bob.peers().await >= 1 }).await;

	// Both nodes import the blocks both authors produce.
	alice.wait_for_best(4, TIMEOUT).await;
	bob.wait_for_best(4, TIMEOUT).await;

	let charlie = Node::start(NodeConfig::chain("charlie", spec).args([
		"--charlie",
		"--validator",
		"--node-key",
		&node_key(3),
		"--bootnodes",
		&bootnode,
	]));
	charlie.wait_until("a peer", TIMEOUT, || async { charlie.peers().await >= 1 }).await;

	alice.wait_for_finalized(2, TIMEOUT).await;
	bob.wait_for_finalized(2, TIMEOUT).await;
}
