//! The gateway's HTTP endpoints and the client that forwards requests to the OpenAI-compatible
//! backend.
//!
//! The backend is reached over plain HTTP/1.1 (hyper's pooled client): it is meant to run on
//! loopback or a private network next to the executor. Streamed chat completions (`"stream":
//! true`) are metered from the usage chunk the backend adds at the end, and sent once complete
//! (see [`crate::gateway::stream`]).

use crate::{
	encoding::{parse_account, to_prefixed_hex},
	gateway::{
		auth::{servable_prices, verify_cap_receipt, AuthError, RequestHeaders},
		metering::{clamp_output_tokens, served_request_hash, Usage},
		receipts::CountersignError,
		stream::{ask_for_usage, usage_of_stream, wants_stream},
		Gateway,
	},
	receipt::InferenceReceipt,
	server::{json, HttpResponse},
};
use bytes::Bytes;
use codec::Encode;
use http_body_util::{BodyExt, Full};
use hyper::{header, HeaderMap, Response, StatusCode, Uri};
use hyper_util::{
	client::legacy::{connect::HttpConnector, Client},
	rt::TokioExecutor,
};
use serde_json::Value;
use std::time::Duration;

/// The fee charged for the request (decimal).
pub const FEE_HEADER: &str = "x-zerog-fee";
/// The request's nonce.
pub const NONCE_HEADER: &str = "x-zerog-nonce";
/// Input tokens metered.
pub const INPUT_TOKENS_HEADER: &str = "x-zerog-input-tokens";
/// Output tokens metered.
pub const OUTPUT_TOKENS_HEADER: &str = "x-zerog-output-tokens";
/// `0x` hex of the SCALE-encoded metered receipt, for the user to countersign.
pub const RECEIPT_HEADER: &str = "x-zerog-receipt";

/// Largest backend answer read.
const MAX_ANSWER_BYTES: usize = 64 * 1024 * 1024;

/// The OpenAI-compatible server the gateway forwards to.
pub struct Backend {
	client: Client<HttpConnector, Full<Bytes>>,
	base: String,
	api_key: Option<String>,
	timeout: Duration,
}

impl Backend {
	/// A backend at `base` (`http://host:port`, optionally ending in `/v1`), sending
	/// `Authorization: Bearer api_key` when given.
	pub fn new(base: &str, api_key: Option<String>, timeout: Duration) -> Result<Self, String> {
		let base = base.trim_end_matches('/');
		let base = base.strip_suffix("/v1").unwrap_or(base).to_string();
		let uri: Uri = base.parse().map_err(|error| format!("backend URL `{base}`: {error}"))?;
		if uri.scheme_str() != Some("http") {
			return Err(format!(
				"backend URL `{base}` must be http:// (the backend runs next to the executor)"
			));
		}
		// No Nagle delay: a request written as headers then body would otherwise wait for the
		// backend's delayed ACK (40 ms) on every call.
		let mut connector = HttpConnector::new();
		connector.set_nodelay(true);
		let client = Client::builder(TokioExecutor::new()).build(connector);
		Ok(Self { client, base, api_key, timeout })
	}

	/// Sends `method path` with `body`; returns the answer's status and whole body (all the
	/// events of a `streamed` answer).
	pub async fn call(
		&self,
		method: &str,
		path: &str,
		body: Bytes,
		streamed: bool,
	) -> Result<(StatusCode, Bytes), String> {
		let accept = if streamed { "text/event-stream" } else { "application/json" };
		let mut request = hyper::Request::builder()
			.method(method)
			.uri(format!("{}{path}", self.base))
			.header(header::CONTENT_TYPE, "application/json")
			.header(header::ACCEPT, accept);
		if let Some(key) = &self.api_key {
			request = request.header(header::AUTHORIZATION, format!("Bearer {key}"));
		}
		let request = request.body(Full::new(body)).map_err(|error| error.to_string())?;
		let exchange = async {
			let response = self
				.client
				.request(request)
				.await
				.map_err(|error| format!("backend unreachable: {error}"))?;
			let status = response.status();
			let body = http_body_util::Limited::new(response.into_body(), MAX_ANSWER_BYTES)
				.collect()
				.await
				.map_err(|error| format!("backend answer unreadable: {error}"))?
				.to_bytes();
			Ok((status, body))
		};
		tokio::time::timeout(self.timeout, exchange)
			.await
			.map_err(|_| format!("backend did not answer within {}s", self.timeout.as_secs()))?
	}
}

/// An error in the OpenAI shape: `{"error": {"message", "type", "code"}}`.
pub fn openai_error(status: StatusCode, code: &str, message: &str) -> HttpResponse {
	let kind = if status.is_server_error() { "server_error" } else { "invalid_request_error" };
	json(status, &serde_json::json!({"error": {"message": message, "type": kind, "code": code}}))
}

/// The answer to a refused request.
pub fn refused(error: AuthError) -> HttpResponse {
	openai_error(error.status(), error.code(), &error.to_string())
}

