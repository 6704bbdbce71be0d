//! The front of the Ethereum JSON-RPC: refusals in Ethereum's words.
//!
//! `pallet-revive-eth-rpc` forwards a transaction the pool refuses as the pool's bare error
//! (code 1010, "Invalid Transaction") and drops the reason. Wallets, ethers and Hardhat show and
//! match what Ethereum nodes answer ("nonce too low", "insufficient funds for gas * price +
//! value", "invalid chain id for signer"), so this guard listens on the port users connect to and
//! checks every `eth_sendRawTransaction` against the chain id and the sender's nonce and balance
//! before the adapter sees it, answering those refusals itself with geth's code -32000. Every
//! other request, WebSocket subscriptions included, passes through to the adapter unchanged.

use std::{
	io::{self, Read, Write},
	net::{Ipv4Addr, Shutdown, SocketAddr, TcpListener, TcpStream},
	sync::{
		atomic::{AtomicU16, Ordering},
		Arc,
	},
	thread,
	time::Duration,
};

use pallet_revive::evm::{TransactionSigned, TransactionUnsigned, H160, U256};
use polkadot_sdk::sp_core::bytes::from_hex;
use serde_json::{json, Value};

/// Log target shared with the adapter's supervisor.
const LOG_TARGET: &str = "eth-rpc";

/// Largest request head read before giving up on a connection.
const MAX_HEAD_BYTES: usize = 64 * 1024;

/// Largest request body inspected; larger ones pass through unchecked.
const MAX_BODY_BYTES: usize = 32 * 1024 * 1024;

/// geth's JSON-RPC error code for a transaction the node will not take.
const REFUSED: i64 = -32000;

/// How long the guard waits on the adapter for the sender's nonce and balance.
const QUERY_TIMEOUT: Duration = Duration::from_secs(10);

/// Where the guard listens and where the adapter it fronts listens.
#[derive(Debug, Clone)]
pub struct Guard {
	/// The address users connect to.
	pub listen: SocketAddr,
	/// The adapter's port on loopback; the supervisor moves the adapter to another port when it
	/// cannot start on this one.
	pub adapter_port: Arc<AtomicU16>,
	/// The chain id transactions must be signed for.
	pub chain_id: u64,
	/// Whether refusals carry `Access-Control-Allow-Origin: *` (dev chains, like the adapter).
	pub cors_any: bool,
}

impl Guard {
	/// Binds the listening port (so a port in use fails the node's start) and serves it on a
	/// thread of its own, one thread per connection.
	pub fn spawn(self) -> io::Result<()> {
		let listener = TcpListener::bind(self.listen)?;
		thread::Builder::new().name("eth-rpc-guard".into()).spawn(move || {
			for stream in listener.incoming() {
				let Ok(client) = stream else { continue };
				let guard = self.clone();
				let spawned = thread::Builder::new().name("eth-rpc-conn".into()).spawn(move || {
					if let Err(error) = guard.serve(client) {
						log::debug!(target: LOG_TARGET, "Connection ended: {error}");
					}
				});
				if let Err(error) = spawned {
					log::warn!(target: LOG_TARGET, "Cannot serve a connection: {error}");
				}
			}
		})?;
		Ok(())
	}

