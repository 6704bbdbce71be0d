//! `settle_receipts`.

use super::*;
use codec::Encode;
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok},
	sp_core::{Pair, H256},
	sp_runtime::DispatchError,
};
use ReceiptOutcome::*;

/// Charlie's inference service, with Alice's sub-account for Charlie funded with `funded`.
fn setup(funded: Balance) -> ServiceId {
	let service = inference_service();
	fund(&alice(), &charlie(), 10_000, funded);
	service
}

#[test]
fn pays_provider_from_sub_account() {
	build_and_execute(|| {
		let service = setup(1_000);
		let first = receipt(&alice(), service, 1, 100, 50); // fee 350
		let second = receipt(&alice(), service, 2, 10, 10); // fee 50

		let outcomes = settle(
			service,
			vec![sign(Sr25519Keyring::Alice, first), sign(Sr25519Keyring::Alice, second)],
		);

		assert_eq!(outcomes, vec![Settled, Settled]);
		assert_eq!(sub_account(&alice(), &charlie()), SubAccount { balance: 600, last_nonce: 2 });
		assert_eq!(free(&charlie()), INITIAL_BALANCE - MIN_STAKE + 400);
		assert_eq!(held(HoldReason::Ledger, &alice()), 10_000 - 400);
		System::assert_last_event(
			Event::ReceiptsSettled {
				provider: charlie(),
				service,
				settled: 2,
				paid: 400,
				outcomes: BoundedVec::truncate_from(vec![Settled, Settled]),
			}
			.into(),
		);
	});
}

#[test]
fn accepts_a_fee_below_the_price() {
	build_and_execute(|| {
		let service = setup(1_000);
		let mut discounted = receipt(&alice(), service, 1, 100, 50);
		discounted.fee = 1;
		assert_eq!(settle(service, vec![sign(Sr25519Keyring::Alice, discounted)]), vec![Settled]);
		assert_eq!(sub_account(&alice(), &charlie()).balance, 999);
	});
}

#[test]
fn rejects_a_replayed_receipt() {
	build_and_execute(|| {
		let service = setup(1_000);
		let signed = sign(Sr25519Keyring::Alice, receipt(&alice(), service, 1, 10, 10));

		assert_eq!(settle(service, vec![signed.clone()]), vec![Settled]);
		// The same receipt again, in a later batch and twice in one batch.
		assert_eq!(settle(service, vec![signed.clone(), signed]), vec![BadNonce, BadNonce]);
		assert_eq!(sub_account(&alice(), &charlie()), SubAccount { balance: 950, last_nonce: 1 });
	});
}

#[test]
fn rejects_a_receipt_twice_in_one_batch() {
	build_and_execute(|| {
		let service = setup(1_000);
		let signed = sign(Sr25519Keyring::Alice, receipt(&alice(), service, 1, 10, 10));
		assert_eq!(settle(service, vec![signed.clone(), signed]), vec![Settled, BadNonce]);
		assert_eq!(sub_account(&alice(), &charlie()).balance, 950);
	});
}

#[test]
fn requires_strictly_increasing_nonces() {
	build_and_execute(|| {
		let service = setup(1_000);
		let receipts = vec![
			sign(Sr25519Keyring::Alice, receipt(&alice(), service, 5, 1, 0)),
			sign(Sr25519Keyring::Alice, receipt(&alice(), service, 3, 1, 0)),
			sign(Sr25519Keyring::Alice, receipt(&alice(), service, 9, 1, 0)),
		];
		// Gaps are fine; going back is not.
		assert_eq!(settle(service, receipts), vec![Settled, BadNonce, Settled]);
		assert_eq!(sub_account(&alice(), &charlie()).last_nonce, 9);
	});
}

#[test]
fn rejects_a_forged_signature() {
	build_and_execute(|| {
		let service = setup(1_000);
		// Bob signs a receipt that charges Alice.
		let forged = sign(Sr25519Keyring::Bob, receipt(&alice(), service, 1, 10, 10));
		// Alice signed, then the fee was raised.
		let mut tampered = sign(Sr25519Keyring::Alice, receipt(&alice(), service, 2, 100, 100));
		tampered.receipt.fee += 1;
		tampered.receipt.input_tokens += 1;

		assert_eq!(settle(service, vec![forged, tampered]), vec![BadSignature, BadSignature]);
		assert_eq!(sub_account(&alice(), &charlie()), SubAccount { balance: 1_000, last_nonce: 0 });
	});
}

#[test]
fn rejects_a_fee_above_the_sub_account() {
	build_and_execute(|| {
		let service = setup(100);
		let too_big = sign(Sr25519Keyring::Alice, receipt(&alice(), service, 1, 30, 20)); // 120

		assert_eq!(settle(service, vec![too_big.clone()]), vec![InsufficientFunds]);
		// Alice's available funds do not back Charlie's receipts, and the nonce is unused.
		assert_eq!(available(&alice()), 10_000 - 100);
		assert_eq!(sub_account(&alice(), &charlie()), SubAccount { balance: 100, last_nonce: 0 });

		// Once the sub-account is topped up the same receipt settles.
		assert_ok!(ComputeEscrow::fund_provider(RuntimeOrigin::signed(alice()), charlie(), 20));
		assert_eq!(settle(service, vec![too_big]), vec![Settled]);
		assert_eq!(sub_account(&alice(), &charlie()), SubAccount { balance: 0, last_nonce: 1 });
	});
}

