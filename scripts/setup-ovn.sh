#!/usr/bin/env bash
# Installs the real OVN the tests judge against, only when it is missing:
#  - OVN 23.03 / OVS 3.1 from Debian bookworm (ovn-central, ovn-common, openvswitch-common);
#  - OVN 25.03 in a Debian trixie root (debootstrap), run with chroot, for ACL tiers and `pass`.
# The trixie root lives in $NBGEN_TRIXIE_ROOT (default /var/cache/ovn-nbgen/trixie) and is reused.
set -euo pipefail

need_root() {
  if [ "$(id -u)" != 0 ]; then
    echo "setup-ovn: installing OVN needs root (apt-get, debootstrap)" >&2
    exit 1
  fi
}

if ! command -v ovn-nbctl >/dev/null || ! command -v ovn-trace >/dev/null \
   || ! command -v ovsdb-server >/dev/null || ! command -v ovn-northd >/dev/null; then
  need_root
  echo "setup-ovn: installing ovn-central ovn-common openvswitch-common" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ovn-central ovn-common openvswitch-common >/dev/null
fi

TRIXIE_ROOT=${NBGEN_TRIXIE_ROOT:-/var/cache/ovn-nbgen/trixie}
if [ "${NBGEN_SKIP_TRIXIE:-0}" != 1 ] && [ ! -x "$TRIXIE_ROOT/usr/bin/ovn-nbctl" ]; then
  need_root
  if ! command -v debootstrap >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
  fi
  echo "setup-ovn: building the OVN 25.03 trixie root in $TRIXIE_ROOT (a few minutes, once)" >&2
  rm -rf "$TRIXIE_ROOT.tmp"
  mkdir -p "$(dirname "$TRIXIE_ROOT")"
  mirror=$(bash "$(dirname "$0")/apt-mirror.sh") \
    || { echo "setup-ovn: no Debian mirror found in the apt configuration" >&2; exit 1; }
  # apt's own proxy setting, if any, reaches debootstrap through the environment.
  eval "$(apt-config shell http_proxy Acquire::http::Proxy)"
  [ -n "${http_proxy:-}" ] && export http_proxy
  echo "setup-ovn: debootstrap from $mirror" >&2
  debootstrap --variant=minbase --include=ovn-central,ovn-common,openvswitch-common \
    trixie "$TRIXIE_ROOT.tmp" "$mirror" >"$TRIXIE_ROOT.log" 2>&1 \
    || { echo "setup-ovn: debootstrap failed, see $TRIXIE_ROOT.log" >&2; exit 1; }
  mv "$TRIXIE_ROOT.tmp" "$TRIXIE_ROOT"
fi
