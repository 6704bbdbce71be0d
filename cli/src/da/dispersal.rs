//! Dispersal: each member of a blob's quorum gets only the shards it holds, all members at once,
//! each push under its own deadline, so a silent or slow member costs only its share.

use std::time::Duration;

use futures::future::join_all;
use indicatif::ProgressBar;
use zerog_primitives::da::BlobCommitment;

use super::{batches, holders::BlobAssignmentView, MAX_PUT_BYTES};
use crate::rpc::{NodeRpc, ShardUpload};

/// Time every push gets whatever its size: connecting and the first round trip.
pub const PUSH_DEADLINE_BASE: Duration = Duration::from_secs(15);

/// Slowest transfer rate a member is given time for, in bytes of request per second; a member
/// slower than this is dropped (its share is covered by the others up to the quorum's
/// threshold).
pub const PUSH_MIN_BYTES_PER_SECOND: u64 = 4 * 1024 * 1024;

/// What one member's node did with its shards.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PushReport {
	/// The member's endpoint.
	pub endpoint: String,
	/// The node that took the shards instead, when the member's endpoint failed and the node
	/// the publisher is connected to runs the member's key (a development chain whose genesis
	/// endpoint names the default port while the node listens elsewhere).
	pub via: Option<String>,
	/// The shard indices pushed to it.
	pub shards: Vec<u16>,
	/// Shards of the blob it holds after the push, or why the push failed.
	pub outcome: Result<u32, String>,
}

impl PushReport {
	/// The report as `zerog da submit --json` prints it.
	pub fn to_json(&self) -> serde_json::Value {
		let first = self.shards.first().copied().unwrap_or(0);
		let end = self.shards.last().map_or(0, |last| last.saturating_add(1));
		let mut report = serde_json::json!({ "endpoint": self.endpoint, "shards": [first, end] });
		match &self.outcome {
			Ok(held) => report["held"] = serde_json::json!(held),
			Err(error) => report["error"] = serde_json::json!(error),
		}
		if let Some(via) = &self.via {
			report["via"] = serde_json::json!(via);
		}
		report
	}
}

/// The deadline of a push of `bytes` of requests.
pub fn push_deadline(bytes: u64) -> Duration {
	PUSH_DEADLINE_BASE + Duration::from_secs(bytes / PUSH_MIN_BYTES_PER_SECOND)
}

/// Pushes to every member endpoint of `assignment` the shards it holds, in parallel, skipping
/// endpoints `skip` says are done; `uploads[i]` is shard `i`. A push that fails is tried once
/// more at `fallback`, the node the publisher is connected to, which takes the shards only if
/// it runs the member's key.
pub async fn disperse(
	commitment: &BlobCommitment,
	fingerprints: &str,
	assignment: &BlobAssignmentView,
	uploads: &[ShardUpload],
	skip: impl Fn(&str, &[u16]) -> bool,
	fallback: &str,
	bar: &ProgressBar,
) -> Vec<PushReport> {
	let pushes = assignment
		.endpoints()
		.into_iter()
		.filter(|(endpoint, indices)| !skip(endpoint, indices))
		.map(|(endpoint, indices)| async move {
			let shards: Vec<ShardUpload> = indices
				.iter()
				.filter_map(|index| uploads.get(usize::from(*index)).cloned())
				.collect();
			let outcome =
				push_within_deadline(&endpoint, commitment, fingerprints, &shards, bar).await;
			match outcome {
				Err(error) if endpoint != fallback => {
					match push_within_deadline(fallback, commitment, fingerprints, &shards, bar)
						.await
					{
						Ok(held) => PushReport {
							endpoint,
							via: Some(fallback.to_owned()),
							shards: indices,
							outcome: Ok(held),
						},
						Err(_) => {
							PushReport { endpoint, via: None, shards: indices, outcome: Err(error) }
						},
					}
				},
				outcome => PushReport { endpoint, via: None, shards: indices, outcome },
			}
		});
	join_all(pushes).await
}

/// [`push`] under the deadline its size gives it.
async fn push_within_deadline(
	endpoint: &str,
	commitment: &BlobCommitment,
	fingerprints: &str,
	shards: &[ShardUpload],
	bar: &ProgressBar,
) -> Result<u32, String> {
	let bytes: u64 = shards.iter().map(|shard| shard.json_len() as u64).sum();
	let deadline = push_deadline(bytes);
	let pushed = push(endpoint, commitment, fingerprints, shards.to_vec(), bar);
	match tokio::time::timeout(deadline, pushed).await {
		Ok(outcome) => outcome,
		Err(_) => Err(format!(
			"{endpoint}: no answer within {} s for {bytes} bytes of shards",
			deadline.as_secs()
		)),
	}
}

/// Pushes `shards` to the node at `endpoint` in batches, each with the blob's encoding
/// `fingerprints` (hex); how many shards it holds afterwards.
async fn push(
	endpoint: &str,
	commitment: &BlobCommitment,
	fingerprints: &str,
	shards: Vec<ShardUpload>,
	bar: &ProgressBar,
) -> Result<u32, String> {
	let member = NodeRpc::connect(endpoint).await.map_err(|error| error.to_string())?;
	let mut held = 0;
	for batch in batches(shards, MAX_PUT_BYTES) {
		let receipt = member
			.put_shards_of(commitment, fingerprints, &batch)
			.await
			.map_err(|error| error.to_string())?;
		held = receipt.held;
		bar.inc(batch.iter().map(ShardUpload::json_len).sum::<usize>() as u64);
	}
	Ok(held)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn deadlines_grow_with_the_push() {
		assert_eq!(push_deadline(0), PUSH_DEADLINE_BASE);
		// A third of a 32 MiB blob's shards as hex, about 64 MiB: 16 s more.
		assert_eq!(push_deadline(64 * 1024 * 1024), PUSH_DEADLINE_BASE + Duration::from_secs(16));
	}

	#[test]
	fn reports_name_the_range_and_the_outcome() {
		let report = PushReport {
			endpoint: "http://a".into(),
			via: None,
			shards: vec![4, 5, 6],
			outcome: Ok(3),
		};
		assert_eq!(
			report.to_json(),
			serde_json::json!({ "endpoint": "http://a", "shards": [4, 7], "held": 3 })
		);
		let relayed = PushReport { via: Some("ws://local".into()), ..report.clone() };
		assert_eq!(relayed.to_json()["via"], "ws://local");
		let failed = PushReport { outcome: Err("timeout".into()), ..report };
		assert_eq!(failed.to_json()["error"], "timeout");
	}
}
