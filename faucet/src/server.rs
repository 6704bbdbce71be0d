//! The faucet's HTTP routes: the page, the captcha, the drip and what the faucet holds.
//!
//! | route | answer |
//! |---|---|
//! | `GET /` | the web page (form, captcha solver, result) |
//! | `GET /api/info` | the faucet's account, balance, amount and limits |
//! | `GET /api/captcha` | a new ALTCHA challenge |
//! | `POST /api/drip` | `{"address", "captcha"}`: sends the amount, answers the transaction |
//! | `GET /health` | `ok` |
//!
//! Every refusal is JSON `{"error": {"code", "message"}}` with a status that says whose fault it
//! is: 400 for the request, 403 for a recipient that holds enough, 429 (with `Retry-After`) for a
//! limit, 502 when the chain failed, 503 when the faucet cannot give now.

use std::{
	net::{IpAddr, SocketAddr},
	sync::{Arc, Mutex},
	time::{SystemTime, UNIX_EPOCH},
};

use bytes::Bytes;
use http_body_util::Full;
use hyper::{body::Incoming, header, Method, Request, Response, StatusCode};
use serde::Deserialize;
use serde_json::json;
use tokio::net::TcpListener;
use zerog_client::{
	account::{format_account_bytes, parse_any_address, AnyAddress},
	amount::format_zg,
	balances::{account_of_eth_address, free_balance},
	chain::Chain,
	http_server::{self, read_body, BodyError, HttpResponse},
};
use zerog_primitives::hex::to_prefixed_hex;

use crate::{
	captcha::{Captcha, CaptchaRefusal},
	limits::{client_key, format_wait, DripKey, DripLedger},
	sender::{SendError, Sender},
	LOG_TARGET,
};

/// Largest drip request body: an address and a captcha answer.
const MAX_REQUEST_BYTES: usize = 4096;

/// The web page; `{{…}}` placeholders are filled in by [`page`].
const PAGE: &str = include_str!("page.html");

/// Everything the routes need.
pub struct Faucet {
	/// The chain, for balances and address mappings.
	pub chain: Arc<Chain>,
	/// The sending queue.
	pub sender: Sender,
	/// The faucet's own account.
	pub account: [u8; 32],
	/// Drips given, checked against the limits.
	pub ledger: Mutex<DripLedger>,
	/// The proof-of-work captcha.
	pub captcha: Mutex<Captcha>,
	/// A recipient that holds more than this is refused.
	pub max_recipient_balance: u128,
	/// The faucet refuses rather than go below this balance.
	pub min_faucet_balance: u128,
	/// Whether the client's address is the last entry of `X-Forwarded-For` (the faucet runs
	/// behind one reverse proxy that appends it) rather than the connection's peer.
	pub behind_proxy: bool,
}

/// Serves `faucet` on `listener` until the task is dropped.
pub async fn serve(listener: TcpListener, faucet: Arc<Faucet>) {
	http_server::serve(listener, move |request, peer| {
		let faucet = Arc::clone(&faucet);
		async move { route(&faucet, request, peer).await }
	})
	.await
}

/// Dispatches one request.
async fn route(faucet: &Faucet, request: Request<Incoming>, peer: SocketAddr) -> HttpResponse {
	let method = request.method().clone();
	let path = request.uri().path().to_owned();
	log::debug!(target: LOG_TARGET, "{peer} {method} {path}");
	match (&method, path.as_str()) {
		(&Method::GET, "/" | "/index.html") => page(faucet),
		(&Method::GET, "/health") => respond(StatusCode::OK, "text/plain; charset=utf-8", "ok\n"),
		(&Method::GET, "/api/info") => info(faucet).await,
		(&Method::GET, "/api/captcha") => {
			let challenge =
				faucet.captcha.lock().unwrap_or_else(|e| e.into_inner()).challenge(now());
			match challenge {
				Ok(challenge) => json_response(StatusCode::OK, &json!(challenge)),
				Err(why) => error_response(StatusCode::SERVICE_UNAVAILABLE, "busy", &why),
			}
		},
		(&Method::POST, "/api/drip") => {
			let client = client_ip(&request, peer, faucet.behind_proxy);
			match read_body(request.into_body(), MAX_REQUEST_BYTES).await {
				Ok(body) => drip(faucet, &body, client).await.unwrap_or_else(|refusal| refusal),
				Err(BodyError::TooLarge) => error_response(
					StatusCode::PAYLOAD_TOO_LARGE,
					"too_large",
					&format!("a drip request is at most {MAX_REQUEST_BYTES} bytes"),
				),
				Err(BodyError::Read(reason)) => error_response(
					StatusCode::BAD_REQUEST,
					"bad_request",
					&format!("the body could not be read: {reason}"),
				),
			}
		},
		(_, "/api/drip") => {
			error_response(StatusCode::METHOD_NOT_ALLOWED, "method", "use POST /api/drip")
		},
		_ => {
			error_response(StatusCode::NOT_FOUND, "not_found", &format!("no {method} {path} here"))
		},
	}
}

