//! The explorer's HTTP side (axum): a JSON API under `/api/` and the same views as server-rendered
//! pages that need no JavaScript.
//!
//! | page | API | what |
//! |---|---|---|
//! | `/` | `/api/blocks?limit=N`, `/api/status`, `/api/activity?until=N` | latest blocks and signed extrinsics, charts of transactions and storage and DA volume |
//! | `/block/{number or hash}` | `/api/blocks/{id}` | a block, its extrinsics and events |
//! | `/extrinsic/{hash or N-I}` | `/api/extrinsics/{id}` | an extrinsic, its arguments and events |
//! | `/event/{N-I}` | `/api/events/{N-I}` | event `I` of block `N`, with its fields |
//! | `/account/{SS58, 0x32 or 0x20}` | `/api/accounts/{address}` | an account: both forms, balance, extrinsics, transfers |
//! | `/search?q=` | `/api/search?q=` | where a block number or hash, extrinsic or Ethereum transaction hash, address, file or blob root leads |
//!
//! `/validators` and `/api/validators` show the validator set as the chain holds it now.
//! `/market` (`/api/market/assets`) lists models and datasets, `/market/{id}` shows one.
//!
//! Files, blobs, jobs, services, Ethereum transactions and contracts: see [`domain`]; the
//! marketplace's models and datasets: see [`market`].

use std::sync::Arc;

use axum::{
	extract::{Path, Query, State},
	http::{header, StatusCode},
	response::{Html, IntoResponse, Redirect, Response},
	routing::get,
	Json, Router,
};
use serde::Deserialize;
use serde_json::json;
use tokio::sync::Mutex;
use zerog_client::{
	account::{format_account_bytes, parse_any_address, AnyAddress},
	amount::format_zg,
	balances::{account_of_eth_address, free_balance},
	chain::Chain,
	rpc::NodeRpc,
};
use zerog_primitives::hex::{decode_array, to_prefixed_hex};

use crate::{
	evm::{EthTransaction, TokenTransfer},
	pages,
	store::{Activity, Block, Event, Store},
	subjects::SubjectKind,
	validators::{validator_set as validator_set_now, ValidatorSet},
	LOG_TARGET,
};

pub mod domain;
pub mod market;

/// Most rows a list returns.
const MAX_LIMIT: u32 = 100;

/// What the routes share.
pub struct Explorer {
	/// The indexed data.
	pub store: Store,
	/// The node's RPC, for what is not indexed (balances, `0x` address mappings).
	pub node_url: String,
	/// The connection to the node, made when first needed and again after a failure.
	pub chain: Mutex<Option<Arc<Chain>>>,
	/// A plain JSON-RPC connection to the node, for its runtime APIs (the marketplace), made
	/// the same way.
	pub rpc: Mutex<Option<Arc<NodeRpc>>>,
}

impl Explorer {
	/// An explorer over `store`, reading what is not indexed from the node at `node_url`.
	pub fn new(store: Store, node_url: String) -> Self {
		Self { store, node_url, chain: Mutex::new(None), rpc: Mutex::new(None) }
	}

	/// The JSON-RPC connection to the node, connecting if there is none.
	async fn rpc(&self) -> Result<Arc<NodeRpc>, Failure> {
		let mut rpc = self.rpc.lock().await;
		if let Some(rpc) = rpc.as_ref() {
			return Ok(Arc::clone(rpc));
		}
		let connected = Arc::new(
			NodeRpc::connect(&self.node_url).await.map_err(|e| unavailable(e.to_string()))?,
		);
		*rpc = Some(Arc::clone(&connected));
		Ok(connected)
	}

	/// Forgets a JSON-RPC connection that failed, and answers with the failure.
	async fn rpc_failed(&self, error: impl std::fmt::Display) -> Failure {
		*self.rpc.lock().await = None;
		unavailable(error.to_string())
	}

	/// The connection to the node, connecting if there is none.
	async fn chain(&self) -> Result<Arc<Chain>, String> {
		let mut chain = self.chain.lock().await;
		if let Some(chain) = chain.as_ref() {
			return Ok(Arc::clone(chain));
		}
		let connected = Arc::new(Chain::connect(&self.node_url).await.map_err(|e| e.to_string())?);
		*chain = Some(Arc::clone(&connected));
		Ok(connected)
	}

	/// Forgets a connection that failed.
	async fn drop_chain(&self) {
		*self.chain.lock().await = None;
	}
}

