//! Four validators of the checked-in `chain-specs/local.json` (Alice, Bob, Charlie and Dave; four
//! GRANDPA voters of equal weight, so finality needs three of them) through node failures.
//!
//! One network serves every scenario, in this order (each starts from the state the previous one
//! left):
//!
//! 1. all four validators peer, each authors blocks of the canonical chain (read from the Aura
//!    pre-runtime digest of every block, and from each node's
//!    `substrate_proposer_block_constructed_count` metric), and all four finalize;
//! 2. Dave is killed (SIGKILL): the other three keep finalizing;
//! 3. Dave is restarted on the same base path and ports: he catches up with the others' best and
//!    finalized blocks;
//! 5. (checked at each restart, in 3 and 4) a node restarted after kill -9 keeps its database:
//!    the best block it reports at start-up, read from disk before the network could deliver
//!    anything, is at least the best block it had before the kill; its finalized block too;
//! 4. Charlie and Dave are killed: Alice and Bob go on authoring in their own slots but finality
//!    stalls for more than 8 blocks; Charlie is restarted and finality recovers on all three.
//! 6. Dave is back, and the four upgrade their runtime through governance without a restart: a
//!    referendum on the `root` track authorizes the next release's runtime
//!    (`next_runtime_wasm`, spec version + 1), anyone applies it unsigned, every node runs it
//!    from the next block, blocks and finality go on, balances are intact and the Ethereum RPC
//!    answers. The longest gap between blocks and the largest finality lag around the upgrade
//!    are printed.
//! 7. Eve and Ferdie join by bonding: their nodes make session keys, they register them and
//!    bond, and from the session after next Eve authors blocks of the canonical chain (the block
//!    gap and finality lag meanwhile are printed). An equivocation report from outside a node is
//!    refused. Eve leaves (her bond unbonds, held) and is out of the set; meanwhile a twin of
//!    Ferdie's node votes with his GRANDPA key, the others report it, part of his bond is burned
//!    and he is out of the set too, while the four go on finalizing.
//!
//! Recovery is asserted against bounds, and the measured times are printed:
//! - a node restarted after kill -9 answers RPC within [`RPC_BACK_WITHIN`];
//! - a validator restarted on its database has the others' best and finalized blocks within
//!   [`CATCH_UP_WITHIN`];
//! - with two of four validators down, finality is back within [`FINALITY_BACK_WITHIN`] of one
//!   of them restarting.
//!
//! Blocks come every 2 s when all four author; the other waits are generous for a loaded
//! 2-core machine, and every wait polls instead of sleeping for a fixed time.

use std::{
	collections::{BTreeMap, BTreeSet},
	sync::atomic::{AtomicBool, Ordering},
	time::{Duration, Instant},
};

use polkadot_sdk::sp_core::{ed25519, Pair};
use serde_json::{json, Value};
use subxt::{
	ext::codec::Decode,
	rpcs::{rpc_params, RpcClient},
	OnlineClient, PolkadotConfig,
};
use subxt_signer::sr25519::{dev, Keypair};
use zerog_e2e_tests::{
	block_number,
	cli::unhex,
	events::{block_events, find_final_event, submit, wait_for_event},
	governance::{pass_referendum, root_origin},
	next_runtime_wasm, reserve_port, workspace_root, Node, NodeConfig,
};

/// How long any one wait that is not a recovery bound may take.
const TIMEOUT: Duration = Duration::from_secs(180);

/// A node restarted after kill -9 answers RPC within this (polkadot-sdk's zombienet suites
/// expect "node up within 10 s").
const RPC_BACK_WITHIN: Duration = Duration::from_secs(10);

/// A validator restarted on its database has the others' best and finalized blocks within this.
const CATCH_UP_WITHIN: Duration = Duration::from_secs(30);

/// With two of four voters down, finality is back within this once one of them restarts.
const FINALITY_BACK_WITHIN: Duration = Duration::from_secs(60);

const ALICE: usize = 0;
const BOB: usize = 1;
const CHARLIE: usize = 2;
const DAVE: usize = 3;
const NAMES: [&str; 4] = ["alice", "bob", "charlie", "dave"];

/// Blocks the chain must grow by, with finality standing still, before a stall counts.
const STALL_BLOCKS: u32 = 8;

/// A libp2p ed25519 secret key as `--node-key` takes it: 32 bytes in hex.
fn node_key(index: usize) -> String {
	format!("{:064x}", index + 1)
}

/// Starts validator `index` (`--alice`, ... puts its dev Aura and GRANDPA keys in the keystore).
/// Alice also serves the Ethereum RPC.
fn start_validator(index: usize, spec: &str, bootnode: Option<&str>) -> Node {
	let name = NAMES[index];
	let mut args =
		vec![format!("--{name}"), "--validator".into(), "--node-key".into(), node_key(index)];
	if let Some(bootnode) = bootnode {
		args.extend(["--bootnodes".into(), bootnode.into()]);
	}
	if index == ALICE {
		args.extend(["--eth-rpc-port".into(), reserve_port().to_string()]);
	}
	Node::start(NodeConfig::chain(&format!("validator-{name}"), spec).args(args))
}

/// The Aura authorities in slot order at block `at` (the best block when `None`).
async fn aura_authorities(node: &Node, at: Option<&Value>) -> Vec<[u8; 32]> {
	let encoded: String = node
		.rpc()
		.await
		.request("state_call", rpc_params!["AuraApi_authorities", "0x", at])
		.await
		.unwrap();
	Vec::<[u8; 32]>::decode(&mut &unhex(&encoded)[..]).expect("a list of sr25519 keys")
}

