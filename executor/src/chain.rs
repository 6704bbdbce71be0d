//! What the executor reads from and sends to the chain, behind the [`Chain`] trait so the job
//! runner and the gateway can be tested without a node.
//!
//! [`SubxtChain`] reads `ComputeEscrow` storage dynamically (by pallet, entry and field names
//! from the node's metadata, no generated code), at the latest *finalized* block, decodes it with
//! `zerog_client::compute::state`'s decoders (the client's, so the two cannot read the pallet
//! differently), and signs
//! `ComputeEscrow.settle_receipts` and `StorageCommitments.submit` with the provider key.

use crate::{
	gateway::metering::Prices,
	receipt::{ReceiptOutcome, SignedReceipt},
};
use async_trait::async_trait;
use codec::Decode;
use polkadot_sdk::{
	sp_core::H256,
	sp_runtime::{AccountId32, MultiSignature},
};
use std::time::Duration;
use subxt::{
	dynamic::{self, Value},
	OnlineClient, PolkadotConfig,
};
use subxt_signer::sr25519::Keypair;
use zerog_client::{
	chain::{submit_with_fresh_nonce, Included, Until},
	compute::state,
	error::ClientError,
	marketplace::on_chain,
	rpc::NodeRpc,
};

/// A `MarketplaceApi` read that failed: a reply that does not decode is another runtime's
/// shape; anything else may pass.
fn marketplace_error(error: ClientError) -> ChainError {
	let text = error.to_string();
	if text.contains("does not decode") {
		ChainError::Decode(text)
	} else {
		ChainError::Unavailable(text)
	}
}

/// What a service sells: per-token inference settled with receipts, or jobs with their own
/// escrow (the client's view of the pallet's `ServiceKind`).
pub use zerog_client::compute::state::ServiceKind;

/// A job's inputs and a marketplace asset, as the `MarketplaceApi` runtime API answers them.
pub use zerog_client::marketplace::on_chain::{AssetView, JobInputsView};

/// Who signs a service's receipts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verifier {
	/// The user who was served (`Verifiability::None`).
	User,
	/// The service's enclave key (`Verifiability::Tee`).
	Enclave(AccountId32),
}

/// The parts of a `ServiceInfo` the executor needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceView {
	/// The provider running the service.
	pub provider: AccountId32,
	/// Inference or job.
	pub kind: ServiceKind,
	/// Prices per token.
	pub prices: Prices,
	/// Who signs receipts.
	pub verifier: Verifier,
}

/// A user's sub-account for this provider.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct SubAccountView {
	/// Funds only this provider can be paid from.
	pub balance: u128,
	/// Nonce of the last receipt settled for the pair; 0 before the first.
	pub last_nonce: u64,
	/// Whether the user has a refund from this provider's sub-account pending (locked or not
	/// yet claimed).
	pub refund_pending: bool,
}

/// The parts of a `JobInfo` the executor checks a dispatched job against.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobView {
	/// The job service.
	pub service: u64,
	/// Who pays.
	pub user: AccountId32,
	/// Who the job is assigned to.
	pub provider: AccountId32,
	/// Root of the input dataset in ZeroG storage.
	pub dataset_root: H256,
	/// Hash of the parameters agreed off chain.
	pub params_hash: H256,
	/// The escrowed maximum fee.
	pub max_fee: u128,
	/// First block at which a result is too late.
	pub deadline: u32,
	/// Whether the job still waits for a result (status `Assigned`).
	pub assigned: bool,
}

/// Why a chain operation failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainError {
	/// The node could not be reached or answered with an error; worth retrying.
	Unavailable(String),
	/// The node's data does not have the shape the executor expects (another runtime).
	Decode(String),
	/// A transaction was refused by the pool or failed in its block.
	Rejected(String),
}

impl std::fmt::Display for ChainError {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		match self {
			Self::Unavailable(reason) => write!(f, "node unavailable: {reason}"),
			Self::Decode(reason) => write!(f, "unexpected chain data: {reason}"),
			Self::Rejected(reason) => write!(f, "transaction failed: {reason}"),
		}
	}
}

