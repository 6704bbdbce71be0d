//! Expiry of blobs whose attestation window ended uncertified: bounded work in `on_initialize`.
//!
//! `ExpiryRefund` of the fee is released to the submitter, the rest is taken from the hold and
//! handed to `ExpiredFeeDestination`. The blob and its root index are removed, so the root may be
//! submitted again.

use crate::{
	BlobId, BlobIdByRoot, BlobInfo, BlobStatus, Blobs, Config, Event, ExpiryQueue, HoldReason,
	Pallet, WeightInfo, LOG_TARGET,
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
	/// Expires the pending blobs whose window ends at `now`; certified ones just leave the
	/// queue. At most `MaxBlobsPerBlock` blobs.
	pub(crate) fn expire_due(now: BlockNumberFor<T>) -> Weight {
		let due = ExpiryQueue::<T>::take(now);
		for id in due.iter() {
			if let Some(blob) = Blobs::<T>::get(id) {
				if blob.status == BlobStatus::Pending {
					Self::expire(*id, blob);
				}
			}
		}
		T::WeightInfo::expire_blobs(due.len() as u32)
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
		BlobIdByRoot::<T>::remove(blob.commitment.root);
		Self::deposit_event(Event::BlobExpired {
			id,
			root: blob.commitment.root,
			submitter: blob.submitter,
			refunded,
			withheld: withheld.saturating_sub(missing),
		});
	}
}