/// The routes.
pub fn router(explorer: Arc<Explorer>) -> Router {
	Router::new()
		.route("/", get(home_page))
		.route("/block/{id}", get(block_page))
		.route("/extrinsic/{id}", get(extrinsic_page))
		.route("/event/{id}", get(event_page))
		.route("/account/{address}", get(account_page))
		.route("/file/{id}", get(domain::file_page))
		.route("/blob/{id}", get(domain::blob_page))
		.route("/job/{id}", get(domain::job_page))
		.route("/service/{id}", get(domain::service_page))
		.route("/tx/{hash}", get(domain::eth_transaction_page))
		.route("/contract/{address}", get(domain::contract_page))
		.route("/market", get(market::market_page))
		.route("/market/wallet.js", get(market::wallet_script))
		.route("/market/{id}", get(market::asset_page))
		.route("/validators", get(validators_page))
		.route("/search", get(search_page))
		.route("/api/status", get(status_api))
		.route("/api/blocks", get(blocks_api))
		.route("/api/activity", get(activity_api))
		.route("/api/blocks/{id}", get(block_api))
		.route("/api/extrinsics/{id}", get(extrinsic_api))
		.route("/api/events/{id}", get(event_api))
		.route("/api/accounts/{address}", get(account_api))
		.route("/api/files/{id}", get(domain::file_api))
		.route("/api/blobs/{id}", get(domain::blob_api))
		.route("/api/jobs/{id}", get(domain::job_api))
		.route("/api/services/{id}", get(domain::service_api))
		.route("/api/eth/transactions/{hash}", get(domain::eth_transaction_api))
		.route("/api/contracts/{address}", get(domain::contract_api))
		.route("/api/market/assets", get(market::assets_api))
		.route("/api/market/assets/{id}", get(market::asset_api))
		.route("/api/market/assets/{id}/grants/{address}", get(market::grant_api))
		.route("/api/validators", get(validators_api))
		.route("/api/search", get(search_api))
		.fallback(|| async { not_found("no such page") })
		.with_state(explorer)
}

/// An error answer: JSON for the API, a page for people.
pub struct Failure {
	status: StatusCode,
	message: String,
	html: bool,
}

impl IntoResponse for Failure {
	fn into_response(self) -> Response {
		if self.html {
			(self.status, Html(pages::error(self.status.as_u16(), &self.message))).into_response()
		} else {
			let code = match self.status {
				StatusCode::NOT_FOUND => "not_found",
				StatusCode::BAD_REQUEST => "bad_request",
				_ => "unavailable",
			};
			(self.status, Json(json!({ "error": { "code": code, "message": self.message } })))
				.into_response()
		}
	}
}

fn not_found(message: &str) -> Failure {
	Failure { status: StatusCode::NOT_FOUND, message: message.into(), html: false }
}

fn bad_request(message: String) -> Failure {
	Failure { status: StatusCode::BAD_REQUEST, message, html: false }
}

fn unavailable(message: String) -> Failure {
	log::warn!(target: LOG_TARGET, "{message}");
	Failure { status: StatusCode::SERVICE_UNAVAILABLE, message, html: false }
}

fn as_page(mut failure: Failure) -> Failure {
	failure.html = true;
	failure
}

/// `?limit=N`.
#[derive(Deserialize)]
struct Limit {
	limit: Option<u32>,
}

/// `?q=…`.
#[derive(Deserialize)]
struct SearchQuery {
	q: Option<String>,
}

// ---- what the views show, shared by the API and the pages ----

/// A block and everything in it.
pub struct BlockView {
	/// The block.
	pub block: Block,
	/// Its extrinsics.
	pub extrinsics: Vec<crate::store::Extrinsic>,
	/// Its events.
	pub events: Vec<crate::store::Event>,
	/// Its Ethereum transactions.
	pub eth_transactions: Vec<EthTransaction>,
}

async fn block_view(explorer: &Explorer, id: &str) -> Result<BlockView, Failure> {
	let store = &explorer.store;
	let block = if let Ok(number) = id.parse::<u64>() {
		store.block_by_number(number).await
	} else if decode_array::<32>(id).is_ok() {
		store.block_by_hash(&id.to_ascii_lowercase()).await
	} else {
		return Err(bad_request(format!("`{id}` is neither a block number nor a block hash")));
	}
	.map_err(unavailable)?
	.ok_or_else(|| not_found(&format!("no finalized block {id} indexed")))?;
	let extrinsics = store.extrinsics_of_block(block.number).await.map_err(unavailable)?;
	let events = store.events_of_block(block.number, None).await.map_err(unavailable)?;
	let eth_transactions =
		store.eth_transactions_of_block(block.number).await.map_err(unavailable)?;
	Ok(BlockView { block, extrinsics, events, eth_transactions })
}

