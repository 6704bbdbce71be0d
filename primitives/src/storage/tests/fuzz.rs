//! Fuzz targets (`arbitrary`-driven, run by `arbtest`) for what a node or the runtime decodes
//! from strangers: segment and chunk proofs.
//!
//! Each run draws a small file, then feeds the verifiers proofs decoded from arbitrary bytes and
//! valid proofs with arbitrary bytes flipped. Besides "never panics", a proof that verifies must
//! prove the file's own bytes: verification is sound against anything an attacker can encode.
//! `ARBTEST_BUDGET_MS` sets how long each target runs (see `docs/testing.md`).

use super::{chunk_of, segment_of};
use crate::storage::*;
use arbtest::arbitrary::{Result, Unstructured};
use codec::{Decode, Encode};

/// A file of up to three segments and a few bytes more, with pseudo-random content.
fn small_file(u: &mut Unstructured) -> Result<Vec<u8>> {
	let size = u.int_in_range(1..=3 * SEGMENT_SIZE + 300)?;
	Ok(super::random_file(size, u.arbitrary()?))
}

/// `bytes` with up to eight arbitrary bytes overwritten and possibly truncated or extended.
fn mutate(u: &mut Unstructured, mut bytes: Vec<u8>) -> Result<Vec<u8>> {
	for _ in 0..u.int_in_range(0..=8)? {
		if bytes.is_empty() {
			break;
		}
		let at = u.choose_index(bytes.len())?;
		bytes[at] = u.arbitrary()?;
	}
	match u.int_in_range(0..=9)? {
		0 => bytes.truncate(u.choose_index(bytes.len().max(1))?),
		1 => bytes.extend({
			let len = u.int_in_range(0..=64)?;
			u.bytes(len)
		}?),
		_ => {},
	}
	Ok(bytes)
}

#[test]
fn fuzz_segment_proofs_from_untrusted_bytes() {
	arbtest::arbtest(|u| {
		let file = small_file(u)?;
		let size = file.len() as u64;
		let tree = FileTree::new(&file).unwrap();
		let root = tree.root();
		let segments = segment_count(size);
		let index = u.int_in_range(0..=segments)?;

		let valid = tree.segment_proof(index.min(segments - 1)).unwrap();
		let encoded = if u.arbitrary()? {
			mutate(u, valid.encode())?
		} else {
			{
				let len = u.int_in_range(0..=2_000)?;
				u.bytes(len)
			}?
			.to_vec()
		};
		let Ok(proof) = SegmentProof::decode(&mut &encoded[..]) else { return Ok(()) };
		// Verify against the file's own segment, and against other bytes of the right length.
		if index < segments {
			let segment = segment_of(&file, index);
			if proof.verify(&root, size, index, segment).is_ok() {
				assert_eq!(
					proof,
					tree.segment_proof(index).unwrap(),
					"only the true path verifies"
				);
			}
			let mut other = segment.to_vec();
			let at = u.choose_index(other.len())?;
			other[at] ^= u.int_in_range(1..=255)?;
			assert!(proof.verify(&root, size, index, &other).is_err(), "changed bytes verified");
		}
		// Any claimed size, index and data: an error, never a panic.
		let claimed_size = u.arbitrary()?;
		let claimed_index = u.arbitrary()?;
		let data = {
			let len = u.int_in_range(0..=300)?;
			u.bytes(len)
		}?;
		let _ = proof.verify(&root, claimed_size, claimed_index, data);
		Ok(())
	})
	.size_max(1 << 14);
}

#[test]
fn fuzz_chunk_proofs_from_untrusted_bytes() {
	arbtest::arbtest(|u| {
		let file = small_file(u)?;
		let size = file.len() as u64;
		let tree = FileTree::new(&file).unwrap();
		let root = tree.root();
		let chunks = chunk_count(size);
		let index = u.int_in_range(0..=chunks)?;

		let valid = chunk_proof(&file, index.min(chunks - 1)).unwrap();
		let encoded = if u.arbitrary()? {
			mutate(u, valid.encode())?
		} else {
			{
				let len = u.int_in_range(0..=2_000)?;
				u.bytes(len)
			}?
			.to_vec()
		};
		let Ok(proof) = ChunkProof::decode(&mut &encoded[..]) else { return Ok(()) };
		let _ = proof.chunk_index();
		if index < chunks {
			let chunk = chunk_of(&file, index);
			if proof.verify(&root, size, index, chunk).is_ok() {
				assert_eq!(
					proof,
					chunk_proof(&file, index).unwrap(),
					"only the true path verifies"
				);
			}
			let mut other = chunk.to_vec();
			let at = u.choose_index(other.len())?;
			other[at] ^= u.int_in_range(1..=255)?;
			assert!(proof.verify(&root, size, index, &other).is_err(), "changed bytes verified");
		}
		let claimed_size = u.arbitrary()?;
		let claimed_index = u.arbitrary()?;
		let data = {
			let len = u.int_in_range(0..=300)?;
			u.bytes(len)
		}?;
		let _ = proof.verify(&root, claimed_size, claimed_index, data);
		Ok(())
	})
	.size_max(1 << 14);
}
