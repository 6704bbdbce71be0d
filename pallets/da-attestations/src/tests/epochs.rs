//! Epoch rotation in `on_initialize`: the quorum draw and the shard assignment.

use super::*;
use codec::Encode;
use polkadot_sdk::frame_support::assert_noop;
use polkadot_sdk::sp_io::hashing::blake2_256;

#[test]
fn the_first_block_starts_epoch_one_with_the_registered_signers() {
	build_and_execute(|| {
		assert_eq!(CurrentEpoch::<Test>::get(), 0);
		register(&charlie(), 100);
		register(&dave(), 300);
		run_to_next_epoch();
		assert_eq!(CurrentEpoch::<Test>::get(), 1);
		assert_eq!(NextEpochStart::<Test>::get(), 2 + EPOCH_LENGTH);
		let quorum = Quorums::<Test>::get(1, 0).unwrap();
		let mut drawn = members(1);
		drawn.sort();
		let mut expected = vec![charlie(), dave()];
		expected.sort();
		assert_eq!(drawn, expected);
		assert_eq!(quorum.total_stake, 400);
		assert_eq!(quorum.threshold, 267);
		System::assert_has_event(
			Event::QuorumFormed {
				epoch: 1,
				quorum: 0,
				members: 2,
				total_stake: 400,
				threshold: 267,
			}
			.into(),
		);
		System::assert_last_event(
			Event::EpochStarted { epoch: 1, quorums: 1, members: 2, total_stake: 400 }.into(),
		);
		assert_eq!(Epochs::<Test>::get(1).unwrap().quorums, 1);
	});
}

#[test]
fn epochs_last_epoch_length_blocks() {
	build_and_execute(|| {
		run_to_next_epoch();
		let start = System::block_number();
		run_to_block(start + EPOCH_LENGTH - 1);
		assert_eq!(CurrentEpoch::<Test>::get(), 1);
		run_to_block(start + EPOCH_LENGTH);
		assert_eq!(CurrentEpoch::<Test>::get(), 2);
	});
}

#[test]
fn signers_join_from_the_next_epoch() {
	build_and_execute(|| {
		quorum_of(&[(charlie(), 100)]);
		register(&dave(), 100);
		assert_eq!(members(1), vec![charlie()]);
		run_to_next_epoch();
		assert!(members(2).contains(&dave()));
	});
}

#[test]
fn the_quorum_is_bounded() {
	build_and_execute(|| {
		for i in 0..EXTRA_SIGNERS {
			register(&extra_signer(i), MIN_STAKE + i as Balance);
		}
		run_to_next_epoch();
		let quorum = members(1);
		assert_eq!(quorum.len() as u32, MAX_QUORUM);
		let mut distinct = quorum.clone();
		distinct.sort();
		distinct.dedup();
		assert_eq!(distinct.len(), quorum.len());
	});
}

#[test]
fn the_draw_is_deterministic() {
	let draw = || {
		let mut drawn = Vec::new();
		new_test_ext().execute_with(|| {
			for i in 0..EXTRA_SIGNERS {
				register(&extra_signer(i), MIN_STAKE);
			}
			run_to_next_epoch();
			run_to_next_epoch();
			drawn = vec![members(1), members(2)];
		});
		drawn
	};
	let first = draw();
	assert_eq!(first, draw());
	// Different parent hashes give different quorums (with overwhelming probability).
	assert_ne!(first[0], first[1]);
}

#[test]
fn the_draw_is_weighted_by_stake() {
	build_and_execute(|| {
		// One signer holds as much stake as the seven others together.
		let mut candidates: Vec<(AccountId, Balance)> =
			(1..EXTRA_SIGNERS).map(|i| (extra_signer(i), 100)).collect();
		candidates.push((extra_signer(0), 700));
		let (heavy_signer, light_signer) = (extra_signer(0), extra_signer(1));
		let runs = 400u32;
		let mut heavy = 0;
		let mut light = 0;
		for run in 0..runs {
			// Eight signers and four members at least per quorum: two quorums of four, the
			// first drawn signer heading the first.
			let quorums = DaAttestations::draw_quorums(&candidates, &blake2_256(&run.encode()));
			assert_eq!(quorums.len(), 2);
			let quorum = &quorums[0];
			assert_eq!(quorum.members.len() as u32, MAX_QUORUM);
			let first = &quorum.members[0].0;
			if *first == heavy_signer {
				heavy += 1;
			} else if *first == light_signer {
				light += 1;
			}
		}
		// The heavy signer is drawn first about half the time, a light one about 1/14.
		assert!((160..=240).contains(&heavy), "heavy first {heavy} times in {runs}");
		assert!(light < 60, "one light signer first {light} times in {runs}");
	});
}

#[test]
fn old_quorums_are_dropped() {
	build_and_execute(|| {
		quorum_of(&[(charlie(), 100)]);
		run_to_next_epoch();
		assert!(Quorums::<Test>::contains_key(1, 0));
		run_to_next_epoch();
		assert_eq!(CurrentEpoch::<Test>::get(), 3);
		assert!(!Quorums::<Test>::contains_key(1, 0));
		assert!(!Epochs::<Test>::contains_key(1));
		assert!(Quorums::<Test>::contains_key(2, 0));
		assert!(Quorums::<Test>::contains_key(3, 0));
	});
}

