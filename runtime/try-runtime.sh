#!/usr/bin/env bash
# Builds the upgrade candidate: this source as the next release (`next-spec-version`: the spec
# version one above the runtime the chain specs carry) with the `try-runtime` feature (its
# `TryRuntime` API, every pallet's `try_state` and migration checks), in a target directory of
# its own, so the node and runtime that chains run never carry the checks; prints the wasm's
# path for `zerog-node try-runtime --runtime` and the upgrade test (tests/tests/validators.rs).
#
#   runtime/try-runtime.sh                      # build, print the path
#   ZEROG_TRY_RUNTIME_TARGET_DIR=dir runtime/try-runtime.sh
#
# The first build compiles polkadot-sdk once more with the feature (about 40 minutes on two
# cores); later ones rebuild the runtime only.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
target=${ZEROG_TRY_RUNTIME_TARGET_DIR:-$HOME/.cache/zerog/try-runtime-target}
(cd "$repo" && CARGO_TARGET_DIR=$target cargo build --release --locked -p zerog-runtime \
	--features try-runtime,next-spec-version >&2)
wasm=$target/release/wbuild/zerog-runtime/zerog_runtime.compact.compressed.wasm
[ -f "$wasm" ] || { echo "try-runtime.sh: the build left no $wasm" >&2; exit 1; }
echo "$wasm"
