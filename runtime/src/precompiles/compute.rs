//! `IZeroGCompute`: fund inference and open and judge GPU jobs from Solidity.

use super::{
	account, account_word, address, address_of, balance, charge_reads, dispatch_as_caller, emit,
	refuse_delegate_and_value, revert, word,
};
use crate::Runtime;
use alloc::vec::Vec;
use core::num::NonZero;
use pallet_compute_escrow::{
	JobStatus, Jobs, Ledgers, NextJobId, ServiceKind, Services, SubAccounts, Verifiability,
};
use pallet_revive::precompiles::{
	alloy::{self, primitives::U256, sol_types::SolCall},
	AddressMatcher, Error, Ext, Precompile, H256,
};
use pallet_revive::AddressMapper;

alloy::sol!("../sdk/solidity/IZeroGCompute.sol");
use IZeroGCompute::{IZeroGComputeCalls as Call, *};

type ComputeCall = pallet_compute_escrow::Call<Runtime>;

/// The compute pallet as the precompile `IZeroGCompute`.
pub struct ComputePrecompile;

impl Precompile for ComputePrecompile {
	type T = Runtime;
	type Interface = Call;
	const MATCHER: AddressMatcher =
		AddressMatcher::Fixed(NonZero::new(address::COMPUTE).expect("not zero"));
	const HAS_CONTRACT_INFO: bool = false;

	fn call(
		_address: &[u8; 20],
		input: &Self::Interface,
		env: &mut impl Ext<T = Self::T>,
	) -> Result<Vec<u8>, Error> {
		refuse_delegate_and_value(env)?;
		match input {
			Call::deposit(call) => {
				let amount = balance(call.amount)?;
				let user = dispatch_as_caller(env, ComputeCall::deposit { amount })?;
				emit(env, Deposited { user: address_of(&user), amount: call.amount })?;
				Ok(Vec::new())
			},
			Call::fundProvider(call) => {
				let amount = balance(call.amount)?;
				let provider = account(call.provider);
				let user =
					dispatch_as_caller(env, ComputeCall::fund_provider { provider, amount })?;
				emit(
					env,
					ProviderFunded {
						user: address_of(&user),
						provider: call.provider,
						amount: call.amount,
					},
				)?;
				Ok(Vec::new())
			},
			Call::requestRefund(call) => {
				let amount = balance(call.amount)?;
				let provider = account(call.provider);
				let user =
					dispatch_as_caller(env, ComputeCall::request_refund { provider, amount })?;
				emit(
					env,
					RefundRequested {
						user: address_of(&user),
						provider: call.provider,
						amount: call.amount,
					},
				)?;
				Ok(Vec::new())
			},
			Call::claimRefund(_) => {
				let caller = env.caller().account_id().ok().cloned();
				let before = caller.as_ref().map(available).unwrap_or_default();
				let user = dispatch_as_caller(env, ComputeCall::claim_refund {})?;
				let amount = available(&user).saturating_sub(before);
				emit(env, RefundClaimed { user: address_of(&user), amount: U256::from(amount) })?;
				Ok(Vec::new())
			},
			Call::createJob(call) => {
				let max_fee = balance(call.maxFee)?;
				let job = NextJobId::<Runtime>::get();
				let user = dispatch_as_caller(
					env,
					ComputeCall::create_job {
						service: call.service,
						dataset_root: H256(call.datasetRoot.0),
						params_hash: H256(call.paramsHash.0),
						max_fee,
						deadline: call.deadline,
					},
				)?;
				emit(
					env,
					JobCreated {
						jobId: job,
						service: call.service,
						user: address_of(&user),
						maxFee: call.maxFee,
					},
				)?;
				Ok(createJobCall::abi_encode_returns(&job))
			},
			Call::acceptResult(call) => {
				let user = dispatch_as_caller(env, ComputeCall::accept_result { job: call.jobId })?;
				emit(env, ResultAccepted { jobId: call.jobId, user: address_of(&user) })?;
				Ok(Vec::new())
			},
			Call::dispute(call) => {
				let user = dispatch_as_caller(env, ComputeCall::dispute { job: call.jobId })?;
				emit(env, JobDisputed { jobId: call.jobId, user: address_of(&user) })?;
				Ok(Vec::new())
			},
			Call::service(call) => {
				charge_reads(env, 1)?;
				let service =
					Services::<Runtime>::get(call.serviceId).ok_or(revert("ServiceNotFound"))?;
				Ok(serviceCall::abi_encode_returns(&Service {
					provider: account_word(&service.provider),
					kind: match service.kind {
						ServiceKind::Inference => 0,
						ServiceKind::Job => 1,
					},
					model: lossy(&service.model),
					endpoint: lossy(&service.endpoint),
					inputPricePerToken: U256::from(service.input_price_per_token),
					outputPricePerToken: U256::from(service.output_price_per_token),
					verifiable: matches!(service.verifiability, Verifiability::Tee { .. }),
					stake: U256::from(service.stake),
				}))
			},
			Call::ledger(call) => {
				charge_reads(env, 1)?;
				let ledger = Ledgers::<Runtime>::get(account(call.user)).unwrap_or_default();
				let pending = ledger
					.pending_refunds
					.iter()
					.fold(0u128, |sum, refund| sum.saturating_add(refund.amount));
				Ok(ledgerCall::abi_encode_returns(&Ledger {
					available: U256::from(ledger.available),
					pendingRefunds: U256::from(pending),
				}))
			},
			Call::subAccount(call) => {
				charge_reads(env, 1)?;
				let sub = SubAccounts::<Runtime>::get(account(call.user), account(call.provider));
				Ok(subAccountCall::abi_encode_returns(&U256::from(sub.balance)))
			},
			Call::job(call) => {
				charge_reads(env, 1)?;
				let job = Jobs::<Runtime>::get(call.jobId).ok_or(revert("JobNotFound"))?;
				Ok(jobCall::abi_encode_returns(&Job {
					service: job.service,
					user: account_word(&job.user),
					provider: account_word(&job.provider),
					datasetRoot: word(job.dataset_root),
					paramsHash: word(job.params_hash),
					maxFee: U256::from(job.max_fee),
					deadline: job.deadline,
					status: match job.status {
						JobStatus::Assigned => 0,
						JobStatus::InReview { .. } => 1,
						JobStatus::Disputed { .. } => 2,
					},
				}))
			},
			Call::accountOf(call) => {
				charge_reads(env, 1)?;
				let id = <Runtime as pallet_revive::Config>::AddressMapper::to_account_id(
					&call.account.0 .0.into(),
				);
				Ok(accountOfCall::abi_encode_returns(&account_word(&id)))
			},
		}
	}
}

/// A user's available ledger funds.
fn available(user: &crate::AccountId) -> u128 {
	Ledgers::<Runtime>::get(user).map(|ledger| ledger.available).unwrap_or_default()
}

/// Bytes the pallet stores as text (model names, endpoints) as a Solidity `string`.
fn lossy(bytes: &[u8]) -> alloc::string::String {
	alloc::string::String::from_utf8_lossy(bytes).into_owned()
}
