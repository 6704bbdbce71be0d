//! The weight a call declares is the benchmarked weight of that call.

use super::*;
use polkadot_sdk::{
	frame_support::{dispatch::GetDispatchInfo, weights::Weight},
	sp_runtime::Perbill,
};

type Weights = <Test as Config>::WeightInfo;

/// What telling the marketplace of a paid result weighs, added to the calls that pay one.
fn paid() -> Weight {
	<<Test as Config>::OnResultPaid as crate::OnResultPaid>::weight()
}

fn declared(call: crate::Call<Test>) -> Weight {
	RuntimeCall::ComputeEscrow(call).get_dispatch_info().call_weight
}

#[test]
fn calls_declare_their_benchmarked_weight() {
	new_test_ext().execute_with(|| {
		let amount = 1;
		assert_eq!(declared(Call::deposit { amount }), Weights::deposit());
		assert_eq!(declared(Call::withdraw { amount }), Weights::withdraw());
		assert_eq!(
			declared(Call::fund_provider { provider: charlie(), amount }),
			Weights::fund_provider()
		);
		assert_eq!(
			declared(Call::request_refund { provider: charlie(), amount }),
			Weights::request_refund()
		);
		assert_eq!(declared(Call::claim_refund {}), Weights::claim_refund());
		assert_eq!(declared(Call::remove_service { service: 0 }), Weights::remove_service());
		assert_eq!(declared(Call::accept_result { job: 0 }), Weights::accept_result() + paid());
		assert_eq!(declared(Call::dispute { job: 0 }), Weights::dispute());
		assert_eq!(declared(Call::decline_job { job: 0 }), Weights::decline_job());
		assert_eq!(
			declared(Call::resolve_dispute { job: 0, provider_share: Perbill::one() }),
			Weights::resolve_dispute() + paid()
		);
	});
}

#[test]
fn settle_receipts_weight_grows_with_the_batch() {
	new_test_ext().execute_with(|| {
		let one = sign(Sr25519Keyring::Alice, receipt(&alice(), 0, 1, 1, 1));
		for n in [1usize, 4, 16] {
			let receipts = batch(vec![one.clone(); n]);
			assert_eq!(
				declared(Call::settle_receipts { service: 0, receipts }),
				Weights::settle_receipts(n as u32)
			);
		}
		assert!(Weights::settle_receipts(16).all_gt(Weights::settle_receipts(1)));
	});
}
