//! The indexer: follows the chain's finalized blocks from genesis (or from where the database
//! left off) and writes each one whole.
//!
//! Extrinsics and events are decoded by the metadata of the runtime that executed their block
//! (subxt fetches it per spec version), so blocks from before and after a runtime upgrade both
//! decode. Only finalized blocks are indexed, so nothing the explorer shows can be reverted. When
//! the node goes away the indexer logs it, waits and connects again.

use std::time::Duration;

use subxt::{
	dynamic::{At, Value},
	events::Phase,
	ext::scale_value::ValueDef,
	rpcs::{rpc_params, RpcClient},
	OnlineClient, PolkadotConfig,
};
use zerog_client::{
	chain::online_client,
	rpc::NodeRpc,
	value::{bytes32, number, to_json},
};
use zerog_primitives::hex::to_prefixed_hex;

use crate::{
	evm::eth_block,
	store::{Block, Event, Extrinsic, IndexedBlock, Store, SubjectRow, Transfer},
	subjects::subjects_of,
	LOG_TARGET,
};

/// How often the finalized head is polled.
const POLL: Duration = Duration::from_millis(500);

/// How long to wait before connecting again after the node went away.
const RECONNECT: Duration = Duration::from_secs(2);

/// Indexes `node_url`'s finalized blocks into `store` for ever, reconnecting when needed; the
/// EVM side of blocks from the Ethereum RPC at `eth_url`, if given.
pub async fn follow(node_url: String, eth_url: Option<String>, store: Store) {
	loop {
		match index_until_error(&node_url, eth_url.as_deref(), &store).await {
			Ok(()) => {},
			Err(error) => log::warn!(target: LOG_TARGET, "indexing stopped: {error}; retrying"),
		}
		tokio::time::sleep(RECONNECT).await;
	}
}

/// Connects and indexes until something fails.
async fn index_until_error(
	node_url: &str,
	eth_url: Option<&str>,
	store: &Store,
) -> Result<(), String> {
	let rpc = RpcClient::from_insecure_url(node_url)
		.await
		.map_err(|error| format!("cannot connect to {node_url}: {error}"))?;
	let api = online_client(rpc.clone()).await?;
	let eth = match eth_url {
		Some(url) => Some(
			NodeRpc::connect(url)
				.await
				.map_err(|error| format!("cannot connect to the Ethereum RPC {url}: {error}"))?,
		),
		None => None,
	};
	log::info!(target: LOG_TARGET, "following the finalized blocks of {node_url}");
	loop {
		let finalized = finalized_number(&rpc).await?;
		let next = store.last_indexed().await?.map_or(0, |last| last + 1);
		for number in next..=finalized {
			let block = index_block(&api, eth.as_ref(), number).await?;
			store.write_block(&block).await?;
			if number % 1000 == 0 || number == finalized {
				log::debug!(target: LOG_TARGET, "indexed up to block {number}");
			}
		}
		tokio::time::sleep(POLL).await;
	}
}

/// The number of the node's finalized head.
pub async fn finalized_number(rpc: &RpcClient) -> Result<u64, String> {
	let hash: String = rpc
		.request("chain_getFinalizedHead", rpc_params![])
		.await
		.map_err(|error| format!("chain_getFinalizedHead: {error}"))?;
	let header: serde_json::Value = rpc
		.request("chain_getHeader", rpc_params![hash])
		.await
		.map_err(|error| format!("chain_getHeader: {error}"))?;
	header
		.get("number")
		.and_then(serde_json::Value::as_str)
		.and_then(|hex| u64::from_str_radix(hex.trim_start_matches("0x"), 16).ok())
		.ok_or_else(|| format!("no block number in {header}"))
}

