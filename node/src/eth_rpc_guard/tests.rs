//! The guard against a fake adapter on loopback: what passes, what the limits refuse, and the
//! Ethereum-worded refusals; and a fuzz target over what a stranger may send it.

use std::{
	net::{IpAddr, Ipv4Addr},
	sync::atomic::AtomicUsize,
};

use pallet_revive::evm::{
	Account, TransactionLegacyUnsigned, TransactionSigned, TransactionUnsigned,
};
use serde_json::Value;
use tokio::{
	io::{AsyncReadExt, AsyncWriteExt},
	net::{TcpSocket, TcpStream},
};

use super::*;

/// The chain id the guard is set up for.
const CHAIN_ID: u64 = 16900;

/// What the fake adapter knows: the sender's nonce, and whether it refuses transactions.
#[derive(Clone, Copy)]
struct FakeChain {
	nonce: u64,
	balance: u64,
	refuses: bool,
}

/// Serves a fake adapter on loopback; returns its port and a count of the requests it got.
async fn fake_adapter(chain: FakeChain) -> (u16, Arc<AtomicUsize>) {
	let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
	let port = listener.local_addr().unwrap().port();
	let requests = Arc::new(AtomicUsize::new(0));
	let counter = requests.clone();
	tokio::spawn(async move {
		loop {
			let Ok((stream, _)) = listener.accept().await else { return };
			let counter = counter.clone();
			tokio::spawn(async move {
				let service = service_fn(move |request: Request<Incoming>| {
					let counter = counter.clone();
					async move {
						counter.fetch_add(1, Ordering::SeqCst);
						let body = request.into_body().collect().await.unwrap().to_bytes();
						let call: Value = serde_json::from_slice(&body).unwrap_or_default();
						let id = call["id"].clone();
						let answer = match call["method"].as_str() {
							Some("eth_sendRawTransaction") if chain.refuses => json!({
								"jsonrpc": "2.0", "id": id,
								"error": { "code": 1010, "message": "Invalid Transaction" },
							}),
							Some("eth_getTransactionCount") => json!({
								"jsonrpc": "2.0", "id": id, "result": format!("{:#x}", chain.nonce),
							}),
							Some("eth_getBalance") => json!({
								"jsonrpc": "2.0", "id": id, "result": format!("{:#x}", chain.balance),
							}),
							method => json!({ "jsonrpc": "2.0", "id": id, "result": method }),
						};
						Ok::<_, Infallible>(Response::new(Full::new(Bytes::from(
							answer.to_string(),
						))))
					}
				});
				let _ = hyper::server::conn::http1::Builder::new()
					.serve_connection(TokioIo::new(stream), service)
					.await;
			});
		}
	});
	(port, requests)
}

/// Starts a guard with `limits` in front of the adapter on `adapter_port`; its address.
fn start_guard(adapter_port: u16, limits: GuardLimits) -> SocketAddr {
	let guard = Guard {
		listen: SocketAddr::from(([127, 0, 0, 1], 0)),
		adapter_port: Arc::new(AtomicU16::new(adapter_port)),
		chain_id: CHAIN_ID,
		cors_any: true,
		limits,
	};
	let (address, serve) = guard.bind().unwrap();
	tokio::spawn(serve);
	address
}

/// A connection to `guard` from the loopback address `from` (127.0.0.x: one host, several
/// clients).
async fn connect_from(guard: SocketAddr, from: Ipv4Addr) -> TcpStream {
	let socket = TcpSocket::new_v4().unwrap();
	socket.bind(SocketAddr::new(IpAddr::V4(from), 0)).unwrap();
	socket.connect(guard).await.unwrap()
}

/// Sends one JSON-RPC POST from `from` and returns the status and body of the answer.
async fn post_from(guard: SocketAddr, from: Ipv4Addr, body: &str) -> (u16, String) {
	let mut stream = connect_from(guard, from).await;
	let request = format!(
		"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nOrigin: http://dapp\r\n\
		 Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
		body.len()
	);
	stream.write_all(request.as_bytes()).await.unwrap();
	read_answer(&mut stream).await
}

/// Reads an answer to its end: status and body.
async fn read_answer(stream: &mut TcpStream) -> (u16, String) {
	let mut raw = Vec::new();
	stream.read_to_end(&mut raw).await.unwrap();
	let text = String::from_utf8_lossy(&raw).into_owned();
	let status = text.split(' ').nth(1).and_then(|code| code.parse().ok()).unwrap_or(0);
	let body = text.split_once("\r\n\r\n").map(|(_, body)| body.to_owned()).unwrap_or_default();
	(status, body)
}

/// Whether the guard closed `stream` (it reads end of file within `within`).
async fn closed_within(stream: &mut TcpStream, within: Duration) -> bool {
	let mut buffer = [0u8; 64];
	matches!(tokio::time::timeout(within, stream.read(&mut buffer)).await, Ok(Ok(0)) | Ok(Err(_)))
}

