#!/usr/bin/env bash
# Makes sure Debian's ICU culture data (libicu72) is installed: the site (src/Ontzorging.Web) and the
# tests that run it write amounts and dates the nl-NL and en-GB way, which .NET reads from ICU.
# Installs it with apt-get when missing, as root or through sudo, the way scripts/pg.sh installs
# PostgreSQL. Called by scripts/setup.sh and scripts/test.sh (and so by .ci/run).
set -euo pipefail

if ldconfig -p 2>/dev/null | grep -q 'libicuuc\.so\.72'; then
  exit 0
fi
echo "ICU (libicu72) not found; installing it with apt-get." >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq libicu72 >/dev/null
ldconfig -p 2>/dev/null | grep -q 'libicuuc\.so\.72' || { echo "icu.sh: apt-get installed libicu72 but libicuuc.so.72 is still missing" >&2; exit 1; }
