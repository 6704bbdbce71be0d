//! Issue 18: the ZeroG precompiles in the real runtime, called through pallet-revive's own
//! call stack (`bare_call`), from accounts and from a contract: success, events and logs,
//! named reverts that change nothing, static and delegate calls refused, value refused, and
//! out of gas below the charged weight.

use super::genesis_of;
use crate::{
	precompiles::{
		address,
		compute::IZeroGCompute,
		da::{IZeroGDA, MAX_SHAPES_SCANNED},
		marketplace::IZeroGMarketplace,
		storage::IZeroGStorage,
	},
	AccountId, Balance, Balances, Revive, Runtime, RuntimeCall, RuntimeEvent, RuntimeOrigin,
	System,
};
use pallet_revive::{
	precompiles::alloy::{
		primitives::{Address, B256, U256 as AbiU256},
		sol_types::{Revert, SolCall, SolError, SolEvent},
	},
	AddressMapper, Code, ContractResult, ExecConfig, ExecReturnValue, TransactionLimits,
};
use polkadot_sdk::{
	frame_support::{dispatch::GetDispatchInfo, traits::fungible::Mutate},
	sp_core::{H160, H256, U256},
	sp_keyring::Sr25519Keyring,
	sp_runtime::Weight,
};

const STORAGE: [u8; 20] = address::of(address::STORAGE);
const DA: [u8; 20] = address::of(address::DA);
const COMPUTE: [u8; 20] = address::of(address::COMPUTE);
const MARKETPLACE: [u8; 20] = address::of(address::MARKETPLACE);

const STATICCALL: u8 = 0xfa;
const DELEGATECALL: u8 = 0xf4;
const CALL: u8 = 0xf1;

type Outcome = ContractResult<ExecReturnValue, Balance>;

fn alice() -> AccountId {
	Sr25519Keyring::Alice.to_account_id()
}

fn bob() -> AccountId {
	Sr25519Keyring::Bob.to_account_id()
}

fn evm_address(account: &AccountId) -> H160 {
	<Runtime as pallet_revive::Config>::AddressMapper::to_address(account)
}

fn word(account: &AccountId) -> B256 {
	B256::from(<[u8; 32]>::from(account.clone()))
}

/// A call of `to` by `who` with `value` and at most `weight`.
fn call_with(who: &AccountId, to: H160, value: U256, weight: Weight, input: Vec<u8>) -> Outcome {
	Revive::bare_call(
		RuntimeOrigin::signed(who.clone()),
		to,
		value,
		TransactionLimits::WeightAndDeposit { weight_limit: weight, deposit_limit: u128::MAX },
		input,
		&ExecConfig::new_substrate_tx(),
	)
}

/// A call of the precompile at `to` by `who` with `input`, no value and gas enough.
fn call(who: &AccountId, to: [u8; 20], input: Vec<u8>) -> Outcome {
	call_with(who, H160(to), U256::zero(), Weight::from_parts(u64::MAX / 4, u64::MAX / 4), input)
}

/// The decoded return of a call that succeeded.
fn returned<C: SolCall>(outcome: Outcome) -> C::Return {
	let value = outcome.result.expect("the call does not trap");
	assert!(!value.did_revert(), "reverted: {:?}", Revert::abi_decode(&value.data));
	C::abi_decode_returns(&value.data).expect("the return decodes")
}

/// The reason of a call that reverted.
fn reason(outcome: Outcome) -> String {
	let value = outcome.result.expect("the call reverts, it does not trap");
	assert!(value.did_revert(), "the call succeeded: {:?}", value.data);
	Revert::abi_decode(&value.data).expect("an Error(string)").reason
}

/// EVM bytecode that deploys a contract forwarding its calldata to `target` with `opcode`
/// (`CALL`, `STATICCALL` or `DELEGATECALL`) and returning or reverting with what came back:
/// the smallest contract that calls a precompile, written out so the test needs no compiler.
fn forwarder(target: [u8; 20], opcode: u8) -> Vec<u8> {
	// calldatacopy(0, 0, calldatasize); then the call's arguments, last first.
	let mut code = vec![0x36, 0x60, 0, 0x60, 0, 0x37, 0x60, 0, 0x60, 0, 0x36, 0x60, 0];
	if opcode == CALL {
		code.extend([0x60, 0]); // value 0
	}
	code.push(0x73); // PUSH20 target
	code.extend(target);
	code.extend([0x5a, opcode]); // GAS, call
	code.extend([0x3d, 0x60, 0, 0x60, 0, 0x3e]); // returndatacopy(0, 0, returndatasize)
	let success = code.len() as u8 + 7;
	// jumpi(success); revert(0, returndatasize); success: return(0, returndatasize)
	code.extend([0x60, success, 0x57, 0x3d, 0x60, 0, 0xfd, 0x5b, 0x3d, 0x60, 0, 0xf3]);
	// Init code: codecopy(0, 11, len); return(0, len).
	let mut init = vec![0x60, code.len() as u8, 0x80, 0x60, 0x0b, 0x60, 0, 0x39, 0x60, 0, 0xf3];
	init.extend(code);
	init
}

