use super::*;
use std::net::{Ipv4Addr, Ipv6Addr};

const ZG: u128 = 1_000_000_000_000_000_000;

fn limits() -> Limits {
	Limits {
		amount: 10 * ZG,
		address_cooldown: DAY,
		per_client_hourly: 3,
		per_client_daily: 5,
		daily_outflow: 100 * ZG,
	}
}

fn key(account: u8, client: &str) -> DripKey {
	DripKey { account: format!("0x{}", hex_byte(account).repeat(32)), client: client.into() }
}

fn hex_byte(byte: u8) -> String {
	format!("{byte:02x}")
}

#[test]
fn an_account_waits_out_its_cooldown_whichever_client_asks() {
	let mut ledger = DripLedger::in_memory(limits());
	ledger.reserve(key(1, "1.1.1.1"), 1000).unwrap();
	assert_eq!(
		ledger.reserve(key(1, "2.2.2.2"), 1000 + 100),
		Err(LimitRefusal::AddressCooldown { retry_after: DAY - 100 })
	);
	// Another account from the same client is fine; the first account is again after a day.
	ledger.reserve(key(2, "1.1.1.1"), 1100).unwrap();
	ledger.reserve(key(1, "3.3.3.3"), 1000 + DAY).unwrap();
}

#[test]
fn a_client_gets_its_hourly_then_its_daily_number_of_drips() {
	let mut ledger = DripLedger::in_memory(limits());
	for (account, at) in [(1, 0), (2, 10), (3, 20)] {
		ledger.reserve(key(account, "9.9.9.9"), at).unwrap();
	}
	let refusal = ledger.reserve(key(4, "9.9.9.9"), 30).unwrap_err();
	assert_eq!(refusal, LimitRefusal::ClientHourly { retry_after: HOUR - 30 });
	assert_eq!(refusal.code(), "client_hourly_limit");
	// Other clients are not affected.
	ledger.reserve(key(5, "8.8.8.8"), 30).unwrap();
	// An hour after the first, the client may ask again, until its fifth of the day.
	ledger.reserve(key(4, "9.9.9.9"), HOUR).unwrap();
	ledger.reserve(key(6, "9.9.9.9"), HOUR + 10).unwrap();
	assert_eq!(
		ledger.reserve(key(7, "9.9.9.9"), 3 * HOUR),
		Err(LimitRefusal::ClientDaily { retry_after: DAY - 3 * HOUR })
	);
}

#[test]
fn the_daily_outflow_caps_all_recipients_together() {
	let mut limits = limits();
	limits.per_client_daily = 100;
	limits.per_client_hourly = 100;
	let mut ledger = DripLedger::in_memory(limits.clone());
	for account in 0..10 {
		ledger.reserve(key(account, "1.1.1.1"), u64::from(account) * 60).unwrap();
	}
	assert_eq!(ledger.sent_today(600), 100 * ZG);
	let refusal = ledger.reserve(key(50, "7.7.7.7"), 600).unwrap_err();
	// The first drip (at 0) stops counting a day later, which makes room for one.
	assert_eq!(refusal, LimitRefusal::DailyOutflow { retry_after: DAY - 600 });
	assert!(refusal.message(&limits).contains("100 ZG"), "{}", refusal.message(&limits));
	ledger.reserve(key(50, "7.7.7.7"), DAY).unwrap();
}

#[test]
fn a_released_reservation_counts_against_nothing() {
	let mut ledger = DripLedger::in_memory(limits());
	let id = ledger.reserve(key(1, "1.1.1.1"), 0).unwrap();
	assert!(ledger.reserve(key(1, "1.1.1.1"), 1).is_err());
	ledger.release(id);
	ledger.reserve(key(1, "1.1.1.1"), 2).unwrap();
	assert_eq!(ledger.sent_today(3), 10 * ZG);
}

#[test]
fn the_record_survives_a_restart_and_forgets_what_no_longer_counts() {
	let dir = tempfile::tempdir().unwrap();
	let path = dir.path().join("faucet-state.json");
	{
		let mut ledger = DripLedger::open(limits(), &path, 0).unwrap();
		ledger.reserve(key(1, "1.1.1.1"), 100).unwrap();
		ledger.reserve(key(2, "1.1.1.1"), 200).unwrap();
	}
	let mut reopened = DripLedger::open(limits(), &path, 300).unwrap();
	assert!(matches!(
		reopened.reserve(key(1, "2.2.2.2"), 300),
		Err(LimitRefusal::AddressCooldown { .. })
	));
	assert_eq!(reopened.sent_today(300), 20 * ZG);
	// Reservation numbers continue after the stored ones.
	let id = reopened.reserve(key(3, "2.2.2.2"), 300).unwrap();
	assert_eq!(id, 2);
	// Two days later nothing counts any more.
	let later = DripLedger::open(limits(), &path, 300 + 2 * DAY).unwrap();
	assert_eq!(later.sent_today(300 + 2 * DAY), 0);

	std::fs::write(&path, "not json").unwrap();
	let error = DripLedger::open(limits(), &path, 0).unwrap_err();
	assert!(error.contains("not a faucet state file"), "{error}");
}

#[test]
fn ipv6_clients_are_counted_by_their_64_bit_network() {
	let one: IpAddr = "2001:db8:1:2:aaaa::1".parse::<Ipv6Addr>().unwrap().into();
	let same_network: IpAddr = "2001:db8:1:2:ffff::9".parse::<Ipv6Addr>().unwrap().into();
	let other: IpAddr = "2001:db8:1:3::1".parse::<Ipv6Addr>().unwrap().into();
	assert_eq!(client_key(one), client_key(same_network));
	assert_ne!(client_key(one), client_key(other));
	let mapped: IpAddr = Ipv4Addr::new(10, 0, 0, 7).to_ipv6_mapped().into();
	assert_eq!(client_key(mapped), "10.0.0.7");
	assert_eq!(client_key(Ipv4Addr::new(10, 0, 0, 7).into()), "10.0.0.7");
}

#[test]
fn waits_read_as_people_say_them() {
	assert_eq!(format_wait(45), "45 s");
	assert_eq!(format_wait(61), "2 min");
	assert_eq!(format_wait(HOUR - 1), "1 h");
	assert_eq!(format_wait(DAY - 100), "23 h 59 min");
	assert_eq!(format_wait(2 * HOUR), "2 h");
	assert_eq!(format_wait(2 * HOUR - 10), "2 h");
}
