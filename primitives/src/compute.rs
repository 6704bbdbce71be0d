//! The compute marketplace's signed messages and fee rule, as the pallet checks them and the
//! executor, the client and wallets sign and price them: one definition for all of them.
//!
//! The receipt types keep the metadata path `pallet_compute_escrow::types::…` they had when the
//! pallet defined them (`#[scale_info(replace_segment(…))]`), so clients that name them by that
//! path (polkadot.js's `PalletComputeEscrowInferenceReceipt`) see no change.

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::{
	sp_core::H256,
	sp_runtime::{
		traits::{AtLeast32BitUnsigned, Hash as _, IdentifyAccount, Keccak256, Verify},
		SaturatedConversion,
	},
};
use scale_info::TypeInfo;

/// Identifier of a compute service.
pub type ServiceId = u64;

/// Tag that starts every signed inference receipt (the cap receipt of a request header, the
/// user's countersignature and an enclave's receipt), so a signature made for a receipt can
/// never be read as a signature of anything else.
pub const RECEIPT_DOMAIN: &[u8] = b"zerog/compute/receipt/v1";

/// The bytes signed for an inference receipt: [`RECEIPT_DOMAIN`] ‖ the chain's genesis hash ‖
/// the SCALE encoding of the receipt.
///
/// The genesis hash binds the signature to one chain: a receipt signed on a test network (or on
/// a fork with another genesis) cannot be settled on another ZeroG chain where the same accounts
/// hold funds.
pub fn receipt_signing_payload(genesis_hash: &[u8], encoded_receipt: &[u8]) -> Vec<u8> {
	let mut payload =
		Vec::with_capacity(RECEIPT_DOMAIN.len() + genesis_hash.len() + encoded_receipt.len());
	payload.extend_from_slice(RECEIPT_DOMAIN);
	payload.extend_from_slice(genesis_hash);
	payload.extend_from_slice(encoded_receipt);
	payload
}

/// What a provider claims it served to a user: the message a user (or the service's enclave)
/// signs. The signed bytes are [`receipt_signing_payload`] of the chain's genesis hash and this
/// receipt's SCALE encoding ([`Self::signing_payload`]). The layout is part of the protocol:
/// fields are only ever appended.
#[derive(
	Clone, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, PartialEq, Eq, Debug,
)]
#[scale_info(replace_segment("zerog_primitives", "pallet_compute_escrow"))]
#[scale_info(replace_segment("compute", "types"))]
pub struct InferenceReceipt<AccountId, Balance> {
	/// The user who was served and pays.
	pub user: AccountId,
	/// The provider who served and is paid.
	pub provider: AccountId,
	/// The service that served the request.
	pub service: ServiceId,
	/// Strictly increasing per (user, provider), starting at 1; each nonce settles once.
	pub nonce: u64,
	/// Number of input (prompt) tokens.
	pub input_tokens: u64,
	/// Number of output (completion) tokens.
	pub output_tokens: u64,
	/// Amount charged, in the smallest unit; at most the service's [`TokenPrices::price`] of
	/// the tokens.
	pub fee: Balance,
	/// Hash of the request (a cap receipt: `keccak256(body)`) or of request and answer (a
	/// metered receipt: [`served_request_hash`]), so either side can prove what was served.
	pub request_hash: H256,
}

impl<AccountId: Encode, Balance: Encode> InferenceReceipt<AccountId, Balance> {
	/// The bytes a signature of this receipt covers on the chain whose genesis hash is
	/// `genesis_hash`: a domain tag, the genesis hash and the receipt's SCALE encoding.
	pub fn signing_payload(&self, genesis_hash: impl AsRef<[u8]>) -> Vec<u8> {
		receipt_signing_payload(genesis_hash.as_ref(), &self.encode())
	}

	/// Whether `signature` is `signer`'s over this receipt on the chain whose genesis hash is
	/// `genesis_hash`, as `settle_receipts` checks it.
	pub fn is_signed_by<Signature: Verify>(
		&self,
		signature: &Signature,
		signer: &<Signature::Signer as IdentifyAccount>::AccountId,
		genesis_hash: impl AsRef<[u8]>,
	) -> bool {
		signature.verify(&self.signing_payload(genesis_hash)[..], signer)
	}
}

