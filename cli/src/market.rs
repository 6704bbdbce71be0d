//! `zerog market`: the marketplace of models and datasets (`Marketplace` pallet).
//!
//! An owner uploads a file (encrypted with `zerog storage upload --encrypt --key-out KEY`),
//! registers it as an asset, and delivers its content key to each grantee sealed to the
//! grantee's registered x25519 key. A grantee registers that key once (`zerog market key`),
//! buys or requests access, and downloads the asset (`zerog market download`), which opens the
//! sealed key with the account's own secret and decrypts the file after verifying it.

use crate::{
	account::parse_account,
	amount::{format_zg, parse_amount},
	compute::{account_text, pallet_event, report, OutputArgs, Session, TxArgs},
	error::ClientError,
	hexstr, storage,
};
use clap::{Args, Subcommand, ValueEnum};
use std::path::PathBuf;
use subxt::dynamic::{self, Value};
use zerog_client::{
	marketplace::{
		keys::{account_public_key, account_secret_key, read_key_file, seal_for},
		on_chain::{self, AccessPolicy, AccessScope, AssetKind, AssetView, GrantView},
		PALLET,
	},
	rpc::NodeRpc,
};
use zerog_primitives::{encryption, Balance, Hash};

/// `zerog market ...`.
#[derive(Debug, Subcommand)]
pub enum MarketCommand {
	/// Register your account's x25519 encryption key (derived from your signing key), which
	/// owners seal content keys to (Marketplace.register_encryption_key; holds a deposit).
	Key(TxArgs),
	/// Register a stored file as a model or dataset asset (Marketplace.register_asset).
	///
	/// The file must be live in ZeroG storage (`zerog storage upload`, with --encrypt for a
	/// file only grantees may read). Prints the asset id.
	Register(RegisterArgs),
	/// List the registered assets (optionally of one kind).
	List(ListArgs),
	/// Show one asset, and your grant on it if any.
	Show(ShowArgs),
	/// Buy access to a paid asset for its access period (Marketplace.buy_access).
	Buy(BuyArgs),
	/// Ask the owner of a gated asset for access (Marketplace.request_access).
	Request(ScopeArgs),
	/// As the owner, grant ACCOUNT access until --blocks from now (Marketplace.grant_access):
	/// approves a request, or grants unasked.
	Grant(GrantArgs),
	/// As the owner, refuse ACCOUNT's request (Marketplace.deny_access).
	Deny(AccountArgs),
	/// As the owner, end ACCOUNT's grant (Marketplace.revoke_access). A key already
	/// delivered cannot be taken back; see docs/marketplace.md.
	Revoke(AccountArgs),
	/// As the owner, seal the asset's content key (--key-file) to ACCOUNT's registered
	/// encryption key and store it in ACCOUNT's grant (Marketplace.deliver_key).
	DeliverKey(DeliverArgs),
	/// Download an asset's file, verified against its root, and decrypt it with the key
	/// delivered to you on chain (or --key-file).
	Download(MarketDownloadArgs),
	/// Take back the price of an encrypted download whose key the owner did not deliver within
	/// the runtime's KeyDeliveryPeriod (Marketplace.reclaim_purchase); the grant ends.
	Reclaim(AssetTxArgs),
	/// As the owner, seal the asset's content key (--key-file) to an enclave's registered
	/// encryption key (Marketplace.deliver_enclave_key): jobs of the services that enclave
	/// signs may then read the asset for users entitled to it, who never see the data
	/// (compute-to-data). Name the enclave by a TEE service (--service) or its key (--signer).
	EnclaveKey(EnclaveKeyArgs),
	/// As the owner, withdraw the asset's key from an enclave (Marketplace.revoke_enclave_key):
	/// jobs attached from now on cannot read the asset there.
	RevokeEnclave(EnclaveArgs),
	/// As a compute provider, record that your inference service --service serves model ASSET
	/// (Marketplace.deploy): a model you own, hold an unexpired download grant for, or that is
	/// public. A service serving another model stops serving it.
	Deploy(DeployArgs),
	/// As a compute provider, record that your service --service serves no model any more
	/// (Marketplace.undeploy).
	Undeploy(UndeployArgs),
}

