//! The explorer's database: what the indexer wrote, and the queries the API and the pages ask.
//!
//! The same SQL runs on SQLite (`sqlite://explorer.db`, the default) and on PostgreSQL
//! (`postgres://…`) through sqlx's `Any` driver: numbers are `BIGINT`, flags are integers, and
//! parameters are written `$1`, which both understand. Every block is written in one transaction
//! with its extrinsics, events and transfers, so after a crash or a kill the database holds whole
//! blocks up to some height and indexing continues from the next one; primary keys make a block
//! written twice an error, never a duplicate.

use serde::Serialize;
use sqlx::{any::AnyPoolOptions, AnyPool, Row};

use crate::evm::EthBlock;

mod domain;
pub use domain::{Activity, SubjectRow, MAX_SUBJECT_EVENTS};

/// The tables, created if missing.
const SCHEMA: [&str; 8] = [
	"CREATE TABLE IF NOT EXISTS blocks (number BIGINT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, \
	 parent_hash TEXT NOT NULL, timestamp_ms BIGINT NOT NULL, spec_version BIGINT NOT NULL, \
	 extrinsic_count BIGINT NOT NULL, event_count BIGINT NOT NULL)",
	"CREATE TABLE IF NOT EXISTS extrinsics (block_number BIGINT NOT NULL, position BIGINT NOT \
	 NULL, hash TEXT NOT NULL, pallet TEXT NOT NULL, call TEXT NOT NULL, signer TEXT, success \
	 BIGINT NOT NULL, args TEXT NOT NULL, PRIMARY KEY (block_number, position))",
	"CREATE INDEX IF NOT EXISTS extrinsics_by_hash ON extrinsics (hash)",
	"CREATE INDEX IF NOT EXISTS extrinsics_by_signer ON extrinsics (signer)",
	"CREATE TABLE IF NOT EXISTS events (block_number BIGINT NOT NULL, position BIGINT NOT NULL, \
	 extrinsic BIGINT, pallet TEXT NOT NULL, name TEXT NOT NULL, fields TEXT NOT NULL, PRIMARY \
	 KEY (block_number, position))",
	"CREATE TABLE IF NOT EXISTS transfers (block_number BIGINT NOT NULL, event BIGINT NOT NULL, \
	 sender TEXT NOT NULL, recipient TEXT NOT NULL, amount TEXT NOT NULL, PRIMARY KEY \
	 (block_number, event))",
	"CREATE INDEX IF NOT EXISTS transfers_by_sender ON transfers (sender)",
	"CREATE INDEX IF NOT EXISTS transfers_by_recipient ON transfers (recipient)",
];

/// A block as indexed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Block {
	/// Its number.
	pub number: u64,
	/// Its hash, `0x` hex.
	pub hash: String,
	/// Its parent's hash.
	pub parent_hash: String,
	/// `Timestamp.set` of the block, in milliseconds since 1970.
	pub timestamp_ms: u64,
	/// The runtime's `spec_version` that executed it.
	pub spec_version: u32,
	/// Extrinsics in it.
	pub extrinsic_count: u32,
	/// Events it emitted.
	pub event_count: u32,
}

/// An extrinsic as indexed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Extrinsic {
	/// The block it is in.
	pub block_number: u64,
	/// Its index in the block.
	pub position: u32,
	/// Its hash, `0x` hex.
	pub hash: String,
	/// The pallet of its call, e.g. `Balances`.
	pub pallet: String,
	/// The call, e.g. `transfer_keep_alive`.
	pub call: String,
	/// The signing account, `0x` hex of its 32 bytes; `None` for an inherent.
	pub signer: Option<String>,
	/// Whether it dispatched without an error.
	pub success: bool,
	/// The call's arguments as JSON (see `zerog_client::value::to_json`).
	pub args: serde_json::Value,
}

/// An event as indexed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Event {
	/// The block that emitted it.
	pub block_number: u64,
	/// Its index among the block's events.
	pub position: u32,
	/// The extrinsic that emitted it, if one did.
	pub extrinsic: Option<u32>,
	/// Its pallet, e.g. `Balances`.
	pub pallet: String,
	/// Its name, e.g. `Transfer`.
	pub name: String,
	/// Its fields as JSON.
	pub fields: serde_json::Value,
}

/// A balance transfer (`Balances.Transfer`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Transfer {
	/// The block it happened in.
	pub block_number: u64,
	/// The index of its event in the block.
	pub event: u32,
	/// The paying account, `0x` hex.
	pub sender: String,
	/// The receiving account, `0x` hex.
	pub recipient: String,
	/// The amount in the smallest unit, as a decimal string.
	pub amount: String,
}

