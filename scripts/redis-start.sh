#!/usr/bin/env bash
# Install (Debian's package) and start a throw-away Redis on loopback, for the tests of the shared
# rate-limit store (what several gunicorn workers or hosts use in production). Prints its URL.
#   scripts/redis-start.sh         -> starts on port ${REDIS_PORT:-56379}, no persistence
#   scripts/redis-start.sh stop
set -euo pipefail
REDIS_PORT=${REDIS_PORT:-56379}

if [ "${1:-}" = stop ]; then
  redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  exit 0
fi

if ! command -v redis-server >/dev/null 2>&1; then
  echo "installing Redis from Debian's packages..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq redis-server >&2
fi
if ! redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1; then
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no \
    --daemonize yes --logfile "/tmp/lianxin-redis-$REDIS_PORT.log" >&2
  for _ in $(seq 50); do
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1 && break
    sleep 0.1
  done
fi
echo "Redis $(redis-server --version | awk '{print $3}') on 127.0.0.1:$REDIS_PORT" >&2
echo "redis://127.0.0.1:$REDIS_PORT/0"
