//! `--data-prune-interval`: deletes from the data store what the chain no longer commits to.
//!
//! The segments of a storage file are kept while a live file on chain has its root and size;
//! once it expired without renewal, nobody pays for them and no challenge can ask for them. The
//! shards of a DA blob are kept while the chain knows the blob by its whole commitment: a
//! certified blob stays on chain for its retention period (and so its shards here), a blob that
//! expired uncertified or retired is forgotten. A node with DA keys also drops the shards of a
//! blob on chain whose quorum has none of its keys: shards it staged for the quorum the blob
//! would have had, before the epoch turned and the blob went to another quorum. Nobody pays it
//! for them and no custody challenge asks it for them. For the same reason it drops the shards
//! of a blob it holds outside its keys' ranges (staged for one quorum, where it had other ranges
//! than in the quorum the blob got).
//!
//! Every `interval` finalized blocks a sweep asks the runtime, at the best *and* at the finalized
//! block, about every file and blob in the store. What neither block knows becomes a suspect; a
//! suspect still unknown at the next sweep is deleted. The best block covers data uploaded for a
//! commitment that is not final yet; the second look covers a commitment that a short reorg took
//! out of the best chain for a moment. A chain that cannot be asked deletes nothing, and no sweep
//! runs while the node is catching up with the network: a node resyncing its chain from scratch
//! next to a full data store would otherwise find none of it in its old blocks. On a chain
//! whose runtime has no storage (or no DA) pallet, no file (or blob) is on chain: what the store
//! holds of them goes the same way.

use std::{collections::HashSet, sync::Arc};

use futures::StreamExt;
use pallet_da_attestations::runtime_api::DaAttestationsApi;
use pallet_storage_commitments::runtime_api::StorageCommitmentsApi;
use polkadot_sdk::{
	sc_client_api::BlockchainEvents, sc_consensus_aura::SyncOracle, sp_api::ProvideRuntimeApi,
	sp_blockchain::HeaderBackend, sp_core::H256, sp_keystore::KeystorePtr,
};
use zerog_primitives::{da::BlobCommitment, AccountId, Balance, BlockNumber, OpaqueBlock as Block};

use crate::{
	data_store::{DataStore, StoreError},
	rpc::chain::{blob_at, live_files_at, BestBlock, DaChain},
	runtime_api::ZeroGServices,
};

/// Log target of the pruning.
const LOG_TARGET: &str = "zerog-data";

/// Default of `--data-prune-interval`: 300 blocks, 10 minutes at 2-second blocks.
pub const DEFAULT_PRUNE_INTERVAL: BlockNumber = 300;

/// Options of the data store's pruning.
#[derive(Debug, Clone, clap::Args)]
pub struct PruneParams {
	/// Finalized blocks between two sweeps of the data store (segments of storage files, shards
	/// of DA blobs) for data the chain no longer commits to: files that expired, blobs that
	/// expired uncertified or retired, and shards staged for a quorum the blob did not get.
	/// Data unwanted at two sweeps in a row is deleted; live files and retained blobs of this
	/// node's quorums are always kept. 0 keeps everything forever.
	#[arg(long, value_name = "BLOCKS", default_value_t = DEFAULT_PRUNE_INTERVAL)]
	pub data_prune_interval: BlockNumber,
}

/// What the chain says about the shards of a blob held here.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BlobRetention {
	/// A pending or certified blob with this commitment is on chain, and this node has no DA
	/// key to judge by (or knows it only at its finalized block): it keeps what it holds.
	Keep,
	/// A pending or certified blob with this commitment is on chain, and this node's DA keys
	/// hold these shards (ascending) in its quorum: it keeps those and no others.
	KeepShards(Vec<u16>),
	/// No pending or certified (not retired) blob has this commitment.
	Unknown,
	/// The blob is on chain, but none of this node's DA keys is a member of its quorum.
	NotHeldHere,
}

/// What a sweep asks the chain.
pub trait Retention {
	/// Whether a live file has `root` and `size`.
	fn file_is_live(&self, root: &H256, size: u64) -> Result<bool, String>;
	/// Whether this node should keep the shards of the blob with `commitment`.
	fn blob_retention(&self, commitment: &BlobCommitment) -> Result<BlobRetention, String>;
}

/// Something the store holds: a file's segments or a blob's shards.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum StoredItem {
	File { root: H256, size: u64 },
	Blob { root: H256 },
	Shard { root: H256, index: u16 },
}

/// Why the chain does not ask this node to keep an item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Unwanted {
	/// The chain does not commit to it (any more).
	Gone,
	/// A blob on chain whose quorum has no key of this node, or a shard of one outside this
	/// node's ranges in its quorum: staged for the quorum it did not get.
	OtherQuorum,
}

/// What one sweep did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SweepReport {
	/// Files whose segments were deleted.
	pub files_removed: u32,
	/// Segments deleted with them.
	pub segments_removed: u64,
	/// Blobs whose shards were deleted.
	pub blobs_removed: u32,
	/// Shards deleted with them, or alone (outside this node's ranges).
	pub shards_removed: u64,
	/// Files, blobs and shards the chain does not ask this node to keep now, deleted at the next
	/// sweep unless it does by then.
	pub suspects: u32,
}

