//! The RocksDB database under the data store: column families, synced atomic write batches and
//! prefix reads.
//!
//! The store talks to `rocksdb` directly rather than through `kvdb-rocksdb` (which the chain
//! database uses) for one reason: `kvdb-rocksdb` writes without `sync`, so a write it reports as
//! done is in the operating system's page cache, not yet on the disk. That survives `kill -9`
//! but not a power cut, and the node answers `storage_uploadSegment` and `da_putShards` as
//! "stored" only after this write: a client then moves on to the next segment and a DA signer
//! attests to shards it holds. Every write here is therefore a `sync` write: RocksDB `fsync`s its
//! write-ahead log before it returns, and after a crash or a power cut RocksDB replays the log on
//! open, so an acknowledged write is there and an unacknowledged one is there whole or not at all.
//!
//! Column families keep the names `kvdb-rocksdb` gave them (`col0`, `col1`, ...), so a data store
//! written by an earlier node opens unchanged.

use std::{io, path::Path};

use rocksdb::{
	BlockBasedOptions, Cache, ColumnFamily, ColumnFamilyDescriptor, Direction, IteratorMode,
	Options, WriteBatch, WriteOptions, DB,
};

/// One atomic change: puts and deletes in several columns, written together by [`Db::write`].
#[derive(Default)]
pub(super) struct Transaction {
	operations: Vec<Operation>,
}

enum Operation {
	Put { column: u32, key: Vec<u8>, value: Vec<u8> },
	Delete { column: u32, key: Vec<u8> },
	DeletePrefix { column: u32, prefix: Vec<u8> },
}

impl Transaction {
	/// Sets `key` in `column` to `value`.
	pub fn put_vec(&mut self, column: u32, key: &[u8], value: Vec<u8>) {
		self.operations.push(Operation::Put { column, key: key.to_vec(), value });
	}

	/// Removes `key` from `column`.
	pub fn delete(&mut self, column: u32, key: &[u8]) {
		self.operations.push(Operation::Delete { column, key: key.to_vec() });
	}

	/// Removes every key of `column` that starts with `prefix` (a non-empty prefix).
	pub fn delete_prefix(&mut self, column: u32, prefix: &[u8]) {
		self.operations.push(Operation::DeletePrefix { column, prefix: prefix.to_vec() });
	}
}

/// The database: one column family per column, written with `sync`.
pub(super) struct Db {
	db: DB,
	columns: u32,
}

impl Db {
	/// Opens (or creates) the database at `path` with `columns` columns, each with a memory
	/// budget of `memory_budget_mib` (a third for its block cache, the rest for write buffers).
	pub fn open(path: &Path, columns: u32, memory_budget_mib: usize) -> io::Result<Self> {
		let mut options = Options::default();
		options.create_if_missing(true);
		options.create_missing_column_families(true);
		options.set_keep_log_file_num(1);
		options.set_bytes_per_sync(1024 * 1024);
		let budget = memory_budget_mib * 1024 * 1024;
		let descriptors = (0..columns)
			.map(|column| {
				let mut block = BlockBasedOptions::default();
				block.set_block_cache(&Cache::new_lru_cache(budget / 3));
				block.set_bloom_filter(10.0, true);
				let mut column_options = Options::default();
				column_options.set_block_based_table_factory(&block);
				column_options.set_write_buffer_size(budget / 3);
				ColumnFamilyDescriptor::new(column_name(column), column_options)
			})
			.collect::<Vec<_>>();
		let db = DB::open_cf_descriptors(&options, path, descriptors).map_err(io::Error::other)?;
		Ok(Self { db, columns })
	}

	/// The value at `key` in `column`.
	pub fn get(&self, column: u32, key: &[u8]) -> io::Result<Option<Vec<u8>>> {
		self.db.get_cf(self.cf(column)?, key).map_err(io::Error::other)
	}

	/// Every `(key, value)` of `column` whose key starts with `prefix`, in key order.
	pub fn iter_with_prefix(
		&self,
		column: u32,
		prefix: &[u8],
	) -> io::Result<Vec<(Vec<u8>, Vec<u8>)>> {
		let mut found = Vec::new();
		let iterator =
			self.db.iterator_cf(self.cf(column)?, IteratorMode::From(prefix, Direction::Forward));
		for entry in iterator {
			let (key, value) = entry.map_err(io::Error::other)?;
			if !key.starts_with(prefix) {
				break;
			}
			found.push((key.into_vec(), value.into_vec()));
		}
		Ok(found)
	}

