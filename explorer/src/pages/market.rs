//! The marketplace's pages: a filterable list of models and datasets, and an asset's page with
//! its card, terms and the wallet actions (the one page with a script: buying needs a wallet;
//! everything it shows renders without it).

use std::fmt::Write;

use zerog_client::{
	amount::format_zg,
	marketplace::on_chain::{AccessPolicy, AssetKind, AssetView},
};
use zerog_primitives::hex::to_prefixed_hex;

use super::{account_link, block_link, escape, layout};
use crate::market::{AssetQuery, Listing, WalletCalls, MAX_SCANNED};

fn text(bytes: &[u8]) -> String {
	escape(&String::from_utf8_lossy(bytes))
}

/// What an asset costs, for people.
fn terms(asset: &AssetView) -> String {
	match asset.policy {
		AccessPolicy::Public => "free, no grant needed".to_owned(),
		AccessPolicy::Gated => "free, the owner approves each request".to_owned(),
		AccessPolicy::Paid => {
			format!("{} per {} blocks", escape(&format_zg(asset.price)), asset.access_period)
		},
	}
}

/// A `<select>` of `options` (`(value, label)`), `current` selected.
fn select(name: &str, label: &str, options: &[(&str, &str)], current: Option<&str>) -> String {
	let mut html = format!("<select name=\"{name}\" aria-label=\"{label}\">");
	for (value, text) in options {
		let selected =
			if current.unwrap_or_default().eq_ignore_ascii_case(value) { " selected" } else { "" };
		let _ = write!(html, "<option value=\"{value}\"{selected}>{text}</option>");
	}
	html.push_str("</select>");
	html
}

fn input(name: &str, placeholder: &str, value: &Option<String>) -> String {
	format!(
		"<input name=\"{name}\" placeholder=\"{placeholder}\" aria-label=\"{placeholder}\" \
		 value=\"{}\">",
		escape(value.as_deref().unwrap_or_default())
	)
}

/// `/market`: the filter form and the assets that pass it.
pub fn listing(query: &AssetQuery, listing: &Listing) -> String {
	let mut html = String::from(
		"<h1>Marketplace</h1><p>Models and datasets registered on chain, newest first, as the \
		 chain holds them now.</p><form id=\"filter\" action=\"/market\" method=\"get\" \
		 class=\"filters\">",
	);
	html.push_str(&input("q", "Search names", &query.q));
	html.push_str(&select(
		"kind",
		"Kind",
		&[("", "Any kind"), ("model", "Models"), ("dataset", "Datasets")],
		query.kind.as_deref(),
	));
	html.push_str(&input("license", "License (SPDX)", &query.license));
	html.push_str(&select(
		"policy",
		"Access",
		&[("", "Any access"), ("public", "Public"), ("gated", "Gated"), ("paid", "Paid")],
		query.policy.as_deref(),
	));
	html.push_str(&input("max_price", "Most price, e.g. 2ZG", &query.max_price));
	html.push_str("<button type=\"submit\">Filter</button></form>");
	if listing.assets.is_empty() {
		html.push_str("<p id=\"no-assets\">No asset matches.</p>");
	} else {
		html.push_str(
			"<table id=\"assets\"><tr><th>Asset</th><th>Name</th><th>Version</th><th>Kind</th>\
			 <th>License</th><th>Access</th><th>Size</th><th>Owner</th></tr>",
		);
		for asset in &listing.assets {
			let _ = write!(
				html,
				"<tr data-asset=\"{id}\"><td><a href=\"/market/{id}\">#{id}</a></td><td><a \
				 href=\"/market/{id}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>\
				 <td>{} bytes</td><td>{}</td></tr>",
				text(&asset.name),
				text(&asset.version),
				asset.kind.label(),
				text(&asset.license),
				terms(asset),
				asset.size,
				account_link(&to_prefixed_hex(&asset.owner)),
				id = asset.id,
			);
		}
		html.push_str("</table>");
	}
	if listing.truncated {
		let _ = write!(
			html,
			"<p>Only the newest {MAX_SCANNED} assets are searched; older ones are on \
			 <code>/api/market/assets/{{id}}</code>.</p>"
		);
	}
	layout("Marketplace", &html)
}

