//! The views of what ZeroG adds to a chain: storage files, DA blobs, compute jobs and services
//! (folded from their finalized events, [`crate::summaries`]), and the EVM side (Ethereum
//! transactions, contracts and their ERC-20 transfers).
//!
//! | page | API | what |
//! |---|---|---|
//! | `/file/{id}` | `/api/files/{id or root}` | a storage file: root, size, owner, providers, expiry, proofs, rewards |
//! | `/blob/{id}` | `/api/blobs/{id or root}` | a DA blob: root, size, quorum, attestations, status |
//! | `/job/{id}` | `/api/jobs/{id}` | a compute job: service, fees, result, status |
//! | `/service/{id}` | `/api/services/{id}` | a compute service: model, prices, verifiability, stake, settled receipts |
//! | `/tx/{hash}` | `/api/eth/transactions/{hash}` | an Ethereum transaction, its receipt, logs and token transfers |
//! | `/contract/{address}` | `/api/contracts/{address}` | a contract: creator, code hash, ERC-20 transfers |

use std::sync::Arc;

use axum::{
	extract::{Path, State},
	response::Html,
	Json,
};
use serde_json::{json, Value};
use zerog_client::compute::state::service as live_service;
use zerog_primitives::hex::{decode_array, to_prefixed_hex};

use super::{as_page, bad_request, not_found, unavailable, Explorer, Failure};
use crate::{
	evm::{Contract, EthLog, EthTransaction, TokenTransfer},
	pages,
	store::{Event, Store},
	subjects::SubjectKind,
	summaries,
};

/// Events a subject's view lists, newest first.
const EVENTS_SHOWN: usize = 50;

/// A file, blob, job or service.
pub struct SubjectView {
	/// `file`, `blob`, `job` or `service`.
	pub kind: SubjectKind,
	/// Its id.
	pub id: u64,
	/// What its events say (see [`crate::summaries`]).
	pub summary: Value,
	/// What the chain says now beyond the events (a service's model and prices), if read.
	pub live: Option<Value>,
	/// Its newest events, newest first.
	pub events: Vec<Event>,
}

/// The file or blob whose newest event names `root`.
pub async fn owner_of_root(
	store: &Store,
	root: &str,
) -> Result<Option<(SubjectKind, u64)>, Failure> {
	let events =
		store.latest_events_about(SubjectKind::Root, root, 1).await.map_err(unavailable)?;
	Ok(events.first().and_then(|event| {
		let kind = match event.pallet.as_str() {
			"StorageCommitments" => SubjectKind::File,
			"DaAttestations" => SubjectKind::Blob,
			_ => return None,
		};
		Some((kind, event.fields.get("id")?.as_u64()?))
	}))
}

/// `id` as a number, or (for files and blobs) the one a root leads to.
async fn resolve(explorer: &Explorer, kind: SubjectKind, id: &str) -> Result<u64, Failure> {
	if let Ok(number) = id.parse::<u64>() {
		return Ok(number);
	}
	if matches!(kind, SubjectKind::File | SubjectKind::Blob) && decode_array::<32>(id).is_ok() {
		return match owner_of_root(&explorer.store, &id.to_ascii_lowercase()).await? {
			Some((found, number)) if found == kind => Ok(number),
			_ => Err(not_found(&format!("no {} with root {id} indexed", kind.name()))),
		};
	}
	Err(bad_request(format!(
		"`{id}` is not a {} id{}",
		kind.name(),
		match kind {
			SubjectKind::File | SubjectKind::Blob => " or root",
			_ => "",
		}
	)))
}

async fn subject_view(
	explorer: &Explorer,
	kind: SubjectKind,
	id: &str,
) -> Result<SubjectView, Failure> {
	let id = resolve(explorer, kind, id).await?;
	let events = explorer.store.events_about(kind, &id.to_string()).await.map_err(unavailable)?;
	let live = match kind {
		SubjectKind::Service => service_now(explorer, id).await,
		_ => None,
	};
	let mut summary = match kind {
		SubjectKind::File => summaries::file(id, &events),
		SubjectKind::Blob => summaries::blob(id, &events),
		SubjectKind::Job => summaries::job(id, &events),
		SubjectKind::Service => summaries::service(id, &events),
		SubjectKind::Root | SubjectKind::Account => None,
	};
	if let (SubjectKind::Service, Some(live)) = (kind, &live) {
		// A service from genesis has no registration event: what it is comes from the chain.
		let summary = summary.get_or_insert_with(|| json!({ "id": id, "jobs": 0 }));
		if summary.get("provider").is_none() {
			for field in ["provider", "kind", "stake"] {
				summary[field] = live[field].clone();
			}
			summary["registered_in"] = json!("genesis");
			summary["status"] = json!("active");
		}
	}
	let summary = summary.ok_or_else(|| {
		not_found(&format!("no {} {id} in the indexed finalized blocks", kind.name()))
	})?;
	let events = events.into_iter().rev().take(EVENTS_SHOWN).collect();
	Ok(SubjectView { kind, id, summary, live, events })
}