	/// Serves one connection: a plain JSON POST is checked and relayed as one exchange; anything
	/// else (a WebSocket upgrade, a CORS preflight) becomes a transparent pipe to the adapter.
	fn serve(&self, mut client: TcpStream) -> io::Result<()> {
		let mut received = Vec::new();
		let head_len = read_head(&mut client, &mut received)?;
		let head = String::from_utf8_lossy(&received[..head_len]).into_owned();
		let body_len =
			header(&head, "content-length").and_then(|value| value.parse::<usize>().ok());
		let plain_post = head.starts_with("POST ") && header(&head, "upgrade").is_none();
		let mut adapter = TcpStream::connect(self.adapter())?;

		let Some(body_len) = body_len.filter(|len| plain_post && *len <= MAX_BODY_BYTES) else {
			adapter.write_all(&received)?;
			return pipe(client, adapter);
		};
		while received.len() < head_len + body_len {
			let mut buffer = [0u8; 16 * 1024];
			let read = client.read(&mut buffer)?;
			if read == 0 {
				return Err(io::ErrorKind::UnexpectedEof.into());
			}
			received.extend_from_slice(&buffer[..read]);
		}
		let body = &received[head_len..head_len + body_len];

		if let Some(refusal) = self.refusal(body) {
			let payload = refusal.to_string();
			let cors = if self.cors_any && header(&head, "origin").is_some() {
				"Access-Control-Allow-Origin: *\r\n"
			} else {
				""
			};
			write!(
				client,
				"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n{cors}Content-Length: {}\r\nConnection: close\r\n\r\n{payload}",
				payload.len(),
			)?;
			return Ok(());
		}

		// One exchange per connection: the adapter closes after answering, which tells the
		// client (through the response's `connection: close`) to open a new one next time.
		adapter.write_all(with_connection_close(&head).as_bytes())?;
		adapter.write_all(body)?;
		io::copy(&mut adapter, &mut client)?;
		client.shutdown(Shutdown::Both).ok();
		Ok(())
	}

	/// The Ethereum-worded refusal of a raw transaction the chain cannot take, or `None` to let
	/// the adapter handle the request (anything that is not a decodable raw transaction, and any
	/// transaction that passes these checks).
	fn refusal(&self, body: &[u8]) -> Option<Value> {
		let request: Value = serde_json::from_slice(body).ok()?;
		if request.get("method")?.as_str()? != "eth_sendRawTransaction" {
			return None;
		}
		let raw = from_hex(request.get("params")?.get(0)?.as_str()?).ok()?;
		let signed = TransactionSigned::decode(&raw).ok()?;
		let sender = signed.recover_eth_address().ok()?;
		let terms = TransactionTerms::of(signed.unsigned());
		let refuse = |message: String| {
			log::debug!(target: LOG_TARGET, "Refused a transaction of {sender:?}: {message}");
			Some(json!({
				"jsonrpc": "2.0",
				"id": request.get("id").cloned().unwrap_or(Value::Null),
				"error": { "code": REFUSED, "message": message },
			}))
		};

		if let Some(chain_id) = terms.chain_id.filter(|id| *id != U256::from(self.chain_id)) {
			return refuse(format!(
				"invalid chain id for signer: have {chain_id} want {}",
				self.chain_id
			));
		}
		let state_nonce = self.query(&sender, "eth_getTransactionCount")?;
		if terms.nonce < state_nonce {
			return refuse(format!(
				"nonce too low: address {sender:?}, tx: {} state: {state_nonce}",
				terms.nonce
			));
		}
		let balance = self.query(&sender, "eth_getBalance")?;
		let cost = terms.gas.saturating_mul(terms.gas_price).saturating_add(terms.value);
		if balance < cost {
			return refuse(format!(
				"insufficient funds for gas * price + value: address {sender:?} have {balance} want {cost}"
			));
		}
		None
	}

	/// Where the adapter listens now.
	fn adapter(&self) -> SocketAddr {
		SocketAddr::from((Ipv4Addr::LOCALHOST, self.adapter_port.load(Ordering::Relaxed)))
	}

	/// `method(address, "latest")` on the adapter, for a quantity (a nonce or a balance).
	fn query(&self, address: &H160, method: &str) -> Option<U256> {
		let request =
			json!({ "jsonrpc": "2.0", "id": 1, "method": method, "params": [address, "latest"] })
				.to_string();
		let adapter = self.adapter();
		let mut stream = TcpStream::connect_timeout(&adapter, QUERY_TIMEOUT).ok()?;
		stream.set_read_timeout(Some(QUERY_TIMEOUT)).ok()?;
		write!(
			stream,
			"POST / HTTP/1.0\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{request}",
			adapter,
			request.len(),
		)
		.ok()?;
		let mut response = Vec::new();
		stream.read_to_end(&mut response).ok()?;
		let body_start = find(&response, b"\r\n\r\n")? + 4;
		let answer: Value = serde_json::from_slice(&response[body_start..]).ok()?;
		let quantity = answer.get("result")?.as_str()?;
		U256::from_str_radix(quantity.trim_start_matches("0x"), 16).ok()
	}
}

