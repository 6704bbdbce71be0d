//! The marketplace of models and datasets (`pallet-marketplace`) from a client's side:
//!
//! - [`on_chain`]: assets, grants and encryption keys through the `MarketplaceApi` runtime API;
//! - [`keys`]: an account's x25519 key (derived from its signing key), content keys, key files;
//! - [`files`]: encrypting a file before upload and decrypting one after download, streamed
//!   chunk by chunk in `zerog_primitives::encryption`'s format.

pub mod files;
pub mod keys;
pub mod on_chain;

/// The pallet's name in the runtime.
pub const PALLET: &str = "Marketplace";
