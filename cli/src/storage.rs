//! `zerog storage`: upload a file (commit its root on chain, then push its segments with
//! proofs), download one (verifying every segment against the committed root), and show what
//! a node knows about one.
//!
//! Files are streamed: uploading keeps only the segment roots in memory (32 bytes per 256 KiB)
//! and re-reads each segment from disk when it is sent; downloading writes each verified
//! segment to a temporary file that is renamed into place only once all of them verified.

use crate::{
	chain::{keypair_from_suri, Chain, Included},
	error::CliError,
	hexstr,
	progress::bytes_bar,
	replicas::{
		describe as describe_replica, push_to_replicas, record_acks, wait_for_acks,
		wait_for_replicas, ASSIGNMENT_TIMEOUT,
	},
	rpc::{FileInfo, NodeRpc, MISSING_PAGE_LIMIT, STORAGE_UNKNOWN_FILE},
};
use codec::{Decode, Encode};
use futures::{stream, StreamExt, TryStreamExt};
use std::{
	fs::File,
	io::{BufWriter, Read, Seek, SeekFrom, Write},
	path::{Path, PathBuf},
	sync::Mutex,
	time::{Duration, Instant},
};
use subxt::dynamic::{self, Value};
use zerog_primitives::{
	storage::{
		segment_count, segment_len, segment_root, FileTree, SegmentProof, SegmentRoot,
		MAX_FILE_SIZE, SEGMENT_SIZE,
	},
	Hash,
};

/// How many times the upload asks the node for missing segments before giving up: a segment
/// can only go missing again if the node lost it, which a second round repairs.
const UPLOAD_ROUNDS: usize = 3;

/// Replicas a file asks for when the user does not say.
pub const DEFAULT_REPLICAS: u8 = 3;

/// How often the node is asked whether the file is finalized.
const POLL_INTERVAL: Duration = Duration::from_millis(500);

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
}

/// Size and segment roots of everything `reader` yields, read one segment at a time;
/// `on_bytes` is told how many bytes each segment had (for a progress bar).
pub fn hash_segments(
	mut reader: impl Read,
	mut on_bytes: impl FnMut(usize),
) -> std::io::Result<(u64, Vec<SegmentRoot>)> {
	let mut buffer = vec![0u8; SEGMENT_SIZE];
	let mut roots = Vec::new();
	let mut size: u64 = 0;
	loop {
		let len = read_full(&mut reader, &mut buffer)?;
		if len == 0 {
			break;
		}
		roots.push(segment_root(&buffer[..len]).map_err(std::io::Error::other)?);
		size = size.saturating_add(len as u64);
		on_bytes(len);
		if len < SEGMENT_SIZE {
			break;
		}
	}
	Ok((size, roots))
}

/// Reads until `buffer` is full or the reader ends; the number of bytes read.
fn read_full(reader: &mut impl Read, buffer: &mut [u8]) -> std::io::Result<usize> {
	let mut filled = 0;
	while filled < buffer.len() {
		match reader.read(&mut buffer[filled..]) {
			Ok(0) => break,
			Ok(read) => filled += read,
			Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
			Err(error) => return Err(error),
		}
	}
	Ok(filled)
}

/// The file tree of the file at `path`, streamed from disk with a progress bar.
pub fn tree_of_file(path: &Path, show_progress: bool) -> Result<FileTree, CliError> {
	let file = File::open(path).map_err(|error| CliError::io(path, "opening", error))?;
	let expected = file.metadata().map_err(|error| CliError::io(path, "reading", error))?.len();
	if expected == 0 {
		return Err(CliError::Input(format!(
			"{} is empty: the chain only commits files of at least one byte",
			path.display()
		)));
	}
	if expected > MAX_FILE_SIZE {
		return Err(CliError::Input(format!(
			"{} has {expected} bytes, more than the largest committable file ({MAX_FILE_SIZE} \
			 bytes)",
			path.display()
		)));
	}
	let bar = bytes_bar("hashing", expected, 0, show_progress);
	let (size, roots) = hash_segments(std::io::BufReader::new(file), |len| bar.inc(len as u64))
		.map_err(|error| CliError::io(path, "reading", error))?;
	bar.finish_and_clear();
	FileTree::from_segment_roots(size, roots)
		.map_err(|error| CliError::Input(format!("cannot hash {}: {error}", path.display())))
}

