# Sourced by weights.sh and db-weights.sh: builds `zerog-node` with the `runtime-benchmarks`
# feature in a target directory of its own (ZEROG_BENCH_TARGET_DIR, default
# ~/.cache/zerog/bench-target), so the node and runtime that chains run never carry benchmark
# code, and sets
#   bench_node  the node binary (its `benchmark` subcommand has `storage` only in this build)
#   bench_wasm  the runtime wasm with the benchmarks compiled in (for `benchmark pallet`)
# The first build takes about as long as the node's own (40 minutes on two cores); later ones
# are incremental.
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bench_target=${ZEROG_BENCH_TARGET_DIR:-$HOME/.cache/zerog/bench-target}
echo "building zerog-node with runtime-benchmarks in $bench_target" >&2
# pallet-revive's benchmarks want contract fixtures compiled with solc and a RISC-V toolchain;
# its weights come from polkadot-sdk, so skip them.
(cd "$repo" && CARGO_TARGET_DIR=$bench_target SKIP_PALLET_REVIVE_FIXTURES=1 cargo build --release \
	--locked -p zerog-node --features runtime-benchmarks)
bench_node=$bench_target/release/zerog-node
bench_wasm=$bench_target/release/wbuild/zerog-runtime/zerog_runtime.compact.compressed.wasm
for built in "$bench_node" "$bench_wasm"; do
	[ -f "$built" ] || { echo "the benchmark build left no $built" >&2; exit 1; }
done
