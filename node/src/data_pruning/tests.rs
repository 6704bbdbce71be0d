//! Sweeps of a real data store (RocksDB in a temporary directory) against a mock chain.

use super::*;
use std::{cell::RefCell, collections::HashSet, rc::Rc};
use zerog_primitives::{
	da::{BlobCommitment, ShardProof},
	storage::SegmentProof,
};

/// The chain as the test sets it: live files, known blobs, or no answer at all.
#[derive(Default)]
struct MockChain {
	live_files: HashSet<(H256, u64)>,
	known_blobs: HashSet<H256>,
	/// Known blobs whose quorum has no key of this node.
	other_quorum: HashSet<H256>,
	/// Known blobs of whose shards this node's keys hold only these.
	ranges: std::collections::HashMap<H256, Vec<u16>>,
	unreachable: bool,
}

#[derive(Clone, Default)]
struct SharedChain(Rc<RefCell<MockChain>>);

impl Retention for SharedChain {
	fn file_is_live(&self, root: &H256, size: u64) -> Result<bool, String> {
		let chain = self.0.borrow();
		if chain.unreachable {
			return Err("runtime API files_by_root failed".into());
		}
		Ok(chain.live_files.contains(&(*root, size)))
	}

	fn blob_retention(&self, commitment: &BlobCommitment) -> Result<BlobRetention, String> {
		let chain = self.0.borrow();
		if chain.unreachable {
			return Err("runtime API blob failed".into());
		}
		Ok(match chain.known_blobs.contains(&commitment.root) {
			false => BlobRetention::Unknown,
			true if chain.other_quorum.contains(&commitment.root) => BlobRetention::NotHeldHere,
			true => match chain.ranges.get(&commitment.root) {
				Some(ranges) => BlobRetention::KeepShards(ranges.clone()),
				None => BlobRetention::Keep,
			},
		})
	}
}

const FILE_ROOT: H256 = H256::repeat_byte(1);
const BLOB_ROOT: H256 = H256::repeat_byte(2);

/// A store holding two segments of the file `(FILE_ROOT, 1000)`, one of `(FILE_ROOT, 10)`, and
/// three shards of the blob `BLOB_ROOT`; a pruner of it against a chain that knows all of them.
fn setup() -> (tempfile::TempDir, Arc<DataStore>, SharedChain, Pruner<SharedChain>) {
	let dir = tempfile::tempdir().unwrap();
	let store = Arc::new(DataStore::open(dir.path()).unwrap());
	let proof = |index| SegmentProof { segment_index: index, path: Default::default() };
	store.put_segment(&FILE_ROOT, 1000, 0, b"s0", &proof(0)).unwrap();
	store.put_segment(&FILE_ROOT, 1000, 1, b"s1", &proof(1)).unwrap();
	store.put_segment(&FILE_ROOT, 10, 0, b"small", &proof(0)).unwrap();
	let commitment =
		BlobCommitment { root: BLOB_ROOT, size_bytes: 100, data_shards: 2, parity_shards: 2 };
	let shards = (0..3u16)
		.map(|index| {
			(
				index,
				vec![index as u8],
				ShardProof {
					index,
					siblings: Default::default(),
					fingerprints: Default::default(),
				},
			)
		})
		.collect();
	store.put_shards(&commitment, shards).unwrap();
	let chain = SharedChain::default();
	{
		let mut state = chain.0.borrow_mut();
		state.live_files.extend([(FILE_ROOT, 1000), (FILE_ROOT, 10)]);
		state.known_blobs.insert(BLOB_ROOT);
	}
	let pruner = Pruner::new(store.clone(), chain.clone());
	(dir, store, chain, pruner)
}

fn nothing_done(suspects: u32) -> SweepReport {
	SweepReport { suspects, ..Default::default() }
}

#[test]
fn data_the_chain_commits_to_is_kept() {
	let (_dir, store, _chain, mut pruner) = setup();
	for _ in 0..3 {
		assert_eq!(pruner.sweep().unwrap(), nothing_done(0));
	}
	assert_eq!(store.stored_file_keys().unwrap(), vec![(FILE_ROOT, 10), (FILE_ROOT, 1000)]);
	assert_eq!(store.stored_blob_roots().unwrap(), vec![BLOB_ROOT]);
}

