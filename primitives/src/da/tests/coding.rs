use super::{blob_from_seed, pick_indices, shards_at};
use crate::da::{merkle, *};
use polkadot_sdk::sp_core::H256;

/// Encodes `blob`, checks every proof, and decodes it from the data shards, from the last `k`
/// shards and from a shuffled choice of `k` shards.
fn assert_round_trips(blob: &[u8], k: u16, m: u16) -> EncodedBlob {
	let encoded = encode_blob(blob, k, m).unwrap();
	let commitment = encoded.commitment;
	assert_eq!(commitment.size_bytes as usize, blob.len());
	assert_eq!(encoded.shards.len(), usize::from(k + m));
	let shard_len = commitment.shard_bytes().unwrap() as usize;
	for (index, (shard, proof)) in encoded.shards.iter().zip(&encoded.proofs).enumerate() {
		assert_eq!(shard.len(), shard_len);
		assert_eq!(usize::from(proof.index), index);
		assert_eq!(verify_shard(&commitment, proof.index, shard, proof), Ok(()));
	}
	let data: Vec<u16> = (0..k).collect();
	let last: Vec<u16> = (m..k + m).collect();
	for indices in [data, last, pick_indices(k + m, k, 7)] {
		assert_eq!(decode_blob(&commitment, &shards_at(&encoded, &indices)).unwrap(), blob);
	}
	encoded
}

#[test]
fn empty_blob_round_trips_with_minimal_shards() {
	let encoded = assert_round_trips(&[], DEFAULT_DATA_SHARDS, DEFAULT_PARITY_SHARDS);
	assert_eq!(encoded.commitment.shard_bytes(), Ok(SHARD_ALIGN_BYTES));
	assert!(encoded.shards.iter().take(16).all(|shard| shard.iter().all(|byte| *byte == 0)));
}

#[test]
fn one_byte_blob_round_trips() {
	assert_round_trips(&[0x5A], DEFAULT_DATA_SHARDS, DEFAULT_PARITY_SHARDS);
	assert_round_trips(&[0x5A], 1, 1);
	assert_round_trips(&[0x5A], 1, 3);
}

#[test]
fn blob_of_exactly_k_shards_needs_no_padding() {
	let blob = blob_from_seed(16 * 64, 1);
	let encoded = assert_round_trips(&blob, 16, 16);
	assert_eq!(encoded.commitment.shard_bytes(), Ok(64));
	assert_eq!(encoded.shards[..16].concat(), blob);
}

#[test]
fn odd_sizes_pad_to_whole_chunks_with_zeros() {
	let blob = blob_from_seed(16 * 63 + 5, 2);
	let encoded = assert_round_trips(&blob, 16, 16);
	assert_eq!(encoded.commitment.shard_bytes(), Ok(64));
	let data = encoded.shards[..16].concat();
	assert_eq!(&data[..blob.len()], &blob[..]);
	assert!(data[blob.len()..].iter().all(|byte| *byte == 0));
}

#[test]
fn max_size_blob_round_trips() {
	let blob = blob_from_seed(MAX_BLOB_SIZE as usize, 3);
	let encoded = encode_blob(&blob, DEFAULT_DATA_SHARDS, DEFAULT_PARITY_SHARDS).unwrap();
	assert_eq!(encoded.commitment.shard_bytes(), Ok(MAX_BLOB_SIZE / 16));
	// All data shards lost: rebuild from parity alone.
	let parity: Vec<u16> = (16..32).collect();
	assert_eq!(decode_blob(&encoded.commitment, &shards_at(&encoded, &parity)).unwrap(), blob);
}

#[test]
fn encode_rejects_blob_over_max() {
	let blob = vec![0u8; MAX_BLOB_SIZE as usize + 1];
	assert_eq!(
		encode_blob(&blob, DEFAULT_DATA_SHARDS, DEFAULT_PARITY_SHARDS),
		Err(Error::BlobTooLarge { size_bytes: u64::from(MAX_BLOB_SIZE) + 1 })
	);
}

#[test]
fn encode_rejects_invalid_coding() {
	assert_eq!(encode_blob(b"zerog", 0, 1), Err(Error::NoDataShards));
	assert_eq!(encode_blob(b"zerog", 1, 0), Err(Error::NoParityShards));
	assert_eq!(encode_blob(b"zerog", 1000, 1000), Err(Error::TooManyShards { total: 2000 }));
	assert_eq!(
		encode_blob(b"zerog", 2, 7),
		Err(Error::TooManyParityShards { data_shards: 2, parity_shards: 7 })
	);
}

#[test]
fn largest_coding_round_trips() {
	assert_round_trips(&blob_from_seed(10_000, 4), 256, 768);
	assert_round_trips(&blob_from_seed(10_000, 5), 1023, 1);
}

#[test]
fn decode_rejects_invalid_commitment() {
	let encoded = encode_blob(b"zerog", 2, 2).unwrap();
	let bad = BlobCommitment { data_shards: 0, ..encoded.commitment };
	assert_eq!(decode_blob(&bad, &shards_at(&encoded, &[0, 1])), Err(Error::NoDataShards));
}

#[test]
fn decode_rejects_duplicate_shard() {
	let encoded = encode_blob(b"zerog", 2, 2).unwrap();
	assert_eq!(
		decode_blob(&encoded.commitment, &shards_at(&encoded, &[3, 1, 3])),
		Err(Error::DuplicateShard { index: 3 })
	);
}

