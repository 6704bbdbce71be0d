//! Benchmarks of every call, each at its worst case: the longest names and sealed keys, an owner
//! with the most assets, a request that first removes an expired grant, a deployment that first
//! ends another.

use super::*;
use crate::Pallet as Marketplace;
use alloc::vec;
use polkadot_sdk::{
	frame_benchmarking::v2::*,
	frame_support::{traits::fungible::Mutate, BoundedVec},
	frame_system::RawOrigin,
	sp_runtime::traits::{Bounded, Get, One, Saturating},
};
use zerog_primitives::storage::StoredFiles;

const SIZE: u64 = 1 << 20;

fn funded<T: Config>(name: &'static str) -> T::AccountId {
	let who: T::AccountId = account(name, 0, 0);
	let deposits = T::AssetDeposit::get()
		.saturating_add(T::GrantDeposit::get())
		.saturating_add(T::KeyDeposit::get());
	T::Currency::set_balance(&who, deposits.saturating_mul(1_000_000u32.into()));
	who
}

fn filled<S: Get<u32>>(byte: u8) -> BoundedVec<u8, S> {
	vec![byte; S::get() as usize].try_into().expect("exactly the bound")
}

/// A root stored until the end of time.
fn stored<T: Config>(byte: u8) -> H256 {
	let root = H256::repeat_byte(byte);
	T::StoredFiles::store_for_benchmark(root, SIZE, BlockNumberFor::<T>::max_value());
	root
}

/// Registers an encrypted asset of `owner` with the longest name, version and license.
fn register<T: Config>(owner: &T::AccountId, kind: AssetKind, policy: AccessPolicy) -> AssetId {
	let asset = NextAssetId::<T>::get();
	Marketplace::<T>::register_asset(
		RawOrigin::Signed(owner.clone()).into(),
		kind,
		filled::<T::MaxNameLen>(b'n'),
		filled::<T::MaxVersionLen>(b'1'),
		filled::<T::MaxLicenseLen>(b'A'),
		stored::<T>(1),
		SIZE,
		Some(stored::<T>(2)),
		true,
		policy,
		T::GrantDeposit::get(),
		T::MaxAccessPeriod::get(),
	)
	.expect("a valid asset");
	asset
}

fn with_key<T: Config>(who: &T::AccountId) {
	Marketplace::<T>::register_encryption_key(RawOrigin::Signed(who.clone()).into(), [7; 32])
		.expect("a valid key");
}

/// `buyer` registers a key and buys download access to paid `asset` (its price is
/// `GrantDeposit`, see [`register`]).
fn bought<T: Config>(buyer: &T::AccountId, asset: AssetId) {
	with_key::<T>(buyer);
	Marketplace::<T>::buy_access(
		RawOrigin::Signed(buyer.clone()).into(),
		asset,
		AccessScope::Download,
		T::GrantDeposit::get(),
	)
	.expect("a valid purchase");
}

/// An approved enclave with its encryption key registered.
fn enclave<T: Config>() -> T::AccountId {
	let enclave = funded::<T>("enclave");
	T::Compute::approve_enclave_for_benchmark(&enclave);
	with_key::<T>(&enclave);
	enclave
}

/// `owner` seals `asset`'s key to `enclave`.
fn sealed_to<T: Config>(owner: &T::AccountId, asset: AssetId, enclave: &T::AccountId) {
	Marketplace::<T>::deliver_enclave_key(
		RawOrigin::Signed(owner.clone()).into(),
		asset,
		enclave.clone(),
		filled::<T::MaxSealedKeyLen>(0xAB),
	)
	.expect("an approved enclave with a key");
}

