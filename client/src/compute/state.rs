//! What the chain knows about the compute marketplace: `ComputeEscrow` storage read by name
//! (services, jobs, ledgers, sub-accounts) at the node's best block, so a transaction the
//! client saw included is already visible.

use crate::{
	chain::Chain,
	error::ClientError,
	value::{bytes32, field, number_field, sequence, text_field, variant_name},
};
use subxt::dynamic::{self, Value};
use zerog_primitives::{Balance, Hash};

/// The pallet's name in the runtime.
pub const PALLET: &str = "ComputeEscrow";

/// What a service sells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ServiceKind {
	/// Per-token inference through a gateway, paid with signed receipts.
	Inference,
	/// Jobs with their own escrow, run by the provider's executor.
	Job,
}

impl ServiceKind {
	/// The variant's name, as the runtime spells it.
	pub fn name(self) -> &'static str {
		match self {
			Self::Inference => "Inference",
			Self::Job => "Job",
		}
	}
}

/// A registered service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceView {
	/// Its id.
	pub id: u64,
	/// The provider that runs it and is paid.
	pub provider: [u8; 32],
	/// Inference or job.
	pub kind: ServiceKind,
	/// The model served (UTF-8 by convention).
	pub model: String,
	/// Where clients reach it, a URL by convention.
	pub endpoint: String,
	/// Price of one input token, smallest unit.
	pub input_price: Balance,
	/// Price of one output token, smallest unit.
	pub output_price: Balance,
	/// The enclave key that signs its receipts (`Verifiability::Tee`); `None`: the user signs.
	pub tee_signer: Option<[u8; 32]>,
	/// Stake held for it.
	pub stake: Balance,
	/// Jobs not finished.
	pub open_jobs: u32,
}

impl ServiceView {
	/// The most a receipt for these token counts may charge: the pallet's `token_price`.
	pub fn price(&self, input_tokens: u64, output_tokens: u64) -> Balance {
		zerog_primitives::compute::TokenPrices {
			input: self.input_price,
			output: self.output_price,
		}
		.price(input_tokens, output_tokens)
	}
}

/// A job's result as the provider submitted it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResultView {
	/// Root of the output in ZeroG storage.
	pub result_root: Hash,
	/// keccak256 of the output bytes.
	pub output_hash: Hash,
	/// What the provider charges.
	pub fee_used: Balance,
}

/// Where an unfinished job stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JobStatusView {
	/// Waiting for the provider's result.
	Assigned,
	/// Result in; the user may accept or dispute it until `review_ends`.
	InReview {
		/// The result.
		result: ResultView,
		/// Block at which it is accepted on the user's behalf.
		review_ends: u32,
	},
	/// The user disputed the result.
	Disputed {
		/// The disputed result.
		result: ResultView,
	},
}

impl JobStatusView {
	/// `assigned`, `inReview` or `disputed`.
	pub fn name(&self) -> &'static str {
		match self {
			Self::Assigned => "assigned",
			Self::InReview { .. } => "inReview",
			Self::Disputed { .. } => "disputed",
		}
	}

	/// The submitted result, if any.
	pub fn result(&self) -> Option<&ResultView> {
		match self {
			Self::Assigned => None,
			Self::InReview { result, .. } | Self::Disputed { result } => Some(result),
		}
	}
}

/// An unfinished job.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobView {
	/// Its id.
	pub id: u64,
	/// The job service.
	pub service: u64,
	/// Who pays.
	pub user: [u8; 32],
	/// Who runs it.
	pub provider: [u8; 32],
	/// Root of the input dataset.
	pub dataset_root: Hash,
	/// Hash of the parameters agreed off chain.
	pub params_hash: Hash,
	/// The escrowed maximum fee.
	pub max_fee: Balance,
	/// First block at which a result is too late.
	pub deadline: u32,
	/// Where it stands.
	pub status: JobStatusView,
}

