//! # Compute escrow pallet
//!
//! The on-chain half of ZeroG's compute marketplace: providers offer inference and job services
//! backed by a stake, users pay for them from funds that stay on their own accounts (on hold)
//! until a provider is paid.
//!
//! ## Overview
//!
//! - **Services** ([`Call::register_service`], [`Call::update_service`],
//!   [`Call::remove_service`]): a provider describes a service (kind, model, endpoint, price per
//!   input and output token, verifiability) and holds a stake of at least
//!   [`Config::MinServiceStake`] for it.
//! - **Ledger** ([`Call::deposit`], [`Call::withdraw`], [`Call::fund_provider`],
//!   [`Call::request_refund`], [`Call::claim_refund`]): a user holds funds for the marketplace,
//!   moves some into a sub-account for one provider, and gets them back through a refund that
//!   unlocks after [`Config::RefundLockPeriod`].
//! - **Inference** ([`Call::settle_receipts`]): a provider submits a batch of receipts signed by
//!   its users (or by the service's enclave); each valid receipt pays its fee from the user's
//!   sub-account, and each receipt gets its own [`ReceiptOutcome`].
//! - **Enclaves** ([`Call::approve_enclave`], [`Call::revoke_enclave`],
//!   [`Call::acknowledge_signer`], [`Call::remove_acknowledgement`]): [`Config::EnclaveOrigin`]
//!   approves enclave signing keys after checking their attestation off chain; a `Tee` service
//!   can only name an approved key, and its receipts pay from a user's funds only once that user
//!   acknowledged the key for that service (a deposit backs each acknowledgement).
//! - **Jobs** ([`Call::set_job_terms`], [`Call::create_job`], [`Call::submit_result`],
//!   [`Call::accept_result`], [`Call::dispute`], [`Call::resolve_dispute`],
//!   [`Call::decline_job`]): a provider states the smallest fee and the largest dataset it
//!   takes; a user escrows a maximum fee for a job on a dataset stored in ZeroG storage,
//!   assigned to the service's provider; the provider answers with a stored result before the
//!   deadline; the user accepts, disputes (with a bond), or stays silent until the review
//!   window ends. Deadlines, review windows and lapsing disputes are enforced in
//!   `on_initialize`.
//! - **Off-chain worker** ([`offchain`]): for every `zgcp` key ([`KEY_TYPE`]) in the node
//!   keystore whose account provides a job service, dispatches the jobs waiting for a result
//!   ([`Pallet::pending_jobs_of`]) to the local executor over HTTP, polls them, and signs
//!   [`Call::submit_result`] when the executor reports success, with `fee_used` capped at the
//!   job's `max_fee`. Each job is dispatched and submitted once (records in persistent off-chain
//!   storage).
//!
//! ## Terminology
//!
//! - *Available funds*: ledger funds not tied to a provider; only these can be withdrawn.
//! - *Sub-account*: ledger funds a user set aside for one provider, which only that provider
//!   can be paid from. It also records the last settled receipt nonce of the pair.
//! - *Pending refund*: funds taken out of a sub-account that return to the available funds once
//!   unlocked. While locked they still back the provider's receipts, so a user cannot dodge
//!   receipts it signed by asking for a refund just before the provider settles.
//! - *Escrow*: the `max_fee` of a job, held on the user until the job finishes.
//!
//! ## Design decisions
//!
//! - **Holds, no pallet account.** Ledger funds, job escrows and stakes are holds on the owner's
//!   account ([`HoldReason`]); payments move held funds straight to the provider's free balance.
//!   For every user `available + Σ sub-accounts + Σ pending refunds` equals the `Ledger` hold, the
//!   sum of the user's job `max_fee`s equals the `JobEscrow` hold, and for every provider the sum
//!   of its service stakes equals the `ServiceStake` hold (checked by `try_state`).
//! - **Fee rule.** A receipt's fee must be *at most* the service's current price for its tokens
//!   (`input_tokens × input_price + output_tokens × output_price`): discounts and free requests
//!   are allowed, overcharging is not, even with a valid signature. This matters most for TEE
//!   services, whose receipts the user never signs. A provider that lowers its prices must settle
//!   older receipts first.
//! - **Who signs a receipt.** The user, or for a [`Verifiability::Tee`] service the enclave key
//!   named in the service, if governance approves that key and the user acknowledged it for that
//!   service. A provider can declare any key, so declaring is not enough: without the user's
//!   acknowledgement on chain a provider-held "enclave" key could drain every sub-account. A
//!   service's verifiability never changes; another key is another service.
//! - **Signed bytes.** A receipt signature covers `"zerog/compute/receipt/v1" ‖ genesis hash ‖
//!   SCALE(receipt)` ([`InferenceReceipt::signing_payload`]), so it is good for receipts of this
//!   chain only and can never be mistaken for a signature of anything else.
//! - **Nonces** strictly increase per (user, provider), starting at 1. Receipts of one user may be
//!   settled in any batch but in nonce order; a skipped nonce is simply never settled.
//! - **Payment source.** A fee is paid from the sub-account first, then from that provider's
//!   refunds that are still locked, most recent first.
//! - **Missed deadlines.** The user gets the whole escrow back and [`Config::SlashFraction`] of
//!   the service's stake is slashed and handed to [`Config::SlashDestination`] (`()` burns it).
//!   Paying the slash to the job's user would let anyone profit from opening many jobs against a
//!   provider that is briefly offline, so ZeroG burns it (or sends it to a treasury).
//! - **Declining.** A provider may decline an assigned job before its deadline (full refund, no
//!   slash), so it cannot be forced to work for a fee it never agreed to or be slashed for
//!   refusing.
//! - **Review window.** A result submitted at block `b` can be accepted or disputed until block
//!   `b + ReviewPeriod`, where `on_initialize` accepts it on the user's behalf.
//! - **Jobs a provider agreed to.** A job must name a dataset that is a live file in ZeroG
//!   storage until its deadline, escrow at least the service's `min_fee` and stay within its
//!   `max_dataset_size`; a result must be a live file until its review ends. A job on missing
//!   data is refused on chain, and one whose data cannot be fetched is declined by the
//!   off-chain worker: a provider is slashed only for a job it could have run.
//! - **Disputes** hold [`Config::DisputeBond`] from the user. `DisputeOrigin` splits the fee
//!   and gives the bond to the provider only if it finds entirely for it; a dispute nobody
//!   resolves within [`Config::DisputePeriod`] lapses and the result stands (bond returned),
//!   so a dispute never pins a provider's pay or its service.
//! - **Bounds.** Every queue is a `BoundedVec`: jobs per deadline block and results per review
//!   block ([`Config::MaxJobsPerBlock`], so `on_initialize` does bounded work), assigned jobs per
//!   provider ([`Config::MaxPendingJobsPerProvider`], what an off-chain worker iterates through
//!   [`Pallet::jobs_for_provider`]), services per provider, pending refunds per user and receipts
//!   per batch.
//! - **Provider keys.** A provider's job results are signed by the off-chain worker with the
//!   keystore key whose `AccountId32` is the provider's account (sr25519, [`KEY_TYPE`] `zgcp`,
//!   see [`crypto`]): register the service from the same key you insert into the keystore. The
//!   worker only relays the executor's answer; the chain checks the provider, the deadline and
//!   the fee again.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
pub mod crypto;
mod disputes;
mod enclaves;
#[cfg(any(feature = "try-runtime", test))]
mod invariants;
mod jobs;
mod ledger;
#[cfg(test)]
mod mock;
pub mod offchain;
mod receipts;
mod services;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

