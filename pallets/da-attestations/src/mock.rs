//! Test runtime: System, Balances and this pallet, with AccountId32 accounts, sr25519 dev keys
//! and a transaction type that records who signed, so off-chain worker tests can decode what
//! was sent.

use crate::{self as pallet_da_attestations, crypto::DaAuthId, NextEpochStart};
use polkadot_sdk::{
	frame_support::{
		self, derive_impl, parameter_types,
		traits::{ConstU128, ConstU32, ConstU64, Hooks},
	},
	frame_system::{self, offchain::CreateTransactionBase},
	pallet_balances,
	sp_core::{sr25519, Pair, H256},
	sp_io,
	sp_keyring::Sr25519Keyring,
	sp_keystore::{testing::MemoryKeystore, KeystoreExt},
	sp_runtime::{
		generic::UncheckedExtrinsic,
		traits::{IdentityLookup, Verify},
		AccountId32, BuildStorage, MultiSignature, Perbill,
	},
};
use zerog_primitives::da::MAX_BLOB_SIZE;

type Block = frame_system::mocking::MockBlock<Test>;
pub type AccountId = AccountId32;
pub type Balance = u128;
pub type BlockNumber = u64;

/// What the off-chain worker submits: the signer's account in the preamble, no signature.
pub type Extrinsic = UncheckedExtrinsic<AccountId, RuntimeCall, (), ()>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		DaAttestations: pallet_da_attestations,
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
	type Public = <MultiSignature as Verify>::Signer;
	type Signature = MultiSignature;
}

impl<LocalCall> CreateTransactionBase<LocalCall> for Test
where
	RuntimeCall: From<LocalCall>,
{
	type Extrinsic = Extrinsic;
	type RuntimeCall = RuntimeCall;
}

impl<LocalCall> frame_system::offchain::CreateSignedTransaction<LocalCall> for Test
where
	RuntimeCall: From<LocalCall>,
{
	fn create_signed_transaction<
		C: frame_system::offchain::AppCrypto<Self::Public, Self::Signature>,
	>(
		call: RuntimeCall,
		_public: Self::Public,
		account: AccountId,
		_nonce: <Test as frame_system::Config>::Nonce,
	) -> Option<Extrinsic> {
		Some(Extrinsic::new_signed(call, account, (), ()))
	}
}

/// Existential deposit of the test chain.
pub const EXISTENTIAL_DEPOSIT: Balance = 1;
/// Smallest signer stake.
pub const MIN_STAKE: Balance = 100;
/// Fee of every blob.
pub const BASE_FEE: Balance = 10;
/// Fee per blob byte.
pub const BYTE_FEE: Balance = 1;
/// Blocks per epoch.
pub const EPOCH_LENGTH: BlockNumber = 10;
/// Blocks a blob has to be certified.
pub const WINDOW: BlockNumber = 5;
/// Blocks a leaving signer's stake stays held.
pub const UNBONDING: BlockNumber = 20;
/// Members per quorum.
pub const MAX_QUORUM: u32 = 4;
/// Active signers.
pub const MAX_SIGNERS: u32 = 10;
/// Blobs per block.
pub const MAX_BLOBS_PER_BLOCK: u32 = 3;
/// Blobs per attest batch.
pub const MAX_BATCH: u32 = 4;
/// Quorums per epoch.
pub const MAX_QUORUMS: u32 = 2;
/// Blocks a certified blob is kept after its window, by default.
pub const RETENTION: BlockNumber = 20;
/// Blocks between custody rounds.
pub const CUSTODY_PERIOD: BlockNumber = 7;
/// Blocks a challenged attester has to answer.
pub const CUSTODY_WINDOW: BlockNumber = 4;
/// Certified blobs the custody draw picks from.
pub const MAX_CUSTODY_CANDIDATES: u32 = 4;

