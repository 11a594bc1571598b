#!/usr/bin/env bash
# Installs the headless browser the HTML report tests render pages with (Debian's `chromium`),
# only when it is missing, like setup-ovn.sh installs OVN.
set -euo pipefail

if command -v chromium >/dev/null; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "setup-browser: installing chromium needs root (apt-get)" >&2
  exit 1
fi
echo "setup-browser: installing chromium" >&2
apt-get update -qq
# Another apt run (e.g. setup-ovn.sh in a parallel job) may hold the lock: wait for it.
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=600 chromium >/dev/null
