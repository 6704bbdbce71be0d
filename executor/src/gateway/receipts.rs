//! Durable receipts: every admitted request's cap receipt, the metered receipt once served, the
//! user's countersignature, and the settlement outcome, one JSON file per (user, nonce) in
//! `DATA_DIR/receipts/<user hex>/<nonce>.json`, replaced atomically on every change.
//!
//! A receipt goes `pending` (admitted, backend answering) → `served` (metered; settles as the
//! countersigned metered receipt, or as the cap receipt once the grace period is over) →
//! `submitted` (in a `settle_receipts` transaction) → `final` (the pallet's outcome). A request
//! the backend could not answer is `void` and never billed. Only non-final records are kept in
//! memory; final ones stay on disk for audit, and the highest nonce of each user is remembered so
//! a nonce is never accepted twice.

use crate::{
	chain::SubAccountView,
	durable,
	encoding::{account, scale_hex, scale_hex_option},
	gateway::auth::AuthError,
	jobs::state::unix_now,
	receipt::{signature_that_verifies, InferenceReceipt, SignedReceipt},
};
use polkadot_sdk::{
	sp_core::H256,
	sp_runtime::{AccountId32, MultiSignature},
};
use serde::{Deserialize, Serialize};
use std::{
	collections::{BTreeMap, HashMap},
	io,
	path::{Path, PathBuf},
	sync::Mutex,
	time::Duration,
};

/// Where a receipt is in its life.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ReceiptState {
	/// Admitted; the backend is answering.
	Pending,
	/// Served and metered; waiting for the countersignature or the end of the grace period.
	Served,
	/// Never billed: the backend failed, or the executor stopped while it was answering.
	Void {
		/// Why.
		reason: String,
	},
	/// Sent in a `settle_receipts` transaction whose outcome is not recorded yet.
	Submitted,
	/// Settlement done: the pallet's `ReceiptOutcome` name, or `NonceConsumed` when the chain's
	/// nonce had already passed this receipt (settled before a restart, or skipped).
	Final {
		/// The outcome.
		outcome: String,
	},
}

/// Which of a request's two receipts settles it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ReceiptKind {
	/// The cap receipt of the request headers: the max fee.
	Cap,
	/// The countersigned metered receipt: the metered fee.
	Metered,
}

/// Everything kept about one request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReceiptRecord {
	/// The paying user.
	#[serde(with = "account")]
	pub user: AccountId32,
	/// The request's nonce.
	pub nonce: u64,
	/// The service that served it.
	pub service: u64,
	/// The cap receipt and the user's signature from the request headers (SCALE hex).
	#[serde(with = "scale_hex")]
	pub cap: SignedReceipt,
	/// The metered receipt, once served (SCALE hex).
	#[serde(with = "scale_hex_option", default)]
	pub metered: Option<InferenceReceipt>,
	/// The user's signature over the metered receipt (SCALE hex `MultiSignature`).
	#[serde(with = "scale_hex_option", default)]
	pub metered_signature: Option<MultiSignature>,
	/// The receipt sent for settlement, once submitted.
	#[serde(default)]
	pub settled_with: Option<ReceiptKind>,
	/// Where it stands.
	pub state: ReceiptState,
	/// Unix time (seconds) it was admitted.
	pub created_at: u64,
	/// Unix time (seconds) it was served.
	#[serde(default)]
	pub served_at: Option<u64>,
	/// Settle without waiting for the countersignature: the user asked for a refund.
	#[serde(default)]
	pub settle_now: bool,
}

impl ReceiptRecord {
	/// The receipt that settles this request now: the metered one once countersigned, else the
	/// cap.
	fn best_receipt(&self) -> (SignedReceipt, ReceiptKind) {
		match (&self.metered, &self.metered_signature) {
			(Some(receipt), Some(signature)) => (
				SignedReceipt { receipt: receipt.clone(), signature: signature.clone() },
				ReceiptKind::Metered,
			),
			_ => (self.cap.clone(), ReceiptKind::Cap),
		}
	}

