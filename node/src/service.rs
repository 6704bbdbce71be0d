//! Wiring of the node's services: client, database, transaction pool, network, off-chain
//! workers, RPC, Aura block authoring and GRANDPA finality. Only wiring lives here.

use std::{sync::Arc, time::Duration};

use crate::{
	local_rpc_url,
	runtime_api::{RuntimeApi, ZeroGServices},
};
use futures::FutureExt;
use polkadot_sdk::{
	sc_basic_authorship,
	sc_client_api::{Backend, BlockBackend},
	sc_consensus,
	sc_consensus_aura::{self, ImportQueueParams, SlotProportion, StartAuraParams},
	sc_consensus_grandpa::{self, SharedVoterState},
	sc_executor::WasmExecutor,
	sc_network, sc_offchain,
	sc_service::{self, error::Error as ServiceError, Configuration, TaskManager, WarpSyncConfig},
	sc_telemetry::{self, Telemetry, TelemetryWorker},
	sc_transaction_pool,
	sc_transaction_pool_api::OffchainTransactionPoolFactory,
	sp_consensus_aura::{
		self,
		sr25519::{AuthorityId as AuraId, AuthorityPair as AuraPair},
	},
	sp_io, sp_runtime, sp_timestamp,
};
use zerog_primitives::OpaqueBlock as Block;

/// The host functions the runtime may call: Substrate's, and the provider store the storage
/// off-chain worker answers challenges from (`zerog_primitives::storage::host`).
#[cfg(not(feature = "runtime-benchmarks"))]
pub type HostFunctions =
	(sp_io::SubstrateHostFunctions, zerog_primitives::storage::host::zerog_storage::HostFunctions);

/// A `runtime-benchmarks` build runs a runtime with the benchmarks compiled in, which imports
/// the benchmarking host functions as well.
#[cfg(feature = "runtime-benchmarks")]
pub type HostFunctions = (
	sp_io::SubstrateHostFunctions,
	zerog_primitives::storage::host::zerog_storage::HostFunctions,
	polkadot_sdk::frame_benchmarking::benchmarking::HostFunctions,
);

/// The client with the chain's runtime executed by the wasm executor; the APIs it may call are
/// the node's own declaration of them ([`crate::runtime_api`]), not those of the runtime the
/// node embeds.
pub type FullClient = sc_service::TFullClient<Block, RuntimeApi, WasmExecutor<HostFunctions>>;
type FullBackend = sc_service::TFullBackend<Block>;
type FullSelectChain = sc_consensus::LongestChain<FullBackend, Block>;

/// Every this many blocks GRANDPA stores a justification, which lets light clients and warp
/// sync prove finality without replaying every vote.
const GRANDPA_JUSTIFICATION_PERIOD: u32 = 512;

/// How often GRANDPA gossips votes; a third of the 2-second slot keeps finality one or two
/// blocks behind the head.
const GRANDPA_GOSSIP_DURATION: Duration = Duration::from_millis(333);

/// Share of a slot the author may spend building a block: half, the runtime's block weight
/// limit in time, so the other half is left for propagating and importing it before the next
/// slot. Past half of this time (the proposer's soft deadline) the author stops looking for
/// transactions that fit once one did not.
const BLOCK_PROPOSAL_SLOT_PORTION: f32 = 1f32 / 2f32;

/// Notification buffer of the telemetry worker, in messages.
const TELEMETRY_BUFFER_SIZE: usize = 16;

/// What the ZeroG services of a full node are started with, beyond Substrate's configuration.
pub struct ZeroGOptions {
	/// URL of the compute executor the compute off-chain worker talks to, and the token of its
	/// job API.
	pub compute_executor: Option<(String, Option<String>)>,
	/// Blocks between two prunings of the data store (0: never).
	pub data_prune_interval: zerog_primitives::BlockNumber,
	/// Where the storage data plane listens (`None`: it is off).
	pub storage_listen: Option<std::net::SocketAddr>,
	/// The data store's quota of segment bytes (`None`: none) and the free space it keeps.
	pub data_limits: (Option<u64>, u64),
}

/// The parts `new_full` and the maintenance subcommands share.
pub type Service = sc_service::PartialComponents<
	FullClient,
	FullBackend,
	FullSelectChain,
	sc_consensus::DefaultImportQueue<Block>,
	sc_transaction_pool::TransactionPoolHandle<Block, FullClient>,
	(
		sc_consensus_grandpa::GrandpaBlockImport<FullBackend, Block, FullClient, FullSelectChain>,
		sc_consensus_grandpa::LinkHalf<Block, FullClient, FullSelectChain>,
		Option<Telemetry>,
	),
