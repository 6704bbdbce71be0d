//! Types kept in storage, passed to calls and reported in events.
//!
//! Everything stored has a `MaxEncodedLen`: variable-length fields are `BoundedVec`s capped by a
//! `Config` item. Fields are only ever appended.

use crate::{BalanceOf, Config};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::{
	frame_support::{BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound},
	frame_system::pallet_prelude::BlockNumberFor,
	sp_core::sr25519,
};
use scale_info::TypeInfo;
use zerog_primitives::da::BlobCommitment;

/// Identifier of a blob, assigned in submission order from 0.
pub type BlobId = u64;

/// Index of an epoch; epoch 1 starts at the first block the pallet runs.
pub type EpochIndex = u32;

/// The rollup or application a blob belongs to; not interpreted by the chain.
pub type NamespaceId = u32;

/// Position of a member in its epoch's quorum, from 0.
pub type MemberIndex = u32;

/// Index of a quorum among the quorums of its epoch, from 0.
pub type QuorumIndex = u32;

/// The size and coding of a blob: with its root, the key a blob is stored under (a root alone
/// does not identify a blob, since the chain cannot check that the root commits to this shape).
pub type BlobShape = (u32, u16, u16);

/// The [`BlobShape`] of `commitment`.
pub fn blob_shape(commitment: &BlobCommitment) -> BlobShape {
	(commitment.size_bytes, commitment.data_shards, commitment.parity_shards)
}

/// Where a blob stands.
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
pub enum BlobStatus<BlockNumber> {
	/// Waiting for attestations; its fee is on hold.
	Pending,
	/// Certified in block `at`; its fee was paid to the attesters.
	Certified {
		/// The block whose `attest` reached the threshold.
		at: BlockNumber,
	},
}

/// A submitted blob.
#[derive(
	CloneNoBound, Encode, Decode, MaxEncodedLen, TypeInfo, PartialEqNoBound, EqNoBound, DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct BlobInfo<T: Config> {
	/// Who submitted the blob and pays (or paid) its fee.
	pub submitter: T::AccountId,
	/// The rollup or application the blob belongs to.
	pub namespace: NamespaceId,
	/// Root, size and coding of the blob.
	pub commitment: BlobCommitment,
	/// The fee, in the smallest unit; on hold on the submitter while the blob is pending.
	pub fee: BalanceOf<T>,
	/// The epoch whose quorum attests to the blob.
	pub epoch: EpochIndex,
	/// The block the blob was submitted in.
	pub submitted_at: BlockNumberFor<T>,
	/// The first block in which the blob can no longer be attested; `on_initialize` of this
	/// block expires it if it is still pending.
	pub expires_at: BlockNumberFor<T>,
	/// Pending or certified (and when).
	pub status: BlobStatus<BlockNumberFor<T>>,
	/// Quorum positions of the members that attested, in attestation order.
	pub attesters: BoundedVec<MemberIndex, T::MaxQuorumSize>,
	/// Sum of the quorum stakes of `attesters`, in the smallest unit.
	pub attested_stake: BalanceOf<T>,
	/// Which of its epoch's quorums attests to the blob.
	pub quorum: QuorumIndex,
}

/// Whether a signer can be drawn.
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
pub enum SignerStatus<BlockNumber> {
	/// Registered and a candidate of every quorum draw.
	Active,
	/// Left the registry; the stake can be withdrawn from block `unlocks_at`.
	Unbonding {
		/// First block at which `withdraw_unbonded` succeeds.
		unlocks_at: BlockNumber,
	},
}

/// A registered signer.
#[derive(
	CloneNoBound, Encode, Decode, MaxEncodedLen, TypeInfo, PartialEqNoBound, EqNoBound, DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct SignerInfo<T: Config> {
	/// The stake on hold, in the smallest unit.
	pub stake: BalanceOf<T>,
	/// The sr25519 key (key type `zgda`) of the signer's node; its account is the signer's.
	pub da_key: sr25519::Public,
	/// Where publishers push shards to the signer, a URL by convention (not checked on chain).
	pub endpoint: BoundedVec<u8, T::MaxEndpointLen>,
	/// Active or unbonding.
	pub status: SignerStatus<BlockNumberFor<T>>,
}