	/// What this request may still cost the user on chain.
	pub fn owed(&self) -> u128 {
		match self.state {
			ReceiptState::Pending | ReceiptState::Served | ReceiptState::Submitted => {
				self.best_receipt().0.receipt.fee
			},
			ReceiptState::Void { .. } | ReceiptState::Final { .. } => 0,
		}
	}

	/// Whether nothing will happen to this record any more.
	fn is_closed(&self) -> bool {
		matches!(self.state, ReceiptState::Void { .. } | ReceiptState::Final { .. })
	}
}

/// One receipt ready for settlement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadyReceipt {
	/// Its user.
	pub user: AccountId32,
	/// Its nonce.
	pub nonce: u64,
	/// Which receipt it is.
	pub kind: ReceiptKind,
	/// The receipt and signature to submit.
	pub signed: SignedReceipt,
}

/// Receipts of one service, at most a batch, each user's in nonce order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Batch {
	/// The service all receipts name.
	pub service: u64,
	/// The receipts.
	pub receipts: Vec<ReadyReceipt>,
}

/// Why a countersignature was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CountersignError {
	/// No open request of this user has this nonce.
	Unknown,
	/// The request is not (or no longer) waiting for a countersignature.
	NotServed(String),
	/// The signature is not the user's over the metered receipt.
	BadSignature,
	/// The record could not be written.
	Storage(String),
}

impl std::fmt::Display for CountersignError {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		match self {
			Self::Unknown => write!(f, "no open request of this account has this nonce"),
			Self::NotServed(state) => {
				write!(f, "the request cannot be countersigned: it is {state}")
			},
			Self::BadSignature => write!(
				f,
				"the signature is not the account's over the SCALE-encoded metered receipt"
			),
			Self::Storage(reason) => {
				write!(f, "the countersignature could not be stored: {reason}")
			},
		}
	}
}

/// The in-memory view of the store.
#[derive(Default)]
struct Index {
	/// Highest nonce admitted per user, whatever became of it.
	last_nonce: HashMap<AccountId32, u64>,
	/// Records that are not closed, by user and nonce.
	open: BTreeMap<AccountId32, BTreeMap<u64, ReceiptRecord>>,
}

/// The receipt store of a data directory.
pub struct ReceiptStore {
	directory: PathBuf,
	index: Mutex<Index>,
}

impl ReceiptStore {
	/// Opens (creating if needed) `DATA_DIR/receipts` and loads it. Requests that were being
	/// answered when the executor stopped become `void`: the user may never have got the answer.
	/// A record that does not decode is set aside (`durable::read_json_or_set_aside`); its nonce,
	/// read from the file's name, stays used.
	pub fn open(data_dir: &Path) -> io::Result<Self> {
		let directory = data_dir.join("receipts");
		std::fs::create_dir_all(&directory)?;
		let store = Self { directory, index: Mutex::new(Index::default()) };
		let mut index = Index::default();
		for user_dir in std::fs::read_dir(&store.directory)? {
			let user_dir = user_dir?.path();
			if !user_dir.is_dir() {
				continue;
			}
			for entry in std::fs::read_dir(&user_dir)? {
				let path = entry?.path();
				if !durable::is_record(&path) {
					continue;
				}
				let Some(mut record) = durable::read_json_or_set_aside::<ReceiptRecord>(&path)?
				else {
					// The record is lost, but its name still says whose nonce it was: keep that
					// nonce used, so the user cannot be served a second time under it.
					if let Some((user, nonce)) = user_and_nonce_of(&path) {
						let last = index.last_nonce.entry(user).or_default();
						*last = (*last).max(nonce);
					}
					continue;
				};
				if record.state == ReceiptState::Pending {
					record.state = ReceiptState::Void {
						reason: "the executor stopped while the backend was answering".into(),
					};
					durable::write_json(&path, &record)?;
				}
				let last = index.last_nonce.entry(record.user.clone()).or_default();
				*last = (*last).max(record.nonce);
				if !record.is_closed() {
					index.open.entry(record.user.clone()).or_default().insert(record.nonce, record);
				}
			}
		}
		*store.lock() = index;
		Ok(store)
	}

