#!/usr/bin/env python3
"""ZeroG's reference fine-tuning program: a tiny character-level language model in numpy,
fine-tuned with LoRA, and served over an OpenAI-compatible chat API.

It is small enough to train on a CPU in seconds, so the whole flow (a base model and a dataset
from the marketplace, a fine-tuning job, its encrypted result, a deployed model answering chat
completions through the gateway) runs in a test; the same job contract fits a PyTorch program.

The model reads the last ``context`` bytes (UTF-8) and predicts the next one: a byte embedding,
one tanh hidden layer and a softmax over 256 bytes. LoRA adds trainable low-rank matrices
``A @ B`` (rank ``rank``, scaled by ``alpha / rank``) to both weight matrices and trains only
them; the fine-tuned model is written with the adapters merged into the weights.

Subcommands:

- ``init --out FILE [--corpus FILE] [--steps N] [--seed S]``: a base model, pretrained on
  ``--corpus`` (all weights) when given.
- ``finetune``: the job. Reads ``$ZEROG_INPUTS/0`` (the base model), ``$ZEROG_INPUTS/1`` (the
  dataset, UTF-8 text) and ``$ZEROG_PARAMS`` (JSON hyper-parameters: ``rank``, ``alpha``,
  ``learning_rate``, ``steps``, ``batch_size``, ``seed``; unknown keys are refused), writes the
  fine-tuned model to ``$ZEROG_OUTPUT_DIR/output`` with its training losses, and prints the loss
  every 50 steps. Outside a job, ``--base``, ``--dataset``, ``--params`` and ``--out`` say the
  same.
- ``info --model FILE``: the model's configuration and losses, as JSON.
- ``generate --model FILE --prompt TEXT [--max-tokens N]``: the greedy continuation.
- ``serve --model FILE [--host H] [--port P] [--port-file F] [--name NAME]``: ``POST
  /v1/chat/completions`` answers the last user message with its greedy continuation (one byte
  is one token in ``usage``), ``GET /v1/models``, ``GET /health``.

Deterministic: fixed seeds, so the same inputs give the same model and the same answers.
Exits non-zero with a message on bad input.
"""

import argparse
import io
import json
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np

VOCAB = 256
CONTEXT = 8
EMBED = 16
HIDDEN = 64
DEFAULTS = {
    "rank": 4,
    "alpha": 8.0,
    "learning_rate": 0.02,
    "steps": 300,
    "batch_size": 64,
    "seed": 7,
}
LIMITS = {
    "rank": (1, 32),
    "alpha": (0.01, 1000.0),
    "learning_rate": (1e-6, 1.0),
    "steps": (1, 20000),
    "batch_size": (1, 4096),
    "seed": (0, 2**31 - 1),
}


def fail(message, code=2):
    """Exits with `message` on stderr."""
    sys.stderr.write("tiny_lm: " + message + "\n")
    sys.exit(code)


def read_bytes(path, what):
    try:
        with open(path, "rb") as source:
            return source.read()
    except OSError as error:
        fail(f"{what} {path}: {error}")


# ---- the model ----------------------------------------------------------------------------

def new_weights(seed):
    rng = np.random.default_rng(seed)
    scale = lambda fan_in: 1.0 / np.sqrt(fan_in)  # noqa: E731
    return {
        "E": rng.normal(0, 0.1, (VOCAB, EMBED)),
        "W1": rng.normal(0, scale(CONTEXT * EMBED), (CONTEXT * EMBED, HIDDEN)),
        "b1": np.zeros(HIDDEN),
        "W2": rng.normal(0, scale(HIDDEN), (HIDDEN, VOCAB)),
        "b2": np.zeros(VOCAB),
    }


def save(path_or_file, weights, meta):
    buffer = io.BytesIO()
    np.savez(buffer, meta=np.frombuffer(json.dumps(meta, sort_keys=True).encode(), dtype=np.uint8),
             **weights)
    data = buffer.getvalue()
    if hasattr(path_or_file, "write"):
        path_or_file.write(data)
    else:
        with open(path_or_file, "wb") as out:
            out.write(data)


