//! The data plane over real HTTP on loopback, against a mock chain and a real data store:
//! uploads and downloads of binary segments with the client library, and every refusal.

use std::{sync::Arc, time::Duration};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::{Method, Request, StatusCode};
use hyper_util::rt::TokioIo;
use polkadot_sdk::sp_core::H256;
use zerog_client::storage::{DataClient, DataError, INVALID_PARAMS, INVALID_PROOF, UNKNOWN_FILE};
use zerog_primitives::storage::{
	transport::{segment_path, FILES_PATH, MAX_ENVELOPE_BYTES},
	FileTree, SEGMENT_SIZE,
};

use super::{bind, serve, DataPlane};
use crate::rpc::{
	da::DaRpc,
	storage::StorageRpc,
	tests::{block_on, bytes, chain_file, open_store, MockChain},
};

mod da;

/// Serves a data plane over `chain` and `store` on a free loopback port (inside the caller's
/// runtime), its DA side drawing on `da`'s staging allowance; a client of it.
fn serve_plane(
	chain: MockChain,
	store: Arc<crate::data_store::DataStore>,
	da: DaRpc<MockChain>,
) -> DataClient {
	let (listener, port) = bind("127.0.0.1:0".parse().unwrap()).unwrap();
	let plane = DataPlane::new(Some(StorageRpc::new(chain, store)), Some(da));
	tokio::spawn(serve(listener, Arc::new(plane)));
	DataClient::new(&format!("http://127.0.0.1:{port}"), Duration::from_secs(30)).unwrap()
}

/// A raw request to the data plane `client` talks to, for what the client library never sends.
async fn raw_request(
	client: &DataClient,
	method: Method,
	path: &str,
	body: Vec<u8>,
) -> (StatusCode, String) {
	let (status, _, body) = raw_exchange(client, method, path, body).await;
	(status, body)
}

/// A raw request and the answer's status, headers and body.
async fn raw_exchange(
	client: &DataClient,
	method: Method,
	path: &str,
	body: Vec<u8>,
) -> (StatusCode, hyper::HeaderMap, String) {
	let address = client.url().trim_start_matches("http://").to_owned();
	let stream = tokio::net::TcpStream::connect(address).await.unwrap();
	let (mut sender, connection) =
		hyper::client::conn::http1::handshake(TokioIo::new(stream)).await.unwrap();
	tokio::spawn(connection);
	let request = Request::builder()
		.method(method)
		.uri(path)
		.header("host", "localhost")
		.body(Full::new(Bytes::from(body)))
		.unwrap();
	let response = sender.send_request(request).await.unwrap();
	let status = response.status();
	let headers = response.headers().clone();
	let body = response.into_body().collect().await.unwrap().to_bytes();
	(status, headers, String::from_utf8_lossy(&body).into_owned())
}

/// A file of two full segments and a short third one, committed on the mock chain.
struct Fixture {
	file: Vec<u8>,
	tree: FileTree,
	client: DataClient,
	store: Arc<crate::data_store::DataStore>,
	_dir: tempfile::TempDir,
}

impl Fixture {
	/// Starts a data plane on a free loopback port (inside the caller's runtime).
	async fn start() -> Self {
		Self::start_with(false, None).await
	}

	/// The same, with the file assigned to another node's providers if `elsewhere`, and a
	/// store quota of `quota` bytes.
	async fn start_with(elsewhere: bool, quota: Option<u64>) -> Self {
		let file = bytes(2 * SEGMENT_SIZE + 1000, 3);
		let tree = FileTree::new(&file).unwrap();
		let size = file.len() as u64;
		let chain = MockChain {
			files: vec![chain_file(7, tree.root(), size)],
			assigned_elsewhere: if elsewhere { vec![(tree.root(), size)] } else { vec![] },
			..Default::default()
		};
		let (dir, store) = open_store();
		let store = match quota {
			Some(max) => Arc::new(
				crate::data_store::DataStore::open_with_limits(
					&dir.path().join("limited"),
					Some(max),
					0,
				)
				.unwrap(),
			),
			None => store,
		};
		let da = DaRpc::new(chain.clone(), store.clone(), false);
		let client = serve_plane(chain, store.clone(), da);
		Self { file, tree, client, store, _dir: dir }
	}

	fn root(&self) -> H256 {
		self.tree.root()
	}

	fn size(&self) -> u64 {
		self.file.len() as u64
	}

	fn segment(&self, index: u64) -> Vec<u8> {
		self.file.chunks(SEGMENT_SIZE).nth(index as usize).unwrap().to_vec()
	}

	async fn put(&self, index: u64) -> Result<zerog_client::storage::UploadedSegment, DataError> {
		let proof = self.tree.segment_proof(index).unwrap();
		self.client.put_segment(&self.root(), self.size(), index, self.segment(index), proof).await
	}

	/// A raw request, for what the client library never sends.
	async fn raw(&self, method: Method, path: &str, body: Vec<u8>) -> (StatusCode, String) {
		raw_request(&self.client, method, path, body).await
	}
}

