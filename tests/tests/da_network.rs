//! Data availability on a network of three nodes running six signers (three, two and one DA
//! keys) in two quorums of three: blobs are certified by both quorums in parallel, each member
//! receiving only its own shard range; with the one-key node down (one member of one quorum)
//! both quorums still certify and every blob is still retrievable; a node that lost its shards still serves a blob,
//! rebuilt from the other members'; a shard with a bad proof, or one another member holds, is
//! refused; a blob whose parity is not the Reed-Solomon code of its data is refused by the
//! members holding parity (`da_putShards` 6109), never certified, and expires; a node that
//! drops its shards has its signers slashed by custody challenges, the others are not.
//!
//! Alice's node is the dev chain's only block author; the other two follow it and run their
//! off-chain workers on every imported block (`--offchain-worker always`). The signers have equal
//! stakes, so two of a quorum's three hold the two thirds a certificate needs.

use std::time::Duration;

use serde_json::Value as Json;
use subxt::{
	dynamic::{self, Value},
	rpcs::rpc_params,
};
use subxt_signer::sr25519::{dev, Keypair};
use zerog_e2e_tests::{
	cli::{hex, random_bytes, refusal_code, unhex, zerog_json},
	da::make_signer,
	events::{find_event, wait_for_event},
	storage::submit,
	Node, NodeConfig,
};
use zerog_primitives::da::{commit_shards, encode_blob, EncodedBlob};

/// Blocks come every 2 s; allow for a slow, loaded CI machine.
const TIMEOUT: Duration = Duration::from_secs(120);

/// The runtime's DA epoch, in blocks (`runtime/src/configs/da.rs`).
const EPOCH_LENGTH: u32 = 30;

/// Starts a node following Alice's dev chain, running its off-chain worker although it does not
/// author blocks.
async fn follower(name: &str, alice: &Node) -> Node {
	let bootnode = alice.multiaddr().await;
	Node::start(NodeConfig::chain(name, "dev").args([
		"--bootnodes",
		bootnode.as_str(),
		"--offchain-worker",
		"always",
		"--rpc-methods",
		"unsafe",
		// Only Alice's node serves the Ethereum JSON-RPC (on a port of its own).
		"--no-eth-rpc",
	]))
}

/// Submits `blob` with `zerog da submit --wait` through `node` and returns the CLI's report.
fn submit_blob(node: &Node, dir: &std::path::Path, name: &str, blob: &[u8]) -> Json {
	let file = dir.join(name);
	std::fs::write(&file, blob).unwrap();
	zerog_json(
		node,
		&["da", "submit", file.to_str().unwrap(), "--namespace", "1", "--wait", "--timeout", "180"],
	)
}

/// Fetches the blob with `zerog da get` from `node`.
fn fetch_blob(node: &Node, dir: &std::path::Path, root: &str, name: &str) -> Vec<u8> {
	let out = dir.join(name);
	zerog_json(node, &["da", "get", root, "-o", out.to_str().unwrap()]);
	std::fs::read(out).unwrap()
}

/// The shard indices of the blob with `root` that `node` holds (none for a blob it never took).
async fn held_shards(node: &Node, root: &str) -> Vec<u64> {
	let held: Result<Json, _> = node.rpc().await.request("da_heldShards", rpc_params![root]).await;
	held.ok()
		.and_then(|held| held["indices"].as_array().cloned())
		.unwrap_or_default()
		.iter()
		.filter_map(Json::as_u64)
		.collect()
}

