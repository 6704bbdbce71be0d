//! Segments of storage files: their bytes and proofs, which of them are stored, and each file's
//! count of stored segments.

use codec::{Decode, DecodeAll, Encode};
use polkadot_sdk::sp_core::H256;
use zerog_primitives::storage::{segment_count, SegmentProof};

use super::{bitmap, columns, DataStore, StoreError};

/// Segments per bitmap page: a page is at most 4 KiB, so recording one upload rewrites at most
/// 4 KiB however large the file is.
pub(super) const SEGMENTS_PER_BITMAP_PAGE: u64 = 32 * 1024;

/// Length of a file key: root (32 bytes) ‖ size (8 bytes, big-endian).
const FILE_KEY_LEN: usize = 40;

/// What the store keeps per file besides its segments.
#[derive(Encode, Decode, Default)]
struct FileRecord {
	/// Number of distinct segments stored.
	segments_stored: u64,
}

/// A stored segment: its bytes (the last segment of a file without padding) and its proof.
#[derive(Encode, Decode)]
struct SegmentRecord {
	data: Vec<u8>,
	proof: SegmentProof,
}

/// A file the store holds segments of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredFile {
	/// Root of the file.
	pub root: H256,
	/// Size of the file in bytes, committed with the root.
	pub size: u64,
	/// How many of its segments are stored.
	pub segments_stored: u64,
}

impl StoredFile {
	/// Number of segments of the whole file.
	pub fn segments(&self) -> u64 {
		segment_count(self.size)
	}

	/// Whether every segment of the file is stored.
	pub fn is_finalized(&self) -> bool {
		self.segments_stored >= self.segments()
	}
}

/// Outcome of storing one segment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PutSegment {
	/// `false` if the segment was stored already (nothing was written).
	pub newly_stored: bool,
	/// Segments of the file stored now, this one included.
	pub segments_stored: u64,
}

impl DataStore {
	/// Stores segment `index` of the file `(root, size)` with its proof, and counts it.
	///
	/// The caller has verified `proof` against `(root, size)`. Storing a segment that is already
	/// there changes nothing and returns `newly_stored: false`.
	pub fn put_segment(
		&self,
		root: &H256,
		size: u64,
		index: u64,
		data: &[u8],
		proof: &SegmentProof,
	) -> Result<PutSegment, StoreError> {
		let _guard = self.lock_writes();
		let mut record = self.file_record(root, size)?.unwrap_or_default();
		let page = index / SEGMENTS_PER_BITMAP_PAGE;
		let mut bits = self.bitmap_page(root, size, page)?;
		if !bitmap::set(&mut bits, bit_in_page(index)) {
			return Ok(PutSegment { newly_stored: false, segments_stored: record.segments_stored });
		}
		self.quota.check_one_more()?;
		record.segments_stored = record.segments_stored.saturating_add(1);

		let mut transaction = self.transaction();
		let segment = SegmentRecord { data: data.to_vec(), proof: proof.clone() };
		transaction.put_vec(columns::SEGMENTS, &segment_key(root, size, index), segment.encode());
		transaction.put_vec(columns::SEGMENT_BITMAPS, &page_key(root, size, page), bits);
		transaction.put_vec(columns::FILES, &file_key(root, size), record.encode());
		self.write(transaction)?;
		self.quota.add(1);
		Ok(PutSegment { newly_stored: true, segments_stored: record.segments_stored })
	}

	/// Segment `index` of the file `(root, size)` and its proof, if stored.
	pub fn segment(
		&self,
		root: &H256,
		size: u64,
		index: u64,
	) -> Result<Option<(Vec<u8>, SegmentProof)>, StoreError> {
		let record: Option<SegmentRecord> =
			self.read(columns::SEGMENTS, &segment_key(root, size, index), || {
				format!("segment {index} of file {root:?} ({size} bytes)")
			})?;
		Ok(record.map(|record| (record.data, record.proof)))
	}

	/// Whether segment `index` of the file `(root, size)` is stored, without reading it.
	#[cfg(test)]
	pub fn has_segment(&self, root: &H256, size: u64, index: u64) -> Result<bool, StoreError> {
		let bits = self.bitmap_page(root, size, index / SEGMENTS_PER_BITMAP_PAGE)?;
		Ok(bitmap::is_set(&bits, bit_in_page(index)))
	}

	/// The file `(root, size)`, if any of its segments is stored.
	pub fn stored_file(&self, root: &H256, size: u64) -> Result<Option<StoredFile>, StoreError> {
		Ok(self.file_record(root, size)?.map(|record| StoredFile {
			root: *root,
			size,
			segments_stored: record.segments_stored,
		}))
	}

	/// Whether every segment of the file committed as exactly `(root, size)` is stored.
	pub fn holds_file(&self, root: &H256, size: u64) -> Result<bool, StoreError> {
		Ok(self.stored_file(root, size)?.is_some_and(|file| file.is_finalized()))
	}

	/// Every file with `root` the store holds segments of, smallest size first.
	pub fn stored_files(&self, root: &H256) -> Result<Vec<StoredFile>, StoreError> {
		self.files_with_prefix(root.as_bytes())
	}

	/// Every file the store holds segments of, in key order.
	pub fn all_files(&self) -> Result<Vec<StoredFile>, StoreError> {
		self.files_with_prefix(&[])
	}

