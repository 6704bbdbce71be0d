//! `create_job`, `submit_result`, `accept_result`, `dispute`, `resolve_dispute`, `decline_job`.

use super::*;
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok, traits::Hooks},
	sp_runtime::{DispatchError, DispatchResult, Perbill},
};

/// Max fee of the test jobs.
const MAX_FEE: Balance = 100;

/// Charlie's job service with one job of Alice; returns (service, job).
fn one_job() -> (ServiceId, JobId) {
	let service = job_service();
	let job = create_job_for(&alice(), service, MAX_FEE, MIN_JOB_DURATION);
	(service, job)
}

fn create(user: AccountId, service: ServiceId, max_fee: Balance, deadline: u64) -> DispatchResult {
	ComputeEscrow::create_job(
		RuntimeOrigin::signed(user),
		service,
		H256::repeat_byte(1),
		H256::repeat_byte(2),
		max_fee,
		deadline,
	)
}

fn submit_as(who: AccountId, job: JobId, fee_used: Balance) -> DispatchResult {
	ComputeEscrow::submit_result(
		RuntimeOrigin::signed(who),
		job,
		H256::repeat_byte(0x11),
		H256::repeat_byte(0x22),
		fee_used,
	)
}

mod create_job {
	use super::*;

	#[test]
	fn escrows_max_fee_and_assigns_the_provider() {
		build_and_execute(|| {
			let (service, job) = one_job();
			let deadline = 1 + MIN_JOB_DURATION;

			assert_eq!(held(HoldReason::JobEscrow, &alice()), MAX_FEE);
			assert_eq!(free(&alice()), INITIAL_BALANCE - MAX_FEE);
			let info = Jobs::<Test>::get(job).unwrap();
			assert_eq!(info.provider, charlie());
			assert_eq!(info.user, alice());
			assert_eq!(info.status, JobStatus::Assigned);
			assert_eq!(info.dataset_root, H256::repeat_byte(0xd5));
			assert_eq!(Services::<Test>::get(service).unwrap().open_jobs, 1);
			assert_eq!(JobDeadlines::<Test>::get(deadline).into_inner(), vec![job]);
			assert_eq!(ComputeEscrow::jobs_for_provider(&charlie()), vec![(job, info)]);
			assert!(ComputeEscrow::jobs_for_provider(&dave()).is_empty());
			System::assert_last_event(
				Event::JobCreated {
					job,
					service,
					user: alice(),
					provider: charlie(),
					max_fee: MAX_FEE,
					deadline,
				}
				.into(),
			);
		});
	}

	#[test]
	fn rejects_unknown_service_inference_service_and_zero_fee() {
		build_and_execute(|| {
			let inference = inference_service();
			let jobs = job_service();
			let deadline = 1 + MIN_JOB_DURATION;
			assert_noop!(create(alice(), 99, MAX_FEE, deadline), Error::<Test>::ServiceNotFound);
			assert_noop!(
				create(alice(), inference, MAX_FEE, deadline),
				Error::<Test>::NotJobService
			);
			assert_noop!(create(alice(), jobs, 0, deadline), Error::<Test>::ZeroAmount);
		});
	}

	#[test]
	fn rejects_deadlines_outside_the_allowed_range() {
		build_and_execute(|| {
			let service = job_service();
			assert_noop!(
				create(alice(), service, MAX_FEE, MIN_JOB_DURATION),
				Error::<Test>::DeadlineTooSoon
			);
			assert_noop!(create(alice(), service, MAX_FEE, 0), Error::<Test>::DeadlineTooSoon);
			assert_noop!(
				create(alice(), service, MAX_FEE, 2 + MAX_JOB_DURATION),
				Error::<Test>::DeadlineTooFar
			);
			assert_ok!(create(alice(), service, MAX_FEE, 1 + MAX_JOB_DURATION));
		});
	}

