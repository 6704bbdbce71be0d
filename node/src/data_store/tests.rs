//! Tests of the data store on a real RocksDB database in a temporary directory.

use super::{
	segments::{PutSegment, SEGMENTS_PER_BITMAP_PAGE},
	shards::PutShards,
	DataStore, StoredFile,
};
use polkadot_sdk::sp_core::H256;
use zerog_primitives::{
	da::{BlobCommitment, ShardProof},
	storage::{SegmentProof, SEGMENT_SIZE},
};

/// A fresh store in its own temporary directory (kept alive by the returned guard).
fn open_store() -> (tempfile::TempDir, DataStore) {
	let dir = tempfile::tempdir().expect("temporary directory");
	let store = DataStore::open(dir.path()).expect("store opens");
	(dir, store)
}

/// A segment proof naming `index`; the store does not verify proofs.
fn proof(index: u64) -> SegmentProof {
	SegmentProof { segment_index: index, path: Default::default() }
}

/// Size in bytes of a file of `segments` full segments.
fn size_of(segments: u64) -> u64 {
	segments * SEGMENT_SIZE as u64
}

const ROOT: H256 = H256::repeat_byte(7);

#[test]
fn stores_and_reads_back_a_segment_with_its_proof() {
	let (_dir, store) = open_store();
	let put = store.put_segment(&ROOT, size_of(3), 1, b"segment one", &proof(1)).unwrap();
	assert_eq!(put, PutSegment { newly_stored: true, segments_stored: 1 });
	assert_eq!(
		store.segment(&ROOT, size_of(3), 1).unwrap(),
		Some((b"segment one".to_vec(), proof(1)))
	);
	assert!(store.has_segment(&ROOT, size_of(3), 1).unwrap());
	assert!(!store.has_segment(&ROOT, size_of(3), 0).unwrap());
	assert_eq!(store.segment(&ROOT, size_of(3), 0).unwrap(), None);
}

#[test]
fn storing_a_segment_again_changes_nothing() {
	let (_dir, store) = open_store();
	store.put_segment(&ROOT, size_of(2), 0, b"first", &proof(0)).unwrap();
	let again = store.put_segment(&ROOT, size_of(2), 0, b"other bytes", &proof(0)).unwrap();
	assert_eq!(again, PutSegment { newly_stored: false, segments_stored: 1 });
	assert_eq!(store.segment(&ROOT, size_of(2), 0).unwrap().unwrap().0, b"first".to_vec());
}

#[test]
fn counts_segments_until_the_file_is_finalized() {
	let (_dir, store) = open_store();
	let size = size_of(2) + 10;
	for index in [2, 0] {
		store.put_segment(&ROOT, size, index, b"x", &proof(index)).unwrap();
	}
	let file = store.stored_file(&ROOT, size).unwrap().unwrap();
	assert_eq!(file, StoredFile { root: ROOT, size, segments_stored: 2 });
	assert_eq!(file.segments(), 3);
	assert!(!file.is_finalized());
	store.put_segment(&ROOT, size, 1, b"x", &proof(1)).unwrap();
	assert!(store.stored_file(&ROOT, size).unwrap().unwrap().is_finalized());
}

#[test]
fn files_with_one_root_and_different_sizes_are_kept_apart() {
	let (_dir, store) = open_store();
	store.put_segment(&ROOT, 300, 0, b"short", &proof(0)).unwrap();
	store.put_segment(&ROOT, 200, 0, b"shorter", &proof(0)).unwrap();
	store.put_segment(&H256::repeat_byte(8), 200, 0, b"other root", &proof(0)).unwrap();
	let sizes: Vec<u64> =
		store.stored_files(&ROOT).unwrap().into_iter().map(|file| file.size).collect();
	assert_eq!(sizes, vec![200, 300]);
	assert_eq!(store.segment(&ROOT, 300, 0).unwrap().unwrap().0, b"short".to_vec());
	assert!(store.stored_files(&H256::zero()).unwrap().is_empty());
}

