//! The runtime API the node reads the previous randomness with before it signs a block's
//! [`vrf_input`](crate::vrf_input).

use polkadot_sdk::sp_api;

sp_api::decl_runtime_apis! {
	/// The randomness a block's VRF input continues from.
	pub trait VrfRandomnessApi {
		/// The latest revealed randomness (zeroes before the first reveal).
		fn randomness() -> [u8; 32];
	}
}
