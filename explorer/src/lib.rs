//! `zerog-explorer`: what the chain holds, in a browser and as JSON.
//!
//! - [`indexer`]: follows the finalized blocks (from genesis, or from where the database left
//!   off) and decodes every extrinsic and event by the metadata of the runtime that executed it;
//! - [`store`]: SQLite by default, PostgreSQL for a public deployment, the same queries;
//! - [`server`] and [`pages`]: a JSON API and pages that work without JavaScript, with one
//!   search box for block numbers and hashes, extrinsic hashes and addresses (SS58 or `0x`);
//! - [`market`]: the marketplace's models and datasets, read live from the node, with wallet
//!   actions on an asset's page.
//!
//! Only finalized blocks are indexed, so nothing shown can be reverted.

pub mod evm;
pub mod indexer;
pub mod market;
pub mod pages;
pub mod roles;
pub mod server;
pub mod store;
pub mod subjects;
pub mod summaries;
pub mod validators;

/// Log target of the explorer.
pub const LOG_TARGET: &str = "zerog_explorer";