/// Submits 1 MiB blobs through `node` until both quorums have certified one; their roots and
/// bytes. Every push must succeed but those to `down`, the endpoint of a stopped node.
fn certify_in_both_quorums(
	node: &Node,
	dir: &std::path::Path,
	seed: u64,
	down: Option<&str>,
) -> Vec<(String, Vec<u8>)> {
	let mut certified = [false, false];
	let mut blobs = Vec::new();
	for attempt in 0..16 {
		if certified.iter().all(|done| *done) {
			break;
		}
		// `random_bytes` ignores the seed's lowest bit: distinct odd seeds, distinct blobs.
		let blob = random_bytes(1 << 20, seed * 1_000 + 2 * attempt + 1);
		let report = submit_blob(node, dir, &format!("blob-{seed}-{attempt}.bin"), &blob);
		let quorum = report["quorum"].as_u64().expect("the report names the quorum") as usize;
		let certified_at = report["certifiedAt"].as_u64().unwrap_or_else(|| panic!("{report}"));
		let submitted_at = report["blockNumber"].as_u64().unwrap_or_else(|| panic!("{report}"));
		println!(
			"1 MiB blob certified by quorum {quorum} of epoch {} {} blocks after submission",
			report["epoch"],
			certified_at - submitted_at
		);
		// Every member endpoint that is up took its shards: all 48, or without the stopped
		// member's third.
		let pushes = report["signers"].as_array().expect("signer reports");
		let up = |push: &&Json| down.is_none_or(|down| push["endpoint"] != down);
		assert!(pushes.iter().filter(up).all(|push| push["held"].as_u64().is_some()), "{report}");
		assert!(pushes.iter().filter(up).all(|push| push["transport"] == "binary"), "{report}");
		// Without the stopped member's range: a third of the shards, or less if a custody slash
		// (of a member whose shards the test removed) lowered its stake.
		let held = report["held"].as_u64().unwrap();
		assert!(held == 48 || (down.is_some() && (32..48).contains(&held)), "{report}");
		certified[quorum] = true;
		blobs.push((report["root"].as_str().unwrap().to_owned(), blob));
	}
	assert!(certified.iter().all(|done| *done), "both quorums certified: {certified:?}");
	blobs
}

