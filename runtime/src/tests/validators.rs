//! Issue 16: staked validators. Genesis validators are invulnerable session validators; anyone
//! with session keys and a bond joins from the session after next and leaves the same way; a
//! GRANDPA equivocation report burns part of the offender's bond, ends its candidacy and
//! disables it; fees stay burned and the staking pot pays authors what is sent to it.

use super::{genesis_of, testnet_genesis};
use crate::{
	genesis_config_presets::DEV_SESSION_LENGTH,
	opaque::SessionKeys,
	validators::{self, pallet::DEFAULT_SESSION_LENGTH, CANDIDACY_BOND},
	AccountId, Balances, BlockNumber, CollatorSelection, Grandpa, Historical, Runtime,
	RuntimeEvent, RuntimeOrigin, Session, System, ValidatorSet,
};
use codec::Encode;
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok,
		traits::{fungible::Mutate, Get, Hooks, KeyOwnerProofSystem},
	},
	pallet_aura, pallet_collator_selection, pallet_grandpa, pallet_session,
	sp_consensus_grandpa::{self, AuthorityId as GrandpaId, EquivocationProof, KEY_TYPE},
	sp_core::{Pair, H256},
	sp_io::TestExternalities,
	sp_keyring::{Ed25519Keyring, Sr25519Keyring},
	sp_keystore::{testing::MemoryKeystore, KeystoreExt},
	sp_runtime::{traits::OpaqueKeys, Perbill},
};
use std::sync::Arc;

/// The local network's genesis (four invulnerables, 10-block sessions) at block 1, with a
/// keystore so session keys can be generated.
fn local_network() -> TestExternalities {
	let mut ext = genesis_of("local_testnet");
	ext.register_extension(KeystoreExt(Arc::new(MemoryKeystore::new())));
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs session rotation block by block up to `n`.
fn run_to_block(n: BlockNumber) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Session::on_initialize(next);
		// Enacts GRANDPA's scheduled authority changes.
		Grandpa::on_finalize(next);
	}
}

/// Runs to the first block of the session after the current one.
fn next_session() {
	let length = <validators::SessionLength as Get<BlockNumber>>::get();
	let now = System::block_number();
	run_to_block((now / length + 1) * length);
}

/// `seed`'s session keys (derived from the dev seed, as `--eve` holds them) and the proof that
/// `owner` holds them, as `author_rotateKeysWithOwner` returns them.
fn keys_with_proof(owner: &AccountId, seed: &str) -> (SessionKeys, Vec<u8>) {
	let generated = SessionKeys::generate(&owner.encode(), Some(seed.as_bytes().to_vec()));
	(generated.keys, generated.proof.encode())
}

/// What Eve holds in reserve at genesis (her compute marketplace deposit, if the runtime has
/// compute).
fn eve_reserved_at_genesis() -> u128 {
	super::dev_user_deposit()
}

/// Eve sets her session keys and bonds: she is a candidate.
fn eve_bonds() -> AccountId {
	let eve = Sr25519Keyring::Eve.to_account_id();
	assert_eq!(Balances::reserved_balance(&eve), eve_reserved_at_genesis());
	let (keys, proof) = keys_with_proof(&eve, "//Eve");
	assert_ok!(Session::set_keys(RuntimeOrigin::signed(eve.clone()), keys, proof));
	assert_ok!(CollatorSelection::register_as_candidate(RuntimeOrigin::signed(eve.clone())));
	eve
}

/// Eve bonds and, two session changes later, validates.
fn eve_validates() -> AccountId {
	let eve = eve_bonds();
	next_session();
	next_session();
	assert!(Session::validators().contains(&eve));
	eve
}

fn events() -> Vec<RuntimeEvent> {
	System::events().into_iter().map(|record| record.event).collect()
}

