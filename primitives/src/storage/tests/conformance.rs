//! Cross-language conformance: `sdk/conformance/storage.json` holds file roots, segment roots and
//! SCALE-encoded segment and chunk proofs computed by this crate, and the TypeScript SDK's tests
//! (`tests/eth/test/sdk.test.mjs`) recompute every one of them. This test fails when the file
//! differs from what the crate computes now, so the two implementations cannot drift apart
//! unnoticed: a deliberate change regenerates it with `ZEROG_WRITE_CONFORMANCE=1` and shows up in
//! review as a changed vector the SDK must follow.

use super::pattern;
use crate::{hex::to_prefixed_hex, storage::*};
use codec::Encode;

/// Where the vectors live, from this crate's folder.
const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../sdk/conformance/storage.json");

/// `(name, size)` of the files: every padding rule, one segment and several.
const FILES: [(&str, usize); 8] = [
	("empty", 0),
	("one byte", 1),
	("exactly one chunk", CHUNK_SIZE),
	("one chunk and one byte", CHUNK_SIZE + 1),
	("exactly one segment", SEGMENT_SIZE),
	("one segment and one byte", SEGMENT_SIZE + 1),
	("three segments and five bytes", 3 * SEGMENT_SIZE + 5),
	("five segments, padded to eight", 5 * SEGMENT_SIZE),
];

/// The chunks proven of a file of `size` bytes: the first, the last, and those around the
/// first segment boundary.
fn chunks_proven(size: usize) -> Vec<u64> {
	let count = chunk_count(size as u64);
	let mut chunks: Vec<u64> =
		[0, 1023, 1024, count.saturating_sub(1)].into_iter().filter(|c| *c < count).collect();
	chunks.dedup();
	chunks.sort_unstable();
	chunks.dedup();
	chunks
}

fn quoted_list(items: impl Iterator<Item = String>) -> String {
	items.collect::<Vec<_>>().join(", ")
}

/// The vectors as JSON text, one file per line group, stable so diffs stay readable.
fn vectors() -> String {
	let mut files = Vec::new();
	for (name, size) in FILES {
		let file = pattern(size);
		let root = file_root(&file).expect("a test file is small");
		let segments = file.chunks(SEGMENT_SIZE).map(|segment| {
			format!("\"{}\"", to_prefixed_hex(segment_root(segment).unwrap().as_bytes()))
		});
		let segment_proofs = (0..segment_count(size as u64)).map(|index| {
			let proof = segment_proof(&file, index).unwrap();
			format!(
				"{{ \"segmentIndex\": {index}, \"scale\": \"{}\" }}",
				to_prefixed_hex(&proof.encode())
			)
		});
		let chunk_proofs = chunks_proven(size).into_iter().map(|index| {
			let proof = chunk_proof(&file, index).unwrap();
			format!(
				"{{ \"chunkIndex\": {index}, \"scale\": \"{}\" }}",
				to_prefixed_hex(&proof.encode())
			)
		});
		files.push(format!(
			"    {{\n      \"name\": \"{name}\",\n      \"size\": {size},\n      \"root\": \"{}\",\n      \
			 \"segmentRoots\": [{}],\n      \"segmentProofs\": [\n        {}\n      ],\n      \
			 \"chunkProofs\": [\n        {}\n      ]\n    }}",
			to_prefixed_hex(root.as_bytes()),
			quoted_list(segments),
			quoted_list(segment_proofs).replace("}, {", "},\n        {"),
			quoted_list(chunk_proofs).replace("}, {", "},\n        {"),
		));
	}
	format!(
		"{{\n  \"about\": \"Written by zerog-primitives (storage::tests::conformance); byte i of \
		 each file is i % 251 + 1; proofs are SCALE (SegmentProof, ChunkProof).\",\n  \
		 \"emptyChunkHash\": \"{}\",\n  \"emptySegmentRoot\": \"{}\",\n  \"files\": [\n{}\n  ]\n}}\n",
		to_prefixed_hex(EMPTY_CHUNK_HASH.as_bytes()),
		to_prefixed_hex(EMPTY_SEGMENT_ROOT.as_bytes()),
		files.join(",\n")
	)
	// An empty list is written `[]`, without a blank line.
	.replace("[\n        \n      ]", "[]")
}

#[test]
fn sdk_conformance_vectors_are_what_this_crate_computes() {
	crate::conformance::check_or_write(VECTORS, &vectors());
}
