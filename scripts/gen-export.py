#!/usr/bin/env python3
"""Write a large synthetic CRM export for benchmarks and load tests of uid2-batch.

The export has the same columns as samples/crm-export.csv:

    customer_id,first_name,last_name,email,phone,country,signup_date,notes

Every row falls into exactly one of three kinds, chosen at random per row:

  email row    a valid email (mixed case, some padding spaces, gmail addresses with dots
               and +tags, +tags on other domains); some also carry a phone, valid or badly
               formatted, which the email overrides.
  phone-only   empty email and a valid E.164 phone: +1 555 and 7 digits (area code 555 is
               not in service, so the numbers are fictional).
  invalid      no usable identity: an email without @, with two @, with an empty local
               part or domain, a badly formatted phone such as "(212) 555-0123", or both
               cells empty. Each of these rows should end up in the errors file.

Emails embed the row number, so they are unique. The summary on stderr gives the count of
each kind, so a benchmark can check the tool's output and errors counts against it.

With --messy the export also has notes with embedded line breaks (LF and CRLF) and doubled
quotes, quoted names containing commas, non-ASCII names and a few non-ASCII emails
(all still valid RFC 4180).

Output is deterministic: the same arguments (and seed) give the same bytes. Rows are
generated and written in chunks, so memory stays constant whatever --rows is. Everything is
fictional: example.*/.test domains, invented gmail names, phone numbers in ranges that
are not in service or are reserved for fiction (US 555-01xx, UK 07700 900xxx).

Examples:
  scripts/gen-export.py --rows 1000000 --out /tmp/export-1m.csv
  scripts/gen-export.py --rows 50000 --seed 7 --messy --phone-share 0.5 | head
"""

import argparse
import os
import random
import sys
import time

HEADER = "customer_id,first_name,last_name,email,phone,country,signup_date,notes"
POOL_BITS = 12                  # each fragment pool holds 2**POOL_BITS prebuilt strings
POOL_SIZE = 1 << POOL_BITS
BLOCK_ROWS = 10000              # rows per write; see generate()
LOW4 = ["%04d" % k for k in range(BLOCK_ROWS)]

FIRST = ["Alice", "Bob", "Carol", "Dave", "Erin", "Frank", "Grace", "Heidi", "Ivan", "Judy",
         "Mallory", "Niaj", "Olivia", "Peggy", "Rupert", "Sybil", "Trent", "Victor", "Walter",
         "Wendy", "Yusuf", "Priya", "Chen", "Amara", "Lars", "Ingrid", "Mateo", "Sofia",
         "Hannah", "Kwame", "Lena", "Tomasz", "Aoife", "Diego", "Noor", "Felix", "Maya",
         "Omar", "Rosa", "Sven", "Tara", "Uma", "Vera", "Xavier", "Yara", "Zane"]
LAST = ["Example", "Sample", "Tester", "Placeholder", "Fakename", "Dummy", "Mockwell",
        "Specimen", "Notreal", "Fictional", "Doe", "Roe", "Testington", "Demo", "Madeup",
        "Stubbs", "Fixture", "Nobody", "Pretend", "Imaginary", "Samplesen", "Testova",
        "Exemplar", "Proto", "Mockridge", "Fauxley", "Shamwell", "Dryrun", "Stagehand"]
NONASCII_FIRST = ["José", "Zoë", "Łukasz", "太郎", "Ömer", "Ｆｕｌｌｗｉｄｔｈ", "François",
                  "Søren", "Ángela", "Björn", "Đorđe", "Ану", "İsmail"]
NONASCII_LAST = ["Muñoz-Ejemplo", "Brontë-Test", "Przykładowy", "山田", "Örnekoğlu", "Ｔｅｓｔ",
                 "Exemple", "Eksempel", "Pruebas", "Beispiel", "Primerović", "Пример"]
NONASCII_LOCAL = ["JOSÉ", "zoë", "Łukasz", "山田", "ÖMER", "søren", "ángela"]
DOMAINS = (["example.com"] * 8 + ["example.org"] * 4 + ["example.net"] * 3 + ["mail.test"] * 2
           + ["shop.example", "corp.example.com", "Example.com", "EXAMPLE.ORG"]
           + ["gmail.com"] * 6 + ["Gmail.com", "GMAIL.COM", "googlemail.com"])
TAGS = [""] * 22 + ["+news", "+shop", "+crm+2023", "+"]
COUNTRIES = ["US"] * 10 + ["GB", "GB", "DE", "FR", "ES", "PL", "JP", "TR", "CA", "AU", "us", "uk", ""]
PLAIN_NOTES = ["newsletter", "VIP", "churned", "imported from legacy CRM", "prefers email",
               "do not call", "trial user", "wholesale", "re-engaged"]
COMMA_NOTES = ["Called twice, no answer", "VIP, renewal due Q3", "prefers SMS, not email",
               "refund issued, 2 items", "asked about pricing, sent brochure"]
MESSY_NOTES = ['Said "call me after 5pm"', 'Nickname "Bobby", VIP',
               "Address change:\n12 Example Street\nSpringfield",
               "Pasted from email:\r\n> Please unsubscribe me\r\n> Thanks",
               'Support ticket #4411,\n"urgent" per agent', "trailing line break\n"]
