//! The storage replicator: fetches the files the chain assigned to this node's storage providers
//! from the providers that already hold them.
//!
//! The chain draws the providers of every file (`pallet-storage-commitments`, `assignment.rs`),
//! but a file reaches only the node it was uploaded to. Every [`ROUND_INTERVAL`] this task asks
//! the runtime, for each provider key (`zgst`) in the node's keystore, which assigned files it
//! has not acknowledged yet (`pending_files`), and for each of them which providers acknowledged
//! it and where they serve (`replicas`). It downloads the segments it is missing from their data
//! planes ([`zerog_client::storage::DataClient`]: binary segments over HTTP, the file addressed
//! by its whole commitment), [`PARALLEL_SEGMENTS`] at a time, spread over the sources; a source
//! that fails or sends a bad segment is dropped for the rest of the round and its segments go to
//! the next. Each segment is stored only through the same check as an upload
//! ([`StorageRpc::put`]: its proof must verify against the committed root): a hostile source can
//! waste a request, never plant data. Once the node holds every segment, the off-chain worker
//! acknowledges the file.
//!
//! Sources are providers that acknowledged the file, so they were challenged on it; a provider
//! that is leaving stays a source while it unbonds.

use std::{
	collections::HashMap,
	sync::{Arc, Mutex},
	time::Duration,
};

use futures::StreamExt;
use pallet_storage_commitments::runtime_api::StorageCommitmentsApi;
use polkadot_sdk::{
	sc_consensus_aura::SyncOracle, sp_api::ProvideRuntimeApi, sp_blockchain::HeaderBackend,
	sp_core::H256, sp_keystore::KeystorePtr,
};
use zerog_client::storage::DataClient;
use zerog_primitives::{
	storage::{segment_count, transport::SegmentEnvelope, SEGMENT_SIZE},
	AccountId, BlockNumber, OpaqueBlock as Block,
};

use crate::{
	data_store::DataStore,
	rpc::{
		chain::{BestBlock, StorageChain},
		storage::{StorageRpc, StorageRpcError},
	},
};

/// Log target of the replicator.
const LOG_TARGET: &str = "zerog-replicator";

/// Time between two rounds.
pub const ROUND_INTERVAL: Duration = Duration::from_secs(6);

/// Deadline of one segment download (256 KiB): a source slower than about 25 KiB/s is dropped.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// Files one round fetches for each provider key: the rest waits for the next round.
const FILES_PER_ROUND: usize = 8;

/// Segment downloads of one file in flight at once.
pub const PARALLEL_SEGMENTS: usize = 8;

/// The key type of storage provider keys (`pallet_storage_commitments::crypto::KEY_TYPE`).
const PROVIDER_KEY_TYPE: polkadot_sdk::sp_core::crypto::KeyTypeId =
	pallet_storage_commitments::crypto::KEY_TYPE;

/// A file this node's provider must fetch and where it can be fetched from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingFile {
	/// Its id in the chain's log.
	pub file_id: u64,
	/// Its commitment.
	pub root: H256,
	/// Its size in bytes.
	pub size: u64,
	/// Data-plane URLs of the providers that acknowledged it, other than this node's own.
	pub sources: Vec<String>,
}

/// What the replicator asks the chain.
pub trait Assignments {
	/// The files assigned to `provider` that it has not acknowledged, with their sources.
	fn pending(&self, provider: &AccountId) -> Result<Vec<PendingFile>, String>;
}

/// Reads assignments through the runtime API at the client's best block.
pub struct ClientAssignments<C> {
	client: Arc<C>,
}

impl<C> Assignments for ClientAssignments<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block>,
	C::Api: StorageCommitmentsApi<Block, AccountId, BlockNumber>,
{
	fn pending(&self, provider: &AccountId) -> Result<Vec<PendingFile>, String> {
		let at = self.client.info().best_hash;
		let api = self.client.runtime_api();
		let failed = |what: &str, error: polkadot_sdk::sp_api::ApiError| {
			format!("runtime API {what} failed at block {at:?}: {error}")
		};
		let ids =
			api.pending_files(at, provider.clone()).map_err(|e| failed("pending_files", e))?;
		let mut pending = Vec::with_capacity(ids.len());
		for file_id in ids {
			let Some(file) = api.file(at, file_id).map_err(|e| failed("file", e))? else {
				continue;
			};
			let sources = api
				.replicas(at, file_id)
				.map_err(|e| failed("replicas", e))?
				.into_iter()
				.filter(|replica| replica.acked && &replica.provider != provider)
				.filter_map(|replica| data_url(&replica.endpoint))
				.collect();
			pending.push(PendingFile { file_id, root: file.root, size: file.size, sources });
		}
		Ok(pending)
	}
}

