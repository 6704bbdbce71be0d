//! The crypto of an off-chain worker key: one macro, so the storage, DA and compute pallets
//! define their key types (`zgst`, `zgda`, `zgcp`) the same way.

/// Defines, in the calling module, the sr25519 app crypto of the key type `$key_type` (a
/// `KeyTypeId` constant of that module): the `Public` and `Signature` app types and `$auth_id`,
/// the `frame_system::offchain::AppCrypto` a pallet's `Config::AuthorityId` is set to.
///
/// `$auth_id` works for runtimes whose transactions carry a `MultiSignature` (ZeroG's) and for
/// plain sr25519 ones. The calling crate must depend on `polkadot-sdk` with `frame-system`,
/// `sp-core` and `sp-runtime`.
#[macro_export]
macro_rules! offchain_key_crypto {
	($(#[$doc:meta])* $auth_id:ident, $key_type:ident) => {
		mod app {
			use super::$key_type;
			use ::polkadot_sdk::sp_runtime::app_crypto::{app_crypto, sr25519};
			app_crypto!(sr25519, $key_type);
		}

		pub use app::{Public, Signature};

		$(#[$doc])*
		pub struct $auth_id;

		impl
			::polkadot_sdk::frame_system::offchain::AppCrypto<
				::polkadot_sdk::sp_runtime::MultiSigner,
				::polkadot_sdk::sp_runtime::MultiSignature,
			> for $auth_id
		{
			type RuntimeAppPublic = Public;
			type GenericSignature = ::polkadot_sdk::sp_core::sr25519::Signature;
			type GenericPublic = ::polkadot_sdk::sp_core::sr25519::Public;
		}

		impl
			::polkadot_sdk::frame_system::offchain::AppCrypto<
				::polkadot_sdk::sp_core::sr25519::Public,
				::polkadot_sdk::sp_core::sr25519::Signature,
			> for $auth_id
		{
			type RuntimeAppPublic = Public;
			type GenericSignature = ::polkadot_sdk::sp_core::sr25519::Signature;
			type GenericPublic = ::polkadot_sdk::sp_core::sr25519::Public;
		}
	};
}
