//! The off-chain worker of DA signers: fetch the assigned shards of pending blobs from the local
//! node, verify them against the commitments and attest in one signed transaction per block.
//!
//! ## What it does each block
//!
//! 1. Lists the sr25519 keys of type [`KEY_TYPE`](crate::KEY_TYPE) in the local keystore whose
//!    account is a registered signer (the signer account *is* the DA key's account).
//! 2. For each, walks the pending blobs that can still be attested in the next block
//!    ([`Pallet::pending_blob_ids`]) and keeps those of the quorum it belongs to and has not yet
//!    attested, at most `MaxAttestationBatch`, skipping blobs it sent an attestation for in the
//!    last [`RESEND_AFTER_BLOCKS`] blocks (recorded in persistent local storage under
//!    [`SENT_KEY_PREFIX`] `++ SCALE(account)`).
//! 3. For each such blob, fetches every assigned shard ([`Pallet::assigned_shards`]) with
//!    `da_getShard` and checks it with `zerog_primitives::da::verify_shard`. A blob is attested
//!    only if all its assigned shards verify.
//! 4. Sends one signed `attest` with the verified blob ids, signed by the DA key.
//!
//! The chain re-checks membership, expiry and double attestation; the worker only gathers the
//! evidence (the shards) the chain cannot see.
//!
//! Before attesting, each key with an open custody challenge ([`CustodyChallenges`]) answers it:
//! the worker asks the node for the chunk with `da_getChunk` (same URL and JSON-RPC shape,
//! `params: ["0x<root>", <shard>, <chunk>]`, answer `{"chunk": "0x..", "proof": "0x<SCALE
//! ChunkProof>"}`), checks it with `zerog_primitives::da::verify_chunk` and sends one signed
//! `answer_custody`, at most once per [`RESEND_AFTER_BLOCKS`] blocks per challenge (recorded
//! under [`CUSTODY_SENT_KEY_PREFIX`] `++ SCALE(account)`).
//!
//! ## The node contract (`da_getShard`)
//!
//! `POST` to the URL in persistent local storage under [`RPC_URL_KEY`] (raw UTF-8 bytes, no SCALE
//! prefix; default [`DEFAULT_RPC_URL`]) with `Content-Type: application/json` and the body
//! [`shard_request_body`]:
//!
//! ```json
//! {"jsonrpc":"2.0","id":1,"method":"da_getShard","params":["0x<root, 64 lowercase hex>",<index>]}
//! ```
//!
//! The answer must be HTTP 200 with `{"jsonrpc":"2.0","id":1,"result":{"shard":"0x<hex>",
//! "proof":"0x<hex of the SCALE-encoded ShardProof>"}}`. Anything else (a JSON-RPC `error`, a
//! timeout after [`HTTP_DEADLINE_MS`], bad hex, a proof that does not decode or verify) means the
//! shard is not held, and the blob is not attested this block.

use crate::{
	BlobId, Blobs, Call, Config, CustodyChallenge, CustodyChallenges, Pallet, Quorums, Signers,
	LOG_TARGET,
};
use alloc::{format, string::String, vec, vec::Vec};
use codec::DecodeAll;
use polkadot_sdk::{
	frame_support::{traits::Get, BoundedVec},
	frame_system::{
		offchain::{Account, SendSignedTransaction, Signer},
		pallet_prelude::BlockNumberFor,
	},
	sp_core::{hexdisplay::HexDisplay, offchain::StorageKind, H256},
	sp_io,
	sp_runtime::{
		offchain::{http, storage::StorageValueRef, Duration},
		traits::Saturating,
	},
};
use zerog_primitives::{
	da::{verify_chunk, verify_shard, BlobCommitment, ChunkProof, ShardProof},
	hex::from_hex,
};

/// Persistent local-storage key of the node's JSON-RPC URL (raw UTF-8).
pub const RPC_URL_KEY: &[u8] = b"zerog::da::rpc";

/// The URL used when [`RPC_URL_KEY`] is not set: the node's own RPC on loopback.
pub const DEFAULT_RPC_URL: &str = "http://127.0.0.1:9944";

/// Milliseconds one `da_getShard` request may take, sending and answering.
pub const HTTP_DEADLINE_MS: u64 = 10_000;

/// Prefix of the persistent local-storage key that records, per signer account, the last block
/// an attestation was sent in and the blob ids it covered.
pub const SENT_KEY_PREFIX: &[u8] = b"zerog::da::sent::";

