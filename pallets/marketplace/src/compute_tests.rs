//! Compute-to-data in the mock runtime: enclave keys and job inputs, every call and error; each
//! test ends with the pallet's invariants checked (`mock::run`).

use crate::{
	mock::*,
	pallet::*,
	tests::{free, held, last_event, origin, register_key, root, sealed, NewAsset},
	*,
};
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok, BoundedVec},
	sp_core::H256,
	sp_io::hashing::keccak_256,
};

const PARAMS: &[u8] = br#"{"epochs":3,"learning_rate":0.01}"#;

fn params_hash() -> H256 {
	H256(keccak_256(PARAMS))
}

fn params(bytes: &[u8]) -> BoundedVec<u8, polkadot_sdk::frame_support::traits::ConstU32<256>> {
	bytes.to_vec().try_into().unwrap()
}

fn assets(
	ids: &[AssetId],
) -> BoundedVec<AssetId, polkadot_sdk::frame_support::traits::ConstU32<3>> {
	ids.to_vec().try_into().unwrap()
}

/// An encrypted dataset of `OWNER` (paid), its key sealed to `ENCLAVE`, and `BUYER` holding a
/// compute grant for it; the asset's id.
fn dataset_for_enclave_jobs() -> AssetId {
	let asset = NewAsset::default().register(OWNER).unwrap();
	register_key(ENCLAVE, 9);
	assert_ok!(Marketplace::deliver_enclave_key(origin(OWNER), asset, ENCLAVE, sealed(80)));
	assert_ok!(Marketplace::buy_access(origin(BUYER), asset, AccessScope::Compute, 500));
	// The job's result is sealed to the user's key.
	register_key(BUYER, 2);
	asset
}

#[test]
fn an_owner_seals_its_key_to_an_approved_enclave_with_one_deposit() {
	run(|| {
		let asset = NewAsset::default().register(OWNER).unwrap();
		register_key(ENCLAVE, 9);
		let before = held(OWNER, HoldReason::GrantDeposit);
		assert_ok!(Marketplace::deliver_enclave_key(origin(OWNER), asset, ENCLAVE, sealed(80)));
		assert_eq!(
			last_event(),
			Event::EnclaveKeyDelivered { asset, signer: ENCLAVE, recipient: [9; 32] }
		);
		assert_eq!(held(OWNER, HoldReason::GrantDeposit), before + GRANT_DEPOSIT);
		assert_eq!(EnclaveKeyCount::<Test>::get(asset), 1);
		// The enclave's key changed: a new delivery replaces the old, with no second deposit.
		register_key(ENCLAVE, 8);
		assert_ok!(Marketplace::deliver_enclave_key(origin(OWNER), asset, ENCLAVE, sealed(96)));
		let record = EnclaveKeys::<Test>::get(asset, ENCLAVE).unwrap();
		assert_eq!(record.key.recipient, [8; 32]);
		assert_eq!(record.key.sealed.len(), 96);
		assert_eq!(held(OWNER, HoldReason::GrantDeposit), before + GRANT_DEPOSIT);
		assert_eq!(EnclaveKeyCount::<Test>::get(asset), 1);
		// While the key is sealed to an enclave the asset stays.
		assert_noop!(Marketplace::remove_asset(origin(OWNER), asset), Error::<Test>::AssetInUse);
		assert_ok!(Marketplace::revoke_enclave_key(origin(OWNER), asset, ENCLAVE));
		assert_eq!(last_event(), Event::EnclaveKeyRevoked { asset, signer: ENCLAVE });
		assert_eq!(held(OWNER, HoldReason::GrantDeposit), before);
		assert_eq!(EnclaveKeyCount::<Test>::get(asset), 0);
		assert!(!EnclaveKeyCount::<Test>::contains_key(asset));
		assert_ok!(Marketplace::remove_asset(origin(OWNER), asset));
	});
}

#[test]
fn deliver_enclave_key_errors_change_nothing() {
	run(|| {
		let asset = NewAsset::default().register(OWNER).unwrap();
		let public = NewAsset {
			root: root(3),
			encrypted: false,
			policy: AccessPolicy::Public,
			price: 0,
			..Default::default()
		}
		.register(OWNER)
		.unwrap();
		let deliver = |who, asset, signer, length| {
			Marketplace::deliver_enclave_key(origin(who), asset, signer, sealed(length))
		};
		assert_noop!(deliver(OWNER, 99, ENCLAVE, 80), Error::<Test>::UnknownAsset);
		assert_noop!(deliver(OTHER, asset, ENCLAVE, 80), Error::<Test>::NotOwner);
		assert_noop!(deliver(OWNER, public, ENCLAVE, 80), Error::<Test>::NotEncrypted);
		assert_noop!(deliver(OWNER, asset, ENCLAVE, 79), Error::<Test>::SealedKeyTooShort);
		// A provider's own key is not an enclave governance approved.
		register_key(PROVIDER, 4);
		assert_noop!(deliver(OWNER, asset, PROVIDER, 80), Error::<Test>::NotAnEnclave);
		// An approved enclave that registered no encryption key cannot open anything.
		assert_noop!(deliver(OWNER, asset, ENCLAVE, 80), Error::<Test>::NoEncryptionKey);
		register_key(ENCLAVE, 9);
		// `MaxEnclavesPerAsset` (2) enclaves at most.
		register_key(OTHER, 7);
		approve_enclave(OTHER);
		assert_ok!(deliver(OWNER, asset, ENCLAVE, 80));
		assert_ok!(deliver(OWNER, asset, OTHER, 80));
		register_key(BUYER, 6);
		approve_enclave(BUYER);
		assert_noop!(deliver(OWNER, asset, BUYER, 80), Error::<Test>::TooManyEnclaves);
		// An owner who cannot hold the deposit.
		let poor = NewAsset { root: root(4), ..Default::default() }.register(PROVIDER).unwrap();
		let free_balance = free(PROVIDER);
		assert_ok!(Balances::transfer_allow_death(origin(PROVIDER), OTHER, free_balance - 1));
		assert_noop!(deliver(PROVIDER, poor, ENCLAVE, 80), Error::<Test>::CannotHoldDeposit);
	});
}

