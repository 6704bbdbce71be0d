//! Genesis presets: the initial state of each network, from which `chain-specs/` is generated.
//!
//! - `development`: one validator (Alice), every Substrate dev account and every Ethereum dev
//!   account funded, Alice is sudo. Alice is also a storage provider, a DA signer and a compute
//!   provider (an inference and a job service, served by `zerog-executor --dev`), and every dev
//!   user has marketplace funds for her: storage, DA and compute work on a fresh `--dev` chain.
//! - `local_testnet`: Alice, Bob, Charlie and Dave validate; for multi-node networks on one host.
//!   Each of them holds the same three roles, with the endpoints of the README's local network.
//! - `testnet`: the public test network, without sudo and without ZeroG roles. Its validators
//!   and funded accounts are public keys from an offline key ceremony (`docs/key-ceremony.md`,
//!   `chain-specs/testnet-keys.json`), which `zerog-node` passes to [`testnet_genesis`]; the
//!   preset alone names no validator.

use crate::{
	opaque::SessionKeys, units::ZG, validators, AccountId, Balance, BalancesConfig,
	CollatorSelectionConfig, Runtime, RuntimeGenesisConfig, SessionConfig, SudoConfig,
	ValidatorSetConfig,
};
use alloc::{format, string::String, vec, vec::Vec};
use pallet_revive::AddressMapper;
use polkadot_sdk::{
	frame_support::build_struct_json_patch,
	sp_consensus_aura::sr25519::AuthorityId as AuraId,
	sp_consensus_grandpa::AuthorityId as GrandpaId,
	sp_core::{hex2array, sr25519, H160},
	sp_genesis_builder::{self, PresetId},
	sp_keyring::{Ed25519Keyring, Sr25519Keyring},
};
use serde_json::Value;

/// Name of the preset of the public test network.
pub const TESTNET_RUNTIME_PRESET: &str = "testnet";

/// Balance of every endowed account at genesis: one million ZG.
pub const ENDOWMENT: crate::Balance = 1_000_000 * ZG;

/// A genesis validator: its account, and its session keys (Aura to author blocks, GRANDPA to
/// vote on finality, and its off-chain workers' keys).
type AuthorityKeys = (AccountId, SessionKeys);

/// How many bonded candidates validate beside the invulnerables, on every preset.
pub const DESIRED_CANDIDATES: u32 = 20;

/// Blocks per session on development chains: 20 seconds, so a validator that bonds is in the
/// set within a minute.
pub const DEV_SESSION_LENGTH: crate::BlockNumber = 10;

/// A validator's session keys: `aura` and `grandpa`, and `worker` as the key of its storage, DA
/// and compute workers (the account that pays their transactions).
fn session_keys(aura: AuraId, grandpa: GrandpaId, worker: sr25519::Public) -> SessionKeys {
	SessionKeys { aura, grandpa, storage: worker.into(), da: worker.into(), compute: worker.into() }
}

/// Stake of each genesis role (storage provider, DA signer, compute service): the minimum the
/// runtime takes.
pub const ROLE_STAKE: Balance = 100 * ZG;

/// What a dev user holds in the compute marketplace at genesis, and how much of it already
/// funds each dev provider's sub-account (enough for thousands of dev chat requests).
pub const DEV_LEDGER_DEPOSIT: Balance = 100 * ZG;
/// See [`DEV_LEDGER_DEPOSIT`].
pub const DEV_SUB_ACCOUNT: Balance = 10 * ZG;

/// Model names of the services `zerog-executor --dev` serves: clearly not real models.
pub const DEV_INFERENCE_MODEL: &str = "zerog-dev-echo";
/// See [`DEV_INFERENCE_MODEL`].
pub const DEV_JOB_MODEL: &str = "zerog-dev-wordcount";

/// Prices of the dev inference service: one micro-ZG an input token, two an output token.
pub const DEV_INPUT_PRICE: Balance = ZG / 1_000_000;
/// See [`DEV_INPUT_PRICE`].
pub const DEV_OUTPUT_PRICE: Balance = 2 * ZG / 1_000_000;

/// A dev node of a ZeroG network and its off-chain roles: its account (the account of its dev
/// seed, which `--alice` and friends put into the keystore for every key type), where its RPC
/// serves storage and DA, and where its executor serves compute.
struct DevRole {
	account: AccountId,
	rpc: String,
	data: String,
	#[cfg_attr(not(feature = "compute"), allow(dead_code))]
	executor: String,
}

