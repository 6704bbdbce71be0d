//! Inference settlement: checks each signed receipt of a batch on its own and pays the valid
//! ones from the users' sub-accounts.

use crate::{
	BalanceOf, Config, Error, HoldReason, Ledger, Ledgers, Pallet, ReceiptOutcome, ServiceId,
	ServiceInfo, ServiceKind, SignedReceiptOf, SubAccounts, Verifiability,
};
use alloc::vec::Vec;
use polkadot_sdk::{
	frame_support::{ensure, pallet_prelude::*, traits::tokens::Precision},
	frame_system::{self, pallet_prelude::BlockNumberFor},
	sp_runtime::traits::{Saturating, Verify, Zero},
};

impl<T: Config> Pallet<T> {
	/// Settles `receipts` for `provider`'s inference service `service_id`; returns each
	/// receipt's outcome, in order, and the total paid to the provider.
	pub(crate) fn settle_batch(
		provider: &T::AccountId,
		service_id: ServiceId,
		receipts: &BoundedVec<SignedReceiptOf<T>, T::MaxReceiptsPerBatch>,
	) -> Result<(BoundedVec<ReceiptOutcome, T::MaxReceiptsPerBatch>, BalanceOf<T>), DispatchError>
	{
		let service = Self::provider_service(provider, service_id)?;
		ensure!(service.kind == ServiceKind::Inference, Error::<T>::NotInferenceService);
		let now = frame_system::Pallet::<T>::block_number();
		let genesis_hash = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
		let mut paid = BalanceOf::<T>::zero();
		let outcomes: Vec<ReceiptOutcome> = receipts
			.iter()
			.map(|signed| {
				match Self::settle_receipt(
					provider,
					service_id,
					&service,
					signed,
					genesis_hash.as_ref(),
					now,
				) {
					Ok(fee) => {
						paid = paid.saturating_add(fee);
						ReceiptOutcome::Settled
					},
					Err(outcome) => outcome,
				}
			})
			.collect();
		// One outcome per receipt, and `receipts` has the same bound.
		Ok((BoundedVec::truncate_from(outcomes), paid))
	}

	/// Checks one receipt and, when it is valid, pays its fee; returns the fee, or the reason the
	/// receipt was rejected. A rejected receipt changes nothing. `genesis_hash` is this chain's,
	/// part of what the signature covers.
	fn settle_receipt(
		provider: &T::AccountId,
		service_id: ServiceId,
		service: &ServiceInfo<T>,
		signed: &SignedReceiptOf<T>,
		genesis_hash: &[u8],
		now: BlockNumberFor<T>,
	) -> Result<BalanceOf<T>, ReceiptOutcome> {
		let receipt = &signed.receipt;
		ensure!(receipt.service == service_id, ReceiptOutcome::WrongService);
		ensure!(receipt.provider == *provider, ReceiptOutcome::WrongProvider);
		let user = &receipt.user;
		let mut sub = SubAccounts::<T>::get(user, provider);
		ensure!(receipt.nonce > sub.last_nonce, ReceiptOutcome::BadNonce);
		let payload = receipt.signing_payload(genesis_hash);
		// The user's own signature always counts; an enclave's only for a key this user
		// acknowledged for this service and governance still approves.
		if !signed.signature.verify(&payload[..], user) {
			let Verifiability::Tee { signer: enclave } = &service.verifiability else {
				return Err(ReceiptOutcome::BadSignature);
			};
			ensure!(signed.signature.verify(&payload[..], enclave), ReceiptOutcome::BadSignature);
			Self::enclave_may_sign_for(user, service_id, enclave)?; // enclaves.rs
		}
		ensure!(
			receipt.fee <= Self::token_price(service, receipt.input_tokens, receipt.output_tokens),
			ReceiptOutcome::FeeAbovePrice
		);

		let fee = receipt.fee;
		let from_sub_account = fee.min(sub.balance);
		let from_refunds = fee.saturating_sub(from_sub_account);
		let mut ledger = None;
		if !from_refunds.is_zero() {
			let mut user_ledger = Ledgers::<T>::get(user).unwrap_or_default();
			ensure!(
				Self::draw_locked_refunds(&mut user_ledger, provider, from_refunds, now),
				ReceiptOutcome::InsufficientFunds
			);
			ledger = Some(user_ledger);
		}
		Self::pay_from_hold(HoldReason::Ledger, user, provider, fee, Precision::Exact)
			.map_err(|_| ReceiptOutcome::PaymentFailed)?;

		sub.balance = sub.balance.saturating_sub(from_sub_account);
		sub.last_nonce = receipt.nonce;
		Self::put_sub_account(user, provider, sub);
		if let Some(ledger) = ledger {
			if ledger.is_empty() {
				Ledgers::<T>::remove(user);
			} else {
				Ledgers::<T>::insert(user, ledger);
			}
		}
		Ok(fee)
	}

	/// The most a receipt for these token counts may charge on `service`, saturating at the
	/// balance type's maximum.
	pub(crate) fn token_price(
		service: &ServiceInfo<T>,
		input_tokens: u64,
		output_tokens: u64,
	) -> BalanceOf<T> {
		zerog_primitives::compute::TokenPrices {
			input: service.input_price_per_token,
			output: service.output_price_per_token,
		}
		.price(input_tokens, output_tokens)
	}

	/// Takes `amount` from `ledger`'s refunds from `provider` that are still locked at `now`,
	/// most recent first, so the user keeps the refunds closest to unlocking. Returns `false`
	/// and changes nothing when they hold less than `amount`.
	fn draw_locked_refunds(
		ledger: &mut Ledger<T>,
		provider: &T::AccountId,
		amount: BalanceOf<T>,
		now: BlockNumberFor<T>,
	) -> bool {
		let is_drawable = |refund: &crate::PendingRefundOf<T>| {
			refund.provider == *provider && refund.unlocks_at > now
		};
		let drawable = ledger
			.pending_refunds
			.iter()
			.filter(|refund| is_drawable(refund))
			.fold(BalanceOf::<T>::zero(), |sum, refund| sum.saturating_add(refund.amount));
		if drawable < amount {
			return false;
		}
		let mut left = amount;
		for refund in ledger.pending_refunds.iter_mut().rev() {
			if left.is_zero() {
				break;
			}
			if is_drawable(refund) {
				let taken = left.min(refund.amount);
				refund.amount = refund.amount.saturating_sub(taken);
				left = left.saturating_sub(taken);
			}
		}
		ledger.pending_refunds.retain(|refund| !refund.amount.is_zero());
		true
	}
}
