//! Fuzz targets (`arbitrary`-driven, run by `arbtest`) for what the executor reads from strangers
//! on its public port: raw HTTP requests to every route, the gateway's `X-ZeroG-*` headers, and
//! receipts and signatures in any byte form. `ARBTEST_BUDGET_MS` sets how long each runs (see
//! `docs/testing.md`).

use crate::{
	chain::{ServiceKind, ServiceView, Verifier},
	gateway::{
		auth::*, metering::Prices, proxy::Backend, receipts::ReceiptStore, Gateway, GatewayConfig,
	},
	jobs::{
		runner::{JobRunner, RunnerConfig},
		state::JobStore,
	},
	receipt::{signature_that_verifies, InferenceReceipt, SignedReceipt},
	server::{self, App},
	testing::{genesis_hash, provider, FakeChain, FakeStorage},
};
use arbtest::arbitrary::{Result, Unstructured};
use codec::{Decode, Encode};
use hyper::header::{HeaderMap, HeaderName, HeaderValue};
use polkadot_sdk::{
	sp_core::{sr25519, Pair},
	sp_runtime::AccountId32,
};
use std::{collections::BTreeMap, net::SocketAddr, sync::Arc, time::Duration};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The gateway's request headers, for drawing names that matter.
const HEADERS: [&str; 7] = [
	ACCOUNT_HEADER,
	SERVICE_HEADER,
	NONCE_HEADER,
	MAX_FEE_HEADER,
	MAX_INPUT_TOKENS_HEADER,
	MAX_OUTPUT_TOKENS_HEADER,
	SIGNATURE_HEADER,
];

/// A header value: usually a plausible one, sometimes any bytes.
fn header_text(u: &mut Unstructured) -> Result<Vec<u8>> {
	Ok(match u.int_in_range(0..=5)? {
		0 => u.int_in_range(0..=u64::MAX)?.to_string().into_bytes(),
		1 => crate::encoding::to_prefixed_hex({
			let len = u.int_in_range(0..=66)?;
			u.bytes(len)
		}?)
		.into_bytes(),
		2 => crate::encoding::format_account(&AccountId32::new(u.arbitrary()?)).into_bytes(),
		3 => format!("{}ZG", u.int_in_range(0..=1_000_000u64)?).into_bytes(),
		_ => {
			let len = u.int_in_range(0..=80)?;
			u.bytes(len)
		}?
		.to_vec(),
	})
}

#[test]
fn fuzz_gateway_headers() {
	let prices = Prices { input: 2, output: 3 };
	arbtest::arbtest(|u| {
		let mut headers = HeaderMap::new();
		for _ in 0..u.int_in_range(0..=10)? {
			let name = if u.ratio(9, 10)? {
				HeaderName::from_static(u.choose(&HEADERS)?)
			} else {
				match HeaderName::from_bytes({
					let len = u.int_in_range(1..=20)?;
					u.bytes(len)
				}?) {
					Ok(name) => name,
					Err(_) => continue,
				}
			};
			if let Ok(value) = HeaderValue::from_bytes(&header_text(u)?) {
				headers.append(name, value);
			}
		}
		let Ok(parsed) = RequestHeaders::parse(&headers) else { return Ok(()) };
		assert!(parsed.nonce >= 1, "nonce 0 is refused");
		let body = {
			let len = u.int_in_range(0..=200)?;
			u.bytes(len)
		}?;
		let cap = parsed.cap_receipt(&provider(), body);
		// Nobody signed this made-up receipt: it never passes.
		assert!(verify_cap_receipt(cap, &parsed.signature, &prices, &genesis_hash()).is_err());
		Ok(())
	});
}