impl DevRole {
	/// The node of `key` with RPC on `rpc_port`, its storage data plane on `data_port` and its
	/// executor on `executor_port`.
	fn new(key: Sr25519Keyring, rpc_port: u16, data_port: u16, executor_port: u16) -> Self {
		Self {
			account: key.to_account_id(),
			rpc: format!("ws://127.0.0.1:{rpc_port}"),
			data: format!("http://127.0.0.1:{data_port}"),
			executor: format!("http://127.0.0.1:{executor_port}"),
		}
	}
}

/// Disk space each development role offers for storage assignments: 1 TiB, so that disk space
/// on chain never limits a development network (the node's own `--data-max-size` does).
const DEV_STORAGE_CAPACITY: u64 = 1 << 40;

/// The ZeroG pallets' genesis for `roles`: each is a storage provider and a DA signer at its RPC
/// endpoint and sells the dev inference and job services at its executor's; every account of
/// `users` deposits [`DEV_LEDGER_DEPOSIT`] and funds each role's sub-account. Only the pallets
/// the runtime includes (its features) get a section.
fn zerog_roles(roles: &[DevRole], users: &[AccountId]) -> Value {
	let mut patch = Value::Object(Default::default());
	#[cfg(feature = "storage")]
	merge(&mut patch, storage_roles(roles));
	#[cfg(feature = "da")]
	merge(&mut patch, da_roles(roles));
	#[cfg(feature = "compute")]
	merge(&mut patch, compute_roles(roles, users));
	let _ = (roles, users);
	patch
}

/// Each role is a storage provider whose data plane is at its `data` endpoint.
#[cfg(feature = "storage")]
fn storage_roles(roles: &[DevRole]) -> Value {
	build_struct_json_patch!(RuntimeGenesisConfig {
		storage_commitments: crate::StorageCommitmentsConfig {
			providers: roles
				.iter()
				.map(|role| {
					let endpoint = role.data.clone().into_bytes();
					(role.account.clone(), ROLE_STAKE, endpoint, DEV_STORAGE_CAPACITY)
				})
				.collect(),
		},
	})
}

/// Each role is a DA signer at its RPC endpoint.
#[cfg(feature = "da")]
fn da_roles(roles: &[DevRole]) -> Value {
	build_struct_json_patch!(RuntimeGenesisConfig {
		da_attestations: crate::DaAttestationsConfig {
			signers: roles
				.iter()
				.map(|role| (role.account.clone(), ROLE_STAKE, role.rpc.clone().into_bytes()))
				.collect(),
		},
	})
}

/// Each role sells the dev inference and job services at its executor; every user funds them.
#[cfg(feature = "compute")]
fn compute_roles(roles: &[DevRole], users: &[AccountId]) -> Value {
	use pallet_compute_escrow::{GenesisLedger, GenesisService, ServiceKind};
	let services = roles
		.iter()
		.flat_map(|role| {
			[(ServiceKind::Inference, DEV_INFERENCE_MODEL), (ServiceKind::Job, DEV_JOB_MODEL)].map(
				|(kind, model)| GenesisService {
					provider: role.account.clone(),
					kind,
					model: model.into(),
					endpoint: role.executor.clone(),
					input_price_per_token: DEV_INPUT_PRICE,
					output_price_per_token: DEV_OUTPUT_PRICE,
					stake: ROLE_STAKE,
				},
			)
		})
		.collect();
	let ledgers = users
		.iter()
		.map(|user| GenesisLedger {
			user: user.clone(),
			deposit: DEV_LEDGER_DEPOSIT,
			sub_accounts: roles
				.iter()
				.map(|role| (role.account.clone(), DEV_SUB_ACCOUNT))
				.collect(),
		})
		.collect();
	build_struct_json_patch!(RuntimeGenesisConfig {
		compute_escrow: crate::ComputeEscrowConfig { services, ledgers },
	})
}

/// Merges the JSON patch `extra` into `base` (objects key by key; anything else replaced).
fn merge(base: &mut Value, extra: Value) {
	match (base, extra) {
		(Value::Object(base), Value::Object(extra)) => {
			for (key, value) in extra {
				merge(base.entry(key).or_insert(Value::Null), value);
			}
		},
		(base, extra) => *base = extra,
	}
}

