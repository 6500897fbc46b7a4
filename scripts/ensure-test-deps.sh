#!/usr/bin/env bash
# Installs what the test suite needs that a fresh machine lacks, and nothing if it is all there:
#   - Debian's Chromium, driven by playwright-core for the browser tests (never `playwright install`:
#     it downloads its own browser, which this network does not allow);
#   - Debian's PyNaCl, the second libsodium binding that opens our release bundles from FORMAT.md alone.
# Safe to run again. Needs root (or sudo) only when something is missing.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
/usr/bin/python3 -c 'import nacl' 2>/dev/null || missing+=(python3-nacl)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
echo "ensure-test-deps: installing ${missing[*]} from Debian"
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null || true
$SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
echo "ensure-test-deps: done"
