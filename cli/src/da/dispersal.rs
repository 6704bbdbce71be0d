//! Dispersal: each member of a blob's quorum gets only the shards it holds, all members at once,
//! each push under its own deadline, so a silent or slow member costs only its share.
//!
//! Shards travel as binary to the member node's data plane (`POST /da/v1/blobs/{root}/shards`,
//! found through its `storage_dataPort`), in requests of about 16 MiB. A member whose node has
//! no data plane, or one the publisher cannot reach (bound to loopback, behind a proxy that only
//! forwards JSON-RPC), gets them as hex in `da_putShards` instead: twice the bytes, same checks.

use std::time::Duration;

use futures::future::join_all;
use indicatif::ProgressBar;
use zerog_client::storage::{DataClient, DataError};
use zerog_primitives::da::{
	transport::{BlobShape, ShardEnvelope, ShardsEnvelope, TARGET_SHARDS_BODY_BYTES},
	BlobCommitment,
};

use super::{batches, holders::BlobAssignmentView, MAX_PUT_BYTES};
use crate::{
	hexstr,
	rpc::{NodeRpc, ShardUpload},
	transfer::data_url,
};

/// Time every push gets whatever its size: connecting and the first round trip.
pub const PUSH_DEADLINE_BASE: Duration = Duration::from_secs(15);

/// Slowest transfer rate a member is given time for, in bytes of request per second; a member
/// slower than this is dropped (its share is covered by the others up to the quorum's
/// threshold).
pub const PUSH_MIN_BYTES_PER_SECOND: u64 = 4 * 1024 * 1024;

/// How long connecting to a member's data plane may take before its shards go by JSON-RPC.
const DATA_PLANE_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// How shards reached a member's node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transport {
	/// SCALE over the node's data plane.
	Binary,
	/// Hex in `da_putShards`.
	JsonRpc,
}

impl Transport {
	/// The name `zerog da submit --json` prints.
	pub fn name(self) -> &'static str {
		match self {
			Self::Binary => "binary",
			Self::JsonRpc => "json-rpc",
		}
	}
}

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
	/// How the shards went (or were last tried).
	pub transport: Transport,
	/// Shards of the blob it holds after the push, or why the push failed.
	pub outcome: Result<u32, String>,
}

