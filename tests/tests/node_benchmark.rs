//! `zerog-node benchmark` in the node that chains run: the subcommands that need a
//! `runtime-benchmarks` build or wiring the node does not have are refused with a message that
//! says what to do, and a non-zero exit, instead of running half-configured.

use zerog_e2e_tests::run_node_command;

fn refused(args: &[&str], says: &str) {
	let output = run_node_command(args);
	let stderr = String::from_utf8_lossy(&output.stderr);
	assert!(!output.status.success(), "{args:?} must fail: {stderr}");
	assert!(stderr.contains(says), "{args:?} says {says:?}: {stderr}");
}

#[test]
fn benchmarks_that_this_build_cannot_run_are_refused_with_the_way_forward() {
	let dir = tempfile::tempdir().unwrap();
	let base = dir.path().to_str().unwrap();
	refused(
		&["benchmark", "storage", "--dev", "--state-version", "1", "--base-path", base],
		"runtime/benchmarking/db-weights.sh",
	);
	refused(&["benchmark", "overhead", "--dev", "--base-path", base], "not wired");
}
