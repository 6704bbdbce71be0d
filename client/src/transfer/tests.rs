//! Downloads from several stand-in data planes that serve a file honestly, corrupt a segment,
//! or are down; and how RPC endpoints map to data-plane URLs.

use super::*;
use bytes::Bytes;
use codec::Encode;
use http_body_util::Full;
use hyper::{service::service_fn, Response, StatusCode};
use hyper_util::rt::TokioIo;
use std::convert::Infallible;
use zerog_primitives::storage::transport::{parse_route, Route, SegmentEnvelope};

/// Deterministic bytes that are not all equal.
fn bytes(len: usize) -> Vec<u8> {
	(0..len).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect()
}

/// A stand-in data plane serving `file`, with a byte of segment `corrupt` flipped; its URL.
async fn data_plane(file: Vec<u8>, corrupt: Option<u64>) -> String {
	let tree = std::sync::Arc::new(FileTree::new(&file).unwrap());
	let file = std::sync::Arc::new(file);
	let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
	let url = format!("http://{}", listener.local_addr().unwrap());
	tokio::spawn(async move {
		loop {
			let (stream, _) = listener.accept().await.unwrap();
			let (tree, file) = (tree.clone(), file.clone());
			tokio::spawn(async move {
				let service = service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
					let (tree, file) = (tree.clone(), file.clone());
					async move {
						let Ok(Route::Segment { index, .. }) = parse_route(request.uri().path())
						else {
							let mut refused = Response::new(Full::new(Bytes::from_static(
								br#"{"code":6003,"message":"no"}"#,
							)));
							*refused.status_mut() = StatusCode::NOT_FOUND;
							return Ok::<_, Infallible>(refused);
						};
						let start = index as usize * SEGMENT_SIZE;
						let mut data = file[start..(start + SEGMENT_SIZE).min(file.len())].to_vec();
						if corrupt == Some(index) {
							data[7] ^= 0x40;
						}
						let proof = tree.segment_proof(index).unwrap();
						let body = SegmentEnvelope { proof, data }.encode();
						Ok(Response::new(Full::new(Bytes::from(body))))
					}
				});
				let _ = hyper::server::conn::http1::Builder::new()
					.serve_connection(TokioIo::new(stream), service)
					.await;
			});
		}
	});
	url
}

/// A URL nothing listens on.
fn dead_url() -> String {
	let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
	format!("http://{}", listener.local_addr().unwrap())
}

fn client(url: &str) -> DataClient {
	DataClient::new(url, Duration::from_secs(10)).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn segments_come_from_every_source_and_failures_fall_over_to_the_others() {
	let file = bytes(5 * SEGMENT_SIZE + 33);
	let tree = FileTree::new(&file).unwrap();
	let (root, size) = (tree.root(), file.len() as u64);
	let dir = tempfile::tempdir().unwrap();
	let output = dir.path().join("out.bin");

	let honest = [data_plane(file.clone(), None).await, data_plane(file.clone(), None).await];
	let sources: Vec<DataClient> = honest.iter().map(|url| client(url)).collect();
	let reports = download_verified(&sources, root, size, &output, 4, false).await.unwrap();
	assert!(std::fs::read(&output).unwrap() == file);
	assert_eq!(reports.iter().map(|r| r.segments).collect::<Vec<_>>(), vec![3, 3]);

	// A dead source and a liar: the honest one serves what they could not, and each is
	// reported with why it was dropped.
	let liar = data_plane(file.clone(), Some(1)).await;
	let sources = vec![client(&dead_url()), client(&liar), client(&honest[0])];
	let reports = download_verified(&sources, root, size, &output, 4, false).await.unwrap();
	assert!(std::fs::read(&output).unwrap() == file);
	assert_eq!(reports.iter().map(|r| r.segments).sum::<u64>(), 6);
	assert!(reports[0].error.as_deref().unwrap().contains("unreachable"), "{reports:?}");
	assert!(reports[1].error.as_deref().unwrap().contains("segment 1"), "{reports:?}");
	assert_eq!(reports[2].error, None);
}

#[tokio::test(flavor = "multi_thread")]
async fn with_no_honest_source_the_download_fails_and_leaves_nothing() {
	let file = bytes(3 * SEGMENT_SIZE + 33);
	let root = FileTree::new(&file).unwrap().root();
	let size = file.len() as u64;
	let dir = tempfile::tempdir().unwrap();
	let output = dir.path().join("out.bin");
	let liar = data_plane(file, Some(2)).await;
	let error = download_verified(&[client(&liar)], root, size, &output, 2, false).await;
	let error = error.unwrap_err();
	assert!(matches!(error, ClientError::Verification(_)), "{error}");
	assert!(error.to_string().contains("segment 2"), "{error}");
	let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
	assert!(left.is_empty(), "partial files left: {left:?}");

	let error = download_verified(&[client(&dead_url())], root, size, &output, 2, false).await;
	assert!(matches!(error.unwrap_err(), ClientError::Data(_)));
	assert!(download_verified(&[], root, size, &output, 2, false).await.is_err());
}

#[test]
fn the_data_plane_is_on_the_host_of_the_rpc_endpoint() {
	assert_eq!(data_url("ws://127.0.0.1:9944", 9950), "http://127.0.0.1:9950");
	assert_eq!(data_url("wss://rpc.example.org/path", 9950), "http://rpc.example.org:9950");
	assert_eq!(data_url("http://[::1]:9944", 1), "http://[::1]:1");
	assert_eq!(data_url("ws://node", 9950), "http://node:9950");
}
