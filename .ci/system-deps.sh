#!/usr/bin/env bash
# Debian packages the tests drive for real: PostgreSQL server binaries (the store tests start
# their own server on 127.0.0.1) and Chromium (the review UI browser tests). Installed only when
# missing; without root the tests that need them skip and say why.
set -euo pipefail
missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "note: ${missing[*]} not installed (needs root + apt-get); the tests that use them will skip" >&2
  exit 0
fi
echo "installing ${missing[*]} from Debian's packages…" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
