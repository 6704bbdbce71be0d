//! `zerog-node benchmark` in the node that chains run: `overhead` builds real ZeroG blocks (the
//! slot's pre-digest, the timestamp and the author's VRF reveal) and writes the base weights;
//! the subcommands that need a `runtime-benchmarks` build or wiring the node does not have are
//! refused with a message that says what to do, and a non-zero exit, instead of running
//! half-configured.

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
	refused(
		&["benchmark", "block", "--dev", "--from", "1", "--to", "1", "--base-path", base],
		"not wired",
	);
}

/// The numbers of `pub const <name>: Weight = Weight::from_parts(... (<ns>), <proof>)` in a
/// generated file: nanoseconds of ref time.
fn nanoseconds_in(file: &str, constant: &str) -> u64 {
	let after = file.split(constant).nth(1).unwrap_or_else(|| panic!("{constant} in {file}"));
	let digits: String = after
		.split("saturating_mul(")
		.nth(1)
		.unwrap()
		.chars()
		.take_while(|c| c.is_ascii_digit() || *c == '_')
		.filter(|c| *c != '_')
		.collect();
	digits.parse().unwrap()
}

#[test]
fn overhead_builds_zerog_blocks_and_writes_the_base_weights() {
	let dir = tempfile::tempdir().unwrap();
	let base = dir.path().join("db");
	let out = dir.path().join("weights");
	std::fs::create_dir(&out).unwrap();
	let output = run_node_command(&[
		"benchmark",
		"overhead",
		"--dev",
		"--base-path",
		base.to_str().unwrap(),
		"--weight-path",
		out.to_str().unwrap(),
		"--warmup",
		"1",
		"--repeat",
		"3",
		"--max-ext-per-block",
		"200",
	]);
	let stderr = String::from_utf8_lossy(&output.stderr);
	assert!(output.status.success(), "benchmark overhead: {stderr}");

	let block = std::fs::read_to_string(out.join("block_weights.rs")).unwrap();
	let extrinsic = std::fs::read_to_string(out.join("extrinsic_weights.rs")).unwrap();
	// An empty ZeroG block runs every pallet's hooks and the VRF reveal: more than nothing, far
	// less than a slot. A remark (with its signature check and fee) likewise.
	let block_ns = nanoseconds_in(&block, "BlockExecutionWeight");
	let extrinsic_ns = nanoseconds_in(&extrinsic, "ExtrinsicBaseWeight");
	assert!((10_000..100_000_000).contains(&block_ns), "block overhead {block_ns} ns");
	assert!((1_000..10_000_000).contains(&extrinsic_ns), "extrinsic overhead {extrinsic_ns} ns");
}
