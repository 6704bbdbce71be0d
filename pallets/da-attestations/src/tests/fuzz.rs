//! Fuzz target: arbitrary sequences of every call, by arbitrary accounts (signers or not, funded
//! or not) with arbitrary arguments, and blocks passing in between, driven by `arbitrary` bytes
//! (`arbtest`). After every step the pallet's invariants hold (`do_try_state`), and a call that
//! fails leaves the whole state as it was (same storage root).
//!
//! Arguments are drawn around what matters: valid and invalid codings and sizes, the caller's own
//! DA key or another one, the ids of recent blobs, boundary stakes, and plain noise.
//! `ARBTEST_BUDGET_MS` sets how long it runs.

use super::*;
use arbtest::arbitrary::{Result, Unstructured};
use polkadot_sdk::sp_io;
use polkadot_sdk::{
	frame_support::{dispatch::GetDispatchInfo, traits::UnfilteredDispatchable},
	sp_runtime::StateVersion,
};

/// A caller: a dev account, an extra signer, or an account without funds.
fn caller(u: &mut Unstructured) -> Result<AccountId> {
	Ok(match u.int_in_range(0..=7)? {
		0..=5 => u.choose(&[alice(), bob(), charlie(), dave(), eve(), ferdie()])?.clone(),
		6 => extra_signer(u.int_in_range(0..=EXTRA_SIGNERS - 1)?),
		_ => AccountId::new([0x99; 32]),
	})
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

fn endpoint_bytes(
	u: &mut Unstructured,
) -> Result<BoundedVec<u8, <Test as Config>::MaxEndpointLen>> {
	let len = u.int_in_range(0..=64)?;
	Ok(BoundedVec::truncate_from(u.bytes(len)?.to_vec()))
}

/// A commitment: usually a valid coding with a small size, sometimes any fields at all.
fn any_commitment(u: &mut Unstructured) -> Result<BlobCommitment> {
	if u.ratio(1, 4)? {
		return Ok(BlobCommitment {
			root: H256(u.arbitrary()?),
			size_bytes: u.arbitrary()?,
			data_shards: u.arbitrary()?,
			parity_shards: u.arbitrary()?,
		});
	}
	Ok(BlobCommitment {
		root: H256::repeat_byte(u.int_in_range(0..=7)?),
		size_bytes: u.int_in_range(0..=4_096)?,
		data_shards: u.int_in_range(1..=4)?,
		parity_shards: u.int_in_range(1..=8)?,
	})
}

/// One call of the pallet.
fn call(u: &mut Unstructured, who: &AccountId) -> Result<Call<Test>> {
	Ok(match u.int_in_range(0..=5)? {
		0 => Call::submit_blob { commitment: any_commitment(u)?, namespace: u.arbitrary()? },
		1 => Call::register_signer {
			stake: amount(u)?,
			da_key: if u.ratio(3, 4)? {
				da_key(who)
			} else {
				sr25519::Public::from_raw(u.arbitrary()?)
			},
			endpoint: endpoint_bytes(u)?,
		},
		2 => Call::update_signer { stake: amount(u)?, endpoint: endpoint_bytes(u)? },
		3 => Call::unregister_signer {},
		4 => Call::withdraw_unbonded {},
		_ => {
			let next = NextBlobId::<Test>::get();
			let count = u.int_in_range(0..=MAX_BATCH as usize)?;
			let ids = (0..count)
				.map(|_| {
					if u.ratio(4, 5)? {
						u.int_in_range(next.saturating_sub(6)..=next)
					} else {
						u.arbitrary()
					}
				})
				.collect::<Result<Vec<_>>>()?;
			Call::attest { blob_ids: BoundedVec::truncate_from(ids) }
		},
	})
}

/// Dispatches `call` from `who`; a failed call must leave every byte of state as it was.
fn dispatch_checked(call: Call<Test>, who: AccountId) {
	let _ = call.get_dispatch_info();
	let before = sp_io::storage::root(StateVersion::V1);
	if let Err(error) = call.clone().dispatch_bypass_filter(RuntimeOrigin::signed(who)) {
		assert_eq!(
			before,
			sp_io::storage::root(StateVersion::V1),
			"{call:?} failed with {error:?} but changed state"
		);
	}
}

#[test]
fn fuzz_calls_and_blocks_keep_the_invariants() {
	extra_signer(0);
	arbtest::arbtest(|u| {
		new_test_ext().execute_with(|| -> Result<()> {
			for _ in 0..u.int_in_range(1..=60)? {
				if u.ratio(1, 4)? {
					// `run_to_block` checks the invariants after every block.
					run_to_block(System::block_number() + u.int_in_range(1..=12)?);
				} else {
					let who = caller(u)?;
					let call = call(u, &who)?;
					dispatch_checked(call, who);
				}
				DaAttestations::do_try_state().expect("invariants hold after every step");
			}
			Ok(())
		})
	});
}
