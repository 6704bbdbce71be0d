//! Test runtime: System, Balances and this pallet, with AccountId32 accounts,
//! `MultiSignature` receipts signed by the sr25519 dev keys, `MultiSigner` signing types and a
//! mock extrinsic for the off-chain worker's signed transactions.

use crate::{
	self as pallet_compute_escrow, crypto::ComputeAuthId, InferenceReceipt, JobId, SignedReceipt,
};

use parking_lot::RwLock;
use polkadot_sdk::{
	frame_support::{
		self, derive_impl, parameter_types,
		traits::{ConstU128, ConstU32, Hooks},
	},
	frame_system::{self, offchain::AppCrypto, EnsureRoot},
	pallet_balances,
	sp_core::{
		offchain::{
			testing::{OffchainState, PoolState, TestOffchainExt, TestTransactionPoolExt},
			Externalities as OffchainExternalities, HttpError, HttpRequestId, HttpRequestStatus,
			OffchainDbExt, OffchainWorkerExt, OpaqueNetworkState, Timestamp, TransactionPoolExt,
		},
		OpaquePeerId, Pair, H256,
	},
	sp_io,
	sp_keyring::Sr25519Keyring,
	sp_keystore::{testing::MemoryKeystore, Keystore, KeystoreExt},
	sp_runtime::{
		generic::UncheckedExtrinsic, traits::IdentityLookup, AccountId32, BuildStorage,
		MultiSignature, MultiSigner, Perbill,
	},
};
use std::{collections::BTreeMap, sync::Arc};
use zerog_primitives::storage::{LiveFile, StoredFiles};

type Block = frame_system::mocking::MockBlock<Test>;
pub type AccountId = AccountId32;
pub type Balance = u128;
pub type BlockNumber = u64;

/// The transaction the off-chain worker submits: signed by an account, without signature or
/// extension (the pool of the tests checks nothing).
pub type Extrinsic = UncheckedExtrinsic<AccountId, RuntimeCall, (), ()>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		ComputeEscrow: pallet_compute_escrow,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountId = AccountId;
	type Lookup = IdentityLookup<AccountId>;
	type AccountData = pallet_balances::AccountData<Balance>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = Balance;
	type ExistentialDeposit = ConstU128<EXISTENTIAL_DEPOSIT>;
	type AccountStore = System;
}

impl frame_system::offchain::SigningTypes for Test {
	type Public = MultiSigner;
	type Signature = MultiSignature;
}

impl<LocalCall> frame_system::offchain::CreateTransactionBase<LocalCall> for Test
where
	RuntimeCall: From<LocalCall>,
{
	type RuntimeCall = RuntimeCall;
	type Extrinsic = Extrinsic;
}

impl<LocalCall> frame_system::offchain::CreateSignedTransaction<LocalCall> for Test
where
	RuntimeCall: From<LocalCall>,
{
	fn create_signed_transaction<C: AppCrypto<Self::Public, Self::Signature>>(
		call: RuntimeCall,
		_public: MultiSigner,
		account: AccountId,
		_nonce: <Test as frame_system::Config>::Nonce,
	) -> Option<Extrinsic> {
		Some(Extrinsic::new_signed(call, account, (), ()))
	}
}

/// Existential deposit of the test chain.
pub const EXISTENTIAL_DEPOSIT: Balance = 1;
/// Smallest stake of a service.
pub const MIN_STAKE: Balance = 1_000;
/// Blocks before a refund unlocks.
pub const REFUND_LOCK: BlockNumber = 10;
/// Fewest blocks between a job's creation and its deadline.
pub const MIN_JOB_DURATION: BlockNumber = 5;
/// Most blocks between a job's creation and its deadline.
pub const MAX_JOB_DURATION: BlockNumber = 100;
/// Blocks a user has to review a result.
pub const REVIEW_PERIOD: BlockNumber = 10;
/// Jobs per deadline block and reviews per block.
pub const MAX_JOBS_PER_BLOCK: u32 = 4;
/// Jobs waiting for a result per provider.
pub const MAX_PENDING_JOBS: u32 = 6;
/// Pending refunds per user.
pub const MAX_PENDING_REFUNDS: u32 = 3;
/// Services per provider.
pub const MAX_SERVICES: u32 = 3;
/// Held for each acknowledged enclave key.
pub const ACKNOWLEDGEMENT_DEPOSIT: Balance = 7;
/// Held for each open dispute.
pub const DISPUTE_BOND: Balance = 50;
/// Blocks before an unresolved dispute lapses.
pub const DISPUTE_PERIOD: BlockNumber = 20;
/// Size of a stored file whose size a test did not set.
pub const DEFAULT_FILE_SIZE: u64 = 1_000;