/// `zerog storage upload`.
pub async fn upload(rpc_url: &str, options: UploadOptions) -> Result<(), CliError> {
	if let Some(empty) = options.tags.iter().position(String::is_empty) {
		return Err(CliError::Input(format!("tag #{} is empty; tags must not be", empty + 1)));
	}
	let signer = keypair_from_suri(&options.suri)?;
	let show_progress = !options.json;
	let path = options.file.as_path();
	let tree = tree_of_file(path, show_progress)?;
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
						return Err(CliError::Chain(
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

	let (uploaded, info) =
		upload_segments(&rpc, &tree, path, options.parallel, options.timeout, show_progress)
			.await?;

	// The chain draws the file's providers in a block after the `submit`; each provider's node
	// that does not have the file yet gets it from here (or else from another provider).
	let mut replicas = match info.file_id {
		Some(file_id) => {
			let assigned = wait_for_replicas(&rpc, file_id, ASSIGNMENT_TIMEOUT).await?;
			if assigned.is_empty() {
				eprintln!(
					"warning: no provider was assigned file #{file_id} within {} s (no room, or a \
					 long queue); the chain assigns it later",
					ASSIGNMENT_TIMEOUT.as_secs()
				);
			}
			let (parallel, timeout) = (options.parallel, options.timeout);
			push_to_replicas(&assigned, rpc.url(), &tree, path, parallel, timeout, show_progress)
				.await
		},
		None => Vec::new(),
	};
	// Done once the providers acknowledged: from then on they answer challenges for the file.
	if let (Some(file_id), false) = (info.file_id, replicas.is_empty()) {
		if show_progress {
			eprintln!("waiting for {} provider(s) to acknowledge the file", replicas.len());
		}
		let settled = wait_for_acks(&rpc, file_id, options.timeout).await?;
		record_acks(&mut replicas, &settled, file_id, options.timeout)?;
	}

	if options.json {
		let output = serde_json::json!({
			"root": hexstr::root(&root),
			"size": size,
			"segments": segments,
			"fileId": info.file_id,
			"submitted": included.is_some(),
			"block": included.as_ref().map(|included| included.block_hash.clone()),
			"blockNumber": included.as_ref().and_then(|included| included.block_number),
			"uploadedSegments": uploaded,
			"finalized": info.finalized,
			"replicas": replicas,
		});
		println!("{output}");
	} else {
		let id = info.file_id.map(|id| format!("#{id}")).unwrap_or_else(|| "unknown".into());
		println!("uploaded {uploaded} segments");
		println!(
			"finalized: file {id}, root {}, all {} segments stored",
			hexstr::root(&root),
			info.segments
		);
		for replica in &replicas {
			println!("{}", describe_replica(replica));
		}
	}
	Ok(())
}

/// The file id of the live commitment of `(root, size)` that the node's chain knows, if any: a
/// file committed with that root and size needs no second `submit`.
pub async fn live_commitment(
	rpc: &NodeRpc,
	root: &Hash,
	size: u64,
) -> Result<Option<u64>, CliError> {
	match rpc.file_info(root).await {
		Ok(info) if info.size == size && info.file_id.is_some() => Ok(info.file_id),
		Ok(_) => Ok(None),
		Err(error) if error.code() == Some(STORAGE_UNKNOWN_FILE) => Ok(None),
		Err(error) => Err(error.into()),
	}
}

/// Sends every segment of the file at `path` (hashed into `tree`, committed on chain) that the
/// node lacks, `parallel` at a time, and waits up to `timeout` for the node to report the file
/// finalized. Returns how many segments were sent and the node's final file info.
///
/// Segments already held are skipped, so an interrupted upload resumes; a segment the node
/// loses again is sent again, up to a few rounds.
pub async fn upload_segments(
	rpc: &NodeRpc,
	tree: &FileTree,
	path: &Path,
	parallel: usize,
	timeout: Duration,
	show_progress: bool,
) -> Result<(u64, FileInfo), CliError> {
	let root = tree.root();
	let file = Mutex::new(File::open(path).map_err(|error| CliError::io(path, "opening", error))?);
	let mut uploaded: u64 = 0;
	for round in 0..UPLOAD_ROUNDS {
		let missing = missing_segments(rpc, &root).await?;
		if missing.is_empty() {
			return Ok((uploaded, wait_finalized(rpc, &root, timeout).await?));
		}
		if round > 0 && show_progress {
			eprintln!("the node still lacks {} segments; sending them again", missing.len());
		}
		let context = UploadContext { rpc, tree, file: &file, path };
		uploaded += context.send(&missing, parallel, show_progress).await?;
	}
	let missing = missing_segments(rpc, &root).await?;
	if !missing.is_empty() {
		return Err(CliError::Verification(format!(
			"the node at {} still lacks {} segments of {} after {UPLOAD_ROUNDS} rounds",
			rpc.url(),
			missing.len(),
			hexstr::root(&root)
		)));
	}
	Ok((uploaded, wait_finalized(rpc, &root, timeout).await?))
}

/// What every segment upload of one file shares.
struct UploadContext<'a> {
	rpc: &'a NodeRpc,
	tree: &'a FileTree,
	file: &'a Mutex<File>,
	path: &'a Path,
}

impl UploadContext<'_> {
	/// Uploads the segments `indices`, `parallel` at a time, with a progress bar over the whole
	/// file; the number of segments sent.
	async fn send(&self, indices: &[u64], parallel: usize, visible: bool) -> Result<u64, CliError> {
		let size = self.tree.file_size();
		let missing_bytes: u64 = indices
			.iter()
			.filter_map(|index| segment_len(size, *index))
			.map(|len| len as u64)
			.sum();
		let bar = bytes_bar("upload", size, size.saturating_sub(missing_bytes), visible);
		let sent = stream::iter(indices.iter().copied())
			.map(|index| self.send_one(index))
			.buffer_unordered(parallel.max(1))
			.try_fold(0u64, |sent, bytes| {
				bar.inc(bytes as u64);
				async move { Ok(sent + 1) }
			})
			.await;
		match &sent {
			Ok(_) => bar.finish_and_clear(),
			Err(_) => bar.abandon(),
		}
		sent
	}

	/// Re-reads segment `index` from disk, checks it is the segment that was hashed, and sends it
	/// with its proof; the number of bytes sent.
	async fn send_one(&self, index: u64) -> Result<usize, CliError> {
		let root = self.tree.root();
		let segment = self.read_segment(index)?;
		let expected = self.tree.segment_root(index);
		if segment_root(&segment).ok() != expected {
			return Err(CliError::Input(format!(
				"{} changed since it was hashed (segment {index} differs): upload stopped; run \
				 the upload again to commit the new contents",
				self.path.display()
			)));
		}
		let proof = self.tree.segment_proof(index).map_err(|error| {
			CliError::Input(format!(
				"cannot prove segment {index} of {}: {error}",
				self.path.display()
			))
		})?;
		self.rpc.upload_segment(&root, index, &segment, &proof.encode()).await?;
		Ok(segment.len())
	}

	/// The bytes of segment `index` of the file on disk.
	fn read_segment(&self, index: u64) -> Result<Vec<u8>, CliError> {
		let len = segment_len(self.tree.file_size(), index).ok_or_else(|| {
			CliError::Input(format!("the node asked for segment {index}, past the end of the file"))
		})?;
		let offset = index.saturating_mul(SEGMENT_SIZE as u64);
		let mut segment = vec![0u8; len];
		// A poisoned lock only means another upload panicked; the file handle is still fine.
		let mut file = self.file.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
		file.seek(SeekFrom::Start(offset))
			.and_then(|_| file.read_exact(&mut segment))
			.map_err(|error| CliError::io(self.path, "reading", error))?;
		Ok(segment)
	}
}

