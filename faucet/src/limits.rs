//! The faucet's limits: how often one account and one client may receive, and how much leaves the
//! faucet a day. Every drip is recorded (with its account, client and amount) until it no longer
//! counts against any limit, so the record is bounded by the daily outflow cap divided by the
//! amount; it is written to a state file after each change, so a restart forgets nothing.
//!
//! A drip is reserved before it is sent and released if it fails, so two concurrent requests for
//! the same account cannot both pass the cooldown.

use serde::{Deserialize, Serialize};
use std::{
	collections::VecDeque,
	io::Write,
	net::IpAddr,
	path::{Path, PathBuf},
};
use zerog_client::amount::format_zg;

/// Seconds in an hour.
pub const HOUR: u64 = 3600;
/// Seconds in a day.
pub const DAY: u64 = 24 * HOUR;

/// What the faucet allows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
	/// Smallest-unit amount of one drip.
	pub amount: u128,
	/// Seconds before the same account may receive again.
	pub address_cooldown: u64,
	/// Drips one client (an IPv4 address or an IPv6 /64) may receive in an hour.
	pub per_client_hourly: u32,
	/// Drips one client may receive in a day.
	pub per_client_daily: u32,
	/// Most the faucet sends in a day, all recipients together.
	pub daily_outflow: u128,
}

/// Who a drip is for, as the limits count it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DripKey {
	/// The receiving account, `0x` hex of its 32 bytes (an Ethereum address counts as the account
	/// it maps to, so the two forms of one account share a cooldown).
	pub account: String,
	/// The client that asked ([`client_key`]).
	pub client: String,
}

/// The client an IP address belongs to: an IPv4 address, or the /64 network of an IPv6 address
/// (one host is routinely given a whole /64, so counting single IPv6 addresses would give it
/// 2^64 allowances).
pub fn client_key(ip: IpAddr) -> String {
	match ip {
		IpAddr::V4(v4) => v4.to_string(),
		IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
			Some(v4) => v4.to_string(),
			None => {
				let segments = v6.segments();
				format!(
					"{:x}:{:x}:{:x}:{:x}::/64",
					segments[0], segments[1], segments[2], segments[3]
				)
			},
		},
	}
}

/// One recorded drip.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Drip {
	/// Reservation number, unique in this record.
	id: u64,
	/// Unix time it was reserved.
	at: u64,
	/// Who it was for.
	key: DripKey,
	/// Smallest-unit amount, as a decimal string (JSON numbers lose precision above 2^53).
	amount: String,
}

impl Drip {
	fn amount(&self) -> u128 {
		self.amount.parse().unwrap_or(0)
	}
}

/// Why a drip is refused by the limits; every refusal says when to try again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LimitRefusal {
	/// The account received less than the cooldown ago.
	AddressCooldown {
		/// Seconds until it may receive again.
		retry_after: u64,
	},
	/// The client reached its hourly number of drips.
	ClientHourly {
		/// Seconds until its oldest drip of the hour stops counting.
		retry_after: u64,
	},
	/// The client reached its daily number of drips.
	ClientDaily {
		/// Seconds until its oldest drip of the day stops counting.
		retry_after: u64,
	},
	/// The faucet sent its daily outflow.
	DailyOutflow {
		/// Seconds until enough of the day's drips stop counting.
		retry_after: u64,
	},
}

impl LimitRefusal {
	/// Seconds to wait before asking again.
	pub fn retry_after(&self) -> u64 {
		match self {
			Self::AddressCooldown { retry_after }
			| Self::ClientHourly { retry_after }
			| Self::ClientDaily { retry_after }
			| Self::DailyOutflow { retry_after } => (*retry_after).max(1),
		}
	}

	/// A stable machine-readable name, used in the JSON error's `code`.
	pub fn code(&self) -> &'static str {
		match self {
			Self::AddressCooldown { .. } => "address_cooldown",
			Self::ClientHourly { .. } => "client_hourly_limit",
			Self::ClientDaily { .. } => "client_daily_limit",
			Self::DailyOutflow { .. } => "faucet_daily_limit",
		}
	}

	/// What a person reads.
	pub fn message(&self, limits: &Limits) -> String {
		let wait = format_wait(self.retry_after());
		match self {
			Self::AddressCooldown { .. } => format!(
				"this address received test tokens less than {} ago; try again in {wait}",
				format_wait(limits.address_cooldown)
			),
			Self::ClientHourly { .. } => format!(
				"{} drips an hour is the limit from one network; try again in {wait}",
				limits.per_client_hourly
			),
			Self::ClientDaily { .. } => format!(
				"{} drips a day is the limit from one network; try again in {wait}",
				limits.per_client_daily
			),
			Self::DailyOutflow { .. } => format!(
				"the faucet has sent its {} for today; try again in {wait}",
				format_zg(limits.daily_outflow)
			),
		}
	}
}

/// `seconds` as a person says it: `45 s`, `12 min`, `3 h 5 min`.
pub fn format_wait(seconds: u64) -> String {
	if seconds < 60 {
		return format!("{seconds} s");
	}
	let minutes = seconds.div_ceil(60);
	match (minutes / 60, minutes % 60) {
		(0, minutes) => format!("{minutes} min"),
		(hours, 0) => format!("{hours} h"),
		(hours, minutes) => format!("{hours} h {minutes} min"),
	}
}

