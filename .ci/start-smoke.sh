#!/usr/bin/env bash
# Starts the service as a user would (`npm start`, no configuration) and waits for /health;
# then starts it a second time, which must not compile again (the sources did not change).
set -euo pipefail
port=${SMOKE_PORT:-47100}
http_port=${SMOKE_HTTP_PORT:-47101}

# start_once <log>: runs `npm start` until /health answers, then stops it. Sets $elapsed.
start_once() {
  local log=$1 started pid
  started=$(date +%s%N)
  # Own process group, so the whole tree (npm -> node) can be stopped at the end.
  PORT=$port HTTP_PORT=$http_port setsid npm start >"$log" 2>&1 &
  pid=$!
  # The first start may compile for a minute or two on a loaded machine.
  for _ in $(seq 1 2400); do
    if body=$(curl -fsS "http://127.0.0.1:$http_port/health" 2>/dev/null); then
      elapsed=$(( ($(date +%s%N) - started) / 1000000 ))
      kill -- "-$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
      echo "start smoke: /health -> $body after ${elapsed} ms"
      grep -q '"store":"memory"' <<<"$body"
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then cat "$log"; echo "start smoke: npm start exited"; exit 1; fi
    sleep 0.1
  done
  kill -- "-$pid" 2>/dev/null || true
  cat "$log"
  echo "start smoke: /health never answered"
  exit 1
}

first=$(mktemp)
second=$(mktemp)
trap 'rm -f "$first" "$second"' EXIT
start_once "$first"
start_once "$second"
if grep -q '^build:' "$second"; then
  cat "$second"
  echo "start smoke: the second npm start compiled again although no source changed"
  exit 1
fi
echo "start smoke: the second npm start did not compile"
