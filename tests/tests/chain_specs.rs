//! The checked-in chain specs are what the node generates from the runtime's presets.
//! Regenerate them with `./chain-specs/generate.sh` when this fails.
//!
//! Everything is compared exactly except the runtime code's bytes: the wasm builder identifies
//! the runtime's crates by their absolute paths, which changes code generation, so the same
//! sources built in another checkout (CI's) give a different but equivalent blob. The code is
//! therefore compared by what identifies a runtime to the chain and its clients: its version
//! (spec name and version, transaction version) and the runtime APIs it implements. A change of
//! runtime logic bumps `spec_version`, which makes the checked-in spec stale here.

use serde_json::Value;
use zerog_e2e_tests::{run_node_command, workspace_root};

/// Storage key of the runtime code, `:code`, as it appears in a raw chain spec.
const CODE_KEY: &str = "0x3a636f6465";

/// Prefix of a zstd-compressed runtime blob (`sp-maybe-compressed-blob`).
const ZSTD_PREFIX: [u8; 8] = [82, 188, 83, 118, 70, 219, 142, 5];

fn assert_fresh(chain: &str, file: &str) {
	let output =
		run_node_command(&["build-spec", "--chain", chain, "--raw", "--disable-default-bootnode"]);
	assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
	let mut generated: Value = serde_json::from_slice(&output.stdout).unwrap();
	let path = workspace_root().join("chain-specs").join(file);
	let mut checked_in: Value = serde_json::from_slice(
		&std::fs::read(&path).unwrap_or_else(|e| panic!("{} is readable: {e}", path.display())),
	)
	.unwrap_or_else(|e| panic!("{} is JSON: {e}", path.display()));

	let stale =
		format!("{} is stale: run ./chain-specs/generate.sh and commit the result", path.display());
	let generated_code = take_code(&mut generated);
	let checked_in_code = take_code(&mut checked_in);
	assert!(generated == checked_in, "{stale} (genesis state or spec fields differ)");
	assert_eq!(
		runtime_identity(&generated_code),
		runtime_identity(&checked_in_code),
		"{stale} (runtime version or APIs differ)"
	);
}

/// Removes the runtime code from a raw chain spec and returns it, decoded from hex.
fn take_code(spec: &mut Value) -> Vec<u8> {
	let code = spec["genesis"]["raw"]["top"]
		.as_object_mut()
		.and_then(|top| top.remove(CODE_KEY))
		.expect("a raw chain spec holds the runtime code");
	decode_hex(code.as_str().expect("the code is a hex string"))
}

/// The `runtime_version` and (sorted) `runtime_apis` custom sections of a (compressed) runtime
/// blob, sorted by name.
fn runtime_identity(blob: &[u8]) -> Vec<(String, Vec<u8>)> {
	let wasm = match blob.strip_prefix(&ZSTD_PREFIX) {
		Some(compressed) => zstd::decode_all(compressed).expect("the code decompresses"),
		None => blob.to_vec(),
	};
	assert!(wasm.starts_with(b"\0asm"), "the code is a wasm module");
	let mut sections = Vec::new();
	let mut position = 8;
	while position < wasm.len() {
		let id = wasm[position];
		position += 1;
		let size = read_leb128(&wasm, &mut position);
		let end = position + size;
		if id == 0 {
			let mut name_start = position;
			let name_len = read_leb128(&wasm, &mut name_start);
			let name =
				String::from_utf8_lossy(&wasm[name_start..name_start + name_len]).into_owned();
			let content = &wasm[name_start + name_len..end];
			if name == "runtime_version" {
				sections.push((name, content.to_vec()));
			} else if name == "runtime_apis" {
				// (API id, version) records of 12 bytes, in link order, which varies with
				// code generation too: compared as a set.
				let mut records: Vec<&[u8]> = content.chunks(12).collect();
				records.sort();
				sections.push((name, records.concat()));
			}
		}
		position = end;
	}
	assert!(sections.iter().any(|(name, _)| name == "runtime_version"), "the code has a version");
	// The sections themselves are in link order as well: two builds of the same runtime from
	// different checkouts put them either way round.
	sections.sort();
	sections
}

/// An unsigned LEB128 number at `position`, which is moved past it.
fn read_leb128(bytes: &[u8], position: &mut usize) -> usize {
	let (mut value, mut shift) = (0usize, 0);
	loop {
		let byte = bytes[*position];
		*position += 1;
		value |= ((byte & 0x7f) as usize) << shift;
		if byte & 0x80 == 0 {
			return value;
		}
		shift += 7;
	}
}

fn decode_hex(hex: &str) -> Vec<u8> {
	let digits = hex.trim_start_matches("0x").as_bytes();
	digits
		.chunks(2)
		.map(|pair| u8::from_str_radix(std::str::from_utf8(pair).unwrap(), 16).expect("hex digits"))
		.collect()
}

#[test]
fn local_chain_spec_is_fresh() {
	assert_fresh("local", "local.json");
}

#[test]
fn testnet_chain_spec_is_fresh() {
	assert_fresh("testnet", "testnet.json");
}

