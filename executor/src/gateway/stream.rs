//! Streamed chat completions (`"stream": true`), metered like the rest.
//!
//! The gateway asks the backend for the usage of the whole answer
//! (`stream_options.include_usage`), reads the stream to its end, meters it from the usage
//! chunk, checks the caps, stores the metered receipt, and only then sends the events to the
//! client, with the receipt in the headers like any answer. A client therefore gets the exact
//! Server-Sent Events the backend produced (the OpenAI clients parse them unchanged), but all of
//! them at once: the first token arrives when the answer is complete. Forwarding events as they
//! come would release tokens before the gateway knows whether the answer stays within what the
//! user paid for.

use crate::gateway::metering::Usage;
use serde_json::Value;

/// The `data:` payloads of an SSE stream, in order, without the final `[DONE]`.
pub fn data_events(stream: &[u8]) -> Vec<String> {
	let text = String::from_utf8_lossy(stream);
	let mut events = Vec::new();
	let mut data: Option<String> = None;
	for line in text.lines().chain(std::iter::once("")) {
		if line.is_empty() {
			if let Some(event) = data.take() {
				if event.trim() != "[DONE]" {
					events.push(event);
				}
			}
		} else if let Some(value) = line.strip_prefix("data:") {
			let value = value.strip_prefix(' ').unwrap_or(value);
			match &mut data {
				Some(event) => {
					event.push('\n');
					event.push_str(value);
				},
				None => data = Some(value.to_owned()),
			}
		}
	}
	events
}

/// The usage of a streamed chat completion: the last event with a `usage` object (the chunk
/// `stream_options.include_usage` adds at the end).
pub fn usage_of_stream(stream: &[u8]) -> Result<Usage, String> {
	let chunks: Vec<Value> = data_events(stream)
		.iter()
		.map(|event| serde_json::from_str(event))
		.collect::<Result<_, _>>()
		.map_err(|error| {
			format!("the backend's stream holds an event that is not JSON: {error}")
		})?;
	let last_usage =
		chunks.iter().rev().find(|chunk| chunk["usage"].is_object()).ok_or_else(|| {
			"the backend's stream carries no usage; it must honour stream_options.include_usage"
				.to_owned()
		})?;
	Usage::from_answer(last_usage)
}

/// Asks the backend for the usage of a streamed answer (`stream_options.include_usage`).
pub fn ask_for_usage(request: &mut serde_json::Map<String, Value>) {
	let options =
		request.entry("stream_options").or_insert_with(|| Value::Object(Default::default()));
	if !options.is_object() {
		*options = Value::Object(Default::default());
	}
	options["include_usage"] = Value::Bool(true);
}

/// Whether a request asks for a streamed answer.
pub fn wants_stream(request: &serde_json::Map<String, Value>) -> bool {
	request.get("stream").and_then(Value::as_bool) == Some(true)
}

/// A chat completion as the SSE events an OpenAI server streams: the role, one chunk per word of
/// the content, the finish reason, then (with `include_usage`) a chunk with the usage, and
/// `[DONE]`. For backends that answer whole completions, like the `--dev` echo backend.
pub fn completion_as_stream(completion: &Value, include_usage: bool) -> String {
	let chunk = |delta: Value, finish: Value| {
		serde_json::json!({
			"id": completion["id"],
			"object": "chat.completion.chunk",
			"created": completion["created"],
			"model": completion["model"],
			"choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
		})
	};
	let content = completion["choices"][0]["message"]["content"].as_str().unwrap_or_default();
	let mut events =
		vec![chunk(serde_json::json!({"role": "assistant", "content": ""}), Value::Null)];
	for (index, word) in content.split(' ').enumerate() {
		let piece = if index == 0 { word.to_owned() } else { format!(" {word}") };
		events.push(chunk(serde_json::json!({"content": piece}), Value::Null));
	}
	events.push(chunk(serde_json::json!({}), completion["choices"][0]["finish_reason"].clone()));
	if include_usage {
		events.push(serde_json::json!({
			"id": completion["id"],
			"object": "chat.completion.chunk",
			"created": completion["created"],
			"model": completion["model"],
			"choices": [],
			"usage": completion["usage"],
		}));
	}
	let mut stream: String = events.iter().map(|event| format!("data: {event}\n\n")).collect();
	stream.push_str("data: [DONE]\n\n");
	stream
}

#[cfg(test)]
mod tests {
	use super::*;
	use serde_json::json;

	fn completion() -> Value {
		json!({
			"id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "m",
			"choices": [{"index": 0, "message": {"role": "assistant", "content": "echo: hi there"}, "finish_reason": "stop"}],
			"usage": {"prompt_tokens": 2, "completion_tokens": 3, "total_tokens": 5},
		})
	}

	#[test]
	fn a_streamed_completion_is_metered_from_its_usage_chunk() {
		let stream = completion_as_stream(&completion(), true);
		let usage = usage_of_stream(stream.as_bytes()).unwrap();
		assert_eq!((usage.input_tokens, usage.output_tokens), (2, 3));
		let content: String = data_events(stream.as_bytes())
			.iter()
			.filter_map(|event| {
				let chunk: Value = serde_json::from_str(event).unwrap();
				chunk["choices"][0]["delta"]["content"].as_str().map(str::to_owned)
			})
			.collect();
		assert_eq!(content, "echo: hi there");
	}

	#[test]
	fn a_stream_without_usage_or_with_garbage_is_not_metered() {
		let stream = completion_as_stream(&completion(), false);
		assert!(usage_of_stream(stream.as_bytes()).unwrap_err().contains("include_usage"));
		assert!(usage_of_stream(b"data: {not json\n\n").unwrap_err().contains("not JSON"));
		assert!(usage_of_stream(b"").is_err());
	}

	#[test]
	fn events_are_split_on_blank_lines_and_comments_are_skipped() {
		let stream =
			b": keep-alive\n\ndata: {\"a\":1}\r\n\r\ndata:{\"b\":\ndata: 2}\n\ndata: [DONE]\n\n";
		assert_eq!(data_events(stream), ["{\"a\":1}", "{\"b\":\n2}"]);
	}

	#[test]
	fn usage_is_asked_for_whatever_the_client_sent() {
		for options in [json!(null), json!("x"), json!({"include_usage": false})] {
			let mut request = json!({"stream": true, "stream_options": options});
			let request = request.as_object_mut().unwrap();
			ask_for_usage(request);
			assert_eq!(request["stream_options"]["include_usage"], true);
		}
		let mut request = serde_json::Map::new();
		ask_for_usage(&mut request);
		assert_eq!(request["stream_options"], json!({"include_usage": true}));
		assert!(!wants_stream(&request));
	}
}
