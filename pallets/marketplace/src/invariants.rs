//! What must hold between the marketplace's storage items (`try_state`, and after every unit
//! test's calls).

use crate::pallet::*;
use alloc::collections::BTreeMap;
use polkadot_sdk::{frame_support::traits::Get, sp_runtime::TryRuntimeError};

impl<T: Config> Pallet<T> {
	/// No grant with a delivered key still holds its price in escrow. Every asset counts exactly
	/// its grants, requests, deployments and enclave keys; every grant, deployment and enclave
	/// key names an existing asset; every asset is listed under its owner once; no id
	/// reaches `NextAssetId`.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let next = NextAssetId::<T>::get();
		let mut grants: BTreeMap<u64, u32> = BTreeMap::new();
		for (asset, _, grant) in Grants::<T>::iter() {
			*grants.entry(asset).or_default() += 1;
			if grant.escrow.is_some() && grant.key.is_some() {
				return Err("a grant holds a price in escrow after its key was delivered".into());
			}
		}
		let mut deployments: BTreeMap<u64, u32> = BTreeMap::new();
		for (_, asset) in Deployments::<T>::iter() {
			*deployments.entry(asset).or_default() += 1;
		}
		let mut enclave_keys: BTreeMap<u64, u32> = BTreeMap::new();
		for (asset, _, _) in EnclaveKeys::<T>::iter() {
			*enclave_keys.entry(asset).or_default() += 1;
		}
		for (asset, count) in EnclaveKeyCount::<T>::iter() {
			if count == 0 || enclave_keys.get(&asset) != Some(&count) {
				return Err("EnclaveKeyCount differs from the enclave keys delivered".into());
			}
			if count > T::MaxEnclavesPerAsset::get() {
				return Err("an asset's key is sealed to more than MaxEnclavesPerAsset".into());
			}
			if !Assets::<T>::contains_key(asset) {
				return Err("an enclave key names a missing asset".into());
			}
		}
		if enclave_keys.len() != EnclaveKeyCount::<T>::iter().count() {
			return Err("an asset has enclave keys but no EnclaveKeyCount".into());
		}
		let mut listed = 0usize;
		for (owner, assets) in AssetsByOwner::<T>::iter() {
			for asset in assets.iter() {
				let info = Assets::<T>::get(asset).ok_or("an owner lists a missing asset")?;
				if info.owner != owner {
					return Err("an asset is listed under an account that does not own it".into());
				}
				listed += 1;
			}
		}
		let mut count = 0usize;
		for (asset, info) in Assets::<T>::iter() {
			count += 1;
			if asset >= next {
				return Err("an asset id is not below NextAssetId".into());
			}
			if info.open_grants != grants.remove(&asset).unwrap_or(0) {
				return Err("an asset's open_grants differs from its grants and requests".into());
			}
			if info.deployments != deployments.remove(&asset).unwrap_or(0) {
				return Err("an asset's deployments differs from the services deploying it".into());
			}
		}
		if listed != count {
			return Err("assets and the owners' lists differ".into());
		}
		if !grants.is_empty() || !deployments.is_empty() {
			return Err("a grant or a deployment names a missing asset".into());
		}
		Ok(())
	}
}
