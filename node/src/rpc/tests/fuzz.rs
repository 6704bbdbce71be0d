//! Fuzz target (`arbitrary`-driven, run by `arbtest`): arbitrary JSON-RPC requests to every
//! `storage_*` and `da_*` method, through jsonrpsee's parameter parsing, against a mock chain
//! that commits one real file and one real blob.
//!
//! Every answer is a JSON-RPC result or an error with a code the README documents (6001–6005,
//! 6101–6106) or a standard JSON-RPC code, never an internal error; and whatever got stored
//! verifies against its commitment. `ARBTEST_BUDGET_MS` sets how long it runs.

use arbtest::arbitrary::{Result, Unstructured};
use codec::Encode;
use jsonrpsee::RpcModule;
use serde_json::{json, Value};
use zerog_primitives::{
	da::{encode_blob, verify_shard, EncodedBlob},
	hex::to_prefixed_hex,
	storage::{FileTree, SEGMENT_SIZE},
};

use super::{bytes, chain_file, open_store, MockChain};
use crate::rpc::{
	da::{DaApiServer, DaRpc},
	storage::{StorageApiServer, StorageRpc},
};

const METHODS: [&str; 12] = [
	"storage_uploadSegment",
	"storage_downloadSegment",
	"storage_fileInfo",
	"storage_missingSegments",
	"storage_holdsFile",
	"storage_dataPort",
	"da_putShards",
	"da_getShard",
	"da_getBlob",
	"da_sample",
	"da_heldShards",
	"da_removeShards",
];

/// The committed file and blob the requests are built around.
struct Fixture {
	file: Vec<u8>,
	tree: FileTree,
	blob: EncodedBlob,
}

/// A JSON value of any shape, biased towards hex strings, the fixture's roots and numbers.
fn value(u: &mut Unstructured, fixture: &Fixture, depth: u32) -> Result<Value> {
	Ok(match u.int_in_range(0..=9)? {
		0 => json!(to_prefixed_hex(fixture.tree.root().as_bytes())),
		1 => json!(to_prefixed_hex(fixture.blob.commitment.root.as_bytes())),
		2 => json!(to_prefixed_hex({
			let len = u.int_in_range(0..=40)?;
			u.bytes(len)
		}?)),
		3 => json!(u.arbitrary::<u64>()?),
		4 => json!(u.int_in_range(0..=8u64)?),
		5 => json!(*u.choose(&[-1.0f64, 1.5, 1e30, -0.0])?),
		6 => json!(u.arbitrary::<String>()?),
		7 => json!(u.arbitrary::<bool>()?),
		8 if depth < 2 => {
			let items = (0..u.int_in_range(0..=3)?)
				.map(|_| value(u, fixture, depth + 1))
				.collect::<Result<Vec<_>>>()?;
			Value::Array(items)
		},
		_ => Value::Null,
	})
}

