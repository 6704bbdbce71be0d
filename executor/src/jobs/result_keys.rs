//! Encrypted results: the output of a job with marketplace inputs is stored encrypted under a
//! fresh content key, and the key goes to the job's user, sealed to its registered encryption
//! key (`Marketplace.deliver_result_key`), once the user paid for the result (accepted it, or
//! its review or dispute ended with the provider paid). The chain records the payment
//! (`JobInputs.result`), so neither side moves first on trust: the user pays for a result it
//! has not seen, whose key the chain lets the provider deliver only then; an executor in an
//! enclave (see [`crate::jobs::inputs`]) delivers it as soon as it sees the payment.
//!
//! Keys wait in `DATA_DIR/result-keys/<job>.key` (mode 600, out of every job's reach) until
//! they are delivered, or until the job ended without payment.

use crate::{
	chain::{Chain, ChainError},
	encoding::format_account,
};
use std::{
	io,
	path::{Path, PathBuf},
	sync::Arc,
	time::Duration,
};
use zerog_client::marketplace::keys::{random_key, read_key_file, seal_for, write_key_file};
use zerog_primitives::encryption::ContentKey;

/// The content keys of results not delivered yet, one file per job.
#[derive(Clone, Debug)]
pub struct ResultKeys {
	dir: PathBuf,
}

impl ResultKeys {
	/// The keys of the executor whose job directories are in `work_dir`: `result-keys` beside
	/// it (`DATA_DIR/result-keys`).
	pub fn beside(work_dir: &Path) -> io::Result<Self> {
		Self::open(&work_dir.with_file_name("result-keys"))
	}

	/// The keys in `dir`, created (mode 700) if missing.
	pub fn open(dir: &Path) -> io::Result<Self> {
		use std::os::unix::fs::DirBuilderExt;
		std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)?;
		Ok(Self { dir: dir.to_owned() })
	}

	fn path(&self, job: u64) -> PathBuf {
		self.dir.join(format!("{job}.key"))
	}

	/// A fresh key for job `job`'s result, kept until [`Self::forget`]; replaces one a run
	/// interrupted before its output was stored left behind.
	pub fn create(&self, job: u64) -> io::Result<ContentKey> {
		let path = self.path(job);
		match std::fs::remove_file(&path) {
			Err(error) if error.kind() != io::ErrorKind::NotFound => return Err(error),
			_ => {},
		}
		let key = random_key();
		write_key_file(&path, &key).map_err(|error| io::Error::other(error.to_string()))?;
		Ok(key)
	}

	/// Job `job`'s key, if it is kept.
	pub fn read(&self, job: u64) -> Option<ContentKey> {
		read_key_file(&self.path(job)).ok()
	}

	/// Deletes job `job`'s key.
	pub fn forget(&self, job: u64) {
		let _ = std::fs::remove_file(self.path(job));
	}

	/// The jobs whose keys are kept.
	pub fn pending(&self) -> Vec<u64> {
		let Ok(entries) = std::fs::read_dir(&self.dir) else { return Vec::new() };
		let mut jobs: Vec<u64> = entries
			.filter_map(|entry| {
				entry.ok()?.file_name().to_str()?.strip_suffix(".key")?.parse().ok()
			})
			.collect();
		jobs.sort_unstable();
		jobs
	}
}

/// What became of one kept key in a round.
#[derive(Debug, PartialEq, Eq)]
pub enum Delivery {
	/// Sealed to the user and stored on chain.
	Delivered,
	/// The result is not paid for yet (or the user has no encryption key): kept for later.
	Waiting,
	/// The job ended without payment, its record is gone, or a key was delivered already.
	Dropped,
}

/// Delivers, or drops, job `job`'s key according to the chain.
pub async fn deliver(
	chain: &dyn Chain,
	keys: &ResultKeys,
	job: u64,
) -> Result<Delivery, ChainError> {
	let Some(key) = keys.read(job) else { return Ok(Delivery::Dropped) };
	let dropped = |keys: &ResultKeys| {
		keys.forget(job);
		Ok(Delivery::Dropped)
	};
	let Some(inputs) = chain.job_inputs(job).await? else { return dropped(keys) };
	if inputs.result_key.is_some() {
		return dropped(keys);
	}
	if inputs.result.is_none() {
		// Not paid for: wait while the job runs or is reviewed; once it is over, it never will be.
		return match chain.job(job).await? {
			Some(_) => Ok(Delivery::Waiting),
			None => dropped(keys),
		};
	}
	let user = polkadot_sdk::sp_runtime::AccountId32::new(inputs.user);
	let Some(recipient) = chain.encryption_key(&user).await? else {
		log::warn!(
			"job {job}: its result is paid for, but {} has no encryption key to seal it to",
			format_account(&user)
		);
		return Ok(Delivery::Waiting);
	};
	let sealed =
		seal_for(&recipient, &key).map_err(|error| ChainError::Rejected(error.to_string()))?;
	chain.deliver_result_key(job, sealed).await?;
	log::info!("job {job}: the result's key was delivered to {}", format_account(&user));
	keys.forget(job);
	Ok(Delivery::Delivered)
}

