//! Retention of certified blobs: they leave state `RetentionPeriod` blocks after their window,
//! their quorum is kept as long as they are, and Root can change the period.

use super::*;
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok},
	sp_runtime::DispatchError,
};

/// Submits blob `seed` from Alice and certifies it with Charlie and Dave; returns its id.
fn certified_blob(seed: u8) -> BlobId {
	let id = submit(&alice(), seed);
	attest(&charlie(), &[id]);
	attest(&dave(), &[id]);
	assert!(matches!(Blobs::<Test>::get(id).unwrap().status, BlobStatus::Certified { .. }));
	id
}

#[test]
fn a_certified_blob_is_kept_for_the_retention_period_then_retired() {
	build_and_execute(|| {
		equal_quorum();
		let id = certified_blob(1);
		let blob = Blobs::<Test>::get(id).unwrap();
		let retire_at = blob.expires_at + RETENTION;
		run_to_block(blob.expires_at);
		assert_eq!(RetentionQueue::<Test>::get(retire_at).into_inner(), vec![id]);
		run_to_block(retire_at - 1);
		assert!(DaAttestations::certification(&commitment(1, SIZE)).is_some());
		// Two epochs have passed: the quorum is kept only because it holds the blob.
		assert!(CurrentEpoch::<Test>::get() >= blob.epoch + 2);
		assert_eq!(Quorums::<Test>::get(blob.epoch, 0).unwrap().blobs_kept, 1);
		assert_eq!(members(blob.epoch).len(), 3);
		run_to_block(retire_at);
		assert!(events().contains(&Event::BlobRetired { id, root: H256::repeat_byte(1) }));
		assert!(!Blobs::<Test>::contains_key(id));
		assert!(BlobIds::<Test>::iter_prefix(H256::repeat_byte(1)).next().is_none());
		assert_eq!(DaAttestations::certification(&commitment(1, SIZE)), None);
		assert!(DaAttestations::blob_by_root(H256::repeat_byte(1)).is_none());
		// The last blob of a closed epoch's quorum released it.
		assert!(!Quorums::<Test>::contains_key(blob.epoch, 0));
		// Retired, the commitment can be submitted (and paid for) again.
		assert!(submit(&alice(), 1) > id);
	});
}

#[test]
fn a_quorum_of_the_current_epochs_stays_when_its_blob_retires() {
	build_and_execute(|| {
		equal_quorum();
		assert_ok!(DaAttestations::set_retention_period(RuntimeOrigin::root(), 1));
		let id = certified_blob(1);
		let blob = Blobs::<Test>::get(id).unwrap();
		run_to_block(blob.expires_at + 1);
		assert!(!Blobs::<Test>::contains_key(id));
		// Still epoch 1: its quorum serves new blobs.
		assert_eq!(CurrentEpoch::<Test>::get(), blob.epoch);
		assert_eq!(Quorums::<Test>::get(blob.epoch, 0).unwrap().blobs_kept, 0);
		submit(&alice(), 2);
	});
}

#[test]
fn root_sets_the_retention_period_for_later_blobs() {
	build_and_execute(|| {
		equal_quorum();
		assert_eq!(RetentionPeriod::<Test>::get(), RETENTION);
		assert_noop!(
			DaAttestations::set_retention_period(RuntimeOrigin::signed(alice()), 5),
			DispatchError::BadOrigin
		);
		assert_noop!(
			DaAttestations::set_retention_period(RuntimeOrigin::root(), 0),
			Error::<Test>::InvalidRetentionPeriod
		);
		let first = certified_blob(1);
		let first_expiry = Blobs::<Test>::get(first).unwrap().expires_at;
		run_to_block(first_expiry);
		assert_ok!(DaAttestations::set_retention_period(RuntimeOrigin::root(), 3));
		System::assert_last_event(Event::RetentionPeriodSet { blocks: 3 }.into());
		let second = certified_blob(2);
		let second_expiry = Blobs::<Test>::get(second).unwrap().expires_at;
		run_to_block(second_expiry + 3);
		assert!(!Blobs::<Test>::contains_key(second), "the new period applies");
		assert!(Blobs::<Test>::contains_key(first), "the old blob keeps its end");
		run_to_block(first_expiry + RETENTION);
		assert!(!Blobs::<Test>::contains_key(first));
	});
}

#[test]
fn a_full_retention_queue_retires_later_never_sooner() {
	build_and_execute(|| {
		equal_quorum();
		let id = certified_blob(1);
		let expires_at = Blobs::<Test>::get(id).unwrap().expires_at;
		let retire_at = expires_at + RETENTION;
		let full: Vec<BlobId> = (0..MAX_BLOBS_PER_BLOCK as BlobId).map(|i| 1_000 + i).collect();
		RetentionQueue::<Test>::insert(retire_at, BoundedVec::truncate_from(full));
		run_to_block(expires_at);
		assert!(RetentionQueue::<Test>::get(retire_at + 1).contains(&id));
		// The made-up ids of the full queue are not blobs; clear them so the invariants hold.
		RetentionQueue::<Test>::remove(retire_at);
		run_to_block(retire_at + 1);
		assert!(!Blobs::<Test>::contains_key(id));
	});
}