	/// Admits a request: its nonce must be above every nonce of the user seen here or settled
	/// on chain, and the user's sub-account must cover its max fee on top of everything not yet
	/// settled. Records the cap receipt as `pending` before anything is served.
	pub fn admit(&self, cap: SignedReceipt, chain: SubAccountView) -> Result<(), AuthError> {
		let receipt = &cap.receipt;
		let mut index = self.lock();
		let seen = index.last_nonce.get(&receipt.user).copied().unwrap_or(0);
		let last = seen.max(chain.last_nonce);
		if receipt.nonce <= last {
			return Err(AuthError::StaleNonce { nonce: receipt.nonce, last });
		}
		let owed = index
			.open
			.get(&receipt.user)
			.map(|records| {
				records.values().map(ReceiptRecord::owed).fold(0u128, u128::saturating_add)
			})
			.unwrap_or(0);
		let needed = owed.saturating_add(receipt.fee);
		if needed > chain.balance {
			return Err(AuthError::InsufficientFunds { needed, balance: chain.balance });
		}
		let record = ReceiptRecord {
			user: receipt.user.clone(),
			nonce: receipt.nonce,
			service: receipt.service,
			cap: cap.clone(),
			metered: None,
			metered_signature: None,
			settled_with: None,
			state: ReceiptState::Pending,
			created_at: unix_now(),
			served_at: None,
			settle_now: false,
		};
		durable::write_json(&self.path(&record.user, record.nonce), &record)
			.map_err(|error| AuthError::Storage(error.to_string()))?;
		index.last_nonce.insert(record.user.clone(), record.nonce);
		index.open.entry(record.user.clone()).or_default().insert(record.nonce, record);
		Ok(())
	}

	/// Records the metered receipt of a served request.
	pub fn serve(
		&self,
		user: &AccountId32,
		nonce: u64,
		metered: InferenceReceipt,
	) -> io::Result<()> {
		self.change(user, nonce, |record| {
			record.metered = Some(metered);
			record.state = ReceiptState::Served;
			record.served_at = Some(unix_now());
		})
	}

	/// Marks a request that was not served: it is never billed.
	pub fn void(&self, user: &AccountId32, nonce: u64, reason: &str) -> io::Result<()> {
		self.change(user, nonce, |record| {
			record.state = ReceiptState::Void { reason: reason.into() }
		})
	}

	/// Stores the user's signature over the metered receipt of request `nonce`, which then
	/// settles instead of the cap receipt. Returns the metered receipt. Countersigning again with
	/// a valid signature is accepted and changes nothing of substance.
	pub fn countersign(
		&self,
		user: &AccountId32,
		nonce: u64,
		signature: &[u8],
		genesis_hash: &H256,
	) -> Result<InferenceReceipt, CountersignError> {
		let mut index = self.lock();
		let record = index
			.open
			.get(user)
			.and_then(|records| records.get(&nonce))
			.ok_or(CountersignError::Unknown)?;
		let metered = match (&record.state, &record.metered) {
			(ReceiptState::Served, Some(metered)) => metered.clone(),
			(ReceiptState::Pending, _) => {
				return Err(CountersignError::NotServed("still being served".into()))
			},
			(ReceiptState::Submitted, _) => {
				return Err(CountersignError::NotServed("already submitted for settlement".into()))
			},
			(state, _) => return Err(CountersignError::NotServed(format!("{state:?}"))),
		};
		let signature =
			signature_that_verifies(signature, &metered.signing_payload(genesis_hash), user)
				.ok_or(CountersignError::BadSignature)?;
		let mut updated = record.clone();
		updated.metered_signature = Some(signature);
		durable::write_json(&self.path(user, nonce), &updated)
			.map_err(|error| CountersignError::Storage(error.to_string()))?;
		Self::put(&mut index, updated);
		Ok(metered)
	}

