//! `zerog compute acknowledge|unacknowledge`: a user's consent that a service's enclave key
//! signs the receipts paid from its funds.
//!
//! A `Tee` service's receipts are signed by an enclave key that governance approved after
//! checking its attestation; they pay from a user's sub-account only once that user
//! acknowledged the key for that service on chain. The user names the key it checked (from
//! the provider's attestation, or `zerog compute services`), and the chain refuses any other.

use crate::{
	compute::{account_text, event, report, state, AcknowledgeArgs, ServiceTxArgs, Session},
	error::ClientError,
};
use subxt::dynamic;

/// `zerog compute acknowledge`.
pub async fn acknowledge(rpc_url: &str, args: AcknowledgeArgs) -> Result<(), ClientError> {
	let session = Session::open(rpc_url, &args.tx.signer.secret_uri()?).await?;
	let service = state::service(&session.chain, args.service).await?.ok_or_else(|| {
		ClientError::Input(format!(
			"no service #{} is registered (see `zerog compute services`)",
			args.service
		))
	})?;
	match service.tee_signer {
		None => {
			return Err(ClientError::Input(format!(
				"service #{}'s receipts are signed by its users; there is no enclave key to \
				 acknowledge",
				args.service
			)))
		},
		Some(signer) if signer != args.signer => {
			return Err(ClientError::Input(format!(
				"service #{}'s enclave key is {}, not {}; acknowledge only the key you checked",
				args.service,
				account_text(&signer),
				account_text(&args.signer)
			)))
		},
		Some(_) => {},
	}
	let call = dynamic::tx(state::PALLET, "acknowledge_signer", (args.service, args.signer));
	let included = session.submit("acknowledge_signer", &call).await?;
	let (user, service, signer, deposit): ([u8; 32], u64, [u8; 32], u128) =
		event(&included, "SignerAcknowledged")?;
	report(
		&included,
		args.tx.output.json,
		&format!(
			"the enclave key {} may now sign the receipts {} pays for service #{service} \
			 (deposit {} held until `zerog compute unacknowledge {service}`)",
			account_text(&signer),
			account_text(&user),
			crate::amount::format_zg(deposit)
		),
		serde_json::json!({
			"account": account_text(&user),
			"service": service,
			"signer": account_text(&signer),
			"deposit": deposit.to_string(),
		}),
	);
	Ok(())
}

/// `zerog compute unacknowledge`.
pub async fn unacknowledge(rpc_url: &str, args: ServiceTxArgs) -> Result<(), ClientError> {
	let session = Session::open(rpc_url, &args.tx.signer.secret_uri()?).await?;
	let call = dynamic::tx(state::PALLET, "remove_acknowledgement", (args.service,));
	let included = session.submit("remove_acknowledgement", &call).await?;
	let (user, service, released): ([u8; 32], u64, u128) =
		event(&included, "AcknowledgementRemoved")?;
	report(
		&included,
		args.tx.output.json,
		&format!(
			"receipts signed by service #{service}'s enclave no longer pay from {}'s funds; \
			 deposit {} released",
			account_text(&user),
			crate::amount::format_zg(released)
		),
		serde_json::json!({
			"account": account_text(&user),
			"service": service,
			"released": released.to_string(),
		}),
	);
	Ok(())
}
