//! `Config` of `pallet-revive`: the EVM. Solidity compiled by solc runs unchanged
//! (`AllowEVMBytecode`), Ethereum transactions arrive as `eth_transact` extrinsics, and every
//! Substrate account has an Ethereum address (and every Ethereum address a Substrate account).

use crate::{
	signed_tx_extension,
	units::{EVM_CHAIN_ID, MICRO_ZG, MILLI_ZG},
	AccountId, Address, Balance, Balances, Runtime, RuntimeCall, RuntimeEvent, RuntimeHoldReason,
	RuntimeOrigin, Signature, Timestamp, TxExtension,
};
use pallet_revive::{
	evm::{fees::Info as FeeInfo, runtime::EthExtra, tx_extension::SetOrigin},
	AccountId32Mapper,
};
use polkadot_sdk::{
	frame_support::{
		parameter_types,
		traits::{ConstBool, ConstU32, ConstU64, FindAuthor},
	},
	frame_system::EnsureSigned,
	pallet_aura::AuraAuthorId,
	sp_core::crypto::ByteArray,
	sp_runtime::{generic::Era, traits::InvalidVersion, ConsensusEngineId, FixedU128, Perbill},
};

/// Storage deposit for `items` storage items holding `bytes` bytes. Deposits are held, not
/// burned, and come back when the storage is freed, so they price state growth, not usage.
pub const fn deposit(items: u32, bytes: u32) -> Balance {
	items as Balance * MILLI_ZG + bytes as Balance * (MICRO_ZG * 10)
}

parameter_types! {
	pub const DepositPerItem: Balance = deposit(1, 0);
	/// A contract's storage slot is a child-trie item, far cheaper for the chain than a top-level
	/// item, so Solidity's many small slots cost a hundredth.
	pub const DepositPerChildTrieItem: Balance = deposit(1, 0) / 100;
	pub const DepositPerByte: Balance = deposit(0, 1);
	/// Share of the code's deposit an instantiation holds, so code cannot be removed from under
	/// a live contract.
	pub const CodeHashLockupDepositPercent: Perbill = Perbill::from_percent(30);
	/// An Ethereum transaction may use at most 90% of a block's normal weight.
	pub MaxEthExtrinsicWeight: FixedU128 = FixedU128::from_rational(9, 10);
}

/// ZG has 18 decimals, like ether: one wei is one smallest ZG unit.
pub const NATIVE_TO_ETH_RATIO: u32 = 1;

/// Scales gas so the gas price is 1 gwei and gas amounts are of the magnitude Ethereum tools
/// expect (see `pallet_revive::Config::GasScale`): fee = gas used × 1 gwei.
pub const GAS_SCALE: u32 = 1_000_000_000;

impl pallet_revive::Config for Runtime {
	type Time = Timestamp;
	type Balance = Balance;
	type Currency = Balances;
	/// Rounding remainders of gas are burned.
	type OnBurn = ();
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type RuntimeOrigin = RuntimeOrigin;
	type RuntimeHoldReason = RuntimeHoldReason;
	/// polkadot-sdk's reference-machine weights: pallet-revive's benchmarks run contract
	/// fixtures compiled for PolkaVM with a nightly RISC-V toolchain this project cannot
	/// install (docs/weights.md). Its storage accesses are charged with this chain's `DbWeight`.
	type WeightInfo = pallet_revive::weights::SubstrateWeight<Self>;
	/// The ZeroG pallets as Solidity contracts at fixed addresses (`precompiles`).
	type Precompiles = crate::precompiles::ZeroGPrecompiles;
	type FindAuthor = AuraAccountAuthor;
	type DepositPerByte = DepositPerByte;
	type DepositPerItem = DepositPerItem;
	type DepositPerChildTrieItem = DepositPerChildTrieItem;
	type CodeHashLockupDepositPercent = CodeHashLockupDepositPercent;
	type AddressMapper = AccountId32Mapper<Self>;
	/// solc's EVM bytecode runs unchanged; no PolkaVM toolchain needed.
	type AllowEVMBytecode = ConstBool<true>;
	type UploadOrigin = EnsureSigned<AccountId>;
	type InstantiateOrigin = EnsureSigned<AccountId>;
	type RuntimeMemory = ConstU32<{ 128 * 1024 * 1024 }>;
	type PVFMemory = ConstU32<{ 512 * 1024 * 1024 }>;
	type ChainId = ConstU64<EVM_CHAIN_ID>;
	type NativeToEthRatio = ConstU32<NATIVE_TO_ETH_RATIO>;
	type FeeInfo = FeeInfo<Address, Signature, EthExtraImpl>;
	type Deposit = ();
	type MaxEthExtrinsicWeight = MaxEthExtrinsicWeight;
	type DebugEnabled = ConstBool<false>;
	/// Every Substrate account gets its Ethereum address when it is created, so it can hold
	/// tokens and call contracts without a separate `map_account` step.
	type AutoMap = ConstBool<true>;
	type GasScale = ConstU32<GAS_SCALE>;
}

/// The block author as an account, for the EVM's `block.coinbase`: the Aura authority that
/// sealed the block. Aura keys are sr25519, whose public key is the account id.
pub struct AuraAccountAuthor;

impl FindAuthor<AccountId> for AuraAccountAuthor {
	fn find_author<'a, I>(digests: I) -> Option<AccountId>
	where
		I: 'a + IntoIterator<Item = (ConsensusEngineId, &'a [u8])>,
	{
		let authority = AuraAuthorId::<Runtime>::find_author(digests)?;
		AccountId::from_slice(authority.as_slice()).ok()
	}
}

/// The transaction extensions applied to an Ethereum transaction once the runtime has turned it
/// into an extrinsic: the same pipeline as a Substrate transaction, with the nonce and tip taken
/// from the Ethereum transaction and the origin set to the sender's Ethereum-mapped account.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct EthExtraImpl;

impl EthExtra for EthExtraImpl {
	type Config = Runtime;
	type ExtensionV0 = TxExtension;
	type ExtensionOtherVersions = InvalidVersion;

	fn get_eth_extension(nonce: u32, tip: Balance) -> Self::ExtensionV0 {
		// Ethereum transactions carry no era (replay protection is the nonce) and an Ethereum
		// signer has no metadata to bind to.
		let mut extension = signed_tx_extension(Era::Immortal, nonce, tip);
		extension.10 = SetOrigin::<Runtime>::new_from_eth_transaction();
		extension
	}
}
