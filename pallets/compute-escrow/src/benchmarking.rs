//! Benchmarks, one per call plus `on_initialize`; each sets up the worst case of its weight.
//!
//! Queues a call only scans (deadline, review and provider lists) are filled to their bound with
//! placeholder ids: the call decodes and rewrites them like real ones, and nothing else reads them
//! within the benchmark.

use super::*;
use crate::Pallet as ComputeEscrow;
use alloc::{vec, vec::Vec};
use polkadot_sdk::{
	frame_benchmarking::v2::*,
	frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{Inspect, InspectHold, Mutate},
			Hooks,
		},
	},
	frame_system::{pallet_prelude::BlockNumberFor, Pallet as System, RawOrigin},
	sp_runtime::{traits::Saturating, SaturatedConversion},
};

use zerog_primitives::storage::StoredFiles;

const SEED: u32 = 0;

/// Price unit of the benchmarks, a small multiple of nothing in particular.
fn unit<T: Config>() -> BalanceOf<T> {
	1_000u32.into()
}

/// Funds `who` with far more than any benchmark spends.
fn fund<T: Config>(who: &T::AccountId) {
	let plenty = T::MinServiceStake::get()
		.saturating_add(T::Currency::minimum_balance())
		.saturating_add(unit::<T>())
		.saturating_mul(1_000_000u32.into());
	T::Currency::set_balance(who, plenty);
}

/// A funded account.
fn funded_account<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who = account(name, index, SEED);
	fund::<T>(&who);
	who
}

/// A model name of `MaxModelLen` bytes.
fn longest_model<T: Config>() -> BoundedVec<u8, T::MaxModelLen> {
	BoundedVec::truncate_from(vec![b'm'; T::MaxModelLen::get() as usize])
}

/// An endpoint of `MaxEndpointLen` bytes.
fn longest_endpoint<T: Config>() -> BoundedVec<u8, T::MaxEndpointLen> {
	BoundedVec::truncate_from(vec![b'e'; T::MaxEndpointLen::get() as usize])
}

/// Registers a service of `kind` for `provider` with the longest strings, prices of 1 per
/// token, and `verifiability`.
fn add_service<T: Config>(
	provider: &T::AccountId,
	kind: ServiceKind,
	verifiability: Verifiability<T::AccountId>,
) -> Result<ServiceId, BenchmarkError> {
	ComputeEscrow::<T>::register_service(
		RawOrigin::Signed(provider.clone()).into(),
		kind,
		longest_model::<T>(),
		longest_endpoint::<T>(),
		1u32.into(),
		1u32.into(),
		verifiability,
		T::MinServiceStake::get(),
	)?;
	Ok(NextServiceId::<T>::get().saturating_sub(1))
}

/// Gives `user` a ledger with `MaxPendingRefunds` locked refunds from `provider` (or one fewer
/// with `leave_room`), a sub-account of one unit and `available` left; returns the total
/// refunds.
fn add_ledger<T: Config>(
	user: &T::AccountId,
	provider: &T::AccountId,
	available: BalanceOf<T>,
	leave_room: bool,
) -> Result<BalanceOf<T>, BenchmarkError> {
	let refunds = T::MaxPendingRefunds::get().saturating_sub(leave_room as u32);
	let in_sub_account = unit::<T>().saturating_mul((refunds + 1).into());
	let origin = || RawOrigin::Signed(user.clone());
	ComputeEscrow::<T>::deposit(origin().into(), in_sub_account.saturating_add(available))?;
	ComputeEscrow::<T>::fund_provider(origin().into(), provider.clone(), in_sub_account)?;
	for _ in 0..refunds {
		ComputeEscrow::<T>::request_refund(origin().into(), provider.clone(), unit::<T>())?;
	}
	Ok(unit::<T>().saturating_mul(refunds.into()))
}

/// Approves `signer` as an enclave key, through `EnclaveOrigin`.
fn approve<T: Config>(signer: &T::AccountId) -> Result<(), BenchmarkError> {
	let origin =
		T::EnclaveOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
	ComputeEscrow::<T>::approve_enclave(origin, signer.clone(), H256::repeat_byte(9))?;
	Ok(())
}

