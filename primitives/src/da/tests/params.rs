use crate::da::*;

#[test]
fn default_coding_is_valid() {
	assert_eq!(check_coding_params(DEFAULT_DATA_SHARDS, DEFAULT_PARITY_SHARDS), Ok(()));
}

#[test]
fn coding_rejects_zero_data_shards() {
	assert_eq!(check_coding_params(0, 1), Err(Error::NoDataShards));
	assert_eq!(shard_bytes(10, 0), Err(Error::NoDataShards));
}

#[test]
fn coding_rejects_zero_parity_shards() {
	assert_eq!(check_coding_params(1, 0), Err(Error::NoParityShards));
}

#[test]
fn coding_rejects_more_than_max_total_shards() {
	assert_eq!(check_coding_params(512, 512), Ok(()));
	assert_eq!(check_coding_params(512, 513), Err(Error::TooManyShards { total: 1025 }));
	assert_eq!(
		check_coding_params(u16::MAX, u16::MAX),
		Err(Error::TooManyShards { total: 2 * u32::from(u16::MAX) })
	);
}

#[test]
fn coding_rejects_too_much_parity() {
	assert_eq!(check_coding_params(1, 3), Ok(()));
	assert_eq!(
		check_coding_params(1, 4),
		Err(Error::TooManyParityShards { data_shards: 1, parity_shards: 4 })
	);
	assert_eq!(check_coding_params(256, 768), Ok(()));
}

#[test]
fn shard_size_is_whole_chunks_nonzero_and_covers_the_blob() {
	assert_eq!(shard_bytes(0, 16), Ok(64));
	assert_eq!(shard_bytes(1, 16), Ok(64));
	assert_eq!(shard_bytes(3, 1), Ok(64));
	assert_eq!(shard_bytes(16 * 64, 16), Ok(64));
	assert_eq!(shard_bytes(16 * 64 + 1, 16), Ok(128));
	assert_eq!(shard_bytes(16 * 1025, 16), Ok(1088));
	assert_eq!(shard_bytes(MAX_BLOB_SIZE, 16), Ok(2 * 1024 * 1024));
	assert_eq!(shard_bytes(MAX_BLOB_SIZE, 1), Ok(MAX_BLOB_SIZE));
	assert_eq!(shard_bytes(MAX_BLOB_SIZE, 3), Ok(11_184_832));
	for size in [0, 1, 2, 7, 100, 1_000_003, MAX_BLOB_SIZE] {
		for k in [1u16, 2, 3, 16, 255, 1023] {
			let bytes = shard_bytes(size, k).unwrap();
			assert_eq!(bytes % SHARD_ALIGN_BYTES, 0);
			assert!(bytes >= SHARD_ALIGN_BYTES);
			assert!(u64::from(bytes) * u64::from(k) >= u64::from(size));
			// No more padding than alignment needs.
			assert!(u64::from(bytes - SHARD_ALIGN_BYTES) * u64::from(k) < u64::from(size.max(1)));
		}
	}
}

#[test]
fn shard_size_rejects_blob_over_max() {
	assert_eq!(
		shard_bytes(MAX_BLOB_SIZE + 1, 16),
		Err(Error::BlobTooLarge { size_bytes: u64::from(MAX_BLOB_SIZE) + 1 })
	);
}

#[test]
fn proof_depth_is_ceil_log2_of_shard_count() {
	assert_eq!(proof_depth(2), 1);
	assert_eq!(proof_depth(3), 2);
	assert_eq!(proof_depth(4), 2);
	assert_eq!(proof_depth(48), 6);
	assert_eq!(proof_depth(MAX_TOTAL_SHARDS), MAX_PROOF_DEPTH);
	assert_eq!(proof_depth(u16::MAX), 16);
}
