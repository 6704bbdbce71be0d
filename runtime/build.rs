//! Builds the wasm runtime blob that the node embeds (only for the native, `std` build).

#[cfg(all(feature = "std", feature = "metadata-hash"))]
fn main() {
	polkadot_sdk::substrate_wasm_builder::WasmBuilder::init_with_defaults()
		.enable_metadata_hash(zerog_token::SYMBOL, zerog_token::DECIMALS)
		.build();
}

#[cfg(all(feature = "std", not(feature = "metadata-hash")))]
fn main() {
	polkadot_sdk::substrate_wasm_builder::WasmBuilder::build_using_defaults();
}

#[cfg(not(feature = "std"))]
fn main() {}

/// Must match `zerog_primitives::units` (a build script cannot depend on the runtime's no_std deps).
#[cfg(all(feature = "std", feature = "metadata-hash"))]
mod zerog_token {
	pub const SYMBOL: &str = "ZG";
	pub const DECIMALS: u8 = 18;
}
