//! Off-chain worker of a compute provider: hands its assigned jobs to the local executor
//! (`zerog-executor`) over HTTP and submits their results on chain.
//!
//! For every sr25519 key of type [`crate::KEY_TYPE`] (`zgcp`) in the node keystore whose account
//! provides a job service, the worker lists the jobs still waiting for a result
//! ([`Pallet::pending_jobs_of`]), dispatches each new one to the executor, polls the dispatched
//! ones and, once a job succeeded, signs [`Call::submit_result`] with that key. The chain
//! re-checks everything (provider, deadline, `fee_used ≤ max_fee`): the worker only relays what
//! the executor reports.
//!
//! # The HTTP contract with the executor
//!
//! - **URL**: the UTF-8 bytes stored in the node's *persistent* off-chain local storage under
//!   [`EXECUTOR_URL_KEY`] (`zerog::compute::executor`), raw (not SCALE-encoded), e.g.
//!   `http://127.0.0.1:8700`, set with the `offchain_localStorageSet` RPC (`"PERSISTENT"`, `0x` +
//!   hex of the key, `0x` + hex of the URL). Without it the worker does nothing (one debug log
//!   per run in which jobs are waiting). The node sets it with `--compute-executor URL`.
//! - **Token**: the job API is the executor's loopback listener, and a stranger on the machine
//!   must not be able to post jobs to it. When persistent storage holds a token under
//!   [`EXECUTOR_TOKEN_KEY`] (`zerog::compute::executor-token`, raw UTF-8; the node sets it with
//!   `--compute-executor-token-file PATH`), every request carries `Authorization: Bearer
//!   <token>`.
//! - **Dispatch**: `POST {url}/jobs` with header `Content-Type: application/json` and exactly this
//!   body (no whitespace; hashes and the account as `0x` and lowercase hex; the user is the hex
//!   of its SCALE encoding, for ZeroG the 32 bytes of its `AccountId32`), see [`dispatch_body`]:
//!   `{"jobId":<u64>,"service":<id>,"user":"0x..","datasetRoot":"0x..","paramsHash":"0x..",
//!   "maxFee":"<decimal>","deadline":<block>}`. A `200`, `201` or `202` answer acknowledges the
//!   job; its body is read like a poll answer.
//! - **Poll**: `GET {url}/jobs/{jobId}`, answered with HTTP 200 and
//!   `{"jobId":<u64>,"status":"queued"|"running"|"succeeded"|"failed"|"declined",
//!   "stage":"..","resultRoot":"0x..","outputHash":"0x..","feeUsed":"<decimal>","error":".."}`
//!   (see [`parse_status`]); `resultRoot`, `outputHash` (each `0x` + 64 hex digits, either case)
//!   and `feeUsed` (a decimal string or a JSON integer) are only read when the status is
//!   `succeeded`, `error` only when it is `failed` or `declined`, `stage` only when it is
//!   `running` (`computing` and `uploading` mean the job's command has started). Other fields
//!   are ignored; an answer about another `jobId` is refused.
//! - **Result**: on `succeeded` the worker sends `submit_result(job, resultRoot, outputHash,
//!   min(feeUsed, max_fee))`. On `declined` (the executor cannot run the job: its dataset cannot
//!   be fetched, no command for its service) it sends `decline_job(job)`: the user gets the
//!   escrow back and nobody is slashed. The same happens to a job whose command has not started
//!   [`DECLINE_BEFORE_DEADLINE_BLOCKS`] blocks before its deadline (still queued, checked or
//!   downloading): a provider is slashed only for a job it started and then failed. On `failed`
//!   it logs the executor's error at warn level, stops polling the job and sends nothing: the
//!   deadline refunds the user and slashes the stake.
//!
//! Each request has a [`HTTP_TIMEOUT_MS`] deadline and a [`MAX_RESPONSE_BYTES`] size limit. A
//! request that cannot be sent or times out ends the run: the executor is down, and the other
//! jobs would only wait for the same timeout.
//!
//! # Never twice
//!
//! Records in persistent local storage, written with compare-and-set
//! ([`StorageValueRef::mutate`]) so two overlapping runs (a slow run and the next block's) never
//! both claim the same job:
//!
//! - [`DISPATCHED_KEY_PREFIX`] ‖ job id (8 bytes, little-endian): a SCALE [`DispatchRecord`]. A
//!   job the executor acknowledged is never POSTed again, only polled. An attempt without an
//!   acknowledgement (executor down, HTTP 500) is retried [`REDISPATCH_AFTER_BLOCKS`] blocks later,
//!   which is safe because the executor treats a repeated POST of a job id as a status query.
//! - [`SUBMITTED_KEY_PREFIX`] ‖ job id (8 bytes, little-endian): the SCALE block number at which
//!   `submit_result` or `decline_job` was sent. While it is younger than [`RESUBMIT_AFTER_BLOCKS`] the job is
//!   neither polled nor submitted again; a job still waiting after that (the transaction was
//!   dropped) is polled and submitted once more.
//!
//! A job whose deadline is the next block or earlier is skipped: its result could no longer be
//! included in time.

