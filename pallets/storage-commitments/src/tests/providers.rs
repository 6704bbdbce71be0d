//! `register_provider`, `update_provider`, `unregister`, `withdraw_unbonded`.

use super::*;
use polkadot_sdk::frame_support::{assert_noop, assert_ok};

#[test]
fn register_holds_the_stake_and_lists_the_provider() {
	build_and_execute(|| {
		register(&charlie());

		assert_eq!(stake_held(&charlie()), MIN_STAKE);
		assert_eq!(free(&charlie()), INITIAL_BALANCE - MIN_STAKE);
		assert_eq!(ActiveProviders::<Test>::get().into_inner(), vec![charlie()]);
		let info = Providers::<Test>::get(charlie()).unwrap();
		assert_eq!(info.stake, MIN_STAKE);
		assert_eq!(info.endpoint, endpoint());
		assert_eq!(info.status, ProviderStatus::Active);
		System::assert_has_event(
			Event::ProviderRegistered { provider: charlie(), stake: MIN_STAKE }.into(),
		);
	});
}

#[test]
fn register_below_the_minimum_stake_fails() {
	build_and_execute(|| {
		assert_noop!(
			StorageCommitments::register_provider(
				RuntimeOrigin::signed(charlie()),
				MIN_STAKE - 1,
				endpoint()
			),
			Error::<Test>::StakeBelowMinimum
		);
	});
}

#[test]
fn register_without_an_endpoint_fails() {
	build_and_execute(|| {
		assert_noop!(
			StorageCommitments::register_provider(
				RuntimeOrigin::signed(charlie()),
				MIN_STAKE,
				Default::default()
			),
			Error::<Test>::EmptyEndpoint
		);
	});
}

#[test]
fn register_twice_fails() {
	build_and_execute(|| {
		register(&charlie());
		assert_noop!(
			StorageCommitments::register_provider(
				RuntimeOrigin::signed(charlie()),
				MIN_STAKE,
				endpoint()
			),
			Error::<Test>::AlreadyRegistered
		);
	});
}

#[test]
fn register_without_funds_for_the_stake_fails() {
	build_and_execute(|| {
		assert_noop!(
			StorageCommitments::register_provider(
				RuntimeOrigin::signed(charlie()),
				INITIAL_BALANCE + 1,
				endpoint()
			),
			Error::<Test>::InsufficientBalance
		);
	});
}

#[test]
fn register_beyond_the_provider_limit_fails() {
	build_and_execute(|| {
		for provider in [charlie(), dave(), eve(), ferdie()] {
			register(&provider);
		}
		assert_eq!(ActiveProviders::<Test>::get().len() as u32, MAX_PROVIDERS);
		assert_noop!(
			StorageCommitments::register_provider(
				RuntimeOrigin::signed(alice()),
				MIN_STAKE,
				endpoint()
			),
			Error::<Test>::TooManyProviders
		);
		// A provider leaving makes room.
		assert_ok!(StorageCommitments::unregister(RuntimeOrigin::signed(dave())));
		register(&alice());
	});
}

#[test]
fn update_moves_the_stake_both_ways_and_replaces_the_endpoint() {
	build_and_execute(|| {
		register(&charlie());
		let other = BoundedVec::truncate_from(b"https://other.example.org".to_vec());

		assert_ok!(StorageCommitments::update_provider(
			RuntimeOrigin::signed(charlie()),
			3 * MIN_STAKE,
			other.clone()
		));
		assert_eq!(stake_held(&charlie()), 3 * MIN_STAKE);
		assert_eq!(Providers::<Test>::get(charlie()).unwrap().endpoint, other);
		System::assert_last_event(
			Event::ProviderUpdated { provider: charlie(), stake: 3 * MIN_STAKE }.into(),
		);

		assert_ok!(StorageCommitments::update_provider(
			RuntimeOrigin::signed(charlie()),
			MIN_STAKE,
			endpoint()
		));
		assert_eq!(stake_held(&charlie()), MIN_STAKE);
		assert_eq!(free(&charlie()), INITIAL_BALANCE - MIN_STAKE);
	});
}