impl std::error::Error for ChainError {}

/// The chain as the executor uses it. Reads are at the latest finalized block.
#[async_trait]
pub trait Chain: Send + Sync {
	/// The provider account of the executor's key.
	fn account(&self) -> AccountId32;
	/// The chain's genesis hash, which every receipt signature covers.
	fn genesis_hash(&self) -> H256;
	/// The service `id`, or `None` if it does not exist.
	async fn service(&self, id: u64) -> Result<Option<ServiceView>, ChainError>;
	/// `user`'s sub-account for this provider (zero if it has none).
	async fn sub_account(&self, user: &AccountId32) -> Result<SubAccountView, ChainError>;
	/// The unfinished job `id`, or `None` if there is none.
	async fn job(&self, id: u64) -> Result<Option<JobView>, ChainError>;
	/// `MaxReceiptsPerBatch` of the runtime.
	async fn max_receipts_per_batch(&self) -> Result<u32, ChainError>;
	/// `RefundLockPeriod` of the runtime, in blocks: how long a user's refund still pays the
	/// provider's receipts.
	async fn refund_lock_period(&self) -> Result<u32, ChainError>;
	/// Signs `ComputeEscrow.settle_receipts(service, receipts)`, waits until it is finalized and
	/// returns the outcome of each receipt, in order, from the `ReceiptsSettled` event.
	async fn settle_receipts(
		&self,
		service: u64,
		receipts: &[SignedReceipt],
	) -> Result<Vec<ReceiptOutcome>, ChainError>;
	/// Signs `StorageCommitments.submit(root, size, [], 1)` and waits until it is finalized.
	async fn submit_file(&self, root: H256, size: u64) -> Result<(), ChainError>;
	/// The inputs (marketplace assets and parameters) job `id`'s user attached, if any. A chain
	/// without the marketplace has none.
	async fn job_inputs(&self, _id: u64) -> Result<Option<JobInputsView>, ChainError> {
		Ok(None)
	}
	/// Marketplace asset `id`, if registered.
	async fn asset(&self, _id: u64) -> Result<Option<AssetView>, ChainError> {
		Ok(None)
	}
	/// Asset `asset`'s content key as its owner sealed it for enclave `signer`: the key it is
	/// sealed to and the sealed bytes.
	async fn enclave_key(
		&self,
		_asset: u64,
		_signer: &AccountId32,
	) -> Result<Option<([u8; 32], Vec<u8>)>, ChainError> {
		Ok(None)
	}
	/// The x25519 key `account` registered for sealed keys, if any.
	async fn encryption_key(&self, _account: &AccountId32) -> Result<Option<[u8; 32]>, ChainError> {
		Ok(None)
	}
	/// Signs `Marketplace.deliver_result_key(job, sealed)` and waits until it is finalized.
	async fn deliver_result_key(&self, _job: u64, _sealed: Vec<u8>) -> Result<(), ChainError> {
		Err(ChainError::Rejected("this chain has no marketplace".into()))
	}
}

/// [`Chain`] over a node's JSON-RPC with subxt.
pub struct SubxtChain {
	api: OnlineClient<PolkadotConfig>,
	/// The same node's data-plane RPC, for the pool-aware nonce.
	rpc: NodeRpc,
	signer: Keypair,
	/// Held while a transaction is signed and followed, so two never race for the same account
	/// nonce.
	submitting: tokio::sync::Mutex<()>,
}

