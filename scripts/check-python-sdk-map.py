#!/usr/bin/env python3
"""Checks that the official UID2 Python SDK's IdentityMapV3Client works, unchanged, against
uid2-operator-sim's POST /v3/identity/map.

Needs the SDK (PyPI package uid2-client), for example in a virtual environment:
    python3 -m venv /tmp/uid2-sdk && /tmp/uid2-sdk/bin/pip install uid2-client

Either against a running simulator (environment variables, or the matching options):
    UID2_BASE_URL=http://127.0.0.1:PORT UID2_API_KEY=... UID2_CLIENT_SECRET=... \
        /tmp/uid2-sdk/bin/python scripts/check-python-sdk-map.py
or let the script start one on a free loopback port and stop it afterwards:
    /tmp/uid2-sdk/bin/python scripts/check-python-sdk-map.py --simulator .build/debug/uid2-operator-sim

With the simulator's token key (UID2_SIM_TOKEN_KEY or --token-key; set for a started simulator),
every raw UID2 is also compared with the simulator's documented derivation (SimulatedTokens+RawUID2).
Prints one line per check and exits 1 if any check fails, 2 on a usage or setup problem.
"""
import argparse
import base64
import hashlib
import hmac
import os
import re
import subprocess
import sys
import time
from datetime import datetime, timezone

try:
    from uid2_client import IdentityMapV3Client, IdentityMapV3Input, UnmappedIdentityReason
    from uid2_client import normalize_and_hash_email, normalize_and_hash_phone
except ImportError:
    print("uid2-client is not installed: python3 -m venv /tmp/uid2-sdk && /tmp/uid2-sdk/bin/pip install uid2-client", file=sys.stderr)
    sys.exit(2)

EMAILS = ["User@Example.com", "jane.doe+news@gmail.com", "validate@example.com", "refresh-optout@example.com", "optout@example.com"]
PHONES = ["+12345678901", "+00000000002", "+00000000000"]
OPTOUT = {"optout@example.com", "+00000000000"}
HEX_EMAIL_HASH = hashlib.sha256(b"hex@example.com").hexdigest()
INVALID_HASHES = ["not-a-hash", "tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ"]  # 43 chars: padding missing
BASE64_44 = re.compile(r"^[A-Za-z0-9+/]{43}[A-Za-z0-9+/=]$")


