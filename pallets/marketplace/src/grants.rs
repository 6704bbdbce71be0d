//! Deposits, terms, and the grant records behind the access calls.

use crate::{
	pallet::*, AccessPolicy, AccessScope, AssetId, AssetOf, BalanceOf, ComputeMarket,
	EncryptionKey, Escrow, Grant, GrantOf, SealedKey, MIN_SEALED_KEY_LEN,
};
use polkadot_sdk::{
	frame_support::{
		ensure,
		pallet_prelude::*,
		traits::{
			fungible::{Mutate, MutateHold},
			tokens::{Fortitude, Precision, Preservation, Restriction},
		},
	},
	frame_system::{self, pallet_prelude::BlockNumberFor},
	sp_runtime::{
		traits::{Saturating, Zero},
		DispatchResult,
	},
};
use zerog_primitives::compute::ServiceId;

impl<T: Config> Pallet<T> {
	/// Holds `amount` from `who` for `reason`.
	pub(crate) fn hold(
		reason: HoldReason,
		who: &T::AccountId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		T::Currency::hold(&reason.into(), who, amount)
			.map_err(|_| Error::<T>::CannotHoldDeposit.into())
	}

	/// Releases `amount` held from `who` for `reason`.
	pub(crate) fn release(reason: HoldReason, who: &T::AccountId, amount: BalanceOf<T>) {
		// Every record's deposit was held when the record was made and is released once, so the
		// hold covers it; BestEffort keeps a release from failing a call that must go through.
		let _ = T::Currency::release(&reason.into(), who, amount, Precision::BestEffort);
	}

	/// The asset `asset`, if `who` owns it.
	pub(crate) fn owned_asset(
		asset: AssetId,
		who: &T::AccountId,
	) -> Result<AssetOf<T>, DispatchError> {
		let info = Assets::<T>::get(asset).ok_or(Error::<T>::UnknownAsset)?;
		ensure!(info.owner == *who, Error::<T>::NotOwner);
		Ok(info)
	}

	/// Checks an asset's terms: a paid asset has a price, every access period is in range.
	pub(crate) fn check_terms(
		policy: AccessPolicy,
		price: BalanceOf<T>,
		access_period: BlockNumberFor<T>,
	) -> DispatchResult {
		ensure!(policy != AccessPolicy::Paid || !price.is_zero(), Error::<T>::PriceRequired);
		ensure!(
			!access_period.is_zero() && access_period <= T::MaxAccessPeriod::get(),
			Error::<T>::AccessPeriodOutOfRange
		);
		Ok(())
	}

	/// Whether an encrypted asset's download grant can reach `who`: it needs a registered key.
	fn check_key_for(info: &AssetOf<T>, who: &T::AccountId, scope: AccessScope) -> DispatchResult {
		if info.encrypted && scope == AccessScope::Download {
			ensure!(EncryptionKeys::<T>::contains_key(who), Error::<T>::NoEncryptionKey);
		}
		Ok(())
	}

	/// A new grant record paid by `depositor`, counted on the asset.
	fn new_record(
		info: &mut AssetOf<T>,
		depositor: &T::AccountId,
		scope: AccessScope,
		expires_at: Option<BlockNumberFor<T>>,
	) -> Result<GrantOf<T>, DispatchError> {
		let deposit = T::GrantDeposit::get();
		Self::hold(HoldReason::GrantDeposit, depositor, deposit)?;
		info.open_grants = info.open_grants.saturating_add(1);
		Ok(Grant {
			scope,
			expires_at,
			depositor: depositor.clone(),
			deposit,
			key: None,
			escrow: None,
		})
	}

