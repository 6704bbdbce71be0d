//! The functions behind the ABI, natively: what the SDK gets for good and bad input.

use super::*;

fn blob(len: usize) -> Vec<u8> {
	(0..len).map(|i| (i * 7 % 251) as u8).collect()
}

#[test]
fn a_blob_encodes_as_the_primitives_encode_it_and_decodes_from_any_k_shards() {
	let data = blob(10_000);
	let bytes = encode(&data, 4, 4).unwrap();
	let (commitment, shards, proofs, fingerprints) =
		EncodedOutput::decode_all(&mut &bytes[..]).unwrap();
	let reference = encode_blob(&data, 4, 4).unwrap();
	assert_eq!(commitment, reference.commitment);
	assert_eq!((shards.len(), proofs.len()), (8, 8));
	assert_eq!(fingerprints, reference.fingerprints);
	// Parity shards only (indices 4..8) rebuild the blob.
	let parity: Vec<(u16, Vec<u8>, ShardProof)> =
		(4..8).map(|i| (i as u16, shards[i].clone(), proofs[i].clone())).collect();
	assert_eq!(decode(&(commitment, parity).encode()).unwrap(), data);
	let one = (commitment, 5u16, shards[5].clone(), proofs[5].clone());
	assert_eq!(verify(&one.encode()).unwrap(), Vec::<u8>::new());
}

#[test]
fn bad_input_names_its_error() {
	let failure = encode(&blob(10), 0, 4).unwrap_err();
	assert_eq!(failure.name, "NoDataShards");
	let bytes = encode(&blob(1000), 2, 2).unwrap();
	let (commitment, shards, proofs, _) = EncodedOutput::decode_all(&mut &bytes[..]).unwrap();
	let mut tampered = shards[1].clone();
	tampered[0] ^= 1;
	let failure = verify(&(commitment, 1u16, tampered, proofs[1].clone()).encode()).unwrap_err();
	assert_eq!(failure.name, "ProofMismatch", "{failure:?}");
	let too_few = vec![(0u16, shards[0].clone(), proofs[0].clone())];
	let failure = decode(&(commitment, too_few).encode()).unwrap_err();
	assert_eq!(failure.name, "NotEnoughShards", "{failure:?}");
	assert_eq!(decode(&[1, 2, 3]).unwrap_err().name, "Malformed");
	assert_eq!(finish(Err(Failure { name: "X".into(), message: "y".into() })), 1);
	assert_eq!(RESULT.with(|result| result.borrow().clone()), b"X: y".to_vec());
}
