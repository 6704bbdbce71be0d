//! The weight a call declares is its `WeightInfo` weight; the hooks stay within their bounds.

use super::*;
use polkadot_sdk::frame_support::{
	dispatch::GetDispatchInfo,
	traits::{Get, Hooks},
	weights::{RuntimeDbWeight, Weight},
};

type Weights = <Test as Config>::WeightInfo;

fn declared(call: crate::Call<Test>) -> Weight {
	RuntimeCall::StorageCommitments(call).get_dispatch_info().call_weight
}

#[test]
fn calls_declare_their_weight() {
	new_test_ext().execute_with(|| {
		let file = TestFile::new(300, 1);
		assert_eq!(
			declared(Call::submit {
				root: file.root,
				size: 300,
				tags: Default::default(),
				replicas: 2
			}),
			Weights::submit()
		);
		assert_eq!(declared(Call::declare_capacity { bytes: 1 }), Weights::declare_capacity());
		assert_eq!(
			declared(Call::acknowledge { files: BoundedVec::truncate_from(vec![1, 2, 3]) }),
			Weights::acknowledge(3)
		);
		assert_eq!(declared(Call::renew { file_id: 0 }), Weights::renew());
		assert_eq!(
			declared(Call::register_provider { stake: MIN_STAKE, endpoint: endpoint() }),
			Weights::register_provider()
		);
		assert_eq!(
			declared(Call::update_provider { stake: MIN_STAKE, endpoint: endpoint() }),
			Weights::update_provider()
		);
		assert_eq!(declared(Call::unregister {}), Weights::unregister());
		assert_eq!(declared(Call::withdraw_unbonded {}), Weights::withdraw_unbonded());
		assert_eq!(
			declared(Call::submit_proof {
				period: 1,
				chunk: file.chunk(0),
				proof: Box::new(file.proof(0))
			}),
			Weights::submit_proof()
		);
	});
}

#[test]
fn hook_weights_grow_with_their_work() {
	assert!(Weights::issue_challenges(MAX_PROVIDERS).all_gt(Weights::issue_challenges(1)));
	assert!(Weights::issue_challenges_expired(MAX_PROVIDERS)
		.all_gt(Weights::issue_challenges_expired(1)));
	assert!(Weights::process_deadlines(MAX_PROVIDERS).all_gt(Weights::process_deadlines(1)));
	assert!(Weights::activate_files(MAX_ACTIVATIONS).all_gt(Weights::activate_files(1)));
	assert!(Weights::sweep_expired(MAX_EXPIRY_SCANS).all_gt(Weights::sweep_expired(1)));
	assert!(Weights::assign_files(1, MAX_PROVIDERS).all_gt(Weights::assign_files(1, 1)));
	assert!(Weights::assign_files(MAX_ASSIGNMENTS, 1).all_gt(Weights::assign_files(1, 1)));
	assert!(Weights::release_replicas(MAX_RELEASES).all_gt(Weights::release_replicas(1)));
	assert!(Weights::acknowledge(MAX_ACKS).all_gt(Weights::acknowledge(1)));
}

#[test]
fn on_initialize_reports_the_work_it_did() {
	build_and_execute(|| {
		register(&charlie());
		let id = submit_file(&alice(), &TestFile::standard());
		assign_and_ack(id);
		run_to_block(19);
		System::set_block_number(20);
		let weight = StorageCommitments::on_initialize(20);
		let empty_queue =
			<<Test as frame_system::Config>::DbWeight as Get<RuntimeDbWeight>>::get().reads(1);
		assert_eq!(
			weight,
			Weights::release_replicas(0)
				+ empty_queue
				+ Weights::activate_files(0)
				+ Weights::issue_challenges(1).max(Weights::issue_challenges_expired(1))
				+ Weights::sweep_expired(1)
		);
	});
}
