//! Encrypting a file before it is uploaded and decrypting one after it is downloaded, streamed
//! one chunk at a time (`zerog_primitives::encryption`'s format): memory stays at one chunk
//! whatever the file's size. Both write to a temporary file beside the output and rename it
//! into place only when every chunk is done, so a failure leaves no partial output.

use crate::{error::ClientError, progress::bytes_bar};
use std::{
	fs::File,
	io::{BufReader, BufWriter, Read, Write},
	path::Path,
};
use zerog_primitives::encryption::{ContentKey, Header, DEFAULT_CHUNK_SIZE, HEADER_LEN};

fn io_error<'a>(
	path: &'a Path,
	action: &'static str,
) -> impl Fn(std::io::Error) -> ClientError + 'a {
	move |source| ClientError::Io { path: path.to_owned(), action, source }
}

/// A temporary file beside `output` (on the same disk, so a large download does not need as
/// much free space in the system's temp folder), renamed into place by [`finish`] or removed
/// when dropped.
pub fn temporary_beside(output: &Path) -> Result<tempfile::NamedTempFile, ClientError> {
	let dir = match output.parent() {
		Some(parent) if !parent.as_os_str().is_empty() => parent,
		_ => Path::new("."),
	};
	tempfile::NamedTempFile::new_in(dir).map_err(io_error(output, "creating a file beside"))
}

fn finish(writer: BufWriter<tempfile::NamedTempFile>, output: &Path) -> Result<(), ClientError> {
	let file = writer.into_inner().map_err(|error| ClientError::Io {
		path: output.to_owned(),
		action: "writing",
		source: error.into_error(),
	})?;
	file.as_file().sync_all().map_err(io_error(output, "writing"))?;
	file.persist(output).map_err(|error| ClientError::Io {
		path: output.to_owned(),
		action: "renaming into place",
		source: error.error,
	})?;
	Ok(())
}

/// `path` opened for reading, and its length.
fn open_sized(path: &Path) -> Result<(File, u64), ClientError> {
	let file = File::open(path).map_err(io_error(path, "opening"))?;
	let len = file.metadata().map_err(io_error(path, "reading"))?.len();
	Ok((file, len))
}

/// Reads up to `buffer.len()` bytes, fewer only at the end of the input.
fn read_full(reader: &mut impl Read, buffer: &mut [u8]) -> std::io::Result<usize> {
	let mut filled = 0;
	while filled < buffer.len() {
		match reader.read(&mut buffer[filled..])? {
			0 => break,
			read => filled += read,
		}
	}
	Ok(filled)
}

/// Encrypts `input` under `key` into `output` (with a fresh salt and 64 KiB chunks). Returns the
/// plaintext's length.
pub fn encrypt_file(
	input: &Path,
	output: &Path,
	key: &ContentKey,
	show_progress: bool,
) -> Result<u64, ClientError> {
	let (source, plain_len) = open_sized(input)?;
	let header = Header { chunk_size: DEFAULT_CHUNK_SIZE, salt: super::keys::random_salt() };
	let chunks = header.chunk_count(plain_len);
	let mut reader = BufReader::new(source);
	let mut writer = BufWriter::new(temporary_beside(output)?);
	writer.write_all(&header.to_bytes()).map_err(io_error(output, "writing"))?;
	let bar = bytes_bar("encrypting", plain_len, 0, show_progress);
	let mut buffer = vec![0u8; header.chunk_size as usize];
	let mut total = 0u64;
	for index in 0..chunks {
		let read = read_full(&mut reader, &mut buffer).map_err(io_error(input, "reading"))?;
		total += read as u64;
		let last = index + 1 == chunks;
		if (!last && read < buffer.len()) || (last && total != plain_len) {
			return Err(ClientError::Input(format!(
				"{} changed while it was being encrypted",
				input.display()
			)));
		}
		let mut chunk = buffer[..read].to_vec();
		header.seal_chunk(key, index, last, &mut chunk);
		writer.write_all(&chunk).map_err(io_error(output, "writing"))?;
		bar.inc(read as u64);
	}
	bar.finish_and_clear();
	finish(writer, output)?;
	Ok(plain_len)
}

/// Checks and decrypts `input` (a file [`encrypt_file`] wrote) under `key` into `output`.
/// Returns the plaintext's length. A wrong key or an altered chunk fails with nothing written.
pub fn decrypt_file(
	input: &Path,
	output: &Path,
	key: &ContentKey,
	show_progress: bool,
) -> Result<u64, ClientError> {
	let (source, encrypted_len) = open_sized(input)?;
	let mut reader = BufReader::new(source);
	let mut header_bytes = [0u8; HEADER_LEN];
	let read = read_full(&mut reader, &mut header_bytes).map_err(io_error(input, "reading"))?;
	let unreadable = |error| {
		ClientError::Verification(format!("{} cannot be decrypted: {error}", input.display()))
	};
	let header = Header::parse(&header_bytes[..read]).map_err(unreadable)?;
	let (chunks, plain_len) = header.layout(encrypted_len).map_err(unreadable)?;
	let mut writer = BufWriter::new(temporary_beside(output)?);
	let bar = bytes_bar("decrypting", plain_len, 0, show_progress);
	let mut buffer = vec![0u8; header.sealed_chunk_len() as usize];
	for index in 0..chunks {
		let read = read_full(&mut reader, &mut buffer).map_err(io_error(input, "reading"))?;
		let mut chunk = buffer[..read].to_vec();
		header.open_chunk(key, index, index + 1 == chunks, &mut chunk).map_err(unreadable)?;
		writer.write_all(&chunk).map_err(io_error(output, "writing"))?;
		bar.inc(chunk.len() as u64);
	}
	bar.finish_and_clear();
	finish(writer, output)?;
	Ok(plain_len)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn files_round_trip_and_a_wrong_key_writes_nothing() {
		let dir = tempfile::tempdir().unwrap();
		let plain = dir.path().join("plain");
		let sealed = dir.path().join("sealed");
		let opened = dir.path().join("opened");
		for len in [0usize, 1, 65_536, 65_537, 200_000] {
			let data: Vec<u8> = (0..len).map(|i| (i * 31 % 251) as u8).collect();
			std::fs::write(&plain, &data).unwrap();
			let _ = std::fs::remove_file(&sealed);
			assert_eq!(encrypt_file(&plain, &sealed, &[3u8; 32], false).unwrap(), len as u64);
			let encrypted = std::fs::read(&sealed).unwrap();
			assert_eq!(
				zerog_primitives::encryption::decrypt(&[3u8; 32], &encrypted).unwrap(),
				data
			);
			assert_eq!(decrypt_file(&sealed, &opened, &[3u8; 32], false).unwrap(), len as u64);
			assert_eq!(std::fs::read(&opened).unwrap(), data, "length {len}");
		}
		std::fs::remove_file(&opened).unwrap();
		let error = decrypt_file(&sealed, &opened, &[4u8; 32], false).unwrap_err();
		assert!(error.to_string().contains("wrong key"), "{error}");
		assert!(!opened.exists());
		let error = decrypt_file(&plain, &opened, &[3u8; 32], false).unwrap_err();
		assert!(error.to_string().contains("not a ZeroG encrypted file"), "{error}");
	}
}
