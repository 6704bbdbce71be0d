//! `storage_*`: upload and download of file segments with proofs, and what the node's store
//! holds. (Challenges are answered from the store through host functions, see
//! `crate::provider_store`: no RPC method hands out chunk proofs.)
//!
//! A segment is accepted only if a live file with its root is committed in the node's best block
//! and the segment's proof verifies against that file's `(root, size)`; everything else is
//! refused with a [`StorageRpcError`] and nothing is written. Reads are served from the node's
//! [`DataStore`], also for files the chain has since forgotten.

use std::sync::Arc;

use codec::{DecodeAll, Encode};
use jsonrpsee::{core::RpcResult, types::ErrorObjectOwned};
use polkadot_sdk::sp_core::{
	crypto::{Ss58AddressFormat, Ss58Codec},
	H256,
};
use zerog_primitives::{
	hex::{decode_hex, parse_h256, to_prefixed_hex},
	storage::{segment_count, segment_len, ProofError, SegmentProof, SEGMENT_SIZE},
	units::SS58_PREFIX,
};

pub use zerog_client::{
	rpc::storage::{DownloadedSegment, FileInfo, StorageApiServer},
	storage::{FileStatus, MissingSegments, UploadedSegment},
};

use super::chain::{ChainFile, StorageChain};
use crate::data_store::{DataStore, StoreError, StoredFile};
use zerog_client::storage as codes;

/// Log target of the storage data plane.
pub const LOG_TARGET: &str = "zerog-storage";

/// Most indices one `storage_missingSegments` call returns.
pub const MAX_MISSING_LIMIT: u64 = 4096;

/// Why a storage RPC call was refused; each maps to its own JSON-RPC error code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StorageRpcError {
	/// 6001: no live file with this root is on chain (and, for reads, none is in the store).
	UnknownFile(H256),
	/// 6001: no live file is committed as exactly `(root, size)` (and, for reads, none is stored).
	UnknownCommitment {
		/// The root asked for.
		root: H256,
		/// The size asked for.
		size: u64,
	},
	/// 6002: the segment's proof does not verify against the committed file.
	InvalidProof(String),
	/// 6003: a parameter is malformed or out of range.
	InvalidParams(String),
	/// 6004: the file is known but the node does not hold the asked part of it.
	NotStored(String),
	/// 6005: the data store or the chain state could not be read or written.
	Store(String),
	/// 6006: the file is not assigned to a storage provider of this node, so the node does not
	/// store it.
	NotAssigned(String),
	/// 6007: the data store is at its quota or the disk at its free-space reserve.
	Full(String),
}

impl StorageRpcError {
	/// The JSON-RPC error code.
	pub fn code(&self) -> i32 {
		match self {
			Self::UnknownFile(_) | Self::UnknownCommitment { .. } => codes::UNKNOWN_FILE,
			Self::InvalidProof(_) => codes::INVALID_PROOF,
			Self::InvalidParams(_) => codes::INVALID_PARAMS,
			Self::NotStored(_) => codes::NOT_STORED,
			Self::Store(_) => codes::STORE_FAILED,
			Self::NotAssigned(_) => codes::NOT_ASSIGNED,
			Self::Full(_) => codes::STORE_FULL,
		}
	}

	/// The JSON-RPC error message, naming the root or index and the reason.
	pub fn message(&self) -> String {
		match self {
			Self::UnknownFile(root) => {
				format!(
					"no live file with root {} is committed on chain",
					to_prefixed_hex(root.as_bytes())
				)
			},
			Self::UnknownCommitment { root, size } => format!(
				"no live file with root {} and size {size} is committed on chain",
				to_prefixed_hex(root.as_bytes())
			),
			Self::InvalidProof(message)
			| Self::InvalidParams(message)
			| Self::NotStored(message)
			| Self::Store(message)
			| Self::NotAssigned(message)
			| Self::Full(message) => message.clone(),
		}
	}
}

impl From<StorageRpcError> for ErrorObjectOwned {
	fn from(error: StorageRpcError) -> Self {
		ErrorObjectOwned::owned(error.code(), error.message(), None::<()>)
	}
}