/// Everything the indexer writes for one block.
#[derive(Clone, Debug, Default)]
pub struct IndexedBlock {
	/// The block; `None` only in a default value.
	pub block: Option<Block>,
	/// Its extrinsics, in order.
	pub extrinsics: Vec<Extrinsic>,
	/// Its events, in order.
	pub events: Vec<Event>,
	/// Its transfers.
	pub transfers: Vec<Transfer>,
	/// The subjects its events name.
	pub subjects: Vec<SubjectRow>,
	/// Its EVM transactions, logs and created contracts.
	pub eth: EthBlock,
}

/// The database.
#[derive(Clone)]
pub struct Store {
	pool: AnyPool,
}

/// A database error, with what was being done.
fn failed(what: &str) -> impl Fn(sqlx::Error) -> String + '_ {
	move |error| format!("{what}: {error}")
}

impl Store {
	/// Opens the database at `url` (`sqlite://PATH`, created if missing, or `postgres://…`) and
	/// creates the tables that are missing.
	pub async fn open(url: &str) -> Result<Self, String> {
		sqlx::any::install_default_drivers();
		let url = match url.strip_prefix("sqlite://") {
			Some(path) if !path.contains('?') => format!("sqlite://{path}?mode=rwc"),
			_ => url.to_owned(),
		};
		// SQLite takes one writer at a time; a single connection also keeps the in-memory test
		// databases one database.
		let connections = if url.starts_with("sqlite:") { 1 } else { 8 };
		let pool = AnyPoolOptions::new()
			.max_connections(connections)
			.connect(&url)
			.await
			.map_err(|error| format!("cannot open the database {}: {error}", redact(&url)))?;
		for statement in SCHEMA.iter().chain(domain::SCHEMA.iter()) {
			sqlx::query(statement).execute(&pool).await.map_err(failed("creating the tables"))?;
		}
		Ok(Self { pool })
	}

	/// The highest block indexed, if any.
	pub async fn last_indexed(&self) -> Result<Option<u64>, String> {
		let row = sqlx::query("SELECT MAX(number) AS last FROM blocks")
			.fetch_one(&self.pool)
			.await
			.map_err(failed("reading the last block"))?;
		let last: Option<i64> = row.try_get("last").map_err(failed("reading the last block"))?;
		Ok(last.map(|last| last as u64))
	}

	/// Writes one block with everything in it, in one transaction.
	pub async fn write_block(&self, indexed: &IndexedBlock) -> Result<(), String> {
		let Some(block) = &indexed.block else { return Ok(()) };
		let what = format!("writing block {}", block.number);
		let mut tx = self.pool.begin().await.map_err(failed(&what))?;
		sqlx::query(
			"INSERT INTO blocks (number, hash, parent_hash, timestamp_ms, spec_version, \
			 extrinsic_count, event_count) VALUES ($1, $2, $3, $4, $5, $6, $7)",
		)
		.bind(block.number as i64)
		.bind(&block.hash)
		.bind(&block.parent_hash)
		.bind(block.timestamp_ms as i64)
		.bind(i64::from(block.spec_version))
		.bind(i64::from(block.extrinsic_count))
		.bind(i64::from(block.event_count))
		.execute(&mut *tx)
		.await
		.map_err(failed(&what))?;
		for extrinsic in &indexed.extrinsics {
			sqlx::query(
				"INSERT INTO extrinsics (block_number, position, hash, pallet, call, signer, \
				 success, args) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
			)
			.bind(extrinsic.block_number as i64)
			.bind(i64::from(extrinsic.position))
			.bind(&extrinsic.hash)
			.bind(&extrinsic.pallet)
			.bind(&extrinsic.call)
			.bind(extrinsic.signer.clone())
			.bind(i64::from(extrinsic.success))
			.bind(extrinsic.args.to_string())
			.execute(&mut *tx)
			.await
			.map_err(failed(&what))?;
		}
		for event in &indexed.events {
			sqlx::query(
				"INSERT INTO events (block_number, position, extrinsic, pallet, name, fields) \
				 VALUES ($1, $2, $3, $4, $5, $6)",
			)
			.bind(event.block_number as i64)
			.bind(i64::from(event.position))
			.bind(event.extrinsic.map(i64::from))
			.bind(&event.pallet)
			.bind(&event.name)
			.bind(event.fields.to_string())
			.execute(&mut *tx)
			.await
			.map_err(failed(&what))?;
		}
		for transfer in &indexed.transfers {
			sqlx::query(
				"INSERT INTO transfers (block_number, event, sender, recipient, amount) VALUES \
				 ($1, $2, $3, $4, $5)",
			)
			.bind(transfer.block_number as i64)
			.bind(i64::from(transfer.event))
			.bind(&transfer.sender)
			.bind(&transfer.recipient)
			.bind(&transfer.amount)
			.execute(&mut *tx)
			.await
			.map_err(failed(&what))?;
		}
		domain::write(&mut tx, indexed, block.number, &what).await?;
		tx.commit().await.map_err(failed(&what))
	}