#[test]
fn update_rejects_what_register_rejects() {
	build_and_execute(|| {
		let update = |stake, endpoint| {
			StorageCommitments::update_provider(RuntimeOrigin::signed(charlie()), stake, endpoint)
		};
		assert_noop!(update(MIN_STAKE, endpoint()), Error::<Test>::ProviderNotRegistered);
		register(&charlie());
		assert_noop!(update(MIN_STAKE - 1, endpoint()), Error::<Test>::StakeBelowMinimum);
		assert_noop!(update(MIN_STAKE, Default::default()), Error::<Test>::EmptyEndpoint);
		assert_noop!(update(INITIAL_BALANCE + 1, endpoint()), Error::<Test>::InsufficientBalance);
		assert_ok!(StorageCommitments::unregister(RuntimeOrigin::signed(charlie())));
		assert_noop!(update(MIN_STAKE, endpoint()), Error::<Test>::ProviderUnbonding);
	});
}

#[test]
fn unregister_starts_unbonding_and_keeps_the_stake_held() {
	build_and_execute(|| {
		register(&charlie());
		assert_ok!(StorageCommitments::unregister(RuntimeOrigin::signed(charlie())));

		let unlocks_at = 1 + UNBONDING_PERIOD;
		assert!(ActiveProviders::<Test>::get().is_empty());
		assert_eq!(stake_held(&charlie()), MIN_STAKE);
		assert_eq!(
			Providers::<Test>::get(charlie()).unwrap().status,
			ProviderStatus::Unbonding { unlocks_at }
		);
		System::assert_last_event(
			Event::ProviderUnbonding { provider: charlie(), unlocks_at }.into(),
		);
	});
}

#[test]
fn unregister_rules() {
	build_and_execute(|| {
		let unregister = || StorageCommitments::unregister(RuntimeOrigin::signed(charlie()));
		assert_noop!(unregister(), Error::<Test>::ProviderNotRegistered);
		register(&charlie());
		assert_ok!(unregister());
		assert_noop!(unregister(), Error::<Test>::ProviderUnbonding);
		// An unbonding provider cannot register again before withdrawing.
		assert_noop!(
			StorageCommitments::register_provider(
				RuntimeOrigin::signed(charlie()),
				MIN_STAKE,
				endpoint()
			),
			Error::<Test>::ProviderUnbonding
		);
	});
}

#[test]
fn withdraw_releases_the_stake_only_after_the_unbonding_period() {
	build_and_execute(|| {
		let withdraw = || StorageCommitments::withdraw_unbonded(RuntimeOrigin::signed(charlie()));
		assert_noop!(withdraw(), Error::<Test>::ProviderNotRegistered);
		register(&charlie());
		assert_noop!(withdraw(), Error::<Test>::NotUnbonding);
		assert_ok!(StorageCommitments::unregister(RuntimeOrigin::signed(charlie())));
		run_to_block(UNBONDING_PERIOD);
		assert_noop!(withdraw(), Error::<Test>::UnbondingNotFinished);

		run_to_block(1 + UNBONDING_PERIOD);
		assert_ok!(withdraw());

		assert_eq!(stake_held(&charlie()), 0);
		assert_eq!(free(&charlie()), INITIAL_BALANCE);
		assert!(!Providers::<Test>::contains_key(charlie()));
		System::assert_last_event(
			Event::StakeWithdrawn { provider: charlie(), amount: MIN_STAKE }.into(),
		);
		// A fresh start is allowed.
		register(&charlie());
	});
}

#[test]
fn withdraw_waits_for_open_challenges() {
	build_and_execute(|| {
		challenged_setup();
		assert_ok!(StorageCommitments::unregister(RuntimeOrigin::signed(charlie())));
		// Jump past the unlock without running the hooks: the challenge of period 2 was never
		// settled, so the stake cannot leave yet.
		System::set_block_number(20 + UNBONDING_PERIOD);
		assert_noop!(
			StorageCommitments::withdraw_unbonded(RuntimeOrigin::signed(charlie())),
			Error::<Test>::ChallengesOpen
		);
	});
}

#[test]
fn an_unbonding_provider_is_not_challenged_but_answers_for_earlier_challenges() {
	build_and_execute(|| {
		challenged_setup();
		assert_ok!(StorageCommitments::unregister(RuntimeOrigin::signed(charlie())));

		run_to_block(20 + RESPONSE_WINDOW);
		// The challenge of period 2 was issued before leaving and missed: slashed.
		assert_eq!(stake_held(&charlie()), MIN_STAKE - MIN_STAKE / 10);
		run_to_block(30);
		assert!(!Challenges::<Test>::contains_key(charlie(), 3));

		run_to_block(20 + UNBONDING_PERIOD);
		assert_ok!(StorageCommitments::withdraw_unbonded(RuntimeOrigin::signed(charlie())));
		assert_eq!(free(&charlie()), INITIAL_BALANCE - MIN_STAKE / 10);
	});
}
