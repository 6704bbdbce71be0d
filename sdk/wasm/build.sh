#!/usr/bin/env bash
# Builds the SDK's WebAssembly module (the DA erasure coding of zerog-primitives, sdk/wasm) and
# puts it where @zerog/sdk/da loads it from: sdk/dist/zerog_da.wasm. Run by tests/run.sh before
# the Node.js suite, and before `npm pack` of the SDK.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/zerog/target}"
cargo build --release --locked -p zerog-sdk-wasm --lib --target wasm32-unknown-unknown
mkdir -p sdk/dist
cp "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/zerog_sdk_wasm.wasm" sdk/dist/zerog_da.wasm
echo "sdk/dist/zerog_da.wasm: $(wc -c < sdk/dist/zerog_da.wasm) bytes"
