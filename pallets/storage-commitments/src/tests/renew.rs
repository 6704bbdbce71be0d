//! `renew`: another lifetime for a live file.

use super::*;
use polkadot_sdk::frame_support::{assert_noop, assert_ok};

#[test]
fn renew_adds_a_lifetime_and_the_fee_to_the_rewards() {
	build_with_provider(|| {
		let file = TestFile::standard();
		let id = submit_file(&alice(), &file);

		assert_ok!(StorageCommitments::renew(RuntimeOrigin::signed(bob()), id));

		let stored = super::file(id);
		assert_eq!(stored.expires_at, 1 + 2 * FILE_LIFETIME);
		assert_eq!(stored.reward_remaining, 2 * file.fee());
		assert_eq!(stored.owner, alice());
		assert_eq!(free(&bob()), INITIAL_BALANCE - file.fee());
		assert_eq!(Pool::<Test>::get().fees_in, 2 * file.fee());
		System::assert_last_event(
			Event::FileRenewed {
				id,
				who: bob(),
				fee: file.fee(),
				expires_at: 1 + 2 * FILE_LIFETIME,
			}
			.into(),
		);
	});
}

#[test]
fn renew_of_an_unknown_file_fails() {
	build_with_provider(|| {
		assert_noop!(
			StorageCommitments::renew(RuntimeOrigin::signed(alice()), 0),
			Error::<Test>::FileNotFound
		);
	});
}

#[test]
fn renew_of_an_expired_file_fails() {
	build_with_provider(|| {
		let id = submit_file(&alice(), &TestFile::standard());
		// Expired but not swept yet: still stored, no longer renewable.
		System::set_block_number(1 + FILE_LIFETIME);
		assert_noop!(
			StorageCommitments::renew(RuntimeOrigin::signed(alice()), id),
			Error::<Test>::FileExpired
		);
		// Once swept it is unknown.
		run_to_block(2 + FILE_LIFETIME);
		assert_noop!(
			StorageCommitments::renew(RuntimeOrigin::signed(alice()), id),
			Error::<Test>::FileNotFound
		);
	});
}

#[test]
fn renew_without_the_fee_fails() {
	build_with_provider(|| {
		let id = submit_file(&alice(), &TestFile::standard());
		assert_noop!(
			StorageCommitments::renew(RuntimeOrigin::signed(pauper()), id),
			Error::<Test>::InsufficientBalance
		);
	});
}

#[test]
fn renew_may_not_reach_past_the_maximum_lifetime() {
	build_with_provider(|| {
		let id = submit_file(&alice(), &TestFile::standard());
		assert_ok!(StorageCommitments::renew(RuntimeOrigin::signed(alice()), id));
		assert_noop!(
			StorageCommitments::renew(RuntimeOrigin::signed(alice()), id),
			Error::<Test>::LifetimeTooLong
		);
	});
}
