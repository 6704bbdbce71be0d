//! Runs dispatched jobs: check the job on chain, download its dataset, run the service's
//! command, store its output, and record the result the off-chain worker reports on chain.
//!
//! Each job has a directory `DATA_DIR/work/<id>/`, the only place its command can write, with
//! the verified `dataset` and the command's `output/` directory (`$ZEROG_OUTPUT_DIR`). The
//! command is `sh -c COMMAND` in that directory, in the [`Sandbox`], with only `PATH`, `HOME`,
//! `LANG`, the variables the provider passes through (`--job-env`) and `ZEROG_DATASET`,
//! `ZEROG_OUTPUT_DIR`, `ZEROG_JOB_ID`, `ZEROG_PARAMS_HASH`, `ZEROG_SERVICE` and `ZEROG_USER`, and
//! for a job whose user attached marketplace inputs, `ZEROG_PARAMS` (the parameters' file),
//! `ZEROG_INPUTS` (a directory of the assets, decrypted, named `0`, `1`, ...) and
//! `ZEROG_INPUT_COUNT` (see [`crate::jobs::inputs`]). It must write its result to
//! `$ZEROG_OUTPUT_DIR/output`; the result of a job with inputs is stored encrypted, its key kept
//! until the user pays for it (see [`crate::jobs::result_keys`]). The executor then copies that file,
//! opened without following links, to `DATA_DIR/work/<id>.output` (out of the command's reach)
//! and stores and hashes the copy: a command cannot publish a file it links to. Its output and
//! errors go to `DATA_DIR/work/<id>.stdout.log` and `<id>.stderr.log`, also out of its reach.

use crate::{
	chain::{Chain, ChainError, JobView},
	encoding::{format_account, to_prefixed_hex},
	jobs::{
		inputs::{EnclaveKey, InputsError, InputsSource},
		result_keys::ResultKeys,
		sandbox::Sandbox,
		state::{Admission, JobRecord, JobRequest, JobStage, JobStatus, JobStore},
	},
	storage_client::{Storage, StorageError},
};
use polkadot_sdk::sp_core::H256;
use std::{
	collections::BTreeMap,
	ffi::CString,
	fs::File,
	io,
	os::{
		fd::{AsRawFd, FromRawFd, OwnedFd},
		unix::ffi::OsStrExt,
	},
	path::{Path, PathBuf},
	process::Stdio,
	sync::Arc,
	time::{Duration, Instant},
};
use tokio::{io::AsyncReadExt, sync::Semaphore};
use zerog_client::marketplace::files::encrypt_file;

/// Name of the file a command must write in `$ZEROG_OUTPUT_DIR`.
pub const OUTPUT_FILE: &str = "output";

/// How the runner runs jobs.
#[derive(Clone, Debug)]
pub struct RunnerConfig {
	/// The command of each job service this executor runs (`--service ID=COMMAND`).
	pub commands: BTreeMap<u64, String>,
	/// Where job work directories go (`DATA_DIR/work`).
	pub work_dir: PathBuf,
	/// Longest a command may run before it is killed and the job fails.
	pub timeout: Duration,
	/// When set, the fee is `min(maxFee, ceil(seconds the command ran) × price)`; otherwise the
	/// fee is `maxFee`.
	pub price_per_second: Option<u128>,
	/// Jobs run at the same time (GPU jobs usually want 1).
	pub parallel_jobs: usize,
	/// How long to keep retrying what may succeed later: the job not yet in a finalized block,
	/// the dataset not yet uploaded, the node briefly unreachable.
	pub patience: Duration,
	/// Pause between those retries.
	pub retry_delay: Duration,
	/// How commands are isolated.
	pub sandbox: Sandbox,
	/// The enclave key encrypted marketplace inputs are sealed to, if this executor has one.
	pub enclave: Option<Arc<EnclaveKey>>,
}

/// Where a job's files are.
struct JobPaths {
	/// The command's directory, the only one it may write: `work/<id>/`.
	dir: PathBuf,
	/// The verified dataset: `work/<id>/dataset`.
	dataset: PathBuf,
	/// `$ZEROG_OUTPUT_DIR`: `work/<id>/output/`.
	output_dir: PathBuf,
	/// The executor's copy of the output, stored and hashed: `work/<id>.output`.
	sealed: PathBuf,
	/// The command's standard output and error: `work/<id>.stdout.log`, `work/<id>.stderr.log`.
	stdout: PathBuf,
	stderr: PathBuf,
}

impl JobPaths {
	fn new(work_dir: &Path, id: u64) -> Self {
		let dir = work_dir.join(id.to_string());
		let beside = |suffix: &str| work_dir.join(format!("{id}.{suffix}"));
		Self {
			dataset: dir.join("dataset"),
			output_dir: dir.join("output"),
			sealed: beside("output"),
			stdout: beside("stdout.log"),
			stderr: beside("stderr.log"),
			dir,
		}
	}
}

