//! Tunable economics: the fees, minimum stakes, slash rates, lifetimes and windows of the three
//! ZeroG pallets are `pallet-parameters` dynamic parameters, with the defaults below until
//! governance sets a value through `Parameters::set_parameter`, which checks it against
//! [`ZerogParameterBounds`] (`pallet-parameters`' own call is disabled).
//!
//! Not tunable, on purpose: the storage challenge period and response window, and the DA epoch
//! length, attestation window, custody period and custody window. Their schedules are recomputed
//! from the current value (`now / period`, `now % period`), so a change would orphan or repeat an
//! open period: stakes locked behind challenges that never close, honest signers slashed before
//! their deadline. Bounds (`Max*`) that size storage and the hooks' weight stay constants too.

use crate::{
	units::{DAYS, HOURS, MICRO_ZG, MILLI_ZG, MINUTES, ZG},
	AccountId, Balance, BlockNumber, Runtime, RuntimeEvent,
};
use pallet_parameter_bounds::{BoundViolation, ParameterBounds};
use polkadot_sdk::{
	frame_support::{
		dynamic_params::{dynamic_pallet_params, dynamic_params},
		traits::{AsEnsureOriginWithArg, Get},
	},
	frame_system::EnsureRoot,
	pallet_parameters,
	sp_runtime::Perbill,
};

/// Defaults of the storage parameters.
pub mod storage_defaults {
	use super::*;
	/// A 256-byte chunk costs a quarter of a micro-ZG per lifetime: about 1 ZG per GiB and month.
	pub const FEE_PER_CHUNK: Balance = MICRO_ZG / 4;
	/// Smallest stake of a storage provider: 100 ZG.
	pub const MIN_PROVIDER_STAKE: Balance = 100 * ZG;
	/// Slashed per missed challenge: a provider missing ten in a row keeps about a third.
	pub const SLASH_FRACTION: Perbill = Perbill::from_percent(10);
	/// Kept from the fee of a file no provider acknowledged.
	pub const UNACKED_FILE_FEE: Perbill = Perbill::from_percent(1);
	/// Blocks of life one fee buys: 30 days.
	pub const FILE_LIFETIME: BlockNumber = 30 * DAYS;
	/// Renewals may prepay up to a year.
	pub const MAX_LIFETIME: BlockNumber = 365 * DAYS;
	/// An hour to fetch and acknowledge a file: a 32 GiB file at 10 MB/s with room to spare.
	pub const ACK_WINDOW: BlockNumber = HOURS;
}

/// Defaults of the DA parameters.
pub mod da_defaults {
	use super::*;
	/// Fixed part of a blob's fee: one milli-ZG.
	pub const BLOB_BASE_FEE: Balance = MILLI_ZG;
	/// A thousandth of a micro-ZG per byte: 10 MiB cost about 0.01 ZG.
	pub const BLOB_BYTE_FEE: Balance = MICRO_ZG / 1_000;
	/// Half the fee of a blob nobody certified comes back.
	pub const EXPIRY_REFUND: Perbill = Perbill::from_percent(50);
	/// Smallest stake of a DA signer: 100 ZG.
	pub const MIN_SIGNER_STAKE: Balance = 100 * ZG;
	/// A custody challenge not answered costs a tenth of the stake: ten misses halve it about
	/// three times over, while an honest node that was down for one round loses little.
	pub const CUSTODY_SLASH: Perbill = Perbill::from_percent(10);
	/// Three members at least: the smallest quorum that still certifies with one member down.
	/// Public chains with many signers should raise it (larger quorums are harder to capture).
	pub const MIN_QUORUM_MEMBERS: u32 = 3;
	/// Largest quorum (not tunable): the bound of `MIN_QUORUM_MEMBERS`.
	pub const MAX_QUORUM_SIZE: u32 = 32;
}

/// Defaults of the compute parameters.
pub mod compute_defaults {
	use super::*;
	/// Smallest stake behind a service: 100 ZG.
	pub const MIN_SERVICE_STAKE: Balance = 100 * ZG;
	/// Slashed from a service's stake per missed job deadline.
	pub const SLASH_FRACTION: Perbill = Perbill::from_percent(10);
	/// A dispute costs a tenth of a ZG while it is open, and all of it if governance finds
	/// entirely for the provider: enough to make disputing every result a losing game, small
	/// next to the jobs worth disputing.
	pub const DISPUTE_BOND: Balance = ZG / 10;
	/// Governance has a week to resolve a dispute before the result stands.
	pub const DISPUTE_PERIOD: BlockNumber = 7 * DAYS;
	/// Ten minutes for the provider to settle receipts against funds a user takes back.
	pub const REFUND_LOCK_PERIOD: BlockNumber = 10 * MINUTES;
	/// An hour to check a result before it counts as accepted.
	pub const REVIEW_PERIOD: BlockNumber = HOURS;
	/// A job's deadline is at least 10 blocks away: the provider's worker needs a few to start.
	pub const MIN_JOB_DURATION: BlockNumber = 10;
	/// And at most a week away.
	pub const MAX_JOB_DURATION: BlockNumber = 7 * DAYS;
}