#[test]
fn revoke_enclave_key_errors_change_nothing() {
	run(|| {
		let asset = dataset_for_enclave_jobs();
		assert_noop!(
			Marketplace::revoke_enclave_key(origin(OWNER), 99, ENCLAVE),
			Error::<Test>::UnknownAsset
		);
		assert_noop!(
			Marketplace::revoke_enclave_key(origin(OTHER), asset, ENCLAVE),
			Error::<Test>::NotOwner
		);
		assert_noop!(
			Marketplace::revoke_enclave_key(origin(OWNER), asset, OTHER),
			Error::<Test>::EnclaveNotAccepted
		);
	});
}

#[test]
fn a_compute_grantee_names_an_encrypted_dataset_and_the_full_parameters_of_its_job() {
	run(|| {
		let asset = dataset_for_enclave_jobs();
		let public_model = NewAsset {
			root: root(5),
			encrypted: false,
			policy: AccessPolicy::Public,
			price: 0,
			..NewAsset::model()
		}
		.register(OTHER)
		.unwrap();
		open_job(JOB, BUYER, Some(ENCLAVE), params_hash());
		let before = held(BUYER, HoldReason::GrantDeposit);
		assert_ok!(Marketplace::attach_job_inputs(
			origin(BUYER),
			JOB,
			assets(&[public_model, asset]),
			params(PARAMS)
		));
		assert_eq!(
			last_event(),
			Event::JobInputsAttached {
				job: JOB,
				user: BUYER,
				assets: assets(&[public_model, asset])
			}
		);
		let record = JobInputs::<Test>::get(JOB).unwrap();
		assert_eq!(record.params.as_slice(), PARAMS);
		assert_eq!(record.user, BUYER);
		assert_eq!(held(BUYER, HoldReason::GrantDeposit), before + JOB_INPUTS_DEPOSIT);
		// Attached once: a second record would let the user change what the job reads.
		assert_noop!(
			Marketplace::attach_job_inputs(origin(BUYER), JOB, assets(&[]), params(PARAMS)),
			Error::<Test>::InputsAlreadyAttached
		);
		// Kept while the job is not over; then its user removes it.
		assert_noop!(
			Marketplace::remove_job_inputs(origin(BUYER), JOB),
			Error::<Test>::JobStillOpen
		);
		review_job(JOB);
		assert_noop!(
			Marketplace::remove_job_inputs(origin(BUYER), JOB),
			Error::<Test>::JobStillOpen
		);
		close_job(JOB);
		assert_noop!(Marketplace::remove_job_inputs(origin(OTHER), JOB), Error::<Test>::NotJobUser);
		assert_ok!(Marketplace::remove_job_inputs(origin(BUYER), JOB));
		assert_eq!(last_event(), Event::JobInputsRemoved { job: JOB });
		assert_eq!(held(BUYER, HoldReason::GrantDeposit), before);
		assert_noop!(
			Marketplace::remove_job_inputs(origin(BUYER), JOB),
			Error::<Test>::NoJobInputs
		);
	});
}