/// What a transaction asks of its sender, whatever its type.
struct TransactionTerms {
	/// `None` for a legacy transaction without replay protection.
	chain_id: Option<U256>,
	nonce: U256,
	gas: U256,
	/// The most it may pay per gas: `gasPrice`, or `maxFeePerGas` for EIP-1559 and later.
	gas_price: U256,
	value: U256,
}

impl TransactionTerms {
	fn of(transaction: TransactionUnsigned) -> Self {
		use TransactionUnsigned::*;
		match transaction {
			TransactionLegacyUnsigned(tx) => Self {
				chain_id: tx.chain_id,
				nonce: tx.nonce,
				gas: tx.gas,
				gas_price: tx.gas_price,
				value: tx.value,
			},
			Transaction2930Unsigned(tx) => Self {
				chain_id: Some(tx.chain_id),
				nonce: tx.nonce,
				gas: tx.gas,
				gas_price: tx.gas_price,
				value: tx.value,
			},
			Transaction1559Unsigned(tx) => Self {
				chain_id: Some(tx.chain_id),
				nonce: tx.nonce,
				gas: tx.gas,
				gas_price: tx.max_fee_per_gas,
				value: tx.value,
			},
			Transaction4844Unsigned(tx) => Self {
				chain_id: Some(tx.chain_id),
				nonce: tx.nonce,
				gas: tx.gas,
				gas_price: tx.max_fee_per_gas,
				value: tx.value,
			},
			Transaction7702Unsigned(tx) => Self {
				chain_id: Some(tx.chain_id),
				nonce: tx.nonce,
				gas: tx.gas,
				gas_price: tx.max_fee_per_gas,
				value: tx.value,
			},
		}
	}
}

/// Reads until the end of the request head; returns its length (the blank line included).
fn read_head(client: &mut impl Read, received: &mut Vec<u8>) -> io::Result<usize> {
	loop {
		if let Some(end) = find(received, b"\r\n\r\n") {
			return Ok(end + 4);
		}
		if received.len() > MAX_HEAD_BYTES {
			return Err(io::Error::new(io::ErrorKind::InvalidData, "request head too large"));
		}
		let mut buffer = [0u8; 4096];
		let read = client.read(&mut buffer)?;
		if read == 0 {
			return Err(io::ErrorKind::UnexpectedEof.into());
		}
		received.extend_from_slice(&buffer[..read]);
	}
}

/// The value of header `name` (case-insensitive) in a request head.
fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
	head.lines().skip(1).find_map(|line| {
		let (key, value) = line.split_once(':')?;
		key.trim().eq_ignore_ascii_case(name).then(|| value.trim())
	})
}

/// The request head with its `Connection` header replaced by `Connection: close`.
fn with_connection_close(head: &str) -> String {
	let mut lines: Vec<&str> = head
		.trim_end_matches("\r\n")
		.split("\r\n")
		.filter(|line| {
			!line
				.split_once(':')
				.is_some_and(|(key, _)| key.trim().eq_ignore_ascii_case("connection"))
		})
		.collect();
	lines.push("Connection: close");
	lines.join("\r\n") + "\r\n\r\n"
}

/// Copies bytes both ways until either side closes.
fn pipe(mut client: TcpStream, mut adapter: TcpStream) -> io::Result<()> {
	let (mut client_reader, mut adapter_writer) = (client.try_clone()?, adapter.try_clone()?);
	let upstream = thread::spawn(move || {
		let _ = io::copy(&mut client_reader, &mut adapter_writer);
		let _ = adapter_writer.shutdown(Shutdown::Write);
	});
	let _ = io::copy(&mut adapter, &mut client);
	let _ = client.shutdown(Shutdown::Both);
	let _ = upstream.join();
	Ok(())
}

