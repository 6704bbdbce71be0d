//! The providers the chain assigned a file to, and getting the file to them.
//!
//! After `submit`, the chain draws a file's providers in a later block; each becomes
//! responsible for the file only once its node holds every segment and its off-chain worker
//! acknowledged it. `zerog storage upload` uploads to the node it talks to, then to every
//! assigned provider that has not acknowledged yet, at the endpoint the provider registered.
//! A provider the client cannot reach is not an error: its node fetches the file from a
//! provider that acknowledged it (the node's replicator). The upload then waits until every
//! assigned provider acknowledged the file.

use crate::rpc::NodeRpc;
use crate::storage::DataClient;
use crate::{
	account::format_account_bytes,
	error::ClientError,
	transfer::{upload_segments, REQUEST_TIMEOUT},
};
use codec::{Decode, Encode};
use serde::Serialize;
use std::{
	path::Path,
	time::{Duration, Instant},
};
use zerog_primitives::storage::FileTree;

/// How long to wait for the chain to draw a new file's providers (a block or two after the
/// `submit`, longer when many files wait).
pub const ASSIGNMENT_TIMEOUT: Duration = Duration::from_secs(30);

/// How often the chain is asked whether the providers are drawn.
const POLL_INTERVAL: Duration = Duration::from_secs(1);

/// One provider assigned a file, as the runtime API `StorageCommitmentsApi_replicas` returns it
/// (`pallet_storage_commitments::ReplicaSummary`).
#[derive(Clone, Debug, PartialEq, Eq, Decode, Encode)]
pub struct Replica {
	/// The provider's account.
	pub provider: [u8; 32],
	/// Whether it acknowledged holding the whole file.
	pub acked: bool,
	/// Its registered endpoint (the node to upload to).
	pub endpoint: Vec<u8>,
}

/// What the upload did for one assigned provider.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplicaReport {
	/// The provider, SS58.
	pub provider: String,
	/// Its registered endpoint.
	pub endpoint: String,
	/// Whether it had acknowledged the file when the upload looked.
	pub acknowledged: bool,
	/// Segments sent to its node (0: it had them, or it is the node the upload went to).
	pub uploaded_segments: Option<u64>,
	/// Why its node could not be given the file; it fetches the file itself then.
	pub error: Option<String>,
}

/// The providers assigned file `file_id` at the node's best block.
pub async fn replicas(rpc: &NodeRpc, file_id: u64) -> Result<Vec<Replica>, ClientError> {
	let bytes = rpc.state_call("StorageCommitmentsApi_replicas", &file_id.encode()).await?;
	Vec::<Replica>::decode(&mut &bytes[..]).map_err(|error| {
		ClientError::Chain(format!("cannot decode the providers of file #{file_id}: {error}"))
	})
}

/// The providers of file `file_id`, once the chain drew them (or none after `timeout`).
pub async fn wait_for_replicas(
	rpc: &NodeRpc,
	file_id: u64,
	timeout: Duration,
) -> Result<Vec<Replica>, ClientError> {
	poll_replicas(rpc, file_id, timeout, |found| !found.is_empty()).await
}

/// The providers of file `file_id` once every one of them acknowledged it, or as they stand
/// after `timeout`.
pub async fn wait_for_acks(
	rpc: &NodeRpc,
	file_id: u64,
	timeout: Duration,
) -> Result<Vec<Replica>, ClientError> {
	poll_replicas(rpc, file_id, timeout, |found| {
		!found.is_empty() && found.iter().all(|replica| replica.acked)
	})
	.await
}

/// Asks for the providers of file `file_id` until `done` accepts them or `timeout` passed.
async fn poll_replicas(
	rpc: &NodeRpc,
	file_id: u64,
	timeout: Duration,
	done: impl Fn(&[Replica]) -> bool,
) -> Result<Vec<Replica>, ClientError> {
	let deadline = Instant::now() + timeout;
	loop {
		let found = replicas(rpc, file_id).await?;
		if done(&found) || Instant::now() >= deadline {
			return Ok(found);
		}
		tokio::time::sleep(POLL_INTERVAL).await;
	}
}

