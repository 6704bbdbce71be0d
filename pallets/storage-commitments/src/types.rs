//! Types kept in storage, passed to calls and reported in events.
//!
//! Everything stored has a `MaxEncodedLen`: variable-length fields are `BoundedVec`s capped by a
//! `Config` item. Fields are only ever appended, since clients and the node decode them.

use crate::{BalanceOf, Config};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::{
	frame_support::{BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound},
	frame_system::{self, pallet_prelude::BlockNumberFor},
	sp_core::{ConstU32, H256},
};
use scale_info::TypeInfo;
use zerog_primitives::storage::CHUNK_SIZE;

/// Position of a file in the append-only log, assigned in submission order from 0 and never
/// reused.
pub type FileId = u64;

/// Index of a challenge period: period `p` starts at block `p × ChallengePeriod`.
pub type PeriodIndex = u32;

/// Most bytes of a chunk given to `submit_proof`: [`CHUNK_SIZE`] (256). The last chunk of a file
/// is given without its zero padding, so it may be shorter.
pub const MAX_CHUNK_BYTES: u32 = CHUNK_SIZE as u32;

/// The bytes of one chunk, as proven against a challenge.
pub type ChunkBytes = BoundedVec<u8, ConstU32<MAX_CHUNK_BYTES>>;

/// One tag of a file: free bytes (a content type, an application name...), at most
/// `MaxTagLen` long and never empty.
pub type FileTag<T> = BoundedVec<u8, <T as Config>::MaxTagLen>;

/// The tags of a file, at most `MaxTags`, without duplicates.
pub type FileTags<T> = BoundedVec<FileTag<T>, <T as Config>::MaxTags>;

/// A provider's endpoint, a URL by convention (not checked on chain).
pub type Endpoint<T> = BoundedVec<u8, <T as Config>::MaxEndpointLen>;

/// A committed file: the entry of the log, while the file is alive.
#[derive(
	CloneNoBound, Encode, Decode, MaxEncodedLen, TypeInfo, PartialEqNoBound, EqNoBound, DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct FileInfo<T: Config> {
	/// The account that submitted the file first. Renewals by others do not change it.
	pub owner: T::AccountId,
	/// Merkle root of the file (see `zerog_primitives::storage`).
	pub root: H256,
	/// Size of the file in bytes; with `root`, the commitment.
	pub size: u64,
	/// Free tags, merged over every submission of the same commitment.
	pub tags: FileTags<T>,
	/// Block the file was first submitted in.
	pub submitted_at: BlockNumberFor<T>,
	/// First block at which the file is expired: no longer challenged nor renewable.
	pub expires_at: BlockNumberFor<T>,
	/// Fees paid for the file and not yet released to provers, in the smallest unit. Held by
	/// the pool account.
	pub reward_remaining: BalanceOf<T>,
	/// Position of the file in the challengeable set, once it has been activated.
	pub active_position: Option<u32>,
}

/// Whether a provider takes challenges or is on its way out.
#[derive(
	Clone,
	Copy,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	PartialEq,
	Eq,
	Debug,
)]
pub enum ProviderStatus<BlockNumber> {
	/// Registered: challenged every period while its stake is at least `MinProviderStake`.
	Active,
	/// Unregistered: no new challenge; the stake stays held (and slashable for challenges
	/// already issued) until `unlocks_at`, when `withdraw_unbonded` releases it.
	Unbonding {
		/// First block at which `withdraw_unbonded` succeeds.
		unlocks_at: BlockNumber,
	},
}

/// A storage provider and the stake behind it.
#[derive(
	CloneNoBound, Encode, Decode, MaxEncodedLen, TypeInfo, PartialEqNoBound, EqNoBound, DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct ProviderInfo<T: Config> {
	/// Stake held on the provider's account under `HoldReason::ProviderStake`, in the smallest
	/// unit; missed challenges slash it.
	pub stake: BalanceOf<T>,
	/// Where clients upload and download segments.
	pub endpoint: Endpoint<T>,
	/// Active or unbonding.
	pub status: ProviderStatus<BlockNumberFor<T>>,
	/// Challenges issued to the provider whose deadline has not been processed yet.
	pub open_challenges: u32,
}

/// Whether a challenge still waits for its proof.
#[derive(
	Clone,
	Copy,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	PartialEq,
	Eq,
	Debug,
)]
pub enum ChallengeStatus {
	/// No valid proof yet; at the deadline the provider is slashed.
	Open,
	/// Proven; kept until the deadline so that a second proof is told apart from a missing
	/// challenge.
	Proven,
}

/// A challenge: one chunk of one file that one provider must prove it holds before `deadline`.
///
/// It copies the file's commitment so that the proof can be checked even if the file expires
/// (and leaves storage) before the deadline.
#[derive(
	Clone, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, PartialEq, Eq, Debug,
)]
pub struct Challenge<BlockNumber> {
	/// The challenged file.
	pub file_id: FileId,
	/// The file's root.
	pub root: H256,
	/// The file's size in bytes.
	pub size: u64,
	/// Index of the challenged chunk over the whole file, below `chunk_count(size)`.
	pub chunk_index: u64,
	/// First block at which a proof is late; `on_initialize` of this block slashes an open
	/// challenge.
	pub deadline: BlockNumber,
	/// Open or proven.
	pub status: ChallengeStatus,
}

