//! The weights of polkadot-sdk's pallets in this runtime and the base weights of a block and of
//! an extrinsic, measured on the team's build machine by `runtime/benchmarking/weights.sh`
//! (the ZeroG pallets' own weights live beside each pallet, the database's in
//! `configs/db_weights.rs`). Every file here is generated: rerun the script, do not edit.
//!
//! pallet-revive keeps polkadot-sdk's weights: its benchmarks need contract fixtures compiled
//! with a RISC-V toolchain this machine cannot install (docs/weights.md).

pub mod block_weights;
pub mod extrinsic_weights;
pub mod frame_system;
pub mod frame_system_extensions;
pub mod pallet_balances;
pub mod pallet_timestamp;
pub mod pallet_transaction_payment;
pub mod pallet_utility;

pub use block_weights::BlockExecutionWeight;
pub use extrinsic_weights::ExtrinsicBaseWeight;
