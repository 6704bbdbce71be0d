//! `approve_enclave`, `revoke_enclave`, `acknowledge_signer` and `remove_acknowledgement`.

use super::*;
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok},
	sp_runtime::DispatchError,
};

#[test]
fn only_enclave_origin_approves_and_revokes() {
	build_and_execute(|| {
		let evidence = H256::repeat_byte(5);
		assert_noop!(
			ComputeEscrow::approve_enclave(RuntimeOrigin::signed(charlie()), eve(), evidence),
			DispatchError::BadOrigin
		);
		assert_ok!(ComputeEscrow::approve_enclave(RuntimeOrigin::root(), eve(), evidence));
		assert_eq!(
			ApprovedEnclaves::<Test>::get(eve()),
			Some(EnclaveApproval { evidence_hash: evidence, approved_at: 1 })
		);
		System::assert_last_event(
			Event::EnclaveApproved { signer: eve(), evidence_hash: evidence }.into(),
		);

		assert_noop!(
			ComputeEscrow::revoke_enclave(RuntimeOrigin::signed(charlie()), eve()),
			DispatchError::BadOrigin
		);
		assert_ok!(ComputeEscrow::revoke_enclave(RuntimeOrigin::root(), eve()));
		assert!(!ApprovedEnclaves::<Test>::contains_key(eve()));
		System::assert_last_event(Event::EnclaveRevoked { signer: eve() }.into());
		assert_noop!(
			ComputeEscrow::revoke_enclave(RuntimeOrigin::root(), eve()),
			Error::<Test>::EnclaveNotApproved
		);
	});
}

#[test]
fn new_evidence_replaces_the_old() {
	build_and_execute(|| {
		approve(&eve());
		System::set_block_number(4);
		let evidence = H256::repeat_byte(6);
		assert_ok!(ComputeEscrow::approve_enclave(RuntimeOrigin::root(), eve(), evidence));
		assert_eq!(
			ApprovedEnclaves::<Test>::get(eve()),
			Some(EnclaveApproval { evidence_hash: evidence, approved_at: 4 })
		);
	});
}

#[test]
fn acknowledging_holds_a_deposit_and_removing_returns_it() {
	build_and_execute(|| {
		let service = tee_service();
		assert_ok!(ComputeEscrow::acknowledge_signer(
			RuntimeOrigin::signed(alice()),
			service,
			eve()
		));
		assert_eq!(
			AcknowledgedSigners::<Test>::get(alice(), service),
			Some(Acknowledgement { signer: eve(), deposit: ACKNOWLEDGEMENT_DEPOSIT })
		);
		assert_eq!(held(HoldReason::Acknowledgement, &alice()), ACKNOWLEDGEMENT_DEPOSIT);
		assert_eq!(free(&alice()), INITIAL_BALANCE - ACKNOWLEDGEMENT_DEPOSIT);
		System::assert_last_event(
			Event::SignerAcknowledged {
				user: alice(),
				service,
				signer: eve(),
				deposit: ACKNOWLEDGEMENT_DEPOSIT,
			}
			.into(),
		);

		assert_ok!(ComputeEscrow::remove_acknowledgement(RuntimeOrigin::signed(alice()), service));
		assert!(!AcknowledgedSigners::<Test>::contains_key(alice(), service));
		assert_eq!(free(&alice()), INITIAL_BALANCE);
		System::assert_last_event(
			Event::AcknowledgementRemoved {
				user: alice(),
				service,
				released: ACKNOWLEDGEMENT_DEPOSIT,
			}
			.into(),
		);
	});
}

#[test]
fn acknowledgement_errors() {
	build_and_execute(|| {
		let service = tee_service();
		let user_signed = inference_service();
		let ack = |who: AccountId, service, signer| {
			ComputeEscrow::acknowledge_signer(RuntimeOrigin::signed(who), service, signer)
		};
		assert_noop!(ack(alice(), 99, eve()), Error::<Test>::ServiceNotFound);
		assert_noop!(ack(alice(), user_signed, eve()), Error::<Test>::NotTeeService);
		assert_noop!(ack(alice(), service, charlie()), Error::<Test>::SignerMismatch);
		// Eve (the enclave key, no balance) cannot pay the deposit.
		assert_noop!(ack(eve(), service, eve()), Error::<Test>::InsufficientFreeBalance);
		assert_ok!(ack(alice(), service, eve()));
		assert_noop!(ack(alice(), service, eve()), Error::<Test>::AlreadyAcknowledged);
		assert_ok!(ComputeEscrow::revoke_enclave(RuntimeOrigin::root(), eve()));
		assert_noop!(ack(bob(), service, eve()), Error::<Test>::EnclaveNotApproved);
		assert_noop!(
			ComputeEscrow::remove_acknowledgement(RuntimeOrigin::signed(bob()), service),
			Error::<Test>::NotAcknowledged
		);
	});
}

/// A user gets its deposit back even after the provider removed the service.
#[test]
fn an_acknowledgement_outlives_its_service() {
	build_and_execute(|| {
		let service = tee_service();
		acknowledge(&alice(), service, &eve());
		assert_ok!(ComputeEscrow::remove_service(RuntimeOrigin::signed(charlie()), service));
		assert_ok!(ComputeEscrow::remove_acknowledgement(RuntimeOrigin::signed(alice()), service));
		assert_eq!(free(&alice()), INITIAL_BALANCE);
	});
}
