//! Builds the wasm runtime blob that the node embeds (only for the native, `std` build).

#[cfg(feature = "std")]
fn main() {
	use polkadot_sdk::substrate_wasm_builder::WasmBuilder;

	// Panic locations embed source paths. Strip the checkout's absolute path so the same commit
	// gives the same wasm (and the same chain specs) wherever it is cloned.
	let workspace = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
		.parent()
		.expect("the runtime lives in the workspace");
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
