//! Shards of DA blobs: their bytes and proofs, and per blob its commitment and which shards are
//! held.

use codec::{Decode, Encode};
use polkadot_sdk::sp_core::H256;
use zerog_primitives::da::{BlobCommitment, ShardProof};

use super::{bitmap, columns, DataStore, StoreError};

/// What the store keeps per blob besides its shards.
#[derive(Encode, Decode)]
struct BlobRecord {
	/// The commitment the shards were verified against, kept so a blob can still be served and
	/// rebuilt after the chain forgets it.
	commitment: BlobCommitment,
	/// Bit `i` set when shard `i` is held; at most 128 bytes (1024 shards).
	held: Vec<u8>,
}

/// A held shard: its bytes and its proof against the blob commitment.
#[derive(Encode, Decode)]
struct ShardRecord {
	data: Vec<u8>,
	proof: ShardProof,
}

/// A blob the store holds shards of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredBlob {
	/// The blob's commitment: root, size and coding.
	pub commitment: BlobCommitment,
	/// Indices of the held shards, ascending.
	pub held: Vec<u16>,
}

/// Outcome of storing a batch of shards.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PutShards {
	/// Shards of the batch that were not held before.
	pub newly_stored: u32,
	/// Shards of the blob held now, the batch included.
	pub held: u32,
}

impl DataStore {
	/// Stores `shards` (index, bytes, proof) of the blob behind `commitment`, all in one write.
	///
	/// The caller has verified every shard against `commitment`. Shards already held are left as
	/// they are and not counted as new.
	pub fn put_shards(
		&self,
		commitment: &BlobCommitment,
		shards: Vec<(u16, Vec<u8>, ShardProof)>,
	) -> Result<PutShards, StoreError> {
		let root = &commitment.root;
		let _guard = self.lock_writes();
		let mut record = self
			.blob_record(root)?
			.unwrap_or_else(|| BlobRecord { commitment: *commitment, held: Vec::new() });
		let mut transaction = self.transaction();
		let mut newly_stored = 0u32;
		for (index, data, proof) in shards {
			if bitmap::set(&mut record.held, usize::from(index)) {
				newly_stored = newly_stored.saturating_add(1);
				let shard = ShardRecord { data, proof };
				transaction.put_vec(columns::SHARDS, &shard_key(root, index), shard.encode());
			}
		}
		let held = held_count(&record.held);
		if newly_stored > 0 {
			transaction.put_vec(columns::BLOBS, root.as_bytes(), record.encode());
			self.write(transaction)?;
		}
		Ok(PutShards { newly_stored, held })
	}

	/// Shard `index` of the blob with `root` and its proof, if held.
	pub fn shard(
		&self,
		root: &H256,
		index: u16,
	) -> Result<Option<(Vec<u8>, ShardProof)>, StoreError> {
		let record: Option<ShardRecord> =
			self.read(columns::SHARDS, &shard_key(root, index), || {
				format!("shard {index} of blob {root:?}")
			})?;
		Ok(record.map(|record| (record.data, record.proof)))
	}

	/// The blob with `root`, if any of its shards is held.
	pub fn stored_blob(&self, root: &H256) -> Result<Option<StoredBlob>, StoreError> {
		Ok(self.blob_record(root)?.map(|record| StoredBlob {
			commitment: record.commitment,
			held: held_indices(&record.held),
		}))
	}

	/// Drops the shards `indices` of the blob with `root`; returns how many were held. The blob's
	/// record goes with its last shard.
	pub fn remove_shards(&self, root: &H256, indices: &[u16]) -> Result<u32, StoreError> {
		let _guard = self.lock_writes();
		let Some(mut record) = self.blob_record(root)? else { return Ok(0) };
		let mut transaction = self.transaction();
		let mut removed = 0u32;
		for index in indices {
			if bitmap::clear(&mut record.held, usize::from(*index)) {
				removed = removed.saturating_add(1);
				transaction.delete(columns::SHARDS, &shard_key(root, *index));
			}
		}
		if removed == 0 {
			return Ok(0);
		}
		if bitmap::count(&record.held) == 0 {
			transaction.delete(columns::BLOBS, root.as_bytes());
		} else {
			transaction.put_vec(columns::BLOBS, root.as_bytes(), record.encode());
		}
		self.write(transaction)?;
		Ok(removed)
	}

	/// The root of every blob the store holds shards of, in key order.
	pub fn stored_blob_roots(&self) -> Result<Vec<H256>, StoreError> {
		self.read_prefix(columns::BLOBS, &[])?
			.into_iter()
			.map(|(key, _)| {
				<[u8; 32]>::try_from(key.as_slice()).map(H256::from).map_err(|_| {
					StoreError::Corrupt {
						what: format!("blob key {}", zerog_primitives::hex::to_prefixed_hex(&key)),
						reason: "key is not a root".into(),
					}
				})
			})
			.collect()
	}

	/// Drops every shard of the blob with `root` and its record, in one write; returns how many
	/// shards were held.
	pub fn remove_blob(&self, root: &H256) -> Result<u32, StoreError> {
		let _guard = self.lock_writes();
		let Some(record) = self.blob_record(root)? else { return Ok(0) };
		let mut transaction = self.transaction();
		transaction.delete_prefix(columns::SHARDS, root.as_bytes());
		transaction.delete(columns::BLOBS, root.as_bytes());
		self.write(transaction)?;
		Ok(held_count(&record.held))
	}

	/// The record of the blob with `root`, if any shard of it is held.
	fn blob_record(&self, root: &H256) -> Result<Option<BlobRecord>, StoreError> {
		self.read(columns::BLOBS, root.as_bytes(), || format!("blob record of {root:?}"))
	}
}

/// Number of held shards in a bitmap; at most 1024 for a valid blob.
fn held_count(held: &[u8]) -> u32 {
	u32::try_from(bitmap::count(held)).unwrap_or(u32::MAX)
}

/// Indices of the held shards in a bitmap, ascending; bits past `u16::MAX` cannot be set since
/// they are only ever set from `u16` indices.
fn held_indices(held: &[u8]) -> Vec<u16> {
	bitmap::ones(held).filter_map(|index| u16::try_from(index).ok()).collect()
}

/// Key of shard `index` of the blob with `root`: root ‖ index (BE).
fn shard_key(root: &H256, index: u16) -> [u8; 34] {
	let mut key = [0u8; 34];
	key[..32].copy_from_slice(root.as_bytes());
	key[32..].copy_from_slice(&index.to_be_bytes());
	key
}
