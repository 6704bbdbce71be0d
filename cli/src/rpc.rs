//! Typed wrappers of a node's JSON-RPC: the `storage_*` and `da_*` data plane (see the node's
//! RPC contract) plus the few standard methods the CLI needs (`state_call`, nonces, headers).
//!
//! The client is `jsonrpsee` over WebSocket or HTTP, because signer endpoints published on chain
//! may be either, with message limits raised above the defaults (10 MiB) so that a batch of
//! shards or a whole 32 MiB blob (64 MiB of hex) fits in one message.

use crate::hexstr;
use codec::Encode;
use jsonrpsee::{
	core::{
		client::{ClientT, Error as ClientError},
		params::ArrayParams,
	},
	http_client::{HttpClient, HttpClientBuilder},
	rpc_params,
	ws_client::{WsClient, WsClientBuilder},
};
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use std::{fmt, time::Duration};
use zerog_primitives::{da::transport::ShardEnvelope, Hash};

/// Largest JSON-RPC message sent or received: a 32 MiB blob is 64 MiB of hex.
const MAX_MESSAGE_BYTES: u32 = 128 * 1024 * 1024;

/// How long one request may take; a blob reconstruction on a slow node is the longest.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(300);

/// How long connecting to a node may take before the endpoint counts as unreachable.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Most segment indices `storage_missingSegments` returns per call.
pub const MISSING_PAGE_LIMIT: u32 = 4096;

/// Most shards `da_putShards` takes per call.
pub const MAX_SHARDS_PER_PUT: usize = 1024;

/// `storage_*` error code: no live file with this root is committed on chain.
pub const STORAGE_UNKNOWN_FILE: i32 = 6001;

/// A failed RPC call: refused by the node with a JSON-RPC error, or never answered.
#[derive(Debug, Clone)]
pub enum RpcError {
	/// The node answered with a JSON-RPC error object.
	Refused {
		/// The endpoint that refused.
		url: String,
		/// The method called.
		method: &'static str,
		/// The JSON-RPC error code (6001.. storage, 6101.. DA, negative: JSON-RPC itself).
		code: i32,
		/// The node's message, naming the root or index and the reason.
		message: String,
	},
	/// The node could not be reached, the connection broke or the request timed out.
	Transport {
		/// The endpoint.
		url: String,
		/// The method called, or "connect".
		method: &'static str,
		/// What went wrong.
		reason: String,
	},
	/// The node answered, but not with what the contract says (bad hex, missing field).
	BadResponse {
		/// The endpoint.
		url: String,
		/// The method called.
		method: &'static str,
		/// What was wrong with the answer.
		reason: String,
	},
}

impl RpcError {
	/// The JSON-RPC error code, if the node refused the call.
	pub fn code(&self) -> Option<i32> {
		match self {
			Self::Refused { code, .. } => Some(*code),
			_ => None,
		}
	}
}

/// The name of a data-plane error code from the RPC contract.
pub fn code_name(code: i32) -> Option<&'static str> {
	Some(match code {
		6001 => "UnknownFile",
		6002 | 6102 => "InvalidProof",
		6003 | 6103 => "InvalidParams",
		6004 | 6104 => "NotStored",
		6005 | 6106 => "StoreError",
		6101 => "UnknownBlob",
		6105 => "NotEnoughShards",
		-32601 => "MethodNotFound",
		-32602 => "InvalidParams",
		_ => return None,
	})
}

impl fmt::Display for RpcError {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			Self::Refused { url, method, code, message } => {
				let name = code_name(*code).map(|name| format!(" {name}")).unwrap_or_default();
				write!(f, "{url} refused {method} (error {code}{name}): {message}")?;
				if *code == -32601 {
					write!(f, " (is this a ZeroG node serving the storage/DA RPC?)")?;
				}
				Ok(())
			},
			Self::Transport { url, method: "connect", reason } => {
				write!(f, "cannot connect to {url}: {reason}")
			},
			Self::Transport { url, method, reason } => {
				write!(f, "{method} on {url} failed: {reason}")
			},
			Self::BadResponse { url, method, reason } => {
				write!(f, "{url} answered {method} with an unexpected response: {reason}")
			},
		}
	}
}

impl std::error::Error for RpcError {}

