//! `da_*`: all-or-nothing shard uploads, reads, samples, rebuilding and the unsafe removal.

use codec::DecodeAll;
use codec::Encode;
use jsonrpsee::RpcModule;
use sc_rpc_api::DenyUnsafe;
use serde_json::{json, Value};
use zerog_primitives::da::{
	commit_shards, encode_blob, verify_chunk, verify_shard, BlobCommitment, ChunkProof, EncodedBlob,
};

use super::{block_on, bytes, error_code, open_store, MockChain};
use crate::rpc::da::{BlobShapeParam, DaApiServer, DaRpc, ShardInput};
use zerog_primitives::hex::{decode_hex, to_prefixed_hex};

/// Data shards of the test blob.
const K: u16 = 4;
/// Parity shards of the test blob.
const M: u16 = 4;

/// A 1000-byte blob coded into `K + M` shards.
fn test_blob() -> (Vec<u8>, EncodedBlob) {
	let blob = bytes(1000, 3);
	let encoded = encode_blob(&blob, K, M).unwrap();
	(blob, encoded)
}

/// A chain on which `encoded` is pending.
fn chain(encoded: &EncodedBlob) -> MockChain {
	MockChain { blobs: vec![encoded.commitment], ..Default::default() }
}

/// The `da_putShards` entries for `indices` of `encoded`.
fn inputs(encoded: &EncodedBlob, indices: impl IntoIterator<Item = u16>) -> Vec<ShardInput> {
	indices
		.into_iter()
		.map(|index| ShardInput {
			index: u64::from(index),
			data: to_prefixed_hex(&encoded.shards[usize::from(index)]),
			proof: to_prefixed_hex(&encoded.proofs[usize::from(index)].encode()),
		})
		.collect()
}

/// Hex of `encoded`'s data fingerprints, as `da_putShards` takes them.
fn fps(encoded: &EncodedBlob) -> String {
	to_prefixed_hex(&encoded.fingerprints)
}

fn root(encoded: &EncodedBlob) -> String {
	to_prefixed_hex(encoded.commitment.root.as_bytes())
}

#[test]
fn stores_verified_shards_and_counts_new_ones() {
	let (_dir, store) = open_store();
	let (_, encoded) = test_blob();
	let rpc = DaRpc::new(chain(&encoded), store, false);
	let stored =
		rpc.put_with(&root(&encoded), &inputs(&encoded, [0, 1, 5]), None, &fps(&encoded)).unwrap();
	assert_eq!(
		serde_json::to_value(stored).unwrap(),
		json!({ "root": root(&encoded), "newlyStored": 3, "held": 3, "dataShards": 4, "totalShards": 8 })
	);
	let again =
		rpc.put_with(&root(&encoded), &inputs(&encoded, [5, 6]), None, &fps(&encoded)).unwrap();
	assert_eq!((again.newly_stored, again.held), (1, 4));
	assert_eq!(rpc.held(&root(&encoded)).unwrap().indices, vec![0, 1, 5, 6]);
}

#[test]
fn one_bad_shard_refuses_the_whole_call() {
	let (_dir, store) = open_store();
	let (_, encoded) = test_blob();
	let rpc = DaRpc::new(chain(&encoded), store, false);
	let mut shards = inputs(&encoded, [0, 1, 2]);
	let mut tampered = encoded.shards[2].clone();
	tampered[0] ^= 1;
	shards[2].data = to_prefixed_hex(&tampered);
	let error = rpc.put_with(&root(&encoded), &shards, None, &fps(&encoded)).unwrap_err();
	assert_eq!(error.code(), 6102);
	assert!(error.message().contains("shard 2"), "{error:?}");
	assert_eq!(rpc.held(&root(&encoded)).unwrap().indices, Vec::<u16>::new());

	// A proof of another shard is refused the same way.
	let mut shards = inputs(&encoded, [0, 1]);
	shards[1].proof = to_prefixed_hex(&encoded.proofs[0].encode());
	assert_eq!(
		rpc.put_with(&root(&encoded), &shards, None, &fps(&encoded)).unwrap_err().code(),
		6102
	);
	assert_eq!(rpc.held(&root(&encoded)).unwrap().indices, Vec::<u16>::new());
}

