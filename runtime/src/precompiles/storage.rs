//! `IZeroGStorage`: pay for and look up files of the storage log from Solidity.

use super::{
	account_word, address, address_of, charge_reads, dispatch_as_caller, emit,
	refuse_delegate_and_value, revert, revert_with, word,
};
use crate::Runtime;
use alloc::vec::Vec;
use core::num::NonZero;
use pallet_revive::precompiles::{
	alloy::{self, primitives::U256, sol_types::SolCall},
	AddressMatcher, Error, Ext, Precompile, H256,
};
use pallet_storage_commitments::{FileIndex, Files, NextFileId, Pallet as Storage};
use polkadot_sdk::frame_system;

alloy::sol!("../sdk/solidity/IZeroGStorage.sol");
use IZeroGStorage::{IZeroGStorageCalls as Call, *};

/// The storage pallet as the precompile `IZeroGStorage`.
pub struct StoragePrecompile;

impl Precompile for StoragePrecompile {
	type T = Runtime;
	type Interface = Call;
	const MATCHER: AddressMatcher =
		AddressMatcher::Fixed(NonZero::new(address::STORAGE).expect("not zero"));
	const HAS_CONTRACT_INFO: bool = false;

	fn call(
		_address: &[u8; 20],
		input: &Self::Interface,
		env: &mut impl Ext<T = Self::T>,
	) -> Result<Vec<u8>, Error> {
		refuse_delegate_and_value(env)?;
		match input {
			Call::submit(call) => submit(env, call),
			Call::renew(call) => renew(env, call),
			Call::fee(call) => {
				charge_reads(env, 1)?;
				let fee =
					Storage::<Runtime>::fee_for(call.size, call.replicas).map_err(revert_with)?;
				Ok(feeCall::abi_encode_returns(&U256::from(fee)))
			},
			Call::fileInfo(call) => {
				charge_reads(env, 2)?;
				let file = Files::<Runtime>::get(call.fileId).ok_or(revert("FileNotFound"))?;
				Ok(fileInfoCall::abi_encode_returns(&FileInfo {
					root: word(file.root),
					size: file.size,
					owner: account_word(&file.owner),
					expiresAt: file.expires_at,
					replicas: wanted_replicas(call.fileId),
					rewardRemaining: U256::from(file.reward_remaining),
				}))
			},
			Call::fileByCommitment(call) => {
				charge_reads(env, 2)?;
				let live = live_file(H256(call.root.0), call.size);
				Ok(fileByCommitmentCall::abi_encode_returns(&fileByCommitmentReturn {
					found: live.is_some(),
					fileId: live.unwrap_or_default(),
				}))
			},
			Call::isLive(call) => {
				charge_reads(env, 1)?;
				Ok(isLiveCall::abi_encode_returns(&is_live(call.fileId)))
			},
		}
	}
}

/// `submit`: a new file gets the next id and `FileSubmitted`; a live commitment is renewed
/// (`FileRenewed`, its existing id).
fn submit(env: &mut impl Ext<T = Runtime>, call: &submitCall) -> Result<Vec<u8>, Error> {
	let root = H256(call.root.0);
	let next_id = NextFileId::<Runtime>::get();
	let reward_before = live_file(root, call.size)
		.and_then(Files::<Runtime>::get)
		.map(|file| file.reward_remaining)
		.unwrap_or_default();
	let payer = dispatch_as_caller(
		env,
		pallet_storage_commitments::Call::<Runtime>::submit {
			root,
			size: call.size,
			tags: Default::default(),
			replicas: call.replicas,
		},
	)?;
	let id = FileIndex::<Runtime>::get(root, call.size).ok_or(revert("FileNotFound"))?;
	let file = Files::<Runtime>::get(id).ok_or(revert("FileNotFound"))?;
	// The fee is what the call added to the file's rewards.
	let fee = U256::from(file.reward_remaining.saturating_sub(reward_before));
	if id >= next_id {
		emit(
			env,
			FileSubmitted {
				fileId: id,
				root: call.root,
				payer: address_of(&payer),
				size: call.size,
				fee,
			},
		)?;
	} else {
		emit(
			env,
			FileRenewed { fileId: id, payer: address_of(&payer), fee, expiresAt: file.expires_at },
		)?;
	}
	Ok(submitCall::abi_encode_returns(&id))
}

/// `renew`: one more lifetime of a live file, paid by the caller.
fn renew(env: &mut impl Ext<T = Runtime>, call: &renewCall) -> Result<Vec<u8>, Error> {
	let reward_before =
		Files::<Runtime>::get(call.fileId).map(|file| file.reward_remaining).unwrap_or_default();
	let payer = dispatch_as_caller(
		env,
		pallet_storage_commitments::Call::<Runtime>::renew { file_id: call.fileId },
	)?;
	let file = Files::<Runtime>::get(call.fileId).ok_or(revert("FileNotFound"))?;
	let fee = U256::from(file.reward_remaining.saturating_sub(reward_before));
	emit(
		env,
		FileRenewed {
			fileId: call.fileId,
			payer: address_of(&payer),
			fee,
			expiresAt: file.expires_at,
		},
	)?;
	Ok(Vec::new())
}

/// The live file committed as `(root, size)`.
fn live_file(root: H256, size: u64) -> Option<u64> {
	FileIndex::<Runtime>::get(root, size).filter(|id| is_live(*id))
}

/// Whether the file is logged and not expired.
fn is_live(id: u64) -> bool {
	let now = frame_system::Pallet::<Runtime>::block_number();
	Files::<Runtime>::get(id).is_some_and(|file| file.expires_at > now)
}

/// How many providers are to hold the file (1 before it is assigned).
fn wanted_replicas(id: u64) -> u8 {
	pallet_storage_commitments::Replicas::<Runtime>::get(id).map(|set| set.wanted).unwrap_or(1)
}
