//! The marketplace as the explorer shows it: models and datasets read live from the node's
//! `MarketplaceApi` (not indexed: an asset's price and policy change, and what counts is what
//! the chain holds now), filtered by kind, license, policy, price and a text search; and what a
//! browser wallet needs to buy or request access through the `IZeroGMarketplace` precompile.

use serde::Deserialize;
use serde_json::{json, Value};
use zerog_client::{
	account::format_account_bytes,
	amount::{format_zg, parse_amount},
	marketplace::on_chain::{
		AccessPolicy, AccessScope, AssetKind, AssetView, GrantView, MAX_ASSETS_QUERY,
	},
	rpc::{NodeRpc, RpcError},
};
use zerog_primitives::{compute::keccak_256, hex::to_prefixed_hex};

/// Most asset ids one listing reads, newest first (eight runtime API pages), so a listing's
/// cost is bounded whatever the number of assets.
pub const MAX_SCANNED: u64 = 8 * MAX_ASSETS_QUERY as u64;

/// Address of the `IZeroGMarketplace` precompile.
pub const MARKETPLACE_PRECOMPILE: &str = "0x0000000000000000000000000000000008030000";

/// `?q=…&kind=…&license=…&policy=…&max_price=…` of a listing; empty fields are no filter.
#[derive(Debug, Default, Deserialize)]
pub struct AssetQuery {
	/// Words that must all appear in the name, version or license (any case).
	pub q: Option<String>,
	/// `model` or `dataset`.
	pub kind: Option<String>,
	/// An SPDX expression, matched exactly (any case).
	pub license: Option<String>,
	/// `public`, `gated` or `paid`.
	pub policy: Option<String>,
	/// The most a buyer would pay: `1.5ZG` or an integer in the smallest unit.
	pub max_price: Option<String>,
}

/// A listing's filter, parsed from an [`AssetQuery`].
#[derive(Debug, Default, PartialEq, Eq)]
pub struct AssetFilter {
	words: Vec<String>,
	kind: Option<AssetKind>,
	license: Option<String>,
	policy: Option<AccessPolicy>,
	max_price: Option<u128>,
}

/// A query field, trimmed; `None` when absent or empty.
fn field(value: &Option<String>) -> Option<&str> {
	value.as_deref().map(str::trim).filter(|value| !value.is_empty())
}

impl AssetFilter {
	/// The filter of `query`, or a message naming the field that is not understood.
	pub fn parse(query: &AssetQuery) -> Result<Self, String> {
		let kind = match field(&query.kind).map(str::to_ascii_lowercase).as_deref() {
			None => None,
			Some("model") => Some(AssetKind::Model),
			Some("dataset") => Some(AssetKind::Dataset),
			Some(other) => return Err(format!("kind `{other}` is not `model` or `dataset`")),
		};
		let policy = match field(&query.policy).map(str::to_ascii_lowercase).as_deref() {
			None => None,
			Some("public") => Some(AccessPolicy::Public),
			Some("gated") => Some(AccessPolicy::Gated),
			Some("paid") => Some(AccessPolicy::Paid),
			Some(other) => {
				return Err(format!("policy `{other}` is not `public`, `gated` or `paid`"))
			},
		};
		let max_price = field(&query.max_price)
			.map(|text| parse_amount(text).map_err(|error| format!("max_price: {error}")))
			.transpose()?;
		Ok(Self {
			words: field(&query.q)
				.map(|text| text.split_whitespace().map(str::to_lowercase).collect())
				.unwrap_or_default(),
			kind,
			license: field(&query.license).map(str::to_ascii_lowercase),
			policy,
			max_price,
		})
	}

	/// Whether `asset` passes. A public asset costs nothing, whatever price it was given.
	pub fn matches(&self, asset: &AssetView) -> bool {
		let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).to_lowercase();
		let (name, version, license) =
			(text(&asset.name), text(&asset.version), text(&asset.license));
		let cost = if asset.policy == AccessPolicy::Paid { asset.price } else { 0 };
		self.kind.is_none_or(|kind| kind == asset.kind)
			&& self.policy.is_none_or(|policy| policy == asset.policy)
			&& self.license.as_ref().is_none_or(|wanted| *wanted == license)
			&& self.max_price.is_none_or(|most| cost <= most)
			&& self
				.words
				.iter()
				.all(|word| name.contains(word) || version.contains(word) || license.contains(word))
	}
}

/// A listing: the matching assets among the newest [`MAX_SCANNED`], newest first.
pub struct Listing {
	/// The assets that passed the filter.
	pub assets: Vec<AssetView>,
	/// How many asset ids were read.
	pub scanned: u64,
	/// Whether older assets exist that were not read.
	pub truncated: bool,
}

