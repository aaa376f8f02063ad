import Foundation
import UID2

/// Synthetic CRM exports for tests: the one export generator of every test target.
///
/// Two shapes:
/// - ``plain(rows:invalidEvery:phoneEvery:)``: `customer_id,email,phone`, one kind of row per
///   position, with the hash each valid row must get, for tests that check every row's result.
/// - ``messy(rows:seed:)``: the columns of `samples/crm-export.csv` with the mess real exports have
///   (a byte order mark, CRLF record ends, quoted fields with commas, doubled quotes and line
///   breaks, non-ASCII names and emails, mixed case and padding, invalid, badly formatted and empty
///   identities), the same bytes for the same seed, fast enough for exports of hundreds of
///   thousands of rows in a test.
package enum SyntheticExport {
    /// A `customer_id,email,phone` export of `rows` rows with the expected hash of each valid row.
    ///
    /// Row `i` has key `C<i>`. Every `invalidEvery`-th row has neither a valid email nor a valid
    /// phone (`broken.example.com` and `555`); else every `phoneEvery`-th row has only a phone
    /// (`+1555` and seven digits); the others have the email `Person.<i>@Example.org`.
    package static func plain(rows: Int, invalidEvery: Int = 9, phoneEvery: Int = 4) -> (csv: String, hashes: [Int: String]) {
        var csv = "customer_id,email,phone\n"
        var hashes: [Int: String] = [:]
        guard rows > 0 else { return (csv, hashes) }
        for row in 1...rows {
            if row % invalidEvery == 0 {
                csv += "C\(row),broken.example.com,555\n"
            } else if row % phoneEvery == 0 {
                let phone = "+1555\(String(format: "%07d", row))"
                csv += "C\(row),,\(phone)\n"
                hashes[row] = IdentityHash.sha256Base64(phone)
            } else {
                csv += "C\(row),Person.\(row)@Example.org,\n"
                hashes[row] = IdentityHash.sha256Base64("person.\(row)@example.org")
            }
        }
        return (csv, hashes)
    }

    /// The header of ``messy(rows:seed:)`` exports.
    package static let messyHeader = "customer_id,first_name,last_name,email,phone,country,signup_date,notes"

    /// A messy export of `rows` rows (header not counted), deterministic for `seed`.
    ///
    /// About 60% of rows carry an email (some with a phone too, valid or badly formatted), 30%
    /// only a phone, 10% no usable identity (no `@`, two `@`, empty parts, formatted phones, empty
    /// or blank cells). Customer ids are unique; notes hold commas, quotes and line breaks.
    package static func messy(rows: Int, seed: UInt64 = 42) -> [UInt8] {
        var random = SplitMix64(state: seed)
        let pools = MessyPools(random: &random)
        var out: [UInt8] = [0xEF, 0xBB, 0xBF]
        out.reserveCapacity(rows * 96 + 128)
        out.append(contentsOf: messyHeader.utf8)
        out.append(contentsOf: crlf)
        var digits = [UInt8](repeating: 0, count: 20)
        for row in 1..<(rows + 1) {
            let pick = random.next()
            out.append(UInt8(ascii: "C"))
            appendDecimal(UInt64(row), to: &out, scratch: &digits)
            out.append(UInt8(ascii: ","))
            switch pick % 10 {
            case 0:
                out.append(contentsOf: pools.invalid[Int((pick >> 8) % UInt64(pools.invalid.count))])
            case 1, 2, 3:
                out.append(contentsOf: pools.names[Int((pick >> 8) % UInt64(pools.names.count))])
                out.append(contentsOf: phonePrefix)
                appendDecimal(1_000_000 + (pick >> 20) % 9_000_000, to: &out, scratch: &digits)
                out.append(contentsOf: pools.rest[Int((pick >> 44) % UInt64(pools.rest.count))])
            default:
                out.append(contentsOf: pools.emailHeads[Int((pick >> 8) % UInt64(pools.emailHeads.count))])
                appendDecimal(UInt64(row), to: &out, scratch: &digits)
                out.append(contentsOf: pools.emailTails[Int((pick >> 24) % UInt64(pools.emailTails.count))])
            }
        }
        return out
    }

    private static let crlf: [UInt8] = [13, 10]
    private static let phonePrefix = Array(",+1555".utf8)

    private static func appendDecimal(_ value: UInt64, to out: inout [UInt8], scratch: inout [UInt8]) {
        var value = value
        var count = 0
        repeat {
            scratch[count] = UInt8(ascii: "0") + UInt8(value % 10)
            value /= 10
            count += 1
        } while value > 0
        while count > 0 {
            count -= 1
            out.append(scratch[count])
        }
    }
}