/// Deploys a [`forwarder`] as `who` and returns its address.
fn deploy_forwarder(who: &AccountId, target: [u8; 20], opcode: u8) -> H160 {
	let deployed = Revive::bare_instantiate(
		RuntimeOrigin::signed(who.clone()),
		U256::zero(),
		TransactionLimits::WeightAndDeposit {
			weight_limit: Weight::from_parts(u64::MAX / 4, u64::MAX / 4),
			deposit_limit: u128::MAX,
		},
		Code::Upload(forwarder(target, opcode)),
		Vec::new(),
		// One forwarder of each kind per test.
		Some([opcode; 32]),
		&ExecConfig::new_substrate_tx(),
	);
	let deployed = deployed.result.expect("the forwarder deploys");
	assert!(!deployed.result.did_revert());
	deployed.addr
}

/// The Ethereum logs the precompile at `at` emitted, as (topics, data).
fn logs_of(at: [u8; 20]) -> Vec<(Vec<H256>, Vec<u8>)> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::Revive(pallet_revive::Event::ContractEmitted {
				contract,
				data,
				topics,
			}) if contract == H160(at) => Some((topics, data)),
			_ => None,
		})
		.collect()
}

/// The genesis of the development chain at block 1, where events are kept.
fn dev_chain(test: impl FnOnce()) {
	genesis_of("development").execute_with(|| {
		System::set_block_number(1);
		test()
	})
}

#[test]
fn an_account_submits_renews_and_reads_a_file() {
	use pallet_storage_commitments::{FileIndex, NextFileId};
	dev_chain(|| {
		let root = B256::repeat_byte(0x42);
		let fee = returned::<IZeroGStorage::feeCall>(call(
			&bob(),
			STORAGE,
			IZeroGStorage::feeCall { size: 1 << 20, replicas: 1 }.abi_encode(),
		));
		assert_eq!(
			fee,
			AbiU256::from(crate::StorageCommitments::fee_for(1 << 20, 1).unwrap()),
			"the view prices as the pallet does"
		);
		let before = Balances::free_balance(bob());
		let submit = IZeroGStorage::submitCall { root, size: 1 << 20, replicas: 1 };
		let id = returned::<IZeroGStorage::submitCall>(call(&bob(), STORAGE, submit.abi_encode()));
		assert_eq!(id, 0, "the first file of the log");
		assert_eq!(NextFileId::<Runtime>::get(), 1);
		assert_eq!(FileIndex::<Runtime>::get(H256(root.0), 1 << 20), Some(0));
		assert_eq!(AbiU256::from(before - Balances::free_balance(bob())), fee, "Bob paid");

		// The pallet's own event, as @polkadot/api sees it, names Bob.
		assert!(System::events().iter().any(|record| matches!(
			&record.event,
			RuntimeEvent::StorageCommitments(pallet_storage_commitments::Event::FileSubmitted {
				id: 0, owner, ..
			}) if *owner == bob()
		)));
		// The Ethereum log, as `eth_getLogs` returns it.
		let logs = logs_of(STORAGE);
		assert_eq!(logs.len(), 1);
		let (topics, data) = &logs[0];
		assert_eq!(topics[0].0, IZeroGStorage::FileSubmitted::SIGNATURE_HASH.0);
		let event = IZeroGStorage::FileSubmitted::decode_raw_log(
			topics.iter().map(|topic| B256::from(topic.0)),
			data,
		)
		.unwrap();
		assert_eq!(
			(event.fileId, event.root, event.payer, event.size, event.fee),
			(0, root, Address::from(evm_address(&bob()).0), 1 << 20, fee)
		);

		// The views.
		let info = returned::<IZeroGStorage::fileInfoCall>(call(
			&alice(),
			STORAGE,
			IZeroGStorage::fileInfoCall { fileId: 0 }.abi_encode(),
		));
		assert_eq!(
			(info.root, info.size, info.owner, info.replicas),
			(root, 1 << 20, word(&bob()), 1)
		);
		assert_eq!(info.rewardRemaining, fee);
		let found = returned::<IZeroGStorage::fileByCommitmentCall>(call(
			&alice(),
			STORAGE,
			IZeroGStorage::fileByCommitmentCall { root, size: 1 << 20 }.abi_encode(),
		));
		assert!(found.found && found.fileId == 0);
		let missing = returned::<IZeroGStorage::fileByCommitmentCall>(call(
			&alice(),
			STORAGE,
			IZeroGStorage::fileByCommitmentCall { root, size: 1 }.abi_encode(),
		));
		assert!(!missing.found);
		assert!(returned::<IZeroGStorage::isLiveCall>(call(
			&alice(),
			STORAGE,
			IZeroGStorage::isLiveCall { fileId: 0 }.abi_encode()
		)));
		assert!(!returned::<IZeroGStorage::isLiveCall>(call(
			&alice(),
			STORAGE,
			IZeroGStorage::isLiveCall { fileId: 7 }.abi_encode()
		)));

		// Alice renews Bob's file, and submitting the same commitment again renews it too.
		returned::<IZeroGStorage::renewCall>(call(
			&alice(),
			STORAGE,
			IZeroGStorage::renewCall { fileId: 0 }.abi_encode(),
		));
		let again =
			returned::<IZeroGStorage::submitCall>(call(&bob(), STORAGE, submit.abi_encode()));
		assert_eq!(again, 0, "the live file's id");
		assert_eq!(NextFileId::<Runtime>::get(), 1, "no second file");
		let logs = logs_of(STORAGE);
		assert_eq!(logs.len(), 3);
		assert!(logs[1..]
			.iter()
			.all(|(topics, _)| topics[0].0 == IZeroGStorage::FileRenewed::SIGNATURE_HASH.0));
	});
}

