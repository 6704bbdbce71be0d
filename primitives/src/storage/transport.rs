//! The storage data plane: how segments travel between nodes and clients over HTTP.
//!
//! Bulk bytes do not go through JSON-RPC (a 256 KiB segment would travel as 512 KiB of hex in a
//! JSON string). Every node serves its data store at a plain HTTP/1.1 and HTTP/2 endpoint, the
//! one a storage provider registers on chain, with these routes (`{root}` is `0x`-hex, `{size}`
//! the file's size in bytes: a file is always addressed by its whole commitment):
//!
//! | method and path | body | answer |
//! |---|---|---|
//! | `GET {FILES_PATH}/{root}/{size}` | | JSON [`FileStatus`]-shaped: segments stored, finalized |
//! | `GET {FILES_PATH}/{root}/{size}/missing?from=F&limit=L` | | JSON `{"missing": [indices]}` |
//! | `GET {FILES_PATH}/{root}/{size}/segments/{index}` | | SCALE [`SegmentEnvelope`] |
//! | `PUT {FILES_PATH}/{root}/{size}/segments/{index}` | SCALE [`SegmentEnvelope`] | JSON |
//!
//! A refusal is a JSON body `{"code": <the storage_* JSON-RPC error code>, "message": "..."}`
//! with a 4xx or 5xx status. Nothing a server sends is trusted: every segment is checked against
//! the root its reader knows from the chain.

use alloc::{format, string::String, vec::Vec};

use codec::{Decode, Encode};
use polkadot_sdk::sp_core::H256;

use super::{SegmentProof, SEGMENT_SIZE};

/// Path under which a node serves files.
pub const FILES_PATH: &str = "/storage/v1/files";

/// Media type of a [`SegmentEnvelope`] body.
pub const SEGMENT_MEDIA_TYPE: &str = "application/vnd.zerog.segment+scale";

/// Largest body a [`SegmentEnvelope`] can need: a full segment, a proof of the deepest file tree
/// and the SCALE lengths around them (with room to spare).
pub const MAX_ENVELOPE_BYTES: usize = SEGMENT_SIZE + 4096;

/// A segment with its proof against the file root, as it travels in an HTTP body.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct SegmentEnvelope {
	/// The segment's proof in the file tree.
	pub proof: SegmentProof,
	/// The segment's bytes (the last segment without padding).
	pub data: Vec<u8>,
}

/// `0x`-hex of a root, as it appears in paths.
fn root_hex(root: &H256) -> String {
	crate::hex::to_prefixed_hex(root.as_bytes())
}

/// Path of the file `(root, size)`: `GET` it for its status.
pub fn file_path(root: &H256, size: u64) -> String {
	format!("{FILES_PATH}/{}/{size}", root_hex(root))
}

/// Path of segment `index` of the file `(root, size)`: `GET` or `PUT` a [`SegmentEnvelope`].
pub fn segment_path(root: &H256, size: u64, index: u64) -> String {
	format!("{}/segments/{index}", file_path(root, size))
}

/// Path asking for at most `limit` indices, from `from` on, of segments not stored.
pub fn missing_path(root: &H256, size: u64, from: u64, limit: u64) -> String {
	format!("{}/missing?from={from}&limit={limit}", file_path(root, size))
}

/// What a path of the data plane names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
	/// `{FILES_PATH}/{root}/{size}`.
	File { root: H256, size: u64 },
	/// `{FILES_PATH}/{root}/{size}/missing`.
	Missing { root: H256, size: u64 },
	/// `{FILES_PATH}/{root}/{size}/segments/{index}`.
	Segment { root: H256, size: u64, index: u64 },
}

/// Parses the path part of a request (without the query); `Err` says what is wrong with it.
pub fn parse_route(path: &str) -> Result<Route, String> {
	let rest = path
		.strip_prefix(FILES_PATH)
		.and_then(|rest| rest.strip_prefix('/'))
		.ok_or_else(|| format!("no such path: {path} (files are under {FILES_PATH}/)"))?;
	let parts: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
	let (root, size, tail) = match parts.as_slice() {
		[root, size, tail @ ..] => (*root, *size, tail),
		_ => return Err(format!("{path}: expected {FILES_PATH}/{{root}}/{{size}}")),
	};
	let root = crate::hex::parse_h256(root).map_err(|reason| format!("root {root:?}: {reason}"))?;
	let size: u64 = size.parse().map_err(|_| format!("size {size:?} is not a number of bytes"))?;
	match tail {
		[] => Ok(Route::File { root, size }),
		["missing"] => Ok(Route::Missing { root, size }),
		["segments", index] => {
			let index =
				index.parse().map_err(|_| format!("segment index {index:?} is not a number"))?;
			Ok(Route::Segment { root, size, index })
		},
		_ => Err(format!("no such path: {path}")),
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn paths_parse_back_into_their_routes() {
		let root = H256::repeat_byte(0xab);
		assert_eq!(parse_route(&file_path(&root, 7)), Ok(Route::File { root, size: 7 }));
		assert_eq!(
			parse_route(&segment_path(&root, 1 << 30, 5)),
			Ok(Route::Segment { root, size: 1 << 30, index: 5 })
		);
		let missing = missing_path(&root, 9, 0, 10);
		let (path, query) = missing.split_once('?').unwrap();
		assert_eq!(query, "from=0&limit=10");
		assert_eq!(parse_route(path), Ok(Route::Missing { root, size: 9 }));
	}

	#[test]
	fn malformed_paths_say_what_is_wrong() {
		let root = root_hex(&H256::zero());
		for (path, needle) in [
			("/other", "no such path"),
			(&format!("{FILES_PATH}/{root}") as &str, "expected"),
			(&format!("{FILES_PATH}/0x12/5"), "root"),
			(&format!("{FILES_PATH}/{root}/-1"), "size"),
			(&format!("{FILES_PATH}/{root}/5/segments/x"), "segment index"),
			(&format!("{FILES_PATH}/{root}/5/chunks/1"), "no such path"),
		] {
			let error = parse_route(path).unwrap_err();
			assert!(error.contains(needle), "{path}: {error}");
		}
	}

	#[test]
	fn any_path_parses_or_is_refused_without_panicking() {
		arbtest::arbtest(|u| {
			let tail: String = u.arbitrary()?;
			let path = if u.arbitrary()? { format!("{FILES_PATH}/{tail}") } else { tail };
			if let Ok(Route::Segment { root, size, index }) = parse_route(&path) {
				assert_eq!(parse_route(&segment_path(&root, size, index)), parse_route(&path));
			}
			Ok(())
		});
	}

	#[test]
	fn an_envelope_is_at_most_the_body_limit() {
		let envelope = SegmentEnvelope {
			proof: SegmentProof {
				segment_index: u64::MAX,
				path: alloc::vec![H256::zero(); super::super::MAX_FILE_TREE_DEPTH as usize]
					.try_into()
					.unwrap(),
			},
			data: alloc::vec![0; SEGMENT_SIZE],
		};
		assert!(envelope.encoded_size() <= MAX_ENVELOPE_BYTES);
	}
}