/// Parameters for `method`: well-formed ones with real or tampered data, or any values.
fn params(u: &mut Unstructured, fixture: &Fixture, method: &str) -> Result<Value> {
	if u.ratio(1, 4)? {
		let count = u.int_in_range(0..=4)?;
		return Ok(Value::Array((0..count).map(|_| value(u, fixture, 0)).collect::<Result<_>>()?));
	}
	let file_root = to_prefixed_hex(fixture.tree.root().as_bytes());
	let blob_root = to_prefixed_hex(fixture.blob.commitment.root.as_bytes());
	let segments = fixture.file.len().div_ceil(SEGMENT_SIZE) as u64;
	Ok(match method {
		"storage_uploadSegment" => {
			let index = u.int_in_range(0..=segments)?;
			let of = index.min(segments - 1);
			let mut data = fixture.file.chunks(SEGMENT_SIZE).nth(of as usize).unwrap().to_vec();
			let mut proof = fixture.tree.segment_proof(of).unwrap().encode();
			match u.int_in_range(0..=4)? {
				0 => {
					let at = u.choose_index(data.len())?;
					data[at] ^= u.int_in_range(1..=255)?;
				},
				1 => {
					let at = u.choose_index(proof.len())?;
					proof[at] = u.arbitrary()?;
				},
				2 => data.truncate(u.choose_index(data.len())?),
				_ => {},
			}
			json!([file_root, index, to_prefixed_hex(&data), to_prefixed_hex(&proof)])
		},
		"storage_downloadSegment" => {
			json!([file_root, u.int_in_range(0..=3_000u64)?])
		},
		"storage_fileInfo" => json!([file_root]),
		"storage_dataPort" => json!([]),
		"storage_holdsFile" => json!([file_root, u.arbitrary::<u64>()?]),
		"storage_missingSegments" => {
			json!([file_root, u.arbitrary::<u64>()?, u.int_in_range(0..=10u64)?])
		},
		"da_putShards" => {
			let total = fixture.blob.shards.len();
			let shards = (0..u.int_in_range(0..=total + 1)?)
				.map(|_| {
					let index = u.choose_index(total)?;
					let mut data = fixture.blob.shards[index].clone();
					if u.ratio(1, 4)? && !data.is_empty() {
						let at = u.choose_index(data.len())?;
						data[at] ^= u.int_in_range(1..=255)?;
					}
					let claimed = if u.ratio(9, 10)? { index as u64 } else { u.arbitrary()? };
					Ok(json!({
						"index": claimed,
						"data": to_prefixed_hex(&data),
						"proof": to_prefixed_hex(&fixture.blob.proofs[index].encode()),
					}))
				})
				.collect::<Result<Vec<_>>>()?;
			let fingerprints = if u.ratio(9, 10)? {
				to_prefixed_hex(&fixture.blob.fingerprints)
			} else {
				let len = u.int_in_range(0..=300)?;
				to_prefixed_hex(u.bytes(len)?)
			};
			json!([blob_root, shards, null, fingerprints])
		},
		"da_getShard" => json!([blob_root, u.int_in_range(0..=12u64)?]),
		"da_sample" => json!([blob_root, u.arbitrary::<u64>()?]),
		"da_removeShards" => json!([blob_root, [u.int_in_range(0..=12u64)?]]),
		_ => json!([blob_root]),
	})
}

#[test]
fn fuzz_storage_and_da_rpc_parameters() {
	let file = bytes(2 * SEGMENT_SIZE + 700, 9);
	let tree = FileTree::new(&file).unwrap();
	let blob = encode_blob(&bytes(3_000, 4), 4, 4).unwrap();
	let chain = MockChain {
		files: vec![chain_file(3, tree.root(), file.len() as u64)],
		blobs: vec![blob.commitment],
		assigned_elsewhere: vec![],
		..Default::default()
	};
	let fixture = Fixture { file, tree, blob };
	let (_dir, store) = open_store();
	let mut module = RpcModule::new(());
	module.merge(StorageRpc::new(chain.clone(), store.clone()).into_rpc()).unwrap();
	module.merge(DaRpc::new(chain, store.clone(), false).into_rpc()).unwrap();

	let runtime = tokio::runtime::Runtime::new().unwrap();
	arbtest::arbtest(|u| {
		let method = *u.choose(&METHODS)?;
		let request = if u.ratio(1, 20)? {
			String::from_utf8_lossy({
				let len = u.int_in_range(0..=200)?;
				u.bytes(len)
			}?)
			.into_owned()
		} else {
			json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params(u, &fixture, method)?})
					.to_string()
		};
		let answer = runtime.block_on(module.raw_json_request(&request, 1));
		let Ok((answer, _)) = answer else { return Ok(()) };
		let answer: Value = serde_json::from_str(&answer).expect("the answer is JSON");
		if let Some(error) = answer.get("error") {
			let code = error["code"].as_i64().expect("an error has a code");
			assert!(
				(6001..=6005).contains(&code)
					|| (6101..=6106).contains(&code)
					|| matches!(code, -32700 | -32600 | -32601 | -32602),
				"{method}: code {code} for {request}: {answer}"
			);
		} else {
			assert!(answer.get("result").is_some(), "{answer}");
		}
		Ok(())
	});

	// Whatever was stored verifies against the commitments.
	let root = fixture.tree.root();
	let size = fixture.file.len() as u64;
	for index in 0..fixture.file.len().div_ceil(SEGMENT_SIZE) as u64 {
		if let Some((data, proof)) = store.segment(&root, size, index).unwrap() {
			proof.verify(&root, size, index, &data).expect("a stored segment verifies");
		}
	}
	let commitment = fixture.blob.commitment;
	if let Some(held) = store.stored_blob(&commitment.root).unwrap() {
		for index in held.held {
			let (data, proof) = store.shard(&commitment.root, index).unwrap().unwrap();
			verify_shard(&commitment, index, &data, &proof).expect("a stored shard verifies");
		}
	}
}
