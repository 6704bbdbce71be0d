//! Pages of files, blobs, jobs, services, Ethereum transactions and contracts.

use std::fmt::Write;

use serde_json::Value;
use zerog_client::amount::format_zg;

use super::{account_link, block_link, escape, events_table, layout};
use crate::{
	evm::{EthTransaction, TokenTransfer},
	server::domain::{ContractView, EthTransactionView, SubjectView},
	subjects::SubjectKind,
};

/// Fields whose values are accounts, amounts, block numbers or other subjects.
const ACCOUNTS: [&str; 5] = ["owner", "submitter", "provider", "user", "signer"];
const AMOUNTS: [&str; 17] = [
	"fee",
	"fees_paid",
	"fee_paid",
	"fee_used",
	"max_fee",
	"min_fee",
	"rewards_paid",
	"stake_slashed",
	"unearned",
	"refunded",
	"withheld",
	"attested_stake",
	"bond",
	"slashed",
	"stake",
	"receipts_paid",
	"input_price",
];
const BLOCKS: [&str; 5] =
	["submitted_in", "certified_in", "created_in", "result_in", "registered_in"];

/// One value of a summary, as HTML: accounts linked, amounts in ZG, blocks and services linked.
fn cell(key: &str, value: &Value) -> String {
	let text = match value {
		Value::String(text) => text.clone(),
		other => other.to_string(),
	};
	if ACCOUNTS.contains(&key) {
		return account_link(&text);
	}
	if AMOUNTS.contains(&key) || key == "output_price" {
		if let Ok(amount) = text.parse::<u128>() {
			return format!("{} <small>({})</small>", escape(&format_zg(amount)), escape(&text));
		}
	}
	if let (true, Some(number)) = (BLOCKS.contains(&key), value.as_u64()) {
		return block_link(number);
	}
	if let (true, Some(id)) = (key == "service", value.as_u64()) {
		return format!("<a href=\"/service/{id}\">service {id}</a>");
	}
	if key == "providers" {
		let providers: Vec<String> = value
			.as_array()
			.into_iter()
			.flatten()
			.map(|provider| {
				let account = provider.get("account").and_then(Value::as_str).unwrap_or_default();
				let acknowledged =
					provider.get("acknowledged").and_then(Value::as_bool) == Some(true);
				format!(
					"{} {}",
					account_link(account),
					if acknowledged { "holds it" } else { "assigned, fetching" }
				)
			})
			.collect();
		return if providers.is_empty() { "none".into() } else { providers.join("<br>") };
	}
	format!("<code>{}</code>", escape(&text))
}

fn fields_table(id: &str, fields: &Value) -> String {
	let mut html = format!("<table id=\"{id}\">");
	for (key, value) in fields.as_object().into_iter().flatten() {
		let _ = write!(
			html,
			"<tr><th>{}</th><td data-field=\"{}\">{}</td></tr>",
			escape(&key.replace('_', " ")),
			escape(key),
			cell(key, value)
		);
	}
	html.push_str("</table>");
	html
}

/// A file's, a blob's, a job's or a service's page.
pub fn subject(view: &SubjectView) -> String {
	let title = match view.kind {
		SubjectKind::File => format!("File {}", view.id),
		SubjectKind::Blob => format!("Blob {}", view.id),
		SubjectKind::Job => format!("Job {}", view.id),
		SubjectKind::Service => format!("Service {}", view.id),
		SubjectKind::Root | SubjectKind::Account => view.id.to_string(),
	};
	let mut html = format!(
		"<h1>{}</h1><p>From the finalized blocks indexed so far.</p>{}",
		escape(&title),
		fields_table("summary", &view.summary)
	);
	if let Some(live) = &view.live {
		let _ = write!(html, "<h2>On chain now</h2>{}", fields_table("now", live));
	}
	let _ = write!(html, "<h2>History</h2>{}", events_table(&view.events));
	layout(&title, &html)
}