/// A service's model, endpoint, prices and verifiability as the chain holds them now.
async fn service_now(explorer: &Explorer, id: u64) -> Option<Value> {
	let chain = explorer.chain().await.ok()?;
	match live_service(&chain, id).await {
		Ok(Some(service)) => Some(json!({
			"provider": to_prefixed_hex(&service.provider),
			"kind": service.kind.name(),
			"model": service.model,
			"endpoint": service.endpoint,
			"input_price": service.input_price.to_string(),
			"output_price": service.output_price.to_string(),
			"verifiability": match service.tee_signer {
				Some(signer) => format!("TEE: receipts signed by enclave key {}", to_prefixed_hex(&signer)),
				None => "user-signed receipts".to_owned(),
			},
			"stake": service.stake.to_string(),
			"open_jobs": service.open_jobs,
		})),
		Ok(None) => None,
		Err(_) => {
			explorer.drop_chain().await;
			None
		},
	}
}

fn subject_json(view: SubjectView) -> Json<Value> {
	Json(json!({
		view.kind.name(): view.summary,
		"now": view.live,
		"events": view.events,
	}))
}

macro_rules! subject_routes {
	($api:ident, $page:ident, $kind:expr) => {
		pub async fn $api(
			State(explorer): State<Arc<Explorer>>,
			Path(id): Path<String>,
		) -> Result<Json<Value>, Failure> {
			subject_view(&explorer, $kind, &id).await.map(subject_json)
		}

		pub async fn $page(
			State(explorer): State<Arc<Explorer>>,
			Path(id): Path<String>,
		) -> Result<Html<String>, Failure> {
			let view = subject_view(&explorer, $kind, &id).await.map_err(as_page)?;
			Ok(Html(pages::domain::subject(&view)))
		}
	};
}

subject_routes!(file_api, file_page, SubjectKind::File);
subject_routes!(blob_api, blob_page, SubjectKind::Blob);
subject_routes!(job_api, job_page, SubjectKind::Job);
subject_routes!(service_api, service_page, SubjectKind::Service);

/// An Ethereum transaction with its logs and token transfers.
pub struct EthTransactionView {
	/// The transaction and its receipt.
	pub transaction: EthTransaction,
	/// Its logs.
	pub logs: Vec<EthLog>,
	/// Its ERC-20 transfers.
	pub token_transfers: Vec<TokenTransfer>,
}

async fn eth_transaction_view(
	explorer: &Explorer,
	hash: &str,
) -> Result<EthTransactionView, Failure> {
	if decode_array::<32>(hash).is_err() {
		return Err(bad_request(format!(
			"`{hash}` is not a transaction hash (0x and 64 hex digits)"
		)));
	}
	let hash = hash.to_ascii_lowercase();
	let store = &explorer.store;
	let transaction = store
		.eth_transaction(&hash)
		.await
		.map_err(unavailable)?
		.ok_or_else(|| not_found(&format!("no Ethereum transaction {hash} indexed")))?;
	let logs = store.eth_logs_of(&hash).await.map_err(unavailable)?;
	let token_transfers = logs.iter().filter_map(crate::evm::token_transfer).collect();
	Ok(EthTransactionView { transaction, logs, token_transfers })
}

pub async fn eth_transaction_api(
	State(explorer): State<Arc<Explorer>>,
	Path(hash): Path<String>,
) -> Result<Json<Value>, Failure> {
	let view = eth_transaction_view(&explorer, &hash).await?;
	Ok(Json(json!({
		"transaction": view.transaction,
		"logs": view.logs,
		"token_transfers": view.token_transfers,
	})))
}

pub async fn eth_transaction_page(
	State(explorer): State<Arc<Explorer>>,
	Path(hash): Path<String>,
) -> Result<Html<String>, Failure> {
	let view = eth_transaction_view(&explorer, &hash).await.map_err(as_page)?;
	Ok(Html(pages::domain::eth_transaction(&view)))
}

/// A contract and the newest ERC-20 transfers of it as a token.
pub struct ContractView {
	/// The contract.
	pub contract: Contract,
	/// Its newest token transfers.
	pub token_transfers: Vec<TokenTransfer>,
}

/// A 20-byte address in lowercase `0x` hex.
pub fn evm_address(address: &str) -> Result<String, Failure> {
	decode_array::<20>(address).map(|bytes| to_prefixed_hex(&bytes)).map_err(|_| {
		bad_request(format!("`{address}` is not an Ethereum address (0x and 40 hex digits)"))
	})
}

async fn contract_view(explorer: &Explorer, address: &str) -> Result<ContractView, Failure> {
	let address = evm_address(address)?;
	let store = &explorer.store;
	let contract = store.contract(&address).await.map_err(unavailable)?.ok_or_else(|| {
		not_found(&format!("no contract created at {address} in the indexed blocks"))
	})?;
	let token_transfers =
		store.token_transfers(Some(&address), None, 50).await.map_err(unavailable)?;
	Ok(ContractView { contract, token_transfers })
}

pub async fn contract_api(
	State(explorer): State<Arc<Explorer>>,
	Path(address): Path<String>,
) -> Result<Json<Value>, Failure> {
	let view = contract_view(&explorer, &address).await?;
	Ok(Json(json!({ "contract": view.contract, "token_transfers": view.token_transfers })))
}

pub async fn contract_page(
	State(explorer): State<Arc<Explorer>>,
	Path(address): Path<String>,
) -> Result<Html<String>, Failure> {
	let view = contract_view(&explorer, &address).await.map_err(as_page)?;
	Ok(Html(pages::domain::contract(&view)))
}
