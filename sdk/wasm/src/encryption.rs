//! The encrypted-file chunks, account keys and sealed content keys of
//! [`zerog_primitives::encryption`] for JavaScript: `@zerog/sdk/encryption` encrypts, decrypts,
//! seals and opens with the very code the CLI and the executor use, so a file the SDK encrypts
//! opens with `zerog storage download --key-file`, and a key the CLI seals opens in a browser.
//!
//! Every function takes SCALE bytes and returns bytes (see the ABI in the crate's docs); the
//! randomness (content keys, salts, ephemeral secrets) comes from the caller, which has the
//! platform's `crypto.getRandomValues`.

use crate::Failure;
use codec::DecodeAll;
use zerog_primitives::encryption::{
	self, ContentKey, EncryptionError, Header, X25519Key, HEADER_LEN,
};

impl From<EncryptionError> for Failure {
	fn from(error: EncryptionError) -> Self {
		Failure::named(format!("{error:?}"), error.to_string())
	}
}

/// One chunk's place: the content key, the file's header, the chunk's index, whether it is the
/// last, and its bytes (plaintext to seal, or ciphertext and tag to open).
type ChunkInput = (ContentKey, [u8; HEADER_LEN], u64, bool, Vec<u8>);

fn chunk_input(input: &[u8]) -> Result<(ContentKey, Header, u64, bool, Vec<u8>), Failure> {
	let (key, header, index, last, bytes) = ChunkInput::decode_all(&mut &input[..])?;
	Ok((key, Header::parse(&header)?, index, last, bytes))
}

/// Encrypts one chunk: SCALE `(key, header, index, last, plaintext)`; the ciphertext and tag.
/// A chunk longer than the header's chunk size is refused (`ChunkTooLong`), as a reader would
/// refuse the file.
pub fn seal_chunk(input: &[u8]) -> Result<Vec<u8>, Failure> {
	let (key, header, index, last, mut chunk) = chunk_input(input)?;
	if chunk.len() as u64 > u64::from(header.chunk_size) {
		return Err(Failure {
			name: "ChunkTooLong".into(),
			message: format!(
				"a chunk holds at most {} bytes, this one {}",
				header.chunk_size,
				chunk.len()
			),
		});
	}
	header.seal_chunk(&key, index, last, &mut chunk);
	Ok(chunk)
}

/// Checks and decrypts one chunk: SCALE `(key, header, index, last, ciphertext and tag)`; the
/// plaintext, or `WrongKeyOrCorrupt`.
pub fn open_chunk(input: &[u8]) -> Result<Vec<u8>, Failure> {
	let (key, header, index, last, mut chunk) = chunk_input(input)?;
	header.open_chunk(&key, index, last, &mut chunk)?;
	Ok(chunk)
}

/// An account's x25519 key pair from its signing key's raw secret (SCALE `Vec<u8>`): the
/// 32-byte secret then the 32-byte public key.
pub fn account_key(input: &[u8]) -> Result<Vec<u8>, Failure> {
	let material = Vec::<u8>::decode_all(&mut &input[..])?;
	if material.is_empty() {
		return Err(Failure {
			name: "NoSecret".into(),
			message: "an account key is derived from the account's secret, and none was given"
				.into(),
		});
	}
	let secret = encryption::derive_secret_key(&material);
	Ok([secret, encryption::public_key(&secret)].concat())
}

/// Seals a content key: SCALE `(recipient public key, content key, ephemeral secret)`; the
/// 80-byte sealed key, or `WeakPublicKey`.
pub fn seal_key(input: &[u8]) -> Result<Vec<u8>, Failure> {
	let (recipient, content_key, ephemeral) =
		<(X25519Key, ContentKey, X25519Key)>::decode_all(&mut &input[..])?;
	Ok(encryption::seal_key(&recipient, &content_key, &ephemeral)?.to_vec())
}

/// Opens a sealed key: SCALE `(secret key, sealed bytes)`; the content key, or
/// `BadSealedKeyLength` / `WrongKeyOrCorrupt`.
pub fn open_key(input: &[u8]) -> Result<Vec<u8>, Failure> {
	let (secret, sealed) = <(X25519Key, Vec<u8>)>::decode_all(&mut &input[..])?;
	Ok(encryption::open_sealed_key(&secret, &sealed)?.to_vec())
}