/// `POST /v1/chat/completions` and `POST /v1/embeddings`: check the signed headers and the
/// user's funds, record the cap receipt, forward to the backend, meter the answer and return it
/// with the metered receipt in the headers.
pub async fn serve_inference(
	gateway: &Gateway,
	path: &str,
	headers: &HeaderMap,
	body: Bytes,
) -> HttpResponse {
	let request = match RequestHeaders::parse(headers) {
		Ok(request) => request,
		Err(error) => return refused(error),
	};
	let mut forwarded = match serde_json::from_slice::<Value>(&body) {
		Ok(Value::Object(json)) if wants_stream(&json) && path == "/v1/embeddings" => {
			return openai_error(
				StatusCode::BAD_REQUEST,
				"streaming_unsupported",
				"embeddings are not streamed; send \"stream\": false",
			)
		},
		Ok(Value::Object(json)) => json,
		_ => {
			return openai_error(
				StatusCode::BAD_REQUEST,
				"invalid_json",
				"the request body is not a JSON object",
			)
		},
	};

	let provider = gateway.chain.account();
	let service = match gateway.service(request.service).await {
		Ok(Some(service)) => service,
		Ok(None) => return refused(AuthError::UnknownService(request.service)),
		Err(error) => return refused(AuthError::ChainUnavailable(error.to_string())),
	};
	let prices = match servable_prices(request.service, &service, &provider) {
		Ok(prices) => prices,
		Err(error) => return refused(error),
	};
	let cap = request.cap_receipt(&provider, &body);
	let signed = match verify_cap_receipt(cap, &request.signature, &prices, &gateway.genesis_hash) {
		Ok(signed) => signed,
		Err(error) => return refused(error),
	};
	// Only what the max fee pays for is served: the input cap, and as many output tokens as
	// the rest buys (at least one where the endpoint answers with text).
	let answers_with_text = path != "/v1/embeddings";
	let output_limit = match prices.output_tokens_paid(
		request.max_fee,
		request.max_input_tokens,
		request.max_output_tokens,
	) {
		Some(limit) if limit > 0 || !answers_with_text => limit,
		_ => {
			let needed = prices.price(request.max_input_tokens, u64::from(answers_with_text));
			return refused(AuthError::MaxFeeBelowCaps { max_fee: request.max_fee, needed });
		},
	};
	let sub_account = match gateway.chain.sub_account(&request.user).await {
		Ok(sub_account) => sub_account,
		Err(error) => return refused(AuthError::ChainUnavailable(error.to_string())),
	};
	if sub_account.refund_pending {
		// The user is taking its funds back: settle what it owes while the refund is still
		// locked (and can still pay the provider), and serve nothing more.
		match gateway.receipts.settle_now(&request.user) {
			Ok(0) => {},
			Ok(_) => gateway.wake_settlement(),
			Err(error) => log::error!("receipts of a refunding user not expedited: {error}"),
		}
		return refused(AuthError::RefundPending);
	}
	if answers_with_text {
		clamp_output_tokens(&mut forwarded, output_limit);
	}
	let streamed = wants_stream(&forwarded);
	if streamed {
		ask_for_usage(&mut forwarded);
	}
	let forwarded = Bytes::from(Value::Object(forwarded).to_string());
	if let Err(error) = gateway.receipts.admit(signed.clone(), sub_account) {
		return refused(error);
	}

	let (user, nonce) = (request.user.clone(), request.nonce);
	let void = |reason: &str| {
		if let Err(error) = gateway.receipts.void(&user, nonce, reason) {
			log::error!("receipt {nonce} could not be voided: {error}");
		}
	};
	let (status, answer) = match gateway.backend.call("POST", path, forwarded, streamed).await {
		Ok(exchange) => exchange,
		Err(reason) => {
			void(&reason);
			return openai_error(StatusCode::BAD_GATEWAY, "backend_unavailable", &reason);
		},
	};
	if !status.is_success() {
		// The backend refused (bad model name, context too long...): nothing is billed and its
		// own error reaches the user.
		void(&format!("backend answered {status}"));
		return with_fee_headers(raw(status, answer), 0, nonce, None);
	}
	let metered_usage = if streamed {
		usage_of_stream(&answer)
	} else {
		serde_json::from_slice::<Value>(&answer)
			.map_err(|error| format!("the backend's answer is not JSON: {error}"))
			.and_then(|answer| Usage::from_answer(&answer))
	};
	let usage = match metered_usage {
		Ok(usage) => usage,
		Err(reason) => {
			void(&reason);
			return openai_error(StatusCode::BAD_GATEWAY, "backend_unmetered", &reason);
		},
	};
	if usage.input_tokens > request.max_input_tokens || usage.output_tokens > output_limit {
		// Serving it would give away what the user did not pay for.
		void("the backend's answer went beyond the paid caps");
		return openai_error(
			StatusCode::BAD_GATEWAY,
			"answer_beyond_caps",
			&format!(
				"the backend used {} input and {} output tokens, beyond what this request paid \
				 for ({} input, {output_limit} output); the answer is withheld and nothing is \
				 billed (raise {} if the prompt is longer)",
				usage.input_tokens,
				usage.output_tokens,
				request.max_input_tokens,
				crate::gateway::auth::MAX_INPUT_TOKENS_HEADER,
			),
		);
	}
	let fee = usage.fee(&prices, request.max_fee);
	let metered = InferenceReceipt {
		input_tokens: usage.input_tokens,
		output_tokens: usage.output_tokens,
		fee,
		request_hash: served_request_hash(&body, &answer),
		..signed.receipt
	};
	if let Err(error) = gateway.receipts.serve(&user, nonce, metered.clone()) {
		// The answer is not released unless its receipt is on disk.
		return openai_error(
			StatusCode::INTERNAL_SERVER_ERROR,
			"receipt_storage_failed",
			&format!("the receipt could not be stored: {error}"),
		);
	}
	log::debug!(
		"served nonce {nonce}: {} in, {} out, fee {fee}",
		usage.input_tokens,
		usage.output_tokens
	);
	gateway.note_ready_receipt();
	let mut response = raw(status, answer);
	if streamed {
		response
			.headers_mut()
			.insert(header::CONTENT_TYPE, header::HeaderValue::from_static("text/event-stream"));
	}
	with_fee_headers(response, fee, nonce, Some(&metered))
}

