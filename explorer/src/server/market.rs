//! The marketplace's routes: models and datasets read live from the node ([`crate::market`]).
//!
//! | page | API | what |
//! |---|---|---|
//! | `/market?q=&kind=&license=&policy=&max_price=` | `/api/market/assets?…` | models and datasets, newest first, filtered |
//! | `/market/{id}` | `/api/market/assets/{id}` | an asset: card, policy, price, and wallet actions |
//! | | `/api/market/assets/{id}/grants/{SS58, 0x32 or 0x20}` | an account's grant or request, and its registered encryption key |
//!
//! `/market/wallet.js` is the asset page's one script: it buys or requests access through the
//! `IZeroGMarketplace` precompile with the browser's Ethereum wallet, registers the wallet's
//! encryption key, and shows the grant.

use std::sync::Arc;

use axum::{
	extract::{Path, Query, State},
	http::header,
	response::{Html, IntoResponse},
	Json,
};
use serde_json::{json, Value};
use zerog_client::{
	account::{parse_any_address, AnyAddress},
	balances::account_of_eth_address,
	marketplace::on_chain::{self, AssetView},
};

use super::{as_page, bad_request, not_found, unavailable, Explorer, Failure};
use crate::{
	market::{asset_json, grant_json, list, wallet_calls, AssetFilter, AssetQuery, Listing},
	pages,
};

/// The wallet script of an asset's page.
const WALLET_SCRIPT: &str = include_str!("../pages/market_wallet.js");

async fn listing(
	explorer: &Explorer,
	query: &AssetQuery,
) -> Result<(AssetFilter, Listing), Failure> {
	let filter = AssetFilter::parse(query).map_err(bad_request)?;
	let rpc = explorer.rpc().await?;
	match list(&rpc, &filter).await {
		Ok(listing) => Ok((filter, listing)),
		Err(error) => Err(explorer.rpc_failed(error).await),
	}
}

/// `/api/market/assets`.
pub async fn assets_api(
	State(explorer): State<Arc<Explorer>>,
	Query(query): Query<AssetQuery>,
) -> Result<Json<Value>, Failure> {
	let (_, listing) = listing(&explorer, &query).await?;
	Ok(Json(json!({
		"assets": listing.assets.iter().map(asset_json).collect::<Vec<_>>(),
		"scanned": listing.scanned,
		"truncated": listing.truncated,
	})))
}

/// `/market`.
pub async fn market_page(
	State(explorer): State<Arc<Explorer>>,
	Query(query): Query<AssetQuery>,
) -> Result<Html<String>, Failure> {
	let (_, listing) = listing(&explorer, &query).await.map_err(as_page)?;
	Ok(Html(pages::market::listing(&query, &listing)))
}

async fn asset(explorer: &Explorer, id: &str) -> Result<AssetView, Failure> {
	let id: u64 = id.parse().map_err(|_| bad_request(format!("`{id}` is not an asset id")))?;
	let rpc = explorer.rpc().await?;
	match on_chain::asset(&rpc, id).await {
		Ok(Some(asset)) => Ok(asset),
		Ok(None) => Err(not_found(&format!("asset #{id} is not registered"))),
		Err(error) => Err(explorer.rpc_failed(error).await),
	}
}

/// `/api/market/assets/{id}`.
pub async fn asset_api(
	State(explorer): State<Arc<Explorer>>,
	Path(id): Path<String>,
) -> Result<Json<Value>, Failure> {
	Ok(Json(asset_json(&asset(&explorer, &id).await?)))
}

/// `/market/{id}`.
pub async fn asset_page(
	State(explorer): State<Arc<Explorer>>,
	Path(id): Path<String>,
) -> Result<Html<String>, Failure> {
	let asset = asset(&explorer, &id).await.map_err(as_page)?;
	Ok(Html(pages::market::asset(&asset, &wallet_calls())))
}

/// The 32-byte account of an SS58, `0x` 32-byte or `0x` 20-byte Ethereum address (mapped as
/// the chain maps it).
async fn account_of(explorer: &Explorer, address: &str) -> Result<[u8; 32], Failure> {
	match parse_any_address(address).map_err(bad_request)? {
		AnyAddress::Account(account) => Ok(account.into()),
		AnyAddress::Ethereum(address) => {
			let chain = explorer.chain().await.map_err(unavailable)?;
			let at = chain.at_best_block().await.map_err(|e| unavailable(e.to_string()))?;
			account_of_eth_address(&at, &address).await.map_err(|e| unavailable(e.to_string()))
		},
	}
}

/// `/api/market/assets/{id}/grants/{address}`.
pub async fn grant_api(
	State(explorer): State<Arc<Explorer>>,
	Path((id, address)): Path<(String, String)>,
) -> Result<Json<Value>, Failure> {
	let asset = asset(&explorer, &id).await?;
	let account = account_of(&explorer, &address).await?;
	let rpc = explorer.rpc().await?;
	let read = async {
		let grant = on_chain::grant(&rpc, asset.id, account).await?;
		let key = on_chain::encryption_key(&rpc, account).await?;
		let best = rpc.best_block_number().await?;
		Ok::<_, zerog_client::error::ClientError>((grant, key, best))
	};
	match read.await {
		Ok((grant, key, best)) => {
			Ok(Json(grant_json(&account, grant.as_ref(), key.as_ref(), best)))
		},
		Err(error) => Err(explorer.rpc_failed(error).await),
	}
}

/// `/market/wallet.js`.
pub async fn wallet_script() -> impl IntoResponse {
	([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], WALLET_SCRIPT)
}