/// Why a job failed.
#[derive(Debug)]
pub enum JobError {
	/// The dispatched job is not on chain, or not as dispatched.
	Verification(String),
	/// No `--service` command for the job's service.
	NoCommand(u64),
	/// The dataset could not be downloaded or did not verify.
	Dataset(StorageError),
	/// The job's marketplace inputs could not be fetched or opened here.
	Inputs(InputsError),
	/// The command could not start, failed, or timed out.
	Command(String),
	/// The command wrote no usable output.
	Output(String),
	/// The output could not be stored.
	Upload(StorageError),
	/// The executor's own files could not be written.
	Io(io::Error),
}

impl std::fmt::Display for JobError {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		match self {
			Self::Verification(reason) => write!(f, "job check against the chain failed: {reason}"),
			Self::NoCommand(service) => write!(
				f,
				"this executor has no command for service {service} (--service {service}=COMMAND)"
			),
			Self::Dataset(error) => write!(f, "dataset download failed: {error}"),
			Self::Inputs(error) => write!(f, "job inputs: {error}"),
			Self::Command(reason) => write!(f, "{reason}"),
			Self::Output(reason) => write!(f, "{reason}"),
			Self::Upload(error) => write!(f, "output upload failed: {error}"),
			Self::Io(error) => write!(f, "executor file error: {error}"),
		}
	}
}

impl JobError {
	/// Whether the job was never started because this executor cannot run it, so declining it
	/// on chain is honest: the dataset or an input cannot be fetched (after retrying transient
	/// errors for `patience`) or opened here, or the service has no command here.
	pub fn is_decline(&self) -> bool {
		matches!(self, Self::Dataset(_) | Self::Inputs(_) | Self::NoCommand(_))
	}
}

impl From<io::Error> for JobError {
	fn from(error: io::Error) -> Self {
		Self::Io(error)
	}
}

/// Accepts jobs, runs them in the background, and records their state in the [`JobStore`].
pub struct JobRunner {
	store: JobStore,
	chain: Arc<dyn Chain>,
	storage: Arc<dyn Storage>,
	config: RunnerConfig,
	slots: Semaphore,
}

impl JobRunner {
	/// A runner over `store`; nothing runs until [`JobRunner::accept`] or
	/// [`JobRunner::resume_unfinished`].
	pub fn new(
		store: JobStore,
		chain: Arc<dyn Chain>,
		storage: Arc<dyn Storage>,
		config: RunnerConfig,
	) -> Arc<Self> {
		let slots = Semaphore::new(config.parallel_jobs.max(1));
		Arc::new(Self { store, chain, storage, config, slots })
	}

	/// The job records.
	pub fn store(&self) -> &JobStore {
		&self.store
	}

	/// Records a dispatched job and starts it; a job already known is left as it is (a repeated
	/// dispatch is a status query), see [`JobStore::admit`].
	pub fn accept(self: &Arc<Self>, request: JobRequest) -> io::Result<Admission> {
		let admission = self.store.admit(request)?;
		if let Admission::New(record) = &admission {
			log::info!(
				"job {} accepted: service {}, dataset {:?}",
				record.request.job_id,
				record.request.service,
				record.request.dataset_root
			);
			self.spawn(record.request.job_id);
		}
		Ok(admission)
	}

	/// Restarts every job a previous run left unfinished.
	pub fn resume_unfinished(self: &Arc<Self>) {
		for id in self.store.unfinished() {
			log::info!("job {id} resumed after a restart");
			self.spawn(id);
		}
	}

	/// Runs job `id` in the background and records how it ended.
	fn spawn(self: &Arc<Self>, id: u64) {
		let runner = Arc::clone(self);
		tokio::spawn(async move {
			let outcome = runner.execute(id).await;
			let recorded = match outcome {
				Ok(record) => {
					log::info!(
						"job {id} succeeded: result root {:?}, fee {}",
						record.result_root.unwrap_or_default(),
						record.fee_used.unwrap_or_default()
					);
					Ok(())
				},
				Err(error) => {
					let status =
						if error.is_decline() { JobStatus::Declined } else { JobStatus::Failed };
					log::warn!(
						"job {id} {}: {error}",
						if error.is_decline() { "declined" } else { "failed" }
					);
					runner
						.store
						.update(id, |job| {
							job.status = status;
							job.stage = JobStage::Done;
							job.error = Some(error.to_string());
						})
						.map(|_| ())
				},
			};
			if let Err(error) = recorded {
				log::error!("job {id}: its state could not be recorded: {error}");
			}
		});
	}

