//! Test runtime: System, Balances and this pallet, with ZeroG storage and the compute services
//! as thread-local tables the tests set.

use crate::{self as pallet_marketplace, ComputeMarket, JobId, OpenJob};
use polkadot_sdk::{
	frame_support::{self, derive_impl, parameter_types, traits::ConstU128},
	frame_system, pallet_balances,
	sp_core::H256,
	sp_io,
	sp_runtime::BuildStorage,
};
use std::{cell::RefCell, collections::BTreeMap};
use zerog_primitives::{
	compute::ServiceId,
	storage::{LiveFile, StoredFiles},
};

type Block = frame_system::mocking::MockBlock<Test>;
pub type AccountId = u64;
pub type Balance = u128;
pub type BlockNumber = u64;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Marketplace: pallet_marketplace,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<Balance>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = Balance;
	type ExistentialDeposit = ConstU128<1>;
	type AccountStore = System;
}

/// The accounts of the tests.
pub const OWNER: AccountId = 1;
pub const BUYER: AccountId = 2;
pub const OTHER: AccountId = 3;
pub const PROVIDER: AccountId = 4;
/// An account with nothing.
pub const PAUPER: AccountId = 9;
/// What each funded account starts with.
pub const FUNDS: Balance = 10_000;
pub const ASSET_DEPOSIT: Balance = 100;
pub const GRANT_DEPOSIT: Balance = 10;
pub const KEY_DEPOSIT: Balance = 5;
pub const MAX_ACCESS_PERIOD: BlockNumber = 1_000;
pub const KEY_DELIVERY_PERIOD: BlockNumber = 20;
pub const MAX_ASSETS: u32 = 3;
/// Size of every stored file a test did not set.
pub const FILE_SIZE: u64 = 4_096;
/// The service `PROVIDER` runs.
pub const SERVICE: ServiceId = 7;
/// An enclave signing key governance approved.
pub const ENCLAVE: AccountId = 5;
/// The job the tests open.
pub const JOB: JobId = 11;
pub const JOB_INPUTS_DEPOSIT: Balance = 30;
pub const MAX_ENCLAVES: u32 = 2;
pub const MAX_JOB_ASSETS: u32 = 3;

thread_local! {
	/// Files a test changed from the default (every root live, `FILE_SIZE` bytes): `None` is
	/// not stored.
	static FILES: RefCell<BTreeMap<H256, Option<LiveFile<BlockNumber>>>> = Default::default();
	/// Compute services and their providers.
	static SERVICES: RefCell<BTreeMap<ServiceId, AccountId>> = Default::default();
	/// Approved enclave signers.
	static ENCLAVES: RefCell<Vec<AccountId>> = Default::default();
	/// Jobs that are not over, and whether each still waits for its result.
	static JOBS: RefCell<BTreeMap<JobId, (OpenJob<AccountId>, bool)>> = Default::default();
}

/// ZeroG storage for the tests.
pub struct MockStoredFiles;

impl StoredFiles<BlockNumber> for MockStoredFiles {
	fn live_file(root: &H256) -> Option<LiveFile<BlockNumber>> {
		let stored = FILES.with(|files| files.borrow().get(root).copied());
		stored.unwrap_or(Some(LiveFile { size: FILE_SIZE, expires_at: BlockNumber::MAX }))
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn store_for_benchmark(root: H256, size: u64, expires_at: BlockNumber) {
		FILES.with(|files| files.borrow_mut().insert(root, Some(LiveFile { size, expires_at })));
	}
}

/// Makes `root` a file nobody stores.
pub fn forget_file(root: H256) {
	FILES.with(|files| files.borrow_mut().insert(root, None));
}

/// The compute marketplace for the tests.
pub struct MockCompute;

impl ComputeMarket<AccountId> for MockCompute {
	fn provider_of(service: ServiceId) -> Option<AccountId> {
		SERVICES.with(|services| services.borrow().get(&service).copied())
	}

	fn is_approved_enclave(signer: &AccountId) -> bool {
		ENCLAVES.with(|enclaves| enclaves.borrow().contains(signer))
	}

	fn open_job(job: JobId) -> Option<OpenJob<AccountId>> {
		JOBS.with(|jobs| {
			jobs.borrow().get(&job).filter(|(_, open)| *open).map(|(job, _)| job.clone())
		})
	}

