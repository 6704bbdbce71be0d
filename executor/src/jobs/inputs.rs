//! A job's inputs from the marketplace (compute-to-data): the assets its user attached on chain
//! (`Marketplace.attach_job_inputs`) and its parameters in full.
//!
//! For each asset the executor downloads its stored file (verified against its root) into the
//! job's directory; an encrypted one is decrypted there with the content key its owner sealed to
//! this executor's enclave key (`Marketplace.deliver_enclave_key`), opened with the enclave's
//! x25519 secret. The command reads `$ZEROG_INPUTS/0`, `/1`, ... and `$ZEROG_PARAMS`; only what
//! it writes to `$ZEROG_OUTPUT_DIR/output` leaves, so the job's user gets the result and never
//! the data. The chain checked, when the inputs were attached, that the user may use each asset
//! and that its owner accepted this enclave; the executor reads the key that is sealed to its own
//! enclave key or declines the job.
//!
//! **Where the enclave key lives.** On confidential-computing hardware the executor runs inside
//! the enclave (an Intel TDX guest, say), the key is generated there and bound to its attestation
//! quote, which governance checked before approving it (`ComputeEscrow.approve_enclave`). Run
//! elsewhere, `--enclave-key-file` is only as private as the machine; an owner who accepts such a
//! key trusts its operator.

use crate::{
	chain::{AssetView, Chain, ChainError},
	storage_client::{Storage, StorageError},
};
use polkadot_sdk::{
	sp_core::{sr25519, Pair},
	sp_runtime::AccountId32,
};
use std::{
	path::{Path, PathBuf},
	time::{Duration, Instant},
};
use zerog_client::marketplace::{files::decrypt_file, keys::account_secret_key};
use zerog_primitives::encryption::{self, X25519Key};

/// Directory of a job's decrypted inputs, inside its work directory.
pub const INPUTS_DIR: &str = "inputs";
/// File of a job's parameters, inside its work directory.
pub const PARAMS_FILE: &str = "params";

/// This executor's enclave key: the account governance approved as the signer of its services
/// (`Verifiability::Tee`), and the x25519 secret owners' content keys are sealed to.
pub struct EnclaveKey {
	/// The enclave signer's account.
	pub signer: AccountId32,
	/// Its x25519 secret, derived from the signing key as every account's is.
	secret: X25519Key,
}

impl std::fmt::Debug for EnclaveKey {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		// Never the secret, not even in a debug log.
		f.debug_struct("EnclaveKey").field("signer", &self.signer).finish_non_exhaustive()
	}
}

impl EnclaveKey {
	/// The enclave key of secret URI `suri`.
	pub fn from_suri(suri: &str) -> Result<Self, String> {
		let pair = sr25519::Pair::from_string(suri, None)
			.map_err(|error| format!("the enclave key: {error:?}"))?;
		let secret = account_secret_key(suri).map_err(|error| error.to_string())?;
		Ok(Self { signer: AccountId32::new(pair.public().0), secret })
	}

	/// The x25519 public key the signer must register (`zerog market key`).
	pub fn public_key(&self) -> X25519Key {
		encryption::public_key(&self.secret)
	}
}

/// Why a job's inputs could not be prepared. Every case is one this executor cannot run the job
/// for, so it is declined.
#[derive(Debug)]
pub struct InputsError(pub String);

impl std::fmt::Display for InputsError {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		f.write_str(&self.0)
	}
}

/// What fetching inputs needs.
pub struct InputsSource<'a> {
	pub chain: &'a dyn Chain,
	pub storage: &'a dyn Storage,
	pub enclave: Option<&'a EnclaveKey>,
	/// How long to retry a download the node cannot serve yet.
	pub patience: Duration,
	pub retry_delay: Duration,
}

