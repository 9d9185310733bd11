#!/usr/bin/env bash
# Sets touchline up on this machine: Node packages, the compiled command, and Chromium for tag checks.
# Safe to run again: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$major" -lt 20 ]; then
  echo "touchline needs Node.js 20 or newer (found: $(node --version 2>/dev/null || echo none))" >&2
  exit 1
fi

stamp=node_modules/.touchline-lock-hash
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: installing Node packages (npm ci)..." >&2
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi

echo "setup: compiling TypeScript..." >&2
npx tsc -p tsconfig.json

chromium_bin=${TOUCHLINE_CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium_bin" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing Chromium for Pinterest tag verification (apt-get install -y chromium)..." >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "setup: Chromium not found at $chromium_bin. Pinterest tag verification needs it:" >&2
    echo "         sudo apt-get install -y chromium    (or set TOUCHLINE_CHROMIUM to a Chromium/Chrome executable)" >&2
  fi
fi
echo "setup: done. Run bin/touchline --help" >&2