#[test]
fn decode_rejects_too_few_shards() {
	let encoded = encode_blob(b"zerog", 4, 4).unwrap();
	assert_eq!(
		decode_blob(&encoded.commitment, &[]),
		Err(Error::NotEnoughShards { needed: 4, got: 0 })
	);
	assert_eq!(
		decode_blob(&encoded.commitment, &shards_at(&encoded, &[7, 0, 5])),
		Err(Error::NotEnoughShards { needed: 4, got: 3 })
	);
}

#[test]
fn decode_rejects_tampered_shard_by_index() {
	let encoded = encode_blob(b"zerog data availability", 2, 2).unwrap();
	let mut tampered = encoded.shards[2].clone();
	tampered[0] ^= 1;
	let shards = [
		(0, encoded.shards[0].as_slice(), &encoded.proofs[0]),
		(2, tampered.as_slice(), &encoded.proofs[2]),
		(3, encoded.shards[3].as_slice(), &encoded.proofs[3]),
	];
	assert_eq!(decode_blob(&encoded.commitment, &shards), Err(Error::ProofMismatch { index: 2 }));
}

/// Commits to `shards` as they are, as a dishonest encoder could.
fn commit_by_hand(shards: &[Vec<u8>], size_bytes: u32, k: u16, m: u16) -> EncodedBlob {
	commit_shards(shards.to_vec(), size_bytes, k, m).unwrap()
}

#[test]
fn decode_rejects_parity_that_is_not_the_code_of_the_data() {
	let honest = encode_blob(&blob_from_seed(100, 6), 2, 2).unwrap();
	let mut shards = honest.shards.clone();
	shards[3][0] ^= 1;
	let forged = commit_by_hand(&shards, 100, 2, 2);
	// Every shard verifies on its own...
	for (i, shard) in forged.shards.iter().enumerate() {
		assert_eq!(verify_shard(&forged.commitment, i as u16, shard, &forged.proofs[i]), Ok(()));
	}
	// ...but the data shards and a set using the bad parity shard disagree, and both say so.
	for indices in [[0, 1], [0, 3], [2, 3]] {
		assert_eq!(
			decode_blob(&forged.commitment, &shards_at(&forged, &indices)),
			Err(Error::InconsistentEncoding)
		);
	}
}

#[test]
fn decode_rejects_non_zero_padding() {
	let honest = encode_blob(&[1, 2, 3], 1, 1).unwrap();
	let mut padded = vec![0u8; 64];
	padded[..4].copy_from_slice(&[1, 2, 3, 9]);
	let forged = commit_by_hand(&[padded.clone(), padded], 3, 1, 1);
	assert_eq!(honest.shards[0][..4], [1, 2, 3, 0]);
	assert_eq!(
		decode_blob(&forged.commitment, &shards_at(&forged, &[0])),
		Err(Error::InconsistentEncoding)
	);
}

#[test]
fn commitment_matches_the_documented_tree() {
	let encoded = encode_blob(b"zerog", 2, 1).unwrap();
	// 64-byte shards: one chunk each, so a shard's chunk root is its keccak.
	let leaf = |i: u16| merkle::leaf_hash(i, &merkle::keccak(&encoded.shards[usize::from(i)]));
	// Three leaves padded to four with the empty leaf.
	let shards_root = merkle::node_hash(
		&merkle::node_hash(&leaf(0), &leaf(1)),
		&merkle::node_hash(&leaf(2), &EMPTY_LEAF),
	);
	// One chunk per shard: the fingerprints of the data shards are the data shards.
	assert_eq!(encoded.fingerprints, [&encoded.shards[0][..], &encoded.shards[1][..]].concat());
	let mut preimage = shards_root.as_bytes().to_vec();
	preimage.extend_from_slice(merkle::keccak(&encoded.fingerprints).as_bytes());
	preimage.extend_from_slice(&5u32.to_le_bytes());
	preimage.extend_from_slice(&2u16.to_le_bytes());
	preimage.extend_from_slice(&1u16.to_le_bytes());
	assert_eq!(encoded.commitment.root, merkle::keccak(&preimage));
	// 5 bytes in 2 shards: 3 rounded up to 64 bytes each, cut in order, zero padding at the end.
	assert_eq!(encoded.shards[0][..5], *b"zerog");
	assert!(encoded.shards[0][5..].iter().chain(&encoded.shards[1]).all(|b| *b == 0));
	// keccak-256 as Ethereum uses it, not NIST SHA3-256.
	assert_eq!(
		merkle::keccak(b""),
		H256(hex_literal("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"))
	);
}

#[test]
fn chunk_tree_follows_the_documented_rules() {
	// 3000 bytes in 1 data shard: 3008-byte shards, chunks of 1024, 1024 and 960 bytes.
	let encoded = encode_blob(&blob_from_seed(3000, 8), 1, 1).unwrap();
	let shard = &encoded.shards[0];
	assert_eq!(shard.len(), 3008);
	let leaves: Vec<H256> = shard.chunks(1024).map(merkle::keccak).collect();
	let chunk_root = merkle::node_hash(
		&merkle::node_hash(&leaves[0], &leaves[1]),
		&merkle::node_hash(&leaves[2], &EMPTY_LEAF),
	);
	assert_eq!(merkle::chunk_root(shard), chunk_root);
	assert_eq!(chunk_count(3008), 3);
	assert_eq!(chunk_proof_depth(3008), 2);
}

/// 32 bytes from 64 hex digits.
fn hex_literal(hex: &str) -> [u8; 32] {
	let mut out = [0u8; 32];
	for (byte, pair) in out.iter_mut().zip(hex.as_bytes().chunks_exact(2)) {
		*byte = u8::from_str_radix(std::str::from_utf8(pair).unwrap(), 16).unwrap();
	}
	out
}
