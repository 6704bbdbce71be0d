//! A node's JSON-RPC as ZeroG clients use it: the `storage_*` ([`storage`]) and `da_*` ([`da`])
//! data-plane methods, whose traits the node implements (`#[rpc(client, server)]`, so the two
//! sides share one definition of every method, parameter and result), and [`NodeRpc`], a
//! connection to one node that also makes the few standard calls clients need (`state_call`,
//! nonces, headers) and names the endpoint and method in every error.
//!
//! The transport is `jsonrpsee` over WebSocket or HTTP, because signer endpoints published on
//! chain may be either, with message limits raised above the defaults (10 MiB) so that a batch
//! of shards or a whole 32 MiB blob (64 MiB of hex) fits in one message.

pub mod da;
pub mod storage;

use std::{fmt, time::Duration};

use jsonrpsee::{
	core::{
		client::{ClientT, Error as JsonRpcError},
		params::ArrayParams,
	},
	http_client::{HttpClient, HttpClientBuilder},
	rpc_params,
	ws_client::{WsClient, WsClientBuilder},
};
use serde::de::DeserializeOwned;
use zerog_primitives::{
	da::{transport::ShardEnvelope, BlobCommitment},
	hex::{decode_hex, to_prefixed_hex},
	Hash,
};

use self::{
	da::{BlobShapeParam, DaApiClient, ShardInput, StoredShards},
	storage::{FileInfo, StorageApiClient, UploadedSegment},
};

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

