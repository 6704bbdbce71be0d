//! Encrypted files and sealed content keys (feature `encryption`): what the CLI, the SDK and the
//! executor must agree on byte for byte. The runtime never decrypts anything; it only stores
//! sealed keys, whose length it checks.
//!
//! ## Encrypted files
//!
//! A file is encrypted under a 32-byte *content key* with XChaCha20-Poly1305 in fixed-size
//! chunks, so any byte range can be fetched, checked and decrypted alone:
//!
//! ```text
//! header: "ZGE1" | chunk size (u32 LE) | salt (16 bytes)       24 bytes
//! chunk i: ciphertext of plaintext bytes [i*C, (i+1)*C) | tag   C + 16 bytes (the last: fewer)
//! ```
//!
//! Chunk `i`'s nonce is `salt | i (7 bytes, big-endian) | last (1 byte)` and its associated data
//! is the header. The index stops chunks being reordered, the last-chunk flag stops a file
//! being truncated at a chunk boundary, the header binds the chunk size, and the salt keeps
//! nonces unique even if a key is (wrongly) reused. An empty file is one empty last chunk.
//! What storage commits to (the merkle root) is the ciphertext, like any other file.
//!
//! ## Sealed keys
//!
//! A content key is sealed to a recipient's x25519 public key (ECIES): a fresh ephemeral key
//! pair, the shared secret through HKDF-SHA256 (salt: ephemeral and recipient public keys) into
//! an XChaCha20-Poly1305 key and nonce, and the content key encrypted with it:
//!
//! ```text
//! sealed: ephemeral public key (32) | encrypted content key (32) | tag (16)   = 80 bytes
//! ```
//!
//! Only the holder of the recipient's secret key can open it.

use chacha20poly1305::{
	aead::{AeadInPlace, KeyInit},
	Tag, XChaCha20Poly1305, XNonce,
};
use hkdf::Hkdf;
use sha2::Sha256;

/// Length of a content key.
pub const CONTENT_KEY_LEN: usize = 32;
/// A content key: encrypts one file.
pub type ContentKey = [u8; CONTENT_KEY_LEN];
/// An x25519 public or secret key.
pub type X25519Key = [u8; 32];

/// First bytes of every encrypted file (format version 1).
pub const MAGIC: [u8; 4] = *b"ZGE1";
/// Length of an encrypted file's header.
pub const HEADER_LEN: usize = 24;
/// Length of each chunk's authentication tag.
pub const TAG_LEN: usize = 16;
/// Plaintext bytes per chunk the tools write: 64 KiB, a quarter of a storage segment.
pub const DEFAULT_CHUNK_SIZE: u32 = 64 * 1024;
/// Largest chunk size a reader accepts (16 MiB), so a forged header cannot make it allocate
/// without bound.
pub const MAX_CHUNK_SIZE: u32 = 16 * 1024 * 1024;
/// Length of a sealed content key.
pub const SEALED_KEY_LEN: usize = 32 + CONTENT_KEY_LEN + TAG_LEN;

/// Why an encrypted file or a sealed key could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EncryptionError {
	/// The data does not start with [`MAGIC`]: not an encrypted file (or another version).
	NotEncrypted,
	/// The header names a chunk size of 0 or above [`MAX_CHUNK_SIZE`].
	BadChunkSize,
	/// The data ends inside a header or a tag.
	Truncated,
	/// A chunk (or a sealed key) failed authentication: wrong key, or altered data.
	WrongKeyOrCorrupt {
		/// The chunk that failed (0 for a sealed key).
		chunk: u64,
	},
	/// A sealed key has the wrong length.
	BadSealedKeyLength,
	/// The recipient's public key is a low-order point: nothing sealed to it would be secret.
	WeakPublicKey,
}

