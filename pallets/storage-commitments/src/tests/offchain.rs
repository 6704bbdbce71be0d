//! The off-chain worker: mocked HTTP to the node's storage RPC, the keystore and the pool.

use super::*;
use crate::offchain::*;
use codec::{Decode, Encode};
use polkadot_sdk::{
	frame_support::{assert_ok, traits::Hooks},
	sp_core::offchain::{testing::PendingRequest, OffchainStorage},
	sp_runtime::{generic::Preamble, traits::Dispatchable},
};

const URL: &str = "http://127.0.0.1:9955";

/// The node's answer with chunk `index` of `file` and its proof.
fn answer(file: &TestFile, index: u64) -> Vec<u8> {
	format!(
		r#"{{"jsonrpc":"2.0","id":1,"result":{{"chunk":"0x{}","proof":"0x{}"}}}}"#,
		to_hex(&file.chunk(index)),
		to_hex(&file.proof(index).encode())
	)
	.into_bytes()
}

/// Expects one `storage_chunkProof` request for chunk `index` of `root` at `url`.
fn expect_request(handles: &OcwHandles, url: &str, root: H256, index: u64, response: Vec<u8>) {
	handles.offchain.write().expect_request(PendingRequest {
		method: "POST".into(),
		uri: url.into(),
		headers: vec![("Content-Type".into(), "application/json".into())],
		body: request_body(&root, index).into_bytes(),
		response: Some(response),
		sent: true,
		..Default::default()
	});
}

fn set_rpc_url(handles: &OcwHandles, url: &str) {
	handles.offchain.write().persistent_storage.set(b"", RPC_URL_KEY, url.as_bytes());
}

/// The transactions in the pool, decoded.
fn pool_transactions(handles: &OcwHandles) -> Vec<Extrinsic> {
	handles
		.pool
		.read()
		.transactions
		.iter()
		.map(|tx| Extrinsic::decode(&mut &tx[..]).expect("a mock extrinsic"))
		.collect()
}

#[test]
fn the_worker_proves_the_open_challenge_of_its_key() {
	let (mut ext, handles) = ocw_test_ext(&["//Charlie"]);
	set_rpc_url(&handles, URL);
	ext.execute_with(|| {
		let file = challenged_setup();
		let index = challenge_of(&charlie(), 2).chunk_index;
		expect_request(&handles, URL, file.root, index, answer(&file, index));

		StorageCommitments::offchain_worker(20);

		let transactions = pool_transactions(&handles);
		assert_eq!(transactions.len(), 1);
		let tx = &transactions[0];
		assert!(matches!(&tx.preamble, Preamble::Signed(who, (), ()) if *who == charlie()));
		let expected = crate::Call::submit_proof {
			period: 2,
			chunk: file.chunk(index),
			proof: Box::new(file.proof(index)),
		};
		assert_eq!(tx.function, RuntimeCall::StorageCommitments(expected));
		// The chain accepts what the worker sent.
		assert_ok!(tx.function.clone().dispatch(RuntimeOrigin::signed(charlie())));
		assert_eq!(challenge_of(&charlie(), 2).status, ChallengeStatus::Proven);
		StorageCommitments::do_try_state().unwrap();
	});
}

#[test]
fn the_worker_uses_the_default_url_when_none_is_set() {
	let (mut ext, handles) = ocw_test_ext(&["//Charlie"]);
	ext.execute_with(|| {
		let file = challenged_setup();
		assert_eq!(StorageCommitments::rpc_url(), DEFAULT_RPC_URL);
		let index = challenge_of(&charlie(), 2).chunk_index;
		expect_request(&handles, DEFAULT_RPC_URL, file.root, index, answer(&file, index));
		StorageCommitments::offchain_worker(21);
		assert_eq!(pool_transactions(&handles).len(), 1);
	});
}

#[test]
fn the_worker_does_not_send_the_same_proof_twice_in_a_row() {
	let (mut ext, handles) = ocw_test_ext(&["//Charlie"]);
	set_rpc_url(&handles, URL);
	ext.execute_with(|| {
		let file = challenged_setup();
		let index = challenge_of(&charlie(), 2).chunk_index;
		expect_request(&handles, URL, file.root, index, answer(&file, index));
		StorageCommitments::offchain_worker(20);
		// A second run before the proof is included sends no request (an unexpected request
		// would panic the mock) and no transaction.
		StorageCommitments::offchain_worker(21);
		assert_eq!(pool_transactions(&handles).len(), 1);
	});
}

#[test]
fn the_worker_ignores_challenges_of_accounts_without_a_key() {
	let (mut ext, handles) = ocw_test_ext(&["//Dave"]);
	set_rpc_url(&handles, URL);
	ext.execute_with(|| {
		challenged_setup();
		StorageCommitments::offchain_worker(20);
		assert!(pool_transactions(&handles).is_empty());
	});
}

