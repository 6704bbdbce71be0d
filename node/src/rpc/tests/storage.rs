//! `storage_*`: uploads checked against the chain, idempotence, counters, reads and chunk proofs.

use codec::{DecodeAll, Encode};
use polkadot_sdk::sp_core::{
	crypto::{Ss58AddressFormat, Ss58Codec},
	H256,
};
use serde_json::{json, Value};
use zerog_primitives::{
	storage::{FileTree, SegmentProof, SEGMENT_SIZE},
	units::SS58_PREFIX,
};

use super::{block_on, bytes, chain_file, error_code, open_store, owner, MockChain};
use crate::rpc::storage::{StorageApiServer, StorageRpc, StorageRpcError};
use zerog_primitives::hex::{decode_hex, to_prefixed_hex};

/// A file of two full segments and a short third one (ending in a short chunk).
fn test_file() -> Vec<u8> {
	bytes(2 * SEGMENT_SIZE + 1000, 5)
}

/// The file's bytes, its tree and the hex of its root.
struct Upload {
	file: Vec<u8>,
	tree: FileTree,
	root: String,
}

impl Upload {
	fn new(file: Vec<u8>) -> Self {
		let tree = FileTree::new(&file).unwrap();
		let root = to_prefixed_hex(tree.root().as_bytes());
		Self { file, tree, root }
	}

	fn root_hash(&self) -> H256 {
		self.tree.root()
	}

	fn size(&self) -> u64 {
		self.file.len() as u64
	}

	fn segment(&self, index: u64) -> &[u8] {
		self.file.chunks(SEGMENT_SIZE).nth(index as usize).unwrap()
	}

	fn proof(&self, index: u64) -> String {
		to_prefixed_hex(&self.tree.segment_proof(index).unwrap().encode())
	}

	/// A chain that commits this file with id 7.
	fn chain(&self) -> MockChain {
		MockChain {
			files: vec![chain_file(7, self.root_hash(), self.size())],
			..Default::default()
		}
	}
}

/// Uploads segment `index` of `upload` with its own proof.
fn upload_segment(
	rpc: &StorageRpc<MockChain>,
	upload: &Upload,
	index: u64,
) -> Result<crate::rpc::storage::UploadedSegment, StorageRpcError> {
	rpc.upload(&upload.root, index, &to_prefixed_hex(upload.segment(index)), &upload.proof(index))
}

#[test]
fn uploads_every_segment_until_the_file_is_finalized() {
	let (_dir, store) = open_store();
	let upload = Upload::new(test_file());
	let rpc = StorageRpc::new(upload.chain(), store);
	for (index, expect_finalized) in [(2, false), (0, false), (1, true)] {
		let uploaded = upload_segment(&rpc, &upload, index).unwrap();
		assert!(uploaded.newly_stored);
		assert_eq!(uploaded.segments, 3);
		assert_eq!(uploaded.finalized, expect_finalized);
	}
	let info = rpc.info(&upload.root).unwrap();
	assert_eq!((info.segments_stored, info.finalized), (3, true));
}

#[test]
fn uploading_a_segment_again_changes_nothing() {
	let (_dir, store) = open_store();
	let upload = Upload::new(test_file());
	let rpc = StorageRpc::new(upload.chain(), store);
	assert!(upload_segment(&rpc, &upload, 1).unwrap().newly_stored);
	let again = upload_segment(&rpc, &upload, 1).unwrap();
	assert!(!again.newly_stored);
	assert_eq!(again.segments_stored, 1);
}

#[test]
fn refuses_a_segment_whose_proof_does_not_verify_and_stores_nothing() {
	let (_dir, store) = open_store();
	let upload = Upload::new(test_file());
	let rpc = StorageRpc::new(upload.chain(), store);
	let mut tampered = upload.segment(0).to_vec();
	tampered[17] ^= 1;
	let error =
		rpc.upload(&upload.root, 0, &to_prefixed_hex(&tampered), &upload.proof(0)).unwrap_err();
	assert_eq!(error.code(), 6002);
	assert!(error.message().contains("does not lead to the committed root"), "{error:?}");

	// A valid proof of another segment is refused too.
	let error = rpc
		.upload(&upload.root, 0, &to_prefixed_hex(upload.segment(0)), &upload.proof(1))
		.unwrap_err();
	assert_eq!(error.code(), 6002);
	assert!(error.message().contains("another segment"), "{error:?}");

	assert_eq!(rpc.info(&upload.root).unwrap().segments_stored, 0);
	assert_eq!(rpc.missing(&upload.root, 0, 10).unwrap().missing, vec![0, 1, 2]);
}

#[test]
fn refuses_a_root_the_chain_does_not_commit() {
	let (_dir, store) = open_store();
	let upload = Upload::new(test_file());
	let rpc = StorageRpc::new(MockChain::default(), store);
	let error = upload_segment(&rpc, &upload, 0).unwrap_err();
	assert_eq!(error, StorageRpcError::UnknownFile(upload.root_hash()));
	assert!(error.message().contains(&upload.root));
	assert_eq!(rpc.info(&upload.root).unwrap_err().code(), 6001);
}

