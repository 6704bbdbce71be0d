#!/usr/bin/env python3
"""A deterministic OpenAI-compatible backend for the compute tests (standard library only).

Serves, over plain HTTP/1.1:

- ``POST /v1/chat/completions``: answers ``"echo: <last user message>"`` (cut to ``max_tokens``
  words when given) with ``usage`` counting whitespace-separated words: ``prompt_tokens`` over the
  contents of every message, ``completion_tokens`` over the answer.
- ``POST /v1/embeddings``: an 8-dimensional embedding per input derived from its SHA-256, with
  ``usage.prompt_tokens`` = ``usage.total_tokens`` = the words of all inputs.
- ``GET /v1/models``: the one model (``--model``).
- ``GET /health``: ``{"status": "ok"}``.

The same request always gets the same answer, byte for byte, so tests can predict token counts
and fees. ``"stream": true`` is refused with 400, as are malformed bodies; with ``--api-key`` a
request without ``Authorization: Bearer <key>`` gets 401. Model ``fail`` is refused with 400, so
tests can exercise a backend error.

Usage: ``fake_openai.py [--host 127.0.0.1] [--port 0] [--port-file FILE] [--model NAME]``.
It prints ``listening on http://HOST:PORT`` once ready (and writes the port to ``--port-file``).
"""

import argparse
import hashlib
import json
import os
import struct
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# Fixed so answers are identical across runs.
CREATED = 1_700_000_000


def words(text):
    """Number of whitespace-separated words: the fake tokenizer."""
    return len(str(text).split())


def content_text(content):
    """The text of a message's content: a string, or the text parts of a content list."""
    if isinstance(content, list):
        return " ".join(str(part.get("text", "")) for part in content if isinstance(part, dict))
    return "" if content is None else str(content)


def request_id(prefix, body):
    """A deterministic id derived from the request body."""
    return prefix + hashlib.sha256(body).hexdigest()[:24]


def chat_completion(request, body, model):
    """The answer to a chat request, or (status, error message)."""
    messages = request.get("messages")
    if not isinstance(messages, list) or not messages:
        return 400, "`messages` must be a non-empty list"
    texts = [content_text(m.get("content")) if isinstance(m, dict) else "" for m in messages]
    last_user = next(
        (content_text(m.get("content")) for m in reversed(messages)
         if isinstance(m, dict) and m.get("role") == "user"),
        texts[-1],
    )
    answer_words = ("echo: " + last_user).split()
    finish_reason = "stop"
    max_tokens = request.get("max_tokens")
    if isinstance(max_tokens, int) and max_tokens >= 0 and len(answer_words) > max_tokens:
        answer_words = answer_words[:max_tokens]
        finish_reason = "length"
    answer = " ".join(answer_words)
    prompt_tokens = sum(words(text) for text in texts)
    completion_tokens = len(answer_words)
    return 200, {
        "id": request_id("chatcmpl-", body),
        "object": "chat.completion",
        "created": CREATED,
        "model": request.get("model", model),
        "choices": [{
            "index": 0,
            "message": {"role": "assistant", "content": answer},
            "finish_reason": finish_reason,
        }],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


def embedding_of(text):
    """Eight floats in [-1, 1) from the SHA-256 of the text."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return [round(value / 2**31, 6) for value in struct.unpack(">8i", digest)]


def embeddings(request, model):
    """The answer to an embeddings request, or (status, error message)."""
    inputs = request.get("input")
    if isinstance(inputs, str):
        inputs = [inputs]
    if not isinstance(inputs, list) or not inputs or not all(isinstance(i, str) for i in inputs):
        return 400, "`input` must be a string or a non-empty list of strings"
    tokens = sum(words(text) for text in inputs)
    return 200, {
        "object": "list",
        "model": request.get("model", model),
        "data": [
            {"object": "embedding", "index": index, "embedding": embedding_of(text)}
            for index, text in enumerate(inputs)
        ],
        "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
    }


class Handler(BaseHTTPRequestHandler):
    """Routes the OpenAI endpoints; keeps connections alive (HTTP/1.1 with Content-Length)."""

    protocol_version = "HTTP/1.1"
    server_version = "fake-openai/1"
    model = "zerog-test-model"
    api_key = None

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        sys.stderr.write("fake_openai: " + (format % args) + "\n")

    def send_json(self, status, payload):
        data = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def send_error_json(self, status, message, code):
        self.send_json(status, {"error": {"message": message, "type": "invalid_request_error",
                                          "code": code}})

    def authorized(self):
        if self.api_key is None:
            return True
        if self.headers.get("Authorization") == "Bearer " + self.api_key:
            return True
        self.send_error_json(401, "missing or wrong API key", "invalid_api_key")
        return False

    def do_GET(self):  # noqa: N802 - http.server's naming
        if self.path == "/health":
            self.send_json(200, {"status": "ok"})
        elif self.path == "/v1/models":
            if self.authorized():
                self.send_json(200, {"object": "list", "data": [
                    {"id": self.model, "object": "model", "created": CREATED, "owned_by": "zerog"}]})
        else:
            self.send_error_json(404, "no such endpoint: GET " + self.path, "not_found")

    def do_POST(self):  # noqa: N802 - http.server's naming
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        if not self.authorized():
            return
        if self.path not in ("/v1/chat/completions", "/v1/embeddings"):
            self.send_error_json(404, "no such endpoint: POST " + self.path, "not_found")
            return
        try:
            request = json.loads(body)
        except ValueError as error:
            self.send_error_json(400, "the body is not JSON: %s" % error, "invalid_json")
            return
        if not isinstance(request, dict):
            self.send_error_json(400, "the body is not a JSON object", "invalid_json")
            return
        if request.get("stream"):
            self.send_error_json(400, "streaming is not supported", "stream_unsupported")
            return
        if request.get("model") == "fail":
            self.send_error_json(400, "model `fail` always fails", "model_not_found")
            return
        if self.path == "/v1/chat/completions":
            status, answer = chat_completion(request, body, self.model)
        else:
            status, answer = embeddings(request, self.model)
        if status == 200:
            self.send_json(200, answer)
        else:
            self.send_error_json(status, answer, "invalid_request")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--port-file", help="write the bound port to this file once listening")
    parser.add_argument("--model", default=Handler.model)
    parser.add_argument("--api-key", help="require Authorization: Bearer KEY")
    args = parser.parse_args()

    Handler.model = args.model
    Handler.api_key = args.api_key
    server = ThreadingHTTPServer((args.host, args.port), Handler)
    server.daemon_threads = True
    port = server.server_address[1]
    if args.port_file:
        with open(args.port_file + ".tmp", "w") as file:
            file.write(str(port))
        # Atomic, so a test polling the file never reads a partial port.
        os.replace(args.port_file + ".tmp", args.port_file)
    print("listening on http://%s:%d" % (args.host, port), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
