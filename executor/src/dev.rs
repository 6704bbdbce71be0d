//! `zerog-executor --dev`: a compute provider for a development chain in one command.
//!
//! A `--dev` chain (the `development` genesis preset) registers Alice as a compute provider
//! with two services: an inference service of model `zerog-dev-echo` and a job service of
//! model `zerog-dev-wordcount`, both at `http://127.0.0.1:8700`. With `--dev` the executor signs
//! as `//Alice` (a public dev key), keeps its state in a fresh temporary directory, and serves
//! both services with stand-ins built into it, labelled as such in every answer:
//!
//! - [`EchoBackend`], an OpenAI-compatible server that answers a chat with the last user message
//!   (prefixed with [`ECHO_LABEL`]) and counts whitespace-separated words as tokens, so
//!   `zerog compute chat` is metered, countersigned and settled like a real model's answer
//!   (streamed as Server-Sent Events, word by word, with `"stream": true`);
//! - [`WORDCOUNT_COMMAND`], the job command of every job service of the provider that has no
//!   `--service` command: it writes a label and `wc`'s line, word and byte counts of the dataset.
//!
//! When the executor listens elsewhere than the endpoint its services name on chain (another
//! `--listen`, a test on a free port), it points them at itself with `update_service` at start,
//! so clients find it. Nothing here is for a real chain: the flags it implies say so in `--help`.

use crate::server::HttpResponse;
use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::{body::Incoming, service::service_fn, Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use std::{convert::Infallible, net::SocketAddr};

/// The account `--dev` signs with.
pub const DEV_SURI: &str = "//Alice";

/// The model name of the echo backend (the dev preset's inference service).
pub const ECHO_MODEL: &str = "zerog-dev-echo";

/// What every echo answer starts with, so nobody mistakes it for a model.
pub const ECHO_LABEL: &str = "[zerog-executor --dev echo backend, not a model]";

/// The command of dev job services: a label, then `wc`'s counts of the dataset.
pub const WORDCOUNT_COMMAND: &str = "printf '%s\\n' 'zerog-executor --dev wordcount job (a test \
	 job, not training): lines words bytes of the dataset' > \"$ZEROG_OUTPUT_DIR/output\" && wc -l \
	 -w -c < \"$ZEROG_DATASET\" >> \"$ZEROG_OUTPUT_DIR/output\"";

/// Largest request the echo backend reads.
const MAX_REQUEST_BYTES: usize = 1024 * 1024;

/// The built-in OpenAI-compatible stand-in of `--dev`.
pub struct EchoBackend;

impl EchoBackend {
	/// Serves on a free loopback port in the background; returns its base URL (`…/v1`).
	pub async fn spawn() -> std::io::Result<String> {
		let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
		let address: SocketAddr = listener.local_addr()?;
		tokio::spawn(async move {
			loop {
				let Ok((stream, _)) = listener.accept().await else { continue };
				tokio::spawn(async move {
					let service = service_fn(|request: Request<Incoming>| async move {
						Ok::<_, Infallible>(answer(request).await)
					});
					let _ = hyper::server::conn::http1::Builder::new()
						.serve_connection(TokioIo::new(stream), service)
						.await;
				});
			}
		});
		Ok(format!("http://{address}/v1"))
	}
}

/// Answers one request to the echo backend.
async fn answer(request: Request<Incoming>) -> HttpResponse {
	let (method, path) = (request.method().clone(), request.uri().path().to_owned());
	let body = match Limited::new(request.into_body(), MAX_REQUEST_BYTES).collect().await {
		Ok(body) => body.to_bytes(),
		Err(_) => {
			return reply(StatusCode::PAYLOAD_TOO_LARGE, json!({"error": {"message": "too large"}}))
		},
	};
	let asked: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
	match (method, path.as_str()) {
		(Method::POST, "/v1/chat/completions") if asked["stream"] == true => {
			let include_usage = asked["stream_options"]["include_usage"] == true;
			let events = crate::gateway::stream::completion_as_stream(&chat(&asked), include_usage);
			let mut response = Response::new(Full::new(Bytes::from(events)));
			response.headers_mut().insert(
				hyper::header::CONTENT_TYPE,
				hyper::header::HeaderValue::from_static("text/event-stream"),
			);
			response
		},
		(Method::POST, "/v1/chat/completions") => reply(StatusCode::OK, chat(&asked)),
		(Method::POST, "/v1/embeddings") => reply(StatusCode::OK, embeddings(&asked)),
		(Method::GET, "/v1/models") => reply(
			StatusCode::OK,
			json!({"object": "list", "data": [{"id": ECHO_MODEL, "object": "model", "owned_by": "zerog-executor --dev"}]}),
		),
		_ => reply(
			StatusCode::NOT_FOUND,
			json!({"error": {"message": format!("{path} is not served by the echo backend")}}),
		),
	}
}

/// Tokens of a text as the echo backend counts them: whitespace-separated words.
fn tokens(text: &str) -> u64 {
	text.split_whitespace().count() as u64
}

/// A chat completion that echoes the last user message, at most `max_tokens` words of it.
fn chat(asked: &Value) -> Value {
	let messages = asked["messages"].as_array().cloned().unwrap_or_default();
	let prompt_tokens: u64 =
		messages.iter().map(|message| tokens(message["content"].as_str().unwrap_or(""))).sum();
	let last = messages
		.iter()
		.rev()
		.find(|message| message["role"] == "user")
		.and_then(|message| message["content"].as_str())
		.unwrap_or("");
	let limit = asked["max_tokens"].as_u64().or_else(|| asked["max_completion_tokens"].as_u64());
	let mut words: Vec<&str> =
		ECHO_LABEL.split_whitespace().chain(last.split_whitespace()).collect();
	let finish_reason = match limit {
		Some(limit) if (words.len() as u64) > limit => {
			words.truncate(limit as usize);
			"length"
		},
		_ => "stop",
	};
	let content = words.join(" ");
	json!({
		"id": "chatcmpl-zerog-dev-echo",
		"object": "chat.completion",
		"model": ECHO_MODEL,
		"choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": finish_reason}],
		"usage": {
			"prompt_tokens": prompt_tokens,
			"completion_tokens": words.len(),
			"total_tokens": prompt_tokens + words.len() as u64,
		},
	})
}