impl From<StoreError> for StorageRpcError {
	fn from(error: StoreError) -> Self {
		match error {
			StoreError::Full(reason) => Self::Full(reason),
			other => Self::Store(other.to_string()),
		}
	}
}

/// The storage RPC: checks against `chain`, keeps bytes in `store`.
pub struct StorageRpc<Chain> {
	chain: Chain,
	store: Arc<DataStore>,
	data_port: Option<u16>,
}

impl<Chain: StorageChain> StorageRpc<Chain> {
	/// Serves segments of `store`, checked against `chain`.
	pub fn new(chain: Chain, store: Arc<DataStore>) -> Self {
		Self { chain, store, data_port: None }
	}

	/// Tells clients (`storage_dataPort`) that the node's data plane listens on `port`.
	pub fn with_data_port(mut self, port: Option<u16>) -> Self {
		self.data_port = port;
		self
	}

	/// `storage_uploadSegment` without the JSON-RPC error conversion.
	pub fn upload(
		&self,
		root: &str,
		segment_index: u64,
		data: &str,
		proof: &str,
	) -> Result<UploadedSegment, StorageRpcError> {
		let root = root_param(root)?;
		let data = decode_hex(data).map_err(|reason| {
			StorageRpcError::InvalidParams(format!("data of segment {segment_index}: {reason}"))
		})?;
		check_segment_len(&root, segment_index, data.len())?;
		let proof = decode_segment_proof(proof, segment_index)?;
		let files = self.live_files(&root)?;
		if files.is_empty() {
			return Err(StorageRpcError::UnknownFile(root));
		}
		let size = verify_segment(
			&root,
			files.iter().map(|file| file.size),
			segment_index,
			&data,
			&proof,
		)?;
		self.store_verified(&root, size, segment_index, &data, &proof)
	}

	/// Stores segment `segment_index` of the live file committed as exactly `(root, size)`, if
	/// `proof` verifies it: the data plane's `PUT`, and how the replicator stores what it
	/// fetched.
	pub fn put(
		&self,
		root: &H256,
		size: u64,
		segment_index: u64,
		data: &[u8],
		proof: &SegmentProof,
	) -> Result<UploadedSegment, StorageRpcError> {
		check_segment_len(root, segment_index, data.len())?;
		if !self.live_files(root)?.iter().any(|file| file.size == size) {
			return Err(StorageRpcError::UnknownCommitment { root: *root, size });
		}
		verify_segment(root, [size], segment_index, data, proof)?;
		self.store_verified(root, size, segment_index, data, proof)
	}

	/// Writes a segment that verified against the live file `(root, size)`, if the file is
	/// assigned to a storage provider of this node: no one else can fill this node's disk.
	fn store_verified(
		&self,
		root: &H256,
		size: u64,
		segment_index: u64,
		data: &[u8],
		proof: &SegmentProof,
	) -> Result<UploadedSegment, StorageRpcError> {
		if !self.chain.assigned_here(root, size).map_err(StorageRpcError::Store)? {
			return Err(StorageRpcError::NotAssigned(format!(
				"file {} ({size} bytes) is not assigned to a storage provider of this node, \
				 which stores only its providers' files: upload to one of the providers the \
				 chain drew for it (StorageCommitmentsApi_replicas)",
				hex_root(root)
			)));
		}
		let put = self.store.put_segment(root, size, segment_index, data, proof)?;
		let segments = segment_count(size);
		let finalized = put.segments_stored >= segments;
		if put.newly_stored && finalized {
			log::info!(
				target: LOG_TARGET,
				"file {} ({size} bytes, {segments} segments) finalized: every segment is stored",
				hex_root(root)
			);
		} else if put.newly_stored {
			log::debug!(
				target: LOG_TARGET,
				"stored segment {segment_index} of file {} ({}/{segments})",
				hex_root(root),
				put.segments_stored
			);
		}
		Ok(UploadedSegment {
			root: hex_root(root),
			segment_index,
			newly_stored: put.newly_stored,
			segments_stored: put.segments_stored,
			segments,
			finalized,
		})
	}

