//! Encoding fingerprints and chunk proofs: the linearity they rest on, the check every signer
//! runs, the attacks it catches, and custody chunk proofs.

use super::blob_from_seed;
use crate::da::{
	fingerprint::{all_fingerprints, fingerprint_masks, fingerprints_hash, shard_fingerprints},
	merkle, *,
};
use polkadot_sdk::sp_core::H256;

/// `(index, bytes, proof)` of every shard of `encoded` in `indices`.
fn triples<'a>(encoded: &'a EncodedBlob, indices: &[u16]) -> Vec<(u16, &'a [u8], &'a ShardProof)> {
	super::shards_at(encoded, indices)
}

/// The masks of `encoded`'s shards, from its shards root.
fn masks_of(encoded: &EncodedBlob) -> Vec<u64> {
	let root = crate::da::proof::shards_root(0, &encoded.shards[0], &encoded.proofs[0]);
	fingerprint_masks(&root, encoded.shards[0].len() / 64)
}

#[test]
fn parity_fingerprints_are_the_code_of_the_data_fingerprints() {
	// Shards of one chunk, of 64 chunks (exact fingerprints), and of many chunks (random sets),
	// with a last partial custody chunk and with the default and the widest codings.
	for (size, k, m) in [
		(100, 2, 2),
		(64 * 64 * 4, 4, 4),
		(64 * 65 * 4, 4, 8),
		(1 << 20, DEFAULT_DATA_SHARDS, DEFAULT_PARITY_SHARDS),
		(300_001, 7, 21),
	] {
		let encoded = encode_blob(&blob_from_seed(size, size as u64 | 1), k, m).unwrap();
		let masks = masks_of(&encoded);
		let all = all_fingerprints(&encoded.commitment, &encoded.fingerprints).unwrap();
		assert_eq!(all.len(), usize::from(k + m));
		for (index, shard) in encoded.shards.iter().enumerate() {
			assert_eq!(shard_fingerprints(shard, &masks), all[index], "size {size}, shard {index}");
		}
		let every: Vec<u16> = (0..k + m).collect();
		assert_eq!(
			check_encoding(&encoded.commitment, &encoded.fingerprints, &triples(&encoded, &every)),
			Ok(())
		);
	}
}

#[test]
fn fingerprints_have_the_documented_size_and_sets() {
	// 1 MiB in 16 shards: 65536-byte shards, 1024 chunks, 64 fingerprints of 64 bytes each.
	let encoded = encode_blob(&blob_from_seed(1 << 20, 3), 16, 32).unwrap();
	assert_eq!(encoded.fingerprints.len(), 16 * 4096);
	assert_eq!(fingerprint_bytes(65536), 4096);
	// Small shards are their own fingerprints.
	assert_eq!(fingerprint_bytes(1024), 1024);
	let root = H256::repeat_byte(9);
	assert_eq!(fingerprint_masks(&root, 3), vec![1, 2, 4]);
	let masks = fingerprint_masks(&root, 1000);
	assert_eq!(masks.len(), 1000);
	// Random sets: every fingerprint takes some chunks and leaves others.
	for t in 0..64 {
		let members = masks.iter().filter(|mask| *mask & (1 << t) != 0).count();
		assert!((300..700).contains(&members), "set {t} has {members} of 1000 chunks");
	}
	// Derived from the shards root: another root, other sets.
	assert_ne!(fingerprint_masks(&H256::repeat_byte(8), 1000), masks);
}

#[test]
fn a_parity_shard_off_the_codeword_is_caught_by_its_holder_only() {
	let honest = encode_blob(&blob_from_seed(200_000, 5), 4, 8).unwrap();
	let mut shards = honest.shards.clone();
	shards[9][12_345] ^= 0x40;
	let forged = commit_shards(shards, 200_000, 4, 8).unwrap();
	let check = |indices: &[u16]| {
		check_encoding(&forged.commitment, &forged.fingerprints, &triples(&forged, indices))
	};
	assert_eq!(check(&[9]), Err(Error::ShardOffCodeword { index: 9 }));
	assert_eq!(check(&[8, 9, 10]), Err(Error::ShardOffCodeword { index: 9 }));
	// Every other shard is on the codeword: holders of those attest, and any k of them rebuild
	// the blob.
	assert_eq!(check(&[0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11]), Ok(()));
}

