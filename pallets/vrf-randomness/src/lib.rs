//! # VRF randomness
//!
//! Randomness for the chain's draws (storage challenges and replica assignments, DA quorums and
//! custody challenges) that no block author can grind.
//!
//! A seed taken from the parent hash lets the parent's author try as many blocks as it likes
//! (another transaction order, another timestamp) and publish the one whose hash draws in its
//! favour: a provider that authors blocks could steer challenges away from the data it lost.
//! Here every block's author must reveal, in a mandatory inherent ([`Pallet::reveal`]), the
//! output of a VRF (schnorrkel's, as BABE uses) of its Aura key over the block's slot and the
//! previous randomness. A VRF has exactly one output per key and input, which the proof shows, so
//! the author has nothing to choose: it can only withhold its block (and its block reward), after
//! which the next slot's author reveals another output. That is the bias BABE leaves too; the
//! parent hash left an unbounded one.
//!
//! - In `on_initialize` the runtime names the slot and the author the slot's claim belongs to
//!   ([`Config::CurrentClaim`], from Aura's pre-digest and the authorities that chose the author)
//!   and the pallet expects a reveal from that key ([`ExpectedReveal`]).
//! - [`Pallet::reveal`] checks the VRF proof against [`vrf_input`] of the slot and
//!   [`Randomness`], and makes the output the new [`Randomness`].
//! - `on_finalize` panics if the expected reveal is missing, so such a block is invalid (as
//!   `pallet-timestamp` does for a missing timestamp).
//!
//! Readers use [`frame_support::traits::Randomness`]: `random(subject)` is a hash of the subject
//! and the latest output, and its block number is the block that revealed it. In a block's
//! `on_initialize` that is the parent's output, which its author knew before publishing, as it
//! knew the parent hash: what changes is that it could not pick it.
//!
//! The node provides the inherent data: before a slot it builds, it signs [`vrf_input`] with the
//! Aura key the slot belongs to (`node/src/vrf_reveal.rs`), reading the previous randomness with
//! [`runtime_api::VrfRandomnessApi`].

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
pub mod runtime_api;
#[cfg(test)]
mod tests;
pub mod weights;

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::{
	frame_support::traits::Randomness as RandomnessT,
	frame_system::{self, pallet_prelude::BlockNumberFor},
	sp_core::sr25519::{
		self,
		vrf::{VrfInput, VrfSignData, VrfSignature, VrfTranscript},
	},
	sp_inherents::InherentIdentifier,
	sp_io::hashing::blake2_256,
	sp_runtime::traits::TrailingZeroInput,
};
use scale_info::TypeInfo;

/// The identifier of the inherent data the node puts the author's [`VrfOutput`] under.
pub const INHERENT_IDENTIFIER: InherentIdentifier = *b"zgvrfout";

/// The transcript label of [`vrf_input`].
pub const VRF_LABEL: &[u8] = b"zerog/vrf-randomness";

/// The context the VRF's output bytes are derived with.
pub const VRF_CONTEXT: &[u8] = b"zerog/vrf-randomness/output";

/// The VRF input of the block in `slot` whose parent left `previous` as the randomness: both are
/// fixed before the author builds its block, so its output is too.
pub fn vrf_input(slot: u64, previous: &[u8; 32]) -> VrfInput {
	VrfTranscript::new(VRF_LABEL, &[(b"slot", &slot.to_le_bytes()), (b"previous", previous)])
}

/// What [`vrf_input`] is signed as (no extra data).
pub fn vrf_sign_data(slot: u64, previous: &[u8; 32]) -> VrfSignData {
	vrf_input(slot, previous).into_sign_data()
}

/// An author's VRF output and its proof, as [`Pallet::reveal`] takes them: schnorrkel's 32-byte
/// pre-output and 64-byte proof.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub struct VrfOutput {
	/// The VRF pre-output (a compressed Ristretto point).
	pub pre_output: [u8; 32],
	/// The proof that `pre_output` is the key's output for the input.
	pub proof: [u8; 64],
}

