//! The validator set: who authors blocks (Aura) and votes on finality (GRANDPA), and what it
//! costs to misbehave.
//!
//! - Validators are the invulnerables governance appoints (the genesis validators) plus the
//!   candidates with the highest bonds (`pallet-collator-selection`, despite its name pure
//!   FRAME): anyone with session keys registered (`Session::set_keys`) may
//!   `register_as_candidate`, reserving [`CANDIDACY_BOND`] or more (set at genesis, changed by
//!   root), and the best `DesiredCandidates` of them validate from the session after next.
//!   A candidate that authors nothing for [`KickThreshold`] blocks is dropped; `leave_intent`
//!   leaves. A bond that leaves a candidacy unbonds for [`HISTORY_SESSIONS`] sessions
//!   ([`bond::CandidacyBonds`]), slashable meanwhile.
//! - A session lasts [`pallet::SessionLength`] blocks (10 minutes on public chains, 10 blocks on
//!   development chains). Session keys are the node's Aura, GRANDPA and off-chain worker keys
//!   (`opaque::SessionKeys`); `author_rotateKeysWithOwner` makes them and their proof.
//! - Each block's author receives half of the staking pot (`note_author`). Fees are burned, so
//!   the pot holds only what is sent to it until rewards are designed.
//! - A GRANDPA equivocation (two votes in one round) that any node sees is reported on chain
//!   (the node's GRANDPA voter does it through the runtime API); the report is checked against
//!   the session history (`pallet-session`'s `historical`), recorded by `pallet-offences`, and
//!   [`SlashCandidacyBond`] burns a share of the offender's bond (grandpa's
//!   `min((3k/n)^2, 1)` for k offenders among n validators), ends its candidacy and disables it
//!   for the rest of the session (at most a third of the set).

pub mod bond;
pub mod pallet;
pub mod weights;

use crate::{
	opaque, units::ZG, AccountId, Aura, Balance, Balances, BlockNumber, CollatorSelection,
	Historical, Offences, Runtime, RuntimeEvent, Session,
};
use alloc::vec::Vec;
use core::marker::PhantomData;
use polkadot_sdk::{
	frame_support::{
		parameter_types,
		traits::{ConstU32, ConstU64, Get, Imbalance, OneSessionHandler, ReservableCurrency},
		weights::Weight,
		PalletId,
	},
	frame_system::{self, EnsureRoot},
	pallet_authorship, pallet_collator_selection, pallet_grandpa, pallet_offences, pallet_session,
	sp_runtime::{
		traits::{Convert, OpaqueKeys},
		BoundToRuntimeAppPublic, Perbill, RuntimeAppPublic,
	},
	sp_staking::{
		offence::{OffenceDetails, OffenceSeverity, OnOffenceHandler},
		SessionIndex,
	},
};

/// What a candidate reserves at least, on chains whose genesis does not set it: 10,000 ZG.
pub const CANDIDACY_BOND: Balance = 10_000 * ZG;

/// Most candidates that may bond at once. With [`MAX_INVULNERABLES`], no more than Aura and
/// GRANDPA accept (`configs::MAX_AUTHORITIES`).
pub const MAX_CANDIDATES: u32 = 80;

/// Most validators governance may appoint without a bond.
pub const MAX_INVULNERABLES: u32 = 20;

/// Sessions of history kept for equivocation reports: a report about an older session cannot
/// be checked and is refused. One day of public sessions.
pub const HISTORY_SESSIONS: SessionIndex = 144;

parameter_types! {
	/// The account block authors are paid from (fees are burned; it holds what is sent to it).
	pub const StakingPotId: PalletId = PalletId(*b"zg/stpot");
	/// Setting session keys holds this much, so keys are not free state: returned by
	/// `purge_keys`.
	pub const KeyDeposit: Balance = ZG;
	/// How long an equivocation report stays valid in the pool: the history kept.
	pub const ReportLongevity: u64 =
		HISTORY_SESSIONS as u64 * pallet::DEFAULT_SESSION_LENGTH as u64;
}

/// Blocks per session: [`pallet::SessionLength`].
pub struct SessionLength;

impl Get<BlockNumber> for SessionLength {
	fn get() -> BlockNumber {
		pallet::SessionLength::<Runtime>::get()
	}
}

/// A candidate that authored nothing for three sessions is dropped at the next session change.
/// A new candidate's clock starts three sessions after it registers, time enough to be
/// selected and reach its first slot.
pub struct KickThreshold;

impl Get<BlockNumber> for KickThreshold {
	fn get() -> BlockNumber {
		SessionLength::get().saturating_mul(3)
	}
}

/// The current session's index, for unbonding.
pub struct CurrentSession;

impl Get<SessionIndex> for CurrentSession {
	fn get() -> SessionIndex {
		Session::current_index()
	}
}

impl pallet::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type RuntimeHoldReason = crate::RuntimeHoldReason;
	type CurrentSession = CurrentSession;
	/// As long as equivocation reports about a session are accepted.
	type UnbondingSessions = ConstU32<HISTORY_SESSIONS>;
	type WeightInfo = weights::ValidatorSetWeight<Runtime>;
}

