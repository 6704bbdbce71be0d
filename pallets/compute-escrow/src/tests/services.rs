//! `register_service`, `update_service`, `remove_service`.

use super::*;
use codec::{Decode, Encode};
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok},
	sp_runtime::DispatchResult,
};

mod register_service {
	use super::*;

	#[test]
	fn holds_stake_and_lists_service() {
		build_and_execute(|| {
			let id = inference_service();

			let service = Services::<Test>::get(id).unwrap();
			assert_eq!(service.provider, charlie());
			assert_eq!(service.kind, ServiceKind::Inference);
			assert_eq!(service.model, model());
			assert_eq!(service.endpoint, endpoint());
			assert_eq!(service.input_price_per_token, INPUT_PRICE);
			assert_eq!(service.output_price_per_token, OUTPUT_PRICE);
			assert_eq!(service.stake, MIN_STAKE);
			assert_eq!(held(HoldReason::ServiceStake, &charlie()), MIN_STAKE);
			assert_eq!(free(&charlie()), INITIAL_BALANCE - MIN_STAKE);
			assert_eq!(ProviderServices::<Test>::get(charlie()).into_inner(), vec![id]);
			assert_eq!(NextServiceId::<Test>::get(), id + 1);
			System::assert_last_event(
				Event::ServiceRegistered {
					service: id,
					provider: charlie(),
					kind: ServiceKind::Inference,
					stake: MIN_STAKE,
				}
				.into(),
			);
		});
	}

	#[test]
	fn stores_enclave_key() {
		build_and_execute(|| {
			let id = tee_service();
			assert_eq!(
				Services::<Test>::get(id).unwrap().verifiability,
				Verifiability::Tee { signer: eve() }
			);
		});
	}

	/// The attack of issue 15: a provider declares a key it holds its service's "enclave" key.
	/// Only a key governance approved (after checking its attestation) can be named.
	#[test]
	fn refuses_an_enclave_key_governance_did_not_approve() {
		build_and_execute(|| {
			// Charlie names its own key as the enclave's.
			let self_declared = |kind| {
				ComputeEscrow::register_service(
					RuntimeOrigin::signed(charlie()),
					kind,
					model(),
					endpoint(),
					INPUT_PRICE,
					OUTPUT_PRICE,
					Verifiability::Tee { signer: charlie() },
					MIN_STAKE,
				)
			};
			assert_noop!(self_declared(ServiceKind::Inference), Error::<Test>::EnclaveNotApproved);
			// Once approved the key can be named; once revoked, no longer.
			approve(&charlie());
			assert_ok!(self_declared(ServiceKind::Inference));
			assert_ok!(ComputeEscrow::revoke_enclave(RuntimeOrigin::root(), charlie()));
			assert_noop!(self_declared(ServiceKind::Job), Error::<Test>::EnclaveNotApproved);
		});
	}

	#[test]
	fn rejects_stake_below_minimum() {
		build_and_execute(|| {
			assert_noop!(
				ComputeEscrow::register_service(
					RuntimeOrigin::signed(charlie()),
					ServiceKind::Inference,
					model(),
					endpoint(),
					INPUT_PRICE,
					OUTPUT_PRICE,
					Verifiability::None,
					MIN_STAKE - 1,
				),
				Error::<Test>::StakeBelowMinimum
			);
		});
	}

	#[test]
	fn rejects_stake_the_free_balance_cannot_cover() {
		build_and_execute(|| {
			// Keeping the existential deposit, the whole balance cannot go on hold.
			assert_noop!(
				ComputeEscrow::register_service(
					RuntimeOrigin::signed(charlie()),
					ServiceKind::Inference,
					model(),
					endpoint(),
					INPUT_PRICE,
					OUTPUT_PRICE,
					Verifiability::None,
					INITIAL_BALANCE,
				),
				Error::<Test>::InsufficientFreeBalance
			);
			// An account without funds cannot stake at all.
			assert_noop!(
				ComputeEscrow::register_service(
					RuntimeOrigin::signed(eve()),
					ServiceKind::Inference,
					model(),
					endpoint(),
					INPUT_PRICE,
					OUTPUT_PRICE,
					Verifiability::None,
					MIN_STAKE,
				),
				Error::<Test>::InsufficientFreeBalance
			);
		});
	}

