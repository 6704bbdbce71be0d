//! One chat request to an inference service, paid with a receipt: what `zerog compute chat`
//! sends, as a library call.
//!
//! The protocol is the one `zerog-executor`'s gateway speaks (see its crate docs):
//!
//! 1. The request carries `X-ZeroG-Account`, `X-ZeroG-Service`, `X-ZeroG-Nonce`,
//!    `X-ZeroG-Max-Fee`, `X-ZeroG-Max-Input-Tokens`, `X-ZeroG-Max-Output-Tokens` and
//!    `X-ZeroG-Signature`: the user's sr25519 signature over the SCALE encoding of the *cap
//!    receipt* `InferenceReceipt { user, provider, service, nonce, input_tokens: max_in,
//!    output_tokens: max_out, fee: max_fee, request_hash: keccak256(body) }`, a receipt the
//!    pallet would settle as it is (its token counts are chosen so the price covers the fee).
//! 2. The answer carries `X-ZeroG-Fee` and `X-ZeroG-Receipt`, the *metered receipt*: the cap
//!    receipt with the tokens used, their fee and `keccak256(keccak256(request) ‖
//!    keccak256(answer))`. The client checks it ([`check_metered`]) and only then signs it.
//! 3. `POST /v1/receipts {"account", "nonce", "signature"}` hands the countersignature over;
//!    the gateway settles the metered receipt instead of the cap, so the user pays the metered
//!    fee. Both receipts share the nonce, so at most one is ever paid.

use crate::{
	account::format_account_bytes,
	amount::format_zg,
	chain::Chain,
	compute::{
		http::{post_json, Answer},
		receipt::{cap_receipt, cap_tokens, check_metered, InferenceReceipt},
		state::{self, ServiceKind, ServiceView},
	},
	error::ClientError,
	hexstr,
};
use bytes::Bytes;
use codec::Decode;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use subxt_signer::sr25519::Keypair;
use zerog_primitives::Balance;

/// Input tokens allowed for on top of the request's bytes: chat templates add a few tokens per
/// message.
const TEMPLATE_TOKENS: u64 = 64;

/// What to ask and what to pay at most.
#[derive(Clone, Debug)]
pub struct ChatRequest {
	/// The inference service.
	pub service: u64,
	/// The user's message.
	pub prompt: String,
	/// The model to name; `None`: the service's.
	pub model: Option<String>,
	/// Most tokens the answer may have.
	pub max_tokens: u64,
	/// Most the request may cost; `None`: the price of the whole request and `max_tokens`.
	pub max_fee: Option<Balance>,
	/// The receipt's nonce; `None`: above every earlier one ([`default_nonce`]).
	pub nonce: Option<u64>,
	/// The gateway's URL; `None`: the service's endpoint on chain.
	pub endpoint: Option<String>,
	/// How long each HTTP exchange with the gateway may take.
	pub timeout: Duration,
}

/// An answered, paid request.
#[derive(Clone, Debug)]
pub struct ChatOutcome {
	/// The model's answer.
	pub answer: String,
	/// The service that answered.
	pub service: ServiceView,
	/// The model the request named.
	pub model: String,
	/// The receipts' nonce.
	pub nonce: u64,
	/// The cap the user signed first.
	pub max_fee: Balance,
	/// The metered receipt the user checked and countersigned: what the provider settles.
	pub metered: InferenceReceipt,
}

