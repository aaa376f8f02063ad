import UID2TestSupport
import Foundation
import Testing
import UID2
import UID2Simulator

/// Serialized: each test runs the commands on both cores, and the suite must not starve the
/// in-process tests that run beside it.
@Suite("uid2-batch share encrypt and decrypt, run as binaries against uid2-operator-sim", .serialized)
struct ShareCommandTests {
    static let tokenKey = try! SimulatorTokenKey(base64: OperatorSimProcess.tokenKey)
    static let tokens = SimulatedTokens(key: tokenKey)

    /// Raw UID2s as map gives them: every 5th a phone id, every 7th a 32-byte v2 id; computed
    /// once (each is an HMAC), for the rows the tests use.
    static let rawUID2s: [String] = (0...16_384).map(makeRawUID2)

    static func rawUID2(_ row: Int) -> String {
        row < rawUID2s.count ? rawUID2s[row] : makeRawUID2(row)
    }

    static func makeRawUID2(_ row: Int) -> String {
        if row % 7 == 0 { return Base64.encode(Array(IdentityHash.sha256Base64("v2-\(row)").utf8.prefix(32))) }
        if row % 5 == 0 { return tokens.rawUID2(forIdentityHash: IdentityHash.sha256Base64("+1555\(row)"), type: .phone) }
        return tokens.rawUID2(forIdentityHash: IdentityHash.sha256Base64("user\(row)@example.com"), type: .email)
    }

    /// `customer_id,raw_uid2` rows; every 11th id malformed (the rest as map gives them).
    static func export(rows: Int, from first: Int = 1) -> String {
        (first..<(first + rows)).map { row in
            "C\(row),\(row % 11 == 0 ? String(rawUID2(row).dropLast()) : rawUID2(row))"
        }.joined(separator: "\n") + "\n"
    }

    /// The simulator's sharing keys at `nowMillis`, as its answer lists them (see ``SimulatedSharing``).
    static func keys(_ sharing: SimulatedSharing, atMillis nowMillis: Int64) -> SharingKeys {
        sharing.sharingKeys(atMillis: nowMillis)
    }

    static func sharing(_ change: (inout SharingSettings) -> Void = { _ in }) -> SimulatedSharing {
        var settings = SharingSettings()
        change(&settings)
        return SimulatedSharing(tokenKey: tokenKey, settings: settings)
    }

    /// A v4 token of `raw` made with `keys` at `nowMillis`.
    static func token(_ raw: String, keys: SharingKeys, atMillis nowMillis: Int64) throws -> [UInt8] {
        let encrypter = try SharingTokenEncrypter(keys: keys, nowMillis: nowMillis)
        return try Array(raw.utf8).withUnsafeBufferPointer { raw in
            try [UInt8](repeating: 0x42, count: SharingTokenEncrypter.randomByteCount).withUnsafeBytes {
                try encrypter.encrypt(rawUID2: raw, random: $0)
            }
        }
    }

    static var nowMillis: Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    static func summary(_ path: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }

    @Test func encryptedRowsDecryptBackToTheSameRawUID2sAndKeys() async throws {
        let workspace = try TemporaryDirectory()
        let simulator = try await OperatorSimProcess([
            "--error-500-rate", "0.3", "--drop-rate", "0.1", "--fault-seed", "11", "--retry-after", "0",
        ])
        let rows = 5_000
        // A map output: rows whose status is optout have no raw UID2 and are carried.
        var lines = ["customer_id,status,raw_uid2"]
        for row in 1...rows {
            lines.append(row % 13 == 0 ? "C\(row),optout," : "C\(row),mapped,\(row % 11 == 0 ? "not-an-id" : Self.rawUID2(row))")
        }
        let input = try workspace.write(lines.joined(separator: "\n") + "\n", to: "in.csv")
        let environment = simulator.credentialsEnvironment
        let encrypt = try await runCommand(Binaries.uid2Batch, [
            "share", "encrypt", input, "--base-url", simulator.baseURL, "--key-column", "customer_id", "--max-attempts", "12",
            "--out", workspace.path("shared.csv"), "--summary-json", workspace.path("encrypt.json"),
        ], environment: environment)
        #expect(encrypt.status == 1, "\(encrypt.stderr)")
        let shared = CSVTable.dataRows(workspace.read("shared.csv"))
        let refused = CSVTable.dataRows(workspace.read("shared.errors.csv"))
        #expect(allRows(workspace.read("shared.csv"), workspace.read("shared.errors.csv")) == Array(1...rows))
        #expect(refused.map { Int($0[0])! } == (1...rows).filter { $0 % 11 == 0 && $0 % 13 != 0 })
        #expect(refused.allSatisfy { $0[2] == "invalid_raw_uid2" && $0[3].contains("raw_uid2") && !$0[3].contains("not-an-id") })
        let base64URL = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        for line in shared {
            let row = try #require(Int(line[0]))
            #expect(line[1] == "C\(row)")
            if row % 13 == 0 {
                #expect(line[2].isEmpty && line[3].isEmpty, "row \(row)")
                continue
            }
            let raw = Self.rawUID2(row)
            #expect(line[2].count == (raw.hasSuffix("=") ? 218 : 219), "row \(row)")
            #expect(line[2].allSatisfy(base64URL.contains))
            // The identity byte: phone ids (v3, starting B) give B4, others A4.
            #expect(line[2].hasPrefix(raw.hasPrefix("B") ? "B4" : "A4"), "row \(row)")
            #expect(Int64(line[3]) ?? 0 > Self.nowMillis + 29 * 86_400_000)
        }
        let encryptStats = try #require(try Self.summary(workspace.path("encrypt.json"))["stats"] as? [String: Any])
        #expect((encryptStats["results"] as? [String: Int])?["encrypted"] == shared.filter { !$0[2].isEmpty }.count)
        #expect((encryptStats["results"] as? [String: Int])?["optout"] == rows / 13)

        let decrypt = try await runCommand(Binaries.uid2Batch, [
            "share", "decrypt", workspace.path("shared.csv"), "--base-url", simulator.baseURL, "--key-column", "customer_id",
            "--max-attempts", "12", "--out", workspace.path("back.csv"),
        ], environment: environment)
        // The carried rows have no token: they are the decrypt run's errors.
        #expect(decrypt.status == 1, "\(decrypt.stderr)")
        let back = CSVTable.dataRows(workspace.read("back.csv"))
        let missing = CSVTable.dataRows(workspace.read("back.errors.csv"))
        #expect(missing.allSatisfy { $0[2] == "missing_token" } && missing.count == rows / 13)
        #expect(back.count == shared.count - rows / 13)
        for (line, source) in zip(back, shared.filter { !$0[2].isEmpty }) {
            let row = try #require(Int(source[0]))
            #expect(line[1] == source[1] && line[2] == Self.rawUID2(row), "row \(row)")
            #expect(line[3] == (Self.rawUID2(row).hasPrefix("B") ? "phone" : "email"))
            #expect(line[4] == "999" && line[6] == source[3])
            #expect(Int64(line[6])! - Int64(line[5])! == 2_592_000_000)
        }
        // Faults were met and retried; the key request is one per run.
        let stats = try await simulator.stats()
        let requests = try #require(stats["requests"] as? [String: [String: Int]])
        #expect(requests["/v2/key/sharing"]?["200"] == 2)
        #expect((requests["/v2/key/sharing"]?["500"] ?? 0) + (requests["/v2/key/sharing"]?["dropped"] ?? 0) > 0)
    }

