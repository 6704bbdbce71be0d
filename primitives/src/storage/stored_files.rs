//! What other pallets may ask ZeroG storage about its files, without depending on the storage
//! pallet: compute jobs name their dataset and their result by root, and the chain refuses a job
//! whose dataset, or a result whose output, is not a live file.

use super::FileRoot;

/// A live file as another pallet sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LiveFile<BlockNumber> {
	/// Size of the file in bytes; with the root, its commitment.
	pub size: u64,
	/// First block at which the file is no longer stored.
	pub expires_at: BlockNumber,
}

/// Read access to the files ZeroG storage keeps, implemented by the storage pallet.
pub trait StoredFiles<BlockNumber> {
	/// The live file committed with `root` that stays stored longest, among the first
	/// [`MAX_COMMITMENTS_CHECKED`] commitments with that root (a root alone does not fix the size:
	/// trailing zeros share it); `None` if none is live.
	fn live_file(root: &FileRoot) -> Option<LiveFile<BlockNumber>>;

	/// Stores a live file `(root, size)` that expires at `expires_at` with
	/// [`MAX_COMMITMENTS_CHECKED`] `- 1` other live commitments of the same root in front of it,
	/// so a benchmark measures [`Self::live_file`] at its worst.
	#[cfg(feature = "runtime-benchmarks")]
	fn store_for_benchmark(root: FileRoot, size: u64, expires_at: BlockNumber);
}

/// How many commitments of one root [`StoredFiles::live_file`] looks at, so its weight is
/// bounded whatever others commit under the same root.
pub const MAX_COMMITMENTS_CHECKED: usize = 4;

/// No storage: no file is live. For runtimes and mocks without ZeroG storage.
impl<BlockNumber> StoredFiles<BlockNumber> for () {
	fn live_file(_root: &FileRoot) -> Option<LiveFile<BlockNumber>> {
		None
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn store_for_benchmark(_root: FileRoot, _size: u64, _expires_at: BlockNumber) {}
}
