//! Plain HTTP/1.1 requests over a TCP stream, as op-alt-da's client sends them, and a tiny
//! JSON-RPC server for tests that stand in for a node.

use std::{
	io::{Read, Write},
	net::{TcpListener, TcpStream},
	time::Duration,
};

/// An HTTP answer: status and body.
#[derive(Debug)]
pub struct Answer {
	/// The status code.
	pub status: u16,
	/// The body, whole.
	pub body: Vec<u8>,
}

impl Answer {
	/// The body as text, for messages.
	pub fn text(&self) -> String {
		String::from_utf8_lossy(&self.body).into_owned()
	}
}

/// Sends `method path` with `body` (`application/octet-stream`) to `127.0.0.1:port` and reads
/// the whole answer; waits at most `timeout` for it.
pub fn request(
	port: u16,
	method: &str,
	path: &str,
	body: &[u8],
	timeout: Duration,
) -> std::io::Result<Answer> {
	let mut stream = TcpStream::connect(("127.0.0.1", port))?;
	stream.set_read_timeout(Some(timeout))?;
	let head = format!(
		"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: \
		 application/octet-stream\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
		body.len()
	);
	stream.write_all(head.as_bytes())?;
	stream.write_all(body)?;
	let mut raw = Vec::new();
	stream.read_to_end(&mut raw)?;
	parse_answer(&raw)
}

/// Splits a raw HTTP/1.1 answer (`Connection: close`, no chunking) into status and body.
fn parse_answer(raw: &[u8]) -> std::io::Result<Answer> {
	let invalid =
		|what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_owned());
	let split = raw
		.windows(4)
		.position(|window| window == b"\r\n\r\n")
		.ok_or_else(|| invalid("no header end"))?;
	let head = String::from_utf8_lossy(&raw[..split]);
	let status = head
		.split_whitespace()
		.nth(1)
		.and_then(|code| code.parse().ok())
		.ok_or_else(|| invalid("no status"))?;
	Ok(Answer { status, body: raw[split + 4..].to_vec() })
}

/// Serves JSON-RPC over HTTP on a reserved port in a background thread: every request body is
/// handed to `answer`, whose JSON value is sent back. For tests that need a misbehaving node.
pub fn serve_json_rpc(
	answer: impl Fn(serde_json::Value) -> serde_json::Value + Send + 'static,
) -> u16 {
	let port = crate::reserve_port();
	let listener = TcpListener::bind(("127.0.0.1", port)).expect("the reserved port binds");
	std::thread::spawn(move || {
		for stream in listener.incoming().flatten() {
			let _ = answer_one(stream, &answer);
		}
	});
	port
}

/// Reads one request from `stream` and writes `answer`'s reply.
fn answer_one(
	mut stream: TcpStream,
	answer: &impl Fn(serde_json::Value) -> serde_json::Value,
) -> std::io::Result<()> {
	stream.set_read_timeout(Some(Duration::from_secs(30)))?;
	let mut raw = Vec::new();
	let mut buffer = [0u8; 64 * 1024];
	let (head_end, length) = loop {
		let read = stream.read(&mut buffer)?;
		if read == 0 {
			return Ok(());
		}
		raw.extend_from_slice(&buffer[..read]);
		if let Some(end) = raw.windows(4).position(|window| window == b"\r\n\r\n") {
			let head = String::from_utf8_lossy(&raw[..end]).to_ascii_lowercase();
			let length = head
				.lines()
				.find_map(|line| line.strip_prefix("content-length:"))
				.and_then(|value| value.trim().parse::<usize>().ok())
				.unwrap_or(0);
			break (end + 4, length);
		}
	};
	while raw.len() < head_end + length {
		let read = stream.read(&mut buffer)?;
		if read == 0 {
			break;
		}
		raw.extend_from_slice(&buffer[..read]);
	}
	let request: serde_json::Value =
		serde_json::from_slice(&raw[head_end..]).unwrap_or(serde_json::Value::Null);
	let body = answer(request).to_string();
	let reply = format!(
		"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: \
		 close\r\n\r\n{body}",
		body.len()
	);
	stream.write_all(reply.as_bytes())
}
