//! The proof-of-work captcha: ALTCHA's protocol, served and checked by the faucet itself, so it
//! needs no third-party service and works offline.
//!
//! A challenge is `SHA-256(salt || n)` for a secret `n` below `max_number`, with the salt (which
//! carries the expiry) and the challenge signed with the faucet's HMAC key. The client finds `n`
//! by trying every number (the page does it with Web Crypto; ALTCHA's own `altcha` widget from npm
//! sends the same payload) and sends back base64 of the JSON payload. The signature proves the
//! faucet made the challenge; the faucet remembers every accepted challenge until it expires, so
//! a solution is good for one request only.
//!
//! What it costs an attacker: on average `max_number / 2` hashes a request, a fraction of a second
//! in a browser and less in native code. It keeps drive-by scripts and floods of requests out;
//! the per-address, per-client and daily limits are what bound the faucet's outflow.

use base64::Engine;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use zerog_primitives::hex::{decode_hex, to_hex};

/// The only algorithm issued (ALTCHA's name for it).
const ALGORITHM: &str = "SHA-256";

/// Longest answer read: base64 of a payload with a 64-character challenge and signature.
const MAX_ANSWER_BYTES: usize = 2048;

/// Most solved challenges remembered at once; beyond it requests are refused (busy) until old
/// ones expire, so a flood of solutions cannot grow the faucet's memory without bound.
pub const MAX_REMEMBERED: usize = 100_000;

/// Why a captcha solution is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CaptchaRefusal {
	/// The payload is not base64 of ALTCHA's JSON payload.
	Malformed(String),
	/// The solution does not match a challenge this faucet signed.
	Invalid(String),
	/// The challenge expired; fetch a new one.
	Expired,
	/// The solution was used before.
	Reused,
	/// Too many solutions are remembered; try again later.
	Busy,
}

impl CaptchaRefusal {
	/// A stable machine-readable name, used in the JSON error's `code`.
	pub fn code(&self) -> &'static str {
		match self {
			Self::Malformed(_) => "captcha_malformed",
			Self::Invalid(_) => "captcha_invalid",
			Self::Expired => "captcha_expired",
			Self::Reused => "captcha_reused",
			Self::Busy => "busy",
		}
	}

	/// What a person reads.
	pub fn message(&self) -> String {
		match self {
			Self::Malformed(why) => format!("the captcha answer is not an ALTCHA payload: {why}"),
			Self::Invalid(why) => format!("the captcha answer is wrong: {why}"),
			Self::Expired => "the captcha expired; solve a new one".into(),
			Self::Reused => "this captcha answer was already used; solve a new one".into(),
			Self::Busy => "the faucet is busy; try again in a minute".into(),
		}
	}
}

/// A challenge as the client receives it (ALTCHA's JSON, the widget's `challengeurl` answer).
#[derive(Clone, Debug, Serialize)]
pub struct Challenge {
	/// Always `SHA-256`.
	pub algorithm: String,
	/// Hex SHA-256 of the salt followed by the secret number.
	pub challenge: String,
	/// The number is at most this.
	pub maxnumber: u64,
	/// The salt, with the expiry as a `?expires=` parameter.
	pub salt: String,
	/// The faucet's HMAC of the challenge.
	pub signature: String,
}

/// A client's answer: ALTCHA's payload.
#[derive(Deserialize)]
struct Payload {
	algorithm: String,
	challenge: String,
	number: u64,
	salt: String,
	signature: String,
	/// Milliseconds the client took (the widget sends it; unused).
	#[serde(default, rename = "took")]
	_took: Option<serde_json::Value>,
}

/// The faucet's captcha: its HMAC key, difficulty and the solutions already used.
pub struct Captcha {
	hmac_key: Vec<u8>,
	max_number: u64,
	lifetime: u64,
	/// Accepted challenges, with the unix time after which they are expired anyway.
	used: HashMap<String, u64>,
}

impl Captcha {
	/// A captcha with a fresh random HMAC key (challenges do not outlive the process), numbers up
	/// to `max_number` and challenges valid for `lifetime` seconds.
	pub fn new(max_number: u64, lifetime: u64) -> Result<Self, String> {
		let key: [u8; 32] = random()?;
		Ok(Self::with_key(&key, max_number, lifetime))
	}

	/// A captcha with the HMAC key `hmac_key` (tests).
	pub fn with_key(hmac_key: &[u8], max_number: u64, lifetime: u64) -> Self {
		Self {
			hmac_key: hmac_key.to_vec(),
			max_number: max_number.max(1),
			lifetime,
			used: HashMap::new(),
		}
	}

