//! Replicas: assignment by the chain, capacity, acknowledgements, refunds of files nobody
//! acknowledged, and reassignment when a provider leaves.

use super::*;
use polkadot_sdk::frame_support::{assert_noop, assert_ok, dispatch::Pays};

#[test]
fn a_new_file_is_assigned_in_the_next_block_to_as_many_providers_as_paid_for() {
	build_and_execute(|| {
		for provider in [charlie(), dave(), eve()] {
			register(&provider);
		}
		let file = TestFile::standard();
		let id = submit_replicated(&alice(), &file, 2);
		// The fee is per replica; nobody is assigned before the next block's seed exists.
		assert_eq!(free(&alice()), INITIAL_BALANCE - 2 * file.fee());
		assert!(holders(id).is_empty());
		assert_eq!(AssignmentQueue::<Test>::get().into_inner(), vec![id]);

		run_to_block(2);
		let assigned = holders(id);
		assert_eq!(assigned.len(), 2);
		assert!(AssignmentQueue::<Test>::get().is_empty());
		for provider in &assigned {
			assert!(AssignedFiles::<Test>::contains_key(provider, id));
			assert_eq!(ProviderCapacity::<Test>::get(provider).used, file.size());
			assert_eq!(StorageCommitments::pending_files(provider), vec![id]);
		}
		System::assert_has_event(
			Event::ReplicasAssigned { file_id: id, providers: assigned }.into(),
		);
	});
}

#[test]
fn assignment_is_deterministic_for_the_same_chain() {
	let draw = || {
		let mut assigned = Vec::new();
		build_and_execute(|| {
			for provider in [charlie(), dave(), eve(), ferdie()] {
				register(&provider);
			}
			let id = submit_replicated(&alice(), &TestFile::standard(), 2);
			run_to_block(2);
			assigned = holders(id);
		});
		assigned
	};
	assert_eq!(draw(), draw());
}

#[test]
fn assignment_never_exceeds_declared_capacity() {
	build_and_execute(|| {
		register(&charlie());
		register(&dave());
		let file = TestFile::standard();
		// Dave offers less than the file needs: only Charlie can take it.
		assert_ok!(StorageCommitments::declare_capacity(
			RuntimeOrigin::signed(dave()),
			file.size() - 1
		));
		let id = submit_replicated(&alice(), &file, 2);
		run_to_block(2);
		assert_eq!(holders(id), vec![charlie()]);
		System::assert_has_event(
			Event::FileUnderReplicated { file_id: id, assigned: 1, wanted: 2 }.into(),
		);
	});
}

#[test]
fn files_assigned_in_the_same_block_share_the_capacity_left() {
	build_and_execute(|| {
		register(&charlie());
		let (first, second) = (TestFile::standard(), TestFile::new(1000, 7));
		// Room for the first file and not for both: the block's draw sees the space the first
		// assignment took, so the second file is left short rather than overcommitting Charlie.
		assert_ok!(StorageCommitments::declare_capacity(
			RuntimeOrigin::signed(charlie()),
			first.size() + second.size() - 1
		));
		let first_id = submit_file(&alice(), &first);
		let second_id = submit_file(&bob(), &second);
		run_to_block(2);
		assert_eq!(holders(first_id), vec![charlie()]);
		assert!(holders(second_id).is_empty());
		assert_eq!(ProviderCapacity::<Test>::get(charlie()).used, first.size());
		System::assert_has_event(
			Event::FileUnderReplicated { file_id: second_id, assigned: 0, wanted: 1 }.into(),
		);
	});
}

#[test]
fn assignment_is_weighted_by_stake_and_free_capacity() {
	// Dave has ten times Charlie's stake units and ten times the free space: over many files
	// he must be drawn far more often.
	build_and_execute(|| {
		register(&charlie());
		register_offering(&dave(), 10 * MIN_STAKE, 10 * CAPACITY);
		let mut dave_count = 0;
		for seed in 0..40u8 {
			let id = submit_file(&alice(), &TestFile::new(300, seed + 1));
			run_to_block(System::block_number() + 1);
			if holders(id) == vec![dave()] {
				dave_count += 1;
			}
		}
		assert!(dave_count >= 35, "Dave drew {dave_count} of 40");
	});
}

#[test]
fn submit_checks_the_replica_count() {
	build_and_execute(|| {
		register(&charlie());
		let submit = |replicas| {
			StorageCommitments::submit(
				RuntimeOrigin::signed(alice()),
				H256::repeat_byte(1),
				10,
				Default::default(),
				replicas,
			)
		};
		assert_noop!(submit(0), Error::<Test>::InvalidReplicaCount);
		assert_noop!(submit(MAX_REPLICAS as u8 + 1), Error::<Test>::InvalidReplicaCount);
		// One provider cannot hold two replicas.
		assert_noop!(submit(2), Error::<Test>::NotEnoughProviders);
		assert_ok!(submit(1));
	});
}