/// Position of `needle` in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
	haystack.windows(needle.len()).position(|window| window == needle)
}

/// A free TCP port on loopback for the adapter behind the guard.
pub fn free_loopback_port() -> io::Result<u16> {
	Ok(TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))?.local_addr()?.port())
}

#[cfg(test)]
mod tests {
	use super::*;

	/// Fuzz target: any bytes a stranger sends to the public Ethereum port, through the guard's
	/// request parsing and its transaction checks. None panics; a request head is found only
	/// where it ends; the relayed head asks for exactly one `Connection: close`.
	#[test]
	fn fuzz_guard_request_parsing() {
		// Nothing listens on the adapter's port: queries fail fast and let the request through.
		let guard = Guard {
			listen: SocketAddr::from(([127, 0, 0, 1], 0)),
			adapter_port: Arc::new(AtomicU16::new(free_loopback_port().unwrap())),
			chain_id: 16900,
			cors_any: false,
		};
		arbtest::arbtest(|u| {
			let mut input = Vec::new();
			if u.ratio(3, 4)? {
				let method = *u.choose(&["POST", "GET", "OPTIONS", "P\0ST"])?;
				input.extend(format!("{method} / HTTP/1.1\r\n").into_bytes());
				for _ in 0..u.int_in_range(0..=6)? {
					let name =
						*u.choose(&["Content-Length", "connection", "Upgrade", "Origin", "X"])?;
					let value: String = u.arbitrary()?;
					input.extend(format!("{name}: {value}\r\n").into_bytes());
				}
				input.extend(b"\r\n");
			}
			input.extend({
				let len = u.int_in_range(0..=300)?;
				u.bytes(len)
			}?);

			let mut received = Vec::new();
			match read_head(&mut io::Cursor::new(&input), &mut received) {
				Ok(length) => {
					assert!(length <= received.len() && received[..length].ends_with(b"\r\n\r\n"));
					let head = String::from_utf8_lossy(&received[..length]).into_owned();
					let _ = header(&head, "content-length").map(str::parse::<usize>);
					let relayed = with_connection_close(&head);
					let closes = relayed
						.lines()
						.filter(|line| line.to_ascii_lowercase().starts_with("connection:"))
						.count();
					assert_eq!(closes, 1, "{relayed:?}");
				},
				Err(_) => {
					assert!(find(&input, b"\r\n\r\n").is_none() || input.len() > MAX_HEAD_BYTES)
				},
			}

			// A body: a JSON request with raw transaction bytes, or noise.
			let body = if u.arbitrary()? {
				let raw = {
					let len = u.int_in_range(0..=200)?;
					u.bytes(len)
				}?;
				json!({"jsonrpc": "2.0", "id": 1, "method": "eth_sendRawTransaction",
					"params": [format!("0x{}", zerog_primitives::hex::to_hex(raw))]})
				.to_string()
				.into_bytes()
			} else {
				{
					let len = u.int_in_range(0..=200)?;
					u.bytes(len)
				}?
				.to_vec()
			};
			if let Some(refusal) = guard.refusal(&body) {
				assert_eq!(refusal["error"]["code"], REFUSED);
			}
			Ok(())
		});
	}

	#[test]
	fn headers_are_found_whatever_their_case() {
		let head = "POST / HTTP/1.1\r\nContent-Length: 12\r\nconnection: keep-alive\r\n\r\n";
		assert_eq!(header(head, "content-length"), Some("12"));
		assert_eq!(header(head, "Connection"), Some("keep-alive"));
		assert_eq!(header(head, "upgrade"), None);
	}

	#[test]
	fn the_relayed_head_asks_the_adapter_to_close() {
		let head = "POST / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n";
		assert_eq!(
			with_connection_close(head),
			"POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
		);
	}
}