	/// Segment `segment_index` of the stored file `(root, size)` and its proof: the data plane's
	/// `GET`.
	pub fn get(
		&self,
		root: &H256,
		size: u64,
		segment_index: u64,
	) -> Result<(Vec<u8>, SegmentProof), StorageRpcError> {
		if let Some(segment) = self.store.segment(root, size, segment_index)? {
			return Ok(segment);
		}
		let segments = segment_count(size);
		if segment_index >= segments {
			return Err(StorageRpcError::InvalidParams(format!(
				"segment index {segment_index} is past the end of file {} of {size} bytes \
				 ({segments} segments)",
				hex_root(root)
			)));
		}
		self.status(root, size)?;
		Err(StorageRpcError::NotStored(format!(
			"the node does not hold segment {segment_index} of file {} ({size} bytes)",
			hex_root(root)
		)))
	}

	/// What the node holds of the file `(root, size)`; an error if neither the store nor the
	/// chain knows the file.
	pub fn status(&self, root: &H256, size: u64) -> Result<FileStatus, StorageRpcError> {
		let stored = self.store.stored_files(root)?;
		let segments_stored = match stored.iter().find(|file| file.size == size) {
			Some(file) => file.segments_stored,
			None if self.live_files(root)?.iter().any(|file| file.size == size) => 0,
			None => return Err(StorageRpcError::UnknownCommitment { root: *root, size }),
		};
		let segments = segment_count(size);
		Ok(FileStatus {
			root: hex_root(root),
			size,
			segments,
			segments_stored,
			finalized: segments_stored >= segments,
		})
	}

	/// Up to `limit` (at most [`MAX_MISSING_LIMIT`]) indices from `from` on of segments of the
	/// file `(root, size)` the node does not store.
	pub fn missing_of(
		&self,
		root: &H256,
		size: u64,
		from: u64,
		limit: u64,
	) -> Result<MissingSegments, StorageRpcError> {
		if limit > MAX_MISSING_LIMIT {
			return Err(StorageRpcError::InvalidParams(format!(
				"limit {limit} is over the maximum of {MAX_MISSING_LIMIT}"
			)));
		}
		self.status(root, size)?;
		// `limit <= MAX_MISSING_LIMIT`, which fits any `usize`.
		let missing = self.store.missing_segments(root, size, from, limit as usize)?;
		Ok(MissingSegments { missing })
	}

	/// `storage_downloadSegment` without the JSON-RPC error conversion.
	pub fn download(
		&self,
		root: &str,
		segment_index: u64,
	) -> Result<DownloadedSegment, StorageRpcError> {
		let root = root_param(root)?;
		let stored = self.store.stored_files(&root)?;
		for file in stored.iter().filter(|file| segment_index < file.segments()) {
			if let Some((data, proof)) = self.store.segment(&root, file.size, segment_index)? {
				return Ok(DownloadedSegment {
					data: to_prefixed_hex(&data),
					proof: to_prefixed_hex(&proof.encode()),
				});
			}
		}
		Err(self.not_held(&root, &stored, segment_index)?)
	}

	/// `storage_fileInfo` without the JSON-RPC error conversion.
	pub fn info(&self, root: &str) -> Result<FileInfo, StorageRpcError> {
		let root = root_param(root)?;
		let chain_files = self.live_files(&root)?;
		let stored = self.store.stored_files(&root)?;
		let (size, chain_file, segments_stored) =
			select_file(&chain_files, &stored).ok_or(StorageRpcError::UnknownFile(root))?;
		let segments = segment_count(size);
		Ok(FileInfo {
			root: hex_root(&root),
			file_id: chain_file.map(|file| file.id),
			size,
			segments,
			segments_stored,
			finalized: segments_stored >= segments,
			owner: chain_file.map(|file| {
				file.owner.to_ss58check_with_version(Ss58AddressFormat::custom(SS58_PREFIX))
			}),
			expires_at: chain_file.map(|file| file.expires_at),
		})
	}

