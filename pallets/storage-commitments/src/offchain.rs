//! Off-chain worker of a storage provider: acknowledges the files assigned to it once the
//! node's data store holds them, and proves its open challenges with chunks from that store.
//!
//! For every sr25519 key of type [`crate::KEY_TYPE`] (`zgst`) in the node keystore, the worker
//! 1. reads the files assigned to the key's account and not acknowledged yet
//!    ([`Pallet::pending_files`]), asks the node's storage RPC whether its store holds every
//!    segment of each (`storage_holdsFile`, exact `(root, size)`; the node verified each segment
//!    against the root when it stored it) and submits [`Call::acknowledge`] for those it does;
//! 2. reads the open challenges of the account ([`Pallet::open_challenges`]), asks the storage
//!    RPC for the challenged chunk and its proof, and submits [`Call::submit_proof`].
//!
//! Both are signed transactions from that account. The chain re-checks everything a proof
//! says; an acknowledgement is the provider's word, which the challenges then hold it to.
//!
//! # The JSON-RPC contract with the node
//!
//! - **URL**: the UTF-8 bytes stored in the node's *persistent* off-chain local storage under
//!   [`RPC_URL_KEY`] (`zerog::storage::rpc`), raw (not SCALE-encoded), e.g. set with the
//!   `offchain_localStorageSet` RPC (`"PERSISTENT"`, `0x` + hex of the key, `0x` + hex of the
//!   URL); [`DEFAULT_RPC_URL`] (`http://127.0.0.1:9944`) when unset.
//! - **Request**: `POST` with header `Content-Type: application/json` and exactly this body (no
//!   whitespace, root as `0x` and 64 lowercase hex digits, chunk index in decimal):
//!   `{"jsonrpc":"2.0","id":1,"method":"storage_chunkProof","params":["0x<root>",<chunk index>]}`
//!   where the chunk index counts 256-byte chunks from 0 over the whole file.
//! - **Success** (HTTP 200): `{"jsonrpc":"2.0","id":1,"result":{"chunk":"0x<hex>","proof":"0x<hex>"}}`
//!   - `chunk`: the chunk's bytes: 256, or for the file's last chunk its unpadded length
//!     (`zerog_primitives::storage::chunk_len`); the last chunk may also be sent zero-padded to
//!     256 bytes, the worker strips the padding.
//!   - `proof`: the SCALE encoding of `zerog_primitives::storage::ChunkProof` for that chunk
//!     (`index_in_segment: u16`, 10 segment-path hashes, `segment_index: u64`, compact length
//!     and the file-path hashes), as hex.
//!   - Hex strings may use either case; the `0x` prefix is optional. Other fields are ignored.
//! - **Failure**: a JSON-RPC `error` object (e.g. the node does not hold the file) or any other
//!   status; the worker logs it and sends nothing.
//!
//! Each request has a [`HTTP_TIMEOUT_MS`] deadline and a [`MAX_RESPONSE_BYTES`] size limit. A
//! marker in persistent local storage (key [`SENT_KEY_PREFIX`] ‖ SCALE(account, period)) stops the
//! worker from sending the same proof again within [`RESEND_AFTER_BLOCKS`] blocks.

use crate::{
	Call, ChallengeOf, ChunkBytes, Config, FileId, Files, Pallet, PeriodIndex, LOG_TARGET,
};
use alloc::{boxed::Box, format, string::String, vec, vec::Vec};
use codec::{DecodeAll, Encode};
use polkadot_sdk::frame_support::{traits::Get, BoundedVec};
use polkadot_sdk::{
	frame_system::{
		offchain::{Account, ForAll, SendSignedTransaction, Signer},
		pallet_prelude::BlockNumberFor,
	},
	sp_core::{offchain::StorageKind, H256},
	sp_io,
	sp_runtime::{
		offchain::{
			http,
			storage::{StorageRetrievalError, StorageValueRef},
			Duration,
		},
		traits::{Saturating, UniqueSaturatedInto},
	},
};
use zerog_primitives::storage::{chunk_len, ChunkProof};

/// The hex helpers shared by every ZeroG off-chain worker, re-exported for this worker's callers.
pub use zerog_primitives::hex::{from_hex, to_hex};

/// Key, in persistent off-chain local storage, of the node's storage RPC URL (raw UTF-8).
pub const RPC_URL_KEY: &[u8] = b"zerog::storage::rpc";

/// The RPC URL used when [`RPC_URL_KEY`] is unset: the node's own RPC server on loopback.
pub const DEFAULT_RPC_URL: &str = "http://127.0.0.1:9944";

/// JSON-RPC method that returns a chunk and its proof.
pub const RPC_METHOD: &str = "storage_chunkProof";

/// How long one request may take, in milliseconds.
pub const HTTP_TIMEOUT_MS: u64 = 5_000;

/// Largest response body accepted, in bytes: a chunk and the deepest proof take about 3.3 KiB
/// of hex.
pub const MAX_RESPONSE_BYTES: usize = 16 * 1024;

/// Prefix of the persistent local-storage markers of proofs already sent.
pub const SENT_KEY_PREFIX: &[u8] = b"zerog::storage::sent";

/// Prefix of the persistent local-storage markers of acknowledgements already sent.
pub const ACK_SENT_KEY_PREFIX: &[u8] = b"zerog::storage::acked";

/// JSON-RPC method that tells whether the node's store holds every segment of a file.
pub const HOLDS_METHOD: &str = "storage_holdsFile";

