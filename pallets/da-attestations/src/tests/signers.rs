//! `register_signer`, `update_signer`, `unregister_signer` and `withdraw_unbonded`.

use super::*;
use polkadot_sdk::frame_support::{assert_noop, assert_ok};

mod register_signer {
	use super::*;

	#[test]
	fn holds_the_stake_and_lists_the_signer() {
		build_and_execute(|| {
			register(&charlie(), 150);
			assert_eq!(held(HoldReason::SignerStake, &charlie()), 150);
			assert_eq!(free(&charlie()), INITIAL_BALANCE - 150);
			let info = Signers::<Test>::get(charlie()).unwrap();
			assert_eq!(info.stake, 150);
			assert_eq!(info.da_key, da_key(&charlie()));
			assert_eq!(info.endpoint, endpoint());
			assert_eq!(info.status, SignerStatus::Active);
			assert_eq!(ActiveSigners::<Test>::get().into_inner(), vec![(charlie(), 150)]);
			System::assert_last_event(
				Event::SignerRegistered {
					signer: charlie(),
					stake: 150,
					da_key: da_key(&charlie()),
				}
				.into(),
			);
		});
	}

	#[test]
	fn rejects_too_little_stake() {
		build_and_execute(|| {
			assert_noop!(
				DaAttestations::register_signer(
					RuntimeOrigin::signed(charlie()),
					MIN_STAKE - 1,
					da_key(&charlie()),
					endpoint()
				),
				Error::<Test>::StakeBelowMinimum
			);
		});
	}

	#[test]
	fn rejects_a_da_key_of_another_account() {
		build_and_execute(|| {
			assert_noop!(
				DaAttestations::register_signer(
					RuntimeOrigin::signed(charlie()),
					MIN_STAKE,
					da_key(&dave()),
					endpoint()
				),
				Error::<Test>::DaKeyNotSignerAccount
			);
		});
	}

	#[test]
	fn rejects_a_second_registration() {
		build_and_execute(|| {
			register(&charlie(), MIN_STAKE);
			assert_noop!(
				DaAttestations::register_signer(
					RuntimeOrigin::signed(charlie()),
					MIN_STAKE,
					da_key(&charlie()),
					endpoint()
				),
				Error::<Test>::AlreadyRegistered
			);
		});
	}

	#[test]
	fn rejects_an_empty_endpoint() {
		build_and_execute(|| {
			assert_noop!(
				DaAttestations::register_signer(
					RuntimeOrigin::signed(charlie()),
					MIN_STAKE,
					da_key(&charlie()),
					BoundedVec::new()
				),
				Error::<Test>::EmptyEndpoint
			);
		});
	}

	#[test]
	fn rejects_a_stake_above_the_free_balance() {
		build_and_execute(|| {
			assert_noop!(
				DaAttestations::register_signer(
					RuntimeOrigin::signed(charlie()),
					INITIAL_BALANCE + 1,
					da_key(&charlie()),
					endpoint()
				),
				Error::<Test>::InsufficientFreeBalance
			);
		});
	}

	#[test]
	fn rejects_more_than_max_signers() {
		build_and_execute(|| {
			let keys = [charlie(), dave()];
			for who in keys.iter().cloned().chain((0..EXTRA_SIGNERS).map(extra_signer)) {
				register(&who, MIN_STAKE);
			}
			assert_eq!(ActiveSigners::<Test>::get().len() as u32, MAX_SIGNERS);
			assert_noop!(
				DaAttestations::register_signer(
					RuntimeOrigin::signed(eve()),
					MIN_STAKE,
					da_key(&eve()),
					endpoint()
				),
				Error::<Test>::TooManySigners
			);
		});
	}
}

mod update_signer {
	use super::*;

	#[test]
	fn raises_the_stake_and_sets_the_endpoint() {
		build_and_execute(|| {
			register(&charlie(), MIN_STAKE);
			let new_endpoint = BoundedVec::truncate_from(b"https://elsewhere".to_vec());
			assert_ok!(DaAttestations::update_signer(
				RuntimeOrigin::signed(charlie()),
				MIN_STAKE + 50,
				new_endpoint.clone()
			));
			assert_eq!(held(HoldReason::SignerStake, &charlie()), MIN_STAKE + 50);
			let info = Signers::<Test>::get(charlie()).unwrap();
			assert_eq!(info.endpoint, new_endpoint);
			assert_eq!(ActiveSigners::<Test>::get()[0], (charlie(), MIN_STAKE + 50));
			System::assert_last_event(
				Event::SignerUpdated { signer: charlie(), stake: MIN_STAKE + 50 }.into(),
			);
		});
	}

