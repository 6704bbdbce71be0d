//! A file's, a blob's, a job's and a service's state, folded from the finalized events that
//! name it (oldest first). Everything shown comes from finalized blocks; what events do not
//! carry (a service's model and prices) is read from the chain by the server.
//!
//! Amounts are decimal strings in the smallest unit, ids and block numbers are numbers.

use serde_json::{json, Map, Value};

use crate::{store::Event, subjects::accounts_in};

/// An integer field of an event (a number, or a decimal string above 2^53).
fn integer(fields: &Value, name: &str) -> u128 {
	match fields.get(name) {
		Some(Value::Number(number)) => number.as_u64().map(u128::from).unwrap_or(0),
		Some(Value::String(text)) => text.parse().unwrap_or(0),
		_ => 0,
	}
}

/// Adds `fields[name]` to the amount kept as a decimal string under `key`.
fn add(summary: &mut Map<String, Value>, key: &str, fields: &Value, name: &str) {
	let before: u128 =
		summary.get(key).and_then(Value::as_str).and_then(|text| text.parse().ok()).unwrap_or(0);
	summary.insert(key.into(), json!(before.saturating_add(integer(fields, name)).to_string()));
}

/// Copies `names` of `fields` into `summary`, amounts (`amounts`) as decimal strings.
fn copy(summary: &mut Map<String, Value>, fields: &Value, names: &[&str], amounts: &[&str]) {
	for name in names {
		if let Some(value) = fields.get(*name) {
			summary.insert((*name).into(), value.clone());
		}
	}
	for name in amounts {
		summary.insert((*name).into(), json!(integer(fields, name).to_string()));
	}
}

/// The events of `pallet`, in order, as `(name, fields, block)`.
fn of<'a>(events: &'a [Event], pallet: &'a str) -> impl Iterator<Item = (&'a str, &'a Value, u64)> {
	events
		.iter()
		.filter(move |event| event.pallet == pallet)
		.map(|event| (event.name.as_str(), &event.fields, event.block_number))
}

/// A storage file from its `StorageCommitments` events; `None` if none submitted it.
pub fn file(id: u64, events: &[Event]) -> Option<Value> {
	let mut summary = Map::new();
	let mut providers: Vec<(String, bool)> = Vec::new();
	let (mut proofs, mut missed) = (0u64, 0u64);
	for (name, fields, block) in of(events, "StorageCommitments") {
		match name {
			"FileSubmitted" => {
				copy(
					&mut summary,
					fields,
					&["root", "size", "owner", "expires_at", "replicas"],
					&[],
				);
				add(&mut summary, "fees_paid", fields, "fee");
				summary.insert("submitted_in".into(), json!(block));
				summary.insert("status".into(), json!("awaiting providers"));
			},
			"FileRenewed" => {
				copy(&mut summary, fields, &["expires_at"], &[]);
				add(&mut summary, "fees_paid", fields, "fee");
			},
			"FileActivated" => {
				summary.insert("challengeable".into(), json!(true));
			},
			"FileExpired" => {
				summary.insert("status".into(), json!("expired"));
				copy(&mut summary, fields, &[], &["unearned"]);
			},
			"FileDropped" => {
				summary.insert("status".into(), json!("dropped"));
				copy(&mut summary, fields, &[], &["refunded"]);
			},
			"ReplicasAssigned" => {
				for provider in fields.get("providers").map(accounts_in).unwrap_or_default() {
					if !providers.iter().any(|(known, _)| *known == provider) {
						providers.push((provider, false));
					}
				}
			},
			"ReplicaAcknowledged" => {
				let provider = fields.get("provider").and_then(Value::as_str).unwrap_or_default();
				match providers.iter_mut().find(|(known, _)| known == provider) {
					Some(entry) => entry.1 = true,
					None => providers.push((provider.to_owned(), true)),
				}
			},
			"ReplicaReleased" => {
				let provider = fields.get("provider").and_then(Value::as_str).unwrap_or_default();
				providers.retain(|(known, _)| known != provider);
			},
			"ChallengeProven" => {
				proofs += 1;
				add(&mut summary, "rewards_paid", fields, "reward");
			},
			"ChallengeMissed" => {
				missed += 1;
				add(&mut summary, "stake_slashed", fields, "slashed");
			},
			_ => {},
		}
	}
	summary.get("root")?;
	summary.insert("id".into(), json!(id));
	let held = providers.iter().any(|(_, acknowledged)| *acknowledged);
	if held && summary.get("status").and_then(Value::as_str) == Some("awaiting providers") {
		summary.insert("status".into(), json!("stored"));
	}
	summary.entry("challengeable").or_insert(json!(false));
	let providers: Vec<Value> = providers
		.into_iter()
		.map(|(account, acknowledged)| json!({ "account": account, "acknowledged": acknowledged }))
		.collect();
	summary.insert("providers".into(), Value::Array(providers));
	summary.insert("proofs".into(), json!(proofs));
	summary.insert("missed_challenges".into(), json!(missed));
	for key in ["rewards_paid", "stake_slashed"] {
		summary.entry(key).or_insert(json!("0"));
	}
	Some(Value::Object(summary))
}

