//! `zerog da`: publish a blob (erasure-code it, push each member of its quorum the shards it
//! holds, commit it on chain), fetch one back verified, and sample random shards to gain
//! confidence that a blob is available without downloading it. The work is
//! `zerog_client::da`'s; these commands read the arguments and print what it did.

use crate::{chain::keypair_from_suri, error::ClientError, hexstr};
use futures::{stream, StreamExt};
use rand::seq::index;
use std::{
	io::Write,
	path::{Path, PathBuf},
	time::Duration,
};
use zerog_client::{
	da::{
		committed, confidence, fetch_blob, fooled_probability,
		holders::{shard_holders, ShardSources},
		publish, PublishOptions, PushReport, SAMPLES_IN_FLIGHT,
	},
	rpc::NodeRpc,
};
use zerog_primitives::{da::MAX_BLOB_SIZE, Hash};

/// What `zerog da submit` was asked to do.
pub struct SubmitOptions {
	/// The blob.
	pub file: PathBuf,
	/// Namespace (rollup or application id).
	pub namespace: u32,
	/// `k`.
	pub data_shards: u16,
	/// `m`.
	pub parity_shards: u16,
	/// Wait for certification.
	pub wait: bool,
	/// Secret URI of the paying account.
	pub suri: String,
	/// Print one JSON object instead of text.
	pub json: bool,
	/// How long `--wait` waits.
	pub timeout: Duration,
}

/// Reads a whole blob file, refusing empty and oversized ones before reading.
fn read_blob(path: &Path) -> Result<Vec<u8>, ClientError> {
	let len =
		std::fs::metadata(path).map_err(|error| ClientError::io(path, "reading", error))?.len();
	if len == 0 {
		return Err(ClientError::Input(format!(
			"{} is empty: the chain refuses empty blobs",
			path.display()
		)));
	}
	if len > u64::from(MAX_BLOB_SIZE) {
		return Err(ClientError::Input(format!(
			"{} has {len} bytes, over the blob limit of {MAX_BLOB_SIZE} bytes: split it into \
			 several blobs",
			path.display()
		)));
	}
	std::fs::read(path).map_err(|error| ClientError::io(path, "reading", error))
}

/// `zerog da submit`.
pub async fn submit(rpc_url: &str, options: SubmitOptions) -> Result<(), ClientError> {
	let signer = keypair_from_suri(&options.suri)?;
	let blob = read_blob(&options.file)?;
	let publish_options = PublishOptions {
		namespace: options.namespace,
		data_shards: options.data_shards,
		parity_shards: options.parity_shards,
		wait: options.wait.then_some(options.timeout),
		progress: !options.json,
	};
	let published =
		publish(rpc_url, &signer, &blob, publish_options).await.map_err(|error| match error {
			ClientError::Input(reason) => {
				ClientError::Input(format!("{}: {reason}", options.file.display()))
			},
			other => other,
		})?;
	drop(blob);
	let commitment = published.commitment;
	if options.json {
		let included = published.included.as_ref();
		let output = serde_json::json!({
			"root": hexstr::root(&commitment.root),
			"sizeBytes": commitment.size_bytes,
			"dataShards": commitment.data_shards,
			"parityShards": commitment.parity_shards,
			"namespace": options.namespace,
			"submitted": included.is_some(),
			"block": included.map(|included| included.block_hash.clone()),
			"blockNumber": included.and_then(|included| included.block_number),
			"held": published.held,
			"signers": published.reports.iter().map(PushReport::to_json).collect::<Vec<_>>(),
			"epoch": published.assignment.epoch,
			"quorum": published.assignment.quorum,
			"certifiedAt": published.certified_at,
		});
		println!("{output}");
		return Ok(());
	}
	println!("root {}", hexstr::root(&commitment.root));
	println!(
		"size {} bytes, {} data + {} parity shards of {} bytes",
		commitment.size_bytes,
		commitment.data_shards,
		commitment.parity_shards,
		published.shard_bytes
	);
	match (&published.included, published.already_submitted) {
		(Some(included), _) => {
			let number =
				included.block_number.map(|number| format!("#{number} ")).unwrap_or_default();
			println!("submitted in block {number}({})", included.block_hash);
		},
		(None, Some(id)) => println!("already submitted as blob #{id}: not submitting again"),
		(None, None) => {},
	}
	for report in &published.reports {
		let first = report.shards.first().copied().unwrap_or(0);
		let last = report.shards.last().copied().unwrap_or(first);
		match &report.outcome {
			Ok(_) => println!(
				"signer {} holds shards {first}..={last}{}",
				report.endpoint,
				report.via.as_ref().map(|via| format!(" (taken by {via})")).unwrap_or_default()
			),
			Err(error) => {
				eprintln!("warning: signer {} did not take its shards: {error}", report.endpoint)
			},
		}
	}
	println!(
		"quorum {} of epoch {} holds {} of {} shards",
		published.assignment.quorum,
		published.assignment.epoch,
		published.held,
		commitment.total_shards()
	);
	if let Some(at) = published.certified_at {
		println!("certified in block #{at}");
	}
	Ok(())
}

