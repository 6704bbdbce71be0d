//! Property tests: roots agree with the naive reference model however they are computed, every
//! proof verifies, and any tampering with the data, the index or the path is caught.
//!
//! Case counts shrink as files grow so the whole suite stays at a few seconds in release builds.

use super::{chunk_of, random_file, reference_merkle_root, reference_root, segment_of};
use crate::storage::*;
use codec::Decode;
use polkadot_sdk::sp_core::H256;
use proptest::{prelude::*, sample::Index};

/// Largest file of the "large" cases: several MiB, a few dozen segments, a five-level file tree.
const LARGE_FILE_BYTES: usize = 6 * 1024 * 1024 + 123;

/// Sizes within two bytes of a whole number of segments (up to `max_segments`), where the padding
/// rules change.
fn segment_boundary_size(max_segments: usize) -> impl Strategy<Value = usize> {
	(0..=max_segments, -2isize..=2)
		.prop_map(|(segments, delta)| (segments * SEGMENT_SIZE).saturating_add_signed(delta))
}

/// Sizes within one byte of a whole number of chunks, in the first few chunks.
fn chunk_boundary_size() -> impl Strategy<Value = usize> {
	(0usize..=20, -1isize..=1)
		.prop_map(|(chunks, delta)| (chunks * CHUNK_SIZE).saturating_add_signed(delta))
}

/// The one-shot root, the streamed root and the prover's root all equal the reference root.
fn check_roots(file: &[u8]) -> Result<(), TestCaseError> {
	let expected = reference_root(file);
	prop_assert_eq!(file_root(file), Ok(expected));
	let mut builder = FileRootBuilder::new();
	for segment in file.chunks(SEGMENT_SIZE) {
		builder.push(segment_root(segment).unwrap()).unwrap();
	}
	prop_assert_eq!(builder.segment_count(), segment_count(file.len() as u64));
	prop_assert_eq!(builder.root(), expected);
	prop_assert_eq!(FileTree::new(file).unwrap().root(), expected);
	Ok(())
}

/// The proof of chunk `index` verifies, and fails once its data, index or path is changed.
///
/// `pick` chooses the bit to flip, the other chunk and the path hash to change.
fn check_chunk(
	file: &[u8],
	tree: &FileTree,
	segment: &SegmentTree,
	index: u64,
	pick: &Index,
) -> Result<(), TestCaseError> {
	let (root, size) = (tree.root(), tree.file_size());
	let chunk = chunk_of(file, index);
	let proof = tree.chunk_proof(index, segment).unwrap();
	prop_assert_eq!(proof.chunk_index(), index);
	prop_assert_eq!(proof.verify(&root, size, index, chunk), Ok(()));

	let bit = pick.index(chunk.len() * 8);
	let mut flipped = chunk.to_vec();
	flipped[bit / 8] ^= 1 << (bit % 8);
	prop_assert_eq!(proof.verify(&root, size, index, &flipped), Err(ProofError::RootMismatch));

	let chunks = chunk_count(size);
	if chunks > 1 {
		let other = (index + 1 + pick.index(chunks as usize - 1) as u64) % chunks;
		let other_chunk = chunk_of(file, other);
		prop_assert_eq!(
			proof.verify(&root, size, other, other_chunk),
			Err(ProofError::ChunkIndexMismatch)
		);
		// Relabelling the proof as the other chunk's cannot make it verify either.
		let mut relabelled = proof.clone();
		relabelled.index_in_segment = (other % CHUNKS_PER_SEGMENT as u64) as u16;
		relabelled.segment_proof.segment_index = other / CHUNKS_PER_SEGMENT as u64;
		let result = relabelled.verify(&root, size, other, other_chunk);
		prop_assert!(result.is_err(), "relabelled proof of {} verified as {}", index, other);
	}

	let path_len = SEGMENT_TREE_DEPTH + proof.segment_proof.path.len();
	let position = pick.index(path_len);
	let mut bent = proof.clone();
	let hash = match bent.path.get_mut(position) {
		Some(hash) => hash,
		None => &mut bent.segment_proof.path[position - SEGMENT_TREE_DEPTH],
	};
	hash.0[pick.index(32)] ^= 0x80;
	prop_assert_eq!(bent.verify(&root, size, index, chunk), Err(ProofError::RootMismatch));
	Ok(())
}

/// The proof of segment `index` verifies, and fails once its data, index or path is changed.
fn check_segment(
	file: &[u8],
	tree: &FileTree,
	index: u64,
	pick: &Index,
) -> Result<(), TestCaseError> {
	let (root, size) = (tree.root(), tree.file_size());
	let segment = segment_of(file, index);
	let proof = tree.segment_proof(index).unwrap();
	prop_assert_eq!(proof.path.len(), file_tree_depth(size) as usize);
	prop_assert_eq!(proof.verify(&root, size, index, segment), Ok(()));

	let mut flipped = segment.to_vec();
	flipped[pick.index(segment.len())] ^= 1;
	prop_assert_eq!(proof.verify(&root, size, index, &flipped), Err(ProofError::RootMismatch));

	let segments = segment_count(size);
	if segments > 1 {
		let other = (index + 1) % segments;
		prop_assert_eq!(
			proof.verify(&root, size, other, segment_of(file, other)),
			Err(ProofError::SegmentIndexMismatch)
		);
		let mut bent = proof.clone();
		let position = pick.index(bent.path.len());
		bent.path[position].0[0] ^= 1;
		prop_assert_eq!(bent.verify(&root, size, index, segment), Err(ProofError::RootMismatch));
	}
	Ok(())
}