/// The worst job inputs: the longest parameters and `MaxJobAssets` encrypted paid assets, each
/// bought for compute and sealed to the job's enclave. The user, the job, the assets and the
/// parameters.
#[allow(clippy::type_complexity)]
fn job_reading_encrypted_assets<T: Config>(
) -> (T::AccountId, JobId, BoundedVec<AssetId, T::MaxJobAssets>, BoundedVec<u8, T::MaxJobParamsLen>)
{
	let owner = funded::<T>("owner");
	let user = funded::<T>("user");
	with_key::<T>(&user);
	let enclave = enclave::<T>();
	let mut assets = BoundedVec::new();
	for _ in 0..T::MaxJobAssets::get() {
		let asset = register::<T>(&owner, AssetKind::Dataset, AccessPolicy::Paid);
		Marketplace::<T>::buy_access(
			RawOrigin::Signed(user.clone()).into(),
			asset,
			AccessScope::Compute,
			T::GrantDeposit::get(),
		)
		.expect("a valid purchase");
		sealed_to::<T>(&owner, asset, &enclave);
		assets.try_push(asset).expect("MaxJobAssets of them");
	}
	let params = filled::<T::MaxJobParamsLen>(b'p');
	let hash = H256(polkadot_sdk::sp_io::hashing::keccak_256(&params));
	let job = T::Compute::open_job_for_benchmark(&user, &enclave, hash);
	(user, job, assets, params)
}

/// A job of the worst inputs ([`job_reading_encrypted_assets`]), attached and over: its user
/// and id.
fn finished_job_with_inputs<T: Config>() -> (T::AccountId, JobId) {
	let (user, job, assets, params) = job_reading_encrypted_assets::<T>();
	Marketplace::<T>::attach_job_inputs(
		RawOrigin::Signed(user.clone()).into(),
		job,
		assets,
		params,
	)
	.expect("inputs the user may attach");
	T::Compute::close_job_for_benchmark(job);
	(user, job)
}

