//! `zerog storage`: upload a file (commit its root on chain, then push its segments with
//! proofs), download one (verifying every segment against the committed root), and show what
//! a node knows about one.
//!
//! Files are streamed: uploading keeps only the segment roots in memory (32 bytes per 256 KiB)
//! and re-reads each segment from disk when it is sent; downloading writes each verified
//! segment to a temporary file that is renamed into place only once all of them verified.

use crate::{
	chain::{keypair_from_suri, Chain, Included},
	error::ClientError,
	hexstr,
	replicas::{
		deliver, describe as describe_replica, record_acks, wait_for_acks, wait_for_replicas,
		ASSIGNMENT_TIMEOUT,
	},
	transfer::{chain_file, download_verified, file_sources, live_commitment, node_data_client},
};
use std::{path::PathBuf, time::Duration};
use subxt::dynamic::{self, Value};
use zerog_client::{
	file_tree::tree_of_file,
	marketplace::{
		files::{decrypt_file, encrypt_file, temporary_beside},
		keys::{random_key, write_key_file},
	},
	rpc::NodeRpc,
};
use zerog_primitives::{encryption::ContentKey, storage::segment_count, Hash};

/// Replicas a file asks for when the user does not say.
pub const DEFAULT_REPLICAS: u8 = 3;

/// What `zerog storage upload` was asked to do.
pub struct UploadOptions {
	/// The file to upload.
	pub file: PathBuf,
	/// Tags for `StorageCommitments.submit`.
	pub tags: Vec<String>,
	/// Providers to hold the file; `None`: [`DEFAULT_REPLICAS`], or every active provider if
	/// there are fewer.
	pub replicas: Option<u8>,
	/// Secret URI of the paying account.
	pub suri: String,
	/// Segment uploads in flight at once.
	pub parallel: usize,
	/// Print one JSON object instead of text.
	pub json: bool,
	/// How long to wait for the node to report the file finalized.
	pub timeout: Duration,
	/// Encrypt the file under a fresh content key written (mode 600) to this new file, and
	/// store the ciphertext.
	pub encrypt_key_out: Option<PathBuf>,
}