#[test]
fn genesis_validators_are_the_invulnerables_of_the_first_session() {
	local_network().execute_with(|| {
		let names = [
			Sr25519Keyring::Alice,
			Sr25519Keyring::Bob,
			Sr25519Keyring::Charlie,
			Sr25519Keyring::Dave,
		];
		let mut accounts: Vec<AccountId> = names.iter().map(|k| k.to_account_id()).collect();
		accounts.sort();
		assert_eq!(pallet_collator_selection::Invulnerables::<Runtime>::get().to_vec(), accounts);
		assert_eq!(Session::validators(), accounts, "the invulnerables validate, sorted");
		// Aura and GRANDPA got the validators' keys, in the session's order.
		let aura: Vec<_> = pallet_aura::Authorities::<Runtime>::get().into_inner();
		let expected: Vec<_> = accounts
			.iter()
			.map(|account| {
				let key = names.iter().find(|k| &k.to_account_id() == account).unwrap();
				key.public().into()
			})
			.collect();
		assert_eq!(aura, expected);
		assert_eq!(Grandpa::grandpa_authorities().len(), 4);
		assert_eq!(<validators::SessionLength as Get<BlockNumber>>::get(), DEV_SESSION_LENGTH);
		assert_eq!(pallet_collator_selection::CandidacyBond::<Runtime>::get(), CANDIDACY_BOND);
		// The session handlers match the session keys, in order (session's genesis checks it
		// too, by panicking).
		assert_eq!(SessionKeys::key_ids().len(), 5);
	});
	testnet_genesis().execute_with(|| {
		assert_eq!(<validators::SessionLength as Get<BlockNumber>>::get(), DEFAULT_SESSION_LENGTH);
		assert_eq!(Session::validators().len(), 2, "the ceremony's validators");
	});
}

#[test]
fn a_bonded_candidate_validates_from_the_session_after_next_and_leaves_the_same_way() {
	local_network().execute_with(|| {
		let eve = eve_bonds();
		assert_eq!(
			Balances::reserved_balance(&eve),
			eve_reserved_at_genesis() + CANDIDACY_BOND + validators::KeyDeposit::get()
		);
		assert!(!Session::validators().contains(&eve));

		// Queued at the next session change, active at the one after.
		next_session();
		assert!(!Session::validators().contains(&eve));
		next_session();
		assert!(Session::validators().contains(&eve), "Eve validates");
		assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 5);
		assert_eq!(Grandpa::grandpa_authorities().len(), 5);
		let eve_aura = Sr25519Keyring::Eve.public().into();
		assert!(pallet_aura::Authorities::<Runtime>::get().contains(&eve_aura));

		// She leaves: the bond stays held, now as unbonding (and the key deposit until she
		// purges her keys), and she is out of the set two sessions later.
		assert_ok!(CollatorSelection::leave_intent(RuntimeOrigin::signed(eve.clone())));
		assert_eq!(
			Balances::reserved_balance(&eve),
			eve_reserved_at_genesis() + validators::KeyDeposit::get() + CANDIDACY_BOND
		);
		assert_eq!(ValidatorSet::unbonding(&eve), CANDIDACY_BOND);
		next_session();
		next_session();
		assert!(!Session::validators().contains(&eve), "Eve left");
		assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 4);
		assert_ok!(Session::purge_keys(RuntimeOrigin::signed(eve.clone())));
		assert_eq!(Balances::reserved_balance(&eve), eve_reserved_at_genesis() + CANDIDACY_BOND);
	});
}

#[test]
fn joining_needs_session_keys_a_proof_of_them_and_the_bond() {
	local_network().execute_with(|| {
		let eve = Sr25519Keyring::Eve.to_account_id();
		assert_noop!(
			CollatorSelection::register_as_candidate(RuntimeOrigin::signed(eve.clone())),
			pallet_collator_selection::Error::<Runtime>::ValidatorNotRegistered
		);
		// Keys whose proof was made for another owner are refused.
		let ferdie = Sr25519Keyring::Ferdie.to_account_id();
		let (keys, proof_for_ferdie) = keys_with_proof(&ferdie, "//Eve");
		assert_noop!(
			Session::set_keys(RuntimeOrigin::signed(eve.clone()), keys, proof_for_ferdie),
			pallet_session::Error::<Runtime>::InvalidProof
		);
		// Keys already held by another validator are refused.
		let (alice_keys, proof) = keys_with_proof(&eve, "//Alice");
		assert_noop!(
			Session::set_keys(RuntimeOrigin::signed(eve.clone()), alice_keys, proof),
			pallet_session::Error::<Runtime>::DuplicatedKey
		);
		// An account without the bond cannot bond.
		let poor: AccountId = [7u8; 32].into();
		<Balances as Mutate<AccountId>>::set_balance(&poor, 10 * crate::units::ZG);
		let (keys, proof) = keys_with_proof(&poor, "//Poor");
		assert_ok!(Session::set_keys(RuntimeOrigin::signed(poor.clone()), keys, proof));
		assert!(CollatorSelection::register_as_candidate(RuntimeOrigin::signed(poor)).is_err());
		// Governance-appointed validators cannot bond, and accounts cannot appoint.
		let alice = Sr25519Keyring::Alice.to_account_id();
		assert_noop!(
			CollatorSelection::register_as_candidate(RuntimeOrigin::signed(alice.clone())),
			pallet_collator_selection::Error::<Runtime>::AlreadyInvulnerable
		);
		assert_noop!(
			CollatorSelection::add_invulnerable(RuntimeOrigin::signed(alice), eve),
			polkadot_sdk::sp_runtime::DispatchError::BadOrigin
		);
	});
}

