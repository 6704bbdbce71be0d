//! The chain side: a subxt connection, the signing key from `--suri`, submitting an extrinsic
//! and waiting for it in a best block (with its events and the fee it paid), and naming the
//! pallet error when it fails.

use crate::rpc::NodeRpc;
use crate::{error::ClientError, value::value_bytes};
use codec::{Compact, Decode};
use std::time::Duration;
use subxt::{
	config::PolkadotExtrinsicParamsBuilder,
	dynamic::{self, At, Value},
	error::{DispatchError, TransactionEventsError},
	rpcs::{rpc_params, RpcClient},
	tx::{Payload, TransactionStatus},
	OnlineClient, OnlineClientAtBlock, PolkadotConfig,
};
use subxt_signer::{sr25519::Keypair, SecretUri};

/// How long a transaction may take to reach a best block (the chain makes a block every 2 s).
const INCLUSION_TIMEOUT: Duration = Duration::from_secs(180);

/// The signing key for `--suri`: a secret URI such as a mnemonic, `0x` seed or `//Alice`.
///
/// The error never repeats the URI, which may be a secret.
pub fn keypair_from_suri(suri: &str) -> Result<Keypair, ClientError> {
	let uri: SecretUri = suri.parse().map_err(|error| {
		ClientError::Input(format!("--suri is not a valid secret URI: {error}"))
	})?;
	Keypair::from_uri(&uri).map_err(|error| {
		ClientError::Input(format!("--suri does not give an sr25519 key: {error}"))
	})
}

/// One event a transaction emitted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TxEvent {
	/// The pallet, e.g. `ComputeEscrow`.
	pub pallet: String,
	/// The event, e.g. `JobCreated`.
	pub name: String,
	/// The SCALE encoding of its fields, in declaration order.
	pub fields: Vec<u8>,
}

/// Where a transaction was included, and what it did.
#[derive(Clone, Debug)]
pub struct Included {
	/// Hash of the best block that includes it, `0x` hex.
	pub block_hash: String,
	/// Number of that block, if the node told it.
	pub block_number: Option<u64>,
	/// The events of the transaction, in order.
	pub events: Vec<TxEvent>,
}

impl Included {
	/// The fields of the first `pallet.name` event of the transaction.
	pub fn event_fields(&self, pallet: &str, name: &str) -> Option<&[u8]> {
		self.events
			.iter()
			.find(|event| event.pallet == pallet && event.name == name)
			.map(|event| event.fields.as_slice())
	}

	/// The fee the signer paid for the transaction (tip included), from
	/// `TransactionPayment.TransactionFeePaid`; `None` if the event is missing.
	pub fn fee_paid(&self) -> Option<u128> {
		let mut fields = self.event_fields("TransactionPayment", "TransactionFeePaid")?;
		<([u8; 32], u128, u128)>::decode(&mut fields).ok().map(|(_who, fee, _tip)| fee)
	}
}

/// A subxt connection to a node, for transactions and typed storage reads.
pub struct Chain {
	api: OnlineClient<PolkadotConfig>,
	rpc: RpcClient,
}

/// A view of the chain's state at one block, for storage reads and constants.
pub type AtBlock = OnlineClientAtBlock<PolkadotConfig>;

impl Chain {
	/// The subxt client.
	pub fn client(&self) -> &OnlineClient<PolkadotConfig> {
		&self.api
	}

	/// The state at the node's best block: what a transaction the client just saw included
	/// already changed (the latest finalized block may be a block or two behind).
	pub async fn at_best_block(&self) -> Result<AtBlock, ClientError> {
		let read_error =
			|error: String| ClientError::Chain(format!("cannot read the best block: {error}"));
		let header: serde_json::Value = self
			.rpc
			.request("chain_getHeader", rpc_params![])
			.await
			.map_err(|error| read_error(error.to_string()))?;
		let number = header
			.get("number")
			.and_then(serde_json::Value::as_str)
			.and_then(|hex| u64::from_str_radix(hex.trim_start_matches("0x"), 16).ok())
			.ok_or_else(|| read_error(format!("no block number in {header}")))?;
		self.api.at_block(number).await.map_err(|error| read_error(error.to_string()))
	}

