use super::*;

const NOW: u64 = 1_800_000_000;

/// Solves a challenge by trying every number, as the page does.
fn solve(challenge: &Challenge) -> u64 {
	(0..=challenge.maxnumber)
		.find(|number| hash_hex(&challenge.salt, *number) == challenge.challenge)
		.expect("a challenge has a solution below its max number")
}

fn answer(challenge: &Challenge, number: u64) -> String {
	answer_json(serde_json::json!({
		"algorithm": challenge.algorithm, "challenge": challenge.challenge, "number": number,
		"salt": challenge.salt, "signature": challenge.signature, "took": 12,
	}))
}

fn answer_json(json: serde_json::Value) -> String {
	let mut encoded = String::new();
	base64::engine::general_purpose::STANDARD.encode_string(json.to_string(), &mut encoded);
	encoded
}

fn captcha() -> Captcha {
	Captcha::with_key(b"test key", 2_000, 600)
}

/// ALTCHA's own example payload (altcha-lib-rs' test, key `super-secret`) verifies, so the
/// `altcha` widget and libraries interoperate with the faucet.
#[test]
fn altchas_reference_payload_verifies() {
	let payload: Payload = serde_json::from_str(
		r#"{"algorithm":"SHA-256","challenge":"aa9c8ec8057413dd8220e21e15ab54b095fb3c840601d44c39bece8d9df34529","number":971813,"salt":"3065d108b2314f5ecc7e1207","signature":"d6c436288f1979f298f6532cea31db9e84e6338f4f58a9e00cb4105abbd11397","took":9417}"#,
	)
	.unwrap();
	assert_eq!(Captcha::with_key(b"super-secret", 1_000_000, 600).verify(&payload), Ok(()));
	assert!(Captcha::with_key(b"other", 1_000_000, 600).verify(&payload).is_err());
}

#[test]
fn a_solved_challenge_is_accepted_once() {
	let mut captcha = captcha();
	let challenge = captcha.challenge(NOW).unwrap();
	assert_eq!((challenge.algorithm.as_str(), challenge.maxnumber), ("SHA-256", 2_000));
	assert!(challenge.salt.ends_with(&format!("?expires={}&", NOW + 600)), "{}", challenge.salt);
	let solution = answer(&challenge, solve(&challenge));
	assert_eq!(captcha.redeem(&solution, NOW + 1), Ok(()));
	assert_eq!(captcha.redeem(&solution, NOW + 2), Err(CaptchaRefusal::Reused));
	assert_eq!(CaptchaRefusal::Reused.code(), "captcha_reused");
}

#[test]
fn wrong_numbers_expired_and_foreign_challenges_are_refused() {
	let mut captcha = captcha();
	let challenge = captcha.challenge(NOW).unwrap();
	let number = solve(&challenge);
	let wrong = answer(&challenge, (number + 1) % 2_001);
	assert_eq!(invalid(captcha.redeem(&wrong, NOW)), "the number does not solve the challenge");
	assert_eq!(
		captcha.redeem(&answer(&challenge, number), NOW + 600),
		Err(CaptchaRefusal::Expired)
	);

	// A challenge signed with another key (another faucet's).
	let foreign = Captcha::with_key(b"another key", 2_000, 600).challenge(NOW).unwrap();
	let refused = captcha.redeem(&answer(&foreign, solve(&foreign)), NOW);
	assert_eq!(invalid(refused), "the challenge was not made by this faucet");
	// A salt with a later expiry than the one signed.
	let mut stretched = challenge.clone();
	stretched.salt = stretched.salt.replace(&(NOW + 600).to_string(), &(NOW + 99_999).to_string());
	stretched.challenge = hash_hex(&stretched.salt, number);
	assert_eq!(
		invalid(captcha.redeem(&answer(&stretched, number), NOW + 700)),
		"the challenge was not made by this faucet"
	);
	// The refused answers did not use up the challenge.
	assert_eq!(captcha.redeem(&answer(&challenge, number), NOW), Ok(()));
}

fn invalid(result: Result<(), CaptchaRefusal>) -> String {
	match result {
		Err(refusal @ CaptchaRefusal::Invalid(_)) => {
			assert_eq!(refusal.code(), "captcha_invalid");
			match refusal {
				CaptchaRefusal::Invalid(reason) => reason,
				_ => unreachable!(),
			}
		},
		other => panic!("expected an invalid answer, got {other:?}"),
	}
}

/// A client that makes up its own salt (with a far expiry) must not learn from the refusal the
/// signature that would make it valid: that would be a solution that cost no work.
#[test]
fn a_refusal_never_reveals_the_expected_signature() {
	let mut captcha = captcha();
	let salt = format!("00ff?expires={}&", NOW + 10 * 365 * 86_400);
	let made_up = Challenge {
		algorithm: "SHA-256".into(),
		challenge: hash_hex(&salt, 0),
		maxnumber: 2_000,
		salt,
		signature: "00".repeat(32),
	};
	let refusal = captcha.redeem(&answer(&made_up, 0), NOW).unwrap_err();
	let expected = to_hex(&captcha.mac(&made_up.challenge).finalize().into_bytes());
	let told = format!("{} {:?}", refusal.message(), refusal);
	assert!(!told.contains(&expected), "{told}");
}

#[test]
fn malformed_answers_and_other_algorithms_are_refused() {
	let mut captcha = captcha();
	let too_long = "A".repeat(MAX_ANSWER_BYTES + 4);
	for bad in ["not base64!", "bm90IGpzb24=", too_long.as_str()] {
		let refusal = captcha.redeem(bad, NOW).unwrap_err();
		assert!(matches!(refusal, CaptchaRefusal::Malformed(_)), "{refusal:?}");
		assert_eq!(refusal.code(), "captcha_malformed");
	}
	let challenge = captcha.challenge(NOW).unwrap();
	let number = solve(&challenge);
	let sha512 = answer_json(serde_json::json!({
		"algorithm": "SHA-512", "challenge": challenge.challenge, "number": number,
		"salt": challenge.salt, "signature": challenge.signature,
	}));
	assert!(matches!(captcha.redeem(&sha512, NOW), Err(CaptchaRefusal::Invalid(_))));
	let no_expiry = answer_json(serde_json::json!({
		"algorithm": "SHA-256", "challenge": challenge.challenge, "number": number,
		"salt": "00ff", "signature": challenge.signature,
	}));
	assert!(matches!(captcha.redeem(&no_expiry, NOW), Err(CaptchaRefusal::Invalid(_))));
}

#[test]
fn used_answers_are_forgotten_after_they_expire_and_their_number_is_bounded() {
	let mut captcha = Captcha::with_key(b"k", 50, 60);
	let first = captcha.challenge(NOW).unwrap();
	captcha.redeem(&answer(&first, solve(&first)), NOW).unwrap();
	assert_eq!(captcha.used.len(), 1);
	let second = captcha.challenge(NOW + 100).unwrap();
	captcha.redeem(&answer(&second, solve(&second)), NOW + 100).unwrap();
	assert_eq!(captcha.used.len(), 1, "the expired first answer is forgotten");

	for filler in 0..MAX_REMEMBERED as u64 {
		captcha.used.insert(format!("filler {filler}"), NOW + 1_000);
	}
	let third = captcha.challenge(NOW + 100).unwrap();
	assert_eq!(
		captcha.redeem(&answer(&third, solve(&third)), NOW + 100),
		Err(CaptchaRefusal::Busy)
	);
	assert_eq!(CaptchaRefusal::Busy.code(), "busy");
}
