//! The reward pool: linear release to provers, unearned rewards at expiry, and what slashes do
//! not do to it.

use super::*;
use polkadot_sdk::frame_support::assert_ok;

/// The reward of the last `ChallengeProven` event.
fn last_reward() -> Balance {
	match last_event() {
		Event::ChallengeProven { reward, .. } => reward,
		other => panic!("expected ChallengeProven, got {other:?}"),
	}
}

#[test]
fn rewards_are_released_in_equal_parts_over_the_lifetime() {
	build_and_execute(|| {
		let file = TestFile::standard();
		register(&charlie());
		let id = submit_file(&alice(), &file);
		run_to_block(10);
		ack_all(id);
		let fee = file.fee();
		let mut paid = 0;
		// The file (expiring at 101) is challengeable in periods 2 to 9.
		for period in 2..=9u32 {
			run_to_block(10 * period as u64);
			let remaining = super::file(0).reward_remaining;
			let periods_left = (9 - period + 1) as Balance;
			assert_eq!(StorageCommitments::periods_left(101, 10 * period as u64), periods_left);
			assert_ok!(prove(&charlie(), period, &file));
			let reward = last_reward();
			assert_eq!(reward, remaining / periods_left);
			// Equal parts, up to rounding.
			assert!(reward >= fee / 8 && reward <= fee / 8 + 1, "period {period}: {reward}");
			paid += reward;
		}
		assert_eq!(paid, fee);
		assert_eq!(super::file(0).reward_remaining, 0);
		assert_eq!(pool_balance(), EXISTENTIAL_DEPOSIT);
		assert_eq!(free(&charlie()), INITIAL_BALANCE - MIN_STAKE + fee);
		assert_eq!(
			Pool::<Test>::get(),
			PoolTotals { fees_in: fee, rewards_out: fee, unearned_out: 0 }
		);

		run_to_block(101);
		System::assert_has_event(
			Event::FileExpired { id: 0, root: file.root, size: file.size(), unearned: 0 }.into(),
		);
	});
}

#[test]
fn unproven_periods_leave_their_share_to_later_proofs() {
	build_and_execute(|| {
		let file = TestFile::standard();
		// A stake large enough to stay above the minimum through a slash.
		register_offering(&charlie(), 10 * MIN_STAKE, CAPACITY);
		let id = submit_file(&alice(), &file);
		run_to_block(10);
		ack_all(id);
		run_to_block(20);
		assert_ok!(prove(&charlie(), 2, &file));
		let first = last_reward();
		// Period 3 is missed (and slashed; one miss keeps the replica); period 4 is proven.
		run_to_block(40);
		assert!(stake_held(&charlie()) < 10 * MIN_STAKE);
		assert_eq!(holders(id), vec![charlie()]);
		let remaining = super::file(0).reward_remaining;
		assert_eq!(remaining, file.fee() - first);
		assert_ok!(prove(&charlie(), 4, &file));
		// Six challengeable periods are left from period 4 (40, 50, ..., 90).
		assert_eq!(last_reward(), remaining / 6);
		assert!(last_reward() > first);
	});
}

#[test]
fn two_provers_of_one_file_in_one_period_share_what_is_left() {
	build_and_execute(|| {
		let file = TestFile::standard();
		register(&charlie());
		register(&dave());
		let id = submit_replicated(&alice(), &file, 2);
		run_to_block(10);
		ack_all(id);
		run_to_block(20);
		assert_ok!(prove(&charlie(), 2, &file));
		let charlie_reward = last_reward();
		assert_ok!(prove(&dave(), 2, &file));
		let dave_reward = last_reward();
		// Two replicas were paid for: twice the fee.
		let fee = 2 * file.fee();
		assert_eq!(charlie_reward, fee / 8);
		assert_eq!(dave_reward, (fee - charlie_reward) / 8);
		assert_eq!(super::file(0).reward_remaining, fee - charlie_reward - dave_reward);
	});
}

#[test]
fn unearned_rewards_leave_the_pool_when_the_file_expires() {
	build_and_execute(|| {
		let file = TestFile::standard();
		register(&charlie());
		let id = submit_file(&alice(), &file);
		run_to_block(10);
		ack_all(id);
		let issuance = Balances::total_issuance();

		run_to_block(1 + FILE_LIFETIME);

		assert!(!Files::<Test>::contains_key(0));
		assert_eq!(FileIndex::<Test>::get(file.root, file.size()), None);
		// UnearnedRewardDestination is `()`: burned; the pool keeps its endowment.
		assert_eq!(pool_balance(), EXISTENTIAL_DEPOSIT);
		// Charlie never proved: his slashes were burned too.
		let slashed: Balance = events()
			.iter()
			.filter_map(|event| match event {
				Event::ChallengeMissed { slashed, .. } => Some(*slashed),
				_ => None,
			})
			.sum();
		assert_eq!(Balances::total_issuance(), issuance - file.fee() - slashed);
		assert_eq!(Pool::<Test>::get().unearned_out, file.fee());
		System::assert_has_event(
			Event::FileExpired { id: 0, root: file.root, size: file.size(), unearned: file.fee() }
				.into(),
		);
	});
}

#[test]
fn the_fee_counts_whole_chunks() {
	build_and_execute(|| {
		assert_eq!(StorageCommitments::fee_for(1, 1).unwrap(), FEE_PER_CHUNK);
		assert_eq!(StorageCommitments::fee_for(256, 1).unwrap(), FEE_PER_CHUNK);
		assert_eq!(StorageCommitments::fee_for(257, 1).unwrap(), 2 * FEE_PER_CHUNK);
		assert_eq!(
			StorageCommitments::fee_for(MAX_FILE_SIZE, 1).unwrap(),
			(MAX_FILE_SIZE / CHUNK_SIZE as u64) as Balance * FEE_PER_CHUNK
		);
		// No fee paid yet: the pool account does not exist.
		assert_eq!(pool_balance(), 0);
	});
}