impl SubxtChain {
	/// Connects to the node at `url`, retrying until `patience` is spent (the executor may start
	/// before its node).
	pub async fn connect(
		url: &str,
		signer: Keypair,
		patience: Duration,
	) -> Result<Self, ChainError> {
		let started = std::time::Instant::now();
		loop {
			let connected = async {
				// Request-and-answer reads: see `zerog_client::chain::online_client`.
				let rpc = subxt::rpcs::RpcClient::from_insecure_url(url)
					.await
					.map_err(|error| error.to_string())?;
				let api = zerog_client::chain::online_client(rpc).await?;
				let rpc = NodeRpc::connect(url).await.map_err(|error| error.to_string())?;
				Ok::<_, String>((api, rpc))
			};
			match connected.await {
				Ok((api, rpc)) => {
					return Ok(Self { api, rpc, signer, submitting: Default::default() })
				},
				Err(error) if started.elapsed() < patience => {
					log::info!("waiting for the node at {url}: {error}");
					tokio::time::sleep(Duration::from_secs(2)).await;
				},
				Err(error) => return Err(ChainError::Unavailable(format!("{url}: {error}"))),
			}
		}
	}

	/// Reads one storage entry as a dynamic value, `None` if absent.
	async fn read<Addr>(
		&self,
		address: Addr,
		key: Addr::KeyParts,
	) -> Result<Option<Value>, ChainError>
	where
		Addr: subxt::storage::Address<Value = Value> + Send,
		Addr::KeyParts: Send,
	{
		let name = format!("{}.{}", address.pallet_name(), address.entry_name());
		let at = self.api.at_current_block().await.map_err(unavailable)?;
		let value = at.storage().try_fetch(address, key).await.map_err(unavailable)?;
		value
			.map(|value| {
				value.decode().map_err(|error| ChainError::Decode(format!("{name}: {error}")))
			})
			.transpose()
	}

	/// Signs and submits `call`, waits for finalization and returns its events. The nonce counts
	/// the account's pending transactions, and a nonce taken by another sender of the provider's
	/// key (the node's compute worker signs with it too) is replaced by a fresh one
	/// (`zerog_client::chain::submit_with_fresh_nonce`).
	async fn submit<Call: subxt::transactions::Payload>(
		&self,
		what: &str,
		call: &Call,
	) -> Result<Included, ChainError> {
		let _turn = self.submitting.lock().await;
		submit_with_fresh_nonce(&self.api, &self.rpc, what, call, &self.signer, Until::Finalized)
			.await
			.map_err(|error| ChainError::Rejected(error.to_string()))
	}
}

#[async_trait]
impl Chain for SubxtChain {
	fn account(&self) -> AccountId32 {
		AccountId32::new(self.signer.public_key().0)
	}

	fn genesis_hash(&self) -> H256 {
		H256(self.api.genesis_hash().0)
	}

	async fn service(&self, id: u64) -> Result<Option<ServiceView>, ChainError> {
		let Some(info) = self
			.read(dynamic::storage::<(u64,), Value>("ComputeEscrow", "Services"), (id,))
			.await?
		else {
			return Ok(None);
		};
		let service = state::service_view(id, &info).map_err(ChainError::Decode)?;
		Ok(Some(ServiceView {
			provider: AccountId32::new(service.provider),
			kind: service.kind,
			prices: Prices { input: service.input_price, output: service.output_price },
			verifier: match service.tee_signer {
				None => Verifier::User,
				Some(signer) => Verifier::Enclave(AccountId32::new(signer)),
			},
		}))
	}

	async fn sub_account(&self, user: &AccountId32) -> Result<SubAccountView, ChainError> {
		let key = (<[u8; 32]>::from(user.clone()), <[u8; 32]>::from(self.account()));
		let ledger = self
			.read(dynamic::storage::<([u8; 32],), Value>("ComputeEscrow", "Ledgers"), (key.0,))
			.await?;
		let refund_pending = match &ledger {
			Some(ledger) => {
				state::ledger_view(ledger).map_err(ChainError::Decode)?.has_refund_from(&key.1)
			},
			None => false,
		};
		let Some(sub) = self
			.read(
				dynamic::storage::<([u8; 32], [u8; 32]), Value>("ComputeEscrow", "SubAccounts"),
				key,
			)
			.await?
		else {
			return Ok(SubAccountView { refund_pending, ..Default::default() });
		};
		let sub = state::sub_account_view(&sub).map_err(ChainError::Decode)?;
		Ok(SubAccountView { balance: sub.balance, last_nonce: sub.last_nonce, refund_pending })
	}

