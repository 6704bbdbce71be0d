//! Segment transfers over the nodes' storage data planes (binary segments over HTTP, see
//! `crate::storage`): upload a file to one node, download one from several in parallel.
//!
//! An upload re-reads each segment from disk, checks it is the one that was hashed, and sends
//! it with its proof; a resumed upload sends only what the node lacks. A download asks segment
//! `i` first of source `i mod n`, checks every segment against the commitment the chain holds,
//! and on any failure (unreachable, refused, corrupt) asks the next source and stops asking the
//! one that failed; the bytes go to a temporary file renamed into place once every segment
//! verified.

use crate::rpc::NodeRpc;
use crate::storage::{DataClient, DataError, FileStatus};
use crate::{error::ClientError, hexstr, progress::bytes_bar};
use codec::{Decode, Encode};
use futures::{stream, StreamExt, TryStreamExt};
use serde::Serialize;
use std::{
	fs::File,
	io::{BufWriter, Read, Seek, SeekFrom, Write},
	path::{Path, PathBuf},
	sync::Mutex,
	time::{Duration, Instant},
};
use zerog_primitives::{
	storage::{segment_count, segment_len, segment_root, FileTree, SEGMENT_SIZE},
	Hash,
};

/// How many times an upload asks the node for missing segments before giving up: a segment can
/// only go missing again if the node lost it, which a second round repairs.
const UPLOAD_ROUNDS: usize = 3;

/// Indices asked for in one `missing` page.
const MISSING_PAGE: u64 = 4096;

/// Deadline of one data-plane request (a 256 KiB segment).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// How often a node is asked whether the file is finalized.
const POLL_INTERVAL: Duration = Duration::from_millis(500);

/// A live file as the runtime API `StorageCommitmentsApi_files_by_root` returns it
/// (`pallet_storage_commitments::FileSummary`).
#[derive(Clone, Debug, PartialEq, Eq, Decode)]
pub struct ChainFile {
	/// Its id in the chain's log.
	pub id: u64,
	/// Its root.
	pub root: [u8; 32],
	/// Its size in bytes.
	pub size: u64,
	/// The account that submitted it.
	pub owner: [u8; 32],
	/// Block it was submitted in.
	pub submitted_at: u32,
	/// First block at which it is expired.
	pub expires_at: u32,
	/// Replicas paid for.
	pub replicas_wanted: u8,
	/// Replicas acknowledged.
	pub replicas_acked: u32,
}

/// The live files the chain (at the node's best block) commits with `root`.
pub async fn chain_files(rpc: &NodeRpc, root: &Hash) -> Result<Vec<ChainFile>, ClientError> {
	let bytes = rpc.state_call("StorageCommitmentsApi_files_by_root", root.as_bytes()).await?;
	Vec::<ChainFile>::decode(&mut &bytes[..]).map_err(|error| {
		ClientError::Chain(format!(
			"cannot decode the files of root {}: {error}",
			hexstr::root(root)
		))
	})
}

/// The live file committed as exactly `(root, size)`, if there is one (the runtime API
/// `file_by_commitment`: an exact lookup no number of same-root commitments can hide).
pub async fn committed_file(
	rpc: &NodeRpc,
	root: &Hash,
	size: u64,
) -> Result<Option<ChainFile>, ClientError> {
	let mut args = root.as_bytes().to_vec();
	args.extend(size.encode());
	let bytes = rpc.state_call("StorageCommitmentsApi_file_by_commitment", &args).await?;
	Option::<ChainFile>::decode(&mut &bytes[..]).map_err(|error| {
		ClientError::Chain(format!(
			"cannot decode the file {} of {size} bytes: {error}",
			hexstr::root(root)
		))
	})
}

