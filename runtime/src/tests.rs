//! Runtime tests: every genesis preset builds a state the runtime accepts.
//! (The pallets' `integrity_test`s run from the test `construct_runtime` generates.)

use crate::{
	genesis_config_presets::{self, ENDOWMENT},
	units::TOKEN_DECIMALS,
	Aura, Balances, Runtime, RuntimeGenesisConfig, System,
};
use polkadot_sdk::{
	frame_support::genesis_builder_helper::{build_state, get_preset},
	pallet_aura, pallet_grandpa, pallet_sudo,
	sp_genesis_builder::PresetId,
	sp_io::TestExternalities,
	sp_keyring::Sr25519Keyring,
};

// Governance of the ZeroG pallets' parameters and compute enclaves.
#[cfg(all(feature = "storage", feature = "da", feature = "compute"))]
mod governance;
// Compute-to-data across the marketplace and the compute marketplace.
#[cfg(all(feature = "storage", feature = "compute", feature = "marketplace"))]
mod marketplace;
// The ZeroG pallets as Solidity precompiles.
#[cfg(all(feature = "storage", feature = "da", feature = "compute", feature = "marketplace"))]
mod precompiles;
mod randomness;
mod validators;
mod weights;

/// Builds the genesis state of a preset the way a node does: the runtime's default config
/// patched with the preset's JSON, handed to the runtime's `build_state`.
fn genesis_of(preset: &str) -> TestExternalities {
	let patch = get_preset::<RuntimeGenesisConfig>(
		&Some(PresetId::from(preset)),
		genesis_config_presets::get_preset,
	)
	.unwrap_or_else(|| panic!("preset {preset} exists"));
	genesis_of_patch(preset, serde_json::from_slice(&patch).unwrap())
}

/// The genesis state of the runtime's default config patched with `patch` (of `preset`).
fn genesis_of_patch(preset: &str, patch: serde_json::Value) -> TestExternalities {
	let mut config = serde_json::to_value(RuntimeGenesisConfig::default()).unwrap();
	json_patch(&mut config, patch);

	let mut ext = TestExternalities::default();
	ext.execute_with(|| {
		build_state::<RuntimeGenesisConfig>(serde_json::to_vec(&config).unwrap())
			.unwrap_or_else(|e| panic!("preset {preset} is accepted by the runtime: {e}"));
	});
	ext
}

/// What a dev user holds at genesis: its compute marketplace deposit, in a runtime with compute.
fn dev_user_deposit() -> u128 {
	if cfg!(feature = "compute") {
		genesis_config_presets::DEV_LEDGER_DEPOSIT
	} else {
		0
	}
}

/// Merges a JSON patch into a JSON value (objects are merged key by key, everything else is
/// replaced), as `sc-chain-spec` does.
fn json_patch(base: &mut serde_json::Value, patch: serde_json::Value) {
	match (base, patch) {
		(serde_json::Value::Object(base), serde_json::Value::Object(patch)) => {
			for (key, value) in patch {
				json_patch(base.entry(key).or_insert(serde_json::Value::Null), value);
			}
		},
		(base, patch) => *base = patch,
	}
}

/// The genesis of a preset with the testnet's ceremony keys merged in, as `zerog-node` builds
/// the `testnet` chain: two made-up validators and a faucet.
fn testnet_genesis() -> TestExternalities {
	use genesis_config_presets::TestnetValidator;
	use polkadot_sdk::sp_core::{ed25519, sr25519, Pair};
	let validator = |seed: &str| TestnetValidator {
		account: sr25519::Pair::from_string(&format!("//{seed}//account"), None)
			.unwrap()
			.public()
			.into(),
		aura: sr25519::Pair::from_string(&format!("//{seed}//aura"), None).unwrap().public().into(),
		grandpa: ed25519::Pair::from_string(&format!("//{seed}//grandpa"), None)
			.unwrap()
			.public()
			.into(),
	};
	let faucet = sr25519::Pair::from_string("//faucet", None).unwrap().public().into();
	let patch =
		genesis_config_presets::testnet_genesis(&[validator("one"), validator("two")], faucet);
	genesis_of_patch("testnet", patch)
}

