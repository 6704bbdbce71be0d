//! The storage data plane: the node's store of segments served as binary over HTTP/1.1 and
//! HTTP/2 (hyper), for uploads, downloads and replication between providers.
//!
//! JSON-RPC stays for control and small reads; segments travel here as SCALE
//! [`SegmentEnvelope`]s (proof and bytes) instead of 512 KiB of hex each. The routes and the body
//! format are `zerog_primitives::storage::transport`'s. Every file is addressed by its whole
//! commitment `(root, size)`; every write goes through the same checks as
//! `storage_uploadSegment` ([`StorageRpc::put`]); reads are served from the store.
//!
//! The port is public on a provider (its registered endpoint), so a stranger may connect:
//! connections are capped ([`MAX_CONNECTIONS`]), a request must send its headers within
//! [`HEADER_READ_TIMEOUT`], a body is at most [`MAX_ENVELOPE_BYTES`], and the RocksDB work runs on
//! the blocking pool so a slow disk never stalls the other connections.

use std::{convert::Infallible, net::SocketAddr, sync::Arc, time::Duration};

use bytes::Bytes;
use codec::{DecodeAll, Encode};
use http_body_util::{BodyExt, Full, Limited};
use hyper::{body::Incoming, header, service::service_fn, Method, Request, Response, StatusCode};
use hyper_util::{
	rt::{TokioExecutor, TokioIo, TokioTimer},
	server::conn::auto,
};
use serde::Serialize;
use tokio::{net::TcpListener, sync::Semaphore};
use zerog_primitives::storage::transport::{
	parse_route, Route, SegmentEnvelope, MAX_ENVELOPE_BYTES, SEGMENT_MEDIA_TYPE,
};

use crate::rpc::{
	chain::StorageChain,
	storage::{StorageRpc, StorageRpcError, LOG_TARGET, MAX_MISSING_LIMIT},
};

/// Connections served at once; more wait in the kernel's backlog.
pub const MAX_CONNECTIONS: usize = 256;

/// Longest a client may take to send a request's headers.
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// Streams one HTTP/2 connection may have open at once.
const MAX_STREAMS_PER_CONNECTION: u32 = 32;

/// Default port of the data plane.
pub const DEFAULT_PORT: u16 = 9950;

/// Options of the storage data plane.
#[derive(Debug, Clone, clap::Parser)]
pub struct StorageServerParams {
	/// TCP port of the storage data plane: binary segment uploads and downloads over HTTP, the
	/// endpoint a storage provider registers on chain (`http://<public host>:<port>`). 0 picks a
	/// free port.
	#[arg(long, value_name = "PORT", default_value_t = DEFAULT_PORT)]
	pub storage_port: u16,

	/// Listen for the storage data plane on every interface instead of loopback only: what a
	/// storage provider needs so other providers and users can reach it.
	#[arg(long)]
	pub storage_external: bool,

	/// Serve no storage data plane (a node that stores nothing for others).
	#[arg(long)]
	pub no_storage_server: bool,
}

impl StorageServerParams {
	/// The address to listen on, or `None` when the data plane is off.
	pub fn listen_address(&self) -> Option<SocketAddr> {
		if self.no_storage_server {
			return None;
		}
		let ip = if self.storage_external {
			std::net::Ipv4Addr::UNSPECIFIED
		} else {
			std::net::Ipv4Addr::LOCALHOST
		};
		Some(SocketAddr::from((ip, self.storage_port)))
	}
}

/// Every response the server sends.
type HttpResponse = Response<Full<Bytes>>;

/// Binds `address` now (so a taken port stops the node at startup with a clear error) and
/// returns the listener and the port it got.
pub fn bind(address: SocketAddr) -> std::io::Result<(std::net::TcpListener, u16)> {
	let listener = std::net::TcpListener::bind(address)?;
	listener.set_nonblocking(true)?;
	let port = listener.local_addr()?.port();
	Ok((listener, port))
}

/// Serves `storage` on `listener` until the task is dropped.
pub async fn serve<Chain: StorageChain>(
	listener: std::net::TcpListener,
	storage: Arc<StorageRpc<Chain>>,
) {
	let listener = match TcpListener::from_std(listener) {
		Ok(listener) => listener,
		Err(error) => {
			log::error!(target: LOG_TARGET, "the storage data plane cannot listen: {error}");
			return;
		},
	};
	let permits = Arc::new(Semaphore::new(MAX_CONNECTIONS));
	loop {
		let Ok(permit) = permits.clone().acquire_owned().await else { return };
		let (stream, peer) = match listener.accept().await {
			Ok(accepted) => accepted,
			Err(error) => {
				// Out of file descriptors and the like: back off instead of spinning.
				log::warn!(target: LOG_TARGET, "data plane: accept failed: {error}");
				tokio::time::sleep(Duration::from_millis(100)).await;
				continue;
			},
		};
		let _ = stream.set_nodelay(true);
		let storage = storage.clone();
		tokio::spawn(async move {
			let _permit = permit;
			let service = service_fn(move |request| {
				let storage = storage.clone();
				async move { Ok::<_, Infallible>(route(storage, request).await) }
			});
			let mut builder = auto::Builder::new(TokioExecutor::new());
			builder
				.http1()
				.timer(TokioTimer::new())
				.header_read_timeout(HEADER_READ_TIMEOUT)
				.half_close(true);
			builder.http2().max_concurrent_streams(MAX_STREAMS_PER_CONNECTION);
			if let Err(error) = builder.serve_connection(TokioIo::new(stream), service).await {
				log::debug!(target: LOG_TARGET, "data plane: connection from {peer}: {error}");
			}
		});
	}
}