#[test]
fn a_candidate_that_never_authors_is_dropped_and_its_bond_unbonds() {
	local_network().execute_with(|| {
		let eve = eve_validates();
		// Nothing authored (no block of hers is imported here): after the kick threshold, the
		// next session change drops her, and her bond unbonds.
		let last_authored = pallet_collator_selection::LastAuthoredBlock::<Runtime>::get(&eve);
		run_to_block(last_authored + <validators::KickThreshold as Get<BlockNumber>>::get());
		next_session();
		assert!(pallet_collator_selection::CandidateList::<Runtime>::get().is_empty());
		assert_eq!(
			Balances::reserved_balance(&eve),
			eve_reserved_at_genesis() + validators::KeyDeposit::get() + CANDIDACY_BOND
		);
		assert_eq!(ValidatorSet::unbonding(&eve), CANDIDACY_BOND);
		next_session();
		next_session();
		assert!(!Session::validators().contains(&eve));
	});
}

/// A GRANDPA prevote equivocation by `offender` (an ed25519 dev key) in round 1 of the current
/// set: two prevotes for different blocks.
fn prevote_equivocation(offender: Ed25519Keyring) -> EquivocationProof<H256, BlockNumber> {
	signed_equivocation(offender, offender, 1)
}

/// Two prevotes for different blocks in `round` of the current set, claimed to be `identity`'s
/// and signed by `signer`.
fn signed_equivocation(
	identity: Ed25519Keyring,
	signer: Ed25519Keyring,
	round: u64,
) -> EquivocationProof<H256, BlockNumber> {
	let set_id = pallet_grandpa::CurrentSetId::<Runtime>::get();
	let vote = |target: H256| {
		let prevote = finality_grandpa::Prevote { target_hash: target, target_number: 1 };
		let payload = sp_consensus_grandpa::localized_payload(
			round,
			set_id,
			&finality_grandpa::Message::Prevote(prevote.clone()),
		);
		(prevote, signer.pair().sign(&payload).into())
	};
	let equivocation = finality_grandpa::Equivocation {
		round_number: round,
		identity: GrandpaId::from(identity.public()),
		first: vote(H256::repeat_byte(1)),
		second: vote(H256::repeat_byte(2)),
	};
	EquivocationProof::new(set_id, sp_consensus_grandpa::Equivocation::Prevote(equivocation))
}

