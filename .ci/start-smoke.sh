#!/usr/bin/env bash
# Starts the service as a user would (`npm start`, no configuration) and waits for /health.
set -euo pipefail
log=$(mktemp)
# Own process group, so the whole tree (npm -> nest -> node) can be stopped at the end.
PORT=${SMOKE_PORT:-47100} HTTP_PORT=${SMOKE_HTTP_PORT:-47101} setsid npm start >"$log" 2>&1 &
pid=$!
cleanup() { kill -- "-$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
trap cleanup EXIT
for _ in $(seq 1 120); do
  if body=$(curl -fsS "http://127.0.0.1:${SMOKE_HTTP_PORT:-47101}/health" 2>/dev/null); then
    echo "start smoke: /health -> $body"
    grep -q '"store":"memory"' <<<"$body"
    exit 0
  fi
  if ! kill -0 "$pid" 2>/dev/null; then cat "$log"; echo "start smoke: npm start exited"; exit 1; fi
  sleep 0.5
done
cat "$log"
echo "start smoke: /health never answered"
exit 1
