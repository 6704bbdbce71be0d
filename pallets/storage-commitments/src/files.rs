//! The append-only file log: new files, renewals, the challengeable set and expiry.
//!
//! The challengeable set is dense (`ActiveFiles` positions `0..ActiveFileCount`), so a draw picks
//! a file with one read and a removal swaps the last entry into the freed position.

use crate::{
	weights::WeightInfo, ActiveFileCount, ActiveFiles, ActiveProviders, BalanceOf, Config, Error,
	Event, ExpiryCursor, FileId, FileIndex, FileInfo, FileSummary, FileTags, Files, NextFileId,
	NextToActivate, Pallet, ReplicaCount, Replicas, LOG_TARGET, MAX_FILES_PER_ROOT_QUERY,
};
use alloc::vec::Vec;
use polkadot_sdk::{
	frame_support::{ensure, pallet_prelude::*},
	frame_system::{self, pallet_prelude::BlockNumberFor},
	sp_core::H256,
	sp_runtime::traits::{CheckedAdd, CheckedMul, Saturating},
};
use zerog_primitives::storage::chunk_count;

impl<T: Config> Pallet<T> {
	/// The live files committed with `root`, at most [`MAX_FILES_PER_ROOT_QUERY`] of them, for the
	/// runtime API. Expired files whose sweep has not come yet are left out.
	pub fn files_by_root(root: H256) -> Vec<FileSummary<T::AccountId, BlockNumberFor<T>>> {
		FileIndex::<T>::iter_prefix_values(root)
			.filter_map(Self::file_summary)
			.take(MAX_FILES_PER_ROOT_QUERY)
			.collect()
	}

	/// The live file committed as exactly `(root, size)`, for the runtime API: what decides
	/// whether a node accepts a segment, keeps data, or how long a download is.
	pub fn file_by_commitment(
		root: H256,
		size: u64,
	) -> Option<FileSummary<T::AccountId, BlockNumberFor<T>>> {
		FileIndex::<T>::get(root, size).and_then(Self::file_summary)
	}

	/// The live file `id`, for the runtime API.
	pub fn file_summary(id: FileId) -> Option<FileSummary<T::AccountId, BlockNumberFor<T>>> {
		let file = Files::<T>::get(id)?;
		if file.expires_at <= frame_system::Pallet::<T>::block_number() {
			return None;
		}
		let replicas = Replicas::<T>::get(id);
		Some(FileSummary {
			id,
			root: file.root,
			size: file.size,
			owner: file.owner,
			submitted_at: file.submitted_at,
			expires_at: file.expires_at,
			replicas_wanted: replicas.as_ref().map(|set| set.wanted).unwrap_or_default(),
			replicas_acked: replicas.map(|set| set.acked() as u32).unwrap_or_default(),
		})
	}

	/// Fee for one lifetime of `replicas` copies of a file of `size` bytes:
	/// `FeePerChunk × chunk_count(size) × replicas`, where a short last chunk counts as a whole
	/// one.
	pub fn fee_for(size: u64, replicas: ReplicaCount) -> Result<BalanceOf<T>, DispatchError> {
		let chunks =
			BalanceOf::<T>::try_from(chunk_count(size)).map_err(|_| Error::<T>::FeeOverflow)?;
		T::FeePerChunk::get()
			.checked_mul(&chunks)
			.and_then(|fee| fee.checked_mul(&BalanceOf::<T>::from(replicas)))
			.ok_or_else(|| Error::<T>::FeeOverflow.into())
	}

