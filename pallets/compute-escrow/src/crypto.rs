//! The `zgcp` key of a compute provider, with which its off-chain worker signs `submit_result`.
//!
//! A provider's account **is** the account of this sr25519 key (`AccountId32` = the public key):
//! insert the key into the node keystore under [`KEY_TYPE`] (`author_insertKey` with key type
//! `zgcp`, or `key insert --key-type zgcp --scheme sr25519`) and register the job service from the
//! same key. The worker only dispatches jobs of accounts whose key it holds.

use polkadot_sdk::sp_core::crypto::KeyTypeId;

/// Key type of compute provider keys in the node keystore.
pub const KEY_TYPE: KeyTypeId = KeyTypeId(*b"zgcp");

zerog_primitives::offchain_key_crypto!(
	/// The signer of the off-chain worker's transactions: sr25519 keys of [`KEY_TYPE`].
	ComputeAuthId,
	KEY_TYPE
);
