//! Dispersal: each member of a blob's quorum gets only the shards it holds, all members at once,
//! each push under its own deadline, so a silent or slow member costs only its share.
//!
//! Shards travel as binary to the member node's data plane (`POST /da/v1/blobs/{root}/shards`,
//! found through its `storage_dataPort`), in requests of about 16 MiB. A member whose node has
//! no data plane, or one the publisher cannot reach (bound to loopback, behind a proxy that only
//! forwards JSON-RPC), gets them as hex in `da_putShards` instead: twice the bytes, same checks.

use std::time::{Duration, Instant};

use crate::{
	da::NOT_ASSIGNED,
	storage::{DataClient, DataError},
};
use futures::future::join_all;
use indicatif::ProgressBar;
use zerog_primitives::da::{
	transport::{BlobShape, ShardEnvelope, ShardsEnvelope, TARGET_SHARDS_BODY_BYTES},
	BlobCommitment,
};

use super::{
	holders::BlobAssignmentView,
	publish::{batches, MAX_PUT_BYTES},
};
use crate::rpc::{da::ShardInput, NodeRpc};
use crate::{hexstr, transfer::data_url};

/// Time every push gets whatever its size: connecting and the first round trip.
pub const PUSH_DEADLINE_BASE: Duration = Duration::from_secs(15);

/// Slowest transfer rate a member is given time for, in bytes of request per second; a member
/// slower than this is dropped (its share is covered by the others up to the quorum's
/// threshold).
pub const PUSH_MIN_BYTES_PER_SECOND: u64 = 4 * 1024 * 1024;

/// How long connecting to a member's data plane may take before its shards go by JSON-RPC.
const DATA_PLANE_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// How long a member's node may refuse a blob's shards as not its own because its best block is
/// behind the publisher's: it does not see the submission yet, and judges by the quorum the
/// blob would get at its own best block (which differs when the epoch turned in between).
pub const MEMBER_LAG: Duration = Duration::from_secs(8);

/// Pause between two pushes to a member that refused the shards as not its own.
const LAG_RETRY_INTERVAL: Duration = Duration::from_millis(500);

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

/// Why a push failed.
#[derive(Clone, Debug, PartialEq, Eq)]
struct PushFailure {
	/// What went wrong, with the URL, for the report.
	message: String,
	/// The node's error code when it refused the shards.
	code: Option<i32>,
}

impl PushFailure {
	/// A failure without a refusal code: the node could not be reached or did not answer.
	fn unanswered(message: String) -> Self {
		Self { message, code: None }
	}
}

/// Pushes to every member endpoint of `assignment` the shards it holds, in parallel, skipping
/// endpoints `skip` says are done; `uploads[i]` is shard `i`. A member that refuses the shards
/// as not its own is asked again for up to `lag` (its node may not have imported the block the
/// publisher's node judges by). A push that fails is tried once more at `fallback`, the node
/// the publisher is connected to, which takes the shards only if it runs the member's key.
pub async fn disperse(
	blob: Dispersal<'_>,
	assignment: &BlobAssignmentView,
	uploads: &[ShardEnvelope],
	skip: impl Fn(&str, &[u16]) -> bool,
	fallback: &str,
	lag: Duration,
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
			let (transport, outcome) = push_allowing_lag(&endpoint, blob, &shards, lag).await;
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
							outcome: Err(error.message),
						},
					}
				},
				outcome => PushReport {
					endpoint,
					via: None,
					shards: indices,
					transport,
					outcome: outcome.map_err(|failure| failure.message),
				},
			}
		});
	join_all(pushes).await
}

