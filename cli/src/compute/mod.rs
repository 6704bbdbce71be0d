//! `zerog compute`: the user's and the provider's side of the compute marketplace
//! (`ComputeEscrow` pallet).
//!
//! - [`services`]: list the registered services, register one.
//! - [`ledger`]: deposit and withdraw marketplace funds, fund a provider's sub-account, take
//!   funds back through a refund, show an account's ledger.
//! - [`jobs`]: create a job for a job service, follow it, accept or dispute its result.
//! - [`enclaves`]: acknowledge (or stop acknowledging) the enclave key of a `Tee` service, so
//!   receipts it signs may pay from your funds.
//! - [`chat`]: one OpenAI chat request to an inference service's gateway, paid with a signed
//!   receipt that the client checks and countersigns (`zerog_client::compute::{receipt, http}`).
//!
//! Reads (`zerog_client::compute::state`) and transactions are at the node's best block; transactions report the fee
//! they paid. (A provider's gateway checks sub-accounts at the latest finalized block, a block
//! or two later.)

pub mod chat;
pub mod enclaves;
pub mod jobs;
pub mod ledger;
pub mod services;

// The client's compute modules under the paths the commands use.
pub use zerog_client::compute::{http, receipt, state};

use crate::{
	account::format_account_bytes,
	amount::{format_zg, parse_amount},
	chain::{keypair_from_suri, Chain, Included},
	error::ClientError,
	hexstr,
	signer::SignerArgs,
};
use clap::{Args, Subcommand};
use subxt::tx::Payload;
use subxt_signer::sr25519::Keypair;
use zerog_client::rpc::NodeRpc;
use zerog_primitives::{Balance, Hash};

/// `zerog compute ...`.
#[derive(Debug, Subcommand)]
pub enum ComputeCommand {
	/// List the registered services: id, provider, kind, model, endpoint, prices and stake.
	Services(ServicesArgs),
	/// Register a service as its provider, putting its stake on hold.
	///
	/// A job service is run by the provider's zerog-executor, which the node's compute off-chain
	/// worker dispatches jobs to (zerog-node --compute-executor URL, with the provider's key
	/// inserted as `zgcp`). An inference service's endpoint is the executor's gateway URL.
	Register(RegisterArgs),
	/// Put AMOUNT of free balance on hold as marketplace funds (ComputeEscrow.deposit).
	Deposit(AmountArgs),
	/// Release AMOUNT of available marketplace funds (ComputeEscrow.withdraw).
	Withdraw(AmountArgs),
	/// Move AMOUNT of available funds into the sub-account for PROVIDER, which pays that
	/// provider's inference receipts (ComputeEscrow.fund_provider).
	Fund(FundArgs),
	/// Take funds back from a provider sub-account: request a refund, claim unlocked ones.
	#[command(subcommand)]
	Refund(RefundCommand),
	/// Show an account's marketplace funds: available, pending refunds and sub-accounts.
	Account(AccountArgs),
	/// Let the enclave key of service ID sign the receipts you pay for that service
	/// (ComputeEscrow.acknowledge_signer), holding a small deposit.
	///
	/// Only for a service whose receipts are signed by an enclave (`Tee`, shown by `zerog
	/// compute services`), whose key governance approved after checking its attestation. Check
	/// the provider's attestation yourself and pass the key you checked as --signer: the chain
	/// refuses any other. Without this, receipts signed by the enclave pay nothing from your
	/// funds; your own signature always counts.
	Acknowledge(AcknowledgeArgs),
	/// Withdraw your acknowledgement of service ID's enclave key and get its deposit back
	/// (ComputeEscrow.remove_acknowledgement).
	Unacknowledge(ServiceTxArgs),
	/// Jobs: create one, follow it, accept or dispute its result.
	#[command(subcommand)]
	Job(JobCommand),
	/// Ask an inference service one chat question, paid from your sub-account.
	///
	/// Looks up the service's endpoint and prices on chain, signs a cap receipt for at most
	/// --max-fee in the request headers (X-ZeroG-*), sends the OpenAI chat request to
	/// <endpoint>/v1/chat/completions, checks the metered receipt of the answer (user, provider,
	/// service, nonce, a fee within the cap and the service's price for the tokens, the hash of
	/// this request and answer), countersigns it with POST /v1/receipts, and prints the answer
	/// and the fee. The provider then settles the countersigned receipt on chain.
	Chat(ChatArgs),
}

