//! The job API the provider's off-chain worker calls.
//!
//! - `POST /jobs` with `{"jobId","service","user","datasetRoot","paramsHash","maxFee","deadline"}`
//!   accepts a job (`202`) and starts it; posting the same job again changes nothing and answers
//!   its status (`200`), so the worker may retry freely. Other fields for a known `jobId` replace
//!   a record that failed without matching the chain (`202`), and are refused with `409` while
//!   the recorded job matched the chain or is still being checked (the worker retries later).
//! - `GET /jobs/{id}` answers `{"jobId","status","stage"}` plus `resultRoot`, `outputHash`,
//!   `feeUsed` (decimal) once `succeeded`, or `error` once `failed`; `404` for an unknown job.

use crate::{
	jobs::{
		runner::JobRunner,
		state::{Admission, JobRequest},
	},
	server::{error, json, HttpResponse},
};
use hyper::StatusCode;
use std::sync::Arc;

/// `POST /jobs`.
pub fn post_job(runner: &Arc<JobRunner>, body: &[u8]) -> HttpResponse {
	let request: JobRequest = match serde_json::from_slice(body) {
		Ok(request) => request,
		Err(reason) => {
			return error(StatusCode::BAD_REQUEST, &format!("invalid job request: {reason}"))
		},
	};
	match runner.accept(request) {
		Ok(Admission::New(record)) => json(StatusCode::ACCEPTED, &record.status_json()),
		Ok(Admission::Known(record)) => json(StatusCode::OK, &record.status_json()),
		Ok(Admission::Conflict(record)) => error(
			StatusCode::CONFLICT,
			&format!(
				"job {} is recorded with other fields ({}); retry once it is checked against the \
				 chain",
				record.request.job_id,
				record.status_json()
			),
		),
		Err(reason) => error(
			StatusCode::INTERNAL_SERVER_ERROR,
			&format!("the job could not be recorded: {reason}"),
		),
	}
}

/// `GET /jobs/{id}`.
pub fn get_job(runner: &JobRunner, id: &str) -> HttpResponse {
	let Ok(id) = id.parse::<u64>() else {
		return error(StatusCode::BAD_REQUEST, &format!("`{id}` is not a job id"));
	};
	match runner.store().get(id) {
		Some(record) => json(StatusCode::OK, &record.status_json()),
		None => {
			error(StatusCode::NOT_FOUND, &format!("no job {id} was dispatched to this executor"))
		},
	}
}

#[cfg(test)]
mod tests {
	use crate::{
		jobs::{
			runner::{JobRunner, RunnerConfig},
			state::{tests::request, JobStore},
		},
		server::{self, App, JobApi},
		testing::{http_request, FakeChain, FakeStorage},
	};
	use polkadot_sdk::sp_core::H256;
	use serde_json::{json, Value};
	use std::{collections::BTreeMap, sync::Arc, time::Duration};

	fn job_json(id: u64) -> Value {
		let request = request(id);
		json!({
			"jobId": id,
			"service": request.service,
			"user": crate::encoding::format_account(&request.user),
			"datasetRoot": crate::encoding::to_prefixed_hex(request.dataset_root.as_bytes()),
			"paramsHash": crate::encoding::to_prefixed_hex(request.params_hash.as_bytes()),
			"maxFee": request.max_fee.to_string(),
			"deadline": request.deadline,
		})
	}

	/// Whether no job was recorded under `dir`.
	fn runner_store_is_empty(dir: &tempfile::TempDir) -> bool {
		std::fs::read_dir(dir.path().join("jobs"))
			.map_or(true, |mut entries| entries.next().is_none())
	}

	/// The gateway's listener serves no job API.
	#[tokio::test]
	async fn the_public_listener_serves_no_job_api() {
		let app = Arc::new(App { jobs: None, gateway: None });
		let (address, _server) = server::spawn("127.0.0.1:0".parse().unwrap(), app).await.unwrap();
		let (status, _, body) =
			http_request(address, "POST", "/jobs", &[], job_json(5).to_string().as_bytes()).await;
		assert_eq!(status, 404, "{body}");
		assert!(body.contains("--jobs-listen"), "{body}");
	}

