//! Test runtime: System, Balances and this pallet, with AccountId32 accounts, `MultiSigner`
//! signing types and a mock extrinsic for the off-chain worker's signed transactions.

use crate::{self as pallet_storage_commitments, crypto::ProviderAuthId};
use codec::Encode;
use parking_lot::RwLock;
use polkadot_sdk::{
	frame_support::{
		self, derive_impl, parameter_types,
		traits::{ConstU128, ConstU32, ConstU8, Hooks},
		PalletId,
	},
	frame_system::{self, offchain::AppCrypto},
	pallet_balances,
	sp_core::{
		offchain::{
			testing::{PoolState, TestOffchainExt, TestTransactionPoolExt},
			OffchainDbExt, OffchainWorkerExt, TransactionPoolExt,
		},
		H256,
	},
	sp_io::{self, hashing::blake2_256},
	sp_keystore::{testing::MemoryKeystore, Keystore, KeystoreExt},
	sp_runtime::{
		generic::UncheckedExtrinsic, traits::IdentityLookup, AccountId32, BuildStorage,
		MultiSignature, MultiSigner, Perbill,
	},
};
use std::sync::Arc;

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
		StorageCommitments: pallet_storage_commitments,
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
	type RuntimeHoldReason = RuntimeHoldReason;
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

/// Existential deposit of the test chain; also the pool's endowment.
pub const EXISTENTIAL_DEPOSIT: Balance = 1;
/// Fee per chunk and lifetime.
pub const FEE_PER_CHUNK: Balance = 3;
/// Smallest provider stake.
pub const MIN_STAKE: Balance = 1_000;
/// Blocks between challenge periods.
pub const CHALLENGE_PERIOD: BlockNumber = 10;
/// Blocks a provider has to answer a challenge.
pub const RESPONSE_WINDOW: BlockNumber = 5;
/// Blocks of life one fee buys.
pub const FILE_LIFETIME: BlockNumber = 100;
/// Most blocks ahead a renewal may push the expiry.
pub const MAX_LIFETIME: BlockNumber = 250;
/// Blocks a leaving provider's stake stays held.
pub const UNBONDING_PERIOD: BlockNumber = 20;
/// Largest file: 64 segments (16 MiB).
pub const MAX_FILE_SIZE: u64 = 64 * zerog_primitives::storage::SEGMENT_SIZE as u64;
/// Most active providers.
pub const MAX_PROVIDERS: u32 = 4;
/// Most tags per file.
pub const MAX_TAGS: u32 = 3;
/// Most files activated per block.
pub const MAX_ACTIVATIONS: u32 = 4;
/// Most challengeable entries checked for expiry per block.
pub const MAX_EXPIRY_SCANS: u32 = 4;
/// Most replicas of a file.
pub const MAX_REPLICAS: u32 = 3;
/// Blocks to acknowledge an assigned file.
pub const ACK_WINDOW: BlockNumber = 10;
/// Most files waiting for providers.
pub const MAX_QUEUE: u32 = 8;
/// Most files assigned per block.
pub const MAX_ASSIGNMENTS: u32 = 4;
/// Most replicas released per block.
pub const MAX_RELEASES: u32 = 2;
/// Most files per acknowledgement.
pub const MAX_ACKS: u32 = 4;
/// Missed challenges in a row after which a replica is released.
pub const MISSES_BEFORE_RELEASE: u8 = 2;
/// Capacity `register` declares for a provider: room for many test files.
pub const CAPACITY: u64 = 1 << 30;

parameter_types! {
	pub const StoragePalletId: PalletId = PalletId(*b"zg/store");
	pub const FeePerChunk: Balance = FEE_PER_CHUNK;
	pub const MaxFileSize: u64 = MAX_FILE_SIZE;
	pub const FileLifetime: BlockNumber = FILE_LIFETIME;
	pub const MaxLifetime: BlockNumber = MAX_LIFETIME;
	pub const MinProviderStake: Balance = MIN_STAKE;
	pub const UnbondingPeriod: BlockNumber = UNBONDING_PERIOD;
	pub const ChallengePeriod: BlockNumber = CHALLENGE_PERIOD;
	pub const ResponseWindow: BlockNumber = RESPONSE_WINDOW;
	/// One block, as the tests written before spreading expect; the spread's tests set more.
	pub static ChallengeSpread: BlockNumber = 1;
	pub const SlashFraction: Perbill = Perbill::from_percent(10);
	pub const AckWindow: BlockNumber = ACK_WINDOW;
	pub const UnackedFileFee: Perbill = Perbill::from_percent(1);
}