#[dynamic_params(RuntimeParameters, pallet_parameters::Parameters::<Runtime>)]
pub mod dynamic_params {
	use super::*;

	/// Storage network: fees, stakes, slashing, lifetimes, the acknowledgement window.
	#[dynamic_pallet_params]
	#[codec(index = 0)]
	pub mod storage {
		#[codec(index = 0)]
		pub static FeePerChunk: Balance = storage_defaults::FEE_PER_CHUNK;
		#[codec(index = 1)]
		pub static MinProviderStake: Balance = storage_defaults::MIN_PROVIDER_STAKE;
		#[codec(index = 2)]
		pub static SlashFraction: Perbill = storage_defaults::SLASH_FRACTION;
		#[codec(index = 3)]
		pub static UnackedFileFee: Perbill = storage_defaults::UNACKED_FILE_FEE;
		#[codec(index = 4)]
		pub static FileLifetime: BlockNumber = storage_defaults::FILE_LIFETIME;
		#[codec(index = 5)]
		pub static MaxLifetime: BlockNumber = storage_defaults::MAX_LIFETIME;
		#[codec(index = 6)]
		pub static AckWindow: BlockNumber = storage_defaults::ACK_WINDOW;
	}

	/// Data availability: blob fees, refunds, stakes, custody slashing, quorum size.
	#[dynamic_pallet_params]
	#[codec(index = 1)]
	pub mod da {
		#[codec(index = 0)]
		pub static BlobBaseFee: Balance = da_defaults::BLOB_BASE_FEE;
		#[codec(index = 1)]
		pub static BlobByteFee: Balance = da_defaults::BLOB_BYTE_FEE;
		#[codec(index = 2)]
		pub static ExpiryRefund: Perbill = da_defaults::EXPIRY_REFUND;
		#[codec(index = 3)]
		pub static MinSignerStake: Balance = da_defaults::MIN_SIGNER_STAKE;
		#[codec(index = 4)]
		pub static CustodySlash: Perbill = da_defaults::CUSTODY_SLASH;
		#[codec(index = 5)]
		pub static MinQuorumMembers: u32 = da_defaults::MIN_QUORUM_MEMBERS;
	}

	/// Compute marketplace: stakes, slashing, disputes, refunds, reviews, job durations.
	#[dynamic_pallet_params]
	#[codec(index = 2)]
	pub mod compute {
		#[codec(index = 0)]
		pub static MinServiceStake: Balance = compute_defaults::MIN_SERVICE_STAKE;
		#[codec(index = 1)]
		pub static SlashFraction: Perbill = compute_defaults::SLASH_FRACTION;
		#[codec(index = 2)]
		pub static DisputeBond: Balance = compute_defaults::DISPUTE_BOND;
		#[codec(index = 3)]
		pub static DisputePeriod: BlockNumber = compute_defaults::DISPUTE_PERIOD;
		#[codec(index = 4)]
		pub static RefundLockPeriod: BlockNumber = compute_defaults::REFUND_LOCK_PERIOD;
		#[codec(index = 5)]
		pub static ReviewPeriod: BlockNumber = compute_defaults::REVIEW_PERIOD;
		#[codec(index = 6)]
		pub static MinJobDuration: BlockNumber = compute_defaults::MIN_JOB_DURATION;
		#[codec(index = 7)]
		pub static MaxJobDuration: BlockNumber = compute_defaults::MAX_JOB_DURATION;
	}
}

/// The parameter whose check reads the most other parameters, for the benchmark.
#[cfg(feature = "runtime-benchmarks")]
impl Default for RuntimeParameters {
	fn default() -> Self {
		use dynamic_params::storage::{FileLifetime, Parameters};
		RuntimeParameters::Storage(Parameters::FileLifetime(
			FileLifetime,
			Some(storage_defaults::FILE_LIFETIME + 1),
		))
	}
}

