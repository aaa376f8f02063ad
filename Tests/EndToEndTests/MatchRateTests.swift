import UID2TestSupport
import Foundation
import Testing
import UID2

/// Match rates in the summary and the metrics file, checked against counts computed here from
/// the output and errors files and from which column each row's identity is in.
@Suite("match rates per kind of identity column")
struct MatchRateTests {
    /// Rows with their identity in one of four columns (`email`, `email_hash`, `phone`,
    /// `phone_hash`), a few opt-out test identities, and rows with no valid identity.
    static func export(rows: Int) -> (csv: String, sources: [Int: String]) {
        var lines = ["customer_id,email,email_hash,phone,phone_hash"]
        var sources: [Int: String] = [:]
        for row in 1...rows {
            switch row % 11 {
            case 0: lines.append("C\(row),not an email,,,")  // invalid_email: never sent, not counted
            case 1, 2, 3, 4: lines.append("C\(row),user\(row)@example.com,,,"); sources[row] = "email"
            case 5, 6: lines.append("C\(row),,\(IdentityHash.sha256Base64("h\(row)@example.com")),,"); sources[row] = "email_hash"
            case 7, 8: lines.append("C\(row),,,+1555\(String(format: "%07d", row)),"); sources[row] = "phone"
            default: lines.append("C\(row),,,,\(IdentityHash.sha256Base64("+1666\(String(format: "%07d", row))"))"); sources[row] = "phone_hash"
            }
        }
        lines[1] = "C1,optout@example.com,,,"
        lines[8] = "C8,,,+00000000000,"
        return (lines.joined(separator: "\n") + "\n", sources)
    }

    @Test func mapsMatchRatesAreTheOutputFilesCountsPerColumn() async throws {
        let workspace = try TemporaryDirectory()
        let simulator = try await OperatorSimProcess(["--error-500-rate", "0.3", "--fault-seed", "8"])
        let rows = 2_000
        let (csv, sources) = Self.export(rows: rows)
        let input = try workspace.write(csv, to: "in.csv")
        let result = try await runCommand(Binaries.uid2Batch, [
            "map", input, "--base-url", simulator.baseURL, "--key-column", "customer_id", "--out", workspace.path("out.csv"),
            "--batch-size", "40", "--concurrency", "1", "--max-attempts", "2", "--summary-json", workspace.path("summary.json"),
            "--metrics-file", workspace.path("out.prom"),
        ], environment: simulator.credentialsEnvironment)
        #expect(result.status == 1, "\(result.stderr)")

        // Counted here from the files: each row under the column its identity is in.
        var expected: [String: [String: Int]] = [:]
        for line in CSVTable.dataRows(workspace.read("out.csv")) {
            let source = try #require(sources[Int(line[0]) ?? 0])
            expected[source, default: [:]]["valid", default: 0] += 1
            expected[source, default: [:]][line[4] == "mapped" ? "matched" : "optout", default: 0] += 1
        }
        for line in CSVTable.dataRows(workspace.read("out.errors.csv")) {
            guard let source = sources[Int(line[0]) ?? 0] else {
                #expect(line[2] == "invalid_email")
                continue
            }
            expected[source, default: [:]]["valid", default: 0] += 1
            expected[source, default: [:]][line[2] == "invalid_identifier" ? "invalid" : "failed", default: 0] += 1
        }
        #expect(expected.values.contains { ($0["failed"] ?? 0) > 0 }, "the faults leave some rows unanswered")
        #expect(expected["email"]?["optout"] == 1 && expected["phone"]?["optout"] == 1)

        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: workspace.path("summary.json")))) as? [String: Any]
        let identities = try #require((summary?["stats"] as? [String: Any])?["identities"] as? [String: [String: Any]])
        #expect(Set(identities.keys) == ["email", "email_hash", "phone", "phone_hash"])
        let metrics = try PrometheusText(try String(contentsOfFile: workspace.path("out.prom"), encoding: .utf8))
        for (source, counts) in expected {
            let reported = try #require(identities[source])
            for name in ["valid", "matched", "optout", "invalid", "failed"] {
                #expect(reported[name] as? Int == counts[name] ?? 0, "\(source) \(name)")
                #expect(metrics.value("uid2_batch_last_run_identities", ["source": source, "result": name]) == Double(counts[name] ?? 0))
            }
            let rate = Double(counts["matched"] ?? 0) / Double(counts["valid"] ?? 1)
            #expect(abs((reported["matchRate"] as? Double ?? -1) - rate) < 1e-9, "\(source)")
            #expect(abs((metrics.value("uid2_batch_last_run_match_ratio", ["source": source]) ?? -1) - rate) < 1e-9)
            #expect(result.stderr.contains(String(format: "%.1f%%", rate * 100)), "\(source) in the text summary")
        }
    }

    @Test func hashGivesTheShareOfRowsWithAValidIdentityPerColumn() async throws {
        let workspace = try TemporaryDirectory()
        let (csv, sources) = Self.export(rows: 550)
        let input = try workspace.write(csv, to: "in.csv")
        let result = try await runCommand(Binaries.uid2Batch, [
            "hash", input, "--out", workspace.path("out.csv"), "--summary-json", workspace.path("summary.json"),
        ])
        #expect(result.status == 1, "\(result.stderr)")
        let valid = Dictionary(grouping: CSVTable.dataRows(workspace.read("out.csv")), by: { sources[Int($0[0]) ?? 0] ?? "?" }).mapValues(\.count)
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: workspace.path("summary.json")))) as? [String: Any]
        let identities = try #require((summary?["stats"] as? [String: Any])?["identities"] as? [String: [String: Any]])
        #expect(identities.mapValues { $0["valid"] as? Int ?? -1 } == valid)
        for (source, count) in valid {
            #expect(result.stderr.contains("\(source.padding(toLength: 10, withPad: " ", startingAt: 0))  \(String(format: "%.1f%%", Double(count) / 550 * 100)) of the rows (\(count))"), "\(result.stderr)")
        }
        #expect(!result.stderr.contains("match rate"))
    }
}