/// Arguments of `market deploy`.
#[derive(Debug, Args)]
pub struct DeployArgs {
	/// The model's asset id.
	#[arg(value_name = "ASSET")]
	pub asset: u64,
	/// Your compute service's id.
	#[arg(long, value_name = "ID")]
	pub service: u64,
	#[command(flatten)]
	pub tx: TxArgs,
}

/// Arguments of `market undeploy`.
#[derive(Debug, Args)]
pub struct UndeployArgs {
	/// Your compute service's id.
	#[arg(long, value_name = "ID")]
	pub service: u64,
	#[command(flatten)]
	pub tx: TxArgs,
}

/// Which enclave, by one of its services or by its signing key.
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct EnclaveChoice {
	/// A compute service whose results an enclave signs (`Verifiability::Tee`): its enclave.
	#[arg(long, value_name = "ID")]
	pub service: Option<u64>,
	/// The enclave's signing key (SS58 or 0x hex), as governance approved it.
	#[arg(long, value_name = "ACCOUNT", value_parser = parse_account_arg)]
	pub signer: Option<[u8; 32]>,
}

/// Arguments of `market revoke-enclave`.
#[derive(Debug, Args)]
pub struct EnclaveArgs {
	/// The asset's id.
	#[arg(value_name = "ASSET")]
	pub asset: u64,
	#[command(flatten)]
	pub enclave: EnclaveChoice,
	#[command(flatten)]
	pub tx: TxArgs,
}

/// Arguments of `market enclave-key`.
#[derive(Debug, Args)]
pub struct EnclaveKeyArgs {
	#[command(flatten)]
	pub target: EnclaveArgs,
	/// The asset's content key (written by `zerog storage upload --encrypt --key-out`).
	#[arg(long, value_name = "PATH")]
	pub key_file: PathBuf,
}

/// Arguments of `market reclaim`.
#[derive(Debug, Args)]
pub struct AssetTxArgs {
	/// The asset's id.
	#[arg(value_name = "ASSET")]
	pub asset: u64,
	#[command(flatten)]
	pub tx: TxArgs,
}

/// What an asset is, on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
	/// A model.
	Model,
	/// A dataset.
	Dataset,
}

/// Who may use an asset, on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum PolicyArg {
	/// Anyone, without a grant (leave the file unencrypted).
	Public,
	/// Whoever the owner approves.
	Gated,
	/// Whoever pays --price for --period blocks.
	Paid,
}

/// What a grant allows, on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ScopeArg {
	/// Download and decrypt the file.
	Download,
	/// Only compute jobs may use it; the key is never delivered to you.
	Compute,
}

impl ScopeArg {
	fn scope(self) -> AccessScope {
		match self {
			Self::Download => AccessScope::Download,
			Self::Compute => AccessScope::Compute,
		}
	}
}

/// Arguments of `market register`.
#[derive(Debug, Args)]
pub struct RegisterArgs {
	/// Root of the stored file (of the encrypted file, for an encrypted asset).
	#[arg(long, value_name = "ROOT", value_parser = parse_root)]
	pub root: Hash,
	/// Size of the stored file in bytes.
	#[arg(long, value_name = "BYTES")]
	pub size: u64,
	/// Model or dataset.
	#[arg(long, value_enum)]
	pub kind: KindArg,
	/// Its name (at most 64 bytes).
	#[arg(long)]
	pub name: String,
	/// Its version (at most 32 bytes).
	#[arg(long, default_value = "1.0")]
	pub version: String,
	/// SPDX license expression, e.g. Apache-2.0 or (MIT OR CC-BY-4.0).
	#[arg(long)]
	pub license: String,
	/// Root of a stored file describing it (a model or dataset card).
	#[arg(long, value_name = "ROOT", value_parser = parse_root)]
	pub card: Option<Hash>,
	/// The stored file is encrypted (uploaded with --encrypt): grantees need a delivered key.
	#[arg(long)]
	pub encrypted: bool,
	/// Who may use it.
	#[arg(long, value_enum)]
	pub policy: PolicyArg,
	/// Price of one access period (paid assets).
	#[arg(long, value_name = "AMOUNT", value_parser = parse_amount, default_value = "0")]
	pub price: Balance,
	/// Blocks one access lasts (paid assets).
	#[arg(long, value_name = "BLOCKS", default_value_t = 0)]
	pub period: u32,
	#[command(flatten)]
	pub tx: TxArgs,
}

