//! The EVM side of a block, read from the node's Ethereum JSON-RPC (pallet-revive's adapter):
//! its transactions with their receipts, logs, ERC-20 transfers and the contracts they created.
//!
//! Only blocks with a `Revive` extrinsic are asked for, so a chain of plain transfers costs the
//! indexer no Ethereum calls. A block whose receipts the adapter does not have (yet) is an
//! error, so the indexer writes nothing of it and tries again: a block is indexed whole or not
//! at all.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use zerog_client::rpc::NodeRpc;
use zerog_primitives::{compute::keccak_256, hex::decode_hex, hex::to_prefixed_hex};

/// `keccak256("Transfer(address,address,uint256)")`: the ERC-20 (and ERC-721) transfer topic.
pub const TRANSFER_TOPIC: &str =
	"0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";

/// An Ethereum transaction with what its receipt says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EthTransaction {
	/// Its hash, `0x` hex.
	pub hash: String,
	/// The block it is in.
	pub block_number: u64,
	/// Its index among the block's Ethereum transactions.
	pub position: u32,
	/// The sending address, `0x` hex of 20 bytes.
	pub sender: String,
	/// The called address; `None` for a contract creation.
	pub recipient: Option<String>,
	/// The contract it created, if it was a creation.
	pub contract_created: Option<String>,
	/// Value sent, in wei, decimal.
	pub value: String,
	/// Gas used, decimal.
	pub gas_used: String,
	/// Whether it succeeded (receipt status 1).
	pub success: bool,
	/// The first four bytes of its input (the called function's selector), if it has four.
	pub selector: Option<String>,
	/// Length of its input in bytes.
	pub input_size: u64,
}

/// A log a transaction emitted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EthLog {
	/// The block it is in.
	pub block_number: u64,
	/// Its index among the block's logs.
	pub log_index: u32,
	/// The transaction that emitted it.
	pub transaction_hash: String,
	/// The emitting contract.
	pub address: String,
	/// Its topics, `0x` hex.
	pub topics: Vec<String>,
	/// Its data, `0x` hex.
	pub data: String,
}

/// An ERC-20 `Transfer(from, to, value)` log, decoded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenTransfer {
	/// The block it is in.
	pub block_number: u64,
	/// The index of its log in the block.
	pub log_index: u32,
	/// The transaction that emitted it.
	pub transaction_hash: String,
	/// The token contract.
	pub token: String,
	/// The paying address.
	pub sender: String,
	/// The receiving address.
	pub recipient: String,
	/// The amount in the token's smallest unit, decimal.
	pub value: String,
}

/// A contract an Ethereum transaction created.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contract {
	/// Its address.
	pub address: String,
	/// The address that deployed it.
	pub creator: String,
	/// The creating transaction.
	pub transaction_hash: String,
	/// The block it was created in.
	pub block_number: u64,
	/// keccak256 of its code at that block, `0x` hex.
	pub code_hash: String,
}

/// Everything EVM in one block.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EthBlock {
	/// Its transactions, in order.
	pub transactions: Vec<EthTransaction>,
	/// Their logs, in order.
	pub logs: Vec<EthLog>,
	/// The ERC-20 transfers among the logs.
	pub token_transfers: Vec<TokenTransfer>,
	/// Contracts created.
	pub contracts: Vec<Contract>,
}

