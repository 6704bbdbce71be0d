#!/usr/bin/env bash
# Regenerates the raw chain specs from the runtime's genesis presets.
# Usage: ./chain-specs/generate.sh   (builds zerog-node first if needed)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/zerog/target}"
cargo build --release -p zerog-node
node="$CARGO_TARGET_DIR/release/zerog-node"
for chain in local testnet; do
	"$node" build-spec --chain "$chain" --raw --disable-default-bootnode > "chain-specs/$chain.json"
	echo "chain-specs/$chain.json"
done
