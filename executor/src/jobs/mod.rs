//! Jobs dispatched by the provider's off-chain worker: the HTTP API it calls, the durable job
//! state, the runner that downloads, computes and uploads, and the sandbox commands run in.

pub mod api;
pub mod runner;
pub mod sandbox;
pub mod state;
