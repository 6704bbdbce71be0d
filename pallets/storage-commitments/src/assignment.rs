//! Replicas: which providers hold a file, how they are chosen, acknowledged and released.
//!
//! A new file (or one that lost a replica) waits in [`AssignmentQueue`] until `on_initialize` of
//! a later block draws its providers, weighted by stake and free capacity, with a seed mixing
//! that block's [`Config::Randomness`] (the runtime's VRF randomness): the submitter signed
//! before it existed, so it cannot grind its root for a provider of its choice, and the block's
//! author cannot grind it either. A provider is challenged on a file only once it
//! acknowledged holding it ([`AckedFiles`], one dense set per provider, swap-remove like the
//! file log's challengeable set).

use crate::{
	weights::WeightInfo, AckedFileCount, AckedFiles, ActiveProviders, AssignedFiles,
	AssignmentQueue, Config, Departing, Error, Event, FailedReplicas, FileId, Files,
	MissedChallenges, Pallet, ProviderCapacity, Providers, Replica, ReplicaSet, ReplicaSummary,
	Replicas, LOG_TARGET, MAX_PENDING_QUERY,
};
use alloc::vec::Vec;
use codec::{Decode, Encode};
use polkadot_sdk::frame_support::traits::Randomness as _;
use polkadot_sdk::{
	frame_support::pallet_prelude::*,
	frame_system::{self, pallet_prelude::BlockNumberFor},
	sp_io::hashing::blake2_256,
	sp_runtime::traits::{Saturating, UniqueSaturatedInto},
};

/// Domain tag of the assignment seed.
const ASSIGNMENT_DOMAIN: &[u8] = b"zerog/storage/assignment";

/// Whether a released replica's file is queued for another provider.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Reassign {
	/// Always: the released provider can still serve the data (it is leaving, not failing).
	Always,
	/// Only if another acknowledged replica is left to fetch the data from.
	IfCopyLeft,
}

/// Most stake units (multiples of `MinProviderStake`) one provider's draw weight counts, so a
/// whale's stake cannot crowd out every other provider.
const MAX_STAKE_UNITS: u128 = 1_000;

impl<T: Config> Pallet<T> {
	/// Appends `file_id` to the assignment queue unless it is there already; `false` if the
	/// queue is full.
	pub(crate) fn enqueue(file_id: FileId) -> bool {
		AssignmentQueue::<T>::mutate(|queue| {
			queue.contains(&file_id) || queue.try_push(file_id).is_ok()
		})
	}

	/// Assigns providers to at most `MaxAssignmentsPerBlock` queued files, oldest first.
	///
	/// The providers are read once for the whole batch ([`ProviderPool`]), so a block's cost
	/// is one pass over the provider set plus a few accesses per file, and many files a block
	/// can be assigned.
	pub(crate) fn assign_queued() -> Weight {
		let mut queue = AssignmentQueue::<T>::get();
		if queue.is_empty() {
			return T::DbWeight::get().reads(1);
		}
		let take = (T::MaxAssignmentsPerBlock::get() as usize).min(queue.len());
		let batch: Vec<FileId> = queue.drain(..take).collect();
		AssignmentQueue::<T>::put(queue);
		let mut pool = ProviderPool::<T>::read();
		for file_id in batch.iter() {
			Self::fill_replicas(*file_id, &mut pool);
		}
		T::WeightInfo::assign_files(batch.len() as u32, pool.len() as u32)
	}

