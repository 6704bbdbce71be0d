use super::*;
use crate::{
	evm::{token_transfer, Contract, EthLog, EthTransaction, TRANSFER_TOPIC},
	subjects::SubjectKind,
};

/// One ERC-20 transfer per block, from a contract created in block 0.
fn eth_block(number: u64) -> EthBlock {
	let (token, holder) = (format!("0x{}", "33".repeat(20)), format!("0x{}", "44".repeat(20)));
	let hash = format!("0x{:064x}", number + 9000);
	let log = EthLog {
		block_number: number,
		log_index: 0,
		transaction_hash: hash.clone(),
		address: token.clone(),
		topics: vec![
			TRANSFER_TOPIC.into(),
			format!("0x{}{}", "0".repeat(24), &holder[2..]),
			format!("0x{}{}", "0".repeat(24), "55".repeat(20)),
		],
		data: format!("0x{:064x}", 1000 + number),
	};
	EthBlock {
		transactions: vec![EthTransaction {
			hash: hash.clone(),
			block_number: number,
			position: 0,
			sender: holder.clone(),
			recipient: Some(token.clone()),
			contract_created: None,
			value: "0".into(),
			gas_used: "51000".into(),
			success: true,
			selector: Some("0xa9059cbb".into()),
			input_size: 68,
		}],
		token_transfers: vec![token_transfer(&log).unwrap()],
		logs: vec![log],
		contracts: (number == 0)
			.then(|| Contract {
				address: token,
				creator: holder,
				transaction_hash: hash,
				block_number: 0,
				code_hash: format!("0x{}", "66".repeat(32)),
			})
			.into_iter()
			.collect(),
	}
}

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
		subjects: vec![SubjectRow {
			kind: SubjectKind::Account,
			key: format!("0x{}", "22".repeat(32)),
			block_number: number,
			event: 0,
		}],
		eth: eth_block(number),
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

	// Subjects lead to their events, oldest first or newest first.
	let about = store.events_about(SubjectKind::Account, &recipient).await.unwrap();
	assert_eq!(about.iter().map(|event| event.block_number).collect::<Vec<_>>(), [0, 1, 2]);
	assert_eq!(about[1], expected.events[0]);
	let latest = store.latest_events_about(SubjectKind::Account, &recipient, 1).await.unwrap();
	assert_eq!(latest[0].block_number, 2);
	assert!(store.events_about(SubjectKind::File, "1").await.unwrap().is_empty());

	// The EVM side reads back exactly.
	let eth = &expected.eth;
	let hash = &eth.transactions[0].hash;
	assert_eq!(store.eth_transaction(hash).await.unwrap().as_ref(), Some(&eth.transactions[0]));
	assert_eq!(store.eth_transactions_of_block(1).await.unwrap(), eth.transactions);
	assert_eq!(store.eth_logs_of(hash).await.unwrap(), eth.logs);
	let (token, holder) = (&eth.logs[0].address, &eth.transactions[0].sender);
	assert_eq!(store.eth_transactions_of(holder, 10).await.unwrap().len(), 3);
	assert_eq!(store.eth_transactions_of(token, 10).await.unwrap().len(), 3);
	let of_token = store.token_transfers(Some(token), None, 10).await.unwrap();
	assert_eq!(
		of_token.iter().map(|transfer| transfer.value.as_str()).collect::<Vec<_>>(),
		["1002", "1001", "1000"]
	);
	assert_eq!(
		store.token_transfers(None, Some(holder), 1).await.unwrap(),
		block(2).eth.token_transfers
	);
	assert!(store.token_transfers(Some(holder), None, 10).await.unwrap().is_empty());
	assert_eq!(store.contract(token).await.unwrap(), block(0).eth.contracts.first().cloned());
	assert_eq!(store.contract(holder).await.unwrap(), None);

	// Activity in ranges of two blocks: each block has a signed extrinsic and an Ethereum
	// transaction; ranges with no indexed block read as zero.
	let activity = store.activity(2, 2, 48).await.unwrap();
	let counts: Vec<(u64, u64)> =
		activity.iter().map(|range| (range.first_block, range.transactions)).collect();
	assert_eq!(counts, [(0, 4), (2, 2)]);
	let activity = store.activity(5, 2, 2).await.unwrap();
	let counts: Vec<(u64, u64)> =
		activity.iter().map(|range| (range.first_block, range.transactions)).collect();
	assert_eq!(counts, [(2, 2), (4, 0)]);
}

#[test]
fn database_passwords_stay_out_of_messages() {
	assert_eq!(
		redact("postgres://explorer:s3cret@db:5432/zerog"),
		"postgres://explorer:***@db:5432/zerog"
	);
	assert_eq!(redact("sqlite://explorer.db"), "sqlite://explorer.db");
}