#[test]
fn submit_fails_while_the_assignment_queue_is_full() {
	build_and_execute(|| {
		register(&charlie());
		for seed in 0..MAX_QUEUE as u8 {
			submit_file(&alice(), &TestFile::new(100, seed + 1));
		}
		assert_noop!(
			StorageCommitments::submit(
				RuntimeOrigin::signed(alice()),
				H256::repeat_byte(1),
				10,
				Default::default(),
				1
			),
			Error::<Test>::AssignmentQueueFull
		);
	});
}

#[test]
fn only_the_owner_adds_tags_but_anyone_renews() {
	build_with_provider(|| {
		let file = TestFile::standard();
		let id = submit_file(&alice(), &file);
		let submit = |who: AccountId, new_tags| {
			StorageCommitments::submit(
				RuntimeOrigin::signed(who),
				file.root,
				file.size(),
				new_tags,
				1,
			)
		};
		assert_noop!(submit(bob(), tags(&[b"spam"])), Error::<Test>::NotFileOwner);
		assert_ok!(submit(bob(), Default::default()));
		// Later, so that another lifetime stays within MAX_LIFETIME.
		assign_and_ack(id);
		run_to_block(60);
		assert_ok!(submit(alice(), tags(&[b"model"])));
		assert_eq!(file_info(id).tags, tags(&[b"model"]));
	});
}

#[test]
fn acknowledging_makes_the_provider_challengeable_and_is_free() {
	build_and_execute(|| {
		register(&charlie());
		let id = submit_file(&alice(), &TestFile::standard());
		run_to_block(2);

		let result = ack(&charlie(), id);

		assert_eq!(result.unwrap().pays_fee, Pays::No);
		assert_eq!(AckedFileCount::<Test>::get(charlie()), 1);
		assert_eq!(AckedFiles::<Test>::get(charlie(), 0), Some(id));
		assert!(StorageCommitments::pending_files(&charlie()).is_empty());
		assert_eq!(StorageCommitments::file_summary(id).unwrap().replicas_acked, 1);
		System::assert_last_event(
			Event::ReplicaAcknowledged { file_id: id, provider: charlie() }.into(),
		);
	});
}

#[test]
fn acknowledging_nothing_new_fails() {
	build_and_execute(|| {
		register(&charlie());
		register(&dave());
		let id = submit_file(&alice(), &TestFile::standard());
		run_to_block(2);
		let holder = holders(id)[0].clone();
		let stranger = if holder == charlie() { dave() } else { charlie() };
		// Not assigned, unknown file, then twice the same.
		assert_noop!(ack(&stranger, id), Error::<Test>::NothingToAcknowledge);
		assert_noop!(ack(&holder, 99), Error::<Test>::NothingToAcknowledge);
		assert_ok!(ack(&holder, id));
		assert_noop!(ack(&holder, id), Error::<Test>::NothingToAcknowledge);
	});
}

#[test]
fn a_committed_root_nobody_uploads_slashes_nobody_and_is_refunded_less_the_spam_fee() {
	build_and_execute(|| {
		register(&charlie());
		let file = TestFile::standard();
		let id = submit_file(&alice(), &file);
		let paid = file.fee();
		// Charlie is assigned but never receives the data, so never acknowledges.
		run_to_block(1 + ACK_WINDOW);
		assert!(!Files::<Test>::contains_key(id));
		assert!(Replicas::<Test>::get(id).is_none());
		assert_eq!(ProviderCapacity::<Test>::get(charlie()).used, 0);
		let kept = Perbill::from_percent(1).mul_ceil(paid);
		assert_eq!(free(&alice()), INITIAL_BALANCE - kept);
		System::assert_has_event(
			Event::FileDropped { id, owner: alice(), refunded: paid - kept, kept }.into(),
		);
		// Nobody is challenged on it, nobody is slashed.
		run_to_block(40);
		assert!(Challenges::<Test>::iter().next().is_none());
		assert_eq!(stake_held(&charlie()), MIN_STAKE);
	});
}