	/// Draws providers from `pool` for the replicas `file_id` misses, among those with room
	/// for it that do not hold it yet and did not lose a replica of it (`FailedReplicas`).
	pub(crate) fn fill_replicas(file_id: FileId, pool: &mut ProviderPool<T>) {
		let now = frame_system::Pallet::<T>::block_number();
		let Some(file) = Files::<T>::get(file_id).filter(|file| file.expires_at > now) else {
			return; // expired or dropped while queued
		};
		let Some(mut set) = Replicas::<T>::get(file_id) else { return };
		let failed = FailedReplicas::<T>::get(file_id);
		// (index in the pool, draw weight) of each provider that may take the file.
		let mut candidates: Vec<(usize, u128)> = pool
			.entries
			.iter()
			.enumerate()
			.filter(|(_, entry)| !set.holds(&entry.provider) && !failed.contains(&entry.provider))
			.filter_map(|(index, entry)| Some((index, entry.draw_weight(file.size)?)))
			.collect();
		let parent = T::Randomness::random_seed().0;
		let mut chosen = Vec::new();
		for slot in 0..set.missing() as u32 {
			let total = candidates.iter().fold(0u128, |sum, (_, w)| sum.saturating_add(*w));
			if total == 0 {
				break;
			}
			let seed = blake2_256(&(ASSIGNMENT_DOMAIN, &parent, file_id, slot).encode());
			let Ok(pick) = u128::decode(&mut seed.as_slice()) else { break };
			let mut target = pick % total;
			let drawn = candidates
				.iter()
				.position(|(_, weight)| {
					if target < *weight {
						return true;
					}
					target -= *weight;
					false
				})
				.unwrap_or(candidates.len().saturating_sub(1));
			let (index, _) = candidates.swap_remove(drawn);
			let Some(entry) = pool.entries.get_mut(index) else { break };
			let replica = Replica {
				provider: entry.provider.clone(),
				assigned_at: now,
				acked_position: None,
				missed: 0,
			};
			if set.holders.try_push(replica).is_err() {
				break;
			}
			entry.free = entry.free.saturating_sub(file.size);
			ProviderCapacity::<T>::mutate(&entry.provider, |capacity| {
				capacity.used = capacity.used.saturating_add(file.size)
			});
			AssignedFiles::<T>::insert(&entry.provider, file_id, ());
			chosen.push(entry.provider.clone());
		}
		let (assigned, wanted) = (set.holders.len() as u32, set.wanted);
		Replicas::<T>::insert(file_id, set);
		if !chosen.is_empty() {
			Self::deposit_event(Event::ReplicasAssigned { file_id, providers: chosen });
		}
		if assigned < u32::from(wanted) {
			Self::deposit_event(Event::FileUnderReplicated { file_id, assigned, wanted });
		}
	}

	/// Records `provider`'s acknowledgement of live file `file_id`; `false` if the file is not
	/// assigned to it, already acknowledged, or no longer live.
	pub(crate) fn ack_replica(provider: &T::AccountId, file_id: FileId) -> bool {
		let now = frame_system::Pallet::<T>::block_number();
		if Files::<T>::get(file_id).is_none_or(|file| file.expires_at <= now) {
			return false;
		}
		let Some(mut set) = Replicas::<T>::get(file_id) else { return false };
		let Some(replica) = set
			.holders
			.iter_mut()
			.find(|replica| &replica.provider == provider && replica.acked_position.is_none())
		else {
			return false;
		};
		let position = AckedFileCount::<T>::get(provider);
		let Some(count) = position.checked_add(1) else { return false };
		AckedFiles::<T>::insert(provider, position, file_id);
		AckedFileCount::<T>::insert(provider, count);
		replica.acked_position = Some(position);
		Replicas::<T>::insert(file_id, set);
		true
	}

	/// Takes `provider`'s replica out of `file_id`'s set, its challengeable set and its used
	/// capacity; queues the file for a new provider as `reassign` says.
	pub(crate) fn release_replica(file_id: FileId, provider: &T::AccountId, reassign: Reassign) {
		let Some(mut set) = Replicas::<T>::get(file_id) else { return };
		let Some(index) = set.holders.iter().position(|replica| &replica.provider == provider)
		else {
			return;
		};
		let replica = set.holders.remove(index);
		let size = Files::<T>::get(file_id).map(|file| file.size).unwrap_or_default();
		Self::forget_replica(file_id, size, &replica);
		let queue = match reassign {
			Reassign::Always => true,
			Reassign::IfCopyLeft => set.acked() > 0,
		};
		Replicas::<T>::insert(file_id, set);
		Self::deposit_event(Event::ReplicaReleased { file_id, provider: provider.clone() });
		if queue && !Self::enqueue(file_id) {
			log::warn!(target: LOG_TARGET, "assignment queue full: file {file_id} stays short");
		}
	}

	/// Counts a challenge `provider` missed on `file_id`; releases the replica (and reassigns
	/// the file) once it missed `MissesBeforeRelease` in a row.
	fn count_miss(file_id: FileId, provider: &T::AccountId) {
		let Some(mut set) = Replicas::<T>::get(file_id) else { return };
		let Some(replica) = set.holders.iter_mut().find(|r| &r.provider == provider) else {
			return;
		};
		replica.missed = replica.missed.saturating_add(1);
		if replica.missed >= T::MissesBeforeRelease::get() {
			Self::record_failure(file_id, provider);
			Self::release_replica(file_id, provider, Reassign::IfCopyLeft);
		} else {
			Replicas::<T>::insert(file_id, set);
		}
	}

