//! # Marketplace pallet
//!
//! ZeroG's marketplace of models and datasets: an owner registers an *asset* that points at a
//! live file in ZeroG storage, sets who may use it, and hands each grantee the file's content key
//! sealed to that grantee's own encryption key, on chain.
//!
//! ## Overview
//!
//! - **Keys** ([`Call::register_encryption_key`], [`Call::remove_encryption_key`]): an account
//!   registers the x25519 public key content keys are sealed to (ECIES), behind a deposit.
//! - **Assets** ([`Call::register_asset`], [`Call::update_asset`], [`Call::remove_asset`]): a
//!   model or a dataset with a name, a version, an SPDX license, the root and size of its stored
//!   file (of the ciphertext when it is encrypted), an optional card (another stored file), an
//!   [`AccessPolicy`], a price and an access period. The file must be live when the asset is
//!   registered; a deposit backs the record.
//! - **Access** ([`Call::buy_access`], [`Call::request_access`], [`Call::grant_access`],
//!   [`Call::deny_access`], [`Call::revoke_access`], [`Call::withdraw_request`],
//!   [`Call::remove_expired_grant`]): a paid asset is bought for its access period (the price
//!   goes to the owner); a gated one is requested and the owner grants or denies; the owner can
//!   grant any account and revoke any grant. Every grant has a scope ([`AccessScope`]) and an
//!   expiry, and a deposit from whoever created the record.
//! - **Keys delivered** ([`Call::deliver_key`]): the owner (its client, watching the chain)
//!   seals the content key to the grantee's registered key and stores it in the grant.
//! - **Deployments** ([`Call::deploy`], [`Call::undeploy`]): the provider of a compute service
//!   links it to the model it serves, if it owns the model or holds a download grant for it.
//! - **Compute-to-data** ([`Call::deliver_enclave_key`], [`Call::revoke_enclave_key`],
//!   [`Call::attach_job_inputs`], [`Call::deliver_result_key`], [`Call::remove_job_inputs`]):
//!   the owner seals an encrypted asset's key to an enclave governance approved; a job's user
//!   names the assets the job reads (its own, public, or granted, a compute grant is enough) and
//!   its parameters in full; the enclave reads the data, stores the job's result encrypted, and
//!   seals its key to the user once the user paid for it.
//!
//! ## Design decisions
//!
//! - **The chain never sees a content key.** It stores keys sealed to one recipient's x25519
//!   key; only that recipient can open them. The owner's client seals and delivers, so no key
//!   is ever in a transaction in the clear.
//! - **What a revocation takes back.** Revoking (or expiry) removes the grant: the grantee's
//!   access ends as far as the chain, providers that check grants and deployments are concerned,
//!   and no new key is delivered. It cannot take back a key already delivered, nor a copy of
//!   the plaintext already decrypted; an owner who needs that re-encrypts under a new key and
//!   registers a new asset (see docs/marketplace.md).
//! - **Deposits for every record.** Assets, keys, requests and grants are state someone asked
//!   for, so each holds a deposit from whoever asked ([`HoldReason`]), returned when the record
//!   goes: a stranger cannot fill the chain's state, nor an owner's asset with requests, for
//!   free. Expired grants can be removed by anyone and return their deposit to its payer.
//! - **Paid on delivery.** An encrypted download is worthless without its key, so its price is
//!   held from the buyer ([`HoldReason::PurchaseEscrow`]) until the owner delivers the key, and
//!   only then paid to the owner. A grant that ends without a key (revoked, expired) returns
//!   it, and so does [`Call::reclaim_purchase`] once the owner let
//!   [`Config::KeyDeliveryPeriod`] pass: an owner cannot take the price and deliver nothing.
//!   (It can still deliver a key that does not open the file; the chain cannot check a sealed
//!   key, see docs/marketplace.md.)
//! - **Front-running a price.** A buyer names the most it pays ([`Call::buy_access`]'s
//!   `max_price`): an owner raising the price in the same block takes no more than that.
//! - **Bounds.** Names, versions, licenses and sealed keys are `BoundedVec`s, assets per owner
//!   are [`Config::MaxAssetsPerOwner`], access periods at most [`Config::MaxAccessPeriod`].
//!   An asset counts its grants, requests and deployments, and is removed only when it has none,
//!   so no grant or deployment ever points at a missing asset (`try_state` checks it).

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod compute;
#[cfg(test)]
mod compute_tests;
mod grants;
#[cfg(any(feature = "try-runtime", test))]
mod invariants;
#[cfg(test)]
mod mock;
mod queries;
pub mod runtime_api;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

pub use pallet::*;
pub use queries::{AssetSummaryOf, GrantSummaryOf};
pub use types::*;
pub use weights::WeightInfo;

use polkadot_sdk::{
	frame_support::{self, traits::fungible},
	frame_system::{self, pallet_prelude::BlockNumberFor},
	sp_core::H256,
};
use zerog_primitives::compute::ServiceId;

/// Log target of this pallet.
pub const LOG_TARGET: &str = "runtime::marketplace";

/// Fewest bytes a sealed key can have: an x25519 ephemeral public key (32), the 32-byte content
/// key and an AEAD tag (16). A shorter one cannot hold a key, and would only be noise.
pub const MIN_SEALED_KEY_LEN: u32 = 80;

/// Balance type of the pallet's currency.
pub type BalanceOf<T> =
	<<T as Config>::Currency as fungible::Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// An asset of runtime `T`.
