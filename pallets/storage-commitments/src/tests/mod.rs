//! Unit tests, one file per group of calls or hooks, plus the off-chain worker and the weights.
//! Every test runs through `build_and_execute`, which checks `do_try_state` at its end.

mod assignment;
mod challenges;
mod expiry;
mod fuzz;
mod genesis;
mod offchain;
mod providers;
mod renew;
mod rewards;
mod spread;
mod stored_files;
mod submit;
mod weights;

use crate::{mock::*, *};
use polkadot_sdk::{
	frame_support::{
		assert_ok,
		dispatch::DispatchResultWithPostInfo,
		traits::fungible::{Inspect, InspectHold},
		BoundedVec,
	},
	sp_keyring::Sr25519Keyring,
};
use zerog_primitives::storage::{chunk_count, chunk_proof, file_root, CHUNK_SIZE, SEGMENT_SIZE};

pub fn alice() -> AccountId {
	Sr25519Keyring::Alice.to_account_id()
}
pub fn bob() -> AccountId {
	Sr25519Keyring::Bob.to_account_id()
}
/// The first provider.
pub fn charlie() -> AccountId {
	Sr25519Keyring::Charlie.to_account_id()
}
/// The second provider.
pub fn dave() -> AccountId {
	Sr25519Keyring::Dave.to_account_id()
}
pub fn eve() -> AccountId {
	Sr25519Keyring::Eve.to_account_id()
}
pub fn ferdie() -> AccountId {
	Sr25519Keyring::Ferdie.to_account_id()
}
/// An account without funds.
pub fn pauper() -> AccountId {
	AccountId::new([0x99; 32])
}

/// A file held in memory, with what its owner and its providers compute from it.
pub struct TestFile {
	pub data: Vec<u8>,
	pub root: H256,
}

impl TestFile {
	/// `size` bytes that depend on `seed` and contain no run of zeros.
	pub fn new(size: usize, seed: u8) -> Self {
		let data: Vec<u8> =
			(0..size).map(|i| ((i % 251) as u8).wrapping_add(seed).max(1)).collect();
		let root = file_root(&data).expect("test files are small");
		Self { data, root }
	}

	/// The file most tests use: two segments and a short last chunk (2050 chunks, the last of
	/// 44 bytes).
	pub fn standard() -> Self {
		Self::new(2 * SEGMENT_SIZE + 300, 1)
	}

	pub fn size(&self) -> u64 {
		self.data.len() as u64
	}

	/// The fee of one lifetime of this file.
	pub fn fee(&self) -> Balance {
		chunk_count(self.size()) as Balance * FEE_PER_CHUNK
	}

	/// Chunk `index` without padding.
	pub fn chunk(&self, index: u64) -> ChunkBytes {
		let chunk = self.data.chunks(CHUNK_SIZE).nth(index as usize).expect("index in the file");
		BoundedVec::try_from(chunk.to_vec()).expect("a chunk fits")
	}

	/// The proof of chunk `index`.
	pub fn proof(&self, index: u64) -> ChunkProof {
		chunk_proof(&self.data, index).expect("index in the file")
	}
}

/// `tags` as call argument.
pub fn tags(tags: &[&[u8]]) -> FileTags<Test> {
	BoundedVec::try_from(
		tags.iter()
			.map(|tag| BoundedVec::try_from(tag.to_vec()).expect("test tags are short"))
			.collect::<Vec<_>>(),
	)
	.expect("test tags fit")
}

pub fn endpoint() -> Endpoint<Test> {
	BoundedVec::truncate_from(b"https://storage.example.org".to_vec())
}

/// `who` submits `file` without tags, for one replica; returns the id it gets (or already had).
pub fn submit_file(who: &AccountId, file: &TestFile) -> FileId {
	submit_replicated(who, file, 1)
}

/// `who` submits `file` without tags, for `replicas` replicas; returns its id.
pub fn submit_replicated(who: &AccountId, file: &TestFile, replicas: u8) -> FileId {
	assert_ok!(StorageCommitments::submit(
		RuntimeOrigin::signed(who.clone()),
		file.root,
		file.size(),
		Default::default(),
		replicas,
	));
	FileIndex::<Test>::get(file.root, file.size()).expect("the file is logged")
}