/// An extrinsic and its events.
pub struct ExtrinsicView {
	/// The extrinsic.
	pub extrinsic: crate::store::Extrinsic,
	/// Its events.
	pub events: Vec<crate::store::Event>,
}

async fn extrinsic_view(explorer: &Explorer, id: &str) -> Result<ExtrinsicView, Failure> {
	let store = &explorer.store;
	let extrinsic = if let Some((number, position)) = id.split_once('-') {
		match (number.parse(), position.parse()) {
			(Ok(number), Ok(position)) => {
				store.extrinsic_at(number, position).await.map_err(unavailable)?
			},
			_ => None,
		}
	} else if decode_array::<32>(id).is_ok() {
		store
			.extrinsics_by_hash(&id.to_ascii_lowercase())
			.await
			.map_err(unavailable)?
			.into_iter()
			.next()
	} else {
		return Err(bad_request(format!(
			"`{id}` is neither an extrinsic hash nor BLOCK-INDEX (such as 12-1)"
		)));
	};
	let extrinsic = extrinsic.ok_or_else(|| not_found(&format!("no extrinsic {id} indexed")))?;
	let events = store
		.events_of_block(extrinsic.block_number, Some(extrinsic.position))
		.await
		.map_err(unavailable)?;
	Ok(ExtrinsicView { extrinsic, events })
}

/// Event `BLOCK-INDEX`.
async fn event_view(explorer: &Explorer, id: &str) -> Result<Event, Failure> {
	let parsed = id.split_once('-').and_then(|(number, position)| {
		Some((number.parse::<u64>().ok()?, position.parse::<u32>().ok()?))
	});
	let Some((number, position)) = parsed else {
		return Err(bad_request(format!("`{id}` is not BLOCK-INDEX (such as 12-3)")));
	};
	let events = explorer.store.events_of_block(number, None).await.map_err(unavailable)?;
	events
		.into_iter()
		.find(|event| event.position == position)
		.ok_or_else(|| not_found(&format!("no event {id} indexed")))
}

async fn event_api(
	State(explorer): State<Arc<Explorer>>,
	Path(id): Path<String>,
) -> Result<Json<Event>, Failure> {
	event_view(&explorer, &id).await.map(Json)
}

async fn event_page(
	State(explorer): State<Arc<Explorer>>,
	Path(id): Path<String>,
) -> Result<Html<String>, Failure> {
	event_view(&explorer, &id).await.map(|event| Html(pages::event(&event))).map_err(as_page)
}

/// An account as the explorer shows it.
pub struct AccountView {
	/// `0x` hex of its 32 bytes.
	pub account: String,
	/// Its ZeroG SS58 address.
	pub ss58: String,
	/// The Ethereum address it acts as in the EVM, when it is an unmapped address's account.
	pub evm_address: Option<String>,
	/// Its free balance now, if the node could be read.
	pub balance: Option<u128>,
	/// Extrinsics it signed, newest first.
	pub extrinsics: Vec<crate::store::Extrinsic>,
	/// Transfers from and to it, newest first.
	pub transfers: Vec<crate::store::Transfer>,
	/// Its storage-provider and DA-signer records now (`null` each if it has none), if the node
	/// could be read.
	pub roles: Option<serde_json::Value>,
	/// Storage, DA and compute events naming it (as owner, provider, signer, user), newest first.
	pub activity: Vec<Event>,
	/// Ethereum transactions from or to its Ethereum address, newest first.
	pub eth_transactions: Vec<EthTransaction>,
	/// ERC-20 transfers from or to its Ethereum address, newest first.
	pub token_transfers: Vec<TokenTransfer>,
}

