//! Keys of the marketplace: an account's x25519 key, fresh content keys, and content-key files.
//!
//! An account's x25519 secret is derived from its sr25519 secret key (HKDF, one way), so whoever
//! holds the account's secret URI can open the keys sealed to it, and needs no second secret.
//! Only the secret key's first 32 bytes (the scalar) go in: the other 32, the signing nonce, are
//! random after a soft derivation (`//a/b`), so a key derived from them would change each time.

use crate::{error::ClientError, hexstr, secrets::read_secret_file};
use polkadot_sdk::sp_core::{sr25519, Pair};
use rand::RngCore;
use std::{io::Write, os::unix::fs::OpenOptionsExt, path::Path};
use zerog_primitives::encryption::{self, ContentKey, X25519Key};

/// Bytes of an sr25519 secret key's scalar: the start of its raw secret, before the nonce.
pub const SR25519_KEY_LEN: usize = 32;

/// The x25519 secret key of the account of secret URI `suri`.
pub fn account_secret_key(suri: &str) -> Result<X25519Key, ClientError> {
	let pair = sr25519::Pair::from_string(suri, None).map_err(|error| {
		ClientError::Input(format!("the secret URI does not give an sr25519 key: {error:?}"))
	})?;
	Ok(encryption::derive_secret_key(&pair.to_raw_vec()[..SR25519_KEY_LEN]))
}

/// The x25519 public key of the account of secret URI `suri`, as registered on chain.
pub fn account_public_key(suri: &str) -> Result<X25519Key, ClientError> {
	Ok(encryption::public_key(&account_secret_key(suri)?))
}

/// 32 fresh random bytes from the operating system: a content key, or an ephemeral secret.
pub fn random_key() -> [u8; 32] {
	let mut key = [0u8; 32];
	rand::rngs::OsRng.fill_bytes(&mut key);
	key
}

/// 16 fresh random bytes: an encrypted file's salt.
pub fn random_salt() -> [u8; 16] {
	let mut salt = [0u8; 16];
	rand::rngs::OsRng.fill_bytes(&mut salt);
	salt
}

/// Writes `key` as 0x hex to a new file at `path` readable only by its owner (mode 600); an
/// existing file is not overwritten, so a key is never lost by mistake.
pub fn write_key_file(path: &Path, key: &ContentKey) -> Result<(), ClientError> {
	let io = |action| move |source| ClientError::Io { path: path.to_owned(), action, source };
	let mut file = std::fs::OpenOptions::new()
		.write(true)
		.create_new(true)
		.mode(0o600)
		.open(path)
		.map_err(io("creating the key file"))?;
	writeln!(file, "{}", hexstr::encode(key)).map_err(io("writing the key file"))?;
	file.sync_all().map_err(io("writing the key file"))
}

/// Reads a content key written by [`write_key_file`] (refused if others can read the file).
pub fn read_key_file(path: &Path) -> Result<ContentKey, ClientError> {
	let text = read_secret_file(path).map_err(ClientError::Input)?;
	let bytes = hexstr::decode(&text, "the content key").map_err(ClientError::Input)?;
	bytes.try_into().map_err(|bytes: Vec<u8>| {
		ClientError::Input(format!(
			"{}: a content key is 32 bytes, this one is {}",
			path.display(),
			bytes.len()
		))
	})
}

/// Seals `content_key` to `recipient` with a fresh ephemeral key.
pub fn seal_for(recipient: &X25519Key, content_key: &ContentKey) -> Result<Vec<u8>, ClientError> {
	encryption::seal_key(recipient, content_key, &random_key())
		.map(|sealed| sealed.to_vec())
		.map_err(|error| ClientError::Input(format!("cannot seal to that key: {error}")))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn an_accounts_key_is_stable_and_its_own() {
		let alice = account_public_key("//Alice").unwrap();
		assert_eq!(alice, account_public_key("//Alice").unwrap());
		assert_ne!(alice, account_public_key("//Bob").unwrap());
		// A soft derivation gives the secret key a random nonce; the x25519 key must not change
		// with it, or a key sealed to the registered key would not open the next time.
		let soft = account_public_key("//Alice/datasets").unwrap();
		assert_eq!(soft, account_public_key("//Alice/datasets").unwrap());
		assert_ne!(soft, alice);
		let sealed = seal_for(&alice, &[4u8; 32]).unwrap();
		let secret = account_secret_key("//Alice").unwrap();
		assert_eq!(encryption::open_sealed_key(&secret, &sealed), Ok([4u8; 32]));
		let bob = account_secret_key("//Bob").unwrap();
		assert!(encryption::open_sealed_key(&bob, &sealed).is_err());
	}

	#[test]
	fn key_files_are_private_and_never_overwritten() {
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("data.key");
		write_key_file(&path, &[9u8; 32]).unwrap();
		assert_eq!(read_key_file(&path).unwrap(), [9u8; 32]);
		assert!(write_key_file(&path, &[1u8; 32]).is_err());
		assert_eq!(read_key_file(&path).unwrap(), [9u8; 32]);
		use std::os::unix::fs::PermissionsExt;
		std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
		assert!(read_key_file(&path).is_err());
	}
}
