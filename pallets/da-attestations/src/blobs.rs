//! Blob submission (checks, fee, queues) and the queries a rollup makes about a blob.

use crate::{
	blob_shape, quorum, BalanceOf, BlobAssignment, BlobCommitment, BlobId, BlobIds, BlobInfo,
	BlobStatus, BlobSummary, Blobs, Config, CurrentEpoch, EpochIndex, Epochs, Error, ExpiryQueue,
	HoldReason, NamespaceId, NextBlobId, Pallet, QuorumIndex, Quorums, ShardHolder, Signers,
};
use alloc::vec::Vec;
use codec::Encode;
use polkadot_sdk::{
	frame_support::{ensure, pallet_prelude::*, traits::fungible::MutateHold, BoundedVec},
	frame_system::{self, pallet_prelude::BlockNumberFor},
	sp_core::H256,
	sp_runtime::{
		traits::{Saturating, Zero},
		SaturatedConversion,
	},
};
use zerog_primitives::da::check_coding_params;

/// How many expiry blocks a blob may be queued in: its window's last block, then up to
/// `EXPIRY_SLOTS - 1` blocks earlier while the later ones already hold `MaxBlobsPerBlock` blobs.
///
/// A burst of submissions in one block then gets slightly shorter windows instead of failing
/// after inclusion, when the submitter has already paid the transaction fee. Earlier, never
/// later: a blob must still be resolved while its quorum is alive (`AttestationWindow <=
/// EpochLength`).
pub const EXPIRY_SLOTS: u32 = 8;

/// Most blobs with one root that a lookup by root alone reads ([`Pallet::blob_by_root`]). Only
/// one shape of a root can ever verify, so more only come from someone paying fees for blobs
/// that cannot be certified; tools that must not be misled look blobs up by commitment.
pub const MAX_ROOT_CANDIDATES: usize = 8;

/// What `add_blob` assigned to a new blob.
pub(crate) struct NewBlob<T: Config> {
	pub id: BlobId,
	pub fee: BalanceOf<T>,
	pub epoch: EpochIndex,
	pub quorum: QuorumIndex,
	pub expires_at: BlockNumberFor<T>,
}

impl<T: Config> Pallet<T> {
	/// The fee of a blob of `size_bytes` bytes: `BlobBaseFee + BlobByteFee × size_bytes`.
	pub fn blob_fee(size_bytes: u32) -> BalanceOf<T> {
		T::BlobByteFee::get()
			.saturating_mul(size_bytes.into())
			.saturating_add(T::BlobBaseFee::get())
	}

	/// Checks `commitment`, holds the fee on `submitter` and stores the blob for the quorum of
	/// the current epoch that [`Pallet::quorum_for`] picks.
	pub(crate) fn add_blob(
		submitter: &T::AccountId,
		commitment: BlobCommitment,
		namespace: NamespaceId,
	) -> Result<NewBlob<T>, DispatchError> {
		ensure!(commitment.size_bytes <= T::MaxBlobBytes::get(), Error::<T>::BlobTooLarge);
		ensure!(commitment.size_bytes > 0, Error::<T>::EmptyBlob);
		check_coding_params(commitment.data_shards, commitment.parity_shards)
			.map_err(|_| Error::<T>::InvalidCoding)?;
		ensure!(
			!BlobIds::<T>::contains_key(commitment.root, blob_shape(&commitment)),
			Error::<T>::BlobAlreadySubmitted
		);
		let (epoch, quorum) = Self::quorum_for(&commitment).ok_or(Error::<T>::NoQuorum)?;

		let id = NextBlobId::<T>::get();
		let next_id = id.checked_add(1).ok_or(Error::<T>::CounterOverflow)?;
		let now = frame_system::Pallet::<T>::block_number();
		let expires_at = Self::queue_expiry(now, id)?;
		let fee = Self::blob_fee(commitment.size_bytes);
		T::Currency::hold(&HoldReason::BlobFee.into(), submitter, fee)
			.map_err(|_| Error::<T>::InsufficientFreeBalance)?;

		Blobs::<T>::insert(
			id,
			BlobInfo {
				submitter: submitter.clone(),
				namespace,
				commitment,
				fee,
				epoch,
				submitted_at: now,
				expires_at,
				status: BlobStatus::Pending,
				attesters: BoundedVec::new(),
				attested_stake: Zero::zero(),
				quorum,
			},
		);
		BlobIds::<T>::insert(commitment.root, blob_shape(&commitment), id);
		NextBlobId::<T>::put(next_id);
		Ok(NewBlob { id, fee, epoch, quorum, expires_at })
	}

	/// The current epoch and the quorum of it that a blob with `commitment` submitted now is
	/// assigned to ([`quorum::assign_quorum`]); `None` when the epoch has no quorum with a
	/// member.
	pub fn quorum_for(commitment: &BlobCommitment) -> Option<(EpochIndex, QuorumIndex)> {
		let epoch = CurrentEpoch::<T>::get();
		let info = Epochs::<T>::get(epoch)?;
		let quorum = quorum::assign_quorum(&info.seed, &commitment.encode(), info.quorums);
		let has_members =
			Quorums::<T>::get(epoch, quorum).is_some_and(|quorum| !quorum.members.is_empty());
		has_members.then_some((epoch, quorum))
	}