/// The Aura authorities in slot order, as names of the dev keys. The session orders the
/// genesis validators by account (Dave, Bob, Charlie, Alice).
async fn authority_names(node: &Node) -> Vec<&'static str> {
	let dev_keys =
		[dev::alice(), dev::bob(), dev::charlie(), dev::dave()].map(|k| k.public_key().0);
	aura_authorities(node, None)
		.await
		.iter()
		.map(|key| {
			let index = dev_keys.iter().position(|dev| dev == key).expect("a dev authority");
			NAMES[index]
		})
		.collect()
}

/// The slot of a block, from its Aura pre-runtime digest: `DigestItem::PreRuntime` (6), engine
/// `aura`, then the slot as a SCALE `Vec<u8>` of 8 bytes (compact length `0x20`), little endian.
fn aura_slot(header: &Value) -> u64 {
	header["digest"]["logs"]
		.as_array()
		.expect("the header has digest logs")
		.iter()
		.find_map(|log| {
			let bytes = unhex(log.as_str()?);
			let slot = bytes.strip_prefix(&[6, b'a', b'u', b'r', b'a', 0x20][..])?;
			Some(u64::from_le_bytes(slot.get(..8)?.try_into().ok()?))
		})
		.expect("every block has an Aura pre-runtime digest")
}

/// Authors of the blocks `from..=to` of `node`'s best chain, by block number.
async fn authors(
	node: &Node,
	authorities: &[&'static str],
	from: u32,
	to: u32,
) -> BTreeMap<u32, &'static str> {
	let rpc: RpcClient = node.rpc().await;
	let mut found = BTreeMap::new();
	for number in from..=to {
		let hash: Value = rpc.request("chain_getBlockHash", rpc_params![number]).await.unwrap();
		let header: Value = rpc.request("chain_getHeader", rpc_params![hash]).await.unwrap();
		assert_eq!(block_number(&header), number);
		let slot = aura_slot(&header);
		found.insert(number, authorities[(slot % authorities.len() as u64) as usize]);
	}
	found
}

/// The best block number `node` read from its database at start-up (the sc-service line
/// `Highest known block at #N`, logged before the network is polled), in its latest run. The
/// log may reach the file after the RPC port opens, so this polls for it.
async fn best_at_startup(node: &Node) -> u32 {
	const LINE: &str = "Highest known block at #";
	let deadline = Instant::now() + TIMEOUT;
	loop {
		let log = node.log_text();
		let run = log.rsplit("restarted by the test").next().unwrap();
		if let Some(at) = run.find(LINE) {
			let digits: String =
				run[at + LINE.len()..].chars().take_while(char::is_ascii_digit).collect();
			return digits.parse().unwrap();
		}
		assert!(
			Instant::now() < deadline,
			"{} logs no best block:\n{}",
			node.name,
			node.log_tail()
		);
		tokio::time::sleep(Duration::from_millis(200)).await;
	}
}

/// Restarts a killed node on its base path and checks that it answers RPC within
/// [`RPC_BACK_WITHIN`] and that its database survived the kill: the best block at start-up and
/// the finalized block right after are not behind what it had. Returns when the restart began.
async fn restart_keeps_database(
	node: &mut Node,
	best_before: u32,
	finalized_before: u32,
) -> Instant {
	let restarted = Instant::now();
	let rpc_back = node.restart();
	println!("{} answers RPC {rpc_back:?} after its restart", node.name);
	assert!(
		rpc_back <= RPC_BACK_WITHIN,
		"{} answered RPC {rpc_back:?} after its restart, more than {RPC_BACK_WITHIN:?}:\n{}",
		node.name,
		node.log_tail()
	);
	let best_from_disk = best_at_startup(node).await;
	assert!(
		best_from_disk >= best_before,
		"{} came back at #{best_from_disk}, below its best #{best_before} before kill -9",
		node.name
	);
	let finalized = node.finalized_number().await;
	assert!(
		finalized >= finalized_before,
		"{} came back finalized at #{finalized}, below #{finalized_before} before kill -9",
		node.name
	);
	println!(
		"{} restarted after kill -9: best #{best_from_disk} from disk (#{best_before} before), \
		 finalized #{finalized} (#{finalized_before} before)",
		node.name
	);
	restarted
}

/// The highest finalized block among `nodes`.
async fn max_finalized(nodes: &[&Node]) -> u32 {
	let mut max = 0;
	for node in nodes {
		max = max.max(node.finalized_number().await);
	}
	max
}