/// Checks every chunk (or only `sample` of them) and every segment of `file`.
fn check_proofs(file: &[u8], sample: Option<&[Index]>, pick: &Index) -> Result<(), TestCaseError> {
	let tree = FileTree::new(file).unwrap();
	let chunks = chunk_count(file.len() as u64);
	let indices: Vec<u64> = match sample {
		None => (0..chunks).collect(),
		Some(sample) => sample
			.iter()
			.map(|at| at.index(chunks as usize) as u64)
			.chain([0, chunks - 1])
			.collect(),
	};
	let mut segment_trees = std::collections::BTreeMap::new();
	for index in indices {
		let segment_index = index / CHUNKS_PER_SEGMENT as u64;
		let segment = segment_trees
			.entry(segment_index)
			.or_insert_with(|| SegmentTree::new(segment_of(file, segment_index)).unwrap());
		check_chunk(file, &tree, segment, index, pick)?;
	}
	for index in 0..segment_count(file.len() as u64) {
		check_segment(file, &tree, index, pick)?;
	}
	Ok(())
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(256))]

	#[test]
	fn small_file_roots_match_the_reference(file in prop::collection::vec(any::<u8>(), 0..=4096)) {
		check_roots(&file)?;
	}

	#[test]
	fn chunk_boundary_roots_match_the_reference(size in chunk_boundary_size(), seed: u64) {
		check_roots(&random_file(size, seed))?;
	}

	#[test]
	fn every_chunk_of_a_small_file_proves(size in 1usize..=4096, seed: u64, pick: Index) {
		check_proofs(&random_file(size, seed), None, &pick)?;
	}

	#[test]
	fn streamed_root_matches_the_reference_at_every_step(
		roots in prop::collection::vec(any::<[u8; 32]>().prop_map(H256), 0..=600),
	) {
		let mut builder = FileRootBuilder::new();
		let mut padded = vec![EMPTY_SEGMENT_ROOT];
		for (pushed, root) in roots.iter().enumerate() {
			builder.push(*root).unwrap();
			if pushed < 64 || pushed + 1 == roots.len() {
				padded = roots[..=pushed].to_vec();
				padded.resize(padded.len().next_power_of_two(), EMPTY_SEGMENT_ROOT);
				prop_assert_eq!(builder.root(), reference_merkle_root(padded.clone()));
			}
		}
		prop_assert_eq!(builder.root(), reference_merkle_root(padded));
		let size = roots.len() as u64 * SEGMENT_SIZE as u64;
		prop_assert_eq!(FileTree::from_segment_roots(size, roots).unwrap().root(), builder.root());
	}

	#[test]
	fn verification_of_arbitrary_input_fails_without_panicking(
		index_in_segment: u16,
		segment_index: u64,
		path: [[u8; 32]; SEGMENT_TREE_DEPTH],
		segment_path in prop::collection::vec(any::<[u8; 32]>().prop_map(H256), 0..=32),
		root: [u8; 32],
		size in prop_oneof![Just(0u64), 1u64..=10_000_000, any::<u64>()],
		chunk_index in prop_oneof![0u64..50_000, any::<u64>()],
		chunk in prop::collection::vec(any::<u8>(), 0..=300),
		encoded in prop::collection::vec(any::<u8>(), 0..=1500),
	) {
		let segment_proof = SegmentProof { segment_index, path: segment_path.try_into().unwrap() };
		let proof = ChunkProof {
			index_in_segment,
			path: path.map(H256),
			segment_proof: segment_proof.clone(),
		};
		let root = H256(root);
		prop_assert!(proof.verify(&root, size, chunk_index, &chunk).is_err());
		prop_assert!(segment_proof.verify(&root, size, segment_index, &chunk).is_err());
		prop_assert!(segment_proof.verify_segment_root(&root, size, segment_index, &root).is_err());
		if let Ok(decoded) = ChunkProof::decode(&mut &encoded[..]) {
			prop_assert!(decoded.verify(&root, size, chunk_index, &chunk).is_err());
		}
	}
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(32))]

	#[test]
	fn segment_boundary_roots_match_the_reference(size in segment_boundary_size(9), seed: u64) {
		check_roots(&random_file(size, seed))?;
	}

	#[test]
	fn every_chunk_of_a_few_segments_proves(
		size in prop_oneof![
			segment_boundary_size(4).prop_map(|size| size.max(1)),
			1usize..=3 * SEGMENT_SIZE + 700,
		],
		seed: u64,
		pick: Index,
	) {
		check_proofs(&random_file(size, seed), None, &pick)?;
	}
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(12))]

	#[test]
	fn large_file_roots_match_the_reference(size in 0usize..=LARGE_FILE_BYTES, seed: u64) {
		check_roots(&random_file(size, seed))?;
	}

	#[test]
	fn sampled_chunks_of_a_large_file_prove(
		size in 1usize..=LARGE_FILE_BYTES,
		seed: u64,
		sample in prop::collection::vec(any::<Index>(), 24),
		pick: Index,
	) {
		check_proofs(&random_file(size, seed), Some(&sample), &pick)?;
	}
}
