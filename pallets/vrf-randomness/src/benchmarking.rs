//! Benchmarks of the pallet: a reveal checks one VRF proof, whatever the key. The proof is a
//! fixed vector (a runtime cannot sign: it holds no secret keys).

use super::*;
use polkadot_sdk::{frame_benchmarking::v2::*, frame_system::RawOrigin};

/// The public key of `sr25519::Pair::from_seed(&[1; 32])`.
const AUTHOR: [u8; 32] = [
	24, 157, 172, 41, 41, 109, 49, 129, 77, 200, 197, 108, 243, 211, 106, 5, 67, 55, 43, 186, 117,
	56, 250, 50, 42, 74, 235, 254, 188, 57, 224, 86,
];
/// Its output for slot 7 after zero randomness (`tests::the_benchmarking_vector_verifies`).
const OUTPUT: [u8; 96] = [
	140, 197, 184, 32, 49, 84, 36, 226, 123, 124, 22, 230, 95, 79, 177, 168, 16, 117, 141, 224,
	232, 6, 13, 227, 252, 76, 45, 162, 94, 149, 81, 35, 11, 106, 173, 81, 171, 98, 39, 154, 95,
	115, 116, 5, 116, 97, 39, 223, 26, 158, 18, 170, 116, 239, 48, 108, 63, 132, 233, 129, 60, 167,
	141, 8, 33, 64, 167, 250, 232, 181, 156, 201, 226, 168, 86, 59, 67, 255, 73, 157, 59, 205, 66,
	47, 45, 83, 146, 75, 53, 35, 239, 172, 49, 217, 9, 8,
];

/// The benchmark's author key and output.
pub(crate) fn vector() -> (sr25519::Public, VrfOutput) {
	let mut pre_output = [0; 32];
	let mut proof = [0; 64];
	pre_output.copy_from_slice(&OUTPUT[..32]);
	proof.copy_from_slice(&OUTPUT[32..]);
	(sr25519::Public::from_raw(AUTHOR), VrfOutput { pre_output, proof })
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn reveal() {
		let (author, output) = vector();
		ExpectedReveal::<T>::put(SlotClaim { slot: 7, author });
		#[extrinsic_call]
		_(RawOrigin::None, output);
		assert_ne!(Randomness::<T>::get().output, [0; 32]);
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
