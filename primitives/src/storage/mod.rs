//! Storage commitments: how a file of bytes becomes one 32-byte [`FileRoot`], and how a single
//! chunk or segment is proven to belong to it.
//!
//! The pallet, the node's upload RPC, the provider's offchain worker and the command-line tools
//! all hash and prove with this module, so a root computed anywhere verifies everywhere.
//!
//! # Terminology
//!
//! - **Chunk** (a sector): [`CHUNK_SIZE`] = 256 bytes. The leaf of every tree, the unit a storage
//!   challenge asks for and the unit fees are charged per.
//! - **Segment**: [`SEGMENT_SIZE`] = 256 KiB = [`CHUNKS_PER_SEGMENT`] (1024) chunks. The unit that is
//!   uploaded and downloaded with a proof.
//! - **Segment tree**: a complete binary tree with exactly 1024 leaves, one per chunk of the
//!   segment; its root is the [`SegmentRoot`]. It is always [`SEGMENT_TREE_DEPTH`] (10) levels deep.
//! - **File tree**: a complete binary tree whose leaves are the segment roots of the file, in order;
//!   its root is the [`FileRoot`]. Its depth is `ceil(log2(segment count))`, at most
//!   [`MAX_FILE_TREE_DEPTH`].
//!
//! Chunk `i` of a file is chunk `i % 1024` of segment `i / 1024`, so a [`ChunkProof`] is the chunk's
//! path inside its segment tree followed by the segment's [`SegmentProof`] in the file tree.
//!
//! # Hashing
//!
//! Every hash is keccak-256: it is what 0G uses and what an EVM contract can check cheaply. In the
//! runtime it runs as a host function, so verifying a proof costs a few dozen native hashes.
//!
//! - A leaf is `keccak256(chunk)` over the 256 bytes of the chunk, padded as below.
//! - An inner node is `keccak256(left ‖ right)` over the 64 bytes of its two children.
//!
//! Leaves and inner nodes need no domain tag: a leaf hashes 256 bytes and an inner node 64, and
//! every proof has a fixed, size-derived length, so one cannot be passed off as the other without
//! a keccak preimage.
//!
//! # Padding rules
//!
//! Padding is always zero bytes, at every level. Equivalently: the [`FileRoot`] of a file is the
//! root of the plain binary keccak tree over the 256-byte chunks of the file once its bytes are
//! followed by zeros up to a whole power-of-two number of segments. In detail:
//!
//! 1. **Short last chunk.** If the file size is not a multiple of 256, the last chunk is followed by
//!    zero bytes up to 256 before it is hashed.
//! 2. **Short last segment.** If the file has fewer than 1024 chunks in its last segment, the missing
//!    leaves are [`EMPTY_CHUNK_HASH`] (`keccak256` of 256 zero bytes), so every segment tree has
//!    exactly 1024 leaves. A segment that is all padding has root [`EMPTY_SEGMENT_ROOT`].
//! 3. **File tree.** The segment roots are followed by [`EMPTY_SEGMENT_ROOT`] up to the next power of
//!    two (at least one leaf), and inner nodes are built from those like any other: a node whose
//!    whole subtree is padding is the root of an all-zero subtree of that height, never a special
//!    marker. A file of exactly one segment has its segment root as file root.
//! 4. **Zero-length file.** A file of size 0 has no chunk and no segment; its file tree is one
//!    padding leaf, so its root is [`EMPTY_FILE_ROOT`] = [`EMPTY_SEGMENT_ROOT`]. Nothing in it can be
//!    proven: every proof against size 0 fails with [`ProofError::FileEmpty`].
//!
//! Because padding is zeros, a root alone does not fix the length: a file and the same file with
//! trailing zero bytes share a root. The commitment is therefore always the pair `(root, size)`,
//! and every verifier takes the size and derives from it the tree depth, the valid indices and the
//! exact byte length of the chunk or segment being proven.

pub mod host;
mod layout;
mod proof;
#[cfg(feature = "std")]
mod prover;
mod stored_files;
pub mod transport;
mod tree;

#[cfg(test)]
mod tests;

