//! Every call of the marketplace and every error it can return, in the mock runtime; each test
//! ends with the pallet's invariants checked (`mock::run`).

use crate::{mock::*, pallet::*, *};
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok,
		traits::{fungible::InspectHold, Hooks},
		BoundedVec,
	},
	sp_core::H256,
	sp_runtime::DispatchError,
};

pub(crate) fn origin(account: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(account)
}

pub(crate) fn root(n: u8) -> H256 {
	H256::repeat_byte(n)
}

pub(crate) fn held(account: AccountId, reason: HoldReason) -> Balance {
	Balances::balance_on_hold(&RuntimeHoldReason::Marketplace(reason), &account)
}

pub(crate) fn free(account: AccountId) -> Balance {
	Balances::free_balance(account)
}

pub(crate) fn last_event() -> Event<Test> {
	System::events()
		.into_iter()
		.rev()
		.find_map(|record| match record.event {
			RuntimeEvent::Marketplace(event) => Some(event),
			_ => None,
		})
		.expect("a marketplace event")
}

/// The arguments of `register_asset`, changed by each test as it needs.
#[derive(Clone)]
pub(crate) struct NewAsset {
	pub(crate) kind: AssetKind,
	pub(crate) name: Vec<u8>,
	pub(crate) version: Vec<u8>,
	pub(crate) license: Vec<u8>,
	pub(crate) root: H256,
	pub(crate) size: u64,
	pub(crate) card: Option<H256>,
	pub(crate) encrypted: bool,
	pub(crate) policy: AccessPolicy,
	pub(crate) price: Balance,
	pub(crate) access_period: BlockNumber,
}

impl Default for NewAsset {
	fn default() -> Self {
		Self {
			kind: AssetKind::Dataset,
			name: b"tiny-shakespeare".to_vec(),
			version: b"1.0.0".to_vec(),
			license: b"CC-BY-4.0".to_vec(),
			root: root(1),
			size: FILE_SIZE,
			card: Some(root(2)),
			encrypted: true,
			policy: AccessPolicy::Paid,
			price: 500,
			access_period: 100,
		}
	}
}

impl NewAsset {
	pub(crate) fn model() -> Self {
		Self { kind: AssetKind::Model, name: b"tiny-gpt".to_vec(), ..Default::default() }
	}

	pub(crate) fn register(self, owner: AccountId) -> Result<AssetId, DispatchError> {
		let id = NextAssetId::<Test>::get();
		Marketplace::register_asset(
			origin(owner),
			self.kind,
			self.name.try_into().map_err(|_| "name too long")?,
			self.version.try_into().map_err(|_| "version too long")?,
			self.license.try_into().map_err(|_| "license too long")?,
			self.root,
			self.size,
			self.card,
			self.encrypted,
			self.policy,
			self.price,
			self.access_period,
		)?;
		Ok(id)
	}
}

pub(crate) fn register_key(account: AccountId, byte: u8) {
	assert_ok!(Marketplace::register_encryption_key(origin(account), [byte; 32]));
}

pub(crate) fn sealed(
	length: usize,
) -> BoundedVec<u8, polkadot_sdk::frame_support::traits::ConstU32<128>> {
	vec![0xAB; length].try_into().unwrap()
}

#[test]
fn the_configuration_passes_the_integrity_test() {
	run(<Marketplace as Hooks<BlockNumber>>::integrity_test);
}

#[test]
fn an_encryption_key_is_registered_replaced_and_removed_with_one_deposit() {
	run(|| {
		register_key(BUYER, 1);
		assert_eq!(EncryptionKeys::<Test>::get(BUYER), Some([1; 32]));
		assert_eq!(held(BUYER, HoldReason::KeyDeposit), KEY_DEPOSIT);
		assert_eq!(last_event(), Event::EncryptionKeyRegistered { who: BUYER, key: [1; 32] });
		// Replacing holds nothing more.
		register_key(BUYER, 2);
		assert_eq!(EncryptionKeys::<Test>::get(BUYER), Some([2; 32]));
		assert_eq!(held(BUYER, HoldReason::KeyDeposit), KEY_DEPOSIT);

		assert_ok!(Marketplace::remove_encryption_key(origin(BUYER)));
		assert_eq!(EncryptionKeys::<Test>::get(BUYER), None);
		assert_eq!(held(BUYER, HoldReason::KeyDeposit), 0);
		assert_eq!(free(BUYER), FUNDS);
		assert_eq!(last_event(), Event::EncryptionKeyRemoved { who: BUYER });
	});
}

#[test]
fn encryption_key_errors() {
	run(|| {
		assert_noop!(
			Marketplace::register_encryption_key(origin(BUYER), [0; 32]),
			Error::<Test>::InvalidEncryptionKey
		);
		assert_noop!(
			Marketplace::register_encryption_key(origin(PAUPER), [1; 32]),
			Error::<Test>::CannotHoldDeposit
		);
		assert_noop!(
			Marketplace::remove_encryption_key(origin(BUYER)),
			Error::<Test>::NoEncryptionKey
		);
	});
}

