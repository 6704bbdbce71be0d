//! # Storage commitments pallet
//!
//! The on-chain half of ZeroG storage: an append-only log of file commitments paid per chunk,
//! staked storage providers, unpredictable chunk challenges proven with a merkle proof on chain,
//! and a reward pool released to provers over each file's lifetime.
//!
//! ## Overview
//!
//! - **Log** ([`Call::submit`], [`Call::renew`]): a file is committed as `(root, size)` (see
//!   [`zerog_primitives::storage`]) with optional tags, gets the next [`FileId`] and lives for
//!   [`Config::FileLifetime`] blocks. Submitting a live commitment again renews it instead of
//!   adding a second entry (an index maps `(root, size)` to its id).
//! - **Providers** ([`Call::register_provider`], [`Call::update_provider`],
//!   [`Call::unregister`], [`Call::withdraw_unbonded`]): a provider holds a stake of at least
//!   [`Config::MinProviderStake`] and names an endpoint; leaving starts an unbonding period of
//!   [`Config::UnbondingPeriod`] blocks during which the stake stays held and slashable.
//! - **Challenges** ([`Call::submit_proof`], `on_initialize`): every [`Config::ChallengePeriod`]
//!   blocks each active provider is asked for one random chunk of one random challengeable file,
//!   to be proven within [`Config::ResponseWindow`] blocks. A valid proof earns a share of the
//!   file's remaining fees; a missing one slashes [`Config::SlashFraction`] of the stake.
//! - **Off-chain worker** (`offchain.rs`): for every `zgst` key in the node keystore, fetches the
//!   chunk and proof of each open challenge from the node's own storage RPC and submits them.
//!
//! ## Terminology
//!
//! - *Chunk*: 256 bytes, the leaf of the merkle tree, the unit of fees and challenges. *Segment*:
//!   256 KiB = 1024 chunks, the unit of upload. Both are defined in `zerog_primitives::storage`.
//! - *Period `p`*: blocks `[p × ChallengePeriod, (p + 1) × ChallengePeriod)`. Its challenges are
//!   issued in `on_initialize` of its first [`Config::ChallengeSpread`] blocks, an even share of
//!   the providers active at its first block in each, and each is due before `ResponseWindow`
//!   blocks after the block that issued it (its *deadline*), when its share is settled.
//! - *Challengeable file*: a file activated (see below) that lives at least until the deadline of
//!   the challenge (`expires_at ≥ issued + ResponseWindow`), so a proof can still be paid.
//! - *Pool*: the pallet's account ([`Config::PalletId`]), holding every fee not yet released.
//!
//! ## Design decisions
//!
//! - **Fees, padding included.** `fee = FeePerChunk × chunk_count(size)` for each lifetime
//!   bought, where `chunk_count` rounds a short last chunk up to a whole chunk (it is stored and
//!   proven as 256 bytes). Padding that only fills the last segment or the tree is not charged:
//!   nobody stores it. `submit` and `renew` charge the same fee and add [`Config::FileLifetime`]
//!   blocks; a renewal may not push the expiry more than [`Config::MaxLifetime`] blocks ahead.
//! - **Activation delay.** A file becomes challengeable once it is at least `ChallengePeriod`
//!   blocks old (`on_initialize` activates at most [`Config::MaxActivationsPerBlock`] files per
//!   block, oldest first), which gives providers a period to fetch it and guarantees the challenge
//!   seed did not exist when the file was submitted.
//! - **Unpredictable challenges.** For provider `a` in period `p` the seed is
//!   `blake2_256("zerog/storage/challenge" ‖ r ‖ p ‖ a ‖ attempt)`, where `r` is
//!   [`Config::Randomness`]' seed at the period's first block (the runtime's VRF randomness, which
//!   no block author can grind), unknown when the (older) file was submitted. Its first 8 bytes pick
//!   the file (uniformly among the challengeable set), the next 8 the chunk. A file hit by the
//!   draw that expires before the deadline is skipped and the draw retried, at most
//!   [`MAX_DRAW_ATTEMPTS`] times (the expiry sweep removes expired files).
//! - **Reward release (linear over the lifetime).** Each file keeps `reward_remaining`, the fees
//!   paid for it and not yet released. A proof of a challenge of period `p` on file `f` pays the
//!   prover `f.reward_remaining / periods_left`, where `periods_left = ⌊(f.expires_at −
//!   ResponseWindow − start(p)) / ChallengePeriod⌋ + 1 ≥ 1` counts the periods, `p` included, in
//!   which `f` is still challengeable. One prover per period thus releases the fee in equal parts
//!   over the lifetime; periods without a proof leave their part to later proofs; the last
//!   challengeable period releases everything left. Several providers challenged on the same
//!   file in one period each take their part of what is left.
//! - **Expiry.** Whatever is left in a file when it expires is *unearned*: it leaves the pool for
//!   [`Config::UnearnedRewardDestination`] (`()` burns it). Expired files leave the challengeable
//!   set through a bounded sweep ([`Config::MaxExpiryScansPerBlock`] entries per block), when a
//!   draw hits them, or when their commitment is submitted again (a new file id).
//! - **Slashes** take [`Config::SlashFraction`] of the provider's stake and hand it to
//!   [`Config::SlashDestination`] (`()` burns it). They never enter the pool: paying them to
//!   other provers would reward a provider for a rival's outage. A provider slashed below
//!   `MinProviderStake` is not challenged (and earns nothing) until it tops up with
//!   `update_provider`.
//! - **Pool invariant.** The pool account keeps the existential deposit as an endowment (minted
//!   once, when the first fee arrives); above it, its balance equals `Σ reward_remaining` over the
//!   live files, which equals `fees_in − rewards_out − unearned_out` ([`Pool`]). `try_state`
//!   checks both.
//! - **Provider keys.** A provider's account *is* the account of its sr25519 `zgst` key
//!   ([`KEY_TYPE`]): the off-chain worker signs `submit_proof` with the keystore key whose account
//!   holds the challenge. Register with the same key you insert into the keystore.
//! - **Bounds.** Active providers ([`Config::MaxProviders`]), tags, endpoints, and every hook's
//!   work per block are bounded; the challengeable set is a dense map with swap-remove, so picking
//!   and removing a file costs O(1).

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod assignment;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod challenges;
pub mod crypto;
mod files;
mod hooks;
#[cfg(any(feature = "try-runtime", test))]
mod invariants;
#[cfg(test)]
mod mock;
pub mod offchain;
mod providers;
mod rewards;
pub mod runtime_api;
mod stored_files;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

