//! `da_*`: shards of erasure-coded blobs pushed to this node (a DA signer), served back one by
//! one, as random samples or as the rebuilt blob.
//!
//! Shards are accepted only from the shard ranges that this node's DA keys hold as members of
//! the blob's quorum (`DaAttestationsApi::shard_holders`), and only if every shard of the call
//! verifies against the blob's commitment and lies on the Reed-Solomon codeword its encoding
//! fingerprints fix (`zerog_primitives::da::check_encoding`, given the data fingerprints with
//! the call): one bad, badly encoded or foreign shard refuses the whole call and nothing is
//! stored. The off-chain worker attests only to shards this store holds, so a badly encoded blob
//! is never attested by this node. A blob is pending or certified in the node's best block, or *staged*: not
//! submitted yet, for the quorum it would get now, so a publisher can push before it submits.
//! Staged shards are capped ([`STAGING_LIMIT_BYTES`] per [`STAGING_WINDOW`]) since nobody has
//! paid for them yet; the data pruning deletes those whose blob never appears. Reads are served
//! from the node's [`DataStore`], which keeps the commitment next to the shards.

use std::{
	collections::HashMap,
	sync::{Arc, Mutex},
	time::{Duration, Instant},
};

use codec::{DecodeAll, Encode};
use jsonrpsee::{core::RpcResult, types::ErrorObjectOwned, Extensions};
use polkadot_sdk::sp_core::H256;
use rand::seq::SliceRandom;
use sc_rpc_api::{DenyUnsafe, UnsafeRpcError};
use zerog_primitives::{
	da::{
		check_encoding, chunk_proof as da_chunk_proof, decode_blob, shard_chunk,
		transport::{BlobShape, ShardsEnvelope},
		BlobCommitment, Error as DaError, ShardProof, MAX_TOTAL_SHARDS,
	},
	hex::{decode_hex, parse_h256, to_prefixed_hex},
};

use super::chain::{DaChain, LocalShards};
use crate::data_store::{DataStore, StoreError, StoredBlob};
use zerog_client::da as codes;
pub use zerog_client::rpc::da::{
	BlobShapeParam, ChunkWithProof, DaApiServer, HeldShards, RebuiltBlob, RemovedShards, Sample,
	Samples, ShardInput, ShardWithProof, StoredShards,
};

/// Log target of the DA data plane.
pub const LOG_TARGET: &str = "zerog-da";

/// Most shards one `da_putShards` call takes and most indices one `da_removeShards` call takes:
/// every shard of the largest coding.
pub const MAX_SHARDS_PER_CALL: usize = MAX_TOTAL_SHARDS as usize;

/// Most samples one `da_sample` call returns. A sampler needs a few dozen (each shard of a blob
/// that cannot be rebuilt is missing with probability over 2/3, so 32 samples that all verify
/// leave less than 1e-15), and a shard of a 32 MiB blob is about 64 KiB of hex: any stranger may
/// call this, so one answer stays a few MiB, not the whole blob three times over.
pub const MAX_SAMPLES_PER_CALL: usize = 64;

/// Most bytes of shards of blobs not on chain yet (staged) accepted per [`STAGING_WINDOW`]:
/// enough to stage a few of the largest blobs' ranges, bounded because a stranger pays nothing
/// to stage.
pub const STAGING_LIMIT_BYTES: u64 = 512 * 1024 * 1024;

/// How long staged bytes count against [`STAGING_LIMIT_BYTES`]: about the time a publisher
/// needs to submit after staging, and well below the data pruning's two sweeps, which delete
/// what was never submitted.
pub const STAGING_WINDOW: Duration = Duration::from_secs(600);