	/// Takes job `id` from where its record says it is to success.
	async fn execute(&self, id: u64) -> Result<JobRecord, JobError> {
		let record = self.store.get(id).ok_or_else(|| {
			io::Error::new(io::ErrorKind::NotFound, format!("job {id} is not recorded"))
		})?;
		let request = record.request.clone();
		let paths = JobPaths::new(&self.config.work_dir, id);
		let output_ready = record.stage == JobStage::Uploading
			&& record.fee_used.is_some()
			&& paths.sealed.is_file();
		// Checked before the job takes a slot: a job id someone else posted waits for the chain
		// here, never in front of the real jobs.
		if !output_ready && !record.verified {
			self.set_stage(id, JobStage::Verifying)?;
			self.verify(&request).await?;
			self.store.update(id, |job| job.verified = true)?;
		}

		let _slot =
			self.slots.acquire().await.map_err(|_| JobError::Command("runner closed".into()))?;
		self.store.update(id, |job| job.status = JobStatus::Running)?;
		if !output_ready {
			let command = self
				.config
				.commands
				.get(&request.service)
				.ok_or(JobError::NoCommand(request.service))?
				.clone();

			self.set_stage(id, JobStage::Downloading)?;
			// A fresh directory: nothing a previous run of the command left there (a link
			// named `dataset`, say) is ever written through.
			if paths.dir.exists() {
				tokio::fs::remove_dir_all(&paths.dir).await?;
			}
			tokio::fs::create_dir_all(&paths.output_dir).await?;
			self.patiently(|| self.storage.download(request.dataset_root, &paths.dataset))
				.await
				.map_err(JobError::Dataset)?;

			let inputs = InputsSource {
				chain: &*self.chain,
				storage: &*self.storage,
				enclave: self.config.enclave.as_deref(),
				patience: self.config.patience,
				retry_delay: self.config.retry_delay,
			};
			let input_env = match inputs.prepare(id, &paths.dir).await {
				Ok(env) => env,
				Err(error) => {
					// Nothing decrypted stays behind a job that will not run.
					let _ = tokio::fs::remove_dir_all(&paths.dir).await;
					return Err(JobError::Inputs(error));
				},
			};

			self.set_stage(id, JobStage::Computing)?;
			let mut env = job_env(&request, &paths.dataset, &paths.output_dir);
			// What a job with marketplace inputs outputs is the user's alone.
			let has_inputs = !input_env.is_empty();
			env.extend(input_env);
			let ran = run_command(
				&self.config.sandbox,
				&command,
				&env,
				&paths.dir,
				(&paths.stdout, &paths.stderr),
				self.config.timeout,
			)
			.await;
			// A failed command's directory (decrypted inputs included) goes at once.
			let ran = match ran {
				Ok(ran) => ran,
				Err(error) => {
					let _ = tokio::fs::remove_dir_all(&paths.dir).await;
					return Err(error);
				},
			};
			seal_output(&paths.dir, &paths.sealed).await?;
			if has_inputs {
				encrypt_output(&self.config.work_dir, id, &paths.sealed).await?;
			}
			let fee = fee_used(ran, request.max_fee, self.config.price_per_second);
			self.store.update(id, |job| {
				job.stage = JobStage::Uploading;
				job.fee_used = Some(fee);
				job.compute_seconds = Some(ran.as_secs_f64());
			})?;
			// The dataset and the command's files are no longer needed; the sealed output
			// stays until it is stored.
			let _ = tokio::fs::remove_dir_all(&paths.dir).await;
		}

		let output_hash = keccak_file(&paths.sealed).await?;
		let root = self
			.patiently(|| self.storage.upload(&paths.sealed))
			.await
			.map_err(JobError::Upload)?;
		let record = self.store.update(id, |job| {
			job.status = JobStatus::Succeeded;
			job.stage = JobStage::Done;
			job.result_root = Some(root);
			job.output_hash = Some(output_hash);
			job.error = None;
		})?;
		let _ = tokio::fs::remove_file(&paths.sealed).await;
		Ok(record)
	}

	/// Records that job `id` reached `stage`.
	fn set_stage(&self, id: u64, stage: JobStage) -> io::Result<()> {
		self.store.update(id, |job| job.stage = stage).map(|_| ())
	}

	/// Checks that the dispatched job is on chain exactly as dispatched and assigned to this
	/// executor's account. The job may not be finalized yet when it is dispatched (the worker sees
	/// best blocks), so a missing job is retried for a while.
	async fn verify(&self, request: &JobRequest) -> Result<(), JobError> {
		let started = Instant::now();
		let job = loop {
			let waited = started.elapsed() >= self.config.patience;
			match self.chain.job(request.job_id).await {
				Ok(Some(job)) => break job,
				Ok(None) if waited => {
					return Err(JobError::Verification(format!(
						"job {} is not an unfinished job on chain",
						request.job_id
					)))
				},
				Err(ChainError::Unavailable(reason)) if waited => {
					return Err(JobError::Verification(reason))
				},
				Err(error @ (ChainError::Decode(_) | ChainError::Rejected(_))) => {
					return Err(JobError::Verification(error.to_string()))
				},
				Ok(None) | Err(ChainError::Unavailable(_)) => {
					tokio::time::sleep(self.config.retry_delay).await
				},
			}
		};
		compare_with_chain(request, &job, &self.chain.account()).map_err(JobError::Verification)
	}

	/// Runs `attempt` until it succeeds, fails for good, or `patience` is spent.
	async fn patiently<F, Fut, T>(&self, mut attempt: F) -> Result<T, StorageError>
	where
		F: FnMut() -> Fut,
		Fut: std::future::Future<Output = Result<T, StorageError>>,
	{
		let started = Instant::now();
		loop {
			match attempt().await {
				Err(error) if error.is_transient() && started.elapsed() < self.config.patience => {
					log::debug!("retrying: {error}");
					tokio::time::sleep(self.config.retry_delay).await;
				},
				result => return result,
			}
		}
	}
}