use crate::{Call, Config, JobId, JobInfo, Pallet, LOG_TARGET};
use alloc::{format, string::String, vec, vec::Vec};
use codec::{Decode, Encode};
use polkadot_sdk::{
	frame_system::{
		offchain::{Account, ForAll, SendSignedTransaction, Signer},
		pallet_prelude::BlockNumberFor,
	},
	sp_core::{
		offchain::{HttpError, StorageKind},
		H256,
	},
	sp_io,
	sp_runtime::{
		offchain::{
			http,
			storage::{StorageRetrievalError, StorageValueRef},
			Duration,
		},
		traits::{One, SaturatedConversion, Saturating},
	},
};
use zerog_primitives::hex::{from_hex, to_hex};

/// Key, in persistent off-chain local storage, of the executor's base URL (raw UTF-8).
pub const EXECUTOR_URL_KEY: &[u8] = b"zerog::compute::executor";

/// Key, in persistent off-chain local storage, of the token the executor's job API wants (raw
/// UTF-8), sent as `Authorization: Bearer <token>`.
pub const EXECUTOR_TOKEN_KEY: &[u8] = b"zerog::compute::executor-token";

/// Where the executor's job API is and how to authenticate to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Executor {
	/// Base URL, without trailing `/`.
	pub url: String,
	/// `Bearer <token>`, if a token is set.
	pub authorization: Option<String>,
}

/// Prefix of the persistent local-storage records of dispatched jobs; the job id follows as 8
/// little-endian bytes.
pub const DISPATCHED_KEY_PREFIX: &[u8] = b"zerog::compute::dispatched::";

/// Prefix of the persistent local-storage records of submitted results; the job id follows as 8
/// little-endian bytes.
pub const SUBMITTED_KEY_PREFIX: &[u8] = b"zerog::compute::submitted::";

/// How long one request may take, in milliseconds. The executor answers from its own state (it
/// runs jobs in the background), so a slow answer means it is stuck.
pub const HTTP_TIMEOUT_MS: u64 = 5_000;

/// Largest response body accepted, in bytes: a status with two hashes, a fee and an error
/// message of a few lines.
pub const MAX_RESPONSE_BYTES: usize = 64 * 1024;

/// Blocks after which a dispatch the executor did not acknowledge is tried again.
pub const REDISPATCH_AFTER_BLOCKS: u32 = 5;

/// Blocks after which a result whose job is still waiting is submitted again.
pub const RESUBMIT_AFTER_BLOCKS: u32 = 10;

/// A job whose command has not started this many blocks before its deadline is declined: the
/// decline is sent two blocks before the last block a transaction can still land in.
pub const DECLINE_BEFORE_DEADLINE_BLOCKS: u32 = 3;

/// What the worker remembers about handing a job to the executor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode)]
pub enum DispatchRecord<BlockNumber> {
	/// A run POSTed the job at this block without getting an acknowledgement (or is POSTing it
	/// right now). Another POST waits [`REDISPATCH_AFTER_BLOCKS`] blocks.
	Attempted(BlockNumber),
	/// The executor acknowledged the job: it is polled, never POSTed again.
	Accepted,
	/// The executor reported that the job failed: it is no longer polled.
	Failed,
}

/// What the executor reports about a job.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExecutorStatus {
	/// Accepted, not started.
	Queued,
	/// Being checked against the chain or its dataset downloaded: its command has not started.
	Preparing,
	/// Its command is running, or its output being stored.
	Running,
	/// Finished with a result to submit.
	Succeeded(ExecutorResult),
	/// Finished without a result; the executor's explanation.
	Failed(String),
	/// The executor cannot run the job (its dataset cannot be fetched, no command for its
	/// service); its explanation. The worker declines the job.
	Declined(String),
}