	#[test]
	fn rejects_a_lower_stake() {
		build_and_execute(|| {
			register(&charlie(), MIN_STAKE + 10);
			assert_noop!(
				DaAttestations::update_signer(
					RuntimeOrigin::signed(charlie()),
					MIN_STAKE,
					endpoint()
				),
				Error::<Test>::StakeBelowCurrent
			);
		});
	}

	#[test]
	fn rejects_strangers_and_unbonding_signers() {
		build_and_execute(|| {
			assert_noop!(
				DaAttestations::update_signer(
					RuntimeOrigin::signed(alice()),
					MIN_STAKE,
					endpoint()
				),
				Error::<Test>::NotRegistered
			);
			register(&charlie(), MIN_STAKE);
			assert_ok!(DaAttestations::unregister_signer(RuntimeOrigin::signed(charlie())));
			assert_noop!(
				DaAttestations::update_signer(
					RuntimeOrigin::signed(charlie()),
					MIN_STAKE,
					endpoint()
				),
				Error::<Test>::SignerUnbonding
			);
		});
	}

	#[test]
	fn rejects_an_empty_endpoint_and_missing_funds() {
		build_and_execute(|| {
			register(&charlie(), MIN_STAKE);
			assert_noop!(
				DaAttestations::update_signer(
					RuntimeOrigin::signed(charlie()),
					MIN_STAKE,
					BoundedVec::new()
				),
				Error::<Test>::EmptyEndpoint
			);
			assert_noop!(
				DaAttestations::update_signer(
					RuntimeOrigin::signed(charlie()),
					INITIAL_BALANCE + 1,
					endpoint()
				),
				Error::<Test>::InsufficientFreeBalance
			);
		});
	}
}

mod unregister_and_withdraw {
	use super::*;

	#[test]
	fn unbonding_keeps_the_stake_until_the_period_ends() {
		build_and_execute(|| {
			register(&charlie(), MIN_STAKE);
			assert_ok!(DaAttestations::unregister_signer(RuntimeOrigin::signed(charlie())));
			let unlocks_at = 1 + UNBONDING;
			System::assert_last_event(
				Event::SignerUnregistered { signer: charlie(), unlocks_at }.into(),
			);
			assert!(ActiveSigners::<Test>::get().is_empty());
			assert_eq!(held(HoldReason::SignerStake, &charlie()), MIN_STAKE);

			run_to_block(unlocks_at - 1);
			assert_noop!(
				DaAttestations::withdraw_unbonded(RuntimeOrigin::signed(charlie())),
				Error::<Test>::UnbondingNotFinished
			);
			run_to_block(unlocks_at);
			assert_ok!(DaAttestations::withdraw_unbonded(RuntimeOrigin::signed(charlie())));
			System::assert_last_event(
				Event::StakeWithdrawn { signer: charlie(), stake: MIN_STAKE }.into(),
			);
			assert_eq!(held(HoldReason::SignerStake, &charlie()), 0);
			assert_eq!(free(&charlie()), INITIAL_BALANCE);
			assert!(Signers::<Test>::get(charlie()).is_none());
			// A withdrawn signer may register again.
			register(&charlie(), MIN_STAKE);
		});
	}

	#[test]
	fn unregister_rejects_strangers_and_repeats() {
		build_and_execute(|| {
			assert_noop!(
				DaAttestations::unregister_signer(RuntimeOrigin::signed(alice())),
				Error::<Test>::NotRegistered
			);
			register(&charlie(), MIN_STAKE);
			assert_ok!(DaAttestations::unregister_signer(RuntimeOrigin::signed(charlie())));
			assert_noop!(
				DaAttestations::unregister_signer(RuntimeOrigin::signed(charlie())),
				Error::<Test>::SignerUnbonding
			);
		});
	}

	#[test]
	fn withdraw_rejects_strangers_and_active_signers() {
		build_and_execute(|| {
			assert_noop!(
				DaAttestations::withdraw_unbonded(RuntimeOrigin::signed(alice())),
				Error::<Test>::NotRegistered
			);
			register(&charlie(), MIN_STAKE);
			assert_noop!(
				DaAttestations::withdraw_unbonded(RuntimeOrigin::signed(charlie())),
				Error::<Test>::NotUnbonding
			);
		});
	}

	#[test]
	fn an_unbonding_member_still_attests_for_its_quorum_but_is_not_drawn_again() {
		build_and_execute(|| {
			quorum_of(&[(charlie(), 100), (dave(), 100), (eve(), 100)]);
			let id = submit(&alice(), 1);
			assert_ok!(DaAttestations::unregister_signer(RuntimeOrigin::signed(charlie())));
			assert_eq!(attest(&charlie(), &[id]), vec![AttestOutcome::Attested]);
			run_to_next_epoch();
			assert!(!members(CurrentEpoch::<Test>::get()).contains(&charlie()));
		});
	}
}
