//! Passing a referendum on a development chain, as token holders would: `dev` and `local` set
//! the tracks' periods to seconds at genesis (`DEV_GOVERNANCE_PERIODS`), so a referendum that
//! the six dev users vote for is enacted 15 to 25 blocks after it is submitted.

use std::time::Duration;

use codec::Decode;
use subxt::{
	dynamic::{self, Value},
	transactions::Payload,
};
use subxt_signer::sr25519::dev;

use crate::{
	events::{submit, wait_for_event},
	Node,
};

/// `OriginCaller::system(Root)`: a referendum on the `root` track.
pub fn root_origin() -> Value {
	Value::unnamed_variant("system", [Value::unnamed_variant("Root", [])])
}

/// `OriginCaller::Origins(ZerogAdmin)`: a referendum on the `zerog_admin` track.
pub fn zerog_admin_origin() -> Value {
	Value::unnamed_variant("Origins", [Value::unnamed_variant("ZerogAdmin", [])])
}

/// Alice submits `call` as a referendum with `origin` (enacted one block after it passes) and
/// places its decision deposit; Alice to Ferdie vote aye with 900,000 ZG each (no conviction),
/// about a fifth of a development chain's issuance: enough support on the `zerog_admin` track
/// from the start of the decision period, on `root` two thirds into it. Returns once the referendum is confirmed: the referendum's index and the
/// block that confirmed it (the enactment follows within a few blocks).
pub async fn pass_referendum(node: &Node, origin: Value, call: &impl Payload) -> (u32, u32) {
	let api = node.new_client().await;
	let call_data = api.at_current_block().await.unwrap().transactions().call_data(call).unwrap();
	let alice = dev::alice();
	let submitted = submit(
		&api,
		&dynamic::transaction(
			"Referenda",
			"submit",
			(
				origin,
				Value::unnamed_variant("Inline", [Value::from_bytes(call_data)]),
				Value::unnamed_variant("After", [Value::u128(1)]),
			),
		),
		&alice,
	)
	.await;
	let (_, _, fields) = submitted
		.iter()
		.find(|(pallet, name, _)| pallet == "Referenda" && name == "Submitted")
		.expect("Referenda.Submitted");
	let index = u32::decode(&mut &fields[..]).unwrap();
	let from = node.best_number().await;

	submit(&api, &dynamic::transaction("Referenda", "place_decision_deposit", (index,)), &alice)
		.await;
	let voters = [dev::alice(), dev::bob(), dev::charlie(), dev::dave(), dev::eve(), dev::ferdie()];
	let votes = voters.iter().map(|voter| {
		let vote = Value::named_variant(
			"Standard",
			[
				// `Vote` is one byte: 0x80 is aye, the low bits the conviction (0: none).
				("vote", Value::unnamed_composite([Value::u128(0x80)])),
				("balance", Value::u128(900_000 * crate::storage::ZG)),
			],
		);
		let api = api.clone();
		async move {
			submit(&api, &dynamic::transaction("ConvictionVoting", "vote", (index, vote)), voter)
				.await
		}
	});
	futures::future::join_all(votes).await;

	let (confirmed, _) = wait_for_event(
		node,
		&api,
		from,
		("Referenda", "Confirmed"),
		Duration::from_secs(180),
		|| format!("referendum {index} was not confirmed"),
		|fields| u32::decode(&mut &fields[..]).ok() == Some(index),
	)
	.await;
	(index, confirmed)
}

/// Alice, the dev chain's sudo key, approves `signer` as an enclave key
/// (`ComputeEscrow.approve_enclave`, as governance does after checking its attestation).
pub async fn sudo_approve_enclave(node: &Node, signer: [u8; 32]) {
	let approve = dynamic::transaction(
		"Sudo",
		"sudo",
		(Value::unnamed_variant(
			"ComputeEscrow",
			[Value::named_variant(
				"approve_enclave",
				[
					("signer", Value::from_bytes(signer)),
					("evidence_hash", Value::from_bytes([7u8; 32])),
				],
			)],
		),),
	);
	// subxt takes Alice's nonce at the finalized block: let her CLI transactions finalize.
	node.wait_for_finalized(node.best_number().await, Duration::from_secs(60)).await;
	crate::storage::submit(&node.client().await, approve, &dev::alice()).await;
}
