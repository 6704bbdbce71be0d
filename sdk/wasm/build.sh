#!/usr/bin/env bash
# Builds the SDK's WebAssembly module (the DA erasure coding and the file encryption of
# zerog-primitives, sdk/wasm) and puts it where @zerog/sdk loads it from: sdk/dist/zerog_sdk.wasm.
# Run by tests/run.sh before the Node.js suite, and before `npm pack` of the SDK.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/zerog/target}"
cargo build --release --locked -p zerog-sdk-wasm --lib --target wasm32-unknown-unknown
mkdir -p sdk/dist
cp "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/zerog_sdk_wasm.wasm" sdk/dist/zerog_sdk.wasm
echo "sdk/dist/zerog_sdk.wasm: $(wc -c < sdk/dist/zerog_sdk.wasm) bytes"
