//! The pallet's inference receipt types, as the executor signs, checks, stores and submits them.
//!
//! These mirror `pallet_compute_escrow::{InferenceReceipt, SignedReceipt, ReceiptOutcome}` for
//! ZeroG's `AccountId32`, `u128` balance and `MultiSignature`. Their SCALE layout is part of the
//! protocol (the pallet only ever appends fields), and the signed payload is
//! `"zerog/compute/receipt/v1" ‖ genesis hash ‖ SCALE(receipt)`
//! ([`InferenceReceipt::signing_payload`], `zerog_primitives::compute`): `settle_receipts`
//! verifies `signature.verify(receipt.signing_payload(genesis), user)`. The executor keeps its own copy rather than
//! depending on the pallet crate so it builds without FRAME; `tests` in this file pin the layout.

use codec::{Decode, Encode};
use polkadot_sdk::{
	sp_core::{ecdsa, ed25519, sr25519, H256},
	sp_runtime::{traits::Verify, AccountId32, MultiSignature},
};

/// What a provider claims it served to a user: the message the user signs.
#[derive(Clone, Encode, Decode, PartialEq, Eq, Debug)]
pub struct InferenceReceipt {
	/// The user who was served and pays.
	pub user: AccountId32,
	/// The provider who served and is paid.
	pub provider: AccountId32,
	/// The service that served the request.
	pub service: u64,
	/// Strictly increasing per (user, provider), starting at 1; each nonce settles once.
	pub nonce: u64,
	/// Number of input (prompt) tokens.
	pub input_tokens: u64,
	/// Number of output (completion) tokens.
	pub output_tokens: u64,
	/// Amount charged, in the smallest unit; at most the service's price for the tokens.
	pub fee: u128,
	/// Hash of the request (and, once served, the response): see the crate docs.
	pub request_hash: H256,
}

impl InferenceReceipt {
	/// The bytes signed for this receipt on the chain whose genesis hash is `genesis_hash`.
	pub fn signing_payload(&self, genesis_hash: &H256) -> Vec<u8> {
		zerog_primitives::compute::receipt_signing_payload(genesis_hash.as_bytes(), &self.encode())
	}

	/// Whether `signature` is the user's signature over this receipt for the chain whose genesis
	/// hash is `genesis_hash`, as the pallet checks it.
	pub fn is_signed_by_user(&self, signature: &MultiSignature, genesis_hash: &H256) -> bool {
		signature.verify(&self.signing_payload(genesis_hash)[..], &self.user)
	}
}

/// A receipt and the user's signature over its SCALE encoding: one element of the
/// `settle_receipts` batch.
#[derive(Clone, Encode, Decode, PartialEq, Eq, Debug)]
pub struct SignedReceipt {
	/// The signed receipt.
	pub receipt: InferenceReceipt,
	/// The user's signature over `receipt.signing_payload(genesis_hash)`.
	pub signature: MultiSignature,
}

/// What `settle_receipts` did with one receipt, from the `ReceiptsSettled` event.
#[derive(Clone, Copy, Encode, Decode, PartialEq, Eq, Debug)]
pub enum ReceiptOutcome {
	/// The fee moved from the user to the provider and the nonce was consumed.
	Settled,
	/// The receipt names another service than the one being settled.
	WrongService,
	/// The receipt names another provider than the caller.
	WrongProvider,
	/// The nonce is not above the last settled nonce of the (user, provider) pair.
	BadNonce,
	/// The signature is not the user's over the receipt.
	BadSignature,
	/// The fee is above the service's price for the receipt's tokens.
	FeeAbovePrice,
	/// The user's sub-account (with refunds still locked) cannot cover the fee.
	InsufficientFunds,
	/// The token transfer failed.
	PaymentFailed,
	/// Signed by the service's enclave key, which the user has not acknowledged.
	SignerNotAcknowledged,
	/// Signed by the service's enclave key, which governance no longer approves.
	EnclaveNotApproved,
}

impl ReceiptOutcome {
	/// The variant's name, as the pallet's metadata spells it.
	pub fn name(&self) -> &'static str {
		match self {
			Self::Settled => "Settled",
			Self::WrongService => "WrongService",
			Self::WrongProvider => "WrongProvider",
			Self::BadNonce => "BadNonce",
			Self::BadSignature => "BadSignature",
			Self::FeeAbovePrice => "FeeAbovePrice",
			Self::InsufficientFunds => "InsufficientFunds",
			Self::PaymentFailed => "PaymentFailed",
			Self::SignerNotAcknowledged => "SignerNotAcknowledged",
			Self::EnclaveNotApproved => "EnclaveNotApproved",
		}
	}
}

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
	use polkadot_sdk::{sp_core::Pair, sp_runtime::traits::IdentifyAccount};

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
	fn the_signed_payload_is_the_pallet_layout() {
		let encoded = receipt(AccountId32::new([1; 32])).encode();
		let mut expected = vec![1u8; 32];
		expected.extend([2u8; 32]);
		expected.extend(3u64.to_le_bytes());
		expected.extend(4u64.to_le_bytes());
		expected.extend(5u64.to_le_bytes());
		expected.extend(6u64.to_le_bytes());
		expected.extend(7u128.to_le_bytes());
		expected.extend([8u8; 32]);
		assert_eq!(encoded, expected);
		assert_eq!(encoded.len(), 144);
	}

	#[test]
	fn a_receipt_signature_covers_the_domain_and_the_genesis_hash() {
		let pair = sr25519::Pair::from_seed(&[1; 32]);
		let receipt = receipt(AccountId32::from(pair.public()));
		let genesis = H256([9; 32]);
		let payload = receipt.signing_payload(&genesis);
		assert_eq!(&payload[..24], b"zerog/compute/receipt/v1");
		assert_eq!(&payload[24..56], genesis.as_bytes());
		assert_eq!(&payload[56..], &receipt.encode()[..]);
		let signature = MultiSignature::from(pair.sign(&payload));
		assert!(receipt.is_signed_by_user(&signature, &genesis));
		assert!(!receipt.is_signed_by_user(&signature, &H256([10; 32])));
	}

	#[test]
	fn outcomes_decode_from_their_variant_index() {
		let outcomes = Vec::<ReceiptOutcome>::decode(&mut &[2u8 << 2, 0, 3][..]).unwrap();
		assert_eq!(outcomes, vec![ReceiptOutcome::Settled, ReceiptOutcome::BadNonce]);
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
			assert!(!receipt(account.clone()).is_signed_by_user(&read, &genesis));
			let mut other = receipt(account.clone());
			other.fee += 1;
			assert_eq!(signature_that_verifies(&raw, &other.encode(), &account), None);
		}
		assert_eq!(signature_that_verifies(&[0; 10], b"x", &AccountId32::new([0; 32])), None);
	}
}