/// Sweeps the data store; remembers the suspects of its last sweep.
pub struct Pruner<R> {
	store: Arc<DataStore>,
	chain: R,
	suspects: HashSet<StoredItem>,
}

impl<R: Retention> Pruner<R> {
	/// A pruner of `store` that asks `chain`, with no suspects yet.
	pub fn new(store: Arc<DataStore>, chain: R) -> Self {
		Self { store, chain, suspects: HashSet::new() }
	}

	/// Deletes the suspects of the last sweep that the chain still does not know, and returns
	/// what was deleted. On a store error the sweep stops and the previous suspects are kept.
	pub fn sweep(&mut self) -> Result<SweepReport, StoreError> {
		let mut report = SweepReport::default();
		let mut suspects = HashSet::new();
		let files = self.store.stored_file_keys()?.into_iter().map(|(root, size)| {
			let live = self.chain.file_is_live(&root, size);
			(StoredItem::File { root, size }, live.map(|live| (!live).then_some(Unwanted::Gone)))
		});
		let mut blobs = Vec::new();
		for root in self.store.stored_blob_roots()? {
			// The store keeps the commitment its shards verified against: asking by the whole
			// commitment cannot be misled by other blobs with the same root.
			if let Some(stored) = self.store.stored_blob(&root)? {
				let unwanted = match self.chain.blob_retention(&stored.commitment) {
					Ok(BlobRetention::Keep) => Ok(None),
					Ok(BlobRetention::KeepShards(ranges)) => {
						// The blob stays; each shard outside the node's ranges is an item.
						for index in stored.held {
							if ranges.binary_search(&index).is_err() {
								let shard = StoredItem::Shard { root, index };
								blobs.push((shard, Ok(Some(Unwanted::OtherQuorum))));
							}
						}
						Ok(None)
					},
					Ok(BlobRetention::Unknown) => Ok(Some(Unwanted::Gone)),
					Ok(BlobRetention::NotHeldHere) => Ok(Some(Unwanted::OtherQuorum)),
					Err(error) => Err(error),
				};
				blobs.push((StoredItem::Blob { root }, unwanted));
			}
		}
		for (item, unwanted) in files.chain(blobs) {
			match unwanted {
				Ok(None) => {},
				Ok(Some(why)) if self.suspects.contains(&item) => {
					self.remove(item, why, &mut report)?
				},
				Ok(Some(_)) => {
					suspects.insert(item);
				},
				Err(error) => log::warn!(
					target: LOG_TARGET,
					"kept {item:?}: cannot ask the chain whether it still commits to it: {error}"
				),
			}
		}
		report.suspects = u32::try_from(suspects.len()).unwrap_or(u32::MAX);
		self.suspects = suspects;
		Ok(report)
	}

	/// Deletes `item`, unwanted for reason `why`, from the store and counts it in `report`.
	fn remove(
		&self,
		item: StoredItem,
		why: Unwanted,
		report: &mut SweepReport,
	) -> Result<(), StoreError> {
		match item {
			StoredItem::File { root, size } => {
				let segments = self.store.remove_file(&root, size)?;
				report.files_removed = report.files_removed.saturating_add(1);
				report.segments_removed = report.segments_removed.saturating_add(segments);
				log::info!(
					target: LOG_TARGET,
					"deleted {segments} segments of file {root:?} ({size} bytes): it is no \
					 longer on chain"
				);
			},
			StoredItem::Blob { root } => {
				let shards = self.store.remove_blob(&root)?;
				report.blobs_removed = report.blobs_removed.saturating_add(1);
				report.shards_removed = report.shards_removed.saturating_add(u64::from(shards));
				let reason = match why {
					Unwanted::Gone => "it expired uncertified or its retention ended",
					Unwanted::OtherQuorum => {
						"it went to a quorum with no DA key of this node (staged for another)"
					},
				};
				log::info!(target: LOG_TARGET, "deleted {shards} shards of blob {root:?}: {reason}");
			},
			StoredItem::Shard { root, index } => {
				let removed = self.store.remove_shards(&root, &[index])?;
				report.shards_removed = report.shards_removed.saturating_add(u64::from(removed));
				log::info!(
					target: LOG_TARGET,
					"deleted shard {index} of blob {root:?}: this node's DA keys hold other shards \
					 of it (staged for the quorum it did not get)"
				);
			},
		}
		Ok(())
	}
}

/// The chain of a client, at its best and its finalized block, and the node's DA keys.
pub struct ClientRetention<C> {
	client: Arc<C>,
	keystore: KeystorePtr,
	/// The pallets the runtime has: one it lacks is not asked (it commits to nothing).
	services: ZeroGServices,
}

