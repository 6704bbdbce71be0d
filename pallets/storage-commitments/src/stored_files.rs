//! [`StoredFiles`] for other pallets: compute checks that a job's dataset and result are live
//! files through it.

use crate::{Config, FileIndex, Files, Pallet};
use polkadot_sdk::frame_system::{self, pallet_prelude::BlockNumberFor};
use zerog_primitives::storage::{FileRoot, LiveFile, StoredFiles, MAX_COMMITMENTS_CHECKED};

impl<T: Config> StoredFiles<BlockNumberFor<T>> for Pallet<T> {
	fn live_file(root: &FileRoot) -> Option<LiveFile<BlockNumberFor<T>>> {
		let now = frame_system::Pallet::<T>::block_number();
		FileIndex::<T>::iter_prefix_values(root)
			.take(MAX_COMMITMENTS_CHECKED)
			.filter_map(Files::<T>::get)
			.filter(|file| file.expires_at > now)
			.max_by_key(|file| file.expires_at)
			.map(|file| LiveFile { size: file.size, expires_at: file.expires_at })
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn store_for_benchmark(root: FileRoot, size: u64, expires_at: BlockNumberFor<T>) {
		use crate::{FileInfo, NextFileId};
		use codec::Decode;
		use polkadot_sdk::sp_runtime::traits::{One, Saturating, TrailingZeroInput};

		let owner = T::AccountId::decode(&mut TrailingZeroInput::zeroes())
			.expect("an account decodes from zeroes");
		// Other live commitments of the root that expire a block earlier: `live_file` reads
		// them all and still answers `(root, size)`.
		let others = (MAX_COMMITMENTS_CHECKED as u64).saturating_sub(1);
		let earlier = expires_at.saturating_sub(One::one());
		let files = (1..=others).map(|n| (size.saturating_add(n), earlier));
		for (size, expires_at) in files.chain([(size, expires_at)]) {
			let id = NextFileId::<T>::get();
			NextFileId::<T>::put(id.saturating_add(1));
			Files::<T>::insert(
				id,
				FileInfo {
					owner: owner.clone(),
					root,
					size,
					tags: Default::default(),
					submitted_at: frame_system::Pallet::<T>::block_number(),
					expires_at,
					reward_remaining: Default::default(),
					active_position: None,
				},
			);
			FileIndex::<T>::insert(root, size, id);
		}
	}
}