>;

/// Builds the client, database backend, transaction pool and import queue.
pub fn new_partial(config: &Configuration) -> Result<Service, ServiceError> {
	let telemetry = config
		.telemetry_endpoints
		.clone()
		.filter(|x| !x.is_empty())
		.map(|endpoints| -> Result<_, sc_telemetry::Error> {
			let worker = TelemetryWorker::new(TELEMETRY_BUFFER_SIZE)?;
			let telemetry = worker.handle().new_telemetry(endpoints);
			Ok((worker, telemetry))
		})
		.transpose()?;

	let executor = sc_service::new_wasm_executor::<HostFunctions>(&config.executor);
	let (client, backend, keystore_container, task_manager) =
		sc_service::new_full_parts::<Block, RuntimeApi, _>(
			config,
			telemetry.as_ref().map(|(_, telemetry)| telemetry.handle()),
			executor,
			Vec::new(),
		)?;
	let client = Arc::new(client);

	let telemetry = telemetry.map(|(worker, telemetry)| {
		task_manager.spawn_handle().spawn("telemetry", None, worker.run());
		telemetry
	});

	let select_chain = sc_consensus::LongestChain::new(backend.clone());

	let transaction_pool = Arc::from(
		sc_transaction_pool::Builder::new(
			task_manager.spawn_essential_handle(),
			client.clone(),
			config.role.is_authority().into(),
		)
		.with_options(config.transaction_pool.clone())
		.with_prometheus(config.prometheus_registry())
		.build(),
	);

	let (grandpa_block_import, grandpa_link) = sc_consensus_grandpa::block_import(
		client.clone(),
		GRANDPA_JUSTIFICATION_PERIOD,
		&client,
		select_chain.clone(),
		telemetry.as_ref().map(|x| x.handle()),
	)?;

	let cidp_client = client.clone();
	let import_queue =
		sc_consensus_aura::import_queue::<AuraPair, _, _, _, _, _>(ImportQueueParams {
			block_import: grandpa_block_import.clone(),
			justification_import: Some(Box::new(grandpa_block_import.clone())),
			client: client.clone(),
			create_inherent_data_providers: move |parent_hash, _| {
				let cidp_client = cidp_client.clone();
				async move {
					let slot_duration = sc_consensus_aura::standalone::slot_duration_at(
						&*cidp_client,
						parent_hash,
					)?;
					let timestamp = sp_timestamp::InherentDataProvider::from_system_time();
					let slot =
						sp_consensus_aura::inherents::InherentDataProvider::from_timestamp_and_slot_duration(
							*timestamp,
							slot_duration,
						);
					Ok((slot, timestamp))
				}
			},
			spawner: &task_manager.spawn_essential_handle(),
			registry: config.prometheus_registry(),
			check_for_equivocation: Default::default(),
			telemetry: telemetry.as_ref().map(|x| x.handle()),
			compatibility_mode: Default::default(),
		})?;

	Ok(sc_service::PartialComponents {
		client,
		backend,
		task_manager,
		import_queue,
		keystore_container,
		select_chain,
		transaction_pool,
		other: (grandpa_block_import, grandpa_link, telemetry),
	})
}

/// Builds and starts a full node: network, off-chain workers, RPC, and (for validators) Aura
/// authoring and the GRANDPA voter.
///
/// `compute_executor` (`--compute-executor`) is stored for the compute off-chain worker.
pub fn new_full<
	N: sc_network::NetworkBackend<Block, <Block as sp_runtime::traits::Block>::Hash>,
