//! Jobs dispatched by the provider's off-chain worker: the HTTP API it calls, the durable job
//! state, and the runner that downloads, computes and uploads.

pub mod api;
pub mod runner;
pub mod state;