/// `zerog compute refund ...`.
#[derive(Debug, Subcommand)]
pub enum RefundCommand {
	/// Move AMOUNT out of the sub-account for --provider into a refund that unlocks after the
	/// runtime's RefundLockPeriod (until then the provider can still settle receipts with it).
	Request(RefundRequestArgs),
	/// Return every unlocked refund to the available funds.
	Claim(TxArgs),
}

/// `zerog compute job ...`.
#[derive(Debug, Subcommand)]
pub enum JobCommand {
	/// Create a job for a job service, escrowing --max-fee until it finishes.
	///
	/// The provider's executor downloads the dataset (a file in ZeroG storage, by root), runs
	/// the service's command and stores the output in ZeroG storage; its result (root, output
	/// hash, fee used) must be on chain before the deadline, else the escrow comes back and the
	/// provider's stake is slashed. Prints the job id.
	Create(JobCreateArgs),
	/// Show an unfinished job: assigned, in review (with its result) or disputed.
	Status(JobIdArgs),
	/// Accept a job's result: the provider gets the fee used, you get the rest of the escrow.
	Accept(JobTxArgs),
	/// Download the result of a job with marketplace inputs (stored encrypted) and decrypt it
	/// with the key its provider sealed to you once you paid for it (`job accept`, or the end
	/// of its review); --key-out also writes the key, to register the result as an asset.
	Result(JobResultArgs),
	/// Dispute a job's result within its review window, holding the runtime's DisputeBond;
	/// governance splits the fee (the bond goes to the provider only if it finds entirely for
	/// it), or after the runtime's DisputePeriod the result stands and the bond comes back.
	Dispute(JobTxArgs),
	/// As a job service's provider, set what a new job must offer: --min-fee at least in
	/// escrow and datasets of at most --max-dataset-size bytes (ComputeEscrow.set_job_terms).
	///
	/// The chain refuses jobs that break them, and jobs on datasets that are not stored in
	/// ZeroG storage until their deadline; the node's worker declines a job whose dataset the
	/// executor cannot fetch, so you are slashed only for jobs you started.
	Terms(JobTermsArgs),
}

/// Output format shared by every compute command.
#[derive(Debug, Args)]
pub struct OutputArgs {
	/// Print one JSON object instead of text (amounts as decimal strings in the smallest unit).
	#[arg(long)]
	pub json: bool,
}

/// Arguments of `compute services`.
#[derive(Debug, Args)]
pub struct ServicesArgs {
	#[command(flatten)]
	pub output: OutputArgs,
}

/// What a service sells, on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum KindArg {
	/// Per-token inference through a gateway.
	Inference,
	/// Jobs run by the provider's executor.
	Job,
}

/// Arguments of `compute register`.
#[derive(Debug, Args)]
pub struct RegisterArgs {
	/// Inference or job.
	#[arg(long, value_enum)]
	pub kind: KindArg,
	/// The model served or the job's program, for users to read.
	#[arg(long, value_name = "NAME")]
	pub model: String,
	/// Where users reach the service: the gateway URL of an inference service (its executor's
	/// --listen address or the TLS proxy in front of it); informative for a job service.
	#[arg(long, value_name = "URL")]
	pub endpoint: String,
	/// Price of one input token (inference).
	#[arg(long, value_name = "AMOUNT", value_parser = parse_amount, default_value = "0")]
	pub input_price: Balance,
	/// Price of one output token (inference).
	#[arg(long, value_name = "AMOUNT", value_parser = parse_amount, default_value = "0")]
	pub output_price: Balance,
	/// Stake put on hold for the service (at least the runtime's MinServiceStake, 100 ZG);
	/// missed job deadlines slash it.
	#[arg(long, value_name = "AMOUNT", value_parser = parse_amount)]
	pub stake: Balance,
	/// The enclave key that signs the service's receipts (SS58 or 0x hex): a key governance
	/// approved (ComputeEscrow.approve_enclave) after checking its attestation. Each user must
	/// acknowledge it (`zerog compute acknowledge`) before its receipts pay. Fixed for the
	/// service's life.
	#[arg(long, value_name = "KEY", value_parser = parse_account_arg)]
	pub enclave_signer: Option<[u8; 32]>,
	#[command(flatten)]
	pub tx: TxArgs,
}

/// A signed transaction's signer and output format.
#[derive(Debug, Args)]
pub struct TxArgs {
	#[command(flatten)]
	pub signer: SignerArgs,
	#[command(flatten)]
	pub output: OutputArgs,
}

/// Arguments of `compute deposit` and `compute withdraw`.
#[derive(Debug, Args)]
pub struct AmountArgs {
	/// The amount (1.5ZG, or an integer in the smallest unit).
	#[arg(value_name = "AMOUNT", value_parser = parse_amount)]
	pub amount: Balance,
	#[command(flatten)]
	pub tx: TxArgs,
}