/// Arguments of `market list`.
#[derive(Debug, Args)]
pub struct ListArgs {
	/// Only assets of this kind.
	#[arg(long, value_enum)]
	pub kind: Option<KindArg>,
	#[command(flatten)]
	pub output: OutputArgs,
}

/// Arguments of `market show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
	/// The asset's id.
	#[arg(value_name = "ASSET")]
	pub asset: u64,
	/// Also show the grant of this account (SS58 or 0x hex).
	#[arg(long, value_name = "ACCOUNT", value_parser = parse_account_arg)]
	pub account: Option<[u8; 32]>,
	#[command(flatten)]
	pub output: OutputArgs,
}

/// Arguments of `market buy`.
#[derive(Debug, Args)]
pub struct BuyArgs {
	/// The asset's id.
	#[arg(value_name = "ASSET")]
	pub asset: u64,
	/// Download, or compute only.
	#[arg(long, value_enum, default_value = "download")]
	pub scope: ScopeArg,
	/// The most you pay; the purchase fails if the owner raised the price above it. Default:
	/// the price the chain shows now.
	#[arg(long, value_name = "AMOUNT", value_parser = parse_amount)]
	pub max_price: Option<Balance>,
	#[command(flatten)]
	pub tx: TxArgs,
}

/// Arguments of `market request`.
#[derive(Debug, Args)]
pub struct ScopeArgs {
	/// The asset's id.
	#[arg(value_name = "ASSET")]
	pub asset: u64,
	/// Download, or compute only.
	#[arg(long, value_enum, default_value = "download")]
	pub scope: ScopeArg,
	#[command(flatten)]
	pub tx: TxArgs,
}

/// Arguments of `market grant`.
#[derive(Debug, Args)]
pub struct GrantArgs {
	/// The asset's id.
	#[arg(value_name = "ASSET")]
	pub asset: u64,
	/// The grantee (SS58 or 0x hex).
	#[arg(value_name = "ACCOUNT", value_parser = parse_account_arg)]
	pub account: [u8; 32],
	/// Download, or compute only.
	#[arg(long, value_enum, default_value = "download")]
	pub scope: ScopeArg,
	/// Blocks from the best block until the grant expires.
	#[arg(long, value_name = "BLOCKS")]
	pub blocks: u32,
	#[command(flatten)]
	pub tx: TxArgs,
}

/// Arguments of `market deny` and `market revoke`.
#[derive(Debug, Args)]
pub struct AccountArgs {
	/// The asset's id.
	#[arg(value_name = "ASSET")]
	pub asset: u64,
	/// The account (SS58 or 0x hex).
	#[arg(value_name = "ACCOUNT", value_parser = parse_account_arg)]
	pub account: [u8; 32],
	#[command(flatten)]
	pub tx: TxArgs,
}

/// Arguments of `market deliver-key`.
#[derive(Debug, Args)]
pub struct DeliverArgs {
	/// The asset's id.
	#[arg(value_name = "ASSET")]
	pub asset: u64,
	/// The grantee (SS58 or 0x hex).
	#[arg(value_name = "ACCOUNT", value_parser = parse_account_arg)]
	pub account: [u8; 32],
	/// The asset's content key (written by `zerog storage upload --encrypt --key-out`).
	#[arg(long, value_name = "PATH")]
	pub key_file: PathBuf,
	#[command(flatten)]
	pub tx: TxArgs,
}

/// Arguments of `market download`.
#[derive(Debug, Args)]
pub struct MarketDownloadArgs {
	/// The asset's id.
	#[arg(value_name = "ASSET")]
	pub asset: u64,
	/// Where to write the (decrypted) file.
	#[arg(short, long, value_name = "FILE")]
	pub output: PathBuf,
	/// Decrypt with this content key instead of the one delivered to you (an owner's own key).
	#[arg(long, value_name = "PATH")]
	pub key_file: Option<PathBuf>,
	/// Segment requests in flight at once.
	#[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
	pub parallel: u16,
	#[command(flatten)]
	pub signer: crate::signer::SignerArgs,
	#[command(flatten)]
	pub output_format: OutputArgs,
}

fn parse_root(text: &str) -> Result<Hash, String> {
	hexstr::parse_root(text)
}

fn parse_account_arg(text: &str) -> Result<[u8; 32], String> {
	parse_account(text).map(Into::into)
}

