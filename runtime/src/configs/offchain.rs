//! What the off-chain workers of the storage, DA and compute pallets need from the runtime: how
//! to build and sign a transaction with a key from the node's keystore.
//!
//! The workers sign with sr25519 keys of their own key types (`zgst`, `zgda`, `zgcp`); the public
//! key is the account that pays, as for any Substrate account, so a provider funds the account of
//! the key it inserts.

use crate::{
	configs::BlockHashCount, signed_tx_extension, AccountId, Nonce, Runtime, RuntimeCall,
	Signature, SignedPayload, System, UncheckedExtrinsic,
};
use codec::Encode;
use polkadot_sdk::{
	frame_system::offchain::{
		AppCrypto, CreateBare, CreateSignedTransaction, CreateTransactionBase, SigningTypes,
	},
	sp_runtime::{
		generic::{self, Era},
		traits::{StaticLookup, Verify},
		SaturatedConversion,
	},
};

impl SigningTypes for Runtime {
	type Public = <Signature as Verify>::Signer;
	type Signature = Signature;
}

impl<LocalCall> CreateTransactionBase<LocalCall> for Runtime
where
	RuntimeCall: From<LocalCall>,
{
	type Extrinsic = UncheckedExtrinsic;
	type RuntimeCall = RuntimeCall;
}

impl<LocalCall> CreateSignedTransaction<LocalCall> for Runtime
where
	RuntimeCall: From<LocalCall>,
{
	fn create_signed_transaction<C: AppCrypto<Self::Public, Self::Signature>>(
		call: RuntimeCall,
		public: Self::Public,
		account: AccountId,
		nonce: Nonce,
	) -> Option<UncheckedExtrinsic> {
		// Mortal for half the block-hash window, counted from the parent block: a proof that
		// did not make it in time is worthless anyway.
		let period = u64::from(BlockHashCount::get()).checked_next_power_of_two()? / 2;
		let current_block = System::block_number().saturated_into::<u64>().saturating_sub(1);
		let extension = signed_tx_extension(Era::mortal(period, current_block), nonce, 0);
		let payload = SignedPayload::new(call, extension).ok()?;
		let signature = payload.using_encoded(|bytes| C::sign(bytes, public))?;
		let (call, extension, _) = payload.deconstruct();
		let address = <Runtime as polkadot_sdk::frame_system::Config>::Lookup::unlookup(account);
		Some(generic::UncheckedExtrinsic::new_signed(call, address, signature, extension).into())
	}
}

/// Unsigned transactions the runtime builds itself: GRANDPA equivocation reports, which any node
/// that sees an equivocation submits (`validators`).
impl<LocalCall> CreateBare<LocalCall> for Runtime
where
	RuntimeCall: From<LocalCall>,
{
	fn create_bare(call: RuntimeCall) -> UncheckedExtrinsic {
		generic::UncheckedExtrinsic::new_bare(call).into()
	}
}