	/// A new challenge, expiring `lifetime` seconds after `now` (unix time).
	pub fn challenge(&self, now: u64) -> Result<Challenge, String> {
		let salt: [u8; 12] = random()?;
		let number = u64::from_le_bytes(random()?) % (self.max_number + 1);
		let salt = format!("{}?expires={}&", to_hex(&salt), now.saturating_add(self.lifetime));
		let challenge = hash_hex(&salt, number);
		Ok(Challenge {
			algorithm: ALGORITHM.into(),
			signature: to_hex(&self.mac(&challenge).finalize().into_bytes()),
			challenge,
			maxnumber: self.max_number,
			salt,
		})
	}

	/// Checks `answer` (base64 of ALTCHA's JSON payload) at `now` and, if it solves an unexpired
	/// challenge of this faucet that was not used before, remembers it as used.
	pub fn redeem(&mut self, answer: &str, now: u64) -> Result<(), CaptchaRefusal> {
		let payload = decode_answer(answer)?;
		if payload.algorithm != ALGORITHM {
			return Err(CaptchaRefusal::Invalid("only SHA-256 challenges are issued".into()));
		}
		let expires = expiry_of(&payload.salt)
			.ok_or_else(|| CaptchaRefusal::Invalid("the salt carries no expiry".into()))?;
		if expires <= now {
			return Err(CaptchaRefusal::Expired);
		}
		self.verify(&payload)?;
		self.used.retain(|_, expiry| *expiry > now);
		if self.used.contains_key(&payload.challenge) {
			return Err(CaptchaRefusal::Reused);
		}
		if self.used.len() >= MAX_REMEMBERED {
			return Err(CaptchaRefusal::Busy);
		}
		self.used.insert(payload.challenge, expires);
		Ok(())
	}

	/// Whether the number solves the challenge and this faucet signed the challenge. The
	/// signature comes first and is compared in constant time; a refusal never says what the
	/// signature should have been (that would be a solution for a salt the client chose).
	fn verify(&self, payload: &Payload) -> Result<(), CaptchaRefusal> {
		let signature = decode_hex(&payload.signature).map_err(|_| {
			CaptchaRefusal::Invalid("the challenge was not made by this faucet".into())
		})?;
		self.mac(&payload.challenge).verify_slice(&signature).map_err(|_| {
			CaptchaRefusal::Invalid("the challenge was not made by this faucet".into())
		})?;
		if hash_hex(&payload.salt, payload.number) != payload.challenge {
			return Err(CaptchaRefusal::Invalid("the number does not solve the challenge".into()));
		}
		Ok(())
	}

	/// HMAC-SHA-256 of `challenge` (its hex text, as ALTCHA signs it) under the faucet's key.
	fn mac(&self, challenge: &str) -> Hmac<Sha256> {
		let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.hmac_key)
			.unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
		mac.update(challenge.as_bytes());
		mac
	}
}

/// Hex SHA-256 of the salt followed by the number in decimal: what the client searches for.
fn hash_hex(salt: &str, number: u64) -> String {
	to_hex(&Sha256::new().chain_update(salt).chain_update(number.to_string()).finalize())
}

/// The payload in base64 of its JSON.
fn decode_answer(answer: &str) -> Result<Payload, CaptchaRefusal> {
	let answer = answer.trim().as_bytes();
	if answer.len() > MAX_ANSWER_BYTES {
		return Err(CaptchaRefusal::Malformed("too long".into()));
	}
	let mut json = [0u8; MAX_ANSWER_BYTES];
	let length = base64::engine::general_purpose::STANDARD
		.decode_slice(answer, &mut json)
		.map_err(|error| CaptchaRefusal::Malformed(format!("not base64: {error}")))?;
	serde_json::from_slice(&json[..length])
		.map_err(|error| CaptchaRefusal::Malformed(error.to_string()))
}

/// `N` random bytes from the operating system.
fn random<const N: usize>() -> Result<[u8; N], String> {
	let mut bytes = [0u8; N];
	getrandom::getrandom(&mut bytes)
		.map_err(|error| format!("the system's random numbers are unavailable: {error}"))?;
	Ok(bytes)
}

/// The `expires` parameter of a salt (`<hex>?expires=<unix time>&`).
fn expiry_of(salt: &str) -> Option<u64> {
	let (_, parameters) = salt.split_once('?')?;
	parameters
		.split('&')
		.find_map(|parameter| parameter.strip_prefix("expires="))
		.and_then(|value| value.parse().ok())
}

#[cfg(test)]
mod tests;