	/// The `limit` latest blocks, newest first.
	pub async fn latest_blocks(&self, limit: u32) -> Result<Vec<Block>, String> {
		let rows = sqlx::query(&format!("{BLOCK_COLUMNS} ORDER BY number DESC LIMIT $1"))
			.bind(i64::from(limit))
			.fetch_all(&self.pool)
			.await
			.map_err(failed("reading the latest blocks"))?;
		rows.iter().map(block_of).collect()
	}

	/// The block with this number.
	pub async fn block_by_number(&self, number: u64) -> Result<Option<Block>, String> {
		let row = sqlx::query(&format!("{BLOCK_COLUMNS} WHERE number = $1"))
			.bind(number as i64)
			.fetch_optional(&self.pool)
			.await
			.map_err(failed("reading a block"))?;
		row.as_ref().map(block_of).transpose()
	}

	/// The block with this hash (`0x` lowercase hex).
	pub async fn block_by_hash(&self, hash: &str) -> Result<Option<Block>, String> {
		let row = sqlx::query(&format!("{BLOCK_COLUMNS} WHERE hash = $1"))
			.bind(hash)
			.fetch_optional(&self.pool)
			.await
			.map_err(failed("reading a block"))?;
		row.as_ref().map(block_of).transpose()
	}

	/// The extrinsics of a block, in order.
	pub async fn extrinsics_of_block(&self, number: u64) -> Result<Vec<Extrinsic>, String> {
		let rows =
			sqlx::query(&format!("{EXTRINSIC_COLUMNS} WHERE block_number = $1 ORDER BY position"))
				.bind(number as i64)
				.fetch_all(&self.pool)
				.await
				.map_err(failed("reading extrinsics"))?;
		rows.iter().map(extrinsic_of).collect()
	}

	/// The extrinsic at `position` of block `number`.
	pub async fn extrinsic_at(
		&self,
		number: u64,
		position: u32,
	) -> Result<Option<Extrinsic>, String> {
		let row =
			sqlx::query(&format!("{EXTRINSIC_COLUMNS} WHERE block_number = $1 AND position = $2"))
				.bind(number as i64)
				.bind(i64::from(position))
				.fetch_optional(&self.pool)
				.await
				.map_err(failed("reading an extrinsic"))?;
		row.as_ref().map(extrinsic_of).transpose()
	}

	/// The extrinsics with this hash (`0x` lowercase hex), oldest first.
	pub async fn extrinsics_by_hash(&self, hash: &str) -> Result<Vec<Extrinsic>, String> {
		let rows = sqlx::query(&format!(
			"{EXTRINSIC_COLUMNS} WHERE hash = $1 ORDER BY block_number, position"
		))
		.bind(hash)
		.fetch_all(&self.pool)
		.await
		.map_err(failed("reading extrinsics"))?;
		rows.iter().map(extrinsic_of).collect()
	}

	/// The `limit` latest extrinsics `signer` signed, newest first.
	pub async fn extrinsics_signed_by(
		&self,
		signer: &str,
		limit: u32,
	) -> Result<Vec<Extrinsic>, String> {
		let rows = sqlx::query(&format!(
			"{EXTRINSIC_COLUMNS} WHERE signer = $1 ORDER BY block_number DESC, position DESC \
			 LIMIT $2"
		))
		.bind(signer)
		.bind(i64::from(limit))
		.fetch_all(&self.pool)
		.await
		.map_err(failed("reading extrinsics"))?;
		rows.iter().map(extrinsic_of).collect()
	}

	/// The `limit` latest non-inherent extrinsics, newest first.
	pub async fn latest_signed_extrinsics(&self, limit: u32) -> Result<Vec<Extrinsic>, String> {
		let rows = sqlx::query(&format!(
			"{EXTRINSIC_COLUMNS} WHERE signer IS NOT NULL ORDER BY block_number DESC, position \
			 DESC LIMIT $1"
		))
		.bind(i64::from(limit))
		.fetch_all(&self.pool)
		.await
		.map_err(failed("reading extrinsics"))?;
		rows.iter().map(extrinsic_of).collect()
	}

	/// The events of a block, in order; only those of extrinsic `extrinsic` if given.
	pub async fn events_of_block(
		&self,
		number: u64,
		extrinsic: Option<u32>,
	) -> Result<Vec<Event>, String> {
		let query = match extrinsic {
			Some(_) => {
				"SELECT block_number, position, extrinsic, pallet, name, fields FROM \
			            events WHERE block_number = $1 AND extrinsic = $2 ORDER BY position"
			},
			None => {
				"SELECT block_number, position, extrinsic, pallet, name, fields FROM events \
			         WHERE block_number = $1 ORDER BY position"
			},
		};
		let mut query = sqlx::query(query).bind(number as i64);
		if let Some(extrinsic) = extrinsic {
			query = query.bind(i64::from(extrinsic));
		}
		let rows = query.fetch_all(&self.pool).await.map_err(failed("reading events"))?;
		rows.iter().map(event_of).collect()
	}

