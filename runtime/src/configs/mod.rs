//! `Config` of the standard pallets: system, timestamp, Aura, balances, transaction payment and
//! sudo. Revive and each ZeroG pallet get a file of their own beside this one; the validator
//! set (session, GRANDPA, offences) is in `crate::validators`.

#[cfg(feature = "compute")]
pub mod compute;
#[cfg(feature = "da")]
pub mod da;
pub mod db_weights;
#[cfg(feature = "marketplace")]
pub mod marketplace;
pub mod offchain;
pub mod parameters;
pub mod randomness;
pub mod revive;
#[cfg(feature = "storage")]
pub mod storage;

use crate::{
	units::{MICRO_ZG, MILLI_SECS_PER_BLOCK, SLOT_DURATION_MS, SS58_PREFIX},
	AccountId, Aura, Balance, Balances, Block, BlockNumber, Hash, Nonce, PalletInfo, Runtime,
	RuntimeCall, RuntimeEvent, RuntimeFreezeReason, RuntimeHoldReason, RuntimeOrigin, RuntimeTask,
	System, VERSION,
};
use pallet_revive::evm::fees::BlockRatioFee;
use polkadot_sdk::{
	frame_support::{
		derive_impl,
		dispatch::DispatchClass,
		parameter_types,
		traits::{ConstBool, ConstU128, ConstU32, ConstU64, ConstU8, VariantCountOf},
		weights::{constants::WEIGHT_REF_TIME_PER_SECOND, ConstantMultiplier, Weight},
	},
	frame_system::{self, limits},
	pallet_aura, pallet_balances, pallet_sudo, pallet_timestamp,
	pallet_transaction_payment::{self, ConstFeeMultiplier, FungibleAdapter, Multiplier},
	sp_consensus_aura::sr25519::AuthorityId as AuraId,
	sp_runtime::{traits::One, Perbill},
	sp_version::RuntimeVersion,
};

/// Share of a block's weight and length available to normal (non-operational) transactions;
/// the rest is kept for operational ones (governance, equivocation reports) in a full block.
const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(90);

/// Compute time a block may use, in weight: half of the 2-second slot, the share the node's
/// proposer may spend building it (`BLOCK_PROPOSAL_SLOT_PORTION`), so a block that took its
/// author the whole of it still leaves the other half of the slot to propagate it and import
/// it on validators as fast as its author. The weights are measured on the team's build
/// machine, and a full block of transfers executes in less than its weight there
/// (docs/benchmarks.md). A solochain has no proof-of-validity to bound, but `pallet-revive`
/// maps gas onto both weight dimensions, so the proof size gets a finite limit large enough
/// never to bind before compute time does.
const MAXIMUM_BLOCK_WEIGHT: Weight = Weight::from_parts(
	WEIGHT_REF_TIME_PER_SECOND.saturating_mul(MILLI_SECS_PER_BLOCK) / 2_000,
	64 * 1024 * 1024,
);

/// Largest encoded block, in bytes. Bulk data never goes into blocks, so 5 MiB is ample.
const MAXIMUM_BLOCK_LENGTH_BYTES: u32 = 5 * 1024 * 1024;

/// Number of authorities Aura and GRANDPA accept at most.
pub const MAX_AUTHORITIES: u32 = 100;

parameter_types! {
	/// Number of recent block hashes kept in state (for mortal transactions): about 80 minutes.
	pub const BlockHashCount: BlockNumber = 2400;
	pub const Version: RuntimeVersion = VERSION;
	/// polkadot-sdk's `with_sensible_defaults`, with the base weights of a block and of an
	/// extrinsic measured on this chain (`crate::weights`) instead of the reference machine's.
	pub RuntimeBlockWeights: limits::BlockWeights = limits::BlockWeights::builder()
		.base_block(crate::weights::BlockExecutionWeight::get())
		.for_class(DispatchClass::all(), |class| {
			class.base_extrinsic = crate::weights::ExtrinsicBaseWeight::get();
		})
		.for_class(DispatchClass::Normal, |class| {
			class.max_total = Some(NORMAL_DISPATCH_RATIO * MAXIMUM_BLOCK_WEIGHT);
		})
		.for_class(DispatchClass::Operational, |class| {
			class.max_total = Some(MAXIMUM_BLOCK_WEIGHT);
			class.reserved = Some(MAXIMUM_BLOCK_WEIGHT - NORMAL_DISPATCH_RATIO * MAXIMUM_BLOCK_WEIGHT);
		})
		.avg_block_initialization(Perbill::from_percent(10))
		.build_or_panic();
	pub RuntimeBlockLength: limits::BlockLength = limits::BlockLength::builder()
		.max_length(MAXIMUM_BLOCK_LENGTH_BYTES)
		.modify_max_length_for_class(DispatchClass::Normal, |max| *max = NORMAL_DISPATCH_RATIO * *max)
		.build();
	pub const SS58Prefix: u16 = SS58_PREFIX;
}

