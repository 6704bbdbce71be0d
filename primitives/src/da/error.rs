//! Why a blob could not be coded, a shard did not verify or a blob could not be rebuilt.

use core::fmt;

/// What went wrong with a blob, a shard or a proof; each variant says how to avoid it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Error {
	/// The coding has no data shard (`k = 0`). Use at least one; the default is
	/// [`DEFAULT_DATA_SHARDS`](super::DEFAULT_DATA_SHARDS).
	NoDataShards,
	/// The coding has no parity shard (`m = 0`), so losing any shard would lose the blob. Use
	/// at least one; the default is [`DEFAULT_PARITY_SHARDS`](super::DEFAULT_PARITY_SHARDS).
	NoParityShards,
	/// `k + m` is over [`MAX_TOTAL_SHARDS`](super::MAX_TOTAL_SHARDS). Use fewer, larger shards.
	TooManyShards {
		/// The requested `k + m`.
		total: u32,
	},
	/// `m` is over [`MAX_PARITY_SHARDS_PER_DATA_SHARD`](super::MAX_PARITY_SHARDS_PER_DATA_SHARD)
	/// times `k`, which would blow the blob up too much. Use more data shards or fewer parity.
	TooManyParityShards {
		/// The requested `k`.
		data_shards: u16,
		/// The requested `m`.
		parity_shards: u16,
	},
	/// The blob is over [`MAX_BLOB_SIZE`](super::MAX_BLOB_SIZE) bytes. Split it into several
	/// blobs.
	BlobTooLarge {
		/// The size of the blob, in bytes.
		size_bytes: u64,
	},
	/// The shard index is not below `k + m`. Indices run from 0 (first data shard) to `k + m - 1`
	/// (last parity shard).
	ShardIndexOutOfRange {
		/// The index given.
		index: u16,
		/// `k + m` of the commitment.
		total_shards: u16,
	},
	/// The shard does not have the size every shard of this blob has (see
	/// [`shard_bytes`](super::shard_bytes)): it was truncated, padded or belongs to another blob.
	ShardSizeMismatch {
		/// The index of the shard.
		index: u16,
		/// The size every shard of the blob has, in bytes.
		expected: u32,
		/// The size of the shard given, in bytes.
		got: u64,
	},
	/// The proof was made for another shard index than the one being checked. Fetch the proof of
	/// this shard.
	ProofIndexMismatch {
		/// The index being checked.
		index: u16,
		/// The index the proof is for.
		proof_index: u16,
	},
	/// The proof does not have one sibling per level of this blob's tree (see
	/// [`proof_depth`](super::proof_depth)): it was made for another coding.
	ProofLengthMismatch {
		/// The index of the shard.
		index: u16,
		/// The number of siblings a proof of this blob has.
		expected: u32,
		/// The number of siblings in the proof given.
		got: u32,
	},
	/// The shard and its proof do not lead to the committed root: the shard bytes were altered
	/// or belong to another blob. Fetch the shard again from another holder.
	ProofMismatch {
		/// The index of the shard.
		index: u16,
	},
	/// The same shard index was given twice to the decoder. Pass each shard once.
	DuplicateShard {
		/// The repeated index.
		index: u16,
	},
	/// Fewer than `k` distinct shards were given, and a blob needs `k` to be rebuilt. Fetch more
	/// shards.
	NotEnoughShards {
		/// `k` of the commitment.
		needed: u16,
		/// Distinct shards given.
		got: u16,
	},
	/// The shards verify, but re-encoding the rebuilt blob does not give the committed root:
	/// the committer's parity shards are not the Reed-Solomon code of its data shards (or its
	/// padding was not zero), so different sets of shards would give different blobs. The
	/// commitment itself is bad; no choice of shards fixes it.
	InconsistentEncoding,
	/// The encoding fingerprints given do not have the length the coding implies (`k` times
	/// [`fingerprint_bytes`](super::fingerprint_bytes) of the shard size).
	FingerprintsLength {
		/// The length the coding implies, in bytes.
		expected: u32,
		/// The length given, in bytes.
		got: u64,
	},
	/// The encoding fingerprints given are not the ones the commitment root binds. Ask the
	/// committer for the fingerprints of this blob.
	FingerprintsMismatch,
	/// The shard verifies against the root but is not on the codeword the committed fingerprints
	/// fix: the committer coded the blob badly. Do not attest to it.
	ShardOffCodeword {
		/// The index of the shard.
		index: u16,
	},
	/// The chunk index is not below the number of chunks of the blob's shards.
	ChunkIndexOutOfRange {
		/// The index of the shard.
		index: u16,
		/// The chunk index given.
		chunk: u32,
		/// The number of chunks of every shard of this blob.
		chunks: u32,
	},
	/// The chunk does not have the size of that chunk of this blob's shards.
	ChunkSizeMismatch {
		/// The index of the shard.
		index: u16,
		/// The chunk index.
		chunk: u32,
		/// The size of that chunk, in bytes.
		expected: u32,
		/// The size of the chunk given, in bytes.
		got: u64,
	},
	/// The chunk and its proof do not lead to the committed root (wrong bytes, wrong index or a
	/// proof of another shape).
	ChunkProofMismatch {
		/// The index of the shard.
		index: u16,
		/// The chunk index.
		chunk: u32,
	},
	/// The erasure coder refused its input. Parameters that pass
	/// [`check_coding_params`](super::check_coding_params) never cause this: it is a bug.
	ErasureCoding,
}

