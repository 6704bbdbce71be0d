//! The inference receipt a user signs, as the `zerog-executor` gateway and the pallet's
//! `settle_receipts` read it, and the checks the client makes before it countersigns one.
//!
//! The receipt is `zerog_primitives::compute::InferenceReceipt`, the pallet's own type, for
//! ZeroG's accounts and balance. What is signed is `"zerog/compute/receipt/v1" ‖ genesis hash ‖
//! its SCALE encoding` (`signing_payload`), so a receipt signed for one ZeroG chain is worthless
//! on any other.

use crate::compute::state::ServiceView;
use polkadot_sdk::sp_core::{crypto::AccountId32, H256};
use zerog_primitives::{
	compute::{keccak_256, served_request_hash},
	Balance,
};

/// What a provider claims it served to a user: the message the user signs.
pub type InferenceReceipt = zerog_primitives::compute::InferenceReceipt<AccountId32, Balance>;

/// The cap receipt of a request: the most the user lets the provider charge for it, with the
/// hash of the request body, which the metered receipt must repeat with the served tokens.
pub fn cap_receipt(
	user: [u8; 32],
	service: &ServiceView,
	nonce: u64,
	(input_tokens, output_tokens): (u64, u64),
	max_fee: Balance,
	body: &[u8],
) -> InferenceReceipt {
	InferenceReceipt {
		user: AccountId32::new(user),
		provider: AccountId32::new(service.provider),
		service: service.id,
		nonce,
		input_tokens,
		output_tokens,
		fee: max_fee,
		request_hash: H256(keccak_256(body)),
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
		cap_receipt([1; 32], &service(2, 3), 4, (5, 6), 7, b"request")
	}

	#[test]
	fn a_cap_receipt_names_the_user_the_service_and_the_body() {
		let cap = receipt();
		assert_eq!(cap.user, AccountId32::new([1; 32]));
		assert_eq!(cap.provider, AccountId32::new([2; 32]));
		assert_eq!((cap.service, cap.nonce, cap.input_tokens, cap.output_tokens), (3, 4, 5, 6));
		assert_eq!(cap.fee, 7);
		assert_eq!(cap.request_hash, H256(keccak_256(b"request")));
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