	/// Writes `transaction` as one RocksDB write batch, synced to disk before this returns.
	pub fn write(&self, transaction: Transaction) -> io::Result<()> {
		let mut batch = WriteBatch::default();
		for operation in transaction.operations {
			match operation {
				Operation::Put { column, key, value } => batch.put_cf(self.cf(column)?, key, value),
				Operation::Delete { column, key } => batch.delete_cf(self.cf(column)?, key),
				Operation::DeletePrefix { column, prefix } => match prefix_end(&prefix) {
					// One range tombstone, however many segments the file has.
					Some(end) => batch.delete_range_cf(self.cf(column)?, &prefix, &end),
					// A prefix of only 0xff bytes has no end key: delete key by key.
					None => {
						let iterator = self.db.iterator_cf(
							self.cf(column)?,
							IteratorMode::From(&prefix, Direction::Forward),
						);
						for entry in iterator {
							let (key, _) = entry.map_err(io::Error::other)?;
							if !key.starts_with(&prefix) {
								break;
							}
							batch.delete_cf(self.cf(column)?, key);
						}
					},
				},
			}
		}
		let mut options = WriteOptions::default();
		options.set_sync(true);
		self.db.write_opt(batch, &options).map_err(io::Error::other)
	}

	fn cf(&self, column: u32) -> io::Result<&ColumnFamily> {
		if column >= self.columns {
			return Err(io::Error::other(format!("no column {column}")));
		}
		self.db.cf_handle(&column_name(column)).ok_or_else(|| {
			io::Error::other(format!("column family {} is missing", column_name(column)))
		})
	}
}

/// The smallest key above every key that starts with `prefix`: `prefix` with its last byte
/// that is not 0xff incremented and the bytes after it dropped; `None` if it is all 0xff.
fn prefix_end(prefix: &[u8]) -> Option<Vec<u8>> {
	let last = prefix.iter().rposition(|byte| *byte != 0xff)?;
	let mut end = prefix[..=last].to_vec();
	end[last] += 1;
	Some(end)
}

/// The column family of column `column`, named as `kvdb-rocksdb` names it.
fn column_name(column: u32) -> String {
	format!("col{column}")
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn prefix_ends_bound_every_key_of_the_prefix() {
		assert_eq!(prefix_end(&[1, 2, 3]), Some(vec![1, 2, 4]));
		assert_eq!(prefix_end(&[1, 0xff, 0xff]), Some(vec![2]));
		assert_eq!(prefix_end(&[0xff, 0xff]), None);
		assert_eq!(prefix_end(&[]), None);
	}

	#[test]
	fn prefix_deletes_remove_the_prefix_and_nothing_else_even_at_the_top_of_the_key_space() {
		let dir = tempfile::tempdir().unwrap();
		let db = Db::open(dir.path(), 2, 8).unwrap();
		let mut transaction = Transaction::default();
		for prefix in [[0x10u8; 2], [0x11; 2], [0xff; 2]] {
			for suffix in 0u8..3 {
				transaction.put_vec(1, &[&prefix[..], &[suffix]].concat(), vec![suffix]);
			}
		}
		transaction.put_vec(0, &[0x10, 0x10, 0], vec![9]);
		db.write(transaction).unwrap();

		let mut transaction = Transaction::default();
		transaction.delete_prefix(1, &[0x10, 0x10]);
		transaction.delete_prefix(1, &[0xff, 0xff]);
		db.write(transaction).unwrap();
		assert!(db.iter_with_prefix(1, &[0x10]).unwrap().is_empty());
		assert!(db.iter_with_prefix(1, &[0xff]).unwrap().is_empty());
		assert_eq!(db.iter_with_prefix(1, &[0x11]).unwrap().len(), 3);
		assert_eq!(db.get(0, &[0x10, 0x10, 0]).unwrap(), Some(vec![9]), "other columns untouched");
	}

	#[test]
	fn a_column_that_does_not_exist_is_an_error() {
		let dir = tempfile::tempdir().unwrap();
		let db = Db::open(dir.path(), 2, 8).unwrap();
		assert!(db.get(2, b"key").is_err());
		let mut transaction = Transaction::default();
		transaction.put_vec(5, b"key", vec![]);
		assert!(db.write(transaction).is_err());
	}
}
