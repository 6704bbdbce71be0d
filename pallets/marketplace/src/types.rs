//! The marketplace's on-chain data: assets, their access policies, grants and sealed keys.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::{
	frame_support::{
		traits::Get, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
	},
	sp_core::H256,
};
use scale_info::TypeInfo;

/// Identifier of an asset.
pub type AssetId = u64;

/// An x25519 public key, to which content keys are sealed (ECIES).
pub type EncryptionKey = [u8; 32];

/// Identifier of a job of the compute marketplace (`pallet-compute-escrow`'s `JobId`).
pub type JobId = u64;

/// What an asset is.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum AssetKind {
	/// Model weights (a base model, or one fine-tuned from it).
	Model,
	/// Training or evaluation data.
	Dataset,
}

/// Who may use an asset.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum AccessPolicy {
	/// Anyone: no grant is needed, and the file is meant to be stored unencrypted.
	Public,
	/// Whoever the owner approves, after a request ([`crate::Call::request_access`]).
	Gated,
	/// Whoever pays the asset's price ([`crate::Call::buy_access`]), for its access period.
	Paid,
}

/// What a grant allows.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum AccessScope {
	/// Download the file and decrypt it with the delivered key.
	Download,
	/// Use the data only inside a compute job: the key is sealed to the job service's signer,
	/// never to the grantee (compute-to-data).
	Compute,
}

/// A registered asset.
#[derive(
	CloneNoBound,
	DebugNoBound,
	PartialEqNoBound,
	EqNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
#[scale_info(skip_type_params(MaxName, MaxVersion, MaxLicense))]
// The `*NoBound` derives repeat the parameters' bounds on their impls.
#[allow(clippy::multiple_bound_locations)]
pub struct AssetInfo<
	AccountId: Clone + core::fmt::Debug + PartialEq + Eq,
	Balance: Clone + core::fmt::Debug + PartialEq + Eq,
	BlockNumber: Clone + core::fmt::Debug + PartialEq + Eq,
	MaxName: Get<u32>,
	MaxVersion: Get<u32>,
	MaxLicense: Get<u32>,
> {
	/// Who registered it, sets its terms and grants access.
	pub owner: AccountId,
	/// Model or dataset.
	pub kind: AssetKind,
	/// Its name, UTF-8.
	pub name: BoundedVec<u8, MaxName>,
	/// Its version, UTF-8 (e.g. `1.0.0`).
	pub version: BoundedVec<u8, MaxVersion>,
	/// Its license as an SPDX identifier or expression (e.g. `Apache-2.0`).
	pub license: BoundedVec<u8, MaxLicense>,
	/// Root of the stored file holding it (the ciphertext's root when encrypted).
	pub root: H256,
	/// Size of that file in bytes; with the root, its storage commitment.
	pub size: u64,
	/// Root of its model or dataset card, another stored file, if it has one.
	pub card: Option<H256>,
	/// Whether the file is encrypted, so a grant is worth something only with a sealed key.
	pub encrypted: bool,
	/// Who may use it.
	pub policy: AccessPolicy,
	/// What one purchase costs ([`AccessPolicy::Paid`]), in the smallest unit.
	pub price: Balance,
	/// How long a purchase lasts, in blocks.
	pub access_period: BlockNumber,
	/// The deposit held from the owner for this record.
	pub deposit: Balance,
	/// Grants and pending requests that exist, so the asset is removed only when none do.
	pub open_grants: u32,
	/// Compute services that serve it.
	pub deployments: u32,
	/// Block it was registered in.
	pub registered_at: BlockNumber,
}

/// A content key sealed to one x25519 key (ECIES: ephemeral public key, nonce, ciphertext and
/// tag, as the client writes them; the chain only stores and bounds the bytes).
#[derive(
	CloneNoBound,
	DebugNoBound,
	PartialEqNoBound,
	EqNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
#[scale_info(skip_type_params(MaxSealed))]
pub struct SealedKey<MaxSealed: Get<u32>> {
	/// The key it is sealed to (the grantee's registered key when it was delivered).
	pub recipient: EncryptionKey,
	/// The sealed bytes.
	pub sealed: BoundedVec<u8, MaxSealed>,
}

/// Access to an asset, granted or asked for.
#[derive(
	CloneNoBound,
	DebugNoBound,
	PartialEqNoBound,
	EqNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