/// A receipt and its signature over the receipt's signing payload: one element of a
/// `settle_receipts` batch.
#[derive(
	Clone, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, PartialEq, Eq, Debug,
)]
#[scale_info(replace_segment("zerog_primitives", "pallet_compute_escrow"))]
#[scale_info(replace_segment("compute", "types"))]
pub struct SignedReceipt<AccountId, Balance, Signature> {
	/// The signed receipt.
	pub receipt: InferenceReceipt<AccountId, Balance>,
	/// Signature by the user, or by the service's enclave key for a TEE service.
	pub signature: Signature,
}

/// What happened to one receipt of a `settle_receipts` batch.
#[derive(
	Clone,
	Copy,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	PartialEq,
	Eq,
	Debug,
)]
#[scale_info(replace_segment("zerog_primitives", "pallet_compute_escrow"))]
#[scale_info(replace_segment("compute", "types"))]
pub enum ReceiptOutcome {
	/// The fee moved from the user to the provider and the nonce was consumed.
	Settled,
	/// The receipt names another service than the one being settled.
	WrongService,
	/// The receipt names another provider than the caller.
	WrongProvider,
	/// The nonce is not above the last settled nonce of the (user, provider) pair: a replay, or
	/// receipts out of order.
	BadNonce,
	/// The signature is not the user's (or, for a TEE service, the enclave's) over the receipt.
	BadSignature,
	/// The fee is above the service's price for the receipt's tokens.
	FeeAbovePrice,
	/// The user's sub-account for the provider (with refunds still locked) cannot cover the fee.
	InsufficientFunds,
	/// The token transfer failed (for example the provider's account cannot receive it).
	PaymentFailed,
	/// The receipt is signed by the service's enclave key, but the user has not acknowledged
	/// that key for this service (`acknowledge_signer`), so only the user's own signature counts.
	SignerNotAcknowledged,
	/// The receipt is signed by the service's enclave key, which `EnclaveOrigin` no longer
	/// approves.
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

/// An inference service's prices per token, in the smallest unit, as registered on chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct TokenPrices<Balance> {
	/// Price of one input (prompt) token.
	pub input: Balance,
	/// Price of one output (completion) token.
	pub output: Balance,
}

impl<Balance: AtLeast32BitUnsigned + Copy> TokenPrices<Balance> {
	/// The fee rule: the most a receipt for these token counts may charge,
	/// `input_tokens × input + output_tokens × output`, saturating at the balance type's
	/// maximum. The pallet refuses a receipt whose fee is above it (`FeeAbovePrice`); the
	/// gateway charges it and the client checks it before countersigning.
	pub fn price(&self, input_tokens: u64, output_tokens: u64) -> Balance {
		input_tokens
			.saturated_into::<Balance>()
			.saturating_mul(self.input)
			.saturating_add(output_tokens.saturated_into::<Balance>().saturating_mul(self.output))
	}

	/// The most output tokens `max_fee` pays for once `input_tokens` input tokens are paid, at
	/// most `output_cap`; `None` when `max_fee` does not even pay for the input. A gateway never
	/// lets its backend produce more than this, so every answer it serves is paid for.
	pub fn output_tokens_paid(
		&self,
		max_fee: Balance,
		input_tokens: u64,
		output_cap: u64,
	) -> Option<u64> {
		let input = input_tokens.saturated_into::<Balance>().saturating_mul(self.input);
		let left = max_fee.checked_sub(&input)?;
		if self.output.is_zero() {
			return Some(output_cap);
		}
		Some((left / self.output).saturated_into::<u64>().min(output_cap))
	}
}

/// keccak256 of `bytes`, as Ethereum computes it: a cap receipt's `request_hash` is that of the
/// request body.
pub fn keccak_256(bytes: &[u8]) -> [u8; 32] {
	Keccak256::hash(bytes).0
}

/// The `request_hash` of a served request's metered receipt:
/// `keccak256(keccak256(request body) ‖ keccak256(response body))`, so the receipt proves both
/// what was asked and what was answered.
pub fn served_request_hash(request_body: &[u8], response_body: &[u8]) -> H256 {
	let mut both = [0u8; 64];
	both[..32].copy_from_slice(&keccak_256(request_body));
	both[32..].copy_from_slice(&keccak_256(response_body));
	H256(keccak_256(&both))
}

#[cfg(test)]
mod tests {
	use super::*;
	use polkadot_sdk::{
		sp_core::{sr25519, Pair},
		sp_runtime::AccountId32,
	};

