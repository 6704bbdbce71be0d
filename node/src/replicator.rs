//! The storage replicator: fetches the files the chain assigned to this node's storage providers
//! from the providers that already hold them.
//!
//! The chain draws the providers of every file (`pallet-storage-commitments`, `assignment.rs`),
//! but a file reaches only the node it was uploaded to. Every [`ROUND_INTERVAL`] this task asks
//! the runtime, for each provider key (`zgst`) in the node's keystore, which assigned files it
//! has not acknowledged yet (`pending_files`), and for each of them which providers acknowledged
//! it and where they serve (`replicas`). It downloads the segments it is missing from one of
//! them (`storage_downloadSegment`), trying the next on any failure, and stores each through the
//! same check as an upload ([`StorageRpc::upload`]: the segment's proof must verify against the
//! root the chain commits): a hostile source can waste a request, never plant data. Once the
//! node holds every segment, the off-chain worker acknowledges the file.
//!
//! Sources are providers that acknowledged the file, so they were challenged on it; a provider
//! that is leaving stays a source while it unbonds. Downloads use the providers' registered
//! endpoints (a `ws://` endpoint is asked over `http://` on the same port, which the node's RPC
//! server serves too).

use std::{sync::Arc, time::Duration};

use jsonrpsee::{
	core::{client::ClientT, params::ArrayParams},
	http_client::{HttpClient, HttpClientBuilder},
};
use pallet_storage_commitments::runtime_api::StorageCommitmentsApi;
use polkadot_sdk::{
	sc_consensus_aura::SyncOracle, sp_api::ProvideRuntimeApi, sp_blockchain::HeaderBackend,
	sp_core::H256, sp_keystore::KeystorePtr,
};
use zerog_primitives::{
	hex::to_prefixed_hex, storage::segment_count, AccountId, BlockNumber, OpaqueBlock as Block,
};

use crate::{
	data_store::DataStore,
	rpc::{
		chain::{BestBlock, StorageChain},
		storage::{DownloadedSegment, StorageRpc},
	},
};

/// Log target of the replicator.
const LOG_TARGET: &str = "zerog-replicator";

/// Time between two rounds.
pub const ROUND_INTERVAL: Duration = Duration::from_secs(6);

/// Deadline of one segment download (256 KiB as hex JSON).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Files one round fetches for each provider key: the rest waits for the next round.
const FILES_PER_ROUND: usize = 8;

/// Largest response a source may send: a segment as hex, its proof, and the JSON around them.
const MAX_RESPONSE_BYTES: u32 = 1 << 20;

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
	/// HTTP URLs of the providers that acknowledged it, other than this node's own.
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
				.filter_map(|replica| http_url(&replica.endpoint))
				.collect();
			pending.push(PendingFile { file_id, root: file.root, size: file.size, sources });
		}
		Ok(pending)
	}
}

/// Where segments come from: another provider's node.
#[allow(async_fn_in_trait)] // only used with concrete sources, never as `dyn`
pub trait SegmentSource {
	/// Segment `index` of the file with `root` from the node at `url`, as its RPC returns it.
	async fn download(
		&self,
		url: &str,
		root: &H256,
		index: u64,
	) -> Result<DownloadedSegment, String>;
}

/// Downloads over JSON-RPC (`storage_downloadSegment`) with a deadline and a response cap.
pub struct RpcSource;

impl SegmentSource for RpcSource {
	async fn download(
		&self,
		url: &str,
		root: &H256,
		index: u64,
	) -> Result<DownloadedSegment, String> {
		let client: HttpClient = HttpClientBuilder::default()
			.request_timeout(REQUEST_TIMEOUT)
			.max_response_size(MAX_RESPONSE_BYTES)
			.build(url)
			.map_err(|error| format!("{url}: {error}"))?;
		let mut params = ArrayParams::new();
		params.insert(to_prefixed_hex(root.as_bytes())).map_err(|e| e.to_string())?;
		params.insert(index).map_err(|e| e.to_string())?;
		client
			.request("storage_downloadSegment", params)
			.await
			.map_err(|error| format!("{url}: {error}"))
	}
}

