//! Challenges: issuing them in `on_initialize`, `submit_proof`, and slashing missed deadlines.

use super::*;
use polkadot_sdk::frame_support::{assert_noop, assert_ok, dispatch::Pays};

#[test]
fn a_file_is_challenged_once_its_provider_acknowledged_it() {
	build_and_execute(|| {
		let file = TestFile::standard();
		register(&charlie());
		let id = submit_file(&alice(), &file);

		run_to_block(10);
		// Assigned at block 2 but not acknowledged: nothing to challenge in period 1.
		assert_eq!(holders(id), vec![charlie()]);
		assert!(!Challenges::<Test>::contains_key(charlie(), 1));
		ack_all(id);

		run_to_block(11);
		assert_eq!(ActiveFileCount::<Test>::get(), 1);
		System::assert_has_event(Event::FileActivated { id: 0 }.into());

		run_to_block(20);
		let challenge = challenge_of(&charlie(), 2);
		assert_eq!(
			(challenge.file_id, challenge.root, challenge.size),
			(0, file.root, file.size())
		);
		assert!(challenge.chunk_index < chunk_count(file.size()));
		assert_eq!(challenge.deadline, 20 + RESPONSE_WINDOW);
		assert_eq!(challenge.status, ChallengeStatus::Open);
		assert_eq!(PeriodChallenges::<Test>::get(2).into_inner(), vec![charlie()]);
		assert_eq!(Providers::<Test>::get(charlie()).unwrap().open_challenges, 1);
		System::assert_has_event(
			Event::ChallengeIssued {
				provider: charlie(),
				period: 2,
				file_id: 0,
				chunk_index: challenge.chunk_index,
				deadline: 25,
			}
			.into(),
		);
		assert_eq!(StorageCommitments::open_challenges(&charlie()), vec![(2, challenge)]);
	});
}

#[test]
fn without_files_nobody_is_challenged() {
	build_and_execute(|| {
		register(&charlie());
		run_to_block(30);
		assert_eq!(Challenges::<Test>::iter().count(), 0);
		assert_eq!(PeriodChallenges::<Test>::iter().count(), 0);
	});
}

#[test]
fn every_staked_active_provider_is_challenged_each_period() {
	build_and_execute(|| {
		register(&charlie());
		register(&dave());
		let first = submit_replicated(&alice(), &TestFile::standard(), 2);
		let second = submit_replicated(&alice(), &TestFile::new(5000, 9), 2);
		run_to_block(10);
		ack_all(first);
		ack_all(second);
		run_to_block(20);
		assert!(Challenges::<Test>::contains_key(charlie(), 2));
		assert!(Challenges::<Test>::contains_key(dave(), 2));
		assert_eq!(PeriodChallenges::<Test>::get(2).len(), 2);
	});
}

#[test]
fn a_valid_proof_is_accepted_paid_and_free_of_charge() {
	build_and_execute(|| {
		let file = challenged_setup();

		let result = prove(&charlie(), 2, &file);

		assert_ok!(result);
		assert_eq!(result.unwrap().pays_fee, Pays::No);
		// Period 2 starts at 20; the file (expiring at 101) is challengeable in the periods
		// starting at 20, 30, ..., 90: eight of them.
		let reward = file.fee() / 8;
		assert_eq!(free(&charlie()), INITIAL_BALANCE - MIN_STAKE + reward);
		assert_eq!(super::file(0).reward_remaining, file.fee() - reward);
		assert_eq!(pool_balance(), EXISTENTIAL_DEPOSIT + file.fee() - reward);
		assert_eq!(challenge_of(&charlie(), 2).status, ChallengeStatus::Proven);
		assert!(StorageCommitments::open_challenges(&charlie()).is_empty());
		System::assert_last_event(
			Event::ChallengeProven { provider: charlie(), period: 2, file_id: 0, reward }.into(),
		);
	});
}