#[test]
fn an_asset_is_registered_against_a_live_file_with_a_deposit() {
	run(|| {
		let asset = NewAsset::default().register(OWNER).unwrap();
		assert_eq!(asset, 0);
		let info = Assets::<Test>::get(asset).unwrap();
		assert_eq!(
			(info.owner, info.kind, info.root, info.size),
			(OWNER, AssetKind::Dataset, root(1), FILE_SIZE)
		);
		assert_eq!(
			(info.card, info.encrypted, info.policy, info.price),
			(Some(root(2)), true, AccessPolicy::Paid, 500)
		);
		assert_eq!(
			(&info.name[..], &info.license[..]),
			(&b"tiny-shakespeare"[..], &b"CC-BY-4.0"[..])
		);
		assert_eq!((info.open_grants, info.deployments, info.registered_at), (0, 0, 1));
		assert_eq!(held(OWNER, HoldReason::AssetDeposit), ASSET_DEPOSIT);
		assert_eq!(AssetsByOwner::<Test>::get(OWNER).into_inner(), vec![0]);
		assert_eq!(NextAssetId::<Test>::get(), 1);
		assert_eq!(
			last_event(),
			Event::AssetRegistered {
				asset,
				owner: OWNER,
				kind: AssetKind::Dataset,
				root: root(1),
				size: FILE_SIZE,
				policy: AccessPolicy::Paid,
				price: 500,
			}
		);
		// A public asset needs no price; ids go on.
		let public =
			NewAsset { policy: AccessPolicy::Public, price: 0, card: None, ..NewAsset::model() };
		assert_eq!(public.register(OWNER), Ok(1));
	});
}

#[test]
fn register_asset_refuses_bad_input_and_changes_nothing() {
	run(|| {
		let refused = |asset: NewAsset, error: Error<Test>| {
			assert_eq!(asset.register(OWNER), Err(error.into()));
		};
		refused(NewAsset { name: vec![], ..Default::default() }, Error::InvalidName);
		refused(NewAsset { name: vec![0xff, 0xfe], ..Default::default() }, Error::InvalidName);
		refused(NewAsset { name: b"bad\nname".to_vec(), ..Default::default() }, Error::InvalidName);
		refused(NewAsset { version: vec![], ..Default::default() }, Error::InvalidVersion);
		for license in [&b""[..], &b"MIT; rm -rf"[..], &b"<script>"[..], &b"-MIT"[..]] {
			refused(
				NewAsset { license: license.to_vec(), ..Default::default() },
				Error::InvalidLicense,
			);
		}
		forget_file(root(9));
		refused(NewAsset { root: root(9), ..Default::default() }, Error::FileNotStored);
		refused(NewAsset { size: FILE_SIZE + 1, ..Default::default() }, Error::FileSizeMismatch);
		refused(NewAsset { card: Some(root(9)), ..Default::default() }, Error::CardNotStored);
		refused(NewAsset { price: 0, ..Default::default() }, Error::PriceRequired);
		refused(NewAsset { access_period: 0, ..Default::default() }, Error::AccessPeriodOutOfRange);
		refused(
			NewAsset { access_period: MAX_ACCESS_PERIOD + 1, ..Default::default() },
			Error::AccessPeriodOutOfRange,
		);
		assert_eq!(
			NewAsset::default().register(PAUPER),
			Err(Error::<Test>::CannotHoldDeposit.into())
		);
		assert_eq!(NextAssetId::<Test>::get(), 0);
		assert_eq!(held(OWNER, HoldReason::AssetDeposit), 0);

		for _ in 0..MAX_ASSETS {
			NewAsset::default().register(OWNER).unwrap();
		}
		refused(NewAsset::default(), Error::TooManyAssets);
		// Licenses SPDX allows.
		for license in [
			&b"Apache-2.0 OR MIT"[..],
			&b"(GPL-2.0+ WITH Classpath-exception-2.0)"[..],
			&b"LicenseRef-x:y"[..],
		] {
			assert!(crate::is_spdx_expression(license), "{license:?}");
		}
	});
}