	/// The files whose key starts with `prefix`.
	fn files_with_prefix(&self, prefix: &[u8]) -> Result<Vec<StoredFile>, StoreError> {
		self.read_prefix(columns::FILES, prefix)?
			.into_iter()
			.map(|(key, value)| {
				let (root, size) = parse_file_key(&key)?;
				let record = FileRecord::decode_all(&mut value.as_slice()).map_err(|reason| {
					StoreError::Corrupt { what: format!("file record of {root:?}"), reason }
				})?;
				Ok(StoredFile { root, size, segments_stored: record.segments_stored })
			})
			.collect()
	}

	/// Every file `(root, size)` the store holds segments of, in key order.
	pub fn stored_file_keys(&self) -> Result<Vec<(H256, u64)>, StoreError> {
		self.read_prefix(columns::FILES, &[])?
			.into_iter()
			.map(|(key, _)| parse_file_key(&key))
			.collect()
	}

	/// Drops every segment of the file `(root, size)` with its bitmap and record, in one write;
	/// returns how many segments were stored. The same root with another size is left alone.
	pub fn remove_file(&self, root: &H256, size: u64) -> Result<u64, StoreError> {
		let _guard = self.lock_writes();
		let Some(record) = self.file_record(root, size)? else { return Ok(0) };
		let key = file_key(root, size);
		let mut transaction = self.transaction();
		// Segment and page keys are the file key followed by a fixed-size index.
		transaction.delete_prefix(columns::SEGMENTS, &key);
		transaction.delete_prefix(columns::SEGMENT_BITMAPS, &key);
		transaction.delete(columns::FILES, &key);
		self.write(transaction)?;
		self.quota.remove(record.segments_stored);
		Ok(record.segments_stored)
	}

	/// Indices of segments of the file `(root, size)` that are not stored, from `from` upwards,
	/// at most `limit` of them.
	pub fn missing_segments(
		&self,
		root: &H256,
		size: u64,
		from: u64,
		limit: usize,
	) -> Result<Vec<u64>, StoreError> {
		let segments = segment_count(size);
		let mut missing = Vec::new();
		if let Some(file) = self.stored_file(root, size)? {
			if file.is_finalized() {
				return Ok(missing);
			}
		}
		let mut index = from;
		while index < segments && missing.len() < limit {
			let page = index / SEGMENTS_PER_BITMAP_PAGE;
			let page_end =
				page.saturating_add(1).saturating_mul(SEGMENTS_PER_BITMAP_PAGE).min(segments);
			let bits = self.bitmap_page(root, size, page)?;
			// A full page has nothing missing: skip it without looking at each bit.
			if bitmap::count(&bits) == page_end - page * SEGMENTS_PER_BITMAP_PAGE {
				index = page_end;
				continue;
			}
			while index < page_end && missing.len() < limit {
				if !bitmap::is_set(&bits, bit_in_page(index)) {
					missing.push(index);
				}
				index += 1;
			}
		}
		Ok(missing)
	}

	/// The counters of the file `(root, size)`, if any segment of it is stored.
	fn file_record(&self, root: &H256, size: u64) -> Result<Option<FileRecord>, StoreError> {
		self.read(columns::FILES, &file_key(root, size), || {
			format!("file record of {root:?} ({size} bytes)")
		})
	}

	/// Bitmap page `page` of the file `(root, size)`; empty if none of its segments is stored.
	fn bitmap_page(&self, root: &H256, size: u64, page: u64) -> Result<Vec<u8>, StoreError> {
		Ok(self.db.get(columns::SEGMENT_BITMAPS, &page_key(root, size, page))?.unwrap_or_default())
	}
}

/// Position of segment `index`'s bit inside its bitmap page.
fn bit_in_page(index: u64) -> usize {
	// Below `SEGMENTS_PER_BITMAP_PAGE`, which fits any `usize`.
	(index % SEGMENTS_PER_BITMAP_PAGE) as usize
}

/// Key of the file `(root, size)`: root ‖ size (BE).
fn file_key(root: &H256, size: u64) -> [u8; FILE_KEY_LEN] {
	let mut key = [0u8; FILE_KEY_LEN];
	key[..32].copy_from_slice(root.as_bytes());
	key[32..].copy_from_slice(&size.to_be_bytes());
	key
}

/// The file `(root, size)` of a [`columns::FILES`] key.
fn parse_file_key(key: &[u8]) -> Result<(H256, u64), StoreError> {
	let corrupt = || StoreError::Corrupt {
		what: format!("file key {}", zerog_primitives::hex::to_prefixed_hex(key)),
		reason: "key is not root ‖ size".into(),
	};
	let key = <&[u8; FILE_KEY_LEN]>::try_from(key).map_err(|_| corrupt())?;
	let (root, size) = key.split_at(32);
	let size = <[u8; 8]>::try_from(size).map_err(|_| corrupt())?;
	Ok((H256::from_slice(root), u64::from_be_bytes(size)))
}

/// Key of segment `index` of the file `(root, size)`: file key ‖ index (BE), so a file's segments
/// sort by index.
fn segment_key(root: &H256, size: u64, index: u64) -> [u8; FILE_KEY_LEN + 8] {
	let mut key = [0u8; FILE_KEY_LEN + 8];
	key[..FILE_KEY_LEN].copy_from_slice(&file_key(root, size));
	key[FILE_KEY_LEN..].copy_from_slice(&index.to_be_bytes());
	key
}

/// Key of bitmap page `page` of the file `(root, size)`: file key ‖ page (BE).
fn page_key(root: &H256, size: u64, page: u64) -> [u8; FILE_KEY_LEN + 8] {
	segment_key(root, size, page)
}