    /// Tokens that must not decrypt each get the code of their status, with the good tokens of
    /// the same file decrypted around them.
    @Test func tokensThatDoNotDecryptGetTheirStatusCodes() async throws {
        let workspace = try TemporaryDirectory()
        let simulator = try await OperatorSimProcess()
        let sharing = Self.sharing()
        let now = Self.nowMillis
        let keys = Self.keys(sharing, atMillis: now)
        let raw = Self.rawUID2(1)
        let good = try Self.token(raw, keys: keys, atMillis: now)
        // Made 40 days ago with the keys of then, which the operator still lists: expired.
        let expired = try Self.token(raw, keys: Self.keys(sharing, atMillis: now - 40 * 86_400_000), atMillis: now - 40 * 86_400_000)
        // Made by a site that shares with this one (site 1000): decrypts, with its site id.
        let fromOtherSite = try Self.token(raw, keys: Self.keys(Self.sharing { $0.siteID = 1000 }, atMillis: now), atMillis: now)
        // A site key the operator does not list for this caller.
        let unlisted = try SharingKey(id: 77, keysetID: 4242, created: 0, activates: 0, expires: 4_102_444_800, secret: Array(repeating: 9, count: 32))
        let foreign = try Self.token(raw, keys: SharingKeys(
            callerSiteID: 4000, defaultKeysetID: 4242, maxSharingLifetimeSeconds: nil, identityScope: .uid2,
            keys: keys.keys.filter { $0.keysetID == SharingKeys.masterKeysetID } + [unlisted]
        ), atMillis: now)
        // An EUID operator's token: the other identity system.
        let euid = try Self.token(raw, keys: Self.keys(Self.sharing { $0.scope = .euid }, atMillis: now), atMillis: now)
        // Generated two hours in the future: more than the 30 minutes of clock skew allowed.
        let future = try Self.token(raw, keys: keys, atMillis: now + 7_200_000)
        var versionless = good
        versionless[1] = 0x90
        var cells: [(String, String)] = [
            ("good", Base64URL.encode(good)), ("v3-standard-base64", Base64.encode([good[0], 0x70] + good[2...])),
            ("expired", Base64URL.encode(expired)), ("other-site", Base64URL.encode(fromOtherSite)),
            ("foreign", Base64URL.encode(foreign)), ("euid", Base64URL.encode(euid)), ("future", Base64URL.encode(future)),
            ("version", Base64URL.encode(versionless)), ("truncated", String(Base64URL.encode(good).prefix(150))),
            ("short", "A4A"), ("empty", ""),
        ]
        // One byte flipped anywhere never decrypts.
        for index in stride(from: 0, to: good.count, by: 7) {
            var tampered = good
            tampered[index] ^= 0x20
            cells.append(("tampered-\(index)", Base64URL.encode(tampered)))
        }
        let csv = "name,uid2_token\n" + cells.map { "\($0.0),\($0.1)" }.joined(separator: "\n") + "\n"
        let input = try workspace.write(csv, to: "tokens.csv")
        let result = try await runCommand(Binaries.uid2Batch, [
            "share", "decrypt", input, "--base-url", simulator.baseURL, "--key-column", "name", "--out", workspace.path("out.csv"),
        ], environment: simulator.credentialsEnvironment)
        #expect(result.status == 1, "\(result.stderr)")
        let decrypted = Dictionary(uniqueKeysWithValues: CSVTable.dataRows(workspace.read("out.csv")).map { ($0[1], $0) })
        let codes = Dictionary(uniqueKeysWithValues: CSVTable.dataRows(workspace.read("out.errors.csv")).map { ($0[1], $0[2]) })
        #expect(Set(decrypted.keys) == ["good", "v3-standard-base64", "other-site"])
        #expect(decrypted.values.allSatisfy { $0[2] == raw })
        #expect(decrypted["good"]?[4] == "999" && decrypted["other-site"]?[4] == "1000")
        #expect(codes["expired"] == "expired_token")
        #expect(codes["foreign"] == "not_authorized_for_key")
        #expect(codes["euid"] == "other_identity_scope")
        #expect(codes["future"] == "invalid_token_lifetime")
        #expect(codes["version"] == "version_not_supported")
        #expect(codes["truncated"] == "invalid_payload" && codes["short"] == "invalid_payload")
        #expect(codes["empty"] == "missing_token")
        let tampered = codes.filter { $0.key.hasPrefix("tampered-") }
        #expect(tampered.count == (good.count + 6) / 7)
        #expect(tampered.values.allSatisfy { ["invalid_payload", "version_not_supported", "not_authorized_for_master_key", "other_identity_scope"].contains($0) })
        // No token, no raw UID2 and no key in what the run printed.
        #expect(!result.stderr.contains(raw) && !result.stderr.contains("A4A"))
    }