/// Every segment index of `root` the node does not hold, asked page by page.
async fn missing_segments(rpc: &NodeRpc, root: &Hash) -> Result<Vec<u64>, CliError> {
	let mut missing = Vec::new();
	let mut from = 0;
	loop {
		let page = rpc.missing_segments(root, from, MISSING_PAGE_LIMIT).await?;
		let Some(last) = page.last().copied() else { break };
		let full_page = page.len() >= MISSING_PAGE_LIMIT as usize;
		missing.extend(page);
		if !full_page {
			break;
		}
		from = last.saturating_add(1);
	}
	Ok(missing)
}

/// Polls `storage_fileInfo` until the node reports the file finalized.
async fn wait_finalized(
	rpc: &NodeRpc,
	root: &Hash,
	timeout: Duration,
) -> Result<FileInfo, CliError> {
	let deadline = Instant::now() + timeout;
	loop {
		let info = rpc.file_info(root).await?;
		if info.finalized {
			return Ok(info);
		}
		if Instant::now() >= deadline {
			return Err(CliError::Timeout(format!(
				"the node holds {}/{} segments of {} but has not reported the file finalized \
				 after {} s",
				info.segments_stored,
				info.segments,
				hexstr::root(root),
				timeout.as_secs()
			)));
		}
		tokio::time::sleep(POLL_INTERVAL).await;
	}
}

/// `#number (hash)` of an inclusion block.
fn describe_block(included: &Included) -> String {
	match included.block_number {
		Some(number) => format!("#{number} ({})", included.block_hash),
		None => included.block_hash.clone(),
	}
}

