//! `zerog-faucet`: see the crate docs (`src/lib.rs`) and docs/faucet.md.

use std::{
	net::SocketAddr,
	path::PathBuf,
	process::ExitCode,
	sync::{Arc, Mutex},
	time::{SystemTime, UNIX_EPOCH},
};

use clap::Parser;
use subxt_signer::sr25519::Keypair;
use tokio::net::TcpListener;
use zerog_client::{
	account::format_account_bytes,
	amount::{format_zg, parse_amount},
	balances::free_balance,
	chain::{keypair_from_suri, Chain},
	rpc::NodeRpc,
	secrets::{development_key_refusal, read_secret_file},
};
use zerog_faucet::{
	captcha::Captcha,
	limits::{DripLedger, Limits},
	sender::Sender,
	server::{self, Faucet},
	LOG_TARGET,
};

/// Environment variable holding the faucet's secret URI when no --key-file is given.
const SURI_ENV: &str = "ZEROG_FAUCET_SURI";

/// Test tokens for a ZeroG network: a web page and POST /api/drip.
///
/// Anyone may ask for a fixed amount to an SS58 address or a 0x Ethereum address. Each request
/// carries the answer to a proof-of-work puzzle the faucet makes and checks itself (ALTCHA: no
/// third-party service, works offline). An account waits out a cooldown between drips, a client
/// (IPv4 address or IPv6 /64) gets a few drips an hour and a day, the faucet gives at most a daily
/// outflow, refuses accounts that already hold enough, and stops before its own balance runs out.
/// Refusals are JSON errors; limits answer 429 with Retry-After.
///
/// On a development chain, `zerog-faucet --dev` gives Ferdie's tokens with the defaults.
#[derive(Debug, Parser)]
#[command(name = "zerog-faucet", version)]
struct Flags {
	/// JSON-RPC URL of a ZeroG node (ws:// or http://).
	#[arg(long, value_name = "URL", default_value = "ws://127.0.0.1:9944")]
	node: String,
	/// Address to serve the page and the API on.
	#[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8089")]
	listen: SocketAddr,
	/// File holding the secret URI (seed phrase or 0x seed) of the account the faucet gives
	/// from; it must be readable by its owner only (chmod 600). Without it the URI is read from
	/// the ZEROG_FAUCET_SURI environment variable. Secrets are never command-line arguments,
	/// which other users of the machine can read.
	#[arg(long, value_name = "PATH", conflicts_with = "dev")]
	key_file: Option<PathBuf>,
	/// Give from the development account //Ferdie, which dev and local chains fund and none of
	/// their services signs with (refused on a Live chain).
	#[arg(long)]
	dev: bool,
	/// What one drip sends. Amounts are ZG with a unit (10ZG, 0.5zg) or an integer in the
	/// smallest unit.
	#[arg(long, value_name = "AMOUNT", default_value = "10ZG", value_parser = parse_amount)]
	amount: u128,
	/// Seconds before the same account may receive again.
	#[arg(long, value_name = "SECONDS", default_value_t = 86_400)]
	cooldown: u64,
	/// Drips one client (IPv4 address or IPv6 /64) may receive in an hour.
	#[arg(long, value_name = "N", default_value_t = 3)]
	per_client_hourly: u32,
	/// Drips one client may receive in a day.
	#[arg(long, value_name = "N", default_value_t = 10)]
	per_client_daily: u32,
	/// Most the faucet gives in a day, everyone together.
	#[arg(long, value_name = "AMOUNT", default_value = "10000ZG", value_parser = parse_amount)]
	daily_outflow: u128,
	/// An account that holds more than this gets nothing.
	#[arg(long, value_name = "AMOUNT", default_value = "100ZG", value_parser = parse_amount)]
	max_recipient_balance: u128,
	/// The faucet refuses drips that would leave it with less than this (its fees and the
	/// existential deposit).
	#[arg(long, value_name = "AMOUNT", default_value = "1ZG", value_parser = parse_amount)]
	min_faucet_balance: u128,
	/// File where the drips that still count against a limit are kept, so a restart forgets
	/// none of them.
	#[arg(long, value_name = "PATH", default_value = "zerog-faucet-state.json")]
	state_file: PathBuf,
	/// The puzzle's difficulty: the secret number is below this (a browser tries about half of
	/// them, some 100,000 a second).
	#[arg(long, value_name = "N", default_value_t = 100_000)]
	captcha_difficulty: u64,
	/// Seconds a puzzle stays valid.
	#[arg(long, value_name = "SECONDS", default_value_t = 600)]
	captcha_lifetime: u64,
	/// The faucet runs behind one reverse proxy that appends the client's address to
	/// X-Forwarded-For; limits count that address instead of the proxy's.
	#[arg(long)]
	behind_proxy: bool,
	/// Least severe log level shown: error, warn, info, debug or trace.
	#[arg(long, default_value = "info")]
	log_level: log::LevelFilter,
}

