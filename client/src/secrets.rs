//! Secrets of the `zerog` client and of the programs built on it (`zerog-executor`,
//! `zerog-da-server`): secret URIs read from files only their owner can read or from the
//! environment, so they stay off the command line where every user of the machine sees them
//! (`ps`, `/proc/<pid>/cmdline`); and the well-known development keys, which must not sign on a
//! public chain.

use std::{
	os::unix::fs::PermissionsExt,
	path::Path,
	sync::{
		atomic::{AtomicBool, Ordering},
		OnceLock,
	},
};
use subxt_signer::{sr25519::Keypair, SecretUri};
use zerog_primitives::dev_keys::{dev_key_name, DEV_DERIVATIONS, DEV_PHRASE};

/// The secret in `path`, trimmed: refused if the file can be read by its group or others
/// (`chmod 600`), or is empty.
pub fn read_secret_file(path: &Path) -> Result<String, String> {
	let shown = path.display();
	let metadata = std::fs::metadata(path).map_err(|error| format!("{shown}: {error}"))?;
	let mode = metadata.permissions().mode();
	if mode & 0o077 != 0 {
		return Err(format!(
			"{shown} can be read by other users (mode {:o}); run `chmod 600 {shown}`",
			mode & 0o777
		));
	}
	let text = std::fs::read_to_string(path).map_err(|error| format!("{shown}: {error}"))?;
	let secret = text.trim();
	if secret.is_empty() {
		return Err(format!("{shown} is empty"));
	}
	Ok(secret.to_owned())
}

/// Whether `suri` is a development key (`//Alice`: a derivation of the well-known development
/// phrase), which is public and may be given on the command line.
pub fn is_development_suri(suri: &str) -> bool {
	suri.starts_with("//") && !suri.contains(char::is_whitespace)
}

/// The sr25519 public keys of the well-known development keys, with their names.
fn development_keys() -> &'static [([u8; 32], &'static str)] {
	static KEYS: OnceLock<Vec<([u8; 32], &'static str)>> = OnceLock::new();
	KEYS.get_or_init(|| {
		DEV_DERIVATIONS
			.iter()
			.map(|derivation| {
				let uri: SecretUri = format!("{DEV_PHRASE}{derivation}")
					.parse()
					.expect("the development phrase and its derivations parse; qed");
				let key = Keypair::from_uri(&uri).expect("development keys derive; qed");
				(key.public_key().0, dev_key_name(derivation))
			})
			.collect()
	})
}

/// The name of the well-known development key `public` (`//Alice`), if it is one.
pub fn development_key_name(public: &[u8; 32]) -> Option<&'static str> {
	development_keys().iter().find(|(key, _)| key == public).map(|(_, name)| *name)
}

/// Set by `--allow-dev-key`: the user knows the chain is public and still wants to sign with a
/// development key.
static ALLOW_DEVELOPMENT_KEY_ON_LIVE_CHAIN: AtomicBool = AtomicBool::new(false);

/// Lets this process sign with a development key on a `Live` chain (`--allow-dev-key`).
pub fn allow_development_key_on_live_chain() {
	ALLOW_DEVELOPMENT_KEY_ON_LIVE_CHAIN.store(true, Ordering::Relaxed);
}

/// Why `signer` may not sign on a chain of type `chain_type` (`system_chainType`), if it may
/// not: a development key on a `Live` chain, unless allowed.
pub fn development_key_refusal(
	signer: &[u8; 32],
	chain_type: &serde_json::Value,
) -> Option<String> {
	let name = development_key_name(signer)?;
	if chain_type != "Live" || ALLOW_DEVELOPMENT_KEY_ON_LIVE_CHAIN.load(Ordering::Relaxed) {
		return None;
	}
	Some(format!(
		"{name} is a publicly known development key and this is a Live chain, where anyone can \
		 sign as it and take what it holds: sign with your own key (--suri-file PATH or the \
		 ZEROG_SURI environment variable), or pass --allow-dev-key if you really mean it"
	))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_secret_file_must_be_private_and_not_empty() {
		let dir = tempfile::tempdir().unwrap();
		let write = |name: &str, mode: u32, text: &str| {
			let path = dir.path().join(name);
			std::fs::write(&path, text).unwrap();
			std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
			path
		};
		let private = write("private", 0o600, "  bottom drive obey lake curtain smoke\n");
		assert_eq!(read_secret_file(&private).unwrap(), "bottom drive obey lake curtain smoke");
		let error = read_secret_file(&write("shared", 0o644, "seed")).unwrap_err();
		assert!(error.contains("chmod 600") && error.contains("644"), "{error}");
		assert!(read_secret_file(&write("empty", 0o600, "\n")).unwrap_err().contains("empty"));
	}

	/// Issue 16: a development key signs on development and local chains, and on a Live chain
	/// only when the user says so.
	#[test]
	fn development_keys_are_refused_on_live_chains_only() {
		let alice = subxt_signer::sr25519::dev::alice().public_key().0;
		let stash: SecretUri = format!("{DEV_PHRASE}//Ferdie//stash").parse().unwrap();
		let ferdie_stash = Keypair::from_uri(&stash).unwrap().public_key().0;
		let own: SecretUri =
			"0x0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef".parse().unwrap();
		let own = Keypair::from_uri(&own).unwrap().public_key().0;
		assert_eq!(development_key_name(&alice), Some("//Alice"));
		assert_eq!(development_key_name(&ferdie_stash), Some("//Ferdie//stash"));
		assert_eq!(development_key_name(&own), None);

		let live = serde_json::json!("Live");
		for chain_type in [serde_json::json!("Development"), serde_json::json!("Local")] {
			assert_eq!(development_key_refusal(&alice, &chain_type), None);
		}
		assert_eq!(development_key_refusal(&own, &live), None);
		let refusal = development_key_refusal(&alice, &live).unwrap();
		assert!(refusal.contains("//Alice") && refusal.contains("--allow-dev-key"), "{refusal}");
		assert!(development_key_refusal(&ferdie_stash, &live).is_some());
		allow_development_key_on_live_chain();
		assert_eq!(development_key_refusal(&alice, &live), None);
	}
}