/// A publisher that encoded its blob badly (parity that is not the code of the data) gets every
/// call with an off-codeword shard refused with 6109, and nothing of it stored: this node's
/// off-chain worker then never attests to the blob.
#[test]
fn refuses_shards_off_the_committed_codeword() {
	let (_dir, store) = open_store();
	let (_, honest) = test_blob();
	let mut shards = honest.shards.clone();
	shards[6][10] ^= 0x80;
	let forged = commit_shards(shards, 1000, K, M).unwrap();
	let rpc = DaRpc::new(chain(&forged), store, false);
	let error =
		rpc.put_with(&root(&forged), &inputs(&forged, [5, 6]), None, &fps(&forged)).unwrap_err();
	assert_eq!(error.code(), 6109);
	assert!(error.message().contains("shard 6") && error.message().contains("badly"), "{error:?}");
	assert_eq!(rpc.held(&root(&forged)).unwrap().indices, Vec::<u16>::new());
	// The shards that are on the codeword are stored: any k of them rebuild the blob.
	assert_eq!(
		rpc.put_with(&root(&forged), &inputs(&forged, [0, 5, 7]), None, &fps(&forged))
			.unwrap()
			.held,
		3
	);
}

/// Fingerprints other than those the root binds, of the wrong length or not hex are refused.
#[test]
fn refuses_fingerprints_the_commitment_does_not_bind() {
	let (_dir, store) = open_store();
	let (_, encoded) = test_blob();
	let rpc = DaRpc::new(chain(&encoded), store, false);
	let put = |fingerprints: &str| {
		rpc.put_with(&root(&encoded), &inputs(&encoded, [0]), None, fingerprints).unwrap_err()
	};
	let mut other = encoded.fingerprints.clone();
	other[0] ^= 1;
	assert_eq!(put(&to_prefixed_hex(&other)).code(), 6102);
	assert_eq!(put(&to_prefixed_hex(&encoded.fingerprints[64..])).code(), 6103);
	assert_eq!(put("0xzz").code(), 6103);
	assert_eq!(rpc.held(&root(&encoded)).unwrap().indices, Vec::<u16>::new());
}

#[test]
fn refuses_shards_of_a_blob_the_chain_does_not_know() {
	let (_dir, store) = open_store();
	let (_, encoded) = test_blob();
	let rpc = DaRpc::new(MockChain::default(), store, false);
	assert_eq!(
		rpc.put_with(&root(&encoded), &inputs(&encoded, [0]), None, &fps(&encoded))
			.unwrap_err()
			.code(),
		6101
	);
	assert_eq!(rpc.held(&root(&encoded)).unwrap_err().code(), 6101);
	assert_eq!(rpc.shard(&root(&encoded), 0).unwrap_err().code(), 6101);
	assert_eq!(rpc.blob(&root(&encoded)).unwrap_err().code(), 6101);
}

/// The shape parameter of `encoded`'s blob.
fn shape(encoded: &EncodedBlob) -> BlobShapeParam {
	BlobShapeParam {
		size_bytes: encoded.commitment.size_bytes,
		data_shards: encoded.commitment.data_shards,
		parity_shards: encoded.commitment.parity_shards,
	}
}

/// Only quorum members accept shards, and only of their own range: a publisher (or a stranger)
/// cannot make a signer store shards another member holds.
#[test]
fn refuses_shards_held_by_other_members_of_the_quorum() {
	let (_dir, store) = open_store();
	let (_, encoded) = test_blob();
	let chain = MockChain { local_indices: Some(vec![0, 1, 2]), ..chain(&encoded) };
	let rpc = DaRpc::new(chain, store, false);
	let root = root(&encoded);
	assert_eq!(
		rpc.put_with(&root, &inputs(&encoded, [0, 2]), None, &fps(&encoded)).unwrap().held,
		2
	);
	let error = rpc.put_with(&root, &inputs(&encoded, [1, 3]), None, &fps(&encoded)).unwrap_err();
	assert_eq!(error.code(), 6107);
	assert!(error.message().contains("shard 3") && error.message().contains("0-2"), "{error:?}");
	assert_eq!(rpc.held(&root).unwrap().indices, vec![0, 2], "nothing of the refused call");
}