#[tokio::test(flavor = "multi_thread")]
async fn four_validators_author_finalize_survive_failures_and_upgrade() {
	let started = Instant::now();
	let spec = workspace_root().join("chain-specs/local.json");
	let spec = spec.to_str().unwrap();

	let alice = start_validator(ALICE, spec, None);
	let bootnode = alice.multiaddr().await;
	let mut net = vec![alice];
	for index in [BOB, CHARLIE, DAVE] {
		net.push(start_validator(index, spec, Some(&bootnode)));
	}

	// 1. Every node finds the other three, every validator authors, every node finalizes.
	for node in &net {
		node.wait_until("three peers", TIMEOUT, || async { node.peers().await >= 3 }).await;
	}
	let authorities = authority_names(&net[ALICE]).await;
	assert_eq!(
		authorities.iter().copied().collect::<BTreeSet<_>>(),
		BTreeSet::from(NAMES),
		"local.json's genesis validators author"
	);

	let mut seen = BTreeMap::new();
	let deadline = Instant::now() + TIMEOUT;
	loop {
		let best = net[ALICE].best_number().await;
		let from = seen.keys().next_back().map_or(1, |last| last + 1);
		seen.extend(authors(&net[ALICE], &authorities, from, best).await);
		let distinct: BTreeSet<&str> = seen.values().copied().collect();
		if distinct.len() == NAMES.len() {
			break;
		}
		assert!(Instant::now() < deadline, "authors so far {seen:?}:\n{}", net[ALICE].log_tail());
		tokio::time::sleep(Duration::from_secs(1)).await;
	}
	let all_authored_at = *seen.keys().next_back().unwrap();
	for node in &net {
		node.wait_for_finalized(all_authored_at, TIMEOUT).await;
		let constructed = node.prometheus_metric("substrate_proposer_block_constructed_count");
		assert!(
			constructed.is_some_and(|count| count >= 1.0),
			"{} reports {constructed:?} blocks constructed",
			node.name
		);
	}
	println!("1. all four authored and finalized #{all_authored_at} ({:?})", started.elapsed());

	// 2. Dave is killed: three of four voters are more than two thirds, finality goes on.
	let dave_best = net[DAVE].best_number().await;
	let dave_finalized = net[DAVE].finalized_number().await;
	net[DAVE].kill();
	let survivors = [&net[ALICE], &net[BOB], &net[CHARLIE]];
	let finalized = max_finalized(&survivors).await;
	for node in survivors {
		node.wait_for_finalized(finalized + 5, TIMEOUT).await;
	}
	println!("2. without Dave, finalized past #{} ({:?})", finalized + 5, started.elapsed());

	// 3 and 5. Dave comes back on his database and catches up with the others.
	let restarted = restart_keeps_database(&mut net[DAVE], dave_best, dave_finalized).await;
	let best = net[ALICE].best_number().await;
	let finalized = net[ALICE].finalized_number().await;
	let left = CATCH_UP_WITHIN.saturating_sub(restarted.elapsed());
	net[DAVE].wait_for_best(best, left).await;
	let left = CATCH_UP_WITHIN.saturating_sub(restarted.elapsed());
	net[DAVE].wait_for_finalized(finalized, left).await;
	let caught_up = restarted.elapsed();
	assert!(caught_up <= CATCH_UP_WITHIN, "Dave caught up in {caught_up:?}");
	net[DAVE].wait_until("three peers", TIMEOUT, || async { net[DAVE].peers().await >= 3 }).await;
	println!(
		"3. Dave caught up with #{best}, finalized #{finalized}, {caught_up:?} after his restart \
		 (bound {CATCH_UP_WITHIN:?}) ({:?})",
		started.elapsed()
	);

	// 4. Charlie and Dave are killed: two of four voters cannot finalize, but Alice and Bob
	// still author in their slots.
	let charlie_best = net[CHARLIE].best_number().await;
	let charlie_finalized = net[CHARLIE].finalized_number().await;
	net[CHARLIE].kill();
	net[DAVE].kill();
	// Let a round whose votes were already out complete before finality is sampled.
	let best = net[ALICE].best_number().await;
	net[ALICE].wait_for_best(best + 2, TIMEOUT).await;
	let stalled_alice = net[ALICE].finalized_number().await;
	let stalled_bob = net[BOB].finalized_number().await;
	let stall_from = net[ALICE].best_number().await;
	net[ALICE].wait_for_best(stall_from + STALL_BLOCKS, TIMEOUT).await;
	net[BOB].wait_for_best(stall_from + STALL_BLOCKS, TIMEOUT).await;
	assert_eq!(net[ALICE].finalized_number().await, stalled_alice, "Alice finalized with 2 of 4");
	assert_eq!(net[BOB].finalized_number().await, stalled_bob, "Bob finalized with 2 of 4");
	let stalled_authors =
		authors(&net[ALICE], &authorities, stall_from + 1, stall_from + STALL_BLOCKS).await;
	let distinct: BTreeSet<&str> = stalled_authors.values().copied().collect();
	assert_eq!(
		distinct,
		BTreeSet::from(["alice", "bob"]),
		"only and both of the two live validators author: {stalled_authors:?}"
	);
	println!(
		"4. with two of four, blocks #{}..=#{} by {distinct:?}, finality stalled at \
		 #{stalled_alice} ({:?})",
		stall_from + 1,
		stall_from + STALL_BLOCKS,
		started.elapsed()
	);

	// Charlie comes back (on his database, 5 again): three voters, finality recovers on all of
	// them up to the blocks authored while it stalled.
	let restarted =
		restart_keeps_database(&mut net[CHARLIE], charlie_best, charlie_finalized).await;
	let target = net[ALICE].best_number().await;
	for node in [&net[ALICE], &net[BOB], &net[CHARLIE]] {
		let left = FINALITY_BACK_WITHIN.saturating_sub(restarted.elapsed());
		node.wait_for_finalized(target, left).await;
	}
	let finality_back = restarted.elapsed();
	assert!(finality_back <= FINALITY_BACK_WITHIN, "finality back in {finality_back:?}");
	println!(
		"4. with Charlie back, all three finalized #{target} {finality_back:?} after his restart \
		 (bound {FINALITY_BACK_WITHIN:?}) ({:?})",
		started.elapsed()
	);
	// 6. Dave comes back, and the four upgrade their runtime through a referendum.
	net[DAVE].restart();
	let finalized = net[ALICE].finalized_number().await;
	net[DAVE].wait_for_finalized(finalized, TIMEOUT).await;
	upgrade_through_a_referendum(&net, started).await;
	// 7. Eve and Ferdie join by bonding; Eve authors and leaves, Ferdie equivocates and is
	// slashed out.
	validators_join_leave_and_are_slashed(&net, spec, &bootnode, started).await;
}