/// Why a DA RPC call was refused; each maps to its own JSON-RPC error code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DaRpcError {
	/// 6101: no pending or certified blob with this root is on chain (and, for reads, the node
	/// holds none of its shards).
	UnknownBlob(H256),
	/// 6102: a shard does not verify against the blob's commitment, or the held shards do not
	/// rebuild the committed blob.
	InvalidProof(String),
	/// 6103: a parameter is malformed or out of range.
	InvalidParams(String),
	/// 6104: the blob is known but the node does not hold the asked shard.
	NotStored(String),
	/// 6105: fewer than `k` shards are held, too few to rebuild the blob.
	NotEnoughShards(String),
	/// 6106: the data store or the chain state could not be read or written.
	Store(String),
	/// 6107: no DA key of this node holds these shards in the blob's quorum (push them to the
	/// members `DaAttestationsApi::shard_holders` names).
	NotAssigned(String),
	/// 6108: the staging allowance for blobs not on chain yet is used up; submit the blob, then
	/// push again.
	StagingFull(String),
	/// 6109: a shard verifies against the root but is not on the codeword the committed
	/// encoding fingerprints fix: the publisher encoded the blob badly, and no member should
	/// attest to it.
	BadEncoding(String),
}

impl DaRpcError {
	/// The JSON-RPC error code.
	pub fn code(&self) -> i32 {
		match self {
			Self::UnknownBlob(_) => codes::UNKNOWN_BLOB,
			Self::InvalidProof(_) => codes::INVALID_PROOF,
			Self::InvalidParams(_) => codes::INVALID_PARAMS,
			Self::NotStored(_) => codes::NOT_STORED,
			Self::NotEnoughShards(_) => codes::NOT_ENOUGH_SHARDS,
			Self::Store(_) => codes::STORE_FAILED,
			Self::NotAssigned(_) => codes::NOT_ASSIGNED,
			Self::StagingFull(_) => codes::STAGING_FULL,
			Self::BadEncoding(_) => codes::BAD_ENCODING,
		}
	}

	/// The JSON-RPC error message, naming the root or index and the reason.
	pub fn message(&self) -> String {
		match self {
			Self::UnknownBlob(root) => format!(
				"no pending or certified blob with root {} is on chain",
				to_prefixed_hex(root.as_bytes())
			),
			Self::InvalidProof(message)
			| Self::InvalidParams(message)
			| Self::NotStored(message)
			| Self::NotEnoughShards(message)
			| Self::Store(message)
			| Self::NotAssigned(message)
			| Self::StagingFull(message)
			| Self::BadEncoding(message) => message.clone(),
		}
	}
}

impl From<DaRpcError> for ErrorObjectOwned {
	fn from(error: DaRpcError) -> Self {
		ErrorObjectOwned::owned(error.code(), error.message(), None::<()>)
	}
}

impl From<StoreError> for DaRpcError {
	fn from(error: StoreError) -> Self {
		Self::Store(error.to_string())
	}
}

/// How many bytes of shards of blobs not on chain yet (staged) this node took lately: one
/// allowance for the node, shared by `da_putShards` and the data plane's binary route, so that
/// a stranger cannot stage twice as much by using both.
#[derive(Debug)]
pub struct StagingAllowance {
	/// Bytes of staged shards accepted lately, by root, with when they were first accepted.
	staged: Mutex<HashMap<H256, (Instant, u64)>>,
	/// Most staged bytes per [`STAGING_WINDOW`]: [`STAGING_LIMIT_BYTES`].
	limit: u64,
}

impl Default for StagingAllowance {
	fn default() -> Self {
		Self::with_limit(STAGING_LIMIT_BYTES)
	}
}

impl StagingAllowance {
	/// An allowance of `limit` bytes per [`STAGING_WINDOW`].
	pub fn with_limit(limit: u64) -> Self {
		Self { staged: Mutex::new(HashMap::new()), limit }
	}

	/// Counts `bytes` more of shards of the blob with `root` against the allowance, or refuses
	/// them (6108) if they would pass it.
	fn admit(&self, root: &H256, bytes: u64) -> Result<(), DaRpcError> {
		let mut staged = self.staged.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
		let now = Instant::now();
		staged.retain(|_, (since, _)| now.duration_since(*since) < STAGING_WINDOW);
		let used: u64 = staged.values().map(|(_, bytes)| *bytes).sum();
		if used.saturating_add(bytes) > self.limit {
			return Err(DaRpcError::StagingFull(format!(
				"{used} bytes of shards of blobs not on chain are staged here, {bytes} more would \
				 pass the limit of {}: submit blob {} first, then push its shards",
				self.limit,
				hex_root(root)
			)));
		}
		let entry = staged.entry(*root).or_insert((now, 0));
		entry.1 = entry.1.saturating_add(bytes);
		Ok(())
	}
}