/// [`push_within_deadline`], asked again while the member refuses the shards as not its own
/// (`NOT_ASSIGNED`) and `lag` has not passed.
async fn push_allowing_lag(
	endpoint: &str,
	blob: Dispersal<'_>,
	shards: &[ShardEnvelope],
	lag: Duration,
) -> (Transport, Result<u32, PushFailure>) {
	let give_up = Instant::now() + lag;
	loop {
		match push_within_deadline(endpoint, blob, shards).await {
			(_, Err(failure))
				if failure.code == Some(NOT_ASSIGNED)
					&& Instant::now() + LAG_RETRY_INTERVAL < give_up =>
			{
				log::debug!(target: "zerog-da", "{}; asking again", failure.message);
				tokio::time::sleep(LAG_RETRY_INTERVAL).await;
			},
			pushed => return pushed,
		}
	}
}

/// [`push`] under the deadline its size gives it (the size as hex, the slower transport).
async fn push_within_deadline(
	endpoint: &str,
	blob: Dispersal<'_>,
	shards: &[ShardEnvelope],
) -> (Transport, Result<u32, PushFailure>) {
	let bytes: u64 = shards.iter().map(|shard| ShardInput::json_len(shard) as u64).sum();
	let deadline = push_deadline(bytes);
	let mut transport = Transport::JsonRpc;
	let pushed = push(endpoint, blob, shards, deadline, &mut transport);
	match tokio::time::timeout(deadline, pushed).await {
		Ok(outcome) => (transport, outcome),
		Err(_) => (
			transport,
			Err(PushFailure::unanswered(format!(
				"{endpoint}: no answer within {} s for {bytes} bytes of shards",
				deadline.as_secs()
			))),
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
) -> Result<u32, PushFailure> {
	let member = NodeRpc::connect(endpoint)
		.await
		.map_err(|error| PushFailure::unanswered(error.to_string()))?;
	// A node without a data plane, or one older than `storage_dataPort`, takes JSON-RPC only.
	if let Ok(Some(port)) = member.data_port().await {
		let url = data_url(endpoint, port);
		let data = DataClient::with_connect_timeout(&url, DATA_PLANE_CONNECT_TIMEOUT, deadline)
			.map_err(|error| PushFailure::unanswered(error.to_string()))?;
		*transport = Transport::Binary;
		match push_binary(&data, blob, shards).await {
			Ok(held) => return Ok(held),
			// Nothing reached the node: its data plane is not reachable from here.
			Err(DataError::Unreachable(reason)) => {
				log::debug!(target: "zerog-da", "{url} unreachable ({reason}): using da_putShards");
			},
			Err(error) => {
				return Err(PushFailure { message: format!("{url}: {error}"), code: error.code() })
			},
		}
	}
	*transport = Transport::JsonRpc;
	let fingerprints = hexstr::encode(blob.fingerprints);
	let mut held = 0;
	for batch in batches(shards.to_vec(), MAX_PUT_BYTES, ShardInput::json_len) {
		let receipt = member
			.put_shards_of(blob.commitment, &fingerprints, &batch)
			.await
			.map_err(|error| PushFailure { message: error.to_string(), code: error.code() })?;
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
	use bytes::Bytes;
	use http_body_util::{BodyExt, Full};
	use hyper::{service::service_fn, Response};
	use hyper_util::rt::TokioIo;
	use std::{
		convert::Infallible,
		sync::{
			atomic::{AtomicUsize, Ordering},
			Arc,
		},
	};
	use zerog_primitives::da::encode_blob;

	/// A stand-in member node with no data plane whose `da_putShards` refuses the first
	/// `refusals` calls with `code`, then takes the shards; its URL and its count of calls.
	async fn member_node(refusals: usize, code: i32) -> (String, Arc<AtomicUsize>) {
		let calls = Arc::new(AtomicUsize::new(0));
		let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
		let url = format!("http://{}", listener.local_addr().unwrap());
		let counted = calls.clone();
		tokio::spawn(async move {
			loop {
				let (stream, _) = listener.accept().await.unwrap();
				let calls = counted.clone();
				tokio::spawn(async move {
					let service =
						service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
							let calls = calls.clone();
							async move {
								let body = request.into_body().collect().await.unwrap().to_bytes();
								let call: serde_json::Value =
									serde_json::from_slice(&body).unwrap();
								let id = call["id"].clone();
								let answer = match call["method"].as_str() {
									Some("storage_dataPort") => {
										serde_json::json!({"jsonrpc": "2.0", "id": id, "result": null})
									},
									Some("da_putShards")
										if calls.fetch_add(1, Ordering::SeqCst) < refusals =>
									{
										serde_json::json!({"jsonrpc": "2.0", "id": id, "error": {
											"code": code, "message": "held by other members of its quorum"
										}})
									},
									_ => serde_json::json!({"jsonrpc": "2.0", "id": id, "result": {
										"root": "0x00", "newlyStored": 1, "held": 1,
										"dataShards": 1, "totalShards": 3
									}}),
								};
								let body = Bytes::from(answer.to_string());
								let mut response = Response::new(Full::new(body));
								response.headers_mut().insert(
									hyper::header::CONTENT_TYPE,
									hyper::header::HeaderValue::from_static("application/json"),
								);
								Ok::<_, Infallible>(response)
							}
						});
					let _ = hyper::server::conn::http1::Builder::new()
						.serve_connection(TokioIo::new(stream), service)
						.await;
				});
			}
		});
		(url, calls)
	}

	/// A member node that does not see the submission yet refuses the shards as not its own
	/// until it imports the block; the publisher asks again within the lag, and only then.
	#[tokio::test(flavor = "multi_thread")]
	async fn a_lagging_member_is_asked_again_until_it_sees_the_blob() {
		let encoded = encode_blob(b"shards for a member that lags", 1, 2).unwrap();
		let bar = ProgressBar::hidden();
		let blob = Dispersal {
			commitment: &encoded.commitment,
			fingerprints: &encoded.fingerprints,
			bar: &bar,
		};
		let shards = vec![ShardEnvelope {
			proof: encoded.proofs[0].clone(),
			data: encoded.shards[0].clone(),
		}];

		// Two refusals, then the block is imported: taken within the lag.
		let (url, calls) = member_node(2, NOT_ASSIGNED).await;
		let (transport, outcome) = push_allowing_lag(&url, blob, &shards, MEMBER_LAG).await;
		assert_eq!((transport, outcome), (Transport::JsonRpc, Ok(1)));
		assert_eq!(calls.load(Ordering::SeqCst), 3);

		// Staging waits for no one: the refusal is reported at once.
		let (url, calls) = member_node(2, NOT_ASSIGNED).await;
		let (_, outcome) = push_allowing_lag(&url, blob, &shards, Duration::ZERO).await;
		let failure = outcome.unwrap_err();
		assert_eq!(failure.code, Some(NOT_ASSIGNED));
		assert!(failure.message.contains("held by other members"), "{failure:?}");
		assert_eq!(calls.load(Ordering::SeqCst), 1);

		// Any other refusal (here a badly encoded blob) is final.
		let (url, calls) = member_node(2, crate::da::BAD_ENCODING).await;
		let (_, outcome) = push_allowing_lag(&url, blob, &shards, MEMBER_LAG).await;
		assert_eq!(outcome.unwrap_err().code, Some(crate::da::BAD_ENCODING));
		assert_eq!(calls.load(Ordering::SeqCst), 1);

		// A member that never catches up is given up on once the lag has passed.
		let (url, calls) = member_node(usize::MAX, NOT_ASSIGNED).await;
		let lag = Duration::from_secs(2);
		let started = Instant::now();
		let (_, outcome) = push_allowing_lag(&url, blob, &shards, lag).await;
		assert_eq!(outcome.unwrap_err().code, Some(NOT_ASSIGNED));
		assert!(started.elapsed() < lag + PUSH_DEADLINE_BASE, "{:?}", started.elapsed());
		assert!(calls.load(Ordering::SeqCst) >= 2);
	}

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
