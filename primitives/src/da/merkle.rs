//! The keccak-256 trees: the chunk tree inside each shard, the shard tree over the shards,
//! the root binding and proof paths.
//!
//! Hashing goes through `sp_runtime::traits::Keccak256`, which calls `sp_io::hashing`: a host
//! function inside the runtime (native speed for multi-megabyte shards) and plain keccak-256
//! elsewhere. The rules are documented on the [`da`](super) module.

use super::CHUNK_BYTES;
use alloc::vec::Vec;
use polkadot_sdk::{
	sp_core::H256,
	sp_runtime::traits::{Hash as _, Keccak256},
};

/// Hash standing in for a missing leaf when the shard count is padded to a power of two.
///
/// 32 zero bytes: fixed, free to compute, and not the hash of any shard anyone can find.
pub const EMPTY_LEAF: H256 = H256([0u8; 32]);

/// keccak-256 of `bytes`.
pub(crate) fn keccak(bytes: &[u8]) -> H256 {
	Keccak256::hash(bytes)
}

/// Leaf of shard `index`: `keccak256(index LE || chunk root of the shard)`.
pub(crate) fn leaf_hash(index: u16, chunk_root: &H256) -> H256 {
	let mut preimage = [0u8; 2 + 32];
	preimage[..2].copy_from_slice(&index.to_le_bytes());
	preimage[2..].copy_from_slice(chunk_root.as_bytes());
	keccak(&preimage)
}

/// Root of the chunk tree of `shard`: keccak-256 of each [`CHUNK_BYTES`] chunk (the last may be
/// shorter) as leaves, padded to a power of two with [`EMPTY_LEAF`], inner nodes as in the shard
/// tree. Works in place, one level at a time: `ceil(len / CHUNK_BYTES)` hashes of at most 32
/// bytes each are kept.
pub(crate) fn chunk_root(shard: &[u8]) -> H256 {
	let mut level: Vec<H256> = chunk_leaves(shard);
	while level.len() > 1 {
		level = level.chunks_exact(2).map(|pair| node_hash(&pair[0], &pair[1])).collect();
	}
	level.first().copied().unwrap_or(EMPTY_LEAF)
}

/// The leaves of `shard`'s chunk tree, already padded to a power of two.
pub(crate) fn chunk_leaves(shard: &[u8]) -> Vec<H256> {
	let mut leaves: Vec<H256> = shard.chunks(CHUNK_BYTES as usize).map(keccak).collect();
	leaves.resize(leaves.len().max(1).next_power_of_two(), EMPTY_LEAF);
	leaves
}

/// Inner node over two children: `keccak256(left || right)`.
pub(crate) fn node_hash(left: &H256, right: &H256) -> H256 {
	let mut preimage = [0u8; 64];
	preimage[..32].copy_from_slice(left.as_bytes());
	preimage[32..].copy_from_slice(right.as_bytes());
	keccak(&preimage)
}

/// The commitment root: `keccak256(shards_root || fingerprints hash || size LE u32 || k LE u16
/// || m LE u16)`.
pub(crate) fn bind_root(
	shards_root: &H256,
	fingerprints: &H256,
	size_bytes: u32,
	data_shards: u16,
	parity_shards: u16,
) -> H256 {
	let mut preimage = [0u8; 32 + 32 + 4 + 2 + 2];
	preimage[..32].copy_from_slice(shards_root.as_bytes());
	preimage[32..64].copy_from_slice(fingerprints.as_bytes());
	preimage[64..68].copy_from_slice(&size_bytes.to_le_bytes());
	preimage[68..70].copy_from_slice(&data_shards.to_le_bytes());
	preimage[70..].copy_from_slice(&parity_shards.to_le_bytes());
	keccak(&preimage)
}

/// Root of a tree reached from the leaf at `index` by hashing in `siblings`, lowest level
/// first. Bit `l` of `index` says whether the node at level `l` is a right child.
pub(crate) fn root_from_path<'a>(
	leaf: H256,
	index: u32,
	siblings: impl IntoIterator<Item = &'a H256>,
) -> H256 {
	let mut node = leaf;
	let mut position = index;
	for sibling in siblings {
		node =
			if position & 1 == 0 { node_hash(&node, sibling) } else { node_hash(sibling, &node) };
		position >>= 1;
	}
	node
}

/// Every level of the tree over `leaves`, leaves first and the root level last, after padding the
/// leaves to a power of two with [`EMPTY_LEAF`].
pub(crate) fn tree_levels(mut leaves: Vec<H256>) -> Vec<Vec<H256>> {
	leaves.resize(leaves.len().max(1).next_power_of_two(), EMPTY_LEAF);
	let mut levels = alloc::vec![leaves];
	while let Some(level) = levels.last().filter(|level| level.len() > 1) {
		let parents = level.chunks_exact(2).map(|pair| node_hash(&pair[0], &pair[1])).collect();
		levels.push(parents);
	}
	levels
}

/// Siblings of leaf `index` in `levels` (from [`tree_levels`]), lowest level first.
pub(crate) fn path(levels: &[Vec<H256>], index: usize) -> Vec<H256> {
	let below_root = levels.len().saturating_sub(1);
	levels
		.iter()
		.take(below_root)
		.enumerate()
		.filter_map(|(level, nodes)| nodes.get((index >> level) ^ 1).copied())
		.collect()
}