	/// The receipts ready for settlement at `now` (Unix seconds), as batches of one service and
	/// at most `max_batch` receipts. For each user only the leading run of ready receipts is
	/// taken, in nonce order: settling a later nonce first would make the earlier one
	/// unsettlable, so a request still pending or inside its grace period holds back the user's
	/// later ones (void ones hold back nothing). A run also stops where the service changes.
	pub fn ready_batches(&self, now: u64, grace: Duration, max_batch: usize) -> Vec<Batch> {
		let index = self.lock();
		let mut by_service: BTreeMap<u64, Vec<ReadyReceipt>> = BTreeMap::new();
		for (user, records) in &index.open {
			let mut run_service = None;
			for record in records.values() {
				let ready = match (&record.state, record.served_at) {
					(ReceiptState::Served, Some(served_at)) => {
						let (signed, kind) = record.best_receipt();
						let grace_over =
							record.settle_now || now >= served_at.saturating_add(grace.as_secs());
						(kind == ReceiptKind::Metered || grace_over).then_some((signed, kind))
					},
					(ReceiptState::Void { .. }, _) => continue,
					_ => None,
				};
				let Some((signed, kind)) = ready else { break };
				if *run_service.get_or_insert(record.service) != record.service {
					break;
				}
				by_service.entry(record.service).or_default().push(ReadyReceipt {
					user: user.clone(),
					nonce: record.nonce,
					kind,
					signed,
				});
			}
		}
		by_service
			.into_iter()
			.flat_map(|(service, receipts)| {
				receipts
					.chunks(max_batch.max(1))
					.map(|chunk| Batch { service, receipts: chunk.to_vec() })
					.collect::<Vec<_>>()
			})
			.collect()
	}

	/// How many receipts [`ReceiptStore::ready_batches`] would hand out.
	pub fn ready_count(&self, now: u64, grace: Duration) -> usize {
		self.ready_batches(now, grace, usize::MAX).iter().map(|batch| batch.receipts.len()).sum()
	}

	/// Marks receipts as sent for settlement, before the transaction goes out, so a restart
	/// knows to check the chain before sending them again.
	pub fn mark_submitted(&self, receipts: &[ReadyReceipt]) -> io::Result<()> {
		for ready in receipts {
			self.change(&ready.user, ready.nonce, |record| {
				record.state = ReceiptState::Submitted;
				record.settled_with = Some(ready.kind);
			})?;
		}
		Ok(())
	}

	/// Records the final outcome of a receipt.
	pub fn finish(&self, user: &AccountId32, nonce: u64, outcome: &str) -> io::Result<()> {
		self.change(user, nonce, |record| {
			record.state = ReceiptState::Final { outcome: outcome.into() }
		})
	}

	/// Puts a submitted receipt whose transaction did not land back in line for settlement.
	pub fn resubmittable(&self, user: &AccountId32, nonce: u64) -> io::Result<()> {
		self.change(user, nonce, |record| {
			record.state = ReceiptState::Served;
			record.settled_with = None;
		})
	}

	/// The submitted receipts whose outcome is unknown, as (user, nonce).
	pub fn submitted(&self) -> Vec<(AccountId32, u64)> {
		let index = self.lock();
		index
			.open
			.iter()
			.flat_map(|(user, records)| {
				records
					.values()
					.filter(|record| record.state == ReceiptState::Submitted)
					.map(move |record| (user.clone(), record.nonce))
			})
			.collect()
	}

	/// The record of request `nonce` of `user`, open or closed.
	pub fn get(&self, user: &AccountId32, nonce: u64) -> Option<ReceiptRecord> {
		if let Some(record) = self.lock().open.get(user).and_then(|records| records.get(&nonce)) {
			return Some(record.clone());
		}
		durable::read_json(&self.path(user, nonce)).ok()
	}

	/// What `user` may still owe on chain for requests here.
	pub fn owed(&self, user: &AccountId32) -> u128 {
		self.lock()
			.open
			.get(user)
			.map(|records| {
				records.values().map(ReceiptRecord::owed).fold(0u128, u128::saturating_add)
			})
			.unwrap_or(0)
	}

	/// Applies `update` to the open record of (`user`, `nonce`) and stores it; a record that
	/// becomes closed leaves memory.
	fn change(
		&self,
		user: &AccountId32,
		nonce: u64,
		update: impl FnOnce(&mut ReceiptRecord),
	) -> io::Result<()> {
		let mut index = self.lock();
		let mut record =
			index.open.get(user).and_then(|records| records.get(&nonce)).cloned().ok_or_else(
				|| io::Error::new(io::ErrorKind::NotFound, format!("no open receipt {nonce}")),
			)?;
		update(&mut record);
		durable::write_json(&self.path(user, nonce), &record)?;
		Self::put(&mut index, record);
		Ok(())
	}