/// Runs a `zerog market` command against the node at `rpc_url`.
pub async fn run(rpc_url: &str, command: MarketCommand) -> Result<(), ClientError> {
	match command {
		MarketCommand::Key(args) => register_key(rpc_url, args).await,
		MarketCommand::Register(args) => register(rpc_url, args).await,
		MarketCommand::List(args) => list(rpc_url, args).await,
		MarketCommand::Show(args) => show(rpc_url, args).await,
		MarketCommand::Buy(args) => buy(rpc_url, args).await,
		MarketCommand::Request(args) => request(rpc_url, args).await,
		MarketCommand::Grant(args) => grant(rpc_url, args).await,
		MarketCommand::Deny(args) => owner_call(rpc_url, args, "deny_access", "AccessDenied").await,
		MarketCommand::Revoke(args) => {
			owner_call(rpc_url, args, "revoke_access", "AccessRevoked").await
		},
		MarketCommand::DeliverKey(args) => deliver_key(rpc_url, args).await,
		MarketCommand::Download(args) => download(rpc_url, args).await,
		MarketCommand::Reclaim(args) => reclaim(rpc_url, args).await,
		MarketCommand::EnclaveKey(args) => enclave_key(rpc_url, args).await,
		MarketCommand::RevokeEnclave(args) => revoke_enclave(rpc_url, args).await,
		MarketCommand::Deploy(args) => deploy(rpc_url, args).await,
		MarketCommand::Undeploy(args) => undeploy(rpc_url, args).await,
	}
}

/// An asset, or an error naming it.
async fn existing_asset(rpc: &NodeRpc, id: u64) -> Result<AssetView, ClientError> {
	on_chain::asset(rpc, id)
		.await?
		.ok_or_else(|| ClientError::Input(format!("asset #{id} is not registered")))
}

async fn register_key(rpc_url: &str, args: TxArgs) -> Result<(), ClientError> {
	let suri = args.signer.secret_uri()?;
	let key = account_public_key(&suri)?;
	let session = Session::open(rpc_url, &suri).await?;
	let call = dynamic::tx(PALLET, "register_encryption_key", (Value::from_bytes(key),));
	let included = session.submit_to(PALLET, "register_encryption_key", &call).await?;
	report(
		&included,
		args.output.json,
		&format!(
			"registered encryption key {} for {}",
			hexstr::encode(&key),
			account_text(&session.account())
		),
		serde_json::json!({ "key": hexstr::encode(&key), "account": account_text(&session.account()) }),
	);
	Ok(())
}

async fn register(rpc_url: &str, args: RegisterArgs) -> Result<(), ClientError> {
	let session = Session::open(rpc_url, &args.tx.signer.secret_uri()?).await?;
	let kind = match args.kind {
		KindArg::Model => AssetKind::Model,
		KindArg::Dataset => AssetKind::Dataset,
	};
	let policy = match args.policy {
		PolicyArg::Public => AccessPolicy::Public,
		PolicyArg::Gated => AccessPolicy::Gated,
		PolicyArg::Paid => AccessPolicy::Paid,
	};
	let card = match args.card {
		Some(card) => Value::unnamed_variant("Some", [Value::from_bytes(card.as_bytes())]),
		None => Value::unnamed_variant("None", []),
	};
	let call = dynamic::tx(
		PALLET,
		"register_asset",
		(
			Value::unnamed_variant(kind.name(), []),
			Value::from_bytes(args.name.as_bytes()),
			Value::from_bytes(args.version.as_bytes()),
			Value::from_bytes(args.license.as_bytes()),
			Value::from_bytes(args.root.as_bytes()),
			args.size,
			card,
			args.encrypted,
			Value::unnamed_variant(policy.name(), []),
			args.price,
			args.period,
		),
	);
	let included = session.submit_to(PALLET, "register_asset", &call).await?;
	let (asset, _owner, _kind, _root, _size, _policy, price): (
		u64,
		[u8; 32],
		AssetKind,
		Hash,
		u64,
		AccessPolicy,
		Balance,
	) = pallet_event(&included, PALLET, "AssetRegistered")?;
	report(
		&included,
		args.tx.output.json,
		&format!(
			"registered {} #{asset} \"{}\" ({}, {})",
			kind.label(),
			args.name,
			policy.label(),
			format_zg(price)
		),
		serde_json::json!({ "asset": asset, "kind": kind.label(), "policy": policy.label() }),
	);
	Ok(())
}