/// `storage_fileInfo`: what the node and the chain know about a file.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct FileInfo {
	/// The file root, hex.
	pub root: String,
	/// The file's id in the on-chain log; `None` if the chain no longer knows it.
	pub file_id: Option<u64>,
	/// Size in bytes.
	pub size: u64,
	/// Number of segments.
	pub segments: u64,
	/// Number of segments the node holds.
	pub segments_stored: u64,
	/// Whether the node holds every segment.
	pub finalized: bool,
	/// Owner account (SS58), if the chain knows the file.
	pub owner: Option<String>,
	/// Block the file expires at, if the chain knows the file.
	pub expires_at: Option<u64>,
}

/// `storage_uploadSegment`: the node's state of the file after one upload.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct UploadReceipt {
	/// Whether this call stored the segment (false if it was already held).
	pub newly_stored: bool,
	/// Segments of the file now held.
	pub segments_stored: u64,
	/// Segments of the file.
	pub segments: u64,
	/// Whether every segment is now held.
	pub finalized: bool,
}

/// `storage_missingSegments` answer.
#[derive(Deserialize)]
struct MissingSegments {
	missing: Vec<u64>,
}

/// Data and SCALE proof as hex, the shape of `storage_downloadSegment`.
#[derive(Deserialize)]
struct DataAndProof {
	data: String,
	proof: String,
}

/// Shard and SCALE proof as hex, the shape of `da_getShard`.
#[derive(Deserialize)]
struct ShardAndProof {
	shard: String,
	proof: String,
}

/// `da_getBlob` answer.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct BlobData {
	data: String,
	#[allow(dead_code)]
	shards_used: u32,
}

/// One shard of a `da_putShards` call, in the contract's JSON shape.
#[derive(Clone, Debug, Serialize)]
pub struct ShardUpload {
	/// Shard index, `0..k + m`.
	pub index: u16,
	/// Shard bytes, hex.
	pub data: String,
	/// SCALE-encoded `ShardProof`, hex.
	pub proof: String,
}

impl ShardUpload {
	/// `shard` in the JSON shape.
	pub fn of(shard: &ShardEnvelope) -> Self {
		Self {
			index: shard.proof.index,
			data: hexstr::encode(&shard.data),
			proof: hexstr::encode(&shard.proof.encode()),
		}
	}

	/// Roughly how many bytes `shard` adds to a JSON request, for batching under a size limit.
	pub fn json_len(shard: &ShardEnvelope) -> usize {
		2 * shard.body_len() + 48
	}
}

/// What a node holds of a blob after `da_putShards` or a binary push.
pub use zerog_client::da::StoredShards as PutShardsReceipt;

/// The transport under a [`NodeRpc`].
enum Transport {
	/// `ws://` or `wss://`.
	Ws(WsClient),
	/// `http://` or `https://`.
	Http(Box<HttpClient>),
}

/// A connection to one node's JSON-RPC.
pub struct NodeRpc {
	url: String,
	transport: Transport,
}

impl NodeRpc {
	/// Connects to `url` (`ws://`, `wss://`, `http://` or `https://`).
	pub async fn connect(url: &str) -> Result<Self, RpcError> {
		let transport_error =
			|reason: String| RpcError::Transport { url: url.to_owned(), method: "connect", reason };
		let transport = if url.starts_with("ws://") || url.starts_with("wss://") {
			let client = WsClientBuilder::default()
				.max_request_size(MAX_MESSAGE_BYTES)
				.max_response_size(MAX_MESSAGE_BYTES)
				.request_timeout(REQUEST_TIMEOUT)
				.connection_timeout(CONNECT_TIMEOUT)
				.build(url)
				.await
				.map_err(|error| transport_error(error.to_string()))?;
			Transport::Ws(client)
		} else if url.starts_with("http://") || url.starts_with("https://") {
			let client = HttpClientBuilder::default()
				.max_request_size(MAX_MESSAGE_BYTES)
				.max_response_size(MAX_MESSAGE_BYTES)
				.request_timeout(REQUEST_TIMEOUT)
				.build(url)
				.map_err(|error| transport_error(error.to_string()))?;
			Transport::Http(Box::new(client))
		} else {
			return Err(transport_error("not a ws://, wss://, http:// or https:// URL".to_owned()));
		};
		Ok(Self { url: url.to_owned(), transport })
	}

	/// The URL this connection was made to.
	pub fn url(&self) -> &str {
		&self.url
	}

	/// Calls `method` and decodes the result as `R`.
	async fn call<R: DeserializeOwned>(
		&self,
		method: &'static str,
		params: ArrayParams,
	) -> Result<R, RpcError> {
		let result = match &self.transport {
			Transport::Ws(client) => client.request(method, params).await,
			Transport::Http(client) => client.request(method, params).await,
		};
		result.map_err(|error| self.error(method, error))
	}

