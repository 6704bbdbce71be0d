//! Tests of the pallet: reveals, every refusal, the block rule, the inherent and `Randomness`.

use crate::{
	mock::{new_test_ext, Claim, RuntimeOrigin, Test, VrfRandomness},
	vrf_input, vrf_sign_data, Call, Error, ExpectedReveal, Randomness, Revealed, SlotClaim,
	VrfOutput, INHERENT_IDENTIFIER, VRF_CONTEXT,
};
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok,
		dispatch::{DispatchClass, GetDispatchInfo},
		inherent::{InherentData, ProvideInherent},
		traits::{Hooks, Randomness as _},
	},
	frame_system,
	sp_core::{crypto::VrfSecret, sr25519, Pair},
	sp_runtime::DispatchError,
};

const SLOT: u64 = 7;

fn pair(seed: u8) -> sr25519::Pair {
	sr25519::Pair::from_seed(&[seed; 32])
}

/// `key`'s VRF output for `slot` after `previous`.
fn sign(key: &sr25519::Pair, slot: u64, previous: &[u8; 32]) -> VrfOutput {
	VrfOutput::from(&key.vrf_sign(&vrf_sign_data(slot, previous)))
}

/// Starts a block whose slot `SLOT` belongs to `key`.
fn start_block(key: &sr25519::Pair, slot: u64) {
	Claim::set(Some(SlotClaim { slot, author: key.public() }));
	VrfRandomness::on_initialize(frame_system::Pallet::<Test>::block_number());
}

fn finish_block() {
	let now = frame_system::Pallet::<Test>::block_number();
	VrfRandomness::on_finalize(now);
	frame_system::Pallet::<Test>::set_block_number(now + 1);
}

mod reveal {
	use super::*;

	#[test]
	fn makes_the_vrf_output_the_randomness() {
		new_test_ext().execute_with(|| {
			let author = pair(1);
			start_block(&author, SLOT);
			assert_ok!(VrfRandomness::reveal(RuntimeOrigin::none(), sign(&author, SLOT, &[0; 32])));
			let expected = author.make_bytes::<32>(VRF_CONTEXT, &vrf_input(SLOT, &[0; 32]));
			assert_eq!(Randomness::<Test>::get(), Revealed { output: expected, block: 1 });
			assert_eq!(ExpectedReveal::<Test>::get(), None);
			finish_block();

			// The next block's input continues from it.
			start_block(&author, SLOT + 1);
			assert_noop!(
				VrfRandomness::reveal(RuntimeOrigin::none(), sign(&author, SLOT + 1, &[0; 32])),
				Error::<Test>::BadVrfProof
			);
			assert_ok!(VrfRandomness::reveal(
				RuntimeOrigin::none(),
				sign(&author, SLOT + 1, &expected)
			));
			let next = author.make_bytes::<32>(VRF_CONTEXT, &vrf_input(SLOT + 1, &expected));
			assert_eq!(Randomness::<Test>::get(), Revealed { output: next, block: 2 });
			assert_ne!(next, expected);
			finish_block();
		});
	}

	/// The attack the pallet closes: an author that signs again (schnorrkel's proofs are
	/// randomized) or sends another valid proof still reveals the one output of its key.
	#[test]
	fn an_author_cannot_choose_its_output() {
		let author = pair(1);
		let reveal_with = |output: VrfOutput| {
			new_test_ext().execute_with(|| {
				start_block(&author, SLOT);
				assert_ok!(VrfRandomness::reveal(RuntimeOrigin::none(), output));
				Randomness::<Test>::get()
			})
		};
		let (first, second) = (sign(&author, SLOT, &[0; 32]), sign(&author, SLOT, &[0; 32]));
		assert_ne!(first.proof, second.proof, "two signatures, two proofs");
		assert_eq!(reveal_with(first), reveal_with(second));
	}

	#[test]
	fn refuses_another_keys_output() {
		new_test_ext().execute_with(|| {
			start_block(&pair(1), SLOT);
			assert_noop!(
				VrfRandomness::reveal(RuntimeOrigin::none(), sign(&pair(2), SLOT, &[0; 32])),
				Error::<Test>::BadVrfProof
			);
		});
	}

	#[test]
	fn refuses_an_output_of_another_slot_or_randomness() {
		new_test_ext().execute_with(|| {
			let author = pair(1);
			start_block(&author, SLOT);
			for output in [sign(&author, SLOT + 1, &[0; 32]), sign(&author, SLOT, &[1; 32])] {
				assert_noop!(
					VrfRandomness::reveal(RuntimeOrigin::none(), output),
					Error::<Test>::BadVrfProof
				);
			}
		});
	}

