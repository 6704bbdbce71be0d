//! A small HTTP/1.1 client for a provider's gateway: POST a JSON body with headers, get the
//! status, the headers and the whole body back. `http://` and `https://` (rustls with the
//! system's root certificates) both work, since a public gateway sits behind TLS.

use crate::error::ClientError;
use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::{header, HeaderMap, StatusCode};
use hyper_util::{
	client::legacy::{connect::Connect, Client},
	rt::TokioExecutor,
};
use std::time::Duration;

/// Largest answer read: a long chat completion is far below this.
const MAX_ANSWER_BYTES: usize = 16 * 1024 * 1024;

/// An answer of the gateway.
#[derive(Debug)]
pub struct Answer {
	/// The HTTP status.
	pub status: StatusCode,
	/// The response headers.
	pub headers: HeaderMap,
	/// The whole body.
	pub body: Bytes,
}

impl Answer {
	/// The header `name` as text, if present and visible ASCII.
	pub fn header(&self, name: &str) -> Option<&str> {
		self.headers.get(name).and_then(|value| value.to_str().ok())
	}

	/// The OpenAI-style error message of a refusal (`{"error": {"message"}}` or
	/// `{"error": "..."}`), else the body as text.
	pub fn error_message(&self) -> String {
		let json: Option<serde_json::Value> = serde_json::from_slice(&self.body).ok();
		let message = json.as_ref().and_then(|json| {
			let error = json.get("error")?;
			error.get("message").and_then(|m| m.as_str()).or_else(|| error.as_str())
		});
		match message {
			Some(message) => message.to_owned(),
			None => String::from_utf8_lossy(&self.body).trim().to_owned(),
		}
	}
}

/// POSTs `body` (JSON) to `url` with `headers`, waiting at most `timeout` for the whole answer.
pub async fn post_json(
	url: &str,
	headers: &[(&str, String)],
	body: Bytes,
	timeout: Duration,
) -> Result<Answer, ClientError> {
	if url.starts_with("https://") {
		// Root certificates are only loaded when they are needed, so a machine without any can
		// still reach a gateway over plain HTTP.
		let connector = hyper_rustls::HttpsConnectorBuilder::new()
			.with_native_roots()
			.map_err(|error| {
				ClientError::Gateway(format!("cannot load the TLS root certificates: {error}"))
			})?
			.https_only()
			.enable_http1()
			.build();
		send(Client::builder(TokioExecutor::new()).build(connector), url, headers, body, timeout)
			.await
	} else {
		send(Client::builder(TokioExecutor::new()).build_http(), url, headers, body, timeout).await
	}
}

/// Sends the request through `client`.
async fn send<C: Connect + Clone + Send + Sync + 'static>(
	client: Client<C, Full<Bytes>>,
	url: &str,
	headers: &[(&str, String)],
	body: Bytes,
	timeout: Duration,
) -> Result<Answer, ClientError> {
	let mut request = hyper::Request::builder()
		.method("POST")
		.uri(url)
		.header(header::CONTENT_TYPE, "application/json")
		.header(header::ACCEPT, "application/json");
	for (name, value) in headers {
		request = request.header(*name, value.as_str());
	}
	let request = request
		.body(Full::new(body))
		.map_err(|error| ClientError::Input(format!("cannot build a request to {url}: {error}")))?;
	let unreachable =
		|reason: String| ClientError::Gateway(format!("the gateway at {url}: {reason}"));
	let exchange = async {
		let response = client.request(request).await.map_err(|error| {
			unreachable(format!(
				"no answer ({error}); is the provider's executor running? (On a development \
				 chain, start it with `zerog-executor --dev`.)"
			))
		})?;
		let status = response.status();
		let headers = response.headers().clone();
		let body = Limited::new(response.into_body(), MAX_ANSWER_BYTES)
			.collect()
			.await
			.map_err(|error| unreachable(format!("the answer could not be read: {error}")))?
			.to_bytes();
		Ok(Answer { status, headers, body })
	};
	tokio::time::timeout(timeout, exchange).await.map_err(|_| {
		ClientError::Timeout(format!(
			"the gateway at {url} did not answer within {}s",
			timeout.as_secs()
		))
	})?
}