async fn account_view(explorer: &Explorer, address: &str) -> Result<AccountView, Failure> {
	let parsed = parse_any_address(address).map_err(bad_request)?;
	let chain = explorer.chain().await;
	let mut evm_address = None;
	let account: [u8; 32] = match parsed {
		AnyAddress::Account(account) => account.into(),
		AnyAddress::Ethereum(address) => {
			evm_address = Some(to_prefixed_hex(&address));
			let chain = chain.as_ref().map_err(|e| unavailable(e.clone()))?;
			let at = chain.at_best_block().await.map_err(|e| unavailable(e.to_string()))?;
			account_of_eth_address(&at, &address).await.map_err(|e| unavailable(e.to_string()))?
		},
	};
	let balance = match &chain {
		Ok(chain) => match chain.at_best_block().await {
			Ok(at) => free_balance(&at, &account).await.ok(),
			Err(_) => None,
		},
		Err(_) => None,
	};
	if balance.is_none() {
		explorer.drop_chain().await;
	}
	let evm_address = evm_address
		.or_else(|| (account[20..] == [0xEE; 12]).then(|| to_prefixed_hex(&account[..20])));
	let hex = to_prefixed_hex(&account);
	let store = &explorer.store;
	let (eth_transactions, token_transfers) = match &evm_address {
		Some(address) => (
			store.eth_transactions_of(address, 25).await.map_err(unavailable)?,
			store.token_transfers(None, Some(address), 25).await.map_err(unavailable)?,
		),
		None => (Vec::new(), Vec::new()),
	};
	let roles = match &chain {
		Ok(chain) => crate::roles::roles(chain, account).await.ok(),
		Err(_) => None,
	};
	Ok(AccountView {
		roles,
		activity: store
			.latest_events_about(SubjectKind::Account, &hex, 25)
			.await
			.map_err(unavailable)?,
		eth_transactions,
		token_transfers,
		ss58: format_account_bytes(&account),
		evm_address,
		balance,
		extrinsics: store.extrinsics_signed_by(&hex, 25).await.map_err(unavailable)?,
		transfers: store.transfers_of(&hex, 25).await.map_err(unavailable)?,
		account: hex,
	})
}

/// Where a search leads: the path of the page it found.
async fn search(explorer: &Explorer, query: &str) -> Result<String, Failure> {
	let query = query.trim();
	if query.is_empty() {
		return Err(bad_request(
			"type a block number or hash, an extrinsic or transaction hash, an address or a root"
				.into(),
		));
	}
	if let Ok(number) = query.parse::<u64>() {
		return match explorer.store.block_by_number(number).await.map_err(unavailable)? {
			Some(_) => Ok(format!("/block/{number}")),
			None => Err(not_found(&format!("block {number} is not finalized and indexed yet"))),
		};
	}
	if decode_array::<32>(query).is_ok() {
		let hash = query.to_ascii_lowercase();
		if explorer.store.block_by_hash(&hash).await.map_err(unavailable)?.is_some() {
			return Ok(format!("/block/{hash}"));
		}
		if !explorer.store.extrinsics_by_hash(&hash).await.map_err(unavailable)?.is_empty() {
			return Ok(format!("/extrinsic/{hash}"));
		}
		if explorer.store.eth_transaction(&hash).await.map_err(unavailable)?.is_some() {
			return Ok(format!("/tx/{hash}"));
		}
		if let Some((kind, id)) = domain::owner_of_root(&explorer.store, &hash).await? {
			return Ok(format!("/{}/{id}", kind.name()));
		}
		return Ok(format!("/account/{hash}"));
	}
	if let Ok(address) = decode_array::<20>(query) {
		let address = to_prefixed_hex(&address);
		if explorer.store.contract(&address).await.map_err(unavailable)?.is_some() {
			return Ok(format!("/contract/{address}"));
		}
	}
	match parse_any_address(query) {
		Ok(_) => Ok(format!("/account/{query}")),
		Err(_) => Err(not_found(&format!(
			"`{query}` is not a block number or hash, an extrinsic or transaction hash, an \
			 address or a root"
		))),
	}
}

// ---- the API ----

async fn status_api(
	State(explorer): State<Arc<Explorer>>,
) -> Result<Json<serde_json::Value>, Failure> {
	let indexed = explorer.store.last_indexed().await.map_err(unavailable)?;
	Ok(Json(json!({ "indexed": indexed })))
}

async fn blocks_api(
	State(explorer): State<Arc<Explorer>>,
	Query(limit): Query<Limit>,
) -> Result<Json<Vec<Block>>, Failure> {
	let limit = limit.limit.unwrap_or(20).min(MAX_LIMIT);
	explorer.store.latest_blocks(limit).await.map(Json).map_err(unavailable)
}

async fn block_api(
	State(explorer): State<Arc<Explorer>>,
	Path(id): Path<String>,
) -> Result<Json<serde_json::Value>, Failure> {
	let view = block_view(&explorer, &id).await?;
	Ok(Json(json!({
		"block": view.block,
		"extrinsics": view.extrinsics,
		"events": view.events,
		"eth_transactions": view.eth_transactions,
	})))
}

async fn extrinsic_api(
	State(explorer): State<Arc<Explorer>>,
	Path(id): Path<String>,
) -> Result<Json<serde_json::Value>, Failure> {
	let view = extrinsic_view(&explorer, &id).await?;
	Ok(Json(json!({ "extrinsic": view.extrinsic, "events": view.events })))
}

