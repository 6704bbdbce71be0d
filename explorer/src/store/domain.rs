//! What the explorer indexes beyond blocks, extrinsics and events: the subjects each event names
//! (files, blobs, jobs, services, roots, accounts) and the EVM side of each block.
//!
//! EVM rows keep the columns they are looked up by, plus the whole row as JSON (`data`), which
//! is what is read back: one shape on both databases and no column-by-column readers.

use serde::{de::DeserializeOwned, Serialize};
use sqlx::{Any, Row, Transaction};

use super::{failed, Event, IndexedBlock, Store};
use crate::{
	evm::{Contract, EthLog, EthTransaction, TokenTransfer},
	subjects::SubjectKind,
};

/// Tables and indexes, created if missing.
pub(super) const SCHEMA: [&str; 13] = [
	"CREATE TABLE IF NOT EXISTS block_stats (block_number BIGINT PRIMARY KEY, transactions BIGINT \
	 NOT NULL, storage_bytes BIGINT NOT NULL, da_bytes BIGINT NOT NULL)",
	"CREATE TABLE IF NOT EXISTS subjects (kind TEXT NOT NULL, key TEXT NOT NULL, block_number \
	 BIGINT NOT NULL, event BIGINT NOT NULL, PRIMARY KEY (kind, key, block_number, event))",
	"CREATE TABLE IF NOT EXISTS eth_transactions (hash TEXT PRIMARY KEY, block_number BIGINT NOT \
	 NULL, position BIGINT NOT NULL, sender TEXT NOT NULL, recipient TEXT, data TEXT NOT NULL)",
	"CREATE INDEX IF NOT EXISTS eth_transactions_by_block ON eth_transactions (block_number)",
	"CREATE INDEX IF NOT EXISTS eth_transactions_by_sender ON eth_transactions (sender)",
	"CREATE INDEX IF NOT EXISTS eth_transactions_by_recipient ON eth_transactions (recipient)",
	"CREATE TABLE IF NOT EXISTS eth_logs (block_number BIGINT NOT NULL, log_index BIGINT NOT \
	 NULL, transaction_hash TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (block_number, \
	 log_index))",
	"CREATE INDEX IF NOT EXISTS eth_logs_by_transaction ON eth_logs (transaction_hash)",
	"CREATE TABLE IF NOT EXISTS token_transfers (block_number BIGINT NOT NULL, log_index BIGINT \
	 NOT NULL, token TEXT NOT NULL, sender TEXT NOT NULL, recipient TEXT NOT NULL, data TEXT NOT \
	 NULL, PRIMARY KEY (block_number, log_index))",
	"CREATE INDEX IF NOT EXISTS token_transfers_by_token ON token_transfers (token)",
	"CREATE INDEX IF NOT EXISTS token_transfers_by_sender ON token_transfers (sender)",
	"CREATE INDEX IF NOT EXISTS token_transfers_by_recipient ON token_transfers (recipient)",
	"CREATE TABLE IF NOT EXISTS contracts (address TEXT PRIMARY KEY, block_number BIGINT NOT \
	 NULL, data TEXT NOT NULL)",
];

/// Most events read to summarise one subject; a page shows the newest of them.
pub const MAX_SUBJECT_EVENTS: u32 = 10_000;

/// One subject an event names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubjectRow {
	/// What kind of thing.
	pub kind: SubjectKind,
	/// Its key (a decimal id or `0x` hex).
	pub key: String,
	/// The block of the event.
	pub block_number: u64,
	/// The event's index in the block.
	pub event: u32,
}

fn json<T: Serialize>(row: &T) -> String {
	serde_json::to_string(row).unwrap_or_default()
}

/// Activity over a range of blocks, for the home page's charts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Activity {
	/// The range's first block.
	pub first_block: u64,
	/// Signed extrinsics and Ethereum transactions in it.
	pub transactions: u64,
	/// Bytes of storage files submitted in it.
	pub storage_bytes: u64,
	/// Bytes of DA blobs submitted in it.
	pub da_bytes: u64,
}

/// A block's [`Activity`].
fn activity_of(indexed: &IndexedBlock, number: u64) -> Activity {
	let size = |pallet: &str, name: &str, field: &str| -> u64 {
		indexed
			.events
			.iter()
			.filter(|event| event.pallet == pallet && event.name == name)
			.filter_map(|event| event.fields.get(field)?.as_u64())
			.sum()
	};
	let signed = indexed.extrinsics.iter().filter(|extrinsic| extrinsic.signer.is_some()).count();
	Activity {
		first_block: number,
		// An Ethereum transaction arrives as an unsigned `Revive.eth_transact` (its signature is
		// inside the payload), so the two counts do not overlap.
		transactions: (signed + indexed.eth.transactions.len()) as u64,
		storage_bytes: size("StorageCommitments", "FileSubmitted", "size"),
		da_bytes: size("DaAttestations", "BlobSubmitted", "size_bytes"),
	}
}