	/// `storage_missingSegments` without the JSON-RPC error conversion.
	pub fn missing(
		&self,
		root: &str,
		from: u64,
		limit: u64,
	) -> Result<MissingSegments, StorageRpcError> {
		let root = root_param(root)?;
		if limit > MAX_MISSING_LIMIT {
			return Err(StorageRpcError::InvalidParams(format!(
				"limit {limit} is over the maximum of {MAX_MISSING_LIMIT}"
			)));
		}
		let chain_files = self.live_files(&root)?;
		let stored = self.store.stored_files(&root)?;
		let (size, _, _) =
			select_file(&chain_files, &stored).ok_or(StorageRpcError::UnknownFile(root))?;
		// `limit <= MAX_MISSING_LIMIT`, which fits any `usize`.
		let missing = self.store.missing_segments(&root, size, from, limit as usize)?;
		Ok(MissingSegments { missing })
	}

	/// `storage_holdsFile` without the JSON-RPC error conversion.
	pub fn holds(&self, root: &str, size: u64) -> Result<bool, StorageRpcError> {
		Ok(self.store.holds_file(&root_param(root)?, size)?)
	}

	/// The live files with `root` in the best block.
	fn live_files(&self, root: &H256) -> Result<Vec<ChainFile>, StorageRpcError> {
		self.chain.live_files(root).map_err(StorageRpcError::Store)
	}

	/// The error for segment `index` the store could not serve: out of range of every known
	/// size of the file, not stored, or a file nobody knows.
	fn not_held(
		&self,
		root: &H256,
		stored: &[StoredFile],
		index: u64,
	) -> Result<StorageRpcError, StorageRpcError> {
		let chain_files = self.live_files(root)?;
		let sizes: Vec<u64> = stored
			.iter()
			.map(|file| file.size)
			.chain(chain_files.iter().map(|file| file.size))
			.collect();
		let Some(largest) = sizes.iter().copied().max() else {
			return Ok(StorageRpcError::UnknownFile(*root));
		};
		let count = segment_count(largest);
		Ok(if index >= count {
			StorageRpcError::InvalidParams(format!(
				"segment index {index} is past the end of file {} ({count} segments)",
				hex_root(root),
			))
		} else {
			StorageRpcError::NotStored(format!(
				"the node does not hold segment {index} of file {}",
				hex_root(root)
			))
		})
	}
}

/// Logs a refused call at debug level and turns it into its JSON-RPC error.
fn refused(method: &str, error: StorageRpcError) -> ErrorObjectOwned {
	log::debug!(target: LOG_TARGET, "storage_{method} refused ({}): {}", error.code(), error.message());
	error.into()
}

impl<Chain: StorageChain> StorageApiServer for StorageRpc<Chain> {
	fn upload_segment(
		&self,
		root: String,
		segment_index: u64,
		data: String,
		proof: String,
	) -> RpcResult<UploadedSegment> {
		self.upload(&root, segment_index, &data, &proof)
			.map_err(|error| refused("uploadSegment", error))
	}

	fn download_segment(&self, root: String, segment_index: u64) -> RpcResult<DownloadedSegment> {
		self.download(&root, segment_index).map_err(|error| refused("downloadSegment", error))
	}

	fn file_info(&self, root: String) -> RpcResult<FileInfo> {
		self.info(&root).map_err(|error| refused("fileInfo", error))
	}

	fn missing_segments(&self, root: String, from: u64, limit: u64) -> RpcResult<MissingSegments> {
		self.missing(&root, from, limit).map_err(|error| refused("missingSegments", error))
	}

	fn holds_file(&self, root: String, size: u64) -> RpcResult<bool> {
		self.holds(&root, size).map_err(|error| refused("holdsFile", error))
	}

	fn data_port(&self) -> RpcResult<Option<u16>> {
		Ok(self.data_port)
	}
}

/// Refuses a segment of more than [`SEGMENT_SIZE`] bytes before anything else is done with it.
fn check_segment_len(root: &H256, segment_index: u64, len: usize) -> Result<(), StorageRpcError> {
	if len > SEGMENT_SIZE {
		return Err(StorageRpcError::InvalidParams(format!(
			"segment {segment_index} of file {} has {len} bytes, a segment has at most {SEGMENT_SIZE}",
			hex_root(root)
		)));
	}
	Ok(())
}