impl core::fmt::Display for EncryptionError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			Self::NotEncrypted => write!(f, "not a ZeroG encrypted file (no ZGE1 header)"),
			Self::BadChunkSize => {
				write!(f, "the encrypted file's header names an invalid chunk size")
			},
			Self::Truncated => write!(f, "the encrypted data is truncated"),
			Self::WrongKeyOrCorrupt { chunk } => {
				write!(f, "chunk {chunk} failed authentication: wrong key, or the data was altered")
			},
			Self::BadSealedKeyLength => {
				write!(f, "a sealed key is {SEALED_KEY_LEN} bytes; this one is not")
			},
			Self::WeakPublicKey => write!(f, "the recipient's x25519 key is a low-order point"),
		}
	}
}

/// The header of an encrypted file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
	/// Plaintext bytes per chunk (the last chunk may hold fewer).
	pub chunk_size: u32,
	/// Random bytes that start every chunk's nonce.
	pub salt: [u8; 16],
}

impl Header {
	/// The header's bytes, as written at the start of the file.
	pub fn to_bytes(&self) -> [u8; HEADER_LEN] {
		let mut bytes = [0u8; HEADER_LEN];
		bytes[..4].copy_from_slice(&MAGIC);
		bytes[4..8].copy_from_slice(&self.chunk_size.to_le_bytes());
		bytes[8..].copy_from_slice(&self.salt);
		bytes
	}

	/// Reads a header from the first [`HEADER_LEN`] bytes of `data`.
	pub fn parse(data: &[u8]) -> Result<Self, EncryptionError> {
		let bytes = data.get(..HEADER_LEN).ok_or(EncryptionError::Truncated)?;
		if bytes[..4] != MAGIC {
			return Err(EncryptionError::NotEncrypted);
		}
		let mut size = [0u8; 4];
		size.copy_from_slice(&bytes[4..8]);
		let chunk_size = u32::from_le_bytes(size);
		if chunk_size == 0 || chunk_size > MAX_CHUNK_SIZE {
			return Err(EncryptionError::BadChunkSize);
		}
		let mut salt = [0u8; 16];
		salt.copy_from_slice(&bytes[8..]);
		Ok(Self { chunk_size, salt })
	}

	/// Bytes of one full encrypted chunk.
	pub fn sealed_chunk_len(&self) -> u64 {
		u64::from(self.chunk_size) + TAG_LEN as u64
	}

	/// Chunks of a plaintext of `plain_len` bytes (at least one).
	pub fn chunk_count(&self, plain_len: u64) -> u64 {
		plain_len.div_ceil(u64::from(self.chunk_size)).max(1)
	}

	/// Length of the encrypted file of a plaintext of `plain_len` bytes.
	pub fn encrypted_len(&self, plain_len: u64) -> u64 {
		HEADER_LEN as u64 + plain_len + TAG_LEN as u64 * self.chunk_count(plain_len)
	}

	/// The chunks of an encrypted file of `encrypted_len` bytes, and the plaintext's length.
	pub fn layout(&self, encrypted_len: u64) -> Result<(u64, u64), EncryptionError> {
		let body =
			encrypted_len.checked_sub(HEADER_LEN as u64).ok_or(EncryptionError::Truncated)?;
		let chunks = body.div_ceil(self.sealed_chunk_len()).max(1);
		let tags = TAG_LEN as u64 * chunks;
		let plain_len = body.checked_sub(tags).ok_or(EncryptionError::Truncated)?;
		Ok((chunks, plain_len))
	}

	/// Where encrypted chunk `index` starts in the file.
	pub fn chunk_offset(&self, index: u64) -> u64 {
		HEADER_LEN as u64 + index.saturating_mul(self.sealed_chunk_len())
	}

	fn nonce(&self, index: u64, last: bool) -> XNonce {
		let mut nonce = [0u8; 24];
		nonce[..16].copy_from_slice(&self.salt);
		nonce[16..23].copy_from_slice(&index.to_be_bytes()[1..]);
		nonce[23] = u8::from(last);
		nonce.into()
	}

