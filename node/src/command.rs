//! Dispatch of the command line to the node or to a maintenance subcommand.

use polkadot_sdk::{
	sc_cli::{self, SubstrateCli},
	sc_network,
	sc_service::{self, PartialComponents},
};
use zerog_primitives::{Hash, OpaqueBlock as Block};

use crate::{
	chain_spec,
	cli::{Cli, Subcommand},
	eth_rpc::EthRpcLaunch,
	service,
};

impl SubstrateCli for Cli {
	fn impl_name() -> String {
		"ZeroG Node".into()
	}

	fn impl_version() -> String {
		env!("SUBSTRATE_CLI_IMPL_VERSION").into()
	}

	fn description() -> String {
		"ZeroG: a chain for decentralized AI with an EVM, a storage network, a data-availability \
		 layer and a compute marketplace.\n\nStart a development chain with `zerog-node --dev`."
			.into()
	}

	fn author() -> String {
		env!("CARGO_PKG_AUTHORS").into()
	}

	fn support_url() -> String {
		"https://github.com/zerog/zerog/issues".into()
	}

	fn copyright_start_year() -> i32 {
		2026
	}

	fn load_spec(&self, id: &str) -> Result<Box<dyn sc_service::ChainSpec>, String> {
		chain_spec::load(id)
	}
}

/// Parses the command line and runs what it asks for.
pub fn run() -> sc_cli::Result<()> {
	let mut cli = Cli::from_args();
	// Addresses in RPC answers, logs and `key` subcommands use ZeroG's SS58 prefix, and RPCs
	// such as `system_accountNextIndex` accept addresses written with it.
	polkadot_sdk::sp_core::crypto::set_default_ss58_version(
		polkadot_sdk::sp_core::crypto::Ss58AddressFormat::custom(
			zerog_primitives::units::SS58_PREFIX,
		),
	);

	if let Some(Subcommand::EthRpc(_)) = &cli.subcommand {
		let Some(Subcommand::EthRpc(mut cmd)) = cli.subcommand.take() else { unreachable!() };
		crate::rpc_port::pin_cli_endpoints(
			&mut cmd.rpc_params,
			cmd.shared_params.dev,
			crate::eth_rpc::DEFAULT_ETH_RPC_PORT,
		)?;
		return pallet_revive_eth_rpc::cli::run(cmd)
			.map_err(|error| sc_cli::Error::Application(error.into()));
	}
	if cli.run.shared_params.dev && cli.run.import_params.pruning_params.state_pruning.is_none() {
		// A development chain keeps all state, so every Ethereum receipt stays queryable.
		cli.run.import_params.pruning_params.state_pruning =
			Some(sc_cli::DatabasePruningMode::Archive);
	}

	match &cli.subcommand {
		Some(Subcommand::Key(cmd)) => cmd.run(&cli),
		Some(Subcommand::BuildSpec(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run(config.chain_spec, config.network))
		},
		Some(Subcommand::CreateSpec(cmd)) => cmd.run().map_err(sc_cli::Error::Input),
		Some(Subcommand::CheckSpec(cmd)) => cmd.run().map_err(sc_cli::Error::Input),
		Some(Subcommand::TryRuntime(cmd)) => {
			// The runtime's log (each migration and check) goes to stderr.
			sc_cli::LoggerBuilder::new("").init()?;
			cmd.run().map_err(sc_cli::Error::Input)
		},
		Some(Subcommand::CheckBlock(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, import_queue, .. } =
					service::new_partial(&config)?;
				Ok((cmd.run(client, import_queue), task_manager))
			})
		},
		Some(Subcommand::ExportBlocks(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, .. } = service::new_partial(&config)?;
				Ok((cmd.run(client, config.database), task_manager))
			})
		},
		Some(Subcommand::ExportState(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, .. } = service::new_partial(&config)?;
				Ok((cmd.run(client, config.chain_spec), task_manager))
			})
		},
		Some(Subcommand::ImportBlocks(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, import_queue, .. } =
					service::new_partial(&config)?;
				Ok((cmd.run(client, import_queue), task_manager))
			})
		},
		Some(Subcommand::PurgeChain(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run(config.database))
		},
		Some(Subcommand::Revert(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, backend, .. } =
					service::new_partial(&config)?;
				// GRANDPA keeps its authority-set history in the auxiliary database; it must be
				// rolled back with the blocks.
				let aux_revert = Box::new(|client, _, blocks| {
					polkadot_sdk::sc_consensus_grandpa::revert(client, blocks)?;
					Ok(())
				});
				Ok((cmd.run(client, backend, Some(aux_revert)), task_manager))
			})
		},
		Some(Subcommand::ChainInfo(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run::<Block>(&config))
		},
		Some(Subcommand::Benchmark(cmd)) => crate::benchmarking::run(&cli, cmd),
		Some(Subcommand::EthRpc(_)) => unreachable!("handled above"),
		None => {
			let runner = cli.create_runner(&cli.run)?;
			let eth_rpc_params = cli.eth_rpc.clone();
			let compute_executor = cli.compute.compute_executor.clone();
			let executor_token = cli
				.compute
				.compute_executor_token_file
				.as_deref()
				.map(crate::compute_executor::read_executor_token)
				.transpose()
				.map_err(sc_cli::Error::Input)?;
			let data_prune_interval = cli.pruning.data_prune_interval;
			let storage_listen = cli.storage.listen_address();
			let data_limits = (cli.data_store.data_max_size, cli.data_store.data_min_free);
			let rpc_port_given = cli.run.rpc_params.rpc_port.is_some();
			runner.run_node_until_exit(|mut config| async move {
				crate::rpc_port::pin_node_endpoints(rpc_port_given, config.rpc.addr.as_mut());
				let compute_executor = crate::compute_executor::executor_url(
					compute_executor,
					&config.chain_spec.chain_type(),
				)
				.map(|url| (url, executor_token));
				let eth_rpc = EthRpcLaunch::plan(&eth_rpc_params, &config);
				let task_manager = match config.network.network_backend {
					sc_network::config::NetworkBackendType::Libp2p => {
						service::new_full::<sc_network::NetworkWorker<Block, Hash>>(
							config,
							service::ZeroGOptions {
								compute_executor,
								data_prune_interval,
								storage_listen,
								data_limits,
							},
						)?
					},
					sc_network::config::NetworkBackendType::Litep2p => {
						service::new_full::<sc_network::Litep2pNetworkBackend>(
							config,
							service::ZeroGOptions {
								compute_executor,
								data_prune_interval,
								storage_listen,
								data_limits,
							},
						)?
					},
				};
				// The node's RPC server is up once `new_full` returns, so the adapter can connect.
				if let Some(eth_rpc) = eth_rpc {
					eth_rpc.spawn(&task_manager.spawn_handle())?;
				}
				Ok(task_manager)
			})
		},
	}
}
