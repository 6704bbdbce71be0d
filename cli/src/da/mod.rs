//! `zerog da`: publish a blob (erasure-code it, push each member of its quorum the shards it
//! holds, commit it on chain), fetch one back verified, and sample random shards to gain
//! confidence that a blob is available without downloading it.

mod dispersal;
mod holders;

use crate::{
	chain::{keypair_from_suri, Chain},
	error::CliError,
	hexstr,
	progress::bytes_bar,
	rpc::{NodeRpc, RpcError, MAX_SHARDS_PER_PUT},
};
use codec::{Decode, Encode};
use dispersal::{disperse, Dispersal, PushReport, MEMBER_LAG};
use futures::{future::join_all, stream, StreamExt};
use holders::{shard_holders, BlobAssignmentView, ShardSources};
use rand::seq::index;
use std::{
	io::Write,
	path::{Path, PathBuf},
	time::{Duration, Instant},
};
use subxt::dynamic::{self, Value};
use subxt_signer::sr25519::Keypair;
use zerog_primitives::{
	da::{
		decode_blob, encode_blob, transport::ShardEnvelope, BlobCommitment, EncodedBlob,
		ShardProof, MAX_BLOB_SIZE,
	},
	Hash,
};

/// Largest JSON body of one `da_putShards` call, when a member's node has no reachable data
/// plane (the node's request limit is larger; this leaves room and keeps each call short).
pub const MAX_PUT_BYTES: usize = 8 * 1024 * 1024;

/// How often `--wait` asks whether the blob is certified.
const CERTIFICATION_POLL: Duration = Duration::from_secs(2);

/// Shards fetched at once by `da sample`.
const SAMPLES_IN_FLIGHT: usize = 8;

/// Where a blob stands on chain, as `DaAttestationsApi::blob` encodes it.
///
/// Mirrors `pallet_da_attestations::BlobStatus<u32>`; decoded here rather than importing the
/// pallet, which would pull the runtime's whole dependency tree into the client.
#[derive(Clone, Copy, Debug, Decode, PartialEq, Eq)]
pub enum BlobStatusView {
	/// Waiting for attestations.
	Pending,
	/// Certified in block `at`.
	Certified {
		/// The block that certified it.
		at: u32,
	},
}

/// `pallet_da_attestations::BlobSummary<AccountId32, u128, u32>`, field for field.
#[derive(Clone, Debug, Decode, PartialEq, Eq)]
pub struct BlobSummaryView {
	/// The blob's id.
	pub id: u64,
	/// Who submitted it.
	pub submitter: [u8; 32],
	/// Its namespace.
	pub namespace: u32,
	/// Root, size and coding.
	pub commitment: BlobCommitment,
	/// The epoch whose quorum attests to it.
	pub epoch: u32,
	/// First block in which it can no longer be attested.
	pub expires_at: u32,
	/// Pending or certified.
	pub status: BlobStatusView,
	/// Attested stake so far.
	pub attested_stake: u128,
	/// Which of its epoch's quorums attests to it.
	pub quorum: u32,
}

/// Calls runtime API `method` of `DaAttestationsApi` with `argument` and decodes the answer.
async fn da_api<R: Decode>(
	rpc: &NodeRpc,
	method: &'static str,
	argument: &impl Encode,
) -> Result<R, CliError> {
	let bytes = rpc.state_call(method, &argument.encode()).await?;
	R::decode(&mut &bytes[..]).map_err(|error| {
		CliError::Rpc(RpcError::BadResponse {
			url: rpc.url().to_owned(),
			method: "state_call",
			reason: format!("{method} result does not decode: {error}"),
		})
	})
}

/// `DaAttestationsApi::blob_by_root(root)` at the node's best block: the certified blob with
/// this root if any, else a pending one.
pub async fn blob_summary(rpc: &NodeRpc, root: &Hash) -> Result<Option<BlobSummaryView>, CliError> {
	da_api(rpc, "DaAttestationsApi_blob_by_root", root).await
}

/// `DaAttestationsApi::blob(commitment)` at the node's best block.
pub async fn blob_of(
	rpc: &NodeRpc,
	commitment: &BlobCommitment,
) -> Result<Option<BlobSummaryView>, CliError> {
	da_api(rpc, "DaAttestationsApi_blob", commitment).await
}

