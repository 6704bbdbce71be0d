//! The explorer's pages: plain HTML rendered on the server, no JavaScript (except the wallet
//! actions of a marketplace asset's page, [`market`]). Everything that comes from the chain
//! (names, arguments, event fields) is escaped: a remark or a token name is whatever its sender
//! wrote.

use std::fmt::Write;

use zerog_client::{account::format_account_bytes, amount::format_zg};
use zerog_primitives::hex::decode_array;

use crate::{
	server::{AccountView, BlockView, ExtrinsicView},
	store::{Activity, Block, Event, Extrinsic},
	validators::ValidatorSet,
};

pub mod domain;
pub mod market;

/// Text made safe inside HTML elements and attribute values.
pub fn escape(text: &str) -> String {
	let mut escaped = String::with_capacity(text.len());
	for character in text.chars() {
		match character {
			'&' => escaped.push_str("&amp;"),
			'<' => escaped.push_str("&lt;"),
			'>' => escaped.push_str("&gt;"),
			'"' => escaped.push_str("&quot;"),
			'\'' => escaped.push_str("&#39;"),
			_ => escaped.push(character),
		}
	}
	escaped
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:0;color:#1d2330}\
header{background:#1d2330;color:#fff;padding:.8rem 1.5rem;display:flex;gap:1.5rem;align-items:center}\
header a{color:#fff;text-decoration:none;font-weight:600}\
header form{flex:1;display:flex;gap:.4rem}header input{flex:1;padding:.4rem .6rem;border-radius:.3rem;border:0}\
main{padding:1rem 1.5rem;max-width:72rem}table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}\
td,th{text-align:left;padding:.3rem .6rem;border-bottom:1px solid #e3e5ea;vertical-align:top}\
th{color:#556;font-weight:600}code,pre{font-size:.85em;word-break:break-all;white-space:pre-wrap}\
.columns{display:grid;grid-template-columns:1fr 1fr;gap:2rem}\
.charts{display:flex;flex-wrap:wrap;gap:1.5rem}figure{margin:0}figcaption{font-weight:600;margin-bottom:.3rem}\
svg{background:#f4f6fa;border-radius:.3rem}.failed{color:#b3261e}.ok{color:#17692b}\
.filters{display:flex;flex-wrap:wrap;gap:.4rem;margin:.5rem 0 1rem}#wallet{background:#f4f6fa;padding:.6rem 1rem;border-radius:.3rem}";

/// A whole page around `body`.
fn layout(title: &str, body: &str) -> String {
	format!(
		"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" \
		 content=\"width=device-width, initial-scale=1\"><title>{} · ZeroG explorer</title>\
		 <style>{STYLE}</style></head><body><header><a href=\"/\">ZeroG explorer</a><a href=\"/validators\">Validators</a><a href=\"/market\">Market</a>\
		 <form action=\"/search\" method=\"get\"><input id=\"search\" name=\"q\" \
		 placeholder=\"Block, extrinsic or transaction hash, address, file or blob root\" \
		 aria-label=\"Search\"><button type=\"submit\">Search</button></form></header><main>{body}\
		 </main></body></html>",
		escape(title)
	)
}

/// A link to an account given as `0x` hex of its 32 bytes, shown as SS58.
fn account_link(hex: &str) -> String {
	match decode_array::<32>(hex) {
		Ok(bytes) => {
			// Shortened in tables (the whole address is the link and its tooltip).
			let ss58 = format_account_bytes(&bytes);
			let short = format!("{}…{}", &ss58[..8], &ss58[ss58.len() - 6..]);
			format!(
				"<a href=\"/account/{0}\" title=\"{0}\"><code>{1}</code></a>",
				escape(&ss58),
				escape(&short)
			)
		},
		Err(_) => format!("<code>{}</code>", escape(hex)),
	}
}

fn block_link(number: u64) -> String {
	format!("<a href=\"/block/{number}\">#{number}</a>")
}

fn extrinsic_link(extrinsic: &Extrinsic) -> String {
	format!(
		"<a href=\"/extrinsic/{0}-{1}\">{0}-{1}</a>",
		extrinsic.block_number, extrinsic.position
	)
}

fn status(success: bool) -> &'static str {
	if success {
		"<span class=\"ok\">success</span>"
	} else {
		"<span class=\"failed\">failed</span>"
	}
}

fn time(timestamp_ms: u64) -> String {
	let seconds = timestamp_ms / 1000;
	let (days, rest) = (seconds / 86_400, seconds % 86_400);
	// Days since 1970 to a civil date (Howard Hinnant's algorithm).
	let z = days as i64 + 719_468;
	let era = z.div_euclid(146_097);
	let doe = z - era * 146_097;
	let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
	let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	let mp = (5 * doy + 2) / 153;
	let day = doy - (153 * mp + 2) / 5 + 1;
	let month = if mp < 10 { mp + 3 } else { mp - 9 };
	let year = yoe + era * 400 + i64::from(month <= 2);
	format!(
		"{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC",
		rest / 3600,
		rest % 3600 / 60,
		rest % 60
	)
}

fn extrinsics_table(extrinsics: &[Extrinsic]) -> String {
	let mut html = String::from(
		"<table><tr><th>extrinsic</th><th>call</th><th>signer</th><th>result</th></tr>",
	);
	for extrinsic in extrinsics {
		let signer = extrinsic.signer.as_deref().map(account_link).unwrap_or_else(|| "—".into());
		let _ = write!(
			html,
			"<tr><td>{}</td><td>{}.{}</td><td>{signer}</td><td>{}</td></tr>",
			extrinsic_link(extrinsic),
			escape(&extrinsic.pallet),
			escape(&extrinsic.call),
			status(extrinsic.success)
		);
	}
	html.push_str("</table>");
	html
}

fn events_table(events: &[Event]) -> String {
	let mut html = String::from(
		"<table><tr><th>event</th><th>name</th><th>extrinsic</th><th>fields</th></tr>",
	);
	for event in events {
		let extrinsic = match event.extrinsic {
			Some(index) => {
				format!("<a href=\"/extrinsic/{0}-{index}\">{0}-{index}</a>", event.block_number)
			},
			None => "—".into(),
		};
		let _ = write!(
			html,
			"<tr><td><a href=\"/event/{0}-{1}\">{0}-{1}</a></td><td>{2}.{3}</td><td>{extrinsic}</td>\
			 <td><pre>{4}</pre></td></tr>",
			event.block_number,
			event.position,
			escape(&event.pallet),
			escape(&event.name),
			escape(&event.fields.to_string())
		);
	}
	html.push_str("</table>");
	html
}

/// A bar chart as inline SVG (no script): one bar per range of blocks, its value in the bar's
/// tooltip.
fn bar_chart(
	id: &str,
	title: &str,
	unit: &str,
	activity: &[Activity],
	value: fn(&Activity) -> u64,
) -> String {
	let (width, height) = (480u64, 120u64);
	let most = activity.iter().map(value).max().unwrap_or(0).max(1);
	let total: u64 = activity.iter().map(value).sum();
	let bar = width / (activity.len() as u64).max(1);
	let mut svg = format!(
		"<figure><figcaption>{} <small>({total} {unit} in blocks {}–{})</small></figcaption>\
		 <svg id=\"{id}\" role=\"img\" aria-label=\"{}\" viewBox=\"0 0 {width} {height}\" \
		 width=\"{width}\" height=\"{height}\">",
		escape(title),
		activity.first().map_or(0, |range| range.first_block),
		activity.last().map_or(0, |range| range.first_block),
		escape(title)
	);
	for (index, range) in activity.iter().enumerate() {
		let bar_height = value(range) * (height - 4) / most;
		let _ = write!(
			svg,
			"<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{bar_height}\" fill=\"#3a6ff7\">\
			 <title>from block {}: {} {unit}</title></rect>",
			index as u64 * bar,
			height - bar_height,
			bar.saturating_sub(1).max(1),
			range.first_block,
			value(range)
		);
	}
	svg.push_str("</svg></figure>");
	svg
}

/// The home page: activity charts, the latest blocks and signed extrinsics.
pub fn home(blocks: &[Block], extrinsics: &[Extrinsic], activity: &[Activity]) -> String {
	let mut html = match blocks.first() {
		Some(head) => format!(
			"<p id=\"head\">Finalized head {}, {}. Only finalized blocks are shown.</p>",
			block_link(head.number),
			time(head.timestamp_ms)
		),
		None => "<p id=\"head\">Nothing indexed yet.</p>".into(),
	};
	html.push_str("<section class=\"charts\">");
	html.push_str(&bar_chart(
		"chart-transactions",
		"Transactions",
		"transactions",
		activity,
		|range| range.transactions,
	));
	html.push_str(&bar_chart("chart-storage", "Storage submitted", "bytes", activity, |range| {
		range.storage_bytes
	}));
	html.push_str(&bar_chart("chart-da", "DA blobs submitted", "bytes", activity, |range| {
		range.da_bytes
	}));
	html.push_str("</section><div class=\"columns\"><section><h2>Latest finalized blocks</h2>");
	html.push_str("<table id=\"blocks\"><tr><th>block</th><th>time</th><th>extrinsics</th><th>events</th></tr>");
	for block in blocks {
		let _ = write!(
			html,
			"<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
			block_link(block.number),
			time(block.timestamp_ms),
			block.extrinsic_count,
			block.event_count
		);
	}
	html.push_str("</table></section><section><h2>Latest transactions</h2>");
	html.push_str(&extrinsics_table(extrinsics));
	html.push_str("</section></div>");
	layout("Home", &html)
}

/// A block's page.
pub fn block(view: &BlockView) -> String {
	let block = &view.block;
	let parent = block.number.checked_sub(1).map(block_link).unwrap_or_else(|| "—".into());
	let html = format!(
		"<h1>Block #{}</h1><table id=\"block\"><tr><th>hash</th><td><code>{}</code></td></tr>\
		 <tr><th>parent</th><td>{parent} <code>{}</code></td></tr><tr><th>time</th><td>{}</td></tr>\
		 <tr><th>runtime</th><td>spec version {}</td></tr><tr><th>status</th><td>finalized</td></tr>\
		 </table><h2>Extrinsics</h2>{}<h2>Ethereum transactions</h2>{}<h2>Events</h2>{}",
		block.number,
		escape(&block.hash),
		escape(&block.parent_hash),
		time(block.timestamp_ms),
		block.spec_version,
		extrinsics_table(&view.extrinsics),
		domain::eth_transactions_table(&view.eth_transactions),
		events_table(&view.events)
	);
	layout(&format!("Block #{}", block.number), &html)
}

/// An extrinsic's page.
pub fn extrinsic(view: &ExtrinsicView) -> String {
	let extrinsic = &view.extrinsic;
	let signer =
		extrinsic.signer.as_deref().map(account_link).unwrap_or_else(|| "— (inherent)".into());
	let arguments = serde_json::to_string_pretty(&extrinsic.args).unwrap_or_default();
	let html = format!(
		"<h1>Extrinsic {}-{}</h1><table id=\"extrinsic\"><tr><th>hash</th><td><code>{}</code></td></tr>\
		 <tr><th>block</th><td>{}</td></tr><tr><th>call</th><td>{}.{}</td></tr>\
		 <tr><th>signer</th><td>{signer}</td></tr><tr><th>result</th><td>{}</td></tr>\
		 <tr><th>arguments</th><td><pre>{}</pre></td></tr></table><h2>Events</h2>{}",
		extrinsic.block_number,
		extrinsic.position,
		escape(&extrinsic.hash),
		block_link(extrinsic.block_number),
		escape(&extrinsic.pallet),
		escape(&extrinsic.call),
		status(extrinsic.success),
		escape(&arguments),
		events_table(&view.events)
	);
	layout(&format!("Extrinsic {}-{}", extrinsic.block_number, extrinsic.position), &html)
}

/// An account's storage-provider and DA-signer records, if it has any.
fn roles_table(roles: Option<&serde_json::Value>) -> String {
	let mut html = String::new();
	for (role, title) in [("storage_provider", "Storage provider"), ("da_signer", "DA signer")] {
		let Some(record) =
			roles.and_then(|roles| roles.get(role)).filter(|record| !record.is_null())
		else {
			continue;
		};
		let _ = write!(html, "<h3>{title}</h3><table id=\"{role}\">");
		for (key, value) in record.as_object().into_iter().flatten() {
			let text = match value {
				serde_json::Value::String(text) => text.clone(),
				other => other.to_string(),
			};
			let _ = write!(
				html,
				"<tr><th>{}</th><td><code>{}</code></td></tr>",
				escape(&key.replace('_', " ")),
				escape(&text)
			);
		}
		html.push_str("</table>");
	}
	html
}

/// An account's page.
pub fn account(view: &AccountView) -> String {
	let balance =
		view.balance.map(format_zg).unwrap_or_else(|| "unknown (node unreachable)".into());
	let evm = view
		.evm_address
		.as_deref()
		.map(|address| {
			format!("<tr><th>Ethereum address</th><td><code>{}</code></td></tr>", escape(address))
		})
		.unwrap_or_default();
	let mut transfers = String::from(
		"<table id=\"transfers\"><tr><th>block</th><th>from</th><th>to</th><th>amount</th></tr>",
	);
	for transfer in &view.transfers {
		let amount =
			transfer.amount.parse().map(format_zg).unwrap_or_else(|_| transfer.amount.clone());
		let _ = write!(
			transfers,
			"<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
			block_link(transfer.block_number),
			account_link(&transfer.sender),
			account_link(&transfer.recipient),
			escape(&amount)
		);
	}
	transfers.push_str("</table>");
	let html = format!(
		"<h1>Account</h1><table id=\"account\"><tr><th>SS58</th><td><code id=\"ss58\">{}</code></td></tr>\
		 <tr><th>hex</th><td><code id=\"hex\">{}</code></td></tr>{evm}\
		 <tr><th>free balance</th><td id=\"balance\">{}</td></tr></table>\
		 <h2>Transfers</h2>{transfers}<h2>Signed extrinsics</h2>{}\
		 <h2>Storage, DA and compute</h2>{}{}<h2>Ethereum transactions</h2>{}\
		 <h2>ERC-20 transfers</h2>{}",
		escape(&view.ss58),
		escape(&view.account),
		escape(&balance),
		extrinsics_table(&view.extrinsics),
		roles_table(view.roles.as_ref()),
		events_table(&view.activity),
		domain::eth_transactions_table(&view.eth_transactions),
		domain::token_transfers_table(&view.token_transfers)
	);
	layout("Account", &html)
}

/// An event's page.
pub fn event(event: &Event) -> String {
	let extrinsic = match event.extrinsic {
		Some(index) => {
			format!("<a href=\"/extrinsic/{0}-{index}\">{0}-{index}</a>", event.block_number)
		},
		None => "— (block initialisation or finalisation)".into(),
	};
	let fields = serde_json::to_string_pretty(&event.fields).unwrap_or_default();
	let html = format!(
		"<h1>Event {0}-{1}</h1><table id=\"event\"><tr><th>event</th><td>{2}.{3}</td></tr>\
		 <tr><th>block</th><td>{4}</td></tr><tr><th>extrinsic</th><td>{extrinsic}</td></tr>\
		 <tr><th>fields</th><td><pre>{5}</pre></td></tr></table>",
		event.block_number,
		event.position,
		escape(&event.pallet),
		escape(&event.name),
		block_link(event.block_number),
		escape(&fields)
	);
	layout(&format!("Event {}-{}", event.block_number, event.position), &html)
}

/// The validator set's page.
pub fn validators(set: &ValidatorSet) -> String {
	let mut html = format!(
		"<h1>Validators</h1><p>Session {}, read at block {} (the node's best block).</p>\
		 <table id=\"validators\"><tr><th>account</th><th>role</th><th>bond</th><th>in this \
		 session</th><th>last authored</th></tr>",
		set.session, set.at_block
	);
	for validator in &set.validators {
		let bond = match &validator.bond {
			Some(bond) => bond.parse().map(format_zg).unwrap_or_else(|_| bond.clone()),
			None => "—".into(),
		};
		let _ = write!(
			html,
			"<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
			account_link(&validator.account),
			validator.role,
			escape(&bond),
			if validator.active { "yes" } else { "waiting" },
			validator.last_authored.map(block_link).unwrap_or_else(|| "—".into())
		);
	}
	html.push_str("</table>");
	layout("Validators", &html)
}

/// An error page.
pub fn error(status: u16, message: &str) -> String {
	layout("Not found", &format!("<h1>{status}</h1><p id=\"error\">{}</p>", escape(message)))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn chain_text_cannot_inject_markup() {
		assert_eq!(
			escape("<script>alert('x')</script> & \"q\""),
			"&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
		);
		let page = error(404, "<img src=x onerror=alert(1)>");
		assert!(page.contains("&lt;img src=x onerror=alert(1)&gt;") && !page.contains("<img"));
	}

	#[test]
	fn block_times_read_as_utc_dates() {
		assert_eq!(time(0), "1970-01-01 00:00:00 UTC");
		assert_eq!(time(1_796_601_600_000), "2026-12-07 00:00:00 UTC");
		assert_eq!(time(951_782_400_000 + 3_661_000), "2000-02-29 01:01:01 UTC");
	}
}
