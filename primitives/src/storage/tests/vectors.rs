//! Fixed vectors for the edge cases of the layout and the padding rules.
//!
//! The expected roots were computed by an independent JavaScript implementation of the padding
//! rules (js-sha3's keccak256 over the zero-padded file), not by this crate.

use super::{pattern, reference_root, segment_of};
use crate::storage::*;
use codec::{Decode, Encode, MaxEncodedLen};
use polkadot_sdk::{
	sp_core::{hex2array, H256},
	sp_runtime::traits::{Hash, Keccak256},
};

/// `(name, file size, file root of pattern(size))`.
const PATTERN_ROOTS: [(&str, usize, H256); 8] = [
	(
		"empty",
		0,
		H256(hex2array!("e68d02859bb6211cec64f52368b77d422de3b8eac34bf615942b814b643301b5")),
	),
	(
		"one byte",
		1,
		H256(hex2array!("07b9b91868a6eb0350d91e33585809532aac427a66304f85a58c919917889991")),
	),
	(
		"exactly one chunk",
		CHUNK_SIZE,
		H256(hex2array!("533f3313748635b53553dfc6e5c58e11ef0859174ff572c850be6056cb7d3695")),
	),
	(
		"one chunk and one byte",
		CHUNK_SIZE + 1,
		H256(hex2array!("9f2e3fcd4c07287de074eb9c0c20842cd50011fcbf1223e0fbda49b8efea82f2")),
	),
	(
		"exactly one segment",
		SEGMENT_SIZE,
		H256(hex2array!("079b41ecf2deb886d3fbf8d728750052249bac97e73f08bcc7c273751d245c14")),
	),
	(
		"one segment and one byte",
		SEGMENT_SIZE + 1,
		H256(hex2array!("db5dda65e47978b4d1be9de85549342e2bc15ba42c02c210af9370a7dd4872c7")),
	),
	(
		"three segments and five bytes (four segments, no file padding)",
		3 * SEGMENT_SIZE + 5,
		H256(hex2array!("59e31f10126e4e14616899cf97777d293ba9608ba8793e0ae1de950dc4a8126a")),
	),
	(
		"five segments (padded to eight)",
		5 * SEGMENT_SIZE,
		H256(hex2array!("946c665b22566c8508f298e5504a34fa407987ed9d8818df416fde4d4b226b55")),
	),
];

#[test]
fn file_roots_match_independent_vectors() {
	for (name, size, expected) in PATTERN_ROOTS {
		let file = pattern(size);
		assert_eq!(file_root(&file), Ok(expected), "{name}");
		assert_eq!(FileTree::new(&file).unwrap().root(), expected, "{name}");
		assert_eq!(reference_root(&file), expected, "{name}");
	}
}

#[test]
fn empty_hashes_are_hashes_of_zeros() {
	assert_eq!(EMPTY_CHUNK_HASH, Keccak256::hash(&[0u8; CHUNK_SIZE]));
	assert_eq!(segment_root(&[]), Ok(EMPTY_SEGMENT_ROOT));
	assert_eq!(segment_root(&vec![0u8; SEGMENT_SIZE]), Ok(EMPTY_SEGMENT_ROOT));
	assert_eq!(SegmentTree::new(&[]).unwrap().root(), EMPTY_SEGMENT_ROOT);
}

#[test]
fn empty_file_root_is_one_padding_segment() {
	assert_eq!(EMPTY_FILE_ROOT, EMPTY_SEGMENT_ROOT);
	assert_eq!(file_root(&[]), Ok(EMPTY_FILE_ROOT));
	assert_eq!(FileRootBuilder::new().root(), EMPTY_FILE_ROOT);
	assert_eq!(FileTree::from_segment_roots(0, vec![]).unwrap().root(), EMPTY_FILE_ROOT);
}

#[test]
fn trailing_zeros_share_a_root_so_the_size_is_committed_too() {
	assert_eq!(file_root(&[]), file_root(&[0]));
	assert_eq!(file_root(&[9]), file_root(&[9, 0, 0]));
	assert_ne!(file_root(&[9]), file_root(&[0, 9]));
}

#[test]
fn short_last_chunk_is_zero_padded() {
	let mut padded = [0u8; CHUNK_SIZE];
	padded[0] = 0xab;
	let root = segment_root(&[0xab]).unwrap();
	assert_eq!(root, segment_root(&padded).unwrap());
	assert_eq!(FileTree::new(&[0xab]).unwrap().root(), root);
}

#[test]
fn one_segment_file_root_is_its_segment_root() {
	for size in [1, CHUNK_SIZE, SEGMENT_SIZE - 1, SEGMENT_SIZE] {
		let file = pattern(size);
		assert_eq!(file_root(&file), segment_root(&file));
	}
}

#[test]
fn two_segment_file_root_hashes_both_segment_roots() {
	let file = pattern(SEGMENT_SIZE + 1);
	let first = segment_root(segment_of(&file, 0)).unwrap();
	let second = segment_root(segment_of(&file, 1)).unwrap();
	let expected = Keccak256::hash(&[first.as_bytes(), second.as_bytes()].concat());
	assert_eq!(file_root(&file), Ok(expected));
}