/// The assets matching `filter` among the newest [`MAX_SCANNED`] ids.
pub async fn list(rpc: &NodeRpc, filter: &AssetFilter) -> Result<Listing, RpcError> {
	let next: u64 = rpc.runtime_api("MarketplaceApi_next_asset_id", &()).await?;
	let oldest = next.saturating_sub(MAX_SCANNED);
	let mut assets = Vec::new();
	let mut end = next;
	while end > oldest {
		let from = end.saturating_sub(u64::from(MAX_ASSETS_QUERY)).max(oldest);
		let limit = u32::try_from(end - from).unwrap_or(MAX_ASSETS_QUERY);
		let page: Vec<AssetView> = rpc.runtime_api("MarketplaceApi_assets", &(from, limit)).await?;
		assets.extend(page.into_iter().rev().filter(|asset| filter.matches(asset)));
		end = from;
	}
	Ok(Listing { assets, scanned: next - oldest, truncated: oldest > 0 })
}

fn text(bytes: &[u8]) -> String {
	String::from_utf8_lossy(bytes).into_owned()
}

/// An asset as the API answers it.
pub fn asset_json(asset: &AssetView) -> Value {
	json!({
		"id": asset.id,
		"owner": format_account_bytes(&asset.owner),
		"kind": asset.kind.label(),
		"name": text(&asset.name),
		"version": text(&asset.version),
		"license": text(&asset.license),
		"root": to_prefixed_hex(asset.root.as_bytes()),
		"size": asset.size,
		"card": asset.card.map(|card| to_prefixed_hex(card.as_bytes())),
		"encrypted": asset.encrypted,
		"policy": asset.policy.label(),
		"price": asset.price.to_string(),
		"priceZg": format_zg(asset.price),
		"accessPeriod": asset.access_period,
		"openGrants": asset.open_grants,
		"deployments": asset.deployments,
		"registeredAt": asset.registered_at,
	})
}

/// What the chain holds for `account` on an asset: its grant (or pending request) at best block
/// `best`, and the x25519 key it registered to receive content keys.
pub fn grant_json(
	account: &[u8; 32],
	grant: Option<&GrantView>,
	encryption_key: Option<&[u8; 32]>,
	best: u64,
) -> Value {
	let encryption_key = encryption_key.map(|key| to_prefixed_hex(key));
	let Some(grant) = grant else {
		return json!({
			"account": format_account_bytes(account),
			"encryptionKey": encryption_key,
			"status": "none",
		});
	};
	let status = match grant.expires_at {
		None => "requested",
		// A grant is active while its expiry is above the block being built.
		Some(expires_at) if u64::from(expires_at) <= best => "expired",
		Some(_) => "active",
	};
	json!({
		"account": format_account_bytes(account),
		"encryptionKey": encryption_key,
		"status": status,
		"scope": grant.scope.label(),
		"expiresAt": grant.expires_at,
		"keyDelivered": grant.key.is_some(),
		"recipientKey": grant.key.as_ref().map(|(key, _)| to_prefixed_hex(key)),
		"escrow": grant.escrow.map(|(amount, refundable_from)| json!({
			"amount": amount.to_string(),
			"refundableFrom": refundable_from,
		})),
	})
}

/// The 4-byte selector of Solidity function `signature`, `0x` hex.
pub fn selector(signature: &str) -> String {
	to_prefixed_hex(&keccak_256(signature.as_bytes())[..4])
}

/// What a browser wallet calls on an asset's page.
pub struct WalletCalls {
	/// The `IZeroGMarketplace` precompile.
	pub precompile: &'static str,
	/// Selector of `buyAccess(uint64 assetId, uint8 scope, uint256 maxPrice)`.
	pub buy_access: String,
	/// Selector of `requestAccess(uint64 assetId, uint8 scope)`.
	pub request_access: String,
	/// Selector of `registerEncryptionKey(bytes32 key)`.
	pub register_key: String,
	/// Selector of `deploy(uint64 assetId, uint64 serviceId)`.
	pub deploy: String,
	/// The `scope` argument of a download grant.
	pub download: u8,
	/// The `scope` argument of a compute-only grant.
	pub compute: u8,
}

