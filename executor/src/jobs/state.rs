//! Durable job state: one JSON record per job in `DATA_DIR/jobs/<id>.json`, replaced atomically
//! on every change, so a restart (even after `kill -9`) resumes unfinished jobs and keeps
//! answering status queries for finished ones.

use crate::{
	durable,
	encoding::{account, decimal, decimal_option, hash_hex, hash_hex_option},
};
use polkadot_sdk::{sp_core::H256, sp_runtime::AccountId32};
use serde::{Deserialize, Serialize};
use std::{
	collections::BTreeMap,
	io,
	path::{Path, PathBuf},
	sync::Mutex,
	time::{SystemTime, UNIX_EPOCH},
};

/// A job as the off-chain worker dispatches it (`POST /jobs`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobRequest {
	/// The job's on-chain id.
	pub job_id: u64,
	/// The job service.
	pub service: u64,
	/// Who pays (SS58 or `0x` hex).
	#[serde(with = "account")]
	pub user: AccountId32,
	/// Root of the input dataset in ZeroG storage.
	#[serde(with = "hash_hex")]
	pub dataset_root: H256,
	/// Hash of the job's parameters.
	#[serde(with = "hash_hex")]
	pub params_hash: H256,
	/// The escrowed maximum fee (decimal string).
	#[serde(with = "decimal")]
	pub max_fee: u128,
	/// First block at which a result is too late.
	pub deadline: u32,
}

/// Where a job stands, as `GET /jobs/{id}` reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum JobStatus {
	/// Accepted, waiting for a free slot.
	Queued,
	/// Being checked, downloaded, run or uploaded.
	Running,
	/// The output is in storage; `resultRoot`, `outputHash` and `feeUsed` are set.
	Succeeded,
	/// The job cannot be done; `error` says why.
	Failed,
	/// The job was not run because this executor cannot run it (its dataset cannot be fetched,
	/// no command for its service); `error` says why. The off-chain worker declines it on
	/// chain, so the provider is not slashed for a job it never started.
	Declined,
}

/// The step a running job is at; lets a restarted executor skip what is already done.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum JobStage {
	/// Not started.
	Waiting,
	/// Checking the dispatched job against the chain.
	Verifying,
	/// Downloading the dataset.
	Downloading,
	/// Running the service's command.
	Computing,
	/// The command finished; storing its output.
	Uploading,
	/// Finished (succeeded or failed).
	Done,
}

/// Everything the executor keeps about a job.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobRecord {
	/// What was dispatched.
	pub request: JobRequest,
	/// Where the job stands.
	pub status: JobStatus,
	/// The step it is at.
	pub stage: JobStage,
	/// Root of the output in storage, once uploaded.
	#[serde(with = "hash_hex_option", default)]
	pub result_root: Option<H256>,
	/// keccak256 of the output bytes, once computed.
	#[serde(with = "hash_hex_option", default)]
	pub output_hash: Option<H256>,
	/// What the provider charges, at most `maxFee`; set when the command finished.
	#[serde(with = "decimal_option", default)]
	pub fee_used: Option<u128>,
	/// Why the job failed.
	#[serde(default)]
	pub error: Option<String>,
	/// Seconds the command ran.
	#[serde(default)]
	pub compute_seconds: Option<f64>,
	/// Unix time (seconds) the job was accepted.
	pub accepted_at: u64,
	/// Unix time (seconds) of the last change.
	pub updated_at: u64,
	/// Whether the request matched the job on chain. Until it does, another request for the same
	/// job id may replace it (see [`JobStore::admit`]).
	#[serde(default)]
	pub verified: bool,
}

/// What [`JobStore::admit`] did with a dispatched request.
#[derive(Clone, Debug)]
pub enum Admission {
	/// Recorded as a new job, to be run.
	New(JobRecord),
	/// The same request was recorded before: a retry, answered with the record.
	Known(JobRecord),
	/// Another request for this job id is recorded and may still be the real one (it matched the
	/// chain, or is still being checked): this one is refused.
	Conflict(JobRecord),
}

