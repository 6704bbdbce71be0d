//! Test doubles: a chain that settles receipts by the pallet's rules, storage in memory, and a
//! minimal HTTP client.

use crate::{
	chain::{AssetView, Chain, ChainError, JobInputsView, JobView, ServiceView, SubAccountView},
	jobs::state::JobRequest,
	receipt::{ReceiptOutcome, SignedReceipt},
	storage_client::{Storage, StorageError},
};
use async_trait::async_trait;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use polkadot_sdk::{sp_core::H256, sp_runtime::AccountId32};
use std::{
	collections::BTreeMap,
	net::SocketAddr,
	path::Path,
	sync::{
		atomic::{AtomicBool, Ordering},
		Mutex,
	},
};

/// The provider account of [`FakeChain`].
pub fn provider() -> AccountId32 {
	AccountId32::new([9; 32])
}

/// The genesis hash of the [`FakeChain`], which the test receipts are signed for.
pub fn genesis_hash() -> H256 {
	H256::repeat_byte(0x47)
}

/// A chain in memory whose `settle_receipts` applies the pallet's checks.
pub struct FakeChain {
	/// Unfinished jobs.
	pub jobs: Mutex<BTreeMap<u64, JobView>>,
	/// Services.
	pub services: Mutex<BTreeMap<u64, ServiceView>>,
	/// Sub-accounts of users for [`provider`].
	pub sub_accounts: Mutex<BTreeMap<AccountId32, SubAccountView>>,
	/// Every `settle_receipts` call: service and batch.
	pub settled: Mutex<Vec<(u64, Vec<SignedReceipt>)>>,
	/// When set, `settle_receipts` fails as if the node were gone.
	pub offline: AtomicBool,
	/// `MaxReceiptsPerBatch`.
	pub max_batch: u32,
	/// Marketplace inputs attached to jobs.
	pub job_inputs: Mutex<BTreeMap<u64, JobInputsView>>,
	/// Marketplace assets.
	pub assets: Mutex<BTreeMap<u64, AssetView>>,
	/// Content keys sealed to enclaves, by asset and enclave signer.
	pub enclave_keys: Mutex<BTreeMap<(u64, AccountId32), ([u8; 32], Vec<u8>)>>,
	/// Registered encryption keys.
	pub encryption_keys: Mutex<BTreeMap<AccountId32, [u8; 32]>>,
	/// Every `deliver_result_key` call: job and sealed key.
	pub result_keys_delivered: Mutex<Vec<(u64, Vec<u8>)>>,
}

impl Default for FakeChain {
	fn default() -> Self {
		Self {
			jobs: Default::default(),
			services: Default::default(),
			sub_accounts: Default::default(),
			settled: Default::default(),
			offline: AtomicBool::new(false),
			max_batch: 100,
			job_inputs: Default::default(),
			assets: Default::default(),
			enclave_keys: Default::default(),
			encryption_keys: Default::default(),
			result_keys_delivered: Default::default(),
		}
	}
}

impl FakeChain {
	/// A chain with `request` as an assigned job of [`provider`].
	pub fn with_job(request: &JobRequest) -> Self {
		let chain = Self::default();
		chain.jobs.lock().unwrap().insert(
			request.job_id,
			JobView {
				service: request.service,
				user: request.user.clone(),
				provider: provider(),
				dataset_root: request.dataset_root,
				params_hash: request.params_hash,
				max_fee: request.max_fee,
				deadline: request.deadline,
				assigned: true,
			},
		);
		chain
	}

	/// The sub-account of `user`.
	pub fn sub(&self, user: &AccountId32) -> SubAccountView {
		self.sub_accounts.lock().unwrap().get(user).copied().unwrap_or_default()
	}
}

#[async_trait]
impl Chain for FakeChain {
	fn account(&self) -> AccountId32 {
		provider()
	}

	fn genesis_hash(&self) -> H256 {
		genesis_hash()
	}

	async fn service(&self, id: u64) -> Result<Option<ServiceView>, ChainError> {
		Ok(self.services.lock().unwrap().get(&id).cloned())
	}

	async fn sub_account(&self, user: &AccountId32) -> Result<SubAccountView, ChainError> {
		Ok(self.sub(user))
	}

	async fn job(&self, id: u64) -> Result<Option<JobView>, ChainError> {
		Ok(self.jobs.lock().unwrap().get(&id).cloned())
	}

	async fn max_receipts_per_batch(&self) -> Result<u32, ChainError> {
		Ok(self.max_batch)
	}

	async fn refund_lock_period(&self) -> Result<u32, ChainError> {
		// The runtime's: 10 minutes of 2 s blocks.
		Ok(300)
	}

