//! Compute-to-data through the real compute marketplace: an encrypted dataset's key sealed to an
//! approved enclave, a job of a compute grantee on that enclave's service naming the dataset
//! and its parameters, its result's key delivered once the user accepted the result, and the
//! refusals when the enclave is not (or no longer) accepted.

use super::genesis_of;
use crate::{
	configs::parameters::dynamic_params::compute::{MinJobDuration, MinServiceStake},
	units::ZG,
	AccountId, Balances, Runtime, RuntimeCall, RuntimeOrigin, System,
};
use pallet_compute_escrow::{ApprovedEnclaves, EnclaveApproval, ServiceKind, Verifiability};
use pallet_marketplace::{AccessPolicy, AccessScope, AssetKind, JobInputs};
use polkadot_sdk::{
	frame_support::traits::{fungible::Mutate, Get},
	sp_core::H256,
	sp_io::hashing::keccak_256,
	sp_runtime::{traits::Dispatchable, DispatchError},
};

const PARAMS: &[u8] = br#"{"epochs":2}"#;

fn account(byte: u8) -> AccountId {
	let who = AccountId::new([byte; 32]);
	Balances::set_balance(&who, 1_000 * ZG);
	who
}

fn dispatch(who: &AccountId, call: impl Into<RuntimeCall>) -> Result<(), DispatchError> {
	call.into()
		.dispatch(RuntimeOrigin::signed(who.clone()))
		.map(|_| ())
		.map_err(|error| error.error)
}

fn marketplace_error(error: pallet_marketplace::Error<Runtime>) -> DispatchError {
	error.into()
}

/// A job of `user` on `service`, with `PARAMS`' hash; its id.
fn job(user: &AccountId, service: u64, dataset: H256) -> u64 {
	let id = pallet_compute_escrow::NextJobId::<Runtime>::get();
	let deadline = System::block_number() + MinJobDuration::get() + 5;
	dispatch(
		user,
		pallet_compute_escrow::Call::create_job {
			service,
			dataset_root: dataset,
			params_hash: H256(keccak_256(PARAMS)),
			max_fee: ZG,
			deadline,
		},
	)
	.expect("a funded user opens a job on a stored dataset");
	id
}

fn attach(user: &AccountId, job: u64, asset: u64) -> Result<(), DispatchError> {
	dispatch(
		user,
		pallet_marketplace::Call::attach_job_inputs {
			job,
			assets: vec![asset].try_into().unwrap(),
			params: PARAMS.to_vec().try_into().unwrap(),
		},
	)
}

