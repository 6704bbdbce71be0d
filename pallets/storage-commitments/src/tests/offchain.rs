//! The off-chain worker: a mocked provider store behind the host functions, the keystore and
//! the pool.

use super::*;
use crate::offchain::*;
use codec::Decode;
use polkadot_sdk::{
	frame_support::{assert_ok, traits::Hooks},
	sp_runtime::{generic::Preamble, traits::Dispatchable},
};
use std::sync::{Arc, Mutex};
use zerog_primitives::storage::host::{
	ChunkWithProof, ProviderStore, ProviderStoreExt, StoreRefusal,
};

/// A node's data store as the worker sees it: whole files in memory, and a log of what the
/// worker asked for.
#[derive(Default)]
struct MockStore {
	files: Vec<(H256, Vec<u8>)>,
	/// Every file read fails as a corrupt disk would.
	failing: bool,
	/// The chunks asked for: `(root, size, chunk index)`.
	asked: Mutex<Vec<(H256, u64, u64)>>,
}

impl MockStore {
	fn holding(files: &[&TestFile]) -> Self {
		Self {
			files: files.iter().map(|file| (file.root, file.data.clone())).collect(),
			..Default::default()
		}
	}

	fn find(&self, root: H256, size: u64) -> Option<&[u8]> {
		self.files
			.iter()
			.find(|(r, data)| *r == root && data.len() as u64 == size)
			.map(|(_, data)| data.as_slice())
	}
}

impl ProviderStore for MockStore {
	fn holds_file(&self, root: H256, size: u64) -> Result<bool, StoreRefusal> {
		if self.failing {
			return Err(StoreRefusal::Failed);
		}
		Ok(self.find(root, size).is_some())
	}

	fn chunk_proof(
		&self,
		root: H256,
		size: u64,
		chunk_index: u64,
	) -> Result<ChunkWithProof, StoreRefusal> {
		self.asked.lock().unwrap().push((root, size, chunk_index));
		if self.failing {
			return Err(StoreRefusal::Failed);
		}
		let data = self.find(root, size).ok_or(StoreRefusal::NotHeld)?;
		let proof = chunk_proof(data, chunk_index).map_err(|_| StoreRefusal::NotHeld)?;
		let chunk = data.chunks(CHUNK_SIZE).nth(chunk_index as usize).unwrap_or_default();
		Ok((chunk.to_vec(), proof))
	}
}

/// An off-chain test environment with the `zgst` keys of `seeds` and `store` registered.
fn ext_with_store(
	seeds: &[&str],
	store: Arc<MockStore>,
) -> (polkadot_sdk::sp_io::TestExternalities, OcwHandles) {
	let (mut ext, handles) = ocw_test_ext(seeds);
	ext.register_extension(ProviderStoreExt::new(store));
	(ext, handles)
}

/// The transactions in the pool, decoded.
fn pool_transactions(handles: &OcwHandles) -> Vec<Extrinsic> {
	handles
		.pool
		.read()
		.transactions
		.iter()
		.map(|tx| Extrinsic::decode(&mut &tx[..]).expect("a mock extrinsic"))
		.collect()
}

#[test]
fn the_worker_proves_the_open_challenge_of_its_key_from_the_store() {
	let file = TestFile::standard();
	let store = Arc::new(MockStore::holding(&[&file]));
	let (mut ext, handles) = ext_with_store(&["//Charlie"], store.clone());
	ext.execute_with(|| {
		challenged_setup();
		let challenge = challenge_of(&charlie(), 2);

		StorageCommitments::offchain_worker(20);

		// The store was asked for exactly the challenged chunk of the exact commitment.
		assert_eq!(
			*store.asked.lock().unwrap(),
			vec![(file.root, file.size(), challenge.chunk_index)]
		);
		let transactions = pool_transactions(&handles);
		assert_eq!(transactions.len(), 1);
		let tx = &transactions[0];
		assert!(matches!(&tx.preamble, Preamble::Signed(who, (), ()) if *who == charlie()));
		let expected = crate::Call::submit_proof {
			period: 2,
			chunk: file.chunk(challenge.chunk_index),
			proof: Box::new(file.proof(challenge.chunk_index)),
		};
		assert_eq!(tx.function, RuntimeCall::StorageCommitments(expected));
		// The chain accepts what the worker sent.
		assert_ok!(tx.function.clone().dispatch(RuntimeOrigin::signed(charlie())));
		assert_eq!(challenge_of(&charlie(), 2).status, ChallengeStatus::Proven);
		StorageCommitments::do_try_state().unwrap();
	});
}

#[test]
fn without_a_store_the_worker_sends_nothing() {
	// Where the node registers no store, the host functions refuse instead of panicking.
	let (mut ext, handles) = ocw_test_ext(&["//Charlie"]);
	ext.execute_with(|| {
		let file = challenged_setup();
		let challenge = challenge_of(&charlie(), 2);
		assert_eq!(
			StorageCommitments::fetch_chunk_proof(&challenge),
			Err(OcwError::Store(StoreRefusal::NoStore))
		);
		assert_eq!(
			StorageCommitments::node_holds(&file.root, file.size()),
			Err(OcwError::Store(StoreRefusal::NoStore))
		);
		StorageCommitments::offchain_worker(20);
		assert!(pool_transactions(&handles).is_empty());
	});
}