impl pallet_storage_commitments::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type AuthorityId = ProviderAuthId;
	type PalletId = StoragePalletId;
	type SlashDestination = ();
	type UnearnedRewardDestination = ();
	type FeePerChunk = FeePerChunk;
	type MaxFileSize = MaxFileSize;
	type FileLifetime = FileLifetime;
	type MaxLifetime = MaxLifetime;
	type MaxTags = ConstU32<MAX_TAGS>;
	type MaxTagLen = ConstU32<16>;
	type MinProviderStake = MinProviderStake;
	type MaxEndpointLen = ConstU32<64>;
	type MaxProviders = ConstU32<MAX_PROVIDERS>;
	type UnbondingPeriod = UnbondingPeriod;
	type ChallengePeriod = ChallengePeriod;
	type ResponseWindow = ResponseWindow;
	type ChallengeSpread = ChallengeSpread;
	type SlashFraction = SlashFraction;
	type MaxActivationsPerBlock = ConstU32<MAX_ACTIVATIONS>;
	type MaxExpiryScansPerBlock = ConstU32<MAX_EXPIRY_SCANS>;
	type MaxReplicas = ConstU32<MAX_REPLICAS>;
	type AckWindow = AckWindow;
	type UnackedFileFee = UnackedFileFee;
	type MaxAssignmentQueue = ConstU32<MAX_QUEUE>;
	type MaxAssignmentsPerBlock = ConstU32<MAX_ASSIGNMENTS>;
	type MaxReleasesPerBlock = ConstU32<MAX_RELEASES>;
	type MaxAcksPerCall = ConstU32<MAX_ACKS>;
	type MissesBeforeRelease = ConstU8<MISSES_BEFORE_RELEASE>;
	type Randomness = pallet_vrf_randomness::ParentHashRandomness<Test>;
	type WeightInfo = ();
}

/// Free balance every funded account starts with.
pub const INITIAL_BALANCE: Balance = 1_000_000;

/// The funded dev accounts: Alice and Bob submit files, Charlie and Dave are providers, Eve
/// and Ferdie are spare providers.
pub fn funded() -> Vec<AccountId> {
	use polkadot_sdk::sp_keyring::Sr25519Keyring::*;
	[Alice, Bob, Charlie, Dave, Eve, Ferdie].iter().map(|key| key.to_account_id()).collect()
}

/// Storage with the funded dev accounts, at block 1.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: funded().into_iter().map(|account| (account, INITIAL_BALANCE)).collect(),
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
		StorageCommitments::do_try_state().expect("invariants hold after the test");
	});
}

/// The handle an off-chain worker test inspects: the transaction pool.
pub struct OcwHandles {
	pub pool: Arc<RwLock<PoolState>>,
}

/// Like [`new_test_ext`], with off-chain, pool and keystore extensions; the keystore holds the
/// `zgst` keys of the dev `seeds` (e.g. `"//Charlie"`).
pub fn ocw_test_ext(seeds: &[&str]) -> (sp_io::TestExternalities, OcwHandles) {
	let mut ext = new_test_ext();
	let (offchain, _offchain_state) = TestOffchainExt::new();
	let (pool, pool_state) = TestTransactionPoolExt::new();
	let keystore = MemoryKeystore::new();
	for seed in seeds {
		keystore.sr25519_generate_new(crate::KEY_TYPE, Some(seed)).unwrap();
	}
	ext.register_extension(OffchainWorkerExt::new(offchain.clone()));
	ext.register_extension(OffchainDbExt::new(offchain));
	ext.register_extension(TransactionPoolExt::new(pool));
	ext.register_extension(KeystoreExt::new(keystore));
	(ext, OcwHandles { pool: pool_state })
}

/// Runs the hooks of every block up to and including `n`; each block's parent hash is derived
/// from its number, so challenges differ from block to block.
pub fn run_to_block(n: BlockNumber) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		StorageCommitments::on_finalize(System::block_number());
		System::set_block_number(next);
		System::set_parent_hash(H256(blake2_256(&(b"parent", next).encode())));
		StorageCommitments::on_initialize(next);
	}
}