	#[test]
	fn rejects_a_full_deadline_block() {
		build_and_execute(|| {
			let service = job_service();
			let other = register(&dave(), ServiceKind::Job, Verifiability::None);
			let deadline = 1 + MIN_JOB_DURATION;
			for _ in 0..MAX_JOBS_PER_BLOCK {
				assert_ok!(create(alice(), service, MAX_FEE, deadline));
			}
			assert_noop!(create(bob(), other, MAX_FEE, deadline), Error::<Test>::DeadlineQueueFull);
			assert_ok!(create(bob(), other, MAX_FEE, deadline + 1));
		});
	}

	#[test]
	fn rejects_jobs_beyond_the_providers_capacity() {
		build_and_execute(|| {
			let service = job_service();
			for i in 0..MAX_PENDING_JOBS as u64 {
				assert_ok!(create(alice(), service, MAX_FEE, 1 + MIN_JOB_DURATION + i));
			}
			assert_noop!(
				create(bob(), service, MAX_FEE, 1 + MAX_JOB_DURATION),
				Error::<Test>::TooManyPendingJobs
			);
			assert_eq!(ComputeEscrow::jobs_for_provider(&charlie()).len() as u32, MAX_PENDING_JOBS);
		});
	}

	#[test]
	fn rejects_max_fee_the_free_balance_cannot_cover() {
		build_and_execute(|| {
			let service = job_service();
			assert_noop!(
				create(alice(), service, INITIAL_BALANCE, 1 + MIN_JOB_DURATION),
				Error::<Test>::InsufficientFreeBalance
			);
		});
	}
}

mod job_terms {
	use super::*;

	fn set_terms(
		who: AccountId,
		service: ServiceId,
		min_fee: Balance,
		max: Option<u64>,
	) -> DispatchResult {
		ComputeEscrow::set_job_terms(RuntimeOrigin::signed(who), service, min_fee, max)
	}

	#[test]
	fn are_set_by_the_provider_of_a_job_service_only() {
		build_and_execute(|| {
			let service = job_service();
			let inference = inference_service();
			assert_noop!(set_terms(charlie(), 99, 5, None), Error::<Test>::ServiceNotFound);
			assert_noop!(set_terms(dave(), service, 5, None), Error::<Test>::NotServiceProvider);
			assert_noop!(set_terms(charlie(), inference, 5, None), Error::<Test>::NotJobService);
			assert_ok!(set_terms(charlie(), service, 5, Some(500)));
			assert_eq!(
				ServiceJobTerms::<Test>::get(service),
				Some(JobTerms { min_fee: 5, max_dataset_size: Some(500) })
			);
			System::assert_last_event(
				Event::JobTermsSet { service, min_fee: 5, max_dataset_size: Some(500) }.into(),
			);
			assert_ok!(ComputeEscrow::remove_service(RuntimeOrigin::signed(charlie()), service));
			assert!(!ServiceJobTerms::<Test>::contains_key(service));
		});
	}

	/// Issue 15's attack: 1-wei jobs on data nobody stores, each a slash if the provider cannot
	/// decline in time. The chain refuses them; the provider's terms refuse the rest.
	#[test]
	fn a_one_wei_job_on_missing_data_is_refused_and_nobody_is_slashed() {
		build_and_execute(|| {
			let service = job_service();
			let staked = stake(service);
			let deadline = 1 + MIN_JOB_DURATION;
			forget_file(H256::repeat_byte(1));
			assert_noop!(create(ferdie(), service, 1, deadline), Error::<Test>::DatasetNotStored);
			store_file(H256::repeat_byte(1), DEFAULT_FILE_SIZE, deadline);
			assert_noop!(
				create(ferdie(), service, 1, deadline),
				Error::<Test>::DatasetExpiresBeforeDeadline
			);
			store_file(H256::repeat_byte(1), 10 * DEFAULT_FILE_SIZE, deadline + 1);
			assert_ok!(set_terms(charlie(), service, 50, Some(DEFAULT_FILE_SIZE)));
			assert_noop!(create(ferdie(), service, 1, deadline), Error::<Test>::FeeBelowMinimum);
			assert_noop!(create(ferdie(), service, 50, deadline), Error::<Test>::DatasetTooLarge);
			store_file(H256::repeat_byte(1), DEFAULT_FILE_SIZE, deadline + 1);
			assert_ok!(create(ferdie(), service, 50, deadline));
			// The job the provider agreed to: declined in time, it costs nothing.
			assert_ok!(ComputeEscrow::decline_job(RuntimeOrigin::signed(charlie()), 0));
			run_to_block(deadline + 1);
			assert_eq!(stake(service), staked);
			assert_eq!(free(&ferdie()), INITIAL_BALANCE);
		});
	}

