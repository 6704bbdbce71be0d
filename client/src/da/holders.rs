//! Who holds a blob's shards: the members of its quorum with their endpoints and shard ranges,
//! as `DaAttestationsApi::shard_holders` answers, and the shard sources a reader fetches from.

use std::ops::Range;

use codec::{Decode, Encode};
use futures::future::join_all;
use zerog_primitives::da::{verify_shard, BlobCommitment, ShardProof};

use crate::error::ClientError;
use crate::rpc::{NodeRpc, RpcError};

/// `pallet_da_attestations::ShardHolder<AccountId32>`, field for field.
#[derive(Clone, Debug, Decode, PartialEq, Eq)]
pub struct ShardHolderView {
	/// The member's account.
	pub account: [u8; 32],
	/// Its registered endpoint (a URL by convention).
	pub endpoint: Vec<u8>,
	/// First shard index it holds.
	pub first_shard: u16,
	/// One past its last shard index.
	pub end_shard: u16,
}

impl ShardHolderView {
	/// The endpoint as text, if it is UTF-8 and not empty.
	pub fn url(&self) -> Option<String> {
		String::from_utf8(self.endpoint.clone()).ok().filter(|url| !url.is_empty())
	}

	/// The shard indices it holds.
	pub fn shards(&self) -> Range<u16> {
		self.first_shard..self.end_shard
	}
}

/// `pallet_da_attestations::BlobAssignment<AccountId32>`, field for field.
#[derive(Clone, Debug, Decode, PartialEq, Eq)]
pub struct BlobAssignmentView {
	/// The epoch of the quorum.
	pub epoch: u32,
	/// The quorum's index in its epoch.
	pub quorum: u32,
	/// Its members, in quorum order.
	pub holders: Vec<ShardHolderView>,
}

impl BlobAssignmentView {
	/// The members' endpoints, each once, with every shard index held behind it (a node may
	/// run several members' keys), in quorum order.
	pub fn endpoints(&self) -> Vec<(String, Vec<u16>)> {
		let mut endpoints: Vec<(String, Vec<u16>)> = Vec::new();
		for holder in &self.holders {
			let Some(url) = holder.url() else { continue };
			match endpoints.iter_mut().find(|(known, _)| *known == url) {
				Some((_, indices)) => indices.extend(holder.shards()),
				None => endpoints.push((url, holder.shards().collect())),
			}
		}
		for (_, indices) in &mut endpoints {
			indices.sort_unstable();
			indices.dedup();
		}
		endpoints
	}
}

/// `DaAttestationsApi::shard_holders(commitment)` at the node's best block: the quorum of the
/// blob, or the one it would get if submitted now.
pub async fn shard_holders(
	rpc: &NodeRpc,
	commitment: &BlobCommitment,
) -> Result<Option<BlobAssignmentView>, ClientError> {
	const METHOD: &str = "DaAttestationsApi_shard_holders";
	let bytes = rpc.state_call(METHOD, &commitment.encode()).await?;
	Option::<BlobAssignmentView>::decode(&mut &bytes[..]).map_err(|error| {
		ClientError::Rpc(RpcError::BadResponse {
			url: rpc.url().to_owned(),
			method: "state_call",
			reason: format!("{METHOD} result does not decode: {error}"),
		})
	})
}

/// Where a reader fetches shards: each quorum member's node for its range, then the node the
/// reader asked (which may hold shards too). Every shard is checked against the commitment.
pub struct ShardSources<'a> {
	node: &'a NodeRpc,
	members: Vec<(NodeRpc, Vec<u16>)>,
}

impl<'a> ShardSources<'a> {
	/// Connects to the members of `assignment` (those that cannot be reached are left out) next
	/// to `node`.
	pub async fn connect(node: &'a NodeRpc, assignment: Option<&BlobAssignmentView>) -> Self {
		let endpoints = assignment.map(BlobAssignmentView::endpoints).unwrap_or_default();
		let connected = join_all(endpoints.into_iter().filter(|(url, _)| url != node.url()).map(
			|(url, indices)| async move {
				NodeRpc::connect(&url).await.ok().map(|member| (member, indices))
			},
		))
		.await;
		Self { node, members: connected.into_iter().flatten().collect() }
	}

	/// Every shard index below `total` once: the members' ranges interleaved (one index of each
	/// member in turn), then the indices no reachable member holds. Fetching in this order
	/// spreads each batch of requests over the members instead of draining one after another,
	/// and reaches past a member that serves bad shards early.
	pub fn fetch_order(&self, total: u16) -> Vec<u16> {
		interleave(self.members.iter().map(|(_, indices)| indices.as_slice()), total)
	}