/// A blob whose quorum (on chain, or the one it would get now) has no DA key of this node is
/// refused whole.
#[test]
fn refuses_blobs_of_quorums_without_a_local_key() {
	let (_dir, store) = open_store();
	let (_, encoded) = test_blob();
	let chain = MockChain { local_indices: Some(Vec::new()), ..chain(&encoded) };
	let rpc = DaRpc::new(chain, store, false);
	let error =
		rpc.put_with(&root(&encoded), &inputs(&encoded, [0]), None, &fps(&encoded)).unwrap_err();
	assert_eq!(error.code(), 6107);
	assert!(error.message().contains("shard_holders"), "{error:?}");
	// Not on chain and not staged here either: the shape alone does not make it acceptable.
	let (_dir, store) = open_store();
	let rpc = DaRpc::new(MockChain::default(), store, false);
	let error = rpc.put_with(
		&root(&encoded),
		&inputs(&encoded, [0]),
		Some(shape(&encoded)),
		&fps(&encoded),
	);
	assert_eq!(error.unwrap_err().code(), 6107);
}

/// Shards of a blob not submitted yet are accepted for the quorum it would get (staging), up to
/// the staging allowance; a blob on chain is not counted against it.
#[test]
fn stages_shards_of_a_blob_not_on_chain_up_to_the_limit() {
	let (_dir, store) = open_store();
	let (_, encoded) = test_blob();
	let (_, other) = {
		let blob = bytes(1000, 9);
		(blob.clone(), encode_blob(&blob, K, M).unwrap())
	};
	let shard_len = encoded.shards[0].len() as u64;
	let chain =
		MockChain { staged_here: vec![encoded.commitment, other.commitment], ..Default::default() };
	let rpc = DaRpc::new(chain, store, false).with_staging_limit(3 * shard_len);
	// Without the shape the node cannot tell which blob the root is.
	assert_eq!(
		rpc.put_with(&root(&encoded), &inputs(&encoded, [0]), None, &fps(&encoded))
			.unwrap_err()
			.code(),
		6101
	);
	let staged = rpc.put_with(
		&root(&encoded),
		&inputs(&encoded, [0, 1]),
		Some(shape(&encoded)),
		&fps(&encoded),
	);
	assert_eq!(staged.unwrap().held, 2);
	let error = rpc
		.put_with(&root(&other), &inputs(&other, [0, 1]), Some(shape(&other)), &fps(&other))
		.unwrap_err();
	assert_eq!(error.code(), 6108);
	assert!(error.message().contains("submit blob"), "{error:?}");
	assert!(rpc
		.put_with(&root(&other), &inputs(&other, [0]), Some(shape(&other)), &fps(&other))
		.is_ok());
	// A wrong shape for the root verifies nothing.
	let wrong = BlobShapeParam { size_bytes: 999, ..shape(&encoded) };
	let (_dir, store) = open_store();
	let chain = MockChain {
		staged_here: vec![BlobCommitment { size_bytes: 999, ..encoded.commitment }],
		..Default::default()
	};
	let rpc = DaRpc::new(chain, store, false);
	let error = rpc
		.put_with(&root(&encoded), &inputs(&encoded, [0]), Some(wrong), &fps(&encoded))
		.unwrap_err();
	assert!([6102, 6103].contains(&error.code()), "{error:?}");
}