/// A challenge of the pallet's configuration.
pub type ChallengeOf<T> = Challenge<BlockNumberFor<T>>;

/// Running totals of the reward pool, in the smallest unit: the pool account holds
/// `fees_in − rewards_out − unearned_out` above its endowment.
#[derive(
	Clone,
	Copy,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	PartialEq,
	Eq,
	Debug,
)]
pub struct PoolTotals<Balance> {
	/// Every fee paid by `submit` and `renew`.
	pub fees_in: Balance,
	/// Every reward paid to a prover.
	pub rewards_out: Balance,
	/// Rewards left in files when they expired, handed to `UnearnedRewardDestination`.
	pub unearned_out: Balance,
}

/// Pool totals of the pallet's configuration.
pub type PoolTotalsOf<T> = PoolTotals<BalanceOf<T>>;

/// Replication factor of a file: how many providers are to hold it.
pub type ReplicaCount = u8;

/// One provider's copy of a file, from assignment until it is released.
#[derive(
	Clone, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, PartialEq, Eq, Debug,
)]
pub struct Replica<AccountId, BlockNumber> {
	/// The provider the file is assigned to.
	pub provider: AccountId,
	/// Block of the assignment: the provider has `AckWindow` blocks from here to acknowledge.
	pub assigned_at: BlockNumber,
	/// Position of the file in the provider's challengeable set once the provider acknowledged
	/// holding every segment; `None` before. Only acknowledged replicas are challenged.
	pub acked_position: Option<u32>,
	/// Challenges on this file the provider missed in a row; at `MissesBeforeRelease` the
	/// replica is presumed lost and released.
	pub missed: u8,
}

/// Who holds (or is to hold) a file, and how many copies its owner paid for.
#[derive(
	CloneNoBound, Encode, Decode, MaxEncodedLen, TypeInfo, PartialEqNoBound, EqNoBound, DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct ReplicaSet<T: Config> {
	/// Replicas paid for.
	pub wanted: ReplicaCount,
	/// The providers assigned, acknowledged or not, each at most once.
	pub holders: BoundedVec<Replica<T::AccountId, BlockNumberFor<T>>, T::MaxReplicas>,
}

impl<T: Config> ReplicaSet<T> {
	/// Replicas whose provider acknowledged holding the data.
	pub fn acked(&self) -> usize {
		self.holders.iter().filter(|replica| replica.acked_position.is_some()).count()
	}

	/// Whether `provider` is assigned the file.
	pub fn holds(&self, provider: &T::AccountId) -> bool {
		self.holders.iter().any(|replica| &replica.provider == provider)
	}

	/// Replicas still to assign to reach `wanted`.
	pub fn missing(&self) -> usize {
		usize::from(self.wanted).saturating_sub(self.holders.len())
	}
}

/// Disk space a provider offers and how much of it assignments take, in bytes.
#[derive(
	Clone,
	Copy,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	PartialEq,
	Eq,
	Debug,
)]
pub struct Capacity {
	/// Bytes the provider declared with `declare_capacity`.
	pub declared: u64,
	/// Bytes of the files assigned to it (acknowledged or not).
	pub used: u64,
}

impl Capacity {
	/// Bytes still free for assignments.
	pub fn free(&self) -> u64 {
		self.declared.saturating_sub(self.used)
	}
}

/// What the runtime API tells about one replica of a file.
#[derive(Clone, Encode, Decode, TypeInfo, PartialEq, Eq, Debug)]
pub struct ReplicaSummary<AccountId> {
	/// The provider assigned.
	pub provider: AccountId,
	/// Whether it acknowledged holding every segment (and is challenged on the file).
	pub acked: bool,
	/// The provider's registered endpoint.
	pub endpoint: alloc::vec::Vec<u8>,
}

/// Account id of the pallet's configuration.
pub type AccountIdOf<T> = <T as frame_system::Config>::AccountId;

/// What the runtime API tells about a live file: the commitment, its owner and its lifetime.
#[derive(Clone, Encode, Decode, TypeInfo, PartialEq, Eq, Debug)]
pub struct FileSummary<AccountId, BlockNumber> {
	/// Position of the file in the log.
	pub id: FileId,
	/// Merkle root of the file.
	pub root: H256,
	/// Size of the file in bytes.
	pub size: u64,
	/// The account that submitted it first.
	pub owner: AccountId,
	/// Block it was first submitted in.
	pub submitted_at: BlockNumber,
	/// First block at which it is expired.
	pub expires_at: BlockNumber,
	/// Replicas paid for.
	pub replicas_wanted: ReplicaCount,
	/// Replicas acknowledged by their provider.
	pub replicas_acked: u32,
}