/// The faucet's signing key: //Ferdie with --dev, else from the key file or the environment.
fn signing_key(flags: &Flags) -> Result<Keypair, String> {
	let uri = if flags.dev {
		"//Ferdie".to_owned()
	} else {
		match &flags.key_file {
			Some(path) => read_secret_file(path).map_err(|error| format!("--key-file {error}"))?,
			None => std::env::var(SURI_ENV).map_err(|_| {
				format!("no faucet account: give --key-file PATH, set {SURI_ENV}, or use --dev")
			})?,
		}
	};
	keypair_from_suri(&uri).map_err(|error| format!("the faucet's key: {error}"))
}

async fn run(flags: Flags) -> Result<(), String> {
	let signer = signing_key(&flags)?;
	let rpc = NodeRpc::connect(&flags.node)
		.await
		.map_err(|error| format!("cannot connect to {}: {error}", flags.node))?;
	let chain_type =
		rpc.chain_type().await.map_err(|error| format!("cannot read the chain's type: {error}"))?;
	let account = signer.public_key().0;
	if let Some(refusal) = development_key_refusal(&account, &chain_type) {
		return Err(refusal);
	}
	let chain = Arc::new(Chain::connect(&flags.node).await.map_err(|error| error.to_string())?);
	let limits = Limits {
		amount: flags.amount,
		address_cooldown: flags.cooldown,
		per_client_hourly: flags.per_client_hourly,
		per_client_daily: flags.per_client_daily,
		daily_outflow: flags.daily_outflow,
	};
	let now = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
	let ledger = DripLedger::open(limits, &flags.state_file, now)?;
	let balance = free_balance(&chain.at_best_block().await.map_err(|e| e.to_string())?, &account)
		.await
		.map_err(|error| error.to_string())?;
	let sender = Sender::start(Arc::clone(&chain), Arc::new(rpc), signer);
	let faucet = Arc::new(Faucet {
		chain,
		sender,
		account,
		ledger: Mutex::new(ledger),
		captcha: Mutex::new(Captcha::new(flags.captcha_difficulty, flags.captcha_lifetime)?),
		max_recipient_balance: flags.max_recipient_balance,
		min_faucet_balance: flags.min_faucet_balance,
		behind_proxy: flags.behind_proxy,
	});
	let listener = TcpListener::bind(flags.listen)
		.await
		.map_err(|error| format!("cannot listen on {}: {error}", flags.listen))?;
	let bound = listener.local_addr().map_err(|error| error.to_string())?;
	log::info!(
		target: LOG_TARGET,
		"ready: serving http://{bound}/ from {} (holds {}, gives {} a drip, chain type {chain_type})",
		format_account_bytes(&account),
		format_zg(balance),
		format_zg(flags.amount),
	);
	server::serve(listener, faucet).await;
	Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
	let flags = Flags::parse();
	zerog_client::logging::init(LOG_TARGET, flags.log_level);
	match run(flags).await {
		Ok(()) => ExitCode::SUCCESS,
		Err(error) => {
			eprintln!("error: {error}");
			ExitCode::from(2)
		},
	}
}