/// Arguments of `compute fund`.
#[derive(Debug, Args)]
pub struct FundArgs {
	/// The provider (SS58 address or 0x hex of its account).
	#[arg(value_name = "PROVIDER", value_parser = parse_account_arg)]
	pub provider: [u8; 32],
	/// The amount (1.5ZG, or an integer in the smallest unit).
	#[arg(value_name = "AMOUNT", value_parser = parse_amount)]
	pub amount: Balance,
	#[command(flatten)]
	pub tx: TxArgs,
}

/// Arguments of `compute refund request`.
#[derive(Debug, Args)]
pub struct RefundRequestArgs {
	/// The amount (1.5ZG, or an integer in the smallest unit).
	#[arg(value_name = "AMOUNT", value_parser = parse_amount)]
	pub amount: Balance,
	/// The provider whose sub-account the funds come from (SS58 or 0x hex).
	#[arg(long, value_name = "PROVIDER", value_parser = parse_account_arg)]
	pub provider: [u8; 32],
	#[command(flatten)]
	pub tx: TxArgs,
}

/// Arguments of `compute acknowledge`.
#[derive(Debug, Args)]
pub struct AcknowledgeArgs {
	/// The service's id.
	#[arg(value_name = "ID")]
	pub service: u64,
	/// The enclave key you checked (SS58 or 0x hex); must be the service's.
	#[arg(long, value_name = "KEY", value_parser = parse_account_arg)]
	pub signer: [u8; 32],
	#[command(flatten)]
	pub tx: TxArgs,
}

/// Arguments of `compute unacknowledge`.
#[derive(Debug, Args)]
pub struct ServiceTxArgs {
	/// The service's id.
	#[arg(value_name = "ID")]
	pub service: u64,
	#[command(flatten)]
	pub tx: TxArgs,
}

/// Arguments of `compute account`.
#[derive(Debug, Args)]
pub struct AccountArgs {
	/// The account to show (SS58 or 0x hex); default: the --suri account.
	#[arg(value_name = "ACCOUNT", value_parser = parse_account_arg)]
	pub account: Option<[u8; 32]>,
	/// Also show the sub-account for this provider (repeat for several).
	#[arg(long = "provider", value_name = "PROVIDER", value_parser = parse_account_arg)]
	pub providers: Vec<[u8; 32]>,
	#[command(flatten)]
	pub signer: SignerArgs,
	#[command(flatten)]
	pub output: OutputArgs,
}

/// Arguments of `compute job create`.
#[derive(Debug, Args)]
pub struct JobCreateArgs {
	/// The job service's id.
	#[arg(long, value_name = "ID")]
	pub service: u64,
	/// Root of the dataset in ZeroG storage (from `zerog storage upload`).
	#[arg(long, value_name = "ROOT", value_parser = parse_root_arg)]
	pub dataset: Hash,
	/// Hash of the job's parameters as agreed with the provider (0x + 64 hex digits).
	#[arg(long, value_name = "HASH", value_parser = parse_params_hash, default_value = ZERO_HASH, conflicts_with = "params_file")]
	pub params_hash: Hash,
	/// The job's parameters (hyper-parameters, a configuration): stored on chain with the job
	/// (at most the runtime's MaxJobParamsLen, 4 KiB), the job's params hash is their
	/// keccak-256, and the job's program reads them from $ZEROG_PARAMS.
	#[arg(long, value_name = "PATH")]
	pub params_file: Option<std::path::PathBuf>,
	/// A marketplace asset the job reads (repeat, in the order the program sees them, at most
	/// the runtime's MaxJobAssets, 4): yours, public, or granted to you (a compute grant is
	/// enough). An encrypted asset needs its key sealed to the service's enclave by its owner
	/// (`zerog market enclave-key`); the job reads the plaintext inside the enclave, you never do.
	#[arg(long = "asset", value_name = "ID")]
	pub assets: Vec<u64>,
	/// The most the job may cost, held in escrow until it finishes.
	#[arg(long, value_name = "AMOUNT", value_parser = parse_amount)]
	pub max_fee: Balance,
	/// Blocks from the next block to the deadline (at least the runtime's MinJobDuration, 10;
	/// blocks come every 2 s).
	#[arg(long, value_name = "N")]
	pub deadline_blocks: u32,
	#[command(flatten)]
	pub tx: TxArgs,
}

