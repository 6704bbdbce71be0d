//! The `zgst` key of a storage provider, with which its off-chain worker signs `submit_proof`.
//!
//! A provider's account **is** the account of this sr25519 key (`AccountId32` = the public key):
//! insert the key into the node keystore under [`KEY_TYPE`] (`author_insertKey` with key type
//! `zgst`, or `key insert --key-type zgst --scheme sr25519`) and register the provider from the
//! same key. The worker only answers challenges of accounts whose key it holds.

use polkadot_sdk::sp_core::crypto::KeyTypeId;

/// Key type of storage provider keys in the node keystore.
pub const KEY_TYPE: KeyTypeId = KeyTypeId(*b"zgst");

zerog_primitives::offchain_key_crypto!(
	/// The signer of the off-chain worker's transactions: sr25519 keys of [`KEY_TYPE`].
	ProviderAuthId,
	KEY_TYPE
);
