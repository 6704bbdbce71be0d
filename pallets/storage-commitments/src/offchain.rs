//! Off-chain worker of a storage provider: acknowledges the files assigned to it once the
//! node's data store holds them, and proves its open challenges with chunks from that store.
//!
//! For every sr25519 key of type [`crate::KEY_TYPE`] (`zgst`) in the node keystore, the worker
//! 1. reads the files assigned to the key's account and not acknowledged yet
//!    ([`Pallet::pending_files`]), asks the node's data store whether it holds every segment of
//!    each (exact `(root, size)`; the node verified each segment against the root when it stored
//!    it) and submits [`Call::acknowledge`] for those it does;
//! 2. reads the open challenges of the account ([`Pallet::open_challenges`]), reads the
//!    challenged chunk and its proof from the same store and submits [`Call::submit_proof`].
//!
//! Both are signed transactions from that account. The chain re-checks everything a proof
//! says; an acknowledgement is the provider's word, which the challenges then hold it to.
//!
//! # Reaching the store
//!
//! The worker reads the store through the host functions of
//! [`zerog_primitives::storage::host`], which reach only the data store of the node that runs
//! the worker (registered in its off-chain externalities). There is no URL to configure and no
//! public RPC method that hands out chunk proofs: a proof comes from the provider's own copy or
//! from nowhere. A node without a store (or a worker run anywhere else) sends nothing.
//!
//! A marker in persistent local storage (key [`SENT_KEY_PREFIX`] ‖ SCALE(account, period)) stops
//! the worker from sending the same proof again within [`RESEND_AFTER_BLOCKS`] blocks.

use crate::{
	Call, ChallengeOf, ChunkBytes, Config, FileId, Files, Pallet, PeriodIndex, LOG_TARGET,
};
use alloc::{boxed::Box, format, vec, vec::Vec};
use codec::Encode;
use polkadot_sdk::frame_support::{traits::Get, BoundedVec};
use polkadot_sdk::{
	frame_system::{
		offchain::{Account, ForAll, SendSignedTransaction, Signer},
		pallet_prelude::BlockNumberFor,
	},
	sp_core::H256,
	sp_runtime::{
		offchain::storage::{StorageRetrievalError, StorageValueRef},
		traits::{Saturating, UniqueSaturatedInto},
	},
};
use zerog_primitives::storage::{
	chunk_len,
	host::{zerog_storage, StoreRefusal},
	ChunkProof,
};

/// Prefix of the persistent local-storage markers of proofs already sent.
pub const SENT_KEY_PREFIX: &[u8] = b"zerog::storage::sent";

/// Prefix of the persistent local-storage markers of acknowledgements already sent.
pub const ACK_SENT_KEY_PREFIX: &[u8] = b"zerog::storage::acked";

/// Most pending files the worker asks the node about per block and account; the list rotates
/// from block to block so every file gets its turn.
pub const ACK_CHECKS_PER_BLOCK: usize = 32;

/// Blocks after which a proof (or acknowledgement) still not included is sent again, with the
/// account's nonce at that block. A transaction can be dropped from the pool, most simply when
/// the provider's own account sent another one with the same nonce first; a proof sent once
/// would then miss its deadline and cost the provider its stake. Two blocks leave a second try
/// inside any response window of four blocks or more (`integrity_test` checks it).
pub const RESEND_AFTER_BLOCKS: u32 = 2;

/// Why the worker could not produce a proof transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OcwError {
	/// The node's data store refused: none is registered, it does not hold the chunk, or it
	/// failed to read it.
	Store(StoreRefusal),
	/// The chunk does not have the length the challenged file implies.
	ChunkLength,
}

impl<T: Config> Pallet<T> {
	/// Acknowledges, for every account whose `zgst` key is in the keystore, the assigned files
	/// the node's store holds in full.
	pub(crate) fn acknowledge_stored_files(now: BlockNumberFor<T>) {
		let accounts: Vec<Account<T>> =
			Signer::<T, T::AuthorityId, ForAll>::keystore_accounts().collect();
		for account in accounts {
			let pending = Self::pending_files(&account.id);
			if pending.is_empty() {
				continue;
			}
			let block: u64 = now.unique_saturated_into();
			let start = (block as usize).wrapping_mul(ACK_CHECKS_PER_BLOCK) % pending.len();
			let mut held = Vec::new();
			for file_id in
				pending.iter().cycle().skip(start).take(pending.len().min(ACK_CHECKS_PER_BLOCK))
			{
				let Some(file) = Files::<T>::get(file_id) else { continue };
				if held.len() >= T::MaxAcksPerCall::get() as usize {
					break;
				}
				match Self::node_holds(&file.root, file.size) {
					Ok(true) if Self::claim_ack(&account.id, *file_id, now) => held.push(*file_id),
					Ok(_) => {},
					Err(error) => log::warn!(
						target: LOG_TARGET,
						"cannot ask the node about file {file_id}: {error:?}"
					),
				}
			}
			if held.is_empty() {
				continue;
			}
			let Ok(files) = BoundedVec::try_from(held) else { continue };
			Self::send_signed(&account, Call::acknowledge { files }, "acknowledgement");
		}
	}

