//! `--compute-executor <URL>`: where the compute escrow's off-chain worker finds this provider's
//! `zerog-executor`.
//!
//! The worker (`pallet_compute_escrow::offchain`) reads the executor's base URL from persistent
//! off-chain local storage under `zerog::compute::executor`. With this flag the node writes it
//! there at every start (see [`crate::local_rpc_url::publish_executor_url`]), so a provider needs
//! no `offchain_localStorageSet` call. Without the flag the stored value is left as it is, but
//! on a development chain, whose genesis registers Alice's services for `zerog-executor --dev`,
//! the node points its worker at that executor's default job API address ([`DEV_EXECUTOR_URL`]).

use polkadot_sdk::sc_chain_spec::ChainType;

/// Where `zerog-executor --dev`'s job API listens by default (`--jobs-listen`; its gateway, the
/// endpoint of the `development` preset's services, is on 8700).
pub const DEV_EXECUTOR_URL: &str = "http://127.0.0.1:8800";

/// The executor URL to store: the flag's, or [`DEV_EXECUTOR_URL`] on a development chain.
pub fn executor_url(given: Option<String>, chain_type: &ChainType) -> Option<String> {
	given.or_else(|| (*chain_type == ChainType::Development).then(|| DEV_EXECUTOR_URL.to_owned()))
}

/// Options of the compute provider this node runs for.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ComputeParams {
	/// Base URL of this compute provider's `zerog-executor` job API (its `--jobs-listen`, e.g.
	/// http://127.0.0.1:8800). The node stores it in persistent off-chain storage under
	/// `zerog::compute::executor` at start,
	/// where the compute escrow's off-chain worker reads it to dispatch the jobs assigned to the
	/// `zgcp` keys in the keystore. Needs off-chain workers on (the default on validators;
	/// `--offchain-worker always` otherwise). Default on a development chain:
	/// http://127.0.0.1:8800, where `zerog-executor --dev`'s job API listens.
	#[arg(long, value_name = "URL", value_parser = parse_executor_url)]
	pub compute_executor: Option<String>,

	/// File holding the token of the executor's job API (`zerog-executor --jobs-token-file`,
	/// which writes one at its first start), readable only by the node's user. The node stores
	/// it under `zerog::compute::executor-token`, and the worker sends it as `Authorization:
	/// Bearer <token>`, so nobody else on the machine can post jobs to the executor. Without it
	/// the worker sends no token (as to `zerog-executor --dev`).
	#[arg(long, value_name = "PATH", requires = "compute_executor")]
	pub compute_executor_token_file: Option<std::path::PathBuf>,
}

/// The token in `path`: printable ASCII without spaces, 16 to 256 characters, in a file only its
/// owner can read.
pub fn read_executor_token(path: &std::path::Path) -> Result<String, String> {
	use std::os::unix::fs::PermissionsExt;
	let shown = path.display();
	let mode = std::fs::metadata(path)
		.map_err(|error| format!("--compute-executor-token-file {shown}: {error}"))?
		.permissions()
		.mode();
	if mode & 0o077 != 0 {
		return Err(format!(
			"--compute-executor-token-file {shown} can be read by other users (mode {:o}); run \
			 `chmod 600 {shown}`",
			mode & 0o777
		));
	}
	let text = std::fs::read_to_string(path)
		.map_err(|error| format!("--compute-executor-token-file {shown}: {error}"))?;
	let token = text.trim();
	if !(16..=256).contains(&token.len()) || !token.bytes().all(|byte| byte.is_ascii_graphic()) {
		return Err(format!(
			"--compute-executor-token-file {shown}: a token is 16 to 256 printable characters \
			 without spaces"
		));
	}
	Ok(token.to_owned())
}

