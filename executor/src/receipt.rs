//! The pallet's inference receipt types for ZeroG's `AccountId32`, `u128` balance and
//! `MultiSignature`, as the executor signs, checks, stores and submits them.
//!
//! The types are `zerog_primitives::compute`'s, the ones the pallet itself uses, so the
//! executor builds without FRAME and cannot drift from the layout `settle_receipts` decodes.
//! What is added here is reading a wallet's signature in whichever form it comes.

use codec::{Decode, Encode};
use polkadot_sdk::{
	sp_core::{ecdsa, ed25519, sr25519},
	sp_runtime::{traits::Verify, AccountId32, MultiSignature},
};

/// What a provider claims it served to a user: the message the user signs.
pub type InferenceReceipt = zerog_primitives::compute::InferenceReceipt<AccountId32, u128>;

/// A receipt and the user's signature over its signing payload: one element of the
/// `settle_receipts` batch.
pub type SignedReceipt =
	zerog_primitives::compute::SignedReceipt<AccountId32, u128, MultiSignature>;

/// What `settle_receipts` did with one receipt, from the `ReceiptsSettled` event.
pub use zerog_primitives::compute::ReceiptOutcome;

/// Reads a signature over `payload` by `signer` from its bytes, in any form a wallet produces:
/// a SCALE `MultiSignature` (65 or 66 bytes), or a raw sr25519 / ed25519 (64 bytes) or ecdsa
/// (65 bytes; Substrate's blake2 form or Ethereum's keccak form) signature. Returns the `MultiSignature` that verifies, which is what the pallet
/// gets, or `None` if no reading of the bytes verifies.
pub fn signature_that_verifies(
	bytes: &[u8],
	payload: &[u8],
	signer: &AccountId32,
) -> Option<MultiSignature> {
	let mut candidates = Vec::with_capacity(2);
	match bytes.len() {
		64 => {
			let mut raw = [0u8; 64];
			raw.copy_from_slice(bytes);
			candidates.push(MultiSignature::Sr25519(sr25519::Signature::from_raw(raw)));
			candidates.push(MultiSignature::Ed25519(ed25519::Signature::from_raw(raw)));
		},
		65 | 66 => {
			if let Ok(signature) = MultiSignature::decode(&mut &bytes[..]) {
				if signature.encoded_size() == bytes.len() {
					candidates.push(signature);
				}
			}
			if bytes.len() == 65 {
				let mut raw = [0u8; 65];
				raw.copy_from_slice(bytes);
				candidates.push(MultiSignature::Ecdsa(ecdsa::Signature::from_raw(raw)));
				candidates.push(MultiSignature::Eth(ecdsa::KeccakSignature::from_raw(raw)));
			}
		},
		_ => {},
	}
	candidates.into_iter().find(|signature| signature.verify(payload, signer))
}

#[cfg(test)]
mod tests {
	use super::*;
	use polkadot_sdk::{
		sp_core::{Pair, H256},
		sp_runtime::traits::IdentifyAccount,
	};

	fn receipt(user: AccountId32) -> InferenceReceipt {
		InferenceReceipt {
			user,
			provider: AccountId32::new([2; 32]),
			service: 3,
			nonce: 4,
			input_tokens: 5,
			output_tokens: 6,
			fee: 7,
			request_hash: H256([8; 32]),
		}
	}

	#[test]
	fn raw_and_scale_signatures_of_every_scheme_verify() {
		let sr = sr25519::Pair::from_seed(&[1; 32]);
		let ed = ed25519::Pair::from_seed(&[2; 32]);
		let ec = ecdsa::Pair::from_seed(&[3; 32]);
		for (account, raw, multi) in [
			{
				let account = AccountId32::from(sr.public());
				let signature = sr.sign(&receipt(account.clone()).encode());
				(account, signature.0.to_vec(), MultiSignature::from(signature))
			},
			{
				let account = AccountId32::from(ed.public());
				let signature = ed.sign(&receipt(account.clone()).encode());
				(account, signature.0.to_vec(), MultiSignature::from(signature))
			},
			{
				let account: AccountId32 =
					polkadot_sdk::sp_runtime::MultiSigner::from(ec.public()).into_account();
				let signature = ec.sign(&receipt(account.clone()).encode());
				(account, signature.0.to_vec(), MultiSignature::from(signature))
			},
		] {
			let genesis = H256([9; 32]);
			let payload = receipt(account.clone()).encode();
			assert_eq!(signature_that_verifies(&raw, &payload, &account), Some(multi.clone()));
			assert_eq!(signature_that_verifies(&multi.encode(), &payload, &account), Some(multi));
			// A signature of the bare encoding is not one of the receipt: it lacks the domain.
			let read = signature_that_verifies(&raw, &payload, &account).unwrap();
			assert!(!receipt(account.clone()).is_signed_by(&read, &account, genesis));
			let mut other = receipt(account.clone());
			other.fee += 1;
			assert_eq!(signature_that_verifies(&raw, &other.encode(), &account), None);
		}
		assert_eq!(signature_that_verifies(&[0; 10], b"x", &AccountId32::new([0; 32])), None);
	}
}
