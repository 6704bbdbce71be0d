//! The gateway end to end over HTTP, against an in-process OpenAI-compatible backend and a chain
//! that settles receipts by the pallet's rules.

use super::{
	auth::*,
	proxy::{Backend, FEE_HEADER, INPUT_TOKENS_HEADER, OUTPUT_TOKENS_HEADER, RECEIPT_HEADER},
	receipts::{ReceiptState, ReceiptStore},
	settlement::settle_round,
	Gateway, GatewayConfig,
};
use crate::{
	chain::{ServiceKind, ServiceView, SubAccountView, Verifier},
	encoding::{format_account, keccak_256, scale_hex::decode_all, to_prefixed_hex},
	gateway::metering::{served_request_hash, Prices},
	receipt::InferenceReceipt,
	server::{self, App},
	testing::{http_request, provider, FakeChain},
};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::{service::service_fn, Response};
use hyper_util::rt::TokioIo;
use polkadot_sdk::{
	sp_core::{sr25519, Pair, H256},
	sp_runtime::AccountId32,
};
use serde_json::{json, Value};
use std::{
	convert::Infallible,
	net::SocketAddr,
	sync::{atomic::Ordering, Arc},
	time::Duration,
};

/// Prices of the test service: 2 per input token, 3 per output token.
const PRICES: Prices = Prices { input: 2, output: 3 };

/// An OpenAI-compatible backend: chat answers use 7 prompt and 5 completion tokens and report
/// the `max_tokens` they were asked for in `max_tokens_seen`, embeddings 4 prompt tokens; model
/// `broken` is refused with 400, model `unmetered` has no usage, model `greedy` ignores
/// `max_tokens` and answers with 500 completion tokens, model `long-prompt` counts 1000 prompt
/// tokens.
async fn fake_backend() -> SocketAddr {
	let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
	let address = listener.local_addr().unwrap();
	tokio::spawn(async move {
		loop {
			let Ok((stream, _)) = listener.accept().await else { continue };
			tokio::spawn(async move {
				let service = service_fn(
					|request: hyper::Request<hyper::body::Incoming>| async move {
						let path = request.uri().path().to_string();
						let body = request.into_body().collect().await.unwrap().to_bytes();
						let asked: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
						if asked["stream"] == true {
							// The usage chunk only when asked for, as OpenAI does.
							let completion = json!({
								"id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "m",
								"choices": [{"index": 0, "message": {"role": "assistant", "content": "hello"}, "finish_reason": "stop"}],
								"usage": {"prompt_tokens": 7, "completion_tokens": 5, "total_tokens": 12},
							});
							let usage = asked["stream_options"]["include_usage"] == true;
							let events = super::stream::completion_as_stream(&completion, usage);
							return Ok::<_, Infallible>(Response::new(Full::new(Bytes::from(
								events,
							))));
						}
						let (status, answer) = match (path.as_str(), asked["model"].as_str()) {
							(_, Some("broken")) => {
								(400, json!({"error": {"message": "no such model"}}))
							},
							(_, Some("unmetered")) => (200, json!({"choices": []})),
							(_, Some("greedy")) => (
								200,
								json!({
									"choices": [{"index": 0, "message": {"role": "assistant", "content": "a very long answer"}}],
									"usage": {"prompt_tokens": 7, "completion_tokens": 500},
								}),
							),
							(_, Some("long-prompt")) => (
								200,
								json!({
									"choices": [{"index": 0, "message": {"role": "assistant", "content": "ok"}}],
									"usage": {"prompt_tokens": 1000, "completion_tokens": 1},
								}),
							),
							("/v1/chat/completions", _) => (
								200,
								json!({
									"id": "chatcmpl-1",
									"object": "chat.completion",
									"choices": [{"index": 0, "message": {"role": "assistant", "content": "hello"}, "finish_reason": "stop"}],
									"usage": {"prompt_tokens": 7, "completion_tokens": 5, "total_tokens": 12},
									"max_tokens_seen": asked["max_tokens"],
								}),
							),
							("/v1/embeddings", _) => (
								200,
								json!({
									"object": "list",
									"data": [{"object": "embedding", "index": 0, "embedding": [0.5, 0.25]}],
									"usage": {"prompt_tokens": 4, "total_tokens": 4},
								}),
							),
							("/v1/models", _) => {
								(200, json!({"object": "list", "data": [{"id": "m"}]}))
							},
							_ => (404, json!({"error": "not found"})),
						};
						let mut response =
							Response::new(Full::new(Bytes::from(answer.to_string())));
						*response.status_mut() = hyper::StatusCode::from_u16(status).unwrap();
						Ok::<_, Infallible>(response)
					},
				);
				let _ = hyper::server::conn::http1::Builder::new()
					.serve_connection(TokioIo::new(stream), service)
					.await;
			});
		}
	});
	address
}

