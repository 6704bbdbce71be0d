//! The `zerog` command line as a library: its commands (`zerog storage`, `zerog da`,
//! `zerog compute`) over `zerog_client`, which holds everything that talks to a node.
//!
//! - [`storage`]: `zerog storage` (hash a file into its merkle tree, commit it, upload,
//!   download, inspect).
//! - [`da`]: erasure-coded blobs.
//! - [`compute`]: `zerog compute` (services, ledger, jobs, chat through a gateway).
//! - [`market`]: `zerog market` (models and datasets: assets, grants, sealed keys).
//! - [`signer`]: `--suri`, `--suri-file` and `ZEROG_SURI`.

pub mod compute;
pub mod da;
pub mod market;
pub mod signer;
pub mod storage;

// The client's modules under the paths the commands use (`crate::chain`, `crate::error`, ...).
pub use zerog_client::{
	account, amount, chain, error, hexstr, progress, replicas, secrets, transfer, value,
};
