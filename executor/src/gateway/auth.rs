//! Who may use the gateway: the signed request headers, read into the receipt the user signed,
//! and the checks made before the request reaches the backend.
//!
//! See the crate docs for the protocol; in short, `X-ZeroG-Signature` is the user's signature over
//! the SCALE encoding of the *cap receipt*
//! `InferenceReceipt { user, provider, service, nonce, input_tokens: max_in, output_tokens: max_out,
//! fee: max_fee, request_hash: keccak256(body) }`, a receipt `settle_receipts` accepts as it is.

use crate::{
	chain::{ServiceKind, ServiceView, Verifier},
	encoding::{decode_hex, keccak_256, parse_account, parse_balance},
	gateway::metering::Prices,
	receipt::{signature_that_verifies, InferenceReceipt, SignedReceipt},
};
use hyper::{header::HeaderMap, StatusCode};
use polkadot_sdk::{sp_core::H256, sp_runtime::AccountId32};

/// The paying account (SS58 or `0x` hex).
pub const ACCOUNT_HEADER: &str = "x-zerog-account";
/// The on-chain id of the inference service asked for.
pub const SERVICE_HEADER: &str = "x-zerog-service";
/// The receipt nonce, strictly above every nonce the user used with this provider before.
pub const NONCE_HEADER: &str = "x-zerog-nonce";
/// The most the user pays for this request (decimal, smallest unit).
pub const MAX_FEE_HEADER: &str = "x-zerog-max-fee";
/// Input tokens the cap receipt claims; with the output tokens its price must cover the max fee.
pub const MAX_INPUT_TOKENS_HEADER: &str = "x-zerog-max-input-tokens";
/// Output tokens the cap receipt claims.
pub const MAX_OUTPUT_TOKENS_HEADER: &str = "x-zerog-max-output-tokens";
/// The user's signature over the cap receipt (`0x` hex).
pub const SIGNATURE_HEADER: &str = "x-zerog-signature";

/// Why a request was refused before it reached the backend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthError {
	/// A required header is absent.
	MissingHeader(&'static str),
	/// A header does not parse.
	InvalidHeader {
		/// The header.
		header: &'static str,
		/// Why it does not parse.
		reason: String,
	},
	/// No service has this id on chain.
	UnknownService(u64),
	/// The service exists but this gateway cannot serve it (another provider, a job service, a
	/// TEE service).
	ServiceNotServed {
		/// The service.
		service: u64,
		/// Why.
		reason: String,
	},
	/// The max fee is above the service's price for the claimed token counts, so the pallet
	/// would refuse the cap receipt (`FeeAbovePrice`).
	FeeAbovePrice {
		/// The requested max fee.
		max_fee: u128,
		/// The price of the claimed tokens.
		price: u128,
	},
	/// The signature is not the user's over the cap receipt.
	BadSignature,
	/// The nonce is not above the last nonce this provider saw from the user.
	StaleNonce {
		/// The nonce of the request.
		nonce: u64,
		/// The last nonce seen (locally or settled on chain).
		last: u64,
	},
	/// The max fee does not pay for the declared input cap and at least one output token, so
	/// serving the request could not be paid in full.
	MaxFeeBelowCaps {
		/// The requested max fee.
		max_fee: u128,
		/// The least max fee this request needs.
		needed: u128,
	},
	/// The user asked for a refund from this provider: nothing more is served until it is
	/// claimed, and what was served settles now.
	RefundPending,
	/// The user's sub-account cannot cover this max fee on top of what is not yet settled.
	InsufficientFunds {
		/// Max fee plus unsettled fees.
		needed: u128,
		/// The sub-account balance on chain.
		balance: u128,
	},
	/// The chain could not be read.
	ChainUnavailable(String),
	/// The receipt could not be stored.
	Storage(String),
}

impl AuthError {
	/// The HTTP status the gateway answers with.
	pub fn status(&self) -> StatusCode {
		match self {
			Self::MissingHeader(_) | Self::BadSignature => StatusCode::UNAUTHORIZED,
			Self::InvalidHeader { .. }
			| Self::FeeAbovePrice { .. }
			| Self::MaxFeeBelowCaps { .. } => StatusCode::BAD_REQUEST,
			Self::RefundPending => StatusCode::FORBIDDEN,
			Self::UnknownService(_) => StatusCode::NOT_FOUND,
			Self::ServiceNotServed { .. } => StatusCode::FORBIDDEN,
			Self::StaleNonce { .. } => StatusCode::CONFLICT,
			Self::InsufficientFunds { .. } => StatusCode::PAYMENT_REQUIRED,
			Self::ChainUnavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
			Self::Storage(_) => StatusCode::INTERNAL_SERVER_ERROR,
		}
	}