/// A DA blob from its `DaAttestations` events; `None` if none submitted it.
pub fn blob(id: u64, events: &[Event]) -> Option<Value> {
	let mut summary = Map::new();
	let mut custody = 0u64;
	for (name, fields, block) in of(events, "DaAttestations") {
		match name {
			"BlobSubmitted" => {
				copy(
					&mut summary,
					fields,
					&[
						"root",
						"submitter",
						"namespace",
						"size_bytes",
						"epoch",
						"quorum",
						"expires_at",
					],
					&["fee"],
				);
				summary.insert("submitted_in".into(), json!(block));
				summary.insert("status".into(), json!("pending"));
			},
			"BlobCertified" => {
				copy(&mut summary, fields, &["attesters"], &["attested_stake", "fee_paid"]);
				summary.insert("certified_in".into(), json!(block));
				summary.insert("status".into(), json!("certified"));
			},
			"BlobExpired" => {
				copy(&mut summary, fields, &[], &["refunded", "withheld"]);
				summary.insert("status".into(), json!("expired"));
			},
			"BlobRetired" => {
				summary.insert("status".into(), json!("retired"));
			},
			"CustodyChallenged" => custody += 1,
			_ => {},
		}
	}
	summary.get("root")?;
	summary.insert("id".into(), json!(id));
	summary.insert("custody_challenges".into(), json!(custody));
	Some(Value::Object(summary))
}

/// A compute job from its `ComputeEscrow` events; `None` if none created it.
pub fn job(id: u64, events: &[Event]) -> Option<Value> {
	let mut summary = Map::new();
	for (name, fields, block) in of(events, "ComputeEscrow") {
		let status = match name {
			"JobCreated" => {
				copy(
					&mut summary,
					fields,
					&["service", "user", "provider", "deadline"],
					&["max_fee"],
				);
				summary.insert("created_in".into(), json!(block));
				"open"
			},
			"ResultSubmitted" => {
				copy(
					&mut summary,
					fields,
					&["result_root", "output_hash", "review_ends"],
					&["fee_used"],
				);
				summary.insert("result_in".into(), json!(block));
				"result submitted"
			},
			"ResultAccepted" | "ResultAutoAccepted" => {
				copy(&mut summary, fields, &[], &["fee_paid", "refunded"]);
				if name == "ResultAccepted" {
					"accepted"
				} else {
					"accepted automatically"
				}
			},
			"JobDeclined" => {
				copy(&mut summary, fields, &[], &["refunded"]);
				"declined"
			},
			"JobDisputed" => {
				copy(&mut summary, fields, &["lapses_at"], &["bond"]);
				"disputed"
			},
			"DisputeResolved" => {
				copy(&mut summary, fields, &["provider_share"], &["fee_paid", "refunded"]);
				"dispute resolved"
			},
			"DisputeLapsed" => {
				copy(&mut summary, fields, &[], &["fee_paid", "refunded"]);
				"dispute lapsed"
			},
			"JobExpired" => {
				copy(&mut summary, fields, &[], &["refunded", "slashed"]);
				"expired"
			},
			_ => continue,
		};
		summary.insert("status".into(), json!(status));
	}
	summary.get("service")?;
	summary.insert("id".into(), json!(id));
	Some(Value::Object(summary))
}

