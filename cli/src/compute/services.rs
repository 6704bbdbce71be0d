//! `zerog compute services` and `zerog compute register`.

use crate::{
	amount::format_zg,
	chain::Chain,
	compute::{
		account_text, event, report,
		state::{self, ServiceView},
		KindArg, RegisterArgs, Session,
	},
	error::ClientError,
};
use subxt::dynamic::{self, Value};

/// `zerog compute services`: every registered service.
pub async fn list(rpc_url: &str, json: bool) -> Result<(), ClientError> {
	let chain = Chain::connect(rpc_url).await?;
	let services = state::services(&chain).await?;
	if json {
		let list: Vec<serde_json::Value> = services.iter().map(service_json).collect();
		println!("{}", serde_json::json!({ "services": list }));
		return Ok(());
	}
	if services.is_empty() {
		println!("no services are registered");
	}
	for service in &services {
		println!("service #{} ({})", service.id, service.kind.name().to_lowercase());
		println!("  provider  {}", account_text(&service.provider));
		println!("  model     {}", service.model);
		println!("  endpoint  {}", service.endpoint);
		println!(
			"  prices    {} per input token, {} per output token",
			format_zg(service.input_price),
			format_zg(service.output_price)
		);
		println!("  stake     {}", format_zg(service.stake));
		if let Some(signer) = &service.tee_signer {
			println!("  receipts  signed by the enclave key {}", account_text(signer));
		}
		println!("  open jobs {}", service.open_jobs);
	}
	Ok(())
}

/// A service as JSON: amounts as decimal strings in the smallest unit.
pub fn service_json(service: &ServiceView) -> serde_json::Value {
	serde_json::json!({
		"id": service.id,
		"provider": account_text(&service.provider),
		"kind": service.kind.name(),
		"model": service.model,
		"endpoint": service.endpoint,
		"inputPrice": service.input_price.to_string(),
		"outputPrice": service.output_price.to_string(),
		"stake": service.stake.to_string(),
		"teeSigner": service.tee_signer.as_ref().map(account_text),
		"openJobs": service.open_jobs,
	})
}

/// `zerog compute register`: `ComputeEscrow.register_service`, receipts signed by users or,
/// with `--enclave-signer`, also by an approved enclave key.
pub async fn register(rpc_url: &str, args: RegisterArgs) -> Result<(), ClientError> {
	if args.model.trim().is_empty() || args.endpoint.trim().is_empty() {
		return Err(ClientError::Input("--model and --endpoint must not be empty".into()));
	}
	let session = Session::open(rpc_url, &args.tx.signer.secret_uri()?).await?;
	let kind = match args.kind {
		KindArg::Inference => "Inference",
		KindArg::Job => "Job",
	};
	let call = dynamic::tx(
		state::PALLET,
		"register_service",
		(
			Value::unnamed_variant(kind, []),
			Value::from_bytes(args.model.as_bytes()),
			Value::from_bytes(args.endpoint.as_bytes()),
			args.input_price,
			args.output_price,
			match args.enclave_signer {
				None => Value::unnamed_variant("None", []),
				Some(signer) => {
					Value::named_variant("Tee", [("signer", Value::from_bytes(signer))])
				},
			},
			args.stake,
		),
	);
	let included = session.submit("register_service", &call).await?;
	let (service, provider, _kind, stake): (u64, [u8; 32], u8, u128) =
		event(&included, "ServiceRegistered")?;
	report(
		&included,
		args.tx.output.json,
		&format!(
			"registered service #{service} ({}) of {} with a stake of {}",
			kind.to_lowercase(),
			account_text(&provider),
			format_zg(stake)
		),
		serde_json::json!({
			"service": service,
			"provider": account_text(&provider),
			"kind": kind,
			"stake": stake.to_string(),
		}),
	);
	Ok(())
}
