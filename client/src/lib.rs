//! ZeroG's Rust client library: the one place where the wire format between a node and its
//! clients is defined.
//!
//! - [`rpc`]: the node's `storage_*` and `da_*` JSON-RPC methods as `jsonrpsee` traits (the node
//!   implements the server side, clients call the client side) with their parameters, results
//!   and error codes, and [`rpc::NodeRpc`], a connection to one node.
//! - [`storage`]: the storage data plane: the JSON answers a node's data plane sends and an HTTP
//!   client that uploads and downloads binary segments, checking every segment it receives
//!   against the file's commitment.
//! - [`da`]: publishing a blob, fetching it back verified, sampling it, and the DA data plane
//!   underneath, which pushes a publisher's shards to signers as binary.
//! - [`compute`]: the marketplace's on-chain state, the receipts a user signs and checks, a
//!   provider gateway's HTTP client, and a paid chat request ([`compute::chat::chat`]).
//! - [`marketplace`]: models and datasets: assets and grants on chain, the account's x25519
//!   key, encrypted files.
//! - [`chain`]: signing keys, transactions (events and fee of each), dynamic storage reads
//!   (subxt); [`value`]: reading the chain's dynamic values.
//! - [`transfer`]: a file's segments over the nodes' data planes: upload to one node, download
//!   from several in parallel, verifying every segment ([`transfer::download_verified`]);
//!   [`replicas`]: the providers a file is assigned to, delivery to each and their
//!   acknowledgements; [`file_tree`]: a local file's merkle tree, read segment by segment.
//! - [`balances`]: an account's free balance and the account a `0x` address acts as.
//! - [`account`], [`amount`], [`hexstr`], [`secrets`], [`progress`]: accounts (SS58 or hex), ZG
//!   amounts, hex as the RPC speaks it, secret files and development keys, progress bars on long
//!   transfers.
//! - [`error`]: the one error type, [`error::ClientError`].
//! - [`http_server`]: the accept loop the project's small HTTP servers share; [`logging`]: their
//!   log set-up.
//!
//! The node (its RPC, replicator and data plane), the `zerog` CLI and the executor all use it,
//! so the wire format exists once. The compute marketplace's signed messages and fee rule are
//! in `zerog_primitives::compute`, where the pallet uses them too.

pub mod account;
pub mod amount;
pub mod balances;
pub mod chain;
pub mod compute;
pub mod da;
pub mod error;
pub mod file_tree;
pub mod hexstr;
pub mod http_server;
pub mod logging;
pub mod marketplace;
pub mod progress;
pub mod replicas;
pub mod rpc;
pub mod secrets;
pub mod storage;
pub mod transfer;
pub mod value;