#[test]
fn a_node_stores_only_files_assigned_to_its_providers() {
	let (_dir, store) = open_store();
	let upload = Upload::new(test_file());
	let mut chain = upload.chain();
	chain.assigned_elsewhere.push((upload.root_hash(), upload.size()));
	let rpc = StorageRpc::new(chain, store.clone());
	let error = upload_segment(&rpc, &upload, 0).unwrap_err();
	assert_eq!(error.code(), 6006, "{error:?}");
	assert!(error.message().contains("not assigned"), "{error:?}");
	let proof = upload.tree.segment_proof(0).unwrap();
	let error =
		rpc.put(&upload.root_hash(), upload.size(), 0, upload.segment(0), &proof).unwrap_err();
	assert_eq!(error.code(), 6006, "{error:?}");
	assert!(store.stored_files(&upload.root_hash()).unwrap().is_empty());
}

#[test]
fn a_full_store_refuses_with_its_own_code_and_keeps_what_it_has() {
	let dir = tempfile::tempdir().unwrap();
	let store = std::sync::Arc::new(
		crate::data_store::DataStore::open_with_limits(dir.path(), Some(SEGMENT_SIZE as u64), 0)
			.unwrap(),
	);
	let upload = Upload::new(test_file());
	let rpc = StorageRpc::new(upload.chain(), store);
	upload_segment(&rpc, &upload, 0).unwrap();
	let error = upload_segment(&rpc, &upload, 1).unwrap_err();
	assert_eq!(error.code(), 6007, "{error:?}");
	assert!(error.message().contains("full"), "{error:?}");
	assert_eq!(rpc.info(&upload.root).unwrap().segments_stored, 1);
	assert_eq!(rpc.download(&upload.root, 0).unwrap().data, to_prefixed_hex(upload.segment(0)));
}

#[test]
fn refuses_malformed_parameters() {
	let (_dir, store) = open_store();
	let upload = Upload::new(test_file());
	let rpc = StorageRpc::new(upload.chain(), store);
	let segment = to_prefixed_hex(upload.segment(0));
	let proof = upload.proof(0);
	let cases = [
		rpc.upload("0x1234", 0, &segment, &proof),
		rpc.upload(&upload.root, 0, "0xzz", &proof),
		rpc.upload(&upload.root, 0, &segment, "0x00"),
		rpc.upload(&upload.root, 3, &segment, &proof),
		rpc.upload(&upload.root, 0, &to_prefixed_hex(&upload.segment(0)[1..]), &proof),
		rpc.upload(&upload.root, 0, &to_prefixed_hex(&vec![0; SEGMENT_SIZE + 1]), &proof),
		rpc.missing(&upload.root, 0, 4097).map(|_| unreachable!()),
	];
	for case in cases {
		assert_eq!(case.unwrap_err().code(), 6003);
	}
}

#[test]
fn accepts_the_segment_against_the_live_file_its_proof_verifies_for() {
	let (_dir, store) = open_store();
	// One segment ending in a non-zero byte; with five zero bytes more it has the same root.
	let upload = Upload::new(bytes(1000, 1).into_iter().map(|byte| byte | 1).collect());
	let chain = MockChain {
		files: vec![
			chain_file(1, upload.root_hash(), upload.size() + 5),
			chain_file(2, upload.root_hash(), upload.size()),
		],
		..Default::default()
	};
	let rpc = StorageRpc::new(chain, store.clone());
	assert!(upload_segment(&rpc, &upload, 0).unwrap().finalized);
	assert!(store.stored_file(&upload.root_hash(), upload.size()).unwrap().is_some());
	assert!(store.stored_file(&upload.root_hash(), upload.size() + 5).unwrap().is_none());
	assert_eq!(rpc.info(&upload.root).unwrap().file_id, Some(2));
}

#[test]
fn holds_a_file_only_with_every_segment_at_its_exact_size() {
	let (_dir, store) = open_store();
	let upload = Upload::new(test_file());
	let rpc = StorageRpc::new(upload.chain(), store);
	let size = upload.size();
	assert!(!rpc.holds(&upload.root, size).unwrap(), "nothing stored yet");
	upload_segment(&rpc, &upload, 0).unwrap();
	upload_segment(&rpc, &upload, 2).unwrap();
	assert!(!rpc.holds(&upload.root, size).unwrap(), "one segment is missing");
	upload_segment(&rpc, &upload, 1).unwrap();
	assert!(rpc.holds(&upload.root, size).unwrap());
	// The same root committed with another size is another file: not acknowledged by this one.
	assert!(!rpc.holds(&upload.root, size + 5).unwrap());
	assert!(!rpc.holds(&upload.root, size - 1).unwrap());
	assert!(!rpc.holds(&to_prefixed_hex(&[9; 32]), size).unwrap());
	// Through JSON-RPC, as the off-chain worker asks; a malformed root is refused with 6003.
	let module = rpc.into_rpc();
	block_on(async {
		let holds: bool = module.call("storage_holdsFile", (&upload.root, size)).await.unwrap();
		assert!(holds);
		let error = module.call::<_, bool>("storage_holdsFile", ("0x12", size)).await.unwrap_err();
		assert_eq!(error_code(error), 6003);
	});
}

