//! The `zerog` client as a library: the node's storage and DA data plane, transactions, and the
//! compute marketplace, for the `zerog` binary and for programs such as `zerog-executor` that
//! need the same verified storage transfers.
//!
//! - [`rpc`]: typed `storage_*` / `da_*` JSON-RPC client ([`rpc::NodeRpc`]).
//! - [`storage`]: `zerog storage` (hash a file into its merkle tree, commit it, upload,
//!   download, inspect).
//! - [`transfer`]: segments over the nodes' data planes: upload to one node
//!   ([`transfer::upload_segments`]), download from several in parallel, verifying every segment
//!   ([`transfer::download_verified`]).
//! - [`da`]: erasure-coded blobs.
//! - [`chain`]: signing keys, transactions (events and fee of each), dynamic storage reads.
//! - [`compute`]: `zerog compute` (services, ledger, jobs, chat through a gateway).
//! - [`account`], [`amount`], [`hexstr`], [`value`]: how accounts, ZG amounts, hex and the
//!   chain's dynamic values are read and written.

pub mod account;
pub mod amount;
pub mod chain;
pub mod compute;
pub mod da;
pub mod error;
pub mod hexstr;
pub mod progress;
pub mod replicas;
pub mod rpc;
pub mod secrets;
pub mod storage;
pub mod transfer;
pub mod value;
