//! `zerog da`: publish a blob (erasure-code it, commit it on chain, push its shards to the node
//! and to every registered signer), fetch one back verified, and sample random shards to gain
//! confidence that a blob is available without downloading it.

use crate::{
	chain::{keypair_from_suri, Chain},
	error::CliError,
	hexstr,
	progress::bytes_bar,
	rpc::{NodeRpc, RpcError, ShardUpload, MAX_SHARDS_PER_PUT},
};
use codec::{Decode, Encode};
use futures::{stream, StreamExt};
use rand::seq::index;
use std::{
	io::Write,
	path::{Path, PathBuf},
	time::{Duration, Instant},
};
use subxt::dynamic::{self, Value};
use zerog_primitives::{
	da::{decode_blob, encode_blob, verify_shard, BlobCommitment, ShardProof, MAX_BLOB_SIZE},
	Hash,
};

/// Largest JSON body of one `da_putShards` call (the node's request limit is larger; this leaves
/// room and keeps each call short).
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

/// Cuts `shards` into `da_putShards` calls of at most `max_bytes` of JSON and
/// [`MAX_SHARDS_PER_PUT`] shards; a single shard over `max_bytes` goes alone.
pub fn batches(shards: Vec<ShardUpload>, max_bytes: usize) -> Vec<Vec<ShardUpload>> {
	let mut batches: Vec<Vec<ShardUpload>> = Vec::new();
	let mut current: Vec<ShardUpload> = Vec::new();
	let mut current_bytes = 0;
	for shard in shards {
		let len = shard.json_len();
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

/// Pushes every batch to `rpc`; how many shards of the blob it holds afterwards.
async fn push_batches(
	rpc: &NodeRpc,
	root: &Hash,
	batches: &[Vec<ShardUpload>],
	visible: bool,
) -> Result<u32, RpcError> {
	let total: usize = batches.iter().flatten().map(ShardUpload::json_len).sum();
	let bar = bytes_bar("shards", total as u64, 0, visible);
	let mut held = 0;
	for batch in batches {
		match rpc.put_shards(root, batch).await {
			Ok(receipt) => held = receipt.held,
			Err(error) => {
				bar.abandon();
				return Err(error);
			},
		}
		bar.inc(batch.iter().map(ShardUpload::json_len).sum::<usize>() as u64);
	}
	bar.finish_and_clear();
	Ok(held)
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

/// `zerog da submit`.
pub async fn submit(rpc_url: &str, options: SubmitOptions) -> Result<(), CliError> {
	let signer = keypair_from_suri(&options.suri)?;
	let blob = read_blob(&options.file)?;
	let encoded =
		encode_blob(&blob, options.data_shards, options.parity_shards).map_err(|error| {
			CliError::Input(format!("cannot encode {}: {error}", options.file.display()))
		})?;
	drop(blob);
	let commitment = encoded.commitment;
	let root = commitment.root;
	let shard_bytes = encoded.shards.first().map_or(0, Vec::len);
	if !options.json {
		println!("root {}", hexstr::root(&root));
		println!(
			"size {} bytes, {} data + {} parity shards of {shard_bytes} bytes",
			commitment.size_bytes, commitment.data_shards, commitment.parity_shards
		);
	}

	let rpc = NodeRpc::connect(rpc_url).await?;
	let chain = Chain::connect(rpc_url).await?;
	let included = match blob_of(&rpc, &commitment).await? {
		Some(summary) => {
			if !options.json {
				println!("already submitted as blob #{}: not submitting again", summary.id);
			}
			None
		},
		None => {
			let call = dynamic::tx(
				"DaAttestations",
				"submit_blob",
				(commitment_value(&commitment), options.namespace),
			);
			let included =
				chain.submit_and_wait(&rpc, "DaAttestations.submit_blob", &call, &signer).await?;
			if !options.json {
				let number =
					included.block_number.map(|number| format!("#{number} ")).unwrap_or_default();
				println!("submitted in block {number}({})", included.block_hash);
			}
			Some(included)
		},
	};

	let uploads: Vec<ShardUpload> = encoded
		.shards
		.iter()
		.zip(&encoded.proofs)
		.map(|(shard, proof)| ShardUpload {
			index: proof.index,
			data: hexstr::encode(shard),
			proof: hexstr::encode(&proof.encode()),
		})
		.collect();
	drop(encoded);
	let batches = batches(uploads, MAX_PUT_BYTES);
	let held = push_batches(&rpc, &root, &batches, !options.json).await?;
	if !options.json {
		println!("{rpc_url} holds {held} of {} shards", commitment.total_shards());
	}

	// Every registered signer gets the shards too; one that cannot be reached only costs a
	// warning, since the quorum needs 2/3 of the stake, not every member.
	let endpoints = match chain.da_signer_endpoints().await {
		Ok(endpoints) => endpoints,
		Err(error) => {
			eprintln!("warning: {error}; pushing to no signer");
			Vec::new()
		},
	};
	let mut signer_reports = Vec::new();
	let mut seen = vec![rpc_url.to_owned()];
	for endpoint in endpoints {
		if seen.contains(&endpoint) {
			continue;
		}
		seen.push(endpoint.clone());
		let outcome = match NodeRpc::connect(&endpoint).await {
			Ok(signer_rpc) => push_batches(&signer_rpc, &root, &batches, false).await,
			Err(error) => Err(error),
		};
		match outcome {
			Ok(held) => {
				if !options.json {
					println!("signer {endpoint} holds {held} shards");
				}
				signer_reports.push(serde_json::json!({ "endpoint": endpoint, "held": held }));
			},
			Err(error) => {
				eprintln!("warning: skipping signer {endpoint}: {error}");
				signer_reports
					.push(serde_json::json!({ "endpoint": endpoint, "error": error.to_string() }));
			},
		}
	}

	let certified_at = if options.wait {
		let at = wait_certified(&rpc, &commitment, options.timeout).await?;
		if !options.json {
			println!("certified in block #{at}");
		}
		Some(at)
	} else {
		None
	};

	if options.json {
		let output = serde_json::json!({
			"root": hexstr::root(&root),
			"sizeBytes": commitment.size_bytes,
			"dataShards": commitment.data_shards,
			"parityShards": commitment.parity_shards,
			"namespace": options.namespace,
			"submitted": included.is_some(),
			"block": included.as_ref().map(|included| included.block_hash.clone()),
			"blockNumber": included.as_ref().and_then(|included| included.block_number),
			"held": held,
			"signers": signer_reports,
			"certifiedAt": certified_at,
		});
		println!("{output}");
	}
	Ok(())
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

/// Fetches shard `index` and checks it against `commitment`; the shard and its proof.
async fn fetch_verified_shard(
	rpc: &NodeRpc,
	commitment: &BlobCommitment,
	index: u16,
) -> Result<(Vec<u8>, ShardProof), String> {
	let (shard, proof) =
		rpc.get_shard(&commitment.root, index).await.map_err(|error| error.to_string())?;
	let proof = ShardProof::decode(&mut &proof[..])
		.map_err(|error| format!("shard {index}: the proof does not decode: {error}"))?;
	verify_shard(commitment, index, &shard, &proof).map_err(|error| error.to_string())?;
	Ok((shard, proof))
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

/// Rebuilds the blob from the first `k` shards of the node that verify, for when the node
/// cannot send the whole blob in one answer.
async fn blob_from_shards(rpc: &NodeRpc, commitment: &BlobCommitment) -> Result<Vec<u8>, CliError> {
	let needed = usize::from(commitment.data_shards);
	let mut shards: Vec<(u16, Vec<u8>, ShardProof)> = Vec::with_capacity(needed);
	let mut problems = Vec::new();
	for index in 0..commitment.total_shards() {
		if shards.len() >= needed {
			break;
		}
		match fetch_verified_shard(rpc, commitment, index).await {
			Ok((shard, proof)) => shards.push((index, shard, proof)),
			Err(problem) => problems.push(problem),
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

/// `zerog da get`.
pub async fn get(rpc_url: &str, root: Hash, output: &Path, json: bool) -> Result<(), CliError> {
	let rpc = NodeRpc::connect(rpc_url).await?;
	let commitment = committed(&rpc, &root).await?;
	let (blob, source) = match rpc.get_blob(&root).await {
		Ok(blob) => {
			verify_blob(&commitment, &blob).map_err(|reason| {
				CliError::Verification(format!(
					"{rpc_url} returned a blob that is not {}: {reason}; nothing was written",
					hexstr::root(&root)
				))
			})?;
			(blob, "da_getBlob")
		},
		// The node refused for a reason about the blob itself: shards would not do better.
		Err(error @ RpcError::Refused { code: 6100..=6199, .. }) => return Err(error.into()),
		Err(error) => {
			if !json {
				eprintln!("warning: {error}; rebuilding the blob from shards instead");
			}
			(blob_from_shards(&rpc, &commitment).await?, "shards")
		},
	};

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

	let rpc = &rpc;
	let commitment = &commitment;
	let mut outcomes: Vec<(u16, Result<(), String>)> = stream::iter(indices)
		.map(|index| async move {
			(index, fetch_verified_shard(rpc, commitment, index).await.map(|_| ()))
		})
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

	fn upload(index: u16, bytes: usize) -> ShardUpload {
		ShardUpload { index, data: "0".repeat(bytes), proof: "0x".into() }
	}

	#[test]
	fn batches_respect_size_and_count() {
		let shards: Vec<ShardUpload> = (0..10).map(|i| upload(i, 1000)).collect();
		let per_shard = shards[0].json_len();
		let cut = batches(shards, per_shard * 3);
		assert_eq!(cut.iter().map(Vec::len).collect::<Vec<_>>(), vec![3, 3, 3, 1]);
		let order: Vec<u16> = cut.iter().flatten().map(|shard| shard.index).collect();
		assert_eq!(order, (0..10).collect::<Vec<_>>());

		let many: Vec<ShardUpload> = (0..1500).map(|i| upload(i as u16, 1)).collect();
		let cut = batches(many, usize::MAX);
		assert_eq!(cut.iter().map(Vec::len).collect::<Vec<_>>(), vec![1024, 476]);

		// A shard larger than the limit still goes, alone.
		let cut = batches(vec![upload(0, 10), upload(1, 100), upload(2, 10)], 50);
		assert_eq!(cut.iter().map(Vec::len).collect::<Vec<_>>(), vec![1, 1, 1]);
		assert!(batches(Vec::new(), 10).is_empty());
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
