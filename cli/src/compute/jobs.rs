//! `zerog compute job create|status|accept|dispute|terms`.

use crate::{
	amount::format_zg,
	chain::Chain,
	compute::{
		account_text, event, report,
		state::{self, JobStatusView, JobView, ServiceKind},
		JobCreateArgs, JobResultArgs, JobTermsArgs, JobTxArgs, Session,
	},
	error::ClientError,
	hexstr, storage,
};
use subxt::dynamic::{self, Value};
use zerog_client::{
	chain::Included,
	marketplace::{
		keys::{account_secret_key, write_key_file},
		on_chain, PALLET as MARKETPLACE,
	},
};
use zerog_primitives::{compute::keccak_256, encryption, Hash};

/// `<pallet>.<call>(fields)` as a value of the runtime's call enum, for a batch.
fn call_value(pallet: &str, call: &str, fields: Vec<Value>) -> Value {
	Value::unnamed_variant(pallet, [Value::unnamed_variant(call, fields)])
}

/// How many times `create` predicts its job's id again when another job took it first.
const JOB_ID_TRIES: usize = 3;

/// The assets and parameters `--asset` and `--params-file` name, if any.
fn job_inputs(args: &JobCreateArgs) -> Result<Option<(Vec<u64>, Vec<u8>)>, ClientError> {
	if args.params_file.is_none() && args.assets.is_empty() {
		return Ok(None);
	}
	let params = match &args.params_file {
		Some(path) => std::fs::read(path).map_err(|source| ClientError::Io {
			path: path.clone(),
			action: "reading the job's parameters",
			source,
		})?,
		None => Vec::new(),
	};
	Ok(Some((args.assets.clone(), params)))
}

/// Creates the job and attaches its inputs in one `Utility.batch_all`, so no executor sees the
/// job without them. The job's id is predicted from `NextJobId`; if another job takes it first
/// the batch fails as a whole (`NotJobUser`, `UnknownJob`) and is sent again.
async fn create_with_inputs(
	session: &Session,
	create: Value,
	assets: &[u64],
	params: &[u8],
) -> Result<Included, ClientError> {
	let mut tries = 0;
	loop {
		tries += 1;
		let job = state::next_job_id(&session.chain).await?;
		let attach = call_value(
			MARKETPLACE,
			"attach_job_inputs",
			vec![
				Value::u128(u128::from(job)),
				Value::unnamed_composite(
					assets.iter().map(|asset| Value::u128(u128::from(*asset))),
				),
				Value::from_bytes(params),
			],
		);
		let batch = dynamic::tx(
			"Utility",
			"batch_all",
			(Value::unnamed_composite([create.clone(), attach]),),
		);
		match session.submit_to("Utility", "batch_all", &batch).await {
			Err(ClientError::Chain(reason))
				if tries < JOB_ID_TRIES
					&& (reason.contains("Marketplace::NotJobUser")
						|| reason.contains("Marketplace::UnknownJob")) =>
			{
				eprintln!("job #{job} was taken by another job first; trying the next id");
			},
			result => return result,
		}
	}
}