#[test]
fn every_preset_is_listed_and_builds_a_genesis() {
	let names = genesis_config_presets::preset_names();
	assert_eq!(names.len(), 3);
	for name in names {
		let name: &str = name.as_ref();
		let public = name == genesis_config_presets::TESTNET_RUNTIME_PRESET;
		let mut ext = if public { testnet_genesis() } else { genesis_of(name) };
		ext.execute_with(|| {
			assert!(!pallet_aura::Authorities::<Runtime>::get().is_empty(), "{name} has authors");
			assert_eq!(
				pallet_aura::Authorities::<Runtime>::get().len(),
				pallet_grandpa::Pallet::<Runtime>::grandpa_authorities().len(),
				"{name}: every author also votes on finality",
			);
			// Issue 16: a public chain has no sudo; development chains keep it for convenience.
			assert_eq!(pallet_sudo::Key::<Runtime>::get().is_some(), !public, "{name}: sudo key");
			assert!(Balances::total_issuance() > 0, "{name} has funded accounts");
		});
	}
}

/// Issue 16: the testnet funds its validators and faucet only; no development account holds
/// anything and no development key authors.
#[test]
fn testnet_funds_the_ceremony_keys_only() {
	use genesis_config_presets::{TESTNET_FAUCET_ENDOWMENT, TESTNET_VALIDATOR_ENDOWMENT};
	testnet_genesis().execute_with(|| {
		// Besides the ceremony's accounts, only the storage reward pool holds its existential
		// deposit (pallet-storage-commitments endows it at genesis).
		assert_eq!(
			Balances::total_issuance(),
			2 * TESTNET_VALIDATOR_ENDOWMENT
				+ TESTNET_FAUCET_ENDOWMENT
				+ crate::configs::EXISTENTIAL_DEPOSIT
		);
		for key in Sr25519Keyring::iter() {
			assert_eq!(System::account(key.to_account_id()).data.free, 0, "{key:?}");
			let aura: polkadot_sdk::sp_consensus_aura::sr25519::AuthorityId = key.public().into();
			assert!(!pallet_aura::Authorities::<Runtime>::get().contains(&aura), "{key:?}");
		}
	});
}

#[test]
fn unknown_preset_is_refused() {
	assert!(genesis_config_presets::get_preset(&PresetId::from("no-such-preset")).is_none());
}

#[test]
fn development_funds_dev_accounts_and_has_one_author() {
	use polkadot_sdk::frame_support::traits::fungible::Inspect;
	genesis_of("development").execute_with(|| {
		assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 1);
		for key in [Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Ferdie] {
			// Stakes and marketplace deposits are holds: the endowment is all still theirs.
			assert_eq!(Balances::total_balance(&key.to_account_id()), ENDOWMENT);
		}
		let bob = Sr25519Keyring::Bob.to_account_id();
		assert_eq!(Balances::free_balance(&bob), ENDOWMENT - dev_user_deposit());
		assert_eq!(System::block_number(), 0);
	});
}

#[cfg(all(feature = "storage", feature = "da", feature = "compute"))]
/// What the ZeroG pallets hold for each role account of a preset (the pallets' own tests check
/// that genesis roles keep their invariants).
fn assert_roles(preset: &str, roles: &[Sr25519Keyring], services_per_role: u64) {
	use genesis_config_presets::{DEV_SUB_ACCOUNT, ROLE_STAKE};
	genesis_of(preset).execute_with(|| {
		for (position, key) in roles.iter().enumerate() {
			let account = key.to_account_id();
			let provider = pallet_storage_commitments::Providers::<Runtime>::get(&account)
				.unwrap_or_else(|| panic!("{preset}: {key:?} is a storage provider"));
			assert_eq!(provider.stake, ROLE_STAKE);
			let signer = pallet_da_attestations::Signers::<Runtime>::get(&account)
				.unwrap_or_else(|| panic!("{preset}: {key:?} is a DA signer"));
			assert_eq!(AsRef::<[u8; 32]>::as_ref(&account), &signer.da_key.0);
			let ids = pallet_compute_escrow::ProviderServices::<Runtime>::get(&account);
			let first = position as u64 * services_per_role;
			assert_eq!(ids.into_inner(), (first..first + services_per_role).collect::<Vec<_>>());
			let inference = pallet_compute_escrow::Services::<Runtime>::get(first).unwrap();
			assert_eq!(inference.kind, pallet_compute_escrow::ServiceKind::Inference);
			assert_eq!(
				inference.model.as_slice(),
				genesis_config_presets::DEV_INFERENCE_MODEL.as_bytes()
			);
			for user in [Sr25519Keyring::Bob, Sr25519Keyring::Ferdie] {
				let sub = pallet_compute_escrow::SubAccounts::<Runtime>::get(
					user.to_account_id(),
					&account,
				);
				assert_eq!(sub.balance, DEV_SUB_ACCOUNT, "{preset}: {user:?} funds {key:?}");
			}
		}
	});
}