>(
	config: Configuration,
	options: ZeroGOptions,
) -> Result<TaskManager, ServiceError> {
	let ZeroGOptions { compute_executor, data_prune_interval, storage_listen, data_limits } =
		options;
	let sc_service::PartialComponents {
		client,
		backend,
		mut task_manager,
		import_queue,
		keystore_container,
		select_chain,
		transaction_pool,
		other: (block_import, grandpa_link, mut telemetry),
	} = new_partial(&config)?;

	let mut net_config = sc_network::config::FullNetworkConfiguration::<
		Block,
		<Block as sp_runtime::traits::Block>::Hash,
		N,
	>::new(&config.network, config.prometheus_registry().cloned());
	let metrics = N::register_notification_metrics(config.prometheus_registry());

	let peer_store_handle = net_config.peer_store_handle();
	let grandpa_protocol_name = sc_consensus_grandpa::protocol_standard_name(
		&client.block_hash(0).ok().flatten().expect("Genesis block exists; qed"),
		&config.chain_spec,
	);
	let (grandpa_protocol_config, grandpa_notification_service) =
		sc_consensus_grandpa::grandpa_peers_set_config::<_, N>(
			grandpa_protocol_name.clone(),
			metrics.clone(),
			peer_store_handle,
		);
	net_config.add_notification_protocol(grandpa_protocol_config);

	let warp_sync = Arc::new(sc_consensus_grandpa::warp_proof::NetworkProvider::new(
		backend.clone(),
		grandpa_link.shared_authority_set().clone(),
		Vec::default(),
	));

	let (network, system_rpc_tx, tx_handler_controller, sync_service, _bitswap) =
		sc_service::build_network(sc_service::BuildNetworkParams {
			config: &config,
			net_config,
			client: client.clone(),
			transaction_pool: transaction_pool.clone(),
			spawn_handle: task_manager.spawn_handle(),
			spawn_essential_handle: task_manager.spawn_essential_handle(),
			import_queue,
			block_announce_validator_builder: None,
			warp_sync_config: Some(WarpSyncConfig::WithProvider(warp_sync)),
			block_relay: None,
			metrics,
			gap_sync_body_policy: None,
		})?;

	// The storage and DA services run where the chain's runtime has their pallets.
	let services = ZeroGServices::of_chain(&*client).map_err(|error| {
		ServiceError::Other(format!("cannot read the runtime APIs of the best block: {error}"))
	})?;
	log::info!(
		target: "zerog",
		"the runtime has {}",
		match (services.storage, services.da) {
			(true, true) => "storage and DA: their services start",
			(true, false) => "storage and no DA: the DA services (da_* RPC, shards) stay off",
			(false, true) => "DA and no storage: the storage services (storage_* RPC, segments, \
							  replication) stay off",
			(false, false) => "neither storage nor DA: their services stay off",
		}
	);

	// Segments and shards live next to the chain database, in their own RocksDB.
	let data_store_path =
		config.base_path.config_dir(config.chain_spec.id()).join(crate::data_store::DATA_DIR_NAME);
	let data_store = Arc::new(
		crate::data_store::DataStore::open_with_limits(
			&data_store_path,
			data_limits.0,
			data_limits.1,
		)
		.map_err(|error| {
			ServiceError::Other(format!(
				"cannot open the data store at {}: {error}",
				data_store_path.display()
			))
		})?,
	);
	let (used, quota) = data_store.usage();
	log::info!(
		target: "zerog-storage",
		"data store at {}: {used} bytes of segments{}",
		data_store_path.display(),
		quota.map(|max| format!(", quota {max} bytes")).unwrap_or_default()
	);
	if config.offchain_worker.enabled {
		// The DA and compute workers talk to local services over HTTP on loopback; the storage
		// worker reads this node's data store (and no other) through host functions.
		let provider_store = data_store.clone();
		let offchain_workers =
			sc_offchain::OffchainWorkers::new(sc_offchain::OffchainWorkerOptions {
				runtime_api_provider: client.clone(),
				is_validator: config.role.is_authority(),
				keystore: Some(keystore_container.keystore()),
				offchain_db: backend.offchain_storage(),
				transaction_pool: Some(OffchainTransactionPoolFactory::new(
					transaction_pool.clone(),
				)),
				network_provider: Arc::new(network.clone()),
				enable_http_requests: true,
				custom_extensions: move |_| {
					vec![Box::new(crate::provider_store::OffchainProviderStore::extension(
						provider_store.clone(),
					)) as Box<_>]
				},
			})?;
		task_manager.spawn_handle().spawn(
			"offchain-workers-runner",
			"offchain-worker",
			offchain_workers.run(client.clone(), task_manager.spawn_handle()).boxed(),
		);
	}

	let role = config.role;
	let force_authoring = config.force_authoring;
	let backoff_authoring_blocks: Option<()> = None;
	let name = config.network.node_name.clone();
	let enable_grandpa = !config.disable_grandpa;
	let prometheus_registry = config.prometheus_registry().cloned();

	// Data of files and blobs the chain forgot is deleted, on a thread of its own (RocksDB and
	// runtime calls block).
	if data_prune_interval > 0 && services.any() {
		task_manager.spawn_handle().spawn_blocking(
			"zerog-data-pruning",
			Some("zerog"),
			crate::data_pruning::run(
				client.clone(),
				data_store.clone(),
				keystore_container.keystore(),
				sync_service.clone(),
				data_prune_interval,
				services,
			),
		);
	}
	// Files the chain assigned to this node's storage providers are fetched from the providers
	// that hold them; the off-chain worker then acknowledges them.
	if services.storage {
		task_manager.spawn_handle().spawn(
			"zerog-replicator",
			Some("zerog"),
			crate::replicator::run(
				client.clone(),
				data_store.clone(),
				keystore_container.keystore(),
				sync_service.clone(),
			),
		);
	}
	// Shards of blobs not on chain yet are taken up to one allowance, whichever way they come.
	let da_staging = Arc::new(crate::rpc::da::StagingAllowance::default());
	// The data plane: binary segments and DA shards over HTTP. Bound now, so a taken port stops the
	// node with a clear error instead of a node that cannot serve its data.
	let data_port = match storage_listen.filter(|_| services.any()) {
		Some(address) => {
			let (listener, port) = crate::segment_server::bind(address).map_err(|error| {
				ServiceError::Other(format!(
					"the storage data plane cannot listen on {address}: {error} (choose another \
					 port with --storage-port, or --no-storage-server)"
				))
			})?;
			let best_block = || {
				crate::rpc::chain::BestBlock::with_keystore(
					client.clone(),
					keystore_container.keystore(),
				)
			};
			let storage = services.storage.then(|| {
				crate::rpc::storage::StorageRpc::new(best_block(), data_store.clone())
					.with_data_port(Some(port))
			});
			let da = services.da.then(|| {
				crate::rpc::da::DaRpc::new(best_block(), data_store.clone(), false)
					.with_staging(da_staging.clone())
			});
			log::info!(
				target: "zerog-storage",
				"data plane ({}) on http://{}",
				match (services.storage, services.da) {
					(true, true) => "storage segments, DA shards",
					(true, false) => "storage segments",
					_ => "DA shards",
				},
				std::net::SocketAddr::new(address.ip(), port)
			);
			task_manager.spawn_handle().spawn(
				"zerog-data-plane",
				Some("zerog"),
				crate::segment_server::serve(
					listener,
					Arc::new(crate::segment_server::DataPlane::new(storage, da)),
				),
			);
			Some(port)
		},
		None => None,
	};
	let offchain_storage = backend.offchain_storage();

	let rpc_extensions_builder = {
		let client = client.clone();
		let pool = transaction_pool.clone();
		let unsafe_rpc_allowed = crate::rpc::unsafe_methods_allowed(&config.rpc);
		let keystore = keystore_container.keystore();

		Box::new(move |_| {
			let deps = crate::rpc::FullDeps {
				client: client.clone(),
				pool: pool.clone(),
				data_store: data_store.clone(),
				unsafe_rpc_allowed,
				data_port,
				keystore: keystore.clone(),
				da_staging: da_staging.clone(),
				services,
			};
			crate::rpc::create_full(deps).map_err(Into::into)
		})
	};

	let rpc_handlers = sc_service::spawn_tasks(sc_service::SpawnTasksParams {
		network: network.clone(),
		client: client.clone(),
		keystore: keystore_container.keystore(),
		task_manager: &mut task_manager,
		transaction_pool: transaction_pool.clone(),
		rpc_builder: rpc_extensions_builder,
		backend,
		system_rpc_tx,
		tx_handler_controller,
		sync_service: sync_service.clone(),
		config,
		telemetry: telemetry.as_mut(),
		tracing_execute_block: None,
	})?;

	// The storage and DA off-chain workers fetch proofs and shards from this node's RPC server.
	let rpc_listen = local_rpc_url::socket_addrs(rpc_handlers.listen_addresses());
	match (local_rpc_url::local_rpc_url(&rpc_listen), offchain_storage.clone()) {
		(Some(url), Some(mut offchain_storage)) => {
			local_rpc_url::publish(&mut offchain_storage, &url);
			log::info!(target: "zerog-storage", "off-chain workers reach the node RPC at {url}");
		},
		(None, _) => log::warn!(
			target: "zerog-storage",
			"the RPC server listens nowhere: storage and DA off-chain workers cannot reach it"
		),
		(_, None) => {
			log::warn!(target: "zerog-storage", "no off-chain storage to publish the RPC URL")
		},
	}
	// The compute off-chain worker dispatches the provider's jobs to its executor.
	match (compute_executor, offchain_storage) {
		(Some((url, token)), Some(mut offchain_storage)) => {
			local_rpc_url::publish_executor_url(&mut offchain_storage, &url, token.as_deref());
			log::info!(target: "zerog-compute", "compute jobs are dispatched to the executor at {url}");
		},
		(Some(_), None) => log::warn!(
			target: "zerog-compute",
			"no off-chain storage to store --compute-executor in"
		),
		(None, _) => {},
	}

	if role.is_authority() {
		let proposer_factory = sc_basic_authorship::ProposerFactory::new(
			task_manager.spawn_handle(),
			client.clone(),
			transaction_pool.clone(),
			prometheus_registry.as_ref(),
			telemetry.as_ref().map(|x| x.handle()),
		);

		let slot_duration = sc_consensus_aura::slot_duration::<AuraId, _, _>(&*client)?;
		// Each slot's VRF reveal is signed with the slot's Aura key (`vrf_reveal`).
		let (reveal_client, reveal_keystore) = (client.clone(), keystore_container.keystore());

		let aura = sc_consensus_aura::start_aura::<AuraPair, _, _, _, _, _, _, _, _, _, _>(
			StartAuraParams {
				slot_duration,
				client,
				select_chain,
				block_import,
				proposer_factory,
				create_inherent_data_providers: move |parent, ()| {
					let (client, keystore) = (reveal_client.clone(), reveal_keystore.clone());
					async move {
						let timestamp = sp_timestamp::InherentDataProvider::from_system_time();
						let slot =
							sp_consensus_aura::inherents::InherentDataProvider::from_timestamp_and_slot_duration(
								*timestamp,
								slot_duration,
							);
						let reveal = crate::vrf_reveal::VrfReveal::for_slot(
							&*client, &keystore, parent, *slot,
						)?;
						Ok((slot, timestamp, reveal))
					}
				},
				force_authoring,
				backoff_authoring_blocks,
				keystore: keystore_container.keystore(),
				sync_oracle: sync_service.clone(),
				justification_sync_link: sync_service.clone(),
				block_proposal_slot_portion: SlotProportion::new(BLOCK_PROPOSAL_SLOT_PORTION),
				max_block_proposal_slot_portion: None,
				telemetry: telemetry.as_ref().map(|x| x.handle()),
				compatibility_mode: Default::default(),
			},
		)?;

		// Block authoring is essential: if it fails the node stops instead of idling.
		task_manager.spawn_essential_handle().spawn_blocking("aura", Some("block-authoring"), aura);
	}

	if enable_grandpa {
		// Only validators vote, so only they need the keystore.
		let keystore = if role.is_authority() { Some(keystore_container.keystore()) } else { None };

		let grandpa_config = sc_consensus_grandpa::Config {
			gossip_duration: GRANDPA_GOSSIP_DURATION,
			justification_generation_period: GRANDPA_JUSTIFICATION_PERIOD,
			name: Some(name),
			observer_enabled: false,
			keystore,
			local_role: role,
			telemetry: telemetry.as_ref().map(|x| x.handle()),
			protocol_name: grandpa_protocol_name,
		};

		let grandpa_params = sc_consensus_grandpa::GrandpaParams {
			config: grandpa_config,
			link: grandpa_link,
			network,
			sync: Arc::new(sync_service),
			notification_service: grandpa_notification_service,
			voting_rule: sc_consensus_grandpa::VotingRulesBuilder::default().build(),
			prometheus_registry,
			shared_voter_state: SharedVoterState::empty(),
			telemetry: telemetry.as_ref().map(|x| x.handle()),
			offchain_tx_pool_factory: OffchainTransactionPoolFactory::new(transaction_pool),
		};

		// The voter is essential: a node that cannot finalize must not pretend to be healthy.
		task_manager.spawn_essential_handle().spawn_blocking(
			"grandpa-voter",
			None,
			sc_consensus_grandpa::run_grandpa_voter(grandpa_params)?,
		);
	}

	Ok(task_manager)
}