pub use crypto::KEY_TYPE;
pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

use polkadot_sdk::{
	frame_support::{self, traits::fungible},
	frame_system::{self, offchain::CreateSignedTransaction},
	sp_core::H256,
	sp_runtime::{
		traits::{IdentifyAccount, Verify, Zero},
		Perbill,
	},
};

/// Log target of this pallet.
pub const LOG_TARGET: &str = "runtime::compute-escrow";

/// How many consecutive blocks a review or a dispute may spill into when the block it should
/// end in already holds `MaxJobsPerBlock` of them: a burst waits a few blocks longer instead of
/// failing, and the search stays bounded.
pub const QUEUE_SPILL_BLOCKS: u32 = 8;

/// Balance type of the pallet's currency.
pub type BalanceOf<T> =
	<<T as Config>::Currency as fungible::Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// Slashed funds on their way to [`Config::SlashDestination`].
pub type CreditOf<T> =
	fungible::Credit<<T as frame_system::Config>::AccountId, <T as Config>::Currency>;

/// Creates accounts that can sign receipts inside a benchmark.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId, Signature> {
	/// A fresh account whose key is in the benchmark's keystore.
	fn create_signer() -> AccountId;
	/// `message` signed by `signer`, an account made by [`Self::create_signer`].
	fn sign(signer: &AccountId, message: &[u8]) -> Signature;
}

