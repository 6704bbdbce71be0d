//! The replicator against a mock chain, a real data store and sources that serve the file,
//! corrupt it, or fail.

use std::collections::HashMap;

use std::sync::Arc;

use polkadot_sdk::sp_core::H256;
use zerog_primitives::{
	hex::to_prefixed_hex,
	storage::{transport::SegmentEnvelope, FileTree, SEGMENT_SIZE},
};

use super::{data_url, fetch_file, Fetched, PendingFile, SegmentSource};
use crate::rpc::{
	storage::StorageRpc,
	tests::{block_on, bytes, chain_file, open_store, MockChain},
};

/// How a mock source answers.
#[derive(Clone, Copy)]
enum Behaviour {
	/// Serves every segment with its proof.
	Honest,
	/// Serves segment `n` with one byte flipped.
	Corrupts(u64),
	/// Fails every request (a node that is down).
	Dead,
}

/// Sources by URL, all serving (or not) the same file.
struct MockSources {
	file: Vec<u8>,
	tree: FileTree,
	sources: HashMap<String, Behaviour>,
}

impl SegmentSource for MockSources {
	async fn fetch(
		&self,
		url: &str,
		root: &H256,
		size: u64,
		index: u64,
	) -> Result<SegmentEnvelope, String> {
		assert_eq!(*root, self.tree.root(), "the replicator asks for the file's root");
		assert_eq!(size, self.file.len() as u64, "and for its committed size");
		let behaviour = self.sources.get(url).copied().ok_or("unknown source")?;
		let mut data =
			self.file.chunks(SEGMENT_SIZE).nth(index as usize).ok_or("no such segment")?.to_vec();
		match behaviour {
			Behaviour::Dead => return Err(format!("{url}: connection refused")),
			Behaviour::Corrupts(bad) if bad == index => data[0] ^= 1,
			_ => {},
		}
		let proof = self.tree.segment_proof(index).map_err(|e| format!("{e:?}"))?;
		Ok(SegmentEnvelope { proof, data })
	}
}

/// A file of three segments (the last one short), committed on the mock chain as file 7, and
/// the sources `sources` serving it.
fn setup(sources: &[(&str, Behaviour)]) -> (MockSources, MockChain, PendingFile) {
	let file = bytes(2 * SEGMENT_SIZE + 1000, 9);
	let tree = FileTree::new(&file).unwrap();
	let size = file.len() as u64;
	let chain = MockChain { files: vec![chain_file(7, tree.root(), size)], ..Default::default() };
	let pending = PendingFile {
		file_id: 7,
		root: tree.root(),
		size,
		sources: sources.iter().map(|(url, _)| url.to_string()).collect(),
	};
	let sources = sources.iter().map(|(url, b)| (url.to_string(), *b)).collect();
	(MockSources { file, tree, sources }, chain, pending)
}

#[test]
fn fetches_every_missing_segment_and_the_node_then_holds_the_file() {
	let (_dir, store) = open_store();
	let (sources, chain, pending) = setup(&[("http://a", Behaviour::Honest)]);
	let rpc = Arc::new(StorageRpc::new(chain, store.clone()));
	let root = to_prefixed_hex(pending.root.as_bytes());
	assert!(!rpc.holds(&root, pending.size).unwrap());
	let fetched = block_on(fetch_file(&rpc, &store, &sources, &pending));
	assert_eq!(fetched, Fetched::Complete { segments: 3, sources: vec!["http://a".into()] });
	assert!(rpc.holds(&root, pending.size).unwrap());
	// A second round has nothing to do.
	let again = block_on(fetch_file(&rpc, &store, &sources, &pending));
	assert_eq!(again, Fetched::Complete { segments: 0, sources: vec![] });
}