/// Checks segment `index` (bytes and SCALE proof from a node) against the committed
/// `(root, size)`.
pub fn verify_segment(
	root: &Hash,
	size: u64,
	index: u64,
	data: &[u8],
	proof: &[u8],
) -> Result<(), String> {
	let proof = SegmentProof::decode(&mut &proof[..])
		.map_err(|error| format!("segment {index}: the proof does not decode: {error}"))?;
	proof.verify(root, size, index, data).map_err(|error| format!("segment {index}: {error}"))
}

/// `zerog storage download`.
pub async fn download(
	rpc_url: &str,
	root: Hash,
	output: &Path,
	parallel: usize,
	json: bool,
) -> Result<(), CliError> {
	let rpc = NodeRpc::connect(rpc_url).await?;
	let info = download_verified(&rpc, root, output, parallel, !json).await?;
	let (size, segments) = (info.size, segment_count(info.size));
	if json {
		let output = serde_json::json!({
			"root": hexstr::root(&root),
			"size": size,
			"segments": segments,
			"fileId": info.file_id,
			"output": output.display().to_string(),
		});
		println!("{output}");
	} else {
		println!(
			"downloaded {} ({size} bytes, {segments} segments verified) to {}",
			hexstr::root(&root),
			output.display()
		);
	}
	Ok(())
}

/// Downloads the file with `root` from the node to `output`, `parallel` segments at a time,
/// checking every segment's proof against the root before it is written; returns the node's
/// file info.
///
/// The bytes go to a temporary file next to `output` that is renamed into place only once every
/// segment verified; on any failure nothing is left behind.
pub async fn download_verified(
	rpc: &NodeRpc,
	root: Hash,
	output: &Path,
	parallel: usize,
	show_progress: bool,
) -> Result<FileInfo, CliError> {
	let info = rpc.file_info(&root).await?;
	let size = info.size;
	let segments = segment_count(size);
	let directory = match output.parent() {
		Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
		_ => PathBuf::from("."),
	};
	// The temporary file is deleted when dropped, so any early return leaves nothing behind.
	let partial = tempfile::Builder::new()
		.prefix(".zerog-download-")
		.tempfile_in(&directory)
		.map_err(|error| CliError::io(&directory, "creating a temporary file in", error))?;
	let partial_path = partial.path().to_path_buf();
	let mut writer = BufWriter::new(partial);
	let bar = bytes_bar("download", size, 0, show_progress);

	let mut fetches = stream::iter(0..segments)
		.map(|index| async move {
			let (data, proof) = rpc.download_segment(&root, index).await?;
			verify_segment(&root, size, index, &data, &proof).map_err(|reason| {
				CliError::Verification(format!(
					"{reason}; the data from {} is corrupt, nothing was written to {}",
					rpc.url(),
					output.display()
				))
			})?;
			Ok::<_, CliError>(data)
		})
		.buffered(parallel.max(1));
	while let Some(segment) = fetches.next().await {
		let segment = match segment {
			Ok(segment) => segment,
			Err(error) => {
				bar.abandon();
				return Err(error);
			},
		};
		writer
			.write_all(&segment)
			.map_err(|error| CliError::io(&partial_path, "writing", error))?;
		bar.inc(segment.len() as u64);
	}
	bar.finish_and_clear();
	let partial = writer
		.into_inner()
		.map_err(|error| CliError::io(&partial_path, "writing", error.into_error()))?;
	partial.as_file().sync_all().map_err(|error| CliError::io(&partial_path, "writing", error))?;
	partial.persist(output).map_err(|error| CliError::io(output, "renaming into", error.error))?;
	Ok(info)
}