/// Whether the chain's `job` is the dispatched `request`, assigned to `provider`; the error names
/// the first field that differs.
fn compare_with_chain(
	request: &JobRequest,
	job: &JobView,
	provider: &polkadot_sdk::sp_runtime::AccountId32,
) -> Result<(), String> {
	let id = request.job_id;
	if job.provider != *provider {
		return Err(format!(
			"job {id} is assigned to {}, not to this executor's account {}",
			format_account(&job.provider),
			format_account(provider)
		));
	}
	if !job.assigned {
		return Err(format!("job {id} already has a result on chain"));
	}
	let differs = |field: &str, chain: String, dispatched: String| {
		Err(format!("job {id} has {field} {chain} on chain but {dispatched} was dispatched"))
	};
	if job.service != request.service {
		return differs("service", job.service.to_string(), request.service.to_string());
	}
	if job.user != request.user {
		return differs("user", format_account(&job.user), format_account(&request.user));
	}
	if job.dataset_root != request.dataset_root {
		return differs(
			"dataset root",
			to_prefixed_hex(job.dataset_root.as_bytes()),
			to_prefixed_hex(request.dataset_root.as_bytes()),
		);
	}
	if job.params_hash != request.params_hash {
		return differs(
			"params hash",
			to_prefixed_hex(job.params_hash.as_bytes()),
			to_prefixed_hex(request.params_hash.as_bytes()),
		);
	}
	if job.max_fee != request.max_fee {
		return differs("max fee", job.max_fee.to_string(), request.max_fee.to_string());
	}
	if job.deadline != request.deadline {
		return differs("deadline", job.deadline.to_string(), request.deadline.to_string());
	}
	Ok(())
}

/// The variables a job's command gets on top of the executor's environment.
pub fn job_env(request: &JobRequest, dataset: &Path, output_dir: &Path) -> Vec<(String, String)> {
	vec![
		("ZEROG_DATASET".into(), dataset.display().to_string()),
		("ZEROG_OUTPUT_DIR".into(), output_dir.display().to_string()),
		("ZEROG_JOB_ID".into(), request.job_id.to_string()),
		("ZEROG_PARAMS_HASH".into(), to_prefixed_hex(request.params_hash.as_bytes())),
		("ZEROG_SERVICE".into(), request.service.to_string()),
		("ZEROG_USER".into(), format_account(&request.user)),
	]
}

/// Encrypts job `id`'s sealed output in place under a fresh key, kept with the executor's
/// [`ResultKeys`] until the user pays for the result.
async fn encrypt_output(work_dir: &Path, id: u64, sealed: &Path) -> Result<(), JobError> {
	let keys = ResultKeys::beside(work_dir)?;
	let key = keys.create(id)?;
	let encrypted = PathBuf::from(format!("{}.encrypted", sealed.display()));
	let (from, to) = (sealed.to_owned(), encrypted.clone());
	tokio::task::spawn_blocking(move || encrypt_file(&from, &to, &key, false))
		.await
		.map_err(|error| JobError::Output(format!("encrypting the output: {error}")))?
		.map_err(|error| JobError::Output(format!("encrypting the output: {error}")))?;
	tokio::fs::rename(&encrypted, sealed).await?;
	Ok(())
}

/// Runs `sh -c command` in `dir` in `sandbox` with `env`, its standard output and error to
/// the `logs` files; returns how long it ran. A non-zero exit, a signal or running past
/// `timeout` (the whole process group is killed) is an error quoting the end of its errors.
pub async fn run_command(
	sandbox: &Sandbox,
	command: &str,
	env: &[(String, String)],
	dir: &Path,
	logs: (&Path, &Path),
	timeout: Duration,
) -> Result<Duration, JobError> {
	tokio::fs::create_dir_all(dir).await?;
	let stdout = File::create(logs.0)?;
	let stderr = File::create(logs.1)?;
	let started = Instant::now();
	let mut child = sandbox
		.command(command, dir, env)?
		.stdin(Stdio::null())
		.stdout(Stdio::from(stdout))
		.stderr(Stdio::from(stderr))
		// Its own process group, so a timeout kills everything the command started.
		.process_group(0)
		.kill_on_drop(true)
		.spawn()
		.map_err(|error| JobError::Command(format!("cannot start `sh -c {command}`: {error}")))?;
	let status = match tokio::time::timeout(timeout, child.wait()).await {
		Ok(status) => status
			.map_err(|error| JobError::Command(format!("waiting for the command: {error}")))?,
		Err(_elapsed) => {
			if let Some(pid) = child.id().and_then(|pid| i32::try_from(pid).ok()) {
				// SAFETY: kill(2) with a negative pid signals that process group; no memory is
				// touched.
				unsafe {
					libc::kill(-pid, libc::SIGKILL);
				}
			}
			let _ = child.kill().await;
			return Err(JobError::Command(format!(
				"the command ran longer than {}s and was killed{}",
				timeout.as_secs(),
				stderr_tail(logs.1).await
			)));
		},
	};
	if !status.success() {
		let how = match status.code() {
			Some(code) => format!("exited with status {code}"),
			None => "was killed by a signal".to_string(),
		};
		return Err(JobError::Command(format!("the command {how}{}", stderr_tail(logs.1).await)));
	}
	Ok(started.elapsed())
}