#[test]
fn a_replica_not_acknowledged_in_time_is_released_and_reassigned_to_another_provider() {
	build_and_execute(|| {
		register(&charlie());
		register(&dave());
		let id = submit_replicated(&alice(), &TestFile::standard(), 2);
		run_to_block(2);
		// Only Charlie fetches it; Eve registers after the draw.
		assert_ok!(ack(&charlie(), id));
		register(&eve());
		// Dave's window runs from his assignment at block 2; the expiry sweep catches it.
		run_to_block(2 + ACK_WINDOW);
		System::assert_has_event(Event::ReplicaReleased { file_id: id, provider: dave() }.into());
		assert_eq!(FailedReplicas::<Test>::get(id).into_inner(), vec![dave()]);
		// Charlie holds a copy, so the file is queued; Dave, who let it lapse, is passed over.
		run_to_block(3 + ACK_WINDOW);
		assert_eq!(holders(id), vec![charlie(), eve()]);
	});
}

#[test]
fn a_departing_providers_files_go_to_another_provider() {
	build_and_execute(|| {
		register(&charlie());
		let first = submit_file(&alice(), &TestFile::new(300, 1));
		let second = submit_file(&alice(), &TestFile::new(300, 2));
		let third = submit_file(&alice(), &TestFile::new(300, 3));
		run_to_block(2);
		for id in [first, second, third] {
			assert_ok!(ack(&charlie(), id));
		}
		register(&dave());

		assert_ok!(StorageCommitments::unregister(RuntimeOrigin::signed(charlie())));
		assert_eq!(Departing::<Test>::get().into_inner(), vec![charlie()]);
		// MAX_RELEASES (2) per block: two blocks to release the three files.
		run_to_block(3);
		run_to_block(4);
		assert!(Departing::<Test>::get().is_empty());
		assert!(!ProviderCapacity::<Test>::contains_key(charlie()));
		run_to_block(5);
		for id in [first, second, third] {
			assert_eq!(holders(id), vec![dave()], "file {id}");
		}
	});
}

#[test]
fn withdrawal_waits_for_the_replicas_to_be_released() {
	build_and_execute(|| {
		register(&charlie());
		register(&dave());
		for seed in 0..6u8 {
			submit_replicated(&alice(), &TestFile::new(300, seed + 1), 2);
		}
		run_to_block(3);
		assert_ok!(StorageCommitments::unregister(RuntimeOrigin::signed(charlie())));
		// Skip the hooks to the end of unbonding: nothing released yet.
		System::set_block_number(3 + UNBONDING_PERIOD);
		assert_noop!(
			StorageCommitments::withdraw_unbonded(RuntimeOrigin::signed(charlie())),
			Error::<Test>::ReplicasNotReleased
		);
		run_to_block(6 + UNBONDING_PERIOD);
		assert_ok!(StorageCommitments::withdraw_unbonded(RuntimeOrigin::signed(charlie())));
	});
}

#[test]
fn declare_capacity_rules() {
	build_and_execute(|| {
		assert_noop!(
			StorageCommitments::declare_capacity(RuntimeOrigin::signed(charlie()), 1),
			Error::<Test>::ProviderNotRegistered
		);
		register(&charlie());
		let file = TestFile::standard();
		submit_file(&alice(), &file);
		run_to_block(2);
		assert_noop!(
			StorageCommitments::declare_capacity(RuntimeOrigin::signed(charlie()), file.size() - 1),
			Error::<Test>::CapacityBelowUsage
		);
		assert_ok!(StorageCommitments::declare_capacity(
			RuntimeOrigin::signed(charlie()),
			file.size()
		));
		System::assert_last_event(
			Event::CapacityDeclared { provider: charlie(), bytes: file.size() }.into(),
		);
		assert_ok!(StorageCommitments::unregister(RuntimeOrigin::signed(charlie())));
		assert_noop!(
			StorageCommitments::declare_capacity(RuntimeOrigin::signed(charlie()), CAPACITY),
			Error::<Test>::ProviderUnbonding
		);
	});
}

#[test]
fn the_same_root_with_other_sizes_does_not_hide_a_live_file() {
	build_with_provider(|| {
		let file = TestFile::standard();
		// Sixteen commitments of the same root with other sizes first.
		for size in 1..=16u64 {
			assert_ok!(StorageCommitments::submit(
				RuntimeOrigin::signed(bob()),
				file.root,
				size,
				Default::default(),
				1
			));
			if size % MAX_QUEUE as u64 == 0 {
				run_to_block(System::block_number() + 2);
			}
		}
		let id = submit_file(&alice(), &file);
		let found = StorageCommitments::file_by_commitment(file.root, file.size()).unwrap();
		assert_eq!((found.id, found.owner), (id, alice()));
		assert!(StorageCommitments::file_by_commitment(file.root, file.size() + 1).is_none());
	});
}

fn file_info(id: FileId) -> FileInfo<Test> {
	super::file(id)
}