/// `zerog compute job create`.
pub async fn create(rpc_url: &str, args: JobCreateArgs) -> Result<(), ClientError> {
	let session = Session::open(rpc_url, &args.tx.signer.secret_uri()?).await?;
	// The chain checks all of this again; asking first gives a clearer message.
	match state::service(&session.chain, args.service).await? {
		None => {
			return Err(ClientError::Input(format!(
				"no service #{} is registered (see `zerog compute services`)",
				args.service
			)))
		},
		Some(service) if service.kind != ServiceKind::Job => {
			return Err(ClientError::Input(format!(
				"service #{} is an inference service; jobs need a job service",
				args.service
			)))
		},
		Some(_) => {},
	}
	// The job is most likely included in the next block, from which the deadline is counted.
	let best = session.rpc.best_block_number().await?;
	let deadline = u32::try_from(best)
		.ok()
		.and_then(|best| best.checked_add(1)?.checked_add(args.deadline_blocks))
		.ok_or_else(|| ClientError::Input("the deadline is beyond the last block number".into()))?;
	let inputs = job_inputs(&args)?;
	let params_hash = match &inputs {
		Some((_, params)) => Hash::from(keccak_256(params)),
		None => args.params_hash,
	};
	let create = dynamic::tx(
		state::PALLET,
		"create_job",
		(args.service, args.dataset.0, params_hash.0, args.max_fee, deadline),
	);
	let included = match &inputs {
		None => session.submit("create_job", &create).await?,
		Some((assets, params)) => {
			let create = call_value(
				state::PALLET,
				"create_job",
				vec![
					Value::u128(u128::from(args.service)),
					Value::from_bytes(args.dataset.0),
					Value::from_bytes(params_hash.0),
					Value::u128(args.max_fee),
					Value::u128(u128::from(deadline)),
				],
			);
			create_with_inputs(&session, create, assets, params).await?
		},
	};
	let (job, service, _user, provider, max_fee, deadline): (
		u64,
		u64,
		[u8; 32],
		[u8; 32],
		u128,
		u32,
	) = event(&included, "JobCreated")?;
	report(
		&included,
		args.tx.output.json,
		&format!(
			"created job #{job} for service #{service} of {}: up to {} in escrow, result due \
			 before block #{deadline}",
			account_text(&provider),
			format_zg(max_fee)
		),
		serde_json::json!({
			"job": job,
			"service": service,
			"provider": account_text(&provider),
			"maxFee": max_fee.to_string(),
			"deadline": deadline,
			"paramsHash": hexstr::root(&params_hash),
			"assets": inputs.as_ref().map(|(assets, _)| assets.clone()).unwrap_or_default(),
		}),
	);
	Ok(())
}

/// `zerog compute job status`.
pub async fn status(rpc_url: &str, id: u64, json: bool) -> Result<(), ClientError> {
	let chain = Chain::connect(rpc_url).await?;
	let job = state::job(&chain, id).await?.ok_or_else(|| {
		ClientError::Input(format!(
			"job #{id} is not open on chain: it never existed, or it finished (accepted, \
			 resolved, declined or expired; its events tell which)"
		))
	})?;
	if json {
		println!("{}", job_json(&job));
		return Ok(());
	}
	println!("job       #{}", job.id);
	println!("service   #{} of {}", job.service, account_text(&job.provider));
	println!("user      {}", account_text(&job.user));
	println!("dataset   {}", hexstr::root(&job.dataset_root));
	println!("params    {}", hexstr::root(&job.params_hash));
	println!("max fee   {}", format_zg(job.max_fee));
	println!("deadline  block #{}", job.deadline);
	match &job.status {
		JobStatusView::Assigned => {
			println!("status    assigned, waiting for the provider's result")
		},
		JobStatusView::InReview { review_ends, .. } => println!(
			"status    in review until block #{review_ends} (accept or dispute it before; it is \
			 accepted for you then)"
		),
		JobStatusView::Disputed { .. } => println!("status    disputed, waiting for governance"),
	}
	if let Some(result) = job.status.result() {
		println!("result    {}", hexstr::root(&result.result_root));
		println!("output    keccak256 {}", hexstr::root(&result.output_hash));
		println!("fee used  {}", format_zg(result.fee_used));
	}
	Ok(())
}

/// A job as JSON: amounts as decimal strings in the smallest unit.
pub fn job_json(job: &JobView) -> serde_json::Value {
	let mut json = serde_json::json!({
		"job": job.id,
		"service": job.service,
		"user": account_text(&job.user),
		"provider": account_text(&job.provider),
		"datasetRoot": hexstr::root(&job.dataset_root),
		"paramsHash": hexstr::root(&job.params_hash),
		"maxFee": job.max_fee.to_string(),
		"deadline": job.deadline,
		"status": job.status.name(),
	});
	if let Some(result) = job.status.result() {
		json["resultRoot"] = hexstr::root(&result.result_root).into();
		json["outputHash"] = hexstr::root(&result.output_hash).into();
		json["feeUsed"] = result.fee_used.to_string().into();
	}
	if let JobStatusView::InReview { review_ends, .. } = &job.status {
		json["reviewEnds"] = (*review_ends).into();
	}
	json
}

