#!/usr/bin/env bash
# Installs what some tests and checks need beyond the Swift toolchain, into .build/test-tools (a
# Python virtual environment): prometheus_client, whose parser checks the --metrics-file output,
# and kubernetes-validate, which checks the manifests under docs/kubernetes/
# (scripts/check-kubernetes-manifests.sh). Only what is missing or outside its range is installed.
set -euo pipefail
cd "$(dirname "$0")/.."
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