#[test]
fn segments_go_up_and_come_back_as_binary_and_verify() {
	block_on(async {
		let fixture = Fixture::start().await;
		let (root, size) = (fixture.root(), fixture.size());
		let status = fixture.client.status(&root, size).await.unwrap();
		assert_eq!((status.segments, status.segments_stored, status.finalized), (3, 0, false));
		assert_eq!(fixture.client.missing(&root, size, 0, 10).await.unwrap(), vec![0, 1, 2]);

		for index in 0..3 {
			let uploaded = fixture.put(index).await.unwrap();
			assert!(uploaded.newly_stored);
			assert_eq!(uploaded.finalized, index == 2);
		}
		// Again: idempotent.
		assert!(!fixture.put(1).await.unwrap().newly_stored);
		assert!(fixture.client.status(&root, size).await.unwrap().finalized);
		assert!(fixture.client.missing(&root, size, 0, 10).await.unwrap().is_empty());

		let mut downloaded = Vec::new();
		for index in 0..3 {
			downloaded.extend(fixture.client.get_segment(&root, size, index).await.unwrap());
		}
		assert_eq!(downloaded, fixture.file);
	});
}

#[test]
fn a_segment_that_does_not_verify_is_refused_and_nothing_is_stored() {
	block_on(async {
		let fixture = Fixture::start().await;
		let (root, size) = (fixture.root(), fixture.size());
		let mut corrupt = fixture.segment(0);
		corrupt[100] ^= 1;
		let proof = fixture.tree.segment_proof(0).unwrap();
		let refused = fixture.client.put_segment(&root, size, 0, corrupt, proof).await.unwrap_err();
		assert_eq!(refused.code(), Some(INVALID_PROOF), "{refused}");
		// The proof of another segment under this index.
		let proof = fixture.tree.segment_proof(1).unwrap();
		let refused = fixture
			.client
			.put_segment(&root, size, 0, fixture.segment(0), proof)
			.await
			.unwrap_err();
		assert_eq!(refused.code(), Some(INVALID_PARAMS), "{refused}");
		assert!(fixture.store.stored_files(&root).unwrap().is_empty());
	});
}

#[test]
fn only_the_exact_committed_size_is_accepted_or_served() {
	block_on(async {
		let fixture = Fixture::start().await;
		let (root, size) = (fixture.root(), fixture.size());
		// The same root with other sizes (trailing zeros) is a different commitment, not live.
		for other in [size + 1, 3 * SEGMENT_SIZE as u64] {
			let proof = fixture.tree.segment_proof(0).unwrap();
			let refused =
				fixture.client.put_segment(&root, other, 0, fixture.segment(0), proof).await;
			assert_eq!(refused.unwrap_err().code(), Some(UNKNOWN_FILE));
			let status = fixture.client.status(&root, other).await.unwrap_err();
			assert_eq!(status.code(), Some(UNKNOWN_FILE), "{status}");
		}
		let unknown = fixture.client.get_segment(&H256::repeat_byte(9), 5, 0).await.unwrap_err();
		assert_eq!(unknown.code(), Some(UNKNOWN_FILE), "{unknown}");
		// Known but not held, and past the end.
		let not_held = fixture.client.get_segment(&root, size, 1).await.unwrap_err();
		assert_eq!(not_held.code(), Some(zerog_client::storage::NOT_STORED), "{not_held}");
		let past = fixture.client.get_segment(&root, size, 3).await.unwrap_err();
		assert_eq!(past.code(), Some(INVALID_PARAMS), "{past}");
	});
}

#[test]
fn malformed_requests_get_specific_refusals() {
	block_on(async {
		let fixture = Fixture::start().await;
		let path = segment_path(&fixture.root(), fixture.size(), 0);
		let (status, body) = fixture.raw(Method::PUT, &path, b"not scale".to_vec()).await;
		assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
		assert!(body.contains("SegmentEnvelope"), "{body}");
		let (status, body) = fixture.raw(Method::PUT, &path, vec![0; MAX_ENVELOPE_BYTES + 1]).await;
		assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
		let (status, body) = fixture.raw(Method::POST, &path, vec![]).await;
		assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{body}");
		let (status, body) = fixture.raw(Method::GET, "/", vec![]).await;
		assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
		let (status, body) =
			fixture.raw(Method::GET, &format!("{FILES_PATH}/0x12/5"), vec![]).await;
		assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
		let missing = format!("{}/missing?limit=99999", &path[..path.find("/segments").unwrap()]);
		let (status, body) = fixture.raw(Method::GET, &missing, vec![]).await;
		assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
		assert!(body.contains("limit"), "{body}");
		let (status, body) = fixture.raw(Method::GET, &format!("{missing}&x=1"), vec![]).await;
		assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
		assert!(fixture.store.stored_files(&fixture.root()).unwrap().is_empty());
	});
}