pub use crypto::KEY_TYPE;

/// Most files `files_by_root` of the runtime API returns, bounding the work of one query.
pub const MAX_FILES_PER_ROOT_QUERY: usize = 16;

/// Most files `pending_files` of the runtime API (and the off-chain worker) lists for one
/// provider, bounding the work of one query.
pub const MAX_PENDING_QUERY: usize = 256;
pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

use alloc::boxed::Box;
use polkadot_sdk::{
	frame_support::{self, traits::fungible},
	frame_system::{self, offchain::CreateSignedTransaction},
	sp_core::H256,
	sp_runtime::{traits::Zero, Perbill},
};
use zerog_primitives::storage::ChunkProof;

/// Log target of this pallet.
pub const LOG_TARGET: &str = "runtime::storage-commitments";

/// Most draws per provider and period: a draw that hits a file expiring before the deadline
/// draws again, so a period with many expired files (not yet swept) still challenges most
/// providers.
pub const MAX_DRAW_ATTEMPTS: u32 = 3;

/// Balance type of the pallet's currency.
pub type BalanceOf<T> =
	<<T as Config>::Currency as fungible::Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// Funds leaving the pallet (slashes, unearned rewards) on their way to a destination.
pub type CreditOf<T> =
	fungible::Credit<<T as frame_system::Config>::AccountId, <T as Config>::Currency>;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{pallet_prelude::*, traits::OnUnbalanced, PalletId};
	use frame_system::pallet_prelude::*;

	#[pallet::config]
	pub trait Config:
		CreateSignedTransaction<Call<Self>>
		+ polkadot_sdk::frame_system::Config<RuntimeEvent: From<Event<Self>>>
	{
		/// The native token: fees are transferred to the pool, stakes are holds.
		type Currency: fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ fungible::BalancedHold<Self::AccountId>
			+ fungible::Mutate<Self::AccountId>;

		/// The overarching hold reason, which includes this pallet's [`HoldReason`].
		type RuntimeHoldReason: From<HoldReason>;

		/// The `zgst` key the off-chain worker signs `submit_proof` with; see [`crypto`].
		type AuthorityId: frame_system::offchain::AppCrypto<Self::Public, Self::Signature>;

		/// Derives the pool account, which holds the fees not yet released.
		#[pallet::constant]
		type PalletId: Get<PalletId>;

		/// Receives stake slashed for missed challenges. `()` burns it.
		type SlashDestination: OnUnbalanced<CreditOf<Self>>;

		/// Receives the rewards left in a file when it expires. `()` burns them.
		type UnearnedRewardDestination: OnUnbalanced<CreditOf<Self>>;

		/// Fee per 256-byte chunk and per lifetime, padding of the last chunk included, in the
		/// smallest unit (10^-18 ZG).
		///
		/// Charged at `submit` and `renew` and moved into the reward pool; a change only affects
		/// later payments.
		#[pallet::constant]
		type FeePerChunk: Get<BalanceOf<Self>>;

		/// Largest file size that can be committed, in bytes; at most
		/// `zerog_primitives::storage::MAX_FILE_SIZE` (1 PiB), the most a proof can address.
		#[pallet::constant]
		type MaxFileSize: Get<u64>;

		/// Blocks of life one fee buys: a submitted file expires this many blocks later, and each
		/// renewal adds as many.
		#[pallet::constant]
		type FileLifetime: Get<BlockNumberFor<Self>>;

		/// Most blocks between now and a file's expiry a renewal may reach, so fees are not
		/// locked up for an unbounded future. At least `FileLifetime`.
		#[pallet::constant]
		type MaxLifetime: Get<BlockNumberFor<Self>>;

		/// Most tags of one file.
		#[pallet::constant]
		type MaxTags: Get<u32>;

		/// Longest tag, in bytes.
		#[pallet::constant]
		type MaxTagLen: Get<u32>;

		/// Smallest stake of a provider, in the smallest unit.
		///
		/// Must be above zero, or a missed challenge costs the provider nothing.
		#[pallet::constant]
		type MinProviderStake: Get<BalanceOf<Self>>;

		/// Longest provider endpoint, in bytes.
		#[pallet::constant]
		type MaxEndpointLen: Get<u32>;

		/// Most active providers: the number of challenges issued per period.
		#[pallet::constant]
		type MaxProviders: Get<u32>;

		/// Blocks between `unregister` and the first block `withdraw_unbonded` may release the
		/// stake. Longer than `ResponseWindow`, so every challenge issued before leaving is
		/// settled (and possibly slashed) first.
		#[pallet::constant]
		type UnbondingPeriod: Get<BlockNumberFor<Self>>;

		/// Length of a challenge period, in blocks: how often each provider is challenged.
		#[pallet::constant]
		type ChallengePeriod: Get<BlockNumberFor<Self>>;

		/// Blocks a provider has to prove a challenge, counted from the block that issued it; at
		/// most `ChallengePeriod`.
		#[pallet::constant]
		type ResponseWindow: Get<BlockNumberFor<Self>>;

		/// Blocks over which a period's challenges are issued, from its first block on: each
		/// takes an even share of the providers, so neither the block that issues challenges
		/// nor the one that settles their deadline carries every provider at once. Between 1
		/// and `ChallengePeriod`.
		#[pallet::constant]
		type ChallengeSpread: Get<BlockNumberFor<Self>>;

		/// Share of a provider's stake slashed for each missed challenge.
		#[pallet::constant]
		type SlashFraction: Get<Perbill>;

		/// Most files `on_initialize` makes challengeable per block; the rest wait for the next
		/// block.
		#[pallet::constant]
		type MaxActivationsPerBlock: Get<u32>;

		/// Most entries of the challengeable set `on_initialize` checks for expiry per block.
		#[pallet::constant]
		type MaxExpiryScansPerBlock: Get<u32>;

		/// Most replicas a file may ask for; `submit`'s `replicas` is between 1 and this.
		#[pallet::constant]
		type MaxReplicas: Get<u32>;

		/// Blocks an assigned provider has to fetch a file and acknowledge it. A file that no
		/// provider acknowledged within this window of its submission is dropped and its fee
		/// refunded, less `UnackedFileFee`; a replica not acknowledged within it is released.
		/// Long enough to upload the largest file.
		#[pallet::constant]
		type AckWindow: Get<BlockNumberFor<Self>>;

		/// Share of a dropped file's fee kept (and handed to `UnearnedRewardDestination`), so
		/// that committing data one never uploads is not free.
		#[pallet::constant]
		type UnackedFileFee: Get<Perbill>;

		/// Most files waiting for providers to be assigned; `submit` fails while it is full.
		#[pallet::constant]
		type MaxAssignmentQueue: Get<u32>;

		/// Most files `on_initialize` assigns providers to per block.
		#[pallet::constant]
		type MaxAssignmentsPerBlock: Get<u32>;

		/// Most replicas `on_initialize` handles per block: missed challenges to count (possibly
		/// releasing a replica), then replicas of departing providers to release.
		#[pallet::constant]
		type MaxReleasesPerBlock: Get<u32>;

		/// Most files one `acknowledge` names.
		#[pallet::constant]
		type MaxAcksPerCall: Get<u32>;

		/// Challenges on one file a provider may miss in a row before its replica is presumed
		/// lost, released and the file assigned to another provider. Above 1, a provider that
		/// restarts its node loses a slash, not the file.
		#[pallet::constant]
		type MissesBeforeRelease: Get<u8>;

		/// The randomness challenges and draws are seeded with: the runtime's VRF randomness
		/// (`pallet-vrf-randomness`), which no block author can grind.
		type Randomness: frame_support::traits::Randomness<Self::Hash, BlockNumberFor<Self>>;

		/// Weight information for the calls and hooks of this pallet.
		type WeightInfo: WeightInfo;
	}

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The stake backing a storage provider.
		#[codec(index = 0)]
		ProviderStake,
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A new file entered the log and its fee (for `replicas` copies) went to the pool; its
		/// providers are assigned in the next block.
		FileSubmitted {
			id: FileId,
			owner: T::AccountId,
			root: H256,
			size: u64,
			fee: BalanceOf<T>,
			expires_at: BlockNumberFor<T>,
			replicas: ReplicaCount,
		},
		/// A live file got another lifetime, through `renew` or a second `submit` of its
		/// commitment; the fee went to the pool.
		FileRenewed {
			id: FileId,
			who: T::AccountId,
			fee: BalanceOf<T>,
			expires_at: BlockNumberFor<T>,
		},
		/// A file became challengeable.
		FileActivated { id: FileId },
		/// A file expired and left the log; `unearned` left the pool for
		/// `UnearnedRewardDestination`.
		FileExpired { id: FileId, root: H256, size: u64, unearned: BalanceOf<T> },
		/// A provider registered and its stake was put on hold.
		ProviderRegistered { provider: T::AccountId, stake: BalanceOf<T> },
		/// A provider changed its stake or endpoint.
		ProviderUpdated { provider: T::AccountId, stake: BalanceOf<T> },
		/// A provider left; its stake stays held until `unlocks_at`.
		ProviderUnbonding { provider: T::AccountId, unlocks_at: BlockNumberFor<T> },
		/// An unbonded provider's stake was released and its record removed.
		StakeWithdrawn { provider: T::AccountId, amount: BalanceOf<T> },
		/// A provider must prove chunk `chunk_index` of file `file_id` before `deadline`.
		ChallengeIssued {
			provider: T::AccountId,
			period: PeriodIndex,
			file_id: FileId,
			chunk_index: u64,
			deadline: BlockNumberFor<T>,
		},
		/// A provider proved its challenge and was paid `reward` from the pool.
		ChallengeProven {
			provider: T::AccountId,
			period: PeriodIndex,
			file_id: FileId,
			reward: BalanceOf<T>,
		},
		/// A provider missed its challenge's deadline and `slashed` of its stake was taken.
		ChallengeMissed {
			provider: T::AccountId,
			period: PeriodIndex,
			file_id: FileId,
			slashed: BalanceOf<T>,
		},
		/// Providers were assigned a file: each is to fetch it and acknowledge it within
		/// `AckWindow` blocks.
		ReplicasAssigned { file_id: FileId, providers: alloc::vec::Vec<T::AccountId> },
		/// Fewer providers than wanted could take a file (too few with the stake and free
		/// capacity); `assigned` hold or are to hold it now.
		FileUnderReplicated { file_id: FileId, assigned: u32, wanted: ReplicaCount },
		/// A provider acknowledged holding every segment of a file: it is challenged on it from
		/// now on.
		ReplicaAcknowledged { file_id: FileId, provider: T::AccountId },
		/// A provider no longer holds a file: it left, missed a challenge on it, or did not
		/// acknowledge it in time. The file is assigned again if it has a copy to fetch from.
		ReplicaReleased { file_id: FileId, provider: T::AccountId },
		/// No provider acknowledged a file within `AckWindow`: it left the log, `refunded` went
		/// back to its owner and `kept` (the `UnackedFileFee`) to `UnearnedRewardDestination`.
		FileDropped { id: FileId, owner: T::AccountId, refunded: BalanceOf<T>, kept: BalanceOf<T> },
		/// A provider declared the disk space it offers.
		CapacityDeclared { provider: T::AccountId, bytes: u64 },
	}

	/// Errors are only ever appended: their index is part of the metadata clients decode.
	#[pallet::error]
	pub enum Error<T> {
		/// The file size is zero: an empty file has nothing to store or prove.
		FileEmpty,
		/// The file is larger than `MaxFileSize`. Split it into several files.
		FileTooLarge,
		/// A tag is empty. Leave it out.
		EmptyTag,
		/// The file would have more than `MaxTags` distinct tags (tags of earlier submissions of
		/// the same commitment count). Send fewer.
		TooManyTags,
		/// The fee does not fit the balance type. The file is too large for the fee per chunk.
		FeeOverflow,
		/// The free balance cannot pay the fee (or put the stake on hold) while keeping the
		/// existential deposit.
		InsufficientBalance,
		/// No live file has this id: it was never submitted or has expired.
		FileNotFound,
		/// The file has expired and can no longer be renewed. Submit it again.
		FileExpired,
		/// The renewal would put the expiry more than `MaxLifetime` blocks ahead. Renew later.
		LifetimeTooLong,
		/// The stake is below `MinProviderStake`. Offer at least that much.
		StakeBelowMinimum,
		/// The endpoint is empty.
		EmptyEndpoint,
		/// The account is already a provider.
		AlreadyRegistered,
		/// `MaxProviders` providers are active. Wait for one to leave.
		TooManyProviders,
		/// The account is not a provider.
		ProviderNotRegistered,
		/// The provider is unbonding: it cannot change its terms or leave twice. Withdraw its
		/// stake once unlocked, then register again.
		ProviderUnbonding,
		/// The provider is active: unregister first.
		NotUnbonding,
		/// The unbonding period has not ended yet.
		UnbondingNotFinished,
		/// The provider still has challenges whose deadline has not been processed.
		ChallengesOpen,
		/// The caller has no challenge in this period.
		ChallengeNotFound,
		/// The challenge's deadline has passed; the proof is late.
		ChallengeDeadlinePassed,
		/// The challenge was already proven.
		ChallengeAlreadyProven,
		/// The proof is for another chunk than the one challenged. Prove the challenged chunk
		/// (see the `ChallengeIssued` event or `Challenges`).
		ProofForWrongChunk,
		/// The chunk does not have the length the file size implies: 256 bytes, or the unpadded
		/// length of the file's last chunk.
		ChunkLengthMismatch,
		/// The chunk and the proof do not lead to the file's root. Rebuild the proof from the
		/// stored segment.
		ProofMismatch,
		/// An id or counter reached its maximum value.
		CounterOverflow,
		/// `replicas` is zero or above `MaxReplicas`.
		InvalidReplicaCount,
		/// Fewer active providers are registered than the replicas asked for. Ask for fewer.
		NotEnoughProviders,
		/// Too many files wait for their providers. Submit again in a few blocks.
		AssignmentQueueFull,
		/// Only the file's owner may add tags to it.
		NotFileOwner,
		/// None of the files is assigned to the caller and waiting for its acknowledgement.
		NothingToAcknowledge,
		/// The declared capacity is below what the provider's assigned files already take.
		CapacityBelowUsage,
		/// Too many providers are leaving at once. Unregister again in a few blocks.
		DepartureQueueFull,
		/// The provider's files are still being handed to other providers. Try again in a few
		/// blocks.
		ReplicasNotReleased,
	}

	/// The live files of the log, by id. An entry is removed when the file expires; its id is
	/// never reused.
	// Twox64Concat: ids are sequential and assigned by the pallet, not chosen by callers.
	#[pallet::storage]
	pub type Files<T: Config> = StorageMap<_, Twox64Concat, FileId, FileInfo<T>>;

	/// Id the next new file gets: the length of the log.
	#[pallet::storage]
	pub type NextFileId<T: Config> = StorageValue<_, FileId, ValueQuery>;

	/// The live file of each commitment `(root, size)`, so a second submission renews it.
	// Blake2_128Concat: roots are chosen by callers; Twox64Concat: the size only splits a root.
	#[pallet::storage]
	pub type FileIndex<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, H256, Twox64Concat, u64, FileId>;

	/// The challengeable set, dense: positions `0..ActiveFileCount` each hold a file id.
	// Twox64Concat: positions are assigned by the pallet.
	#[pallet::storage]
	pub type ActiveFiles<T: Config> = StorageMap<_, Twox64Concat, u32, FileId>;

	/// Number of files in the challengeable set.
	#[pallet::storage]
	pub type ActiveFileCount<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// Lowest file id not yet considered for activation; every live file below it is
	/// challengeable.
	#[pallet::storage]
	pub type NextToActivate<T: Config> = StorageValue<_, FileId, ValueQuery>;

	/// Position in the challengeable set where the expiry sweep resumes.
	#[pallet::storage]
	pub type ExpiryCursor<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// Registered providers, active or unbonding.
	// Blake2_128Concat: account ids are chosen by callers.
	#[pallet::storage]
	pub type Providers<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, ProviderInfo<T>>;

	/// The active providers, in registration order: who is challenged each period.
	#[pallet::storage]
	pub type ActiveProviders<T: Config> =
		StorageValue<_, BoundedVec<T::AccountId, T::MaxProviders>, ValueQuery>;

	/// Challenges by (provider, period), from issue until their deadline is processed.
	// Blake2_128Concat: account ids are chosen by callers; Twox64Concat: periods are not.
	#[pallet::storage]
	pub type Challenges<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Twox64Concat,
		PeriodIndex,
		ChallengeOf<T>,
	>;

	/// The providers challenged in each period whose deadline is not processed yet.
	// Twox64Concat: periods are not chosen by callers.
	#[pallet::storage]
	pub type PeriodChallenges<T: Config> = StorageMap<
		_,
		Twox64Concat,
		PeriodIndex,
		BoundedVec<T::AccountId, T::MaxProviders>,
		ValueQuery,
	>;

	/// Running totals of the reward pool.
	#[pallet::storage]
	pub type Pool<T: Config> = StorageValue<_, PoolTotalsOf<T>, ValueQuery>;

	/// Fees refunded to the owners of dropped files (never acknowledged), part of what left the
	/// pool.
	#[pallet::storage]
	pub type RefundsOut<T: Config> = StorageValue<_, BalanceOf<T>, ValueQuery>;

	/// The providers of each live file and whether they acknowledged it.
	// Twox64Concat: ids are assigned by the pallet.
	#[pallet::storage]
	pub type Replicas<T: Config> = StorageMap<_, Twox64Concat, FileId, ReplicaSet<T>>;

	/// Providers that lost a replica of each live file by missing its challenges or its
	/// acknowledgement window (the latest `MaxReplicas`): the draw does not give them that file
	/// again, so a dead or lazy provider cannot be handed back the replica it just lost.
	// Twox64Concat: ids are assigned by the pallet.
	#[pallet::storage]
	pub type FailedReplicas<T: Config> =
		StorageMap<_, Twox64Concat, FileId, BoundedVec<T::AccountId, T::MaxReplicas>, ValueQuery>;

	/// The files assigned to each provider, acknowledged or not: what it must fetch, and what
	/// is reassigned when it leaves.
	// Blake2_128Concat: account ids are chosen by callers; Twox64Concat: ids are not.
	#[pallet::storage]
	pub type AssignedFiles<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, FileId, ()>;

	/// Each provider's challengeable set, dense: positions `0..AckedFileCount` each hold a file
	/// the provider acknowledged. Challenges draw only from it.
	#[pallet::storage]
	pub type AckedFiles<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, u32, FileId>;

	/// Size of each provider's challengeable set.
	#[pallet::storage]
	pub type AckedFileCount<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// Disk space each provider offers and uses; no entry offers nothing.
	#[pallet::storage]
	pub type ProviderCapacity<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, Capacity, ValueQuery>;

	/// Files waiting for providers, oldest first: new files, and files that lost a replica.
	#[pallet::storage]
	pub type AssignmentQueue<T: Config> =
		StorageValue<_, BoundedVec<FileId, T::MaxAssignmentQueue>, ValueQuery>;

	/// Replicas whose provider missed a challenge on them, waiting to have the miss counted
	/// (and, at `MissesBeforeRelease`, to be released and the file reassigned); handled before
	/// departing providers, a few per block.
	#[pallet::storage]
	pub type MissedChallenges<T: Config> =
		StorageValue<_, BoundedVec<(FileId, T::AccountId), T::MaxProviders>, ValueQuery>;

	/// Providers that left and still have files assigned, released a few per block.
	#[pallet::storage]
	pub type Departing<T: Config> =
		StorageValue<_, BoundedVec<T::AccountId, T::MaxProviders>, ValueQuery>;

	/// The active providers of the current period not challenged yet, in the order they are
	/// challenged over the period's first `ChallengeSpread` blocks: taken from
	/// `ActiveProviders` at the period's first block, so a provider cannot move itself to a
	/// later block or out of the period by registering or leaving; empty after the spread.
	#[pallet::storage]
	pub type PendingChallenges<T: Config> =
		StorageValue<_, BoundedVec<T::AccountId, T::MaxProviders>, ValueQuery>;

	/// Storage providers registered at genesis, so a development or local chain stores and
	/// proves files from its first block: each `(account, stake, endpoint)` is registered as by
	/// `register_provider`, its stake put on hold (the account must hold it).
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// `(provider, stake, endpoint, capacity in bytes)`; the provider's account is its
		/// `zgst` key.
		pub providers: alloc::vec::Vec<(T::AccountId, BalanceOf<T>, alloc::vec::Vec<u8>, u64)>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			for (provider, stake, endpoint, capacity) in &self.providers {
				let endpoint = Endpoint::<T>::try_from(endpoint.clone())
					.expect("a genesis provider's endpoint fits MaxEndpointLen");
				Pallet::<T>::add_provider(provider, *stake, endpoint).expect(
					"a genesis provider registers: enough balance, distinct, within bounds",
				);
				ProviderCapacity::<T>::insert(provider, Capacity { declared: *capacity, used: 0 });
			}
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// In order: slashes the missed challenges whose deadline is `now`, releases replicas
		/// of departing providers, assigns providers to queued files, settles the files whose
		/// acknowledgement window ended, issues this block's share of the challenges of a
		/// period whose spread `now` is in, and sweeps expired files. Each step is bounded
		/// (see the `Config` limits).
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			let mut weight = Weight::zero();
			if let Some(period) = Self::period_due_at(now) {
				weight.saturating_accrue(Self::process_deadlines(period, now)); // challenges.rs
			}
			weight.saturating_accrue(Self::release_replicas()); // assignment.rs
			weight.saturating_accrue(Self::assign_queued()); // assignment.rs
			weight.saturating_accrue(Self::activate_files(now)); // files.rs
			if let Some(period) = Self::period_issuing_at(now) {
				weight.saturating_accrue(Self::issue_challenges(period, now)); // challenges.rs
			}
			weight.saturating_accrue(Self::sweep_expired(now)); // files.rs
			weight
		}

		/// Acknowledges the assigned files the node's store holds in full, and proves
		/// challenges whose chunk it holds; see `offchain.rs`.
		fn offchain_worker(now: BlockNumberFor<T>) {
			Self::acknowledge_stored_files(now);
			Self::prove_open_challenges(now);
		}

		fn integrity_test() {
			assert!(
				!T::MinProviderStake::get().is_zero(),
				"MinProviderStake must be above zero, or a missed challenge costs nothing"
			);
			assert!(
				!T::SlashFraction::get().is_zero(),
				"SlashFraction must be above zero, or a missed challenge costs nothing"
			);
			assert!(
				!T::ChallengePeriod::get().is_zero(),
				"ChallengePeriod must be at least a block"
			);
			assert!(
				!T::ResponseWindow::get().is_zero()
					&& T::ResponseWindow::get() <= T::ChallengePeriod::get(),
				"ResponseWindow must be between 1 and ChallengePeriod blocks"
			);
			assert!(
				!T::ChallengeSpread::get().is_zero()
					&& T::ChallengeSpread::get() <= T::ChallengePeriod::get(),
				"ChallengeSpread must be between 1 and ChallengePeriod blocks"
			);
			assert!(
				T::ResponseWindow::get()
					> BlockNumberFor::<T>::from(offchain::RESEND_AFTER_BLOCKS.saturating_add(1)),
				"ResponseWindow must leave the worker a second try: a proof sent again after \
				 RESEND_AFTER_BLOCKS blocks must still land before the deadline"
			);
			assert!(
				T::UnbondingPeriod::get() > Self::last_deadline_offset(),
				"UnbondingPeriod must outlast ResponseWindow + ChallengeSpread - 1, so open \
				 challenges settle first"
			);
			assert!(!T::FileLifetime::get().is_zero(), "FileLifetime must be at least a block");
			assert!(
				T::MaxLifetime::get() >= T::FileLifetime::get(),
				"MaxLifetime must allow at least one FileLifetime"
			);
			assert!(
				T::MaxFileSize::get() > 0
					&& T::MaxFileSize::get() <= zerog_primitives::storage::MAX_FILE_SIZE,
				"MaxFileSize must be between 1 byte and the largest provable file"
			);
			assert!(
				T::MaxTags::get() == 0 || T::MaxTagLen::get() > 0,
				"MaxTagLen must allow a tag when tags are allowed"
			);
			assert!(T::MaxEndpointLen::get() > 0, "MaxEndpointLen must allow an endpoint");
			assert!(T::MaxProviders::get() > 0, "a provider must be able to register");
			assert!(T::MaxActivationsPerBlock::get() > 0, "files must become challengeable");
			assert!(T::MaxExpiryScansPerBlock::get() > 0, "expired files must be swept");
			assert!(
				T::MaxReplicas::get() > 0 && T::MaxReplicas::get() <= u32::from(ReplicaCount::MAX),
				"MaxReplicas must allow a replica and fit a ReplicaCount"
			);
			assert!(
				!T::AckWindow::get().is_zero() && T::AckWindow::get() < T::FileLifetime::get(),
				"AckWindow must be at least a block and shorter than a file's life"
			);
			assert!(T::MaxAssignmentQueue::get() > 0, "files must be able to queue");
			assert!(T::MaxAssignmentsPerBlock::get() > 0, "queued files must be assigned");
			assert!(T::MaxReleasesPerBlock::get() > 0, "departing replicas must be released");
			assert!(T::MaxAcksPerCall::get() > 0, "a provider must be able to acknowledge");
			assert!(T::MissesBeforeRelease::get() > 0, "a lost replica must be released");
			// on_initialize runs before every transaction and cannot be skipped: with every
			// bound reached it must leave most of the block to transactions.
			let max_hook = Self::max_hook_weight(); // hooks.rs
			let max_block = T::BlockWeights::get().max_block;
			assert!(
				max_hook.all_lte(Perbill::from_percent(25) * max_block),
				"on_initialize with every bound reached must stay below a quarter of the block: \
				 {max_hook:?} of {max_block:?}"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(
			_now: BlockNumberFor<T>,
		) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Commit a file `(root, size)` to the log and pay its fee into the reward pool.
		///
		/// - Origin: signed, the payer (the owner of a new file).
		/// - `root`: the file's merkle root (`zerog_primitives::storage::file_root`).
		/// - `size`: the file size in bytes, between 1 and `MaxFileSize`.
		/// - `tags`: free tags, each non-empty; merged with the tags already on the file. Only
		///   the owner may add tags to a live file.
		/// - `replicas`: how many providers are to hold a new file, between 1 and
		///   `MaxReplicas` and at most the number of active providers; ignored on renewal.
		///
		/// Charges `FeePerChunk × chunk_count(size) × replicas`. A live file with the same
		/// commitment is renewed (one more `FileLifetime`, its fee added to the file's rewards)
		/// instead of being logged twice; otherwise the file gets the next id, expires
		/// `FileLifetime` blocks from now, and is queued: `on_initialize` of a later block
		/// assigns its providers with a seed the submitter could not know.
		///
		/// Errors: `FileEmpty`, `FileTooLarge`, `EmptyTag`, `TooManyTags`, `NotFileOwner`,
		/// `InvalidReplicaCount`, `NotEnoughProviders`, `AssignmentQueueFull`, `FeeOverflow`,
		/// `LifetimeTooLong`, `InsufficientBalance`, `CounterOverflow`.
		/// Events: `FileSubmitted`, or `FileRenewed` for a live commitment (after `FileExpired`
		/// if an expired file with that commitment was still stored).
		#[pallet::call_index(0)]
		pub fn submit(
			origin: OriginFor<T>,
			root: H256,
			size: u64,
			tags: FileTags<T>,
			replicas: ReplicaCount,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(size > 0, Error::<T>::FileEmpty);
			ensure!(size <= T::MaxFileSize::get(), Error::<T>::FileTooLarge);
			ensure!(tags.iter().all(|tag| !tag.is_empty()), Error::<T>::EmptyTag);
			ensure!(
				replicas > 0 && u32::from(replicas) <= T::MaxReplicas::get(),
				Error::<T>::InvalidReplicaCount
			);
			Self::append_or_renew(&who, root, size, tags, replicas) // files.rs, emits the event
		}

		/// Buy one more `FileLifetime` for a live file.
		///
		/// - Origin: signed, anyone; the payer.
		///
		/// Charges the same fee as `submit` and adds it to the file's rewards.
		///
		/// Errors: `FileNotFound`, `FileExpired`, `LifetimeTooLong`, `FeeOverflow`,
		/// `InsufficientBalance`. Event: `FileRenewed`.
		#[pallet::call_index(1)]
		pub fn renew(origin: OriginFor<T>, file_id: FileId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let (fee, expires_at) = Self::extend_file(&who, file_id)?; // files.rs
			Self::deposit_event(Event::FileRenewed { id: file_id, who, fee, expires_at });
			Ok(())
		}

		/// Become a storage provider: put `stake` on hold and publish `endpoint`.
		///
		/// - Origin: signed, the provider; the account of its `zgst` key (see [`crypto`]).
		/// - `stake`: at least `MinProviderStake`, held under [`HoldReason::ProviderStake`].
		///
		/// The provider is challenged from the next period on.
		///
		/// Errors: `StakeBelowMinimum`, `EmptyEndpoint`, `AlreadyRegistered`,
		/// `ProviderUnbonding`, `TooManyProviders`, `InsufficientBalance`.
		/// Event: `ProviderRegistered`.
		#[pallet::call_index(2)]
		pub fn register_provider(
			origin: OriginFor<T>,
			stake: BalanceOf<T>,
			endpoint: Endpoint<T>,
		) -> DispatchResult {
			let provider = ensure_signed(origin)?;
			Self::add_provider(&provider, stake, endpoint)?; // providers.rs
			Self::deposit_event(Event::ProviderRegistered { provider, stake });
			Ok(())
		}

		/// Change an active provider's stake and endpoint.
		///
		/// - Origin: signed, the provider.
		/// - `stake`: the new stake, at least `MinProviderStake`; the difference is held or
		///   released. This is how a slashed provider gets challenged (and paid) again.
		///
		/// Errors: `ProviderNotRegistered`, `ProviderUnbonding`, `StakeBelowMinimum`,
		/// `EmptyEndpoint`, `InsufficientBalance`. Event: `ProviderUpdated`.
		#[pallet::call_index(3)]
		pub fn update_provider(
			origin: OriginFor<T>,
			stake: BalanceOf<T>,
			endpoint: Endpoint<T>,
		) -> DispatchResult {
			let provider = ensure_signed(origin)?;
			Self::change_provider(&provider, stake, endpoint)?; // providers.rs
			Self::deposit_event(Event::ProviderUpdated { provider, stake });
			Ok(())
		}

		/// Stop taking challenges and start unbonding.
		///
		/// - Origin: signed, an active provider.
		///
		/// The stake stays held, and slashable for challenges already issued, for
		/// `UnbondingPeriod` blocks. Its files are handed to other providers, a few per block.
		///
		/// Errors: `ProviderNotRegistered`, `ProviderUnbonding`, `DepartureQueueFull`.
		/// Event: `ProviderUnbonding`.
		#[pallet::call_index(4)]
		pub fn unregister(origin: OriginFor<T>) -> DispatchResult {
			let provider = ensure_signed(origin)?;
			let unlocks_at = Self::start_unbonding(&provider)?; // providers.rs
			Self::deposit_event(Event::ProviderUnbonding { provider, unlocks_at });
			Ok(())
		}

		/// Release an unbonded provider's stake and forget the provider.
		///
		/// - Origin: signed, a provider whose unbonding period has ended.
		///
		/// Errors: `ProviderNotRegistered`, `NotUnbonding`, `UnbondingNotFinished`,
		/// `ChallengesOpen`, `ReplicasNotReleased`. Event: `StakeWithdrawn`.
		#[pallet::call_index(5)]
		pub fn withdraw_unbonded(origin: OriginFor<T>) -> DispatchResult {
			let provider = ensure_signed(origin)?;
			let amount = Self::finish_unbonding(&provider)?; // providers.rs
			Self::deposit_event(Event::StakeWithdrawn { provider, amount });
			Ok(())
		}

		/// Answer the caller's challenge of `period` with the challenged chunk and its proof.
		///
		/// - Origin: signed, the challenged provider (usually its off-chain worker).
		/// - `chunk`: the chunk's bytes, 256 or the unpadded length of the file's last chunk.
		/// - `proof`: the chunk's [`ChunkProof`] against the file's root (boxed: it is the largest
		///   argument of any call, about 380 bytes).
		///
		/// The proof is verified against the commitment copied into the challenge. A valid proof
		/// pays `reward_remaining / periods_left` of the file to the caller (see the crate docs)
		/// and the transaction fee is waived.
		///
		/// Errors: `ChallengeDeadlinePassed`, `ChallengeNotFound`, `ChallengeAlreadyProven`,
		/// `ProofForWrongChunk`, `ChunkLengthMismatch`, `ProofMismatch`.
		/// Event: `ChallengeProven`.
		#[pallet::call_index(6)]
		pub fn submit_proof(
			origin: OriginFor<T>,
			period: PeriodIndex,
			chunk: ChunkBytes,
			proof: Box<ChunkProof>,
		) -> DispatchResultWithPostInfo {
			let provider = ensure_signed(origin)?;
			// challenges.rs
			let (file_id, reward) = Self::prove_challenge(&provider, period, &chunk, &proof)?;
			Self::deposit_event(Event::ChallengeProven { provider, period, file_id, reward });
			Ok(Pays::No.into())
		}

		/// Offer `bytes` of disk space for assignments.
		///
		/// - Origin: signed, an active provider.
		/// - `bytes`: the space offered, at least what the provider's assigned files take now.
		///
		/// Assignments never exceed it; `0` takes no new files.
		///
		/// Errors: `ProviderNotRegistered`, `ProviderUnbonding`, `CapacityBelowUsage`.
		/// Event: `CapacityDeclared`.
		#[pallet::call_index(7)]
		pub fn declare_capacity(origin: OriginFor<T>, bytes: u64) -> DispatchResult {
			let provider = ensure_signed(origin)?;
			Self::set_capacity(&provider, bytes)?; // providers.rs
			Self::deposit_event(Event::CapacityDeclared { provider, bytes });
			Ok(())
		}

		/// Acknowledge holding every segment of assigned files: from now on the caller is
		/// challenged on them (and paid for its proofs).
		///
		/// - Origin: signed, a provider (usually its off-chain worker, after its node verified
		///   every segment against the root).
		/// - `files`: ids of files assigned to the caller; ids not assigned, already
		///   acknowledged or expired are skipped.
		///
		/// Free of charge when at least one file is acknowledged.
		///
		/// Errors: `NothingToAcknowledge`. Events: `ReplicaAcknowledged` for each file.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::acknowledge(files.len() as u32))]
		pub fn acknowledge(
			origin: OriginFor<T>,
			files: BoundedVec<FileId, T::MaxAcksPerCall>,
		) -> DispatchResultWithPostInfo {
			let provider = ensure_signed(origin)?;
			let mut acked = 0u32;
			for file_id in files {
				if Self::ack_replica(&provider, file_id) {
					// assignment.rs
					acked = acked.saturating_add(1);
					Self::deposit_event(Event::ReplicaAcknowledged {
						file_id,
						provider: provider.clone(),
					});
				}
			}
			ensure!(acked > 0, Error::<T>::NothingToAcknowledge);
			Ok(Pays::No.into())
		}
	}
}