/// The name of a data-plane error code (the constants of [`crate::storage`] and [`crate::da`]).
pub fn code_name(code: i32) -> Option<&'static str> {
	use crate::{da, storage};
	Some(match code {
		storage::UNKNOWN_FILE => "UnknownFile",
		storage::INVALID_PROOF | da::INVALID_PROOF => "InvalidProof",
		storage::INVALID_PARAMS | da::INVALID_PARAMS => "InvalidParams",
		storage::NOT_STORED | da::NOT_STORED => "NotStored",
		storage::STORE_FAILED | da::STORE_FAILED => "StoreError",
		storage::NOT_ASSIGNED | da::NOT_ASSIGNED => "NotAssigned",
		storage::STORE_FULL => "StoreFull",
		da::UNKNOWN_BLOB => "UnknownBlob",
		da::NOT_ENOUGH_SHARDS => "NotEnoughShards",
		da::STAGING_FULL => "StagingFull",
		da::BAD_ENCODING => "BadEncoding",
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

/// The transport under a [`NodeRpc`].
enum Transport {
	/// `ws://` or `wss://`.
	Ws(WsClient),
	/// `http://` or `https://`.
	Http(Box<HttpClient>),
}

/// Runs `$call` with `$client` bound to the connection's `jsonrpsee` client, whichever the
/// transport, and maps a failure to an [`RpcError`] naming `$method`.
macro_rules! on_client {
	($self:ident, $method:expr, |$client:ident| $call:expr) => {{
		let result = match &$self.transport {
			Transport::Ws($client) => $call.await,
			Transport::Http($client) => {
				let $client = $client.as_ref();
				$call.await
			},
		};
		result.map_err(|error| $self.error($method, error))
	}};
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

	/// Calls any JSON-RPC `method` with positional `params` (JSON values) and decodes the result
	/// as `R`: for methods this client has no wrapper for, such as the Ethereum RPC's.
	pub async fn request<R: DeserializeOwned>(
		&self,
		method: &'static str,
		params: Vec<serde_json::Value>,
	) -> Result<R, RpcError> {
		let mut array = ArrayParams::new();
		for param in params {
			array.insert(param).map_err(|error| RpcError::BadResponse {
				url: self.url.clone(),
				method,
				reason: format!("a parameter does not encode: {error}"),
			})?;
		}
		self.call(method, array).await
	}

	/// Calls a standard method (not one of the data-plane traits) and decodes the result as `R`.
	async fn call<R: DeserializeOwned>(
		&self,
		method: &'static str,
		params: ArrayParams,
	) -> Result<R, RpcError> {
		on_client!(self, method, |client| client.request(method, params))
	}

	/// Our error for a `jsonrpsee` client error.
	fn error(&self, method: &'static str, error: JsonRpcError) -> RpcError {
		let url = self.url.clone();
		match error {
			JsonRpcError::Call(object) => RpcError::Refused {
				url,
				method,
				code: object.code(),
				message: object.message().to_owned(),
			},
			JsonRpcError::ParseError(error) => {
				RpcError::BadResponse { url, method, reason: error.to_string() }
			},
			other => RpcError::Transport { url, method, reason: other.to_string() },
		}
	}

	/// Bytes of a hex field of a response, or a [`RpcError::BadResponse`].
	fn hex_field(&self, method: &'static str, text: &str, what: &str) -> Result<Vec<u8>, RpcError> {
		decode_hex(text).map_err(|error| RpcError::BadResponse {
			url: self.url.clone(),
			method,
			reason: format!("{what} is not valid hex: {error}"),
		})
	}

	/// `system_chainType()`: `"Development"`, `"Local"`, `"Live"` or `{"Custom": …}`.
	pub async fn chain_type(&self) -> Result<serde_json::Value, RpcError> {
		self.call("system_chainType", rpc_params![]).await
	}

	/// `storage_dataPort()`: the port of the node's storage data plane, if it serves one.
	pub async fn data_port(&self) -> Result<Option<u16>, RpcError> {
		on_client!(self, "storage_dataPort", |client| StorageApiClient::data_port(client))
	}

	/// `storage_fileInfo(root)`.
	pub async fn file_info(&self, root: &Hash) -> Result<FileInfo, RpcError> {
		on_client!(self, "storage_fileInfo", |client| StorageApiClient::file_info(
			client,
			hex_root(root)
		))
	}

	/// `storage_missingSegments(root, from, limit)`: indices `>= from` the node lacks.
	pub async fn missing_segments(
		&self,
		root: &Hash,
		from: u64,
		limit: u32,
	) -> Result<Vec<u64>, RpcError> {
		let answer = on_client!(self, "storage_missingSegments", |client| {
			StorageApiClient::missing_segments(client, hex_root(root), from, u64::from(limit))
		})?;
		Ok(answer.missing)
	}

	/// `storage_uploadSegment(root, index, data, proof)` with `proof` SCALE-encoded.
	pub async fn upload_segment(
		&self,
		root: &Hash,
		segment_index: u64,
		data: &[u8],
		proof: &[u8],
	) -> Result<UploadedSegment, RpcError> {
		on_client!(self, "storage_uploadSegment", |client| {
			StorageApiClient::upload_segment(
				client,
				hex_root(root),
				segment_index,
				to_prefixed_hex(data),
				to_prefixed_hex(proof),
			)
		})
	}

	/// `storage_downloadSegment(root, index)`: the segment bytes and its SCALE proof.
	pub async fn download_segment(
		&self,
		root: &Hash,
		segment_index: u64,
	) -> Result<(Vec<u8>, Vec<u8>), RpcError> {
		const METHOD: &str = "storage_downloadSegment";
		let answer = on_client!(self, METHOD, |client| {
			StorageApiClient::download_segment(client, hex_root(root), segment_index)
		})?;
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
		commitment: &BlobCommitment,
		fingerprints: &str,
		shards: &[ShardEnvelope],
	) -> Result<StoredShards, RpcError> {
		let shards: Vec<ShardInput> = shards.iter().map(ShardInput::of).collect();
		let shape = BlobShapeParam {
			size_bytes: commitment.size_bytes,
			data_shards: commitment.data_shards,
			parity_shards: commitment.parity_shards,
		};
		on_client!(self, "da_putShards", |client| DaApiClient::put_shards(
			client,
			hex_root(&commitment.root),
			shards,
			Some(shape),
			fingerprints.to_owned(),
		))
	}

	/// `da_getShard(root, index)`: the shard bytes and its SCALE proof.
	pub async fn get_shard(&self, root: &Hash, index: u16) -> Result<(Vec<u8>, Vec<u8>), RpcError> {
		const METHOD: &str = "da_getShard";
		let answer = on_client!(self, METHOD, |client| {
			DaApiClient::get_shard(client, hex_root(root), u64::from(index))
		})?;
		let shard = self.hex_field(METHOD, &answer.shard, "shard")?;
		let proof = self.hex_field(METHOD, &answer.proof, "shard proof")?;
		Ok((shard, proof))
	}

	/// `da_getBlob(root)`: the blob the node rebuilt from the shards it holds.
	pub async fn get_blob(&self, root: &Hash) -> Result<Vec<u8>, RpcError> {
		const METHOD: &str = "da_getBlob";
		let answer =
			on_client!(self, METHOD, |client| DaApiClient::get_blob(client, hex_root(root)))?;
		self.hex_field(METHOD, &answer.data, "blob data")
	}

	/// `state_call(method, args)` at the best block: a runtime API call, SCALE in and out.
	pub async fn state_call(&self, runtime_method: &str, args: &[u8]) -> Result<Vec<u8>, RpcError> {
		const METHOD: &str = "state_call";
		let answer: String =
			self.call(METHOD, rpc_params![runtime_method, to_prefixed_hex(args)]).await?;
		self.hex_field(METHOD, &answer, "runtime API result")
	}

	/// Runtime API `runtime_method` called with `args` at the best block, its answer decoded as
	/// `R`.
	pub async fn runtime_api<R: codec::Decode>(
		&self,
		runtime_method: &str,
		args: &impl codec::Encode,
	) -> Result<R, RpcError> {
		let bytes = self.state_call(runtime_method, &args.encode()).await?;
		R::decode(&mut &bytes[..]).map_err(|error| RpcError::BadResponse {
			url: self.url().to_owned(),
			method: "state_call",
			reason: format!("{runtime_method} result does not decode: {error}"),
		})
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

/// `root` in the RPC's form, `0x` + 64 lowercase hex digits.
fn hex_root(root: &Hash) -> String {
	to_prefixed_hex(root.as_bytes())
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
		for code in (6001..=6007).chain(6101..=6109) {
			assert!(code_name(code).is_some(), "every data-plane code has a name: {code}");
		}
		assert_eq!(code_name(6107), Some("NotAssigned"));
	}

	#[tokio::test]
	async fn endpoints_that_are_not_urls_are_refused_before_connecting() {
		let refused = NodeRpc::connect("localhost:9944").await.err().expect("not a URL");
		assert!(refused.to_string().contains("not a ws://"), "{refused}");
	}
}
