//! Custody challenges: attesters of certified blobs are challenged every `CustodyPeriod`, answer
//! with a chunk proof, are slashed for a miss, and cannot withdraw while they are liable.

use super::*;
use polkadot_sdk::frame_support::{
	assert_noop, assert_ok,
	dispatch::{DispatchResultWithPostInfo, Pays},
};
use zerog_primitives::da::{encode_blob, EncodedBlob};

/// A 5000-byte blob in 2 + 4 shards of 2560 bytes: three chunks per shard.
fn real_blob(seed: u8) -> EncodedBlob {
	let data: Vec<u8> =
		(0..5000u32).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)).collect();
	encode_blob(&data, 2, 4).expect("valid coding")
}

/// Alice submits `blob`; Charlie and Dave certify it. Returns its id.
fn certify(blob: &EncodedBlob) -> BlobId {
	let id = NextBlobId::<Test>::get();
	assert_ok!(DaAttestations::submit_blob(RuntimeOrigin::signed(alice()), blob.commitment, 7));
	attest(&charlie(), &[id]);
	attest(&dave(), &[id]);
	assert!(matches!(Blobs::<Test>::get(id).unwrap().status, BlobStatus::Certified { .. }));
	id
}

/// Runs to the next custody round (a multiple of `CUSTODY_PERIOD` after the current block).
fn run_to_next_round() {
	let now = System::block_number();
	run_to_block((now / CUSTODY_PERIOD + 1) * CUSTODY_PERIOD);
}

/// The challenge of `who`, which must be open.
fn challenge_of(who: &AccountId) -> CustodyChallenge<BlockNumber> {
	CustodyChallenges::<Test>::get(who).expect("an open challenge")
}

/// `who`'s correct answer to its challenge, from the encoded blob.
fn answer(who: &AccountId, blob: &EncodedBlob) -> DispatchResultWithPostInfo {
	let challenge = challenge_of(who);
	answer_for(who, challenge.blob, blob, challenge.shard, challenge.chunk)
}

#[test]
fn attesters_of_a_certified_blob_are_challenged_in_their_own_ranges() {
	build_and_execute(|| {
		equal_quorum();
		let blob = real_blob(1);
		let id = certify(&blob);
		run_to_next_round();
		let round = System::block_number();
		let epoch = Blobs::<Test>::get(id).unwrap().epoch;
		for who in [charlie(), dave()] {
			let challenge = challenge_of(&who);
			assert_eq!(challenge.blob, id);
			assert_eq!(challenge.deadline, round + CUSTODY_WINDOW);
			assert!(challenge.chunk < 3);
			let range = DaAttestations::assigned_shards(epoch, 0, &who, 6);
			assert!(range.contains(&challenge.shard), "{range:?} holds {challenge:?}");
			assert!(events().contains(&Event::CustodyChallenged {
				signer: who.clone(),
				blob: id,
				shard: challenge.shard,
				chunk: challenge.chunk,
				deadline: challenge.deadline,
			}));
		}
		// Eve did not attest: she holds nothing of the certificate and is not asked.
		assert!(CustodyChallenges::<Test>::get(eve()).is_none());
		assert_eq!(OpenCustody::<Test>::get().len(), 2);
	});
}

#[test]
fn a_correct_answer_closes_the_challenge_for_free_and_nobody_is_slashed() {
	build_and_execute(|| {
		equal_quorum();
		let blob = real_blob(2);
		let id = certify(&blob);
		run_to_next_round();
		for who in [charlie(), dave()] {
			let info = answer(&who, &blob).unwrap();
			assert_eq!(info.pays_fee, Pays::No);
			assert_eq!(last_event(), Event::CustodyProven { signer: who.clone(), blob: id });
			assert!(CustodyChallenges::<Test>::get(&who).is_none());
		}
		run_to_next_round();
		assert!(!events().iter().any(|event| matches!(event, Event::CustodyMissed { .. })));
		assert_eq!(Signers::<Test>::get(charlie()).unwrap().stake, 100);
	});
}

#[test]
fn a_missed_challenge_slashes_a_tenth_of_the_stake() {
	build_and_execute(|| {
		equal_quorum();
		let blob = real_blob(3);
		let id = certify(&blob);
		run_to_next_round();
		assert_ok!(answer(&dave(), &blob));
		let issuance = Balances::total_issuance();
		// Charlie dropped his shards and cannot answer.
		run_to_next_round();
		assert!(events().contains(&Event::CustodyMissed {
			signer: charlie(),
			blob: id,
			slashed: 10
		}));
		assert!(!events().iter().any(|event| matches!(
			event,
			Event::CustodyMissed { signer, .. } if *signer == dave()
		)));
		assert_eq!(Signers::<Test>::get(charlie()).unwrap().stake, 90);
		assert_eq!(Balances::balance_on_hold(&HoldReason::SignerStake.into(), &charlie()), 90);
		assert!(ActiveSigners::<Test>::get().contains(&(charlie(), 90)));
		// `ExpiredFeeDestination` is `()` in the mock: the slash is burned.
		assert_eq!(Balances::total_issuance(), issuance - 10);
	});
}

