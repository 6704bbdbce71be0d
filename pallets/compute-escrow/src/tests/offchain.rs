//! The off-chain worker: mocked HTTP to the executor, the keystore, local storage and the pool.

use super::*;
use crate::offchain::*;
use codec::{Decode, Encode};
use polkadot_sdk::{
	frame_support::{assert_ok, traits::Hooks},
	sp_core::offchain::{testing::PendingRequest, HttpRequestStatus, OffchainStorage},
	sp_runtime::{generic::Preamble, traits::Dispatchable},
};
use zerog_primitives::hex::to_hex;

const URL: &str = "http://127.0.0.1:8700";

/// Max fee of the test jobs.
const MAX_FEE: Balance = 500;

/// Blocks between a test job's creation (block 1) and its deadline.
const DURATION: u64 = 40;

/// Result root and output hash the executor reports.
const RESULT_ROOT: H256 = H256::repeat_byte(0x11);
const OUTPUT_HASH: H256 = H256::repeat_byte(0x22);

fn set_executor_url(handles: &OcwHandles, url: &str) {
	handles.offchain.write().persistent_storage.set(b"", EXECUTOR_URL_KEY, url.as_bytes());
}

/// Charlie's job service with one job of Alice; returns the job id.
fn job_setup() -> JobId {
	let service = job_service();
	create_job_for(&alice(), service, MAX_FEE, DURATION)
}

fn job(id: JobId) -> JobInfo<Test> {
	Jobs::<Test>::get(id).expect("the job exists")
}

