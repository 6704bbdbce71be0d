//! Assets, grants and encryption keys as the `MarketplaceApi` runtime API answers them at the
//! node's best block.
//!
//! The types mirror `pallet_marketplace::runtime_api::{AssetSummary, GrantSummary}` field for
//! field, decoded here rather than importing the pallet, which would pull the runtime's
//! dependency tree into every client; the end-to-end tests check them against the runtime.

use crate::{error::ClientError, rpc::NodeRpc};
use codec::{Decode, Encode};
use zerog_primitives::{encryption::X25519Key, Hash};

/// Most assets one `MarketplaceApi::assets` call returns.
pub const MAX_ASSETS_QUERY: u32 = 256;

/// `pallet_marketplace::AssetKind`.
#[derive(Clone, Copy, Debug, Decode, Encode, PartialEq, Eq)]
pub enum AssetKind {
	/// A model.
	Model,
	/// A dataset.
	Dataset,
}

/// `pallet_marketplace::AccessPolicy`.
#[derive(Clone, Copy, Debug, Decode, Encode, PartialEq, Eq)]
pub enum AccessPolicy {
	/// Anyone may use it; no grant needed.
	Public,
	/// The owner approves each request.
	Gated,
	/// Bought for a price per access period.
	Paid,
}

/// `pallet_marketplace::AccessScope`.
#[derive(Clone, Copy, Debug, Decode, Encode, PartialEq, Eq)]
pub enum AccessScope {
	/// The grantee may download and decrypt the file.
	Download,
	/// Only a compute job may use it; the grantee never receives the key.
	Compute,
}

macro_rules! variant_names {
	($type:ty { $($variant:ident => $name:literal),* $(,)? }) => {
		impl $type {
			/// The variant's name as the runtime's metadata spells it.
			pub fn name(self) -> &'static str {
				match self { $(Self::$variant => stringify!($variant)),* }
			}

			/// The variant's name for people and JSON.
			pub fn label(self) -> &'static str {
				match self { $(Self::$variant => $name),* }
			}
		}
	};
}

variant_names!(AssetKind { Model => "model", Dataset => "dataset" });
variant_names!(AccessPolicy { Public => "public", Gated => "gated", Paid => "paid" });
variant_names!(AccessScope { Download => "download", Compute => "compute" });

/// `pallet_marketplace::runtime_api::AssetSummary<AccountId32, u128, u32>`.
#[derive(Clone, Debug, Decode, PartialEq, Eq)]
pub struct AssetView {
	/// The asset's id.
	pub id: u64,
	/// Its owner.
	pub owner: [u8; 32],
	/// Model or dataset.
	pub kind: AssetKind,
	/// Its name (UTF-8).
	pub name: Vec<u8>,
	/// Its version (UTF-8).
	pub version: Vec<u8>,
	/// Its SPDX license expression.
	pub license: Vec<u8>,
	/// Root of its stored file.
	pub root: Hash,
	/// Size of its stored file.
	pub size: u64,
	/// Root of its card.
	pub card: Option<Hash>,
	/// Whether the stored file is encrypted.
	pub encrypted: bool,
	/// Who may use it.
	pub policy: AccessPolicy,
	/// Price of one access period.
	pub price: u128,
	/// Blocks one bought access lasts.
	pub access_period: u32,
	/// Grants and requests open on it.
	pub open_grants: u32,
	/// Services deploying it.
	pub deployments: u32,
	/// Block it was registered in.
	pub registered_at: u32,
}

/// `pallet_marketplace::runtime_api::GrantSummary<AccountId32, u128, u32>`.
#[derive(Clone, Debug, Decode, PartialEq, Eq)]
pub struct GrantView {
	/// Download, or compute only.
	pub scope: AccessScope,
	/// Last block of access; `None`: a request not answered yet.
	pub expires_at: Option<u32>,
	/// Who paid the deposit.
	pub depositor: [u8; 32],
	/// The deposit.
	pub deposit: u128,
	/// The key the content key was sealed to, and the sealed key, once delivered.
	pub key: Option<(X25519Key, Vec<u8>)>,
	/// The price held until the key is delivered, and the block from which the buyer may take
	/// it back.
	pub escrow: Option<(u128, u32)>,
}

/// Asset `id`, if registered.
pub async fn asset(rpc: &NodeRpc, id: u64) -> Result<Option<AssetView>, ClientError> {
	Ok(rpc.runtime_api("MarketplaceApi_asset", &id).await?)
}

/// Every registered asset, in id order (paged through `MarketplaceApi::assets`).
pub async fn assets(rpc: &NodeRpc) -> Result<Vec<AssetView>, ClientError> {
	let next: u64 = rpc.runtime_api("MarketplaceApi_next_asset_id", &()).await?;
	let mut all = Vec::new();
	let mut from = 0u64;
	while from < next {
		let page: Vec<AssetView> =
			rpc.runtime_api("MarketplaceApi_assets", &(from, MAX_ASSETS_QUERY)).await?;
		all.extend(page);
		from = from.saturating_add(u64::from(MAX_ASSETS_QUERY));
	}
	Ok(all)
}

/// The grant (or request) of `who` on asset `id`.
pub async fn grant(
	rpc: &NodeRpc,
	id: u64,
	who: [u8; 32],
) -> Result<Option<GrantView>, ClientError> {
	Ok(rpc.runtime_api("MarketplaceApi_grant", &(id, who)).await?)
}

/// The x25519 key `who` registered, if any.
pub async fn encryption_key(
	rpc: &NodeRpc,
	who: [u8; 32],
) -> Result<Option<X25519Key>, ClientError> {
	Ok(rpc.runtime_api("MarketplaceApi_encryption_key", &who).await?)
}

/// `pallet_marketplace::runtime_api::JobInputsSummary<AccountId32>`: what a compute job reads,
/// and its paid-for, encrypted result.
#[derive(Clone, Debug, Decode, PartialEq, Eq)]
pub struct JobInputsView {
	/// The job's user, who named them.
	pub user: [u8; 32],
	/// The job's provider, who delivers the result's key.
	pub provider: [u8; 32],
	/// The assets the job reads, in order.
	pub assets: Vec<u64>,
	/// The job's parameters in full (their keccak-256 is the job's params hash).
	pub params: Vec<u8>,
	/// Root of the job's encrypted result, once the user paid for it.
	pub result: Option<Hash>,
	/// The key the result's content key is sealed to, and the sealed key, once delivered.
	pub result_key: Option<(X25519Key, Vec<u8>)>,
}

/// The key asset `id`'s content key is sealed to for enclave `signer`, and the sealed key, if
/// the owner delivered it (`MarketplaceApi` version 2).
pub async fn enclave_key(
	rpc: &NodeRpc,
	id: u64,
	signer: [u8; 32],
) -> Result<Option<(X25519Key, Vec<u8>)>, ClientError> {
	Ok(rpc.runtime_api("MarketplaceApi_enclave_key", &(id, signer)).await?)
}

/// The inputs job `job`'s user attached, and its paid-for result and key, until the user removes
/// them (`MarketplaceApi` version 3).
pub async fn job_inputs(rpc: &NodeRpc, job: u64) -> Result<Option<JobInputsView>, ClientError> {
	Ok(rpc.runtime_api("MarketplaceApi_job_inputs", &job).await?)
}