impl ExecutorStatus {
	/// Whether the job's command has not started yet.
	fn not_started(&self) -> bool {
		matches!(self, Self::Queued | Self::Preparing)
	}
}

/// The result of a job, as the executor reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExecutorResult {
	/// Root of the output file in ZeroG storage.
	pub result_root: H256,
	/// Keccak-256 of the output bytes.
	pub output_hash: H256,
	/// The fee the executor asks for, in the smallest unit; the worker caps it at `max_fee`. A
	/// value beyond `u128` saturates (it is capped anyway).
	pub fee_used: u128,
}

/// Why the worker could not learn a job's status from the executor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OcwError {
	/// The request could not be sent or its response read (nothing listens at the URL).
	Http,
	/// The executor did not answer before the deadline.
	Timeout,
	/// The executor answered with an HTTP status the contract does not allow.
	Status(u16),
	/// The response body is larger than [`MAX_RESPONSE_BYTES`].
	ResponseTooLarge,
	/// The response is not a JSON object.
	Json,
	/// The response lacks this field.
	MissingField(&'static str),
	/// This field has the wrong type or format (hashes must be 32 bytes of hex, numbers decimal).
	InvalidField(&'static str),
	/// The response is about another job, this one.
	WrongJob(JobId),
	/// The status is none of `queued`, `running`, `succeeded` and `failed`.
	UnknownStatus,
}

impl OcwError {
	/// Whether the executor cannot be reached at all, so the rest of the run would only wait
	/// for the same failure.
	fn executor_unreachable(&self) -> bool {
		matches!(self, Self::Http | Self::Timeout)
	}
}

impl<T: Config> Pallet<T> {
	/// One run of the worker: dispatches, polls and submits the waiting jobs of every provider
	/// whose `zgcp` key is in the keystore.
	pub(crate) fn run_job_worker(now: BlockNumberFor<T>) {
		let work: Vec<(Account<T>, Vec<(JobId, JobInfo<T>)>)> =
			Signer::<T, T::AuthorityId, ForAll>::keystore_accounts()
				.map(|account| {
					let jobs = Self::pending_jobs_of(&account.id);
					(account, jobs)
				})
				.filter(|(_, jobs)| !jobs.is_empty())
				.collect();
		if work.is_empty() {
			return;
		}
		let Some(executor) = executor() else {
			log::debug!(
				target: LOG_TARGET,
				"jobs are waiting for this node's providers, but no executor URL is set under \
				 `zerog::compute::executor` in persistent off-chain storage",
			);
			return;
		};
		for (account, jobs) in work {
			for (id, job) in jobs {
				// A result sent now lands in block `now + 1` at the earliest and must be
				// included before the deadline.
				if now.saturating_add(One::one()) >= job.deadline {
					continue;
				}
				if let Err(error) = Self::advance_job(&executor, &account, id, &job, now) {
					if error.executor_unreachable() {
						log::warn!(
							target: LOG_TARGET,
							"executor at {} unreachable ({error:?}); jobs wait for the next block",
							executor.url,
						);
						return;
					}
					log::warn!(target: LOG_TARGET, "job {id}: bad answer from the executor: {error:?}");
				}
			}
		}
	}

	/// Moves job `id` one step on: dispatches it if it is new, else polls it, and submits its
	/// result once it succeeded.
	fn advance_job(
		executor: &Executor,
		account: &Account<T>,
		id: JobId,
		job: &JobInfo<T>,
		now: BlockNumberFor<T>,
	) -> Result<(), OcwError> {
		if recently_submitted::<T>(id, now) {
			return Ok(());
		}
		let record = StorageValueRef::persistent(&dispatched_key(id))
			.get::<DispatchRecord<BlockNumberFor<T>>>()
			.ok()
			.flatten();
		let status = match record {
			Some(DispatchRecord::Failed) => return Ok(()),
			Some(DispatchRecord::Accepted) => fetch_status(executor, id)?,
			Some(DispatchRecord::Attempted(_)) | None => {
				if !claim_dispatch::<T>(id, now) {
					return Ok(());
				}
				let body = post_job(executor, &dispatch_body(id, job))?;
				StorageValueRef::persistent(&dispatched_key(id))
					.set(&DispatchRecord::<BlockNumberFor<T>>::Accepted);
				log::info!(
					target: LOG_TARGET,
					"job {id} dispatched to the executor at {}",
					executor.url
				);
				parse_status(&body, id)?
			},
		};
		let too_late_to_start =
			now.saturating_add(DECLINE_BEFORE_DEADLINE_BLOCKS.into()) >= job.deadline;
		match status {
			ExecutorStatus::Declined(reason) => {
				if claim_submit::<T>(id, now) {
					log::warn!(
						target: LOG_TARGET,
						"job {id} cannot be run by the executor ({reason}); declining it",
					);
					Self::send_answer(account, id, Call::decline_job { job: id });
				}
			},
			status if status.not_started() && too_late_to_start => {
				if claim_submit::<T>(id, now) {
					log::warn!(
						target: LOG_TARGET,
						"job {id} has not started {DECLINE_BEFORE_DEADLINE_BLOCKS} blocks before \
						 its deadline ({status:?}); declining it rather than missing it",
					);
					Self::send_answer(account, id, Call::decline_job { job: id });
				}
			},
			ExecutorStatus::Queued | ExecutorStatus::Preparing | ExecutorStatus::Running => {
				log::debug!(target: LOG_TARGET, "job {id}: {status:?}");
			},
			ExecutorStatus::Failed(error) => {
				log::warn!(
					target: LOG_TARGET,
					"job {id} failed in the executor: {error}; nothing is submitted, its deadline \
					 refunds the user",
				);
				StorageValueRef::persistent(&dispatched_key(id))
					.set(&DispatchRecord::<BlockNumberFor<T>>::Failed);
			},
			ExecutorStatus::Succeeded(result) => {
				if claim_submit::<T>(id, now) {
					let fee_used =
						result.fee_used.saturated_into::<crate::BalanceOf<T>>().min(job.max_fee);
					let call = Call::submit_result {
						job: id,
						result_root: result.result_root,
						output_hash: result.output_hash,
						fee_used,
					};
					Self::send_answer(account, id, call);
				}
			},
		}
		Ok(())
	}

	/// Signs `call`, the provider's answer to job `id` (its result or its decline), with
	/// `account`'s key and hands it to the transaction pool.
	fn send_answer(account: &Account<T>, id: JobId, call: Call<T>) {
		let results = Signer::<T, T::AuthorityId, ForAll>::all_accounts()
			.with_filter(vec![account.public.clone()])
			.send_signed_transaction(|_| call.clone());
		if results.is_empty() {
			log::warn!(target: LOG_TARGET, "key of {:?} left the keystore", account.id);
		}
		for (signer, outcome) in results {
			match outcome {
				Ok(()) => {
					log::info!(target: LOG_TARGET, "answer to job {id} sent by {:?}", signer.id)
				},
				Err(()) => log::warn!(
					target: LOG_TARGET,
					"pool refused the answer to job {id} from {:?}",
					signer.id
				),
			}
		}
	}
}

/// The executor's base URL from [`EXECUTOR_URL_KEY`], without trailing `/`; `None` if unset or
/// blank.
pub fn executor_url() -> Option<String> {
	let url = stored_text(EXECUTOR_URL_KEY)?;
	let url = url.trim_end_matches('/');
	(!url.is_empty()).then(|| String::from(url))
}

/// The executor of [`executor_url`], with the token of [`EXECUTOR_TOKEN_KEY`] if one is set.
pub fn executor() -> Option<Executor> {
	let url = executor_url()?;
	let authorization = stored_text(EXECUTOR_TOKEN_KEY)
		.filter(|token| !token.is_empty())
		.map(|token| format!("Bearer {token}"));
	Some(Executor { url, authorization })
}

/// The trimmed UTF-8 text stored under `key` in persistent local storage.
fn stored_text(key: &[u8]) -> Option<String> {
	let bytes = sp_io::offchain::local_storage_get(StorageKind::PERSISTENT, key)?;
	String::from_utf8(bytes).ok().map(|text| String::from(text.trim()))
}

/// Key of the [`DispatchRecord`] of job `id`.
pub fn dispatched_key(id: JobId) -> Vec<u8> {
	[DISPATCHED_KEY_PREFIX, &id.to_le_bytes()].concat()
}

/// Key of the submission record of job `id`.
pub fn submitted_key(id: JobId) -> Vec<u8> {
	[SUBMITTED_KEY_PREFIX, &id.to_le_bytes()].concat()
}

/// Claims the POST of job `id` at `now`: `false` if the executor already acknowledged it (or
/// reported it failed), or a POST began less than [`REDISPATCH_AFTER_BLOCKS`] blocks ago.
fn claim_dispatch<T: Config>(id: JobId, now: BlockNumberFor<T>) -> bool {
	let retry_after: BlockNumberFor<T> = REDISPATCH_AFTER_BLOCKS.into();
	StorageValueRef::persistent(&dispatched_key(id))
		.mutate(
			|record: Result<Option<DispatchRecord<BlockNumberFor<T>>>, StorageRetrievalError>| {
				match record {
					Ok(Some(DispatchRecord::Accepted | DispatchRecord::Failed)) => Err(()),
					Ok(Some(DispatchRecord::Attempted(at)))
						if now < at.saturating_add(retry_after) =>
					{
						Err(())
					},
					_ => Ok(DispatchRecord::Attempted(now)),
				}
			},
		)
		.is_ok()
}

/// Whether the result of job `id` was sent less than [`RESUBMIT_AFTER_BLOCKS`] blocks before
/// `now`.
fn recently_submitted<T: Config>(id: JobId, now: BlockNumberFor<T>) -> bool {
	match StorageValueRef::persistent(&submitted_key(id)).get::<BlockNumberFor<T>>() {
		Ok(Some(at)) => now < at.saturating_add(RESUBMIT_AFTER_BLOCKS.into()),
		_ => false,
	}
}

/// Claims the submission of job `id`'s result at `now`: `false` if it was sent less than
/// [`RESUBMIT_AFTER_BLOCKS`] blocks ago or an overlapping run is sending it.
fn claim_submit<T: Config>(id: JobId, now: BlockNumberFor<T>) -> bool {
	let resend_after: BlockNumberFor<T> = RESUBMIT_AFTER_BLOCKS.into();
	StorageValueRef::persistent(&submitted_key(id))
		.mutate(|sent: Result<Option<BlockNumberFor<T>>, StorageRetrievalError>| match sent {
			Ok(Some(at)) if now < at.saturating_add(resend_after) => Err(()),
			_ => Ok(now),
		})
		.is_ok()
}

/// The JSON body that dispatches job `id`, fields in the documented order, without whitespace.
pub fn dispatch_body<T: Config>(id: JobId, job: &JobInfo<T>) -> String {
	format!(
		r#"{{"jobId":{id},"service":{},"user":"0x{}","datasetRoot":"0x{}","paramsHash":"0x{}","maxFee":"{}","deadline":{}}}"#,
		job.service,
		to_hex(&job.user.encode()),
		to_hex(job.dataset_root.as_bytes()),
		to_hex(job.params_hash.as_bytes()),
		job.max_fee.saturated_into::<u128>(),
		job.deadline.saturated_into::<u64>(),
	)
}

/// URL of the executor's job collection.
pub fn jobs_url(url: &str) -> String {
	format!("{url}/jobs")
}

/// URL of job `id` at the executor.
pub fn job_url(url: &str, id: JobId) -> String {
	format!("{url}/jobs/{id}")
}

/// POSTs `body` to the executor's jobs collection; the body of an acknowledging answer.
fn post_job(executor: &Executor, body: &str) -> Result<Vec<u8>, OcwError> {
	let uri = jobs_url(&executor.url);
	let request = http::Request::post(&uri, vec![body.as_bytes()])
		.add_header("Content-Type", "application/json");
	send(authorized(request, executor), &[200, 201, 202])
}

/// Asks the executor for job `id`'s status.
fn fetch_status(executor: &Executor, id: JobId) -> Result<ExecutorStatus, OcwError> {
	let uri = job_url(&executor.url, id);
	let body = send(authorized(http::Request::get(&uri), executor), &[200])?;
	parse_status(&body, id)
}

/// `request` with the executor's `Authorization` header, if it has a token.
fn authorized<'a, Body: Default>(
	request: http::Request<'a, Body>,
	executor: &'a Executor,
) -> http::Request<'a, Body> {
	match &executor.authorization {
		Some(value) => request.add_header("Authorization", value),
		None => request,
	}
}