impl pallet_authorship::Config for Runtime {
	/// The account of the session validator whose Aura slot the block is in.
	type FindAuthor = pallet_session::FindAccountFromAuthorIndex<Self, Aura>;
	/// Pays the author from the pot and records that it is alive.
	type EventHandler = (CollatorSelection,);
}

impl pallet_collator_selection::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	/// Balances, with a released bond unbonding for [`HISTORY_SESSIONS`] sessions.
	type Currency = bond::CandidacyBonds;
	/// The invulnerables, the bond and the number of candidates: root (a referendum on the
	/// `root` track), as the validator set is what every other guarantee rests on.
	type UpdateOrigin = EnsureRoot<AccountId>;
	type PotId = StakingPotId;
	type MaxCandidates = ConstU32<MAX_CANDIDATES>;
	/// The last candidate may not leave when nobody else would validate.
	type MinEligibleCollators = ConstU32<1>;
	type MaxInvulnerables = ConstU32<MAX_INVULNERABLES>;
	type KickThreshold = KickThreshold;
	type ValidatorId = AccountId;
	type ValidatorIdOf = pallet_collator_selection::IdentityCollator;
	type ValidatorRegistration = Session;
	type WeightInfo = weights::CollatorSelectionWeight<Runtime>;
}

impl pallet_session::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type ValidatorId = AccountId;
	type ValidatorIdOf = pallet_collator_selection::IdentityCollator;
	type ShouldEndSession = pallet_session::PeriodicSessions<SessionLength, ()>;
	type NextSessionRotation = pallet_session::PeriodicSessions<SessionLength, ()>;
	type SessionManager = pallet_session::historical::NoteHistoricalRoot<Self, SessionValidators>;
	/// Aura and GRANDPA take the new authorities; the worker keys need nothing.
	type SessionHandler = <opaque::SessionKeys as OpaqueKeys>::KeyTypeIdProviders;
	type Keys = opaque::SessionKeys;
	/// An offender is disabled for the rest of the session, up to a third of the set.
	type DisablingStrategy = pallet_session::disabling::UpToLimitDisablingStrategy;
	type WeightInfo = pallet_session::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	type KeyDeposit = KeyDeposit;
}

impl pallet_session::historical::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	/// Validators are identified by their account alone: there is no exposure to record.
	type FullIdentification = ();
	type FullIdentificationOf = AccountOnly;
}

impl pallet_offences::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type IdentificationTuple = pallet_session::historical::IdentificationTuple<Self>;
	type OnOffenceHandler = SlashCandidacyBond;
}

/// A validator's full identification in the session history: nothing beyond its account.
pub struct AccountOnly;

impl Convert<AccountId, Option<()>> for AccountOnly {
	fn convert(_: AccountId) -> Option<()> {
		Some(())
	}
}

/// The validators of each session: `pallet-collator-selection`'s invulnerables and best
/// candidates, reported to the session pallet only when they differ from the current set (so
/// GRANDPA changes its authority set only when the validators do), with the session history
/// pruned to [`HISTORY_SESSIONS`].
pub struct SessionValidators;

impl pallet_session::SessionManager<AccountId> for SessionValidators {
	fn new_session(index: SessionIndex) -> Option<Vec<AccountId>> {
		let next = <CollatorSelection as pallet_session::SessionManager<_>>::new_session(index)?;
		(next != pallet_session::Validators::<Runtime>::get()).then_some(next)
	}

	fn new_session_genesis(index: SessionIndex) -> Option<Vec<AccountId>> {
		<CollatorSelection as pallet_session::SessionManager<_>>::new_session_genesis(index)
	}

	fn start_session(index: SessionIndex) {
		<CollatorSelection as pallet_session::SessionManager<_>>::start_session(index)
	}

	fn end_session(index: SessionIndex) {
		<CollatorSelection as pallet_session::SessionManager<_>>::end_session(index)
	}
}

impl pallet_session::historical::SessionManager<AccountId, ()> for SessionValidators {
	fn new_session(index: SessionIndex) -> Option<Vec<(AccountId, ())>> {
		Historical::prune_up_to(index.saturating_sub(HISTORY_SESSIONS));
		<Self as pallet_session::SessionManager<_>>::new_session(index)
			.map(|validators| validators.into_iter().map(|v| (v, ())).collect())
	}

	fn new_session_genesis(index: SessionIndex) -> Option<Vec<(AccountId, ())>> {
		<Self as pallet_session::SessionManager<_>>::new_session_genesis(index)
			.map(|validators| validators.into_iter().map(|v| (v, ())).collect())
	}

	fn start_session(index: SessionIndex) {
		<Self as pallet_session::SessionManager<_>>::start_session(index)
	}

	fn end_session(index: SessionIndex) {
		<Self as pallet_session::SessionManager<_>>::end_session(index)
	}
}