/// Marks the providers of `reports` that acknowledged in `settled`; the error if some did not.
pub fn record_acks(
	reports: &mut [ReplicaReport],
	settled: &[Replica],
	file_id: u64,
	timeout: Duration,
) -> Result<(), ClientError> {
	for replica in settled.iter().filter(|replica| replica.acked) {
		let provider = format_account_bytes(&replica.provider);
		for report in reports.iter_mut().filter(|report| report.provider == provider) {
			report.acknowledged = true;
		}
	}
	let waiting: Vec<&str> = reports
		.iter()
		.filter(|report| !report.acknowledged)
		.map(|report| report.provider.as_str())
		.collect();
	if waiting.is_empty() {
		return Ok(());
	}
	Err(ClientError::Timeout(format!(
		"{} of {} providers acknowledged file #{file_id} within {} s; waiting for {}. The file \
		 is committed and on the node: run the upload again to resume, or check later with \
		 `zerog storage info`",
		reports.len() - waiting.len(),
		reports.len(),
		timeout.as_secs(),
		waiting.join(", ")
	)))
}

/// Whether two URLs name the same node: the same host and port, whatever the scheme, with
/// `localhost` and `127.0.0.1` alike.
pub fn same_node(a: &str, b: &str) -> bool {
	fn authority(url: &str) -> String {
		let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
		let authority = rest.split('/').next().unwrap_or_default().to_ascii_lowercase();
		authority.replacen("localhost", "127.0.0.1", 1)
	}
	authority(a) == authority(b)
}

/// How long an assigned provider's node may take to see the assignment (its best block can be
/// a block or two behind the client's node).
const ASSIGNMENT_LAG: Duration = Duration::from_secs(8);

/// Where the file went: the reports of its providers and the node that took the upload.
pub struct Delivery {
	/// One report per provider the chain assigned.
	pub reports: Vec<ReplicaReport>,
	/// The data plane the segments went to; `None` if every provider had acknowledged already.
	pub uploaded_to: Option<String>,
	/// Segments sent there.
	pub uploaded_segments: u64,
}

/// Sends the file (hashed into `tree`, read from `path`) once, to one node that stores it for
/// one of `replicas` (the providers the chain drew): `local` first (the node the client talks
/// to, if it runs an assigned provider), then each assigned provider's data plane in turn. The
/// other providers' nodes fetch it from there (their replicators). A node that is not assigned
/// the file refuses it (6006) and the next is tried; an assigned one that does not see the
/// assignment yet is asked again for a few seconds. Nothing is sent if every provider
/// acknowledged the file already (a resumed upload).
pub async fn deliver(
	replicas: &[Replica],
	local: Option<&DataClient>,
	tree: &FileTree,
	path: &Path,
	parallel: usize,
	timeout: Duration,
	show_progress: bool,
) -> Result<Delivery, ClientError> {
	let mut reports: Vec<ReplicaReport> = replicas
		.iter()
		.map(|replica| ReplicaReport {
			provider: format_account_bytes(&replica.provider),
			endpoint: String::from_utf8_lossy(&replica.endpoint).into_owned(),
			acknowledged: replica.acked,
			uploaded_segments: None,
			error: None,
		})
		.collect();
	if replicas.iter().all(|replica| replica.acked) {
		return Ok(Delivery { reports, uploaded_to: None, uploaded_segments: 0 });
	}
	let mut refusals = Vec::new();
	if let Some(local) = local {
		match upload_segments(local, tree, path, parallel, timeout, show_progress).await {
			Ok((sent, _)) => {
				for (report, replica) in reports.iter_mut().zip(replicas) {
					if same_node(&report.endpoint, local.url()) && !replica.acked {
						report.uploaded_segments = Some(sent);
					}
				}
				let uploaded_to = Some(local.url().to_owned());
				return Ok(Delivery { reports, uploaded_to, uploaded_segments: sent });
			},
			Err(error) if refused_as_not_assigned(&error) => {},
			Err(error) => refusals.push(format!("{}: {error}", local.url())),
		}
	}
	for (position, replica) in replicas.iter().enumerate() {
		if replica.acked {
			continue;
		}
		let data = match DataClient::new(&reports[position].endpoint, REQUEST_TIMEOUT) {
			Ok(data) => data,
			Err(error) => {
				reports[position].error = Some(error.to_string());
				continue;
			},
		};
		let deadline = Instant::now() + ASSIGNMENT_LAG;
		let outcome = loop {
			match upload_segments(&data, tree, path, parallel, timeout, show_progress).await {
				Err(error) if refused_as_not_assigned(&error) && Instant::now() < deadline => {
					tokio::time::sleep(POLL_INTERVAL).await
				},
				outcome => break outcome,
			}
		};
		match outcome {
			Ok((sent, _)) => {
				reports[position].uploaded_segments = Some(sent);
				let uploaded_to = Some(data.url().to_owned());
				return Ok(Delivery { reports, uploaded_to, uploaded_segments: sent });
			},
			Err(error) => {
				refusals.push(format!("{}: {error}", data.url()));
				reports[position].error = Some(error.to_string());
			},
		}
	}
	Err(ClientError::Input(format!(
		"no node took the file: {}. The file is committed on chain; run the upload again once a \
		 provider is reachable (if none gets it within an hour it is dropped and refunded less 1 %)",
		if refusals.is_empty() {
			"no provider endpoint is a data-plane URL".into()
		} else {
			refusals.join("; ")
		}
	)))
}