impl JobRecord {
	/// A newly accepted job.
	pub fn new(request: JobRequest) -> Self {
		let now = unix_now();
		Self {
			request,
			status: JobStatus::Queued,
			stage: JobStage::Waiting,
			result_root: None,
			output_hash: None,
			fee_used: None,
			error: None,
			compute_seconds: None,
			accepted_at: now,
			updated_at: now,
			verified: false,
		}
	}

	/// Whether the job is finished (succeeded, failed or declined).
	pub fn is_finished(&self) -> bool {
		matches!(self.status, JobStatus::Succeeded | JobStatus::Failed | JobStatus::Declined)
	}

	/// The status JSON of `GET /jobs/{id}`: `jobId`, `status`, `stage`, and `resultRoot`,
	/// `outputHash`, `feeUsed` once succeeded or `error` once failed or declined.
	pub fn status_json(&self) -> serde_json::Value {
		let mut json = serde_json::json!({
			"jobId": self.request.job_id,
			"status": self.status,
			"stage": self.stage,
		});
		if self.status == JobStatus::Succeeded {
			if let (Some(root), Some(hash), Some(fee)) =
				(self.result_root, self.output_hash, self.fee_used)
			{
				json["resultRoot"] = crate::encoding::to_prefixed_hex(root.as_bytes()).into();
				json["outputHash"] = crate::encoding::to_prefixed_hex(hash.as_bytes()).into();
				json["feeUsed"] = fee.to_string().into();
			}
		}
		if let Some(error) = &self.error {
			json["error"] = error.clone().into();
		}
		json
	}
}

/// The job records of a data directory, cached in memory.
pub struct JobStore {
	directory: PathBuf,
	records: Mutex<BTreeMap<u64, JobRecord>>,
}

impl JobStore {
	/// Opens (creating if needed) `DATA_DIR/jobs` and loads every record. A record that does not
	/// decode is set aside as `<id>.json.corrupt` with an error in the log
	/// ([`durable::read_json_or_set_aside`]): its job is then unknown here, so the node's worker
	/// can dispatch it again and it runs anew.
	pub fn open(data_dir: &Path) -> io::Result<Self> {
		let directory = data_dir.join("jobs");
		std::fs::create_dir_all(&directory)?;
		let mut records = BTreeMap::new();
		for entry in std::fs::read_dir(&directory)? {
			let path = entry?.path();
			if !durable::is_record(&path) {
				continue;
			}
			if let Some(record) = durable::read_json_or_set_aside::<JobRecord>(&path)? {
				records.insert(record.request.job_id, record);
			}
		}
		Ok(Self { directory, records: Mutex::new(records) })
	}

	/// The record of job `id`.
	pub fn get(&self, id: u64) -> Option<JobRecord> {
		self.lock().get(&id).cloned()
	}

	/// Records `request` as a new job, unless its job id is recorded already. The same request
	/// again is a retry ([`Admission::Known`]). Another request replaces a record that failed
	/// without ever matching the chain: anyone who can reach the job API could post a job id
	/// before its real dispatch, and that must not fail the real job. It is refused while the
	/// recorded one matched the chain or is still being checked ([`Admission::Conflict`]).
	pub fn admit(&self, request: JobRequest) -> io::Result<Admission> {
		let mut records = self.lock();
		if let Some(existing) = records.get(&request.job_id) {
			if existing.request == request {
				return Ok(Admission::Known(existing.clone()));
			}
			if existing.verified || !existing.is_finished() {
				return Ok(Admission::Conflict(existing.clone()));
			}
		}
		let record = JobRecord::new(request);
		durable::write_json(&self.path(record.request.job_id), &record)?;
		records.insert(record.request.job_id, record.clone());
		Ok(Admission::New(record))
	}