/// `zerog storage upload`.
pub async fn upload(rpc_url: &str, options: UploadOptions) -> Result<(), ClientError> {
	if let Some(empty) = options.tags.iter().position(String::is_empty) {
		return Err(ClientError::Input(format!("tag #{} is empty; tags must not be", empty + 1)));
	}
	let signer = keypair_from_suri(&options.suri)?;
	let show_progress = !options.json;
	let mut phases = Phases { started: Some(std::time::Instant::now()), ..Phases::default() };
	// An encrypted upload stores a ciphertext written to a private temporary folder.
	let encrypted = match &options.encrypt_key_out {
		Some(key_out) => {
			let key = random_key();
			write_key_file(key_out, &key)?;
			let folder = tempfile::tempdir().map_err(|source| ClientError::Io {
				path: std::env::temp_dir(),
				action: "creating a temporary folder in",
				source,
			})?;
			let ciphertext = folder.path().join("encrypted");
			let plain_size = encrypt_file(&options.file, &ciphertext, &key, show_progress)?;
			if !options.json {
				println!(
					"encrypted {plain_size} bytes; content key written to {} (keep it: without \
					 it the file cannot be read)",
					key_out.display()
				);
			}
			Some((folder, ciphertext, plain_size))
		},
		None => None,
	};
	let path = encrypted.as_ref().map_or(options.file.as_path(), |(_, path, _)| path.as_path());
	let tree = tree_of_file(path, show_progress)?;
	phases.hash = phases.lap();
	let (root, size) = (tree.root(), tree.file_size());
	let segments = segment_count(size);
	if !options.json {
		println!("root {}", hexstr::root(&root));
		println!("size {size} bytes ({segments} segments)");
	}

	let rpc = NodeRpc::connect(rpc_url).await?;
	// Resume: a live commitment of the same (root, size) needs no second `submit`, which would
	// renew the file and charge the fee again.
	let committed = live_commitment(&rpc, &root, size).await?;
	let included = match committed {
		Some(file_id) => {
			if !options.json {
				println!("already committed on chain as file #{file_id}: not submitting again");
			}
			None
		},
		None => {
			let chain = Chain::connect(rpc_url).await?;
			let replicas = match options.replicas {
				Some(replicas) => replicas,
				None => {
					let active = chain.active_storage_providers().await?;
					let replicas = u8::try_from(active).unwrap_or(u8::MAX).min(DEFAULT_REPLICAS);
					if replicas == 0 {
						return Err(ClientError::Chain(
							"no storage provider is active on this chain: nobody can store the file"
								.into(),
						));
					}
					replicas
				},
			};
			let tags: Vec<Value> =
				options.tags.iter().map(|tag| Value::from_bytes(tag.as_bytes())).collect();
			let call = dynamic::tx(
				"StorageCommitments",
				"submit",
				(Value::from_bytes(root.as_bytes()), size, tags, replicas),
			);
			if !options.json {
				println!("asking for {replicas} replica(s)");
			}
			let included =
				chain.submit_and_wait(&rpc, "StorageCommitments.submit", &call, &signer).await?;
			if !options.json {
				println!("submitted in block {}", describe_block(&included));
			}
			Some(included)
		},
	};

	let file_id = live_commitment(&rpc, &root, size).await?.ok_or_else(|| {
		ClientError::Chain(format!(
			"the node's best block does not show the commitment of {} ({size} bytes)",
			hexstr::root(&root)
		))
	})?;
	// The chain draws the file's providers in a block after the `submit`.
	let assigned = wait_for_replicas(&rpc, file_id, ASSIGNMENT_TIMEOUT).await?;
	if assigned.is_empty() {
		return Err(ClientError::Timeout(format!(
			"no provider was assigned file #{file_id} within {} s (no provider has room, or many \
			 files wait); the chain assigns it later: run the upload again then",
			ASSIGNMENT_TIMEOUT.as_secs()
		)));
	}
	phases.commit = phases.lap();
	let local = node_data_client(&rpc).await?;
	let (parallel, timeout) = (options.parallel, options.timeout);
	let delivery =
		deliver(&assigned, local.as_ref(), &tree, path, parallel, timeout, show_progress).await?;
	phases.upload = phases.lap();

	// Done once the providers acknowledged: from then on they answer challenges for the file.
	let mut replicas = delivery.reports;
	if show_progress {
		eprintln!("waiting for {} provider(s) to acknowledge the file", replicas.len());
	}
	let settled = wait_for_acks(&rpc, file_id, options.timeout).await?;
	record_acks(&mut replicas, &settled, file_id, options.timeout)?;
	phases.acknowledge = phases.lap();

	if options.json {
		let output = serde_json::json!({
			"root": hexstr::root(&root),
			"size": size,
			"segments": segments,
			"fileId": file_id,
			"submitted": included.is_some(),
			"block": included.as_ref().map(|included| included.block_hash.clone()),
			"blockNumber": included.as_ref().and_then(|included| included.block_number),
			"uploadedSegments": delivery.uploaded_segments,
			"uploadedTo": delivery.uploaded_to,
			"finalized": true,
			"replicas": replicas,
			"seconds": phases,
			"encrypted": encrypted.is_some(),
			"plainSize": encrypted.as_ref().map(|(_, _, plain_size)| plain_size),
			"keyFile": options.encrypt_key_out.as_ref().map(|path| path.display().to_string()),
		});
		println!("{output}");
	} else {
		match &delivery.uploaded_to {
			Some(url) => println!(
				"uploaded {} segments to {url}: file #{file_id}, root {}, all {segments} \
				 segments stored",
				delivery.uploaded_segments,
				hexstr::root(&root)
			),
			None => println!("every provider holds file #{file_id} already: nothing to send"),
		}
		for replica in &replicas {
			println!("{}", describe_replica(replica));
		}
	}
	Ok(())
}

/// Seconds each phase of an upload took, for `--json` (and the throughput benchmark).
#[derive(Default, serde::Serialize)]
struct Phases {
	#[serde(skip)]
	started: Option<std::time::Instant>,
	/// Hashing the file into its tree.
	hash: f64,
	/// Submitting the commitment (or finding it) until it is in a best block and the chain
	/// drew the file's providers.
	commit: f64,
	/// Sending the segments to one node of an assigned provider, until it finalized the file.
	upload: f64,
	/// Waiting for every provider's acknowledgement.
	acknowledge: f64,
}

