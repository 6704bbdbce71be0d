//! The command line: bad input is refused with a message and a non-zero exit; subcommands work.

use std::time::Duration;

use zerog_e2e_tests::{run_node_command, Node, NodeConfig};

fn stderr_of(output: &std::process::Output) -> String {
	String::from_utf8_lossy(&output.stderr).into_owned() + &String::from_utf8_lossy(&output.stdout)
}

#[test]
fn unknown_chain_exits_non_zero_and_names_the_problem() {
	let output = run_node_command(&["--chain", "no-such-chain", "--tmp"]);
	assert!(!output.status.success());
	let message = stderr_of(&output);
	assert!(message.contains("Unknown chain 'no-such-chain'"), "message: {message}");
	assert!(message.contains("dev, local, testnet"), "lists the built-in chains: {message}");
}

#[test]
fn corrupt_chain_spec_file_exits_non_zero_and_names_the_file() {
	let dir = tempfile::tempdir().unwrap();
	let path = dir.path().join("corrupt.json");
	std::fs::write(&path, b"{ \"name\": \"half a chain spec\", ").unwrap();
	let output = run_node_command(&["--chain", path.to_str().unwrap(), "--tmp"]);
	assert!(!output.status.success());
	let message = stderr_of(&output);
	assert!(message.contains("is not a valid ZeroG chain spec"), "message: {message}");
	assert!(message.contains("corrupt.json"), "names the file: {message}");
}

#[test]
fn help_explains_how_to_start() {
	let output = run_node_command(&["--help"]);
	assert!(output.status.success());
	let help = String::from_utf8_lossy(&output.stdout);
	assert!(help.contains("zerog-node --dev"), "help: {help}");
	for subcommand in [
		"build-spec",
		"check-block",
		"export-blocks",
		"import-blocks",
		"purge-chain",
		"revert",
		"key",
	] {
		assert!(help.contains(subcommand), "help lists {subcommand}");
	}
}

#[test]
fn key_generate_prints_a_key() {
	let output =
		run_node_command(&["key", "generate", "--scheme", "sr25519", "--output-type", "json"]);
	assert!(output.status.success(), "{}", stderr_of(&output));
	let key: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
	assert!(key["secretPhrase"].as_str().is_some());
}

#[tokio::test(flavor = "multi_thread")]
async fn maintenance_subcommands_work_on_a_real_database() {
	let dir = tempfile::tempdir().unwrap();
	let db = dir.path().join("db");
	let base = db.to_str().unwrap();
	let mut config = NodeConfig::dev("dev-maintenance");
	config.base_path = Some(db.clone());
	let mut node = Node::start(config);
	node.wait_for_best(4, Duration::from_secs(60)).await;
	node.kill();

	// Blocks 1..=3 go to a file and into a second, empty database.
	let exported = dir.path().join("blocks.json");
	let output = run_node_command(&[
		"export-blocks",
		"--dev",
		"--base-path",
		base,
		"--from",
		"1",
		"--to",
		"3",
		exported.to_str().unwrap(),
	]);
	assert!(output.status.success(), "{}", stderr_of(&output));
	let other = dir.path().join("other");
	let output = run_node_command(&[
		"import-blocks",
		"--dev",
		"--base-path",
		other.to_str().unwrap(),
		exported.to_str().unwrap(),
	]);
	assert!(output.status.success(), "{}", stderr_of(&output));
	let output = run_node_command(&["chain-info", "--dev", "--base-path", other.to_str().unwrap()]);
	assert!(output.status.success(), "{}", stderr_of(&output));
	let info: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
	assert_eq!(info["best_number"], 3, "the imported blocks are the best chain: {info}");

	let output = run_node_command(&["check-block", "--dev", "--base-path", base, "2"]);
	assert!(output.status.success(), "{}", stderr_of(&output));

	let output = run_node_command(&["revert", "--dev", "--base-path", base, "1"]);
	assert!(output.status.success(), "{}", stderr_of(&output));

	let output = run_node_command(&["purge-chain", "--dev", "--base-path", base, "-y"]);
	assert!(output.status.success(), "{}", stderr_of(&output));
	assert!(!db.join("chains/zerog_dev/db").exists(), "the chain database is gone");
}
