//! A local file's merkle tree, read from disk one segment at a time: what a file is committed
//! as on chain before it is uploaded.

use crate::{error::ClientError, progress::bytes_bar};
use std::{fs::File, io::Read, path::Path};
use zerog_primitives::storage::{segment_root, FileTree, SegmentRoot, MAX_FILE_SIZE, SEGMENT_SIZE};

/// Size and segment roots of everything `reader` yields, read one segment at a time;
/// `on_bytes` is told how many bytes each segment had (for a progress bar).
pub fn hash_segments(
	mut reader: impl Read,
	mut on_bytes: impl FnMut(usize),
) -> std::io::Result<(u64, Vec<SegmentRoot>)> {
	let mut buffer = vec![0u8; SEGMENT_SIZE];
	let mut roots = Vec::new();
	let mut size: u64 = 0;
	loop {
		let len = read_full(&mut reader, &mut buffer)?;
		if len == 0 {
			break;
		}
		roots.push(segment_root(&buffer[..len]).map_err(std::io::Error::other)?);
		size = size.saturating_add(len as u64);
		on_bytes(len);
		if len < SEGMENT_SIZE {
			break;
		}
	}
	Ok((size, roots))
}

/// Reads until `buffer` is full or the reader ends; the number of bytes read.
fn read_full(reader: &mut impl Read, buffer: &mut [u8]) -> std::io::Result<usize> {
	let mut filled = 0;
	while filled < buffer.len() {
		match reader.read(&mut buffer[filled..]) {
			Ok(0) => break,
			Ok(read) => filled += read,
			Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
			Err(error) => return Err(error),
		}
	}
	Ok(filled)
}

/// The file tree of the file at `path`, streamed from disk with a progress bar.
pub fn tree_of_file(path: &Path, show_progress: bool) -> Result<FileTree, ClientError> {
	let file = File::open(path).map_err(|error| ClientError::io(path, "opening", error))?;
	let expected = file.metadata().map_err(|error| ClientError::io(path, "reading", error))?.len();
	if expected == 0 {
		return Err(ClientError::Input(format!(
			"{} is empty: the chain only commits files of at least one byte",
			path.display()
		)));
	}
	if expected > MAX_FILE_SIZE {
		return Err(ClientError::Input(format!(
			"{} has {expected} bytes, more than the largest committable file ({MAX_FILE_SIZE} \
			 bytes)",
			path.display()
		)));
	}
	let bar = bytes_bar("hashing", expected, 0, show_progress);
	let (size, roots) = hash_segments(std::io::BufReader::new(file), |len| bar.inc(len as u64))
		.map_err(|error| ClientError::io(path, "reading", error))?;
	bar.finish_and_clear();
	FileTree::from_segment_roots(size, roots)
		.map_err(|error| ClientError::Input(format!("cannot hash {}: {error}", path.display())))
}

#[cfg(test)]
mod tests {
	use super::*;
	use zerog_primitives::storage::segment_count;

	/// Deterministic bytes that are not all equal, so roots of different sizes differ.
	fn bytes(len: usize) -> Vec<u8> {
		(0..len).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect()
	}

	#[test]
	fn streamed_root_equals_file_tree_root() {
		let sizes = [
			0,
			1,
			255,
			256,
			SEGMENT_SIZE - 1,
			SEGMENT_SIZE,
			SEGMENT_SIZE + 1,
			2 * SEGMENT_SIZE,
			2 * SEGMENT_SIZE + 7,
			3 * SEGMENT_SIZE,
			3 * SEGMENT_SIZE + 1,
		];
		for size in sizes {
			let file = bytes(size);
			let mut seen = 0;
			// A reader that hands out odd-sized pieces, like a pipe would.
			let reader = std::io::Read::chain(&file[..size / 3], &file[size / 3..]);
			let (streamed_size, roots) = hash_segments(reader, |len| seen += len).unwrap();
			assert_eq!(streamed_size, size as u64);
			assert_eq!(seen, size);
			assert_eq!(roots.len() as u64, segment_count(size as u64));
			let streamed = FileTree::from_segment_roots(streamed_size, roots).unwrap();
			assert_eq!(streamed.root(), FileTree::new(&file).unwrap().root(), "size {size}");
		}
	}
}