	/// Applies `change` to job `id` and stores the result; returns the new record.
	pub fn update(&self, id: u64, change: impl FnOnce(&mut JobRecord)) -> io::Result<JobRecord> {
		let mut records = self.lock();
		let record = records
			.get_mut(&id)
			.ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, format!("no job {id}")))?;
		let mut updated = record.clone();
		change(&mut updated);
		updated.updated_at = unix_now();
		// Memory follows the disk: a failed write leaves both at the old record.
		durable::write_json(&self.path(id), &updated)?;
		*record = updated.clone();
		Ok(updated)
	}

	/// Forgets the jobs that finished (succeeded, failed or declined) before `cutoff` (unix
	/// seconds): their deadlines have long passed, so the node's worker no longer asks about
	/// them. Returns how many were removed.
	pub fn prune(&self, cutoff: u64) -> io::Result<usize> {
		let mut records = self.lock();
		let old: Vec<u64> = records
			.values()
			.filter(|record| record.is_finished() && record.updated_at < cutoff)
			.map(|record| record.request.job_id)
			.collect();
		for id in &old {
			match std::fs::remove_file(self.path(*id)) {
				Ok(()) => {},
				Err(error) if error.kind() == io::ErrorKind::NotFound => {},
				Err(error) => return Err(error),
			}
			records.remove(id);
		}
		Ok(old.len())
	}

	/// Ids of the jobs not finished, oldest first: what a restarted executor resumes.
	pub fn unfinished(&self) -> Vec<u64> {
		self.lock()
			.values()
			.filter(|record| !record.is_finished())
			.map(|r| r.request.job_id)
			.collect()
	}

	/// Where job `id` is stored.
	fn path(&self, id: u64) -> PathBuf {
		self.directory.join(format!("{id}.json"))
	}

	/// The in-memory records; a panic while holding the lock cannot leave them half-changed
	/// (every change is applied to a copy first), so a poisoned lock is still usable.
	fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<u64, JobRecord>> {
		self.records.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
	}
}

/// Seconds since the Unix epoch.
pub fn unix_now() -> u64 {
	SystemTime::now().duration_since(UNIX_EPOCH).map(|elapsed| elapsed.as_secs()).unwrap_or(0)
}

#[cfg(test)]
pub(crate) mod tests {
	use super::*;

	pub(crate) fn request(id: u64) -> JobRequest {
		JobRequest {
			job_id: id,
			service: 1,
			user: AccountId32::new([4; 32]),
			dataset_root: H256([5; 32]),
			params_hash: H256([6; 32]),
			max_fee: 1_000_000_000_000_000_000_000,
			deadline: 90,
		}
	}

	#[test]
	fn requests_parse_from_the_worker_json() {
		let json = serde_json::json!({
			"jobId": 7,
			"service": 1,
			"user": crate::encoding::to_prefixed_hex(&[4; 32]),
			"datasetRoot": crate::encoding::to_prefixed_hex(&[5; 32]),
			"paramsHash": crate::encoding::to_prefixed_hex(&[6; 32]),
			"maxFee": "1000000000000000000000",
			"deadline": 90,
		});
		let parsed: JobRequest = serde_json::from_value(json).unwrap();
		assert_eq!(parsed, request(7));
		let bad = serde_json::json!({"jobId": 7, "maxFee": "x"});
		assert!(serde_json::from_value::<JobRequest>(bad).is_err());
	}

	#[test]
	fn state_survives_reopening() {
		let dir = tempfile::tempdir().unwrap();
		{
			let store = JobStore::open(dir.path()).unwrap();
			assert!(matches!(store.admit(request(1)).unwrap(), Admission::New(_)));
			assert!(matches!(store.admit(request(2)).unwrap(), Admission::New(_)));
			store
				.update(1, |job| {
					job.status = JobStatus::Succeeded;
					job.stage = JobStage::Done;
					job.result_root = Some(H256([1; 32]));
					job.output_hash = Some(H256([2; 32]));
					job.fee_used = Some(5);
				})
				.unwrap();
			store
				.update(2, |job| {
					job.status = JobStatus::Running;
					job.stage = JobStage::Uploading;
				})
				.unwrap();
		}
		// A leftover temporary file from a crash mid-write is ignored.
		std::fs::write(dir.path().join("jobs/3.json.tmp"), b"{").unwrap();
		let store = JobStore::open(dir.path()).unwrap();
		let done = store.get(1).unwrap();
		assert_eq!(done.status, JobStatus::Succeeded);
		assert_eq!(done.fee_used, Some(5));
		assert_eq!(store.get(2).unwrap().stage, JobStage::Uploading);
		assert_eq!(store.unfinished(), vec![2]);
		// A repeated dispatch returns the stored job unchanged.
		let Admission::Known(again) = store.admit(request(1)).unwrap() else {
			panic!("a retry is not a new job")
		};
		assert_eq!(again.status, JobStatus::Succeeded);
	}

