//! Fuzz target: arbitrary sequences of every call, by arbitrary accounts (users, providers,
//! strangers, the unfunded enclave key) with arbitrary arguments, receipts signed by the right
//! key, by another key or not at all, root's dispute resolutions, and blocks passing in between,
//! driven by `arbitrary` bytes (`arbtest`). After every step the pallet's invariants hold
//! (`do_try_state`), and a call that fails leaves the whole state as it was (same storage root).
//! `ARBTEST_BUDGET_MS` sets how long it runs.

use super::*;
use arbtest::arbitrary::{Result, Unstructured};
use polkadot_sdk::sp_io;
use polkadot_sdk::{
	frame_support::{dispatch::GetDispatchInfo, traits::UnfilteredDispatchable},
	sp_runtime::{Perbill, StateVersion},
};

/// Every dev key; Eve's account has no funds.
const KEYS: [Sr25519Keyring; 6] = [
	Sr25519Keyring::Alice,
	Sr25519Keyring::Bob,
	Sr25519Keyring::Charlie,
	Sr25519Keyring::Dave,
	Sr25519Keyring::Eve,
	Sr25519Keyring::Ferdie,
];

/// An amount near the edges that matter, or any amount.
fn amount(u: &mut Unstructured) -> Result<Balance> {
	Ok(match u.int_in_range(0..=6)? {
		0 => 0,
		1 => MIN_STAKE - 1,
		2 => MIN_STAKE,
		3 => INITIAL_BALANCE,
		4 => Balance::MAX,
		5 => u.int_in_range(1..=10_000)?,
		_ => u.arbitrary()?,
	})
}

fn bounded<const MAX: u32>(
	u: &mut Unstructured,
) -> Result<BoundedVec<u8, polkadot_sdk::frame_support::traits::ConstU32<MAX>>> {
	let len = u.int_in_range(0..=MAX as usize)?;
	Ok(BoundedVec::truncate_from(u.bytes(len)?.to_vec()))
}

fn account(u: &mut Unstructured) -> Result<AccountId> {
	Ok(u.choose(&KEYS)?.to_account_id())
}

fn service_id(u: &mut Unstructured) -> Result<ServiceId> {
	let next = NextServiceId::<Test>::get();
	if u.ratio(4, 5)? {
		u.int_in_range(next.saturating_sub(4)..=next)
	} else {
		u.arbitrary()
	}
}

fn job_id(u: &mut Unstructured) -> Result<JobId> {
	let next = NextJobId::<Test>::get();
	if u.ratio(4, 5)? {
		u.int_in_range(next.saturating_sub(4)..=next)
	} else {
		u.arbitrary()
	}
}

fn verifiability(u: &mut Unstructured) -> Result<Verifiability<AccountId>> {
	Ok(if u.ratio(3, 4)? {
		Verifiability::None
	} else {
		Verifiability::Tee { signer: account(u)? }
	})
}

/// A batch of receipts for `service`, each from some user to some provider, signed by the user,
/// by another key, or carrying another receipt's signature.
fn receipts(
	u: &mut Unstructured,
	service: ServiceId,
) -> Result<
	BoundedVec<
		SignedReceipt<AccountId, Balance, MultiSignature>,
		<Test as Config>::MaxReceiptsPerBatch,
	>,
> {
	let mut batch = Vec::new();
	for _ in 0..u.int_in_range(0..=6)? {
		let user_key = *u.choose(&KEYS)?;
		let receipt = InferenceReceipt {
			user: user_key.to_account_id(),
			provider: account(u)?,
			service: if u.ratio(4, 5)? { service } else { u.arbitrary()? },
			nonce: u.int_in_range(0..=8)?,
			input_tokens: u.int_in_range(0..=1_000)?,
			output_tokens: u.int_in_range(0..=1_000)?,
			fee: amount(u)?,
			request_hash: H256(u.arbitrary()?),
		};
		let signer = if u.ratio(4, 5)? { user_key } else { *u.choose(&KEYS)? };
		let mut signed = sign(signer, receipt);
		if u.ratio(1, 10)? {
			signed.receipt.fee = signed.receipt.fee.saturating_add(1);
		}
		batch.push(signed);
	}
	Ok(BoundedVec::truncate_from(batch))
}

/// One of four file roots, whose storage the fuzzer changes between calls.
fn file_root(u: &mut Unstructured) -> Result<H256> {
	Ok(H256::repeat_byte(u.int_in_range(0..=3)?))
}