	/// Logs a new file for `(root, size)` and queues it for `replicas` providers, or renews the
	/// live file with that commitment (an expired one is removed first); charges the fee and
	/// emits the event.
	pub(crate) fn append_or_renew(
		who: &T::AccountId,
		root: H256,
		size: u64,
		tags: FileTags<T>,
		replicas: ReplicaCount,
	) -> DispatchResult {
		let now = frame_system::Pallet::<T>::block_number();
		if let Some(id) = FileIndex::<T>::get(root, size) {
			match Files::<T>::get(id) {
				Some(mut file) if file.expires_at > now => {
					let adds_tags = tags.iter().any(|tag| !file.tags.contains(tag));
					ensure!(!adds_tags || &file.owner == who, Error::<T>::NotFileOwner);
					Self::merge_tags(&mut file.tags, tags)?;
					let (fee, expires_at) = Self::extend(who, id, file)?;
					Self::deposit_event(Event::FileRenewed {
						id,
						who: who.clone(),
						fee,
						expires_at,
					});
					return Ok(());
				},
				Some(file) => Self::remove_file(id, file),
				None => {
					log::error!(target: LOG_TARGET, "file index names unknown file {id}");
					FileIndex::<T>::remove(root, size);
				},
			}
		}
		ensure!(
			ActiveProviders::<T>::decode_len().unwrap_or_default() >= usize::from(replicas),
			Error::<T>::NotEnoughProviders
		);
		let fee = Self::fee_for(size, replicas)?;
		let id = NextFileId::<T>::get();
		let next_id = id.checked_add(1).ok_or(Error::<T>::CounterOverflow)?;
		let mut stored_tags = FileTags::<T>::default();
		Self::merge_tags(&mut stored_tags, tags)?;
		let expires_at = now.saturating_add(T::FileLifetime::get());
		// assignment.rs: providers are drawn in a later block, from a seed not known now.
		ensure!(Self::enqueue(id), Error::<T>::AssignmentQueueFull);
		Self::collect_fee(who, fee)?; // rewards.rs
		Files::<T>::insert(
			id,
			FileInfo {
				owner: who.clone(),
				root,
				size,
				tags: stored_tags,
				submitted_at: now,
				expires_at,
				reward_remaining: fee,
				active_position: None,
			},
		);
		FileIndex::<T>::insert(root, size, id);
		Replicas::<T>::insert(id, Self::empty_replica_set(replicas));
		NextFileId::<T>::put(next_id);
		Self::deposit_event(Event::FileSubmitted {
			id,
			owner: who.clone(),
			root,
			size,
			fee,
			expires_at,
			replicas,
		});
		Ok(())
	}

	/// Renews live file `id` for `who`; returns the fee and the new expiry.
	pub(crate) fn extend_file(
		who: &T::AccountId,
		id: FileId,
	) -> Result<(BalanceOf<T>, BlockNumberFor<T>), DispatchError> {
		let file = Files::<T>::get(id).ok_or(Error::<T>::FileNotFound)?;
		ensure!(
			file.expires_at > frame_system::Pallet::<T>::block_number(),
			Error::<T>::FileExpired
		);
		Self::extend(who, id, file)
	}

	/// Charges `who` one lifetime of `file` and stores it with the later expiry and the fee
	/// added to its rewards.
	fn extend(
		who: &T::AccountId,
		id: FileId,
		mut file: FileInfo<T>,
	) -> Result<(BalanceOf<T>, BlockNumberFor<T>), DispatchError> {
		let now = frame_system::Pallet::<T>::block_number();
		let wanted = Replicas::<T>::get(id).map(|set| set.wanted).unwrap_or(1);
		let fee = Self::fee_for(file.size, wanted)?;
		let expires_at = file.expires_at.saturating_add(T::FileLifetime::get());
		ensure!(
			expires_at.saturating_sub(now) <= T::MaxLifetime::get(),
			Error::<T>::LifetimeTooLong
		);
		file.reward_remaining =
			file.reward_remaining.checked_add(&fee).ok_or(Error::<T>::FeeOverflow)?;
		Self::collect_fee(who, fee)?; // rewards.rs
		file.expires_at = expires_at;
		Files::<T>::insert(id, file);
		Ok((fee, expires_at))
	}

	/// Adds the tags of `new` missing from `stored`.
	fn merge_tags(stored: &mut FileTags<T>, new: FileTags<T>) -> DispatchResult {
		for tag in new {
			if !stored.contains(&tag) {
				stored.try_push(tag).map_err(|_| Error::<T>::TooManyTags)?;
			}
		}
		Ok(())
	}

	/// Settles, oldest first, the files whose acknowledgement window (`AckWindow` blocks from
	/// submission) ended, at most `MaxActivationsPerBlock` per block: a file nobody
	/// acknowledged is dropped and refunded; the others enter the set the expiry sweep walks,
	/// which releases replicas left unacknowledged past their own window (each runs from its
	/// assignment, a block or more after submission). Files that expired before their turn are
	/// removed.
	pub(crate) fn activate_files(now: BlockNumberFor<T>) -> Weight {
		let end = NextFileId::<T>::get();
		let mut next = NextToActivate::<T>::get();
		let mut considered = 0u32;
		while next < end && considered < T::MaxActivationsPerBlock::get() {
			if let Some(file) = Files::<T>::get(next) {
				if file.submitted_at.saturating_add(T::AckWindow::get()) > now {
					// Ids follow submission order: every later file is younger still.
					break;
				}
				let acked = Replicas::<T>::get(next).map(|set| set.acked()).unwrap_or_default();
				if file.expires_at <= now {
					Self::remove_file(next, file);
				} else if acked == 0 {
					Self::drop_file(next, file);
				} else if !Self::push_active(next, file) {
					break;
				}
			}
			next = next.saturating_add(1);
			considered = considered.saturating_add(1);
		}
		NextToActivate::<T>::put(next);
		T::WeightInfo::activate_files(considered)
	}