/// A running gateway and what it runs on.
struct Setup {
	address: SocketAddr,
	chain: Arc<FakeChain>,
	gateway: Arc<Gateway>,
	_dir: tempfile::TempDir,
}

async fn setup(grace: Duration) -> Setup {
	let dir = tempfile::tempdir().unwrap();
	let chain = Arc::new(FakeChain::default());
	chain.services.lock().unwrap().insert(
		0,
		ServiceView {
			provider: provider(),
			kind: ServiceKind::Inference,
			prices: PRICES,
			verifier: Verifier::User,
		},
	);
	let backend = fake_backend().await;
	let gateway = Gateway::new(
		chain.clone(),
		ReceiptStore::open(dir.path()).unwrap(),
		Backend::new(&format!("http://{backend}/v1"), None, Duration::from_secs(10)).unwrap(),
		GatewayConfig {
			countersign_grace: grace,
			settle_interval: Duration::from_secs(3600),
			batch_size: 0,
		},
	);
	let app = Arc::new(App { jobs: None, gateway: Some(gateway.clone()) });
	let (address, _server) = server::spawn("127.0.0.1:0".parse().unwrap(), app).await.unwrap();
	Setup { address, chain, gateway, _dir: dir }
}

fn alice() -> sr25519::Pair {
	sr25519::Pair::from_seed(&[1; 32])
}

fn account(pair: &sr25519::Pair) -> AccountId32 {
	pair.public().into()
}

/// Headers of a request of `pair` with `body`: 100 input and 100 output tokens claimed.
fn signed_headers(
	pair: &sr25519::Pair,
	body: &[u8],
	nonce: u64,
	max_fee: u128,
) -> Vec<(String, String)> {
	let cap = InferenceReceipt {
		user: account(pair),
		provider: provider(),
		service: 0,
		nonce,
		input_tokens: 100,
		output_tokens: 100,
		fee: max_fee,
		request_hash: H256(keccak_256(body)),
	};
	let signature = pair.sign(&cap.signing_payload(crate::testing::genesis_hash()));
	vec![
		(ACCOUNT_HEADER.into(), format_account(&cap.user)),
		(SERVICE_HEADER.into(), "0".into()),
		(NONCE_HEADER.into(), nonce.to_string()),
		(MAX_FEE_HEADER.into(), max_fee.to_string()),
		(MAX_INPUT_TOKENS_HEADER.into(), "100".into()),
		(MAX_OUTPUT_TOKENS_HEADER.into(), "100".into()),
		(SIGNATURE_HEADER.into(), to_prefixed_hex(&signature.0)),
	]
}

/// Posts a chat request of `pair` with `body`, signed for `nonce` and `max_fee`.
async fn post_chat(
	setup: &Setup,
	pair: &sr25519::Pair,
	body: &[u8],
	nonce: u64,
	max_fee: u128,
) -> (u16, hyper::HeaderMap, String) {
	let headers = signed_headers(pair, body, nonce, max_fee);
	http_request(setup.address, "POST", "/v1/chat/completions", &headers, body).await
}

/// `pair` countersigns `metered` with `POST /v1/receipts`, which must accept it.
async fn countersign(setup: &Setup, pair: &sr25519::Pair, metered: &InferenceReceipt) {
	let signature = pair.sign(&metered.signing_payload(crate::testing::genesis_hash()));
	let countersignature = json!({
		"account": format_account(&account(pair)),
		"nonce": metered.nonce,
		"signature": to_prefixed_hex(&signature.0),
	});
	let (status, _, answer) = http_request(
		setup.address,
		"POST",
		"/v1/receipts",
		&[],
		countersignature.to_string().as_bytes(),
	)
	.await;
	assert_eq!(status, 200, "{answer}");
}

fn chat_body(model: &str) -> Vec<u8> {
	json!({"model": model, "messages": [{"role": "user", "content": "hi"}]})
		.to_string()
		.into_bytes()
}

fn fund(chain: &FakeChain, user: &AccountId32, balance: u128) {
	chain
		.sub_accounts
		.lock()
		.unwrap()
		.insert(user.clone(), SubAccountView { balance, last_nonce: 0, refund_pending: false });
}