impl InputsSource<'_> {
	/// Writes job `job`'s parameters and (decrypted) assets into `dir` and returns the
	/// variables its command gets; none when the job has no inputs attached.
	pub async fn prepare(
		&self,
		job: u64,
		dir: &Path,
	) -> Result<Vec<(String, String)>, InputsError> {
		let inputs = self.chain.job_inputs(job).await.map_err(chain_error("its inputs"))?;
		let Some(inputs) = inputs else { return Ok(Vec::new()) };
		let params = dir.join(PARAMS_FILE);
		let inputs_dir = dir.join(INPUTS_DIR);
		tokio::fs::create_dir_all(&inputs_dir).await.map_err(io_error(&inputs_dir))?;
		tokio::fs::write(&params, &inputs.params).await.map_err(io_error(&params))?;
		for (index, asset) in inputs.assets.iter().enumerate() {
			let target = inputs_dir.join(index.to_string());
			self.fetch(*asset, &target).await?;
			log::info!("job {job}: asset #{asset} is input {index}");
		}
		Ok(vec![
			("ZEROG_PARAMS".into(), params.display().to_string()),
			("ZEROG_INPUTS".into(), inputs_dir.display().to_string()),
			("ZEROG_INPUT_COUNT".into(), inputs.assets.len().to_string()),
		])
	}

	/// Downloads asset `id` to `target`, decrypting it if it is encrypted.
	async fn fetch(&self, id: u64, target: &Path) -> Result<(), InputsError> {
		let asset = self
			.chain
			.asset(id)
			.await
			.map_err(chain_error("the asset"))?
			.ok_or_else(|| InputsError(format!("asset #{id} is not registered")))?;
		if !asset.encrypted {
			return self.download(&asset, target).await;
		}
		let key = self.content_key(&asset).await?;
		let ciphertext = PathBuf::from(format!("{}.encrypted", target.display()));
		self.download(&asset, &ciphertext).await?;
		let (from, to) = (ciphertext.clone(), target.to_owned());
		let decrypted =
			tokio::task::spawn_blocking(move || decrypt_file(&from, &to, &key, false)).await;
		let _ = tokio::fs::remove_file(&ciphertext).await;
		match decrypted {
			Ok(Ok(_)) => Ok(()),
			Ok(Err(error)) => Err(InputsError(format!(
				"asset #{id} does not decrypt with the key its owner sealed to this enclave: {error}"
			))),
			Err(error) => Err(InputsError(format!("decrypting asset #{id}: {error}"))),
		}
	}

	/// The content key of encrypted `asset`, sealed to this executor's enclave key.
	async fn content_key(&self, asset: &AssetView) -> Result<encryption::ContentKey, InputsError> {
		let id = asset.id;
		let enclave = self.enclave.ok_or_else(|| {
			InputsError(format!(
				"asset #{id} is encrypted and this executor has no enclave key (--enclave-key-file)"
			))
		})?;
		let (recipient, sealed) = self
			.chain
			.enclave_key(id, &enclave.signer)
			.await
			.map_err(chain_error("the asset's enclave key"))?
			.ok_or_else(|| {
				InputsError(format!(
					"the owner of asset #{id} has not sealed its key to this enclave ({})",
					crate::encoding::format_account(&enclave.signer)
				))
			})?;
		if recipient != enclave.public_key() {
			return Err(InputsError(format!(
				"asset #{id}'s key is sealed to another encryption key than this enclave's \
				 (re-registered since?): its owner must deliver it again"
			)));
		}
		encryption::open_sealed_key(&enclave.secret, &sealed).map_err(|error| {
			InputsError(format!("asset #{id}'s sealed key does not open: {error}"))
		})
	}

	/// Downloads `asset`'s file to `target`, retrying what the node cannot serve yet.
	async fn download(&self, asset: &AssetView, target: &Path) -> Result<(), InputsError> {
		let started = Instant::now();
		loop {
			match self.storage.download(asset.root, target).await {
				Ok(size) if size == asset.size => return Ok(()),
				Ok(size) => {
					return Err(InputsError(format!(
						"asset #{}'s file has {size} bytes, not the {} registered",
						asset.id, asset.size
					)))
				},
				Err(error) if error.is_transient() && started.elapsed() < self.patience => {
					log::debug!("retrying asset #{}: {error}", asset.id);
					tokio::time::sleep(self.retry_delay).await;
				},
				Err(error) => return Err(download_error(asset.id, error)),
			}
		}
	}
}