	/// Queues blob `id`, submitted at `now`, in the expiry queue of the last block of its
	/// window, or of the latest of the [`EXPIRY_SLOTS`] blocks before it that has room. Every
	/// slot leaves the quorum at least one block to attest (it is after `now + 1`).
	fn queue_expiry(
		now: BlockNumberFor<T>,
		id: BlobId,
	) -> Result<BlockNumberFor<T>, DispatchError> {
		let last_attestable = now.saturating_add(1u32.into());
		let mut slot = now.saturating_add(T::AttestationWindow::get());
		for _ in 0..EXPIRY_SLOTS {
			if slot <= last_attestable {
				break;
			}
			if ExpiryQueue::<T>::try_mutate(slot, |queue| queue.try_push(id)).is_ok() {
				return Ok(slot);
			}
			slot = slot.saturating_sub(1u32.into());
		}
		Err(Error::<T>::TooManyBlobsInBlock.into())
	}

	/// The block in which the blob with `commitment` was certified, or `None` if it is not
	/// certified (unknown, pending, expired or retired).
	///
	/// This is what a rollup asks before it relies on a blob being available.
	pub fn certification(commitment: &BlobCommitment) -> Option<BlockNumberFor<T>> {
		let id = BlobIds::<T>::get(commitment.root, blob_shape(commitment))?;
		match Blobs::<T>::get(id)?.status {
			BlobStatus::Certified { at } => Some(at),
			BlobStatus::Pending => None,
		}
	}

	/// Everything the chain knows about the blob with `commitment`, if it is pending or
	/// certified (and not retired).
	pub fn blob_summary(
		commitment: &BlobCommitment,
	) -> Option<BlobSummary<T::AccountId, BalanceOf<T>, BlockNumberFor<T>>> {
		let id = BlobIds::<T>::get(commitment.root, blob_shape(commitment))?;
		Self::summary_of(id)
	}

	/// The blob with `root` for someone who knows only the root: the certified one if any, else
	/// a pending one. Reads at most [`MAX_ROOT_CANDIDATES`] blobs with that root.
	pub fn blob_by_root(
		root: H256,
	) -> Option<BlobSummary<T::AccountId, BalanceOf<T>, BlockNumberFor<T>>> {
		let candidates: Vec<BlobId> =
			BlobIds::<T>::iter_prefix_values(root).take(MAX_ROOT_CANDIDATES).collect();
		let summaries: Vec<_> = candidates.into_iter().filter_map(Self::summary_of).collect();
		let certified = summaries
			.iter()
			.position(|summary| matches!(summary.status, BlobStatus::Certified { .. }));
		match certified {
			Some(position) => summaries.into_iter().nth(position),
			None => summaries.into_iter().next(),
		}
	}

	/// The runtime API summary of blob `id`.
	fn summary_of(
		id: BlobId,
	) -> Option<BlobSummary<T::AccountId, BalanceOf<T>, BlockNumberFor<T>>> {
		let blob = Blobs::<T>::get(id)?;
		Some(BlobSummary {
			id,
			submitter: blob.submitter,
			namespace: blob.namespace,
			commitment: blob.commitment,
			epoch: blob.epoch,
			expires_at: blob.expires_at,
			status: blob.status,
			attested_stake: blob.attested_stake,
			quorum: blob.quorum,
		})
	}

	/// Who holds which shards of the blob with `commitment`: the members of its quorum if it
	/// is on chain, else of the quorum it would be assigned to if submitted now (so a publisher
	/// can stage shards before submitting). `None` without such a quorum.
	pub fn shard_holders(commitment: &BlobCommitment) -> Option<BlobAssignment<T::AccountId>> {
		let (epoch, quorum_index) = match BlobIds::<T>::get(commitment.root, blob_shape(commitment))
			.and_then(Blobs::<T>::get)
		{
			Some(blob) => (blob.epoch, blob.quorum),
			None => Self::quorum_for(commitment)?,
		};
		let quorum = Quorums::<T>::get(epoch, quorum_index)?;
		let stakes: Vec<u128> =
			quorum.members.iter().map(|(_, stake)| (*stake).saturated_into::<u128>()).collect();
		let holders = quorum
			.members
			.iter()
			.enumerate()
			.map(|(position, (account, _))| {
				let range = quorum::shard_range(&stakes, position, commitment.total_shards());
				ShardHolder {
					account: account.clone(),
					endpoint: Signers::<T>::get(account)
						.map(|signer| signer.endpoint.into_inner())
						.unwrap_or_default(),
					first_shard: range.start,
					end_shard: range.end,
				}
			})
			.collect();
		Some(BlobAssignment { epoch, quorum: quorum_index, holders })
	}

	/// Ids of the pending blobs that can still be attested in a block after `now` (their window
	/// ends after `now + 1`), oldest window first. Reads `AttestationWindow` queue entries.
	pub fn pending_blob_ids(now: BlockNumberFor<T>) -> Vec<BlobId> {
		let mut ids = Vec::new();
		let mut block = now.saturating_add(2u32.into());
		let last = now.saturating_add(T::AttestationWindow::get());
		while block <= last {
			ids.extend(ExpiryQueue::<T>::get(block).into_iter().filter(|id| {
				Blobs::<T>::get(id).is_some_and(|blob| blob.status == BlobStatus::Pending)
			}));
			block = block.saturating_add(1u32.into());
		}
		ids
	}
}
