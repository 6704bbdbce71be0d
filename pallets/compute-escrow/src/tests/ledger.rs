//! `deposit`, `withdraw`, `fund_provider`, `request_refund`, `claim_refund`.

use super::*;
use polkadot_sdk::frame_support::{assert_noop, assert_ok};

mod deposit {
	use super::*;

	#[test]
	fn holds_funds_as_available() {
		build_and_execute(|| {
			assert_ok!(ComputeEscrow::deposit(RuntimeOrigin::signed(alice()), 500));
			assert_ok!(ComputeEscrow::deposit(RuntimeOrigin::signed(alice()), 250));

			assert_eq!(available(&alice()), 750);
			assert_eq!(held(HoldReason::Ledger, &alice()), 750);
			assert_eq!(free(&alice()), INITIAL_BALANCE - 750);
			System::assert_last_event(Event::Deposited { user: alice(), amount: 250 }.into());
		});
	}

	#[test]
	fn rejects_zero_and_more_than_free_balance() {
		build_and_execute(|| {
			assert_noop!(
				ComputeEscrow::deposit(RuntimeOrigin::signed(alice()), 0),
				Error::<Test>::ZeroAmount
			);
			assert_noop!(
				ComputeEscrow::deposit(RuntimeOrigin::signed(alice()), INITIAL_BALANCE + 1),
				Error::<Test>::InsufficientFreeBalance
			);
		});
	}
}

mod withdraw {
	use super::*;

	#[test]
	fn releases_available_funds() {
		build_and_execute(|| {
			assert_ok!(ComputeEscrow::deposit(RuntimeOrigin::signed(alice()), 500));
			assert_ok!(ComputeEscrow::withdraw(RuntimeOrigin::signed(alice()), 200));
			assert_eq!(available(&alice()), 300);
			assert_eq!(free(&alice()), INITIAL_BALANCE - 300);
			System::assert_last_event(Event::Withdrawn { user: alice(), amount: 200 }.into());

			// Withdrawing everything removes the ledger.
			assert_ok!(ComputeEscrow::withdraw(RuntimeOrigin::signed(alice()), 300));
			assert!(!Ledgers::<Test>::contains_key(alice()));
			assert_eq!(held(HoldReason::Ledger, &alice()), 0);
		});
	}

	#[test]
	fn rejects_more_than_available() {
		build_and_execute(|| {
			inference_service();
			fund(&alice(), &charlie(), 500, 400);
			// 500 are on hold, but only 100 are available: the rest belongs to Charlie's
			// sub-account.
			assert_noop!(
				ComputeEscrow::withdraw(RuntimeOrigin::signed(alice()), 101),
				Error::<Test>::InsufficientAvailableFunds
			);
			assert_noop!(
				ComputeEscrow::withdraw(RuntimeOrigin::signed(bob()), 1),
				Error::<Test>::InsufficientAvailableFunds
			);
			assert_noop!(
				ComputeEscrow::withdraw(RuntimeOrigin::signed(alice()), 0),
				Error::<Test>::ZeroAmount
			);
		});
	}
}

mod fund_provider {
	use super::*;

	#[test]
	fn moves_available_funds_to_sub_account() {
		build_and_execute(|| {
			inference_service();
			fund(&alice(), &charlie(), 500, 300);

			assert_eq!(available(&alice()), 200);
			assert_eq!(sub_account(&alice(), &charlie()).balance, 300);
			assert_eq!(held(HoldReason::Ledger, &alice()), 500);
			System::assert_last_event(
				Event::ProviderFunded { user: alice(), provider: charlie(), amount: 300 }.into(),
			);
		});
	}

	#[test]
	fn rejects_unregistered_provider() {
		build_and_execute(|| {
			assert_ok!(ComputeEscrow::deposit(RuntimeOrigin::signed(alice()), 500));
			assert_noop!(
				ComputeEscrow::fund_provider(RuntimeOrigin::signed(alice()), ferdie(), 100),
				Error::<Test>::ProviderNotRegistered
			);
		});
	}

	#[test]
	fn rejects_more_than_available_and_zero() {
		build_and_execute(|| {
			inference_service();
			assert_ok!(ComputeEscrow::deposit(RuntimeOrigin::signed(alice()), 500));
			assert_noop!(
				ComputeEscrow::fund_provider(RuntimeOrigin::signed(alice()), charlie(), 501),
				Error::<Test>::InsufficientAvailableFunds
			);
			assert_noop!(
				ComputeEscrow::fund_provider(RuntimeOrigin::signed(alice()), charlie(), 0),
				Error::<Test>::ZeroAmount
			);
		});
	}
}

