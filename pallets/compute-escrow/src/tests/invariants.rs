//! The ledger invariant after every step of a scenario with several users and providers.

use super::*;
use polkadot_sdk::frame_support::{assert_noop, assert_ok};

/// Checks, for every user and provider of the scenario, that the pallet accounts for exactly
/// the funds on hold, then runs the pallet's own `try_state` checks.
fn assert_invariants(step: &str) {
	let users = [alice(), bob(), ferdie()];
	let providers = [charlie(), dave()];
	for user in &users {
		let ledger = Ledgers::<Test>::get(user).unwrap_or_default();
		let pending: Balance = ledger.pending_refunds.iter().map(|refund| refund.amount).sum();
		let sub_accounts: Balance =
			providers.iter().map(|provider| sub_account(user, provider).balance).sum();
		assert_eq!(
			ledger.available + sub_accounts + pending,
			held(HoldReason::Ledger, user),
			"ledger invariant broken for {user:?} after: {step}"
		);
		let escrow: Balance = Jobs::<Test>::iter_values()
			.filter(|job| job.user == *user)
			.map(|job| job.max_fee)
			.sum();
		assert_eq!(escrow, held(HoldReason::JobEscrow, user), "escrow broken after: {step}");
	}
	for provider in &providers {
		let stakes: Balance = Services::<Test>::iter_values()
			.filter(|service| service.provider == *provider)
			.map(|service| service.stake)
			.sum();
		assert_eq!(stakes, held(HoldReason::ServiceStake, provider), "stake broken after: {step}");
	}
	if let Err(error) = ComputeEscrow::do_try_state() {
		panic!("try_state failed after {step}: {error:?}");
	}
}

#[test]
fn ledger_invariant_holds_after_every_step() {
	build_and_execute(|| {
		let issuance = Balances::total_issuance();
		let signed = |key: Sr25519Keyring| RuntimeOrigin::signed(key.to_account_id());
		use Sr25519Keyring::{Alice, Bob, Charlie, Dave, Eve, Ferdie};

		let inference = inference_service();
		approve(&eve());
		let tee = register(&dave(), ServiceKind::Inference, Verifiability::Tee { signer: eve() });
		let jobs = job_service();
		assert_invariants("providers register services");

		assert_ok!(ComputeEscrow::deposit(signed(Alice), 5_000));
		assert_ok!(ComputeEscrow::deposit(signed(Bob), 3_000));
		assert_ok!(ComputeEscrow::deposit(signed(Ferdie), 1_000));
		assert_invariants("users deposit");

		assert_ok!(ComputeEscrow::fund_provider(signed(Alice), charlie(), 2_000));
		assert_ok!(ComputeEscrow::fund_provider(signed(Alice), dave(), 1_000));
		assert_ok!(ComputeEscrow::fund_provider(signed(Bob), charlie(), 1_500));
		assert_ok!(ComputeEscrow::fund_provider(signed(Ferdie), dave(), 500));
		assert_invariants("users fund providers");
		acknowledge(&alice(), tee, &eve());
		acknowledge(&ferdie(), tee, &eve());
		assert_invariants("users acknowledge Dave's enclave");

		let outcomes = settle(
			inference,
			vec![
				sign(Alice, receipt(&alice(), inference, 1, 100, 50)), // 350
				sign(Bob, receipt(&bob(), inference, 1, 40, 40)),      // 200
				sign(Ferdie, receipt(&alice(), inference, 2, 1, 1)),   // forged
				sign(Alice, receipt(&alice(), inference, 1, 100, 50)), // replay
			],
		);
		assert_eq!(
			outcomes,
			vec![
				ReceiptOutcome::Settled,
				ReceiptOutcome::Settled,
				ReceiptOutcome::BadSignature,
				ReceiptOutcome::BadNonce
			]
		);
		assert_invariants("Charlie settles receipts");

		let mut for_dave = receipt(&alice(), tee, 1, 50, 0); // 100
		for_dave.provider = dave();
		let mut ferdie_for_dave = receipt(&ferdie(), tee, 1, 300, 0); // 600 > 500
		ferdie_for_dave.provider = dave();
		assert_ok!(ComputeEscrow::settle_receipts(
			signed(Dave),
			tee,
			batch(vec![sign(Eve, for_dave), sign(Eve, ferdie_for_dave)])
		));
		assert_invariants("Dave settles enclave-signed receipts");

		assert_ok!(ComputeEscrow::request_refund(signed(Alice), charlie(), 500));
		assert_ok!(ComputeEscrow::request_refund(signed(Bob), charlie(), 1_000));
		assert_invariants("users request refunds");

		// Bob has 300 left in Charlie's sub-account; 500 comes from his locked refund.
		assert_eq!(
			settle(inference, vec![sign(Bob, receipt(&bob(), inference, 2, 400, 0))]),
			vec![ReceiptOutcome::Settled]
		);
		assert_invariants("Charlie settles against a locked refund");

		assert_ok!(ComputeEscrow::withdraw(signed(Alice), 1_000));
		assert_noop!(
			ComputeEscrow::withdraw(signed(Ferdie), 501),
			Error::<Test>::InsufficientAvailableFunds
		);
		assert_invariants("withdrawals");

		let alice_job = create_job_for(&alice(), jobs, 400, MIN_JOB_DURATION);
		let bob_job = create_job_for(&bob(), jobs, 300, MIN_JOB_DURATION);
		let ferdie_job = create_job_for(&ferdie(), jobs, 200, MIN_JOB_DURATION + 1);
		assert_invariants("users create jobs");

		submit(alice_job, 250);
		assert_ok!(ComputeEscrow::decline_job(signed(Charlie), ferdie_job));
		assert_invariants("Charlie answers one job and declines another");

		run_to_block(1 + MIN_JOB_DURATION);
		assert!(!Jobs::<Test>::contains_key(bob_job));
		assert_invariants("Bob's job expires");

		assert_ok!(ComputeEscrow::accept_result(signed(Alice), alice_job));
		assert_invariants("Alice accepts her result");

		run_to_block(1 + REFUND_LOCK);
		assert_ok!(ComputeEscrow::claim_refund(signed(Alice)));
		assert_ok!(ComputeEscrow::claim_refund(signed(Bob)));
		assert_invariants("refunds are claimed");

		for user in [Alice, Bob, Ferdie] {
			let left = available(&user.to_account_id());
			if left > 0 {
				assert_ok!(ComputeEscrow::withdraw(signed(user), left));
			}
		}
		assert_invariants("users withdraw everything available");

		// Only the slash of Bob's expired job left the chain.
		assert_eq!(Balances::total_issuance(), issuance - MIN_STAKE / 10);
	});
}
