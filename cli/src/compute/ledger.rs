//! `zerog compute deposit|withdraw|fund|refund|account`: the user's marketplace funds.

use crate::{
	amount::format_zg,
	chain::{keypair_from_suri, Chain},
	compute::{
		account_text, event, report, state, AccountArgs, AmountArgs, FundArgs, RefundRequestArgs,
		Session, TxArgs,
	},
	error::ClientError,
};
use subxt::dynamic;

/// `zerog compute deposit`.
pub async fn deposit(rpc_url: &str, args: AmountArgs) -> Result<(), ClientError> {
	let session = Session::open(rpc_url, &args.tx.signer.secret_uri()?).await?;
	let call = dynamic::tx(state::PALLET, "deposit", (args.amount,));
	let included = session.submit("deposit", &call).await?;
	let (user, amount): ([u8; 32], u128) = event(&included, "Deposited")?;
	report(
		&included,
		args.tx.output.json,
		&format!("deposited {} for {}", format_zg(amount), account_text(&user)),
		serde_json::json!({ "account": account_text(&user), "amount": amount.to_string() }),
	);
	Ok(())
}

/// `zerog compute withdraw`.
pub async fn withdraw(rpc_url: &str, args: AmountArgs) -> Result<(), ClientError> {
	let session = Session::open(rpc_url, &args.tx.signer.secret_uri()?).await?;
	let call = dynamic::tx(state::PALLET, "withdraw", (args.amount,));
	let included = session.submit("withdraw", &call).await?;
	let (user, amount): ([u8; 32], u128) = event(&included, "Withdrawn")?;
	report(
		&included,
		args.tx.output.json,
		&format!("withdrew {} to {}", format_zg(amount), account_text(&user)),
		serde_json::json!({ "account": account_text(&user), "amount": amount.to_string() }),
	);
	Ok(())
}

/// `zerog compute fund`.
pub async fn fund(rpc_url: &str, args: FundArgs) -> Result<(), ClientError> {
	let session = Session::open(rpc_url, &args.tx.signer.secret_uri()?).await?;
	let call = dynamic::tx(state::PALLET, "fund_provider", (args.provider, args.amount));
	let included = session.submit("fund_provider", &call).await?;
	let (user, provider, amount): ([u8; 32], [u8; 32], u128) = event(&included, "ProviderFunded")?;
	report(
		&included,
		args.tx.output.json,
		&format!(
			"moved {} into the sub-account of {} for {}",
			format_zg(amount),
			account_text(&user),
			account_text(&provider)
		),
		serde_json::json!({
			"account": account_text(&user),
			"provider": account_text(&provider),
			"amount": amount.to_string(),
		}),
	);
	Ok(())
}

/// `zerog compute refund request`.
pub async fn request_refund(rpc_url: &str, args: RefundRequestArgs) -> Result<(), ClientError> {
	let session = Session::open(rpc_url, &args.tx.signer.secret_uri()?).await?;
	let call = dynamic::tx(state::PALLET, "request_refund", (args.provider, args.amount));
	let included = session.submit("request_refund", &call).await?;
	let (_user, provider, amount, unlocks_at): ([u8; 32], [u8; 32], u128, u32) =
		event(&included, "RefundRequested")?;
	report(
		&included,
		args.tx.output.json,
		&format!(
			"refund of {} from the sub-account for {} unlocks at block #{unlocks_at}; claim it \
			 then with `zerog compute refund claim`",
			format_zg(amount),
			account_text(&provider)
		),
		serde_json::json!({
			"provider": account_text(&provider),
			"amount": amount.to_string(),
			"unlocksAt": unlocks_at,
		}),
	);
	Ok(())
}

/// `zerog compute refund claim`.
pub async fn claim_refund(rpc_url: &str, args: TxArgs) -> Result<(), ClientError> {
	let session = Session::open(rpc_url, &args.signer.secret_uri()?).await?;
	let call = dynamic::tx(state::PALLET, "claim_refund", ());
	let included = session.submit("claim_refund", &call).await?;
	let (user, amount): ([u8; 32], u128) = event(&included, "RefundClaimed")?;
	report(
		&included,
		args.output.json,
		&format!("{} of unlocked refunds returned to the available funds", format_zg(amount)),
		serde_json::json!({ "account": account_text(&user), "amount": amount.to_string() }),
	);
	Ok(())
}

/// `zerog compute account`: ledger and sub-accounts, at the best block.
pub async fn show(rpc_url: &str, args: AccountArgs) -> Result<(), ClientError> {
	let account = match args.account {
		Some(account) => account,
		None => keypair_from_suri(&args.signer.secret_uri()?)?.public_key().0,
	};
	let chain = Chain::connect(rpc_url).await?;
	let ledger = state::ledger(&chain, account).await?;
	let mut sub_accounts = Vec::with_capacity(args.providers.len());
	for provider in &args.providers {
		sub_accounts.push((*provider, state::sub_account(&chain, account, *provider).await?));
	}
	if args.output.json {
		let refunds: Vec<serde_json::Value> = ledger
			.pending_refunds
			.iter()
			.map(|refund| {
				serde_json::json!({
					"provider": account_text(&refund.provider),
					"amount": refund.amount.to_string(),
					"unlocksAt": refund.unlocks_at,
				})
			})
			.collect();
		let subs: Vec<serde_json::Value> = sub_accounts
			.iter()
			.map(|(provider, sub)| {
				serde_json::json!({
					"provider": account_text(provider),
					"balance": sub.balance.to_string(),
					"lastNonce": sub.last_nonce,
				})
			})
			.collect();
		println!(
			"{}",
			serde_json::json!({
				"account": account_text(&account),
				"available": ledger.available.to_string(),
				"pendingRefunds": refunds,
				"subAccounts": subs,
			})
		);
		return Ok(());
	}
	println!("account    {}", account_text(&account));
	println!("available  {}", format_zg(ledger.available));
	for refund in &ledger.pending_refunds {
		println!(
			"refund     {} from {}, unlocks at block #{}",
			format_zg(refund.amount),
			account_text(&refund.provider),
			refund.unlocks_at
		);
	}
	for (provider, sub) in &sub_accounts {
		println!(
			"provider   {}: {} (last settled nonce {})",
			account_text(provider),
			format_zg(sub.balance),
			sub.last_nonce
		);
	}
	Ok(())
}