#[test]
fn the_results_key_goes_to_the_user_only_once_the_result_is_paid_for() {
	run(|| {
		let asset = dataset_for_enclave_jobs();
		open_job(JOB, BUYER, Some(ENCLAVE), params_hash());
		assert_ok!(Marketplace::attach_job_inputs(
			origin(BUYER),
			JOB,
			assets(&[asset]),
			params(PARAMS)
		));
		let deliver =
			|who, length| Marketplace::deliver_result_key(origin(who), JOB, sealed(length));
		assert_noop!(
			Marketplace::deliver_result_key(origin(PROVIDER), JOB + 1, sealed(80)),
			Error::<Test>::NoJobInputs
		);
		// In review, the user has not paid: no key yet.
		review_job(JOB);
		assert_noop!(deliver(PROVIDER, 80), Error::<Test>::ResultNotPaid);
		close_job(JOB);
		Marketplace::note_result_paid(JOB, root(9));
		assert_eq!(JobInputs::<Test>::get(JOB).unwrap().result, Some(root(9)));
		assert_noop!(deliver(OTHER, 80), Error::<Test>::NotJobProvider);
		assert_noop!(deliver(PROVIDER, 79), Error::<Test>::SealedKeyTooShort);
		// A user who removed its key has nothing to seal to until it registers one again.
		assert_ok!(Marketplace::remove_encryption_key(origin(BUYER)));
		assert_noop!(deliver(PROVIDER, 80), Error::<Test>::NoEncryptionKey);
		register_key(BUYER, 3);
		assert_ok!(deliver(PROVIDER, 80));
		assert_eq!(
			last_event(),
			Event::ResultKeyDelivered { job: JOB, user: BUYER, recipient: [3; 32] }
		);
		let key = JobInputs::<Test>::get(JOB).unwrap().result_key.unwrap();
		assert_eq!((key.recipient, key.sealed.len()), ([3; 32], 80));
		assert_noop!(deliver(PROVIDER, 80), Error::<Test>::ResultKeyAlreadyDelivered);
		// A job without inputs has no record: its paid result changes nothing.
		Marketplace::note_result_paid(JOB + 5, root(9));
		assert!(!JobInputs::<Test>::contains_key(JOB + 5));
	});
}

#[test]
fn the_owner_runs_jobs_on_its_own_encrypted_asset_only_through_an_accepted_enclave() {
	run(|| {
		let asset = dataset_for_enclave_jobs();
		register_key(OWNER, 1);
		open_job(JOB, OWNER, Some(ENCLAVE), params_hash());
		assert_ok!(Marketplace::attach_job_inputs(
			origin(OWNER),
			JOB,
			assets(&[asset]),
			params(PARAMS)
		));
		// After the owner withdrew the enclave's key, no new job there reads the asset.
		assert_ok!(Marketplace::revoke_enclave_key(origin(OWNER), asset, ENCLAVE));
		open_job(JOB + 1, OWNER, Some(ENCLAVE), params_hash());
		assert_noop!(
			Marketplace::attach_job_inputs(
				origin(OWNER),
				JOB + 1,
				assets(&[asset]),
				params(PARAMS)
			),
			Error::<Test>::EnclaveNotAccepted
		);
	});
}

#[test]
fn attach_job_inputs_errors_change_nothing() {
	run(|| {
		let asset = dataset_for_enclave_jobs();
		let attach = |who, job, ids: &[AssetId], bytes: &[u8]| {
			Marketplace::attach_job_inputs(origin(who), job, assets(ids), params(bytes))
		};
		// No such job, or it has its result already.
		assert_noop!(attach(BUYER, JOB, &[asset], PARAMS), Error::<Test>::UnknownJob);
		open_job(JOB, BUYER, Some(ENCLAVE), params_hash());
		// Another user cannot point BUYER's job at data, or change its parameters.
		assert_noop!(attach(OTHER, JOB, &[asset], PARAMS), Error::<Test>::NotJobUser);
		// Parameters other than those the provider agreed to (by their hash).
		assert_noop!(attach(BUYER, JOB, &[asset], b"{}"), Error::<Test>::ParamsHashMismatch);
		// No key to seal the job's result to.
		assert_ok!(Marketplace::remove_encryption_key(origin(BUYER)));
		assert_noop!(attach(BUYER, JOB, &[asset], PARAMS), Error::<Test>::NoEncryptionKey);
		register_key(BUYER, 2);
		assert_noop!(attach(BUYER, JOB, &[99], PARAMS), Error::<Test>::UnknownAsset);
		// A paid asset OTHER never bought.
		open_job(JOB + 1, OTHER, Some(ENCLAVE), params_hash());
		register_key(OTHER, 4);
		assert_noop!(attach(OTHER, JOB + 1, &[asset], PARAMS), Error::<Test>::NoGrant);
		// An expired grant.
		System::set_block_number(1 + 100);
		assert_noop!(attach(BUYER, JOB, &[asset], PARAMS), Error::<Test>::NoActiveGrant);
		assert_ok!(Marketplace::buy_access(origin(BUYER), asset, AccessScope::Compute, 500));
		// A service with no enclave, or one whose enclave the owner did not accept.
		open_job(JOB + 2, BUYER, None, params_hash());
		assert_noop!(attach(BUYER, JOB + 2, &[asset], PARAMS), Error::<Test>::EnclaveNotAccepted);
		open_job(JOB + 3, BUYER, Some(PROVIDER), params_hash());
		assert_noop!(attach(BUYER, JOB + 3, &[asset], PARAMS), Error::<Test>::EnclaveNotAccepted);
		// A user who cannot hold the deposit.
		let free_balance = free(BUYER);
		assert_ok!(Balances::transfer_allow_death(origin(BUYER), OTHER, free_balance - 1));
		assert_noop!(attach(BUYER, JOB, &[asset], PARAMS), Error::<Test>::CannotHoldDeposit);
	});
}