/// Reads block `number`'s Ethereum transactions, receipts and created contracts from `rpc`.
pub async fn eth_block(rpc: &NodeRpc, number: u64) -> Result<EthBlock, String> {
	let failed = |method: &'static str| {
		let url = rpc.url().to_owned();
		move |error: zerog_client::rpc::RpcError| {
			format!("Ethereum RPC {url}: {method} of block {number}: {error}")
		}
	};
	let tag = format!("{number:#x}");
	let block: Value = rpc
		.request("eth_getBlockByNumber", vec![json!(tag), json!(true)])
		.await
		.map_err(failed("eth_getBlockByNumber"))?;
	if block.is_null() {
		return Err(format!("the Ethereum RPC does not know block {number} yet"));
	}
	let mut eth = EthBlock::default();
	let transactions = block.get("transactions").and_then(Value::as_array).cloned();
	for (position, transaction) in transactions.unwrap_or_default().iter().enumerate() {
		let hash = text(transaction, "hash")?;
		let receipt: Value = rpc
			.request("eth_getTransactionReceipt", vec![json!(hash)])
			.await
			.map_err(failed("eth_getTransactionReceipt"))?;
		if receipt.is_null() {
			return Err(format!("no receipt for {hash} in block {number} yet"));
		}
		let input = decode_hex(&text(transaction, "input")?)
			.map_err(|error| format!("transaction {hash}: input: {error}"))?;
		let sender = text(transaction, "from")?.to_ascii_lowercase();
		let contract_created = optional_text(&receipt, "contractAddress");
		if let Some(address) = &contract_created {
			let code: String = rpc
				.request("eth_getCode", vec![json!(address), json!(tag)])
				.await
				.map_err(failed("eth_getCode"))?;
			let code = decode_hex(&code).map_err(|error| format!("code of {address}: {error}"))?;
			eth.contracts.push(Contract {
				address: address.clone(),
				creator: sender.clone(),
				transaction_hash: hash.clone(),
				block_number: number,
				code_hash: to_prefixed_hex(&keccak_256(&code)),
			});
		}
		for log in receipt.get("logs").and_then(Value::as_array).cloned().unwrap_or_default() {
			let log = EthLog {
				block_number: number,
				log_index: quantity(&log, "logIndex")? as u32,
				transaction_hash: hash.clone(),
				address: text(&log, "address")?.to_ascii_lowercase(),
				topics: log
					.get("topics")
					.and_then(Value::as_array)
					.map(|topics| {
						topics
							.iter()
							.filter_map(Value::as_str)
							.map(str::to_ascii_lowercase)
							.collect()
					})
					.unwrap_or_default(),
				data: text(&log, "data")?.to_ascii_lowercase(),
			};
			if let Some(transfer) = token_transfer(&log) {
				eth.token_transfers.push(transfer);
			}
			eth.logs.push(log);
		}
		eth.transactions.push(EthTransaction {
			hash: hash.to_ascii_lowercase(),
			block_number: number,
			position: position as u32,
			sender,
			recipient: optional_text(transaction, "to"),
			contract_created,
			value: decimal(&text(transaction, "value")?)?,
			gas_used: decimal(&text(&receipt, "gasUsed")?)?,
			success: quantity(&receipt, "status")? == 1,
			selector: (input.len() >= 4).then(|| to_prefixed_hex(&input[..4])),
			input_size: input.len() as u64,
		});
	}
	Ok(eth)
}

/// The ERC-20 transfer a log records: the transfer topic, two indexed addresses and a 32-byte
/// amount (an ERC-721 transfer indexes its token id as a third topic and is not one).
pub fn token_transfer(log: &EthLog) -> Option<TokenTransfer> {
	let [topic, from, to] = log.topics.as_slice() else { return None };
	if topic != TRANSFER_TOPIC {
		return None;
	}
	let address = |topic: &str| {
		let bytes = decode_hex(topic).ok()?;
		(bytes.len() == 32 && bytes[..12].iter().all(|byte| *byte == 0))
			.then(|| to_prefixed_hex(&bytes[12..]))
	};
	let data = decode_hex(&log.data).ok()?;
	if data.len() != 32 {
		return None;
	}
	Some(TokenTransfer {
		block_number: log.block_number,
		log_index: log.log_index,
		transaction_hash: log.transaction_hash.clone(),
		token: log.address.clone(),
		sender: address(from)?,
		recipient: address(to)?,
		value: decimal_of_bytes(&data),
	})
}

fn text(object: &Value, field: &str) -> Result<String, String> {
	object
		.get(field)
		.and_then(Value::as_str)
		.map(str::to_owned)
		.ok_or_else(|| format!("the Ethereum RPC's answer has no `{field}`: {object}"))
}

