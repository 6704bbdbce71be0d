//! `Config` of the DA attestations pallet: blob fees, epochs and quorums.

use super::parameters::dynamic_params::da;
use crate::{Balances, Runtime, RuntimeHoldReason};
use polkadot_sdk::frame_support::traits::ConstU32;
use zerog_primitives::BlockNumber;

/// Blocks per DA epoch, and so the window a blob has to be certified: one minute. The window must
/// hold, on a slow validator, the submitter's push of the largest blob's shards (32 MiB coded to
/// about 96 MiB, sent as hex over JSON-RPC) and the quorum's checks and attestations: on the
/// 2-core reference machine a 32 MiB blob is certified about 6 blocks after its submission when
/// idle and needed more than 10 under load, so 10-block epochs failed at random. A new quorum
/// every minute still lets newly registered signers serve soon.
pub const EPOCH_LENGTH: BlockNumber = 30;

/// How long a certified blob is kept after its attestation window: 30 days of 2-second blocks.
/// The blob fee pays for this retention; rollups (an OP Stack challenge window is 7 days at most)
/// must fetch their data within it.
pub const RETENTION_PERIOD: BlockNumber = 30 * 24 * 60 * 30;

impl pallet_da_attestations::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type AuthorityId = pallet_da_attestations::crypto::DaAuthId;
	/// The kept part of an expired blob's fee is burned.
	type ExpiredFeeDestination = ();
	/// Tunable (`super::parameters`), as are the refund, stake, minimum quorum and custody slash
	/// below.
	type BlobBaseFee = da::BlobBaseFee;
	type BlobByteFee = da::BlobByteFee;
	type ExpiryRefund = da::ExpiryRefund;
	type MaxBlobBytes = ConstU32<{ zerog_primitives::da::MAX_BLOB_SIZE }>;
	type MinSignerStake = da::MinSignerStake;
	type EpochLength = ConstU32<EPOCH_LENGTH>;
	/// A blob has a whole epoch to be certified.
	type AttestationWindow = ConstU32<EPOCH_LENGTH>;
	/// Three epochs: the stake backs every quorum the signer still sits in.
	type UnbondingPeriod = ConstU32<{ 3 * EPOCH_LENGTH }>;
	type MaxQuorumSize = ConstU32<{ super::parameters::da_defaults::MAX_QUORUM_SIZE }>;
	/// Four quorums certify four blobs' worth of bytes at once.
	type MaxQuorums = ConstU32<4>;
	type MinQuorumMembers = da::MinQuorumMembers;
	type DefaultRetentionPeriod = ConstU32<RETENTION_PERIOD>;
	type MaxSigners = ConstU32<128>;
	type MaxBlobsPerBlock = ConstU32<64>;
	type MaxAttestationBatch = ConstU32<64>;
	type MaxEndpointLen = ConstU32<256>;
	/// A custody round every 20 s: the attesters of one retained blob are challenged.
	type CustodyPeriod = ConstU32<10>;
	/// 10 s to answer: the off-chain worker runs on the next block and the answer is a small
	/// transaction.
	type CustodyWindow = ConstU32<5>;
	type CustodySlash = da::CustodySlash;
	/// The draw picks from the last 256 certified blobs.
	type MaxCustodyCandidates = ConstU32<256>;
	/// VRF randomness: no block author can grind the draws.
	type Randomness = crate::VrfRandomness;
	type WeightInfo = pallet_da_attestations::weights::SubstrateWeight<Runtime>;
}