fn expires_at<T: Config>() -> BlockNumberFor<T> {
	frame_system::Pallet::<T>::block_number().saturating_add(T::MaxAccessPeriod::get())
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_encryption_key() {
		let who = funded::<T>("who");
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), [7; 32]);
		assert!(EncryptionKeys::<T>::contains_key(&who));
	}

	#[benchmark]
	fn remove_encryption_key() {
		let who = funded::<T>("who");
		with_key::<T>(&who);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));
		assert!(!EncryptionKeys::<T>::contains_key(&who));
	}

	#[benchmark]
	fn register_asset() {
		let owner = funded::<T>("owner");
		for _ in 1..T::MaxAssetsPerOwner::get() {
			register::<T>(&owner, AssetKind::Dataset, AccessPolicy::Paid);
		}
		let (root, card) = (stored::<T>(1), stored::<T>(2));
		#[extrinsic_call]
		_(
			RawOrigin::Signed(owner.clone()),
			AssetKind::Model,
			filled::<T::MaxNameLen>(b'n'),
			filled::<T::MaxVersionLen>(b'1'),
			filled::<T::MaxLicenseLen>(b'A'),
			root,
			SIZE,
			Some(card),
			true,
			AccessPolicy::Paid,
			T::GrantDeposit::get(),
			T::MaxAccessPeriod::get(),
		);
		assert_eq!(AssetsByOwner::<T>::get(&owner).len() as u32, T::MaxAssetsPerOwner::get());
	}

	#[benchmark]
	fn update_asset() {
		let owner = funded::<T>("owner");
		let asset = register::<T>(&owner, AssetKind::Dataset, AccessPolicy::Paid);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), asset, AccessPolicy::Gated, 0u32.into(), One::one());
		assert_eq!(Assets::<T>::get(asset).map(|info| info.policy), Some(AccessPolicy::Gated));
	}

	#[benchmark]
	fn remove_asset() {
		let owner = funded::<T>("owner");
		let asset = register::<T>(&owner, AssetKind::Dataset, AccessPolicy::Paid);
		for _ in 1..T::MaxAssetsPerOwner::get() {
			register::<T>(&owner, AssetKind::Dataset, AccessPolicy::Paid);
		}
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), asset);
		assert!(!Assets::<T>::contains_key(asset));
	}

	#[benchmark]
	fn buy_access() {
		let owner = funded::<T>("owner");
		let buyer = funded::<T>("buyer");
		let asset = register::<T>(&owner, AssetKind::Dataset, AccessPolicy::Paid);
		with_key::<T>(&buyer);
		#[extrinsic_call]
		_(RawOrigin::Signed(buyer.clone()), asset, AccessScope::Download, T::GrantDeposit::get());
		assert!(Grants::<T>::contains_key(asset, &buyer));
	}

	#[benchmark]
	fn request_access() {
		let owner = funded::<T>("owner");
		let requester = funded::<T>("requester");
		let asset = register::<T>(&owner, AssetKind::Dataset, AccessPolicy::Gated);
		with_key::<T>(&requester);
		// An expired grant the request replaces: the most work a request does.
		let now = frame_system::Pallet::<T>::block_number();
		Marketplace::<T>::grant_access(
			RawOrigin::Signed(owner).into(),
			asset,
			requester.clone(),
			AccessScope::Download,
			now.saturating_add(One::one()),
		)
		.expect("a valid grant");
		frame_system::Pallet::<T>::set_block_number(now.saturating_add(One::one()));
		#[extrinsic_call]
		_(RawOrigin::Signed(requester.clone()), asset, AccessScope::Download);
		assert_eq!(Grants::<T>::get(asset, &requester).map(|grant| grant.expires_at), Some(None));
	}

	#[benchmark]
	fn grant_access() {
		let owner = funded::<T>("owner");
		let grantee = funded::<T>("grantee");
		let asset = register::<T>(&owner, AssetKind::Dataset, AccessPolicy::Gated);
		let expires_at = expires_at::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), asset, grantee.clone(), AccessScope::Download, expires_at);
		assert!(Marketplace::<T>::active_grant(asset, &grantee).is_ok());
	}

	#[benchmark]
	fn deny_access() {
		let owner = funded::<T>("owner");
		let requester = funded::<T>("requester");
		let asset = register::<T>(&owner, AssetKind::Dataset, AccessPolicy::Gated);
		with_key::<T>(&requester);
		Marketplace::<T>::request_access(
			RawOrigin::Signed(requester.clone()).into(),
			asset,
			AccessScope::Download,
		)
		.expect("a valid request");
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), asset, requester.clone());
		assert!(!Grants::<T>::contains_key(asset, &requester));
	}

	#[benchmark]
	fn revoke_access() {
		let owner = funded::<T>("owner");
		let grantee = funded::<T>("grantee");
		let asset = register::<T>(&owner, AssetKind::Dataset, AccessPolicy::Paid);
		bought::<T>(&grantee, asset);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), asset, grantee.clone());
		assert!(!Grants::<T>::contains_key(asset, &grantee));
	}

	#[benchmark]
	fn withdraw_request() {
		let owner = funded::<T>("owner");
		let requester = funded::<T>("requester");
		let asset = register::<T>(&owner, AssetKind::Dataset, AccessPolicy::Gated);
		with_key::<T>(&requester);
		Marketplace::<T>::request_access(
			RawOrigin::Signed(requester.clone()).into(),
			asset,
			AccessScope::Download,
		)
		.expect("a valid request");
		#[extrinsic_call]
		_(RawOrigin::Signed(requester.clone()), asset);
		assert!(!Grants::<T>::contains_key(asset, &requester));
	}

	#[benchmark]
	fn remove_expired_grant() {
		let owner = funded::<T>("owner");
		let grantee = funded::<T>("grantee");
		let caller = funded::<T>("caller");
		let asset = register::<T>(&owner, AssetKind::Dataset, AccessPolicy::Gated);
		let now = frame_system::Pallet::<T>::block_number();
		Marketplace::<T>::grant_access(
			RawOrigin::Signed(owner).into(),
			asset,
			grantee.clone(),
			AccessScope::Download,
			now.saturating_add(One::one()),
		)
		.expect("a valid grant");
		frame_system::Pallet::<T>::set_block_number(now.saturating_add(One::one()));
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), asset, grantee.clone());
		assert!(!Grants::<T>::contains_key(asset, &grantee));
	}

	#[benchmark]
	fn reclaim_purchase() {
		let owner = funded::<T>("owner");
		let buyer = funded::<T>("buyer");
		let asset = register::<T>(&owner, AssetKind::Dataset, AccessPolicy::Paid);
		bought::<T>(&buyer, asset);
		let now = frame_system::Pallet::<T>::block_number();
		frame_system::Pallet::<T>::set_block_number(
			now.saturating_add(T::KeyDeliveryPeriod::get()),
		);
		#[extrinsic_call]
		_(RawOrigin::Signed(buyer.clone()), asset);
		assert!(!Grants::<T>::contains_key(asset, &buyer));
	}

	#[benchmark]
	fn deliver_key() {
		let owner = funded::<T>("owner");
		let grantee = funded::<T>("grantee");
		let asset = register::<T>(&owner, AssetKind::Dataset, AccessPolicy::Paid);
		bought::<T>(&grantee, asset);
		let sealed = filled::<T::MaxSealedKeyLen>(0xAB);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), asset, grantee.clone(), sealed);
		assert!(Grants::<T>::get(asset, &grantee).and_then(|grant| grant.key).is_some());
	}

	#[benchmark]
	fn deploy() {
		let owner = funded::<T>("owner");
		let provider = funded::<T>("provider");
		let service = T::Compute::register_for_benchmark(&provider);
		// The service already serves another model: deploying ends that first.
		let old = register::<T>(&owner, AssetKind::Model, AccessPolicy::Public);
		Marketplace::<T>::deploy(RawOrigin::Signed(provider.clone()).into(), old, service)
			.expect("a public model deploys");
		let model = register::<T>(&owner, AssetKind::Model, AccessPolicy::Paid);
		bought::<T>(&provider, model);
		#[extrinsic_call]
		_(RawOrigin::Signed(provider), model, service);
		assert_eq!(Deployments::<T>::get(service), Some(model));
	}

	#[benchmark]
	fn undeploy() {
		let owner = funded::<T>("owner");
		let provider = funded::<T>("provider");
		let service = T::Compute::register_for_benchmark(&provider);
		let model = register::<T>(&owner, AssetKind::Model, AccessPolicy::Public);
		Marketplace::<T>::deploy(RawOrigin::Signed(provider.clone()).into(), model, service)
			.expect("a public model deploys");
		#[extrinsic_call]
		_(RawOrigin::Signed(provider), service);
		assert!(!Deployments::<T>::contains_key(service));
	}

	#[benchmark]
	fn deliver_enclave_key() {
		let owner = funded::<T>("owner");
		let asset = register::<T>(&owner, AssetKind::Dataset, AccessPolicy::Paid);
		let enclave = enclave::<T>();
		let sealed = filled::<T::MaxSealedKeyLen>(0xAB);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), asset, enclave.clone(), sealed);
		assert!(EnclaveKeys::<T>::contains_key(asset, &enclave));
	}

	#[benchmark]
	fn revoke_enclave_key() {
		let owner = funded::<T>("owner");
		let asset = register::<T>(&owner, AssetKind::Dataset, AccessPolicy::Paid);
		let enclave = enclave::<T>();
		sealed_to::<T>(&owner, asset, &enclave);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), asset, enclave.clone());
		assert!(!EnclaveKeys::<T>::contains_key(asset, &enclave));
	}

	#[benchmark]
	fn attach_job_inputs() {
		let (user, job, assets, params) = job_reading_encrypted_assets::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(user), job, assets, params);
		assert!(JobInputs::<T>::contains_key(job));
	}

	#[benchmark]
	fn remove_job_inputs() {
		let (user, job) = finished_job_with_inputs::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(user), job);
		assert!(!JobInputs::<T>::contains_key(job));
	}

	#[benchmark]
	fn deliver_result_key() {
		let (_, job) = finished_job_with_inputs::<T>();
		Marketplace::<T>::note_result_paid(job, H256::repeat_byte(9));
		let provider = JobInputs::<T>::get(job).expect("attached").provider;
		let sealed = filled::<T::MaxSealedKeyLen>(0xAB);
		#[extrinsic_call]
		_(RawOrigin::Signed(provider), job, sealed);
		assert!(JobInputs::<T>::get(job).and_then(|record| record.result_key).is_some());
	}

	impl_benchmark_test_suite!(Marketplace, crate::mock::new_test_ext(), crate::mock::Test);
}
