import Testing
import UID2
import UID2TestSupport
@testable import UID2Batch

@Suite("error-rate guard")
struct ErrorRateGuardTests {
    /// A `customer_id,email,phone` export of `rows` rows of which `bad` (spread by a seeded
    /// shuffle over the first `within` rows) have no valid identity: half bad emails, half
    /// malformed rows.
    static func export(rows: Int, bad: Int, within: Int? = nil, seed: UInt64 = 3) -> String {
        var random = SplitMix64(state: seed)
        let badRows = Set(Array(1...(within ?? rows)).shuffled(using: &random).prefix(bad))
        var csv = "customer_id,email,phone\n"
        for row in 1...rows {
            if !badRows.contains(row) {
                csv += "C\(row),person.\(row)@example.org,\n"
            } else if row % 2 == 0 {
                csv += "C\(row),not-an-email,\n"
            } else {
                csv += "C\(row),x@example.org\n"
            }
        }
        return csv
    }

    /// Runs the guard on `csv` with `limit`; returns the refusal, or `nil` when accepted, and
    /// checks that the file is left at its start.
    static func check(_ csv: String, limit: Double) throws -> BatchError? {
        let directory = try TemporaryDirectory()
        let path = try directory.write(csv, to: "in.csv")
        let config = RunConfig(input: path, output: directory.path("out.csv"), errors: directory.path("errors.csv"), maxErrorRate: limit)
        let file = try InputFile(name: path)
        var refusal: BatchError?
        do { try ErrorRateGuard.check(file, config: config) } catch { refusal = error }
        var reader = CSVReader(input: file, delimiter: .comma)
        var header = CSVRecord()
        _ = try reader.next(into: &header)
        #expect((0..<header.fieldCount).map { header.string(at: $0) } == ["customer_id", "email", "phone"], "the input is read again from its start")
        return refusal
    }

    @Test(arguments: [
        (rows: 100, bad: 10, limit: 0.1, refused: false),
        (rows: 100, bad: 11, limit: 0.1, refused: true),
        (rows: 100, bad: 0, limit: 0.0, refused: false),
        (rows: 100, bad: 1, limit: 0.0, refused: true),
        (rows: 40, bad: 20, limit: 0.5, refused: false),
        (rows: 40, bad: 21, limit: 0.5, refused: true),
        (rows: 1_000, bad: 250, limit: 0.25, refused: false),
        (rows: 1_000, bad: 251, limit: 0.25, refused: true),
        (rows: 7, bad: 7, limit: 0.99, refused: true),
    ])
    func aShareAboveTheLimitIsRefusedAndOneAtItAccepted(rows: Int, bad: Int, limit: Double, refused: Bool) throws {
        let refusal = try Self.check(Self.export(rows: rows, bad: bad), limit: limit)
        #expect((refusal != nil) == refused)
        guard let refusal else { return }
        guard case let .errorRateTooHigh(sampled, errors, refusedLimit, codes) = refusal else {
            Issue.record("refused with \(refusal)")
            return
        }
        #expect(sampled == rows)
        #expect(errors == bad)
        #expect(refusedLimit == limit)
        #expect(codes.values.reduce(0, +) == Int64(bad))
        #expect(Set(codes.keys).isSubset(of: [.invalidEmail, .malformedRow]))
    }

    @Test func onlyTheFirstRowsAreSampled() throws {
        let sample = ErrorRateGuard.sampleRows
        // All bad rows come after the sample: accepted however many there are.
        let good = Self.export(rows: sample, bad: 0)
        let tail = (sample + 1...sample * 3).map { "C\($0),not-an-email,\n" }.joined()
        #expect(try Self.check(good + tail, limit: 0.01) == nil)
        // Bad rows within the sample are counted against the sample, not against the whole input.
        let refusal = try Self.check(Self.export(rows: sample * 3, bad: sample / 10 + 1, within: sample), limit: 0.1)
        guard case let .errorRateTooHigh(sampled, errors, _, _) = refusal else {
            Issue.record("accepted \(sample / 10 + 1) bad rows in a sample of \(sample) with a limit of 10%")
            return
        }
        #expect(sampled == sample)
        #expect(errors == sample / 10 + 1)
    }

    @Test func anInputWithoutDataRowsIsLeftToTheRun() throws {
        #expect(try Self.check("customer_id,email,phone\n", limit: 0) == nil)
    }
}
