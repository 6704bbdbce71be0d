//! The storage data plane: binary segments over HTTP between nodes and clients.
//!
//! The routes and the body format are `zerog_primitives::storage::transport`'s; this module has
//! the JSON answers ([`FileStatus`], [`MissingSegments`], [`UploadedSegment`]) that the node
//! serialises and clients parse, and [`DataClient`], which speaks to one node's data plane.
//!
//! A client trusts nothing it is sent: [`DataClient::get_segment`] checks each segment's proof
//! against the `(root, size)` the caller knows from the chain before it returns the bytes.

use std::{fmt, time::Duration};

use bytes::Bytes;
use codec::{DecodeAll, Encode};
use http_body_util::{BodyExt, Full, Limited};
use hyper::{header, Method, StatusCode};
use hyper_util::{
	client::legacy::{connect::HttpConnector, Client},
	rt::TokioExecutor,
};
use polkadot_sdk::sp_core::H256;
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use zerog_primitives::storage::{
	transport::{
		file_path, missing_path, segment_path, SegmentEnvelope, MAX_ENVELOPE_BYTES,
		SEGMENT_MEDIA_TYPE,
	},
	SegmentProof,
};

/// JSON error code of a refusal: no live file is committed as the asked `(root, size)`.
pub const UNKNOWN_FILE: i32 = 6001;
/// JSON error code of a refusal: the proof does not verify against the committed file.
pub const INVALID_PROOF: i32 = 6002;
/// JSON error code of a refusal: a parameter is malformed or out of range.
pub const INVALID_PARAMS: i32 = 6003;
/// JSON error code of a refusal: the node does not hold the asked segment.
pub const NOT_STORED: i32 = 6004;
/// JSON error code of a refusal: the node's data store failed.
pub const STORE_FAILED: i32 = 6005;
/// JSON error code of a refusal: the file is not assigned to a provider of this node.
pub const NOT_ASSIGNED: i32 = 6006;
/// JSON error code of a refusal: the node's data store is at its quota or its disk reserve.
pub const STORE_FULL: i32 = 6007;

/// Largest JSON answer read (a page of 4096 missing indices is about 40 KiB).
const MAX_JSON_BYTES: usize = 1 << 20;

/// What a node holds of a file: `GET /storage/v1/files/{root}/{size}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileStatus {
	/// Root of the file, hex.
	pub root: String,
	/// Size of the file in bytes.
	pub size: u64,
	/// Segments of the whole file.
	pub segments: u64,
	/// Segments the node stores.
	pub segments_stored: u64,
	/// Whether every segment is stored.
	pub finalized: bool,
}

/// Segments a node does not store: `GET .../missing`, and `storage_missingSegments`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MissingSegments {
	/// Indices of segments not stored, ascending.
	pub missing: Vec<u64>,
}

/// What storing one segment did: `PUT .../segments/{index}`, and `storage_uploadSegment`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UploadedSegment {
	/// Root of the file, hex.
	pub root: String,
	/// Index of the uploaded segment.
	pub segment_index: u64,
	/// `false` when the segment was stored already and nothing changed.
	pub newly_stored: bool,
	/// Segments of the file stored now.
	pub segments_stored: u64,
	/// Segments of the whole file.
	pub segments: u64,
	/// Whether every segment is stored now.
	pub finalized: bool,
}

/// Why a data-plane request failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DataError {
	/// The node could not be reached or the connection broke.
	Unreachable(String),
	/// The node did not answer within the deadline.
	Timeout(String),
	/// The node refused: its JSON error code and message.
	Refused {
		/// The HTTP status.
		status: u16,
		/// The `storage_*` error code (see the constants of this module).
		code: i32,
		/// The node's message.
		message: String,
	},
	/// The node sent a segment that does not verify against the commitment.
	Corrupt(String),
	/// The node's answer is not what the protocol says.
	Malformed(String),
}

impl DataError {
	/// The refusal's error code, if the node refused.
	pub fn code(&self) -> Option<i32> {
		match self {
			Self::Refused { code, .. } => Some(*code),
			_ => None,
		}
	}
}

impl fmt::Display for DataError {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			Self::Unreachable(reason) => write!(f, "unreachable: {reason}"),
			Self::Timeout(reason) => write!(f, "timed out: {reason}"),
			Self::Refused { status, code, message } => {
				write!(f, "refused ({code}, HTTP {status}): {message}")
			},
			Self::Corrupt(reason) => write!(f, "corrupt data: {reason}"),
			Self::Malformed(reason) => write!(f, "malformed answer: {reason}"),
		}
	}
}

impl std::error::Error for DataError {}

/// A client of one node's storage data plane (`http://host:port`), with a pool of keep-alive
/// connections: requests made in parallel each get their own.
#[derive(Clone)]
pub struct DataClient {
	http: Client<HttpConnector, Full<Bytes>>,
	base: String,
	timeout: Duration,
}