/// Builds the genesis patch shared by every preset: `authorities` are the invulnerable
/// validators of the first sessions (anyone may bond to join them), `endowed` are funded.
///
/// No `revive` section: the runtime maps every Substrate account to its Ethereum address when
/// the account is created (`AutoMap`), endowed genesis accounts included, so they can call
/// contracts from the first block. Listing them again would make genesis log a failed mapping.
/// No `aura` or `grandpa` section: the session pallet hands them the validators' keys.
fn genesis(authorities: Vec<AuthorityKeys>, endowed: Vec<(AccountId, Balance)>) -> Value {
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig { balances: endowed },
		collator_selection: CollatorSelectionConfig {
			invulnerables: authorities.iter().map(|(account, _)| account.clone()).collect(),
			candidacy_bond: validators::CANDIDACY_BOND,
			desired_candidates: DESIRED_CANDIDATES,
		},
		session: SessionConfig {
			keys: authorities
				.into_iter()
				.map(|(account, keys)| (account.clone(), account, keys))
				.collect(),
		},
	})
}

/// A development chain's genesis: `authorities` validate, every dev account holds
/// [`ENDOWMENT`] and Alice is sudo.
fn dev_genesis(authorities: Vec<AuthorityKeys>) -> Value {
	let endowed = dev_accounts().into_iter().map(|account| (account, ENDOWMENT)).collect();
	let mut patch = genesis(authorities, endowed);
	merge(
		&mut patch,
		build_struct_json_patch!(RuntimeGenesisConfig {
			sudo: SudoConfig { key: Some(Sr25519Keyring::Alice.to_account_id()) },
			origins: crate::OriginsConfig { periods_override: Some(DEV_GOVERNANCE_PERIODS) },
			validator_set: ValidatorSetConfig { session_length: Some(DEV_SESSION_LENGTH) },
		}),
	);
	patch
}

/// Governance's track periods on development chains (prepare, decision, confirm, enactment):
/// 10 s, 40 s, 10 s and one block. A referendum the six dev users vote for passes in about 25
/// blocks on either track; one with any aye majority passes near the end of the decision
/// period, as the support it needs falls to zero.
pub const DEV_GOVERNANCE_PERIODS: [crate::BlockNumber; 4] = [5, 20, 5, 1];

/// What each testnet validator's account holds at genesis: enough for years of fees and the
/// stake of a ZeroG role or two.
pub const TESTNET_VALIDATOR_ENDOWMENT: Balance = 10_000 * ZG;

/// What the testnet faucet holds at genesis, to hand out in small drips.
pub const TESTNET_FAUCET_ENDOWMENT: Balance = 10_000_000 * ZG;

/// One testnet validator's public keys from the key ceremony: the account that pays its fees,
/// its Aura key and its GRANDPA key.
pub struct TestnetValidator {
	/// The validator's account (sr25519).
	pub account: AccountId,
	/// Its block-authoring key.
	pub aura: AuraId,
	/// Its finality-voting key.
	pub grandpa: GrandpaId,
}

/// The testnet's genesis patch from the key ceremony's public keys: `validators` author and
/// finalize blocks, their accounts and the `faucet` are funded, and nobody is sudo (there is
/// no sudo key on a public chain).
pub fn testnet_genesis(validators: &[TestnetValidator], faucet: AccountId) -> Value {
	let authorities = validators
		.iter()
		.map(|v| {
			let worker = sr25519::Public::from_raw(*v.account.as_ref());
			(v.account.clone(), session_keys(v.aura.clone(), v.grandpa.clone(), worker))
		})
		.collect();
	let endowed = validators
		.iter()
		.map(|v| (v.account.clone(), TESTNET_VALIDATOR_ENDOWMENT))
		.chain([(faucet, TESTNET_FAUCET_ENDOWMENT)])
		.collect();
	let mut patch = testnet();
	merge(&mut patch, genesis(authorities, endowed));
	patch
}

/// The account and session keys derived from a well-known dev seed such as `//Alice`, as
/// `--alice` puts them into a node's keystore: sr25519 for the account, Aura and the workers,
/// ed25519 for GRANDPA.
fn dev_authority(key: Sr25519Keyring, grandpa: Ed25519Keyring) -> AuthorityKeys {
	(key.to_account_id(), session_keys(key.public().into(), grandpa.public().into(), key.public()))
}

/// The ten accounts of the standard Ethereum development mnemonic
/// `test test test test test test test test test test test junk` (paths `m/44'/60'/0'/0/0..9`),
/// the accounts Hardhat, Foundry and MetaMask users already have keys for.
pub const ETH_DEV_ACCOUNTS: [[u8; 20]; 10] = [
	hex2array!("f39fd6e51aad88f6f4ce6ab8827279cfffb92266"),
	hex2array!("70997970c51812dc3a010c7d01b50e0d17dc79c8"),
	hex2array!("3c44cdddb6a900fa2b585dd299e03d12fa4293bc"),
	hex2array!("90f79bf6eb2c4f870365e785982e1f101e93b906"),
	hex2array!("15d34aaf54267db7d7c367839aaf71a00a2c6a65"),
	hex2array!("9965507d1a55bcc2695c58ba16fb37d819b0a4dc"),
	hex2array!("976ea74026e726554db657fa54763abd0c3a0aa9"),
	hex2array!("14dc79964da2c08b23698b3d3cc7ca32193d9955"),
	hex2array!("23618e81e3f5cdf7f54c3d65f7fbc0abf5b21e8f"),
	hex2array!("a0ee7a142d267c1f36714e4a8f75612f20a79720"),
];

