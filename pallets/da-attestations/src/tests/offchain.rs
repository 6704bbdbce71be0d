//! The off-chain worker, with the node's `da_getShard` mocked over HTTP and the transaction pool
//! captured.

use super::*;
use crate::offchain::{
	parse_shard_response, shard_request_body, FetchError, DEFAULT_RPC_URL, RPC_URL_KEY,
};
use codec::{Decode, Encode};
use polkadot_sdk::{
	frame_support::traits::Hooks,
	sp_core::offchain::{
		testing::{self, OffchainState, PoolState, TestOffchainExt, TestTransactionPoolExt},
		OffchainDbExt, OffchainStorage, OffchainWorkerExt, TransactionPoolExt,
	},
	sp_io,
	sp_keystore::{testing::MemoryKeystore, Keystore, KeystoreExt},
	sp_runtime::generic::Preamble,
};
use std::sync::Arc;
use zerog_primitives::da::{encode_blob, EncodedBlob};

/// A test environment with mocked HTTP, a captured pool and a keystore holding the DA keys of
/// `keys`.
struct Env {
	ext: sp_io::TestExternalities,
	offchain: Arc<parking_lot::RwLock<OffchainState>>,
	pool: Arc<parking_lot::RwLock<PoolState>>,
}

fn env(keys: &[Sr25519Keyring]) -> Env {
	let mut ext = new_test_ext();
	let (offchain_ext, offchain) = TestOffchainExt::new();
	let (pool_ext, pool) = TestTransactionPoolExt::new();
	let keystore = MemoryKeystore::new();
	for key in keys {
		keystore
			.sr25519_generate_new(crate::KEY_TYPE, Some(&key.to_seed()))
			.expect("keystore accepts the key");
	}
	ext.register_extension(OffchainDbExt::new(offchain_ext.clone()));
	ext.register_extension(OffchainWorkerExt::new(offchain_ext));
	ext.register_extension(TransactionPoolExt::new(pool_ext));
	ext.register_extension(KeystoreExt::new(keystore));
	Env { ext, offchain, pool }
}

/// A real blob of 2 data and 2 parity shards.
fn blob() -> EncodedBlob {
	encode_blob(b"the quick brown fox jumps over the lazy dog", 2, 2).expect("valid coding")
}