#[test]
fn a_grandpa_equivocation_burns_part_of_the_bond_ends_the_candidacy_and_disables() {
	local_network().execute_with(|| {
		let eve = eve_validates();
		let issuance = Balances::total_issuance();

		let proof = prevote_equivocation(Ed25519Keyring::Eve);
		let owner_proof =
			Historical::prove((KEY_TYPE, GrandpaId::from(Ed25519Keyring::Eve.public())))
				.expect("Eve's GRANDPA key is in the current session");
		assert_ok!(Grandpa::report_equivocation_unsigned(
			RuntimeOrigin::none(),
			Box::new(proof.clone()),
			owner_proof.clone()
		));

		// One offender among five validators: (3 * 1 / 5)^2 = 36 % of the bond is burned.
		let burned = Perbill::from_percent(36) * CANDIDACY_BOND;
		let session = Session::current_index();
		assert!(events().contains(&RuntimeEvent::ValidatorSet(
			validators::pallet::Event::BondSlashed {
				validator: eve.clone(),
				amount: burned,
				session
			}
		)));
		assert_eq!(Balances::total_issuance(), issuance - burned);
		assert_eq!(
			Balances::reserved_balance(&eve),
			eve_reserved_at_genesis() + validators::KeyDeposit::get() + CANDIDACY_BOND - burned
		);
		assert_eq!(
			Balances::free_balance(&eve),
			crate::genesis_config_presets::ENDOWMENT
				- eve_reserved_at_genesis()
				- validators::KeyDeposit::get()
				- CANDIDACY_BOND
		);
		assert!(pallet_collator_selection::CandidateList::<Runtime>::get().is_empty());
		assert_eq!(ValidatorSet::unbonding(&eve), CANDIDACY_BOND - burned, "the rest unbonds");
		let index = Session::validators().iter().position(|v| v == &eve).unwrap() as u32;
		assert!(Session::disabled_validators().contains(&index), "Eve is disabled");

		// The same report again is a duplicate; a forged one (another key's signatures) fails.
		assert!(Grandpa::report_equivocation_unsigned(
			RuntimeOrigin::none(),
			Box::new(proof),
			owner_proof
		)
		.is_err());
		let forged = signed_equivocation(Ed25519Keyring::Alice, Ed25519Keyring::Ferdie, 1);
		let owner_proof =
			Historical::prove((KEY_TYPE, GrandpaId::from(Ed25519Keyring::Alice.public()))).unwrap();
		assert_noop!(
			Grandpa::report_equivocation_unsigned(
				RuntimeOrigin::none(),
				Box::new(forged),
				owner_proof
			),
			pallet_grandpa::Error::<Runtime>::InvalidEquivocationProof
		);

		// Out of the set from the session after next.
		next_session();
		next_session();
		assert!(!Session::validators().contains(&eve));
	});
}

/// Regression: a bond used to be returned the moment its candidacy ended, so a validator could
/// equivocate, `leave_intent` before the report was included, and keep its whole bond.
#[test]
fn a_bond_that_left_stays_held_and_slashable_for_the_history_window() {
	local_network().execute_with(|| {
		let eve = eve_validates();
		// She equivocates, then leaves before the report lands.
		let proof = prevote_equivocation(Ed25519Keyring::Eve);
		let owner_proof =
			Historical::prove((KEY_TYPE, GrandpaId::from(Ed25519Keyring::Eve.public()))).unwrap();
		assert_ok!(CollatorSelection::leave_intent(RuntimeOrigin::signed(eve.clone())));
		let unlocks_at = Session::current_index() + validators::HISTORY_SESSIONS;
		assert!(events().contains(&RuntimeEvent::ValidatorSet(
			validators::pallet::Event::Unbonding {
				who: eve.clone(),
				amount: CANDIDACY_BOND,
				unlocks_at
			}
		)));
		// The bond stays held: not in her free balance, so she cannot move it (other holds of
		// hers, her marketplace deposit here, do not free it as they would under a balance
		// lock), nor withdraw it yet.
		let free = Balances::free_balance(&eve);
		assert_eq!(
			free,
			crate::genesis_config_presets::ENDOWMENT
				- eve_reserved_at_genesis()
				- validators::KeyDeposit::get()
				- CANDIDACY_BOND
		);
		assert!(Balances::transfer_allow_death(
			RuntimeOrigin::signed(eve.clone()),
			Sr25519Keyring::Ferdie.to_account_id().into(),
			free + 1,
		)
		.is_err());
		assert_noop!(
			ValidatorSet::withdraw_unbonded(RuntimeOrigin::signed(eve.clone())),
			validators::pallet::Error::<Runtime>::NothingToWithdraw
		);

		// The report still costs her 36 % of the bond.
		let issuance = Balances::total_issuance();
		assert_ok!(Grandpa::report_equivocation_unsigned(
			RuntimeOrigin::none(),
			Box::new(proof),
			owner_proof
		));
		let burned = Perbill::from_percent(36) * CANDIDACY_BOND;
		assert!(events().contains(&RuntimeEvent::ValidatorSet(
			validators::pallet::Event::BondSlashed {
				validator: eve.clone(),
				amount: burned,
				session: Session::current_index()
			}
		)));
		assert_eq!(Balances::total_issuance(), issuance - burned);
		assert_eq!(ValidatorSet::unbonding(&eve), CANDIDACY_BOND - burned);
		assert_eq!(Balances::free_balance(&eve), free);

		// Held until the session the report window closes.
		while Session::current_index() < unlocks_at - 1 {
			next_session();
		}
		assert_noop!(
			ValidatorSet::withdraw_unbonded(RuntimeOrigin::signed(eve.clone())),
			validators::pallet::Error::<Runtime>::NothingToWithdraw
		);
		next_session();
		assert_ok!(ValidatorSet::withdraw_unbonded(RuntimeOrigin::signed(eve.clone())));
		assert!(events().contains(&RuntimeEvent::ValidatorSet(
			validators::pallet::Event::Withdrawn {
				who: eve.clone(),
				amount: CANDIDACY_BOND - burned
			}
		)));
		assert_eq!(ValidatorSet::unbonding(&eve), 0);
		assert!(validators::pallet::Unbonding::<Runtime>::get(&eve).is_empty());
		assert_eq!(Balances::free_balance(&eve), free + CANDIDACY_BOND - burned);
		assert_ok!(Balances::transfer_keep_alive(
			RuntimeOrigin::signed(eve.clone()),
			Sr25519Keyring::Ferdie.to_account_id().into(),
			CANDIDACY_BOND - burned,
		));
		assert_noop!(
			ValidatorSet::withdraw_unbonded(RuntimeOrigin::signed(eve)),
			validators::pallet::Error::<Runtime>::NothingToWithdraw
		);
	});
}