#[test]
fn the_last_chunk_is_proven_without_its_padding() {
	build_and_execute(|| {
		// A file of one short chunk: the challenge can only ask for it.
		let file = TestFile::new(44, 3);
		register(&charlie());
		let id = submit_file(&alice(), &file);
		run_to_block(10);
		ack_all(id);
		run_to_block(20);
		assert_eq!(challenge_of(&charlie(), 2).chunk_index, 0);
		assert_eq!(file.chunk(0).len(), 44);
		assert_ok!(prove(&charlie(), 2, &file));
	});
}

#[test]
fn a_proof_of_another_chunk_is_rejected() {
	build_and_execute(|| {
		let file = challenged_setup();
		let other = (challenge_of(&charlie(), 2).chunk_index + 1) % chunk_count(file.size());
		assert_noop!(
			StorageCommitments::submit_proof(
				RuntimeOrigin::signed(charlie()),
				2,
				file.chunk(other),
				Box::new(file.proof(other))
			),
			Error::<Test>::ProofForWrongChunk
		);
	});
}

#[test]
fn a_proof_with_wrong_bytes_is_rejected() {
	build_and_execute(|| {
		let file = challenged_setup();
		let index = challenge_of(&charlie(), 2).chunk_index;
		let mut bytes = file.chunk(index).into_inner();
		bytes[0] ^= 1;
		assert_noop!(
			StorageCommitments::submit_proof(
				RuntimeOrigin::signed(charlie()),
				2,
				BoundedVec::try_from(bytes).unwrap(),
				Box::new(file.proof(index))
			),
			Error::<Test>::ProofMismatch
		);
		// The right chunk with a proof from another file of the same shape.
		let twin = TestFile::new(file.data.len(), 77);
		assert_noop!(
			StorageCommitments::submit_proof(
				RuntimeOrigin::signed(charlie()),
				2,
				file.chunk(index),
				Box::new(twin.proof(index))
			),
			Error::<Test>::ProofMismatch
		);
	});
}

#[test]
fn a_chunk_of_the_wrong_length_is_rejected() {
	build_and_execute(|| {
		let file = challenged_setup();
		let index = challenge_of(&charlie(), 2).chunk_index;
		let mut bytes = file.chunk(index).into_inner();
		bytes.pop();
		assert_noop!(
			StorageCommitments::submit_proof(
				RuntimeOrigin::signed(charlie()),
				2,
				BoundedVec::try_from(bytes).unwrap(),
				Box::new(file.proof(index))
			),
			Error::<Test>::ChunkLengthMismatch
		);
	});
}

#[test]
fn a_second_proof_is_rejected() {
	build_and_execute(|| {
		let file = challenged_setup();
		assert_ok!(prove(&charlie(), 2, &file));
		assert_noop!(prove(&charlie(), 2, &file), Error::<Test>::ChallengeAlreadyProven);
	});
}

#[test]
fn a_late_proof_is_rejected() {
	build_and_execute(|| {
		let file = challenged_setup();
		let index = challenge_of(&charlie(), 2).chunk_index;
		run_to_block(20 + RESPONSE_WINDOW - 1);
		assert_ok!(prove(&charlie(), 2, &file));

		// Dave's challenge of period 3, on the only file he holds, goes unanswered until its
		// deadline.
		register(&dave());
		let dave_file = TestFile::new(5000, 9);
		let dave_id = submit_replicated(&alice(), &dave_file, 2);
		assign_and_ack(dave_id);
		run_to_block(30);
		let dave_index = challenge_of(&dave(), 3).chunk_index;
		run_to_block(30 + RESPONSE_WINDOW);
		assert_noop!(
			StorageCommitments::submit_proof(
				RuntimeOrigin::signed(dave()),
				3,
				dave_file.chunk(dave_index),
				Box::new(dave_file.proof(dave_index))
			),
			Error::<Test>::ChallengeDeadlinePassed
		);
		// A proof for an old period is late even though nothing is stored for it any more.
		assert_noop!(
			StorageCommitments::submit_proof(
				RuntimeOrigin::signed(charlie()),
				2,
				file.chunk(index),
				Box::new(file.proof(index))
			),
			Error::<Test>::ChallengeDeadlinePassed
		);
	});
}

