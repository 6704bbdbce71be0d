//! The routes of the Alt-DA API (see the crate docs) and what each answers.

use std::{net::SocketAddr, sync::Arc, time::Duration};

use bytes::Bytes;
use http_body_util::Full;
use hyper::{body::Incoming, header, Method, Request, Response, StatusCode};
use subxt_signer::sr25519::Keypair;
use tokio::net::TcpListener;
use zerog_client::da::{blob_of, fetch_blob, publish, BlobStatusView, PublishOptions};
use zerog_client::{
	error::ClientError,
	hexstr,
	http_server::{self, read_body, BodyError, HttpResponse},
	rpc::NodeRpc,
};
use zerog_primitives::da::MAX_BLOB_SIZE;

use crate::commitment;

/// Log target of the server.
pub const LOG_TARGET: &str = "zerog_da_server";

/// What the server needs: the node, the paying account and how blobs are published.
pub struct DaServer {
	/// JSON-RPC URL of the ZeroG node (WebSocket or HTTP).
	pub rpc_url: String,
	/// The account that signs `submit_blob` and pays the blob fees.
	pub signer: Keypair,
	/// Namespace of the rollup's blobs.
	pub namespace: u32,
	/// Data shards per blob.
	pub data_shards: u16,
	/// Parity shards per blob.
	pub parity_shards: u16,
	/// Longest a `POST /put` waits for the certificate before answering 503.
	pub certify_timeout: Duration,
}

/// Serves `server` on `listener` until the task is dropped.
pub async fn serve(listener: TcpListener, server: Arc<DaServer>) {
	http_server::serve(listener, move |request, peer| {
		let server = Arc::clone(&server);
		async move { route(&server, request, peer).await }
	})
	.await
}

/// Binds `address` and serves in the background; the bound address (port 0 works) and the task.
pub async fn spawn(
	address: SocketAddr,
	server: Arc<DaServer>,
) -> std::io::Result<(SocketAddr, tokio::task::JoinHandle<()>)> {
	let listener = TcpListener::bind(address).await?;
	let bound = listener.local_addr()?;
	Ok((bound, tokio::spawn(serve(listener, server))))
}

/// Dispatches one request.
async fn route(server: &DaServer, request: Request<Incoming>, peer: SocketAddr) -> HttpResponse {
	let method = request.method().clone();
	let path = request.uri().path().to_owned();
	log::debug!(target: LOG_TARGET, "{peer} {method} {path}");
	match (&method, path.as_str()) {
		(&Method::GET, "/health") => text(StatusCode::OK, "ok"),
		(&Method::POST, "/put" | "/put/") => {
			match read_body(request.into_body(), MAX_BLOB_SIZE as usize).await {
				Ok(batch) => put(server, batch).await,
				Err(BodyError::TooLarge) => text(
					StatusCode::PAYLOAD_TOO_LARGE,
					&format!("a batch is at most {MAX_BLOB_SIZE} bytes, one ZeroG blob"),
				),
				Err(BodyError::Read(reason)) => {
					text(StatusCode::BAD_REQUEST, &format!("the body could not be read: {reason}"))
				},
			}
		},
		(&Method::POST, path) if path.starts_with("/put/") => text(
			StatusCode::BAD_REQUEST,
			"ZeroG commitments are made by the chain, not precomputed keccak hashes: POST the \
			 batch to /put/ and use the commitment in the answer (run op-batcher with \
			 --altda.da-service=true)",
		),
		(&Method::GET, path) if path.starts_with("/get/") => {
			get(server, &path["/get/".len()..]).await
		},
		(_, "/put" | "/put/") => text(StatusCode::METHOD_NOT_ALLOWED, "use POST /put/"),
		(_, path) if path.starts_with("/get/") => {
			text(StatusCode::METHOD_NOT_ALLOWED, "use GET /get/0x<commitment>")
		},
		_ => {
			text(StatusCode::NOT_FOUND, "routes: POST /put/, GET /get/0x<commitment>, GET /health")
		},
	}
}

