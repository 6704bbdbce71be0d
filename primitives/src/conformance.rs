//! Cross-language conformance vectors (`sdk/conformance/*.json`): files the Rust code writes and
//! the TypeScript SDK's tests check themselves against, so the two implementations cannot drift.

/// The environment variable that makes [`check_or_write`] rewrite the vectors.
pub const WRITE_VARIABLE: &str = "ZEROG_WRITE_CONFORMANCE";

/// Fails (for a test) unless the file at `path` holds exactly `computed`; with
/// [`WRITE_VARIABLE`] set, writes `computed` there first. A deliberate change is regenerated
/// and shows up in review as changed vectors the SDK must follow.
pub fn check_or_write(path: &str, computed: &str) {
	if std::env::var_os(WRITE_VARIABLE).is_some() {
		let parent = std::path::Path::new(path).parent().expect("a file path");
		std::fs::create_dir_all(parent).expect("the vectors' folder can be created");
		std::fs::write(path, computed).expect("the vectors can be written");
	}
	let committed = std::fs::read_to_string(path).unwrap_or_default();
	assert!(
		committed == computed,
		"{path} is not what the Rust code computes; if the change is meant, regenerate it with \
		 {WRITE_VARIABLE}=1 cargo test --release --workspace --lib -- conformance, and make the \
		 TypeScript SDK agree"
	);
}
