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

/// The public Ethereum port under attack from one address (127.0.0.3): 200 connections that
/// send half a request head (slowloris) and bodies over 5 MiB. The guard closes the connections
/// over its per-address cap at once, cuts the slow ones off after its header timeout, refuses
/// the bodies with 413; meanwhile a normal client is served and blocks keep coming.
#[tokio::test(flavor = "multi_thread")]
async fn slowloris_and_large_bodies_are_refused_while_others_are_served() {
	use tokio::{
		io::{AsyncReadExt, AsyncWriteExt},
		net::TcpSocket,
	};

	let node = Node::start(NodeConfig::dev("eth-guard"));
	eth_result(&node, "eth_chainId", json!([]));
	let guard = std::net::SocketAddr::from(([127, 0, 0, 1], node.eth_rpc_port.unwrap()));
	let attacker = std::net::SocketAddr::from(([127, 0, 0, 3], 0));
	let connect = || async {
		let socket = TcpSocket::new_v4().unwrap();
		socket.bind(attacker).unwrap();
		socket.connect(guard).await.unwrap()
	};
	// Whether the guard closes `stream` within `within`.
	async fn closed_within(stream: &mut tokio::net::TcpStream, within: Duration) -> bool {
		let mut buffer = [0u8; 256];
		loop {
			match tokio::time::timeout(within, stream.read(&mut buffer)).await {
				Ok(Ok(0)) | Ok(Err(_)) => return true,
				Ok(Ok(_)) => continue,
				Err(_) => return false,
			}
		}
	}
	let first_block = node.best_number().await;

	let mut slow = Vec::new();
	for _ in 0..200 {
		let mut stream = connect().await;
		let _ = stream.write_all(b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Ty").await;
		slow.push(stream);
	}
	let mut cut_at_once = 0;
	for stream in &mut slow {
		if closed_within(stream, Duration::from_millis(300)).await {
			cut_at_once += 1;
		}
	}
	assert!(cut_at_once >= 200 - 64, "only {cut_at_once} of 200 connections were over the cap");

	// A body over 5 MiB, announced: the answer to its head (nothing of the body is sent).
	let large_body = || async {
		let mut large = connect().await;
		let head = b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 6000000\r\n\r\n";
		let _ = large.write_all(head).await;
		let mut answer = Vec::new();
		let _ = tokio::time::timeout(Duration::from_secs(15), large.read_to_end(&mut answer)).await;
		String::from_utf8_lossy(&answer).into_owned()
	};
	// (From the capped address: closed at once, or a 413; either way the body is never read.)
	let answer = large_body().await;
	assert!(answer.is_empty() || answer.starts_with("HTTP/1.1 413"), "{answer}");

	// A normal client is served meanwhile, and the chain goes on.
	assert_eq!(eth_result(&node, "eth_chainId", json!([])), json!("0x4204"));
	node.wait_for_best(first_block + 3, Duration::from_secs(60)).await;

	// The slow heads run out of time (10 s), which frees the address's slots: a body over
	// 5 MiB from it then gets its 413.
	for stream in &mut slow {
		assert!(closed_within(stream, Duration::from_secs(20)).await, "a slow head was kept");
	}
	drop(slow);
	tokio::time::sleep(Duration::from_millis(500)).await;
	let answer = large_body().await;
	assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
	assert!(node.log_contains("Ethereum JSON-RPC on port"), "{}", node.log_tail());
}