/// `DaAttestationsApi::certification(commitment)`: the block that certified the blob, if any.
pub async fn certification(
	rpc: &NodeRpc,
	commitment: &BlobCommitment,
) -> Result<Option<u32>, CliError> {
	da_api(rpc, "DaAttestationsApi_certification", commitment).await
}

/// The commitment the chain holds for `root`, or an error saying nothing can be verified.
async fn committed(rpc: &NodeRpc, root: &Hash) -> Result<BlobCommitment, CliError> {
	match blob_summary(rpc, root).await? {
		Some(summary) => Ok(summary.commitment),
		None => Err(CliError::Input(format!(
			"the chain has no pending or certified blob with root {} (never submitted, or \
			 expired): there is no commitment to verify shards against",
			hexstr::root(root)
		))),
	}
}

/// Probability that `samples` distinct shards drawn at random from `total_shards` are all
/// available although the blob is not, i.e. although at most `data_shards - 1` shards are
/// available: `prod_{i < samples} (k - 1 - i) / (n - i)`. Zero once `samples >= k`.
pub fn fooled_probability(data_shards: u16, total_shards: u16, samples: u16) -> f64 {
	let (k, n) = (f64::from(data_shards), f64::from(total_shards));
	(0..samples.min(total_shards)).fold(1.0, |probability, i| {
		let i = f64::from(i);
		let available = (k - 1.0 - i).max(0.0);
		probability * available / (n - i)
	})
}

/// Confidence that the blob is available after `samples` distinct random shards all verified:
/// `1 - fooled_probability`.
pub fn confidence(data_shards: u16, total_shards: u16, samples: u16) -> f64 {
	1.0 - fooled_probability(data_shards, total_shards, samples)
}

/// Cuts `shards` into requests of at most `max_bytes` (as `len` measures a shard in the
/// request's encoding) and [`MAX_SHARDS_PER_PUT`] shards; a single shard over `max_bytes` goes
/// alone.
pub fn batches(
	shards: Vec<ShardEnvelope>,
	max_bytes: usize,
	len: impl Fn(&ShardEnvelope) -> usize,
) -> Vec<Vec<ShardEnvelope>> {
	let mut batches: Vec<Vec<ShardEnvelope>> = Vec::new();
	let mut current: Vec<ShardEnvelope> = Vec::new();
	let mut current_bytes = 0;
	for shard in shards {
		let len = len(&shard);
		if !current.is_empty()
			&& (current_bytes + len > max_bytes || current.len() >= MAX_SHARDS_PER_PUT)
		{
			batches.push(std::mem::take(&mut current));
			current_bytes = 0;
		}
		current_bytes += len;
		current.push(shard);
	}
	if !current.is_empty() {
		batches.push(current);
	}
	batches
}

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
fn read_blob(path: &Path) -> Result<Vec<u8>, CliError> {
	let len = std::fs::metadata(path).map_err(|error| CliError::io(path, "reading", error))?.len();
	if len == 0 {
		return Err(CliError::Input(format!(
			"{} is empty: the chain refuses empty blobs",
			path.display()
		)));
	}
	if len > u64::from(MAX_BLOB_SIZE) {
		return Err(CliError::Input(format!(
			"{} has {len} bytes, over the blob limit of {MAX_BLOB_SIZE} bytes: split it into \
			 several blobs",
			path.display()
		)));
	}
	std::fs::read(path).map_err(|error| CliError::io(path, "reading", error))
}

/// How to publish a blob.
#[derive(Clone, Copy, Debug)]
pub struct PublishOptions {
	/// Namespace (rollup or application id).
	pub namespace: u32,
	/// `k`.
	pub data_shards: u16,
	/// `m`.
	pub parity_shards: u16,
	/// Wait for certification, at most this long.
	pub wait: Option<Duration>,
	/// Draw a progress bar of the shard pushes on stderr.
	pub progress: bool,
}