/// [`BenchmarkHelper`] for runtimes with `AccountId32` and `MultiSignature`: sr25519 keys in the
/// keystore under [`KEY_TYPE`].
#[cfg(feature = "runtime-benchmarks")]
pub struct Sr25519BenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl
	BenchmarkHelper<polkadot_sdk::sp_runtime::AccountId32, polkadot_sdk::sp_runtime::MultiSignature>
	for Sr25519BenchmarkHelper
{
	fn create_signer() -> polkadot_sdk::sp_runtime::AccountId32 {
		polkadot_sdk::sp_io::crypto::sr25519_generate(KEY_TYPE, None).into()
	}

	fn sign(
		signer: &polkadot_sdk::sp_runtime::AccountId32,
		message: &[u8],
	) -> polkadot_sdk::sp_runtime::MultiSignature {
		let public = polkadot_sdk::sp_core::sr25519::Public::from_raw(signer.clone().into());
		polkadot_sdk::sp_io::crypto::sr25519_sign(KEY_TYPE, &public, message)
			.expect("create_signer put the key in the keystore; qed")
			.into()
	}
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{pallet_prelude::*, traits::OnUnbalanced};
	use frame_system::pallet_prelude::*;

	#[pallet::config]
	pub trait Config:
		CreateSignedTransaction<Call<Self>>
		+ polkadot_sdk::frame_system::Config<RuntimeEvent: From<Event<Self>>>
	{
		/// The native token. Ledgers, job escrows and stakes are holds on it.
		type Currency: fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ fungible::BalancedHold<Self::AccountId>
			+ fungible::Mutate<Self::AccountId>;

		/// The overarching hold reason, which includes this pallet's [`HoldReason`].
		type RuntimeHoldReason: From<HoldReason>;

		/// Signature of an inference receipt, checked against the user's account (or the
		/// enclave key of a TEE service). `MultiSignature` in ZeroG.
		///
		/// Not to be confused with `SigningTypes::Signature` (the off-chain worker's transaction
		/// signature); write `<T as Config>::Signature` where both are in scope.
		type Signature: Verify<Signer: IdentifyAccount<AccountId = Self::AccountId>> + Parameter;

		/// The `zgcp` key the off-chain worker signs `submit_result` with; see [`crypto`].
		type AuthorityId: frame_system::offchain::AppCrypto<
			<Self as frame_system::offchain::SigningTypes>::Public,
			<Self as frame_system::offchain::SigningTypes>::Signature,
		>;

		/// Origin that decides how a disputed job's fee is split.
		type DisputeOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Held from a user for each dispute it opens, so disputing a result is not free: it
		/// delays the provider's pay and asks for `DisputeOrigin`'s time. Goes to the provider
		/// when `DisputeOrigin` finds entirely for it, back to the user otherwise.
		#[pallet::constant]
		type DisputeBond: Get<BalanceOf<Self>>;

		/// Blocks `DisputeOrigin` has to resolve a dispute. After them the dispute lapses: the
		/// result stands and the bond is returned, so a dispute never locks a provider's pay and
		/// its service's removal for good.
		#[pallet::constant]
		type DisputePeriod: Get<BlockNumberFor<Self>>;

		/// ZeroG storage, where a job's dataset must be a live file when the job is created and
		/// its result when it is submitted (`()` has no files: every job is refused).
		type StoredFiles: zerog_primitives::storage::StoredFiles<BlockNumberFor<Self>>;

		/// Origin that approves and revokes enclave signing keys, after checking their
		/// attestation (a DCAP quote binding the key to an allowed measurement) off chain.
		type EnclaveOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Held on a user's account for each acknowledged enclave key, so a user pays for the
		/// state it creates; returned by `remove_acknowledgement`.
		#[pallet::constant]
		type AcknowledgementDeposit: Get<BalanceOf<Self>>;

		/// Receives stake slashed for missed deadlines. `()` burns it.
		type SlashDestination: OnUnbalanced<CreditOf<Self>>;

		/// Smallest stake a service may have, in the smallest unit.
		///
		/// Must be above zero, or a missed deadline costs the provider nothing.
		#[pallet::constant]
		type MinServiceStake: Get<BalanceOf<Self>>;

		/// Share of a service's stake slashed each time one of its jobs misses its deadline.
		#[pallet::constant]
		type SlashFraction: Get<Perbill>;

		/// Longest model name, in bytes.
		#[pallet::constant]
		type MaxModelLen: Get<u32>;

		/// Longest endpoint URL, in bytes.
		#[pallet::constant]
		type MaxEndpointLen: Get<u32>;

		/// Most services one provider may register.
		#[pallet::constant]
		type MaxServicesPerProvider: Get<u32>;

		/// Most receipts in one `settle_receipts` call.
		#[pallet::constant]
		type MaxReceiptsPerBatch: Get<u32>;

		/// Most refunds one user may have pending at once.
		#[pallet::constant]
		type MaxPendingRefunds: Get<u32>;

		/// Blocks between `request_refund` and the block the refund can be claimed; the
		/// provider's window to settle receipts against the refunded funds.
		#[pallet::constant]
		type RefundLockPeriod: Get<BlockNumberFor<Self>>;

		/// Fewest blocks between a job's creation and its deadline, so the provider's off-chain
		/// worker has time to answer (or decline) before it can be slashed.
		#[pallet::constant]
		type MinJobDuration: Get<BlockNumberFor<Self>>;

		/// Most blocks between a job's creation and its deadline, so a job cannot pin a
		/// provider's stake indefinitely.
		#[pallet::constant]
		type MaxJobDuration: Get<BlockNumberFor<Self>>;

		/// Blocks a user has to accept or dispute a result before it is accepted for them.
		#[pallet::constant]
		type ReviewPeriod: Get<BlockNumberFor<Self>>;

		/// Most jobs whose deadline falls in one block, and most results whose review ends in
		/// one block: the work `on_initialize` does per block.
		#[pallet::constant]
		type MaxJobsPerBlock: Get<u32>;

		/// Most jobs assigned to one provider and still waiting for a result.
		#[pallet::constant]
		type MaxPendingJobsPerProvider: Get<u32>;

		/// Told when a job's result is paid for (the marketplace then lets the user have the
		/// key of an encrypted result); `()` tells no one.
		type OnResultPaid: OnResultPaid;

		/// Weight information for the calls and hooks of this pallet.
		type WeightInfo: WeightInfo;

		/// Makes signing accounts for the `settle_receipts` benchmark.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId, <Self as Config>::Signature>;
	}

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A user's ledger: available funds, provider sub-accounts and pending refunds.
		#[codec(index = 0)]
		Ledger,
		/// The `max_fee` of a user's unfinished jobs.
		#[codec(index = 1)]
		JobEscrow,
		/// The stake backing a provider's services.
		#[codec(index = 2)]
		ServiceStake,
		/// The deposits of a user's acknowledged enclave keys.
		#[codec(index = 3)]
		Acknowledgement,
		/// The bonds of a user's open disputes.
		#[codec(index = 4)]
		DisputeBond,
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A provider registered a service and its stake was put on hold.
		ServiceRegistered {
			service: ServiceId,
			provider: T::AccountId,
			kind: ServiceKind,
			stake: BalanceOf<T>,
		},
		/// A provider changed a service's description, prices or stake.
		ServiceUpdated { service: ServiceId, provider: T::AccountId, stake: BalanceOf<T> },
		/// A provider removed a service and its stake was released.
		ServiceRemoved { service: ServiceId, provider: T::AccountId, stake_released: BalanceOf<T> },
		/// A user put funds on hold as available ledger funds.
		Deposited { user: T::AccountId, amount: BalanceOf<T> },
		/// A user released available ledger funds back to its free balance.
		Withdrawn { user: T::AccountId, amount: BalanceOf<T> },
		/// A user moved available funds into its sub-account for a provider.
		ProviderFunded { user: T::AccountId, provider: T::AccountId, amount: BalanceOf<T> },
		/// A user asked for funds back from a provider sub-account.
		RefundRequested {
			user: T::AccountId,
			provider: T::AccountId,
			amount: BalanceOf<T>,
			unlocks_at: BlockNumberFor<T>,
		},
		/// Unlocked refunds returned to a user's available funds.
		RefundClaimed { user: T::AccountId, amount: BalanceOf<T> },
		/// A provider settled a batch of receipts; `outcomes[i]` is the outcome of receipt `i`.
		ReceiptsSettled {
			provider: T::AccountId,
			service: ServiceId,
			settled: u32,
			paid: BalanceOf<T>,
			outcomes: BoundedVec<ReceiptOutcome, T::MaxReceiptsPerBatch>,
		},
		/// A user created a job and its `max_fee` was put in escrow.
		JobCreated {
			job: JobId,
			service: ServiceId,
			user: T::AccountId,
			provider: T::AccountId,
			max_fee: BalanceOf<T>,
			deadline: BlockNumberFor<T>,
		},
		/// A provider submitted a job's result; the user may review it until `review_ends`.
		ResultSubmitted {
			job: JobId,
			provider: T::AccountId,
			result_root: H256,
			output_hash: H256,
			fee_used: BalanceOf<T>,
			review_ends: BlockNumberFor<T>,
		},
		/// A provider declined an assigned job; the escrow went back to the user.
		JobDeclined { job: JobId, provider: T::AccountId, refunded: BalanceOf<T> },
		/// The user accepted a result: the provider was paid and the rest of the escrow released.
		ResultAccepted { job: JobId, fee_paid: BalanceOf<T>, refunded: BalanceOf<T> },
		/// The review window ended without an answer from the user, so the result was accepted.
		ResultAutoAccepted { job: JobId, fee_paid: BalanceOf<T>, refunded: BalanceOf<T> },
		/// The user disputed a result and `bond` was put on hold; the escrow is frozen until
		/// `DisputeOrigin` resolves the dispute or it lapses at `lapses_at`.
		JobDisputed {
			job: JobId,
			user: T::AccountId,
			bond: BalanceOf<T>,
			lapses_at: BlockNumberFor<T>,
		},
		/// `DisputeOrigin` split a disputed job's fee between provider and user; the provider
		/// received `bond_forfeited` of the user's bond (all of it when its share is 100 %,
		/// else nothing) and the rest was released.
		DisputeResolved {
			job: JobId,
			provider_share: Perbill,
			fee_paid: BalanceOf<T>,
			refunded: BalanceOf<T>,
			bond_forfeited: BalanceOf<T>,
		},
		/// `DisputeOrigin` did not resolve a dispute within `DisputePeriod`: the result stood,
		/// the provider was paid `fee_used` and the user's bond was released.
		DisputeLapsed {
			job: JobId,
			fee_paid: BalanceOf<T>,
			refunded: BalanceOf<T>,
			bond_released: BalanceOf<T>,
		},
		/// A provider set the terms a job of its service must meet.
		JobTermsSet { service: ServiceId, min_fee: BalanceOf<T>, max_dataset_size: Option<u64> },
		/// A job missed its deadline: the user got the escrow back and the service's stake was
		/// slashed.
		JobExpired {
			job: JobId,
			provider: T::AccountId,
			refunded: BalanceOf<T>,
			slashed: BalanceOf<T>,
		},
		/// `EnclaveOrigin` approved an enclave signing key, having checked `evidence_hash`.
		EnclaveApproved { signer: T::AccountId, evidence_hash: H256 },
		/// `EnclaveOrigin` withdrew its approval of an enclave signing key.
		EnclaveRevoked { signer: T::AccountId },
		/// A user let a service's enclave key sign the receipts it pays; `deposit` is held.
		SignerAcknowledged {
			user: T::AccountId,
			service: ServiceId,
			signer: T::AccountId,
			deposit: BalanceOf<T>,
		},
		/// A user withdrew its acknowledgement of a service's enclave key; `released` is free.
		AcknowledgementRemoved { user: T::AccountId, service: ServiceId, released: BalanceOf<T> },
	}

	/// Errors are only ever appended: their index is part of the metadata clients decode.
	#[pallet::error]
	pub enum Error<T> {
		/// The stake is below `MinServiceStake`. Offer at least that much.
		StakeBelowMinimum,
		/// The free balance cannot cover the amount to put on hold (stake, deposit or job
		/// escrow) while keeping the existential deposit.
		InsufficientFreeBalance,
		/// The model name is empty.
		EmptyModel,
		/// The endpoint is empty.
		EmptyEndpoint,
		/// The provider already has `MaxServicesPerProvider` services. Remove one first.
		TooManyServices,
		/// No service has this id (it was never registered or was removed).
		ServiceNotFound,
		/// Only the service's provider may do this.
		NotServiceProvider,
		/// The service still has unfinished jobs. Wait until they are accepted, resolved,
		/// declined or expired.
		ServiceHasOpenJobs,
		/// The amount (or `max_fee`) is zero.
		ZeroAmount,
		/// The ledger's available funds are below the amount. Claim unlocked refunds or deposit.
		InsufficientAvailableFunds,
		/// The account has no registered service, so it cannot be funded.
		ProviderNotRegistered,
		/// The sub-account for this provider holds less than the amount. Fund it with
		/// `fund_provider` (after a `deposit`).
		InsufficientSubAccountFunds,
		/// The user already has `MaxPendingRefunds` refunds pending. Claim unlocked ones first.
		TooManyPendingRefunds,
		/// None of the user's pending refunds is unlocked yet.
		NoRefundUnlocked,
		/// The batch holds no receipts.
		EmptyBatch,
		/// Receipts can only be settled for an inference service.
		NotInferenceService,
		/// Jobs can only be created for a job service.
		NotJobService,
		/// The service's stake was slashed below `MinServiceStake`; it takes no new jobs until
		/// the provider tops it up with `update_service`.
		ServiceUnderstaked,
		/// The deadline is less than `MinJobDuration` blocks away.
		DeadlineTooSoon,
		/// The deadline is more than `MaxJobDuration` blocks away.
		DeadlineTooFar,
		/// `MaxJobsPerBlock` jobs already have this deadline. Pick another block.
		DeadlineQueueFull,
		/// The provider already has `MaxPendingJobsPerProvider` jobs waiting for results.
		TooManyPendingJobs,
		/// No job has this id: it never existed or already finished (accepted, resolved,
		/// declined or expired).
		JobNotFound,
		/// Only the provider the job is assigned to may do this.
		NotJobProvider,
		/// Only the user who created the job may do this.
		NotJobUser,
		/// The job already has a result.
		ResultAlreadySubmitted,
		/// The job's deadline has passed.
		DeadlinePassed,
		/// `fee_used` is above the job's `max_fee`.
		FeeAboveMaxFee,
		/// `MaxJobsPerBlock` reviews already end in the same block. Submit in the next block.
		ReviewQueueFull,
		/// The job has no result to review yet.
		ResultNotSubmitted,
		/// The job's result is already disputed and waits for `DisputeOrigin`.
		AlreadyDisputed,
		/// The review window of the result has ended.
		ReviewWindowClosed,
		/// Only a disputed job can be resolved.
		JobNotDisputed,
		/// An id or counter reached its maximum value.
		CounterOverflow,
		/// A live service's verifiability (who signs its receipts) cannot change: its users
		/// funded it trusting that signer. Register a new service instead.
		VerifiabilityFixed,
		/// The enclave key is not approved by `EnclaveOrigin` (never, or no longer).
		EnclaveNotApproved,
		/// The service's receipts are signed by its users only; there is no enclave key to
		/// acknowledge.
		NotTeeService,
		/// The key is not the enclave key of this service.
		SignerMismatch,
		/// The user already acknowledged this service's enclave key.
		AlreadyAcknowledged,
		/// The user has not acknowledged an enclave key for this service.
		NotAcknowledged,
		/// `max_fee` is below the service's `min_fee` (see `set_job_terms`).
		FeeBelowMinimum,
		/// The dataset is larger than the service's `max_dataset_size` (see `set_job_terms`).
		DatasetTooLarge,
		/// No live file in ZeroG storage has the dataset's root. Store the dataset first.
		DatasetNotStored,
		/// The dataset's storage expires before the job's deadline. Renew it or pick an earlier
		/// deadline.
		DatasetExpiresBeforeDeadline,
		/// The result root is not a live file in ZeroG storage that lasts until the end of the
		/// review window, so the user could not fetch what it pays for.
		ResultNotStored,
		/// Every block a dispute could lapse in is full (`MaxJobsPerBlock`). Dispute in the
		/// next block.
		DisputeQueueFull,
	}

	/// The services, by id.
	// Twox64Concat: ids are sequential and assigned by the pallet, not chosen by callers.
	#[pallet::storage]
	pub type Services<T: Config> = StorageMap<_, Twox64Concat, ServiceId, ServiceInfo<T>>;

	/// Id the next registered service gets.
	#[pallet::storage]
	pub type NextServiceId<T: Config> = StorageValue<_, ServiceId, ValueQuery>;

	/// The services of each provider; a provider with an entry here can be funded.
	// Blake2_128Concat: account ids are chosen by callers.
	#[pallet::storage]
	pub type ProviderServices<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<ServiceId, T::MaxServicesPerProvider>,
		ValueQuery,
	>;

	/// Each user's available funds and pending refunds.
	// Blake2_128Concat: account ids are chosen by callers.
	#[pallet::storage]
	pub type Ledgers<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, Ledger<T>>;

	/// Sub-accounts by (user, provider): the balance only that provider can be paid from, and the
	/// last settled receipt nonce. An entry with a non-zero nonce is never removed, so receipts
	/// cannot be replayed.
	// Blake2_128Concat: account ids are chosen by callers.
	#[pallet::storage]
	pub type SubAccounts<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Blake2_128Concat,
		T::AccountId,
		SubAccount<BalanceOf<T>>,
		ValueQuery,
	>;

	/// Unfinished jobs, by id. A job is removed when it finishes; its events remain.
	// Twox64Concat: ids are sequential and assigned by the pallet, not chosen by callers.
	#[pallet::storage]
	pub type Jobs<T: Config> = StorageMap<_, Twox64Concat, JobId, JobInfo<T>>;

	/// Id the next created job gets.
	#[pallet::storage]
	pub type NextJobId<T: Config> = StorageValue<_, JobId, ValueQuery>;

	/// Jobs assigned to each provider and still waiting for a result, oldest first: the duty list
	/// the provider's off-chain worker reads (see [`Pallet::jobs_for_provider`]).
	// Blake2_128Concat: account ids are chosen by callers.
	#[pallet::storage]
	pub type ProviderJobs<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<JobId, T::MaxPendingJobsPerProvider>,
		ValueQuery,
	>;

	/// Assigned jobs by deadline block; `on_initialize` of that block expires what is left.
	// Twox64Concat: block numbers are not a useful attack on the trie.
	#[pallet::storage]
	pub type JobDeadlines<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		BoundedVec<JobId, T::MaxJobsPerBlock>,
		ValueQuery,
	>;

	/// Jobs in review by the block their review ends; `on_initialize` of that block accepts what
	/// is left.
	// Twox64Concat: block numbers are not a useful attack on the trie.
	#[pallet::storage]
	pub type ReviewQueue<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		BoundedVec<JobId, T::MaxJobsPerBlock>,
		ValueQuery,
	>;

	/// Open disputes, by job: the user's bond and the block the dispute lapses at.
	// Twox64Concat: ids are sequential and assigned by the pallet.
	#[pallet::storage]
	pub type Disputes<T: Config> = StorageMap<_, Twox64Concat, JobId, DisputeInfoOf<T>>;

	/// Disputed jobs by the block their dispute lapses; `on_initialize` of that block lets the
	/// result stand for what is left.
	// Twox64Concat: block numbers are not a useful attack on the trie.
	#[pallet::storage]
	pub type DisputeQueue<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		BoundedVec<JobId, T::MaxJobsPerBlock>,
		ValueQuery,
	>;

	/// What each job service's provider agreed to run (`set_job_terms`); a service without an
	/// entry takes any job with a non-zero `max_fee` and a stored dataset.
	// Twox64Concat: ids are sequential and assigned by the pallet.
	#[pallet::storage]
	pub type ServiceJobTerms<T: Config> =
		StorageMap<_, Twox64Concat, ServiceId, JobTerms<BalanceOf<T>>>;

	/// Enclave signing keys `EnclaveOrigin` approved, with the evidence it checked. A `Tee`
	/// service may only name a key listed here, and its receipts settle only while it is.
	// Blake2_128Concat: keys are chosen by the caller of a governance call, still not trusted
	// to be spread evenly.
	#[pallet::storage]
	pub type ApprovedEnclaves<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, EnclaveApproval<BlockNumberFor<T>>>;

	/// Enclave keys each user accepted, by (user, service): only receipts signed by the user or
	/// by the key recorded here pay from the user's funds for that service.
	// Blake2_128Concat: account ids are chosen by callers; Twox64Concat: service ids are
	// sequential and assigned by the pallet.
	#[pallet::storage]
	pub type AcknowledgedSigners<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Twox64Concat,
		ServiceId,
		AcknowledgementOf<T>,
	>;

	/// Services and user funds at genesis, so a development or local chain sells inference and
	/// jobs from its first block: services are registered as by `register_service` (ids from 0,
	/// in this order), then ledgers are funded as by `deposit` and `fund_provider`.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Services, each with its stake put on hold.
		pub services: alloc::vec::Vec<GenesisService<T::AccountId, BalanceOf<T>>>,
		/// Users' deposits and funded sub-accounts.
		pub ledgers: alloc::vec::Vec<GenesisLedger<T::AccountId, BalanceOf<T>>>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			for service in &self.services {
				let bytes = |text: &alloc::string::String| text.as_bytes().to_vec();
				let info = ServiceInfo::<T> {
					provider: service.provider.clone(),
					kind: service.kind,
					model: BoundedVec::try_from(bytes(&service.model))
						.expect("a genesis service's model fits MaxModelLen"),
					endpoint: BoundedVec::try_from(bytes(&service.endpoint))
						.expect("a genesis service's endpoint fits MaxEndpointLen"),
					input_price_per_token: service.input_price_per_token,
					output_price_per_token: service.output_price_per_token,
					verifiability: Verifiability::None,
					stake: service.stake,
					open_jobs: 0,
				};
				Pallet::<T>::add_service(info)
					.expect("a genesis service registers: enough balance, valid terms");
			}
			for ledger in &self.ledgers {
				Pallet::<T>::add_to_ledger(&ledger.user, ledger.deposit)
					.expect("a genesis deposit is held: enough balance, not zero");
				for (provider, amount) in &ledger.sub_accounts {
					Pallet::<T>::move_to_sub_account(&ledger.user, provider, *amount)
						.expect("a genesis sub-account is funded: a provider, within the deposit");
				}
			}
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Expires the jobs whose deadline is `now`, accepts the results whose review ends at
		/// `now` and lets the disputes that lapse at `now` stand; each queue is bounded by
		/// `MaxJobsPerBlock`.
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			Self::process_due_jobs(now)
		}

		/// Dispatches the jobs of the keystore's providers to the local executor and submits
		/// their results; see [`offchain`].
		fn offchain_worker(now: BlockNumberFor<T>) {
			Self::run_job_worker(now);
		}

		fn integrity_test() {
			assert!(
				!T::MinServiceStake::get().is_zero(),
				"MinServiceStake must be above zero, or a missed deadline costs nothing"
			);
			assert!(
				!T::AcknowledgementDeposit::get().is_zero(),
				"AcknowledgementDeposit must be above zero, or acknowledgements are free state"
			);
			assert!(T::MaxModelLen::get() > 0, "MaxModelLen must allow a model name");
			assert!(T::MaxEndpointLen::get() > 0, "MaxEndpointLen must allow an endpoint");
			assert!(T::MaxServicesPerProvider::get() > 0, "a provider must be able to register");
			assert!(T::MaxReceiptsPerBatch::get() > 0, "a batch must hold a receipt");
			assert!(T::MaxPendingRefunds::get() > 0, "a user must be able to request a refund");
			assert!(T::MaxJobsPerBlock::get() > 0, "a block must take a job deadline");
			assert!(T::MaxPendingJobsPerProvider::get() > 0, "a provider must take a job");
			assert!(
				!T::MinJobDuration::get().is_zero(),
				"a job created at block b must not expire in block b"
			);
			assert!(
				T::MinJobDuration::get() <= T::MaxJobDuration::get(),
				"MinJobDuration must not exceed MaxJobDuration"
			);
			assert!(!T::ReviewPeriod::get().is_zero(), "users need a block to review results");
			assert!(
				!T::DisputePeriod::get().is_zero(),
				"DisputeOrigin needs a block to resolve a dispute"
			);
			assert!(
				!T::DisputeBond::get().is_zero(),
				"DisputeBond must be above zero, or disputing every result is free"
			);
			assert!(
				!T::RefundLockPeriod::get().is_zero(),
				"a refund must stay locked long enough for the provider to settle receipts"
			);
			// The largest batch must fit in a block, or providers could never settle one.
			let max_batch = T::WeightInfo::settle_receipts(T::MaxReceiptsPerBatch::get());
			let max_block = T::BlockWeights::get().max_block;
			assert!(
				max_batch.all_lte(max_block),
				"settle_receipts(MaxReceiptsPerBatch) must fit in a block"
			);
			// on_initialize must leave most of the block to transactions: it runs before them
			// and cannot be skipped.
			let full = T::MaxJobsPerBlock::get();
			let max_hook = T::WeightInfo::on_initialize(full, full, full);
			assert!(
				max_hook.all_lte(Perbill::from_percent(25) * max_block),
				"on_initialize with full queues must stay below a quarter of the block"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(
			_now: BlockNumberFor<T>,
		) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Register a service and put its stake on hold.
		///
		/// - Origin: signed, the provider.
		/// - `stake`: at least `MinServiceStake`, held under [`HoldReason::ServiceStake`].
		///
		/// Errors: `StakeBelowMinimum`, `EmptyModel`, `EmptyEndpoint`, `TooManyServices`,
		/// `InsufficientFreeBalance`. Event: `ServiceRegistered`.
		#[pallet::call_index(0)]
		pub fn register_service(
			origin: OriginFor<T>,
			kind: ServiceKind,
			model: BoundedVec<u8, T::MaxModelLen>,
			endpoint: BoundedVec<u8, T::MaxEndpointLen>,
			input_price_per_token: BalanceOf<T>,
			output_price_per_token: BalanceOf<T>,
			verifiability: Verifiability<T::AccountId>,
			stake: BalanceOf<T>,
		) -> DispatchResult {
			let provider = ensure_signed(origin)?;
			let service = ServiceInfo {
				provider,
				kind,
				model,
				endpoint,
				input_price_per_token,
				output_price_per_token,
				verifiability,
				stake,
				open_jobs: 0,
			};
			let id = Self::add_service(service.clone())?; // services.rs
			Self::deposit_event(Event::ServiceRegistered {
				service: id,
				provider: service.provider,
				kind,
				stake,
			});
			Ok(())
		}

		/// Change a service's description, prices and stake; its kind and verifiability stay.
		///
		/// - Origin: signed, the service's provider.
		/// - `stake`: the new stake, at least `MinServiceStake`; the difference is held or
		///   released. This is how a slashed service gets back above the minimum.
		///
		/// New prices apply to every receipt settled afterwards. `verifiability` must be the
		/// service's own: users funded it trusting that signer (or themselves), so another
		/// enclave key means a new service.
		///
		/// Errors: `ServiceNotFound`, `NotServiceProvider`, `StakeBelowMinimum`, `EmptyModel`,
		/// `EmptyEndpoint`, `InsufficientFreeBalance`, `VerifiabilityFixed`. Event: `ServiceUpdated`.
		#[pallet::call_index(1)]
		pub fn update_service(
			origin: OriginFor<T>,
			service: ServiceId,
			model: BoundedVec<u8, T::MaxModelLen>,
			endpoint: BoundedVec<u8, T::MaxEndpointLen>,
			input_price_per_token: BalanceOf<T>,
			output_price_per_token: BalanceOf<T>,
			verifiability: Verifiability<T::AccountId>,
			stake: BalanceOf<T>,
		) -> DispatchResult {
			let provider = ensure_signed(origin)?;
			Self::change_service(
				&provider,
				service,
				model,
				endpoint,
				input_price_per_token,
				output_price_per_token,
				verifiability,
				stake,
			)?; // services.rs
			Self::deposit_event(Event::ServiceUpdated { service, provider, stake });
			Ok(())
		}

		/// Remove a service and release its stake.
		///
		/// - Origin: signed, the service's provider.
		///
		/// Users' sub-accounts for the provider stay; users get their funds back through
		/// `request_refund`.
		///
		/// Errors: `ServiceNotFound`, `NotServiceProvider`, `ServiceHasOpenJobs`.
		/// Event: `ServiceRemoved`.
		#[pallet::call_index(2)]
		pub fn remove_service(origin: OriginFor<T>, service: ServiceId) -> DispatchResult {
			let provider = ensure_signed(origin)?;
			let stake_released = Self::drop_service(&provider, service)?; // services.rs
			Self::deposit_event(Event::ServiceRemoved { service, provider, stake_released });
			Ok(())
		}

		/// Put `amount` of the caller's free balance on hold as available ledger funds.
		///
		/// - Origin: signed, the user.
		///
		/// Errors: `ZeroAmount`, `InsufficientFreeBalance`. Event: `Deposited`.
		#[pallet::call_index(3)]
		pub fn deposit(origin: OriginFor<T>, amount: BalanceOf<T>) -> DispatchResult {
			let user = ensure_signed(origin)?;
			Self::add_to_ledger(&user, amount)?; // ledger.rs
			Self::deposit_event(Event::Deposited { user, amount });
			Ok(())
		}

		/// Release `amount` of available ledger funds to the caller's free balance.
		///
		/// - Origin: signed, the user.
		///
		/// Funds in sub-accounts or pending refunds cannot be withdrawn directly.
		///
		/// Errors: `ZeroAmount`, `InsufficientAvailableFunds`. Event: `Withdrawn`.
		#[pallet::call_index(4)]
		pub fn withdraw(origin: OriginFor<T>, amount: BalanceOf<T>) -> DispatchResult {
			let user = ensure_signed(origin)?;
			Self::take_from_ledger(&user, amount)?; // ledger.rs
			Self::deposit_event(Event::Withdrawn { user, amount });
			Ok(())
		}

		/// Move `amount` of available funds into the caller's sub-account for `provider`.
		///
		/// - Origin: signed, the user.
		/// - `provider`: an account with at least one registered service.
		///
		/// Errors: `ZeroAmount`, `ProviderNotRegistered`, `InsufficientAvailableFunds`.
		/// Event: `ProviderFunded`.
		#[pallet::call_index(5)]
		pub fn fund_provider(
			origin: OriginFor<T>,
			provider: T::AccountId,
			amount: BalanceOf<T>,
		) -> DispatchResult {
			let user = ensure_signed(origin)?;
			Self::move_to_sub_account(&user, &provider, amount)?; // ledger.rs
			Self::deposit_event(Event::ProviderFunded { user, provider, amount });
			Ok(())
		}

		/// Move `amount` out of the caller's sub-account for `provider` into a pending refund
		/// that unlocks `RefundLockPeriod` blocks from now.
		///
		/// - Origin: signed, the user.
		///
		/// Until it unlocks, the provider can still settle receipts against the refund.
		///
		/// Errors: `ZeroAmount`, `InsufficientSubAccountFunds`, `TooManyPendingRefunds`.
		/// Event: `RefundRequested`.
		#[pallet::call_index(6)]
		pub fn request_refund(
			origin: OriginFor<T>,
			provider: T::AccountId,
			amount: BalanceOf<T>,
		) -> DispatchResult {
			let user = ensure_signed(origin)?;
			let unlocks_at = Self::start_refund(&user, &provider, amount)?; // ledger.rs
			Self::deposit_event(Event::RefundRequested { user, provider, amount, unlocks_at });
			Ok(())
		}

		/// Return every unlocked pending refund of the caller to its available funds.
		///
		/// - Origin: signed, the user.
		///
		/// Errors: `NoRefundUnlocked`. Event: `RefundClaimed`.
		#[pallet::call_index(7)]
		pub fn claim_refund(origin: OriginFor<T>) -> DispatchResult {
			let user = ensure_signed(origin)?;
			let amount = Self::finish_unlocked_refunds(&user)?; // ledger.rs
			Self::deposit_event(Event::RefundClaimed { user, amount });
			Ok(())
		}

		/// Settle a batch of signed inference receipts of one service.
		///
		/// - Origin: signed, the service's provider.
		/// - `receipts`: up to `MaxReceiptsPerBatch` receipts, in nonce order per user.
		///
		/// Each receipt is checked on its own (service, provider, nonce, signature, fee rule,
		/// funds) and, when valid, pays its fee from the user's sub-account to the caller's free
		/// balance. A bad receipt changes nothing and does not stop the others; its
		/// [`ReceiptOutcome`] says why it failed.
		///
		/// Errors (whole batch): `EmptyBatch`, `ServiceNotFound`, `NotServiceProvider`,
		/// `NotInferenceService`. Event: `ReceiptsSettled`.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::settle_receipts(receipts.len() as u32))]
		pub fn settle_receipts(
			origin: OriginFor<T>,
			service: ServiceId,
			receipts: BoundedVec<SignedReceiptOf<T>, T::MaxReceiptsPerBatch>,
		) -> DispatchResult {
			let provider = ensure_signed(origin)?;
			ensure!(!receipts.is_empty(), Error::<T>::EmptyBatch);
			let (outcomes, paid) = Self::settle_batch(&provider, service, &receipts)?; // receipts.rs
			let settled =
				outcomes.iter().filter(|outcome| **outcome == ReceiptOutcome::Settled).count();
			Self::deposit_event(Event::ReceiptsSettled {
				provider,
				service,
				settled: settled as u32,
				paid,
				outcomes,
			});
			Ok(())
		}

		/// Create a job for a job service and put `max_fee` in escrow.
		///
		/// - Origin: signed, the user.
		/// - `deadline`: first block at which the job is late, between `MinJobDuration` and
		///   `MaxJobDuration` blocks from now.
		///
		/// The job is assigned to the service's provider and listed in
		/// [`Pallet::jobs_for_provider`] until it has a result.
		///
		/// The dataset must be a live file in ZeroG storage (`dataset_root`) that stays stored
		/// until the deadline, and the job must meet the service's terms (`set_job_terms`):
		/// `max_fee` at least its `min_fee`, the dataset at most its `max_dataset_size`.
		///
		/// Errors: `ServiceNotFound`, `NotJobService`, `ServiceUnderstaked`, `ZeroAmount`,
		/// `FeeBelowMinimum`, `DeadlineTooSoon`, `DeadlineTooFar`, `DatasetNotStored`,
		/// `DatasetExpiresBeforeDeadline`, `DatasetTooLarge`, `DeadlineQueueFull`,
		/// `TooManyPendingJobs`, `InsufficientFreeBalance`. Event: `JobCreated`.
		#[pallet::call_index(9)]
		pub fn create_job(
			origin: OriginFor<T>,
			service: ServiceId,
			dataset_root: H256,
			params_hash: H256,
			max_fee: BalanceOf<T>,
			deadline: BlockNumberFor<T>,
		) -> DispatchResult {
			let user = ensure_signed(origin)?;
			let (job, provider) =
				Self::open_job(&user, service, dataset_root, params_hash, max_fee, deadline)?; // jobs.rs
			Self::deposit_event(Event::JobCreated {
				job,
				service,
				user,
				provider,
				max_fee,
				deadline,
			});
			Ok(())
		}

		/// Hand in a job's result and the fee charged for it.
		///
		/// - Origin: signed, the provider the job is assigned to.
		/// - `fee_used`: at most the job's `max_fee`.
		///
		/// - `result_root`: a live file in ZeroG storage that stays stored until the review
		///   window ends, so the user can fetch what it pays for.
		///
		/// Starts the user's review window of `ReviewPeriod` blocks; if `MaxJobsPerBlock`
		/// reviews already end in that block, the window ends in the first of the next
		/// [`QUEUE_SPILL_BLOCKS`] blocks with room.
		///
		/// Errors: `JobNotFound`, `NotJobProvider`, `ResultAlreadySubmitted`, `DeadlinePassed`,
		/// `FeeAboveMaxFee`, `ResultNotStored`, `ReviewQueueFull`. Event: `ResultSubmitted`.
		#[pallet::call_index(10)]
		pub fn submit_result(
			origin: OriginFor<T>,
			job: JobId,
			result_root: H256,
			output_hash: H256,
			fee_used: BalanceOf<T>,
		) -> DispatchResult {
			let provider = ensure_signed(origin)?;
			let result = JobResult { result_root, output_hash, fee_used };
			let review_ends = Self::record_result(&provider, job, result)?; // jobs.rs
			Self::deposit_event(Event::ResultSubmitted {
				job,
				provider,
				result_root,
				output_hash,
				fee_used,
				review_ends,
			});
			Ok(())
		}

		/// Accept a job's result: pay `fee_used` to the provider and release the rest.
		///
		/// - Origin: signed, the job's user.
		///
		/// Errors: `JobNotFound`, `NotJobUser`, `ResultNotSubmitted`, `AlreadyDisputed`.
		/// Event: `ResultAccepted`.
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::accept_result().saturating_add(T::OnResultPaid::weight()))]
		pub fn accept_result(origin: OriginFor<T>, job: JobId) -> DispatchResult {
			let user = ensure_signed(origin)?;
			let (fee_paid, refunded) = Self::accept_job_result(&user, job)?; // jobs.rs
			Self::deposit_event(Event::ResultAccepted { job, fee_paid, refunded });
			Ok(())
		}

		/// Dispute a job's result within its review window, freezing the escrow until
		/// `DisputeOrigin` resolves it or the dispute lapses `DisputePeriod` blocks later (the
		/// result then stands).
		///
		/// - Origin: signed, the job's user, who puts `DisputeBond` on hold
		///   ([`HoldReason::DisputeBond`]).
		///
		/// Errors: `JobNotFound`, `NotJobUser`, `ResultNotSubmitted`, `AlreadyDisputed`,
		/// `ReviewWindowClosed`, `DisputeQueueFull`, `InsufficientFreeBalance`.
		/// Event: `JobDisputed`.
		#[pallet::call_index(12)]
		pub fn dispute(origin: OriginFor<T>, job: JobId) -> DispatchResult {
			let user = ensure_signed(origin)?;
			let dispute = Self::open_dispute(&user, job)?; // jobs.rs
			Self::deposit_event(Event::JobDisputed {
				job,
				user,
				bond: dispute.bond,
				lapses_at: dispute.lapses_at,
			});
			Ok(())
		}

		/// Settle a disputed job: the provider gets `provider_share` of `fee_used`, the user the
		/// rest of the escrow. The user's bond goes to the provider if `provider_share` is
		/// 100 % (the dispute had no merit), back to the user otherwise.
		///
		/// - Origin: `DisputeOrigin`.
		///
		/// Errors: `JobNotFound`, `JobNotDisputed`. Event: `DisputeResolved`.
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::resolve_dispute().saturating_add(T::OnResultPaid::weight()))]
		pub fn resolve_dispute(
			origin: OriginFor<T>,
			job: JobId,
			provider_share: Perbill,
		) -> DispatchResult {
			T::DisputeOrigin::ensure_origin(origin)?;
			let (fee_paid, refunded, bond_forfeited) = Self::close_dispute(job, provider_share)?; // jobs.rs
			Self::deposit_event(Event::DisputeResolved {
				job,
				provider_share,
				fee_paid,
				refunded,
				bond_forfeited,
			});
			Ok(())
		}

		/// Decline an assigned job before its deadline: the whole escrow goes back to the user
		/// and the provider is not slashed.
		///
		/// - Origin: signed, the provider the job is assigned to.
		///
		/// Errors: `JobNotFound`, `NotJobProvider`, `ResultAlreadySubmitted`, `DeadlinePassed`.
		/// Event: `JobDeclined`.
		#[pallet::call_index(14)]
		pub fn decline_job(origin: OriginFor<T>, job: JobId) -> DispatchResult {
			let provider = ensure_signed(origin)?;
			let refunded = Self::withdraw_job(&provider, job)?; // jobs.rs
			Self::deposit_event(Event::JobDeclined { job, provider, refunded });
			Ok(())
		}

		/// Approve `signer` as an enclave signing key, or record new evidence for it.
		///
		/// - Origin: `EnclaveOrigin`, after checking off chain that `evidence_hash` is the hash
		///   of a valid attestation quote whose report data binds `signer` and whose measurement
		///   is one it allows.
		///
		/// Event: `EnclaveApproved`.
		#[pallet::call_index(15)]
		pub fn approve_enclave(
			origin: OriginFor<T>,
			signer: T::AccountId,
			evidence_hash: H256,
		) -> DispatchResult {
			T::EnclaveOrigin::ensure_origin(origin)?;
			Self::record_enclave_approval(&signer, evidence_hash); // enclaves.rs
			Self::deposit_event(Event::EnclaveApproved { signer, evidence_hash });
			Ok(())
		}

		/// Withdraw the approval of an enclave signing key: its receipts settle nothing from now
		/// on, and no new service may name it. Users' acknowledgements stay until they remove
		/// them.
		///
		/// - Origin: `EnclaveOrigin`.
		///
		/// Errors: `EnclaveNotApproved`. Event: `EnclaveRevoked`.
		#[pallet::call_index(16)]
		pub fn revoke_enclave(origin: OriginFor<T>, signer: T::AccountId) -> DispatchResult {
			T::EnclaveOrigin::ensure_origin(origin)?;
			Self::withdraw_enclave_approval(&signer)?; // enclaves.rs
			Self::deposit_event(Event::EnclaveRevoked { signer });
			Ok(())
		}

		/// Let the enclave key of a `Tee` service sign the receipts that pay from the caller's
		/// funds for that service, holding `AcknowledgementDeposit`.
		///
		/// - Origin: signed, the user.
		/// - `signer`: the service's enclave key, as the user checked it.
		///
		/// Errors: `ServiceNotFound`, `NotTeeService`, `SignerMismatch`, `EnclaveNotApproved`,
		/// `AlreadyAcknowledged`, `InsufficientFreeBalance`. Event: `SignerAcknowledged`.
		#[pallet::call_index(17)]
		pub fn acknowledge_signer(
			origin: OriginFor<T>,
			service: ServiceId,
			signer: T::AccountId,
		) -> DispatchResult {
			let user = ensure_signed(origin)?;
			let deposit = Self::add_acknowledgement(&user, service, signer.clone())?; // enclaves.rs
			Self::deposit_event(Event::SignerAcknowledged { user, service, signer, deposit });
			Ok(())
		}

		/// Withdraw the caller's acknowledgement of a service's enclave key (the service may be
		/// gone) and release its deposit. Receipts signed by the key settle nothing afterwards;
		/// the user's own signature still counts.
		///
		/// - Origin: signed, the user.
		///
		/// Errors: `NotAcknowledged`. Event: `AcknowledgementRemoved`.
		#[pallet::call_index(18)]
		pub fn remove_acknowledgement(origin: OriginFor<T>, service: ServiceId) -> DispatchResult {
			let user = ensure_signed(origin)?;
			let released = Self::drop_acknowledgement(&user, service)?; // enclaves.rs
			Self::deposit_event(Event::AcknowledgementRemoved { user, service, released });
			Ok(())
		}

		/// Set the terms a new job of a job service must meet. Jobs already created keep the
		/// terms they were created under.
		///
		/// - Origin: signed, the service's provider.
		/// - `min_fee`: the smallest `max_fee` a job may escrow (0: any non-zero fee).
		/// - `max_dataset_size`: the largest dataset, in bytes, a job may name (`None`: any).
		///
		/// Errors: `ServiceNotFound`, `NotServiceProvider`, `NotJobService`.
		/// Event: `JobTermsSet`.
		#[pallet::call_index(19)]
		pub fn set_job_terms(
			origin: OriginFor<T>,
			service: ServiceId,
			min_fee: BalanceOf<T>,
			max_dataset_size: Option<u64>,
		) -> DispatchResult {
			let provider = ensure_signed(origin)?;
			let terms = JobTerms { min_fee, max_dataset_size };
			Self::store_job_terms(&provider, service, terms)?; // jobs.rs
			Self::deposit_event(Event::JobTermsSet { service, min_fee, max_dataset_size });
			Ok(())
		}
	}
}
