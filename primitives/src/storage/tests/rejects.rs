//! Each way a proof or a tree request can be wrong, and the specific error it gets.

use super::{chunk_of, pattern, segment_of};
use crate::storage::*;
use polkadot_sdk::sp_core::H256;

/// Two segments, the second one short: 1024 + 2 chunks, the last chunk 44 bytes.
fn two_segment_file() -> Vec<u8> {
	pattern(SEGMENT_SIZE + CHUNK_SIZE + 44)
}

/// Root, size, and the proof of the last (short) chunk of [`two_segment_file`].
fn last_chunk_case() -> (Vec<u8>, FileRoot, u64, u64, ChunkProof) {
	let file = two_segment_file();
	let size = file.len() as u64;
	let last = chunk_count(size) - 1;
	let proof = chunk_proof(&file, last).unwrap();
	(file.clone(), file_root(&file).unwrap(), size, last, proof)
}

#[test]
fn valid_proof_of_the_short_last_chunk_verifies() {
	let (file, root, size, last, proof) = last_chunk_case();
	assert_eq!(chunk_of(&file, last).len(), 44);
	assert_eq!(proof.chunk_index(), last);
	assert_eq!(proof.verify(&root, size, last, chunk_of(&file, last)), Ok(()));
}

#[test]
fn empty_file_has_nothing_to_prove() {
	let (file, _, _, last, proof) = last_chunk_case();
	let chunk = chunk_of(&file, last);
	assert_eq!(proof.verify(&EMPTY_FILE_ROOT, 0, last, chunk), Err(ProofError::FileEmpty));
	assert_eq!(proof.verify(&EMPTY_FILE_ROOT, 0, 0, &[]), Err(ProofError::FileEmpty));
	let first_segment = SegmentProof { segment_index: 0, path: Default::default() };
	assert_eq!(first_segment.verify(&EMPTY_FILE_ROOT, 0, 0, &[]), Err(ProofError::FileEmpty));
	assert_eq!(chunk_proof(&[], 0), Err(TreeError::ChunkIndexOutOfRange));
	assert_eq!(segment_proof(&[], 0), Err(TreeError::SegmentIndexOutOfRange));
}

#[test]
fn size_above_the_provable_maximum_is_rejected() {
	let (file, root, _, last, proof) = last_chunk_case();
	let chunk = chunk_of(&file, last);
	for size in [MAX_FILE_SIZE + 1, u64::MAX] {
		assert_eq!(proof.verify(&root, size, last, chunk), Err(ProofError::FileTooLarge));
		assert_eq!(
			proof.segment_proof.verify_segment_root(&root, size, 1, &H256::zero()),
			Err(ProofError::FileTooLarge)
		);
	}
}

#[test]
fn chunk_past_the_end_is_out_of_range() {
	let (_, root, size, last, proof) = last_chunk_case();
	for index in [last + 1, CHUNKS_PER_SEGMENT as u64 * 2, u64::MAX] {
		assert_eq!(
			proof.verify(&root, size, index, &[0; CHUNK_SIZE]),
			Err(ProofError::ChunkIndexOutOfRange)
		);
	}
	assert_eq!(chunk_proof(&two_segment_file(), last + 1), Err(TreeError::ChunkIndexOutOfRange));
}

#[test]
fn segment_past_the_end_is_out_of_range() {
	let file = two_segment_file();
	let root = file_root(&file).unwrap();
	let proof = segment_proof(&file, 1).unwrap();
	let size = file.len() as u64;
	assert_eq!(proof.verify(&root, size, 2, &[]), Err(ProofError::SegmentIndexOutOfRange));
	assert_eq!(
		proof.verify_segment_root(&root, size, u64::MAX, &H256::zero()),
		Err(ProofError::SegmentIndexOutOfRange)
	);
	assert_eq!(segment_proof(&file, 2), Err(TreeError::SegmentIndexOutOfRange));
}

#[test]
fn proof_of_another_chunk_is_a_mismatch() {
	let (file, root, size, last, proof) = last_chunk_case();
	let other = last - 1;
	assert_eq!(
		proof.verify(&root, size, other, chunk_of(&file, other)),
		Err(ProofError::ChunkIndexMismatch)
	);
	let mut out_of_segment = proof.clone();
	out_of_segment.index_in_segment = u16::MAX;
	assert_eq!(
		out_of_segment.verify(&root, size, last, chunk_of(&file, last)),
		Err(ProofError::ChunkIndexMismatch)
	);
}