/// `value` in `[min, max]`.
fn within<V: PartialOrd>(value: V, min: V, max: V) -> Result<(), BoundViolation> {
	if value < min {
		Err(BoundViolation::BelowMinimum)
	} else if value > max {
		Err(BoundViolation::AboveMaximum)
	} else {
		Ok(())
	}
}

/// `Ok` when a relation with another parameter holds.
fn consistent(holds: bool) -> Result<(), BoundViolation> {
	holds.then_some(()).ok_or(BoundViolation::Inconsistent)
}

/// The bounds of every tunable parameter (a value of `None` resets to the default and is
/// checked as the default). Ranges keep each mechanism working: no free files or blobs (a zero
/// fee lets anyone fill providers' disks or the expiry queues for a transaction fee), stakes
/// that make the bounded provider and signer sets costly to fill, slashes that bite without
/// wiping out an honest node for a restart, windows long enough for the largest upload.
pub struct ZerogParameterBounds;

impl ParameterBounds<RuntimeParameters> for ZerogParameterBounds {
	fn check(parameter: &RuntimeParameters) -> Result<(), BoundViolation> {
		match parameter {
			RuntimeParameters::Storage(parameter) => check_storage(parameter),
			RuntimeParameters::Da(parameter) => check_da(parameter),
			RuntimeParameters::Compute(parameter) => check_compute(parameter),
		}
	}
}

fn check_storage(parameter: &dynamic_params::storage::Parameters) -> Result<(), BoundViolation> {
	use dynamic_params::storage::{self as current, Parameters::*};
	use storage_defaults::*;
	match *parameter {
		FeePerChunk(_, value) => within(value.unwrap_or(FEE_PER_CHUNK), 1, 100 * FEE_PER_CHUNK),
		MinProviderStake(_, value) => {
			within(value.unwrap_or(MIN_PROVIDER_STAKE), 10 * ZG, 1_000 * ZG)
		},
		SlashFraction(_, value) => within(
			value.unwrap_or(SLASH_FRACTION),
			Perbill::from_percent(1),
			Perbill::from_percent(20),
		),
		UnackedFileFee(_, value) => {
			within(value.unwrap_or(UNACKED_FILE_FEE), Perbill::zero(), Perbill::from_percent(10))
		},
		FileLifetime(_, value) => {
			let value = value.unwrap_or(FILE_LIFETIME);
			within(value, 7 * DAYS, 2 * 365 * DAYS)?;
			consistent(value <= current::MaxLifetime::get() && value > current::AckWindow::get())
		},
		MaxLifetime(_, value) => {
			let value = value.unwrap_or(MAX_LIFETIME);
			within(value, 7 * DAYS, 2 * 365 * DAYS)?;
			consistent(value >= current::FileLifetime::get())
		},
		AckWindow(_, value) => {
			let value = value.unwrap_or(ACK_WINDOW);
			within(value, HOURS, DAYS)?;
			consistent(value < current::FileLifetime::get())
		},
	}
}

fn check_da(parameter: &dynamic_params::da::Parameters) -> Result<(), BoundViolation> {
	use da_defaults::*;
	use dynamic_params::da::Parameters::*;
	match *parameter {
		BlobBaseFee(_, value) => {
			within(value.unwrap_or(BLOB_BASE_FEE), MILLI_ZG / 10, 100 * MILLI_ZG)
		},
		BlobByteFee(_, value) => {
			within(value.unwrap_or(BLOB_BYTE_FEE), MICRO_ZG / 10_000, MICRO_ZG / 10)
		},
		ExpiryRefund(_, value) => {
			within(value.unwrap_or(EXPIRY_REFUND), Perbill::zero(), Perbill::from_percent(90))
		},
		MinSignerStake(_, value) => within(value.unwrap_or(MIN_SIGNER_STAKE), 10 * ZG, 10_000 * ZG),
		CustodySlash(_, value) => within(
			value.unwrap_or(CUSTODY_SLASH),
			Perbill::from_percent(1),
			Perbill::from_percent(50),
		),
		MinQuorumMembers(_, value) => {
			within(value.unwrap_or(MIN_QUORUM_MEMBERS), 3, MAX_QUORUM_SIZE)
		},
	}
}