/// Whether a node refused because the file is not assigned to it (code 6006).
fn refused_as_not_assigned(error: &ClientError) -> bool {
	matches!(error, ClientError::Data(error) if error.code() == Some(crate::storage::NOT_ASSIGNED))
}

/// One line per provider, for people.
pub fn describe(report: &ReplicaReport) -> String {
	let state = match (&report.error, report.uploaded_segments, report.acknowledged) {
		(_, _, true) => "acknowledged".to_string(),
		(Some(error), _, _) => format!(
			"not reached ({error}); its node fetches the file from a provider that holds it"
		),
		(None, Some(sent), _) => format!("uploaded {sent} segments; acknowledgement pending"),
		(None, None, false) => {
			"acknowledgement pending (its node fetches the file from the provider that has it)"
				.to_string()
		},
	};
	format!("provider {} at {}: {state}", report.provider, report.endpoint)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn replicas_decode_as_the_runtime_api_encodes_them() {
		let replicas = vec![
			Replica { provider: [1; 32], acked: true, endpoint: b"ws://a:1".to_vec() },
			Replica { provider: [2; 32], acked: false, endpoint: vec![] },
		];
		let bytes = replicas.encode();
		assert_eq!(Vec::<Replica>::decode(&mut &bytes[..]).unwrap(), replicas);
	}

	#[test]
	fn the_same_node_whatever_the_scheme() {
		assert!(same_node("ws://127.0.0.1:9944", "http://127.0.0.1:9944"));
		assert!(same_node("ws://localhost:9944", "http://127.0.0.1:9944/"));
		assert!(!same_node("ws://127.0.0.1:9944", "ws://127.0.0.1:9945"));
		assert!(!same_node("ws://10.0.0.1:9944", "ws://127.0.0.1:9944"));
	}

	#[test]
	fn acknowledgements_are_recorded_and_missing_ones_named() {
		let report = |provider: [u8; 32]| ReplicaReport {
			provider: format_account_bytes(&provider),
			endpoint: "ws://e".into(),
			acknowledged: false,
			uploaded_segments: Some(1),
			error: None,
		};
		let replica = |provider, acked| Replica { provider, acked, endpoint: vec![] };
		let mut reports = vec![report([1; 32]), report([2; 32])];
		let timeout = Duration::from_secs(9);
		let error = record_acks(&mut reports, &[replica([1; 32], true)], 4, timeout).unwrap_err();
		assert!(reports[0].acknowledged && !reports[1].acknowledged);
		let message = error.to_string();
		assert!(message.contains("1 of 2 providers acknowledged file #4"), "{message}");
		assert!(message.contains(&format_account_bytes(&[2; 32])), "{message}");
		let settled = [replica([1; 32], true), replica([2; 32], true)];
		assert!(record_acks(&mut reports, &settled, 4, timeout).is_ok());
		assert!(reports.iter().all(|report| report.acknowledged));
	}

	#[test]
	fn each_state_reads_plainly() {
		let report = |acknowledged, uploaded_segments, error: Option<&str>| ReplicaReport {
			provider: "p".into(),
			endpoint: "ws://e".into(),
			acknowledged,
			uploaded_segments,
			error: error.map(Into::into),
		};
		assert!(describe(&report(true, None, None)).ends_with("acknowledged"));
		assert!(describe(&report(false, Some(3), None)).contains("uploaded 3 segments"));
		assert!(describe(&report(false, None, Some("refused"))).contains("fetches the file"));
	}
}