std::thread_local! {
	/// Files whose storage a test changed from the default, by root: `None` is not stored.
	static FILES: std::cell::RefCell<BTreeMap<H256, Option<LiveFile<BlockNumber>>>> =
		Default::default();
	/// The results [`PaidResults`] was told about, in order.
	static PAID_RESULTS: std::cell::RefCell<Vec<(JobId, H256)>> = Default::default();
}

/// Records the results paid for, as the runtime tells the marketplace.
pub struct PaidResults;

impl crate::OnResultPaid for PaidResults {
	fn on_result_paid(job: JobId, result_root: H256) {
		PAID_RESULTS.with(|paid| paid.borrow_mut().push((job, result_root)));
	}

	fn weight() -> polkadot_sdk::frame_support::weights::Weight {
		polkadot_sdk::frame_support::weights::Weight::from_parts(1_000, 0)
	}
}

/// The results paid for since the test began.
pub fn paid_results() -> Vec<(JobId, H256)> {
	PAID_RESULTS.with(|paid| paid.borrow().clone())
}

/// ZeroG storage for the tests: every root is a live file of [`DEFAULT_FILE_SIZE`] bytes that
/// never expires, unless [`store_file`] or [`forget_file`] says otherwise.
pub struct MockStoredFiles;

impl StoredFiles<BlockNumber> for MockStoredFiles {
	fn live_file(root: &H256) -> Option<LiveFile<BlockNumber>> {
		let now = System::block_number();
		FILES
			.with(|files| {
				files.borrow().get(root).copied().unwrap_or(Some(LiveFile {
					size: DEFAULT_FILE_SIZE,
					expires_at: BlockNumber::MAX,
				}))
			})
			.filter(|file| file.expires_at > now)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn store_for_benchmark(root: H256, size: u64, expires_at: BlockNumber) {
		store_file(root, size, expires_at);
	}
}

/// Makes `root` a live file of `size` bytes until `expires_at`.
pub fn store_file(root: H256, size: u64, expires_at: BlockNumber) {
	FILES.with(|files| files.borrow_mut().insert(root, Some(LiveFile { size, expires_at })));
}

/// Makes `root` a file nobody stores.
pub fn forget_file(root: H256) {
	FILES.with(|files| files.borrow_mut().insert(root, None));
}

parameter_types! {
	pub const MinServiceStake: Balance = MIN_STAKE;
	pub const SlashFraction: Perbill = Perbill::from_percent(10);
	pub const RefundLockPeriod: BlockNumber = REFUND_LOCK;
	pub const MinJobDuration: BlockNumber = MIN_JOB_DURATION;
	pub const MaxJobDuration: BlockNumber = MAX_JOB_DURATION;
	pub const ReviewPeriod: BlockNumber = REVIEW_PERIOD;
	pub const DisputePeriod: BlockNumber = DISPUTE_PERIOD;
}

impl pallet_compute_escrow::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Signature = MultiSignature;
	type AuthorityId = ComputeAuthId;
	type DisputeOrigin = EnsureRoot<AccountId>;
	type DisputeBond = ConstU128<DISPUTE_BOND>;
	type DisputePeriod = DisputePeriod;
	type StoredFiles = MockStoredFiles;
	type EnclaveOrigin = EnsureRoot<AccountId>;
	type AcknowledgementDeposit = ConstU128<ACKNOWLEDGEMENT_DEPOSIT>;
	type SlashDestination = ();
	type MinServiceStake = MinServiceStake;
	type SlashFraction = SlashFraction;
	type MaxModelLen = ConstU32<64>;
	type MaxEndpointLen = ConstU32<128>;
	type MaxServicesPerProvider = ConstU32<MAX_SERVICES>;
	type MaxReceiptsPerBatch = ConstU32<16>;
	type MaxPendingRefunds = ConstU32<MAX_PENDING_REFUNDS>;
	type RefundLockPeriod = RefundLockPeriod;
	type MinJobDuration = MinJobDuration;
	type MaxJobDuration = MaxJobDuration;
	type ReviewPeriod = ReviewPeriod;
	type MaxJobsPerBlock = ConstU32<MAX_JOBS_PER_BLOCK>;
	type MaxPendingJobsPerProvider = ConstU32<MAX_PENDING_JOBS>;
	type OnResultPaid = PaidResults;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::Sr25519BenchmarkHelper;
}

