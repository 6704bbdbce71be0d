//! The runtime API the CLI, the SDK and the explorer use to read assets, grants and keys
//! without decoding the pallet's storage themselves.

use crate::{AccessPolicy, AccessScope, AssetId, AssetKind, EncryptionKey, JobId};
use alloc::vec::Vec;
use codec::{Decode, Encode};
use polkadot_sdk::{sp_api, sp_core::H256};
use scale_info::TypeInfo;
use zerog_primitives::compute::ServiceId;

/// Most assets one [`MarketplaceApi::assets`] call returns.
pub const MAX_ASSETS_QUERY: u32 = 256;

/// An asset as the API returns it: the stored record with its bounded texts as plain bytes.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct AssetSummary<AccountId, Balance, BlockNumber> {
	/// The asset's id.
	pub id: AssetId,
	/// Who registered it and is paid for it.
	pub owner: AccountId,
	/// Model or dataset.
	pub kind: AssetKind,
	/// Its name, UTF-8.
	pub name: Vec<u8>,
	/// Its version, UTF-8.
	pub version: Vec<u8>,
	/// Its SPDX license expression.
	pub license: Vec<u8>,
	/// Root of its stored file (of the ciphertext when encrypted).
	pub root: H256,
	/// Size of its stored file.
	pub size: u64,
	/// Root of its card, a stored file describing it.
	pub card: Option<H256>,
	/// Whether the stored file is encrypted (a grantee needs a delivered key).
	pub encrypted: bool,
	/// Who may use it.
	pub policy: AccessPolicy,
	/// Price of one access period, for `Paid` assets.
	pub price: Balance,
	/// Blocks one bought access lasts.
	pub access_period: BlockNumber,
	/// Grants and requests open on it.
	pub open_grants: u32,
	/// Services that deploy it.
	pub deployments: u32,
	/// Block it was registered in.
	pub registered_at: BlockNumber,
}

/// A grant or a request as the API returns it.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct GrantSummary<AccountId, Balance, BlockNumber> {
	/// Download, or compute only.
	pub scope: AccessScope,
	/// Last block of access; `None` for a request not yet answered.
	pub expires_at: Option<BlockNumber>,
	/// Who paid the record's deposit.
	pub depositor: AccountId,
	/// The deposit.
	pub deposit: Balance,
	/// The encryption key the content key was sealed to, and the sealed key, once delivered.
	pub key: Option<(EncryptionKey, Vec<u8>)>,
	/// The price held until the key is delivered, and the first block the buyer may take it
	/// back from.
	pub escrow: Option<(Balance, BlockNumber)>,
}

/// A compute job's inputs as version 2 of the API returned them, before results were sealed
/// to the user.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct JobInputsSummaryV2<AccountId> {
	/// The job's user, who named them.
	pub user: AccountId,
	/// The assets the job reads, in order.
	pub assets: Vec<AssetId>,
	/// The job's parameters in full.
	pub params: Vec<u8>,
}

/// A compute job's inputs, and its paid-for result, as the API returns them.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct JobInputsSummary<AccountId> {
	/// The job's user, who named them.
	pub user: AccountId,
	/// The job's provider, who delivers the result's key.
	pub provider: AccountId,
	/// The assets the job reads, in order.
	pub assets: Vec<AssetId>,
	/// The job's parameters in full (their keccak-256 is the job's `params_hash`).
	pub params: Vec<u8>,
	/// Root of the job's encrypted result, once paid for.
	pub result: Option<H256>,
	/// The key the result's content key was sealed to, and the sealed key, once delivered.
	pub result_key: Option<(EncryptionKey, Vec<u8>)>,
}

sp_api::decl_runtime_apis! {
	/// Queries of the marketplace pallet.
	///
	/// Version 2 added [`Self::enclave_key`] and [`Self::job_inputs`] (compute-to-data); version
	/// 3 added the job's provider, paid-for result and sealed result key to
	/// [`Self::job_inputs`].
	#[api_version(3)]
	pub trait MarketplaceApi<AccountId, Balance, BlockNumber>
	where
		AccountId: codec::Codec,
		Balance: codec::Codec,
		BlockNumber: codec::Codec,
	{
		/// Asset `asset`, if registered.
		fn asset(asset: AssetId) -> Option<AssetSummary<AccountId, Balance, BlockNumber>>;

		/// The id the next registered asset gets: every asset's id is below it.
		fn next_asset_id() -> AssetId;

		/// The registered assets among ids `from..from + limit` (`limit` at most
		/// [`MAX_ASSETS_QUERY`]), in id order; removed ids are skipped. Page on from
		/// `from + limit` until [`Self::next_asset_id`].
		fn assets(from: AssetId, limit: u32) -> Vec<AssetSummary<AccountId, Balance, BlockNumber>>;

		/// The grant (or request) of `who` on `asset`, if any.
		fn grant(asset: AssetId, who: AccountId) -> Option<GrantSummary<AccountId, Balance, BlockNumber>>;

		/// The x25519 key `who` registered for sealed keys, if any.
		fn encryption_key(who: AccountId) -> Option<EncryptionKey>;

		/// The model service `service` deploys, if any.
		fn deployment(service: ServiceId) -> Option<AssetId>;

		/// The encryption key `asset`'s content key was sealed to for enclave `signer`, and the
		/// sealed key, if its owner delivered it.
		fn enclave_key(asset: AssetId, signer: AccountId) -> Option<(EncryptionKey, Vec<u8>)>;

		/// The inputs job `job`'s user named (version 2, before results were sealed).
		#[changed_in(3)]
		fn job_inputs(job: JobId) -> Option<JobInputsSummaryV2<AccountId>>;

		/// The inputs job `job`'s user named, and its paid-for result and key, until the user
		/// removes them.
		fn job_inputs(job: JobId) -> Option<JobInputsSummary<AccountId>>;
	}
}
