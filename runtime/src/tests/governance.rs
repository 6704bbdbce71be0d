//! Issue 16: governance instead of sudo. Referenda on the `root` and `zerog_admin` tracks pass
//! with token holders' votes and are enacted by the scheduler with their track's origin; the
//! admin track cannot do what only root may; public chains keep the tracks' own periods.

use super::{genesis_of, testnet_genesis};
use crate::{
	configs::parameters::{dynamic_params::storage, RuntimeParameters},
	genesis_config_presets::DEV_GOVERNANCE_PERIODS,
	governance::{
		origins::{Origin as GovernanceOrigin, PeriodsOverride},
		tracks::{TracksInfo, ROOT, ZEROG_ADMIN},
	},
	units::{MICRO_ZG, ZG},
	BlockNumber, ComputeEscrow, ConvictionVoting, OriginCaller, Parameters, Referenda, Runtime,
	RuntimeCall, RuntimeEvent, RuntimeOrigin, Scheduler, System,
};
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok,
		traits::{Bounded, Get, Hooks},
		BoundedVec,
	},
	frame_system::{self, RawOrigin},
	pallet_conviction_voting::{AccountVote, Conviction, Vote},
	pallet_referenda::{self, ReferendumInfo, TracksInfo as _},
	pallet_scheduler,
	sp_core::H256,
	sp_keyring::Sr25519Keyring,
	sp_runtime::{traits::Hash, DispatchError},
};

type FeePerChunk = <Runtime as pallet_storage_commitments::Config>::FeePerChunk;

/// Runs the scheduler (which services referenda and enacts them) block by block up to `n`.
fn run_to_block(n: BlockNumber) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Scheduler::on_initialize(next);
	}
}

/// `call` as a referendum's inline proposal.
fn inline(call: RuntimeCall) -> Bounded<RuntimeCall, <Runtime as frame_system::Config>::Hashing> {
	use codec::Encode;
	Bounded::Inline(BoundedVec::try_from(call.encode()).expect("the call fits inline"))
}

/// Alice proposes `call` with `origin`, places the decision deposit, and Alice to Ferdie vote
/// aye with 900,000 ZG each (about a fifth of a development chain's issuance). Returns the
/// referendum's index.
fn propose_and_vote(origin: OriginCaller, call: RuntimeCall) -> u32 {
	let alice = RuntimeOrigin::signed(Sr25519Keyring::Alice.to_account_id());
	let index = pallet_referenda::ReferendumCount::<Runtime>::get();
	assert_ok!(Referenda::submit(
		alice.clone(),
		Box::new(origin),
		inline(call),
		polkadot_sdk::frame_support::traits::schedule::DispatchTime::After(1),
	));
	assert_ok!(Referenda::place_decision_deposit(alice, index));
	for voter in [
		Sr25519Keyring::Alice,
		Sr25519Keyring::Bob,
		Sr25519Keyring::Charlie,
		Sr25519Keyring::Dave,
		Sr25519Keyring::Eve,
		Sr25519Keyring::Ferdie,
	] {
		assert_ok!(ConvictionVoting::vote(
			RuntimeOrigin::signed(voter.to_account_id()),
			index,
			AccountVote::Standard {
				vote: Vote { aye: true, conviction: Conviction::None },
				balance: 900_000 * ZG,
			},
		));
	}
	index
}

/// The results of the scheduler's dispatches of referendum `index`'s enactment so far (the
/// task named `blake2_256(("assembly", "enactment", index))`; the referenda's alarms are
/// anonymous tasks).
fn enactments(index: u32) -> Vec<Result<(), DispatchError>> {
	use codec::Encode;
	let name =
		(*b"assembly", "enactment", index).using_encoded(polkadot_sdk::sp_io::hashing::blake2_256);
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::Scheduler(pallet_scheduler::Event::Dispatched { id, result, .. })
				if id == Some(name) =>
			{
				Some(result)
			},
			_ => None,
		})
		.collect()
}

fn fee_per_chunk(value: u128) -> RuntimeCall {
	RuntimeCall::Parameters(pallet_parameter_bounds::Call::set_parameter {
		key_value: RuntimeParameters::Storage(storage::Parameters::FeePerChunk(
			storage::FeePerChunk,
			Some(value),
		)),
	})
}

#[test]
fn an_admin_track_referendum_sets_a_parameter_in_minutes_on_a_development_chain() {
	genesis_of("development").execute_with(|| {
		System::set_block_number(1);
		let index = propose_and_vote(GovernanceOrigin::ZerogAdmin.into(), fee_per_chunk(MICRO_ZG));
		run_to_block(3);
		assert_eq!(FeePerChunk::get(), MICRO_ZG / 4, "nothing is enacted before it passes");
		assert_eq!(
			pallet_referenda::ReferendumInfoFor::<Runtime>::get(index).map(|info| matches!(
				info,
				ReferendumInfo::Ongoing(status) if status.track == ZEROG_ADMIN
			)),
			Some(true)
		);
		// Prepare (5 blocks), until support meets the falling curve, confirm (5), enactment (1).
		run_to_block(50);
		assert!(matches!(
			pallet_referenda::ReferendumInfoFor::<Runtime>::get(index),
			Some(ReferendumInfo::Approved(..))
		));
		assert_eq!(enactments(index), vec![Ok(())]);
		assert_eq!(FeePerChunk::get(), MICRO_ZG);
	});
}