#[test]
fn pallet_errors_revert_with_their_names_and_change_nothing() {
	use pallet_storage_commitments::NextFileId;
	dev_chain(|| {
		let before = Balances::free_balance(bob());
		let empty = IZeroGStorage::submitCall { root: B256::ZERO, size: 0, replicas: 1 };
		assert_eq!(reason(call(&bob(), STORAGE, empty.abi_encode())), "FileEmpty");
		let too_many = IZeroGStorage::submitCall { root: B256::ZERO, size: 1, replicas: 0 };
		assert_eq!(reason(call(&bob(), STORAGE, too_many.abi_encode())), "InvalidReplicaCount");
		assert_eq!(
			reason(call(&bob(), STORAGE, IZeroGStorage::renewCall { fileId: 9 }.abi_encode())),
			"FileNotFound"
		);
		assert_eq!(
			reason(call(&bob(), STORAGE, IZeroGStorage::fileInfoCall { fileId: 9 }.abi_encode())),
			"FileNotFound"
		);
		// A caller without the fee: the balance check's own name.
		let poor = AccountId::new([9; 32]);
		Balances::set_balance(&poor, crate::units::ZG);
		let big = IZeroGStorage::submitCall { root: B256::ZERO, size: 32 << 30, replicas: 1 };
		assert_eq!(reason(call(&poor, STORAGE, big.abi_encode())), "InsufficientBalance");
		assert_eq!(Balances::free_balance(&poor), crate::units::ZG);

		assert_eq!(
			reason(call(
				&bob(),
				COMPUTE,
				IZeroGCompute::depositCall { amount: AbiU256::MAX }.abi_encode()
			)),
			"AmountTooLarge"
		);
		assert_eq!(
			reason(call(&bob(), COMPUTE, IZeroGCompute::jobCall { jobId: 77 }.abi_encode())),
			"JobNotFound"
		);
		assert_eq!(
			reason(call(
				&bob(),
				COMPUTE,
				IZeroGCompute::serviceCall { serviceId: 9_999 }.abi_encode()
			)),
			"ServiceNotFound"
		);
		assert_eq!(
			reason(call(
				&bob(),
				COMPUTE,
				IZeroGCompute::fundProviderCall {
					provider: word(&AccountId::new([3; 32])),
					amount: AbiU256::from(1)
				}
				.abi_encode()
			)),
			"ProviderNotRegistered"
		);
		assert_eq!(NextFileId::<Runtime>::get(), 0);
		assert_eq!(Balances::free_balance(bob()), before, "nothing was charged but gas");
		assert!(logs_of(STORAGE).is_empty() && logs_of(COMPUTE).is_empty());
	});
}