	async fn job(&self, id: u64) -> Result<Option<JobView>, ChainError> {
		let Some(job) =
			self.read(dynamic::storage::<(u64,), Value>("ComputeEscrow", "Jobs"), (id,)).await?
		else {
			return Ok(None);
		};
		let job = state::job_view(id, &job).map_err(ChainError::Decode)?;
		Ok(Some(JobView {
			service: job.service,
			user: AccountId32::new(job.user),
			provider: AccountId32::new(job.provider),
			dataset_root: job.dataset_root,
			params_hash: job.params_hash,
			max_fee: job.max_fee,
			deadline: job.deadline,
			assigned: job.status == state::JobStatusView::Assigned,
		}))
	}

	async fn max_receipts_per_batch(&self) -> Result<u32, ChainError> {
		let at = self.api.at_current_block().await.map_err(unavailable)?;
		at.constants()
			.entry(dynamic::constant::<u32>("ComputeEscrow", "MaxReceiptsPerBatch"))
			.map_err(|error| ChainError::Decode(format!("MaxReceiptsPerBatch: {error}")))
	}

	async fn refund_lock_period(&self) -> Result<u32, ChainError> {
		let at = self.api.at_current_block().await.map_err(unavailable)?;
		at.constants()
			.entry(dynamic::constant::<u32>("ComputeEscrow", "RefundLockPeriod"))
			.map_err(|error| ChainError::Decode(format!("RefundLockPeriod: {error}")))
	}

	async fn settle_receipts(
		&self,
		service: u64,
		receipts: &[SignedReceipt],
	) -> Result<Vec<ReceiptOutcome>, ChainError> {
		let batch: Vec<Value> = receipts.iter().map(signed_receipt_value).collect();
		let call = dynamic::transaction("ComputeEscrow", "settle_receipts", (service, batch));
		let included = self.submit("ComputeEscrow.settle_receipts", &call).await?;
		if let Some(mut fields) = included.event_fields("ComputeEscrow", "ReceiptsSettled") {
			let (_provider, _service, _settled, _paid, outcomes) =
				<([u8; 32], u64, u32, u128, Vec<ReceiptOutcome>)>::decode(&mut fields)
					.map_err(|error| ChainError::Decode(format!("ReceiptsSettled: {error}")))?;
			if outcomes.len() != receipts.len() {
				return Err(ChainError::Decode(format!(
					"ReceiptsSettled has {} outcomes for {} receipts",
					outcomes.len(),
					receipts.len()
				)));
			}
			return Ok(outcomes);
		}
		Err(ChainError::Decode("settle_receipts succeeded without a ReceiptsSettled event".into()))
	}

	async fn submit_file(&self, root: H256, size: u64) -> Result<(), ChainError> {
		let call = dynamic::transaction(
			"StorageCommitments",
			"submit",
			// One replica: the output is uploaded to this executor's own node only (see
			// `storage_client`).
			(root.0, size, Vec::<Vec<u8>>::new(), 1u8),
		);
		self.submit("StorageCommitments.submit", &call).await.map(|_included| ())
	}

	async fn job_inputs(&self, id: u64) -> Result<Option<JobInputsView>, ChainError> {
		on_chain::job_inputs(&self.rpc, id).await.map_err(marketplace_error)
	}

	async fn asset(&self, id: u64) -> Result<Option<AssetView>, ChainError> {
		on_chain::asset(&self.rpc, id).await.map_err(marketplace_error)
	}

	async fn enclave_key(
		&self,
		asset: u64,
		signer: &AccountId32,
	) -> Result<Option<([u8; 32], Vec<u8>)>, ChainError> {
		let signer: [u8; 32] = signer.clone().into();
		on_chain::enclave_key(&self.rpc, asset, signer).await.map_err(marketplace_error)
	}

	async fn encryption_key(&self, account: &AccountId32) -> Result<Option<[u8; 32]>, ChainError> {
		let account: [u8; 32] = account.clone().into();
		on_chain::encryption_key(&self.rpc, account).await.map_err(marketplace_error)
	}

