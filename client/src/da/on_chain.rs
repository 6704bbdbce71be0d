//! What the chain says about a blob, read through the `DaAttestationsApi` runtime API at the
//! node's best block: its summary (id, commitment, status, attested stake, quorum) and the block
//! that certified it.

use codec::{Decode, Encode};
use zerog_primitives::{da::BlobCommitment, Hash};

use crate::{error::ClientError, hexstr, rpc::NodeRpc};

/// Where a blob stands on chain, as `DaAttestationsApi::blob` encodes it.
///
/// Mirrors `pallet_da_attestations::BlobStatus<u32>`; decoded here rather than importing the
/// pallet, which would pull the runtime's whole dependency tree into the client.
#[derive(Clone, Copy, Debug, Decode, PartialEq, Eq)]
pub enum BlobStatusView {
	/// Waiting for attestations.
	Pending,
	/// Certified in block `at`.
	Certified {
		/// The block that certified it.
		at: u32,
	},
}

/// `pallet_da_attestations::BlobSummary<AccountId32, u128, u32>`, field for field.
#[derive(Clone, Debug, Decode, PartialEq, Eq)]
pub struct BlobSummaryView {
	/// The blob's id.
	pub id: u64,
	/// Who submitted it.
	pub submitter: [u8; 32],
	/// Its namespace.
	pub namespace: u32,
	/// Root, size and coding.
	pub commitment: BlobCommitment,
	/// The epoch whose quorum attests to it.
	pub epoch: u32,
	/// First block in which it can no longer be attested.
	pub expires_at: u32,
	/// Pending or certified.
	pub status: BlobStatusView,
	/// Attested stake so far.
	pub attested_stake: u128,
	/// Which of its epoch's quorums attests to it.
	pub quorum: u32,
}

/// Calls runtime API `method` of `DaAttestationsApi` with `argument` and decodes the answer.
async fn da_api<R: Decode>(
	rpc: &NodeRpc,
	method: &'static str,
	argument: &impl Encode,
) -> Result<R, ClientError> {
	Ok(rpc.runtime_api(method, argument).await?)
}

/// `DaAttestationsApi::blob_by_root(root)` at the node's best block: the certified blob with
/// this root if any, else a pending one.
pub async fn blob_summary(
	rpc: &NodeRpc,
	root: &Hash,
) -> Result<Option<BlobSummaryView>, ClientError> {
	da_api(rpc, "DaAttestationsApi_blob_by_root", root).await
}

/// `DaAttestationsApi::blob(commitment)` at the node's best block.
pub async fn blob_of(
	rpc: &NodeRpc,
	commitment: &BlobCommitment,
) -> Result<Option<BlobSummaryView>, ClientError> {
	da_api(rpc, "DaAttestationsApi_blob", commitment).await
}

/// `DaAttestationsApi::certification(commitment)`: the block that certified the blob, if any.
pub async fn certification(
	rpc: &NodeRpc,
	commitment: &BlobCommitment,
) -> Result<Option<u32>, ClientError> {
	da_api(rpc, "DaAttestationsApi_certification", commitment).await
}

/// The commitment the chain holds for `root`, or an error saying nothing can be verified.
pub async fn committed(rpc: &NodeRpc, root: &Hash) -> Result<BlobCommitment, ClientError> {
	match blob_summary(rpc, root).await? {
		Some(summary) => Ok(summary.commitment),
		None => Err(ClientError::Input(format!(
			"the chain has no pending or certified blob with root {} (never submitted, or \
			 expired): there is no commitment to verify shards against",
			hexstr::root(root)
		))),
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use zerog_primitives::da::encode_blob;
	#[test]
	fn blob_summaries_decode_from_the_runtime_encoding() {
		let commitment = encode_blob(b"hello", 2, 2).unwrap().commitment;
		let mut bytes = vec![1u8]; // Some
		7u64.encode_to(&mut bytes);
		[9u8; 32].encode_to(&mut bytes);
		3u32.encode_to(&mut bytes);
		commitment.encode_to(&mut bytes);
		2u32.encode_to(&mut bytes);
		100u32.encode_to(&mut bytes);
		bytes.push(1); // Certified
		42u32.encode_to(&mut bytes);
		5u128.encode_to(&mut bytes);
		1u32.encode_to(&mut bytes);
		let summary = Option::<BlobSummaryView>::decode(&mut &bytes[..]).unwrap().unwrap();
		assert_eq!(summary.id, 7);
		assert_eq!(summary.commitment, commitment);
		assert_eq!(summary.status, BlobStatusView::Certified { at: 42 });
		assert_eq!(summary.attested_stake, 5);
		assert_eq!(summary.quorum, 1);
	}
}
