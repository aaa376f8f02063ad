import Foundation
import Testing
@testable import UID2Batch

@Suite("ColumnLayout")
struct ColumnLayoutTests {
    static func refusal(_ header: [String], keys: [String] = [], priority: [IdentitySource]? = nil) -> BatchError? {
        do {
            let selection = priority.map { ColumnSelection(keyColumns: keys, priority: $0) } ?? ColumnSelection(keyColumns: keys)
            _ = try ColumnLayout(header: header, selection: selection)
            return nil
        } catch {
            return error
        }
    }

    /// A column the run reads must be the only one of its name, however it is spelled.
    @Test(arguments: [
        (["email", "customer_id", "Email "], [String](), "email"),
        (["email", "customer_id", "customer_id"], ["customer_id"], "customer_id"),
        (["phone", "PHONE"], [], "phone"),
    ])
    func aDuplicatedColumnThatIsReadIsRefused(header: [String], keys: [String], name: String) {
        guard case let .duplicateColumn(found) = Self.refusal(header, keys: keys) else {
            Issue.record("not refused as a duplicated column: \(String(describing: Self.refusal(header, keys: keys)))")
            return
        }
        #expect(found.lowercased().trimmingCharacters(in: .whitespaces) == name)
    }

    @Test func aDuplicatedColumnThatIsNotReadIsFine() {
        #expect(Self.refusal(["email", "notes", "notes", "customer_id"], keys: ["customer_id"]) == nil)
    }
}
