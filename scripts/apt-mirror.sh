#!/usr/bin/env bash
# Prints the Debian archive URI this machine's apt uses (not the security archive), so that the
# trixie root is built from the same mirror or proxy as apt; no mirror host is written in the repo.
# Reads deb822 sources (/etc/apt/sources.list.d/*.sources: `URIs:`) and one-line sources
# (/etc/apt/sources.list, *.list: `deb [opts] URI SUITE ...`). Exit 1 when none is found.
set -euo pipefail

is_debian_archive() {
  # The main archive serves the release suites; the security archive only `*-security`.
  case "$2" in *-security*|"") return 1 ;; esac
  case "$2" in bookworm*|trixie*|bullseye*|stable*|testing*|sid*|unstable*) return 0 ;; esac
  return 1
}

from_deb822() {
  # One stanza at a time: a stanza's Types, URIs and Suites belong together.
  awk '
    function flush() {
      if (types ~ /(^| )deb( |$)/ && enabled != "no" && uris != "") print uris "\t" suites
      types = ""; uris = ""; suites = ""; enabled = ""
    }
    /^[[:space:]]*$/ { flush(); next }
    /^#/ { next }
    tolower($1) == "types:"   { $1 = ""; types = substr($0, 2) }
    tolower($1) == "uris:"    { $1 = ""; uris = substr($0, 2) }
    tolower($1) == "suites:"  { $1 = ""; suites = substr($0, 2) }
    tolower($1) == "enabled:" { enabled = tolower($2) }
    END { flush() }
  ' "$@"
}

from_one_line() {
  # `deb [arch=amd64 signed-by=...] URI SUITE COMPONENTS...`
  sed -E -n 's/^[[:space:]]*deb[[:space:]]+(\[[^]]*\][[:space:]]+)?([^[:space:]]+)[[:space:]]+([^[:space:]]+).*/\2\t\3/p' "$@"
}

candidates() {
  local f
  for f in /etc/apt/sources.list.d/*.sources; do [ -f "$f" ] && from_deb822 "$f"; done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do [ -f "$f" ] && from_one_line "$f"; done
  return 0
}

while IFS=$'\t' read -r uris suites; do
  for suite in $suites; do
    if is_debian_archive "$uris" "$suite"; then
      for uri in $uris; do echo "${uri%/}"; exit 0; done
    fi
  done
done < <(candidates)
exit 1