#[test]
fn lists_missing_segments_from_an_index_up_to_a_limit() {
	let (_dir, store) = open_store();
	let size = size_of(10);
	for index in [0, 1, 4, 7] {
		store.put_segment(&ROOT, size, index, b"x", &proof(index)).unwrap();
	}
	assert_eq!(store.missing_segments(&ROOT, size, 0, 100).unwrap(), vec![2, 3, 5, 6, 8, 9]);
	assert_eq!(store.missing_segments(&ROOT, size, 3, 2).unwrap(), vec![3, 5]);
	assert_eq!(store.missing_segments(&ROOT, size, 10, 5).unwrap(), Vec::<u64>::new());
	assert_eq!(store.missing_segments(&ROOT, size, 0, 0).unwrap(), Vec::<u64>::new());
	// A file the store has never seen misses everything.
	assert_eq!(store.missing_segments(&H256::zero(), size_of(3), 1, 9).unwrap(), vec![1, 2]);
}

#[test]
fn missing_segments_cross_bitmap_pages() {
	let (_dir, store) = open_store();
	let page = SEGMENTS_PER_BITMAP_PAGE;
	let size = size_of(page + 10);
	for index in [page - 1, page, page + 2] {
		store.put_segment(&ROOT, size, index, b"x", &proof(index)).unwrap();
	}
	assert_eq!(
		store.missing_segments(&ROOT, size, page - 3, 5).unwrap(),
		vec![page - 3, page - 2, page + 1, page + 3, page + 4]
	);
	assert!(store.has_segment(&ROOT, size, page).unwrap());
	assert_eq!(store.stored_file(&ROOT, size).unwrap().unwrap().segments_stored, 3);
}

#[test]
fn data_survives_reopening_the_database() {
	let dir = tempfile::tempdir().unwrap();
	{
		let store = DataStore::open(dir.path()).unwrap();
		store.put_segment(&ROOT, 100, 0, b"kept", &proof(0)).unwrap();
		store.put_shards(&commitment(), vec![(1, b"ab".to_vec(), shard_proof(1))]).unwrap();
	}
	let store = DataStore::open(dir.path()).unwrap();
	assert_eq!(store.segment(&ROOT, 100, 0).unwrap().unwrap().0, b"kept".to_vec());
	assert_eq!(store.stored_file(&ROOT, 100).unwrap().unwrap().segments_stored, 1);
	assert_eq!(store.stored_blob(&ROOT).unwrap().unwrap().held, vec![1]);
}

/// A commitment with root [`ROOT`]; the store does not check it.
fn commitment() -> BlobCommitment {
	BlobCommitment { root: ROOT, size_bytes: 100, data_shards: 2, parity_shards: 2 }
}

/// A shard proof naming `index`.
fn shard_proof(index: u16) -> ShardProof {
	ShardProof { index, siblings: Default::default(), fingerprints: Default::default() }
}

#[test]
fn stores_shards_in_batches_and_counts_new_ones() {
	let (_dir, store) = open_store();
	let first = vec![(0, b"s0".to_vec(), shard_proof(0)), (3, b"s3".to_vec(), shard_proof(3))];
	assert_eq!(
		store.put_shards(&commitment(), first).unwrap(),
		PutShards { newly_stored: 2, held: 2 }
	);
	let second = vec![(3, b"s3".to_vec(), shard_proof(3)), (1, b"s1".to_vec(), shard_proof(1))];
	assert_eq!(
		store.put_shards(&commitment(), second).unwrap(),
		PutShards { newly_stored: 1, held: 3 }
	);
	let blob = store.stored_blob(&ROOT).unwrap().unwrap();
	assert_eq!(blob.commitment, commitment());
	assert_eq!(blob.held, vec![0, 1, 3]);
	assert_eq!(store.shard(&ROOT, 3).unwrap(), Some((b"s3".to_vec(), shard_proof(3))));
	assert_eq!(store.shard(&ROOT, 2).unwrap(), None);
}

