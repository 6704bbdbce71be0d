//! Cross-language conformance: `sdk/conformance/encryption.json` holds account keys derived from
//! secret URIs, files encrypted under fixed keys and salts, and keys sealed with fixed ephemeral
//! secrets, all computed here. The TypeScript SDK's tests (`tests/eth/test/sdk-encryption.test.mjs`)
//! derive, encrypt, decrypt, seal and open the same inputs with `@zerog/sdk/encryption` (this
//! code compiled to WebAssembly, plus the SDK's own secret-URI handling) and check every value.
//! This test fails when the file differs from what the crate computes now
//! (`ZEROG_WRITE_CONFORMANCE=1` rewrites it).

use super::{derive_secret_key, encrypt, public_key, seal_key, Header, DEFAULT_CHUNK_SIZE};
use crate::hex::to_prefixed_hex as hex;
use polkadot_sdk::sp_core::{sr25519, Pair};
use sha2::{Digest, Sha256};

/// Where the vectors live, from this crate's folder.
const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../sdk/conformance/encryption.json");

/// Secret URIs as users write them: development accounts, hard and soft derivation paths, a
/// password, and a raw hex seed.
const ACCOUNTS: [&str; 5] = [
	"//Alice",
	"//Bob//stash",
	"bottom drive obey lake curtain smoke basket hold race lonely fit walk//zerog/datasets",
	"//Alice///secret password",
	"0x9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
];

/// `(name, chunk size, plaintext length)`: empty, within one chunk, exactly one chunk, one byte
/// into a second chunk, and two chunks at the tools' default size.
const FILES: [(&str, u32, usize); 5] = [
	("empty", 16, 0),
	("short", 16, 5),
	("one full chunk", 16, 16),
	("one byte past a chunk", 16, 17),
	("default chunk size", DEFAULT_CHUNK_SIZE, DEFAULT_CHUNK_SIZE as usize + 1000),
];

/// Byte `i` of a plaintext is `i % 251 + 1`, as in the storage and DA vectors.
fn pattern(len: usize) -> Vec<u8> {
	(0..len).map(|i| (i % 251 + 1) as u8).collect()
}

/// `n` bytes of a fixed, distinct value per use (the vectors' keys, salts and secrets).
fn fixed<const N: usize>(seed: u8) -> [u8; N] {
	core::array::from_fn(|i| seed.wrapping_mul(31).wrapping_add(i as u8))
}

fn account(suri: &str) -> String {
	// The scalar only: after a soft derivation the raw secret's nonce is random.
	let raw =
		sr25519::Pair::from_string(suri, None).expect("the vectors' URIs are valid").to_raw_vec();
	let secret = derive_secret_key(&raw[..32]);
	format!(
		"    {{ \"suri\": \"{suri}\", \"sr25519Key\": \"{}\", \"x25519Secret\": \"{}\", \
		 \"x25519Public\": \"{}\" }}",
		hex(&raw[..32]),
		hex(&secret),
		hex(&public_key(&secret)),
	)
}

fn file(index: u8, (name, chunk_size, len): (&str, u32, usize)) -> String {
	let key = fixed::<32>(index);
	let header = Header { chunk_size, salt: fixed::<16>(index.wrapping_add(100)) };
	let data = encrypt(&key, header, &pattern(len));
	// Small files in full; the large one by length and hash.
	let body = if data.len() <= 256 {
		format!("\"encrypted\": \"{}\"", hex(&data))
	} else {
		format!("\"encryptedSha256\": \"{}\"", hex(&Sha256::digest(&data)))
	};
	format!(
		"    {{ \"name\": \"{name}\", \"key\": \"{}\", \"salt\": \"{}\", \"chunkSize\": {chunk_size}, \
		 \"plainLength\": {len}, \"encryptedLength\": {}, {body} }}",
		hex(&key),
		hex(&header.salt),
		data.len(),
	)
}

fn sealed(index: u8) -> String {
	let recipient_secret = fixed::<32>(index.wrapping_add(200));
	let recipient = public_key(&recipient_secret);
	let content_key = fixed::<32>(index.wrapping_add(50));
	let ephemeral = fixed::<32>(index.wrapping_add(150));
	let sealed = seal_key(&recipient, &content_key, &ephemeral).expect("not a low-order point");
	format!(
		"    {{ \"recipientSecret\": \"{}\", \"recipientPublic\": \"{}\", \"contentKey\": \"{}\", \
		 \"ephemeralSecret\": \"{}\", \"sealed\": \"{}\" }}",
		hex(&recipient_secret),
		hex(&recipient),
		hex(&content_key),
		hex(&ephemeral),
		hex(&sealed),
	)
}

fn vectors() -> String {
	let accounts: Vec<String> = ACCOUNTS.iter().map(|suri| account(suri)).collect();
	let files: Vec<String> =
		FILES.iter().enumerate().map(|(index, &spec)| file(index as u8, spec)).collect();
	let keys: Vec<String> = (0..3).map(sealed).collect();
	format!(
		"{{\n  \"about\": \"Written by zerog-primitives (encryption::conformance); byte i of each \
		 plaintext is i % 251 + 1; sr25519Key is the account's secret scalar (the first 32 \
		 bytes of sp-core's raw secret), from which its x25519 key is derived; encryptedSha256 \
		 is SHA-256.\",\n  \"accounts\": [\n{}\n  ],\n  \
		 \"files\": [\n{}\n  ],\n  \"sealedKeys\": [\n{}\n  ]\n}}\n",
		accounts.join(",\n"),
		files.join(",\n"),
		keys.join(",\n"),
	)
}

#[test]
fn the_sdk_vectors_are_what_this_crate_computes() {
	crate::conformance::check_or_write(VECTORS, &vectors());
}