	async fn settle_receipts(
		&self,
		service: u64,
		receipts: &[SignedReceipt],
	) -> Result<Vec<ReceiptOutcome>, ChainError> {
		if self.offline.load(Ordering::SeqCst) {
			return Err(ChainError::Unavailable("offline".into()));
		}
		assert!(receipts.len() <= self.max_batch as usize, "batch above MaxReceiptsPerBatch");
		let prices =
			self.services.lock().unwrap().get(&service).map(|s| s.prices).unwrap_or_default();
		let mut subs = self.sub_accounts.lock().unwrap();
		let outcomes = receipts
			.iter()
			.map(|signed| {
				let receipt = &signed.receipt;
				let sub = subs.entry(receipt.user.clone()).or_default();
				if receipt.service != service {
					ReceiptOutcome::WrongService
				} else if receipt.provider != provider() {
					ReceiptOutcome::WrongProvider
				} else if receipt.nonce <= sub.last_nonce {
					ReceiptOutcome::BadNonce
				} else if !receipt.is_signed_by(&signed.signature, &receipt.user, genesis_hash()) {
					ReceiptOutcome::BadSignature
				} else if receipt.fee > prices.price(receipt.input_tokens, receipt.output_tokens) {
					ReceiptOutcome::FeeAbovePrice
				} else if receipt.fee > sub.balance {
					ReceiptOutcome::InsufficientFunds
				} else {
					sub.balance -= receipt.fee;
					sub.last_nonce = receipt.nonce;
					ReceiptOutcome::Settled
				}
			})
			.collect();
		self.settled.lock().unwrap().push((service, receipts.to_vec()));
		Ok(outcomes)
	}

	async fn submit_file(&self, _root: H256, _size: u64) -> Result<(), ChainError> {
		Ok(())
	}

	async fn job_inputs(&self, id: u64) -> Result<Option<JobInputsView>, ChainError> {
		Ok(self.job_inputs.lock().unwrap().get(&id).cloned())
	}

	async fn asset(&self, id: u64) -> Result<Option<AssetView>, ChainError> {
		Ok(self.assets.lock().unwrap().get(&id).cloned())
	}

	async fn enclave_key(
		&self,
		asset: u64,
		signer: &AccountId32,
	) -> Result<Option<([u8; 32], Vec<u8>)>, ChainError> {
		Ok(self.enclave_keys.lock().unwrap().get(&(asset, signer.clone())).cloned())
	}

	async fn encryption_key(&self, account: &AccountId32) -> Result<Option<[u8; 32]>, ChainError> {
		Ok(self.encryption_keys.lock().unwrap().get(account).copied())
	}

	async fn deliver_result_key(&self, job: u64, sealed: Vec<u8>) -> Result<(), ChainError> {
		self.result_keys_delivered.lock().unwrap().push((job, sealed));
		Ok(())
	}
}

/// Storage in memory: datasets to download and what was uploaded, by root.
#[derive(Default)]
pub struct FakeStorage {
	datasets: Mutex<BTreeMap<H256, Vec<u8>>>,
	uploads: Mutex<BTreeMap<H256, Vec<u8>>>,
}

impl FakeStorage {
	/// Storage holding one dataset.
	pub fn with_dataset(root: H256, bytes: Vec<u8>) -> Self {
		let storage = Self::default();
		storage.datasets.lock().unwrap().insert(root, bytes);
		storage
	}

	/// Adds a file to download.
	pub fn add(&self, root: H256, bytes: Vec<u8>) {
		self.datasets.lock().unwrap().insert(root, bytes);
	}

	/// What was uploaded with `root`.
	pub fn uploaded(&self, root: H256) -> Option<Vec<u8>> {
		self.uploads.lock().unwrap().get(&root).cloned()
	}
}

#[async_trait]
impl Storage for FakeStorage {
	async fn download(&self, root: H256, destination: &Path) -> Result<u64, StorageError> {
		let bytes = self
			.datasets
			.lock()
			.unwrap()
			.get(&root)
			.cloned()
			.ok_or_else(|| StorageError::UnknownFile(format!("{root:?}")))?;
		std::fs::write(destination, &bytes)?;
		Ok(bytes.len() as u64)
	}

	async fn upload(&self, file: &Path) -> Result<H256, StorageError> {
		let bytes = std::fs::read(file)?;
		let root = zerog_primitives::storage::file_root(&bytes)
			.map_err(|error| StorageError::Io(error.to_string()))?;
		self.uploads.lock().unwrap().insert(root, bytes);
		Ok(root)
	}
}

/// Sends one HTTP/1.1 request to `address`; returns the status, headers and body text.
pub async fn http_request(
	address: SocketAddr,
	method: &str,
	path: &str,
	headers: &[(String, String)],
	body: &[u8],
) -> (u16, hyper::HeaderMap, String) {
	let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
		.build_http::<Full<Bytes>>();
	let mut request = hyper::Request::builder()
		.method(method)
		.uri(format!("http://{address}{path}"))
		.header("content-type", "application/json");
	for (name, value) in headers {
		request = request.header(name.as_str(), value.as_str());
	}
	let response = client
		.request(request.body(Full::new(Bytes::copy_from_slice(body))).unwrap())
		.await
		.unwrap();
	let status = response.status().as_u16();
	let headers = response.headers().clone();
	let body = response.into_body().collect().await.unwrap().to_bytes();
	(status, headers, String::from_utf8_lossy(&body).into_owned())
}