	/// Encrypts chunk `index` of the file in place and appends its tag.
	pub fn seal_chunk(
		&self,
		key: &ContentKey,
		index: u64,
		last: bool,
		chunk: &mut alloc::vec::Vec<u8>,
	) {
		let cipher = XChaCha20Poly1305::new(key.into());
		let tag = cipher
			.encrypt_in_place_detached(&self.nonce(index, last), &self.to_bytes(), chunk)
			.expect(
				"XChaCha20-Poly1305 encrypts up to 256 GiB per message; chunks are 16 MiB at most",
			);
		chunk.extend_from_slice(&tag);
	}

	/// Checks and decrypts encrypted chunk `index` in place, removing its tag.
	pub fn open_chunk(
		&self,
		key: &ContentKey,
		index: u64,
		last: bool,
		chunk: &mut alloc::vec::Vec<u8>,
	) -> Result<(), EncryptionError> {
		let body = chunk.len().checked_sub(TAG_LEN).ok_or(EncryptionError::Truncated)?;
		let tag = *Tag::from_slice(&chunk[body..]);
		chunk.truncate(body);
		XChaCha20Poly1305::new(key.into())
			.decrypt_in_place_detached(&self.nonce(index, last), &self.to_bytes(), chunk, &tag)
			.map_err(|_| EncryptionError::WrongKeyOrCorrupt { chunk: index })
	}
}

/// Encrypts `plain` whole under `key` (the header's salt and chunk size given).
pub fn encrypt(key: &ContentKey, header: Header, plain: &[u8]) -> alloc::vec::Vec<u8> {
	let mut out = alloc::vec::Vec::with_capacity(header.encrypted_len(plain.len() as u64) as usize);
	out.extend_from_slice(&header.to_bytes());
	let chunks = header.chunk_count(plain.len() as u64);
	let size = header.chunk_size as usize;
	for index in 0..chunks {
		let start = (index as usize).saturating_mul(size).min(plain.len());
		let end = start.saturating_add(size).min(plain.len());
		let mut chunk = plain[start..end].to_vec();
		header.seal_chunk(key, index, index + 1 == chunks, &mut chunk);
		out.extend_from_slice(&chunk);
	}
	out
}

/// Checks and decrypts a whole encrypted file.
pub fn decrypt(key: &ContentKey, data: &[u8]) -> Result<alloc::vec::Vec<u8>, EncryptionError> {
	let header = Header::parse(data)?;
	let (chunks, plain_len) = header.layout(data.len() as u64)?;
	let mut out = alloc::vec::Vec::with_capacity(plain_len as usize);
	let sealed = header.sealed_chunk_len() as usize;
	for index in 0..chunks {
		let start = HEADER_LEN.saturating_add((index as usize).saturating_mul(sealed));
		let end = start.saturating_add(sealed).min(data.len());
		let mut chunk = data[start..end].to_vec();
		header.open_chunk(key, index, index + 1 == chunks, &mut chunk)?;
		out.extend_from_slice(&chunk);
	}
	Ok(out)
}

/// The x25519 public key of secret key `secret`.
pub fn public_key(secret: &X25519Key) -> X25519Key {
	x25519_dalek::x25519(*secret, x25519_dalek::X25519_BASEPOINT_BYTES)
}

/// An x25519 secret key derived from an account's secret key material, so an account needs no
/// second secret to receive sealed keys. `material` is the signing key's raw secret (for
/// sr25519, its 64 bytes); the derivation is one-way, so the x25519 key reveals nothing of it.
pub fn derive_secret_key(material: &[u8]) -> X25519Key {
	let mut secret = [0u8; 32];
	Hkdf::<Sha256>::new(Some(b"zerog/encryption-key"), material)
		.expand(b"x25519 v1", &mut secret)
		.expect("32 bytes is a valid HKDF-SHA256 output length");
	secret
}