	#[test]
	fn rejects_empty_model_and_endpoint() {
		build_and_execute(|| {
			let register = |model: Vec<u8>, endpoint: Vec<u8>| {
				ComputeEscrow::register_service(
					RuntimeOrigin::signed(charlie()),
					ServiceKind::Job,
					BoundedVec::truncate_from(model),
					BoundedVec::truncate_from(endpoint),
					INPUT_PRICE,
					OUTPUT_PRICE,
					Verifiability::None,
					MIN_STAKE,
				)
			};
			assert_noop!(register(vec![], b"http://x".to_vec()), Error::<Test>::EmptyModel);
			assert_noop!(register(b"m".to_vec(), vec![]), Error::<Test>::EmptyEndpoint);
		});
	}

	#[test]
	fn rejects_more_services_than_allowed() {
		build_and_execute(|| {
			for _ in 0..MAX_SERVICES {
				inference_service();
			}
			assert_noop!(
				ComputeEscrow::register_service(
					RuntimeOrigin::signed(charlie()),
					ServiceKind::Inference,
					model(),
					endpoint(),
					INPUT_PRICE,
					OUTPUT_PRICE,
					Verifiability::None,
					MIN_STAKE,
				),
				Error::<Test>::TooManyServices
			);
		});
	}

	#[test]
	fn oversized_model_fails_to_decode() {
		build_and_execute(|| {
			// The call as a client would encode it, with a plain vector as the model: the bound
			// is enforced when the call is decoded, before it can be dispatched.
			let encoded_call = |model: Vec<u8>| {
				(
					2u8, // pallet index of ComputeEscrow in the mock
					0u8, // call index of register_service
					ServiceKind::Inference,
					model,
					endpoint(),
					INPUT_PRICE,
					OUTPUT_PRICE,
					Verifiability::<AccountId>::None,
					MIN_STAKE,
				)
					.encode()
			};
			let longest = encoded_call(vec![b'm'; 64]);
			assert!(matches!(
				RuntimeCall::decode(&mut &longest[..]),
				Ok(RuntimeCall::ComputeEscrow(Call::register_service { .. }))
			));
			let too_long = encoded_call(vec![b'm'; 65]);
			assert!(RuntimeCall::decode(&mut &too_long[..]).is_err());
		});
	}
}

mod update_service {
	use super::*;

	fn update(id: ServiceId, who: AccountId, stake: Balance) -> DispatchResult {
		ComputeEscrow::update_service(
			RuntimeOrigin::signed(who),
			id,
			BoundedVec::truncate_from(b"llama-3-70b".to_vec()),
			BoundedVec::truncate_from(b"https://new.example.org".to_vec()),
			5,
			7,
			Verifiability::None,
			stake,
		)
	}

	#[test]
	fn changes_terms_and_moves_stake() {
		build_and_execute(|| {
			let id = inference_service();

			assert_ok!(update(id, charlie(), 3 * MIN_STAKE));
			let service = Services::<Test>::get(id).unwrap();
			assert_eq!(service.model.into_inner(), b"llama-3-70b".to_vec());
			assert_eq!(service.input_price_per_token, 5);
			assert_eq!(service.output_price_per_token, 7);
			assert_eq!(service.verifiability, Verifiability::None);
			assert_eq!(service.kind, ServiceKind::Inference);
			assert_eq!(held(HoldReason::ServiceStake, &charlie()), 3 * MIN_STAKE);
			System::assert_last_event(
				Event::ServiceUpdated { service: id, provider: charlie(), stake: 3 * MIN_STAKE }
					.into(),
			);

			assert_ok!(update(id, charlie(), MIN_STAKE));
			assert_eq!(held(HoldReason::ServiceStake, &charlie()), MIN_STAKE);
			assert_eq!(free(&charlie()), INITIAL_BALANCE - MIN_STAKE);
		});
	}

