//! DA shards pushed as binary to the data plane: the same checks as `da_putShards`, the same
//! staging allowance, and a specific refusal for every malformed request.

use std::sync::Arc;

use hyper::{Method, StatusCode};
use zerog_client::{
	da::{BAD_ENCODING, NOT_ASSIGNED, STAGING_FULL},
	storage::{DataClient, DataError},
};
use zerog_primitives::da::{
	commit_shards, encode_blob,
	transport::{shards_path, BlobShape, ShardEnvelope, ShardsEnvelope, MAX_SHARDS_BODY_BYTES},
	EncodedBlob,
};

use super::{raw_request, serve_plane};
use crate::{
	data_store::DataStore,
	rpc::{
		da::{DaRpc, ShardInput, StagingAllowance},
		tests::{block_on, bytes, open_store, MockChain},
	},
};

/// A 1000-byte blob coded into 4 + 4 shards.
fn blob() -> EncodedBlob {
	encode_blob(&bytes(1000, 5), 4, 4).unwrap()
}

/// The body carrying shards `indices` of `encoded`, with its shape when `staged`.
fn envelope(encoded: &EncodedBlob, indices: &[u16], staged: bool) -> ShardsEnvelope {
	ShardsEnvelope {
		shape: staged.then(|| BlobShape::of(&encoded.commitment)),
		fingerprints: encoded.fingerprints.clone(),
		shards: indices
			.iter()
			.map(|&index| ShardEnvelope {
				proof: encoded.proofs[usize::from(index)].clone(),
				data: encoded.shards[usize::from(index)].clone(),
			})
			.collect(),
	}
}

/// A data plane over `chain` with its own store and staging allowance.
fn start(chain: MockChain) -> (DataClient, Arc<DataStore>, tempfile::TempDir) {
	let (dir, store) = open_store();
	let da = DaRpc::new(chain.clone(), store.clone(), false);
	(serve_plane(chain, store.clone(), da), store, dir)
}

/// Indices of the held shards of `encoded` in `store`.
fn held(store: &DataStore, encoded: &EncodedBlob) -> Vec<u16> {
	store.stored_blob(&encoded.commitment.root).unwrap().map(|blob| blob.held).unwrap_or_default()
}

fn refusal_of(error: &DataError) -> (u16, i32) {
	match error {
		DataError::Refused { status, code, .. } => (*status, *code),
		other => panic!("not a refusal: {other}"),
	}
}

#[test]
fn shards_go_up_as_binary_and_are_stored() {
	block_on(async {
		let encoded = blob();
		let chain = MockChain { blobs: vec![encoded.commitment], ..Default::default() };
		let (client, store, _dir) = start(chain);
		let root = encoded.commitment.root;
		let stored = client.put_shards(&root, &envelope(&encoded, &[0, 1, 5], false)).await;
		let stored = stored.unwrap();
		assert_eq!((stored.newly_stored, stored.held, stored.total_shards), (3, 3, 8));
		let again = client.put_shards(&root, &envelope(&encoded, &[5, 6], false)).await.unwrap();
		assert_eq!((again.newly_stored, again.held), (1, 4));
		assert_eq!(held(&store, &encoded), vec![0, 1, 5, 6]);
		assert_eq!(store.shard(&root, 6).unwrap().unwrap().0, encoded.shards[6]);
	});
}

/// A blob not on chain yet is staged when the request names its shape and the node's key holds
/// shards in the quorum it would get; without the shape it is unknown.
#[test]
fn a_blob_not_on_chain_is_staged_only_with_its_shape() {
	block_on(async {
		let encoded = blob();
		let chain = MockChain { staged_here: vec![encoded.commitment], ..Default::default() };
		let (client, store, _dir) = start(chain);
		let root = encoded.commitment.root;
		let unknown = client.put_shards(&root, &envelope(&encoded, &[0], false)).await;
		assert_eq!(refusal_of(&unknown.unwrap_err()), (404, 6101));
		let staged = client.put_shards(&root, &envelope(&encoded, &[0, 2], true)).await.unwrap();
		assert_eq!(staged.held, 2);
		assert_eq!(held(&store, &encoded), vec![0, 2]);
	});
}

