//! Unit tests, one file per group of calls, plus the hooks, the invariants over a multi-user
//! scenario and the weights.

mod enclaves;
mod fuzz;
mod genesis;
mod hooks;
mod invariants;
mod jobs;
mod ledger;
mod offchain;
mod paid_results;
mod receipts;
mod services;
// The receipt vectors the TypeScript SDK checks itself against (`sdk/conformance/compute.json`).
mod conformance;
mod weights;

use crate::{mock::*, *};
use polkadot_sdk::{
	frame_support::{
		assert_ok,
		traits::fungible::{Inspect, InspectHold},
		BoundedVec,
	},
	sp_keyring::Sr25519Keyring,
	sp_runtime::MultiSignature,
};

/// Price of an input token in the test services.
pub const INPUT_PRICE: Balance = 2;
/// Price of an output token in the test services.
pub const OUTPUT_PRICE: Balance = 3;

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
/// The enclave key of TEE services.
pub fn eve() -> AccountId {
	Sr25519Keyring::Eve.to_account_id()
}
/// Someone with no part in anything.
pub fn ferdie() -> AccountId {
	Sr25519Keyring::Ferdie.to_account_id()
}

pub fn model() -> BoundedVec<u8, <Test as Config>::MaxModelLen> {
	BoundedVec::truncate_from(b"llama-3-8b-instruct".to_vec())
}

pub fn endpoint() -> BoundedVec<u8, <Test as Config>::MaxEndpointLen> {
	BoundedVec::truncate_from(b"https://compute.example.org/v1".to_vec())
}

/// Registers a service of `kind` for `provider` with the minimum stake and the test prices.
pub fn register(
	provider: &AccountId,
	kind: ServiceKind,
	verifiability: Verifiability<AccountId>,
) -> ServiceId {
	let id = NextServiceId::<Test>::get();
	assert_ok!(ComputeEscrow::register_service(
		RuntimeOrigin::signed(provider.clone()),
		kind,
		model(),
		endpoint(),
		INPUT_PRICE,
		OUTPUT_PRICE,
		verifiability,
		MIN_STAKE,
	));
	id
}

/// Registers Charlie's inference service with user-signed receipts.
pub fn inference_service() -> ServiceId {
	register(&charlie(), ServiceKind::Inference, Verifiability::None)
}

/// Approves `signer` as an enclave key, as governance would.
pub fn approve(signer: &AccountId) {
	assert_ok!(ComputeEscrow::approve_enclave(
		RuntimeOrigin::root(),
		signer.clone(),
		H256::repeat_byte(9)
	));
}

/// Approves Eve's key as an enclave key and registers Charlie's inference service signed by it.
pub fn tee_service() -> ServiceId {
	approve(&eve());
	register(&charlie(), ServiceKind::Inference, Verifiability::Tee { signer: eve() })
}

/// `user` lets `signer` sign the receipts it pays for `service`.
pub fn acknowledge(user: &AccountId, service: ServiceId, signer: &AccountId) {
	assert_ok!(ComputeEscrow::acknowledge_signer(
		RuntimeOrigin::signed(user.clone()),
		service,
		signer.clone()
	));
}

/// Registers Charlie's job service.
pub fn job_service() -> ServiceId {
	register(&charlie(), ServiceKind::Job, Verifiability::None)
}

/// `user` deposits `deposit` and moves `funded` of it to its sub-account for `provider`.
pub fn fund(user: &AccountId, provider: &AccountId, deposit: Balance, funded: Balance) {
	assert_ok!(ComputeEscrow::deposit(RuntimeOrigin::signed(user.clone()), deposit));
	assert_ok!(ComputeEscrow::fund_provider(
		RuntimeOrigin::signed(user.clone()),
		provider.clone(),
		funded
	));
}

/// An unsigned receipt from `user` to Charlie whose fee is the full price of its tokens.
pub fn receipt(
	user: &AccountId,
	service: ServiceId,
	nonce: u64,
	input_tokens: u64,
	output_tokens: u64,
) -> InferenceReceipt<AccountId, Balance> {
	InferenceReceipt {
		user: user.clone(),
		provider: charlie(),
		service,
		nonce,
		input_tokens,
		output_tokens,
		fee: input_tokens as Balance * INPUT_PRICE + output_tokens as Balance * OUTPUT_PRICE,
		request_hash: H256::repeat_byte(nonce as u8),
	}
}

/// A batch from signed receipts.
pub fn batch(
	receipts: Vec<SignedReceipt<AccountId, Balance, MultiSignature>>,
) -> BoundedVec<
	SignedReceipt<AccountId, Balance, MultiSignature>,
	<Test as Config>::MaxReceiptsPerBatch,
> {
	BoundedVec::try_from(receipts).expect("test batches fit")
}

/// Charlie settles `receipts` on `service`; returns the outcomes reported in the event.
pub fn settle(
	service: ServiceId,
	receipts: Vec<SignedReceipt<AccountId, Balance, MultiSignature>>,
) -> Vec<ReceiptOutcome> {
	assert_ok!(ComputeEscrow::settle_receipts(
		RuntimeOrigin::signed(charlie()),
		service,
		batch(receipts)
	));
	match last_event() {
		Event::ReceiptsSettled { outcomes, .. } => outcomes.into_inner(),
		other => panic!("expected ReceiptsSettled, got {other:?}"),
	}
}

/// Alice creates a job on `service` with `max_fee` and a deadline `duration` blocks away;
/// returns its id.
pub fn create_job_for(
	user: &AccountId,
	service: ServiceId,
	max_fee: Balance,
	duration: u64,
) -> JobId {
	let id = NextJobId::<Test>::get();
	assert_ok!(ComputeEscrow::create_job(
		RuntimeOrigin::signed(user.clone()),
		service,
		H256::repeat_byte(0xd5),
		H256::repeat_byte(0x9a),
		max_fee,
		System::block_number() + duration,
	));
	id
}

/// Charlie submits a result for `job` charging `fee_used`.
pub fn submit(job: JobId, fee_used: Balance) {
	assert_ok!(ComputeEscrow::submit_result(
		RuntimeOrigin::signed(charlie()),
		job,
		H256::repeat_byte(0x11),
		H256::repeat_byte(0x22),
		fee_used,
	));
}

/// The last event of this pallet.
pub fn last_event() -> Event<Test> {
	System::events()
		.into_iter()
		.rev()
		.find_map(|record| match record.event {
			RuntimeEvent::ComputeEscrow(event) => Some(event),
			_ => None,
		})
		.expect("an event of the pallet")
}

pub fn free(who: &AccountId) -> Balance {
	Balances::balance(who)
}

pub fn held(reason: HoldReason, who: &AccountId) -> Balance {
	Balances::balance_on_hold(&reason.into(), who)
}

pub fn available(user: &AccountId) -> Balance {
	Ledgers::<Test>::get(user).map(|ledger| ledger.available).unwrap_or_default()
}

pub fn sub_account(user: &AccountId, provider: &AccountId) -> SubAccount<Balance> {
	SubAccounts::<Test>::get(user, provider)
}

pub fn pending_refunds(user: &AccountId) -> Vec<PendingRefund<AccountId, Balance, BlockNumber>> {
	Ledgers::<Test>::get(user).map(|ledger| ledger.pending_refunds.into_inner()).unwrap_or_default()
}

pub fn stake(service: ServiceId) -> Balance {
	Services::<Test>::get(service).expect("service exists").stake
}
