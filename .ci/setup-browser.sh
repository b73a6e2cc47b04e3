#!/usr/bin/env bash
# Installs Debian's chromium for the browser tests (tests/web), once: a machine that already
# has it is left alone, and the package lists are refreshed only when it must be installed.
# Playwright drives this browser; it never downloads one of its own.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium
command -v chromium >/dev/null