mod request_refund {
	use super::*;

	#[test]
	fn moves_sub_account_funds_to_a_locked_refund() {
		build_and_execute(|| {
			inference_service();
			fund(&alice(), &charlie(), 500, 300);

			assert_ok!(ComputeEscrow::request_refund(
				RuntimeOrigin::signed(alice()),
				charlie(),
				120
			));
			assert_eq!(sub_account(&alice(), &charlie()).balance, 180);
			let unlocks_at = 1 + REFUND_LOCK;
			assert_eq!(
				pending_refunds(&alice()),
				vec![PendingRefund { provider: charlie(), amount: 120, unlocks_at }]
			);
			assert_eq!(available(&alice()), 200);
			assert_eq!(held(HoldReason::Ledger, &alice()), 500);
			System::assert_last_event(
				Event::RefundRequested {
					user: alice(),
					provider: charlie(),
					amount: 120,
					unlocks_at,
				}
				.into(),
			);
		});
	}

	#[test]
	fn rejects_more_than_the_sub_account_holds() {
		build_and_execute(|| {
			inference_service();
			fund(&alice(), &charlie(), 500, 300);
			assert_noop!(
				ComputeEscrow::request_refund(RuntimeOrigin::signed(alice()), charlie(), 301),
				Error::<Test>::InsufficientSubAccountFunds
			);
			assert_noop!(
				ComputeEscrow::request_refund(RuntimeOrigin::signed(alice()), dave(), 1),
				Error::<Test>::InsufficientSubAccountFunds
			);
			assert_noop!(
				ComputeEscrow::request_refund(RuntimeOrigin::signed(alice()), charlie(), 0),
				Error::<Test>::ZeroAmount
			);
		});
	}

	#[test]
	fn rejects_too_many_pending_refunds() {
		build_and_execute(|| {
			inference_service();
			fund(&alice(), &charlie(), 500, 300);
			for _ in 0..MAX_PENDING_REFUNDS {
				assert_ok!(ComputeEscrow::request_refund(
					RuntimeOrigin::signed(alice()),
					charlie(),
					10
				));
			}
			assert_noop!(
				ComputeEscrow::request_refund(RuntimeOrigin::signed(alice()), charlie(), 10),
				Error::<Test>::TooManyPendingRefunds
			);

			// Claiming unlocked refunds makes room again.
			run_to_block(1 + REFUND_LOCK);
			assert_ok!(ComputeEscrow::claim_refund(RuntimeOrigin::signed(alice())));
			assert_ok!(ComputeEscrow::request_refund(
				RuntimeOrigin::signed(alice()),
				charlie(),
				10
			));
		});
	}
}

mod claim_refund {
	use super::*;

	#[test]
	fn rejects_refund_before_unlock() {
		build_and_execute(|| {
			inference_service();
			fund(&alice(), &charlie(), 500, 300);
			assert_ok!(ComputeEscrow::request_refund(
				RuntimeOrigin::signed(alice()),
				charlie(),
				100
			));

			run_to_block(REFUND_LOCK); // one block before the refund unlocks
			assert_noop!(
				ComputeEscrow::claim_refund(RuntimeOrigin::signed(alice())),
				Error::<Test>::NoRefundUnlocked
			);
			assert_noop!(
				ComputeEscrow::claim_refund(RuntimeOrigin::signed(bob())),
				Error::<Test>::NoRefundUnlocked
			);
		});
	}

	#[test]
	fn returns_only_unlocked_refunds_to_available() {
		build_and_execute(|| {
			inference_service();
			fund(&alice(), &charlie(), 500, 300);
			assert_ok!(ComputeEscrow::request_refund(
				RuntimeOrigin::signed(alice()),
				charlie(),
				100
			));
			run_to_block(4);
			assert_ok!(ComputeEscrow::request_refund(
				RuntimeOrigin::signed(alice()),
				charlie(),
				50
			));

			run_to_block(1 + REFUND_LOCK);
			assert_ok!(ComputeEscrow::claim_refund(RuntimeOrigin::signed(alice())));
			assert_eq!(available(&alice()), 300);
			assert_eq!(
				pending_refunds(&alice()),
				vec![PendingRefund {
					provider: charlie(),
					amount: 50,
					unlocks_at: 4 + REFUND_LOCK
				}]
			);
			System::assert_last_event(Event::RefundClaimed { user: alice(), amount: 100 }.into());

			// The claimed funds can now leave the ledger.
			assert_ok!(ComputeEscrow::withdraw(RuntimeOrigin::signed(alice()), 300));
			assert_eq!(held(HoldReason::Ledger, &alice()), 200);
		});
	}
}
