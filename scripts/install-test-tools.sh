#!/usr/bin/env bash
# Installs what the checks beyond `swift test` need, into .build/test-tools (a Python virtual
# environment): prometheus_client, the reference parser that scripts/check-metrics-file.sh runs
# on real --metrics-file outputs, and kubernetes-validate, which checks the manifests under
# docs/kubernetes/ (scripts/check-kubernetes-manifests.sh). Python itself comes from the
# system's packages when it is missing. Only what is missing or outside its range is installed.
# `swift test` needs none of this.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v python3 >/dev/null 2>&1 || ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
    if command -v apt-get >/dev/null 2>&1; then
        apt-get update -qq && apt-get install -y -qq python3 python3-venv >/dev/null
    else
        echo "python3 with the venv module is needed for these checks" >&2
        exit 1
    fi
fi
venv=.build/test-tools
requirements=(
    'prometheus_client>=0.20,<1'
    # 1.37 holds the schemas of Kubernetes 1.25 to 1.37; the check validates against 1.33 and 1.37.
    'kubernetes-validate>=1.37.0,<1.38'
)
if [ ! -x "$venv/bin/python3" ]; then
    python3 -m venv "$venv"
fi
# A requirement is met when its distribution is installed at a version inside its range.
met() {
    "$venv/bin/python3" - "$1" <<'EOF' 2>/dev/null
import sys
from importlib.metadata import version
from pip._vendor.packaging.requirements import Requirement
requirement = Requirement(sys.argv[1])
sys.exit(0 if requirement.specifier.contains(version(requirement.name), prereleases=True) else 1)
EOF
}
missing=()
for requirement in "${requirements[@]}"; do
    met "$requirement" || missing+=("$requirement")
done
if [ "${#missing[@]}" -gt 0 ]; then
    "$venv/bin/python3" -m pip install --quiet --disable-pip-version-check "${missing[@]}"
fi
echo "test tools ready in $venv"