/// The one live file with `root` (and `size`, when given), or an error that says why there is
/// none or which sizes to choose from.
pub async fn chain_file(
	rpc: &NodeRpc,
	root: &Hash,
	size: Option<u64>,
) -> Result<ChainFile, ClientError> {
	if let Some(size) = size {
		if let Some(file) = committed_file(rpc, root, size).await? {
			return Ok(file);
		}
	}
	let files = chain_files(rpc, root).await?;
	let mut matching: Vec<ChainFile> =
		files.iter().filter(|file| size.is_none_or(|size| file.size == size)).cloned().collect();
	match (matching.len(), size) {
		(1, _) => Ok(matching.remove(0)),
		(0, Some(size)) => Err(ClientError::Input(format!(
			"no live file with root {} and size {size} is committed on chain",
			hexstr::root(root)
		))),
		(0, None) => Err(ClientError::Input(format!(
			"no live file with root {} is committed on chain",
			hexstr::root(root)
		))),
		_ => {
			let sizes: Vec<String> = matching.iter().map(|file| file.size.to_string()).collect();
			Err(ClientError::Input(format!(
				"{} live files share root {} (sizes {}); choose one with --size",
				matching.len(),
				hexstr::root(root),
				sizes.join(", ")
			)))
		},
	}
}

/// The data-plane URL of the node behind the RPC endpoint `rpc_url` whose data plane listens on
/// `port`: the same host, over `http://`.
pub fn data_url(rpc_url: &str, port: u16) -> String {
	let rest = rpc_url.split_once("://").map_or(rpc_url, |(_, rest)| rest);
	let authority = rest.split('/').next().unwrap_or_default();
	let host = match authority.rsplit_once(':') {
		// `[::1]:9944` and `host:9944`; an IPv6 address without a port has `]` last.
		Some((host, port)) if !port.contains(']') => host,
		_ => authority,
	};
	format!("http://{host}:{port}")
}

/// A client of the data plane of the node the RPC connection `rpc` talks to, if it serves one.
pub async fn node_data_client(rpc: &NodeRpc) -> Result<Option<DataClient>, ClientError> {
	let Some(port) = rpc.data_port().await? else { return Ok(None) };
	Ok(Some(DataClient::new(&data_url(rpc.url(), port), REQUEST_TIMEOUT)?))
}

/// Where file `file_id` can be downloaded from: the data planes of the providers that
/// acknowledged it, then that of the node `rpc` talks to. With `warn`, endpoints that are not
/// data-plane URLs are reported on stderr.
pub async fn file_sources(
	rpc: &NodeRpc,
	file_id: u64,
	warn: bool,
) -> Result<Vec<DataClient>, ClientError> {
	let mut sources: Vec<DataClient> = Vec::new();
	for replica in crate::replicas::replicas(rpc, file_id).await?.iter().filter(|r| r.acked) {
		let endpoint = String::from_utf8_lossy(&replica.endpoint).into_owned();
		match DataClient::new(&endpoint, REQUEST_TIMEOUT) {
			Ok(client) if !sources.iter().any(|known| known.url() == client.url()) => {
				sources.push(client)
			},
			Ok(_) => {},
			Err(error) if warn => eprintln!("skipping a provider's endpoint: {error}"),
			Err(_) => {},
		}
	}
	// The node the client talks to is asked last: providers first, so the load spreads.
	if let Some(node) = node_data_client(rpc).await? {
		if !sources.iter().any(|known| known.url() == node.url()) {
			sources.push(node);
		}
	}
	Ok(sources)
}

/// Sends every segment of the file at `path` (hashed into `tree`, committed on chain) that the
/// node behind `data` lacks, `parallel` at a time, and waits up to `timeout` for it to report
/// the file finalized. Returns how many segments were sent and the node's final status.
///
/// Segments already held are skipped, so an interrupted upload resumes; a segment the node
/// loses again is sent again, up to a few rounds.
pub async fn upload_segments(
	data: &DataClient,
	tree: &FileTree,
	path: &Path,
	parallel: usize,
	timeout: Duration,
	show_progress: bool,
) -> Result<(u64, FileStatus), ClientError> {
	let file =
		Mutex::new(File::open(path).map_err(|error| ClientError::io(path, "opening", error))?);
	let context = UploadContext { data, tree, file: &file, path };
	let mut uploaded: u64 = 0;
	for round in 0..UPLOAD_ROUNDS {
		let missing = context.missing().await?;
		if missing.is_empty() {
			return Ok((uploaded, context.wait_finalized(timeout).await?));
		}
		if round > 0 && show_progress {
			eprintln!("{} still lacks {} segments; sending them again", data.url(), missing.len());
		}
		uploaded += context.send(&missing, parallel, show_progress).await?;
	}
	let missing = context.missing().await?;
	if !missing.is_empty() {
		return Err(ClientError::Verification(format!(
			"the node at {} still lacks {} segments of {} after {UPLOAD_ROUNDS} rounds",
			data.url(),
			missing.len(),
			hexstr::root(&tree.root())
		)));
	}
	Ok((uploaded, context.wait_finalized(timeout).await?))
}

