//! Epoch rotation in `on_initialize`: the quorum draw and the shard assignment.

use super::*;
use codec::Encode;
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
		let quorum = Quorums::<Test>::get(1).unwrap();
		let mut drawn = members(1);
		drawn.sort();
		let mut expected = vec![charlie(), dave()];
		expected.sort();
		assert_eq!(drawn, expected);
		assert_eq!(quorum.total_stake, 400);
		assert_eq!(quorum.threshold, 267);
		System::assert_last_event(
			Event::EpochStarted { epoch: 1, members: 2, total_stake: 400, threshold: 267 }.into(),
		);
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
			let quorum = DaAttestations::draw_quorum(&candidates, &blake2_256(&run.encode()));
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
		assert!(Quorums::<Test>::contains_key(1));
		run_to_next_epoch();
		assert_eq!(CurrentEpoch::<Test>::get(), 3);
		assert!(!Quorums::<Test>::contains_key(1));
		assert!(Quorums::<Test>::contains_key(2));
		assert!(Quorums::<Test>::contains_key(3));
	});
}

#[test]
fn shards_are_assigned_by_stake_and_cover_the_blob() {
	build_and_execute(|| {
		quorum_of(&[(charlie(), 100), (dave(), 100), (eve(), 200)]);
		let total_shards = 48u16;
		let mut covered = Vec::new();
		for who in [charlie(), dave(), eve()] {
			let shards = DaAttestations::assigned_shards(1, &who, total_shards);
			let expected = if who == eve() { 24 } else { 12 };
			assert_eq!(shards.len(), expected);
			assert!(shards.windows(2).all(|pair| pair[1] == pair[0] + 1), "a range");
			covered.extend(shards);
		}
		covered.sort();
		assert_eq!(covered, (0..total_shards).collect::<Vec<_>>());
		assert!(DaAttestations::assigned_shards(1, &ferdie(), total_shards).is_empty());
		assert!(DaAttestations::assigned_shards(9, &eve(), total_shards).is_empty());
	});
}