#[tokio::test]
async fn a_served_request_is_metered_countersigned_and_settled() {
	let setup = setup(Duration::from_secs(600)).await;
	fund(&setup.chain, &account(&alice()), 1_000);
	let body = chat_body("m");

	let (status, headers, answer) = http_request(
		setup.address,
		"POST",
		"/v1/chat/completions",
		&signed_headers(&alice(), &body, 1, 400),
		&body,
	)
	.await;
	assert_eq!(status, 200, "{answer}");
	let answer_json: Value = serde_json::from_str(&answer).unwrap();
	assert_eq!(answer_json["choices"][0]["message"]["content"], "hello");
	// 7 × 2 + 5 × 3 = 29, below the max fee of 400.
	assert_eq!(headers[FEE_HEADER], "29");
	assert_eq!(headers[INPUT_TOKENS_HEADER], "7");
	assert_eq!(headers[OUTPUT_TOKENS_HEADER], "5");
	let metered: InferenceReceipt = decode_all(headers[RECEIPT_HEADER].to_str().unwrap()).unwrap();
	assert_eq!(metered.fee, 29);
	assert_eq!(metered.nonce, 1);
	assert_eq!(metered.request_hash, served_request_hash(&body, answer.as_bytes()));

	// The user countersigns the metered receipt it was handed.
	countersign(&setup, &alice(), &metered).await;

	let report = settle_round(&setup.gateway).await.unwrap();
	assert_eq!((report.submitted, report.settled), (1, 1));
	assert_eq!(
		setup.chain.sub(&account(&alice())),
		SubAccountView { balance: 971, last_nonce: 1, refund_pending: false }
	);
	let record = setup.gateway.receipts().get(&account(&alice()), 1).unwrap();
	assert_eq!(record.state, ReceiptState::Final { outcome: "Settled".into() });
	// Settled receipts are never sent again.
	assert_eq!(settle_round(&setup.gateway).await.unwrap().submitted, 0);
	assert_eq!(setup.chain.settled.lock().unwrap().len(), 1);
}

/// Issue 15: a streamed chat completion is metered from its usage chunk (which the gateway
/// asks the backend for) and settled like any other; the client gets the events.
#[tokio::test]
async fn a_streamed_chat_is_metered_from_its_usage_chunk_and_settled() {
	let setup = setup(Duration::ZERO).await;
	fund(&setup.chain, &account(&alice()), 1_000);
	let body =
		json!({"model": "m", "stream": true, "messages": [{"role": "user", "content": "hi"}]})
			.to_string()
			.into_bytes();
	let (status, headers, answer) = post_chat(&setup, &alice(), &body, 1, 400).await;
	assert_eq!(status, 200, "{answer}");
	assert_eq!(headers[hyper::header::CONTENT_TYPE], "text/event-stream");
	let events = super::stream::data_events(answer.as_bytes());
	assert!(events.len() >= 3, "{answer}");
	assert!(answer.trim_end().ends_with("data: [DONE]"), "{answer}");
	assert_eq!(headers[FEE_HEADER], "29", "7 × 2 + 5 × 3, as unstreamed");
	let metered: InferenceReceipt = decode_all(headers[RECEIPT_HEADER].to_str().unwrap()).unwrap();
	assert_eq!((metered.input_tokens, metered.output_tokens, metered.fee), (7, 5, 29));
	assert_eq!(metered.request_hash, served_request_hash(&body, answer.as_bytes()));
	countersign(&setup, &alice(), &metered).await;
	assert_eq!(settle_round(&setup.gateway).await.unwrap().settled, 1);
	assert_eq!(setup.chain.sub(&account(&alice())).balance, 971);

	// Embeddings are not streamed.
	let embedding = json!({"model": "m", "stream": true, "input": "x"}).to_string().into_bytes();
	let (status, _, answer) = http_request(
		setup.address,
		"POST",
		"/v1/embeddings",
		&signed_headers(&alice(), &embedding, 2, 300),
		&embedding,
	)
	.await;
	assert_eq!(status, 400, "{answer}");
	assert!(answer.contains("streaming_unsupported"), "{answer}");
}

/// Issue 15: an unsigned request is refused from its headers, before its body is read (a body
/// above the size limit would otherwise be answered 413).
#[tokio::test]
async fn an_unsigned_request_is_refused_before_its_body_is_read() {
	let setup = setup(Duration::ZERO).await;
	let huge = vec![b'x'; crate::server::MAX_BODY_BYTES + 1024];
	let (status, _, answer) =
		http_request(setup.address, "POST", "/v1/chat/completions", &[], &huge).await;
	assert_eq!(status, 401, "{answer}");
	assert!(answer.contains("missing_header"), "{answer}");
}

