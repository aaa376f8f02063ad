#!/usr/bin/env python3
"""Parses a Prometheus text-format file with prometheus_client's parser (the reference
implementation) and prints its samples as JSON: {"name": [{"labels": {...}, "value": v}]}.
Exits non-zero, with the parser's message, when the file is not valid exposition text."""
import json
import sys

from prometheus_client.parser import text_string_to_metric_families


def main() -> int:
    with open(sys.argv[1], encoding="utf-8") as handle:
        text = handle.read()
    samples = {}
    types = {}
    try:
        for family in text_string_to_metric_families(text):
            types[family.name] = family.type
            for sample in family.samples:
                samples.setdefault(sample.name, []).append({"labels": sample.labels, "value": sample.value})
    except Exception as error:  # the parser raises ValueError and friends on bad input
        print(f"invalid exposition text: {error}", file=sys.stderr)
        return 1
    print(json.dumps({"samples": samples, "types": types}, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
