//! `zerog compute chat`: one OpenAI chat request to an inference service, paid with a receipt
//! (`zerog_client::compute::chat`, which documents the protocol), printed for people or as JSON.

use crate::{
	account::format_account_bytes,
	amount::format_zg,
	compute::{ChatArgs, Session},
	error::ClientError,
	hexstr,
};
use codec::Encode;
use std::time::Duration;
use zerog_client::compute::chat::{chat as paid_chat, ChatRequest};

/// `zerog compute chat`.
pub async fn chat(rpc_url: &str, args: ChatArgs) -> Result<(), ClientError> {
	let session = Session::open(rpc_url, &args.tx.signer.secret_uri()?).await?;
	let request = ChatRequest {
		service: args.service,
		prompt: args.prompt,
		model: args.model,
		max_tokens: args.max_tokens,
		max_fee: args.max_fee,
		nonce: args.nonce,
		endpoint: args.endpoint,
		timeout: Duration::from_secs(args.timeout),
	};
	let outcome = paid_chat(&session.chain, &session.signer, &request).await?;
	let metered = &outcome.metered;
	if args.tx.output.json {
		println!(
			"{}",
			serde_json::json!({
				"answer": outcome.answer,
				"service": outcome.service.id,
				"provider": format_account_bytes(&outcome.service.provider),
				"model": outcome.model,
				"nonce": outcome.nonce,
				"fee": metered.fee.to_string(),
				"maxFee": outcome.max_fee.to_string(),
				"inputTokens": metered.input_tokens,
				"outputTokens": metered.output_tokens,
				"receipt": hexstr::encode(&metered.encode()),
				"countersigned": true,
			})
		);
	} else {
		println!("{}", outcome.answer);
		println!();
		println!(
			"fee {} for {} input and {} output tokens (receipt #{} countersigned; the provider \
			 settles it from your sub-account)",
			format_zg(metered.fee),
			metered.input_tokens,
			metered.output_tokens,
			outcome.nonce
		);
	}
	Ok(())
}