#[test]
fn refuses_malformed_shard_batches() {
	let (_dir, store) = open_store();
	let (_, encoded) = test_blob();
	let rpc = DaRpc::new(chain(&encoded), store, false);
	let root = root(&encoded);
	let mut bad_hex = inputs(&encoded, [0]);
	bad_hex[0].data = "0xq1".into();
	let mut bad_proof = inputs(&encoded, [0]);
	bad_proof[0].proof = "0x01".into();
	let mut short = inputs(&encoded, [0]);
	short[0].data = to_prefixed_hex(&encoded.shards[0][1..]);
	let mut out_of_range = inputs(&encoded, [0]);
	out_of_range[0].index = 8;
	let mut not_u16 = inputs(&encoded, [0]);
	not_u16[0].index = 70_000;
	let too_many: Vec<ShardInput> = (0..1025).map(|_| inputs(&encoded, [0]).remove(0)).collect();
	for shards in [
		Vec::new(),
		bad_hex,
		bad_proof,
		short,
		out_of_range,
		not_u16,
		inputs(&encoded, [1, 1]),
		too_many,
	] {
		assert_eq!(rpc.put_with(&root, &shards, None, &fps(&encoded)).unwrap_err().code(), 6103);
	}
	assert_eq!(
		rpc.put_with("0x12", &inputs(&encoded, [0]), None, &fps(&encoded)).unwrap_err().code(),
		6103
	);
	assert_eq!(rpc.held(&root).unwrap().indices, Vec::<u16>::new());
}

#[test]
fn serves_held_shards_the_way_the_offchain_worker_parses_them() {
	let (_dir, store) = open_store();
	let (_, encoded) = test_blob();
	let rpc = DaRpc::new(chain(&encoded), store, false);
	let root = root(&encoded);
	assert_eq!(rpc.shard(&root, 3).unwrap_err().code(), 6104);
	rpc.put_with(&root, &inputs(&encoded, [3]), None, &fps(&encoded)).unwrap();
	let answer = rpc.shard(&root, 3).unwrap();
	let body = json!({ "jsonrpc": "2.0", "id": 1, "result": answer }).to_string();
	let (shard, proof) =
		pallet_da_attestations::offchain::parse_shard_response(body.as_bytes()).unwrap();
	verify_shard(&encoded.commitment, 3, &shard, &proof).unwrap();
	assert_eq!(rpc.shard(&root, 2).unwrap_err().code(), 6104);
	assert_eq!(rpc.shard(&root, 8).unwrap_err().code(), 6103);
}

/// `da_getChunk` serves one chunk of a held shard with a proof the runtime accepts for a
/// custody answer, and the off-chain worker's request shape reaches it.
#[test]
fn serves_chunks_of_held_shards_for_custody_answers() {
	let (_dir, store) = open_store();
	// 5000 bytes in 4 data shards: 1280-byte shards, chunks of 1024 and 256 bytes.
	let blob = bytes(5000, 5);
	let encoded = encode_blob(&blob, K, M).unwrap();
	let rpc = DaRpc::new(chain(&encoded), store.clone(), false);
	let root = root(&encoded);
	assert_eq!(rpc.chunk(&root, 3, 0).unwrap_err().code(), 6104);
	rpc.put_with(&root, &inputs(&encoded, [3]), None, &fps(&encoded)).unwrap();
	for chunk in 0..2u32 {
		let answer = rpc.chunk(&root, 3, chunk).unwrap();
		let bytes = decode_hex(&answer.chunk).unwrap();
		let proof = ChunkProof::decode_all(&mut &decode_hex(&answer.proof).unwrap()[..]).unwrap();
		assert_eq!(bytes.len(), if chunk == 0 { 1024 } else { 256 });
		verify_chunk(&encoded.commitment, 3, chunk, &bytes, &proof).unwrap();
	}
	assert_eq!(rpc.chunk(&root, 3, 2).unwrap_err().code(), 6103);
	assert_eq!(rpc.chunk(&root, 2, 0).unwrap_err().code(), 6104);
	let module = da_module(DaRpc::new(chain(&encoded), store, false), None);
	let body = pallet_da_attestations::offchain::chunk_request_body(&encoded.commitment.root, 3, 1);
	let request: Value = serde_json::from_slice(&body).unwrap();
	assert_eq!(request["method"], "da_getChunk");
	assert_eq!(request["params"], json!([root, 3, 1]));
	block_on(async {
		let answer: Value = module.call("da_getChunk", (&root, 3u16, 1u32)).await.unwrap();
		assert_eq!(answer["chunk"], json!(to_prefixed_hex(&encoded.shards[3][1024..])));
	});
}