parameter_types! {
	pub const BlobBaseFee: Balance = BASE_FEE;
	pub const BlobByteFee: Balance = BYTE_FEE;
	pub const ExpiryRefund: Perbill = Perbill::from_percent(90);
	pub const MinSignerStake: Balance = MIN_STAKE;
	pub const EpochLength: BlockNumber = EPOCH_LENGTH;
	pub const AttestationWindow: BlockNumber = WINDOW;
	pub const UnbondingPeriod: BlockNumber = UNBONDING;
	pub const DefaultRetentionPeriod: BlockNumber = RETENTION;
	/// A test sets it lower to get several quorums from a few signers.
	pub static MinQuorumMembers: u32 = MAX_QUORUM;
	/// Blocks between custody rounds.
	pub const CustodyPeriod: BlockNumber = CUSTODY_PERIOD;
	pub const CustodySlash: Perbill = Perbill::from_percent(10);
}

impl pallet_da_attestations::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type AuthorityId = DaAuthId;
	type ExpiredFeeDestination = ();
	type BlobBaseFee = BlobBaseFee;
	type BlobByteFee = BlobByteFee;
	type ExpiryRefund = ExpiryRefund;
	type MaxBlobBytes = ConstU32<MAX_BLOB_SIZE>;
	type MinSignerStake = MinSignerStake;
	type EpochLength = EpochLength;
	type AttestationWindow = AttestationWindow;
	type UnbondingPeriod = UnbondingPeriod;
	type MaxQuorumSize = ConstU32<MAX_QUORUM>;
	type MaxQuorums = ConstU32<MAX_QUORUMS>;
	type MinQuorumMembers = MinQuorumMembers;
	type DefaultRetentionPeriod = DefaultRetentionPeriod;
	type MaxSigners = ConstU32<MAX_SIGNERS>;
	type MaxBlobsPerBlock = ConstU32<MAX_BLOBS_PER_BLOCK>;
	type MaxAttestationBatch = ConstU32<MAX_BATCH>;
	type MaxEndpointLen = ConstU32<64>;
	type CustodyPeriod = CustodyPeriod;
	type CustodyWindow = ConstU64<CUSTODY_WINDOW>;
	type CustodySlash = CustodySlash;
	type MaxCustodyCandidates = ConstU32<MAX_CUSTODY_CANDIDATES>;
	type Randomness = pallet_vrf_randomness::ParentHashRandomness<Test>;
	type WeightInfo = ();
}

/// Free balance every funded account starts with.
pub const INITIAL_BALANCE: Balance = 1_000_000;

/// Number of extra signer keys (`//Signer0` ...) funded at genesis.
pub const EXTRA_SIGNERS: u32 = 8;

/// The sr25519 pair of extra signer `i`.
pub fn extra_pair(i: u32) -> sr25519::Pair {
	sr25519::Pair::from_string(&format!("//Signer{i}"), None).expect("valid derivation; qed")
}

/// The account of extra signer `i < EXTRA_SIGNERS` (derived once: sr25519 derivation is slow in
/// debug builds).
pub fn extra_signer(i: u32) -> AccountId {
	static SIGNERS: std::sync::OnceLock<Vec<AccountId>> = std::sync::OnceLock::new();
	SIGNERS
		.get_or_init(|| (0..EXTRA_SIGNERS).map(|i| extra_pair(i).public().into()).collect())
		.get(i as usize)
		.cloned()
		.expect("only EXTRA_SIGNERS extra signers exist")
}

/// Storage with the dev accounts and the extra signers funded, at block 1 (no epoch yet), with
/// a keystore for the benchmarks.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut balances: Vec<(AccountId, Balance)> =
		Sr25519Keyring::iter().map(|key| (key.to_account_id(), INITIAL_BALANCE)).collect();
	balances.extend((0..EXTRA_SIGNERS).map(|i| (extra_signer(i), INITIAL_BALANCE)));
	pallet_balances::GenesisConfig::<Test> { balances, ..Default::default() }
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
		DaAttestations::do_try_state().expect("invariants hold after the test");
	});
}

/// Runs the hooks of every block up to and including `n`, with a parent hash that changes per
/// block, checking the invariants after each.
pub fn run_to_block(n: BlockNumber) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		DaAttestations::on_finalize(System::block_number());
		System::set_block_number(next);
		System::set_parent_hash(H256::repeat_byte(next as u8));
		DaAttestations::on_initialize(next);
		DaAttestations::do_try_state().expect("invariants hold after every block");
	}
}

/// Runs to the first block of the next epoch.
pub fn run_to_next_epoch() {
	let start = NextEpochStart::<Test>::get().max(System::block_number() + 1);
	run_to_block(start);
}
