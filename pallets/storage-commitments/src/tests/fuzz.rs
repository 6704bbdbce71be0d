//! Fuzz target: arbitrary sequences of every call, by arbitrary accounts (funded, unfunded,
//! providers or not) with arbitrary arguments, and blocks passing in between, driven by
//! `arbitrary` bytes (`arbtest`). After every step the pallet's invariants hold
//! (`do_try_state`), and a call that fails leaves the whole state as it was (same storage root).
//!
//! Arguments are drawn around what matters: the roots and sizes of two real files, boundary
//! stakes and sizes, the open challenges of the caller with their true chunk and proof (sometimes
//! tampered with), and plain noise. `ARBTEST_BUDGET_MS` sets how long it runs.

use super::*;
use arbtest::arbitrary::{Result, Unstructured};
use polkadot_sdk::sp_io;
use polkadot_sdk::{
	frame_support::{dispatch::GetDispatchInfo, traits::UnfilteredDispatchable},
	sp_runtime::StateVersion,
};
use std::sync::OnceLock;

/// The files whose real chunks and proofs the fuzzer can send: the standard two-segment file
/// and a one-chunk file.
fn files() -> &'static [TestFile; 2] {
	static FILES: OnceLock<[TestFile; 2]> = OnceLock::new();
	FILES.get_or_init(|| [TestFile::standard(), TestFile::new(100, 9)])
}

/// A caller: one of the funded dev accounts or an account without funds.
fn caller(u: &mut Unstructured) -> Result<AccountId> {
	let mut accounts = funded();
	accounts.push(pauper());
	Ok(u.choose(&accounts)?.clone())
}

/// An amount near the edges that matter, or any amount.
fn amount(u: &mut Unstructured) -> Result<Balance> {
	Ok(match u.int_in_range(0..=5)? {
		0 => 0,
		1 => MIN_STAKE - 1,
		2 => MIN_STAKE,
		3 => INITIAL_BALANCE,
		4 => Balance::MAX,
		_ => u.arbitrary()?,
	})
}

/// A bounded vector of arbitrary bytes, at most `max` long.
fn bytes<const MAX: u32>(
	u: &mut Unstructured,
) -> Result<BoundedVec<u8, polkadot_sdk::frame_support::traits::ConstU32<MAX>>> {
	let len = u.int_in_range(0..=MAX as usize)?;
	Ok(BoundedVec::truncate_from(u.bytes(len)?.to_vec()))
}

/// One call of the pallet, with arguments aimed at interesting states.
fn call(u: &mut Unstructured, who: &AccountId) -> Result<Call<Test>> {
	let files = files();
	Ok(match u.int_in_range(0..=6)? {
		0 => {
			let (root, size) = match u.int_in_range(0..=3)? {
				0 | 1 => {
					let file = u.choose(files)?;
					(file.root, file.size())
				},
				2 => (
					H256(u.arbitrary()?),
					*u.choose(&[0, 1, MAX_FILE_SIZE, MAX_FILE_SIZE + 1, u64::MAX])?,
				),
				_ => (H256(u.arbitrary()?), u.arbitrary()?),
			};
			let count = u.int_in_range(0..=MAX_TAGS as usize)?;
			let tags = (0..count).map(|_| bytes::<16>(u)).collect::<Result<Vec<_>>>()?;
			let replicas = u.int_in_range(0..=MAX_REPLICAS as u8 + 1)?;
			Call::submit { root, size, tags: BoundedVec::truncate_from(tags), replicas }
		},
		1 => Call::renew { file_id: u.int_in_range(0..=4)? },
		2 => Call::register_provider { stake: amount(u)?, endpoint: bytes::<64>(u)? },
		3 => Call::update_provider { stake: amount(u)?, endpoint: bytes::<64>(u)? },
		4 => Call::unregister {},
		5 => Call::withdraw_unbonded {},
		6 if u.ratio(1, 2)? => {
			Call::declare_capacity { bytes: *u.choose(&[0, 1, MAX_FILE_SIZE, CAPACITY, u64::MAX])? }
		},
		6 if u.ratio(1, 2)? => {
			let count = u.int_in_range(0..=MAX_ACKS as usize)?;
			let files = (0..count).map(|_| u.int_in_range(0..=5)).collect::<Result<Vec<_>>>()?;
			Call::acknowledge { files: BoundedVec::truncate_from(files) }
		},
		_ => proof_call(u, who)?,
	})
}

/// `submit_proof` for one of `who`'s challenges (or a made-up period), with the true chunk and
/// proof of the challenged file, tampered with or not, or with noise.
fn proof_call(u: &mut Unstructured, who: &AccountId) -> Result<Call<Test>> {
	let challenges: Vec<_> = Challenges::<Test>::iter_prefix(who).collect();
	let challenged = if challenges.is_empty() || u.ratio(1, 5)? {
		None
	} else {
		Some(u.choose(&challenges)?.clone())
	};
	let Some((period, challenge)) = challenged else {
		let file = u.choose(files())?;
		let index = u.int_in_range(0..=chunk_count(file.size()) - 1)?;
		return Ok(Call::submit_proof {
			period: u.arbitrary()?,
			chunk: file.chunk(index),
			proof: Box::new(file.proof(index)),
		});
	};
	let file = files().iter().find(|file| file.root == challenge.root);
	let (mut chunk, mut proof) = match file {
		Some(file) => (file.chunk(challenge.chunk_index), file.proof(challenge.chunk_index)),
		None => (bytes::<256>(u)?, TestFile::standard().proof(0)),
	};
	match u.int_in_range(0..=4)? {
		0 if !chunk.is_empty() => {
			let at = u.choose_index(chunk.len())?;
			chunk[at] ^= u.int_in_range(1..=255)?;
		},
		1 => proof.index_in_segment = u.arbitrary()?,
		2 => proof.segment_proof.segment_index = u.arbitrary()?,
		_ => {},
	}
	Ok(Call::submit_proof { period, chunk, proof: Box::new(proof) })
}

/// Dispatches `call` from `who`; a failed call must leave every byte of state as it was.
fn dispatch_checked(call: Call<Test>, who: AccountId) {
	let _ = call.get_dispatch_info();
	let before = sp_io::storage::root(StateVersion::V1);
	let result = call.clone().dispatch_bypass_filter(RuntimeOrigin::signed(who));
	if let Err(error) = result {
		assert_eq!(
			before,
			sp_io::storage::root(StateVersion::V1),
			"{call:?} failed with {error:?} but changed state"
		);
	}
}

#[test]
fn fuzz_calls_and_blocks_keep_the_invariants() {
	files();
	arbtest::arbtest(|u| {
		new_test_ext().execute_with(|| -> Result<()> {
			for _ in 0..u.int_in_range(1..=60)? {
				if u.ratio(1, 4)? {
					run_to_block(System::block_number() + u.int_in_range(1..=12)?);
				} else {
					let who = caller(u)?;
					let call = call(u, &who)?;
					dispatch_checked(call, who);
				}
				StorageCommitments::do_try_state().expect("invariants hold after every step");
			}
			Ok(())
		})
	});
}