#[cfg(test)]
mod tests {
	use super::*;
	use codec::Encode;

	const KEY: ContentKey = [3u8; 32];

	fn header(chunk_size: u32) -> [u8; HEADER_LEN] {
		Header { chunk_size, salt: [5u8; 16] }.to_bytes()
	}

	#[test]
	fn chunks_sealed_here_make_the_file_the_primitives_make() {
		let plain: Vec<u8> = (0..40u8).collect();
		let bytes = header(16);
		let mut file = bytes.to_vec();
		for (index, part) in plain.chunks(16).enumerate() {
			let input = (KEY, bytes, index as u64, index == 2, part.to_vec()).encode();
			file.extend(seal_chunk(&input).unwrap());
		}
		let reference =
			encryption::encrypt(&KEY, Header { chunk_size: 16, salt: [5u8; 16] }, &plain);
		assert_eq!(file, reference);
		let first = file[HEADER_LEN..HEADER_LEN + 32].to_vec();
		assert_eq!(
			open_chunk(&(KEY, bytes, 0u64, false, first.clone()).encode()).unwrap(),
			&plain[..16]
		);
		// The wrong index, the last-chunk flag, another key: each fails authentication.
		for (key, index, last) in [(KEY, 1u64, false), (KEY, 0, true), ([4u8; 32], 0, false)] {
			let failure =
				open_chunk(&(key, bytes, index, last, first.clone()).encode()).unwrap_err();
			assert_eq!(failure.name, "WrongKeyOrCorrupt", "{failure:?}");
		}
	}

	#[test]
	fn bad_chunks_and_headers_name_their_error() {
		let too_long = (KEY, header(16), 0u64, true, vec![0u8; 17]).encode();
		assert_eq!(seal_chunk(&too_long).unwrap_err().name, "ChunkTooLong");
		let mut not_ours = header(16);
		not_ours[0] = b'X';
		let failure = seal_chunk(&(KEY, not_ours, 0u64, true, vec![1u8]).encode()).unwrap_err();
		assert_eq!(failure.name, "NotEncrypted");
		let failure =
			open_chunk(&(KEY, header(0), 0u64, true, vec![0u8; 16]).encode()).unwrap_err();
		assert_eq!(failure.name, "BadChunkSize");
		let failure =
			open_chunk(&(KEY, header(16), 0u64, true, vec![0u8; 15]).encode()).unwrap_err();
		assert_eq!(failure.name, "Truncated");
		assert_eq!(open_chunk(&[1, 2]).unwrap_err().name, "Malformed");
	}

	#[test]
	fn keys_seal_to_an_account_and_open_with_its_secret_only() {
		let pair = account_key(&vec![9u8; 64].encode()).unwrap();
		let (secret, public) = (<[u8; 32]>::try_from(&pair[..32]).unwrap(), &pair[32..]);
		assert_eq!(public, encryption::public_key(&secret));
		assert_eq!(account_key(&Vec::<u8>::new().encode()).unwrap_err().name, "NoSecret");
		let recipient: [u8; 32] = public.try_into().unwrap();
		let sealed = seal_key(&(recipient, KEY, [8u8; 32]).encode()).unwrap();
		assert_eq!(sealed.len(), encryption::SEALED_KEY_LEN);
		assert_eq!(open_key(&(secret, sealed.clone()).encode()).unwrap(), KEY);
		let failure = open_key(&([1u8; 32], sealed.clone()).encode()).unwrap_err();
		assert_eq!(failure.name, "WrongKeyOrCorrupt");
		let failure = open_key(&(secret, sealed[..79].to_vec()).encode()).unwrap_err();
		assert_eq!(failure.name, "BadSealedKeyLength");
		let failure = seal_key(&([0u8; 32], KEY, [8u8; 32]).encode()).unwrap_err();
		assert_eq!(failure.name, "WeakPublicKey");
	}
}