/// The DA RPC: checks against `chain`, keeps shards in `store`.
pub struct DaRpc<Chain> {
	chain: Chain,
	store: Arc<DataStore>,
	/// Whether unsafe methods are allowed when the RPC server did not say per connection (it
	/// does for every connection it serves, through the `DenyUnsafe` extension).
	unsafe_allowed: bool,
	/// What staged shards may still be taken.
	staging: Arc<StagingAllowance>,
}

impl<Chain: DaChain> DaRpc<Chain> {
	/// Serves shards of `store`, checked against `chain`; `unsafe_allowed` is the node's
	/// `--rpc-methods` decision, used where a call carries no per-connection one.
	pub fn new(chain: Chain, store: Arc<DataStore>, unsafe_allowed: bool) -> Self {
		Self { chain, store, unsafe_allowed, staging: Arc::new(StagingAllowance::default()) }
	}

	/// The same RPC drawing on `staging`, an allowance other handlers of shards share.
	pub fn with_staging(mut self, staging: Arc<StagingAllowance>) -> Self {
		self.staging = staging;
		self
	}

	/// The same RPC with another staging allowance (tests).
	#[cfg(test)]
	pub fn with_staging_limit(self, bytes: u64) -> Self {
		self.with_staging(Arc::new(StagingAllowance::with_limit(bytes)))
	}

	/// `da_putShards` without the JSON-RPC error conversion.
	pub fn put_with(
		&self,
		root: &str,
		shards: &[ShardInput],
		shape: Option<BlobShapeParam>,
		fingerprints: &str,
	) -> Result<StoredShards, DaRpcError> {
		let root = root_param(root)?;
		check_shard_count(&root, shards.len())?;
		let decoded = decode_shards(&root, shards)?;
		let fingerprints = decode_hex(fingerprints).map_err(|reason| {
			DaRpcError::InvalidParams(format!(
				"encoding fingerprints of blob {}: {reason}",
				hex_root(&root)
			))
		})?;
		self.put_decoded(root, shape.map(BlobShape::from), &fingerprints, decoded)
	}

	/// The data plane's `POST /da/v1/blobs/{root}/shards`: the same checks and effects as
	/// `da_putShards`, for shards that came as binary.
	pub fn put_envelope(
		&self,
		root: H256,
		envelope: ShardsEnvelope,
	) -> Result<StoredShards, DaRpcError> {
		check_shard_count(&root, envelope.shards.len())?;
		let decoded = envelope
			.shards
			.into_iter()
			.map(|shard| (shard.proof.index, shard.data, shard.proof))
			.collect();
		self.put_decoded(root, envelope.shape, &envelope.fingerprints, decoded)
	}

	/// Stores `shards` of the blob with `root` (and `shape`, or the one on chain) if they are
	/// distinct, this node's keys hold them, they verify and lie on the codeword `fingerprints`
	/// fix, and (for a blob not on chain) the staging allowance takes them.
	fn put_decoded(
		&self,
		root: H256,
		shape: Option<BlobShape>,
		fingerprints: &[u8],
		decoded: Vec<(u16, Vec<u8>, ShardProof)>,
	) -> Result<StoredShards, DaRpcError> {
		check_distinct(&root, &decoded)?;
		let commitment = match shape {
			Some(shape) => shape.commitment(root),
			None => self.commitment(&root)?.ok_or(DaRpcError::UnknownBlob(root))?,
		};
		commitment.validate().map_err(|error| {
			DaRpcError::InvalidParams(format!("blob {}: {error}", hex_root(&root)))
		})?;
		let local =
			self.chain.local_shards(&commitment).map_err(DaRpcError::Store)?.ok_or_else(|| {
				DaRpcError::NotAssigned(format!(
					"no DA key of this node is a member of the quorum of blob {} (pending, \
					 certified, or the one it would get if submitted now): push its shards to the \
					 members DaAttestationsApi::shard_holders names",
					hex_root(&root)
				))
			})?;
		check_assigned(&commitment, &local, &decoded)?;
		check_shards(&commitment, fingerprints, &decoded)?;
		if !local.on_chain {
			let bytes = decoded.iter().map(|(_, data, _)| data.len() as u64).sum();
			self.staging.admit(&root, bytes)?;
		}

		let put = self.store.put_shards(&commitment, decoded)?;
		if put.newly_stored > 0 {
			log::info!(
				target: LOG_TARGET,
				"blob {}: stored {} new shard(s), {} of {} held",
				hex_root(&root),
				put.newly_stored,
				put.held,
				commitment.total_shards()
			);
		}
		Ok(StoredShards {
			root: hex_root(&root),
			newly_stored: put.newly_stored,
			held: put.held,
			data_shards: commitment.data_shards,
			total_shards: commitment.total_shards(),
		})
	}

