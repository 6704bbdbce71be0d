//! Publishing a blob: encode it, stage each member of the quorum it will get its own shards,
//! submit the commitment, push again where the quorum on chain still lacks shards, and wait for
//! the certificate if asked.

use std::time::{Duration, Instant};

use subxt::dynamic::{self, Value};
use subxt_signer::sr25519::Keypair;
use zerog_primitives::da::{encode_blob, transport::ShardEnvelope, BlobCommitment, EncodedBlob};

use super::{
	dispersal::{disperse, Dispersal, PushReport, MEMBER_LAG},
	holders::{shard_holders, BlobAssignmentView},
	on_chain::{blob_of, certification},
};
use crate::{
	chain::Chain,
	error::ClientError,
	hexstr,
	progress::bytes_bar,
	rpc::{NodeRpc, MAX_SHARDS_PER_PUT},
};

/// Largest JSON body of one `da_putShards` call, when a member's node has no reachable data
/// plane (the node's request limit is larger; this leaves room and keeps each call short).
pub const MAX_PUT_BYTES: usize = 8 * 1024 * 1024;

/// How often a publisher that waits asks whether the blob is certified.
const CERTIFICATION_POLL: Duration = Duration::from_secs(2);

/// Cuts `shards` into requests of at most `max_bytes` (as `len` measures a shard in the
/// request's encoding) and [`MAX_SHARDS_PER_PUT`] shards; a single shard over `max_bytes` goes
/// alone.
pub fn batches(
	shards: Vec<ShardEnvelope>,
	max_bytes: usize,
	len: impl Fn(&ShardEnvelope) -> usize,
) -> Vec<Vec<ShardEnvelope>> {
	let mut batches: Vec<Vec<ShardEnvelope>> = Vec::new();
	let mut current: Vec<ShardEnvelope> = Vec::new();
	let mut current_bytes = 0;
	for shard in shards {
		let len = len(&shard);
		if !current.is_empty()
			&& (current_bytes + len > max_bytes || current.len() >= MAX_SHARDS_PER_PUT)
		{
			batches.push(std::mem::take(&mut current));
			current_bytes = 0;
		}
		current_bytes += len;
		current.push(shard);
	}
	if !current.is_empty() {
		batches.push(current);
	}
	batches
}

/// How to publish a blob.
#[derive(Clone, Copy, Debug)]
pub struct PublishOptions {
	/// Namespace (rollup or application id).
	pub namespace: u32,
	/// `k`.
	pub data_shards: u16,
	/// `m`.
	pub parity_shards: u16,
	/// Wait for certification, at most this long.
	pub wait: Option<Duration>,
	/// Draw a progress bar of the shard pushes on stderr.
	pub progress: bool,
}

/// What publishing a blob did.
#[derive(Clone, Debug)]
pub struct Published {
	/// The blob's commitment.
	pub commitment: BlobCommitment,
	/// Bytes of each shard.
	pub shard_bytes: usize,
	/// The submission, or `None` if the commitment was on chain already.
	pub included: Option<crate::chain::Included>,
	/// The id the chain had for the commitment when it was already there.
	pub already_submitted: Option<u64>,
	/// The blob's quorum.
	pub assignment: BlobAssignmentView,
	/// One report per member endpoint: what the last push to it did.
	pub reports: Vec<PushReport>,
	/// Distinct shards the quorum's members took.
	pub held: u32,
	/// The certifying block, when waited for.
	pub certified_at: Option<u32>,
}

/// Publishes `blob`: encodes it, pushes each member of the quorum it will get its own shards
/// (staging), submits the commitment signed by `signer` unless it is on chain already, pushes
/// again where needed, and with `options.wait` waits for the certificate. Prints nothing but the
/// progress bar: the `zerog da submit` command and `zerog-da-server` report in their own ways.
pub async fn publish(
	rpc_url: &str,
	signer: &Keypair,
	blob: &[u8],
	options: PublishOptions,
) -> Result<Published, ClientError> {
	let encoded = encode_blob(blob, options.data_shards, options.parity_shards)
		.map_err(|error| ClientError::Input(format!("cannot encode the blob: {error}")))?;
	publish_encoded(rpc_url, signer, encoded, options).await
}