/// One call of the pallet, and whether root sends it.
fn call(u: &mut Unstructured) -> Result<(Call<Test>, bool)> {
	let call = match u.int_in_range(0..=19)? {
		0 => Call::register_service {
			kind: if u.arbitrary()? { ServiceKind::Inference } else { ServiceKind::Job },
			model: bounded::<64>(u)?,
			endpoint: bounded::<128>(u)?,
			input_price_per_token: amount(u)?,
			output_price_per_token: amount(u)?,
			verifiability: verifiability(u)?,
			stake: amount(u)?,
		},
		1 => Call::update_service {
			service: service_id(u)?,
			model: bounded::<64>(u)?,
			endpoint: bounded::<128>(u)?,
			input_price_per_token: amount(u)?,
			output_price_per_token: amount(u)?,
			verifiability: verifiability(u)?,
			stake: amount(u)?,
		},
		2 => Call::remove_service { service: service_id(u)? },
		3 => Call::deposit { amount: amount(u)? },
		4 => Call::withdraw { amount: amount(u)? },
		5 => Call::fund_provider { provider: account(u)?, amount: amount(u)? },
		6 => Call::request_refund { provider: account(u)?, amount: amount(u)? },
		7 => Call::claim_refund {},
		8 => {
			let service = service_id(u)?;
			Call::settle_receipts { service, receipts: receipts(u, service)? }
		},
		9 => Call::create_job {
			service: service_id(u)?,
			dataset_root: file_root(u)?,
			params_hash: H256(u.arbitrary()?),
			max_fee: amount(u)?,
			deadline: System::block_number() + u.int_in_range(0..=MAX_JOB_DURATION + 2)?,
		},
		10 => Call::submit_result {
			job: job_id(u)?,
			result_root: file_root(u)?,
			output_hash: H256(u.arbitrary()?),
			fee_used: amount(u)?,
		},
		11 => Call::accept_result { job: job_id(u)? },
		12 => Call::dispute { job: job_id(u)? },
		13 => Call::resolve_dispute {
			job: job_id(u)?,
			provider_share: Perbill::from_parts(u.int_in_range(0..=1_000_000_000)?),
		},
		14 => Call::decline_job { job: job_id(u)? },
		15 => Call::approve_enclave { signer: account(u)?, evidence_hash: H256(u.arbitrary()?) },
		16 => Call::revoke_enclave { signer: account(u)? },
		17 => Call::acknowledge_signer { service: service_id(u)?, signer: account(u)? },
		18 => Call::remove_acknowledgement { service: service_id(u)? },
		_ => Call::set_job_terms {
			service: service_id(u)?,
			min_fee: amount(u)?,
			max_dataset_size: if u.arbitrary()? { Some(u.int_in_range(0..=2_000)?) } else { None },
		},
	};
	let governance = matches!(
		call,
		Call::resolve_dispute { .. } | Call::approve_enclave { .. } | Call::revoke_enclave { .. }
	);
	let by_root = governance && u.ratio(3, 4)?;
	Ok((call, by_root))
}

/// Dispatches `call`; a failed call must leave every byte of state as it was.
fn dispatch_checked(call: Call<Test>, origin: RuntimeOrigin) {
	let _ = call.get_dispatch_info();
	let before = sp_io::storage::root(StateVersion::V1);
	if let Err(error) = call.clone().dispatch_bypass_filter(origin) {
		assert_eq!(
			before,
			sp_io::storage::root(StateVersion::V1),
			"{call:?} failed with {error:?} but changed state"
		);
	}
}

#[test]
fn fuzz_calls_and_blocks_keep_the_invariants() {
	arbtest::arbtest(|u| {
		new_test_ext().execute_with(|| -> Result<()> {
			for _ in 0..u.int_in_range(1..=60)? {
				if u.ratio(1, 5)? {
					run_to_block(System::block_number() + u.int_in_range(1..=15)?);
				} else if u.ratio(1, 10)? {
					let root = file_root(u)?;
					if u.arbitrary()? {
						forget_file(root);
					} else {
						let expires_at = System::block_number() + u.int_in_range(0..=60)?;
						store_file(root, u.int_in_range(0..=2_000)?, expires_at);
					}
				} else {
					let (call, by_root) = call(u)?;
					let origin = if by_root {
						RuntimeOrigin::root()
					} else {
						RuntimeOrigin::signed(account(u)?)
					};
					dispatch_checked(call, origin);
				}
				ComputeEscrow::do_try_state().expect("invariants hold after every step");
			}
			Ok(())
		})
	});
}
