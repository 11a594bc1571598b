#!/usr/bin/env bash
# Installs Debian's python3-ovsdbapp (the OpenStack OVSDB library) for the side-by-side bench
# (bench/sideBySide), only when Debian's python3 cannot import it.
set -euo pipefail

if ! /usr/bin/python3 -c 'import ovsdbapp' 2>/dev/null; then
  if [ "$(id -u)" != 0 ]; then
    echo "setup-ovsdbapp: installing python3-ovsdbapp needs root (apt-get)" >&2
    exit 1
  fi
  echo "setup-ovsdbapp: installing python3-ovsdbapp" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-ovsdbapp >/dev/null
fi