#[test]
fn wrong_answers_are_refused_and_change_nothing() {
	build_and_execute(|| {
		equal_quorum();
		let blob = real_blob(4);
		let id = certify(&blob);
		let other = real_blob(5);
		certify(&other);
		// Before any round nobody has a challenge.
		assert_noop!(answer_for(&charlie(), id, &blob, 0, 0), Error::<Test>::NoCustodyChallenge);
		run_to_next_round();
		let challenge = challenge_of(&charlie());
		let drawn = if challenge.blob == id { &blob } else { &other };
		let not_drawn = if challenge.blob == id { other_id(id) } else { id };
		assert_noop!(
			answer_for(&charlie(), not_drawn, drawn, challenge.shard, challenge.chunk),
			Error::<Test>::CustodyChallengeMismatch
		);
		assert_noop!(
			answer_for(
				&charlie(),
				challenge.blob,
				drawn,
				challenge.shard,
				(challenge.chunk + 1) % 3
			),
			Error::<Test>::CustodyChallengeMismatch
		);
		// The right chunk index with the bytes of another chunk.
		let proof = drawn.chunk_proof(challenge.shard, challenge.chunk).unwrap();
		let wrong = drawn.shards[usize::from(challenge.shard)][..512].to_vec();
		assert_noop!(
			DaAttestations::answer_custody(
				RuntimeOrigin::signed(charlie()),
				challenge.blob,
				BoundedVec::try_from(wrong).unwrap(),
				proof
			),
			Error::<Test>::InvalidCustodyProof
		);
		assert_noop!(
			answer_for(&eve(), challenge.blob, drawn, challenge.shard, challenge.chunk),
			Error::<Test>::NoCustodyChallenge
		);
		// Past the deadline the answer is refused and the round settles it as missed.
		run_to_block(challenge.deadline + 1);
		assert_noop!(answer(&charlie(), drawn), Error::<Test>::CustodyDeadlinePassed);
		run_to_next_round();
		assert!(events().iter().any(|event| matches!(
			event,
			Event::CustodyMissed { signer, .. } if *signer == charlie()
		)));
	});
}

/// The other of the two blobs of `wrong_answers_are_refused_and_change_nothing`.
fn other_id(id: BlobId) -> BlobId {
	if id == 0 {
		1
	} else {
		0
	}
}

/// `who` answers for `blob_id` with chunk `chunk` of shard `shard` of `blob`.
fn answer_for(
	who: &AccountId,
	blob_id: BlobId,
	blob: &EncodedBlob,
	shard: u16,
	chunk: u32,
) -> DispatchResultWithPostInfo {
	let proof = blob.chunk_proof(shard, chunk).unwrap();
	let bytes = zerog_primitives::da::shard_chunk(&blob.shards[usize::from(shard)], chunk)
		.unwrap()
		.to_vec();
	DaAttestations::answer_custody(
		RuntimeOrigin::signed(who.clone()),
		blob_id,
		BoundedVec::try_from(bytes).unwrap(),
		proof,
	)
}

#[test]
fn an_attester_cannot_withdraw_before_its_blobs_retire() {
	build_and_execute(|| {
		equal_quorum();
		let blob = real_blob(6);
		let id = certify(&blob);
		let retire_at = Blobs::<Test>::get(id).unwrap().expires_at + RETENTION;
		assert_eq!(CustodyUntil::<Test>::get(charlie()), retire_at);
		// Eve attested nothing and leaves as before.
		assert_eq!(CustodyUntil::<Test>::get(eve()), 0);
		assert_ok!(DaAttestations::unregister_signer(RuntimeOrigin::signed(charlie())));
		run_to_block(System::block_number() + UNBONDING);
		assert!(System::block_number() < retire_at);
		assert_noop!(
			DaAttestations::withdraw_unbonded(RuntimeOrigin::signed(charlie())),
			Error::<Test>::CustodyObligationPending
		);
		// Answer every round until the blob retires, then leave.
		while System::block_number() < retire_at {
			if CustodyChallenges::<Test>::get(charlie()).is_some() {
				assert_ok!(answer(&charlie(), &blob));
			}
			if CustodyChallenges::<Test>::get(dave()).is_some() {
				assert_ok!(answer(&dave(), &blob));
			}
			run_to_block(System::block_number() + 1);
		}
		assert_ok!(DaAttestations::withdraw_unbonded(RuntimeOrigin::signed(charlie())));
		assert_eq!(Balances::balance_on_hold(&HoldReason::SignerStake.into(), &charlie()), 0);
		assert!(!CustodyUntil::<Test>::contains_key(charlie()));
	});
}

#[test]
fn the_draw_keeps_the_latest_certified_blobs() {
	build_and_execute(|| {
		equal_quorum();
		let ids: Vec<BlobId> = (10..15).map(|seed| certify(&real_blob(seed))).collect();
		// Four slots: the fifth blob replaced the first.
		let mut ring = CustodyCandidates::<Test>::get().into_inner();
		ring.sort();
		assert_eq!(ring, ids[1..].to_vec());
		assert_eq!(CustodyCursor::<Test>::get(), 1);
	});
}

#[test]
fn a_retired_blob_is_not_drawn_and_no_blob_means_no_round() {
	build_and_execute(|| {
		equal_quorum();
		run_to_next_round();
		assert!(OpenCustody::<Test>::get().is_empty());
		assert_ok!(DaAttestations::set_retention_period(RuntimeOrigin::root(), 1));
		let blob = real_blob(20);
		let id = certify(&blob);
		let expires_at = Blobs::<Test>::get(id).unwrap().expires_at;
		run_to_block(expires_at + 1);
		assert!(!Blobs::<Test>::contains_key(id));
		run_to_next_round();
		// The challenge drawn before it retired (if any) was settled; none is drawn for it now.
		assert!(CustodyChallenges::<Test>::iter().next().is_none());
		// A challenge of a blob that retired before the round settled costs nobody anything.
		assert!(!events().iter().any(|event| matches!(event, Event::CustodyMissed { .. })));
	});
}
