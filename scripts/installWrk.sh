#!/usr/bin/env bash
# Installs Debian's wrk, the HTTP load generator of `npm run bench` (bench/wrk.js), when it is missing.
# The bench runs it itself when it runs as root; otherwise, run it once: `bash scripts/installWrk.sh`.
set -euo pipefail

if command -v wrk >/dev/null 2>&1; then
  # `wrk --version` prints its banner and exits 1.
  echo "wrk is already installed: $( (wrk --version 2>&1 || true) | head -n 1)"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
else
  SUDO="sudo"
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends wrk
echo "installed: $( (wrk --version 2>&1 || true) | head -n 1)"
