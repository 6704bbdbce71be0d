//! The front of the Ethereum JSON-RPC: the port users connect to, in front of the
//! `pallet-revive-eth-rpc` adapter (which listens on loopback only).
//!
//! It does two jobs:
//! - **Limits for a public port.** At most [`GuardLimits::connections`] connections, and
//!   [`GuardLimits::connections_per_ip`] from one address; a request head must arrive within
//!   [`GuardLimits::header_timeout`] and its body within [`GuardLimits::body_timeout`]; a body
//!   is at most [`GuardLimits::max_body`] bytes (413 otherwise, before it is read when its
//!   `Content-Length` says so). A connection over a cap is closed at once. Many slow
//!   connections (slowloris) or huge bodies therefore cost the node a bounded amount of memory
//!   and no thread: the guard runs on the node's Tokio runtime, beside block production.
//! - **Refusals in Ethereum's words** ([`refusal`]): the chain id before the adapter sees a raw
//!   transaction, and the balance when it moves value (pallet-revive's pool does not check
//!   that); the nonce and the balance of any other transaction only after the adapter refused
//!   it.
//!
//! Every other request passes through unchanged over a pool of connections to the adapter;
//! WebSocket upgrades (subscriptions) become a pipe to it.

mod refusal;
#[cfg(test)]
mod tests;

use std::{
	collections::HashMap,
	convert::Infallible,
	io,
	net::{IpAddr, Ipv4Addr, SocketAddr},
	sync::{
		atomic::{AtomicU16, Ordering},
		Arc, Mutex,
	},
	time::Duration,
};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::{
	body::Incoming,
	header::{self, HeaderMap, HeaderValue},
	service::service_fn,
	Request, Response, StatusCode, Uri,
};
use hyper_util::{
	client::legacy::{connect::HttpConnector, Client},
	rt::{TokioExecutor, TokioIo, TokioTimer},
};
use pallet_revive::evm::{H160, U256};
use serde_json::json;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use refusal::RawTransaction;

/// Log target shared with the adapter's supervisor.
const LOG_TARGET: &str = "eth-rpc";

/// Every response the guard sends.
type GuardResponse = Response<Full<Bytes>>;

/// The bounds of the public port.
#[derive(Debug, Clone, Copy)]
pub struct GuardLimits {
	/// Connections open at once, from everyone.
	pub connections: usize,
	/// Connections open at once from one IP address.
	pub connections_per_ip: usize,
	/// Time for a request head to arrive, from the connection's start or its previous answer.
	pub header_timeout: Duration,
	/// Time for a request body to arrive, once its head did.
	pub body_timeout: Duration,
	/// Largest request body.
	pub max_body: usize,
	/// Time the adapter may take to answer (an `eth_call` or a trace may be slow).
	pub adapter_timeout: Duration,
}

impl Default for GuardLimits {
	fn default() -> Self {
		Self {
			connections: 1024,
			connections_per_ip: 64,
			header_timeout: Duration::from_secs(10),
			body_timeout: Duration::from_secs(30),
			// A contract deployment's init code is at most 48 KiB hex-encoded twice over; 5 MiB
			// leaves room for batches.
			max_body: 5 * 1024 * 1024,
			adapter_timeout: Duration::from_secs(120),
		}
	}
}

/// Where the guard listens and where the adapter it fronts listens.
#[derive(Debug, Clone)]
pub struct Guard {
	/// The address users connect to.
	pub listen: SocketAddr,
	/// The adapter's port on loopback; the supervisor moves the adapter to another port when it
	/// cannot start on this one.
	pub adapter_port: Arc<AtomicU16>,
	/// The chain id transactions must be signed for.
	pub chain_id: u64,
	/// Whether the guard's own answers carry `Access-Control-Allow-Origin: *` (as the adapter's
	/// do).
	pub cors_any: bool,
	/// The bounds of the port.
	pub limits: GuardLimits,
}

impl Guard {
	/// Binds the listening port now (so a port in use fails the node's start) and returns the
	/// address it got and the future that serves it, for the node's task manager.
	pub fn bind(
		self,
	) -> io::Result<(SocketAddr, impl std::future::Future<Output = ()> + Send + 'static)> {
		let listener = std::net::TcpListener::bind(self.listen)?;
		listener.set_nonblocking(true)?;
		Ok((listener.local_addr()?, self.serve(listener)))
	}