impl VrfOutput {
	/// The schnorrkel signature, if both parts are well-formed.
	pub fn signature(&self) -> Option<VrfSignature> {
		VrfSignature::decode(&mut &(self.pre_output, self.proof).encode()[..]).ok()
	}
}

impl From<&VrfSignature> for VrfOutput {
	fn from(signature: &VrfSignature) -> Self {
		let bytes = signature.encode();
		let mut pre_output = [0; 32];
		let mut proof = [0; 64];
		pre_output.copy_from_slice(&bytes[..32]);
		proof.copy_from_slice(&bytes[32..96]);
		Self { pre_output, proof }
	}
}

/// A slot's claim: the slot, and the key of the author it belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen)]
pub struct SlotClaim {
	/// The slot of the block.
	pub slot: u64,
	/// The author's VRF key (its Aura key).
	pub author: sr25519::Public,
}

/// The latest revealed randomness.
#[derive(Clone, Debug, Default, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen)]
pub struct Revealed<BlockNumber> {
	/// The VRF output bytes of the latest reveal (zeroes before the first).
	pub output: [u8; 32],
	/// The block that revealed it.
	pub block: BlockNumber,
}

#[polkadot_sdk::frame_support::pallet]
pub mod pallet {
	use super::*;
	pub use crate::weights::WeightInfo;
	use polkadot_sdk::{
		frame_support::pallet_prelude::*,
		frame_system::pallet_prelude::*,
		sp_core::crypto::VrfPublic,
		sp_inherents::{InherentData, MakeFatalError},
	};

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	/// Configuration: whose reveal a block needs, and the call's weight.
	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config {
		/// The current block's slot and the key of the author it belongs to, read in
		/// `on_initialize` before any authority change of this block; `None` for a block without
		/// a slot (tests, genesis), which needs no reveal.
		type CurrentClaim: Get<Option<SlotClaim>>;

		/// Weights of the call, measured on the runtime.
		type WeightInfo: WeightInfo;
	}

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// The latest revealed randomness and the block that revealed it.
	#[pallet::storage]
	pub type Randomness<T: Config> = StorageValue<_, Revealed<BlockNumberFor<T>>, ValueQuery>;

	/// The claim whose author must reveal in this block: set in `on_initialize`, taken by
	/// [`Pallet::reveal`], and absent again by `on_finalize`.
	#[pallet::storage]
	pub type ExpectedReveal<T: Config> = StorageValue<_, SlotClaim, OptionQuery>;

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(_: BlockNumberFor<T>) -> Weight {
			if let Some(claim) = T::CurrentClaim::get() {
				ExpectedReveal::<T>::put(claim);
			}
			// The claim (the runtime reads a digest and the authorities), the write, and
			// `on_finalize`'s check.
			T::DbWeight::get().reads_writes(3, 1)
		}

		fn on_finalize(_: BlockNumberFor<T>) {
			// An author that does not reveal would choose between two randomness values at no
			// cost; its block is invalid instead, like one without a timestamp.
			assert!(
				!ExpectedReveal::<T>::exists(),
				"the block's author must reveal its VRF output (VrfRandomness::reveal)"
			);
		}

