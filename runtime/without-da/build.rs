//! Builds the wasm of the ZeroG runtime without DA (only for the native, `std` build).

#[cfg(feature = "std")]
fn main() {
	use polkadot_sdk::substrate_wasm_builder::WasmBuilder;

	let manifest_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
	let workspace = manifest_dir.ancestors().nth(2).unwrap_or(manifest_dir);
	WasmBuilder::init_with_defaults()
		.enable_feature("runtime")
		.append_to_rust_flags(format!("--remap-path-prefix={}=zerog", workspace.display()))
		.build();
}

#[cfg(not(feature = "std"))]
fn main() {}