/// The dev accounts `pallet-revive-eth-rpc --dev` signs `eth_sendTransaction` with (Alith,
/// Baltathar, Charleth, Dorothy, Ethan), so tools that use the node's accounts (Hardhat's
/// `accounts: "remote"`) work on a development chain without configuring a key.
pub const ETH_RPC_DEV_ACCOUNTS: [[u8; 20]; 5] = [
	hex2array!("f24ff3a9cf04c71dbc94d0b566f7a27b94566cac"),
	hex2array!("3cd0a705a2dc65e5b1e1205896baa2be8a07c6e0"),
	hex2array!("798d4ba9baf0064ec19eb4f0a1a45785ae9d6dfc"),
	hex2array!("773539d4ac0e786233d90a233654ccee26a613d9"),
	hex2array!("ff64d3f6efe2317ee2807d223a0bdc4c0c49dfdb"),
];

/// Every well-known Substrate dev account (Alice to Ferdie and their `//stash` twins), then the
/// Substrate accounts of the Ethereum dev accounts (the address followed by twelve `0xEE` bytes).
/// Their secrets are public: fund them only on networks whose tokens have no value.
fn dev_accounts() -> Vec<AccountId> {
	type Mapper = <Runtime as pallet_revive::Config>::AddressMapper;
	Sr25519Keyring::well_known()
		.map(|key| key.to_account_id())
		.chain(
			ETH_DEV_ACCOUNTS
				.iter()
				.chain(&ETH_RPC_DEV_ACCOUNTS)
				.map(|address| Mapper::to_fallback_account_id(&H160(*address))),
		)
		.collect()
}

/// The Substrate dev accounts Alice to Ferdie: the users with marketplace funds at genesis.
fn dev_users() -> Vec<AccountId> {
	[
		Sr25519Keyring::Alice,
		Sr25519Keyring::Bob,
		Sr25519Keyring::Charlie,
		Sr25519Keyring::Dave,
		Sr25519Keyring::Eve,
		Sr25519Keyring::Ferdie,
	]
	.iter()
	.map(|key| key.to_account_id())
	.collect()
}

fn development() -> Value {
	let mut patch = dev_genesis(vec![dev_authority(Sr25519Keyring::Alice, Ed25519Keyring::Alice)]);
	// The ports `zerog-node --dev` and `zerog-executor --dev` listen on by default.
	merge(
		&mut patch,
		zerog_roles(&[DevRole::new(Sr25519Keyring::Alice, 9944, 9950, 8700)], &dev_users()),
	);
	patch
}

fn local_testnet() -> Value {
	let mut patch = dev_genesis(vec![
		dev_authority(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
		dev_authority(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
		dev_authority(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
		dev_authority(Sr25519Keyring::Dave, Ed25519Keyring::Dave),
	]);
	// The RPC ports of the README's local network (9944 to 9947), the storage data planes
	// (9950 to 9953) and the executors (8700 to 8703).
	let roles = [
		DevRole::new(Sr25519Keyring::Alice, 9944, 9950, 8700),
		DevRole::new(Sr25519Keyring::Bob, 9945, 9951, 8701),
		DevRole::new(Sr25519Keyring::Charlie, 9946, 9952, 8702),
		DevRole::new(Sr25519Keyring::Dave, 9947, 9953, 8703),
	];
	merge(&mut patch, zerog_roles(&roles, &dev_users()));
	patch
}

/// The public test network's preset: no sudo key and no development key. Its validators and
/// funded accounts come from the key ceremony ([`testnet_genesis`]).
fn testnet() -> Value {
	build_struct_json_patch!(RuntimeGenesisConfig { sudo: SudoConfig { key: None } })
}

/// Returns the JSON patch of the preset `id`, or `None` for an unknown preset.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => development(),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_testnet(),
		TESTNET_RUNTIME_PRESET => testnet(),
		_ => return None,
	};
	Some(
		serde_json::to_string(&patch)
			.expect("serialization to a string cannot fail for a JSON value; qed")
			.into_bytes(),
	)
}

/// Names of every preset this runtime builds.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
		PresetId::from(TESTNET_RUNTIME_PRESET),
	]
}