	#[test]
	fn bind_new_jobs_only() {
		build_and_execute(|| {
			let (service, job) = one_job();
			assert_ok!(set_terms(charlie(), service, MAX_FEE + 1, Some(1)));
			assert_noop!(
				create(alice(), service, MAX_FEE, 1 + MIN_JOB_DURATION),
				Error::<Test>::FeeBelowMinimum
			);
			submit(job, 40);
			assert_ok!(ComputeEscrow::accept_result(RuntimeOrigin::signed(alice()), job));
		});
	}
}

mod submit_result {
	use super::*;

	#[test]
	fn starts_the_review_window() {
		build_and_execute(|| {
			let (_, job) = one_job();
			run_to_block(3);
			submit(job, 40);

			let review_ends = 3 + REVIEW_PERIOD;
			let result = JobResult {
				result_root: H256::repeat_byte(0x11),
				output_hash: H256::repeat_byte(0x22),
				fee_used: 40,
			};
			assert_eq!(
				Jobs::<Test>::get(job).unwrap().status,
				JobStatus::InReview { result, review_ends }
			);
			assert_eq!(ReviewQueue::<Test>::get(review_ends).into_inner(), vec![job]);
			assert!(!JobDeadlines::<Test>::contains_key(1 + MIN_JOB_DURATION));
			assert!(ComputeEscrow::jobs_for_provider(&charlie()).is_empty());
			System::assert_last_event(
				Event::ResultSubmitted {
					job,
					provider: charlie(),
					result_root: H256::repeat_byte(0x11),
					output_hash: H256::repeat_byte(0x22),
					fee_used: 40,
					review_ends,
				}
				.into(),
			);
		});
	}

	#[test]
	fn rejects_stranger_unknown_job_second_result_and_fee_above_max() {
		build_and_execute(|| {
			let (_, job) = one_job();
			assert_noop!(submit_as(dave(), job, 40), Error::<Test>::NotJobProvider);
			assert_noop!(submit_as(charlie(), job + 1, 40), Error::<Test>::JobNotFound);
			assert_noop!(submit_as(charlie(), job, MAX_FEE + 1), Error::<Test>::FeeAboveMaxFee);
			submit(job, MAX_FEE);
			assert_noop!(submit_as(charlie(), job, 40), Error::<Test>::ResultAlreadySubmitted);
		});
	}

	#[test]
	fn rejects_a_result_after_the_deadline() {
		build_and_execute(|| {
			let (_, job) = one_job();
			let deadline = 1 + MIN_JOB_DURATION;
			// In the deadline block, before the deadline queue is processed (hooks not run).
			System::set_block_number(deadline);
			assert_noop!(submit_as(charlie(), job, 40), Error::<Test>::DeadlinePassed);
			// Once `on_initialize` of that block ran, the job is gone.
			ComputeEscrow::on_initialize(deadline);
			assert_noop!(submit_as(charlie(), job, 40), Error::<Test>::JobNotFound);
		});
	}

	#[test]
	fn accepts_a_result_in_the_last_block_before_the_deadline() {
		build_and_execute(|| {
			let (_, job) = one_job();
			run_to_block(MIN_JOB_DURATION);
			submit(job, 40);
		});
	}