#[test]
fn removing_shards_counts_only_held_ones_and_forgets_an_empty_blob() {
	let (_dir, store) = open_store();
	let shards = vec![(0, b"s0".to_vec(), shard_proof(0)), (2, b"s2".to_vec(), shard_proof(2))];
	store.put_shards(&commitment(), shards).unwrap();
	assert_eq!(store.remove_shards(&ROOT, &[2, 1]).unwrap(), 1);
	assert_eq!(store.shard(&ROOT, 2).unwrap(), None);
	assert_eq!(store.stored_blob(&ROOT).unwrap().unwrap().held, vec![0]);
	assert_eq!(store.remove_shards(&ROOT, &[0]).unwrap(), 1);
	assert_eq!(store.stored_blob(&ROOT).unwrap(), None);
	assert_eq!(store.remove_shards(&ROOT, &[0]).unwrap(), 0);
}

#[test]
fn removing_a_file_drops_its_segments_and_pages_but_not_its_neighbours() {
	let (_dir, store) = open_store();
	// A file of more than one bitmap page, the same root with another size, and a root whose
	// bytes start like ROOT's.
	let size = size_of(SEGMENTS_PER_BITMAP_PAGE + 2);
	let mut other_root = [7u8; 32];
	other_root[31] = 8;
	let other_root = H256(other_root);
	store.put_segment(&ROOT, size, 0, b"s0", &proof(0)).unwrap();
	store.put_segment(&ROOT, size, SEGMENTS_PER_BITMAP_PAGE + 1, b"sN", &proof(1)).unwrap();
	store.put_segment(&ROOT, size_of(1), 0, b"small", &proof(0)).unwrap();
	store.put_segment(&other_root, size, 0, b"other", &proof(0)).unwrap();
	assert_eq!(
		store.stored_file_keys().unwrap(),
		vec![(ROOT, size_of(1)), (ROOT, size), (other_root, size)]
	);

	assert_eq!(store.remove_file(&ROOT, size).unwrap(), 2);
	assert_eq!(store.stored_file(&ROOT, size).unwrap(), None);
	assert_eq!(store.segment(&ROOT, size, 0).unwrap(), None);
	assert_eq!(store.segment(&ROOT, size, SEGMENTS_PER_BITMAP_PAGE + 1).unwrap(), None);
	assert!(!store.has_segment(&ROOT, size, SEGMENTS_PER_BITMAP_PAGE + 1).unwrap());
	assert_eq!(store.missing_segments(&ROOT, size, 0, 2).unwrap(), vec![0, 1]);
	assert_eq!(store.segment(&ROOT, size_of(1), 0).unwrap().unwrap().0, b"small".to_vec());
	assert_eq!(store.segment(&other_root, size, 0).unwrap().unwrap().0, b"other".to_vec());
	assert_eq!(store.stored_file_keys().unwrap(), vec![(ROOT, size_of(1)), (other_root, size)]);
	// Removing it again, or a file never stored, changes nothing.
	assert_eq!(store.remove_file(&ROOT, size).unwrap(), 0);
	assert_eq!(store.remove_file(&H256::repeat_byte(1), 5).unwrap(), 0);

	// Uploading it again starts from zero.
	let put = store.put_segment(&ROOT, size, 0, b"s0", &proof(0)).unwrap();
	assert_eq!(put, PutSegment { newly_stored: true, segments_stored: 1 });
}

#[test]
fn removing_a_blob_drops_all_its_shards_but_not_another_blobs() {
	let (_dir, store) = open_store();
	let mut other_root = [7u8; 32];
	other_root[31] = 8;
	let other = BlobCommitment { root: H256(other_root), ..commitment() };
	let shards = vec![(0, b"s0".to_vec(), shard_proof(0)), (3, b"s3".to_vec(), shard_proof(3))];
	store.put_shards(&commitment(), shards).unwrap();
	store.put_shards(&other, vec![(1, b"o1".to_vec(), shard_proof(1))]).unwrap();
	assert_eq!(store.stored_blob_roots().unwrap(), vec![ROOT, other.root]);

	assert_eq!(store.remove_blob(&ROOT).unwrap(), 2);
	assert_eq!(store.stored_blob(&ROOT).unwrap(), None);
	assert_eq!(store.shard(&ROOT, 0).unwrap(), None);
	assert_eq!(store.shard(&ROOT, 3).unwrap(), None);
	assert_eq!(store.shard(&other.root, 1).unwrap(), Some((b"o1".to_vec(), shard_proof(1))));
	assert_eq!(store.stored_blob_roots().unwrap(), vec![other.root]);
	assert_eq!(store.remove_blob(&ROOT).unwrap(), 0);
}

