//! The development chain: blocks, finality, metrics, and balance transfers signed with subxt.

use std::time::Duration;

use subxt::{
	dynamic::{self, At, Value},
	ext::codec::Decode,
	OnlineClient, PolkadotConfig,
};
use subxt_signer::sr25519::{dev, Keypair};
use zerog_e2e_tests::{Node, NodeConfig};

/// One ZG in the smallest unit.
const ZG: u128 = 1_000_000_000_000_000_000;

/// Blocks come every 2 s; allow for a slow, loaded CI machine.
const BLOCK_TIMEOUT: Duration = Duration::from_secs(60);

async fn free_balance(api: &OnlineClient<PolkadotConfig>, who: &Keypair) -> u128 {
	let at = api.at_current_block().await.unwrap();
	let address = dynamic::storage::<([u8; 32],), Value>("System", "Account");
	let account = at.storage().fetch(address, (who.public_key().0,)).await.unwrap();
	let account = account.decode().unwrap();
	account
		.at("data")
		.at("free")
		.and_then(|v| v.as_u128())
		.expect("AccountInfo.data.free is a u128")
}

#[tokio::test(flavor = "multi_thread")]
async fn dev_chain_produces_and_finalizes_blocks() {
	let node = Node::start(NodeConfig::dev("dev-blocks"));
	node.wait_for_best(3, BLOCK_TIMEOUT).await;
	node.wait_for_finalized(1, BLOCK_TIMEOUT).await;

	// Prometheus serves the node's metrics, including the block height it just reached.
	let metrics = node.prometheus_get("/metrics");
	assert!(metrics.contains("substrate_block_height"), "metrics:\n{metrics}");

	// The chain announces its token to wallets.
	let properties: serde_json::Value =
		node.rpc().await.request("system_properties", subxt::rpcs::rpc_params![]).await.unwrap();
	assert_eq!(properties["tokenSymbol"], "ZG");
	assert_eq!(properties["tokenDecimals"], 18);
	assert_eq!(properties["ss58Format"], 6900);
}

#[tokio::test(flavor = "multi_thread")]
async fn transfer_moves_amount_and_charges_fee() {
	let node = Node::start(NodeConfig::dev("dev-transfer"));
	node.wait_for_best(1, BLOCK_TIMEOUT).await;
	let api = node.client().await;
	let (alice, bob) = (dev::alice(), dev::bob());

	// The nonce RPC the node adds to the standard set.
	let nonce: u64 = node
		.rpc()
		.await
		.request(
			"system_accountNextIndex",
			subxt::rpcs::rpc_params![alice.public_key().to_account_id().to_string()],
		)
		.await
		.unwrap();
	assert_eq!(nonce, 0);

	let alice_before = free_balance(&api, &alice).await;
	let bob_before = free_balance(&api, &bob).await;
	let amount = 12 * ZG;

	let transfer = dynamic::transaction(
		"Balances",
		"transfer_keep_alive",
		(bob.public_key().to_address::<()>(), amount),
	);
	let events = api
		.at_current_block()
		.await
		.unwrap()
		.transactions()
		.sign_and_submit_then_watch_default(&transfer, &alice)
		.await
		.unwrap()
		.wait_for_finalized_success()
		.await
		.unwrap();

	let mut transferred = None;
	let mut fee = None;
	for event in events.iter() {
		let event = event.unwrap();
		match (event.pallet_name(), event.event_name()) {
			("Balances", "Transfer") => {
				let (from, to, value) =
					<([u8; 32], [u8; 32], u128)>::decode(&mut event.field_bytes()).unwrap();
				assert_eq!(from, alice.public_key().0);
				assert_eq!(to, bob.public_key().0);
				transferred = Some(value);
			},
			("TransactionPayment", "TransactionFeePaid") => {
				let (who, actual_fee, tip) =
					<([u8; 32], u128, u128)>::decode(&mut event.field_bytes()).unwrap();
				assert_eq!(who, alice.public_key().0);
				fee = Some(actual_fee + tip);
			},
			_ => {},
		}
	}
	assert_eq!(transferred, Some(amount), "a Balances.Transfer event with the amount");
	let fee = fee.expect("a TransactionPayment.TransactionFeePaid event");
	assert!(fee > 0);

	assert_eq!(free_balance(&api, &bob).await, bob_before + amount);
	assert_eq!(free_balance(&api, &alice).await, alice_before - amount - fee);
}