	/// Issue 15: a burst of results spills into the next review blocks instead of failing, and
	/// only fails once every block it may spill into is full.
	#[test]
	fn spills_a_full_review_block_into_the_next_ones() {
		build_and_execute(|| {
			let service = job_service();
			let per_block = MAX_JOBS_PER_BLOCK as u64;
			let room = per_block * u64::from(QUEUE_SPILL_BLOCKS);
			let first = 1 + REVIEW_PERIOD;
			for i in 0..room {
				let job =
					create_job_for(&alice(), service, MAX_FEE, MIN_JOB_DURATION + i / per_block);
				submit(job, 10);
				let JobStatus::InReview { review_ends, .. } =
					Jobs::<Test>::get(job).unwrap().status
				else {
					panic!("job {job} is not in review");
				};
				assert_eq!(review_ends, first + i / per_block);
			}
			let last = create_job_for(&alice(), service, MAX_FEE, MAX_JOB_DURATION);
			assert_noop!(submit_as(charlie(), last, 10), Error::<Test>::ReviewQueueFull);
			run_to_block(2);
			submit(last, 10);
		});
	}

	/// Issue 15: the result must be a file the user can fetch for the whole review window.
	#[test]
	fn rejects_a_result_that_is_not_stored_until_the_review_ends() {
		build_and_execute(|| {
			let (_, job) = one_job();
			let review_ends = 1 + REVIEW_PERIOD;
			forget_file(H256::repeat_byte(0x11));
			assert_noop!(submit_as(charlie(), job, 10), Error::<Test>::ResultNotStored);
			store_file(H256::repeat_byte(0x11), 64, review_ends);
			assert_noop!(submit_as(charlie(), job, 10), Error::<Test>::ResultNotStored);
			store_file(H256::repeat_byte(0x11), 64, review_ends + 1);
			assert_ok!(submit_as(charlie(), job, 10));
		});
	}
}

mod accept_result {
	use super::*;

	#[test]
	fn pays_the_fee_used_and_releases_the_rest() {
		build_and_execute(|| {
			let (service, job) = one_job();
			submit(job, 40);
			assert_ok!(ComputeEscrow::accept_result(RuntimeOrigin::signed(alice()), job));

			assert_eq!(free(&alice()), INITIAL_BALANCE - 40);
			assert_eq!(held(HoldReason::JobEscrow, &alice()), 0);
			assert_eq!(free(&charlie()), INITIAL_BALANCE - MIN_STAKE + 40);
			assert!(!Jobs::<Test>::contains_key(job));
			assert!(!ReviewQueue::<Test>::contains_key(1 + REVIEW_PERIOD));
			assert_eq!(Services::<Test>::get(service).unwrap().open_jobs, 0);
			System::assert_last_event(
				Event::ResultAccepted { job, fee_paid: 40, refunded: MAX_FEE - 40 }.into(),
			);
			// Nothing is left to accept.
			assert_noop!(
				ComputeEscrow::accept_result(RuntimeOrigin::signed(alice()), job),
				Error::<Test>::JobNotFound
			);
		});
	}

	#[test]
	fn rejects_stranger_missing_result_and_disputed_result() {
		build_and_execute(|| {
			let (_, job) = one_job();
			assert_noop!(
				ComputeEscrow::accept_result(RuntimeOrigin::signed(alice()), job),
				Error::<Test>::ResultNotSubmitted
			);
			submit(job, 40);
			assert_noop!(
				ComputeEscrow::accept_result(RuntimeOrigin::signed(ferdie()), job),
				Error::<Test>::NotJobUser
			);
			assert_noop!(
				ComputeEscrow::accept_result(RuntimeOrigin::signed(charlie()), job),
				Error::<Test>::NotJobUser
			);
			assert_ok!(ComputeEscrow::dispute(RuntimeOrigin::signed(alice()), job));
			assert_noop!(
				ComputeEscrow::accept_result(RuntimeOrigin::signed(alice()), job),
				Error::<Test>::AlreadyDisputed
			);
		});
	}
}

mod dispute {
	use super::*;

