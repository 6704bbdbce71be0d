//! `IZeroGMarketplace`: read assets and grants, buy or request access, act as an owner (grant,
//! revoke, deliver sealed keys) and deploy a model on a compute service, from Solidity.

use super::{
	account, account_word, address, address_of, balance, charge_reads, dispatch_as_caller, emit,
	refuse_delegate_and_value, revert, word,
};
use crate::Runtime;
use alloc::vec::Vec;
use core::num::NonZero;
use pallet_marketplace::{AccessPolicy, AccessScope, AssetKind, Assets, EncryptionKeys, Grants};
use pallet_revive::precompiles::{
	alloy::{self, primitives::U256, sol_types::SolCall},
	AddressMatcher, Error, Ext, Precompile,
};

alloy::sol!("../sdk/solidity/IZeroGMarketplace.sol");
use IZeroGMarketplace::{IZeroGMarketplaceCalls as Call, *};

type MarketplaceCall = pallet_marketplace::Call<Runtime>;

/// The marketplace pallet as the precompile `IZeroGMarketplace`.
pub struct MarketplacePrecompile;

/// A scope from Solidity's `uint8` (0: download, 1: compute).
fn scope(value: u8) -> Result<AccessScope, Error> {
	match value {
		0 => Ok(AccessScope::Download),
		1 => Ok(AccessScope::Compute),
		_ => Err(revert("UnknownScope")),
	}
}

fn scope_number(scope: AccessScope) -> u8 {
	match scope {
		AccessScope::Download => 0,
		AccessScope::Compute => 1,
	}
}

impl Precompile for MarketplacePrecompile {
	type T = Runtime;
	type Interface = Call;
	const MATCHER: AddressMatcher =
		AddressMatcher::Fixed(NonZero::new(address::MARKETPLACE).expect("not zero"));
	const HAS_CONTRACT_INFO: bool = false;

	fn call(
		_address: &[u8; 20],
		input: &Self::Interface,
		env: &mut impl Ext<T = Self::T>,
	) -> Result<Vec<u8>, Error> {
		refuse_delegate_and_value(env)?;
		match input {
			Call::registerEncryptionKey(call) => {
				let key = call.key.0;
				let who =
					dispatch_as_caller(env, MarketplaceCall::register_encryption_key { key })?;
				emit(env, EncryptionKeyRegistered { account: address_of(&who), key: call.key })?;
				Ok(Vec::new())
			},
			Call::buyAccess(call) => {
				let access = scope(call.scope)?;
				let max_price = balance(call.maxPrice)?;
				let buyer = dispatch_as_caller(
					env,
					MarketplaceCall::buy_access { asset: call.assetId, scope: access, max_price },
				)?;
				// The event reads the grant and the asset the call just wrote.
				charge_reads(env, 2)?;
				let grant = Grants::<Runtime>::get(call.assetId, &buyer);
				let info = Assets::<Runtime>::get(call.assetId);
				emit(
					env,
					AccessBought {
						assetId: call.assetId,
						buyer: address_of(&buyer),
						scope: call.scope,
						price: U256::from(info.map(|info| info.price).unwrap_or_default()),
						expiresAt: grant.and_then(|grant| grant.expires_at).unwrap_or_default(),
					},
				)?;
				Ok(Vec::new())
			},
			Call::requestAccess(call) => {
				let access = scope(call.scope)?;
				let requester = dispatch_as_caller(
					env,
					MarketplaceCall::request_access { asset: call.assetId, scope: access },
				)?;
				emit(
					env,
					AccessRequested {
						assetId: call.assetId,
						requester: address_of(&requester),
						scope: call.scope,
					},
				)?;
				Ok(Vec::new())
			},
			Call::grantAccess(call) => {
				let access = scope(call.scope)?;
				dispatch_as_caller(
					env,
					MarketplaceCall::grant_access {
						asset: call.assetId,
						grantee: account(call.grantee),
						scope: access,
						expires_at: call.expiresAt,
					},
				)?;
				emit(
					env,
					AccessGranted {
						assetId: call.assetId,
						grantee: call.grantee,
						scope: call.scope,
						expiresAt: call.expiresAt,
					},
				)?;
				Ok(Vec::new())
			},
			Call::revokeAccess(call) => {
				dispatch_as_caller(
					env,
					MarketplaceCall::revoke_access {
						asset: call.assetId,
						grantee: account(call.grantee),
					},
				)?;
				emit(env, AccessRevoked { assetId: call.assetId, grantee: call.grantee })?;
				Ok(Vec::new())
			},
			Call::deliverKey(call) => {
				let sealed =
					call.sealedKey.to_vec().try_into().map_err(|_| revert("SealedKeyTooLong"))?;
				dispatch_as_caller(
					env,
					MarketplaceCall::deliver_key {
						asset: call.assetId,
						grantee: account(call.grantee),
						sealed,
					},
				)?;
				emit(env, KeyDelivered { assetId: call.assetId, grantee: call.grantee })?;
				Ok(Vec::new())
			},
			Call::deploy(call) => {
				let provider = dispatch_as_caller(
					env,
					MarketplaceCall::deploy { asset: call.assetId, service: call.serviceId },
				)?;
				emit(
					env,
					ModelDeployed {
						assetId: call.assetId,
						serviceId: call.serviceId,
						provider: address_of(&provider),
					},
				)?;
				Ok(Vec::new())
			},
			Call::asset(call) => {
				charge_reads(env, 1)?;
				let info = Assets::<Runtime>::get(call.assetId).ok_or(revert("UnknownAsset"))?;
				Ok(assetCall::abi_encode_returns(&Asset {
					owner: account_word(&info.owner),
					kind: match info.kind {
						AssetKind::Model => 0,
						AssetKind::Dataset => 1,
					},
					name: lossy(&info.name),
					version: lossy(&info.version),
					license: lossy(&info.license),
					root: word(info.root),
					size: info.size,
					encrypted: info.encrypted,
					policy: match info.policy {
						AccessPolicy::Public => 0,
						AccessPolicy::Gated => 1,
						AccessPolicy::Paid => 2,
					},
					price: U256::from(info.price),
					accessPeriod: info.access_period,
					openGrants: info.open_grants,
				}))
			},
			Call::grantOf(call) => {
				charge_reads(env, 1)?;
				let grant = Grants::<Runtime>::get(call.assetId, account(call.account))
					.ok_or(revert("NoGrant"))?;
				let (recipient, sealed) = grant
					.key
					.map(|key| (key.recipient, key.sealed.into_inner()))
					.unwrap_or_default();
				Ok(grantOfCall::abi_encode_returns(&Grant {
					scope: scope_number(grant.scope),
					granted: grant.expires_at.is_some(),
					expiresAt: grant.expires_at.unwrap_or_default(),
					recipientKey: recipient.into(),
					sealedKey: sealed.into(),
				}))
			},
			Call::encryptionKey(call) => {
				charge_reads(env, 1)?;
				let key = EncryptionKeys::<Runtime>::get(account(call.account)).unwrap_or_default();
				Ok(encryptionKeyCall::abi_encode_returns(&key.into()))
			},
		}
	}
}

/// Bytes the pallet stores as checked UTF-8 text, as a Solidity `string`.
fn lossy(bytes: &[u8]) -> alloc::string::String {
	alloc::string::String::from_utf8_lossy(bytes).into_owned()
}