	/// `da_getShard` without the JSON-RPC error conversion.
	pub fn shard(&self, root: &str, index: u64) -> Result<ShardWithProof, DaRpcError> {
		let (_, _, shard, proof) = self.shard_bytes(root, index)?;
		Ok(ShardWithProof {
			shard: to_prefixed_hex(&shard),
			proof: to_prefixed_hex(&proof.encode()),
		})
	}

	/// The held shard `index` of the blob with `root`, with the parsed root and index.
	fn shard_bytes(
		&self,
		root: &str,
		index: u64,
	) -> Result<(H256, u16, Vec<u8>, ShardProof), DaRpcError> {
		let root = root_param(root)?;
		let index = shard_index(index)?;
		let blob = self.held_blob(&root)?;
		if index >= blob.commitment.total_shards() {
			return Err(DaRpcError::InvalidParams(format!(
				"shard index {index} is out of range for blob {} of {} shards",
				hex_root(&root),
				blob.commitment.total_shards()
			)));
		}
		let (shard, proof) = self.store.shard(&root, index)?.ok_or_else(|| {
			DaRpcError::NotStored(format!(
				"the node does not hold shard {index} of blob {}",
				hex_root(&root)
			))
		})?;
		Ok((root, index, shard, proof))
	}

	/// `da_getChunk` without the JSON-RPC error conversion.
	pub fn chunk(&self, root: &str, index: u64, chunk: u32) -> Result<ChunkWithProof, DaRpcError> {
		let (root, index, shard, proof) = self.shard_bytes(root, index)?;
		let out_of_range = || {
			DaRpcError::InvalidParams(format!(
				"chunk {chunk} is out of range for shard {index} of blob {} ({} bytes)",
				hex_root(&root),
				shard.len()
			))
		};
		let chunk_proof = da_chunk_proof(&shard, &proof, chunk).ok_or_else(out_of_range)?;
		let bytes = shard_chunk(&shard, chunk).ok_or_else(out_of_range)?;
		Ok(ChunkWithProof {
			chunk: to_prefixed_hex(bytes),
			proof: to_prefixed_hex(&chunk_proof.encode()),
		})
	}

	/// `da_getBlob` without the JSON-RPC error conversion.
	pub fn blob(&self, root: &str) -> Result<RebuiltBlob, DaRpcError> {
		let root = root_param(root)?;
		let blob = match self.store.stored_blob(&root)? {
			Some(blob) => blob,
			None => {
				let commitment = self.commitment(&root)?.ok_or(DaRpcError::UnknownBlob(root))?;
				StoredBlob { commitment, held: Vec::new() }
			},
		};
		let needed = usize::from(blob.commitment.data_shards);
		if blob.held.len() < needed {
			return Err(DaRpcError::NotEnoughShards(format!(
				"the node holds {} shard(s) of blob {}, {needed} are needed to rebuild it",
				blob.held.len(),
				hex_root(&root)
			)));
		}
		// The lowest indices first: with every data shard at hand no decoding is needed.
		let indices = &blob.held[..needed];
		let mut shards = Vec::with_capacity(needed);
		for index in indices {
			let (data, proof) = self.store.shard(&root, *index)?.ok_or_else(|| {
				DaRpcError::Store(format!(
					"shard {index} of blob {} is marked held but missing",
					hex_root(&root)
				))
			})?;
			shards.push((*index, data, proof));
		}
		let views: Vec<(u16, &[u8], &ShardProof)> =
			shards.iter().map(|(index, data, proof)| (*index, data.as_slice(), proof)).collect();
		let data = decode_blob(&blob.commitment, &views).map_err(|error| {
			DaRpcError::InvalidProof(format!(
				"blob {} cannot be rebuilt from shards {indices:?}: {error}",
				hex_root(&root)
			))
		})?;
		Ok(RebuiltBlob { data: to_prefixed_hex(&data), shards_used: needed as u32 })
	}