	/// Makes every open receipt of `user` settle at the next round, countersigned or not (the
	/// user is taking its funds back); returns how many there are.
	pub fn settle_now(&self, user: &AccountId32) -> io::Result<usize> {
		let mut index = self.lock();
		let waiting: Vec<ReceiptRecord> = index
			.open
			.get(user)
			.map(|records| records.values().filter(|record| !record.settle_now).cloned().collect())
			.unwrap_or_default();
		for mut record in waiting.iter().cloned() {
			record.settle_now = true;
			durable::write_json(&self.path(user, record.nonce), &record)?;
			Self::put(&mut index, record);
		}
		Ok(waiting.len())
	}

	/// Deletes the records of closed receipts (settled, refused or void) last written before
	/// `cutoff`, keeping each user's highest nonce so a restarted executor still refuses the
	/// nonces it used. Returns how many were removed.
	pub fn prune(&self, cutoff: std::time::SystemTime) -> io::Result<usize> {
		let index = self.lock();
		let mut removed = 0;
		for user_dir in std::fs::read_dir(&self.directory)? {
			let user_dir = user_dir?.path();
			if !user_dir.is_dir() {
				continue;
			}
			let mut records: Vec<(u64, PathBuf)> = std::fs::read_dir(&user_dir)?
				.filter_map(|entry| entry.ok().map(|entry| entry.path()))
				.filter(|path| durable::is_record(path))
				.filter_map(|path| user_and_nonce_of(&path).map(|(_, nonce)| (nonce, path)))
				.collect();
			records.sort();
			records.pop();
			for (nonce, path) in records {
				let open = user_and_nonce_of(&path).is_some_and(|(user, _)| {
					index.open.get(&user).is_some_and(|open| open.contains_key(&nonce))
				});
				let modified = std::fs::metadata(&path).and_then(|metadata| metadata.modified())?;
				if !open && modified < cutoff {
					std::fs::remove_file(&path)?;
					removed += 1;
				}
			}
		}
		Ok(removed)
	}

	/// Puts `record` in the index, or takes it out once closed.
	fn put(index: &mut Index, record: ReceiptRecord) {
		let records = index.open.entry(record.user.clone()).or_default();
		if record.is_closed() {
			records.remove(&record.nonce);
			if records.is_empty() {
				index.open.remove(&record.user);
			}
		} else {
			records.insert(record.nonce, record);
		}
	}

	/// Where the record of (`user`, `nonce`) lives; zero-padded so files sort by nonce.
	fn path(&self, user: &AccountId32, nonce: u64) -> PathBuf {
		// `user_and_nonce_of` reads these names back.
		self.directory
			.join(zerog_primitives::hex::to_hex(user.as_ref()))
			.join(format!("{nonce:020}.json"))
	}

	/// The index; every change is written to disk before it is applied, so a poisoned lock still
	/// guards consistent data.
	fn lock(&self) -> std::sync::MutexGuard<'_, Index> {
		self.index.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
	}
}

/// The user and nonce of a record path written by `ReceiptStore::path`
/// (`<hex account>/<nonce>.json`).
fn user_and_nonce_of(path: &Path) -> Option<(AccountId32, u64)> {
	let nonce = path.file_stem()?.to_str()?.parse().ok()?;
	let user = path.parent()?.file_name()?.to_str()?;
	let user = zerog_primitives::hex::decode_array::<32>(user).ok()?;
	Some((AccountId32::new(user), nonce))
}

#[cfg(test)]
pub(crate) mod tests {
	use super::*;
	use polkadot_sdk::sp_core::{sr25519, Pair, H256};

	pub(crate) fn user_pair(seed: u8) -> sr25519::Pair {
		sr25519::Pair::from_seed(&[seed; 32])
	}

