//! Reed-Solomon encoding of a blob into committed shards and decoding from any `k` of them.
//!
//! std-only: `reed-solomon-simd` picks its SIMD engine at run time and the shards of a large blob
//! are far beyond what the runtime should hold. The runtime only needs
//! [`verify_shard`](super::verify_shard).

use super::{
	check_coding_params, commit_shards, shard_bytes, verify_shard, BlobCommitment, EncodedBlob,
	Error, ShardProof, MAX_BLOB_SIZE,
};
use alloc::{vec, vec::Vec};
use reed_solomon_simd::{ReedSolomonDecoder, ReedSolomonEncoder};

/// Erasure-codes `blob` into `data_shards` (`k`) data shards and `parity_shards` (`m`) parity
/// shards, and commits to them.
///
/// Fails for a blob over [`MAX_BLOB_SIZE`] bytes or a coding that [`check_coding_params`]
/// rejects. The result is deterministic: the same blob and coding always give the same shards
/// and root.
pub fn encode_blob(
	blob: &[u8],
	data_shards: u16,
	parity_shards: u16,
) -> Result<EncodedBlob, Error> {
	let size_bytes = blob_size(blob)?;
	check_coding_params(data_shards, parity_shards)?;
	let shard_len = shard_len(size_bytes, data_shards)?;
	let k = usize::from(data_shards);

	// Zero-pad to `k * shard_len` (the padding rule of the module docs) and cut in order.
	let mut shards: Vec<Vec<u8>> = Vec::with_capacity(k + usize::from(parity_shards));
	let mut rest = blob;
	for _ in 0..k {
		let (head, tail) = rest.split_at(rest.len().min(shard_len));
		let mut shard = Vec::with_capacity(shard_len);
		shard.extend_from_slice(head);
		shard.resize(shard_len, 0);
		shards.push(shard);
		rest = tail;
	}

	let mut encoder = ReedSolomonEncoder::new(k, usize::from(parity_shards), shard_len)
		.map_err(|_| Error::ErasureCoding)?;
	for shard in &shards {
		encoder.add_original_shard(shard).map_err(|_| Error::ErasureCoding)?;
	}
	let parity = encoder.encode().map_err(|_| Error::ErasureCoding)?;
	shards.extend(parity.recovery_iter().map(<[u8]>::to_vec));
	commit_shards(shards, size_bytes, data_shards, parity_shards)
}

/// Rebuilds the blob behind `commitment` from any `k` of its shards, given as
/// `(index, shard bytes, proof)`.
///
/// Every shard is first checked with [`verify_shard`] and the first failure is returned as is
/// (for a tampered shard, [`Error::ProofMismatch`] with its index); then repeated indices give
/// [`Error::DuplicateShard`] and fewer than `k` shards [`Error::NotEnoughShards`]. Shards beyond
/// the first `k` are checked but not used. The rebuilt blob is re-encoded and must give the
/// committed root, else [`Error::InconsistentEncoding`]: so a commitment decodes to one blob
/// whichever shards are at hand.
pub fn decode_blob(
	commitment: &BlobCommitment,
	shards: &[(u16, &[u8], &ShardProof)],
) -> Result<Vec<u8>, Error> {
	commitment.validate()?;
	for &(index, shard, proof) in shards {
		verify_shard(commitment, index, shard, proof)?;
	}

	let k = usize::from(commitment.data_shards);
	let total = usize::from(commitment.total_shards());
	let shard_len = shard_len(commitment.size_bytes, commitment.data_shards)?;
	let mut by_index: Vec<Option<&[u8]>> = vec![None; total];
	for &(index, shard, _) in shards {
		// `verify_shard` checked `index < k + m`.
		let slot = by_index.get_mut(usize::from(index)).ok_or(Error::ShardIndexOutOfRange {
			index,
			total_shards: commitment.total_shards(),
		})?;
		if slot.replace(shard).is_some() {
			return Err(Error::DuplicateShard { index });
		}
	}
	let distinct = by_index.iter().filter(|shard| shard.is_some()).count();
	if distinct < k {
		return Err(Error::NotEnoughShards {
			needed: commitment.data_shards,
			// `distinct < k <= u16::MAX`.
			got: u16::try_from(distinct).unwrap_or(u16::MAX),
		});
	}

	let (data, parity) = by_index.split_at(k);
	let mut blob = Vec::with_capacity(k * shard_len);
	if data.iter().all(Option::is_some) {
		data.iter().flatten().for_each(|shard| blob.extend_from_slice(shard));
	} else {
		let mut decoder =
			ReedSolomonDecoder::new(k, usize::from(commitment.parity_shards), shard_len)
				.map_err(|_| Error::ErasureCoding)?;
		let present = data.iter().filter(|shard| shard.is_some()).count();
		for (index, shard) in data.iter().enumerate() {
			if let Some(shard) = shard {
				decoder.add_original_shard(index, shard).map_err(|_| Error::ErasureCoding)?;
			}
		}
		// Exactly `k` shards in all: more parity would only cost time.
		for (index, shard) in parity
			.iter()
			.enumerate()
			.filter_map(|(index, shard)| shard.map(|shard| (index, shard)))
			.take(k - present)
		{
			decoder.add_recovery_shard(index, shard).map_err(|_| Error::ErasureCoding)?;
		}
		let restored = decoder.decode().map_err(|_| Error::ErasureCoding)?;
		for (index, shard) in data.iter().enumerate() {
			let shard = match shard {
				Some(shard) => *shard,
				None => restored.restored_original(index).ok_or(Error::ErasureCoding)?,
			};
			blob.extend_from_slice(shard);
		}
	}
	blob.truncate(commitment.size_bytes as usize);

	if encode_blob(&blob, commitment.data_shards, commitment.parity_shards)?.commitment
		!= *commitment
	{
		return Err(Error::InconsistentEncoding);
	}
	Ok(blob)
}

/// Size of `blob` as committed, if it is within [`MAX_BLOB_SIZE`].
fn blob_size(blob: &[u8]) -> Result<u32, Error> {
	u32::try_from(blob.len())
		.ok()
		.filter(|size| *size <= MAX_BLOB_SIZE)
		.ok_or(Error::BlobTooLarge { size_bytes: u64::try_from(blob.len()).unwrap_or(u64::MAX) })
}

/// [`shard_bytes`] as a `usize`, the type the coder and slices use.
fn shard_len(size_bytes: u32, data_shards: u16) -> Result<usize, Error> {
	// `u32` always fits `usize` on the 32- and 64-bit hosts this code runs on.
	shard_bytes(size_bytes, data_shards).map(|bytes| bytes as usize)
}
