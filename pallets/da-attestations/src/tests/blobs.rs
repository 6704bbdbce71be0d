//! `submit_blob` and the blob queries.

use super::*;
use polkadot_sdk::frame_support::{assert_noop, assert_ok};
use zerog_primitives::da::MAX_BLOB_SIZE;

fn submit_commitment(commitment: BlobCommitment) -> polkadot_sdk::sp_runtime::DispatchResult {
	DaAttestations::submit_blob(RuntimeOrigin::signed(alice()), commitment, 7)
}

#[test]
fn submit_holds_the_fee_and_assigns_the_current_quorum() {
	build_and_execute(|| {
		equal_quorum();
		let now = System::block_number();
		let id = submit(&alice(), 1);
		assert_eq!(id, 0);
		assert_eq!(held(HoldReason::BlobFee, &alice()), FEE);
		assert_eq!(free(&alice()), INITIAL_BALANCE - FEE);
		let blob = Blobs::<Test>::get(id).unwrap();
		assert_eq!(blob.epoch, 1);
		assert_eq!(blob.status, BlobStatus::Pending);
		assert_eq!(blob.expires_at, now + WINDOW);
		assert_eq!(
			BlobIds::<Test>::get(H256::repeat_byte(1), blob_shape(&commitment(1, SIZE))),
			Some(id)
		);
		assert_eq!(ExpiryQueue::<Test>::get(now + WINDOW).into_inner(), vec![id]);
		System::assert_last_event(
			Event::BlobSubmitted {
				id,
				root: H256::repeat_byte(1),
				submitter: alice(),
				namespace: 7,
				size_bytes: SIZE,
				fee: FEE,
				epoch: 1,
				quorum: 0,
				expires_at: now + WINDOW,
			}
			.into(),
		);
		assert_eq!(submit(&bob(), 2), 1);
	});
}

#[test]
fn submit_rejects_an_oversized_blob() {
	build_and_execute(|| {
		equal_quorum();
		assert_noop!(
			submit_commitment(commitment(1, MAX_BLOB_SIZE + 1)),
			Error::<Test>::BlobTooLarge
		);
	});
}

#[test]
fn submit_rejects_an_empty_blob() {
	build_and_execute(|| {
		equal_quorum();
		assert_noop!(submit_commitment(commitment(1, 0)), Error::<Test>::EmptyBlob);
	});
}

#[test]
fn submit_rejects_bad_coding_params() {
	build_and_execute(|| {
		equal_quorum();
		let bad = [(0u16, 4u16), (2, 0), (2, 7), (512, 513)];
		for (data_shards, parity_shards) in bad {
			let commitment = BlobCommitment { data_shards, parity_shards, ..commitment(1, SIZE) };
			assert_noop!(submit_commitment(commitment), Error::<Test>::InvalidCoding);
		}
	});
}

#[test]
fn submit_rejects_a_known_commitment() {
	build_and_execute(|| {
		equal_quorum();
		submit(&alice(), 1);
		assert_noop!(
			DaAttestations::submit_blob(RuntimeOrigin::signed(bob()), commitment(1, SIZE), 9),
			Error::<Test>::BlobAlreadySubmitted
		);
	});
}

/// Squatting: a front-runner who sees a commitment in the pool and registers its root first
/// with another size or coding (shards can never verify against it, so it would never be
/// certified) does not block the real blob, which is certified as usual; lookups by root prefer
/// the certified one.
#[test]
fn a_root_squatted_with_another_shape_does_not_block_the_real_blob() {
	build_and_execute(|| {
		equal_quorum();
		let squat = submit_commitment_by(&bob(), commitment(1, 2_000));
		let real = submit(&alice(), 1);
		assert_ne!(squat, real);
		assert_eq!(DaAttestations::blob_summary(&commitment(1, SIZE)).unwrap().id, real);
		attest(&charlie(), &[real]);
		attest(&dave(), &[real]);
		assert!(DaAttestations::certification(&commitment(1, SIZE)).is_some());
		assert_eq!(DaAttestations::certification(&commitment(1, 2_000)), None);
		assert_eq!(DaAttestations::blob_by_root(H256::repeat_byte(1)).unwrap().id, real);
		// The squat expires and costs its submitter the withheld part of its fee.
		run_to_block(Blobs::<Test>::get(squat).unwrap().expires_at);
		assert!(!Blobs::<Test>::contains_key(squat));
		assert!(Blobs::<Test>::contains_key(real));
	});
}

/// `who` submits `commitment`; returns its id.
fn submit_commitment_by(who: &AccountId, commitment: BlobCommitment) -> BlobId {
	let id = NextBlobId::<Test>::get();
	assert_ok!(DaAttestations::submit_blob(RuntimeOrigin::signed(who.clone()), commitment, 9));
	id
}