#[test]
fn a_file_assigned_elsewhere_or_past_the_quota_is_refused_with_its_status() {
	block_on(async {
		let fixture = Fixture::start_with(true, None).await;
		let refused = fixture.put(0).await.unwrap_err();
		assert!(
			matches!(&refused, DataError::Refused { status: 403, code: 6006, .. }),
			"{refused}"
		);
		assert!(fixture.store.stored_files(&fixture.root()).unwrap().is_empty());

		let fixture = Fixture::start_with(false, Some(SEGMENT_SIZE as u64)).await;
		fixture.put(0).await.unwrap();
		let refused = fixture.put(1).await.unwrap_err();
		assert!(
			matches!(&refused, DataError::Refused { status: 507, code: 6007, .. }),
			"{refused}"
		);
		assert_eq!(
			fixture.client.status(&fixture.root(), fixture.size()).await.unwrap().segments_stored,
			1
		);
	});
}

/// A chain whose runtime lacks the storage or the DA pallet: the data plane serves the other
/// side and answers the missing one with 404 and "method not found", storing nothing.
#[test]
fn a_plane_without_a_pallet_refuses_its_requests_and_serves_the_other_side() {
	block_on(async {
		let file = bytes(1000, 5);
		let tree = FileTree::new(&file).unwrap();
		let chain = MockChain {
			files: vec![chain_file(7, tree.root(), file.len() as u64)],
			..Default::default()
		};
		let (_dir, store) = open_store();
		let start = |storage: bool, da: bool| {
			let (listener, port) = bind("127.0.0.1:0".parse().unwrap()).unwrap();
			let plane = DataPlane::new(
				storage.then(|| StorageRpc::new(chain.clone(), store.clone())),
				da.then(|| DaRpc::new(chain.clone(), store.clone(), false)),
			);
			tokio::spawn(serve(listener, Arc::new(plane)));
			DataClient::new(&format!("http://127.0.0.1:{port}"), Duration::from_secs(30)).unwrap()
		};
		let segment = segment_path(&tree.root(), file.len() as u64, 0);
		let shards = zerog_primitives::da::transport::shards_path(&tree.root());

		// No DA: shards are refused before their body is read; segments are served.
		let without_da = start(true, false);
		let (status, body) =
			raw_request(&without_da, Method::POST, &shards, b"anything".to_vec()).await;
		assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
		assert!(body.contains("-32601") && body.contains("no DA pallet"), "{body}");
		let proof = tree.segment_proof(0).unwrap();
		without_da
			.put_segment(&tree.root(), file.len() as u64, 0, file.clone(), proof)
			.await
			.unwrap();

		// No storage: every segment route is refused, the DA side still answers (here: a
		// malformed envelope, refused by the DA checks themselves).
		let without_storage = start(false, true);
		for (method, body) in [(Method::GET, vec![]), (Method::PUT, b"x".to_vec())] {
			let (status, answer) = raw_request(&without_storage, method, &segment, body).await;
			assert_eq!(status, StatusCode::NOT_FOUND, "{answer}");
			assert!(answer.contains("no storage pallet"), "{answer}");
		}
		let (status, body) =
			raw_request(&without_storage, Method::POST, &shards, b"not scale".to_vec()).await;
		assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
		assert!(body.contains("6103"), "{body}");
	});
}

#[test]
fn a_web_page_may_use_the_plane_from_any_origin() {
	block_on(async {
		let fixture = Fixture::start().await;
		let path = segment_path(&fixture.root(), fixture.size(), 0);
		let header = |headers: &hyper::HeaderMap, name: &str| {
			headers.get(name).map(|value| value.to_str().unwrap().to_owned())
		};
		// The preflight a browser sends before a PUT of a SCALE body.
		let (status, headers, _) =
			raw_exchange(&fixture.client, Method::OPTIONS, &path, vec![]).await;
		assert_eq!(status, StatusCode::NO_CONTENT);
		assert_eq!(header(&headers, "access-control-allow-origin").as_deref(), Some("*"));
		let methods = header(&headers, "access-control-allow-methods").unwrap();
		assert!(methods.contains("PUT") && methods.contains("GET"), "{methods}");
		assert_eq!(
			header(&headers, "access-control-allow-headers").as_deref(),
			Some("content-type")
		);
		// Answers and refusals alike carry the origin header, so a page can read the refusal.
		fixture.put(0).await.unwrap();
		let (status, headers, _) = raw_exchange(&fixture.client, Method::GET, &path, vec![]).await;
		assert_eq!(status, StatusCode::OK);
		assert_eq!(header(&headers, "access-control-allow-origin").as_deref(), Some("*"));
		let (status, headers, body) =
			raw_exchange(&fixture.client, Method::PUT, &path, b"not scale".to_vec()).await;
		assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
		assert_eq!(header(&headers, "access-control-allow-origin").as_deref(), Some("*"));
		// A preflight stores nothing.
		assert_eq!(fixture.store.stored_files(&fixture.root()).unwrap().len(), 1);
	});
}