/// `POST /put/`: publishes the batch as one blob and answers its commitment once certified.
async fn put(server: &DaServer, batch: Bytes) -> HttpResponse {
	if batch.is_empty() {
		return text(StatusCode::BAD_REQUEST, "the batch is empty");
	}
	let options = PublishOptions {
		namespace: server.namespace,
		data_shards: server.data_shards,
		parity_shards: server.parity_shards,
		wait: Some(server.certify_timeout),
		progress: false,
	};
	match publish(&server.rpc_url, &server.signer, &batch, options).await {
		Ok(published) => {
			let failed = published.reports.iter().filter(|report| report.outcome.is_err()).count();
			log::info!(
				target: LOG_TARGET,
				"batch of {} bytes certified in block #{} as blob {} (quorum {} of epoch {}, {} \
				 member push(es) failed)",
				batch.len(),
				published.certified_at.unwrap_or_default(),
				hexstr::root(&published.commitment.root),
				published.assignment.quorum,
				published.assignment.epoch,
				failed
			);
			octets(commitment::encode(&published.commitment))
		},
		Err(ClientError::Input(reason)) => text(StatusCode::BAD_REQUEST, &reason),
		Err(error) => {
			log::warn!(target: LOG_TARGET, "a batch of {} bytes was not certified: {error}", batch.len());
			text(StatusCode::SERVICE_UNAVAILABLE, &format!("not certified: {error}"))
		},
	}
}

/// `GET /get/0x…`: the batch behind a commitment, rebuilt and verified.
async fn get(server: &DaServer, hex: &str) -> HttpResponse {
	let commitment = match commitment::decode_hex(hex) {
		Ok(commitment) => commitment,
		Err(error) => return text(StatusCode::BAD_REQUEST, &error.to_string()),
	};
	let root = hexstr::root(&commitment.root);
	let unavailable = |error: &dyn std::fmt::Display| {
		log::warn!(target: LOG_TARGET, "blob {root} cannot be served now: {error}");
		text(StatusCode::SERVICE_UNAVAILABLE, &format!("blob {root} cannot be served now: {error}"))
	};
	let rpc = match NodeRpc::connect(&server.rpc_url).await {
		Ok(rpc) => rpc,
		Err(error) => return unavailable(&error),
	};
	match blob_of(&rpc, &commitment).await {
		Ok(None) => {
			return text(
				StatusCode::NOT_FOUND,
				&format!("the chain knows no blob {root} with this size and coding (never submitted, expired, or past retention)"),
			)
		},
		Ok(Some(summary)) if summary.status == BlobStatusView::Pending => {
			return unavailable(&"it is not certified yet")
		},
		Ok(Some(_)) => {},
		Err(error) => return unavailable(&error),
	}
	match fetch_blob(
		&rpc,
		&commitment,
		|error| log::debug!(target: LOG_TARGET, "blob {root}: the node sent no whole blob ({error})"),
	)
	.await
	{
		Ok((batch, source)) => {
			log::info!(target: LOG_TARGET, "served blob {root} ({} bytes, from {source})", batch.len());
			octets(batch)
		},
		Err(error) => unavailable(&error),
	}
}

/// A `200` with raw bytes.
fn octets(body: Vec<u8>) -> HttpResponse {
	let mut response = Response::new(Full::new(Bytes::from(body)));
	response
		.headers_mut()
		.insert(header::CONTENT_TYPE, header::HeaderValue::from_static("application/octet-stream"));
	response
}

/// A plain-text answer with `status`.
fn text(status: StatusCode, message: &str) -> HttpResponse {
	let mut response = Response::new(Full::new(Bytes::from(format!("{message}\n"))));
	*response.status_mut() = status;
	response.headers_mut().insert(
		header::CONTENT_TYPE,
		header::HeaderValue::from_static("text/plain; charset=utf-8"),
	);
	response
}
