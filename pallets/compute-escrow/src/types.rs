//! Types kept in storage, passed to calls and reported in events.
//!
//! Everything stored has a `MaxEncodedLen`: variable-length fields are `BoundedVec`s capped by a
//! `Config` item. The receipt types are what a client signs and a provider submits, so their
//! SCALE layout is part of the protocol: fields are only ever appended.

use crate::{BalanceOf, Config};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::{
	frame_support::{
		BoundedVec, CloneNoBound, DebugNoBound, DefaultNoBound, EqNoBound, PartialEqNoBound,
	},
	frame_system::{self, pallet_prelude::BlockNumberFor},
	sp_core::H256,
};
use scale_info::TypeInfo;

/// The receipt types (what a client signs and a provider submits) and the identifier of a
/// service (assigned in registration order from 0) are shared with the executor and the
/// clients, so they live in `zerog_primitives::compute`; their metadata path is still this
/// module's.
pub use zerog_primitives::compute::{InferenceReceipt, ReceiptOutcome, ServiceId, SignedReceipt};

/// Identifier of a job, assigned in creation order from 0.
pub type JobId = u64;

/// What a service sells. In genesis presets (JSON) it is written `"Inference"` or `"Job"`.
#[derive(
	Clone,
	Copy,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	PartialEq,
	Eq,
	Debug,
	serde::Serialize,
	serde::Deserialize,
)]
pub enum ServiceKind {
	/// Request/response inference, paid per token through batches of signed receipts.
	Inference,
	/// Long-running jobs (fine-tuning, batch GPU work), each paid from its own escrow.
	Job,
}

/// Who vouches for the receipts of an inference service.
///
/// A user's funds move only for a receipt the user signed or, for a `Tee` service, one signed
/// by the enclave key that `EnclaveOrigin` approved and that this user acknowledged for this
/// service (`acknowledge_signer`).
#[derive(
	Clone, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, PartialEq, Eq, Debug,
)]
pub enum Verifiability<AccountId> {
	/// Receipts must be signed by the user who was served.
	None,
	/// Receipts may also be signed by the provider's trusted execution environment: `signer` is
	/// the account form of the enclave's attested signing key, which must be in
	/// `ApprovedEnclaves` when the service is registered and when a receipt is settled.
	Tee {
		/// The account form of the enclave's signing key.
		signer: AccountId,
	},
}

/// A service offered by a provider, with the stake that backs it.
#[derive(
	CloneNoBound, Encode, Decode, MaxEncodedLen, TypeInfo, PartialEqNoBound, EqNoBound, DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct ServiceInfo<T: Config> {
	/// The account that runs the service, is paid by it and whose stake backs it.
	pub provider: T::AccountId,
	/// Inference or job; fixed at registration.
	pub kind: ServiceKind,
	/// Name of the model served, UTF-8 by convention (not checked on chain).
	pub model: BoundedVec<u8, T::MaxModelLen>,
	/// Where clients reach the service, a URL by convention (not checked on chain).
	pub endpoint: BoundedVec<u8, T::MaxEndpointLen>,
	/// Price of one input token, in the smallest unit of the native token.
	pub input_price_per_token: BalanceOf<T>,
	/// Price of one output token, in the smallest unit of the native token.
	pub output_price_per_token: BalanceOf<T>,
	/// Who signs the receipts of this service.
	pub verifiability: Verifiability<T::AccountId>,
	/// Stake held on the provider for this service; missed job deadlines slash it.
	pub stake: BalanceOf<T>,
	/// Jobs of this service that are not finished (assigned, in review or disputed). The service
	/// can only be removed when this is zero.
	pub open_jobs: u32,
}

/// Funds a user moved out of a provider sub-account and that are waiting for their lock to end.
#[derive(
	Clone, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, PartialEq, Eq, Debug,
)]
pub struct PendingRefund<AccountId, Balance, BlockNumber> {
	/// The provider whose sub-account the funds came from.
	pub provider: AccountId,
	/// The amount, in the smallest unit.
	pub amount: Balance,
	/// First block at which `claim_refund` returns the funds to the available balance. Until
	/// then the provider may still settle receipts against them.
	pub unlocks_at: BlockNumber,
}