    @Test func checkOptoutKeepsOptedOutIdsOutOfTheOutput() async throws {
        let workspace = try TemporaryDirectory()
        let rate = 0.2
        let simulator = try await OperatorSimProcess(["--optout-status-rate", "\(rate)", "--error-500-rate", "0.2", "--fault-seed", "4"])
        let rule = SimulatedOptout(rate: rate, tokenKey: Self.tokenKey)
        let rows = 6_000
        let input = try workspace.write("customer_id,raw_uid2\n" + Self.export(rows: rows), to: "in.csv")
        let result = try await runCommand(Binaries.uid2Batch, [
            "share", "encrypt", input, "--check-optout", "--base-url", simulator.baseURL, "--key-column", "customer_id",
            "--max-attempts", "12", "--out", workspace.path("out.csv"),
        ], environment: simulator.credentialsEnvironment)
        #expect(result.status == 1, "\(result.stderr)")
        let shared = CSVTable.dataRows(workspace.read("out.csv"))
        let refused = CSVTable.dataRows(workspace.read("out.errors.csv"))
        #expect(allRows(workspace.read("out.csv"), workspace.read("out.errors.csv")) == Array(1...rows))
        var optedOut = 0
        for row in 1...rows where row % 11 != 0 {
            if rule.optedOutSince(Array(Self.rawUID2(row).utf8)) != nil { optedOut += 1 }
        }
        #expect(optedOut > 0)
        #expect(refused.filter { $0[2] == "opted_out" }.count == optedOut)
        for line in refused where line[2] == "opted_out" {
            #expect(rule.optedOutSince(Array(Self.rawUID2(Int(line[0])!).utf8)) != nil)
        }
        #expect(shared.allSatisfy { rule.optedOutSince(Array(Self.rawUID2(Int($0[0])!).utf8)) == nil })
        let stats = try await simulator.stats()
        #expect((stats["optout_status_ids"] as? [String: Int])?["asked"] == rows - rows / 11)
        #expect((stats["max_in_flight_by_path"] as? [String: Int])?["/v2/optout/status"] == 1)
    }

