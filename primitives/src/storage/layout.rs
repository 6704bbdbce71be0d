//! Counts and lengths derived from a file's size in bytes: what fees are charged for, how deep the
//! file tree is, and how many bytes a given chunk or segment must have.
//!
//! All of them are total functions (no panic, no overflow) because the pallet calls them on sizes
//! taken from call arguments.

use super::{CHUNK_SIZE_U64, SEGMENT_SIZE_U64};

/// Number of chunks in a file of `file_size` bytes, a partial last chunk counting as a whole one.
///
/// This is the count fees are charged per ("padding included"): a short last chunk is stored and
/// proven as a full 256-byte chunk. Padding chunks that only fill the last segment or the file
/// tree are not counted, since nobody stores them. Zero for an empty file.
pub fn chunk_count(file_size: u64) -> u64 {
	file_size.div_ceil(CHUNK_SIZE_U64)
}

/// Number of segments in a file of `file_size` bytes, a partial last segment counting as a whole
/// one: the number of uploads needed to finalize the file, and the number of real leaves of its
/// file tree. Zero for an empty file.
pub fn segment_count(file_size: u64) -> u64 {
	file_size.div_ceil(SEGMENT_SIZE_U64)
}

/// Depth of the file tree of a file of `file_size` bytes: `ceil(log2(segment_count))`, which is
/// the exact length a [`super::SegmentPath`] for this file must have.
///
/// Zero for files of at most one segment, the empty file included (its tree is one padding leaf).
/// Above [`super::MAX_FILE_SIZE`] the result exceeds [`super::MAX_FILE_TREE_DEPTH`], which is how
/// such sizes are told apart.
pub fn file_tree_depth(file_size: u64) -> u32 {
	ceil_log2(segment_count(file_size))
}

/// Length in bytes of chunk `chunk_index` (counted from 0 over the whole file) of a file of
/// `file_size` bytes: [`super::CHUNK_SIZE`], or less for a short last chunk.
///
/// `None` when the chunk lies past the end of the file. A verifier asks for exactly this many bytes
/// so that the bytes it is given are the file's own, not a padded or truncated variant.
pub fn chunk_len(file_size: u64, chunk_index: u64) -> Option<usize> {
	piece_len(file_size, chunk_index, CHUNK_SIZE_U64)
}

/// Length in bytes of segment `segment_index` of a file of `file_size` bytes:
/// [`super::SEGMENT_SIZE`], or less for a short last segment. `None` past the end of the file.
pub fn segment_len(file_size: u64, segment_index: u64) -> Option<usize> {
	piece_len(file_size, segment_index, SEGMENT_SIZE_U64)
}

/// `ceil(log2(n))`, with `ceil_log2(0) == ceil_log2(1) == 0`: the depth of the smallest complete
/// binary tree with at least `n` leaves (and at least one).
pub(super) fn ceil_log2(n: u64) -> u32 {
	match n.checked_sub(1) {
		None | Some(0) => 0,
		Some(below) => u64::BITS - below.leading_zeros(),
	}
}

/// Bytes of the `index`-th piece of `piece_size` bytes in a file of `file_size` bytes.
fn piece_len(file_size: u64, index: u64, piece_size: u64) -> Option<usize> {
	let start = index.checked_mul(piece_size)?;
	let remaining = file_size.checked_sub(start).filter(|remaining| *remaining > 0)?;
	usize::try_from(remaining.min(piece_size)).ok()
}