	#[test]
	fn freezes_the_escrow_past_the_review_window() {
		build_and_execute(|| {
			let (_, job) = one_job();
			submit(job, 40);
			assert_ok!(ComputeEscrow::dispute(RuntimeOrigin::signed(alice()), job));
			assert!(matches!(Jobs::<Test>::get(job).unwrap().status, JobStatus::Disputed { .. }));
			assert!(!ReviewQueue::<Test>::contains_key(1 + REVIEW_PERIOD));
			let lapses_at = 1 + DISPUTE_PERIOD;
			System::assert_last_event(
				Event::JobDisputed { job, user: alice(), bond: DISPUTE_BOND, lapses_at }.into(),
			);
			assert_eq!(held(HoldReason::DisputeBond, &alice()), DISPUTE_BOND);
			assert_eq!(free(&alice()), INITIAL_BALANCE - MAX_FEE - DISPUTE_BOND);
			assert_eq!(DisputeQueue::<Test>::get(lapses_at).into_inner(), vec![job]);

			// Neither the review window nor the deadline releases a disputed escrow.
			run_to_block(lapses_at - 1);
			assert!(Jobs::<Test>::contains_key(job));
			assert_eq!(held(HoldReason::JobEscrow, &alice()), MAX_FEE);
			assert_noop!(
				ComputeEscrow::dispute(RuntimeOrigin::signed(alice()), job),
				Error::<Test>::AlreadyDisputed
			);
		});
	}

	/// Issue 15: a dispute nobody resolves does not lock the provider's pay and service for
	/// good: it lapses, the result stands and the bond goes back.
	#[test]
	fn lapses_after_the_dispute_period_and_the_result_stands() {
		build_and_execute(|| {
			let (service, job) = one_job();
			submit(job, 40);
			assert_ok!(ComputeEscrow::dispute(RuntimeOrigin::signed(alice()), job));
			let lapses_at = 1 + DISPUTE_PERIOD;
			run_to_block(lapses_at);

			assert!(!Jobs::<Test>::contains_key(job));
			assert!(!Disputes::<Test>::contains_key(job));
			assert_eq!(held(HoldReason::DisputeBond, &alice()), 0);
			assert_eq!(held(HoldReason::JobEscrow, &alice()), 0);
			assert_eq!(free(&alice()), INITIAL_BALANCE - 40);
			assert_eq!(free(&charlie()), INITIAL_BALANCE - MIN_STAKE + 40);
			assert_eq!(Services::<Test>::get(service).unwrap().open_jobs, 0);
			System::assert_has_event(
				Event::DisputeLapsed {
					job,
					fee_paid: 40,
					refunded: MAX_FEE - 40,
					bond_released: DISPUTE_BOND,
				}
				.into(),
			);
			// The provider can leave now.
			assert_ok!(ComputeEscrow::remove_service(RuntimeOrigin::signed(charlie()), service));
		});
	}

	#[test]
	fn rejects_a_user_who_cannot_pay_the_bond() {
		build_and_execute(|| {
			let (_, job) = one_job();
			submit(job, 40);
			let spendable = free(&alice()) - EXISTENTIAL_DEPOSIT;
			assert_ok!(Balances::transfer_allow_death(
				RuntimeOrigin::signed(alice()),
				ferdie(),
				spendable - DISPUTE_BOND + 1
			));
			assert_noop!(
				ComputeEscrow::dispute(RuntimeOrigin::signed(alice()), job),
				Error::<Test>::InsufficientFreeBalance
			);
		});
	}