/// `zerog da get`.
pub async fn get(rpc_url: &str, root: Hash, output: &Path, json: bool) -> Result<(), ClientError> {
	let rpc = NodeRpc::connect(rpc_url).await?;
	let commitment = committed(&rpc, &root).await?;
	let (blob, source) = fetch_blob(&rpc, &commitment, |error| {
		if !json {
			eprintln!("warning: {error}; rebuilding the blob from shards instead");
		}
	})
	.await
	.map_err(|error| match error {
		ClientError::Verification(reason) => {
			ClientError::Verification(format!("{reason}; nothing was written"))
		},
		other => other,
	})?;

	let directory = match output.parent() {
		Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
		_ => PathBuf::from("."),
	};
	let mut partial = tempfile::Builder::new()
		.prefix(".zerog-blob-")
		.tempfile_in(&directory)
		.map_err(|error| ClientError::io(&directory, "creating a temporary file in", error))?;
	partial.write_all(&blob).map_err(|error| ClientError::io(partial.path(), "writing", error))?;
	partial
		.persist(output)
		.map_err(|error| ClientError::io(output, "renaming into", error.error))?;
	if json {
		let output = serde_json::json!({
			"root": hexstr::root(&root),
			"sizeBytes": blob.len(),
			"source": source,
			"output": output.display().to_string(),
		});
		println!("{output}");
	} else {
		println!(
			"fetched {} ({} bytes, verified against the commitment on chain) to {}",
			hexstr::root(&root),
			blob.len(),
			output.display()
		);
	}
	Ok(())
}

/// `zerog da sample`.
pub async fn sample(
	rpc_url: &str,
	root: Hash,
	samples: u16,
	json: bool,
) -> Result<(), ClientError> {
	if samples == 0 {
		return Err(ClientError::Input("--samples must be at least 1".into()));
	}
	let rpc = NodeRpc::connect(rpc_url).await?;
	let commitment = committed(&rpc, &root).await?;
	let total = commitment.total_shards();
	let count = samples.min(total);
	if count < samples && !json {
		eprintln!("note: the blob has only {total} shards; sampling all of them");
	}
	let mut rng = rand::thread_rng();
	let indices: Vec<u16> = index::sample(&mut rng, usize::from(total), usize::from(count))
		.into_iter()
		.filter_map(|index| u16::try_from(index).ok())
		.collect();

	let assignment = shard_holders(&rpc, &commitment).await?;
	let sources = ShardSources::connect(&rpc, assignment.as_ref()).await;
	let sources = &sources;
	let commitment = &commitment;
	let mut outcomes: Vec<(u16, Result<(), String>)> = stream::iter(indices)
		.map(|index| async move { (index, sources.fetch(commitment, index).await.map(|_| ())) })
		.buffer_unordered(SAMPLES_IN_FLIGHT)
		.collect()
		.await;
	outcomes.sort_by_key(|(index, _)| *index);
	let failed: Vec<&(u16, Result<(), String>)> =
		outcomes.iter().filter(|(_, outcome)| outcome.is_err()).collect();
	let fooled = fooled_probability(commitment.data_shards, total, count);
	let confident = confidence(commitment.data_shards, total, count);

	if json {
		let output = serde_json::json!({
			"root": hexstr::root(&root),
			"dataShards": commitment.data_shards,
			"totalShards": total,
			"samples": outcomes.iter().map(|(index, outcome)| match outcome {
				Ok(()) => serde_json::json!({ "index": index, "verified": true }),
				Err(error) => serde_json::json!({ "index": index, "verified": false, "error": error }),
			}).collect::<Vec<_>>(),
			"verified": outcomes.len() - failed.len(),
			"available": failed.is_empty(),
			"confidence": if failed.is_empty() { confident } else { 0.0 },
		});
		println!("{output}");
	} else {
		for (index, outcome) in &outcomes {
			match outcome {
				Ok(()) => println!("shard {index:>4}: verified"),
				Err(error) => println!("shard {index:>4}: FAILED ({error})"),
			}
		}
	}
	if let Some((index, Err(first))) = failed.first() {
		return Err(ClientError::Verification(format!(
			"{} of {count} sampled shards could not be fetched and verified (first: shard \
			 {index}: {first}): the blob may be unavailable",
			failed.len()
		)));
	}
	if !json {
		println!(
			"all {count} samples verified; confidence the blob is available: {:.6}% (k = {} of \
			 n = {total} shards rebuild it; an unavailable blob passes {count} samples with \
			 probability at most {fooled:.3e})",
			confident * 100.0,
			commitment.data_shards
		);
	}
	Ok(())
}