/// Where segments come from: another provider's data plane.
#[allow(async_fn_in_trait)] // only used with concrete sources, never as `dyn`
pub trait SegmentSource {
	/// Segment `index` of the file `(root, size)` from the node at `url`, with its proof.
	async fn fetch(
		&self,
		url: &str,
		root: &H256,
		size: u64,
		index: u64,
	) -> Result<SegmentEnvelope, String>;
}

/// Downloads over the data plane, one connection pool per source.
#[derive(Default)]
pub struct HttpSource {
	clients: Mutex<HashMap<String, DataClient>>,
}

impl SegmentSource for HttpSource {
	async fn fetch(
		&self,
		url: &str,
		root: &H256,
		size: u64,
		index: u64,
	) -> Result<SegmentEnvelope, String> {
		let client = {
			let mut clients = self.clients.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
			match clients.get(url) {
				Some(client) => client.clone(),
				None => {
					let client =
						DataClient::new(url, REQUEST_TIMEOUT).map_err(|error| error.to_string())?;
					clients.insert(url.to_owned(), client.clone());
					client
				},
			}
		};
		client.get_segment_with_proof(root, size, index).await.map_err(|error| error.to_string())
	}
}

/// What fetching one file did.
#[derive(Debug, PartialEq, Eq)]
pub enum Fetched {
	/// Every segment is stored now; `segments` of them came in this round, from `sources`.
	Complete { segments: u64, sources: Vec<String> },
	/// Some segments are still missing; why each source that failed did (the segments that
	/// did verify are kept).
	Failed(Vec<String>),
}

/// Fetches the segments of `file` this node is missing, [`PARALLEL_SEGMENTS`] at a time, segment
/// `i` first from source `i mod n` and then from the others; a source that fails once is not
/// asked again this round. Each segment is stored only if it verifies (see [`StorageRpc::put`]).
pub async fn fetch_file<Chain: StorageChain>(
	rpc: &Arc<StorageRpc<Chain>>,
	store: &DataStore,
	source: &impl SegmentSource,
	file: &PendingFile,
) -> Fetched {
	let missing =
		match store.missing_segments(&file.root, file.size, 0, segment_count(file.size) as usize) {
			Ok(missing) => missing,
			Err(error) => return Fetched::Failed(vec![format!("data store: {error}")]),
		};
	if missing.is_empty() {
		return Fetched::Complete { segments: 0, sources: Vec::new() };
	}
	if file.sources.is_empty() {
		return Fetched::Failed(vec!["no provider acknowledged the file yet".into()]);
	}
	let count = file.sources.len();
	// Per source: `None` while it serves, else why it stopped being asked.
	let failures: Mutex<Vec<Option<String>>> = Mutex::new(vec![None; count]);
	let served: Mutex<Vec<bool>> = Mutex::new(vec![false; count]);
	let local_error: Mutex<Option<String>> = Mutex::new(None);
	let fetch_one = |index: u64| {
		let (failures, served, local_error) = (&failures, &served, &local_error);
		async move {
			for attempt in 0..count {
				let which = (index as usize).wrapping_add(attempt) % count;
				if lock(failures)[which].is_some() {
					continue;
				}
				let url = &file.sources[which];
				let outcome = match source.fetch(url, &file.root, file.size, index).await {
					Ok(envelope) => store_segment(rpc.clone(), file, index, envelope).await,
					Err(reason) => Err(Refusal::Source(reason)),
				};
				match outcome {
					Ok(()) => {
						lock(served)[which] = true;
						return true;
					},
					// This node's own store failed: no source can help.
					Err(Refusal::Local(reason)) => {
						lock(local_error).get_or_insert(reason);
						return false;
					},
					Err(Refusal::Source(reason)) => {
						lock(failures)[which]
							.get_or_insert(format!("{url}: segment {index}: {reason}"));
					},
				}
			}
			false
		}
	};
	let stored = futures::stream::iter(missing.iter().copied())
		.map(fetch_one)
		.buffer_unordered(PARALLEL_SEGMENTS)
		.filter(|stored| futures::future::ready(*stored))
		.count()
		.await as u64;
	if stored == missing.len() as u64 {
		let served = lock(&served);
		let sources =
			file.sources.iter().zip(served.iter()).filter(|(_, s)| **s).map(|(u, _)| u.clone());
		return Fetched::Complete { segments: stored, sources: sources.collect() };
	}
	let mut reasons: Vec<String> = lock(&failures).iter().flatten().cloned().collect();
	reasons.extend(lock(&local_error).clone());
	Fetched::Failed(reasons)
}
/// Why a fetched segment was not stored.
enum Refusal {
	/// The source failed or sent a segment that does not verify.
	Source(String),
	/// This node could not store it (its chain view or its data store failed).
	Local(String),
}

