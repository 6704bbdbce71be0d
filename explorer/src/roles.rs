//! An account's ZeroG roles as the chain holds them now: its storage-provider record
//! (`StorageCommitments.Providers`: stake, endpoint, capacity) and its DA-signer record
//! (`DaAttestations.Signers`: stake, key, endpoint). Providers and signers from the genesis have
//! no registration event, so the account page reads these rather than fold events.

use serde_json::{json, Value};
use subxt::dynamic;
use zerog_client::{
	chain::{AtBlock, Chain},
	value::to_json,
};
use zerog_primitives::hex::decode_hex;

/// One `(pallet, storage map, role name)` keyed by account.
const ROLES: [(&str, &str, &str); 2] = [
	("StorageCommitments", "Providers", "storage_provider"),
	("DaAttestations", "Signers", "da_signer"),
];

/// `{ "storage_provider": record or null, "da_signer": record or null }` for `account`.
pub async fn roles(chain: &Chain, account: [u8; 32]) -> Result<Value, String> {
	let at = chain.at_best_block().await.map_err(|error| error.to_string())?;
	let mut roles = serde_json::Map::new();
	for (pallet, map, role) in ROLES {
		roles.insert(role.into(), record(&at, pallet, map, account).await?);
	}
	Ok(Value::Object(roles))
}

async fn record(at: &AtBlock, pallet: &str, map: &str, account: [u8; 32]) -> Result<Value, String> {
	let address = dynamic::storage::<([u8; 32],), dynamic::Value>(pallet, map);
	let Some(value) = at
		.storage()
		.try_fetch(address, (account,))
		.await
		.map_err(|error| format!("cannot read {pallet}.{map}: {error}"))?
	else {
		return Ok(Value::Null);
	};
	let value = value.decode().map_err(|error| format!("cannot decode {pallet}.{map}: {error}"))?;
	let mut record = to_json(&value);
	readable_endpoint(&mut record);
	Ok(record)
}

/// An `endpoint` field (bytes, a URL by convention) as text when it is UTF-8.
fn readable_endpoint(record: &mut Value) {
	let Some(endpoint) = record.get_mut("endpoint") else { return };
	let text = endpoint
		.as_str()
		.and_then(|hex| decode_hex(hex).ok())
		.and_then(|bytes| String::from_utf8(bytes).ok());
	if let Some(text) = text {
		*endpoint = json!(text);
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn endpoints_read_as_text_when_they_are_utf8() {
		let mut record = json!({ "stake": "5", "endpoint": "0x687474703a2f2f683a31" });
		readable_endpoint(&mut record);
		assert_eq!(record["endpoint"], "http://h:1");
		let mut binary = json!({ "endpoint": "0xff00" });
		readable_endpoint(&mut binary);
		assert_eq!(binary["endpoint"], "0xff00");
	}
}