/// Arguments of `compute job terms`.
#[derive(Debug, Args)]
pub struct JobTermsArgs {
	/// The job service's id.
	#[arg(value_name = "ID")]
	pub service: u64,
	/// The smallest --max-fee a job may escrow (0: any).
	#[arg(long, value_name = "AMOUNT", value_parser = parse_amount)]
	pub min_fee: Balance,
	/// The largest dataset a job may name, in bytes; without it any size.
	#[arg(long, value_name = "BYTES")]
	pub max_dataset_size: Option<u64>,
	#[command(flatten)]
	pub tx: TxArgs,
}

/// Arguments of `compute job status`.
#[derive(Debug, Args)]
pub struct JobIdArgs {
	/// The job's id.
	#[arg(value_name = "ID")]
	pub job: u64,
	#[command(flatten)]
	pub output: OutputArgs,
}

/// Arguments of `compute job accept` and `compute job dispute`.
#[derive(Debug, Args)]
pub struct JobTxArgs {
	/// The job's id.
	#[arg(value_name = "ID")]
	pub job: u64,
	#[command(flatten)]
	pub tx: TxArgs,
}

/// Arguments of `compute job result`.
#[derive(Debug, Args)]
pub struct JobResultArgs {
	/// The job's id.
	#[arg(value_name = "ID")]
	pub job: u64,
	/// Where to write the decrypted result.
	#[arg(short, long, value_name = "FILE")]
	pub output: std::path::PathBuf,
	/// Also write the result's content key to this new file (mode 600), e.g. to register the
	/// stored result as an encrypted asset and deliver its key to grantees.
	#[arg(long, value_name = "PATH")]
	pub key_out: Option<std::path::PathBuf>,
	#[command(flatten)]
	pub signer: SignerArgs,
	#[command(flatten)]
	pub output_format: OutputArgs,
}

/// Arguments of `compute chat`.
#[derive(Debug, Args)]
pub struct ChatArgs {
	/// The inference service's id.
	#[arg(long, value_name = "ID")]
	pub service: u64,
	/// What to ask.
	#[arg(value_name = "PROMPT")]
	pub prompt: String,
	/// The most this request may cost (the cap receipt you sign). Default: the service's price
	/// for as many input tokens as the request has bytes (plus 64) and --max-tokens output
	/// tokens.
	#[arg(long, value_name = "AMOUNT", value_parser = parse_amount)]
	pub max_fee: Option<Balance>,
	/// Most tokens of the answer (OpenAI `max_tokens`).
	#[arg(long, value_name = "N", default_value_t = 256)]
	pub max_tokens: u64,
	/// Model name sent to the backend; default: the service's model on chain.
	#[arg(long, value_name = "NAME")]
	pub model: Option<String>,
	/// Receipt nonce; default: the current Unix time in milliseconds (or one above the last
	/// settled nonce, if that is higher), so nonces keep increasing across runs.
	#[arg(long, value_name = "N")]
	pub nonce: Option<u64>,
	/// Gateway base URL to use instead of the service's endpoint on chain.
	#[arg(long, value_name = "URL")]
	pub endpoint: Option<String>,
	/// Seconds to wait for the answer.
	#[arg(long, value_name = "SECS", default_value_t = 300)]
	pub timeout: u64,
	#[command(flatten)]
	pub tx: TxArgs,
}

/// The all-zero hash, the default `--params-hash`.
const ZERO_HASH: &str = "0x0000000000000000000000000000000000000000000000000000000000000000";

/// clap's parser for account arguments.
fn parse_account_arg(text: &str) -> Result<[u8; 32], String> {
	crate::account::parse_account(text).map(|account| account.into())
}

/// clap's parser for `--dataset`.
fn parse_root_arg(text: &str) -> Result<Hash, String> {
	hexstr::parse_hash(text, "the dataset root")
}

/// clap's parser for `--params-hash`.
fn parse_params_hash(text: &str) -> Result<Hash, String> {
	hexstr::parse_hash(text, "the params hash")
}