	/// `da_sample` without the JSON-RPC error conversion.
	pub fn sample_shards(&self, root: &str, count: u64) -> Result<Samples, DaRpcError> {
		let root = root_param(root)?;
		let count = usize::try_from(count)
			.ok()
			.filter(|count| *count <= MAX_SAMPLES_PER_CALL)
			.ok_or_else(|| {
				DaRpcError::InvalidParams(format!(
					"{count} samples asked of blob {}, at most {MAX_SAMPLES_PER_CALL}",
					hex_root(&root)
				))
			})?;
		let blob = self.held_blob(&root)?;
		let mut picked: Vec<u16> =
			blob.held.choose_multiple(&mut rand::thread_rng(), count).copied().collect();
		picked.sort_unstable();
		let mut samples = Vec::with_capacity(picked.len());
		for index in picked {
			let (shard, proof) = self.store.shard(&root, index)?.ok_or_else(|| {
				DaRpcError::Store(format!(
					"shard {index} of blob {} is marked held but missing",
					hex_root(&root)
				))
			})?;
			samples.push(Sample {
				index,
				shard: to_prefixed_hex(&shard),
				proof: to_prefixed_hex(&proof.encode()),
			});
		}
		Ok(Samples { samples, held: held_count(&blob) })
	}

	/// `da_heldShards` without the JSON-RPC error conversion.
	pub fn held(&self, root: &str) -> Result<HeldShards, DaRpcError> {
		let root = root_param(root)?;
		match self.store.stored_blob(&root)? {
			Some(blob) => Ok(HeldShards { indices: blob.held }),
			None => match self.commitment(&root)? {
				Some(_) => Ok(HeldShards { indices: Vec::new() }),
				None => Err(DaRpcError::UnknownBlob(root)),
			},
		}
	}

	/// `da_removeShards` without the unsafe check and the JSON-RPC error conversion.
	pub fn remove(&self, root: &str, indices: &[u64]) -> Result<RemovedShards, DaRpcError> {
		let root = root_param(root)?;
		if indices.len() > MAX_SHARDS_PER_CALL {
			return Err(DaRpcError::InvalidParams(format!(
				"{} indices given, at most {MAX_SHARDS_PER_CALL} per call",
				indices.len()
			)));
		}
		let indices =
			indices.iter().map(|index| shard_index(*index)).collect::<Result<Vec<_>, _>>()?;
		let removed = self.store.remove_shards(&root, &indices)?;
		log::info!(
			target: LOG_TARGET,
			"blob {}: removed {removed} shard(s) on request",
			hex_root(&root)
		);
		Ok(RemovedShards { removed })
	}

	/// Whether the call may use an unsafe method: the RPC server's per-connection decision, or
	/// the node's `--rpc-methods` where there is none.
	pub fn check_unsafe_allowed(&self, extensions: &Extensions) -> Result<(), UnsafeRpcError> {
		match extensions.get::<DenyUnsafe>() {
			Some(deny_unsafe) => deny_unsafe.check_if_safe(),
			None if self.unsafe_allowed => Ok(()),
			None => Err(UnsafeRpcError),
		}
	}

	/// The commitment of the blob with `root` on chain.
	fn commitment(&self, root: &H256) -> Result<Option<BlobCommitment>, DaRpcError> {
		self.chain.blob_commitment(root).map_err(DaRpcError::Store)
	}

	/// The held blob with `root`, or why there is none: the chain knows it but the node holds no
	/// shard of it, or nobody knows it.
	fn held_blob(&self, root: &H256) -> Result<StoredBlob, DaRpcError> {
		if let Some(blob) = self.store.stored_blob(root)? {
			return Ok(blob);
		}
		Err(match self.commitment(root)? {
			Some(_) => {
				DaRpcError::NotStored(format!("the node holds no shard of blob {}", hex_root(root)))
			},
			None => DaRpcError::UnknownBlob(*root),
		})
	}
}

