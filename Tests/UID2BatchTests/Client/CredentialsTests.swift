import Foundation
import Testing
import UID2
@testable import UID2Batch

@Suite("Credentials")
struct CredentialsTests {
    static let secret = ClientSecret.random().base64
    static let key = "UID2-C-L-123-abcDEF.ghiJKL+mno/pqr="

    @Test("a well-formed key and secret load from the environment")
    func loads() throws {
        let credentials = try Credentials.load(
            environment: ["UID2_API_KEY": Self.key, "UID2_CLIENT_SECRET": Self.secret], file: nil
        )
        #expect(credentials.apiKey == Self.key)
        #expect(credentials.clientSecret.base64 == Self.secret)
    }

    @Test(
        "an API key that cannot go in an HTTP header is refused at start, without being repeated",
        arguments: [
            (key + "\r", "line break"),
            (key + "\n", "line break"),
            (key + " ", "space or a tab"),
            ("UID2 " + key, "space or a tab"),
            (key + "\u{7}", "control character"),
            (key + "é", "non-ASCII"),
            ("\"" + key + "\"", "wrapped in quotes"),
            ("'" + key + "'", "wrapped in quotes"),
            (key + "\"", "wrapped in quotes"),
        ]
    )
    func refusesUnusableKeys(key: String, problem: String) {
        do {
            _ = try Credentials.load(environment: ["UID2_API_KEY": key, "UID2_CLIENT_SECRET": Self.secret], file: nil)
            Issue.record("an unusable key was accepted")
        } catch {
            #expect(error.description.contains("UID2_API_KEY in the environment is not usable"))
            #expect(error.description.contains(problem))
            #expect(!error.description.contains(Self.key))
            #expect(!error.description.contains("abcDEF"))
        }
    }

    @Test("a client secret in quotes is refused at start, without being repeated", arguments: ["\"", "'"])
    func refusesQuotedSecrets(quote: String) {
        do {
            _ = try Credentials.load(environment: ["UID2_API_KEY": Self.key, "UID2_CLIENT_SECRET": quote + Self.secret + quote], file: nil)
            Issue.record("a quoted secret was accepted")
        } catch {
            #expect(error.description.contains("wrapped in quotes"), "\(error.description)")
            #expect(!error.description.contains(Self.secret))
        }
    }

    @Test("a credentials file with Windows line endings gives the same key and secret")
    func crlfFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("creds-\(UUID().uuidString)").path
        try Data("UID2_API_KEY=\(Self.key)\r\nUID2_CLIENT_SECRET=\(Self.secret)\r\n".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let credentials = try Credentials.load(environment: [:], file: path)
        #expect(credentials.apiKey == Self.key)
    }

    /// A credentials file that cannot be read says why in plain words (not a Foundation error code).
    @Test func anUnreadableCredentialsFileSaysWhy() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("creds-dir-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for (path, reason) in [(directory, "it is a directory"), (directory + "/missing", "there is no such file")] {
            do {
                _ = try Credentials.load(environment: [:], file: path)
                Issue.record("an unreadable file was accepted")
            } catch {
                #expect(error.description.contains(reason), "\(error.description)")
                #expect(!error.description.contains("NSCocoaErrorDomain"))
            }
        }
    }
}