#[test]
fn parity_that_is_not_the_code_of_the_data_is_caught_on_every_parity_shard() {
	let honest = encode_blob(&blob_from_seed(100_000, 7), 4, 8).unwrap();
	let mut shards = honest.shards.clone();
	for (index, shard) in shards.iter_mut().enumerate().skip(4) {
		*shard = blob_from_seed(shard.len(), 100 + 2 * index as u64 + 1);
	}
	let forged = commit_shards(shards, 100_000, 4, 8).unwrap();
	for index in 4..12u16 {
		assert_eq!(
			check_encoding(&forged.commitment, &forged.fingerprints, &triples(&forged, &[index])),
			Err(Error::ShardOffCodeword { index })
		);
	}
	// The data shards alone look fine (their fingerprints are what was committed).
	assert_eq!(
		check_encoding(&forged.commitment, &forged.fingerprints, &triples(&forged, &[0, 1, 2, 3])),
		Ok(())
	);
}

#[test]
fn fingerprints_that_lie_about_a_data_shard_are_caught_by_its_holder() {
	// The committer alters data shard 1 after encoding but commits the fingerprints of the honest
	// data, so that the parity shards pass: the holder of shard 1 finds out.
	let honest = encode_blob(&blob_from_seed(150_000, 9), 4, 4).unwrap();
	let mut shards = honest.shards.clone();
	shards[1][77] ^= 1;
	let leaves = shards
		.iter()
		.zip(0u16..)
		.map(|(shard, index)| merkle::leaf_hash(index, &merkle::chunk_root(shard)))
		.collect();
	let levels = merkle::tree_levels(leaves);
	let shards_root = levels.last().unwrap()[0];
	let masks = fingerprint_masks(&shards_root, shards[0].len() / 64);
	let lying: Vec<u8> =
		honest.shards[..4].iter().flat_map(|shard| shard_fingerprints(shard, &masks)).collect();
	let hash = fingerprints_hash(&lying);
	let commitment = BlobCommitment {
		root: merkle::bind_root(&shards_root, &hash, 150_000, 4, 4),
		..honest.commitment
	};
	let proofs: Vec<ShardProof> = (0..8)
		.map(|i| ShardProof {
			index: i as u16,
			siblings: merkle::path(&levels, i).try_into().unwrap(),
			fingerprints: hash,
		})
		.collect();
	let forged = EncodedBlob { commitment, shards, proofs, fingerprints: lying };
	let check = |indices: &[u16]| {
		check_encoding(&commitment, &forged.fingerprints, &triples(&forged, indices))
	};
	assert_eq!(check(&[1]), Err(Error::ShardOffCodeword { index: 1 }));
	assert_eq!(check(&[0, 2, 3, 4, 5, 6, 7]), Ok(()));
}

#[test]
fn check_encoding_refuses_other_fingerprints_and_bad_shards() {
	let encoded = encode_blob(&blob_from_seed(50_000, 11), 4, 4).unwrap();
	let shards = triples(&encoded, &[2, 5]);
	let short = &encoded.fingerprints[1..];
	assert_eq!(
		check_encoding(&encoded.commitment, short, &shards),
		Err(Error::FingerprintsLength {
			expected: encoded.fingerprints.len() as u32,
			got: short.len() as u64
		})
	);
	let mut other = encoded.fingerprints.clone();
	other[0] ^= 1;
	assert_eq!(
		check_encoding(&encoded.commitment, &other, &shards),
		Err(Error::FingerprintsMismatch)
	);
	let mut tampered = encoded.shards[5].clone();
	tampered[0] ^= 1;
	let bad = [(5, tampered.as_slice(), &encoded.proofs[5])];
	assert_eq!(
		check_encoding(&encoded.commitment, &encoded.fingerprints, &bad),
		Err(Error::ProofMismatch { index: 5 })
	);
	// Nothing given, nothing to refuse.
	assert_eq!(check_encoding(&encoded.commitment, &other, &[]), Ok(()));
}

