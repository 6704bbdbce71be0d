//! Test runtime: System, Balances and this pallet, with AccountId32 accounts and
//! `MultiSignature` receipts signed by the sr25519 dev keys.

use crate::{self as pallet_compute_escrow, InferenceReceipt, SignedReceipt};
use codec::Encode;
use polkadot_sdk::{
	frame_support::{
		self, derive_impl, parameter_types,
		traits::{ConstU128, ConstU32, Hooks},
	},
	frame_system::{self, EnsureRoot},
	pallet_balances,
	sp_core::Pair,
	sp_io,
	sp_keyring::Sr25519Keyring,
	sp_keystore::{testing::MemoryKeystore, KeystoreExt},
	sp_runtime::{traits::IdentityLookup, AccountId32, BuildStorage, MultiSignature, Perbill},
};

type Block = frame_system::mocking::MockBlock<Test>;
pub type AccountId = AccountId32;
pub type Balance = u128;
pub type BlockNumber = u64;

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

parameter_types! {
	pub const MinServiceStake: Balance = MIN_STAKE;
	pub const SlashFraction: Perbill = Perbill::from_percent(10);
	pub const RefundLockPeriod: BlockNumber = REFUND_LOCK;
	pub const MinJobDuration: BlockNumber = MIN_JOB_DURATION;
	pub const MaxJobDuration: BlockNumber = MAX_JOB_DURATION;
	pub const ReviewPeriod: BlockNumber = REVIEW_PERIOD;
}

impl pallet_compute_escrow::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Signature = MultiSignature;
	type DisputeOrigin = EnsureRoot<AccountId>;
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

/// `receipt` signed by `key`.
pub fn sign(
	key: Sr25519Keyring,
	receipt: InferenceReceipt<AccountId, Balance>,
) -> SignedReceipt<AccountId, Balance, MultiSignature> {
	let signature = key.pair().sign(&receipt.encode()).into();
	SignedReceipt { receipt, signature }
}