#[test]
fn the_worker_skips_proven_and_late_challenges() {
	let (mut ext, handles) = ocw_test_ext(&["//Charlie"]);
	set_rpc_url(&handles, URL);
	ext.execute_with(|| {
		let file = challenged_setup();
		assert_ok!(prove(&charlie(), 2, &file));
		StorageCommitments::offchain_worker(21);
		assert!(pool_transactions(&handles).is_empty());
	});
}

#[test]
fn the_worker_sends_nothing_when_the_node_reports_an_error() {
	let (mut ext, handles) = ocw_test_ext(&["//Charlie"]);
	set_rpc_url(&handles, URL);
	ext.execute_with(|| {
		let file = challenged_setup();
		let index = challenge_of(&charlie(), 2).chunk_index;
		let error = br#"{"jsonrpc":"2.0","id":1,"error":{"code":-32000,"message":"not stored"}}"#;
		expect_request(&handles, URL, file.root, index, error.to_vec());
		StorageCommitments::offchain_worker(20);
		assert!(pool_transactions(&handles).is_empty());
	});
}

#[test]
fn the_request_body_is_exactly_the_documented_one() {
	let root = H256::repeat_byte(0xab);
	assert_eq!(
		request_body(&root, 2049),
		format!(
			r#"{{"jsonrpc":"2.0","id":1,"method":"storage_chunkProof","params":["0x{}",2049]}}"#,
			"ab".repeat(32)
		)
	);
}

#[test]
fn parse_reads_a_valid_answer() {
	let file = TestFile::standard();
	let (chunk, proof) = parse_response(&answer(&file, 7)).unwrap();
	assert_eq!(chunk, file.chunk(7).into_inner());
	assert_eq!(proof, file.proof(7));
	// Upper-case hex, no prefix, extra fields and whitespace are fine.
	let loose = format!(
		"{{ \"id\": 1, \"jsonrpc\": \"2.0\", \"result\": {{ \"extra\": 1, \"chunk\": \"{}\", \"proof\": \"0X{}\" }} }}",
		to_hex(&file.chunk(7)).to_uppercase(),
		to_hex(&file.proof(7).encode())
	);
	assert_eq!(parse_response(loose.as_bytes()).unwrap(), (chunk, proof));
}

#[test]
fn parse_rejects_malformed_answers() {
	let file = TestFile::standard();
	let proof = to_hex(&file.proof(0).encode());
	let chunk = to_hex(&file.chunk(0));
	let cases: Vec<(String, OcwError)> = vec![
		("not json".into(), OcwError::Json),
		(r#"{"jsonrpc":"2.0","id":1}"#.into(), OcwError::MissingField("result")),
		(
			r#"{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"no such method"}}"#.into(),
			OcwError::Rpc(-32601),
		),
		(format!(r#"{{"result":{{"proof":"0x{proof}"}}}}"#), OcwError::MissingField("chunk")),
		(format!(r#"{{"result":{{"chunk":"0x{chunk}"}}}}"#), OcwError::MissingField("proof")),
		(
			format!(r#"{{"result":{{"chunk":7,"proof":"0x{proof}"}}}}"#),
			OcwError::MissingField("chunk"),
		),
		(format!(r#"{{"result":{{"chunk":"0xzz","proof":"0x{proof}"}}}}"#), OcwError::Hex("chunk")),
		(
			format!(r#"{{"result":{{"chunk":"0x{chunk}","proof":"0x123"}}}}"#),
			OcwError::Hex("proof"),
		),
		(
			format!(r#"{{"result":{{"chunk":"0x{chunk}","proof":"0x00"}}}}"#),
			OcwError::ProofEncoding,
		),
		(
			format!(r#"{{"result":{{"chunk":"0x{chunk}","proof":"0x{proof}00"}}}}"#),
			OcwError::ProofEncoding,
		),
	];
	for (body, error) in cases {
		assert_eq!(parse_response(body.as_bytes()), Err(error), "{body}");
	}
}

#[test]
fn fit_chunk_strips_the_zero_padding_of_the_last_chunk_only() {
	let file = TestFile::standard();
	let last = chunk_count(file.size()) - 1;
	let unpadded = file.chunk(last).into_inner();
	assert_eq!(unpadded.len(), 44);
	let mut padded = unpadded.clone();
	padded.resize(CHUNK_SIZE, 0);
	assert_eq!(fit_chunk(padded.clone(), file.size(), last).unwrap().into_inner(), unpadded);
	assert_eq!(fit_chunk(unpadded.clone(), file.size(), last).unwrap().into_inner(), unpadded);
	// Data past the file's end is not padding.
	padded[100] = 1;
	assert_eq!(fit_chunk(padded, file.size(), last), Err(OcwError::ChunkLength));
	// A short full chunk, or a chunk past the end.
	assert_eq!(fit_chunk(vec![1; 255], file.size(), 0), Err(OcwError::ChunkLength));
	assert_eq!(fit_chunk(vec![1; 256], file.size(), last + 1), Err(OcwError::ChunkLength));
}