		/// Between blocks no reveal is pending: a block that expected one either took it or was
		/// invalid.
		#[cfg(feature = "try-runtime")]
		fn try_state(
			_: BlockNumberFor<T>,
		) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			ensure!(!ExpectedReveal::<T>::exists(), "a reveal is pending between blocks");
			Ok(())
		}

		fn integrity_test() {
			assert_eq!(
				VrfSignature::max_encoded_len(),
				VrfOutput::max_encoded_len(),
				"VrfOutput holds exactly a schnorrkel VRF signature"
			);
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Reveals the block author's VRF output of this slot and the previous randomness, which
		/// becomes the randomness. A mandatory inherent: the block author's node adds it, and a
		/// block whose expected reveal is missing or wrong is invalid.
		///
		/// - `output`: the VRF pre-output and proof of the slot's author key over
		///   [`vrf_input`]`(slot, previous randomness)`.
		///
		/// Errors: `BadOrigin` unless none; `NoRevealExpected` without a slot claim or on a
		/// second reveal; `MalformedVrfOutput`; `BadVrfProof`.
		#[pallet::call_index(0)]
		#[pallet::weight((T::WeightInfo::reveal(), DispatchClass::Mandatory))]
		pub fn reveal(origin: OriginFor<T>, output: VrfOutput) -> DispatchResult {
			ensure_none(origin)?;
			let claim = ExpectedReveal::<T>::take().ok_or(Error::<T>::NoRevealExpected)?;
			let signature = output.signature().ok_or(Error::<T>::MalformedVrfOutput)?;
			let previous = Randomness::<T>::get().output;
			let sign_data = vrf_sign_data(claim.slot, &previous);
			ensure!(claim.author.vrf_verify(&sign_data, &signature), Error::<T>::BadVrfProof);
			let output = claim
				.author
				.make_bytes::<32>(VRF_CONTEXT, sign_data.as_ref(), &signature.pre_output)
				.map_err(|_| Error::<T>::MalformedVrfOutput)?;
			Randomness::<T>::put(Revealed {
				output,
				block: frame_system::Pallet::<T>::block_number(),
			});
			Ok(())
		}
	}

	#[pallet::inherent]
	impl<T: Config> ProvideInherent for Pallet<T> {
		type Call = Call<T>;
		type Error = MakeFatalError<()>;
		const INHERENT_IDENTIFIER: InherentIdentifier = INHERENT_IDENTIFIER;

		fn create_inherent(data: &InherentData) -> Option<Self::Call> {
			let output = data.get_data::<VrfOutput>(&INHERENT_IDENTIFIER).ok().flatten()?;
			Some(Call::reveal { output })
		}

		// The proof is checked when the block executes the call, against the slot's author:
		// an importer has no inherent data of its own to compare with.

		fn is_inherent(call: &Self::Call) -> bool {
			matches!(call, Call::reveal { .. })
		}
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No reveal is expected in this block: it has no slot, or it was revealed already.
		NoRevealExpected,
		/// The pre-output or the proof is not a valid encoding.
		MalformedVrfOutput,
		/// The proof does not show the output is the slot author's VRF of this slot and the
		/// previous randomness.
		BadVrfProof,
	}
}

impl<T: Config> Pallet<T> {
	/// The latest revealed randomness (for the runtime API).
	pub fn randomness() -> [u8; 32] {
		Randomness::<T>::get().output
	}
}

impl<T: Config> RandomnessT<T::Hash, BlockNumberFor<T>> for Pallet<T> {
	/// A hash of `subject` and the latest revealed output, and the block that revealed it.
	fn random(subject: &[u8]) -> (T::Hash, BlockNumberFor<T>) {
		let revealed = Randomness::<T>::get();
		let seed = blake2_256(&(subject, revealed.output).encode());
		let hash = T::Hash::decode(&mut TrailingZeroInput::new(&seed)).unwrap_or_default();
		(hash, revealed.block)
	}
}

/// Randomness from the parent hash, for the mock runtimes of pallets that draw with
/// [`frame_support::traits::Randomness`] (their tests predict draws from it). An author can
/// grind it: never use it in a live runtime.
pub struct ParentHashRandomness<T>(core::marker::PhantomData<T>);

impl<T: frame_system::Config> RandomnessT<T::Hash, BlockNumberFor<T>> for ParentHashRandomness<T> {
	fn random(subject: &[u8]) -> (T::Hash, BlockNumberFor<T>) {
		let parent = frame_system::Pallet::<T>::parent_hash();
		let hash = if subject.is_empty() {
			parent
		} else {
			let seed = blake2_256(&(subject, parent).encode());
			T::Hash::decode(&mut TrailingZeroInput::new(&seed)).unwrap_or_default()
		};
		(hash, frame_system::Pallet::<T>::block_number())
	}
}