	fn job_finished(job: JobId) -> bool {
		JOBS.with(|jobs| !jobs.borrow().contains_key(&job))
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn register_for_benchmark(provider: &AccountId) -> ServiceId {
		SERVICES.with(|services| services.borrow_mut().insert(SERVICE, *provider));
		SERVICE
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn approve_enclave_for_benchmark(signer: &AccountId) {
		approve_enclave(*signer);
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn open_job_for_benchmark(user: &AccountId, signer: &AccountId, params_hash: H256) -> JobId {
		open_job(JOB, *user, Some(*signer), params_hash);
		JOB
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn close_job_for_benchmark(job: JobId) {
		close_job(job);
	}
}

/// Opens job `job` of `user` for `PROVIDER`, on a service signed by `enclave`, with
/// `params_hash`.
pub fn open_job(job: JobId, user: AccountId, enclave: Option<AccountId>, params_hash: H256) {
	let open = OpenJob {
		service: SERVICE,
		user,
		provider: PROVIDER,
		params_hash,
		enclave_signer: enclave,
	};
	JOBS.with(|jobs| jobs.borrow_mut().insert(job, (open, true)));
}

/// Job `job` has a result in review: it no longer waits, and is not over.
pub fn review_job(job: JobId) {
	JOBS.with(|jobs| {
		if let Some((_, open)) = jobs.borrow_mut().get_mut(&job) {
			*open = false;
		}
	});
}

/// Job `job` is over (paid for, refunded, expired or declined).
pub fn close_job(job: JobId) {
	JOBS.with(|jobs| jobs.borrow_mut().remove(&job));
}

/// Governance approves enclave `signer`.
pub fn approve_enclave(signer: AccountId) {
	ENCLAVES.with(|enclaves| enclaves.borrow_mut().push(signer));
}

/// Removes service `service`.
pub fn remove_service(service: ServiceId) {
	SERVICES.with(|services| services.borrow_mut().remove(&service));
}

parameter_types! {
	pub const MaxAccessPeriod: BlockNumber = MAX_ACCESS_PERIOD;
	pub const KeyDeliveryPeriod: BlockNumber = KEY_DELIVERY_PERIOD;
}

impl pallet_marketplace::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type StoredFiles = MockStoredFiles;
	type Compute = MockCompute;
	type AssetDeposit = ConstU128<ASSET_DEPOSIT>;
	type GrantDeposit = ConstU128<GRANT_DEPOSIT>;
	type KeyDeposit = ConstU128<KEY_DEPOSIT>;
	type MaxAccessPeriod = MaxAccessPeriod;
	type MaxAssetsPerOwner = frame_support::traits::ConstU32<MAX_ASSETS>;
	type MaxNameLen = frame_support::traits::ConstU32<64>;
	type MaxVersionLen = frame_support::traits::ConstU32<16>;
	type MaxLicenseLen = frame_support::traits::ConstU32<64>;
	type MaxSealedKeyLen = frame_support::traits::ConstU32<128>;
	type KeyDeliveryPeriod = KeyDeliveryPeriod;
	type MaxEnclavesPerAsset = frame_support::traits::ConstU32<MAX_ENCLAVES>;
	type MaxJobAssets = frame_support::traits::ConstU32<MAX_JOB_ASSETS>;
	type MaxJobParamsLen = frame_support::traits::ConstU32<256>;
	type JobInputsDeposit = ConstU128<JOB_INPUTS_DEPOSIT>;
	type WeightInfo = ();
}

/// Funded accounts, block 1, `PROVIDER` running `SERVICE`, `ENCLAVE` approved, no job open, no
/// file forgotten.
pub fn new_test_ext() -> sp_io::TestExternalities {
	FILES.with(|files| files.borrow_mut().clear());
	SERVICES.with(|services| *services.borrow_mut() = BTreeMap::from([(SERVICE, PROVIDER)]));
	ENCLAVES.with(|enclaves| *enclaves.borrow_mut() = vec![ENCLAVE]);
	JOBS.with(|jobs| jobs.borrow_mut().clear());
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: [OWNER, BUYER, OTHER, PROVIDER, ENCLAVE]
			.iter()
			.map(|account| (*account, FUNDS))
			.collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs `test` in a fresh test runtime and checks the invariants after it.
pub fn run(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Marketplace::do_try_state().expect("the marketplace's invariants hold");
	});
}