/// The last lines of a job's standard error, formatted to follow an error message.
async fn stderr_tail(stderr: &Path) -> String {
	const TAIL: usize = 1000;
	let Ok(mut file) = tokio::fs::File::open(stderr).await else {
		return String::new();
	};
	let mut bytes = Vec::new();
	if file.read_to_end(&mut bytes).await.is_err() || bytes.is_empty() {
		return String::new();
	}
	let start = bytes.len().saturating_sub(TAIL);
	format!("; stderr ends with: {}", String::from_utf8_lossy(&bytes[start..]).trim())
}

/// Copies `$ZEROG_OUTPUT_DIR/output` of the job in `job_dir` to `sealed`, opening every path
/// component below `job_dir` without following links: the output must be a non-empty regular
/// file the command wrote, never a link to a file of the provider's.
pub async fn seal_output(job_dir: &Path, sealed: &Path) -> Result<(), JobError> {
	let (job_dir, sealed) = (job_dir.to_owned(), sealed.to_owned());
	tokio::task::spawn_blocking(move || seal_output_blocking(&job_dir, &sealed))
		.await
		.map_err(|error| JobError::Output(format!("sealing the output: {error}")))?
}

fn seal_output_blocking(job_dir: &Path, sealed: &Path) -> Result<(), JobError> {
	let directory = open_no_follow(None, job_dir, libc::O_DIRECTORY)
		.map_err(|error| JobError::Output(format!("the job directory: {error}")))?;
	let outputs = open_no_follow(Some(&directory), Path::new("output"), libc::O_DIRECTORY)
		.map_err(|error| match error.raw_os_error() {
			Some(libc::ELOOP | libc::ENOTDIR) => JobError::Output(
				"$ZEROG_OUTPUT_DIR was replaced by a link or a file; outputs are read without \
				 following links"
					.into(),
			),
			_ => JobError::Output(format!("$ZEROG_OUTPUT_DIR: {error}")),
		})?;
	// O_NONBLOCK: a FIFO planted as the output must not block the executor.
	let output = open_no_follow(Some(&outputs), Path::new(OUTPUT_FILE), libc::O_NONBLOCK).map_err(
		|error| match error.raw_os_error() {
			Some(libc::ENOENT) => {
				JobError::Output("the command wrote no $ZEROG_OUTPUT_DIR/output".into())
			},
			Some(libc::ELOOP) => JobError::Output(
				"$ZEROG_OUTPUT_DIR/output is a symbolic link; outputs are read without following \
				 links"
					.into(),
			),
			_ => JobError::Output(format!("$ZEROG_OUTPUT_DIR/output: {error}")),
		},
	)?;
	let mut output = File::from(output);
	let metadata = output.metadata()?;
	if !metadata.is_file() {
		return Err(JobError::Output("$ZEROG_OUTPUT_DIR/output is not a file".into()));
	}
	if metadata.len() == 0 {
		return Err(JobError::Output("the command wrote an empty $ZEROG_OUTPUT_DIR/output".into()));
	}
	let _ = std::fs::remove_file(sealed);
	let mut copy = std::fs::OpenOptions::new().write(true).create_new(true).open(sealed)?;
	io::copy(&mut output, &mut copy)?;
	copy.sync_all()?;
	Ok(())
}

/// Opens `path` (relative to `directory` if given) read-only with `flags`, failing with `ELOOP`
/// if its last component is a symbolic link.
fn open_no_follow(directory: Option<&OwnedFd>, path: &Path, flags: i32) -> io::Result<OwnedFd> {
	let name = CString::new(path.as_os_str().as_bytes())
		.map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "a path with a NUL byte"))?;
	let base = directory.map_or(libc::AT_FDCWD, |fd| fd.as_raw_fd());
	// SAFETY: `name` is a valid C string for the duration of the call; the returned
	// descriptor, if any, is owned by nobody else.
	let fd = unsafe {
		libc::openat(
			base,
			name.as_ptr(),
			libc::O_RDONLY | libc::O_NOFOLLOW | libc::O_CLOEXEC | flags,
		)
	};
	if fd < 0 {
		return Err(io::Error::last_os_error());
	}
	// SAFETY: `fd` was just returned by openat and is not owned elsewhere.
	Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// The fee for a job that computed for `ran`: `max_fee`, or with a per-second price
/// `min(max_fee, ceil(seconds) × price)`.
pub fn fee_used(ran: Duration, max_fee: u128, price_per_second: Option<u128>) -> u128 {
	match price_per_second {
		None => max_fee,
		Some(price) => {
			let seconds = ran.as_secs() + u64::from(ran.subsec_nanos() > 0);
			u128::from(seconds).saturating_mul(price).min(max_fee)
		},
	}
}

/// keccak256 of a file, read in pieces.
pub async fn keccak_file(path: &Path) -> io::Result<H256> {
	use tiny_keccak::Hasher;
	let mut hasher = tiny_keccak::Keccak::v256();
	let mut file = tokio::fs::File::open(path).await?;
	let mut buffer = vec![0u8; 1 << 20];
	loop {
		let read = file.read(&mut buffer).await?;
		if read == 0 {
			break;
		}
		hasher.update(&buffer[..read]);
	}
	let mut hash = [0u8; 32];
	hasher.finalize(&mut hash);
	Ok(H256(hash))
}

