use super::*;

fn block(number: u64) -> IndexedBlock {
	let account = format!("0x{}", "11".repeat(32));
	IndexedBlock {
		block: Some(Block {
			number,
			hash: format!("0x{:064x}", number + 1000),
			parent_hash: format!("0x{:064x}", number + 999),
			timestamp_ms: 1_800_000_000_000 + number * 2000,
			spec_version: 129,
			extrinsic_count: 1,
			event_count: 2,
		}),
		extrinsics: vec![Extrinsic {
			block_number: number,
			position: 0,
			hash: format!("0x{:064x}", number + 5000),
			pallet: "Balances".into(),
			call: "transfer_keep_alive".into(),
			signer: Some(account.clone()),
			success: true,
			args: serde_json::json!({ "value": "10000000000000000000000" }),
		}],
		events: vec![
			Event {
				block_number: number,
				position: 0,
				extrinsic: Some(0),
				pallet: "Balances".into(),
				name: "Transfer".into(),
				fields: serde_json::json!({ "amount": "10000000000000000000000" }),
			},
			Event {
				block_number: number,
				position: 1,
				extrinsic: None,
				pallet: "System".into(),
				name: "Finalization".into(),
				fields: serde_json::json!(null),
			},
		],
		transfers: vec![Transfer {
			block_number: number,
			event: 0,
			sender: account,
			recipient: format!("0x{}", "22".repeat(32)),
			amount: "10000000000000000000000".into(),
		}],
	}
}

#[tokio::test]
async fn blocks_are_written_whole_once_and_read_back_exactly() {
	let dir = tempfile::tempdir().unwrap();
	let url = format!("sqlite://{}", dir.path().join("explorer.db").display());
	let store = Store::open(&url).await.unwrap();
	assert_eq!(store.last_indexed().await.unwrap(), None);
	for number in 0..3 {
		store.write_block(&block(number)).await.unwrap();
	}
	assert_eq!(store.last_indexed().await.unwrap(), Some(2));
	// A block written twice is refused and changes nothing.
	let error = store.write_block(&block(2)).await.unwrap_err();
	assert!(error.contains("writing block 2"), "{error}");
	assert_eq!(store.extrinsics_of_block(2).await.unwrap().len(), 1);

	// Reopening finds everything.
	drop(store);
	let store = Store::open(&url).await.unwrap();
	let expected = block(1);
	assert_eq!(store.block_by_number(1).await.unwrap(), expected.block);
	assert_eq!(
		store.block_by_hash(&expected.block.clone().unwrap().hash).await.unwrap(),
		expected.block
	);
	assert_eq!(store.extrinsics_of_block(1).await.unwrap(), expected.extrinsics);
	assert_eq!(store.events_of_block(1, None).await.unwrap(), expected.events);
	assert_eq!(store.events_of_block(1, Some(0)).await.unwrap(), expected.events[..1]);
	let hash = &expected.extrinsics[0].hash;
	assert_eq!(store.extrinsics_by_hash(hash).await.unwrap(), expected.extrinsics);
	assert_eq!(store.extrinsic_at(1, 0).await.unwrap(), Some(expected.extrinsics[0].clone()));
	let latest = store.latest_blocks(2).await.unwrap();
	assert_eq!(latest.iter().map(|block| block.number).collect::<Vec<_>>(), [2, 1]);
	let signer = expected.extrinsics[0].signer.clone().unwrap();
	assert_eq!(store.extrinsics_signed_by(&signer, 10).await.unwrap().len(), 3);
	let recipient = format!("0x{}", "22".repeat(32));
	assert_eq!(store.transfers_of(&recipient, 2).await.unwrap()[0], block(2).transfers[0]);
	assert_eq!(store.latest_signed_extrinsics(1).await.unwrap()[0].block_number, 2);
}

#[test]
fn database_passwords_stay_out_of_messages() {
	assert_eq!(
		redact("postgres://explorer:s3cret@db:5432/zerog"),
		"postgres://explorer:***@db:5432/zerog"
	);
	assert_eq!(redact("sqlite://explorer.db"), "sqlite://explorer.db");
}