	/// Accepts connections for as long as the node runs.
	async fn serve(self, listener: std::net::TcpListener) {
		let listener = match tokio::net::TcpListener::from_std(listener) {
			Ok(listener) => listener,
			Err(error) => {
				log::error!(target: LOG_TARGET, "The Ethereum JSON-RPC cannot listen: {error}");
				return;
			},
		};
		let front = Arc::new(Front::new(self));
		loop {
			let (stream, peer) = match listener.accept().await {
				Ok(accepted) => accepted,
				Err(error) => {
					// Out of file descriptors, most likely: wait instead of spinning.
					log::warn!(target: LOG_TARGET, "Cannot accept a connection: {error}");
					tokio::time::sleep(Duration::from_millis(100)).await;
					continue;
				},
			};
			let Some(slot) = front.admit(peer.ip()) else {
				// Over a cap: closed at once, nothing read.
				continue;
			};
			let front = front.clone();
			tokio::spawn(async move {
				let slot = Arc::new(slot);
				let service = {
					let front = front.clone();
					let slot = slot.clone();
					service_fn(move |request| {
						let (front, slot) = (front.clone(), slot.clone());
						async move { Ok::<_, Infallible>(front.answer(request, slot).await) }
					})
				};
				let connection = hyper::server::conn::http1::Builder::new()
					.timer(TokioTimer::new())
					.header_read_timeout(front.guard.limits.header_timeout)
					.serve_connection(TokioIo::new(stream), service)
					.with_upgrades();
				if let Err(error) = connection.await {
					log::debug!(target: LOG_TARGET, "Connection from {peer} ended: {error}");
				}
				drop(slot);
			});
		}
	}
}

/// One connection's place under the caps; freed when dropped (with the connection, or with
/// the WebSocket pipe it became).
struct Slot {
	_permit: OwnedSemaphorePermit,
	ip: IpAddr,
	per_ip: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

impl Drop for Slot {
	fn drop(&mut self) {
		let mut per_ip = self.per_ip.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
		if let Some(count) = per_ip.get_mut(&self.ip) {
			*count = count.saturating_sub(1);
			if *count == 0 {
				per_ip.remove(&self.ip);
			}
		}
	}
}

/// The guard at work: its caps and its pool of connections to the adapter.
struct Front {
	guard: Guard,
	connections: Arc<Semaphore>,
	per_ip: Arc<Mutex<HashMap<IpAddr, usize>>>,
	adapter: Client<HttpConnector, Full<Bytes>>,
}

impl Front {
	fn new(guard: Guard) -> Self {
		Self {
			connections: Arc::new(Semaphore::new(guard.limits.connections)),
			per_ip: Default::default(),
			adapter: Client::builder(TokioExecutor::new()).build_http(),
			guard,
		}
	}

	/// A slot for a connection from `ip`, or `None` when a cap is reached.
	fn admit(&self, ip: IpAddr) -> Option<Slot> {
		let permit = self.connections.clone().try_acquire_owned().ok()?;
		let mut per_ip = self.per_ip.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
		let count = per_ip.entry(ip).or_default();
		if *count >= self.guard.limits.connections_per_ip {
			return None;
		}
		*count += 1;
		Some(Slot { _permit: permit, ip, per_ip: self.per_ip.clone() })
	}

	/// Where the adapter listens now.
	fn adapter_address(&self) -> SocketAddr {
		SocketAddr::from((Ipv4Addr::LOCALHOST, self.guard.adapter_port.load(Ordering::Relaxed)))
	}

	/// The adapter's URI for `path_and_query`.
	fn adapter_uri(&self, path_and_query: Option<&str>) -> Result<Uri, hyper::http::Error> {
		Uri::builder()
			.scheme("http")
			.authority(self.adapter_address().to_string())
			.path_and_query(path_and_query.unwrap_or("/"))
			.build()
	}

	/// Answers one request.
	async fn answer(&self, request: Request<Incoming>, slot: Arc<Slot>) -> GuardResponse {
		let origin = request.headers().contains_key(header::ORIGIN);
		let mut response = if request.headers().contains_key(header::UPGRADE) {
			self.upgrade(request, slot).await
		} else {
			self.relay(request).await
		};
		if origin && self.guard.cors_any {
			response
				.headers_mut()
				.entry(header::ACCESS_CONTROL_ALLOW_ORIGIN)
				.or_insert(HeaderValue::from_static("*"));
		}
		response
	}

