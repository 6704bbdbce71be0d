//! What the runtime API ([`crate::runtime_api::MarketplaceApi`]) reads: assets, grants and
//! keys as plain summaries.

use crate::{
	runtime_api::{AssetSummary, GrantSummary, JobInputsSummary, MAX_ASSETS_QUERY},
	AssetId, Assets, BalanceOf, Config, EnclaveKeys, EncryptionKey, Grants, JobId, JobInputs,
	NextAssetId, Pallet,
};
use alloc::vec::Vec;
use polkadot_sdk::frame_system::pallet_prelude::BlockNumberFor;

/// An asset summary of runtime `T`.
pub type AssetSummaryOf<T> = AssetSummary<
	<T as polkadot_sdk::frame_system::Config>::AccountId,
	BalanceOf<T>,
	BlockNumberFor<T>,
>;

/// A grant summary of runtime `T`.
pub type GrantSummaryOf<T> = GrantSummary<
	<T as polkadot_sdk::frame_system::Config>::AccountId,
	BalanceOf<T>,
	BlockNumberFor<T>,
>;

impl<T: Config> Pallet<T> {
	/// Asset `asset`, if registered.
	pub fn asset_summary(asset: AssetId) -> Option<AssetSummaryOf<T>> {
		let info = Assets::<T>::get(asset)?;
		Some(AssetSummary {
			id: asset,
			owner: info.owner,
			kind: info.kind,
			name: info.name.into_inner(),
			version: info.version.into_inner(),
			license: info.license.into_inner(),
			root: info.root,
			size: info.size,
			card: info.card,
			encrypted: info.encrypted,
			policy: info.policy,
			price: info.price,
			access_period: info.access_period,
			open_grants: info.open_grants,
			deployments: info.deployments,
			registered_at: info.registered_at,
		})
	}

	/// The registered assets among ids `from..from + limit` (`limit` at most
	/// [`MAX_ASSETS_QUERY`]), in id order. Ids of removed assets are skipped, so a page can be
	/// shorter than `limit` with more assets after it: page on from `from + limit` until
	/// `from` reaches [`NextAssetId`].
	pub fn asset_summaries(from: AssetId, limit: u32) -> Vec<AssetSummaryOf<T>> {
		let end = from
			.saturating_add(u64::from(limit.min(MAX_ASSETS_QUERY)))
			.min(NextAssetId::<T>::get());
		(from..end).filter_map(Self::asset_summary).collect()
	}

	/// The grant (or request) of `who` on `asset`.
	pub fn grant_summary(asset: AssetId, who: &T::AccountId) -> Option<GrantSummaryOf<T>> {
		let grant = Grants::<T>::get(asset, who)?;
		Some(GrantSummary {
			scope: grant.scope,
			expires_at: grant.expires_at,
			depositor: grant.depositor,
			deposit: grant.deposit,
			key: grant.key.map(|key| (key.recipient, key.sealed.into_inner())),
			escrow: grant.escrow.map(|escrow| (escrow.amount, escrow.refundable_from)),
		})
	}

	/// The key `asset`'s content key is sealed to for enclave `signer`, and the sealed key.
	pub fn enclave_key_summary(
		asset: AssetId,
		signer: &T::AccountId,
	) -> Option<(EncryptionKey, Vec<u8>)> {
		let record = EnclaveKeys::<T>::get(asset, signer)?;
		Some((record.key.recipient, record.key.sealed.into_inner()))
	}

	/// The inputs of job `job`.
	pub fn job_inputs_summary(
		job: JobId,
	) -> Option<JobInputsSummary<<T as polkadot_sdk::frame_system::Config>::AccountId>> {
		let record = JobInputs::<T>::get(job)?;
		Some(JobInputsSummary {
			user: record.user,
			provider: record.provider,
			assets: record.assets.into_inner(),
			params: record.params.into_inner(),
			result: record.result,
			result_key: record.result_key.map(|key| (key.recipient, key.sealed.into_inner())),
		})
	}
}
