#!/usr/bin/env bash
# README command 1: from nothing to a running engine. Installs PostgreSQL when missing, starts the
# local server on 127.0.0.1:54329 (it keeps running; stop it with scripts/pg.sh stop), builds,
# migrates, runs the main job on samples/, and starts the site (scripts/web.sh; it keeps running).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

command -v dotnet >/dev/null 2>&1 || { echo "setup: the .NET 10 SDK is required (dotnet not on PATH)" >&2; exit 1; }

echo "== ICU culture data (the site writes nl-NL and en-GB amounts and dates)"
bash scripts/packages.sh
echo "== PostgreSQL"
bash scripts/pg.sh start
echo "== Build"
dotnet build src/Ontzorging.Worker --configuration Release --nologo -v quiet
scripts/ontzorging --version >/dev/null   # publishes the CLI (ReadyToRun) into .local/cli
echo "== Migrate"
scripts/ontzorging db migrate
echo "== Main job on samples/"
bash scripts/main-job.sh
echo "== Site"
bash scripts/web.sh start
echo "Sign in at $(bash scripts/web.sh url) with the development identity provider: carla or erik (caseworkers of"
echo "GM0344 and GM0363), anna or bob (finance officers), dirk (auditor), beheer (administrator), klacht (complaints"
echo "officer); password ontzorging-dev."
echo "Stop it with: bash scripts/web.sh stop"