	/// Our error for a `jsonrpsee` client error.
	fn error(&self, method: &'static str, error: ClientError) -> RpcError {
		let url = self.url.clone();
		match error {
			ClientError::Call(object) => RpcError::Refused {
				url,
				method,
				code: object.code(),
				message: object.message().to_owned(),
			},
			ClientError::ParseError(error) => {
				RpcError::BadResponse { url, method, reason: error.to_string() }
			},
			other => RpcError::Transport { url, method, reason: other.to_string() },
		}
	}

	/// Bytes of a hex field of a response, or a [`RpcError::BadResponse`].
	fn hex_field(&self, method: &'static str, text: &str, what: &str) -> Result<Vec<u8>, RpcError> {
		hexstr::decode(text, what).map_err(|reason| RpcError::BadResponse {
			url: self.url.clone(),
			method,
			reason,
		})
	}

	/// `system_chainType()`: `"Development"`, `"Local"`, `"Live"` or `{"Custom": …}`.
	pub async fn chain_type(&self) -> Result<serde_json::Value, RpcError> {
		self.call("system_chainType", rpc_params![]).await
	}

	/// `storage_dataPort()`: the port of the node's storage data plane, if it serves one.
	pub async fn data_port(&self) -> Result<Option<u16>, RpcError> {
		self.call("storage_dataPort", rpc_params![]).await
	}

	/// `storage_fileInfo(root)`.
	pub async fn file_info(&self, root: &Hash) -> Result<FileInfo, RpcError> {
		self.call("storage_fileInfo", rpc_params![hexstr::root(root)]).await
	}

	/// `storage_missingSegments(root, from, limit)`: indices `>= from` the node lacks.
	pub async fn missing_segments(
		&self,
		root: &Hash,
		from: u64,
		limit: u32,
	) -> Result<Vec<u64>, RpcError> {
		let answer: MissingSegments = self
			.call("storage_missingSegments", rpc_params![hexstr::root(root), from, limit])
			.await?;
		Ok(answer.missing)
	}

	/// `storage_uploadSegment(root, index, data, proof)` with `proof` SCALE-encoded.
	pub async fn upload_segment(
		&self,
		root: &Hash,
		segment_index: u64,
		data: &[u8],
		proof: &[u8],
	) -> Result<UploadReceipt, RpcError> {
		let params = rpc_params![
			hexstr::root(root),
			segment_index,
			hexstr::encode(data),
			hexstr::encode(proof)
		];
		self.call("storage_uploadSegment", params).await
	}

	/// `storage_downloadSegment(root, index)`: the segment bytes and its SCALE proof.
	pub async fn download_segment(
		&self,
		root: &Hash,
		segment_index: u64,
	) -> Result<(Vec<u8>, Vec<u8>), RpcError> {
		const METHOD: &str = "storage_downloadSegment";
		let answer: DataAndProof =
			self.call(METHOD, rpc_params![hexstr::root(root), segment_index]).await?;
		let data = self.hex_field(METHOD, &answer.data, "segment data")?;
		let proof = self.hex_field(METHOD, &answer.proof, "segment proof")?;
		Ok((data, proof))
	}

	/// `da_putShards(root, shards, shape, fingerprints)`: shards of the blob with `commitment`,
	/// which need not be on chain yet (the node stages them if one of its DA keys holds them in
	/// the quorum the blob would get), with the hex of its data shards' encoding fingerprints,
	/// which the node checks the shards against.
	pub async fn put_shards_of(
		&self,
		commitment: &zerog_primitives::da::BlobCommitment,
		fingerprints: &str,
		shards: &[ShardEnvelope],
	) -> Result<PutShardsReceipt, RpcError> {
		let shards: Vec<ShardUpload> = shards.iter().map(ShardUpload::of).collect();
		let shape = serde_json::json!({
			"sizeBytes": commitment.size_bytes,
			"dataShards": commitment.data_shards,
			"parityShards": commitment.parity_shards,
		});
		self.call(
			"da_putShards",
			rpc_params![hexstr::root(&commitment.root), shards, shape, fingerprints],
		)
		.await
	}

