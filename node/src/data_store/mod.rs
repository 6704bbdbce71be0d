//! The node's data store: the bytes of storage segments and DA shards, with their proofs.
//!
//! It lives in its own RocksDB database at `<chain config dir>/zerog-data`
//! ([`DATA_DIR_NAME`]), apart from the chain database: the chain only holds commitments, and a
//! node can drop or rebuild its data without touching consensus state.
//!
//! The store holds bytes and counters only, no rules: whether a segment or a shard belongs to a
//! committed root is checked by the RPC layer (`crate::rpc`) with the primitives' verifiers before
//! anything is written here.
//!
//! # Columns
//!
//! | column | key | value |
//! |---|---|---|
//! | [`columns::FILES`] | root ‖ size (BE u64) | SCALE `FileRecord`: segments stored |
//! | [`columns::SEGMENTS`] | root ‖ size ‖ segment index (BE u64) | SCALE (bytes, `SegmentProof`) |
//! | [`columns::SEGMENT_BITMAPS`] | root ‖ size ‖ page (BE u64) | bitmap of the stored segments |
//! | [`columns::BLOBS`] | root | SCALE `BlobRecord`: commitment, bitmap of held shards |
//! | [`columns::SHARDS`] | root ‖ shard index (BE u16) | SCALE (bytes, `ShardProof`) |
//!
//! A file is keyed by its root *and* its size, because the commitment is the pair: two files that
//! differ only in trailing zero bytes share a root (see `zerog_primitives::storage`).
//!
//! # Crash safety
//!
//! Every change (a segment with its bitmap bit and the file's counter; a batch of shards with the
//! blob's bitmap) is one [`db::Transaction`], written as one RocksDB write batch through the
//! write-ahead log and synced to disk before the write returns (see [`db`]): after a `kill -9` or
//! a power cut, a write the node acknowledged is there, and any other write is either entirely
//! there or not at all. Writers are serialised by a mutex so the read-modify-write of counters
//! and bitmaps cannot interleave.

mod bitmap;
#[cfg(test)]
mod crash_tests;
mod db;
mod segments;
mod shards;
#[cfg(test)]
mod tests;

pub use segments::StoredFile;
pub use shards::StoredBlob;

use std::{
	fmt,
	path::Path,
	sync::{Mutex, MutexGuard},
};

use codec::{Decode, DecodeAll};

use db::{Db, Transaction};

/// Name of the data store's directory inside the chain's config directory
/// (`<base path>/chains/<chain id>/zerog-data`).
pub const DATA_DIR_NAME: &str = "zerog-data";

/// The store's columns (RocksDB column families), by number.
pub mod columns {
	/// Per stored file (root ‖ size): how many of its segments are stored.
	pub const FILES: u32 = 0;
	/// Per stored segment: its bytes and its proof against the file root.
	pub const SEGMENTS: u32 = 1;
	/// Per file and page of [`super::segments::SEGMENTS_PER_BITMAP_PAGE`] segments: which of them
	/// are stored, one bit each.
	pub const SEGMENT_BITMAPS: u32 = 2;
	/// Per blob root: its commitment and which shards are held, one bit each.
	pub const BLOBS: u32 = 3;
	/// Per held shard: its bytes and its proof against the blob commitment.
	pub const SHARDS: u32 = 4;
	/// Number of columns.
	pub const COUNT: u32 = 5;
}

/// RocksDB memory budget (block cache and write buffers) of each column, in MiB. The values are
/// large and read rarely, so a small cache is enough; the default of 128 MiB per column would
/// reserve more than half a gigabyte for five columns.
const COLUMN_MEMORY_BUDGET_MIB: usize = 32;

/// Why the data store could not read or write.
#[derive(Debug)]
pub enum StoreError {
	/// RocksDB failed (disk full, permissions, a database locked by another process, ...).
	Io(std::io::Error),
	/// A stored value does not decode: the database was written by something else or damaged.
	Corrupt {
		/// What was being read, e.g. "segment 3 of 0x…".
		what: String,
		/// The decoding error.
		reason: codec::Error,
	},
}

impl fmt::Display for StoreError {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			Self::Io(error) => write!(f, "data store I/O error: {error}"),
			Self::Corrupt { what, reason } => {
				write!(f, "data store holds an unreadable {what}: {reason}")
			},
		}
	}
}

impl std::error::Error for StoreError {}

impl From<std::io::Error> for StoreError {
	fn from(error: std::io::Error) -> Self {
		Self::Io(error)
	}
}

/// The RocksDB database of segments and shards; shared by the RPC handlers behind an `Arc`.
pub struct DataStore {
	db: Db,
	/// Held for every read-modify-write, so two uploads to the same file cannot both count one
	/// segment or lose each other's bitmap bit. Reads do not take it: every write is atomic.
	write_lock: Mutex<()>,
}

impl DataStore {
	/// Opens the store at `path`, creating the directory and the columns if they are missing.
	pub fn open(path: &Path) -> Result<Self, StoreError> {
		std::fs::create_dir_all(path)?;
		let db = Db::open(path, columns::COUNT, COLUMN_MEMORY_BUDGET_MIB)?;
		Ok(Self { db, write_lock: Mutex::new(()) })
	}

	/// Reads and decodes the value at `key` in `column`; `what` names it in a corruption error.
	fn read<T: Decode>(
		&self,
		column: u32,
		key: &[u8],
		what: impl FnOnce() -> String,
	) -> Result<Option<T>, StoreError> {
		let Some(bytes) = self.db.get(column, key)? else { return Ok(None) };
		T::decode_all(&mut bytes.as_slice())
			.map(Some)
			.map_err(|reason| StoreError::Corrupt { what: what(), reason })
	}

	/// Every `(key, value)` of `column` whose key starts with `prefix`, in key order.
	fn read_prefix(
		&self,
		column: u32,
		prefix: &[u8],
	) -> Result<Vec<(Vec<u8>, Vec<u8>)>, StoreError> {
		self.db.iter_with_prefix(column, prefix).map_err(StoreError::Io)
	}

	/// A change to fill and hand to [`DataStore::write`].
	fn transaction(&self) -> Transaction {
		Transaction::default()
	}

	/// Writes `transaction` atomically and durably.
	fn write(&self, transaction: Transaction) -> Result<(), StoreError> {
		self.db.write(transaction).map_err(StoreError::Io)
	}

	/// Serialises writers; a poisoned lock is taken anyway, since every write is atomic and a
	/// panicking writer cannot have left half a change behind.
	fn lock_writes(&self) -> MutexGuard<'_, ()> {
		self.write_lock.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
	}
}
