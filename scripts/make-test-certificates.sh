#!/usr/bin/env bash
# Makes the TLS material the tests carry in Tests/UID2TestSupport/Certificates: a test CA and
# server certificates signed by it. Run by hand only when they must change; the tests never run
# it (they need nothing but the Swift toolchain). Every key here is a throwaway made for tests.
#
#   ca.pem                   the test CA (valid 100 years)
#   ca-dir/<hash>.0          the same CA in an OpenSSL hashed directory (for SSL_CERT_DIR)
#   server.pem, server-key.pem            for 127.0.0.1 and localhost (valid 100 years)
#   expired.pem, expired-key.pem          for 127.0.0.1 and localhost, expired in 2001
#   wrong-host.pem, wrong-host-key.pem    for operator.example.com only (valid 100 years)
#   not-a-certificate.pem    a PEM file with a key and no certificate
set -euo pipefail
out="${1:-$(cd "$(dirname "$0")/.." && pwd)/Tests/UID2TestSupport/Certificates}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$out/ca-dir"
rm -f "$out"/*.pem "$out"/ca-dir/*

newkey() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

newkey "$work/ca-key.pem"
openssl req -x509 -new -key "$work/ca-key.pem" -sha256 -days 36500 -subj "/O=uid2-batch tests/CN=uid2-batch test CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out "$out/ca.pem"

# `openssl ca` can set any validity period, which the expired certificate needs.
mkdir -p "$work/db"
touch "$work/db/index.txt"
echo 1000 > "$work/db/serial"
cat > "$work/ca.cnf" <<CNF
[ ca ]
default_ca = test
[ test ]
database = $work/db/index.txt
serial = $work/db/serial
new_certs_dir = $work/db
certificate = $out/ca.pem
private_key = $work/ca-key.pem
default_md = sha256
policy = anything
unique_subject = no
copy_extensions = copy
[ anything ]
commonName = supplied
organizationName = optional
CNF

# sign NAME SUBJECT_ALT_NAMES START END
sign() {
    newkey "$out/$1-key.pem"
    openssl req -new -key "$out/$1-key.pem" -subj "/O=uid2-batch tests/CN=$1" -addext "subjectAltName=$2" \
        -addext "extendedKeyUsage=serverAuth" -out "$work/$1.csr"
    openssl ca -batch -notext -config "$work/ca.cnf" -startdate "$3" -enddate "$4" -in "$work/$1.csr" -out "$out/$1.pem" 2>/dev/null
}
sign server "IP:127.0.0.1,DNS:localhost" 20250101000000Z 21250101000000Z
sign expired "IP:127.0.0.1,DNS:localhost" 20000101000000Z 20010101000000Z
sign wrong-host "DNS:operator.example.com" 20250101000000Z 21250101000000Z

cp "$out/ca.pem" "$out/ca-dir/$(openssl x509 -in "$out/ca.pem" -noout -subject_hash).0"
cp "$out/server-key.pem" "$out/not-a-certificate.pem"
echo "wrote $out"