/// A drip request's body.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DripRequest {
	/// SS58, `0x` and 20 bytes (an Ethereum address) or `0x` and 32 bytes.
	address: String,
	/// Base64 of ALTCHA's JSON payload.
	captcha: String,
}

/// `POST /api/drip`: every check, then the transfer. A refusal is the `Err` response.
async fn drip(faucet: &Faucet, body: &[u8], client: IpAddr) -> Result<HttpResponse, HttpResponse> {
	let request: DripRequest = serde_json::from_slice(body).map_err(|error| {
		error_response(
			StatusCode::BAD_REQUEST,
			"bad_request",
			&format!("the body must be JSON {{\"address\": …, \"captcha\": …}}: {error}"),
		)
	})?;
	let address = parse_any_address(&request.address)
		.map_err(|why| error_response(StatusCode::BAD_REQUEST, "bad_address", &why))?;
	faucet
		.captcha
		.lock()
		.unwrap_or_else(|e| e.into_inner())
		.redeem(&request.captcha, now())
		.map_err(|refusal| {
			let status = match refusal {
				CaptchaRefusal::Busy => StatusCode::SERVICE_UNAVAILABLE,
				_ => StatusCode::BAD_REQUEST,
			};
			error_response(status, refusal.code(), &refusal.message())
		})?;

	let chain_error = |what: &str, error: zerog_client::error::ClientError| {
		log::warn!(target: LOG_TARGET, "{what}: {error}");
		error_response(StatusCode::BAD_GATEWAY, "chain_unavailable", &format!("{what}: {error}"))
	};
	let at = faucet.chain.at_best_block().await.map_err(|e| chain_error("reading the chain", e))?;
	let account = match address {
		AnyAddress::Account(account) => account.into(),
		AnyAddress::Ethereum(address) => account_of_eth_address(&at, &address)
			.await
			.map_err(|e| chain_error("mapping the address", e))?,
	};

	let (reservation, amount) = {
		let mut ledger = faucet.ledger.lock().unwrap_or_else(|e| e.into_inner());
		let key = DripKey { account: to_prefixed_hex(&account), client: client_key(client) };
		match ledger.reserve(key, now()) {
			Ok(reservation) => (reservation, ledger.limits().amount),
			Err(refusal) => {
				let mut response = error_response(
					StatusCode::TOO_MANY_REQUESTS,
					refusal.code(),
					&refusal.message(ledger.limits()),
				);
				response.headers_mut().insert(header::RETRY_AFTER, refusal.retry_after().into());
				return Err(response);
			},
		}
	};
	let release = || faucet.ledger.lock().unwrap_or_else(|e| e.into_inner()).release(reservation);

	let balances = async {
		let recipient = free_balance(&at, &account).await?;
		let own = free_balance(&at, &faucet.account).await?;
		Ok::<_, zerog_client::error::ClientError>((recipient, own))
	};
	let (recipient_balance, own_balance) = match balances.await {
		Ok(balances) => balances,
		Err(error) => {
			release();
			return Err(chain_error("reading balances", error));
		},
	};
	if recipient_balance > faucet.max_recipient_balance {
		release();
		return Err(error_response(
			StatusCode::FORBIDDEN,
			"recipient_has_enough",
			&format!(
				"this account holds {}, more than the {} a faucet recipient may hold",
				format_zg(recipient_balance),
				format_zg(faucet.max_recipient_balance)
			),
		));
	}
	if own_balance < amount.saturating_add(faucet.min_faucet_balance) {
		release();
		log::warn!(target: LOG_TARGET, "the faucet holds only {}", format_zg(own_balance));
		return Err(error_response(
			StatusCode::SERVICE_UNAVAILABLE,
			"faucet_low",
			&format!(
				"the faucet is running low ({} left) and is waiting to be refilled",
				format_zg(own_balance)
			),
		));
	}

	let sent = match faucet.sender.send(account, amount).await {
		Ok(sent) => sent,
		Err(SendError::Busy) => {
			release();
			return Err(error_response(
				StatusCode::SERVICE_UNAVAILABLE,
				"busy",
				"the faucet is busy; try again in a minute",
			));
		},
		Err(SendError::Chain(error)) => {
			release();
			log::warn!(target: LOG_TARGET, "a drip failed: {error}");
			return Err(error_response(
				StatusCode::BAD_GATEWAY,
				"transfer_failed",
				&format!("the transfer failed: {error}"),
			));
		},
	};
	let recipient = format_account_bytes(&account);
	log::info!(
		target: LOG_TARGET,
		"sent {} to {recipient} ({}) in {}",
		format_zg(amount),
		request.address.trim(),
		sent.transaction
	);
	Ok(json_response(
		StatusCode::OK,
		&json!({
			"address": request.address.trim(),
			"account": recipient,
			"amount": format_zg(amount),
			"amount_units": amount.to_string(),
			"transaction": sent.transaction,
			"nonce": sent.nonce,
			"block_hash": sent.block_hash,
			"block_number": sent.block_number,
		}),
	))
}

