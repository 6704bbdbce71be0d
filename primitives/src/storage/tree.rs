//! Roots: hashing chunks and nodes, the root of one segment, and the root of a whole file, either
//! in one call or streamed one segment root at a time.
//!
//! Nothing here allocates: a root is built left to right keeping one pending node per tree level,
//! so a file of any size is hashed in constant memory.

use super::{
	layout::ceil_log2, ChunkHash, FileRoot, SegmentRoot, CHUNK_SIZE, MAX_FILE_TREE_DEPTH,
	SEGMENT_SIZE, SEGMENT_TREE_DEPTH,
};
use polkadot_sdk::{
	sp_core::H256,
	sp_runtime::traits::{Hash, Keccak256},
};

/// Hash of a chunk of 256 zero bytes: the leaf that fills a short last segment up to 1024 leaves.
///
/// `keccak256([0u8; 256])`.
pub const EMPTY_CHUNK_HASH: ChunkHash = H256(polkadot_sdk::sp_core::hex2array!(
	"d397b3b043d87fcd6fad1291ff0bfd16401c274896d8c63a923727f077b8e0b5"
));

/// Root of a segment of 256 KiB of zero bytes: the leaf that fills a file tree up to a power of two.
///
/// [`EMPTY_CHUNK_HASH`] hashed pairwise up the ten levels of a segment tree.
pub const EMPTY_SEGMENT_ROOT: SegmentRoot = H256(polkadot_sdk::sp_core::hex2array!(
	"e68d02859bb6211cec64f52368b77d422de3b8eac34bf615942b814b643301b5"
));

/// Root of a zero-length file, by definition the root of a file tree made of one padding leaf.
///
/// It equals the root of any file of only zero bytes up to one segment long; the file size,
/// committed next to the root, tells them apart.
pub const EMPTY_FILE_ROOT: FileRoot = EMPTY_SEGMENT_ROOT;

/// Why a root or a proof could not be built from the given bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TreeError {
	/// More than [`SEGMENT_SIZE`] bytes were given as one segment. Split files with
	/// `chunks(SEGMENT_SIZE)`.
	SegmentTooLarge,
	/// The file has more than [`super::MAX_SEGMENTS`] segments ([`super::MAX_FILE_SIZE`] bytes),
	/// the most a proof can address.
	FileTooLarge,
	/// A proof was asked for a chunk past the end of the file (every chunk, for an empty file).
	ChunkIndexOutOfRange,
	/// A proof was asked for a segment past the end of the file (every segment, for an empty file).
	SegmentIndexOutOfRange,
	/// The number of segment roots given for a file is not the segment count of its size.
	SegmentCountMismatch,
	/// The segment tree given to prove a chunk is not the tree of the chunk's segment in this file.
	SegmentMismatch,
}

impl core::fmt::Display for TreeError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.write_str(match self {
			Self::SegmentTooLarge => "segment longer than 256 KiB",
			Self::FileTooLarge => "file larger than the largest provable file",
			Self::ChunkIndexOutOfRange => "chunk index past the end of the file",
			Self::SegmentIndexOutOfRange => "segment index past the end of the file",
			Self::SegmentCountMismatch => "number of segment roots does not match the file size",
			Self::SegmentMismatch => "segment tree is not the one of the chunk's segment",
		})
	}
}

#[cfg(feature = "std")]
impl std::error::Error for TreeError {}

/// Root of the segment tree of `segment`, the bytes of one segment (at most [`SEGMENT_SIZE`]).
///
/// A short segment (the last one of a file) is padded as the module docs say: its last chunk with
/// zero bytes, its missing chunks with [`EMPTY_CHUNK_HASH`]. An empty slice gives
/// [`EMPTY_SEGMENT_ROOT`].
pub fn segment_root(segment: &[u8]) -> Result<SegmentRoot, TreeError> {
	if segment.len() > SEGMENT_SIZE {
		return Err(TreeError::SegmentTooLarge);
	}
	let mut leaves = MerkleAccumulator::<{ SEGMENT_TREE_DEPTH + 1 }>::new();
	for chunk in segment.chunks(CHUNK_SIZE) {
		leaves.push(hash_chunk(chunk)).map_err(|_| TreeError::SegmentTooLarge)?;
	}
	Ok(leaves.root(SEGMENT_TREE_DEPTH as u32, EMPTY_CHUNK_HASH))
}

/// [`FileRoot`] of a file held in memory. To hash a file too large for memory, use
/// [`FileRootBuilder`] segment by segment; both give the same root.
pub fn file_root(file: &[u8]) -> Result<FileRoot, TreeError> {
	let mut builder = FileRootBuilder::new();
	for segment in file.chunks(SEGMENT_SIZE) {
		builder.push(segment_root(segment)?)?;
	}
	Ok(builder.root())
}

/// Builds a [`FileRoot`] from the segment roots of a file, pushed in order, in constant memory
/// (about 1 KiB), so a large file can be streamed from disk or the network one segment at a time.
///
/// ```
/// use zerog_primitives::storage::{file_root, segment_root, FileRootBuilder, SEGMENT_SIZE};
///
/// let file = vec![7u8; SEGMENT_SIZE * 3 + 5];
/// let mut builder = FileRootBuilder::new();
/// for segment in file.chunks(SEGMENT_SIZE) {
///     builder.push(segment_root(segment)?)?;
/// }
/// assert_eq!(builder.root(), file_root(&file)?);
/// # Ok::<(), zerog_primitives::storage::TreeError>(())
/// ```
#[derive(Clone, Debug)]
pub struct FileRootBuilder {
	segment_roots: MerkleAccumulator<{ MAX_FILE_TREE_DEPTH as usize + 1 }>,
}