	/// Connects to the node at `url` and fetches its metadata.
	pub async fn connect(url: &str) -> Result<Self, ClientError> {
		let cannot_connect = |error: String| {
			ClientError::Chain(format!("cannot connect to the chain at {url}: {error}"))
		};
		let rpc = RpcClient::from_insecure_url(url)
			.await
			.map_err(|error| cannot_connect(error.to_string()))?;
		let api = online_client(rpc.clone()).await.map_err(cannot_connect)?;
		Ok(Self { api, rpc })
	}

	/// Signs `call` with `signer`, submits it and waits until it is in a best block, failing
	/// with the pallet error's name when it dispatched with an error. `what` names the call in
	/// messages, e.g. `StorageCommitments.submit`. See [`submit_with_fresh_nonce`].
	pub async fn submit_and_wait<Call: Payload>(
		&self,
		rpc: &NodeRpc,
		what: &str,
		call: &Call,
		signer: &Keypair,
	) -> Result<Included, ClientError> {
		submit_with_fresh_nonce(&self.api, rpc, what, call, signer, Until::BestBlock).await
	}

	/// How many storage providers are active (`StorageCommitments.ActiveProviders`) at the
	/// latest block: the most replicas a new file may ask for.
	pub async fn active_storage_providers(&self) -> Result<u32, ClientError> {
		let read_error = |error: String| {
			ClientError::Chain(format!(
				"cannot read the storage providers (StorageCommitments.ActiveProviders): {error}"
			))
		};
		let at =
			self.api.at_current_block().await.map_err(|error| read_error(error.to_string()))?;
		let address = dynamic::storage::<(), Value>("StorageCommitments", "ActiveProviders");
		let value =
			at.storage().fetch(address, ()).await.map_err(|error| read_error(error.to_string()))?;
		// A bounded vector of account ids: its SCALE encoding starts with its length.
		let Compact(count) = Compact::<u32>::decode(&mut value.bytes())
			.map_err(|error| read_error(error.to_string()))?;
		Ok(count)
	}