	/// A stable machine-readable code, the OpenAI error's `code`.
	pub fn code(&self) -> &'static str {
		match self {
			Self::MissingHeader(_) => "missing_header",
			Self::InvalidHeader { .. } => "invalid_header",
			Self::UnknownService(_) => "unknown_service",
			Self::ServiceNotServed { .. } => "service_not_served",
			Self::FeeAbovePrice { .. } => "fee_above_price",
			Self::MaxFeeBelowCaps { .. } => "max_fee_below_caps",
			Self::RefundPending => "refund_pending",
			Self::BadSignature => "bad_signature",
			Self::StaleNonce { .. } => "stale_nonce",
			Self::InsufficientFunds { .. } => "insufficient_funds",
			Self::ChainUnavailable(_) => "chain_unavailable",
			Self::Storage(_) => "receipt_storage_failed",
		}
	}
}

impl std::fmt::Display for AuthError {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		match self {
			Self::MissingHeader(header) => write!(f, "the request has no {header} header"),
			Self::InvalidHeader { header, reason } => write!(f, "header {header}: {reason}"),
			Self::UnknownService(service) => {
				write!(f, "no service {service} is registered on chain")
			},
			Self::ServiceNotServed { service, reason } => {
				write!(f, "service {service} is not served by this gateway: {reason}")
			},
			Self::FeeAbovePrice { max_fee, price } => write!(
				f,
				"the max fee {max_fee} is above the service's price {price} for the claimed \
				 tokens; raise {MAX_INPUT_TOKENS_HEADER}/{MAX_OUTPUT_TOKENS_HEADER} or lower the fee"
			),
			Self::BadSignature => write!(
				f,
				"{SIGNATURE_HEADER} is not the account's signature over the cap receipt of this \
				 request (\"zerog/compute/receipt/v1\" ‖ genesis hash ‖ SCALE receipt)"
			),
			Self::MaxFeeBelowCaps { max_fee, needed } => write!(
				f,
				"the max fee {max_fee} does not pay for the declared input tokens and one output \
				 token ({needed}); raise {MAX_FEE_HEADER} or lower {MAX_INPUT_TOKENS_HEADER}"
			),
			Self::RefundPending => write!(
				f,
				"this account asked for a refund from this provider's sub-account: nothing more \
				 is served until it is claimed"
			),
			Self::StaleNonce { nonce, last } => {
				write!(f, "nonce {nonce} is not above the last nonce {last} of this account")
			},
			Self::InsufficientFunds { needed, balance } => write!(
				f,
				"the account's sub-account for this provider holds {balance}, but this request \
				 with the fees not yet settled needs {needed}; fund it with \
				 ComputeEscrow.fund_provider"
			),
			Self::ChainUnavailable(reason) => write!(f, "the chain cannot be read: {reason}"),
			Self::Storage(reason) => write!(f, "the receipt could not be stored: {reason}"),
		}
	}
}

/// The ZeroG headers of a gateway request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestHeaders {
	/// The paying account.
	pub user: AccountId32,
	/// The service asked for.
	pub service: u64,
	/// The receipt nonce.
	pub nonce: u64,
	/// The most the user pays.
	pub max_fee: u128,
	/// Input tokens the cap receipt claims.
	pub max_input_tokens: u64,
	/// Output tokens the cap receipt claims.
	pub max_output_tokens: u64,
	/// The signature bytes, in any of the forms [`signature_that_verifies`] reads.
	pub signature: Vec<u8>,
}