	/// Buys `scope` access to `asset` for `buyer`; the price paid and the new expiry.
	pub(crate) fn do_buy_access(
		asset: AssetId,
		buyer: &T::AccountId,
		scope: AccessScope,
		max_price: BalanceOf<T>,
	) -> Result<(BalanceOf<T>, BlockNumberFor<T>), DispatchError> {
		let mut info = Assets::<T>::get(asset).ok_or(Error::<T>::UnknownAsset)?;
		ensure!(info.policy == AccessPolicy::Paid, Error::<T>::NotForSale);
		ensure!(info.owner != *buyer, Error::<T>::OwnAsset);
		ensure!(info.price <= max_price, Error::<T>::PriceAboveLimit);
		Self::check_key_for(&info, buyer, scope)?;
		let now = frame_system::Pallet::<T>::block_number();
		let existing = Grants::<T>::get(asset, buyer);
		// An encrypted download is worth nothing without its key: until the owner delivers it,
		// the price stays the buyer's, held. Everything else is paid to the owner at once.
		let delivered =
			existing.as_ref().is_some_and(|grant| grant.scope == scope && grant.key.is_some());
		let escrowed = info.encrypted && scope == AccessScope::Download && !delivered;
		if escrowed {
			T::Currency::hold(&HoldReason::PurchaseEscrow.into(), buyer, info.price)
				.map_err(|_| Error::<T>::CannotPay)?;
		} else {
			T::Currency::transfer(buyer, &info.owner, info.price, Preservation::Preserve)
				.map_err(|_| Error::<T>::CannotPay)?;
		}
		let mut grant = match existing {
			Some(grant) => grant,
			None => Self::new_record(&mut info, buyer, scope, None)?,
		};
		// An unexpired grant is extended; an expired one or a request starts from now.
		let start = grant.expires_at.filter(|expires_at| *expires_at > now).unwrap_or(now);
		let expires_at = start.saturating_add(info.access_period);
		if grant.scope != scope {
			grant.key = None;
		}
		if escrowed {
			let held = grant.escrow.as_ref().map_or(Zero::zero(), |escrow| escrow.amount);
			grant.escrow = Some(Escrow {
				amount: held.saturating_add(info.price),
				refundable_from: now.saturating_add(T::KeyDeliveryPeriod::get()),
			});
		}
		grant.scope = scope;
		grant.expires_at = Some(expires_at);
		Grants::<T>::insert(asset, buyer, grant);
		let price = info.price;
		Assets::<T>::insert(asset, info);
		Ok((price, expires_at))
	}

	/// Records `requester`'s request for `scope` access to gated `asset`.
	pub(crate) fn do_request_access(
		asset: AssetId,
		requester: &T::AccountId,
		scope: AccessScope,
	) -> DispatchResult {
		let mut info = Assets::<T>::get(asset).ok_or(Error::<T>::UnknownAsset)?;
		ensure!(info.policy == AccessPolicy::Gated, Error::<T>::NotGated);
		ensure!(info.owner != *requester, Error::<T>::OwnAsset);
		let now = frame_system::Pallet::<T>::block_number();
		if let Some(existing) = Grants::<T>::get(asset, requester) {
			match existing.expires_at {
				None => return Err(Error::<T>::AlreadyRequested.into()),
				Some(expires_at) if expires_at > now => {
					return Err(Error::<T>::AlreadyGranted.into())
				},
				// An expired grant makes way for the new request.
				Some(_) => Self::drop_record(&mut info, asset, requester, existing),
			}
		}
		Self::check_key_for(&info, requester, scope)?;
		let request = Self::new_record(&mut info, requester, scope, None)?;
		Grants::<T>::insert(asset, requester, request);
		Assets::<T>::insert(asset, info);
		Ok(())
	}

	/// Grants `grantee` `scope` access to `asset` until `expires_at`, on `owner`'s word.
	pub(crate) fn do_grant_access(
		asset: AssetId,
		owner: &T::AccountId,
		grantee: &T::AccountId,
		scope: AccessScope,
		expires_at: BlockNumberFor<T>,
	) -> DispatchResult {
		let mut info = Self::owned_asset(asset, owner)?;
		ensure!(info.owner != *grantee, Error::<T>::OwnAsset);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(
			expires_at > now && expires_at <= now.saturating_add(T::MaxAccessPeriod::get()),
			Error::<T>::ExpiryOutOfRange
		);
		let mut grant = match Grants::<T>::get(asset, grantee) {
			Some(grant) => grant,
			None => Self::new_record(&mut info, owner, scope, None)?,
		};
		if grant.scope != scope {
			grant.key = None;
		}
		grant.scope = scope;
		grant.expires_at = Some(expires_at);
		Grants::<T>::insert(asset, grantee, grant);
		Assets::<T>::insert(asset, info);
		Ok(())
	}

	/// Removes `account`'s record for `asset` if `allowed` says so, returning its deposit.
	pub(crate) fn remove_record(
		asset: AssetId,
		account: &T::AccountId,
		allowed: impl FnOnce(&GrantOf<T>) -> Result<(), Error<T>>,
	) -> DispatchResult {
		let grant = Grants::<T>::get(asset, account).ok_or(Error::<T>::NoGrant)?;
		allowed(&grant)?;
		let mut info = Assets::<T>::get(asset).ok_or(Error::<T>::UnknownAsset)?;
		Self::drop_record(&mut info, asset, account, grant);
		Assets::<T>::insert(asset, info);
		Ok(())
	}