/// `GET /api/info`: the faucet's account, balance and limits.
async fn info(faucet: &Faucet) -> HttpResponse {
	let balance = match faucet.chain.at_best_block().await {
		Ok(at) => free_balance(&at, &faucet.account).await,
		Err(error) => Err(error),
	};
	let balance = match balance {
		Ok(balance) => balance,
		Err(error) => {
			return error_response(
				StatusCode::BAD_GATEWAY,
				"chain_unavailable",
				&error.to_string(),
			);
		},
	};
	let ledger = faucet.ledger.lock().unwrap_or_else(|e| e.into_inner());
	let limits = ledger.limits();
	json_response(
		StatusCode::OK,
		&json!({
			"account": format_account_bytes(&faucet.account),
			"balance": format_zg(balance),
			"amount": format_zg(limits.amount),
			"address_cooldown_seconds": limits.address_cooldown,
			"per_client_hourly": limits.per_client_hourly,
			"per_client_daily": limits.per_client_daily,
			"daily_outflow": format_zg(limits.daily_outflow),
			"sent_today": format_zg(ledger.sent_today(now())),
			"max_recipient_balance": format_zg(faucet.max_recipient_balance),
		}),
	)
}

/// `GET /`: the page, with the amount and the limits filled in.
fn page(faucet: &Faucet) -> HttpResponse {
	let ledger = faucet.ledger.lock().unwrap_or_else(|e| e.into_inner());
	let limits = ledger.limits();
	let html = PAGE
		.replace("{{AMOUNT}}", &format_zg(limits.amount))
		.replace("{{COOLDOWN}}", &format_wait(limits.address_cooldown))
		.replace("{{FAUCET}}", &format_account_bytes(&faucet.account));
	respond(StatusCode::OK, "text/html; charset=utf-8", html)
}

/// The client's address: the connection's peer, or behind a proxy the last
/// `X-Forwarded-For` entry (the one the proxy appended; earlier ones are the client's word).
fn client_ip(request: &Request<Incoming>, peer: SocketAddr, behind_proxy: bool) -> IpAddr {
	if behind_proxy {
		let forwarded = request
			.headers()
			.get_all("x-forwarded-for")
			.iter()
			.filter_map(|value| value.to_str().ok())
			.flat_map(|value| value.split(','))
			.next_back()
			.and_then(|last| last.trim().parse().ok());
		if let Some(ip) = forwarded {
			return ip;
		}
	}
	peer.ip()
}

/// Unix time in seconds.
fn now() -> u64 {
	SystemTime::now().duration_since(UNIX_EPOCH).map(|elapsed| elapsed.as_secs()).unwrap_or(0)
}

fn respond(status: StatusCode, content_type: &'static str, body: impl Into<Bytes>) -> HttpResponse {
	let mut response = Response::new(Full::new(body.into()));
	*response.status_mut() = status;
	response
		.headers_mut()
		.insert(header::CONTENT_TYPE, header::HeaderValue::from_static(content_type));
	response
}

fn json_response(status: StatusCode, value: &serde_json::Value) -> HttpResponse {
	respond(status, "application/json", value.to_string())
}

/// A refusal: `{"error": {"code", "message"}}`.
fn error_response(status: StatusCode, code: &str, message: &str) -> HttpResponse {
	json_response(status, &json!({ "error": { "code": code, "message": message } }))
}