	/// The attack: a provider whose users funded it switches the live service to an "enclave"
	/// key it holds itself and signs receipts that drain their sub-accounts. The switch is
	/// refused in every direction, and a receipt the provider signs stays unpayable.
	#[test]
	fn refuses_to_change_who_signs_the_receipts() {
		build_and_execute(|| {
			let user_signed = inference_service();
			fund(&alice(), &charlie(), 1_000, 1_000);
			let switch = |id, verifiability| {
				ComputeEscrow::update_service(
					RuntimeOrigin::signed(charlie()),
					id,
					model(),
					endpoint(),
					INPUT_PRICE,
					OUTPUT_PRICE,
					verifiability,
					MIN_STAKE,
				)
			};
			assert_noop!(
				switch(user_signed, Verifiability::Tee { signer: charlie() }),
				Error::<Test>::VerifiabilityFixed
			);
			let enclave = tee_service();
			assert_noop!(switch(enclave, Verifiability::None), Error::<Test>::VerifiabilityFixed);
			assert_noop!(
				switch(enclave, Verifiability::Tee { signer: charlie() }),
				Error::<Test>::VerifiabilityFixed
			);
			// The same verifiability is accepted with the other terms.
			assert_ok!(switch(enclave, Verifiability::Tee { signer: eve() }));

			let forged = sign(Sr25519Keyring::Charlie, receipt(&alice(), user_signed, 1, 10, 10));
			assert_eq!(settle(user_signed, vec![forged]), vec![ReceiptOutcome::BadSignature]);
			assert_eq!(sub_account(&alice(), &charlie()).balance, 1_000);
		});
	}

	#[test]
	fn rejects_unknown_service_stranger_and_low_stake() {
		build_and_execute(|| {
			let id = inference_service();
			assert_noop!(update(id + 1, charlie(), MIN_STAKE), Error::<Test>::ServiceNotFound);
			assert_noop!(update(id, ferdie(), MIN_STAKE), Error::<Test>::NotServiceProvider);
			assert_noop!(update(id, charlie(), MIN_STAKE - 1), Error::<Test>::StakeBelowMinimum);
			assert_noop!(
				update(id, charlie(), INITIAL_BALANCE),
				Error::<Test>::InsufficientFreeBalance
			);
		});
	}
}

mod remove_service {
	use super::*;

	#[test]
	fn releases_stake() {
		build_and_execute(|| {
			let first = inference_service();
			let second = job_service();

			assert_ok!(ComputeEscrow::remove_service(RuntimeOrigin::signed(charlie()), first));
			assert!(!Services::<Test>::contains_key(first));
			assert_eq!(ProviderServices::<Test>::get(charlie()).into_inner(), vec![second]);
			assert_eq!(held(HoldReason::ServiceStake, &charlie()), MIN_STAKE);
			System::assert_last_event(
				Event::ServiceRemoved {
					service: first,
					provider: charlie(),
					stake_released: MIN_STAKE,
				}
				.into(),
			);

			assert_ok!(ComputeEscrow::remove_service(RuntimeOrigin::signed(charlie()), second));
			assert!(!ProviderServices::<Test>::contains_key(charlie()));
			assert_eq!(free(&charlie()), INITIAL_BALANCE);
		});
	}

	#[test]
	fn rejects_service_with_open_jobs() {
		build_and_execute(|| {
			let service = job_service();
			let job = create_job_for(&alice(), service, 100, MIN_JOB_DURATION);
			assert_noop!(
				ComputeEscrow::remove_service(RuntimeOrigin::signed(charlie()), service),
				Error::<Test>::ServiceHasOpenJobs
			);

			// Still blocked while the result is in review, free again once it is accepted.
			submit(job, 40);
			assert_noop!(
				ComputeEscrow::remove_service(RuntimeOrigin::signed(charlie()), service),
				Error::<Test>::ServiceHasOpenJobs
			);
			assert_ok!(ComputeEscrow::accept_result(RuntimeOrigin::signed(alice()), job));
			assert_ok!(ComputeEscrow::remove_service(RuntimeOrigin::signed(charlie()), service));
		});
	}

	#[test]
	fn rejects_unknown_service_and_stranger() {
		build_and_execute(|| {
			let id = inference_service();
			assert_noop!(
				ComputeEscrow::remove_service(RuntimeOrigin::signed(charlie()), id + 1),
				Error::<Test>::ServiceNotFound
			);
			assert_noop!(
				ComputeEscrow::remove_service(RuntimeOrigin::signed(ferdie()), id),
				Error::<Test>::NotServiceProvider
			);
		});
	}
}
