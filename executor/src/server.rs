//! The executor's HTTP/1.1 server (hyper): routes the job API and the inference gateway.
//!
//! | Method and path            | Handler                                   |
//! |----------------------------|-------------------------------------------|
//! | `POST /jobs`               | [`crate::jobs::api::post_job`]            |
//! | `GET /jobs/{id}`           | [`crate::jobs::api::get_job`]             |
//! | `POST /v1/chat/completions`| [`crate::gateway::proxy::serve_inference`]|
//! | `POST /v1/embeddings`      | [`crate::gateway::proxy::serve_inference`]|
//! | `GET /v1/models`           | [`crate::gateway::proxy::list_models`]    |
//! | `POST /v1/receipts`        | [`crate::gateway::proxy::countersign`]    |
//! | `GET /health`              | liveness                                  |
//!
//! Plain HTTP. The job API is served on its own loopback listener (`--jobs-listen`) and only to
//! requests carrying the job API token (`Authorization: Bearer <token>`, which the provider's
//! node sends): nobody else on the machine or the network can post jobs. The gateway listener
//! (`--listen`) serves no job API; put a TLS-terminating proxy in front of it when exposed.

use crate::{gateway::Gateway, jobs::runner::JobRunner};
use bytes::Bytes;
use http_body_util::Full;
use hyper::{body::Incoming, header, Method, Request, Response, StatusCode};
use std::{net::SocketAddr, sync::Arc};
use tokio::net::TcpListener;

/// Every response the server sends.
pub use zerog_client::http_server::HttpResponse;

/// Largest request body accepted: a job request is tiny; a chat request with a long context is
/// well below this.
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// What the server serves; either half may be off.
pub struct App {
	/// The job API, on the job listener only.
	pub jobs: Option<JobApi>,
	/// The inference gateway, when a `--backend` is configured.
	pub gateway: Option<Arc<Gateway>>,
}

/// The job API and who may use it.
pub struct JobApi {
	/// Runs the jobs.
	pub runner: Arc<JobRunner>,
	/// The token requests must carry as `Authorization: Bearer <token>`; `None` takes any
	/// request (`--dev` on loopback, and tests).
	pub token: Option<String>,
}

impl JobApi {
	/// Whether `headers` carry the token (compared in constant time), or none is needed.
	pub fn authorized(&self, headers: &header::HeaderMap) -> bool {
		let Some(token) = &self.token else { return true };
		let given = headers
			.get(header::AUTHORIZATION)
			.and_then(|value| value.to_str().ok())
			.and_then(|value| value.strip_prefix("Bearer "))
			.unwrap_or_default();
		given.len() == token.len()
			&& given.bytes().zip(token.bytes()).fold(0u8, |diff, (a, b)| diff | (a ^ b)) == 0
	}
}

/// Serves `app` on `listener` until the task is dropped; each connection gets its own task
/// (`zerog_client::http_server`).
pub async fn serve(listener: TcpListener, app: Arc<App>) {
	zerog_client::http_server::serve(listener, move |request, peer| {
		let app = Arc::clone(&app);
		async move { route(&app, request, peer).await }
	})
	.await
}

/// Binds `address` and serves `app` in the background; returns the bound address (so port 0
/// works in tests) and the server task.
pub async fn spawn(
	address: SocketAddr,
	app: Arc<App>,
) -> std::io::Result<(SocketAddr, tokio::task::JoinHandle<()>)> {
	let listener = TcpListener::bind(address).await?;
	let bound = listener.local_addr()?;
	Ok((bound, tokio::spawn(serve(listener, app))))
}

