use crate::da::{merkle, *};
use codec::{Decode, Encode, MaxEncodedLen};
use polkadot_sdk::sp_core::H256;

/// The fingerprints hash the hand-built blobs below commit to (any value: `verify_shard` only
/// checks that the proof carries the one the root binds).
const FINGERPRINTS: H256 = H256([7u8; 32]);

/// A two-shard blob (`k = m = 1`, 64-byte shards) committed by hand from the documented rules,
/// so the verifier is tested apart from the encoder. Both shards hold the same
/// bytes: `verify_shard` checks membership only, never the parity itself.
fn two_shard_blob() -> (BlobCommitment, [u8; 64], ShardProof, ShardProof) {
	let shard = [0xAB; 64];
	// A 64-byte shard is one chunk: its chunk root is the chunk's hash.
	let chunk_root = merkle::keccak(&shard);
	let (left, right) = (merkle::leaf_hash(0, &chunk_root), merkle::leaf_hash(1, &chunk_root));
	let shards_root = merkle::node_hash(&left, &right);
	let commitment = BlobCommitment {
		root: merkle::bind_root(&shards_root, &FINGERPRINTS, 64, 1, 1),
		size_bytes: 64,
		data_shards: 1,
		parity_shards: 1,
	};
	let proof = |index, sibling| ShardProof {
		index,
		siblings: ShardProofSiblings::try_from(vec![sibling]).unwrap(),
		fingerprints: FINGERPRINTS,
	};
	(commitment, shard, proof(0, right), proof(1, left))
}

#[test]
fn verify_shard_accepts_a_hand_built_proof() {
	let (commitment, shard, proof0, proof1) = two_shard_blob();
	assert_eq!(verify_shard(&commitment, 0, &shard, &proof0), Ok(()));
	assert_eq!(verify_shard(&commitment, 1, &shard, &proof1), Ok(()));
}

#[test]
fn verify_shard_checks_in_documented_order() {
	let (commitment, shard, proof0, _) = two_shard_blob();
	let bad_coding = BlobCommitment { parity_shards: 0, ..commitment };
	assert_eq!(verify_shard(&bad_coding, 0, &shard, &proof0), Err(Error::NoParityShards));
	let too_large = BlobCommitment { size_bytes: MAX_BLOB_SIZE + 1, ..commitment };
	assert_eq!(
		verify_shard(&too_large, 0, &shard, &proof0),
		Err(Error::BlobTooLarge { size_bytes: u64::from(MAX_BLOB_SIZE) + 1 })
	);
	assert_eq!(
		verify_shard(&commitment, 2, &shard, &proof0),
		Err(Error::ShardIndexOutOfRange { index: 2, total_shards: 2 })
	);
	assert_eq!(
		verify_shard(&commitment, 1, &shard, &proof0),
		Err(Error::ProofIndexMismatch { index: 1, proof_index: 0 })
	);
	assert_eq!(
		verify_shard(&commitment, 0, &[0xAB], &proof0),
		Err(Error::ShardSizeMismatch { index: 0, expected: 64, got: 1 })
	);
	let long = ShardProof {
		index: 0,
		siblings: ShardProofSiblings::try_from(vec![H256::zero(); 2]).unwrap(),
		fingerprints: FINGERPRINTS,
	};
	assert_eq!(
		verify_shard(&commitment, 0, &shard, &long),
		Err(Error::ProofLengthMismatch { index: 0, expected: 1, got: 2 })
	);
	let mut altered = shard;
	altered[63] ^= 1;
	assert_eq!(
		verify_shard(&commitment, 0, &altered, &proof0),
		Err(Error::ProofMismatch { index: 0 })
	);
	let other_fingerprints = ShardProof { fingerprints: H256::zero(), ..proof0 };
	assert_eq!(
		verify_shard(&commitment, 0, &shard, &other_fingerprints),
		Err(Error::ProofMismatch { index: 0 })
	);
}

#[test]
fn root_binds_size_and_coding() {
	let (commitment, shard, proof0, _) = two_shard_blob();
	// Same shard size (64 bytes) and tree, another claimed size: the root no longer matches.
	let other_size = BlobCommitment { size_bytes: 63, ..commitment };
	assert_eq!(
		verify_shard(&other_size, 0, &shard, &proof0),
		Err(Error::ProofMismatch { index: 0 })
	);
}

#[test]
fn commitment_round_trips_through_scale() {
	let (commitment, _, proof0, _) = two_shard_blob();
	let bytes = commitment.encode();
	assert_eq!(bytes.len(), BlobCommitment::max_encoded_len());
	assert_eq!(BlobCommitment::max_encoded_len(), 32 + 4 + 2 + 2);
	assert_eq!(BlobCommitment::decode(&mut &bytes[..]), Ok(commitment));
	assert_eq!(ShardProof::decode(&mut &proof0.encode()[..]), Ok(proof0));
}

#[test]
fn shard_proof_decode_rejects_more_than_max_depth_siblings() {
	let siblings = vec![H256::zero(); MAX_PROOF_DEPTH as usize + 1];
	let bytes = (0u16, siblings, H256::zero()).encode();
	assert!(ShardProof::decode(&mut &bytes[..]).is_err());
	assert!(ShardProof::max_encoded_len() <= 2 + 1 + 32 * MAX_PROOF_DEPTH as usize + 32);
}

#[test]
fn chunk_proof_decode_rejects_more_than_max_depth_siblings() {
	let (_, _, proof0, _) = two_shard_blob();
	let siblings = vec![H256::zero(); MAX_CHUNK_PROOF_DEPTH as usize + 1];
	let bytes = (0u32, siblings, proof0).encode();
	assert!(ChunkProof::decode(&mut &bytes[..]).is_err());
	// A custody answer stays small: the chunk plus this.
	assert!(ChunkProof::max_encoded_len() < 1024);
}
