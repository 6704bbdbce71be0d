#!/usr/bin/env bash
# Regenerates the `weights.rs` of the ZeroG pallets by measuring them on this machine.
#
#   runtime/benchmarking/weights.sh                        # every ZeroG pallet
#   runtime/benchmarking/weights.sh compute-escrow         # one pallet (its folder in pallets/)
#   STEPS=10 REPEAT=5 runtime/benchmarking/weights.sh      # a quicker, noisier run
#
# 1. Builds `zerog-node` and its runtime with the `runtime-benchmarks` feature in a target
#    directory of its own (bench-node.sh).
# 2. Runs `zerog-node benchmark pallet` against that runtime's wasm, with the genesis state of
#    its `development` preset, and writes pallets/<pallet>/src/weights.rs through
#    runtime/benchmarking/weight-template.hbs, with median-slopes analysis: min-squares fits
#    a benchmark of two components (each varied with the other at its maximum) badly, for
#    example 2.4 ms + 28 µs × e + 34 µs × r for compute-escrow's on_initialize, where every
#    data point fits 8 µs + 74 µs × e + 81 µs × r. The database weights are not part of these files:
#    they are `DbWeight` (db-weights.sh), applied per read and write.
set -euo pipefail

steps=${STEPS:-50}
repeat=${REPEAT:-20}
pallets=("$@")
[ ${#pallets[@]} -gt 0 ] || pallets=(storage-commitments da-attestations compute-escrow parameter-bounds vrf-randomness)
here=$(cd "$(dirname "$0")" && pwd)
for pallet in "${pallets[@]}"; do
	if [ ! -d "$here/../../pallets/$pallet" ]; then
		echo "weights.sh: no pallet folder pallets/$pallet" >&2
		exit 2
	fi
done

source "$here/bench-node.sh"

# Paths relative to the repository, so the command recorded in each weights.rs is portable.
cd "$repo"
for pallet in "${pallets[@]}"; do
	echo "weights.sh: measuring pallet_${pallet//-/_} ($steps steps, $repeat repeats)"
	"$bench_node" benchmark pallet \
		--runtime "$bench_wasm" \
		--genesis-builder-preset development \
		--pallet "pallet_${pallet//-/_}" \
		--extrinsic '*' \
		--steps "$steps" \
		--repeat "$repeat" \
		--wasm-execution compiled \
		--heap-pages 4096 \
		--output-analysis median-slopes \
		--template runtime/benchmarking/weight-template.hbs \
		--header runtime/benchmarking/HEADER \
		--output "pallets/$pallet/src/weights.rs"
done