/// `utility.batch_all` of transfers, signed once with subxt: every transfer happens, in one
/// extrinsic that pays one fee.
#[tokio::test(flavor = "multi_thread")]
async fn a_batch_of_transfers_moves_every_amount_in_one_extrinsic() {
	let node = Node::start(NodeConfig::dev("dev-batch").args(["--no-eth-rpc"]));
	node.wait_for_best(1, BLOCK_TIMEOUT).await;
	let api = node.client().await;
	let alice = dev::alice();
	let recipients = [dev::bob(), dev::charlie(), dev::dave(), dev::eve()];
	let mut before = Vec::new();
	for recipient in &recipients {
		before.push(free_balance(&api, recipient).await);
	}

	// Five transfers to each recipient, of 1, 2, 3, 4 and 5 ZG.
	let calls: Vec<Value> = recipients
		.iter()
		.flat_map(|recipient| {
			(1..=5u128).map(move |zg| {
				Value::unnamed_variant(
					"Balances",
					[Value::named_variant(
						"transfer_keep_alive",
						[
							(
								"dest",
								Value::unnamed_variant(
									"Id",
									[Value::from_bytes(recipient.public_key().0)],
								),
							),
							("value", Value::u128(zg * ZG)),
						],
					)],
				)
			})
		})
		.collect();
	let batch = dynamic::transaction("Utility", "batch_all", (Value::unnamed_composite(calls),));
	let events = zerog_e2e_tests::events::submit(&api, &batch, &alice).await;
	let count = |pallet: &str, name: &str| {
		events.iter().filter(|(p, n, _)| p == pallet && n == name).count()
	};
	assert_eq!(count("Balances", "Transfer"), 20, "{events:?}");
	assert_eq!(count("Utility", "BatchCompleted"), 1);
	assert_eq!(count("TransactionPayment", "TransactionFeePaid"), 1);
	for (recipient, before) in recipients.iter().zip(before) {
		assert_eq!(free_balance(&api, recipient).await, before + 15 * ZG);
	}
}

#[tokio::test(flavor = "multi_thread")]
async fn overdraft_is_rejected_and_moves_nothing_but_the_fee() {
	let node = Node::start(NodeConfig::dev("dev-overdraft"));
	node.wait_for_best(1, BLOCK_TIMEOUT).await;
	let api = node.client().await;
	let (alice, bob) = (dev::alice(), dev::bob());

	let alice_before = free_balance(&api, &alice).await;
	let bob_before = free_balance(&api, &bob).await;

	let overdraft = dynamic::transaction(
		"Balances",
		"transfer_allow_death",
		(bob.public_key().to_address::<()>(), alice_before + ZG),
	);
	let in_block = api
		.at_current_block()
		.await
		.unwrap()
		.transactions()
		.sign_and_submit_then_watch_default(&overdraft, &alice)
		.await
		.unwrap()
		.wait_for_finalized()
		.await
		.unwrap();
	let error = in_block.wait_for_success().await.expect_err("the overdraft must fail");
	let error = format!("{error:?}");
	assert!(error.contains("FundsUnavailable"), "balances refuse with FundsUnavailable: {error}");

	// The failed call still paid for its inclusion, and nothing else moved.
	let events = in_block.fetch_events().await.unwrap();
	let fee = events
		.iter()
		.map(Result::unwrap)
		.find(|e| e.pallet_name() == "TransactionPayment" && e.event_name() == "TransactionFeePaid")
		.map(|e| <([u8; 32], u128, u128)>::decode(&mut e.field_bytes()).unwrap())
		.map(|(_, fee, tip)| fee + tip)
		.expect("fee event");
	assert!(events.iter().map(Result::unwrap).all(|e| e.event_name() != "Transfer"));
	assert_eq!(free_balance(&api, &bob).await, bob_before);
	assert_eq!(free_balance(&api, &alice).await, alice_before - fee);
}

#[tokio::test(flavor = "multi_thread")]
async fn transfer_from_an_empty_account_is_refused_by_the_pool() {
	let node = Node::start(NodeConfig::dev("dev-empty"));
	node.wait_for_best(1, BLOCK_TIMEOUT).await;
	let api = node.client().await;
	let nobody = Keypair::from_uri(&"//NobodyHasFundsHere".parse().unwrap()).unwrap();
	let bob = dev::bob();
	let bob_before = free_balance(&api, &bob).await;

	let transfer = dynamic::transaction(
		"Balances",
		"transfer_allow_death",
		(bob.public_key().to_address::<()>(), ZG),
	);
	let result = api
		.at_current_block()
		.await
		.unwrap()
		.transactions()
		.sign_and_submit_then_watch_default(&transfer, &nobody)
		.await;
	// The pool refuses it either at submission or in the first status update.
	let error = match result {
		Err(error) => format!("{error:?}"),
		Ok(progress) => format!(
			"{:?}",
			progress
				.wait_for_finalized()
				.await
				.expect_err("the pool refuses a transaction that cannot pay")
		),
	};
	assert!(error.contains("pay") || error.contains("Payment"), "refused for the fee: {error}");
	assert_eq!(free_balance(&api, &bob).await, bob_before);
	assert_eq!(free_balance(&api, &nobody).await, 0);
}

