//! The DA key: key type `zgda`, sr25519, and the app crypto the off-chain worker signs with.
//!
//! A signer's node keeps its DA key in the keystore under [`KEY_TYPE`] (insert it with
//! `author_insertKey` or `key insert --key-type zgda --scheme sr25519`). The signer registers
//! from the key's own account (see the crate docs), so `attest` transactions are simply signed
//! by that key.

use polkadot_sdk::sp_core::crypto::KeyTypeId;

/// Key type of DA signer keys in the node keystore.
pub const KEY_TYPE: KeyTypeId = KeyTypeId(*b"zgda");

zerog_primitives::offchain_key_crypto!(
	/// The [`AppCrypto`](polkadot_sdk::frame_system::offchain::AppCrypto) of DA keys: set it as
	/// `Config::AuthorityId`.
	DaAuthId,
	KEY_TYPE
);