/// The worker sends a proof once, not again while it may still be in the pool, and again after
/// `RESEND_AFTER_BLOCKS` blocks if it is still not on chain. Regression: that second try came
/// after five blocks, past the runtime's four-block response window, so a proof dropped from the
/// pool (say, its nonce taken by another transaction of the provider's account) cost the
/// provider its stake.
#[test]
fn the_worker_sends_a_proof_once_then_again_within_the_window_while_it_is_not_on_chain() {
	let file = TestFile::standard();
	let store = Arc::new(MockStore::holding(&[&file]));
	let (mut ext, handles) = ext_with_store(&["//Charlie"], store.clone());
	ext.execute_with(|| {
		challenged_setup();
		StorageCommitments::offchain_worker(20);
		// A second run before the proof is included neither reads the store nor sends.
		StorageCommitments::offchain_worker(21);
		assert_eq!(store.asked.lock().unwrap().len(), 1);
		assert_eq!(pool_transactions(&handles).len(), 1);

		let again = 20 + crate::offchain::RESEND_AFTER_BLOCKS as u64;
		assert!(again + 1 < challenge_of(&charlie(), 2).deadline, "a second try lands in time");
		StorageCommitments::offchain_worker(again);
		let transactions = pool_transactions(&handles);
		assert_eq!(transactions.len(), 2, "the proof is sent again");
		assert_eq!(transactions[0].function, transactions[1].function);
	});
}

#[test]
fn the_worker_ignores_challenges_of_accounts_without_a_key() {
	let file = TestFile::standard();
	let store = Arc::new(MockStore::holding(&[&file]));
	let (mut ext, handles) = ext_with_store(&["//Dave"], store.clone());
	ext.execute_with(|| {
		challenged_setup();
		StorageCommitments::offchain_worker(20);
		assert!(store.asked.lock().unwrap().is_empty());
		assert!(pool_transactions(&handles).is_empty());
	});
}

#[test]
fn the_worker_skips_proven_and_late_challenges() {
	let file = TestFile::standard();
	let store = Arc::new(MockStore::holding(&[&file]));
	let (mut ext, handles) = ext_with_store(&["//Charlie"], store.clone());
	ext.execute_with(|| {
		challenged_setup();
		assert_ok!(prove(&charlie(), 2, &file));
		StorageCommitments::offchain_worker(21);
		assert!(pool_transactions(&handles).is_empty());
		// Period 3's challenge, past its deadline: not worth sending.
		run_to_block(30);
		let deadline = challenge_of(&charlie(), 3).deadline;
		StorageCommitments::offchain_worker(deadline);
		assert!(pool_transactions(&handles).is_empty());
		assert!(store.asked.lock().unwrap().is_empty());
	});
}

#[test]
fn the_worker_sends_nothing_when_the_store_does_not_hold_the_file_or_fails() {
	// Same root, other size: the store holds a different commitment.
	let file = TestFile::standard();
	let mut truncated = file.data.clone();
	truncated.truncate(file.data.len() - 1);
	let other = TestFile { root: file.root, data: truncated };
	for store in
		[MockStore::holding(&[&other]), MockStore { failing: true, ..MockStore::holding(&[&file]) }]
	{
		let store = Arc::new(store);
		let (mut ext, handles) = ext_with_store(&["//Charlie"], store.clone());
		ext.execute_with(|| {
			challenged_setup();
			StorageCommitments::offchain_worker(20);
			assert_eq!(store.asked.lock().unwrap().len(), 1);
			assert!(pool_transactions(&handles).is_empty());
		});
	}
}

#[test]
fn the_worker_acknowledges_the_assigned_files_its_store_holds() {
	let held = TestFile::standard();
	let missing = TestFile::new(SEGMENT_SIZE, 7);
	let store = Arc::new(MockStore::holding(&[&held]));
	let (mut ext, handles) = ext_with_store(&["//Charlie"], store);
	ext.execute_with(|| {
		register(&charlie());
		let held_id = submit_file(&alice(), &held);
		let missing_id = submit_file(&alice(), &missing);
		run_to_block(2);
		assert_eq!(StorageCommitments::pending_files(&charlie()).len(), 2);

		StorageCommitments::offchain_worker(2);

		let transactions = pool_transactions(&handles);
		assert_eq!(transactions.len(), 1, "one transaction acknowledges what is held");
		let files = BoundedVec::try_from(vec![held_id]).unwrap();
		let expected = RuntimeCall::StorageCommitments(crate::Call::acknowledge { files });
		assert_eq!(transactions[0].function, expected);
		// The acknowledgement is not sent again while it may still be in the pool.
		StorageCommitments::offchain_worker(3);
		assert_eq!(pool_transactions(&handles).len(), 1);
		assert_ok!(transactions[0].function.clone().dispatch(RuntimeOrigin::signed(charlie())));
		assert_eq!(StorageCommitments::pending_files(&charlie()), vec![missing_id]);
	});
}

#[test]
fn fit_chunk_strips_the_zero_padding_of_the_last_chunk_only() {
	let file = TestFile::standard();
	let last = chunk_count(file.size()) - 1;
	let unpadded = file.chunk(last).into_inner();
	assert_eq!(unpadded.len(), 44);
	let mut padded = unpadded.clone();
	padded.resize(CHUNK_SIZE, 0);
	assert_eq!(fit_chunk(padded.clone(), file.size(), last).unwrap().into_inner(), unpadded);
	assert_eq!(fit_chunk(unpadded.clone(), file.size(), last).unwrap().into_inner(), unpadded);
	// Data past the file's end is not padding.
	padded[100] = 1;
	assert_eq!(fit_chunk(padded, file.size(), last), Err(OcwError::ChunkLength));
	// A short full chunk, or a chunk past the end.
	assert_eq!(fit_chunk(vec![1; 255], file.size(), 0), Err(OcwError::ChunkLength));
	assert_eq!(fit_chunk(vec![1; 256], file.size(), last + 1), Err(OcwError::ChunkLength));
}