impl Phases {
	/// Seconds since the previous lap (or the start), starting the next.
	fn lap(&mut self) -> f64 {
		let now = std::time::Instant::now();
		let since = self.started.map_or(0.0, |started| (now - started).as_secs_f64());
		self.started = Some(now);
		since
	}
}

/// `#number (hash)` of an inclusion block.
fn describe_block(included: &Included) -> String {
	match included.block_number {
		Some(number) => format!("#{number} ({})", included.block_hash),
		None => included.block_hash.clone(),
	}
}

/// What `zerog storage download` was asked to do.
pub struct DownloadOptions {
	/// Root of the file.
	pub root: Hash,
	/// Its size, needed when several live files share the root.
	pub size: Option<u64>,
	/// Where to write it.
	pub output: PathBuf,
	/// Segment requests in flight at once.
	pub parallel: usize,
	/// Print one JSON object instead of text.
	pub json: bool,
	/// The content key of an encrypted file: the verified ciphertext is decrypted into
	/// `output` (nothing is written if a chunk fails to decrypt).
	pub decrypt_with: Option<ContentKey>,
}

/// `zerog storage download`: the file `(root, size)` as the chain commits it, from every
/// provider that acknowledged it in parallel, and from the node the client talks to.
pub async fn download(rpc_url: &str, options: DownloadOptions) -> Result<(), ClientError> {
	let DownloadOptions { root, size, ref output, parallel, json, decrypt_with } = options;
	let rpc = NodeRpc::connect(rpc_url).await?;
	let file = chain_file(&rpc, &root, size).await?;
	let sources = file_sources(&rpc, file.id, !json).await?;
	// An encrypted file is verified into a temporary file beside `output`, then decrypted
	// into `output`.
	let ciphertext = match decrypt_with {
		Some(_) => Some(temporary_beside(output)?),
		None => None,
	};
	let verified_to = ciphertext.as_ref().map_or(output.as_path(), |file| file.path());
	let reports =
		download_verified(&sources, root, file.size, verified_to, parallel, !json).await?;
	let plain_size = match (&ciphertext, decrypt_with) {
		(Some(ciphertext), Some(key)) => {
			Some(decrypt_file(ciphertext.path(), output, &key, !json)?)
		},
		_ => None,
	};
	let segments = segment_count(file.size);
	if json {
		let output = serde_json::json!({
			"root": hexstr::root(&root),
			"size": file.size,
			"decryptedSize": plain_size,
			"segments": segments,
			"fileId": file.id,
			"output": output.display().to_string(),
			"sources": reports,
		});
		println!("{output}");
	} else {
		println!(
			"downloaded {} ({} bytes, {segments} segments verified) to {}",
			hexstr::root(&root),
			file.size,
			output.display()
		);
		if let Some(plain_size) = plain_size {
			println!("decrypted: {plain_size} bytes, every chunk authenticated");
		}
		for report in reports.iter().filter(|report| report.segments > 0 || report.error.is_some())
		{
			match &report.error {
				None => println!("  {}: {} segments", report.url, report.segments),
				Some(error) => {
					println!(
						"  {}: {} segments, then dropped ({error})",
						report.url, report.segments
					)
				},
			}
		}
	}
	Ok(())
}

/// `zerog storage info`.
pub async fn info(rpc_url: &str, root: Hash, json: bool) -> Result<(), ClientError> {
	let rpc = NodeRpc::connect(rpc_url).await?;
	let info = rpc.file_info(&root).await?;
	if json {
		let text = serde_json::to_string_pretty(&info)
			.map_err(|error| ClientError::Input(format!("cannot print the file info: {error}")))?;
		println!("{text}");
		return Ok(());
	}
	println!("root      {}", info.root);
	match info.file_id {
		Some(id) => println!("file id   #{id}"),
		None => {
			println!("file id   none (the chain no longer knows this file; the node still has it)")
		},
	}
	if let Some(owner) = &info.owner {
		println!("owner     {owner}");
	}
	if let Some(expires_at) = info.expires_at {
		println!("expires   at block #{expires_at}");
	}
	println!("size      {} bytes ({} segments)", info.size, info.segments);
	let state = if info.finalized { "finalized" } else { "incomplete" };
	println!(
		"stored    {}/{} segments on this node ({state})",
		info.segments_stored, info.segments
	);
	Ok(())
}