#[tokio::test(flavor = "multi_thread")]
async fn six_signers_in_two_quorums_certify_in_parallel_and_through_failures() {
	let alice_node = Node::start(NodeConfig::dev("da-alice"));
	alice_node.wait_for_best(1, TIMEOUT).await;
	let bob_node = follower("da-bob", &alice_node).await;
	let mut charlie_node = follower("da-charlie", &alice_node).await;
	for node in [&bob_node, &charlie_node] {
		node.wait_until("a peer", TIMEOUT, || async { node.peers().await >= 1 }).await;
	}

	// Six signers: Alice, Dave and Eve on Alice's node, Bob and Ferdie on Bob's, Charlie alone
	// on his, so stopping Charlie's node stops exactly one member of one quorum.
	let signers = [
		(&alice_node, dev::alice(), "//Alice", true),
		(&alice_node, dev::dave(), "//Dave", false),
		(&alice_node, dev::eve(), "//Eve", false),
		(&bob_node, dev::bob(), "//Bob", false),
		(&bob_node, dev::ferdie(), "//Ferdie", false),
		(&charlie_node, dev::charlie(), "//Charlie", false),
	];
	for (node, signer, suri, genesis) in &signers {
		make_signer(node, &alice_node, signer, suri, *genesis).await;
	}
	// The next epoch draws all six into two quorums of three (`MinQuorumMembers` = 3).
	let registered_at = alice_node.best_number().await;
	alice_node.wait_for_best(registered_at + EPOCH_LENGTH + 1, TIMEOUT).await;

	// Both quorums certify blobs, and every node serves every blob.
	let dir = tempfile::tempdir().unwrap();
	let blobs = certify_in_both_quorums(&alice_node, dir.path(), 40, None);
	let mut roots: Vec<String> = blobs.iter().map(|(root, _)| root.clone()).collect();
	let nodes = [&alice_node, &bob_node, &charlie_node];
	for (root, blob) in &blobs {
		for node in nodes {
			assert!(
				fetch_blob(node, dir.path(), root, "back.bin") == *blob,
				"{} serves it",
				node.name
			);
		}
	}

	// Each member holds only its third: no node holds more shards than it runs members. (A blob
	// whose epoch turned between staging and inclusion was also staged on the members of the
	// quorum it did not get; such a blob is passed over, and more are published if need be.)
	let mut candidates = blobs.clone();
	let mut extra = 0;
	let (root, blob, held) = loop {
		let (root, blob) = match candidates.pop() {
			Some(candidate) => candidate,
			None => {
				assert!(extra < 4, "every blob was staged on two quorums");
				extra += 1;
				let blob = random_bytes(1 << 20, 70_001 + 2 * extra);
				let report = submit_blob(&alice_node, dir.path(), "extra.bin", &blob);
				(report["root"].as_str().unwrap().to_owned(), blob)
			},
		};
		let mut held = Vec::new();
		for node in nodes {
			held.push(held_shards(node, &root).await);
		}
		if held.iter().map(Vec::len).sum::<usize>() == 48 {
			break (root, blob, held);
		}
	};
	assert!(held[1].len() <= 32 && held[2].len() <= 16, "{held:?}");

	// A shard whose bytes do not match its proof is refused and nothing is stored.
	let holder = (0..3).find(|node| !held[*node].is_empty()).unwrap();
	let rpc = nodes[holder].rpc().await;
	let index = held[holder][0];
	let shard: Json = rpc.request("da_getShard", rpc_params![root.as_str(), index]).await.unwrap();
	let mut bytes = unhex(shard["shard"].as_str().unwrap());
	bytes[0] ^= 1;
	let fingerprints = hex(&encode_blob(&blob, 16, 32).unwrap().fingerprints);
	let (code, message) = refusal_code(
		rpc.request(
			"da_putShards",
			rpc_params![
				root.as_str(),
				vec![
					serde_json::json!({ "index": index, "data": hex(&bytes), "proof": shard["proof"] })
				],
				Json::Null,
				fingerprints.as_str()
			],
		)
		.await,
	);
	assert_eq!(code, 6102, "a tampered shard: {message}");
	assert_eq!(
		held_shards(nodes[holder], &root).await,
		held[holder],
		"the refusal changed nothing"
	);

	// Only members take shards, and only their own: another node refuses this valid shard (a
	// publisher or a stranger cannot fill a signer's disk with other members' data).
	let other = (holder + 1) % 3;
	let (code, message) = refusal_code(
		nodes[other]
			.rpc()
			.await
			.request::<Json>(
				"da_putShards",
				rpc_params![
					root.as_str(),
					vec![
						serde_json::json!({ "index": index, "data": shard["shard"], "proof": shard["proof"] })
					],
					Json::Null,
					fingerprints.as_str()
				],
			)
			.await,
	);
	assert_eq!(code, 6107, "another member's shard: {message}");

	// A node that loses its shards of a blob still serves it, rebuilt from the other members'
	// (whichever blob leaves at least k = 16 shards elsewhere). Only a blob whose 48 shards the
	// three nodes hold once each: one staged on two quorums (the epoch turned between staging
	// and submitting) leaves a node shards of its other range, which it keeps but would not
	// take again.
	let (loser, root, blob) = {
		let mut choice = None;
		for (root, blob) in &blobs {
			let mut counts = Vec::new();
			for node in nodes {
				counts.push(held_shards(node, root).await.len());
			}
			if counts.iter().sum::<usize>() != 48 {
				continue;
			}
			if let Some(node) = (0..3).find(|n| counts[*n] > 0 && 48 - counts[*n] >= 16) {
				choice = Some((node, root.clone(), blob.clone()));
				break;
			}
		}
		choice.unwrap_or_else(|| (holder, root.clone(), blob.clone()))
	};
	let mine = held_shards(nodes[loser], &root).await;
	let removed: Json = nodes[loser]
		.rpc()
		.await
		.request("da_removeShards", rpc_params![root.as_str(), mine.clone()])
		.await
		.unwrap();
	assert_eq!(removed["removed"], mine.len() as u64);
	assert!(fetch_blob(nodes[loser], dir.path(), &root, "rebuilt.bin") == blob);
	// Its shards come back at once: a custody challenge for this blob would otherwise slash the
	// member, and a quorum of Charlie (stopped below) and a slashed member would lack two
	// thirds of its stake. (Slashing for lost shards is tested at the end.)
	let encoded = encode_blob(&blob, 16, 32).unwrap();
	for index in &mine {
		let index = u16::try_from(*index).unwrap();
		assert_eq!(put_one_shard(nodes[loser], &encoded, &root, index).await, 0, "shard {index}");
	}

	badly_encoded_blob_is_never_certified(&nodes).await;

	// Charlie's node goes down: his quorum keeps two of three members, the other all three;
	// both still certify, and the blobs are served without his shards.
	charlie_node.kill();
	let charlie_endpoint = format!("http://127.0.0.1:{}", charlie_node.rpc_port);
	let blobs = certify_in_both_quorums(&alice_node, dir.path(), 60, Some(&charlie_endpoint));
	for (root, blob) in &blobs {
		assert!(
			fetch_blob(&bob_node, dir.path(), root, "down.bin") == *blob,
			"served without Charlie"
		);
	}
	roots.extend(blobs.into_iter().map(|(root, _)| root));

	a_node_that_dropped_its_shards_gets_its_signers_slashed(&alice_node, &bob_node, &roots).await;
}