/// Writes a block's subjects, EVM rows and activity inside its transaction.
pub(super) async fn write(
	tx: &mut Transaction<'_, Any>,
	indexed: &IndexedBlock,
	number: u64,
	what: &str,
) -> Result<(), String> {
	let (subjects, eth) = (&indexed.subjects, &indexed.eth);
	let activity = activity_of(indexed, number);
	sqlx::query(
		"INSERT INTO block_stats (block_number, transactions, storage_bytes, da_bytes) VALUES \
		 ($1, $2, $3, $4)",
	)
	.bind(number as i64)
	.bind(activity.transactions as i64)
	.bind(activity.storage_bytes as i64)
	.bind(activity.da_bytes as i64)
	.execute(&mut **tx)
	.await
	.map_err(failed(what))?;
	for subject in subjects {
		sqlx::query(
			"INSERT INTO subjects (kind, key, block_number, event) VALUES ($1, $2, $3, $4)",
		)
		.bind(subject.kind.name())
		.bind(&subject.key)
		.bind(subject.block_number as i64)
		.bind(i64::from(subject.event))
		.execute(&mut **tx)
		.await
		.map_err(failed(what))?;
	}
	for transaction in &eth.transactions {
		sqlx::query(
			"INSERT INTO eth_transactions (hash, block_number, position, sender, recipient, \
			 data) VALUES ($1, $2, $3, $4, $5, $6)",
		)
		.bind(&transaction.hash)
		.bind(transaction.block_number as i64)
		.bind(i64::from(transaction.position))
		.bind(&transaction.sender)
		.bind(transaction.recipient.clone().or_else(|| transaction.contract_created.clone()))
		.bind(json(transaction))
		.execute(&mut **tx)
		.await
		.map_err(failed(what))?;
	}
	for log in &eth.logs {
		sqlx::query(
			"INSERT INTO eth_logs (block_number, log_index, transaction_hash, data) VALUES ($1, \
			 $2, $3, $4)",
		)
		.bind(log.block_number as i64)
		.bind(i64::from(log.log_index))
		.bind(&log.transaction_hash)
		.bind(json(log))
		.execute(&mut **tx)
		.await
		.map_err(failed(what))?;
	}
	for transfer in &eth.token_transfers {
		sqlx::query(
			"INSERT INTO token_transfers (block_number, log_index, token, sender, recipient, \
			 data) VALUES ($1, $2, $3, $4, $5, $6)",
		)
		.bind(transfer.block_number as i64)
		.bind(i64::from(transfer.log_index))
		.bind(&transfer.token)
		.bind(&transfer.sender)
		.bind(&transfer.recipient)
		.bind(json(transfer))
		.execute(&mut **tx)
		.await
		.map_err(failed(what))?;
	}
	for contract in &eth.contracts {
		sqlx::query("INSERT INTO contracts (address, block_number, data) VALUES ($1, $2, $3)")
			.bind(&contract.address)
			.bind(contract.block_number as i64)
			.bind(json(contract))
			.execute(&mut **tx)
			.await
			.map_err(failed(what))?;
	}
	Ok(())
}

fn rows_as<T: DeserializeOwned>(rows: &[sqlx::any::AnyRow]) -> Result<Vec<T>, String> {
	rows.iter()
		.map(|row| {
			let data: String = row.try_get("data").map_err(failed("reading a row"))?;
			serde_json::from_str(&data)
				.map_err(|error| format!("a stored row is not JSON: {error}"))
		})
		.collect()
}

impl Store {
	/// Activity of the latest `buckets × bucket_blocks` blocks up to `last`, oldest first, in
	/// ranges of `bucket_blocks` blocks.
	pub async fn activity(
		&self,
		last: u64,
		bucket_blocks: u64,
		buckets: u64,
	) -> Result<Vec<Activity>, String> {
		let bucket_blocks = bucket_blocks.max(1);
		let end = last / bucket_blocks;
		let first = end.saturating_sub(buckets.saturating_sub(1));
		let rows = sqlx::query(
			"SELECT block_number / $1 AS bucket, CAST(SUM(transactions) AS BIGINT) AS \
			 transactions, CAST(SUM(storage_bytes) AS BIGINT) AS storage_bytes, \
			 CAST(SUM(da_bytes) AS BIGINT) AS da_bytes FROM block_stats WHERE block_number >= \
			 $2 AND block_number <= $3 GROUP BY block_number / $1",
		)
		.bind(bucket_blocks as i64)
		.bind((first * bucket_blocks) as i64)
		.bind(last as i64)
		.fetch_all(&self.pool)
		.await
		.map_err(failed("reading the activity"))?;
		let mut activity: Vec<Activity> = (first..=end)
			.map(|bucket| Activity { first_block: bucket * bucket_blocks, ..Default::default() })
			.collect();
		for row in rows {
			let read = failed("reading the activity");
			let bucket = row.try_get::<i64, _>("bucket").map_err(&read)? as u64;
			if let Some(slot) = activity.get_mut(bucket.saturating_sub(first) as usize) {
				slot.transactions = row.try_get::<i64, _>("transactions").map_err(&read)? as u64;
				slot.storage_bytes = row.try_get::<i64, _>("storage_bytes").map_err(&read)? as u64;
				slot.da_bytes = row.try_get::<i64, _>("da_bytes").map_err(&read)? as u64;
			}
		}
		Ok(activity)
	}