#[test]
fn update_and_remove_an_asset() {
	run(|| {
		let asset = NewAsset::default().register(OWNER).unwrap();
		assert_ok!(Marketplace::update_asset(origin(OWNER), asset, AccessPolicy::Gated, 0, 50));
		let info = Assets::<Test>::get(asset).unwrap();
		assert_eq!((info.policy, info.price, info.access_period), (AccessPolicy::Gated, 0, 50));
		assert_eq!(
			last_event(),
			Event::AssetUpdated { asset, policy: AccessPolicy::Gated, price: 0, access_period: 50 }
		);
		assert_noop!(
			Marketplace::update_asset(origin(OTHER), asset, AccessPolicy::Public, 0, 50),
			Error::<Test>::NotOwner
		);
		assert_noop!(
			Marketplace::update_asset(origin(OWNER), 99, AccessPolicy::Public, 0, 50),
			Error::<Test>::UnknownAsset
		);
		assert_noop!(
			Marketplace::update_asset(origin(OWNER), asset, AccessPolicy::Paid, 0, 50),
			Error::<Test>::PriceRequired
		);
		assert_noop!(Marketplace::remove_asset(origin(OTHER), asset), Error::<Test>::NotOwner);

		assert_ok!(Marketplace::remove_asset(origin(OWNER), asset));
		assert_eq!(Assets::<Test>::get(asset), None);
		assert!(AssetsByOwner::<Test>::get(OWNER).is_empty());
		assert_eq!(held(OWNER, HoldReason::AssetDeposit), 0);
		assert_eq!(free(OWNER), FUNDS);
		assert_eq!(last_event(), Event::AssetRemoved { asset });
		assert_noop!(Marketplace::remove_asset(origin(OWNER), asset), Error::<Test>::UnknownAsset);
	});
}

#[test]
fn an_asset_with_grants_requests_or_deployments_is_not_removed() {
	run(|| {
		let asset = NewAsset { policy: AccessPolicy::Gated, price: 0, ..NewAsset::model() }
			.register(OWNER)
			.unwrap();
		register_key(BUYER, 1);
		assert_ok!(Marketplace::request_access(origin(BUYER), asset, AccessScope::Download));
		assert_noop!(Marketplace::remove_asset(origin(OWNER), asset), Error::<Test>::AssetInUse);
		assert_ok!(Marketplace::deny_access(origin(OWNER), asset, BUYER));
		// PROVIDER runs SERVICE: the owner grants it the model, and it deploys it.
		assert_ok!(Marketplace::grant_access(
			origin(OWNER),
			asset,
			PROVIDER,
			AccessScope::Download,
			50
		));
		assert_ok!(Marketplace::deploy(origin(PROVIDER), asset, SERVICE));
		assert_ok!(Marketplace::revoke_access(origin(OWNER), asset, PROVIDER));
		assert_noop!(Marketplace::remove_asset(origin(OWNER), asset), Error::<Test>::AssetInUse);
		assert_ok!(Marketplace::undeploy(origin(PROVIDER), SERVICE));
		assert_ok!(Marketplace::remove_asset(origin(OWNER), asset));
	});
}

#[test]
fn access_is_bought_for_the_price_and_extended_by_buying_again() {
	run(|| {
		// Not encrypted: the price goes to the owner at once (encrypted ones: escrow tests).
		let asset = NewAsset { encrypted: false, ..Default::default() }.register(OWNER).unwrap();
		register_key(BUYER, 1);
		let owner_before = free(OWNER);
		assert_ok!(Marketplace::buy_access(origin(BUYER), asset, AccessScope::Download, 500));
		assert_eq!(free(OWNER), owner_before + 500);
		assert_eq!(free(BUYER), FUNDS - KEY_DEPOSIT - 500 - GRANT_DEPOSIT);
		assert_eq!(held(BUYER, HoldReason::GrantDeposit), GRANT_DEPOSIT);
		let grant = Grants::<Test>::get(asset, BUYER).unwrap();
		assert_eq!(
			(grant.scope, grant.expires_at, grant.depositor, grant.key, grant.escrow),
			(AccessScope::Download, Some(101), BUYER, None, None)
		);
		assert_eq!(
			last_event(),
			Event::AccessBought {
				asset,
				buyer: BUYER,
				scope: AccessScope::Download,
				price: 500,
				expires_at: 101
			}
		);
		assert_eq!(Assets::<Test>::get(asset).unwrap().open_grants, 1);

		// Again before it expires: the period adds to what is left; no second deposit.
		System::set_block_number(51);
		assert_ok!(Marketplace::buy_access(origin(BUYER), asset, AccessScope::Download, 500));
		assert_eq!(Grants::<Test>::get(asset, BUYER).unwrap().expires_at, Some(201));
		assert_eq!(held(BUYER, HoldReason::GrantDeposit), GRANT_DEPOSIT);
		// After it expired: from now.
		System::set_block_number(300);
		assert_ok!(Marketplace::buy_access(origin(BUYER), asset, AccessScope::Download, 600));
		assert_eq!(Grants::<Test>::get(asset, BUYER).unwrap().expires_at, Some(400));
		assert_eq!(Assets::<Test>::get(asset).unwrap().open_grants, 1);
	});
}