	#[test]
	fn refuses_a_malformed_output() {
		new_test_ext().execute_with(|| {
			start_block(&pair(1), SLOT);
			let mut output = sign(&pair(1), SLOT, &[0; 32]);
			output.proof = [0xff; 64];
			assert_noop!(
				VrfRandomness::reveal(RuntimeOrigin::none(), output),
				Error::<Test>::MalformedVrfOutput
			);
		});
	}

	#[test]
	fn refuses_a_reveal_no_block_expects() {
		new_test_ext().execute_with(|| {
			let author = pair(1);
			let output = sign(&author, SLOT, &[0; 32]);
			// No slot: nothing expected.
			assert_noop!(
				VrfRandomness::reveal(RuntimeOrigin::none(), output.clone()),
				Error::<Test>::NoRevealExpected
			);
			// A second reveal in the block.
			start_block(&author, SLOT);
			assert_ok!(VrfRandomness::reveal(RuntimeOrigin::none(), output.clone()));
			assert_noop!(
				VrfRandomness::reveal(RuntimeOrigin::none(), output),
				Error::<Test>::NoRevealExpected
			);
		});
	}

	#[test]
	fn refuses_a_signed_origin() {
		new_test_ext().execute_with(|| {
			let author = pair(1);
			start_block(&author, SLOT);
			assert_noop!(
				VrfRandomness::reveal(RuntimeOrigin::signed(1), sign(&author, SLOT, &[0; 32])),
				DispatchError::BadOrigin
			);
		});
	}

	#[test]
	fn is_mandatory() {
		let call = Call::<Test>::reveal { output: sign(&pair(1), SLOT, &[0; 32]) };
		assert_eq!(call.get_dispatch_info().class, DispatchClass::Mandatory);
	}
}

mod blocks {
	use super::*;

	#[test]
	#[should_panic(expected = "the block's author must reveal its VRF output")]
	fn a_block_without_its_reveal_is_invalid() {
		new_test_ext().execute_with(|| {
			start_block(&pair(1), SLOT);
			finish_block();
		});
	}

	#[cfg(feature = "try-runtime")]
	#[test]
	fn try_state_refuses_a_pending_reveal() {
		new_test_ext().execute_with(|| {
			assert_ok!(VrfRandomness::try_state(1));
			start_block(&pair(1), SLOT);
			assert!(VrfRandomness::try_state(1).is_err());
		});
	}

	#[test]
	fn a_block_without_a_slot_needs_no_reveal() {
		new_test_ext().execute_with(|| {
			Claim::set(None);
			VrfRandomness::on_initialize(1);
			finish_block();
			assert_eq!(Randomness::<Test>::get(), Revealed::default());
		});
	}
}

mod inherent {
	use super::*;

	#[test]
	fn is_made_from_the_nodes_data() {
		let output = sign(&pair(1), SLOT, &[0; 32]);
		let mut data = InherentData::new();
		assert_eq!(VrfRandomness::create_inherent(&data), None);
		data.put_data(INHERENT_IDENTIFIER, &output).unwrap();
		let call = VrfRandomness::create_inherent(&data).expect("a reveal");
		assert!(VrfRandomness::is_inherent(&call));
		assert_eq!(call, Call::reveal { output });
	}
}

mod randomness {
	use super::*;

	#[test]
	fn hashes_the_subject_with_the_latest_output() {
		new_test_ext().execute_with(|| {
			let (before, at) = VrfRandomness::random(b"storage");
			assert_eq!(at, 0);
			let author = pair(1);
			start_block(&author, SLOT);
			assert_ok!(VrfRandomness::reveal(RuntimeOrigin::none(), sign(&author, SLOT, &[0; 32])));
			let (after, at) = VrfRandomness::random(b"storage");
			assert_eq!(at, 1);
			assert_ne!(before, after);
			assert_ne!(after, VrfRandomness::random(b"da").0);
		});
	}
}

/// The benchmark's fixed vector is `pair(1)`'s output for `SLOT` after zero randomness.
#[cfg(feature = "runtime-benchmarks")]
#[test]
fn the_benchmarking_vector_verifies() {
	use polkadot_sdk::sp_core::crypto::VrfPublic;
	let (author, output) = crate::benchmarking::vector();
	assert_eq!(author, pair(1).public());
	let signature = output.signature().expect("well-formed");
	assert!(author.vrf_verify(&vrf_sign_data(SLOT, &[0; 32]), &signature));
}