/// Sends `request` with a [`HTTP_TIMEOUT_MS`] deadline; the body of the answer if its status is
/// one of `accepted` and it is at most [`MAX_RESPONSE_BYTES`] long.
fn send<Chunk: AsRef<[u8]>, Body: Default + IntoIterator<Item = Chunk>>(
	request: http::Request<'_, Body>,
	accepted: &[u16],
) -> Result<Vec<u8>, OcwError> {
	let deadline = sp_io::offchain::timestamp().add(Duration::from_millis(HTTP_TIMEOUT_MS));
	let pending = request.deadline(deadline).send().map_err(|_| OcwError::Http)?;
	let response =
		pending.try_wait(deadline).map_err(|_| OcwError::Timeout)?.map_err(|_| OcwError::Http)?;
	if !accepted.contains(&response.code) {
		return Err(OcwError::Status(response.code));
	}
	let mut reader = response.body();
	reader.deadline(deadline);
	let body: Vec<u8> = reader.by_ref().take(MAX_RESPONSE_BYTES.saturating_add(1)).collect();
	match reader.error() {
		Some(HttpError::DeadlineReached) => return Err(OcwError::Timeout),
		Some(_) => return Err(OcwError::Http),
		None => {},
	}
	if body.len() > MAX_RESPONSE_BYTES {
		return Err(OcwError::ResponseTooLarge);
	}
	Ok(body)
}