#[test]
fn buy_access_errors_change_nothing() {
	run(|| {
		let asset = NewAsset::default().register(OWNER).unwrap();
		let gated = NewAsset { policy: AccessPolicy::Gated, price: 0, ..Default::default() }
			.register(OWNER)
			.unwrap();
		let buy = |who, asset, scope, max| Marketplace::buy_access(origin(who), asset, scope, max);
		assert_noop!(buy(BUYER, 99, AccessScope::Download, 500), Error::<Test>::UnknownAsset);
		assert_noop!(buy(BUYER, gated, AccessScope::Download, 500), Error::<Test>::NotForSale);
		assert_noop!(buy(OWNER, asset, AccessScope::Download, 500), Error::<Test>::OwnAsset);
		assert_noop!(buy(BUYER, asset, AccessScope::Download, 499), Error::<Test>::PriceAboveLimit);
		// An encrypted asset bought for download needs a key to seal to.
		assert_noop!(buy(BUYER, asset, AccessScope::Download, 500), Error::<Test>::NoEncryptionKey);
		// Without funds (and without the funds to keep the account alive after paying).
		assert_noop!(buy(PAUPER, asset, AccessScope::Compute, 500), Error::<Test>::CannotPay);
		let _ = Balances::force_set_balance(RuntimeOrigin::root(), OTHER, 500);
		assert_noop!(buy(OTHER, asset, AccessScope::Compute, 500), Error::<Test>::CannotPay);
		// Compute scope needs no key: the key goes to a job's signer.
		assert_ok!(buy(BUYER, asset, AccessScope::Compute, 500));
	});
}

#[test]
fn gated_access_is_requested_then_approved_by_the_owner() {
	run(|| {
		let asset = NewAsset { policy: AccessPolicy::Gated, price: 0, ..Default::default() }
			.register(OWNER)
			.unwrap();
		register_key(BUYER, 1);
		assert_ok!(Marketplace::request_access(origin(BUYER), asset, AccessScope::Download));
		assert_eq!(
			last_event(),
			Event::AccessRequested { asset, requester: BUYER, scope: AccessScope::Download }
		);
		assert_eq!(held(BUYER, HoldReason::GrantDeposit), GRANT_DEPOSIT);
		assert_eq!(Grants::<Test>::get(asset, BUYER).unwrap().expires_at, None);
		// A request is not access.
		assert_noop!(
			Marketplace::active_grant(asset, &BUYER).map(|_| ()),
			Error::<Test>::NoActiveGrant
		);
		assert_noop!(
			Marketplace::request_access(origin(BUYER), asset, AccessScope::Download),
			Error::<Test>::AlreadyRequested
		);

		assert_ok!(Marketplace::grant_access(
			origin(OWNER),
			asset,
			BUYER,
			AccessScope::Download,
			60
		));
		assert_eq!(
			last_event(),
			Event::AccessGranted {
				asset,
				grantee: BUYER,
				scope: AccessScope::Download,
				expires_at: 60
			}
		);
		let grant = Marketplace::active_grant(asset, &BUYER).unwrap();
		assert_eq!(
			(grant.expires_at, grant.depositor),
			(Some(60), BUYER),
			"the requester's deposit stays"
		);
		assert_eq!(held(OWNER, HoldReason::GrantDeposit), 0);
		assert_noop!(
			Marketplace::request_access(origin(BUYER), asset, AccessScope::Download),
			Error::<Test>::AlreadyGranted
		);
		assert_eq!(Assets::<Test>::get(asset).unwrap().open_grants, 1);
	});
}

#[test]
fn request_and_grant_errors() {
	run(|| {
		let paid = NewAsset::default().register(OWNER).unwrap();
		let gated = NewAsset { policy: AccessPolicy::Gated, price: 0, ..Default::default() }
			.register(OWNER)
			.unwrap();
		let request =
			|who, asset| Marketplace::request_access(origin(who), asset, AccessScope::Download);
		assert_noop!(request(BUYER, 99), Error::<Test>::UnknownAsset);
		assert_noop!(request(BUYER, paid), Error::<Test>::NotGated);
		assert_noop!(request(OWNER, gated), Error::<Test>::OwnAsset);
		assert_noop!(request(BUYER, gated), Error::<Test>::NoEncryptionKey);
		assert_noop!(
			Marketplace::request_access(origin(PAUPER), gated, AccessScope::Compute),
			Error::<Test>::CannotHoldDeposit
		);

		let grant = |who, grantee, expires_at| {
			Marketplace::grant_access(
				origin(who),
				gated,
				grantee,
				AccessScope::Download,
				expires_at,
			)
		};
		assert_noop!(grant(OTHER, BUYER, 50), Error::<Test>::NotOwner);
		assert_noop!(grant(OWNER, OWNER, 50), Error::<Test>::OwnAsset);
		assert_noop!(grant(OWNER, BUYER, 1), Error::<Test>::ExpiryOutOfRange);
		assert_noop!(grant(OWNER, BUYER, 2 + MAX_ACCESS_PERIOD), Error::<Test>::ExpiryOutOfRange);
		// Unasked, the owner pays the deposit.
		assert_ok!(grant(OWNER, BUYER, 50));
		assert_eq!(held(OWNER, HoldReason::GrantDeposit), GRANT_DEPOSIT);

		assert_noop!(
			Marketplace::deny_access(origin(OTHER), gated, BUYER),
			Error::<Test>::NotOwner
		);
		assert_noop!(
			Marketplace::deny_access(origin(OWNER), gated, BUYER),
			Error::<Test>::NoRequest
		);
		assert_noop!(Marketplace::deny_access(origin(OWNER), gated, OTHER), Error::<Test>::NoGrant);
		assert_noop!(Marketplace::withdraw_request(origin(BUYER), gated), Error::<Test>::NoRequest);
	});
}