/// Issue 15: strangers choose the service ids they ask for; the cache stays bounded.
#[tokio::test]
async fn the_service_cache_is_bounded() {
	let setup = setup(Duration::ZERO).await;
	for id in 0..(super::MAX_CACHED_SERVICES as u64 + 100) {
		let _ = setup.gateway.service(id).await;
	}
	assert!(setup.gateway.cached_services() <= super::MAX_CACHED_SERVICES);
	// The real service is still found.
	assert!(setup.gateway.service(0).await.unwrap().is_some());
}

#[tokio::test]
async fn without_countersignature_the_cap_receipt_settles_after_the_grace_period() {
	let setup = setup(Duration::ZERO).await;
	fund(&setup.chain, &account(&alice()), 1_000);
	let body = json!({"model": "m", "input": "text"}).to_string().into_bytes();
	let (status, headers, answer) = http_request(
		setup.address,
		"POST",
		"/v1/embeddings",
		&signed_headers(&alice(), &body, 1, 300),
		&body,
	)
	.await;
	assert_eq!(status, 200, "{answer}");
	assert_eq!(headers[FEE_HEADER], "8", "4 input tokens at 2");
	assert_eq!(headers[OUTPUT_TOKENS_HEADER], "0");

	let report = settle_round(&setup.gateway).await.unwrap();
	assert_eq!(report.settled, 1);
	// The cap receipt the user signed in its headers: the max fee.
	assert_eq!(setup.chain.sub(&account(&alice())).balance, 700);
}

#[tokio::test]
async fn refused_requests_say_why_and_cost_nothing() {
	let setup = setup(Duration::ZERO).await;
	let body = chat_body("m");
	let user = account(&alice());

	// No funds.
	let (status, _, answer) = http_request(
		setup.address,
		"POST",
		"/v1/chat/completions",
		&signed_headers(&alice(), &body, 1, 400),
		&body,
	)
	.await;
	assert_eq!(status, 402, "{answer}");
	assert!(answer.contains("insufficient_funds"), "{answer}");
	fund(&setup.chain, &user, 500);

	// Signed for another body.
	let headers = signed_headers(&alice(), b"{}", 1, 400);
	let (status, _, answer) =
		http_request(setup.address, "POST", "/v1/chat/completions", &headers, &body).await;
	assert_eq!(status, 401, "{answer}");
	assert!(answer.contains("bad_signature"));

	// A max fee above the price of the claimed tokens (100 × 2 + 100 × 3 = 500).
	let headers = signed_headers(&alice(), &body, 1, 501);
	let (status, _, answer) =
		http_request(setup.address, "POST", "/v1/chat/completions", &headers, &body).await;
	assert_eq!(status, 400, "{answer}");
	assert!(answer.contains("fee_above_price"));

	// Missing header.
	let mut headers = signed_headers(&alice(), &body, 1, 400);
	headers.retain(|(name, _)| name != NONCE_HEADER);
	let (status, _, answer) =
		http_request(setup.address, "POST", "/v1/chat/completions", &headers, &body).await;
	assert_eq!(status, 401, "{answer}");
	assert!(answer.contains(NONCE_HEADER));

	// The backend refuses: its error passes through, the fee is 0, the nonce is used up.
	let broken = chat_body("broken");
	let headers = signed_headers(&alice(), &broken, 1, 400);
	let (status, response_headers, answer) =
		http_request(setup.address, "POST", "/v1/chat/completions", &headers, &broken).await;
	assert_eq!(status, 400, "{answer}");
	assert!(answer.contains("no such model"));
	assert_eq!(response_headers[FEE_HEADER], "0");
	assert!(matches!(
		setup.gateway.receipts().get(&user, 1).unwrap().state,
		ReceiptState::Void { .. }
	));

	// The nonce 1 was used: a replay is refused.
	let headers = signed_headers(&alice(), &body, 1, 400);
	let (status, _, answer) =
		http_request(setup.address, "POST", "/v1/chat/completions", &headers, &body).await;
	assert_eq!(status, 409, "{answer}");
	assert!(answer.contains("stale_nonce"));

	// A backend answer without usage cannot be billed and is not passed on.
	let unmetered = chat_body("unmetered");
	let headers = signed_headers(&alice(), &unmetered, 2, 400);
	let (status, _, answer) =
		http_request(setup.address, "POST", "/v1/chat/completions", &headers, &unmetered).await;
	assert_eq!(status, 502, "{answer}");

	// An unknown service.
	let mut headers = signed_headers(&alice(), &body, 3, 400);
	for (name, value) in headers.iter_mut() {
		if name == SERVICE_HEADER {
			*value = "7".into();
		}
	}
	let (status, _, _) =
		http_request(setup.address, "POST", "/v1/chat/completions", &headers, &body).await;
	assert_eq!(status, 404);

	assert_eq!(settle_round(&setup.gateway).await.unwrap().submitted, 0);
	assert_eq!(setup.chain.sub(&user).balance, 500);
}