/// Bob's node drops every shard it holds. Each custody round challenges the attesters of one
/// retained certified blob, so within a few rounds Bob or Ferdie (its two keys) is asked for a
/// chunk it no longer has and slashed (`CustodyMissed`), while the three members on Alice's
/// node, which kept their shards, are never slashed. (Charlie's node is down, so his misses are
/// expected and ignored.)
async fn a_node_that_dropped_its_shards_gets_its_signers_slashed(
	alice_node: &Node,
	bob_node: &Node,
	roots: &[String],
) {
	let api = alice_node.client().await;
	let from = alice_node.best_number().await;
	let rpc = bob_node.rpc().await;
	let mut dropped = 0;
	for root in roots {
		let held = held_shards(bob_node, root).await;
		if held.is_empty() {
			continue;
		}
		let removed: Json =
			rpc.request("da_removeShards", rpc_params![root.as_str(), held.clone()]).await.unwrap();
		assert_eq!(removed["removed"], held.len() as u64);
		dropped += held.len();
	}
	assert!(dropped > 0, "Bob's node held shards of the certified blobs");

	let keys_of = |signers: &[Keypair]| -> Vec<[u8; 32]> {
		signers.iter().map(|signer| signer.public_key().0).collect()
	};
	let droppers = keys_of(&[dev::bob(), dev::ferdie()]);
	let keepers = keys_of(&[dev::alice(), dev::dave(), dev::eve()]);
	let signed_by = |keys: &[[u8; 32]], fields: &[u8]| {
		keys.iter().any(|key| fields.get(..32) == Some(&key[..]))
	};
	// A round every 10 blocks (20 s); the drawn blob has one of Bob's keys among its attesters
	// about half the time.
	let (missed_at, fields) = wait_for_event(
		alice_node,
		&api,
		from,
		("DaAttestations", "CustodyMissed"),
		Duration::from_secs(480),
		|| format!("Bob or Ferdie misses a challenge after Bob's node dropped {dropped} shards"),
		|fields| signed_by(&droppers, fields),
	)
	.await;
	// Fields: signer (32 bytes), blob id (8), slashed (u128 LE).
	let slashed = u128::from_le_bytes(fields[40..56].try_into().unwrap());
	assert!(slashed > 0, "a stake was slashed at block {missed_at}");
	let mut next = from;
	let honest_slashed =
		find_event(alice_node, &api, &mut next, ("DaAttestations", "CustodyMissed"), |fields| {
			signed_by(&keepers, fields)
		})
		.await;
	assert_eq!(honest_slashed, None, "a member that kept its shards was slashed");
}

