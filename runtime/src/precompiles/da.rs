//! `IZeroGDA`: submit blob commitments and check certificates from Solidity; a rollup's
//! contract asks `isCertified` before it accepts a batch that refers to a blob.

use super::{
	address, address_of, charge_reads, dispatch_as_caller, emit, refuse_delegate_and_value, revert,
};
use crate::Runtime;
use alloc::vec::Vec;
use core::num::NonZero;
use pallet_da_attestations::{BlobIds, BlobInfo as StoredBlob, BlobStatus as StoredStatus, Blobs};
use pallet_revive::precompiles::{
	alloy::{self, sol_types::SolCall},
	AddressMatcher, Error, Ext, Precompile, H256,
};
use zerog_primitives::da::BlobCommitment;

alloy::sol!("../sdk/solidity/IZeroGDA.sol");
use IZeroGDA::{IZeroGDACalls as Call, *};

/// How many submissions of one root `isCertified` looks at. Only the real shape of a root can
/// be certified (the root binds size and coding); other shapes only cost their submitter a
/// fee, and cannot make the check cost more than this many reads.
pub const MAX_SHAPES_SCANNED: usize = 16;

/// The DA pallet as the precompile `IZeroGDA`.
pub struct DaPrecompile;

impl Precompile for DaPrecompile {
	type T = Runtime;
	type Interface = Call;
	const MATCHER: AddressMatcher =
		AddressMatcher::Fixed(NonZero::new(address::DA).expect("not zero"));
	const HAS_CONTRACT_INFO: bool = false;

	fn call(
		_address: &[u8; 20],
		input: &Self::Interface,
		env: &mut impl Ext<T = Self::T>,
	) -> Result<Vec<u8>, Error> {
		refuse_delegate_and_value(env)?;
		match input {
			Call::submitBlob(call) => submit_blob(env, call),
			Call::blobInfo(call) => {
				charge_reads(env, 2)?;
				let shape = (call.sizeBytes, call.dataShards, call.parityShards);
				let blob = BlobIds::<Runtime>::get(H256(call.root.0), shape)
					.and_then(|id| Blobs::<Runtime>::get(id).map(|blob| (id, blob)));
				Ok(blobInfoCall::abi_encode_returns(&blob.map(info).unwrap_or_else(unknown)))
			},
			Call::isCertified(call) => {
				let mut certified = false;
				for (_, id) in
					BlobIds::<Runtime>::iter_prefix(H256(call.root.0)).take(MAX_SHAPES_SCANNED)
				{
					// The key and the blob: each read is paid before the next.
					charge_reads(env, 2)?;
					if Blobs::<Runtime>::get(id)
						.is_some_and(|blob| matches!(blob.status, StoredStatus::Certified { .. }))
					{
						certified = true;
						break;
					}
				}
				charge_reads(env, 1)?; // the read that ends the scan
				Ok(isCertifiedCall::abi_encode_returns(&certified))
			},
		}
	}
}

/// `submitBlob`: the caller submits and pays for the commitment.
fn submit_blob(env: &mut impl Ext<T = Runtime>, call: &submitBlobCall) -> Result<Vec<u8>, Error> {
	let root = H256(call.root.0);
	let commitment = BlobCommitment {
		root,
		size_bytes: call.sizeBytes,
		data_shards: call.dataShards,
		parity_shards: call.parityShards,
	};
	let submitter = dispatch_as_caller(
		env,
		pallet_da_attestations::Call::<Runtime>::submit_blob {
			commitment,
			namespace: call.namespace,
		},
	)?;
	let shape = (call.sizeBytes, call.dataShards, call.parityShards);
	let id = BlobIds::<Runtime>::get(root, shape).ok_or(revert("UnknownBlob"))?;
	emit(
		env,
		BlobSubmitted {
			blobId: id,
			root: call.root,
			submitter: address_of(&submitter),
			namespace: call.namespace,
		},
	)?;
	Ok(submitBlobCall::abi_encode_returns(&id))
}

/// The `BlobInfo` of a commitment the chain does not hold.
fn unknown() -> BlobInfo {
	BlobInfo {
		status: BlobStatus::Unknown,
		id: 0,
		sizeBytes: 0,
		dataShards: 0,
		parityShards: 0,
		namespace: 0,
		epoch: 0,
		quorum: 0,
		submittedAt: 0,
		certifiedAt: 0,
	}
}

/// A stored blob as the interface's `BlobInfo`.
fn info((id, blob): (u64, StoredBlob<Runtime>)) -> BlobInfo {
	let (status, certified_at) = match blob.status {
		StoredStatus::Pending => (BlobStatus::Pending, 0),
		StoredStatus::Certified { at } => (BlobStatus::Certified, at),
	};
	BlobInfo {
		status,
		id,
		sizeBytes: blob.commitment.size_bytes,
		dataShards: blob.commitment.data_shards,
		parityShards: blob.commitment.parity_shards,
		namespace: blob.namespace,
		epoch: blob.epoch,
		quorum: blob.quorum,
		submittedAt: blob.submitted_at,
		certifiedAt: certified_at,
	}
}