def load(path):
    try:
        with np.load(io.BytesIO(read_bytes(path, "model")), allow_pickle=False) as archive:
            weights = {name: archive[name].astype(np.float64) for name in ("E", "W1", "b1", "W2", "b2")}
            meta = json.loads(archive["meta"].tobytes().decode())
    except (ValueError, KeyError, OSError) as error:
        fail(f"{path} is not a tiny_lm model: {error}")
    if weights["E"].shape != (VOCAB, EMBED) or weights["W1"].shape != (CONTEXT * EMBED, HIDDEN):
        fail(f"{path} has another architecture")
    return weights, meta


def windows(data):
    """Every (context, next byte) pair of `data`, the context left-padded with spaces."""
    padded = np.frombuffer(b" " * CONTEXT + data, dtype=np.uint8).astype(np.int64)
    contexts = np.lib.stride_tricks.sliding_window_view(padded[:-1], CONTEXT)
    return contexts, padded[CONTEXT:]


def forward(weights, contexts, lora=None):
    """Hidden activations, logits, and what backward needs."""
    W1, W2 = weights["W1"], weights["W2"]
    if lora is not None:
        W1 = W1 + lora["scale"] * lora["A1"] @ lora["B1"]
        W2 = W2 + lora["scale"] * lora["A2"] @ lora["B2"]
    x = weights["E"][contexts].reshape(len(contexts), CONTEXT * EMBED)
    h = np.tanh(x @ W1 + weights["b1"])
    logits = h @ W2 + weights["b2"]
    return x, h, logits, W1, W2


def loss_and_grads(weights, contexts, targets, lora=None):
    """Mean cross-entropy and the gradients of every weight (and of the adapters)."""
    x, h, logits, W1, W2 = forward(weights, contexts, lora)
    logits = logits - logits.max(axis=1, keepdims=True)
    probabilities = np.exp(logits)
    probabilities /= probabilities.sum(axis=1, keepdims=True)
    n = len(targets)
    loss = -np.log(probabilities[np.arange(n), targets] + 1e-12).mean()
    d_logits = probabilities
    d_logits[np.arange(n), targets] -= 1
    d_logits /= n
    grads = {"W2": h.T @ d_logits, "b2": d_logits.sum(axis=0)}
    d_h = d_logits @ W2.T
    d_z = d_h * (1 - h * h)
    grads["W1"] = x.T @ d_z
    grads["b1"] = d_z.sum(axis=0)
    d_x = (d_z @ W1.T).reshape(n, CONTEXT, EMBED)
    grads["E"] = np.zeros_like(weights["E"])
    np.add.at(grads["E"], contexts, d_x)
    if lora is not None:
        s = lora["scale"]
        grads["A1"] = s * grads["W1"] @ lora["B1"].T
        grads["B1"] = s * lora["A1"].T @ grads["W1"]
        grads["A2"] = s * grads["W2"] @ lora["B2"].T
        grads["B2"] = s * lora["A2"].T @ grads["W2"]
    return loss, grads


class Adam:
    def __init__(self, names, learning_rate):
        self.names, self.rate, self.t = names, learning_rate, 0
        self.m, self.v = {}, {}

    def step(self, params, grads):
        self.t += 1
        for name in self.names:
            g = grads[name]
            self.m[name] = 0.9 * self.m.get(name, 0) + 0.1 * g
            self.v[name] = 0.999 * self.v.get(name, 0) + 0.001 * g * g
            m_hat = self.m[name] / (1 - 0.9 ** self.t)
            v_hat = self.v[name] / (1 - 0.999 ** self.t)
            params[name] -= self.rate * m_hat / (np.sqrt(v_hat) + 1e-8)