    /// The active key changes during the run: the keys are fetched again before the batches
    /// after the change, and rows on both sides decrypt. Keys rotate every second; each batch's
    /// opt-out check takes at least 1.1 s, one at a time, and a batch is handed out (its keys
    /// chosen) only when one of the six before it is committed: the seventh batch is handed out
    /// more than a second after the first key fetch, in a later period.
    @Test func keysAreFetchedAgainWhenTheActiveKeyRotatesMidRun() async throws {
        let workspace = try TemporaryDirectory()
        let simulator = try await OperatorSimProcess(["--key-rotation-seconds", "1", "--latency-ms", "1100", "--optout-status-rate", "0"])
        let rows = 7 * 4096
        // 33-byte ids made from the row number: no HMAC per row in the test process.
        func id(_ row: Int) -> String {
            Base64.encode([0x04] + withUnsafeBytes(of: UInt64(row).bigEndian, Array.init) + [UInt8](repeating: 0x5A, count: 24))
        }
        let csv = "customer_id,raw_uid2\n" + (1...rows).map { "C\($0),\(id($0))" }.joined(separator: "\n") + "\n"
        let input = try workspace.write(csv, to: "in.csv")
        let encrypt = try await runCommand(Binaries.uid2Batch, [
            "share", "encrypt", input, "--check-optout", "--base-url", simulator.baseURL, "--key-column", "customer_id",
            "--out", workspace.path("shared.csv"),
        ], environment: simulator.credentialsEnvironment)
        #expect(encrypt.status == 0, "\(encrypt.stderr)")
        let stats = try await simulator.stats()
        let fetches = try #require((stats["requests"] as? [String: [String: Int]])?["/v2/key/sharing"]?["200"])
        #expect(fetches >= 2)
        #expect(encrypt.stderr.contains("sharing keys fetched again"))
        // The master key id (token bytes 2-5) tells each token's period.
        let sharing = Self.sharing { $0.rotationSeconds = 1 }
        let now = sharing.period(atMillis: Self.nowMillis)
        let periods = Dictionary(uniqueKeysWithValues: (now - 600...now + 1).map { (sharing.key(.master, period: $0).id, $0) })
        let shared = CSVTable.dataRows(workspace.read("shared.csv"))
        let used = shared.map { line -> Int64? in
            guard let bytes = Base64URL.decode(line[2]) else { return nil }
            return periods[Int(bytes[2...5].reduce(UInt32(0)) { $0 << 8 | UInt32($1) })]
        }
        #expect(used.allSatisfy { $0 != nil })
        let first = used.first.flatMap { $0 }, last = used.last.flatMap { $0 }
        #expect(first != nil && last != nil && first! < last!)
        // Within a batch the keys are one moment's: the period never goes back along the file.
        let known = used.compactMap { $0 }
        #expect(zip(known, known.dropFirst()).allSatisfy { $0 <= $1 })
        let decrypt = try await runCommand(Binaries.uid2Batch, [
            "share", "decrypt", workspace.path("shared.csv"), "--base-url", simulator.baseURL, "--key-column", "customer_id",
            "--out", workspace.path("back.csv"),
        ], environment: simulator.credentialsEnvironment)
        #expect(decrypt.status == 0, "\(decrypt.stderr)")
        let back = CSVTable.dataRows(workspace.read("back.csv"))
        #expect(back.count == shared.count)
        #expect(back.allSatisfy { $0[2] == id(Int($0[1].dropFirst())!) })
    }

    /// Tokens differ from run to run (random IVs), so a killed and resumed run is checked by
    /// what its tokens decrypt to: the same raw UID2s, row for row, as an uninterrupted run's.
    @Test func killedMidRunResumesToTokensOfTheSameRawUID2s() async throws {
        let workspace = try TemporaryDirectory()
        let simulator = try await OperatorSimProcess(["--latency-ms", "200", "--optout-status-rate", "0.05"])
        let rows = 10_000
        let input = try workspace.write("customer_id,raw_uid2\n" + Self.export(rows: rows), to: "in.csv")
        let environment = simulator.credentialsEnvironment
        let common = [
            "share", "encrypt", input, "--check-optout", "--base-url", simulator.baseURL, "--key-column", "customer_id",
            "--checkpoint-interval", "0.05",
        ]
        let reference = try await runCommand(Binaries.uid2Batch, common + ["--out", workspace.path("ref.csv")], environment: environment)
        #expect(reference.status == 1, "\(reference.stderr)")
        let process = try await launch(common + ["--out", workspace.path("out.csv")], environment: environment, stderr: workspace.url.appendingPathComponent("first.log"))
        let committed = await signalWhenRowsCommitted(checkpoint: workspace.path("out.csv.checkpoint"), of: process, signal: SIGKILL)
        await waitForExit(process)
        #expect(committed > 0 && committed < rows, "the run finished before a checkpoint was seen")
        let resumed = try await runCommand(Binaries.uid2Batch, common + ["--out", workspace.path("out.csv"), "--resume"], environment: environment)
        #expect(resumed.status == 1, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("resuming after row"))
        #expect(workspace.read("out.errors.csv") == workspace.read("ref.errors.csv"))
        for name in ["ref", "out"] {
            let decrypt = try await runCommand(Binaries.uid2Batch, [
                "share", "decrypt", workspace.path("\(name).csv"), "--base-url", simulator.baseURL, "--key-column", "customer_id",
                "--out", workspace.path("\(name).back.csv"),
            ], environment: environment)
            #expect(decrypt.status == 0, "\(decrypt.stderr)")
        }
        let columns = { (name: String) in CSVTable.dataRows(workspace.read(name)).map { Array($0[0...4]) } }
        #expect(columns("out.back.csv") == columns("ref.back.csv"))
        #expect(columns("out.back.csv").count == CSVTable.dataRows(workspace.read("ref.csv")).count)
    }