# Rejected by the tool: formatted, no "+", trailing space, too few digits, "00" instead of "+".
BAD_PHONE_FORMATS = ["(212) 555-01{0:02d}", "+1 212 555 01{0:02d}", "+1-415-555-01{0:02d}",
                     "312.555.01{0:02d}", "121255501{0:02d}", "+44 7700 900{1:03d}",
                     "+1 (617) 555-01{0:02d}", "+121255501{0:02d} ", "+12125550", "00447700900{1:03d}"]


def csv_field(value, force=False):
    """Quote a value as RFC 4180 requires (or always, when force is set)."""
    if force or any(c in value for c in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


class Pools:
    """Prebuilt row fragments, so each row costs a few lookups and one f-string."""

    def __init__(self, rng, messy, eol):
        self.rng = rng
        self.messy = messy
        self.eol = eol
        n = POOL_SIZE
        # Email rows: "first,last,<local prefix>" + row number + "<tag>@<domain>,<phone>,<tail>".
        self.email_head = [self.email_head_fragment() for _ in range(n)]
        self.email_tail = [self.email_tail_fragment() for _ in range(n)]
        # Phone-only rows: "first,last,,+1555" + 7 digits + ",<country>,<date>,<notes>".
        self.phone_head = ["%s,,+1555" % self.names() for _ in range(n)]
        self.rest = ["," + self.rest_fragment() for _ in range(n)]
        # Invalid rows: everything after customer_id.
        self.invalid = [self.invalid_fragment(k) for k in range(n)]

    def pick(self, seq):
        return seq[int(self.rng.random() * len(seq))]

    def names(self):
        rng = self.rng
        share = 0.15 if self.messy else 0.03
        first = self.pick(NONASCII_FIRST) if rng.random() < share else self.pick(FIRST)
        last = self.pick(NONASCII_LAST) if rng.random() < share else self.pick(LAST)
        if self.messy and rng.random() < 0.03:
            last += ", Jr."
        return csv_field(first) + "," + csv_field(last)

    def case_mix(self, s):
        r = self.rng.random()
        if r < 0.70:
            return s.lower()
        if r < 0.85:
            return s[:1].upper() + s[1:].lower()
        if r < 0.95:
            return s.upper()
        return "".join(c.upper() if self.rng.random() < 0.3 else c.lower() for c in s)

    def email_head_fragment(self):
        rng = self.rng
        first, last = self.pick(FIRST), self.pick(LAST)
        style = rng.random()
        if style < 0.4:
            local = first + "." + last
        elif style < 0.6:
            local = first + last
        elif style < 0.75:
            local = first[0] + "." + last
        elif style < 0.85:
            local = first + "_" + last
        elif style < 0.95:
            local = ".".join(first) + "."      # gmail users who dot their address
        else:
            local = last + "."
        local = self.case_mix(local)
        if self.messy and rng.random() < 0.02:
            local = self.pick(NONASCII_LOCAL) + "."
        if rng.random() < 0.02:
            local = self.pick([" ", "  "]) + local
        return "%s,%s,%s" % (csv_field(first), csv_field(last), local)

    def email_tail_fragment(self):
        rng = self.rng
        domain = self.pick(DOMAINS)
        if rng.random() < 0.03:
            domain = self.case_mix(domain)
        email_end = self.pick(TAGS) + "@" + domain
        if rng.random() < 0.02:
            email_end += self.pick([" ", "   "])
        r = rng.random()
        phone = self.valid_phone() if r < 0.25 else self.bad_phone() if r < 0.30 else ""
        return "%s,%s,%s" % (email_end, csv_field(phone), self.rest_fragment())

    def valid_phone(self):
        rng = self.rng
        r = rng.random()
        if r < 0.6:
            return "+1%d55501%02d" % (self.pick([201, 212, 312, 415, 617, 702]), int(rng.random() * 100))
        return "+447700900%03d" % int(rng.random() * 1000)

    def bad_phone(self):
        return self.pick(BAD_PHONE_FORMATS).format(int(self.rng.random() * 100), int(self.rng.random() * 1000))

    def rest_fragment(self):
        """country,signup_date,notes and the record end."""
        rng = self.rng
        y, m, d = 2015 + int(rng.random() * 10), 1 + int(rng.random() * 12), 1 + int(rng.random() * 28)
        date = "%04d-%02d-%02d" % (y, m, d) if rng.random() < 0.8 else "%02d/%02d/%04d" % (m, d, y)
        r = rng.random()
        if self.messy and r < 0.06:
            notes = self.pick(MESSY_NOTES)
        elif r < 0.80:
            notes = ""
        elif r < 0.94:
            notes = self.pick(PLAIN_NOTES)
        else:
            notes = self.pick(COMMA_NOTES)
        return "%s,%s,%s%s" % (self.pick(COUNTRIES), date, csv_field(notes), self.eol)

    def invalid_fragment(self, k):
        rng = self.rng
        first, last = self.pick(FIRST).lower(), self.pick(LAST).lower()
        n = int(rng.random() * 100000)
        kind = k % 8
        phone = ""
        if kind == 0:
            email = "%s.%s%d.example.com" % (first, last, n)        # no @
        elif kind == 1:
            email = "%s@%s%d@example.com" % (first, last, n)        # two @
        elif kind == 2:
            email = self.pick(["@example.com", "   @example.org", "+%s@gmail.com" % last, "...@gmail.com"])
        elif kind == 3:
            email = "%s.%s%d@" % (first, last, n)                   # empty domain
        elif kind in (4, 5):
            email, phone = "", self.bad_phone()                      # unnormalized phone only
        elif kind == 6:
            email = self.pick(["", " ", "   "])                     # nothing usable
            phone = self.pick(["", " "])
        else:
            email, phone = "%s@@example.net" % first, self.bad_phone()
        return "%s,%s,%s,%s" % (self.names(), csv_field(email), csv_field(phone), self.rest_fragment())


def generate(out, rows, seed, phone_share, invalid_share, messy, eol):
    """Write HEADER and `rows` rows to the binary stream `out`; return (phone_rows, invalid_rows)."""
    rng = random.Random(seed)
    pools = Pools(rng, messy, eol)
    rnd, bits = rng.random, rng.getrandbits
    email_head, email_tail = pools.email_head, pools.email_tail
    phone_head, rest, invalid = pools.phone_head, pools.rest, pools.invalid
    cut_invalid = invalid_share
    cut_phone = invalid_share + phone_share
    n_phone = n_invalid = 0

    out.write((HEADER + eol).encode())
    # Rows go in blocks of 10,000 so that the customer id "C" + at least 6 digits is a
    # per-block prefix plus a prebuilt 4-digit suffix: formatting it per row is the
    # generator's single biggest cost otherwise.
    for block in range(rows // BLOCK_ROWS + 1):
        first = block * BLOCK_ROWS
        lo, hi = max(first, 1), min(first + BLOCK_ROWS, rows + 1)
        if lo >= hi:
            break
        prefix = "C%02d" % block
        buf = []
        add = buf.append
        for low4, n in zip(LOW4[lo - first:hi - first], map(str, range(lo, hi))):
            r = rnd()
            if r >= cut_phone:
                add(f"{prefix}{low4},{email_head[bits(POOL_BITS)]}{n}{email_tail[bits(POOL_BITS)]}")
            elif r >= cut_invalid:
                n_phone += 1
                # 7 digits after +1555: 1000000 + up to 2**23.
                add(f"{prefix}{low4},{phone_head[bits(POOL_BITS)]}{1000000 + bits(23)}{rest[bits(POOL_BITS)]}")
            else:
                n_invalid += 1
                add(f"{prefix}{low4},{invalid[bits(POOL_BITS)]}")
        out.write("".join(buf).encode())
    return n_phone, n_invalid


def share(text):
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError("must be between 0 and 1, got %s" % text)
    return value


def count(text):
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more, got %s" % text)
    return value


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n", 1)[0],
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=count, required=True, help="number of data rows (header not counted)")
    parser.add_argument("--seed", type=int, default=42, help="random seed (default: 42)")
    parser.add_argument("--out", default="-", metavar="FILE|-", help="output file, - for stdout (default: -)")
    parser.add_argument("--phone-share", type=share, default=0.3, metavar="F",
                        help="share of phone-only rows (default: 0.3)")
    parser.add_argument("--invalid-share", type=share, default=0.02, metavar="F",
                        help="share of rows with no usable identity (default: 0.02)")
    parser.add_argument("--messy", action="store_true",
                        help="add multi-line and quote-heavy notes, quoted names, non-ASCII names and emails")
    parser.add_argument("--eol", choices=["crlf", "lf"], default="crlf",
                        help="record terminator (default: crlf, as Excel writes)")
    parser.add_argument("--quiet", action="store_true", help="no summary on stderr")
    args = parser.parse_args(argv)
    if args.phone_share + args.invalid_share > 1.0:
        parser.error("--phone-share plus --invalid-share must not exceed 1")

    eol = "\r\n" if args.eol == "crlf" else "\n"
    started = time.monotonic()
    try:
        if args.out == "-":
            counts = generate(sys.stdout.buffer, args.rows, args.seed, args.phone_share,
                              args.invalid_share, args.messy, eol)
            sys.stdout.buffer.flush()
        else:
            with open(args.out, "wb", buffering=1 << 20) as out:
                counts = generate(out, args.rows, args.seed, args.phone_share,
                                  args.invalid_share, args.messy, eol)
    except BrokenPipeError:
        # The reader went away (e.g. `| head`). Point stdout at /dev/null so the interpreter's
        # final flush does not complain, and report the truncated output with status 1.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    elapsed = time.monotonic() - started
    if not args.quiet:
        n_phone, n_invalid = counts
        print("gen-export: %d rows (email %d, phone-only %d, invalid %d) to %s in %.2fs (%.0f rows/s)"
              % (args.rows, args.rows - n_phone - n_invalid, n_phone, n_invalid,
                 "stdout" if args.out == "-" else args.out, elapsed, args.rows / elapsed if elapsed else 0),
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
