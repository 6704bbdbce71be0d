//! Consistency checks run by `try_state` (and after every unit test): held funds equal what the
//! pallet accounts for, quorums add up, and the blob indices and queues agree with the blobs.

use crate::{
	blob_shape, quorum, ActiveSigners, BalanceOf, BlobIds, BlobStatus, Blobs, Config, CurrentEpoch,
	CustodyChallenges, Epochs, ExpiryQueue, HoldReason, NextBlobId, OpenCustody, Pallet, Quorums,
	RetentionQueue, SignerStatus, Signers,
};
use alloc::collections::{btree_map::BTreeMap, btree_set::BTreeSet};
use polkadot_sdk::{
	frame_support::{
		ensure,
		traits::{fungible::InspectHold, Get},
	},
	sp_runtime::{
		traits::{Saturating, Zero},
		SaturatedConversion, TryRuntimeError,
	},
};

impl<T: Config> Pallet<T> {
	/// Checks every invariant of the pallet's storage.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		Self::check_signers()?;
		Self::check_quorums()?;
		Self::check_blobs()?;
		Self::check_custody()
	}

	/// Every open custody challenge belongs to a signer of the current round, listed once, and
	/// names a shard of its blob.
	fn check_custody() -> Result<(), TryRuntimeError> {
		let open = OpenCustody::<T>::get();
		let listed: BTreeSet<_> = open.iter().cloned().collect();
		ensure!(listed.len() == open.len(), "a signer is challenged twice in a round");
		for (signer, challenge) in CustodyChallenges::<T>::iter() {
			ensure!(listed.contains(&signer), "a challenge is not part of the open round");
			if let Some(blob) = Blobs::<T>::get(challenge.blob) {
				ensure!(
					challenge.shard < blob.commitment.total_shards(),
					"a challenge names a shard the blob does not have"
				);
			}
		}
		Ok(())
	}

	/// Each signer's stake equals its `SignerStake` hold; `ActiveSigners` lists exactly the
	/// active signers, once each, with their stakes.
	fn check_signers() -> Result<(), TryRuntimeError> {
		let active = ActiveSigners::<T>::get();
		let mut listed = BTreeSet::new();
		for (account, stake) in active.iter() {
			ensure!(listed.insert(account.clone()), "a signer is listed twice as active");
			let info = Signers::<T>::get(account).ok_or("an active signer is not registered")?;
			ensure!(info.status == SignerStatus::Active, "an unbonding signer is listed active");
			ensure!(info.stake == *stake, "an active signer's listed stake differs");
		}
		for (account, info) in Signers::<T>::iter() {
			// Custody slashes may take a stake below `MinSignerStake`, never to zero.
			ensure!(!info.stake.is_zero(), "a signer's stake is zero");
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::SignerStake.into(), &account)
					== info.stake,
				"a signer's stake hold differs from its recorded stake"
			);
			ensure!(
				info.status != SignerStatus::Active || listed.contains(&account),
				"an active signer is missing from ActiveSigners"
			);
		}
		Ok(())
	}

	/// Only the current and previous epochs are kept, with their quorums, and older quorums
	/// only while they keep certified blobs (as many as `blobs_kept` says); each quorum sums
	/// its members' stakes, has the 2/3 threshold and no member twice.
	fn check_quorums() -> Result<(), TryRuntimeError> {
		let current = CurrentEpoch::<T>::get();
		for (epoch, info) in Epochs::<T>::iter() {
			ensure!(
				epoch == current || epoch.saturating_add(1) == current,
				"an epoch older than the previous one is kept"
			);
			ensure!(info.quorums <= T::MaxQuorums::get(), "an epoch has too many quorums");
			for index in 0..info.quorums {
				ensure!(
					Quorums::<T>::contains_key(epoch, index),
					"a quorum of an epoch is missing"
				);
			}
		}
		let mut kept = BTreeMap::<(u32, u32), u32>::new();
		for (_, blob) in Blobs::<T>::iter() {
			if matches!(blob.status, BlobStatus::Certified { .. }) {
				*kept.entry((blob.epoch, blob.quorum)).or_default() += 1;
			}
		}
		for (epoch, index, quorum) in Quorums::<T>::iter() {
			let live = epoch == current || epoch.saturating_add(1) == current;
			ensure!(live || quorum.blobs_kept > 0, "a quorum of a closed epoch keeps no blob");
			ensure!(
				kept.get(&(epoch, index)).copied().unwrap_or(0) == quorum.blobs_kept,
				"a quorum's kept-blob count differs from its certified blobs"
			);
			ensure!(
				Epochs::<T>::get(epoch).map_or(!live, |info| index < info.quorums),
				"a quorum is outside its epoch's count"
			);
			let total = quorum
				.members
				.iter()
				.fold(BalanceOf::<T>::zero(), |sum, (_, stake)| sum.saturating_add(*stake));
			ensure!(total == quorum.total_stake, "a quorum's total stake is not its members' sum");
			let threshold = quorum::threshold(total.saturated_into::<u128>());
			ensure!(
				quorum.threshold.saturated_into::<u128>() == threshold,
				"a quorum's threshold is not 2/3 of its stake"
			);
			let distinct: BTreeSet<_> = quorum.members.iter().map(|(account, _)| account).collect();
			ensure!(distinct.len() == quorum.members.len(), "a quorum holds a member twice");
		}
		Ok(())
	}

	/// Blob fees on hold equal the fees of pending blobs, per submitter; indices, queues and
	/// attested stakes agree with the blobs.
	fn check_blobs() -> Result<(), TryRuntimeError> {
		let next_id = NextBlobId::<T>::get();
		let mut held = BTreeMap::<T::AccountId, BalanceOf<T>>::new();
		let mut blobs = 0usize;
		let retained: BTreeSet<_> = RetentionQueue::<T>::iter_values().flatten().collect();
		for (id, blob) in Blobs::<T>::iter() {
			blobs += 1;
			ensure!(id < next_id, "a blob id is not below NextBlobId");
			ensure!(
				BlobIds::<T>::get(blob.commitment.root, blob_shape(&blob.commitment)) == Some(id),
				"a blob is missing from the commitment index"
			);
			let distinct: BTreeSet<_> = blob.attesters.iter().collect();
			ensure!(distinct.len() == blob.attesters.len(), "a blob has an attester twice");
			if let BlobStatus::Certified { .. } = blob.status {
				ensure!(
					Quorums::<T>::contains_key(blob.epoch, blob.quorum),
					"a certified blob's quorum is gone"
				);
				ensure!(
					ExpiryQueue::<T>::get(blob.expires_at).contains(&id) || retained.contains(&id),
					"a certified blob is in neither the expiry nor the retention queue"
				);
				continue;
			}
			let fee = held.entry(blob.submitter.clone()).or_default();
			*fee = fee.saturating_add(blob.fee);
			ensure!(
				ExpiryQueue::<T>::get(blob.expires_at).contains(&id),
				"a pending blob is missing from its expiry queue"
			);
			let quorum =
				Quorums::<T>::get(blob.epoch, blob.quorum).ok_or("a pending blob has no quorum")?;
			let mut attested = BalanceOf::<T>::zero();
			for index in blob.attesters.iter() {
				let (_, stake) =
					quorum.members.get(*index as usize).ok_or("an attester is not a member")?;
				attested = attested.saturating_add(*stake);
			}
			ensure!(attested == blob.attested_stake, "a blob's attested stake is not the sum");
			ensure!(attested < quorum.threshold, "a pending blob has reached the threshold");
		}
		ensure!(
			BlobIds::<T>::iter().count() == blobs,
			"the commitment index names blobs that are gone"
		);
		for (submitter, fee) in held.iter() {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::BlobFee.into(), submitter) == *fee,
				"a submitter's fee hold differs from the fees of its pending blobs"
			);
		}
		Ok(())
	}
}