/// [`publish`] of a blob encoded already, with its commitment, shards, proofs and fingerprints
/// as they are: the coding in `options` is not used. Tests use it to play a publisher that
/// encodes badly (`zerog_primitives::da::commit_shards`).
pub async fn publish_encoded(
	rpc_url: &str,
	signer: &Keypair,
	encoded: EncodedBlob,
	options: PublishOptions,
) -> Result<Published, ClientError> {
	let commitment = encoded.commitment;
	let fingerprints = encoded.fingerprints;
	let root = commitment.root;
	let shard_bytes = encoded.shards.first().map_or(0, Vec::len);
	let rpc = NodeRpc::connect(rpc_url).await?;
	let chain = Chain::connect(rpc_url).await?;
	let uploads: Vec<ShardEnvelope> = encoded
		.shards
		.into_iter()
		.zip(encoded.proofs)
		.map(|(data, proof)| ShardEnvelope { proof, data })
		.collect();
	let total_bytes: u64 = uploads.iter().map(|upload| upload.data.len() as u64).sum();
	let bar = bytes_bar("shards", total_bytes, 0, options.progress);
	let blob = Dispersal { commitment: &commitment, fingerprints: &fingerprints, bar: &bar };

	// Stage first: the members of the quorum the blob will get take its shards before the
	// submission, so its attestation window is not spent waiting for them.
	let on_chain = blob_of(&rpc, &commitment).await?;
	let mut reports: Vec<PushReport> = Vec::new();
	let mut staged_for = None;
	if on_chain.is_none() {
		if let Some(assignment) = shard_holders(&rpc, &commitment).await? {
			// No waiting for lagging members: whatever they refuse now is pushed again below.
			reports =
				disperse(blob, &assignment, &uploads, |_, _| false, rpc_url, Duration::ZERO).await;
			staged_for = Some((assignment.epoch, assignment.quorum));
		}
	}
	let already_submitted = on_chain.as_ref().map(|summary| summary.id);
	let included = match on_chain {
		Some(_) => None,
		None => {
			let call = dynamic::tx(
				"DaAttestations",
				"submit_blob",
				(commitment_value(&commitment), options.namespace),
			);
			Some(chain.submit_and_wait(&rpc, "DaAttestations.submit_blob", &call, signer).await?)
		},
	};

	// Then push whatever the blob's quorum on chain does not hold yet: everything if the
	// epoch turned between staging and inclusion, else only the pushes that failed.
	let assignment = shard_holders(&rpc, &commitment).await?.ok_or_else(|| {
		ClientError::Chain(format!(
			"blob {} is on chain but its quorum is gone: it expired or retired",
			hexstr::root(&root)
		))
	})?;
	if staged_for != Some((assignment.epoch, assignment.quorum)) {
		reports.clear();
	}
	let done: Vec<(String, Vec<u16>)> = reports
		.iter()
		.filter(|report| report.outcome.is_ok())
		.map(|report| (report.endpoint.clone(), report.shards.clone()))
		.collect();
	let retried = disperse(
		blob,
		&assignment,
		&uploads,
		|endpoint, shards| done.iter().any(|(e, s)| e == endpoint && s == shards),
		rpc_url,
		MEMBER_LAG,
	)
	.await;
	reports.retain(|report| report.outcome.is_ok());
	reports.extend(retried);
	bar.finish_and_clear();
	let held = held_by_quorum(&assignment, &reports);
	let certified_at = match options.wait {
		Some(timeout) => Some(wait_certified(&rpc, &commitment, timeout).await?),
		None => None,
	};
	Ok(Published {
		commitment,
		shard_bytes,
		included,
		already_submitted,
		assignment,
		reports,
		held,
		certified_at,
	})
}

