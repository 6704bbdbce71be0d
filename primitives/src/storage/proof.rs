//! Proofs that a segment or a chunk belongs to a committed file, and their verification.
//!
//! Verification runs in the runtime on data from call arguments, so it never panics and fails with
//! a specific [`ProofError`]. It trusts nothing in the proof: the expected index, the tree depth and
//! the length of the proven bytes all come from the verifier's own `(root, size)` commitment and
//! challenge, and the proof's indices are only checked against them.

use super::{
	layout::{chunk_count, chunk_len, file_tree_depth, segment_count, segment_len},
	tree::{hash_chunk, hash_node, segment_root},
	ChunkPath, FileRoot, SegmentPath, SegmentRoot, CHUNKS_PER_SEGMENT_U64, EMPTY_CHUNK_HASH,
	MAX_FILE_SIZE, SEGMENT_TREE_DEPTH,
};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::sp_core::H256;
use scale_info::TypeInfo;

/// Why a proof was rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProofError {
	/// The committed file size is 0: an empty file has no chunk or segment to prove.
	FileEmpty,
	/// The committed file size exceeds [`MAX_FILE_SIZE`], beyond what a proof can address.
	FileTooLarge,
	/// The chunk index is not below the file's [`chunk_count`].
	ChunkIndexOutOfRange,
	/// The segment index is not below the file's [`segment_count`].
	SegmentIndexOutOfRange,
	/// The proof was built for another chunk than the one asked for.
	ChunkIndexMismatch,
	/// The proof was built for another segment than the one asked for.
	SegmentIndexMismatch,
	/// The chunk bytes are not exactly [`chunk_len`] long: a full chunk is 256 bytes, the last one
	/// of a file is given without its zero padding.
	ChunkLengthMismatch,
	/// The segment bytes are not exactly [`segment_len`] long: a full segment is 256 KiB, the last
	/// one of a file is given without its padding.
	SegmentLengthMismatch,
	/// The segment path does not have [`file_tree_depth`] hashes for this file size.
	PathLengthMismatch,
	/// The bytes and the path do not lead to the committed root: the data or the proof is wrong.
	RootMismatch,
}

impl core::fmt::Display for ProofError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.write_str(match self {
			Self::FileEmpty => "an empty file has nothing to prove",
			Self::FileTooLarge => "file larger than the largest provable file",
			Self::ChunkIndexOutOfRange => "chunk index past the end of the file",
			Self::SegmentIndexOutOfRange => "segment index past the end of the file",
			Self::ChunkIndexMismatch => "proof is for another chunk",
			Self::SegmentIndexMismatch => "proof is for another segment",
			Self::ChunkLengthMismatch => "chunk length does not match the file size",
			Self::SegmentLengthMismatch => "segment length does not match the file size",
			Self::PathLengthMismatch => "segment path length does not match the file size",
			Self::RootMismatch => "proof does not lead to the committed root",
		})
	}
}

#[cfg(feature = "std")]
impl std::error::Error for ProofError {}

/// Proof that a segment belongs to a file: where it sits and its path up the file tree.
///
/// Sent with every segment upload and embedded in every [`ChunkProof`].
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub struct SegmentProof {
	/// Position of the segment in the file, counted from 0.
	pub segment_index: u64,
	/// Siblings from the segment root up to the file root, the lowest first; empty for a file of
	/// one segment.
	pub path: SegmentPath,
}

impl SegmentProof {
	/// Checks that `segment`, the bytes of segment `segment_index`, belongs to the file committed
	/// as `(file_root, file_size)`.
	///
	/// `segment` must be exactly [`segment_len`] bytes: the last segment without padding.
	pub fn verify(
		&self,
		file_root: &FileRoot,
		file_size: u64,
		segment_index: u64,
		segment: &[u8],
	) -> Result<(), ProofError> {
		check_file_size(file_size)?;
		let expected_len =
			segment_len(file_size, segment_index).ok_or(ProofError::SegmentIndexOutOfRange)?;
		if segment.len() != expected_len {
			return Err(ProofError::SegmentLengthMismatch);
		}
		let root = segment_root(segment).map_err(|_| ProofError::SegmentLengthMismatch)?;
		self.verify_segment_root(file_root, file_size, segment_index, &root)
	}

	/// Checks that `segment_root` is the root of segment `segment_index` of the file committed as
	/// `(file_root, file_size)`, for callers that hashed the segment already.
	pub fn verify_segment_root(
		&self,
		file_root: &FileRoot,
		file_size: u64,
		segment_index: u64,
		segment_root: &SegmentRoot,
	) -> Result<(), ProofError> {
		check_file_size(file_size)?;
		if segment_index >= segment_count(file_size) {
			return Err(ProofError::SegmentIndexOutOfRange);
		}
		if self.segment_index != segment_index {
			return Err(ProofError::SegmentIndexMismatch);
		}
		if self.path.len() != file_tree_depth(file_size) as usize {
			return Err(ProofError::PathLengthMismatch);
		}
		let computed = fold_path(*segment_root, segment_index, self.path.iter());
		if computed != *file_root {
			return Err(ProofError::RootMismatch);
		}
		Ok(())
	}
}