/// A fresh approved enclave key and a `Tee` inference service of `provider` that names it.
fn tee_service<T: Config>(
	provider: &T::AccountId,
) -> Result<(ServiceId, T::AccountId), BenchmarkError> {
	let enclave = T::BenchmarkHelper::create_signer();
	approve::<T>(&enclave)?;
	let verifiability = Verifiability::Tee { signer: enclave.clone() };
	Ok((add_service::<T>(provider, ServiceKind::Inference, verifiability)?, enclave))
}

/// `count` placeholder job ids, none of which is a real job.
fn placeholder_ids<S: Get<u32>>(count: u32) -> BoundedVec<JobId, S> {
	BoundedVec::truncate_from((0..count).map(|i| JobId::MAX - i as JobId).collect::<Vec<_>>())
}

/// Fills the deadline queue of `block` and `provider`'s job list to one below their bounds, so
/// the next push fills them, and the review and dispute queues from `review_block` and
/// `dispute_block` so that a push spills to the last block it may use.
fn fill_queues<T: Config>(
	provider: &T::AccountId,
	block: BlockNumberFor<T>,
	review_block: BlockNumberFor<T>,
	dispute_block: BlockNumberFor<T>,
) {
	JobDeadlines::<T>::insert(block, placeholder_ids(T::MaxJobsPerBlock::get() - 1));
	ProviderJobs::<T>::insert(provider, placeholder_ids(T::MaxPendingJobsPerProvider::get() - 1));
	let full = T::MaxJobsPerBlock::get();
	for spill in 0..QUEUE_SPILL_BLOCKS {
		let count = if spill + 1 < QUEUE_SPILL_BLOCKS { full } else { full - 1 };
		ReviewQueue::<T>::insert(review_block.saturating_add(spill.into()), placeholder_ids(count));
		DisputeQueue::<T>::insert(
			dispute_block.saturating_add(spill.into()),
			placeholder_ids(count),
		);
	}
}

/// Root of every benchmark job's dataset.
fn dataset_root() -> H256 {
	H256::repeat_byte(1)
}

/// Root of every benchmark job's result.
fn result_root() -> H256 {
	H256::repeat_byte(3)
}

/// Stores the dataset and the result every benchmark job uses, each behind other commitments
/// of its root (the worst case of `StoredFiles::live_file`), until long after any benchmark.
fn store_files<T: Config>() {
	let far = System::<T>::block_number()
		.saturating_add(T::MaxJobDuration::get())
		.saturating_add(T::ReviewPeriod::get())
		.saturating_add(T::DisputePeriod::get())
		.saturating_add(1_000u32.into());
	T::StoredFiles::store_for_benchmark(dataset_root(), 1 << 20, far);
	T::StoredFiles::store_for_benchmark(result_root(), 1 << 20, far);
}

/// Terms for `service` that every benchmark job meets, so `create_job` checks them all.
fn set_terms<T: Config>(provider: &T::AccountId, service: ServiceId) -> Result<(), BenchmarkError> {
	ComputeEscrow::<T>::set_job_terms(
		RawOrigin::Signed(provider.clone()).into(),
		service,
		unit::<T>(),
		Some(u64::MAX),
	)?;
	Ok(())
}

/// Creates a job of a fresh user on `service`, with `max_fee` of ten units and the given
/// deadline; returns the job and the user.
fn add_job<T: Config>(
	service: ServiceId,
	user_index: u32,
	deadline: BlockNumberFor<T>,
) -> Result<(JobId, T::AccountId), BenchmarkError> {
	let user = funded_account::<T>("job-user", user_index);
	ComputeEscrow::<T>::create_job(
		RawOrigin::Signed(user.clone()).into(),
		service,
		dataset_root(),
		H256::repeat_byte(2),
		unit::<T>().saturating_mul(10u32.into()),
		deadline,
	)?;
	Ok((NextJobId::<T>::get().saturating_sub(1), user))
}

/// The earliest deadline a job created now may have.
fn earliest_deadline<T: Config>() -> BlockNumberFor<T> {
	System::<T>::block_number().saturating_add(T::MinJobDuration::get())
}

