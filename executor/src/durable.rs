//! Files that survive `kill -9` and power loss: every record is written to a temporary file in the
//! same directory, synced, and renamed over the old one, so a reader sees either the old or the
//! new record in full, never a torn one.

use serde::{de::DeserializeOwned, Serialize};
use std::{
	fs,
	io::{self, Write},
	path::{Path, PathBuf},
};

/// Writes `value` as pretty JSON to `path`, atomically.
pub fn write_json<T: Serialize>(path: &Path, value: &T) -> io::Result<()> {
	let bytes = serde_json::to_vec_pretty(value).map_err(io::Error::other)?;
	write_atomically(path, &bytes)
}

/// Reads a JSON record written by [`write_json`].
pub fn read_json<T: DeserializeOwned>(path: &Path) -> io::Result<T> {
	let bytes = fs::read(path)?;
	serde_json::from_slice(&bytes).map_err(|error| {
		io::Error::new(io::ErrorKind::InvalidData, format!("{}: {error}", path.display()))
	})
}

/// Reads the record at `path`, or sets it aside when it does not decode: it is renamed to
/// `<name>.corrupt` (no longer a record; kept for the operator to inspect), an error naming it
/// is logged, and `Ok(None)` lets the caller go on with the other records. One damaged file (a
/// disk error, a hand edit, a record of another version) must not keep the executor from
/// starting and serving everything else. Errors reading the file itself are returned.
pub fn read_json_or_set_aside<T: DeserializeOwned>(path: &Path) -> io::Result<Option<T>> {
	match read_json(path) {
		Ok(record) => Ok(Some(record)),
		Err(error) if error.kind() == io::ErrorKind::InvalidData => {
			let mut aside = path.as_os_str().to_os_string();
			aside.push(".corrupt");
			let aside = PathBuf::from(aside);
			fs::rename(path, &aside)?;
			log::error!(
				target: "zerog_executor::durable",
				"Set aside an unreadable record as {} ({error}); the executor goes on without it",
				aside.display()
			);
			Ok(None)
		},
		Err(error) => Err(error),
	}
}

/// Replaces `path` with `bytes`: temporary file, `fsync`, rename, `fsync` of the directory.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
	let directory = path.parent().unwrap_or_else(|| Path::new("."));
	fs::create_dir_all(directory)?;
	let temporary = temporary_path(path);
	{
		let mut file = fs::File::create(&temporary)?;
		file.write_all(bytes)?;
		file.sync_all()?;
	}
	fs::rename(&temporary, path)?;
	// The rename itself is only durable once the directory entry is on disk.
	fs::File::open(directory)?.sync_all()
}

/// Where [`write_atomically`] stages `path`; a crash may leave it behind, and loaders skip it.
fn temporary_path(path: &Path) -> PathBuf {
	let mut name = path.file_name().map(|name| name.to_os_string()).unwrap_or_default();
	name.push(".tmp");
	path.with_file_name(name)
}

/// Whether `path` is a record (a `.json` file), not a leftover temporary file.
pub fn is_record(path: &Path) -> bool {
	path.extension().is_some_and(|extension| extension == "json")
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn records_are_replaced_whole_and_temporaries_are_not_records() {
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("nested/record.json");
		write_json(&path, &vec![1u32, 2]).unwrap();
		write_json(&path, &vec![3u32]).unwrap();
		assert_eq!(read_json::<Vec<u32>>(&path).unwrap(), vec![3]);
		assert!(is_record(&path));
		assert!(!is_record(&temporary_path(&path)));
		assert!(!temporary_path(&path).exists());
	}

	#[test]
	fn an_unreadable_record_is_set_aside_and_a_readable_one_is_read() {
		let dir = tempfile::tempdir().unwrap();
		let good = dir.path().join("good.json");
		write_json(&good, &vec![5u32]).unwrap();
		assert_eq!(read_json_or_set_aside::<Vec<u32>>(&good).unwrap(), Some(vec![5]));

		let bad = dir.path().join("bad.json");
		fs::write(&bad, b"{\"truncated\": ").unwrap();
		assert_eq!(read_json_or_set_aside::<Vec<u32>>(&bad).unwrap(), None);
		assert!(!bad.exists());
		let aside = dir.path().join("bad.json.corrupt");
		assert_eq!(fs::read(&aside).unwrap(), b"{\"truncated\": ");
		assert!(!is_record(&aside), "a set-aside file is not loaded again");

		let missing = dir.path().join("missing.json");
		assert!(read_json_or_set_aside::<Vec<u32>>(&missing).is_err());
	}

	#[test]
	fn a_corrupt_record_is_an_error_naming_the_file() {
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("bad.json");
		fs::write(&path, b"{not json").unwrap();
		let error = read_json::<Vec<u32>>(&path).unwrap_err();
		assert!(error.to_string().contains("bad.json"), "{error}");
	}
}
