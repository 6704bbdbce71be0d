//! The most `on_initialize` can weigh: it runs before every transaction and cannot be skipped,
//! so with every bound reached it must leave most of the block to transactions (checked by the
//! pallet's `integrity_test`, reported by the runtime's tests).

use crate::{weights::WeightInfo, Config, Pallet};
use polkadot_sdk::frame_support::{pallet_prelude::*, weights::Weight};

impl<T: Config> Pallet<T> {
	/// `on_initialize`'s weight with every bound reached: `MaxProviders` active, the largest
	/// share of them challenged or due in one block, and the most replicas released, files
	/// assigned, activated and checked for expiry.
	pub fn max_hook_weight() -> Weight {
		let providers = T::MaxProviders::get();
		let share = Self::challenge_share(providers);
		let deadlines = Self::process_deadlines_weight(share);
		let issue = Self::issue_challenges_weight(share);
		// The blocks settling a period's deadlines and those issuing the next period's
		// challenges overlap only when the window and the spread together pass a period.
		let challenges = if Self::last_deadline_offset() < T::ChallengePeriod::get() {
			deadlines.max(issue)
		} else {
			deadlines.saturating_add(issue)
		};
		challenges
			.saturating_add(T::WeightInfo::release_replicas(T::MaxReleasesPerBlock::get()))
			.saturating_add(T::WeightInfo::assign_files(
				T::MaxAssignmentsPerBlock::get(),
				providers,
			))
			.saturating_add(T::WeightInfo::activate_files(T::MaxActivationsPerBlock::get()))
			.saturating_add(T::WeightInfo::sweep_expired(T::MaxExpiryScansPerBlock::get()))
	}
}
