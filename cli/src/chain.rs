//! The chain side: a subxt connection, the signing key from `--suri`, submitting an extrinsic
//! and waiting for it in a best block, and naming the pallet error when it fails.

use crate::{error::CliError, rpc::NodeRpc};
use codec::Decode;
use std::time::Duration;
use subxt::{
	config::PolkadotExtrinsicParamsBuilder,
	dynamic::{self, At, Value},
	error::{DispatchError, TransactionEventsError},
	ext::scale_value::{Composite, Primitive, ValueDef},
	tx::{Payload, TransactionStatus},
	OnlineClient, PolkadotConfig,
};
use subxt_signer::{sr25519::Keypair, SecretUri};

/// How long a transaction may take to reach a best block (the chain makes a block every 2 s).
const INCLUSION_TIMEOUT: Duration = Duration::from_secs(180);

/// The signing key for `--suri`: a secret URI such as a mnemonic, `0x` seed or `//Alice`.
///
/// The error never repeats the URI, which may be a secret.
pub fn keypair_from_suri(suri: &str) -> Result<Keypair, CliError> {
	let uri: SecretUri = suri
		.parse()
		.map_err(|error| CliError::Input(format!("--suri is not a valid secret URI: {error}")))?;
	Keypair::from_uri(&uri)
		.map_err(|error| CliError::Input(format!("--suri does not give an sr25519 key: {error}")))
}

/// Where a transaction was included.
#[derive(Clone, Debug)]
pub struct Included {
	/// Hash of the best block that includes it, `0x` hex.
	pub block_hash: String,
	/// Number of that block, if the node told it.
	pub block_number: Option<u64>,
}

/// A subxt connection to a node, for transactions and typed storage reads.
pub struct Chain {
	api: OnlineClient<PolkadotConfig>,
}

impl Chain {
	/// Connects to the node at `url` and fetches its metadata.
	pub async fn connect(url: &str) -> Result<Self, CliError> {
		let api =
			OnlineClient::<PolkadotConfig>::from_insecure_url(url).await.map_err(|error| {
				CliError::Chain(format!("cannot connect to the chain at {url}: {error}"))
			})?;
		Ok(Self { api })
	}

	/// Signs `call` with `signer`, submits it and waits until it is in a best block, failing
	/// with the pallet error's name when it dispatched with an error. `what` names the call in
	/// messages, e.g. `StorageCommitments.submit`.
	///
	/// The nonce comes from `system_accountNextIndex` (pending transactions included), so two
	/// runs right after each other do not reuse one.
	pub async fn submit_and_wait<Call: Payload>(
		&self,
		rpc: &NodeRpc,
		what: &str,
		call: &Call,
		signer: &Keypair,
	) -> Result<Included, CliError> {
		let nonce = next_nonce(rpc, signer).await?;
		let params = PolkadotExtrinsicParamsBuilder::<PolkadotConfig>::new().nonce(nonce).build();
		let at = self.api.at_current_block().await.map_err(|error| {
			CliError::Chain(format!("{what}: cannot read the current block: {error}"))
		})?;
		let mut transactions = at.transactions();
		let mut progress = transactions
			.sign_and_submit_then_watch(call, signer, params)
			.await
			.map_err(|error| CliError::Chain(format!("{what} was refused by the node: {error}")))?;

		let included = tokio::time::timeout(INCLUSION_TIMEOUT, async {
			loop {
				let status = match progress.next().await {
					Some(Ok(status)) => status,
					Some(Err(error)) => {
						return Err(CliError::Chain(format!(
							"{what}: lost track of the transaction: {error}"
						)))
					},
					None => {
						return Err(CliError::Chain(format!(
							"{what}: the node stopped reporting before the transaction was \
							 included"
						)))
					},
				};
				match status {
					TransactionStatus::InBestBlock(in_block)
					| TransactionStatus::InFinalizedBlock(in_block) => {
						in_block.wait_for_success().await.map_err(|error| failure(what, error))?;
						return Ok(format!("{:?}", in_block.block_hash()));
					},
					TransactionStatus::Error { message }
					| TransactionStatus::Invalid { message }
					| TransactionStatus::Dropped { message } => {
						return Err(CliError::Chain(format!("{what} was not included: {message}")))
					},
					_ => continue,
				}
			}
		})
		.await
		.map_err(|_| {
			CliError::Timeout(format!(
				"{what} was not included in a block within {} s",
				INCLUSION_TIMEOUT.as_secs()
			))
		})??;
		let block_number = rpc.block_number(&included).await.ok();
		Ok(Included { block_hash: included, block_number })
	}