/// A refund waiting for its lock to end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefundView {
	/// The provider whose sub-account it came from.
	pub provider: [u8; 32],
	/// The amount.
	pub amount: Balance,
	/// First block at which `claim_refund` returns it.
	pub unlocks_at: u32,
}

/// A user's ledger.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LedgerView {
	/// Funds that can be withdrawn or moved to a provider.
	pub available: Balance,
	/// Refunds still locked or not claimed.
	pub pending_refunds: Vec<RefundView>,
}

impl LedgerView {
	/// Whether a refund from `provider`'s sub-account is still pending (locked or unclaimed).
	pub fn has_refund_from(&self, provider: &[u8; 32]) -> bool {
		self.pending_refunds.iter().any(|refund| refund.provider == *provider)
	}
}

/// A user's sub-account for one provider.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SubAccountView {
	/// Funds only that provider can be paid from.
	pub balance: Balance,
	/// Nonce of the last settled receipt; 0 before the first.
	pub last_nonce: u64,
}

/// Every registered service, by id.
pub async fn services(chain: &Chain) -> Result<Vec<ServiceView>, ClientError> {
	let at = chain.at_best_block().await?;
	let storage = at.storage();
	let address = dynamic::storage::<(u64,), Value>(PALLET, "Services");
	let mut entries = storage.iter(address, ()).await.map_err(read_error("Services"))?;
	let mut services = Vec::new();
	while let Some(entry) = entries.next().await {
		let entry = entry.map_err(read_error("Services"))?;
		let key = entry.key().map_err(read_error("Services"))?;
		let (id,) = key.decode().map_err(read_error("Services"))?;
		let info = entry.value().decode().map_err(read_error("Services"))?;
		services.push(service_view(id, &info).map_err(shape_error("Services"))?);
	}
	services.sort_by_key(|service| service.id);
	Ok(services)
}

/// Service `id`, or `None` if none has it.
pub async fn service(chain: &Chain, id: u64) -> Result<Option<ServiceView>, ClientError> {
	let Some(info) =
		fetch(chain, dynamic::storage::<(u64,), Value>(PALLET, "Services"), (id,)).await?
	else {
		return Ok(None);
	};
	service_view(id, &info).map(Some).map_err(shape_error("Services"))
}

/// The unfinished job `id`, or `None` (never created, or finished).
pub async fn job(chain: &Chain, id: u64) -> Result<Option<JobView>, ClientError> {
	let Some(job) = fetch(chain, dynamic::storage::<(u64,), Value>(PALLET, "Jobs"), (id,)).await?
	else {
		return Ok(None);
	};
	job_view(id, &job).map(Some).map_err(shape_error("Jobs"))
}

/// The id the next job gets (`NextJobId`), at the best block.
pub async fn next_job_id(chain: &Chain) -> Result<u64, ClientError> {
	let value = fetch(chain, dynamic::storage::<(), Value>(PALLET, "NextJobId"), ()).await?;
	match value {
		None => Ok(0),
		Some(value) => crate::value::number(&value)
			.and_then(|id| u64::try_from(id).map_err(|_| "above u64".to_owned()))
			.map_err(shape_error("NextJobId")),
	}
}

/// `user`'s ledger (empty if it has none).
pub async fn ledger(chain: &Chain, user: [u8; 32]) -> Result<LedgerView, ClientError> {
	let Some(ledger) =
		fetch(chain, dynamic::storage::<([u8; 32],), Value>(PALLET, "Ledgers"), (user,)).await?
	else {
		return Ok(LedgerView::default());
	};
	ledger_view(&ledger).map_err(shape_error("Ledgers"))
}

/// `user`'s sub-account for `provider` (zero if it has none).
pub async fn sub_account(
	chain: &Chain,
	user: [u8; 32],
	provider: [u8; 32],
) -> Result<SubAccountView, ClientError> {
	let address = dynamic::storage::<([u8; 32], [u8; 32]), Value>(PALLET, "SubAccounts");
	let Some(sub) = fetch(chain, address, (user, provider)).await? else {
		return Ok(SubAccountView::default());
	};
	sub_account_view(&sub).map_err(shape_error("SubAccounts"))
}