/// Longest `da_getShard` answer read: a shard of the largest blob with a single data shard, in
/// hex, plus room for the proof and the JSON around them. A longer answer is refused unread.
pub const MAX_RESPONSE_BYTES: usize = 2 * zerog_primitives::da::MAX_BLOB_SIZE as usize + 64 * 1024;

/// Blocks to wait before attesting again to a blob an attestation was already sent for (it may
/// still be in the transaction pool), or answering the same custody challenge again. An answer
/// the pool dropped (another transaction of the signer's account took its nonce) must be sent
/// again while the challenge is open, so this stays below the runtime's `CustodyWindow` less one
/// block for inclusion (checked by the pallet's `integrity_test`).
pub const RESEND_AFTER_BLOCKS: u32 = 2;

/// Prefix of the persistent local-storage key that records, per signer account, the custody
/// challenge last answered and the block the answer was sent in.
pub const CUSTODY_SENT_KEY_PREFIX: &[u8] = b"zerog::da::custody::";

/// Why a shard could not be fetched or did not verify.
#[derive(Debug, PartialEq, Eq)]
pub enum FetchError {
	/// The request could not be sent or its answer read.
	Http,
	/// The node did not answer within [`HTTP_DEADLINE_MS`].
	Timeout,
	/// The node answered with this HTTP status instead of 200.
	Status(u16),
	/// The answer is not JSON with `result.shard` and `result.proof` strings (a JSON-RPC error,
	/// for instance).
	BadResponse,
	/// `shard` or `proof` is not hex.
	BadHex,
	/// The answer is longer than [`MAX_RESPONSE_BYTES`].
	ResponseTooLarge,
	/// `proof` is not a SCALE-encoded `ShardProof` (or `ChunkProof`).
	BadProof,
	/// The shard does not verify against the commitment.
	Invalid(zerog_primitives::da::Error),
}

impl<T: Config> Pallet<T> {
	/// Entry point of the off-chain worker; see the module docs.
	pub(crate) fn run_offchain_worker(now: BlockNumberFor<T>) {
		let accounts: Vec<Account<T>> = Signer::<T, T::AuthorityId>::keystore_accounts()
			.filter(|account| Signers::<T>::contains_key(&account.id))
			.collect();
		if accounts.is_empty() {
			return;
		}
		let url = rpc_url();
		let pending = Self::pending_blob_ids(now);
		for account in accounts {
			Self::answer_custody_challenge(&account, &url, now);
			let ids = Self::verified_duties(&account.id, &pending, &url, now);
			if !ids.is_empty() {
				Self::send_attestation(&account, ids, now);
			}
		}
	}

	/// The blobs of `pending` that `signer` still has to attest to and whose assigned shards it
	/// fetched from `url` and verified; at most `MaxAttestationBatch`.
	pub fn verified_duties(
		signer: &T::AccountId,
		pending: &[BlobId],
		url: &str,
		now: BlockNumberFor<T>,
	) -> Vec<BlobId> {
		let recently_sent = recently_sent::<T>(signer, now);
		let max = T::MaxAttestationBatch::get() as usize;
		let mut verified = Vec::new();
		for id in pending.iter().filter(|id| !recently_sent.contains(id)) {
			if verified.len() >= max {
				break;
			}
			let Some(blob) = Blobs::<T>::get(id) else { continue };
			let Some(quorum) = Quorums::<T>::get(blob.epoch, blob.quorum) else { continue };
			let Some((index, _)) = quorum.member(signer) else { continue };
			if blob.attesters.contains(&index) {
				continue;
			}
			let shards = Self::assigned_shards(
				blob.epoch,
				blob.quorum,
				signer,
				blob.commitment.total_shards(),
			);
			let all_verified = !shards.is_empty()
				&& shards.iter().all(|shard| {
					match fetch_and_verify(url, &blob.commitment, *shard) {
						Ok(()) => true,
						Err(error) => {
							log::warn!(
								target: LOG_TARGET,
								"blob {id}: shard {shard} not verified: {error:?}"
							);
							false
						},
					}
				});
			if all_verified {
				verified.push(*id);
			}
		}
		verified
	}

