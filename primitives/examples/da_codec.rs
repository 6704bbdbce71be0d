//! Benchmark (not a test): encode + commit and decode time of DA blobs on one core.
//!
//! ```text
//! cargo run --release --example da_codec -- [k] [m]   # default coding 16 + 32
//! ```
//!
//! For 1, 8 and 32 MiB blobs: `encode_blob` (Reed-Solomon parity, shard merkle tree, every shard
//! proof) and `decode_blob` from the last `k` shards, proofs checked (parity only, the worst
//! case: every data shard is rebuilt). Each figure is the best of three runs, single-threaded.

use std::time::{Duration, Instant};

use zerog_primitives::da::{decode_blob, encode_blob, DEFAULT_DATA_SHARDS, DEFAULT_PARITY_SHARDS};

fn main() {
	let mut args = std::env::args().skip(1).map(|arg| arg.parse::<u16>());
	let k = match args.next() {
		None => DEFAULT_DATA_SHARDS,
		Some(Ok(k)) => k,
		Some(Err(_)) => usage(),
	};
	let m = match args.next() {
		None => DEFAULT_PARITY_SHARDS,
		Some(Ok(m)) => m,
		Some(Err(_)) => usage(),
	};
	println!("coding: {k} data + {m} parity shards");
	for mib in [1usize, 8, 32] {
		let blob = pseudo_random(mib << 20);
		let encoded = encode_blob(&blob, k, m).unwrap_or_else(|e| {
			eprintln!("encode failed: {e}");
			std::process::exit(1)
		});
		let encode = best_of_three(|| {
			encode_blob(&blob, k, m).expect("encoded once already");
		});
		let from_parity: Vec<(u16, &[u8], _)> = (0..encoded.shards.len())
			.rev()
			.take(usize::from(k))
			.map(|i| (i as u16, encoded.shards[i].as_slice(), &encoded.proofs[i]))
			.collect();
		let decode = best_of_three(|| {
			let decoded = decode_blob(&encoded.commitment, &from_parity).expect("k shards decode");
			assert_eq!(decoded.len(), blob.len());
		});
		println!(
			"{mib:>2} MiB: encode + commit {:>8.1} ms ({:>6.1} MB/s), decode from parity {:>8.1} ms ({:>6.1} MB/s)",
			encode.as_secs_f64() * 1e3,
			blob.len() as f64 / 1e6 / encode.as_secs_f64(),
			decode.as_secs_f64() * 1e3,
			blob.len() as f64 / 1e6 / decode.as_secs_f64(),
		);
	}
}

fn usage() -> ! {
	eprintln!("usage: da_codec [data_shards] [parity_shards]");
	std::process::exit(2)
}

fn best_of_three(mut run: impl FnMut()) -> Duration {
	(0..3)
		.map(|_| {
			let started = Instant::now();
			run();
			started.elapsed()
		})
		.min()
		.expect("three runs")
}

/// Deterministic bytes that do not compress: xorshift64.
fn pseudo_random(len: usize) -> Vec<u8> {
	let mut state: u64 = 0x2545_F491_4F6C_DD1D;
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
