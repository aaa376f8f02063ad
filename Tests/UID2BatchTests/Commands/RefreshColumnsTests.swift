import Testing
@testable import UID2Batch

@Suite("RefreshColumns")
struct RefreshColumnsTests {
    /// refresh reads and rewrites its token columns: each must be there once.
    @Test(arguments: ["status", "refresh_token", "identity_type"])
    func refreshRefusesADuplicatedTokenColumn(_ name: String) throws {
        let header = [name, "customer_id", "status", "refresh_token", "refresh_response_key", "identity_type"]
        let layout = try ColumnLayout(header: header, selection: ColumnSelection(keyColumns: ["customer_id"], priority: []))
        #expect(throws: BatchError.duplicateColumn(name: name)) { try RefreshColumns(layout: layout) }
    }
}