	async fn deliver_result_key(&self, job: u64, sealed: Vec<u8>) -> Result<(), ChainError> {
		let call = dynamic::tx(
			zerog_client::marketplace::PALLET,
			"deliver_result_key",
			(job, Value::from_bytes(sealed)),
		);
		self.submit("Marketplace.deliver_result_key", &call).await.map(|_| ())
	}
}

/// A service of this executor's provider as `--dev` needs it (see [`crate::dev`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnService {
	/// Its id.
	pub id: u64,
	/// Inference or job.
	pub kind: ServiceKind,
	/// The endpoint on chain.
	pub endpoint: String,
}

impl SubxtChain {
	/// Every service of this executor's provider, in id order.
	pub async fn own_services(&self) -> Result<Vec<OwnService>, ChainError> {
		let provider = <[u8; 32]>::from(self.account());
		let ids = self
			.read(
				dynamic::storage::<([u8; 32],), Value>("ComputeEscrow", "ProviderServices"),
				(provider,),
			)
			.await?;
		let mut numbers = Vec::new();
		if let Some(ids) = &ids {
			collect_numbers(ids, &mut numbers);
		}
		let ids = numbers
			.into_iter()
			.map(|id| {
				u64::try_from(id).map_err(|_| ChainError::Decode("service id above u64".into()))
			})
			.collect::<Result<Vec<_>, _>>()?;
		let mut services = Vec::new();
		for id in ids {
			let Some(info) = self
				.read(dynamic::storage::<(u64,), Value>("ComputeEscrow", "Services"), (id,))
				.await?
			else {
				continue;
			};
			let service = state::service_view(id, &info).map_err(ChainError::Decode)?;
			services.push(OwnService { id, kind: service.kind, endpoint: service.endpoint });
		}
		Ok(services)
	}

	/// Points service `id` of this provider at `endpoint` (`update_service` with every other
	/// term as it is on chain) and waits until that is finalized.
	pub async fn point_service_at(&self, id: u64, endpoint: &str) -> Result<(), ChainError> {
		let info = self
			.read(dynamic::storage::<(u64,), Value>("ComputeEscrow", "Services"), (id,))
			.await?
			.ok_or_else(|| ChainError::Decode(format!("service {id} does not exist")))?;
		let bytes = |name: &str| -> Result<Vec<u8>, ChainError> {
			zerog_client::value::value_bytes(field(&info, name)?)
				.ok_or_else(|| ChainError::Decode(format!("`{name}` is not a byte string")))
		};
		let call = dynamic::transaction(
			"ComputeEscrow",
			"update_service",
			(
				id,
				bytes("model")?,
				endpoint.as_bytes().to_vec(),
				number(field(&info, "input_price_per_token")?)?,
				number(field(&info, "output_price_per_token")?)?,
				field(&info, "verifiability")?.clone().remove_context(),
				number(field(&info, "stake")?)?,
			),
		);
		self.submit("ComputeEscrow.update_service", &call).await.map(|_included| ())
	}
}

/// A signed receipt as the dynamic value of the `SignedReceipt` call argument.
fn signed_receipt_value(signed: &SignedReceipt) -> Value {
	let receipt = &signed.receipt;
	let signature = match &signed.signature {
		MultiSignature::Ed25519(signature) => {
			Value::unnamed_variant("Ed25519", [Value::from_bytes(signature.0)])
		},
		MultiSignature::Sr25519(signature) => {
			Value::unnamed_variant("Sr25519", [Value::from_bytes(signature.0)])
		},
		MultiSignature::Ecdsa(signature) => {
			Value::unnamed_variant("Ecdsa", [Value::from_bytes(signature.0)])
		},
		MultiSignature::Eth(signature) => {
			Value::unnamed_variant("Eth", [Value::from_bytes(signature.0)])
		},
	};
	Value::named_composite([
		(
			"receipt",
			Value::named_composite([
				("user", Value::from_bytes(<[u8; 32]>::from(receipt.user.clone()))),
				("provider", Value::from_bytes(<[u8; 32]>::from(receipt.provider.clone()))),
				("service", Value::u128(receipt.service.into())),
				("nonce", Value::u128(receipt.nonce.into())),
				("input_tokens", Value::u128(receipt.input_tokens.into())),
				("output_tokens", Value::u128(receipt.output_tokens.into())),
				("fee", Value::u128(receipt.fee)),
				("request_hash", Value::from_bytes(receipt.request_hash.0)),
			]),
		),
		("signature", signature),
	])
}