pub type AssetOf<T> = AssetInfo<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	BlockNumberFor<T>,
	<T as Config>::MaxNameLen,
	<T as Config>::MaxVersionLen,
	<T as Config>::MaxLicenseLen,
>;

/// A grant (or a request) of runtime `T`.
pub type GrantOf<T> = Grant<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	BlockNumberFor<T>,
	<T as Config>::MaxSealedKeyLen,
>;

/// A content key sealed to an enclave, of runtime `T`.
pub type EnclaveKeyOf<T> = EnclaveKey<BalanceOf<T>, <T as Config>::MaxSealedKeyLen>;

/// A job's inputs, of runtime `T`.
pub type JobInputRecordOf<T> = JobInputRecord<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	<T as Config>::MaxJobAssets,
	<T as Config>::MaxJobParamsLen,
	<T as Config>::MaxSealedKeyLen,
>;

/// What the marketplace asks of the compute marketplace: who provides a service, which enclave
/// keys governance approved, and the jobs still waiting for a result. Implemented by the runtime
/// over `pallet-compute-escrow`; `()` knows no service, enclave or job.
pub trait ComputeMarket<AccountId> {
	/// The provider of service `service`, if it exists.
	fn provider_of(service: ServiceId) -> Option<AccountId>;

	/// Whether `signer` is an enclave signing key governance approved (and still approves).
	fn is_approved_enclave(signer: &AccountId) -> bool;

	/// Job `job`, if it exists and still waits for its result.
	fn open_job(job: JobId) -> Option<OpenJob<AccountId>>;

	/// Whether job `job` is over: answered and paid or refunded, expired, declined, or never
	/// existed (a job in review or in dispute is not).
	fn job_finished(job: JobId) -> bool;

	/// Registers a service of `provider` and returns its id, for benchmarks.
	#[cfg(feature = "runtime-benchmarks")]
	fn register_for_benchmark(provider: &AccountId) -> ServiceId;

	/// Approves enclave key `signer`, for benchmarks.
	#[cfg(feature = "runtime-benchmarks")]
	fn approve_enclave_for_benchmark(signer: &AccountId);

	/// Opens a job of `user` with `params_hash` on a service signed by approved enclave
	/// `signer`, for benchmarks.
	#[cfg(feature = "runtime-benchmarks")]
	fn open_job_for_benchmark(user: &AccountId, signer: &AccountId, params_hash: H256) -> JobId;

	/// Ends job `job` (it no longer waits for a result), for benchmarks.
	#[cfg(feature = "runtime-benchmarks")]
	fn close_job_for_benchmark(job: JobId);
}

impl<AccountId> ComputeMarket<AccountId> for () {
	fn provider_of(_service: ServiceId) -> Option<AccountId> {
		None
	}

	fn is_approved_enclave(_signer: &AccountId) -> bool {
		false
	}

	fn open_job(_job: JobId) -> Option<OpenJob<AccountId>> {
		None
	}

