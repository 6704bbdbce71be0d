//! A period's challenges spread over its first `ChallengeSpread` blocks: each block challenges
//! an even share of the providers queued at the period's first block, and each share's
//! deadline, proofs and slashes come `ResponseWindow` blocks after it.

use super::*;
use crate::mock::ChallengeSpread;
use polkadot_sdk::frame_support::{assert_noop, assert_ok, traits::Hooks};

/// Charlie, Dave, Eve and Ferdie register (in that order) and each acknowledges at least one
/// file submitted at block 1; runs to block 19, the last before period 2. The files, and who
/// holds each.
fn four_providers_with_files() -> Vec<(TestFile, Vec<AccountId>)> {
	let providers = [charlie(), dave(), eve(), ferdie()];
	for provider in &providers {
		register(provider);
	}
	let mut files = Vec::new();
	for seed in 0..4u8 {
		let file = TestFile::new(3000 + 100 * usize::from(seed), seed);
		submit_replicated(&alice(), &file, 3);
		files.push(file);
	}
	run_to_block(2);
	let mut held = Vec::new();
	for (id, file) in files.into_iter().enumerate() {
		ack_all(id as FileId);
		held.push((file, holders(id as FileId)));
	}
	for provider in &providers {
		assert!(
			held.iter().any(|(_, holders)| holders.contains(provider)),
			"{provider:?} holds a file"
		);
	}
	run_proving_to(19, &held);
	held
}

/// Runs to block `to` with every provider proving each challenge in the block that issued it,
/// as an honest provider's off-chain worker does.
fn run_proving_to(to: BlockNumber, files: &[(TestFile, Vec<AccountId>)]) {
	while System::block_number() < to {
		run_to_block(System::block_number() + 1);
		let open: Vec<_> = Challenges::<Test>::iter()
			.filter(|(_, _, challenge)| challenge.status == ChallengeStatus::Open)
			.collect();
		for (provider, period, _) in open {
			assert_ok!(prove_drawn(files, &provider, period));
		}
	}
}

/// `provider` proves its challenge of `period` with the file it was drawn on.
fn prove_drawn(
	files: &[(TestFile, Vec<AccountId>)],
	provider: &AccountId,
	period: PeriodIndex,
) -> DispatchResultWithPostInfo {
	let drawn = challenge_of(provider, period).root;
	let (file, _) = files.iter().find(|(file, _)| file.root == drawn).unwrap();
	prove(provider, period, file)
}

fn missed_in(period: PeriodIndex) -> Vec<AccountId> {
	events()
		.into_iter()
		.filter_map(|event| match event {
			Event::ChallengeMissed { provider, period: missed, .. } if missed == period => {
				Some(provider)
			},
			_ => None,
		})
		.collect()
}

#[test]
fn each_block_of_the_spread_challenges_a_share_with_its_own_deadline() {
	build_and_execute(|| {
		ChallengeSpread::set(3);
		let files = four_providers_with_files();

		// Four providers over three blocks: two, then one, then one, in registration order.
		run_to_block(20);
		assert_eq!(PeriodChallenges::<Test>::get(2).into_inner(), vec![charlie(), dave()]);
		assert_eq!(PendingChallenges::<Test>::get().into_inner(), vec![eve(), ferdie()]);
		let charlie_challenge = challenge_of(&charlie(), 2);
		assert_eq!(charlie_challenge.deadline, 20 + RESPONSE_WINDOW);
		run_to_block(21);
		assert_eq!(PendingChallenges::<Test>::get().into_inner(), vec![ferdie()]);
		assert_eq!(challenge_of(&eve(), 2).deadline, 21 + RESPONSE_WINDOW);
		run_to_block(22);
		assert!(PendingChallenges::<Test>::get().is_empty());
		assert_eq!(
			PeriodChallenges::<Test>::get(2).into_inner(),
			vec![charlie(), dave(), eve(), ferdie()]
		);
		assert_eq!(challenge_of(&ferdie(), 2).deadline, 22 + RESPONSE_WINDOW);
		run_to_block(24);
		assert_eq!(Challenges::<Test>::iter().count(), 4, "the spread is over");
		assert_eq!(StorageCommitments::period_deadline(2), 22 + RESPONSE_WINDOW);

		// Dave proves in time; Charlie does not.
		assert_ok!(prove_drawn(&files, &dave(), 2));
		run_to_block(25);
		assert_eq!(missed_in(2), vec![charlie()], "only the first share is due at block 25");
		assert_eq!(PeriodChallenges::<Test>::get(2).into_inner(), vec![eve(), ferdie()]);
		assert!(!Challenges::<Test>::contains_key(dave(), 2));
		assert_eq!(stake_held(&dave()), MIN_STAKE);
		assert!(stake_held(&charlie()) < MIN_STAKE);
		// Charlie's challenge is settled: his proof is late, not unknown. Eve's is still due.
		let (charlie_file, _) =
			files.iter().find(|(file, _)| file.root == charlie_challenge.root).unwrap();
		let index = charlie_challenge.chunk_index;
		assert_noop!(
			StorageCommitments::submit_proof(
				RuntimeOrigin::signed(charlie()),
				2,
				charlie_file.chunk(index),
				Box::new(charlie_file.proof(index))
			),
			Error::<Test>::ChallengeDeadlinePassed
		);
		assert_ok!(prove_drawn(&files, &eve(), 2));

		run_to_block(26);
		assert_eq!(missed_in(2), vec![charlie()]);
		assert_eq!(PeriodChallenges::<Test>::get(2).into_inner(), vec![ferdie()]);
		assert_eq!(stake_held(&eve()), MIN_STAKE);
		run_to_block(27);
		assert_eq!(missed_in(2), vec![charlie(), ferdie()]);
		assert!(!PeriodChallenges::<Test>::contains_key(2));
		assert_eq!(Challenges::<Test>::iter().count(), 0);

		// Period 3's first share is Charlie and Dave again; Charlie, slashed below the minimum
		// stake, is passed over.
		run_to_block(30);
		assert_eq!(PeriodChallenges::<Test>::get(3).into_inner(), vec![dave()]);
		assert_eq!(PendingChallenges::<Test>::get().into_inner(), vec![eve(), ferdie()]);
	});
}