	/// `provider` proved a challenge on `file_id`: its run of misses there is over.
	pub(crate) fn reset_misses(file_id: FileId, provider: &T::AccountId) {
		Replicas::<T>::mutate(file_id, |set| {
			let replica = set.as_mut().and_then(|set| {
				set.holders.iter_mut().find(|replica| &replica.provider == provider)
			});
			if let Some(replica) = replica {
				replica.missed = 0;
			}
		});
	}

	/// Removes every replica of `file_id` (a file leaving the log of `size` bytes).
	pub(crate) fn remove_replicas(file_id: FileId, size: u64) {
		FailedReplicas::<T>::remove(file_id);
		if let Some(set) = Replicas::<T>::take(file_id) {
			for replica in set.holders.iter() {
				Self::forget_replica(file_id, size, replica);
			}
		}
	}

	/// Undoes what assigning and acknowledging `replica` recorded outside the replica set.
	fn forget_replica(
		file_id: FileId,
		size: u64,
		replica: &Replica<T::AccountId, BlockNumberFor<T>>,
	) {
		let provider = &replica.provider;
		if let Some(position) = replica.acked_position {
			Self::remove_acked(provider, position);
		}
		AssignedFiles::<T>::remove(provider, file_id);
		ProviderCapacity::<T>::mutate_exists(provider, |capacity| {
			if let Some(capacity) = capacity {
				capacity.used = capacity.used.saturating_sub(size);
			}
		});
	}

	/// Takes position `position` out of `provider`'s challengeable set, moving its last entry
	/// into the freed place.
	fn remove_acked(provider: &T::AccountId, position: u32) {
		let Some(last) = AckedFileCount::<T>::get(provider).checked_sub(1) else { return };
		let moved = AckedFiles::<T>::take(provider, last);
		if position != last {
			if let Some(moved) = moved {
				AckedFiles::<T>::insert(provider, position, moved);
				Replicas::<T>::mutate(moved, |set| {
					if let Some(set) = set {
						for replica in set.holders.iter_mut() {
							if &replica.provider == provider {
								replica.acked_position = Some(position);
							}
						}
					}
				});
			}
		}
		if last == 0 {
			AckedFileCount::<T>::remove(provider);
		} else {
			AckedFileCount::<T>::insert(provider, last);
		}
	}

	/// Releases unacknowledged replicas of `file_id` assigned `AckWindow` blocks ago or more,
	/// queuing the file for other providers.
	pub(crate) fn release_stale(file_id: FileId, now: BlockNumberFor<T>) {
		let Some(set) = Replicas::<T>::get(file_id) else { return };
		let window = T::AckWindow::get();
		let stale: Vec<T::AccountId> = set
			.holders
			.iter()
			.filter(|r| r.acked_position.is_none() && r.assigned_at.saturating_add(window) <= now)
			.map(|replica| replica.provider.clone())
			.collect();
		for provider in stale {
			Self::record_failure(file_id, &provider);
			Self::release_replica(file_id, &provider, Reassign::IfCopyLeft);
		}
	}

	/// Remembers that `provider` lost its replica of `file_id` by its own failure, so that the
	/// draw passes it over for this file; the oldest such provider is forgotten when the list
	/// is full (a small provider set may need it again).
	fn record_failure(file_id: FileId, provider: &T::AccountId) {
		FailedReplicas::<T>::mutate(file_id, |failed| {
			if failed.contains(provider) {
				return;
			}
			if failed.is_full() {
				failed.remove(0);
			}
			// Room was made above; a `MaxReplicas` of 0 is refused by `integrity_test`.
			let _ = failed.try_push(provider.clone());
		});
	}

	/// Handles at most `MaxReleasesPerBlock` replicas: first counts the challenges missed on
	/// them (releasing a replica at `MissesBeforeRelease` misses in a row), then releases files
	/// of the first departing provider, which is forgotten here once it has nothing left.
	/// Released files are queued for reassignment.
	pub(crate) fn release_replicas() -> Weight {
		let limit = T::MaxReleasesPerBlock::get();
		let mut released = 0u32;
		let mut pending = MissedChallenges::<T>::get();
		if !pending.is_empty() {
			let take = (limit as usize).min(pending.len());
			for (file_id, provider) in pending.drain(..take) {
				Self::count_miss(file_id, &provider);
			}
			MissedChallenges::<T>::put(pending);
			released = take as u32;
		}
		let mut departing = Departing::<T>::get();
		if let Some(provider) = departing.first().cloned() {
			let budget = limit.saturating_sub(released);
			let files: Vec<FileId> =
				AssignedFiles::<T>::iter_key_prefix(&provider).take(budget as usize).collect();
			let count = files.len() as u32;
			for file_id in files {
				// The departing provider stays bonded, and its node serving, while unbonding:
				// its copy is a source for the new provider even if it was the only one.
				Self::release_replica(file_id, &provider, Reassign::Always);
			}
			released = released.saturating_add(count);
			if count < budget {
				departing.remove(0);
				Departing::<T>::put(departing);
				ProviderCapacity::<T>::remove(&provider);
			}
		}
		T::WeightInfo::release_replicas(released)
	}

