//! Services and user funds at genesis (`GenesisConfig::services`, `GenesisConfig::ledgers`).

use super::*;
use polkadot_sdk::{frame_system, sp_runtime::BuildStorage};
use polkadot_sdk::{pallet_balances, sp_io};

/// A genesis service of `provider`.
fn service(
	provider: AccountId,
	kind: ServiceKind,
	stake: Balance,
) -> GenesisService<AccountId, Balance> {
	GenesisService {
		provider,
		kind,
		model: "zerog-dev-echo".into(),
		endpoint: "http://127.0.0.1:8700".into(),
		input_price_per_token: INPUT_PRICE,
		output_price_per_token: OUTPUT_PRICE,
		stake,
	}
}

/// The test chain's storage with the funded accounts and `config` at genesis.
fn genesis_with(config: crate::GenesisConfig<Test>) -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: FUNDED.iter().map(|key| (key.to_account_id(), INITIAL_BALANCE)).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	config.assimilate_storage(&mut storage).unwrap();
	let mut ext: sp_io::TestExternalities = storage.into();
	ext.execute_with(|| System::set_block_number(1));
	ext
}

#[test]
fn genesis_services_and_ledgers_are_ready_to_settle_receipts() {
	let config = crate::GenesisConfig::<Test> {
		services: vec![
			service(charlie(), ServiceKind::Inference, MIN_STAKE),
			service(charlie(), ServiceKind::Job, MIN_STAKE),
		],
		ledgers: vec![GenesisLedger {
			user: alice(),
			deposit: 500,
			sub_accounts: vec![(charlie(), 300)],
		}],
	};
	genesis_with(config).execute_with(|| {
		assert_eq!(ProviderServices::<Test>::get(charlie()).into_inner(), vec![0, 1]);
		assert_eq!(Services::<Test>::get(1).unwrap().kind, ServiceKind::Job);
		assert_eq!(held(HoldReason::ServiceStake, &charlie()), 2 * MIN_STAKE);
		assert_eq!(available(&alice()), 200);
		assert_eq!(sub_account(&alice(), &charlie()).balance, 300);
		assert_eq!(held(HoldReason::Ledger, &alice()), 500);
		ComputeEscrow::do_try_state().expect("invariants hold at genesis");

		// A receipt for the genesis service is paid from the genesis sub-account.
		let signed = sign(Sr25519Keyring::Alice, receipt(&alice(), 0, 1, 10, 10));
		let fee = signed.receipt.fee;
		assert_eq!(settle(0, vec![signed]), vec![ReceiptOutcome::Settled]);
		assert_eq!(sub_account(&alice(), &charlie()).balance, 300 - fee);
		ComputeEscrow::do_try_state().expect("invariants hold after settlement");
	});
}

#[test]
#[should_panic(expected = "a genesis service registers")]
fn a_genesis_service_below_the_minimum_stake_is_refused() {
	genesis_with(crate::GenesisConfig::<Test> {
		services: vec![service(charlie(), ServiceKind::Inference, MIN_STAKE - 1)],
		ledgers: vec![],
	});
}

#[test]
#[should_panic(expected = "a genesis sub-account is funded")]
fn a_genesis_sub_account_above_the_deposit_is_refused() {
	genesis_with(crate::GenesisConfig::<Test> {
		services: vec![service(charlie(), ServiceKind::Inference, MIN_STAKE)],
		ledgers: vec![GenesisLedger {
			user: alice(),
			deposit: 10,
			sub_accounts: vec![(charlie(), 11)],
		}],
	});
}

#[test]
fn genesis_presets_spell_service_kinds_by_name() {
	let json = serde_json::to_string(&service(charlie(), ServiceKind::Job, 1)).unwrap();
	assert!(json.contains(r#""kind":"Job""#), "{json}");
	assert!(json.contains(r#""inputPricePerToken""#), "{json}");
	let back: GenesisService<AccountId, Balance> = serde_json::from_str(&json).unwrap();
	assert_eq!(back, service(charlie(), ServiceKind::Job, 1));
}