/// An asset as JSON: amounts as decimal strings in the smallest unit.
pub fn asset_json(asset: &AssetView) -> serde_json::Value {
	serde_json::json!({
		"id": asset.id,
		"owner": account_text(&asset.owner),
		"kind": asset.kind.label(),
		"name": String::from_utf8_lossy(&asset.name),
		"version": String::from_utf8_lossy(&asset.version),
		"license": String::from_utf8_lossy(&asset.license),
		"root": hexstr::root(&asset.root),
		"size": asset.size,
		"card": asset.card.as_ref().map(hexstr::root),
		"encrypted": asset.encrypted,
		"policy": asset.policy.label(),
		"price": asset.price.to_string(),
		"accessPeriod": asset.access_period,
		"openGrants": asset.open_grants,
		"deployments": asset.deployments,
		"registeredAt": asset.registered_at,
	})
}

fn grant_json(grant: &GrantView) -> serde_json::Value {
	serde_json::json!({
		"scope": grant.scope.label(),
		"expiresAt": grant.expires_at,
		"request": grant.expires_at.is_none(),
		"depositor": account_text(&grant.depositor),
		"deposit": grant.deposit.to_string(),
		"keyDelivered": grant.key.is_some(),
		"recipientKey": grant.key.as_ref().map(|(recipient, _)| hexstr::encode(recipient)),
		"escrow": grant.escrow.map(|(amount, _)| amount.to_string()),
		"refundableFrom": grant.escrow.map(|(_, from)| from),
	})
}

fn print_asset(asset: &AssetView) {
	println!(
		"{} #{} \"{}\" {}",
		asset.kind.label(),
		asset.id,
		String::from_utf8_lossy(&asset.name),
		String::from_utf8_lossy(&asset.version)
	);
	println!("  owner     {}", account_text(&asset.owner));
	println!("  license   {}", String::from_utf8_lossy(&asset.license));
	println!(
		"  file      {} ({} bytes{})",
		hexstr::root(&asset.root),
		asset.size,
		if asset.encrypted { ", encrypted" } else { "" }
	);
	if let Some(card) = &asset.card {
		println!("  card      {}", hexstr::root(card));
	}
	match asset.policy {
		AccessPolicy::Paid => println!(
			"  access    paid: {} for {} blocks",
			format_zg(asset.price),
			asset.access_period
		),
		policy => println!("  access    {}", policy.label()),
	}
	println!("  grants    {} open, {} deployment(s)", asset.open_grants, asset.deployments);
}

async fn list(rpc_url: &str, args: ListArgs) -> Result<(), ClientError> {
	let rpc = NodeRpc::connect(rpc_url).await?;
	let wanted = args.kind.map(|kind| match kind {
		KindArg::Model => AssetKind::Model,
		KindArg::Dataset => AssetKind::Dataset,
	});
	let assets: Vec<AssetView> = on_chain::assets(&rpc)
		.await?
		.into_iter()
		.filter(|asset| wanted.is_none_or(|kind| asset.kind == kind))
		.collect();
	if args.output.json {
		let list: Vec<serde_json::Value> = assets.iter().map(asset_json).collect();
		println!("{}", serde_json::json!({ "assets": list }));
		return Ok(());
	}
	if assets.is_empty() {
		println!("no assets are registered");
	}
	assets.iter().for_each(print_asset);
	Ok(())
}

async fn show(rpc_url: &str, args: ShowArgs) -> Result<(), ClientError> {
	let rpc = NodeRpc::connect(rpc_url).await?;
	let asset = existing_asset(&rpc, args.asset).await?;
	let grant = match args.account {
		Some(account) => on_chain::grant(&rpc, args.asset, account).await?,
		None => None,
	};
	if args.output.json {
		let mut object = asset_json(&asset);
		object["grant"] = grant.as_ref().map(grant_json).unwrap_or(serde_json::Value::Null);
		println!("{object}");
		return Ok(());
	}
	print_asset(&asset);
	if let Some(account) = args.account {
		match &grant {
			None => println!("  {}: no grant", account_text(&account)),
			Some(grant) => match grant.expires_at {
				None => println!("  {}: requested {}", account_text(&account), grant.scope.label()),
				Some(expires_at) => {
					println!(
						"  {}: {} access until block {expires_at}, key {}",
						account_text(&account),
						grant.scope.label(),
						if grant.key.is_some() { "delivered" } else { "not delivered yet" }
					);
					if let Some((amount, from)) = grant.escrow {
						println!(
							"  {} held until the key is delivered (refundable from block {from})",
							format_zg(amount)
						);
					}
				},
			},
		}
	}
	Ok(())
}

