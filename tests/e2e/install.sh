#!/usr/bin/env bash
# Installs what tests/e2e/test_playground.py needs: Debian's chromium (headless browser), and the
# pinned npm packages (Microsoft 365 Agents Playground, puppeteer-core) from package-lock.json.
# Needs node >= 18 and npm on PATH; run as root or with sudo available for apt-get.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v chromium >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
fi

command -v node >/dev/null 2>&1 || { echo "node (>= 18) is required: apt-get install nodejs npm" >&2; exit 1; }
npm ci --no-audit --no-fund
echo "e2e ready: $(chromium --version 2>/dev/null), node $(node --version)"