/// The session handler of an off-chain worker's key (`zgst`, `zgda`, `zgcp`): the key rides in
/// the session keys so that `author_rotateKeys` makes it, but a session change means nothing to
/// its worker, which finds its key in the keystore.
pub struct WorkerKey<Key>(PhantomData<Key>);

impl<Key: RuntimeAppPublic> BoundToRuntimeAppPublic for WorkerKey<Key> {
	type Public = Key;
}

impl<Key: RuntimeAppPublic + codec::Decode> OneSessionHandler<AccountId> for WorkerKey<Key> {
	type Key = Key;

	fn on_genesis_session<'a, I>(_validators: I)
	where
		I: Iterator<Item = (&'a AccountId, Key)> + 'a,
	{
	}

	fn on_new_session<'a, I>(_changed: bool, _validators: I, _queued: I)
	where
		I: Iterator<Item = (&'a AccountId, Key)> + 'a,
	{
	}

	fn on_disabled(_validator_index: u32) {}
}

/// What an offence costs a validator: `pallet-offences` reports each offender with the
/// offence's slash fraction; the offender is disabled for the rest of the session, and if it is
/// a bonded candidate, that fraction of its bond is burned, the rest unbonds and its candidacy
/// ends (so the next session's set leaves it out). The same fraction of anything it has
/// unbonding is burned too. Each offender is slashed once per session, at the largest fraction
/// of that session's offences (a twin node equivocates in many rounds). Invulnerables have no bond: they are only disabled, and governance
/// decides whether they stay.
pub struct SlashCandidacyBond;

impl OnOffenceHandler<AccountId, pallet_session::historical::IdentificationTuple<Runtime>, Weight>
	for SlashCandidacyBond
{
	fn on_offence(
		offenders: &[OffenceDetails<
			AccountId,
			pallet_session::historical::IdentificationTuple<Runtime>,
		>],
		slash_fraction: &[Perbill],
		session: SessionIndex,
	) -> Weight {
		let db = <Runtime as frame_system::Config>::DbWeight::get();
		let mut weight = Weight::zero();
		for (details, fraction) in offenders.iter().zip(slash_fraction) {
			let validator = &details.offender.0;
			// Session's validators and disabled list, the candidate list.
			weight.saturating_accrue(db.reads_writes(3, 2));
			Session::report_offence(validator.clone(), OffenceSeverity(*fraction));
			let candidate =
				pallet_collator_selection::CandidateList::<Runtime>::mutate(|candidates| {
					let index = candidates.iter().position(|c| &c.who == validator)?;
					Some(candidates.remove(index))
				});
			// One slash per offender and session (the largest fraction): its record.
			weight.saturating_accrue(db.reads_writes(1, 1));
			let fraction =
				pallet::Pallet::<Runtime>::unapplied_fraction(validator, session, *fraction);
			// What it still has unbonding (a bond it left or lowered since) answers too: the
			// unbonding entry, the holds, the account.
			weight.saturating_accrue(db.reads_writes(3, 3));
			let mut amount = pallet::Pallet::<Runtime>::slash_unbonding(validator, fraction);
			if let Some(candidate) = candidate {
				// The account (twice), the last-authored entry, the event.
				weight.saturating_accrue(db.reads_writes(2, 3));
				let due = fraction * candidate.deposit;
				let (burned, _) =
					<Balances as ReservableCurrency<AccountId>>::slash_reserved(validator, due);
				let slashed = burned.peek();
				drop(burned);
				amount = amount.saturating_add(slashed);
				// The rest unbonds like any bond that leaves a candidacy, so a report about
				// another session can still reach it.
				<bond::CandidacyBonds as ReservableCurrency<AccountId>>::unreserve(
					validator,
					candidate.deposit.saturating_sub(slashed),
				);
				pallet_collator_selection::LastAuthoredBlock::<Runtime>::remove(validator);
			} else if amount == 0 {
				// Nothing new to burn for this session's offences is not worth an event.
				if !fraction.is_zero() {
					pallet::Pallet::<Runtime>::deposit_event(pallet::Event::OffenderWithoutBond {
						validator: validator.clone(),
						session,
					});
				}
				continue;
			}
			pallet::Pallet::<Runtime>::deposit_event(pallet::Event::BondSlashed {
				validator: validator.clone(),
				amount,
				session,
			});
		}
		weight
	}
}

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = ConstU32<{ crate::configs::MAX_AUTHORITIES }>;
	/// No nominated staking on this chain, so no nominators per validator.
	type MaxNominators = ConstU32<0>;
	/// GRANDPA sets are mapped to sessions for as long as session history is kept.
	type MaxSetIdSessionEntries = ConstU64<{ HISTORY_SESSIONS as u64 }>;
	type KeyOwnerProof = polkadot_sdk::sp_session::MembershipProof;
	type EquivocationReportSystem =
		pallet_grandpa::EquivocationReportSystem<Self, Offences, Historical, ReportLongevity>;
}
