//! `submit`: new files, fees, tags, and the deduplication of commitments.

use super::*;
use polkadot_sdk::frame_support::{assert_noop, assert_ok, traits::fungible::Mutate};

#[test]
fn submit_logs_the_file_and_pays_the_fee_into_the_pool() {
	build_with_provider(|| {
		let file = TestFile::standard();
		let issuance = Balances::total_issuance();

		let id = submit_file(&alice(), &file);

		assert_eq!(id, 0);
		assert_eq!(NextFileId::<Test>::get(), 1);
		let fee = file.fee();
		assert_eq!(fee, 2050 * FEE_PER_CHUNK);
		assert_eq!(free(&alice()), INITIAL_BALANCE - fee);
		// The pool holds the fee above its endowment, minted once.
		assert_eq!(pool_balance(), EXISTENTIAL_DEPOSIT + fee);
		assert_eq!(Balances::total_issuance(), issuance + EXISTENTIAL_DEPOSIT);
		let stored = super::file(id);
		assert_eq!(stored.owner, alice());
		assert_eq!((stored.root, stored.size), (file.root, file.size()));
		assert_eq!(stored.submitted_at, 1);
		assert_eq!(stored.expires_at, 1 + FILE_LIFETIME);
		assert_eq!(stored.reward_remaining, fee);
		assert_eq!(stored.active_position, None);
		assert_eq!(Pool::<Test>::get().fees_in, fee);
		System::assert_last_event(
			Event::FileSubmitted {
				id,
				owner: alice(),
				root: file.root,
				size: file.size(),
				fee,
				expires_at: 1 + FILE_LIFETIME,
				replicas: 1,
			}
			.into(),
		);
	});
}

#[test]
fn submit_charges_a_short_last_chunk_as_a_whole_chunk() {
	build_with_provider(|| {
		for (size, chunks) in [(1u64, 1u128), (256, 1), (257, 2), (1000, 4)] {
			let file = TestFile::new(size as usize, size as u8);
			let before = free(&alice());
			submit_file(&alice(), &file);
			assert_eq!(before - free(&alice()), chunks * FEE_PER_CHUNK, "size {size}");
		}
	});
}

#[test]
fn submit_assigns_sequential_ids() {
	build_with_provider(|| {
		assert_eq!(submit_file(&alice(), &TestFile::new(10, 1)), 0);
		assert_eq!(submit_file(&bob(), &TestFile::new(10, 2)), 1);
		assert_eq!(submit_file(&alice(), &TestFile::new(10, 3)), 2);
		assert_eq!(NextFileId::<Test>::get(), 3);
	});
}

#[test]
fn submit_rejects_an_empty_file() {
	build_with_provider(|| {
		assert_noop!(
			StorageCommitments::submit(
				RuntimeOrigin::signed(alice()),
				H256::repeat_byte(1),
				0,
				Default::default(),
				1,
			),
			Error::<Test>::FileEmpty
		);
	});
}

#[test]
fn submit_rejects_a_file_above_the_maximum_size() {
	build_with_provider(|| {
		assert_ok!(StorageCommitments::submit(
			RuntimeOrigin::signed(alice()),
			H256::repeat_byte(1),
			MAX_FILE_SIZE,
			Default::default(),
			1,
		));
		assert_noop!(
			StorageCommitments::submit(
				RuntimeOrigin::signed(alice()),
				H256::repeat_byte(2),
				MAX_FILE_SIZE + 1,
				Default::default(),
				1,
			),
			Error::<Test>::FileTooLarge
		);
	});
}

#[test]
fn submit_rejects_an_empty_tag() {
	build_with_provider(|| {
		assert_noop!(
			StorageCommitments::submit(
				RuntimeOrigin::signed(alice()),
				H256::repeat_byte(1),
				10,
				tags(&[b"video", b""]),
				1,
			),
			Error::<Test>::EmptyTag
		);
	});
}

#[test]
fn submit_without_the_fee_fails_and_changes_nothing() {
	build_with_provider(|| {
		assert_noop!(
			StorageCommitments::submit(
				RuntimeOrigin::signed(pauper()),
				H256::repeat_byte(1),
				10,
				Default::default(),
				1,
			),
			Error::<Test>::InsufficientBalance
		);
		// Nor can a payer spend its existential deposit on the fee.
		let fee = FEE_PER_CHUNK;
		<Balances as Mutate<AccountId>>::set_balance(&pauper(), fee);
		assert_noop!(
			StorageCommitments::submit(
				RuntimeOrigin::signed(pauper()),
				H256::repeat_byte(1),
				10,
				Default::default(),
				1,
			),
			Error::<Test>::InsufficientBalance
		);
	});
}