/// Logs a refused call at debug level and turns it into its JSON-RPC error.
fn refused(method: &str, error: DaRpcError) -> ErrorObjectOwned {
	log::debug!(target: LOG_TARGET, "da_{method} refused ({}): {}", error.code(), error.message());
	error.into()
}

impl<Chain: DaChain> DaApiServer for DaRpc<Chain> {
	fn put_shards(
		&self,
		root: String,
		shards: Vec<ShardInput>,
		shape: Option<BlobShapeParam>,
		fingerprints: String,
	) -> RpcResult<StoredShards> {
		self.put_with(&root, &shards, shape, &fingerprints)
			.map_err(|error| refused("putShards", error))
	}

	fn get_shard(&self, root: String, index: u64) -> RpcResult<ShardWithProof> {
		self.shard(&root, index).map_err(|error| refused("getShard", error))
	}

	fn get_chunk(&self, root: String, index: u64, chunk: u32) -> RpcResult<ChunkWithProof> {
		self.chunk(&root, index, chunk).map_err(|error| refused("getChunk", error))
	}

	fn get_blob(&self, extensions: &Extensions, root: String) -> RpcResult<RebuiltBlob> {
		if let Err(error) = self.check_unsafe_allowed(extensions) {
			log::debug!(target: LOG_TARGET, "da_getBlob refused: {error}");
			return Err(error.into());
		}
		self.blob(&root).map_err(|error| refused("getBlob", error))
	}

	fn sample(&self, root: String, count: u64) -> RpcResult<Samples> {
		self.sample_shards(&root, count).map_err(|error| refused("sample", error))
	}

	fn held_shards(&self, root: String) -> RpcResult<HeldShards> {
		self.held(&root).map_err(|error| refused("heldShards", error))
	}

	fn remove_shards(
		&self,
		extensions: &Extensions,
		root: String,
		indices: Vec<u64>,
	) -> RpcResult<RemovedShards> {
		if let Err(error) = self.check_unsafe_allowed(extensions) {
			log::debug!(target: LOG_TARGET, "da_removeShards refused: {error}");
			return Err(error.into());
		}
		self.remove(&root, &indices).map_err(|error| refused("removeShards", error))
	}
}

/// The root parameter, or why it is not one.
fn root_param(root: &str) -> Result<H256, DaRpcError> {
	parse_h256(root).map_err(|reason| DaRpcError::InvalidParams(format!("root {root:?}: {reason}")))
}

/// `0x`-hex of a root, for messages and results.
fn hex_root(root: &H256) -> String {
	to_prefixed_hex(root.as_bytes())
}

/// A shard index parameter, which must fit a `u16`.
fn shard_index(index: u64) -> Result<u16, DaRpcError> {
	u16::try_from(index).map_err(|_| {
		DaRpcError::InvalidParams(format!("shard index {index} is over the largest, {}", u16::MAX))
	})
}

/// Number of held shards of `blob`; at most 1024.
fn held_count(blob: &StoredBlob) -> u32 {
	u32::try_from(blob.held.len()).unwrap_or(u32::MAX)
}

/// Refuses a call with no shards or more than [`MAX_SHARDS_PER_CALL`].
fn check_shard_count(root: &H256, count: usize) -> Result<(), DaRpcError> {
	if count == 0 {
		return Err(DaRpcError::InvalidParams(format!(
			"no shards given for blob {}",
			hex_root(root)
		)));
	}
	if count > MAX_SHARDS_PER_CALL {
		return Err(DaRpcError::InvalidParams(format!(
			"{count} shards given for blob {}, at most {MAX_SHARDS_PER_CALL} per call",
			hex_root(root)
		)));
	}
	Ok(())
}