/// What publishing a blob did.
#[derive(Clone, Debug)]
pub struct Published {
	/// The blob's commitment.
	pub commitment: BlobCommitment,
	/// Bytes of each shard.
	pub shard_bytes: usize,
	/// The submission, or `None` if the commitment was on chain already.
	pub included: Option<crate::chain::Included>,
	/// The id the chain had for the commitment when it was already there.
	pub already_submitted: Option<u64>,
	/// The blob's quorum.
	pub assignment: BlobAssignmentView,
	/// One report per member endpoint: what the last push to it did.
	pub reports: Vec<PushReport>,
	/// Distinct shards the quorum's members took.
	pub held: u32,
	/// The certifying block, when waited for.
	pub certified_at: Option<u32>,
}

/// Publishes `blob`: encodes it, pushes each member of the quorum it will get its own shards
/// (staging), submits the commitment signed by `signer` unless it is on chain already, pushes
/// again where needed, and with `options.wait` waits for the certificate. Prints nothing but the
/// progress bar: the `zerog da submit` command and `zerog-da-server` report in their own ways.
pub async fn publish(
	rpc_url: &str,
	signer: &Keypair,
	blob: &[u8],
	options: PublishOptions,
) -> Result<Published, CliError> {
	let encoded = encode_blob(blob, options.data_shards, options.parity_shards)
		.map_err(|error| CliError::Input(format!("cannot encode the blob: {error}")))?;
	publish_encoded(rpc_url, signer, encoded, options).await
}

/// [`publish`] of a blob encoded already, with its commitment, shards, proofs and fingerprints
/// as they are: the coding in `options` is not used. Tests use it to play a publisher that
/// encodes badly (`zerog_primitives::da::commit_shards`).
pub async fn publish_encoded(
	rpc_url: &str,
	signer: &Keypair,
	encoded: EncodedBlob,
	options: PublishOptions,
) -> Result<Published, CliError> {
	let commitment = encoded.commitment;
	let fingerprints = encoded.fingerprints;
	let root = commitment.root;
	let shard_bytes = encoded.shards.first().map_or(0, Vec::len);
	let rpc = NodeRpc::connect(rpc_url).await?;
	let chain = Chain::connect(rpc_url).await?;
	let uploads: Vec<ShardEnvelope> = encoded
		.shards
		.into_iter()
		.zip(encoded.proofs)
		.map(|(data, proof)| ShardEnvelope { proof, data })
		.collect();
	let total_bytes: u64 = uploads.iter().map(|upload| upload.data.len() as u64).sum();
	let bar = bytes_bar("shards", total_bytes, 0, options.progress);
	let blob = Dispersal { commitment: &commitment, fingerprints: &fingerprints, bar: &bar };

	// Stage first: the members of the quorum the blob will get take its shards before the
	// submission, so its attestation window is not spent waiting for them.
	let on_chain = blob_of(&rpc, &commitment).await?;
	let mut reports: Vec<PushReport> = Vec::new();
	let mut staged_for = None;
	if on_chain.is_none() {
		if let Some(assignment) = shard_holders(&rpc, &commitment).await? {
			// No waiting for lagging members: whatever they refuse now is pushed again below.
			reports =
				disperse(blob, &assignment, &uploads, |_, _| false, rpc_url, Duration::ZERO).await;
			staged_for = Some((assignment.epoch, assignment.quorum));
		}
	}
	let already_submitted = on_chain.as_ref().map(|summary| summary.id);
	let included = match on_chain {
		Some(_) => None,
		None => {
			let call = dynamic::tx(
				"DaAttestations",
				"submit_blob",
				(commitment_value(&commitment), options.namespace),
			);
			Some(chain.submit_and_wait(&rpc, "DaAttestations.submit_blob", &call, signer).await?)
		},
	};

	// Then push whatever the blob's quorum on chain does not hold yet: everything if the
	// epoch turned between staging and inclusion, else only the pushes that failed.
	let assignment = shard_holders(&rpc, &commitment).await?.ok_or_else(|| {
		CliError::Chain(format!(
			"blob {} is on chain but its quorum is gone: it expired or retired",
			hexstr::root(&root)
		))
	})?;
	if staged_for != Some((assignment.epoch, assignment.quorum)) {
		reports.clear();
	}
	let done: Vec<(String, Vec<u16>)> = reports
		.iter()
		.filter(|report| report.outcome.is_ok())
		.map(|report| (report.endpoint.clone(), report.shards.clone()))
		.collect();
	let retried = disperse(
		blob,
		&assignment,
		&uploads,
		|endpoint, shards| done.iter().any(|(e, s)| e == endpoint && s == shards),
		rpc_url,
		MEMBER_LAG,
	)
	.await;
	reports.retain(|report| report.outcome.is_ok());
	reports.extend(retried);
	bar.finish_and_clear();
	let held = held_by_quorum(&assignment, &reports);
	let certified_at = match options.wait {
		Some(timeout) => Some(wait_certified(&rpc, &commitment, timeout).await?),
		None => None,
	};
	Ok(Published {
		commitment,
		shard_bytes,
		included,
		already_submitted,
		assignment,
		reports,
		held,
		certified_at,
	})
}