	#[tokio::test]
	async fn jobs_are_accepted_polled_and_repeated_posts_are_status_queries() {
		let dir = tempfile::tempdir().unwrap();
		let storage = Arc::new(FakeStorage::with_dataset(H256([5; 32]), b"x".to_vec()));
		let config = RunnerConfig {
			commands: BTreeMap::from([(
				1,
				"cp \"$ZEROG_DATASET\" \"$ZEROG_OUTPUT_DIR/output\"".into(),
			)]),
			work_dir: dir.path().join("work"),
			timeout: Duration::from_secs(20),
			price_per_second: None,
			parallel_jobs: 1,
			patience: Duration::from_millis(200),
			retry_delay: Duration::from_millis(20),
			sandbox: crate::jobs::sandbox::Sandbox::none(),
			enclave: None,
		};
		let runner = JobRunner::new(
			JobStore::open(dir.path()).unwrap(),
			Arc::new(FakeChain::with_job(&request(5))),
			storage,
			config,
		);
		let api = JobApi { runner, token: Some("0123456789abcdef-token".into()) };
		let app = Arc::new(App { jobs: Some(api), gateway: None });
		let (address, _server) = server::spawn("127.0.0.1:0".parse().unwrap(), app).await.unwrap();

		let bearer = [("Authorization".to_string(), "Bearer 0123456789abcdef-token".to_string())];
		let auth = &bearer[..];
		// Issue 15: without the token nobody posts or even reads a job.
		for headers in [
			vec![],
			vec![("Authorization".to_string(), "Bearer 0123456789abcdef-tokem".to_string())],
			vec![("Authorization".to_string(), "0123456789abcdef-token".to_string())],
		] {
			let (status, _, body) = http_request(
				address,
				"POST",
				"/jobs",
				&headers,
				job_json(5).to_string().as_bytes(),
			)
			.await;
			assert_eq!(status, 401, "{body}");
			assert!(body.contains("--compute-executor-token-file"), "{body}");
			let (status, _, _) = http_request(address, "GET", "/jobs/5", &headers, b"").await;
			assert_eq!(status, 401);
		}
		assert!(runner_store_is_empty(&dir), "a refused post records nothing");

		let (status, _headers, body) =
			http_request(address, "POST", "/jobs", auth, job_json(5).to_string().as_bytes()).await;
		assert_eq!(status, 202, "{body}");
		let answer: Value = serde_json::from_str(&body).unwrap();
		assert_eq!(answer["jobId"], 5);

		let mut last = Value::Null;
		for _ in 0..200 {
			let (status, _, body) = http_request(address, "GET", "/jobs/5", auth, b"").await;
			assert_eq!(status, 200);
			last = serde_json::from_str(&body).unwrap();
			if last["status"] == "succeeded" || last["status"] == "failed" {
				break;
			}
			tokio::time::sleep(Duration::from_millis(25)).await;
		}
		assert_eq!(last["status"], "succeeded", "{last}");
		assert_eq!(last["feeUsed"], request(5).max_fee.to_string());
		assert!(last["resultRoot"].as_str().unwrap().starts_with("0x"));
		assert_eq!(last["outputHash"].as_str().unwrap().len(), 66);

		let (status, _, body) =
			http_request(address, "POST", "/jobs", auth, job_json(5).to_string().as_bytes()).await;
		assert_eq!(status, 200);
		assert_eq!(serde_json::from_str::<Value>(&body).unwrap()["status"], "succeeded");

		let (status, _, body) = http_request(address, "GET", "/jobs/6", auth, b"").await;
		assert_eq!(status, 404, "{body}");
		let (status, _, body) =
			http_request(address, "POST", "/jobs", auth, b"{\"jobId\":1}").await;
		assert_eq!(status, 400);
		assert!(body.contains("invalid job request"), "{body}");
		let (status, _, _) = http_request(address, "GET", "/jobs/x", auth, b"").await;
		assert_eq!(status, 400);
		let (status, _, body) = http_request(address, "POST", "/v1/embeddings", &[], b"{}").await;
		assert_eq!(status, 404);
		assert!(body.contains("--backend"), "{body}");
	}
}