/// A tampered shard, a shard off the committed codeword and a shard another member holds each
/// refuse the whole request, with the code `da_putShards` would give, and store nothing.
#[test]
fn bad_shards_refuse_the_whole_request() {
	block_on(async {
		let encoded = blob();
		let mut shards = encoded.shards.clone();
		shards[6][3] ^= 0x40;
		let forged = commit_shards(shards, 1000, 4, 4).unwrap();
		let chain = MockChain {
			blobs: vec![encoded.commitment, forged.commitment],
			local_indices: Some(vec![0, 1, 2, 5, 6]),
			..Default::default()
		};
		let (client, store, _dir) = start(chain);
		let root = encoded.commitment.root;

		let mut tampered = envelope(&encoded, &[0, 1], false);
		tampered.shards[1].data[0] ^= 1;
		let error = client.put_shards(&root, &tampered).await.unwrap_err();
		assert_eq!(refusal_of(&error), (422, 6102), "{error}");

		let forged_shards = envelope(&forged, &[5, 6], false);
		let error = client.put_shards(&forged.commitment.root, &forged_shards).await.unwrap_err();
		assert_eq!(refusal_of(&error), (422, BAD_ENCODING), "{error}");
		assert!(error.to_string().contains("badly"), "{error}");

		let error = client.put_shards(&root, &envelope(&encoded, &[1, 7], false)).await;
		let error = error.unwrap_err();
		assert_eq!(refusal_of(&error), (403, NOT_ASSIGNED), "{error}");
		assert!(error.to_string().contains("0-2, 5-6"), "{error}");

		let twice = envelope(&encoded, &[2, 2], false);
		let error = client.put_shards(&root, &twice).await.unwrap_err();
		assert_eq!(refusal_of(&error), (400, 6103), "{error}");

		let mut other_fingerprints = envelope(&encoded, &[0], false);
		other_fingerprints.fingerprints[0] ^= 1;
		let error = client.put_shards(&root, &other_fingerprints).await.unwrap_err();
		assert_eq!(refusal_of(&error), (422, 6102), "{error}");

		assert!(held(&store, &encoded).is_empty());
		assert!(held(&store, &forged).is_empty());
	});
}

/// `da_putShards` and the binary route draw on one staging allowance: a stranger cannot stage
/// twice the limit by using both.
#[test]
fn json_rpc_and_binary_share_one_staging_allowance() {
	block_on(async {
		let (first, second) = (blob(), encode_blob(&bytes(1000, 7), 4, 4).unwrap());
		let chain = MockChain {
			staged_here: vec![first.commitment, second.commitment],
			..Default::default()
		};
		let shard_len = first.shards[0].len() as u64;
		let staging = Arc::new(StagingAllowance::with_limit(3 * shard_len));
		let (_dir, store) = open_store();
		let json_rpc =
			DaRpc::new(chain.clone(), store.clone(), false).with_staging(staging.clone());
		let plane = DaRpc::new(chain.clone(), store.clone(), false).with_staging(staging);
		let client = serve_plane(chain, store.clone(), plane);

		let inputs: Vec<ShardInput> = [0u16, 1]
			.iter()
			.map(|&index| ShardInput {
				index: u64::from(index),
				data: zerog_primitives::hex::to_prefixed_hex(&first.shards[usize::from(index)]),
				proof: zerog_primitives::hex::to_prefixed_hex(&codec::Encode::encode(
					&first.proofs[usize::from(index)],
				)),
			})
			.collect();
		let root = zerog_primitives::hex::to_prefixed_hex(first.commitment.root.as_bytes());
		let shape = serde_json::from_value(serde_json::json!({
			"sizeBytes": 1000, "dataShards": 4, "parityShards": 4
		}))
		.unwrap();
		let fingerprints = zerog_primitives::hex::to_prefixed_hex(&first.fingerprints);
		json_rpc.put_with(&root, &inputs, Some(shape), &fingerprints).unwrap();

		let second_root = second.commitment.root;
		let error = client.put_shards(&second_root, &envelope(&second, &[0, 1], true)).await;
		let error = error.unwrap_err();
		assert_eq!(refusal_of(&error), (429, STAGING_FULL), "{error}");
		let one = client.put_shards(&second_root, &envelope(&second, &[0], true)).await.unwrap();
		assert_eq!(one.held, 1);
	});
}

#[test]
fn malformed_shard_requests_get_specific_refusals() {
	block_on(async {
		let encoded = blob();
		let chain = MockChain { blobs: vec![encoded.commitment], ..Default::default() };
		let (client, store, _dir) = start(chain);
		let path = shards_path(&encoded.commitment.root);

		let (status, body) = raw_request(&client, Method::POST, &path, b"not scale".to_vec()).await;
		assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
		assert!(body.contains("ShardsEnvelope") && body.contains("6103"), "{body}");

		let empty = codec::Encode::encode(&envelope(&encoded, &[], false));
		let (status, body) = raw_request(&client, Method::POST, &path, empty).await;
		assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
		assert!(body.contains("no shards"), "{body}");

		let huge = vec![0; MAX_SHARDS_BODY_BYTES + 1];
		let (status, body) = raw_request(&client, Method::POST, &path, huge).await;
		assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");

		let (status, body) = raw_request(&client, Method::GET, &path, vec![]).await;
		assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{body}");
		let (status, body) =
			raw_request(&client, Method::POST, "/da/v1/blobs/0x12/shards", vec![]).await;
		assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
		assert!(held(&store, &encoded).is_empty());
	});
}