#[test]
fn static_and_delegate_calls_cannot_change_state() {
	use pallet_storage_commitments::NextFileId;
	dev_chain(|| {
		let submit =
			IZeroGStorage::submitCall { root: B256::repeat_byte(1), size: 10, replicas: 1 }
				.abi_encode();
		let viewer = deploy_forwarder(&alice(), STORAGE, STATICCALL);
		let outcome = call_with(&bob(), viewer, U256::zero(), Weight::MAX / 4, submit.clone());
		assert_eq!(reason(outcome), "StateChangeDenied");
		// A view through a static call works.
		let fee = call_with(
			&bob(),
			viewer,
			U256::zero(),
			Weight::MAX / 4,
			IZeroGStorage::feeCall { size: 10, replicas: 1 }.abi_encode(),
		);
		assert!(returned::<IZeroGStorage::feeCall>(fee) > AbiU256::ZERO);

		// A delegate call would act for the delegating contract's caller: refused, views too.
		let delegator = deploy_forwarder(&alice(), COMPUTE, DELEGATECALL);
		let deposit = IZeroGCompute::depositCall { amount: AbiU256::from(1) }.abi_encode();
		let outcome = call_with(&bob(), delegator, U256::zero(), Weight::MAX / 4, deposit);
		assert_eq!(reason(outcome), "PrecompileDelegateDenied");
		assert_eq!(NextFileId::<Runtime>::get(), 0);
		assert!(logs_of(STORAGE).is_empty() && logs_of(COMPUTE).is_empty());
	});
}

#[test]
fn a_contract_acts_as_itself_and_value_is_refused() {
	use pallet_compute_escrow::Ledgers;
	dev_chain(|| {
		let contract = deploy_forwarder(&alice(), COMPUTE, CALL);
		let contract_account =
			<Runtime as pallet_revive::Config>::AddressMapper::to_account_id(&contract);
		Balances::set_balance(&contract_account, 10 * crate::units::ZG);
		let bob_before = Ledgers::<Runtime>::get(bob()).unwrap_or_default().available;

		let deposit =
			IZeroGCompute::depositCall { amount: AbiU256::from(crate::units::ZG) }.abi_encode();
		let outcome = call_with(&bob(), contract, U256::zero(), Weight::MAX / 4, deposit.clone());
		returned::<IZeroGCompute::depositCall>(outcome);
		assert_eq!(
			Ledgers::<Runtime>::get(&contract_account).unwrap().available,
			crate::units::ZG,
			"the contract deposited its own funds"
		);
		assert_eq!(Ledgers::<Runtime>::get(bob()).unwrap_or_default().available, bob_before);
		let ledger = returned::<IZeroGCompute::ledgerCall>(call(
			&bob(),
			COMPUTE,
			IZeroGCompute::ledgerCall { user: word(&contract_account) }.abi_encode(),
		));
		assert_eq!(ledger.available, AbiU256::from(crate::units::ZG));
		let logs = logs_of(COMPUTE);
		assert_eq!(logs.len(), 1);
		assert_eq!(logs[0].0[1].0[12..], contract.0, "the log names the contract");

		// Value sent to a precompile would be stuck there: refused.
		let outcome = call_with(&bob(), H160(COMPUTE), U256::from(1), Weight::MAX / 4, deposit);
		assert_eq!(reason(outcome), "NotPayable");
		assert_eq!(Balances::free_balance(H160Account(COMPUTE).account()), 0);
	});
}

/// The account of an address.
struct H160Account([u8; 20]);

impl H160Account {
	fn account(&self) -> AccountId {
		<Runtime as pallet_revive::Config>::AddressMapper::to_account_id(&H160(self.0))
	}
}

#[test]
fn out_of_gas_below_the_charged_weight_changes_nothing() {
	use pallet_storage_commitments::NextFileId;
	dev_chain(|| {
		let root = B256::repeat_byte(5);
		let pallet_call: RuntimeCall = pallet_storage_commitments::Call::<Runtime>::submit {
			root: H256(root.0),
			size: 100,
			tags: Default::default(),
			replicas: 1,
		}
		.into();
		let charged = pallet_call.get_dispatch_info().call_weight;
		let before = Balances::free_balance(bob());
		let submit = IZeroGStorage::submitCall { root, size: 100, replicas: 1 }.abi_encode();
		let outcome = call_with(&bob(), H160(STORAGE), U256::zero(), charged / 2, submit.clone());
		assert!(outcome.result.is_err(), "a trap: {:?}", outcome.result);
		assert_eq!(NextFileId::<Runtime>::get(), 0);
		assert_eq!(Balances::free_balance(bob()), before);
		// With the weight, it goes through and is charged at least the pallet's weight.
		let outcome =
			call_with(&bob(), H160(STORAGE), U256::zero(), charged.saturating_mul(4), submit);
		assert!(outcome.weight_consumed.all_gte(charged), "{:?}", outcome.weight_consumed);
		returned::<IZeroGStorage::submitCall>(outcome);
	});
}