/// Free balance every dev account starts with.
pub const INITIAL_BALANCE: Balance = 1_000_000;

/// The dev accounts that start funded: users Alice and Bob, providers Charlie and Dave, and
/// Ferdie, who is a stranger to everything. Eve is the enclave key and has no balance.
pub const FUNDED: [Sr25519Keyring; 5] = [
	Sr25519Keyring::Alice,
	Sr25519Keyring::Bob,
	Sr25519Keyring::Charlie,
	Sr25519Keyring::Dave,
	Sr25519Keyring::Ferdie,
];

/// Storage with the funded dev accounts, at block 1, with a keystore for the benchmarks.
pub fn new_test_ext() -> sp_io::TestExternalities {
	FILES.with(|files| files.borrow_mut().clear());
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: FUNDED.iter().map(|key| (key.to_account_id(), INITIAL_BALANCE)).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.register_extension(KeystoreExt::new(MemoryKeystore::new()));
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs `test` on fresh storage, then checks every invariant of the pallet.
pub fn build_and_execute(test: impl FnOnce()) {
	PAID_RESULTS.with(|paid| paid.borrow_mut().clear());
	new_test_ext().execute_with(|| {
		test();
		ComputeEscrow::do_try_state().expect("invariants hold after the test");
	});
}

/// Runs the hooks of every block up to and including `n`.
pub fn run_to_block(n: BlockNumber) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		ComputeEscrow::on_finalize(System::block_number());
		System::set_block_number(next);
		ComputeEscrow::on_initialize(next);
	}
}

/// `receipt` signed by `key` for this chain.
pub fn sign(
	key: Sr25519Keyring,
	receipt: InferenceReceipt<AccountId, Balance>,
) -> SignedReceipt<AccountId, Balance, MultiSignature> {
	sign_for_chain(key, receipt, System::block_hash(0))
}

/// `receipt` signed by `key` for the chain whose genesis hash is `genesis_hash`.
pub fn sign_for_chain(
	key: Sr25519Keyring,
	receipt: InferenceReceipt<AccountId, Balance>,
	genesis_hash: polkadot_sdk::sp_core::H256,
) -> SignedReceipt<AccountId, Balance, MultiSignature> {
	let signature = key.pair().sign(&receipt.signing_payload(genesis_hash.as_ref())).into();
	SignedReceipt { receipt, signature }
}

/// HTTP outcomes a test imposes on requests, by (method, URI), instead of the `200` every
/// answer of `TestOffchainExt` has: another status code, a timeout or an I/O error.
pub type HttpOverrides = Arc<RwLock<BTreeMap<(String, String), HttpRequestStatus>>>;

/// `TestOffchainExt` whose answers can carry another outcome than HTTP 200 (see
/// [`HttpOverrides`]); everything else is the test extension's.
#[derive(Clone)]
pub struct OverridableOffchainExt {
	/// The mocked HTTP server and local storage.
	inner: TestOffchainExt,
	/// The outcomes imposed on requests.
	overrides: HttpOverrides,
}