#[test]
fn a_compute_grantee_runs_a_job_on_encrypted_data_only_through_an_accepted_enclave() {
	genesis_of("development").execute_with(|| {
		System::set_block_number(1);
		let (owner, user, stranger) = (account(1), account(2), account(3));
		let (provider, enclave) = (account(4), account(5));
		// The dataset: an encrypted file the owner stores and sells for compute.
		let dataset = H256::repeat_byte(0xDA);
		dispatch(
			&owner,
			pallet_storage_commitments::Call::submit {
				root: dataset,
				size: 4096,
				tags: Default::default(),
				replicas: 1,
			},
		)
		.unwrap();
		dispatch(
			&owner,
			pallet_marketplace::Call::register_asset {
				kind: AssetKind::Dataset,
				name: b"patients".to_vec().try_into().unwrap(),
				version: b"1".to_vec().try_into().unwrap(),
				license: b"LicenseRef-private".to_vec().try_into().unwrap(),
				root: dataset,
				size: 4096,
				card: None,
				encrypted: true,
				policy: AccessPolicy::Paid,
				price: 2 * ZG,
				access_period: 500,
			},
		)
		.unwrap();
		// A job service whose results an enclave signs; governance approved the enclave.
		ApprovedEnclaves::<Runtime>::insert(
			&enclave,
			EnclaveApproval { evidence_hash: H256::repeat_byte(1), approved_at: 1 },
		);
		let service = pallet_compute_escrow::NextServiceId::<Runtime>::get();
		dispatch(
			&provider,
			pallet_compute_escrow::Call::register_service {
				kind: ServiceKind::Job,
				model: b"trainer".to_vec().try_into().unwrap(),
				endpoint: b"https://trainer.example".to_vec().try_into().unwrap(),
				input_price_per_token: 0,
				output_price_per_token: 0,
				verifiability: Verifiability::Tee { signer: enclave.clone() },
				stake: MinServiceStake::get(),
			},
		)
		.unwrap();
		dispatch(
			&user,
			pallet_marketplace::Call::buy_access {
				asset: 0,
				scope: AccessScope::Compute,
				max_price: 2 * ZG,
			},
		)
		.unwrap();

		// The job's encrypted result will be sealed to the user's key.
		dispatch(&user, pallet_marketplace::Call::register_encryption_key { key: [2; 32] })
			.unwrap();

		// Before the owner seals its key to the enclave, no job reads the dataset.
		let first = job(&user, service, dataset);
		assert_eq!(
			attach(&user, first, 0),
			Err(marketplace_error(pallet_marketplace::Error::EnclaveNotAccepted))
		);
		dispatch(&enclave, pallet_marketplace::Call::register_encryption_key { key: [7; 32] })
			.unwrap();
		dispatch(
			&owner,
			pallet_marketplace::Call::deliver_enclave_key {
				asset: 0,
				signer: enclave.clone(),
				sealed: vec![0xAB; 80].try_into().unwrap(),
			},
		)
		.unwrap();
		assert_eq!(
			crate::Marketplace::enclave_key_summary(0, &enclave),
			Some(([7; 32], vec![0xAB; 80]))
		);
		attach(&user, first, 0).unwrap();
		let inputs = crate::Marketplace::job_inputs_summary(first).unwrap();
		assert_eq!(
			(inputs.user, inputs.assets, inputs.params),
			(user.clone(), vec![0], PARAMS.to_vec())
		);
		assert_eq!(
			dispatch(&user, pallet_marketplace::Call::remove_job_inputs { job: first }),
			Err(marketplace_error(pallet_marketplace::Error::JobStillOpen))
		);

		// The provider's (encrypted) result: its key goes to the user once the user pays.
		let result = H256::repeat_byte(0x7E);
		dispatch(
			&provider,
			pallet_storage_commitments::Call::submit {
				root: result,
				size: 1024,
				tags: Default::default(),
				replicas: 1,
			},
		)
		.unwrap();
		dispatch(
			&provider,
			pallet_compute_escrow::Call::submit_result {
				job: first,
				result_root: result,
				output_hash: H256::repeat_byte(1),
				fee_used: ZG / 2,
			},
		)
		.unwrap();
		let deliver = || {
			dispatch(
				&provider,
				pallet_marketplace::Call::deliver_result_key {
					job: first,
					sealed: vec![0xCD; 80].try_into().unwrap(),
				},
			)
		};
		assert_eq!(deliver(), Err(marketplace_error(pallet_marketplace::Error::ResultNotPaid)));
		dispatch(&user, pallet_compute_escrow::Call::accept_result { job: first }).unwrap();
		assert_eq!(JobInputs::<Runtime>::get(first).unwrap().result, Some(result));
		deliver().unwrap();
		let summary = crate::Marketplace::job_inputs_summary(first).unwrap();
		assert_eq!(summary.result_key, Some(([2; 32], vec![0xCD; 80])));
		dispatch(&user, pallet_marketplace::Call::remove_job_inputs { job: first }).unwrap();

		// A stranger without a grant cannot point its own job at the dataset.
		dispatch(&stranger, pallet_marketplace::Call::register_encryption_key { key: [3; 32] })
			.unwrap();
		let strangers = job(&stranger, service, dataset);
		assert_eq!(
			attach(&stranger, strangers, 0),
			Err(marketplace_error(pallet_marketplace::Error::NoGrant))
		);
		// Once governance withdraws the enclave's approval, new jobs there cannot read it.
		ApprovedEnclaves::<Runtime>::remove(&enclave);
		let later = job(&user, service, dataset);
		assert_eq!(
			attach(&user, later, 0),
			Err(marketplace_error(pallet_marketplace::Error::EnclaveNotAccepted))
		);
		assert!(JobInputs::<Runtime>::get(later).is_none());
	});
}
