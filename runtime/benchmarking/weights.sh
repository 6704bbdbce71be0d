#!/usr/bin/env bash
# Regenerates every measured weight of the runtime on this machine:
#
#   runtime/benchmarking/weights.sh                        # all of them (about 40 minutes)
#   runtime/benchmarking/weights.sh compute-escrow         # one ZeroG pallet (its folder in pallets/)
#   runtime/benchmarking/weights.sh pallet_balances        # one polkadot-sdk pallet of the runtime
#   runtime/benchmarking/weights.sh overhead               # the block and extrinsic base weights
#   STEPS=10 REPEAT=5 runtime/benchmarking/weights.sh      # a quicker, noisier run
#
# 1. Builds `zerog-node` and its runtime with the `runtime-benchmarks` feature in a target
#    directory of its own (bench-node.sh).
# 2. ZeroG pallets: `zerog-node benchmark pallet` against that runtime's wasm, with the genesis
#    state of its `development` preset, writes pallets/<pallet>/src/weights.rs through
#    weight-template.hbs (the pallet's `WeightInfo` trait and `SubstrateWeight`).
# 3. polkadot-sdk's pallets in the runtime (frame-system and its transaction extensions,
#    balances, timestamp, transaction payment, utility): the same, into
#    runtime/src/weights/<pallet>.rs through runtime-weight-template.hbs.
# 4. `overhead`: `zerog-node benchmark overhead` builds blocks on a development chain (empty
#    ones, then ones full of `System::remark`s) and writes runtime/src/weights/block_weights.rs
#    and extrinsic_weights.rs (`BlockExecutionWeight`, `ExtrinsicBaseWeight`).
#
# Median slopes: min-squares fits a benchmark of two components (each varied with the other at
# its maximum) badly, for example 2.4 ms + 28 µs × e + 34 µs × r for compute-escrow's
# on_initialize, where every data point fits 8 µs + 74 µs × e + 81 µs × r. The database weights
# are not part of these files: they are `DbWeight` (db-weights.sh), applied per read and write.
# pallet-revive's benchmarks need contract fixtures built with a RISC-V toolchain that cannot be
# installed here, so it keeps polkadot-sdk's weights (docs/weights.md).
set -euo pipefail

steps=${STEPS:-50}
repeat=${REPEAT:-20}
zerog_pallets=(storage-commitments da-attestations compute-escrow parameter-bounds vrf-randomness)
runtime_pallets=(frame_system frame_system_extensions pallet_balances pallet_timestamp
	pallet_transaction_payment pallet_utility)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${zerog_pallets[@]}" "${runtime_pallets[@]}" overhead)
here=$(cd "$(dirname "$0")" && pwd)
is_runtime_pallet() {
	local known
	for known in "${runtime_pallets[@]}"; do [ "$known" = "$1" ] && return 0; done
	return 1
}
for target in "${targets[@]}"; do
	if [ "$target" != overhead ] && ! is_runtime_pallet "$target" \
		&& [ ! -d "$here/../../pallets/$target" ]; then
		echo "weights.sh: $target is neither a folder of pallets/, one of ${runtime_pallets[*]}, nor overhead" >&2
		exit 2
	fi
done

source "$here/bench-node.sh"

measure_pallet() { # <pallet> <template> <output>
	echo "weights.sh: measuring $1 ($steps steps, $repeat repeats)"
	"$bench_node" benchmark pallet \
		--runtime "$bench_wasm" \
		--genesis-builder-preset development \
		--pallet "$1" \
		--extrinsic '*' \
		--steps "$steps" \
		--repeat "$repeat" \
		--wasm-execution compiled \
		--heap-pages 4096 \
		--output-analysis median-slopes \
		--template "$2" \
		--header runtime/benchmarking/HEADER \
		--output "$3"
}

measure_overhead() {
	local base
	base=$(mktemp -d)
	echo "weights.sh: measuring the block and extrinsic overhead on a development chain"
	"$bench_node" benchmark overhead \
		--chain dev \
		--base-path "$base" \
		--wasm-execution compiled \
		--header runtime/benchmarking/HEADER \
		--weight-path runtime/src/weights
	rm -rf "$base"
	# The generated files name `sp_core` and `sp_weights`; the runtime reaches the same items
	# through the umbrella crate's `frame_support`.
	sed -i -E -e 's/^(\s*)use sp_core::parameter_types/\1use polkadot_sdk::frame_support::parameter_types/' \
		-e 's/^(\s*)use sp_weights::/\1use polkadot_sdk::frame_support::weights::/' \
		runtime/src/weights/block_weights.rs runtime/src/weights/extrinsic_weights.rs
}

# Paths relative to the repository, so the command recorded in each file is portable.
cd "$repo"
for target in "${targets[@]}"; do
	if [ "$target" = overhead ]; then
		measure_overhead
	elif is_runtime_pallet "$target"; then
		measure_pallet "$target" runtime/benchmarking/runtime-weight-template.hbs \
			"runtime/src/weights/$target.rs"
	else
		measure_pallet "pallet_${target//-/_}" runtime/benchmarking/weight-template.hbs \
			"pallets/$target/src/weights.rs"
	fi
done