	/// `da_getShard(root, index)`: the shard bytes and its SCALE proof.
	pub async fn get_shard(&self, root: &Hash, index: u16) -> Result<(Vec<u8>, Vec<u8>), RpcError> {
		const METHOD: &str = "da_getShard";
		let answer: ShardAndProof =
			self.call(METHOD, rpc_params![hexstr::root(root), index]).await?;
		let shard = self.hex_field(METHOD, &answer.shard, "shard")?;
		let proof = self.hex_field(METHOD, &answer.proof, "shard proof")?;
		Ok((shard, proof))
	}

	/// `da_getBlob(root)`: the blob the node rebuilt from the shards it holds.
	pub async fn get_blob(&self, root: &Hash) -> Result<Vec<u8>, RpcError> {
		const METHOD: &str = "da_getBlob";
		let answer: BlobData = self.call(METHOD, rpc_params![hexstr::root(root)]).await?;
		self.hex_field(METHOD, &answer.data, "blob data")
	}

	/// `state_call(method, args)` at the best block: a runtime API call, SCALE in and out.
	pub async fn state_call(&self, runtime_method: &str, args: &[u8]) -> Result<Vec<u8>, RpcError> {
		const METHOD: &str = "state_call";
		let answer: String =
			self.call(METHOD, rpc_params![runtime_method, hexstr::encode(args)]).await?;
		self.hex_field(METHOD, &answer, "runtime API result")
	}

	/// `system_accountNextIndex(account)`: the next nonce, counting pending transactions.
	pub async fn account_next_index(&self, account_ss58: &str) -> Result<u64, RpcError> {
		self.call("system_accountNextIndex", rpc_params![account_ss58]).await
	}

	/// Number of the block with `hash` (`chain_getHeader`).
	pub async fn block_number(&self, block_hash: &str) -> Result<u64, RpcError> {
		self.header_number(rpc_params![block_hash], block_hash).await
	}

	/// Number of the node's best block (`chain_getHeader` without a hash).
	pub async fn best_block_number(&self) -> Result<u64, RpcError> {
		self.header_number(rpc_params![], "the best block").await
	}

	/// The number in the header `chain_getHeader(params)` answers; `which` names the block.
	async fn header_number(&self, params: ArrayParams, which: &str) -> Result<u64, RpcError> {
		const METHOD: &str = "chain_getHeader";
		let header: serde_json::Value = self.call(METHOD, params).await?;
		header
			.get("number")
			.and_then(serde_json::Value::as_str)
			.and_then(|hex| u64::from_str_radix(hex.trim_start_matches("0x"), 16).ok())
			.ok_or_else(|| RpcError::BadResponse {
				url: self.url.clone(),
				method: METHOD,
				reason: format!("no block number in header of {which}"),
			})
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn file_info_parses_the_contract_shape() {
		let json = serde_json::json!({
			"root": format!("0x{}", "ab".repeat(32)), "fileId": 7, "size": 5, "segments": 1,
			"segmentsStored": 0, "finalized": false, "owner": "5Grw", "expiresAt": 100
		});
		let info: FileInfo = serde_json::from_value(json).unwrap();
		assert_eq!(info.file_id, Some(7));
		assert_eq!(info.segments_stored, 0);
		let unknown_to_chain = serde_json::json!({
			"root": "0x00", "fileId": null, "size": 5, "segments": 1, "segmentsStored": 1,
			"finalized": true, "owner": null, "expiresAt": null
		});
		let info: FileInfo = serde_json::from_value(unknown_to_chain).unwrap();
		assert_eq!((info.file_id, info.owner, info.expires_at), (None, None, None));
	}

	#[test]
	fn refusals_name_the_code() {
		let error = RpcError::Refused {
			url: "ws://x".into(),
			method: "storage_uploadSegment",
			code: 6002,
			message: "proof does not lead to the committed root".into(),
		};
		let text = error.to_string();
		assert!(text.contains("6002 InvalidProof"), "{text}");
		assert!(text.contains("proof does not lead"), "{text}");
		assert_eq!(error.code(), Some(6002));
	}

	#[test]
	fn shard_uploads_serialize_as_the_contract_says() {
		let proof = zerog_primitives::da::ShardProof {
			index: 3,
			siblings: Default::default(),
			fingerprints: Default::default(),
		};
		let shard = ShardEnvelope { proof: proof.clone(), data: vec![1, 2] };
		let json = serde_json::to_value(ShardUpload::of(&shard)).unwrap();
		let proof = hexstr::encode(&proof.encode());
		assert_eq!(json, serde_json::json!({"index": 3, "data": "0x0102", "proof": proof}));
		assert!(ShardUpload::json_len(&shard) >= json.to_string().len());
	}
}
