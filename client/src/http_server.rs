//! The accept loop of ZeroG's small HTTP/1.1 servers (hyper): one task per connection, a
//! deadline on request headers, half-closed connections answered. The executor's job API and
//! gateway and `zerog-da-server` route their requests through it.

use std::{convert::Infallible, future::Future, net::SocketAddr, time::Duration};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::{body::Incoming, service::service_fn, Request, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;

/// Every response the servers send: a whole body in memory.
pub type HttpResponse = Response<Full<Bytes>>;

/// Longest a client may take to send a request's headers; closes idle or stalled connections.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// Longest a client may take to send a request's body (see [`read_body`]): a body trickled in
/// a byte at a time does not hold a connection for ever.
pub const BODY_READ_TIMEOUT: Duration = Duration::from_secs(60);

/// Most connections served at once; further clients wait in the listen backlog until one
/// closes, so a flood of idle connections cannot exhaust file descriptors or memory.
pub const MAX_CONNECTIONS: usize = 1024;

/// Serves `handler` on `listener` until the task is dropped; each connection gets its own task
/// (at most [`MAX_CONNECTIONS`] at once) and each request is answered by `handler(request,
/// peer)`.
pub async fn serve<H, F>(listener: TcpListener, handler: H)
where
	H: Fn(Request<Incoming>, SocketAddr) -> F + Clone + Send + Sync + 'static,
	F: Future<Output = HttpResponse> + Send + 'static,
{
	serve_at_most(listener, handler, MAX_CONNECTIONS).await
}

/// [`serve`] with at most `max_connections` connections at once.
pub async fn serve_at_most<H, F>(listener: TcpListener, handler: H, max_connections: usize)
where
	H: Fn(Request<Incoming>, SocketAddr) -> F + Clone + Send + Sync + 'static,
	F: Future<Output = HttpResponse> + Send + 'static,
{
	let slots = std::sync::Arc::new(tokio::sync::Semaphore::new(max_connections.max(1)));
	loop {
		let Ok(slot) = slots.clone().acquire_owned().await else { return };
		let (stream, peer) = match listener.accept().await {
			Ok(accepted) => accepted,
			Err(error) => {
				// Out of file descriptors and the like: back off instead of spinning.
				log::warn!("accept failed: {error}");
				tokio::time::sleep(Duration::from_millis(100)).await;
				continue;
			},
		};
		// Answers leave at once instead of waiting on the client's delayed ACK.
		if let Err(error) = stream.set_nodelay(true) {
			log::debug!("TCP_NODELAY on a connection from {peer}: {error}");
		}
		let handler = handler.clone();
		tokio::spawn(async move {
			let _slot = slot;
			let service = service_fn(move |request| {
				let answer = handler(request, peer);
				async move { Ok::<_, Infallible>(answer.await) }
			});
			if let Err(error) = hyper::server::conn::http1::Builder::new()
				.timer(TokioTimer::new())
				.header_read_timeout(HEADER_READ_TIMEOUT)
				// A client that shuts its sending side after the request (`nc -N`, scripts) still
				// gets its answer; without this hyper drops the connection on that EOF, racing the
				// response.
				.half_close(true)
				.serve_connection(TokioIo::new(stream), service)
				.await
			{
				log::debug!("connection from {peer}: {error}");
			}
		});
	}
}

/// Why a request body could not be read.
#[derive(Debug)]
pub enum BodyError {
	/// It is longer than the limit.
	TooLarge,
	/// The connection failed while it was read.
	Read(String),
}

/// Reads a whole request body of at most `limit` bytes within [`BODY_READ_TIMEOUT`].
pub async fn read_body(body: Incoming, limit: usize) -> Result<Bytes, BodyError> {
	let collect = Limited::new(body, limit).collect();
	match tokio::time::timeout(BODY_READ_TIMEOUT, collect).await {
		Err(_elapsed) => Err(BodyError::Read(format!(
			"the body did not arrive within {}s",
			BODY_READ_TIMEOUT.as_secs()
		))),
		Ok(Ok(collected)) => Ok(collected.to_bytes()),
		Ok(Err(error)) if error.is::<http_body_util::LengthLimitError>() => {
			Err(BodyError::TooLarge)
		},
		Ok(Err(error)) => Err(BodyError::Read(error.to_string())),
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use std::io::{Read, Write};

	fn ok(_: Request<Incoming>, _: SocketAddr) -> std::future::Ready<HttpResponse> {
		std::future::ready(Response::new(Full::new(Bytes::from_static(b"ok"))))
	}

	/// A blocking `GET /` that gives up after `patience`; the status line, if any.
	fn get(address: SocketAddr, patience: Duration) -> Option<String> {
		let mut stream = std::net::TcpStream::connect(address).ok()?;
		stream.set_read_timeout(Some(patience)).ok()?;
		stream.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").ok()?;
		let mut answer = String::new();
		stream.read_to_string(&mut answer).ok()?;
		answer.lines().next().map(str::to_owned)
	}

	/// Issue 15: idle connections beyond the cap wait in the backlog instead of each taking a
	/// task; the next client is served as soon as one closes.
	#[tokio::test(flavor = "multi_thread")]
	async fn connections_beyond_the_cap_wait_for_a_free_slot() {
		let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
		let address = listener.local_addr().unwrap();
		tokio::spawn(serve_at_most(listener, ok, 1));
		let idle = std::net::TcpStream::connect(address).unwrap();
		tokio::time::sleep(Duration::from_millis(200)).await;
		let waiting = tokio::task::spawn_blocking(move || get(address, Duration::from_millis(700)));
		assert_eq!(waiting.await.unwrap(), None, "the only slot is held by the idle connection");
		drop(idle);
		let served = tokio::task::spawn_blocking(move || get(address, Duration::from_secs(5)));
		assert_eq!(served.await.unwrap().as_deref(), Some("HTTP/1.1 200 OK"));
	}
}