#[cfg(all(feature = "storage", feature = "da", feature = "compute"))]
#[test]
fn development_makes_alice_a_provider_a_signer_and_a_compute_provider() {
	assert_roles("development", &[Sr25519Keyring::Alice], 2);
	genesis_of("development").execute_with(|| {
		use polkadot_sdk::frame_support::traits::Hooks;
		let service = pallet_compute_escrow::Services::<Runtime>::get(0).unwrap();
		assert_eq!(service.endpoint.as_slice(), b"http://127.0.0.1:8700");
		// Block 1 draws the first DA quorum from the genesis signers: Alice is in it.
		System::set_block_number(1);
		crate::DaAttestations::on_initialize(1);
		let quorum = pallet_da_attestations::Quorums::<Runtime>::get(1, 0).expect("a first quorum");
		let alice = Sr25519Keyring::Alice.to_account_id();
		assert!(quorum.members.iter().any(|(member, _)| *member == alice));
	});
}

#[cfg(all(feature = "storage", feature = "da", feature = "compute"))]
#[test]
fn local_testnet_gives_each_validator_every_role() {
	use Sr25519Keyring::*;
	assert_roles("local_testnet", &[Alice, Bob, Charlie, Dave], 2);
}

#[cfg(all(feature = "storage", feature = "da", feature = "compute"))]
#[test]
fn testnet_registers_no_roles() {
	testnet_genesis().execute_with(|| {
		assert_eq!(pallet_storage_commitments::Providers::<Runtime>::iter().count(), 0);
		assert_eq!(pallet_da_attestations::Signers::<Runtime>::iter().count(), 0);
		assert_eq!(pallet_compute_escrow::Services::<Runtime>::iter().count(), 0);
	});
}

/// A node started with a dev seed (`--alice`) asks the runtime to generate its session keys
/// from the seed: that gives it the seed's key of every off-chain worker's type, whose account
/// is the seed's account, as the genesis roles need.
#[test]
fn session_keys_from_a_dev_seed_are_the_seed_account_s_worker_keys() {
	use polkadot_sdk::sp_keystore::{testing::MemoryKeystore, Keystore, KeystoreExt};
	use std::sync::Arc;
	let keystore = Arc::new(MemoryKeystore::new());
	let mut ext = TestExternalities::default();
	ext.register_extension(KeystoreExt(keystore.clone()));
	ext.execute_with(|| {
		crate::opaque::SessionKeys::generate(b"", Some(b"//Alice".to_vec()));
	});
	let alice = Sr25519Keyring::Alice.public();
	for key_type in [
		pallet_storage_commitments::KEY_TYPE,
		pallet_da_attestations::KEY_TYPE,
		pallet_compute_escrow::KEY_TYPE,
	] {
		let keys = keystore.sr25519_public_keys(key_type);
		assert_eq!(keys, vec![alice], "{key_type:?}");
	}
}

#[test]
fn local_testnet_has_four_authorities() {
	genesis_of("local_testnet").execute_with(|| {
		assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 4);
		assert_eq!(Aura::slot_duration(), 2_000);
	});
}

#[test]
fn existential_deposit_is_not_zero() {
	// A zero existential deposit would let dust accounts grow state without bound.
	const { assert!(crate::configs::EXISTENTIAL_DEPOSIT > 0) };
	assert_eq!(TOKEN_DECIMALS, 18);
}