	/// Shard `index` of `commitment`'s blob and its proof, verified: from the members holding it,
	/// then from the asked node. The error names every source's problem.
	pub async fn fetch(
		&self,
		commitment: &BlobCommitment,
		index: u16,
	) -> Result<(Vec<u8>, ShardProof), String> {
		let holders = self
			.members
			.iter()
			.filter(|(_, indices)| indices.binary_search(&index).is_ok())
			.map(|(member, _)| member);
		let mut problems = Vec::new();
		for source in holders.chain(std::iter::once(self.node)) {
			match fetch_verified(source, commitment, index).await {
				Ok(shard) => return Ok(shard),
				Err(problem) => problems.push(format!("{}: {problem}", source.url())),
			}
		}
		Err(format!("shard {index}: {}", problems.join("; ")))
	}
}

/// The indices of `ranges`, one of each in turn, then the rest below `total`, each once.
fn interleave<'r>(ranges: impl Iterator<Item = &'r [u16]>, total: u16) -> Vec<u16> {
	let ranges: Vec<&[u16]> = ranges.collect();
	let mut seen = vec![false; usize::from(total)];
	let mut order = Vec::with_capacity(usize::from(total));
	let longest = ranges.iter().map(|range| range.len()).max().unwrap_or(0);
	for position in 0..longest {
		for range in &ranges {
			if let Some(index) = range.get(position) {
				if let Some(slot) = seen.get_mut(usize::from(*index)).filter(|slot| !**slot) {
					*slot = true;
					order.push(*index);
				}
			}
		}
	}
	order.extend((0..total).filter(|index| !seen[usize::from(*index)]));
	order
}

/// Fetches shard `index` from `rpc` and checks it against `commitment`.
async fn fetch_verified(
	rpc: &NodeRpc,
	commitment: &BlobCommitment,
	index: u16,
) -> Result<(Vec<u8>, ShardProof), String> {
	let (shard, proof) =
		rpc.get_shard(&commitment.root, index).await.map_err(|error| error.to_string())?;
	let proof = ShardProof::decode(&mut &proof[..])
		.map_err(|error| format!("the proof does not decode: {error}"))?;
	verify_shard(commitment, index, &shard, &proof).map_err(|error| error.to_string())?;
	Ok((shard, proof))
}

#[cfg(test)]
mod tests {
	use super::*;

	fn holder(url: &str, shards: Range<u16>) -> ShardHolderView {
		ShardHolderView {
			account: [0; 32],
			endpoint: url.as_bytes().to_vec(),
			first_shard: shards.start,
			end_shard: shards.end,
		}
	}

	#[test]
	fn endpoints_merge_the_ranges_of_members_sharing_a_node() {
		let assignment = BlobAssignmentView {
			epoch: 3,
			quorum: 1,
			holders: vec![
				holder("http://a", 0..2),
				holder("http://b", 2..4),
				holder("", 4..5),
				holder("http://a", 5..6),
			],
		};
		assert_eq!(
			assignment.endpoints(),
			vec![("http://a".to_owned(), vec![0, 1, 5]), ("http://b".to_owned(), vec![2, 3])]
		);
	}

	#[test]
	fn fetch_order_interleaves_members_then_covers_the_rest() {
		let a = [0u16, 1, 2];
		let b = [3u16, 4];
		let order = interleave([a.as_slice(), b.as_slice()].into_iter(), 7);
		assert_eq!(order, vec![0, 3, 1, 4, 2, 5, 6]);
		// Shared and out-of-range indices appear once, or not at all.
		let order = interleave([[1u16, 9].as_slice(), [1u16].as_slice()].into_iter(), 3);
		assert_eq!(order, vec![1, 0, 2]);
		assert_eq!(interleave(std::iter::empty(), 3), vec![0, 1, 2]);
	}

	#[test]
	fn assignments_decode_from_the_runtime_encoding() {
		let mut bytes = vec![1u8]; // Some
		7u32.encode_to(&mut bytes);
		2u32.encode_to(&mut bytes);
		codec::Compact(1u32).encode_to(&mut bytes);
		[5u8; 32].encode_to(&mut bytes);
		b"http://x".to_vec().encode_to(&mut bytes);
		4u16.encode_to(&mut bytes);
		9u16.encode_to(&mut bytes);
		let view = Option::<BlobAssignmentView>::decode(&mut &bytes[..]).unwrap().unwrap();
		assert_eq!((view.epoch, view.quorum), (7, 2));
		assert_eq!(view.holders[0].url().as_deref(), Some("http://x"));
		assert_eq!(view.holders[0].shards(), 4..9);
	}
}
