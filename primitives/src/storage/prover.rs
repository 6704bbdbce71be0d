//! Building proofs, for the node and the tools only (`std`): they keep the trees of a file to
//! answer uploads, downloads and challenges, while the runtime only verifies.
//!
//! A [`FileTree`] keeps every segment root (32 bytes per 256 KiB segment) and a [`SegmentTree`] the
//! 2047 nodes of one segment, so proving a chunk of a stored file needs its segment and the file's
//! segment roots, never the whole file.

use super::{
	layout::{chunk_count, file_tree_depth, segment_count},
	tree::{hash_chunk, hash_node, segment_root},
	ChunkPath, ChunkProof, FileRoot, SegmentProof, SegmentRoot, TreeError, CHUNKS_PER_SEGMENT_U64,
	CHUNK_SIZE, EMPTY_CHUNK_HASH, EMPTY_SEGMENT_ROOT, MAX_FILE_SIZE, SEGMENT_SIZE,
	SEGMENT_TREE_DEPTH,
};
use polkadot_sdk::sp_core::H256;

/// Every level of the segment tree of one segment, from which the path of any of its chunks is
/// read.
#[derive(Clone, Debug)]
pub struct SegmentTree {
	levels: Levels,
}

impl SegmentTree {
	/// Hashes `segment`, the bytes of one segment (at most [`SEGMENT_SIZE`]), padded like
	/// [`segment_root`] pads it.
	pub fn new(segment: &[u8]) -> Result<Self, TreeError> {
		if segment.len() > SEGMENT_SIZE {
			return Err(TreeError::SegmentTooLarge);
		}
		let leaves = segment.chunks(CHUNK_SIZE).map(hash_chunk).collect();
		Ok(Self { levels: Levels::new(leaves, SEGMENT_TREE_DEPTH, EMPTY_CHUNK_HASH) })
	}

	/// Root of the segment tree; equal to [`segment_root`] of the same bytes.
	pub fn root(&self) -> SegmentRoot {
		self.levels.root()
	}

	/// Siblings from chunk `index_in_segment` up to the segment root.
	///
	/// Fails with [`TreeError::ChunkIndexOutOfRange`] for a padding chunk: only real chunks are
	/// ever challenged.
	pub fn chunk_path(&self, index_in_segment: u16) -> Result<ChunkPath, TreeError> {
		let index = u64::from(index_in_segment);
		if index >= self.levels.leaf_count() {
			return Err(TreeError::ChunkIndexOutOfRange);
		}
		self.levels.path(index).try_into().map_err(|_| TreeError::ChunkIndexOutOfRange)
	}
}

/// The file tree of one file over its segment roots, from which segment and chunk proofs are built.
#[derive(Clone, Debug)]
pub struct FileTree {
	file_size: u64,
	levels: Levels,
}

impl FileTree {
	/// Hashes a whole file held in memory. For files read piece by piece, hash each segment with
	/// [`segment_root`] and use [`FileTree::from_segment_roots`].
	pub fn new(file: &[u8]) -> Result<Self, TreeError> {
		let file_size = u64::try_from(file.len()).map_err(|_| TreeError::FileTooLarge)?;
		if file_size > MAX_FILE_SIZE {
			return Err(TreeError::FileTooLarge);
		}
		let segment_roots =
			file.chunks(SEGMENT_SIZE).map(segment_root).collect::<Result<Vec<_>, _>>()?;
		Self::from_segment_roots(file_size, segment_roots)
	}

	/// The tree of a file of `file_size` bytes whose segments have `segment_roots`, in order.
	///
	/// Fails unless there is exactly one root per segment of `file_size`.
	pub fn from_segment_roots(
		file_size: u64,
		segment_roots: Vec<SegmentRoot>,
	) -> Result<Self, TreeError> {
		if file_size > MAX_FILE_SIZE {
			return Err(TreeError::FileTooLarge);
		}
		if u64::try_from(segment_roots.len()).ok() != Some(segment_count(file_size)) {
			return Err(TreeError::SegmentCountMismatch);
		}
		let depth = file_tree_depth(file_size) as usize;
		Ok(Self { file_size, levels: Levels::new(segment_roots, depth, EMPTY_SEGMENT_ROOT) })
	}

	/// Root of the file; equal to [`super::file_root`] of the same bytes.
	pub fn root(&self) -> FileRoot {
		self.levels.root()
	}

	/// Size of the file in bytes, committed next to the root.
	pub fn file_size(&self) -> u64 {
		self.file_size
	}

	/// Root of segment `segment_index`, or `None` past the end of the file.
	pub fn segment_root(&self, segment_index: u64) -> Option<SegmentRoot> {
		self.levels.leaf(segment_index)
	}