/// Most pending files the worker asks the node about per block and account; the list rotates
/// from block to block so every file gets its turn.
pub const ACK_CHECKS_PER_BLOCK: usize = 32;

/// Blocks after which a proof still not included is sent again.
pub const RESEND_AFTER_BLOCKS: u32 = 5;

/// Why the worker could not produce a proof transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OcwError {
	/// The HTTP request could not be sent or its response read.
	Http,
	/// The node did not answer before the deadline.
	Timeout,
	/// The node answered with another status than 200.
	Status(u16),
	/// The response body is larger than [`MAX_RESPONSE_BYTES`].
	ResponseTooLarge,
	/// The response is not JSON.
	Json,
	/// The node answered with a JSON-RPC error of this code.
	Rpc(i64),
	/// The response lacks this field (or it is not a string).
	MissingField(&'static str),
	/// A field is not valid hex.
	Hex(&'static str),
	/// The proof bytes are not a SCALE-encoded `ChunkProof`.
	ProofEncoding,
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

	/// Asks the node's storage RPC whether its store holds every segment of `(root, size)`.
	pub fn node_holds(root: &H256, size: u64) -> Result<bool, OcwError> {
		let body = format!(
			r#"{{"jsonrpc":"2.0","id":1,"method":"{HOLDS_METHOD}","params":["0x{}",{size}]}}"#,
			to_hex(root.as_bytes())
		);
		let response = Self::rpc_call(body)?;
		let value: serde_json::Value =
			serde_json::from_slice(&response).map_err(|_| OcwError::Json)?;
		if let Some(error) = value.get("error") {
			return Err(OcwError::Rpc(
				error.get("code").and_then(|code| code.as_i64()).unwrap_or(0),
			));
		}
		value
			.get("result")
			.and_then(|result| result.as_bool())
			.ok_or(OcwError::MissingField("result"))
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

	/// The node's storage RPC URL: [`RPC_URL_KEY`] in persistent local storage, or
	/// [`DEFAULT_RPC_URL`].
	pub fn rpc_url() -> String {
		sp_io::offchain::local_storage_get(StorageKind::PERSISTENT, RPC_URL_KEY)
			.and_then(|bytes| String::from_utf8(bytes).ok())
			.map(|url| String::from(url.trim()))
			.filter(|url| !url.is_empty())
			.unwrap_or_else(|| String::from(DEFAULT_RPC_URL))
	}

	/// Asks the node's storage RPC for the challenged chunk and its proof.
	pub fn fetch_chunk_proof(
		challenge: &ChallengeOf<T>,
	) -> Result<(ChunkBytes, ChunkProof), OcwError> {
		let body = Self::rpc_call(request_body(&challenge.root, challenge.chunk_index))?;
		let (chunk, proof) = parse_response(&body)?;
		let chunk = fit_chunk(chunk, challenge.size, challenge.chunk_index)?;
		Ok((chunk, proof))
	}

	/// Posts the JSON-RPC request `body` to the node's storage RPC; returns the response body
	/// of a 200 answer.
	fn rpc_call(body: String) -> Result<Vec<u8>, OcwError> {
		let url = Self::rpc_url();
		let deadline = sp_io::offchain::timestamp().add(Duration::from_millis(HTTP_TIMEOUT_MS));
		let pending = http::Request::post(&url, vec![body.into_bytes()])
			.add_header("Content-Type", "application/json")
			.deadline(deadline)
			.send()
			.map_err(|_| OcwError::Http)?;
		let response = pending
			.try_wait(deadline)
			.map_err(|_| OcwError::Timeout)?
			.map_err(|_| OcwError::Http)?;
		if response.code != 200 {
			return Err(OcwError::Status(response.code));
		}
		let body: Vec<u8> = response.body().take(MAX_RESPONSE_BYTES.saturating_add(1)).collect();
		if body.len() > MAX_RESPONSE_BYTES {
			return Err(OcwError::ResponseTooLarge);
		}
		Ok(body)
	}
}

/// The JSON-RPC request body for chunk `chunk_index` of the file with root `root`.
pub fn request_body(root: &H256, chunk_index: u64) -> String {
	format!(
		r#"{{"jsonrpc":"2.0","id":1,"method":"{RPC_METHOD}","params":["0x{}",{chunk_index}]}}"#,
		to_hex(root.as_bytes())
	)
}

/// Reads the chunk bytes and the decoded proof out of a `storage_chunkProof` response.
pub fn parse_response(body: &[u8]) -> Result<(Vec<u8>, ChunkProof), OcwError> {
	let value: serde_json::Value = serde_json::from_slice(body).map_err(|_| OcwError::Json)?;
	if let Some(error) = value.get("error") {
		return Err(OcwError::Rpc(error.get("code").and_then(|code| code.as_i64()).unwrap_or(0)));
	}
	let result = value.get("result").ok_or(OcwError::MissingField("result"))?;
	let field = |name: &'static str| {
		result.get(name).and_then(|field| field.as_str()).ok_or(OcwError::MissingField(name))
	};
	let chunk = from_hex(field("chunk")?).ok_or(OcwError::Hex("chunk"))?;
	let proof_bytes = from_hex(field("proof")?).ok_or(OcwError::Hex("proof"))?;
	let proof =
		ChunkProof::decode_all(&mut proof_bytes.as_slice()).map_err(|_| OcwError::ProofEncoding)?;
	Ok((chunk, proof))
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