/// `who` registers as a provider with the minimum stake and offers [`CAPACITY`] bytes.
pub fn register(who: &AccountId) {
	register_offering(who, MIN_STAKE, CAPACITY);
}

/// `who` registers as a provider with `stake` and offers `capacity` bytes.
pub fn register_offering(who: &AccountId, stake: Balance, capacity: u64) {
	assert_ok!(StorageCommitments::register_provider(
		RuntimeOrigin::signed(who.clone()),
		stake,
		endpoint()
	));
	assert_ok!(StorageCommitments::declare_capacity(RuntimeOrigin::signed(who.clone()), capacity));
}

/// Runs `test` like [`build_and_execute`], with Ferdie registered as a provider first, so that
/// files can be submitted (a file needs as many active providers as replicas).
pub fn build_with_provider(test: impl FnOnce()) {
	build_and_execute(|| {
		register(&ferdie());
		test()
	});
}

/// The providers assigned file `id`.
pub fn holders(id: FileId) -> Vec<AccountId> {
	Replicas::<Test>::get(id)
		.map(|set| set.holders.into_iter().map(|replica| replica.provider).collect())
		.unwrap_or_default()
}

/// `provider` acknowledges file `id`.
pub fn ack(provider: &AccountId, id: FileId) -> DispatchResultWithPostInfo {
	StorageCommitments::acknowledge(
		RuntimeOrigin::signed(provider.clone()),
		BoundedVec::truncate_from(vec![id]),
	)
}

/// Runs to the next block (where queued files get their providers), and every provider
/// assigned file `id` acknowledges it.
pub fn assign_and_ack(id: FileId) {
	run_to_block(System::block_number() + 1);
	ack_all(id);
}

/// Every provider assigned file `id` acknowledges it now.
pub fn ack_all(id: FileId) {
	for provider in holders(id) {
		assert_ok!(ack(&provider, id));
	}
}

/// The challenge of `provider` in `period`.
pub fn challenge_of(provider: &AccountId, period: PeriodIndex) -> ChallengeOf<Test> {
	Challenges::<Test>::get(provider, period).expect("a challenge was issued")
}

/// `provider` answers its challenge of `period` on `file` with the right chunk and proof.
pub fn prove(
	provider: &AccountId,
	period: PeriodIndex,
	file: &TestFile,
) -> DispatchResultWithPostInfo {
	let index = challenge_of(provider, period).chunk_index;
	StorageCommitments::submit_proof(
		RuntimeOrigin::signed(provider.clone()),
		period,
		file.chunk(index),
		Box::new(file.proof(index)),
	)
}

/// Charlie registers and Alice submits the standard file at block 1; Charlie is assigned it at
/// block 2 and acknowledges it in block 10 (after period 1's challenges, within the
/// acknowledgement window); runs to block 20, where the file gets Charlie's challenge of
/// period 2.
pub fn challenged_setup() -> TestFile {
	let file = TestFile::standard();
	register(&charlie());
	let id = submit_file(&alice(), &file);
	run_to_block(10);
	ack_all(id);
	run_to_block(20);
	file
}

/// The last event of this pallet.
pub fn last_event() -> Event<Test> {
	events().pop().expect("an event of the pallet")
}

/// Every event of this pallet, oldest first.
pub fn events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::StorageCommitments(event) => Some(event),
			_ => None,
		})
		.collect()
}

pub fn free(who: &AccountId) -> Balance {
	Balances::balance(who)
}

pub fn stake_held(who: &AccountId) -> Balance {
	Balances::balance_on_hold(&HoldReason::ProviderStake.into(), who)
}

pub fn pool_balance() -> Balance {
	Balances::balance(&StorageCommitments::pool_account())
}

pub fn file(id: FileId) -> FileInfo<Test> {
	Files::<Test>::get(id).expect("the file is live")
}