/// A constant of the pallet (`MinJobDuration`, `ReviewPeriod`, ...) as an unsigned integer.
pub async fn constant(chain: &Chain, name: &str) -> Result<u128, ClientError> {
	let at = chain.at_best_block().await?;
	let value = at
		.constants()
		.entry(dynamic::constant::<Value>(PALLET, name))
		.map_err(|error| ClientError::Chain(format!("cannot read {PALLET}::{name}: {error}")))?;
	crate::value::number(&value).map_err(shape_error("constants"))
}

/// Reads one storage entry at the best block, `None` if absent.
async fn fetch<Addr>(
	chain: &Chain,
	address: Addr,
	key: Addr::KeyParts,
) -> Result<Option<Value>, ClientError>
where
	Addr: subxt::storage::Address<Value = Value>,
{
	let entry = address.entry_name().to_owned();
	let at = chain.at_best_block().await?;
	let value = at.storage().try_fetch(address, key).await.map_err(read_error(&entry))?;
	value.map(|value| value.decode().map_err(read_error(&entry))).transpose()
}

// The decoders below read the pallet's values by field name, so they serve any reader that
// fetched the value itself (the executor reads at the finalized block, this module at the best).

/// A `SubAccount` value as a [`SubAccountView`].
pub fn sub_account_view(sub: &Value) -> Result<SubAccountView, String> {
	Ok(SubAccountView {
		balance: number_field(sub, "balance")?,
		last_nonce: u64::try_from(number_field(sub, "last_nonce")?)
			.map_err(|_| "last_nonce above u64".to_owned())?,
	})
}

/// A `ServiceInfo` value (service `id`) as a [`ServiceView`].
pub fn service_view(id: u64, info: &Value) -> Result<ServiceView, String> {
	let kind = match variant_name(field(info, "kind")?)? {
		"Inference" => ServiceKind::Inference,
		"Job" => ServiceKind::Job,
		other => return Err(format!("unknown service kind {other}")),
	};
	let verifiability = field(info, "verifiability")?;
	let tee_signer = match variant_name(verifiability)? {
		"None" => None,
		"Tee" => Some(bytes32(field(verifiability, "signer")?)?),
		other => return Err(format!("unknown verifiability {other}")),
	};
	Ok(ServiceView {
		id,
		provider: bytes32(field(info, "provider")?)?,
		kind,
		model: text_field(info, "model")?,
		endpoint: text_field(info, "endpoint")?,
		input_price: number_field(info, "input_price_per_token")?,
		output_price: number_field(info, "output_price_per_token")?,
		tee_signer,
		stake: number_field(info, "stake")?,
		open_jobs: u32::try_from(number_field(info, "open_jobs")?)
			.map_err(|_| "open_jobs above u32".to_owned())?,
	})
}

/// A `JobInfo` value (job `id`) as a [`JobView`].
pub fn job_view(id: u64, job: &Value) -> Result<JobView, String> {
	let status = field(job, "status")?;
	let result = || -> Result<ResultView, String> {
		let result = field(status, "result")?;
		Ok(ResultView {
			result_root: Hash::from(bytes32(field(result, "result_root")?)?),
			output_hash: Hash::from(bytes32(field(result, "output_hash")?)?),
			fee_used: number_field(result, "fee_used")?,
		})
	};
	let status = match variant_name(status)? {
		"Assigned" => JobStatusView::Assigned,
		"InReview" => JobStatusView::InReview {
			result: result()?,
			review_ends: u32::try_from(number_field(status, "review_ends")?)
				.map_err(|_| "review_ends above u32".to_owned())?,
		},
		"Disputed" => JobStatusView::Disputed { result: result()? },
		other => return Err(format!("unknown job status {other}")),
	};
	Ok(JobView {
		id,
		service: u64::try_from(number_field(job, "service")?)
			.map_err(|_| "service above u64".to_owned())?,
		user: bytes32(field(job, "user")?)?,
		provider: bytes32(field(job, "provider")?)?,
		dataset_root: Hash::from(bytes32(field(job, "dataset_root")?)?),
		params_hash: Hash::from(bytes32(field(job, "params_hash")?)?),
		max_fee: number_field(job, "max_fee")?,
		deadline: u32::try_from(number_field(job, "deadline")?)
			.map_err(|_| "deadline above u32".to_owned())?,
		status,
	})
}

