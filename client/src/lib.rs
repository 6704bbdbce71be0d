//! ZeroG's Rust client library.
//!
//! Today it holds the storage data plane ([`storage`]): the JSON answers a node's data plane
//! sends and an HTTP client that uploads and downloads binary segments, checking every segment
//! it receives against the file's commitment; and the DA data plane ([`da`]), which pushes a
//! publisher's shards to signers as binary. The node's replicator, the `zerog` CLI and the
//! executor all use it, so the wire format exists once. [`http_server`] is the accept loop the
//! project's small HTTP servers share.

pub mod da;
pub mod http_server;
pub mod logging;
pub mod storage;