#[test]
fn segments_are_spread_over_the_sources() {
	let (_dir, store) = open_store();
	let (sources, chain, pending) =
		setup(&[("http://a", Behaviour::Honest), ("http://b", Behaviour::Honest)]);
	let rpc = Arc::new(StorageRpc::new(chain, store.clone()));
	let fetched = block_on(fetch_file(&rpc, &store, &sources, &pending));
	assert_eq!(
		fetched,
		Fetched::Complete { segments: 3, sources: vec!["http://a".into(), "http://b".into()] }
	);
}

#[test]
fn a_source_serving_corrupt_data_plants_nothing_and_the_others_complete_the_file() {
	let (_dir, store) = open_store();
	let (sources, chain, pending) = setup(&[
		("http://dead", Behaviour::Dead),
		("http://liar", Behaviour::Corrupts(1)),
		("http://honest", Behaviour::Honest),
	]);
	let rpc = Arc::new(StorageRpc::new(chain, store.clone()));
	let Fetched::Complete { segments: 3, sources: served } =
		block_on(fetch_file(&rpc, &store, &sources, &pending))
	else {
		panic!("the honest source completes the file")
	};
	assert!(served.contains(&"http://honest".to_string()), "{served:?}");
	assert!(!served.contains(&"http://dead".to_string()), "{served:?}");
	// The liar's segment 1 was refused and came from someone else.
	let segment = store.segment(&pending.root, pending.size, 1).unwrap().unwrap().0;
	assert_eq!(segment, sources.file[SEGMENT_SIZE..2 * SEGMENT_SIZE].to_vec());
}

#[test]
fn without_an_honest_source_the_file_stays_missing_and_each_failure_is_reported() {
	let (_dir, store) = open_store();
	let (sources, chain, pending) =
		setup(&[("http://dead", Behaviour::Dead), ("http://liar", Behaviour::Corrupts(0))]);
	let rpc = Arc::new(StorageRpc::new(chain, store.clone()));
	let Fetched::Failed(reasons) = block_on(fetch_file(&rpc, &store, &sources, &pending)) else {
		panic!("no source can complete the file")
	};
	assert_eq!(reasons.len(), 2, "{reasons:?}");
	assert!(reasons[0].contains("connection refused"), "{reasons:?}");
	assert!(reasons[1].contains("refused (6002)"), "{reasons:?}");
	assert!(!store.has_segment(&pending.root, pending.size, 0).unwrap());

	let (sources, chain, pending) = setup(&[]);
	let rpc = Arc::new(StorageRpc::new(chain, store.clone()));
	let Fetched::Failed(reasons) = block_on(fetch_file(&rpc, &store, &sources, &pending)) else {
		panic!("nobody to fetch from")
	};
	assert!(reasons[0].contains("no provider acknowledged"), "{reasons:?}");
}

#[test]
fn a_file_the_chain_does_not_commit_is_not_stored_even_from_a_source_that_has_it() {
	let (_dir, store) = open_store();
	let (sources, _chain, pending) = setup(&[("http://a", Behaviour::Honest)]);
	let rpc = Arc::new(StorageRpc::new(MockChain::default(), store.clone()));
	let Fetched::Failed(reasons) = block_on(fetch_file(&rpc, &store, &sources, &pending)) else {
		panic!("nothing may be stored")
	};
	assert!(reasons.iter().any(|reason| reason.contains("6001")), "{reasons:?}");
	assert!(store.stored_files(&pending.root).unwrap().is_empty());
}

#[test]
fn endpoints_are_data_plane_urls_and_anything_else_is_no_source() {
	assert_eq!(data_url(b"http://127.0.0.1:9950").as_deref(), Some("http://127.0.0.1:9950"));
	assert_eq!(data_url(b" http://10.0.0.1:9950/ ").as_deref(), Some("http://10.0.0.1:9950"));
	for bad in [&b"ws://127.0.0.1:9944"[..], b"ftp://a", b"", b"127.0.0.1:9950", &[0xff, 0xfe]] {
		assert_eq!(data_url(bad), None, "{bad:?}");
	}
}