/// A compute service from its `ComputeEscrow` events; `None` if it has none. A service from
/// the chain's genesis has no `ServiceRegistered`: its provider, kind and stake are missing
/// here and the server fills them in from the chain.
pub fn service(id: u64, events: &[Event]) -> Option<Value> {
	if events.is_empty() {
		return None;
	}
	let mut summary = Map::new();
	let (mut receipts, mut jobs) = (0u128, 0u64);
	for (name, fields, block) in of(events, "ComputeEscrow") {
		match name {
			"ServiceRegistered" => {
				copy(&mut summary, fields, &["provider", "kind"], &["stake"]);
				summary.insert("registered_in".into(), json!(block));
				summary.insert("status".into(), json!("active"));
			},
			"ServiceUpdated" => copy(&mut summary, fields, &[], &["stake"]),
			"ServiceRemoved" => {
				summary.insert("status".into(), json!("removed"));
			},
			"JobTermsSet" => copy(&mut summary, fields, &["max_dataset_size"], &["min_fee"]),
			"ReceiptsSettled" => {
				receipts += integer(fields, "settled");
				add(&mut summary, "receipts_paid", fields, "paid");
			},
			"JobCreated" => jobs += 1,
			_ => {},
		}
	}
	summary.insert("id".into(), json!(id));
	summary.insert("settled_receipts".into(), json!(receipts as u64));
	summary.entry("receipts_paid").or_insert(json!("0"));
	summary.insert("jobs".into(), json!(jobs));
	Some(Value::Object(summary))
}

#[cfg(test)]
mod tests {
	use super::*;

	fn event(block_number: u64, pallet: &str, name: &str, fields: Value) -> Event {
		Event {
			block_number,
			position: 0,
			extrinsic: None,
			pallet: pallet.into(),
			name: name.into(),
			fields,
		}
	}

	#[test]
	fn a_file_is_followed_from_submission_through_proofs_to_expiry() {
		let (a, b) = (format!("0x{}", "aa".repeat(32)), format!("0x{}", "bb".repeat(32)));
		let (a, b) = (a.as_str(), b.as_str());
		let storage = |block, name, fields| event(block, "StorageCommitments", name, fields);
		let mut events = vec![
			storage(
				3,
				"FileSubmitted",
				json!({ "id": 4, "owner": "0x01", "root": "0x02", "size": 1000, "fee": "20000000000000000000", "expires_at": 500, "replicas": 2 }),
			),
			storage(
				4,
				"ReplicasAssigned",
				json!({ "file_id": 4, "providers": format!("{a}{}", &b[2..]) }),
			),
			storage(5, "ReplicaAcknowledged", json!({ "file_id": 4, "provider": a })),
			storage(5, "FileActivated", json!({ "id": 4 })),
			storage(
				9,
				"ChallengeProven",
				json!({ "provider": a, "period": 1, "file_id": 4, "reward": 7 }),
			),
			storage(
				19,
				"ChallengeProven",
				json!({ "provider": a, "period": 2, "file_id": 4, "reward": "9007199254740993" }),
			),
			storage(20, "ReplicaReleased", json!({ "file_id": 4, "provider": b })),
			storage(
				30,
				"FileRenewed",
				json!({ "id": 4, "who": "0x01", "fee": 5, "expires_at": 900 }),
			),
		];
		let summary = file(4, &events).unwrap();
		assert_eq!(
			(summary["status"].as_str(), summary["challengeable"].as_bool()),
			(Some("stored"), Some(true))
		);
		assert_eq!(file(4, &events[..2]).unwrap()["status"], "awaiting providers");
		assert_eq!(file(4, &events[..3]).unwrap()["status"], "stored");
		assert_eq!(summary["fees_paid"], "20000000000000000005");
		assert_eq!(summary["rewards_paid"], "9007199254741000");
		assert_eq!(summary["proofs"], 2);
		assert_eq!(summary["expires_at"], 900);
		assert_eq!(summary["providers"], json!([{ "account": a, "acknowledged": true }]));
		events.push(storage(
			900,
			"FileExpired",
			json!({ "id": 4, "root": "0x02", "size": 1000, "unearned": 3 }),
		));
		assert_eq!(file(4, &events).unwrap()["status"], "expired");
		assert_eq!(file(5, &events[1..]), None, "no submission, no file");
	}