/// Regression: a node run twice on one validator's keys equivocates in round after round, and
/// each round is an offence of its own; each report used to burn another 36 % of the bond.
#[test]
fn equivocations_in_many_rounds_of_one_session_are_slashed_once() {
	local_network().execute_with(|| {
		let eve = eve_validates();
		let owner_proof = || {
			Historical::prove((KEY_TYPE, GrandpaId::from(Ed25519Keyring::Eve.public()))).unwrap()
		};
		let issuance = Balances::total_issuance();
		for round in 1..=3 {
			assert_ok!(Grandpa::report_equivocation_unsigned(
				RuntimeOrigin::none(),
				Box::new(signed_equivocation(Ed25519Keyring::Eve, Ed25519Keyring::Eve, round)),
				owner_proof()
			));
		}
		let offences = events().iter().filter(|e| matches!(e, RuntimeEvent::Offences(_))).count();
		assert_eq!(offences, 3, "three offences are recorded");
		let slashes: Vec<_> = events()
			.into_iter()
			.filter(|e| {
				matches!(
					e,
					RuntimeEvent::ValidatorSet(validators::pallet::Event::BondSlashed { .. })
				)
			})
			.collect();
		let burned = Perbill::from_percent(36) * CANDIDACY_BOND;
		assert_eq!(slashes.len(), 1, "one slash for the session: {slashes:?}");
		assert_eq!(Balances::total_issuance(), issuance - burned);
		assert_eq!(ValidatorSet::unbonding(&eve), CANDIDACY_BOND - burned);
		assert_eq!(
			validators::pallet::SlashedIn::<Runtime>::get(&eve),
			Some((Session::current_index(), Perbill::from_percent(36)))
		);
	});
}

#[test]
fn unbonding_chunks_are_bounded_and_a_merged_chunk_never_unlocks_early() {
	local_network().execute_with(|| {
		use validators::pallet::{Pallet as Unbond, Unbonding, MAX_UNBONDING_CHUNKS};
		let charlie = Sr25519Keyring::Charlie.to_account_id();
		let zg = crate::units::ZG;
		// Two releases in one session share a chunk.
		Unbond::<Runtime>::start_unbonding(&charlie, zg);
		Unbond::<Runtime>::start_unbonding(&charlie, zg);
		assert_eq!(Unbonding::<Runtime>::get(&charlie).len(), 1);
		// One chunk per session, up to the bound; beyond it, the latest chunk grows and moves
		// to the latest session.
		for _ in 0..MAX_UNBONDING_CHUNKS {
			next_session();
			Unbond::<Runtime>::start_unbonding(&charlie, zg);
		}
		let chunks = Unbonding::<Runtime>::get(&charlie);
		assert_eq!(chunks.len() as u32, MAX_UNBONDING_CHUNKS);
		let last = chunks.last().unwrap();
		assert_eq!(last.unlocks_at, Session::current_index() + validators::HISTORY_SESSIONS);
		assert_eq!(last.amount, 2 * zg);
		assert_eq!(ValidatorSet::unbonding(&charlie), (2 + MAX_UNBONDING_CHUNKS as u128) * zg);
		// Nothing unbonding is nothing to lock; a zero release adds no chunk.
		Unbond::<Runtime>::start_unbonding(&charlie, 0);
		assert_eq!(Unbonding::<Runtime>::get(&charlie).len() as u32, MAX_UNBONDING_CHUNKS);
	});
}

