//! Tells the pallets' off-chain workers where the node's own JSON-RPC server listens, and the
//! compute worker where its executor is.
//!
//! The DA worker fetches shards from the node over HTTP (see `pallet_da_attestations::offchain`;
//! the storage worker reads the data store through host functions instead). It reads the URL
//! from persistent off-chain local storage, so at start-up the node writes the address its RPC
//! server actually bound (which differs from `--rpc-port` when that port was taken and a random
//! one was used) under the pallet's key.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use pallet_compute_escrow::offchain::{EXECUTOR_TOKEN_KEY, EXECUTOR_URL_KEY};
use polkadot_sdk::{
	sc_network::multiaddr::{Multiaddr, Protocol},
	sp_core::offchain::{OffchainStorage, STORAGE_PREFIX},
};

/// Persistent local-storage keys the off-chain workers read the RPC URL from.
pub const RPC_URL_KEYS: [&[u8]; 1] = [pallet_da_attestations::offchain::RPC_URL_KEY];

/// The socket addresses among the RPC server's listen addresses (`/ip4/…/tcp/…`).
pub fn socket_addrs(listen: &[Multiaddr]) -> Vec<SocketAddr> {
	listen
		.iter()
		.filter_map(|address| {
			let mut ip = None;
			let mut port = None;
			for protocol in address.iter() {
				match protocol {
					Protocol::Ip4(v4) => ip = Some(IpAddr::V4(v4)),
					Protocol::Ip6(v6) => ip = Some(IpAddr::V6(v6)),
					Protocol::Tcp(tcp) => port = Some(tcp),
					_ => {},
				}
			}
			Some(SocketAddr::new(ip?, port?))
		})
		.collect()
}

/// The URL a worker on this machine reaches the RPC server at, `http://127.0.0.1:<port>` for a
/// server on loopback or on every interface; `None` if it listens nowhere.
///
/// Loopback-reachable IPv4 addresses come first, then IPv6 ones, then a specific interface.
pub fn local_rpc_url(listen: &[SocketAddr]) -> Option<String> {
	let rank = |address: &&SocketAddr| match address.ip() {
		IpAddr::V4(ip) if ip.is_loopback() || ip.is_unspecified() => 0,
		IpAddr::V6(ip) if ip.is_loopback() || ip.is_unspecified() => 1,
		IpAddr::V4(_) => 2,
		IpAddr::V6(_) => 3,
	};
	let address = listen.iter().min_by_key(rank)?;
	let host = match address.ip() {
		IpAddr::V4(ip) if ip.is_loopback() || ip.is_unspecified() => {
			SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), address.port())
		},
		IpAddr::V6(ip) if ip.is_loopback() || ip.is_unspecified() => {
			SocketAddr::new(IpAddr::V6(Ipv6Addr::LOCALHOST), address.port())
		},
		_ => *address,
	};
	Some(format!("http://{host}"))
}

/// Writes `url` under every key of [`RPC_URL_KEYS`] in persistent off-chain storage, as raw
/// UTF-8 bytes.
pub fn publish(offchain_storage: &mut impl OffchainStorage, url: &str) {
	for key in RPC_URL_KEYS {
		offchain_storage.set(STORAGE_PREFIX, key, url.as_bytes());
	}
}

/// Writes the compute executor's base URL (`--compute-executor`) under [`EXECUTOR_URL_KEY`] and
/// its job API token (`--compute-executor-token-file`) under [`EXECUTOR_TOKEN_KEY`] in
/// persistent off-chain storage, as raw UTF-8 bytes, the way the compute escrow's off-chain
/// worker reads them. Without a token, a token stored by an earlier start is removed.
pub fn publish_executor_url(
	offchain_storage: &mut impl OffchainStorage,
	url: &str,
	token: Option<&str>,
) {
	offchain_storage.set(STORAGE_PREFIX, EXECUTOR_URL_KEY, url.as_bytes());
	match token {
		Some(token) => offchain_storage.set(STORAGE_PREFIX, EXECUTOR_TOKEN_KEY, token.as_bytes()),
		None => offchain_storage.remove(STORAGE_PREFIX, EXECUTOR_TOKEN_KEY),
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use polkadot_sdk::sp_core::offchain::storage::InMemOffchainStorage;

	fn addr(text: &str) -> SocketAddr {
		text.parse().unwrap()
	}

	#[test]
	fn loopback_and_wildcard_listeners_are_reached_on_127_0_0_1() {
		assert_eq!(
			local_rpc_url(&[addr("[::1]:9944"), addr("127.0.0.1:9944")]).as_deref(),
			Some("http://127.0.0.1:9944")
		);
		assert_eq!(
			local_rpc_url(&[addr("0.0.0.0:9955")]).as_deref(),
			Some("http://127.0.0.1:9955")
		);
		assert_eq!(local_rpc_url(&[addr("[::]:9966")]).as_deref(), Some("http://[::1]:9966"));
		assert_eq!(
			local_rpc_url(&[addr("10.1.2.3:9944")]).as_deref(),
			Some("http://10.1.2.3:9944")
		);
		assert_eq!(local_rpc_url(&[]), None);
	}

	#[test]
	fn listen_multiaddrs_become_socket_addresses() {
		let listen: Vec<Multiaddr> =
			vec!["/ip4/127.0.0.1/tcp/9944".parse().unwrap(), "/ip6/::1/tcp/9945".parse().unwrap()];
		assert_eq!(socket_addrs(&listen), vec![addr("127.0.0.1:9944"), addr("[::1]:9945")]);
	}

	#[test]
	fn publishes_the_executor_url_where_the_compute_worker_reads_it() {
		let mut storage = InMemOffchainStorage::default();
		publish_executor_url(&mut storage, "http://127.0.0.1:8700", Some("0123456789abcdef"));
		assert_eq!(
			storage.get(STORAGE_PREFIX, b"zerog::compute::executor").as_deref(),
			Some(&b"http://127.0.0.1:8700"[..])
		);
		assert_eq!(
			storage.get(STORAGE_PREFIX, b"zerog::compute::executor-token").as_deref(),
			Some(&b"0123456789abcdef"[..])
		);
		// A later start without a token leaves none behind.
		publish_executor_url(&mut storage, "http://127.0.0.1:8700", None);
		assert_eq!(storage.get(STORAGE_PREFIX, b"zerog::compute::executor-token"), None);
		assert_eq!(storage.get(STORAGE_PREFIX, b"zerog::da::rpc"), None);
	}

	#[test]
	fn publishes_the_url_where_the_da_worker_reads_it() {
		let mut storage = InMemOffchainStorage::default();
		publish(&mut storage, "http://127.0.0.1:9944");
		assert_eq!(
			storage.get(STORAGE_PREFIX, b"zerog::da::rpc").as_deref(),
			Some(&b"http://127.0.0.1:9944"[..])
		);
		// The storage worker reads the data store through host functions, not over RPC.
		assert_eq!(storage.get(STORAGE_PREFIX, b"zerog::storage::rpc"), None);
	}
}
