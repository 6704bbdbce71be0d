//! The runtime API the node's storage RPC, the CLI and light clients use to ask which files a
//! root commits to. The runtime implements it by calling [`Pallet::files_by_root`](crate::Pallet).

use crate::{FileId, FileSummary};
use alloc::vec::Vec;
use polkadot_sdk::{sp_api, sp_core::H256};

sp_api::decl_runtime_apis! {
	/// Queries of the storage commitments pallet.
	pub trait StorageCommitmentsApi<AccountId, BlockNumber>
	where
		AccountId: codec::Codec,
		BlockNumber: codec::Codec,
	{
		/// The live files committed with `root`, at most [`crate::MAX_FILES_PER_ROOT_QUERY`], in
		/// storage order. Usually one: two files share a root only if they differ in
		/// trailing zero bytes within the last chunk.
		fn files_by_root(root: H256) -> Vec<FileSummary<AccountId, BlockNumber>>;

		/// The live file with id `file_id`, if any.
		fn file(file_id: FileId) -> Option<FileSummary<AccountId, BlockNumber>>;
	}
}
