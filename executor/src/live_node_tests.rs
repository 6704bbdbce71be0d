//! The executor against a running `zerog-node --dev` (ignored by default: it needs the node).
//!
//! ```text
//! zerog-node --dev --rpc-port 19944 &
//! ZEROG_NODE_WS=ws://127.0.0.1:19944 cargo test --release --workspace --lib -- live_node --ignored
//! ```
//!
//! Bob registers an inference and a job service, Alice funds him; the gateway (in front of
//! `tests/compute/fake_openai.py`) serves two signed requests and settles the countersigned one
//! with `settle_receipts`; Alice stores a dataset and creates a job, which the job runner checks on
//! chain, downloads, trains with `tests/compute/train_logreg.py` and stores. Only the pallet's
//! off-chain worker (dispatching the job and submitting its result) is left out.

use crate::{
	chain::{Chain, SubxtChain},
	encoding::{format_account, keccak_256, scale_hex::decode_all, to_prefixed_hex},
	gateway::{
		auth::*, proxy::Backend, receipts::ReceiptStore, settlement::settle_round, Gateway,
		GatewayConfig,
	},
	jobs::{
		runner::{JobRunner, RunnerConfig},
		state::{JobRequest, JobStatus, JobStore},
	},
	receipt::InferenceReceipt,
	server::{self, App},
	storage_client::{RpcStorage, Storage},
	testing::http_request,
};
use polkadot_sdk::{
	sp_core::{sr25519, Pair, H256},
	sp_runtime::AccountId32,
};
use std::{collections::BTreeMap, path::PathBuf, process::Command, sync::Arc, time::Duration};
use subxt::{
	dynamic::{self, Value},
	OnlineClient, PolkadotConfig,
};
use subxt_signer::sr25519::{dev, Keypair};

/// One ZG in the smallest unit.
const ZG: u128 = 1_000_000_000_000_000_000;

/// Signs `call` with `signer` and waits until it is finalized and succeeded.
async fn submit(
	api: &OnlineClient<PolkadotConfig>,
	call: impl subxt::transactions::Payload,
	signer: &Keypair,
) {
	api.at_current_block()
		.await
		.unwrap()
		.transactions()
		.sign_and_submit_then_watch_default(&call, signer)
		.await
		.unwrap()
		.wait_for_finalized_success()
		.await
		.unwrap();
}

/// A `ComputeEscrow` counter (`NextServiceId`, `NextJobId`).
async fn next_id(api: &OnlineClient<PolkadotConfig>, entry: &str) -> u64 {
	let at = api.at_current_block().await.unwrap();
	let value = at
		.storage()
		.fetch(dynamic::storage::<(), Value>("ComputeEscrow", entry), ())
		.await
		.unwrap()
		.decode()
		.unwrap();
	value.as_u128().unwrap() as u64
}

/// `tests/compute/<name>`, in the checkout `cargo test` runs (the path compiled in may be another
/// checkout's: the build cache is shared).
fn compute_script(name: &str) -> PathBuf {
	std::env::var_os("CARGO_MANIFEST_DIR")
		.map(PathBuf::from)
		.unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
		.join("../tests/compute")
		.join(name)
}

/// Starts the fake OpenAI backend; returns it and its URL.
async fn fake_backend(dir: &std::path::Path) -> (std::process::Child, String) {
	let port_file = dir.join("backend.port");
	let mut child = Command::new("python3")
		.arg(compute_script("fake_openai.py"))
		.arg("--port-file")
		.arg(&port_file)
		.spawn()
		.unwrap();
	for _ in 0..100 {
		if let Ok(port) = std::fs::read_to_string(&port_file) {
			return (child, format!("http://127.0.0.1:{}", port.trim()));
		}
		tokio::time::sleep(Duration::from_millis(100)).await;
	}
	let _ = child.kill();
	let _ = child.wait();
	panic!("fake_openai.py did not start");
}

