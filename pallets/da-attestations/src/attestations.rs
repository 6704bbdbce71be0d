//! Attestations: recording a member's attestation, certifying a blob at the threshold and paying
//! its fee to the attesters.
//!
//! Each blob of a batch is handled on its own; a rejected blob changes nothing. A certified
//! blob's fee leaves the submitter's `BlobFee` hold entirely: shares go to the attesters pro rata
//! to their quorum stake, the rounding dust to the first attester.

use crate::{
	weights::WeightInfo, AttestOutcome, AttestRejection, BalanceOf, BlobId, BlobInfo, BlobStatus,
	Blobs, Config, Error, Event, HoldReason, NextBlobId, Pallet, Quorum, Quorums, LOG_TARGET,
};
use alloc::vec::Vec;
use polkadot_sdk::{
	frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::MutateHold,
			tokens::{Fortitude, Precision, Restriction},
		},
	},
	frame_system::{self, pallet_prelude::BlockNumberFor},
	sp_runtime::{
		traits::{Saturating, Zero},
		SaturatedConversion,
	},
};

impl<T: Config> From<AttestRejection> for Error<T> {
	fn from(rejection: AttestRejection) -> Self {
		match rejection {
			AttestRejection::UnknownBlob => Error::<T>::UnknownBlob,
			AttestRejection::BlobExpired => Error::<T>::BlobExpired,
			AttestRejection::NotQuorumMember => Error::<T>::NotQuorumMember,
			AttestRejection::AlreadyAttested => Error::<T>::AlreadyAttested,
			AttestRejection::AlreadyCertified => Error::<T>::AlreadyCertified,
		}
	}
}

impl<T: Config> Pallet<T> {
	/// The weight of an `attest` of `batch` blobs of which `certified` were certified by it:
	/// `attest_uncertified(n)` if none, else `attest(c) + attest_uncertified(n) -
	/// attest_uncertified(c)`: the certifying blobs at the worst-case price (whose fixed part
	/// pays for writing every attester's account once) and the rest (attested, or rejected
	/// after at most the same reads) at the price of a recorded attestation. Never more than
	/// the declared `attest(n)`.
	pub fn attest_weight(batch: u32, certified: u32) -> Weight {
		let certified = certified.min(batch);
		if certified == 0 {
			return T::WeightInfo::attest_uncertified(batch).min(T::WeightInfo::attest(batch));
		}
		T::WeightInfo::attest(certified)
			.saturating_add(T::WeightInfo::attest_uncertified(batch))
			.saturating_sub(T::WeightInfo::attest_uncertified(certified))
			.min(T::WeightInfo::attest(batch))
	}

	/// Attests `signer` to every blob of `ids`; returns how many were recorded and each
	/// outcome. Fails with the first blob's error if none was recorded.
	pub(crate) fn attest_batch(
		signer: &T::AccountId,
		ids: &[BlobId],
	) -> Result<(u32, BoundedVec<AttestOutcome, T::MaxAttestationBatch>), DispatchError> {
		let now = frame_system::Pallet::<T>::block_number();
		let mut liable_until = None;
		let outcomes: Vec<AttestOutcome> = ids
			.iter()
			.map(|id| {
				Self::attest_one(signer, *id, now, &mut liable_until)
					.unwrap_or_else(AttestOutcome::Rejected)
			})
			.collect();
		let attested = outcomes.iter().filter(|outcome| outcome.is_recorded()).count() as u32;
		// Every recorded attestation makes the signer liable until the blob would retire: one
		// write per batch, in the attester's own transaction.
		if let Some(expires_at) = liable_until {
			Self::extend_custody(signer, expires_at); // custody.rs
		}
		if attested == 0 {
			if let Some(AttestOutcome::Rejected(first)) = outcomes.first() {
				return Err(Error::<T>::from(*first).into());
			}
		}
		// One outcome per id, and `ids` is bounded by `MaxAttestationBatch`.
		Ok((attested, BoundedVec::truncate_from(outcomes)))
	}