#[cfg(test)]
pub(crate) mod tests {
	use super::*;
	use crate::encoding::keccak_256;
	use crate::{
		jobs::state::tests::request,
		testing::{FakeChain, FakeStorage},
	};

	pub(crate) fn config(dir: &Path, command: &str) -> RunnerConfig {
		RunnerConfig {
			commands: BTreeMap::from([(1, command.to_string())]),
			work_dir: dir.join("work"),
			timeout: Duration::from_secs(20),
			price_per_second: None,
			parallel_jobs: 1,
			patience: Duration::from_millis(300),
			retry_delay: Duration::from_millis(20),
			sandbox: Sandbox::none(),
			enclave: None,
		}
	}

	pub(crate) async fn finished(runner: &JobRunner, id: u64) -> JobRecord {
		for _ in 0..500 {
			let record = runner.store().get(id).unwrap();
			if record.is_finished() {
				return record;
			}
			tokio::time::sleep(Duration::from_millis(20)).await;
		}
		panic!("job {id} did not finish: {:?}", runner.store().get(id));
	}

	fn runner(dir: &Path, command: &str, chain: FakeChain) -> (Arc<JobRunner>, Arc<FakeStorage>) {
		let storage = Arc::new(FakeStorage::with_dataset(H256([5; 32]), b"a,b\n1,2\n".to_vec()));
		let store = JobStore::open(dir).unwrap();
		let runner = JobRunner::new(store, Arc::new(chain), storage.clone(), config(dir, command));
		(runner, storage)
	}

	#[tokio::test]
	async fn a_job_runs_with_its_environment_and_its_output_is_stored() {
		let dir = tempfile::tempdir().unwrap();
		let chain = FakeChain::with_job(&request(7));
		let command = r#"printf '%s|%s|%s|' "$ZEROG_JOB_ID" "$ZEROG_PARAMS_HASH" "$ZEROG_SERVICE" > "$ZEROG_OUTPUT_DIR/output"; cat "$ZEROG_DATASET" >> "$ZEROG_OUTPUT_DIR/output""#;
		let (runner, storage) = runner(dir.path(), command, chain);
		runner.accept(request(7)).unwrap();
		let record = finished(&runner, 7).await;
		assert_eq!(record.status, JobStatus::Succeeded, "{:?}", record.error);
		let expected = format!("7|{}|1|a,b\n1,2\n", to_prefixed_hex(&[6; 32]));
		let uploaded = storage.uploaded(record.result_root.unwrap()).unwrap();
		assert_eq!(String::from_utf8(uploaded).unwrap(), expected);
		assert_eq!(record.output_hash, Some(H256(keccak_256(expected.as_bytes()))));
		assert_eq!(record.fee_used, Some(request(7).max_fee));
	}

	#[tokio::test]
	async fn a_failing_command_fails_the_job_with_its_status_and_stderr() {
		let dir = tempfile::tempdir().unwrap();
		let (runner, _storage) = runner(
			dir.path(),
			"echo 'out of memory' >&2; exit 3",
			FakeChain::with_job(&request(1)),
		);
		runner.accept(request(1)).unwrap();
		let record = finished(&runner, 1).await;
		assert_eq!(record.status, JobStatus::Failed);
		let error = record.error.unwrap();
		assert!(error.contains("status 3") && error.contains("out of memory"), "{error}");
	}

	#[tokio::test]
	async fn a_command_without_output_fails_the_job() {
		let dir = tempfile::tempdir().unwrap();
		let (runner, _storage) = runner(dir.path(), "true", FakeChain::with_job(&request(1)));
		runner.accept(request(1)).unwrap();
		let error = finished(&runner, 1).await.error.unwrap();
		assert!(error.contains("wrote no $ZEROG_OUTPUT_DIR/output"), "{error}");
	}

	#[tokio::test]
	async fn a_job_unlike_the_chain_s_is_refused() {
		let dir = tempfile::tempdir().unwrap();
		let mut on_chain = request(1);
		on_chain.max_fee -= 1;
		let (mismatched, _storage) = runner(dir.path(), "true", FakeChain::with_job(&on_chain));
		mismatched.accept(request(1)).unwrap();
		let error = finished(&mismatched, 1).await.error.unwrap();
		assert!(error.contains("max fee"), "{error}");

		let other_dir = tempfile::tempdir().unwrap();
		let (missing, _storage) = runner(other_dir.path(), "true", FakeChain::default());
		missing.accept(request(2)).unwrap();
		let error = finished(&missing, 2).await.error.unwrap();
		assert!(error.contains("not an unfinished job on chain"), "{error}");
	}