	/// Answers `account`'s open custody challenge, if any and not answered in the last
	/// [`RESEND_AFTER_BLOCKS`] blocks, with the chunk the node at `url` holds.
	fn answer_custody_challenge(account: &Account<T>, url: &str, now: BlockNumberFor<T>) {
		let Some(challenge) = CustodyChallenges::<T>::get(&account.id) else { return };
		if now > challenge.deadline {
			return;
		}
		let key = custody_sent_key::<T>(&account.id);
		let sent = StorageValueRef::persistent(&key)
			.get::<(BlockNumberFor<T>, CustodyChallenge<BlockNumberFor<T>>)>();
		if let Ok(Some((sent_at, answered))) = sent {
			if answered == challenge && now < sent_at.saturating_add(RESEND_AFTER_BLOCKS.into()) {
				return;
			}
		}
		let Some(blob) = Blobs::<T>::get(challenge.blob) else { return };
		let answer = fetch_chunk(url, &blob.commitment.root, challenge.shard, challenge.chunk)
			.and_then(|(chunk, proof)| {
				verify_chunk(&blob.commitment, challenge.shard, challenge.chunk, &chunk, &proof)
					.map_err(FetchError::Invalid)?;
				let chunk = BoundedVec::try_from(chunk).map_err(|_| FetchError::BadResponse)?;
				Ok((chunk, proof))
			});
		let (chunk, proof) = match answer {
			Ok(answer) => answer,
			Err(error) => {
				log::error!(
					target: LOG_TARGET,
					"custody challenge of blob {} (shard {}, chunk {}) cannot be answered: \
					 {error:?}; the stake will be slashed if it stays unanswered",
					challenge.blob,
					challenge.shard,
					challenge.chunk
				);
				return;
			},
		};
		let results = Signer::<T, T::AuthorityId>::all_accounts()
			.with_filter(vec![account.public.clone()])
			.send_signed_transaction(|_| Call::answer_custody {
				blob: challenge.blob,
				chunk: chunk.clone(),
				proof: proof.clone(),
			});
		for (_, result) in results {
			match result {
				Ok(()) => {
					StorageValueRef::persistent(&key).set(&(now, challenge));
					log::info!(
						target: LOG_TARGET,
						"answered the custody challenge of blob {}",
						challenge.blob
					);
				},
				Err(()) => log::error!(target: LOG_TARGET, "could not submit answer_custody"),
			}
		}
	}

	/// Sends one signed `attest` for `ids` from `account` and records it in local storage.
	fn send_attestation(account: &Account<T>, ids: Vec<BlobId>, now: BlockNumberFor<T>) {
		let blob_ids: BoundedVec<BlobId, T::MaxAttestationBatch> =
			BoundedVec::truncate_from(ids.clone());
		let results = Signer::<T, T::AuthorityId>::all_accounts()
			.with_filter(vec![account.public.clone()])
			.send_signed_transaction(|_| Call::attest { blob_ids: blob_ids.clone() });
		for (_, result) in results {
			match result {
				Ok(()) => {
					StorageValueRef::persistent(&sent_key::<T>(&account.id))
						.set(&(now, ids.clone()));
					log::info!(target: LOG_TARGET, "attested to {} blob(s)", ids.len());
				},
				Err(()) => log::error!(target: LOG_TARGET, "could not submit attest transaction"),
			}
		}
	}
}

/// The node's JSON-RPC URL: [`RPC_URL_KEY`] in persistent local storage, else
/// [`DEFAULT_RPC_URL`].
pub fn rpc_url() -> String {
	sp_io::offchain::local_storage_get(StorageKind::PERSISTENT, RPC_URL_KEY)
		.and_then(|bytes| String::from_utf8(bytes).ok())
		.filter(|url| !url.is_empty())
		.unwrap_or_else(|| DEFAULT_RPC_URL.into())
}

/// Local-storage key of the last attestation sent by `signer`.
fn sent_key<T: Config>(signer: &T::AccountId) -> Vec<u8> {
	let mut key = SENT_KEY_PREFIX.to_vec();
	codec::Encode::encode_to(signer, &mut key);
	key
}

/// Local-storage key of the last custody answer sent by `signer`.
fn custody_sent_key<T: Config>(signer: &T::AccountId) -> Vec<u8> {
	let mut key = CUSTODY_SENT_KEY_PREFIX.to_vec();
	codec::Encode::encode_to(signer, &mut key);
	key
}

/// Blob ids `signer` sent an attestation for fewer than [`RESEND_AFTER_BLOCKS`] blocks ago.
fn recently_sent<T: Config>(signer: &T::AccountId, now: BlockNumberFor<T>) -> Vec<BlobId> {
	match StorageValueRef::persistent(&sent_key::<T>(signer))
		.get::<(BlockNumberFor<T>, Vec<BlobId>)>()
	{
		Ok(Some((sent_at, ids))) if now < sent_at.saturating_add(RESEND_AFTER_BLOCKS.into()) => ids,
		_ => Vec::new(),
	}
}

