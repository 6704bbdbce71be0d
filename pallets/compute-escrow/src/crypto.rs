//! The `zgcp` key of a compute provider, with which its off-chain worker signs `submit_result`.
//!
//! A provider's account **is** the account of this sr25519 key (`AccountId32` = the public key):
//! insert the key into the node keystore under [`KEY_TYPE`] (`author_insertKey` with key type
//! `zgcp`, or `key insert --key-type zgcp --scheme sr25519`) and register the job service from the
//! same key. The worker only dispatches jobs of accounts whose key it holds.

use polkadot_sdk::{frame_system, sp_core::crypto::KeyTypeId};

/// Key type of compute provider keys in the node keystore.
pub const KEY_TYPE: KeyTypeId = KeyTypeId(*b"zgcp");

mod app {
	use super::KEY_TYPE;
	use polkadot_sdk::sp_runtime::app_crypto::{app_crypto, sr25519};
	app_crypto!(sr25519, KEY_TYPE);
}

pub use app::{Public, Signature};

/// The signer of the off-chain worker's transactions: sr25519 keys of [`KEY_TYPE`], usable with
/// `MultiSigner`/`MultiSignature` runtimes (ZeroG) and with plain sr25519 ones.
pub struct ComputeAuthId;

impl
	frame_system::offchain::AppCrypto<
		polkadot_sdk::sp_runtime::MultiSigner,
		polkadot_sdk::sp_runtime::MultiSignature,
	> for ComputeAuthId
{
	type RuntimeAppPublic = Public;
	type GenericSignature = polkadot_sdk::sp_core::sr25519::Signature;
	type GenericPublic = polkadot_sdk::sp_core::sr25519::Public;
}

impl
	frame_system::offchain::AppCrypto<
		polkadot_sdk::sp_core::sr25519::Public,
		polkadot_sdk::sp_core::sr25519::Signature,
	> for ComputeAuthId
{
	type RuntimeAppPublic = Public;
	type GenericSignature = polkadot_sdk::sp_core::sr25519::Signature;
	type GenericPublic = polkadot_sdk::sp_core::sr25519::Public;
}
