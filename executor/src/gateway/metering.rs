//! Token metering: how many tokens the backend says it used, and what they cost at the
//! service's on-chain prices.

use crate::encoding::keccak_256;
use polkadot_sdk::sp_core::H256;
use serde_json::Value;

/// A service's prices per token, in the smallest unit, as registered on chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Prices {
	/// Price of one input (prompt) token.
	pub input: u128,
	/// Price of one output (completion) token.
	pub output: u128,
}

impl Prices {
	/// The most a receipt for these token counts may charge: exactly the pallet's
	/// `token_price`, saturating at `u128::MAX`.
	pub fn price(&self, input_tokens: u64, output_tokens: u64) -> u128 {
		u128::from(input_tokens)
			.saturating_mul(self.input)
			.saturating_add(u128::from(output_tokens).saturating_mul(self.output))
	}
}

/// Tokens a backend answer used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Usage {
	/// Prompt tokens.
	pub input_tokens: u64,
	/// Completion tokens; 0 for embeddings.
	pub output_tokens: u64,
}

impl Usage {
	/// Reads the OpenAI `usage` object of a backend answer: `prompt_tokens` and
	/// `completion_tokens` (chat), or `prompt_tokens` and `total_tokens` (embeddings, where
	/// anything beyond the prompt counts as output).
	pub fn from_answer(answer: &Value) -> Result<Self, String> {
		let usage = answer.get("usage").ok_or("the backend's answer has no `usage` field")?;
		let count = |name: &str| -> Result<Option<u64>, String> {
			match usage.get(name) {
				None | Some(Value::Null) => Ok(None),
				Some(value) => value.as_u64().map(Some).ok_or_else(|| {
					format!("the backend's `usage.{name}` is not a token count: {value}")
				}),
			}
		};
		let input_tokens =
			count("prompt_tokens")?.ok_or("the backend's `usage` has no `prompt_tokens`")?;
		let output_tokens = match count("completion_tokens")? {
			Some(output) => output,
			None => count("total_tokens")?.unwrap_or(input_tokens).saturating_sub(input_tokens),
		};
		Ok(Self { input_tokens, output_tokens })
	}

	/// The fee for this usage: the service's price, capped by what the user allowed.
	pub fn fee(&self, prices: &Prices, max_fee: u128) -> u128 {
		prices.price(self.input_tokens, self.output_tokens).min(max_fee)
	}
}

/// The `request_hash` of a served request's receipt: `keccak256(keccak256(request body) ‖
/// keccak256(response body))`, so the receipt proves both what was asked and what was answered.
pub fn served_request_hash(request_body: &[u8], response_body: &[u8]) -> H256 {
	let mut both = [0u8; 64];
	both[..32].copy_from_slice(&keccak_256(request_body));
	both[32..].copy_from_slice(&keccak_256(response_body));
	H256(keccak_256(&both))
}

#[cfg(test)]
mod tests {
	use super::*;
	use serde_json::json;

	#[test]
	fn chat_usage_is_prompt_and_completion_tokens() {
		let answer =
			json!({"usage": {"prompt_tokens": 12, "completion_tokens": 30, "total_tokens": 42}});
		assert_eq!(Usage::from_answer(&answer), Ok(Usage { input_tokens: 12, output_tokens: 30 }));
	}

	#[test]
	fn embedding_usage_has_no_output_tokens() {
		let answer = json!({"usage": {"prompt_tokens": 8, "total_tokens": 8}});
		assert_eq!(Usage::from_answer(&answer), Ok(Usage { input_tokens: 8, output_tokens: 0 }));
		let answer = json!({"usage": {"prompt_tokens": 8}});
		assert_eq!(Usage::from_answer(&answer), Ok(Usage { input_tokens: 8, output_tokens: 0 }));
	}

	#[test]
	fn missing_or_malformed_usage_is_refused_with_the_reason() {
		assert!(Usage::from_answer(&json!({})).unwrap_err().contains("no `usage`"));
		assert!(Usage::from_answer(&json!({"usage": {}})).unwrap_err().contains("prompt_tokens"));
		let error = Usage::from_answer(&json!({"usage": {"prompt_tokens": -1}})).unwrap_err();
		assert!(error.contains("not a token count"), "{error}");
	}

	#[test]
	fn fee_is_the_token_price_capped_by_the_max_fee() {
		let prices = Prices { input: 2, output: 5 };
		let usage = Usage { input_tokens: 10, output_tokens: 4 };
		assert_eq!(usage.fee(&prices, 1_000), 40);
		assert_eq!(usage.fee(&prices, 33), 33);
		let huge = Usage { input_tokens: u64::MAX, output_tokens: u64::MAX };
		assert_eq!(huge.fee(&Prices { input: u128::MAX, output: 1 }, u128::MAX), u128::MAX);
	}

	#[test]
	fn served_hash_commits_to_request_and_response() {
		let hash = served_request_hash(b"request", b"response");
		assert_ne!(hash, served_request_hash(b"request", b"other"));
		assert_ne!(hash, served_request_hash(b"other", b"response"));
	}
}
