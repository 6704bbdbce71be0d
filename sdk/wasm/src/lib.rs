//! `zerog-sdk-wasm`: the DA erasure coding and shard checks of [`zerog_primitives::da`] and the
//! encrypted files and sealed keys of [`zerog_primitives::encryption`] for JavaScript, so
//! `@zerog/sdk` encodes, verifies and rebuilds blobs, and encrypts, decrypts, seals and opens,
//! with the very code the node, the CLI and the runtime use (the TypeScript SDK cannot drift
//! from the chain's rules).
//!
//! Built for `wasm32-unknown-unknown` by `sdk/wasm/build.sh` into `sdk/dist/zerog_sdk.wasm`, and
//! loaded by `sdk/src/wasm.js` for `sdk/src/da.js` and `sdk/src/encryption.js`.
//! The interface is a plain C ABI over the module's memory, not wasm-bindgen's: the SDK passes
//! SCALE bytes in and reads SCALE bytes out, which needs no generated glue (and no
//! `wasm-bindgen` CLI matching the crate's version).
//!
//! ## ABI
//!
//! - `zg_alloc(len) -> ptr` and `zg_free(ptr, len)`: a buffer for the input.
//! - `zg_encode_blob(ptr, len, k, m)`, `zg_decode_blob(ptr, len)`, `zg_verify_shard(ptr, len)`
//!   read their input from `ptr..ptr + len` (the caller frees it) and return 0 on success, 1 on
//!   failure.
//! - `zg_seal_chunk`, `zg_open_chunk`, `zg_account_key`, `zg_seal_key`, `zg_open_key`
//!   (`encryption`), the same way.
//! - `zg_result_ptr()` and `zg_result_len()`: the last call's output, valid until the next
//!   call; on failure a UTF-8 message `"<ErrorName>: <what went wrong>"`.
//!
//! The functions behind it ([`encode`], [`decode`], [`verify`] and those of [`encryption`]) are
//! plain Rust, tested here.

pub mod encryption;

use codec::{DecodeAll, Encode};
use std::cell::RefCell;
use zerog_primitives::da::{
	decode_blob, encode_blob, verify_shard, BlobCommitment, Error, ShardProof,
};

/// Why a call failed: the name of the [`Error`] variant (or `Malformed` for input that does not
/// decode) and its message.
#[derive(Debug, PartialEq, Eq)]
pub struct Failure {
	/// The error's name, as the Rust enum spells it.
	pub name: String,
	/// What went wrong.
	pub message: String,
}

impl Failure {
	/// A failure named by an error's `Debug` text (its variant, without fields).
	pub fn named(debug: String, message: String) -> Self {
		let name = debug.split([' ', '{', '(']).next().unwrap_or_default().to_owned();
		Self { name, message }
	}
}

impl From<Error> for Failure {
	fn from(error: Error) -> Self {
		Self::named(format!("{error:?}"), error.to_string())
	}
}

impl From<codec::Error> for Failure {
	fn from(error: codec::Error) -> Self {
		Self { name: "Malformed".into(), message: format!("the input does not decode: {error}") }
	}
}

/// What [`encode`] returns, SCALE-encoded: the commitment, the `k + m` shards, their proofs
/// and the data shards' encoding fingerprints.
pub type EncodedOutput = (BlobCommitment, Vec<Vec<u8>>, Vec<ShardProof>, Vec<u8>);

/// Erasure-codes `blob` into `data_shards` + `parity_shards` committed shards.
pub fn encode(blob: &[u8], data_shards: u16, parity_shards: u16) -> Result<Vec<u8>, Failure> {
	let encoded = encode_blob(blob, data_shards, parity_shards)?;
	let output: EncodedOutput =
		(encoded.commitment, encoded.shards, encoded.proofs, encoded.fingerprints);
	Ok(output.encode())
}

/// Rebuilds a blob from SCALE `(BlobCommitment, Vec<(u16, Vec<u8>, ShardProof)>)`: at least
/// `k` shards, each checked against the commitment, the result re-encoded and checked against
/// the root (so every set of `k` shards gives the same bytes or an error).
pub fn decode(input: &[u8]) -> Result<Vec<u8>, Failure> {
	let (commitment, shards) =
		<(BlobCommitment, Vec<(u16, Vec<u8>, ShardProof)>)>::decode_all(&mut &input[..])?;
	let borrowed: Vec<(u16, &[u8], &ShardProof)> =
		shards.iter().map(|(index, shard, proof)| (*index, shard.as_slice(), proof)).collect();
	Ok(decode_blob(&commitment, &borrowed)?)
}

