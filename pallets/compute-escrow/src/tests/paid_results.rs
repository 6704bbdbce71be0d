//! `OnResultPaid`: told of every result its provider is paid for, and of no other (the
//! marketplace hands the user an encrypted result's key then, and not before).

use super::*;
use polkadot_sdk::{frame_support::assert_ok, sp_runtime::Perbill};

/// The root `tests::submit` hands in.
fn result_root() -> H256 {
	H256::repeat_byte(0x11)
}

/// Two jobs of Alice on Charlie's job service, both with a result in review.
fn two_results() -> (JobId, JobId) {
	let service = job_service();
	let first = create_job_for(&alice(), service, 100, MIN_JOB_DURATION);
	let second = create_job_for(&alice(), service, 100, MIN_JOB_DURATION);
	submit(first, 40);
	submit(second, 40);
	(first, second)
}

#[test]
fn accepted_and_auto_accepted_results_are_paid_for() {
	build_and_execute(|| {
		let (first, second) = two_results();
		assert_eq!(paid_results(), vec![], "nothing before acceptance");
		assert_ok!(ComputeEscrow::accept_result(RuntimeOrigin::signed(alice()), first));
		assert_eq!(paid_results(), vec![(first, result_root())]);
		run_to_block(1 + REVIEW_PERIOD);
		assert_eq!(paid_results(), vec![(first, result_root()), (second, result_root())]);
	});
}

#[test]
fn a_dispute_pays_for_the_result_when_it_lapses_or_gives_the_provider_a_share() {
	build_and_execute(|| {
		let (first, second) = two_results();
		let third = create_job_for(&alice(), job_service(), 100, MIN_JOB_DURATION);
		submit(third, 40);
		for job in [first, second, third] {
			assert_ok!(ComputeEscrow::dispute(RuntimeOrigin::signed(alice()), job));
		}
		// The user was right: no share, no result.
		assert_ok!(ComputeEscrow::resolve_dispute(RuntimeOrigin::root(), first, Perbill::zero()));
		assert_eq!(paid_results(), vec![]);
		assert_ok!(ComputeEscrow::resolve_dispute(
			RuntimeOrigin::root(),
			second,
			Perbill::from_percent(25)
		));
		assert_eq!(paid_results(), vec![(second, result_root())]);
		run_to_block(1 + DISPUTE_PERIOD);
		assert_eq!(paid_results(), vec![(second, result_root()), (third, result_root())]);
	});
}

#[test]
fn expired_and_declined_jobs_pay_for_nothing() {
	build_and_execute(|| {
		let service = job_service();
		let expiring = create_job_for(&alice(), service, 100, MIN_JOB_DURATION);
		let declined = create_job_for(&alice(), service, 100, MIN_JOB_DURATION);
		assert_ok!(ComputeEscrow::decline_job(RuntimeOrigin::signed(charlie()), declined));
		run_to_block(1 + MIN_JOB_DURATION);
		assert!(!Jobs::<Test>::contains_key(expiring));
		assert_eq!(paid_results(), vec![]);
	});
}