	/// Issue 15's attack: a stranger posts job ids before their real dispatch (the id of the
	/// next job with other fields, and one far in the future). Neither fails the real job, and
	/// the one waiting for the chain does not hold the only slot.
	#[tokio::test]
	async fn a_pre_posted_job_id_does_not_fail_the_real_dispatch() {
		let dir = tempfile::tempdir().unwrap();
		let storage = Arc::new(FakeStorage::with_dataset(H256([5; 32]), b"a,b\n1,2\n".to_vec()));
		let mut config = config(dir.path(), "cp \"$ZEROG_DATASET\" \"$ZEROG_OUTPUT_DIR/output\"");
		config.patience = Duration::from_secs(30);
		let runner = JobRunner::new(
			JobStore::open(dir.path()).unwrap(),
			Arc::new(FakeChain::with_job(&request(7))),
			storage,
			config,
		);
		let mut forged = request(7);
		forged.dataset_root = H256([0xee; 32]);
		assert!(matches!(runner.accept(forged).unwrap(), Admission::New(_)));
		let error = finished(&runner, 7).await.error.unwrap();
		assert!(error.contains("dataset root"), "{error}");
		// A future job id: not on chain, so it waits (here up to 30 s) for the chain.
		assert!(matches!(runner.accept(request(99)).unwrap(), Admission::New(_)));

		assert!(matches!(runner.accept(request(7)).unwrap(), Admission::New(_)));
		let real = finished(&runner, 7).await;
		assert_eq!(real.status, JobStatus::Succeeded, "{:?}", real.error);
		assert_eq!(real.request, request(7));
		let waiting = runner.store().get(99).unwrap();
		assert_eq!((waiting.stage, waiting.is_finished()), (JobStage::Verifying, false));
	}

	#[tokio::test]
	async fn a_job_of_a_service_without_command_is_declined() {
		let dir = tempfile::tempdir().unwrap();
		let mut other = request(4);
		other.service = 9;
		let (runner, _storage) = runner(dir.path(), "true", FakeChain::with_job(&other));
		runner.accept(other).unwrap();
		let record = finished(&runner, 4).await;
		assert_eq!(record.status, JobStatus::Declined);
		assert!(record.error.unwrap().contains("no command for service 9"));
	}

	/// Issue 15: a job whose dataset nobody serves is declined (and the worker declines it on
	/// chain), never run, never left to fail.
	#[tokio::test]
	async fn a_job_whose_dataset_cannot_be_fetched_is_declined() {
		let dir = tempfile::tempdir().unwrap();
		let mut missing = request(6);
		missing.dataset_root = H256([0x77; 32]);
		let (runner, _storage) =
			runner(dir.path(), "echo ran > ran", FakeChain::with_job(&missing));
		runner.accept(missing).unwrap();
		let record = finished(&runner, 6).await;
		assert_eq!(record.status, JobStatus::Declined, "{:?}", record.error);
		assert!(record.error.as_deref().unwrap().contains("dataset download failed"));
		assert_eq!(record.status_json()["status"], "declined");
		assert!(!dir.path().join("work/6/ran").exists(), "the command never ran");
	}

	#[tokio::test]
	async fn a_command_past_its_timeout_is_killed() {
		let dir = tempfile::tempdir().unwrap();
		let started = Instant::now();
		let logs = (&dir.path().join("out.log"), &dir.path().join("err.log"));
		let (logs, sandbox) = ((logs.0.as_path(), logs.1.as_path()), Sandbox::none());
		let error = run_command(
			&sandbox,
			"sleep 30 & sleep 30",
			&[],
			dir.path(),
			logs,
			Duration::from_millis(200),
		)
		.await
		.unwrap_err();
		assert!(error.to_string().contains("longer than"), "{error}");
		assert!(started.elapsed() < Duration::from_secs(10));
	}

	#[tokio::test]
	async fn an_interrupted_upload_resumes_without_running_again() {
		let dir = tempfile::tempdir().unwrap();
		{
			let store = JobStore::open(dir.path()).unwrap();
			store.admit(request(3)).unwrap();
			store
				.update(3, |job| {
					job.status = JobStatus::Running;
					job.stage = JobStage::Uploading;
					job.fee_used = Some(11);
				})
				.unwrap();
			std::fs::create_dir_all(dir.path().join("work")).unwrap();
			std::fs::write(dir.path().join("work/3.output"), b"weights").unwrap();
		}
		// The command would fail if it ran again.
		let (runner, storage) = runner(dir.path(), "exit 1", FakeChain::default());
		runner.resume_unfinished();
		let record = finished(&runner, 3).await;
		assert_eq!(record.status, JobStatus::Succeeded, "{:?}", record.error);
		assert_eq!(record.fee_used, Some(11));
		assert_eq!(storage.uploaded(record.result_root.unwrap()), Some(b"weights".to_vec()));
	}

	/// A runner whose commands run in bubblewrap, in a directory the job user may not traverse
	/// (tempdirs are 0700), as on a provider's machine.
	fn sandboxed_runner(
		dir: &Path,
		command: &str,
		job: &JobRequest,
	) -> (Arc<JobRunner>, Arc<FakeStorage>) {
		let storage = Arc::new(FakeStorage::with_dataset(H256([5; 32]), b"a,b\n1,2\n".to_vec()));
		let mut config = config(dir, command);
		config.sandbox = Sandbox {
			kind: crate::jobs::sandbox::SandboxKind::Bwrap,
			network: false,
			read_only_paths: Vec::new(),
			pass_env: vec!["CUDA_VISIBLE_DEVICES".into()],
		};
		let store = JobStore::open(dir).unwrap();
		let chain = Arc::new(FakeChain::with_job(job));
		(JobRunner::new(store, chain, storage.clone(), config), storage)
	}

