//! The node's data store as its storage provider's off-chain worker sees it: registered in the
//! worker's externalities (and only there) behind the host functions of
//! `zerog_primitives::storage::host`, so challenges are answered from this node's own copy.

use std::sync::Arc;

use polkadot_sdk::sp_core::H256;
use zerog_primitives::storage::{
	chunk_len,
	host::{ChunkWithProof, ProviderStore, ProviderStoreExt, StoreRefusal},
	ChunkProof, SegmentProof, SegmentTree, CHUNKS_PER_SEGMENT, CHUNK_SIZE,
};

use crate::data_store::DataStore;

/// Log target of the worker's store reads.
const LOG_TARGET: &str = "zerog-storage";

/// The data store, offered to the off-chain worker.
pub struct OffchainProviderStore(Arc<DataStore>);

impl OffchainProviderStore {
	/// The extension to register in an off-chain worker's externalities.
	pub fn extension(store: Arc<DataStore>) -> ProviderStoreExt {
		ProviderStoreExt::new(Arc::new(Self(store)))
	}
}

impl ProviderStore for OffchainProviderStore {
	fn holds_file(&self, root: H256, size: u64) -> Result<bool, StoreRefusal> {
		self.0.holds_file(&root, size).map_err(|error| {
			log::warn!(target: LOG_TARGET, "cannot read file {root:?} ({size} bytes): {error}");
			StoreRefusal::Failed
		})
	}

	fn chunk_proof(
		&self,
		root: H256,
		size: u64,
		chunk_index: u64,
	) -> Result<ChunkWithProof, StoreRefusal> {
		let segment_index = chunk_index / CHUNKS_PER_SEGMENT as u64;
		let (segment, segment_proof) = match self.0.segment(&root, size, segment_index) {
			Ok(Some(stored)) => stored,
			Ok(None) => return Err(StoreRefusal::NotHeld),
			Err(error) => {
				log::warn!(target: LOG_TARGET, "cannot read a challenged segment: {error}");
				return Err(StoreRefusal::Failed);
			},
		};
		prove_chunk(&root, size, chunk_index, &segment, segment_proof).map_err(|reason| {
			log::error!(
				target: LOG_TARGET,
				"stored segment {segment_index} of file {root:?} ({size} bytes) cannot prove \
				 chunk {chunk_index}: {reason}"
			);
			StoreRefusal::Failed
		})
	}
}

/// Chunk `chunk_index` of the file `(root, size)`, cut from its stored `segment`, with the
/// chunk's proof (its path in the segment tree, then `segment_proof`), checked before it is
/// handed out: a corrupt segment is an error, not a proof the chain would refuse.
pub fn prove_chunk(
	root: &H256,
	size: u64,
	chunk_index: u64,
	segment: &[u8],
	segment_proof: SegmentProof,
) -> Result<(Vec<u8>, ChunkProof), String> {
	let len = chunk_len(size, chunk_index).ok_or("the chunk is past the end of the file")?;
	// Below `CHUNKS_PER_SEGMENT` (1024), which fits a `u16`.
	let index_in_segment = (chunk_index % CHUNKS_PER_SEGMENT as u64) as u16;
	let start = usize::from(index_in_segment) * CHUNK_SIZE;
	let chunk = segment
		.get(start..start + len)
		.ok_or_else(|| format!("only {} bytes stored", segment.len()))?;
	let tree = SegmentTree::new(segment).map_err(|error| error.to_string())?;
	let path = tree.chunk_path(index_in_segment).map_err(|error| error.to_string())?;
	let proof = ChunkProof { index_in_segment, path, segment_proof };
	proof.verify(root, size, chunk_index, chunk).map_err(|error| error.to_string())?;
	Ok((chunk.to_vec(), proof))
}

#[cfg(test)]
mod tests {
	use super::*;
	use zerog_primitives::storage::{file_root, segment_proof, SEGMENT_SIZE};

	/// A store holding every segment of a three-segment file with a short last chunk, and a
	/// second file of the same root committed with another size, of which it holds nothing.
	fn store_with_file() -> (tempfile::TempDir, Arc<DataStore>, Vec<u8>, H256) {
		let dir = tempfile::tempdir().unwrap();
		let store = Arc::new(DataStore::open(dir.path()).unwrap());
		let data: Vec<u8> = (0..2 * SEGMENT_SIZE + 1000).map(|i| (i % 253) as u8 + 1).collect();
		let root = file_root(&data).unwrap();
		let size = data.len() as u64;
		for (index, bytes) in data.chunks(SEGMENT_SIZE).enumerate() {
			let proof = segment_proof(&data, index as u64).unwrap();
			store.put_segment(&root, size, index as u64, bytes, &proof).unwrap();
		}
		(dir, store, data, root)
	}

	#[test]
	fn proves_any_stored_chunk_against_the_committed_file() {
		let (_dir, store, data, root) = store_with_file();
		let provider = OffchainProviderStore(store);
		let size = data.len() as u64;
		let last = (size - 1) / CHUNK_SIZE as u64;
		for chunk_index in [0, 1023, 1024, 2047, last] {
			let (chunk, proof) = provider.chunk_proof(root, size, chunk_index).unwrap();
			let start = chunk_index as usize * CHUNK_SIZE;
			assert_eq!(chunk, data[start..(start + CHUNK_SIZE).min(data.len())]);
			proof.verify(&root, size, chunk_index, &chunk).unwrap();
		}
		assert_eq!(provider.holds_file(root, size), Ok(true));
	}

	#[test]
	fn refuses_what_it_does_not_hold_under_that_exact_commitment() {
		let (_dir, store, data, root) = store_with_file();
		let provider = OffchainProviderStore(store.clone());
		let size = data.len() as u64;
		// The same root with another size, another root, a chunk past the end.
		assert_eq!(provider.holds_file(root, size + 1), Ok(false));
		assert_eq!(provider.chunk_proof(root, size + 1, 0), Err(StoreRefusal::NotHeld));
		assert_eq!(provider.chunk_proof(H256::repeat_byte(7), size, 0), Err(StoreRefusal::NotHeld));
		assert_eq!(provider.chunk_proof(root, size, 3 * 1024), Err(StoreRefusal::NotHeld));
		// A file only partly stored is not held.
		let other: Vec<u8> = vec![5; 2 * SEGMENT_SIZE];
		let other_root = file_root(&other).unwrap();
		let proof = segment_proof(&other, 0).unwrap();
		store
			.put_segment(&other_root, other.len() as u64, 0, &other[..SEGMENT_SIZE], &proof)
			.unwrap();
		assert_eq!(provider.holds_file(other_root, other.len() as u64), Ok(false));
	}

	#[test]
	fn a_chunk_past_the_end_of_a_stored_last_segment_is_refused() {
		let (_dir, store, data, root) = store_with_file();
		let size = data.len() as u64;
		let (segment, proof) = store.segment(&root, size, 2).unwrap().unwrap();
		// Chunk 2052 lies in segment 2 but past the file's last chunk (2051).
		assert!(prove_chunk(&root, size, 2052, &segment, proof.clone()).is_err());
		// A corrupt stored segment proves nothing.
		let mut corrupt = segment.clone();
		corrupt[0] ^= 1;
		assert!(prove_chunk(&root, size, 2048, &corrupt, proof).is_err());
	}
}