#[test]
fn an_expired_file_is_deleted_at_the_second_sweep_that_misses_it() {
	let (_dir, store, chain, mut pruner) = setup();
	chain.0.borrow_mut().live_files.remove(&(FILE_ROOT, 1000));
	assert_eq!(pruner.sweep().unwrap(), nothing_done(1));
	assert_eq!(store.stored_file(&FILE_ROOT, 1000).unwrap().unwrap().segments_stored, 2);

	assert_eq!(
		pruner.sweep().unwrap(),
		SweepReport { files_removed: 1, segments_removed: 2, ..Default::default() }
	);
	assert_eq!(store.stored_file(&FILE_ROOT, 1000).unwrap(), None);
	assert_eq!(store.segment(&FILE_ROOT, 1000, 1).unwrap(), None);
	// The same root with the size of a live file, and the blob, stay.
	assert_eq!(store.segment(&FILE_ROOT, 10, 0).unwrap().unwrap().0, b"small".to_vec());
	assert_eq!(store.stored_blob_roots().unwrap(), vec![BLOB_ROOT]);
	assert_eq!(pruner.sweep().unwrap(), nothing_done(0));
}

#[test]
fn an_expired_blob_is_deleted_at_the_second_sweep_that_misses_it() {
	let (_dir, store, chain, mut pruner) = setup();
	chain.0.borrow_mut().known_blobs.clear();
	assert_eq!(pruner.sweep().unwrap(), nothing_done(1));
	assert_eq!(store.stored_blob(&BLOB_ROOT).unwrap().unwrap().held, vec![0, 1, 2]);
	assert_eq!(
		pruner.sweep().unwrap(),
		SweepReport { blobs_removed: 1, shards_removed: 3, ..Default::default() }
	);
	assert_eq!(store.stored_blob(&BLOB_ROOT).unwrap(), None);
	assert_eq!(store.shard(&BLOB_ROOT, 0).unwrap(), None);
	assert_eq!(store.stored_file_keys().unwrap().len(), 2);
}

/// Shards staged for the quorum a blob would have had, before the epoch turned and it went to a
/// quorum without this node's keys, are deleted like an expired blob's: at the second sweep, and
/// not if the node holds a key of the blob's quorum by then.
#[test]
fn shards_of_a_blob_in_another_quorum_are_deleted_at_the_second_sweep() {
	let (_dir, store, chain, mut pruner) = setup();
	chain.0.borrow_mut().other_quorum.insert(BLOB_ROOT);
	assert_eq!(pruner.sweep().unwrap(), nothing_done(1));
	chain.0.borrow_mut().other_quorum.clear();
	assert_eq!(pruner.sweep().unwrap(), nothing_done(0));
	assert_eq!(store.stored_blob(&BLOB_ROOT).unwrap().unwrap().held, vec![0, 1, 2]);

	chain.0.borrow_mut().other_quorum.insert(BLOB_ROOT);
	assert_eq!(pruner.sweep().unwrap(), nothing_done(1));
	assert_eq!(
		pruner.sweep().unwrap(),
		SweepReport { blobs_removed: 1, shards_removed: 3, ..Default::default() }
	);
	assert_eq!(store.stored_blob(&BLOB_ROOT).unwrap(), None);
	assert_eq!(store.stored_file_keys().unwrap().len(), 2);
}

#[test]
fn a_commitment_back_on_chain_clears_the_suspicion() {
	let (_dir, store, chain, mut pruner) = setup();
	// Missing at one sweep (a reorg), back at the next: kept, and a later miss starts over.
	chain.0.borrow_mut().known_blobs.clear();
	assert_eq!(pruner.sweep().unwrap(), nothing_done(1));
	chain.0.borrow_mut().known_blobs.insert(BLOB_ROOT);
	assert_eq!(pruner.sweep().unwrap(), nothing_done(0));
	chain.0.borrow_mut().known_blobs.clear();
	assert_eq!(pruner.sweep().unwrap(), nothing_done(1));
	assert_eq!(store.stored_blob_roots().unwrap(), vec![BLOB_ROOT]);
	assert_eq!(pruner.sweep().unwrap().blobs_removed, 1);
}