	/// A plain request: its body read within the limits, sent to the adapter, and its answer
	/// sent back (in Ethereum's words where it refused a raw transaction).
	async fn relay(&self, request: Request<Incoming>) -> GuardResponse {
		let limits = self.guard.limits;
		let (mut parts, body) = request.into_parts();
		let announced = parts
			.headers
			.get(header::CONTENT_LENGTH)
			.and_then(|value| value.to_str().ok()?.parse::<u64>().ok());
		if announced.is_some_and(|length| length > limits.max_body as u64) {
			return too_large(limits.max_body);
		}
		let body = match tokio::time::timeout(
			limits.body_timeout,
			Limited::new(body, limits.max_body).collect(),
		)
		.await
		{
			Ok(Ok(collected)) => collected.to_bytes(),
			Ok(Err(error)) if error.downcast_ref::<LengthLimitError>().is_some() => {
				return too_large(limits.max_body)
			},
			Ok(Err(error)) => {
				return plain(
					StatusCode::BAD_REQUEST,
					&format!("the body could not be read: {error}"),
				)
			},
			Err(_) => {
				return plain(
					StatusCode::REQUEST_TIMEOUT,
					&format!("the body did not arrive within {} s", limits.body_timeout.as_secs()),
				)
			},
		};

		let transaction =
			(parts.method == hyper::Method::POST).then(|| RawTransaction::parse(&body)).flatten();
		if let Some(refusal) =
			transaction.as_ref().and_then(|tx| tx.wrong_chain(self.guard.chain_id))
		{
			return json_answer(refusal.to_string());
		}
		if let Some(transaction) = transaction.as_ref().filter(|tx| tx.moves_value()) {
			if let Some(refusal) = self.uncovered_value(transaction).await {
				return json_answer(refusal.to_string());
			}
		}

		parts.uri = match self.adapter_uri(parts.uri.path_and_query().map(|p| p.as_str())) {
			Ok(uri) => uri,
			Err(error) => return plain(StatusCode::BAD_REQUEST, &error.to_string()),
		};
		remove_hop_by_hop(&mut parts.headers);
		parts.headers.remove(header::HOST);
		let (mut answer_parts, answer) =
			match self.exchange(Request::from_parts(parts, Full::new(body))).await {
				Ok(answer) => answer,
				Err(error) => return plain(StatusCode::BAD_GATEWAY, &error),
			};

		if let Some(transaction) = transaction.filter(|_| refusal::is_error(&answer)) {
			if let Some(refusal) = self.explain(&transaction).await {
				return json_answer(refusal.to_string());
			}
		}
		remove_hop_by_hop(&mut answer_parts.headers);
		answer_parts.headers.remove(header::CONTENT_LENGTH);
		Response::from_parts(answer_parts, Full::new(answer))
	}

	/// Sends `request` to the adapter and reads its whole answer.
	async fn exchange(
		&self,
		request: Request<Full<Bytes>>,
	) -> Result<(hyper::http::response::Parts, Bytes), String> {
		let exchange = async {
			let response = self.adapter.request(request).await.map_err(|error| {
				format!("the Ethereum JSON-RPC adapter is not reachable: {error}")
			})?;
			let (parts, body) = response.into_parts();
			let body = body.collect().await.map_err(|error| {
				format!("the Ethereum JSON-RPC adapter's answer broke off: {error}")
			})?;
			Ok((parts, body.to_bytes()))
		};
		tokio::time::timeout(self.guard.limits.adapter_timeout, exchange)
			.await
			.map_err(|_| "the Ethereum JSON-RPC adapter did not answer in time".to_string())?
	}

	/// Why the adapter refused `transaction`, in geth's words, from its sender's nonce and
	/// balance; `None` keeps the adapter's answer.
	async fn explain(&self, transaction: &RawTransaction) -> Option<serde_json::Value> {
		let sender = transaction.sender()?;
		let (nonce, balance) = tokio::join!(
			self.quantity(&sender, "eth_getTransactionCount"),
			self.quantity(&sender, "eth_getBalance")
		);
		let refusal = transaction.explain(sender, nonce?, balance?)?;
		log::debug!(target: LOG_TARGET, "Refused a transaction of {sender:?}: {refusal}");
		Some(refusal)
	}