/// `zerog compute job result`.
pub async fn result(rpc_url: &str, args: JobResultArgs) -> Result<(), ClientError> {
	let job = args.job;
	let rpc = zerog_client::rpc::NodeRpc::connect(rpc_url).await?;
	let inputs = on_chain::job_inputs(&rpc, job).await?.ok_or_else(|| {
		ClientError::Input(format!(
			"job #{job} has no marketplace inputs on chain (or its user removed them): its \
			 result is not encrypted; `zerog compute job status {job}` shows its root"
		))
	})?;
	let root = inputs.result.ok_or_else(|| {
		ClientError::Chain(format!(
			"job #{job}'s result is not paid for yet: its key is sealed to you once you accept \
			 it (`zerog compute job accept {job}`) or its review ends"
		))
	})?;
	let (_, sealed) = inputs.result_key.ok_or_else(|| {
		ClientError::Chain(format!(
			"job #{job}'s result is paid for, and its provider has not delivered the key yet; \
			 try again in a few blocks"
		))
	})?;
	let key =
		encryption::open_sealed_key(&account_secret_key(&args.signer.secret_uri()?)?, &sealed)
			.map_err(|error| {
				ClientError::Verification(format!(
				"job #{job}'s result key does not open with your key (is this the job's user?): \
				 {error}"
			))
			})?;
	if let Some(path) = &args.key_out {
		write_key_file(path, &key)?;
	}
	storage::download(
		rpc_url,
		storage::DownloadOptions {
			root,
			size: None,
			output: args.output,
			parallel: 4,
			json: args.output_format.json,
			decrypt_with: Some(key),
		},
	)
	.await
}

/// `zerog compute job accept`.
pub async fn accept(rpc_url: &str, args: JobTxArgs) -> Result<(), ClientError> {
	let session = Session::open(rpc_url, &args.tx.signer.secret_uri()?).await?;
	let call = dynamic::tx(state::PALLET, "accept_result", (args.job,));
	let included = session.submit("accept_result", &call).await?;
	let (job, fee_paid, refunded): (u64, u128, u128) = event(&included, "ResultAccepted")?;
	report(
		&included,
		args.tx.output.json,
		&format!(
			"accepted the result of job #{job}: {} paid to the provider, {} released to you",
			format_zg(fee_paid),
			format_zg(refunded)
		),
		serde_json::json!({
			"job": job,
			"feePaid": fee_paid.to_string(),
			"refunded": refunded.to_string(),
		}),
	);
	Ok(())
}

/// `zerog compute job dispute`.
pub async fn dispute(rpc_url: &str, args: JobTxArgs) -> Result<(), ClientError> {
	let session = Session::open(rpc_url, &args.tx.signer.secret_uri()?).await?;
	let call = dynamic::tx(state::PALLET, "dispute", (args.job,));
	let included = session.submit("dispute", &call).await?;
	let (job, _user, bond, lapses_at): (u64, [u8; 32], u128, u32) =
		event(&included, "JobDisputed")?;
	report(
		&included,
		args.tx.output.json,
		&format!(
			"disputed the result of job #{job} with a bond of {}; governance decides before \
			 block #{lapses_at}, after which the result stands and the bond comes back",
			format_zg(bond)
		),
		serde_json::json!({ "job": job, "bond": bond.to_string(), "lapsesAt": lapses_at }),
	);
	Ok(())
}

/// `zerog compute job terms`.
pub async fn terms(rpc_url: &str, args: JobTermsArgs) -> Result<(), ClientError> {
	let session = Session::open(rpc_url, &args.tx.signer.secret_uri()?).await?;
	let call = dynamic::tx(
		state::PALLET,
		"set_job_terms",
		(args.service, args.min_fee, args.max_dataset_size),
	);
	let included = session.submit("set_job_terms", &call).await?;
	let (service, min_fee, max_dataset_size): (u64, u128, Option<u64>) =
		event(&included, "JobTermsSet")?;
	let largest = max_dataset_size.map_or("any size".to_string(), |bytes| format!("{bytes} bytes"));
	report(
		&included,
		args.tx.output.json,
		&format!(
			"service #{service} takes new jobs escrowing at least {} on datasets of {largest}",
			format_zg(min_fee)
		),
		serde_json::json!({
			"service": service,
			"minFee": min_fee.to_string(),
			"maxDatasetSize": max_dataset_size,
		}),
	);
	Ok(())
}
