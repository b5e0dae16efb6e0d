#!/usr/bin/env bash
# Browser tests drive Debian's Chromium at /usr/bin/chromium. Install it when missing
# (as root, through apt); otherwise say in one line what to install. Never skip.
set -euo pipefail
[ -x /usr/bin/chromium ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's chromium for the browser tests..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "Browser tests need /usr/bin/chromium: run 'sudo apt-get install chromium' (Debian/Ubuntu) and make test again." >&2
exit 1