impl RequestHeaders {
	/// Reads every header, or says which one is missing or malformed.
	pub fn parse(headers: &HeaderMap) -> Result<Self, AuthError> {
		let text = |header: &'static str| -> Result<&str, AuthError> {
			let value = headers.get(header).ok_or(AuthError::MissingHeader(header))?;
			value.to_str().map(str::trim).map_err(|_| AuthError::InvalidHeader {
				header,
				reason: "not visible ASCII".into(),
			})
		};
		let number = |header: &'static str| -> Result<u64, AuthError> {
			text(header)?.parse::<u64>().map_err(|error| AuthError::InvalidHeader {
				header,
				reason: format!("not a non-negative integer: {error}"),
			})
		};
		let invalid = |header: &'static str| {
			move |reason: String| AuthError::InvalidHeader { header, reason }
		};
		let nonce = number(NONCE_HEADER)?;
		if nonce == 0 {
			return Err(AuthError::InvalidHeader {
				header: NONCE_HEADER,
				reason: "nonces start at 1".into(),
			});
		}
		Ok(Self {
			user: parse_account(text(ACCOUNT_HEADER)?).map_err(invalid(ACCOUNT_HEADER))?,
			service: number(SERVICE_HEADER)?,
			nonce,
			max_fee: parse_balance(text(MAX_FEE_HEADER)?).map_err(invalid(MAX_FEE_HEADER))?,
			max_input_tokens: number(MAX_INPUT_TOKENS_HEADER)?,
			max_output_tokens: number(MAX_OUTPUT_TOKENS_HEADER)?,
			signature: decode_hex(text(SIGNATURE_HEADER)?)
				.map_err(|error| error.to_string())
				.map_err(invalid(SIGNATURE_HEADER))?,
		})
	}

	/// The cap receipt these headers describe for a request with `body` to `provider`: the
	/// message the user signed.
	pub fn cap_receipt(&self, provider: &AccountId32, body: &[u8]) -> InferenceReceipt {
		InferenceReceipt {
			user: self.user.clone(),
			provider: provider.clone(),
			service: self.service,
			nonce: self.nonce,
			input_tokens: self.max_input_tokens,
			output_tokens: self.max_output_tokens,
			fee: self.max_fee,
			request_hash: H256(keccak_256(body)),
		}
	}
}

/// The prices of `service` if this gateway, run by `provider`, may serve it: an inference
/// service of `provider` whose receipts the user signs.
pub fn servable_prices(
	id: u64,
	service: &ServiceView,
	provider: &AccountId32,
) -> Result<Prices, AuthError> {
	let refuse = |reason: &str| AuthError::ServiceNotServed { service: id, reason: reason.into() };
	if service.provider != *provider {
		return Err(refuse("it belongs to another provider"));
	}
	if service.kind != ServiceKind::Inference {
		return Err(refuse("it is a job service"));
	}
	if service.verifier != Verifier::User {
		return Err(refuse("its receipts are signed by an enclave, which this gateway has not"));
	}
	Ok(service.prices)
}