#[scale_info(skip_type_params(MaxSealed))]
#[allow(clippy::multiple_bound_locations)]
pub struct Grant<
	AccountId: Clone + core::fmt::Debug + PartialEq + Eq,
	Balance: Clone + core::fmt::Debug + PartialEq + Eq,
	BlockNumber: Clone + core::fmt::Debug + PartialEq + Eq,
	MaxSealed: Get<u32>,
> {
	/// What it allows.
	pub scope: AccessScope,
	/// First block at which it no longer holds; `None` while it is only requested.
	pub expires_at: Option<BlockNumber>,
	/// Who paid the deposit for this record, and gets it back when the record goes.
	pub depositor: AccountId,
	/// The deposit.
	pub deposit: Balance,
	/// The content key, once the owner delivered it.
	pub key: Option<SealedKey<MaxSealed>>,
	/// What the grantee paid for an encrypted download that has no key yet: held from the
	/// grantee until the owner delivers the key (then it is the owner's), or returned if the
	/// grant ends without one or the owner misses [`crate::Config::KeyDeliveryPeriod`].
	pub escrow: Option<Escrow<Balance, BlockNumber>>,
}

/// A purchase price held until the key is delivered.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct Escrow<Balance, BlockNumber> {
	/// The amount held from the grantee.
	pub amount: Balance,
	/// First block at which the grantee may take it back if no key came.
	pub refundable_from: BlockNumber,
}

/// A content key an asset's owner sealed to an enclave's encryption key: the owner's consent
/// that jobs of services signed by that enclave may use the asset (compute-to-data).
#[derive(
	CloneNoBound,
	DebugNoBound,
	PartialEqNoBound,
	EqNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
#[scale_info(skip_type_params(MaxSealed))]
#[allow(clippy::multiple_bound_locations)]
pub struct EnclaveKey<Balance: Clone + core::fmt::Debug + PartialEq + Eq, MaxSealed: Get<u32>> {
	/// The content key, sealed to the enclave signer's registered encryption key.
	pub key: SealedKey<MaxSealed>,
	/// The deposit held from the owner for this record.
	pub deposit: Balance,
}

/// What a compute job uses, named by its user: the assets it reads and its parameters in full
/// (their hash is the job's `params_hash`, which the provider agreed to); and, once the result is
/// paid for, the result and the key its provider sealed to the user (results of jobs with inputs
/// are stored encrypted).
#[derive(
	CloneNoBound,
	DebugNoBound,
	PartialEqNoBound,
	EqNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
#[scale_info(skip_type_params(MaxAssets, MaxParams, MaxSealed))]
#[allow(clippy::multiple_bound_locations)]
pub struct JobInputRecord<
	AccountId: Clone + core::fmt::Debug + PartialEq + Eq,
	Balance: Clone + core::fmt::Debug + PartialEq + Eq,
	MaxAssets: Get<u32>,
	MaxParams: Get<u32>,
	MaxSealed: Get<u32>,
> {
	/// The job's user, who paid the deposit and gets the result's key.
	pub user: AccountId,
	/// The provider the job is assigned to, who delivers the result's key.
	pub provider: AccountId,
	/// The assets the job reads, in the order its program sees them.
	pub assets: BoundedVec<AssetId, MaxAssets>,
	/// The job's parameters (hyper-parameters, a script's arguments), as its program reads them.
	pub params: BoundedVec<u8, MaxParams>,
	/// The deposit held from the user for this record.
	pub deposit: Balance,
	/// Root of the job's (encrypted) result, once the user paid for it.
	pub result: Option<H256>,
	/// The result's content key sealed to the user, once the provider delivered it.
	pub result_key: Option<SealedKey<MaxSealed>>,
}

/// A job of the compute marketplace that still waits for its result, as the marketplace needs
/// to know it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenJob<AccountId> {
	/// The service that runs it.
	pub service: zerog_primitives::compute::ServiceId,
	/// The user who pays for it.
	pub user: AccountId,
	/// The provider it is assigned to.
	pub provider: AccountId,
	/// The hash of its parameters the provider agreed to.
	pub params_hash: H256,
	/// The service's enclave signer, if the service's results are signed by a governance-
	/// approved enclave (`Verifiability::Tee`).
	pub enclave_signer: Option<AccountId>,
}
