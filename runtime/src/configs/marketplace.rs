//! `Config` of the marketplace pallet: assets over stored files, grants, sealed keys and
//! deployments on compute services.

use super::revive::deposit;
use crate::{AccountId, Balances, Runtime, RuntimeHoldReason};
use pallet_marketplace::ComputeMarket;
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
	/// A job's inputs at their largest: four asset ids, 4 KiB of parameters and the user.
	pub const JobInputsDeposit: crate::Balance = deposit(1, 4_200);
}

impl pallet_marketplace::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	/// Assets and cards are files of ZeroG storage.
	type StoredFiles = crate::StorageCommitments;
	/// Models are deployed on the compute marketplace's services, and its enclaves run jobs on
	/// encrypted data.
	type Compute = ComputeEscrow;
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
	/// An owner accepts a handful of enclaves per asset; a new enclave build re-seals.
	type MaxEnclavesPerAsset = ConstU32<16>;
	/// A fine-tuning job reads a base model and a dataset; room for an evaluation set and one
	/// more.
	type MaxJobAssets = ConstU32<4>;
	/// Hyper-parameters or a small configuration file.
	type MaxJobParamsLen = ConstU32<4_096>;
	type JobInputsDeposit = JobInputsDeposit;
	type WeightInfo = pallet_marketplace::weights::SubstrateWeight<Runtime>;
}

/// `pallet-compute-escrow` as the marketplace sees it: services, approved enclaves, open jobs.
pub struct ComputeEscrow;

impl ComputeMarket<AccountId> for ComputeEscrow {
	fn provider_of(service: ServiceId) -> Option<AccountId> {
		pallet_compute_escrow::Services::<Runtime>::get(service).map(|info| info.provider)
	}

	fn is_approved_enclave(signer: &AccountId) -> bool {
		pallet_compute_escrow::ApprovedEnclaves::<Runtime>::contains_key(signer)
	}

	fn open_job(job: pallet_marketplace::JobId) -> Option<pallet_marketplace::OpenJob<AccountId>> {
		use pallet_compute_escrow::{JobStatus, Verifiability};
		let info = pallet_compute_escrow::Jobs::<Runtime>::get(job)?;
		if info.status != JobStatus::Assigned {
			return None;
		}
		// The enclave counts only while governance still approves it.
		let enclave_signer = pallet_compute_escrow::Services::<Runtime>::get(info.service)
			.and_then(|service| match service.verifiability {
				Verifiability::Tee { signer } => Some(signer),
				Verifiability::None => None,
			})
			.filter(Self::is_approved_enclave);
		Some(pallet_marketplace::OpenJob {
			service: info.service,
			user: info.user,
			provider: info.provider,
			params_hash: info.params_hash,
			enclave_signer,
		})
	}

	fn job_finished(job: pallet_marketplace::JobId) -> bool {
		!pallet_compute_escrow::Jobs::<Runtime>::contains_key(job)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn register_for_benchmark(provider: &AccountId) -> ServiceId {
		benchmark::register_service(
			provider,
			pallet_compute_escrow::ServiceKind::Inference,
			pallet_compute_escrow::Verifiability::None,
		)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn approve_enclave_for_benchmark(signer: &AccountId) {
		pallet_compute_escrow::ApprovedEnclaves::<Runtime>::insert(
			signer,
			pallet_compute_escrow::EnclaveApproval {
				evidence_hash: Default::default(),
				approved_at: crate::System::block_number(),
			},
		);
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn open_job_for_benchmark(
		user: &AccountId,
		signer: &AccountId,
		params_hash: polkadot_sdk::sp_core::H256,
	) -> pallet_marketplace::JobId {
		Self::approve_enclave_for_benchmark(signer);
		let provider: AccountId = [0xE0; 32].into();
		let service = benchmark::register_service(
			&provider,
			pallet_compute_escrow::ServiceKind::Job,
			pallet_compute_escrow::Verifiability::Tee { signer: signer.clone() },
		);
		benchmark::open_job(user, service, params_hash)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn close_job_for_benchmark(job: pallet_marketplace::JobId) {
		// Only the job's record: `remove_job_inputs` reads nothing else of it.
		pallet_compute_escrow::Jobs::<Runtime>::remove(job);
	}
}

/// Tells the marketplace that a job's result was paid for, so its provider may seal the
/// result's key to the user.
pub struct ResultsPaid;

impl pallet_compute_escrow::OnResultPaid for ResultsPaid {
	fn on_result_paid(job: pallet_compute_escrow::JobId, result_root: polkadot_sdk::sp_core::H256) {
		crate::Marketplace::note_result_paid(job, result_root);
	}

	fn weight() -> polkadot_sdk::frame_support::weights::Weight {
		// Reads and rewrites the job's record, if it has one.
		<Runtime as polkadot_sdk::frame_system::Config>::DbWeight::get().reads_writes(1, 1)
	}
}

/// Services and jobs of `pallet-compute-escrow` for the marketplace's benchmarks.
#[cfg(feature = "runtime-benchmarks")]
mod benchmark {
	use super::*;
	use polkadot_sdk::{
		frame_support::traits::{fungible::Mutate, Get},
		sp_core::H256,
	};
	use zerog_primitives::storage::StoredFiles;

	/// Registers a service of `provider`, funded for its stake.
	pub fn register_service(
		provider: &AccountId,
		kind: pallet_compute_escrow::ServiceKind,
		verifiability: pallet_compute_escrow::Verifiability<AccountId>,
	) -> ServiceId {
		let stake = super::super::parameters::dynamic_params::compute::MinServiceStake::get();
		let balance = Balances::free_balance(provider).saturating_add(stake.saturating_mul(2));
		Balances::set_balance(provider, balance);
		let service = pallet_compute_escrow::NextServiceId::<Runtime>::get();
		pallet_compute_escrow::Pallet::<Runtime>::register_service(
			crate::RuntimeOrigin::signed(provider.clone()),
			kind,
			b"benchmark-model".to_vec().try_into().expect("within MaxModelLen"),
			b"http://127.0.0.1:1".to_vec().try_into().expect("within MaxEndpointLen"),
			0,
			0,
			verifiability,
			stake,
		)
		.expect("a funded provider registers a service");
		service
	}

	/// Opens a job of `user` on job service `service`, on a dataset stored for it.
	pub fn open_job(
		user: &AccountId,
		service: ServiceId,
		params_hash: H256,
	) -> pallet_marketplace::JobId {
		use super::super::parameters::dynamic_params::compute;
		let dataset = H256::repeat_byte(0xDA);
		crate::StorageCommitments::store_for_benchmark(dataset, 1 << 20, BlockNumber::MAX);
		let max_fee: crate::Balance = 1_000_000_000_000;
		Balances::set_balance(user, Balances::free_balance(user).saturating_add(max_fee * 2));
		let deadline = crate::System::block_number()
			.saturating_add(compute::MinJobDuration::get())
			.saturating_add(1);
		let job = pallet_compute_escrow::NextJobId::<Runtime>::get();
		pallet_compute_escrow::Pallet::<Runtime>::create_job(
			crate::RuntimeOrigin::signed(user.clone()),
			service,
			dataset,
			params_hash,
			max_fee,
			deadline,
		)
		.expect("a funded user opens a job on a stored dataset");
		job
	}
}
