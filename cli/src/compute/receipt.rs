//! The inference receipt a user signs, as the `zerog-executor` gateway and the pallet's
//! `settle_receipts` read it, and the checks the client makes before it countersigns one.
//!
//! The SCALE layout is `pallet_compute_escrow::InferenceReceipt<AccountId32, u128>`: the 32
//! account bytes encode exactly like an `AccountId32` and an `H256`, so the encoding is the same
//! 144 bytes the pallet decodes. What is signed is `"zerog/compute/receipt/v1" ‖ genesis hash ‖
//! those bytes` ([`InferenceReceipt::signing_payload`]), so a receipt signed for one ZeroG chain is
//! worthless on any other.

use crate::compute::state::ServiceView;
use codec::{Decode, Encode};
use zerog_primitives::Balance;

/// What a provider claims it served to a user: the message the user signs.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct InferenceReceipt {
	/// The user who was served and pays.
	pub user: [u8; 32],
	/// The provider who served and is paid.
	pub provider: [u8; 32],
	/// The service that served the request.
	pub service: u64,
	/// Strictly increasing per (user, provider).
	pub nonce: u64,
	/// Input (prompt) tokens.
	pub input_tokens: u64,
	/// Output (completion) tokens.
	pub output_tokens: u64,
	/// Amount charged, smallest unit.
	pub fee: Balance,
	/// Hash of the request (cap receipt) or of request and answer (metered receipt).
	pub request_hash: [u8; 32],
}

impl InferenceReceipt {
	/// The bytes the user signs for this receipt on the chain whose genesis hash is
	/// `genesis_hash`.
	pub fn signing_payload(&self, genesis_hash: &[u8; 32]) -> Vec<u8> {
		zerog_primitives::compute::receipt_signing_payload(genesis_hash, &self.encode())
	}
}

/// Token counts for a cap receipt whose `max_fee` the service's prices cover, as the pallet's fee
/// rule (`fee <= input × input_price + output × output_price`) requires: `input` and `output` as
/// asked when they already cover it, else more input tokens (or output tokens, for a service whose
/// input is free). The counts only bound the fee; the metered receipt has the real ones.
pub fn cap_tokens(
	service: &ServiceView,
	max_fee: Balance,
	input: u64,
	output: u64,
) -> Result<(u64, u64), String> {
	if service.price(input, output) >= max_fee {
		return Ok((input, output));
	}
	let missing = max_fee - service.price(input, output);
	let more =
		|price: Balance| -> u64 { u64::try_from(missing.div_ceil(price)).unwrap_or(u64::MAX) };
	let (input, output) = if service.input_price > 0 {
		(input.saturating_add(more(service.input_price)), output)
	} else if service.output_price > 0 {
		(input, output.saturating_add(more(service.output_price)))
	} else {
		return Err(format!(
			"service {} is free (both prices are 0), so the max fee must be 0",
			service.id
		));
	};
	if service.price(input, output) < max_fee {
		return Err(format!("no token counts make service {}'s price cover {max_fee}", service.id));
	}
	Ok((input, output))
}

/// keccak256 of `data`: the hash of request bodies in receipts.
pub fn keccak_256(data: &[u8]) -> [u8; 32] {
	use tiny_keccak::Hasher;
	let mut hasher = tiny_keccak::Keccak::v256();
	hasher.update(data);
	let mut hash = [0u8; 32];
	hasher.finalize(&mut hash);
	hash
}

/// `request_hash` of a served request's metered receipt:
/// `keccak256(keccak256(request body) ‖ keccak256(response body))`.
pub fn served_request_hash(request_body: &[u8], response_body: &[u8]) -> [u8; 32] {
	let mut both = [0u8; 64];
	both[..32].copy_from_slice(&keccak_256(request_body));
	both[32..].copy_from_slice(&keccak_256(response_body));
	keccak_256(&both)
}

