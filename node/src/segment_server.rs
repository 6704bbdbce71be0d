//! The data plane: the node's store of storage segments and DA shards served as binary over
//! HTTP/1.1 and HTTP/2 (hyper), for uploads, downloads, replication between providers and DA
//! dispersal.
//!
//! JSON-RPC stays for control and small reads; segments travel here as SCALE
//! [`SegmentEnvelope`]s (proof and bytes) instead of 512 KiB of hex each, and a publisher's DA
//! shards as one SCALE [`ShardsEnvelope`] per request instead of hex in `da_putShards`. The
//! routes and the body formats are `zerog_primitives::storage::transport`'s and
//! `zerog_primitives::da::transport`'s. Every file is addressed by its whole commitment
//! `(root, size)`; every write goes through the same checks as its JSON-RPC twin
//! (`storage_uploadSegment`: [`StorageRpc::put`]; `da_putShards`: [`DaRpc::put_envelope`]);
//! reads are served from the store.
//!
//! The port is public on a provider (its registered endpoint), so a stranger may connect:
//! connections are capped ([`MAX_CONNECTIONS`]), a request must send its headers within
//! [`HEADER_READ_TIMEOUT`], a segment body is at most [`MAX_ENVELOPE_BYTES`], a shards body at
//! most [`MAX_SHARDS_BODY_BYTES`] with at most [`MAX_SHARDS_BODIES`] read at once (so bodies in
//! memory stay under a few hundred MiB whatever strangers send), and the RocksDB work and the
//! proof checks run on the blocking pool so a slow disk never stalls the other connections.

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
use zerog_primitives::{
	da::transport::{parse_shards_path, ShardsEnvelope, MAX_SHARDS_BODY_BYTES},
	storage::transport::{
		parse_route, Route, SegmentEnvelope, MAX_ENVELOPE_BYTES, SEGMENT_MEDIA_TYPE,
	},
};

use crate::rpc::{
	chain::{DaChain, StorageChain},
	da::{DaRpc, DaRpcError, LOG_TARGET as DA_LOG_TARGET},
	storage::{StorageRpc, StorageRpcError, LOG_TARGET, MAX_MISSING_LIMIT},
};

/// Connections served at once; more wait in the kernel's backlog.
pub const MAX_CONNECTIONS: usize = 256;

/// Longest a client may take to send a request's headers.
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// Streams one HTTP/2 connection may have open at once.
const MAX_STREAMS_PER_CONNECTION: u32 = 32;

/// Shards bodies read at once; more requests wait for a turn (their publisher's deadline
/// bounds the wait).
pub const MAX_SHARDS_BODIES: usize = 8;

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

/// What the data plane serves: the storage store and the DA store, each with the checks of its
/// JSON-RPC methods; either is absent where the chain's runtime lacks its pallet.
pub struct DataPlane<Chain> {
	/// Storage segments.
	pub storage: Option<Arc<StorageRpc<Chain>>>,
	/// DA shards.
	pub da: Option<Arc<DaRpc<Chain>>>,
	/// Turns to read a shards body: [`MAX_SHARDS_BODIES`].
	shards_bodies: Arc<Semaphore>,
}

impl<Chain> DataPlane<Chain> {
	/// Serves `storage` and `da`, those that are there.
	pub fn new(storage: Option<StorageRpc<Chain>>, da: Option<DaRpc<Chain>>) -> Self {
		Self {
			storage: storage.map(Arc::new),
			da: da.map(Arc::new),
			shards_bodies: Arc::new(Semaphore::new(MAX_SHARDS_BODIES)),
		}
	}
}

/// A refusal of one of the stores, as the data plane answers it.
trait Refusal {
	/// The HTTP status.
	fn status(&self) -> StatusCode;
	/// The JSON-RPC error code of the store's twin method.
	fn code(&self) -> i32;
	/// What is wrong.
	fn message(&self) -> String;
	/// The log target of the store.
	fn target(&self) -> &'static str;
}