#[test]
fn development_funds_the_ethereum_dev_accounts_at_their_ethereum_addresses() {
	use crate::Revive;
	use polkadot_sdk::sp_core::H160;

	genesis_of("development").execute_with(|| {
		for address in genesis_config_presets::ETH_DEV_ACCOUNTS {
			// What `eth_getBalance` reports: the spendable balance in wei (ZG has ether's 18
			// decimals), which keeps the existential deposit back.
			let spendable = ENDOWMENT - crate::configs::EXISTENTIAL_DEPOSIT;
			assert_eq!(Revive::evm_balance(&H160(address)), spendable.into());
		}
	});
}

#[test]
fn substrate_dev_accounts_are_mapped_to_ethereum_addresses_at_genesis() {
	use pallet_revive::AddressMapper;
	type Mapper = <Runtime as pallet_revive::Config>::AddressMapper;

	genesis_of("development").execute_with(|| {
		let alice = Sr25519Keyring::Alice.to_account_id();
		assert!(Mapper::is_mapped(&alice));
		// The mapping is reversible: Alice's Ethereum address leads back to Alice.
		assert_eq!(Mapper::to_account_id(&Mapper::to_address(&alice)), alice);
	});
}

#[test]
fn evm_chain_id_and_gas_price_are_what_wallets_are_told() {
	use crate::{configs::revive::GAS_SCALE, units::EVM_CHAIN_ID, Revive};
	use polkadot_sdk::frame_support::traits::Get;

	assert_eq!(<<Runtime as pallet_revive::Config>::ChainId as Get<u64>>::get(), EVM_CHAIN_ID);
	genesis_of("development").execute_with(|| {
		// Fee multiplier 1 × 1 wei per smallest ZG unit × gas scale.
		assert_eq!(Revive::evm_base_fee(), GAS_SCALE.into());
	});
}

#[cfg(feature = "storage")]
/// An off-chain worker's transaction, built and signed by the runtime with a key of the node's
/// keystore, passes the same signature check as any transaction from the pool.
#[test]
fn offchain_workers_sign_transactions_the_pool_accepts() {
	use crate::{RuntimeCall, UncheckedExtrinsic};
	use polkadot_sdk::{
		frame_system::{offchain::CreateSignedTransaction, ChainContext},
		sp_core::{crypto::Ss58Codec, sr25519},
		sp_keystore::{testing::MemoryKeystore, Keystore, KeystoreExt},
		sp_runtime::{traits::Checkable, MultiSigner},
	};
	use std::sync::Arc;

	let mut ext = genesis_of("development");
	let keystore = MemoryKeystore::new();
	let public: sr25519::Public =
		keystore.sr25519_generate_new(pallet_storage_commitments::KEY_TYPE, Some("//Bob")).unwrap();
	ext.register_extension(KeystoreExt(Arc::new(keystore)));
	ext.execute_with(|| {
		System::set_block_number(1);
		let bob = Sr25519Keyring::Bob.to_account_id();
		let call = RuntimeCall::StorageCommitments(pallet_storage_commitments::Call::unregister {});
		let xt: UncheckedExtrinsic =
			<Runtime as CreateSignedTransaction<RuntimeCall>>::create_signed_transaction::<
				pallet_storage_commitments::crypto::ProviderAuthId,
			>(call.clone(), MultiSigner::from(public), bob.clone(), 0)
			.expect("the key is in the keystore");
		let checked = Checkable::check(xt, &ChainContext::<Runtime>::default())
			.expect("the signature verifies against Bob's account");
		assert_eq!(checked.function, call);
		match checked.format {
			polkadot_sdk::sp_runtime::generic::ExtrinsicFormat::Signed(signer, _) => {
				assert_eq!(signer, bob, "signed by {}", signer.to_ss58check())
			},
			other => panic!("expected a signed transaction, got {other:?}"),
		}
	});
}

#[cfg(feature = "storage")]
/// The storage fee is what the runtime documents: about 1 ZG per GiB, replica and lifetime.
#[test]
fn storage_fee_is_about_one_zg_per_gib_and_replica() {
	// The fee per chunk is a parameter in state (its default until governance sets one).
	TestExternalities::default().execute_with(|| {
		let fee = crate::StorageCommitments::fee_for(1 << 30, 1).unwrap();
		// 2^22 chunks of 256 bytes at a quarter micro-ZG each.
		assert_eq!(fee, 4_194_304 * crate::units::MICRO_ZG / 4);
		assert!((crate::units::ZG..crate::units::ZG * 11 / 10).contains(&fee), "{fee}");
		assert_eq!(crate::StorageCommitments::fee_for(1 << 30, 3).unwrap(), 3 * fee);
	});
}

