//! Running the `zerog` client against a node, and the byte helpers its tests share.

use std::process::Output;

use serde_json::Value as Json;
use subxt::rpcs::Error as RpcError;

use crate::{run_cli, Node};

/// `len` pseudo-random bytes from `seed` (xorshift64*): incompressible and reproducible.
pub fn random_bytes(len: usize, seed: u64) -> Vec<u8> {
	let mut state = seed | 1;
	let mut bytes = Vec::with_capacity(len + 8);
	while bytes.len() < len {
		state ^= state >> 12;
		state ^= state << 25;
		state ^= state >> 27;
		bytes.extend_from_slice(&state.wrapping_mul(0x2545_F491_4F6C_DD1D).to_le_bytes());
	}
	bytes.truncate(len);
	bytes
}

/// `0x`-prefixed lowercase hex, as the node's RPC takes bytes.
pub fn hex(bytes: &[u8]) -> String {
	bytes.iter().fold(String::from("0x"), |mut out, byte| {
		out.push_str(&format!("{byte:02x}"));
		out
	})
}

/// Bytes of hex the node answered with.
pub fn unhex(text: &str) -> Vec<u8> {
	let digits = text.trim_start_matches("0x");
	(0..digits.len())
		.step_by(2)
		.map(|i| u8::from_str_radix(&digits[i..i + 2], 16).expect("the node answers hex"))
		.collect()
}

/// Exit status, stdout and stderr of a finished command, for failure messages.
pub fn output_text(output: &Output) -> String {
	format!(
		"exit {}\nstdout:\n{}\nstderr:\n{}",
		output.status,
		String::from_utf8_lossy(&output.stdout),
		String::from_utf8_lossy(&output.stderr)
	)
}

/// Runs `zerog --rpc <node> args...`, asserts it succeeded and returns its stdout.
pub fn zerog_ok(node: &Node, args: &[&str]) -> String {
	let url = node.ws_url();
	let mut all = vec!["--rpc", url.as_str()];
	all.extend_from_slice(args);
	let output = run_cli(&all);
	assert!(output.status.success(), "zerog {args:?} failed:\n{}", output_text(&output));
	String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Runs `zerog --rpc <node> args... --json` and parses the JSON object it prints.
pub fn zerog_json(node: &Node, args: &[&str]) -> Json {
	let mut all = args.to_vec();
	all.push("--json");
	let stdout = zerog_ok(node, &all);
	serde_json::from_str(stdout.trim()).unwrap_or_else(|error| {
		panic!("zerog {args:?} --json printed no JSON object ({error}):\n{stdout}")
	})
}

/// Runs `zerog --rpc <node> args...`, asserts it failed, and returns its stderr.
pub fn zerog_fails(node: &Node, args: &[&str]) -> String {
	let url = node.ws_url();
	let mut all = vec!["--rpc", url.as_str()];
	all.extend_from_slice(args);
	let output = run_cli(&all);
	assert!(
		!output.status.success(),
		"zerog {args:?} should have failed:\n{}",
		output_text(&output)
	);
	String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The JSON-RPC error code and message of a refused call.
pub fn refusal_code(result: Result<Json, RpcError>) -> (i32, String) {
	match result {
		Err(RpcError::User(error)) => (error.code, error.message),
		other => panic!("expected a JSON-RPC refusal, got {other:?}"),
	}
}
