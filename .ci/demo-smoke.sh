#!/usr/bin/env bash
# Starts the demo as a user would (`npm run demo`), waits for the URL it prints, and loads a
# page: it must answer 200 with the shop's session cookie.
set -euo pipefail
log=$(mktemp)
# Own process group, so the whole tree (npm -> node -> session service) can be stopped.
DEMO_PORT=${SMOKE_DEMO_PORT:-47110} setsid npm run demo >"$log" 2>&1 &
pid=$!
cleanup() { kill -- "-$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
trap cleanup EXIT
for _ in $(seq 1 240); do
  if url=$(grep -o 'Storefront demo: http://[^ ]*' "$log" | cut -d' ' -f3) && [ -n "$url" ]; then
    headers=$(curl -fsS -o /dev/null -D - "${url}shop/1001/")
    echo "demo smoke: ${url} -> $(head -1 <<<"$headers" | tr -d '\r')"
    grep -qi '^set-cookie: \$session-1001=s%3A.*HttpOnly' <<<"$headers"
    exit 0
  fi
  if ! kill -0 "$pid" 2>/dev/null; then cat "$log"; echo "demo smoke: npm run demo exited"; exit 1; fi
  sleep 0.5
done
cat "$log"
echo "demo smoke: the demo never printed its URL"
exit 1
