#!/usr/bin/env bash
# Installs the Debian packages leadflow needs to build, test and benchmark,
# but only those that are missing, so that a machine that has them is not
# touched (and needs no root).
set -euo pipefail
pkgs=(cmake make gcc pkg-config libsqlite3-dev libpq-dev postgresql libyaml-dev libjansson-dev
      libcmocka-dev libpcre2-dev libmicrohttpd-dev libcurl4-openssl-dev
      libssl-dev sqlite3 python3 curl chromium iproute2 strace)
# the app's packages come from npm (web/package-lock.json); Debian's node if none
command -v npm >/dev/null || pkgs+=(nodejs npm)
[ "${1:-}" = "--bench" ] && pkgs+=(hyperfine time bc wrk faketime python3-sklearn)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' \
    || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# the app's front-end packages, exactly as locked, when missing or older than the lock
web="$(dirname "$0")/../web"
if [ ! -f "$web/node_modules/.package-lock.json" ] ||
   [ "$web/package-lock.json" -nt "$web/node_modules/.package-lock.json" ]; then
  echo "installing the app's packages (npm ci in web/)" >&2
  (cd "$web" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