/// `zerog storage info`.
pub async fn info(rpc_url: &str, root: Hash, json: bool) -> Result<(), CliError> {
	let rpc = NodeRpc::connect(rpc_url).await?;
	let info = rpc.file_info(&root).await?;
	if json {
		let text = serde_json::to_string_pretty(&info)
			.map_err(|error| CliError::Input(format!("cannot print the file info: {error}")))?;
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

#[cfg(test)]
mod tests {
	use super::*;

	/// Deterministic bytes that are not all equal, so roots of different sizes differ.
	fn bytes(len: usize) -> Vec<u8> {
		(0..len).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect()
	}

	#[test]
	fn streamed_root_equals_file_tree_root() {
		let sizes = [
			0,
			1,
			255,
			256,
			SEGMENT_SIZE - 1,
			SEGMENT_SIZE,
			SEGMENT_SIZE + 1,
			2 * SEGMENT_SIZE,
			2 * SEGMENT_SIZE + 7,
			3 * SEGMENT_SIZE,
			3 * SEGMENT_SIZE + 1,
		];
		for size in sizes {
			let file = bytes(size);
			let mut seen = 0;
			// A reader that hands out odd-sized pieces, like a pipe would.
			let reader = std::io::Read::chain(&file[..size / 3], &file[size / 3..]);
			let (streamed_size, roots) = hash_segments(reader, |len| seen += len).unwrap();
			assert_eq!(streamed_size, size as u64);
			assert_eq!(seen, size);
			assert_eq!(roots.len() as u64, segment_count(size as u64));
			let streamed = FileTree::from_segment_roots(streamed_size, roots).unwrap();
			assert_eq!(streamed.root(), FileTree::new(&file).unwrap().root(), "size {size}");
		}
	}

	#[test]
	fn downloaded_segments_verify_and_corruption_is_caught() {
		let file = bytes(2 * SEGMENT_SIZE + 100);
		let tree = FileTree::new(&file).unwrap();
		let (root, size) = (tree.root(), file.len() as u64);
		let last = &file[2 * SEGMENT_SIZE..];
		let proof = tree.segment_proof(2).unwrap().encode();
		assert_eq!(verify_segment(&root, size, 2, last, &proof), Ok(()));

		let mut corrupt = last.to_vec();
		corrupt[10] ^= 1;
		let error = verify_segment(&root, size, 2, &corrupt, &proof).unwrap_err();
		assert!(error.contains("segment 2"), "{error}");
		// A proof for another segment, a truncated segment and an undecodable proof all fail.
		let other = tree.segment_proof(1).unwrap().encode();
		assert!(verify_segment(&root, size, 2, last, &other).is_err());
		assert!(verify_segment(&root, size, 2, &last[1..], &proof).is_err());
		assert!(verify_segment(&root, size, 2, last, &[0xff]).unwrap_err().contains("decode"));
	}

	/// A stand-in node that serves `file` but flips a byte of segment `corrupt_segment`.
	async fn corrupting_node(
		file: Vec<u8>,
		corrupt_segment: u64,
	) -> (String, jsonrpsee::server::ServerHandle) {
		use jsonrpsee::{server::Server, types::ErrorObjectOwned, RpcModule};
		let tree = FileTree::new(&file).unwrap();
		let info = serde_json::json!({
			"root": hexstr::root(&tree.root()), "fileId": 1, "size": file.len(),
			"segments": segment_count(file.len() as u64), "segmentsStored": segment_count(file.len() as u64),
			"finalized": true, "owner": null, "expiresAt": null,
		});
		let mut module = RpcModule::new(());
		module
			.register_method("storage_fileInfo", move |_, _, _| {
				Ok::<_, ErrorObjectOwned>(info.clone())
			})
			.unwrap();
		module
			.register_method("storage_downloadSegment", move |params, _, _| {
				let (_root, index): (String, u64) = params.parse()?;
				let start = index as usize * SEGMENT_SIZE;
				let mut data = file[start..(start + SEGMENT_SIZE).min(file.len())].to_vec();
				if index == corrupt_segment {
					data[7] ^= 0x40;
				}
				let proof = tree.segment_proof(index).unwrap().encode();
				Ok::<_, ErrorObjectOwned>(serde_json::json!({
					"data": hexstr::encode(&data), "proof": hexstr::encode(&proof),
				}))
			})
			.unwrap();
		let server = Server::builder().build("127.0.0.1:0").await.unwrap();
		let url = format!("ws://{}", server.local_addr().unwrap());
		(url, server.start(module))
	}

	#[tokio::test(flavor = "multi_thread")]
	async fn a_corrupt_segment_aborts_the_download_and_leaves_nothing() {
		let file = bytes(3 * SEGMENT_SIZE + 33);
		let root = FileTree::new(&file).unwrap().root();
		let dir = tempfile::tempdir().unwrap();
		let output = dir.path().join("out.bin");

		// Every segment verifies: the file arrives whole.
		let (url, server) = corrupting_node(file.clone(), u64::MAX).await;
		download(&url, root, &output, 2, true).await.unwrap();
		assert!(std::fs::read(&output).unwrap() == file);
		std::fs::remove_file(&output).unwrap();
		server.stop().unwrap();

		// Segment 2 is corrupt: the download stops, names it, and leaves no file behind.
		let (url, server) = corrupting_node(file, 2).await;
		let error = download(&url, root, &output, 2, true).await.unwrap_err();
		assert!(matches!(error, CliError::Verification(_)), "{error}");
		let message = error.to_string();
		assert!(message.contains("segment 2") && message.contains("corrupt"), "{message}");
		let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
		assert!(left.is_empty(), "partial files left: {left:?}");
		server.stop().unwrap();
	}
}