#[test]
fn a_root_referendum_authorizes_a_runtime_upgrade() {
	genesis_of("development").execute_with(|| {
		System::set_block_number(1);
		let code_hash = <Runtime as frame_system::Config>::Hashing::hash(b"a new runtime");
		let index = propose_and_vote(
			RawOrigin::Root.into(),
			RuntimeCall::System(frame_system::Call::authorize_upgrade { code_hash }),
		);
		run_to_block(50);
		assert_eq!(enactments(index), vec![Ok(())]);
		System::assert_has_event(
			frame_system::Event::<Runtime>::UpgradeAuthorized { code_hash, check_version: true }
				.into(),
		);
	});
}

/// The admin track's origin is not root: a referendum on it that tries to upgrade the runtime
/// is enacted with `BadOrigin` and changes nothing.
#[test]
fn an_admin_track_referendum_cannot_upgrade_the_runtime() {
	genesis_of("development").execute_with(|| {
		System::set_block_number(1);
		let code_hash = H256::repeat_byte(7);
		let index = propose_and_vote(
			GovernanceOrigin::ZerogAdmin.into(),
			RuntimeCall::System(frame_system::Call::authorize_upgrade { code_hash }),
		);
		run_to_block(50);
		assert_eq!(enactments(index), vec![Err(DispatchError::BadOrigin)]);
		assert!(!System::events().iter().any(|record| matches!(
			record.event,
			RuntimeEvent::System(frame_system::Event::UpgradeAuthorized { .. })
		)));
	});
}

/// A referendum needs a track: proposals with an account's origin (which would let a vote
/// spend someone's funds) are refused at submission.
#[test]
fn a_referendum_with_an_account_origin_is_refused() {
	genesis_of("development").execute_with(|| {
		System::set_block_number(1);
		let alice = Sr25519Keyring::Alice.to_account_id();
		assert_noop!(
			Referenda::submit(
				RuntimeOrigin::signed(alice.clone()),
				Box::new(RawOrigin::Signed(Sr25519Keyring::Bob.to_account_id()).into()),
				inline(fee_per_chunk(MICRO_ZG)),
				polkadot_sdk::frame_support::traits::schedule::DispatchTime::After(1),
			),
			pallet_referenda::Error::<Runtime>::NoTrack
		);
	});
}

/// Parameters, enclave approvals and disputes take root or the admin track, never an account.
#[test]
fn the_admin_origin_governs_the_zerog_pallets_and_accounts_do_not() {
	genesis_of("development").execute_with(|| {
		System::set_block_number(1);
		let admin: RuntimeOrigin = GovernanceOrigin::ZerogAdmin.into();
		let alice = RuntimeOrigin::signed(Sr25519Keyring::Alice.to_account_id());
		let RuntimeCall::Parameters(pallet_parameter_bounds::Call::set_parameter { key_value }) =
			fee_per_chunk(MICRO_ZG)
		else {
			unreachable!()
		};
		assert_noop!(
			Parameters::set_parameter(alice.clone(), key_value.clone()),
			DispatchError::BadOrigin
		);
		assert_ok!(Parameters::set_parameter(admin.clone(), key_value));
		assert_eq!(FeePerChunk::get(), MICRO_ZG);

		let signer = Sr25519Keyring::Eve.to_account_id();
		let evidence = H256::repeat_byte(1);
		assert_noop!(
			ComputeEscrow::approve_enclave(alice, signer.clone(), evidence),
			DispatchError::BadOrigin
		);
		assert_ok!(ComputeEscrow::approve_enclave(admin.clone(), signer.clone(), evidence));
		assert_ok!(ComputeEscrow::revoke_enclave(admin.clone(), signer));
		// The admin origin is not root.
		assert_noop!(
			System::authorize_upgrade(admin, H256::repeat_byte(2)),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn development_chains_shorten_the_periods_and_the_testnet_keeps_them() {
	let periods = || {
		TracksInfo::tracks()
			.map(|track| {
				(
					track.id,
					track.info.prepare_period,
					track.info.decision_period,
					track.info.confirm_period,
					track.info.min_enactment_period,
				)
			})
			.collect::<Vec<_>>()
	};
	let [prepare, decision, confirm, enactment] = DEV_GOVERNANCE_PERIODS;
	for preset in ["development", "local_testnet"] {
		genesis_of(preset).execute_with(|| {
			assert_eq!(PeriodsOverride::<Runtime>::get(), Some(DEV_GOVERNANCE_PERIODS));
			assert_eq!(
				periods(),
				vec![
					(ROOT, prepare, decision, confirm, enactment),
					(ZEROG_ADMIN, prepare, decision, confirm, enactment)
				]
			);
		});
	}
	testnet_genesis().execute_with(|| {
		use crate::units::{DAYS, HOURS, MINUTES};
		assert_eq!(PeriodsOverride::<Runtime>::get(), None);
		assert_eq!(
			periods(),
			vec![
				(ROOT, 2 * HOURS, 14 * DAYS, DAYS, DAYS),
				(ZEROG_ADMIN, HOURS, 7 * DAYS, 3 * HOURS, 10 * MINUTES)
			]
		);
		// A public chain has no sudo: governance is the only root.
		assert_eq!(polkadot_sdk::pallet_sudo::Key::<Runtime>::get(), None);
		assert_eq!(
			TracksInfo::track_for(&OriginCaller::system(RawOrigin::Root)),
			Ok(ROOT),
			"root calls go to the root track"
		);
		assert_eq!(<Runtime as pallet_referenda::Config>::SubmissionDeposit::get(), 10 * ZG);
	});
}