	fn job_finished(_job: JobId) -> bool {
		true
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn register_for_benchmark(_provider: &AccountId) -> ServiceId {
		0
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn approve_enclave_for_benchmark(_signer: &AccountId) {}

	#[cfg(feature = "runtime-benchmarks")]
	fn open_job_for_benchmark(_user: &AccountId, _signer: &AccountId, _params_hash: H256) -> JobId {
		0
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn close_job_for_benchmark(_job: JobId) {}
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;
	use polkadot_sdk::sp_runtime::traits::Zero;
	use zerog_primitives::storage::StoredFiles;

	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The native token: prices are paid in it, deposits are holds on it.
		type Currency: fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ fungible::Mutate<Self::AccountId>;

		/// The overarching hold reason, which includes this pallet's [`HoldReason`].
		type RuntimeHoldReason: From<HoldReason>;

		/// ZeroG storage, where an asset's file and card must be live when it is registered
		/// (`()` has no files: every asset is refused).
		type StoredFiles: StoredFiles<BlockNumberFor<Self>>;

		/// The compute marketplace: its services (for [`Call::deploy`]), approved enclaves and
		/// open jobs (for compute-to-data).
		type Compute: ComputeMarket<Self::AccountId>;

		/// Held from an asset's owner while the asset is registered.
		#[pallet::constant]
		type AssetDeposit: Get<BalanceOf<Self>>;

		/// Held from whoever creates a grant or a request (the buyer, the requester, or the
		/// owner granting unasked) until the record is removed.
		#[pallet::constant]
		type GrantDeposit: Get<BalanceOf<Self>>;

		/// Held from an account while it has an encryption key registered.
		#[pallet::constant]
		type KeyDeposit: Get<BalanceOf<Self>>;

		/// Longest access period and furthest grant expiry, in blocks from now.
		#[pallet::constant]
		type MaxAccessPeriod: Get<BlockNumberFor<Self>>;

		/// Most assets one account may own.
		#[pallet::constant]
		type MaxAssetsPerOwner: Get<u32>;

		/// Longest name, in bytes.
		#[pallet::constant]
		type MaxNameLen: Get<u32>;

		/// Longest version, in bytes.
		#[pallet::constant]
		type MaxVersionLen: Get<u32>;

		/// Longest license identifier or expression, in bytes.
		#[pallet::constant]
		type MaxLicenseLen: Get<u32>;

		/// Longest sealed key, in bytes.
		#[pallet::constant]
		type MaxSealedKeyLen: Get<u32>;

		/// Blocks an owner has to deliver the key of an encrypted download it sold; after them,
		/// the buyer may take the price back ([`Pallet::reclaim_purchase`]).
		#[pallet::constant]
		type KeyDeliveryPeriod: Get<BlockNumberFor<Self>>;

		/// Most enclaves one asset's content key is sealed to at a time.
		#[pallet::constant]
		type MaxEnclavesPerAsset: Get<u32>;

		/// Most assets one compute job reads.
		#[pallet::constant]
		type MaxJobAssets: Get<u32>;

		/// Longest parameters of one compute job, in bytes.
		#[pallet::constant]
		type MaxJobParamsLen: Get<u32>;

		/// Held from a job's user while the job's inputs are recorded (sized for the longest
		/// parameters).
		#[pallet::constant]
		type JobInputsDeposit: Get<BalanceOf<Self>>;

		/// Weights of the calls.
		type WeightInfo: WeightInfo;
	}

	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The deposits of an owner's registered assets.
		#[codec(index = 0)]
		AssetDeposit,
		/// The deposits of grants, requests, enclave keys and job inputs an account created.
		#[codec(index = 1)]
		GrantDeposit,
		/// The deposit of an account's registered encryption key.
		#[codec(index = 2)]
		KeyDeposit,
		/// The price of an encrypted download bought and not delivered yet.
		#[codec(index = 3)]
		PurchaseEscrow,
	}

	/// The id the next registered asset gets.
	#[pallet::storage]
	pub type NextAssetId<T> = StorageValue<_, AssetId, ValueQuery>;

	/// Registered assets, by id.
	#[pallet::storage]
	pub type Assets<T: Config> = StorageMap<_, Blake2_128Concat, AssetId, AssetOf<T>>;

	/// The assets each account owns, oldest first.
	#[pallet::storage]
	pub type AssetsByOwner<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<AssetId, T::MaxAssetsPerOwner>,
		ValueQuery,
	>;

	/// Grants and pending requests, by asset and grantee.
	#[pallet::storage]
	pub type Grants<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, AssetId, Blake2_128Concat, T::AccountId, GrantOf<T>>;

	/// Each account's registered x25519 public key.
	#[pallet::storage]
	pub type EncryptionKeys<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, EncryptionKey>;

	/// The model each compute service serves.
	#[pallet::storage]
	pub type Deployments<T: Config> = StorageMap<_, Twox64Concat, ServiceId, AssetId>;

	/// Content keys the assets' owners sealed to enclave signers, by asset and signer: the
	/// enclaves whose jobs may read each encrypted asset (compute-to-data).
	#[pallet::storage]
	pub type EnclaveKeys<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		AssetId,
		Blake2_128Concat,
		T::AccountId,
		EnclaveKeyOf<T>,
	>;

	/// How many enclaves each asset's content key is sealed to, at most `MaxEnclavesPerAsset`.
	#[pallet::storage]
	pub type EnclaveKeyCount<T: Config> = StorageMap<_, Blake2_128Concat, AssetId, u32, ValueQuery>;

	/// The inputs (assets and parameters) of compute jobs, by job, while they wait for a result.
	// Twox64Concat: job ids are assigned by the compute marketplace, in sequence.
	#[pallet::storage]
	pub type JobInputs<T: Config> = StorageMap<_, Twox64Concat, JobId, JobInputRecordOf<T>>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An account registered (or changed) the key content keys are sealed to.
		EncryptionKeyRegistered { who: T::AccountId, key: EncryptionKey },
		/// An account removed its encryption key; its deposit was released.
		EncryptionKeyRemoved { who: T::AccountId },
		/// An asset was registered and its deposit put on hold.
		AssetRegistered {
			asset: AssetId,
			owner: T::AccountId,
			kind: AssetKind,
			root: H256,
			size: u64,
			policy: AccessPolicy,
			price: BalanceOf<T>,
		},
		/// An asset's terms changed (for purchases and requests from now on).
		AssetUpdated {
			asset: AssetId,
			policy: AccessPolicy,
			price: BalanceOf<T>,
			access_period: BlockNumberFor<T>,
		},
		/// An asset was removed and its deposit released.
		AssetRemoved { asset: AssetId },
		/// Access was bought: `price` went to the owner, or, for an encrypted download without
		/// a key yet, into escrow until the owner delivers it.
		AccessBought {
			asset: AssetId,
			buyer: T::AccountId,
			scope: AccessScope,
			price: BalanceOf<T>,
			expires_at: BlockNumberFor<T>,
		},
		/// Access to a gated asset was requested.
		AccessRequested { asset: AssetId, requester: T::AccountId, scope: AccessScope },
		/// The owner granted (or approved, or extended) access.
		AccessGranted {
			asset: AssetId,
			grantee: T::AccountId,
			scope: AccessScope,
			expires_at: BlockNumberFor<T>,
		},
		/// The owner denied a request.
		AccessDenied { asset: AssetId, requester: T::AccountId },
		/// A requester withdrew its request.
		RequestWithdrawn { asset: AssetId, requester: T::AccountId },
		/// The owner revoked a grant.
		AccessRevoked { asset: AssetId, grantee: T::AccountId },
		/// An expired grant was removed and its deposit returned.
		GrantRemoved { asset: AssetId, grantee: T::AccountId },
		/// The owner delivered the content key, sealed to `recipient`.
		KeyDelivered { asset: AssetId, grantee: T::AccountId, recipient: EncryptionKey },
		/// The key was delivered, so the price held in escrow went to the owner.
		PaymentReleased { asset: AssetId, grantee: T::AccountId, amount: BalanceOf<T> },
		/// A grant bought and never given its key ended (revoked, expired, or reclaimed after
		/// `KeyDeliveryPeriod`): the price held in escrow went back to the buyer.
		PurchaseRefunded { asset: AssetId, buyer: T::AccountId, amount: BalanceOf<T> },
		/// A compute service now serves a model.
		ModelDeployed { asset: AssetId, service: ServiceId, provider: T::AccountId },
		/// A compute service no longer serves a model.
		ModelUndeployed { asset: AssetId, service: ServiceId },
		/// The owner sealed the asset's content key to an enclave: jobs of services signed by
		/// it may read the asset.
		EnclaveKeyDelivered { asset: AssetId, signer: T::AccountId, recipient: EncryptionKey },
		/// The owner withdrew an enclave's key: new jobs there may no longer read the asset.
		EnclaveKeyRevoked { asset: AssetId, signer: T::AccountId },
		/// A job's user named the assets the job reads and its parameters.
		JobInputsAttached {
			job: JobId,
			user: T::AccountId,
			assets: BoundedVec<AssetId, T::MaxJobAssets>,
		},
		/// A finished job's inputs were removed and their deposit returned.
		JobInputsRemoved { job: JobId },
		/// A job's provider sealed the key of its paid-for, encrypted result to its user.
		ResultKeyDelivered { job: JobId, user: T::AccountId, recipient: EncryptionKey },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The name is empty or not UTF-8.
		InvalidName,
		/// The version is empty or not UTF-8.
		InvalidVersion,
		/// The license is not an SPDX identifier or expression (letters, digits, `.`, `-`, `+`,
		/// spaces and parentheses).
		InvalidLicense,
		/// No live file in ZeroG storage has the asset's root.
		FileNotStored,
		/// The live file with the asset's root has another size.
		FileSizeMismatch,
		/// The card's root is not a live file.
		CardNotStored,
		/// A paid asset needs a price above zero.
		PriceRequired,
		/// The access period is zero or longer than `MaxAccessPeriod`.
		AccessPeriodOutOfRange,
		/// The owner has `MaxAssetsPerOwner` assets.
		TooManyAssets,
		/// No asset has this id.
		UnknownAsset,
		/// Only the asset's owner may do this.
		NotOwner,
		/// The owner needs no access to its own asset.
		OwnAsset,
		/// The asset is not sold (its policy is not `Paid`).
		NotForSale,
		/// The asset is not gated: buy it, or use it freely.
		NotGated,
		/// The price is above the buyer's `max_price`.
		PriceAboveLimit,
		/// The buyer cannot pay the price and keep its account alive.
		CannotPay,
		/// The deposit cannot be held (too little free balance).
		CannotHoldDeposit,
		/// The account has no encryption key registered, so no key can be sealed to it.
		NoEncryptionKey,
		/// An all-zero key is not an x25519 public key anyone holds the secret of.
		InvalidEncryptionKey,
		/// A request for this asset is already pending.
		AlreadyRequested,
		/// The account already holds a grant that has not expired.
		AlreadyGranted,
		/// No request for this asset is pending from this account.
		NoRequest,
		/// This account has no grant for this asset.
		NoGrant,
		/// The grant has expired or is only a request.
		NoActiveGrant,
		/// The grant has not expired.
		GrantNotExpired,
		/// The expiry is not after this block, or further than `MaxAccessPeriod` from it.
		ExpiryOutOfRange,
		/// A key can only be delivered to a grant of download scope; compute grants are opened
		/// by the job's service signer.
		WrongScope,
		/// The sealed key is shorter than `MIN_SEALED_KEY_LEN`.
		SealedKeyTooShort,
		/// No compute service has this id.
		UnknownService,
		/// Only the service's provider may do this.
		NotServiceProvider,
		/// Only models are deployed.
		NotAModel,
		/// The service already serves this model.
		AlreadyDeployed,
		/// The service serves no model.
		NotDeployed,
		/// The asset still has grants, requests or deployments.
		AssetInUse,
		/// The grant holds no price in escrow: its key was delivered, or it was not bought.
		NothingToReclaim,
		/// The owner still has time to deliver the key (`KeyDeliveryPeriod` from the purchase).
		DeliveryNotDue,
		/// The asset is not encrypted: jobs read it without a key.
		NotEncrypted,
		/// The signer is not an enclave key governance approved.
		NotAnEnclave,
		/// The asset's key is sealed to `MaxEnclavesPerAsset` enclaves already.
		TooManyEnclaves,
		/// The asset's owner has not sealed its key to the enclave of the job's service (or the
		/// service has no enclave), so the job cannot read the encrypted asset.
		EnclaveNotAccepted,
		/// No job with this id waits for its result.
		UnknownJob,
		/// Only the job's user may name its inputs.
		NotJobUser,
		/// The parameters' keccak-256 hash is not the job's `params_hash`.
		ParamsHashMismatch,
		/// The job's inputs are recorded already.
		InputsAlreadyAttached,
		/// The job has no inputs recorded.
		NoJobInputs,
		/// The job is not over yet (it waits for its result, or the result is in review or
		/// dispute), so its record is still needed.
		JobStillOpen,
		/// Only the job's provider delivers its result's key.
		NotJobProvider,
		/// The job's result has not been paid for (accepted) yet, so its key stays sealed away.
		ResultNotPaid,
		/// The result's key was delivered already.
		ResultKeyAlreadyDelivered,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			for (deposit, name) in [
				(T::AssetDeposit::get(), "AssetDeposit"),
				(T::GrantDeposit::get(), "GrantDeposit"),
				(T::KeyDeposit::get(), "KeyDeposit"),
			] {
				assert!(
					!deposit.is_zero(),
					"{name} must be above zero, or its records are free state"
				);
			}
			assert!(!T::MaxAccessPeriod::get().is_zero(), "MaxAccessPeriod must be above zero");
			assert!(
				!T::KeyDeliveryPeriod::get().is_zero()
					&& T::KeyDeliveryPeriod::get() < T::MaxAccessPeriod::get(),
				"KeyDeliveryPeriod must be above zero and shorter than MaxAccessPeriod"
			);
			assert!(
				T::MaxSealedKeyLen::get() >= MIN_SEALED_KEY_LEN,
				"MaxSealedKeyLen must fit a sealed 32-byte key"
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
		/// Register (or replace) the x25519 public key content keys are sealed to. The first
		/// registration holds `KeyDeposit`. Keys already delivered stay sealed to the old key.
		///
		/// Errors: `InvalidEncryptionKey`, `CannotHoldDeposit`. Event: `EncryptionKeyRegistered`.
		#[pallet::call_index(0)]
		pub fn register_encryption_key(origin: OriginFor<T>, key: EncryptionKey) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(key != [0; 32], Error::<T>::InvalidEncryptionKey);
			if !EncryptionKeys::<T>::contains_key(&who) {
				Self::hold(HoldReason::KeyDeposit, &who, T::KeyDeposit::get())?;
			}
			EncryptionKeys::<T>::insert(&who, key);
			Self::deposit_event(Event::EncryptionKeyRegistered { who, key });
			Ok(())
		}

		/// Remove the caller's encryption key and release its deposit.
		///
		/// Errors: `NoEncryptionKey`. Event: `EncryptionKeyRemoved`.
		#[pallet::call_index(1)]
		pub fn remove_encryption_key(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			EncryptionKeys::<T>::take(&who).ok_or(Error::<T>::NoEncryptionKey)?;
			Self::release(HoldReason::KeyDeposit, &who, T::KeyDeposit::get());
			Self::deposit_event(Event::EncryptionKeyRemoved { who });
			Ok(())
		}

		/// Register an asset backed by the live file `(root, size)`, holding `AssetDeposit`.
		///
		/// Errors: `InvalidName`, `InvalidVersion`, `InvalidLicense`, `FileNotStored`,
		/// `FileSizeMismatch`, `CardNotStored`, `PriceRequired`, `AccessPeriodOutOfRange`,
		/// `TooManyAssets`, `CannotHoldDeposit`. Event: `AssetRegistered`.
		#[pallet::call_index(2)]
		pub fn register_asset(
			origin: OriginFor<T>,
			kind: AssetKind,
			name: BoundedVec<u8, T::MaxNameLen>,
			version: BoundedVec<u8, T::MaxVersionLen>,
			license: BoundedVec<u8, T::MaxLicenseLen>,
			root: H256,
			size: u64,
			card: Option<H256>,
			encrypted: bool,
			policy: AccessPolicy,
			price: BalanceOf<T>,
			access_period: BlockNumberFor<T>,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			ensure!(is_text(&name), Error::<T>::InvalidName);
			ensure!(is_text(&version), Error::<T>::InvalidVersion);
			ensure!(is_spdx_expression(&license), Error::<T>::InvalidLicense);
			let file = T::StoredFiles::live_file(&root).ok_or(Error::<T>::FileNotStored)?;
			ensure!(file.size == size, Error::<T>::FileSizeMismatch);
			if let Some(card) = card {
				T::StoredFiles::live_file(&card).ok_or(Error::<T>::CardNotStored)?;
			}
			Self::check_terms(policy, price, access_period)?;
			let asset = NextAssetId::<T>::get();
			AssetsByOwner::<T>::try_mutate(&owner, |assets| assets.try_push(asset))
				.map_err(|_| Error::<T>::TooManyAssets)?;
			let deposit = T::AssetDeposit::get();
			Self::hold(HoldReason::AssetDeposit, &owner, deposit)?;
			NextAssetId::<T>::put(asset.saturating_add(1));
			Assets::<T>::insert(
				asset,
				AssetInfo {
					owner: owner.clone(),
					kind,
					name,
					version,
					license,
					root,
					size,
					card,
					encrypted,
					policy,
					price,
					access_period,
					deposit,
					open_grants: 0,
					deployments: 0,
					registered_at: frame_system::Pallet::<T>::block_number(),
				},
			);
			Self::deposit_event(Event::AssetRegistered {
				asset,
				owner,
				kind,
				root,
				size,
				policy,
				price,
			});
			Ok(())
		}

		/// Change an asset's policy, price and access period; grants already made keep theirs.
		///
		/// Errors: `UnknownAsset`, `NotOwner`, `PriceRequired`, `AccessPeriodOutOfRange`.
		/// Event: `AssetUpdated`.
		#[pallet::call_index(3)]
		pub fn update_asset(
			origin: OriginFor<T>,
			asset: AssetId,
			policy: AccessPolicy,
			price: BalanceOf<T>,
			access_period: BlockNumberFor<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::check_terms(policy, price, access_period)?;
			Assets::<T>::try_mutate(asset, |info| -> DispatchResult {
				let info = info.as_mut().ok_or(Error::<T>::UnknownAsset)?;
				ensure!(info.owner == who, Error::<T>::NotOwner);
				info.policy = policy;
				info.price = price;
				info.access_period = access_period;
				Ok(())
			})?;
			Self::deposit_event(Event::AssetUpdated { asset, policy, price, access_period });
			Ok(())
		}

		/// Remove an asset that has no grants, requests, deployments or enclave keys, releasing
		/// its deposit.
		///
		/// Errors: `UnknownAsset`, `NotOwner`, `AssetInUse`. Event: `AssetRemoved`.
		#[pallet::call_index(4)]
		pub fn remove_asset(origin: OriginFor<T>, asset: AssetId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let info = Self::owned_asset(asset, &who)?;
			ensure!(
				info.open_grants == 0
					&& info.deployments == 0
					&& EnclaveKeyCount::<T>::get(asset) == 0,
				Error::<T>::AssetInUse
			);
			Assets::<T>::remove(asset);
			AssetsByOwner::<T>::mutate(&who, |assets| assets.retain(|id| *id != asset));
			Self::release(HoldReason::AssetDeposit, &who, info.deposit);
			Self::deposit_event(Event::AssetRemoved { asset });
			Ok(())
		}

		/// Buy access to a paid asset for its access period (added to an unexpired grant's),
		/// paying its price, at most `max_price`, to the owner. A new grant holds
		/// `GrantDeposit` from the buyer.
		///
		/// Errors: `UnknownAsset`, `NotForSale`, `OwnAsset`, `PriceAboveLimit`,
		/// `NoEncryptionKey` (an encrypted asset bought for download), `CannotPay`,
		/// `CannotHoldDeposit`. Event: `AccessBought`.
		#[pallet::call_index(5)]
		pub fn buy_access(
			origin: OriginFor<T>,
			asset: AssetId,
			scope: AccessScope,
			max_price: BalanceOf<T>,
		) -> DispatchResult {
			let buyer = ensure_signed(origin)?;
			let (price, expires_at) = Self::do_buy_access(asset, &buyer, scope, max_price)?; // grants.rs
			Self::deposit_event(Event::AccessBought { asset, buyer, scope, price, expires_at });
			Ok(())
		}

		/// Ask the owner of a gated asset for access, holding `GrantDeposit` until the owner
		/// answers or the request is withdrawn.
		///
		/// Errors: `UnknownAsset`, `NotGated`, `OwnAsset`, `AlreadyRequested`,
		/// `AlreadyGranted`, `NoEncryptionKey`, `CannotHoldDeposit`. Event: `AccessRequested`.
		#[pallet::call_index(6)]
		pub fn request_access(
			origin: OriginFor<T>,
			asset: AssetId,
			scope: AccessScope,
		) -> DispatchResult {
			let requester = ensure_signed(origin)?;
			Self::do_request_access(asset, &requester, scope)?; // grants.rs
			Self::deposit_event(Event::AccessRequested { asset, requester, scope });
			Ok(())
		}

		/// Grant `grantee` access of `scope` until `expires_at`: approves its request, extends
		/// or changes its grant, or grants unasked (then the owner pays the deposit).
		///
		/// Errors: `UnknownAsset`, `NotOwner`, `OwnAsset`, `ExpiryOutOfRange`,
		/// `CannotHoldDeposit`. Event: `AccessGranted`.
		#[pallet::call_index(7)]
		pub fn grant_access(
			origin: OriginFor<T>,
			asset: AssetId,
			grantee: T::AccountId,
			scope: AccessScope,
			expires_at: BlockNumberFor<T>,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_grant_access(asset, &owner, &grantee, scope, expires_at)?; // grants.rs
			Self::deposit_event(Event::AccessGranted { asset, grantee, scope, expires_at });
			Ok(())
		}

		/// Deny a pending request; its deposit goes back to the requester.
		///
		/// Errors: `UnknownAsset`, `NotOwner`, `NoRequest`. Event: `AccessDenied`.
		#[pallet::call_index(8)]
		pub fn deny_access(
			origin: OriginFor<T>,
			asset: AssetId,
			requester: T::AccountId,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::owned_asset(asset, &owner)?;
			Self::remove_record(asset, &requester, |grant| {
				grant.expires_at.is_none().then_some(()).ok_or(Error::<T>::NoRequest)
			})?;
			Self::deposit_event(Event::AccessDenied { asset, requester });
			Ok(())
		}

		/// Revoke a grant (expired or not); its deposit goes back to whoever paid it. A key
		/// already delivered cannot be taken back (see the pallet's design decisions).
		///
		/// Errors: `UnknownAsset`, `NotOwner`, `NoGrant`. Event: `AccessRevoked`.
		#[pallet::call_index(9)]
		pub fn revoke_access(
			origin: OriginFor<T>,
			asset: AssetId,
			grantee: T::AccountId,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::owned_asset(asset, &owner)?;
			Self::remove_record(asset, &grantee, |grant| {
				grant.expires_at.is_some().then_some(()).ok_or(Error::<T>::NoGrant)
			})?;
			Self::deposit_event(Event::AccessRevoked { asset, grantee });
			Ok(())
		}

		/// Withdraw the caller's pending request; its deposit comes back.
		///
		/// Errors: `NoRequest`. Event: `RequestWithdrawn`.
		#[pallet::call_index(10)]
		pub fn withdraw_request(origin: OriginFor<T>, asset: AssetId) -> DispatchResult {
			let requester = ensure_signed(origin)?;
			Self::remove_record(asset, &requester, |grant| {
				grant.expires_at.is_none().then_some(()).ok_or(Error::<T>::NoRequest)
			})?;
			Self::deposit_event(Event::RequestWithdrawn { asset, requester });
			Ok(())
		}

		/// Remove an expired grant, anyone's; its deposit goes back to whoever paid it.
		///
		/// Errors: `NoGrant`, `GrantNotExpired`. Event: `GrantRemoved`.
		#[pallet::call_index(11)]
		pub fn remove_expired_grant(
			origin: OriginFor<T>,
			asset: AssetId,
			grantee: T::AccountId,
		) -> DispatchResult {
			ensure_signed(origin)?;
			let now = frame_system::Pallet::<T>::block_number();
			Self::remove_record(asset, &grantee, |grant| match grant.expires_at {
				None => Err(Error::<T>::NoGrant),
				Some(expires_at) if expires_at > now => Err(Error::<T>::GrantNotExpired),
				Some(_) => Ok(()),
			})?;
			Self::deposit_event(Event::GrantRemoved { asset, grantee });
			Ok(())
		}

		/// Deliver the asset's content key to a grantee, sealed to its registered key.
		///
		/// A price the grantee paid into escrow goes to the owner now.
		///
		/// Errors: `UnknownAsset`, `NotOwner`, `NoGrant`, `NoActiveGrant`, `WrongScope`,
		/// `NoEncryptionKey`, `SealedKeyTooShort`. Events: `KeyDelivered`, `PaymentReleased`.
		#[pallet::call_index(12)]
		pub fn deliver_key(
			origin: OriginFor<T>,
			asset: AssetId,
			grantee: T::AccountId,
			sealed: BoundedVec<u8, T::MaxSealedKeyLen>,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			let (recipient, paid) = Self::do_deliver_key(asset, &owner, &grantee, sealed)?; // grants.rs
			Self::deposit_event(Event::KeyDelivered { asset, grantee: grantee.clone(), recipient });
			if let Some(amount) = paid {
				Self::deposit_event(Event::PaymentReleased { asset, grantee, amount });
			}
			Ok(())
		}

		/// Record that compute service `service`, provided by the caller, serves model `asset`,
		/// which the caller owns or holds an unexpired download grant for.
		///
		/// Errors: `UnknownService`, `NotServiceProvider`, `UnknownAsset`, `NotAModel`,
		/// `NoGrant`, `NoActiveGrant`, `WrongScope`, `AlreadyDeployed`. Event: `ModelDeployed`
		/// (after `ModelUndeployed` when the service served another model).
		#[pallet::call_index(13)]
		pub fn deploy(origin: OriginFor<T>, asset: AssetId, service: ServiceId) -> DispatchResult {
			let provider = ensure_signed(origin)?;
			Self::do_deploy(asset, service, &provider)?; // grants.rs
			Self::deposit_event(Event::ModelDeployed { asset, service, provider });
			Ok(())
		}

		/// Unlink a service from its model: by its provider, or by anyone once the service is
		/// gone.
		///
		/// Errors: `NotDeployed`, `NotServiceProvider`. Event: `ModelUndeployed`.
		#[pallet::call_index(14)]
		pub fn undeploy(origin: OriginFor<T>, service: ServiceId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let asset = Deployments::<T>::get(service).ok_or(Error::<T>::NotDeployed)?;
			if let Some(provider) = T::Compute::provider_of(service) {
				ensure!(provider == who, Error::<T>::NotServiceProvider);
			}
			Self::end_deployment(service, asset);
			Ok(())
		}

		/// Take back the price of an encrypted download whose key the owner did not deliver
		/// within `KeyDeliveryPeriod` of the purchase; the grant ends and its deposit returns.
		///
		/// - Origin: signed, the buyer.
		///
		/// Errors: `NoGrant`, `NothingToReclaim`, `DeliveryNotDue`. Events: `PurchaseRefunded`.
		#[pallet::call_index(15)]
		pub fn reclaim_purchase(origin: OriginFor<T>, asset: AssetId) -> DispatchResult {
			let buyer = ensure_signed(origin)?;
			let now = frame_system::Pallet::<T>::block_number();
			Self::remove_record(asset, &buyer, |grant| match &grant.escrow {
				None => Err(Error::<T>::NothingToReclaim),
				Some(escrow) if now < escrow.refundable_from => Err(Error::<T>::DeliveryNotDue),
				Some(_) => Ok(()),
			})
		}

		/// Seal the asset's content key to the enclave key `signer` (its registered encryption
		/// key): the owner's consent that jobs of services signed by that enclave may read the
		/// asset for users entitled to it (compute-to-data). Replaces an earlier delivery to the
		/// same enclave; a new one holds `GrantDeposit` from the owner.
		///
		/// Errors: `UnknownAsset`, `NotOwner`, `NotEncrypted`, `SealedKeyTooShort`,
		/// `NotAnEnclave`, `NoEncryptionKey`, `TooManyEnclaves`, `CannotHoldDeposit`. Event:
		/// `EnclaveKeyDelivered`.
		#[pallet::call_index(16)]
		pub fn deliver_enclave_key(
			origin: OriginFor<T>,
			asset: AssetId,
			signer: T::AccountId,
			sealed: BoundedVec<u8, T::MaxSealedKeyLen>,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			let recipient = Self::do_deliver_enclave_key(asset, &owner, &signer, sealed)?; // compute.rs
			Self::deposit_event(Event::EnclaveKeyDelivered { asset, signer, recipient });
			Ok(())
		}

		/// Withdraw the asset's key from enclave `signer`: jobs attached from now on cannot read
		/// it there. Jobs that already ran, and a key the enclave already opened, are not
		/// taken back. The deposit is released.
		///
		/// Errors: `UnknownAsset`, `NotOwner`, `EnclaveNotAccepted`. Event: `EnclaveKeyRevoked`.
		#[pallet::call_index(17)]
		pub fn revoke_enclave_key(
			origin: OriginFor<T>,
			asset: AssetId,
			signer: T::AccountId,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_revoke_enclave_key(asset, &owner, &signer)?; // compute.rs
			Self::deposit_event(Event::EnclaveKeyRevoked { asset, signer });
			Ok(())
		}

		/// Name the assets open job `job` reads and its parameters in full, holding
		/// `JobInputsDeposit` until the user removes the record. The parameters' keccak-256 is
		/// the job's `params_hash`, so the provider runs what it agreed to. Each asset must be
		/// the user's, public, or granted to the user (either scope); an encrypted one must
		/// have its key sealed to the enclave of the job's service. The job's result is stored
		/// encrypted and its key sealed to the user once it is paid for, so the user needs a
		/// registered encryption key. Send it in one batch with `create_job`, so the executor
		/// never sees the job without its inputs.
		///
		/// Errors: `UnknownJob`, `NotJobUser`, `ParamsHashMismatch`, `InputsAlreadyAttached`,
		/// `NoEncryptionKey`, `UnknownAsset`, `NoGrant`, `NoActiveGrant`, `EnclaveNotAccepted`,
		/// `CannotHoldDeposit`. Event: `JobInputsAttached`.
		#[pallet::call_index(18)]
		pub fn attach_job_inputs(
			origin: OriginFor<T>,
			job: JobId,
			assets: BoundedVec<AssetId, T::MaxJobAssets>,
			params: BoundedVec<u8, T::MaxJobParamsLen>,
		) -> DispatchResult {
			let user = ensure_signed(origin)?;
			Self::do_attach_job_inputs(job, &user, assets.clone(), params)?; // compute.rs
			Self::deposit_event(Event::JobInputsAttached { job, user, assets });
			Ok(())
		}

		/// As the job's user, remove the record of a job that is over (paid for, refunded,
		/// expired or declined), with its result's key: read the key first. The deposit comes
		/// back.
		///
		/// Errors: `NoJobInputs`, `NotJobUser`, `JobStillOpen`. Event: `JobInputsRemoved`.
		#[pallet::call_index(19)]
		pub fn remove_job_inputs(origin: OriginFor<T>, job: JobId) -> DispatchResult {
			let user = ensure_signed(origin)?;
			Self::do_remove_job_inputs(job, &user)?; // compute.rs
			Self::deposit_event(Event::JobInputsRemoved { job });
			Ok(())
		}

		/// As the job's provider, deliver the content key of the job's encrypted result, sealed
		/// to the user's registered encryption key, once the user paid for the result (accepted
		/// it, or its review or dispute ended with the provider paid).
		///
		/// Errors: `NoJobInputs`, `NotJobProvider`, `ResultNotPaid`,
		/// `ResultKeyAlreadyDelivered`, `SealedKeyTooShort`, `NoEncryptionKey`. Event:
		/// `ResultKeyDelivered`.
		#[pallet::call_index(20)]
		pub fn deliver_result_key(
			origin: OriginFor<T>,
			job: JobId,
			sealed: BoundedVec<u8, T::MaxSealedKeyLen>,
		) -> DispatchResult {
			let provider = ensure_signed(origin)?;
			let (user, recipient) = Self::do_deliver_result_key(job, &provider, sealed)?; // compute.rs
			Self::deposit_event(Event::ResultKeyDelivered { job, user, recipient });
			Ok(())
		}
	}
}

/// Whether `text` is non-empty UTF-8 without control characters.
fn is_text(text: &[u8]) -> bool {
	core::str::from_utf8(text)
		.is_ok_and(|text| !text.is_empty() && !text.chars().any(char::is_control))
}

/// Whether `license` reads as an SPDX license identifier or expression (`MIT`,
/// `Apache-2.0 OR MIT`, `LicenseRef-custom`, `(GPL-2.0+ WITH Classpath-exception-2.0)`): letters,
/// digits, `.`, `-`, `+`, `:`, spaces and parentheses, starting with a letter, digit or `(`.
fn is_spdx_expression(license: &[u8]) -> bool {
	let allowed = |byte: &u8| byte.is_ascii_alphanumeric() || b".-+: ()".contains(byte);
	matches!(license.first(), Some(first) if first.is_ascii_alphanumeric() || *first == b'(')
		&& license.iter().all(allowed)
}
