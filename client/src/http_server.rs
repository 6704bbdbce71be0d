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

/// Serves `handler` on `listener` until the task is dropped; each connection gets its own task
/// and each request is answered by `handler(request, peer)`.
pub async fn serve<H, F>(listener: TcpListener, handler: H)
where
	H: Fn(Request<Incoming>, SocketAddr) -> F + Clone + Send + Sync + 'static,
	F: Future<Output = HttpResponse> + Send + 'static,
{
	loop {
		let (stream, peer) = match listener.accept().await {
			Ok(accepted) => accepted,
			Err(error) => {
				// Out of file descriptors and the like: back off instead of spinning.
				log::warn!("accept failed: {error}");
				tokio::time::sleep(Duration::from_millis(100)).await;
				continue;
			},
		};
		let handler = handler.clone();
		tokio::spawn(async move {
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

/// Reads a whole request body of at most `limit` bytes.
pub async fn read_body(body: Incoming, limit: usize) -> Result<Bytes, BodyError> {
	match Limited::new(body, limit).collect().await {
		Ok(collected) => Ok(collected.to_bytes()),
		Err(error) if error.is::<http_body_util::LengthLimitError>() => Err(BodyError::TooLarge),
		Err(error) => Err(BodyError::Read(error.to_string())),
	}
}