/// A hostile publisher commits to a blob whose 32 parity shards are random bytes (the data
/// shards and their fingerprints are honest, so every shard matches the root) and pushes every
/// shard to whichever node takes it. The members holding parity refuse it as badly encoded and
/// say so in their logs; only the data shards' holder attests, a third of the quorum's stake, so
/// the blob is never certified and expires.
async fn badly_encoded_blob_is_never_certified(nodes: &[&Node; 3]) {
	let blob = random_bytes(256 * 1024, 9_001);
	let honest = encode_blob(&blob, 16, 32).unwrap();
	let mut shards = honest.shards.clone();
	for (index, shard) in shards.iter_mut().enumerate().skip(16) {
		*shard = random_bytes(shard.len(), 9_101 + 2 * index as u64);
	}
	let forged = commit_shards(shards, honest.commitment.size_bytes, 16, 32).unwrap();
	let root = hex(forged.commitment.root.as_bytes());
	let api = nodes[0].client().await;
	let from = nodes[0].best_number().await;
	let commitment = Value::named_composite([
		("root", Value::from_bytes(forged.commitment.root.as_bytes())),
		("size_bytes", Value::u128(u128::from(forged.commitment.size_bytes))),
		("data_shards", Value::u128(16)),
		("parity_shards", Value::u128(32)),
	]);
	let call = dynamic::transaction("DaAttestations", "submit_blob", (commitment, 1u32));
	// Funded at genesis and, unlike the six signers, not attesting from a node (whose
	// transactions would race this one for the account's nonce).
	let publisher = Keypair::from_uri(&"//Eve//stash".parse().unwrap()).unwrap();
	submit(&api, call, &publisher).await;

	// Every shard goes to every node, one at a time: its holder takes it or refuses it as badly
	// encoded, the others refuse it as not theirs.
	for index in 0..48u16 {
		let mut outcomes = Vec::new();
		for node in nodes {
			outcomes.push(put_one_shard(node, &forged, &root, index).await);
		}
		let expected = if index < 16 { 0 } else { 6109 };
		assert_eq!(
			outcomes.iter().filter(|code| **code == expected).count(),
			1,
			"shard {index}: one holder, {expected}: {outcomes:?}"
		);
		assert_eq!(outcomes.iter().filter(|code| **code == 6107).count(), 2, "{outcomes:?}");
	}
	assert!(
		nodes.iter().any(|node| node.log_contains("refusing a badly encoded blob")),
		"the members holding parity say why they refuse it"
	);

	let root_matches = |fields: &[u8]| fields.get(8..40) == Some(forged.commitment.root.as_bytes());
	let (expired_at, _) = wait_for_event(
		nodes[0],
		&api,
		from,
		("DaAttestations", "BlobExpired"),
		TIMEOUT,
		|| format!("badly encoded blob {root}"),
		root_matches,
	)
	.await;
	let mut next = from;
	let certified =
		find_event(nodes[0], &api, &mut next, ("DaAttestations", "BlobCertified"), root_matches)
			.await;
	assert!(certified.is_none(), "never certified, expired at {expired_at}: {certified:?}");
}

/// `da_putShards` of shard `index` of `blob` to `node`: 0 if stored, else the error code.
async fn put_one_shard(node: &Node, blob: &EncodedBlob, root: &str, index: u16) -> i32 {
	use codec::Encode;
	let i = usize::from(index);
	let shard = serde_json::json!({
		"index": index,
		"data": hex(&blob.shards[i]),
		"proof": hex(&blob.proofs[i].encode()),
	});
	let result: Result<Json, _> = node
		.rpc()
		.await
		.request(
			"da_putShards",
			rpc_params![root, vec![shard], Json::Null, hex(&blob.fingerprints)],
		)
		.await;
	match result {
		Ok(_) => 0,
		Err(error) => refusal_code(Err(error)).0,
	}
}