	/// The endpoints of every registered DA signer (`DaAttestations.Signers`), read at the
	/// latest finalized block; endpoints that are not UTF-8 are skipped with a warning.
	pub async fn da_signer_endpoints(&self) -> Result<Vec<String>, ClientError> {
		let read_error = |error: String| {
			ClientError::Chain(format!(
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
async fn next_nonce(rpc: &NodeRpc, signer: &Keypair) -> Result<u64, ClientError> {
	let account = signer.public_key().to_account_id();
	match rpc.account_next_index(&account.to_string()).await {
		Ok(nonce) => Ok(nonce),
		Err(pool_error) => {
			let bytes = rpc
				.state_call("AccountNonceApi_account_nonce", &signer.public_key().0)
				.await
				.map_err(|_| pool_error)?;
			u32::decode(&mut &bytes[..]).map(u64::from).map_err(|error| {
				ClientError::Chain(format!("the account nonce does not decode: {error}"))
			})
		},
	}
}

/// How far [`submit_with_fresh_nonce`] follows a transaction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Until {
	/// Until it is in a best block: what a person at a terminal waits for.
	BestBlock,
	/// Until it is in a finalized block: what a program that acts on the outcome waits for.
	Finalized,
}

/// How many times a transaction is signed again after another sender of the same account took
/// its nonce.
const NONCE_RACE_ATTEMPTS: u32 = 5;

/// Whether the pool's or the chain's word on a transaction means that another transaction of the
/// same account took (or will take) its nonce, so that signing it again with a fresh nonce is
/// the remedy: "Priority is too low" (the same nonce is in the pool), "outdated" or "stale" (a
/// block took the nonce), "usurped" (replaced in the pool), "future" (the nonce counted a pool
/// transaction that went away).
pub fn is_nonce_race(message: &str) -> bool {
	let message = message.to_ascii_lowercase();
	["priority is too low", "outdated", "stale", "usurped", "in the future"]
		.iter()
		.any(|sign| message.contains(sign))
}

/// The text of a refused submission, with the reason the node gave in the JSON-RPC error's
/// `data` ("Inability to pay some fees", "Transaction is outdated"), which the error's own text
/// ("invalid transaction (1010)") leaves out.
pub fn error_text(error: &subxt::error::ExtrinsicError) -> String {
	use subxt::error::{BackendError, ExtrinsicError, RpcError};
	let mut text = error.to_string();
	if let ExtrinsicError::ErrorSubmittingTransaction(BackendError::Rpc(RpcError::ClientError(
		subxt::rpcs::Error::User(refusal),
	))) = error
	{
		if let Some(data) = &refusal.data {
			text.push_str(": ");
			text.push_str(data.get().trim_matches('"'));
		}
	}
	text
}

/// Signs `call` with `signer` and submits it, following it until it is in a best or a finalized
/// block ([`Until`]); fails with the pallet error's name when it dispatched with an error. `what`
/// names the call in messages, e.g. `StorageCommitments.submit`.
///
/// The nonce comes from `system_accountNextIndex` (pending transactions included), so two
/// transactions right after each other do not reuse one. An account often has more than one
/// sender: a provider's node's off-chain workers sign with the provider's key, which its
/// executor and its operator's client use as well, and a dev chain's Alice is its storage
/// provider, DA signer and compute provider as well as every tool's default signer. When another
/// sender takes the nonce between the read and the inclusion ([`is_nonce_race`]), the
/// transaction is signed again with a fresh nonce, up to [`NONCE_RACE_ATTEMPTS`] times; a
/// transaction that was refused or replaced was not executed, so nothing happens twice.
pub async fn submit_with_fresh_nonce<Call: Payload>(
	api: &OnlineClient<PolkadotConfig>,
	rpc: &NodeRpc,
	what: &str,
	call: &Call,
	signer: &Keypair,
	until: Until,
) -> Result<Included, ClientError> {
	refuse_development_key_on_live_chain(rpc, signer).await?;
	let mut attempt = 1;
	loop {
		match submit_once(api, rpc, what, call, signer, until).await {
			Err(Attempt::NonceRace(message)) if attempt < NONCE_RACE_ATTEMPTS => {
				attempt += 1;
				log::info!("{what}: {message}; signing again with a fresh nonce");
				tokio::time::sleep(Duration::from_millis(500 * u64::from(attempt))).await;
			},
			Err(Attempt::NonceRace(message)) => {
				return Err(ClientError::Chain(format!(
					"{what} was not included: {message} ({NONCE_RACE_ATTEMPTS} attempts; another \
					 sender of this account keeps taking its nonce)"
				)))
			},
			Err(Attempt::Failed(error)) => return Err(error),
			Ok(included) => return Ok(included),
		}
	}
}

/// Fails when `signer` is a well-known development key and the chain is `Live`
/// ([`crate::secrets::development_key_refusal`]). Other keys cost no extra request.
async fn refuse_development_key_on_live_chain(
	rpc: &NodeRpc,
	signer: &Keypair,
) -> Result<(), ClientError> {
	let public = signer.public_key().0;
	if crate::secrets::development_key_name(&public).is_none() {
		return Ok(());
	}
	let chain_type = rpc
		.chain_type()
		.await
		.map_err(|error| ClientError::Chain(format!("cannot read the chain's type: {error}")))?;
	match crate::secrets::development_key_refusal(&public, &chain_type) {
		Some(refusal) => Err(ClientError::Input(refusal)),
		None => Ok(()),
	}
}

/// The outcome of one signed submission that did not end in a block.
enum Attempt {
	/// Another sender took the nonce: worth signing again.
	NonceRace(String),
	/// Anything else: the final error.
	Failed(ClientError),
}

impl Attempt {
	/// The error for a caller that does not sign again; `what` names the call.
	fn into_error(self, what: &str) -> ClientError {
		match self {
			Attempt::NonceRace(message) => {
				ClientError::Chain(format!("{what} was not included: {message}"))
			},
			Attempt::Failed(error) => error,
		}
	}
}

/// One signed submission of [`submit_with_fresh_nonce`].
async fn submit_once<Call: Payload>(
	api: &OnlineClient<PolkadotConfig>,
	rpc: &NodeRpc,
	what: &str,
	call: &Call,
	signer: &Keypair,
	until: Until,
) -> Result<Included, Attempt> {
	let nonce = next_nonce(rpc, signer).await.map_err(Attempt::Failed)?;
	let submitted = sign_and_submit(api, what, call, signer, nonce).await?;
	submitted.follow(rpc, until).await
}

/// Signs `call` with `signer` at `nonce` and hands it to the node's pool: a transaction the pool
/// accepted, to follow with [`Submitted::included`]. For a sender that assigns nonces itself (one
/// queue per account, such as `zerog-faucet`'s), so it can submit the next transaction without
/// waiting for the previous one's block. A nonce another sender took fails with a message
/// [`is_nonce_race`] recognises.
pub async fn submit_at_nonce<Call: Payload>(
	api: &OnlineClient<PolkadotConfig>,
	what: &str,
	call: &Call,
	signer: &Keypair,
	nonce: u64,
) -> Result<Submitted, ClientError> {
	sign_and_submit(api, what, call, signer, nonce).await.map_err(|error| error.into_error(what))
}

/// The progress of a transaction the client follows.
type Progress = subxt::tx::TransactionProgress<
	PolkadotConfig,
	subxt::client::OnlineClientAtBlockImpl<PolkadotConfig>,
>;

/// A transaction in the node's pool, not yet in a block.
pub struct Submitted {
	progress: Progress,
	what: String,
}

impl Submitted {
	/// The transaction's hash, `0x` hex.
	pub fn hash(&self) -> String {
		format!("{:?}", self.progress.extrinsic_hash())
	}

	/// Follows the transaction until it is in a best or a finalized block ([`Until`]), failing
	/// with the pallet error's name when it dispatched with an error.
	pub async fn included(self, rpc: &NodeRpc, until: Until) -> Result<Included, ClientError> {
		let what = self.what.clone();
		self.follow(rpc, until).await.map_err(|error| error.into_error(&what))
	}

	async fn follow(self, rpc: &NodeRpc, until: Until) -> Result<Included, Attempt> {
		let Submitted { mut progress, what } = self;
		let what = what.as_str();
		let included = tokio::time::timeout(INCLUSION_TIMEOUT, async {
			loop {
				let status = match progress.next().await {
					Some(Ok(status)) => status,
					Some(Err(error)) => {
						return Err(Attempt::Failed(ClientError::Chain(format!(
							"{what}: lost track of the transaction: {error}"
						))))
					},
					None => {
						return Err(Attempt::Failed(ClientError::Chain(format!(
							"{what}: the node stopped reporting before the transaction was included"
						))))
					},
				};
				let in_block = match (status, until) {
					(TransactionStatus::InBestBlock(in_block), Until::BestBlock)
					| (TransactionStatus::InFinalizedBlock(in_block), _) => in_block,
					(
						TransactionStatus::Error { message }
						| TransactionStatus::Invalid { message }
						| TransactionStatus::Dropped { message },
						_,
					) => {
						return Err(if is_nonce_race(&message) {
							Attempt::NonceRace(message)
						} else {
							Attempt::Failed(ClientError::Chain(format!(
								"{what} was not included: {message}"
							)))
						})
					},
					_ => continue,
				};
				let events = in_block
					.wait_for_success()
					.await
					.map_err(|error| Attempt::Failed(failure(what, error)))?;
				let events = events
					.iter()
					.map(|event| {
						event.map(|event| TxEvent {
							pallet: event.pallet_name().to_owned(),
							name: event.event_name().to_owned(),
							fields: event.field_bytes().to_vec(),
						})
					})
					.collect::<Result<Vec<_>, _>>()
					.map_err(|error| {
						Attempt::Failed(ClientError::Chain(format!(
							"{what}: cannot read the transaction's events: {error}"
						)))
					})?;
				return Ok((format!("{:?}", in_block.block_hash()), events));
			}
		})
		.await
		.map_err(|_| {
			Attempt::Failed(ClientError::Timeout(format!(
				"{what} was not included in a block within {} s",
				INCLUSION_TIMEOUT.as_secs()
			)))
		})??;
		let (block_hash, events) = included;
		let block_number = rpc.block_number(&block_hash).await.ok();
		Ok(Included { block_hash, block_number, events })
	}
}

/// Signs and submits at `nonce`; a refusal that is a nonce race is told apart.
async fn sign_and_submit<Call: Payload>(
	api: &OnlineClient<PolkadotConfig>,
	what: &str,
	call: &Call,
	signer: &Keypair,
	nonce: u64,
) -> Result<Submitted, Attempt> {
	let params = PolkadotExtrinsicParamsBuilder::<PolkadotConfig>::new().nonce(nonce).build();
	let at = api.at_current_block().await.map_err(|error| {
		Attempt::Failed(ClientError::Chain(format!(
			"{what}: cannot read the current block: {error}"
		)))
	})?;
	let mut transactions = at.transactions();
	match transactions.sign_and_submit_then_watch(call, signer, params).await {
		Ok(progress) => Ok(Submitted { progress, what: what.to_owned() }),
		Err(error) => {
			let text = error_text(&error);
			Err(if is_nonce_race(&text) {
				Attempt::NonceRace(text)
			} else {
				Attempt::Failed(ClientError::Chain(format!(
					"{what} was refused by the node: {text}"
				)))
			})
		},
	}
}

/// Our error for a transaction that was included but whose outcome is a failure.
fn failure(what: &str, error: TransactionEventsError) -> ClientError {
	match error {
		TransactionEventsError::ExtrinsicFailed(DispatchError::Module(module)) => {
			match module.details() {
				Ok(details) => {
					let docs = details.variant.docs.join(" ");
					let docs = docs.trim();
					let explanation =
						if docs.is_empty() { String::new() } else { format!(": {docs}") };
					ClientError::Chain(format!(
						"{what} failed with {}::{}{explanation}",
						details.pallet.name(),
						details.variant.name
					))
				},
				Err(_) => ClientError::Chain(format!("{what} failed with {module}")),
			}
		},
		TransactionEventsError::ExtrinsicFailed(other) => {
			ClientError::Chain(format!("{what} failed: {other}"))
		},
		other => {
			ClientError::Chain(format!("{what}: cannot read the transaction's outcome: {other}"))
		},
	}
}

/// A subxt client over `rpc` with the legacy (request and answer) RPC methods. subxt's default
/// backend reads storage through the chainHead follow subscription, whose answers arrive about
/// 43 ms after each request on this node; every read of the CLI, the executor's gateway (twice
/// per paid request) and settlement paid that (tests/eth/bench/gateway.mjs: 135 ms a request,
/// 4 ms with these methods).
pub async fn online_client(rpc: RpcClient) -> Result<OnlineClient<PolkadotConfig>, String> {
	let backend = subxt::backend::LegacyBackend::<PolkadotConfig>::builder().build(rpc);
	OnlineClient::<PolkadotConfig>::from_backend(std::sync::Arc::new(backend))
		.await
		.map_err(|error| error.to_string())
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn nonce_races_are_told_from_other_refusals() {
		for race in [
			"Invalid Transaction (1010): Transaction is outdated",
			"Priority is too low: (100 vs 100)",
			"Transaction is usurped",
			"Transaction will be valid in the future",
			"stale",
		] {
			assert!(is_nonce_race(race), "{race}");
		}
		for other in ["Inability to pay some fees", "Transaction has a bad signature", "banned"] {
			assert!(!is_nonce_race(other), "{other}");
		}
	}

	#[test]
	fn dev_and_mnemonic_uris_give_keys() {
		let alice = keypair_from_suri("//Alice").unwrap();
		assert_eq!(alice.public_key().0, subxt_signer::sr25519::dev::alice().public_key().0);
		let error = keypair_from_suri("not a phrase at all").map(|_| ()).unwrap_err();
		assert!(!error.to_string().contains("not a phrase"), "never echoes the secret: {error}");
	}
}
