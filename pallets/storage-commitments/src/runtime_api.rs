//! The runtime API the node's storage RPC, the CLI and light clients use to ask which files a
//! root commits to. The runtime implements it by calling [`Pallet::files_by_root`](crate::Pallet).

use crate::{FileId, FileSummary, ReplicaSummary};
use alloc::vec::Vec;
use polkadot_sdk::{sp_api, sp_core::H256};

sp_api::decl_runtime_apis! {
	/// Queries of the storage commitments pallet.
	///
	/// Version 2 added `file_by_commitment`, `replicas` and `pending_files`, and the replica
	/// counts of [`FileSummary`].
	#[api_version(2)]
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

		/// The live file committed as exactly `(root, size)`, if any.
		fn file_by_commitment(root: H256, size: u64) -> Option<FileSummary<AccountId, BlockNumber>>;

		/// The providers assigned file `file_id`, with whether they acknowledged it and their
		/// endpoints; empty for an unknown file.
		fn replicas(file_id: FileId) -> Vec<ReplicaSummary<AccountId>>;

		/// The live files assigned to `provider` that it has not acknowledged yet, at most
		/// [`crate::MAX_PENDING_QUERY`].
		fn pending_files(provider: AccountId) -> Vec<FileId>;
	}
}