/// Every `interval`, delivers the keys of the results paid for since.
pub fn spawn(chain: Arc<dyn Chain>, keys: ResultKeys, interval: Duration) {
	tokio::spawn(async move {
		loop {
			for job in keys.pending() {
				if let Err(error) = deliver(&*chain, &keys, job).await {
					log::warn!("job {job}: the result's key: {error}; trying again");
				}
			}
			tokio::time::sleep(interval).await;
		}
	});
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::{
		chain::{JobInputsView, JobView},
		testing::FakeChain,
	};
	use polkadot_sdk::{sp_core::H256, sp_runtime::AccountId32};
	use zerog_primitives::encryption;

	const JOB: u64 = 7;

	fn inputs(result: Option<H256>) -> JobInputsView {
		JobInputsView {
			user: [4; 32],
			provider: [9; 32],
			assets: vec![0],
			params: Vec::new(),
			result,
			result_key: None,
		}
	}

	fn open_job(chain: &FakeChain) {
		let job = JobView {
			service: 1,
			user: AccountId32::new([4; 32]),
			provider: crate::testing::provider(),
			dataset_root: H256::zero(),
			params_hash: H256::zero(),
			max_fee: 1,
			deadline: 9,
			assigned: false,
		};
		chain.jobs.lock().unwrap().insert(JOB, job);
	}

	#[tokio::test]
	async fn a_key_waits_for_the_payment_and_then_goes_to_the_user_sealed() {
		let dir = tempfile::tempdir().unwrap();
		let keys = ResultKeys::open(dir.path()).unwrap();
		let key = keys.create(JOB).unwrap();
		assert_eq!(keys.pending(), vec![JOB]);
		let chain = FakeChain::default();
		open_job(&chain);
		chain.job_inputs.lock().unwrap().insert(JOB, inputs(None));
		// In review: not paid for yet.
		assert_eq!(deliver(&chain, &keys, JOB).await.unwrap(), Delivery::Waiting);
		// Paid, but the user removed its encryption key: nothing to seal to yet.
		chain.jobs.lock().unwrap().clear();
		chain.job_inputs.lock().unwrap().insert(JOB, inputs(Some(H256::repeat_byte(1))));
		assert_eq!(deliver(&chain, &keys, JOB).await.unwrap(), Delivery::Waiting);
		assert!(chain.result_keys_delivered.lock().unwrap().is_empty());
		let secret = [0x21; 32];
		let user = AccountId32::new([4; 32]);
		chain.encryption_keys.lock().unwrap().insert(user, encryption::public_key(&secret));
		assert_eq!(deliver(&chain, &keys, JOB).await.unwrap(), Delivery::Delivered);
		let delivered = chain.result_keys_delivered.lock().unwrap().clone();
		assert_eq!(delivered.len(), 1);
		assert_eq!(encryption::open_sealed_key(&secret, &delivered[0].1), Ok(key));
		assert!(keys.pending().is_empty(), "a delivered key is not kept");
	}

	#[tokio::test]
	async fn a_key_is_dropped_when_the_job_ends_unpaid_or_its_record_goes() {
		let dir = tempfile::tempdir().unwrap();
		let keys = ResultKeys::open(dir.path()).unwrap();
		let chain = FakeChain::default();
		// Refunded (expired, declined, a dispute the user won): over, and never paid.
		keys.create(JOB).unwrap();
		chain.job_inputs.lock().unwrap().insert(JOB, inputs(None));
		assert_eq!(deliver(&chain, &keys, JOB).await.unwrap(), Delivery::Dropped);
		assert!(keys.pending().is_empty());
		// The user removed the record.
		keys.create(JOB).unwrap();
		chain.job_inputs.lock().unwrap().clear();
		assert_eq!(deliver(&chain, &keys, JOB).await.unwrap(), Delivery::Dropped);
		assert!(keys.pending().is_empty());
		assert!(chain.result_keys_delivered.lock().unwrap().is_empty());
	}

	#[test]
	fn keys_are_private_and_a_rerun_replaces_its_key() {
		use std::os::unix::fs::PermissionsExt;
		let dir = tempfile::tempdir().unwrap();
		let keys = ResultKeys::beside(&dir.path().join("work")).unwrap();
		let first = keys.create(3).unwrap();
		let second = keys.create(3).unwrap();
		assert_ne!(first, second);
		assert_eq!(keys.read(3), Some(second));
		let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
		assert_eq!(mode(&dir.path().join("result-keys")), 0o700);
		assert_eq!(mode(&dir.path().join("result-keys/3.key")), 0o600);
	}
}