/// The spec version a node's best block runs.
async fn spec_version(node: &Node) -> u64 {
	let version: Value =
		node.rpc().await.request("state_getRuntimeVersion", rpc_params![]).await.unwrap();
	version["specVersion"].as_u64().expect("specVersion")
}

/// What a node holds for `key` at its best block, raw.
async fn raw_storage(node: &Node, key: &[u8]) -> Option<String> {
	let key = zerog_e2e_tests::cli::hex(key);
	node.rpc().await.request("state_getStorage", rpc_params![key]).await.unwrap()
}

/// Scenario 6: a referendum on the `root` track authorizes the next release's runtime by its
/// hash, anyone submits the code unsigned, and every node switches to it without a restart.
async fn upgrade_through_a_referendum(net: &[Node], started: Instant) {
	use sp_crypto_hashing::{blake2_128, blake2_256, twox_128};
	use subxt::dynamic::{self, Value as Dyn};

	let alice = &net[ALICE];
	let wasm = std::fs::read(next_runtime_wasm()).expect("the next runtime is readable");
	let before = spec_version(alice).await;
	// State nobody touches during the upgrade: //Alice//stash's account, and an Ethereum dev
	// account's balance as the Ethereum RPC reports it.
	let stash = subxt_signer::sr25519::Keypair::from_uri(&"//Alice//stash".parse().unwrap())
		.unwrap()
		.public_key()
		.0;
	let account_key =
		[&twox_128(b"System")[..], &twox_128(b"Account"), &blake2_128(&stash), &stash].concat();
	let stash_account = raw_storage(alice, &account_key).await;
	assert!(stash_account.is_some(), "//Alice//stash is funded in local.json");
	let eth_account = json!(["0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc", "latest"]);
	let eth_balance = alice.eth_request("eth_getBalance", eth_account.clone()).unwrap();

	let code_hash = blake2_256(&wasm);
	let authorize =
		dynamic::transaction("System", "authorize_upgrade", (Dyn::from_bytes(code_hash),));
	let (index, confirmed) = pass_referendum(alice, root_origin(), &authorize).await;
	let api = alice.new_client().await;
	let (authorized, _) = wait_for_event(
		alice,
		&api,
		confirmed,
		("System", "UpgradeAuthorized"),
		TIMEOUT,
		|| format!("referendum {index} confirmed at #{confirmed} authorized nothing"),
		|fields| fields.starts_with(&code_hash),
	)
	.await;
	println!(
		"6. referendum {index} confirmed at #{confirmed}, upgrade authorized at #{authorized} ({:?})",
		started.elapsed()
	);

	// Anyone may apply an authorized upgrade: unsigned, free. Block times and finality lag are
	// sampled on Alice's node while it is applied.
	let apply =
		dynamic::transaction("System", "apply_authorized_upgrade", (Dyn::from_bytes(&wasm),));
	let submitted_at = alice.best_number().await;
	let transaction =
		api.at_current_block().await.unwrap().transactions().create_unsigned(&apply).unwrap();
	let switched = AtomicBool::new(false);
	let sampling = sample_chain(alice, &switched);
	let applying = async {
		transaction
			.submit_and_watch()
			.await
			.expect("the node accepts the code")
			.wait_for_finalized_success()
			.await
			.expect("apply_authorized_upgrade succeeds")
	};
	let watching = async {
		let deadline = Instant::now() + TIMEOUT;
		loop {
			let (best, finalized) = (alice.best_number().await, alice.finalized_number().await);
			if spec_version(alice).await > before && finalized >= best.saturating_sub(2)
				|| Instant::now() > deadline
			{
				// Ten more blocks after the switch.
				let _ =
					tokio::time::timeout(TIMEOUT, alice.wait_for_best(best + 10, TIMEOUT)).await;
				switched.store(true, Ordering::Relaxed);
				return;
			}
			tokio::time::sleep(Duration::from_millis(200)).await;
		}
	};
	let (events, samples, ()) = tokio::join!(applying, sampling, watching);
	assert!(
		events.iter().any(|event| {
			let event = event.unwrap();
			event.pallet_name() == "System" && event.event_name() == "CodeUpdated"
		}),
		"System.CodeUpdated"
	);

	// Every node runs the new runtime, and goes on authoring and finalizing with it.
	let upgraded_at = alice.best_number().await;
	for node in net {
		node.wait_until("the new runtime", TIMEOUT, || async {
			spec_version(node).await == before + 1
		})
		.await;
	}
	for node in net {
		node.wait_for_finalized(upgraded_at + 5, TIMEOUT).await;
	}
	let authorities = authority_names(alice).await;
	assert_eq!(authorities.len(), NAMES.len(), "the same validators after the upgrade");
	assert_eq!(raw_storage(alice, &account_key).await, stash_account, "//Alice//stash intact");
	assert_eq!(
		alice.eth_request("eth_getBalance", eth_account).unwrap(),
		eth_balance,
		"the Ethereum RPC answers, the balance is intact"
	);
	let eth_block = alice.eth_request("eth_blockNumber", json!([])).unwrap();
	let eth_block = u64::from_str_radix(
		eth_block["result"].as_str().expect("eth_blockNumber").trim_start_matches("0x"),
		16,
	)
	.unwrap();
	assert!(eth_block >= u64::from(upgraded_at), "eth_blockNumber {eth_block} follows the chain");

	// What the upgrade cost the chain: the longest wait for a new best block and the largest
	// distance between best and finalized, from the submission to ten blocks after the switch.
	let (longest_gap, largest_lag) = block_gap_and_finality_lag(&samples);
	println!(
		"6. runtime {before} -> {} applied on all four (submitted at #{submitted_at}, #{upgraded_at} \
		 when seen): longest wait for a block {longest_gap:?} (slot 2 s), largest finality lag \
		 {largest_lag} blocks; code {} bytes ({:?})",
		before + 1,
		wasm.len(),
		started.elapsed()
	);
}

