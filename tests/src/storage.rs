//! What the storage end-to-end tests share: signed transactions, provider registration, and
//! reading acknowledgements, stakes and challenge outcomes from the chain.

use std::time::Duration;

use subxt::{
	dynamic::{self, At, Value},
	ext::codec::Decode,
	rpcs::rpc_params,
	OnlineClient, PolkadotConfig,
};
use subxt_signer::sr25519::Keypair;

use crate::{cli::hex, Node, NodeConfig};

/// One ZG in the smallest unit.
pub const ZG: u128 = 1_000_000_000_000_000_000;

/// The runtime's challenge period, in blocks (`runtime/src/configs/storage.rs`).
pub const CHALLENGE_PERIOD: u32 = 10;

/// Stake of Alice as the dev genesis registers her (`ROLE_STAKE`).
pub const ALICE_STAKE: u128 = 100 * ZG;

/// What the chain said about one challenge of the provider.
#[derive(Debug, PartialEq)]
pub enum Outcome {
	/// Proven in `period`, paid `reward`.
	Proven { period: u32, reward: u128 },
	/// Missed in `period`, `slashed` taken from the stake.
	Missed { period: u32, slashed: u128 },
}

/// Signs `call` with `signer` and waits until it is finalized and succeeded (any pallet's call:
/// the DA tests use it too).
pub async fn submit(
	api: &OnlineClient<PolkadotConfig>,
	call: impl subxt::transactions::Payload,
	signer: &Keypair,
) {
	api.at_current_block()
		.await
		.unwrap()
		.transactions()
		.sign_and_submit_then_watch_default(&call, signer)
		.await
		.unwrap()
		.wait_for_finalized_success()
		.await
		.unwrap();
}

/// Challenge outcomes of `provider` in blocks `from..=to`.
pub async fn outcomes(
	api: &OnlineClient<PolkadotConfig>,
	provider: &Keypair,
	from: u32,
	to: u32,
) -> Vec<Outcome> {
	let mut found = Vec::new();
	for number in from..=to {
		let events = api.at_block(u64::from(number)).await.unwrap().events().fetch().await.unwrap();
		for event in events.iter() {
			let event = event.unwrap();
			if event.pallet_name() != "StorageCommitments" {
				continue;
			}
			let mut fields = event.field_bytes();
			match event.event_name() {
				"ChallengeProven" => {
					let (who, period, _file, reward) =
						<([u8; 32], u32, u64, u128)>::decode(&mut fields).unwrap();
					if who == provider.public_key().0 {
						found.push(Outcome::Proven { period, reward });
					}
				},
				"ChallengeMissed" => {
					let (who, period, _file, slashed) =
						<([u8; 32], u32, u64, u128)>::decode(&mut fields).unwrap();
					if who == provider.public_key().0 {
						found.push(Outcome::Missed { period, slashed });
					}
				},
				_ => {},
			}
		}
	}
	found
}

/// Polls the provider's challenge outcomes from block `from` on until `done` accepts them.
pub async fn wait_for_outcomes(
	node: &Node,
	api: &OnlineClient<PolkadotConfig>,
	provider: &Keypair,
	from: u32,
	timeout: Duration,
	done: impl Fn(&[Outcome]) -> bool,
) -> Vec<Outcome> {
	let deadline = std::time::Instant::now() + timeout;
	let mut found = Vec::new();
	let mut scanned = from;
	while std::time::Instant::now() < deadline {
		let best = node.best_number().await;
		if best >= scanned {
			found.extend(outcomes(api, provider, scanned, best).await);
			scanned = best + 1;
		}
		if done(&found) {
			return found;
		}
		tokio::time::sleep(Duration::from_secs(1)).await;
	}
	panic!("provider outcomes so far {found:?}; node log:\n{}", node.log_tail());
}

/// `provider` registers with `stake`, serving at `endpoint`, and offers 1 GiB (files are
/// assigned to a provider only up to the disk space it declares).
pub async fn register_provider(
	api: &OnlineClient<PolkadotConfig>,
	provider: &Keypair,
	stake: u128,
	endpoint: Vec<u8>,
) {
	let register =
		dynamic::transaction("StorageCommitments", "register_provider", (stake, endpoint));
	submit(api, register, provider).await;
	let capacity = dynamic::transaction("StorageCommitments", "declare_capacity", (1u64 << 30,));
	submit(api, capacity, provider).await;
}

/// How many files `provider` acknowledged (its challengeable set), at the finalized block.
pub async fn acknowledged_files(api: &OnlineClient<PolkadotConfig>, provider: &Keypair) -> u32 {
	let at = api.at_current_block().await.unwrap();
	let address = dynamic::storage::<([u8; 32],), u32>("StorageCommitments", "AckedFileCount");
	// A provider without acknowledged files has no entry: the default, 0, comes back.
	let count = at.storage().fetch(address, (provider.public_key().0,)).await.unwrap();
	count.decode().unwrap()
}

/// The provider's stake as the pallet records it at the finalized block.
pub async fn provider_stake(api: &OnlineClient<PolkadotConfig>, provider: &Keypair) -> u128 {
	let at = api.at_current_block().await.unwrap();
	let address = dynamic::storage::<([u8; 32],), Value>("StorageCommitments", "Providers");
	let info = at.storage().fetch(address, (provider.public_key().0,)).await.unwrap();
	let info = info.decode().unwrap();
	info.at("stake").and_then(|v| v.as_u128()).expect("ProviderInfo has a stake")
}

/// Starts a full node of the dev chain named `name`, connected to `bootnode`, with its
/// off-chain worker on every block and no Ethereum RPC, puts the provider key `suri` of `key`
/// into its keystore, and registers `key` as a provider with `stake` at the node's data plane.
pub async fn start_provider_node(
	api: &OnlineClient<PolkadotConfig>,
	name: &str,
	bootnode: &str,
	suri: &str,
	key: &Keypair,
	stake: u128,
) -> Node {
	let node = Node::start(NodeConfig::chain(name, "dev").args([
		"--bootnodes",
		bootnode,
		"--offchain-worker",
		"always",
		"--no-eth-rpc",
	]));
	node.wait_for_best(1, Duration::from_secs(60)).await;
	let _: serde_json::Value = node
		.rpc()
		.await
		.request("author_insertKey", rpc_params!["zgst", suri, hex(&key.public_key().0)])
		.await
		.unwrap();
	register_provider(api, key, stake, node.storage_url().into_bytes()).await;
	node
}