#[test]
fn an_invulnerable_equivocating_is_disabled_but_has_no_bond_to_burn() {
	local_network().execute_with(|| {
		let alice = Sr25519Keyring::Alice.to_account_id();
		let proof = prevote_equivocation(Ed25519Keyring::Alice);
		let owner_proof =
			Historical::prove((KEY_TYPE, GrandpaId::from(Ed25519Keyring::Alice.public()))).unwrap();
		let issuance = Balances::total_issuance();
		assert_ok!(Grandpa::report_equivocation_unsigned(
			RuntimeOrigin::none(),
			Box::new(proof),
			owner_proof
		));
		assert!(events().contains(&RuntimeEvent::ValidatorSet(
			validators::pallet::Event::OffenderWithoutBond {
				validator: alice.clone(),
				session: Session::current_index()
			}
		)));
		assert_eq!(Balances::total_issuance(), issuance);
		let index = Session::validators().iter().position(|v| v == &alice).unwrap() as u32;
		assert!(Session::disabled_validators().contains(&index));
		// Signed and unsigned origins other than none are refused.
		assert_noop!(
			Grandpa::report_equivocation_unsigned(
				RuntimeOrigin::signed(alice),
				Box::new(prevote_equivocation(Ed25519Keyring::Bob)),
				Historical::prove((KEY_TYPE, GrandpaId::from(Ed25519Keyring::Bob.public())))
					.unwrap()
			),
			polkadot_sdk::sp_runtime::DispatchError::BadOrigin
		);
	});
}

#[test]
fn fees_are_burned_and_an_author_takes_half_of_what_was_sent_to_the_pot() {
	local_network().execute_with(|| {
		use polkadot_sdk::{
			frame_support::traits::fungible::Inspect,
			pallet_transaction_payment::{self, OnChargeTransaction},
		};
		// A fee leaves the payer and the total issuance; the pot gets nothing.
		let pot = CollatorSelection::account_id();
		let charlie = Sr25519Keyring::Charlie.to_account_id();
		let issuance = Balances::total_issuance();
		let fee = 10 * crate::units::MILLI_ZG;
		let call =
			crate::RuntimeCall::System(polkadot_sdk::frame_system::Call::remark { remark: vec![] });
		let info = Default::default();
		let withdrawn = <<Runtime as pallet_transaction_payment::Config>::OnChargeTransaction as
			OnChargeTransaction<Runtime>>::withdraw_fee(&charlie, &call, &info, fee, 0)
		.unwrap();
		<<Runtime as pallet_transaction_payment::Config>::OnChargeTransaction as
			OnChargeTransaction<Runtime>>::correct_and_deposit_fee(
			&charlie, &info, &Default::default(), fee, 0, withdrawn,
		)
		.unwrap();
		assert_eq!(Balances::total_issuance(), issuance - fee);
		assert_eq!(Balances::balance(&pot), 0);

		// What someone sends to the pot pays authors: half of it (less the existential
		// deposit) per authored block.
		let budget = 10 * crate::units::ZG;
		assert_ok!(Balances::transfer_allow_death(
			RuntimeOrigin::signed(charlie),
			pot.clone().into(),
			budget
		));
		let bob = Sr25519Keyring::Bob.to_account_id();
		let before = Balances::free_balance(&bob);
		<CollatorSelection as polkadot_sdk::pallet_authorship::EventHandler<_, _>>::note_author(
			bob.clone(),
		);
		let ed = crate::configs::EXISTENTIAL_DEPOSIT;
		let reward = (budget - ed) / 2;
		assert_eq!(Balances::free_balance(&bob), before + reward);
		assert_eq!(Balances::free_balance(&pot), budget - reward);
		assert_eq!(pallet_collator_selection::LastAuthoredBlock::<Runtime>::get(&bob), 1);
	});
}

#[test]
fn session_history_is_pruned_to_the_kept_sessions() {
	local_network().execute_with(|| {
		for _ in 0..(validators::HISTORY_SESSIONS + 5) {
			next_session();
		}
		let (first, last) = pallet_session::historical::StoredRange::<Runtime>::get().unwrap();
		assert!(last - first <= validators::HISTORY_SESSIONS + 1, "kept {first}..{last}");
		assert!(pallet_session::historical::HistoricalSessions::<Runtime>::get(0).is_none());
	});
}