/// (when, best, finalized) of `node` every 200 ms until `stop` is set.
async fn sample_chain(node: &Node, stop: &AtomicBool) -> Vec<(Instant, u32, u32)> {
	let mut samples = Vec::new();
	while !stop.load(Ordering::Relaxed) {
		let (best, finalized) = (node.best_number().await, node.finalized_number().await);
		samples.push((Instant::now(), best, finalized));
		tokio::time::sleep(Duration::from_millis(200)).await;
	}
	samples
}

/// The longest wait for a new best block and the largest distance between best and finalized
/// in `samples`.
fn block_gap_and_finality_lag(samples: &[(Instant, u32, u32)]) -> (Duration, u32) {
	let Some(&(mut last_new_block, mut last_best, _)) = samples.first() else {
		return (Duration::ZERO, 0);
	};
	let mut longest_gap = Duration::ZERO;
	let mut largest_lag = 0;
	for &(at, best, finalized) in samples {
		if best > last_best {
			longest_gap = longest_gap.max(at - last_new_block);
			last_new_block = at;
			last_best = best;
		}
		largest_lag = largest_lag.max(best.saturating_sub(finalized));
	}
	(longest_gap, largest_lag)
}

/// The accounts of the current session's validators (`Session.Validators`, read raw).
async fn session_validators(node: &Node) -> Vec<[u8; 32]> {
	use sp_crypto_hashing::twox_128;
	let key = [twox_128(b"Session"), twox_128(b"Validators")].concat();
	let value = raw_storage(node, &key).await.expect("the session has validators");
	Vec::<[u8; 32]>::decode(&mut &unhex(&value)[..]).expect("a list of accounts")
}

/// How many GRANDPA voters the set has that `node`'s finalized head enacted: the set its GRANDPA
/// voter counts votes in (a set change takes effect when its block is finalized).
async fn finalized_grandpa_voters(node: &Node) -> usize {
	let rpc = node.rpc().await;
	let head: String = rpc.request("chain_getFinalizedHead", rpc_params![]).await.unwrap();
	let authorities: String = rpc
		.request("state_call", rpc_params!["GrandpaApi_grandpa_authorities", "0x", head])
		.await
		.unwrap();
	Vec::<([u8; 32], u64)>::decode(&mut &unhex(&authorities)[..])
		.expect("GRANDPA authorities and weights")
		.len()
}

/// Whether block `number` of `node`'s best chain was authored with `aura_key`: its slot,
/// modulo the Aura authorities at its parent.
async fn authored_by(node: &Node, number: u32, aura_key: &[u8]) -> bool {
	let rpc: RpcClient = node.rpc().await;
	let hash: Value = rpc.request("chain_getBlockHash", rpc_params![number]).await.unwrap();
	let header: Value = rpc.request("chain_getHeader", rpc_params![hash]).await.unwrap();
	let authorities = aura_authorities(node, Some(&header["parentHash"])).await;
	let slot = aura_slot(&header);
	authorities[(slot % authorities.len() as u64) as usize] == aura_key
}

/// A validator that joins by bonding: her node, the keystore in which it made her session keys
/// (`author_rotateKeysWithOwner`), and the keys with their proof of ownership.
struct Joiner {
	signer: Keypair,
	node: Node,
	keystore: tempfile::TempDir,
	keys: Vec<u8>,
	proof: Vec<u8>,
}

impl Joiner {
	/// Starts the validator node of dev account `name` (network index `index`) on a keystore of
	/// its own, and has it make session keys for her once it has the chain's best block.
	async fn start(name: &str, signer: Keypair, index: usize, spec: &str, bootnode: &str) -> Self {
		let keystore = tempfile::tempdir().unwrap();
		let node = Node::start(NodeConfig::chain(&format!("validator-{name}"), spec).args([
			"--validator".to_owned(),
			"--keystore-path".into(),
			keystore.path().to_str().unwrap().into(),
			"--bootnodes".into(),
			bootnode.into(),
			"--node-key".into(),
			node_key(index),
		]));
		let generated: Value = node
			.rpc()
			.await
			.request(
				"author_rotateKeysWithOwner",
				rpc_params![zerog_e2e_tests::cli::hex(&signer.public_key().0)],
			)
			.await
			.unwrap();
		let keys = unhex(generated["keys"].as_str().expect("session keys"));
		let proof = unhex(generated["proof"].as_str().expect("the runtime proves the keys"));
		assert_eq!(keys.len(), 5 * 32, "aura, grandpa and three worker keys");
		Joiner { signer, node, keystore, keys, proof }
	}