/// Dispatches one request.
async fn route<Chain: StorageChain>(
	storage: Arc<StorageRpc<Chain>>,
	request: Request<Incoming>,
) -> HttpResponse {
	let method = request.method().clone();
	let path = request.uri().path().to_owned();
	let query = request.uri().query().unwrap_or_default().to_owned();
	let route = match parse_route(&path) {
		Ok(route) => route,
		Err(reason) => return refusal(StatusCode::NOT_FOUND, 6003, &reason),
	};
	match (&method, route) {
		(&Method::GET, Route::File { root, size }) => {
			blocking(move || storage.status(&root, size).map(|status| json(&status))).await
		},
		(&Method::GET, Route::Missing { root, size }) => {
			let (from, limit) = match missing_query(&query) {
				Ok(query) => query,
				Err(reason) => return refusal(StatusCode::BAD_REQUEST, 6003, &reason),
			};
			blocking(move || storage.missing_of(&root, size, from, limit).map(|m| json(&m))).await
		},
		(&Method::GET, Route::Segment { root, size, index }) => {
			blocking(move || {
				let (data, proof) = storage.get(&root, size, index)?;
				Ok(Response::builder()
					.header(header::CONTENT_TYPE, SEGMENT_MEDIA_TYPE)
					.body(Full::new(Bytes::from(SegmentEnvelope { proof, data }.encode())))
					.unwrap_or_default())
			})
			.await
		},
		(&Method::PUT, Route::Segment { root, size, index }) => {
			let body = match Limited::new(request.into_body(), MAX_ENVELOPE_BYTES).collect().await {
				Ok(collected) => collected.to_bytes(),
				Err(reason) => {
					let message = format!(
						"the body could not be read (a segment envelope is at most \
						 {MAX_ENVELOPE_BYTES} bytes): {reason}"
					);
					return refusal(StatusCode::PAYLOAD_TOO_LARGE, 6003, &message);
				},
			};
			blocking(move || {
				let envelope = SegmentEnvelope::decode_all(&mut &body[..]).map_err(|error| {
					StorageRpcError::InvalidParams(format!(
						"the body of segment {index} is not a SCALE SegmentEnvelope: {error}"
					))
				})?;
				if envelope.proof.segment_index != index {
					return Err(StorageRpcError::InvalidParams(format!(
						"the proof is for segment {}, the path names segment {index}",
						envelope.proof.segment_index
					)));
				}
				storage.put(&root, size, index, &envelope.data, &envelope.proof).map(|u| json(&u))
			})
			.await
		},
		_ => refusal(
			StatusCode::METHOD_NOT_ALLOWED,
			6003,
			&format!("{method} {path} is not served: segments take GET and PUT, the rest GET"),
		),
	}
}

/// Runs `work` (RocksDB reads or a synced write, proof checks) on the blocking pool.
async fn blocking(
	work: impl FnOnce() -> Result<HttpResponse, StorageRpcError> + Send + 'static,
) -> HttpResponse {
	match tokio::task::spawn_blocking(work).await {
		Ok(Ok(response)) => response,
		Ok(Err(error)) => {
			log::debug!(target: LOG_TARGET, "data plane refused ({}): {}", error.code(), error.message());
			refusal(status_of(&error), error.code(), &error.message())
		},
		Err(error) => refusal(StatusCode::INTERNAL_SERVER_ERROR, 6005, &error.to_string()),
	}
}

/// The HTTP status of a refusal.
fn status_of(error: &StorageRpcError) -> StatusCode {
	match error {
		StorageRpcError::UnknownFile(_)
		| StorageRpcError::UnknownCommitment { .. }
		| StorageRpcError::NotStored(_) => StatusCode::NOT_FOUND,
		StorageRpcError::InvalidProof(_) => StatusCode::UNPROCESSABLE_ENTITY,
		StorageRpcError::InvalidParams(_) => StatusCode::BAD_REQUEST,
		StorageRpcError::Store(_) => StatusCode::INTERNAL_SERVER_ERROR,
		StorageRpcError::NotAssigned(_) => StatusCode::FORBIDDEN,
		StorageRpcError::Full(_) => StatusCode::INSUFFICIENT_STORAGE,
	}
}

/// `from` and `limit` of a `missing` query (`from=F&limit=L`, both optional).
fn missing_query(query: &str) -> Result<(u64, u64), String> {
	let (mut from, mut limit) = (0, MAX_MISSING_LIMIT);
	for pair in query.split('&').filter(|pair| !pair.is_empty()) {
		let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
		let number =
			|| value.parse::<u64>().map_err(|_| format!("{name}={value:?} is not a number"));
		match name {
			"from" => from = number()?,
			"limit" => limit = number()?,
			_ => return Err(format!("unknown query parameter {name:?} (from, limit)")),
		}
	}
	Ok((from, limit))
}

/// A 200 answer with `value` as JSON.
fn json(value: &impl Serialize) -> HttpResponse {
	Response::builder()
		.header(header::CONTENT_TYPE, "application/json")
		.body(Full::new(Bytes::from(serde_json::to_vec(value).unwrap_or_default())))
		.unwrap_or_default()
}

/// A refusal: `status` with `{"code", "message"}`.
fn refusal(status: StatusCode, code: i32, message: &str) -> HttpResponse {
	let body = serde_json::json!({ "code": code, "message": message });
	let mut response = json(&body);
	*response.status_mut() = status;
	response
}

#[cfg(test)]
mod tests;
