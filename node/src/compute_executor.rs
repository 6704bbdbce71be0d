//! `--compute-executor <URL>`: where the compute escrow's off-chain worker finds this provider's
//! `zerog-executor`.
//!
//! The worker (`pallet_compute_escrow::offchain`) reads the executor's base URL from persistent
//! off-chain local storage under `zerog::compute::executor`. With this flag the node writes it
//! there at every start (see [`crate::local_rpc_url::publish_executor_url`]), so a provider needs
//! no `offchain_localStorageSet` call. Without the flag the stored value is left as it is, but
//! on a development chain, whose genesis registers Alice's services at `zerog-executor --dev`'s
//! default address, the node points its worker there ([`DEV_EXECUTOR_URL`]).

use polkadot_sdk::sc_chain_spec::ChainType;

/// Where `zerog-executor --dev` listens by default, and the endpoint of the `development`
/// preset's compute services.
pub const DEV_EXECUTOR_URL: &str = "http://127.0.0.1:8700";

/// The executor URL to store: the flag's, or [`DEV_EXECUTOR_URL`] on a development chain.
pub fn executor_url(given: Option<String>, chain_type: &ChainType) -> Option<String> {
	given.or_else(|| (*chain_type == ChainType::Development).then(|| DEV_EXECUTOR_URL.to_owned()))
}

/// Options of the compute provider this node runs for.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ComputeParams {
	/// Base URL of this compute provider's `zerog-executor` (e.g. http://127.0.0.1:8700). The
	/// node stores it in persistent off-chain storage under `zerog::compute::executor` at start,
	/// where the compute escrow's off-chain worker reads it to dispatch the jobs assigned to the
	/// `zgcp` keys in the keystore. Needs off-chain workers on (the default on validators;
	/// `--offchain-worker always` otherwise). Default on a development chain:
	/// http://127.0.0.1:8700, where `zerog-executor --dev` listens.
	#[arg(long, value_name = "URL", value_parser = parse_executor_url)]
	pub compute_executor: Option<String>,
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
	fn help_documents_the_flag() {
		use clap::CommandFactory;
		let help = Cli::command().render_long_help().to_string();
		assert!(help.contains("--compute-executor <URL>"), "{help}");
		assert!(help.contains("zerog::compute::executor"), "{help}");
	}
}
