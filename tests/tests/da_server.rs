//! `zerog-da-server`, the OP Stack Alt-DA server, against a `zerog-node --dev`, with HTTP
//! requests exactly as op-alt-da's `DAClient` sends them: `POST /put/` with the batch as
//! `application/octet-stream`, the raw answer decoded as a generic commitment, `GET /get/0x…`.
//!
//! The quorum has two members: Alice (300 ZG, her node's off-chain worker attests, enough to
//! certify alone) and Bob (100 ZG), whose endpoint is a stand-in that takes his shards and
//! serves them back corrupted. The node serves only safe RPC methods, so it never rebuilds the
//! whole blob itself and the server fetches shards from the members, Bob's bad ones included:
//! batches of 128 KiB and 4 MiB still come back byte for byte. An unknown commitment is a 404,
//! malformed requests are 400s.

use std::{
	collections::HashMap,
	sync::{
		atomic::{AtomicUsize, Ordering},
		Arc, Mutex,
	},
	time::Duration,
};

use serde_json::json;
use subxt::dynamic::{self, Value};
use subxt_signer::sr25519::{dev, Keypair};
use zerog_e2e_tests::{
	cli::random_bytes,
	da_server_binary,
	http::{request, serve_json_rpc},
	process::Process,
	reserve_port, Node, NodeConfig,
};
use zerog_primitives::da::{encode_blob, BlobCommitment};

/// One ZG in the smallest unit.
const ZG: u128 = 1_000_000_000_000_000_000;

/// Blocks come every 2 s; allow for a slow, loaded CI machine.
const TIMEOUT: Duration = Duration::from_secs(180);

/// The runtime's DA epoch, in blocks (`runtime/src/configs/da.rs`).
const EPOCH_LENGTH: u32 = 30;

/// Signs `call` with `signer`, submits it through `node` and waits until it is finalized.
async fn submit_finalized(node: &Node, call: impl subxt::transactions::Payload, signer: &Keypair) {
	zerog_e2e_tests::storage::submit(&node.client().await, call, signer).await;
}

/// A stand-in for a member's node that keeps the shards pushed to it and serves each back with
/// its first byte flipped; counts the shards it served. It names a data plane port nobody
/// listens on, as a node whose data plane is bound to loopback looks from elsewhere, so the
/// publisher must fall back to `da_putShards`.
fn corrupting_member() -> (u16, Arc<AtomicUsize>) {
	let closed_port =
		std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
	let shards: Arc<Mutex<HashMap<u64, (String, String)>>> = Arc::default();
	let served = Arc::new(AtomicUsize::new(0));
	let served_count = Arc::clone(&served);
	let port = serve_json_rpc(move |call| {
		let id = call["id"].clone();
		let params = &call["params"];
		match call["method"].as_str() {
			Some("da_putShards") => {
				let mut held = shards.lock().unwrap();
				for shard in params[1].as_array().into_iter().flatten() {
					let data = shard["data"].as_str().unwrap_or_default().to_owned();
					let proof = shard["proof"].as_str().unwrap_or_default().to_owned();
					held.insert(shard["index"].as_u64().unwrap_or(u64::MAX), (data, proof));
				}
				json!({ "jsonrpc": "2.0", "id": id, "result": {
					"root": params[0], "newlyStored": 0, "held": held.len(),
					"dataShards": 0, "totalShards": 0,
				}})
			},
			Some("storage_dataPort") => {
				json!({ "jsonrpc": "2.0", "id": id, "result": closed_port })
			},
			Some("da_getShard") => {
				match shards.lock().unwrap().get(&params[1].as_u64().unwrap_or(u64::MAX)) {
					Some((data, proof)) => {
						served_count.fetch_add(1, Ordering::SeqCst);
						// Flip the lowest bit of the first byte: `0x` then two hex digits.
						let mut bad = data.clone().into_bytes();
						bad[3] = if bad[3] == b'0' { b'1' } else { b'0' };
						json!({ "jsonrpc": "2.0", "id": id, "result": {
							"shard": String::from_utf8(bad).unwrap(), "proof": proof,
						}})
					},
					None => {
						json!({ "jsonrpc": "2.0", "id": id, "error": { "code": 6104, "message": "not held" } })
					},
				}
			},
			_ => {
				json!({ "jsonrpc": "2.0", "id": id, "error": { "code": -32601, "message": "no such method" } })
			},
		}
	});
	(port, served)
}

/// `0x`-hex of `bytes`.
fn hex(bytes: &[u8]) -> String {
	format!("0x{}", bytes.iter().map(|byte| format!("{byte:02x}")).collect::<String>())
}

