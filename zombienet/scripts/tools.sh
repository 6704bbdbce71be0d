#!/usr/bin/env bash
# Starts ZeroG's user tools beside a network that `zombienet spawn` started (or any node):
# the faucet, giving from //Ferdie (funded on dev and local chains), and the explorer, indexing
# into a SQLite file, both against alice's RPC.
# Stops them all on Ctrl-C. See zombienet/README.md#tools-beside-the-network.
#
#   zombienet spawn --provider native zombienet/local-4.toml     # in one terminal
#   zombienet/scripts/tools.sh                                   # in another
#
# ZEROG_TOOLS_NODE  the node's RPC (default ws://127.0.0.1:9944, alice in the .toml files)
# ZEROG_FAUCET_PORT the faucet's port on 127.0.0.1 (default 8089)
# ZEROG_EXPLORER_PORT the explorer's port on 127.0.0.1 (default 8090)
# ZEROG_TOOLS_ETH_RPC the node's Ethereum RPC for the explorer's EVM pages (default: none, as
#                   the .toml files start no Ethereum RPC; a --dev node serves http://127.0.0.1:8545)
# ZEROG_TOOLS_DIR   where the tools keep their state (default: a new temporary folder)
# ZEROG_BIN_DIR     where the binaries are (default $CARGO_TARGET_DIR/release)
set -euo pipefail

node=${ZEROG_TOOLS_NODE:-ws://127.0.0.1:9944}
bin=${ZEROG_BIN_DIR:-${CARGO_TARGET_DIR:-$HOME/.cache/zerog/target}/release}
dir=${ZEROG_TOOLS_DIR:-$(mktemp -d -t zerog-tools-XXXXXX)}
mkdir -p "$dir"

# Wait for the node's RPC port: zombienet starts the nodes in the background.
hostport=${node#*://}
hostport=${hostport%%/*}
host=${hostport%:*}
port=${hostport##*:}
for _ in $(seq 1 180); do
	if (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then break; fi
	sleep 1
done

eth_rpc=(--no-eth-rpc)
if [ -n "${ZEROG_TOOLS_ETH_RPC:-}" ]; then eth_rpc=(--eth-rpc "$ZEROG_TOOLS_ETH_RPC"); fi

pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT INT TERM
"$bin/zerog-faucet" --dev --node "$node" --listen "127.0.0.1:${ZEROG_FAUCET_PORT:-8089}" \
	--state-file "$dir/faucet-state.json" &
pids+=($!)
"$bin/zerog-explorer" --node "$node" --database "sqlite://$dir/explorer.db" \
	--listen "127.0.0.1:${ZEROG_EXPLORER_PORT:-8090}" "${eth_rpc[@]}" &
pids+=($!)
echo "tools: faucet on http://127.0.0.1:${ZEROG_FAUCET_PORT:-8089}/, explorer on" \
	"http://127.0.0.1:${ZEROG_EXPLORER_PORT:-8090}/ (state in $dir)" >&2
wait -n "${pids[@]}"
