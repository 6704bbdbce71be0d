//! The compute marketplace's signed messages, as the pallet checks them and the executor, the
//! client and wallets sign them.

use alloc::vec::Vec;

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

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_payload_is_domain_then_genesis_then_receipt() {
		let payload = receipt_signing_payload(&[7u8; 32], &[1, 2, 3]);
		assert_eq!(&payload[..24], b"zerog/compute/receipt/v1");
		assert_eq!(&payload[24..56], &[7u8; 32]);
		assert_eq!(&payload[56..], &[1, 2, 3]);
	}
}