#[test]
fn rebuilds_the_blob_from_any_k_held_shards() {
	let (_dir, store) = open_store();
	let (blob, encoded) = test_blob();
	let rpc = DaRpc::new(chain(&encoded), store, false);
	let root = root(&encoded);
	assert_eq!(rpc.blob(&root).unwrap_err().code(), 6105);
	rpc.put_with(&root, &inputs(&encoded, [1, 5, 7]), None, &fps(&encoded)).unwrap();
	let error = rpc.blob(&root).unwrap_err();
	assert_eq!(error.code(), 6105);
	assert!(error.message().contains("holds 3"), "{error:?}");
	rpc.put_with(&root, &inputs(&encoded, [6]), None, &fps(&encoded)).unwrap();
	let rebuilt = rpc.blob(&root).unwrap();
	assert_eq!(decode_hex(&rebuilt.data).unwrap(), blob);
	assert_eq!(rebuilt.shards_used, 4);
}

#[test]
fn samples_distinct_held_shards_with_proofs() {
	let (_dir, store) = open_store();
	let (_, encoded) = test_blob();
	let rpc = DaRpc::new(chain(&encoded), store, false);
	let root = root(&encoded);
	assert_eq!(rpc.sample_shards(&root, 2).unwrap_err().code(), 6104);
	rpc.put_with(&root, &inputs(&encoded, [0, 2, 4, 6, 7]), None, &fps(&encoded)).unwrap();
	let samples = rpc.sample_shards(&root, 3).unwrap();
	assert_eq!(samples.held, 5);
	assert_eq!(samples.samples.len(), 3);
	let indices: Vec<u16> = samples.samples.iter().map(|sample| sample.index).collect();
	assert!(indices.windows(2).all(|pair| pair[0] < pair[1]), "{indices:?}");
	for sample in &samples.samples {
		assert_eq!(
			sample.proof,
			to_prefixed_hex(&encoded.proofs[usize::from(sample.index)].encode())
		);
		assert_eq!(decode_hex(&sample.shard).unwrap(), encoded.shards[usize::from(sample.index)]);
	}
	// Asking for more than are held gives what is held; a stranger cannot ask for more than
	// `MAX_SAMPLES_PER_CALL` at once.
	assert_eq!(rpc.sample_shards(&root, 64).unwrap().samples.len(), 5);
	assert_eq!(rpc.sample_shards(&root, 65).unwrap_err().code(), 6103);
}

/// The DA module, with the per-connection unsafe decision `deny_unsafe` if any.
fn da_module(
	rpc: DaRpc<MockChain>,
	deny_unsafe: Option<DenyUnsafe>,
) -> RpcModule<DaRpc<MockChain>> {
	let mut module = rpc.into_rpc();
	if let Some(deny_unsafe) = deny_unsafe {
		module.extensions_mut().insert(deny_unsafe);
	}
	module
}

