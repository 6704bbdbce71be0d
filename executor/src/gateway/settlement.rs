//! Batch settlement: every `settle_interval` (or as soon as a whole batch is ready) the ready
//! receipts go to `ComputeEscrow.settle_receipts`, one service per call and at most a batch per
//! call, and each receipt's outcome from the `ReceiptsSettled` event is recorded.
//!
//! Receipts are marked `submitted` before the transaction is sent. If the executor stops (or the
//! transaction fails) before the outcome is recorded, the next round asks the chain: a receipt
//! whose nonce the user's sub-account has passed is final (`NonceConsumed`) and never sent again;
//! any other goes back in line. A settled receipt is therefore never resent, and a receipt the
//! pallet rejected is not retried (its outcome is final, like the pallet's nonce rule).

use crate::{
	chain::ChainError,
	gateway::{receipts::ReadyReceipt, Gateway},
	jobs::state::unix_now,
};
use polkadot_sdk::sp_runtime::AccountId32;
use std::{
	collections::{BTreeMap, HashMap},
	sync::{atomic::Ordering, Arc},
};

/// Outcome name for a receipt the chain's nonce already passed.
pub const NONCE_CONSUMED: &str = "NonceConsumed";

/// Why a settlement round stopped.
#[derive(Debug)]
pub enum SettlementError {
	/// The chain could not be read or the transaction failed; the round is retried.
	Chain(ChainError),
	/// The receipt store could not be written.
	Store(std::io::Error),
}

impl std::fmt::Display for SettlementError {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		match self {
			Self::Chain(error) => write!(f, "{error}"),
			Self::Store(error) => write!(f, "receipt store: {error}"),
		}
	}
}

impl From<ChainError> for SettlementError {
	fn from(error: ChainError) -> Self {
		Self::Chain(error)
	}
}

impl From<std::io::Error> for SettlementError {
	fn from(error: std::io::Error) -> Self {
		Self::Store(error)
	}
}

/// What one settlement round did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RoundReport {
	/// Receipts sent in `settle_receipts` calls.
	pub submitted: usize,
	/// Receipts the pallet settled.
	pub settled: usize,
	/// Receipts the pallet rejected, or that the chain's nonce had passed.
	pub rejected: usize,
}

/// Runs settlement rounds until the task is dropped.
pub fn spawn(gateway: Arc<Gateway>) -> tokio::task::JoinHandle<()> {
	tokio::spawn(async move {
		loop {
			match settle_round(&gateway).await {
				Ok(report) if report.submitted + report.rejected > 0 => log::info!(
					"settlement: {} receipts submitted, {} settled, {} rejected",
					report.submitted,
					report.settled,
					report.rejected
				),
				Ok(_) => {},
				Err(error) => log::warn!("settlement round failed, retrying later: {error}"),
			}
			tokio::select! {
				_ = tokio::time::sleep(gateway.config.settle_interval) => {},
				_ = gateway.settle_now.notified() => {},
			}
		}
	})
}

/// One round: resolve receipts left `submitted`, then settle every ready batch.
pub async fn settle_round(gateway: &Gateway) -> Result<RoundReport, SettlementError> {
	let batch_size = batch_size(gateway).await?;
	let mut report = RoundReport::default();
	let mut last_nonces: HashMap<AccountId32, u64> = HashMap::new();

	// Receipts sent before without a recorded outcome: the chain's nonce tells.
	let mut unresolved: BTreeMap<AccountId32, Vec<u64>> = BTreeMap::new();
	for (user, nonce) in gateway.receipts.submitted() {
		unresolved.entry(user).or_default().push(nonce);
	}
	for (user, nonces) in unresolved {
		let last_nonce = gateway.chain.sub_account(&user).await?.last_nonce;
		for nonce in nonces {
			if nonce <= last_nonce {
				gateway.receipts.finish(&user, nonce, NONCE_CONSUMED)?;
				report.rejected += 1;
			} else {
				gateway.receipts.resubmittable(&user, nonce)?;
			}
		}
		last_nonces.insert(user, last_nonce);
	}

	let batches =
		gateway.receipts.ready_batches(unix_now(), gateway.config.countersign_grace, batch_size);
	for batch in batches {
		let mut to_send: Vec<ReadyReceipt> = Vec::with_capacity(batch.receipts.len());
		for ready in batch.receipts {
			let last_nonce = match last_nonces.get(&ready.user) {
				Some(last_nonce) => *last_nonce,
				None => {
					let last_nonce = gateway.chain.sub_account(&ready.user).await?.last_nonce;
					last_nonces.insert(ready.user.clone(), last_nonce);
					last_nonce
				},
			};
			if ready.nonce <= last_nonce {
				// Sending it would only earn `BadNonce`.
				gateway.receipts.finish(&ready.user, ready.nonce, NONCE_CONSUMED)?;
				report.rejected += 1;
			} else {
				to_send.push(ready);
			}
		}
		if to_send.is_empty() {
			continue;
		}
		gateway.receipts.mark_submitted(&to_send)?;
		let signed: Vec<_> = to_send.iter().map(|ready| ready.signed.clone()).collect();
		report.submitted += signed.len();
		let outcomes = gateway.chain.settle_receipts(batch.service, &signed).await?;
		for (ready, outcome) in to_send.iter().zip(outcomes) {
			gateway.receipts.finish(&ready.user, ready.nonce, outcome.name())?;
			if outcome == crate::receipt::ReceiptOutcome::Settled {
				report.settled += 1;
				last_nonces.insert(ready.user.clone(), ready.nonce);
			} else {
				log::warn!(
					"receipt {} of {} refused by the chain: {}",
					ready.nonce,
					crate::encoding::format_account(&ready.user),
					outcome.name()
				);
				report.rejected += 1;
			}
		}
	}
	Ok(report)
}

/// The batch size in force: `--batch-size` capped by the runtime's `MaxReceiptsPerBatch`.
async fn batch_size(gateway: &Gateway) -> Result<usize, ChainError> {
	let known = gateway.batch_size.load(Ordering::Relaxed);
	if known > 0 {
		return Ok(known);
	}
	let chain_max = gateway.chain.max_receipts_per_batch().await?.max(1);
	let size = match gateway.config.batch_size {
		0 => chain_max,
		configured => configured.min(chain_max),
	} as usize;
	gateway.batch_size.store(size, Ordering::Relaxed);
	Ok(size)
}
