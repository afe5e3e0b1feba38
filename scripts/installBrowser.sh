#!/usr/bin/env bash
# Installs Debian's chromium for the dashboard's browser tests (dashboard/e2e) when it is missing.
# CI runs it before the suite; locally, run it once: `bash scripts/installBrowser.sh`.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  echo "chromium is already installed: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
else
  SUDO="sudo"
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends chromium
echo "installed: $(/usr/bin/chromium --version)"