/// `zerog da submit`.
pub async fn submit(rpc_url: &str, options: SubmitOptions) -> Result<(), CliError> {
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
			CliError::Input(reason) => {
				CliError::Input(format!("{}: {reason}", options.file.display()))
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

/// Distinct shard indices the members of `assignment` took in `reports`.
fn held_by_quorum(assignment: &BlobAssignmentView, reports: &[PushReport]) -> u32 {
	let endpoints = assignment.endpoints();
	let mut held: Vec<u16> = reports
		.iter()
		.filter(|report| report.outcome.is_ok())
		.filter(|report| endpoints.iter().any(|(endpoint, _)| *endpoint == report.endpoint))
		.flat_map(|report| report.shards.iter().copied())
		.collect();
	held.sort_unstable();
	held.dedup();
	held.len() as u32
}

/// `commitment` as the dynamic value of a `BlobCommitment` call argument.
fn commitment_value(commitment: &BlobCommitment) -> Value {
	Value::named_composite([
		("root", Value::from_bytes(commitment.root.as_bytes())),
		("size_bytes", Value::u128(u128::from(commitment.size_bytes))),
		("data_shards", Value::u128(u128::from(commitment.data_shards))),
		("parity_shards", Value::u128(u128::from(commitment.parity_shards))),
	])
}

/// Polls the runtime API until the blob is certified; fails if it expires or time runs out.
async fn wait_certified(
	rpc: &NodeRpc,
	commitment: &BlobCommitment,
	timeout: Duration,
) -> Result<u32, CliError> {
	let root = &commitment.root;
	let deadline = Instant::now() + timeout;
	loop {
		if let Some(at) = certification(rpc, commitment).await? {
			return Ok(at);
		}
		if blob_of(rpc, commitment).await?.is_none() {
			return Err(CliError::Chain(format!(
				"blob {} expired without being certified: its fee is refunded; submit it again",
				hexstr::root(root)
			)));
		}
		if Instant::now() >= deadline {
			return Err(CliError::Timeout(format!(
				"blob {} was not certified within {} s",
				hexstr::root(root),
				timeout.as_secs()
			)));
		}
		tokio::time::sleep(CERTIFICATION_POLL).await;
	}
}

/// Checks that `blob` is the blob behind `commitment` by encoding it again.
pub fn verify_blob(commitment: &BlobCommitment, blob: &[u8]) -> Result<(), String> {
	if blob.len() as u64 != u64::from(commitment.size_bytes) {
		return Err(format!(
			"the blob has {} bytes, the commitment says {}",
			blob.len(),
			commitment.size_bytes
		));
	}
	let encoded =
		encode_blob(blob, commitment.data_shards, commitment.parity_shards).map_err(|error| {
			format!("the blob cannot be encoded with the committed coding: {error}")
		})?;
	if encoded.commitment != *commitment {
		return Err(format!(
			"the blob encodes to root {}, not the committed {}",
			hexstr::root(&encoded.commitment.root),
			hexstr::root(&commitment.root)
		));
	}
	Ok(())
}

/// Rebuilds the blob from the first `k` shards that verify, fetched from the members of its
/// quorum (each for its range, several at once) and from the asked node.
async fn blob_from_shards(rpc: &NodeRpc, commitment: &BlobCommitment) -> Result<Vec<u8>, CliError> {
	let assignment = shard_holders(rpc, commitment).await?;
	let sources = ShardSources::connect(rpc, assignment.as_ref()).await;
	let needed = usize::from(commitment.data_shards);
	let mut shards: Vec<(u16, Vec<u8>, ShardProof)> = Vec::with_capacity(needed);
	let mut problems = Vec::new();
	let indices = sources.fetch_order(commitment.total_shards());
	for chunk in indices.chunks(SAMPLES_IN_FLIGHT) {
		if shards.len() >= needed {
			break;
		}
		let fetched = join_all(chunk.iter().map(|index| {
			let sources = &sources;
			async move { (*index, sources.fetch(commitment, *index).await) }
		}))
		.await;
		for (index, outcome) in fetched {
			match outcome {
				Ok((shard, proof)) if shards.len() < needed => shards.push((index, shard, proof)),
				Ok(_) => {},
				Err(problem) => problems.push(problem),
			}
		}
	}
	if shards.len() < needed {
		return Err(CliError::Verification(format!(
			"only {} of the {needed} shards needed could be fetched and verified; first problem: {}",
			shards.len(),
			problems.first().map(String::as_str).unwrap_or("none")
		)));
	}
	let inputs: Vec<(u16, &[u8], &ShardProof)> =
		shards.iter().map(|(index, shard, proof)| (*index, shard.as_slice(), proof)).collect();
	// `decode_blob` checks the proofs again and that the rebuilt blob re-encodes to the root.
	decode_blob(commitment, &inputs).map_err(|error| CliError::Verification(error.to_string()))
}

/// The blob with `commitment`, verified: the node's own rebuild (`da_getBlob`) if it can send
/// one, else rebuilt from shards of the quorum's members; with where it came from (`da_getBlob`
/// or `shards`). `warn` is told why the first way failed.
pub async fn fetch_blob(
	rpc: &NodeRpc,
	commitment: &BlobCommitment,
	warn: impl Fn(&RpcError),
) -> Result<(Vec<u8>, &'static str), CliError> {
	let root = commitment.root;
	match rpc.get_blob(&root).await {
		Ok(blob) => {
			verify_blob(commitment, &blob).map_err(|reason| {
				CliError::Verification(format!(
					"{} returned a blob that is not {}: {reason}",
					rpc.url(),
					hexstr::root(&root)
				))
			})?;
			Ok((blob, "da_getBlob"))
		},
		// Nobody holds enough of it here; the quorum's members may.
		Err(RpcError::Refused { code: 6104 | 6105, .. }) => {
			Ok((blob_from_shards(rpc, commitment).await?, "shards"))
		},
		// The node refused for another reason about the blob itself: shards would not do better.
		Err(error @ RpcError::Refused { code: 6100..=6199, .. }) => Err(error.into()),
		Err(error) => {
			warn(&error);
			Ok((blob_from_shards(rpc, commitment).await?, "shards"))
		},
	}
}

/// `zerog da get`.
pub async fn get(rpc_url: &str, root: Hash, output: &Path, json: bool) -> Result<(), CliError> {
	let rpc = NodeRpc::connect(rpc_url).await?;
	let commitment = committed(&rpc, &root).await?;
	let (blob, source) = fetch_blob(&rpc, &commitment, |error| {
		if !json {
			eprintln!("warning: {error}; rebuilding the blob from shards instead");
		}
	})
	.await
	.map_err(|error| match error {
		CliError::Verification(reason) => {
			CliError::Verification(format!("{reason}; nothing was written"))
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
		.map_err(|error| CliError::io(&directory, "creating a temporary file in", error))?;
	partial.write_all(&blob).map_err(|error| CliError::io(partial.path(), "writing", error))?;
	partial.persist(output).map_err(|error| CliError::io(output, "renaming into", error.error))?;
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
pub async fn sample(rpc_url: &str, root: Hash, samples: u16, json: bool) -> Result<(), CliError> {
	if samples == 0 {
		return Err(CliError::Input("--samples must be at least 1".into()));
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
		return Err(CliError::Verification(format!(
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

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn confidence_follows_sampling_without_replacement() {
		// One sample out of 48 with k = 16: 15 of 48 shards could be there for an unavailable blob.
		assert!((fooled_probability(16, 48, 1) - 15.0 / 48.0).abs() < 1e-12);
		let two = 15.0 / 48.0 * 14.0 / 47.0;
		assert!((fooled_probability(16, 48, 2) - two).abs() < 1e-12);
		assert!((confidence(16, 48, 2) - (1.0 - two)).abs() < 1e-12);
		// k samples can no longer all hit the k - 1 available shards.
		assert_eq!(fooled_probability(16, 48, 16), 0.0);
		assert_eq!(confidence(16, 48, 40), 1.0);
		// No sample, no confidence; k = 1 means any single verified shard proves availability.
		assert_eq!(confidence(16, 48, 0), 0.0);
		assert_eq!(confidence(1, 4, 1), 1.0);
		// More samples never lower the confidence.
		let steps: Vec<f64> = (0..20).map(|s| confidence(16, 48, s)).collect();
		assert!(steps.windows(2).all(|pair| pair[0] <= pair[1]), "{steps:?}");
	}

	fn upload(index: u16, bytes: usize) -> ShardEnvelope {
		let proof = ShardProof { index, siblings: Default::default(), fingerprints: Hash::zero() };
		ShardEnvelope { proof, data: vec![0; bytes] }
	}

	#[test]
	fn batches_respect_size_and_count() {
		let shards: Vec<ShardEnvelope> = (0..10).map(|i| upload(i, 1000)).collect();
		let per_shard = shards[0].body_len();
		let cut = batches(shards, per_shard * 3, ShardEnvelope::body_len);
		assert_eq!(cut.iter().map(Vec::len).collect::<Vec<_>>(), vec![3, 3, 3, 1]);
		let order: Vec<u16> = cut.iter().flatten().map(|shard| shard.proof.index).collect();
		assert_eq!(order, (0..10).collect::<Vec<_>>());
		// The same shards as hex in JSON take twice the room.
		let shards: Vec<ShardEnvelope> = (0..10).map(|i| upload(i, 1000)).collect();
		let cut = batches(shards, per_shard * 3, crate::rpc::ShardUpload::json_len);
		assert_eq!(cut.iter().map(Vec::len).collect::<Vec<_>>(), vec![1; 10]);

		let many: Vec<ShardEnvelope> = (0..1500).map(|i| upload(i as u16, 1)).collect();
		let cut = batches(many, usize::MAX, ShardEnvelope::body_len);
		assert_eq!(cut.iter().map(Vec::len).collect::<Vec<_>>(), vec![1024, 476]);

		// A shard larger than the limit still goes, alone.
		let cut = batches(vec![upload(0, 10), upload(1, 100), upload(2, 10)], 60, |s| s.data.len());
		assert_eq!(cut.iter().map(Vec::len).collect::<Vec<_>>(), vec![1, 1, 1]);
		assert!(batches(Vec::new(), 10, ShardEnvelope::body_len).is_empty());
	}

	#[test]
	fn blobs_verify_by_reencoding() {
		let blob: Vec<u8> = (0..10_000u32).map(|i| (i * 7) as u8).collect();
		let encoded = encode_blob(&blob, 4, 4).unwrap();
		assert_eq!(verify_blob(&encoded.commitment, &blob), Ok(()));
		let mut tampered = blob.clone();
		tampered[5] ^= 1;
		assert!(verify_blob(&encoded.commitment, &tampered)
			.unwrap_err()
			.contains("encodes to root"));
		assert!(verify_blob(&encoded.commitment, &blob[1..]).unwrap_err().contains("bytes"));
	}

	#[test]
	fn blob_summaries_decode_from_the_runtime_encoding() {
		let commitment = encode_blob(b"hello", 2, 2).unwrap().commitment;
		let mut bytes = vec![1u8]; // Some
		7u64.encode_to(&mut bytes);
		[9u8; 32].encode_to(&mut bytes);
		3u32.encode_to(&mut bytes);
		commitment.encode_to(&mut bytes);
		2u32.encode_to(&mut bytes);
		100u32.encode_to(&mut bytes);
		bytes.push(1); // Certified
		42u32.encode_to(&mut bytes);
		5u128.encode_to(&mut bytes);
		1u32.encode_to(&mut bytes);
		let summary = Option::<BlobSummaryView>::decode(&mut &bytes[..]).unwrap().unwrap();
		assert_eq!(summary.id, 7);
		assert_eq!(summary.commitment, commitment);
		assert_eq!(summary.status, BlobStatusView::Certified { at: 42 });
		assert_eq!(summary.attested_stake, 5);
		assert_eq!(summary.quorum, 1);
	}
}
