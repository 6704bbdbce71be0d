//! Finding a chain's events by pallet and name in a node's blocks, through subxt.

use std::time::{Duration, Instant};

use subxt::{transactions::Payload, OnlineClient, PolkadotConfig};
use subxt_signer::sr25519::Keypair;

use crate::Node;

/// Every event of block `number` as (pallet, name, SCALE fields).
pub async fn block_events(
	api: &OnlineClient<PolkadotConfig>,
	number: u32,
) -> Vec<(String, String, Vec<u8>)> {
	let events = api.at_block(u64::from(number)).await.unwrap().events().fetch().await.unwrap();
	named(events.iter())
}

/// Events (a block's, or a transaction's) as (pallet, name, SCALE fields).
pub fn named<'a>(
	events: impl Iterator<
		Item = Result<subxt::events::Event<'a, PolkadotConfig>, subxt::error::EventsError>,
	>,
) -> Vec<(String, String, Vec<u8>)> {
	events
		.map(|event| {
			let event = event.unwrap();
			(
				event.pallet_name().to_owned(),
				event.event_name().to_owned(),
				event.field_bytes().to_vec(),
			)
		})
		.collect()
}

/// Scans blocks from `*next` to the best one for the first `<pallet>.<name>` event whose fields
/// `matches`; returns the block and the fields. `*next` moves past the scanned blocks.
pub async fn find_event(
	node: &Node,
	api: &OnlineClient<PolkadotConfig>,
	next: &mut u32,
	event: (&str, &str),
	matches: impl Fn(&[u8]) -> bool,
) -> Option<(u32, Vec<u8>)> {
	scan_until(api, next, node.best_number().await, event, matches).await
}

/// [`find_event`] over finalized blocks only. A best block can be replaced by a reorg after it
/// was scanned (several authors, or a validator's twin authoring beside it), and the event that
/// the replacing block carries would then be missed, or a later one taken for the first.
pub async fn find_final_event(
	node: &Node,
	api: &OnlineClient<PolkadotConfig>,
	next: &mut u32,
	event: (&str, &str),
	matches: impl Fn(&[u8]) -> bool,
) -> Option<(u32, Vec<u8>)> {
	scan_until(api, next, node.finalized_number().await, event, matches).await
}

async fn scan_until(
	api: &OnlineClient<PolkadotConfig>,
	next: &mut u32,
	last: u32,
	(pallet, name): (&str, &str),
	matches: impl Fn(&[u8]) -> bool,
) -> Option<(u32, Vec<u8>)> {
	while *next <= last {
		for (event_pallet, event, fields) in block_events(api, *next).await {
			if event_pallet == pallet && event == name && matches(&fields) {
				return Some((*next, fields));
			}
		}
		*next += 1;
	}
	None
}

/// Waits for the first `<pallet>.<name>` event from block `from` on whose fields `matches`;
/// panics with `diagnostics` after `timeout`.
pub async fn wait_for_event(
	node: &Node,
	api: &OnlineClient<PolkadotConfig>,
	from: u32,
	event: (&str, &str),
	timeout: Duration,
	diagnostics: impl Fn() -> String,
	matches: impl Fn(&[u8]) -> bool,
) -> (u32, Vec<u8>) {
	let deadline = Instant::now() + timeout;
	let mut next = from;
	loop {
		if let Some(found) = find_event(node, api, &mut next, event, &matches).await {
			return found;
		}
		if Instant::now() >= deadline {
			panic!(
				"no {}.{} within {}s\n{}\n{}",
				event.0,
				event.1,
				timeout.as_secs(),
				diagnostics(),
				node.log_tail()
			);
		}
		tokio::time::sleep(Duration::from_secs(1)).await;
	}
}

/// Signs `call` and waits until it is finalized and succeeded; returns its events as
/// (pallet, name, fields).
pub async fn submit(
	api: &OnlineClient<PolkadotConfig>,
	call: &impl Payload,
	signer: &Keypair,
) -> Vec<(String, String, Vec<u8>)> {
	let events = api
		.at_current_block()
		.await
		.unwrap()
		.transactions()
		.sign_and_submit_then_watch_default(call, signer)
		.await
		.unwrap()
		.wait_for_finalized_success()
		.await
		.unwrap_or_else(|e| panic!("{}.{} failed: {e}", call.pallet_name(), call.call_name()));
	named(events.iter())
}