#[test]
fn rejects_a_fee_above_the_token_price() {
	build_and_execute(|| {
		let service = setup(1_000);
		let mut overpriced = receipt(&alice(), service, 1, 10, 10);
		overpriced.fee += 1;
		assert_eq!(
			settle(service, vec![sign(Sr25519Keyring::Alice, overpriced)]),
			vec![FeeAbovePrice]
		);
	});
}

#[test]
fn rejects_receipts_for_another_service_or_provider() {
	build_and_execute(|| {
		let service = setup(1_000);
		let other_service = inference_service();
		let wrong_service = receipt(&alice(), other_service, 1, 1, 1);
		let mut wrong_provider = receipt(&alice(), service, 2, 1, 1);
		wrong_provider.provider = dave();

		assert_eq!(
			settle(
				service,
				vec![
					sign(Sr25519Keyring::Alice, wrong_service),
					sign(Sr25519Keyring::Alice, wrong_provider)
				]
			),
			vec![WrongService, WrongProvider]
		);
	});
}

#[test]
fn a_bad_receipt_does_not_block_the_good_ones() {
	build_and_execute(|| {
		let service = setup(1_000);
		fund(&bob(), &charlie(), 1_000, 20);
		let receipts = vec![
			sign(Sr25519Keyring::Bob, receipt(&alice(), service, 1, 1, 1)), // forged
			sign(Sr25519Keyring::Alice, receipt(&alice(), service, 2, 10, 0)), // 20
			sign(Sr25519Keyring::Bob, receipt(&bob(), service, 1, 100, 0)), // 200 > 20
			sign(Sr25519Keyring::Bob, receipt(&bob(), service, 2, 10, 0)),  // 20
			sign(Sr25519Keyring::Alice, receipt(&alice(), service, 2, 1, 0)), // replay of 2
		];

		assert_eq!(
			settle(service, receipts),
			vec![BadSignature, Settled, InsufficientFunds, Settled, BadNonce]
		);
		assert_eq!(sub_account(&alice(), &charlie()), SubAccount { balance: 980, last_nonce: 2 });
		assert_eq!(sub_account(&bob(), &charlie()), SubAccount { balance: 0, last_nonce: 2 });
		assert_eq!(free(&charlie()), INITIAL_BALANCE - MIN_STAKE + 40);
		assert!(matches!(last_event(), Event::ReceiptsSettled { settled: 2, paid: 40, .. }));
	});
}

#[test]
fn tee_service_takes_receipts_of_an_acknowledged_enclave_and_of_the_user() {
	build_and_execute(|| {
		let service = tee_service();
		fund(&alice(), &charlie(), 1_000, 500);
		acknowledge(&alice(), service, &eve());
		let by_enclave = sign(Sr25519Keyring::Eve, receipt(&alice(), service, 1, 10, 0));
		let by_user = sign(Sr25519Keyring::Alice, receipt(&alice(), service, 2, 10, 0));
		let by_provider = sign(Sr25519Keyring::Charlie, receipt(&alice(), service, 3, 10, 0));

		assert_eq!(
			settle(service, vec![by_enclave, by_user, by_provider]),
			vec![Settled, Settled, BadSignature]
		);
		assert_eq!(sub_account(&alice(), &charlie()), SubAccount { balance: 460, last_nonce: 2 });
	});
}

/// The attack of issue 15: a provider whose service names an enclave key signs receipts with
/// it that drain users' sub-accounts and their locked refunds. Without the user's
/// acknowledgement of that key for that service, and the key's approval, nothing moves.
#[test]
fn an_enclave_key_the_user_did_not_acknowledge_settles_nothing() {
	build_and_execute(|| {
		let service = tee_service();
		let other =
			register(&charlie(), ServiceKind::Inference, Verifiability::Tee { signer: eve() });
		fund(&alice(), &charlie(), 1_000, 500);
		assert_ok!(ComputeEscrow::request_refund(RuntimeOrigin::signed(alice()), charlie(), 200));
		let drain = |nonce| sign(Sr25519Keyring::Eve, receipt(&alice(), service, nonce, 250, 0));

		// Not acknowledged at all, and acknowledged for the provider's other service only.
		assert_eq!(settle(service, vec![drain(1)]), vec![SignerNotAcknowledged]);
		acknowledge(&alice(), other, &eve());
		assert_eq!(settle(service, vec![drain(1)]), vec![SignerNotAcknowledged]);
		assert_eq!(sub_account(&alice(), &charlie()), SubAccount { balance: 300, last_nonce: 0 });
		assert_eq!(pending_refunds(&alice()).len(), 1);

		// Acknowledged, then the key loses its approval: its receipts stop settling.
		acknowledge(&alice(), service, &eve());
		assert_ok!(ComputeEscrow::revoke_enclave(RuntimeOrigin::root(), eve()));
		assert_eq!(settle(service, vec![drain(1)]), vec![EnclaveNotApproved]);
		// And after the user removes the acknowledgement, approved or not.
		approve(&eve());
		assert_ok!(ComputeEscrow::remove_acknowledgement(RuntimeOrigin::signed(alice()), service));
		assert_eq!(settle(service, vec![drain(1)]), vec![SignerNotAcknowledged]);
		assert_eq!(sub_account(&alice(), &charlie()), SubAccount { balance: 300, last_nonce: 0 });
		assert_eq!(held(HoldReason::Ledger, &alice()), 1_000);
	});
}

