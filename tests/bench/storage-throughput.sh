#!/usr/bin/env bash
# Benchmark (not a test): upload and download MB/s of one file through one `zerog-node --dev`
# with the `zerog` CLI, on this machine.
#
#   tests/bench/storage-throughput.sh [MiB]      # default 256
#
# Starts its own dev node (temporary base path, free ports), writes a random file, then times
# `zerog storage upload` (hashing, commitment, every segment verified and stored by the node,
# finalization) and `zerog storage download` (every segment proof checked), and compares the
# bytes. Needs the release build of the workspace.
set -euo pipefail
cd "$(dirname "$0")/../.."
mib="${1:-256}"
target="${CARGO_TARGET_DIR:-$HOME/.cache/zerog/target}/release"
work="$(mktemp -d)"
trap 'kill "$node_pid" 2>/dev/null || true; wait "$node_pid" 2>/dev/null || true; rm -rf "$work"' EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port="$(free_port)"
"$target/zerog-node" --dev --no-eth-rpc --base-path "$work/node" --rpc-port "$port" --port 0 \
	--storage-port "$(free_port)" --no-prometheus --no-telemetry >"$work/node.log" 2>&1 &
node_pid=$!
for _ in $(seq 120); do
	grep -q "Imported #1" "$work/node.log" && break
	sleep 0.5
done

head -c "$((mib << 20))" /dev/urandom >"$work/file.bin"
rpc="ws://127.0.0.1:$port"
seconds() { python3 -c 'import time; print(time.monotonic())'; }

start="$(seconds)"
"$target/zerog" --rpc "$rpc" storage upload "$work/file.bin" --json >"$work/upload.json"
upload="$(python3 -c "print($(seconds) - $start)")"
root="$(python3 -c "import json; print(json.load(open('$work/upload.json'))['root'])")"

start="$(seconds)"
"$target/zerog" --rpc "$rpc" storage download "$root" -o "$work/back.bin" --json >/dev/null
download="$(python3 -c "print($(seconds) - $start)")"
cmp "$work/file.bin" "$work/back.bin"

python3 - "$mib" "$upload" "$download" "$work/upload.json" <<'PY'
import json, sys
mib, up, down = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
phases = json.load(open(sys.argv[4]))["seconds"]
mb = mib * 1048576 / 1e6
print(f"file: {mib} MiB ({mb:.1f} MB), byte-identical after the round trip")
print(f"upload, whole command (hash, commit, send, acknowledgement): {up:7.1f} s  {mb / up:6.1f} MB/s")
for phase in ("hash", "commit", "upload", "acknowledge"):
    seconds = phases[phase]
    rate = f"{mb / seconds:6.1f} MB/s" if phase in ("hash", "upload") and seconds > 0 else ""
    print(f"  {phase:<12} {seconds:7.1f} s  {rate}")
print(f"download (every segment proof checked, binary over HTTP): {down:7.1f} s  {mb / down:6.1f} MB/s")
PY