/// Refuses a call that gives a shard index twice.
fn check_distinct(root: &H256, shards: &[(u16, Vec<u8>, ShardProof)]) -> Result<(), DaRpcError> {
	let mut seen = [false; MAX_SHARDS_PER_CALL];
	for (index, _, _) in shards {
		match seen.get_mut(usize::from(*index)) {
			Some(true) => {
				return Err(DaRpcError::InvalidParams(format!(
					"shard {index} of blob {} is given twice",
					hex_root(root)
				)))
			},
			Some(slot) => *slot = true,
			// Past every coding: `check_assigned` refuses it with the blob's shard count.
			None => {},
		}
	}
	Ok(())
}

/// Decodes the hex and proofs of `shards` of the blob with `root`.
pub fn decode_shards(
	root: &H256,
	shards: &[ShardInput],
) -> Result<Vec<(u16, Vec<u8>, ShardProof)>, DaRpcError> {
	let mut decoded = Vec::with_capacity(shards.len());
	for shard in shards {
		let index = shard_index(shard.index)?;
		let params = |what: &str, reason: String| {
			DaRpcError::InvalidParams(format!(
				"{what} of shard {index} of blob {}: {reason}",
				hex_root(root)
			))
		};
		let data = decode_hex(&shard.data).map_err(|reason| params("data", reason.to_string()))?;
		let proof_bytes =
			decode_hex(&shard.proof).map_err(|reason| params("proof", reason.to_string()))?;
		let proof = ShardProof::decode_all(&mut proof_bytes.as_slice())
			.map_err(|error| params("proof", format!("not a SCALE-encoded ShardProof: {error}")))?;
		decoded.push((index, data, proof));
	}
	Ok(decoded)
}

/// Refuses the call if a shard index is past the blob's shards or not one of those the local DA
/// keys hold: cheap checks, made before any shard is hashed.
fn check_assigned(
	commitment: &BlobCommitment,
	local: &LocalShards,
	shards: &[(u16, Vec<u8>, ShardProof)],
) -> Result<(), DaRpcError> {
	let total_shards = commitment.total_shards();
	if let Some((index, _, _)) = shards.iter().find(|(index, _, _)| *index >= total_shards) {
		return Err(DaRpcError::InvalidParams(format!(
			"blob {}: shard index {index} is out of range for {total_shards} shards",
			hex_root(&commitment.root)
		)));
	}
	match shards.iter().find(|(index, _, _)| local.indices.binary_search(index).is_err()) {
		Some((index, _, _)) => Err(DaRpcError::NotAssigned(format!(
			"shard {index} of blob {} is held by other members of its quorum; this node's DA keys \
			 hold shards {}",
			hex_root(&commitment.root),
			ranges(&local.indices)
		))),
		None => Ok(()),
	}
}

/// Ascending indices as ranges, `0-3, 7`, for messages.
fn ranges(indices: &[u16]) -> String {
	let mut parts: Vec<String> = Vec::new();
	let mut iter = indices.iter().copied().peekable();
	while let Some(start) = iter.next() {
		let mut end = start;
		while iter.peek() == Some(&end.saturating_add(1)) {
			end = iter.next().unwrap_or(end);
		}
		parts.push(if start == end { start.to_string() } else { format!("{start}-{end}") });
	}
	parts.join(", ")
}

/// Checks every shard against `commitment` and the codeword `fingerprints` fix; the first that
/// fails refuses them all. A badly encoded blob is logged, since it means a hostile publisher.
pub fn check_shards(
	commitment: &BlobCommitment,
	fingerprints: &[u8],
	shards: &[(u16, Vec<u8>, ShardProof)],
) -> Result<(), DaRpcError> {
	let views: Vec<(u16, &[u8], &ShardProof)> =
		shards.iter().map(|(index, data, proof)| (*index, data.as_slice(), proof)).collect();
	check_encoding(commitment, fingerprints, &views).map_err(|error| {
		let message = format!("blob {}: {error}", hex_root(&commitment.root));
		match error {
			DaError::ShardIndexOutOfRange { .. }
			| DaError::ShardSizeMismatch { .. }
			| DaError::FingerprintsLength { .. } => DaRpcError::InvalidParams(message),
			DaError::ShardOffCodeword { .. } => {
				log::warn!(target: LOG_TARGET, "refusing a badly encoded blob: {message}");
				DaRpcError::BadEncoding(message)
			},
			_ => DaRpcError::InvalidProof(message),
		}
	})
}