#[cfg(feature = "storage")]
/// The runtime API finds a file by its root once it is submitted, and not before.
#[test]
fn files_by_root_finds_submitted_files() {
	use crate::{RuntimeOrigin, StorageCommitments};
	use polkadot_sdk::sp_core::H256;

	genesis_of("development").execute_with(|| {
		System::set_block_number(1);
		let root = H256::repeat_byte(7);
		assert!(StorageCommitments::files_by_root(root).is_empty());
		let alice = Sr25519Keyring::Alice.to_account_id();
		StorageCommitments::submit(
			RuntimeOrigin::signed(alice.clone()),
			root,
			1000,
			Default::default(),
			1,
		)
		.unwrap();
		let files = StorageCommitments::files_by_root(root);
		assert_eq!(files.len(), 1);
		assert_eq!((files[0].root, files[0].size, files[0].owner.clone()), (root, 1000, alice));
		assert_eq!(StorageCommitments::file_summary(files[0].id), Some(files[0].clone()));
	});
}

#[cfg(feature = "da")]
/// One block holds what every full quorum does for a block of blobs: the blobs are shared
/// among the quorums, each member attests to its quorum's share in one `attest`, one of those
/// calls certifies them, and the rest pay only for recording an attestation (the call's refund,
/// `attest_weight`). With the declared weight alone, a block would take six of the calls.
/// Printed: the share of the normal-class budget for every number of quorums up to
/// `MaxQuorums` (with the stock RocksDB weights, 25 µs a read and 100 µs a write, two full
/// quorums needed 101 % and four 112 %; with the measured ones, see docs/data-availability.md).
#[test]
fn a_block_holds_full_quorums_attestations_of_a_full_block_of_blobs() {
	use pallet_da_attestations::{weights::WeightInfo, Config as DaConfig};
	use polkadot_sdk::frame_support::{dispatch::DispatchClass, traits::Get};
	type Da = pallet_da_attestations::Pallet<Runtime>;
	let members: u32 = <Runtime as DaConfig>::MaxQuorumSize::get();
	let blobs: u32 = <Runtime as DaConfig>::MaxBlobsPerBlock::get();
	assert!(blobs <= <Runtime as DaConfig>::MaxAttestationBatch::get());
	let weights = <Runtime as polkadot_sdk::frame_system::Config>::BlockWeights::get();
	let normal = weights.get(DispatchClass::Normal);
	let base = normal.base_extrinsic;
	let limit = normal.max_total.expect("normal transactions have a limit");
	let max_quorums: u32 = <Runtime as DaConfig>::MaxQuorums::get();
	for quorums in 1..=max_quorums {
		let share = blobs.div_ceil(quorums);
		let per_quorum = Da::attest_weight(share, share)
			.saturating_add(Da::attest_weight(share, 0).saturating_mul(u64::from(members - 1)))
			.saturating_add(base.saturating_mul(u64::from(members)));
		let per_block = per_quorum.saturating_mul(u64::from(quorums));
		println!(
			"{quorums} full quorum(s) attesting {blobs} blobs use {} % of a block's normal budget",
			per_block.ref_time() * 100 / limit.ref_time()
		);
		assert!(
			per_block.all_lte(limit),
			"{quorums} x {members} attestations of {share} blobs take {per_block:?} of {limit:?}"
		);
	}
	// Each call fits on its own at its declared weight.
	let declared = pallet_da_attestations::weights::SubstrateWeight::<Runtime>::attest(blobs);
	assert!(declared.saturating_add(base).all_lte(normal.max_extrinsic.unwrap_or(limit)));
}

