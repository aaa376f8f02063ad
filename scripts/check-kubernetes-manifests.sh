#!/usr/bin/env bash
# Checks the Kubernetes manifests that docs/kubernetes.md shows:
#  1. every docs/kubernetes/*.yaml validates against the Kubernetes JSON schemas of the oldest
#     version the doc supports (1.33) and of the newest the validator knows (1.37), in strict
#     mode, so that a misspelled or unknown field fails as well as a wrong type;
#  2. every yaml block of docs/kubernetes.md is one of those files, byte for byte (its first line
#     names the file), every file is shown exactly once, and every json block parses.
# Installs kubernetes-validate in .build/test-tools first (scripts/install-test-tools.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.build/test-tools
doc=docs/kubernetes.md
kubernetes_versions=(1.33.0 1.37.0)

bash scripts/install-test-tools.sh >/dev/null
shopt -s nullglob
manifests=(docs/kubernetes/*.yaml)
if [ "${#manifests[@]}" -eq 0 ]; then
    echo "no manifests in docs/kubernetes/" >&2
    exit 1
fi

failed=0
for version in "${kubernetes_versions[@]}"; do
    # A file without a resource, or a kind the schemas do not know, only warns: count it as a failure.
    if ! report=$("$venv/bin/kubernetes-validate" --strict --kubernetes-version "$version" "${manifests[@]}" 2>&1); then
        failed=1
    fi
    printf '%s\n' "$report"
    if grep -q -v '^INFO ' <<<"$report"; then
        failed=1
    fi
done

"$venv/bin/python3" - "$doc" "${manifests[@]}" <<'EOF' || failed=1
import json
import re
import sys

import yaml

doc, files = sys.argv[1], sys.argv[2:]
problems = []

for path in files:
    documents = [d for d in yaml.safe_load_all(open(path, encoding="utf-8")) if d is not None]
    if not documents:
        problems.append(f"{path} holds no resource")
    for d in documents:
        if not isinstance(d, dict) or "apiVersion" not in d or "kind" not in d:
            problems.append(f"{path}: every document needs apiVersion and kind")

text = open(doc, encoding="utf-8").read()
if re.search(r"^[ \t]+```yaml", text, flags=re.M):
    problems.append(f"{doc}: an indented yaml block (put manifests at the left margin so they can be checked)")
blocks = re.findall(r"^```(\w*)\n(.*?)^```$", text, flags=re.S | re.M)
shown = {}
for language, body in blocks:
    if language == "yaml":
        first = body.split("\n", 1)[0]
        match = re.fullmatch(r"# (docs/kubernetes/[\w.-]+\.yaml)(:.*)?", first)
        if not match:
            problems.append(f"{doc}: a yaml block does not start with '# docs/kubernetes/NAME.yaml': {first!r}")
            continue
        name = match.group(1)
        shown[name] = shown.get(name, 0) + 1
        if name not in files:
            problems.append(f"{doc}: a yaml block names {name}, which does not exist")
        elif open(name, encoding="utf-8").read() != body:
            problems.append(f"{doc}: the yaml block of {name} differs from the file")
    elif language == "json":
        try:
            json.loads(body)
        except ValueError as error:
            problems.append(f"{doc}: a json block does not parse ({error}): {body[:60]!r}")
for path in files:
    if shown.get(path, 0) != 1:
        problems.append(f"{doc} shows {path} {shown.get(path, 0)} times (once expected)")

for problem in problems:
    print(f"ERROR {problem}")
if not problems:
    print(f"INFO {doc}: {sum(shown.values())} yaml blocks match their files")
sys.exit(1 if problems else 0)
EOF

if [ "$failed" -ne 0 ]; then
    echo "check-kubernetes-manifests: FAILED" >&2
    exit 1
fi
echo "check-kubernetes-manifests: ${#manifests[@]} manifests valid for Kubernetes ${kubernetes_versions[*]}; $doc matches them"