/// One quorum of an epoch.
#[derive(
	CloneNoBound, Encode, Decode, MaxEncodedLen, TypeInfo, PartialEqNoBound, EqNoBound, DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct Quorum<T: Config> {
	/// The members in draw order, each with its stake when drawn. A member's position is its
	/// [`MemberIndex`] and fixes its shard range.
	pub members: BoundedVec<(T::AccountId, BalanceOf<T>), T::MaxQuorumSize>,
	/// Sum of the members' stakes.
	pub total_stake: BalanceOf<T>,
	/// Attested stake that certifies a blob: `ceil(2/3 × total_stake)`.
	pub threshold: BalanceOf<T>,
	/// Certified blobs of this quorum still in retention. A quorum is kept past its two epochs
	/// while this is above zero: readers find a blob's shards through it.
	pub blobs_kept: u32,
}

impl<T: Config> Quorum<T> {
	/// Position and stake of `who` in the quorum.
	pub fn member(&self, who: &T::AccountId) -> Option<(MemberIndex, BalanceOf<T>)> {
		self.members
			.iter()
			.zip(0..)
			.find(|((account, _), _)| account == who)
			.map(|((_, stake), index)| (index, *stake))
	}
}

/// What an epoch drew: the seed every derived choice of the epoch uses and how many quorums
/// it formed.
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
pub struct EpochInfo {
	/// `quorum::quorum_seed` of the epoch: seeds the draw and the assignment of blobs to
	/// quorums.
	pub seed: [u8; 32],
	/// Number of quorums (0 when no signer was active).
	pub quorums: u32,
}

/// A member of a blob's quorum, as a publisher needs it: where to push which shards.
#[derive(Clone, Encode, Decode, DecodeWithMemTracking, TypeInfo, PartialEq, Eq, Debug)]
pub struct ShardHolder<AccountId> {
	/// The member's account (its DA key).
	pub account: AccountId,
	/// The member's registered endpoint.
	pub endpoint: alloc::vec::Vec<u8>,
	/// First shard index it holds.
	pub first_shard: u16,
	/// One past the last shard index it holds.
	pub end_shard: u16,
}

/// The quorum a blob is (or, not submitted yet, would now be) assigned to, with what each member
/// holds.
#[derive(Clone, Encode, Decode, DecodeWithMemTracking, TypeInfo, PartialEq, Eq, Debug)]
pub struct BlobAssignment<AccountId> {
	/// The epoch of the quorum.
	pub epoch: EpochIndex,
	/// The quorum's index in its epoch.
	pub quorum: QuorumIndex,
	/// Its members in quorum order, with their shard ranges.
	pub holders: alloc::vec::Vec<ShardHolder<AccountId>>,
}

/// Why one blob of an `attest` batch was not attested; each matches the pallet error of the
/// same name.
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
pub enum AttestRejection {
	/// No blob has this id.
	UnknownBlob,
	/// The blob's attestation window has ended.
	BlobExpired,
	/// The caller is not in the quorum of the blob's epoch.
	NotQuorumMember,
	/// The caller already attested to the blob.
	AlreadyAttested,
	/// The blob is already certified.
	AlreadyCertified,
}

/// What happened to one blob of an `attest` batch.
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
pub enum AttestOutcome {
	/// The attestation was recorded; the blob is still below the threshold.
	Attested,
	/// The attestation was recorded and certified the blob.
	Certified,
	/// Nothing was recorded, for the given reason.
	Rejected(AttestRejection),
}

impl AttestOutcome {
	/// Whether the attestation was recorded.
	pub fn is_recorded(&self) -> bool {
		!matches!(self, Self::Rejected(_))
	}
}

/// What the runtime API tells about a blob.
#[derive(Clone, Encode, Decode, DecodeWithMemTracking, TypeInfo, PartialEq, Eq, Debug)]
pub struct BlobSummary<AccountId, Balance, BlockNumber> {
	/// The blob's id.
	pub id: BlobId,
	/// Who submitted it.
	pub submitter: AccountId,
	/// Its namespace.
	pub namespace: NamespaceId,
	/// Root, size and coding.
	pub commitment: BlobCommitment,
	/// The epoch whose quorum attests to it.
	pub epoch: EpochIndex,
	/// First block in which it can no longer be attested.
	pub expires_at: BlockNumber,
	/// Pending or certified.
	pub status: BlobStatus<BlockNumber>,
	/// Attested stake so far, in the smallest unit.
	pub attested_stake: Balance,
	/// Which of its epoch's quorums attests to it.
	pub quorum: QuorumIndex,
}

/// An attester's open custody challenge: prove chunk `chunk` of shard `shard` of blob `blob` by
/// block `deadline`.
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
pub struct CustodyChallenge<BlockNumber> {
	/// The challenged blob.
	pub blob: BlobId,
	/// A shard index of the attester's own range.
	pub shard: u16,
	/// A chunk index inside that shard.
	pub chunk: u32,
	/// The last block an answer is accepted in.
	pub deadline: BlockNumber,
}