#[test]
fn every_chunk_of_every_shard_has_a_proof() {
	// 3 data shards of 2368 bytes: chunks of 1024, 1024 and 320 bytes.
	let encoded = encode_blob(&blob_from_seed(7_000, 13), 3, 3).unwrap();
	let shard_bytes = encoded.commitment.shard_bytes().unwrap();
	assert_eq!(shard_bytes, 2368);
	for index in 0..6u16 {
		for chunk in 0..chunk_count(shard_bytes) {
			let proof = encoded.chunk_proof(index, chunk).unwrap();
			let bytes =
				encoded.shards[usize::from(index)].chunks(1024).nth(chunk as usize).unwrap();
			assert_eq!(shard_chunk(&encoded.shards[usize::from(index)], chunk), Some(bytes));
			assert_eq!(verify_chunk(&encoded.commitment, index, chunk, bytes, &proof), Ok(()));
		}
	}
	assert_eq!(shard_chunk(&encoded.shards[0], 2).map(<[u8]>::len), Some(320));
	assert_eq!(shard_chunk(&encoded.shards[0], 3), None);
	assert_eq!(encoded.chunk_proof(0, 3), None);
	assert_eq!(encoded.chunk_proof(6, 0), None);
}

#[test]
fn verify_chunk_checks_in_documented_order() {
	let encoded = encode_blob(&blob_from_seed(7_000, 15), 3, 3).unwrap();
	let commitment = encoded.commitment;
	let proof = encoded.chunk_proof(4, 2).unwrap();
	let chunk = &encoded.shards[4][2048..];
	assert_eq!(verify_chunk(&commitment, 4, 2, chunk, &proof), Ok(()));
	assert_eq!(
		verify_chunk(&BlobCommitment { parity_shards: 0, ..commitment }, 4, 2, chunk, &proof),
		Err(Error::NoParityShards)
	);
	assert_eq!(
		verify_chunk(&commitment, 6, 2, chunk, &proof),
		Err(Error::ShardIndexOutOfRange { index: 6, total_shards: 6 })
	);
	assert_eq!(
		verify_chunk(&commitment, 3, 2, chunk, &proof),
		Err(Error::ProofIndexMismatch { index: 3, proof_index: 4 })
	);
	assert_eq!(
		verify_chunk(&commitment, 4, 3, chunk, &proof),
		Err(Error::ChunkIndexOutOfRange { index: 4, chunk: 3, chunks: 3 })
	);
	assert_eq!(
		verify_chunk(&commitment, 4, 1, chunk, &proof),
		Err(Error::ChunkProofMismatch { index: 4, chunk: 1 })
	);
	assert_eq!(
		verify_chunk(&commitment, 4, 2, &encoded.shards[4][1024..2048], &proof),
		Err(Error::ChunkSizeMismatch { index: 4, chunk: 2, expected: 320, got: 1024 })
	);
	let mut altered = chunk.to_vec();
	altered[319] ^= 1;
	assert_eq!(
		verify_chunk(&commitment, 4, 2, &altered, &proof),
		Err(Error::ChunkProofMismatch { index: 4, chunk: 2 })
	);
	let mut short = proof.clone();
	short.siblings.pop();
	assert_eq!(
		verify_chunk(&commitment, 4, 2, chunk, &short),
		Err(Error::ChunkProofMismatch { index: 4, chunk: 2 })
	);
	// The same chunk bytes under another shard's proof do not verify.
	let other = encoded.chunk_proof(5, 2).unwrap();
	assert_eq!(
		verify_chunk(&commitment, 5, 2, chunk, &other),
		Err(Error::ChunkProofMismatch { index: 5, chunk: 2 })
	);
}
