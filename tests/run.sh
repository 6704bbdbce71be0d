#!/usr/bin/env bash
# The whole test suite: unit, runtime and end-to-end tests (the latter start real zerog-node
# processes), then the Ethereum tooling suite (solc, ethers, @polkadot/api from npm).
# This is the README's test command and what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/zerog/target}"
# Each fuzz target (`fuzz_*` tests, arbitrary-driven) runs for this long; docs/testing.md has the
# command for long runs.
export ARBTEST_BUDGET_MS="${ARBTEST_BUDGET_MS:-1000}"

# Formatting first: it takes seconds and fails fast.
cargo fmt --all --check
# Then lints: clippy on every crate and target, warnings as errors (the three lints the workspace
# allows are in Cargo.toml, with why). A check build beside the release build, in the same cache.
cargo clippy --release --locked --workspace --all-targets -- -D warnings

# One build for everything: `--all-targets` resolves features exactly as `cargo test` does,
# so the node binary and the tests share every artifact.
cargo build --release --locked --workspace --all-targets
# The runtime with the try-runtime feature, in a target directory of its own, for
# tests/tests/try_runtime.rs (`zerog-node try-runtime` checks an upgrade on a chain's snapshot).
ZEROG_TRY_RUNTIME_WASM="$(runtime/try-runtime.sh)"
export ZEROG_TRY_RUNTIME_WASM
# The ZeroG pallets' benchmarks, each run once against its pallet's mock runtime (the
# `runtime-benchmarks` feature stays opt-in everywhere else): a benchmark that no longer runs
# fails here, not when the weights are regenerated (docs/weights.md).
cargo test --release --locked --features runtime-benchmarks --lib \
	-p pallet-storage-commitments -p pallet-da-attestations -p pallet-compute-escrow \
	-p pallet-parameter-bounds -p pallet-vrf-randomness -p pallet-marketplace -- benchmarking
# A runtime without the compute pallet (docs/appchain.md: a Cargo feature per ZeroG pallet), with
# its unit tests; native only (its wasm differs from the default one by cfgs alone).
SKIP_WASM_BUILD=1 cargo test --release --locked -p zerog-runtime --no-default-features \
	--features std,storage,da --lib
# `--show-output` keeps what passing tests print: measured recovery times, certification blocks,
# settlement figures.
cargo test --release --locked --workspace -- --show-output

# zombienet-sdk scenarios (native provider) on the node built above. zombienet/sdk-tests is a
# workspace of its own, built into a subdirectory of the same cache.
# (ZEROG_NODE is computed first: in `A=x B=$A cmd` bash expands B with the new A.)
zerog_node="$CARGO_TARGET_DIR/release/zerog-node"
CARGO_TARGET_DIR="$CARGO_TARGET_DIR/zombienet" ZEROG_NODE="$zerog_node" \
	cargo test --release --locked --manifest-path zombienet/sdk-tests/Cargo.toml -- --show-output

# The SDK's WebAssembly module (DA coding), which its tests load from sdk/dist/.
sdk/wasm/build.sh

# Real Ethereum tools against a real node: exact versions from package-lock.json.
cd tests/eth
npm ci --no-audit --no-fund
npm test