impl fmt::Display for Error {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			Self::NoDataShards => write!(f, "coding has no data shard"),
			Self::NoParityShards => write!(f, "coding has no parity shard"),
			Self::TooManyShards { total } => {
				write!(f, "{total} shards requested, at most {} allowed", super::MAX_TOTAL_SHARDS)
			},
			Self::TooManyParityShards { data_shards, parity_shards } => write!(
				f,
				"{parity_shards} parity shards for {data_shards} data shards, at most {} per data \
				 shard allowed",
				super::MAX_PARITY_SHARDS_PER_DATA_SHARD
			),
			Self::BlobTooLarge { size_bytes } => write!(
				f,
				"blob of {size_bytes} bytes is over the limit of {} bytes",
				super::MAX_BLOB_SIZE
			),
			Self::ShardIndexOutOfRange { index, total_shards } => {
				write!(f, "shard index {index} is out of range for {total_shards} shards")
			},
			Self::ShardSizeMismatch { index, expected, got } => {
				write!(f, "shard {index} has {got} bytes, expected {expected}")
			},
			Self::ProofIndexMismatch { index, proof_index } => {
				write!(f, "proof is for shard {proof_index}, not shard {index}")
			},
			Self::ProofLengthMismatch { index, expected, got } => {
				write!(f, "proof of shard {index} has {got} siblings, expected {expected}")
			},
			Self::ProofMismatch { index } => {
				write!(f, "shard {index} does not match the committed root")
			},
			Self::DuplicateShard { index } => write!(f, "shard {index} given twice"),
			Self::NotEnoughShards { needed, got } => {
				write!(f, "{got} distinct shards given, {needed} needed to rebuild the blob")
			},
			Self::InconsistentEncoding => {
				write!(f, "committed shards are not a consistent Reed-Solomon encoding")
			},
			Self::FingerprintsLength { expected, got } => {
				write!(f, "encoding fingerprints have {got} bytes, expected {expected}")
			},
			Self::FingerprintsMismatch => {
				write!(f, "encoding fingerprints are not the ones the commitment binds")
			},
			Self::ShardOffCodeword { index } => write!(
				f,
				"shard {index} is not on the codeword the committed fingerprints fix: the blob is \
				 badly encoded"
			),
			Self::ChunkIndexOutOfRange { index, chunk, chunks } => {
				write!(f, "chunk {chunk} of shard {index} is out of range for {chunks} chunks")
			},
			Self::ChunkSizeMismatch { index, chunk, expected, got } => {
				write!(f, "chunk {chunk} of shard {index} has {got} bytes, expected {expected}")
			},
			Self::ChunkProofMismatch { index, chunk } => {
				write!(f, "chunk {chunk} of shard {index} does not match the committed root")
			},
			Self::ErasureCoding => write!(f, "erasure coder rejected validated input"),
		}
	}
}

impl core::error::Error for Error {}