/// Prebuilt row fragments of a messy export, so that a row is a few appends.
private struct MessyPools {
    static let first = ["Alice", "Bob", "Carol", "Dave", "Erin", "Frank", "Grace", "Heidi", "Ivan", "Judy", "Mallory", "Olivia", "Peggy", "Rupert", "Trent", "Victor"]
    static let last = ["Example", "Sample", "Tester", "Placeholder", "Dummy", "Specimen", "Fictional", "Doe", "Roe", "Demo"]
    static let nonASCIIFirst = ["José", "Zoë", "Łukasz", "太郎", "Ömer", "Ｆｕｌｌ", "François", "Søren", "İsmail"]
    static let nonASCIILast = ["Muñoz-Ejemplo", "Brontë", "Przykładowy", "山田", "Örnekoğlu", "Пример"]
    static let domains = ["example.com", "example.org", "Example.NET", "mail.test", "gmail.com", "GMAIL.com", "googlemail.com"]
    static let tags = ["", "", "", "", "+news", "+crm+2023"]
    static let badPhones = ["(212) 555-0123", "+1 212 555 0199", "312.555.0142", "+12125550", "00447700900123", "+1555 "]
    static let notes = [
        "", "", "", "", "newsletter", "VIP", "Called twice, no answer", "prefers SMS, not email",
        "Said \"call me after 5pm\"", "Address change:\n12 Example Street\nSpringfield",
        "Pasted:\r\n> Please unsubscribe me\r\n> Thanks", "Nickname \"Bobby\", VIP", "trailing line break\n",
    ]
    static let invalidIdentities = [
        "nobody.example.com,", "two@at@example.com,", "@example.com,", "local.part@,", ",(212) 555-0123",
        ",+1 (617) 555-0100", ",", " , ", "   ,", "x@@example.net,312.555.0142",
    ]

    var names: [[UInt8]] = []
    var emailHeads: [[UInt8]] = []
    var emailTails: [[UInt8]] = []
    var rest: [[UInt8]] = []
    var invalid: [[UInt8]] = []

    init(random: inout SplitMix64) {
        for _ in 0..<256 { names.append(Array((Self.name(&random) + ",").utf8)) }
        for _ in 0..<128 { rest.append(Array(Self.rest(&random).utf8)) }
        for _ in 0..<512 {
            let name = Self.name(&random)
            var local = Self.pick(Self.first, &random) + "." + Self.pick(Self.last, &random)
            switch random.next() % 10 {
            case 0: local = local.uppercased()
            case 1, 2: local = local.prefix(1).uppercased() + local.dropFirst().lowercased()
            case 3: local = Self.pick(["josé", "ZOË", "søren"], &random) + "."
            default: local = local.lowercased()
            }
            if random.next() % 20 == 0 { local = "  " + local }
            emailHeads.append(Array((name + "," + local).utf8))
            var tail = Self.pick(Self.tags, &random) + "@" + Self.pick(Self.domains, &random)
            if random.next() % 25 == 0 { tail += "  " }
            let phone: String
            switch random.next() % 20 {
            case 0...3: phone = "+1555010\(random.next() % 10)"
            case 4: phone = Self.field(Self.pick(Self.badPhones, &random))
            default: phone = ""
            }
            emailTails.append(Array((tail + "," + phone + Self.rest(&random)).utf8))
        }
        for identity in Self.invalidIdentities {
            for _ in 0..<8 { invalid.append(Array((Self.name(&random) + "," + identity + Self.rest(&random)).utf8)) }
        }
    }

    static func pick(_ list: [String], _ random: inout SplitMix64) -> String {
        list[Int(random.next() % UInt64(list.count))]
    }

    /// `first,last`, quoted where needed.
    static func name(_ random: inout SplitMix64) -> String {
        let nonASCII = random.next() % 8 == 0
        let first = pick(nonASCII ? nonASCIIFirst : self.first, &random)
        var last = pick(nonASCII ? nonASCIILast : self.last, &random)
        if random.next() % 30 == 0 { last += ", Jr." }
        return field(first) + "," + field(last)
    }

    /// `,country,signup_date,notes` and the record end.
    static func rest(_ random: inout SplitMix64) -> String {
        let country = pick(["US", "US", "US", "GB", "DE", "FR", "us", ""], &random)
        let year = 2015 + random.next() % 10, month = 1 + random.next() % 12, day = 1 + random.next() % 28
        let date = random.next() % 5 == 0 ? "\(month)/\(day)/\(year)" : "\(year)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
        return "," + country + "," + date + "," + field(pick(notes, &random)) + "\r\n"
    }

    /// `value` as a CSV field: quoted, with quotes doubled, when it holds a comma, quote or line break.
    static func field(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