/// Every unsigned integer of a (nested) sequence value, in order: the ids of a `BoundedVec`.
fn collect_numbers(value: &Value, numbers: &mut Vec<u128>) {
	use subxt::ext::scale_value::{Composite, ValueDef};
	match &value.value {
		ValueDef::Composite(Composite::Unnamed(values)) => {
			values.iter().for_each(|value| collect_numbers(value, numbers))
		},
		ValueDef::Composite(Composite::Named(values)) => {
			values.iter().for_each(|(_, value)| collect_numbers(value, numbers))
		},
		_ => numbers.extend(value.as_u128()),
	}
}

/// A subxt error as a retryable [`ChainError`].
fn unavailable(error: impl std::fmt::Display) -> ChainError {
	ChainError::Unavailable(error.to_string())
}

/// The field `name` of a composite value.
fn field<'a>(value: &'a Value, name: &str) -> Result<&'a Value, ChainError> {
	zerog_client::value::field(value, name).map_err(ChainError::Decode)
}

/// An unsigned integer value.
fn number(value: &Value) -> Result<u128, ChainError> {
	zerog_client::value::number(value).map_err(ChainError::Decode)
}

#[cfg(test)]
mod tests {
	use super::*;

	/// A `ServiceInfo` value as the runtime's metadata names its fields.
	fn service_info(verifiability: Value) -> Value {
		Value::named_composite([
			("provider", Value::from_bytes([1u8; 32])),
			("kind", Value::unnamed_variant("Inference", [])),
			("model", Value::from_bytes(b"m")),
			("endpoint", Value::from_bytes(b"http://e")),
			("input_price_per_token", Value::u128(3)),
			("output_price_per_token", Value::u128(4)),
			("verifiability", verifiability),
			("stake", Value::u128(5)),
			("open_jobs", Value::u128(0)),
		])
	}

	#[test]
	fn services_decode_through_the_client_into_what_the_gateway_needs() {
		let tee = Value::named_variant("Tee", [("signer", Value::from_bytes([2u8; 32]))]);
		let service = state::service_view(7, &service_info(tee)).unwrap();
		assert_eq!(service.kind, ServiceKind::Inference);
		assert_eq!((service.input_price, service.output_price), (3, 4));
		assert_eq!(service.tee_signer, Some([2; 32]));
		let user_signed = state::service_view(7, &service_info(Value::unnamed_variant("None", [])));
		assert_eq!(user_signed.unwrap().tee_signer, None);
		let broken = state::service_view(7, &Value::named_composite([("kind", Value::u128(1))]));
		assert!(broken.is_err());
	}

	#[test]
	fn signed_receipts_become_named_call_values() {
		let signed = SignedReceipt {
			receipt: crate::receipt::InferenceReceipt {
				user: AccountId32::new([1; 32]),
				provider: AccountId32::new([2; 32]),
				service: 3,
				nonce: 4,
				input_tokens: 5,
				output_tokens: 6,
				fee: 7,
				request_hash: H256([8; 32]),
			},
			signature: MultiSignature::Sr25519(
				polkadot_sdk::sp_core::sr25519::Signature::from_raw([9; 64]),
			),
		};
		use zerog_client::value::{bytes32, variant_name};
		let value = signed_receipt_value(&signed);
		let receipt = field(&value, "receipt").unwrap();
		assert_eq!(number(field(receipt, "fee").unwrap()), Ok(7));
		assert_eq!(bytes32(field(receipt, "request_hash").unwrap()), Ok([8; 32]));
		assert_eq!(variant_name(field(&value, "signature").unwrap()), Ok("Sr25519"));
	}
}
