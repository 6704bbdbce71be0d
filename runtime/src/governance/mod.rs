//! On-chain governance (OpenGov): anyone proposes a referendum on a track, token holders vote
//! with conviction, and a referendum that passes is enacted by the scheduler with its track's
//! origin. Two tracks: `root` (runtime upgrades, anything) and `zerog_admin` (the ZeroG
//! pallets' parameters, compute disputes and enclave keys). There is no sudo on a public chain;
//! `dev` and `local` keep sudo for convenience and run referenda in minutes
//! ([`origins::PeriodsOverride`] from their genesis).

pub mod origins;
pub mod tracks;

use crate::{
	configs::RuntimeBlockWeights,
	units::{DAYS, ZG},
	AccountId, Balance, Balances, BlockNumber, OriginCaller, Preimage, Referenda, Runtime,
	RuntimeCall, RuntimeEvent, RuntimeHoldReason, RuntimeOrigin, Scheduler, System,
};
use polkadot_sdk::{
	frame_support::{
		parameter_types,
		traits::{
			fungible::HoldConsideration, tokens::currency::ActiveIssuanceOf, ConstU32, EitherOf,
			EqualPrivilegeOnly, LinearStoragePrice,
		},
		weights::Weight,
	},
	frame_system::{EnsureRoot, EnsureSigned},
	pallet_conviction_voting, pallet_preimage, pallet_referenda, pallet_scheduler,
	sp_runtime::Perbill,
};

/// Root, or a referendum on the `zerog_admin` track: who sets the ZeroG pallets' parameters,
/// resolves compute disputes and approves enclave keys.
pub type RootOrZerogAdmin = EitherOf<EnsureRoot<AccountId>, origins::ZerogAdmin>;

parameter_types! {
	/// Enacted proposals and referendum alarms may use most of a block.
	pub MaximumSchedulerWeight: Weight = Perbill::from_percent(80) * RuntimeBlockWeights::get().max_block;
	/// A preimage is state someone else's proposal may need: priced like any other state.
	pub const PreimageBaseDeposit: Balance = super::configs::revive::deposit(2, 64);
	/// See [`PreimageBaseDeposit`].
	pub const PreimageByteDeposit: Balance = super::configs::revive::deposit(0, 1);
	/// The hold reason of preimage deposits.
	pub const PreimageHoldReason: RuntimeHoldReason =
		RuntimeHoldReason::Preimage(pallet_preimage::HoldReason::Preimage);
	/// Proposing costs 10 ZG (back once the referendum is decided), so the queue is not spam.
	pub const SubmissionDeposit: Balance = 10 * ZG;
	/// A referendum nobody places a decision deposit for times out after two weeks.
	pub const UndecidingTimeout: BlockNumber = 14 * DAYS;
	/// Conviction 1x locks a vote for a week after the referendum ends; longer enactments
	/// would let voters sell before the change they voted for takes effect.
	pub const VoteLockingPeriod: BlockNumber = 7 * DAYS;
}

impl pallet_scheduler::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeOrigin = RuntimeOrigin;
	type PalletsOrigin = OriginCaller;
	type RuntimeCall = RuntimeCall;
	type MaximumWeight = MaximumSchedulerWeight;
	/// Only governance schedules by hand; referenda schedule through the pallet's trait.
	type ScheduleOrigin = EnsureRoot<AccountId>;
	type OriginPrivilegeCmp = EqualPrivilegeOnly;
	type MaxScheduledPerBlock = ConstU32<50>;
	type WeightInfo = pallet_scheduler::weights::SubstrateWeight<Runtime>;
	type Preimages = Preimage;
	type BlockNumberProvider = System;
}

impl pallet_preimage::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = pallet_preimage::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	type ManagerOrigin = EnsureRoot<AccountId>;
	type Consideration = HoldConsideration<
		AccountId,
		Balances,
		PreimageHoldReason,
		LinearStoragePrice<PreimageBaseDeposit, PreimageByteDeposit, Balance>,
	>;
}

impl pallet_referenda::Config for Runtime {
	type RuntimeCall = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = pallet_referenda::weights::SubstrateWeight<Runtime>;
	type Scheduler = Scheduler;
	type Currency = Balances;
	/// Any account may propose; the deposits keep it honest.
	type SubmitOrigin = EnsureSigned<AccountId>;
	type CancelOrigin = EnsureRoot<AccountId>;
	type KillOrigin = EnsureRoot<AccountId>;
	/// Deposits of killed referenda are burned.
	type Slash = ();
	type Votes = pallet_conviction_voting::VotesOf<Runtime>;
	type Tally = pallet_conviction_voting::TallyOf<Runtime>;
	type SubmissionDeposit = SubmissionDeposit;
	type MaxQueued = ConstU32<100>;
	type UndecidingTimeout = UndecidingTimeout;
	type AlarmInterval = ConstU32<1>;
	type Tracks = tracks::TracksInfo;
	type Preimages = Preimage;
	type BlockNumberProvider = System;
}

impl pallet_conviction_voting::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = pallet_conviction_voting::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	type Polls = Referenda;
	/// Support is measured against the tokens in circulation.
	type MaxTurnout = ActiveIssuanceOf<Balances, AccountId>;
	type MaxVotes = ConstU32<512>;
	type VoteLockingPeriod = VoteLockingPeriod;
	type BlockNumberProvider = System;
	type VotingHooks = ();
}

impl origins::pallet_custom_origins::Config for Runtime {}