	/// A cap receipt of `pair` for `nonce`, signed.
	pub(crate) fn signed_cap(
		pair: &sr25519::Pair,
		service: u64,
		nonce: u64,
		fee: u128,
	) -> SignedReceipt {
		let receipt = InferenceReceipt {
			user: pair.public().into(),
			provider: crate::testing::provider(),
			service,
			nonce,
			input_tokens: 1_000,
			output_tokens: 1_000,
			fee,
			request_hash: H256([nonce as u8; 32]),
		};
		let signature = pair.sign(&receipt.signing_payload(crate::testing::genesis_hash())).into();
		SignedReceipt { receipt, signature }
	}

	fn metered(cap: &SignedReceipt, fee: u128) -> InferenceReceipt {
		InferenceReceipt { input_tokens: 3, output_tokens: 4, fee, ..cap.receipt.clone() }
	}

	fn funded(balance: u128) -> SubAccountView {
		SubAccountView { balance, last_nonce: 0, refund_pending: false }
	}

	#[test]
	fn nonces_must_increase_and_funds_cover_unsettled_fees() {
		let dir = tempfile::tempdir().unwrap();
		let store = ReceiptStore::open(dir.path()).unwrap();
		let alice = user_pair(1);
		store.admit(signed_cap(&alice, 0, 1, 60), funded(100)).unwrap();
		assert_eq!(
			store.admit(signed_cap(&alice, 0, 1, 10), funded(100)),
			Err(AuthError::StaleNonce { nonce: 1, last: 1 })
		);
		// 60 is still owed, so 50 more does not fit in 100.
		assert_eq!(
			store.admit(signed_cap(&alice, 0, 2, 50), funded(100)),
			Err(AuthError::InsufficientFunds { needed: 110, balance: 100 })
		);
		// The chain's nonce counts too.
		assert_eq!(
			store.admit(
				signed_cap(&alice, 0, 5, 1),
				SubAccountView { balance: 100, last_nonce: 7, refund_pending: false }
			),
			Err(AuthError::StaleNonce { nonce: 5, last: 7 })
		);
		// Served and countersigned for less, only the metered fee is owed.
		let cap = signed_cap(&alice, 0, 1, 60);
		store.serve(&cap.receipt.user, 1, metered(&cap, 20)).unwrap();
		let signature =
			alice.sign(&metered(&cap, 20).signing_payload(crate::testing::genesis_hash()));
		store
			.countersign(&cap.receipt.user, 1, &signature.0, &crate::testing::genesis_hash())
			.unwrap();
		assert_eq!(store.owed(&cap.receipt.user), 20);
		store.admit(signed_cap(&alice, 0, 2, 80), funded(100)).unwrap();
		// A void request costs nothing.
		store.void(&cap.receipt.user, 2, "backend down").unwrap();
		assert_eq!(store.owed(&cap.receipt.user), 20);
	}

	#[test]
	fn closed_receipts_are_pruned_but_open_ones_and_the_last_nonce_kept() {
		let dir = tempfile::tempdir().unwrap();
		let store = ReceiptStore::open(dir.path()).unwrap();
		let alice = user_pair(1);
		let user: AccountId32 = alice.public().into();
		for nonce in 1..=4 {
			store.admit(signed_cap(&alice, 0, nonce, 1), funded(100)).unwrap();
		}
		store.finish(&user, 1, "Settled").unwrap();
		store.void(&user, 2, "backend down").unwrap();
		store.finish(&user, 4, "Settled").unwrap();
		let later = std::time::SystemTime::now() + Duration::from_secs(60);
		assert_eq!(store.prune(std::time::SystemTime::UNIX_EPOCH).unwrap(), 0);
		// 1 and 2 are closed; 3 is open; 4 is closed but the user's last nonce.
		assert_eq!(store.prune(later).unwrap(), 2);
		assert!(store.get(&user, 1).is_none() && store.get(&user, 2).is_none());
		assert!(store.get(&user, 3).is_some() && store.get(&user, 4).is_some());
		let reopened = ReceiptStore::open(dir.path()).unwrap();
		assert_eq!(
			reopened.admit(signed_cap(&alice, 0, 4, 1), funded(100)),
			Err(AuthError::StaleNonce { nonce: 4, last: 4 })
		);
	}