impl fmt::Debug for DataClient {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.debug_struct("DataClient").field("base", &self.base).finish()
	}
}

impl DataClient {
	/// A client of the data plane at `base_url` (`http://host:port`, no path), each request
	/// answered within `timeout`. Refuses any other scheme with a message naming it.
	pub fn new(base_url: &str, timeout: Duration) -> Result<Self, DataError> {
		Self::with_connect_timeout(base_url, timeout, timeout)
	}

	/// [`DataClient::new`], giving up on connecting after `connect` already: for a caller with
	/// another way to reach the node, which should not wait out a long request deadline on a
	/// port that drops its packets.
	pub fn with_connect_timeout(
		base_url: &str,
		connect: Duration,
		timeout: Duration,
	) -> Result<Self, DataError> {
		let base = base_url.trim().trim_end_matches('/').to_owned();
		let authority = base.strip_prefix("http://").ok_or_else(|| {
			DataError::Unreachable(format!(
				"{base}: a storage data plane is reached over http://host:port"
			))
		})?;
		if authority.is_empty() || authority.contains('/') {
			return Err(DataError::Unreachable(format!(
				"{base}: expected http://host:port without a path"
			)));
		}
		let mut connector = HttpConnector::new();
		connector.set_nodelay(true);
		connector.set_connect_timeout(Some(connect));
		let http = Client::builder(TokioExecutor::new()).build(connector);
		Ok(Self { http, base, timeout })
	}

	/// The base URL.
	pub fn url(&self) -> &str {
		&self.base
	}

	/// What the node holds of the file `(root, size)`.
	pub async fn status(&self, root: &H256, size: u64) -> Result<FileStatus, DataError> {
		self.json(Method::GET, &file_path(root, size), Bytes::new()).await
	}

	/// Up to `limit` indices, from `from` on, of segments of `(root, size)` the node lacks.
	pub async fn missing(
		&self,
		root: &H256,
		size: u64,
		from: u64,
		limit: u64,
	) -> Result<Vec<u64>, DataError> {
		let page: MissingSegments =
			self.json(Method::GET, &missing_path(root, size, from, limit), Bytes::new()).await?;
		Ok(page.missing)
	}

	/// Stores segment `index` of `(root, size)` on the node.
	pub async fn put_segment(
		&self,
		root: &H256,
		size: u64,
		index: u64,
		data: Vec<u8>,
		proof: SegmentProof,
	) -> Result<UploadedSegment, DataError> {
		let body = Bytes::from(SegmentEnvelope { proof, data }.encode());
		self.json(Method::PUT, &segment_path(root, size, index), body).await
	}

	/// Segment `index` of `(root, size)` from the node, checked against the commitment.
	pub async fn get_segment(
		&self,
		root: &H256,
		size: u64,
		index: u64,
	) -> Result<Vec<u8>, DataError> {
		Ok(self.get_segment_with_proof(root, size, index).await?.data)
	}

	/// Segment `index` of `(root, size)` and its proof from the node, checked against the
	/// commitment (to store it again, as a replicating node does).
	pub async fn get_segment_with_proof(
		&self,
		root: &H256,
		size: u64,
		index: u64,
	) -> Result<SegmentEnvelope, DataError> {
		let path = segment_path(root, size, index);
		let body = self.exchange(Method::GET, &path, None, Bytes::new()).await?;
		let envelope = SegmentEnvelope::decode_all(&mut &body[..]).map_err(|error| {
			DataError::Malformed(format!("{}: segment {index} does not decode: {error}", self.base))
		})?;
		verify_envelope(root, size, index, envelope)
			.map_err(|reason| DataError::Corrupt(format!("{}: {reason}", self.base)))
	}

	/// A request whose answer is JSON.
	async fn json<T: DeserializeOwned>(
		&self,
		method: Method,
		path: &str,
		body: Bytes,
	) -> Result<T, DataError> {
		let media_type = (method == Method::PUT).then_some(SEGMENT_MEDIA_TYPE);
		let answer = self.exchange(method, path, media_type, body).await?;
		parse_json(&self.base, path, &answer)
	}

	/// A `POST` of `body` (of `media_type`) whose answer is JSON.
	pub(crate) async fn post_json<T: DeserializeOwned>(
		&self,
		path: &str,
		media_type: &str,
		body: Bytes,
	) -> Result<T, DataError> {
		let answer = self.exchange(Method::POST, path, Some(media_type), body).await?;
		parse_json(&self.base, path, &answer)
	}