/// Reads the executor's answer about job `id`: its `jobId` must be `id`, its `status` one of
/// the four known ones, and a `succeeded` answer must carry `resultRoot`, `outputHash` and
/// `feeUsed`.
pub fn parse_status(body: &[u8], id: JobId) -> Result<ExecutorStatus, OcwError> {
	let value: serde_json::Value = serde_json::from_slice(body).map_err(|_| OcwError::Json)?;
	if !value.is_object() {
		return Err(OcwError::Json);
	}
	let field = |name: &'static str| value.get(name).ok_or(OcwError::MissingField(name));
	let reported = unsigned(field("jobId")?).ok_or(OcwError::InvalidField("jobId"))?;
	let reported = u64::try_from(reported).map_err(|_| OcwError::InvalidField("jobId"))?;
	if reported != id {
		return Err(OcwError::WrongJob(reported));
	}
	let status = field("status")?.as_str().ok_or(OcwError::InvalidField("status"))?;
	let error =
		|| String::from(value.get("error").and_then(|error| error.as_str()).unwrap_or("no reason"));
	match status {
		"queued" => Ok(ExecutorStatus::Queued),
		"running" => match value.get("stage").and_then(|stage| stage.as_str()) {
			Some("waiting" | "verifying" | "downloading") => Ok(ExecutorStatus::Preparing),
			_ => Ok(ExecutorStatus::Running),
		},
		"failed" => Ok(ExecutorStatus::Failed(error())),
		"declined" => Ok(ExecutorStatus::Declined(error())),
		"succeeded" => {
			let hash = |name: &'static str| {
				let text = field(name)?.as_str().ok_or(OcwError::InvalidField(name))?;
				let bytes = from_hex(text).ok_or(OcwError::InvalidField(name))?;
				<[u8; 32]>::try_from(bytes).map(H256).map_err(|_| OcwError::InvalidField(name))
			};
			Ok(ExecutorStatus::Succeeded(ExecutorResult {
				result_root: hash("resultRoot")?,
				output_hash: hash("outputHash")?,
				fee_used: unsigned(field("feeUsed")?).ok_or(OcwError::InvalidField("feeUsed"))?,
			}))
		},
		_ => Err(OcwError::UnknownStatus),
	}
}

/// A non-negative integer given as a JSON integer or a string of decimal digits; a string
/// beyond `u128` saturates. `None` for anything else (signs, fractions, exponents, blanks).
pub fn unsigned(value: &serde_json::Value) -> Option<u128> {
	if let Some(number) = value.as_u64() {
		return Some(u128::from(number));
	}
	let digits = value.as_str()?;
	if digits.is_empty() || !digits.bytes().all(|byte| byte.is_ascii_digit()) {
		return None;
	}
	Some(digits.bytes().fold(0u128, |total, digit| {
		total.saturating_mul(10).saturating_add(u128::from(digit - b'0'))
	}))
}