#[test]
fn blobs_are_submitted_and_checked_for_certificates() {
	use pallet_da_attestations::{BlobStatus, Blobs};
	use polkadot_sdk::frame_support::traits::Hooks;
	dev_chain(|| {
		// The first epoch draws its quorums from the genesis signers.
		crate::DaAttestations::on_initialize(1);
		let root = B256::repeat_byte(0xda);
		let unknown = IZeroGDA::isCertifiedCall { root }.abi_encode();
		assert!(!returned::<IZeroGDA::isCertifiedCall>(call(&alice(), DA, unknown.clone())));
		let submit = IZeroGDA::submitBlobCall {
			root,
			sizeBytes: 1000,
			dataShards: 4,
			parityShards: 12,
			namespace: 7,
		};
		let id = returned::<IZeroGDA::submitBlobCall>(call(&bob(), DA, submit.abi_encode()));
		let info = returned::<IZeroGDA::blobInfoCall>(call(
			&alice(),
			DA,
			IZeroGDA::blobInfoCall { root, sizeBytes: 1000, dataShards: 4, parityShards: 12 }
				.abi_encode(),
		));
		assert_eq!((info.id, info.namespace, info.sizeBytes), (id, 7, 1000));
		assert_eq!(info.status as u8, IZeroGDA::BlobStatus::Pending as u8);
		assert!(!returned::<IZeroGDA::isCertifiedCall>(call(&alice(), DA, unknown.clone())));
		assert_eq!(
			reason(call(&bob(), DA, submit.abi_encode())),
			"BlobAlreadySubmitted",
			"the same commitment twice"
		);
		let logs = logs_of(DA);
		assert_eq!(logs.len(), 1);
		assert_eq!(logs[0].0[0].0, IZeroGDA::BlobSubmitted::SIGNATURE_HASH.0);

		// Certified (as its quorum's attestations would make it): the check says so.
		Blobs::<Runtime>::mutate(id, |blob| {
			blob.as_mut().unwrap().status = BlobStatus::Certified { at: 1 }
		});
		assert!(returned::<IZeroGDA::isCertifiedCall>(call(&alice(), DA, unknown)));
		let info = returned::<IZeroGDA::blobInfoCall>(call(
			&alice(),
			DA,
			IZeroGDA::blobInfoCall { root, sizeBytes: 1000, dataShards: 4, parityShards: 12 }
				.abi_encode(),
		));
		assert_eq!(
			(info.status as u8, info.certifiedAt),
			(IZeroGDA::BlobStatus::Certified as u8, 1)
		);
	});
}

/// A griefer who submits a root with many other sizes cannot make `isCertified` of that root
/// cost more than `MAX_SHAPES_SCANNED` looks: the check stops there and is charged per look.
#[test]
fn is_certified_looks_at_a_bounded_number_of_shapes() {
	use polkadot_sdk::frame_support::traits::Hooks;
	dev_chain(|| {
		crate::DaAttestations::on_initialize(1);
		let root = B256::repeat_byte(0x6f);
		let check = IZeroGDA::isCertifiedCall { root }.abi_encode();
		let weight_of_check = || call(&alice(), DA, check.clone()).weight_consumed;
		let one = {
			let submit = IZeroGDA::submitBlobCall {
				root,
				sizeBytes: 1000,
				dataShards: 4,
				parityShards: 12,
				namespace: 0,
			};
			returned::<IZeroGDA::submitBlobCall>(call(&bob(), DA, submit.abi_encode()));
			weight_of_check()
		};
		for size in 1001..1001 + 2 * MAX_SHAPES_SCANNED as u32 {
			let submit = IZeroGDA::submitBlobCall {
				root,
				sizeBytes: size,
				dataShards: 4,
				parityShards: 12,
				namespace: 0,
			};
			returned::<IZeroGDA::submitBlobCall>(call(&bob(), DA, submit.abi_encode()));
		}
		let many = weight_of_check();
		let reads = <Runtime as polkadot_sdk::frame_system::Config>::DbWeight::get();
		assert_eq!(
			many.saturating_sub(one),
			reads.reads(2 * (MAX_SHAPES_SCANNED as u64 - 1)),
			"each further shape up to the bound is charged two reads, none past it"
		);
		assert!(!returned::<IZeroGDA::isCertifiedCall>(call(&alice(), DA, check)));
	});
}

