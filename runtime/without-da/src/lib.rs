//! The ZeroG runtime without its DA pallet: `zerog-runtime` with the features `storage` and
//! `compute` only ([appchain](../../../docs/appchain.md)). In the wasm build this crate links
//! the runtime (whose exported API functions and version sections make the blob); natively it
//! is the blob: [`WASM_BINARY`].

#![cfg_attr(not(feature = "std"), no_std)]

#[cfg(feature = "runtime")]
pub use zerog_runtime;

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));