#[test]
fn shards_are_assigned_by_stake_and_cover_the_blob() {
	build_and_execute(|| {
		quorum_of(&[(charlie(), 100), (dave(), 100), (eve(), 200)]);
		let total_shards = 48u16;
		let mut covered = Vec::new();
		for who in [charlie(), dave(), eve()] {
			let shards = DaAttestations::assigned_shards(1, 0, &who, total_shards);
			let expected = if who == eve() { 24 } else { 12 };
			assert_eq!(shards.len(), expected);
			assert!(shards.windows(2).all(|pair| pair[1] == pair[0] + 1), "a range");
			covered.extend(shards);
		}
		covered.sort();
		assert_eq!(covered, (0..total_shards).collect::<Vec<_>>());
		assert!(DaAttestations::assigned_shards(1, 0, &ferdie(), total_shards).is_empty());
		assert!(DaAttestations::assigned_shards(9, 0, &eve(), total_shards).is_empty());
	});
}

/// Six signers with at least three per quorum form two quorums of three; the quorums' stakes
/// are balanced and every blob goes to one of them.
fn two_quorums() -> (Vec<AccountId>, Vec<AccountId>) {
	MinQuorumMembers::set(3);
	let signers: Vec<AccountId> = (0..6).map(extra_signer).collect();
	for who in &signers {
		register(who, 100);
	}
	run_to_next_epoch();
	assert_eq!(Epochs::<Test>::get(1).unwrap().quorums, 2);
	let quorum = |index| -> Vec<AccountId> {
		Quorums::<Test>::get(1, index).unwrap().members.into_iter().map(|(who, _)| who).collect()
	};
	(quorum(0), quorum(1))
}

#[test]
fn an_epoch_forms_several_quorums_that_certify_in_parallel() {
	build_and_execute(|| {
		let (first, second) = two_quorums();
		assert_eq!((first.len(), second.len()), (3, 3));
		assert!(first.iter().all(|who| !second.contains(who)));
		System::assert_last_event(
			Event::EpochStarted { epoch: 1, quorums: 2, members: 6, total_stake: 600 }.into(),
		);
		// Submit until each quorum has a blob; the assignment is what `quorum_for` predicted.
		let mut by_quorum: [Option<BlobId>; 2] = [None, None];
		for seed in 1..=40u8 {
			if by_quorum.iter().all(Option::is_some) {
				break;
			}
			let predicted = DaAttestations::quorum_for(&commitment(seed, SIZE)).unwrap();
			let id = submit(&alice(), seed);
			let blob = Blobs::<Test>::get(id).unwrap();
			assert_eq!((blob.epoch, blob.quorum), predicted);
			by_quorum[blob.quorum as usize].get_or_insert(id);
		}
		let (a, b) = (by_quorum[0].unwrap(), by_quorum[1].unwrap());
		// A member of one quorum cannot attest to the other's blob.
		assert_noop!(
			DaAttestations::attest(RuntimeOrigin::signed(first[0].clone()), ids(&[b]))
				.map_err(|error| error.error),
			Error::<Test>::NotQuorumMember
		);
		// Two of three members of each quorum certify its blob, in the same block.
		for (members, id) in [(&first, a), (&second, b)] {
			attest(&members[0], &[id]);
			assert_eq!(attest(&members[1], &[id]), vec![AttestOutcome::Certified]);
		}
		let at = System::block_number();
		for id in [a, b] {
			assert_eq!(Blobs::<Test>::get(id).unwrap().status, BlobStatus::Certified { at });
		}
	});
}

#[test]
fn shard_holders_name_the_blob_s_quorum_with_endpoints_and_ranges() {
	build_and_execute(|| {
		let _ = two_quorums();
		let blob = commitment(9, SIZE);
		// Before submission: the quorum it would get now, so shards can be staged.
		let staged = DaAttestations::shard_holders(&blob).unwrap();
		let (epoch, quorum) = DaAttestations::quorum_for(&blob).unwrap();
		assert_eq!((staged.epoch, staged.quorum), (epoch, quorum));
		let id = submit(&alice(), 9);
		let holders = DaAttestations::shard_holders(&blob).unwrap();
		assert_eq!(holders, staged);
		assert_eq!(holders.quorum, Blobs::<Test>::get(id).unwrap().quorum);
		// Equal stakes over 6 shards: two each, covering every shard once.
		let ranges: Vec<(u16, u16)> =
			holders.holders.iter().map(|holder| (holder.first_shard, holder.end_shard)).collect();
		assert_eq!(ranges, vec![(0, 2), (2, 4), (4, 6)]);
		for holder in &holders.holders {
			assert_eq!(holder.endpoint, endpoint().into_inner());
			let assigned = DaAttestations::assigned_shards(epoch, quorum, &holder.account, 6);
			assert_eq!(assigned, (holder.first_shard..holder.end_shard).collect::<Vec<_>>());
		}
	});
}

#[test]
fn no_quorum_means_no_holders() {
	build_and_execute(|| {
		assert!(DaAttestations::shard_holders(&commitment(1, SIZE)).is_none());
		run_to_next_epoch();
		assert_eq!(Epochs::<Test>::get(1).unwrap().quorums, 0);
		assert!(DaAttestations::shard_holders(&commitment(1, SIZE)).is_none());
	});
}
