//! [`StoredFiles`] as other pallets see it: the live file of a root that stays stored longest.

use super::*;
use zerog_primitives::storage::{LiveFile, StoredFiles};

fn live_file(root: H256) -> Option<LiveFile<BlockNumber>> {
	<StorageCommitments as StoredFiles<BlockNumber>>::live_file(&root)
}

#[test]
fn live_file_answers_the_longest_lived_commitment_of_a_root_until_it_expires() {
	build_with_provider(|| {
		let dataset = TestFile::standard();
		assert_eq!(live_file(dataset.root), None, "nothing is stored yet");
		let first = submit_file(&alice(), &dataset);
		let first_expiry = file(first).expires_at;
		assert_eq!(
			live_file(dataset.root),
			Some(LiveFile { size: dataset.size(), expires_at: first_expiry })
		);
		// The same root with trailing zeros, committed later, lasts longer.
		run_to_block(System::block_number() + 3);
		assert_ok!(StorageCommitments::submit(
			RuntimeOrigin::signed(bob()),
			dataset.root,
			dataset.size() + 1,
			Default::default(),
			1
		));
		let longer = FileIndex::<Test>::get(dataset.root, dataset.size() + 1).unwrap();
		let longer_expiry = file(longer).expires_at;
		assert!(longer_expiry > first_expiry);
		assert_eq!(
			live_file(dataset.root),
			Some(LiveFile { size: dataset.size() + 1, expires_at: longer_expiry })
		);
		// Expired commitments are not live, even before the sweep removes them.
		System::set_block_number(longer_expiry);
		assert_eq!(live_file(dataset.root), None);
	});
}