/// The JSON-RPC request body asking for shard `index` of the blob with `root`.
pub fn shard_request_body(root: &H256, index: u16) -> Vec<u8> {
	format!(
		r#"{{"jsonrpc":"2.0","id":1,"method":"da_getShard","params":["0x{}",{}]}}"#,
		HexDisplay::from(&root.0),
		index
	)
	.into_bytes()
}

/// Fetches shard `index` of `commitment`'s blob from `url` and verifies it.
pub fn fetch_and_verify(
	url: &str,
	commitment: &BlobCommitment,
	index: u16,
) -> Result<(), FetchError> {
	let (shard, proof) = fetch_shard(url, &commitment.root, index)?;
	verify_shard(commitment, index, &shard, &proof).map_err(FetchError::Invalid)
}

/// Fetches shard `index` of the blob with `root` and its proof from the node at `url`.
pub fn fetch_shard(
	url: &str,
	root: &H256,
	index: u16,
) -> Result<(Vec<u8>, ShardProof), FetchError> {
	parse_shard_response(&post_json(url, shard_request_body(root, index))?)
}

/// The JSON-RPC request body asking for chunk `chunk` of shard `index` of the blob with `root`.
pub fn chunk_request_body(root: &H256, index: u16, chunk: u32) -> Vec<u8> {
	format!(
		r#"{{"jsonrpc":"2.0","id":1,"method":"da_getChunk","params":["0x{}",{},{}]}}"#,
		HexDisplay::from(&root.0),
		index,
		chunk
	)
	.into_bytes()
}

/// Fetches chunk `chunk` of shard `index` of the blob with `root` and its proof from `url`.
pub fn fetch_chunk(
	url: &str,
	root: &H256,
	index: u16,
	chunk: u32,
) -> Result<(Vec<u8>, ChunkProof), FetchError> {
	let body = post_json(url, chunk_request_body(root, index, chunk))?;
	let (chunk, proof_bytes) = hex_fields(&body, "chunk", "proof")?;
	let proof =
		ChunkProof::decode_all(&mut proof_bytes.as_slice()).map_err(|_| FetchError::BadProof)?;
	Ok((chunk, proof))
}

/// POSTs `body` to the node at `url` within [`HTTP_DEADLINE_MS`]; the answer's body, at most
/// [`MAX_RESPONSE_BYTES`].
fn post_json(url: &str, body: Vec<u8>) -> Result<Vec<u8>, FetchError> {
	let deadline = sp_io::offchain::timestamp().add(Duration::from_millis(HTTP_DEADLINE_MS));
	let pending = http::Request::post(url, vec![body.as_slice()])
		.add_header("Content-Type", "application/json")
		.deadline(deadline)
		.send()
		.map_err(|_| FetchError::Http)?;
	let response = pending
		.try_wait(deadline)
		.map_err(|_| FetchError::Timeout)?
		.map_err(|_| FetchError::Http)?;
	if response.code != 200 {
		return Err(FetchError::Status(response.code));
	}
	let body: Vec<u8> = response.body().take(MAX_RESPONSE_BYTES.saturating_add(1)).collect();
	if body.len() > MAX_RESPONSE_BYTES {
		return Err(FetchError::ResponseTooLarge);
	}
	Ok(body)
}

/// Parses a `da_getShard` answer into the shard bytes and its proof.
pub fn parse_shard_response(body: &[u8]) -> Result<(Vec<u8>, ShardProof), FetchError> {
	let (shard, proof_bytes) = hex_fields(body, "shard", "proof")?;
	let proof =
		ShardProof::decode_all(&mut proof_bytes.as_slice()).map_err(|_| FetchError::BadProof)?;
	Ok((shard, proof))
}

/// The bytes of the hex strings `result.<first>` and `result.<second>` of a JSON-RPC answer.
fn hex_fields(body: &[u8], first: &str, second: &str) -> Result<(Vec<u8>, Vec<u8>), FetchError> {
	let json: serde_json::Value =
		serde_json::from_slice(body).map_err(|_| FetchError::BadResponse)?;
	let result = json.get("result").ok_or(FetchError::BadResponse)?;
	let field = |name: &str| {
		result.get(name).and_then(|value| value.as_str()).ok_or(FetchError::BadResponse)
	};
	let first = from_hex(field(first)?).ok_or(FetchError::BadHex)?;
	let second = from_hex(field(second)?).ok_or(FetchError::BadHex)?;
	Ok((first, second))
}