/// Distinct shard indices the members of `assignment` took in `reports`.
fn held_by_quorum(assignment: &BlobAssignmentView, reports: &[PushReport]) -> u32 {
	let endpoints = assignment.endpoints();
	let mut held: Vec<u16> = reports
		.iter()
		.filter(|report| report.outcome.is_ok())
		.filter(|report| endpoints.iter().any(|(endpoint, _)| *endpoint == report.endpoint))
		.flat_map(|report| report.shards.iter().copied())
		.collect();
	held.sort_unstable();
	held.dedup();
	held.len() as u32
}

/// `commitment` as the dynamic value of a `BlobCommitment` call argument.
fn commitment_value(commitment: &BlobCommitment) -> Value {
	Value::named_composite([
		("root", Value::from_bytes(commitment.root.as_bytes())),
		("size_bytes", Value::u128(u128::from(commitment.size_bytes))),
		("data_shards", Value::u128(u128::from(commitment.data_shards))),
		("parity_shards", Value::u128(u128::from(commitment.parity_shards))),
	])
}

/// Polls the runtime API until the blob is certified; fails if it expires or time runs out.
async fn wait_certified(
	rpc: &NodeRpc,
	commitment: &BlobCommitment,
	timeout: Duration,
) -> Result<u32, ClientError> {
	let root = &commitment.root;
	let deadline = Instant::now() + timeout;
	loop {
		if let Some(at) = certification(rpc, commitment).await? {
			return Ok(at);
		}
		if blob_of(rpc, commitment).await?.is_none() {
			return Err(ClientError::Chain(format!(
				"blob {} expired without being certified: its fee is refunded; submit it again",
				hexstr::root(root)
			)));
		}
		if Instant::now() >= deadline {
			return Err(ClientError::Timeout(format!(
				"blob {} was not certified within {} s",
				hexstr::root(root),
				timeout.as_secs()
			)));
		}
		tokio::time::sleep(CERTIFICATION_POLL).await;
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use zerog_primitives::{da::ShardProof, Hash};
	fn upload(index: u16, bytes: usize) -> ShardEnvelope {
		let proof = ShardProof { index, siblings: Default::default(), fingerprints: Hash::zero() };
		ShardEnvelope { proof, data: vec![0; bytes] }
	}

	#[test]
	fn batches_respect_size_and_count() {
		let shards: Vec<ShardEnvelope> = (0..10).map(|i| upload(i, 1000)).collect();
		let per_shard = shards[0].body_len();
		let cut = batches(shards, per_shard * 3, ShardEnvelope::body_len);
		assert_eq!(cut.iter().map(Vec::len).collect::<Vec<_>>(), vec![3, 3, 3, 1]);
		let order: Vec<u16> = cut.iter().flatten().map(|shard| shard.proof.index).collect();
		assert_eq!(order, (0..10).collect::<Vec<_>>());
		// The same shards as hex in JSON take twice the room.
		let shards: Vec<ShardEnvelope> = (0..10).map(|i| upload(i, 1000)).collect();
		let cut = batches(shards, per_shard * 3, crate::rpc::da::ShardInput::json_len);
		assert_eq!(cut.iter().map(Vec::len).collect::<Vec<_>>(), vec![1; 10]);

		let many: Vec<ShardEnvelope> = (0..1500).map(|i| upload(i as u16, 1)).collect();
		let cut = batches(many, usize::MAX, ShardEnvelope::body_len);
		assert_eq!(cut.iter().map(Vec::len).collect::<Vec<_>>(), vec![1024, 476]);

		// A shard larger than the limit still goes, alone.
		let cut = batches(vec![upload(0, 10), upload(1, 100), upload(2, 10)], 60, |s| s.data.len());
		assert_eq!(cut.iter().map(Vec::len).collect::<Vec<_>>(), vec![1, 1, 1]);
		assert!(batches(Vec::new(), 10, ShardEnvelope::body_len).is_empty());
	}
}