	/// The events that name `kind` `key`, oldest first, at most [`MAX_SUBJECT_EVENTS`].
	pub async fn events_about(&self, kind: SubjectKind, key: &str) -> Result<Vec<Event>, String> {
		let rows = sqlx::query(
			"SELECT e.block_number, e.position, e.extrinsic, e.pallet, e.name, e.fields FROM \
			 subjects s JOIN events e ON e.block_number = s.block_number AND e.position = \
			 s.event WHERE s.kind = $1 AND s.key = $2 ORDER BY s.block_number, s.event LIMIT $3",
		)
		.bind(kind.name())
		.bind(key)
		.bind(i64::from(MAX_SUBJECT_EVENTS))
		.fetch_all(&self.pool)
		.await
		.map_err(failed("reading a subject's events"))?;
		rows.iter().map(super::event_of).collect()
	}

	/// The `limit` newest events naming `kind` `key`, newest first.
	pub async fn latest_events_about(
		&self,
		kind: SubjectKind,
		key: &str,
		limit: u32,
	) -> Result<Vec<Event>, String> {
		let rows = sqlx::query(
			"SELECT e.block_number, e.position, e.extrinsic, e.pallet, e.name, e.fields FROM \
			 subjects s JOIN events e ON e.block_number = s.block_number AND e.position = \
			 s.event WHERE s.kind = $1 AND s.key = $2 ORDER BY s.block_number DESC, s.event DESC \
			 LIMIT $3",
		)
		.bind(kind.name())
		.bind(key)
		.bind(i64::from(limit))
		.fetch_all(&self.pool)
		.await
		.map_err(failed("reading a subject's events"))?;
		rows.iter().map(super::event_of).collect()
	}

	/// The Ethereum transaction with this hash.
	pub async fn eth_transaction(&self, hash: &str) -> Result<Option<EthTransaction>, String> {
		let rows = sqlx::query("SELECT data FROM eth_transactions WHERE hash = $1")
			.bind(hash)
			.fetch_all(&self.pool)
			.await
			.map_err(failed("reading an Ethereum transaction"))?;
		Ok(rows_as(&rows)?.into_iter().next())
	}

	/// The Ethereum transactions of block `number`, in order.
	pub async fn eth_transactions_of_block(
		&self,
		number: u64,
	) -> Result<Vec<EthTransaction>, String> {
		let rows = sqlx::query(
			"SELECT data FROM eth_transactions WHERE block_number = $1 ORDER BY position",
		)
		.bind(number as i64)
		.fetch_all(&self.pool)
		.await
		.map_err(failed("reading Ethereum transactions"))?;
		rows_as(&rows)
	}

	/// The `limit` newest Ethereum transactions from or to `address`, newest first.
	pub async fn eth_transactions_of(
		&self,
		address: &str,
		limit: u32,
	) -> Result<Vec<EthTransaction>, String> {
		let rows = sqlx::query(
			"SELECT data FROM eth_transactions WHERE sender = $1 OR recipient = $1 ORDER BY \
			 block_number DESC, position DESC LIMIT $2",
		)
		.bind(address)
		.bind(i64::from(limit))
		.fetch_all(&self.pool)
		.await
		.map_err(failed("reading Ethereum transactions"))?;
		rows_as(&rows)
	}

	/// The logs of an Ethereum transaction, in order.
	pub async fn eth_logs_of(&self, transaction_hash: &str) -> Result<Vec<EthLog>, String> {
		let rows = sqlx::query(
			"SELECT data FROM eth_logs WHERE transaction_hash = $1 ORDER BY block_number, \
			 log_index",
		)
		.bind(transaction_hash)
		.fetch_all(&self.pool)
		.await
		.map_err(failed("reading logs"))?;
		rows_as(&rows)
	}

	/// The `limit` newest ERC-20 transfers of token `token`, or from or to `address`, newest
	/// first.
	pub async fn token_transfers(
		&self,
		token: Option<&str>,
		address: Option<&str>,
		limit: u32,
	) -> Result<Vec<TokenTransfer>, String> {
		let rows = sqlx::query(
			"SELECT data FROM token_transfers WHERE ($1 IS NULL OR token = $1) AND ($2 IS NULL \
			 OR sender = $2 OR recipient = $2) ORDER BY block_number DESC, log_index DESC LIMIT $3",
		)
		.bind(token.map(str::to_owned))
		.bind(address.map(str::to_owned))
		.bind(i64::from(limit))
		.fetch_all(&self.pool)
		.await
		.map_err(failed("reading token transfers"))?;
		rows_as(&rows)
	}

	/// The contract at `address`, if an indexed transaction created it.
	pub async fn contract(&self, address: &str) -> Result<Option<Contract>, String> {
		let rows = sqlx::query("SELECT data FROM contracts WHERE address = $1")
			.bind(address)
			.fetch_all(&self.pool)
			.await
			.map_err(failed("reading a contract"))?;
		Ok(rows_as(&rows)?.into_iter().next())
	}
}
