//! Cross-language conformance: `sdk/conformance/da.json` holds blob commitments, shard proofs and
//! the hashes of the shards this crate computes, and the TypeScript SDK's tests
//! (`tests/eth/test/sdk-da.test.mjs`) encode the same blobs with the SDK (this crate compiled to
//! WebAssembly, `sdk/wasm`) and check every value, then verify and rebuild from them. This test
//! fails when the file differs from what the crate computes now (`ZEROG_WRITE_CONFORMANCE=1`
//! rewrites it).

use crate::{
	da::{encode_blob, EncodedBlob},
	hex::to_prefixed_hex,
};
use codec::Encode;
use polkadot_sdk::sp_runtime::traits::{Hash as _, Keccak256};

/// Where the vectors live, from this crate's folder.
const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../sdk/conformance/da.json");

/// `(name, size, k, m)` of the blobs: empty, one byte, a short last shard, several chunks per
/// shard, and the default coding.
const BLOBS: [(&str, usize, u16, u16); 6] = [
	("empty", 0, 1, 1),
	("one byte", 1, 2, 2),
	("short last shard", 1000, 4, 8),
	("one aligned chunk past a shard", 64 * 16 + 1, 16, 32),
	("a shard of several chunks", 100_000, 8, 8),
	("default coding", 300_000, 16, 32),
];

/// Byte `i` of a blob is `i % 251 + 1`, as in the storage vectors.
fn pattern(len: usize) -> Vec<u8> {
	(0..len).map(|i| (i % 251 + 1) as u8).collect()
}

fn hex(bytes: &[u8]) -> String {
	to_prefixed_hex(bytes)
}

/// One blob's vector as JSON.
fn vector(name: &str, size: usize, k: u16, m: u16) -> String {
	let EncodedBlob { commitment, shards, proofs, fingerprints } =
		encode_blob(&pattern(size), k, m).expect("the vectors' codings are valid");
	let total = shards.len();
	let proven: Vec<usize> =
		[0, usize::from(k) - 1, usize::from(k), total - 1].into_iter().collect();
	let mut proven = proven;
	proven.dedup();
	let shard_hashes: Vec<String> = shards
		.iter()
		.map(|shard| format!("\"{}\"", hex(Keccak256::hash(shard).as_bytes())))
		.collect();
	let proofs: Vec<String> = proven
		.iter()
		.map(|&index| {
			format!("{{ \"index\": {index}, \"scale\": \"{}\" }}", hex(&proofs[index].encode()))
		})
		.collect();
	format!(
		"    {{\n      \"name\": \"{name}\",\n      \"size\": {size},\n      \"dataShards\": {k},\n      \
		 \"parityShards\": {m},\n      \"root\": \"{}\",\n      \"commitment\": \"{}\",\n      \
		 \"shardBytes\": {},\n      \"fingerprintsHash\": \"{}\",\n      \"shardHashes\": [\n        \
		 {}\n      ],\n      \"proofs\": [\n        {}\n      ]\n    }}",
		hex(commitment.root.as_bytes()),
		hex(&commitment.encode()),
		shards[0].len(),
		hex(Keccak256::hash(&fingerprints).as_bytes()),
		shard_hashes.join(",\n        "),
		proofs.join(",\n        "),
	)
}

fn vectors() -> String {
	let blobs: Vec<String> =
		BLOBS.iter().map(|&(name, size, k, m)| vector(name, size, k, m)).collect();
	format!(
		"{{\n  \"about\": \"Written by zerog-primitives (da::tests::conformance); byte i of each \
		 blob is i % 251 + 1; commitment is SCALE BlobCommitment, proofs SCALE ShardProof, \
		 shardHashes and fingerprintsHash keccak-256.\",\n  \"blobs\": [\n{}\n  ]\n}}\n",
		blobs.join(",\n")
	)
}

#[test]
fn da_conformance_vectors_are_current() {
	crate::conformance::check_or_write(VECTORS, &vectors());
}
