//! A port given with `--rpc-port` is the port the RPC server listens on, or the process does not
//! start.
//!
//! polkadot-sdk's RPC server quietly moves to a random port when the one it was given is taken
//! (`retry_random_port`). That suits a default port on a desktop, but not a port an operator, a
//! script or a test chose: the node then runs where nobody looks, and whatever holds the chosen
//! port answers in its place (a peer's libp2p listener resets a WebSocket handshake, another
//! node serves another chain). With an explicit port the node, and the Ethereum adapter it
//! starts, fail at start with "address in use" instead.

use polkadot_sdk::{sc_cli, sc_service};

/// Turns off the random-port fallback of the node's RPC endpoints when the port was given.
pub fn pin_node_endpoints(
	port_given: bool,
	endpoints: Option<&mut Vec<sc_service::config::RpcEndpoint>>,
) {
	if !port_given {
		return;
	}
	for endpoint in endpoints.into_iter().flatten() {
		endpoint.retry_random_port = false;
	}
}

/// The same for a command that builds its endpoints from [`sc_cli::RpcParams`] itself (the
/// Ethereum adapter): the endpoints `--rpc-port` stands for, without the fallback, as explicit
/// endpoints (`--rpc-port` and `--experimental-rpc-endpoint` exclude each other).
pub fn pin_cli_endpoints(
	params: &mut sc_cli::RpcParams,
	is_dev: bool,
	default_port: u16,
) -> sc_cli::Result<()> {
	if params.rpc_port.is_none() || !params.experimental_rpc_endpoint.is_empty() {
		return Ok(());
	}
	let mut endpoints = params.rpc_addr(is_dev, false, default_port)?.unwrap_or_default();
	for endpoint in &mut endpoints {
		endpoint.retry_random_port = false;
	}
	params.experimental_rpc_endpoint = endpoints;
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::*;
	use clap::Parser;

	#[derive(Parser)]
	struct Params {
		#[clap(flatten)]
		rpc: sc_cli::RpcParams,
	}

	fn parse(args: &[&str]) -> sc_cli::RpcParams {
		Params::parse_from(std::iter::once("test").chain(args.iter().copied())).rpc
	}

	#[test]
	fn an_explicit_port_has_no_fallback() {
		let mut params = parse(&["--rpc-port", "19944"]);
		pin_cli_endpoints(&mut params, false, 8545).unwrap();
		assert!(!params.experimental_rpc_endpoint.is_empty());
		for endpoint in &params.experimental_rpc_endpoint {
			assert_eq!(endpoint.listen_addr.port(), 19944);
			assert!(!endpoint.retry_random_port);
		}
		// The loopback IPv4 endpoint must bind; the IPv6 one stays optional.
		assert!(params.experimental_rpc_endpoint.iter().any(|endpoint| !endpoint.is_optional));
	}

	#[test]
	fn the_default_port_is_left_alone() {
		let mut params = parse(&[]);
		pin_cli_endpoints(&mut params, false, 8545).unwrap();
		assert!(params.experimental_rpc_endpoint.is_empty());
		// (`--rpc-port` and `--experimental-rpc-endpoint` cannot be given together.)
		assert!(Params::try_parse_from([
			"test",
			"--rpc-port",
			"19944",
			"--experimental-rpc-endpoint",
			"listen-addr=127.0.0.1:19945",
		])
		.is_err());
	}

	#[test]
	fn node_endpoints_keep_the_fallback_only_for_the_default_port() {
		let params = parse(&["--rpc-port", "19944"]);
		let endpoints: Vec<sc_service::config::RpcEndpoint> = params
			.rpc_addr(false, false, 9944)
			.unwrap()
			.unwrap()
			.into_iter()
			.map(Into::into)
			.collect();
		let mut pinned = endpoints.clone();
		pin_node_endpoints(true, Some(&mut pinned));
		assert!(pinned.iter().all(|endpoint| !endpoint.retry_random_port));
		let mut default = endpoints;
		pin_node_endpoints(false, Some(&mut default));
		assert!(default.iter().all(|endpoint| endpoint.retry_random_port));
	}
}