#[test]
fn a_proof_without_a_challenge_is_rejected() {
	build_and_execute(|| {
		let file = challenged_setup();
		let index = challenge_of(&charlie(), 2).chunk_index;
		let proof_for = |who: AccountId, period| {
			StorageCommitments::submit_proof(
				RuntimeOrigin::signed(who),
				period,
				file.chunk(index),
				Box::new(file.proof(index)),
			)
		};
		// Dave is no provider; period 3 has not started.
		assert_noop!(proof_for(dave(), 2), Error::<Test>::ChallengeNotFound);
		assert_noop!(proof_for(charlie(), 3), Error::<Test>::ChallengeNotFound);
	});
}

#[test]
fn a_missed_challenge_slashes_the_stake() {
	build_and_execute(|| {
		challenged_setup();
		let issuance = Balances::total_issuance();
		let pool = pool_balance();

		run_to_block(20 + RESPONSE_WINDOW - 1);
		assert_eq!(stake_held(&charlie()), MIN_STAKE);

		run_to_block(20 + RESPONSE_WINDOW);
		let slashed = MIN_STAKE / 10; // SlashFraction is 10%
		assert_eq!(stake_held(&charlie()), MIN_STAKE - slashed);
		assert_eq!(Providers::<Test>::get(charlie()).unwrap().stake, MIN_STAKE - slashed);
		// SlashDestination is `()`: burned, and the pool does not change.
		assert_eq!(Balances::total_issuance(), issuance - slashed);
		assert_eq!(pool_balance(), pool);
		assert!(!Challenges::<Test>::contains_key(charlie(), 2));
		assert!(!PeriodChallenges::<Test>::contains_key(2));
		assert_eq!(Providers::<Test>::get(charlie()).unwrap().open_challenges, 0);
		System::assert_has_event(
			Event::ChallengeMissed { provider: charlie(), period: 2, file_id: 0, slashed }.into(),
		);
		// One miss is counted on the replica, which Charlie keeps.
		assert!(MissedChallenges::<Test>::get().is_empty());
		let replica = Replicas::<Test>::get(0).unwrap().holders[0].clone();
		assert_eq!((replica.provider, replica.missed), (charlie(), 1));
	});
}

#[test]
fn a_replica_missed_twice_in_a_row_is_released() {
	build_and_execute(|| {
		let file = TestFile::standard();
		// A stake that stays above the minimum through two slashes.
		register_offering(&charlie(), 10 * MIN_STAKE, CAPACITY);
		let id = submit_file(&alice(), &file);
		run_to_block(10);
		ack_all(id);
		// Period 2 missed, period 3 proven: the run of misses starts over.
		run_to_block(30);
		assert_ok!(prove(&charlie(), 3, &file));
		assert_eq!(Replicas::<Test>::get(id).unwrap().holders[0].missed, 0);
		// Periods 4 and 5 missed: presumed lost, released with the second miss.
		run_to_block(50 + RESPONSE_WINDOW - 1);
		assert_eq!(holders(id), vec![charlie()]);
		run_to_block(50 + RESPONSE_WINDOW);
		assert!(holders(id).is_empty());
		assert_eq!(AckedFileCount::<Test>::get(charlie()), 0);
		assert_eq!(ProviderCapacity::<Test>::get(charlie()).used, 0);
		System::assert_has_event(
			Event::ReplicaReleased { file_id: id, provider: charlie() }.into(),
		);
		// No copy is left to fetch from: nobody is assigned it again.
		assert!(AssignmentQueue::<Test>::get().is_empty());
	});
}