	/// The `limit` latest transfers from or to `account` (`0x` hex), newest first.
	pub async fn transfers_of(&self, account: &str, limit: u32) -> Result<Vec<Transfer>, String> {
		let rows = sqlx::query(
			"SELECT block_number, event, sender, recipient, amount FROM transfers WHERE sender \
			 = $1 OR recipient = $1 ORDER BY block_number DESC, event DESC LIMIT $2",
		)
		.bind(account)
		.bind(i64::from(limit))
		.fetch_all(&self.pool)
		.await
		.map_err(failed("reading transfers"))?;
		rows.iter()
			.map(|row| {
				let read = failed("reading a transfer");
				Ok(Transfer {
					block_number: row.try_get::<i64, _>("block_number").map_err(&read)? as u64,
					event: row.try_get::<i64, _>("event").map_err(&read)? as u32,
					sender: row.try_get("sender").map_err(&read)?,
					recipient: row.try_get("recipient").map_err(&read)?,
					amount: row.try_get("amount").map_err(&read)?,
				})
			})
			.collect()
	}
}

const BLOCK_COLUMNS: &str = "SELECT number, hash, parent_hash, timestamp_ms, spec_version, \
                             extrinsic_count, event_count FROM blocks";

const EXTRINSIC_COLUMNS: &str =
	"SELECT block_number, position, hash, pallet, call, signer, success, args FROM extrinsics";

fn block_of(row: &sqlx::any::AnyRow) -> Result<Block, String> {
	let read = failed("reading a block");
	Ok(Block {
		number: row.try_get::<i64, _>("number").map_err(&read)? as u64,
		hash: row.try_get("hash").map_err(&read)?,
		parent_hash: row.try_get("parent_hash").map_err(&read)?,
		timestamp_ms: row.try_get::<i64, _>("timestamp_ms").map_err(&read)? as u64,
		spec_version: row.try_get::<i64, _>("spec_version").map_err(&read)? as u32,
		extrinsic_count: row.try_get::<i64, _>("extrinsic_count").map_err(&read)? as u32,
		event_count: row.try_get::<i64, _>("event_count").map_err(&read)? as u32,
	})
}

fn event_of(row: &sqlx::any::AnyRow) -> Result<Event, String> {
	let read = failed("reading an event");
	Ok(Event {
		block_number: row.try_get::<i64, _>("block_number").map_err(&read)? as u64,
		position: row.try_get::<i64, _>("position").map_err(&read)? as u32,
		extrinsic: row
			.try_get::<Option<i64>, _>("extrinsic")
			.map_err(&read)?
			.map(|index| index as u32),
		pallet: row.try_get("pallet").map_err(&read)?,
		name: row.try_get("name").map_err(&read)?,
		fields: json_column(row, "fields")?,
	})
}

fn extrinsic_of(row: &sqlx::any::AnyRow) -> Result<Extrinsic, String> {
	let read = failed("reading an extrinsic");
	Ok(Extrinsic {
		block_number: row.try_get::<i64, _>("block_number").map_err(&read)? as u64,
		position: row.try_get::<i64, _>("position").map_err(&read)? as u32,
		hash: row.try_get("hash").map_err(&read)?,
		pallet: row.try_get("pallet").map_err(&read)?,
		call: row.try_get("call").map_err(&read)?,
		signer: row.try_get("signer").map_err(&read)?,
		success: row.try_get::<i64, _>("success").map_err(&read)? != 0,
		args: json_column(row, "args")?,
	})
}

fn json_column(row: &sqlx::any::AnyRow, column: &str) -> Result<serde_json::Value, String> {
	let text: String = row.try_get(column).map_err(failed("reading a column"))?;
	serde_json::from_str(&text).map_err(|error| format!("column {column} is not JSON: {error}"))
}

/// A database URL without its password, for messages.
fn redact(url: &str) -> String {
	match (url.find("://"), url.rfind('@')) {
		(Some(scheme), Some(at)) if at > scheme => {
			let credentials = &url[scheme + 3..at];
			match credentials.split_once(':') {
				Some((user, _password)) => {
					format!("{}{user}:***{}", &url[..scheme + 3], &url[at..])
				},
				None => url.to_owned(),
			}
		},
		_ => url.to_owned(),
	}
}

#[cfg(test)]
mod tests;