async fn buy(rpc_url: &str, args: BuyArgs) -> Result<(), ClientError> {
	let session = Session::open(rpc_url, &args.tx.signer.secret_uri()?).await?;
	let max_price = match args.max_price {
		Some(max_price) => max_price,
		None => existing_asset(&session.rpc, args.asset).await?.price,
	};
	let scope = args.scope.scope();
	let call = dynamic::tx(
		PALLET,
		"buy_access",
		(args.asset, Value::unnamed_variant(scope.name(), []), max_price),
	);
	let included = session.submit_to(PALLET, "buy_access", &call).await?;
	let (asset, _buyer, _scope, price, expires_at): (u64, [u8; 32], AccessScope, Balance, u32) =
		pallet_event(&included, PALLET, "AccessBought")?;
	report(
		&included,
		args.tx.output.json,
		&format!(
			"bought {} access to asset #{asset} for {} until block {expires_at}",
			scope.label(),
			format_zg(price)
		),
		serde_json::json!({
			"asset": asset,
			"scope": scope.label(),
			"price": price.to_string(),
			"expiresAt": expires_at,
		}),
	);
	Ok(())
}

async fn request(rpc_url: &str, args: ScopeArgs) -> Result<(), ClientError> {
	let session = Session::open(rpc_url, &args.tx.signer.secret_uri()?).await?;
	let scope = args.scope.scope();
	let call = dynamic::tx(
		PALLET,
		"request_access",
		(args.asset, Value::unnamed_variant(scope.name(), [])),
	);
	let included = session.submit_to(PALLET, "request_access", &call).await?;
	report(
		&included,
		args.tx.output.json,
		&format!("asked the owner of asset #{} for {} access", args.asset, scope.label()),
		serde_json::json!({ "asset": args.asset, "scope": scope.label() }),
	);
	Ok(())
}

async fn grant(rpc_url: &str, args: GrantArgs) -> Result<(), ClientError> {
	let session = Session::open(rpc_url, &args.tx.signer.secret_uri()?).await?;
	let best = session.rpc.best_block_number().await?;
	let expires_at = u32::try_from(best.saturating_add(u64::from(args.blocks)))
		.map_err(|_| ClientError::Input("--blocks runs past the last block number".into()))?;
	let scope = args.scope.scope();
	let call = dynamic::tx(
		PALLET,
		"grant_access",
		(
			args.asset,
			Value::from_bytes(args.account),
			Value::unnamed_variant(scope.name(), []),
			expires_at,
		),
	);
	let included = session.submit_to(PALLET, "grant_access", &call).await?;
	report(
		&included,
		args.tx.output.json,
		&format!(
			"granted {} {} access to asset #{} until block {expires_at}",
			account_text(&args.account),
			scope.label(),
			args.asset
		),
		serde_json::json!({
			"asset": args.asset,
			"grantee": account_text(&args.account),
			"scope": scope.label(),
			"expiresAt": expires_at,
		}),
	);
	Ok(())
}

async fn owner_call(
	rpc_url: &str,
	args: AccountArgs,
	call_name: &'static str,
	event: &'static str,
) -> Result<(), ClientError> {
	let session = Session::open(rpc_url, &args.tx.signer.secret_uri()?).await?;
	let call = dynamic::tx(PALLET, call_name, (args.asset, Value::from_bytes(args.account)));
	let included = session.submit_to(PALLET, call_name, &call).await?;
	pallet_event::<(u64, [u8; 32])>(&included, PALLET, event)?;
	report(
		&included,
		args.tx.output.json,
		&format!("{call_name}: asset #{} for {}", args.asset, account_text(&args.account)),
		serde_json::json!({ "asset": args.asset, "account": account_text(&args.account) }),
	);
	Ok(())
}