/// A raw transaction of Alith's with `nonce`, `value` and chain id `chain_id`, as a request.
fn send_raw(nonce: u64, value: u64, chain_id: u64) -> String {
	let unsigned = TransactionLegacyUnsigned {
		chain_id: Some(chain_id.into()),
		nonce: nonce.into(),
		gas: 21_000u64.into(),
		gas_price: 1_000u64.into(),
		value: value.into(),
		to: Some(H160::repeat_byte(7)),
		..Default::default()
	};
	let signed: TransactionSigned = Account::default()
		.sign_transaction(TransactionUnsigned::TransactionLegacyUnsigned(unsigned));
	json!({
		"jsonrpc": "2.0", "id": 9, "method": "eth_sendRawTransaction",
		"params": [format!("0x{}", zerog_primitives::hex::to_hex(&signed.signed_payload()))],
	})
	.to_string()
}

fn runtime() -> tokio::runtime::Runtime {
	tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap()
}

const CLIENT: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 1);

#[test]
fn requests_pass_through_and_answers_come_back() {
	runtime().block_on(async {
		let (adapter, requests) =
			fake_adapter(FakeChain { nonce: 0, balance: 0, refuses: false }).await;
		let guard = start_guard(adapter, GuardLimits::default());
		let (status, body) =
			post_from(guard, CLIENT, r#"{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}"#).await;
		assert_eq!(status, 200, "{body}");
		assert_eq!(serde_json::from_str::<Value>(&body).unwrap()["result"], "eth_chainId");
		// A transaction that moves no value and that the adapter takes costs no lookup: one
		// request reached it.
		let (status, body) = post_from(guard, CLIENT, &send_raw(0, 0, CHAIN_ID)).await;
		assert_eq!(status, 200, "{body}");
		assert_eq!(
			serde_json::from_str::<Value>(&body).unwrap()["result"],
			"eth_sendRawTransaction"
		);
		assert_eq!(requests.load(Ordering::SeqCst), 2);
	});
}

#[test]
fn value_above_the_balance_is_refused_before_the_adapter_sees_it() {
	runtime().block_on(async {
		// An adapter that takes every transaction, as pallet-revive 0.20.2's pool takes one
		// whose value its sender cannot cover.
		let (adapter, requests) =
			fake_adapter(FakeChain { nonce: 0, balance: 1_000_000_000, refuses: false }).await;
		let guard = start_guard(adapter, GuardLimits::default());
		let error = |body: &str| serde_json::from_str::<Value>(body).unwrap()["error"].clone();

		// 21,000 gas at 1,000 plus 999,000,000 is over the balance by one: only the balance
		// was asked, the transaction never reached the adapter.
		let (_, body) = post_from(guard, CLIENT, &send_raw(0, 979_000_001, CHAIN_ID)).await;
		assert_eq!(error(&body)["code"], refusal::REFUSED, "{body}");
		let message = error(&body)["message"].as_str().unwrap().to_owned();
		assert!(message.starts_with("insufficient funds for gas * price + value"), "{body}");
		assert!(message.ends_with("have 1000000000 want 1000000001"), "{body}");
		assert_eq!(requests.load(Ordering::SeqCst), 1);

		// Exactly covered: the balance, then the transaction.
		let (status, body) = post_from(guard, CLIENT, &send_raw(0, 979_000_000, CHAIN_ID)).await;
		assert_eq!(status, 200, "{body}");
		assert_eq!(
			serde_json::from_str::<Value>(&body).unwrap()["result"],
			"eth_sendRawTransaction"
		);
		assert_eq!(requests.load(Ordering::SeqCst), 3);
	});
}

#[test]
fn refusals_come_back_in_ethereum_words() {
	runtime().block_on(async {
		let (adapter, requests) =
			fake_adapter(FakeChain { nonce: 5, balance: 1_000_000_000, refuses: true }).await;
		let guard = start_guard(adapter, GuardLimits::default());
		let error = |body: &str| serde_json::from_str::<Value>(body).unwrap()["error"].clone();

		// Another chain's transaction: refused before the adapter sees it.
		let (_, body) = post_from(guard, CLIENT, &send_raw(5, 1, 1)).await;
		assert_eq!(error(&body)["code"], refusal::REFUSED, "{body}");
		assert!(error(&body)["message"].as_str().unwrap().contains("invalid chain id"), "{body}");
		assert_eq!(requests.load(Ordering::SeqCst), 0);

		// Refused by the adapter, then explained: the nonce, then the balance.
		let (_, body) = post_from(guard, CLIENT, &send_raw(4, 1, CHAIN_ID)).await;
		assert!(error(&body)["message"].as_str().unwrap().starts_with("nonce too low"), "{body}");
		assert_eq!(serde_json::from_str::<Value>(&body).unwrap()["id"], 9);
		let (_, body) = post_from(guard, CLIENT, &send_raw(5, 2_000_000_000, CHAIN_ID)).await;
		assert!(
			error(&body)["message"].as_str().unwrap().starts_with("insufficient funds"),
			"{body}"
		);
		// Nothing to explain: the adapter's own refusal stands.
		let (_, body) = post_from(guard, CLIENT, &send_raw(5, 1, CHAIN_ID)).await;
		assert_eq!(error(&body)["code"], 1010, "{body}");
	});
}

#[test]
fn large_bodies_are_refused_before_or_while_they_are_read() {
	runtime().block_on(async {
		let (adapter, requests) =
			fake_adapter(FakeChain { nonce: 0, balance: 0, refuses: false }).await;
		let limits = GuardLimits { max_body: 1024, ..GuardLimits::default() };
		let guard = start_guard(adapter, limits);

		// Announced: refused on the head.
		let mut stream = connect_from(guard, CLIENT).await;
		stream
			.write_all(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n")
			.await
			.unwrap();
		let (status, body) = read_answer(&mut stream).await;
		assert_eq!(status, 413, "{body}");

		// Chunked, no length: refused once the limit is passed.
		let mut stream = connect_from(guard, CLIENT).await;
		let chunk = "x".repeat(800);
		let request = format!(
			"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n\
			 320\r\n{chunk}\r\n320\r\n{chunk}\r\n0\r\n\r\n"
		);
		stream.write_all(request.as_bytes()).await.unwrap();
		let (status, body) = read_answer(&mut stream).await;
		assert_eq!(status, 413, "{body}");
		assert_eq!(requests.load(Ordering::SeqCst), 0, "a refused body reached the adapter");
	});
}

#[test]
fn slow_clients_are_cut_off_and_caps_hold_while_others_are_served() {
	runtime().block_on(async {
		let (adapter, _) = fake_adapter(FakeChain { nonce: 0, balance: 0, refuses: false }).await;
		let limits = GuardLimits {
			connections: 8,
			connections_per_ip: 3,
			header_timeout: Duration::from_millis(500),
			body_timeout: Duration::from_millis(500),
			..GuardLimits::default()
		};
		let guard = start_guard(adapter, limits);
		let attacker = Ipv4Addr::new(127, 0, 0, 3);

		// Slowloris: three connections that send half a head, byte by byte.
		let mut slow = Vec::new();
		for _ in 0..3 {
			let mut stream = connect_from(guard, attacker).await;
			stream.write_all(b"POST / HTTP/1.1\r\nHo").await.unwrap();
			slow.push(stream);
		}
		// A fourth from the same address is closed at once.
		let mut fourth = connect_from(guard, attacker).await;
		assert!(closed_within(&mut fourth, Duration::from_secs(2)).await);
		// Another client is served meanwhile.
		let (status, _) =
			post_from(guard, CLIENT, r#"{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber"}"#)
				.await;
		assert_eq!(status, 200);
		// The slow heads run out of time and their slots are freed.
		for stream in &mut slow {
			assert!(closed_within(stream, Duration::from_secs(5)).await);
		}
		// (The guard frees a slot just after it closes the connection.)
		tokio::time::sleep(Duration::from_millis(200)).await;
		let (status, _) =
			post_from(guard, attacker, r#"{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber"}"#)
				.await;
		assert_eq!(status, 200);

		// A slow body runs out of time too: 408.
		let mut stream = connect_from(guard, attacker).await;
		stream
			.write_all(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\n{")
			.await
			.unwrap();
		let (status, body) = read_answer(&mut stream).await;
		assert_eq!(status, 408, "{body}");

		// The global cap: eight held connections from eight addresses, the ninth is closed (a
		// guard whose heads may take their time, so none is cut off meanwhile).
		let guard =
			start_guard(adapter, GuardLimits { header_timeout: Duration::from_secs(30), ..limits });
		let mut held = Vec::new();
		for last in 10..18 {
			held.push(connect_from(guard, Ipv4Addr::new(127, 0, 1, last)).await);
		}
		let mut ninth = connect_from(guard, Ipv4Addr::new(127, 0, 2, 1)).await;
		assert!(closed_within(&mut ninth, Duration::from_secs(2)).await);
	});
}

/// Fuzz target: any bytes a stranger sends as a request body, through the transaction checks.
/// None panics; every refusal the guard writes carries geth's code.
#[test]
fn fuzz_raw_transaction_checks() {
	arbtest::arbtest(|u| {
		let body = if u.arbitrary()? {
			let raw = {
				let len = u.int_in_range(0..=200)?;
				u.bytes(len)
			}?;
			json!({"jsonrpc": "2.0", "id": 1, "method": "eth_sendRawTransaction",
				"params": [format!("0x{}", zerog_primitives::hex::to_hex(raw))]})
			.to_string()
			.into_bytes()
		} else {
			let len = u.int_in_range(0..=200)?;
			u.bytes(len)?.to_vec()
		};
		if let Some(transaction) = RawTransaction::parse(&body) {
			if let Some(refusal) = transaction.wrong_chain(CHAIN_ID) {
				assert_eq!(refusal["error"]["code"], refusal::REFUSED);
			}
			if let Some(sender) = transaction.sender() {
				let nonce = U256::from(u.arbitrary::<u64>()?);
				let balance = U256::from(u.arbitrary::<u64>()?);
				if let Some(refusal) = transaction.explain(sender, nonce, balance) {
					assert_eq!(refusal["error"]["code"], refusal::REFUSED);
				}
			}
		}
		let _ = refusal::is_error(&body);
		let _ = refusal::quantity(&body);
		Ok(())
	});
}
