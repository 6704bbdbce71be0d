//! `Config` of the storage commitments pallet: fees, lifetimes and the challenge schedule.

use super::parameters::dynamic_params::storage;
use crate::{Balances, Runtime, RuntimeHoldReason};
use polkadot_sdk::frame_support::{
	parameter_types,
	traits::{ConstU32, ConstU64, ConstU8},
	PalletId,
};
use zerog_primitives::BlockNumber;

parameter_types! {
	/// The reward pool's account is derived from this id.
	pub const StoragePalletId: PalletId = PalletId(*b"zg/store");
}

/// Length of a challenge period. Short, so a provider that stops answering is slashed within
/// a minute and the end-to-end tests see several periods.
pub const CHALLENGE_PERIOD: BlockNumber = 10;

/// Blocks a provider has to answer a challenge (8 s): its node's off-chain worker answers from
/// its own store in the block that drew the challenge, so the proof lands in the next block;
/// three more absorb a late import. Short, so the answer has to be at hand (see the pallet
/// README on what a chunk proof does not prove).
pub const RESPONSE_WINDOW: BlockNumber = 4;

/// Blocks over which a period's challenges are issued: a quarter of the providers in each of
/// the period's first four blocks, so their deadlines fall in four blocks too (blocks 4 to 7 of
/// the period) and the last deadline comes before the next period's first challenge.
pub const CHALLENGE_SPREAD: BlockNumber = 4;

impl pallet_storage_commitments::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type AuthorityId = pallet_storage_commitments::crypto::ProviderAuthId;
	type PalletId = StoragePalletId;
	/// Slashed stake is burned.
	type SlashDestination = ();
	/// Rewards nobody earned before a file expired are burned.
	type UnearnedRewardDestination = ();
	/// Tunable (`super::parameters`), as are the stake, slash rate, lifetimes, acknowledgement
	/// window and unacknowledged-file fee below.
	type FeePerChunk = storage::FeePerChunk;
	/// 32 GiB: a file must reach its providers within `AckWindow`; a dataset or model larger
	/// than this is split into files.
	type MaxFileSize = ConstU64<{ 32 << 30 }>;
	type FileLifetime = storage::FileLifetime;
	type MaxLifetime = storage::MaxLifetime;
	type MaxTags = ConstU32<8>;
	type MaxTagLen = ConstU32<64>;
	type MinProviderStake = storage::MinProviderStake;
	type MaxEndpointLen = ConstU32<256>;
	/// A quarter of the active providers is challenged in each of a period's first four
	/// blocks (`ChallengeSpread`), and their deadlines are spread the same way. With the
	/// measured weights (about 0.85 ms per provider for both) and the activation and expiry
	/// bounds below, 128 keep a block's hooks under a quarter of its weight (the pallet's
	/// `integrity_test`), with 32 challenged or settled in one block at most.
	type MaxProviders = ConstU32<128>;
	/// Twenty periods: every challenge issued before leaving is answered or slashed first.
	type UnbondingPeriod = ConstU32<{ 20 * CHALLENGE_PERIOD }>;
	type ChallengePeriod = ConstU32<CHALLENGE_PERIOD>;
	type ResponseWindow = ConstU32<RESPONSE_WINDOW>;
	type ChallengeSpread = ConstU32<CHALLENGE_SPREAD>;
	type SlashFraction = storage::SlashFraction;
	/// 8 files a second leave their acknowledgement window; a burst waits in the queue.
	type MaxActivationsPerBlock = ConstU32<16>;
	/// The challengeable set is scanned for expired files (and overdue acknowledgements) at 8
	/// entries a second.
	type MaxExpiryScansPerBlock = ConstU32<16>;
	/// Eight copies of a file at most; the CLI asks for three by default.
	type MaxReplicas = ConstU32<8>;
	type AckWindow = storage::AckWindow;
	type UnackedFileFee = storage::UnackedFileFee;
	/// Two thousand files may wait for providers: a burst of submits waits minutes at most.
	type MaxAssignmentQueue = ConstU32<2048>;
	/// Ten files a second get providers: the provider set is read once a block, then each file
	/// costs a few writes per replica. Bounded by the hook budget (`integrity_test`: a quarter
	/// of the block with every bound reached, 8 replicas a file and 128 providers).
	type MaxAssignmentsPerBlock = ConstU32<20>;
	/// Four replicas a second of departing or failing providers move to others.
	type MaxReleasesPerBlock = ConstU32<8>;
	/// One acknowledgement names up to 64 files.
	type MaxAcksPerCall = ConstU32<64>;
	/// A replica is presumed lost after two missed challenges on it in a row: a node restart
	/// costs a slash, not the file.
	type MissesBeforeRelease = ConstU8<2>;
	/// VRF randomness: no block author can grind the draws.
	type Randomness = crate::VrfRandomness;
	type WeightInfo = pallet_storage_commitments::weights::SubstrateWeight<Runtime>;
}