#[test]
fn submit_needs_a_quorum() {
	build_and_execute(|| {
		// No epoch yet.
		assert_noop!(submit_commitment(commitment(1, SIZE)), Error::<Test>::NoQuorum);
		// An epoch drawn from no signer.
		run_to_next_epoch();
		assert_eq!(CurrentEpoch::<Test>::get(), 1);
		assert_noop!(submit_commitment(commitment(1, SIZE)), Error::<Test>::NoQuorum);
	});
}

#[test]
fn submit_is_bounded_per_block() {
	build_and_execute(|| {
		equal_quorum();
		let now = System::block_number();
		// The window's last block takes MAX_BLOBS_PER_BLOCK blobs, then each earlier block
		// that still leaves a block to attest in: now + WINDOW - 1, ..., now + 2.
		let slots = (WINDOW - 1).min(EXPIRY_SLOTS as BlockNumber);
		let capacity = MAX_BLOBS_PER_BLOCK * slots as u32;
		let ids: Vec<_> = (0..capacity as u8).map(|seed| submit(&alice(), seed + 1)).collect();
		for (index, id) in ids.iter().enumerate() {
			let slot = now + WINDOW - (index as u32 / MAX_BLOBS_PER_BLOCK) as BlockNumber;
			assert_eq!(Blobs::<Test>::get(id).unwrap().expires_at, slot);
			assert!(ExpiryQueue::<Test>::get(slot).contains(id));
		}
		assert_noop!(submit_commitment(commitment(99, SIZE)), Error::<Test>::TooManyBlobsInBlock);
		run_to_block(now + 1);
		assert_ok!(submit_commitment(commitment(99, SIZE)));
		assert_eq!(
			Blobs::<Test>::get(ids.last().unwrap() + 1).unwrap().expires_at,
			now + 1 + WINDOW
		);
	});
}

#[test]
fn submit_rejects_a_fee_above_the_free_balance() {
	build_and_execute(|| {
		equal_quorum();
		let size = (INITIAL_BALANCE - BASE_FEE) as u32 + 1;
		assert_noop!(
			submit_commitment(commitment(1, size)),
			Error::<Test>::InsufficientFreeBalance
		);
	});
}

#[test]
fn fee_grows_with_size() {
	build_and_execute(|| {
		assert_eq!(DaAttestations::blob_fee(0), BASE_FEE);
		assert_eq!(DaAttestations::blob_fee(SIZE), FEE);
		assert_eq!(
			DaAttestations::blob_fee(MAX_BLOB_SIZE),
			BASE_FEE + MAX_BLOB_SIZE as Balance * BYTE_FEE
		);
	});
}

#[test]
fn queries_follow_the_blob() {
	build_and_execute(|| {
		equal_quorum();
		let root = H256::repeat_byte(1);
		let blob = commitment(1, SIZE);
		assert_eq!(DaAttestations::certification(&blob), None);
		assert!(DaAttestations::blob_summary(&blob).is_none());
		assert!(DaAttestations::blob_by_root(root).is_none());
		let id = submit(&alice(), 1);
		assert_eq!(DaAttestations::certification(&blob), None);
		let summary = DaAttestations::blob_summary(&blob).unwrap();
		assert_eq!(DaAttestations::blob_by_root(root), Some(summary.clone()));
		assert_eq!((summary.id, summary.status), (id, BlobStatus::Pending));
		attest(&charlie(), &[id]);
		run_to_block(System::block_number() + 1);
		attest(&dave(), &[id]);
		let at = System::block_number();
		assert_eq!(DaAttestations::certification(&blob), Some(at));
		assert_eq!(DaAttestations::blob_summary(&blob).unwrap().attested_stake, 200);
		assert_eq!(DaAttestations::blob_by_root(root).unwrap().id, id);
	});
}

#[test]
fn pending_blob_ids_lists_blobs_still_attestable_after_this_block() {
	build_and_execute(|| {
		equal_quorum();
		let first = submit(&alice(), 1);
		run_to_block(System::block_number() + 1);
		let second = submit(&alice(), 2);
		let third = submit(&alice(), 3);
		attest(&charlie(), &[third]);
		attest(&dave(), &[third]);
		let now = System::block_number();
		assert_eq!(DaAttestations::pending_blob_ids(now), vec![first, second]);
		// `first` expires at `now + WINDOW - 1`: from `now + WINDOW - 2` on, an attestation
		// sent after the block would land too late.
		assert_eq!(DaAttestations::pending_blob_ids(now + WINDOW - 3), vec![first, second]);
		assert_eq!(DaAttestations::pending_blob_ids(now + WINDOW - 2), vec![second]);
	});
}