/// Issue 17: the storage pallet's hooks, with every bound reached, take a small part of the
/// block now that a period's challenges and deadlines are spread over four blocks: 128
/// providers challenged or due in one block made the hooks weigh 76 ms with the measured
/// weights (7.6 % of the block), 32 make them 57 ms, most of it the 20 files a block may
/// assign among 128 providers.
#[cfg(feature = "storage")]
#[test]
fn storage_hooks_with_every_bound_reached_stay_small() {
	use polkadot_sdk::sp_runtime::Perbill;
	let max_block = <Runtime as polkadot_sdk::frame_system::Config>::BlockWeights::get().max_block;
	let hook = pallet_storage_commitments::Pallet::<Runtime>::max_hook_weight();
	println!(
		"storage on_initialize with every bound reached: {} us, {} % of the block",
		hook.ref_time() / 1_000_000,
		hook.ref_time() * 100 / max_block.ref_time()
	);
	assert!(hook.all_lte(Perbill::from_percent(6) * max_block), "{hook:?} of {max_block:?}");
}

/// Issue 16: governance tunes the ZeroG pallets' economics within bounds. A value set through
/// `Parameters::set_parameter` is what the pallets read from the next call on; a value out of
/// bounds, or from anyone but governance, changes nothing; `pallet-parameters`' own call is not
/// part of the runtime, so the bounds cannot be bypassed.
#[cfg(all(feature = "storage", feature = "da", feature = "compute"))]
#[test]
fn governance_tunes_parameters_within_bounds() {
	use crate::{
		configs::parameters::{
			dynamic_params::{compute, da, storage},
			RuntimeParameters,
		},
		units::{MICRO_ZG, ZG},
		Parameters, RuntimeOrigin,
	};
	use pallet_parameter_bounds::Error;
	use polkadot_sdk::{
		frame_support::{assert_noop, assert_ok, traits::Get},
		sp_runtime::{DispatchError, Perbill},
	};
	type FeePerChunk = <Runtime as pallet_storage_commitments::Config>::FeePerChunk;
	type BlobBaseFee = <Runtime as pallet_da_attestations::Config>::BlobBaseFee;
	type DisputeBond = <Runtime as pallet_compute_escrow::Config>::DisputeBond;

	genesis_of("development").execute_with(|| {
		System::set_block_number(1);
		let fee = |value| {
			RuntimeParameters::Storage(storage::Parameters::FeePerChunk(
				storage::FeePerChunk,
				value,
			))
		};
		assert_eq!(FeePerChunk::get(), MICRO_ZG / 4);
		assert_ok!(Parameters::set_parameter(RuntimeOrigin::root(), fee(Some(MICRO_ZG))));
		assert_eq!(FeePerChunk::get(), MICRO_ZG);
		System::assert_last_event(
			polkadot_sdk::pallet_parameters::Event::<Runtime>::Updated {
				key: crate::configs::parameters::RuntimeParametersKey::Storage(
					storage::ParametersKey::FeePerChunk(storage::FeePerChunk),
				),
				old_value: None,
				new_value: Some(crate::configs::parameters::RuntimeParametersValue::Storage(
					storage::ParametersValue::FeePerChunk(MICRO_ZG),
				)),
			}
			.into(),
		);
		// Free storage would let anyone fill providers' disks.
		assert_noop!(
			Parameters::set_parameter(RuntimeOrigin::root(), fee(Some(0))),
			Error::<Runtime>::BelowMinimum
		);
		assert_noop!(
			Parameters::set_parameter(
				RuntimeOrigin::signed(Sr25519Keyring::Alice.to_account_id()),
				fee(Some(MICRO_ZG / 2))
			),
			DispatchError::BadOrigin
		);
		// Back to the default.
		assert_ok!(Parameters::set_parameter(RuntimeOrigin::root(), fee(None)));
		assert_eq!(FeePerChunk::get(), MICRO_ZG / 4);

		let base_fee =
			RuntimeParameters::Da(da::Parameters::BlobBaseFee(da::BlobBaseFee, Some(ZG)));
		assert_noop!(
			Parameters::set_parameter(RuntimeOrigin::root(), base_fee),
			Error::<Runtime>::AboveMaximum
		);
		let bond = RuntimeParameters::Compute(compute::Parameters::DisputeBond(
			compute::DisputeBond,
			Some(ZG),
		));
		assert_ok!(Parameters::set_parameter(RuntimeOrigin::root(), bond));
		assert_eq!((DisputeBond::get(), BlobBaseFee::get()), (ZG, ZG / 1000));

		// A lifetime above the longest renewal contradicts it.
		let lifetime = RuntimeParameters::Storage(storage::Parameters::FileLifetime(
			storage::FileLifetime,
			Some(400 * crate::units::DAYS),
		));
		assert_noop!(
			Parameters::set_parameter(RuntimeOrigin::root(), lifetime),
			Error::<Runtime>::Inconsistent
		);
		let slash = RuntimeParameters::Storage(storage::Parameters::SlashFraction(
			storage::SlashFraction,
			Some(Perbill::from_percent(100)),
		));
		assert_noop!(
			Parameters::set_parameter(RuntimeOrigin::root(), slash),
			Error::<Runtime>::AboveMaximum
		);

		// Only the bounded call is dispatchable: `pallet-parameters`' is not in the runtime.
		let metadata = <Runtime>::metadata_ir();
		let store = metadata.pallets.iter().find(|p| p.name == "ParameterStore").unwrap();
		assert!(store.calls.is_none(), "ParameterStore has no calls");
	});
}

