//! `Config` of the marketplace pallet: assets over stored files, grants, sealed keys and
//! deployments on compute services.

use super::revive::deposit;
use crate::{AccountId, Balances, Runtime, RuntimeHoldReason};
use polkadot_sdk::frame_support::{parameter_types, traits::ConstU32};
use zerog_primitives::{compute::ServiceId, units::DAYS, BlockNumber};

parameter_types! {
	/// An asset is two storage items: its record (at most about 330 bytes with its key) and its
	/// id in the owner's list (8 bytes).
	pub const AssetDeposit: crate::Balance = deposit(2, 340);
	/// A grant or request, with a delivered key at its largest: about 260 bytes with its key.
	pub const GrantDeposit: crate::Balance = deposit(1, 260);
	/// An encryption key and its account: 80 bytes.
	pub const KeyDeposit: crate::Balance = deposit(1, 80);
	/// The longest access one purchase or grant gives: a year.
	pub const MaxAccessPeriod: BlockNumber = 365 * DAYS;
	/// A day for an owner to deliver the key of an encrypted download it sold, before the
	/// buyer may take the price back.
	pub const KeyDeliveryPeriod: BlockNumber = DAYS;
}

impl pallet_marketplace::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	/// Assets and cards are files of ZeroG storage.
	type StoredFiles = crate::StorageCommitments;
	/// Models are deployed on the compute marketplace's services.
	type Services = ComputeServices;
	type AssetDeposit = AssetDeposit;
	type GrantDeposit = GrantDeposit;
	type KeyDeposit = KeyDeposit;
	type MaxAccessPeriod = MaxAccessPeriod;
	type MaxAssetsPerOwner = ConstU32<64>;
	type MaxNameLen = ConstU32<64>;
	type MaxVersionLen = ConstU32<32>;
	type MaxLicenseLen = ConstU32<64>;
	/// An ECIES-sealed 32-byte key is 80 bytes (zerog_primitives::sealing); room for a
	/// scheme with an explicit nonce and a version byte.
	type MaxSealedKeyLen = ConstU32<128>;
	type KeyDeliveryPeriod = KeyDeliveryPeriod;
	type WeightInfo = pallet_marketplace::weights::SubstrateWeight<Runtime>;
}

/// The providers of `pallet-compute-escrow`'s services.
pub struct ComputeServices;

impl pallet_marketplace::ServiceProviders<AccountId> for ComputeServices {
	fn provider_of(service: ServiceId) -> Option<AccountId> {
		pallet_compute_escrow::Services::<Runtime>::get(service).map(|info| info.provider)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn register_for_benchmark(provider: &AccountId) -> ServiceId {
		use polkadot_sdk::frame_support::traits::{fungible::Mutate, Get};
		let stake = super::parameters::dynamic_params::compute::MinServiceStake::get();
		let balance = Balances::free_balance(provider).saturating_add(stake.saturating_mul(2));
		Balances::set_balance(provider, balance);
		let service = pallet_compute_escrow::NextServiceId::<Runtime>::get();
		pallet_compute_escrow::Pallet::<Runtime>::register_service(
			crate::RuntimeOrigin::signed(provider.clone()),
			pallet_compute_escrow::ServiceKind::Inference,
			b"benchmark-model".to_vec().try_into().expect("within MaxModelLen"),
			b"http://127.0.0.1:1".to_vec().try_into().expect("within MaxEndpointLen"),
			0,
			0,
			pallet_compute_escrow::Verifiability::None,
			stake,
		)
		.expect("a funded provider registers a service");
		service
	}
}