#[tokio::test]
async fn receipts_survive_a_failed_settlement_and_are_not_paid_twice() {
	let setup = setup(Duration::ZERO).await;
	let user = account(&alice());
	fund(&setup.chain, &user, 1_000);
	for nonce in 1..=3 {
		let body = chat_body("m");
		let (status, _, answer) = http_request(
			setup.address,
			"POST",
			"/v1/chat/completions",
			&signed_headers(&alice(), &body, nonce, 300),
			&body,
		)
		.await;
		assert_eq!(status, 200, "{answer}");
	}
	setup.chain.offline.store(true, Ordering::SeqCst);
	assert!(settle_round(&setup.gateway).await.is_err());
	assert_eq!(setup.gateway.receipts().submitted().len(), 3);

	// Meanwhile the chain settled nonce 1 (say the transaction landed after all).
	setup.chain.sub_accounts.lock().unwrap().insert(
		user.clone(),
		SubAccountView { balance: 900, last_nonce: 1, refund_pending: false },
	);
	setup.chain.offline.store(false, Ordering::SeqCst);
	let report = settle_round(&setup.gateway).await.unwrap();
	assert_eq!(report.settled, 2);
	assert_eq!(
		setup.chain.sub(&user),
		SubAccountView { balance: 300, last_nonce: 3, refund_pending: false }
	);
	let first = setup.gateway.receipts().get(&user, 1).unwrap();
	assert_eq!(first.state, ReceiptState::Final { outcome: "NonceConsumed".into() });
}

#[tokio::test]
async fn models_are_listed_for_free_and_bad_countersignatures_are_refused() {
	let setup = setup(Duration::from_secs(600)).await;
	let (status, _, answer) = http_request(setup.address, "GET", "/v1/models", &[], b"").await;
	assert_eq!(status, 200, "{answer}");
	assert!(answer.contains("\"m\""));

	fund(&setup.chain, &account(&alice()), 1_000);
	let body = chat_body("m");
	let (_, headers, _) = http_request(
		setup.address,
		"POST",
		"/v1/chat/completions",
		&signed_headers(&alice(), &body, 1, 400),
		&body,
	)
	.await;
	let mut metered: InferenceReceipt =
		decode_all(headers[RECEIPT_HEADER].to_str().unwrap()).unwrap();
	metered.fee = 1;
	let countersignature = json!({
		"account": format_account(&account(&alice())),
		"nonce": 1,
		"signature": to_prefixed_hex(&alice().sign(&metered.signing_payload(crate::testing::genesis_hash())).0),
	});
	let (status, _, answer) = http_request(
		setup.address,
		"POST",
		"/v1/receipts",
		&[],
		countersignature.to_string().as_bytes(),
	)
	.await;
	assert_eq!(status, 401, "{answer}");
	let (status, _, _) = http_request(setup.address, "POST", "/v1/receipts", &[], b"{}").await;
	assert_eq!(status, 400);
}

/// Issue 15's attack: a fresh key asks with `X-ZeroG-Max-Fee: 0` (or without funds) and would
/// be served for nothing. Both are refused before the backend is asked, each with its reason.
#[tokio::test]
async fn a_zero_max_fee_or_an_unfunded_key_is_refused_before_the_backend() {
	let setup = setup(Duration::ZERO).await;
	let body = chat_body("m");
	let stranger = sr25519::Pair::from_seed(&[42; 32]);

	let (status, _, answer) = post_chat(&setup, &stranger, &body, 1, 0).await;
	assert_eq!(status, 400, "{answer}");
	assert!(answer.contains("max_fee_below_caps"), "{answer}");
	// 100 input tokens at 2 and one output token at 3.
	assert!(answer.contains("(203)"), "{answer}");

	let (status, _, answer) = post_chat(&setup, &stranger, &body, 2, 400).await;
	assert_eq!(status, 402, "{answer}");
	assert!(answer.contains("insufficient_funds"), "{answer}");
	assert!(setup.gateway.receipts().get(&account(&stranger), 2).is_none());
	assert_eq!(settle_round(&setup.gateway).await.unwrap().submitted, 0);
}