/// The root parameter, or why it is not one.
fn root_param(root: &str) -> Result<H256, StorageRpcError> {
	parse_h256(root)
		.map_err(|reason| StorageRpcError::InvalidParams(format!("root {root:?}: {reason}")))
}

/// `0x`-hex of a root, for messages and results.
fn hex_root(root: &H256) -> String {
	to_prefixed_hex(root.as_bytes())
}

/// Decodes the hex of a SCALE-encoded `SegmentProof`.
fn decode_segment_proof(proof: &str, segment_index: u64) -> Result<SegmentProof, StorageRpcError> {
	let bytes = decode_hex(proof).map_err(|reason| {
		StorageRpcError::InvalidParams(format!("proof of segment {segment_index}: {reason}"))
	})?;
	SegmentProof::decode_all(&mut bytes.as_slice()).map_err(|error| {
		StorageRpcError::InvalidParams(format!(
			"proof of segment {segment_index} is not a SCALE-encoded SegmentProof: {error}"
		))
	})
}

/// The first of `sizes` (the sizes of the live files with `root`) that segment `segment_index`
/// with `data` and `proof` verifies against.
///
/// When none does, the most telling refusal: a proof that fails against a file the segment fits
/// ([`StorageRpcError::InvalidProof`]) before an index or length that fits no file
/// ([`StorageRpcError::InvalidParams`]).
pub fn verify_segment(
	root: &H256,
	sizes: impl IntoIterator<Item = u64>,
	segment_index: u64,
	data: &[u8],
	proof: &SegmentProof,
) -> Result<u64, StorageRpcError> {
	let mut params_error = None;
	let mut proof_error = None;
	for size in sizes {
		let error = match segment_len(size, segment_index) {
			None => StorageRpcError::InvalidParams(format!(
				"segment index {segment_index} is past the end of file {} of {size} bytes ({} \
				 segments)",
				hex_root(root),
				segment_count(size)
			)),
			Some(expected) if expected != data.len() => StorageRpcError::InvalidParams(format!(
				"segment {segment_index} of file {} must be {expected} bytes, got {}",
				hex_root(root),
				data.len()
			)),
			Some(_) => match proof.verify(root, size, segment_index, data) {
				Ok(()) => return Ok(size),
				Err(error) => proof_refusal(root, size, segment_index, error),
			},
		};
		match error {
			StorageRpcError::InvalidProof(_) => proof_error = proof_error.or(Some(error)),
			_ => params_error = params_error.or(Some(error)),
		}
	}
	Err(proof_error.or(params_error).unwrap_or(StorageRpcError::UnknownFile(*root)))
}

/// The refusal for a proof that failed `error` against the file `(root, size)`.
fn proof_refusal(root: &H256, size: u64, segment_index: u64, error: ProofError) -> StorageRpcError {
	let message =
		format!("segment {segment_index} of file {} ({size} bytes): {error}", hex_root(root));
	match error {
		ProofError::SegmentIndexOutOfRange | ProofError::SegmentLengthMismatch => {
			StorageRpcError::InvalidParams(message)
		},
		_ => StorageRpcError::InvalidProof(message),
	}
}

/// The file `storage_fileInfo` and `storage_missingSegments` describe: `(size, live file if the
/// chain knows it, segments stored)`.
///
/// A live file whose segments the store holds comes first, then any live file, then a file only
/// the store holds; `None` if neither knows the root.
fn select_file<'a>(
	chain_files: &'a [ChainFile],
	stored: &[StoredFile],
) -> Option<(u64, Option<&'a ChainFile>, u64)> {
	let stored_count =
		|size: u64| stored.iter().find(|file| file.size == size).map(|file| file.segments_stored);
	let chain_file = chain_files
		.iter()
		.find(|file| stored_count(file.size).is_some())
		.or_else(|| chain_files.first());
	match chain_file {
		Some(file) => Some((file.size, Some(file), stored_count(file.size).unwrap_or(0))),
		None => stored.first().map(|file| (file.size, None, file.segments_stored)),
	}
}
