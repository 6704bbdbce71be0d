//! The checked-in chain specs are exactly what the node generates from the runtime's presets.
//! Regenerate them with `./chain-specs/generate.sh` when this fails.

use zerog_e2e_tests::{run_node_command, workspace_root};

fn assert_fresh(chain: &str, file: &str) {
	let output = run_node_command(&["build-spec", "--chain", chain, "--raw", "--disable-default-bootnode"]);
	assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
	let generated: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
	let path = workspace_root().join("chain-specs").join(file);
	let checked_in: serde_json::Value = serde_json::from_slice(
		&std::fs::read(&path).unwrap_or_else(|e| panic!("{} is readable: {e}", path.display())),
	)
	.unwrap_or_else(|e| panic!("{} is JSON: {e}", path.display()));
	assert!(
		generated == checked_in,
		"{} is stale: run ./chain-specs/generate.sh and commit the result",
		path.display()
	);
}

#[test]
fn local_chain_spec_is_fresh() {
	assert_fresh("local", "local.json");
}

#[test]
fn testnet_chain_spec_is_fresh() {
	assert_fresh("testnet", "testnet.json");
}
