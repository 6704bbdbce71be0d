//! Cross-language conformance: `sdk/conformance/compute.json` holds inference receipts, their
//! SCALE encoding, the payload a signature covers, and an ed25519 signature (deterministic, and a
//! `MultiSignature` the pallet accepts from an ed25519 account), all made by this crate. The
//! TypeScript SDK's tests (`tests/eth/test/sdk.test.mjs`) encode the same receipts with
//! `encodeReceipt`/`signingPayload`, compare the bytes and verify the signature. This test fails
//! when the file differs from what the pallet computes (`ZEROG_WRITE_CONFORMANCE=1` rewrites it).

use crate::{InferenceReceipt, SignedReceipt};
use codec::Encode;
use polkadot_sdk::{
	sp_core::{ed25519, Pair, H256},
	sp_runtime::{traits::Verify, AccountId32, MultiSignature},
};
use zerog_primitives::hex::to_prefixed_hex;

/// Where the vectors live, from this crate's folder.
const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../sdk/conformance/compute.json");

/// A genesis hash to sign for: any 32 bytes; receipts are bound to it.
const GENESIS: [u8; 32] = [0x47; 32];

fn vectors() -> String {
	let user = ed25519::Pair::from_string("//Alice", None).unwrap();
	let provider = ed25519::Pair::from_string("//Bob", None).unwrap();
	let receipts = [
		(1u64, 1u64, 10u64, 20u64, 70u128, H256::repeat_byte(0xab)),
		(7, u64::MAX, 0, 0, 0, H256::zero()),
		(3, 1_700_000_000_000, 120_000, 4_096, 10u128.pow(24) + 5, H256::repeat_byte(0x01)),
		(u64::MAX, 2, u64::MAX, u64::MAX, u128::MAX, H256::repeat_byte(0xff)),
	];
	let mut items = Vec::new();
	for (service, nonce, input_tokens, output_tokens, fee, request_hash) in receipts {
		let receipt = InferenceReceipt::<AccountId32, u128> {
			user: user.public().into(),
			provider: provider.public().into(),
			service,
			nonce,
			input_tokens,
			output_tokens,
			fee,
			request_hash,
		};
		let payload = receipt.signing_payload(GENESIS);
		let signature = MultiSignature::from(user.sign(&payload));
		assert!(signature.verify(&payload[..], &receipt.user), "the pallet's check passes");
		let MultiSignature::Ed25519(raw) = &signature else { unreachable!() };
		let signed = SignedReceipt { receipt: receipt.clone(), signature: signature.clone() };
		items.push(format!(
			"    {{\n      \"user\": \"{}\",\n      \"provider\": \"{}\",\n      \"service\": \"{service}\",\n      \
			 \"nonce\": \"{nonce}\",\n      \"inputTokens\": \"{input_tokens}\",\n      \
			 \"outputTokens\": \"{output_tokens}\",\n      \"fee\": \"{fee}\",\n      \
			 \"requestHash\": \"{}\",\n      \"scale\": \"{}\",\n      \"signingPayload\": \"{}\",\n      \
			 \"ed25519Signature\": \"{}\",\n      \"signedReceiptScale\": \"{}\"\n    }}",
			to_prefixed_hex(user.public().as_ref()),
			to_prefixed_hex(provider.public().as_ref()),
			to_prefixed_hex(request_hash.as_bytes()),
			to_prefixed_hex(&receipt.encode()),
			to_prefixed_hex(&payload),
			to_prefixed_hex(raw.as_ref()),
			to_prefixed_hex(&signed.encode()),
		));
	}
	format!(
		"{{\n  \"about\": \"Written by pallet-compute-escrow (tests::conformance): inference receipts \
		 (numbers as decimal strings), their SCALE encoding, the signed payload for genesisHash and \
		 an ed25519 signature by the user (//Alice); signedReceiptScale is SignedReceipt with a \
		 MultiSignature.\",\n  \"genesisHash\": \"{}\",\n  \"receipts\": [\n{}\n  ]\n}}\n",
		to_prefixed_hex(&GENESIS),
		items.join(",\n")
	)
}

#[test]
fn sdk_receipt_vectors_are_what_the_pallet_computes() {
	zerog_primitives::conformance::check_or_write(VECTORS, &vectors());
}

/// The sr25519 signatures the TypeScript SDK made (`sdk/conformance/sdk-signatures.json`,
/// written by `tests/eth/test/sdk.test.mjs` with `ZEROG_WRITE_CONFORMANCE=1`): sr25519 signs
/// with fresh randomness, so the Rust side cannot recompute them; it checks that the pallet
/// accepts each one for its receipt, and only for its receipt.
const SDK_SIGNATURES: &str =
	concat!(env!("CARGO_MANIFEST_DIR"), "/../../sdk/conformance/sdk-signatures.json");

#[test]
fn sr25519_signatures_made_by_the_sdk_verify_in_the_pallet() {
	use codec::DecodeAll;
	use polkadot_sdk::sp_core::sr25519;
	let text = std::fs::read_to_string(SDK_SIGNATURES).expect("the SDK's signature vectors exist");
	let vectors: serde_json::Value = serde_json::from_str(&text).unwrap();
	let hex = |value: &serde_json::Value| {
		let text = value.as_str().expect("hex strings");
		zerog_primitives::hex::from_hex(text).expect("valid hex")
	};
	let genesis: [u8; 32] = hex(&vectors["genesisHash"]).try_into().unwrap();
	let signed = vectors["receipts"].as_array().unwrap();
	assert!(signed.len() >= 4, "one signature per receipt of compute.json");
	for vector in signed {
		let receipt =
			InferenceReceipt::<AccountId32, u128>::decode_all(&mut &hex(&vector["scale"])[..])
				.expect("the SDK's receipt encoding decodes");
		let raw: [u8; 64] = hex(&vector["sr25519Signature"]).try_into().unwrap();
		let signature = MultiSignature::Sr25519(sr25519::Signature::from_raw(raw));
		assert!(receipt.is_signed_by(&signature, &receipt.user, genesis), "{vector}");
		// The same signature over another fee, or for another chain, is refused.
		let mut other = receipt.clone();
		other.fee = other.fee.wrapping_add(1);
		assert!(!other.is_signed_by(&signature, &other.user, genesis));
		assert!(!receipt.is_signed_by(&signature, &receipt.user, [0u8; 32]));
	}
}