#[test]
fn compute_funds_flow_and_jobs_open_through_the_precompile() {
	use pallet_compute_escrow::{Services, SubAccounts};
	dev_chain(|| {
		let (service_id, service) = Services::<Runtime>::iter()
			.find(|(_, service)| service.kind == pallet_compute_escrow::ServiceKind::Inference)
			.expect("the dev chain sells inference");
		let read = returned::<IZeroGCompute::serviceCall>(call(
			&bob(),
			COMPUTE,
			IZeroGCompute::serviceCall { serviceId: service_id }.abi_encode(),
		));
		assert_eq!(read.provider, word(&service.provider));
		assert_eq!(read.model.as_bytes(), &service.model[..]);
		assert_eq!(read.kind, 0);

		let user = AccountId::new([8; 32]);
		Balances::set_balance(&user, 100 * crate::units::ZG);
		let amount = AbiU256::from(5 * crate::units::ZG);
		returned::<IZeroGCompute::depositCall>(call(
			&user,
			COMPUTE,
			IZeroGCompute::depositCall { amount }.abi_encode(),
		));
		returned::<IZeroGCompute::fundProviderCall>(call(
			&user,
			COMPUTE,
			IZeroGCompute::fundProviderCall {
				provider: read.provider,
				amount: AbiU256::from(2 * crate::units::ZG),
			}
			.abi_encode(),
		));
		assert_eq!(
			SubAccounts::<Runtime>::get(&user, &service.provider).balance,
			2 * crate::units::ZG
		);
		let sub = returned::<IZeroGCompute::subAccountCall>(call(
			&bob(),
			COMPUTE,
			IZeroGCompute::subAccountCall { user: word(&user), provider: read.provider }
				.abi_encode(),
		));
		assert_eq!(sub, AbiU256::from(2 * crate::units::ZG));
		returned::<IZeroGCompute::requestRefundCall>(call(
			&user,
			COMPUTE,
			IZeroGCompute::requestRefundCall {
				provider: read.provider,
				amount: AbiU256::from(crate::units::ZG),
			}
			.abi_encode(),
		));
		let ledger = returned::<IZeroGCompute::ledgerCall>(call(
			&bob(),
			COMPUTE,
			IZeroGCompute::ledgerCall { user: word(&user) }.abi_encode(),
		));
		assert_eq!(
			(ledger.available, ledger.pendingRefunds),
			(AbiU256::from(3 * crate::units::ZG), AbiU256::from(crate::units::ZG))
		);
		assert_eq!(
			reason(call(&user, COMPUTE, IZeroGCompute::claimRefundCall {}.abi_encode())),
			"NoRefundUnlocked",
			"the refund is locked"
		);
		let mapped = returned::<IZeroGCompute::accountOfCall>(call(
			&bob(),
			COMPUTE,
			IZeroGCompute::accountOfCall { account: Address::from(evm_address(&user).0) }
				.abi_encode(),
		));
		assert_eq!(mapped, word(&user));
		let kinds: Vec<_> = logs_of(COMPUTE).iter().map(|(topics, _)| topics[0].0).collect();
		assert_eq!(
			kinds,
			vec![
				IZeroGCompute::Deposited::SIGNATURE_HASH.0,
				IZeroGCompute::ProviderFunded::SIGNATURE_HASH.0,
				IZeroGCompute::RefundRequested::SIGNATURE_HASH.0
			]
		);
	});
}

/// Every error of the three pallets reaches Solidity as a revert named after it: the error is
/// listed from the pallet's type information, rebuilt from its index, and mapped as a failing
/// dispatch would be.
#[test]
fn every_pallet_error_is_a_revert_named_after_it() {
	use codec::Decode;
	use pallet_revive::precompiles::Error as PrecompileError;
	use polkadot_sdk::sp_runtime::DispatchError;
	use scale_info::{TypeDef, TypeInfo};

	fn check<E: TypeInfo + Decode + Into<DispatchError>>(pallet: &str) -> usize {
		let TypeDef::Variant(variants) = E::type_info().type_def else {
			panic!("{pallet}: errors are an enum")
		};
		for variant in &variants.variants {
			let error = E::decode(&mut &[variant.index][..]).expect("each index decodes");
			match crate::precompiles::revert_with(error.into()) {
				PrecompileError::Revert(revert) => {
					assert_eq!(revert.reason, variant.name, "{pallet}")
				},
				other => panic!("{pallet}::{} is not a revert: {other:?}", variant.name),
			}
		}
		variants.variants.len()
	}
	let storage = check::<pallet_storage_commitments::Error<Runtime>>("storage");
	let da = check::<pallet_da_attestations::Error<Runtime>>("da");
	let compute = check::<pallet_compute_escrow::Error<Runtime>>("compute");
	assert!(storage > 10 && da > 10 && compute > 10, "{storage} {da} {compute}");
}

