//! `on_initialize` housekeeping: bounded activation and bounded expiry sweeps.

use super::*;
use polkadot_sdk::frame_support::assert_ok;

/// Submits `count` small files from Alice at the current block, stored by Charlie (registered
/// here if not yet), who acknowledges them two blocks later, once all are assigned.
fn submit_small_files(count: u8) {
	if !Providers::<Test>::contains_key(charlie()) {
		register(&charlie());
	}
	let ids: Vec<FileId> =
		(0..count).map(|seed| submit_file(&alice(), &TestFile::new(100, seed + 1))).collect();
	run_to_block(System::block_number() + 2);
	for id in ids {
		assert_ok!(ack(&charlie(), id));
	}
}

#[test]
fn activation_is_bounded_per_block_and_oldest_first() {
	build_and_execute(|| {
		submit_small_files(6);
		run_to_block(10);
		assert_eq!(ActiveFileCount::<Test>::get(), 0);
		run_to_block(11);
		assert_eq!(ActiveFileCount::<Test>::get(), MAX_ACTIVATIONS);
		assert_eq!(NextToActivate::<Test>::get(), MAX_ACTIVATIONS as FileId);
		assert!((0..4).all(|id| file(id).active_position == Some(id as u32)));
		run_to_block(12);
		assert_eq!(ActiveFileCount::<Test>::get(), 6);
		assert_eq!(NextToActivate::<Test>::get(), 6);
	});
}

#[test]
fn younger_files_wait_for_their_turn() {
	build_and_execute(|| {
		submit_small_files(1);
		run_to_block(5);
		let younger = submit_file(&alice(), &TestFile::new(100, 20));
		assign_and_ack(younger);
		run_to_block(11);
		assert_eq!(ActiveFileCount::<Test>::get(), 1);
		assert_eq!(NextToActivate::<Test>::get(), 1);
		run_to_block(15);
		assert_eq!(ActiveFileCount::<Test>::get(), 2);
	});
}

#[test]
fn expired_files_are_swept_a_bounded_number_per_block() {
	build_and_execute(|| {
		submit_small_files(6);
		run_to_block(1 + FILE_LIFETIME - 1);
		assert_eq!(ActiveFileCount::<Test>::get(), 6);

		run_to_block(1 + FILE_LIFETIME);
		assert_eq!(ActiveFileCount::<Test>::get(), 6 - MAX_EXPIRY_SCANS);
		run_to_block(2 + FILE_LIFETIME);
		assert_eq!(ActiveFileCount::<Test>::get(), 0);
		assert_eq!(Files::<Test>::iter().count(), 0);
		let expired =
			events().iter().filter(|event| matches!(event, Event::FileExpired { .. })).count();
		assert_eq!(expired, 6);
		assert_eq!(pool_balance(), EXISTENTIAL_DEPOSIT);
	});
}

#[test]
fn a_renewed_file_survives_the_sweep() {
	build_and_execute(|| {
		submit_small_files(3);
		assert_ok!(StorageCommitments::renew(RuntimeOrigin::signed(bob()), 1));
		run_to_block(2 + FILE_LIFETIME);
		assert!(!Files::<Test>::contains_key(0));
		assert!(!Files::<Test>::contains_key(2));
		assert_eq!(ActiveFileCount::<Test>::get(), 1);
		assert_eq!(file(1).active_position, Some(0));
		assert_eq!(ActiveFiles::<Test>::get(0), Some(1));
	});
}

#[test]
fn a_file_expiring_before_activation_is_removed() {
	build_and_execute(|| {
		submit_small_files(1);
		// No hook runs until long after the expiry.
		System::set_block_number(1 + FILE_LIFETIME + 5);
		run_to_block(2 + FILE_LIFETIME + 5);
		assert!(!Files::<Test>::contains_key(0));
		assert_eq!(ActiveFileCount::<Test>::get(), 0);
		assert_eq!(NextToActivate::<Test>::get(), 1);
	});
}
