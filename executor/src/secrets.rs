//! The provider's secrets: its account's secret URI, the backend's API key and the enclave key. They come from a
//! file only the executor's user can read, or from an environment variable, never from the
//! command line, where every user of the machine sees them (`ps`, `/proc/<pid>/cmdline`). Job
//! commands never see either: they run with a minimal environment in a sandbox without the
//! provider's files (see [`crate::jobs::sandbox`]).

use std::{os::unix::fs::OpenOptionsExt, path::Path};
pub use zerog_client::secrets::{is_development_suri, read_secret_file};

/// Environment variable holding the provider's secret URI.
pub const SURI_ENV: &str = "ZEROG_EXECUTOR_SURI";

/// Environment variable holding the backend's API key.
pub const BACKEND_API_KEY_ENV: &str = "ZEROG_BACKEND_API_KEY";

/// The provider's secret URI: from `file`, else the [`SURI_ENV`] variable, else `argument` if it
/// is a development key, else `fallback` (the `--dev` account).
pub fn provider_suri(
	file: Option<&Path>,
	environment: Option<String>,
	argument: Option<&str>,
	fallback: Option<&str>,
) -> Result<String, String> {
	if let Some(path) = file {
		return read_secret_file(path).map_err(|error| format!("--suri-file: {error}"));
	}
	if let Some(suri) = environment.filter(|suri| !suri.trim().is_empty()) {
		return Ok(suri.trim().to_owned());
	}
	match argument {
		Some(suri) if is_development_suri(suri) => Ok(suri.to_owned()),
		Some(_) => Err(format!(
			"--suri takes development keys only (//Alice); a real key on the command line is \
			 visible to every user of this machine: put it in a file readable only by you and \
			 pass --suri-file PATH, or set {SURI_ENV}"
		)),
		None => fallback.map(str::to_owned).ok_or_else(|| {
			format!("the provider's key is missing: pass --suri-file PATH or set {SURI_ENV}")
		}),
	}
}

/// Environment variable holding the enclave key's secret URI.
pub const ENCLAVE_SURI_ENV: &str = "ZEROG_ENCLAVE_SURI";

/// The backend's API key: from `file`, else the [`BACKEND_API_KEY_ENV`] variable, else none.
pub fn backend_api_key(
	file: Option<&Path>,
	environment: Option<String>,
) -> Result<Option<String>, String> {
	optional_secret("--backend-api-key-file", file, environment)
}

/// The enclave key's secret URI: from `file`, else the [`ENCLAVE_SURI_ENV`] variable, else none.
pub fn enclave_suri(
	file: Option<&Path>,
	environment: Option<String>,
) -> Result<Option<String>, String> {
	optional_secret("--enclave-key-file", file, environment)
}

/// A secret from `file` (given by `flag`), else from `environment`, else none.
fn optional_secret(
	flag: &str,
	file: Option<&Path>,
	environment: Option<String>,
) -> Result<Option<String>, String> {
	if let Some(path) = file {
		return read_secret_file(path).map(Some).map_err(|error| format!("{flag}: {error}"));
	}
	Ok(environment.map(|key| key.trim().to_owned()).filter(|key| !key.is_empty()))
}

/// The job API token in `path`, or a fresh random one (32 bytes, hex) written there with mode
/// 600 if the file does not exist.
pub fn jobs_token(path: &Path) -> Result<String, String> {
	use std::io::{Read, Write};
	if path.exists() {
		return read_secret_file(path).map_err(|error| format!("--jobs-token-file: {error}"));
	}
	let mut random = [0u8; 32];
	std::fs::File::open("/dev/urandom")
		.and_then(|mut source| source.read_exact(&mut random))
		.map_err(|error| format!("a random job API token: {error}"))?;
	let token: String = random.iter().map(|byte| format!("{byte:02x}")).collect();
	let mut file = std::fs::OpenOptions::new()
		.write(true)
		.create_new(true)
		.mode(0o600)
		.open(path)
		.map_err(|error| format!("--jobs-token-file {}: {error}", path.display()))?;
	file.write_all(format!("{token}\n").as_bytes())
		.and_then(|()| file.sync_all())
		.map_err(|error| format!("--jobs-token-file {}: {error}", path.display()))?;
	Ok(token)
}

#[cfg(test)]
mod tests {
	use super::*;
	use std::os::unix::fs::PermissionsExt;

	fn secret_file(mode: u32, text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("secret");
		std::fs::write(&path, text).unwrap();
		std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
		(dir, path)
	}

	/// Issue 15: the provider's seed never comes from the command line, unless it is a public
	/// development key.
	#[test]
	fn the_provider_key_comes_from_a_file_or_the_environment_never_argv() {
		let (_dir, file) = secret_file(0o600, "0x1234");
		assert_eq!(provider_suri(Some(&file), Some("//Env".into()), None, None).unwrap(), "0x1234");
		assert_eq!(
			provider_suri(None, Some("//Env".into()), Some("//Bob"), None).unwrap(),
			"//Env"
		);
		assert_eq!(provider_suri(None, None, Some("//Bob"), None).unwrap(), "//Bob");
		let error = provider_suri(None, None, Some("bottom drive obey lake"), None).unwrap_err();
		assert!(error.contains("--suri-file") && error.contains(SURI_ENV), "{error}");
		assert!(provider_suri(None, None, Some("0xabcd"), None).is_err());
		assert_eq!(provider_suri(None, None, None, Some("//Alice")).unwrap(), "//Alice");
		assert!(provider_suri(None, None, None, None).unwrap_err().contains("missing"));
	}

	#[test]
	fn a_jobs_token_is_made_once_private_and_then_read() {
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("jobs.token");
		let token = jobs_token(&path).unwrap();
		assert_eq!(token.len(), 64);
		assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
		assert_eq!(jobs_token(&path).unwrap(), token, "the same token at the next start");
		assert_ne!(jobs_token(&dir.path().join("other")).unwrap(), token);
	}

	#[test]
	fn the_backend_key_comes_from_a_file_or_the_environment() {
		let (_dir, file) = secret_file(0o400, "sk-file\n");
		assert_eq!(
			backend_api_key(Some(&file), Some("sk-env".into())).unwrap().unwrap(),
			"sk-file"
		);
		assert_eq!(backend_api_key(None, Some("sk-env".into())).unwrap().unwrap(), "sk-env");
		assert_eq!(backend_api_key(None, Some(" ".into())).unwrap(), None);
		assert_eq!(backend_api_key(None, None).unwrap(), None);
	}

	#[test]
	fn the_enclave_key_comes_from_a_private_file_or_the_environment() {
		let (_dir, file) = secret_file(0o600, "//Enclave\n");
		assert_eq!(enclave_suri(Some(&file), None).unwrap().unwrap(), "//Enclave");
		assert_eq!(enclave_suri(None, Some("//Env".into())).unwrap().unwrap(), "//Env");
		assert_eq!(enclave_suri(None, None).unwrap(), None);
		let (_dir, shared) = secret_file(0o644, "//Enclave\n");
		let refused = enclave_suri(Some(&shared), None).unwrap_err();
		assert!(refused.starts_with("--enclave-key-file"), "{refused}");
	}
}
