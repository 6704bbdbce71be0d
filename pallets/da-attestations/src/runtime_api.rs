//! The runtime API rollups, light clients, publishers and the node's DA RPC use to ask about
//! blobs and quorums. The runtime implements it by calling the [`Pallet`](crate::Pallet)
//! functions of the same names.

use crate::{BlobAssignment, BlobSummary, EpochIndex};
use polkadot_sdk::{sp_api, sp_core::H256};
use zerog_primitives::da::BlobCommitment;

sp_api::decl_runtime_apis! {
	/// Queries of the DA attestations pallet.
	pub trait DaAttestationsApi<AccountId, Balance, BlockNumber>
	where
		AccountId: codec::Codec,
		Balance: codec::Codec,
		BlockNumber: codec::Codec,
	{
		/// The block in which the blob with `commitment` was certified; `None` while it is
		/// unknown, pending, expired or retired. See `Pallet::certification`.
		fn certification(commitment: BlobCommitment) -> Option<BlockNumber>;

		/// What the chain knows about the blob with `commitment`, if it is pending or certified.
		fn blob(commitment: BlobCommitment) -> Option<BlobSummary<AccountId, Balance, BlockNumber>>;

		/// The blob with `root` for someone who knows only the root: the certified one if any,
		/// else a pending one. See `Pallet::blob_by_root` for why tools use the commitment.
		fn blob_by_root(root: H256) -> Option<BlobSummary<AccountId, Balance, BlockNumber>>;

		/// The current epoch (0 before the first one started).
		fn current_epoch() -> EpochIndex;

		/// Who holds which shards of the blob with `commitment`: its quorum's members if it is on
		/// chain, else those of the quorum it would get if submitted now. See
		/// `Pallet::shard_holders`.
		fn shard_holders(commitment: BlobCommitment) -> Option<BlobAssignment<AccountId>>;
	}
}