#[test]
fn nothing_is_deleted_while_the_chain_cannot_be_asked() {
	let (_dir, store, chain, mut pruner) = setup();
	{
		let mut state = chain.0.borrow_mut();
		state.live_files.clear();
		state.known_blobs.clear();
	}
	assert_eq!(pruner.sweep().unwrap(), nothing_done(3));
	chain.0.borrow_mut().unreachable = true;
	for _ in 0..3 {
		assert_eq!(pruner.sweep().unwrap(), nothing_done(0));
	}
	assert_eq!(store.stored_file_keys().unwrap().len(), 2);
	assert_eq!(store.stored_blob_roots().unwrap(), vec![BLOB_ROOT]);
	// Once the chain answers again, what it does not know needs two sweeps again.
	chain.0.borrow_mut().unreachable = false;
	assert_eq!(pruner.sweep().unwrap(), nothing_done(3));
	let report = pruner.sweep().unwrap();
	assert_eq!((report.files_removed, report.blobs_removed), (2, 1));
	assert_eq!(store.stored_file_keys().unwrap(), vec![]);
	assert_eq!(store.stored_blob_roots().unwrap(), vec![]);
}

#[test]
fn the_node_takes_the_interval_and_documents_it() {
	use crate::cli::Cli;
	use clap::{CommandFactory, Parser};
	let cli = Cli::try_parse_from(["zerog-node", "--dev"]).unwrap();
	assert_eq!(cli.pruning.data_prune_interval, DEFAULT_PRUNE_INTERVAL);
	let cli = Cli::try_parse_from(["zerog-node", "--dev", "--data-prune-interval", "0"]).unwrap();
	assert_eq!(cli.pruning.data_prune_interval, 0);
	assert!(Cli::try_parse_from(["zerog-node", "--data-prune-interval", "-1"]).is_err());
	assert!(Cli::try_parse_from(["zerog-node", "--data-prune-interval", "soon"]).is_err());
	let help = Cli::command().render_long_help().to_string();
	assert!(help.contains("--data-prune-interval <BLOCKS>"), "{help}");
}

#[test]
fn sweeps_are_due_every_interval_but_not_while_syncing() {
	let mut schedule = SweepSchedule::new(10, 5);
	assert!(!schedule.is_due(14, false));
	assert!(schedule.is_due(15, false));
	assert!(!schedule.is_due(16, false));
	// Finality notifications may skip blocks: the next sweep counts from the one that ran.
	assert!(schedule.is_due(27, false));
	assert!(!schedule.is_due(36, false));
	// Due, but the node is catching up: no sweep until it is done.
	assert!(!schedule.is_due(37, true));
	assert!(!schedule.is_due(500, true));
	assert!(schedule.is_due(501, false));
	assert!(!schedule.is_due(510, false));
	assert!(schedule.is_due(511, false));
}

/// A node whose keys are in both quorums, with other ranges in each, keeps the shards it staged
/// for the quorum the blob did not get: they are deleted one by one at the second sweep that
/// finds them outside its ranges, the shards of its ranges stay, and a shard back in its ranges
/// (the chain's answer changed) is kept and starts over.
#[test]
fn shards_outside_the_nodes_ranges_are_deleted_at_the_second_sweep() {
	let (_dir, store, chain, mut pruner) = setup();
	chain.0.borrow_mut().ranges.insert(BLOB_ROOT, vec![1, 3]);
	assert_eq!(pruner.sweep().unwrap(), nothing_done(2));
	assert_eq!(store.stored_blob(&BLOB_ROOT).unwrap().unwrap().held, vec![0, 1, 2]);

	// Shard 0 is in the ranges now, shard 2 still is not.
	chain.0.borrow_mut().ranges.insert(BLOB_ROOT, vec![0, 1, 3]);
	assert_eq!(pruner.sweep().unwrap(), SweepReport { shards_removed: 1, ..Default::default() });
	assert_eq!(store.stored_blob(&BLOB_ROOT).unwrap().unwrap().held, vec![0, 1]);
	assert_eq!(store.shard(&BLOB_ROOT, 2).unwrap(), None);
	assert!(store.shard(&BLOB_ROOT, 1).unwrap().is_some());
	assert_eq!(pruner.sweep().unwrap(), nothing_done(0));

	// Out of the ranges again: one sweep to suspect it, the next deletes it.
	chain.0.borrow_mut().ranges.insert(BLOB_ROOT, vec![1, 3]);
	assert_eq!(pruner.sweep().unwrap(), nothing_done(1));
	assert!(store.shard(&BLOB_ROOT, 0).unwrap().is_some());
	assert_eq!(pruner.sweep().unwrap(), SweepReport { shards_removed: 1, ..Default::default() });
	assert_eq!(store.stored_blob(&BLOB_ROOT).unwrap().unwrap().held, vec![1]);
	assert_eq!(store.stored_file_keys().unwrap().len(), 2);
}