impl<C> ClientRetention<C>
where
	C: HeaderBackend<Block>,
{
	/// The best and the finalized block, once if they are the same.
	fn blocks(&self) -> Vec<H256> {
		let info = self.client.info();
		let mut blocks = vec![info.best_hash];
		if info.finalized_hash != info.best_hash {
			blocks.push(info.finalized_hash);
		}
		blocks
	}
}

impl<C> Retention for ClientRetention<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: StorageCommitmentsApi<Block, AccountId, BlockNumber>
		+ DaAttestationsApi<Block, AccountId, Balance, BlockNumber>,
{
	fn file_is_live(&self, root: &H256, size: u64) -> Result<bool, String> {
		if !self.services.storage {
			return Ok(false);
		}
		for at in self.blocks() {
			if live_files_at(&*self.client, at, root)?.iter().any(|file| file.size == size) {
				return Ok(true);
			}
		}
		Ok(false)
	}

	fn blob_retention(&self, commitment: &BlobCommitment) -> Result<BlobRetention, String> {
		if !self.services.da {
			return Ok(BlobRetention::Unknown);
		}
		let best = self.client.info().best_hash;
		if blob_at(&*self.client, best, commitment)?.is_some() {
			// Whose it is, judged at the best block (where `local_shards` looks): a node
			// without DA keys keeps what it holds.
			let chain = BestBlock::with_keystore(self.client.clone(), self.keystore.clone());
			if chain.local_accounts(pallet_da_attestations::KEY_TYPE).is_empty() {
				return Ok(BlobRetention::Keep);
			}
			return Ok(match chain.local_shards(commitment)? {
				Some(local) => BlobRetention::KeepShards(local.indices),
				None => BlobRetention::NotHeldHere,
			});
		}
		// Known only at the finalized block: a reorg took it out of the best chain for now.
		for at in self.blocks() {
			if blob_at(&*self.client, at, commitment)?.is_some() {
				return Ok(BlobRetention::Keep);
			}
		}
		Ok(BlobRetention::Unknown)
	}
}

/// When sweeps run: every `interval` finalized blocks, never while the node is syncing.
#[derive(Clone, Copy, Debug)]
pub struct SweepSchedule {
	interval: BlockNumber,
	next: BlockNumber,
}

impl SweepSchedule {
	/// The first sweep `interval` blocks after `finalized`.
	pub fn new(interval: BlockNumber, finalized: BlockNumber) -> Self {
		Self { interval, next: finalized.saturating_add(interval) }
	}

	/// Whether to sweep now that `finalized` is final; if so, the next sweep is `interval` blocks
	/// later. While `syncing`, a due sweep waits (for the first finalized block after the sync).
	pub fn is_due(&mut self, finalized: BlockNumber, syncing: bool) -> bool {
		if finalized < self.next || syncing {
			return false;
		}
		self.next = finalized.saturating_add(self.interval);
		true
	}
}

/// Sweeps `store` every `interval` finalized blocks of `client`, for as long as the node runs,
/// except while `sync` says the node is catching up (the sweep then runs once it has).
/// A sweep reads the store and calls the runtime: run this on a blocking task.
pub async fn run<C, S>(
	client: Arc<C>,
	store: Arc<DataStore>,
	keystore: KeystorePtr,
	sync: Arc<S>,
	interval: BlockNumber,
	services: ZeroGServices,
) where
	C: BlockchainEvents<Block>
		+ ProvideRuntimeApi<Block>
		+ HeaderBackend<Block>
		+ Send
		+ Sync
		+ 'static,
	S: SyncOracle + ?Sized,
	C::Api: StorageCommitmentsApi<Block, AccountId, BlockNumber>
		+ DaAttestationsApi<Block, AccountId, Balance, BlockNumber>,
{
	let mut finality = client.finality_notification_stream();
	let mut pruner =
		Pruner::new(store, ClientRetention { client: client.clone(), keystore, services });
	let mut schedule = SweepSchedule::new(interval, client.info().finalized_number);
	log::info!(
		target: LOG_TARGET,
		"deleting data the chain no longer commits to, every {interval} finalized blocks"
	);
	while let Some(notification) = finality.next().await {
		let finalized = notification.header.number;
		if !schedule.is_due(finalized, sync.is_major_syncing()) {
			continue;
		}
		match pruner.sweep() {
			Ok(report) if report.files_removed > 0 || report.blobs_removed > 0 => log::info!(
				target: LOG_TARGET,
				"sweep at #{finalized}: deleted {} files ({} segments) and {} blobs ({} shards); \
				 {} more unknown to the chain",
				report.files_removed,
				report.segments_removed,
				report.blobs_removed,
				report.shards_removed,
				report.suspects,
			),
			Ok(report) => log::debug!(
				target: LOG_TARGET,
				"sweep at #{finalized}: nothing deleted; {} unknown to the chain",
				report.suspects
			),
			Err(error) => {
				log::warn!(target: LOG_TARGET, "sweep at #{finalized} stopped: {error}")
			},
		}
	}
}

#[cfg(test)]
mod tests;