/// Issue 20: an asset read, bought and granted through `IZeroGMarketplace`, its key delivered
/// by the owner and read back by the buyer; bad scopes, prices and owners revert by name and
/// change nothing.
#[test]
fn the_marketplace_sells_grants_and_delivers_keys_through_the_precompile() {
	use pallet_marketplace::{AccessPolicy, AccessScope, AssetKind, Grants};
	use polkadot_sdk::sp_runtime::traits::Dispatchable;
	dev_chain(|| {
		let zg = crate::units::ZG;
		let root = B256::repeat_byte(0x61);
		returned::<IZeroGStorage::submitCall>(call(
			&alice(),
			STORAGE,
			IZeroGStorage::submitCall { root, size: 4096, replicas: 1 }.abi_encode(),
		));
		assert!(RuntimeCall::Marketplace(pallet_marketplace::Call::register_asset {
			kind: AssetKind::Dataset,
			name: b"prices".to_vec().try_into().unwrap(),
			version: b"1".to_vec().try_into().unwrap(),
			license: b"MIT".to_vec().try_into().unwrap(),
			root: H256(root.0),
			size: 4096,
			card: None,
			encrypted: true,
			policy: AccessPolicy::Paid,
			price: 3 * zg,
			access_period: 50,
		})
		.dispatch(RuntimeOrigin::signed(alice()))
		.is_ok());
		let asset = returned::<IZeroGMarketplace::assetCall>(call(
			&bob(),
			MARKETPLACE,
			IZeroGMarketplace::assetCall { assetId: 0 }.abi_encode(),
		));
		assert_eq!((asset.owner, asset.kind, asset.policy), (word(&alice()), 1, 2));
		assert_eq!((asset.root, asset.size, asset.encrypted), (root, 4096, true));
		assert_eq!(asset.price, AbiU256::from(3 * zg));
		assert_eq!(asset.name, "prices");

		// A buyer: its key, then a purchase at no more than the price.
		let buyer = AccountId::new([9; 32]);
		Balances::set_balance(&buyer, 100 * zg);
		let key = B256::repeat_byte(0x77);
		returned::<IZeroGMarketplace::registerEncryptionKeyCall>(call(
			&buyer,
			MARKETPLACE,
			IZeroGMarketplace::registerEncryptionKeyCall { key }.abi_encode(),
		));
		let key_read = returned::<IZeroGMarketplace::encryptionKeyCall>(call(
			&alice(),
			MARKETPLACE,
			IZeroGMarketplace::encryptionKeyCall { account: word(&buyer) }.abi_encode(),
		));
		assert_eq!(key_read, key);
		let buy = |scope: u8, max: u128| {
			call(
				&buyer,
				MARKETPLACE,
				IZeroGMarketplace::buyAccessCall {
					assetId: 0,
					scope,
					maxPrice: AbiU256::from(max),
				}
				.abi_encode(),
			)
		};
		assert_eq!(reason(buy(7, 3 * zg)), "UnknownScope");
		assert_eq!(reason(buy(0, 2 * zg)), "PriceAboveLimit");
		assert!(Grants::<Runtime>::get(0, &buyer).is_none(), "a revert changes nothing");
		let (alice_before, buyer_before) =
			(Balances::free_balance(alice()), Balances::free_balance(&buyer));
		returned::<IZeroGMarketplace::buyAccessCall>(buy(0, 3 * zg));
		// An encrypted download: the price is held from the buyer until the key comes.
		assert_eq!(Balances::free_balance(alice()), alice_before);
		assert!(buyer_before - Balances::free_balance(&buyer) >= 3 * zg);
		let grant = returned::<IZeroGMarketplace::grantOfCall>(call(
			&alice(),
			MARKETPLACE,
			IZeroGMarketplace::grantOfCall { assetId: 0, account: word(&buyer) }.abi_encode(),
		));
		assert_eq!((grant.scope, grant.granted, grant.expiresAt), (0, true, 51));
		assert!(grant.sealedKey.is_empty());
		let logs = logs_of(MARKETPLACE);
		let (topics, data) = logs.last().unwrap();
		let bought = IZeroGMarketplace::AccessBought::decode_raw_log(
			topics.iter().map(|topic| B256::from(topic.0)),
			data,
		)
		.unwrap();
		assert_eq!(
			(bought.assetId, bought.price, bought.expiresAt),
			(0, AbiU256::from(3 * zg), 51)
		);

		// Only the owner delivers keys and grants.
		let deliver = |who: &AccountId, sealed: Vec<u8>| {
			call(
				who,
				MARKETPLACE,
				IZeroGMarketplace::deliverKeyCall {
					assetId: 0,
					grantee: word(&buyer),
					sealedKey: sealed.into(),
				}
				.abi_encode(),
			)
		};
		assert_eq!(reason(deliver(&bob(), vec![1; 80])), "NotOwner");
		assert_eq!(reason(deliver(&alice(), vec![1; 20])), "SealedKeyTooShort");
		assert_eq!(reason(deliver(&alice(), vec![1; 200])), "SealedKeyTooLong");
		returned::<IZeroGMarketplace::deliverKeyCall>(deliver(&alice(), vec![5; 80]));
		assert_eq!(Balances::free_balance(alice()) - alice_before, 3 * zg, "paid on delivery");
		let grant = returned::<IZeroGMarketplace::grantOfCall>(call(
			&bob(),
			MARKETPLACE,
			IZeroGMarketplace::grantOfCall { assetId: 0, account: word(&buyer) }.abi_encode(),
		));
		assert_eq!((grant.recipientKey, grant.sealedKey.to_vec()), (key, vec![5; 80]));

		// A compute-only grant from the owner, then revoked.
		returned::<IZeroGMarketplace::grantAccessCall>(call(
			&alice(),
			MARKETPLACE,
			IZeroGMarketplace::grantAccessCall {
				assetId: 0,
				grantee: word(&bob()),
				scope: 1,
				expiresAt: 40,
			}
			.abi_encode(),
		));
		assert_eq!(Grants::<Runtime>::get(0, bob()).unwrap().scope, AccessScope::Compute);
		returned::<IZeroGMarketplace::revokeAccessCall>(call(
			&alice(),
			MARKETPLACE,
			IZeroGMarketplace::revokeAccessCall { assetId: 0, grantee: word(&bob()) }.abi_encode(),
		));
		assert_eq!(
			reason(call(
				&alice(),
				MARKETPLACE,
				IZeroGMarketplace::grantOfCall { assetId: 0, account: word(&bob()) }.abi_encode(),
			)),
			"NoGrant"
		);
		assert_eq!(
			reason(call(
				&alice(),
				MARKETPLACE,
				IZeroGMarketplace::assetCall { assetId: 9 }.abi_encode(),
			)),
			"UnknownAsset"
		);

		// A compute provider deploys a public model on its service; nobody else can.
		let (service_id, service) = pallet_compute_escrow::Services::<Runtime>::iter()
			.find(|(_, service)| service.kind == pallet_compute_escrow::ServiceKind::Inference)
			.expect("the dev chain sells inference");
		assert!(RuntimeCall::Marketplace(pallet_marketplace::Call::register_asset {
			kind: AssetKind::Model,
			name: b"tiny-gpt".to_vec().try_into().unwrap(),
			version: b"1".to_vec().try_into().unwrap(),
			license: b"MIT".to_vec().try_into().unwrap(),
			root: H256(root.0),
			size: 4096,
			card: None,
			encrypted: false,
			policy: AccessPolicy::Public,
			price: 0,
			access_period: 50,
		})
		.dispatch(RuntimeOrigin::signed(alice()))
		.is_ok());
		let deploy = |who: &AccountId| {
			call(
				who,
				MARKETPLACE,
				IZeroGMarketplace::deployCall { assetId: 1, serviceId: service_id }.abi_encode(),
			)
		};
		assert_eq!(reason(deploy(&bob())), "NotServiceProvider");
		assert_eq!(pallet_marketplace::Deployments::<Runtime>::get(service_id), None);
		returned::<IZeroGMarketplace::deployCall>(deploy(&service.provider));
		assert_eq!(pallet_marketplace::Deployments::<Runtime>::get(service_id), Some(1));
		let logs = logs_of(MARKETPLACE);
		let (topics, data) = logs.last().unwrap();
		let deployed = IZeroGMarketplace::ModelDeployed::decode_raw_log(
			topics.iter().map(|topic| B256::from(topic.0)),
			data,
		)
		.unwrap();
		assert_eq!((deployed.assetId, deployed.serviceId), (1, service_id));
		assert_eq!(reason(deploy(&service.provider)), "AlreadyDeployed");
	});
}