#[test]
fn submit_stores_tags_once_each() {
	build_with_provider(|| {
		assert_ok!(StorageCommitments::submit(
			RuntimeOrigin::signed(alice()),
			H256::repeat_byte(1),
			10,
			tags(&[b"video", b"video", b"mp4"]),
			1,
		));
		assert_eq!(file(0).tags, tags(&[b"video", b"mp4"]));
	});
}

#[test]
fn resubmitting_a_live_commitment_renews_it_instead_of_logging_it_twice() {
	build_with_provider(|| {
		let file = TestFile::standard();
		let id = submit_file(&alice(), &file);
		run_to_block(5);

		assert_ok!(StorageCommitments::submit(
			RuntimeOrigin::signed(bob()),
			file.root,
			file.size(),
			Default::default(),
			1,
		));

		assert_eq!(NextFileId::<Test>::get(), 1);
		assert_eq!(FileIndex::<Test>::get(file.root, file.size()), Some(id));
		let stored = super::file(id);
		assert_eq!(stored.owner, alice());
		assert_eq!(stored.submitted_at, 1);
		assert_eq!(stored.expires_at, 1 + 2 * FILE_LIFETIME);
		assert_eq!(stored.reward_remaining, 2 * file.fee());
		assert_eq!(free(&bob()), INITIAL_BALANCE - file.fee());
		assert_eq!(pool_balance(), EXISTENTIAL_DEPOSIT + 2 * file.fee());
		System::assert_last_event(
			Event::FileRenewed {
				id,
				who: bob(),
				fee: file.fee(),
				expires_at: 1 + 2 * FILE_LIFETIME,
			}
			.into(),
		);
	});
}

#[test]
fn the_same_root_with_another_size_is_another_file() {
	build_with_provider(|| {
		let root = H256::repeat_byte(7);
		for size in [10, 11] {
			assert_ok!(StorageCommitments::submit(
				RuntimeOrigin::signed(alice()),
				root,
				size,
				Default::default(),
				1,
			));
		}
		assert_eq!(FileIndex::<Test>::get(root, 10), Some(0));
		assert_eq!(FileIndex::<Test>::get(root, 11), Some(1));
	});
}

#[test]
fn resubmitting_merges_tags_up_to_the_maximum() {
	build_with_provider(|| {
		let root = H256::repeat_byte(7);
		let submit = |tags: FileTags<Test>| {
			StorageCommitments::submit(RuntimeOrigin::signed(alice()), root, 10, tags, 1)
		};
		assert_ok!(submit(tags(&[b"a", b"b"])));
		assert_ok!(submit(tags(&[b"b", b"c"])));
		assert_eq!(file(0).tags, tags(&[b"a", b"b", b"c"]));
		// A fourth distinct tag is one too many; nothing changes, the fee is not taken.
		assert_noop!(submit(tags(&[b"a", b"d"])), Error::<Test>::TooManyTags);
		// Known tags only: a plain renewal (later, so it stays within MAX_LIFETIME).
		assign_and_ack(0);
		run_to_block(60);
		assert_ok!(submit(tags(&[b"c"])));
		assert_eq!(file(0).tags, tags(&[b"a", b"b", b"c"]));
		assert_eq!(file(0).expires_at, 1 + 3 * FILE_LIFETIME);
	});
}

#[test]
fn resubmitting_an_expired_commitment_logs_a_new_file() {
	build_with_provider(|| {
		let file = TestFile::standard();
		submit_file(&alice(), &file);
		// Expired, and not swept yet (no hook ran).
		System::set_block_number(1 + FILE_LIFETIME);

		let id = submit_file(&bob(), &file);

		assert_eq!(id, 1);
		assert!(!Files::<Test>::contains_key(0));
		assert_eq!(file_of(id).owner, bob());
		assert_eq!(file_of(id).reward_remaining, file.fee());
		let events = events();
		assert!(events.contains(&Event::FileExpired {
			id: 0,
			root: file.root,
			size: file.size(),
			unearned: file.fee(),
		}));
		assert_eq!(Pool::<Test>::get().unearned_out, file.fee());
	});
}

#[test]
fn a_renewal_may_not_reach_past_the_maximum_lifetime() {
	build_with_provider(|| {
		let file = TestFile::standard();
		let id = submit_file(&alice(), &file);
		// 1 + 200 blocks ahead: fine; 1 + 300: more than MAX_LIFETIME (250) from block 1.
		submit_file(&alice(), &file);
		assign_and_ack(id);
		assert_noop!(
			StorageCommitments::submit(
				RuntimeOrigin::signed(alice()),
				file.root,
				file.size(),
				Default::default(),
				1,
			),
			Error::<Test>::LifetimeTooLong
		);
		// Later, the same renewal fits.
		run_to_block(1 + 3 * FILE_LIFETIME - MAX_LIFETIME);
		submit_file(&alice(), &file);
		assert_eq!(file_of(0).expires_at, 1 + 3 * FILE_LIFETIME);
	});
}

fn file_of(id: FileId) -> FileInfo<Test> {
	super::file(id)
}