#[test]
fn downloads_stored_segments_with_their_proofs() {
	let (_dir, store) = open_store();
	let upload = Upload::new(test_file());
	let rpc = StorageRpc::new(upload.chain(), store);
	upload_segment(&rpc, &upload, 2).unwrap();
	let downloaded = rpc.download(&upload.root, 2).unwrap();
	assert_eq!(decode_hex(&downloaded.data).unwrap(), upload.segment(2));
	assert_eq!(downloaded.proof, upload.proof(2));
	let proof = SegmentProof::decode_all(&mut &decode_hex(&downloaded.proof).unwrap()[..]).unwrap();
	proof.verify(&upload.root_hash(), upload.size(), 2, upload.segment(2)).unwrap();

	assert_eq!(rpc.download(&upload.root, 0).unwrap_err().code(), 6004);
	assert_eq!(rpc.download(&upload.root, 3).unwrap_err().code(), 6003);
	let unknown = to_prefixed_hex(&[9; 32]);
	assert_eq!(rpc.download(&unknown, 0).unwrap_err().code(), 6001);
}

#[test]
fn file_info_reports_the_chain_and_the_store() {
	let (_dir, store) = open_store();
	let upload = Upload::new(test_file());
	let rpc = StorageRpc::new(upload.chain(), store.clone());
	upload_segment(&rpc, &upload, 0).unwrap();
	let info = serde_json::to_value(rpc.info(&upload.root).unwrap()).unwrap();
	let owner = owner().to_ss58check_with_version(Ss58AddressFormat::custom(SS58_PREFIX));
	assert_eq!(
		info,
		json!({
			"root": upload.root, "fileId": 7, "size": upload.size(), "segments": 3,
			"segmentsStored": 1, "finalized": false, "owner": owner, "expiresAt": 1000,
		})
	);

	// Once the chain forgets the file, the store still describes it.
	let forgotten = StorageRpc::new(MockChain::default(), store);
	let info = forgotten.info(&upload.root).unwrap();
	assert_eq!((info.file_id, info.owner, info.expires_at), (None, None, None));
	assert_eq!((info.size, info.segments_stored), (upload.size(), 1));
}

#[test]
fn lists_missing_segments_to_resume_an_upload() {
	let (_dir, store) = open_store();
	let upload = Upload::new(test_file());
	let rpc = StorageRpc::new(upload.chain(), store);
	assert_eq!(rpc.missing(&upload.root, 0, 4096).unwrap().missing, vec![0, 1, 2]);
	upload_segment(&rpc, &upload, 1).unwrap();
	assert_eq!(rpc.missing(&upload.root, 0, 4096).unwrap().missing, vec![0, 2]);
	assert_eq!(rpc.missing(&upload.root, 1, 1).unwrap().missing, vec![2]);
	assert_eq!(rpc.missing(&upload.root, 5, 10).unwrap().missing, Vec::<u64>::new());
	assert_eq!(rpc.missing(&to_prefixed_hex(&[9; 32]), 0, 10).unwrap_err().code(), 6001);
}

#[test]
fn json_rpc_methods_take_the_documented_names_and_return_error_codes() {
	let (_dir, store) = open_store();
	let upload = Upload::new(test_file());
	let module = StorageRpc::new(upload.chain(), store).into_rpc();
	block_on(async {
		let uploaded: Value = module
			.call(
				"storage_uploadSegment",
				(&upload.root, 0u64, to_prefixed_hex(upload.segment(0)), upload.proof(0)),
			)
			.await
			.unwrap();
		assert_eq!(
			uploaded,
			json!({
				"root": upload.root, "segmentIndex": 0, "newlyStored": true,
				"segmentsStored": 1, "segments": 3, "finalized": false,
			})
		);
		let missing: Value =
			module.call("storage_missingSegments", (&upload.root, 0u64, 10u32)).await.unwrap();
		assert_eq!(missing, json!({ "missing": [1, 2] }));
		let error = module
			.call::<_, Value>("storage_downloadSegment", (&upload.root, 1u64))
			.await
			.unwrap_err();
		assert_eq!(error_code(error), 6004);
		let error = module.call::<_, Value>("storage_fileInfo", ["0xnothex"]).await.unwrap_err();
		assert_eq!(error_code(error), 6003);
		// Chunk proofs are not served over RPC: challenges are answered from the store itself.
		let error = module.call::<_, Value>("storage_chunkProof", (&upload.root, 3u64)).await;
		assert!(error.is_err(), "storage_chunkProof is not a method");
	});
}