fn check_compute(parameter: &dynamic_params::compute::Parameters) -> Result<(), BoundViolation> {
	use compute_defaults::*;
	use dynamic_params::compute::{self as current, Parameters::*};
	match *parameter {
		MinServiceStake(_, value) => {
			within(value.unwrap_or(MIN_SERVICE_STAKE), 10 * ZG, 10_000 * ZG)
		},
		SlashFraction(_, value) => within(
			value.unwrap_or(SLASH_FRACTION),
			Perbill::from_percent(1),
			Perbill::from_percent(50),
		),
		DisputeBond(_, value) => within(value.unwrap_or(DISPUTE_BOND), ZG / 100, 10 * ZG),
		DisputePeriod(_, value) => within(value.unwrap_or(DISPUTE_PERIOD), DAYS, 14 * DAYS),
		// Lowering it below what a running executor settles within (its grace period and
		// settlement interval, 3.5 minutes by default) would let users take funds back before
		// their receipts are settled: 150 blocks (5 minutes) at least.
		RefundLockPeriod(_, value) => within(value.unwrap_or(REFUND_LOCK_PERIOD), 150, HOURS),
		ReviewPeriod(_, value) => within(value.unwrap_or(REVIEW_PERIOD), 10 * MINUTES, 7 * DAYS),
		MinJobDuration(_, value) => {
			let value = value.unwrap_or(MIN_JOB_DURATION);
			within(value, 5, DAYS)?;
			consistent(value <= current::MaxJobDuration::get())
		},
		MaxJobDuration(_, value) => {
			let value = value.unwrap_or(MAX_JOB_DURATION);
			within(value, HOURS, 30 * DAYS)?;
			consistent(value >= current::MinJobDuration::get())
		},
	}
}

impl pallet_parameters::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeParameters = RuntimeParameters;
	/// Only `Parameters::set_parameter` calls it (its own call is disabled in the runtime),
	/// after checking the bounds.
	type AdminOrigin = AsEnsureOriginWithArg<EnsureRoot<AccountId>>;
	type WeightInfo = ();
}

impl pallet_parameter_bounds::Config for Runtime {
	/// Governance: a referendum on the `zerog_admin` track, or root (sudo on development chains).
	type SetOrigin = AsEnsureOriginWithArg<crate::governance::RootOrZerogAdmin>;
	type Bounds = ZerogParameterBounds;
	type WeightInfo = pallet_parameter_bounds::weights::SubstrateWeight<Runtime>;
}

#[cfg(test)]
mod tests {
	use super::*;

	/// Every default is within its own bounds and consistent with the others' defaults.
	#[test]
	fn every_default_passes_its_bounds() {
		use dynamic_params::{compute, da, storage};
		polkadot_sdk::sp_io::TestExternalities::default().execute_with(|| {
			let storage_keys = [
				storage::Parameters::FeePerChunk(storage::FeePerChunk, None),
				storage::Parameters::MinProviderStake(storage::MinProviderStake, None),
				storage::Parameters::SlashFraction(storage::SlashFraction, None),
				storage::Parameters::UnackedFileFee(storage::UnackedFileFee, None),
				storage::Parameters::FileLifetime(storage::FileLifetime, None),
				storage::Parameters::MaxLifetime(storage::MaxLifetime, None),
				storage::Parameters::AckWindow(storage::AckWindow, None),
			];
			let da_keys = [
				da::Parameters::BlobBaseFee(da::BlobBaseFee, None),
				da::Parameters::BlobByteFee(da::BlobByteFee, None),
				da::Parameters::ExpiryRefund(da::ExpiryRefund, None),
				da::Parameters::MinSignerStake(da::MinSignerStake, None),
				da::Parameters::CustodySlash(da::CustodySlash, None),
				da::Parameters::MinQuorumMembers(da::MinQuorumMembers, None),
			];
			let compute_keys = [
				compute::Parameters::MinServiceStake(compute::MinServiceStake, None),
				compute::Parameters::SlashFraction(compute::SlashFraction, None),
				compute::Parameters::DisputeBond(compute::DisputeBond, None),
				compute::Parameters::DisputePeriod(compute::DisputePeriod, None),
				compute::Parameters::RefundLockPeriod(compute::RefundLockPeriod, None),
				compute::Parameters::ReviewPeriod(compute::ReviewPeriod, None),
				compute::Parameters::MinJobDuration(compute::MinJobDuration, None),
				compute::Parameters::MaxJobDuration(compute::MaxJobDuration, None),
			];
			let all = storage_keys
				.into_iter()
				.map(RuntimeParameters::Storage)
				.chain(da_keys.into_iter().map(RuntimeParameters::Da))
				.chain(compute_keys.into_iter().map(RuntimeParameters::Compute));
			for parameter in all {
				assert_eq!(ZerogParameterBounds::check(&parameter), Ok(()), "{parameter:?}");
			}
		});
	}
}