/// Checks the metered receipt the gateway answered with before the user signs it: it must be
/// the cap receipt with the served tokens, a fee at most the cap and the service's price for
/// those tokens, and the hash of this request and of the answer actually received.
pub fn check_metered(
	metered: &InferenceReceipt,
	cap: &InferenceReceipt,
	service: &ServiceView,
	request_body: &[u8],
	response_body: &[u8],
) -> Result<(), String> {
	let same = |what: &str, ok: bool| if ok { Ok(()) } else { Err(format!("its {what} differs")) };
	same("user", metered.user == cap.user)?;
	same("provider", metered.provider == cap.provider)?;
	same("service", metered.service == cap.service)?;
	same("nonce", metered.nonce == cap.nonce)?;
	if metered.fee > cap.fee {
		return Err(format!("its fee {} is above the max fee {}", metered.fee, cap.fee));
	}
	let price = service.price(metered.input_tokens, metered.output_tokens);
	if metered.fee > price {
		return Err(format!(
			"its fee {} is above the service's price {price} for {} input and {} output tokens",
			metered.fee, metered.input_tokens, metered.output_tokens
		));
	}
	if metered.request_hash != served_request_hash(request_body, response_body) {
		return Err("its request hash is not the hash of this request and answer".into());
	}
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::compute::state::ServiceKind;

	fn service(input_price: Balance, output_price: Balance) -> ServiceView {
		ServiceView {
			id: 3,
			provider: [2; 32],
			kind: ServiceKind::Inference,
			model: "m".into(),
			endpoint: "http://x".into(),
			input_price,
			output_price,
			tee_signer: None,
			stake: 0,
			open_jobs: 0,
		}
	}

	fn receipt() -> InferenceReceipt {
		InferenceReceipt {
			user: [1; 32],
			provider: [2; 32],
			service: 3,
			nonce: 4,
			input_tokens: 5,
			output_tokens: 6,
			fee: 7,
			request_hash: [8; 32],
		}
	}

	#[test]
	fn the_signed_payload_is_the_pallet_layout() {
		let encoded = receipt().encode();
		let mut expected = vec![1u8; 32];
		expected.extend([2u8; 32]);
		for field in [3u64, 4, 5, 6] {
			expected.extend(field.to_le_bytes());
		}
		expected.extend(7u128.to_le_bytes());
		expected.extend([8u8; 32]);
		assert_eq!(encoded, expected);
	}

	#[test]
	fn keccak_is_the_ethereum_one() {
		assert_eq!(
			zerog_primitives::hex::to_hex(&keccak_256(b"")),
			"c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
		);
	}

	#[test]
	fn cap_tokens_cover_the_max_fee() {
		assert_eq!(cap_tokens(&service(2, 3), 500, 100, 100), Ok((100, 100)));
		let (input, output) = cap_tokens(&service(2, 3), 10_001, 100, 100).unwrap();
		assert!(service(2, 3).price(input, output) >= 10_001);
		assert_eq!(cap_tokens(&service(0, 3), 10, 0, 1), Ok((0, 4)));
		assert!(cap_tokens(&service(0, 0), 1, 0, 0).unwrap_err().contains("free"));
		assert_eq!(cap_tokens(&service(0, 0), 0, 0, 0), Ok((0, 0)));
	}

	#[test]
	fn metered_receipts_are_checked_before_signing() {
		let cap = InferenceReceipt { fee: 100, ..receipt() };
		let (request, answer) = (b"request".as_slice(), b"answer".as_slice());
		let good = InferenceReceipt {
			input_tokens: 3,
			output_tokens: 4,
			fee: 3 * 2 + 4 * 3,
			request_hash: served_request_hash(request, answer),
			..cap.clone()
		};
		let prices = service(2, 3);
		assert_eq!(check_metered(&good, &cap, &prices, request, answer), Ok(()));
		let overpriced = InferenceReceipt { fee: 19, ..good.clone() };
		assert!(check_metered(&overpriced, &cap, &prices, request, answer)
			.unwrap_err()
			.contains("price"));
		let other_answer = check_metered(&good, &cap, &prices, request, b"other");
		assert!(other_answer.unwrap_err().contains("hash"));
		let other_nonce = InferenceReceipt { nonce: 5, ..good.clone() };
		assert!(check_metered(&other_nonce, &cap, &prices, request, answer).is_err());
		let above_cap = InferenceReceipt { fee: 101, input_tokens: 100, ..good };
		assert!(check_metered(&above_cap, &cap, &prices, request, answer)
			.unwrap_err()
			.contains("max fee"));
	}
}