#[test]
fn a_request_is_denied_or_withdrawn_and_its_deposit_returned() {
	run(|| {
		let asset = NewAsset { policy: AccessPolicy::Gated, price: 0, ..Default::default() }
			.register(OWNER)
			.unwrap();
		register_key(BUYER, 1);
		register_key(OTHER, 2);
		assert_ok!(Marketplace::request_access(origin(BUYER), asset, AccessScope::Download));
		assert_ok!(Marketplace::request_access(origin(OTHER), asset, AccessScope::Download));
		assert_ok!(Marketplace::deny_access(origin(OWNER), asset, BUYER));
		assert_eq!(last_event(), Event::AccessDenied { asset, requester: BUYER });
		assert_eq!(held(BUYER, HoldReason::GrantDeposit), 0);
		assert_ok!(Marketplace::withdraw_request(origin(OTHER), asset));
		assert_eq!(last_event(), Event::RequestWithdrawn { asset, requester: OTHER });
		assert_eq!(held(OTHER, HoldReason::GrantDeposit), 0);
		assert_eq!(Assets::<Test>::get(asset).unwrap().open_grants, 0);
	});
}

#[test]
fn a_grant_expires_and_anyone_removes_it() {
	run(|| {
		let asset = NewAsset::default().register(OWNER).unwrap();
		register_key(BUYER, 1);
		assert_ok!(Marketplace::buy_access(origin(BUYER), asset, AccessScope::Download, 500));
		assert_noop!(
			Marketplace::remove_expired_grant(origin(OTHER), asset, BUYER),
			Error::<Test>::GrantNotExpired
		);
		System::set_block_number(101);
		// An expired grantee has no access, and no key is delivered to it.
		assert_noop!(
			Marketplace::active_grant(asset, &BUYER).map(|_| ()),
			Error::<Test>::NoActiveGrant
		);
		assert_noop!(
			Marketplace::deliver_key(origin(OWNER), asset, BUYER, sealed(104)),
			Error::<Test>::NoActiveGrant
		);
		assert_ok!(Marketplace::remove_expired_grant(origin(OTHER), asset, BUYER));
		assert_eq!(last_event(), Event::GrantRemoved { asset, grantee: BUYER });
		assert_eq!(held(BUYER, HoldReason::GrantDeposit), 0);
		assert_noop!(
			Marketplace::remove_expired_grant(origin(OTHER), asset, BUYER),
			Error::<Test>::NoGrant
		);
		// A pending request is not a grant anyone may remove.
		let gated = NewAsset { policy: AccessPolicy::Gated, price: 0, ..Default::default() }
			.register(OWNER)
			.unwrap();
		assert_ok!(Marketplace::request_access(origin(BUYER), gated, AccessScope::Download));
		assert_noop!(
			Marketplace::remove_expired_grant(origin(OTHER), gated, BUYER),
			Error::<Test>::NoGrant
		);
	});
}

#[test]
fn an_expired_grant_makes_way_for_a_new_request() {
	run(|| {
		let asset = NewAsset { policy: AccessPolicy::Gated, price: 0, ..Default::default() }
			.register(OWNER)
			.unwrap();
		register_key(BUYER, 1);
		assert_ok!(Marketplace::grant_access(
			origin(OWNER),
			asset,
			BUYER,
			AccessScope::Download,
			10
		));
		System::set_block_number(10);
		assert_ok!(Marketplace::request_access(origin(BUYER), asset, AccessScope::Download));
		// The owner's deposit for the old grant went back; the requester pays for the request.
		assert_eq!(held(OWNER, HoldReason::GrantDeposit), 0);
		assert_eq!(held(BUYER, HoldReason::GrantDeposit), GRANT_DEPOSIT);
		assert_eq!(Grants::<Test>::get(asset, BUYER).unwrap().expires_at, None);
		assert_eq!(Assets::<Test>::get(asset).unwrap().open_grants, 1);
	});
}

