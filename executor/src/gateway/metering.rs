//! Token metering: how many tokens the backend says it used, and what they cost at the
//! service's on-chain prices.

use serde_json::Value;

/// A service's prices per token, in the smallest unit, as registered on chain; its `price` is
/// the pallet's fee rule itself.
pub type Prices = zerog_primitives::compute::TokenPrices<u128>;

/// The request body the backend gets: `max_tokens` (and `max_completion_tokens`, if the
/// client sent it) at most `limit`, set to `limit` when absent, so a backend that honours
/// OpenAI's parameters never answers past what the user paid for.
pub fn clamp_output_tokens(request: &mut serde_json::Map<String, Value>, limit: u64) {
	for name in ["max_tokens", "max_completion_tokens"] {
		let asked = request.get(name).and_then(Value::as_u64);
		if asked.is_some() || name == "max_tokens" {
			let clamped = asked.map_or(limit, |asked| asked.min(limit));
			request.insert(name.into(), Value::from(clamped));
		}
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

/// The `request_hash` of a served request's receipt, as the client checks it.
pub use zerog_primitives::compute::served_request_hash;

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
	fn the_output_paid_is_what_the_max_fee_leaves_after_the_input() {
		let prices = Prices { input: 2, output: 3 };
		assert_eq!(prices.output_tokens_paid(500, 100, 100), Some(100));
		assert_eq!(prices.output_tokens_paid(400, 100, 100), Some(66));
		assert_eq!(prices.output_tokens_paid(200, 100, 100), Some(0));
		assert_eq!(prices.output_tokens_paid(0, 100, 100), None);
		assert_eq!(Prices { input: 2, output: 0 }.output_tokens_paid(200, 100, 9), Some(9));
		assert_eq!(Prices::default().output_tokens_paid(0, u64::MAX, 5), Some(5));
	}

	#[test]
	fn max_tokens_is_clamped_or_set() {
		let clamp = |body: Value, limit| {
			let mut map = body.as_object().unwrap().clone();
			clamp_output_tokens(&mut map, limit);
			Value::Object(map)
		};
		assert_eq!(clamp(json!({"model": "m"}), 66), json!({"model": "m", "max_tokens": 66}));
		assert_eq!(clamp(json!({"max_tokens": 500}), 66), json!({"max_tokens": 66}));
		assert_eq!(clamp(json!({"max_tokens": 10}), 66), json!({"max_tokens": 10}));
		assert_eq!(
			clamp(json!({"max_completion_tokens": 900}), 66),
			json!({"max_tokens": 66, "max_completion_tokens": 66})
		);
	}

	#[test]
	fn served_hash_commits_to_request_and_response() {
		let hash = served_request_hash(b"request", b"response");
		assert_ne!(hash, served_request_hash(b"request", b"other"));
		assert_ne!(hash, served_request_hash(b"other", b"response"));
	}
}
