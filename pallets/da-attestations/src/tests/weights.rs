//! The weight a call declares is the weight of that call in `WeightInfo`.

use super::*;
use polkadot_sdk::frame_support::{dispatch::GetDispatchInfo, weights::Weight};

type Weights = <Test as Config>::WeightInfo;

fn declared(call: crate::Call<Test>) -> Weight {
	RuntimeCall::DaAttestations(call).get_dispatch_info().call_weight
}

#[test]
fn calls_declare_their_weight() {
	new_test_ext().execute_with(|| {
		assert_eq!(
			declared(Call::submit_blob { commitment: commitment(1, SIZE), namespace: 0 }),
			Weights::submit_blob()
		);
		assert_eq!(
			declared(Call::register_signer {
				stake: MIN_STAKE,
				da_key: da_key(&charlie()),
				endpoint: endpoint()
			}),
			Weights::register_signer()
		);
		assert_eq!(
			declared(Call::update_signer { stake: MIN_STAKE, endpoint: endpoint() }),
			Weights::update_signer()
		);
		assert_eq!(declared(Call::unregister_signer {}), Weights::unregister_signer());
		assert_eq!(declared(Call::withdraw_unbonded {}), Weights::withdraw_unbonded());
		assert_eq!(
			declared(Call::set_retention_period { blocks: 5 }),
			Weights::set_retention_period()
		);
	});
}

#[test]
fn attest_weight_grows_with_the_batch() {
	new_test_ext().execute_with(|| {
		for n in 1..=MAX_BATCH {
			let blob_ids = ids(&(0..n as BlobId).collect::<Vec<_>>());
			assert_eq!(declared(Call::attest { blob_ids }), Weights::attest(n));
		}
		assert!(Weights::attest(MAX_BATCH).all_gt(Weights::attest(1)));
	});
}

#[test]
fn on_initialize_returns_the_weight_of_its_work() {
	use polkadot_sdk::frame_support::traits::Hooks;
	new_test_ext().execute_with(|| {
		register(&charlie(), MIN_STAKE);
		// Block 2 starts epoch 1 with one candidate and expires nothing.
		System::set_block_number(2);
		assert_eq!(
			DaAttestations::on_initialize(2),
			Weights::retire_blobs(0)
				.saturating_add(Weights::expire_blobs(0))
				.saturating_add(Weights::start_epoch(1))
				.saturating_add(Weights::custody_idle())
		);
		System::set_block_number(3);
		assert_eq!(
			DaAttestations::on_initialize(3),
			Weights::retire_blobs(0)
				.saturating_add(Weights::expire_blobs(0))
				.saturating_add(Weights::custody_idle())
		);
	});
}

#[test]
fn integrity_test_passes() {
	use polkadot_sdk::frame_support::traits::Hooks;
	new_test_ext().execute_with(DaAttestations::integrity_test);
}

/// `attest` charges the certifications it made at the declared price and the attestations it
/// only recorded (or rejected) at the price of a recorded one: what a full quorum's members
/// pay for a block of blobs adds up to one certification per blob, not one per member.
#[test]
fn attest_returns_the_weight_of_what_it_did() {
	build_and_execute(|| {
		equal_quorum();
		let blobs = [submit(&alice(), 1), submit(&alice(), 2), submit(&alice(), 3)];
		let actual = |who: &AccountId, batch: &[BlobId]| {
			let post = DaAttestations::attest(RuntimeOrigin::signed(who.clone()), ids(batch));
			post.unwrap_or_else(|error| error.post_info).actual_weight.expect("a weight")
		};
		// Charlie only attests: a fraction of the declared weight.
		let only_attested = actual(&charlie(), &blobs);
		assert_eq!(only_attested, DaAttestations::attest_weight(3, 0));
		assert!(only_attested.ref_time() < Weights::attest(3).ref_time() / 4, "{only_attested:?}");
		// Dave certifies two of the three, and Charlie's repeat of all three is rejected.
		let two_certified = actual(&dave(), &blobs[..2]);
		assert_eq!(two_certified, DaAttestations::attest_weight(2, 2));
		assert_eq!(two_certified, Weights::attest(2));
		let rejected = actual(&charlie(), &blobs);
		assert_eq!(rejected, DaAttestations::attest_weight(3, 0));
		// One certified, two rejected as certified already.
		let mixed = actual(&eve(), &[blobs[2], blobs[0], blobs[1]]);
		assert_eq!(mixed, DaAttestations::attest_weight(3, 1));
		assert!(mixed.all_gte(only_attested) && mixed.ref_time() > only_attested.ref_time());
		assert!(
			mixed.all_lte(Weights::attest(3)) && mixed.ref_time() < Weights::attest(3).ref_time()
		);
	});
}

#[test]
fn attest_weight_lies_between_attesting_and_certifying_everything() {
	for n in [1, 2, 17, MAX_BATCH] {
		assert_eq!(DaAttestations::attest_weight(n, n), Weights::attest(n));
		assert!(DaAttestations::attest_weight(n, 0).all_lte(Weights::attest(n)));
		assert_eq!(DaAttestations::attest_weight(n, 0), Weights::attest_uncertified(n));
		for c in 0..n {
			let (fewer, more) =
				(DaAttestations::attest_weight(n, c), DaAttestations::attest_weight(n, c + 1));
			assert!(fewer.all_lte(more), "n = {n}, c = {c}");
		}
		// A count past the batch is the batch.
		assert_eq!(DaAttestations::attest_weight(n, n + 5), Weights::attest(n));
	}
}