	/// Issue 15: a burst of disputes spills into the next lapse blocks instead of failing.
	#[test]
	fn spills_a_full_lapse_block_into_the_next_ones() {
		build_and_execute(|| {
			let service = job_service();
			let per_block = MAX_JOBS_PER_BLOCK as u64;
			let room = per_block * u64::from(QUEUE_SPILL_BLOCKS);
			let first = 1 + DISPUTE_PERIOD;
			for i in 0..room {
				let job = create_job_for(&alice(), service, 1, MIN_JOB_DURATION + i / per_block);
				submit(job, 1);
				assert_ok!(ComputeEscrow::dispute(RuntimeOrigin::signed(alice()), job));
				assert_eq!(Disputes::<Test>::get(job).unwrap().lapses_at, first + i / per_block);
			}
			// A block later every lapse block but the last one it may spill into is full.
			run_to_block(2);
			let last = create_job_for(&alice(), service, 1, MIN_JOB_DURATION);
			submit(last, 1);
			assert_ok!(ComputeEscrow::dispute(RuntimeOrigin::signed(alice()), last));
			let lapses_at = first + u64::from(QUEUE_SPILL_BLOCKS);
			assert_eq!(Disputes::<Test>::get(last).unwrap().lapses_at, lapses_at);
			assert_eq!(
				held(HoldReason::DisputeBond, &alice()),
				(room + 1) as Balance * DISPUTE_BOND
			);
		});
	}

	#[test]
	fn the_spill_search_is_bounded() {
		build_and_execute(|| {
			let full = MAX_JOBS_PER_BLOCK as usize;
			let spill = u64::from(QUEUE_SPILL_BLOCKS);
			assert_eq!(ComputeEscrow::first_block_with_room(10, |_| full), None);
			let last_free = |block: u64| if block < 10 + spill - 1 { full } else { 0 };
			assert_eq!(ComputeEscrow::first_block_with_room(10, last_free), Some(10 + spill - 1));
			assert_eq!(ComputeEscrow::first_block_with_room(10, |_| full - 1), Some(10));
		});
	}

	#[test]
	fn rejects_a_dispute_after_the_review_window() {
		build_and_execute(|| {
			let (_, job) = one_job();
			submit(job, 40);
			let review_ends = 1 + REVIEW_PERIOD;
			// In the block the window ends, before the review queue is processed.
			System::set_block_number(review_ends);
			assert_noop!(
				ComputeEscrow::dispute(RuntimeOrigin::signed(alice()), job),
				Error::<Test>::ReviewWindowClosed
			);
			// Once `on_initialize` ran, the result is accepted and the job is gone.
			ComputeEscrow::on_initialize(review_ends);
			assert_noop!(
				ComputeEscrow::dispute(RuntimeOrigin::signed(alice()), job),
				Error::<Test>::JobNotFound
			);
		});
	}

	#[test]
	fn rejects_stranger_and_missing_result() {
		build_and_execute(|| {
			let (_, job) = one_job();
			assert_noop!(
				ComputeEscrow::dispute(RuntimeOrigin::signed(alice()), job),
				Error::<Test>::ResultNotSubmitted
			);
			submit(job, 40);
			assert_noop!(
				ComputeEscrow::dispute(RuntimeOrigin::signed(bob()), job),
				Error::<Test>::NotJobUser
			);
			assert_noop!(
				ComputeEscrow::dispute(RuntimeOrigin::signed(alice()), job + 1),
				Error::<Test>::JobNotFound
			);
		});
	}
}

mod resolve_dispute {
	use super::*;

	#[test]
	fn splits_the_fee_used_by_the_provider_share() {
		build_and_execute(|| {
			let (service, job) = one_job();
			submit(job, 40);
			assert_ok!(ComputeEscrow::dispute(RuntimeOrigin::signed(alice()), job));

			assert_ok!(ComputeEscrow::resolve_dispute(
				RuntimeOrigin::root(),
				job,
				Perbill::from_percent(25)
			));
			assert_eq!(free(&charlie()), INITIAL_BALANCE - MIN_STAKE + 10);
			assert_eq!(free(&alice()), INITIAL_BALANCE - 10);
			assert_eq!(held(HoldReason::JobEscrow, &alice()), 0);
			assert!(!Jobs::<Test>::contains_key(job));
			assert_eq!(Services::<Test>::get(service).unwrap().open_jobs, 0);
			assert_eq!(held(HoldReason::DisputeBond, &alice()), 0);
			assert!(!Disputes::<Test>::contains_key(job));
			assert!(!DisputeQueue::<Test>::contains_key(1 + DISPUTE_PERIOD));
			System::assert_last_event(
				Event::DisputeResolved {
					job,
					provider_share: Perbill::from_percent(25),
					fee_paid: 10,
					refunded: MAX_FEE - 10,
					bond_forfeited: 0,
				}
				.into(),
			);
		});
	}

