//! # DA attestations pallet
//!
//! The on-chain half of ZeroG's data availability layer: a blob's commitment is registered with a
//! fee, a stake-weighted quorum of signers attests that it holds the blob's shards, and the blob
//! is *certified* once members holding at least 2/3 of the quorum's stake have attested.
//!
//! ## Overview
//!
//! - **Blobs** ([`Call::submit_blob`]): anyone registers the [`BlobCommitment`] of an
//!   erasure-coded blob (see `zerog_primitives::da`) under a namespace (the rollup or app id) and
//!   pays a fee of `BlobBaseFee + BlobByteFee × size_bytes`, put on hold on the submitter. The blob
//!   is assigned to one of the current epoch's quorums (a hash of the epoch's seed and the
//!   commitment, [`Pallet::quorum_for`]) and must be certified within
//!   [`Config::AttestationWindow`] blocks.
//! - **Signers** ([`Call::register_signer`], [`Call::update_signer`],
//!   [`Call::unregister_signer`], [`Call::withdraw_unbonded`]): an account registers with a stake
//!   (held), its DA key and the endpoint where blob publishers push shards. Unregistering starts
//!   an unbonding period of [`Config::UnbondingPeriod`] blocks during which the stake stays held.
//! - **Epochs** (`on_initialize`): every [`Config::EpochLength`] blocks up to
//!   [`Config::MaxQuorums`] quorums of up to [`Config::MaxQuorumSize`] active signers are drawn,
//!   weighted by stake, and each member is assigned a contiguous range of shard indices
//!   ([`Pallet::assigned_shards`], [`Pallet::shard_holders`]). Quorums certify in parallel.
//! - **Attestations** ([`Call::attest`]): a quorum member attests to a batch of blobs of its
//!   epoch. Reaching the threshold certifies the blob ([`Event::BlobCertified`]), records the
//!   block ([`Pallet::certification`]) and pays the fee to the attesters.
//! - **Expiry** (`on_initialize`): a blob not certified within the window expires
//!   ([`Event::BlobExpired`]); [`Config::ExpiryRefund`] of its fee goes back to the submitter and
//!   the rest to [`Config::ExpiredFeeDestination`].
//! - **Retention** (`on_initialize`, [`Call::set_retention_period`]): a certified blob is kept
//!   [`RetentionPeriod`] blocks after its window ends, then leaves state
//!   ([`Event::BlobRetired`]) and nodes prune its shards.
//! - **Custody** (`on_initialize`, [`Call::answer_custody`], [`custody`]): every
//!   [`Config::CustodyPeriod`] blocks the attesters of one retained certified blob are each
//!   challenged for a 1 KiB chunk of their own shards; an answer is checked against the
//!   commitment (`verify_chunk`), a miss costs [`Config::CustodySlash`] of the stake
//!   ([`Event::CustodyMissed`]), and a signer cannot withdraw before the blobs it attested retire
//!   ([`CustodyUntil`]).
//! - **Off-chain worker** ([`offchain`]): for every DA key (key type [`KEY_TYPE`]) in the local
//!   keystore that belongs to a registered signer, answers its custody challenge
//!   (`da_getChunk`), fetches the signer's assigned shards of pending blobs from the local node
//!   (`da_getShard`, see the crate README), checks them with `verify_shard` and sends one signed
//!   `attest` per block.
//! - **Queries**: [`Pallet::certification`] and the [`runtime_api::DaAttestationsApi`].
//!
//! ## Terminology
//!
//! - *Epoch*: `EpochLength` blocks with fixed quorums. Epoch 1 starts at the first block the
//!   pallet runs; epoch 0 is "no epoch yet" and has no quorum.
//! - *Quorum*: members drawn for an epoch, each with the stake it had when drawn (a snapshot:
//!   later stake changes count from the next epoch), and the threshold, `ceil(2/3 × total
//!   stake)`. An epoch has `drawn / MinQuorumMembers` of them (at least one, at most
//!   `MaxQuorums`), with balanced stakes.
//! - *Threshold*: the attested stake at which a blob is certified.
//!
//! ## Design decisions
//!
//! - **The signer account is its DA key's account.** `register_signer` requires the DA key
//!   (sr25519, key type `zgda`) to be the caller's own account key, so the off-chain worker signs
//!   `attest` with the DA key directly and the chain needs no key-to-signer mapping. Keep a little
//!   free balance on the signer account for transaction fees.
//! - **Quorum randomness.** The draw is seeded with `blake2_256("zgda/quorum" ++ r ++ epoch)`,
//!   where `r` is [`Config::Randomness`]' seed: deterministic, so every node draws the same
//!   quorum, and in the runtime a VRF output the block author reveals and cannot choose
//!   (`pallet-vrf-randomness`), so no author can steer the draw (see [`quorum`]).
//! - **Stake-weighted shards.** Member `i` gets the shard indices `[⌊S_i·N/S⌋, ⌊S_{i+1}·N/S⌋)`
//!   where `S_i` is the stake of the members before it, `S` the quorum's stake and `N = k + m`:
//!   every shard is held by someone, and the attesters of a certified blob (≥ 2/3 of the stake)
//!   hold about 2/3 of the shards. A member whose range would be empty gets the one shard at its
//!   position, so every member checks something.
//! - **Fee payout.** On certification the whole fee goes to the members that attested up to and
//!   including the certifying attestation, pro rata to their quorum stake (rounded down; the
//!   rounding dust goes to the first attester). Later attestations are refused
//!   (`AlreadyCertified`).
//! - **Batches.** Each blob of an `attest` batch is checked on its own and reported in
//!   [`Event::BlobsAttested`]; a batch in which no blob could be attested fails with the error of
//!   its first blob, so a single attestation behaves like a plain call.
//! - **A blob is its commitment.** Blobs are indexed by root *and* shape (size and coding,
//!   [`BlobIds`]): the chain cannot check that a root commits to the stated shape, so keying by
//!   root alone let a front-runner register someone's root with a wrong size (whose shards can
//!   never verify) and block the real blob until it expired. Now that squat is a separate blob
//!   that expires uncertified at its submitter's cost, and submitting someone's exact commitment
//!   first only pays for their blob. Lookups by root alone ([`Pallet::blob_by_root`]) prefer the
//!   certified blob and read at most [`MAX_ROOT_CANDIDATES`]; tools use the commitment.
//! - **Expired vs unknown.** Blob ids are sequential and a blob is only removed when it expires
//!   or retires, so an id below [`NextBlobId`] that is not stored is reported as expired. An
//!   expired or retired commitment may be submitted again.
//! - **Retention.** A certified blob leaves the expiry queue at the end of its window for the
//!   retention queue of `RetentionPeriod` blocks later (the same bound per block). Its quorum is
//!   kept while any of its certified blobs is retained (`Quorum::blobs_kept`), so readers can
//!   find the members that hold its shards. The fee, paid once at certification, covers the
//!   retention; `set_retention_period` is Root's.
//! - **Bounds.** Active signers ([`Config::MaxSigners`], the draw reads them all), quorum size,
//!   blobs expiring per block ([`Config::MaxBlobsPerBlock`], which bounds the expiry work of
//!   `on_initialize`; a block takes up to [`EXPIRY_SLOTS`] times as many submissions, the later
//!   ones with shorter windows) and blobs per `attest` batch ([`Config::MaxAttestationBatch`]).
//! - **Quorum lifetime.** `AttestationWindow <= EpochLength` (checked by `integrity_test`), so
//!   every blob of epoch `e` is resolved before epoch `e + 2` starts, which is when the quorums of
//!   `e` that keep no certified blob are removed; `UnbondingPeriod >= 2 × EpochLength` keeps a
//!   leaving member's stake held while any quorum it attests for is alive.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod attestations;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod blobs;
pub mod crypto;
mod custody;
mod epochs;
mod expiry;
#[cfg(any(feature = "try-runtime", test))]
mod invariants;
#[cfg(test)]
mod mock;
pub mod offchain;
pub mod quorum;
pub mod runtime_api;
mod signers;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