	fn receipt(user: AccountId32) -> InferenceReceipt<AccountId32, u128> {
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
	fn the_payload_is_domain_then_genesis_then_receipt() {
		let payload = receipt_signing_payload(&[7u8; 32], &[1, 2, 3]);
		assert_eq!(&payload[..24], b"zerog/compute/receipt/v1");
		assert_eq!(&payload[24..56], &[7u8; 32]);
		assert_eq!(&payload[56..], &[1, 2, 3]);
	}

	#[test]
	fn a_receipt_is_144_bytes_in_field_order() {
		let encoded = receipt(AccountId32::new([1; 32])).encode();
		let mut expected = vec![1u8; 32];
		expected.extend([2u8; 32]);
		for field in [3u64, 4, 5, 6] {
			expected.extend(field.to_le_bytes());
		}
		expected.extend(7u128.to_le_bytes());
		expected.extend([8u8; 32]);
		assert_eq!(encoded, expected);
		assert_eq!(encoded.len(), 144);
	}

	#[test]
	fn a_signature_covers_the_domain_and_the_genesis_hash() {
		let pair = sr25519::Pair::from_seed(&[1; 32]);
		let user = AccountId32::from(pair.public());
		let receipt = receipt(user.clone());
		let genesis = H256([9; 32]);
		let signature = polkadot_sdk::sp_runtime::MultiSignature::from(
			pair.sign(&receipt.signing_payload(genesis)),
		);
		assert!(receipt.is_signed_by(&signature, &user, genesis));
		assert!(!receipt.is_signed_by(&signature, &user, H256([10; 32])));
		assert!(!receipt.is_signed_by(&signature, &AccountId32::new([2; 32]), genesis));
		let bare = polkadot_sdk::sp_runtime::MultiSignature::from(pair.sign(&receipt.encode()));
		assert!(!receipt.is_signed_by(&bare, &user, genesis), "the domain is part of it");
	}

	#[test]
	fn outcomes_decode_from_their_variant_index_and_name_themselves() {
		let outcomes = Vec::<ReceiptOutcome>::decode(&mut &[2u8 << 2, 0, 3][..]).unwrap();
		assert_eq!(outcomes, vec![ReceiptOutcome::Settled, ReceiptOutcome::BadNonce]);
		assert_eq!(ReceiptOutcome::EnclaveNotApproved.name(), "EnclaveNotApproved");
	}

	#[test]
	fn the_metadata_path_is_the_pallets() {
		let path = |info: scale_info::Type| info.path.segments.join("::");
		assert_eq!(
			path(InferenceReceipt::<AccountId32, u128>::type_info()),
			"pallet_compute_escrow::types::InferenceReceipt"
		);
		assert_eq!(
			path(SignedReceipt::<AccountId32, u128, u8>::type_info()),
			"pallet_compute_escrow::types::SignedReceipt"
		);
		assert_eq!(
			path(ReceiptOutcome::type_info()),
			"pallet_compute_escrow::types::ReceiptOutcome"
		);
	}

	#[test]
	fn the_price_is_tokens_times_prices_and_saturates() {
		let prices = TokenPrices { input: 2u128, output: 3 };
		assert_eq!(prices.price(5, 7), 31);
		assert_eq!(prices.price(0, 0), 0);
		let dear = TokenPrices { input: u128::MAX, output: 1 };
		assert_eq!(dear.price(2, 1), u128::MAX);
		let narrow = TokenPrices { input: u64::MAX, output: 0u64 };
		assert_eq!(narrow.price(2, 9), u64::MAX);
	}

	#[test]
	fn the_paid_output_is_what_the_fee_leaves_after_the_input() {
		let prices = TokenPrices { input: 2u128, output: 3 };
		assert_eq!(prices.output_tokens_paid(100, 10, 1000), Some(26));
		assert_eq!(prices.output_tokens_paid(100, 10, 5), Some(5));
		assert_eq!(prices.output_tokens_paid(19, 10, 1000), None);
		assert_eq!(TokenPrices { input: 1u128, output: 0 }.output_tokens_paid(1, 1, 9), Some(9));
	}

	#[test]
	fn the_served_hash_covers_request_and_answer() {
		let hash = served_request_hash(b"request", b"answer");
		assert_ne!(hash, served_request_hash(b"request", b"other"));
		assert_ne!(hash, served_request_hash(b"answer", b"request"));
		let mut both = keccak_256(b"request").to_vec();
		both.extend(keccak_256(b"answer"));
		assert_eq!(hash, H256(keccak_256(&both)));
		assert_eq!(
			crate::hex::to_hex(&keccak_256(b"")),
			"c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470",
			"keccak is Ethereum's"
		);
	}
}
