//! Coding parameters of a blob: the limits, the defaults and the shard size they imply.
//!
//! These are protocol constants: a commitment made under one set of limits must verify under
//! the next, so limits are only ever raised, and the padding rule never changes.

use super::Error;

/// Largest blob, in bytes (32 MiB).
///
/// Bounds the memory of encoding and decoding and the fee range of a blob; the commitment stores
/// sizes as `u32`, which this fits with room to spare.
pub const MAX_BLOB_SIZE: u32 = 32 * 1024 * 1024;

/// Default number of data shards (`k`): the number of shards that rebuild a blob.
///
/// With 16 data shards a 32 MiB blob has 2 MiB shards, small enough to push to a signer in one
/// request and large enough that a shard proof (6 hashes with the default coding) is a negligible
/// overhead.
pub const DEFAULT_DATA_SHARDS: u16 = 16;

/// Default number of parity shards (`m`): twice [`DEFAULT_DATA_SHARDS`], a code rate of 1/3.
///
/// A blob is certified once signers holding 2/3 of the quorum's stake attest. If less than 1/3
/// of the stake is dishonest, the honest attesters hold at least 1/3 of the stake and so, with
/// shards assigned by stake, at least 1/3 of the shards: with `k = (k + m) / 3` that is enough to
/// rebuild every certified blob without trusting any attester.
pub const DEFAULT_PARITY_SHARDS: u16 = 32;

/// Largest total number of shards (`k + m`) of one blob.
///
/// A quorum hands out one or a few shards per member, so a thousand shards covers any quorum we
/// draw; the cap keeps proofs at [`MAX_PROOF_DEPTH`] hashes and decoding cost bounded. It is a
/// power of two so that a full tree has exactly [`MAX_PROOF_DEPTH`] levels.
pub const MAX_TOTAL_SHARDS: u16 = 1024;

/// Largest number of siblings in a shard proof: `log2(MAX_TOTAL_SHARDS)`.
pub const MAX_PROOF_DEPTH: u32 = 10;

/// Largest ratio of parity shards to data shards (`m <= 3 * k`, a code rate of at least 1/4).
///
/// Encoding writes `(k + m) / k` times the blob: without this cap a request for one data shard
/// and a thousand parity shards would make a 32 MiB blob take 32 GiB. Four times the blob is the
/// most any quorum threshold we use needs (the default takes three).
pub const MAX_PARITY_SHARDS_PER_DATA_SHARD: u16 = 3;

/// Shard sizes are a multiple of this many bytes (and never zero).
///
/// `reed-solomon-simd` codes 16-bit symbols in chunks of 64 bytes (32 symbols, low bytes then
/// high bytes) and applies the same linear map to every whole chunk. Whole chunks are what makes
/// encoding fingerprints possible (see [`fingerprint`](super::fingerprint)): the XOR of any
/// chunks of the parity shards is the code of the XOR of the same chunks of the data shards. A
/// last, partial chunk is laid out differently, so shards have none.
pub const SHARD_ALIGN_BYTES: u32 = 64;

/// Bytes of one custody chunk: the leaves of a shard's own merkle tree.
///
/// A custody challenge asks a signer for one chunk with its proof, which has to fit a
/// transaction; 1 KiB chunks keep the answer near 2 KiB whatever the shard size. The last chunk
/// of a shard may be shorter (shards are only [`SHARD_ALIGN_BYTES`]-aligned).
pub const CHUNK_BYTES: u32 = 1024;

/// Largest number of siblings in the proof of a chunk inside its shard: a shard is at most
/// [`MAX_BLOB_SIZE`] bytes (one data shard), so `log2(MAX_BLOB_SIZE / CHUNK_BYTES)`.
pub const MAX_CHUNK_PROOF_DEPTH: u32 = 15;

/// Number of encoding fingerprints per shard when a shard has more chunks of
/// [`SHARD_ALIGN_BYTES`] than this (else one per chunk, which is the shard itself).
///
/// Each fingerprint catches a shard that is off the committed codeword with probability at least
/// 1/2, independently, so a bad encoding passes a signer's check with probability at most
/// `2^-64` per attempt of the committer.
pub const FINGERPRINTS_PER_SHARD: u32 = 64;