#[test]
fn fuzz_receipts_and_signatures_from_untrusted_bytes() {
	let user = sr25519::Pair::from_seed(&[7; 32]);
	let account: AccountId32 = user.public().into();
	arbtest::arbtest(|u| {
		let bytes = {
			let len = u.int_in_range(0..=300)?;
			u.bytes(len)
		}?;
		if let Ok(signed) = SignedReceipt::decode(&mut &bytes[..]) {
			let _ = signed.receipt.is_signed_by(
				&signed.signature,
				&signed.receipt.user,
				genesis_hash(),
			);
			assert_eq!(SignedReceipt::decode(&mut &signed.encode()[..]).unwrap(), signed);
		}
		// A signature read from any bytes verifies only if the key really signed the payload.
		let receipt = InferenceReceipt {
			user: account.clone(),
			provider: provider(),
			service: u.arbitrary()?,
			nonce: u.arbitrary()?,
			input_tokens: u.arbitrary()?,
			output_tokens: u.arbitrary()?,
			fee: u.arbitrary()?,
			request_hash: polkadot_sdk::sp_core::H256(u.arbitrary()?),
		};
		let payload = receipt.signing_payload(genesis_hash());
		let real = user.sign(&payload).0.to_vec();
		let (signature_bytes, genuine) = match u.int_in_range(0..=5)? {
			0 => (real, true),
			1 | 2 => {
				let mut tampered = real;
				let at = u.choose_index(tampered.len())?;
				tampered[at] ^= u.int_in_range(1..=255)?;
				(tampered, false)
			},
			_ => (
				{
					let len = u.int_in_range(0..=70)?;
					u.bytes(len)
				}?
				.to_vec(),
				false,
			),
		};
		let read = signature_that_verifies(&signature_bytes, &payload, &account);
		assert_eq!(read.is_some(), genuine, "only the user's own signature is read as valid");
		if let Some(signature) = read {
			assert!(receipt.is_signed_by(&signature, &receipt.user, genesis_hash()));
		}
		Ok(())
	});
}

/// An executor serving both the job API and the gateway, on a fake chain and storage, with a
/// backend address where nothing answers.
async fn executor() -> (SocketAddr, tempfile::TempDir) {
	let dir = tempfile::tempdir().unwrap();
	let chain = Arc::new(FakeChain::default());
	chain.services.lock().unwrap().insert(
		0,
		ServiceView {
			provider: provider(),
			kind: ServiceKind::Inference,
			prices: Prices { input: 2, output: 3 },
			verifier: Verifier::User,
		},
	);
	let gateway = Gateway::new(
		chain.clone(),
		ReceiptStore::open(dir.path()).unwrap(),
		Backend::new("http://127.0.0.1:9/v1", None, Duration::from_secs(1)).unwrap(),
		GatewayConfig {
			countersign_grace: Duration::from_secs(60),
			settle_interval: Duration::from_secs(3600),
			batch_size: 0,
		},
	);
	let runner = JobRunner::new(
		JobStore::open(dir.path()).unwrap(),
		chain,
		Arc::new(FakeStorage::default()),
		RunnerConfig {
			commands: BTreeMap::new(),
			work_dir: dir.path().join("work"),
			timeout: Duration::from_secs(1),
			price_per_second: None,
			parallel_jobs: 1,
			patience: Duration::from_millis(10),
			retry_delay: Duration::from_millis(5),
			sandbox: crate::jobs::sandbox::Sandbox::none(),
			enclave: None,
		},
	);
	let app = Arc::new(App {
		jobs: Some(crate::server::JobApi { runner, token: None }),
		gateway: Some(gateway),
	});
	let (address, _server) = server::spawn("127.0.0.1:0".parse().unwrap(), app).await.unwrap();
	(address, dir)
}