#[test]
fn the_queue_is_fixed_at_the_period_start() {
	build_and_execute(|| {
		ChallengeSpread::set(3);
		four_providers_with_files();
		run_to_block(20);
		assert_eq!(PendingChallenges::<Test>::get().into_inner(), vec![eve(), ferdie()]);

		// Eve leaves before her block: she is not challenged. Leaving does not move Ferdie up.
		assert_ok!(StorageCommitments::unregister(RuntimeOrigin::signed(eve())));
		assert_eq!(PendingChallenges::<Test>::get().into_inner(), vec![eve(), ferdie()]);
		run_to_block(22);
		assert!(!Challenges::<Test>::contains_key(eve(), 2));
		assert!(Challenges::<Test>::contains_key(ferdie(), 2));
		assert_eq!(PeriodChallenges::<Test>::get(2).len(), 3);
	});
}

#[test]
fn a_provider_that_joins_during_the_spread_waits_for_the_next_period() {
	build_and_execute(|| {
		ChallengeSpread::set(3);
		register(&charlie());
		register(&dave());
		let id = submit_replicated(&alice(), &TestFile::standard(), 2);
		assign_and_ack(id);
		run_proving_to(19, &[(TestFile::standard(), holders(id))]);
		run_to_block(20);
		assert_eq!(PendingChallenges::<Test>::get().into_inner(), vec![dave()]);
		register(&eve());
		run_to_block(22);
		assert_eq!(PeriodChallenges::<Test>::get(2).into_inner(), vec![charlie(), dave()]);
		assert!(PendingChallenges::<Test>::get().is_empty());
	});
}

#[test]
fn hooks_outside_the_spread_issue_nothing() {
	build_and_execute(|| {
		ChallengeSpread::set(3);
		four_providers_with_files();
		run_to_block(22);
		let issued = Challenges::<Test>::iter().count();
		// Blocks 23 to 29 issue nothing; 25 to 27 only settle.
		for block in 23..30 {
			run_to_block(block);
			assert!(PendingChallenges::<Test>::get().is_empty());
		}
		assert_eq!(StorageCommitments::period_issuing_at(23), None);
		assert_eq!(StorageCommitments::period_issuing_at(22), Some(2));
		assert_eq!(StorageCommitments::period_due_at(27), Some(2));
		assert_eq!(StorageCommitments::period_due_at(28), None);
		assert!(issued > 0 && Challenges::<Test>::iter().count() == 0);
	});
}

#[test]
fn the_hook_is_weighed_by_its_share() {
	build_and_execute(|| {
		ChallengeSpread::set(3);
		four_providers_with_files();
		StorageCommitments::on_finalize(19);
		System::set_block_number(20);
		let first = StorageCommitments::on_initialize(20);
		StorageCommitments::on_finalize(20);
		System::set_block_number(21);
		let second = StorageCommitments::on_initialize(21);
		assert_eq!(
			first.saturating_sub(second),
			StorageCommitments::issue_challenges_weight(2)
				.saturating_sub(StorageCommitments::issue_challenges_weight(1))
		);
		assert_eq!(StorageCommitments::challenge_share(4), 2);
		assert_eq!(StorageCommitments::challenge_share(128), 43);
	});
}

#[test]
fn a_spread_of_no_block_or_more_than_a_period_is_refused() {
	for spread in [0, CHALLENGE_PERIOD + 1] {
		ChallengeSpread::set(spread);
		let refused = std::panic::catch_unwind(|| {
			new_test_ext().execute_with(<StorageCommitments as Hooks<BlockNumber>>::integrity_test)
		});
		assert!(refused.is_err(), "spread {spread}");
	}
	ChallengeSpread::set(CHALLENGE_PERIOD);
	new_test_ext().execute_with(<StorageCommitments as Hooks<BlockNumber>>::integrity_test);
}
