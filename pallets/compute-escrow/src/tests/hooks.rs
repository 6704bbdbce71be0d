//! `on_initialize`: missed deadlines and ended review windows.

use super::*;
use polkadot_sdk::frame_support::{assert_noop, assert_ok, traits::Hooks, weights::Weight};

/// Max fee of the test jobs.
const MAX_FEE: Balance = 100;

#[test]
fn missed_deadline_refunds_the_user_and_slashes_the_provider() {
	build_and_execute(|| {
		let service = job_service();
		let job = create_job_for(&alice(), service, MAX_FEE, MIN_JOB_DURATION);
		let deadline = 1 + MIN_JOB_DURATION;
		let issuance = Balances::total_issuance();

		run_to_block(deadline - 1);
		assert!(Jobs::<Test>::contains_key(job));

		run_to_block(deadline);
		let slashed = MIN_STAKE / 10; // SlashFraction is 10%
		assert!(!Jobs::<Test>::contains_key(job));
		assert_eq!(free(&alice()), INITIAL_BALANCE);
		assert_eq!(held(HoldReason::JobEscrow, &alice()), 0);
		assert_eq!(stake(service), MIN_STAKE - slashed);
		assert_eq!(held(HoldReason::ServiceStake, &charlie()), MIN_STAKE - slashed);
		assert_eq!(free(&charlie()), INITIAL_BALANCE - MIN_STAKE);
		// SlashDestination is `()`: the slash is burned.
		assert_eq!(Balances::total_issuance(), issuance - slashed);
		assert!(ComputeEscrow::jobs_for_provider(&charlie()).is_empty());
		assert!(!JobDeadlines::<Test>::contains_key(deadline));
		assert_eq!(Services::<Test>::get(service).unwrap().open_jobs, 0);
		System::assert_last_event(
			Event::JobExpired { job, provider: charlie(), refunded: MAX_FEE, slashed }.into(),
		);
	});
}

#[test]
fn every_missed_deadline_slashes_again() {
	build_and_execute(|| {
		let service = job_service();
		create_job_for(&alice(), service, MAX_FEE, MIN_JOB_DURATION);
		create_job_for(&bob(), service, MAX_FEE, MIN_JOB_DURATION);
		run_to_block(1 + MIN_JOB_DURATION);
		// 10% of 1000, then 10% of 900.
		assert_eq!(stake(service), MIN_STAKE - 100 - 90);
		assert_eq!(free(&alice()), INITIAL_BALANCE);
		assert_eq!(free(&bob()), INITIAL_BALANCE);
	});
}

#[test]
fn an_understaked_service_takes_no_jobs_until_topped_up() {
	build_and_execute(|| {
		let service = job_service();
		create_job_for(&alice(), service, MAX_FEE, MIN_JOB_DURATION);
		run_to_block(1 + MIN_JOB_DURATION);
		assert!(stake(service) < MIN_STAKE);

		let deadline = System::block_number() + MIN_JOB_DURATION;
		let create = || {
			ComputeEscrow::create_job(
				RuntimeOrigin::signed(alice()),
				service,
				H256::zero(),
				H256::zero(),
				MAX_FEE,
				deadline,
			)
		};
		assert_noop!(create(), Error::<Test>::ServiceUnderstaked);

		assert_ok!(ComputeEscrow::update_service(
			RuntimeOrigin::signed(charlie()),
			service,
			model(),
			endpoint(),
			INPUT_PRICE,
			OUTPUT_PRICE,
			Verifiability::None,
			MIN_STAKE,
		));
		assert_eq!(held(HoldReason::ServiceStake, &charlie()), MIN_STAKE);
		assert_ok!(create());
	});
}

#[test]
fn silent_user_auto_accepts_after_the_review_window() {
	build_and_execute(|| {
		let service = job_service();
		let job = create_job_for(&alice(), service, MAX_FEE, MIN_JOB_DURATION);
		run_to_block(2);
		submit(job, 60);
		let review_ends = 2 + REVIEW_PERIOD;

		// The deadline passes while the result is in review: no slash.
		run_to_block(review_ends - 1);
		assert!(Jobs::<Test>::contains_key(job));
		assert_eq!(stake(service), MIN_STAKE);

		run_to_block(review_ends);
		assert!(!Jobs::<Test>::contains_key(job));
		assert_eq!(free(&alice()), INITIAL_BALANCE - 60);
		assert_eq!(free(&charlie()), INITIAL_BALANCE - MIN_STAKE + 60);
		assert_eq!(held(HoldReason::JobEscrow, &alice()), 0);
		assert!(!ReviewQueue::<Test>::contains_key(review_ends));
		System::assert_last_event(
			Event::ResultAutoAccepted { job, fee_paid: 60, refunded: MAX_FEE - 60 }.into(),
		);
	});
}

#[test]
fn on_initialize_reports_the_weight_of_both_queues() {
	build_and_execute(|| {
		let service = job_service();
		let due = 1 + REVIEW_PERIOD;
		// One result whose review ends at `due`...
		let reviewed = create_job_for(&alice(), service, MAX_FEE, MAX_JOB_DURATION);
		submit(reviewed, 10);
		// ...and two jobs whose deadline is `due`.
		run_to_block(due - MIN_JOB_DURATION);
		create_job_for(&alice(), service, MAX_FEE, MIN_JOB_DURATION);
		create_job_for(&bob(), service, MAX_FEE, MIN_JOB_DURATION);
		run_to_block(due - 1);

		System::set_block_number(due);
		let weight = ComputeEscrow::on_initialize(due);
		// The accepted result is also told to the marketplace.
		let paid = <<Test as Config>::OnResultPaid as crate::OnResultPaid>::weight();
		assert_eq!(weight, <() as crate::WeightInfo>::on_initialize(2, 1, 0) + paid);
		assert!(Jobs::<Test>::iter().next().is_none());

		// An empty block still pays for reading both queues.
		System::set_block_number(due + 1);
		let idle = ComputeEscrow::on_initialize(due + 1);
		assert_eq!(idle, <() as crate::WeightInfo>::on_initialize(0, 0, 0));
		assert!(idle.all_gt(Weight::zero()));
	});
}