	#[test]
	fn a_corrupt_job_record_is_set_aside_and_the_others_load() {
		let dir = tempfile::tempdir().unwrap();
		{
			let store = JobStore::open(dir.path()).unwrap();
			store.admit(request(1)).unwrap();
			store.admit(request(2)).unwrap();
		}
		std::fs::write(dir.path().join("jobs/2.json"), b"\0\0garbage").unwrap();
		let store = JobStore::open(dir.path()).expect("one bad record does not stop the executor");
		assert!(store.get(1).is_some());
		assert!(store.get(2).is_none());
		assert!(dir.path().join("jobs/2.json.corrupt").exists());
		// The job is unknown now: a new dispatch of it is taken as new.
		assert!(matches!(store.admit(request(2)).unwrap(), Admission::New(_)));
	}

	/// Issue 15's attack: a stranger posts a job id before its real dispatch, with other fields.
	/// Its record never matches the chain and fails; the real request then replaces it. While a
	/// recorded request matched the chain (or is still being checked), another is refused.
	#[test]
	fn a_request_that_never_matched_the_chain_gives_way_to_the_real_one() {
		let dir = tempfile::tempdir().unwrap();
		let store = JobStore::open(dir.path()).unwrap();
		let mut forged = request(4);
		forged.dataset_root = H256([0xee; 32]);
		assert!(matches!(store.admit(forged.clone()).unwrap(), Admission::New(_)));
		// Still being checked: the real one must wait (the worker retries).
		assert!(matches!(store.admit(request(4)).unwrap(), Admission::Conflict(_)));
		store
			.update(4, |job| {
				job.status = JobStatus::Failed;
				job.stage = JobStage::Done;
				job.error = Some("job 4 has dataset root 0x05.. on chain".into());
			})
			.unwrap();
		let Admission::New(real) = store.admit(request(4)).unwrap() else {
			panic!("the real request replaces the forged one")
		};
		assert_eq!(real.request, request(4));
		assert_eq!(JobStore::open(dir.path()).unwrap().get(4).unwrap().request, request(4));
		// Once the real one matched the chain, nothing replaces it, even after it finished.
		store
			.update(4, |job| {
				job.verified = true;
				job.status = JobStatus::Failed;
			})
			.unwrap();
		assert!(matches!(store.admit(forged).unwrap(), Admission::Conflict(_)));
		assert!(matches!(store.admit(request(4)).unwrap(), Admission::Known(_)));
	}

	#[test]
	fn finished_jobs_are_pruned_after_the_cutoff_and_unfinished_ones_kept() {
		let dir = tempfile::tempdir().unwrap();
		let store = JobStore::open(dir.path()).unwrap();
		for id in 1..=3 {
			store.admit(request(id)).unwrap();
		}
		store.update(1, |job| job.status = JobStatus::Succeeded).unwrap();
		store.update(2, |job| job.status = JobStatus::Declined).unwrap();
		assert_eq!(store.prune(0).unwrap(), 0, "nothing finished before the epoch");
		assert_eq!(store.prune(unix_now() + 1).unwrap(), 2);
		assert!(store.get(1).is_none() && store.get(2).is_none());
		assert_eq!(store.get(3).unwrap().status, JobStatus::Queued, "unfinished jobs stay");
		let reopened = JobStore::open(dir.path()).unwrap();
		assert!(reopened.get(1).is_none());
		assert!(reopened.get(3).is_some());
	}

	#[test]
	fn status_json_has_results_only_once_succeeded() {
		let mut record = JobRecord::new(request(3));
		assert_eq!(record.status_json()["status"], "queued");
		assert!(record.status_json().get("resultRoot").is_none());
		record.status = JobStatus::Succeeded;
		record.result_root = Some(H256([1; 32]));
		record.output_hash = Some(H256([2; 32]));
		record.fee_used = Some(u128::MAX);
		let json = record.status_json();
		assert_eq!(json["jobId"], 3);
		assert_eq!(json["feeUsed"], u128::MAX.to_string());
		assert_eq!(json["resultRoot"], crate::encoding::to_prefixed_hex(&[1; 32]));
		record.status = JobStatus::Failed;
		record.error = Some("boom".into());
		assert_eq!(record.status_json()["error"], "boom");
	}
}
