//! Builds the wasm runtime blob that the node embeds (only for the native, `std` build).

#[cfg(feature = "std")]
fn main() {
	use polkadot_sdk::substrate_wasm_builder::WasmBuilder;

	// Panic locations embed source paths: keep the checkout's absolute path out of the blob.
	// (The blob still differs between checkouts, see tests/tests/chain_specs.rs.)
	let manifest_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
	let workspace = manifest_dir.parent().unwrap_or(manifest_dir);
	let builder = WasmBuilder::init_with_defaults()
		.append_to_rust_flags(format!("--remap-path-prefix={}=zerog", workspace.display()));

	#[cfg(feature = "metadata-hash")]
	let builder = builder.enable_metadata_hash(zerog_token::SYMBOL, zerog_token::DECIMALS);

	builder.build();
}

#[cfg(not(feature = "std"))]
fn main() {}

/// Must match `zerog_primitives::units` (a build script cannot depend on the runtime's no_std deps).
#[cfg(all(feature = "std", feature = "metadata-hash"))]
mod zerog_token {
	pub const SYMBOL: &str = "ZG";
	pub const DECIMALS: u8 = 18;
}