fn download_error(id: u64, error: StorageError) -> InputsError {
	InputsError(format!("asset #{id} could not be downloaded: {error}"))
}

fn chain_error(what: &'static str) -> impl Fn(ChainError) -> InputsError {
	move |error| InputsError(format!("reading {what} from the chain: {error}"))
}

fn io_error(path: &Path) -> impl Fn(std::io::Error) -> InputsError + '_ {
	move |error| InputsError(format!("{}: {error}", path.display()))
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::{
		chain::JobInputsView,
		jobs::{
			runner::{
				tests::{config, finished},
				JobRunner,
			},
			state::{tests::request, JobStatus, JobStore},
		},
		testing::{FakeChain, FakeStorage},
	};
	use polkadot_sdk::sp_core::H256;
	use std::sync::Arc;
	use zerog_client::marketplace::on_chain::{AccessPolicy, AssetKind};

	const ENCLAVE: &str = "//Enclave";
	const PLAINTEXT: &[u8] = b"age,dose\n41,2\n67,3\n";
	const PARAMS: &[u8] = br#"{"column":"dose"}"#;
	const CONTENT_KEY: [u8; 32] = [0x33; 32];

	/// The command: the parameters, then the input's line count; never the data itself.
	const COMMAND: &str = r#"{ cat "$ZEROG_PARAMS"; echo; echo "$ZEROG_INPUT_COUNT"; wc -l < "$ZEROG_INPUTS/0"; } > "$ZEROG_OUTPUT_DIR/output""#;

	fn asset(id: u64, root: H256, size: u64, encrypted: bool) -> AssetView {
		AssetView {
			id,
			owner: [1; 32],
			kind: AssetKind::Dataset,
			name: b"doses".to_vec(),
			version: b"1".to_vec(),
			license: b"LicenseRef-private".to_vec(),
			root,
			size,
			card: None,
			encrypted,
			policy: AccessPolicy::Paid,
			price: 1,
			access_period: 100,
			open_grants: 1,
			deployments: 0,
			registered_at: 1,
		}
	}

	/// A chain with job 7 reading encrypted asset 0, whose key is sealed to `sealed_to`; the
	/// storage holding its ciphertext.
	fn encrypted_job(sealed_to: &str) -> (FakeChain, FakeStorage) {
		let chain = FakeChain::with_job(&request(7));
		let header = encryption::Header { chunk_size: 4096, salt: [9; 16] };
		let ciphertext = encryption::encrypt(&CONTENT_KEY, header, PLAINTEXT);
		let root = H256::repeat_byte(0xC1);
		let enclave = EnclaveKey::from_suri(ENCLAVE).unwrap();
		let recipient = EnclaveKey::from_suri(sealed_to).unwrap().public_key();
		let sealed = encryption::seal_key(&recipient, &CONTENT_KEY, &[5; 32]).unwrap().to_vec();
		chain.assets.lock().unwrap().insert(0, asset(0, root, ciphertext.len() as u64, true));
		chain.enclave_keys.lock().unwrap().insert((0, enclave.signer), (recipient, sealed));
		chain.job_inputs.lock().unwrap().insert(
			7,
			JobInputsView {
				user: [4; 32],
				provider: [6; 32],
				assets: vec![0],
				params: PARAMS.to_vec(),
				result: None,
				result_key: None,
			},
		);
		let storage = FakeStorage::with_dataset(H256([5; 32]), b"unused".to_vec());
		storage.add(root, ciphertext);
		(chain, storage)
	}

	fn enclave_runner(
		dir: &Path,
		chain: FakeChain,
		storage: FakeStorage,
		enclave: bool,
	) -> Arc<JobRunner> {
		let mut config = config(dir, COMMAND);
		config.enclave = enclave.then(|| Arc::new(EnclaveKey::from_suri(ENCLAVE).unwrap()));
		let store = JobStore::open(dir).unwrap();
		JobRunner::new(store, Arc::new(chain), Arc::new(storage), config)
	}

	#[tokio::test]
	async fn a_job_reads_an_encrypted_asset_inside_the_enclave_and_publishes_only_its_output() {
		let dir = tempfile::tempdir().unwrap();
		let (chain, storage) = encrypted_job(ENCLAVE);
		let storage = Arc::new(storage);
		let mut config = config(dir.path(), COMMAND);
		config.enclave = Some(Arc::new(EnclaveKey::from_suri(ENCLAVE).unwrap()));
		let runner = JobRunner::new(
			JobStore::open(dir.path()).unwrap(),
			Arc::new(chain),
			storage.clone(),
			config,
		);
		runner.accept(request(7)).unwrap();
		let record = finished(&runner, 7).await;
		assert_eq!(record.status, JobStatus::Succeeded, "{:?}", record.error);
		// Stored encrypted: only the key the executor keeps for the user opens it.
		let stored = storage.uploaded(record.result_root.unwrap()).unwrap();
		assert_eq!(&stored[..4], b"ZGE1");
		let key = crate::jobs::result_keys::ResultKeys::beside(&dir.path().join("work"))
			.unwrap()
			.read(7)
			.expect("the result's key is kept until the user pays");
		let output = encryption::decrypt(&key, &stored).unwrap();
		assert_eq!(String::from_utf8(output).unwrap(), "{\"column\":\"dose\"}\n1\n3\n");
		// Nothing of the job's directory, the decrypted data least of all, stays behind.
		assert!(!dir.path().join("work/7").exists());
	}

	#[tokio::test]
	async fn a_job_is_declined_where_the_key_is_not_sealed_to_this_enclave() {
		// Sealed to another enclave's key.
		let dir = tempfile::tempdir().unwrap();
		let (chain, storage) = encrypted_job("//OtherEnclave");
		let runner = enclave_runner(dir.path(), chain, storage, true);
		runner.accept(request(7)).unwrap();
		let record = finished(&runner, 7).await;
		assert_eq!(record.status, JobStatus::Declined);
		let error = record.error.unwrap();
		assert!(error.contains("sealed to another encryption key"), "{error}");
		assert!(!dir.path().join("work/7").exists(), "nothing decrypted is left");

		// An executor without an enclave key.
		let dir = tempfile::tempdir().unwrap();
		let (chain, storage) = encrypted_job(ENCLAVE);
		let runner = enclave_runner(dir.path(), chain, storage, false);
		runner.accept(request(7)).unwrap();
		let error = finished(&runner, 7).await.error.unwrap();
		assert!(error.contains("no enclave key"), "{error}");

		// The owner sealed nothing to this enclave.
		let dir = tempfile::tempdir().unwrap();
		let (chain, storage) = encrypted_job(ENCLAVE);
		chain.enclave_keys.lock().unwrap().clear();
		let runner = enclave_runner(dir.path(), chain, storage, true);
		runner.accept(request(7)).unwrap();
		let error = finished(&runner, 7).await.error.unwrap();
		assert!(error.contains("has not sealed its key to this enclave"), "{error}");
	}

	#[tokio::test]
	async fn a_key_that_does_not_open_the_file_declines_the_job() {
		let dir = tempfile::tempdir().unwrap();
		let (chain, storage) = encrypted_job(ENCLAVE);
		// The owner sealed a wrong content key.
		let enclave = EnclaveKey::from_suri(ENCLAVE).unwrap();
		let wrong = encryption::seal_key(&enclave.public_key(), &[0x44; 32], &[5; 32]).unwrap();
		chain
			.enclave_keys
			.lock()
			.unwrap()
			.insert((0, enclave.signer.clone()), (enclave.public_key(), wrong.to_vec()));
		let runner = enclave_runner(dir.path(), chain, storage, true);
		runner.accept(request(7)).unwrap();
		let record = finished(&runner, 7).await;
		assert_eq!(record.status, JobStatus::Declined);
		assert!(record.error.unwrap().contains("does not decrypt"));
	}
}