/// An executor URL as the worker wants it: `http://` or `https://`, a host, no trailing `/`.
pub fn parse_executor_url(text: &str) -> Result<String, String> {
	let url = text.trim().trim_end_matches('/');
	let rest = url
		.strip_prefix("http://")
		.or_else(|| url.strip_prefix("https://"))
		.ok_or_else(|| format!("`{text}` is not an http:// or https:// URL"))?;
	let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
	if host.is_empty() {
		return Err(format!("`{text}` has no host"));
	}
	if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
		return Err(format!("`{text}` contains whitespace"));
	}
	Ok(url.to_owned())
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::cli::Cli;
	use clap::Parser;

	#[test]
	fn urls_are_checked_and_trailing_slashes_dropped() {
		assert_eq!(
			parse_executor_url("http://127.0.0.1:8700/"),
			Ok("http://127.0.0.1:8700".into())
		);
		assert_eq!(
			parse_executor_url(" https://exec.example/zerog "),
			Ok("https://exec.example/zerog".into())
		);
		assert!(parse_executor_url("127.0.0.1:8700").unwrap_err().contains("http://"));
		assert!(parse_executor_url("ws://127.0.0.1:8700").is_err());
		assert!(parse_executor_url("http:///jobs").unwrap_err().contains("no host"));
		assert!(parse_executor_url("http://").is_err());
		assert!(parse_executor_url("http://a b").unwrap_err().contains("whitespace"));
	}

	#[test]
	fn the_node_takes_the_flag() {
		let cli = Cli::try_parse_from([
			"zerog-node",
			"--dev",
			"--compute-executor",
			"http://127.0.0.1:8700/",
		])
		.unwrap();
		assert_eq!(cli.compute.compute_executor.as_deref(), Some("http://127.0.0.1:8700"));
		let cli = Cli::try_parse_from(["zerog-node", "--dev"]).unwrap();
		assert_eq!(cli.compute.compute_executor, None);
		assert!(Cli::try_parse_from(["zerog-node", "--compute-executor", "8700"]).is_err());
	}

	#[test]
	fn a_development_chain_defaults_to_the_dev_executor() {
		assert_eq!(executor_url(None, &ChainType::Development).as_deref(), Some(DEV_EXECUTOR_URL));
		assert_eq!(executor_url(None, &ChainType::Local), None);
		assert_eq!(executor_url(None, &ChainType::Live), None);
		assert_eq!(
			executor_url(Some("http://10.0.0.1:9000".into()), &ChainType::Development).as_deref(),
			Some("http://10.0.0.1:9000")
		);
	}

	#[test]
	fn the_token_file_must_be_private_and_well_formed() {
		use std::os::unix::fs::PermissionsExt;
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("jobs.token");
		let write = |text: &str, mode: u32| {
			std::fs::write(&path, text).unwrap();
			std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
		};
		write("0123456789abcdef0123\n", 0o600);
		assert_eq!(read_executor_token(&path).unwrap(), "0123456789abcdef0123");
		write("0123456789abcdef0123", 0o644);
		assert!(read_executor_token(&path).unwrap_err().contains("chmod 600"));
		write("short", 0o600);
		assert!(read_executor_token(&path).unwrap_err().contains("16 to 256"));
		write("0123456789 abcdef0123", 0o600);
		assert!(read_executor_token(&path).is_err());
		assert!(read_executor_token(&dir.path().join("missing")).is_err());
		let cli = Cli::try_parse_from([
			"zerog-node",
			"--dev",
			"--compute-executor",
			"http://127.0.0.1:8701",
			"--compute-executor-token-file",
			"/etc/zerog/jobs.token",
		])
		.unwrap();
		assert!(cli.compute.compute_executor_token_file.is_some());
		assert!(
			Cli::try_parse_from(["zerog-node", "--compute-executor-token-file", "/x"]).is_err(),
			"a token without an executor"
		);
	}

	#[test]
	fn help_documents_the_flag() {
		use clap::CommandFactory;
		let help = Cli::command().render_long_help().to_string();
		assert!(help.contains("--compute-executor <URL>"), "{help}");
		assert!(help.contains("zerog::compute::executor"), "{help}");
	}
}
