//! The DA key: key type `zgda`, sr25519, and the app crypto the off-chain worker signs with.
//!
//! A signer's node keeps its DA key in the keystore under [`KEY_TYPE`] (insert it with
//! `author_insertKey` or `key insert --key-type zgda --scheme sr25519`). The signer registers
//! from the key's own account (see the crate docs), so `attest` transactions are simply signed
//! by that key.

use polkadot_sdk::{
	sp_core::{crypto::KeyTypeId, sr25519},
	sp_runtime::{
		app_crypto::{app_crypto, sr25519 as app_sr25519},
		MultiSignature, MultiSigner,
	},
};

/// Key type of DA signer keys in the node keystore.
pub const KEY_TYPE: KeyTypeId = KeyTypeId(*b"zgda");

app_crypto!(app_sr25519, KEY_TYPE);

/// The [`AppCrypto`](polkadot_sdk::frame_system::offchain::AppCrypto) of DA keys for runtimes
/// whose transactions carry a `MultiSignature` (ZeroG's): set it as `Config::AuthorityId`.
pub struct DaAuthId;

impl polkadot_sdk::frame_system::offchain::AppCrypto<MultiSigner, MultiSignature> for DaAuthId {
	type RuntimeAppPublic = Public;
	type GenericSignature = sr25519::Signature;
	type GenericPublic = sr25519::Public;
}