/// A pending refund of the pallet's configuration.
pub type PendingRefundOf<T> =
	PendingRefund<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;

/// The part of a user's ledger that is not tied to a provider.
///
/// Every unit counted here or in one of the user's sub-accounts is on hold on the user's account
/// under `HoldReason::Ledger`: `available + Σ sub-accounts + Σ pending refunds` equals that hold.
#[derive(
	CloneNoBound,
	Encode,
	Decode,
	MaxEncodedLen,
	TypeInfo,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	DefaultNoBound,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct Ledger<T: Config> {
	/// Funds the user may withdraw or move to a provider sub-account.
	pub available: BalanceOf<T>,
	/// Refunds requested from sub-accounts, oldest first.
	pub pending_refunds: BoundedVec<PendingRefundOf<T>, T::MaxPendingRefunds>,
}

impl<T: Config> Ledger<T> {
	/// Whether the ledger holds nothing, so its storage entry can be removed.
	pub fn is_empty(&self) -> bool {
		self.available == Default::default() && self.pending_refunds.is_empty()
	}
}

/// What a user set aside for one provider, and how far the provider has settled.
#[derive(Clone, Encode, Decode, MaxEncodedLen, TypeInfo, PartialEq, Eq, Debug, Default)]
pub struct SubAccount<Balance> {
	/// Funds only this provider can be paid from, in the smallest unit.
	pub balance: Balance,
	/// Nonce of the last receipt settled for this (user, provider) pair; 0 before the first.
	/// Kept after the balance reaches zero so old receipts can never be replayed.
	pub last_nonce: u64,
}

/// A signed receipt of the pallet's configuration.
pub type SignedReceiptOf<T> =
	SignedReceipt<<T as frame_system::Config>::AccountId, BalanceOf<T>, <T as Config>::Signature>;

/// Why `EnclaveOrigin` trusts an enclave signing key: the attestation it checked.
#[derive(
	Clone, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, PartialEq, Eq, Debug,
)]
pub struct EnclaveApproval<BlockNumber> {
	/// Hash (blake2-256) of the attestation evidence governance verified off chain: an Intel
	/// TDX/SGX DCAP quote whose report data binds the key, and whose measurement is one
	/// governance allows. Anyone can fetch the quote from the provider and check it again.
	pub evidence_hash: H256,
	/// The block the approval was recorded in.
	pub approved_at: BlockNumber,
}

/// A user's consent that a service's enclave key signs the receipts paid from its funds.
#[derive(
	Clone, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, PartialEq, Eq, Debug,
)]
pub struct Acknowledgement<AccountId, Balance> {
	/// The enclave key the user checked and accepted.
	pub signer: AccountId,
	/// Held on the user's account for this entry, returned when it is removed.
	pub deposit: Balance,
}

/// An acknowledgement of the pallet's configuration.
pub type AcknowledgementOf<T> =
	Acknowledgement<<T as frame_system::Config>::AccountId, BalanceOf<T>>;

/// What the provider handed back for a job.
#[derive(
	Clone, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, PartialEq, Eq, Debug,
)]
pub struct JobResult<Balance> {
	/// Root of the result files in ZeroG storage.
	pub result_root: H256,
	/// Hash of the job's output, so the user can check what it downloads.
	pub output_hash: H256,
	/// What the provider charges, at most the job's `max_fee`.
	pub fee_used: Balance,
}

/// Where a job is in its life. Finished jobs are removed from storage.
#[derive(
	Clone, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, PartialEq, Eq, Debug,
)]
pub enum JobStatus<Balance, BlockNumber> {
	/// Waiting for the provider's result, which must land before the deadline.
	Assigned,
	/// The result is in; the user may accept or dispute it before `review_ends`, at which block
	/// it is accepted on the user's behalf.
	InReview {
		/// The provider's result.
		result: JobResult<Balance>,
		/// First block at which the result counts as accepted.
		review_ends: BlockNumber,
	},
	/// The user disputed the result; the escrow is frozen until `DisputeOrigin` resolves it.
	Disputed {
		/// The disputed result.
		result: JobResult<Balance>,
	},
}

