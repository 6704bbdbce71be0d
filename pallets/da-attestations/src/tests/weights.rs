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