/// The executor's answer that job `id` is in state `status` (queued, running).
fn status_answer(id: JobId, status: &str) -> Vec<u8> {
	format!(r#"{{"jobId":{id},"status":"{status}"}}"#).into_bytes()
}

/// The executor's answer that job `id` succeeded and costs `fee_used` (a decimal string).
fn succeeded_answer(id: JobId, fee_used: &str) -> Vec<u8> {
	format!(
		r#"{{"jobId":{id},"status":"succeeded","resultRoot":"0x{}","outputHash":"0x{}","feeUsed":"{fee_used}"}}"#,
		"11".repeat(32),
		"22".repeat(32)
	)
	.into_bytes()
}

/// Expects the POST that dispatches job `id`, answered with `response`.
fn expect_dispatch(handles: &OcwHandles, id: JobId, response: Vec<u8>) {
	handles.offchain.write().expect_request(PendingRequest {
		method: "POST".into(),
		uri: format!("{URL}/jobs"),
		headers: vec![("Content-Type".into(), "application/json".into())],
		body: dispatch_body::<Test>(id, &job(id)).into_bytes(),
		response: Some(response),
		sent: true,
		..Default::default()
	});
}

/// Expects the GET that polls job `id`, answered with `response`.
fn expect_poll(handles: &OcwHandles, id: JobId, response: Vec<u8>) {
	handles.offchain.write().expect_request(PendingRequest {
		method: "GET".into(),
		uri: format!("{URL}/jobs/{id}"),
		response: Some(response),
		sent: true,
		..Default::default()
	});
}

/// Makes every `method` request to `uri` end in `status` instead of HTTP 200.
fn override_http(handles: &OcwHandles, method: &str, uri: String, status: HttpRequestStatus) {
	handles.overrides.write().insert((method.into(), uri), status);
}

/// The transactions in the pool, decoded.
fn pool_transactions(handles: &OcwHandles) -> Vec<Extrinsic> {
	handles
		.pool
		.read()
		.transactions
		.iter()
		.map(|tx| Extrinsic::decode(&mut &tx[..]).expect("a mock extrinsic"))
		.collect()
}

/// The worker's dispatch record of job `id`.
fn dispatch_record(handles: &OcwHandles, id: JobId) -> Option<DispatchRecord<BlockNumber>> {
	handles
		.offchain
		.read()
		.persistent_storage
		.get(&dispatched_key(id))
		.map(|bytes| DispatchRecord::decode(&mut &bytes[..]).expect("a dispatch record"))
}

/// The `submit_result` call the worker should send for job `id` with `fee_used`.
fn expected_call(id: JobId, fee_used: Balance) -> RuntimeCall {
	RuntimeCall::ComputeEscrow(crate::Call::submit_result {
		job: id,
		result_root: RESULT_ROOT,
		output_hash: OUTPUT_HASH,
		fee_used,
	})
}

/// Checks that the pool holds exactly `calls`, each signed by Charlie.
fn assert_sent_by_charlie(handles: &OcwHandles, calls: &[RuntimeCall]) {
	let transactions = pool_transactions(handles);
	assert_eq!(transactions.len(), calls.len());
	for (tx, call) in transactions.iter().zip(calls) {
		assert!(matches!(&tx.preamble, Preamble::Signed(who, (), ()) if *who == charlie()));
		assert_eq!(tx.function, *call);
	}
}

#[test]
fn the_dispatch_body_is_exactly_the_documented_one() {
	new_test_ext().execute_with(|| {
		let id = job_setup();
		let alice_hex = to_hex(alice().as_ref());
		assert_eq!(
			dispatch_body::<Test>(id, &job(id)),
			format!(
				r#"{{"jobId":0,"service":0,"user":"0x{alice_hex}","datasetRoot":"0x{}","paramsHash":"0x{}","maxFee":"500","deadline":41}}"#,
				"d5".repeat(32),
				"9a".repeat(32),
			)
		);
	});
}

#[test]
fn the_worker_dispatches_a_new_job_once() {
	let (mut ext, handles) = ocw_test_ext(&["//Charlie"]);
	set_executor_url(&handles, URL);
	ext.execute_with(|| {
		let id = job_setup();
		expect_dispatch(&handles, id, status_answer(id, "queued"));
		ComputeEscrow::offchain_worker(1);
		assert_eq!(dispatch_record(&handles, id), Some(DispatchRecord::Accepted));
		assert!(pool_transactions(&handles).is_empty());

		// The next runs only poll: an unexpected POST would not match the expected GET.
		expect_poll(&handles, id, status_answer(id, "running"));
		ComputeEscrow::offchain_worker(2);
		expect_poll(&handles, id, status_answer(id, "running"));
		ComputeEscrow::offchain_worker(3);
		assert!(pool_transactions(&handles).is_empty());
		assert_eq!(dispatch_record(&handles, id), Some(DispatchRecord::Accepted));
	});
}

#[test]
fn a_run_overlapping_a_dispatch_in_flight_does_not_dispatch() {
	let (mut ext, handles) = ocw_test_ext(&["//Charlie"]);
	set_executor_url(&handles, URL);
	ext.execute_with(|| {
		let id = job_setup();
		// Another run claimed the job at block 3 and is still waiting for the executor.
		handles.offchain.write().persistent_storage.set(
			b"",
			&dispatched_key(id),
			&DispatchRecord::Attempted(3u64).encode(),
		);
		ComputeEscrow::offchain_worker(3);
		ComputeEscrow::offchain_worker(4);
		assert_eq!(dispatch_record(&handles, id), Some(DispatchRecord::Attempted(3)));
		assert!(pool_transactions(&handles).is_empty());
	});
}

#[test]
fn the_records_use_the_documented_keys() {
	assert_eq!(
		dispatched_key(0x0102),
		b"zerog::compute::dispatched::\x02\x01\0\0\0\0\0\0".to_vec()
	);
	assert_eq!(submitted_key(7), b"zerog::compute::submitted::\x07\0\0\0\0\0\0\0".to_vec());
}

#[test]
fn without_an_executor_url_the_worker_does_nothing() {
	let (mut ext, handles) = ocw_test_ext(&["//Charlie"]);
	ext.execute_with(|| {
		let id = job_setup();
		assert_eq!(executor_url(), None);
		// Any request would panic the mock: none is expected.
		ComputeEscrow::offchain_worker(1);
		assert!(pool_transactions(&handles).is_empty());
		assert_eq!(dispatch_record(&handles, id), None);
	});
	// A blank URL counts as none.
	let (mut ext, handles) = ocw_test_ext(&["//Charlie"]);
	set_executor_url(&handles, "  ");
	ext.execute_with(|| {
		let id = job_setup();
		assert_eq!(executor_url(), None);
		ComputeEscrow::offchain_worker(1);
		assert_eq!(dispatch_record(&handles, id), None);
	});
}

#[test]
fn the_executor_url_loses_surrounding_blanks_and_a_trailing_slash() {
	let (mut ext, handles) = ocw_test_ext(&["//Charlie"]);
	set_executor_url(&handles, " http://127.0.0.1:8700/ \n");
	ext.execute_with(|| {
		assert_eq!(executor_url().as_deref(), Some(URL));
		let id = job_setup();
		expect_dispatch(&handles, id, status_answer(id, "queued"));
		ComputeEscrow::offchain_worker(1);
		assert_eq!(dispatch_record(&handles, id), Some(DispatchRecord::Accepted));
	});
}

#[test]
fn the_worker_submits_the_result_of_a_succeeded_job() {
	let (mut ext, handles) = ocw_test_ext(&["//Charlie"]);
	set_executor_url(&handles, URL);
	ext.execute_with(|| {
		let id = job_setup();
		expect_dispatch(&handles, id, status_answer(id, "queued"));
		ComputeEscrow::offchain_worker(1);
		expect_poll(&handles, id, succeeded_answer(id, "300"));
		ComputeEscrow::offchain_worker(2);

		assert_sent_by_charlie(&handles, &[expected_call(id, 300)]);
		// The chain accepts what the worker sent.
		let tx = pool_transactions(&handles).remove(0);
		assert_ok!(tx.function.dispatch(RuntimeOrigin::signed(charlie())));
		assert!(matches!(job(id).status, JobStatus::InReview { .. }));
		assert!(ComputeEscrow::pending_jobs_of(&charlie()).is_empty());
		ComputeEscrow::do_try_state().unwrap();
	});
}

#[test]
fn a_job_that_succeeded_before_its_dispatch_answer_is_submitted_at_once() {
	let (mut ext, handles) = ocw_test_ext(&["//Charlie"]);
	set_executor_url(&handles, URL);
	ext.execute_with(|| {
		let id = job_setup();
		// The executor already knew the job (a repeated POST is a status query).
		expect_dispatch(&handles, id, succeeded_answer(id, "120"));
		ComputeEscrow::offchain_worker(1);
		assert_sent_by_charlie(&handles, &[expected_call(id, 120)]);
	});
}

#[test]
fn fee_used_is_capped_at_max_fee() {
	for fee in ["501", "1000000", "999999999999999999999999999999999999999999999999"] {
		let (mut ext, handles) = ocw_test_ext(&["//Charlie"]);
		set_executor_url(&handles, URL);
		ext.execute_with(|| {
			let id = job_setup();
			expect_dispatch(&handles, id, succeeded_answer(id, fee));
			ComputeEscrow::offchain_worker(1);
			assert_sent_by_charlie(&handles, &[expected_call(id, MAX_FEE)]);
			let tx = pool_transactions(&handles).remove(0);
			assert_ok!(tx.function.dispatch(RuntimeOrigin::signed(charlie())));
		});
	}
}

#[test]
fn a_result_is_sent_again_only_if_the_job_still_waits_ten_blocks_later() {
	let (mut ext, handles) = ocw_test_ext(&["//Charlie"]);
	set_executor_url(&handles, URL);
	ext.execute_with(|| {
		let id = job_setup();
		expect_dispatch(&handles, id, succeeded_answer(id, "300"));
		ComputeEscrow::offchain_worker(2);
		assert_eq!(pool_transactions(&handles).len(), 1);

		// The transaction was dropped: no request and no transaction for ten blocks.
		for now in 3..12 {
			ComputeEscrow::offchain_worker(now);
		}
		assert_eq!(pool_transactions(&handles).len(), 1);

		// Then the worker polls again and sends the result once more.
		expect_poll(&handles, id, succeeded_answer(id, "300"));
		ComputeEscrow::offchain_worker(12);
		assert_sent_by_charlie(&handles, &[expected_call(id, 300), expected_call(id, 300)]);

		// Once the result is on chain the job is no longer pending: nothing more.
		assert_ok!(ComputeEscrow::submit_result(
			RuntimeOrigin::signed(charlie()),
			id,
			RESULT_ROOT,
			OUTPUT_HASH,
			300
		));
		ComputeEscrow::offchain_worker(30);
		assert_eq!(pool_transactions(&handles).len(), 2);
	});
}

#[test]
fn running_and_queued_jobs_send_nothing() {
	let (mut ext, handles) = ocw_test_ext(&["//Charlie"]);
	set_executor_url(&handles, URL);
	ext.execute_with(|| {
		let id = job_setup();
		expect_dispatch(&handles, id, status_answer(id, "queued"));
		ComputeEscrow::offchain_worker(1);
		expect_poll(&handles, id, status_answer(id, "running"));
		ComputeEscrow::offchain_worker(2);
		assert!(pool_transactions(&handles).is_empty());
		assert_eq!(handles.offchain.read().persistent_storage.get(&submitted_key(id)), None);
	});
}

#[test]
fn a_failed_job_sends_nothing_and_is_no_longer_polled() {
	let (mut ext, handles) = ocw_test_ext(&["//Charlie"]);
	set_executor_url(&handles, URL);
	ext.execute_with(|| {
		let id = job_setup();
		expect_dispatch(&handles, id, status_answer(id, "queued"));
		ComputeEscrow::offchain_worker(1);
		let failed = format!(r#"{{"jobId":{id},"status":"failed","error":"exit status 1"}}"#);
		expect_poll(&handles, id, failed.into_bytes());
		ComputeEscrow::offchain_worker(2);
		assert_eq!(dispatch_record(&handles, id), Some(DispatchRecord::Failed));
		// No request expected: the job is left to its deadline.
		ComputeEscrow::offchain_worker(3);
		assert!(pool_transactions(&handles).is_empty());
		assert_eq!(job(id).status, JobStatus::Assigned);
	});
}

/// Issue 15: a job the executor cannot run (its dataset cannot be fetched) is declined, not
/// left to slash the provider at its deadline.
#[test]
fn a_job_the_executor_declines_is_declined_on_chain_and_nobody_is_slashed() {
	let (mut ext, handles) = ocw_test_ext(&["//Charlie"]);
	set_executor_url(&handles, URL);
	ext.execute_with(|| {
		let id = job_setup();
		let staked = stake(job(id).service);
		expect_dispatch(&handles, id, status_answer(id, "queued"));
		ComputeEscrow::offchain_worker(1);
		let declined = format!(
			r#"{{"jobId":{id},"status":"declined","error":"dataset download failed: not found"}}"#
		);
		expect_poll(&handles, id, declined.into_bytes());
		ComputeEscrow::offchain_worker(2);
		let decline = RuntimeCall::ComputeEscrow(crate::Call::decline_job { job: id });
		assert_sent_by_charlie(&handles, std::slice::from_ref(&decline));
		// Not sent twice while the first one may still land.
		ComputeEscrow::offchain_worker(3);
		assert_eq!(pool_transactions(&handles).len(), 1);

		assert_ok!(decline.dispatch(RuntimeOrigin::signed(charlie())));
		run_to_block(1 + DURATION + 1);
		assert_eq!(stake(0), staked);
		assert_eq!(free(&alice()), INITIAL_BALANCE);
	});
}

/// Issue 15: a job still waiting for its dataset near its deadline is declined in time; one
/// whose command runs is left to finish.
#[test]
fn a_job_not_started_near_its_deadline_is_declined_and_a_running_one_is_not() {
	let (mut ext, handles) = ocw_test_ext(&["//Charlie"]);
	set_executor_url(&handles, URL);
	ext.execute_with(|| {
		let id = job_setup();
		let deadline = job(id).deadline;
		expect_dispatch(&handles, id, status_answer(id, "queued"));
		ComputeEscrow::offchain_worker(1);
		let downloading =
			format!(r#"{{"jobId":{id},"status":"running","stage":"downloading"}}"#).into_bytes();
		let computing =
			format!(r#"{{"jobId":{id},"status":"running","stage":"computing"}}"#).into_bytes();
		let last_calm = deadline - u64::from(DECLINE_BEFORE_DEADLINE_BLOCKS) - 1;
		expect_poll(&handles, id, downloading.clone());
		ComputeEscrow::offchain_worker(last_calm);
		expect_poll(&handles, id, computing);
		ComputeEscrow::offchain_worker(last_calm + 1);
		assert!(pool_transactions(&handles).is_empty());
		expect_poll(&handles, id, downloading);
		ComputeEscrow::offchain_worker(last_calm + 1);
		assert_sent_by_charlie(
			&handles,
			&[RuntimeCall::ComputeEscrow(crate::Call::decline_job { job: id })],
		);
	});
}

#[test]
fn malformed_answers_send_nothing_and_polling_goes_on() {
	let (mut ext, handles) = ocw_test_ext(&["//Charlie"]);
	set_executor_url(&handles, URL);
	ext.execute_with(|| {
		let id = job_setup();
		// A 2xx answer acknowledges the job even if its body is garbage.
		expect_dispatch(&handles, id, b"<html>accepted</html>".to_vec());
		ComputeEscrow::offchain_worker(1);
		assert_eq!(dispatch_record(&handles, id), Some(DispatchRecord::Accepted));
		expect_poll(&handles, id, b"{\"jobId\":0,\"status\":\"succ".to_vec());
		ComputeEscrow::offchain_worker(2);
		let bad_root = format!(
			r#"{{"jobId":0,"status":"succeeded","resultRoot":"0x11","outputHash":"0x{}","feeUsed":"1"}}"#,
			"22".repeat(32)
		);
		expect_poll(&handles, id, bad_root.into_bytes());
		ComputeEscrow::offchain_worker(3);
		// An answer about another job is not this job's result.
		expect_poll(&handles, id, succeeded_answer(id + 1, "300"));
		ComputeEscrow::offchain_worker(4);
		assert!(pool_transactions(&handles).is_empty());
		assert_eq!(handles.offchain.read().persistent_storage.get(&submitted_key(id)), None);

		expect_poll(&handles, id, succeeded_answer(id, "300"));
		ComputeEscrow::offchain_worker(5);
		assert_sent_by_charlie(&handles, &[expected_call(id, 300)]);
	});
}

#[test]
fn a_refused_dispatch_is_retried_five_blocks_later() {
	let (mut ext, handles) = ocw_test_ext(&["//Charlie"]);
	set_executor_url(&handles, URL);
	ext.execute_with(|| {
		let id = job_setup();
		override_http(&handles, "POST", format!("{URL}/jobs"), HttpRequestStatus::Finished(500));
		expect_dispatch(&handles, id, b"internal error".to_vec());
		ComputeEscrow::offchain_worker(1);
		assert_eq!(dispatch_record(&handles, id), Some(DispatchRecord::Attempted(1)));
		assert!(pool_transactions(&handles).is_empty());

		// No request before the retry is due.
		handles.overrides.write().clear();
		for now in 2..6 {
			ComputeEscrow::offchain_worker(now);
		}
		expect_dispatch(&handles, id, status_answer(id, "queued"));
		ComputeEscrow::offchain_worker(6);
		assert_eq!(dispatch_record(&handles, id), Some(DispatchRecord::Accepted));
	});
}

#[test]
fn an_http_error_on_a_poll_sends_nothing_and_the_next_block_polls_again() {
	let (mut ext, handles) = ocw_test_ext(&["//Charlie"]);
	set_executor_url(&handles, URL);
	ext.execute_with(|| {
		let id = job_setup();
		expect_dispatch(&handles, id, status_answer(id, "queued"));
		ComputeEscrow::offchain_worker(1);
		override_http(
			&handles,
			"GET",
			format!("{URL}/jobs/{id}"),
			HttpRequestStatus::Finished(500),
		);
		expect_poll(&handles, id, succeeded_answer(id, "300"));
		ComputeEscrow::offchain_worker(2);
		assert!(pool_transactions(&handles).is_empty());

		handles.overrides.write().clear();
		expect_poll(&handles, id, succeeded_answer(id, "300"));
		ComputeEscrow::offchain_worker(3);
		assert_sent_by_charlie(&handles, &[expected_call(id, 300)]);
	});
}

/// Issue 15: with a job API token set, every request to the executor carries it, so only this
/// node's worker can post jobs.
#[test]
fn requests_carry_the_executor_token() {
	let (mut ext, handles) = ocw_test_ext(&["//Charlie"]);
	set_executor_url(&handles, URL);
	handles.offchain.write().persistent_storage.set(b"", EXECUTOR_TOKEN_KEY, b" s3cr3t-token\n");
	ext.execute_with(|| {
		let id = job_setup();
		let bearer = ("Authorization".to_string(), "Bearer s3cr3t-token".to_string());
		handles.offchain.write().expect_request(PendingRequest {
			method: "POST".into(),
			uri: format!("{URL}/jobs"),
			headers: vec![("Content-Type".into(), "application/json".into()), bearer.clone()],
			body: dispatch_body::<Test>(id, &job(id)).into_bytes(),
			response: Some(status_answer(id, "queued")),
			sent: true,
			..Default::default()
		});
		ComputeEscrow::offchain_worker(1);
		handles.offchain.write().expect_request(PendingRequest {
			method: "GET".into(),
			uri: format!("{URL}/jobs/{id}"),
			headers: vec![bearer],
			response: Some(succeeded_answer(id, "300")),
			sent: true,
			..Default::default()
		});
		ComputeEscrow::offchain_worker(2);
		assert_sent_by_charlie(&handles, &[expected_call(id, 300)]);
		assert_eq!(
			executor(),
			Some(Executor { url: URL.into(), authorization: Some("Bearer s3cr3t-token".into()) })
		);
	});
}

#[test]
fn an_unreachable_executor_ends_the_run() {
	for status in [HttpRequestStatus::IoError, HttpRequestStatus::DeadlineReached] {
		let (mut ext, handles) = ocw_test_ext(&["//Charlie"]);
		set_executor_url(&handles, URL);
		ext.execute_with(|| {
			let first = job_setup();
			let second = create_job_for(&bob(), 0, MAX_FEE, DURATION);
			override_http(&handles, "POST", format!("{URL}/jobs"), status);
			// Only the first job's dispatch is tried; the second waits for the next block.
			expect_dispatch(&handles, first, b"{}".to_vec());
			ComputeEscrow::offchain_worker(1);
			assert_eq!(dispatch_record(&handles, first), Some(DispatchRecord::Attempted(1)));
			assert_eq!(dispatch_record(&handles, second), None);
		});
	}
}

#[test]
fn jobs_of_other_providers_are_ignored() {
	let (mut ext, handles) = ocw_test_ext(&["//Charlie"]);
	set_executor_url(&handles, URL);
	ext.execute_with(|| {
		let charlie_job = job_setup();
		let dave_service = register(&dave(), ServiceKind::Job, Verifiability::None);
		let dave_job = create_job_for(&alice(), dave_service, MAX_FEE, DURATION);
		expect_dispatch(&handles, charlie_job, status_answer(charlie_job, "queued"));
		ComputeEscrow::offchain_worker(1);
		assert_eq!(dispatch_record(&handles, charlie_job), Some(DispatchRecord::Accepted));
		assert_eq!(dispatch_record(&handles, dave_job), None);
	});
	// A node with only Dave's key, whose service has no job, sends nothing.
	let (mut ext, handles) = ocw_test_ext(&["//Dave"]);
	set_executor_url(&handles, URL);
	ext.execute_with(|| {
		register(&dave(), ServiceKind::Job, Verifiability::None);
		let id = job_setup();
		ComputeEscrow::offchain_worker(1);
		assert_eq!(dispatch_record(&handles, id), None);
		assert!(pool_transactions(&handles).is_empty());
	});
}

#[test]
fn jobs_too_close_to_their_deadline_are_skipped() {
	let (mut ext, handles) = ocw_test_ext(&["//Charlie"]);
	set_executor_url(&handles, URL);
	ext.execute_with(|| {
		let id = job_setup();
		let deadline = job(id).deadline;
		// A result sent after block `deadline - 2` cannot be included before the deadline.
		ComputeEscrow::offchain_worker(deadline - 1);
		assert_eq!(dispatch_record(&handles, id), None);
		expect_dispatch(&handles, id, status_answer(id, "queued"));
		ComputeEscrow::offchain_worker(deadline - 2);
		assert_eq!(dispatch_record(&handles, id), Some(DispatchRecord::Accepted));
	});
}

#[test]
fn every_key_in_the_keystore_serves_its_own_jobs() {
	let (mut ext, handles) = ocw_test_ext(&["//Charlie", "//Dave"]);
	set_executor_url(&handles, URL);
	ext.execute_with(|| {
		let charlie_job = job_setup();
		let dave_service = register(&dave(), ServiceKind::Job, Verifiability::None);
		let dave_job = create_job_for(&alice(), dave_service, MAX_FEE, DURATION);
		// The keystore lists keys in its own order; answer whichever dispatch comes first.
		let keys = polkadot_sdk::sp_io::crypto::sr25519_public_keys(crate::KEY_TYPE);
		let order: Vec<JobId> = keys
			.iter()
			.map(|key| if AccountId::from(*key) == charlie() { charlie_job } else { dave_job })
			.collect();
		for id in &order {
			expect_dispatch(&handles, *id, succeeded_answer(*id, "7"));
		}
		ComputeEscrow::offchain_worker(1);
		let transactions = pool_transactions(&handles);
		assert_eq!(transactions.len(), 2);
		for tx in transactions {
			let Preamble::Signed(signer, (), ()) = &tx.preamble else { panic!("signed") };
			let RuntimeCall::ComputeEscrow(crate::Call::submit_result { job: id, .. }) =
				tx.function
			else {
				panic!("submit_result")
			};
			assert_eq!(job(id).provider, *signer);
			assert_ok!(tx.function.dispatch(RuntimeOrigin::signed(signer.clone())));
		}
	});
}

#[test]
fn pending_jobs_of_lists_the_assigned_jobs_of_a_provider() {
	build_and_execute(|| {
		let service = job_service();
		let first = create_job_for(&alice(), service, MAX_FEE, DURATION);
		let second = create_job_for(&bob(), service, MAX_FEE, DURATION);
		let dave_service = register(&dave(), ServiceKind::Job, Verifiability::None);
		let dave_job = create_job_for(&alice(), dave_service, MAX_FEE, DURATION);
		let ids = |provider: &AccountId| -> Vec<JobId> {
			ComputeEscrow::pending_jobs_of(provider).into_iter().map(|(id, _)| id).collect()
		};
		assert_eq!(ids(&charlie()), vec![first, second]);
		assert_eq!(ids(&dave()), vec![dave_job]);
		assert!(ids(&alice()).is_empty());
		submit(first, 10);
		assert_eq!(ids(&charlie()), vec![second]);
		assert_eq!(ComputeEscrow::pending_jobs_of(&charlie())[0].1, job(second));
	});
}

#[test]
fn parse_status_reads_every_state() {
	assert_eq!(parse_status(&status_answer(3, "queued"), 3), Ok(ExecutorStatus::Queued));
	assert_eq!(parse_status(&status_answer(3, "running"), 3), Ok(ExecutorStatus::Running));
	for (stage, status) in [
		("waiting", ExecutorStatus::Preparing),
		("verifying", ExecutorStatus::Preparing),
		("downloading", ExecutorStatus::Preparing),
		("computing", ExecutorStatus::Running),
		("uploading", ExecutorStatus::Running),
	] {
		let body = format!(r#"{{"jobId":3,"status":"running","stage":"{stage}"}}"#);
		assert_eq!(parse_status(body.as_bytes(), 3), Ok(status), "{stage}");
	}
	assert_eq!(
		parse_status(br#"{"jobId":3,"status":"declined","error":"no dataset"}"#, 3),
		Ok(ExecutorStatus::Declined("no dataset".into()))
	);
	assert_eq!(
		parse_status(br#"{"jobId":3,"status":"failed","error":"out of memory"}"#, 3),
		Ok(ExecutorStatus::Failed("out of memory".into()))
	);
	assert_eq!(
		parse_status(br#"{"jobId":3,"status":"failed"}"#, 3),
		Ok(ExecutorStatus::Failed("no reason".into()))
	);
	let result =
		ExecutorResult { result_root: RESULT_ROOT, output_hash: OUTPUT_HASH, fee_used: 300 };
	assert_eq!(
		parse_status(&succeeded_answer(3, "300"), 3),
		Ok(ExecutorStatus::Succeeded(result.clone()))
	);
	// Upper-case hex, no prefix, the id as a string, the fee as a number, whitespace and extra
	// fields are fine.
	let loose = format!(
		"{{ \"extra\": [1], \"jobId\": \"3\", \"status\": \"succeeded\", \"resultRoot\": \"{}\", \
		 \"outputHash\": \"0X{}\", \"feeUsed\": 300 }}",
		"11".repeat(32),
		"22".repeat(32).to_uppercase()
	);
	assert_eq!(parse_status(loose.as_bytes(), 3), Ok(ExecutorStatus::Succeeded(result)));
	// A fee beyond u128 saturates.
	let huge = succeeded_answer(3, &"9".repeat(60));
	let Ok(ExecutorStatus::Succeeded(result)) = parse_status(&huge, 3) else { panic!("parsed") };
	assert_eq!(result.fee_used, u128::MAX);
}

#[test]
fn parse_status_rejects_malformed_answers() {
	let root = "11".repeat(32);
	let hash = "22".repeat(32);
	let cases: Vec<(String, OcwError)> = vec![
		("not json".into(), OcwError::Json),
		("[1,2]".into(), OcwError::Json),
		("\"queued\"".into(), OcwError::Json),
		(r#"{"status":"queued"}"#.into(), OcwError::MissingField("jobId")),
		(r#"{"jobId":-1,"status":"queued"}"#.into(), OcwError::InvalidField("jobId")),
		(r#"{"jobId":"0x3","status":"queued"}"#.into(), OcwError::InvalidField("jobId")),
		(r#"{"jobId":4,"status":"queued"}"#.into(), OcwError::WrongJob(4)),
		(r#"{"jobId":3}"#.into(), OcwError::MissingField("status")),
		(r#"{"jobId":3,"status":1}"#.into(), OcwError::InvalidField("status")),
		(r#"{"jobId":3,"status":"done"}"#.into(), OcwError::UnknownStatus),
		(
			format!(r#"{{"jobId":3,"status":"succeeded","outputHash":"0x{hash}","feeUsed":"1"}}"#),
			OcwError::MissingField("resultRoot"),
		),
		(
			format!(r#"{{"jobId":3,"status":"succeeded","resultRoot":"0x{root}","feeUsed":"1"}}"#),
			OcwError::MissingField("outputHash"),
		),
		(
			format!(
				r#"{{"jobId":3,"status":"succeeded","resultRoot":"0x{root}","outputHash":"0x{hash}"}}"#
			),
			OcwError::MissingField("feeUsed"),
		),
		(
			format!(
				r#"{{"jobId":3,"status":"succeeded","resultRoot":"0x{root}00","outputHash":"0x{hash}","feeUsed":"1"}}"#
			),
			OcwError::InvalidField("resultRoot"),
		),
		(
			format!(
				r#"{{"jobId":3,"status":"succeeded","resultRoot":"0x{root}","outputHash":"0xzz","feeUsed":"1"}}"#
			),
			OcwError::InvalidField("outputHash"),
		),
		(
			format!(
				r#"{{"jobId":3,"status":"succeeded","resultRoot":"0x{root}","outputHash":"0x{hash}","feeUsed":"-1"}}"#
			),
			OcwError::InvalidField("feeUsed"),
		),
		(
			format!(
				r#"{{"jobId":3,"status":"succeeded","resultRoot":"0x{root}","outputHash":"0x{hash}","feeUsed":1.5}}"#
			),
			OcwError::InvalidField("feeUsed"),
		),
		(
			format!(
				r#"{{"jobId":3,"status":"succeeded","resultRoot":"0x{root}","outputHash":"0x{hash}","feeUsed":""}}"#
			),
			OcwError::InvalidField("feeUsed"),
		),
	];
	for (body, error) in cases {
		assert_eq!(parse_status(body.as_bytes(), 3), Err(error), "{body}");
	}
}
