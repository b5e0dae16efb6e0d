#!/usr/bin/env bash
# Start the app as `make run` does, fetch the login page in Russian, stop it, and
# check that nothing it started is left running.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${SMOKE_PORT:-8765}
log=$(mktemp)
setsid make run RUN_ARGS="--addr 127.0.0.1:$port" >"$log" 2>&1 &
runner=$!
cleanup() { kill -TERM -- "-$runner" 2>/dev/null || true; }
trap cleanup EXIT

ok=""
for _ in $(seq 1 180); do
  if page=$(curl -fsS "http://127.0.0.1:$port/login/" 2>/dev/null); then ok=1; break; fi
  kill -0 "$runner" 2>/dev/null || break
  sleep 1
done
if [ -z "$ok" ]; then echo "smoke: the login page never answered"; cat "$log"; exit 1; fi
grep -q "Вход в Первичку" <<<"$page" || { echo "smoke: the login page is not in Russian"; exit 1; }
grep -q "Demo logins" "$log" || { echo "smoke: no demo logins printed"; cat "$log"; exit 1; }

kill -INT -- "-$runner"
for _ in $(seq 1 30); do kill -0 "$runner" 2>/dev/null || break; sleep 1; done
trap - EXIT
if kill -0 "$runner" 2>/dev/null; then echo "smoke: make run did not stop on Ctrl-C"; cat "$log"; exit 1; fi
if pgrep -f "$PWD/.pgdata" >/dev/null; then
  echo "smoke: the embedded PostgreSQL is still running"; exit 1
fi
if pgrep -f "celery -A config" >/dev/null || pgrep -f "runserver 127.0.0.1:$port" >/dev/null; then
  echo "smoke: a worker or web process is still running"; exit 1
fi
echo "smoke: make run served the login page and stopped cleanly"