/// A runtime built without the compute feature (`docs/appchain.md`): no compute pallet (and
/// `every_preset_is_listed_and_builds_a_genesis` builds every preset). CI tests the runtime
/// this way too.
#[cfg(not(feature = "compute"))]
#[test]
fn a_runtime_without_compute_has_no_compute_pallet() {
	use polkadot_sdk::frame_support::traits::PalletsInfoAccess;
	let names: Vec<&str> =
		crate::AllPalletsWithSystem::infos().iter().map(|info| info.name).collect();
	assert!(!names.contains(&"ComputeEscrow"), "{names:?}");
	assert!(names.contains(&"StorageCommitments") && names.contains(&"DaAttestations"));
}

/// `utility.batch_all` of transfers moves each amount with the sender's origin and is all or
/// nothing; `batch` stops at the first failure and keeps what came before; a call its sender
/// may not make alone fails in a batch too.
#[test]
fn batches_of_transfers_move_each_amount_and_cannot_widen_the_origin() {
	use crate::{units::MICRO_ZG, RuntimeCall, RuntimeOrigin, Utility};
	use polkadot_sdk::{frame_system, pallet_balances};

	genesis_of("development").execute_with(|| {
		System::set_block_number(1);
		let [alice, bob, charlie] =
			[Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie]
				.map(|key| key.to_account_id());
		let transfer = |to: &crate::AccountId, value: u128| {
			RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
				dest: to.clone().into(),
				value,
			})
		};
		let balance = |who: &crate::AccountId| Balances::free_balance(who);
		let (bob_before, charlie_before) = (balance(&bob), balance(&charlie));

		Utility::batch_all(
			RuntimeOrigin::signed(alice.clone()),
			vec![transfer(&bob, 5 * MICRO_ZG), transfer(&charlie, 7 * MICRO_ZG)],
		)
		.unwrap();
		assert_eq!(balance(&bob), bob_before + 5 * MICRO_ZG);
		assert_eq!(balance(&charlie), charlie_before + 7 * MICRO_ZG);

		// All or nothing: the second transfer is more than Alice holds, so Bob gets nothing.
		let too_much = balance(&alice) * 2;
		assert!(Utility::batch_all(
			RuntimeOrigin::signed(alice.clone()),
			vec![transfer(&bob, MICRO_ZG), transfer(&charlie, too_much)],
		)
		.is_err());
		assert_eq!(balance(&bob), bob_before + 5 * MICRO_ZG);

		// `batch` keeps the transfers before the failure and skips those after it.
		Utility::batch(
			RuntimeOrigin::signed(alice.clone()),
			vec![transfer(&bob, MICRO_ZG), transfer(&charlie, too_much), transfer(&bob, MICRO_ZG)],
		)
		.unwrap();
		assert_eq!(balance(&bob), bob_before + 6 * MICRO_ZG);
		assert!(System::events().iter().any(|record| matches!(
			record.event,
			crate::RuntimeEvent::Utility(pallet_utility::Event::BatchInterrupted { index: 1, .. })
		)));

		// A root-only call is refused inside a batch as it is alone.
		assert!(Utility::batch_all(
			RuntimeOrigin::signed(alice),
			vec![RuntimeCall::System(frame_system::Call::set_heap_pages { pages: 1 })],
		)
		.is_err());
	});
}