#[test]
fn remove_shards_is_refused_unless_unsafe_methods_are_allowed() {
	let (_dir, store) = open_store();
	let (_, encoded) = test_blob();
	let root = root(&encoded);
	DaRpc::new(chain(&encoded), store.clone(), false)
		.put_with(&root, &inputs(&encoded, [0, 1, 2]), None, &fps(&encoded))
		.unwrap();
	block_on(async {
		for (deny_unsafe, unsafe_allowed) in [(Some(DenyUnsafe::Yes), true), (None, false)] {
			let module =
				da_module(DaRpc::new(chain(&encoded), store.clone(), unsafe_allowed), deny_unsafe);
			let error =
				module.call::<_, Value>("da_removeShards", (&root, [0u16])).await.unwrap_err();
			assert_eq!(error_code(error), -32601);
		}
		let module =
			da_module(DaRpc::new(chain(&encoded), store.clone(), false), Some(DenyUnsafe::No));
		let removed: Value = module.call("da_removeShards", (&root, [0u16, 2, 5])).await.unwrap();
		assert_eq!(removed, json!({ "removed": 2 }));
		let held: Value = module.call("da_heldShards", [&root]).await.unwrap();
		assert_eq!(held, json!({ "indices": [1] }));
		let module = da_module(DaRpc::new(chain(&encoded), store.clone(), true), None);
		let removed: Value = module.call("da_removeShards", (&root, [1u16])).await.unwrap();
		assert_eq!(removed, json!({ "removed": 1 }));
	});
}

#[test]
fn get_blob_is_refused_unless_unsafe_methods_are_allowed() {
	let (_dir, store) = open_store();
	let (blob, encoded) = test_blob();
	let root = root(&encoded);
	let every: Vec<u16> = (0..encoded.shards.len() as u16).collect();
	DaRpc::new(chain(&encoded), store.clone(), false)
		.put_with(&root, &inputs(&encoded, every), None, &fps(&encoded))
		.unwrap();
	block_on(async {
		for (deny_unsafe, unsafe_allowed) in [(Some(DenyUnsafe::Yes), true), (None, false)] {
			let module =
				da_module(DaRpc::new(chain(&encoded), store.clone(), unsafe_allowed), deny_unsafe);
			let error = module.call::<_, Value>("da_getBlob", [&root]).await.unwrap_err();
			assert_eq!(error_code(error), -32601);
		}
		let module =
			da_module(DaRpc::new(chain(&encoded), store.clone(), false), Some(DenyUnsafe::No));
		let rebuilt: Value = module.call("da_getBlob", [&root]).await.unwrap();
		assert_eq!(rebuilt["data"], json!(to_prefixed_hex(&blob)));
	});
}

#[test]
fn json_rpc_methods_take_the_documented_names() {
	let (_dir, store) = open_store();
	let (_, encoded) = test_blob();
	let root = root(&encoded);
	let module = da_module(DaRpc::new(chain(&encoded), store, true), None);
	block_on(async {
		let shards = serde_json::to_value(
			inputs(&encoded, [0, 1])
				.into_iter()
				.map(
					|shard| json!({ "index": shard.index, "data": shard.data, "proof": shard.proof }),
				)
				.collect::<Vec<_>>(),
		)
		.unwrap();
		// Without the encoding fingerprints nothing is stored.
		let error =
			module.call::<_, Value>("da_putShards", (&root, shards.clone())).await.unwrap_err();
		assert_eq!(error_code(error), -32602);
		let stored: Value =
			module.call("da_putShards", (&root, shards, Value::Null, fps(&encoded))).await.unwrap();
		assert_eq!(stored["held"], json!(2));
		// The optional third parameter names the blob's shape.
		let shape = json!({ "sizeBytes": 1000, "dataShards": K, "parityShards": M });
		let more = serde_json::to_value(
			inputs(&encoded, [2])
				.into_iter()
				.map(
					|shard| json!({ "index": shard.index, "data": shard.data, "proof": shard.proof }),
				)
				.collect::<Vec<_>>(),
		)
		.unwrap();
		let stored: Value =
			module.call("da_putShards", (&root, more, shape, fps(&encoded))).await.unwrap();
		assert_eq!(stored["held"], json!(3));
		let shard: Value = module.call("da_getShard", (&root, 1u16)).await.unwrap();
		assert_eq!(shard["proof"], json!(to_prefixed_hex(&encoded.proofs[1].encode())));
		let samples: Value = module.call("da_sample", (&root, 1u32)).await.unwrap();
		assert_eq!(samples["held"], json!(3));
		let error = module.call::<_, Value>("da_getBlob", [&root]).await.unwrap_err();
		assert_eq!(error_code(error), 6105);
	});
}
