//! Data-availability blobs: erasure coding into shards and a commitment that every shard can be
//! checked against.
//!
//! ## Overview
//!
//! A blob of at most [`MAX_BLOB_SIZE`] bytes is split into `k` data shards and extended with `m`
//! parity shards by Reed-Solomon coding ([`encode_blob`]); any `k` of the `k + m` shards rebuild
//! it ([`decode_blob`]). Signers each hold a few shards, so the blob survives as long as any `k`
//! shards do. The [`BlobCommitment`] is what the chain stores; [`verify_shard`] checks one shard
//! and its [`ShardProof`] against it and is `no_std`, so the runtime can check shards itself.
//! Encoding and decoding need the standard library and sit behind the `std` feature.
//!
//! ## Terminology
//!
//! - *data shard*: one of the `k` equal slices of the zero-padded blob, indices `0..k`.
//! - *parity shard*: one of the `m` Reed-Solomon recovery shards, indices `k..k + m`.
//! - *shard size*: the byte length shared by all `k + m` shards, see [`shard_bytes`].
//!
//! ## Padding
//!
//! The shard size is `ceil(size / k)` rounded up to a multiple of [`SHARD_ALIGN_BYTES`] (64: the
//! chunk `reed-solomon-simd` codes, so that fingerprints commute with encoding), and at least
//! [`SHARD_ALIGN_BYTES`], so an empty blob still has shards. The blob is padded with zero bytes
//! to `k * shard size` and cut into the data shards in order. The commitment carries the original
//! size so decoding trims the padding again.
//!
//! ## Commitment
//!
//! - Each shard has its own *chunk tree*: leaves are `keccak256` of its [`CHUNK_BYTES`] chunks
//!   (the last may be shorter), so a custody challenge can ask for one chunk and get a proof that
//!   fits a transaction ([`verify_chunk`]).
//! - Leaf `i` of the *shard tree* = `keccak256(i as u16 little-endian || chunk root of shard i)`.
//!   The index binds a shard to its position.
//! - Both trees pad their leaves to the next power of two with [`EMPTY_LEAF`] (32 zero bytes,
//!   which no keccak output is known to equal), and each inner node is `keccak256(left ||
//!   right)`. No domain tags are needed: the depths are fixed by the coding and the shard size
//!   and every proof must have exactly that many siblings, so an inner node can never be
//!   presented as a leaf.
//! - [`BlobCommitment::root`] = `keccak256(shards root || fingerprints hash || size as u32 LE ||
//!   k as u16 LE || m as u16 LE)`, where the fingerprints hash is the keccak-256 of the data
//!   shards' encoding [`fingerprint`]s. One hash fixes the shards, how they were coded and how to
//!   read them, so two commitments with the same root cannot disagree on size or coding.
//!
//! A shard proof shows that a shard belongs to the committed tree; [`check_encoding`] (run by
//! every signer on the shards it is given) shows, up to a `2^-64` chance per attempt of the
//! committer, that the shards lie on the Reed-Solomon codeword the fingerprints fix. Readers do
//! not rely on it: [`decode_blob`] re-encodes what it rebuilt and checks the root, so a blob
//! decodes to the same bytes from every set of `k` shards, or to [`Error::InconsistentEncoding`].

mod commit;
mod commitment;
mod error;
pub mod fingerprint;
mod merkle;
mod params;
mod proof;
pub mod transport;

#[cfg(feature = "coding")]
mod coding;

#[cfg(test)]
mod tests;

pub use commitment::BlobCommitment;
pub use error::Error;
pub use merkle::EMPTY_LEAF;
pub use params::{
	check_coding_params, chunk_count, chunk_proof_depth, fingerprint_bytes, proof_depth,
	shard_bytes, CHUNK_BYTES, DEFAULT_DATA_SHARDS, DEFAULT_PARITY_SHARDS, FINGERPRINTS_PER_SHARD,
	MAX_BLOB_SIZE, MAX_CHUNK_PROOF_DEPTH, MAX_PARITY_SHARDS_PER_DATA_SHARD, MAX_PROOF_DEPTH,
	MAX_TOTAL_SHARDS, SHARD_ALIGN_BYTES,
};
pub use proof::{
	verify_chunk, verify_shard, ChunkProof, ChunkProofSiblings, ShardProof, ShardProofSiblings,
};

pub use commit::{chunk_proof, commit_shards, shard_chunk, EncodedBlob};

#[cfg(feature = "coding")]
pub use coding::{decode_blob, encode_blob};
#[cfg(feature = "coding")]
pub use fingerprint::check_encoding;