	/// Proof of segment `segment_index` against [`FileTree::root`].
	pub fn segment_proof(&self, segment_index: u64) -> Result<SegmentProof, TreeError> {
		if segment_index >= self.levels.leaf_count() {
			return Err(TreeError::SegmentIndexOutOfRange);
		}
		let path =
			self.levels.path(segment_index).try_into().map_err(|_| TreeError::FileTooLarge)?;
		Ok(SegmentProof { segment_index, path })
	}

	/// Proof of chunk `chunk_index` (over the whole file) against [`FileTree::root`], given the
	/// [`SegmentTree`] of the segment that holds it.
	pub fn chunk_proof(
		&self,
		chunk_index: u64,
		segment: &SegmentTree,
	) -> Result<ChunkProof, TreeError> {
		if chunk_index >= chunk_count(self.file_size) {
			return Err(TreeError::ChunkIndexOutOfRange);
		}
		let segment_index = chunk_index / CHUNKS_PER_SEGMENT_U64;
		if self.segment_root(segment_index) != Some(segment.root()) {
			return Err(TreeError::SegmentMismatch);
		}
		let index_in_segment = u16::try_from(chunk_index % CHUNKS_PER_SEGMENT_U64)
			.map_err(|_| TreeError::ChunkIndexOutOfRange)?;
		Ok(ChunkProof {
			index_in_segment,
			path: segment.chunk_path(index_in_segment)?,
			segment_proof: self.segment_proof(segment_index)?,
		})
	}
}

/// Proof of segment `segment_index` of a file held in memory. Hashes the whole file: to prove many
/// segments, build one [`FileTree`].
pub fn segment_proof(file: &[u8], segment_index: u64) -> Result<SegmentProof, TreeError> {
	FileTree::new(file)?.segment_proof(segment_index)
}

/// Proof of chunk `chunk_index` of a file held in memory. Hashes the whole file: to prove many
/// chunks, build one [`FileTree`] and one [`SegmentTree`] per segment.
pub fn chunk_proof(file: &[u8], chunk_index: u64) -> Result<ChunkProof, TreeError> {
	let tree = FileTree::new(file)?;
	let segment_index = chunk_index / CHUNKS_PER_SEGMENT_U64;
	let segment = usize::try_from(segment_index)
		.ok()
		.and_then(|index| file.chunks(SEGMENT_SIZE).nth(index))
		.ok_or(TreeError::ChunkIndexOutOfRange)?;
	tree.chunk_proof(chunk_index, &SegmentTree::new(segment)?)
}

/// The levels of a binary tree of fixed depth without its padding: `nodes[0]` holds the real
/// leaves and `nodes[h]` the nodes of height `h` with at least one real leaf below; any other node
/// is padding and equals `empty[h]`.
#[derive(Clone, Debug)]
struct Levels {
	nodes: Vec<Vec<H256>>,
	empty: Vec<H256>,
}

impl Levels {
	/// Builds the `depth` levels above `leaves`, padding with `empty_leaf`.
	fn new(leaves: Vec<H256>, depth: usize, empty_leaf: H256) -> Self {
		let mut nodes = Vec::with_capacity(depth + 1);
		let mut empty = Vec::with_capacity(depth + 1);
		let mut below = leaves;
		let mut padding = empty_leaf;
		for _ in 0..depth {
			let above = below
				.chunks(2)
				.map(|pair| {
					let left = pair.first().unwrap_or(&padding);
					let right = pair.get(1).unwrap_or(&padding);
					hash_node(left, right)
				})
				.collect();
			nodes.push(below);
			empty.push(padding);
			below = above;
			padding = hash_node(&padding, &padding);
		}
		nodes.push(below);
		empty.push(padding);
		Self { nodes, empty }
	}

	/// Number of real leaves.
	fn leaf_count(&self) -> u64 {
		self.nodes.first().map_or(0, |leaves| leaves.len() as u64)
	}

	/// Real leaf `index`, if there is one.
	fn leaf(&self, index: u64) -> Option<H256> {
		let leaves = self.nodes.first()?;
		leaves.get(usize::try_from(index).ok()?).copied()
	}

	/// Root: the top real node, or the padding of the full height when there is no real leaf.
	fn root(&self) -> H256 {
		let top = self.nodes.last().and_then(|level| level.first());
		top.or(self.empty.last()).copied().unwrap_or_default()
	}

	/// Siblings of leaf `index` from the bottom level up to just below the root.
	fn path(&self, index: u64) -> Vec<H256> {
		let below_root = self.nodes.len().saturating_sub(1);
		self.nodes
			.iter()
			.zip(&self.empty)
			.take(below_root)
			.enumerate()
			.map(|(height, (level, padding))| {
				let sibling = (index >> height) ^ 1;
				usize::try_from(sibling)
					.ok()
					.and_then(|sibling| level.get(sibling))
					.unwrap_or(padding)
					.to_owned()
			})
			.collect()
	}
}