async fn deliver_key(rpc_url: &str, args: DeliverArgs) -> Result<(), ClientError> {
	let content_key = read_key_file(&args.key_file)?;
	let session = Session::open(rpc_url, &args.tx.signer.secret_uri()?).await?;
	let recipient =
		on_chain::encryption_key(&session.rpc, args.account).await?.ok_or_else(|| {
			ClientError::Chain(format!(
				"{} has registered no encryption key (`zerog market key`): nothing to seal to",
				account_text(&args.account)
			))
		})?;
	let sealed = seal_for(&recipient, &content_key)?;
	let call = dynamic::tx(
		PALLET,
		"deliver_key",
		(args.asset, Value::from_bytes(args.account), Value::from_bytes(sealed)),
	);
	let included = session.submit_to(PALLET, "deliver_key", &call).await?;
	report(
		&included,
		args.tx.output.json,
		&format!(
			"delivered the key of asset #{} to {}, sealed to {}",
			args.asset,
			account_text(&args.account),
			hexstr::encode(&recipient)
		),
		serde_json::json!({
			"asset": args.asset,
			"grantee": account_text(&args.account),
			"recipientKey": hexstr::encode(&recipient),
		}),
	);
	Ok(())
}

async fn reclaim(rpc_url: &str, args: AssetTxArgs) -> Result<(), ClientError> {
	let session = Session::open(rpc_url, &args.tx.signer.secret_uri()?).await?;
	let call = dynamic::tx(PALLET, "reclaim_purchase", (args.asset,));
	let included = session.submit_to(PALLET, "reclaim_purchase", &call).await?;
	let (asset, _buyer, amount): (u64, [u8; 32], Balance) =
		pallet_event(&included, PALLET, "PurchaseRefunded")?;
	report(
		&included,
		args.tx.output.json,
		&format!("took back {} paid for asset #{asset}: no key was delivered", format_zg(amount)),
		serde_json::json!({ "asset": asset, "refunded": amount.to_string() }),
	);
	Ok(())
}

/// The enclave signer `choice` names: given, or its service's.
async fn enclave_signer(
	session: &Session,
	choice: &EnclaveChoice,
) -> Result<[u8; 32], ClientError> {
	if let Some(signer) = choice.signer {
		return Ok(signer);
	}
	let id = choice.service.unwrap_or_default();
	let service = zerog_client::compute::state::service(&session.chain, id)
		.await?
		.ok_or_else(|| ClientError::Input(format!("no compute service #{id} is registered")))?;
	service.tee_signer.ok_or_else(|| {
		ClientError::Input(format!(
			"service #{id}'s results are signed by its users, not by an enclave: no enclave to \
			 seal a key to"
		))
	})
}

async fn enclave_key(rpc_url: &str, args: EnclaveKeyArgs) -> Result<(), ClientError> {
	let content_key = read_key_file(&args.key_file)?;
	let target = args.target;
	let session = Session::open(rpc_url, &target.tx.signer.secret_uri()?).await?;
	let signer = enclave_signer(&session, &target.enclave).await?;
	let recipient = on_chain::encryption_key(&session.rpc, signer).await?.ok_or_else(|| {
		ClientError::Chain(format!(
			"enclave {} has registered no encryption key (`zerog market key` with its key): \
			 nothing to seal to",
			account_text(&signer)
		))
	})?;
	let sealed = seal_for(&recipient, &content_key)?;
	let call = dynamic::tx(
		PALLET,
		"deliver_enclave_key",
		(target.asset, Value::from_bytes(signer), Value::from_bytes(sealed)),
	);
	let included = session.submit_to(PALLET, "deliver_enclave_key", &call).await?;
	report(
		&included,
		target.tx.output.json,
		&format!(
			"sealed the key of asset #{} to enclave {} (encryption key {})",
			target.asset,
			account_text(&signer),
			hexstr::encode(&recipient)
		),
		serde_json::json!({
			"asset": target.asset,
			"signer": account_text(&signer),
			"recipientKey": hexstr::encode(&recipient),
		}),
	);
	Ok(())
}