	#[test]
	fn blobs_jobs_and_services_read_their_lifecycle() {
		let da = |block, name, fields| event(block, "DaAttestations", name, fields);
		let blob_events = [
			da(
				2,
				"BlobSubmitted",
				json!({ "id": 0, "root": "0x03", "submitter": "0x01", "namespace": 7, "size_bytes": 4096, "fee": 100, "epoch": 1, "quorum": 0, "expires_at": 50 }),
			),
			da(
				3,
				"BlobCertified",
				json!({ "id": 0, "root": "0x03", "at": 3, "attested_stake": 300, "attesters": 3, "fee_paid": 99 }),
			),
		];
		let summary = blob(0, &blob_events).unwrap();
		assert_eq!(
			(summary["status"].as_str(), summary["attesters"].as_u64()),
			(Some("certified"), Some(3))
		);
		assert_eq!(
			(summary["fee"].as_str(), summary["fee_paid"].as_str()),
			(Some("100"), Some("99"))
		);

		let compute = |block, name, fields| event(block, "ComputeEscrow", name, fields);
		let job_events = [
			compute(
				4,
				"JobCreated",
				json!({ "job": 1, "service": 2, "user": "0x01", "provider": "0x02", "max_fee": 1000, "deadline": 90 }),
			),
			compute(
				6,
				"ResultSubmitted",
				json!({ "job": 1, "provider": "0x02", "result_root": "0x04", "output_hash": "0x05", "fee_used": 600, "review_ends": 20 }),
			),
			compute(7, "ResultAccepted", json!({ "job": 1, "fee_paid": 600, "refunded": 400 })),
		];
		let summary = job(1, &job_events).unwrap();
		assert_eq!(summary["status"], "accepted");
		assert_eq!(
			(summary["fee_paid"].as_str(), summary["refunded"].as_str()),
			(Some("600"), Some("400"))
		);
		assert_eq!(job(1, &job_events[1..]), None);

		let service_events = [
			compute(
				1,
				"ServiceRegistered",
				json!({ "service": 2, "provider": "0x02", "kind": { "Job": [] }, "stake": 50 }),
			),
			compute(4, "JobCreated", json!({ "job": 1, "service": 2 })),
			compute(
				8,
				"ReceiptsSettled",
				json!({ "provider": "0x02", "service": 2, "settled": 3, "paid": 30 }),
			),
			compute(
				9,
				"ServiceRemoved",
				json!({ "service": 2, "provider": "0x02", "stake_released": 50 }),
			),
		];
		let summary = service(2, &service_events).unwrap();
		assert_eq!(
			(summary["status"].as_str(), summary["jobs"].as_u64()),
			(Some("removed"), Some(1))
		);
		assert_eq!(
			(summary["settled_receipts"].as_u64(), summary["receipts_paid"].as_str()),
			(Some(3), Some("30"))
		);
	}
}