/// What every segment upload of one file shares.
struct UploadContext<'a> {
	data: &'a DataClient,
	tree: &'a FileTree,
	file: &'a Mutex<File>,
	path: &'a Path,
}

impl UploadContext<'_> {
	/// Every segment index the node does not hold, page by page.
	async fn missing(&self) -> Result<Vec<u64>, ClientError> {
		let (root, size) = (self.tree.root(), self.tree.file_size());
		let mut missing = Vec::new();
		let mut from = 0;
		loop {
			let page = self.data.missing(&root, size, from, MISSING_PAGE).await?;
			let Some(last) = page.last().copied() else { break };
			let full_page = page.len() as u64 >= MISSING_PAGE;
			missing.extend(page);
			if !full_page {
				break;
			}
			from = last.saturating_add(1);
		}
		Ok(missing)
	}

	/// Polls the node until it reports the file finalized.
	async fn wait_finalized(&self, timeout: Duration) -> Result<FileStatus, ClientError> {
		let (root, size) = (self.tree.root(), self.tree.file_size());
		let deadline = Instant::now() + timeout;
		loop {
			let status = self.data.status(&root, size).await?;
			if status.finalized {
				return Ok(status);
			}
			if Instant::now() >= deadline {
				return Err(ClientError::Timeout(format!(
					"{} holds {}/{} segments of {} but has not reported the file finalized \
					 after {} s",
					self.data.url(),
					status.segments_stored,
					status.segments,
					hexstr::root(&root),
					timeout.as_secs()
				)));
			}
			tokio::time::sleep(POLL_INTERVAL).await;
		}
	}

	/// Uploads the segments `indices`, `parallel` at a time, with a progress bar over the whole
	/// file; the number of segments sent.
	async fn send(
		&self,
		indices: &[u64],
		parallel: usize,
		visible: bool,
	) -> Result<u64, ClientError> {
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
	async fn send_one(&self, index: u64) -> Result<usize, ClientError> {
		let segment = self.read_segment(index)?;
		if segment_root(&segment).ok() != self.tree.segment_root(index) {
			return Err(ClientError::Input(format!(
				"{} changed since it was hashed (segment {index} differs): upload stopped; run \
				 the upload again to commit the new contents",
				self.path.display()
			)));
		}
		let proof = self.tree.segment_proof(index).map_err(|error| {
			ClientError::Input(format!(
				"cannot prove segment {index} of {}: {error}",
				self.path.display()
			))
		})?;
		let len = segment.len();
		let (root, size) = (self.tree.root(), self.tree.file_size());
		self.data.put_segment(&root, size, index, segment, proof).await?;
		Ok(len)
	}

	/// The bytes of segment `index` of the file on disk.
	fn read_segment(&self, index: u64) -> Result<Vec<u8>, ClientError> {
		let len = segment_len(self.tree.file_size(), index).ok_or_else(|| {
			ClientError::Input(format!(
				"the node asked for segment {index}, past the end of the file"
			))
		})?;
		let offset = index.saturating_mul(SEGMENT_SIZE as u64);
		let mut segment = vec![0u8; len];
		// A poisoned lock only means another upload panicked; the file handle is still fine.
		let mut file = self.file.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
		file.seek(SeekFrom::Start(offset))
			.and_then(|_| file.read_exact(&mut segment))
			.map_err(|error| ClientError::io(self.path, "reading", error))?;
		Ok(segment)
	}
}

/// What one source did for a download.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SourceReport {
	/// The source's data-plane URL.
	pub url: String,
	/// Segments it served that verified.
	pub segments: u64,
	/// Why it was dropped, if it was.
	pub error: Option<String>,
}