#[tokio::test(flavor = "multi_thread")]
async fn op_alt_da_requests_round_trip_batches_through_zerog() {
	let node =
		Node::start(NodeConfig::dev("da-server").args(["--no-eth-rpc", "--rpc-methods", "safe"]));
	node.wait_for_best(1, TIMEOUT).await;
	let (alice, bob) = (dev::alice(), dev::bob());
	let alice_endpoint = format!("http://127.0.0.1:{}", node.rpc_port);
	let update = dynamic::transaction(
		"DaAttestations",
		"update_signer",
		(300 * ZG, Value::from_bytes(&alice_endpoint)),
	);
	submit_finalized(&node, update, &alice).await;
	let (bob_port, served) = corrupting_member();
	let register = dynamic::transaction(
		"DaAttestations",
		"register_signer",
		(
			100 * ZG,
			Value::from_bytes(bob.public_key().0),
			Value::from_bytes(format!("http://127.0.0.1:{bob_port}")),
		),
	);
	submit_finalized(&node, register, &bob).await;
	// The next epoch's quorum holds both.
	let registered_at = node.best_number().await;
	node.wait_for_best(registered_at + EPOCH_LENGTH + 1, TIMEOUT).await;

	let port = reserve_port();
	let dir = tempfile::tempdir().unwrap();
	let mut command = std::process::Command::new(da_server_binary());
	command
		.args(["--rpc", &node.ws_url(), "--listen", &format!("127.0.0.1:{port}")])
		.env("ZEROG_DA_SERVER_SURI", "//Dave");
	let server = Process::spawn("zerog-da-server", command, dir.path().join("da-server.log"));
	node.wait_until("the DA server listens", TIMEOUT, || async move {
		request(port, "GET", "/health", b"", Duration::from_secs(5))
			.is_ok_and(|answer| answer.status == 200)
	})
	.await;

	for (size, seed) in [(128 << 10, 31u64), (4 << 20, 32)] {
		let batch = random_bytes(size, seed);
		let put = request(port, "POST", "/put/", &batch, TIMEOUT).unwrap();
		assert_eq!(put.status, 200, "PUT of {size} bytes: {}\n{}", put.text(), server.log_tail());
		// A generic commitment: type 0x01, ZeroG's DA-layer byte, version 0, the blob commitment.
		assert_eq!(put.body.len(), 43, "{:?}", put.body);
		assert_eq!(&put.body[..3], &[0x01, 0x7a, 0x00]);
		let expected = encode_blob(&batch, 16, 32).unwrap().commitment;
		let committed =
			<BlobCommitment as subxt::ext::codec::Decode>::decode(&mut &put.body[3..]).unwrap();
		assert_eq!(committed, expected, "the commitment is the batch's");

		let before = served.load(Ordering::SeqCst);
		let get = request(port, "GET", &format!("/get/{}", hex(&put.body)), b"", TIMEOUT).unwrap();
		assert_eq!(get.status, 200, "GET: {}\n{}", get.text(), server.log_tail());
		assert!(get.body == batch, "the {size}-byte batch came back different");
		assert!(
			served.load(Ordering::SeqCst) > before,
			"Bob's corrupted shards were asked for and refused: {}",
			server.log_tail()
		);
	}

	// A commitment the chain does not know is a 404; the keccak route and garbage are 400s.
	let unknown = encode_blob(b"never published", 16, 32).unwrap().commitment;
	let mut unknown_bytes = vec![0x01, 0x7a, 0x00];
	unknown_bytes.extend(subxt::ext::codec::Encode::encode(&unknown));
	let answer =
		request(port, "GET", &format!("/get/{}", hex(&unknown_bytes)), b"", TIMEOUT).unwrap();
	assert_eq!(answer.status, 404, "{}", answer.text());
	let answer =
		request(port, "POST", &format!("/put/{}", hex(&[0u8; 33])), b"batch", TIMEOUT).unwrap();
	assert_eq!(answer.status, 400, "{}", answer.text());
	for path in ["/get/0x1234", "/get/zz", &format!("/get/{}", hex(&[0u8; 43]))] {
		let answer = request(port, "GET", path, b"", TIMEOUT).unwrap();
		assert_eq!(answer.status, 400, "{path}: {}", answer.text());
	}
	let answer = request(port, "POST", "/put/", b"", TIMEOUT).unwrap();
	assert_eq!(answer.status, 400, "an empty batch: {}", answer.text());
	drop(server);
}