/// Proof that a chunk belongs to a file: its place in its segment, its path up the segment tree,
/// and the [`SegmentProof`] of that segment.
///
/// This is what a storage provider answers a challenge with.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub struct ChunkProof {
	/// Position of the chunk inside its segment, below [`super::CHUNKS_PER_SEGMENT`].
	pub index_in_segment: u16,
	/// Siblings from the chunk hash up to the segment root, the lowest first.
	pub path: ChunkPath,
	/// Where the chunk's segment sits in the file.
	pub segment_proof: SegmentProof,
}

impl ChunkProof {
	/// Index of the proven chunk over the whole file, counted from 0; saturates for proofs that
	/// point past any possible file (verification rejects those).
	pub fn chunk_index(&self) -> u64 {
		self.segment_proof
			.segment_index
			.saturating_mul(CHUNKS_PER_SEGMENT_U64)
			.saturating_add(u64::from(self.index_in_segment))
	}

	/// Checks that `chunk`, the bytes of chunk `chunk_index` (over the whole file), belongs to the
	/// file committed as `(file_root, file_size)`.
	///
	/// `chunk` must be exactly [`chunk_len`] bytes: the last chunk of a file without its padding.
	pub fn verify(
		&self,
		file_root: &FileRoot,
		file_size: u64,
		chunk_index: u64,
		chunk: &[u8],
	) -> Result<(), ProofError> {
		check_file_size(file_size)?;
		if chunk_index >= chunk_count(file_size) {
			return Err(ProofError::ChunkIndexOutOfRange);
		}
		let segment_index = chunk_index / CHUNKS_PER_SEGMENT_U64;
		let index_in_segment = chunk_index % CHUNKS_PER_SEGMENT_U64;
		if self.segment_proof.segment_index != segment_index
			|| u64::from(self.index_in_segment) != index_in_segment
		{
			return Err(ProofError::ChunkIndexMismatch);
		}
		let expected_len =
			chunk_len(file_size, chunk_index).ok_or(ProofError::ChunkIndexOutOfRange)?;
		if chunk.len() != expected_len {
			return Err(ProofError::ChunkLengthMismatch);
		}
		let segment_root = fold_path(hash_chunk(chunk), index_in_segment, self.path.iter());
		self.segment_proof.verify_segment_root(file_root, file_size, segment_index, &segment_root)
	}
}

/// Root of a file of `file_size` zero bytes and the proof of its chunk `chunk_index`, built
/// without the file: every node of such a tree is the root of an all-zero subtree, so the work is
/// one hash per level. `no_std`, for benchmarks that need a valid proof of the deepest tree a
/// runtime accepts; the chunk to verify it with is `chunk_len(file_size, chunk_index)` zero bytes.
pub fn zero_file_chunk_proof(
	file_size: u64,
	chunk_index: u64,
) -> Result<(FileRoot, ChunkProof), ProofError> {
	check_file_size(file_size)?;
	if chunk_index >= chunk_count(file_size) {
		return Err(ProofError::ChunkIndexOutOfRange);
	}
	let mut node = EMPTY_CHUNK_HASH;
	let mut path: ChunkPath = [H256::zero(); SEGMENT_TREE_DEPTH];
	for sibling in path.iter_mut() {
		*sibling = node;
		node = hash_node(&node, &node);
	}
	let mut segment_path = SegmentPath::default();
	for _ in 0..file_tree_depth(file_size) {
		segment_path.try_push(node).map_err(|_| ProofError::FileTooLarge)?;
		node = hash_node(&node, &node);
	}
	let index_in_segment = u16::try_from(chunk_index % CHUNKS_PER_SEGMENT_U64)
		.map_err(|_| ProofError::ChunkIndexOutOfRange)?;
	let segment_proof =
		SegmentProof { segment_index: chunk_index / CHUNKS_PER_SEGMENT_U64, path: segment_path };
	Ok((node, ChunkProof { index_in_segment, path, segment_proof }))
}

/// Rejects the sizes no proof can be valid for.
fn check_file_size(file_size: u64) -> Result<(), ProofError> {
	if file_size == 0 {
		return Err(ProofError::FileEmpty);
	}
	if file_size > MAX_FILE_SIZE {
		return Err(ProofError::FileTooLarge);
	}
	Ok(())
}

/// Hashes `node`, the leaf at `index`, up a path of siblings: bit `l` of `index` says whether the
/// node is the right (1) or the left (0) child at level `l`.
///
/// Callers check the path length first, so every bit of `index` is consumed.
fn fold_path<'a>(node: H256, index: u64, path: impl Iterator<Item = &'a H256>) -> H256 {
	path.fold((node, index), |(node, index), sibling| {
		let parent =
			if index & 1 == 1 { hash_node(sibling, &node) } else { hash_node(&node, sibling) };
		(parent, index >> 1)
	})
	.0
}
