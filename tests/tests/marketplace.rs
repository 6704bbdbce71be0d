//! The marketplace of models and datasets against a real `zerog-node --dev`, driven by the
//! `zerog` CLI as users would: a dataset encrypted and uploaded (storage holds only ciphertext),
//! registered as a paid asset, listed, bought from another account (the price held until the key
//! comes), its content key delivered sealed to the buyer's registered x25519 key, downloaded,
//! verified and decrypted byte-identical; a stranger without a grant, a grantee whose grant expired before the key was
//! delivered, and a revoked grantee cannot decrypt, and the chain refuses a key for them.

use std::time::Duration;

use serde_json::Value as Json;
use subxt_signer::sr25519::dev;
use zerog_e2e_tests::{
	cli::{hex, random_bytes, zerog_fails, zerog_json, zerog_ok},
	Node, NodeConfig,
};

/// Blocks come every 2 s; allow for a slow, loaded CI machine.
const BLOCK_TIMEOUT: Duration = Duration::from_secs(60);

#[tokio::test(flavor = "multi_thread")]
async fn an_encrypted_dataset_is_sold_delivered_and_decrypted_only_by_its_grantee() {
	let node = Node::start(NodeConfig::dev("marketplace").args(["--no-eth-rpc"]));
	node.wait_for_best(1, BLOCK_TIMEOUT).await;
	let dir = tempfile::tempdir().unwrap();
	let path = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
	let bob = hex(&dev::bob().public_key().0);
	let charlie = hex(&dev::charlie().public_key().0);
	let dave = hex(&dev::dave().public_key().0);

	// The owner (Alice) encrypts and uploads a 300 KB dataset: two storage segments, five
	// 64 KiB chunks. Storage commits to the ciphertext.
	let dataset = random_bytes(300_000, 20);
	std::fs::write(path("dataset.bin"), &dataset).unwrap();
	let uploaded = zerog_json(
		&node,
		&[
			"storage",
			"upload",
			&path("dataset.bin"),
			"--encrypt",
			"--key-out",
			&path("dataset.key"),
		],
	);
	assert_eq!(uploaded["encrypted"], true, "{uploaded}");
	assert_eq!(uploaded["plainSize"], 300_000, "{uploaded}");
	// Header (24) + plaintext + one 16-byte tag per 64 KiB chunk (5).
	let size = uploaded["size"].as_u64().unwrap();
	assert_eq!(size, 24 + 300_000 + 5 * 16, "{uploaded}");
	let root = uploaded["root"].as_str().unwrap().to_owned();
	// A second upload refuses to overwrite the key file (a key is never lost by mistake).
	let again = zerog_fails(
		&node,
		&[
			"storage",
			"upload",
			&path("dataset.bin"),
			"--encrypt",
			"--key-out",
			&path("dataset.key"),
		],
	);
	assert!(again.contains("dataset.key"), "{again}");

	// What storage serves anyone is ciphertext.
	zerog_ok(&node, &["storage", "download", &root, "-o", &path("raw.bin")]);
	let raw = std::fs::read(path("raw.bin")).unwrap();
	assert_eq!(raw.len() as u64, size);
	assert_eq!(&raw[..4], b"ZGE1");
	assert!(!raw.windows(64).any(|window| window == &dataset[1000..1064]));
	// The owner reads it back with the key file.
	zerog_ok(
		&node,
		&["storage", "download", &root, "-o", &path("own.bin"), "--key-file", &path("dataset.key")],
	);
	assert!(std::fs::read(path("own.bin")).unwrap() == dataset);
	// The ciphertext was verified into a temporary file beside the output, and removed.
	let strays: Vec<String> = std::fs::read_dir(dir.path())
		.unwrap()
		.map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
		.filter(|name| name.starts_with(".tmp"))
		.collect();
	assert!(strays.is_empty(), "left behind: {strays:?}");

	// Registered as a paid dataset, listed and shown.
	let size_text = size.to_string();
	let registered = zerog_json(
		&node,
		&[
			"market",
			"register",
			"--root",
			&root,
			"--size",
			&size_text,
			"--kind",
			"dataset",
			"--name",
			"tiny-shakespeare",
			"--version",
			"1.0.0",
			"--license",
			"CC-BY-4.0",
			"--encrypted",
			"--policy",
			"paid",
			"--price",
			"2ZG",
			"--period",
			"200",
		],
	);
	let asset = registered["asset"].as_u64().expect("register prints the asset id");
	let asset_text = asset.to_string();
	let listed = zerog_json(&node, &["market", "list", "--kind", "dataset"]);
	let entry = listed["assets"]
		.as_array()
		.unwrap()
		.iter()
		.find(|entry| entry["id"] == asset)
		.unwrap_or_else(|| panic!("asset #{asset} is not listed: {listed}"));
	assert_eq!(entry["root"], root.as_str());
	assert_eq!(entry["size"], size);
	assert_eq!(entry["name"], "tiny-shakespeare");
	assert_eq!(entry["license"], "CC-BY-4.0");
	assert_eq!(entry["policy"], "paid");
	assert_eq!(entry["price"], "2000000000000000000");
	assert_eq!(entry["encrypted"], true);
	let none = zerog_json(&node, &["market", "list", "--kind", "model"]);
	assert!(!none["assets"].as_array().unwrap().iter().any(|entry| entry["id"] == asset));

	// A dead file cannot be listed.
	let dead = zerog_fails(
		&node,
		&[
			"market",
			"register",
			"--root",
			&format!("0x{}", "ab".repeat(32)),
			"--size",
			"10",
			"--kind",
			"dataset",
			"--name",
			"ghost",
			"--license",
			"MIT",
			"--policy",
			"public",
		],
	);
	assert!(dead.contains("FileNotStored"), "{dead}");

	// Bob registers his encryption key and buys access.
	let bob_key = zerog_json(&node, &["market", "key", "--suri", "//Bob"])["key"].clone();
	assert_eq!(bob_key.as_str().map(str::len), Some(66), "{bob_key}");
	let bought = zerog_json(&node, &["market", "buy", &asset_text, "--suri", "//Bob"]);
	assert_eq!(bought["price"], "2000000000000000000", "{bought}");
	let expires_at = bought["expiresAt"].as_u64().unwrap();
	assert!(expires_at >= 200, "{bought}");

	// Until the owner delivers the key, the price is held from Bob, not paid; he may take it
	// back only once the owner has had KeyDeliveryPeriod to deliver.
	let pending = zerog_json(&node, &["market", "show", &asset_text, "--account", &bob]);
	assert_eq!(pending["grant"]["escrow"], "2000000000000000000", "{pending}");
	let not_due = zerog_fails(&node, &["market", "reclaim", &asset_text, "--suri", "//Bob"]);
	assert!(not_due.contains("DeliveryNotDue"), "{not_due}");

	// Until the owner delivers the key, Bob has nothing to decrypt with.
	let early = zerog_fails(
		&node,
		&["market", "download", &asset_text, "-o", &path("bob.bin"), "--suri", "//Bob"],
	);
	assert!(early.contains("has not delivered the key"), "{early}");

	// The owner seals the key to Bob's registered key; Bob downloads and decrypts.
	let delivered = zerog_json(
		&node,
		&["market", "deliver-key", &asset_text, &bob, "--key-file", &path("dataset.key")],
	);
	assert_eq!(delivered["recipientKey"], bob_key, "{delivered}");
	let shown = zerog_json(&node, &["market", "show", &asset_text, "--account", &bob]);
	assert_eq!(shown["grant"]["keyDelivered"], true, "{shown}");
	assert_eq!(shown["grant"]["scope"], "download", "{shown}");
	assert_eq!(shown["grant"]["recipientKey"], bob_key, "{shown}");
	assert_eq!(shown["grant"]["escrow"], Json::Null, "paid to the owner with the key: {shown}");
	assert_eq!(shown["openGrants"], 1, "{shown}");
	let downloaded = zerog_json(
		&node,
		&["market", "download", &asset_text, "-o", &path("bob.bin"), "--suri", "//Bob"],
	);
	assert_eq!(downloaded["decryptedSize"], 300_000, "{downloaded}");
	assert!(std::fs::read(path("bob.bin")).unwrap() == dataset, "Bob's copy differs");

	// Charlie has no grant: nothing to open, and the chain refuses the owner a key for him.
	zerog_json(&node, &["market", "key", "--suri", "//Charlie"]);
	let stranger = zerog_fails(
		&node,
		&["market", "download", &asset_text, "-o", &path("charlie.bin"), "--suri", "//Charlie"],
	);
	assert!(stranger.contains("holds no grant"), "{stranger}");
	assert!(!dir.path().join("charlie.bin").exists());
	let refused = zerog_fails(
		&node,
		&["market", "deliver-key", &asset_text, &charlie, "--key-file", &path("dataset.key")],
	);
	assert!(refused.contains("NoGrant"), "{refused}");

	// Dave is granted a few blocks and the grant runs out before a key reaches him: the chain
	// refuses to deliver one, and he cannot decrypt. (Five blocks: a loaded machine may
	// include the grant a block or two after the one the CLI counted from.)
	zerog_json(&node, &["market", "key", "--suri", "//Dave"]);
	let granted = zerog_json(&node, &["market", "grant", &asset_text, &dave, "--blocks", "5"]);
	let dave_expires = granted["expiresAt"].as_u64().unwrap() as u32;
	node.wait_for_best(dave_expires, BLOCK_TIMEOUT).await;
	let late = zerog_fails(
		&node,
		&["market", "deliver-key", &asset_text, &dave, "--key-file", &path("dataset.key")],
	);
	assert!(late.contains("NoActiveGrant"), "{late}");
	let expired = zerog_fails(
		&node,
		&["market", "download", &asset_text, "-o", &path("dave.bin"), "--suri", "//Dave"],
	);
	assert!(expired.contains("expired"), "{expired}");
	assert!(!dir.path().join("dave.bin").exists());

	// Revoked, Bob's grant (and the key stored in it) is gone from the chain.
	zerog_json(&node, &["market", "revoke", &asset_text, &bob]);
	let revoked = zerog_fails(
		&node,
		&["market", "download", &asset_text, "-o", &path("bob-again.bin"), "--suri", "//Bob"],
	);
	assert!(revoked.contains("holds no grant"), "{revoked}");
	let shown: Json = zerog_json(&node, &["market", "show", &asset_text, "--account", &bob]);
	assert_eq!(shown["grant"], Json::Null, "{shown}");
}
