//! The data store after a crash between a write and its acknowledgement.
//!
//! A child process (this test binary, running [`crash_writer`]) stores segments of one file and
//! prints `stored <index>` after each `put_segment` returns, which is when the node would answer
//! the upload RPC. The parent kills it with SIGKILL at some point of that loop (between a write
//! and its acknowledgement, or in the middle of a write), reopens the store and checks what a
//! client relies on: every acknowledged segment is there, byte for byte; every segment the bitmap
//! records is there whole; the file's counter matches the bitmap. It does this three times on the
//! same store, so recovery after recovery is covered too.
//!
//! SIGKILL keeps the operating system's page cache, so this proves atomicity and recovery, not
//! that the bytes reached the disk; that comes from the `sync` write of every batch (`db.rs`).

use std::{
	io::{BufRead, BufReader},
	process::{Command, Stdio},
};

use polkadot_sdk::sp_core::H256;
use zerog_primitives::storage::{SegmentProof, SEGMENT_SIZE};

use super::DataStore;

/// The store the child writes to; set only in the child.
const STORE_ENV: &str = "ZEROG_CRASH_TEST_STORE";
/// The first segment index the child writes.
const FROM_ENV: &str = "ZEROG_CRASH_TEST_FROM";

const ROOT: H256 = H256::repeat_byte(0x5e);
/// Segments in the file: more than the three rounds write.
const SEGMENTS: u64 = 10_000;
const SIZE: u64 = SEGMENTS * SEGMENT_SIZE as u64;

/// The bytes of segment `index`: full segments, different for each index.
fn segment_bytes(index: u64) -> Vec<u8> {
	let mut bytes = vec![0u8; SEGMENT_SIZE];
	for (offset, chunk) in bytes.chunks_mut(8).enumerate() {
		chunk.copy_from_slice(&(index.wrapping_mul(1_000_003) ^ offset as u64).to_le_bytes());
	}
	bytes
}

fn proof(index: u64) -> SegmentProof {
	SegmentProof { segment_index: index, path: Default::default() }
}

/// The child: writes segments from `$ZEROG_CRASH_TEST_FROM` on and acknowledges each on stdout
/// until it is killed. Does nothing in a normal test run.
#[test]
#[ignore = "run by acknowledged_segments_survive_kills_between_write_and_acknowledgement"]
fn crash_writer() {
	let Some(path) = std::env::var_os(STORE_ENV) else { return };
	let from: u64 = std::env::var(FROM_ENV).unwrap().parse().unwrap();
	let store = DataStore::open(std::path::Path::new(&path)).unwrap();
	for index in from..SEGMENTS {
		store.put_segment(&ROOT, SIZE, index, &segment_bytes(index), &proof(index)).unwrap();
		println!("stored {index}");
	}
}

/// Starts the child on `store_dir`, waits for `acknowledged` acknowledgements, kills it with
/// SIGKILL and returns the acknowledged indices.
fn write_until_killed(store_dir: &std::path::Path, from: u64, acknowledged: usize) -> Vec<u64> {
	let mut child = Command::new(std::env::current_exe().unwrap())
		.args(["--exact", "data_store::crash_tests::crash_writer", "--ignored", "--nocapture"])
		.args(["--test-threads", "1"])
		.env(STORE_ENV, store_dir)
		.env(FROM_ENV, from.to_string())
		.stdout(Stdio::piped())
		.stderr(Stdio::null())
		.spawn()
		.unwrap();
	let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
	let mut acks = Vec::new();
	while acks.len() < acknowledged {
		let line = lines.next().expect("the writer acknowledges until killed").unwrap();
		if let Some(index) = line.strip_prefix("stored ") {
			acks.push(index.parse().unwrap());
		}
	}
	child.kill().unwrap();
	child.wait().unwrap();
	acks
}

#[test]
fn acknowledged_segments_survive_kills_between_write_and_acknowledgement() {
	let dir = tempfile::tempdir().unwrap();
	let mut acknowledged = Vec::new();
	let mut next = 0;
	for (round, count) in [(1, 40), (2, 7), (3, 25)] {
		acknowledged.extend(write_until_killed(dir.path(), next, count));
		let store = DataStore::open(dir.path()).expect("the store opens after a kill");

		for index in &acknowledged {
			let (bytes, stored_proof) = store
				.segment(&ROOT, SIZE, *index)
				.unwrap()
				.unwrap_or_else(|| panic!("round {round}: acknowledged segment {index} is gone"));
			assert_eq!(bytes, segment_bytes(*index), "round {round}: segment {index} differs");
			assert_eq!(stored_proof, proof(*index));
		}
		// Whatever else the bitmap records is whole, and the counter agrees with the bitmap.
		let missing: std::collections::BTreeSet<u64> = store
			.missing_segments(&ROOT, SIZE, 0, SEGMENTS as usize)
			.unwrap()
			.into_iter()
			.collect();
		let recorded: Vec<u64> = (0..SEGMENTS).filter(|index| !missing.contains(index)).collect();
		for index in &recorded {
			let (bytes, _) = store.segment(&ROOT, SIZE, *index).unwrap().unwrap_or_else(|| {
				panic!("round {round}: segment {index} is in the bitmap but not stored")
			});
			assert_eq!(bytes, segment_bytes(*index), "round {round}: segment {index} is torn");
		}
		let file = store.stored_file(&ROOT, SIZE).unwrap().unwrap();
		assert_eq!(file.segments_stored, recorded.len() as u64, "round {round}: counter");
		assert!(recorded.len() >= acknowledged.len());
		// The next writer goes on after everything stored, as a resumed upload would.
		next = recorded.last().map_or(0, |last| last + 1);
	}
}