async fn revoke_enclave(rpc_url: &str, args: EnclaveArgs) -> Result<(), ClientError> {
	let session = Session::open(rpc_url, &args.tx.signer.secret_uri()?).await?;
	let signer = enclave_signer(&session, &args.enclave).await?;
	let call = dynamic::tx(PALLET, "revoke_enclave_key", (args.asset, Value::from_bytes(signer)));
	let included = session.submit_to(PALLET, "revoke_enclave_key", &call).await?;
	pallet_event::<(u64, [u8; 32])>(&included, PALLET, "EnclaveKeyRevoked")?;
	report(
		&included,
		args.tx.output.json,
		&format!("withdrew asset #{}'s key from enclave {}", args.asset, account_text(&signer)),
		serde_json::json!({ "asset": args.asset, "signer": account_text(&signer) }),
	);
	Ok(())
}

async fn deploy(rpc_url: &str, args: DeployArgs) -> Result<(), ClientError> {
	let session = Session::open(rpc_url, &args.tx.signer.secret_uri()?).await?;
	let call = dynamic::tx(PALLET, "deploy", (args.asset, args.service));
	let included = session.submit_to(PALLET, "deploy", &call).await?;
	let (asset, service, _provider): (u64, u64, [u8; 32]) =
		pallet_event(&included, PALLET, "ModelDeployed")?;
	report(
		&included,
		args.tx.output.json,
		&format!("service #{service} serves model asset #{asset}"),
		serde_json::json!({ "asset": asset, "service": service }),
	);
	Ok(())
}

async fn undeploy(rpc_url: &str, args: UndeployArgs) -> Result<(), ClientError> {
	let session = Session::open(rpc_url, &args.tx.signer.secret_uri()?).await?;
	let call = dynamic::tx(PALLET, "undeploy", (args.service,));
	let included = session.submit_to(PALLET, "undeploy", &call).await?;
	let (asset, service): (u64, u64) = pallet_event(&included, PALLET, "ModelUndeployed")?;
	report(
		&included,
		args.tx.output.json,
		&format!("service #{service} no longer serves model asset #{asset}"),
		serde_json::json!({ "asset": asset, "service": service }),
	);
	Ok(())
}

/// The content key `account` may decrypt asset `asset` with: the key sealed to it in its
/// unexpired download grant, opened with its own x25519 secret.
async fn delivered_key(
	rpc: &NodeRpc,
	asset: &AssetView,
	account: [u8; 32],
	suri: &str,
) -> Result<encryption::ContentKey, ClientError> {
	let who = account_text(&account);
	let grant = on_chain::grant(rpc, asset.id, account).await?.ok_or_else(|| {
		ClientError::Chain(format!("{who} holds no grant on asset #{}", asset.id))
	})?;
	let Some(expires_at) = grant.expires_at else {
		return Err(ClientError::Chain(format!(
			"{who}'s request for asset #{} has not been granted yet",
			asset.id
		)));
	};
	let best = rpc.best_block_number().await?;
	// A grant is active while its expiry is above the block being built.
	if u64::from(expires_at) <= best {
		return Err(ClientError::Chain(format!(
			"{who}'s grant on asset #{} expired at block {expires_at}",
			asset.id
		)));
	}
	if grant.scope != AccessScope::Download {
		return Err(ClientError::Chain(format!(
			"{who}'s grant on asset #{} is for compute only: its key is never delivered",
			asset.id
		)));
	}
	let (_, sealed) = grant.key.ok_or_else(|| {
		ClientError::Chain(format!(
			"the owner has not delivered the key of asset #{} to {who} yet",
			asset.id
		))
	})?;
	encryption::open_sealed_key(&account_secret_key(suri)?, &sealed).map_err(|error| {
		ClientError::Verification(format!("the key delivered to {who} does not open: {error}"))
	})
}

async fn download(rpc_url: &str, args: MarketDownloadArgs) -> Result<(), ClientError> {
	let rpc = NodeRpc::connect(rpc_url).await?;
	let asset = existing_asset(&rpc, args.asset).await?;
	let key = match (&args.key_file, asset.encrypted) {
		(_, false) => None,
		(Some(path), true) => Some(read_key_file(path)?),
		(None, true) => {
			let suri = args.signer.secret_uri()?;
			let account = crate::chain::keypair_from_suri(&suri)?.public_key().0;
			Some(delivered_key(&rpc, &asset, account, &suri).await?)
		},
	};
	storage::download(
		rpc_url,
		storage::DownloadOptions {
			root: asset.root,
			size: Some(asset.size),
			output: args.output,
			parallel: usize::from(args.parallel),
			json: args.output_format.json,
			decrypt_with: key,
		},
	)
	.await
}
