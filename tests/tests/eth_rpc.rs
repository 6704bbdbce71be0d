//! The Ethereum JSON-RPC that a dev node starts by itself: it serves the chain, and it goes
//! away with the node even when the node is killed with SIGKILL. (Contracts, receipts, logs and
//! refused transactions are covered by the ethers suite in `tests/eth`.)

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use zerog_e2e_tests::{Node, NodeConfig};

/// Waits until the Ethereum RPC answers `method` with a result.
fn eth_result(node: &Node, method: &str, params: Value) -> Value {
	let deadline = Instant::now() + Duration::from_secs(60);
	loop {
		match node.eth_request(method, params.clone()) {
			Ok(response) if response.get("result").is_some() => return response["result"].clone(),
			other if Instant::now() > deadline => {
				panic!("{method} never answered: {other:?}\n{}", node.log_tail())
			},
			_ => std::thread::sleep(Duration::from_millis(500)),
		}
	}
}

#[test]
fn dev_node_serves_the_ethereum_rpc_with_funded_dev_accounts() {
	let node = Node::start(NodeConfig::dev("eth"));
	assert_eq!(eth_result(&node, "eth_chainId", json!([])), json!("0x4204"), "chain id 16900");
	assert_eq!(eth_result(&node, "net_version", json!([])), json!("16900"));

	// Hardhat's account #0 holds the genesis endowment of one million ZG, in wei, of which all but
	// the existential deposit (one micro-ZG, which keeps the account alive) is spendable.
	let balance = eth_result(
		&node,
		"eth_getBalance",
		json!(["0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266", "latest"]),
	);
	let wei = u128::from_str_radix(balance.as_str().unwrap().trim_start_matches("0x"), 16).unwrap();
	assert_eq!(wei, 1_000_000 * 10u128.pow(18) - 10u128.pow(12));

	// An unknown method is an error with a code, not a hang or a crash.
	let response = node.eth_request("eth_noSuchMethod", json!([])).unwrap();
	assert_eq!(response["error"]["code"], json!(-32601), "{response}");
	assert!(node.log_contains("Ethereum JSON-RPC on port"), "{}", node.log_tail());
}

#[test]
fn ethereum_rpc_stops_with_the_node_even_on_sigkill() {
	let mut node = Node::start(NodeConfig::dev("eth-kill"));
	eth_result(&node, "eth_chainId", json!([]));
	node.kill();

	let deadline = Instant::now() + Duration::from_secs(10);
	while node.eth_request("eth_chainId", json!([])).is_ok() {
		assert!(Instant::now() < deadline, "the Ethereum RPC outlived its node");
		std::thread::sleep(Duration::from_millis(200));
	}
}

#[tokio::test]
async fn no_eth_rpc_turns_it_off() {
	let node = Node::start(NodeConfig::dev("eth-off").args(["--no-eth-rpc"]));
	assert!(node.eth_rpc_port.is_none());
	node.wait_for_best(2, Duration::from_secs(60)).await;
	assert!(!node.log_contains("Ethereum JSON-RPC on port"), "{}", node.log_tail());
}
