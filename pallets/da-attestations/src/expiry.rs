//! The end of a blob's life, bounded work in `on_initialize`:
//!
//! - **Expiry**: a blob whose attestation window ended uncertified is removed. `ExpiryRefund` of
//!   the fee is released to the submitter, the rest is taken from the hold and handed to
//!   `ExpiredFeeDestination`. Its commitment may be submitted again.
//! - **Retention**: a certified blob whose window ended is queued to retire
//!   [`RetentionPeriod`](crate::RetentionPeriod) blocks later; when it does, it leaves state
//!   (`BlobRetired`), its quorum is released, and nodes prune its shards (the node's data
//!   pruning deletes what the chain no longer knows).

use crate::{
	blob_shape, BlobId, BlobIds, BlobInfo, BlobStatus, Blobs, Config, CurrentEpoch, Event,
	ExpiryQueue, HoldReason, Pallet, Quorums, RetentionPeriod, RetentionQueue, WeightInfo,
	EXPIRY_SLOTS, LOG_TARGET,
};
use polkadot_sdk::{
	frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{BalancedHold, MutateHold},
			tokens::Precision,
			OnUnbalanced,
		},
	},
	frame_system::pallet_prelude::BlockNumberFor,
	sp_runtime::traits::{Saturating, Zero},
};

impl<T: Config> Pallet<T> {
	/// Expires the pending blobs whose window ends at `now` and queues the certified ones for
	/// retirement. At most `MaxBlobsPerBlock` blobs.
	pub(crate) fn expire_due(now: BlockNumberFor<T>) -> Weight {
		let due = ExpiryQueue::<T>::take(now);
		let retire_at = now.saturating_add(RetentionPeriod::<T>::get());
		for id in due.iter() {
			if let Some(blob) = Blobs::<T>::get(id) {
				match blob.status {
					BlobStatus::Pending => Self::expire(*id, blob),
					BlobStatus::Certified { .. } => Self::queue_retirement(*id, retire_at),
				}
			}
		}
		T::WeightInfo::expire_blobs(due.len() as u32)
	}

	/// Queues certified blob `id` to retire at `retire_at`, or in one of the
	/// [`EXPIRY_SLOTS`] blocks after it if that queue is full (possible only after Root
	/// shortened the retention: each expiry block moves at most `MaxBlobsPerBlock` blobs to
	/// one retention block). Later, never sooner: a blob is kept at least as long as promised.
	fn queue_retirement(id: BlobId, retire_at: BlockNumberFor<T>) {
		let mut slot = retire_at;
		for _ in 0..EXPIRY_SLOTS {
			if RetentionQueue::<T>::try_mutate(slot, |queue| queue.try_push(id)).is_ok() {
				return;
			}
			slot = slot.saturating_add(1u32.into());
		}
		// Keeping it for good is the safe failure: the data stays available.
		log::error!(target: LOG_TARGET, "certified blob {id}: no retention queue had room; kept");
	}

	/// Retires the certified blobs whose retention ends at `now`. At most `MaxBlobsPerBlock`.
	pub(crate) fn retire_due(now: BlockNumberFor<T>) -> Weight {
		let due = RetentionQueue::<T>::take(now);
		for id in due.iter() {
			if let Some(blob) = Blobs::<T>::take(id) {
				BlobIds::<T>::remove(blob.commitment.root, blob_shape(&blob.commitment));
				Self::release_quorum(&blob);
				Self::deposit_event(Event::BlobRetired { id: *id, root: blob.commitment.root });
			}
		}
		T::WeightInfo::retire_blobs(due.len() as u32)
	}

	/// One certified blob fewer keeps `blob`'s quorum; a quorum of a closed epoch (older than
	/// the previous one) that keeps none is removed.
	fn release_quorum(blob: &BlobInfo<T>) {
		let closed = blob.epoch.saturating_add(1) < CurrentEpoch::<T>::get();
		Quorums::<T>::mutate_exists(blob.epoch, blob.quorum, |quorum| {
			if let Some(kept) = quorum {
				kept.blobs_kept = kept.blobs_kept.saturating_sub(1);
				if closed && kept.blobs_kept == 0 {
					*quorum = None;
				}
			}
		});
	}

	/// Refunds and removes one pending blob.
	fn expire(id: BlobId, blob: BlobInfo<T>) {
		let reason = HoldReason::BlobFee.into();
		let refund = T::ExpiryRefund::get().mul_floor(blob.fee);
		let withheld = blob.fee.saturating_sub(refund);
		let refunded =
			T::Currency::release(&reason, &blob.submitter, refund, Precision::BestEffort)
				.unwrap_or_else(|error| {
					log::error!(target: LOG_TARGET, "refund of expired blob {id} failed: {error:?}");
					Zero::zero()
				});
		let (credit, missing) =
			<T::Currency as BalancedHold<T::AccountId>>::slash(&reason, &blob.submitter, withheld);
		if !missing.is_zero() {
			log::error!(target: LOG_TARGET, "expired blob {id}: {missing:?} of its fee was not held");
		}
		T::ExpiredFeeDestination::on_unbalanced(credit);
		Blobs::<T>::remove(id);
		BlobIds::<T>::remove(blob.commitment.root, blob_shape(&blob.commitment));
		Self::deposit_event(Event::BlobExpired {
			id,
			root: blob.commitment.root,
			submitter: blob.submitter,
			refunded,
			withheld: withheld.saturating_sub(missing),
		});
	}
}