	/// Records `signer`'s attestation to blob `id` at block `now`, certifying it at the
	/// threshold; raises `liable_until` to the blob's window end once recorded.
	fn attest_one(
		signer: &T::AccountId,
		id: BlobId,
		now: BlockNumberFor<T>,
		liable_until: &mut Option<BlockNumberFor<T>>,
	) -> Result<AttestOutcome, AttestRejection> {
		if id >= NextBlobId::<T>::get() {
			return Err(AttestRejection::UnknownBlob);
		}
		// Ids below `NextBlobId` are only ever removed when they expire.
		let mut blob = Blobs::<T>::get(id).ok_or(AttestRejection::BlobExpired)?;
		if matches!(blob.status, BlobStatus::Certified { .. }) {
			return Err(AttestRejection::AlreadyCertified);
		}
		if now >= blob.expires_at {
			return Err(AttestRejection::BlobExpired);
		}
		// The quorum of a pending blob outlives it (`AttestationWindow <= EpochLength`).
		let quorum =
			Quorums::<T>::get(blob.epoch, blob.quorum).ok_or(AttestRejection::BlobExpired)?;
		let (index, stake) = quorum.member(signer).ok_or(AttestRejection::NotQuorumMember)?;
		if blob.attesters.contains(&index) {
			return Err(AttestRejection::AlreadyAttested);
		}
		// Attesters are distinct quorum positions, so there is room for every member.
		blob.attesters.try_push(index).map_err(|_| AttestRejection::AlreadyAttested)?;
		blob.attested_stake = blob.attested_stake.saturating_add(stake);
		*liable_until = (*liable_until).max(Some(blob.expires_at));
		let outcome = if blob.attested_stake >= quorum.threshold {
			Self::certify(id, &mut blob, &quorum, now);
			AttestOutcome::Certified
		} else {
			AttestOutcome::Attested
		};
		Blobs::<T>::insert(id, blob);
		Ok(outcome)
	}

	/// Marks `blob` certified at `now`, pays its fee to its attesters, keeps its quorum for as
	/// long as the blob is retained and emits the event.
	fn certify(id: BlobId, blob: &mut BlobInfo<T>, quorum: &Quorum<T>, now: BlockNumberFor<T>) {
		blob.status = BlobStatus::Certified { at: now };
		Quorums::<T>::mutate(blob.epoch, blob.quorum, |kept| {
			if let Some(kept) = kept {
				kept.blobs_kept = kept.blobs_kept.saturating_add(1);
			}
		});
		let fee_paid = Self::pay_attesters(id, blob, quorum);
		Self::start_custody(id); // custody.rs
		Self::deposit_event(Event::BlobCertified {
			id,
			root: blob.commitment.root,
			at: now,
			attested_stake: blob.attested_stake,
			attesters: blob.attesters.len() as u32,
			fee_paid,
		});
	}

	/// Splits `blob.fee` among its attesters pro rata to their quorum stake; returns the amount
	/// paid. A share that cannot be paid (never expected: attesters hold a stake, so their
	/// accounts exist) is released to the submitter instead, so the hold never outlives the
	/// blob.
	fn pay_attesters(id: BlobId, blob: &BlobInfo<T>, quorum: &Quorum<T>) -> BalanceOf<T> {
		let shares = fee_shares::<T>(blob, quorum);
		let reason = HoldReason::BlobFee.into();
		let mut paid = BalanceOf::<T>::zero();
		for (attester, share) in shares {
			if share.is_zero() {
				continue;
			}
			let transferred = T::Currency::transfer_on_hold(
				&reason,
				&blob.submitter,
				&attester,
				share,
				Precision::Exact,
				Restriction::Free,
				Fortitude::Polite,
			);
			match transferred {
				Ok(amount) => paid = paid.saturating_add(amount),
				Err(error) => {
					log::error!(
						target: LOG_TARGET,
						"paying {share:?} of blob {id} to an attester failed: {error:?}"
					);
					if let Err(error) =
						T::Currency::release(&reason, &blob.submitter, share, Precision::BestEffort)
					{
						log::error!(target: LOG_TARGET, "releasing it failed too: {error:?}");
					}
				},
			}
		}
		paid
	}
}

/// Each attester of `blob` with its share of the fee: `fee × stake / attested_stake` rounded
/// down, plus the rounding dust for the first attester. The shares add up to the fee.
pub(crate) fn fee_shares<T: Config>(
	blob: &BlobInfo<T>,
	quorum: &Quorum<T>,
) -> Vec<(T::AccountId, BalanceOf<T>)> {
	let fee = blob.fee.saturated_into::<u128>();
	let attested = blob.attested_stake.saturated_into::<u128>();
	let mut shares: Vec<(T::AccountId, u128)> = blob
		.attesters
		.iter()
		.filter_map(|index| quorum.members.get(*index as usize))
		.map(|(account, stake)| {
			let share =
				polkadot_sdk::sp_runtime::helpers_128bit::multiply_by_rational_with_rounding(
					fee,
					(*stake).saturated_into::<u128>(),
					attested,
					polkadot_sdk::sp_runtime::Rounding::Down,
				)
				.unwrap_or(0);
			(account.clone(), share)
		})
		.collect();
	let distributed = shares.iter().fold(0u128, |sum, (_, share)| sum.saturating_add(*share));
	if let Some((_, first)) = shares.first_mut() {
		*first = first.saturating_add(fee.saturating_sub(distributed));
	}
	shares
		.into_iter()
		.map(|(account, share)| (account, share.saturated_into::<BalanceOf<T>>()))
		.collect()
}