	/// The endpoints of every registered DA signer (`DaAttestations.Signers`), read at the
	/// latest finalized block; endpoints that are not UTF-8 are skipped with a warning.
	pub async fn da_signer_endpoints(&self) -> Result<Vec<String>, CliError> {
		let read_error = |error: String| {
			CliError::Chain(format!(
				"cannot read the DA signer registry (DaAttestations.Signers): {error}"
			))
		};
		let at =
			self.api.at_current_block().await.map_err(|error| read_error(error.to_string()))?;
		let address = dynamic::storage::<([u8; 32],), Value>("DaAttestations", "Signers");
		let storage = at.storage();
		let mut entries =
			storage.iter(address, ()).await.map_err(|error| read_error(error.to_string()))?;
		let mut endpoints = Vec::new();
		while let Some(entry) = entries.next().await {
			let entry = entry.map_err(|error| read_error(error.to_string()))?;
			let signer = entry.value().decode().map_err(|error| read_error(error.to_string()))?;
			let Some(bytes) = signer.at("endpoint").and_then(value_bytes) else {
				eprintln!("warning: a DA signer has no readable endpoint; skipping it");
				continue;
			};
			match String::from_utf8(bytes) {
				Ok(endpoint) => endpoints.push(endpoint),
				Err(_) => eprintln!("warning: a DA signer's endpoint is not UTF-8; skipping it"),
			}
		}
		Ok(endpoints)
	}
}

/// The nonce of `signer`'s next transaction: `system_accountNextIndex`, which counts the
/// transactions waiting in the pool, or else the runtime's `AccountNonceApi` at the best block
/// (for nodes that refuse the address format).
async fn next_nonce(rpc: &NodeRpc, signer: &Keypair) -> Result<u64, CliError> {
	let account = signer.public_key().to_account_id();
	match rpc.account_next_index(&account.to_string()).await {
		Ok(nonce) => Ok(nonce),
		Err(pool_error) => {
			let bytes = rpc
				.state_call("AccountNonceApi_account_nonce", &signer.public_key().0)
				.await
				.map_err(|_| pool_error)?;
			u32::decode(&mut &bytes[..]).map(u64::from).map_err(|error| {
				CliError::Chain(format!("the account nonce does not decode: {error}"))
			})
		},
	}
}

/// The bytes of a dynamic value holding a byte string (`Vec<u8>`, `BoundedVec<u8, _>`, or
/// a newtype around one).
pub fn value_bytes<T>(value: &Value<T>) -> Option<Vec<u8>> {
	match &value.value {
		ValueDef::Composite(composite) => {
			let children: Vec<&Value<T>> = match composite {
				Composite::Named(fields) => fields.iter().map(|(_, value)| value).collect(),
				Composite::Unnamed(values) => values.iter().collect(),
			};
			// A newtype (`BoundedVec`) wraps the sequence in a one-field composite.
			if let [only] = children.as_slice() {
				if matches!(only.value, ValueDef::Composite(_)) {
					return value_bytes(only);
				}
			}
			children
				.iter()
				.map(|child| match child.value {
					ValueDef::Primitive(Primitive::U128(byte)) => u8::try_from(byte).ok(),
					_ => None,
				})
				.collect()
		},
		_ => None,
	}
}

/// Our error for a transaction that was included but whose outcome is a failure.
fn failure(what: &str, error: TransactionEventsError) -> CliError {
	match error {
		TransactionEventsError::ExtrinsicFailed(DispatchError::Module(module)) => {
			match module.details() {
				Ok(details) => {
					let docs = details.variant.docs.join(" ");
					let docs = docs.trim();
					let explanation =
						if docs.is_empty() { String::new() } else { format!(": {docs}") };
					CliError::Chain(format!(
						"{what} failed with {}::{}{explanation}",
						details.pallet.name(),
						details.variant.name
					))
				},
				Err(_) => CliError::Chain(format!("{what} failed with {module}")),
			}
		},
		TransactionEventsError::ExtrinsicFailed(other) => {
			CliError::Chain(format!("{what} failed: {other}"))
		},
		other => CliError::Chain(format!("{what}: cannot read the transaction's outcome: {other}")),
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn dev_and_mnemonic_uris_give_keys() {
		let alice = keypair_from_suri("//Alice").unwrap();
		assert_eq!(alice.public_key().0, subxt_signer::sr25519::dev::alice().public_key().0);
		let error = keypair_from_suri("not a phrase at all").map(|_| ()).unwrap_err();
		assert!(!error.to_string().contains("not a phrase"), "never echoes the secret: {error}");
	}

	#[test]
	fn byte_strings_are_read_from_values() {
		let bytes = Value::from_bytes(b"ws://10.0.0.1:9944");
		assert_eq!(value_bytes(&bytes).unwrap(), b"ws://10.0.0.1:9944");
		let newtype = Value::unnamed_composite([Value::from_bytes(b"http://x")]);
		assert_eq!(value_bytes(&newtype).unwrap(), b"http://x");
		assert_eq!(value_bytes(&Value::u128(300)), None);
		assert_eq!(value_bytes(&Value::unnamed_composite([Value::u128(300)])), None);
	}
}