fn optional_text(object: &Value, field: &str) -> Option<String> {
	object.get(field).and_then(Value::as_str).map(str::to_ascii_lowercase)
}

fn quantity(object: &Value, field: &str) -> Result<u64, String> {
	let text = text(object, field)?;
	u64::from_str_radix(text.trim_start_matches("0x"), 16)
		.map_err(|error| format!("`{field}` {text} is not a quantity: {error}"))
}

/// A hex quantity (`0x1f`, up to 256 bits) as a decimal string.
pub fn decimal(quantity: &str) -> Result<String, String> {
	let digits = quantity.strip_prefix("0x").unwrap_or(quantity);
	let padded = if digits.len() % 2 == 1 { format!("0{digits}") } else { digits.to_owned() };
	let bytes =
		decode_hex(&padded).map_err(|error| format!("`{quantity}` is not a quantity: {error}"))?;
	if bytes.len() > 32 {
		return Err(format!("`{quantity}` is wider than 256 bits"));
	}
	Ok(decimal_of_bytes(&bytes))
}

/// A big-endian unsigned integer as a decimal string.
fn decimal_of_bytes(bytes: &[u8]) -> String {
	let mut number: Vec<u8> = bytes.iter().copied().skip_while(|byte| *byte == 0).collect();
	let mut digits = Vec::new();
	while !number.is_empty() {
		// Divide by 10, keeping the remainder as the next digit.
		let mut remainder = 0u32;
		for byte in number.iter_mut() {
			let value = (remainder << 8) | u32::from(*byte);
			*byte = (value / 10) as u8;
			remainder = value % 10;
		}
		digits.push(b'0' + remainder as u8);
		let leading = number.iter().take_while(|byte| **byte == 0).count();
		number.drain(..leading);
	}
	if digits.is_empty() {
		return "0".into();
	}
	digits.reverse();
	String::from_utf8(digits).unwrap_or_default()
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn quantities_read_as_exact_decimals() {
		assert_eq!(decimal("0x0").unwrap(), "0");
		assert_eq!(decimal("0x").unwrap(), "0");
		assert_eq!(decimal("0xde0b6b3a7640000").unwrap(), "1000000000000000000");
		assert_eq!(
			decimal(&format!("0x{}", "ff".repeat(32))).unwrap(),
			"115792089237316195423570985008687907853269984665640564039457584007913129639935"
		);
		assert!(decimal(&format!("0x{}", "ff".repeat(33))).is_err());
		assert!(decimal("0xzz").is_err());
	}

	#[test]
	fn an_erc20_transfer_log_decodes_and_others_do_not() {
		let pad = |address: &str| format!("0x{}{}", "0".repeat(24), &address[2..]);
		let (from, to) = (
			"0x1111111111111111111111111111111111111111",
			"0x2222222222222222222222222222222222222222",
		);
		let mut log = EthLog {
			block_number: 5,
			log_index: 2,
			transaction_hash: "0xaa".into(),
			address: "0x3333333333333333333333333333333333333333".into(),
			topics: vec![TRANSFER_TOPIC.into(), pad(from), pad(to)],
			data: format!("0x{:064x}", 1234u64),
		};
		let transfer = token_transfer(&log).unwrap();
		assert_eq!((transfer.sender.as_str(), transfer.recipient.as_str()), (from, to));
		assert_eq!(transfer.value, "1234");
		assert_eq!(transfer.token, log.address);
		// ERC-721: the token id is a fourth topic and there is no data.
		log.topics.push(format!("0x{:064x}", 1));
		log.data = "0x".into();
		assert_eq!(token_transfer(&log), None);
		// Another event.
		log.topics = vec![format!("0x{}", "12".repeat(32)), pad(from), pad(to)];
		log.data = format!("0x{:064x}", 1);
		assert_eq!(token_transfer(&log), None);
	}
}