	/// Removes a record, uncounts it and releases its deposit to whoever paid it.
	fn drop_record(
		info: &mut AssetOf<T>,
		asset: AssetId,
		account: &T::AccountId,
		grant: GrantOf<T>,
	) {
		Grants::<T>::remove(asset, account);
		info.open_grants = info.open_grants.saturating_sub(1);
		Self::release(HoldReason::GrantDeposit, &grant.depositor, grant.deposit);
		// A price still in escrow was never earned: it goes back to the buyer.
		if let Some(escrow) = grant.escrow {
			Self::release(HoldReason::PurchaseEscrow, account, escrow.amount);
			Self::deposit_event(Event::PurchaseRefunded {
				asset,
				buyer: account.clone(),
				amount: escrow.amount,
			});
		}
	}

	/// Stores `sealed` as `grantee`'s key for `asset` and pays the owner any price held in
	/// escrow; the key it is sealed to, and the price paid.
	pub(crate) fn do_deliver_key(
		asset: AssetId,
		owner: &T::AccountId,
		grantee: &T::AccountId,
		sealed: BoundedVec<u8, T::MaxSealedKeyLen>,
	) -> Result<(EncryptionKey, Option<BalanceOf<T>>), DispatchError> {
		Self::owned_asset(asset, owner)?;
		ensure!(sealed.len() as u32 >= MIN_SEALED_KEY_LEN, Error::<T>::SealedKeyTooShort);
		let mut grant = Self::active_grant(asset, grantee)?;
		ensure!(grant.scope == AccessScope::Download, Error::<T>::WrongScope);
		let recipient = EncryptionKeys::<T>::get(grantee).ok_or(Error::<T>::NoEncryptionKey)?;
		grant.key = Some(SealedKey { recipient, sealed });
		let paid = match grant.escrow.take() {
			Some(escrow) => Some(T::Currency::transfer_on_hold(
				&HoldReason::PurchaseEscrow.into(),
				grantee,
				owner,
				escrow.amount,
				Precision::BestEffort,
				Restriction::Free,
				Fortitude::Polite,
			)?),
			None => None,
		};
		Grants::<T>::insert(asset, grantee, grant);
		Ok((recipient, paid))
	}

	/// `account`'s unexpired grant for `asset`.
	pub fn active_grant(
		asset: AssetId,
		account: &T::AccountId,
	) -> Result<GrantOf<T>, DispatchError> {
		let grant = Grants::<T>::get(asset, account).ok_or(Error::<T>::NoGrant)?;
		let now = frame_system::Pallet::<T>::block_number();
		match grant.expires_at {
			Some(expires_at) if expires_at > now => Ok(grant),
			_ => Err(Error::<T>::NoActiveGrant.into()),
		}
	}

	/// Links `service` to model `asset` for `provider`.
	pub(crate) fn do_deploy(
		asset: AssetId,
		service: ServiceId,
		provider: &T::AccountId,
	) -> DispatchResult {
		let service_provider =
			T::Compute::provider_of(service).ok_or(Error::<T>::UnknownService)?;
		ensure!(service_provider == *provider, Error::<T>::NotServiceProvider);
		let mut info = Assets::<T>::get(asset).ok_or(Error::<T>::UnknownAsset)?;
		ensure!(info.kind == crate::AssetKind::Model, Error::<T>::NotAModel);
		if info.owner != *provider && info.policy != AccessPolicy::Public {
			let grant = Self::active_grant(asset, provider)?;
			ensure!(grant.scope == AccessScope::Download, Error::<T>::WrongScope);
		}
		match Deployments::<T>::get(service) {
			Some(deployed) if deployed == asset => return Err(Error::<T>::AlreadyDeployed.into()),
			Some(deployed) => Self::end_deployment(service, deployed),
			None => {},
		}
		info.deployments = info.deployments.saturating_add(1);
		Assets::<T>::insert(asset, info);
		Deployments::<T>::insert(service, asset);
		Ok(())
	}

	/// Unlinks `service` from `asset`.
	pub(crate) fn end_deployment(service: ServiceId, asset: AssetId) {
		Deployments::<T>::remove(service);
		Assets::<T>::mutate(asset, |info| {
			if let Some(info) = info {
				info.deployments = info.deployments.saturating_sub(1);
			}
		});
		Self::deposit_event(Event::ModelUndeployed { asset, service });
	}
}