def train(params, trained, data, steps, batch_size, learning_rate, seed, step_loss):
    """Adam on the `trained` entries of `params`; returns the loss every 10 steps."""
    contexts, targets = windows(data)
    if len(targets) < 2:
        fail("the training text is too short")
    rng = np.random.default_rng(seed)
    optimizer = Adam(trained, learning_rate)
    losses = []
    for step in range(steps):
        batch = rng.integers(0, len(targets), min(batch_size, len(targets)))
        loss, grads = step_loss(contexts[batch], targets[batch])
        optimizer.step(params, grads)
        if step % 10 == 0 or step == steps - 1:
            losses.append(round(float(loss), 6))
        if step % 50 == 0 or step == steps - 1:
            print(f"step {step} loss {loss:.4f}", flush=True)
    return losses


def full_loss(weights, data):
    contexts, targets = windows(data)
    return float(loss_and_grads(weights, contexts, targets)[0])


# ---- subcommands --------------------------------------------------------------------------

def cmd_init(args):
    weights = new_weights(args.seed)
    losses = []
    if args.corpus:
        corpus = read_bytes(args.corpus, "corpus")
        losses = train(weights, ["E", "W1", "b1", "W2", "b2"], corpus, args.steps, 64, 0.01,
                       args.seed, lambda c, t: loss_and_grads(weights, c, t))
    save(args.out, weights, {"kind": "base", "context": CONTEXT, "losses": losses})


def hyper_parameters(text):
    try:
        given = json.loads(text or b"{}")
    except ValueError as error:
        fail(f"the parameters are not JSON: {error}")
    if not isinstance(given, dict):
        fail("the parameters must be a JSON object")
    unknown = sorted(set(given) - set(DEFAULTS))
    if unknown:
        fail(f"unknown parameters {unknown}; known: {sorted(DEFAULTS)}")
    params = dict(DEFAULTS, **given)
    for name, (low, high) in LIMITS.items():
        value = params[name]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
            fail(f"{name} must be a number from {low} to {high}, not {value!r}")
    for name in ("rank", "steps", "batch_size", "seed"):
        if int(params[name]) != params[name]:
            fail(f"{name} must be a whole number")
        params[name] = int(params[name])
    return params


def cmd_finetune(args):
    inputs = os.environ.get("ZEROG_INPUTS")
    base = args.base or (inputs and os.path.join(inputs, "0"))
    dataset = args.dataset or (inputs and os.path.join(inputs, "1"))
    params_path = args.params or os.environ.get("ZEROG_PARAMS")
    out = args.out or (os.environ.get("ZEROG_OUTPUT_DIR") and
                       os.path.join(os.environ["ZEROG_OUTPUT_DIR"], "output"))
    if not (base and dataset and out):
        fail("finetune needs a base model and a dataset (job inputs 0 and 1) and an output")
    params = hyper_parameters(read_bytes(params_path, "parameters") if params_path else b"")
    weights, base_meta = load(base)
    data = read_bytes(dataset, "dataset")
    rng = np.random.default_rng(params["seed"])
    rank = params["rank"]
    lora = {
        "scale": params["alpha"] / rank,
        "A1": rng.normal(0, 0.02, (CONTEXT * EMBED, rank)),
        "B1": np.zeros((rank, HIDDEN)),
        "A2": rng.normal(0, 0.02, (HIDDEN, rank)),
        "B2": np.zeros((rank, VOCAB)),
    }
    before = full_loss(weights, data)
    losses = train(lora, ["A1", "B1", "A2", "B2"], data, params["steps"], params["batch_size"],
                   params["learning_rate"], params["seed"],
                   lambda c, t: loss_and_grads(weights, c, t, lora))
    merged = dict(weights)
    merged["W1"] = weights["W1"] + lora["scale"] * lora["A1"] @ lora["B1"]
    merged["W2"] = weights["W2"] + lora["scale"] * lora["A2"] @ lora["B2"]
    after = full_loss(merged, data)
    print(f"dataset loss {before:.4f} -> {after:.4f}", flush=True)
    meta = {
        "kind": "lora-finetuned",
        "context": CONTEXT,
        "params": params,
        "losses": losses,
        "dataset_loss_before": round(before, 6),
        "dataset_loss_after": round(after, 6),
        "base": base_meta.get("kind"),
    }
    save(out, merged, meta)


def cmd_info(args):
    _, meta = load(args.model)
    print(json.dumps(meta, sort_keys=True))