/// Downloads the file `(root, size)` from `sources` to `output`, `parallel` segments at a time,
/// checking every segment's proof against the commitment before it is written (see the module
/// documentation); returns what each source did.
///
/// The bytes go to a temporary file next to `output` that is renamed into place only once every
/// segment verified; on any failure nothing is left behind.
pub async fn download_verified(
	sources: &[DataClient],
	root: Hash,
	size: u64,
	output: &Path,
	parallel: usize,
	show_progress: bool,
) -> Result<Vec<SourceReport>, ClientError> {
	if sources.is_empty() {
		return Err(ClientError::Input(format!(
			"nobody serves {}: no provider acknowledged it and the node serves no data plane",
			hexstr::root(&root)
		)));
	}
	let directory = match output.parent() {
		Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
		_ => PathBuf::from("."),
	};
	// The temporary file is deleted when dropped, so any early return leaves nothing behind.
	let partial = tempfile::Builder::new()
		.prefix(".zerog-download-")
		.tempfile_in(&directory)
		.map_err(|error| ClientError::io(&directory, "creating a temporary file in", error))?;
	let partial_path = partial.path().to_path_buf();
	let mut writer = BufWriter::new(partial);
	let bar = bytes_bar("download", size, 0, show_progress);
	let reports = Mutex::new(
		sources
			.iter()
			.map(|source| SourceReport { url: source.url().to_owned(), segments: 0, error: None })
			.collect::<Vec<_>>(),
	);

	let fetch = |index: u64| {
		let reports = &reports;
		async move {
			let count = sources.len();
			for attempt in 0..count {
				let which = (index as usize).wrapping_add(attempt) % count;
				if lock(reports)[which].error.is_some() {
					continue;
				}
				match sources[which].get_segment(&root, size, index).await {
					Ok(data) => {
						lock(reports)[which].segments += 1;
						return Ok(data);
					},
					Err(error) => {
						let reason = format!("segment {index}: {error}");
						lock(reports)[which].error.get_or_insert(reason);
					},
				}
			}
			Err(no_source_left(&root, index, &lock(reports)))
		}
	};
	let mut fetches = stream::iter(0..segment_count(size)).map(fetch).buffered(parallel.max(1));
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
			.map_err(|error| ClientError::io(&partial_path, "writing", error))?;
		bar.inc(segment.len() as u64);
	}
	bar.finish_and_clear();
	drop(fetches);
	let partial = writer
		.into_inner()
		.map_err(|error| ClientError::io(&partial_path, "writing", error.into_error()))?;
	partial
		.as_file()
		.sync_all()
		.map_err(|error| ClientError::io(&partial_path, "writing", error))?;
	partial
		.persist(output)
		.map_err(|error| ClientError::io(output, "renaming into", error.error))?;
	Ok(reports.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner()))
}

/// The error when every source failed segment `index`: a verification error if any source sent
/// corrupt data, else the reasons of each.
fn no_source_left(root: &Hash, index: u64, reports: &[SourceReport]) -> ClientError {
	let reasons: Vec<String> = reports
		.iter()
		.filter_map(|report| report.error.as_ref().map(|error| format!("{}: {error}", report.url)))
		.collect();
	let message = format!(
		"no source could serve segment {index} of {} ({}); nothing was written",
		hexstr::root(root),
		reasons.join("; ")
	);
	if reasons.iter().any(|reason| reason.contains("corrupt data")) {
		ClientError::Verification(message)
	} else {
		ClientError::Data(DataError::Unreachable(message))
	}
}

/// Takes a lock; a poisoned one is taken anyway (the data is plain bookkeeping).
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
	mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The file id of the live commitment of `(root, size)` that the node's chain knows, if any: a
/// file committed with that root and size needs no second `submit`.
pub async fn live_commitment(
	rpc: &NodeRpc,
	root: &Hash,
	size: u64,
) -> Result<Option<u64>, ClientError> {
	Ok(committed_file(rpc, root, size).await?.map(|file| file.id))
}

#[cfg(test)]
mod tests;
