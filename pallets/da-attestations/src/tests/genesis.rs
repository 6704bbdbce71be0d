//! Signers registered at genesis (`GenesisConfig::signers`): they make up the first quorum.

use super::*;
use polkadot_sdk::{frame_support::traits::Hooks, frame_system, sp_runtime::BuildStorage};
use polkadot_sdk::{pallet_balances, sp_io};

/// The test chain's storage with the dev accounts funded and `signers` at genesis.
fn genesis_with(signers: Vec<(AccountId, Balance, Vec<u8>)>) -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: Sr25519Keyring::iter()
			.map(|key| (key.to_account_id(), INITIAL_BALANCE))
			.collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	crate::GenesisConfig::<Test> { signers }.assimilate_storage(&mut storage).unwrap();
	let mut ext: sp_io::TestExternalities = storage.into();
	ext.execute_with(|| System::set_block_number(1));
	ext
}

#[test]
fn genesis_signers_form_the_first_quorum_and_certify() {
	genesis_with(vec![(charlie(), MIN_STAKE, b"ws://127.0.0.1:9944".to_vec())]).execute_with(
		|| {
			let info = Signers::<Test>::get(charlie()).expect("registered at genesis");
			assert_eq!(info.da_key, da_key(&charlie()));
			assert_eq!(held(HoldReason::SignerStake, &charlie()), MIN_STAKE);
			DaAttestations::do_try_state().expect("invariants hold at genesis");

			// Block 1 draws epoch 1 from the genesis signers: a blob submitted then is certified by
			// Charlie alone, with no registration during the chain's life.
			DaAttestations::on_initialize(1);
			assert_eq!(members(1), vec![charlie()]);
			let id = submit(&alice(), 1);
			let outcomes = attest(&charlie(), &[id]);
			assert_eq!(outcomes, vec![AttestOutcome::Certified]);
			DaAttestations::do_try_state().expect("invariants hold after certification");
		},
	);
}

#[test]
#[should_panic(expected = "a genesis signer registers")]
fn a_genesis_signer_below_the_minimum_stake_is_refused() {
	genesis_with(vec![(charlie(), MIN_STAKE - 1, b"ws://x".to_vec())]);
}

#[test]
#[should_panic(expected = "a genesis signer registers")]
fn a_genesis_signer_without_an_endpoint_is_refused() {
	genesis_with(vec![(charlie(), MIN_STAKE, Vec::new())]);
}