	/// A dispute without merit costs the user its bond, which goes to the provider it held up.
	#[test]
	fn gives_the_bond_to_a_provider_found_entirely_right() {
		build_and_execute(|| {
			let (_, job) = one_job();
			submit(job, 40);
			assert_ok!(ComputeEscrow::dispute(RuntimeOrigin::signed(alice()), job));
			assert_ok!(ComputeEscrow::resolve_dispute(RuntimeOrigin::root(), job, Perbill::one()));
			assert_eq!(free(&charlie()), INITIAL_BALANCE - MIN_STAKE + 40 + DISPUTE_BOND);
			assert_eq!(free(&alice()), INITIAL_BALANCE - 40 - DISPUTE_BOND);
			assert_eq!(held(HoldReason::DisputeBond, &alice()), 0);
			System::assert_last_event(
				Event::DisputeResolved {
					job,
					provider_share: Perbill::one(),
					fee_paid: 40,
					refunded: MAX_FEE - 40,
					bond_forfeited: DISPUTE_BOND,
				}
				.into(),
			);
		});
	}

	#[test]
	fn rejects_other_origins_and_undisputed_jobs() {
		build_and_execute(|| {
			let (_, job) = one_job();
			submit(job, 40);
			assert_noop!(
				ComputeEscrow::resolve_dispute(RuntimeOrigin::signed(alice()), job, Perbill::one()),
				DispatchError::BadOrigin
			);
			assert_noop!(
				ComputeEscrow::resolve_dispute(RuntimeOrigin::root(), job, Perbill::one()),
				Error::<Test>::JobNotDisputed
			);
			assert_noop!(
				ComputeEscrow::resolve_dispute(RuntimeOrigin::root(), job + 1, Perbill::one()),
				Error::<Test>::JobNotFound
			);
		});
	}
}

mod decline_job {
	use super::*;

	#[test]
	fn refunds_the_user_without_slashing() {
		build_and_execute(|| {
			let (service, job) = one_job();
			assert_ok!(ComputeEscrow::decline_job(RuntimeOrigin::signed(charlie()), job));

			assert_eq!(free(&alice()), INITIAL_BALANCE);
			assert_eq!(stake(service), MIN_STAKE);
			assert!(!Jobs::<Test>::contains_key(job));
			assert!(ComputeEscrow::jobs_for_provider(&charlie()).is_empty());
			assert!(!JobDeadlines::<Test>::contains_key(1 + MIN_JOB_DURATION));
			System::assert_last_event(
				Event::JobDeclined { job, provider: charlie(), refunded: MAX_FEE }.into(),
			);
		});
	}

	#[test]
	fn rejects_stranger_result_in_review_and_passed_deadline() {
		build_and_execute(|| {
			let (service, job) = one_job();
			assert_noop!(
				ComputeEscrow::decline_job(RuntimeOrigin::signed(alice()), job),
				Error::<Test>::NotJobProvider
			);
			let other = create_job_for(&alice(), service, MAX_FEE, MIN_JOB_DURATION + 1);
			submit(other, 10);
			assert_noop!(
				ComputeEscrow::decline_job(RuntimeOrigin::signed(charlie()), other),
				Error::<Test>::ResultAlreadySubmitted
			);
			System::set_block_number(1 + MIN_JOB_DURATION);
			assert_noop!(
				ComputeEscrow::decline_job(RuntimeOrigin::signed(charlie()), job),
				Error::<Test>::DeadlinePassed
			);
		});
	}
}