#[test]
fn proof_of_another_segment_is_a_mismatch() {
	let file = two_segment_file();
	let root = file_root(&file).unwrap();
	let size = file.len() as u64;
	let proof = segment_proof(&file, 1).unwrap();
	assert_eq!(
		proof.verify(&root, size, 0, segment_of(&file, 0)),
		Err(ProofError::SegmentIndexMismatch)
	);
}

#[test]
fn chunk_must_come_without_padding() {
	let (file, root, size, last, proof) = last_chunk_case();
	let mut padded = chunk_of(&file, last).to_vec();
	padded.resize(CHUNK_SIZE, 0);
	assert_eq!(proof.verify(&root, size, last, &padded), Err(ProofError::ChunkLengthMismatch));
	assert_eq!(proof.verify(&root, size, last, &[]), Err(ProofError::ChunkLengthMismatch));
	let full = chunk_proof(&file, 0).unwrap();
	assert_eq!(
		full.verify(&root, size, 0, &chunk_of(&file, 0)[..CHUNK_SIZE - 1]),
		Err(ProofError::ChunkLengthMismatch)
	);
}

#[test]
fn segment_must_come_without_padding() {
	let file = two_segment_file();
	let root = file_root(&file).unwrap();
	let size = file.len() as u64;
	let proof = segment_proof(&file, 1).unwrap();
	let mut padded = segment_of(&file, 1).to_vec();
	padded.resize(SEGMENT_SIZE, 0);
	assert_eq!(proof.verify(&root, size, 1, &padded), Err(ProofError::SegmentLengthMismatch));
	assert_eq!(proof.verify(&root, size, 1, segment_of(&file, 1)), Ok(()));
}

#[test]
fn segment_path_must_have_the_depth_of_the_size() {
	let (file, root, size, last, proof) = last_chunk_case();
	let chunk = chunk_of(&file, last);
	let mut longer = proof.clone();
	longer.segment_proof.path.try_push(H256::zero()).unwrap();
	assert_eq!(longer.verify(&root, size, last, chunk), Err(ProofError::PathLengthMismatch));
	let mut shorter = proof.clone();
	shorter.segment_proof.path.pop();
	assert_eq!(shorter.verify(&root, size, last, chunk), Err(ProofError::PathLengthMismatch));
}

#[test]
fn wrong_data_or_path_or_root_misses_the_root() {
	let (file, root, size, last, proof) = last_chunk_case();
	let chunk = chunk_of(&file, last);
	let mut flipped = chunk.to_vec();
	flipped[0] ^= 1;
	assert_eq!(proof.verify(&root, size, last, &flipped), Err(ProofError::RootMismatch));
	let mut bad_path = proof.clone();
	bad_path.path[9] = H256::repeat_byte(7);
	assert_eq!(bad_path.verify(&root, size, last, chunk), Err(ProofError::RootMismatch));
	assert_eq!(proof.verify(&H256::zero(), size, last, chunk), Err(ProofError::RootMismatch));
	// Claimed for a file one byte larger, the short last chunk has lost its last byte.
	assert_eq!(proof.verify(&root, size + 1, last, chunk), Err(ProofError::ChunkLengthMismatch));
}

#[test]
fn tree_builders_reject_oversized_or_inconsistent_input() {
	let too_long = vec![0u8; SEGMENT_SIZE + 1];
	assert_eq!(segment_root(&too_long), Err(TreeError::SegmentTooLarge));
	assert_eq!(SegmentTree::new(&too_long).unwrap_err(), TreeError::SegmentTooLarge);
	assert_eq!(
		FileTree::from_segment_roots(SEGMENT_SIZE as u64 + 1, vec![H256::zero()]).unwrap_err(),
		TreeError::SegmentCountMismatch
	);
	assert_eq!(
		FileTree::from_segment_roots(MAX_FILE_SIZE + 1, vec![]).unwrap_err(),
		TreeError::FileTooLarge
	);
	let file = two_segment_file();
	let tree = FileTree::new(&file).unwrap();
	let wrong_segment = SegmentTree::new(segment_of(&file, 0)).unwrap();
	assert_eq!(
		tree.chunk_proof(last_chunk_case().3, &wrong_segment),
		Err(TreeError::SegmentMismatch)
	);
	let short_segment = SegmentTree::new(segment_of(&file, 1)).unwrap();
	assert_eq!(short_segment.chunk_path(2), Err(TreeError::ChunkIndexOutOfRange));
}