pub use layout::{chunk_count, chunk_len, file_tree_depth, segment_count, segment_len};
pub use proof::{zero_file_chunk_proof, ChunkProof, ProofError, SegmentProof};
#[cfg(feature = "std")]
pub use prover::{chunk_proof, segment_proof, FileTree, SegmentTree};
pub use stored_files::{LiveFile, StoredFiles, MAX_COMMITMENTS_CHECKED};
pub use tree::{
	file_root, segment_root, FileRootBuilder, TreeError, EMPTY_CHUNK_HASH, EMPTY_FILE_ROOT,
	EMPTY_SEGMENT_ROOT,
};

use polkadot_sdk::sp_core::{bounded::BoundedVec, ConstU32, H256};

/// Size of a chunk (a sector), in bytes: the leaf of every tree, the unit a challenge asks for
/// and the unit fees are charged per.
pub const CHUNK_SIZE: usize = 256;

/// Number of chunks in a segment, which is also the number of leaves of every segment tree.
pub const CHUNKS_PER_SEGMENT: usize = 1024;

/// Size of a segment, in bytes (256 KiB): the unit uploaded and downloaded with a proof.
pub const SEGMENT_SIZE: usize = CHUNK_SIZE * CHUNKS_PER_SEGMENT;

/// Depth of a segment tree, `log2(CHUNKS_PER_SEGMENT)`: the number of sibling hashes on a chunk's
/// path to its segment root.
pub const SEGMENT_TREE_DEPTH: usize = 10;

/// Largest depth of a file tree that a [`SegmentProof`] can carry: a file has at most 2^32
/// segments.
///
/// This bounds the encoded size of a proof taken as a call argument (32 hashes, 1 KiB) while
/// leaving room far above any file the chain will accept.
pub const MAX_FILE_TREE_DEPTH: u32 = 32;

/// Largest number of segments in a file: `2^MAX_FILE_TREE_DEPTH`.
pub const MAX_SEGMENTS: u64 = 1 << MAX_FILE_TREE_DEPTH;

/// Largest file size that can be committed and proven, in bytes (2^50 bytes, 1 PiB).
pub const MAX_FILE_SIZE: u64 = MAX_SEGMENTS * SEGMENT_SIZE as u64;

// The tree shapes above rely on these relations; a wrong edit fails the build, not a proof.
const _: () = assert!(1 << SEGMENT_TREE_DEPTH == CHUNKS_PER_SEGMENT);
const _: () = assert!(CHUNKS_PER_SEGMENT <= u16::MAX as usize + 1);
const _: () = assert!(MAX_FILE_SIZE / SEGMENT_SIZE as u64 == MAX_SEGMENTS);

/// Hash of one chunk: a leaf of a segment tree.
pub type ChunkHash = H256;

/// Root of the segment tree of one segment: a leaf of the file tree.
pub type SegmentRoot = H256;

/// Root of the file tree: the commitment to a file's bytes, together with its size in bytes.
pub type FileRoot = H256;

/// Sibling hashes from a chunk up to its segment root, the sibling of the leaf first.
///
/// A fixed array, since every segment tree has the same depth.
pub type ChunkPath = [H256; SEGMENT_TREE_DEPTH];

/// Sibling hashes from a segment root up to the file root, the sibling of the segment root first.
///
/// Its length must equal [`file_tree_depth`] of the file size; it is empty for a one-segment file.
pub type SegmentPath = BoundedVec<H256, ConstU32<MAX_FILE_TREE_DEPTH>>;

/// `CHUNK_SIZE` as a byte count of a file; a widening cast, evaluated at compile time.
const CHUNK_SIZE_U64: u64 = CHUNK_SIZE as u64;

/// `SEGMENT_SIZE` as a byte count of a file; a widening cast, evaluated at compile time.
const SEGMENT_SIZE_U64: u64 = SEGMENT_SIZE as u64;

/// `CHUNKS_PER_SEGMENT` as a chunk count of a file; a widening cast, evaluated at compile time.
const CHUNKS_PER_SEGMENT_U64: u64 = CHUNKS_PER_SEGMENT as u64;