/// The signed headers of a request of `pair` with `body` to `provider`'s service.
fn signed_headers(
	pair: &sr25519::Pair,
	provider: &AccountId32,
	service: u64,
	nonce: u64,
	body: &[u8],
	genesis_hash: &H256,
) -> Vec<(String, String)> {
	let cap = InferenceReceipt {
		user: pair.public().into(),
		provider: provider.clone(),
		service,
		nonce,
		input_tokens: 100,
		output_tokens: 100,
		fee: 400,
		request_hash: H256(keccak_256(body)),
	};
	vec![
		(ACCOUNT_HEADER.into(), format_account(&cap.user)),
		(SERVICE_HEADER.into(), service.to_string()),
		(NONCE_HEADER.into(), nonce.to_string()),
		(MAX_FEE_HEADER.into(), "400".into()),
		(MAX_INPUT_TOKENS_HEADER.into(), "100".into()),
		(MAX_OUTPUT_TOKENS_HEADER.into(), "100".into()),
		(
			SIGNATURE_HEADER.into(),
			to_prefixed_hex(&pair.sign(&cap.signing_payload(genesis_hash)).0),
		),
	]
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a running zerog-node --dev at $ZEROG_NODE_WS"]
async fn live_node_gateway_settles_and_jobs_round_trip_through_storage() {
	let ws = std::env::var("ZEROG_NODE_WS").expect("ZEROG_NODE_WS=ws://127.0.0.1:PORT");
	let dir = tempfile::tempdir().unwrap();
	let (mut backend_process, backend_url) = fake_backend(dir.path()).await;
	let api = OnlineClient::<PolkadotConfig>::from_insecure_url(&ws).await.unwrap();
	let (alice, bob) = (dev::alice(), dev::bob());

	// Bob offers an inference service (2 per input token, 3 per output token) and a job service.
	let inference = next_id(&api, "NextServiceId").await;
	for kind in ["Inference", "Job"] {
		let call = dynamic::transaction(
			"ComputeEscrow",
			"register_service",
			(
				Value::unnamed_variant(kind, []),
				b"fake".to_vec(),
				b"http://127.0.0.1:8700".to_vec(),
				2u128,
				3u128,
				Value::unnamed_variant("None", []),
				1_000 * ZG,
			),
		);
		submit(&api, call, &bob).await;
	}
	let job_service = inference + 1;
	submit(&api, dynamic::transaction("ComputeEscrow", "deposit", (10 * ZG,)), &alice).await;
	let fund =
		dynamic::transaction("ComputeEscrow", "fund_provider", (bob.public_key().0, 1_000u128));
	submit(&api, fund, &alice).await;

	let chain: Arc<dyn Chain> =
		Arc::new(SubxtChain::connect(&ws, bob.clone(), Duration::from_secs(5)).await.unwrap());
	let user = AccountId32::new(alice.public_key().0);
	let service = chain.service(inference).await.unwrap().unwrap();
	assert_eq!(service.provider, chain.account());
	assert_eq!((service.prices.input, service.prices.output), (2, 3));
	let before = chain.sub_account(&user).await.unwrap();
	assert!(before.balance >= 1_000);
	assert_eq!(chain.max_receipts_per_batch().await.unwrap(), 256);
	assert_eq!(chain.job(u64::MAX).await.unwrap(), None);

	let storage: Arc<dyn Storage> =
		Arc::new(RpcStorage::connect(&ws, chain.clone()).await.unwrap());
	let gateway = Gateway::new(
		chain.clone(),
		ReceiptStore::open(dir.path()).unwrap(),
		Backend::new(&backend_url, None, Duration::from_secs(10)).unwrap(),
		GatewayConfig {
			countersign_grace: Duration::from_secs(600),
			settle_interval: Duration::from_secs(3600),
			batch_size: 0,
		},
	);
	let runner = JobRunner::new(
		JobStore::open(dir.path()).unwrap(),
		chain.clone(),
		storage.clone(),
		RunnerConfig {
			commands: BTreeMap::from([(
				job_service,
				format!("python3 {}", compute_script("train_logreg.py").display()),
			)]),
			work_dir: dir.path().join("work"),
			timeout: Duration::from_secs(120),
			price_per_second: None,
			parallel_jobs: 1,
			patience: Duration::from_secs(60),
			retry_delay: Duration::from_secs(1),
			sandbox: crate::jobs::sandbox::Sandbox::none(),
			enclave: None,
		},
	);
	let app = Arc::new(App {
		jobs: Some(crate::server::JobApi { runner: runner.clone(), token: None }),
		gateway: Some(gateway.clone()),
	});
	let (address, _server) = server::spawn("127.0.0.1:0".parse().unwrap(), app).await.unwrap();

	// Two requests; only the first is countersigned, the second waits in its grace period.
	let pair = sr25519::Pair::from_string("//Alice", None).unwrap();
	let body = serde_json::json!({"model": "fake", "messages": [{"role": "user", "content": "hello there world"}]})
		.to_string()
		.into_bytes();
	let mut first_fee = None;
	for nonce in [before.last_nonce + 1, before.last_nonce + 2] {
		let headers =
			signed_headers(&pair, &chain.account(), inference, nonce, &body, &chain.genesis_hash());
		let (status, headers, answer) =
			http_request(address, "POST", "/v1/chat/completions", &headers, &body).await;
		assert_eq!(status, 200, "{answer}");
		let metered: InferenceReceipt =
			decode_all(headers["x-zerog-receipt"].to_str().unwrap()).unwrap();
		// fake_openai: 3 prompt words, "echo: hello there world" is 4 completion words.
		assert_eq!(metered.fee, 3 * 2 + 4 * 3);
		if first_fee.is_none() {
			first_fee = Some(metered.fee);
			let countersignature = serde_json::json!({
				"account": format_account(&user),
				"nonce": nonce,
				"signature": to_prefixed_hex(&pair.sign(&metered.signing_payload(chain.genesis_hash())).0),
			});
			let (status, _, answer) = http_request(
				address,
				"POST",
				"/v1/receipts",
				&[],
				countersignature.to_string().as_bytes(),
			)
			.await;
			assert_eq!(status, 200, "{answer}");
		}
	}
	let report = settle_round(&gateway).await.unwrap();
	assert_eq!((report.submitted, report.settled), (1, 1));
	let after = chain.sub_account(&user).await.unwrap();
	assert_eq!(after.last_nonce, before.last_nonce + 1);
	assert_eq!(after.balance, before.balance - first_fee.unwrap());

	// Alice stores a three-segment dataset and creates a job for Bob's job service.
	let dataset: String = std::iter::once("a,b,label\n".to_string())
		.chain(
			(0..40_000).map(|i| format!("{},{},{}\n", i % 97, (i * 7) % 89, (i % 97 > 48) as u8)),
		)
		.collect();
	let dataset_path = dir.path().join("dataset.csv");
	std::fs::write(&dataset_path, &dataset).unwrap();
	let alice_chain: Arc<dyn Chain> =
		Arc::new(SubxtChain::connect(&ws, alice.clone(), Duration::from_secs(5)).await.unwrap());
	let dataset_root =
		RpcStorage::connect(&ws, alice_chain).await.unwrap().upload(&dataset_path).await.unwrap();
	let job_id = next_id(&api, "NextJobId").await;
	let deadline = api.at_current_block().await.unwrap().block_number() as u32 + 100;
	let create = dynamic::transaction(
		"ComputeEscrow",
		"create_job",
		(job_service, dataset_root.0, [7u8; 32], 5 * ZG, deadline),
	);
	submit(&api, create, &alice).await;

	// What the off-chain worker would post.
	let request = JobRequest {
		job_id,
		service: job_service,
		user: user.clone(),
		dataset_root,
		params_hash: H256([7; 32]),
		max_fee: 5 * ZG,
		deadline,
	};
	let (status, _, answer) =
		http_request(address, "POST", "/jobs", &[], &serde_json::to_vec(&request).unwrap()).await;
	assert_eq!(status, 202, "{answer}");
	for _ in 0..180 {
		if runner.store().get(job_id).unwrap().is_finished() {
			break;
		}
		tokio::time::sleep(Duration::from_secs(1)).await;
	}
	let record = runner.store().get(job_id).unwrap();
	assert_eq!(record.status, JobStatus::Succeeded, "{:?}", record.error);
	let result = dir.path().join("result.json");
	storage.download(record.result_root.unwrap(), &result).await.unwrap();
	let model = std::fs::read(&result).unwrap();
	assert_eq!(H256(keccak_256(&model)), record.output_hash.unwrap());
	let model: serde_json::Value = serde_json::from_slice(&model).unwrap();
	assert_eq!(model["rows"], 40_000);
	let _ = backend_process.kill();
}