def generate(weights, prompt, max_tokens):
    data = bytearray(prompt.encode("utf-8"))
    produced = bytearray()
    for _ in range(max_tokens):
        context = (b" " * CONTEXT + bytes(data))[-CONTEXT:]
        contexts = np.frombuffer(context, dtype=np.uint8).astype(np.int64)[None, :]
        _, _, logits, _, _ = forward(weights, contexts)
        byte = int(np.argmax(logits[0]))
        if byte == ord("\n") and produced:
            break
        data.append(byte)
        produced.append(byte)
    return produced.decode("utf-8", errors="replace")


def cmd_generate(args):
    weights, _ = load(args.model)
    sys.stdout.write(generate(weights, args.prompt, args.max_tokens))


def content_text(content):
    if isinstance(content, list):
        return "".join(str(part.get("text", "")) for part in content if isinstance(part, dict))
    return "" if content is None else str(content)


def cmd_serve(args):
    weights, _ = load(args.model)
    name = args.name

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_):
            pass

        def answer(self, status, body):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            if self.path == "/health":
                return self.answer(200, {"status": "ok"})
            if self.path == "/v1/models":
                return self.answer(200, {"object": "list", "data": [{"id": name, "object": "model"}]})
            self.answer(404, {"error": {"message": "not found"}})

        def do_POST(self):
            if self.path != "/v1/chat/completions":
                return self.answer(404, {"error": {"message": "not found"}})
            try:
                length = int(self.headers.get("Content-Length", "0"))
                request = json.loads(self.rfile.read(length))
                messages = request["messages"]
                prompt = next(content_text(m.get("content")) for m in reversed(messages)
                              if m.get("role") == "user")
            except (ValueError, KeyError, TypeError, StopIteration, AttributeError):
                return self.answer(400, {"error": {"message": "expected messages with a user message"}})
            if request.get("stream"):
                return self.answer(400, {"error": {"message": "streaming is not supported"}})
            max_tokens = request.get("max_tokens", 48)
            if not isinstance(max_tokens, int) or not 1 <= max_tokens <= 256:
                return self.answer(400, {"error": {"message": "max_tokens must be 1 to 256"}})
            text = generate(weights, prompt, max_tokens)
            prompt_tokens = sum(len(content_text(m.get("content")).encode()) for m in messages)
            completion_tokens = len(text.encode())
            self.answer(200, {
                "id": "chatcmpl-tiny-lm",
                "object": "chat.completion",
                "created": 1_700_000_000,
                "model": name,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                             "finish_reason": "stop"}],
                "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                          "total_tokens": prompt_tokens + completion_tokens},
            })

    server = ThreadingHTTPServer((args.host, args.port), Handler)
    port = server.server_address[1]
    if args.port_file:
        with open(args.port_file, "w") as out:
            out.write(str(port))
    print(f"listening on http://{args.host}:{port}", flush=True)
    server.serve_forever()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    init = commands.add_parser("init", help="make a base model")
    init.add_argument("--out", required=True)
    init.add_argument("--corpus")
    init.add_argument("--steps", type=int, default=300)
    init.add_argument("--seed", type=int, default=1)
    finetune = commands.add_parser("finetune", help="the fine-tuning job")
    for flag in ("--base", "--dataset", "--params", "--out"):
        finetune.add_argument(flag)
    info = commands.add_parser("info", help="a model's configuration and losses")
    info.add_argument("--model", required=True)
    gen = commands.add_parser("generate", help="the greedy continuation of a prompt")
    gen.add_argument("--model", required=True)
    gen.add_argument("--prompt", required=True)
    gen.add_argument("--max-tokens", type=int, default=48)
    serve = commands.add_parser("serve", help="an OpenAI-compatible chat server")
    serve.add_argument("--model", required=True)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=0)
    serve.add_argument("--port-file")
    serve.add_argument("--name", default="tiny-lm")
    args = parser.parse_args()
    {"init": cmd_init, "finetune": cmd_finetune, "info": cmd_info, "generate": cmd_generate,
     "serve": cmd_serve}[args.command](args)


if __name__ == "__main__":
    main()