	/// Appends file `id` to the challengeable set; `false` if the set is full (2^32 files).
	fn push_active(id: FileId, mut file: FileInfo<T>) -> bool {
		let position = ActiveFileCount::<T>::get();
		let Some(count) = position.checked_add(1) else {
			log::error!(target: LOG_TARGET, "the challengeable set is full");
			return false;
		};
		ActiveFiles::<T>::insert(position, id);
		ActiveFileCount::<T>::put(count);
		file.active_position = Some(position);
		Files::<T>::insert(id, file);
		Self::deposit_event(Event::FileActivated { id });
		true
	}

	/// Takes the file at `position` out of the challengeable set, moving the last entry into
	/// its place.
	fn remove_active(position: u32) {
		let Some(last) = ActiveFileCount::<T>::get().checked_sub(1) else { return };
		let moved = ActiveFiles::<T>::take(last);
		if position != last {
			if let Some(moved) = moved {
				ActiveFiles::<T>::insert(position, moved);
				Files::<T>::mutate(moved, |file| {
					if let Some(file) = file {
						file.active_position = Some(position);
					}
				});
			}
		}
		ActiveFileCount::<T>::put(last);
	}

	/// Removes expired file `id` from the log, its index and the challengeable set, and hands
	/// its unearned rewards to `UnearnedRewardDestination`.
	pub(crate) fn remove_file(id: FileId, file: FileInfo<T>) {
		if let Some(position) = file.active_position {
			Self::remove_active(position);
		}
		FileIndex::<T>::remove(file.root, file.size);
		Files::<T>::remove(id);
		Self::remove_replicas(id, file.size); // assignment.rs
		let unearned = Self::forfeit(file.reward_remaining); // rewards.rs
		Self::deposit_event(Event::FileExpired { id, root: file.root, size: file.size, unearned });
	}

	/// Removes file `id`, which no provider acknowledged within `AckWindow`, and refunds its
	/// owner what it paid less `UnackedFileFee`.
	fn drop_file(id: FileId, file: FileInfo<T>) {
		FileIndex::<T>::remove(file.root, file.size);
		Files::<T>::remove(id);
		Self::remove_replicas(id, file.size); // assignment.rs
		let kept = T::UnackedFileFee::get().mul_ceil(file.reward_remaining);
		let refunded = Self::refund(&file.owner, file.reward_remaining.saturating_sub(kept));
		let kept = Self::forfeit(file.reward_remaining.saturating_sub(refunded)); // rewards.rs
		Self::deposit_event(Event::FileDropped { id, owner: file.owner, refunded, kept });
	}

	/// Checks up to `MaxExpiryScansPerBlock` entries of the challengeable set, resuming where
	/// the last sweep stopped, and removes the expired ones.
	pub(crate) fn sweep_expired(now: BlockNumberFor<T>) -> Weight {
		let limit = T::MaxExpiryScansPerBlock::get().min(ActiveFileCount::<T>::get());
		let mut cursor = ExpiryCursor::<T>::get();
		let mut scanned = 0u32;
		while scanned < limit {
			let count = ActiveFileCount::<T>::get();
			if count == 0 {
				cursor = 0;
				break;
			}
			if cursor >= count {
				cursor = 0;
			}
			scanned = scanned.saturating_add(1);
			let file =
				ActiveFiles::<T>::get(cursor).and_then(|id| Some((id, Files::<T>::get(id)?)));
			match file {
				// The last entry moves into `cursor`: check the same position again.
				Some((id, file)) if file.expires_at <= now => Self::remove_file(id, file),
				Some((id, _)) => {
					Self::release_stale(id, now); // assignment.rs
					cursor = cursor.saturating_add(1);
				},
				None => {
					log::error!(target: LOG_TARGET, "challengeable set position {cursor} is broken");
					cursor = cursor.saturating_add(1);
				},
			}
		}
		ExpiryCursor::<T>::put(cursor);
		T::WeightInfo::sweep_expired(scanned)
	}
}
