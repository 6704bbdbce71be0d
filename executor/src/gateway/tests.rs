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
use codec::Encode;
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

/// An OpenAI-compatible backend: chat answers use 7 prompt and 5 completion tokens, embeddings
/// 4 prompt tokens; model `broken` is refused with 400, model `unmetered` has no usage.
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
						let (status, answer) = match (path.as_str(), asked["model"].as_str()) {
							(_, Some("broken")) => {
								(400, json!({"error": {"message": "no such model"}}))
							},
							(_, Some("unmetered")) => (200, json!({"choices": []})),
							("/v1/chat/completions", _) => (
								200,
								json!({
									"id": "chatcmpl-1",
									"object": "chat.completion",
									"choices": [{"index": 0, "message": {"role": "assistant", "content": "hello"}, "finish_reason": "stop"}],
									"usage": {"prompt_tokens": 7, "completion_tokens": 5, "total_tokens": 12},
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
	let signature = pair.sign(&cap.encode());
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
		.insert(user.clone(), SubAccountView { balance, last_nonce: 0 });
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
	let signature = alice().sign(&metered.encode());
	let countersignature = json!({
		"account": format_account(&account(&alice())),
		"nonce": 1,
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

	let report = settle_round(&setup.gateway).await.unwrap();
	assert_eq!((report.submitted, report.settled), (1, 1));
	assert_eq!(setup.chain.sub(&account(&alice())), SubAccountView { balance: 971, last_nonce: 1 });
	let record = setup.gateway.receipts().get(&account(&alice()), 1).unwrap();
	assert_eq!(record.state, ReceiptState::Final { outcome: "Settled".into() });
	// Settled receipts are never sent again.
	assert_eq!(settle_round(&setup.gateway).await.unwrap().submitted, 0);
	assert_eq!(setup.chain.settled.lock().unwrap().len(), 1);
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

	// Streaming.
	let stream_body =
		json!({"model": "m", "messages": [], "stream": true}).to_string().into_bytes();
	let headers = signed_headers(&alice(), &stream_body, 1, 400);
	let (status, _, _) =
		http_request(setup.address, "POST", "/v1/chat/completions", &headers, &stream_body).await;
	assert_eq!(status, 400);

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
			&signed_headers(&alice(), &body, nonce, 100),
			&body,
		)
		.await;
		assert_eq!(status, 200, "{answer}");
	}
	setup.chain.offline.store(true, Ordering::SeqCst);
	assert!(settle_round(&setup.gateway).await.is_err());
	assert_eq!(setup.gateway.receipts().submitted().len(), 3);

	// Meanwhile the chain settled nonce 1 (say the transaction landed after all).
	setup
		.chain
		.sub_accounts
		.lock()
		.unwrap()
		.insert(user.clone(), SubAccountView { balance: 900, last_nonce: 1 });
	setup.chain.offline.store(false, Ordering::SeqCst);
	let report = settle_round(&setup.gateway).await.unwrap();
	assert_eq!(report.settled, 2);
	assert_eq!(setup.chain.sub(&user), SubAccountView { balance: 700, last_nonce: 3 });
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
		"signature": to_prefixed_hex(&alice().sign(&metered.encode()).0),
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
