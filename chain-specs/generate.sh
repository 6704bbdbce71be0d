#!/usr/bin/env bash
# Regenerates the raw chain specs from the runtime's genesis presets.
# Usage: ./chain-specs/generate.sh   (builds zerog-node first if needed)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/zerog/target}"
# The same build as the test suite's, so no artifact is rebuilt with other features.
cargo build --release --locked --workspace --all-targets
node="$CARGO_TARGET_DIR/release/zerog-node"
for chain in local testnet; do
	"$node" build-spec --chain "$chain" --raw --disable-default-bootnode > "chain-specs/$chain.json"
	echo "chain-specs/$chain.json"
done
