//! The validator set as the chain holds it now: who authors blocks and votes on finality, which
//! of them governance appointed (invulnerables) and which bonded their way in (candidates), and
//! when each last authored a block (see `runtime/src/validators`).

use serde::Serialize;
use subxt::dynamic::{self, Value};
use zerog_client::{
	chain::Chain,
	value::{number, to_json},
};

use crate::subjects::accounts_in;

/// One validator or candidate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ValidatorView {
	/// Its account, `0x` hex.
	pub account: String,
	/// `invulnerable` (appointed by governance) or `candidate` (bonded).
	pub role: &'static str,
	/// Its candidacy bond, smallest unit, decimal; `None` for an invulnerable.
	pub bond: Option<String>,
	/// Whether it is in the current session's set.
	pub active: bool,
	/// The last block it authored, as `CollatorSelection` recorded it.
	pub last_authored: Option<u64>,
}

/// The validator set now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ValidatorSet {
	/// The current session.
	pub session: u64,
	/// The best block read.
	pub at_block: u64,
	/// The session's validators first, then candidates waiting for a later session.
	pub validators: Vec<ValidatorView>,
}

async fn fetch(
	at: &zerog_client::chain::AtBlock,
	pallet: &str,
	name: &str,
) -> Result<Option<Value>, String> {
	let address = dynamic::storage::<(), Value>(pallet, name);
	let value = at
		.storage()
		.try_fetch(address, ())
		.await
		.map_err(|error| format!("cannot read {pallet}.{name}: {error}"))?;
	value
		.map(|value| {
			value.decode().map_err(|error| format!("cannot decode {pallet}.{name}: {error}"))
		})
		.transpose()
}

/// Reads the validator set at the node's best block.
pub async fn validator_set(chain: &Chain) -> Result<ValidatorSet, String> {
	let at = chain.at_best_block().await.map_err(|error| error.to_string())?;
	let json = |value: Option<Value>| value.as_ref().map(to_json).unwrap_or_default();
	let active = accounts_in(&json(fetch(&at, "Session", "Validators").await?));
	let invulnerables = accounts_in(&json(fetch(&at, "CollatorSelection", "Invulnerables").await?));
	let session = fetch(&at, "Session", "CurrentIndex").await?.as_ref().map(number).transpose()?;
	let candidates = json(fetch(&at, "CollatorSelection", "CandidateList").await?);
	let mut validators: Vec<ValidatorView> = Vec::new();
	let mut add = |account: String, role, bond| {
		if validators.iter().all(|known| known.account != account) {
			let active = active.contains(&account);
			validators.push(ValidatorView { account, role, bond, active, last_authored: None });
		}
	};
	for account in &invulnerables {
		add(account.clone(), "invulnerable", None);
	}
	for candidate in candidates.as_array().into_iter().flatten() {
		let account = candidate.get("who").map(accounts_in).unwrap_or_default();
		let bond = candidate.get("deposit").map(|deposit| match deposit {
			serde_json::Value::String(text) => text.clone(),
			other => other.to_string(),
		});
		if let Some(account) = account.into_iter().next() {
			add(account, "candidate", bond);
		}
	}
	for account in &active {
		add(account.clone(), "invulnerable", None);
	}
	for validator in &mut validators {
		let bytes: [u8; 32] = zerog_primitives::hex::decode_array(&validator.account)
			.map_err(|error| format!("a validator account: {error}"))?;
		let address =
			dynamic::storage::<([u8; 32],), Value>("CollatorSelection", "LastAuthoredBlock");
		let last =
			at.storage().try_fetch(address, (bytes,)).await.map_err(|error| {
				format!("cannot read CollatorSelection.LastAuthoredBlock: {error}")
			})?;
		if let Some(last) = last {
			let last = last.decode().map_err(|error| error.to_string())?;
			validator.last_authored = number(&last).ok().map(|block| block as u64);
		}
	}
	// The session's set first, in the order Aura takes turns.
	validators.sort_by_key(|validator| {
		active.iter().position(|account| *account == validator.account).unwrap_or(usize::MAX)
	});
	Ok(ValidatorSet {
		session: session.unwrap_or(0) as u64,
		at_block: at.block_number(),
		validators,
	})
}