#[test]
fn the_owner_revokes_a_grant_and_the_deposit_goes_back_to_its_payer() {
	run(|| {
		let asset = NewAsset::default().register(OWNER).unwrap();
		register_key(BUYER, 1);
		assert_ok!(Marketplace::buy_access(origin(BUYER), asset, AccessScope::Download, 500));
		assert_noop!(
			Marketplace::revoke_access(origin(OTHER), asset, BUYER),
			Error::<Test>::NotOwner
		);
		assert_noop!(
			Marketplace::revoke_access(origin(OWNER), asset, OTHER),
			Error::<Test>::NoGrant
		);
		assert_ok!(Marketplace::revoke_access(origin(OWNER), asset, BUYER));
		assert_eq!(last_event(), Event::AccessRevoked { asset, grantee: BUYER });
		assert_eq!(Grants::<Test>::get(asset, BUYER), None);
		assert_eq!(held(BUYER, HoldReason::GrantDeposit), 0);
		assert_noop!(Marketplace::active_grant(asset, &BUYER).map(|_| ()), Error::<Test>::NoGrant);
		// A request is denied, not revoked.
		let gated = NewAsset { policy: AccessPolicy::Gated, price: 0, ..Default::default() }
			.register(OWNER)
			.unwrap();
		assert_ok!(Marketplace::request_access(origin(BUYER), gated, AccessScope::Download));
		assert_noop!(
			Marketplace::revoke_access(origin(OWNER), gated, BUYER),
			Error::<Test>::NoGrant
		);
	});
}

#[test]
fn a_key_is_delivered_sealed_to_the_grantees_registered_key() {
	run(|| {
		let asset = NewAsset::default().register(OWNER).unwrap();
		register_key(BUYER, 1);
		assert_ok!(Marketplace::buy_access(origin(BUYER), asset, AccessScope::Download, 500));
		assert_ok!(Marketplace::deliver_key(origin(OWNER), asset, BUYER, sealed(104)));
		System::assert_has_event(
			Event::KeyDelivered { asset, grantee: BUYER, recipient: [1; 32] }.into(),
		);
		assert_eq!(last_event(), Event::PaymentReleased { asset, grantee: BUYER, amount: 500 });
		let key = Grants::<Test>::get(asset, BUYER).unwrap().key.unwrap();
		assert_eq!((key.recipient, key.sealed.len()), ([1; 32], 104));
		// A new key later: the delivered one says which key it was sealed to.
		register_key(BUYER, 2);
		assert_eq!(Grants::<Test>::get(asset, BUYER).unwrap().key.unwrap().recipient, [1; 32]);
	});
}

#[test]
fn deliver_key_errors() {
	run(|| {
		let asset = NewAsset::default().register(OWNER).unwrap();
		let deliver = |who, grantee, length| {
			Marketplace::deliver_key(origin(who), asset, grantee, sealed(length))
		};
		register_key(BUYER, 1);
		assert_ok!(Marketplace::buy_access(origin(BUYER), asset, AccessScope::Download, 500));
		assert_noop!(deliver(OTHER, BUYER, 104), Error::<Test>::NotOwner);
		assert_noop!(
			deliver(OWNER, BUYER, MIN_SEALED_KEY_LEN as usize - 1),
			Error::<Test>::SealedKeyTooShort
		);
		assert_noop!(deliver(OWNER, OTHER, 104), Error::<Test>::NoGrant);
		// A compute grant's key goes to a job's signer, never to the grantee.
		assert_ok!(Marketplace::buy_access(origin(OTHER), asset, AccessScope::Compute, 500));
		assert_noop!(deliver(OWNER, OTHER, 104), Error::<Test>::WrongScope);
		// A grantee that removed its key gets nothing sealed.
		assert_ok!(Marketplace::remove_encryption_key(origin(BUYER)));
		assert_noop!(deliver(OWNER, BUYER, 104), Error::<Test>::NoEncryptionKey);
		assert_noop!(
			Marketplace::deliver_key(origin(OWNER), 99, BUYER, sealed(104)),
			Error::<Test>::UnknownAsset
		);
	});
}

#[test]
fn a_provider_deploys_a_model_it_may_download() {
	run(|| {
		let model = NewAsset::model().register(OWNER).unwrap();
		register_key(PROVIDER, 4);
		assert_ok!(Marketplace::buy_access(origin(PROVIDER), model, AccessScope::Download, 500));
		assert_ok!(Marketplace::deploy(origin(PROVIDER), model, SERVICE));
		assert_eq!(
			last_event(),
			Event::ModelDeployed { asset: model, service: SERVICE, provider: PROVIDER }
		);
		assert_eq!(Deployments::<Test>::get(SERVICE), Some(model));
		assert_eq!(Assets::<Test>::get(model).unwrap().deployments, 1);
		assert_noop!(
			Marketplace::deploy(origin(PROVIDER), model, SERVICE),
			Error::<Test>::AlreadyDeployed
		);

		// Another model, public: anyone's provider may serve it; the service moves over.
		let public = NewAsset {
			policy: AccessPolicy::Public,
			price: 0,
			encrypted: false,
			..NewAsset::model()
		}
		.register(OTHER)
		.unwrap();
		assert_ok!(Marketplace::deploy(origin(PROVIDER), public, SERVICE));
		assert_eq!(Deployments::<Test>::get(SERVICE), Some(public));
		assert_eq!(Assets::<Test>::get(model).unwrap().deployments, 0);
		assert_eq!(Assets::<Test>::get(public).unwrap().deployments, 1);

		assert_ok!(Marketplace::undeploy(origin(PROVIDER), SERVICE));
		assert_eq!(last_event(), Event::ModelUndeployed { asset: public, service: SERVICE });
		assert_eq!(Deployments::<Test>::get(SERVICE), None);
		assert_noop!(Marketplace::undeploy(origin(PROVIDER), SERVICE), Error::<Test>::NotDeployed);
	});
}