	fn account(&self) -> [u8; 32] {
		self.signer.public_key().0
	}

	fn aura_key(&self) -> &[u8] {
		&self.keys[..32]
	}

	/// Registers her session keys and bonds as a candidate; returns the bond
	/// (`CollatorSelection.CandidateAdded { account_id, deposit }`).
	async fn bond(&self, api: &OnlineClient<PolkadotConfig>) -> u128 {
		use subxt::dynamic::{self, Value as Dyn};
		let key = |i: usize| Dyn::from_bytes(&self.keys[i * 32..(i + 1) * 32]);
		let session_keys = Dyn::named_composite([
			("aura", key(0)),
			("grandpa", key(1)),
			("storage", key(2)),
			("da", key(3)),
			("compute", key(4)),
		]);
		let set_keys = dynamic::transaction(
			"Session",
			"set_keys",
			(session_keys, Dyn::from_bytes(&self.proof)),
		);
		submit(api, &set_keys, &self.signer).await;
		let register =
			dynamic::transaction("CollatorSelection", "register_as_candidate", Vec::<Dyn>::new());
		let events = submit(api, &register, &self.signer).await;
		let (_, _, fields) = events
			.iter()
			.find(|(pallet, name, fields)| {
				pallet == "CollatorSelection"
					&& name == "CandidateAdded"
					&& fields.starts_with(&self.account())
			})
			.unwrap_or_else(|| panic!("CollatorSelection.CandidateAdded: {events:?}"));
		u128::decode(&mut &fields[32..]).expect("the deposit")
	}

	/// Her GRANDPA key pair, read from her node's keystore (a `gran` key file holds its phrase).
	fn grandpa_pair(&self) -> ed25519::Pair {
		let keystore_file = std::fs::read_dir(self.keystore.path())
			.unwrap()
			.map(|entry| entry.unwrap().path())
			.find(|path| path.file_name().unwrap().to_str().unwrap().starts_with("6772616e"))
			.expect("her node holds a GRANDPA (`gran`) key");
		let phrase: String =
			serde_json::from_slice(&std::fs::read(keystore_file).unwrap()).unwrap();
		let pair = ed25519::Pair::from_phrase(&phrase, None).unwrap().0;
		assert_eq!(pair.public().0[..], self.keys[32..64], "the registered GRANDPA key");
		pair
	}

	/// A second node on a copy of her keystore (a full node until it is restarted with
	/// `--validator`), which then votes with her GRANDPA key as well.
	fn start_twin(&self, index: usize, spec: &str, bootnode: &str) -> (Node, tempfile::TempDir) {
		let keystore = tempfile::tempdir().unwrap();
		for entry in std::fs::read_dir(self.keystore.path()).unwrap() {
			let entry = entry.unwrap();
			std::fs::copy(entry.path(), keystore.path().join(entry.file_name())).unwrap();
		}
		let twin = Node::start(NodeConfig::chain("validator-twin", spec).args([
			"--keystore-path".to_owned(),
			keystore.path().to_str().unwrap().into(),
			"--bootnodes".into(),
			bootnode.into(),
			"--node-key".into(),
			node_key(index),
		]));
		(twin, keystore)
	}
}

/// How long a twin node is stopped, and then watched for a report, in each round of
/// [`equivocate_until_slashed`].
const TWIN_PAUSE: Duration = Duration::from_secs(6);
const TWIN_WATCH: Duration = Duration::from_secs(8);

