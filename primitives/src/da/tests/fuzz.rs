//! Fuzz targets (`arbitrary`-driven, run by `arbtest`) for what a DA signer, a sampler or the
//! runtime decodes from strangers: blob commitments and shard proofs, and shard sets handed to
//! `decode_blob`.
//!
//! Besides "never panics": a shard verifies only with its own index, bytes and proof, and a blob
//! rebuilt from any set of shards is the blob that was committed. `ARBTEST_BUDGET_MS` sets how
//! long each target runs (see `docs/testing.md`).

use super::blob_from_seed;
use crate::da::*;
use arbtest::arbitrary::{Result, Unstructured};
use codec::{Decode, Encode};

/// A small valid coding and a blob of up to 4 KiB.
fn small_blob(u: &mut Unstructured) -> Result<(Vec<u8>, EncodedBlob)> {
	let k = u.int_in_range(1..=8u16)?;
	let m = u.int_in_range(1..=k * MAX_PARITY_SHARDS_PER_DATA_SHARD)?;
	let blob = blob_from_seed(u.int_in_range(0..=4_096)?, u.arbitrary()?);
	let encoded = encode_blob(&blob, k, m).expect("a valid coding encodes");
	Ok((blob, encoded))
}

/// `bytes` with up to eight arbitrary bytes overwritten.
fn mutate(u: &mut Unstructured, mut bytes: Vec<u8>) -> Result<Vec<u8>> {
	for _ in 0..u.int_in_range(0..=8)? {
		if bytes.is_empty() {
			break;
		}
		let at = u.choose_index(bytes.len())?;
		bytes[at] = u.arbitrary()?;
	}
	Ok(bytes)
}

#[test]
fn fuzz_commitments_from_untrusted_bytes() {
	arbtest::arbtest(|u| {
		let bytes = {
			let len = u.int_in_range(0..=64)?;
			u.bytes(len)
		}?;
		let Ok(commitment) = BlobCommitment::decode(&mut &bytes[..]) else { return Ok(()) };
		let valid = commitment.validate().is_ok();
		let _ = (commitment.total_shards(), commitment.proof_depth());
		if valid {
			let shard_bytes =
				commitment.shard_bytes().expect("a valid commitment has a shard size");
			assert!(
				u64::from(shard_bytes) * u64::from(commitment.data_shards)
					>= u64::from(commitment.size_bytes)
			);
		}
		// A proof for any index against it: an error unless it really proves the shard.
		let index = u.arbitrary()?;
		let proof_bytes = {
			let len = u.int_in_range(0..=400)?;
			u.bytes(len)
		}?;
		if let Ok(proof) = ShardProof::decode(&mut &proof_bytes[..]) {
			let shard = {
				let len = u.int_in_range(0..=256)?;
				u.bytes(len)
			}?;
			assert!(
				verify_shard(&commitment, index, shard, &proof).is_err(),
				"a made-up shard verified against a made-up commitment"
			);
		}
		Ok(())
	});
}

#[test]
fn fuzz_shard_proofs_from_untrusted_bytes() {
	arbtest::arbtest(|u| {
		let (_, encoded) = small_blob(u)?;
		let commitment = encoded.commitment;
		let total = commitment.total_shards();
		let index = u.int_in_range(0..=total)?;
		let of = usize::from(index.min(total - 1));

		let proof_bytes = if u.arbitrary()? {
			mutate(u, encoded.proofs[of].encode())?
		} else {
			{
				let len = u.int_in_range(0..=400)?;
				u.bytes(len)
			}?
			.to_vec()
		};
		let Ok(proof) = ShardProof::decode(&mut &proof_bytes[..]) else { return Ok(()) };
		let shard = if u.arbitrary()? {
			mutate(u, encoded.shards[of].clone())?
		} else {
			{
				let len = u.int_in_range(0..=200)?;
				u.bytes(len)
			}?
			.to_vec()
		};
		if verify_shard(&commitment, index, &shard, &proof).is_ok() {
			let index = usize::from(index);
			assert_eq!(shard, encoded.shards[index], "only the committed bytes verify");
			assert_eq!(proof, encoded.proofs[index], "only the true path verifies");
		}
		Ok(())
	});
}

#[test]
fn fuzz_blob_decoding_from_any_shard_set() {
	arbtest::arbtest(|u| {
		let (blob, encoded) = small_blob(u)?;
		let total = encoded.commitment.total_shards();
		// Any multiset of shards, some of them tampered with.
		let mut shards: Vec<(u16, Vec<u8>, ShardProof)> = Vec::new();
		for _ in 0..u.int_in_range(0..=usize::from(total) + 2)? {
			let index = u.int_in_range(0..=total - 1)?;
			let mut shard = encoded.shards[usize::from(index)].clone();
			let mut proof = encoded.proofs[usize::from(index)].clone();
			match u.int_in_range(0..=7)? {
				0 => shard = mutate(u, shard)?,
				1 => proof.index = u.arbitrary()?,
				2 => shard.truncate(u.choose_index(shard.len().max(1))?),
				_ => {},
			}
			shards.push((index, shard, proof));
		}
		let view: Vec<(u16, &[u8], &ShardProof)> =
			shards.iter().map(|(index, shard, proof)| (*index, shard.as_slice(), proof)).collect();
		if let Ok(rebuilt) = decode_blob(&encoded.commitment, &view) {
			assert_eq!(rebuilt, blob, "a decoded blob is the committed blob");
		}
		Ok(())
	})
	.size_max(1 << 12);
}