	#[test]
	fn a_corrupt_receipt_record_is_set_aside_and_its_nonce_stays_used() {
		let dir = tempfile::tempdir().unwrap();
		let alice = user_pair(1);
		let bob = user_pair(2);
		let (alice_path, bob_path) = {
			let store = ReceiptStore::open(dir.path()).unwrap();
			store.admit(signed_cap(&alice, 0, 4, 10), funded(100)).unwrap();
			store.admit(signed_cap(&bob, 0, 1, 10), funded(100)).unwrap();
			(
				store.path(&signed_cap(&alice, 0, 4, 10).receipt.user, 4),
				store.path(&signed_cap(&bob, 0, 1, 10).receipt.user, 1),
			)
		};
		std::fs::write(&alice_path, b"{\"user\": [1, 2").unwrap();
		let store =
			ReceiptStore::open(dir.path()).expect("one bad record does not stop the gateway");
		let mut aside = alice_path.clone().into_os_string();
		aside.push(".corrupt");
		assert!(std::path::Path::new(&aside).exists());
		// Alice's nonce 4 was admitted once: it is not admitted again.
		assert_eq!(
			store.admit(signed_cap(&alice, 0, 4, 10), funded(100)),
			Err(AuthError::StaleNonce { nonce: 4, last: 4 })
		);
		store.admit(signed_cap(&alice, 0, 5, 10), funded(100)).unwrap();
		// Bob's record loaded as before (it was pending, so it is void now).
		assert!(bob_path.exists());
		assert_eq!(
			store.admit(signed_cap(&bob, 0, 1, 10), funded(100)),
			Err(AuthError::StaleNonce { nonce: 1, last: 1 })
		);
	}

	#[test]
	fn countersignatures_must_be_the_users_over_the_metered_receipt() {
		let dir = tempfile::tempdir().unwrap();
		let store = ReceiptStore::open(dir.path()).unwrap();
		let alice = user_pair(1);
		let cap = signed_cap(&alice, 0, 1, 60);
		let user = cap.receipt.user.clone();
		store.admit(cap.clone(), funded(100)).unwrap();
		let good = alice.sign(&metered(&cap, 20).signing_payload(crate::testing::genesis_hash()));
		assert!(matches!(
			store.countersign(&user, 1, &good.0, &crate::testing::genesis_hash()),
			Err(CountersignError::NotServed(_))
		));
		store.serve(&user, 1, metered(&cap, 20)).unwrap();
		let wrong_fee =
			alice.sign(&metered(&cap, 19).signing_payload(crate::testing::genesis_hash()));
		assert_eq!(
			store.countersign(&user, 1, &wrong_fee.0, &crate::testing::genesis_hash()),
			Err(CountersignError::BadSignature)
		);
		let by_bob =
			user_pair(2).sign(&metered(&cap, 20).signing_payload(crate::testing::genesis_hash()));
		assert_eq!(
			store.countersign(&user, 1, &by_bob.0, &crate::testing::genesis_hash()),
			Err(CountersignError::BadSignature)
		);
		assert_eq!(
			store.countersign(&user, 2, &good.0, &crate::testing::genesis_hash()),
			Err(CountersignError::Unknown)
		);
		assert_eq!(
			store.countersign(&user, 1, &good.0, &crate::testing::genesis_hash()),
			Ok(metered(&cap, 20))
		);
	}