/// A receipt signed for another ZeroG chain (another genesis hash), or over the bare SCALE
/// encoding that carried no domain, is not a signature of this chain's receipt.
#[test]
fn a_receipt_signed_for_another_genesis_is_refused() {
	build_and_execute(|| {
		let service = setup(1_000);
		let other_chain = H256::repeat_byte(0xab);
		assert_ne!(System::block_hash(0), other_chain);
		let replayed = sign_for_chain(
			Sr25519Keyring::Alice,
			receipt(&alice(), service, 1, 10, 10),
			other_chain,
		);
		let undomained = {
			let receipt = receipt(&alice(), service, 1, 10, 10);
			let signature = Sr25519Keyring::Alice.pair().sign(&receipt.encode()).into();
			SignedReceipt { receipt, signature }
		};

		assert_eq!(settle(service, vec![replayed, undomained]), vec![BadSignature, BadSignature]);
		assert_eq!(sub_account(&alice(), &charlie()), SubAccount { balance: 1_000, last_nonce: 0 });
		let this_chain = sign(Sr25519Keyring::Alice, receipt(&alice(), service, 1, 10, 10));
		assert_eq!(settle(service, vec![this_chain]), vec![Settled]);
	});
}

#[test]
fn draws_on_locked_refunds_after_the_sub_account() {
	build_and_execute(|| {
		let service = setup(300);
		assert_ok!(ComputeEscrow::request_refund(RuntimeOrigin::signed(alice()), charlie(), 100));
		assert_ok!(ComputeEscrow::request_refund(RuntimeOrigin::signed(alice()), charlie(), 150));

		// 50 from the sub-account, then the most recent refund (150) before the older one.
		let fee_200 = sign(Sr25519Keyring::Alice, receipt(&alice(), service, 1, 100, 0));
		assert_eq!(settle(service, vec![fee_200]), vec![Settled]);
		assert_eq!(sub_account(&alice(), &charlie()).balance, 0);
		assert_eq!(
			pending_refunds(&alice()),
			vec![PendingRefund { provider: charlie(), amount: 100, unlocks_at: 1 + REFUND_LOCK }]
		);
	});
}

#[test]
fn does_not_draw_on_unlocked_refunds() {
	build_and_execute(|| {
		let service = setup(300);
		assert_ok!(ComputeEscrow::request_refund(RuntimeOrigin::signed(alice()), charlie(), 300));
		run_to_block(1 + REFUND_LOCK);

		// The refund is unlocked, so it is Alice's again even before she claims it.
		let fee_20 = sign(Sr25519Keyring::Alice, receipt(&alice(), service, 1, 10, 0));
		assert_eq!(settle(service, vec![fee_20]), vec![InsufficientFunds]);
		assert_ok!(ComputeEscrow::claim_refund(RuntimeOrigin::signed(alice())));
		assert_eq!(available(&alice()), 10_000);
	});
}

#[test]
fn rejects_empty_batch_unknown_service_stranger_and_job_service() {
	build_and_execute(|| {
		let service = setup(1_000);
		let jobs = job_service();
		let one = || batch(vec![sign(Sr25519Keyring::Alice, receipt(&alice(), service, 1, 1, 1))]);

		assert_noop!(
			ComputeEscrow::settle_receipts(
				RuntimeOrigin::signed(charlie()),
				service,
				batch(vec![])
			),
			Error::<Test>::EmptyBatch
		);
		assert_noop!(
			ComputeEscrow::settle_receipts(RuntimeOrigin::signed(charlie()), 99, one()),
			Error::<Test>::ServiceNotFound
		);
		assert_noop!(
			ComputeEscrow::settle_receipts(RuntimeOrigin::signed(dave()), service, one()),
			Error::<Test>::NotServiceProvider
		);
		assert_noop!(
			ComputeEscrow::settle_receipts(RuntimeOrigin::signed(charlie()), jobs, one()),
			Error::<Test>::NotInferenceService
		);
		assert_noop!(
			ComputeEscrow::settle_receipts(RuntimeOrigin::none(), service, one()),
			DispatchError::BadOrigin
		);
	});
}
