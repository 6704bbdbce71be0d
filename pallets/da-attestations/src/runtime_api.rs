//! The runtime API rollups, light clients and the node's DA RPC use to ask about blobs and
//! quorums. The runtime implements it by calling the [`Pallet`](crate::Pallet) functions of the
//! same names.

use crate::{BlobSummary, EpochIndex};
use alloc::vec::Vec;
use polkadot_sdk::{sp_api, sp_core::H256};

sp_api::decl_runtime_apis! {
	/// Queries of the DA attestations pallet.
	pub trait DaAttestationsApi<AccountId, Balance, BlockNumber>
	where
		AccountId: codec::Codec,
		Balance: codec::Codec,
		BlockNumber: codec::Codec,
	{
		/// The block in which the blob with `root` was certified; `None` while it is unknown,
		/// pending or expired. See `Pallet::certification`.
		fn certification(root: H256) -> Option<BlockNumber>;

		/// What the chain knows about the blob with `root`, if it is pending or certified.
		fn blob(root: H256) -> Option<BlobSummary<AccountId, Balance, BlockNumber>>;

		/// The current epoch (0 before the first one started).
		fn current_epoch() -> EpochIndex;

		/// Shard indices `member` holds of a blob with `total_shards` shards in `epoch`; empty if
		/// it is not a member or the epoch's quorum is gone. See `Pallet::assigned_shards`.
		fn assigned_shards(epoch: EpochIndex, member: AccountId, total_shards: u16) -> Vec<u16>;
	}
}