#[test]
fn counts_include_the_partial_last_piece() {
	// (size, chunks, segments, file tree depth)
	let cases: [(u64, u64, u64, u32); 10] = [
		(0, 0, 0, 0),
		(1, 1, 1, 0),
		(256, 1, 1, 0),
		(257, 2, 1, 0),
		(262_144, 1024, 1, 0),
		(262_145, 1025, 2, 1),
		(3 * 262_144 + 5, 3073, 4, 2),
		(5 * 262_144, 5120, 5, 3),
		(MAX_FILE_SIZE, MAX_FILE_SIZE / 256, MAX_SEGMENTS, MAX_FILE_TREE_DEPTH),
		(MAX_FILE_SIZE + 1, MAX_FILE_SIZE / 256 + 1, MAX_SEGMENTS + 1, MAX_FILE_TREE_DEPTH + 1),
	];
	for (size, chunks, segments, depth) in cases {
		assert_eq!(chunk_count(size), chunks, "chunks of {size}");
		assert_eq!(segment_count(size), segments, "segments of {size}");
		assert_eq!(file_tree_depth(size), depth, "depth of {size}");
	}
}

#[test]
fn counts_do_not_overflow_at_the_largest_size() {
	assert_eq!(chunk_count(u64::MAX), u64::MAX / 256 + 1);
	assert_eq!(segment_count(u64::MAX), u64::MAX / SEGMENT_SIZE as u64 + 1);
	assert_eq!(file_tree_depth(u64::MAX), 46);
	assert_eq!(chunk_len(u64::MAX, u64::MAX), None);
	assert_eq!(segment_len(u64::MAX, u64::MAX / SEGMENT_SIZE as u64), Some(SEGMENT_SIZE - 1));
}

#[test]
fn lengths_of_the_last_pieces_exclude_padding() {
	assert_eq!(chunk_len(0, 0), None);
	assert_eq!(chunk_len(1, 0), Some(1));
	assert_eq!(chunk_len(256, 0), Some(256));
	assert_eq!(chunk_len(256, 1), None);
	assert_eq!(chunk_len(257, 1), Some(1));
	assert_eq!(segment_len(0, 0), None);
	assert_eq!(segment_len(SEGMENT_SIZE as u64 + 1, 0), Some(SEGMENT_SIZE));
	assert_eq!(segment_len(SEGMENT_SIZE as u64 + 1, 1), Some(1));
	assert_eq!(segment_len(SEGMENT_SIZE as u64 + 1, 2), None);
}

#[test]
fn proofs_round_trip_through_scale_within_their_max_encoded_len() {
	let file = pattern(3 * SEGMENT_SIZE + 5);
	let proof = chunk_proof(&file, 3 * CHUNKS_PER_SEGMENT as u64).unwrap();
	assert_eq!(proof.segment_proof.path.len(), 2);
	let encoded = proof.encode();
	assert_eq!(ChunkProof::decode(&mut &encoded[..]).unwrap(), proof);
	assert!(encoded.len() <= ChunkProof::max_encoded_len());
	// 2 (index) + 10 * 32 (chunk path) + 8 (segment index) + 1 (length) + 32 * 32 (segment path).
	assert_eq!(ChunkProof::max_encoded_len(), 1355);
	assert_eq!(SegmentProof::max_encoded_len(), 1033);
}

#[test]
fn path_longer_than_the_bound_does_not_decode() {
	let mut encoded = 0u64.encode();
	encoded.extend(vec![H256::zero(); MAX_FILE_TREE_DEPTH as usize + 1].encode());
	assert!(SegmentProof::decode(&mut &encoded[..]).is_err());
}

#[test]
fn zero_file_proofs_match_the_prover_and_verify() {
	// Sizes with a short last chunk, one segment, and a multi-segment tree.
	for (size, index) in [(1usize, 0u64), (CHUNK_SIZE * 3 + 7, 3), (SEGMENT_SIZE * 3 + 1, 2050)] {
		let file = vec![0u8; size];
		let (root, proof) = zero_file_chunk_proof(size as u64, index).unwrap();
		assert_eq!(root, file_root(&file).unwrap());
		assert_eq!(proof, chunk_proof(&file, index).unwrap());
		let chunk = vec![0u8; chunk_len(size as u64, index).unwrap()];
		assert_eq!(proof.verify(&root, size as u64, index, &chunk), Ok(()));
	}
	// The largest provable file needs no memory at all.
	let (root, proof) = zero_file_chunk_proof(MAX_FILE_SIZE, 12_345).unwrap();
	assert_eq!(proof.segment_proof.path.len(), MAX_FILE_TREE_DEPTH as usize);
	assert_eq!(proof.verify(&root, MAX_FILE_SIZE, 12_345, &[0u8; CHUNK_SIZE]), Ok(()));
	assert_eq!(zero_file_chunk_proof(0, 0), Err(ProofError::FileEmpty));
	assert_eq!(zero_file_chunk_proof(1, 1), Err(ProofError::ChunkIndexOutOfRange));
}