fn address(address: &str) -> String {
	format!("<a href=\"/account/{0}\"><code>{0}</code></a>", escape(address))
}

/// A table of Ethereum transactions.
pub fn eth_transactions_table(transactions: &[EthTransaction]) -> String {
	let mut html = String::from(
		"<table class=\"eth\"><tr><th>transaction</th><th>from</th><th>to</th><th>value (wei)</th>\
		 <th>result</th></tr>",
	);
	for transaction in transactions {
		let to = match (&transaction.recipient, &transaction.contract_created) {
			(Some(to), _) => address(to),
			(None, Some(created)) => {
				format!("created <a href=\"/contract/{0}\"><code>{0}</code></a>", escape(created))
			},
			(None, None) => "—".into(),
		};
		let _ = write!(
			html,
			"<tr><td><a href=\"/tx/{0}\"><code>{0}</code></a></td><td>{1}</td><td>{to}</td>\
			 <td>{2}</td><td>{3}</td></tr>",
			escape(&transaction.hash),
			address(&transaction.sender),
			escape(&transaction.value),
			super::status(transaction.success)
		);
	}
	html.push_str("</table>");
	html
}

/// A table of ERC-20 transfers.
pub fn token_transfers_table(transfers: &[TokenTransfer]) -> String {
	let mut html = String::from(
		"<table class=\"tokens\"><tr><th>block</th><th>token</th><th>from</th><th>to</th>\
		 <th>value</th></tr>",
	);
	for transfer in transfers {
		let _ = write!(
			html,
			"<tr><td>{block}</td><td><a href=\"/contract/{token}\"><code>{token}</code></a></td>\
			 <td>{from}</td><td>{to}</td><td>{value}</td></tr>",
			block = block_link(transfer.block_number),
			token = escape(&transfer.token),
			from = address(&transfer.sender),
			to = address(&transfer.recipient),
			value = escape(&transfer.value)
		);
	}
	html.push_str("</table>");
	html
}

/// An Ethereum transaction's page.
pub fn eth_transaction(view: &EthTransactionView) -> String {
	let transaction = &view.transaction;
	let mut logs = String::from(
		"<table id=\"logs\"><tr><th>log</th><th>contract</th><th>topics</th><th>data</th></tr>",
	);
	for log in &view.logs {
		let _ = write!(
			logs,
			"<tr><td>{}</td><td>{}</td><td><pre>{}</pre></td><td><pre>{}</pre></td></tr>",
			log.log_index,
			address(&log.address),
			escape(&log.topics.join("\n")),
			escape(&log.data)
		);
	}
	logs.push_str("</table>");
	let html = format!(
		"<h1>Ethereum transaction</h1><p><code>{}</code></p>{}<p>In block {}.</p>\
		 <h2>Token transfers</h2>{}<h2>Logs</h2>{logs}",
		escape(&transaction.hash),
		fields_table("transaction", &serde_json::to_value(transaction).unwrap_or_default()),
		block_link(transaction.block_number),
		token_transfers_table(&view.token_transfers)
	);
	layout("Ethereum transaction", &html)
}

/// A contract's page.
pub fn contract(view: &ContractView) -> String {
	let contract = &view.contract;
	let html = format!(
		"<h1>Contract</h1><table id=\"contract\"><tr><th>address</th><td><code>{}</code></td></tr>\
		 <tr><th>creator</th><td>{}</td></tr><tr><th>created by</th><td><a href=\"/tx/{2}\">\
		 <code>{2}</code></a> in {3}</td></tr><tr><th>code hash</th><td><code>{4}</code></td></tr>\
		 </table><h2>ERC-20 transfers</h2>{5}",
		escape(&contract.address),
		address(&contract.creator),
		escape(&contract.transaction_hash),
		block_link(contract.block_number),
		escape(&contract.code_hash),
		token_transfers_table(&view.token_transfers)
	);
	layout("Contract", &html)
}