/// Reads and decodes block `number`: its header, extrinsics, events, transfers, the subjects
/// its events name and, with `eth`, its EVM transactions.
pub async fn index_block(
	api: &OnlineClient<PolkadotConfig>,
	eth: Option<&NodeRpc>,
	number: u64,
) -> Result<IndexedBlock, String> {
	let at = api.at_block(number).await.map_err(|error| format!("block {number}: {error}"))?;
	let header = at.block_header().await.map_err(|error| format!("block {number}: {error}"))?;
	let fetched =
		at.extrinsics().fetch().await.map_err(|error| format!("block {number}: {error}"))?;
	let events = at.events().fetch().await.map_err(|error| format!("block {number}: {error}"))?;

	let mut indexed = IndexedBlock::default();
	for event in events.iter() {
		let event = event.map_err(|error| format!("block {number}: an event: {error}"))?;
		let value = event
			.decode_as::<Value>()
			.map_err(|error| format!("block {number}: event {}: {error}", event.index()))?;
		let value = event_fields(value);
		let fields = to_json(&value);
		let extrinsic = match event.phase() {
			Phase::ApplyExtrinsic(index) => Some(index),
			_ => None,
		};
		let (pallet, name) = (event.pallet_name().to_owned(), event.event_name().to_owned());
		if pallet == "Balances" && name == "Transfer" {
			indexed.transfers.push(transfer_of(number, event.index(), &value)?);
		}
		for (kind, key) in subjects_of(&pallet, &fields) {
			indexed.subjects.push(SubjectRow {
				kind,
				key,
				block_number: number,
				event: event.index(),
			});
		}
		indexed.events.push(Event {
			block_number: number,
			position: event.index(),
			extrinsic,
			pallet,
			name,
			fields,
		});
	}

	let mut timestamp_ms = 0;
	for extrinsic in fetched.iter() {
		let extrinsic = extrinsic.map_err(|error| format!("block {number}: {error}"))?;
		let position = extrinsic.index() as u32;
		let mut args = serde_json::Map::new();
		for field in extrinsic.iter_call_data_fields() {
			let value = field.decode_as::<Value>().map_err(|error| {
				format!("block {number}: extrinsic {position}: {}: {error}", field.name())
			})?;
			args.insert(field.name().to_owned(), to_json(&value));
		}
		let (pallet, call) = (extrinsic.pallet_name().to_owned(), extrinsic.call_name().to_owned());
		if pallet == "Timestamp" && call == "set" {
			timestamp_ms = args
				.get("now")
				.and_then(|now| now.as_u64().or_else(|| now.as_str()?.parse().ok()))
				.unwrap_or(0);
		}
		let failed = indexed.events.iter().any(|event| {
			event.extrinsic == Some(position)
				&& event.pallet == "System"
				&& event.name == "ExtrinsicFailed"
		});
		indexed.extrinsics.push(Extrinsic {
			block_number: number,
			position,
			hash: format!("{:?}", extrinsic.hash()),
			pallet,
			call,
			signer: extrinsic.address_bytes().and_then(signer_of),
			success: !failed,
			args: serde_json::Value::Object(args),
		});
	}

	if let Some(eth) = eth {
		if indexed.extrinsics.iter().any(|extrinsic| extrinsic.pallet == "Revive") {
			indexed.eth = eth_block(eth, number).await?;
		}
	}

	indexed.block = Some(Block {
		number,
		hash: format!("{:?}", at.block_hash()),
		parent_hash: format!("{:?}", header.parent_hash),
		timestamp_ms,
		spec_version: at.spec_version(),
		extrinsic_count: indexed.extrinsics.len() as u32,
		event_count: indexed.events.len() as u32,
	});
	Ok(indexed)
}

/// The fields of an event decoded as the outer event enum (pallet variant, event variant,
/// fields), as one composite value.
fn event_fields(outer: Value) -> Value {
	let inner_values = |value: Value| match value.value {
		ValueDef::Variant(variant) => Some(variant.values),
		_ => None,
	};
	let Some(pallet_values) = inner_values(outer.clone()) else { return outer };
	let Some(event) = pallet_values.into_values().next() else { return outer };
	match inner_values(event) {
		Some(fields) => Value { value: ValueDef::Composite(fields), context: () },
		None => outer,
	}
}

/// The account of a `MultiAddress::Id` signer (a 0 byte, then 32 bytes), `0x` hex.
fn signer_of(address: &[u8]) -> Option<String> {
	match address {
		[0, account @ ..] if account.len() == 32 => Some(to_prefixed_hex(account)),
		_ => None,
	}
}

/// A `Balances.Transfer { from, to, amount }` event.
fn transfer_of(block_number: u64, event: u32, value: &Value) -> Result<Transfer, String> {
	let field = |name: &str| {
		value
			.at(name)
			.ok_or_else(|| format!("block {block_number}: Balances.Transfer has no `{name}`"))
	};
	Ok(Transfer {
		block_number,
		event,
		sender: to_prefixed_hex(&bytes32(field("from")?)?),
		recipient: to_prefixed_hex(&bytes32(field("to")?)?),
		amount: number(field("amount")?)?.to_string(),
	})
}