fn sealing_cipher(
	shared: &[u8; 32],
	ephemeral: &X25519Key,
	recipient: &X25519Key,
) -> (XChaCha20Poly1305, XNonce) {
	let mut salt = [0u8; 64];
	salt[..32].copy_from_slice(ephemeral);
	salt[32..].copy_from_slice(recipient);
	let mut okm = [0u8; 56];
	Hkdf::<Sha256>::new(Some(&salt), shared)
		.expand(b"zerog/sealed-key v1", &mut okm)
		.expect("56 bytes is a valid HKDF-SHA256 output length");
	let mut key = [0u8; 32];
	key.copy_from_slice(&okm[..32]);
	(XChaCha20Poly1305::new(&key.into()), *XNonce::from_slice(&okm[32..]))
}

/// Seals `content_key` to `recipient`'s x25519 public key. `ephemeral_secret` must be fresh
/// random bytes, used once.
pub fn seal_key(
	recipient: &X25519Key,
	content_key: &ContentKey,
	ephemeral_secret: &X25519Key,
) -> Result<[u8; SEALED_KEY_LEN], EncryptionError> {
	let ephemeral = public_key(ephemeral_secret);
	let shared = x25519_dalek::x25519(*ephemeral_secret, *recipient);
	if shared == [0u8; 32] {
		return Err(EncryptionError::WeakPublicKey);
	}
	let (cipher, nonce) = sealing_cipher(&shared, &ephemeral, recipient);
	let mut body = *content_key;
	let tag = cipher
		.encrypt_in_place_detached(&nonce, &[], &mut body)
		.expect("a 32-byte message is within XChaCha20-Poly1305's limits");
	let mut sealed = [0u8; SEALED_KEY_LEN];
	sealed[..32].copy_from_slice(&ephemeral);
	sealed[32..64].copy_from_slice(&body);
	sealed[64..].copy_from_slice(&tag);
	Ok(sealed)
}

/// Opens a key sealed to the public key of `secret`.
pub fn open_sealed_key(secret: &X25519Key, sealed: &[u8]) -> Result<ContentKey, EncryptionError> {
	if sealed.len() != SEALED_KEY_LEN {
		return Err(EncryptionError::BadSealedKeyLength);
	}
	let mut ephemeral = [0u8; 32];
	ephemeral.copy_from_slice(&sealed[..32]);
	let shared = x25519_dalek::x25519(*secret, ephemeral);
	if shared == [0u8; 32] {
		return Err(EncryptionError::WrongKeyOrCorrupt { chunk: 0 });
	}
	let (cipher, nonce) = sealing_cipher(&shared, &ephemeral, &public_key(secret));
	let mut key = [0u8; 32];
	key.copy_from_slice(&sealed[32..64]);
	cipher
		.decrypt_in_place_detached(&nonce, &[], &mut key, Tag::from_slice(&sealed[64..]))
		.map_err(|_| EncryptionError::WrongKeyOrCorrupt { chunk: 0 })?;
	Ok(key)
}

#[cfg(all(test, feature = "std"))]
mod conformance;

#[cfg(test)]
mod tests {
	use super::*;

	const KEY: ContentKey = [7u8; 32];
	fn header(chunk_size: u32) -> Header {
		Header { chunk_size, salt: [9u8; 16] }
	}

	#[test]
	fn round_trips_at_every_length_around_chunk_boundaries() {
		for len in [0usize, 1, 15, 16, 17, 31, 32, 33, 64, 100] {
			let plain: alloc::vec::Vec<u8> = (0..len).map(|i| i as u8).collect();
			let data = encrypt(&KEY, header(16), &plain);
			assert_eq!(data.len() as u64, header(16).encrypted_len(len as u64), "length {len}");
			assert_eq!(header(16).layout(data.len() as u64).unwrap().1, len as u64);
			assert_eq!(decrypt(&KEY, &data).unwrap(), plain, "length {len}");
		}
	}

