#!/usr/bin/env bash
# Installs what some tests need beyond the Swift toolchain, into .build/test-tools (a Python
# virtual environment): prometheus_client, whose parser checks the --metrics-file output.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.build/test-tools
if [ ! -x "$venv/bin/python3" ] || ! "$venv/bin/python3" -c 'import prometheus_client' 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/python3" -m pip install --quiet --disable-pip-version-check 'prometheus_client>=0.20,<1'
fi
echo "test tools ready in $venv"
