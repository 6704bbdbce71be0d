//! Providers registered at genesis (`GenesisConfig::providers`).

use super::*;
use polkadot_sdk::{frame_system, sp_runtime::BuildStorage};
use polkadot_sdk::{pallet_balances, sp_io};

/// The test chain's storage with the funded accounts and `providers` at genesis.
fn genesis_with(providers: Vec<(AccountId, Balance, Vec<u8>, u64)>) -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: funded().into_iter().map(|account| (account, INITIAL_BALANCE)).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	crate::GenesisConfig::<Test> { providers }.assimilate_storage(&mut storage).unwrap();
	storage.into()
}

#[test]
fn genesis_providers_are_active_with_their_stake_on_hold() {
	genesis_with(vec![
		(charlie(), MIN_STAKE, b"ws://127.0.0.1:9944".to_vec(), CAPACITY),
		(dave(), 2 * MIN_STAKE, b"ws://127.0.0.1:9945".to_vec(), CAPACITY),
	])
	.execute_with(|| {
		assert_eq!(ActiveProviders::<Test>::get().into_inner(), vec![charlie(), dave()]);
		assert_eq!(stake_held(&charlie()), MIN_STAKE);
		assert_eq!(stake_held(&dave()), 2 * MIN_STAKE);
		let info = Providers::<Test>::get(charlie()).unwrap();
		assert_eq!(info.endpoint.as_slice(), b"ws://127.0.0.1:9944");
		assert_eq!(info.status, ProviderStatus::Active);
		StorageCommitments::do_try_state().expect("invariants hold at genesis");
	});
}

#[test]
#[should_panic(expected = "a genesis provider registers")]
fn a_genesis_provider_below_the_minimum_stake_is_refused() {
	genesis_with(vec![(charlie(), MIN_STAKE - 1, b"ws://x".to_vec(), CAPACITY)]);
}

#[test]
#[should_panic(expected = "a genesis provider registers")]
fn a_genesis_provider_listed_twice_is_refused() {
	genesis_with(vec![
		(charlie(), MIN_STAKE, b"ws://x".to_vec(), CAPACITY),
		(charlie(), MIN_STAKE, b"ws://y".to_vec(), CAPACITY),
	]);
}