/// Stores a fetched segment on the blocking pool (a synced RocksDB write) through
/// [`StorageRpc::put`].
async fn store_segment<Chain: StorageChain>(
	rpc: Arc<StorageRpc<Chain>>,
	file: &PendingFile,
	index: u64,
	envelope: SegmentEnvelope,
) -> Result<(), Refusal> {
	let (root, size) = (file.root, file.size);
	let put = tokio::task::spawn_blocking(move || {
		rpc.put(&root, size, index, &envelope.data, &envelope.proof)
	})
	.await
	.map_err(|error| Refusal::Local(format!("storing segment {index}: {error}")))?;
	match put {
		Ok(_) => Ok(()),
		// Refusals of this node's own: its view of the chain, its store, its quota.
		Err(
			error @ (StorageRpcError::Store(_)
			| StorageRpcError::UnknownCommitment { .. }
			| StorageRpcError::NotAssigned(_)
			| StorageRpcError::Full(_)),
		) => Err(Refusal::Local(format!(
			"segment {index} not stored ({}): {}",
			error.code(),
			error.message()
		))),
		Err(error) => {
			Err(Refusal::Source(format!("refused ({}): {}", error.code(), error.message())))
		},
	}
}

/// Takes a lock; a poisoned one is taken anyway (the data is plain bookkeeping).
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
	mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The data-plane URL of a registered endpoint (`http://host:port`); anything else is not a
/// source.
pub fn data_url(endpoint: &[u8]) -> Option<String> {
	let endpoint = std::str::from_utf8(endpoint).ok()?.trim().trim_end_matches('/');
	DataClient::new(endpoint, REQUEST_TIMEOUT).ok().map(|client| client.url().to_owned())
}

/// Runs the replicator until the node stops.
pub async fn run<C, S>(client: Arc<C>, store: Arc<DataStore>, keystore: KeystorePtr, sync: Arc<S>)
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: StorageCommitmentsApi<Block, AccountId, BlockNumber>,
	S: SyncOracle + ?Sized,
{
	let assignments = ClientAssignments { client: client.clone() };
	let rpc = Arc::new(StorageRpc::new(
		BestBlock::with_keystore(client, keystore.clone()),
		store.clone(),
	));
	let source = HttpSource::default();
	loop {
		tokio::time::sleep(ROUND_INTERVAL).await;
		if sync.is_major_syncing() {
			continue;
		}
		let providers: Vec<AccountId> = keystore
			.sr25519_public_keys(PROVIDER_KEY_TYPE)
			.into_iter()
			.map(|key| AccountId::from(key.0))
			.collect();
		for provider in providers {
			let pending = match assignments.pending(&provider) {
				Ok(pending) => pending,
				Err(error) => {
					log::warn!(target: LOG_TARGET, "cannot read assignments: {error}");
					continue;
				},
			};
			for file in pending.iter().take(FILES_PER_ROUND) {
				let started = std::time::Instant::now();
				match fetch_file(&rpc, &store, &source, file).await {
					Fetched::Complete { segments: 0, .. } => {},
					Fetched::Complete { segments, sources } => {
						// What replication throughput benchmarks read (docs/storage.md).
						let seconds = started.elapsed().as_secs_f64();
						let bytes = segments.saturating_mul(SEGMENT_SIZE as u64).min(file.size);
						let megabytes = bytes as f64 / 1e6;
						log::info!(
							target: LOG_TARGET,
							"file {} ({} bytes): fetched {segments} segments from {} in \
							 {seconds:.2} s ({:.1} MB/s)",
							file.file_id,
							file.size,
							sources.join(", "),
							megabytes / seconds.max(1e-6)
						)
					},
					Fetched::Failed(reasons) => log::debug!(
						target: LOG_TARGET,
						"file {} not fetched yet: {}",
						file.file_id,
						reasons.join("; ")
					),
				}
			}
		}
	}
}

#[cfg(test)]
mod tests;