impl PushReport {
	/// The report as `zerog da submit --json` prints it.
	pub fn to_json(&self) -> serde_json::Value {
		let first = self.shards.first().copied().unwrap_or(0);
		let end = self.shards.last().map_or(0, |last| last.saturating_add(1));
		let mut report = serde_json::json!({
			"endpoint": self.endpoint,
			"shards": [first, end],
			"transport": self.transport.name(),
		});
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

/// The blob being dispersed: its commitment and the data fingerprints every push carries.
#[derive(Clone, Copy)]
pub struct Dispersal<'a> {
	/// The blob's commitment.
	pub commitment: &'a BlobCommitment,
	/// Its data shards' encoding fingerprints.
	pub fingerprints: &'a [u8],
	/// Where the progress goes, in bytes of shards.
	pub bar: &'a ProgressBar,
}

/// Pushes to every member endpoint of `assignment` the shards it holds, in parallel, skipping
/// endpoints `skip` says are done; `uploads[i]` is shard `i`. A push that fails is tried once
/// more at `fallback`, the node the publisher is connected to, which takes the shards only if
/// it runs the member's key.
pub async fn disperse(
	blob: Dispersal<'_>,
	assignment: &BlobAssignmentView,
	uploads: &[ShardEnvelope],
	skip: impl Fn(&str, &[u16]) -> bool,
	fallback: &str,
) -> Vec<PushReport> {
	let pushes = assignment
		.endpoints()
		.into_iter()
		.filter(|(endpoint, indices)| !skip(endpoint, indices))
		.map(|(endpoint, indices)| async move {
			let shards: Vec<ShardEnvelope> = indices
				.iter()
				.filter_map(|index| uploads.get(usize::from(*index)).cloned())
				.collect();
			let (transport, outcome) = push_within_deadline(&endpoint, blob, &shards).await;
			match outcome {
				Err(error) if endpoint != fallback => {
					match push_within_deadline(fallback, blob, &shards).await {
						(transport, Ok(held)) => PushReport {
							endpoint,
							via: Some(fallback.to_owned()),
							shards: indices,
							transport,
							outcome: Ok(held),
						},
						(_, Err(_)) => PushReport {
							endpoint,
							via: None,
							shards: indices,
							transport,
							outcome: Err(error),
						},
					}
				},
				outcome => PushReport { endpoint, via: None, shards: indices, transport, outcome },
			}
		});
	join_all(pushes).await
}

/// [`push`] under the deadline its size gives it (the size as hex, the slower transport).
async fn push_within_deadline(
	endpoint: &str,
	blob: Dispersal<'_>,
	shards: &[ShardEnvelope],
) -> (Transport, Result<u32, String>) {
	let bytes: u64 = shards.iter().map(|shard| ShardUpload::json_len(shard) as u64).sum();
	let deadline = push_deadline(bytes);
	let mut transport = Transport::JsonRpc;
	let pushed = push(endpoint, blob, shards, deadline, &mut transport);
	match tokio::time::timeout(deadline, pushed).await {
		Ok(outcome) => (transport, outcome),
		Err(_) => (
			transport,
			Err(format!(
				"{endpoint}: no answer within {} s for {bytes} bytes of shards",
				deadline.as_secs()
			)),
		),
	}
}

/// Pushes `shards` to the node at `endpoint`: as binary to its data plane if it has one the
/// publisher can reach, else in `da_putShards` batches; how many shards it holds afterwards.
/// `transport` says which way was taken.
async fn push(
	endpoint: &str,
	blob: Dispersal<'_>,
	shards: &[ShardEnvelope],
	deadline: Duration,
	transport: &mut Transport,
) -> Result<u32, String> {
	let member = NodeRpc::connect(endpoint).await.map_err(|error| error.to_string())?;
	// A node without a data plane, or one older than `storage_dataPort`, takes JSON-RPC only.
	if let Ok(Some(port)) = member.data_port().await {
		let url = data_url(endpoint, port);
		let data = DataClient::with_connect_timeout(&url, DATA_PLANE_CONNECT_TIMEOUT, deadline)
			.map_err(|error| error.to_string())?;
		*transport = Transport::Binary;
		match push_binary(&data, blob, shards).await {
			Ok(held) => return Ok(held),
			// Nothing reached the node: its data plane is not reachable from here.
			Err(DataError::Unreachable(reason)) => {
				log::debug!(target: "zerog-da", "{url} unreachable ({reason}): using da_putShards");
			},
			Err(error) => return Err(format!("{url}: {error}")),
		}
	}
	*transport = Transport::JsonRpc;
	let fingerprints = hexstr::encode(blob.fingerprints);
	let mut held = 0;
	for batch in batches(shards.to_vec(), MAX_PUT_BYTES, ShardUpload::json_len) {
		let receipt = member
			.put_shards_of(blob.commitment, &fingerprints, &batch)
			.await
			.map_err(|error| error.to_string())?;
		held = receipt.held;
		blob.bar.inc(shard_bytes(&batch));
	}
	Ok(held)
}

/// Pushes `shards` to the data plane `data` in requests of about
/// [`TARGET_SHARDS_BODY_BYTES`]; how many shards the node holds afterwards.
async fn push_binary(
	data: &DataClient,
	blob: Dispersal<'_>,
	shards: &[ShardEnvelope],
) -> Result<u32, DataError> {
	let mut held = 0;
	for batch in batches(shards.to_vec(), TARGET_SHARDS_BODY_BYTES, ShardEnvelope::body_len) {
		let bytes = shard_bytes(&batch);
		let envelope = ShardsEnvelope {
			shape: Some(BlobShape::of(blob.commitment)),
			fingerprints: blob.fingerprints.to_vec(),
			shards: batch,
		};
		held = data.put_shards(&blob.commitment.root, &envelope).await?.held;
		blob.bar.inc(bytes);
	}
	Ok(held)
}

/// Bytes of shard data in `batch`, as the progress bar counts them.
fn shard_bytes(batch: &[ShardEnvelope]) -> u64 {
	batch.iter().map(|shard| shard.data.len() as u64).sum()
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
			transport: Transport::Binary,
			outcome: Ok(3),
		};
		assert_eq!(
			report.to_json(),
			serde_json::json!({
				"endpoint": "http://a", "shards": [4, 7], "transport": "binary", "held": 3
			})
		);
		let relayed = PushReport { via: Some("ws://local".into()), ..report.clone() };
		assert_eq!(relayed.to_json()["via"], "ws://local");
		let failed = PushReport { outcome: Err("timeout".into()), ..report };
		assert_eq!(failed.to_json()["error"], "timeout");
	}
}