/// The record of drips and the limits it is checked against.
#[derive(Debug)]
pub struct DripLedger {
	limits: Limits,
	drips: VecDeque<Drip>,
	next_id: u64,
	state_file: Option<PathBuf>,
}

/// What is written to the state file.
#[derive(Serialize, Deserialize)]
struct StateFile {
	drips: Vec<Drip>,
}

impl DripLedger {
	/// An empty record kept in memory only (tests).
	pub fn in_memory(limits: Limits) -> Self {
		Self { limits, drips: VecDeque::new(), next_id: 0, state_file: None }
	}

	/// The record in `path` (created on the first drip if it does not exist), checked against
	/// `limits`; drips that count against no limit at `now` are dropped.
	pub fn open(limits: Limits, path: &Path, now: u64) -> Result<Self, String> {
		let mut ledger = Self::in_memory(limits);
		ledger.state_file = Some(path.to_owned());
		match std::fs::read(path) {
			Ok(bytes) => {
				let state: StateFile = serde_json::from_slice(&bytes).map_err(|error| {
					format!("{} is not a faucet state file: {error}", path.display())
				})?;
				ledger.drips = state.drips.into();
				ledger.next_id = ledger.drips.iter().map(|drip| drip.id + 1).max().unwrap_or(0);
				ledger.forget_before(now);
			},
			Err(error) if error.kind() == std::io::ErrorKind::NotFound => {},
			Err(error) => return Err(format!("cannot read {}: {error}", path.display())),
		}
		Ok(ledger)
	}

	/// The limits checked.
	pub fn limits(&self) -> &Limits {
		&self.limits
	}

	/// Smallest-unit amount sent (or being sent) in the day before `now`.
	pub fn sent_today(&self, now: u64) -> u128 {
		self.drips
			.iter()
			.filter(|drip| drip.at + DAY > now)
			.map(Drip::amount)
			.fold(0, u128::saturating_add)
	}

	/// Checks a drip of the configured amount for `key` at `now` and, if every limit allows it,
	/// records it: the reservation to [`Self::release`] if it is not sent.
	pub fn reserve(&mut self, key: DripKey, now: u64) -> Result<u64, LimitRefusal> {
		self.forget_before(now);
		let limits = &self.limits;
		if let Some(last) = self.drips.iter().rev().find(|drip| drip.key.account == key.account) {
			if last.at + limits.address_cooldown > now {
				return Err(LimitRefusal::AddressCooldown {
					retry_after: last.at + limits.address_cooldown - now,
				});
			}
		}
		let from_client: Vec<u64> = self
			.drips
			.iter()
			.filter(|drip| drip.key.client == key.client)
			.map(|drip| drip.at)
			.collect();
		let within = |window: u64| from_client.iter().filter(move |at| **at + window > now);
		if within(HOUR).count() >= limits.per_client_hourly as usize {
			let oldest = within(HOUR).min().copied().unwrap_or(now);
			return Err(LimitRefusal::ClientHourly { retry_after: oldest + HOUR - now });
		}
		if within(DAY).count() >= limits.per_client_daily as usize {
			let oldest = within(DAY).min().copied().unwrap_or(now);
			return Err(LimitRefusal::ClientDaily { retry_after: oldest + DAY - now });
		}
		let mut sent = self.sent_today(now);
		if sent.saturating_add(limits.amount) > limits.daily_outflow {
			// Wait until enough of today's drips, oldest first, stop counting.
			let mut retry_after = DAY;
			for drip in self.drips.iter().filter(|drip| drip.at + DAY > now) {
				sent = sent.saturating_sub(drip.amount());
				if sent.saturating_add(limits.amount) <= limits.daily_outflow {
					retry_after = drip.at + DAY - now;
					break;
				}
			}
			return Err(LimitRefusal::DailyOutflow { retry_after });
		}
		let id = self.next_id;
		self.next_id += 1;
		self.drips.push_back(Drip { id, at: now, key, amount: limits.amount.to_string() });
		self.save();
		Ok(id)
	}

	/// Forgets reservation `id`: its drip was not sent, so it counts against nothing.
	pub fn release(&mut self, id: u64) {
		self.drips.retain(|drip| drip.id != id);
		self.save();
	}

	/// Drops drips that count against no limit at `now`.
	fn forget_before(&mut self, now: u64) {
		let keep = self.limits.address_cooldown.max(DAY);
		self.drips.retain(|drip| drip.at + keep > now);
	}

	/// Writes the record to the state file (a temporary file renamed over it, so a crash leaves
	/// the old record or the new one, never half of one). A failure is logged, not fatal: the
	/// record in memory still holds.
	fn save(&self) {
		let Some(path) = &self.state_file else { return };
		let state = StateFile { drips: self.drips.iter().cloned().collect() };
		let write = || -> std::io::Result<()> {
			let temporary = path.with_extension("tmp");
			let mut file = std::fs::File::create(&temporary)?;
			file.write_all(&serde_json::to_vec(&state).map_err(std::io::Error::other)?)?;
			file.sync_all()?;
			std::fs::rename(&temporary, path)
		};
		if let Err(error) = write() {
			log::error!(target: crate::LOG_TARGET, "cannot write {}: {error}", path.display());
		}
	}
}

#[cfg(test)]
mod tests;