// `MAX_PROOF_DEPTH` must be exactly the depth of a tree over `MAX_TOTAL_SHARDS` leaves.
const _: () = assert!(1u32 << MAX_PROOF_DEPTH == MAX_TOTAL_SHARDS as u32);
// `MAX_CHUNK_PROOF_DEPTH` must be the depth of a tree over the chunks of the largest shard.
const _: () = assert!(1u32 << MAX_CHUNK_PROOF_DEPTH == MAX_BLOB_SIZE / CHUNK_BYTES);
// Custody chunks are whole fingerprint chunks.
const _: () = assert!(CHUNK_BYTES.is_multiple_of(SHARD_ALIGN_BYTES));

/// Checks that `data_shards` (`k`) and `parity_shards` (`m`) are a coding this chain accepts.
///
/// Both must be at least one (no data shard means no blob; no parity shard means no
/// redundancy, and `reed-solomon-simd` refuses it), `k + m` at most [`MAX_TOTAL_SHARDS`] and `m`
/// at most [`MAX_PARITY_SHARDS_PER_DATA_SHARD`] times `k`.
pub fn check_coding_params(data_shards: u16, parity_shards: u16) -> Result<(), Error> {
	if data_shards == 0 {
		return Err(Error::NoDataShards);
	}
	if parity_shards == 0 {
		return Err(Error::NoParityShards);
	}
	let total = u32::from(data_shards) + u32::from(parity_shards);
	if total > u32::from(MAX_TOTAL_SHARDS) {
		return Err(Error::TooManyShards { total });
	}
	if u32::from(parity_shards)
		> u32::from(data_shards) * u32::from(MAX_PARITY_SHARDS_PER_DATA_SHARD)
	{
		return Err(Error::TooManyParityShards { data_shards, parity_shards });
	}
	Ok(())
}

/// Size in bytes of every shard of a blob of `size_bytes` bytes cut into `data_shards` shards.
///
/// `ceil(size_bytes / data_shards)`, at least one byte, rounded up to a multiple of
/// [`SHARD_ALIGN_BYTES`]. Fails for a blob over [`MAX_BLOB_SIZE`] or no data shard; it does not
/// check the parity count (see [`check_coding_params`]).
pub fn shard_bytes(size_bytes: u32, data_shards: u16) -> Result<u32, Error> {
	if size_bytes > MAX_BLOB_SIZE {
		return Err(Error::BlobTooLarge { size_bytes: u64::from(size_bytes) });
	}
	if data_shards == 0 {
		return Err(Error::NoDataShards);
	}
	let per_shard = size_bytes.div_ceil(u32::from(data_shards)).max(1);
	// Cannot overflow: `per_shard <= MAX_BLOB_SIZE`, far below `u32::MAX - SHARD_ALIGN_BYTES`.
	Ok(per_shard.next_multiple_of(SHARD_ALIGN_BYTES))
}

/// Number of custody chunks of a shard of `shard_bytes` bytes: `ceil(shard_bytes / CHUNK_BYTES)`.
pub fn chunk_count(shard_bytes: u32) -> u32 {
	shard_bytes.div_ceil(CHUNK_BYTES).max(1)
}

/// Number of siblings in the proof of a chunk inside a shard of `shard_bytes` bytes.
pub fn chunk_proof_depth(shard_bytes: u32) -> u32 {
	chunk_count(shard_bytes).next_power_of_two().trailing_zeros()
}

/// Bytes of the fingerprints of one shard of `shard_bytes` bytes:
/// `min(shard_bytes, FINGERPRINTS_PER_SHARD * SHARD_ALIGN_BYTES)`. A shard of at most
/// [`FINGERPRINTS_PER_SHARD`] chunks is its own fingerprint.
pub fn fingerprint_bytes(shard_bytes: u32) -> u32 {
	shard_bytes.min(FINGERPRINTS_PER_SHARD * SHARD_ALIGN_BYTES)
}

/// Number of siblings in the proof of any shard of a blob with `total_shards` shards:
/// `ceil(log2(total_shards))`, the depth of the tree after padding the leaves to a power of two.
pub fn proof_depth(total_shards: u16) -> u32 {
	// Widened to `u32` so `next_power_of_two` cannot overflow for any `u16` count.
	u32::from(total_shards).max(1).next_power_of_two().trailing_zeros()
}