/// A job service of a fresh provider whose job list and the queues its job touches are full
/// but for one; returns the job (created last), its provider and user.
fn full_job<T: Config>() -> Result<(JobId, T::AccountId, T::AccountId), BenchmarkError> {
	// frame-benchmarking moves a benchmark from block 0 to block 1 only after its setup;
	// start there now so the setup fills the queues of the block the call will use.
	System::<T>::set_block_number(1u32.into());
	store_files::<T>();
	let provider = funded_account::<T>("provider", 0);
	let service = add_service::<T>(&provider, ServiceKind::Job, Verifiability::None)?;
	set_terms::<T>(&provider, service)?;
	let deadline = earliest_deadline::<T>();
	let now = System::<T>::block_number();
	let review_ends = now.saturating_add(T::ReviewPeriod::get());
	fill_queues::<T>(&provider, deadline, review_ends, now.saturating_add(T::DisputePeriod::get()));
	let (job, user) = add_job::<T>(service, 0, deadline)?;
	Ok((job, provider, user))
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// The provider has one service fewer than allowed; strings are as long as allowed and the
	/// service names an approved enclave key.
	#[benchmark]
	fn register_service() -> Result<(), BenchmarkError> {
		let provider = funded_account::<T>("provider", 0);
		for _ in 1..T::MaxServicesPerProvider::get() {
			add_service::<T>(&provider, ServiceKind::Inference, Verifiability::None)?;
		}
		let enclave = account("enclave", 0, SEED);
		approve::<T>(&enclave)?;

		#[extrinsic_call]
		_(
			RawOrigin::Signed(provider.clone()),
			ServiceKind::Inference,
			longest_model::<T>(),
			longest_endpoint::<T>(),
			1u32.into(),
			1u32.into(),
			Verifiability::Tee { signer: enclave },
			T::MinServiceStake::get(),
		);

		assert_eq!(
			ProviderServices::<T>::get(&provider).len() as u32,
			T::MaxServicesPerProvider::get()
		);
		Ok(())
	}

	/// The stake grows, so more is put on hold.
	#[benchmark]
	fn update_service() -> Result<(), BenchmarkError> {
		let provider = funded_account::<T>("provider", 0);
		let service = add_service::<T>(&provider, ServiceKind::Inference, Verifiability::None)?;
		let stake = T::MinServiceStake::get().saturating_mul(2u32.into());

		#[extrinsic_call]
		_(
			RawOrigin::Signed(provider.clone()),
			service,
			longest_model::<T>(),
			longest_endpoint::<T>(),
			2u32.into(),
			2u32.into(),
			Verifiability::None,
			stake,
		);

		assert_eq!(Services::<T>::get(service).map(|s| s.stake), Some(stake));
		Ok(())
	}

	/// The provider has as many services as allowed.
	#[benchmark]
	fn remove_service() -> Result<(), BenchmarkError> {
		let provider = funded_account::<T>("provider", 0);
		let mut service = 0;
		for _ in 0..T::MaxServicesPerProvider::get() {
			service = add_service::<T>(&provider, ServiceKind::Inference, Verifiability::None)?;
		}

		#[extrinsic_call]
		_(RawOrigin::Signed(provider.clone()), service);

		assert!(!Services::<T>::contains_key(service));
		Ok(())
	}

	/// The ledger already holds the most pending refunds, so it is as large as it gets.
	#[benchmark]
	fn deposit() -> Result<(), BenchmarkError> {
		let provider = funded_account::<T>("provider", 0);
		add_service::<T>(&provider, ServiceKind::Inference, Verifiability::None)?;
		let user = funded_account::<T>("user", 0);
		add_ledger::<T>(&user, &provider, unit::<T>(), false)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(user.clone()), unit::<T>());

		assert_eq!(Ledgers::<T>::get(&user).map(|l| l.available), Some(unit::<T>() + unit::<T>()));
		Ok(())
	}

	/// The ledger holds the most pending refunds.
	#[benchmark]
	fn withdraw() -> Result<(), BenchmarkError> {
		let provider = funded_account::<T>("provider", 0);
		add_service::<T>(&provider, ServiceKind::Inference, Verifiability::None)?;
		let user = funded_account::<T>("user", 0);
		add_ledger::<T>(&user, &provider, unit::<T>(), false)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(user.clone()), unit::<T>());

		assert_eq!(Ledgers::<T>::get(&user).map(|l| l.available), Some(Zero::zero()));
		Ok(())
	}

	/// The ledger holds the most pending refunds and the sub-account exists.
	#[benchmark]
	fn fund_provider() -> Result<(), BenchmarkError> {
		let provider = funded_account::<T>("provider", 0);
		add_service::<T>(&provider, ServiceKind::Inference, Verifiability::None)?;
		let user = funded_account::<T>("user", 0);
		add_ledger::<T>(&user, &provider, unit::<T>(), false)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(user.clone()), provider.clone(), unit::<T>());

		assert_eq!(SubAccounts::<T>::get(&user, &provider).balance, unit::<T>() + unit::<T>());
		Ok(())
	}

	/// The ledger holds one pending refund fewer than allowed.
	#[benchmark]
	fn request_refund() -> Result<(), BenchmarkError> {
		let provider = funded_account::<T>("provider", 0);
		add_service::<T>(&provider, ServiceKind::Inference, Verifiability::None)?;
		let user = funded_account::<T>("user", 0);
		add_ledger::<T>(&user, &provider, unit::<T>(), true)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(user.clone()), provider.clone(), unit::<T>());

		assert_eq!(
			Ledgers::<T>::get(&user).map(|l| l.pending_refunds.len() as u32),
			Some(T::MaxPendingRefunds::get())
		);
		Ok(())
	}

	/// The most pending refunds, all unlocked.
	#[benchmark]
	fn claim_refund() -> Result<(), BenchmarkError> {
		let provider = funded_account::<T>("provider", 0);
		add_service::<T>(&provider, ServiceKind::Inference, Verifiability::None)?;
		let user = funded_account::<T>("user", 0);
		let refunds = add_ledger::<T>(&user, &provider, Zero::zero(), false)?;
		System::<T>::set_block_number(
			System::<T>::block_number().saturating_add(T::RefundLockPeriod::get()),
		);

		#[extrinsic_call]
		_(RawOrigin::Signed(user.clone()));

		assert_eq!(Ledgers::<T>::get(&user).map(|l| l.available), Some(refunds));
		Ok(())
	}

	/// `n` receipts of `n` different users, each valid, each paying more than the sub-account
	/// holds so the rest comes out of every one of the user's locked refunds. The service is a
	/// `Tee` one and its enclave signs every receipt, so each costs two signature checks (the
	/// user's fails first) and the reads of the acknowledgement and the approval.
	#[benchmark]
	fn settle_receipts(
		n: Linear<1, { T::MaxReceiptsPerBatch::get() }>,
	) -> Result<(), BenchmarkError> {
		let provider = funded_account::<T>("provider", 0);
		let (service, enclave) = tee_service::<T>(&provider)?;
		let genesis_hash = System::<T>::block_hash(BlockNumberFor::<T>::zero());
		let mut receipts = Vec::new();
		for _ in 0..n {
			let user = T::BenchmarkHelper::create_signer();
			fund::<T>(&user);
			ComputeEscrow::<T>::acknowledge_signer(
				RawOrigin::Signed(user.clone()).into(),
				service,
				enclave.clone(),
			)?;
			let refunds = add_ledger::<T>(&user, &provider, Zero::zero(), false)?;
			let fee = refunds.saturating_add(unit::<T>());
			let receipt = InferenceReceipt {
				user: user.clone(),
				provider: provider.clone(),
				service,
				nonce: 1,
				input_tokens: fee.saturated_into::<u64>(),
				output_tokens: 0,
				fee,
				request_hash: H256::repeat_byte(7),
			};
			let signature =
				T::BenchmarkHelper::sign(&enclave, &receipt.signing_payload(genesis_hash.as_ref()));
			receipts.push(SignedReceipt { receipt, signature });
		}
		let receipts = BoundedVec::truncate_from(receipts);
		let paid_before = T::Currency::balance(&provider);

		#[extrinsic_call]
		_(RawOrigin::Signed(provider.clone()), service, receipts);

		let fee = unit::<T>().saturating_mul((T::MaxPendingRefunds::get() + 1).into());
		assert_eq!(
			T::Currency::balance(&provider),
			paid_before.saturating_add(fee.saturating_mul(n.into()))
		);
		Ok(())
	}

	/// The deadline block and the provider's job list are full but for this job; the service
	/// has terms and the dataset is found behind other commitments of its root.
	#[benchmark]
	fn create_job() -> Result<(), BenchmarkError> {
		// frame-benchmarking moves a benchmark from block 0 to block 1 only after its setup;
		// start there now so the setup fills the queues of the block the call will use.
		System::<T>::set_block_number(1u32.into());
		store_files::<T>();
		let provider = funded_account::<T>("provider", 0);
		let service = add_service::<T>(&provider, ServiceKind::Job, Verifiability::None)?;
		set_terms::<T>(&provider, service)?;
		let deadline = earliest_deadline::<T>();
		let now = System::<T>::block_number();
		let review_ends = now.saturating_add(T::ReviewPeriod::get());
		fill_queues::<T>(&provider, deadline, review_ends, now);
		let user = funded_account::<T>("user", 0);

		#[extrinsic_call]
		_(
			RawOrigin::Signed(user.clone()),
			service,
			dataset_root(),
			H256::repeat_byte(2),
			unit::<T>(),
			deadline,
		);

		assert_eq!(
			ProviderJobs::<T>::get(&provider).len() as u32,
			T::MaxPendingJobsPerProvider::get()
		);
		Ok(())
	}

	/// Full deadline queue and provider list to scan, review queues to spill over, and a
	/// result found behind other commitments of its root.
	#[benchmark]
	fn submit_result() -> Result<(), BenchmarkError> {
		let (job, provider, _) = full_job::<T>()?;

		#[extrinsic_call]
		_(RawOrigin::Signed(provider), job, result_root(), H256::repeat_byte(4), unit::<T>());

		assert!(matches!(Jobs::<T>::get(job).map(|j| j.status), Some(JobStatus::InReview { .. })));
		Ok(())
	}

	/// A full review queue to scan; both payment and refund happen.
	#[benchmark]
	fn accept_result() -> Result<(), BenchmarkError> {
		let (job, provider, user) = full_job::<T>()?;
		ComputeEscrow::<T>::submit_result(
			RawOrigin::Signed(provider).into(),
			job,
			result_root(),
			H256::repeat_byte(4),
			unit::<T>(),
		)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(user.clone()), job);

		assert!(!Jobs::<T>::contains_key(job));
		assert!(T::Currency::balance_on_hold(&HoldReason::JobEscrow.into(), &user).is_zero());
		Ok(())
	}

	/// A full review queue to scan and dispute queues to spill over.
	#[benchmark]
	fn dispute() -> Result<(), BenchmarkError> {
		let (job, provider, user) = full_job::<T>()?;
		ComputeEscrow::<T>::submit_result(
			RawOrigin::Signed(provider).into(),
			job,
			result_root(),
			H256::repeat_byte(4),
			unit::<T>(),
		)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(user), job);

		assert!(matches!(Jobs::<T>::get(job).map(|j| j.status), Some(JobStatus::Disputed { .. })));
		Ok(())
	}

	/// Payment, refund and the bond's transfer to the provider all happen, and the dispute's
	/// lapse queue is full.
	#[benchmark]
	fn resolve_dispute() -> Result<(), BenchmarkError> {
		let (job, provider, user) = full_job::<T>()?;
		ComputeEscrow::<T>::submit_result(
			RawOrigin::Signed(provider).into(),
			job,
			result_root(),
			H256::repeat_byte(4),
			unit::<T>(),
		)?;
		ComputeEscrow::<T>::dispute(RawOrigin::Signed(user).into(), job)?;
		let origin =
			T::DisputeOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, job, Perbill::one());

		assert!(!Jobs::<T>::contains_key(job));
		assert!(!Disputes::<T>::contains_key(job));
		Ok(())
	}

	/// Full deadline queue and provider list to scan.
	#[benchmark]
	fn decline_job() -> Result<(), BenchmarkError> {
		let (job, provider, _) = full_job::<T>()?;

		#[extrinsic_call]
		_(RawOrigin::Signed(provider), job);

		assert!(!Jobs::<T>::contains_key(job));
		Ok(())
	}

	/// `e` jobs expire, `r` results are accepted and `d` disputes lapse in the same block,
	/// each job with its own user and provider, so no storage is shared between them.
	#[benchmark]
	fn on_initialize(
		e: Linear<0, { T::MaxJobsPerBlock::get() }>,
		r: Linear<0, { T::MaxJobsPerBlock::get() }>,
		d: Linear<0, { T::MaxJobsPerBlock::get() }>,
	) -> Result<(), BenchmarkError> {
		store_files::<T>();
		let longest =
			T::MinJobDuration::get().max(T::ReviewPeriod::get()).max(T::DisputePeriod::get());
		let due = System::<T>::block_number().saturating_add(longest).saturating_add(1u32.into());
		let mut jobs = Vec::new();
		// Each group starts the period that ends at `due`: a job service and a job per item.
		let mut add = |index: u32, start: BlockNumberFor<T>, deadline: BlockNumberFor<T>| {
			System::<T>::set_block_number(start);
			let provider = funded_account::<T>("provider", index);
			let service = add_service::<T>(&provider, ServiceKind::Job, Verifiability::None)?;
			let (job, user) = add_job::<T>(service, index, deadline)?;
			jobs.push(job);
			Ok::<_, BenchmarkError>((job, provider, user))
		};
		let submit = |job: JobId, provider: &T::AccountId| {
			ComputeEscrow::<T>::submit_result(
				RawOrigin::Signed(provider.clone()).into(),
				job,
				result_root(),
				H256::repeat_byte(4),
				unit::<T>(),
			)
		};
		for i in 0..e {
			add(i, due.saturating_sub(T::MinJobDuration::get()), due)?;
		}
		for i in e..e.saturating_add(r) {
			let start = due.saturating_sub(T::ReviewPeriod::get());
			let (job, provider, _) = add(i, start, start.saturating_add(T::MinJobDuration::get()))?;
			submit(job, &provider)?;
		}
		for i in e.saturating_add(r)..e.saturating_add(r).saturating_add(d) {
			let start = due.saturating_sub(T::DisputePeriod::get());
			let (job, provider, user) =
				add(i, start, start.saturating_add(T::MinJobDuration::get()))?;
			submit(job, &provider)?;
			ComputeEscrow::<T>::dispute(RawOrigin::Signed(user).into(), job)?;
		}
		System::<T>::set_block_number(due);

		#[block]
		{
			ComputeEscrow::<T>::on_initialize(due);
		}

		assert!(jobs.iter().all(|job| !Jobs::<T>::contains_key(job)));
		Ok(())
	}

	/// A job service without terms yet.
	#[benchmark]
	fn set_job_terms() -> Result<(), BenchmarkError> {
		let provider = funded_account::<T>("provider", 0);
		let service = add_service::<T>(&provider, ServiceKind::Job, Verifiability::None)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(provider), service, unit::<T>(), Some(u64::MAX));

		assert!(ServiceJobTerms::<T>::contains_key(service));
		Ok(())
	}

	/// A key never approved before.
	#[benchmark]
	fn approve_enclave() -> Result<(), BenchmarkError> {
		let signer: T::AccountId = account("enclave", 0, SEED);
		let origin =
			T::EnclaveOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, signer.clone(), H256::repeat_byte(9));

		assert!(ApprovedEnclaves::<T>::contains_key(&signer));
		Ok(())
	}

	#[benchmark]
	fn revoke_enclave() -> Result<(), BenchmarkError> {
		let signer: T::AccountId = account("enclave", 0, SEED);
		approve::<T>(&signer)?;
		let origin =
			T::EnclaveOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, signer.clone());

		assert!(!ApprovedEnclaves::<T>::contains_key(&signer));
		Ok(())
	}

	/// The deposit is put on hold.
	#[benchmark]
	fn acknowledge_signer() -> Result<(), BenchmarkError> {
		let provider = funded_account::<T>("provider", 0);
		let (service, enclave) = tee_service::<T>(&provider)?;
		let user = funded_account::<T>("user", 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(user.clone()), service, enclave);

		assert!(AcknowledgedSigners::<T>::contains_key(&user, service));
		Ok(())
	}

	/// The deposit is released.
	#[benchmark]
	fn remove_acknowledgement() -> Result<(), BenchmarkError> {
		let provider = funded_account::<T>("provider", 0);
		let (service, enclave) = tee_service::<T>(&provider)?;
		let user = funded_account::<T>("user", 0);
		ComputeEscrow::<T>::acknowledge_signer(
			RawOrigin::Signed(user.clone()).into(),
			service,
			enclave,
		)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(user.clone()), service);

		assert!(!AcknowledgedSigners::<T>::contains_key(&user, service));
		Ok(())
	}

	impl_benchmark_test_suite!(ComputeEscrow, crate::mock::new_test_ext(), crate::mock::Test);
}