/// Dispatches one request.
async fn route(app: &App, request: Request<Incoming>, peer: SocketAddr) -> HttpResponse {
	let method = request.method().clone();
	let path = request.uri().path().trim_end_matches('/').to_string();
	log::debug!("{peer} {method} {path}");
	let segments: Vec<&str> = path.split('/').skip(1).collect();
	match (&method, segments.as_slice()) {
		(&Method::GET, ["health"]) => json(StatusCode::OK, &serde_json::json!({"status": "ok"})),
		(_, ["jobs", ..]) => {
			let Some(api) = &app.jobs else {
				return error(
					StatusCode::NOT_FOUND,
					"the job API is not served here: it listens on the executor's --jobs-listen \
					 address, for the provider's node",
				);
			};
			// Before any body is read: a stranger's post costs one header check.
			if !api.authorized(request.headers()) {
				return error(
					StatusCode::UNAUTHORIZED,
					"the job API needs the executor's token (Authorization: Bearer <token>; \
					 zerog-node --compute-executor-token-file)",
				);
			}
			let runner = &api.runner;
			match (&method, &segments[1..]) {
				(&Method::POST, []) => match read_body(request.into_body()).await {
					Ok(body) => crate::jobs::api::post_job(runner, &body),
					Err(response) => response,
				},
				(&Method::GET, [id]) => crate::jobs::api::get_job(runner, id),
				_ => error(StatusCode::METHOD_NOT_ALLOWED, "use POST /jobs or GET /jobs/{id}"),
			}
		},
		(_, ["v1", ..]) => {
			let Some(gateway) = &app.gateway else {
				return crate::gateway::proxy::openai_error(
					StatusCode::NOT_FOUND,
					"gateway_disabled",
					"this executor serves no inference (start it with --backend)",
				);
			};
			match (&method, &segments[1..]) {
				(&Method::POST, ["chat", "completions"]) | (&Method::POST, ["embeddings"]) => {
					// Headers first: a request that is not signed is refused before its body is
					// read.
					if let Err(refusal) =
						crate::gateway::auth::RequestHeaders::parse(request.headers())
					{
						return crate::gateway::proxy::refused(refusal);
					}
					let (parts, body) = request.into_parts();
					match read_body(body).await {
						Ok(body) =>
							crate::gateway::proxy::serve_inference(gateway, &path, &parts.headers, body).await,
						Err(response) => response,
					}
				},
				(&Method::GET, ["models"]) => crate::gateway::proxy::list_models(gateway).await,
				(&Method::POST, ["receipts"]) => match read_body(request.into_body()).await {
					Ok(body) => crate::gateway::proxy::countersign(gateway, &body).await,
					Err(response) => response,
				},
				_ => crate::gateway::proxy::openai_error(
					StatusCode::NOT_FOUND,
					"unknown_endpoint",
					&format!("{method} {path} is not served; use /v1/chat/completions, /v1/embeddings, /v1/models or /v1/receipts"),
				),
			}
		},
		_ => error(StatusCode::NOT_FOUND, &format!("no such endpoint: {method} {path}")),
	}
}

/// Reads a whole request body of at most [`MAX_BODY_BYTES`], within the server's body timeout.
async fn read_body(body: Incoming) -> Result<Bytes, HttpResponse> {
	use zerog_client::http_server::{read_body, BodyError};
	match read_body(body, MAX_BODY_BYTES).await {
		Ok(body) => Ok(body),
		Err(BodyError::TooLarge) => Err(error(
			StatusCode::PAYLOAD_TOO_LARGE,
			&format!("the request body is larger than {MAX_BODY_BYTES} bytes"),
		)),
		Err(BodyError::Read(reason)) => Err(error(
			StatusCode::BAD_REQUEST,
			&format!("the request body could not be read: {reason}"),
		)),
	}
}

/// A JSON response.
pub fn json(status: StatusCode, value: &serde_json::Value) -> HttpResponse {
	let mut response = Response::new(Full::new(Bytes::from(value.to_string())));
	*response.status_mut() = status;
	response
		.headers_mut()
		.insert(header::CONTENT_TYPE, header::HeaderValue::from_static("application/json"));
	response
}

/// A JSON error `{"error": message}`.
pub fn error(status: StatusCode, message: &str) -> HttpResponse {
	json(status, &serde_json::json!({ "error": message }))
}