	/// Marks `provider` as leaving: its replicas are released from the next block on.
	pub(crate) fn depart(provider: &T::AccountId) -> DispatchResult {
		Departing::<T>::try_mutate(|departing| {
			if departing.contains(provider) {
				return Ok(());
			}
			departing.try_push(provider.clone()).map_err(|_| Error::<T>::DepartureQueueFull.into())
		})
	}

	/// Whether `provider` still has replicas waiting to be released.
	pub(crate) fn is_departing(provider: &T::AccountId) -> bool {
		Departing::<T>::get().contains(provider)
	}

	/// The live files assigned to `provider` that it has not acknowledged yet, at most
	/// [`MAX_PENDING_QUERY`]: what its node must fetch.
	pub fn pending_files(provider: &T::AccountId) -> Vec<FileId> {
		AssignedFiles::<T>::iter_key_prefix(provider)
			.filter(|file_id| {
				Replicas::<T>::get(file_id).is_some_and(|set| {
					set.holders.iter().any(|replica| {
						&replica.provider == provider && replica.acked_position.is_none()
					})
				})
			})
			.take(MAX_PENDING_QUERY)
			.collect()
	}

	/// The providers assigned `file_id`, for the runtime API.
	pub fn replica_summaries(file_id: FileId) -> Vec<ReplicaSummary<T::AccountId>> {
		Replicas::<T>::get(file_id)
			.map(|set| {
				set.holders
					.into_iter()
					.map(|replica| ReplicaSummary {
						endpoint: Providers::<T>::get(&replica.provider)
							.map(|info| info.endpoint.into_inner())
							.unwrap_or_default(),
						acked: replica.acked_position.is_some(),
						provider: replica.provider,
					})
					.collect()
			})
			.unwrap_or_default()
	}

	/// A new replica set for a file asking for `wanted` copies.
	pub(crate) fn empty_replica_set(wanted: u8) -> ReplicaSet<T> {
		ReplicaSet { wanted, holders: Default::default() }
	}
}

/// One provider as a block's assignments see it.
pub(crate) struct PoolEntry<A> {
	provider: A,
	/// Its stake in units of `MinProviderStake`, at most [`MAX_STAKE_UNITS`].
	stake_units: u128,
	/// Declared capacity not yet assigned, in bytes, kept current through the block.
	free: u64,
}

impl<A> PoolEntry<A> {
	/// How likely the provider is to be drawn for a file of `size` bytes: its stake units
	/// times its free capacity in MiB after taking the file (plus one, so a provider with
	/// less than a MiB left can still be drawn); `None` if it has no room.
	fn draw_weight(&self, size: u64) -> Option<u128> {
		let free_after = self.free.checked_sub(size)?;
		Some(self.stake_units.saturating_mul(u128::from(free_after >> 20).saturating_add(1)))
	}
}

/// The active providers staked at least `MinProviderStake`, with their free capacity, read
/// once for a block's assignments.
pub(crate) struct ProviderPool<T: Config> {
	entries: Vec<PoolEntry<T::AccountId>>,
}

impl<T: Config> ProviderPool<T> {
	/// Reads every active provider's stake and capacity.
	pub(crate) fn read() -> Self {
		let min_stake: u128 = T::MinProviderStake::get().unique_saturated_into();
		let entries = ActiveProviders::<T>::get()
			.into_iter()
			.filter_map(|provider| {
				let stake: u128 = Providers::<T>::get(&provider)?.stake.unique_saturated_into();
				if min_stake == 0 || stake < min_stake {
					return None;
				}
				let free = ProviderCapacity::<T>::get(&provider).free();
				let stake_units = (stake / min_stake).clamp(1, MAX_STAKE_UNITS);
				Some(PoolEntry { provider, stake_units, free })
			})
			.collect();
		Self { entries }
	}

	/// How many providers may be drawn.
	pub(crate) fn len(&self) -> usize {
		self.entries.len()
	}
}