/// Embeddings that are a function of the text (eight numbers from its bytes), not of meaning.
fn embeddings(asked: &Value) -> Value {
	let inputs: Vec<String> = match &asked["input"] {
		Value::String(text) => vec![text.clone()],
		Value::Array(items) => {
			items.iter().filter_map(|item| item.as_str().map(str::to_owned)).collect()
		},
		_ => Vec::new(),
	};
	let data: Vec<Value> = inputs
		.iter()
		.enumerate()
		.map(|(index, text)| {
			let hash = crate::encoding::keccak_256(text.as_bytes());
			let vector: Vec<f64> = hash[..8].iter().map(|byte| f64::from(*byte) / 255.0).collect();
			json!({"object": "embedding", "index": index, "embedding": vector})
		})
		.collect();
	let prompt_tokens: u64 = inputs.iter().map(|text| tokens(text)).sum();
	json!({
		"object": "list",
		"model": ECHO_MODEL,
		"data": data,
		"usage": {"prompt_tokens": prompt_tokens, "total_tokens": prompt_tokens},
	})
}

fn reply(status: StatusCode, body: Value) -> HttpResponse {
	let mut response = Response::new(Full::new(Bytes::from(body.to_string())));
	*response.status_mut() = status;
	response.headers_mut().insert(
		hyper::header::CONTENT_TYPE,
		hyper::header::HeaderValue::from_static("application/json"),
	);
	response
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn chat_echoes_the_last_user_message_with_the_label_and_counts_words() {
		let answer = chat(&json!({"model": ECHO_MODEL, "messages": [
			{"role": "system", "content": "be brief"},
			{"role": "user", "content": "What is ZeroG?"},
		]}));
		let content = answer["choices"][0]["message"]["content"].as_str().unwrap();
		assert!(content.starts_with(ECHO_LABEL), "{content}");
		assert!(content.ends_with("What is ZeroG?"), "{content}");
		assert_eq!(answer["usage"]["prompt_tokens"], 5);
		assert_eq!(answer["usage"]["completion_tokens"], tokens(content));
		assert_eq!(answer["choices"][0]["finish_reason"], "stop");
	}

	#[test]
	fn max_tokens_bounds_the_answer() {
		let answer = chat(
			&json!({"messages": [{"role": "user", "content": "a b c d e f g h i j k l"}], "max_tokens": 3}),
		);
		assert_eq!(answer["usage"]["completion_tokens"], 3);
		assert_eq!(answer["choices"][0]["finish_reason"], "length");
	}

	#[test]
	fn embeddings_depend_on_the_text_only() {
		let one = embeddings(&json!({"input": "hello world"}));
		let two = embeddings(&json!({"input": ["hello world", "other"]}));
		assert_eq!(one["data"][0]["embedding"], two["data"][0]["embedding"]);
		assert_ne!(two["data"][0]["embedding"], two["data"][1]["embedding"]);
		assert_eq!(one["usage"]["prompt_tokens"], 2);
	}

	#[tokio::test]
	async fn the_backend_serves_over_http() {
		let base = EchoBackend::spawn().await.unwrap();
		let address: SocketAddr =
			base.trim_start_matches("http://").trim_end_matches("/v1").parse().unwrap();
		let body = json!({"messages": [{"role": "user", "content": "ping"}]}).to_string();
		let (status, _, answer) = crate::testing::http_request(
			address,
			"POST",
			"/v1/chat/completions",
			&[],
			body.as_bytes(),
		)
		.await;
		assert_eq!(status, 200, "{answer}");
		assert!(answer.contains("ping"));
		let (status, _, answer) =
			crate::testing::http_request(address, "GET", "/v1/models", &[], b"").await;
		assert_eq!(status, 200);
		assert!(answer.contains(ECHO_MODEL));
	}

	#[test]
	fn the_wordcount_command_labels_and_counts() {
		let dir = tempfile::tempdir().unwrap();
		let dataset = dir.path().join("dataset");
		std::fs::write(&dataset, "one two\nthree\n").unwrap();
		let status = std::process::Command::new("sh")
			.args(["-c", WORDCOUNT_COMMAND])
			.env("ZEROG_DATASET", &dataset)
			.env("ZEROG_OUTPUT_DIR", dir.path())
			.status()
			.unwrap();
		assert!(status.success());
		let output = std::fs::read_to_string(dir.path().join("output")).unwrap();
		assert!(output.starts_with("zerog-executor --dev wordcount job"), "{output}");
		let counts: Vec<&str> = output.lines().nth(1).unwrap().split_whitespace().collect();
		assert_eq!(counts, ["2", "3", "14"]);
	}
}