/// What fetching one file did.
#[derive(Debug, PartialEq, Eq)]
pub enum Fetched {
	/// Every segment is stored now; `segments` of them came in this round.
	Complete { segments: u64, from: Option<String> },
	/// No source served the whole file; the reasons, one per source tried.
	Failed(Vec<String>),
}

/// Fetches the segments of `file` this node is missing, from the first source that serves
/// them all; each segment is stored only if it verifies (see [`StorageRpc::upload`]).
pub async fn fetch_file<Chain: StorageChain>(
	rpc: &StorageRpc<Chain>,
	store: &DataStore,
	source: &impl SegmentSource,
	file: &PendingFile,
) -> Fetched {
	let root_hex = to_prefixed_hex(file.root.as_bytes());
	let missing = |store: &DataStore| {
		store
			.missing_segments(&file.root, file.size, 0, segment_count(file.size) as usize)
			.map_err(|error| format!("data store: {error}"))
	};
	let mut reasons = Vec::new();
	let mut fetched = 0u64;
	match missing(store) {
		Ok(segments) if segments.is_empty() => {
			return Fetched::Complete { segments: 0, from: None }
		},
		Ok(_) => {},
		Err(reason) => return Fetched::Failed(vec![reason]),
	}
	for url in &file.sources {
		let segments = match missing(store) {
			Ok(segments) => segments,
			Err(reason) => {
				reasons.push(reason);
				break;
			},
		};
		let mut failure = None;
		for index in segments {
			let segment = match source.download(url, &file.root, index).await {
				Ok(segment) => segment,
				Err(reason) => {
					failure = Some(format!("segment {index}: {reason}"));
					break;
				},
			};
			match rpc.upload(&root_hex, index, &segment.data, &segment.proof) {
				Ok(_) => fetched += 1,
				Err(error) => {
					let (code, message) = (error.code(), error.message());
					failure = Some(format!("{url} segment {index} refused ({code}): {message}"));
					break;
				},
			}
		}
		match failure {
			None => return Fetched::Complete { segments: fetched, from: Some(url.clone()) },
			Some(reason) => reasons.push(reason),
		}
	}
	if file.sources.is_empty() {
		reasons.push("no provider acknowledged the file yet".into());
	}
	Fetched::Failed(reasons)
}

/// The HTTP URL to download from for a registered endpoint: `ws`/`wss` become `http`/`https`
/// (the node's RPC server answers both on one port); anything but an HTTP(S) or WS(S) URL is
/// not a source.
pub fn http_url(endpoint: &[u8]) -> Option<String> {
	let endpoint = std::str::from_utf8(endpoint).ok()?.trim();
	if let Some(rest) = endpoint.strip_prefix("ws://") {
		return Some(format!("http://{rest}"));
	}
	if let Some(rest) = endpoint.strip_prefix("wss://") {
		return Some(format!("https://{rest}"));
	}
	(endpoint.starts_with("http://") || endpoint.starts_with("https://"))
		.then(|| endpoint.to_string())
}

/// Runs the replicator until the node stops.
pub async fn run<C, S>(client: Arc<C>, store: Arc<DataStore>, keystore: KeystorePtr, sync: Arc<S>)
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: StorageCommitmentsApi<Block, AccountId, BlockNumber>,
	S: SyncOracle + ?Sized,
{
	let assignments = ClientAssignments { client: client.clone() };
	let rpc = StorageRpc::new(BestBlock::new(client), store.clone());
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
				match fetch_file(&rpc, &store, &RpcSource, file).await {
					Fetched::Complete { segments: 0, .. } => {},
					Fetched::Complete { segments, from } => log::info!(
						target: LOG_TARGET,
						"file {} ({} bytes): fetched {segments} segments from {}",
						file.file_id,
						file.size,
						from.unwrap_or_default()
					),
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