#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig)]
impl frame_system::Config for Runtime {
	type Block = Block;
	type BlockWeights = RuntimeBlockWeights;
	type BlockLength = RuntimeBlockLength;
	type AccountId = AccountId;
	type Nonce = Nonce;
	type Hash = Hash;
	type BlockHashCount = BlockHashCount;
	/// Measured on this chain's RocksDB database with 400 000 keys of state
	/// (runtime/benchmarking/db-weights.sh).
	type DbWeight = db_weights::RocksDbWeight;
	type SystemWeightInfo = crate::weights::frame_system::WeightInfo<Runtime>;
	/// The transaction extensions' own weights (nonce, mortality, weight checks, reclaim).
	type ExtensionsWeightInfo = crate::weights::frame_system_extensions::WeightInfo<Runtime>;
	type Version = Version;
	type AccountData = pallet_balances::AccountData<Balance>;
	type SS58Prefix = SS58Prefix;
	/// Providers, consumers and references an account may have; pallets holding funds add one.
	type MaxConsumers = ConstU32<16>;
	/// Gives every new Substrate account its Ethereum address (and drops it when reaped).
	type OnNewAccount = pallet_revive::AutoMapper<Runtime>;
	type OnKilledAccount = pallet_revive::AutoMapper<Runtime>;
}

impl pallet_aura::Config for Runtime {
	type AuthorityId = AuraId;
	/// A validator disabled after an offence may not author for the rest of the session.
	type DisabledValidators = crate::Session;
	type MaxAuthorities = ConstU32<MAX_AUTHORITIES>;
	/// One block per slot: a second block in the same slot would be an equivocation.
	type AllowMultipleBlocksPerSlot = ConstBool<false>;
	type SlotDuration = pallet_aura::MinimumPeriodTimesTwo<Runtime>;
}

impl pallet_timestamp::Config for Runtime {
	/// Milliseconds since the Unix epoch.
	type Moment = u64;
	type OnTimestampSet = Aura;
	/// Half a slot: Aura's slot duration is twice this value.
	type MinimumPeriod = ConstU64<{ SLOT_DURATION_MS / 2 }>;
	type WeightInfo = crate::weights::pallet_timestamp::WeightInfo<Runtime>;
}

/// Smallest balance an account may hold, in the smallest ZG unit: one micro-ZG. Accounts
/// below it are reaped, which keeps dust accounts from bloating state.
pub const EXISTENTIAL_DEPOSIT: Balance = MICRO_ZG;

impl pallet_balances::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type WeightInfo = crate::weights::pallet_balances::WeightInfo<Runtime>;
	type Balance = Balance;
	type DustRemoval = ();
	type ExistentialDeposit = ConstU128<EXISTENTIAL_DEPOSIT>;
	type AccountStore = System;
	type ReserveIdentifier = [u8; 8];
	type FreezeIdentifier = RuntimeFreezeReason;
	type MaxLocks = ConstU32<50>;
	type MaxReserves = ConstU32<50>;
	type MaxFreezes = VariantCountOf<RuntimeFreezeReason>;
	type DoneSlashHandler = ();
}

/// Fee per picosecond of ref-time weight, in the smallest ZG unit.
pub const FEE_PER_REF_TIME_PICOSECOND: u128 = 100_000;

parameter_types! {
	/// Fees do not scale with congestion yet; a slow-adjusting multiplier comes with mainnet.
	pub FeeMultiplier: Multiplier = Multiplier::one();
	/// Fee per byte of an encoded transaction, in the smallest ZG unit.
	pub const TransactionByteFee: Balance = MICRO_ZG / 100;
}

impl pallet_transaction_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	/// Fees are burned (withdrawn from the payer, deposited nowhere). Validator rewards are not
	/// designed yet: the staking pot that pays block authors holds only what is sent to it.
	type OnChargeTransaction = FungibleAdapter<Balances, ()>;
	/// Operational transactions pay five times the fee for a higher priority.
	type OperationalFeeMultiplier = ConstU8<5>;
	/// 10^5 smallest units per picosecond of compute: a second of block time costs 0.1 ZG, a
	/// balance transfer about 0.00002 ZG. `BlockRatioFee` is what `pallet-revive`'s gas mapping
	/// requires; it prices proof size in proportion to the block's limits.
	type WeightToFee = BlockRatioFee<FEE_PER_REF_TIME_PICOSECOND, 1, Runtime, Balance>;
	type LengthToFee = ConstantMultiplier<Balance, TransactionByteFee>;
	type FeeMultiplierUpdate = ConstFeeMultiplier<FeeMultiplier>;
	type WeightInfo = crate::weights::pallet_transaction_payment::WeightInfo<Runtime>;
}

impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = pallet_sudo::weights::SubstrateWeight<Runtime>;
}

/// Each call of a batch is dispatched with the batch's origin and passes the call filter as if
/// sent alone, so a batch can do nothing its sender could not do call by call; its weight is
/// the sum of its calls' plus the batch's own, charged up front.
impl pallet_utility::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type PalletsOrigin = crate::OriginCaller;
	type WeightInfo = crate::weights::pallet_utility::WeightInfo<Runtime>;
}