/// The calls of `sdk/solidity/IZeroGMarketplace.sol` a browser wallet signs.
pub fn wallet_calls() -> WalletCalls {
	WalletCalls {
		precompile: MARKETPLACE_PRECOMPILE,
		buy_access: selector("buyAccess(uint64,uint8,uint256)"),
		request_access: selector("requestAccess(uint64,uint8)"),
		register_key: selector("registerEncryptionKey(bytes32)"),
		deploy: selector("deploy(uint64,uint64)"),
		download: AccessScope::Download as u8,
		compute: AccessScope::Compute as u8,
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use zerog_primitives::Hash;

	fn asset(name: &str, kind: AssetKind, policy: AccessPolicy, price: u128) -> AssetView {
		AssetView {
			id: 1,
			owner: [1; 32],
			kind,
			name: name.as_bytes().to_vec(),
			version: b"1.0".to_vec(),
			license: b"Apache-2.0".to_vec(),
			root: Hash::repeat_byte(2),
			size: 10,
			card: None,
			encrypted: true,
			policy,
			price,
			access_period: 100,
			open_grants: 0,
			deployments: 0,
			registered_at: 3,
		}
	}

	fn filter(query: AssetQuery) -> AssetFilter {
		AssetFilter::parse(&query).unwrap()
	}

	#[test]
	fn filters_by_kind_policy_license_price_and_words() {
		let llama = asset("Tiny Llama chat", AssetKind::Model, AccessPolicy::Paid, 5);
		let prices = asset("eth prices", AssetKind::Dataset, AccessPolicy::Public, 1_000);
		assert!(filter(AssetQuery::default()).matches(&llama));
		let models = filter(AssetQuery { kind: Some("Model".into()), ..Default::default() });
		assert!(models.matches(&llama) && !models.matches(&prices));
		let paid = filter(AssetQuery { policy: Some("paid".into()), ..Default::default() });
		assert!(paid.matches(&llama) && !paid.matches(&prices));
		let license =
			filter(AssetQuery { license: Some("apache-2.0".into()), ..Default::default() });
		assert!(license.matches(&llama));
		let mit = filter(AssetQuery { license: Some("MIT".into()), ..Default::default() });
		assert!(!mit.matches(&llama));
		// A public asset costs nothing, whatever its price field says.
		let cheap = filter(AssetQuery { max_price: Some("4".into()), ..Default::default() });
		assert!(!cheap.matches(&llama) && cheap.matches(&prices));
		let words = filter(AssetQuery { q: Some(" llama  CHAT ".into()), ..Default::default() });
		assert!(words.matches(&llama) && !words.matches(&prices));
		assert_eq!(
			filter(AssetQuery { q: Some("  ".into()), ..Default::default() }),
			AssetFilter::default()
		);
	}

	#[test]
	fn a_query_it_does_not_understand_is_named() {
		let bad = |query: AssetQuery| AssetFilter::parse(&query).unwrap_err();
		assert!(bad(AssetQuery { kind: Some("car".into()), ..Default::default() }).contains("kind"));
		assert!(bad(AssetQuery { policy: Some("free".into()), ..Default::default() })
			.contains("policy"));
		assert!(bad(AssetQuery { max_price: Some("lots".into()), ..Default::default() })
			.contains("max_price"));
	}

	#[test]
	fn a_grant_reads_as_requested_active_or_expired() {
		let account = [7; 32];
		let none = grant_json(&account, None, Some(&[9; 32]), 10);
		assert_eq!(none["status"], "none");
		assert_eq!(none["encryptionKey"], to_prefixed_hex(&[9; 32]));
		let mut grant = GrantView {
			scope: AccessScope::Compute,
			expires_at: None,
			depositor: account,
			deposit: 1,
			key: None,
			escrow: Some((5, 20)),
		};
		assert_eq!(grant_json(&account, Some(&grant), None, 10)["status"], "requested");
		grant.expires_at = Some(11);
		let active = grant_json(&account, Some(&grant), None, 10);
		assert_eq!(
			(active["status"].as_str(), active["scope"].as_str()),
			(Some("active"), Some("compute"))
		);
		assert_eq!(active["escrow"]["amount"], "5");
		assert_eq!(grant_json(&account, Some(&grant), None, 11)["status"], "expired");
	}

	#[test]
	fn selectors_are_the_solidity_interfaces() {
		// As solc computes them for sdk/solidity/IZeroGMarketplace.sol.
		assert_eq!(selector("transfer(address,uint256)"), "0xa9059cbb");
		let calls = wallet_calls();
		assert_eq!((calls.download, calls.compute), (0, 1));
		assert_eq!(calls.buy_access, "0xc31743c2");
		assert_eq!(calls.request_access, "0x02a5cc48");
		assert_eq!(calls.register_key, "0x290534ef");
		assert_eq!(calls.deploy, "0x068d96a6");
	}
}