impl OffchainExternalities for OverridableOffchainExt {
	fn is_validator(&self) -> bool {
		self.inner.is_validator()
	}

	fn network_state(&self) -> Result<OpaqueNetworkState, ()> {
		self.inner.network_state()
	}

	fn timestamp(&mut self) -> Timestamp {
		self.inner.timestamp()
	}

	fn sleep_until(&mut self, deadline: Timestamp) {
		self.inner.sleep_until(deadline)
	}

	fn random_seed(&mut self) -> [u8; 32] {
		self.inner.random_seed()
	}

	fn http_request_start(
		&mut self,
		method: &str,
		uri: &str,
		meta: &[u8],
	) -> Result<HttpRequestId, ()> {
		self.inner.http_request_start(method, uri, meta)
	}

	fn http_request_add_header(
		&mut self,
		request_id: HttpRequestId,
		name: &str,
		value: &str,
	) -> Result<(), ()> {
		self.inner.http_request_add_header(request_id, name, value)
	}

	fn http_request_write_body(
		&mut self,
		request_id: HttpRequestId,
		chunk: &[u8],
		deadline: Option<Timestamp>,
	) -> Result<(), HttpError> {
		self.inner.http_request_write_body(request_id, chunk, deadline)
	}

	fn http_response_wait(
		&mut self,
		ids: &[HttpRequestId],
		deadline: Option<Timestamp>,
	) -> Vec<HttpRequestStatus> {
		let statuses = self.inner.http_response_wait(ids, deadline);
		let state = self.inner.0.read();
		let overrides = self.overrides.read();
		ids.iter()
			.zip(statuses)
			.map(|(id, status)| {
				state
					.requests
					.get(id)
					.and_then(|request| {
						overrides.get(&(request.method.clone(), request.uri.clone())).copied()
					})
					.unwrap_or(status)
			})
			.collect()
	}

	fn http_response_headers(&mut self, request_id: HttpRequestId) -> Vec<(Vec<u8>, Vec<u8>)> {
		self.inner.http_response_headers(request_id)
	}

	fn http_response_read_body(
		&mut self,
		request_id: HttpRequestId,
		buffer: &mut [u8],
		deadline: Option<Timestamp>,
	) -> Result<usize, HttpError> {
		self.inner.http_response_read_body(request_id, buffer, deadline)
	}

	fn set_authorized_nodes(&mut self, nodes: Vec<OpaquePeerId>, authorized_only: bool) {
		self.inner.set_authorized_nodes(nodes, authorized_only)
	}
}

/// The handles an off-chain worker test inspects: mocked HTTP and local storage, imposed HTTP
/// outcomes, and the transaction pool.
pub struct OcwHandles {
	pub offchain: Arc<RwLock<OffchainState>>,
	pub overrides: HttpOverrides,
	pub pool: Arc<RwLock<PoolState>>,
}

/// Like [`new_test_ext`], with off-chain, pool and keystore extensions; the keystore holds the
/// `zgcp` keys of the dev `seeds` (e.g. `"//Charlie"`).
pub fn ocw_test_ext(seeds: &[&str]) -> (sp_io::TestExternalities, OcwHandles) {
	let mut ext = new_test_ext();
	let (offchain, offchain_state) = TestOffchainExt::new();
	let overrides = HttpOverrides::default();
	let (pool, pool_state) = TestTransactionPoolExt::new();
	let keystore = MemoryKeystore::new();
	for seed in seeds {
		keystore.sr25519_generate_new(crate::KEY_TYPE, Some(seed)).unwrap();
	}
	let worker = OverridableOffchainExt { inner: offchain.clone(), overrides: overrides.clone() };
	ext.register_extension(OffchainWorkerExt::new(worker));
	ext.register_extension(OffchainDbExt::new(offchain));
	ext.register_extension(TransactionPoolExt::new(pool));
	ext.register_extension(KeystoreExt::new(keystore));
	(ext, OcwHandles { offchain: offchain_state, overrides, pool: pool_state })
}