	/// Records that an acknowledgement of `file_id` by `provider` is being sent at `now`; `false`
	/// if one was sent less than `RESEND_AFTER_BLOCKS` blocks ago.
	fn claim_ack(provider: &T::AccountId, file_id: FileId, now: BlockNumberFor<T>) -> bool {
		Self::claim_marker((ACK_SENT_KEY_PREFIX, provider, file_id).encode(), now)
	}

	/// Whether the node's data store holds every segment of `(root, size)`.
	pub fn node_holds(root: &H256, size: u64) -> Result<bool, OcwError> {
		zerog_storage::holds_file(*root, size).map_err(OcwError::Store)
	}

	/// Proves every open challenge of the accounts whose `zgst` key is in the keystore.
	pub(crate) fn prove_open_challenges(now: BlockNumberFor<T>) {
		let accounts: Vec<Account<T>> =
			Signer::<T, T::AuthorityId, ForAll>::keystore_accounts().collect();
		for account in accounts {
			for (period, challenge) in Self::open_challenges(&account.id) {
				if now >= challenge.deadline || !Self::claim_send(&account.id, period, now) {
					continue;
				}
				match Self::fetch_chunk_proof(&challenge) {
					Ok((chunk, proof)) => Self::send_proof(&account, period, chunk, proof),
					Err(error) => log::warn!(
						target: LOG_TARGET,
						"no proof for challenge of period {period} (file {}): {error:?}",
						challenge.file_id,
					),
				}
			}
		}
	}

	/// Records that a proof for (`provider`, `period`) is being sent at `now`; `false` if one
	/// was sent less than `RESEND_AFTER_BLOCKS` blocks ago or another worker is sending it.
	fn claim_send(provider: &T::AccountId, period: PeriodIndex, now: BlockNumberFor<T>) -> bool {
		Self::claim_marker((SENT_KEY_PREFIX, provider, period).encode(), now)
	}

	/// Sets the persistent marker `key` to `now` unless it was set less than
	/// `RESEND_AFTER_BLOCKS` blocks ago (or another worker is setting it).
	fn claim_marker(key: Vec<u8>, now: BlockNumberFor<T>) -> bool {
		let marker = StorageValueRef::persistent(&key);
		marker
			.mutate(|sent: Result<Option<BlockNumberFor<T>>, StorageRetrievalError>| match sent {
				Ok(Some(at)) if now < at.saturating_add(RESEND_AFTER_BLOCKS.into()) => Err(()),
				_ => Ok(now),
			})
			.is_ok()
	}

	/// Signs `submit_proof` with `account`'s key and hands it to the transaction pool.
	fn send_proof(account: &Account<T>, period: PeriodIndex, chunk: ChunkBytes, proof: ChunkProof) {
		let call = Call::submit_proof { period, chunk, proof: Box::new(proof) };
		Self::send_signed(account, call, &format!("proof for period {period}"));
	}

	/// Signs `call` with `account`'s key and hands it to the transaction pool; `what` names it
	/// in the log.
	fn send_signed(account: &Account<T>, call: Call<T>, what: &str) {
		let results = Signer::<T, T::AuthorityId, ForAll>::all_accounts()
			.with_filter(vec![account.public.clone()])
			.send_signed_transaction(|_| call.clone());
		if results.is_empty() {
			log::warn!(target: LOG_TARGET, "key of {:?} left the keystore", account.id);
		}
		for (signer, result) in results {
			match result {
				Ok(()) => log::info!(target: LOG_TARGET, "{what} sent by {:?}", signer.id),
				Err(()) => {
					log::warn!(target: LOG_TARGET, "pool refused the {what} of {:?}", signer.id)
				},
			}
		}
	}

	/// Reads the challenged chunk and its proof from the node's data store.
	pub fn fetch_chunk_proof(
		challenge: &ChallengeOf<T>,
	) -> Result<(ChunkBytes, ChunkProof), OcwError> {
		let (chunk, proof) =
			zerog_storage::chunk_proof(challenge.root, challenge.size, challenge.chunk_index)
				.map_err(OcwError::Store)?;
		let chunk = fit_chunk(chunk, challenge.size, challenge.chunk_index)?;
		Ok((chunk, proof))
	}
}

/// `chunk` cut to the length chunk `chunk_index` of a `size`-byte file has: zero padding past
/// that length is dropped, anything else of the wrong length is refused.
pub fn fit_chunk(mut chunk: Vec<u8>, size: u64, chunk_index: u64) -> Result<ChunkBytes, OcwError> {
	let expected = chunk_len(size, chunk_index).ok_or(OcwError::ChunkLength)?;
	if chunk.len() > expected && chunk.iter().skip(expected).all(|byte| *byte == 0) {
		chunk.truncate(expected);
	}
	if chunk.len() != expected {
		return Err(OcwError::ChunkLength);
	}
	ChunkBytes::try_from(chunk).map_err(|_| OcwError::ChunkLength)
}
