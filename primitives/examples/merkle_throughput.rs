//! Benchmark (not a test): MB/s of the storage merkle code next to raw keccak-256 on this machine.
//!
//! ```text
//! cargo run --release --example merkle_throughput -- [MiB]   # default 256
//! ```
//!
//! Prints three figures over the same pseudo-random bytes: keccak-256 of 256-byte chunks alone
//! (the floor every merkle tree of 256-byte leaves pays), `segment_root` of every 256 KiB segment
//! plus `FileRootBuilder` (what the CLI and the node compute), and `FileTree::new` (which also
//! keeps every level for proofs). One thread.

use std::time::Instant;

use polkadot_sdk::sp_runtime::traits::{Hash, Keccak256};
use zerog_primitives::storage::{
	segment_root, FileRootBuilder, FileTree, CHUNK_SIZE, SEGMENT_SIZE,
};

fn main() {
	let mib: usize = match std::env::args().nth(1).map(|arg| arg.parse()) {
		None => 256,
		Some(Ok(mib)) if mib > 0 => mib,
		Some(_) => {
			eprintln!("usage: merkle_throughput [MiB > 0]");
			std::process::exit(2);
		},
	};
	let bytes = pseudo_random(mib << 20);
	let mb = bytes.len() as f64 / 1e6;

	let started = Instant::now();
	let mut sink = [0u8; 1];
	for chunk in bytes.chunks(CHUNK_SIZE) {
		let hash = Keccak256::hash(chunk);
		sink[0] ^= hash.0[0];
	}
	let raw = started.elapsed().as_secs_f64();

	let started = Instant::now();
	let mut builder = FileRootBuilder::new();
	for segment in bytes.chunks(SEGMENT_SIZE) {
		builder
			.push(segment_root(segment).expect("a segment is at most SEGMENT_SIZE"))
			.expect("fits");
	}
	let streamed_root = builder.root();
	let streamed = started.elapsed().as_secs_f64();

	let started = Instant::now();
	let tree = FileTree::new(&bytes).expect("under MAX_FILE_SIZE");
	let full = started.elapsed().as_secs_f64();
	assert_eq!(tree.root(), streamed_root, "both ways give the same root");

	println!("data: {mib} MiB ({mb:.1} MB), checksum byte {}", sink[0]);
	println!("keccak-256 of 256 B chunks:          {:>8.1} MB/s", mb / raw);
	println!("file root (segment roots, streamed): {:>8.1} MB/s", mb / streamed);
	println!("file tree with proofs (FileTree):    {:>8.1} MB/s", mb / full);
	println!("root {streamed_root:?}");
}

/// Deterministic bytes that do not compress: xorshift64.
fn pseudo_random(len: usize) -> Vec<u8> {
	let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
	let mut out = Vec::with_capacity(len + 8);
	while out.len() < len {
		state ^= state << 13;
		state ^= state >> 7;
		state ^= state << 17;
		out.extend_from_slice(&state.to_le_bytes());
	}
	out.truncate(len);
	out
}