/// The backend is asked for at most the output tokens the max fee pays for, and an answer that
/// goes beyond the caps anyway is withheld and not billed: the user gets nothing it did not pay
/// for, and pays nothing for what it did not get.
#[tokio::test]
async fn the_backend_is_held_to_the_paid_caps() {
	let setup = setup(Duration::ZERO).await;
	let user = account(&alice());
	fund(&setup.chain, &user, 10_000);

	// 400 pays for the 100 input tokens (200) and 66 output tokens (198).
	let (status, _, answer) = post_chat(&setup, &alice(), &chat_body("m"), 1, 400).await;
	assert_eq!(status, 200, "{answer}");
	assert_eq!(serde_json::from_str::<Value>(&answer).unwrap()["max_tokens_seen"], 66);
	// A smaller max_tokens of the client is kept.
	let body = json!({"model": "m", "messages": [], "max_tokens": 10}).to_string().into_bytes();
	let (status, _, answer) = post_chat(&setup, &alice(), &body, 2, 400).await;
	assert_eq!(status, 200, "{answer}");
	assert_eq!(serde_json::from_str::<Value>(&answer).unwrap()["max_tokens_seen"], 10);

	for (nonce, model) in [(3, "greedy"), (4, "long-prompt")] {
		let (status, headers, answer) =
			post_chat(&setup, &alice(), &chat_body(model), nonce, 400).await;
		assert_eq!(status, 502, "{model}: {answer}");
		assert!(answer.contains("answer_beyond_caps"), "{answer}");
		assert!(!answer.contains("a very long answer"), "the answer must not leak: {answer}");
		assert!(headers.get(FEE_HEADER).is_none());
		assert!(matches!(
			setup.gateway.receipts().get(&user, nonce).unwrap().state,
			ReceiptState::Void { .. }
		));
	}
	// Only the two served requests are paid, each at its cap (nobody countersigned).
	let report = settle_round(&setup.gateway).await.unwrap();
	assert_eq!((report.submitted, report.settled), (2, 2));
	assert_eq!(setup.chain.sub(&user).balance, 10_000 - 800);
}

/// Issue 15's attack: a user is served, never countersigns, asks for a refund and claims it
/// before the cap receipt settles. The gateway stops serving a user with a refund pending and
/// settles what it owes at once, and refuses to run with a grace period that outlasts the
/// refund lock.
#[tokio::test]
async fn a_refund_request_during_service_cannot_escape_settlement() {
	let setup = setup(Duration::from_secs(500)).await;
	let user = account(&alice());
	fund(&setup.chain, &user, 1_000);
	let body = chat_body("m");
	let (status, _, answer) = post_chat(&setup, &alice(), &body, 1, 400).await;
	assert_eq!(status, 200, "{answer}");
	// Within the grace period nothing is ready.
	assert_eq!(settle_round(&setup.gateway).await.unwrap().submitted, 0);

	// The user asks for a refund of what is left in the sub-account.
	setup.chain.sub_accounts.lock().unwrap().get_mut(&user).unwrap().refund_pending = true;
	let (status, _, answer) = post_chat(&setup, &alice(), &body, 2, 400).await;
	assert_eq!(status, 403, "{answer}");
	assert!(answer.contains("refund_pending"), "{answer}");
	// The uncountersigned request settles now, with its cap receipt, while the refund is locked.
	let report = settle_round(&setup.gateway).await.unwrap();
	assert_eq!((report.submitted, report.settled), (1, 1));
	assert_eq!(setup.chain.sub(&user).balance, 600);

	// The grace period, a settle round and a minute to finalize must fit in the refund lock.
	let config = |grace, interval| GatewayConfig {
		countersign_grace: Duration::from_secs(grace),
		settle_interval: Duration::from_secs(interval),
		batch_size: 0,
	};
	let error = config(600, 30).check_refund_lock(300).unwrap_err();
	assert!(error.contains("refund lock (600 s)"), "{error}");
	assert!(config(500, 30).check_refund_lock(300).is_ok());
	assert!(config(120, 30).check_refund_lock(300).is_ok(), "the defaults fit");
}