/// Runs a `zerog compute` command against the node at `rpc_url`.
pub async fn run(rpc_url: &str, command: ComputeCommand) -> Result<(), ClientError> {
	match command {
		ComputeCommand::Services(args) => services::list(rpc_url, args.output.json).await,
		ComputeCommand::Register(args) => services::register(rpc_url, args).await,
		ComputeCommand::Deposit(args) => ledger::deposit(rpc_url, args).await,
		ComputeCommand::Withdraw(args) => ledger::withdraw(rpc_url, args).await,
		ComputeCommand::Fund(args) => ledger::fund(rpc_url, args).await,
		ComputeCommand::Refund(RefundCommand::Request(args)) => {
			ledger::request_refund(rpc_url, args).await
		},
		ComputeCommand::Refund(RefundCommand::Claim(args)) => {
			ledger::claim_refund(rpc_url, args).await
		},
		ComputeCommand::Account(args) => ledger::show(rpc_url, args).await,
		ComputeCommand::Acknowledge(args) => enclaves::acknowledge(rpc_url, args).await,
		ComputeCommand::Unacknowledge(args) => enclaves::unacknowledge(rpc_url, args).await,
		ComputeCommand::Job(JobCommand::Create(args)) => jobs::create(rpc_url, args).await,
		ComputeCommand::Job(JobCommand::Status(args)) => {
			jobs::status(rpc_url, args.job, args.output.json).await
		},
		ComputeCommand::Job(JobCommand::Accept(args)) => jobs::accept(rpc_url, args).await,
		ComputeCommand::Job(JobCommand::Dispute(args)) => jobs::dispute(rpc_url, args).await,
		ComputeCommand::Job(JobCommand::Terms(args)) => jobs::terms(rpc_url, args).await,
		ComputeCommand::Job(JobCommand::Result(args)) => jobs::result(rpc_url, args).await,
		ComputeCommand::Chat(args) => chat::chat(rpc_url, args).await,
	}
}

/// A connection for signed transactions: the node's RPC, the chain client and the signer.
pub struct Session {
	/// The node's JSON-RPC.
	pub rpc: NodeRpc,
	/// The chain client.
	pub chain: Chain,
	/// The key from `--suri`.
	pub signer: Keypair,
}

impl Session {
	/// Connects to `rpc_url` and reads the key of `suri`.
	pub async fn open(rpc_url: &str, suri: &str) -> Result<Self, ClientError> {
		let signer = keypair_from_suri(suri)?;
		let rpc = NodeRpc::connect(rpc_url).await?;
		let chain = Chain::connect(rpc_url).await?;
		Ok(Self { rpc, chain, signer })
	}

	/// The signer's account bytes.
	pub fn account(&self) -> [u8; 32] {
		self.signer.public_key().0
	}

	/// Signs `call` (`ComputeEscrow.<name>`), submits it and waits for a best block.
	pub async fn submit<Call: Payload>(
		&self,
		name: &str,
		call: &Call,
	) -> Result<Included, ClientError> {
		self.submit_to(state::PALLET, name, call).await
	}

	/// Signs `call` (`<pallet>.<name>`), submits it and waits for a best block.
	pub async fn submit_to<Call: Payload>(
		&self,
		pallet: &str,
		name: &str,
		call: &Call,
	) -> Result<Included, ClientError> {
		let what = format!("{pallet}.{name}");
		self.chain.submit_and_wait(&self.rpc, &what, call, &self.signer).await
	}
}

/// The fields of the `ComputeEscrow.<event>` of an included transaction, decoded as `T`.
pub fn event<T: codec::Decode>(included: &Included, event: &str) -> Result<T, ClientError> {
	pallet_event(included, state::PALLET, event)
}

/// The fields of the `<pallet>.<event>` of an included transaction, decoded as `T`.
pub fn pallet_event<T: codec::Decode>(
	included: &Included,
	pallet: &str,
	event: &str,
) -> Result<T, ClientError> {
	let mut fields = included.event_fields(pallet, event).ok_or_else(|| {
		ClientError::Chain(format!("the transaction succeeded without a {pallet}.{event} event"))
	})?;
	T::decode(&mut fields)
		.map_err(|error| ClientError::Chain(format!("{pallet}.{event} does not decode: {error}")))
}

/// Prints what a transaction did: `text` (and where it was included, and its fee) for people,
/// or `fields` plus `block`, `blockNumber` and `txFee` as one JSON object.
pub fn report(included: &Included, json: bool, text: &str, fields: serde_json::Value) {
	if json {
		let mut object = match fields {
			serde_json::Value::Object(object) => object,
			_ => serde_json::Map::new(),
		};
		object.insert("block".into(), included.block_hash.clone().into());
		object.insert("blockNumber".into(), included.block_number.into());
		object.insert("txFee".into(), included.fee_paid().map(|fee| fee.to_string()).into());
		println!("{}", serde_json::Value::Object(object));
	} else {
		println!("{text}");
		let block = match included.block_number {
			Some(number) => format!("#{number} ({})", included.block_hash),
			None => included.block_hash.clone(),
		};
		match included.fee_paid() {
			Some(fee) => println!("included in block {block}, transaction fee {}", format_zg(fee)),
			None => println!("included in block {block}"),
		}
	}
}

/// An account for text output.
pub fn account_text(account: &[u8; 32]) -> String {
	format_account_bytes(account)
}