#[test]
fn removals_survive_reopening_the_database() {
	let dir = tempfile::tempdir().unwrap();
	{
		let store = DataStore::open(dir.path()).unwrap();
		store.put_segment(&ROOT, 100, 0, b"gone", &proof(0)).unwrap();
		store.put_shards(&commitment(), vec![(1, b"ab".to_vec(), shard_proof(1))]).unwrap();
		store.remove_file(&ROOT, 100).unwrap();
		store.remove_blob(&ROOT).unwrap();
	}
	let store = DataStore::open(dir.path()).unwrap();
	assert_eq!(store.stored_file_keys().unwrap(), vec![]);
	assert_eq!(store.stored_blob_roots().unwrap(), vec![]);
	assert_eq!(store.segment(&ROOT, 100, 0).unwrap(), None);
	assert_eq!(store.shard(&ROOT, 1).unwrap(), None);
}

#[test]
fn the_quota_refuses_a_segment_past_it_and_keeps_what_is_stored() {
	let dir = tempfile::tempdir().unwrap();
	// Room for two segments.
	let store = DataStore::open_with_limits(dir.path(), Some(size_of(2)), 0).unwrap();
	store.put_segment(&ROOT, size_of(4), 0, b"zero", &proof(0)).unwrap();
	store.put_segment(&ROOT, size_of(4), 1, b"one", &proof(1)).unwrap();
	let refused = store.put_segment(&ROOT, size_of(4), 2, b"two", &proof(2)).unwrap_err();
	assert!(
		matches!(&refused, super::StoreError::Full(reason) if reason.contains("--data-max-size"))
	);
	// Storing a held segment again is no new use of the quota.
	assert!(!store.put_segment(&ROOT, size_of(4), 1, b"one", &proof(1)).unwrap().newly_stored);
	assert_eq!(store.stored_file(&ROOT, size_of(4)).unwrap().unwrap().segments_stored, 2);
	assert_eq!(store.segment(&ROOT, size_of(4), 0).unwrap().unwrap().0, b"zero".to_vec());
	assert_eq!(store.usage(), (size_of(2), Some(size_of(2))));

	// The count is rebuilt when the store opens again, and a removal frees room.
	drop(store);
	let store = DataStore::open_with_limits(dir.path(), Some(size_of(2)), 0).unwrap();
	assert_eq!(store.usage().0, size_of(2));
	assert!(store.put_segment(&ROOT, size_of(4), 2, b"two", &proof(2)).is_err());
	assert_eq!(store.remove_file(&ROOT, size_of(4)).unwrap(), 2);
	assert_eq!(store.usage().0, 0);
	store.put_segment(&ROOT, size_of(4), 2, b"two", &proof(2)).unwrap();
}

#[test]
fn the_free_space_reserve_refuses_a_segment_when_the_disk_is_short() {
	let dir = tempfile::tempdir().unwrap();
	let free = super::quota::free_bytes(dir.path()).unwrap();
	assert!(free > 0);
	// A reserve larger than the disk's free space: nothing can be written.
	let store = DataStore::open_with_limits(dir.path(), None, free.saturating_mul(2)).unwrap();
	let refused = store.put_segment(&ROOT, size_of(1), 0, b"x", &proof(0)).unwrap_err();
	assert!(
		matches!(&refused, super::StoreError::Full(reason) if reason.contains("--data-min-free"))
	);
	assert!(store.stored_file(&ROOT, size_of(1)).unwrap().is_none());
}
