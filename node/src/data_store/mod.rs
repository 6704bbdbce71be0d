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
mod quota;
mod segments;
mod shards;
#[cfg(test)]
mod tests;

pub use quota::DataStoreParams;
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
	/// A write would pass the store's quota or eat into the disk's free-space reserve; nothing
	/// was written.
	Full(String),
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
			Self::Full(reason) => write!(f, "{reason}"),
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
	/// How much of the disk the segments may use.
	quota: quota::Quota,
}

impl DataStore {
	/// Opens the store at `path` without limits, creating the directory and the columns if they
	/// are missing (the node itself always opens it with its limits).
	#[cfg(test)]
	pub fn open(path: &Path) -> Result<Self, StoreError> {
		Self::open_with_limits(path, None, 0)
	}

	/// Opens the store at `path` with at most `max_bytes` of segments (`None`: no quota) and
	/// `min_free` bytes kept free on its disk (see [`quota`]).
	pub fn open_with_limits(
		path: &Path,
		max_bytes: Option<u64>,
		min_free: u64,
	) -> Result<Self, StoreError> {
		std::fs::create_dir_all(path)?;
		let db = Db::open(path, columns::COUNT, COLUMN_MEMORY_BUDGET_MIB)?;
		let mut quota = quota::Quota::unlimited(path);
		quota.set_limits(max_bytes, min_free);
		let store = Self { db, write_lock: Mutex::new(()), quota };
		let segments: u64 = store.all_files()?.iter().map(|file| file.segments_stored).sum();
		store.quota.set_used(segments.saturating_mul(quota::SEGMENT_BYTES));
		Ok(store)
	}

	/// Bytes of segments stored (counted in whole segments) and the quota, if any.
	pub fn usage(&self) -> (u64, Option<u64>) {
		(self.quota.used(), self.quota.max_bytes())
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
