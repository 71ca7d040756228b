#!/usr/bin/env bash
# Makes sure Debian's ICU culture data (libicu72) is installed: the site (src/Ontzorging.Web) and the
# tests that run it write amounts and dates the nl-NL and en-GB way, which .NET reads from ICU, and
# every host (site, CLI, worker, tests) normalises text to NFC with it (docs/rules.md §10).
# Installs it with apt-get when missing, as root or through sudo, the way scripts/pg.sh installs
# PostgreSQL. Called by scripts/setup.sh and scripts/test.sh (and so by .ci/run).
set -euo pipefail

# Asked of the package database, which every user may read (ldconfig lives in /sbin, outside a
# normal user's PATH).
installed() { dpkg-query -W -f='${Status}' libicu72 2>/dev/null | grep -q 'install ok installed'; }
if installed; then
  exit 0
fi
echo "ICU (libicu72) not found; installing it with apt-get." >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "icu.sh: libicu72 is missing and this user cannot install it; ask an administrator: apt-get install libicu72" >&2; exit 1; }
  sudo="sudo"
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq libicu72 >/dev/null
installed || { echo "icu.sh: apt-get ran but libicu72 is still not installed" >&2; exit 1; }
