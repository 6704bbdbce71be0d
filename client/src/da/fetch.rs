//! Getting a blob back and checking it is available: the blob verified against its commitment
//! (the node's own rebuild, else rebuilt from any `k` shards of the quorum's members), and the
//! confidence that random samples give.

use futures::future::join_all;
use zerog_primitives::da::{decode_blob, encode_blob, BlobCommitment, ShardProof};

use super::holders::{shard_holders, ShardSources};
use crate::{
	error::ClientError,
	hexstr,
	rpc::{NodeRpc, RpcError},
};

/// Shards fetched at once, when rebuilding a blob and when sampling one.
pub const SAMPLES_IN_FLIGHT: usize = 8;

/// Probability that `samples` distinct shards drawn at random from `total_shards` are all
/// available although the blob is not, i.e. although at most `data_shards - 1` shards are
/// available: `prod_{i < samples} (k - 1 - i) / (n - i)`. Zero once `samples >= k`.
pub fn fooled_probability(data_shards: u16, total_shards: u16, samples: u16) -> f64 {
	let (k, n) = (f64::from(data_shards), f64::from(total_shards));
	(0..samples.min(total_shards)).fold(1.0, |probability, i| {
		let i = f64::from(i);
		let available = (k - 1.0 - i).max(0.0);
		probability * available / (n - i)
	})
}

/// Confidence that the blob is available after `samples` distinct random shards all verified:
/// `1 - fooled_probability`.
pub fn confidence(data_shards: u16, total_shards: u16, samples: u16) -> f64 {
	1.0 - fooled_probability(data_shards, total_shards, samples)
}

/// Checks that `blob` is the blob behind `commitment` by encoding it again.
pub fn verify_blob(commitment: &BlobCommitment, blob: &[u8]) -> Result<(), String> {
	if blob.len() as u64 != u64::from(commitment.size_bytes) {
		return Err(format!(
			"the blob has {} bytes, the commitment says {}",
			blob.len(),
			commitment.size_bytes
		));
	}
	let encoded =
		encode_blob(blob, commitment.data_shards, commitment.parity_shards).map_err(|error| {
			format!("the blob cannot be encoded with the committed coding: {error}")
		})?;
	if encoded.commitment != *commitment {
		return Err(format!(
			"the blob encodes to root {}, not the committed {}",
			hexstr::root(&encoded.commitment.root),
			hexstr::root(&commitment.root)
		));
	}
	Ok(())
}

/// Rebuilds the blob from the first `k` shards that verify, fetched from the members of its
/// quorum (each for its range, several at once) and from the asked node.
async fn blob_from_shards(
	rpc: &NodeRpc,
	commitment: &BlobCommitment,
) -> Result<Vec<u8>, ClientError> {
	let assignment = shard_holders(rpc, commitment).await?;
	let sources = ShardSources::connect(rpc, assignment.as_ref()).await;
	let needed = usize::from(commitment.data_shards);
	let mut shards: Vec<(u16, Vec<u8>, ShardProof)> = Vec::with_capacity(needed);
	let mut problems = Vec::new();
	let indices = sources.fetch_order(commitment.total_shards());
	for chunk in indices.chunks(SAMPLES_IN_FLIGHT) {
		if shards.len() >= needed {
			break;
		}
		let fetched = join_all(chunk.iter().map(|index| {
			let sources = &sources;
			async move { (*index, sources.fetch(commitment, *index).await) }
		}))
		.await;
		for (index, outcome) in fetched {
			match outcome {
				Ok((shard, proof)) if shards.len() < needed => shards.push((index, shard, proof)),
				Ok(_) => {},
				Err(problem) => problems.push(problem),
			}
		}
	}
	if shards.len() < needed {
		return Err(ClientError::Verification(format!(
			"only {} of the {needed} shards needed could be fetched and verified; first problem: {}",
			shards.len(),
			problems.first().map(String::as_str).unwrap_or("none")
		)));
	}
	let inputs: Vec<(u16, &[u8], &ShardProof)> =
		shards.iter().map(|(index, shard, proof)| (*index, shard.as_slice(), proof)).collect();
	// `decode_blob` checks the proofs again and that the rebuilt blob re-encodes to the root.
	decode_blob(commitment, &inputs).map_err(|error| ClientError::Verification(error.to_string()))
}

/// The blob with `commitment`, verified: the node's own rebuild (`da_getBlob`) if it can send
/// one, else rebuilt from shards of the quorum's members; with where it came from (`da_getBlob`
/// or `shards`). `warn` is told why the first way failed.
pub async fn fetch_blob(
	rpc: &NodeRpc,
	commitment: &BlobCommitment,
	warn: impl Fn(&RpcError),
) -> Result<(Vec<u8>, &'static str), ClientError> {
	let root = commitment.root;
	match rpc.get_blob(&root).await {
		Ok(blob) => {
			verify_blob(commitment, &blob).map_err(|reason| {
				ClientError::Verification(format!(
					"{} returned a blob that is not {}: {reason}",
					rpc.url(),
					hexstr::root(&root)
				))
			})?;
			Ok((blob, "da_getBlob"))
		},
		// Nobody holds enough of it here; the quorum's members may.
		Err(RpcError::Refused { code: super::NOT_STORED | super::NOT_ENOUGH_SHARDS, .. }) => {
			Ok((blob_from_shards(rpc, commitment).await?, "shards"))
		},
		// The node refused for another reason about the blob itself: shards would not do better.
		Err(error @ RpcError::Refused { code: 6100..=6199, .. }) => Err(error.into()),
		Err(error) => {
			warn(&error);
			Ok((blob_from_shards(rpc, commitment).await?, "shards"))
		},
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn confidence_follows_sampling_without_replacement() {
		// One sample out of 48 with k = 16: 15 of 48 shards could be there for an unavailable blob.
		assert!((fooled_probability(16, 48, 1) - 15.0 / 48.0).abs() < 1e-12);
		let two = 15.0 / 48.0 * 14.0 / 47.0;
		assert!((fooled_probability(16, 48, 2) - two).abs() < 1e-12);
		assert!((confidence(16, 48, 2) - (1.0 - two)).abs() < 1e-12);
		// k samples can no longer all hit the k - 1 available shards.
		assert_eq!(fooled_probability(16, 48, 16), 0.0);
		assert_eq!(confidence(16, 48, 40), 1.0);
		// No sample, no confidence; k = 1 means any single verified shard proves availability.
		assert_eq!(confidence(16, 48, 0), 0.0);
		assert_eq!(confidence(1, 4, 1), 1.0);
		// More samples never lower the confidence.
		let steps: Vec<f64> = (0..20).map(|s| confidence(16, 48, s)).collect();
		assert!(steps.windows(2).all(|pair| pair[0] <= pair[1]), "{steps:?}");
	}

	#[test]
	fn blobs_verify_by_reencoding() {
		let blob: Vec<u8> = (0..10_000u32).map(|i| (i * 7) as u8).collect();
		let encoded = encode_blob(&blob, 4, 4).unwrap();
		assert_eq!(verify_blob(&encoded.commitment, &blob), Ok(()));
		let mut tampered = blob.clone();
		tampered[5] ^= 1;
		assert!(verify_blob(&encoded.commitment, &tampered)
			.unwrap_err()
			.contains("encodes to root"));
		assert!(verify_blob(&encoded.commitment, &blob[1..]).unwrap_err().contains("bytes"));
	}
}