    @Test func aKeyWithoutTheSharerOrIDReaderRoleIsToldWhichRolesCanCall() async throws {
        let workspace = try TemporaryDirectory()
        let simulator = try await OperatorSimProcess(["--roles", "generator,mapper"])
        let input = try workspace.write("customer_id,raw_uid2\n" + Self.export(rows: 20), to: "in.csv")
        let result = try await runCommand(Binaries.uid2Batch, [
            "share", "encrypt", input, "--base-url", simulator.baseURL, "--out", workspace.path("out.csv"),
        ], environment: simulator.credentialsEnvironment)
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains("SHARER or ID_READER (Bidder)"), "\(result.stderr)")
        #expect(!workspace.exists("out.csv"))
    }

    /// A bidder key (ID_READER) decrypts; a key with no default keyset cannot encrypt and is
    /// told so, with nothing written under the output's final name.
    @Test func aKeyWithoutADefaultKeysetDecryptsButCannotEncrypt() async throws {
        let workspace = try TemporaryDirectory()
        let sender = try await OperatorSimProcess()
        let input = try workspace.write("customer_id,raw_uid2\n" + Self.export(rows: 30), to: "in.csv")
        let encrypt = try await runCommand(Binaries.uid2Batch, [
            "share", "encrypt", input, "--base-url", sender.baseURL, "--out", workspace.path("shared.csv"),
        ], environment: sender.credentialsEnvironment)
        #expect(encrypt.status == 1, "\(encrypt.stderr)")
        // A bidder of a site that the sender's site shares with.
        let bidder = try await OperatorSimProcess(["--roles", "id_reader", "--no-default-keyset", "--site-id", "1000"])
        let decrypt = try await runCommand(Binaries.uid2Batch, [
            "share", "decrypt", workspace.path("shared.csv"), "--base-url", bidder.baseURL, "--out", workspace.path("back.csv"),
        ], environment: bidder.credentialsEnvironment)
        #expect(decrypt.status == 0, "\(decrypt.stderr)")
        #expect(CSVTable.dataRows(workspace.read("back.csv")).count == CSVTable.dataRows(workspace.read("shared.csv")).count)
        let refused = try await runCommand(Binaries.uid2Batch, [
            "share", "encrypt", input, "--base-url", bidder.baseURL, "--out", workspace.path("again.csv"),
        ], environment: bidder.credentialsEnvironment)
        #expect(refused.status == 3, "\(refused.stderr)")
        #expect(refused.stderr.contains("no default keyset"), "\(refused.stderr)")
        #expect(!workspace.exists("again.csv"))
    }

    @Test(arguments: [
        ["share", "encrypt", "--environment", "uid2-prod", "--concurrency", "2"], ["share", "decrypt", "--simulate", "--concurrency", "2"],
        ["share", "decrypt", "--simulate", "--dry-run"], ["share", "decrypt", "--simulate"], ["share", "encrypt", "--simulate", "--uid2-column", "nope"],
    ])
    func refusedOptionsAndInputsAreUsageErrors(_ options: [String]) async throws {
        let workspace = try TemporaryDirectory()
        let input = try workspace.write("customer_id,raw_uid2\n" + Self.export(rows: 5), to: "in.csv")
        let result = try await runCommand(Binaries.uid2Batch, Array(options.prefix(2)) + [input] + Array(options.dropFirst(2)))
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.lowercased().contains("error"))
        #expect(!workspace.exists("in.shared.csv") && !workspace.exists("in.decrypted.csv"))
        #expect(!workspace.exists("in.shared.csv.partial") && !workspace.exists("in.decrypted.csv.partial"))
    }
}