/// `zerog-node check-spec --chain SPEC`: exit status and everything it printed.
fn check_spec(chain: &str) -> (bool, String) {
	let output = run_node_command(&["check-spec", "--chain", chain]);
	let text = String::from_utf8_lossy(&output.stdout).into_owned()
		+ &String::from_utf8_lossy(&output.stderr);
	(output.status.success(), text)
}

/// Issue 16: the public testnet names no development key and no sudo key, built in or checked in.
#[test]
fn the_testnet_spec_passes_the_public_spec_check() {
	for chain in ["testnet", workspace_root().join("chain-specs/testnet.json").to_str().unwrap()] {
		let (ok, text) = check_spec(chain);
		assert!(ok, "{chain}: {text}");
		assert!(text.contains("(Live): no development key and no sudo key"), "{chain}: {text}");
	}
	// Development chains are expected to hold development keys: reported, not refused.
	let (ok, text) = check_spec("local");
	assert!(ok && text.contains("Local chain"), "{text}");
}

/// Issue 16: a `Live` spec with the local network's genesis (`//Alice` authors, sudo, funded
/// dev accounts) is refused, each finding named.
#[test]
fn a_live_spec_with_development_keys_is_refused() {
	let path = workspace_root().join("chain-specs/local.json");
	let mut spec: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
	spec["chainType"] = Value::from("Live");
	let dir = tempfile::tempdir().unwrap();
	let live = dir.path().join("live.json");
	std::fs::write(&live, serde_json::to_vec(&spec).unwrap()).unwrap();

	let (ok, text) = check_spec(live.to_str().unwrap());
	assert!(!ok, "a Live spec with //Alice passes: {text}");
	for finding in [
		"//Alice (sr25519) is in the value of Aura storage",
		"//Alice (ed25519) is in the value of Grandpa storage",
		"//Bob//stash (sr25519) is in a storage key of System storage",
		"it sets a sudo key (Sudo.Key)",
		"Ethereum dev account 0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266",
		"generate keys with the key ceremony",
	] {
		assert!(text.contains(finding), "missing '{finding}' in: {text}");
	}
}

/// Issue 16: `zerog` refuses to sign with a well-known development key on a `Live` chain,
/// whichever way the key was given, unless `--allow-dev-key`; on the same chain with the same
/// key and the flag the transaction goes through.
#[tokio::test(flavor = "multi_thread")]
async fn the_client_refuses_a_development_key_on_a_live_chain() {
	use std::os::unix::fs::PermissionsExt;
	use zerog_e2e_tests::{cli_binary, Node, NodeConfig};

	let output =
		run_node_command(&["build-spec", "--chain", "dev", "--raw", "--disable-default-bootnode"]);
	assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
	let mut spec: Value = serde_json::from_slice(&output.stdout).unwrap();
	spec["chainType"] = Value::from("Live");
	let dir = tempfile::tempdir().unwrap();
	let path = dir.path().join("live-dev.json");
	std::fs::write(&path, serde_json::to_vec(&spec).unwrap()).unwrap();
	let node = Node::start(NodeConfig::chain("live-dev", path.to_str().unwrap()).args([
		"--alice",
		"--validator",
		"--node-key",
		"0000000000000000000000000000000000000000000000000000000000000001",
	]));
	node.wait_for_best(1, std::time::Duration::from_secs(60)).await;

	let rpc = node.ws_url();
	let deposit = |extra: &[&str], env: Option<&str>| {
		let mut command = std::process::Command::new(cli_binary());
		command.args(["--rpc", &rpc, "compute", "deposit", "1ZG"]).args(extra);
		command.env_remove("ZEROG_SURI");
		if let Some(suri) = env {
			command.env("ZEROG_SURI", suri);
		}
		let output = command.output().expect("zerog starts");
		let text = String::from_utf8_lossy(&output.stdout).into_owned()
			+ &String::from_utf8_lossy(&output.stderr);
		(output.status.success(), text)
	};
	let key_file = dir.path().join("bob.key");
	std::fs::write(&key_file, "//Bob\n").unwrap();
	std::fs::set_permissions(&key_file, std::fs::Permissions::from_mode(0o600)).unwrap();
	let key_file = key_file.to_str().unwrap();

	for (extra, env, name) in [
		(&[][..], None, "//Alice"),
		(&["--suri", "//Charlie"][..], None, "//Charlie"),
		(&["--suri-file", key_file][..], None, "//Bob"),
		(&[][..], Some("//Dave//stash"), "//Dave//stash"),
	] {
		let (ok, text) = deposit(extra, env);
		assert!(!ok, "{name} signed on a Live chain: {text}");
		assert!(
			text.contains(&format!("{name} is a publicly known development key"))
				&& text.contains("--allow-dev-key"),
			"{name}: {text}"
		);
	}
	let (ok, text) = deposit(&["--allow-dev-key"], None);
	assert!(ok, "--allow-dev-key: {text}");
	let (ok, text) = deposit(&["--suri-file", key_file, "--allow-dev-key"], None);
	assert!(ok, "--suri-file with --allow-dev-key: {text}");
}
