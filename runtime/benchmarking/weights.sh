#!/usr/bin/env bash
# Regenerates the `weights.rs` of the ZeroG pallets by measuring them on this machine.
#
#   runtime/benchmarking/weights.sh                        # every ZeroG pallet
#   runtime/benchmarking/weights.sh compute-escrow         # one pallet (its folder in pallets/)
#   STEPS=10 REPEAT=5 runtime/benchmarking/weights.sh      # a quicker, noisier run
#
# 1. Builds the runtime with the `runtime-benchmarks` feature in its own target directory
#    (ZEROG_BENCH_TARGET_DIR, default ~/.cache/zerog/bench-target), so the runtime the node embeds
#    never carries the benchmarks. Only its wasm blob is used, so the native crates are only
#    checked, not compiled.
# 2. Runs polkadot-sdk's `frame-omni-bencher` against that blob, with the genesis state of the
#    runtime's `development` preset, and writes pallets/<pallet>/src/weights.rs through
#    runtime/benchmarking/weight-template.hbs. Install the bencher once (about an hour of
#    compilation on two cores; the node itself does not carry the benchmarking CLI):
#      cargo install frame-omni-bencher --version 0.28.0 --locked
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
bench_target=${ZEROG_BENCH_TARGET_DIR:-$HOME/.cache/zerog/bench-target}
bencher=${FRAME_OMNI_BENCHER:-frame-omni-bencher}
steps=${STEPS:-50}
repeat=${REPEAT:-20}
pallets=("$@")
[ ${#pallets[@]} -gt 0 ] || pallets=(storage-commitments da-attestations compute-escrow)

for pallet in "${pallets[@]}"; do
	if [ ! -d "$repo/pallets/$pallet" ]; then
		echo "weights.sh: no pallet folder pallets/$pallet" >&2
		exit 2
	fi
done
if ! command -v "$bencher" > /dev/null; then
	echo "weights.sh: $bencher not found; install it with" >&2
	echo "  cargo install frame-omni-bencher --version 0.28.0 --locked" >&2
	exit 2
fi

echo "weights.sh: building the runtime with runtime-benchmarks in $bench_target"
# pallet-revive's benchmarks want contract fixtures compiled with solc and a RISC-V toolchain;
# its weights come from polkadot-sdk, so skip them.
(cd "$repo" && CARGO_TARGET_DIR=$bench_target SKIP_PALLET_REVIVE_FIXTURES=1 cargo check --release --locked \
	-p zerog-runtime --features runtime-benchmarks)
wasm=$bench_target/release/wbuild/zerog-runtime/zerog_runtime.compact.compressed.wasm
[ -f "$wasm" ] || { echo "weights.sh: the build left no $wasm" >&2; exit 1; }

# Paths relative to the repository, so the command recorded in each weights.rs is portable.
cd "$repo"
for pallet in "${pallets[@]}"; do
	echo "weights.sh: measuring pallet_${pallet//-/_} ($steps steps, $repeat repeats)"
	"$bencher" v1 benchmark pallet \
		--runtime "$wasm" \
		--genesis-builder-preset development \
		--pallet "pallet_${pallet//-/_}" \
		--extrinsic '*' \
		--steps "$steps" \
		--repeat "$repeat" \
		--wasm-execution compiled \
		--heap-pages 4096 \
		--template runtime/benchmarking/weight-template.hbs \
		--header runtime/benchmarking/HEADER \
		--output "pallets/$pallet/src/weights.rs"
done