/// Scenario 7: Eve and Ferdie join by bonding (their nodes make session keys, they register
/// them with their proofs and bond): from the session after next they validate, and Eve authors
/// blocks of the canonical chain. Her GRANDPA key is one the runtime proves for equivocation
/// reports, but a report submitted from outside a node is refused. Then, at the same time:
/// - Eve leaves: her bond unbonds (held), she is out of the set, and her node stops;
/// - Ferdie equivocates: a twin node on a copy of his keystore votes with his GRANDPA key too.
///   A synced twin votes like his node, so it is stopped for a few seconds at a time
///   (`SIGSTOP`/`SIGCONT`) and then casts votes for rounds the others have moved past. The other
///   validators' nodes report it, 25 % or 36 % of his bond (`min((3k/n)^2, 1)` for one offender
///   in a set of six or five) is burned, his candidacy ends, the rest unbonds, and he is out of
///   the set from the session after next.
///
/// The four genesis validators go on finalizing. Block gaps and finality lag while the two join
/// are printed, and how long the report took.
async fn validators_join_leave_and_are_slashed(
	net: &[Node],
	spec: &str,
	bootnode: &str,
	started: Instant,
) {
	use subxt::dynamic::{self, Value as Dyn};
	let alice = &net[ALICE];
	let (eve, ferdie) = tokio::join!(
		Joiner::start("eve", dev::eve(), NAMES.len(), spec, bootnode),
		Joiner::start("ferdie", dev::ferdie(), NAMES.len() + 1, spec, bootnode),
	);
	// Ferdie's twin follows the chain as a full node until it is made to vote.
	let (mut twin, _twin_keystore) = ferdie.start_twin(NAMES.len() + 2, spec, bootnode);

	let api = alice.new_client().await;
	let switched = AtomicBool::new(false);
	let joining = async {
		let (eve_bond, ferdie_bond) = tokio::join!(eve.bond(&api), ferdie.bond(&api));
		let registered = Instant::now();
		let registered_at = alice.best_number().await;
		alice
			.wait_until("Eve and Ferdie in the session's validators", TIMEOUT, || async {
				let validators = session_validators(alice).await;
				validators.contains(&eve.account()) && validators.contains(&ferdie.account())
			})
			.await;
		let validating = registered.elapsed();
		// Her first block on the canonical chain.
		let mut next = registered_at;
		let deadline = Instant::now() + TIMEOUT;
		let first_block = loop {
			let best = alice.best_number().await;
			while next <= best && !authored_by(alice, next, eve.aura_key()).await {
				next += 1;
			}
			if next <= best {
				break next;
			}
			assert!(Instant::now() < deadline, "Eve authored nothing:\n{}", eve.node.log_tail());
			tokio::time::sleep(Duration::from_secs(1)).await;
		};
		let finalized = alice.finalized_number().await;
		for node in net {
			node.wait_for_finalized(first_block.max(finalized) + 2, TIMEOUT).await;
		}
		switched.store(true, Ordering::Relaxed);
		assert_eq!(eve_bond, ferdie_bond, "both bond the candidacy bond");
		(registered_at, validating, first_block, registered.elapsed(), ferdie_bond)
	};
	let (samples, (registered_at, validating, first_block, authored, bond)) =
		tokio::join!(sample_chain(alice, &switched), joining);
	let (gap, lag) = block_gap_and_finality_lag(&samples);
	println!(
		"7. Eve and Ferdie bonded at #{registered_at}: validators {validating:?} later, Eve's first \
		 block #{first_block} {authored:?} after bonding; meanwhile longest wait for a block \
		 {gap:?}, largest finality lag {lag} blocks ({:?})",
		started.elapsed()
	);

	// Her GRANDPA key can be reported: any node's runtime proves it is a current validator's
	// key (what a node's GRANDPA voter attaches to the report of an equivocation it sees). A
	// report cannot come from outside, though: the pool takes GRANDPA reports only from the
	// node's own voter, so a stranger's RPC cannot fill blocks with them. Here the report is
	// genuine (two prevotes signed with her key) and still refused.
	let report = equivocation_report(alice, &eve.grandpa_pair()).await;
	let refused: Result<Value, _> = alice
		.rpc()
		.await
		.request("author_submitExtrinsic", rpc_params![zerog_e2e_tests::cli::hex(&report)])
		.await;
	let refused = format!("{refused:?}");
	assert!(
		refused.contains("1010") && refused.contains("Transaction call is not expected"),
		"an equivocation report from outside the node: {refused}"
	);

	// Eve leaves: her bond unbonds (held while reports about her sessions are accepted, so
	// leaving does not save an equivocator), and she is out of the set from the session after
	// next.
	let leaving = async {
		let left = Instant::now();
		let leave = dynamic::transaction("CollatorSelection", "leave_intent", Vec::<Dyn>::new());
		let events = submit(&api, &leave, &eve.signer).await;
		let eve_account = eve.account();
		assert!(
			events.iter().any(|(pallet, name, fields)| pallet == "CollatorSelection"
				&& name == "CandidateRemoved"
				&& fields.starts_with(&eve_account)),
			"CollatorSelection.CandidateRemoved: {events:?}"
		);
		assert!(
			events.iter().any(|(pallet, name, fields)| pallet == "ValidatorSet"
				&& name == "Unbonding"
				&& fields.starts_with(&eve_account)),
			"her bond unbonds: {events:?}"
		);
		// `Balances.Held { reason, who, amount }`; the reason is `ValidatorSet` (pallet 16)
		// `Unbonding` (0).
		assert!(
			events.iter().any(|(pallet, name, fields)| pallet == "Balances"
				&& name == "Held"
				&& fields.starts_with(&[16, 0])
				&& fields[2..].starts_with(&eve_account)),
			"held, not free: {events:?}"
		);
		alice
			.wait_until("Eve out of the session's validators", TIMEOUT, || async {
				!session_validators(alice).await.contains(&eve_account)
			})
			.await;
		left.elapsed()
	};
	let (out, (reported_after, slashed_at, slashed)) =
		tokio::join!(leaving, equivocate_until_slashed(alice, &api, &mut twin, &ferdie));
	println!("7. Eve left: out of the set {out:?} after leave_intent ({:?})", started.elapsed());

	// One offence, one slash: the share of his bond that a set of six or of five gives, burned;
	// the rest unbonds in the same block, and his candidacy is over.
	let ferdie_account = ferdie.account();
	let slashed_session = u32::decode(&mut &slashed[48..]).expect("the session");
	let burned = u128::decode(&mut &slashed[32..48]).expect("the amount");
	assert!(
		burned == bond / 4 || burned == bond / 100 * 36,
		"25 % or 36 % of {bond} burned, not {burned}"
	);
	let events = block_events(&api, slashed_at).await;
	assert!(
		events.iter().any(|(pallet, name, _)| pallet == "Offences" && name == "Offence"),
		"the report is an offence: {events:?}"
	);
	assert!(
		events.iter().any(|(pallet, name, fields)| pallet == "ValidatorSet"
			&& name == "Unbonding"
			&& fields.starts_with(&ferdie_account)
			&& u128::decode(&mut &fields[32..48]).unwrap() == bond - burned),
		"the rest of his bond unbonds: {events:?}"
	);
	let reporters: Vec<&str> = net
		.iter()
		.filter(|node| node.log_contains("Submitted equivocation report"))
		.map(|node| node.name.as_str())
		.collect();
	println!(
		"7. Ferdie's twin reported {reported_after:?} after it began to vote (by {reporters:?}): \
		 {}% of his bond burned in #{slashed_at} for session {slashed_session} ({:?})",
		burned * 100 / bond,
		started.elapsed()
	);
	let slashed_since = Instant::now();
	alice
		.wait_until("Ferdie out of the session's validators", TIMEOUT, || async {
			!session_validators(alice).await.contains(&ferdie_account)
		})
		.await;
	let ferdie_out = slashed_since.elapsed();
	// GRANDPA's voters change when the block that changed the session is finalized, not when it
	// is imported. Until then Eve and Ferdie may still be two of six voters, and stopping both
	// would leave four where five are needed: finality would stall for good (as it did once).
	for node in net {
		node.wait_until("the four genesis validators alone vote in GRANDPA", TIMEOUT, || async {
			finalized_grandpa_voters(node).await == NAMES.len()
		})
		.await;
	}
	drop((eve, ferdie));
	let best = alice.best_number().await;
	for node in net {
		node.wait_for_finalized(best + 2, TIMEOUT).await;
	}
	println!(
		"7. Ferdie out of the set {ferdie_out:?} after the slash; the four finalized #{} ({:?})",
		best + 2,
		started.elapsed()
	);
}