/// A `Ledger` value as a [`LedgerView`].
pub fn ledger_view(ledger: &Value) -> Result<LedgerView, String> {
	let refunds = field(ledger, "pending_refunds")?;
	let mut pending_refunds = Vec::new();
	for refund in sequence(refunds)? {
		pending_refunds.push(RefundView {
			provider: bytes32(field(refund, "provider")?)?,
			amount: number_field(refund, "amount")?,
			unlocks_at: u32::try_from(number_field(refund, "unlocks_at")?)
				.map_err(|_| "unlocks_at above u32".to_owned())?,
		});
	}
	Ok(LedgerView { available: number_field(ledger, "available")?, pending_refunds })
}

/// An error reading `entry` from the node.
fn read_error<E: std::fmt::Display>(entry: &str) -> impl Fn(E) -> ClientError + '_ {
	move |error| ClientError::Chain(format!("cannot read {PALLET}::{entry}: {error}"))
}

/// An error for a value of `entry` with another shape than this client expects.
fn shape_error(entry: &str) -> impl Fn(String) -> ClientError + '_ {
	move |reason| {
		ClientError::Chain(format!(
			"{PALLET}::{entry} has an unexpected shape ({reason}); is this a ZeroG node of a \
			 runtime this client knows?"
		))
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn jobs_ledgers_and_sub_accounts_decode_by_field_name() {
		let result = Value::named_composite([
			("result_root", Value::from_bytes([4u8; 32])),
			("output_hash", Value::from_bytes([5u8; 32])),
			("fee_used", Value::u128(6)),
		]);
		let job = Value::named_composite([
			("service", Value::u128(1)),
			("user", Value::from_bytes([1u8; 32])),
			("provider", Value::from_bytes([2u8; 32])),
			("dataset_root", Value::from_bytes([3u8; 32])),
			("params_hash", Value::from_bytes([9u8; 32])),
			("max_fee", Value::u128(100)),
			("deadline", Value::u128(50)),
			(
				"status",
				Value::named_variant(
					"InReview",
					[("result", result), ("review_ends", Value::u128(70))],
				),
			),
		]);
		let view = job_view(3, &job).unwrap();
		assert_eq!((view.id, view.service, view.max_fee, view.deadline), (3, 1, 100, 50));
		assert_eq!(view.status.name(), "inReview");
		assert_eq!(view.status.result().unwrap().fee_used, 6);

		let refund = |provider: u8| {
			Value::named_composite([
				("provider", Value::from_bytes([provider; 32])),
				("amount", Value::u128(8)),
				("unlocks_at", Value::u128(9)),
			])
		};
		let ledger = Value::named_composite([
			("available", Value::u128(10)),
			("pending_refunds", Value::unnamed_composite([refund(2)])),
		]);
		let view = ledger_view(&ledger).unwrap();
		assert_eq!(view.available, 10);
		assert!(view.has_refund_from(&[2; 32]) && !view.has_refund_from(&[3; 32]));

		let sub = Value::named_composite([
			("balance", Value::u128(11)),
			("last_nonce", Value::u128(u128::from(u64::MAX) + 1)),
		]);
		assert!(sub_account_view(&sub).unwrap_err().contains("last_nonce"));
	}
}
