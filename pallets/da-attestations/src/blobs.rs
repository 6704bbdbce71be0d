//! Blob submission (checks, fee, queues) and the queries a rollup makes about a blob.

use crate::{
	BalanceOf, BlobCommitment, BlobId, BlobIdByRoot, BlobInfo, BlobStatus, BlobSummary, Blobs,
	Config, CurrentEpoch, EpochIndex, Error, ExpiryQueue, HoldReason, NamespaceId, NextBlobId,
	Pallet, Quorums,
};
use alloc::vec::Vec;
use polkadot_sdk::{
	frame_support::{ensure, pallet_prelude::*, traits::fungible::MutateHold, BoundedVec},
	frame_system::{self, pallet_prelude::BlockNumberFor},
	sp_core::H256,
	sp_runtime::traits::{Saturating, Zero},
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

/// What `add_blob` assigned to a new blob.
pub(crate) struct NewBlob<T: Config> {
	pub id: BlobId,
	pub fee: BalanceOf<T>,
	pub epoch: EpochIndex,
	pub expires_at: BlockNumberFor<T>,
}

impl<T: Config> Pallet<T> {
	/// The fee of a blob of `size_bytes` bytes: `BlobBaseFee + BlobByteFee × size_bytes`.
	pub fn blob_fee(size_bytes: u32) -> BalanceOf<T> {
		T::BlobByteFee::get()
			.saturating_mul(size_bytes.into())
			.saturating_add(T::BlobBaseFee::get())
	}

	/// Checks `commitment`, holds the fee on `submitter` and stores the blob for the current
	/// epoch's quorum.
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
			!BlobIdByRoot::<T>::contains_key(commitment.root),
			Error::<T>::BlobAlreadySubmitted
		);
		let epoch = CurrentEpoch::<T>::get();
		let has_quorum = Quorums::<T>::get(epoch).is_some_and(|quorum| !quorum.members.is_empty());
		ensure!(has_quorum, Error::<T>::NoQuorum);

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
			},
		);
		BlobIdByRoot::<T>::insert(commitment.root, id);
		NextBlobId::<T>::put(next_id);
		Ok(NewBlob { id, fee, epoch, expires_at })
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

	/// The block in which the blob with `root` was certified, or `None` if no blob with this
	/// root is certified (unknown, pending or expired).
	///
	/// This is what a rollup asks before it relies on a blob being available.
	pub fn certification(root: H256) -> Option<BlockNumberFor<T>> {
		let id = BlobIdByRoot::<T>::get(root)?;
		match Blobs::<T>::get(id)?.status {
			BlobStatus::Certified { at } => Some(at),
			BlobStatus::Pending => None,
		}
	}

	/// Everything the chain knows about the blob with `root`, if it is pending or certified.
	pub fn blob_summary(
		root: H256,
	) -> Option<BlobSummary<T::AccountId, BalanceOf<T>, BlockNumberFor<T>>> {
		let id = BlobIdByRoot::<T>::get(root)?;
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
		})
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