	/// geth's "insufficient funds" for a transaction that moves more value than its sender
	/// holds (with its gas); `None` lets it go on to the adapter, also when the balance cannot
	/// be read (the adapter then answers for itself).
	async fn uncovered_value(&self, transaction: &RawTransaction) -> Option<serde_json::Value> {
		let sender = transaction.sender()?;
		let balance = self.quantity(&sender, "eth_getBalance").await?;
		let refusal = transaction.unaffordable(sender, balance)?;
		log::debug!(target: LOG_TARGET, "Refused a transaction of {sender:?}: {refusal}");
		Some(refusal)
	}

	/// `method(address, "latest")` on the adapter, for a quantity (a nonce or a balance).
	async fn quantity(&self, address: &H160, method: &str) -> Option<U256> {
		let body =
			json!({ "jsonrpc": "2.0", "id": 1, "method": method, "params": [address, "latest"] });
		let request = Request::post(self.adapter_uri(None).ok()?)
			.header(header::CONTENT_TYPE, "application/json")
			.body(Full::new(Bytes::from(body.to_string())))
			.ok()?;
		let (_, answer) = self.exchange(request).await.ok()?;
		refusal::quantity(&answer)
	}

	/// A WebSocket upgrade: sent to the adapter on a connection of its own; once both sides
	/// switched protocols, the two connections are piped together (holding the slot).
	async fn upgrade(&self, mut request: Request<Incoming>, slot: Arc<Slot>) -> GuardResponse {
		let stream = match tokio::net::TcpStream::connect(self.adapter_address()).await {
			Ok(stream) => stream,
			Err(error) => {
				let message = format!("the Ethereum JSON-RPC adapter is not reachable: {error}");
				return plain(StatusCode::BAD_GATEWAY, &message);
			},
		};
		let (mut sender, connection) =
			match hyper::client::conn::http1::handshake::<_, Full<Bytes>>(TokioIo::new(stream))
				.await
			{
				Ok(handshake) => handshake,
				Err(error) => return plain(StatusCode::BAD_GATEWAY, &error.to_string()),
			};
		tokio::spawn(connection.with_upgrades());
		let client_side = hyper::upgrade::on(&mut request);
		let (parts, _) = request.into_parts();
		let mut response =
			match sender.send_request(Request::from_parts(parts, Full::default())).await {
				Ok(response) => response,
				Err(error) => return plain(StatusCode::BAD_GATEWAY, &error.to_string()),
			};
		if response.status() != StatusCode::SWITCHING_PROTOCOLS {
			let (parts, body) = response.into_parts();
			let body = body.collect().await.map(|body| body.to_bytes()).unwrap_or_default();
			return Response::from_parts(parts, Full::new(body));
		}
		let adapter_side = hyper::upgrade::on(&mut response);
		tokio::spawn(async move {
			let (Ok(client), Ok(adapter)) = (client_side.await, adapter_side.await) else {
				return;
			};
			let (mut client, mut adapter) = (TokioIo::new(client), TokioIo::new(adapter));
			let _ = tokio::io::copy_bidirectional(&mut client, &mut adapter).await;
			drop(slot);
		});
		let (parts, _) = response.into_parts();
		Response::from_parts(parts, Full::default())
	}
}

/// Drops the headers that belong to one connection, not to the request or answer.
fn remove_hop_by_hop(headers: &mut HeaderMap) {
	for name in [
		header::CONNECTION,
		header::TE,
		header::TRAILER,
		header::TRANSFER_ENCODING,
		header::UPGRADE,
		header::PROXY_AUTHORIZATION,
		header::PROXY_AUTHENTICATE,
	] {
		headers.remove(name);
	}
	headers.remove("keep-alive");
}

/// A JSON-RPC answer of the guard's own.
fn json_answer(payload: String) -> GuardResponse {
	let mut response = Response::new(Full::new(Bytes::from(payload)));
	response
		.headers_mut()
		.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
	response
}

/// A refusal outside JSON-RPC (the request never reached it): `status` and a JSON message. The
/// connection closes after it: a body left unread cannot be skipped.
fn plain(status: StatusCode, message: &str) -> GuardResponse {
	let mut response = json_answer(json!({ "error": message }).to_string());
	*response.status_mut() = status;
	response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
	response
}

/// 413 for a body over `max_body` bytes.
fn too_large(max_body: usize) -> GuardResponse {
	plain(StatusCode::PAYLOAD_TOO_LARGE, &format!("the body is over {max_body} bytes"))
}

/// A free TCP port on loopback for the adapter behind the guard.
pub fn free_loopback_port() -> io::Result<u16> {
	Ok(std::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))?.local_addr()?.port())
}
