//! Unit tests, one file per group of calls or hook, plus the off-chain worker, the invariants
//! and the weights.
//! Every test runs through `build_and_execute`, which checks `try_state` at the end.

mod attestations;
mod blobs;
mod custody;
mod epochs;
mod expiry;
mod fuzz;
mod genesis;
mod invariants;
mod offchain;
mod retention;
mod signers;
mod weights;

use crate::{mock::*, *};
use polkadot_sdk::{
	frame_support::{
		assert_ok,
		traits::fungible::{Inspect, InspectHold},
		BoundedVec,
	},
	sp_core::{sr25519, H256},
	sp_keyring::Sr25519Keyring,
};

pub fn alice() -> AccountId {
	Sr25519Keyring::Alice.to_account_id()
}
pub fn bob() -> AccountId {
	Sr25519Keyring::Bob.to_account_id()
}
pub fn charlie() -> AccountId {
	Sr25519Keyring::Charlie.to_account_id()
}
pub fn dave() -> AccountId {
	Sr25519Keyring::Dave.to_account_id()
}
pub fn eve() -> AccountId {
	Sr25519Keyring::Eve.to_account_id()
}
pub fn ferdie() -> AccountId {
	Sr25519Keyring::Ferdie.to_account_id()
}

/// The DA key whose account is `who` (AccountId32 is the sr25519 public key).
pub fn da_key(who: &AccountId) -> sr25519::Public {
	sr25519::Public::from_raw(*AsRef::<[u8; 32]>::as_ref(who))
}

pub fn endpoint() -> BoundedVec<u8, <Test as Config>::MaxEndpointLen> {
	BoundedVec::truncate_from(b"https://da.example.org:9944".to_vec())
}

/// Registers `who` as a signer with `stake`.
pub fn register(who: &AccountId, stake: Balance) {
	assert_ok!(DaAttestations::register_signer(
		RuntimeOrigin::signed(who.clone()),
		stake,
		da_key(who),
		endpoint()
	));
}

/// Registers the given signers and runs to the next epoch, so they form its quorum (if there
/// are at most `MAX_QUORUM` of them).
pub fn quorum_of(signers: &[(AccountId, Balance)]) {
	for (who, stake) in signers {
		register(who, *stake);
	}
	run_to_next_epoch();
}

/// Charlie, Dave and Eve with 100 each: one attestation is 1/3, two certify.
pub fn equal_quorum() {
	quorum_of(&[(charlie(), 100), (dave(), 100), (eve(), 100)]);
}

/// A commitment with a distinct root per `seed`, `size_bytes` bytes, 2 data and 4 parity shards.
pub fn commitment(seed: u8, size_bytes: u32) -> BlobCommitment {
	BlobCommitment { root: H256::repeat_byte(seed), size_bytes, data_shards: 2, parity_shards: 4 }
}

/// Size of the test blobs, in bytes, so their fee is `BASE_FEE + 1_000 × BYTE_FEE`.
pub const SIZE: u32 = 1_000;
/// Fee of a test blob.
pub const FEE: Balance = BASE_FEE + SIZE as Balance * BYTE_FEE;

/// `who` submits a blob with `commitment(seed, SIZE)`; returns its id.
pub fn submit(who: &AccountId, seed: u8) -> BlobId {
	let id = NextBlobId::<Test>::get();
	assert_ok!(DaAttestations::submit_blob(
		RuntimeOrigin::signed(who.clone()),
		commitment(seed, SIZE),
		7
	));
	id
}

pub fn ids(ids: &[BlobId]) -> BoundedVec<BlobId, <Test as Config>::MaxAttestationBatch> {
	BoundedVec::try_from(ids.to_vec()).expect("test batches fit")
}

/// `who` attests to `blob_ids`; returns the outcomes of the event.
pub fn attest(who: &AccountId, blob_ids: &[BlobId]) -> Vec<AttestOutcome> {
	assert_ok!(DaAttestations::attest(RuntimeOrigin::signed(who.clone()), ids(blob_ids)));
	match last_event() {
		Event::BlobsAttested { outcomes, .. } => outcomes.into_inner(),
		other => panic!("expected BlobsAttested, got {other:?}"),
	}
}

/// The events of this pallet, oldest first.
pub fn events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::DaAttestations(event) => Some(event),
			_ => None,
		})
		.collect()
}

/// The last event of this pallet.
pub fn last_event() -> Event<Test> {
	events().pop().expect("an event of the pallet")
}

pub fn free(who: &AccountId) -> Balance {
	Balances::balance(who)
}

pub fn held(reason: HoldReason, who: &AccountId) -> Balance {
	Balances::balance_on_hold(&reason.into(), who)
}

pub fn members(epoch: EpochIndex) -> Vec<AccountId> {
	Quorums::<Test>::get(epoch, 0)
		.map(|quorum| quorum.members.into_iter().map(|(who, _)| who).collect())
		.unwrap_or_default()
}