fn hex(bytes: &[u8]) -> String {
	bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The node's answer with `shard` and `proof`.
fn answer(shard: &[u8], proof: &[u8]) -> Vec<u8> {
	format!(
		r#"{{"jsonrpc":"2.0","id":1,"result":{{"shard":"0x{}","proof":"0x{}"}}}}"#,
		hex(shard),
		hex(proof)
	)
	.into_bytes()
}

/// Expects a `da_getShard` request for shard `index` of `root` at `url`, answered with `response`.
fn expect(state: &mut OffchainState, url: &str, root: &H256, index: u16, response: Vec<u8>) {
	state.expect_request(testing::PendingRequest {
		method: "POST".into(),
		uri: url.into(),
		headers: vec![("Content-Type".into(), "application/json".into())],
		body: shard_request_body(root, index),
		response: Some(response),
		sent: true,
		..Default::default()
	});
}

/// Expects every shard of `blob` to be fetched from `url`, in order, with valid answers.
fn expect_all_shards(state: &mut OffchainState, url: &str, blob: &EncodedBlob) {
	for (index, (shard, proof)) in blob.shards.iter().zip(&blob.proofs).enumerate() {
		expect(state, url, &blob.commitment.root, index as u16, answer(shard, &proof.encode()));
	}
}

/// Charlie alone forms the quorum and Alice submits `blob`; returns its id.
fn charlie_quorum_with(blob: &EncodedBlob) -> BlobId {
	quorum_of(&[(charlie(), MIN_STAKE)]);
	let id = NextBlobId::<Test>::get();
	assert_ok!(DaAttestations::submit_blob(RuntimeOrigin::signed(alice()), blob.commitment, 1));
	id
}

/// The transactions in the pool, decoded.
fn sent(pool: &Arc<parking_lot::RwLock<PoolState>>) -> Vec<Extrinsic> {
	pool.read()
		.transactions
		.iter()
		.map(|tx| Extrinsic::decode(&mut &tx[..]).expect("the pool holds our extrinsics"))
		.collect()
}

fn attest_from(signer: AccountId, blob_ids: &[BlobId]) -> Extrinsic {
	Extrinsic::new_signed(
		RuntimeCall::DaAttestations(crate::Call::attest { blob_ids: ids(blob_ids) }),
		signer,
		(),
		(),
	)
}

use polkadot_sdk::frame_support::assert_ok;

#[test]
fn attests_to_a_blob_whose_shards_verify() {
	let Env { mut ext, offchain, pool } = env(&[Sr25519Keyring::Charlie]);
	let blob = blob();
	ext.execute_with(|| {
		let id = charlie_quorum_with(&blob);
		expect_all_shards(&mut offchain.write(), DEFAULT_RPC_URL, &blob);
		DaAttestations::offchain_worker(System::block_number());
		let txs = sent(&pool);
		assert_eq!(txs, vec![attest_from(charlie(), &[id])]);
		assert!(matches!(txs[0].preamble, Preamble::Signed(ref who, (), ()) if *who == charlie()));

		// The transaction, once included, certifies the blob.
		let tx = txs.into_iter().next().unwrap();
		let RuntimeCall::DaAttestations(call) = tx.function else { panic!("our call") };
		let crate::Call::attest { blob_ids } = call else { panic!("attest") };
		assert_ok!(DaAttestations::attest(RuntimeOrigin::signed(charlie()), blob_ids));
		assert!(DaAttestations::certification(&blob.commitment).is_some());
	});
}

#[test]
fn does_not_send_the_same_attestation_again_right_away() {
	let Env { mut ext, offchain, pool } = env(&[Sr25519Keyring::Charlie]);
	let blob = blob();
	ext.execute_with(|| {
		charlie_quorum_with(&blob);
		expect_all_shards(&mut offchain.write(), DEFAULT_RPC_URL, &blob);
		let now = System::block_number();
		DaAttestations::offchain_worker(now);
		// Not included yet: the next block's worker fetches nothing and sends nothing.
		DaAttestations::offchain_worker(now + 1);
		assert_eq!(sent(&pool).len(), 1);
	});
}

#[test]
fn does_not_attest_when_a_shard_does_not_verify() {
	let Env { mut ext, offchain, pool } = env(&[Sr25519Keyring::Charlie]);
	let blob = blob();
	ext.execute_with(|| {
		charlie_quorum_with(&blob);
		let mut forged = blob.shards[0].clone();
		forged[0] ^= 1;
		expect(
			&mut offchain.write(),
			DEFAULT_RPC_URL,
			&blob.commitment.root,
			0,
			answer(&forged, &blob.proofs[0].encode()),
		);
		DaAttestations::offchain_worker(System::block_number());
		assert!(sent(&pool).is_empty());
	});
}

#[test]
fn does_not_attest_when_the_node_lacks_the_shard() {
	let Env { mut ext, offchain, pool } = env(&[Sr25519Keyring::Charlie]);
	let blob = blob();
	ext.execute_with(|| {
		charlie_quorum_with(&blob);
		let error =
			br#"{"jsonrpc":"2.0","id":1,"error":{"code":-32000,"message":"unknown shard"}}"#;
		expect(&mut offchain.write(), DEFAULT_RPC_URL, &blob.commitment.root, 0, error.to_vec());
		DaAttestations::offchain_worker(System::block_number());
		assert!(sent(&pool).is_empty());
	});
}

#[test]
fn uses_the_rpc_url_from_local_storage() {
	let Env { mut ext, offchain, pool } = env(&[Sr25519Keyring::Charlie]);
	let blob = blob();
	let url = "http://127.0.0.1:19944";
	offchain.write().persistent_storage.set(b"", RPC_URL_KEY, url.as_bytes());
	ext.execute_with(|| {
		let id = charlie_quorum_with(&blob);
		expect_all_shards(&mut offchain.write(), url, &blob);
		DaAttestations::offchain_worker(System::block_number());
		assert_eq!(sent(&pool), vec![attest_from(charlie(), &[id])]);
	});
}

#[test]
fn does_nothing_without_a_registered_key() {
	// Dave's key is in the keystore but Dave is not a signer; no HTTP request is expected.
	let Env { mut ext, pool, .. } = env(&[Sr25519Keyring::Dave]);
	let blob = blob();
	ext.execute_with(|| {
		charlie_quorum_with(&blob);
		DaAttestations::offchain_worker(System::block_number());
		assert!(sent(&pool).is_empty());
	});
}

#[test]
fn fetches_only_the_assigned_shards() {
	// Charlie and Dave split the 4 shards by stake (equal: two each); only Charlie's key is
	// local, so only shards in Charlie's range are fetched.
	let Env { mut ext, offchain, pool } = env(&[Sr25519Keyring::Charlie]);
	let blob = blob();
	ext.execute_with(|| {
		quorum_of(&[(charlie(), MIN_STAKE), (dave(), MIN_STAKE)]);
		let id = NextBlobId::<Test>::get();
		assert_ok!(DaAttestations::submit_blob(RuntimeOrigin::signed(alice()), blob.commitment, 1));
		let shards = DaAttestations::assigned_shards(1, 0, &charlie(), 4);
		assert_eq!(shards.len(), 2);
		for index in shards {
			let i = index as usize;
			expect(
				&mut offchain.write(),
				DEFAULT_RPC_URL,
				&blob.commitment.root,
				index,
				answer(&blob.shards[i], &blob.proofs[i].encode()),
			);
		}
		DaAttestations::offchain_worker(System::block_number());
		assert_eq!(sent(&pool), vec![attest_from(charlie(), &[id])]);
	});
}

#[test]
fn skips_blobs_it_already_attested_on_chain() {
	// Charlie's attestation is already included (but does not certify: Dave holds half the
	// stake); the worker fetches nothing and sends nothing.
	let Env { mut ext, pool, .. } = env(&[Sr25519Keyring::Charlie]);
	let blob = blob();
	ext.execute_with(|| {
		quorum_of(&[(charlie(), MIN_STAKE), (dave(), MIN_STAKE)]);
		let id = NextBlobId::<Test>::get();
		assert_ok!(DaAttestations::submit_blob(RuntimeOrigin::signed(alice()), blob.commitment, 1));
		attest(&charlie(), &[id]);
		DaAttestations::offchain_worker(System::block_number());
		assert!(sent(&pool).is_empty());
	});
}

#[test]
fn parses_answers_strictly() {
	let blob = blob();
	let proof = blob.proofs[1].encode();
	let (shard, parsed) = parse_shard_response(&answer(&blob.shards[1], &proof)).unwrap();
	assert_eq!(shard, blob.shards[1]);
	assert_eq!(parsed, blob.proofs[1]);
	assert_eq!(parse_shard_response(b"not json"), Err(FetchError::BadResponse));
	assert_eq!(
		parse_shard_response(br#"{"result":{"shard":"0x00"}}"#),
		Err(FetchError::BadResponse)
	);
	assert_eq!(
		parse_shard_response(br#"{"result":{"shard":"0x0","proof":"0x00"}}"#),
		Err(FetchError::BadHex)
	);
	assert_eq!(
		parse_shard_response(br#"{"result":{"shard":"0x00","proof":"0x0102"}}"#),
		Err(FetchError::BadProof)
	);
}

#[test]
fn the_request_body_is_the_documented_json() {
	let body = shard_request_body(&H256::repeat_byte(0xab), 7);
	let expected = format!(
		r#"{{"jsonrpc":"2.0","id":1,"method":"da_getShard","params":["0x{}",7]}}"#,
		"ab".repeat(32)
	);
	assert_eq!(String::from_utf8(body).unwrap(), expected);
}

/// Charlie alone certifies `blob` (his one attestation is the whole quorum's stake), then the
/// custody round challenges him; returns the challenge.
fn charlie_challenged_for(blob: &EncodedBlob) -> crate::CustodyChallenge<BlockNumber> {
	let id = charlie_quorum_with(blob);
	assert_ok!(DaAttestations::attest(RuntimeOrigin::signed(charlie()), ids(&[id])));
	let now = System::block_number();
	run_to_block((now / CUSTODY_PERIOD + 1) * CUSTODY_PERIOD);
	crate::CustodyChallenges::<Test>::get(charlie()).expect("Charlie is challenged")
}

/// Expects a `da_getChunk` request at `url` for `challenge`, answered with `response`.
fn expect_chunk(
	state: &mut OffchainState,
	root: &H256,
	challenge: &crate::CustodyChallenge<BlockNumber>,
	response: Vec<u8>,
) {
	state.expect_request(testing::PendingRequest {
		method: "POST".into(),
		uri: DEFAULT_RPC_URL.into(),
		headers: vec![("Content-Type".into(), "application/json".into())],
		body: crate::offchain::chunk_request_body(root, challenge.shard, challenge.chunk),
		response: Some(response),
		sent: true,
		..Default::default()
	});
}

/// The node's `da_getChunk` answer with `chunk` and `proof`.
fn chunk_answer(chunk: &[u8], proof: &[u8]) -> Vec<u8> {
	format!(
		r#"{{"jsonrpc":"2.0","id":1,"result":{{"chunk":"0x{}","proof":"0x{}"}}}}"#,
		hex(chunk),
		hex(proof)
	)
	.into_bytes()
}

#[test]
fn answers_a_custody_challenge_with_the_chunk_the_node_holds() {
	let Env { mut ext, offchain, pool } = env(&[Sr25519Keyring::Charlie]);
	let blob = blob();
	ext.execute_with(|| {
		let challenge = charlie_challenged_for(&blob);
		let proof = blob.chunk_proof(challenge.shard, challenge.chunk).unwrap();
		let chunk = blob.shards[usize::from(challenge.shard)].clone();
		expect_chunk(
			&mut offchain.write(),
			&blob.commitment.root,
			&challenge,
			chunk_answer(&chunk, &proof.encode()),
		);
		DaAttestations::offchain_worker(System::block_number());
		let txs = sent(&pool);
		let expected = Extrinsic::new_signed(
			RuntimeCall::DaAttestations(crate::Call::answer_custody {
				blob: challenge.blob,
				chunk: BoundedVec::try_from(chunk).unwrap(),
				proof,
			}),
			charlie(),
			(),
			(),
		);
		assert_eq!(txs, vec![expected.clone()]);
		// Once included it closes the challenge.
		let RuntimeCall::DaAttestations(call) = expected.function else { panic!("our call") };
		let crate::Call::answer_custody { blob: id, chunk, proof } = call else { panic!() };
		assert_ok!(DaAttestations::answer_custody(
			RuntimeOrigin::signed(charlie()),
			id,
			chunk,
			proof
		));
		assert!(crate::CustodyChallenges::<Test>::get(charlie()).is_none());
		// Not answered twice: the next run has nothing to send (no request is expected).
		DaAttestations::offchain_worker(System::block_number());
		assert_eq!(sent(&pool).len(), 1);
	});
}

/// An answer not yet on chain is sent once, then again after `RESEND_AFTER_BLOCKS` blocks, before
/// the challenge's deadline. Regression: the worker used to wait 5 blocks against the runtime's
/// 5-block `CustodyWindow`, so an answer the pool dropped (its nonce taken by another transaction
/// of the signer's account) was never sent again, and an attester holding its chunk was slashed.
#[test]
fn sends_a_custody_answer_again_within_the_window_while_it_is_not_on_chain() {
	let Env { mut ext, offchain, pool } = env(&[Sr25519Keyring::Charlie]);
	let blob = blob();
	ext.execute_with(|| {
		let challenge = charlie_challenged_for(&blob);
		let proof = blob.chunk_proof(challenge.shard, challenge.chunk).unwrap();
		let answer = chunk_answer(&blob.shards[usize::from(challenge.shard)], &proof.encode());
		let root = blob.commitment.root;
		let first = System::block_number();
		expect_chunk(&mut offchain.write(), &root, &challenge, answer.clone());
		DaAttestations::offchain_worker(first);
		assert_eq!(sent(&pool).len(), 1);
		// The next block: the answer may still be in the pool, so nothing is fetched or sent.
		run_to_block(first + 1);
		DaAttestations::offchain_worker(first + 1);
		assert_eq!(sent(&pool).len(), 1);
		// Still not on chain after RESEND_AFTER_BLOCKS: sent again, in time for the deadline.
		let again = first + BlockNumber::from(crate::offchain::RESEND_AFTER_BLOCKS);
		assert!(again < challenge.deadline, "the resend must land before the deadline");
		run_to_block(again);
		expect_chunk(&mut offchain.write(), &root, &challenge, answer);
		DaAttestations::offchain_worker(again);
		let txs = sent(&pool);
		assert_eq!(txs.len(), 2);
		assert_eq!(txs[0], txs[1], "the same answer");
	});
}

#[test]
fn does_not_answer_a_custody_challenge_with_a_chunk_that_does_not_verify() {
	let Env { mut ext, offchain, pool } = env(&[Sr25519Keyring::Charlie]);
	let blob = blob();
	ext.execute_with(|| {
		let challenge = charlie_challenged_for(&blob);
		let proof = blob.chunk_proof(challenge.shard, challenge.chunk).unwrap();
		let mut chunk = blob.shards[usize::from(challenge.shard)].clone();
		chunk[0] ^= 1;
		expect_chunk(
			&mut offchain.write(),
			&blob.commitment.root,
			&challenge,
			chunk_answer(&chunk, &proof.encode()),
		);
		DaAttestations::offchain_worker(System::block_number());
		assert!(sent(&pool).is_empty(), "a wrong answer would only pay a fee");
	});
}