/// A raw request: a plausible request line, headers and body with arbitrary parts, or noise.
fn raw_request(u: &mut Unstructured) -> Result<Vec<u8>> {
	if u.ratio(1, 5)? {
		return Ok({
			let len = u.int_in_range(0..=400)?;
			u.bytes(len)
		}?
		.to_vec());
	}
	let method = *u.choose(&["GET", "POST", "PUT", "DELETE", "OPTIONS", "G\x00T"])?;
	let path = *u.choose(&[
		"/health",
		"/jobs",
		"/jobs/1",
		"/jobs/x",
		"/jobs/18446744073709551616",
		"/v1/chat/completions",
		"/v1/embeddings",
		"/v1/models",
		"/v1/receipts",
		"/v1/../jobs",
		"//",
		"*",
	])?;
	let mut request = format!("{method} {path} HTTP/1.1\r\nHost: x\r\n").into_bytes();
	for _ in 0..u.int_in_range(0..=8)? {
		let name = if u.ratio(3, 4)? {
			u.choose(&HEADERS)?.as_bytes().to_vec()
		} else {
			{
				let len = u.int_in_range(0..=12)?;
				u.bytes(len)
			}?
			.to_vec()
		};
		request.extend(name);
		request.extend(b": ");
		request.extend(header_text(u)?);
		request.extend(b"\r\n");
	}
	let body = match u.int_in_range(0..=3)? {
		0 => serde_json::json!({
			"jobId": u.arbitrary::<u64>()?, "service": u.int_in_range(0..=2u64)?,
			"user": crate::encoding::format_account(&AccountId32::new(u.arbitrary()?)),
			"datasetRoot": format!("0x{}", "ab".repeat(32)), "paramsHash": format!("0x{}", "cd".repeat(32)),
			"maxFee": u.arbitrary::<u64>()?.to_string(), "deadline": u.arbitrary::<u32>()?,
		})
		.to_string()
		.into_bytes(),
		1 => serde_json::json!({"model": "m", "messages": [{"role": "user", "content": "hi"}]})
			.to_string()
			.into_bytes(),
		_ => {
			let len = u.int_in_range(0..=300)?;
			u.bytes(len)
		}?
		.to_vec(),
	};
	let declared = if u.ratio(9, 10)? { body.len() } else { u.int_in_range(0..=1_000)? };
	request.extend(format!("Content-Length: {declared}\r\n\r\n").into_bytes());
	request.extend(body);
	Ok(request)
}

/// Sends `request` and closes the sending side; returns what came back.
async fn exchange(address: SocketAddr, request: &[u8]) -> Vec<u8> {
	let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
	let _ = stream.write_all(request).await;
	let _ = stream.shutdown().await;
	let mut answer = Vec::new();
	let _ = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut answer)).await;
	answer
}

#[test]
fn fuzz_raw_http_requests_to_every_route() {
	let runtime = tokio::runtime::Runtime::new().unwrap();
	let (address, _dir) = runtime.block_on(executor());
	arbtest::arbtest(|u| {
		let request = raw_request(u)?;
		let answer = runtime.block_on(exchange(address, &request));
		// An answer, if any, is HTTP and never an internal error (the only 5xx is the 502 of the
		// backend, which nothing answers here); nothing the client sent stops the server.
		if !answer.is_empty() {
			assert!(answer.starts_with(b"HTTP/1.1 "), "{}", String::from_utf8_lossy(&answer));
			let status = &answer[9..12];
			assert!(
				!status.starts_with(b"5") || status == b"502",
				"{} for {}:\n{}",
				String::from_utf8_lossy(status),
				String::from_utf8_lossy(&request),
				String::from_utf8_lossy(&answer)
			);
		}
		Ok(())
	});
	let health = runtime.block_on(exchange(address, b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n"));
	assert!(health.starts_with(b"HTTP/1.1 200"), "the server still serves after the fuzzing");
}

/// Regression: a client that shuts its sending side right after the request got no answer about
/// half the time (hyper closed the connection on that EOF before writing the response), which
/// also made the fuzz test above fail at random.
#[test]
fn a_client_that_half_closes_after_its_request_gets_the_answer() {
	let runtime = tokio::runtime::Runtime::new().unwrap();
	let (address, _dir) = runtime.block_on(executor());
	for _ in 0..50 {
		let answer =
			runtime.block_on(exchange(address, b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n"));
		assert!(answer.starts_with(b"HTTP/1.1 200"), "{}", String::from_utf8_lossy(&answer));
	}
}