def hkdf_sha256(key: bytes, info: bytes, length: int) -> bytes:
    """RFC 5869 with no salt, as swift-crypto's HKDF.deriveKey(inputKeyMaterial:info:outputByteCount:)."""
    prk = hmac.new(b"\0" * 32, key, hashlib.sha256).digest()
    okm, block = b"", b""
    for counter in range(1, -(-length // 32) + 1):
        block = hmac.new(prk, block + info + bytes([counter]), hashlib.sha256).digest()
        okm += block
    return okm[:length]


def expected_raw_uid2(token_key: bytes, label: str, identity_hash: str, type_code: int) -> str:
    """The simulator's raw UID2: base64((type << 2 | 3) || HMAC-SHA256(HKDF(key, label), hash))."""
    key = hkdf_sha256(token_key, b"uid2-operator-sim " + label.encode(), 32)
    digest = hmac.new(key, identity_hash.encode(), hashlib.sha256).digest()
    return base64.b64encode(bytes([type_code << 2 | 3]) + digest).decode()


def start_simulator(binary: str):
    api_key = "UID2-C-L-999-sdkchk." + base64.b64encode(os.urandom(24)).decode()
    secret = base64.b64encode(os.urandom(32)).decode()
    token_key = base64.b64encode(os.urandom(32)).decode()
    process = subprocess.Popen(
        [binary, "--port", "0", "--api-key", api_key, "--client-secret", secret, "--token-key", token_key],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        match = re.search(r"listening on (http://127\.0\.0\.1:\d+)", line)
        if match:
            return process, match.group(1), api_key, secret, token_key
    process.kill()
    print("the simulator did not report its address", file=sys.stderr)
    sys.exit(2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default=os.environ.get("UID2_BASE_URL"))
    parser.add_argument("--api-key", default=os.environ.get("UID2_API_KEY"))
    parser.add_argument("--client-secret", default=os.environ.get("UID2_CLIENT_SECRET"))
    parser.add_argument("--token-key", default=os.environ.get("UID2_SIM_TOKEN_KEY"))
    parser.add_argument("--simulator", help="path of uid2-operator-sim to start on a free port")
    args = parser.parse_args()

    process = None
    if args.simulator:
        process, args.base_url, args.api_key, args.client_secret, args.token_key = start_simulator(args.simulator)
    elif not (args.base_url and args.api_key and args.client_secret):
        parser.error("give --simulator, or the base URL, API key and client secret (UID2_BASE_URL, UID2_API_KEY, UID2_CLIENT_SECRET)")
    try:
        failures = run_checks(args)
    finally:
        if process:
            process.terminate()
            process.wait(timeout=30)
    print(f"{len(CHECKS) - failures} passed, {failures} failed")
    return 1 if failures else 0


CHECKS = []


def check(name: str, condition: bool) -> bool:
    CHECKS.append(name)
    print(("ok   " if condition else "FAIL ") + name)
    return condition


def run_checks(args) -> int:
    token_key = base64.b64decode(args.token_key) if args.token_key else None
    email_hashes = [HEX_EMAIL_HASH, normalize_and_hash_email("hashed@example.com")] + INVALID_HASHES
    phone_hashes = [normalize_and_hash_phone("+441234567890")]
    request = (IdentityMapV3Input.from_emails(EMAILS).with_phones(PHONES)
               .with_hashed_emails(email_hashes).with_hashed_phones(phone_hashes))
    client = IdentityMapV3Client(args.base_url, args.api_key, args.client_secret)
    response = client.generate_identity_map(request)
    again = client.generate_identity_map(request)
    mapped, unmapped = response.mapped_identities, response.unmapped_identities
    now = datetime.now(tz=timezone.utc)
    failed = 0

    failed += not check("status is success", response.is_success())
    for dii in OPTOUT:
        failed += not check(f"opt-out test identity {dii} is unmapped as optout",
                            dii in unmapped and unmapped[dii].reason == UnmappedIdentityReason.OPTOUT)
    for dii in INVALID_HASHES:
        failed += not check(f"hash {dii!r} is unmapped as invalid identifier",
                            dii in unmapped and unmapped[dii].reason == UnmappedIdentityReason.INVALID_IDENTIFIER)
    expected_mapped = [d for d in EMAILS + PHONES if d not in OPTOUT] + email_hashes[:2] + phone_hashes
    for dii in expected_mapped:
        identity = mapped.get(dii)
        if not check(f"{dii} is mapped", identity is not None):
            failed += 1
            continue
        is_phone = dii in PHONES or dii in phone_hashes
        raw = identity.current_raw_uid
        failed += not check(f"{dii}: raw UID2 is 44 base64 characters starting with {'B' if is_phone else 'A'}",
                            bool(BASE64_44.match(raw)) and raw[0] == ("B" if is_phone else "A"))
        previous = identity.previous_raw_uid
        failed += not check(f"{dii}: previous raw UID2 is null or another 44-character raw UID2",
                            previous is None or (bool(BASE64_44.match(previous)) and previous != raw))
        refresh = identity.refresh_from
        failed += not check(f"{dii}: refresh time is a UTC midnight in the next 31 days",
                            now < refresh and (refresh - now).days <= 31 and refresh.hour == 0 and refresh.minute == 0)
        failed += not check(f"{dii}: the same request maps it the same way",
                            again.mapped_identities.get(dii) is not None and again.mapped_identities[dii].current_raw_uid == raw)
        if token_key:
            if dii in EMAILS:
                identity_hash = normalize_and_hash_email(dii)
            elif dii in PHONES:
                identity_hash = normalize_and_hash_phone(dii)
            elif dii == HEX_EMAIL_HASH:
                identity_hash = base64.b64encode(bytes.fromhex(dii)).decode()
            else:
                identity_hash = dii
            type_code = 1 if is_phone else 0
            failed += not check(f"{dii}: raw UID2 is the simulator's derivation",
                                raw == expected_raw_uid2(token_key, "raw uid2", identity_hash, type_code))
            if previous is not None:
                failed += not check(f"{dii}: previous raw UID2 is the simulator's derivation",
                                    previous == expected_raw_uid2(token_key, "previous raw uid2", identity_hash, type_code))
    failed += not check("email and its hash map to the same raw UID2",
                        mapped.get("validate@example.com") is not None
                        and client.generate_identity_map(IdentityMapV3Input.from_hashed_emails(
                            [normalize_and_hash_email("validate@example.com")])).mapped_identities.get(
                            normalize_and_hash_email("validate@example.com")).current_raw_uid
                        == mapped["validate@example.com"].current_raw_uid)
    empty = client.generate_identity_map(IdentityMapV3Input())
    failed += not check("an empty input is a success with nothing mapped",
                        empty.is_success() and not empty.mapped_identities and not empty.unmapped_identities)
    return failed


if __name__ == "__main__":
    sys.exit(main())
