//! Ports for the nodes, executors and backends that tests start, chosen so that nothing else can
//! take them between the moment a test picks one and the moment its process listens on it.
//!
//! The usual trick, binding port 0 and closing the socket, hands out a port of the kernel's
//! ephemeral range (`/proc/sys/net/ipv4/ip_local_port_range`, 32768–60999 by default). Until the
//! node binds it, that port is free for anyone: another test's `bind(0)`, the node's own helper
//! processes, and the source port of any outgoing connection (every RPC poll and libp2p dial
//! takes one). A node whose `--rpc-port` was taken that way used to move to a random port
//! without a word, and the test then talked to whatever held the port: a peer's libp2p listener
//! answered the WebSocket handshake with a reset.
//!
//! Ports here come from below the ephemeral range, which the kernel never hands out on its own,
//! and each is reserved with an advisory lock on `$TMPDIR/zerog-test-ports/<port>.lock`, held
//! until the test process exits (the kernel drops it even after `kill -9`). So two tests of one
//! process, two test processes, and every outgoing connection get different ports.

use std::{
	fs::{self, File, TryLockError},
	net::{Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener},
	path::PathBuf,
	sync::{
		atomic::{AtomicUsize, Ordering},
		Mutex, OnceLock,
	},
};

/// Lowest port handed out: above the well-known and most registered service ports.
const LOWEST: u16 = 10_000;

/// The ephemeral range when `/proc` does not tell (Linux's default).
const DEFAULT_EPHEMERAL: (u16, u16) = (32_768, 60_999);

/// Locks of the ports this process reserved, held for the life of the process.
static HELD: Mutex<Vec<File>> = Mutex::new(Vec::new());

/// Where this process starts walking the range.
static START: OnceLock<usize> = OnceLock::new();

/// How far this process walked, so each call goes on where the previous one stopped.
static NEXT: AtomicUsize = AtomicUsize::new(0);

/// A loopback port that nothing listens on, outside the kernel's ephemeral range, reserved for
/// this process: no other caller of this function (here or in another process) gets it while
/// this process runs.
///
/// Panics when every port of the range is taken: tests cannot run on such a machine.
pub fn reserve_port() -> u16 {
	let (low, high) = candidate_range();
	let count = usize::from(high - low) + 1;
	// Processes start their walk at different places, so they rarely compete for a lock.
	let start = *START.get_or_init(|| (std::process::id() as usize).wrapping_mul(7_919));
	for _ in 0..count {
		let offset = start.wrapping_add(NEXT.fetch_add(1, Ordering::Relaxed)) % count;
		let port = low + offset as u16;
		if let Some(lock) = lock(port) {
			if listenable(port) {
				HELD.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).push(lock);
				return port;
			}
		}
	}
	panic!("no free port between {low} and {high}: every one is in use or reserved by a test");
}

/// Ports from [`LOWEST`] up to just below the ephemeral range (or above it, where it starts too
/// low to leave room below).
pub fn candidate_range() -> (u16, u16) {
	let (ephemeral_low, ephemeral_high) = ephemeral_range();
	if ephemeral_low > LOWEST + 1_000 {
		(LOWEST, ephemeral_low - 1)
	} else if ephemeral_high < u16::MAX - 1_000 {
		(ephemeral_high + 1, u16::MAX)
	} else {
		// The whole port space is ephemeral: locks alone keep tests apart.
		(LOWEST, u16::MAX)
	}
}

/// The kernel's ephemeral port range.
fn ephemeral_range() -> (u16, u16) {
	fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
		.ok()
		.and_then(|text| {
			let mut numbers = text.split_whitespace().map(|number| number.parse::<u16>().ok());
			Some((numbers.next()??, numbers.next()??))
		})
		.filter(|(low, high)| low <= high)
		.unwrap_or(DEFAULT_EPHEMERAL)
}

/// The lock on `port`, or `None` when another holder has it.
fn lock(port: u16) -> Option<File> {
	let directory = lock_directory();
	fs::create_dir_all(&directory).ok()?;
	let file = File::options()
		.create(true)
		.truncate(false)
		.write(true)
		.open(directory.join(format!("{port}.lock")))
		.ok()?;
	match file.try_lock() {
		Ok(()) => Some(file),
		Err(TryLockError::WouldBlock) | Err(TryLockError::Error(_)) => None,
	}
}

/// The directory of the lock files, shared by every test process of this user.
fn lock_directory() -> PathBuf {
	std::env::temp_dir().join("zerog-test-ports")
}

/// Whether a node could listen on `port` on every interface, as libp2p does, and on loopback.
fn listenable(port: u16) -> bool {
	let ipv4 = [Ipv4Addr::UNSPECIFIED, Ipv4Addr::LOCALHOST]
		.iter()
		.all(|ip| TcpListener::bind(SocketAddr::from((*ip, port))).is_ok());
	// A host without IPv6 cannot bind `[::]` at all; only a port in use is a reason to skip it.
	let ipv6 = match TcpListener::bind(SocketAddr::from((Ipv6Addr::UNSPECIFIED, port))) {
		Ok(_) => true,
		Err(error) => error.kind() != std::io::ErrorKind::AddrInUse,
	};
	ipv4 && ipv6
}

#[cfg(test)]
mod tests {
	use super::*;
	use std::collections::BTreeSet;

	#[test]
	fn ports_are_distinct_outside_the_ephemeral_range_and_listenable() {
		let (ephemeral_low, ephemeral_high) = ephemeral_range();
		let ports: BTreeSet<u16> = (0..50).map(|_| reserve_port()).collect();
		assert_eq!(ports.len(), 50, "a port was handed out twice");
		for port in &ports {
			assert!(
				*port < ephemeral_low || *port > ephemeral_high,
				"{port} is in the ephemeral range {ephemeral_low}-{ephemeral_high}"
			);
			assert!(TcpListener::bind((Ipv4Addr::LOCALHOST, *port)).is_ok());
		}
	}

	#[test]
	fn a_port_in_use_is_skipped() {
		let port = reserve_port();
		let _listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port)).unwrap();
		assert!(!listenable(port));
	}

	#[test]
	fn a_reserved_port_is_locked_against_other_holders() {
		let port = reserve_port();
		// A second open file description of the same lock file: what another process gets.
		assert!(lock(port).is_none(), "{port} could be locked twice");
	}
}
