//! What an event is about: the files, blobs, jobs, services, roots and accounts its fields name,
//! so that a file's, a blob's or a job's page lists its whole history from one indexed lookup.
//!
//! Events are matched by pallet and field name, which the runtime's metadata fixes; the values
//! come from [`zerog_client::value::to_json`] (ids as numbers, accounts and roots as `0x` hex).

use serde_json::Value;

/// A kind of thing events are about; its key is stored beside it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SubjectKind {
	/// A storage file, by `FileId` (decimal).
	File,
	/// A DA blob, by `BlobId` (decimal).
	Blob,
	/// A compute job, by `JobId` (decimal).
	Job,
	/// A compute service, by `ServiceId` (decimal).
	Service,
	/// A file's or a blob's root (`0x` hex), which search and the root pages start from.
	Root,
	/// An account (`0x` hex of 32 bytes) in a ZeroG role: provider, signer, owner, user.
	Account,
}

impl SubjectKind {
	/// The name stored in the database.
	pub fn name(self) -> &'static str {
		match self {
			Self::File => "file",
			Self::Blob => "blob",
			Self::Job => "job",
			Self::Service => "service",
			Self::Root => "root",
			Self::Account => "account",
		}
	}
}

/// The pallets whose events name subjects, and which field names mean what in each.
const RULES: [(&str, &[(&str, SubjectKind)]); 3] = [
	(
		"StorageCommitments",
		&[
			("id", SubjectKind::File),
			("file_id", SubjectKind::File),
			("root", SubjectKind::Root),
			("owner", SubjectKind::Account),
			("who", SubjectKind::Account),
			("provider", SubjectKind::Account),
			("providers", SubjectKind::Account),
		],
	),
	(
		"DaAttestations",
		&[
			("id", SubjectKind::Blob),
			("blob", SubjectKind::Blob),
			("root", SubjectKind::Root),
			("submitter", SubjectKind::Account),
			("signer", SubjectKind::Account),
		],
	),
	(
		"ComputeEscrow",
		&[
			("job", SubjectKind::Job),
			("service", SubjectKind::Service),
			("user", SubjectKind::Account),
			("provider", SubjectKind::Account),
			("signer", SubjectKind::Account),
		],
	),
];

/// The subjects of an event of `pallet` with JSON `fields`, each once.
pub fn subjects_of(pallet: &str, fields: &Value) -> Vec<(SubjectKind, String)> {
	let Some((_, rules)) = RULES.iter().find(|(name, _)| *name == pallet) else {
		return Vec::new();
	};
	let mut subjects = Vec::new();
	for (field, kind) in rules.iter() {
		let Some(value) = fields.get(field) else { continue };
		let values = match (kind, value) {
			(SubjectKind::Account, _) => {
				accounts_in(value).into_iter().map(Value::String).collect()
			},
			(_, Value::Array(items)) => items.clone(),
			(_, single) => vec![single.clone()],
		};
		for value in &values {
			if let Some(key) = key_of(*kind, value) {
				if !subjects.contains(&(*kind, key.clone())) {
					subjects.push((*kind, key));
				}
			}
		}
	}
	subjects
}

/// The accounts (`0x` hex of 32 bytes) in a field: one account, a list of them, or a list that
/// [`zerog_client::value::to_json`] wrote as one hex string (it cannot tell a list of accounts
/// from bytes), which is cut into 32-byte accounts.
pub fn accounts_in(value: &Value) -> Vec<String> {
	match value {
		Value::Array(items) => items.iter().flat_map(accounts_in).collect(),
		Value::String(text) => {
			let digits = text.strip_prefix("0x").unwrap_or_default();
			if digits.is_empty() || digits.len() % 64 != 0 || !digits.is_ascii() {
				return Vec::new();
			}
			(0..digits.len() / 64)
				.map(|index| format!("0x{}", digits[index * 64..][..64].to_ascii_lowercase()))
				.collect()
		},
		_ => Vec::new(),
	}
}

/// The stored key of a field's value: a decimal id, or lowercase `0x` hex of 32 bytes.
fn key_of(kind: SubjectKind, value: &Value) -> Option<String> {
	match kind {
		SubjectKind::File | SubjectKind::Blob | SubjectKind::Job | SubjectKind::Service => {
			match value {
				Value::Number(number) => number.as_u64().map(|id| id.to_string()),
				Value::String(text) => text.parse::<u64>().ok().map(|id| id.to_string()),
				_ => None,
			}
		},
		SubjectKind::Root | SubjectKind::Account => match value {
			Value::String(text) if text.len() == 66 && text.starts_with("0x") => {
				Some(text.to_ascii_lowercase())
			},
			_ => None,
		},
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use serde_json::json;

	#[test]
	fn a_file_event_names_its_file_root_and_accounts() {
		let root = format!("0x{}", "AB".repeat(32));
		let owner = format!("0x{}", "01".repeat(32));
		let fields = json!({ "id": 7, "owner": owner, "root": root, "size": 1000, "fee": "5" });
		let subjects = subjects_of("StorageCommitments", &fields);
		assert_eq!(
			subjects,
			vec![
				(SubjectKind::File, "7".into()),
				(SubjectKind::Root, root.to_ascii_lowercase()),
				(SubjectKind::Account, owner),
			]
		);
	}

	#[test]
	fn lists_and_large_ids_are_read_and_other_pallets_ignored() {
		let (a, b) = (format!("0x{}", "01".repeat(32)), format!("0x{}", "02".repeat(32)));
		let fields = json!({ "file_id": "18446744073709551615", "providers": [a, b, a] });
		assert_eq!(
			subjects_of("StorageCommitments", &fields),
			vec![
				(SubjectKind::File, u64::MAX.to_string()),
				(SubjectKind::Account, a.clone()),
				(SubjectKind::Account, b.clone()),
			]
		);
		assert!(subjects_of("Balances", &json!({ "id": 1, "who": a })).is_empty());
		// Two accounts written as one hex string.
		let joined = format!("0x{}{}", &a[2..], &b[2..]);
		assert_eq!(accounts_in(&json!(joined)), [a.clone(), b.clone()]);
		assert_eq!(
			subjects_of("StorageCommitments", &json!({ "providers": joined })),
			vec![(SubjectKind::Account, a.clone()), (SubjectKind::Account, b.clone())]
		);
		assert!(accounts_in(&json!("0x1234")).is_empty());
		// Not an id, not an account: nothing is made up.
		assert!(subjects_of("ComputeEscrow", &json!({ "job": -1, "user": "0x12" })).is_empty());
	}
}