/// Checks the cap receipt the way `settle_receipts` will: the fee rule, then the user's
/// signature for the chain whose genesis hash is `genesis_hash`. Returns the receipt with the
/// signature the pallet will get.
pub fn verify_cap_receipt(
	cap: InferenceReceipt,
	signature: &[u8],
	prices: &Prices,
	genesis_hash: &H256,
) -> Result<SignedReceipt, AuthError> {
	let price = prices.price(cap.input_tokens, cap.output_tokens);
	if cap.fee > price {
		return Err(AuthError::FeeAbovePrice { max_fee: cap.fee, price });
	}
	let signature =
		signature_that_verifies(signature, &cap.signing_payload(genesis_hash), &cap.user)
			.ok_or(AuthError::BadSignature)?;
	Ok(SignedReceipt { receipt: cap, signature })
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::encoding::{format_account, to_prefixed_hex};
	use hyper::header::HeaderValue;
	use polkadot_sdk::sp_core::{sr25519, Pair};

	fn provider() -> AccountId32 {
		AccountId32::new([9; 32])
	}

	fn user() -> sr25519::Pair {
		sr25519::Pair::from_seed(&[1; 32])
	}

	/// Headers of a request signed by `signer` for `body`.
	fn signed_headers(signer: &sr25519::Pair, body: &[u8], nonce: u64, max_fee: u128) -> HeaderMap {
		let cap = InferenceReceipt {
			user: signer.public().into(),
			provider: provider(),
			service: 0,
			nonce,
			input_tokens: 100,
			output_tokens: 100,
			fee: max_fee,
			request_hash: H256(keccak_256(body)),
		};
		let signature = signer.sign(&cap.signing_payload(crate::testing::genesis_hash()));
		let mut headers = HeaderMap::new();
		let mut set = |name: &'static str, value: String| {
			headers.insert(name, HeaderValue::from_str(&value).unwrap());
		};
		set(ACCOUNT_HEADER, format_account(&cap.user));
		set(SERVICE_HEADER, "0".into());
		set(NONCE_HEADER, nonce.to_string());
		set(MAX_FEE_HEADER, max_fee.to_string());
		set(MAX_INPUT_TOKENS_HEADER, "100".into());
		set(MAX_OUTPUT_TOKENS_HEADER, "100".into());
		set(SIGNATURE_HEADER, to_prefixed_hex(&signature.0));
		headers
	}

	#[test]
	fn a_signed_request_yields_the_cap_receipt_the_user_signed() {
		let body = br#"{"model":"m","messages":[]}"#;
		let headers = RequestHeaders::parse(&signed_headers(&user(), body, 1, 500)).unwrap();
		let cap = headers.cap_receipt(&provider(), body);
		let signed = verify_cap_receipt(
			cap.clone(),
			&headers.signature,
			&Prices { input: 2, output: 3 },
			&crate::testing::genesis_hash(),
		)
		.unwrap();
		assert_eq!(signed.receipt, cap);
		assert!(signed.receipt.is_signed_by(
			&signed.signature,
			&cap.user,
			crate::testing::genesis_hash()
		));
	}

	#[test]
	fn a_changed_body_or_fee_breaks_the_signature() {
		let body = br#"{"model":"m"}"#;
		let headers = RequestHeaders::parse(&signed_headers(&user(), body, 1, 500)).unwrap();
		let prices = Prices { input: 2, output: 3 };
		let other_body = headers.cap_receipt(&provider(), br#"{"model":"n"}"#);
		assert_eq!(
			verify_cap_receipt(
				other_body,
				&headers.signature,
				&prices,
				&crate::testing::genesis_hash()
			),
			Err(AuthError::BadSignature)
		);
		let mut cheaper = headers.cap_receipt(&provider(), body);
		cheaper.fee = 499;
		assert_eq!(
			verify_cap_receipt(
				cheaper,
				&headers.signature,
				&prices,
				&crate::testing::genesis_hash()
			),
			Err(AuthError::BadSignature)
		);
		let other_provider = headers.cap_receipt(&AccountId32::new([8; 32]), body);
		assert_eq!(
			verify_cap_receipt(
				other_provider,
				&headers.signature,
				&prices,
				&crate::testing::genesis_hash()
			),
			Err(AuthError::BadSignature)
		);
	}

	#[test]
	fn a_max_fee_above_the_price_of_the_claimed_tokens_is_refused() {
		let body = b"{}";
		let headers = RequestHeaders::parse(&signed_headers(&user(), body, 1, 501)).unwrap();
		let cap = headers.cap_receipt(&provider(), body);
		// 100 input tokens at 2 and 100 output tokens at 3 cost 500.
		assert_eq!(
			verify_cap_receipt(
				cap,
				&headers.signature,
				&Prices { input: 2, output: 3 },
				&crate::testing::genesis_hash()
			),
			Err(AuthError::FeeAbovePrice { max_fee: 501, price: 500 })
		);
	}

	#[test]
	fn missing_and_malformed_headers_are_named() {
		let mut headers = signed_headers(&user(), b"{}", 1, 5);
		headers.remove(SIGNATURE_HEADER);
		assert_eq!(
			RequestHeaders::parse(&headers),
			Err(AuthError::MissingHeader(SIGNATURE_HEADER))
		);

		let mut headers = signed_headers(&user(), b"{}", 1, 5);
		headers.insert(NONCE_HEADER, HeaderValue::from_static("0"));
		assert!(matches!(
			RequestHeaders::parse(&headers),
			Err(AuthError::InvalidHeader { header: NONCE_HEADER, .. })
		));

		let mut headers = signed_headers(&user(), b"{}", 1, 5);
		headers.insert(MAX_FEE_HEADER, HeaderValue::from_static("1.5"));
		let error = RequestHeaders::parse(&headers).unwrap_err();
		assert!(matches!(error, AuthError::InvalidHeader { header: MAX_FEE_HEADER, .. }));
		assert_eq!(error.status(), StatusCode::BAD_REQUEST);

		let mut headers = signed_headers(&user(), b"{}", 1, 5);
		headers.insert(ACCOUNT_HEADER, HeaderValue::from_static("bob"));
		assert!(matches!(
			RequestHeaders::parse(&headers),
			Err(AuthError::InvalidHeader { header: ACCOUNT_HEADER, .. })
		));
	}

	#[test]
	fn only_this_providers_user_signed_inference_services_are_served() {
		let service = ServiceView {
			provider: provider(),
			kind: ServiceKind::Inference,
			prices: Prices { input: 1, output: 2 },
			verifier: Verifier::User,
		};
		assert_eq!(servable_prices(0, &service, &provider()), Ok(service.prices));
		let others = ServiceView { provider: AccountId32::new([1; 32]), ..service.clone() };
		assert!(servable_prices(0, &others, &provider()).is_err());
		let job = ServiceView { kind: ServiceKind::Job, ..service.clone() };
		assert!(servable_prices(0, &job, &provider()).is_err());
		let tee = ServiceView { verifier: Verifier::Enclave(AccountId32::new([3; 32])), ..service };
		assert_eq!(
			servable_prices(0, &tee, &provider()).unwrap_err().status(),
			StatusCode::FORBIDDEN
		);
	}
}