async fn account_api(
	State(explorer): State<Arc<Explorer>>,
	Path(address): Path<String>,
) -> Result<Json<serde_json::Value>, Failure> {
	let view = account_view(&explorer, &address).await?;
	Ok(Json(json!({
		"account": view.account,
		"ss58": view.ss58,
		"evm_address": view.evm_address,
		"balance": view.balance.map(|balance| balance.to_string()),
		"balance_zg": view.balance.map(format_zg),
		"extrinsics": view.extrinsics,
		"transfers": view.transfers,
		"roles": view.roles,
		"activity": view.activity,
		"eth_transactions": view.eth_transactions,
		"token_transfers": view.token_transfers,
	})))
}

async fn search_api(
	State(explorer): State<Arc<Explorer>>,
	Query(query): Query<SearchQuery>,
) -> Result<Json<serde_json::Value>, Failure> {
	let path = search(&explorer, query.q.as_deref().unwrap_or_default()).await?;
	Ok(Json(json!({ "path": path })))
}

// ---- the pages ----

/// Bars in each home-page chart.
const CHART_BARS: u64 = 48;

/// Most blocks one bar covers: 48 bars then span a day of 6-second blocks.
const MAX_BAR_BLOCKS: u64 = 300;

/// The activity the home page charts: up to [`CHART_BARS`] ranges of blocks ending at the last
/// indexed block (or at `until`, if lower), each as wide as needed to cover the chain (at most
/// [`MAX_BAR_BLOCKS`]).
async fn activity(explorer: &Explorer, until: Option<u64>) -> Result<Vec<Activity>, Failure> {
	let Some(last) = explorer.store.last_indexed().await.map_err(unavailable)? else {
		return Ok(Vec::new());
	};
	let last = until.map_or(last, |until| until.min(last));
	let bar_blocks = (last + 1).div_ceil(CHART_BARS).clamp(1, MAX_BAR_BLOCKS);
	explorer.store.activity(last, bar_blocks, CHART_BARS).await.map_err(unavailable)
}

/// `?until=N`.
#[derive(Deserialize)]
struct Until {
	until: Option<u64>,
}

async fn activity_api(
	State(explorer): State<Arc<Explorer>>,
	Query(until): Query<Until>,
) -> Result<Json<Vec<Activity>>, Failure> {
	activity(&explorer, until.until).await.map(Json)
}

async fn home_page(State(explorer): State<Arc<Explorer>>) -> Result<Html<String>, Failure> {
	let blocks = explorer.store.latest_blocks(20).await.map_err(unavailable).map_err(as_page)?;
	let extrinsics =
		explorer.store.latest_signed_extrinsics(20).await.map_err(unavailable).map_err(as_page)?;
	let activity = activity(&explorer, None).await.map_err(as_page)?;
	Ok(Html(pages::home(&blocks, &extrinsics, &activity)))
}

async fn block_page(
	State(explorer): State<Arc<Explorer>>,
	Path(id): Path<String>,
) -> Result<Html<String>, Failure> {
	block_view(&explorer, &id).await.map(|view| Html(pages::block(&view))).map_err(as_page)
}

async fn extrinsic_page(
	State(explorer): State<Arc<Explorer>>,
	Path(id): Path<String>,
) -> Result<Html<String>, Failure> {
	extrinsic_view(&explorer, &id).await.map(|view| Html(pages::extrinsic(&view))).map_err(as_page)
}

async fn account_page(
	State(explorer): State<Arc<Explorer>>,
	Path(address): Path<String>,
) -> Result<Html<String>, Failure> {
	account_view(&explorer, &address).await.map(|view| Html(pages::account(&view))).map_err(as_page)
}

async fn validator_set(explorer: &Explorer) -> Result<ValidatorSet, Failure> {
	let chain = explorer.chain().await.map_err(unavailable)?;
	match validator_set_now(&chain).await {
		Ok(set) => Ok(set),
		Err(error) => {
			explorer.drop_chain().await;
			Err(unavailable(format!("cannot read the validator set: {error}")))
		},
	}
}

async fn validators_api(
	State(explorer): State<Arc<Explorer>>,
) -> Result<Json<ValidatorSet>, Failure> {
	validator_set(&explorer).await.map(Json)
}

async fn validators_page(State(explorer): State<Arc<Explorer>>) -> Result<Html<String>, Failure> {
	let set = validator_set(&explorer).await.map_err(as_page)?;
	Ok(Html(pages::validators(&set)))
}

async fn search_page(
	State(explorer): State<Arc<Explorer>>,
	Query(query): Query<SearchQuery>,
) -> Result<Response, Failure> {
	let path = search(&explorer, query.q.as_deref().unwrap_or_default()).await.map_err(as_page)?;
	Ok(([(header::CACHE_CONTROL, "no-store")], Redirect::to(&path)).into_response())
}
