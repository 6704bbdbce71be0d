//! `try_state` notices storage that disagrees with the holds or with itself.

use super::*;

#[test]
fn holds_nothing_and_passes_on_an_empty_chain() {
	build_and_execute(|| {
		run_to_next_epoch();
		assert!(DaAttestations::do_try_state().is_ok());
	});
}

#[test]
fn notices_a_fee_that_is_not_held() {
	new_test_ext().execute_with(|| {
		equal_quorum();
		let id = submit(&alice(), 1);
		Blobs::<Test>::mutate(id, |blob| blob.as_mut().unwrap().fee += 1);
		assert!(DaAttestations::do_try_state().is_err());
	});
}

#[test]
fn notices_a_wrong_quorum_total() {
	new_test_ext().execute_with(|| {
		equal_quorum();
		Quorums::<Test>::mutate(1, 0, |quorum| quorum.as_mut().unwrap().total_stake += 1);
		assert!(DaAttestations::do_try_state().is_err());
	});
}

#[test]
fn notices_a_stake_that_is_not_held() {
	new_test_ext().execute_with(|| {
		register(&charlie(), MIN_STAKE);
		Signers::<Test>::mutate(charlie(), |info| info.as_mut().unwrap().stake += 1);
		assert!(DaAttestations::do_try_state().is_err());
	});
}

#[test]
fn notices_a_wrong_attested_stake() {
	new_test_ext().execute_with(|| {
		equal_quorum();
		let id = submit(&alice(), 1);
		attest(&charlie(), &[id]);
		Blobs::<Test>::mutate(id, |blob| blob.as_mut().unwrap().attested_stake = 0);
		assert!(DaAttestations::do_try_state().is_err());
	});
}