#[test]
fn a_provider_that_lost_a_replica_by_misses_is_not_given_it_again() {
	build_and_execute(|| {
		let file = TestFile::standard();
		register_offering(&charlie(), 10 * MIN_STAKE, CAPACITY);
		register_offering(&dave(), 10 * MIN_STAKE, CAPACITY);
		let id = submit_replicated(&alice(), &file, 2);
		run_to_block(10);
		ack_all(id);
		// Dave proves periods 2 and 3; Charlie misses both and loses his replica.
		for period in 2..=3 {
			run_to_block(10 * period as u64);
			assert_ok!(prove(&dave(), period, &file));
		}
		run_to_block(30 + RESPONSE_WINDOW);
		System::assert_has_event(
			Event::ReplicaReleased { file_id: id, provider: charlie() }.into(),
		);
		assert_eq!(FailedReplicas::<Test>::get(id).into_inner(), vec![charlie()]);
		// Dave's copy is left, so the file was queued and drawn again in the same block:
		// Charlie, the only other provider, is passed over and the file stays short.
		assert_eq!(holders(id), vec![dave()]);
		System::assert_has_event(
			Event::FileUnderReplicated { file_id: id, assigned: 1, wanted: 2 }.into(),
		);
		// The memory of the failure leaves with the file (it expires at block 101).
		run_to_block(120);
		assert!(!Files::<Test>::contains_key(id));
		assert!(!FailedReplicas::<Test>::contains_key(id));
	});
}

#[test]
fn a_proven_challenge_is_not_slashed() {
	build_and_execute(|| {
		let file = challenged_setup();
		assert_ok!(prove(&charlie(), 2, &file));
		run_to_block(20 + RESPONSE_WINDOW);
		assert_eq!(stake_held(&charlie()), MIN_STAKE);
		assert!(!Challenges::<Test>::contains_key(charlie(), 2));
		assert!(!events().iter().any(|event| matches!(event, Event::ChallengeMissed { .. })));
	});
}

#[test]
fn an_understaked_provider_is_skipped_until_it_tops_up() {
	build_and_execute(|| {
		challenged_setup();
		// A second file, which Charlie keeps after losing the first to the miss at block 25.
		let second = submit_file(&alice(), &TestFile::new(5000, 9));
		assign_and_ack(second);
		run_to_block(30);
		// Slashed to 900 < MIN_STAKE at block 25: no challenge in period 3.
		assert!(!Challenges::<Test>::contains_key(charlie(), 3));
		assert_ok!(StorageCommitments::update_provider(
			RuntimeOrigin::signed(charlie()),
			MIN_STAKE,
			endpoint()
		));
		run_to_block(40);
		assert!(Challenges::<Test>::contains_key(charlie(), 4));
	});
}

#[test]
fn a_file_expiring_before_the_deadline_is_not_challenged() {
	build_and_execute(|| {
		let file = TestFile::standard();
		register(&charlie());
		let id = submit_file(&alice(), &file);
		run_to_block(10);
		ack_all(id);
		for period in 2..=9 {
			run_to_block(10 * period as u64);
			assert_ok!(prove(&charlie(), period, &file));
		}
		// Period 10 starts at 100; the file expires at 101, before the deadline 105.
		run_to_block(100);
		assert!(!Challenges::<Test>::contains_key(charlie(), 10));
	});
}

#[test]
fn an_expired_file_hit_by_a_draw_is_not_challenged_and_the_sweep_removes_it() {
	build_and_execute(|| {
		let file = TestFile::standard();
		register(&charlie());
		let id = submit_file(&alice(), &file);
		assign_and_ack(id);
		run_to_block(11);
		assert_eq!(ActiveFileCount::<Test>::get(), 1);
		// Skip the hooks (and the sweep) until just before a period start past the expiry.
		System::set_block_number(109);
		run_to_block(110);
		assert_eq!(ActiveFileCount::<Test>::get(), 0);
		assert!(!Files::<Test>::contains_key(0));
		assert!(!Challenges::<Test>::contains_key(charlie(), 11));
		System::assert_has_event(
			Event::FileExpired { id: 0, root: file.root, size: file.size(), unearned: file.fee() }
				.into(),
		);
	});
}
