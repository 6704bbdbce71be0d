#!/usr/bin/env bash
# Regenerates the runtime's database weights (runtime/src/configs/db_weights.rs, the `DbWeight`
# of every call and hook) by measuring RocksDB on this machine.
#
#   runtime/benchmarking/db-weights.sh                   # 200 000 accounts of state
#   ACCOUNTS=20000 runtime/benchmarking/db-weights.sh     # a quicker, more optimistic run
#
# 1. Builds `zerog-node` with `runtime-benchmarks` (bench-node.sh): only that build exposes the
#    database to `benchmark storage`.
# 2. Writes the development chain's specification with ACCOUNTS more endowed accounts
#    (populate-spec.py), so the trie is as deep as a public chain's, and builds its genesis
#    into a fresh RocksDB database.
# 3. `zerog-node benchmark storage` reads every key of that state and writes it back, each
#    write committed, with the trie cache off, and writes the weights through
#    db-weight-template.hbs: the METRIC (default p95) of the timings times MUL (default 1.5),
#    the margin for validators slower than this machine.
set -euo pipefail

accounts=${ACCOUNTS:-200000}
metric=${METRIC:-p95}
mul=${MUL:-1.5}
here=$(cd "$(dirname "$0")" && pwd)
source "$here/bench-node.sh"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "db-weights.sh: a development chain with $accounts more accounts in $work"
"$bench_node" build-spec --chain dev 2> /dev/null \
	| python3 "$here/populate-spec.py" "$accounts" > "$work/spec.json"

cd "$repo"
"$bench_node" benchmark storage \
	--chain "$work/spec.json" \
	--base-path "$work/db" \
	--database rocksdb \
	--state-version 1 \
	--warmups 1 \
	--metric "$metric" \
	--mul "$mul" \
	--template-path runtime/benchmarking/db-weight-template.hbs \
	--header runtime/benchmarking/HEADER \
	--weight-path runtime/src/configs/db_weights.rs
