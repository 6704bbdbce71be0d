//! Governance's tracks: how long each kind of referendum takes and what it needs to pass.

use super::origins::{Origin as CustomOrigin, PeriodsOverride};
use crate::{
	units::{DAYS, HOURS, MINUTES, ZG},
	Balance, BlockNumber, OriginCaller, Runtime,
};
use alloc::borrow::Cow;
use polkadot_sdk::{
	frame_system,
	pallet_referenda::{self, Curve, Track, TrackInfo},
	sp_runtime::{str_array as name, Perbill},
};

/// A curve from `ceil` at the start of the decision period down to `floor` at its end.
const fn linear(floor: u32, ceil: u32) -> Curve {
	Curve::LinearDecreasing {
		length: Perbill::from_percent(100),
		floor: Perbill::from_percent(floor),
		ceil: Perbill::from_percent(ceil),
	}
}

/// The `root` track's id.
pub const ROOT: u16 = 0;
/// The `zerog_admin` track's id.
pub const ZEROG_ADMIN: u16 = 1;

/// The tracks with a public chain's periods, sorted by id.
static TRACKS: [Track<u16, Balance, BlockNumber>; 2] = [
	Track {
		id: ROOT,
		info: TrackInfo {
			name: name("root"),
			// One root referendum at a time: a runtime upgrade is not raced by another.
			max_deciding: 1,
			decision_deposit: 1_000 * ZG,
			prepare_period: 2 * HOURS,
			decision_period: 14 * DAYS,
			confirm_period: DAYS,
			min_enactment_period: DAYS,
			min_approval: linear(50, 100),
			min_support: linear(0, 50),
		},
	},
	Track {
		id: ZEROG_ADMIN,
		info: TrackInfo {
			name: name("zerog_admin"),
			max_deciding: 10,
			decision_deposit: 100 * ZG,
			prepare_period: HOURS,
			decision_period: 7 * DAYS,
			confirm_period: 3 * HOURS,
			min_enactment_period: 10 * MINUTES,
			min_approval: linear(50, 100),
			min_support: linear(0, 20),
		},
	},
];

/// The tracks, with a development chain's periods when its genesis set them.
pub struct TracksInfo;

impl pallet_referenda::TracksInfo<Balance, BlockNumber> for TracksInfo {
	type Id = u16;
	type RuntimeOrigin = OriginCaller;

	fn tracks() -> impl Iterator<Item = Cow<'static, Track<u16, Balance, BlockNumber>>> {
		let periods = PeriodsOverride::<Runtime>::get();
		TRACKS.iter().map(move |track| match periods {
			None => Cow::Borrowed(track),
			Some([prepare, decision, confirm, enactment]) => {
				let mut track = track.clone();
				track.info.prepare_period = prepare;
				track.info.decision_period = decision.max(1);
				track.info.confirm_period = confirm;
				track.info.min_enactment_period = enactment;
				Cow::Owned(track)
			},
		})
	}

	fn track_for(origin: &Self::RuntimeOrigin) -> Result<u16, ()> {
		match origin {
			OriginCaller::system(frame_system::RawOrigin::Root) => Ok(ROOT),
			OriginCaller::Origins(CustomOrigin::ZerogAdmin) => Ok(ZEROG_ADMIN),
			_ => Err(()),
		}
	}
}
