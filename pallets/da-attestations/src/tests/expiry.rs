//! Expiry of uncertified blobs in `on_initialize`.

use super::*;
use polkadot_sdk::frame_support::assert_ok;

#[test]
fn an_uncertified_blob_expires_and_refunds_part_of_its_fee() {
	build_and_execute(|| {
		equal_quorum();
		let id = submit(&alice(), 1);
		attest(&charlie(), &[id]);
		let expires_at = Blobs::<Test>::get(id).unwrap().expires_at;
		let issuance = Balances::total_issuance();
		run_to_block(expires_at - 1);
		assert!(Blobs::<Test>::contains_key(id));
		run_to_block(expires_at);
		let refunded = FEE * 9 / 10;
		let withheld = FEE - refunded;
		assert!(events().contains(&Event::BlobExpired {
			id,
			root: H256::repeat_byte(1),
			submitter: alice(),
			refunded,
			withheld,
		}));
		assert!(!Blobs::<Test>::contains_key(id));
		assert!(
			BlobIds::<Test>::get(H256::repeat_byte(1), blob_shape(&commitment(1, SIZE))).is_none()
		);
		assert!(ExpiryQueue::<Test>::get(expires_at).is_empty());
		assert_eq!(held(HoldReason::BlobFee, &alice()), 0);
		assert_eq!(free(&alice()), INITIAL_BALANCE - withheld);
		// `()` as `ExpiredFeeDestination` burns the withheld part.
		assert_eq!(Balances::total_issuance(), issuance - withheld);
		// The attester is not paid.
		assert_eq!(free(&charlie()), INITIAL_BALANCE - 100);
	});
}

#[test]
fn an_expired_root_may_be_submitted_again() {
	build_and_execute(|| {
		equal_quorum();
		let id = submit(&alice(), 1);
		run_to_block(Blobs::<Test>::get(id).unwrap().expires_at);
		let again = submit(&alice(), 1);
		assert_ne!(again, id);
		assert_eq!(
			BlobIds::<Test>::get(H256::repeat_byte(1), blob_shape(&commitment(1, SIZE))),
			Some(again)
		);
	});
}

#[test]
fn a_certified_blob_does_not_expire() {
	build_and_execute(|| {
		equal_quorum();
		let id = submit(&alice(), 1);
		attest(&charlie(), &[id]);
		attest(&dave(), &[id]);
		let blob = Blobs::<Test>::get(id).unwrap();
		run_to_block(blob.expires_at + 1);
		assert_eq!(Blobs::<Test>::get(id).unwrap().status, blob.status);
		assert!(!events().iter().any(|event| matches!(event, Event::BlobExpired { .. })));
		assert!(DaAttestations::certification(&commitment(1, SIZE)).is_some());
	});
}

#[test]
fn a_full_block_of_blobs_expires_together() {
	build_and_execute(|| {
		equal_quorum();
		let ids: Vec<_> =
			(1..=MAX_BLOBS_PER_BLOCK as u8).map(|seed| submit(&bob(), seed)).collect();
		run_to_block(System::block_number() + WINDOW);
		let expired =
			events().iter().filter(|event| matches!(event, Event::BlobExpired { .. })).count();
		assert_eq!(expired, ids.len());
		assert_eq!(held(HoldReason::BlobFee, &bob()), 0);
		// And the next block takes new blobs again.
		assert_ok!(DaAttestations::submit_blob(
			RuntimeOrigin::signed(bob()),
			commitment(1, SIZE),
			7
		));
	});
}