/// Sends `request` to its service's gateway, signed by `signer` (the paying user), checks the
/// metered receipt of the answer and countersigns it. Refuses before sending anything when the
/// service is not a user-signed inference service or the user's sub-account cannot cover the
/// cap.
pub async fn chat(
	chain: &Chain,
	signer: &Keypair,
	request: &ChatRequest,
) -> Result<ChatOutcome, ClientError> {
	let user = signer.public_key().0;
	let service = state::service(chain, request.service).await?.ok_or_else(|| {
		ClientError::Input(format!(
			"no service #{} is registered (see `zerog compute services`)",
			request.service
		))
	})?;
	if service.kind != ServiceKind::Inference {
		return Err(ClientError::Input(format!(
			"service #{} is a job service; chat needs an inference service",
			service.id
		)));
	}
	if service.tee_signer.is_some() {
		return Err(ClientError::Input(format!(
			"service #{}'s receipts are signed by an enclave, not by users; this client only \
			 pays user-signed receipts",
			service.id
		)));
	}

	let model = request.model.clone().unwrap_or_else(|| service.model.clone());
	let body = serde_json::to_vec(&serde_json::json!({
		"model": model,
		"messages": [{ "role": "user", "content": request.prompt }],
		"max_tokens": request.max_tokens,
	}))
	.map_err(|error| ClientError::Input(format!("cannot encode the request: {error}")))?;
	// Every prompt token covers at least one byte of the body, so its length bounds them.
	let input_bound = (body.len() as u64).saturating_add(TEMPLATE_TOKENS);
	let max_fee = request.max_fee.unwrap_or_else(|| service.price(input_bound, request.max_tokens));
	let (max_input, max_output) = cap_tokens(&service, max_fee, input_bound, request.max_tokens)
		.map_err(ClientError::Input)?;

	let sub = state::sub_account(chain, user, service.provider).await?;
	if sub.balance < max_fee {
		return Err(ClientError::Input(format!(
			"your sub-account for {} holds {}, but this request may cost up to {}; fund it with \
			 `zerog compute fund {} AMOUNT` (after `zerog compute deposit AMOUNT`) or lower \
			 --max-fee",
			format_account_bytes(&service.provider),
			format_zg(sub.balance),
			format_zg(max_fee),
			format_account_bytes(&service.provider),
		)));
	}
	let nonce = request.nonce.unwrap_or_else(|| default_nonce(sub.last_nonce));

	let cap = cap_receipt(user, &service, nonce, (max_input, max_output), max_fee, &body);
	let genesis_hash = chain.client().genesis_hash().0;
	let signature = signer.sign(&cap.signing_payload(genesis_hash));
	let account = format_account_bytes(&user);
	let headers = [
		("x-zerog-account", account.clone()),
		("x-zerog-service", service.id.to_string()),
		("x-zerog-nonce", nonce.to_string()),
		("x-zerog-max-fee", max_fee.to_string()),
		("x-zerog-max-input-tokens", max_input.to_string()),
		("x-zerog-max-output-tokens", max_output.to_string()),
		("x-zerog-signature", hexstr::encode(&signature.0)),
	];
	let base = gateway_base(request.endpoint.as_deref().unwrap_or(&service.endpoint))?;
	let timeout = request.timeout;
	let answer = post_json(
		&format!("{base}/v1/chat/completions"),
		&headers,
		Bytes::from(body.clone()),
		timeout,
	)
	.await?;
	if !answer.status.is_success() {
		return Err(ClientError::Gateway(format!(
			"the gateway of service #{} refused the request ({}): {}",
			service.id,
			answer.status,
			answer.error_message()
		)));
	}

	let metered = metered_receipt(&answer)?;
	check_metered(&metered, &cap, &service, &body, &answer.body).map_err(|reason| {
		ClientError::Gateway(format!(
			"the gateway's metered receipt is not one to sign: {reason}; not countersigned (the \
			 provider can at most settle the cap receipt of {})",
			format_zg(max_fee)
		))
	})?;
	let fee_header =
		answer.header("x-zerog-fee").and_then(|fee| fee.trim().parse::<Balance>().ok());
	if fee_header != Some(metered.fee) {
		return Err(ClientError::Gateway(format!(
			"the gateway's X-ZeroG-Fee {fee_header:?} is not its receipt's fee {}",
			metered.fee
		)));
	}
	let reply: serde_json::Value = serde_json::from_slice(&answer.body).map_err(|error| {
		ClientError::Gateway(format!("the gateway's answer is not JSON: {error}"))
	})?;
	let answer_text = reply
		.pointer("/choices/0/message/content")
		.and_then(serde_json::Value::as_str)
		.unwrap_or_default()
		.to_owned();

	let countersignature = signer.sign(&metered.signing_payload(genesis_hash));
	let body = serde_json::json!({
		"account": account,
		"nonce": nonce,
		"signature": hexstr::encode(&countersignature.0),
	});
	let accepted =
		post_json(&format!("{base}/v1/receipts"), &[], Bytes::from(body.to_string()), timeout)
			.await?;
	if !accepted.status.is_success() {
		return Err(ClientError::Gateway(format!(
			"the answer was: {answer_text}\nbut the gateway refused the countersignature of its \
			 receipt ({}): {}; it may settle the cap receipt of {} instead",
			accepted.status,
			accepted.error_message(),
			format_zg(max_fee)
		)));
	}

	Ok(ChatOutcome { answer: answer_text, service, model, nonce, max_fee, metered })
}

/// The metered receipt of the `X-ZeroG-Receipt` header.
fn metered_receipt(answer: &Answer) -> Result<InferenceReceipt, ClientError> {
	let text = answer.header("x-zerog-receipt").ok_or_else(|| {
		ClientError::Gateway("the gateway's answer has no X-ZeroG-Receipt header".into())
	})?;
	let bytes = hexstr::decode(text.trim(), "X-ZeroG-Receipt").map_err(ClientError::Gateway)?;
	let mut input = bytes.as_slice();
	let receipt = InferenceReceipt::decode(&mut input).map_err(|error| {
		ClientError::Gateway(format!("X-ZeroG-Receipt is not a SCALE receipt: {error}"))
	})?;
	if !input.is_empty() {
		return Err(ClientError::Gateway("X-ZeroG-Receipt has bytes after the receipt".into()));
	}
	Ok(receipt)
}

/// A nonce above every earlier one: the Unix time in milliseconds, or one above the last
/// settled nonce when that is higher.
pub fn default_nonce(last_settled: u64) -> u64 {
	let millis = SystemTime::now()
		.duration_since(UNIX_EPOCH)
		.map(|elapsed| u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX))
		.unwrap_or(0);
	millis.max(last_settled.saturating_add(1))
}

/// The gateway's base URL from a service endpoint: no trailing `/` or `/v1`.
fn gateway_base(endpoint: &str) -> Result<String, ClientError> {
	let base = endpoint.trim().trim_end_matches('/');
	let base = base.strip_suffix("/v1").unwrap_or(base);
	if !(base.starts_with("http://") || base.starts_with("https://")) {
		return Err(ClientError::Input(format!(
			"the service's endpoint `{endpoint}` is not an http:// or https:// URL; pass the \
			 gateway with --endpoint"
		)));
	}
	Ok(base.to_owned())
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn gateway_urls_lose_trailing_slashes_and_v1() {
		assert_eq!(gateway_base("http://h:8700/").unwrap(), "http://h:8700");
		assert_eq!(gateway_base("https://h/zerog/v1/").unwrap(), "https://h/zerog");
		assert!(gateway_base("h:8700").is_err());
	}

	#[test]
	fn nonces_grow_past_the_settled_one() {
		assert!(default_nonce(0) > 1_600_000_000_000);
		assert_eq!(default_nonce(u64::MAX - 1), u64::MAX);
	}
}