/// Makes `twin` vote with `joiner`'s GRANDPA key beside her own node (a restart with
/// `--validator`) and stops it for [`TWIN_PAUSE`] at a time until `node`'s finalized chain has
/// a `ValidatorSet.BondSlashed` for her; returns how long that took from the restart, the block
/// and the event's fields (validator, amount, session). The twin is killed then.
async fn equivocate_until_slashed(
	node: &Node,
	api: &OnlineClient<PolkadotConfig>,
	twin: &mut Node,
	joiner: &Joiner,
) -> (Duration, u32, Vec<u8>) {
	let account = joiner.account();
	let mut next = node.best_number().await;
	let voting = Instant::now();
	tokio::task::block_in_place(|| twin.restart_with(&["--validator"]));
	let deadline = voting + TIMEOUT;
	'pauses: loop {
		twin.set_paused(true);
		tokio::time::sleep(TWIN_PAUSE).await;
		twin.set_paused(false);
		let watch_until = Instant::now() + TWIN_WATCH;
		while Instant::now() < watch_until {
			let slashed =
				find_final_event(node, api, &mut next, ("ValidatorSet", "BondSlashed"), |f| {
					f.starts_with(&account)
				})
				.await;
			if let Some((block, fields)) = slashed {
				twin.kill();
				break 'pauses (voting.elapsed(), block, fields);
			}
			tokio::time::sleep(Duration::from_secs(1)).await;
		}
		assert!(
			Instant::now() < deadline,
			"no slash for the twin's votes; its log:\n{}\nreports seen: {}",
			twin.log_tail(),
			node.log_text().matches("quivocation").count()
		);
	}
}

/// An unsigned `Grandpa.report_equivocation_unsigned` of two prevotes for different blocks that
/// `key` signs in round 1 of the current GRANDPA set, with the proof from `node`'s runtime API
/// (`GrandpaApi_generate_key_ownership_proof`) that the key is a validator's of this session.
async fn equivocation_report(node: &Node, key: &ed25519::Pair) -> Vec<u8> {
	use codec::{Compact, Encode};
	let rpc = node.rpc().await;
	let set_id: String =
		rpc.request("state_call", rpc_params!["GrandpaApi_current_set_id", "0x"]).await.unwrap();
	let set_id = u64::decode(&mut &unhex(&set_id)[..]).unwrap();
	let public = key.public().0;
	let args = zerog_e2e_tests::cli::hex(&(set_id, public).encode());
	let proof: String = rpc
		.request("state_call", rpc_params!["GrandpaApi_generate_key_ownership_proof", args])
		.await
		.unwrap();
	let proof = Option::<Vec<u8>>::decode(&mut &unhex(&proof)[..])
		.unwrap()
		.expect("the key is a current validator's");
	let round = 1u64;
	// A prevote is `Message::Prevote` (variant 0) of (target hash, target number); GRANDPA signs
	// (message, round, set id).
	let vote = |target: [u8; 32]| {
		let prevote = (target, 1u32);
		let payload = ((0u8, prevote), round, set_id).encode();
		(prevote, key.sign(&payload).0)
	};
	// `EquivocationProof { set_id, equivocation: Equivocation::Prevote(..) }`.
	let equivocation = (set_id, 0u8, (round, public, vote([1; 32]), vote([2; 32]))).encode();
	// Grandpa (pallet 3), `report_equivocation_unsigned` (call 1): the proof, then the key's
	// membership proof as the runtime API encoded it.
	let call = [&[3u8, 1][..], &equivocation, &proof].concat();
	// A bare (unsigned) extrinsic, version 4.
	let extrinsic = [&[4u8][..], &call].concat();
	[Compact(extrinsic.len() as u32).encode(), extrinsic].concat()
}