#[test]
fn deploy_errors() {
	run(|| {
		let model = NewAsset::model().register(OWNER).unwrap();
		let dataset = NewAsset { policy: AccessPolicy::Public, price: 0, ..Default::default() }
			.register(OWNER)
			.unwrap();
		let deploy = |who, asset, service| Marketplace::deploy(origin(who), asset, service);
		assert_noop!(deploy(PROVIDER, model, SERVICE + 1), Error::<Test>::UnknownService);
		assert_noop!(deploy(OWNER, model, SERVICE), Error::<Test>::NotServiceProvider);
		assert_noop!(deploy(PROVIDER, 99, SERVICE), Error::<Test>::UnknownAsset);
		assert_noop!(deploy(PROVIDER, dataset, SERVICE), Error::<Test>::NotAModel);
		// Without a grant, with an expired one, with a compute-only one.
		assert_noop!(deploy(PROVIDER, model, SERVICE), Error::<Test>::NoGrant);
		assert_ok!(Marketplace::buy_access(origin(PROVIDER), model, AccessScope::Compute, 500));
		assert_noop!(deploy(PROVIDER, model, SERVICE), Error::<Test>::WrongScope);
		System::set_block_number(200);
		assert_noop!(deploy(PROVIDER, model, SERVICE), Error::<Test>::NoActiveGrant);
	});
}

#[test]
fn undeploy_is_the_providers_until_the_service_is_gone() {
	run(|| {
		let model = NewAsset { policy: AccessPolicy::Public, price: 0, ..NewAsset::model() }
			.register(OWNER)
			.unwrap();
		assert_ok!(Marketplace::deploy(origin(PROVIDER), model, SERVICE));
		assert_noop!(
			Marketplace::undeploy(origin(OTHER), SERVICE),
			Error::<Test>::NotServiceProvider
		);
		remove_service(SERVICE);
		assert_ok!(Marketplace::undeploy(origin(OTHER), SERVICE));
		assert_eq!(Assets::<Test>::get(model).unwrap().deployments, 0);
	});
}

#[test]
fn the_runtime_api_reads_assets_pages_and_grants() {
	run(|| {
		let first = NewAsset::default().register(OWNER).unwrap();
		let second = NewAsset::model().register(OWNER).unwrap();
		let third = NewAsset { policy: AccessPolicy::Public, ..NewAsset::default() }
			.register(OTHER)
			.unwrap();
		assert_ok!(Marketplace::remove_asset(origin(OWNER), second));
		let summary = Marketplace::asset_summary(first).unwrap();
		assert_eq!(
			(summary.id, summary.owner, summary.kind, summary.name.as_slice()),
			(first, OWNER, AssetKind::Dataset, &b"tiny-shakespeare"[..])
		);
		assert_eq!(
			(summary.price, summary.policy, summary.encrypted),
			(500, AccessPolicy::Paid, true)
		);
		assert_eq!(Marketplace::asset_summary(second), None);
		// Removed ids are skipped; a page covers ids `from..from + limit`.
		let ids = |from, limit| -> Vec<AssetId> {
			Marketplace::asset_summaries(from, limit).iter().map(|asset| asset.id).collect()
		};
		assert_eq!(ids(0, 10), vec![first, third]);
		assert_eq!(ids(0, 2), vec![first]);
		assert_eq!(ids(2, 2), vec![third]);
		assert_eq!(ids(3, u32::MAX), Vec::<AssetId>::new());
		assert_eq!(Marketplace::grant_summary(first, &BUYER), None);
		register_key(BUYER, 1);
		assert_ok!(Marketplace::buy_access(origin(BUYER), first, AccessScope::Download, 500));
		let grant = Marketplace::grant_summary(first, &BUYER).unwrap();
		assert_eq!((grant.scope, grant.depositor, grant.key), (AccessScope::Download, BUYER, None));
		assert_ok!(Marketplace::deliver_key(origin(OWNER), first, BUYER, sealed(80)));
		let grant = Marketplace::grant_summary(first, &BUYER).unwrap();
		assert_eq!(grant.key, Some(([1; 32], vec![0xAB; 80])));
	});
}