impl Default for FileRootBuilder {
	fn default() -> Self {
		Self::new()
	}
}

impl FileRootBuilder {
	/// A builder with no segment yet; its root is [`EMPTY_FILE_ROOT`].
	pub const fn new() -> Self {
		Self { segment_roots: MerkleAccumulator::new() }
	}

	/// Appends the root of the next segment of the file. Only the last segment may be short.
	///
	/// Fails with [`TreeError::FileTooLarge`] past [`super::MAX_SEGMENTS`] segments, leaving the
	/// builder as it was.
	pub fn push(&mut self, segment_root: SegmentRoot) -> Result<(), TreeError> {
		self.segment_roots.push(segment_root).map_err(|_| TreeError::FileTooLarge)
	}

	/// Number of segment roots pushed so far.
	pub fn segment_count(&self) -> u64 {
		self.segment_roots.count()
	}

	/// Root of the file made of the segments pushed so far, the file tree padded with
	/// [`EMPTY_SEGMENT_ROOT`] up to a power of two. Pushing more segments afterwards is allowed.
	pub fn root(&self) -> FileRoot {
		self.segment_roots.root(ceil_log2(self.segment_count()), EMPTY_SEGMENT_ROOT)
	}
}

/// Leaf hash of a chunk of at most [`CHUNK_SIZE`] bytes, zero-padded to [`CHUNK_SIZE`] bytes.
///
/// Callers pass pieces of `chunks(CHUNK_SIZE)` or lengths checked against
/// [`super::chunk_len`]; bytes past [`CHUNK_SIZE`] would be ignored, never read out of bounds.
pub(super) fn hash_chunk(chunk: &[u8]) -> ChunkHash {
	if chunk.len() == CHUNK_SIZE {
		return Keccak256::hash(chunk);
	}
	let mut padded = [0u8; CHUNK_SIZE];
	padded.iter_mut().zip(chunk).for_each(|(to, from)| *to = *from);
	Keccak256::hash(&padded)
}

/// Inner node over two children: `keccak256(left ‖ right)`.
pub(super) fn hash_node(left: &H256, right: &H256) -> H256 {
	let mut pair = [0u8; 64];
	let (left_half, right_half) = pair.split_at_mut(32);
	left_half.copy_from_slice(left.as_bytes());
	right_half.copy_from_slice(right.as_bytes());
	Keccak256::hash(&pair)
}

/// The accumulator already holds the most leaves its `LEVELS` allow.
#[derive(Clone, Copy, Debug)]
pub(super) struct AccumulatorFull;

/// Root of a binary tree whose leaves are pushed left to right, keeping one node per level.
///
/// After `count` pushes, bit `l` of `count` is set exactly when `pending[l]` holds the root of a
/// complete left subtree of height `l` still waiting for its right sibling, like the carries of a
/// binary counter. It takes at most `2^(LEVELS - 1)` leaves.
#[derive(Clone, Debug)]
pub(super) struct MerkleAccumulator<const LEVELS: usize> {
	pending: [H256; LEVELS],
	count: u64,
}

impl<const LEVELS: usize> MerkleAccumulator<LEVELS> {
	/// Most leaves a tree of `LEVELS - 1` levels above its leaves can hold.
	const CAPACITY: u64 = 1 << (LEVELS - 1);

	/// An accumulator with no leaf.
	pub(super) const fn new() -> Self {
		Self { pending: [H256::zero(); LEVELS], count: 0 }
	}

	/// Number of leaves pushed.
	pub(super) fn count(&self) -> u64 {
		self.count
	}

	/// Appends the next leaf, merging every completed subtree it closes.
	pub(super) fn push(&mut self, leaf: H256) -> Result<(), AccumulatorFull> {
		if self.count >= Self::CAPACITY {
			return Err(AccumulatorFull);
		}
		// The trailing ones of `count` are the levels whose pending left subtree this leaf completes.
		let closed = self.count.trailing_ones() as usize;
		let node =
			self.pending.iter().take(closed).fold(leaf, |right, left| hash_node(left, &right));
		// `count < CAPACITY = 2^(LEVELS - 1)` has fewer than `LEVELS - 1` trailing ones, so the
		// slot exists; the check only keeps this total.
		let slot = self.pending.get_mut(closed).ok_or(AccumulatorFull)?;
		*slot = node;
		self.count = self.count.saturating_add(1);
		Ok(())
	}

	/// Root of the leaves pushed so far in a tree of `depth` levels (more if the leaves need it),
	/// the missing leaves being `empty_leaf` and an all-padding subtree the hash of its padding.
	pub(super) fn root(&self, depth: u32, empty_leaf: H256) -> H256 {
		let depth = depth.max(ceil_log2(self.count));
		// `carry` is the root of the rightmost, partly filled subtree at the current level.
		let mut carry: Option<H256> = None;
		let mut empty = empty_leaf;
		for level in 0..depth {
			carry = match (self.pending_at(level), carry) {
				(Some(left), Some(right)) => Some(hash_node(left, &right)),
				(Some(left), None) => Some(hash_node(left, &empty)),
				(None, Some(left)) => Some(hash_node(&left, &empty)),
				(None, None) => None,
			};
			empty = hash_node(&empty, &empty);
		}
		// No carry: the tree is either empty or exactly full, its root then pending at `depth`.
		carry.or_else(|| self.pending_at(depth).copied()).unwrap_or(empty)
	}

	/// The completed left subtree waiting at `level`, if any.
	fn pending_at(&self, level: u32) -> Option<&H256> {
		let waiting = self.count.checked_shr(level).is_some_and(|bits| bits & 1 == 1);
		waiting.then(|| self.pending.get(level as usize)).flatten()
	}
}
