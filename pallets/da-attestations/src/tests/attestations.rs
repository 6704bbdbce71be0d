//! `attest`: the errors, the 2/3 threshold and the fee payout.

use super::*;
use codec::{Decode, Encode};
use polkadot_sdk::frame_support::{assert_noop, assert_ok};

/// `attest` without its post-dispatch weight, to compare with a plain error.
fn attest_call(who: &AccountId, blob_ids: &[BlobId]) -> polkadot_sdk::sp_runtime::DispatchResult {
	DaAttestations::attest(RuntimeOrigin::signed(who.clone()), ids(blob_ids))
		.map(|_| ())
		.map_err(|error| error.error)
}

#[test]
fn an_attestation_below_the_threshold_is_recorded() {
	build_and_execute(|| {
		equal_quorum();
		let id = submit(&alice(), 1);
		assert_eq!(attest(&charlie(), &[id]), vec![AttestOutcome::Attested]);
		let blob = Blobs::<Test>::get(id).unwrap();
		assert_eq!(blob.attested_stake, 100);
		assert_eq!(blob.attesters.len(), 1);
		assert_eq!(blob.status, BlobStatus::Pending);
		System::assert_last_event(
			Event::BlobsAttested {
				signer: charlie(),
				attested: 1,
				outcomes: BoundedVec::truncate_from(vec![AttestOutcome::Attested]),
			}
			.into(),
		);
	});
}

#[test]
fn exactly_two_thirds_of_the_stake_certifies() {
	build_and_execute(|| {
		// Total 3000, threshold 2000: Charlie's 2000 alone is exactly 2/3.
		quorum_of(&[(charlie(), 2_000), (dave(), 500), (eve(), 500)]);
		let id = submit(&alice(), 1);
		assert_eq!(attest(&charlie(), &[id]), vec![AttestOutcome::Certified]);
		let now = System::block_number();
		assert_eq!(Blobs::<Test>::get(id).unwrap().status, BlobStatus::Certified { at: now });
		assert_eq!(DaAttestations::certification(&commitment(1, SIZE)), Some(now));
	});
}

#[test]
fn one_unit_below_two_thirds_does_not_certify() {
	build_and_execute(|| {
		// Total 3000, threshold 2000: 1999 is not enough, 1999 + 500 is.
		quorum_of(&[(charlie(), 1_999), (dave(), 501), (eve(), 500)]);
		let id = submit(&alice(), 1);
		assert_eq!(attest(&charlie(), &[id]), vec![AttestOutcome::Attested]);
		assert_eq!(DaAttestations::certification(&commitment(1, SIZE)), None);
		assert_eq!(attest(&eve(), &[id]), vec![AttestOutcome::Certified]);
		assert!(DaAttestations::certification(&commitment(1, SIZE)).is_some());
	});
}

#[test]
fn certification_pays_the_fee_to_the_attesters_by_stake() {
	build_and_execute(|| {
		// Total 500, threshold 334: Charlie (300) and Dave (100) certify; Eve is not paid.
		quorum_of(&[(charlie(), 300), (dave(), 100), (eve(), 100)]);
		let id = submit(&alice(), 1);
		attest(&charlie(), &[id]);
		assert_eq!(attest(&dave(), &[id]), vec![AttestOutcome::Certified]);
		// 1010 × 300/400 = 757.5 and 1010 × 100/400 = 252.5, rounded down; the unit of dust
		// goes to the first attester.
		assert_eq!(free(&charlie()), INITIAL_BALANCE - 300 + 758);
		assert_eq!(free(&dave()), INITIAL_BALANCE - 100 + 252);
		assert_eq!(free(&eve()), INITIAL_BALANCE - 100);
		assert_eq!(held(HoldReason::BlobFee, &alice()), 0);
		assert_eq!(free(&alice()), INITIAL_BALANCE - FEE);
		assert!(events().contains(&Event::BlobCertified {
			id,
			root: H256::repeat_byte(1),
			at: System::block_number(),
			attested_stake: 400,
			attesters: 2,
			fee_paid: FEE,
		}));
		// Late attestations earn nothing and are refused.
		assert_noop!(attest_call(&eve(), &[id]), Error::<Test>::AlreadyCertified);
	});
}