/// Binds `address` now (so a taken port stops the node at startup with a clear error) and
/// returns the listener and the port it got.
pub fn bind(address: SocketAddr) -> std::io::Result<(std::net::TcpListener, u16)> {
	let listener = std::net::TcpListener::bind(address)?;
	listener.set_nonblocking(true)?;
	let port = listener.local_addr()?.port();
	Ok((listener, port))
}

/// Serves `plane` on `listener` until the task is dropped.
pub async fn serve<Chain: StorageChain + DaChain + Send + Sync + 'static>(
	listener: std::net::TcpListener,
	plane: Arc<DataPlane<Chain>>,
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
		let plane = plane.clone();
		tokio::spawn(async move {
			let _permit = permit;
			let service = service_fn(move |request| {
				let plane = plane.clone();
				async move { Ok::<_, Infallible>(route(plane, request).await) }
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

/// How long a browser may cache the answer to a CORS preflight, in seconds.
const PREFLIGHT_MAX_AGE: &str = "600";

/// Answers one request, with the CORS headers that let a web page (the TypeScript SDK in a
/// browser) use the data plane. Any origin may: the plane takes no cookies or credentials, and
/// a page can do nothing here that any other client cannot (every write is checked against
/// the chain's commitment and the node's assignments).
async fn route<Chain: StorageChain + DaChain + Send + Sync + 'static>(
	plane: Arc<DataPlane<Chain>>,
	request: Request<Incoming>,
) -> HttpResponse {
	let mut response = if request.method() == Method::OPTIONS {
		preflight()
	} else {
		dispatch(plane, request).await
	};
	response
		.headers_mut()
		.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, header::HeaderValue::from_static("*"));
	response
}

/// The answer to a CORS preflight: the methods and the one request header the routes use.
fn preflight() -> HttpResponse {
	Response::builder()
		.status(StatusCode::NO_CONTENT)
		.header(header::ACCESS_CONTROL_ALLOW_METHODS, "GET, PUT, POST")
		.header(header::ACCESS_CONTROL_ALLOW_HEADERS, "content-type")
		.header(header::ACCESS_CONTROL_MAX_AGE, PREFLIGHT_MAX_AGE)
		.body(Full::new(Bytes::new()))
		.unwrap_or_default()
}

/// Dispatches one request.
async fn dispatch<Chain: StorageChain + DaChain + Send + Sync + 'static>(
	plane: Arc<DataPlane<Chain>>,
	request: Request<Incoming>,
) -> HttpResponse {
	let method = request.method().clone();
	let path = request.uri().path().to_owned();
	let query = request.uri().query().unwrap_or_default().to_owned();
	match parse_shards_path(&path) {
		Some(Ok(root)) if method == Method::POST => return put_shards(plane, root, request).await,
		Some(Ok(_)) => {
			let message = format!("{method} {path} is not served: shards take POST");
			return refusal(StatusCode::METHOD_NOT_ALLOWED, 6103, &message);
		},
		Some(Err(reason)) => return refusal(StatusCode::NOT_FOUND, 6103, &reason),
		None => {},
	}
	let route = match parse_route(&path) {
		Ok(route) => route,
		Err(reason) => return refusal(StatusCode::NOT_FOUND, 6003, &reason),
	};
	let Some(storage) = plane.storage.clone() else {
		return not_served("storage", "segments");
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
				Ok::<_, StorageRpcError>(
					Response::builder()
						.header(header::CONTENT_TYPE, SEGMENT_MEDIA_TYPE)
						.body(Full::new(Bytes::from(SegmentEnvelope { proof, data }.encode())))
						.unwrap_or_default(),
				)
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

/// `POST /da/v1/blobs/{root}/shards`: reads the body in one of the [`MAX_SHARDS_BODIES`]
/// turns, then checks and stores the shards as `da_putShards` does.
async fn put_shards<Chain: StorageChain + DaChain + Send + Sync + 'static>(
	plane: Arc<DataPlane<Chain>>,
	root: polkadot_sdk::sp_core::H256,
	request: Request<Incoming>,
) -> HttpResponse {
	let Some(da) = plane.da.clone() else {
		return not_served("DA", "shards");
	};
	let Ok(turn) = plane.shards_bodies.clone().acquire_owned().await else {
		return refusal(StatusCode::SERVICE_UNAVAILABLE, 6106, "the data plane is shutting down");
	};
	let body = match Limited::new(request.into_body(), MAX_SHARDS_BODY_BYTES).collect().await {
		Ok(collected) => collected.to_bytes(),
		Err(reason) => {
			let message = format!(
				"the body could not be read (a shards envelope is at most \
				 {MAX_SHARDS_BODY_BYTES} bytes): {reason}"
			);
			return refusal(StatusCode::PAYLOAD_TOO_LARGE, 6103, &message);
		},
	};
	let answer = blocking(move || {
		let envelope = ShardsEnvelope::decode_all(&mut &body[..]).map_err(|error| {
			DaRpcError::InvalidParams(format!("the body is not a SCALE ShardsEnvelope: {error}"))
		})?;
		drop(body);
		da.put_envelope(root, envelope).map(|stored| json(&stored))
	})
	.await;
	drop(turn);
	answer
}

/// The answer to a request for what the chain's runtime has no pallet for: 404 with JSON-RPC's
/// "method not found" (the twin RPC methods are not served either).
fn not_served(pallet: &str, what: &str) -> HttpResponse {
	let message =
		format!("this chain's runtime has no {pallet} pallet: this node serves no {what}");
	refusal(StatusCode::NOT_FOUND, -32601, &message)
}

/// Runs `work` (RocksDB reads or a synced write, proof checks) on the blocking pool.
async fn blocking<E: Refusal + Send + 'static>(
	work: impl FnOnce() -> Result<HttpResponse, E> + Send + 'static,
) -> HttpResponse {
	match tokio::task::spawn_blocking(work).await {
		Ok(Ok(response)) => response,
		Ok(Err(error)) => {
			log::debug!(
				target: error.target(),
				"data plane refused ({}): {}",
				error.code(),
				error.message()
			);
			refusal(error.status(), error.code(), &error.message())
		},
		Err(error) => refusal(StatusCode::INTERNAL_SERVER_ERROR, 6005, &error.to_string()),
	}
}

impl Refusal for StorageRpcError {
	fn status(&self) -> StatusCode {
		match self {
			Self::UnknownFile(_) | Self::UnknownCommitment { .. } | Self::NotStored(_) => {
				StatusCode::NOT_FOUND
			},
			Self::InvalidProof(_) => StatusCode::UNPROCESSABLE_ENTITY,
			Self::InvalidParams(_) => StatusCode::BAD_REQUEST,
			Self::Store(_) => StatusCode::INTERNAL_SERVER_ERROR,
			Self::NotAssigned(_) => StatusCode::FORBIDDEN,
			Self::Full(_) => StatusCode::INSUFFICIENT_STORAGE,
		}
	}

	fn code(&self) -> i32 {
		StorageRpcError::code(self)
	}

	fn message(&self) -> String {
		StorageRpcError::message(self)
	}

	fn target(&self) -> &'static str {
		LOG_TARGET
	}
}

impl Refusal for DaRpcError {
	fn status(&self) -> StatusCode {
		match self {
			Self::UnknownBlob(_) | Self::NotStored(_) => StatusCode::NOT_FOUND,
			Self::InvalidProof(_) | Self::BadEncoding(_) => StatusCode::UNPROCESSABLE_ENTITY,
			Self::InvalidParams(_) => StatusCode::BAD_REQUEST,
			Self::NotEnoughShards(_) => StatusCode::CONFLICT,
			Self::Store(_) => StatusCode::INTERNAL_SERVER_ERROR,
			Self::NotAssigned(_) => StatusCode::FORBIDDEN,
			Self::StagingFull(_) => StatusCode::TOO_MANY_REQUESTS,
		}
	}

	fn code(&self) -> i32 {
		DaRpcError::code(self)
	}

	fn message(&self) -> String {
		DaRpcError::message(self)
	}

	fn target(&self) -> &'static str {
		DA_LOG_TARGET
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