#[test]
fn an_encrypted_download_is_paid_into_escrow_and_released_with_its_key() {
	run(|| {
		let asset = NewAsset::default().register(OWNER).unwrap();
		register_key(BUYER, 1);
		let owner_before = free(OWNER);
		assert_ok!(Marketplace::buy_access(origin(BUYER), asset, AccessScope::Download, 500));
		assert_eq!(free(OWNER), owner_before, "nothing is paid before the key");
		assert_eq!(held(BUYER, HoldReason::PurchaseEscrow), 500);
		assert_eq!(
			Grants::<Test>::get(asset, BUYER).unwrap().escrow,
			Some(Escrow { amount: 500, refundable_from: 1 + KEY_DELIVERY_PERIOD })
		);
		// Bought again before the key came: the escrow grows, the delivery deadline moves.
		System::set_block_number(5);
		assert_ok!(Marketplace::buy_access(origin(BUYER), asset, AccessScope::Download, 500));
		assert_eq!(
			Grants::<Test>::get(asset, BUYER).unwrap().escrow,
			Some(Escrow { amount: 1000, refundable_from: 5 + KEY_DELIVERY_PERIOD })
		);
		// The key is delivered: the owner is paid and nothing stays held.
		assert_ok!(Marketplace::deliver_key(origin(OWNER), asset, BUYER, sealed(80)));
		assert_eq!(last_event(), Event::PaymentReleased { asset, grantee: BUYER, amount: 1000 });
		assert_eq!(free(OWNER), owner_before + 1000);
		assert_eq!(held(BUYER, HoldReason::PurchaseEscrow), 0);
		assert_eq!(Grants::<Test>::get(asset, BUYER).unwrap().escrow, None);
		// Extending a grant whose key was delivered pays the owner at once.
		assert_ok!(Marketplace::buy_access(origin(BUYER), asset, AccessScope::Download, 500));
		assert_eq!(free(OWNER), owner_before + 1500);
		assert_noop!(
			Marketplace::reclaim_purchase(origin(BUYER), asset),
			Error::<Test>::NothingToReclaim
		);
	});
}

#[test]
fn a_buyer_takes_the_price_back_when_no_key_comes() {
	run(|| {
		let asset = NewAsset::default().register(OWNER).unwrap();
		register_key(BUYER, 1);
		let (owner_before, buyer_before) = (free(OWNER), free(BUYER));
		assert_ok!(Marketplace::buy_access(origin(BUYER), asset, AccessScope::Download, 500));
		assert_noop!(
			Marketplace::reclaim_purchase(origin(BUYER), asset),
			Error::<Test>::DeliveryNotDue
		);
		assert_noop!(Marketplace::reclaim_purchase(origin(OTHER), asset), Error::<Test>::NoGrant);
		System::set_block_number(1 + KEY_DELIVERY_PERIOD);
		assert_ok!(Marketplace::reclaim_purchase(origin(BUYER), asset));
		assert_eq!(last_event(), Event::PurchaseRefunded { asset, buyer: BUYER, amount: 500 });
		assert_eq!((free(OWNER), free(BUYER)), (owner_before, buyer_before));
		assert_eq!(Grants::<Test>::get(asset, BUYER), None);
		assert_eq!(Assets::<Test>::get(asset).unwrap().open_grants, 0);
		// A grant the owner gave (nothing paid) has nothing to reclaim.
		assert_ok!(Marketplace::grant_access(
			origin(OWNER),
			asset,
			BUYER,
			AccessScope::Download,
			50
		));
		System::set_block_number(40);
		assert_noop!(
			Marketplace::reclaim_purchase(origin(BUYER), asset),
			Error::<Test>::NothingToReclaim
		);
	});
}

#[test]
fn an_owner_cannot_keep_the_price_of_a_key_it_never_delivered() {
	run(|| {
		let asset = NewAsset::default().register(OWNER).unwrap();
		register_key(BUYER, 1);
		let (owner_before, buyer_before) = (free(OWNER), free(BUYER));
		// Sold, then revoked before the key: the buyer is refunded.
		assert_ok!(Marketplace::buy_access(origin(BUYER), asset, AccessScope::Download, 500));
		assert_ok!(Marketplace::revoke_access(origin(OWNER), asset, BUYER));
		assert_eq!((free(OWNER), free(BUYER)), (owner_before, buyer_before));
		// Sold, then left to expire without a key: whoever removes the grant, the buyer is
		// refunded.
		assert_ok!(Marketplace::buy_access(origin(BUYER), asset, AccessScope::Download, 500));
		System::set_block_number(101);
		assert_noop!(
			Marketplace::deliver_key(origin(OWNER), asset, BUYER, sealed(80)),
			Error::<Test>::NoActiveGrant
		);
		assert_ok!(Marketplace::remove_expired_grant(origin(OTHER), asset, BUYER));
		assert_eq!((free(OWNER), free(BUYER)), (owner_before, buyer_before));
		assert_eq!(held(BUYER, HoldReason::PurchaseEscrow), 0);
	});
}
