//! The providers the chain assigned a file to, and getting the file to them.
//!
//! After `submit`, the chain draws a file's providers in a later block; each becomes
//! responsible for the file only once its node holds every segment and its off-chain worker
//! acknowledged it. `zerog storage upload` uploads to the node it talks to, then to every
//! assigned provider that has not acknowledged yet, at the endpoint the provider registered.
//! A provider the client cannot reach is not an error: its node fetches the file from a
//! provider that acknowledged it (the node's replicator). The upload then waits until every
//! assigned provider acknowledged the file.

use crate::{
	account::format_account_bytes,
	error::CliError,
	rpc::NodeRpc,
	transfer::{upload_segments, REQUEST_TIMEOUT},
};
use codec::{Decode, Encode};
use serde::Serialize;
use std::{
	path::Path,
	time::{Duration, Instant},
};
use zerog_client::storage::DataClient;
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
pub async fn replicas(rpc: &NodeRpc, file_id: u64) -> Result<Vec<Replica>, CliError> {
	let bytes = rpc.state_call("StorageCommitmentsApi_replicas", &file_id.encode()).await?;
	Vec::<Replica>::decode(&mut &bytes[..]).map_err(|error| {
		CliError::Chain(format!("cannot decode the providers of file #{file_id}: {error}"))
	})
}

/// The providers of file `file_id`, once the chain drew them (or none after `timeout`).
pub async fn wait_for_replicas(
	rpc: &NodeRpc,
	file_id: u64,
	timeout: Duration,
) -> Result<Vec<Replica>, CliError> {
	poll_replicas(rpc, file_id, timeout, |found| !found.is_empty()).await
}

/// The providers of file `file_id` once every one of them acknowledged it, or as they stand
/// after `timeout`.
pub async fn wait_for_acks(
	rpc: &NodeRpc,
	file_id: u64,
	timeout: Duration,
) -> Result<Vec<Replica>, CliError> {
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
) -> Result<Vec<Replica>, CliError> {
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
) -> Result<(), CliError> {
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
	Err(CliError::Timeout(format!(
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

/// Uploads the file (hashed into `tree`, read from `path`) to every provider in `replicas`
/// that has not acknowledged it, except the node `uploaded_to` (which has it already).
pub async fn push_to_replicas(
	replicas: &[Replica],
	uploaded_to: &str,
	tree: &FileTree,
	path: &Path,
	parallel: usize,
	timeout: Duration,
	show_progress: bool,
) -> Vec<ReplicaReport> {
	let mut reports = Vec::with_capacity(replicas.len());
	for replica in replicas {
		let endpoint = String::from_utf8_lossy(&replica.endpoint).into_owned();
		let mut report = ReplicaReport {
			provider: format_account_bytes(&replica.provider),
			endpoint: endpoint.clone(),
			acknowledged: replica.acked,
			uploaded_segments: None,
			error: None,
		};
		if replica.acked {
			reports.push(report);
			continue;
		}
		match DataClient::new(&endpoint, REQUEST_TIMEOUT) {
			Err(error) => report.error = Some(error.to_string()),
			Ok(data) if same_node(data.url(), uploaded_to) => report.uploaded_segments = Some(0),
			Ok(data) => {
				match upload_segments(&data, tree, path, parallel, timeout, show_progress).await {
					Ok((sent, _status)) => report.uploaded_segments = Some(sent),
					Err(error) => report.error = Some(error.to_string()),
				}
			},
		}
		reports.push(report);
	}
	reports
}

/// One line per provider, for people.
pub fn describe(report: &ReplicaReport) -> String {
	let state = match (&report.error, report.uploaded_segments, report.acknowledged) {
		(_, _, true) => "acknowledged".to_string(),
		(Some(error), _, _) => format!(
			"not reached ({error}); its node fetches the file from a provider that holds it"
		),
		(None, Some(sent), _) => format!("uploaded {sent} segments; acknowledgement pending"),
		(None, None, false) => "acknowledgement pending".to_string(),
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