/// Checks SCALE `(BlobCommitment, u16 index, Vec<u8> shard, ShardProof)`: whether the shard is
/// shard `index` of the committed blob.
pub fn verify(input: &[u8]) -> Result<Vec<u8>, Failure> {
	let (commitment, index, shard, proof) =
		<(BlobCommitment, u16, Vec<u8>, ShardProof)>::decode_all(&mut &input[..])?;
	verify_shard(&commitment, index, &shard, &proof)?;
	Ok(Vec::new())
}

thread_local! {
	/// The output of the last call (the module runs on one thread).
	static RESULT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Keeps `outcome` as the result; 0 for success, 1 for failure.
fn finish(outcome: Result<Vec<u8>, Failure>) -> u32 {
	let (code, bytes) = match outcome {
		Ok(bytes) => (0, bytes),
		Err(failure) => (1, format!("{}: {}", failure.name, failure.message).into_bytes()),
	};
	RESULT.with(|result| *result.borrow_mut() = bytes);
	code
}

/// The caller's input buffer.
///
/// # Safety
/// `ptr..ptr + len` must be memory the caller wrote, from [`zg_alloc`].
unsafe fn input<'a>(ptr: *const u8, len: usize) -> &'a [u8] {
	if len == 0 {
		return &[];
	}
	// SAFETY: the caller passes a buffer it allocated with `zg_alloc(len)` and filled.
	unsafe { std::slice::from_raw_parts(ptr, len) }
}

/// A buffer of `len` bytes for the caller to write an input into.
#[no_mangle]
pub extern "C" fn zg_alloc(len: usize) -> *mut u8 {
	let mut buffer = Vec::<u8>::with_capacity(len.max(1));
	let ptr = buffer.as_mut_ptr();
	std::mem::forget(buffer);
	ptr
}

/// Frees a buffer from [`zg_alloc`].
///
/// # Safety
/// `ptr` and `len` must be those of one [`zg_alloc`] call, freed once.
#[no_mangle]
pub unsafe extern "C" fn zg_free(ptr: *mut u8, len: usize) {
	// SAFETY: the buffer was allocated by `zg_alloc(len)` with capacity `len.max(1)`.
	drop(unsafe { Vec::from_raw_parts(ptr, 0, len.max(1)) });
}

/// Where the last call's output starts.
#[no_mangle]
pub extern "C" fn zg_result_ptr() -> *const u8 {
	RESULT.with(|result| result.borrow().as_ptr())
}

/// How long the last call's output is.
#[no_mangle]
pub extern "C" fn zg_result_len() -> usize {
	RESULT.with(|result| result.borrow().len())
}

/// [`encode`] of the blob at `ptr..ptr + len`.
///
/// # Safety
/// See [`input`].
#[no_mangle]
pub unsafe extern "C" fn zg_encode_blob(ptr: *const u8, len: usize, k: u32, m: u32) -> u32 {
	// SAFETY: forwarded from the caller.
	let blob = unsafe { input(ptr, len) };
	let coding = |n: u32| u16::try_from(n).unwrap_or(u16::MAX);
	finish(encode(blob, coding(k), coding(m)))
}

/// Declares `zg_<name>(ptr, len) -> status` exports over functions of one SCALE input.
macro_rules! exports {
	($($(#[$doc:meta])* $export:ident => $function:path;)*) => {$(
		$(#[$doc])*
		///
		/// # Safety
		/// See [`input`].
		#[no_mangle]
		pub unsafe extern "C" fn $export(ptr: *const u8, len: usize) -> u32 {
			// SAFETY: forwarded from the caller.
			finish($function(unsafe { input(ptr, len) }))
		}
	)*};
}

exports! {
	/// [`decode`] of the input at `ptr..ptr + len`.
	zg_decode_blob => decode;
	/// [`verify`] of the input at `ptr..ptr + len`.
	zg_verify_shard => verify;
	/// [`encryption::seal_chunk`] of the input at `ptr..ptr + len`.
	zg_seal_chunk => encryption::seal_chunk;
	/// [`encryption::open_chunk`] of the input at `ptr..ptr + len`.
	zg_open_chunk => encryption::open_chunk;
	/// [`encryption::account_key`] of the input at `ptr..ptr + len`.
	zg_account_key => encryption::account_key;
	/// [`encryption::seal_key`] of the input at `ptr..ptr + len`.
	zg_seal_key => encryption::seal_key;
	/// [`encryption::open_key`] of the input at `ptr..ptr + len`.
	zg_open_key => encryption::open_key;
}

#[cfg(test)]
mod tests;