/// Each block's author (Alice, on the dev chain) reveals the VRF output of her Aura key over the
/// block's slot and the parent's randomness; it becomes the randomness the storage and DA draws
/// use. The test checks the proof in each block against her key itself and compares the output
/// with the runtime's, and a reveal sent from outside is refused.
#[tokio::test(flavor = "multi_thread")]
async fn every_block_reveals_its_authors_vrf_output() {
	use codec::{Compact, Encode};
	use pallet_vrf_randomness::{vrf_input, vrf_sign_data, VrfOutput, VRF_CONTEXT};
	use polkadot_sdk::sp_core::{crypto::VrfPublic, sr25519};
	use subxt::rpcs::{rpc_params, RpcClient};
	use zerog_e2e_tests::cli::{hex, unhex};

	let node = Node::start(NodeConfig::dev("dev-randomness"));
	node.wait_for_best(4, BLOCK_TIMEOUT).await;
	let rpc: RpcClient = node.rpc().await;
	let alice = sr25519::Public::from_raw(dev::alice().public_key().0);
	let key =
		[sp_crypto_hashing::twox_128(b"VrfRandomness"), sp_crypto_hashing::twox_128(b"Randomness")]
			.concat();
	// `Revealed { output, block }` at `hash` (zeroes before the first reveal).
	let randomness = |hash: String| {
		let (rpc, key) = (rpc.clone(), hex(&key));
		async move {
			let value: Option<String> =
				rpc.request("state_getStorage", rpc_params![key, hash]).await.unwrap();
			value.map(|value| <([u8; 32], u32)>::decode(&mut &unhex(&value)[..]).unwrap())
		}
	};

	let mut outputs = Vec::new();
	for number in 2u32..=4 {
		let hash: String = rpc.request("chain_getBlockHash", rpc_params![number]).await.unwrap();
		let block: serde_json::Value =
			rpc.request("chain_getBlock", rpc_params![&hash]).await.unwrap();
		let header = &block["block"]["header"];
		// Aura's pre-runtime digest: 0x06, b"aura", then the SCALE bytes of the slot (u64).
		let slot = header["digest"]["logs"]
			.as_array()
			.unwrap()
			.iter()
			.map(|log| unhex(log.as_str().unwrap()))
			.find(|log| log.starts_with(&[6, b'a', b'u', b'r', b'a']))
			.map(|log| u64::decode(&mut &log[6..]).unwrap())
			.expect("an Aura slot digest");
		// The bare `VrfRandomness.reveal` (pallet 9, call 0): its pre-output and proof.
		let reveals: Vec<VrfOutput> = block["block"]["extrinsics"]
			.as_array()
			.unwrap()
			.iter()
			.filter_map(|extrinsic| {
				let bytes = unhex(extrinsic.as_str().unwrap());
				let body = &bytes[Compact::<u32>::decode(&mut &bytes[..])
					.map(|len| bytes.len() - len.0 as usize)
					.unwrap()..];
				(body.get(1..3) == Some(&[9, 0]))
					.then(|| VrfOutput::decode(&mut &body[3..]).unwrap())
			})
			.collect();
		assert_eq!(reveals.len(), 1, "one reveal in block #{number}");
		let parent = header["parentHash"].as_str().unwrap().to_string();
		let previous = randomness(parent).await.map(|(output, _)| output).unwrap_or([0; 32]);
		let signature = reveals[0].signature().expect("a well-formed VRF signature");
		assert!(
			alice.vrf_verify(&vrf_sign_data(slot, &previous), &signature),
			"block #{number}'s reveal is Alice's VRF of slot {slot} and the parent's randomness"
		);
		let expected = alice
			.make_bytes::<32>(VRF_CONTEXT, &vrf_input(slot, &previous), &signature.pre_output)
			.unwrap();
		assert_eq!(randomness(hash).await, Some((expected, number)), "the runtime's output");
		outputs.push(expected);
	}
	assert!(outputs.windows(2).all(|pair| pair[0] != pair[1]), "a new output every block");

	// A reveal from outside the block author is refused by the pool (a mandatory inherent).
	let reveal = [&[4u8, 9, 0][..], &[0u8; 96][..]].concat();
	let reveal = [Compact(reveal.len() as u32).encode(), reveal].concat();
	let refused: Result<serde_json::Value, _> =
		rpc.request("author_submitExtrinsic", rpc_params![hex(&reveal)]).await;
	let refused = format!("{refused:?}");
	assert!(refused.contains("1010"), "an outside reveal is refused: {refused}");
}
