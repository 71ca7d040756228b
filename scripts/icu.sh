#!/usr/bin/env bash
# The culture data (libicu72) and the other Debian packages the engine needs: scripts/packages.sh.
set -euo pipefail
exec bash "$(dirname "${BASH_SOURCE[0]}")/packages.sh"