	#[test]
	fn batches_keep_nonce_order_and_wait_for_earlier_requests() {
		let dir = tempfile::tempdir().unwrap();
		let store = ReceiptStore::open(dir.path()).unwrap();
		let alice = user_pair(1);
		let user: AccountId32 = alice.public().into();
		for nonce in 1..=4 {
			store.admit(signed_cap(&alice, 0, nonce, 10), funded(1_000)).unwrap();
		}
		let grace = Duration::from_secs(600);
		let now = unix_now();
		// 1 countersigned, 2 served without countersignature, 3 void, 4 served and countersigned.
		for nonce in [1, 2, 4] {
			store.serve(&user, nonce, metered(&signed_cap(&alice, 0, nonce, 10), 5)).unwrap();
		}
		store.void(&user, 3, "backend down").unwrap();
		for nonce in [1, 4] {
			let signature = alice.sign(
				&metered(&signed_cap(&alice, 0, nonce, 10), 5)
					.signing_payload(crate::testing::genesis_hash()),
			);
			store.countersign(&user, nonce, &signature.0, &crate::testing::genesis_hash()).unwrap();
		}
		// Within the grace period, 2 holds back 4.
		let batches = store.ready_batches(now, grace, 10);
		assert_eq!(batches.len(), 1);
		let nonces: Vec<u64> = batches[0].receipts.iter().map(|r| r.nonce).collect();
		assert_eq!(nonces, vec![1]);
		assert_eq!(batches[0].receipts[0].kind, ReceiptKind::Metered);
		// After it, 2 settles as its cap receipt and 3 (void) is skipped.
		let later = now + grace.as_secs() + 1;
		let batches = store.ready_batches(later, grace, 2);
		let all: Vec<(u64, ReceiptKind)> =
			batches.iter().flat_map(|b| b.receipts.iter().map(|r| (r.nonce, r.kind))).collect();
		assert_eq!(
			all,
			vec![(1, ReceiptKind::Metered), (2, ReceiptKind::Cap), (4, ReceiptKind::Metered)]
		);
		assert_eq!(batches.len(), 2, "batches of at most 2");
		assert_eq!(batches[1].receipts[0].signed.receipt.fee, 5);
		assert_eq!(batches[0].receipts[1].signed.receipt.fee, 10);
	}

	#[test]
	fn a_run_stops_where_the_service_changes() {
		let dir = tempfile::tempdir().unwrap();
		let store = ReceiptStore::open(dir.path()).unwrap();
		let alice = user_pair(1);
		let user: AccountId32 = alice.public().into();
		for (nonce, service) in [(1, 0), (2, 1), (3, 0)] {
			let cap = signed_cap(&alice, service, nonce, 10);
			store.admit(cap.clone(), funded(1_000)).unwrap();
			store.serve(&user, nonce, metered(&cap, 5)).unwrap();
		}
		let batches = store.ready_batches(unix_now() + 10_000, Duration::from_secs(1), 10);
		assert_eq!(batches.len(), 1);
		assert_eq!(batches[0].service, 0);
		assert_eq!(batches[0].receipts.len(), 1);
	}

	#[test]
	fn receipts_survive_reopening_and_pending_ones_become_void() {
		let dir = tempfile::tempdir().unwrap();
		let alice = user_pair(1);
		let user: AccountId32 = alice.public().into();
		let cap = signed_cap(&alice, 0, 1, 60);
		{
			let store = ReceiptStore::open(dir.path()).unwrap();
			store.admit(cap.clone(), funded(100)).unwrap();
			store.serve(&user, 1, metered(&cap, 20)).unwrap();
			store.admit(signed_cap(&alice, 0, 2, 30), funded(100)).unwrap();
			store.admit(signed_cap(&alice, 0, 3, 1), funded(100)).unwrap();
			store.serve(&user, 3, metered(&signed_cap(&alice, 0, 3, 1), 1)).unwrap();
			store.finish(&user, 3, "Settled").unwrap();
		}
		let store = ReceiptStore::open(dir.path()).unwrap();
		let served = store.get(&user, 1).unwrap();
		assert_eq!(served.state, ReceiptState::Served);
		assert_eq!(served.cap, cap);
		assert_eq!(served.metered, Some(metered(&cap, 20)));
		assert!(matches!(store.get(&user, 2).unwrap().state, ReceiptState::Void { .. }));
		assert_eq!(
			store.get(&user, 3).unwrap().state,
			ReceiptState::Final { outcome: "Settled".into() }
		);
		// Nonce 3 was used before the restart, so it cannot be used again.
		assert_eq!(
			store.admit(signed_cap(&alice, 0, 3, 1), funded(100)),
			Err(AuthError::StaleNonce { nonce: 3, last: 3 })
		);
		assert_eq!(store.owed(&user), 60);
	}
}