	#[test]
	fn wrong_key_altered_reordered_or_truncated_data_is_refused() {
		let plain = [5u8; 40];
		let data = encrypt(&KEY, header(16), &plain);
		assert_eq!(
			decrypt(&[8u8; 32], &data),
			Err(EncryptionError::WrongKeyOrCorrupt { chunk: 0 })
		);
		let mut altered = data.clone();
		altered[HEADER_LEN + 20] ^= 1;
		assert_eq!(decrypt(&KEY, &altered), Err(EncryptionError::WrongKeyOrCorrupt { chunk: 0 }));
		// Cut at a chunk boundary: the new last chunk was sealed as not last.
		let cut = &data[..HEADER_LEN + 2 * 32];
		assert_eq!(decrypt(&KEY, cut), Err(EncryptionError::WrongKeyOrCorrupt { chunk: 1 }));
		// Chunks swapped.
		let mut swapped = data[..HEADER_LEN].to_vec();
		swapped.extend_from_slice(&data[HEADER_LEN + 32..HEADER_LEN + 64]);
		swapped.extend_from_slice(&data[HEADER_LEN..HEADER_LEN + 32]);
		swapped.extend_from_slice(&data[HEADER_LEN + 64..]);
		assert_eq!(decrypt(&KEY, &swapped), Err(EncryptionError::WrongKeyOrCorrupt { chunk: 0 }));
		// Another chunk size in the header.
		let mut resized = data.clone();
		resized[4] = 17;
		assert!(matches!(decrypt(&KEY, &resized), Err(EncryptionError::WrongKeyOrCorrupt { .. })));
		assert_eq!(decrypt(&KEY, &data[..10]), Err(EncryptionError::Truncated));
		assert_eq!(
			decrypt(&KEY, b"not encrypted at all, plain text"),
			Err(EncryptionError::NotEncrypted)
		);
		let mut huge = data.clone();
		huge[4..8].copy_from_slice(&(MAX_CHUNK_SIZE + 1).to_le_bytes());
		assert_eq!(decrypt(&KEY, &huge), Err(EncryptionError::BadChunkSize));
	}

	#[test]
	fn a_sealed_key_opens_only_with_the_recipients_secret() {
		let secret = derive_secret_key(b"bob's sr25519 secret");
		let other = derive_secret_key(b"charlie's sr25519 secret");
		assert_ne!(secret, other);
		let sealed = seal_key(&public_key(&secret), &KEY, &[3u8; 32]).unwrap();
		assert_eq!(sealed.len(), SEALED_KEY_LEN);
		assert_eq!(open_sealed_key(&secret, &sealed), Ok(KEY));
		assert_eq!(
			open_sealed_key(&other, &sealed),
			Err(EncryptionError::WrongKeyOrCorrupt { chunk: 0 })
		);
		let mut altered = sealed;
		altered[40] ^= 1;
		assert!(open_sealed_key(&secret, &altered).is_err());
		assert_eq!(
			open_sealed_key(&secret, &sealed[..79]),
			Err(EncryptionError::BadSealedKeyLength)
		);
		// The all-zero point is of low order: refused rather than sealed to everyone.
		assert_eq!(seal_key(&[0u8; 32], &KEY, &[3u8; 32]), Err(EncryptionError::WeakPublicKey));
	}

	#[test]
	fn the_formats_are_as_documented() {
		// The sealed key starts with the ephemeral public key; a file with its header and one tag.
		let secret = derive_secret_key(&[1u8; 64]);
		let sealed = seal_key(&public_key(&secret), &KEY, &[2u8; 32]).unwrap();
		assert_eq!(&sealed[..32], &public_key(&[2u8; 32]));
		let file = encrypt(&KEY, header(DEFAULT_CHUNK_SIZE), b"zerog");
		assert_eq!(&file[..4], b"ZGE1");
		assert_eq!(file.len(), HEADER_LEN + 5 + TAG_LEN);
	}
}
