//! Jobs dispatched by the provider's off-chain worker: the HTTP API it calls, the durable job
//! state, the runner that downloads, computes and uploads, the marketplace inputs it prepares
//! (compute-to-data), and the sandbox commands run in.

pub mod api;
pub mod inputs;
pub mod result_keys;
pub mod runner;
pub mod sandbox;
pub mod state;