/// `/market/{id}`: an asset's card, terms and file, and its wallet actions.
pub fn asset(asset: &AssetView, calls: &WalletCalls) -> String {
	let id = asset.id;
	let title = format!(
		"{} {}",
		String::from_utf8_lossy(&asset.name),
		String::from_utf8_lossy(&asset.version)
	);
	let root = to_prefixed_hex(asset.root.as_bytes());
	let card = match asset.card {
		Some(card) => {
			let card = to_prefixed_hex(card.as_bytes());
			format!("<a href=\"/search?q={card}\"><code>{card}</code></a>")
		},
		None => "none".to_owned(),
	};
	let rows = [
		("kind", "Kind", asset.kind.label().to_owned()),
		("license", "License", text(&asset.license)),
		("owner", "Owner", account_link(&to_prefixed_hex(&asset.owner))),
		("policy", "Access", asset.policy.label().to_owned()),
		("terms", "Terms", terms(asset)),
		(
			"encrypted",
			"Encrypted",
			if asset.encrypted { "yes: a key is sealed to each grantee" } else { "no" }.to_owned(),
		),
		("root", "File", format!("<a href=\"/search?q={root}\"><code>{root}</code></a>")),
		("size", "Size", format!("{} bytes", asset.size)),
		("card", "Card", card),
		("grants", "Open grants and requests", asset.open_grants.to_string()),
		("deployments", "Services deploying it", asset.deployments.to_string()),
		("registered", "Registered in", block_link(u64::from(asset.registered_at))),
	];
	let mut html = format!("<h1>{}</h1><table id=\"asset\">", escape(&title));
	for (field, label, value) in rows {
		let _ = write!(html, "<tr><th>{label}</th><td data-field=\"{field}\">{value}</td></tr>");
	}
	html.push_str("</table><h2>Get access</h2>");
	let action = match asset.policy {
		AccessPolicy::Public => {
			"<p>Public: anyone may download it, no grant needed.</p>".to_owned()
		},
		AccessPolicy::Gated => "<button id=\"request\" disabled>Request access</button>".to_owned(),
		AccessPolicy::Paid => format!(
			"<button id=\"buy\" disabled>Buy access for {}</button>",
			escape(&format_zg(asset.price))
		),
	};
	let register = if asset.encrypted {
		"<p id=\"key-needed\" hidden>Content keys are sealed to an encryption key your account \
		 registers. <button id=\"register-key\">Register an encryption key</button> (your wallet \
		 signs a message; the key is derived from the signature).</p>"
	} else {
		""
	};
	// A model is served by a compute service its provider links to it: the wallet must be the
	// service's provider and hold download access (or own the model, or the model be public).
	let deploy = if asset.kind == AssetKind::Model {
		"<h3>Deploy</h3><p id=\"deploy-box\">Serve this model on your compute service: \
		 <label>Service <input id=\"deploy-service\" type=\"number\" min=\"0\" step=\"1\" \
		 inputmode=\"numeric\"></label> <button id=\"deploy\" disabled>Deploy</button> (the \
		 wallet must be the service's provider, with download access unless the model is \
		 public).</p>"
	} else {
		""
	};
	let _ = write!(
		html,
		"<section id=\"wallet\" data-asset=\"{id}\" data-price=\"{price}\" data-encrypted=\"{encrypted}\" \
		 data-precompile=\"{precompile}\" data-buy=\"{buy}\" data-request=\"{request}\" \
		 data-register-key=\"{register_key}\" data-deploy=\"{deploy_call}\" \
		 data-download=\"{download}\" data-compute=\"{compute}\">\
		 <p id=\"wallet-status\">Connect an Ethereum wallet (MetaMask or another EIP-1193 wallet) \
		 to buy or request access; it signs a call to the IZeroGMarketplace precompile.</p>\
		 <p><button id=\"connect\">Connect wallet</button> <label>Scope {scope}</label> {action}</p>\
		 {register}<div id=\"grant\"></div>{deploy}\
		 <noscript><p>Buying needs JavaScript and a wallet. Without them: <code>zerog market buy \
		 {id}</code> or <code>zerog market request {id}</code>.</p></noscript></section>\
		 <p>From a terminal: <code>zerog market show {id}</code>; with a grant, <code>zerog \
		 market download {id} -o FILE</code>.</p><script src=\"/market/wallet.js\" defer></script>",
		price = asset.price,
		encrypted = asset.encrypted,
		precompile = calls.precompile,
		buy = calls.buy_access,
		request = calls.request_access,
		register_key = calls.register_key,
		deploy_call = calls.deploy,
		download = calls.download,
		compute = calls.compute,
		scope = select(
			"scope",
			"Scope",
			&[("download", "Download"), ("compute", "Compute only")],
			None
		),
	);
	layout(&title, &html)
}
