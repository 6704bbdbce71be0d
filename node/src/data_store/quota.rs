//! How much of the disk the data store may use: a quota on stored segments
//! (`--data-max-size`) and a reserve of free space on the disk that holds the store
//! (`--data-min-free`).
//!
//! Segments are counted whole (256 KiB each, the last segment of a file included), so the count
//! is an upper bound of the bytes stored; it is rebuilt from the files' records when the store
//! opens and kept up to date by every write and deletion. A segment that would pass either limit
//! is refused with [`StoreError::Full`] before anything is written: what is stored stays, and
//! the uploader is told why.

use std::{
	path::{Path, PathBuf},
	sync::atomic::{AtomicU64, Ordering},
};

use zerog_primitives::storage::SEGMENT_SIZE;

use super::StoreError;

/// `SEGMENT_SIZE` as a byte count; a widening cast.
pub const SEGMENT_BYTES: u64 = SEGMENT_SIZE as u64;

/// The limits of a store, and what it holds now.
pub struct Quota {
	/// Most bytes of segments stored; `None`: no quota.
	max_bytes: Option<u64>,
	/// Bytes the disk must keep free after a write.
	min_free: u64,
	/// The store's directory, whose file system is asked for its free space.
	directory: PathBuf,
	/// Bytes of segments stored, counted in whole segments.
	used: AtomicU64,
}

impl Quota {
	/// No quota and no reserve, for the store at `directory`.
	pub fn unlimited(directory: &Path) -> Self {
		Self { max_bytes: None, min_free: 0, directory: directory.to_owned(), used: 0.into() }
	}

	/// Sets the limits.
	pub fn set_limits(&mut self, max_bytes: Option<u64>, min_free: u64) {
		self.max_bytes = max_bytes;
		self.min_free = min_free;
	}

	/// Bytes of segments stored, counted in whole segments.
	pub fn used(&self) -> u64 {
		self.used.load(Ordering::Relaxed)
	}

	/// The most bytes of segments the store may hold, if limited.
	pub fn max_bytes(&self) -> Option<u64> {
		self.max_bytes
	}

	/// Sets the count (when the store opens).
	pub fn set_used(&self, bytes: u64) {
		self.used.store(bytes, Ordering::Relaxed);
	}

	/// Counts `segments` more stored segments.
	pub fn add(&self, segments: u64) {
		self.used.fetch_add(segments.saturating_mul(SEGMENT_BYTES), Ordering::Relaxed);
	}

	/// Counts `segments` fewer.
	pub fn remove(&self, segments: u64) {
		let bytes = segments.saturating_mul(SEGMENT_BYTES);
		let _ = self.used.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |used| {
			Some(used.saturating_sub(bytes))
		});
	}

	/// Whether one more segment fits: under the quota, and with the reserve still free on disk.
	pub fn check_one_more(&self) -> Result<(), StoreError> {
		if let Some(max) = self.max_bytes {
			let used = self.used();
			if used.saturating_add(SEGMENT_BYTES) > max {
				return Err(StoreError::Full(format!(
					"the node's data store is full: {used} of its {max} bytes hold segments \
					 (--data-max-size)"
				)));
			}
		}
		if self.min_free > 0 {
			let free = free_bytes(&self.directory)?;
			if free < self.min_free.saturating_add(SEGMENT_BYTES) {
				return Err(StoreError::Full(format!(
					"the disk of the node's data store has {free} bytes free and keeps {} in \
					 reserve (--data-min-free)",
					self.min_free
				)));
			}
		}
		Ok(())
	}
}

/// Bytes available to this process on the file system holding `path`.
pub fn free_bytes(path: &Path) -> Result<u64, StoreError> {
	use std::os::unix::ffi::OsStrExt;
	let mut c_path = path.as_os_str().as_bytes().to_vec();
	c_path.push(0);
	let mut stats: libc::statvfs = unsafe { std::mem::zeroed() };
	// SAFETY: `c_path` is NUL-terminated and `stats` is a valid, writable `statvfs`.
	let result = unsafe { libc::statvfs(c_path.as_ptr().cast(), &mut stats) };
	if result != 0 {
		return Err(StoreError::Io(std::io::Error::last_os_error()));
	}
	// `statvfs`'s field types differ between platforms (`u32` on some 32-bit ones).
	#[allow(clippy::useless_conversion)]
	Ok(u64::from(stats.f_bavail).saturating_mul(u64::from(stats.f_frsize)))
}

/// Options of the data store's disk use.
#[derive(Debug, Clone, clap::Parser)]
pub struct DataStoreParams {
	/// Most bytes of storage segments the node's data store holds (a number of bytes, or with
	/// a suffix: 500MiB, 2TiB; k, M, G, T are binary too). A segment past it is refused with
	/// error 6007 and the uploader is told; what is stored stays. Default: no quota (the disk's
	/// free space is still guarded by --data-min-free). Declare at most this much on chain with
	/// `declare_capacity`.
	#[arg(long, value_name = "SIZE", value_parser = parse_size)]
	pub data_max_size: Option<u64>,

	/// Free space the disk holding the data store must keep: a segment that would leave less
	/// is refused with error 6007.
	#[arg(long, value_name = "SIZE", value_parser = parse_size, default_value = "1GiB")]
	pub data_min_free: u64,
}

/// A size in bytes: digits, then optionally `k`/`KiB`, `M`/`MiB`, `G`/`GiB`, `T`/`TiB` (all
/// powers of 1024, any case) or `B`.
pub fn parse_size(text: &str) -> Result<u64, String> {
	let text = text.trim();
	let digits = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
	let (number, suffix) = text.split_at(digits);
	let number: u64 = number
		.parse()
		.map_err(|_| format!("{text:?} is not a size (e.g. 1048576, 500MiB, 2TiB)"))?;
	let shift = match suffix.trim().to_ascii_lowercase().as_str() {
		"" | "b" => 0,
		"k" | "kib" => 10,
		"m" | "mib" => 20,
		"g" | "gib" => 30,
		"t" | "tib" => 40,
		other => return Err(format!("unknown size suffix {other:?} (use KiB, MiB, GiB or TiB)")),
	};
	number.checked_mul(1u64 << shift).ok_or_else(|| format!("{text:?} is too large"))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn sizes_parse_with_binary_suffixes_and_bad_ones_say_why() {
		assert_eq!(parse_size("1048576"), Ok(1 << 20));
		assert_eq!(parse_size("500MiB"), Ok(500 << 20));
		assert_eq!(parse_size("2t"), Ok(2 << 40));
		assert_eq!(parse_size(" 1 GiB "), Ok(1 << 30));
		assert!(parse_size("1.5GiB").unwrap_err().contains("suffix"));
		assert!(parse_size("GiB").unwrap_err().contains("not a size"));
		assert!(parse_size("1PiB").is_err());
		assert!(parse_size("99999999999TiB").unwrap_err().contains("too large"));
	}
}
