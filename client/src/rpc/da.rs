//! `da_*`: the DA data plane's JSON-RPC methods, their parameters and results. The node
//! implements [`DaApiServer`]; clients call [`DaApiClient`] on any `jsonrpsee` client, or
//! [`super::NodeRpc`]. Refusals carry the codes of [`crate::da`] (6101..).

use codec::Encode;
use jsonrpsee::{core::RpcResult, proc_macros::rpc};
use serde::{Deserialize, Serialize};
use zerog_primitives::{
	da::transport::{BlobShape, ShardEnvelope},
	hex::to_prefixed_hex,
};

pub use crate::da::StoredShards;

/// One shard of a `da_putShards` call.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardInput {
	/// Index of the shard: `0..k` data, `k..k + m` parity.
	pub index: u64,
	/// The shard's bytes, hex.
	pub data: String,
	/// SCALE-encoded `ShardProof`, hex.
	pub proof: String,
}

impl ShardInput {
	/// `shard` as a `da_putShards` parameter.
	pub fn of(shard: &ShardEnvelope) -> Self {
		Self {
			index: u64::from(shard.proof.index),
			data: to_prefixed_hex(&shard.data),
			proof: to_prefixed_hex(&shard.proof.encode()),
		}
	}

	/// At least how many bytes `shard` adds to a JSON request, for batching under a size limit.
	pub fn json_len(shard: &ShardEnvelope) -> usize {
		2 * shard.body_len() + 48
	}
}

impl From<BlobShape> for BlobShapeParam {
	fn from(shape: BlobShape) -> Self {
		Self {
			size_bytes: shape.size_bytes,
			data_shards: shape.data_shards,
			parity_shards: shape.parity_shards,
		}
	}
}

/// The size and coding of a blob, which with its root make its commitment: `da_putShards`
/// takes it so a blob not on chain yet can be staged, and so a blob is never confused with
/// another one that shares its root.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BlobShapeParam {
	/// Size of the blob in bytes.
	pub size_bytes: u32,
	/// `k`.
	pub data_shards: u16,
	/// `m`.
	pub parity_shards: u16,
}

impl From<BlobShapeParam> for BlobShape {
	fn from(shape: BlobShapeParam) -> Self {
		Self {
			size_bytes: shape.size_bytes,
			data_shards: shape.data_shards,
			parity_shards: shape.parity_shards,
		}
	}
}

/// A shard and its proof, as `da_getShard` returns it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardWithProof {
	/// The shard's bytes, hex.
	pub shard: String,
	/// SCALE-encoded `ShardProof`, hex.
	pub proof: String,
}

/// A chunk and its proof, as `da_getChunk` returns it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChunkWithProof {
	/// The chunk's bytes, hex.
	pub chunk: String,
	/// SCALE-encoded `ChunkProof`, hex.
	pub proof: String,
}

/// Result of `da_getBlob`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RebuiltBlob {
	/// The blob's bytes, hex.
	pub data: String,
	/// Number of shards it was rebuilt from (`k`).
	pub shards_used: u32,
}

/// One sample of `da_sample`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sample {
	/// Index of the shard.
	pub index: u16,
	/// The shard's bytes, hex.
	pub shard: String,
	/// SCALE-encoded `ShardProof`, hex.
	pub proof: String,
}

/// Result of `da_sample`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Samples {
	/// Distinct held shards drawn at random, by ascending index.
	pub samples: Vec<Sample>,
	/// Shards of the blob held.
	pub held: u32,
}

/// Result of `da_heldShards`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldShards {
	/// Indices of the held shards, ascending.
	pub indices: Vec<u16>,
}

/// Result of `da_removeShards`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemovedShards {
	/// Shards that were held and are gone now.
	pub removed: u32,
}

/// The DA data-plane JSON-RPC methods.
#[rpc(client, server, namespace = "da")]
pub trait DaApi {
	/// Stores shards of the blob with `root` (and `shape`, if given; else the blob on chain with
	/// that root) if every one is held by one of this node's DA keys in the blob's quorum,
	/// verifies against its commitment and is on the codeword that `fingerprints` (hex of the
	/// data shards' encoding fingerprints, `EncodedBlob::fingerprints`) fix; at most 1024 per
	/// call, all or nothing.
	#[method(name = "putShards", blocking)]
	fn put_shards(
		&self,
		root: String,
		shards: Vec<ShardInput>,
		shape: Option<BlobShapeParam>,
		fingerprints: String,
	) -> RpcResult<StoredShards>;

	/// A held shard and its proof.
	#[method(name = "getShard", blocking)]
	fn get_shard(&self, root: String, index: u64) -> RpcResult<ShardWithProof>;

	/// Chunk `chunk` (1 KiB) of a held shard and its `ChunkProof`: what a signer's off-chain
	/// worker answers a custody challenge with.
	#[method(name = "getChunk", blocking)]
	fn get_chunk(&self, root: String, index: u64, chunk: u32) -> RpcResult<ChunkWithProof>;

	/// The blob rebuilt from any `k` held shards and checked against its root. Unsafe: one call
	/// reads and decodes up to 32 MiB and answers 64 MiB of hex, so a public node leaves it to
	/// clients to rebuild blobs from shards (`da_getShard`).
	#[method(name = "getBlob", blocking, with_extensions)]
	fn get_blob(&self, root: String) -> RpcResult<RebuiltBlob>;

	/// Up to `count` (at most 64) distinct held shards, drawn at random, with proofs.
	#[method(name = "sample", blocking)]
	fn sample(&self, root: String, count: u64) -> RpcResult<Samples>;

	/// Indices of the held shards of the blob with `root`.
	#[method(name = "heldShards", blocking)]
	fn held_shards(&self, root: String) -> RpcResult<HeldShards>;

	/// Drops held shards. Unsafe: only where unsafe RPC methods are allowed.
	#[method(name = "removeShards", blocking, with_extensions)]
	fn remove_shards(&self, root: String, indices: Vec<u64>) -> RpcResult<RemovedShards>;
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn shard_inputs_serialize_as_the_contract_says() {
		let proof = zerog_primitives::da::ShardProof {
			index: 3,
			siblings: Default::default(),
			fingerprints: Default::default(),
		};
		let shard = ShardEnvelope { proof: proof.clone(), data: vec![1, 2] };
		let json = serde_json::to_value(ShardInput::of(&shard)).unwrap();
		let proof = to_prefixed_hex(&proof.encode());
		assert_eq!(json, serde_json::json!({"index": 3, "data": "0x0102", "proof": proof}));
		assert!(ShardInput::json_len(&shard) >= json.to_string().len());
		let shape = BlobShape { size_bytes: 5, data_shards: 2, parity_shards: 4 };
		assert_eq!(
			serde_json::to_value(BlobShapeParam::from(shape)).unwrap(),
			serde_json::json!({"sizeBytes": 5, "dataShards": 2, "parityShards": 4})
		);
	}
}
