#!/usr/bin/env bash
# Makes sure the Debian packages the engine needs are installed, with apt-get when one is missing,
# as root or through sudo (the way scripts/pg.sh installs PostgreSQL):
# - libicu72: the culture data .NET reads to write amounts and dates the nl-NL way, and to
#   normalise text to NFC (docs/rules.md §10);
# - chromium: the browser the tests drive, and the renderer of the statements' PDFs;
# - fonts-noto-core and fonts-sil-abyssinica: the Arabic, Farsi and Ge'ez (Tigrinya) glyphs;
# - libxml2-utils: xmllint, which checks the pain.001 files against their schemas.
# Called by scripts/setup.sh and scripts/test.sh (and so by .ci/run).
set -euo pipefail
packages=(libicu72 chromium fonts-noto-core fonts-sil-abyssinica libxml2-utils)

# Asked of the package database, which every user may read.
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
[ "${#missing[@]}" -eq 0 ] && exit 0

echo "Installing with apt-get: ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null || {
    echo "packages.sh: ${missing[*]} missing and this user cannot install them; ask an administrator: apt-get install ${missing[*]}" >&2
    exit 1
  }
  sudo="sudo -n"
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
for package in "${missing[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' \
    || { echo "packages.sh: apt-get ran but $package is still not installed" >&2; exit 1; }
done
