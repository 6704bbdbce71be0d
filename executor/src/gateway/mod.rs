//! The OpenAI-compatible inference gateway: signed requests in, metered receipts out, receipts
//! settled on chain in batches. The protocol is described in the crate docs.

pub mod auth;
pub mod metering;
pub mod proxy;
pub mod receipts;
pub mod settlement;
pub mod stream;

use crate::chain::{Chain, ChainError, ServiceView};
use proxy::Backend;
use receipts::ReceiptStore;
use std::{
	collections::HashMap,
	sync::{
		atomic::{AtomicUsize, Ordering},
		Arc, Mutex,
	},
	time::{Duration, Instant},
};
use tokio::sync::Notify;

/// How long a service read from chain is reused: prices rarely change, and a stale price only
/// risks a `FeeAbovePrice` outcome for receipts made right after a price cut.
const SERVICE_CACHE_TTL: Duration = Duration::from_secs(6);

/// Most services the cache holds; requests name any id they like.
pub const MAX_CACHED_SERVICES: usize = 1024;

/// How the gateway bills and settles.
#[derive(Clone, Debug)]
pub struct GatewayConfig {
	/// How long after serving a request the gateway waits for the user's countersignature
	/// before it settles the cap receipt instead.
	pub countersign_grace: Duration,
	/// Time between settlement rounds.
	pub settle_interval: Duration,
	/// Most receipts per `settle_receipts`; 0 means the runtime's `MaxReceiptsPerBatch`.
	pub batch_size: u32,
}

/// Time allowed for a settlement transaction to be included and finalized.
const SETTLEMENT_MARGIN: Duration = Duration::from_secs(60);

impl GatewayConfig {
	/// Refuses settings under which a user could claim a refund before the gateway settles
	/// what it served: a receipt waits up to `countersign_grace`, then up to `settle_interval`
	/// for a round, then about a minute to be finalized, and all of it must end before a refund
	/// requested right after the request unlocks (`lock_blocks` of 2 s). Otherwise the user is
	/// served, never countersigns, and takes the funds that should have paid the cap receipt.
	pub fn check_refund_lock(&self, lock_blocks: u32) -> Result<(), String> {
		let lock = Duration::from_millis(
			u64::from(lock_blocks).saturating_mul(zerog_primitives::units::MILLI_SECS_PER_BLOCK),
		);
		let settled_within = self.countersign_grace + self.settle_interval + SETTLEMENT_MARGIN;
		if settled_within >= lock {
			return Err(format!(
				"--countersign-grace-secs ({}) + the settle interval ({}) + {} s to finalize \
				 must stay below the chain's refund lock ({} s), or users can claim refunds \
				 before their receipts settle",
				self.countersign_grace.as_secs(),
				self.settle_interval.as_secs(),
				SETTLEMENT_MARGIN.as_secs(),
				lock.as_secs()
			));
		}
		Ok(())
	}
}

/// The gateway's state, shared by the HTTP handlers and the settlement task.
pub struct Gateway {
	pub(crate) chain: Arc<dyn Chain>,
	pub(crate) receipts: ReceiptStore,
	pub(crate) backend: Backend,
	pub(crate) config: GatewayConfig,
	/// The chain's genesis hash: part of every receipt signature (see `receipt`).
	pub(crate) genesis_hash: polkadot_sdk::sp_core::H256,
	/// Services read recently, with when they were read.
	services: Mutex<HashMap<u64, (Instant, Option<ServiceView>)>>,
	/// The batch size in force, once the settlement task knows it (0 before).
	batch_size: AtomicUsize,
	/// Wakes the settlement task early when a full batch is ready.
	settle_now: Notify,
}

impl Gateway {
	/// A gateway forwarding to `backend` and keeping receipts in `receipts`.
	pub fn new(
		chain: Arc<dyn Chain>,
		receipts: ReceiptStore,
		backend: Backend,
		config: GatewayConfig,
	) -> Arc<Self> {
		Arc::new(Self {
			genesis_hash: chain.genesis_hash(),
			chain,
			receipts,
			backend,
			config,
			services: Default::default(),
			batch_size: AtomicUsize::new(0),
			settle_now: Notify::new(),
		})
	}

	/// The receipt store.
	pub fn receipts(&self) -> &ReceiptStore {
		&self.receipts
	}

	/// Service `id` from chain, cached for a few seconds.
	pub(crate) async fn service(&self, id: u64) -> Result<Option<ServiceView>, ChainError> {
		if let Some((read_at, service)) = self.lock_services().get(&id) {
			if read_at.elapsed() < SERVICE_CACHE_TTL {
				return Ok(service.clone());
			}
		}
		let service = self.chain.service(id).await?;
		let mut cache = self.lock_services();
		if cache.len() >= MAX_CACHED_SERVICES {
			// Strangers choose the ids they ask for: the cache keeps fresh entries only, and
			// never more than its bound.
			cache.retain(|_, (read_at, _)| read_at.elapsed() < SERVICE_CACHE_TTL);
			if cache.len() >= MAX_CACHED_SERVICES {
				cache.clear();
			}
		}
		cache.insert(id, (Instant::now(), service.clone()));
		Ok(service)
	}

	/// How many services the cache holds.
	pub fn cached_services(&self) -> usize {
		self.lock_services().len()
	}

	/// Called when a receipt may have become ready: wakes the settlement task if a whole batch
	/// is waiting.
	pub(crate) fn note_ready_receipt(&self) {
		let batch_size = self.batch_size.load(Ordering::Relaxed);
		if batch_size == 0 {
			return;
		}
		let now = crate::jobs::state::unix_now();
		if self.receipts.ready_count(now, self.config.countersign_grace) >= batch_size {
			self.settle_now.notify_one();
		}
	}

	/// Starts a settlement round now, whatever is ready.
	pub(crate) fn wake_settlement(&self) {
		self.settle_now.notify_one();
	}

	/// The service cache; it holds plain data, so a poisoned lock is still usable.
	fn lock_services(
		&self,
	) -> std::sync::MutexGuard<'_, HashMap<u64, (Instant, Option<ServiceView>)>> {
		self.services.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
	}
}

#[cfg(test)]
mod tests;