#[test]
fn a_submitter_that_attests_pays_itself() {
	build_and_execute(|| {
		quorum_of(&[(charlie(), 100)]);
		let id = submit(&charlie(), 1);
		assert_eq!(attest(&charlie(), &[id]), vec![AttestOutcome::Certified]);
		assert_eq!(free(&charlie()), INITIAL_BALANCE - 100);
	});
}

#[test]
fn rejects_an_unknown_blob() {
	build_and_execute(|| {
		equal_quorum();
		assert_noop!(attest_call(&charlie(), &[0]), Error::<Test>::UnknownBlob);
	});
}

#[test]
fn rejects_a_non_member() {
	build_and_execute(|| {
		equal_quorum();
		let id = submit(&alice(), 1);
		assert_noop!(attest_call(&ferdie(), &[id]), Error::<Test>::NotQuorumMember);
		// Registered after the draw: a member only from the next epoch.
		register(&ferdie(), MIN_STAKE);
		assert_noop!(attest_call(&ferdie(), &[id]), Error::<Test>::NotQuorumMember);
	});
}

#[test]
fn rejects_a_double_attestation() {
	build_and_execute(|| {
		equal_quorum();
		let id = submit(&alice(), 1);
		attest(&charlie(), &[id]);
		assert_noop!(attest_call(&charlie(), &[id]), Error::<Test>::AlreadyAttested);
	});
}

#[test]
fn rejects_an_attestation_after_expiry() {
	build_and_execute(|| {
		equal_quorum();
		let id = submit(&alice(), 1);
		let expires_at = Blobs::<Test>::get(id).unwrap().expires_at;
		run_to_block(expires_at - 1);
		attest(&charlie(), &[id]);
		run_to_block(expires_at);
		assert_noop!(attest_call(&dave(), &[id]), Error::<Test>::BlobExpired);
	});
}

#[test]
fn rejects_an_empty_batch() {
	build_and_execute(|| {
		equal_quorum();
		assert_noop!(attest_call(&charlie(), &[]), Error::<Test>::EmptyBatch);
	});
}

#[test]
fn a_batch_over_the_bound_does_not_decode() {
	// Call index 5 (`attest`) followed by the ids.
	let encoded = |len: u32| (5u8, vec![0 as BlobId; len as usize]).encode();
	assert!(crate::Call::<Test>::decode(&mut &encoded(MAX_BATCH)[..]).is_ok());
	assert!(crate::Call::<Test>::decode(&mut &encoded(MAX_BATCH + 1)[..]).is_err());
}

#[test]
fn each_blob_of_a_batch_gets_its_own_outcome() {
	build_and_execute(|| {
		equal_quorum();
		let first = submit(&alice(), 1);
		let second = submit(&alice(), 2);
		attest(&charlie(), &[second]);
		let outcomes = attest(&dave(), &[first, 42, second, first]);
		assert_eq!(
			outcomes,
			vec![
				AttestOutcome::Attested,
				AttestOutcome::Rejected(AttestRejection::UnknownBlob),
				AttestOutcome::Certified,
				AttestOutcome::Rejected(AttestRejection::AlreadyAttested),
			]
		);
		match last_event() {
			Event::BlobsAttested { attested, .. } => assert_eq!(attested, 2),
			other => panic!("unexpected {other:?}"),
		}
		assert_eq!(Blobs::<Test>::get(first).unwrap().attested_stake, 100);
	});
}

#[test]
fn a_batch_with_nothing_attested_fails_with_its_first_error() {
	build_and_execute(|| {
		equal_quorum();
		let id = submit(&alice(), 1);
		attest(&charlie(), &[id]);
		assert_noop!(attest_call(&charlie(), &[id, 42]), Error::<Test>::AlreadyAttested);
		assert_noop!(attest_call(&charlie(), &[42, id]), Error::<Test>::UnknownBlob);
	});
}

#[test]
fn blobs_of_the_previous_epoch_are_attested_by_their_own_quorum() {
	build_and_execute(|| {
		quorum_of(&[(charlie(), 100)]);
		// Submitted in the last block of epoch 1.
		run_to_block(NextEpochStart::<Test>::get() - 1);
		let id = submit(&alice(), 1);
		register(&dave(), 1_000);
		run_to_next_epoch();
		assert_eq!(CurrentEpoch::<Test>::get(), 2);
		assert_noop!(attest_call(&dave(), &[id]), Error::<Test>::NotQuorumMember);
		assert_ok!(attest_call(&charlie(), &[id]));
		assert!(DaAttestations::certification(&commitment(1, SIZE)).is_some());
	});
}
