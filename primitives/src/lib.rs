//! ZeroG primitives: the account, balance and block types and the chain-wide units that the
//! runtime, the node, the pallets and the command-line tools must agree on.
//!
//! This crate is `no_std` so the runtime can use it; anything that needs the standard library
//! lives behind the `std` feature.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod compute;
#[cfg(feature = "std")]
pub mod conformance;
pub mod da;
pub mod dev_keys;
#[cfg(feature = "encryption")]
pub mod encryption;
pub mod hex;
mod offchain_key;
pub mod storage;
pub mod units;

use polkadot_sdk::sp_runtime::{
	self,
	traits::{IdentifyAccount, Verify},
	MultiSignature,
};

/// Block number: `u32`, as subxt's `PolkadotConfig` and the Ethereum RPC expect.
pub type BlockNumber = u32;

/// Signature type of a transaction: sr25519, ed25519 or ecdsa.
pub type Signature = MultiSignature;

/// Account identifier: the 32-byte public key behind a [`Signature`] (AccountId32).
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;

/// Balance of an account, in the smallest unit (10^-18 ZG).
pub type Balance = u128;

/// Index of a transaction in the chain.
pub type Nonce = u32;

/// Hash of a block or of a transaction (BlakeTwo256).
pub type Hash = polkadot_sdk::sp_core::H256;

/// Header type of a block.
pub type Header = sp_runtime::generic::Header<BlockNumber, sp_runtime::traits::BlakeTwo256>;

/// An opaque block, used by the node, which must not know the runtime's extrinsic format.
pub type OpaqueBlock = sp_runtime::generic::Block<Header, sp_runtime::OpaqueExtrinsic>;