pub use blobs::EXPIRY_SLOTS;
pub use crypto::KEY_TYPE;
pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;
pub use zerog_primitives::da::BlobCommitment;

use polkadot_sdk::{
	frame_support::{self, traits::fungible},
	frame_system::{self, offchain::CreateSignedTransaction},
	sp_core::{sr25519, H256},
	sp_runtime::{
		traits::{Saturating, Zero},
		Perbill,
	},
};

/// Log target of this pallet.
pub const LOG_TARGET: &str = "runtime::da-attestations";

/// Balance type of the pallet's currency.
pub type BalanceOf<T> =
	<<T as Config>::Currency as fungible::Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// Withheld fees of expired blobs on their way to [`Config::ExpiredFeeDestination`].
pub type CreditOf<T> =
	fungible::Credit<<T as frame_system::Config>::AccountId, <T as Config>::Currency>;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{pallet_prelude::*, traits::OnUnbalanced};
	use frame_system::pallet_prelude::*;

	#[pallet::config]
	pub trait Config:
		polkadot_sdk::frame_system::Config<
			RuntimeEvent: From<Event<Self>>,
			AccountId: From<sr25519::Public>,
		> + CreateSignedTransaction<Call<Self>>
	{
		/// The native token. Blob fees and signer stakes are holds on it.
		type Currency: fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ fungible::BalancedHold<Self::AccountId>
			+ fungible::Mutate<Self::AccountId>;

		/// The overarching hold reason, which includes this pallet's [`HoldReason`].
		type RuntimeHoldReason: From<HoldReason>;

		/// The crypto the off-chain worker signs `attest` with: [`crypto::DaAuthId`] (sr25519
		/// keys of type [`KEY_TYPE`]).
		type AuthorityId: frame_system::offchain::AppCrypto<Self::Public, Self::Signature>;

		/// Receives the part of an expired blob's fee that is not refunded. `()` burns it.
		type ExpiredFeeDestination: OnUnbalanced<CreditOf<Self>>;

		/// Fee of every blob, in the smallest unit (10^-18 ZG), on top of the size-based part.
		#[pallet::constant]
		type BlobBaseFee: Get<BalanceOf<Self>>;

		/// Fee per byte of a blob before erasure coding, in the smallest unit (10^-18 ZG).
		#[pallet::constant]
		type BlobByteFee: Get<BalanceOf<Self>>;

		/// Share of an expired blob's fee returned to its submitter; the rest goes to
		/// `ExpiredFeeDestination`, so spamming blobs nobody certifies still costs something.
		#[pallet::constant]
		type ExpiryRefund: Get<Perbill>;

		/// Largest blob accepted, in bytes; at most `zerog_primitives::da::MAX_BLOB_SIZE`
		/// (32 MiB).
		#[pallet::constant]
		type MaxBlobBytes: Get<u32>;

		/// Smallest stake of a signer, in the smallest unit. Must be above zero: the draw weighs
		/// signers by stake.
		#[pallet::constant]
		type MinSignerStake: Get<BalanceOf<Self>>;

		/// Blocks per epoch: how often a new quorum is drawn.
		#[pallet::constant]
		type EpochLength: Get<BlockNumberFor<Self>>;

		/// Blocks a blob has, from its submission, to be certified before it expires. At most
		/// `EpochLength`.
		#[pallet::constant]
		type AttestationWindow: Get<BlockNumberFor<Self>>;

		/// Blocks between `unregister_signer` and the block the stake can be withdrawn. At least
		/// twice `EpochLength`, so the stake backs every quorum the signer still sits in.
		#[pallet::constant]
		type UnbondingPeriod: Get<BlockNumberFor<Self>>;

		/// Most members of one quorum.
		#[pallet::constant]
		type MaxQuorumSize: Get<u32>;

		/// Most quorums of one epoch. Each certifies its own blobs, so this many quorums
		/// certify this many times the bytes of one (see [`quorum`]).
		#[pallet::constant]
		type MaxQuorums: Get<u32>;

		/// Fewest members a quorum is formed with when several are: an epoch forms
		/// `drawn signers / MinQuorumMembers` quorums (at least one, at most `MaxQuorums`). At
		/// most `MaxQuorumSize`. Larger quorums are harder to capture; more quorums certify more.
		#[pallet::constant]
		type MinQuorumMembers: Get<u32>;

		/// Blocks a certified blob is kept after its attestation window ends, until Root sets
		/// [`RetentionPeriod`]: then it leaves state and nodes prune its shards.
		#[pallet::constant]
		type DefaultRetentionPeriod: Get<BlockNumberFor<Self>>;

		/// Most active (not unbonding) signers; the quorum draw in `on_initialize` reads all of
		/// them.
		#[pallet::constant]
		type MaxSigners: Get<u32>;

		/// Most blobs submitted in one block, which is also the most that expire in one block.
		#[pallet::constant]
		type MaxBlobsPerBlock: Get<u32>;

		/// Most blobs in one `attest` batch.
		#[pallet::constant]
		type MaxAttestationBatch: Get<u32>;

		/// Longest signer endpoint, in bytes.
		#[pallet::constant]
		type MaxEndpointLen: Get<u32>;

		/// Blocks between custody rounds: each round settles the last one and challenges the
		/// attesters of one retained certified blob (see [`custody`]).
		#[pallet::constant]
		type CustodyPeriod: Get<BlockNumberFor<Self>>;

		/// Blocks a challenged attester has to answer (`answer_custody`); below `CustodyPeriod`,
		/// so a round is settled before the next is drawn.
		#[pallet::constant]
		type CustodyWindow: Get<BlockNumberFor<Self>>;

		/// Share of its stake an attester loses for a custody challenge it did not answer.
		#[pallet::constant]
		type CustodySlash: Get<Perbill>;

		/// Recently certified blobs the custody draw picks from (a ring: the oldest is replaced).
		#[pallet::constant]
		type MaxCustodyCandidates: Get<u32>;

		/// The randomness challenges and draws are seeded with: the runtime's VRF randomness
		/// (`pallet-vrf-randomness`), which no block author can grind.
		type Randomness: frame_support::traits::Randomness<Self::Hash, BlockNumberFor<Self>>;

		/// Weight information for the calls and hooks of this pallet.
		type WeightInfo: WeightInfo;
	}

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::extra_constants]
	impl<T: Config> Pallet<T> {
		/// How many blocks' expiry queues the blobs submitted in one block may go to, so a
		/// block takes up to `MaxBlobsPerBlock × ExpirySlots` blobs (see [`EXPIRY_SLOTS`]).
		#[pallet::constant_name(ExpirySlots)]
		fn expiry_slots() -> u32 {
			EXPIRY_SLOTS
		}
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The fee of a blob that is neither certified nor expired yet, held on its submitter.
		#[codec(index = 0)]
		BlobFee,
		/// A signer's stake, including while it unbonds.
		#[codec(index = 1)]
		SignerStake,
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A blob commitment was registered and its fee put on hold; it must be certified by
		/// the quorum of `epoch` before block `expires_at`.
		BlobSubmitted {
			id: BlobId,
			root: H256,
			submitter: T::AccountId,
			namespace: NamespaceId,
			size_bytes: u32,
			fee: BalanceOf<T>,
			epoch: EpochIndex,
			quorum: QuorumIndex,
			expires_at: BlockNumberFor<T>,
		},
		/// A quorum member attested to a batch of blobs; `outcomes[i]` is the outcome for blob
		/// `i` of the batch, `attested` how many were recorded.
		BlobsAttested {
			signer: T::AccountId,
			attested: u32,
			outcomes: BoundedVec<AttestOutcome, T::MaxAttestationBatch>,
		},
		/// Members holding at least 2/3 of the quorum's stake attested to a blob: it is
		/// available, and its fee was paid to the `attesters` members that attested.
		BlobCertified {
			id: BlobId,
			root: H256,
			at: BlockNumberFor<T>,
			attested_stake: BalanceOf<T>,
			attesters: u32,
			fee_paid: BalanceOf<T>,
		},
		/// A blob was not certified within the attestation window: `refunded` of its fee went
		/// back to the submitter, `withheld` to `ExpiredFeeDestination`.
		BlobExpired {
			id: BlobId,
			root: H256,
			submitter: T::AccountId,
			refunded: BalanceOf<T>,
			withheld: BalanceOf<T>,
		},
		/// An account registered as a signer and its stake was put on hold; it can be drawn
		/// from the next epoch on.
		SignerRegistered { signer: T::AccountId, stake: BalanceOf<T>, da_key: sr25519::Public },
		/// A signer raised its stake or changed its endpoint; the stake counts from the next
		/// epoch's draw.
		SignerUpdated { signer: T::AccountId, stake: BalanceOf<T> },
		/// A signer left the registry; its stake stays held until `unlocks_at`.
		SignerUnregistered { signer: T::AccountId, unlocks_at: BlockNumberFor<T> },
		/// An unbonded signer's stake was released and its registration removed.
		StakeWithdrawn { signer: T::AccountId, stake: BalanceOf<T> },
		/// A new epoch started with freshly drawn quorums.
		EpochStarted { epoch: EpochIndex, quorums: u32, members: u32, total_stake: BalanceOf<T> },
		/// A quorum of the new epoch was formed.
		QuorumFormed {
			epoch: EpochIndex,
			quorum: QuorumIndex,
			members: u32,
			total_stake: BalanceOf<T>,
			threshold: BalanceOf<T>,
		},
		/// A certified blob's retention ended: it left state and nodes prune its shards.
		BlobRetired { id: BlobId, root: H256 },
		/// Root set how long certified blobs are kept; it applies to blobs whose attestation
		/// window ends from now on.
		RetentionPeriodSet { blocks: BlockNumberFor<T> },
		/// An attester of a certified blob must prove it holds chunk `chunk` of shard `shard` by
		/// block `deadline` (`answer_custody`).
		CustodyChallenged {
			signer: T::AccountId,
			blob: BlobId,
			shard: u16,
			chunk: u32,
			deadline: BlockNumberFor<T>,
		},
		/// A challenged attester proved it holds the chunk.
		CustodyProven { signer: T::AccountId, blob: BlobId },
		/// A challenged attester did not answer in time and lost `slashed` of its stake.
		CustodyMissed { signer: T::AccountId, blob: BlobId, slashed: BalanceOf<T> },
	}

	/// Errors are only ever appended: their index is part of the metadata clients decode.
	#[pallet::error]
	pub enum Error<T> {
		/// The blob is larger than `MaxBlobBytes`. Split it into several blobs.
		BlobTooLarge,
		/// The blob is empty (`size_bytes` is zero). There is nothing to make available.
		EmptyBlob,
		/// The coding parameters are not accepted by `zerog_primitives::da::check_coding_params`
		/// (no data or parity shard, too many shards, or too many parity shards per data shard).
		/// Encode with the default coding.
		InvalidCoding,
		/// A blob with this root is already pending or certified. Query its certification
		/// instead of submitting it again.
		BlobAlreadySubmitted,
		/// The current epoch has no quorum: no DA signer was active when it was drawn, so no blob
		/// could be certified. Waiting does not help while no signer is registered: register one
		/// (`register_signer`, from the account of a `zgda` key a node holds; `--dev` and `local`
		/// chains have them from genesis), then submit once the next epoch has started.
		NoQuorum,
		/// The expiry queues of the last [`EXPIRY_SLOTS`] blocks of this block's window
		/// are full (`MaxBlobsPerBlock` each). Submit in the next block.
		TooManyBlobsInBlock,
		/// The free balance cannot cover the amount to put on hold (fee or stake) while keeping
		/// the account alive.
		InsufficientFreeBalance,
		/// The stake is below `MinSignerStake`. Offer at least that much.
		StakeBelowMinimum,
		/// The account is already registered as a signer (possibly unbonding). Use
		/// `update_signer`, or wait for the unbonding to end and withdraw first.
		AlreadyRegistered,
		/// The DA key is not the caller's account key. Register from the account of the DA key
		/// the node holds (key type `zgda`).
		DaKeyNotSignerAccount,
		/// The endpoint is empty.
		EmptyEndpoint,
		/// `MaxSigners` signers are already active. Wait for one to leave.
		TooManySigners,
		/// The account is not a registered signer.
		NotRegistered,
		/// The new stake is below the current one. To lower a stake, unregister, withdraw after
		/// the unbonding period and register again.
		StakeBelowCurrent,
		/// The signer is unbonding and can no longer be updated or unregistered.
		SignerUnbonding,
		/// The signer is not unbonding. Call `unregister_signer` first.
		NotUnbonding,
		/// The unbonding period has not ended yet.
		UnbondingNotFinished,
		/// The batch holds no blob ids.
		EmptyBatch,
		/// No blob has this id. Ids come from `BlobSubmitted`.
		UnknownBlob,
		/// The blob's attestation window has ended; it expired (or is expiring) uncertified.
		BlobExpired,
		/// The caller is not a member of the quorum of the blob's epoch.
		NotQuorumMember,
		/// The caller already attested to this blob.
		AlreadyAttested,
		/// The blob is already certified; later attestations earn nothing and are refused.
		AlreadyCertified,
		/// An id or counter reached its maximum value.
		CounterOverflow,
		/// A retention period must be at least one block.
		InvalidRetentionPeriod,
		/// The caller has no open custody challenge (it was answered, settled, or never drawn).
		NoCustodyChallenge,
		/// The answer is for another blob, shard or chunk than the caller's challenge.
		CustodyChallengeMismatch,
		/// The challenge's deadline has passed; it is settled as missed at the next round.
		CustodyDeadlinePassed,
		/// The chunk and its proof do not verify against the blob's commitment.
		InvalidCustodyProof,
		/// The signer attested blobs that are still retained and must stay answerable for them:
		/// its stake unlocks once the last of them retires (`CustodyUntil`).
		CustodyObligationPending,
	}

	/// Blobs that are pending or certified, by id. A blob is removed when it expires uncertified
	/// or when its retention ends.
	// Twox64Concat: ids are sequential and assigned by the pallet, not chosen by callers.
	#[pallet::storage]
	pub type Blobs<T: Config> = StorageMap<_, Twox64Concat, BlobId, BlobInfo<T>>;

	/// The id of the blob with each commitment, by root and then [`BlobShape`]: a blob is its
	/// whole commitment, so a root submitted with another size or coding (which can never
	/// verify) does not block the real one.
	// Blake2_128Concat: roots and shapes are chosen by callers.
	#[pallet::storage]
	pub type BlobIds<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, H256, Blake2_128Concat, BlobShape, BlobId>;

	/// Id the next submitted blob gets.
	#[pallet::storage]
	pub type NextBlobId<T: Config> = StorageValue<_, BlobId, ValueQuery>;

	/// Blobs by the block their attestation window ends in; `on_initialize` of that block
	/// expires those still pending. Also the list of pending blobs the off-chain worker reads.
	// Twox64Concat: block numbers are not a useful attack on the trie.
	#[pallet::storage]
	pub type ExpiryQueue<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		BoundedVec<BlobId, T::MaxBlobsPerBlock>,
		ValueQuery,
	>;

	/// Registered signers, active or unbonding.
	// Blake2_128Concat: account ids are chosen by callers.
	#[pallet::storage]
	pub type Signers<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, SignerInfo<T>>;

	/// The active signers and their stakes, in registration order: the candidates of the next
	/// quorum draw, kept in one value so the draw reads a single item.
	#[pallet::storage]
	pub type ActiveSigners<T: Config> =
		StorageValue<_, BoundedVec<(T::AccountId, BalanceOf<T>), T::MaxSigners>, ValueQuery>;

	/// The current epoch; 0 until the first block the pallet runs.
	#[pallet::storage]
	pub type CurrentEpoch<T: Config> = StorageValue<_, EpochIndex, ValueQuery>;

	/// The block the next epoch starts at (0: the next block starts epoch 1).
	#[pallet::storage]
	pub type NextEpochStart<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	/// The quorums of the current and the previous epoch (blobs of the previous epoch may still
	/// be in their attestation window), by epoch and index.
	// Twox64Concat: epoch and quorum indices are assigned by the pallet.
	#[pallet::storage]
	pub type Quorums<T: Config> =
		StorageDoubleMap<_, Twox64Concat, EpochIndex, Twox64Concat, QuorumIndex, Quorum<T>>;

	/// Seed and quorum count of the current and the previous epoch.
	// Twox64Concat: epoch indices are assigned by the pallet.
	#[pallet::storage]
	pub type Epochs<T: Config> = StorageMap<_, Twox64Concat, EpochIndex, EpochInfo>;

	/// Certified blobs by the block their retention ends in; `on_initialize` of that block
	/// removes them. Filled from the expiry queue, so it is bounded the same way.
	// Twox64Concat: block numbers are not a useful attack on the trie.
	#[pallet::storage]
	pub type RetentionQueue<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		BoundedVec<BlobId, T::MaxBlobsPerBlock>,
		ValueQuery,
	>;

	/// Blocks a certified blob is kept after its attestation window ends.
	#[pallet::storage]
	pub type RetentionPeriod<T: Config> =
		StorageValue<_, BlockNumberFor<T>, ValueQuery, T::DefaultRetentionPeriod>;

	/// Recently certified blobs the custody draw picks from: a ring of at most
	/// `MaxCustodyCandidates` ids, [`CustodyCursor`] being the next slot to overwrite once full.
	#[pallet::storage]
	pub type CustodyCandidates<T: Config> =
		StorageValue<_, BoundedVec<BlobId, T::MaxCustodyCandidates>, ValueQuery>;

	/// The slot of [`CustodyCandidates`] the next certified blob replaces once the ring is full.
	#[pallet::storage]
	pub type CustodyCursor<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// Each attester's open custody challenge; at most one per signer.
	#[pallet::storage]
	pub type CustodyChallenges<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, CustodyChallenge<BlockNumberFor<T>>>;

	/// The signers challenged in the current custody round, settled at the next one.
	#[pallet::storage]
	pub type OpenCustody<T: Config> =
		StorageValue<_, BoundedVec<T::AccountId, T::MaxQuorumSize>, ValueQuery>;

	/// The block until which a signer stays liable for the blobs it attested (the latest
	/// retention end among them); `withdraw_unbonded` waits for it.
	#[pallet::storage]
	pub type CustodyUntil<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, BlockNumberFor<T>, ValueQuery>;

	/// DA signers registered at genesis, so a development or local chain certifies blobs from
	/// its first epoch (drawn in block 1 from the active signers): each `(account, stake,
	/// endpoint)` is registered as by `register_signer`, with the account's own sr25519 key as
	/// its DA key (its `zgda` key) and its stake put on hold.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// `(signer, stake, endpoint)`.
		pub signers: alloc::vec::Vec<(T::AccountId, BalanceOf<T>, alloc::vec::Vec<u8>)>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			for (signer, stake, endpoint) in &self.signers {
				let da_key = sr25519::Public::decode(&mut &signer.encode()[..])
					.expect("a genesis signer's account is an sr25519 public key");
				let endpoint = BoundedVec::try_from(endpoint.clone())
					.expect("a genesis signer's endpoint fits MaxEndpointLen");
				Pallet::<T>::add_signer(signer, *stake, da_key, endpoint)
					.expect("a genesis signer registers: enough balance, distinct, within bounds");
			}
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Retires the certified blobs whose retention ends at `now` and expires the blobs whose
		/// window ends at `now` (at most `MaxBlobsPerBlock` each), then starts a new epoch if
		/// one is due (a draw over at most `MaxSigners` candidates).
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			let retired = Self::retire_due(now); // expiry.rs
			let expiry = Self::expire_due(now); // expiry.rs
			let epoch = Self::maybe_start_epoch(now); // epochs.rs
			let custody = Self::run_custody(now); // custody.rs
			retired.saturating_add(expiry).saturating_add(epoch).saturating_add(custody)
		}

		/// Attests to the pending blobs whose shards this node's DA keys verifiably hold (see
		/// [`offchain`]).
		fn offchain_worker(now: BlockNumberFor<T>) {
			Self::run_offchain_worker(now); // offchain.rs
		}

		fn integrity_test() {
			assert!(
				!T::MinSignerStake::get().is_zero(),
				"MinSignerStake must be above zero: the quorum draw weighs signers by stake"
			);
			assert!(!T::EpochLength::get().is_zero(), "EpochLength must be at least one block");
			assert!(
				!T::AttestationWindow::get().is_zero(),
				"AttestationWindow must leave signers at least one block to attest"
			);
			assert!(
				T::AttestationWindow::get() <= T::EpochLength::get(),
				"AttestationWindow must not exceed EpochLength: a quorum lives for two epochs"
			);
			assert!(
				T::CustodyWindow::get()
					> BlockNumberFor::<T>::from(offchain::RESEND_AFTER_BLOCKS.saturating_add(1)),
				"CustodyWindow must exceed RESEND_AFTER_BLOCKS + 1: a custody answer the worker \
				 sends again after RESEND_AFTER_BLOCKS blocks must still land before the deadline"
			);
			assert!(
				T::UnbondingPeriod::get() >= T::EpochLength::get().saturating_mul(2u32.into()),
				"UnbondingPeriod must cover the two epochs a quorum lives"
			);
			assert!(
				T::MaxBlobBytes::get() > 0
					&& T::MaxBlobBytes::get() <= zerog_primitives::da::MAX_BLOB_SIZE,
				"MaxBlobBytes must be in 1..=MAX_BLOB_SIZE"
			);
			assert!(T::MaxQuorumSize::get() > 0, "a quorum must hold a member");
			assert!(T::MaxQuorums::get() > 0, "an epoch must be able to form a quorum");
			assert!(
				(1..=T::MaxQuorumSize::get()).contains(&T::MinQuorumMembers::get()),
				"MinQuorumMembers must be in 1..=MaxQuorumSize"
			);
			assert!(
				!T::DefaultRetentionPeriod::get().is_zero(),
				"DefaultRetentionPeriod must keep a certified blob at least a block"
			);
			assert!(T::MaxSigners::get() > 0, "a signer must be able to register");
			assert!(T::MaxBlobsPerBlock::get() > 0, "a block must take a blob");
			assert!(T::MaxAttestationBatch::get() > 0, "a batch must hold a blob");
			assert!(T::MaxEndpointLen::get() > 0, "MaxEndpointLen must allow an endpoint");
			assert!(
				!T::CustodyWindow::get().is_zero()
					&& T::CustodyWindow::get() < T::CustodyPeriod::get(),
				"CustodyWindow must be at least a block and below CustodyPeriod: a round is \
				 settled before the next is drawn"
			);
			assert!(T::MaxCustodyCandidates::get() > 0, "the custody draw needs a candidate");
			let max_block = T::BlockWeights::get().max_block;
			let max_batch = T::WeightInfo::attest(T::MaxAttestationBatch::get());
			assert!(max_batch.all_lte(max_block), "attest(MaxAttestationBatch) must fit a block");
			// on_initialize runs before every transaction and cannot be skipped: a full expiry
			// queue and a draw over all signers must leave most of the block to transactions.
			let max_hook = T::WeightInfo::expire_blobs(T::MaxBlobsPerBlock::get())
				.saturating_add(T::WeightInfo::retire_blobs(T::MaxBlobsPerBlock::get()))
				.saturating_add(T::WeightInfo::start_epoch(T::MaxSigners::get()))
				.saturating_add(T::WeightInfo::custody_round(T::MaxQuorumSize::get()));
			assert!(
				max_hook.all_lte(Perbill::from_percent(25) * max_block),
				"on_initialize with full expiry and retention queues and a draw must stay below a \
				 quarter block"
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
		/// Register a blob commitment for certification and put its fee on hold.
		///
		/// - Origin: signed, the submitter, who pays
		///   `BlobBaseFee + BlobByteFee × commitment.size_bytes`.
		/// - `commitment`: from `zerog_primitives::da::encode_blob`; its root must be new.
		/// - `namespace`: the rollup or application the blob belongs to (not interpreted).
		///
		/// The blob is assigned to the current epoch's quorum and expires `AttestationWindow`
		/// blocks from now unless certified (a few blocks sooner when more than
		/// `MaxBlobsPerBlock` blobs were submitted in the same block, see
		/// [`EXPIRY_SLOTS`]). The chain cannot see the blob's bytes: the quorum
		/// checks the shards off chain.
		///
		/// Errors: `BlobTooLarge`, `EmptyBlob`, `InvalidCoding`, `BlobAlreadySubmitted`,
		/// `NoQuorum`, `TooManyBlobsInBlock`, `InsufficientFreeBalance`, `CounterOverflow`.
		/// Event: `BlobSubmitted`.
		#[pallet::call_index(0)]
		pub fn submit_blob(
			origin: OriginFor<T>,
			commitment: BlobCommitment,
			namespace: NamespaceId,
		) -> DispatchResult {
			let submitter = ensure_signed(origin)?;
			let blob = Self::add_blob(&submitter, commitment, namespace)?; // blobs.rs
			Self::deposit_event(Event::BlobSubmitted {
				id: blob.id,
				root: commitment.root,
				submitter,
				namespace,
				size_bytes: commitment.size_bytes,
				fee: blob.fee,
				epoch: blob.epoch,
				quorum: blob.quorum,
				expires_at: blob.expires_at,
			});
			Ok(())
		}

		/// Register the caller as a DA signer and put its stake on hold.
		///
		/// - Origin: signed, the signer; must be the account of `da_key`.
		/// - `stake`: at least `MinSignerStake`, held under [`HoldReason::SignerStake`].
		/// - `da_key`: the sr25519 public key (key type `zgda`) the signer's node attests with.
		/// - `endpoint`: where publishers push shards to the signer (a URL by convention).
		///
		/// The signer takes part in quorum draws from the next epoch on.
		///
		/// Errors: `AlreadyRegistered`, `DaKeyNotSignerAccount`, `EmptyEndpoint`,
		/// `StakeBelowMinimum`, `TooManySigners`, `InsufficientFreeBalance`.
		/// Event: `SignerRegistered`.
		#[pallet::call_index(1)]
		pub fn register_signer(
			origin: OriginFor<T>,
			stake: BalanceOf<T>,
			da_key: sr25519::Public,
			endpoint: BoundedVec<u8, T::MaxEndpointLen>,
		) -> DispatchResult {
			let signer = ensure_signed(origin)?;
			Self::add_signer(&signer, stake, da_key, endpoint)?; // signers.rs
			Self::deposit_event(Event::SignerRegistered { signer, stake, da_key });
			Ok(())
		}

		/// Raise an active signer's stake and set its endpoint.
		///
		/// - Origin: signed, an active signer.
		/// - `stake`: the new total stake, at least the current one; the difference is held.
		///
		/// The new stake counts from the next epoch's draw; the current quorum keeps its
		/// snapshot.
		///
		/// Errors: `NotRegistered`, `SignerUnbonding`, `EmptyEndpoint`, `StakeBelowCurrent`,
		/// `InsufficientFreeBalance`. Event: `SignerUpdated`.
		#[pallet::call_index(2)]
		pub fn update_signer(
			origin: OriginFor<T>,
			stake: BalanceOf<T>,
			endpoint: BoundedVec<u8, T::MaxEndpointLen>,
		) -> DispatchResult {
			let signer = ensure_signed(origin)?;
			Self::change_signer(&signer, stake, endpoint)?; // signers.rs
			Self::deposit_event(Event::SignerUpdated { signer, stake });
			Ok(())
		}

		/// Leave the signer registry; the stake stays held for `UnbondingPeriod` blocks.
		///
		/// - Origin: signed, an active signer.
		///
		/// The signer is not drawn again, but stays a member of the quorums it was drawn into
		/// and may still attest for them.
		///
		/// Errors: `NotRegistered`, `SignerUnbonding`. Event: `SignerUnregistered`.
		#[pallet::call_index(3)]
		pub fn unregister_signer(origin: OriginFor<T>) -> DispatchResult {
			let signer = ensure_signed(origin)?;
			let unlocks_at = Self::start_unbonding(&signer)?; // signers.rs
			Self::deposit_event(Event::SignerUnregistered { signer, unlocks_at });
			Ok(())
		}

		/// Release the stake of a signer whose unbonding period has ended and forget it.
		///
		/// - Origin: signed, an unbonding signer.
		///
		/// Errors: `NotRegistered`, `NotUnbonding`, `UnbondingNotFinished`,
		/// `CustodyObligationPending` (blobs it attested are still retained).
		/// Event: `StakeWithdrawn`.
		#[pallet::call_index(4)]
		pub fn withdraw_unbonded(origin: OriginFor<T>) -> DispatchResult {
			let signer = ensure_signed(origin)?;
			let stake = Self::finish_unbonding(&signer)?; // signers.rs
			Self::deposit_event(Event::StakeWithdrawn { signer, stake });
			Ok(())
		}

		/// Attest that the caller holds its assigned shards of each blob in `blob_ids`.
		///
		/// - Origin: signed, a member of the quorum of each blob's epoch (the account of its DA
		///   key; the off-chain worker sends this).
		/// - `blob_ids`: up to `MaxAttestationBatch` ids; a longer batch does not decode.
		///
		/// Each blob is checked on its own and gets an [`AttestOutcome`]; a blob whose
		/// attested stake reaches the quorum threshold is certified and its fee paid to its
		/// attesters. If no blob of the batch could be attested the call fails with the error
		/// of the first one.
		///
		/// The declared weight counts every blob as certified by this call (paying every
		/// member of a full quorum); the call returns the weight of what it did
		/// ([`Pallet::attest_weight`]), so the blobs it only attested cost a fraction and a
		/// block holds the batches of every member of full quorums.
		///
		/// Errors: `EmptyBatch`, and for a batch with nothing attested `UnknownBlob`,
		/// `BlobExpired`, `NotQuorumMember`, `AlreadyAttested` or `AlreadyCertified`.
		/// Events: `BlobsAttested`, and `BlobCertified` per certified blob.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::attest(blob_ids.len() as u32))]
		pub fn attest(
			origin: OriginFor<T>,
			blob_ids: BoundedVec<BlobId, T::MaxAttestationBatch>,
		) -> DispatchResultWithPostInfo {
			let signer = ensure_signed(origin)?;
			ensure!(!blob_ids.is_empty(), Error::<T>::EmptyBatch);
			let batch = blob_ids.len() as u32;
			// attestations.rs
			let (attested, outcomes) = Self::attest_batch(&signer, &blob_ids).map_err(|error| {
				polkadot_sdk::sp_runtime::DispatchErrorWithPostInfo {
					post_info: Some(Self::attest_weight(batch, 0)).into(),
					error,
				}
			})?;
			let certified = outcomes
				.iter()
				.filter(|outcome| matches!(outcome, AttestOutcome::Certified))
				.count() as u32;
			Self::deposit_event(Event::BlobsAttested { signer, attested, outcomes });
			Ok(Some(Self::attest_weight(batch, certified)).into())
		}

		/// Set how long certified blobs are kept after their attestation window ends.
		///
		/// - Origin: Root (governance).
		/// - `blocks`: at least one. Applies to blobs whose window ends from now on; blobs
		///   already kept keep the end they were given. The blob fee is paid once, so a longer
		///   retention makes signers keep data longer for the same fee: change `BlobByteFee`
		///   along with it.
		///
		/// Errors: `InvalidRetentionPeriod`. Event: `RetentionPeriodSet`.
		#[pallet::call_index(6)]
		pub fn set_retention_period(
			origin: OriginFor<T>,
			blocks: BlockNumberFor<T>,
		) -> DispatchResult {
			ensure_root(origin)?;
			ensure!(!blocks.is_zero(), Error::<T>::InvalidRetentionPeriod);
			RetentionPeriod::<T>::put(blocks);
			Self::deposit_event(Event::RetentionPeriodSet { blocks });
			Ok(())
		}

		/// Answer the caller's custody challenge with the chunk it was asked for.
		///
		/// - Origin: signed, the challenged signer (its off-chain worker sends this).
		/// - `blob`: the challenged blob's id; `chunk`: the chunk's bytes (at most 1 KiB);
		///   `proof`: its `ChunkProof` (chunk inside the shard, shard inside the blob).
		///
		/// Free for an honest answer (`Pays::No`): holding the data is the job, not a cost to
		/// the signer. A wrong answer pays its fee and leaves the challenge open.
		///
		/// Errors: `NoCustodyChallenge`, `CustodyChallengeMismatch`, `CustodyDeadlinePassed`,
		/// `UnknownBlob`, `InvalidCustodyProof`. Event: `CustodyProven`.
		#[pallet::call_index(7)]
		pub fn answer_custody(
			origin: OriginFor<T>,
			blob: BlobId,
			chunk: BoundedVec<u8, custody::ChunkBytes>,
			proof: zerog_primitives::da::ChunkProof,
		) -> DispatchResultWithPostInfo {
			let signer = ensure_signed(origin)?;
			Self::prove_custody(&signer, blob, &chunk, &proof)?; // custody.rs
			Self::deposit_event(Event::CustodyProven { signer, blob });
			Ok(Pays::No.into())
		}
	}
}