/// `POST /v1/receipts` with `{"account", "nonce", "signature"}`: the user's signature over the
/// metered receipt of an earlier request, which then settles instead of its cap receipt.
pub async fn countersign(gateway: &Gateway, body: &[u8]) -> HttpResponse {
	let parsed =
		serde_json::from_slice::<Value>(body).map_err(|error| error.to_string()).and_then(|json| {
			let account = json["account"].as_str().ok_or("no `account`")?;
			let nonce = json["nonce"].as_u64().ok_or("no integer `nonce`")?;
			let signature = json["signature"].as_str().ok_or("no `signature`")?;
			let signature = crate::encoding::decode_hex(signature)
				.map_err(|error| format!("`signature`: {error}"))?;
			Ok((parse_account(account)?, nonce, signature))
		});
	let (user, nonce, signature) = match parsed {
		Ok(parsed) => parsed,
		Err(reason) => {
			return openai_error(StatusCode::BAD_REQUEST, "invalid_countersignature", &reason)
		},
	};
	match gateway.receipts.countersign(&user, nonce, &signature, &gateway.genesis_hash) {
		Ok(metered) => {
			gateway.note_ready_receipt();
			json(
				StatusCode::OK,
				&serde_json::json!({"nonce": nonce, "fee": metered.fee.to_string(), "accepted": true}),
			)
		},
		Err(error) => {
			let status = match error {
				CountersignError::Unknown => StatusCode::NOT_FOUND,
				CountersignError::NotServed(_) => StatusCode::CONFLICT,
				CountersignError::BadSignature => StatusCode::UNAUTHORIZED,
				CountersignError::Storage(_) => StatusCode::INTERNAL_SERVER_ERROR,
			};
			openai_error(status, "countersignature_refused", &error.to_string())
		},
	}
}

/// `GET /v1/models`: the backend's model list, free of charge.
pub async fn list_models(gateway: &Gateway) -> HttpResponse {
	match gateway.backend.call("GET", "/v1/models", Bytes::new(), false).await {
		Ok((status, answer)) => raw(status, answer),
		Err(reason) => openai_error(StatusCode::BAD_GATEWAY, "backend_unavailable", &reason),
	}
}

/// The backend's answer, passed through as JSON.
fn raw(status: StatusCode, body: Bytes) -> HttpResponse {
	let mut response = Response::new(Full::new(body));
	*response.status_mut() = status;
	response
		.headers_mut()
		.insert(header::CONTENT_TYPE, header::HeaderValue::from_static("application/json"));
	response
}

/// Adds the billing headers: the fee, the nonce and, for a served request, the metered token
/// counts and receipt.
fn with_fee_headers(
	mut response: HttpResponse,
	fee: u128,
	nonce: u64,
	metered: Option<&InferenceReceipt>,
) -> HttpResponse {
	let headers = response.headers_mut();
	let mut set = |name: &'static str, value: String| {
		if let Ok(value) = header::HeaderValue::from_str(&value) {
			headers.insert(name, value);
		}
	};
	set(FEE_HEADER, fee.to_string());
	set(NONCE_HEADER, nonce.to_string());
	if let Some(metered) = metered {
		set(INPUT_TOKENS_HEADER, metered.input_tokens.to_string());
		set(OUTPUT_TOKENS_HEADER, metered.output_tokens.to_string());
		set(RECEIPT_HEADER, to_prefixed_hex(&metered.encode()));
	}
	response
}