	/// A provider key file next to the executor's state, as a careless provider keeps it.
	fn provider_key(dir: &Path) -> PathBuf {
		let key = dir.join("provider.key");
		std::fs::write(&key, "provider-secret-seed-phrase").unwrap();
		key
	}

	/// Issue 15: a job cannot read the provider's key, its environment or other files of the
	/// host; it runs as nobody without network.
	#[tokio::test]
	async fn a_job_cannot_read_the_providers_key_or_environment() {
		let dir = tempfile::tempdir().unwrap();
		let key = provider_key(dir.path());
		let command = format!(
			"{{ cat {key} /etc/shadow /root/.bash_history; id -u; env; \
			 cat \"$ZEROG_DATASET\"; ls /; \
			 python3 -c 'import socket; socket.create_connection((\"1.1.1.1\", 80), 2)' && echo online; }} > \"$ZEROG_OUTPUT_DIR/output\" 2>&1; true",
			key = key.display()
		);
		let (runner, storage) = sandboxed_runner(dir.path(), &command, &request(8));
		runner.accept(request(8)).unwrap();
		let record = finished(&runner, 8).await;
		assert_eq!(record.status, JobStatus::Succeeded, "{:?}", record.error);
		let output =
			String::from_utf8(storage.uploaded(record.result_root.unwrap()).unwrap()).unwrap();
		assert!(!output.contains("provider-secret-seed-phrase"), "{output}");
		assert!(output.contains("a,b\n1,2"), "the job reads its dataset: {output}");
		assert!(output.contains("\n65534\n"), "the job runs as nobody: {output}");
		assert!(!output.contains("online"), "no network: {output}");
		assert!(!output.contains("root:"), "no /etc/shadow: {output}");
		let variables: Vec<&str> = output
			.lines()
			.filter_map(|line| line.split_once('=').map(|(name, _)| name))
			.filter(|name| {
				name.chars().all(|c| c.is_ascii_uppercase() || c == '_') && !name.is_empty()
			})
			.collect();
		for name in &variables {
			assert!(
				["PATH", "HOME", "LANG", "PWD", "SHLVL", "_", "OLDPWD"].contains(name)
					|| name.starts_with("ZEROG_")
					|| *name == "CUDA_VISIBLE_DEVICES",
				"{name} leaked into the job's environment: {output}"
			);
		}
	}

	/// Issue 15: a job cannot publish a file of the provider's by linking to it, neither as its
	/// output nor by replacing its output directory.
	#[tokio::test]
	async fn a_job_cannot_publish_a_symlinked_file() {
		let dir = tempfile::tempdir().unwrap();
		let key = provider_key(dir.path());
		let linked_file = format!("ln -s {} \"$ZEROG_OUTPUT_DIR/output\"", key.display());
		let (runner, _) = sandboxed_runner(dir.path(), &linked_file, &request(9));
		runner.accept(request(9)).unwrap();
		let record = finished(&runner, 9).await;
		assert_eq!(record.status, JobStatus::Failed);
		assert!(record.error.as_deref().unwrap().contains("symbolic link"), "{:?}", record.error);

		let secrets = dir.path().join("secrets");
		std::fs::create_dir_all(&secrets).unwrap();
		std::fs::copy(&key, secrets.join(OUTPUT_FILE)).unwrap();
		let linked_dir = format!(
			"rm -r \"$ZEROG_OUTPUT_DIR\"; ln -s {} \"$ZEROG_OUTPUT_DIR\"",
			secrets.display()
		);
		let other = tempfile::tempdir().unwrap();
		let (runner, _) = sandboxed_runner(other.path(), &linked_dir, &request(10));
		runner.accept(request(10)).unwrap();
		let record = finished(&runner, 10).await;
		assert_eq!(record.status, JobStatus::Failed);
		assert!(
			record.error.as_deref().unwrap().contains("replaced by a link"),
			"{:?}",
			record.error
		);
	}

	#[tokio::test]
	async fn a_fifo_output_does_not_block_the_executor() {
		let dir = tempfile::tempdir().unwrap();
		let (runner, _) =
			sandboxed_runner(dir.path(), "mkfifo \"$ZEROG_OUTPUT_DIR/output\"", &request(11));
		runner.accept(request(11)).unwrap();
		let record = finished(&runner, 11).await;
		assert_eq!(record.status, JobStatus::Failed);
		assert!(record.error.as_deref().unwrap().contains("not a file"), "{:?}", record.error);
	}

	#[test]
	fn fee_is_max_fee_or_metered_by_the_second() {
		assert_eq!(fee_used(Duration::from_millis(1500), 100, None), 100);
		assert_eq!(fee_used(Duration::from_millis(1500), 100, Some(7)), 14);
		assert_eq!(fee_used(Duration::from_secs(2), 100, Some(7)), 14);
		assert_eq!(fee_used(Duration::from_secs(60), 100, Some(7)), 100);
	}
}