	/// Sends one request and reads the whole answer; a refusal becomes [`DataError::Refused`].
	async fn exchange(
		&self,
		method: Method,
		path: &str,
		media_type: Option<&str>,
		body: Bytes,
	) -> Result<Bytes, DataError> {
		let url = format!("{}{path}", self.base);
		let mut request = hyper::Request::builder().method(method.clone()).uri(&url);
		if let Some(media_type) = media_type {
			request = request.header(header::CONTENT_TYPE, media_type);
		}
		let request = request.body(Full::new(body)).map_err(|error| {
			DataError::Malformed(format!("{url}: cannot build request: {error}"))
		})?;
		let exchange = async {
			let response = self
				.http
				.request(request)
				.await
				.map_err(|error| DataError::Unreachable(format!("{url}: {error}")))?;
			let status = response.status();
			let body = Limited::new(response.into_body(), MAX_ENVELOPE_BYTES.max(MAX_JSON_BYTES))
				.collect()
				.await
				.map_err(|error| {
					DataError::Unreachable(format!("{url}: reading the answer: {error}"))
				})?
				.to_bytes();
			if status == StatusCode::OK {
				return Ok(body);
			}
			Err(refusal(&url, status, &body))
		};
		tokio::time::timeout(self.timeout, exchange).await.map_err(|_| {
			DataError::Timeout(format!("{url} did not answer within {} s", self.timeout.as_secs()))
		})?
	}
}

/// `answer` of the request to `base` `path`, parsed as JSON.
fn parse_json<T: DeserializeOwned>(base: &str, path: &str, answer: &[u8]) -> Result<T, DataError> {
	serde_json::from_slice(answer)
		.map_err(|error| DataError::Malformed(format!("{base}{path}: {error}")))
}

/// `envelope` if it is segment `index` of the file `(root, size)`, else why not.
pub fn verify_envelope(
	root: &H256,
	size: u64,
	index: u64,
	envelope: SegmentEnvelope,
) -> Result<SegmentEnvelope, String> {
	if envelope.proof.segment_index != index {
		return Err(format!("sent segment {} for segment {index}", envelope.proof.segment_index));
	}
	envelope
		.proof
		.verify(root, size, index, &envelope.data)
		.map_err(|error| format!("segment {index}: {error}"))?;
	Ok(envelope)
}

/// The error for a non-200 answer: the node's `{"code", "message"}` when it sent one.
fn refusal(url: &str, status: StatusCode, body: &[u8]) -> DataError {
	#[derive(Deserialize)]
	struct Refusal {
		code: i32,
		message: String,
	}
	match serde_json::from_slice::<Refusal>(body) {
		Ok(Refusal { code, message }) => {
			DataError::Refused { status: status.as_u16(), code, message }
		},
		Err(_) => DataError::Malformed(format!(
			"{url} answered HTTP {status} without a storage error: {}",
			String::from_utf8_lossy(&body[..body.len().min(200)])
		)),
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn only_plain_http_base_urls_are_clients() {
		let timeout = Duration::from_secs(1);
		assert_eq!(
			DataClient::new("http://127.0.0.1:9950/", timeout).unwrap().url(),
			"http://127.0.0.1:9950"
		);
		for bad in ["ws://127.0.0.1:9944", "https://x", "http://", "http://host:1/path", "9950"] {
			assert!(DataClient::new(bad, timeout).is_err(), "{bad}");
		}
	}

	#[test]
	fn a_segment_is_accepted_only_against_its_own_commitment() {
		use zerog_primitives::storage::{FileTree, SEGMENT_SIZE};
		let file: Vec<u8> = (0..2 * SEGMENT_SIZE + 10).map(|i| (i * 7) as u8).collect();
		let tree = FileTree::new(&file).unwrap();
		let (root, size) = (tree.root(), file.len() as u64);
		let envelope = |index: u64, proof_of: u64| SegmentEnvelope {
			proof: tree.segment_proof(proof_of).unwrap(),
			data: file.chunks(SEGMENT_SIZE).nth(index as usize).unwrap().to_vec(),
		};
		assert!(verify_envelope(&root, size, 1, envelope(1, 1)).is_ok());
		assert!(verify_envelope(&root, size, 1, envelope(1, 0))
			.unwrap_err()
			.contains("sent segment 0"));
		assert!(verify_envelope(&root, size + 1, 2, envelope(2, 2)).is_err());
		assert!(verify_envelope(&H256::zero(), size, 1, envelope(1, 1)).is_err());
		let mut flipped = envelope(2, 2);
		flipped.data[3] ^= 1;
		assert!(verify_envelope(&root, size, 2, flipped).is_err());
	}

	#[test]
	fn refusals_keep_the_nodes_code_and_message() {
		let refused =
			refusal("u", StatusCode::NOT_FOUND, br#"{"code":6001,"message":"no live file"}"#);
		assert_eq!(refused.code(), Some(UNKNOWN_FILE));
		assert!(refused.to_string().contains("no live file"));
		assert!(matches!(
			refusal("u", StatusCode::BAD_GATEWAY, b"<html>"),
			DataError::Malformed(_)
		));
	}
}