/// What a provider agreed to run for one job service; a job that breaks it is refused.
#[derive(
	Clone,
	Copy,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	PartialEq,
	Eq,
	Debug,
	Default,
)]
pub struct JobTerms<Balance> {
	/// Smallest `max_fee` a job may escrow, in the smallest unit.
	pub min_fee: Balance,
	/// Largest dataset a job may name, in bytes; `None` takes any size.
	pub max_dataset_size: Option<u64>,
}

/// A dispute waiting for `DisputeOrigin`.
#[derive(
	Clone, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, PartialEq, Eq, Debug,
)]
pub struct DisputeInfo<Balance, BlockNumber> {
	/// Held on the user's account under `HoldReason::DisputeBond`: returned unless
	/// `DisputeOrigin` finds entirely for the provider, which then receives it.
	pub bond: Balance,
	/// First block at which the dispute lapses: the result stands, the provider is paid
	/// `fee_used` and the bond goes back to the user.
	pub lapses_at: BlockNumber,
}

/// A dispute of the pallet's configuration.
pub type DisputeInfoOf<T> = DisputeInfo<BalanceOf<T>, BlockNumberFor<T>>;

/// A job: what the user asked for, its escrow and where it stands.
#[derive(
	CloneNoBound, Encode, Decode, MaxEncodedLen, TypeInfo, PartialEqNoBound, EqNoBound, DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct JobInfo<T: Config> {
	/// The service that runs the job.
	pub service: ServiceId,
	/// The user who pays for the job.
	pub user: T::AccountId,
	/// The provider of the service, to whom the job is assigned.
	pub provider: T::AccountId,
	/// Root of the input dataset in ZeroG storage.
	pub dataset_root: H256,
	/// Hash of the job's parameters (hyper-parameters, script), agreed off chain.
	pub params_hash: H256,
	/// The most the user pays; held on the user's account under `HoldReason::JobEscrow`.
	pub max_fee: BalanceOf<T>,
	/// First block at which the job is too late: a result must be included before it.
	pub deadline: BlockNumberFor<T>,
	/// Where the job stands.
	pub status: JobStatus<BalanceOf<T>, BlockNumberFor<T>>,
}

/// A service registered at genesis (see `GenesisConfig::services`), with the user-signed
/// receipts of `Verifiability::None`.
#[derive(Clone, PartialEq, Eq, Debug, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GenesisService<AccountId, Balance> {
	/// The provider: the account of its `zgcp` key, which holds the stake.
	pub provider: AccountId,
	/// Inference or job.
	pub kind: ServiceKind,
	/// Name of the model served.
	pub model: alloc::string::String,
	/// Where clients reach it.
	pub endpoint: alloc::string::String,
	/// Price of one input token.
	pub input_price_per_token: Balance,
	/// Price of one output token.
	pub output_price_per_token: Balance,
	/// Stake put on hold, at least `MinServiceStake`.
	pub stake: Balance,
}

/// A user's marketplace funds at genesis (see `GenesisConfig::ledgers`): `deposit` is held as
/// available funds, then each `(provider, amount)` of it moves to that provider's sub-account.
#[derive(Clone, PartialEq, Eq, Debug, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GenesisLedger<AccountId, Balance> {
	/// The user.
	pub user: AccountId,
	/// Held from the user's free balance into the ledger.
	pub deposit: Balance,
	/// Sub-accounts funded from the deposit, by provider.
	pub sub_accounts: alloc::vec::Vec<(AccountId, Balance)>,
}

/// What is told when a job's result is paid for: accepted by its user, accepted when its review
/// ended, or its dispute lapsed or was resolved with a share for the provider. The runtime lets
/// the marketplace hand the user the key of an encrypted result then, and not before.
pub trait OnResultPaid {
	/// Job `job`'s result, the stored file `result_root`, was paid for.
	fn on_result_paid(job: JobId, result_root: H256);

	/// The most weight [`Self::on_result_paid`] uses.
	fn weight() -> polkadot_sdk::frame_support::weights::Weight;
}

impl OnResultPaid for () {
	fn on_result_paid(_job: JobId, _result_root: H256) {}

	fn weight() -> polkadot_sdk::frame_support::weights::Weight {
		polkadot_sdk::frame_support::weights::Weight::zero()
	}
}
