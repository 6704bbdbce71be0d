//! The node's JSON-RPC methods beyond Substrate's standard set (`system_*`, `chain_*`,
//! `state_*`, `author_*`, `chainHead_*`, ... which `sc-service` adds itself).
//!
//! - `system_accountNextIndex`: the next nonce of an account, counting transactions in the pool.
//! - `payment_queryInfo`, `payment_queryFeeDetails`: the fee a transaction would pay.
//! - `storage_*` ([`storage`]): upload and download of file segments, chunk proofs (where the
//!   chain's runtime has the storage pallet).
//! - `da_*` ([`da`]): DA shards pushed, fetched, sampled and rebuilt into blobs (where it has the
//!   DA pallet).

pub mod chain;
pub mod da;
pub mod storage;
#[cfg(test)]
pub(crate) mod tests;

use std::sync::Arc;

use jsonrpsee::RpcModule;
use pallet_da_attestations::runtime_api::DaAttestationsApi;
use pallet_storage_commitments::runtime_api::StorageCommitmentsApi;
use polkadot_sdk::{
	pallet_transaction_payment_rpc::{TransactionPayment, TransactionPaymentApiServer},
	sc_service::config::{RpcConfiguration, RpcMethods},
	sc_transaction_pool_api::TransactionPool,
	sp_api::ProvideRuntimeApi,
	sp_block_builder::BlockBuilder,
	sp_blockchain::{Error as BlockChainError, HeaderBackend, HeaderMetadata},
	substrate_frame_rpc_system::{System, SystemApiServer},
};
use zerog_primitives::{AccountId, Balance, BlockNumber, Nonce, OpaqueBlock as Block};

use crate::{data_store::DataStore, runtime_api::ZeroGServices};
use chain::BestBlock;
use da::{DaApiServer, DaRpc};
use storage::{StorageApiServer, StorageRpc};

/// What the RPC methods need from the node.
pub struct FullDeps<C, P> {
	/// The client, to read state and call runtime APIs.
	pub client: Arc<C>,
	/// The transaction pool, for nonces of pending transactions.
	pub pool: Arc<P>,
	/// The store of storage segments and DA shards.
	pub data_store: Arc<DataStore>,
	/// Whether unsafe methods (`da_removeShards`) are allowed where the RPC server does not
	/// decide per connection: the node's `--rpc-methods`.
	pub unsafe_rpc_allowed: bool,
	/// The port of the node's storage data plane, if it serves one (`storage_dataPort`).
	pub data_port: Option<u16>,
	/// The keystore, whose storage provider keys decide which files the node stores.
	pub keystore: polkadot_sdk::sp_keystore::KeystorePtr,
	/// The node's allowance of staged DA shards, shared with the data plane.
	pub da_staging: Arc<da::StagingAllowance>,
	/// Which ZeroG pallets the chain's runtime has: only their methods are served.
	pub services: ZeroGServices,
}

/// Builds the RPC module with every ZeroG-specific method.
pub fn create_full<C, P>(
	deps: FullDeps<C, P>,
) -> Result<RpcModule<()>, Box<dyn std::error::Error + Send + Sync>>
where
	C: ProvideRuntimeApi<Block>
		+ HeaderBackend<Block>
		+ HeaderMetadata<Block, Error = BlockChainError>
		+ Send
		+ Sync
		+ 'static,
	C::Api: polkadot_sdk::substrate_frame_rpc_system::AccountNonceApi<Block, AccountId, Nonce>,
	C::Api:
		polkadot_sdk::pallet_transaction_payment_rpc::TransactionPaymentRuntimeApi<Block, Balance>,
	C::Api: BlockBuilder<Block>,
	C::Api: StorageCommitmentsApi<Block, AccountId, BlockNumber>
		+ DaAttestationsApi<Block, AccountId, Balance, BlockNumber>,
	P: TransactionPool + 'static,
{
	let mut module = RpcModule::new(());
	let FullDeps {
		client,
		pool,
		data_store,
		unsafe_rpc_allowed,
		data_port,
		keystore,
		da_staging,
		services,
	} = deps;

	module.merge(System::new(client.clone(), pool).into_rpc())?;
	module.merge(TransactionPayment::new(client.clone()).into_rpc())?;
	if services.storage {
		module.merge(
			StorageRpc::new(
				BestBlock::with_keystore(client.clone(), keystore.clone()),
				data_store.clone(),
			)
			.with_data_port(data_port)
			.into_rpc(),
		)?;
	}
	if services.da {
		module.merge(
			DaRpc::new(BestBlock::with_keystore(client, keystore), data_store, unsafe_rpc_allowed)
				.with_staging(da_staging)
				.into_rpc(),
		)?;
	}

	Ok(module)
}

/// Whether the node's `--rpc-methods` allows unsafe methods: `unsafe`, or `auto` with every
/// listen address on loopback (how `sc-rpc-server` decides per listener).
pub fn unsafe_methods_allowed(rpc: &RpcConfiguration) -> bool {
	match rpc.methods {
		RpcMethods::Unsafe => true,
		RpcMethods::Safe => false,
		RpcMethods::Auto => rpc.addr.as_ref().is_none_or(|endpoints| {
			endpoints.iter().all(|endpoint| endpoint.listen_addr.ip().is_loopback())
		}),
	}
}
